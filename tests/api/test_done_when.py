"""The issue's "done when": tools that use only the documented API and a token."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.social.models import InboxItem
from tests.api.conftest import API, bearer, token_for
from tests.conftest import post_work


def test_a_readers_tool_searches_follows_and_downloads(
    alice: User, carol: User, immediate_tasks: Any
) -> None:
    post_work(
        alice, "Storm Warning", fandoms=["Weather"], chapters=["<p>Wind.</p>", "<p>Rain.</p>"]
    )
    post_work(alice, "Calm Seas", fandoms=["Sea"])
    tool = bearer(token_for(carol, "write", "Reader tool"))

    found = tool.get(f"{API}/works", {"q": "storm", "include": "Weather"}).json()
    assert [w["title"] for w in found["works"]] == ["Storm Warning"]
    work_id = found["works"][0]["id"]

    followed = tool.post(
        f"{API}/me/subscriptions", {"work_id": work_id}, content_type="application/json"
    )
    assert followed.status_code == 201

    detail = tool.get(f"{API}/works/{work_id}").json()
    epub = tool.get(detail["downloads"]["epub"])
    assert epub.status_code == 200 and epub.content[:2] == b"PK"
    assert 'filename="Storm Warning - alice.epub"' in epub["Content-Disposition"]
    unchanged = tool.get(detail["downloads"]["epub"], HTTP_IF_NONE_MATCH=epub["ETag"])
    assert unchanged.status_code == 304


def test_an_authors_tool_posts_a_chapter_and_followers_hear_of_it(
    alice: User, carol: User, immediate_tasks: Any, django_capture_on_commit_callbacks: Any
) -> None:
    work = post_work(alice, "Serial", expected_chapters=3)
    reader = bearer(token_for(carol, "write", "Reader tool"))
    reader.post(f"{API}/me/subscriptions", {"work_id": work.pk}, content_type="application/json")
    author = bearer(token_for(alice, "write", "Writing app"))

    with django_capture_on_commit_callbacks(execute=True):
        posted = author.post(
            f"{API}/works/{work.pk}/chapters",
            {"title": "Two", "body": "Second chapter, in plain words.", "body_format": "plain"},
            content_type="application/json",
        )
    assert posted.status_code == 201
    chapter = posted.json()
    assert chapter["number"] == 2 and chapter["draft"] is False

    seen = Client().get(f"{API}/works/{work.pk}/chapters/{chapter['id']}").json()
    assert "Second chapter" in seen["body"]
    inbox = reader.get(f"{API}/me/inbox").json()
    assert [item["kind"] for item in inbox["items"]] == ["chapter"]
    assert InboxItem.objects.filter(user=carol, chapter_id=chapter["id"]).exists()
