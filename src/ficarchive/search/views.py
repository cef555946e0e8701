"""The works search page: one query from the URL, the results first, then the filter sidebar
with the facet counts; and the tag suggestions for its include and exclude fields."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ficarchive.search.blurbs import blurbs
from ficarchive.search.query import BadQuery
from ficarchive.search.results import find_works
from ficarchive.search.sidebar import kept_params, sidebar
from ficarchive.search.suggestions import BadTyping, suggested_tags


def works_search(request: HttpRequest) -> HttpResponse:
    # With nothing asked yet the reader came for the form: it comes first, open.
    context = {
        "sidebar": sidebar(request.GET),
        "fresh": not request.GET,
        "kept": kept_params(request.GET, leaving_out=("sort", "order", "page")),
    }
    try:
        found = find_works(request.GET, request.user)
    except BadQuery as exc:
        context |= {"error": exc, "found": None}
        return render(request, "search/works.html", context, status=400)
    shown = blurbs(found.result.ids, found.result.stamps, request)
    context |= {"found": found, "blurbs": shown}
    return render(request, "search/works.html", context)


@require_GET
def tag_suggestions(request: HttpRequest) -> HttpResponse:
    """Suggested tags for the name being typed in the include or exclude field (`field` says
    which; htmx sends the field's text under its name, and the include field's text too)."""
    field = request.GET.get("field", "")
    try:
        tags = suggested_tags(field, request.GET.get(field, ""), request.GET.get("include", ""))
    except BadTyping as exc:
        return render(request, "tags/_autocomplete.html", {"errors": [str(exc)]}, status=400)
    return render(request, "tags/_autocomplete.html", {"tags": tags})
