"""The works search page: one query from the URL, the filter sidebar and the facet counts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ficarchive.search.blurbs import blurbs
from ficarchive.search.query import BadQuery
from ficarchive.search.results import find_works
from ficarchive.search.sidebar import sidebar


def works_search(request: HttpRequest) -> HttpResponse:
    try:
        found = find_works(request.GET, request.user)
    except BadQuery as exc:
        context = {"error": exc, "sidebar": sidebar(request.GET), "found": None}
        return render(request, "search/works.html", context, status=400)
    shown = blurbs(found.result.ids, found.result.stamps, request)
    context = {"found": found, "blurbs": shown, "sidebar": sidebar(request.GET)}
    return render(request, "search/works.html", context)
