"""The feeds page: a reader makes, sees and revokes their feed token."""

from __future__ import annotations

from django.test import Client

from ficarchive.exporting.models import FeedToken
from tests.conftest import logged_in


def test_guest_is_sent_to_log_in(client: Client, db):
    response = client.get("/feeds")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")
    assert client.post("/feeds/token/new").status_code == 302
    assert not FeedToken.objects.exists()


def test_preferences_page_links_to_the_feeds_page(carol_client: Client):
    assert 'href="/feeds"' in carol_client.get("/preferences").content.decode()


def test_page_shows_the_catalog_address_and_offers_a_token(carol_client: Client):
    page = carol_client.get("/feeds").content.decode()
    assert "<h1>Feeds and e-readers</h1>" in page
    assert "<code>http://testserver/opds</code>" in page
    assert "<code>http://testserver/opds2</code>" in page
    assert "You have no feed token." in page


def test_reader_makes_a_token_and_sees_their_personal_addresses(carol_client: Client, carol):
    response = carol_client.post("/feeds/token/new", follow=True)
    token = FeedToken.objects.active().get(user=carol).token
    page = response.content.decode()
    assert "Your new feed token is ready" in page
    assert f"http://testserver/opds/token/{token}" in page
    assert f"http://testserver/opds2/token/{token}" in page
    assert f"http://testserver/feeds/personal/{token}.atom" in page
    assert carol_client.get(f"/opds/token/{token}").status_code == 200
    assert carol_client.get(f"/opds2/token/{token}").status_code == 200


def test_a_new_token_replaces_the_old_one(carol_client: Client, carol):
    carol_client.post("/feeds/token/new")
    old = FeedToken.objects.active().get(user=carol).token
    carol_client.post("/feeds/token/new")
    new = FeedToken.objects.active().get(user=carol).token
    assert new != old
    assert Client().get(f"/opds/token/{old}").status_code == 404
    assert Client().get(f"/opds/token/{new}").status_code == 200


def test_reader_revokes_their_token(carol_client: Client, carol):
    carol_client.post("/feeds/token/new")
    token = FeedToken.objects.active().get(user=carol).token
    page = carol_client.post("/feeds/token/revoke", follow=True).content.decode()
    assert "Your feed token is revoked" in page
    assert "You have no feed token." in page
    assert Client().get(f"/opds/token/{token}").status_code == 404
    assert Client().get(f"/opds2/token/{token}/bookmarks").status_code == 404


def test_revoking_without_a_token_says_so_and_changes_nothing(carol_client: Client):
    response = carol_client.post("/feeds/token/revoke")
    assert response.status_code == 400
    assert "You have no feed token to revoke." in response.content.decode()


def test_token_of_one_reader_is_not_shown_to_another(alice, carol):
    logged_in(carol).post("/feeds/token/new")
    token = FeedToken.objects.get(user=carol).token
    assert token not in logged_in(alice).get("/feeds").content.decode()


def test_forged_post_without_csrf_token_is_refused(carol):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    assert client.post("/feeds/token/new").status_code == 403
    assert not FeedToken.objects.exists()


def test_token_actions_answer_get_with_405(carol_client: Client):
    assert carol_client.get("/feeds/token/new").status_code == 405
    assert carol_client.get("/feeds/token/revoke").status_code == 405


def test_deactivated_account_s_token_stops_working(carol):
    logged_in(carol).post("/feeds/token/new")
    token = FeedToken.objects.get(user=carol).token
    carol.is_active = False
    carol.save()
    assert Client().get(f"/opds/token/{token}").status_code == 404
