from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def signup(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def login(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def logout(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def password_change(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def password_reset(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    raise NotImplementedError


def password_reset_complete(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def delete_account(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def preferences(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def pseud_new(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def pseud_edit(request: HttpRequest, pseud_id: int) -> HttpResponse:
    raise NotImplementedError


def pseud_delete(request: HttpRequest, pseud_id: int) -> HttpResponse:
    raise NotImplementedError


def profile(request: HttpRequest, username: str) -> HttpResponse:
    raise NotImplementedError


def user_works(request: HttpRequest, username: str) -> HttpResponse:
    raise NotImplementedError


def user_series(request: HttpRequest, username: str) -> HttpResponse:
    raise NotImplementedError


def pseuds(request: HttpRequest, username: str) -> HttpResponse:
    raise NotImplementedError


def pseud(request: HttpRequest, username: str, pseud: str) -> HttpResponse:
    raise NotImplementedError

