"""The answers a process keeps until its index changes (search/answers.py): asked again they
are the same, and every kind of change a reader could see gives a new one at once."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from ficarchive.accounts.actions import mute_user
from ficarchive.accounts.models import User
from ficarchive.collections import actions as collection_actions
from ficarchive.search.engine import Index, Result
from ficarchive.search.query import SearchQuery
from ficarchive.social.actions.kudos import give_kudos
from ficarchive.tags import actions as tag_actions
from ficarchive.tags.models import Tag, TagType
from ficarchive.works import actions
from ficarchive.works.models import Work
from tests.conftest import post_work
from tests.search.test_engine_text import retitle

GUEST = AnonymousUser()


def built() -> Index:
    index = Index()
    index.build()
    return index


def ask(index: Index, params: str, user: User | AnonymousUser = GUEST) -> Result:
    return index.search(SearchQuery.from_params(QueryDict(params)), user)


def titles(result: Result) -> list[str]:
    by_id = dict(Work.objects.filter(id__in=result.ids).values_list("id", "title"))
    return [by_id[i] for i in result.ids]


def test_an_answer_asked_again_is_kept_and_a_kudos_gives_a_new_one(
    alice: User, carol: User
) -> None:
    loved = post_work(alice, "Loved", freeforms=["Fluff"])
    post_work(alice, "Newer", freeforms=["Fluff"])
    index = built()
    first = ask(index, "include=Fluff&sort=kudos")
    assert len(index.answers) == 1
    again = ask(index, "include=Fluff&sort=kudos")
    assert (again.total, again.ids, again.facets, again.stamps) == (
        first.total, first.ids, first.facets, first.stamps,
    )  # fmt: skip
    assert titles(again) == ["Newer", "Loved"]
    give_kudos(carol, loved)
    after = ask(index, "include=Fluff&sort=kudos")
    assert titles(after) == ["Loved", "Newer"]
    assert after.stamps != first.stamps


def test_guests_and_members_keep_answers_of_their_own(alice: User, carol: User) -> None:
    post_work(alice, "Open")
    post_work(alice, "Members Only", restricted=True)
    index = built()
    assert titles(ask(index, "")) == ["Open"]
    assert titles(ask(index, "", carol)) == ["Members Only", "Open"]
    assert titles(ask(index, "")) == ["Open"]
    assert len(index.answers) == 2


def test_a_reader_who_hides_works_gets_an_answer_of_their_own(
    alice: User, bob: User, carol: User, mallory: User
) -> None:
    post_work(alice, "By Alice")
    post_work(bob, "By Bob")
    index = built()
    assert titles(ask(index, "", carol)) == ["By Bob", "By Alice"]
    mute_user(carol, bob)
    assert titles(ask(index, "", carol)) == ["By Alice"]
    assert titles(ask(index, "", mallory)) == ["By Bob", "By Alice"]  # another member's answer
    assert len(index.answers) == 1  # the muting reader's answer is not kept


def test_edits_hides_and_deletes_give_new_answers_at_once(alice: User, ada: User) -> None:
    work = post_work(alice, "Before")
    other = post_work(alice, "Other")
    index = built()
    assert titles(ask(index, "q=before")) == ["Before"]
    retitle(alice, work, "After")
    assert ask(index, "q=before").total == 0
    assert titles(ask(index, "q=after")) == ["After"]
    actions.hide_work(ada, work, "spam")
    assert ask(index, "q=after").total == 0
    actions.delete_work(alice, other)
    assert ask(index, "").total == 0


def test_wrangling_gives_new_answers_at_once(alice: User, ada: User) -> None:
    post_work(alice, "Canon", freeforms=["Fluff"])
    post_work(alice, "Typed Differently", freeforms=["fluffy stuff"])
    index = built()
    assert titles(ask(index, "include=fluffy stuff")) == ["Typed Differently"]
    fluff = Tag.objects.get(type=TagType.FREEFORM, name="Fluff")
    tag_actions.make_canonical(ada, fluff)
    tag_actions.make_synonym(ada, Tag.objects.get(name="fluffy stuff"), fluff)
    assert sorted(titles(ask(index, "include=fluffy stuff"))) == ["Canon", "Typed Differently"]
    assert ask(index, "include=fluffy stuff").facets["freeform"] == [("Fluff", 2)]


def test_a_collections_works_are_read_each_time(alice: User) -> None:
    work = post_work(alice, "Gift")
    index = built()
    collection = collection_actions.create_collection(
        alice, collection_actions.CollectionDetails("exchange", "The Exchange")
    )
    assert ask(index, "collection=exchange").total == 0
    collection_actions.add_work(alice, work, collection)
    assert titles(ask(index, "collection=exchange")) == ["Gift"]
    assert len(index.answers) == 0


def test_the_answers_kept_stay_within_their_number(alice: User) -> None:
    for n in range(5):
        post_work(alice, f"Work {n}")
    index = built()
    index.answers.kept = 3
    for page in range(1, 6):
        assert ask(index, f"per_page=1&page={page}").total == 5
    assert len(index.answers) == 3
    assert titles(ask(index, "per_page=1&page=1")) == ["Work 4"]  # asked again, not kept
