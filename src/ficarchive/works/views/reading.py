from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def index(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def detail(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError


def chapter(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    raise NotImplementedError


def navigate(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError

