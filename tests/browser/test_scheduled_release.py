"""In Chromium, an author in New York saves a draft, schedules it with the browser's date and
time picker in her own time zone, sees it on her drafts page, and the upkeep posts it when due;
a draft chapter of a posted work is posted silently from the drafts page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ficarchive.social.actions import subscribe
from ficarchive.social.models import InboxItem
from ficarchive.upkeep import run_upkeep
from ficarchive.works import actions
from ficarchive.works.models import Chapter, ScheduledRelease, Work
from tests.browser.test_readers_answer import log_in
from tests.conftest import make_user, post_work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_author_schedules_a_draft_in_her_time_zone_and_it_posts_itself(page, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    alice = make_user("alice")
    alice.time_zone = "America/New_York"
    alice.save()
    carol = make_user("carol")
    subscribe(carol, creator=alice, email=False)
    work = post_work(alice, "Tidewater", draft=True)

    log_in(page, "alice")
    page.goto(f"/works/{work.pk}")
    page.get_by_role("link", name="Schedule", exact=True).click()
    expect(page.get_by_role("heading", name="Schedule “Tidewater”")).to_be_visible()
    expect(page.get_by_text("In your time zone, America/New_York.")).to_be_visible()
    year = timezone.now().year + 1
    page.get_by_label("Post on").fill(f"{year}-02-14T08:15")  # the picker's own value format
    page.get_by_role("button", name="Schedule", exact=True).click()

    page.wait_for_url(re.compile(r"/drafts$"))
    expect(page.get_by_text(f"Tidewater will be posted on 14 Feb {year}, 08:15.")).to_be_visible()
    row = page.locator(f"#work_{work.pk}")
    expect(row.get_by_text(f"Posts on 14 Feb {year}, 08:15")).to_be_visible()
    release = ScheduledRelease.objects.get(work=work)
    assert release.post_at == datetime(year, 2, 14, 13, 15, tzinfo=UTC)

    # A past time is refused with the time named, and the schedule stays as it was.
    row.get_by_role("link", name="Change or cancel").click()
    expect(page.get_by_label("Post on")).to_have_value(f"{year}-02-14T08:15")
    page.get_by_label("Post on").fill("2021-02-14T08:15")
    page.get_by_role("button", name="Change the time").click()
    expect(
        page.get_by_text("14 Feb 2021, 08:15 has passed: choose a time to come.")
    ).to_be_visible()
    assert ScheduledRelease.objects.get(work=work).post_at == release.post_at

    # The time comes (the upkeep runs every minute): the work is posted and Carol is told.
    ScheduledRelease.objects.update(post_at=timezone.now() - timedelta(seconds=5))
    assert run_upkeep()["scheduled_posted"] == 1
    page.goto("/drafts")
    expect(page.get_by_text("You have no drafts.")).to_be_visible()
    assert not Work.objects.get(pk=work.pk).is_draft
    assert InboxItem.objects.filter(user=carol, kind="work", work=work).count() == 1


def test_an_author_posts_a_back_filled_chapter_silently(page, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    alice, carol = make_user("alice"), make_user("carol")
    work = post_work(alice, "Ongoing")
    subscribe(carol, work=work, email=False)
    chapter = actions.add_chapter(
        alice, work, actions.ChapterDetails(body="<p>The missing scene.</p>"), draft=True
    )
    updated = Work.objects.get(pk=work.pk).updated_at

    log_in(page, "alice")
    page.goto("/drafts")
    page.locator(f"#chapter_{chapter.pk}").get_by_role("button", name="Post silently").click()
    expect(page.get_by_text("Chapter posted silently: no one was told.")).to_be_visible()
    expect(page.get_by_text("The missing scene.")).to_be_visible()
    assert not Chapter.objects.get(pk=chapter.pk).is_draft
    assert Work.objects.get(pk=work.pk).updated_at == updated
    assert not InboxItem.objects.filter(user=carol).exists()
