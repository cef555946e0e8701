"""Blocking and muting: the pages, and what they change for the people involved."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.actions import block_user, mute_user
from ficarchive.accounts.models import Block, Mute
from tests.conftest import logged_in, post_work


def test_block_and_unblock_from_the_blocked_page(alice, mallory, alice_client: Client):
    response = alice_client.post("/blocked", {"username": "Mallory"}, follow=True)
    page = response.content.decode()
    assert "You blocked mallory" in page
    assert 'href="/users/mallory"' in page
    assert Block.objects.filter(blocker=alice, blocked=mallory).exists()
    alice_client.post("/users/mallory/unblock")
    assert not Block.objects.exists()


def test_blocking_an_unknown_account_or_yourself_is_refused(alice, alice_client: Client):
    response = alice_client.post("/blocked", {"username": "nobody"})
    assert response.status_code == 400
    assert "There is no account with that user name." in response.content.decode()
    response = alice_client.post("/blocked", {"username": "alice"})
    assert response.status_code == 400
    assert "You cannot block yourself." in response.content.decode()
    assert not Block.objects.exists()


def test_mute_hides_the_muted_creators_works_from_listings(alice, mallory, carol):
    post_work(mallory, "Mallory's Work")
    post_work(alice, "Alice's Work")
    client = logged_in(carol)
    client.post("/users/mallory/mute")
    assert Mute.objects.filter(muter=carol, muted=mallory).exists()
    page = client.get("/works").content.decode()
    assert "Alice&#x27;s Work" in page
    assert "Mallory&#x27;s Work" not in page
    assert "Mallory&#x27;s Work" in Client().get("/works").content.decode()
    assert "mallory" in client.get("/muted").content.decode()
    client.post("/users/mallory/unmute")
    assert "Mallory&#x27;s Work" in client.get("/works").content.decode()


def test_blocking_is_one_way(alice, mallory, work):
    block_user(alice, mallory)
    mine = post_work(mallory, "Mallory's Work")
    assert logged_in(alice).post(f"/works/{mine.pk}/kudos").status_code == 302


def test_block_pages_need_login_post_and_csrf(alice, mallory, client: Client):
    response = client.get("/blocked")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert logged_in(alice).get("/users/mallory/block").status_code == 405
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(alice)
    assert forged.post("/users/mallory/block").status_code == 403
    assert forged.post("/blocked", {"username": "mallory"}).status_code == 403
    assert not Block.objects.exists()


def test_blocks_and_mutes_are_private(alice, bob, mallory):
    block_user(alice, mallory)
    mute_user(alice, bob)
    other = logged_in(bob)
    assert "mallory" not in other.get("/blocked").content.decode()
    assert "You mute nobody." in other.get("/muted").content.decode()


@pytest.mark.parametrize("count", [3, 15])
def test_block_list_runs_a_fixed_number_of_queries(count, alice, django_assert_max_num_queries):
    from tests.conftest import make_user

    for number in range(count):
        block_user(alice, make_user(f"pest{number}"))
    client = logged_in(alice)
    with django_assert_max_num_queries(5):
        response = client.get("/blocked")
    assert "pest" in response.content.decode()
