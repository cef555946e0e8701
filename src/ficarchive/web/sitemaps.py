"""sitemap.xml: an index of paged sitemaps of what a guest may read and anyone may share.

Works are `Work.objects.public()` (posted, not hidden or held, not restricted, by no banned
account); series, tags and creators appear only through such works. Addresses are built from
SITE_URL, never from the request's Host.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Model, QuerySet
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.tags.models import Tag
from ficarchive.works.models import Series, Work


class Section(Sitemap):  # type: ignore[type-arg]
    """One kind of page, its addresses from SITE_URL, SITEMAP_PAGE_SIZE to a page."""

    @property
    def limit(self) -> int:  # type: ignore[override]
        return int(settings.SITEMAP_PAGE_SIZE)

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class Dated(Section):
    """Items with `updated_at`, which is their lastmod."""

    def lastmod(self, item: Any) -> datetime | None:
        return item.updated_at  # type: ignore[no-any-return]

    def get_latest_lastmod(self) -> datetime | None:
        items = cast("QuerySet[Any]", self.items())
        latest: datetime | None = items.aggregate(latest=Max("updated_at"))["latest"]
        return latest


class Works(Dated):
    def items(self) -> QuerySet[Work]:
        return Work.objects.public().order_by("id").only("id", "updated_at")


class SeriesSection(Dated):
    def items(self) -> QuerySet[Series]:
        return Series.objects.public().order_by("id").only("id", "updated_at")


class Tags(Section):
    """Canonical tags a public work carries, itself or through a synonym."""

    def items(self) -> QuerySet[Tag]:
        used = Tag.objects.canonical().used_by(Work.objects.public())
        return used.order_by("id").only("id", "name", "type")

    def location(self, item: Model) -> str:
        tag: Tag = item  # type: ignore[assignment]
        return f"{tag.get_absolute_url()}?{urlencode({'type': tag.type})}"


class Creators(Section):
    """The profiles of the accounts that made public works."""

    def items(self) -> QuerySet[User]:
        makers = Work.objects.public().creator_ids()
        return User.objects.filter(pk__in=makers).order_by("id").only("id", "username")

    def location(self, item: Model) -> str:
        return reverse("accounts:profile", args=[item.username])  # type: ignore[attr-defined]


SECTIONS: dict[str, type[Section]] = {
    "works": Works,
    "series": SeriesSection,
    "tags": Tags,
    "creators": Creators,
}


def index_entries() -> list[tuple[str, datetime | None]]:
    """Every page of every section as (absolute address, lastmod): the sitemap index."""
    site = settings.SITE_URL.rstrip("/")
    entries = []
    for name, section_class in SECTIONS.items():
        section = section_class()
        address = site + reverse("web:sitemap_section", args=[name])
        latest = section.get_latest_lastmod()
        pages = section.paginator.num_pages
        entries.append((address, latest))
        entries.extend((f"{address}?p={page}", latest) for page in range(2, pages + 1))
    return entries
