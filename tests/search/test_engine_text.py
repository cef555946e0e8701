"""Free text from the database's text index, title and creator order kept as numbers, standing
filters, and the change log's upkeep."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone

from ficarchive.accounts import actions as account_actions
from ficarchive.accounts.models import User
from ficarchive.search.actions import prune_changes, record_change
from ficarchive.search.documents import stored_documents
from ficarchive.search.engine import Index, Result
from ficarchive.search.index_keeper import search
from ficarchive.search.models import SearchChange
from ficarchive.search.query import SearchQuery
from ficarchive.tags.models import GENERAL, NO_WARNINGS, Tag
from ficarchive.works import actions
from ficarchive.works.models import Creatorship, Work
from tests.conftest import post_work

GUEST = AnonymousUser()


def find(params: str, user: User | AnonymousUser = GUEST, index: Index | None = None) -> Result:
    query = SearchQuery.from_params(QueryDict(params))
    return index.search(query, user) if index else search(query, user)


def retitle(author: User, work: Work, title: str) -> None:
    details = actions.WorkDetails(
        title=title, rating=GENERAL, warnings=[NO_WARNINGS], fandoms=["Original Work"]
    )
    actions.update_work(author, work, details)


def test_chapter_text_is_searched_only_when_asked(alice: User) -> None:
    work = post_work(alice, "Quiet", chapters=["<p>The <em>lighthouse</em> stood.</p>"])
    assert find("q=lighthouse").total == 0
    assert find("q=lighthouse&body=true").ids == [work.pk]
    assert find('q="the lighthouse stood"&body=true').ids == [work.pk]


def test_a_work_is_found_by_title_summary_creator_and_tags(alice: User) -> None:
    work = post_work(alice, "Harbour Lights", summary="<p>A <b>winter</b> tale</p>",
                     freeforms=["Slow Burn"])  # fmt: skip
    for words in ("harbour", "winter tale", "alice", '"slow burn"', "harbour -summer"):
        assert find(f"q={words}").ids == [work.pk], words
    assert find("q=harbour -winter").total == 0
    assert find("q=summer OR winter").ids == [work.pk]


def test_a_text_edit_shows_in_the_next_query_of_every_index(alice: User) -> None:
    work = post_work(alice, "Old Name")
    other = Index()
    other.build()
    assert find("q=old", index=other).ids == [work.pk]  # the answer is now remembered
    retitle(alice, work, "New Name")
    assert find("q=old", index=other).total == 0
    assert find("q=new", index=other).ids == [work.pk]
    assert find("q=old").total == 0


def test_relevance_puts_title_matches_first(alice: User) -> None:
    in_summary = post_work(alice, "Plain", summary="<p>storm at sea</p>")
    in_title = post_work(alice, "Storm")
    post_work(alice, "Newest", summary="<p>storm</p>")
    result = find("q=storm")
    assert result.ids[0] == in_title.pk
    assert in_summary.pk in result.ids


def test_hostile_text_gets_an_answer_and_changes_nothing(alice: User) -> None:
    post_work(alice, "Safe")
    before = Work.objects.count()
    hostile = ['"; DROP TABLE works_work; --', "{title}: NEAR(a b)", "* ^ ( ) AND x",
               "x" * 5000, "<script>alert(1)</script>", "ÆØÅ éé 東京"]  # fmt: skip
    for text in hostile:
        assert find(QueryDict.fromkeys(["q"], text).urlencode()).total == 0, text
    assert find("q=%22%22%22%27%27").total == 1  # no words to look for: every work
    assert Work.objects.count() == before


def test_title_order_takes_in_new_and_renamed_works(alice: User) -> None:
    names = ["Delta", "Bravo", "Foxtrot", "alpha", "Echo"]
    works = {name: post_work(alice, name) for name in names}
    index = Index()
    index.build()
    retitle(alice, works["Foxtrot"], "Charlie")
    works["Charlie"] = works.pop("Foxtrot")
    works["Golf"] = post_work(alice, "Golf")
    works["Bravo 2"] = post_work(alice, "Bravo")
    by_title = sorted(works.items(), key=lambda item: (item[0].split()[0].casefold(), -item[1].pk))
    assert find("sort=title", index=index).ids == [w.pk for _, w in by_title]
    index.direct_sort = 0  # walk the sorted list instead
    assert find("sort=title&order=desc", index=index).ids == [
        w.pk
        for _, w in sorted(
            works.items(), key=lambda item: (item[0].split()[0].casefold(), item[1].pk)
        )[::-1]
    ]


def test_renaming_a_pseud_changes_how_its_works_are_found_and_sorted(
    alice: User, bob: User
) -> None:
    by_alice = post_work(alice, "One")
    by_bob = post_work(bob, "Two")
    index = Index()
    index.build()
    assert find("sort=creator", index=index).ids == [by_alice.pk, by_bob.pk]
    account_actions.update_pseud(alice, alice.default_pseud, "Zelda", "")
    assert find("sort=creator", index=index).ids == [by_bob.pk, by_alice.pk]
    assert find("q=zelda", index=index).ids == [by_alice.pk]
    assert find("q=alice", index=index).total == 0


def test_deleting_a_pseud_finds_its_works_under_the_default_pseud(alice: User) -> None:
    pen_name = account_actions.create_pseud(alice, "Quillon")
    work = actions.post_work(
        alice,
        [pen_name],
        actions.WorkDetails(
            title="Moved", rating=GENERAL, warnings=[NO_WARNINGS], fandoms=["Original Work"]
        ),
        actions.ChapterDetails(body="<p>Ink.</p>"),
    )
    index = Index()
    index.build()
    assert find("q=quillon", index=index).ids == [work.pk]
    account_actions.delete_pseud(alice, pen_name)
    assert find("q=quillon", index=index).total == 0
    assert find("q=alice", index=index).ids == [work.pk]


def test_standing_filters_leave_works_out_of_results_and_counts(
    alice: User, bob: User, carol: User
) -> None:
    angst = post_work(alice, "Sad", freeforms=["Angst"])
    fluff = post_work(alice, "Happy", freeforms=["Fluff"])
    by_bob = post_work(bob, "Bob's", freeforms=["Fluff"])
    account_actions.hide_tag(carol, Tag.objects.get(name="Angst"))
    result = find("", carol)
    assert sorted(result.ids) == sorted([fluff.pk, by_bob.pk])
    assert ("Angst", 1) not in result.facets["freeform"]
    account_actions.hide_work(carol, fluff)
    account_actions.hide_creator(carol, bob)
    result = find("", carol)
    assert (result.total, result.ids, result.facets["freeform"]) == (0, [], [])
    assert find("").total == 3  # other readers and guests see everything
    assert find("", bob).total == 3
    assert angst.pk in find("", alice).ids


def test_documents_follow_the_listing(alice: User, ada: User) -> None:
    work = post_work(alice, "Listed")
    assert stored_documents([work.pk])[work.pk].title == "listed"
    actions.hide_work(ada, work, "spam")
    assert stored_documents([work.pk]) == {}
    draft = post_work(alice, "Draft", draft=True)
    assert stored_documents([draft.pk]) == {}


def test_pruning_keeps_the_last_hour_of_changes(alice: User) -> None:
    post_work(alice, "Recent")
    SearchChange.objects.create(work_id=None)
    old = SearchChange.objects.create(work_id=None)
    SearchChange.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert prune_changes() == 1
    assert SearchChange.objects.count() >= 2
    call_command("search", "--prune", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_an_index_silent_for_longer_than_the_log_is_kept_rebuilds(alice: User) -> None:
    index = Index()
    index.build()
    assert not index.is_stale()
    index.polled_at -= 3600
    assert index.is_stale()


def test_reindex_writes_every_document_again(alice: User) -> None:
    work = post_work(alice, "Kept")
    Work.objects.filter(pk=work.pk).update(title="Changed Behind Its Back")
    call_command("search", "--reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert find("q=behind").ids == [work.pk]


def test_a_creator_leaving_a_work_leaves_its_document(alice: User, bob: User) -> None:
    work = post_work(alice, "Shared")
    creatorship = Creatorship.objects.create(
        work=work, pseud=bob.default_pseud, accepted=True, position=1
    )
    record_change([work.pk])
    assert "bob" in stored_documents([work.pk])[work.pk].text
    actions.remove_creator(bob, creatorship)
    assert "bob" not in stored_documents([work.pk])[work.pk].text
    assert find("q=bob").total == 0


def test_counter_changes_leave_the_documents_alone(alice: User) -> None:
    work = post_work(alice, "Counted")
    Work.objects.filter(pk=work.pk).update(title="Not Yet Indexed")
    record_change([work.pk], text=False)
    assert stored_documents([work.pk])[work.pk].title == "counted"


def test_deleting_works_deletes_their_documents(alice: User, bob: User) -> None:
    one, shared = post_work(alice, "One"), post_work(alice, "Shared")
    Creatorship.objects.create(work=shared, pseud=bob.default_pseud, accepted=True, position=1)
    record_change([shared.pk])
    one_id = one.pk
    actions.delete_work(alice, one)
    assert one_id not in stored_documents([one_id])
    actions.delete_works_of(bob)
    assert "bob" not in stored_documents([shared.pk])[shared.pk].text


def test_remembered_text_answers_stay_within_their_budget_and_follow_edits(alice: User) -> None:
    harbour = post_work(alice, "Harbour Lights")
    post_work(alice, "Winter Harbour")
    index = Index()
    index.build()
    index.text.BUDGET = 1  # one answer kept at a time, however small
    assert sorted(find("q=harbour", index=index).ids) == sorted(find("q=harbour").ids)
    assert find("q=lights", index=index).ids == [harbour.pk]
    assert len(index.text.remembered) == 1
    assert index.text.held > 0
    retitle(alice, harbour, "Harbour Lamps")
    assert find("q=lights", index=index).total == 0
    assert find("q=lamps", index=index).ids == [harbour.pk]
    assert len(index.text.remembered) == 1
    index.text.BUDGET = 2**30
    index.answers.forget()  # the text is read again, not the answer kept since the edit
    find("q=lights", index=index)
    assert len(index.text.remembered) > 1  # (the title's answer too, for relevance)
