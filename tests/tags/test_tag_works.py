"""A tag's page: the works that carry it."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.search.index_keeper import get_index
from ficarchive.tags import actions as tag_actions
from ficarchive.tags.models import Tag, TagType
from ficarchive.works import actions
from tests.conftest import post_work
from tests.tags.conftest import canonical


def test_tag_page_shows_the_tag_and_its_works(client: Client, alice):
    post_work(alice, "Tagged", fandoms=["Lighthouses"])
    post_work(alice, "Untagged", fandoms=["Ships"])
    page = client.get("/tags/Lighthouses/works").content.decode()
    assert "<h1>Lighthouses</h1>" in page
    assert "Tag type: Fandom" in page
    assert "Tagged" in page
    assert "Untagged" not in page


def test_tag_names_are_matched_without_regard_to_case(client: Client, alice):
    post_work(alice, "Tagged", fandoms=["Lighthouses"])
    assert "Tagged" in client.get("/tags/lighthouses/works").content.decode()


def test_tag_with_slash_and_ampersand_has_a_working_page(client: Client, alice):
    work = post_work(alice, "Pairing", relationships=["Keeper/Gull", "Keeper & Gull"])
    slash = Tag.objects.get(name="Keeper/Gull")
    assert slash.get_absolute_url() == "/tags/Keeper*s*Gull/works"
    page = client.get(slash.get_absolute_url()).content.decode()
    assert "<h1>Keeper/Gull</h1>" in page
    assert "Tag type: Relationship" in page
    assert work.title in page
    amp = Tag.objects.get(name="Keeper & Gull")
    assert "<h1>Keeper &amp; Gull</h1>" in client.get(amp.get_absolute_url()).content.decode()


@pytest.mark.parametrize("name", ["x*a*y", "*s*", "Sh*d*w", "F*/*M", "a*.b", "**"])
def test_tag_with_stars_in_its_name_has_a_working_page(name, client: Client, alice):
    work = post_work(alice, "Starred", freeforms=[name])
    url = Tag.objects.get(type=TagType.FREEFORM, name=name).get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["tag"].name == name
    assert work.title in response.content.decode()


def test_work_page_links_its_tags_to_their_pages(client: Client, alice):
    work = post_work(alice, relationships=["Keeper/Gull"], categories=["F/M"])
    page = client.get(f"/works/{work.pk}").content.decode()
    assert 'href="/tags/Keeper*s*Gull/works"' in page
    assert 'href="/tags/F*s*M/works"' in page
    assert client.get("/tags/F*s*M/works").status_code == 200


def test_unknown_tag_is_not_found(client: Client, db):
    assert client.get("/tags/No Such Tag/works").status_code == 404


def test_tag_page_lists_only_works_the_reader_may_see(
    client: Client, carol_client: Client, alice, ada
):
    post_work(alice, "Open", fandoms=["Lighthouses"])
    post_work(alice, "Members Only", fandoms=["Lighthouses"], restricted=True)
    post_work(alice, "Drafting", fandoms=["Lighthouses"], draft=True)
    actions.hide_work(ada, post_work(alice, "Taken Down", fandoms=["Lighthouses"]))
    page = client.get("/tags/Lighthouses/works").content.decode()
    assert "Open" in page
    assert "Members Only" not in page
    assert "Drafting" not in page
    assert "Taken Down" not in page
    assert "Members Only" in carol_client.get("/tags/Lighthouses/works").content.decode()


def test_tag_with_only_hidden_works_says_so(client: Client, alice):
    post_work(alice, "Drafting", fandoms=["Lonely Fandom"], draft=True)
    page = client.get("/tags/Lonely Fandom/works").content.decode()
    assert "No works you can see carry this tag yet." in page


def test_tag_page_is_paginated(client: Client, alice, settings):
    settings.WORKS_PER_PAGE = 3
    for number in range(5):
        post_work(alice, f"Tale {number}", fandoms=["Lighthouses"])
    first = client.get("/tags/Lighthouses/works").content.decode()
    second = client.get("/tags/Lighthouses/works?page=2").content.decode()
    assert first.count('class="blurb"') == 3
    assert second.count('class="blurb"') == 2
    assert "Tale 0" in second
    assert "5 works" in first


def test_name_shared_by_two_tag_types_can_be_told_apart(client: Client, alice):
    post_work(alice, "Category Work", categories=["Other"])
    post_work(alice, "Freeform Work", freeforms=["Other"])
    page = client.get("/tags/Other/works").content.decode()
    assert "Tag type: Category" in page
    assert "Category Work" in page
    assert "Freeform Work" not in page
    assert f'href="/tags/Other/works?type={TagType.FREEFORM}"' in page
    other = client.get(f"/tags/Other/works?type={TagType.FREEFORM}").content.decode()
    assert "Freeform Work" in other
    assert "Category Work" not in other


@pytest.mark.parametrize("count", [3, 15])
def test_tag_page_runs_a_fixed_number_of_queries(
    count, carol_client: Client, alice, django_assert_max_num_queries
):
    for number in range(count):
        post_work(
            alice,
            f"Tale {number}",
            fandoms=["Lighthouses", f"Fandom {number}"],
            freeforms=[f"Tag {number}"],
        )
    get_index()  # built once per machine, not per request
    # The page's own, and the listing's from the index: whether the reader sees works it
    # leaves out, the change log, the reader's standing filters (3), the tags the tag covers.
    with django_assert_max_num_queries(17):
        response = carol_client.get("/tags/Lighthouses/works")
    assert response.status_code == 200
    assert "Tag 2" in response.content.decode()


# --- where the tag stands ----------------------------------------------------------------


def test_a_synonym_page_links_to_its_canonical_tag_and_lists_its_works(
    client: Client, alice, wendy
):
    post_work(alice, "Canon", freeforms=["Fluff"])
    post_work(alice, "Variant", freeforms=["Floof"])
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    tag_actions.make_synonym(wendy, Tag.objects.get(name="Floof"), fluff)
    page = client.get("/tags/Floof/works").content.decode()
    assert "<h1>Floof</h1>" in page
    assert 'Floof is a synonym of <a href="/tags/Fluff/works?type=freeform">Fluff</a>' in page
    assert "Canon" in page
    assert "Variant" in page


def test_a_canonical_tag_page_lists_its_synonyms(client: Client, alice, wendy):
    post_work(alice, "Variant", freeforms=["Floof"])
    fluff = canonical(wendy, TagType.FREEFORM, "Fluff")
    tag_actions.make_synonym(wendy, Tag.objects.get(name="Floof"), fluff)
    page = client.get("/tags/Fluff/works").content.decode()
    assert "This is a canonical tag" in page
    assert "<dt>Synonyms</dt>" in page
    assert 'href="/tags/Floof/works?type=freeform">Floof</a>' in page
    assert "Variant" in page


def test_a_tag_page_links_its_feed_which_follows_the_tag_s_synonyms(client: Client, alice, wendy):
    post_work(alice, "Canon", relationships=["Keeper/Gull"])
    post_work(alice, "Variant", relationships=["Gull/Keeper"])
    ship = canonical(wendy, TagType.RELATIONSHIP, "Keeper/Gull")
    tag_actions.make_synonym(wendy, Tag.objects.get(name="Gull/Keeper"), ship)
    page = client.get(ship.get_absolute_url()).content.decode()
    feed = "/tags/Keeper*s*Gull/feed.atom?type=relationship"
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Works tagged Keeper/Gull" '
        f'href="{feed}">' in page
    )
    assert f'<a href="{feed}" type="application/atom+xml">Feed of new works</a>' in page
    response = client.get(feed)
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<title>Works tagged Keeper/Gull</title>" in body
    assert "<title>Canon</title>" in body
    assert "<title>Variant</title>" in body


def test_an_unwrangled_tag_page_says_so(client: Client, alice):
    post_work(alice, freeforms=["Floof"])
    assert "This tag has not been wrangled yet." in client.get("/tags/Floof/works").content.decode()


def test_a_fandom_page_shows_its_parents_and_sub_fandoms(client: Client, alice, wendy):
    meta = canonical(wendy, TagType.FANDOM, "Sherlock Holmes & Related Fandoms")
    acd = canonical(wendy, TagType.FANDOM, "Sherlock Holmes - Arthur Conan Doyle", fandoms=[meta])
    page = client.get(acd.get_absolute_url()).content.decode()
    assert "<dt>Parent fandoms</dt>" in page
    assert "Sherlock Holmes &amp; Related Fandoms</a>" in page
    meta_page = client.get(meta.get_absolute_url()).content.decode()
    assert "<dt>Sub-fandoms</dt>" in meta_page
    assert "Sherlock Holmes - Arthur Conan Doyle</a>" in meta_page


def test_a_relationship_page_shows_its_fandoms_and_characters(client: Client, wendy):
    fandom = canonical(wendy, TagType.FANDOM, "Greek Mythology")
    hades = canonical(wendy, TagType.CHARACTER, "Hades", fandoms=[fandom])
    persephone = canonical(wendy, TagType.CHARACTER, "Persephone", fandoms=[fandom])
    canonical(
        wendy,
        TagType.RELATIONSHIP,
        "Hades/Persephone",
        fandoms=[fandom],
        characters=[hades, persephone],
    )
    page = client.get("/tags/Hades*s*Persephone/works").content.decode()
    assert "<dt>Fandoms</dt>" in page
    assert "<dt>Characters</dt>" in page
    assert ">Persephone</a>" in page
    character_page = client.get("/tags/Hades/works").content.decode()
    assert "<dt>Relationships</dt>" in character_page
    assert ">Hades/Persephone</a>" in character_page


def test_a_fandom_page_ranks_its_characters_and_relationships_by_works_through_synonyms(
    client: Client, alice, wendy
):
    fandom_name = "Sherlock Holmes - Arthur Conan Doyle"
    post_work(alice, "One", fandoms=[fandom_name], characters=["John Watson"])
    post_work(alice, "Two", fandoms=[fandom_name], characters=["Dr. Watson", "Sherlock Holmes"])
    post_work(alice, "Three", fandoms=[fandom_name], characters=["Dr. Watson", "John Watson"])
    post_work(alice, "Hidden", fandoms=[fandom_name], characters=["John Watson"], restricted=True)
    fandom = canonical(wendy, TagType.FANDOM, fandom_name)
    john = canonical(wendy, TagType.CHARACTER, "John Watson", fandoms=[fandom])
    canonical(wendy, TagType.CHARACTER, "Sherlock Holmes", fandoms=[fandom])
    canonical(wendy, TagType.CHARACTER, "Mrs. Hudson", fandoms=[fandom])
    tag_actions.make_synonym(wendy, Tag.objects.get(name="Dr. Watson"), john)

    page = client.get(fandom.get_absolute_url()).content.decode()
    assert "<h2>Characters and relationships</h2>" in page
    cast = page[page.index('class="list cast"') :]
    rows = cast.split("<tr>")[2:]
    assert ">John Watson</a>" in rows[0] and "<td>3</td>" in rows[0]
    assert ">Sherlock Holmes</a>" in rows[1] and "<td>1</td>" in rows[1]
    assert ">Mrs. Hudson</a>" in rows[2] and "<td>0</td>" in rows[2]


def test_only_wranglers_see_the_wrangling_links(client: Client, carol_client: Client, wendy):
    from tests.conftest import logged_in

    canonical(wendy, TagType.FANDOM, "Dune")
    assert "Wrangle this tag" not in client.get("/tags/Dune/works").content.decode()
    assert "Wrangle this tag" not in carol_client.get("/tags/Dune/works").content.decode()
    page = logged_in(wendy).get("/tags/Dune/works").content.decode()
    assert 'href="/tags/Dune/edit?type=fandom">Wrangle this tag</a>' in page
    assert 'href="/wrangling/fandoms/Dune">Wrangle its tags</a>' in page


@pytest.mark.parametrize("count", [2, 12])
def test_a_fandom_page_runs_a_fixed_number_of_queries(
    count, carol_client: Client, alice, wendy, django_assert_max_num_queries
):
    meta = canonical(wendy, TagType.FANDOM, "Meta")
    fandom = canonical(wendy, TagType.FANDOM, "Lighthouses", fandoms=[meta])
    for number in range(count):
        post_work(alice, f"Tale {number}", fandoms=["Lighthouses"], characters=[f"Keeper {number}"])
        keeper = canonical(wendy, TagType.CHARACTER, f"Keeper {number}", fandoms=[fandom])
        tag_actions.make_synonym(
            wendy, Tag.objects.create(type=TagType.CHARACTER, name=f"K{number}"), keeper
        )
        canonical(wendy, TagType.FANDOM, f"Lighthouses {number}", fandoms=[fandom])
        tag_actions.make_synonym(
            wendy, Tag.objects.create(type=TagType.FANDOM, name=f"LH{number}"), fandom
        )
    get_index()  # built once per machine, not per request
    with django_assert_max_num_queries(20):  # 15, and the listing's 5 (see the test above)
        response = carol_client.get("/tags/Lighthouses/works")
    page = response.content.decode()
    assert f"Keeper {count - 1}" in page
    assert f"Lighthouses {count - 1}" in page
    assert f">LH{count - 1}</a>" in page


TRICKY_NAMES = ["Sam/Dean", "Tea & Sympathy", "*star*", "Dr. Who?", "#1 Fan", "100% Fluff", "Ça va",
                "日本語", "a b+c", "semi;colon", "quote's \"here\"", "back\\slash", "~tilde~",
                "<script>", "a%2Fb", "//lead", "Ünïcödé 🐉"]  # fmt: skip


@pytest.mark.parametrize("prefix", ["/", "/archive/"])
def test_a_tag_s_works_address_is_what_reverse_gives_and_leads_to_the_tag(
    prefix: str, client: Client, alice
) -> None:
    from django.urls import get_script_prefix, reverse, set_script_prefix

    from ficarchive.tags.models import works_address

    was = get_script_prefix()
    set_script_prefix(prefix)
    try:
        for name in TRICKY_NAMES:
            assert works_address(name, prefix) == reverse("tags:works", args=[name])
    finally:
        set_script_prefix(was)
    post_work(alice, "Tagged", freeforms=TRICKY_NAMES)
    for name in TRICKY_NAMES:
        tag = Tag.objects.get(name=name, type=TagType.FREEFORM)
        page = client.get(tag.get_absolute_url())
        assert page.status_code == 200, name
        assert "Tagged" in page.content.decode(), name
