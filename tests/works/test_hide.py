"""Admins hide a work (with a reason) and unhide it; nobody else may."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ficarchive.works.models import Work
from tests.conftest import post_work
from tests.works.test_posting import text_of


def hide_url(work: Work) -> str:
    return reverse("works:hide", args=[work.pk])


def test_admin_sees_the_hide_form(ada_client, work):
    page = text_of(ada_client.get(hide_url(work)))
    assert "Hide “The Lighthouse Keeper”" in page
    assert 'name="reason"' in page


def test_admin_hides_a_work_with_a_reason_and_unhides_it(ada_client, client: Client, work):
    response = ada_client.post(hide_url(work), {"reason": "Reported for spam."})
    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert work.is_hidden
    assert work.hidden_reason == "Reported for spam."
    assert client.get(work.get_absolute_url()).status_code == 404
    assert work not in Work.objects.listed_for(work.creators[0].user)

    assert "Unhide" in text_of(ada_client.get(hide_url(work)))
    ada_client.post(hide_url(work), {})
    work.refresh_from_db()
    assert not work.is_hidden
    assert work.hidden_reason == ""
    assert client.get(work.get_absolute_url()).status_code == 200


def test_a_hidden_work_stays_visible_to_its_creator(ada_client, alice_client, work):
    ada_client.post(hide_url(work), {"reason": "Check the tags."})
    page = text_of(alice_client.get(work.get_absolute_url()))
    assert "Check the tags." in page


def test_a_too_long_reason_is_refused(ada_client, work):
    response = ada_client.post(hide_url(work), {"reason": "x" * 2001})
    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters" in text_of(response)
    work.refresh_from_db()
    assert not work.is_hidden


def test_only_admins_may_hide(alice_client, carol_client, work):
    for client in (carol_client, alice_client):
        assert client.get(hide_url(work)).status_code == 403
        assert client.post(hide_url(work), {"reason": "mine"}).status_code == 403
    work.refresh_from_db()
    assert not work.is_hidden


def test_a_non_admin_cannot_unhide(ada_client, carol_client, work):
    ada_client.post(hide_url(work), {"reason": "Spam."})
    assert carol_client.post(hide_url(work), {}).status_code == 404
    work.refresh_from_db()
    assert work.is_hidden


def test_a_draft_is_not_found_even_by_admins(ada_client, alice):
    draft = post_work(alice, draft=True)
    assert ada_client.get(hide_url(draft)).status_code == 404


def test_guest_is_sent_to_log_in(client: Client, work):
    response = client.post(hide_url(work), {"reason": "x"})
    assert response["Location"].startswith(reverse("accounts:login"))
    work.refresh_from_db()
    assert not work.is_hidden


def test_forged_hide_without_csrf_token_is_refused(ada, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    assert client.post(hide_url(work), {"reason": "x"}).status_code == 403
    work.refresh_from_db()
    assert not work.is_hidden
