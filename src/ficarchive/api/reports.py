"""Reporting something to the moderators: `POST /reports`, with a read and write token."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from ninja import Field, Router, Status

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.api.auth import WRITE_AUTH
from ficarchive.api.choices import ReportReason, ReportTarget
from ficarchive.api.common import answers
from ficarchive.api.errors import ApiError
from ficarchive.api.schemas import Answer, Input, ObjectId, Text
from ficarchive.moderation.actions import reports
from ficarchive.moderation.actions.reports import MAX_TEXT
from ficarchive.social.views.common import client_address

router = Router(tags=["reports"])
# The over-reporting limits' refusals: done enough already (409), or too many today (429).
LIMITS = {"too_many_reports_of_this": 409, "too_many_reports_today": 429}


class ReportIn(Input):
    kind: ReportTarget = Field(description="What is reported.")
    id: ObjectId = Field(description="Its id.")
    reason: ReportReason
    text: Annotated[Text, Field(max_length=MAX_TEXT)] = Field(
        "", description="What is wrong, and where; needed with the reason `other`."
    )


class ReportOut(Answer):
    id: int
    kind: ReportTarget
    target_id: int
    reason: ReportReason
    text: str
    created: datetime


@router.post("/reports", response=answers(ReportOut, 201), auth=WRITE_AUTH)
def report(request: AuthedRequest, payload: ReportIn) -> Any:
    """Report a work, chapter, comment, series, public bookmark, user or pseud you can see.

    The moderators keep a copy of it as it is now. Over-reporting limits apply as on the site:
    past the reports of one thing a 409, past the reports of a day a 429, each naming the limit.
    Something you cannot see, or that does not exist, is a 404.
    You hear how the report ends in your inbox.
    """
    try:
        made = reports.report(
            request.user,
            payload.kind,
            payload.id,
            payload.reason,
            payload.text,
            address=client_address(request),
        )
    except ValidationError as exc:
        status = LIMITS.get(getattr(exc, "code", None) or "")
        if status is None:
            raise
        raise ApiError(status, exc.messages[0]) from exc
    body = {
        "id": made.pk,
        "kind": made.target_kind,
        "target_id": made.target_id,
        "reason": made.reason,
        "text": made.text,
        "created": made.created_at,
    }
    return Status(201, body)
