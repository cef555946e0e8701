"""A reader's place in a work through the API, so that apps keep it in step with the web
(`social.places`, `social.actions.set_position`, as the chapter page's script does)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.api.auth import SIGNED_IN, WRITE_AUTH
from ficarchive.api.common import PathId, answers, openable_work
from ficarchive.api.errors import ApiError
from ficarchive.api.schemas import PlaceIn, PlaceOut
from ficarchive.api.works import router  # one router per path: reads and writes share it
from ficarchive.social import actions
from ficarchive.social.places import place_in, read_chapters
from ficarchive.works.models import Work


def _answer(request: AuthedRequest, work: Work) -> dict[str, Any]:
    place = place_in(request.user, work)
    read = place.read if place else read_chapters(request.user, work)
    return {
        "work_id": work.pk,
        "chapter_id": place.chapter_id if place else None,
        "chapter_number": place.number if place else None,
        "paragraph": place.paragraph if place else 0,
        "url": request.build_absolute_uri(place.url) if place else None,
        "new_chapters": place.new_chapters if place else 0,
        "read_chapter_ids": sorted(read),
    }


@router.get("/works/{work_id}/place", response=answers(PlaceOut), auth=SIGNED_IN)
def work_place(request: AuthedRequest, work_id: PathId) -> Any:
    """Where the reader is in the work (all empty before they start it)."""
    return _answer(request, openable_work(request, work_id))


@router.put("/works/{work_id}/place", response=answers(PlaceOut), auth=WRITE_AUTH)
def keep_place(request: AuthedRequest, work_id: PathId, payload: PlaceIn) -> Any:
    """The reader is at `paragraph` of the chapter (`finished`: read to its end, and marked
    read). A 409 when the reader turned their history off: nothing is kept then."""
    work = openable_work(request, work_id)
    if work.is_draft:
        raise ApiError(404, "No such work.")
    chapter = get_object_or_404(work.posted_chapters(), pk=payload.chapter_id)
    kept = actions.set_position(
        request.user, work, chapter, payload.paragraph, finished=payload.finished
    )
    if kept is None:
        raise ApiError(409, "Your reading history is off: nothing is kept.")
    return _answer(request, work)
