"""The one way listings are paginated, so every list page behaves alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int | None = None
) -> dict[str, Any]:
    """Context for `_pagination.html`: the page of items asked for (out-of-range pages clamp).

    ITEMS may be any sequence that slices (`search.listings.IndexedWorks` reads one page).
    Returns page_obj, page_range and query (the other query-string parameters, kept in links).
    """
    paginator = Paginator(items, per_page or settings.WORKS_PER_PAGE)
    page: Page[Any] = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "page_obj": page,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2)),
        "query": params.urlencode(),
    }
