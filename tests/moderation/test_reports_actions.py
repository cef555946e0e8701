"""Reporting: what a report keeps, how reports gather into cases, the over-reporting limits,
and closing a case (who may, and who hears of it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from ficarchive.accounts.actions import create_pseud
from ficarchive.moderation.actions import reports
from ficarchive.moderation.models import AuditEntry, Case, CaseState, Report
from ficarchive.social.actions.comments import delete_comment
from ficarchive.social.models import InboxItem, InboxKind
from ficarchive.tags.models import GENERAL, NO_WARNINGS
from ficarchive.works import actions as works
from ficarchive.works.models import Series, SeriesPart
from tests.conftest import make_user, post_work
from tests.moderation.report_helpers import (
    bookmark_of,
    comment_on,
    moderator,
    report_by,
    wrangler,
)

GUEST = AnonymousUser()
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def guest_report(target_id: int, kind: str = "work", address: str = "203.0.113.9", **more: Any):
    return reports.report(GUEST, kind, target_id, "spam", "", address=address, **more)


# --- what a report keeps -----------------------------------------------------------------------


def test_a_report_keeps_the_work_as_it_was_when_the_author_edits_it_later(alice, carol, work):
    made = report_by(carol, "work", work.pk, "mistagged", "Unwarned violence in chapter 1.")
    chapter = work.chapters.get()
    works.update_chapter(alice, chapter, works.ChapterDetails(body="<p>All gone.</p>"))
    works.update_work(
        alice,
        work,
        works.WorkDetails(
            title="Something Else", rating=GENERAL, warnings=[NO_WARNINGS], fandoms=["Other"]
        ),
    )
    made.refresh_from_db()
    assert made.snapshot["title"] == "The Lighthouse Keeper"
    assert "The lamp turned all night." in made.snapshot["body"]
    assert made.snapshot["tags"]["fandom"] == ["Original Work"]
    assert made.snapshot["authors"] == ["alice"]
    assert made.snapshot["url"].endswith(f"/works/{work.pk}")
    assert made.case.label == "Work “The Lighthouse Keeper”"


def test_a_report_keeps_a_comment_after_its_author_deletes_it(alice, carol, mallory, work):
    comment = comment_on(work, mallory, "Buy cheap watches here")
    made = report_by(carol, "comment", comment.pk)
    delete_comment(mallory, comment)
    made.refresh_from_db()
    assert made.snapshot["body"] == "<p>Buy cheap watches here</p>"
    assert made.snapshot["author"] == "mallory"
    assert made.case.subject == mallory


def test_a_report_of_a_user_keeps_their_pseuds_texts(carol, mallory):
    create_pseud(mallory, "Shouty", "I will find you.")
    made = report_by(carol, "user", mallory.pk, "harassment")
    described = {p["name"]: p["description"] for p in made.snapshot["pseuds"]}
    assert described["Shouty"] == "I will find you."
    assert made.case.subject == mallory
    assert made.case.label == "User mallory"


def test_a_report_of_a_pseud_names_its_account(carol, mallory):
    pseud = create_pseud(mallory, "Shouty", "I will find you.")
    made = report_by(carol, "pseud", pseud.pk, "harassment")
    assert made.snapshot["description"] == "I will find you."
    assert made.case.subject == mallory


def test_a_report_of_a_bookmark_keeps_its_notes_and_tags(alice, carol, mallory, work):
    mark = bookmark_of(work, mallory, "<p>Visit my shop</p>")
    made = report_by(carol, "bookmark", mark.pk)
    assert made.snapshot["notes"] == "<p>Visit my shop</p>"
    assert made.snapshot["tags"] == {"bookmark": ["comfort"]}
    assert made.case.subject == mallory


def test_a_report_of_a_chapter_and_of_a_series_names_the_creator(alice, carol):
    work = post_work(alice, chapters=["<p>One.</p>", "<p>Two.</p>"])
    chapter = work.chapters.get(position=2)
    assert report_by(carol, "chapter", chapter.pk).snapshot["body"] == "<p>Two.</p>"
    series = Series.objects.create(title="Lamps")
    series.creators.add(alice.default_pseud)
    SeriesPart.objects.create(series=series, work=work, position=1)
    made = report_by(carol, "series", series.pk)
    assert made.snapshot["works"] == [work.title]
    assert made.case.subject == alice


def test_a_very_long_text_is_kept_up_to_the_setting(alice, carol, settings):
    settings.REPORT_SNAPSHOT_MAX_CHARS = 100
    work = post_work(alice, chapters=["<p>" + "word " * 500 + "</p>"])
    body = report_by(carol, "work", work.pk).snapshot["body"]
    assert body.startswith("<h3>Chapter 1</h3>")
    assert "more characters not kept]" in body
    assert len(body) < 200


# --- cases -------------------------------------------------------------------------------------


def test_ten_reports_of_one_comment_are_one_case(alice, mallory, work):
    comment = comment_on(work, mallory)
    for number in range(10):
        report_by(make_user(f"reader{number}"), "comment", comment.pk)
    case = Case.objects.get()
    assert (case.target_kind, case.target_id, case.state) == ("comment", comment.pk, "open")
    assert case.reports.count() == 10


def test_a_report_after_the_case_closed_opens_a_new_case(alice, bob, carol, work):
    first = report_by(carol, "work", work.pk).case
    reports.dismiss_case(moderator(), first, "Tagged correctly.")
    second = report_by(bob, "work", work.pk).case
    assert second.pk != first.pk
    assert Case.objects.open().get() == second


def test_reports_of_different_things_are_different_cases(alice, carol, work):
    other = post_work(alice, "Another")
    report_by(carol, "work", work.pk)
    report_by(carol, "work", other.pk)
    assert Case.objects.count() == 2


# --- refusals --------------------------------------------------------------------------------


def test_nobody_may_report_a_draft_they_cannot_see(alice, carol):
    draft = post_work(alice, "Secret", draft=True)
    with pytest.raises(Http404):
        report_by(carol, "work", draft.pk)
    with pytest.raises(Http404):
        guest_report(draft.pk)
    assert not Report.objects.exists()


def test_a_guest_may_not_report_a_work_only_registered_readers_see(alice, carol):
    restricted = post_work(alice, "Members only", restricted=True)
    with pytest.raises(Http404):
        guest_report(restricted.pk)
    assert report_by(carol, "work", restricted.pk).case.target_id == restricted.pk


def test_nobody_may_report_a_private_bookmark(alice, carol, mallory, work):
    mark = bookmark_of(work, mallory)
    mark.is_private = True
    mark.save()
    with pytest.raises(Http404):
        report_by(carol, "bookmark", mark.pk)


def test_a_held_comment_cannot_be_reported(alice, carol, mallory, work):
    comment = comment_on(work, mallory)
    comment.status = "held"
    comment.save()
    with pytest.raises(Http404):
        report_by(carol, "comment", comment.pk)


def test_an_unknown_kind_is_not_found(carol, work):
    with pytest.raises(Http404):
        report_by(carol, "tag", 1)


def test_nobody_reports_their_own_work_or_account(alice, work):
    with pytest.raises(ValidationError, match="your own work"):
        report_by(alice, "work", work.pk)
    with pytest.raises(ValidationError, match="report yourself"):
        report_by(alice, "user", alice.pk)


def test_a_bad_reason_and_an_empty_other_are_refused_by_name(carol, work):
    with pytest.raises(ValidationError) as bad:
        report_by(carol, "work", work.pk, "boring")
    assert "reason" in bad.value.error_dict
    with pytest.raises(ValidationError) as empty:
        report_by(carol, "work", work.pk, "other", "  ")
    assert "text" in empty.value.error_dict


# --- limits ------------------------------------------------------------------------------------


def test_one_reader_reports_one_comment_at_most_three_times_in_31_days(alice, carol, mallory, work):
    comment = comment_on(work, mallory)
    for _ in range(3):
        report_by(carol, "comment", comment.pk)
    with pytest.raises(ValidationError, match="this comment 3 times in 31 days") as refused:
        report_by(carol, "comment", comment.pk)
    assert refused.value.code == "too_many_reports_of_this"
    Report.objects.update(created_at=timezone.now() - timedelta(days=32))
    assert report_by(carol, "comment", comment.pk)


def test_one_reader_reports_one_work_at_most_five_times(alice, carol, work):
    for _ in range(5):
        report_by(carol, "work", work.pk)
    with pytest.raises(ValidationError, match="this work 5 times in 31 days"):
        report_by(carol, "work", work.pk)


def test_the_limits_are_settings(alice, carol, work, settings):
    settings.REPORTS_PER_WORK_OR_USER = 1
    report_by(carol, "work", work.pk)
    with pytest.raises(ValidationError, match="this work 1 times"):
        report_by(carol, "work", work.pk)


def test_one_reader_sends_at_most_five_reports_a_day(alice, carol):
    targets = [post_work(alice, f"Work {n}") for n in range(6)]
    for target in targets[:5]:
        report_by(carol, "work", target.pk)
    with pytest.raises(ValidationError, match="5 reports in the last 24 hours") as refused:
        report_by(carol, "work", targets[5].pk)
    assert refused.value.code == "too_many_reports_today"
    Report.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert report_by(carol, "work", targets[5].pk)


def test_guests_are_limited_per_address_which_is_kept_hashed(alice):
    targets = [post_work(alice, f"Work {n}") for n in range(6)]
    for target in targets[:5]:
        guest_report(target.pk)
    with pytest.raises(ValidationError, match="This network address has sent 5 reports"):
        guest_report(targets[5].pk)
    assert guest_report(targets[5].pk, address="198.51.100.7")
    kept = set(Report.objects.values_list("reporter_address", flat=True))
    assert len(kept) == 2
    assert not any("203.0.113.9" in key or "198.51.100.7" in key for key in kept)


def test_a_guest_who_fills_the_honeypot_is_refused_and_nothing_is_kept(alice, work):
    with pytest.raises(ValidationError) as refused:
        guest_report(work.pk, honeypot="http://spam.example")
    assert refused.value.code == "honeypot"
    assert not Report.objects.exists()


def test_a_guest_may_leave_an_email_and_a_bad_one_is_named(alice, work):
    assert guest_report(work.pk, email="reader@example.org").reporter_email == "reader@example.org"
    with pytest.raises(ValidationError) as bad:
        guest_report(work.pk, email="not an address")
    assert "email" in bad.value.error_dict


# --- moderators ------------------------------------------------------------------------------


@pytest.fixture
def case(alice, carol, work) -> Case:
    return report_by(carol, "work", work.pk).case


def test_closing_a_case_tells_each_registered_reporter_once_with_the_outcome(
    alice, bob, carol, work, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    report_by(carol, "work", work.pk)
    report_by(carol, "work", work.pk, "hate")
    case = report_by(bob, "work", work.pk).case
    guest_report(work.pk, email="guest@example.org")
    guest_report(work.pk, address="198.51.100.7", email="guest@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        reports.resolve_case(moderator(), case, "We asked the creator to add the warning.")
    items = InboxItem.objects.filter(kind=InboxKind.REPORT_CLOSED)
    assert sorted(items.values_list("user__username", flat=True)) == ["bob", "carol"]
    assert {item.text for item in items} == {"We asked the creator to add the warning."}
    carol.refresh_from_db()
    assert carol.unread_inbox == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["guest@example.org"]
    assert "We asked the creator to add the warning." in mail.outbox[0].body
    assert "The Lighthouse Keeper" in mail.outbox[0].body


def test_resolving_writes_the_case_and_its_audit_entry(case, alice):
    polly = moderator()
    reports.resolve_case(polly, case, "Warning added.")
    case.refresh_from_db()
    assert (case.state, case.outcome, case.closed_by) == ("resolved", "Warning added.", polly)
    assert case.closed_at is not None
    entry = AuditEntry.objects.get(verb="resolve_case")
    assert (entry.actor, entry.case, entry.subject, entry.reason) == (
        polly,
        case,
        alice,
        "Warning added.",
    )
    assert (entry.before["state"], entry.after["state"]) == ("open", "resolved")


def test_dismissing_needs_an_outcome_and_a_closed_case_cannot_close_again(case):
    polly = moderator()
    with pytest.raises(ValidationError) as empty:
        reports.dismiss_case(polly, case, "  ")
    assert "outcome" in empty.value.error_dict
    reports.dismiss_case(polly, case, "Nothing against the rules.")
    with pytest.raises(ValidationError, match="already dismissed"):
        reports.resolve_case(polly, case, "Again")
    assert InboxItem.objects.filter(kind=InboxKind.REPORT_CLOSED).count() == 1


def test_assigning_gives_the_case_to_a_moderator_and_back(case):
    polly, sam = moderator(), moderator("sam")
    reports.assign_case(polly, case, sam)
    case.refresh_from_db()
    assert (case.state, case.assignee) == (CaseState.ASSIGNED, sam)
    reports.assign_case(polly, case, None)
    case.refresh_from_db()
    assert (case.state, case.assignee) == (CaseState.OPEN, None)
    assert AuditEntry.objects.filter(verb="assign_case").count() == 2


def test_a_case_goes_only_to_someone_who_handles_reports(case, carol):
    with pytest.raises(ValidationError) as refused:
        reports.assign_case(moderator(), case, carol)
    assert "assignee" in refused.value.error_dict


def staff_only() -> Any:
    """Staff (an archive admin of old) holding no moderation role and not a superadmin."""
    user = make_user("staffer", staff=True)
    user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    return user


@pytest.mark.parametrize("who", ["carol", "wrangler", "ada_not_superuser"])
def test_only_moderators_assign_resolve_or_dismiss(case, carol, who):
    actor = {
        "carol": lambda: carol,
        "wrangler": wrangler,
        "ada_not_superuser": staff_only,
    }[who]()
    for act in (
        lambda: reports.assign_case(actor, case, None),
        lambda: reports.resolve_case(actor, case, "Done"),
        lambda: reports.dismiss_case(actor, case, "Done"),
    ):
        with pytest.raises(PermissionDenied):
            act()
    case.refresh_from_db()
    assert case.state == "open"
    assert not AuditEntry.objects.exists()
