"""A tag's page: the works that carry it."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.tags.models import Tag, TagType
from ficarchive.works import actions
from tests.conftest import post_work


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
    with django_assert_max_num_queries(8):
        response = carol_client.get("/tags/Lighthouses/works")
    assert response.status_code == 200
    assert "Tag 2" in response.content.decode()
