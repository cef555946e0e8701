"""robots.txt, sitemap.xml, the favicon's old address and /healthz."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ficarchive.web.crawlers import AI_CRAWLERS
from ficarchive.web.health import run_checks
from ficarchive.web.sitemaps import SECTIONS, index_entries

# Pages for one reader, forms, moderation and private feeds: no crawler has anything to read
# there (most answer a guest with the log-in page).
PRIVATE_PATHS = (
    "/account/",
    "/admin/",
    "/api/",
    "/blocked",
    "/downloads/",
    "/drafts",
    "/feeds/",
    "/history",
    "/images/",
    "/inbox",
    "/invitations",
    "/later",
    "/login",
    "/logout",
    "/moderation",
    "/muted",
    "/opds/bookmarks",
    "/opds/later",
    "/opds/mine",
    "/opds/token/",
    "/opds2/bookmarks",
    "/opds2/later",
    "/opds2/mine",
    "/opds2/token/",
    "/password/",
    "/preferences",
    "/report/",
    "/series/new",
    "/signup",
    "/stats",
    "/subscriptions",
    "/warnings",
    "/works/import",
    "/works/new",
    "/works/search",
    "/wrangling",
)
ONE_DAY = 24 * 3600


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    context = {
        "refused": AI_CRAWLERS if settings.REFUSE_AI_CRAWLERS else (),
        "private": PRIVATE_PATHS,
        "sitemap": settings.SITE_URL.rstrip("/") + reverse("web:sitemap"),
    }
    response = render(request, "web/robots.txt", context, content_type="text/plain")
    patch_cache_control(response, public=True, max_age=ONE_DAY)
    return response


@require_safe
def sitemap_index(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "web/sitemap_index.xml",
        {"entries": index_entries()},
        content_type="application/xml",
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One page (`?p=`) of one section; an unknown section or page is a 404."""
    maps: dict[str, Sitemap[Any] | type[Sitemap[Any]]] = {
        name: section_class() for name, section_class in SECTIONS.items()
    }
    response: HttpResponse = sitemap(request, maps, section=section)
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico whatever the page says: send them to the icon."""
    response = HttpResponseRedirect(static("ficarchive/favicon.svg"))
    patch_cache_control(response, public=True, max_age=ONE_DAY)
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every check passes, else 503; each check says what it found."""
    healthy, checks = run_checks()
    return JsonResponse({"ok": healthy, "checks": checks}, status=200 if healthy else 503)
