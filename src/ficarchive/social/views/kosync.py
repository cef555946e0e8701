"""KOReader's progress sync protocol (its "Progress sync" plugin, with this archive's address
as the custom sync server), as koreader-sync-server speaks it.

- `POST /kosync/users/create`: refused (402, code 2005): accounts are made on the archive, and
  a reader makes a device key in preferences to log in with.
- `GET /kosync/users/auth`: 200 `{"authorized": "OK"}` for `x-auth-user` (the user name) and
  `x-auth-key` (the MD5 of a device key), else 401 `{"code": 2001, "message": "Unauthorized"}`.
- `PUT /kosync/syncs/progress`: `{document, progress, percentage, device, device_id}`; the
  document is one of the archive's EPUBs (its partial MD5, or the MD5 of its file name).
- `GET /kosync/syncs/progress/{document}`: the latest place, the device's own words when no
  one moved since, else the web's place as an XPointer into that EPUB; `{}` when none.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ficarchive.accounts.login_limits import count_attempt, succeeded
from ficarchive.accounts.models import User
from ficarchive.social.actions.devices import device_user, sync_from_device
from ficarchive.social.ereaders import progress_of
from ficarchive.social.models import DeviceProgress, EpubVersion, Reading
from ficarchive.social.places import place_in
from ficarchive.works.models import Work

MEDIA_TYPE = "application/json"
WEB_DEVICE_ID = "ficarchive-web"
_DOCUMENT = re.compile(r"^[A-Za-z0-9_]{1,64}$")
ERRORS = {
    2001: (401, "Unauthorized"),
    2003: (403, "Invalid request"),
    2004: (403, "Field 'document' not provided."),
    2005: (402, "User registration is disabled."),
}


def _answer(body: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, content_type=MEDIA_TYPE)


def _error(code: int, message: str = "") -> JsonResponse:
    status, standard = ERRORS[code]
    return _answer({"code": code, "message": message or standard}, status)


def _user(request: HttpRequest) -> User | JsonResponse:
    """The reader whose device key came with REQUEST, else the protocol's 401. Failures count
    against the log-in limits (per name and per address, as the log-in page's do): past them a
    429 says when to try again, and even the right key waits."""
    username = request.headers.get("x-auth-user", "")
    try:
        attempts = count_attempt(request, username[:150])
    except ValidationError as exc:
        return _answer({"code": 2001, "message": " ".join(exc.messages)}, 429)
    user = device_user(username, request.headers.get("x-auth-key", ""))
    if user is None:
        return _error(2001)
    succeeded(attempts)
    return user


def _version(user: User, document: str) -> EpubVersion | None:
    """The newest EPUB known by DOCUMENT of a posted work USER may read."""
    readable = Work.objects.visible_to(user).posted().values("id")
    return (
        EpubVersion.objects.filter(Q(digest=document) | Q(name_digest=document))
        .filter(work_id__in=readable)
        .select_related("work")
        .order_by("-created_at", "-id")
        .first()
    )


@csrf_exempt
@require_POST
def create_user(request: HttpRequest) -> HttpResponse:
    return _error(
        2005,
        f"Accounts are not made here: make a device key in your preferences on "
        f"{settings.SITE_NAME}, then log in with your user name and that key.",
    )


@require_GET
def auth_user(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if isinstance(user, JsonResponse):
        return user
    return _answer({"authorized": "OK"})


@require_GET
def healthcheck(request: HttpRequest) -> HttpResponse:
    return _answer({"state": "OK"})


def _sent(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_http_methods(["PUT"])
def update_progress(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if isinstance(user, JsonResponse):
        return user
    body = _sent(request)
    if body is None:
        return _error(2003)
    document = body.get("document")
    if not isinstance(document, str) or not document or ":" in document:
        return _error(2004)
    progress, percentage = body.get("progress"), body.get("percentage")
    device, device_id = body.get("device"), body.get("device_id", "")
    if (
        not _DOCUMENT.match(document)
        or not isinstance(progress, str)
        or not progress
        or isinstance(percentage, bool)
        or not isinstance(percentage, int | float)
        or not isinstance(device, str)
        or not device
        or not isinstance(device_id, str)
    ):
        return _error(2003)
    version = _version(user, document)
    if version is None:
        return _error(2003, f"{settings.SITE_NAME} keeps places only in books downloaded from it.")
    try:
        kept = sync_from_device(user, version, progress, float(percentage), device, device_id)
    except ValidationError as exc:
        return _error(2003, " ".join(exc.messages))
    except PermissionDenied as exc:
        return _error(2003, str(exc))
    return _answer({"document": document, "timestamp": int(kept.at.timestamp())})


@require_GET
def get_progress(request: HttpRequest, document: str) -> HttpResponse:
    user = _user(request)
    if isinstance(user, JsonResponse):
        return user
    if not _DOCUMENT.match(document):
        return _error(2004)
    version = _version(user, document)
    if version is None or not user.keep_history:
        return _answer({})
    reading = Reading.objects.filter(user=user, work=version.work).first()
    kept = DeviceProgress.objects.filter(user=user, version=version).first()
    moved = reading.position_at if reading is not None else None
    if kept is not None and (moved is None or kept.at >= moved):
        return _answer(
            {
                "document": document,
                "progress": kept.progress,
                "percentage": kept.percentage,
                "device": kept.device,
                "device_id": kept.device_id,
                "timestamp": int(kept.at.timestamp()),
            }
        )
    place = place_in(user, version.work)
    found = progress_of(version, place.chapter_id, place.paragraph) if place else None
    if found is None or moved is None:
        return _answer({})
    progress, percentage = found
    return _answer(
        {
            "document": document,
            "progress": progress,
            "percentage": percentage,
            "device": settings.SITE_NAME,
            "device_id": WEB_DEVICE_ID,
            "timestamp": int(moved.timestamp()),
        }
    )
