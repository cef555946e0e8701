"""Pages kept whole in the shared cache, under what they show: a page answered from the search
index is named by its result (how many works, the page's works and their change stamps, the
facets), which changes whenever anything the page shows does, in every process alike. So a warm
page costs the engine's query and one cache read, on any app server of the machine or the
cluster, and no page is ever served stale.

Only pages that are the same for everyone who gets them are kept whole: a guest's search page
(no standing filters, no CSRF token, no messages waiting), and feeds (whose key names the
reader). A member's search page is kept in part (`kept_part`): what lies under the title bar,
with their CSRF token and the buttons under each work left as marks that each request fills in,
and the rest (their name in the header, their messages) drawn afresh.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from ficarchive.accounts.filters import standing_filters

KEEP_SECONDS = 24 * 3600


def digest(value: object) -> str:
    """A short, stable name for VALUE (its repr)."""
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:32]


def shown_alike(request: HttpRequest) -> bool:
    """Whether this request's page is the one every guest gets for the address: a guest with
    no messages waiting to be shown (reading them here keeps them for the page)."""
    if request.user.is_authenticated:
        return False
    return not any(True for _ in get_messages(request))


def _around(request: HttpRequest) -> tuple[str, ...]:
    """What a kept page depends on besides what it shows: its address, host, archive and
    language."""
    return (
        request.get_full_path(),
        request.build_absolute_uri("/"),
        settings.SITE_NAME,
        translation.get_language(),
    )


def kept_in_part(request: HttpRequest) -> bool:
    """Whether a member's page shows what any member's with the same preferences shows, but
    for their name, token and buttons: no standing filters (their results are everyone's) and
    not sent through their default search of a tag (which the page names)."""
    user = request.user
    return (
        user.is_authenticated
        and "tag_default" not in request.GET
        and standing_filters(user).is_empty  # type: ignore[arg-type]
    )


def token_mark() -> str:
    """What a kept part holds where the reader's CSRF token goes: derived from the secret key,
    so that no text a reader writes can be taken for it."""
    return "csrf" + digest(("token mark", settings.SECRET_KEY))


def controls_mark(work_id: int) -> str:
    """What a kept part holds where the buttons under the work WORK_ID go (a comment, which
    no escaped text of a work can hold)."""
    return f"<!--controls {work_id}-->"


def kept_part(
    request: HttpRequest, shows: object, make: Callable[[], str], fill: dict[str, str]
) -> str:
    """The part of the page for this address as of SHOWS (besides the address, the archive's
    name and host, and the language), from the shared cache or made by MAKE and kept; then
    each mark of FILL (`token_mark`, `controls_mark`) replaced by what this request shows."""
    key = f"part:{digest((_around(request), shows))}"
    part = cache.get(key)
    if part is None:
        part = make()
        cache.set(key, part, KEEP_SECONDS)
    if not fill:
        return part
    marks = re.compile("|".join(re.escape(mark) for mark in fill))
    return marks.sub(lambda found: fill[found.group()], part)


def served_whole(
    request: HttpRequest, shows: object, make: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page for this address as of SHOWS (all it depends on besides the address, the
    archive's name and host, and the language), from the shared cache, or made by MAKE and
    kept when it is a whole 200 answer."""
    key = f"page:{digest((_around(request), shows))}"
    kept = cache.get(key)
    if kept is not None:
        content_type, content = kept
        return HttpResponse(content, content_type=content_type)
    response = make()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (response["Content-Type"], response.content), KEEP_SECONDS)
    return response
