"""In Chromium, a reader reads to the middle of chapter 3 on one browser (context) and continues
there on another: the work page offers "Continue reading: Chapter 3", which opens at the
paragraph she was reading."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from ficarchive.social.models import ChapterRead, Reading
from tests.browser.test_readers_answer import log_in
from tests.conftest import make_user, post_work

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for(check, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        found = list(Reading.objects.values_list("chapter_id", "paragraph"))
        assert time.monotonic() < deadline, f"the page did not report the place in time: {found}"
        time.sleep(0.25)


def test_a_reader_continues_on_another_browser_where_she_stopped(page, browser, live_server):
    alice = make_user("alice")
    carol = make_user("carol")
    chapters = [
        "".join(f"<p>Chapter {c}, paragraph {n}: the tide came in again.</p>" for n in range(1, 61))
        for c in range(1, 5)
    ]
    work = post_work(alice, "Saga", chapters=chapters)
    third = work.chapters.get(position=3)

    # On the first browser: chapter 3, scrolled to its 30th paragraph.
    log_in(page, "carol")
    page.goto(f"/works/{work.pk}/chapters/{third.pk}")
    page.locator(".userstuff[data-chapter] > p").nth(29).evaluate(
        "block => window.scrollTo(0, block.getBoundingClientRect().top + window.scrollY)"
    )
    wait_for(lambda: Reading.objects.filter(user=carol, chapter=third, paragraph=30).exists())

    # On a second browser, the work page offers to continue there, and lands on it.
    other = browser.new_context(base_url=live_server.url)
    try:
        second = other.new_page()
        log_in(second, "carol")
        second.goto(f"/works/{work.pk}")
        link = second.get_by_role("link", name="Continue reading: Chapter 3")
        expect(link).to_have_attribute("href", f"/works/{work.pk}/chapters/{third.pk}#p-30")
        link.click()
        second.wait_for_url(re.compile(r"#p-30$"))
        landed = second.get_by_text("Chapter 3, paragraph 30: the tide came in again.")
        expect(landed).to_be_in_viewport()
        expect(
            second.get_by_text("Chapter 3, paragraph 20: the tide came in again.")
        ).not_to_be_in_viewport()

        # Read on to the end of chapter 3: it is marked read, and the place moves on.
        second.locator(".userstuff[data-chapter] > p").last.scroll_into_view_if_needed()
        second.mouse.wheel(0, 400)
        wait_for(lambda: ChapterRead.objects.filter(user=carol, chapter=third).exists())
        second.goto(f"/works/{work.pk}/navigate")
        expect(second.get_by_role("link", name="Continue reading: Chapter 4")).to_be_visible()
        expect(second.get_by_text("Read", exact=True)).to_be_visible()
    finally:
        other.close()
