"""Each switch, off: the page says so, the write is refused on the pages and in the API and
nothing is written; on again: it works."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.moderation.switches import OFF_MESSAGES, SIGNUP_MESSAGES
from ficarchive.social.models import Comment
from ficarchive.works.models import Chapter, Work
from tests.api.conftest import API, bearer, error_of, token_for
from tests.conftest import PASSWORD, post_work
from tests.works.test_posting import form_data

NEW_WORK: dict[str, Any] = {
    "title": "Tidewater",
    "rating": "General Audiences",
    "warnings": ["No Archive Warnings Apply"],
    "fandoms": ["Original Work"],
    "chapter": {"title": "Low tide", "body": "<p>The water went out.</p>"},
}
SIGNUP = {
    "username": "newreader",
    "email": "newreader@example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def switched_off(response: Any, switch: str) -> None:
    """A page refused with the switch's message."""
    assert response.status_code == 403
    assert OFF_MESSAGES[switch] in response.content.decode()


def api_switched_off(response: Any, switch: str) -> None:
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "switched_off"
    assert error["message"] == OFF_MESSAGES[switch]


# --- sign-ups ------------------------------------------------------------------------------


def test_closed_sign_ups_show_no_form_and_refuse_a_sign_up(client: Client, turn):
    turn(signups="closed")
    page = client.get("/signup")
    assert page.status_code == 200
    assert SIGNUP_MESSAGES["closed"] in page.content.decode()
    assert 'name="password1"' not in page.content.decode()
    refused = client.post("/signup", SIGNUP)
    assert refused.status_code == 403
    assert SIGNUP_MESSAGES["closed"] in refused.content.decode()
    assert not User.objects.filter(username="newreader").exists()
    assert not mail.outbox


def test_sign_ups_by_invitation_offer_the_queue_and_refuse_a_sign_up(client: Client, turn):
    turn(signups="invitation")
    page = client.get("/signup").content.decode()
    assert SIGNUP_MESSAGES["invitation"] in page
    assert 'action="/invitations/request"' in page
    assert 'name="password1"' not in page
    assert client.post("/signup", SIGNUP).status_code == 403
    assert not User.objects.filter(username="newreader").exists()


def test_open_sign_ups_again_take_a_sign_up(client: Client, turn):
    turn(signups="closed")
    turn(signups="open")
    assert 'name="password1"' in client.get("/signup").content.decode()
    assert "Check your email" in client.post("/signup", SIGNUP).content.decode()
    assert User.objects.filter(username="newreader").exists()


# --- guest comments ------------------------------------------------------------------------


def guest_says(client: Client, work: Work) -> Any:
    data = {"text": "Lovely!", "body_format": "plain", "guest_name": "W", "guest_email": "w@x.org"}
    return client.post(f"/works/{work.pk}/comments", data)


def test_guest_comments_off_hide_the_form_and_refuse_a_guest(client: Client, work, turn):
    turn(guest_comments=False)
    page = client.get(work.get_absolute_url()).content.decode()
    assert OFF_MESSAGES["guest_comments"] in page
    assert 'name="guest_name"' not in page
    switched_off_page = guest_says(client, work)
    assert switched_off_page.status_code == 403
    assert OFF_MESSAGES["guest_comments"] in switched_off_page.content.decode()
    assert not Comment.objects.exists()


def test_guests_may_not_reply_while_guest_comments_are_off(client: Client, carol, work, turn):
    from ficarchive.social.actions import post_comment

    top = post_comment(carol, work, "First!")
    turn(guest_comments=False)
    page = client.get(f"/comments/{top.pk}/reply").content.decode()
    assert OFF_MESSAGES["guest_comments"] in page
    data = {"text": "Me too", "body_format": "plain", "guest_name": "W", "guest_email": "w@x.org"}
    assert client.post(f"/comments/{top.pk}/reply", data).status_code == 403
    assert Comment.objects.count() == 1


def test_signed_in_readers_still_comment_while_guest_comments_are_off(
    carol, carol_client: Client, work, turn
):
    turn(guest_comments=False)
    page = carol_client.get(work.get_absolute_url()).content.decode()
    assert OFF_MESSAGES["guest_comments"] not in page
    assert "Post comment" in page
    data = {"text": "Lovely!", "body_format": "plain"}
    assert carol_client.post(f"/works/{work.pk}/comments", data).status_code == 302
    posted = bearer(token_for(carol)).post(
        f"{API}/works/{work.pk}/comments", data, content_type="application/json"
    )
    assert posted.status_code == 201
    assert Comment.objects.count() == 2


def test_guest_comments_on_again_take_a_guest_comment(client: Client, work, turn):
    turn(guest_comments=False)
    turn(guest_comments=True)
    assert 'name="guest_name"' in client.get(work.get_absolute_url()).content.decode()
    assert guest_says(client, work).status_code == 302
    assert Comment.objects.count() == 1


# --- downloads -----------------------------------------------------------------------------


def test_downloads_off_take_the_links_away_and_refuse_every_download(
    client: Client, alice, work, turn
):
    from ficarchive.works import actions

    series = actions.create_series(alice, "Cycle")
    actions.add_work_to_series(alice, work, series)
    turn(downloads=False)
    page = client.get(work.get_absolute_url()).content.decode()
    assert OFF_MESSAGES["downloads"] in page
    assert f"/downloads/works/{work.pk}.epub" not in page
    assert f"/works/{work.pk}/feed.atom" in page, "the feed stays"
    series_page = client.get(f"/series/{series.pk}").content.decode()
    assert OFF_MESSAGES["downloads"] in series_page
    assert f"/downloads/series/{series.pk}.epub" not in series_page
    for address in (
        f"/downloads/works/{work.pk}.epub",
        f"/downloads/works/{work.pk}.txt",
        f"/downloads/series/{series.pk}.html",
        f"/opds/works/{work.pk}.epub",
    ):
        switched_off(client.get(address), "downloads")
    api_switched_off(client.get(f"{API}/works/{work.pk}/download/epub"), "downloads")
    assert client.get(f"{API}/works/{work.pk}").json()["downloads"] == {}
    assert client.get(f"/works/{work.pk}/feed.atom").status_code == 200
    assert client.get("/opds/recent").status_code == 200


def test_downloads_on_again_download(client: Client, work, turn):
    turn(downloads=False)
    turn(downloads=True)
    page = client.get(work.get_absolute_url()).content.decode()
    assert f"/downloads/works/{work.pk}.epub" in page
    assert client.get(f"/downloads/works/{work.pk}.txt").status_code == 200
    assert client.get(f"/opds/works/{work.pk}.txt").status_code == 200
    assert client.get(f"{API}/works/{work.pk}/download/txt").status_code == 200
    assert set(client.get(f"{API}/works/{work.pk}").json()["downloads"]) == {"epub", "html", "txt"}


# --- imports -------------------------------------------------------------------------------

PASTED = "The Tide Clock\n\nRating: General Audiences\n\nThe clock ran with the tide.\n"


def test_imports_off_refuse_the_import_page_and_its_posting(alice_client: Client, turn):
    turn(imports=False)
    switched_off(alice_client.get("/works/import"), "imports")
    upload = SimpleUploadedFile("tide.txt", PASTED.encode())
    switched_off(alice_client.post("/works/import", {"upload": [upload]}), "imports")
    switched_off(alice_client.post("/works/import/post", {"prefix": "w0"}), "imports")
    assert not Work.objects.exists()


def test_imports_on_again_show_the_import_page(alice_client: Client, turn):
    turn(imports=False)
    turn(imports=True)
    assert alice_client.get("/works/import").status_code == 200
    response = alice_client.post("/works/import", {"text": PASTED})
    assert response.status_code == 200
    assert "The Tide Clock" in response.content.decode()


def test_the_import_command_still_imports_while_imports_are_off(alice, tmp_path, turn):
    from django.core.management import call_command

    turn(imports=False, new_works=False)
    story = tmp_path / "tide.txt"
    story.write_text(PASTED)
    call_command("import", str(story), "--as", "alice", verbosity=0)
    assert Work.objects.filter(title="The Tide Clock").exists()


# --- new works -----------------------------------------------------------------------------


def test_new_works_off_refuse_new_works_and_drafts_on_pages_and_in_the_api(
    alice, alice_client: Client, turn
):
    draft = post_work(alice, "Already A Draft", draft=True)
    turn(new_works=False)
    switched_off(alice_client.get("/works/new"), "new_works")
    switched_off(alice_client.post("/works/new", form_data(alice.default_pseud)), "new_works")
    draft_data = form_data(alice.default_pseud, action="draft")
    switched_off(alice_client.post("/works/new", draft_data), "new_works")
    switched_off(alice_client.post(f"/works/{draft.pk}/post"), "new_works")
    switched_off(alice_client.get("/works/import"), "new_works")
    api = bearer(token_for(alice))
    for body in (NEW_WORK, {**NEW_WORK, "draft": True}):
        api_switched_off(
            api.post(f"{API}/works", body, content_type="application/json"), "new_works"
        )
    api_switched_off(api.post(f"{API}/works/{draft.pk}/publish"), "new_works")
    assert list(Work.objects.values_list("title", "is_draft")) == [("Already A Draft", True)]


def test_chapters_are_still_added_while_new_works_are_off(alice, alice_client: Client, turn):
    work = post_work(alice, expected_chapters=3)
    turn(new_works=False)
    response = alice_client.post(
        f"/works/{work.pk}/chapters/new",
        {"title": "Two", "body": "<p>More.</p>", "body_format": "html", "action": "post"},
    )
    assert response.status_code == 302
    api = bearer(token_for(alice))
    chapter = {"title": "Three", "body": "<p>Most.</p>"}
    added = api.post(f"{API}/works/{work.pk}/chapters", chapter, content_type="application/json")
    assert added.status_code == 201
    assert Chapter.objects.filter(work=work).count() == 3


def test_new_works_on_again_post(alice, alice_client: Client, turn):
    turn(new_works=False)
    turn(new_works=True)
    assert alice_client.post("/works/new", form_data(alice.default_pseud)).status_code == 302
    api = bearer(token_for(alice))
    assert api.post(f"{API}/works", NEW_WORK, content_type="application/json").status_code == 201
    assert Work.objects.count() == 2
