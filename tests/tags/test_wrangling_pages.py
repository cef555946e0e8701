"""The wrangling pages: the home, a fandom's unwrangled tags with bulk actions and suggestions,
one tag's page, and the change log with Undo. Only wranglers get in."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.tags import actions, views
from ficarchive.tags.models import Tag, TagType, WranglingChange
from tests.conftest import post_work
from tests.tags.conftest import canonical, fresh, tag

FANDOM, CHARACTER, RELATIONSHIP, FREEFORM = (
    TagType.FANDOM,
    TagType.CHARACTER,
    TagType.RELATIONSHIP,
    TagType.FREEFORM,
)
PAGES = [
    "/wrangling",
    "/wrangling/fandoms",
    "/wrangling/fandoms/Lighthouses",
    "/tags/Lighthouses/edit",
    "/wrangling/changes",
]


@pytest.fixture
def lighthouses(alice, wendy) -> Tag:
    """A canonical fandom whose works carry unwrangled tags: Lamps (2 works), Gulls (1)."""
    post_work(alice, "First Light", fandoms=["Lighthouses"], freeforms=["Lamps", "Gulls"])
    post_work(alice, "Second Light", fandoms=["Lighthouses"], freeforms=["Lamps"])
    post_work(alice, "Far Away", fandoms=["Ships"], freeforms=["Anchors"])
    return canonical(wendy, FANDOM, "Lighthouses")


# --- who gets in -------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_guests_are_sent_to_log_in(url, client: Client, lighthouses):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


@pytest.mark.parametrize("url", PAGES)
def test_readers_are_forbidden(url, carol_client: Client, lighthouses):
    assert carol_client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_wranglers_and_admins_get_in(url, wendy_client: Client, ada_client: Client, lighthouses):
    assert wendy_client.get(url).status_code == 200
    assert ada_client.get(url).status_code == 200


# --- the home ----------------------------------------------------------------------------


def test_the_home_lists_fandoms_by_unwrangled_tags(wendy_client: Client, lighthouses, wendy):
    canonical(wendy, FANDOM, "Ships")
    canonical(wendy, FANDOM, "Quiet Fandom")
    page = wendy_client.get("/wrangling").content.decode()
    assert page.index("Lighthouses") < page.index("Ships") < page.index("Quiet Fandom")
    row = page[page.index('href="/wrangling/fandoms/Lighthouses"') :]
    assert "<td>2</td>" in row[: row.index("</tr>")]


def test_the_home_counts_tags_on_works_of_the_fandom_s_synonyms(
    wendy_client: Client, lighthouses, alice, wendy
):
    post_work(alice, "Beacon", fandoms=["LH"], freeforms=["Fog"])
    actions.make_synonym(wendy, Tag.objects.get(name="LH"), lighthouses)
    page = wendy_client.get("/wrangling").content.decode()
    row = page[page.index('href="/wrangling/fandoms/Lighthouses"') :]
    assert "<td>3</td>" in row[: row.index("</tr>")]


def test_the_home_says_how_many_fandom_tags_are_unwrangled(wendy_client: Client, lighthouses):
    page = wendy_client.get("/wrangling").content.decode()
    assert "1 fandom tag is not wrangled yet." in page  # Ships


@pytest.mark.parametrize("count", [2, 12])
def test_the_home_runs_a_fixed_number_of_queries(
    count, wendy_client: Client, alice, wendy, django_assert_max_num_queries
):
    for number in range(count):
        post_work(alice, f"Tale {number}", fandoms=[f"Fandom {number}"], freeforms=[f"T{number}"])
        canonical(wendy, FANDOM, f"Fandom {number}")
    # +1 for a staff account: the site switches (two-factor rule), read at most once a second.
    with django_assert_max_num_queries(8):
        page = wendy_client.get("/wrangling").content.decode()
    assert f"Fandom {count - 1}" in page


# --- a fandom's wrangling page -----------------------------------------------------------


def test_a_fandom_page_lists_its_unwrangled_tags_by_use(wendy_client: Client, lighthouses):
    page = wendy_client.get("/wrangling/fandoms/Lighthouses").content.decode()
    assert "<h1>Wrangle Lighthouses</h1>" in page
    assert page.index(">Lamps</label>") < page.index(">Gulls</label>")
    assert "Anchors" not in page


def test_a_fandom_page_includes_its_sub_fandoms_and_leaves_out_wrangled_tags(
    wendy_client: Client, lighthouses, alice, wendy
):
    post_work(alice, "Harbour", fandoms=["Harbour Lights"], freeforms=["Buoys"])
    canonical(wendy, FANDOM, "Harbour Lights", fandoms=[lighthouses])
    canonical(wendy, FREEFORM, "Lamps")
    page = wendy_client.get("/wrangling/fandoms/Lighthouses").content.decode()
    assert ">Buoys</label>" in page
    assert ">Lamps</label>" not in page


def test_a_fandom_page_is_paginated(wendy_client: Client, lighthouses, monkeypatch):
    monkeypatch.setattr(views, "TAGS_PER_WRANGLING_PAGE", 1)
    first = wendy_client.get("/wrangling/fandoms/Lighthouses").content.decode()
    second = wendy_client.get("/wrangling/fandoms/Lighthouses?page=2").content.decode()
    assert ">Lamps</label>" in first
    assert ">Gulls</label>" not in first
    assert ">Gulls</label>" in second


def test_an_unknown_fandom_is_not_found(wendy_client: Client, db):
    assert wendy_client.get("/wrangling/fandoms/Nowhere").status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_a_fandom_page_runs_a_fixed_number_of_queries(
    count, wendy_client: Client, alice, wendy, django_assert_max_num_queries
):
    for number in range(count):
        post_work(
            alice,
            f"Tale {number}",
            fandoms=["Lighthouses"],
            freeforms=[f"T{number}"],
            characters=[f"Keeper {number}"],
            relationships=[f"Keeper {number}/Gull"],
        )
    fandom = canonical(wendy, FANDOM, "Lighthouses")
    canonical(wendy, CHARACTER, "The Keeper", fandoms=[fandom])
    # +1 for a staff account: the site switches (two-factor rule), read at most once a second.
    with django_assert_max_num_queries(15):
        page = wendy_client.get("/wrangling/fandoms/Lighthouses").content.decode()
    assert f">T{count - 1}</label>" in page
    assert f">Keeper {count - 1}/Gull</label>" in page


# --- bulk actions ------------------------------------------------------------------------


def bulk(client: Client, action: str, *tags: Tag, names: str = "", fandom: str = "Lighthouses"):
    data = {"tags": [t.pk for t in tags], "action": action, "names": names}
    return client.post(f"/wrangling/fandoms/{fandom}", data)


def test_a_wrangler_makes_tags_canonical_in_bulk(wendy_client: Client, lighthouses):
    lamps, gulls = Tag.objects.get(name="Lamps"), Tag.objects.get(name="Gulls")
    response = bulk(wendy_client, "canonical", lamps, gulls)
    assert response.status_code == 302
    assert fresh(lamps).canonical
    assert fresh(gulls).canonical
    page = wendy_client.get(response["Location"]).content.decode()
    assert "Made “Lamps” canonical." in page
    assert "Nothing to wrangle here" in page


def test_a_wrangler_makes_a_synonym_and_the_canonical_page_lists_the_work(
    wendy_client: Client, client: Client, lighthouses, wendy
):
    canonical(wendy, FREEFORM, "Lanterns")
    lamps = Tag.objects.get(name="Lamps")
    assert bulk(wendy_client, "synonym", lamps, names="lanterns").status_code == 302
    assert fresh(lamps).synonym_of == Tag.objects.get(name="Lanterns")
    page = client.get("/tags/Lanterns/works").content.decode()
    assert "First Light" in page
    assert "Second Light" in page


def test_a_wrangler_sets_fandoms_and_characters_in_bulk(
    wendy_client: Client, lighthouses, alice, wendy
):
    post_work(alice, "Keepers", fandoms=["Lighthouses"], relationships=["Keeper/Gull"])
    keeper = canonical(wendy, CHARACTER, "The Keeper")
    gull = canonical(wendy, CHARACTER, "The Gull")
    ship = Tag.objects.get(name="Keeper/Gull")
    assert bulk(wendy_client, "fandoms", ship, names="Lighthouses").status_code == 302
    assert bulk(wendy_client, "characters", ship, names="The Keeper, The Gull").status_code == 302
    assert list(fresh(ship).parents.all()) == [lighthouses]
    assert set(ship.characters.all()) == {keeper, gull}


def test_a_bad_bulk_action_names_the_problem_and_changes_nothing(wendy_client: Client, lighthouses):
    lamps, gulls = Tag.objects.get(name="Lamps"), Tag.objects.get(name="Gulls")
    response = bulk(wendy_client, "synonym", lamps, gulls, names="Lanterns")
    assert response.status_code == 400
    assert "There is no additional tag named “Lanterns”." in response.content.decode()
    assert not fresh(lamps).is_wrangled
    assert not fresh(gulls).is_wrangled
    assert f'value="{lamps.pk}" id="tag-{lamps.pk}" checked' in response.content.decode()


@pytest.mark.parametrize(
    ("action", "names", "message"),
    [
        ("synonym", "", "Name exactly one canonical tag."),
        ("synonym", "A, B", "Name exactly one canonical tag."),
        ("fandoms", "", "Name at least one tag."),
        ("explode", "", "Select a valid choice."),
    ],
)
def test_bulk_input_is_checked_field_by_field(
    action, names, message, wendy_client: Client, lighthouses
):
    lamps = Tag.objects.get(name="Lamps")
    response = bulk(wendy_client, action, lamps, names=names)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not fresh(lamps).is_wrangled


def test_a_bulk_action_needs_a_chosen_tag(wendy_client: Client, lighthouses):
    response = bulk(wendy_client, "canonical")
    assert response.status_code == 400
    assert "Choose at least one tag." in response.content.decode()


def test_a_refused_wrangling_rule_is_shown(wendy_client: Client, lighthouses, wendy):
    canonical(wendy, FREEFORM, "Lanterns")
    actions.make_synonym(wendy, tag(FREEFORM, "Lights"), Tag.objects.get(name="Lanterns"))
    response = bulk(wendy_client, "synonym", Tag.objects.get(name="Lamps"), names="Lights")
    assert response.status_code == 400
    assert "“Lights” is itself a synonym of “Lanterns”" in response.content.decode()


def test_readers_cannot_post_bulk_actions(carol_client: Client, client: Client, lighthouses):
    lamps = Tag.objects.get(name="Lamps")
    assert bulk(carol_client, "canonical", lamps).status_code == 403
    assert bulk(client, "canonical", lamps).status_code == 302
    assert not fresh(lamps).is_wrangled


def test_a_forged_bulk_post_is_refused(wendy, lighthouses):
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(wendy)
    lamps = Tag.objects.get(name="Lamps")
    assert bulk(forger, "canonical", lamps).status_code == 403
    assert not fresh(lamps).is_wrangled


# --- suggestions -------------------------------------------------------------------------


@pytest.fixture
def drarry(alice, wendy) -> Tag:
    """A ship name on a Harry Potter work, posted before its canonical relationship existed."""
    post_work(alice, "Enemies", fandoms=["Harry Potter"], relationships=["Drarry"])
    hp = canonical(wendy, FANDOM, "Harry Potter")
    harry = canonical(wendy, CHARACTER, "Harry Potter", fandoms=[hp])
    draco = canonical(wendy, CHARACTER, "Draco Malfoy", fandoms=[hp])
    canonical(
        wendy,
        RELATIONSHIP,
        "Draco Malfoy/Harry Potter",
        fandoms=[hp],
        characters=[draco, harry],
    )
    return Tag.objects.get(name="Drarry")


def accept(client: Client, tag: Tag, name: str, fandom: Tag | None = None):
    data = {"suggestion": f"{tag.pk}:{name}"}
    if fandom is not None:
        data["fandom"] = str(fandom.pk)
    return client.post("/wrangling/suggestions/accept", data)


def test_a_fandom_page_shows_suggestions_with_an_accept_button(wendy_client: Client, drarry):
    page = wendy_client.get("/wrangling/fandoms/Harry Potter").content.decode()
    assert "Draco Malfoy/Harry Potter" in page
    assert "Ship name" in page
    assert f'name="suggestion" value="{drarry.pk}:Draco Malfoy/Harry Potter"' in page


def test_accepting_a_suggestion_makes_the_synonym(wendy_client: Client, client: Client, drarry):
    hp = Tag.objects.get(type=FANDOM, name="Harry Potter")
    response = accept(wendy_client, drarry, "Draco Malfoy/Harry Potter", hp)
    assert response.status_code == 302
    assert response["Location"] == "/wrangling/fandoms/Harry%20Potter"
    assert fresh(drarry).synonym_of == Tag.objects.get(name="Draco Malfoy/Harry Potter")
    assert "Enemies" in client.get("/tags/Draco Malfoy*s*Harry Potter/works").content.decode()


def test_a_suggestion_that_no_longer_applies_is_refused(wendy_client: Client, drarry):
    response = accept(wendy_client, drarry, "Ron Weasley/Hermione Granger")
    assert response.status_code == 302
    page = wendy_client.get(response["Location"]).content.decode()
    assert "“Ron Weasley/Hermione Granger” is not suggested for “Drarry” any more." in page
    assert not fresh(drarry).is_wrangled


def test_accepting_needs_a_post_from_a_wrangler_with_a_token(
    wendy, wendy_client: Client, carol_client: Client, drarry
):
    assert wendy_client.get("/wrangling/suggestions/accept").status_code == 405
    assert accept(carol_client, drarry, "Draco Malfoy/Harry Potter").status_code == 403
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(wendy)
    assert accept(forger, drarry, "Draco Malfoy/Harry Potter").status_code == 403
    assert (
        wendy_client.post("/wrangling/suggestions/accept", {"suggestion": "x"}).status_code == 400
    )
    assert not fresh(drarry).is_wrangled


@pytest.fixture
def todorokis(alice, wendy) -> Tag:
    """Short forms on a work posted before its fandom's characters were canonical."""
    post_work(
        alice, "Ice and Fire", fandoms=["My Hero Academia"], characters=["Shouto", "Todoroki"]
    )
    bnha = canonical(wendy, FANDOM, "My Hero Academia")
    canonical(wendy, CHARACTER, "Todoroki Shouto", fandoms=[bnha])
    canonical(wendy, CHARACTER, "Todoroki Enji", fandoms=[bnha])
    return bnha


def test_a_short_form_is_suggested_and_accepted_with_one_click(
    wendy_client: Client, client: Client, todorokis
):
    shouto = Tag.objects.get(type=CHARACTER, name="Shouto")
    page = wendy_client.get("/wrangling/fandoms/My Hero Academia").content.decode()
    assert "“Shouto” is part of the name Todoroki Shouto." in page
    assert f'name="suggestion" value="{shouto.pk}:Todoroki Shouto"' in page
    response = accept(wendy_client, shouto, "Todoroki Shouto", todorokis)
    assert response.status_code == 302
    assert fresh(shouto).synonym_of == Tag.objects.get(type=CHARACTER, name="Todoroki Shouto")
    assert "Ice and Fire" in client.get("/tags/Todoroki Shouto/works").content.decode()
    after = wendy_client.get(response["Location"]).content.decode()
    assert "Made “Shouto” a synonym of “Todoroki Shouto”." in after


def test_an_ambiguous_short_form_stays_listed_with_every_candidate(wendy_client: Client, todorokis):
    todoroki = Tag.objects.get(type=CHARACTER, name="Todoroki")
    assert not todoroki.is_wrangled
    page = wendy_client.get("/wrangling/fandoms/My Hero Academia").content.decode()
    assert f'name="suggestion" value="{todoroki.pk}:Todoroki Enji"' in page
    assert f'name="suggestion" value="{todoroki.pk}:Todoroki Shouto"' in page


def test_hostile_tag_names_are_shown_as_text_on_every_wrangling_page(
    alice, wendy, wendy_client: Client
):
    hostile = '<script>alert("x")</script>'
    post_work(alice, "Trap", fandoms=["Lighthouses"], freeforms=[hostile])
    lighthouses = canonical(wendy, FANDOM, "Lighthouses")
    trap = Tag.objects.get(type=FREEFORM, name=hostile)
    listed = wendy_client.get("/wrangling/fandoms/Lighthouses").content.decode()
    data = {"tags": [trap.pk], "action": "fandoms", "names": "Lighthouses"}
    done = wendy_client.post("/wrangling/fandoms/Lighthouses", data, follow=True)
    assert list(fresh(trap).parents.all()) == [lighthouses]
    pages = [
        listed,
        done.content.decode(),
        wendy_client.get(f"{trap.get_absolute_url()}").content.decode(),
        wendy_client.get('/tags/<script>alert("x")<*s*script>/edit').content.decode(),
        wendy_client.get("/wrangling/changes").content.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# --- one tag -----------------------------------------------------------------------------


def test_a_wrangler_merges_one_tag_into_another(wendy_client: Client, wendy, db):
    lamps = canonical(wendy, FREEFORM, "Lamps")
    floof = tag(FREEFORM, "Lampz")
    actions.make_synonym(wendy, floof, lamps)
    lanterns = canonical(wendy, FREEFORM, "Lanterns")
    response = wendy_client.post(
        "/tags/Lamps/edit?type=freeform", {"action": "merge", "names": "Lanterns"}
    )
    assert response.status_code == 302
    assert fresh(lamps).synonym_of == lanterns
    assert fresh(floof).synonym_of == lanterns
    page = wendy_client.get(response["Location"]).content.decode()
    assert "Merged “Lamps” into “Lanterns”" in page
    assert "Lamps is a synonym of" in page


def test_a_wrangler_unwrangles_one_tag(wendy_client: Client, wendy, db):
    lamps = canonical(wendy, FREEFORM, "Lamps")
    wendy_client.post("/tags/Lamps/edit", {"action": "unwrangle", "names": ""})
    assert not fresh(lamps).is_wrangled


def test_a_refused_edit_is_shown_and_changes_nothing(wendy_client: Client, wendy, db):
    canonical(wendy, FANDOM, "A")
    canonical(wendy, FANDOM, "B", fandoms=[Tag.objects.get(name="A")])
    response = wendy_client.post("/tags/A/edit", {"action": "fandoms", "names": "B"})
    assert response.status_code == 400
    assert "would make a cycle, A → B → A" in response.content.decode()
    assert not Tag.objects.get(name="A").parents.exists()


def test_fixed_tags_have_no_wrangling_form(wendy_client: Client, db):
    page = wendy_client.get("/tags/Explicit/edit").content.decode()
    assert "fixed and cannot be wrangled" in page
    assert '<form method="post">' not in page
    response = wendy_client.post("/tags/Explicit/edit", {"action": "unwrangle", "names": ""})
    assert response.status_code == 400
    assert Tag.objects.get(name="Explicit").canonical


def test_a_forged_edit_is_refused(wendy, db):
    lamps = tag(FREEFORM, "Lamps")
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(wendy)
    response = forger.post("/tags/Lamps/edit", {"action": "canonical", "names": ""})
    assert response.status_code == 403
    assert not fresh(lamps).canonical


# --- the change log ----------------------------------------------------------------------


def test_the_change_log_lists_changes_newest_first_with_who(wendy_client: Client, wendy, db):
    lamps = canonical(wendy, FREEFORM, "Lamps")
    actions.make_synonym(wendy, tag(FREEFORM, "Lampz"), lamps)
    page = wendy_client.get("/wrangling/changes").content.decode()
    assert page.index("Made “Lampz” a synonym of “Lamps”.") < page.index("Made “Lamps” canonical.")
    assert "<td>wendy</td>" in page
    assert page.count(">Undo</button>") == 2


def test_undo_from_the_change_log_restores_the_tag(wendy_client: Client, wendy, db):
    lamps = canonical(wendy, FREEFORM, "Lamps")
    change = actions.make_synonym(wendy, tag(FREEFORM, "Lampz"), lamps)
    response = wendy_client.post(f"/wrangling/changes/{change.pk}/undo")
    assert response.status_code == 302
    assert not Tag.objects.get(name="Lampz").is_wrangled
    page = wendy_client.get("/wrangling/changes").content.decode()
    assert "Undid: Made “Lampz” a synonym of “Lamps”." in page
    assert "Undone " in page


def test_an_undo_that_would_break_a_later_change_is_refused(wendy_client: Client, wendy, db):
    made = actions.make_canonical(wendy, tag(FREEFORM, "Lamps"))
    actions.make_synonym(wendy, tag(FREEFORM, "Lampz"), Tag.objects.get(name="Lamps"))
    response = wendy_client.post(f"/wrangling/changes/{made.pk}/undo")
    assert response.status_code == 400
    assert "“Lamps” has synonyms" in response.content.decode()
    assert Tag.objects.get(name="Lamps").canonical


def test_undo_needs_a_post_from_a_wrangler_with_a_token(
    wendy, wendy_client: Client, carol_client: Client, db
):
    change = actions.make_canonical(wendy, tag(FREEFORM, "Lamps"))
    url = f"/wrangling/changes/{change.pk}/undo"
    assert wendy_client.get(url).status_code == 405
    assert carol_client.post(url).status_code == 403
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(wendy)
    assert forger.post(url).status_code == 403
    assert wendy_client.post("/wrangling/changes/999999/undo").status_code == 404
    assert fresh(change).undone_at is None


@pytest.mark.parametrize("count", [2, 12])
def test_the_change_log_runs_a_fixed_number_of_queries(
    count, wendy_client: Client, wendy, django_assert_max_num_queries
):
    for number in range(count):
        actions.make_canonical(wendy, tag(FREEFORM, f"T{number}"))
    # +1 for a staff account: the site switches (two-factor rule), read at most once a second.
    with django_assert_max_num_queries(7):
        page = wendy_client.get("/wrangling/changes").content.decode()
    assert f"Made “T{count - 1}” canonical." in page
    assert WranglingChange.objects.count() == count


# --- unwrangled fandoms ------------------------------------------------------------------


def test_unwrangled_fandoms_can_be_made_canonical(wendy_client: Client, lighthouses, wendy):
    page = wendy_client.get("/wrangling/fandoms").content.decode()
    assert ">Ships</label>" in page
    assert ">Lighthouses</label>" not in page
    ships = Tag.objects.get(type=FANDOM, name="Ships")
    response = wendy_client.post(
        "/wrangling/fandoms", {"tags": [ships.pk], "action": "fandoms", "names": "Lighthouses"}
    )
    assert response.status_code == 302
    assert list(fresh(ships).parents.all()) == [lighthouses]
    wendy_client.post("/wrangling/fandoms", {"tags": [ships.pk], "action": "canonical"})
    assert fresh(ships).canonical
