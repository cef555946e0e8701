"""The caller's own things: who they are, their subscriptions and their inbox."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.api import present
from ficarchive.api.auth import SIGNED_IN, WRITE_AUTH
from ficarchive.api.common import (
    LIMIT_DEFAULT,
    Cursor,
    Limit,
    PathId,
    account,
    answers,
    posted_work,
)
from ficarchive.api.errors import ApiError
from ficarchive.api.pagination import keyset_page, page_body
from ficarchive.api.schemas import (
    InboxListOut,
    InboxMarkedOut,
    InboxMarkIn,
    MeOut,
    SubscriptionIn,
    SubscriptionListOut,
    SubscriptionOut,
)
from ficarchive.social import actions
from ficarchive.social.models import InboxItem, Subscription
from ficarchive.works.models import Series

router = Router(tags=["you"])


@router.get("/me", response=answers(MeOut), auth=SIGNED_IN)
def me(request: AuthedRequest) -> dict[str, Any]:
    """Who the token (or session) stands for, and what it may do."""
    token = getattr(request, "api_token", None)
    return {
        "username": request.user.username,
        "auth": "token" if token else "session",
        "scope": token.scope if token else "write",
        "token_name": token.name if token else None,
    }


# --- subscriptions ---------------------------------------------------------------------------


@router.get("/me/subscriptions", response=answers(SubscriptionListOut), auth=SIGNED_IN)
def subscriptions(
    request: AuthedRequest, cursor: Cursor = None, limit: Limit = LIMIT_DEFAULT
) -> dict[str, Any]:
    found = Subscription.objects.of_user(request.user).for_listing()
    page = keyset_page(found, list_name="subscriptions", cursor=cursor, limit=limit)
    return page_body(request, page, [present.subscription(s) for s in page.items])


def _target(request: HttpRequest, payload: SubscriptionIn) -> dict[str, Any]:
    chosen = [payload.work_id, payload.series_id, payload.username]
    if sum(value is not None for value in chosen) != 1:
        raise ApiError(422, "Give exactly one of work_id, series_id or username.")
    if payload.work_id is not None:
        return {"work": posted_work(request, payload.work_id)}
    if payload.series_id is not None:
        series = get_object_or_404(Series.objects.visible_to(request.user), pk=payload.series_id)
        return {"series": series}
    return {"creator": account(payload.username or "")}


@router.post("/me/subscriptions", response=answers(SubscriptionOut, 201), auth=WRITE_AUTH)
def subscribe(request: AuthedRequest, payload: SubscriptionIn) -> Any:
    """Follow a work (new chapters), a series (new parts) or a creator (new works)."""
    target = _target(request, payload)
    if Subscription.objects.of_user(request.user).filter(**target).exists():
        raise ApiError(409, "You are already subscribed.")
    made = actions.subscribe(request.user, email=payload.email, **target)
    return Status(201, present.subscription(made))


@router.delete("/me/subscriptions/{subscription_id}", response=answers(None, 204), auth=WRITE_AUTH)
def unsubscribe(request: AuthedRequest, subscription_id: PathId) -> Any:
    found = get_object_or_404(Subscription.objects.of_user(request.user), pk=subscription_id)
    actions.unsubscribe(request.user, found)
    return Status(204, None)


# --- inbox -----------------------------------------------------------------------------------


@router.get("/me/inbox", response=answers(InboxListOut), auth=SIGNED_IN)
def inbox(
    request: AuthedRequest,
    unread: bool = False,
    cursor: Cursor = None,
    limit: Limit = LIMIT_DEFAULT,
) -> dict[str, Any]:
    """Your inbox, newest first (`unread=true`: only unread items)."""
    items = InboxItem.objects.of(request.user).for_listing().with_work_shown(request.user)
    if unread:
        items = items.unread()
    page = keyset_page(items, list_name="inbox", cursor=cursor, limit=limit)
    body = page_body(request, page, [present.inbox_item(item) for item in page.items])
    return body | {"unread": actions.recount_unread(request.user)}


@router.post("/me/inbox/read", response=answers(InboxMarkedOut), auth=WRITE_AUTH)
def mark_inbox(request: AuthedRequest, payload: InboxMarkIn) -> dict[str, Any]:
    """Mark some of your inbox items read (or unread with `read: false`)."""
    changed = actions.mark_inbox_items(request.user, payload.ids, read=payload.read)
    return {"changed": changed, "unread": request.user.unread_inbox}
