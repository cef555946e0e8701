"""Pages answer conditional requests, so that update checkers cost almost nothing."""

from __future__ import annotations

from django.test import Client

from ficarchive.works import actions
from tests.conftest import logged_in, post_work


def test_an_unchanged_work_page_answers_304(client: Client, work):
    client.get(f"/works/{work.pk}")  # the visit itself shows as a hit on the next render
    first = client.get(f"/works/{work.pk}")
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(f"/works/{work.pk}", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_a_new_chapter_changes_the_etag(client: Client, alice, work):
    etag = client.get(f"/works/{work.pk}")["ETag"]
    actions.add_chapter(alice, work, actions.ChapterDetails(body="<p>More of it.</p>"))
    after = client.get(f"/works/{work.pk}", headers={"if-none-match": etag})
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert "More of it." not in after.content.decode(), "chapter 1 is still the page shown"
    assert "Next chapter" in after.content.decode()


def test_pages_with_forms_keep_their_etag_although_the_csrf_token_changes(carol, alice):
    work = post_work(alice, "Forms Everywhere")
    reader = logged_in(carol)
    reader.get(f"/works/{work.pk}")  # the visit itself shows as a hit on the next render
    first = reader.get(f"/works/{work.pk}")
    second = reader.get(f"/works/{work.pk}")
    assert 'name="csrfmiddlewaretoken"' in first.content.decode()
    assert first.content != second.content, "each render masks the CSRF token afresh"
    assert first["ETag"] == second["ETag"]
    unchanged = reader.get(f"/works/{work.pk}", headers={"if-none-match": first["ETag"]})
    assert unchanged.status_code == 304


def test_refusals_are_never_answered_with_304(client: Client, alice):
    draft = post_work(alice, "Secret", draft=True)
    response = client.get(f"/works/{draft.pk}", headers={"if-none-match": "*"})
    assert response.status_code == 404


def test_the_home_page_has_an_etag_too(client: Client, work):
    etag = client.get("/")["ETag"]
    assert client.get("/", headers={"if-none-match": etag}).status_code == 304


def test_a_page_cached_before_a_log_in_is_drawn_afresh_after_it(alice):
    """Logging in rotates the CSRF cookie: a copy cached before holds tokens of the old one, so
    the same page must not answer 304 to it (its Log out form would then be refused)."""
    client = logged_in(alice)
    client.get("/works")
    before = client.get("/works")
    client.logout()
    client.force_login(alice)  # a new session
    client.cookies["csrftoken"] = "x" * 32  # what `login` does to the cookie: a new secret
    after = client.get("/works", headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
