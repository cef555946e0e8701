from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def detail(request: HttpRequest, series_id: int) -> HttpResponse:
    raise NotImplementedError


def add_work(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError


def new(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def edit(request: HttpRequest, series_id: int) -> HttpResponse:
    raise NotImplementedError

