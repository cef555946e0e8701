"""Subscribe, Block and Mute on another account's profile, pseud, works-liked and bookmark
pages: offered to signed-in readers only, never on one's own pages, and undone from there."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import Block, Mute
from ficarchive.social.models import Subscription
from tests.conftest import logged_in

PAGES = ["/users/mallory", "/users/mallory/pseuds/mallory", "/users/mallory/favorites"]


@pytest.mark.parametrize("page", PAGES)
def test_a_reader_sees_subscribe_block_and_mute_on_another_accounts_pages(page, alice, mallory):
    shown = logged_in(alice).get(page).content.decode()
    assert 'action="/users/mallory/subscribe"' in shown
    assert ">Subscribe to mallory</button>" in shown
    assert 'action="/users/mallory/block"' in shown and ">Block</button>" in shown
    assert 'action="/users/mallory/mute"' in shown and ">Mute</button>" in shown


@pytest.mark.parametrize("page", PAGES)
def test_guests_and_the_account_itself_see_none(page, mallory):
    for viewer in (Client(), logged_in(mallory)):
        shown = viewer.get(page).content.decode()
        assert viewer.get(page).status_code == 200
        assert "person-actions" not in shown
        assert "/users/mallory/block" not in shown


def test_the_profile_offers_to_undo_what_the_reader_did(alice, mallory):
    client = logged_in(alice)
    client.post("/users/mallory/subscribe", {"email": "on"})
    client.post("/users/mallory/block")
    client.post("/users/mallory/mute")
    subscription = Subscription.objects.get(user=alice, creator=mallory)
    page = client.get("/users/mallory").content.decode()
    assert f'action="/subscriptions/{subscription.pk}/delete"' in page
    assert ">Unsubscribe from mallory</button>" in page
    assert 'action="/users/mallory/unblock"' in page and ">Unblock</button>" in page
    assert 'action="/users/mallory/unmute"' in page and ">Unmute</button>" in page
    assert ">Block</button>" not in page and ">Mute</button>" not in page
    client.post("/users/mallory/unblock")
    client.post("/users/mallory/unmute")
    client.post(f"/subscriptions/{subscription.pk}/delete")
    page = client.get("/users/mallory/pseuds/mallory").content.decode()
    assert ">Block</button>" in page and ">Mute</button>" in page
    assert ">Subscribe to mallory</button>" in page
    assert not Block.objects.exists() and not Mute.objects.exists()
    assert not Subscription.objects.exists()


def test_a_guest_cannot_subscribe_block_or_mute(mallory, client: Client):
    for verb in ("subscribe", "block", "mute"):
        response = client.post(f"/users/mallory/{verb}")
        assert response.status_code == 302 and "/login" in response["Location"]
    assert not Block.objects.exists() and not Mute.objects.exists()
    assert not Subscription.objects.exists()


def test_a_forged_post_without_the_csrf_token_is_refused(alice, mallory):
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(alice)
    for verb in ("subscribe", "block", "mute"):
        assert forged.post(f"/users/mallory/{verb}").status_code == 403
    assert not Block.objects.exists() and not Mute.objects.exists()
    assert not Subscription.objects.exists()


def test_blocking_muting_or_following_yourself_is_refused_with_the_reason(mallory):
    client = logged_in(mallory)
    page = client.post("/users/mallory/block", follow=True).content.decode()
    assert "You cannot block yourself." in page
    page = client.post("/users/mallory/mute", follow=True).content.decode()
    assert "You cannot mute yourself." in page
    page = client.post("/users/mallory/subscribe", follow=True).content.decode()
    assert "You cannot subscribe to this account." in page
    assert not Block.objects.exists() and not Mute.objects.exists()
    assert not Subscription.objects.exists()


def test_the_orphan_account_offers_no_subscription(alice):
    from ficarchive.accounts.actions import orphan_account

    orphan = orphan_account()
    page = logged_in(alice).get(f"/users/{orphan.username}").content.decode()
    assert f"Subscribe to {orphan.username}" not in page
    assert ">Block</button>" in page
