"""Feed entries for works and chapters, the same in Atom feeds and the OPDS catalog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from ficarchive.exporting.book import Site
from ficarchive.exporting.feeds.generator import (
    ACQUIRE,
    ACQUISITION,
    HTML,
    Author,
    Category,
    Link,
)
from ficarchive.exporting.formats import FORMATS
from ficarchive.exporting.xhtml import to_text, xml_text
from ficarchive.works.models import Chapter, SeriesPart, Work

SUMMARY_CHARACTERS = 1000


def _compact(html: str) -> str:
    """Rendered entry content without the template's blank lines or XML-hostile characters."""
    return xml_text("\n".join(line for line in html.splitlines() if line.strip()))


def _authors(work: Work, site: Site) -> list[Author]:
    """The byline, name by name ("Pim [archived by Ada]" for a work imported for its author)."""
    return [
        Author(xml_text(credit.text), site.absolute(credit.pseud.get_absolute_url()))
        for credit in work.creator_credits
    ] or [Author("Anonymous")]


def _categories(work: Work, site: Site) -> list[Category]:
    return [
        Category(
            xml_text(tag.name),
            f"{tag.get_type_display()}: {xml_text(tag.name)}",
            site.absolute(f"/tags#{tag.type}"),
        )
        for tag in work.tags.all()
    ]


def work_entry(work: Work, site: Site) -> dict[str, Any]:
    """An Atom entry for a work (from `Work.objects.with_blurb_data()`)."""
    summary = to_text(work.summary, width=10_000) if work.summary else ""
    if len(summary) > SUMMARY_CHARACTERS:
        summary = summary[: SUMMARY_CHARACTERS - 1].rstrip() + "…"
    return {
        "title": xml_text(work.title),
        "link": site.absolute(work.get_absolute_url()),
        "description": None,
        "id": site.absolute(work.get_absolute_url()),
        "updated": work.updated_at or work.revised_at,
        "published": work.published_at,
        "authors": _authors(work, site),
        "language": work.language,
        "issued": f"{work.published_at:%Y-%m-%d}" if work.published_at else "",
        "terms": _categories(work, site),
        "summary": summary,
        "content": _compact(render_to_string("exporting/_entry.html", {"work": work})),
        "links": [Link(site.absolute(work.get_absolute_url()), "alternate", HTML)],
    }


def opds_work_entry(
    work: Work, site: Site, url: Callable[..., str], *, creator_feeds: bool = True
) -> dict[str, Any]:
    """A work in an OPDS acquisition feed: its entry, with a link to each download.

    URL(name, **kwargs) gives the address of another catalog resource (keeping a feed token).
    """
    entry = work_entry(work, site)
    links = [
        Link(url("download", work_id=work.pk, fmt=name), ACQUIRE, fmt.MEDIA_TYPE, fmt.LABEL)
        for name, fmt in FORMATS.items()
    ]
    if creator_feeds:
        for pseud in work.creators:
            feed = url("pseud", username=pseud.user.username, pseud=pseud.name)
            links.append(Link(feed, "related", ACQUISITION, f"More by {pseud.byline}"))
    for part in work.series_parts.all():
        feed = url("series", series_id=part.series_id)
        links.append(Link(feed, "related", ACQUISITION, f"Series: {part.series.title}"))
    entry["links"] = entry["links"] + links
    return entry


def chapter_entry(work: Work, chapter: Chapter, number: int, site: Site) -> dict[str, Any]:
    """A chapter of WORK in the work's feed of new chapters."""
    heading = f"Chapter {number}: {chapter.title}" if chapter.title else f"Chapter {number}"
    url = site.absolute(chapter.get_absolute_url())
    context = {"work": work, "chapter": chapter, "heading": heading}
    return {
        "title": xml_text(f"{work.title}: {heading}"),
        "link": url,
        "description": None,
        "id": url,
        "updated": chapter.published_at or chapter.revised_at,
        "published": chapter.published_at,
        "authors": _authors(work, site),
        "language": work.language,
        "content": _compact(render_to_string("exporting/_chapter_entry.html", context)),
        "links": [Link(url, "alternate", HTML)],
    }


def series_part_entry(part: SeriesPart, site: Site) -> dict[str, Any]:
    """A work that became a part of a series, in the feed of someone who follows the series."""
    entry = work_entry(part.work, site)
    series_url = site.absolute(part.series.get_absolute_url())
    entry["title"] = xml_text(f"{part.series.title}, part {part.position}: {part.work.title}")
    entry["id"] = f"{series_url}#part-{part.pk}"
    entry["links"] = entry["links"] + [Link(series_url, "related", HTML, part.series.title)]
    return entry
