"""The moderation queue and the case page: who may open them, what they show, and the forms."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ficarchive.moderation import audit
from ficarchive.moderation.actions import reports
from ficarchive.moderation.models import Case, Role
from ficarchive.social.actions.comments import delete_comment
from tests.conftest import logged_in, make_user, post_work
from tests.moderation.report_helpers import comment_on, moderator, report_by, with_role, wrangler

QUEUE = "/moderation"
# Measured 8 (session, user, permissions twice, the moderators filter, count, page, reasons),
# whatever the number of cases; two to spare for the navigation; one for the site switches,
# which a staff account's request reads (the two-factor rule) at most once a second.
QUEUE_QUERIES = 11


@pytest.fixture
def polly_client(db) -> Client:
    return logged_in(moderator())


def case_ids(page: str) -> list[int]:
    """The cases a queue page lists, in order."""
    return [int(found) for found in re.findall(r'<tr class="case" id="case-(\d+)">', page)]


def queue_of(client: Client, query: str = "") -> list[int]:
    answer = client.get(f"{QUEUE}?{query}")
    assert answer.status_code == 200
    return case_ids(answer.content.decode())


# --- who may open them -------------------------------------------------------------------------


def test_a_guest_is_sent_to_log_in(alice, carol, work):
    case = report_by(carol, "work", work.pk).case
    for address in (QUEUE, f"/moderation/cases/{case.pk}"):
        answer = Client().get(address)
        assert answer.status_code == 302
        assert answer["Location"].startswith("/login")
    answer = Client().post(f"/moderation/cases/{case.pk}/resolve", {"resolve-outcome": "x"})
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.is_open


@pytest.mark.parametrize("who", ["reader", "wrangler"])
def test_readers_and_tag_wranglers_are_refused(alice, carol, work, who):
    case = report_by(carol, "work", work.pk).case
    client = logged_in(carol if who == "reader" else wrangler())
    for address in (QUEUE, f"/moderation/cases/{case.pk}"):
        answer = client.get(address)
        assert answer.status_code == 403
        assert "Only moderators may see the moderation queue." in answer.content.decode()
    for verb in ("assign", "resolve", "dismiss"):
        answer = client.post(f"/moderation/cases/{case.pk}/{verb}", {f"{verb}-outcome": "x"})
        assert answer.status_code == 403
    case.refresh_from_db()
    assert case.state == "open"


def test_support_and_policy_moderators_and_superadmins_may_open_the_queue(ada, polly_client):
    assert polly_client.get(QUEUE).status_code == 200
    assert logged_in(with_role(Role.SUPPORT, "sue")).get(QUEUE).status_code == 200
    ada.is_superuser = True
    ada.save()
    assert logged_in(ada).get(QUEUE).status_code == 200


# --- the queue -----------------------------------------------------------------------------------


def test_the_queue_lists_open_cases_oldest_first_with_counts_and_reasons(
    alice, bob, carol, mallory, polly_client
):
    work = post_work(alice)
    comment = comment_on(work, mallory)
    first = report_by(carol, "comment", comment.pk, "spam").case
    report_by(bob, "comment", comment.pk, "harassment")
    report_by(carol, "comment", comment.pk, "spam")
    second = report_by(carol, "work", work.pk, "mistagged").case
    Case.objects.filter(pk=first.pk).update(opened_at=timezone.now() - timedelta(days=2))
    page = polly_client.get(QUEUE).content.decode()
    assert case_ids(page) == [first.pk, second.pk]
    row = page[page.index(f'id="case-{first.pk}"') :]
    assert '<td class="report-count">3</td>' in row
    assert "Spam \N{MULTIPLICATION SIGN}2, Harassment or threats" in row
    assert "Comment by mallory on “The Lighthouse Keeper”" in row


def test_the_queue_filters_by_reason_state_and_moderator(alice, bob, carol, work):
    other = post_work(alice, "Other")
    third = post_work(alice, "Third")
    spam = report_by(carol, "work", work.pk, "spam").case
    hate = report_by(carol, "work", other.pk, "hate").case
    closed = report_by(bob, "work", third.pk, "spam").case
    polly = moderator()
    sam = moderator("sam")
    reports.assign_case(polly, hate, sam)
    reports.dismiss_case(polly, closed, "Fine.")
    client = logged_in(polly)
    assert queue_of(client) == [spam.pk, hate.pk]
    assert queue_of(client, "reason=hate") == [hate.pk]
    assert queue_of(client, "reason=spam&state=all") == [spam.pk, closed.pk]
    assert queue_of(client, "state=open") == [spam.pk]
    assert queue_of(client, "state=assigned") == [hate.pk]
    assert queue_of(client, "state=dismissed") == [closed.pk]
    assert queue_of(client, "state=resolved") == []
    assert queue_of(client, "moderator=sam") == [hate.pk]
    assert queue_of(client, "moderator=none") == [spam.pk]
    assert queue_of(client, "state=bogus") == [spam.pk, hate.pk]


def test_the_queue_is_paginated_keeping_its_filters(alice, carol, settings, polly_client):
    settings.CASES_PER_PAGE = 2
    for number in range(5):
        report_by(carol, "work", post_work(alice, f"Work {number}").pk, "spam")
    cases = list(Case.objects.order_by("opened_at", "id").values_list("pk", flat=True))
    first = polly_client.get(f"{QUEUE}?reason=spam").content.decode()
    assert case_ids(first) == cases[:2]
    assert "5 cases" in first
    assert "?reason=spam&amp;page=2" in first
    assert queue_of(polly_client, "reason=spam&page=3") == cases[4:]


def test_the_queue_runs_a_fixed_number_of_queries(
    alice, carol, polly_client, django_assert_max_num_queries
):
    def one_case() -> None:
        reader = make_user(f"reader{Case.objects.count()}")
        report_by(reader, "work", post_work(alice, f"Work {reader.pk}").pk, "spam")

    one_case()
    with django_assert_max_num_queries(QUEUE_QUERIES):
        assert len(queue_of(polly_client)) == 1
    for _ in range(9):
        one_case()
    with django_assert_max_num_queries(QUEUE_QUERIES):
        assert len(queue_of(polly_client)) == 10


# --- the case page -------------------------------------------------------------------------------


def test_the_case_page_shows_the_snapshot_the_reporters_and_the_live_item(
    alice, bob, carol, mallory, polly_client
):
    work = post_work(alice)
    comment = comment_on(work, mallory, "Buy cheap watches")
    case = report_by(carol, "comment", comment.pk, "spam", "Advertising.").case
    report_by(bob, "comment", comment.pk, "harassment")
    page = polly_client.get(f"/moderation/cases/{case.pk}").content.decode()
    assert "Buy cheap watches" in page
    assert "Advertising." in page
    assert ">carol</a>" in page and ">bob</a>" in page
    assert f'href="/comments/{comment.pk}"' in page
    assert f'action="/moderation/cases/{case.pk}/resolve"' in page
    assert "Deleted since" not in page
    delete_comment(mallory, comment)
    page = polly_client.get(f"/moderation/cases/{case.pk}").content.decode()
    assert "Deleted since it was reported." in page
    assert "Buy cheap watches" in page, "the snapshot stays"


def test_the_case_page_pages_the_reports_of_a_much_reported_item(
    alice, mallory, polly_client, monkeypatch
):
    from ficarchive.moderation.views import queue

    monkeypatch.setattr(queue, "REPORTS_PER_PAGE", 2)
    comment = comment_on(post_work(alice), mallory, "Buy cheap watches")
    readers = [make_user(f"reader{number}") for number in range(5)]
    case = report_by(readers[0], "comment", comment.pk, "spam", "First said.").case
    for reader in readers[1:]:
        report_by(reader, "comment", comment.pk, "spam", f"Said by {reader.username}.")
    url = f"/moderation/cases/{case.pk}"
    first = polly_client.get(url).content.decode()
    assert "Reports (5)" in first
    assert ">reader0</a>" in first and ">reader1</a>" in first and ">reader2</a>" not in first
    assert "?page=2" in first
    last = polly_client.get(f"{url}?page=3").content.decode()
    assert ">reader4</a>" in last and ">reader0</a>" not in last
    assert '<ol class="reports" start="5">' in last
    assert "Buy cheap watches" in last, "the first report's snapshot is on every page"


def test_the_case_page_shows_the_accounts_history(alice, carol, polly_client, work):
    polly = moderator("polly2")
    old = report_by(carol, "work", work.pk).case
    reports.dismiss_case(polly, old, "Not against the rules.")
    audit.record(polly, "warn_user", target_kind="user", target_id=alice.pk,
                 target_label="alice", subject=alice, reason="Be kind in replies.")  # fmt: skip
    case = report_by(carol, "work", work.pk).case
    page = polly_client.get(f"/moderation/cases/{case.pk}").content.decode()
    assert f"Case {old.pk}</a>: Work “The Lighthouse Keeper” (dismissed" in page
    assert "Not against the rules." in page
    assert "polly2 warned alice: Be kind in replies." in page


def test_a_guest_reporter_is_shown_with_their_email(alice, polly_client, work):
    case = reports.report(
        Client().get("/").wsgi_request.user, "work", work.pk, "spam", email="g@example.org"
    ).case
    page = polly_client.get(f"/moderation/cases/{case.pk}").content.decode()
    assert "a guest (g@example.org)" in page


def test_an_unknown_case_is_404(polly_client):
    assert polly_client.get("/moderation/cases/999").status_code == 404


# --- the forms -----------------------------------------------------------------------------------


def test_a_moderator_resolves_a_case_and_the_reporter_reads_the_outcome(
    alice, carol, carol_client, work
):
    case = report_by(carol, "work", work.pk).case
    client = logged_in(moderator())
    answer = client.post(
        f"/moderation/cases/{case.pk}/resolve", {"resolve-outcome": "The warning was added."}
    )
    assert answer.status_code == 302
    assert answer["Location"] == QUEUE
    case.refresh_from_db()
    assert case.state == "resolved"
    inbox = carol_client.get("/inbox").content.decode()
    assert "Your report was closed" in inbox
    assert "The warning was added." in inbox
    assert queue_of(client) == []
    assert "resolved the case of" in client.get(f"/moderation/cases/{case.pk}").content.decode()


def test_dismissing_without_an_outcome_shows_the_error_by_the_field(alice, carol, work):
    case = report_by(carol, "work", work.pk).case
    client = logged_in(moderator())
    answer = client.post(f"/moderation/cases/{case.pk}/dismiss", {"dismiss-outcome": ""})
    assert answer.status_code == 400
    assert "Say how the case ended: the reporters are told." in answer.content.decode()
    case.refresh_from_db()
    assert case.is_open


def test_a_moderator_assigns_a_case(alice, carol, work):
    case = report_by(carol, "work", work.pk).case
    polly, sam = moderator(), moderator("sam")
    client = logged_in(polly)
    answer = client.post(f"/moderation/cases/{case.pk}/assign", {"assignee": "sam"})
    assert answer.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.assignee) == ("assigned", sam)
    answer = client.post(f"/moderation/cases/{case.pk}/assign", {"assignee": "carol"})
    assert answer.status_code == 400, "only moderators are offered"
    assert client.get(f"/moderation/cases/{case.pk}/assign").status_code == 405


def test_a_closed_case_offers_no_forms(alice, carol, work):
    case = report_by(carol, "work", work.pk).case
    polly = moderator()
    reports.dismiss_case(polly, case, "Fine.")
    page = logged_in(polly).get(f"/moderation/cases/{case.pk}").content.decode()
    assert "Dismissed" in page
    assert f"/moderation/cases/{case.pk}/resolve" not in page
    answer = logged_in(polly).post(
        f"/moderation/cases/{case.pk}/resolve", {"resolve-outcome": "Again"}
    )
    assert answer.status_code == 400
    assert "This case is already dismissed." in answer.content.decode()
