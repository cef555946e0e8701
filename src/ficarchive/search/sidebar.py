"""The filter sidebar as the page fills it in: the values the reader asked for, kept on the form."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ficarchive.search.query import RANGE_FIELDS, SORTS
from ficarchive.tags.models import CATEGORIES, RATINGS, WARNINGS
from ficarchive.works.models import LANGUAGES

RANGE_LABELS = {
    "words": _("Words"),
    "chapters": _("Chapters"),
    "kudos": _("Kudos"),
    "hits": _("Hits"),
    "bookmarks": _("Bookmarks"),
    "comments": _("Comments"),
}
# Each sort by its name in the sort menu, one of `SORTS` each.
SORT_LABELS = {
    "relevance": pgettext_lazy("sort", "Relevance"),
    "updated": pgettext_lazy("sort", "Updated"),
    "published": pgettext_lazy("sort", "Published"),
    "title": pgettext_lazy("sort", "Title"),
    "creator": pgettext_lazy("sort", "Creator"),
    "words": pgettext_lazy("sort", "Words"),
    "chapters": pgettext_lazy("sort", "Chapters"),
    "kudos": pgettext_lazy("sort", "Kudos"),
    "comments": pgettext_lazy("sort", "Comments"),
    "bookmarks": pgettext_lazy("sort", "Bookmarks"),
    "hits": pgettext_lazy("sort", "Hits"),
}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Sidebar:
    q: str
    body: bool  # the text also searches the chapters
    include_text: str
    exclude_text: str
    groups: list[tuple[str, str, list[Choice]]]  # legend, parameter, choices
    complete: list[Choice]
    languages: list[Choice]
    ranges: list[tuple[str, str, str]]  # parameter, label, value
    published: str
    updated: str
    sorts: list[Choice]
    orders: list[Choice]
    collection: str = ""  # the collection the search keeps to


def _names(params: QueryDict, name: str) -> list[str]:
    return [
        part.strip() for value in params.getlist(name) for part in value.split(",") if part.strip()
    ]


def sidebar(params: QueryDict) -> Sidebar:
    include, exclude = _names(params, "include"), _names(params, "exclude")
    fixed = {name.lower() for name in [*RATINGS, *WARNINGS, *CATEGORIES]}

    def choices(names: list[str], chosen: list[str]) -> list[Choice]:
        lowered = {name.lower() for name in chosen}
        return [Choice(name, name, name.lower() in lowered) for name in names]

    def one(name: str, options: list[tuple[str, object]]) -> list[Choice]:
        """The choices of a menu, their labels read in the reader's language now (the form is
        cached by its values, in each language apart)."""
        given = params.get(name, "")
        return [Choice(value, str(label), value == given) for value, label in options]

    return Sidebar(
        q=params.get("q", ""),
        body=params.get("body", "").lower() in {"true", "yes", "1"},
        include_text=", ".join(n for n in include if n.lower() not in fixed),
        exclude_text=", ".join(n for n in exclude if n.lower() not in fixed),
        groups=[
            (str(_("Ratings")), "include", choices(RATINGS, include)),
            (str(_("Archive warnings")), "include", choices(WARNINGS, include)),
            (str(_("Leave out warnings")), "exclude", choices(WARNINGS, exclude)),
            (str(_("Categories")), "include", choices(CATEGORIES, include)),
        ],
        complete=one(
            "complete",
            [("", _("Any")), ("true", _("Complete only")), ("false", _("In progress only"))],
        ),
        languages=one("lang", [("", _("Any language")), *LANGUAGES]),
        ranges=[(name, str(RANGE_LABELS[name]), params.get(name, "")) for name in RANGE_FIELDS],
        published=params.get("published", ""),
        updated=params.get("updated", ""),
        sorts=one(
            "sort", [("", _("Best match or latest update")), *((s, SORT_LABELS[s]) for s in SORTS)]
        ),
        orders=one(
            "order", [("", _("Usual order")), ("desc", _("Descending")), ("asc", _("Ascending"))]
        ),
        collection=params.get("collection", "").strip().lower()[:60],
    )


def kept_params(params: QueryDict, leaving_out: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every parameter but those LEAVING_OUT, as hidden fields of a form that changes only
    those (the sort line above the results keeps the search it sorts)."""
    return [
        (key, value) for key, values in params.lists() if key not in leaving_out for value in values
    ]
