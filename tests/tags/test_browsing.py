"""The Fandoms pages: `/media`, a media type's fandoms A-Z, and a fandom's page, counted by the
search index as the reader may see; and the media type wranglers and tags files set."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ficarchive.search.index_keeper import get_index
from ficarchive.tags import actions as tag_actions
from ficarchive.tags.browsing import LETTERS_APART_OVER
from ficarchive.tags.csvfile import dump_tags
from ficarchive.tags.models import MediaType, Tag, TagType
from ficarchive.works import actions
from tests.conftest import post_work
from tests.tags.conftest import canonical, fresh, tag


@pytest.fixture
def lighthouses(alice, ada, wendy) -> Tag:
    """A canonical TV fandom with an open work, a restricted one, a draft and a hidden one."""
    fandom = canonical(wendy, TagType.FANDOM, "Lighthouses")
    tag_actions.set_media(wendy, fandom, MediaType.TV)
    post_work(
        alice,
        "Open",
        fandoms=["Lighthouses"],
        characters=["The Keeper"],
        relationships=["The Keeper/The Gull"],
        freeforms=["Fog"],
    )
    post_work(
        alice,
        "Members Only",
        fandoms=["Lighthouses"],
        characters=["Secret Sailor"],
        restricted=True,
    )
    post_work(alice, "Drafting", fandoms=["Lighthouses"], characters=["Draft Diver"], draft=True)
    hidden = post_work(alice, "Taken Down", fandoms=["Lighthouses"], characters=["Hidden Hand"])
    actions.hide_work(ada, hidden)
    return fresh(fandom)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_guest_sees_the_media_types_and_their_top_fandoms(client: Client, lighthouses):
    shown = page(client, "/media")
    for media in MediaType:
        assert media.label.replace("&", "&amp;") in shown
    assert 'href="/media/tv-shows/fandoms"' in shown
    assert 'href="/fandoms/Lighthouses"' in shown
    assert "Lighthouses</a> (1)" in shown  # only the open work, for a guest
    assert 'href="/media"' in page(client, "/works/search")  # the site navigation


def test_a_type_page_counts_what_the_reader_may_see(
    client: Client, carol_client: Client, lighthouses
):
    assert "1 work</a>" in page(client, "/media/tv-shows/fandoms")
    # A signed-in reader also counts the restricted work; nobody counts drafts or hidden works.
    assert "2 works</a>" in page(carol_client, "/media/tv-shows/fandoms")
    assert 'href="/tags/Lighthouses/works"' in page(client, "/media/tv-shows/fandoms")
    assert "Lighthouses" not in page(client, "/media/movies/fandoms")


def test_an_unknown_media_type_is_not_found(client: Client, db):
    assert client.get("/media/radio-plays/fandoms").status_code == 404


def test_fandoms_without_works_to_see_are_left_out(client: Client, alice, wendy):
    canonical(wendy, TagType.FANDOM, "Empty Fandom")
    post_work(alice, "Secret", fandoms=["Only Restricted"], restricted=True)
    canonical(wendy, TagType.FANDOM, "Only Restricted")
    shown = page(client, "/media/uncategorized/fandoms")
    assert "Empty Fandom" not in shown
    assert "Only Restricted" not in shown
    assert "No Uncategorized fandom has works you may see yet." in shown


def test_a_fandom_page_shows_its_top_tags_as_the_reader_may_see(
    client: Client, carol_client: Client, lighthouses
):
    shown = page(client, "/fandoms/Lighthouses")
    assert "The Keeper" in shown
    assert "The Keeper/The Gull" in shown
    assert "Fog" in shown
    assert 'href="/works/search?include=Lighthouses&amp;include=The+Keeper"' in shown
    assert "Secret Sailor" not in shown
    assert "Draft Diver" not in shown
    assert "Hidden Hand" not in shown
    signed_in = page(carol_client, "/fandoms/Lighthouses")
    assert "Secret Sailor" in signed_in
    assert "Draft Diver" not in signed_in
    assert "Hidden Hand" not in signed_in
    assert "TV Shows" in shown


def test_a_synonym_fandom_page_leads_to_its_canonical_fandom(client: Client, lighthouses, wendy):
    tag_actions.make_synonym(wendy, tag(TagType.FANDOM, "LH"), lighthouses)
    response = client.get("/fandoms/LH")
    assert response.status_code == 302
    assert response["Location"] == "/fandoms/Lighthouses"
    assert client.get("/fandoms/Nothing Here").status_code == 404


def test_hostile_fandom_names_are_escaped(client: Client, alice, wendy):
    name = "<script>alert(1)</script>"
    post_work(alice, "Hostile", fandoms=[name], characters=["<b>Bold</b>"])
    canonical(wendy, TagType.FANDOM, name)
    fandom_page = reverse("tags:fandom", args=[name])
    for url in ["/media", "/media/uncategorized/fandoms", fandom_page]:
        shown = page(client, url)
        assert "<script>alert" not in shown
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "<b>Bold</b>" not in page(client, fandom_page)


def test_fandoms_are_grouped_by_letter(client: Client, alice, wendy):
    for name in ["banana Fandom", "Apple Fandom", "42 Fandom", "Ápfel Fandom"]:
        post_work(alice, name, fandoms=[name])
        canonical(wendy, TagType.FANDOM, name)
    shown = page(client, "/media/uncategorized/fandoms")
    headings = [">#</h2>", ">A</h2>", ">B</h2>", ">Á</h2>"]
    positions = [shown.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert shown.index("Apple Fandom") < shown.index("banana Fandom")
    assert 'href="#letter-2">A</a>' in shown


def test_a_type_with_many_fandoms_shows_one_letter_at_a_time(
    client: Client, alice, wendy, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr("ficarchive.tags.views_browsing.LETTERS_APART_OVER", 3)
    names = ["Alder", "Aspen", "Birch", "Beech", "Cedar"]
    for name in names:
        canonical(wendy, TagType.FANDOM, name)
    post_work(alice, "Forest", fandoms=names)
    get_index()  # built once; what follows is the page's own work
    client.get("/media/uncategorized/fandoms")
    with django_assert_max_num_queries(8):
        first = page(client, "/media/uncategorized/fandoms")
    assert "Alder" in first and "Aspen" in first and "Birch" not in first
    assert 'href="?letter=B"' in first
    second = page(client, "/media/uncategorized/fandoms?letter=B")
    assert "Birch" in second and "Beech" in second and "Alder" not in second
    assert LETTERS_APART_OVER >= 100  # the real threshold keeps small types on one page


def test_a_type_page_with_many_fandoms_takes_few_queries(
    client: Client, alice, wendy, django_assert_max_num_queries
):
    names = [f"Fandom {number:03}" for number in range(120)]
    Tag.objects.bulk_create(
        [Tag(type=TagType.FANDOM, name=name, canonical=True, media="movies") for name in names]
    )
    for start in range(0, len(names), 40):
        post_work(alice, f"Crossover {start}", fandoms=names[start : start + 40])
    page(client, "/media/movies/fandoms")
    with django_assert_max_num_queries(8):
        shown = page(client, "/media/movies/fandoms")
    assert shown.count("1 work</a>") == 120
    with django_assert_max_num_queries(8):
        page(client, "/media")


# --- wrangling -----------------------------------------------------------------------------


def test_a_wrangler_sets_a_fandoms_media_type(wendy_client: Client, wendy, client: Client, alice):
    fandom = canonical(wendy, TagType.FANDOM, "Lighthouses")
    post_work(alice, "Open", fandoms=["Lighthouses"])
    edit = page(wendy_client, "/tags/Lighthouses/edit")
    assert 'action="/tags/Lighthouses/media"' in edit
    assert 'name="media_type"' in edit
    response = wendy_client.post("/tags/Lighthouses/media", {"media_type": "video-games"})
    assert response.status_code == 302
    assert fresh(fandom).media == MediaType.VIDEO_GAMES
    assert "Lighthouses" in page(client, "/media/video-games/fandoms")
    assert wendy_client.post("/tags/Lighthouses/media", {"media_type": "radio"}).status_code == 400
    assert fresh(fandom).media == MediaType.VIDEO_GAMES


def test_ordinary_users_and_forgers_cannot_set_a_media_type(
    carol_client: Client, client: Client, wendy
):
    fandom = canonical(wendy, TagType.FANDOM, "Lighthouses")
    assert carol_client.post("/tags/Lighthouses/media", {"media_type": "movies"}).status_code == 403
    assert client.post("/tags/Lighthouses/media", {"media_type": "movies"}).status_code == 302
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(wendy)
    assert forger.post("/tags/Lighthouses/media", {"media_type": "movies"}).status_code == 403
    assert fresh(fandom).media == MediaType.UNCATEGORIZED


def test_only_a_canonical_fandom_has_a_media_type(wendy_client: Client, wendy):
    canonical(wendy, TagType.FANDOM, "Lighthouses")
    tag_actions.make_synonym(wendy, tag(TagType.FANDOM, "LH"), Tag.objects.get(name="Lighthouses"))
    wendy_client.post("/tags/LH/media", {"media_type": "movies"})
    assert Tag.objects.get(name="LH").media == MediaType.UNCATEGORIZED


# --- tags files ------------------------------------------------------------------------------

HEADER = "type,name,canonical,synonym_of,fandoms,characters,media\n"


def test_the_media_column_round_trips(db):
    tag_actions.load_tags(
        (
            HEADER
            + "fandom,Lighthouses,true,,,,TV Shows\n"
            + "fandom,Sea Shanties,true,,,,music-bands\n"
            + "fandom,Plain,true,,,,\n"
            + "character,The Keeper,true,,Lighthouses,,\n"
        ).encode(),
        "tags.csv",
    )
    assert Tag.objects.get(name="Lighthouses").media == MediaType.TV
    assert Tag.objects.get(name="Plain").media == MediaType.UNCATEGORIZED
    dumped = dump_tags()
    assert dumped.startswith(HEADER)
    assert "fandom,Lighthouses,true,,,,tv-shows\n" in dumped
    assert "fandom,Sea Shanties,true,,,,music-bands\n" in dumped
    assert tag_actions.load_tags(dumped.encode(), "again.csv").changed == 0
    changed = dumped.replace("Sea Shanties,true,,,,music-bands", "Sea Shanties,true,,,,theater")
    assert tag_actions.load_tags(changed.encode(), "changed.csv").changed == 1
    assert Tag.objects.get(name="Sea Shanties").media == MediaType.THEATER


def test_a_bad_media_type_is_reported_by_row(db):
    from django.core.exceptions import ValidationError

    text = HEADER + "fandom,Lighthouses,true,,,,Radio\nfreeform,Fog,true,,,,movies\n"
    with pytest.raises(ValidationError) as caught:
        tag_actions.load_tags(text.encode(), "tags.csv")
    assert caught.value.messages == [
        "tags.csv line 2: unknown media type “Radio”; use one of anime-manga, books-literature, "
        "cartoons-comics, celebrities-real-people, movies, music-bands, other-media, theater, "
        "tv-shows, video-games, uncategorized.",
        "tags.csv line 3: media “movies” is for fandoms only; leave it empty on a freeform row.",
    ]
    assert not Tag.objects.filter(name="Lighthouses").exists()


def test_counts_follow_new_and_hidden_works_at_once(client: Client, lighthouses, alice, ada):
    assert "1 work</a>" in page(client, "/media/tv-shows/fandoms")
    second = post_work(alice, "Second Light", fandoms=["Lighthouses"])
    assert "2 works</a>" in page(client, "/media/tv-shows/fandoms")
    actions.hide_work(ada, second)
    assert "1 work</a>" in page(client, "/media/tv-shows/fandoms")


@pytest.mark.parametrize("name", ["Tom & Jerry", "A/B Fandom", "Stars*Here", "Why? Because #1"])
def test_the_lists_link_the_addresses_django_reverses(client: Client, alice, wendy, name):
    post_work(alice, "Named", fandoms=[name])
    canonical(wendy, TagType.FANDOM, name)
    for url in ["/media", "/media/uncategorized/fandoms"]:
        shown = page(client, url)
        assert f'href="{escape(reverse("tags:fandom", args=[name]))}"' in shown
    shown = page(client, "/media/uncategorized/fandoms")
    assert f'href="{escape(reverse("tags:works", args=[name]))}"' in shown
    assert ">1 work</a>" in page(client, reverse("tags:fandom", args=[name]))
    assert client.get(reverse("tags:works", args=[name])).status_code == 200


def test_counts_that_cost_much_to_make_may_lag_behind_changes_for_a_while(
    client: Client, lighthouses, alice, monkeypatch: pytest.MonkeyPatch
):
    from ficarchive.search import browsing

    monkeypatch.setattr(browsing, "SLOW_COUNT", -1.0)  # every count is a slow one here
    monkeypatch.setattr(browsing, "LAG_FACTOR", 10**9)
    assert "Lighthouses</a> (1)" in page(client, "/media")
    post_work(alice, "Second Light", fandoms=["Lighthouses"])
    assert "Lighthouses</a> (1)" in page(client, "/media")  # kept: the archive is "big"
    monkeypatch.setattr(browsing, "LAG_FACTOR", 0)  # its time is up
    assert "Lighthouses</a> (2)" in page(client, "/media")


def test_a_process_reads_the_counts_another_process_made(
    client: Client, lighthouses, alice, monkeypatch: pytest.MonkeyPatch
):
    from ficarchive.search import browsing

    monkeypatch.setattr(browsing, "SLOW_COUNT", -1.0)
    monkeypatch.setattr(browsing, "LAG_FACTOR", 10**9)
    assert "Lighthouses</a> (1)" in page(client, "/media")
    post_work(alice, "Second Light", fandoms=["Lighthouses"])
    browsing._kept.clear()  # a process that has counted nothing itself
    assert "Lighthouses</a> (1)" in page(client, "/media"), "the shared counts, lag and all"
    monkeypatch.setattr(browsing, "LAG_FACTOR", 0)
    browsing._kept.clear()
    assert "Lighthouses</a> (2)" in page(client, "/media")
