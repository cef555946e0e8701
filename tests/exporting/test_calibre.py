"""Our EPUBs as calibre and FanFicFare read them: every field, the address as an identifier."""

from __future__ import annotations

import io

from django.contrib.auth.models import AnonymousUser

from ficarchive.exporting.book import Site, series_book, work_book
from ficarchive.exporting.formats import epub
from ficarchive.works import actions
from tests.conftest import post_work

SITE = Site("ficarchive", "http://testserver")


def test_calibre_reads_every_field_of_a_work_and_its_address(rich_work, ebook_meta, epubcheck):
    data = epub.write(work_book(rich_work, AnonymousUser(), SITE))
    meta = ebook_meta(data)
    assert meta["Title"] == rich_work.title
    assert meta["Author(s)"] == "alice & bob"
    assert set(meta["Tags"].split(", ")) == {
        "Mature",
        "No Archive Warnings Apply",
        "Gen",
        "Original Work",
        "Lighthouses",
        "Keeper & Gull",
        "The Keeper",
        "Slow Burn",
        "Rain",
    }
    assert meta["Series"] == "The Lamp Cycle #1"
    assert meta["Languages"] == "eng"
    assert meta["Published"].startswith(f"{rich_work.published_at:%Y-%m-%d}")
    assert meta["Identifiers"] == f"url:http://testserver/works/{rich_work.pk}"
    assert meta["Comments"] == "A keeper, a gull & the rain."
    assert meta["Publisher"] == "ficarchive"
    epubcheck(data)


def test_calibre_reads_a_later_part_s_place_in_its_series(alice, ebook_meta):
    series = actions.create_series(alice, "Weather")
    works = [post_work(alice, title) for title in ("Drizzle", "Gale", "Calm")]
    for work in works:
        actions.add_work_to_series(alice, work, series)
    meta = ebook_meta(epub.write(work_book(works[1], AnonymousUser(), SITE)))
    assert meta["Series"] == "Weather #2"


def test_calibre_reads_a_series_book_with_the_series_address(alice, ebook_meta, epubcheck):
    series = actions.create_series(alice, "The Cycle", summary="<p>Three nights.</p>")
    for title in ("Part One", "Part Two"):
        actions.add_work_to_series(alice, post_work(alice, title, language="fr"), series)
    data = epub.write(series_book(series, AnonymousUser(), SITE))
    meta = ebook_meta(data)
    assert meta["Title"] == "The Cycle"
    assert meta["Author(s)"] == "alice"
    assert meta["Languages"] == "fra"
    assert meta["Identifiers"] == f"url:http://testserver/series/{series.pk}"
    assert meta["Comments"] == "Three nights."
    epubcheck(data)


def test_fanficfare_counts_every_chapter_of_a_series_book(alice):
    from fanficfare.epubutils import get_dcsource_chaptercount

    series = actions.create_series(alice, "The Cycle")
    first = post_work(alice, "Part One", chapters=["<p>One.</p>", "<p>One, again.</p>"])
    second = post_work(alice, "Part Two", chapters=["<p>Two.</p>"])
    for work in (first, second):
        actions.add_work_to_series(alice, work, series)
    data = epub.write(series_book(series, AnonymousUser(), SITE))
    source, chapters = get_dcsource_chaptercount(io.BytesIO(data))
    assert (source, chapters) == (f"http://testserver/series/{series.pk}", 3)


def test_fanficfare_counts_every_chapter_of_a_work(rich_work):
    from fanficfare.epubutils import get_dcsource_chaptercount

    data = epub.write(work_book(rich_work, AnonymousUser(), SITE))
    source, chapters = get_dcsource_chaptercount(io.BytesIO(data))
    assert (source, chapters) == (f"http://testserver/works/{rich_work.pk}", 2)


def test_calibre_reads_an_imported_works_original_creators_and_date(alice, ebook_meta, epubcheck):
    from datetime import date

    work = post_work(alice, "Found Again")
    actions.keep_original(alice, work, ["Margaret Hale"], date(2012, 3, 4), None)
    data = epub.write(work_book(work, AnonymousUser(), SITE))
    meta = ebook_meta(data)
    assert meta["Author(s)"] == "Margaret Hale & alice"
    assert meta["Published"].startswith("2012-03-04")
    epubcheck(data)


def test_calibre_reads_an_archived_works_author_not_its_archivist(db, ebook_meta, epubcheck):
    """An archivist's import names its author as the book's author; the archivist is a
    contributor, not an author (what calibre files the book under)."""
    from ficarchive.moderation.models import Role
    from tests.importing.archivists import archived
    from tests.moderation.holders import holder

    work = archived(holder(Role.ARCHIVIST), invite=False)
    data = epub.write(work_book(work, AnonymousUser(), SITE))
    assert ebook_meta(data)["Author(s)"] == "Pim Halloway"
    epubcheck(data)
