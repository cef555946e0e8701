"""Cursor pagination: lists answer `items` and an opaque `next_cursor` (and the `next` address).

A cursor holds the sort values of the last item given out (keyset pagination), signed so that
a client cannot forge one: pages stay stable while works are added, and a deep page costs what
the first one does. A cursor from another list, or a tampered one, is a 400.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from ficarchive.api.errors import ApiError

M = TypeVar("M", bound=models.Model)
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_SALT = "ficarchive.api.cursor"


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def _decode(
    cursor: str, list_name: str, model: type[models.Model], fields: Sequence[str]
) -> list[Any]:
    try:
        payload = signing.loads(cursor, salt=f"{_SALT}:{list_name}")
        if not isinstance(payload, list) or len(payload) != len(fields):
            raise ValueError("wrong shape")
        values: list[Any] = []
        for name, raw in zip(fields, payload, strict=True):
            field = model._meta.get_field(name)
            if isinstance(field, models.DateTimeField):
                values.append(datetime.fromisoformat(str(raw)))
            else:
                values.append(int(raw))
        return values
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ApiError(400, "The cursor is not one this list gave out.", field="cursor") from exc


def _encode(item: models.Model, list_name: str, fields: Sequence[str]) -> str:
    values = []
    for name in fields:
        value = getattr(item, name)
        values.append(value.isoformat() if isinstance(value, datetime) else value)
    return signing.dumps(values, salt=f"{_SALT}:{list_name}", compress=True)


def _after(fields: Sequence[str], values: Sequence[Any], descending: bool) -> Q:
    """Rows after the given sort values: (a < va) or (a = va and b < vb)... (> when ascending)."""
    op = "lt" if descending else "gt"
    rule = Q()
    for index, name in enumerate(fields):
        step = Q(**{f"{name}__{op}": values[index]})
        for earlier, value in zip(fields[:index], values[:index], strict=True):
            step &= Q(**{earlier: value})
        rule |= step
    return rule


def keyset_page(
    queryset: QuerySet[M],
    *,
    list_name: str,
    cursor: str | None,
    limit: int,
    fields: Sequence[str] = ("created_at", "id"),
    descending: bool = True,
) -> Page[M]:
    """One page of QUERYSET in the order of FIELDS (the last one unique), after CURSOR."""
    ordered = queryset.order_by(*(f"-{name}" if descending else name for name in fields))
    if cursor:
        values = _decode(cursor, list_name, queryset.model, fields)
        ordered = ordered.filter(_after(fields, values, descending))
    rows = list(ordered[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode(rows[-1], list_name, fields) if more and rows else None
    return Page(rows, next_cursor)


def page_link(request: HttpRequest, **params: Any) -> str:
    """This request's address with some query parameters replaced."""
    query = request.GET.copy()
    for name, value in params.items():
        query[name] = str(value)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_body(request: HttpRequest, page: Page[Any], items: list[Any]) -> dict[str, Any]:
    return {
        "items": items,
        "next_cursor": page.next_cursor,
        "next": page_link(request, cursor=page.next_cursor) if page.next_cursor else None,
    }
