"""What the endpoint modules share: auth lists, response maps and the lookups of the pages."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query

from ficarchive.accounts.models import User, username_is
from ficarchive.api.errors import ApiError
from ficarchive.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from ficarchive.api.schemas import MAX_ID, ErrorOut, Text
from ficarchive.works.models import Credit, Work

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Cursor = Annotated[
    str | None,
    Query(
        max_length=2000,
        pattern=r"^[A-Za-z0-9_.:-]*$",  # a signed value (django.core.signing): URL-safe base64
        description="`next_cursor` of the page before.",
    ),
]
Username = Annotated[Text, Path(min_length=1, max_length=150)]
LIMIT_DEFAULT = DEFAULT_LIMIT


ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 414, 422, 429})


def answers(schema: Any, status: int = 200) -> dict[Any, Any]:
    """The responses of an operation: its schema, and the error shape for every refusal."""
    return {status: schema, ERROR_STATUSES: ErrorOut}


def openable_work(request: HttpRequest, work_id: int) -> Work:
    """The work if this reader may open it, as the work page decides.

    A guest asking for a work only registered users may read gets a 401 (log in or send a
    token); anything else the reader may not see (drafts, hidden works) is a 404, so that its
    existence does not leak.
    """
    reading = Work.objects.with_blurb_data().prefetch_related(
        Prefetch("credits", queryset=Credit.objects.select_related("pseud__user"))
    )
    found = get_object_or_404(reading, pk=work_id)
    if found.is_visible_to(request.user):
        return found
    if (
        not request.user.is_authenticated
        and found.restricted
        and not found.is_draft
        and not found.is_hidden
    ):
        raise ApiError(401, "Only registered users may read this work: send a token.")
    raise Http404("No such work.")


def posted_work(request: HttpRequest, work_id: int) -> Work:
    """A posted work this reader may open (kudos, comments, bookmarks...), else 404."""
    return get_object_or_404(
        Work.objects.visible_to(request.user).posted().select_related("stats"), pk=work_id
    )


def account(username: str) -> User:
    return get_object_or_404(User, username_is(username))
