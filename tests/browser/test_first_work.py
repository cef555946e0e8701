"""A newcomer signs up, posts a two-chapter work and edits it, and a guest reads it through the
notice."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ficarchive.works.models import Work

# Serialized rollback gives the test back the fixed tags the migrations made.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_newcomer_posts_a_two_chapter_work_that_a_guest_reads(page):
    # Sign up.
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("User name").fill("newcomer")
    page.get_by_label("Email address").fill("newcomer@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a long and unusual passphrase")
    page.get_by_label("Password again").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    # The mailed link opens the account and logs in.
    [message] = mail.outbox
    page.goto(re.search(r"https?://[^/\s]+(/signup/confirm/\S+)", message.body).group(1))
    expect(page.get_by_text("Welcome to the archive, newcomer!")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # Post the first chapter of a Mature work.
    page.get_by_role("link", name="Post a work").click()
    page.get_by_label(re.compile(r"^Title:?$")).fill("Salt and Lanterns")
    page.get_by_label("Rating").select_option("Mature")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Original Work")
    page.get_by_label("Characters").fill("The Keeper, The Sailor")
    page.get_by_label("Chapters expected").fill("2")
    page.get_by_label("Chapter title").fill("The Lamp")
    page.get_by_role("button", name="HTML", exact=True).click()  # the editor's source view
    page.get_by_role("textbox", name="Work text").fill(
        "The keeper climbed the stairs.\n\nThe lamp was already lit, <script>alert(1)</script>"
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".userstuff").get_by_text("The keeper climbed the stairs.")).to_be_visible()
    assert Work.objects.count() == 0, "a preview writes nothing"
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/works/\d+"))
    expect(page.get_by_role("heading", name="Salt and Lanterns")).to_be_visible()
    work_url = re.sub(r"\?.*$", "", page.url)

    # Add the second chapter.
    page.get_by_role("link", name="Add chapter").click()
    page.get_by_label("Chapter title").fill("The Ship")
    page.get_by_role("textbox", name="Chapter text").fill(
        "A sail on the horizon, and then another."
    )
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("A sail on the horizon")).to_be_visible()

    # Edit the work: a new title and a summary.
    page.goto(work_url)
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label(re.compile(r"^Title:?$")).fill("Salt and Lanterns, Again")
    page.get_by_label(re.compile(r"^Summary:?$")).fill("A keeper, a lamp, and two ships.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Salt and Lanterns, Again")).to_be_visible()
    expect(page.get_by_text("A keeper, a lamp, and two ships.")).to_be_visible()

    # Log out and read as a guest: the adult-content notice comes first.
    page.get_by_role("button", name="Log out").click()
    page.goto(work_url)
    expect(page.get_by_text("Mature").first).to_be_visible()
    assert page.get_by_text("The keeper climbed the stairs.").count() == 0
    page.get_by_role("link", name="Proceed").click()
    expect(page.get_by_text("The keeper climbed the stairs.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("The Lamp"))).to_be_visible()
    assert page.locator("script", has_text="alert(1)").count() == 0

    page.get_by_role("link", name=re.compile("Next chapter")).first.click()
    expect(page.get_by_text("A sail on the horizon, and then another.")).to_be_visible()

    page.get_by_role("link", name=re.compile("Entire work")).first.click()
    expect(page.get_by_text("The keeper climbed the stairs.")).to_be_visible()
    expect(page.get_by_text("A sail on the horizon, and then another.")).to_be_visible()
    stats = page.locator(".work-meta").inner_text()
    assert "2/2" in stats
