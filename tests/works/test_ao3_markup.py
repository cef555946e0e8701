"""Work, chapter, chapter-index and series pages use AO3's markup where they show the same
thing, so that tools written for AO3's pages (FanFicFare's OTW adapters, scrapers, user
scripts) read ours. tests/exporting/test_fanficfare.py runs FanFicFare itself."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from selectolax.lexbor import LexborHTMLParser

from ficarchive.tags.models import EXPLICIT
from ficarchive.works import actions
from ficarchive.works.models import Work
from tests.conftest import post_work


def page(client: Client, url: str) -> LexborHTMLParser:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return LexborHTMLParser(answer.content.decode())


def texts(html: LexborHTMLParser, selector: str) -> list[str]:
    return [" ".join(node.text().split()) for node in html.css(selector)]


@pytest.fixture
def tide(alice) -> Work:
    work = post_work(
        alice,
        "The Tide Clock",
        fandoms=["Lighthouses"],
        categories=["F/F"],
        relationships=["Keeper/Cartographer"],
        characters=["The Keeper"],
        freeforms=["Slow Burn"],
        summary="<p>A clock that runs on tides.</p>",
        begin_notes="<p>For the exchange.</p>",
        end_notes="<p>Thanks for reading.</p>",
        chapters=["<p>Ebb.</p>", "<p>Flow.</p>"],
    )
    first = work.chapters.order_by("position").first()
    assert first is not None
    actions.update_chapter(
        alice,
        first,
        actions.ChapterDetails(
            body="<p>Ebb.</p>",
            title="Low Water",
            summary="<p>The water goes out.</p>",
            begin_notes="<p>Before the chapter.</p>",
            end_notes="<p>After the chapter.</p>",
        ),
    )
    actions.add_work_to_series(alice, work, actions.create_series(alice, "Clocks"))
    return work


def test_the_work_page_has_ao3s_meta_block_byline_and_preface(client: Client, tide: Work):
    html = page(client, f"{tide.get_absolute_url()}?view_full_work=true")
    meta = html.css_first("dl.work.meta.group")
    assert meta is not None
    assert texts(meta, "dd.rating.tags a.tag") == ["General Audiences"]
    assert texts(meta, "dd.fandom.tags a.tag") == ["Lighthouses"]
    assert texts(meta, "dd.category.tags a.tag") == ["F/F"]
    assert texts(meta, "dd.relationship.tags a.tag") == ["Keeper/Cartographer"]
    assert texts(meta, "dd.character.tags a.tag") == ["The Keeper"]
    assert texts(meta, "dd.freeform.tags a.tag") == ["Slow Burn"]
    assert texts(meta, "dd.warning.tags a.tag") != []
    assert texts(meta, "dd.language") == ["English"]
    assert texts(meta, "dd.series span.position") == ["Part 1 of 1 of Clocks"]
    stats = meta.css_first("dd.stats dl.stats")
    assert stats is not None
    assert texts(stats, "dd.words") == ["2"]
    assert texts(stats, "dd.chapters") == ["2/2"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", texts(stats, "dd.published")[0])

    preface = html.css_first("div.preface.group")
    assert preface is not None
    assert texts(preface, "h1.title.heading") == ["The Tide Clock"]
    assert texts(preface, "h3.byline.heading a[rel=author]") == ["alice"]
    assert texts(preface, "div.summary.module blockquote.userstuff") == [
        "A clock that runs on tides."
    ]
    assert texts(preface, "div.notes.module blockquote.userstuff") == ["For the exchange."]
    # tools take the page's first blockquote.userstuff for the summary
    assert texts(html, "blockquote.userstuff")[0] == "A clock that runs on tides."
    assert texts(html, "div#work_endnotes.end.notes.module blockquote") == ["Thanks for reading."]
    assert html.css("li.bychapter a") != []


def test_the_chapters_are_ao3s_chapter_blocks(client: Client, tide: Work):
    html = page(client, f"{tide.get_absolute_url()}?view_full_work=true")
    chapters = html.css("div#chapters > div.chapter")
    assert [node.attributes["id"] for node in chapters] == ["chapter-1", "chapter-2"]
    first = chapters[0]
    assert texts(first, "h2.title")[0].startswith("Chapter 1: Low Water")
    assert texts(first, "div#summary.summary.module .userstuff") == ["The water goes out."]
    assert texts(first, "div#notes.notes.module .userstuff") == ["Before the chapter."]
    assert texts(first, "div.userstuff.module") == ["Ebb."]
    assert texts(first, "div.end.notes.module blockquote") == ["After the chapter."]
    assert texts(chapters[1], "div.userstuff.module") == ["Flow."]


def test_the_chapter_index_links_each_chapter_with_its_date(client: Client, tide: Work):
    html = page(client, f"/works/{tide.pk}/navigate")
    links = html.css("ol.index a")
    assert [a.attributes["href"] for a in links] == [
        c.get_absolute_url() for c in tide.chapters.order_by("position")
    ]
    assert all(re.fullmatch(r"\(\d{4}-\d\d-\d\d\)", t) for t in texts(html, "ol.index .datetime"))
    authors = [a.attributes["href"] for a in html.css("a[rel=author]")]
    assert authors == ["/users/alice/pseuds/alice"]


def test_the_adult_notice_says_ao3s_sentence_and_proceeds_with_view_adult(client: Client, alice):
    work = post_work(alice, rating=EXPLICIT)
    html = page(client, work.get_absolute_url())
    caution = texts(html, "p.caution")
    assert caution == [
        "This work could have adult content. If you continue, you have agreed that you are"
        " willing to see such content."
    ]
    proceed = [a for a in html.css("a") if a.text(strip=True) == "Proceed"]
    assert proceed[0].attributes["href"] == f"/works/{work.pk}?view_adult=true"
    assert "dl.work" not in html.html and html.css("div#chapters") == []


def test_the_series_page_names_the_series_and_its_state_as_ao3_does(
    client: Client, alice, tide: Work
):
    series = tide.series_parts.get().series
    html = page(client, series.get_absolute_url())
    assert texts(html, "div.series-show .heading") == ["Clocks"]
    assert texts(html, "dl.series dl.stats dd.complete") == ["No"]
    assert texts(html, "dl.series dl.stats dd.works") == ["1"]
