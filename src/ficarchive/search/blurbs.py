"""The search page's work blurbs, drawn once per work version and kept in the cache.

A blurb's body (`works.blurb_html.blurb_body`) is the same for every reader with the same
preferences and time zone, and changes only when the work, its stats or its tags do: the
engine's stamp for the work (`Result.stamps`) says when, in every process alike. So the page
asks the cache for the twenty bodies at once and reads only the missing works from the
database. The "hide" buttons under each blurb and the reader's "Continue reading" depend on the
reader and are drawn each time, from the creators kept beside the body and the reader's places
(`social.places`, three queries for the page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from ficarchive.accounts.templatetags.standing_filters import hide_controls_html
from ficarchive.social.places import places_of
from ficarchive.works.blurb_html import blurb_body
from ficarchive.works.models import Work, read_tags_into

if TYPE_CHECKING:
    from django.http import HttpRequest

KEEP_SECONDS = 24 * 3600
V = TypeVar("V")


@dataclass(frozen=True)
class Person:
    """A creator's account, as the hide buttons need it."""

    pk: int
    username: str
    is_orphan_account: bool


@dataclass(frozen=True)
class Blurb:
    work_id: int
    body: SafeString
    controls: SafeString


def reader_variant(request: HttpRequest) -> str:
    """What, besides the work, a body depends on: the reader's display preferences and language."""
    user: Any = request.user
    warnings = "w" if getattr(user, "hide_warnings", False) else ""
    freeforms = "f" if getattr(user, "hide_freeform", False) else ""
    zone = timezone.get_current_timezone_name()
    return f"{warnings}{freeforms}:{zone}:{translation.get_language()}"


def kept_per_work(
    kind: str, ids: list[int], stamps: list[int], draw: Callable[[Work], V]
) -> list[tuple[int, V]]:
    """What DRAW makes of each of the works IDS (read with `with_blurb_data(tags=False)` and
    `read_tags_into`), kept in the cache under KIND and the work's stamp (`Result.stamps`), so
    only the works not drawn since they changed are read. In order; works gone since are left
    out."""
    keys = {
        work_id: f"{kind}:{work_id}:{stamp}" for work_id, stamp in zip(ids, stamps, strict=True)
    }
    kept = cache.get_many(list(keys.values()))
    missing = [work_id for work_id, key in keys.items() if key not in kept]
    if missing:
        works = list(Work.objects.filter(id__in=missing).with_blurb_data(tags=False))
        read_tags_into(works)
        fresh = {keys[work.pk]: draw(work) for work in works}
        cache.set_many(fresh, KEEP_SECONDS)
        kept.update(fresh)
    return [(work_id, kept[key]) for work_id, key in keys.items() if key in kept]


def blurbs(ids: list[int], stamps: list[int], request: HttpRequest) -> list[Blurb]:
    """The blurbs of the works IDS (as of STAMPS), in order; works gone since are left out."""

    def draw(work: Work) -> tuple[str, list[Person]]:
        people = {p.user.pk: p.user for p in work.creators}.values()
        return (
            str(blurb_body(work, request.user)),
            [Person(u.pk, u.username, u.is_orphan_account) for u in people],
        )

    drawn = kept_per_work(f"blurb:{reader_variant(request)}", ids, stamps, draw)
    continuing = get_template("social/_blurb_place.html")
    member = request.user.is_authenticated
    token = get_token(request) if member else None
    context = {"request": request, "user": request.user, "csrf_token": token}
    places = places_of(request.user, [work_id for work_id, _ in drawn]) if member else {}
    found = []
    for work_id, (shown, people) in drawn:
        buttons = ""
        if member:
            place = places.get(work_id)
            buttons = continuing.render({"place": place}) if place else ""
            buttons += hide_controls_html(context, work_id, people)
        found.append(Blurb(work_id, mark_safe(shown), mark_safe(buttons)))
    return found
