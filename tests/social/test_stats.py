"""A creator's stats page: per-work totals and a chart over the last days."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.social import actions
from tests.conftest import logged_in, post_work


def test_creator_sees_totals_per_work_and_a_chart(alice, bob, carol, work):
    other = post_work(alice, "Second Work")
    actions.give_kudos(carol, work)
    actions.give_kudos(bob, work)
    actions.post_comment(carol, work, "Nice.")
    actions.save_bookmark(carol, actions.BookmarkDetails(), work=other)
    actions.subscribe(carol, work=work)
    Client().get(f"/works/{work.pk}")
    page = logged_in(alice).get("/stats").content.decode()
    row = page.split(f'href="/works/{work.pk}">The Lighthouse Keeper</a>')[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:]] == [
        "5",
        "1",
        "2",
        "1",
        "0",
        "1",
    ]
    assert "Second Work" in page
    assert '<svg class="chart" role="img"' in page
    assert "Totals: hits: 1, kudos: 2, comments: 1, bookmarks: 1, subscriptions: 1." in page


def test_creator_charts_one_work_over_time(alice, carol, work):
    other = post_work(alice, "Second Work")
    actions.give_kudos(carol, work)
    actions.give_kudos(carol, other)
    actions.subscribe(carol, work=other)
    client = logged_in(alice)
    assert f'href="/stats?work={other.pk}"' in client.get("/stats").content.decode()
    page = client.get(f"/stats?work={other.pk}").content.decode()
    assert "“Second Work”, the last 30 days" in page
    assert "Totals: hits: 0, kudos: 1, comments: 0, bookmarks: 0, subscriptions: 1." in page
    assert "Chart all your works" in page


def test_nobody_charts_someone_elses_work(bob, work):
    client = logged_in(bob)
    assert client.get(f"/stats?work={work.pk}").status_code == 404
    assert client.get("/stats?work=nonsense").status_code == 404


def test_stats_show_only_your_own_works(bob, work):
    post_work(bob, "Bob's Own")
    page = logged_in(bob).get("/stats").content.decode()
    assert "Bob&#x27;s Own" in page
    assert "The Lighthouse Keeper" not in page


def test_stats_need_login(client: Client, db):
    response = client.get("/stats")
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("count", [3, 15])
def test_stats_page_runs_a_fixed_number_of_queries(
    count, alice, carol, django_assert_max_num_queries
):
    for number in range(count):
        actions.give_kudos(carol, post_work(alice, f"Work {number:02}"))
    client = logged_in(alice)
    with django_assert_max_num_queries(7):
        response = client.get("/stats")
    assert f"Work {count - 1:02}" in response.content.decode()
