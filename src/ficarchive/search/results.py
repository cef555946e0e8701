"""What the search page shows: the engine's answer with the page of works and the facet links."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from django.http import QueryDict

from ficarchive.accounts.filters import keep_standing_filters
from ficarchive.search.engine import Result
from ficarchive.search.index_keeper import search
from ficarchive.search.query import SearchQuery
from ficarchive.search.short_forms import ShortForm, resolve_short_forms
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
class ShortFormNote:
    """What a name no tag has was searched as: `form.resolved`, or the `choices` (each tag's
    name with the address that searches it instead), or nothing."""

    form: ShortForm
    choices: list[tuple[str, str]]


@dataclass(frozen=True)
class Found:
    query: SearchQuery
    result: Result
    facets: list[tuple[str, list[FacetLink]]]
    pages: dict[str, Any]
    short_forms: list[ShortFormNote] = field(default_factory=list)

    @property
    def unknown_elsewhere(self) -> list[str]:
        """Unknown include names the short-form notes do not already speak of."""
        spoken = {note.form.typed.lower() for note in self.short_forms}
        return [name for name in self.result.unknown_tags if name.lower() not in spoken]


def find_works(params: QueryDict, user: AnyUser) -> Found:
    """Run the search the parameters ask for (raises `BadQuery`), short forms of tag names
    read as the posting form reads them."""
    query, forms = resolve_short_forms(SearchQuery.from_params(params))
    if user.is_authenticated:  # read once for the search and for the page that shows it
        keep_standing_filters(user)
    result = search(query, user)
    notes = [ShortFormNote(form, _choices(params, form)) for form in forms]
    return Found(
        query, result, _facet_links(params, query, result), _pages(params, query, result), notes
    )


def _choices(params: QueryDict, form: ShortForm) -> list[tuple[str, str]]:
    """For an ambiguous name, each tag it could be with the address that searches that tag in
    its place (every other parameter kept, back to the first page)."""
    if len(form.tags) < 2:
        return []
    typed = form.typed.lower()
    links = []
    for tag in form.tags:
        rest = params.copy()
        rest.pop("page", None)
        values = [
            ", ".join(
                tag.name if " ".join(part.split()).lower() == typed else part.strip()
                for part in value.split(",")
            )
            for value in rest.getlist(form.field)
        ]
        rest.setlist(form.field, values)
        links.append((tag.name, f"?{rest.urlencode()}"))
    return links


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
            groups.append((str(tag_type.label), links))
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
