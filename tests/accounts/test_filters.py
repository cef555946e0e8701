"""Standing filters, the model and the actions: hidden tags (through wrangling), hidden
creators (mutes), hidden works, read and kudosed works; what `standing_filters` and
`listed_for` leave out."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ficarchive.accounts import actions
from ficarchive.accounts.filters import (
    MAX_FILTERS,
    NO_FILTERS,
    StandingFilters,
    standing_filters,
)
from ficarchive.accounts.models import HiddenTag, HiddenWork, Mute, User
from ficarchive.social.actions import give_kudos
from ficarchive.social.models import Reading
from ficarchive.tags import actions as tag_actions
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Work
from tests.conftest import post_work
from tests.tags.conftest import canonical, tag


def listed(user) -> set[str]:
    return set(Work.objects.listed_for(user).values_list("title", flat=True))


def test_a_guest_has_no_filters(client):
    from django.contrib.auth.models import AnonymousUser

    assert standing_filters(AnonymousUser()) is NO_FILTERS
    assert NO_FILTERS.is_empty


def test_a_new_reader_has_empty_filters(carol):
    assert standing_filters(carol) == StandingFilters()


def test_hiding_a_tag_leaves_its_works_out_of_listings(alice, carol):
    post_work(alice, "Floofy", freeforms=["Floof"])
    post_work(alice, "Angsty", freeforms=["Angst"])
    actions.hide_tags(carol, ["floof"])
    assert listed(carol) == {"Angsty"}
    assert standing_filters(carol).tag_ids == {Tag.objects.get(name="Floof").pk}


def test_another_reader_and_a_guest_still_see_the_works_one_reader_hides(alice, bob, carol):
    from django.contrib.auth.models import AnonymousUser

    post_work(alice, "Floofy", freeforms=["Floof"])
    actions.hide_tags(carol, ["Floof"])
    assert listed(bob) == {"Floofy"}
    assert listed(AnonymousUser()) == {"Floofy"}


def test_hiding_a_canonical_tag_hides_its_synonyms_works(alice, carol, wendy):
    post_work(alice, "Floofy", freeforms=["Floof"])
    post_work(alice, "Fluffy", freeforms=["Fluff"])
    post_work(alice, "Angsty", freeforms=["Angst"])
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    tag_actions.make_synonym(wendy, Tag.objects.get(name="Floof"), fluff)
    actions.hide_tag(carol, fluff)
    assert listed(carol) == {"Angsty"}


def test_hiding_a_synonym_hides_its_canonical_tags_works_too(alice, carol, wendy):
    post_work(alice, "Floofy", freeforms=["Floof"])
    post_work(alice, "Fluffy", freeforms=["Fluff"])
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    tag_actions.make_synonym(wendy, Tag.objects.get(name="Floof"), fluff)
    actions.hide_tags(carol, ["Floof"])
    assert listed(carol) == set()


def test_hiding_a_fandom_hides_its_sub_fandoms_and_follows_wrangling_at_once(alice, carol, wendy):
    post_work(alice, "Film", fandoms=["Star Wars (Movies)"])
    post_work(alice, "Show", fandoms=["Clone Wars"])
    post_work(alice, "Other", fandoms=["Original Work"])
    star_wars = canonical(wendy, TagType.FANDOM, "Star Wars")
    canonical(wendy, TagType.FANDOM, "Star Wars (Movies)", fandoms=[star_wars])
    actions.hide_tag(carol, star_wars)
    assert listed(carol) == {"Show", "Other"}
    clone_wars = canonical(wendy, TagType.FANDOM, "Clone Wars")
    tag_actions.set_parents(wendy, clone_wars, [star_wars])
    assert listed(carol) == {"Other"}


def test_the_filter_ids_agree_with_covered_by_for_every_hidden_tag(alice, carol, wendy):
    post_work(alice, "Film", fandoms=["Star Wars (Movies)"], freeforms=["Floof", "Angst"])
    star_wars = canonical(wendy, TagType.FANDOM, "Star Wars")
    movies = canonical(wendy, TagType.FANDOM, "Star Wars (Movies)", fandoms=[star_wars])
    tag_actions.make_synonym(wendy, tag(TagType.FANDOM, "SW"), movies)
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    tag_actions.make_synonym(wendy, Tag.objects.get(name="Floof"), fluff)
    hidden = [star_wars, Tag.objects.get(name="Floof"), Tag.objects.get(name="Angst")]
    for each in hidden:
        actions.hide_tag(carol, each)
    expected = set()
    for each in hidden:
        expected |= set(Tag.objects.covered_by(each).values_list("id", flat=True))
    assert standing_filters(carol).tag_ids == expected
    assert len(expected) == 6  # Star Wars, Movies, SW, Fluff, Floof, Angst


def test_a_tag_name_is_hidden_in_the_type_asked_for_only(alice, carol):
    post_work(alice, "Fandom", fandoms=["Merlin"])
    post_work(alice, "Character", characters=["Merlin"])
    actions.hide_tags(carol, ["Merlin"], TagType.CHARACTER)
    assert listed(carol) == {"Fandom"}
    actions.hide_tags(carol, ["Merlin"])
    assert listed(carol) == set()


def test_hiding_an_unknown_tag_names_it_and_writes_nothing(alice, carol):
    post_work(alice, "Floofy", freeforms=["Floof"])
    with pytest.raises(ValidationError) as refused:
        actions.hide_tags(carol, ["Floof", "No Such Tag", "<script>x</script>"])
    assert "'No Such Tag'" in refused.value.messages[0]
    assert "'<script>x</script>'" in refused.value.messages[0]
    assert not HiddenTag.objects.exists()


def test_sql_in_a_tag_name_is_only_a_name(alice, carol):
    post_work(alice, "Floofy", freeforms=["Floof"])
    with pytest.raises(ValidationError):
        actions.hide_tags(carol, ["x') OR 1=1 --"])
    assert listed(carol) == {"Floofy"}


def test_hiding_a_tag_twice_keeps_one_filter(alice, carol):
    post_work(alice, "Floofy", freeforms=["Floof"])
    actions.hide_tags(carol, ["Floof"])
    actions.hide_tags(carol, ["floof", "FLOOF"])
    assert HiddenTag.objects.filter(user=carol).count() == 1


def test_showing_a_tag_again_lists_its_works(alice, carol):
    post_work(alice, "Floofy", freeforms=["Floof"])
    floof = actions.hide_tags(carol, ["Floof"])[0].tag
    actions.show_tag(carol, floof)
    assert listed(carol) == {"Floofy"}


def test_a_reader_cannot_hide_more_than_the_limit_of_tags(carol):
    tags = Tag.objects.bulk_create(
        Tag(type=TagType.FREEFORM, name=f"tag {n}") for n in range(MAX_FILTERS + 1)
    )
    HiddenTag.objects.bulk_create(HiddenTag(user=carol, tag=each) for each in tags[:MAX_FILTERS])
    with pytest.raises(ValidationError) as refused:
        actions.hide_tag(carol, tags[-1])
    assert f"at most {MAX_FILTERS} tags" in refused.value.messages[0]
    assert HiddenTag.objects.filter(user=carol).count() == MAX_FILTERS


def test_hiding_a_work_leaves_it_out_of_listings_but_it_still_opens(alice, carol, carol_client):
    hidden = post_work(alice, "Hidden")
    post_work(alice, "Shown")
    actions.hide_work(carol, hidden)
    assert listed(carol) == {"Shown"}
    assert standing_filters(carol).work_ids == {hidden.pk}
    assert carol_client.get(hidden.get_absolute_url()).status_code == 200


def test_showing_a_work_again_lists_it(alice, carol):
    hidden = post_work(alice, "Hidden")
    actions.hide_work(carol, hidden)
    actions.hide_work(carol, hidden)
    assert HiddenWork.objects.filter(user=carol).count() == 1
    actions.show_work(carol, hidden)
    assert listed(carol) == {"Hidden"}


def test_a_reader_cannot_hide_a_draft_they_cannot_see(alice, carol):
    draft = post_work(alice, "Draft", draft=True)
    with pytest.raises(PermissionDenied):
        actions.hide_work(carol, draft)
    assert not HiddenWork.objects.exists()


def test_a_guest_cannot_keep_filters(work):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        actions.hide_work(AnonymousUser(), work)  # type: ignore[arg-type]


def test_hiding_a_creator_is_muting_them(alice, bob, carol):
    post_work(alice, "Alice's")
    post_work(bob, "Bob's")
    actions.hide_creator(carol, alice)
    assert Mute.objects.filter(muter=carol, muted=alice).exists()
    assert listed(carol) == {"Bob's"}
    assert standing_filters(carol).creator_ids == {alice.pk}
    actions.show_creator(carol, alice)
    assert listed(carol) == {"Alice's", "Bob's"}


def test_a_reader_cannot_hide_their_own_works_by_hiding_themselves(carol):
    with pytest.raises(ValidationError):
        actions.hide_creator(carol, carol)


def test_works_read_are_hidden_only_when_the_reader_asks(alice, carol):
    read = post_work(alice, "Read")
    post_work(alice, "Unread")
    Reading.objects.create(user=carol, work=read, viewed_at=read.published_at, visits=1)
    Reading.objects.create(user=carol, work=post_work(alice, "Later"), is_later=True)
    assert listed(carol) == {"Read", "Unread", "Later"}
    actions.update_preferences(carol, hide_read_works=True)
    assert listed(carol) == {"Unread", "Later"}
    assert standing_filters(carol).work_ids == {read.pk}


def test_works_given_kudos_are_hidden_only_when_the_reader_asks(alice, bob, carol):
    liked = post_work(alice, "Liked")
    post_work(alice, "Other")
    give_kudos(carol, liked)
    give_kudos(bob, post_work(alice, "Bob liked"))
    assert listed(carol) == {"Liked", "Other", "Bob liked"}
    actions.update_preferences(carol, hide_kudosed_works=True)
    assert listed(carol) == {"Other", "Bob liked"}
    assert standing_filters(carol).work_ids == {liked.pk}


def test_all_kinds_of_work_filters_add_up(alice, carol):
    hidden, read, liked = (post_work(alice, title) for title in ("Hidden", "Read", "Liked"))
    actions.hide_work(carol, hidden)
    Reading.objects.create(user=carol, work=read, viewed_at=read.published_at, visits=1)
    give_kudos(carol, liked)
    actions.update_preferences(carol, hide_read_works=True, hide_kudosed_works=True)
    assert standing_filters(carol).work_ids == {hidden.pk, read.pk, liked.pk}
    assert listed(carol) == set()


def test_standing_filters_take_three_queries_however_many_filters(alice, carol, wendy):
    works = [post_work(alice, f"Work {n}", freeforms=[f"Tag {n}"]) for n in range(6)]
    actions.update_preferences(carol, hide_read_works=True, hide_kudosed_works=True)
    carol = User.objects.get(pk=carol.pk)
    with CaptureQueriesContext(connection) as few:
        standing_filters(carol)
    for n, each in enumerate(works):
        actions.hide_work(carol, each)
        actions.hide_tags(carol, [f"Tag {n}"])
    with CaptureQueriesContext(connection) as many:
        found = standing_filters(carol)
    assert len(found.work_ids) == len(found.tag_ids) == 6
    assert len(many) == len(few) == 3


def test_listed_for_adds_no_query_of_its_own(alice, carol):
    post_work(alice, "Floofy", freeforms=["Floof"])
    actions.hide_tags(carol, ["Floof"])
    with CaptureQueriesContext(connection) as queries:
        assert list(Work.objects.listed_for(carol)) == []
    assert len(queries) == 1


def test_a_reader_cannot_hide_more_than_the_limit_of_works(alice, carol, monkeypatch):
    monkeypatch.setattr(actions, "MAX_FILTERS", 2)
    first, second, third = (post_work(alice, f"Work {n}") for n in range(3))
    actions.hide_work(carol, first)
    actions.hide_work(carol, second)
    with pytest.raises(ValidationError) as refused:
        actions.hide_work(carol, third)
    assert "You can hide at most 2 works" in refused.value.messages[0]
    actions.hide_work(carol, first)  # hiding again what is hidden is harmless
    assert HiddenWork.objects.filter(user=carol).count() == 2
