from ficarchive.works.models import Work
from tests.conftest import post_work


def test_posting_a_work_counts_its_words_and_chapters(alice):
    work = post_work(alice, chapters=["<p>One two three.</p>", "<p>Four five.</p>"])
    assert work.word_count == 5
    assert work.chapters_display == "2/2"
    assert work.is_complete
    assert list(Work.objects.listed_for(alice)) == [work]


def test_every_page_links_the_source_code_when_the_site_names_it(client, settings, db):
    assert "Source code" not in client.get("/").content.decode()
    settings.SOURCE_URL = "https://code.example.org/our-archive"
    page = client.get("/").content.decode()
    assert '<a href="https://code.example.org/our-archive">Source code</a>' in page
