"""Scheduled and silent release through the API: an app sets, reads, changes and cancels when a
draft posts itself, and posts chapters silently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.social import actions as social
from ficarchive.social.models import InboxItem
from ficarchive.works import actions
from ficarchive.works.models import Chapter, ScheduledRelease, Work
from tests.api.conftest import API, bearer, error_of, token_for
from tests.conftest import post_work

JSON = "application/json"


def soon(hours: int = 5) -> str:
    return (timezone.now() + timedelta(hours=hours)).isoformat()


def test_an_app_schedules_reads_changes_and_cancels_a_draft(alice: User, alice_api: Client) -> None:
    work = post_work(alice, "Tidewater", draft=True)
    address = f"{API}/works/{work.pk}/schedule"
    assert alice_api.get(address).status_code == 404

    year = timezone.now().year + 1
    answer = alice_api.put(address, {"post_at": f"{year}-03-01T09:30:00-05:00"}, content_type=JSON)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["work_id"] == work.pk and body["chapter_id"] is None and body["silent"] is False
    assert datetime.fromisoformat(body["post_at"]) == datetime(year, 3, 1, 14, 30, tzinfo=UTC)
    assert alice_api.get(address).json() == body

    later = alice_api.put(address, {"post_at": f"{year}-03-02T09:30:00Z"}, content_type=JSON)
    assert later.json()["id"] == body["id"], "a second call changes the same schedule"
    assert ScheduledRelease.objects.get().post_at == datetime(year, 3, 2, 9, 30, tzinfo=UTC)

    assert alice_api.delete(address).status_code == 204
    assert not ScheduledRelease.objects.exists()
    assert Work.objects.get(pk=work.pk).is_draft
    assert alice_api.delete(address).status_code == 404


def test_a_scheduled_chapter_posts_silently_when_due(
    alice: User, carol: User, alice_api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    work = post_work(alice, "Ongoing")
    social.subscribe(carol, work=work, email=False)
    chapter = actions.add_chapter(
        alice, work, actions.ChapterDetails(body="<p>Back-filled.</p>"), draft=True
    )
    address = f"{API}/works/{work.pk}/chapters/{chapter.pk}/schedule"
    answer = alice_api.put(address, {"post_at": soon(1), "silent": True}, content_type=JSON)
    assert answer.status_code == 200 and answer.json()["silent"] is True
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.post_due(timezone.now() + timedelta(hours=2)) == 1
    assert not Chapter.objects.get(pk=chapter.pk).is_draft
    assert not InboxItem.objects.filter(user=carol).exists()


def test_chapters_are_added_and_published_silently(
    alice: User, carol: User, alice_api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    work = post_work(alice, "Ongoing")
    social.subscribe(carol, work=work, email=False)
    updated = work.updated_at
    with django_capture_on_commit_callbacks(execute=True):
        added = alice_api.post(
            f"{API}/works/{work.pk}/chapters",
            {"body": "<p>A fix.</p>", "silent": True},
            content_type=JSON,
        )
        drafted = alice_api.post(
            f"{API}/works/{work.pk}/chapters",
            {"body": "<p>Another.</p>", "draft": True},
            content_type=JSON,
        ).json()
        published = alice_api.post(
            f"{API}/works/{work.pk}/chapters/{drafted['id']}/publish?silent=true"
        )
    assert added.status_code == 201 and published.status_code == 200
    assert Work.objects.get(pk=work.pk).updated_at == updated
    assert Work.objects.get(pk=work.pk).chapter_count == 3
    assert not InboxItem.objects.filter(user=carol).exists()


def test_bad_times_and_other_people_are_refused(alice: User, bob: User, alice_api: Client) -> None:
    work = post_work(alice, "Tidewater", draft=True)
    address = f"{API}/works/{work.pk}/schedule"

    past = alice_api.put(address, {"post_at": "2020-01-01T10:00:00Z"}, content_type=JSON)
    assert past.status_code == 422
    assert error_of(past)["field"] == "post_at"
    assert "has passed: choose a time to come." in error_of(past)["message"]

    naive = alice_api.put(address, {"post_at": "2030-01-01T10:00:00"}, content_type=JSON)
    assert naive.status_code == 422 and error_of(naive)["field"] == "post_at"
    words = alice_api.put(address, {"post_at": "next tuesday"}, content_type=JSON)
    assert words.status_code == 422
    silent_work = alice_api.put(address, {"post_at": soon(), "silent": True}, content_type=JSON)
    assert silent_work.status_code == 422 and error_of(silent_work)["field"] == "silent"

    bob_api = bearer(token_for(bob))
    assert bob_api.put(address, {"post_at": soon()}, content_type=JSON).status_code == 404
    reader = bearer(token_for(alice, "read"))
    refused = reader.put(address, {"post_at": soon()}, content_type=JSON)
    assert refused.status_code == 403
    assert Client().get(address).status_code == 401
    assert not ScheduledRelease.objects.exists()

    posted = post_work(alice, "Posted")
    answer = alice_api.put(
        f"{API}/works/{posted.pk}/schedule", {"post_at": soon()}, content_type=JSON
    )
    assert answer.status_code == 409
    assert "already posted" in error_of(answer)["message"]
