"""The reader's shelves through the API: list, make, rename, order, fill and empty them, as
/shelves does (`social.actions.shelves`), so that apps can keep reading lists in step."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Status

from ficarchive.accounts.requests import AuthedRequest
from ficarchive.api.auth import SIGNED_IN, WRITE_AUTH
from ficarchive.api.common import PathId, answers
from ficarchive.api.shelf_schemas import (
    ShelfArrangeIn,
    ShelfChangeIn,
    ShelfIn,
    ShelfListOut,
    ShelfOut,
    ShelfWorksOut,
)
from ficarchive.social import actions
from ficarchive.social.models import Shelf

router = Router(tags=["shelves"])


def _shelf(request: AuthedRequest, shelf: Shelf, count: int) -> dict[str, Any]:
    def absolute(path: str) -> str:
        return request.build_absolute_uri(path)

    return {
        "id": shelf.pk,
        "name": shelf.name,
        "description": shelf.description,
        "position": shelf.position,
        "work_count": count,
        "url": absolute(shelf.get_absolute_url()),
        "downloads": {
            fmt: absolute(reverse("exporting:shelf_download", args=[shelf.pk, fmt]))
            for fmt in ("epub", "html", "txt")
        },
    }


def _with_works(request: AuthedRequest, shelf: Shelf) -> dict[str, Any]:
    entries = list(shelf.entries.in_order().shown_to(request.user))
    works = []
    for place, entry in enumerate(entries, start=1):  # a deleted work leaves no gap
        shown = entry.work_shown  # type: ignore[attr-defined]
        url = request.build_absolute_uri(entry.work.get_absolute_url()) if shown else None
        works.append(
            {
                "work_id": entry.work_id,
                "position": place,
                "title": entry.work.title if shown else None,
                "url": url,
            }
        )
    return {**_shelf(request, shelf, len(entries)), "works": works}


def _own(request: AuthedRequest, shelf_id: int) -> Shelf:
    return get_object_or_404(Shelf.objects.of_user(request.user), pk=shelf_id)


@router.get("/me/shelves", response=answers(ShelfListOut), auth=SIGNED_IN)
def my_shelves(request: AuthedRequest) -> dict[str, Any]:
    """The reader's shelves in their order (a reader keeps at most a hundred: no paging)."""
    found = Shelf.objects.of_user(request.user).in_order().with_counts()
    return {
        "shelves": [
            _shelf(request, shelf, shelf.work_count)  # type: ignore[attr-defined]
            for shelf in found
        ]
    }


@router.post("/me/shelves", response=answers(ShelfOut, 201), auth=WRITE_AUTH)
def create_shelf(request: AuthedRequest, payload: ShelfIn) -> Any:
    """A new shelf, last among the reader's; a 422 names a name already used."""
    made = actions.create_shelf(
        request.user, actions.ShelfDetails(payload.name, payload.description)
    )
    return Status(201, _shelf(request, made, 0))


@router.get("/me/shelves/{shelf_id}", response=answers(ShelfWorksOut), auth=SIGNED_IN)
def my_shelf(request: AuthedRequest, shelf_id: PathId) -> dict[str, Any]:
    """A shelf and its works in order; someone else's shelf is a 404."""
    return _with_works(request, _own(request, shelf_id))


@router.patch("/me/shelves/{shelf_id}", response=answers(ShelfWorksOut), auth=WRITE_AUTH)
def edit_shelf(request: AuthedRequest, shelf_id: PathId, payload: ShelfChangeIn) -> Any:
    """Rename it, describe it or move it among the reader's shelves."""
    shelf = _own(request, shelf_id)
    if payload.name is not None or payload.description is not None:
        details = actions.ShelfDetails(
            payload.name if payload.name is not None else shelf.name,
            payload.description if payload.description is not None else shelf.description,
        )
        shelf = actions.update_shelf(request.user, shelf, details)
    if payload.position is not None:
        actions.move_shelf(request.user, shelf, payload.position)
        shelf.refresh_from_db()
    return _with_works(request, shelf)


@router.delete("/me/shelves/{shelf_id}", response=answers(None, 204), auth=WRITE_AUTH)
def delete_shelf(request: AuthedRequest, shelf_id: PathId) -> Any:
    """The shelf goes; its works, and the reader's bookmarks of them, stay."""
    actions.delete_shelf(request.user, _own(request, shelf_id))
    return Status(204, None)


@router.put("/me/shelves/{shelf_id}/works", response=answers(ShelfWorksOut), auth=WRITE_AUTH)
def arrange_shelf(request: AuthedRequest, shelf_id: PathId, payload: ShelfArrangeIn) -> Any:
    """The shelf holds `work_ids`, in that order, and nothing else. A work already on it may
    stay even when the reader can no longer open it; a new one must be one they may read (422
    names those that are not)."""
    shelf = _own(request, shelf_id)
    actions.arrange_shelf(request.user, shelf, list(payload.work_ids))
    return _with_works(request, shelf)
