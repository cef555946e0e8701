"""The spam rules and the score they add up to: what passes, what is held, and why."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.moderation.models import SpamCheck, SpamState
from ficarchive.moderation.spam import checking, rules
from ficarchive.social import actions
from ficarchive.works.models import Work
from tests.conftest import post_work


@pytest.fixture(autouse=True)
def rules_alone(settings: Any) -> None:
    """The rules on their own: the classifier's verdict weighs nothing here (but one test)."""
    settings.SPAM_CLASSIFIER_WEIGHT = 0


SPAM = '<p>Cheap watches at <a href="https://cheap.example.com/w">cheap.example.com</a></p>'


def codes(check: SpamCheck) -> set[str]:
    return {reason["code"] for reason in check.reasons}


def established(user: User, work: Work) -> User:
    """USER, a month old with a few public comments (posted as an old account would)."""
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=30))
    user.refresh_from_db()
    for number in range(3):
        actions.post_comment(user, work, f"Kind words number {number}.")
    return user


def test_a_short_comment_without_links_from_a_new_account_passes(carol: User) -> None:
    check = checking.check(checking.COMMENT, 1, "<p>I loved the ending!</p>", author=carol)
    assert check.state == SpamState.PASSED
    assert check.score < 0.5
    assert codes(check) == {"new_account", "low_activity"}


def test_a_link_from_a_new_account_is_held_with_its_reasons(carol: User) -> None:
    check = checking.check(checking.COMMENT, 1, SPAM, author=carol)
    assert check.state == SpamState.HELD
    assert check.score >= 0.6
    assert {"links", "link_share", "new_account", "low_activity"} <= codes(check)
    details = [reason["detail"] for reason in check.reasons]
    assert "1 link" in details and "joined today" in details
    # What it learns from: the text shown, then the addresses its links hide.
    assert check.text == "Cheap watches at cheap.example.com https://cheap.example.com/w"


def test_a_link_in_a_long_comment_from_an_established_account_passes(
    carol: User, work: Work
) -> None:
    established(carol, work)
    text = (
        "<p>This chapter reminded me of a lovely essay on lighthouses I read last year, "
        'by <a href="https://essays.example.org/lamp">a keeper</a>; the quiet parts '
        "especially, and the way the lamp keeps turning while nobody watches.</p>"
    )
    check = checking.check(checking.COMMENT, 99, text, author=carol)
    assert check.state == SpamState.PASSED
    assert codes(check) == {"links"}


def test_links_to_the_archive_itself_are_not_counted() -> None:
    found = rules.find_links(
        '<p>See <a href="/works/5">part one</a> and <a href="#top">top</a></p>'
    )
    assert found.count == 0


def test_bare_addresses_in_plain_text_count_as_links() -> None:
    found = rules.find_links("<p>buy now www.pills.example.net and https://x.example.io/a</p>")
    assert found.count == 2
    assert found.share > 0.5


def test_a_bbcode_link_that_is_no_address_counts_as_a_link_and_is_held(carol: User) -> None:
    text = "<p>[url=http://pills-cheap.rx]buy pills[/url]</p>"
    assert rules.find_links(text).count == 1
    assert checking.check(checking.COMMENT, 1, text, author=carol).state == SpamState.HELD


def test_a_guest_counts_as_a_new_account_and_the_address_is_kept_hashed() -> None:
    check = checking.check(checking.COMMENT, 1, "<p>Nice!</p>", author=None, address="203.0.113.9")
    assert codes(check) == {"guest", "low_activity"}
    assert check.state == SpamState.PASSED
    assert check.author_address and "203.0.113.9" not in check.author_address


def test_a_filled_honeypot_is_held_whoever_posts(carol: User, work: Work) -> None:
    established(carol, work)
    check = checking.check(checking.COMMENT, 1, "<p>Hello</p>", author=carol, honeypot=True)
    assert check.state == SpamState.HELD
    assert "honeypot" in codes(check)


def test_the_same_text_posted_many_times_adds_points(carol: User, bob: User) -> None:
    text = "<p>Visit my profile for the most amazing free stories you will ever read!</p>"
    first = [checking.check(checking.COMMENT, n, text, author=carol) for n in range(3)]
    assert all("repeat" not in codes(check) for check in first)
    fourth = checking.check(checking.COMMENT, 4, text.upper(), author=bob)
    assert "repeat" in codes(fourth)
    assert fourth.state == SpamState.HELD


def test_short_common_texts_are_never_repeats(carol: User) -> None:
    checks = [
        checking.check(checking.COMMENT, n, "<p>Thank you!</p>", author=carol) for n in range(5)
    ]
    assert all("repeat" not in codes(check) for check in checks)


def test_posting_fast_adds_points(carol: User, settings: Any) -> None:
    settings.SPAM_BURST_POSTS = 2
    checks = [
        checking.check(checking.COMMENT, n, f"<p>Note {n}</p>", author=carol) for n in range(3)
    ]
    assert "burst" not in codes(checks[1])
    assert "burst" in codes(checks[2])


def test_every_weight_and_the_threshold_are_settings(carol: User, settings: Any) -> None:
    settings.SPAM_HOLD_THRESHOLD = 0.99
    assert checking.check(checking.COMMENT, 1, SPAM, author=carol).state == SpamState.PASSED
    settings.SPAM_HOLD_THRESHOLD = 0.6
    settings.SPAM_LINK_POINTS = 0
    settings.SPAM_LINK_SHARE_POINTS = 0
    assert checking.check(checking.COMMENT, 2, SPAM, author=carol).state == SpamState.PASSED


def test_without_an_akismet_key_akismet_is_never_asked(carol: User, settings: Any) -> None:
    settings.AKISMET_API_KEY = ""
    assert checking.akismet_reasons("buy", author=carol, address="", kind="comment") == []
    check = checking.check(checking.COMMENT, 1, "<p>Fine words.</p>", author=carol)
    assert "akismet" not in codes(check)


def test_every_check_is_written_with_its_author(carol: User) -> None:
    work = post_work(carol, "Carol's first")
    check = SpamCheck.objects.get(target_kind=checking.WORK, target_id=work.pk)
    assert check.author == carol and check.state == SpamState.PASSED
    assert "Carol's first" in check.text


def test_the_classifier_adds_its_weighed_log_odds(carol: User, settings: Any) -> None:
    settings.SPAM_CLASSIFIER_WEIGHT = 1.0
    settings.SPAM_CLASSIFIER_STARTING_SET = True  # tests start it knowing nothing
    checking.classifier.forget()
    try:
        check = checking.check(checking.COMMENT, 1, SPAM, author=carol)
    finally:
        settings.SPAM_CLASSIFIER_STARTING_SET = False
        checking.classifier.forget()
    verdict = next(r for r in check.reasons if r["code"] == "classifier")
    assert "the classifier says" in verdict["detail"]
    assert verdict["points"] > 2  # the shipped starting set knows replica watches


def test_a_word_or_two_is_too_short_for_the_classifier(carol: User, settings: Any) -> None:
    settings.SPAM_CLASSIFIER_WEIGHT = 1.0
    check = checking.check(checking.COMMENT, 1, "<p>Reply 2.</p>", author=carol)
    assert "classifier" not in codes(check)
    assert check.state == SpamState.PASSED
