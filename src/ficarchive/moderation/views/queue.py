"""The moderation queue: open cases oldest first, and one case with everything about it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.models import User
from ficarchive.accounts.requests import AuthedRequest
from ficarchive.moderation import audit, reportables
from ficarchive.moderation.actions import reports
from ficarchive.moderation.models import AuditEntry, Case, Reason, Report
from ficarchive.moderation.models.cases import CaseQuerySet
from ficarchive.moderation.permissions import require
from ficarchive.moderation.report_forms import AssignForm, CloseForm, QueueFilterForm
from ficarchive.pages import paginate
from ficarchive.works.forms import add_action_errors

HISTORY = 20  # earlier cases and audit entries shown on a case page
REPORTS_PER_PAGE = 50  # reports of one case a page, oldest first
REASONS = dict(Reason.choices)


def _filtered(filters: QueueFilterForm) -> CaseQuerySet:
    cases: CaseQuerySet = Case.objects.all()
    data = filters.cleaned_data if filters.is_valid() else {}
    state = data.get("state", "")
    if state == "":
        cases = cases.open()
    elif state != "all":
        cases = cases.in_state(state)
    if data.get("reason"):
        cases = cases.with_reason(data["reason"])
    moderator = data.get("moderator", "")
    if moderator == "none":
        cases = cases.assigned_to(None)
    elif moderator:
        cases = cases.filter(assignee__username=moderator)
    return cases


def _with_reasons(cases: list[Case]) -> list[Case]:
    """Each case with `reasons`: [(label, count)], in one query for the page."""
    rows = (
        Report.objects.filter(case_id__in=[case.pk for case in cases])
        .values_list("case_id", "reason")
        .annotate(count=Count("id"))
        .order_by("case_id", "-count", "reason")
    )
    found: dict[int, list[tuple[str, int]]] = {}
    for case_id, reason, count in rows:
        found.setdefault(case_id, []).append((REASONS.get(reason, reason), count))
    for case in cases:
        case.reasons = found.get(case.pk, [])  # type: ignore[attr-defined]
    return cases


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    require(request.user, "handle_reports")
    filters = QueueFilterForm(request.GET)
    page = paginate(request, _filtered(filters).for_queue(), settings.CASES_PER_PAGE)
    _with_reasons(list(page["page_obj"]))
    return render(request, "moderation/queue.html", {"filters": filters, **page})


def _snapshots(found: list[Report]) -> list[tuple[Report, dict[str, Any]]]:
    """The distinct snapshots of the reports (the thing may have changed between reports),
    each with the first report that kept it: the case's first report and those on the page."""
    seen: list[dict[str, Any]] = []
    distinct = []
    for one in found:
        content = {k: v for k, v in one.snapshot.items() if k != "taken_at"}
        if content not in seen:
            seen.append(content)
            distinct.append((one, one.snapshot))
    return distinct


def _labelled(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    found = list(entries)
    for entry in found:
        entry.verb_label = audit.label(entry.verb)  # type: ignore[attr-defined]
    return found


def _case_page(
    request: AuthedRequest, case: Case, *, status: int = 200, **forms_given: forms.Form
) -> HttpResponse:
    reports_of_case = case.reports.select_related("reporter").order_by("created_at", "id")
    page = paginate(request, reports_of_case, REPORTS_PER_PAGE)
    shown = list(page["page_obj"])
    first = shown[:1] if page["page_obj"].number == 1 else list(reports_of_case[:1])
    subject = case.subject
    target = reportables.live(case.target_kind, case.target_id)
    context = {
        "case": case,
        **page,
        "reports": shown,
        "snapshots": _snapshots(first + shown),
        "target_kind": case.target_kind,
        "target": target,
        "target_path": reportables.path_of(target) if target is not None else "",
        "subject": subject,
        "earlier_cases": (
            list(Case.objects.about(subject.pk).exclude(pk=case.pk)[:HISTORY]) if subject else []
        ),
        "history": (
            _labelled(AuditEntry.objects.filter(subject=subject).exclude(case=case)[:HISTORY])
            if subject
            else []
        ),
        "case_actions": _labelled(
            AuditEntry.objects.filter(case=case).order_by("created_at", "id")
        ),
        "assign_form": forms_given.get("assign_form")
        or AssignForm(initial={"assignee": case.assignee.username if case.assignee else ""}),
        "resolve_form": forms_given.get("resolve_form") or CloseForm(prefix="resolve"),
        "dismiss_form": forms_given.get("dismiss_form") or CloseForm(prefix="dismiss"),
        "refusals": [e for form in forms_given.values() for e in form.non_field_errors()],
    }
    return render(request, "moderation/case.html", context, status=status)


def _case(case_id: int) -> Case:
    return get_object_or_404(
        Case.objects.select_related("subject", "assignee", "closed_by"), pk=case_id
    )


@login_required
def case(request: AuthedRequest, case_id: int) -> HttpResponse:
    require(request.user, "handle_reports")
    return _case_page(request, _case(case_id))


@login_required
@require_POST
def assign(request: AuthedRequest, case_id: int) -> HttpResponse:
    require(request.user, "handle_reports")
    found = _case(case_id)
    form = AssignForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["assignee"]
        assignee = User.objects.filter(username=name).first() if name else None
        try:
            reports.assign_case(request.user, found, assignee)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Case given to %(name)s.") % {"name": name}
                if name
                else _("Case back in the queue."),
            )
            return redirect("moderation:case", found.pk)
    return _case_page(request, found, status=400, assign_form=form)


def _close(request: AuthedRequest, case_id: int, verb: str) -> HttpResponse:
    require(request.user, "handle_reports")
    found = _case(case_id)
    form = CloseForm(request.POST, prefix=verb)
    if form.is_valid():
        close = reports.resolve_case if verb == "resolve" else reports.dismiss_case
        try:
            close(request.user, found, form.cleaned_data["outcome"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            done = (
                _("Case %(id)s resolved; the reporters are told.")
                if verb == "resolve"
                else _("Case %(id)s dismissed; the reporters are told.")
            )
            messages.success(request, done % {"id": found.pk})
            return redirect("moderation:queue")
    return _case_page(request, found, status=400, **{f"{verb}_form": form})


@login_required
@require_POST
def resolve(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _close(request, case_id, "resolve")


@login_required
@require_POST
def dismiss(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _close(request, case_id, "dismiss")
