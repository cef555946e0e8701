"""The site switches page: superadmins change the switches; nobody else may."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from ficarchive.moderation import switches
from ficarchive.moderation.actions import change_switches
from ficarchive.moderation.models import SiteSwitches
from tests.conftest import logged_in

PAGE = "/moderation/switches"
ALL_ON = {
    "signups": "open",
    "guest_comments": "on",
    "downloads": "on",
    "imports": "on",
    "new_works": "on",
}


def test_everything_is_on_until_a_superadmin_changes_it(db):
    assert switches.current() == switches.Switches(
        signups="open", guest_comments=True, downloads=True, imports=True, new_works=True
    )
    assert not SiteSwitches.objects.exists(), "reading the switches writes nothing"


def checked(page: str) -> set[str]:
    """The boxes the form shows ticked, by name, and the radio button chosen, as name=value."""
    ticked = set()
    for tag in re.findall(r"<input [^>]*>", page):
        if " checked" not in tag:
            continue
        name = re.findall(r'name="(\w+)"', tag)[0]
        value = re.findall(r'value="(\w+)"', tag)
        ticked.add(f"{name}={value[0]}" if 'type="radio"' in tag else name)
    return ticked


def test_a_superadmin_sees_the_form_with_the_switches_in_force(ada_client: Client, turn):
    assert checked(ada_client.get(PAGE).content.decode()) == {
        "signups=open",
        "guest_comments",
        "downloads",
        "imports",
        "new_works",
    }
    turn(downloads=False, signups="closed")
    page = ada_client.get(PAGE).content.decode()
    assert "<h1>Site switches</h1>" in page
    assert checked(page) == {"signups=closed", "guest_comments", "imports", "new_works"}


def test_a_superadmin_turns_switches_off_and_on_with_a_message(ada, ada_client: Client):
    response = ada_client.post(PAGE, {**ALL_ON, "downloads": "", "signups": "invitation"})
    assert response.status_code == 302
    assert switches.current().downloads is False
    assert switches.current().signups == "invitation"
    row = SiteSwitches.objects.get()
    assert row.changed_by == ada
    page = ada_client.get(response["Location"]).content.decode()
    assert "Site switches saved" in page
    assert ada_client.post(PAGE, ALL_ON).status_code == 302
    assert switches.current() == switches.Switches()


def test_a_bad_sign_up_mode_is_refused_and_nothing_changes(ada_client: Client):
    response = ada_client.post(PAGE, {**ALL_ON, "signups": "maybe", "downloads": ""})
    assert response.status_code == 400
    assert "Select a valid choice. maybe is not one of the available choices." in (
        response.content.decode()
    )
    assert not SiteSwitches.objects.exists()


def test_the_action_names_the_bad_value(ada):
    with pytest.raises(ValidationError) as refused:
        change_switches(ada, signups="maybe")
    assert "'maybe' is not a sign-up mode" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        change_switches(ada, downloads="no")  # type: ignore[arg-type]
    assert "downloads is on (true) or off (false)" in str(refused.value)
    assert not SiteSwitches.objects.exists()


def test_staff_readers_and_guests_may_not_see_or_change_the_switches(sam, carol, client: Client):
    for user in (sam, carol):
        browser = logged_in(user)
        assert browser.get(PAGE).status_code == 403
        assert browser.post(PAGE, {**ALL_ON, "downloads": ""}).status_code == 403
        with pytest.raises(PermissionDenied):
            change_switches(user, downloads=False)
    assert client.get(PAGE).status_code == 302  # guests are sent to log in
    assert client.post(PAGE, {**ALL_ON, "downloads": ""}).status_code == 302
    assert "/login" in client.get(PAGE)["Location"]
    assert not SiteSwitches.objects.exists()
    assert switches.current().downloads is True


def test_a_post_without_the_csrf_token_is_refused(ada):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada)
    assert browser.post(PAGE, {**ALL_ON, "downloads": ""}).status_code == 403
    assert not SiteSwitches.objects.exists()


def test_only_superadmins_get_the_link_in_the_navigation(ada_client: Client, sam):
    assert f'href="{PAGE}"' in ada_client.get("/").content.decode()
    assert f'href="{PAGE}"' not in logged_in(sam).get("/").content.decode()
    assert f'href="{PAGE}"' not in Client().get("/").content.decode()


def test_a_process_reads_the_switches_at_most_once_a_second(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(50):
            assert switches.current().downloads is True


def test_a_change_in_another_process_is_read_within_a_second(db, turn, monkeypatch):
    """The value kept in this process is read again once it is a second old. (The row is
    written here as another process's action would leave it.)"""
    assert switches.current().downloads is True
    SiteSwitches.objects.update_or_create(pk=SiteSwitches.ROW, defaults={"downloads": False})
    assert switches.current().downloads is True, "kept for up to a second"
    later = switches.time.monotonic() + switches.KEPT_SECONDS
    monkeypatch.setattr(switches.time, "monotonic", lambda: later)
    assert switches.current().downloads is False
