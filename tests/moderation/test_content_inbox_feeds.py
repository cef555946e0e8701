"""A work a moderator hid leaves its readers' inboxes and feeds by name: subscribers see "a
hidden work" where the title was; its creators still see it, with the moderator's reason."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.moderation.actions import content
from ficarchive.social.actions import post_comment, subscribe
from ficarchive.works import actions as work_actions
from tests.conftest import logged_in, post_work
from tests.exporting.test_personal_feeds import personal_titles
from tests.moderation.content_helpers import polly
from tests.works.test_posting import text_of

pytestmark = pytest.mark.usefixtures("immediate_tasks")

TITLE = "Secret Harbour"


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def followed(alice, bob, carol, django_capture_on_commit_callbacks):
    """Carol follows Bob; Bob posts a work, then a chapter of it; Carol follows the work too."""
    subscribe(carol, creator=bob)
    with django_capture_on_commit_callbacks(execute=True):
        work = post_work(bob, TITLE)
    subscribe(carol, work=work)
    with django_capture_on_commit_callbacks(execute=True):
        work_actions.add_chapter(bob, work, work_actions.ChapterDetails(body="<p>More.</p>"))
    post_comment(carol, work, "Lovely.")
    return work


def inbox_page(user) -> str:
    return text_of(logged_in(user).get("/inbox"))


def api_titles(user) -> list[str | None]:
    answer = logged_in(user).get("/api/v1/me/inbox")
    assert answer.status_code == 200
    return [item["work_title"] for item in answer.json()["items"]]


def test_subscribers_inbox_names_a_hidden_work_no_more(followed, carol):
    assert TITLE in inbox_page(carol)
    content.hide_work(polly(), followed, "Plagiarised.")
    page = inbox_page(carol)
    assert TITLE not in page
    assert "A hidden work" in page
    assert f'href="/works/{followed.pk}"' not in page
    assert "Plagiarised." not in page


def test_the_api_inbox_names_a_hidden_work_no_more(followed, carol):
    assert TITLE in api_titles(carol)
    content.hide_work(polly(), followed, "Plagiarised.")
    assert set(api_titles(carol)) == {"a hidden work"}


def test_the_creator_sees_the_title_and_the_reason_and_then_the_unhiding(followed, bob, carol):
    moderator = polly()
    content.hide_work(moderator, followed, "Plagiarised.")
    page = inbox_page(bob)
    assert "Your work was hidden by a moderator" in page
    assert TITLE in page and "Plagiarised." in page
    content.unhide_work(moderator, followed)
    assert "Your work was unhidden" in inbox_page(bob)
    assert TITLE in inbox_page(carol)


def test_the_subscribers_feed_leaves_a_hidden_work_out(client: Client, followed, carol):
    assert any(TITLE in title for title in personal_titles(client, carol))
    content.hide_work(polly(), followed, "Plagiarised.")
    assert not any(TITLE in title for title in personal_titles(client, carol))


def test_public_feeds_leave_a_hidden_work_out(client: Client, followed, carol):
    feeds = [
        "/users/bob/feed.atom",
        f"/works/{followed.pk}/feed.atom",
        "/tags/Original Work/feed.atom",
    ]
    for address in feeds:
        assert TITLE in client.get(address).content.decode(), address
    content.hide_work(polly(), followed, "Plagiarised.")
    for address in feeds:
        assert TITLE not in client.get(address).content.decode(), address
