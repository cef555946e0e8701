"""Reporting something: the form under every report link, and the thank-you page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ficarchive.moderation import reportables
from ficarchive.moderation.actions import reports
from ficarchive.moderation.report_forms import ReportForm
from ficarchive.social.views.common import client_address
from ficarchive.works.forms import add_action_errors
from ficarchive.works.views.posting import posted_data, status_of


def _send(request: HttpRequest, kind: str, target_id: int, data: dict[str, Any]) -> None:
    reports.report(
        request.user,
        kind,
        target_id,
        data["reason"],
        data["text"],
        email=data.get("email", ""),
        address=client_address(request),
        honeypot=data.get("website", ""),
    )


def report(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    """Report a work, chapter, comment, series, public bookmark, user or pseud; guests too."""
    found = reportables.find(request.user, kind, target_id)
    form = ReportForm(posted_data(request), guest=not request.user.is_authenticated)
    if form.is_valid():
        try:
            _send(request, kind, target_id, form.cleaned_data)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "honeypot":  # a bot learns nothing from the page
                return redirect("moderation:report_sent")
            add_action_errors(form, exc)
        else:
            return redirect("moderation:report_sent")
    context = {"form": form, "found": found}
    return render(request, "moderation/report.html", context, status=status_of(form))


def report_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/report_sent.html")
