from django.test import Client
from django.urls import reverse

PREFERENCES = reverse("accounts:preferences")


def form(**changes):
    data = {
        "skip_adult_notice": "on",
        "hide_warnings": "on",
        "hide_freeform": "on",
        "view_full_work": "on",
        "time_zone": "Europe/Lisbon",
    }
    return {**data, **changes}


def test_guest_is_sent_to_login_for_preferences(client, db):
    response = client.get(PREFERENCES)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_preferences_page_offers_every_time_zone_sorted(alice_client):
    page = alice_client.get(PREFERENCES).content.decode()
    assert "Hide archive warnings" in page
    assert '<option value="America/New_York">America/New York</option>' in page
    assert page.index('value="Africa/Abidjan"') < page.index('value="Europe/Lisbon"')
    assert '<option value="UTC" selected>' in page


def test_preferences_are_saved(alice_client, alice):
    response = alice_client.post(PREFERENCES, form())
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.skip_adult_notice
    assert alice.hide_warnings
    assert alice.hide_freeform
    assert alice.view_full_work
    assert alice.time_zone == "Europe/Lisbon"


def test_unticked_boxes_turn_preferences_off(alice_client, alice):
    alice_client.post(PREFERENCES, form())
    alice_client.post(PREFERENCES, {"time_zone": "UTC"})
    alice.refresh_from_db()
    assert not alice.hide_warnings
    assert not alice.view_full_work


def test_invalid_time_zone_is_refused_and_nothing_changes(alice_client, alice):
    response = alice_client.post(PREFERENCES, form(time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 400
    assert "Mars/Olympus_Mons is not a time zone the archive knows." in response.content.decode()
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"
    assert not alice.hide_warnings


def test_forged_preferences_without_csrf_token_are_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(PREFERENCES, form()).status_code == 403
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"
