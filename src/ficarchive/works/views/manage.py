from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def creators(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError


def invitations(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def answer_invitation(request: HttpRequest, creatorship_id: int, answer: str) -> HttpResponse:
    raise NotImplementedError


def hide(request: HttpRequest, work_id: int) -> HttpResponse:
    raise NotImplementedError

