"""Posting and editing works and chapters through the API, with the posting form's rules."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.works.models import Work
from tests.api.conftest import API, error_of
from tests.conftest import post_work

NEW_WORK: dict[str, Any] = {
    "title": "Tidewater",
    "rating": "General Audiences",
    "warnings": ["No Archive Warnings Apply"],
    "fandoms": ["Original Work"],
    "freeforms": ["Sea", "Storms"],
    "summary": "<p>Waves.</p><script>alert(1)</script>",
    "chapter": {"title": "Low tide", "body": "<p>The water went out.</p><script>x()</script>"},
}


def test_an_author_posts_a_work_with_a_token(alice: User, alice_api: Client) -> None:
    response = alice_api.post(f"{API}/works", NEW_WORK, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["draft"] is False
    assert body["tags"]["freeform"] == ["Sea", "Storms"]
    assert "script" not in body["summary"]
    work = Work.objects.get(pk=body["id"])
    assert work.creators[0].user == alice
    assert "script" not in work.chapters.get().body
    assert Client().get(f"{API}/works/{work.pk}").status_code == 200


def test_a_draft_stays_private_until_published(alice_api: Client) -> None:
    body = alice_api.post(
        f"{API}/works", {**NEW_WORK, "draft": True}, content_type="application/json"
    ).json()
    assert body["draft"] is True
    assert Client().get(f"{API}/works/{body['id']}").status_code == 404
    published = alice_api.post(f"{API}/works/{body['id']}/publish")
    assert published.status_code == 200
    assert Client().get(f"{API}/works/{body['id']}").status_code == 200


def test_posting_checks_what_the_form_checks(alice_api: Client) -> None:
    response = alice_api.post(
        f"{API}/works",
        {**NEW_WORK, "rating": "Very Spicy", "warnings": ["Made Up"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = error_of(response)
    # The schema lists the ratings and warnings (enums): the message names what is allowed.
    assert error["field"] == "rating"
    assert "General Audiences" in error["message"]
    assert set(error["details"]) >= {"rating", "warnings.0"}
    assert not Work.objects.exists()


def test_a_chapter_of_only_markup_is_refused(alice_api: Client) -> None:
    response = alice_api.post(
        f"{API}/works",
        {**NEW_WORK, "chapter": {"body": "<script>alert(1)</script>"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert error_of(response)["field"] == "body"
    assert not Work.objects.exists()


def test_posting_under_someone_elses_pseud_is_refused(alice_api: Client, bob: User) -> None:
    response = alice_api.post(
        f"{API}/works", {**NEW_WORK, "pseuds": ["bob"]}, content_type="application/json"
    )
    assert response.status_code == 422
    assert error_of(response)["field"] == "pseuds"


def test_an_author_edits_only_the_fields_sent(work: Work, alice_api: Client) -> None:
    response = alice_api.patch(
        f"{API}/works/{work.pk}",
        {"title": "The Lamp", "freeforms": ["Night"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "The Lamp"
    assert body["tags"]["freeform"] == ["Night"]
    assert body["tags"]["fandom"] == ["Original Work"]


def test_nobody_else_edits_a_work(work: Work, carol_api: Client, alice: User) -> None:
    response = carol_api.patch(
        f"{API}/works/{work.pk}", {"title": "Mine now"}, content_type="application/json"
    )
    assert response.status_code == 403
    work.refresh_from_db()
    assert work.title == "The Lighthouse Keeper"
    draft = post_work(alice, draft=True)
    assert (
        carol_api.patch(f"{API}/works/{draft.pk}", {}, content_type="application/json").status_code
        == 404
    )


def test_an_author_posts_and_edits_a_chapter(work: Work, alice_api: Client) -> None:
    response = alice_api.post(
        f"{API}/works/{work.pk}/chapters",
        {"title": "Dawn", "body": "<p>The lamp went out.</p>"},
        content_type="application/json",
    )
    assert response.status_code == 201
    chapter = response.json()
    assert chapter["number"] == 2 and chapter["draft"] is False
    work.refresh_from_db()
    assert work.chapter_count == 2
    edited = alice_api.patch(
        f"{API}/works/{work.pk}/chapters/{chapter['id']}",
        {"body": "Plain <b>bold</b> words"},
        content_type="application/json",
    ).json()
    assert edited["title"] == "Dawn"
    assert "<b>bold</b>" in edited["body"]


def test_a_draft_chapter_is_published_later(work: Work, alice_api: Client) -> None:
    chapter = alice_api.post(
        f"{API}/works/{work.pk}/chapters",
        {"body": "<p>Later.</p>", "draft": True},
        content_type="application/json",
    ).json()
    assert chapter["draft"] is True
    assert Client().get(f"{API}/works/{work.pk}/chapters/{chapter['id']}").status_code == 404
    published = alice_api.post(f"{API}/works/{work.pk}/chapters/{chapter['id']}/publish")
    assert published.json()["draft"] is False
    assert Client().get(f"{API}/works/{work.pk}/chapters/{chapter['id']}").status_code == 200


def test_nobody_else_adds_a_chapter(work: Work, carol_api: Client, carol_reader: Client) -> None:
    chapter = {"body": "<p>Intruder.</p>"}
    assert (
        carol_api.post(
            f"{API}/works/{work.pk}/chapters", chapter, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        carol_reader.post(
            f"{API}/works/{work.pk}/chapters", chapter, content_type="application/json"
        ).status_code
        == 403
    )
    assert work.chapters.count() == 1


def test_null_expected_chapters_means_not_known_yet(work: Work, alice_api: Client) -> None:
    body = alice_api.patch(
        f"{API}/works/{work.pk}", {"expected_chapters": None}, content_type="application/json"
    ).json()
    assert body["expected_chapters"] is None
    assert body["complete"] is False


def test_credits_are_set_as_on_the_form(work: Work, alice_api: Client) -> None:
    response = alice_api.patch(
        f"{API}/works/{work.pk}",
        {"credits": [{"role": "beta", "name": "Dana"}]},
        content_type="application/json",
    )
    assert response.json()["credits"] == [{"role": "beta", "name": "Dana"}]
    refused = alice_api.patch(
        f"{API}/works/{work.pk}",
        {"credits": [{"role": "boss", "name": "Eve"}]},
        content_type="application/json",
    )
    assert refused.status_code == 422
