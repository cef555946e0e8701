"""A moderator's day in Chromium: a reader reports a spam comment, the moderator finds it in the
queue, hides it, spam-bans its author and reads the audit log; a held comment stays unseen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ficarchive.accounts.models import User
from ficarchive.moderation.models import AuditEntry, Case, SpamCheck
from ficarchive.social.actions import post_comment
from tests.browser.test_readers_answer import log_in
from tests.conftest import make_user, post_work
from tests.moderation.report_helpers import moderator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SPAM = "First! My own stories are far better than this, go and read them instead."


def test_a_moderator_takes_a_report_to_the_queue_hides_the_comment_and_spam_bans_its_author(
    browser, page
):
    author, reader = make_user("alice"), make_user("carol")
    spammer = make_user("mallory")
    polly = moderator("polly")
    work = post_work(author, "Salt and Lanterns", chapters=["<p>The keeper climbed.</p>"])
    comment = post_comment(spammer, work, SPAM)
    comment.refresh_from_db()
    assert comment.is_public  # the spam check let it through: readers must report it

    # A reader reports the comment from its Report link.
    log_in(page, "carol")
    page.goto(f"/works/{work.pk}")
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Report").click()
    page.get_by_role("radio", name="Spam", exact=True).check()
    page.get_by_label("Tell the moderators more").fill("Advert for essays in a review.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    page.get_by_role("button", name="Log out").click()

    # The moderator sees it counted in the navigation and opens the case from the queue.
    log_in(page, "polly")
    page.get_by_role("link", name="Moderation (1)").click()
    page.get_by_role("link", name=re.compile(r"^#\d+$")).first.click()
    expect(page.get_by_text("Advert for essays in a review.")).to_be_visible()

    # Hide the comment, then spam-ban its author, both from the case page.
    content = page.locator("section.content-actions")
    hide = content.locator("form").filter(has=page.get_by_role("button", name="Hide the comment"))
    hide.get_by_label("Reason").fill("Advertising")
    hide.get_by_role("button", name="Hide the comment").click()
    expect(page.get_by_role("button", name="Unhide the comment")).to_be_visible()

    account = page.locator("section.user-actions")
    ban = account.locator("form").filter(
        has=page.get_by_role("button", name=re.compile("Spam-ban"))
    )
    ban.get_by_label("Reason").fill("Spam account")
    ban.get_by_role("button", name=re.compile("Spam-ban")).click()
    expect(page.locator("section.user-actions").get_by_role("button", name="Unban")).to_be_visible()

    # The audit log shows both, newest first, with who and why.
    page.get_by_role("link", name="Audit log").click()
    rows = page.locator("main")
    expect(rows).to_contain_text("spam-banned")
    expect(rows).to_contain_text("Spam account")
    expect(rows).to_contain_text("Advertising")

    # What the data says, and what a guest sees.
    assert list(AuditEntry.objects.filter(actor=polly).values_list("verb", flat=True)) == [
        "spam_ban_user",
        "hide_comment",
    ]
    assert not User.objects.get(pk=spammer.pk).is_active
    case = Case.objects.get()
    assert case.subject == spammer
    assert [report.reporter for report in case.reports.all()] == [reader]
    guest = browser.new_context(base_url=page.url.split("/moderation")[0]).new_page()
    guest.goto(f"/works/{work.pk}")
    expect(guest.get_by_text("The keeper climbed.")).to_be_visible()
    assert "far better than this" not in guest.content()
    guest.context.close()


def test_a_new_accounts_spam_comment_is_held_and_never_shown_to_readers(browser, page):
    author = make_user("alice")
    make_user("mallory")
    work = post_work(author, "Salt and Lanterns", chapters=["<p>The keeper climbed.</p>"])
    spam = (
        "Buy cheap essays https://essays.example/buy https://essays.example/cheap "
        "casino bonus https://casino.example/win"
    )

    log_in(page, "mallory")
    page.goto(f"/works/{work.pk}")
    page.get_by_label(re.compile(r"^Comment:?$")).fill(spam)
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text(re.compile("waiting for review", re.I)).first).to_be_visible()
    assert SpamCheck.objects.get(target_kind="comment").state == "held"

    for who in ("guest", "alice"):
        other = browser.new_context(base_url=page.url.split("/works")[0]).new_page()
        other.set_default_timeout(15_000)
        if who == "alice":
            log_in(other, "alice")
        other.goto(f"/works/{work.pk}")
        expect(other.get_by_text("The keeper climbed.")).to_be_visible()
        assert "casino" not in other.content(), who
        other.context.close()
