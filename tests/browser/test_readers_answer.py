"""Two readers in Chromium: a subscriber gets a new chapter and answers; the author replies."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ficarchive.social.models import Comment, Kudos
from tests.browser.editing import text_box
from tests.conftest import PASSWORD, make_user, post_work
from tests.social.test_worker import run_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("User name or email").fill(username)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()


def test_a_subscriber_gets_the_new_chapter_answers_and_reads_the_authors_reply(browser, page):
    author, reader = make_user("alice"), make_user("carol")
    work = post_work(author, "Salt and Lanterns", chapters=["<p>The keeper climbed.</p>"],
                     expected_chapters=2)  # fmt: skip

    # The reader follows the work.
    log_in(page, "carol")
    page.goto(f"/works/{work.pk}")
    page.get_by_role("button", name="Subscribe", exact=True).click()
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()

    # The author posts a new chapter in another browser.
    author_page = browser.new_context(base_url=page.url.split("/works")[0]).new_page()
    author_page.set_default_timeout(15_000)
    log_in(author_page, "alice")
    author_page.goto(f"/works/{work.pk}")
    author_page.get_by_role("link", name="Add chapter").click()
    author_page.get_by_label("Chapter title").fill("The Ship")
    text_box(author_page, "Chapter text").fill("A sail on the horizon.")
    author_page.get_by_role("button", name="Post", exact=True).click()
    author_page.get_by_text("A sail on the horizon.").wait_for()
    run_worker()  # the worker `ficarchive serve` runs beside the server

    # The reader finds it in the inbox and in the mail.
    assert [message.to for message in mail.outbox] == [["carol@example.org"]]
    assert "The Ship" in mail.outbox[0].subject
    page.goto("/")
    page.get_by_role("link", name=re.compile(r"Inbox 1")).click()
    page.get_by_role("link", name=re.compile("Chapter 2: The Ship")).click()
    expect(page.get_by_text("A sail on the horizon.")).to_be_visible()

    # Kudos and a review, without reloading the page.
    url_before = page.url
    page.get_by_role("button", name="Kudos ♥").click()
    page.get_by_text("carol left kudos on this work!").wait_for()
    page.get_by_label(re.compile(r"^Comment:?$")).fill("The sail gave me chills!")
    page.get_by_role("button", name="Post comment").click()
    page.locator(".comment-body").get_by_text("The sail gave me chills!").wait_for()
    assert page.url == url_before
    counts = page.locator("#work-stats dd")  # the counts above the comments moved with them
    expect(counts.nth(0)).to_have_text("1")  # kudos
    expect(counts.nth(1)).to_have_text("1")  # comments
    assert Kudos.objects.filter(user=reader).count() == 1

    # The author replies from the inbox.
    author_page.goto("/inbox")
    author_page.get_by_text("The sail gave me chills!").wait_for()
    author_page.locator("details.reply summary").first.click()
    author_page.get_by_label("Your reply").first.fill("Thank you, more soon!")
    author_page.get_by_role("button", name="Post reply").first.click()
    author_page.get_by_text("Your reply is posted.").wait_for()
    assert Comment.objects.filter(user=author, parent__isnull=False).count() == 1

    # The reader sees the reply.
    page.goto("/inbox")
    expect(page.get_by_text("Reply to your comment:")).to_be_visible()
    page.get_by_text("Thank you, more soon!").wait_for()

    # The author's stats show the kudos and the comments.
    author_page.goto("/stats")
    row = author_page.get_by_role("row", name=re.compile("Salt and Lanterns"))
    cells = row.get_by_role("cell").all_inner_texts()
    assert cells[2:4] == ["1", "2"], "1 kudos; the review and the reply are 2 comments"
    assert cells[5] == "1", "the reader's subscription"
    assert int(cells[1]) >= 1, "the reader's visit is a hit"
    expect(author_page.locator("svg.chart")).to_be_visible()
