"""The head of a page as link previews and search engines read it: a description,
`rel="canonical"`, OpenGraph and Twitter card tags, and feed discovery links.

`{% page_preview %}` (base.html's `meta` block) describes the page by the view that drew it:
works, chapters, series, profiles, pseuds and tags describe themselves, the home page links the
e-reader catalog, any other page gets the site's description and its own address. A page
drawn without what its view shows (a 404) is left unindexed. A work that is not
`Work.is_public` (a draft, hidden, held, restricted, or by a banned account) is described as
the site is, with `noindex` and no canonical address: whoever sees its page (its creators, a
logged-in reader, a moderator), nothing of it reaches a preview. A crawler is a guest, and
guests never see those pages at all.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud, User
from ficarchive.tags.models import Tag
from ficarchive.works.models import Chapter, Series, Work

register = template.Library()

DESCRIPTION_CHARS = 300
ARTICLE_TAGS = 20  # article:tag and book:tag entries at most
ATOM = "application/atom+xml"
OPDS = "application/atom+xml;profile=opds-catalog;kind=navigation"
_SPACES = re.compile(r"\s+")


@dataclass
class Preview:
    title: str
    description: str
    url: str = ""  # the canonical address, absolute; none on pages not to be indexed
    kind: str = "website"
    properties: list[tuple[str, str]] = field(default_factory=list)
    feeds: list[tuple[str, str, str]] = field(default_factory=list)  # type, title, address
    noindex: bool = False


def plain_text(markup: str, chars: int = DESCRIPTION_CHARS) -> str:
    """Sanitized HTML as one line of plain text, cut at a word to CHARS at most."""
    text = _SPACES.sub(" ", html.unescape(strip_tags(markup.replace("<", " <")))).strip()
    return Truncator(text).chars(chars, truncate="…")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _page_of(context: template.Context) -> dict[str, str]:
    """The listing's page number when past the first (each page is its own page): the page
    drawn (`page_obj`), not the one asked for, which may be past the end."""
    page = context.get("page_obj")
    number = getattr(page, "number", 1)
    return {"page": str(number)} if isinstance(number, int) and number > 1 else {}


def _address(path: str, context: template.Context, **params: str) -> str:
    query = urlencode({**params, **_page_of(context)})
    return absolute(path) + (f"?{query}" if query else "")


def _site(preview: Preview) -> dict[str, Any]:
    return {"preview": preview, "SITE_NAME": settings.SITE_NAME}


def _unlisted() -> Preview:
    return Preview(settings.SITE_NAME, settings.SITE_DESCRIPTION, noindex=True)


def site_preview(context: template.Context, noindex: bool = False) -> dict[str, Any]:
    """The site's own description; the canonical address is this page's (its path, and its
    page number in a listing), unless NOINDEX."""
    if noindex:
        return _site(_unlisted())
    request = context.get("request")
    url = _address(request.path, context) if request is not None else ""
    return _site(Preview(settings.SITE_NAME, settings.SITE_DESCRIPTION, url))


def home_preview(context: template.Context) -> dict[str, Any]:
    preview = Preview(settings.SITE_NAME, settings.SITE_DESCRIPTION, absolute(reverse("home")))
    catalog = _("%(site)s catalog") % {"site": settings.SITE_NAME}
    preview.feeds.append((OPDS, catalog, reverse("exporting:opds_root")))
    return _site(preview)


def _profile_urls(pseuds: list[Pseud]) -> list[str]:
    return list(dict.fromkeys(absolute(p.user.get_absolute_url()) for p in pseuds))


def work_preview(context: template.Context, work: Work) -> dict[str, Any]:
    """A work page, or one of its chapters (`chapters` in the context, when not `whole`):
    a later chapter's page does not show the work's summary, nor does its description."""
    if not work.is_public:
        return _site(_unlisted())
    credits = work.creator_credits
    creators = [credit.pseud for credit in credits]
    names = ", ".join(c.archived_for or c.pseud.name for c in credits) or _("Anonymous")
    fandoms = [tag.name for tag in work.fandoms]
    if fandoms:
        about = _("A work by %(names)s in %(fandoms)s.") % {
            "names": names,
            "fandoms": ", ".join(fandoms),
        }
    else:
        about = _("A work by %(names)s.") % {"names": names}
    description = plain_text(work.summary) or about
    title, url = work.title, work.get_absolute_url()
    chapters: list[Chapter] = context.get("chapters") or []
    if not context.get("whole") and chapters and _is_chapter_page(context):
        chapter = chapters[0]
        if chapter.is_draft:
            return _site(_unlisted())
        title, url = f"{work.title} - {chapter.heading}", chapter.get_absolute_url()
        if not context.get("first"):  # the work's summary frames its first chapter only
            description = _("%(chapter)s of %(title)s by %(names)s.") % {
                "chapter": chapter.heading,
                "title": work.title,
                "names": names,
            }
    headline = _("%(title)s by %(names)s") % {"title": title, "names": names}
    preview = Preview(headline, description, absolute(url), "article")
    preview.properties += [("article:author", address) for address in _profile_urls(creators)]
    for name, moment in (("published", work.published_at), ("modified", work.updated_at)):
        if moment is not None:
            preview.properties.append((f"article:{name}_time", moment.isoformat()))
    if fandoms:
        preview.properties.append(("article:section", fandoms[0]))
    tags = [tag.name for tag in work.all_tags if tag.type not in ("rating", "warning", "category")]
    preview.properties += [("article:tag", name) for name in tags[:ARTICLE_TAGS]]
    feed = reverse("exporting:atom_work", args=[work.pk])
    preview.feeds.append((ATOM, _("Chapters of %(title)s") % {"title": work.title}, feed))
    return _site(preview)


def _is_chapter_page(context: template.Context) -> bool:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "chapter")


def series_preview(context: template.Context, series: Series) -> dict[str, Any]:
    """A series page: described only when one of the parts it shows is a public work."""
    works = [part.work for part in context.get("parts") or []]
    if not any(work.is_public for work in works):
        return _site(_unlisted())
    creators = list(series.creators.all())
    names = ", ".join(p.name for p in creators) or _("Anonymous")
    description = plain_text(series.summary) or _("A series by %(names)s.") % {"names": names}
    url = _address(series.get_absolute_url(), context)
    headline = _("%(title)s by %(names)s") % {"title": series.title, "names": names}
    preview = Preview(headline, description, url, "book")
    preview.properties += [("book:author", address) for address in _profile_urls(creators)]
    feed = reverse("exporting:atom_series", args=[series.pk])
    preview.feeds.append((ATOM, _("Works in %(title)s") % {"title": series.title}, feed))
    return _site(preview)


def _banned(user: User) -> bool:
    return not user.is_active and not user.is_orphan_account


def profile_preview(context: template.Context, owner: User) -> dict[str, Any]:
    if _banned(owner):
        return _site(_unlisted())
    description = _("Works, series and bookmarks by %(name)s on %(site)s.") % {
        "name": owner.username,
        "site": settings.SITE_NAME,
    }
    url = absolute(owner.get_absolute_url())
    preview = Preview(owner.username, description, url, "profile")
    preview.properties.append(("profile:username", owner.username))
    feed = reverse("exporting:atom_user", args=[owner.username])
    preview.feeds.append((ATOM, _("Works by %(name)s") % {"name": owner.username}, feed))
    return _site(preview)


def pseud_preview(context: template.Context, pseud: Pseud) -> dict[str, Any]:
    owner = pseud.user
    if _banned(owner):
        return _site(_unlisted())
    shown = pseud.description if not pseud.description_hidden else ""
    description = plain_text(shown) or _("Works by %(name)s on %(site)s.") % {
        "name": pseud.byline,
        "site": settings.SITE_NAME,
    }
    url = _address(pseud.get_absolute_url(), context)
    preview = Preview(pseud.byline, description, url, "profile")
    preview.properties.append(("profile:username", owner.username))
    feed = reverse("exporting:atom_pseud", args=[owner.username, pseud.name])
    preview.feeds.append((ATOM, _("Works by %(name)s") % {"name": pseud.byline}, feed))
    return _site(preview)


def tag_preview(context: template.Context, tag: Tag) -> dict[str, Any]:
    """A tag's works; its address names its type, as names may be shared between types."""
    kind = tag.get_type_display()
    description = _("Works tagged %(name)s (%(kind)s) on %(site)s.") % {
        "name": tag.name,
        "kind": kind,
        "site": settings.SITE_NAME,
    }
    url = _address(tag.get_absolute_url(), context, type=tag.type)
    title = _("Works tagged %(name)s") % {"name": tag.name}
    return _site(Preview(title, description, url))  # its page links its feed


# What each view's page shows, by view name: the preview and the context variable it needs.
PREVIEWS: dict[str, tuple[str, Any]] = {
    "works:detail": ("work", work_preview),
    "works:chapter": ("work", work_preview),
    "works:series": ("series", series_preview),
    "accounts:profile": ("owner", profile_preview),
    "accounts:pseud": ("pseud", pseud_preview),
    "tags:works": ("tag", tag_preview),
}


@register.inclusion_tag("web/_meta.html", takes_context=True)
def page_preview(context: template.Context, noindex: bool = False) -> dict[str, Any]:
    """NOINDEX: an error page's (they name no canonical address)."""
    if noindex:
        return site_preview(context, noindex=True)
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return site_preview(context, noindex=True)  # no view: an unknown address
    if match.view_name == "home":
        return home_preview(context)
    if match.view_name not in PREVIEWS:
        return site_preview(context)
    name, preview = PREVIEWS[match.view_name]
    shown = context.get(name)
    if shown is None:
        return site_preview(context, noindex=True)  # its 404
    return preview(context, shown)  # type: ignore[no-any-return]
