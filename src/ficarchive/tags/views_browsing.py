"""The Fandoms pages, open to everybody: `/media` (the media types, with their most-used
fandoms), a media type's fandoms A-Z, and a fandom's page with its top tags."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ficarchive.search.browsing import fandom_work_counts, top_tags_in_fandom
from ficarchive.tags.browsing import LETTERS_APART_OVER, fandoms_by_letter, media_summaries
from ficarchive.tags.models import MediaType, TagType, can_wrangle
from ficarchive.tags.views import _named_tag

# Each section's heading, a whole phrase of its own (not "Top " and the type's name).
FANDOM_PAGE_TYPES = [
    (TagType.CHARACTER.value, _("Top characters")),
    (TagType.RELATIONSHIP.value, _("Top relationships")),
    (TagType.FREEFORM.value, _("Top additional tags")),
]


def media(request: HttpRequest) -> HttpResponse:
    summaries = media_summaries(fandom_work_counts(request.user))
    return render(request, "tags/media.html", {"summaries": summaries})


def media_fandoms(request: HttpRequest, slug: str) -> HttpResponse:
    """A media type's fandoms with works to see, A-Z under letter headings; a type with many
    fandoms shows one letter at a time (`?letter=`), the first by default."""
    try:
        chosen = MediaType(slug)
    except ValueError as exc:
        raise Http404(f"No media type is called {slug!r}.") from exc
    grouped = fandoms_by_letter(chosen, fandom_work_counts(request.user))
    total = sum(len(fandoms) for fandoms in grouped.values())
    apart = total > LETTERS_APART_OVER
    letter = request.GET.get("letter", "")
    if apart:
        if letter not in grouped:
            letter = next(iter(grouped), "")
        shown = {letter: grouped[letter]} if letter else {}
    else:
        shown = grouped
    context = {
        "media": chosen,
        "letters": list(grouped),
        "shown": shown,
        "apart": apart,
        "letter": letter,
        "total": total,
    }
    return render(request, "tags/media_fandoms.html", context)


def fandom(request: HttpRequest, name: str) -> HttpResponse:
    """A fandom's page: its works to see, and its top characters, relationships and additional
    tags by work count, each linking to a search of the fandom and that tag."""
    tag, _created = _named_tag(request, name, TagType.FANDOM)
    if tag.synonym_of is not None:
        return redirect("tags:fandom", tag.synonym_of.name)
    total, facets = top_tags_in_fandom(tag.name, request.user)
    search = reverse("search:works")
    sections = [
        (
            str(heading),
            [
                (other, count, f"{search}?{urlencode([('include', tag.name), ('include', other)])}")
                for other, count in facets.get(kind, [])
            ],
        )
        for kind, heading in FANDOM_PAGE_TYPES
    ]
    context = {
        "tag": tag,
        "total": total,
        "sections": sections,
        "media": MediaType(tag.media),
        "can_wrangle": can_wrangle(request.user),
    }
    return render(request, "tags/fandom.html", context)
