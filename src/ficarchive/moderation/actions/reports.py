"""Reports and their cases: a reader reports something; moderators assign, resolve or dismiss
the case that gathers every report of it, and the reporters hear how it ended."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ficarchive.accounts.models import User
from ficarchive.moderation import audit, reportables
from ficarchive.moderation.guests import address_key
from ficarchive.moderation.models import Case, CaseState, Reason, Report, Target
from ficarchive.moderation.models.cases import OPEN_STATES
from ficarchive.moderation.permissions import may, require
from ficarchive.social.actions.inbox import notify
from ficarchive.social.models import InboxKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

MAX_TEXT = 5000
MAX_OUTCOME = 5000
HONEYPOT_REFUSAL = gettext_noop("This report looks automated and was not sent.")
# In English, by what is reported; refusals say them in the reader's language.
REPORTED_ENOUGH: dict[str, str] = {
    Target.WORK: gettext_noop(
        "You have already reported this work %(count)s times in %(days)s days, the most "
        "allowed; the moderators have your reports."
    ),
    Target.CHAPTER: gettext_noop(
        "You have already reported this chapter %(count)s times in %(days)s days, the most "
        "allowed; the moderators have your reports."
    ),
    Target.COMMENT: gettext_noop(
        "You have already reported this comment %(count)s times in %(days)s days, the most "
        "allowed; the moderators have your reports."
    ),
    Target.SERIES: gettext_noop(
        "You have already reported this series %(count)s times in %(days)s days, the most "
        "allowed; the moderators have your reports."
    ),
    Target.BOOKMARK: gettext_noop(
        "You have already reported this bookmark %(count)s times in %(days)s days, the most "
        "allowed; the moderators have your reports."
    ),
    Target.USER: gettext_noop(
        "You have already reported this user %(count)s times in %(days)s days, the most "
        "allowed; the moderators have your reports."
    ),
    Target.PSEUD: gettext_noop(
        "You have already reported this pseud %(count)s times in %(days)s days, the most "
        "allowed; the moderators have your reports."
    ),
}
OWN: dict[str, str] = {
    Target.WORK: gettext_noop("You cannot report your own work."),
    Target.CHAPTER: gettext_noop("You cannot report your own chapter."),
    Target.COMMENT: gettext_noop("You cannot report your own comment."),
    Target.SERIES: gettext_noop("You cannot report your own series."),
    Target.BOOKMARK: gettext_noop("You cannot report your own bookmark."),
    Target.PSEUD: gettext_noop("You cannot report your own pseud."),
    Target.USER: gettext_noop("You cannot report yourself."),
}


def per_target_limit(kind: str) -> int:
    """How many reports of one thing of KIND a reporter may send in REPORT_WINDOW_DAYS."""
    if kind in (Target.WORK, Target.USER):
        return int(settings.REPORTS_PER_WORK_OR_USER)
    return int(settings.REPORTS_PER_ITEM)


def _check_limits(reporter: AnyUser, kind: str, target_id: int, address: str) -> None:
    """Refuse a report past AO3's over-reporting limits (each a setting)."""
    now = timezone.now()
    mine = (
        Report.objects.filter(reporter_id=reporter.pk)
        if reporter.is_authenticated
        else Report.objects.filter(reporter__isnull=True, reporter_address=address)
    )
    window = settings.REPORT_WINDOW_DAYS
    same = mine.filter(
        target_kind=kind, target_id=target_id, created_at__gte=now - timedelta(days=window)
    )
    most = per_target_limit(kind)
    if same.count() >= most:
        raise ValidationError(
            _(REPORTED_ENOUGH[kind]) % {"count": most, "days": window},
            code="too_many_reports_of_this",
        )
    daily = settings.REPORTS_PER_DAY if reporter.is_authenticated else settings.REPORTS_PER_ADDRESS
    if mine.filter(created_at__gte=now - timedelta(days=1)).count() >= daily:
        refusal = (
            _(
                "You have sent %(count)s reports in the last 24 hours, the most allowed; "
                "please try again tomorrow."
            )
            if reporter.is_authenticated
            else _(
                "This network address has sent %(count)s reports in the last 24 hours, the most "
                "allowed; please try again tomorrow."
            )
        )
        raise ValidationError(refusal % {"count": daily}, code="too_many_reports_today")


def _lock_guest_address(key: str) -> None:
    """Hold, until the transaction ends, a lock on a guest address's reports: an advisory lock
    on PostgreSQL (SQLite serialises every write already)."""
    if key and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # the first 60 bits of the keyed hash: a bigint, the same for the same address
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])


def _check_input(reporter: AnyUser, reason: str, text: str, email: str, honeypot: str) -> str:
    """The guest's email as kept ("" for accounts); a ValidationError naming a bad input."""
    if honeypot:
        raise ValidationError(_(HONEYPOT_REFUSAL), code="honeypot")
    errors: dict[str, list[str]] = {}
    if reason not in Reason.values:
        errors["reason"] = [_("Choose one of the reasons.")]
    if len(text) > MAX_TEXT:
        errors["text"] = [
            _("Say it in at most %(most)s characters (this is %(length)s).")
            % {"most": f"{MAX_TEXT:,}", "length": f"{len(text):,}"}
        ]
    if reason == Reason.OTHER and not text.strip():
        errors["text"] = [_("Say what is wrong when the reason is “Other”.")]
    email = email.strip() if not reporter.is_authenticated else ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Give a valid email address, or leave it empty.")]
    if errors:
        raise ValidationError(errors)
    return email


def _open_case(found: reportables.Reportable) -> Case:
    """The open case of the thing, made if there is none; two reporters at once still make one
    (the partial unique constraint `one_open_case_per_target` refuses the second)."""
    for _attempt in range(3):
        case = (
            Case.objects.select_for_update()
            .filter(target_kind=found.kind, target_id=found.obj.pk, state__in=OPEN_STATES)
            .first()
        )
        if case is not None:
            return case
        try:
            with transaction.atomic():
                return Case.objects.create(
                    target_kind=found.kind,
                    target_id=found.obj.pk,
                    label=found.label[:300],
                    subject=found.subject,
                )
        except IntegrityError:
            continue  # another report made it a moment ago: join it
    raise IntegrityError("Could not find or open the case of this report.")


def report(
    reporter: AnyUser,
    target_kind: str,
    target_id: int,
    reason: str,
    text: str = "",
    *,
    email: str = "",
    address: str = "",
    honeypot: str = "",
) -> Report:
    """Report something REPORTER may see. Http404 if they may not see it; a ValidationError
    naming the input, or the limit the report would pass. Guests give their network ADDRESS
    (kept hashed, for the limits), and may give an EMAIL to hear the outcome; a filled
    HONEYPOT (a field people never see) refuses the report."""
    kept_email = _check_input(reporter, reason, text, email, honeypot)
    found = reportables.find(reporter, target_kind, target_id)
    if reporter.is_authenticated and reporter.pk in found.owners:
        raise ValidationError(_(OWN[target_kind]), code="own")
    key = "" if reporter.is_authenticated else address_key(address)
    with transaction.atomic():  # one reporter's reports are counted one at a time
        if reporter.is_authenticated:
            User.objects.select_for_update().filter(pk=reporter.pk).first()
        else:
            _lock_guest_address(key)
        _check_limits(reporter, target_kind, found.obj.pk, key)
        case = _open_case(found)
        return Report.objects.create(
            case=case,
            target_kind=target_kind,
            target_id=found.obj.pk,
            reporter=reporter if reporter.is_authenticated else None,
            reporter_email=kept_email,
            reporter_address=key,
            reason=reason,
            text=text.strip(),
            snapshot=found.snapshot(),
        )


# --- moderators ------------------------------------------------------------------------------


def _locked_open(case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        closed = (
            _("This case is already resolved.")
            if locked.state == CaseState.RESOLVED
            else _("This case is already dismissed.")
        )
        raise ValidationError(closed)
    return locked


def _state_of(case: Case) -> dict[str, object]:
    return {"state": case.state, "assignee": case.assignee.username if case.assignee else None}


@transaction.atomic
def assign_case(moderator: AnyUser, case: Case, assignee: User | None) -> Case:
    """Give an open case to a moderator (ASSIGNEE must hold `handle_reports`), or back to the
    queue (None)."""
    require(moderator, "handle_reports")
    if assignee is not None and not may(assignee, "handle_reports"):
        raise ValidationError(
            {
                "assignee": [
                    _("%(username)s cannot handle reports.") % {"username": assignee.username}
                ]
            }
        )
    locked = _locked_open(case)
    before = _state_of(locked)
    locked.assignee = assignee
    locked.state = CaseState.ASSIGNED if assignee is not None else CaseState.OPEN
    locked.save(update_fields=["assignee", "state", "updated_at"])
    audit.record(
        moderator,
        "assign_case",
        target_kind=locked.target_kind,
        target_id=locked.target_id,
        target_label=locked.label,
        subject=locked.subject,
        case=locked,
        before=before,
        after=_state_of(locked),
    )
    return locked


def _close(moderator: AnyUser, case: Case, outcome: str, state: str, verb: str) -> Case:
    require(moderator, "handle_reports")
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": [_("Say how the case ended: the reporters are told.")]})
    if len(outcome) > MAX_OUTCOME:
        raise ValidationError(
            {
                "outcome": [
                    _("Say it in at most %(most)s characters.") % {"most": f"{MAX_OUTCOME:,}"}
                ]
            }
        )
    with transaction.atomic():
        locked = _locked_open(case)
        before = _state_of(locked)
        locked.state = state
        locked.outcome = outcome
        locked.closed_at = timezone.now()
        locked.closed_by = moderator if moderator.is_authenticated else None
        locked.save(update_fields=["state", "outcome", "closed_at", "closed_by", "updated_at"])
        audit.record(
            moderator,
            verb,
            target_kind=locked.target_kind,
            target_id=locked.target_id,
            target_label=locked.label,
            subject=locked.subject,
            case=locked,
            reason=outcome,
            before=before,
            after={**_state_of(locked), "outcome": outcome},
        )
        reporters = locked.reports.filter(reporter__isnull=False).values_list("reporter_id")
        notify({pk for (pk,) in reporters}, InboxKind.REPORT_CLOSED, text=outcome)
        if locked.reports.filter(reporter__isnull=True).exclude(reporter_email="").exists():
            from ficarchive.moderation.report_mail import mail_guest_reporters

            case_id = locked.pk
            transaction.on_commit(lambda: mail_guest_reporters.enqueue(case_id))
    return locked


def resolve_case(moderator: AnyUser, case: Case, outcome: str) -> Case:
    """Close a case as acted on; each registered reporter gets the OUTCOME in their inbox, and
    guests who gave an email get it by mail."""
    return _close(moderator, case, outcome, CaseState.RESOLVED, "resolve_case")


def dismiss_case(moderator: AnyUser, case: Case, outcome: str) -> Case:
    """Close a case as needing no action; the reporters hear the OUTCOME as for a resolution."""
    return _close(moderator, case, outcome, CaseState.DISMISSED, "dismiss_case")
