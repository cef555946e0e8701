"""A series page: its details and the parts the reader may see, in order."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.works import actions
from tests.conftest import logged_in, post_work


@pytest.fixture
def series(alice):
    series = actions.create_series(
        alice, "The Keeper Cycle", summary="Stories of the lamp.", notes="Read in order."
    )
    for title in ("Part One", "Part Two", "Part Three"):
        actions.add_work_to_series(alice, post_work(alice, title), series)
    return series


def test_series_page_shows_its_details_and_parts_in_order(client: Client, series):
    page = client.get(f"/series/{series.pk}").content.decode()
    assert '<h1 class="heading">The Keeper Cycle</h1>' in page
    assert ">alice</a>" in page
    assert "Stories of the lamp." in page
    assert "Read in order." in page
    assert 'Complete:</dt><dd class="complete">No</dd>' in page
    order = ["Part 1", "Part One", "Part 2", "Part Two", "Part 3", "Part Three"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)


def test_series_page_says_when_the_series_is_complete(client: Client, series, alice):
    actions.update_series(alice, series, series.title, "", "", is_complete=True)
    assert (
        'Complete:</dt><dd class="complete">Yes</dd>'
        in client.get(f"/series/{series.pk}").content.decode()
    )


def test_series_page_leaves_out_parts_the_reader_cannot_see(
    client: Client, carol_client: Client, series, alice, ada
):
    actions.add_work_to_series(alice, post_work(alice, "Members Only", restricted=True), series)
    actions.add_work_to_series(alice, post_work(alice, "Still Drafting", draft=True), series)
    actions.hide_work(ada, series.parts.get(position=2).work)
    guest_page = client.get(f"/series/{series.pk}").content.decode()
    assert "Part One" in guest_page
    assert "Part Two" not in guest_page
    assert "Members Only" not in guest_page
    assert "Still Drafting" not in guest_page
    assert 'Works:</dt><dd class="works">2</dd>' in guest_page
    assert "Members Only" in carol_client.get(f"/series/{series.pk}").content.decode()


def test_series_with_no_visible_parts_is_not_found(client: Client, alice):
    series = actions.create_series(alice, "Secret Series")
    actions.add_work_to_series(alice, post_work(alice, "Draft", draft=True), series)
    actions.add_work_to_series(alice, post_work(alice, "Members", restricted=True), series)
    assert client.get(f"/series/{series.pk}").status_code == 404


def test_unknown_series_is_not_found(client: Client, db):
    assert client.get("/series/999").status_code == 404


def test_series_page_is_paginated(client: Client, alice, settings):
    settings.WORKS_PER_PAGE = 2
    series = actions.create_series(alice, "Long Cycle")
    for number in range(1, 6):
        actions.add_work_to_series(alice, post_work(alice, f"Volume {number}"), series)
    page = client.get(f"/series/{series.pk}?page=3").content.decode()
    assert "Volume 5" in page
    assert "Volume 1" not in page


@pytest.mark.parametrize("count", [3, 15])
def test_series_page_runs_a_fixed_number_of_queries(
    count, client: Client, alice, django_assert_max_num_queries
):
    series = actions.create_series(alice, "Cycle")
    for number in range(count):
        work = post_work(alice, f"Volume {number}", characters=[f"Character {number}"])
        actions.add_work_to_series(alice, work, series)
    with django_assert_max_num_queries(10):  # 9, and the site switches (once a second)
        response = client.get(f"/series/{series.pk}")
    assert response.status_code == 200


def test_an_empty_series_shows_only_to_its_creator(client, alice, carol):
    from ficarchive.works import actions as work_actions
    from tests.conftest import logged_in

    series = work_actions.create_series(alice, "Not Yet Begun")
    url = f"/series/{series.pk}"
    assert client.get(url).status_code == 404
    assert logged_in(carol).get(url).status_code == 404
    page = logged_in(alice).get(url)
    assert page.status_code == 200
    assert "No works in this series yet." in page.content.decode()


def test_series_creators_get_a_link_to_edit_it_and_readers_do_not(client, alice, carol, series):
    edit = f'href="/series/{series.pk}/edit"'
    assert edit in logged_in(alice).get(f"/series/{series.pk}").content.decode()
    for reader in (client, logged_in(carol)):
        assert edit not in reader.get(f"/series/{series.pk}").content.decode()


def test_an_authors_series_list_offers_a_new_series_only_to_the_author(
    client, alice, carol, series
):
    new = 'href="/series/new"'
    assert new in logged_in(alice).get("/users/alice/series").content.decode()
    for reader in (client, logged_in(carol)):
        assert new not in reader.get("/users/alice/series").content.decode()
