"""The works search page: one query from the URL, the results first, then the filter sidebar
with the facet counts; the tag suggestions for its include and exclude fields; the people
search and the bookmark search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from ficarchive.pages import paginate
from ficarchive.search.blurbs import Blurb, blurbs, reader_variant
from ficarchive.search.bookmark_search import find_bookmarks, parse_bookmark_query, unknown_names
from ficarchive.search.people import BadPeopleQuery, describe, matching_pseuds, people_query
from ficarchive.search.query import BadQuery
from ficarchive.search.results import find_works
from ficarchive.search.saved import Alert
from ficarchive.search.saved_actions import tag_default_of
from ficarchive.search.sidebar import kept_params, sidebar
from ficarchive.search.suggestions import BadTyping, suggested_tags
from ficarchive.search.whole_pages import (
    controls_mark,
    kept_in_part,
    kept_part,
    served_whole,
    shown_alike,
    token_mark,
)
from ficarchive.tags.models import RATINGS


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

    def page() -> HttpResponse:
        shown = blurbs(found.result.ids, found.result.stamps, request)
        context.update(found=found, blurbs=shown, save_alerts=Alert.choices)
        context.update(_through_tag_default(request))
        return render(request, "search/works.html", context)

    result = found.result
    notes = [(n.form.field, n.form.typed, [t.pk for t in n.form.tags]) for n in found.short_forms]
    shows = (result.total, result.ids, result.stamps, result.facets, result.unknown_tags, notes)
    if shown_alike(request):  # a guest's page is the same for every guest: kept whole
        return served_whole(request, shows, page)
    if not kept_in_part(request):
        return page()
    shown = blurbs(result.ids, result.stamps, request)

    def main() -> str:
        marked = [Blurb(b.work_id, b.body, mark_safe(controls_mark(b.work_id))) for b in shown]
        context.update(found=found, blurbs=marked, save_alerts=Alert.choices)
        return render_to_string(
            "search/_works_main.html", context | {"csrf_token": token_mark()}, request
        )

    fill = {controls_mark(b.work_id): str(b.controls) for b in shown}
    fill[token_mark()] = get_token(request)
    kept = kept_part(request, ("member", reader_variant(request), shows), main, fill)
    return render(request, "search/works.html", {"main": mark_safe(kept)})


def _through_tag_default(request: HttpRequest) -> dict[str, object]:
    """When a tag page sent the reader here through their default search, which one, and the
    way back to every work of the tag."""
    tag = request.GET.get("tag_default", "")
    saved = tag_default_of(request.user) if tag else None
    if saved is None:
        return {}
    everything = reverse("tags:works", args=[tag]) + "?all=1"
    return {"tag_default": saved, "tag_default_tag": tag, "tag_default_all": everything}


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


@require_GET
def people_search(request: HttpRequest) -> HttpResponse:
    """Pseuds by name or user name; an empty `q` shows the form alone."""
    try:
        text = people_query(request.GET)
    except BadPeopleQuery as exc:
        return render(request, "search/people.html", {"error": exc}, status=400)
    context: dict[str, object] = {"q": text}
    if text:
        listing = paginate(request, matching_pseuds(text))
        listing["people"] = describe(list(listing["page_obj"]), request.user)
        context |= listing
    return render(request, "search/people.html", context)


@require_GET
def bookmarks_search(request: HttpRequest) -> HttpResponse:
    """Readers' bookmarks the reader may see, filtered by the work and by the bookmark."""
    context: dict[str, object] = {"params": request.GET, "ratings": RATINGS}
    try:
        query = parse_bookmark_query(request.GET)
    except BadQuery as exc:
        context["error"] = exc
        return render(request, "search/bookmarks.html", context, status=400)
    context["asked"] = query
    if query.asks_anything:
        context |= paginate(request, find_bookmarks(query, request.user))
        context |= {"searched": True, "unknown": unknown_names(query)}
    return render(request, "search/bookmarks.html", context)
