"""The engine against the real actions: filters, synonyms, visibility, mutes and the change log."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from ficarchive.accounts.actions import mute_user
from ficarchive.accounts.models import User
from ficarchive.search.engine import Index, Result
from ficarchive.search.index_keeper import search
from ficarchive.search.query import SearchQuery
from ficarchive.social.actions.kudos import give_kudos
from ficarchive.tags import actions as tag_actions
from ficarchive.tags.models import EXPLICIT, NO_WARNINGS, Tag, TagType
from ficarchive.works import actions
from ficarchive.works.models import Work
from tests.conftest import post_work

GUEST = AnonymousUser()


def find(params: str, user: User | AnonymousUser = GUEST) -> Result:
    return search(SearchQuery.from_params(QueryDict(params)), user)


def titles(result: Result) -> list[str]:
    by_id = dict(Work.objects.filter(id__in=result.ids).values_list("id", "title"))
    return [by_id[i] for i in result.ids]


def test_search_lists_posted_works_newest_update_first(alice: User) -> None:
    post_work(alice, "First")
    post_work(alice, "Second")
    post_work(alice, "Draft", draft=True)
    result = find("")
    assert titles(result) == ["Second", "First"]
    assert result.total == 2


def test_guests_do_not_find_restricted_works_but_members_do(alice: User, carol: User) -> None:
    post_work(alice, "Members Only", restricted=True)
    assert find("").total == 0
    assert titles(find("", carol)) == ["Members Only"]


def test_hidden_works_vanish_at_once(alice: User, ada: User) -> None:
    work = post_work(alice, "Hidden Soon")
    assert find("").total == 1
    actions.hide_work(ada, work, "spam")
    assert find("").total == 0


def test_muted_creators_works_are_left_out_and_not_counted(
    alice: User, bob: User, carol: User
) -> None:
    post_work(alice, "By Alice", freeforms=["Fluff"])
    post_work(bob, "By Bob", freeforms=["Fluff"])
    mute_user(carol, bob)
    result = find("include=Fluff", carol)
    assert titles(result) == ["By Alice"]
    assert ("Fluff", 1) in result.facets["freeform"]


def test_include_matches_synonyms_and_facets_count_under_the_canonical_tag(
    alice: User, ada: User
) -> None:
    post_work(alice, "Canon", freeforms=["Fluff"])
    post_work(alice, "Typed Differently", freeforms=["fluffy stuff"])
    fluff = Tag.objects.get(type=TagType.FREEFORM, name="Fluff")
    tag_actions.make_canonical(ada, fluff)
    tag_actions.make_synonym(ada, Tag.objects.get(name="fluffy stuff"), fluff)
    result = find("include=fluffy stuff")
    assert sorted(titles(result)) == ["Canon", "Typed Differently"]
    assert result.facets["freeform"] == [("Fluff", 2)]


@pytest.mark.parametrize("way", ["codes", "bitmaps"])
def test_facets_follow_growing_tags_wrangling_and_both_synonym_and_canonical_on_a_work(
    alice: User, ada: User, way: str
) -> None:
    index = Index(big_tag=2)
    index.code_width = 1  # a code per row: the rest spill into the second table
    index.build()
    index.facet_way = way

    def freeforms() -> list[tuple[str, int]]:
        return index.search(SearchQuery(), GUEST).facets["freeform"]

    post_work(alice, "One", freeforms=["Fluff"])
    assert freeforms() == [("Fluff", 1)]
    post_work(alice, "Two", freeforms=["Fluff", "fluffy stuff"])  # Fluff grows big: a code
    assert freeforms() == [("Fluff", 2), ("fluffy stuff", 1)]
    fluff = Tag.objects.get(type=TagType.FREEFORM, name="Fluff")
    tag_actions.make_canonical(ada, fluff)
    tag_actions.make_synonym(ada, Tag.objects.get(name="fluffy stuff"), fluff)
    assert freeforms() == [("Fluff", 2)]  # "Two" has both, and counts once
    post_work(alice, "Three", freeforms=["fluffy stuff"])
    assert freeforms() == [("Fluff", 3)]
    fresh = Index()
    fresh.build()
    fresh.facet_way = "works"
    assert index.search(SearchQuery(), GUEST).facets == fresh.search(SearchQuery(), GUEST).facets


def test_include_of_a_fandom_finds_its_sub_fandoms(alice: User, ada: User) -> None:
    post_work(alice, "Deep", fandoms=["Sherlock (TV)"])
    meta = Tag.objects.create(type=TagType.FANDOM, name="Sherlock Holmes & Related", canonical=True)
    tv = Tag.objects.get(name="Sherlock (TV)")
    tag_actions.make_canonical(ada, tv)
    tag_actions.set_parents(ada, tv, [meta])
    assert titles(find("include=Sherlock Holmes %26 Related")) == ["Deep"]


def test_every_filter_meets(alice: User) -> None:
    post_work(alice, "Long Storm", rating=EXPLICIT, chapters=["storm " * 300], language="de")
    post_work(alice, "Short Storm", chapters=["storm"], freeforms=["Angst"])
    assert titles(find("q=storm&exclude=Angst")) == ["Long Storm"]
    assert titles(find(f"include={EXPLICIT}&lang=de&words=100-")) == ["Long Storm"]
    assert titles(find("q=words:<10")) == ["Short Storm"]
    assert find("include=No Such Tag").unknown_tags == ["No Such Tag"]
    assert find("include=No Such Tag").total == 0


def test_kudos_and_new_chapters_show_within_the_next_query(alice: User, carol: User) -> None:
    first = post_work(alice, "Loved")
    post_work(alice, "Newer")
    assert titles(find("sort=kudos")) == ["Newer", "Loved"]
    give_kudos(carol, first)
    assert titles(find("sort=kudos")) == ["Loved", "Newer"]
    actions.add_chapter(alice, first, actions.ChapterDetails(body="<p>More.</p>"))
    assert titles(find("")) == ["Loved", "Newer"]
    assert find("chapters=2").ids == [first.pk]


def test_a_second_process_index_follows_the_change_log(alice: User) -> None:
    other = Index()
    other.build()
    work = post_work(alice, "Fresh")
    assert other.search(SearchQuery(), GUEST).ids == [work.pk]
    actions.delete_work(alice, work)
    assert other.search(SearchQuery(), GUEST).total == 0


def test_sorting_by_title_breaks_ties_by_newest_id(alice: User) -> None:
    a = post_work(alice, "Same")
    b = post_work(alice, "same")
    c = post_work(alice, "Another")
    assert find("sort=title").ids == [c.pk, b.pk, a.pk]
    assert find("sort=title&order=desc").ids == [b.pk, a.pk, c.pk]


def test_pages_slice_the_sorted_results(alice: User) -> None:
    works = [post_work(alice, f"Work {n}") for n in range(5)]
    newest_first = [w.pk for w in reversed(works)]
    assert find("per_page=2&page=2").ids == newest_first[2:4]
    assert find("per_page=2&page=9").ids == []


def test_facets_counted_by_group_codes_follow_new_works_and_new_tags(alice: User) -> None:
    index = Index()
    index.build()
    index.facet_way = "codes"
    post_work(alice, "One", freeforms=["Fluff"])
    assert index.search(SearchQuery(), GUEST).facets["freeform"] == [("Fluff", 1)]
    post_work(alice, "Two", freeforms=["Fluff", "Brand New"])
    post_work(alice, "Three", freeforms=["Brand New"])
    facets = index.search(SearchQuery(), GUEST).facets["freeform"]
    assert facets == [("Brand New", 2), ("Fluff", 2)]


def test_a_change_committed_late_under_a_lower_id_is_still_applied(alice: User) -> None:
    from ficarchive.search.models import SearchChange

    first = post_work(alice, "First")
    late = post_work(alice, "Late")
    index = Index()
    index.build()
    top = index.last_change
    Work.objects.filter(pk__in=[first.pk, late.pk]).update(word_count=777)
    SearchChange.objects.create(id=top + 2, work_id=first.pk)  # as another process would
    index.poll()
    assert index.search(SearchQuery.from_params(QueryDict("words=777")), GUEST).ids == [first.pk]
    SearchChange.objects.create(id=top + 1, work_id=late.pk)  # took its id earlier
    index.poll()
    result = index.search(SearchQuery.from_params(QueryDict("words=777")), GUEST)
    assert result.ids == [late.pk, first.pk]


def test_another_process_change_is_read_within_the_poll_interval(alice: User) -> None:
    from ficarchive.search.engine import POLL_EVERY
    from ficarchive.search.models import SearchChange

    work = post_work(alice, "First")
    index = Index()
    index.build()
    index.search(SearchQuery(), GUEST)
    Work.objects.filter(pk=work.pk).update(word_count=777)
    SearchChange.objects.create(work_id=work.pk)  # noted by another process
    query = SearchQuery.from_params(QueryDict("words=777"))
    assert index.search(query, GUEST).ids == []  # the log was read a moment ago
    index.polled_at -= POLL_EVERY  # a moment later
    assert index.search(query, GUEST).ids == [work.pk]


@pytest.mark.parametrize("way", ["codes", "bitmaps"])
def test_a_synonym_first_used_after_the_build_counts_under_its_canonical_tag(
    alice: User, ada: User, way: str
) -> None:
    post_work(alice, "Canon", freeforms=["Fluff"])
    post_work(alice, "Canon Again", freeforms=["Fluff"])
    fluff = Tag.objects.get(type=TagType.FREEFORM, name="Fluff")
    tag_actions.make_canonical(ada, fluff)
    unused = Tag.objects.create(type=TagType.FREEFORM, name="fluffy stuff")
    tag_actions.make_synonym(ada, unused, fluff)
    index = Index(big_tag=2)  # Fluff has a bitmap; its synonym, used once, will not
    index.build()
    index.facet_way = way
    post_work(alice, "Typed Differently", freeforms=["fluffy stuff"])
    assert index.search(SearchQuery(), GUEST).facets["freeform"] == [("Fluff", 3)]


@pytest.mark.parametrize("code_width", [None, 1])
def test_a_profiled_group_counts_a_search_inside_it_as_work_by_work_through_changes(
    alice: User, ada: User, code_width: int | None
) -> None:
    """A big group keeps the counts of its own works: a search of it subtracts the few works it
    leaves out. New works, edits moving works out, deletions and new codes keep those counts."""
    for n in range(4):
        post_work(alice, f"Moor {n}", fandoms=["Moors"], freeforms=["Fog", f"Bog {n % 2}"])
    post_work(alice, "Elsewhere", fandoms=["Cities"], freeforms=["Fog"])
    index = Index(big_tag=2)
    index.code_width = code_width  # 1: most codes in the second table
    index.profile_sizes = (2, 10**9)
    index.build()
    index.facet_way = "codes"
    moors = Tag.objects.get(type=TagType.FANDOM, name="Moors")
    assert index.codes.profiles, "the groups were given their own counts"

    def same_as_counted_work_by_work(params: str) -> None:
        query = SearchQuery.from_params(QueryDict(params))
        fresh = Index()
        fresh.build()
        fresh.facet_way = "works"
        assert index.search(query, GUEST).facets == fresh.search(query, GUEST).facets, params

    same_as_counted_work_by_work("include=Moors&exclude=Bog 0")
    fifth = post_work(alice, "Moor 4", fandoms=["Moors"], freeforms=["Fog", "Heather"])
    same_as_counted_work_by_work("include=Moors&exclude=Bog 1")
    post_work(alice, "Moor 5", fandoms=["Moors"], freeforms=["Heather"])  # Heather: a new code
    same_as_counted_work_by_work("include=Moors&exclude=Bog 1")
    moved = Work.objects.get(title="Moor 0")
    details = actions.WorkDetails(
        title="Moor 0", warnings=[NO_WARNINGS], fandoms=["Cities"], freeforms=["Fog"]
    )
    actions.update_work(alice, moved, details)
    same_as_counted_work_by_work("include=Moors&exclude=Bog 1")
    same_as_counted_work_by_work("include=Fog&exclude=Cities")
    actions.delete_work(alice, fifth)
    same_as_counted_work_by_work("include=Moors&exclude=Bog 1")
    assert moors.pk in index.codes.top_of_code[list(index.codes.profiles)].tolist()


@pytest.mark.parametrize("way", ["codes", "bitmaps"])
def test_uncoded_groups_of_works_changed_after_the_build_are_counted(
    alice: User, ada: User, way: str
) -> None:
    """Types whose top ten may hold an uncoded group count those groups over the works known
    to have one; works tagged after the build join them."""
    post_work(alice, "Before", fandoms=["Moors", "Cities"], freeforms=["Fog"])
    index = Index()
    index.coded_per_type = 1  # one group of each type coded: the rest counted work by work
    index.build()
    index.facet_way = way
    post_work(alice, "After", fandoms=["Moors", "Rivers"], freeforms=["Rain", "Fog"])
    retagged = post_work(alice, "Retagged", fandoms=["Moors"])
    details = actions.WorkDetails(
        title="Retagged", warnings=[NO_WARNINGS], fandoms=["Moors", "Lakes"], freeforms=["Mist"]
    )
    actions.update_work(alice, retagged, details)
    fresh = Index()
    fresh.build()
    fresh.facet_way = "works"
    for params in ("", "include=Moors", "include=Fog"):
        query = SearchQuery.from_params(QueryDict(params))
        assert index.search(query, GUEST).facets == fresh.search(query, GUEST).facets, params
    assert ("Lakes", 1) in index.search(SearchQuery(), GUEST).facets["fandom"]


def test_a_walk_past_the_head_of_a_sorted_list_and_changes_since_it_was_made(alice: User) -> None:
    works = [
        post_work(alice, f"{n} words", chapters=["<p>" + "word " * n + "</p>"])
        for n in range(1, 11)
    ]
    index = Index()
    index.direct_sort, index.walk_head = 0, 1  # every result walks; heads as short as can be
    index.build()

    def page(params: str) -> list[int]:
        return index.search(SearchQuery.from_params(QueryDict(params)), GUEST).ids

    # Half the works, all of them after the head (the four longest) of the list by words.
    assert page("words=-5&sort=words&per_page=1") == [works[4].pk]
    assert page("words=-5&sort=words&per_page=2&page=2") == [works[2].pk, works[1].pk]
    later = post_work(alice, "Five again", chapters=["<p>" + "word " * 5 + "</p>"])
    actions.delete_work(alice, works[3])  # 4 words
    assert page("words=-5&sort=words&per_page=3") == [later.pk, works[4].pk, works[2].pk]
    assert page("sort=words&per_page=2") == [works[9].pk, works[8].pk]
    assert page("sort=words&order=asc&per_page=3") == [works[0].pk, works[1].pk, works[2].pk]


def test_walks_kept_stay_within_their_budget_and_deeper_pages_sort_on_their_own(
    alice: User,
) -> None:
    works = [
        post_work(alice, f"Title {chr(74 - n)}", chapters=["<p>" + "word " * n + "</p>"])
        for n in range(1, 11)
    ]
    index = Index()
    index.direct_sort, index.walk_head, index.walk_ids = 0, 1, 4  # walks of 4 ids in all
    index.build()

    def page(params: str) -> list[int]:
        return index.search(SearchQuery.from_params(QueryDict(params)), GUEST).ids

    by_words = [w.pk for w in reversed(works)]  # most words first
    for sort, expected in (("words", by_words), ("title", by_words)):  # Title @ has most
        order = "desc" if sort == "words" else "asc"
        for number in (1, 2, 3, 5):  # page 3 and on need more than 4 ids of the list
            assert (
                page(f"sort={sort}&order={order}&per_page=2&page={number}")
                == (expected[2 * number - 2 : 2 * number])
            ), (sort, number)
            assert sum(len(walk.order) for walk in index._walks.values()) <= 4
    assert list(index._walks) == [("title", False)], "the least recently used went first"


def test_a_change_stamp_past_32_bits_of_the_build_moves_every_stamp_on(alice: User) -> None:
    first, second = post_work(alice, "First"), post_work(alice, "Second")
    index = Index()
    index.build()
    built = index.stamps_of([first.pk, second.pk])
    assert built == [index.generation] * 2
    details = actions.WorkDetails(title="Second, edited", warnings=[NO_WARNINGS], fandoms=["Moors"])
    actions.update_work(alice, second, details)
    index.catch_up()
    edited = index.stamps_of([first.pk, second.pk])
    assert edited[0] == built[0] == index.generation and edited[1] > built[1]
    far = index.stamp_base + 2**32 + 5  # four thousand million changes since the build
    index._stamp([(far, first.pk)])
    assert index.stamps_of([first.pk, second.pk]) == [far, far]
