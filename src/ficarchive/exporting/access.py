"""Who is asking for a feed or a download: a session, HTTP Basic credentials, or a feed token.

E-reader apps and feed readers keep no session. OPDS and Atom views therefore also accept the
reader's user name and password by HTTP Basic (apps send them when the server asks with a 401),
or a feed token in the address (`/opds/token/TOKEN/…`, `/feeds/personal/TOKEN.atom`). Either
stands for the reader for this one request; nobody is logged in by it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control, patch_vary_headers

from ficarchive.accounts.forms import LoginForm
from ficarchive.accounts.models import User
from ficarchive.accounts.two_factor.devices import has_second_factor
from ficarchive.exporting.book import Site
from ficarchive.exporting.models import FeedToken
from ficarchive.works.models import Work

View = TypeVar("View", bound=Callable[..., HttpResponse])
T = TypeVar("T")


def site_of(request: HttpRequest) -> Site:
    """The archive as this request reaches it, so that links in files and feeds work."""
    return Site(settings.SITE_NAME, request.build_absolute_uri("/").rstrip("/"))


def memo(request: HttpRequest, key: str, compute: Callable[[], T]) -> T:
    """COMPUTE's value, once per request (conditional-GET checks and the view share it)."""
    store: dict[str, Any] = request.__dict__.setdefault("_exporting_memo", {})
    if key not in store:
        store[key] = compute()
    value: T = store[key]
    return value


def challenge(message: str = "") -> HttpResponse:
    """401: ask the app for the reader's user name and password."""
    response = HttpResponse(
        message
        or "Log in with your user name and password, or use the address with your feed token.",
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["WWW-Authenticate"] = f'Basic realm="{settings.SITE_NAME}", charset="UTF-8"'
    return response


def _basic_credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    username, colon, password = text.partition(":")
    return (username, password) if colon else None


def _basic_user(request: HttpRequest) -> User | HttpResponse:
    """The reader whose HTTP Basic credentials came with REQUEST, checked as the login page does.

    The login form's rules apply, failure limits included, so that an app's address is no way
    around them: a wrong password is a 401 that asks again, too many failures a 429.
    """
    credentials = _basic_credentials(request)
    if credentials is None:
        return challenge("Wrong user name or password.")
    form = LoginForm(request, data={"username": credentials[0], "password": credentials[1]})
    if form.is_valid():
        user: User = form.get_user()
        if has_second_factor(user):  # a password alone must not stand for such an account
            return challenge(
                "This account signs in with a second factor: use the address with your feed "
                "token instead of your password."
            )
        return user
    errors = form.non_field_errors().as_data()
    if any(error.code == "too_many_failures" for error in errors):
        message = " ".join(message for error in errors for message in error.messages)
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    return challenge("Wrong user name or password.")


def feed_access(view: View) -> View:
    """Let the view see the reader of a feed token or Basic credentials as `request.user`.

    An unknown or revoked token is a 404; wrong credentials are a 401 that asks again. The
    token is taken out of the view's arguments.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = kwargs.pop("token", None)
        if token is not None:
            found = FeedToken.objects.active().select_related("user").filter(token=token).first()
            if found is None:
                raise Http404("No such feed token: it was revoked, or never existed.")
            request.user = found.user
        elif not request.user.is_authenticated and "HTTP_AUTHORIZATION" in request.META:
            user = _basic_user(request)
            if isinstance(user, HttpResponse):
                return user
            request.user = user
        response = view(request, *args, **kwargs)
        # What a feed shows depends on who asks: shared caches must not mix readers up.
        patch_vary_headers(response, ("Authorization", "Cookie"))
        patch_cache_control(response, private=True, no_cache=True)
        return response

    return wrapper  # type: ignore[return-value]


def app_login_required(view: View) -> View:
    """Like `login_required`, for apps: a guest is asked for credentials (401), not redirected."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return challenge()
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def readable_work(request: HttpRequest, work_id: int, *, app: bool = False) -> Work | HttpResponse:
    """The work if the reader may read it, as the work page decides.

    A guest asking for a work only registered users may read is sent to log in (an app, which
    cannot follow a login page, is asked for credentials instead); anything else the reader may
    not see is a 404, so that its existence does not leak.
    """
    work = get_object_or_404(Work.objects.with_blurb_data(), pk=work_id)
    if work.is_visible_to(request.user):
        return work
    open_to_registered_users = work.restricted and not work.is_draft and not work.is_hidden
    if not request.user.is_authenticated and open_to_registered_users:
        return challenge() if app else redirect_to_login(request.get_full_path())
    raise Http404("No such work.")
