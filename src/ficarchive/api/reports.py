"""Reporting something to the moderators: `POST /reports`, with a read and write token."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Router, Schema, Status

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.api.auth import WRITE_AUTH
from ficarchive.api.common import answers
from ficarchive.api.schemas import Answer, ObjectId, Text
from ficarchive.moderation.actions import reports
from ficarchive.moderation.actions.reports import MAX_TEXT
from ficarchive.social.views.common import client_address

router = Router(tags=["reports"])

Kind = Literal["work", "chapter", "comment", "series", "bookmark", "user", "pseud"]
ReasonCode = Literal["spam", "harassment", "hate", "plagiarism", "mistagged", "illegal", "other"]


class ReportIn(Schema):
    kind: Kind = Field(description="What is reported.")
    id: ObjectId = Field(description="Its id.")
    reason: ReasonCode
    text: Annotated[Text, Field(max_length=MAX_TEXT)] = Field(
        "", description="What is wrong, and where; needed with the reason `other`."
    )


class ReportOut(Answer):
    id: int
    kind: str
    target_id: int
    reason: str
    text: str
    created: datetime


@router.post("/reports", response=answers(ReportOut, 201), auth=WRITE_AUTH)
def report(request: AuthedRequest, payload: ReportIn) -> Any:
    """Report a work, chapter, comment, series, public bookmark, user or pseud you can see.

    The moderators keep a copy of it as it is now. Over-reporting limits apply as on the site
    (a 422 names the limit); something you cannot see, or that does not exist, is a 404.
    You hear how the report ends in your inbox.
    """
    made = reports.report(
        request.user,
        payload.kind,
        payload.id,
        payload.reason,
        payload.text,
        address=client_address(request),
    )
    body = {
        "id": made.pk,
        "kind": made.target_kind,
        "target_id": made.target_id,
        "reason": made.reason,
        "text": made.text,
        "created": made.created_at,
    }
    return Status(201, body)
