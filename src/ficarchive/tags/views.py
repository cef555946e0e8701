from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def works(request: HttpRequest, name: str) -> HttpResponse:
    raise NotImplementedError
