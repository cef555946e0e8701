from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def new_work(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def edit_work(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError


def delete_work(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError


def post_draft(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError


def new_chapter(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError


def edit_chapter(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    raise NotImplementedError


def delete_chapter(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    raise NotImplementedError


def post_chapter(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    raise NotImplementedError


def reorder_chapters(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError


def drafts(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError

