"""What the search page shows: the engine's answer with the page of works and the facet links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from django.http import QueryDict

from ficarchive.search.engine import Result, search
from ficarchive.search.query import SearchQuery
from ficarchive.tags.models import TagType

if TYPE_CHECKING:
    from ficarchive.works.models import AnyUser


@dataclass(frozen=True)
class FacetLink:
    name: str
    count: int
    url: str
    chosen: bool


@dataclass(frozen=True)
class Found:
    query: SearchQuery
    result: Result
    facets: list[tuple[str, list[FacetLink]]]
    pages: dict[str, Any]


def find_works(params: QueryDict, user: AnyUser) -> Found:
    """Run the search the parameters ask for (raises `BadQuery`)."""
    query = SearchQuery.from_params(params)
    result = search(query, user)
    return Found(query, result, _facet_links(params, query, result), _pages(params, query, result))


def _facet_links(
    params: QueryDict, query: SearchQuery, result: Result
) -> list[tuple[str, list[FacetLink]]]:
    chosen = {name.lower() for name in query.include}
    rest = params.copy()
    rest.pop("page", None)
    base = f"?{rest.urlencode()}&include=" if rest else "?include="
    groups = []
    for tag_type in TagType:
        links = [
            FacetLink(name, count, base + quote_plus(name), name.lower() in chosen)
            for name, count in result.facets.get(tag_type.value, [])
        ]
        if links:
            groups.append((tag_type.label, links))
    return groups


def _pages(params: QueryDict, query: SearchQuery, result: Result) -> dict[str, Any]:
    """Previous and next links, keeping every other parameter."""
    last = max(1, -(-result.total // query.per_page))
    rest = params.copy()
    rest.pop("page", None)

    def link(page: int) -> str:
        rest.setlist("page", [str(page)])
        return f"?{rest.urlencode()}"

    return {
        "number": query.page,
        "last": last,
        "previous": link(query.page - 1) if query.page > 1 else "",
        "next": link(query.page + 1) if query.page < last else "",
        "first_index": query.offset + 1,
        "last_index": query.offset + len(result.ids),
    }
