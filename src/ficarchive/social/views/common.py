from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from ficarchive.accounts.models import User, username_is
from ficarchive.works.models import Work


def readable_work(request: HttpRequest, work_id: int) -> Work:
    """A posted work this reader may open, else 404 (its existence does not leak)."""
    return get_object_or_404(
        Work.objects.visible_to(request.user).posted().select_related("stats"), pk=work_id
    )


def owner(username: str) -> User:
    return get_object_or_404(User, username_is(username))


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))
