"""In Chromium, a gift exchange from sign-up to reveal: an owner makes an anonymous, unrevealed
collection a gift exchange; six participants sign up on its page; once sign-ups close the
background worker matches them all; the owner sends the assignments; one participant posts
their gift from the assignment page, another defaults and a reader takes the pinch hit; the
gift stays hidden from guests until the owner reveals the collection; then it names its creator
and its recipient, who finds it in their inbox and may refuse it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ficarchive.collections.models import ExchangeAssignment, GiftExchange
from tests.browser.editing import text_box
from tests.browser.test_readers_answer import log_in
from tests.conftest import make_user
from tests.social.test_worker import run_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PEOPLE = ["ann", "ben", "cat", "dan", "eve", "fay"]


def _local(moment: timezone.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def switch_to(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def test_a_gift_exchange_runs_from_sign_up_to_reveal(page):
    for name in ["carol", "mallory", *PEOPLE]:
        make_user(name)

    # Carol makes the collection and its exchange.
    log_in(page, "carol")
    page.goto("/collections/new")
    page.get_by_label("Name").fill("yule_swap")
    page.get_by_label("Title").fill("Yule Swap")
    page.get_by_label(re.compile(r"^Anonymous:?$")).check()
    page.get_by_label(re.compile(r"^Unrevealed:?$")).check()
    page.get_by_role("button", name="Make the collection").click()
    page.get_by_role("link", name="Make it a gift exchange").click()
    now = timezone.now()
    page.get_by_label("Sign-ups open").fill(_local(now - timedelta(hours=1)))
    page.get_by_label("Sign-ups close").fill(_local(now + timedelta(days=1)))
    page.get_by_label("Gifts due").fill(_local(now + timedelta(days=20)))
    page.get_by_label("Fandoms allowed (the tag set)").fill("Moomins, Discworld")
    page.get_by_role("button", name="Save the gift exchange").click()
    expect(page.get_by_text("The gift exchange is saved.")).to_be_visible()

    # Six participants sign up from the collection page.
    for number, name in enumerate(PEOPLE):
        fandom = ("Moomins", "Discworld")[number % 2]
        switch_to(page, name)
        page.goto("/collections/yule_swap")
        page.get_by_role("link", name="Sign up", exact=True).click()
        page.locator("#id_requests_1_fandoms").fill(fandom)
        page.locator("#id_requests_1_text").fill(f"{name} would love a winter story")
        page.locator("#id_offers_1_fandoms").fill(fandom)
        page.get_by_role("button", name="Sign up", exact=True).click()
        expect(page.get_by_text("Your sign-up is saved.")).to_be_visible()
    # Time passes: sign-ups close.
    GiftExchange.objects.update(signups_close_at=timezone.now() - timedelta(minutes=1))

    # Carol runs the matching; the worker does it; she sends the assignments.
    switch_to(page, "carol")
    page.goto("/collections/yule_swap/matching")
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_text("Waiting for the worker")).to_be_visible()
    run_worker()
    page.reload()
    expect(page.get_by_text("6 assignments for 6 participants")).to_be_visible()
    page.get_by_role("button", name="Send the assignments").click()
    expect(page.get_by_text("6 assignments are sent.")).to_be_visible()
    run_worker()  # the emails

    # Ann posts her gift from her assignment.
    ann = ExchangeAssignment.objects.get(giver__user__username="ann")
    recipient = ann.recipient.user.username
    switch_to(page, "ann")
    page.goto("/collections/yule_swap")
    page.get_by_role("link", name="Your assignment and pinch hits").click()
    expect(page.get_by_text(f"You write for {recipient}")).to_be_visible()
    expect(page.get_by_text(f"{recipient} would love a winter story")).to_be_visible()
    page.get_by_role("link", name="Post your gift").click()
    expect(page.get_by_text(f"Your gift for {recipient} in “Yule Swap”")).to_be_visible()
    page.get_by_label(re.compile(r"^Title:?$")).fill("Snow on the Lamp")
    page.get_by_label("Rating").select_option("General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Moomins")
    text_box(page, "Work text").fill("The snow came down on the lighthouse all night.")
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_url(re.compile(r"/works/\d+"))
    gift_url = re.sub(r"\?.*$", "", page.url)
    expect(page.locator(".byline")).to_have_text("Anonymous")

    # Ben defaults; Mallory takes the pinch hit.
    switch_to(page, "ben")
    page.goto("/collections/yule_swap/assignment")
    page.get_by_role("button", name="Default (give it up)").click()
    expect(page.get_by_text("You have defaulted")).to_be_visible()
    switch_to(page, "mallory")
    page.goto("/collections/yule_swap/assignment")
    page.get_by_role("button", name="Take this pinch hit").click()
    expect(page.get_by_text("The pinch hit is yours.")).to_be_visible()
    expect(page.get_by_role("link", name="Post your gift")).to_be_visible()

    # Before the reveal a guest finds nothing; then Carol reveals.
    page.context.clear_cookies()
    assert page.goto(gift_url).status == 404
    page.goto("/collections/yule_swap")
    expect(page.get_by_text("1 work waits for the reveal.")).to_be_visible()
    switch_to(page, "carol")
    page.goto("/collections/yule_swap")
    page.get_by_role("button", name="Reveal now").click()
    expect(page.get_by_text("“Yule Swap” is revealed: 1 work is shown")).to_be_visible()
    run_worker()

    page.context.clear_cookies()
    page.goto(gift_url)
    expect(page.locator(".byline")).to_have_text("ann")
    expect(page.locator(".gift-for")).to_have_text(f"For {recipient}")

    # The recipient finds the gift in their inbox and refuses it.
    switch_to(page, recipient)
    page.goto("/inbox")
    expect(page.get_by_role("link", name="“Snow on the Lamp”")).to_be_visible()
    page.goto(f"/users/{recipient}/gifts")
    page.get_by_role("button", name="Refuse this gift").click()
    expect(page.get_by_text("You refused “Snow on the Lamp”")).to_be_visible()
    page.goto(gift_url)
    expect(page.locator(".gift-for")).to_have_count(0)
