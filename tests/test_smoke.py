from ficarchive.works.models import Work
from tests.conftest import post_work


def test_posting_a_work_counts_its_words_and_chapters(alice):
    work = post_work(alice, chapters=["<p>One two three.</p>", "<p>Four five.</p>"])
    assert work.word_count == 5
    assert work.chapters_display == "2/2"
    assert work.is_complete
    assert list(Work.objects.listed_for(alice)) == [work]
