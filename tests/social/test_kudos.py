"""Kudos: from accounts and guests, once each, never on one's own work or when blocked."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficarchive.accounts.actions import block_user
from ficarchive.social import actions
from ficarchive.social.models import Kudos, WorkStats
from tests.conftest import logged_in, post_work


def kudos_count(work) -> int:
    stats = WorkStats.objects.filter(work=work).first()
    return stats.kudos if stats else 0


def test_reader_leaves_kudos_and_the_work_names_them(carol_client: Client, work):
    response = carol_client.post(f"/works/{work.pk}/kudos", follow=True)
    page = response.content.decode()
    assert "Thank you for leaving kudos!" in page
    assert ">carol</a> left kudos on this work!" in page
    assert "You left kudos on this work." in page
    assert kudos_count(work) == 1


def test_reader_cannot_leave_kudos_twice(carol, carol_client: Client, work):
    carol_client.post(f"/works/{work.pk}/kudos")
    response = carol_client.post(f"/works/{work.pk}/kudos", follow=True)
    assert "You have already left kudos here. :)" in response.content.decode()
    assert Kudos.objects.filter(work=work, user=carol).count() == 1
    assert kudos_count(work) == 1


def test_guest_leaves_kudos_once_by_a_signed_token(client: Client, work):
    response = client.post(f"/works/{work.pk}/kudos", follow=True)
    assert "1 guest left kudos on this work!" in response.content.decode()
    response = client.post(f"/works/{work.pk}/kudos", follow=True)
    assert "You have already left kudos here. :)" in response.content.decode()
    assert kudos_count(work) == 1
    assert Kudos.objects.filter(work=work, user__isnull=True).count() == 1


def test_guest_with_a_forged_token_counts_as_a_new_guest_not_an_old_one(client: Client, work):
    client.post(f"/works/{work.pk}/kudos")
    client.cookies["ficarchive_guest"] = "forged:token"
    client.post(f"/works/{work.pk}/kudos")
    tokens = list(Kudos.objects.filter(work=work).values_list("guest_token", flat=True))
    assert len(tokens) == 2
    assert "forged:token" not in tokens


def test_two_guests_each_leave_kudos(work):
    for _ in range(2):
        Client().post(f"/works/{work.pk}/kudos")
    assert kudos_count(work) == 2


def test_creator_cannot_leave_kudos_on_their_own_work(alice_client: Client, work):
    response = alice_client.post(f"/works/{work.pk}/kudos")
    assert response.status_code == 403
    assert kudos_count(work) == 0
    assert "Kudos ♥" not in alice_client.get(f"/works/{work.pk}").content.decode()


def test_blocked_reader_cannot_leave_kudos(alice, mallory, work):
    block_user(alice, mallory)
    client = logged_in(mallory)
    assert "Kudos ♥" not in client.get(f"/works/{work.pk}").content.decode()
    response = client.post(f"/works/{work.pk}/kudos")
    assert response.status_code == 403
    assert kudos_count(work) == 0


def test_kudos_on_an_unseen_work_is_not_found(client: Client, alice):
    draft = post_work(alice, draft=True)
    restricted = post_work(alice, restricted=True)
    assert client.post(f"/works/{draft.pk}/kudos").status_code == 404
    assert client.post(f"/works/{restricted.pk}/kudos").status_code == 404
    assert client.post("/works/999/kudos").status_code == 404
    assert Kudos.objects.count() == 0


def test_kudos_answers_get_with_405(carol_client: Client, work):
    assert carol_client.get(f"/works/{work.pk}/kudos").status_code == 405


def test_kudos_without_csrf_token_is_refused(carol, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    assert client.post(f"/works/{work.pk}/kudos").status_code == 403
    assert kudos_count(work) == 0


def test_htmx_kudos_answers_with_the_kudos_fragment(carol_client: Client, work):
    response = carol_client.post(f"/works/{work.pk}/kudos", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<div class="kudos" id="kudos">')
    assert "<html" not in page
    assert ">carol</a> left kudos" in page


def test_htmx_kudos_brings_the_new_count_for_the_stats_above(carol_client: Client, work):
    before = carol_client.get(f"/works/{work.pk}").content.decode()
    assert '<dl class="stats work-stats" id="work-stats">' in before
    assert "<dt>Kudos:</dt><dd>0</dd>" in before
    response = carol_client.post(f"/works/{work.pk}/kudos", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert '<dl class="stats work-stats" id="work-stats" hx-swap-oob="true">' in page
    assert "<dt>Kudos:</dt><dd>1</dd>" in page


def test_kudos_without_javascript_lands_on_the_new_count(carol_client: Client, work):
    page = carol_client.post(f"/works/{work.pk}/kudos", follow=True).content.decode()
    assert "<dt>Kudos:</dt><dd>1</dd>" in page


def test_kudos_action_refuses_creators_and_repeats(alice, carol, work):
    with pytest.raises(PermissionDenied):
        actions.give_kudos(alice, work)
    actions.give_kudos(carol, work)
    with pytest.raises(ValidationError):
        actions.give_kudos(carol, work)


def test_work_page_names_many_users_and_counts_the_rest(client: Client, alice, work):
    from tests.conftest import make_user

    for number in range(52):
        actions.give_kudos(make_user(f"reader{number}"), work)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "and 2 more users left kudos on this work!" in page
    assert "Kudos:</dt><dd>52</dd>" in page


def test_favorites_list_the_works_a_user_left_kudos_on(client: Client, alice, carol):
    liked = post_work(alice, "Liked Work")
    post_work(alice, "Other Work")
    hidden = post_work(alice, "Restricted Liked", restricted=True)
    actions.give_kudos(carol, liked)
    actions.give_kudos(carol, hidden)
    page = client.get("/users/carol/favorites").content.decode()
    assert "Liked Work" in page
    assert "Other Work" not in page
    assert "Restricted Liked" not in page, "guests do not see restricted works"
    assert "Restricted Liked" in logged_in(carol).get("/users/carol/favorites").content.decode()


def test_favorites_hidden_by_the_readers_filters_are_counted_not_called_none(alice, bob, carol):
    from ficarchive.accounts.actions import hide_work, mute_user

    first, second = post_work(alice, "First Liked"), post_work(alice, "Second Liked")
    actions.give_kudos(carol, first)
    actions.give_kudos(carol, second)
    hide_work(bob, first)
    page = logged_in(bob).get("/users/carol/favorites").content.decode()
    assert "1 favorite hidden by" in page and 'href="/preferences/filters">your filters</a>' in page
    assert "Second Liked" in page and "First Liked" not in page
    mute_user(bob, alice)
    page = logged_in(bob).get("/users/carol/favorites").content.decode()
    assert "2 favorites hidden by" in page
    assert "No favorites yet." not in page
    assert "hidden by" not in Client().get("/users/carol/favorites").content.decode()


def test_favorites_of_someone_with_none_say_so(client: Client, carol):
    page = client.get("/users/carol/favorites").content.decode()
    assert "No favorites yet." in page
    assert "hidden by" not in page


def test_favorites_of_an_unknown_user_are_not_found(client: Client, db):
    assert client.get("/users/nobody/favorites").status_code == 404


@pytest.mark.parametrize("count", [2, 12])
def test_favorites_page_runs_a_fixed_number_of_queries(
    count, client: Client, alice, carol, django_assert_max_num_queries
):
    for number in range(count):
        actions.give_kudos(carol, post_work(alice, f"Work {number}", freeforms=[f"Tag {number}"]))
    with django_assert_max_num_queries(6):
        response = client.get("/users/carol/favorites")
    assert f"Work {count - 1}" in response.content.decode()
