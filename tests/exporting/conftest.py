"""Fixtures for the download and feed tests: epubcheck, and a work that uses every field."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ficarchive.accounts.models import User
from ficarchive.tags.models import MATURE, NO_WARNINGS
from ficarchive.works import actions
from ficarchive.works.models import Work
from tests.conftest import post_work
from tests.tools import ebook_meta_command, epubcheck_command, tool_missing


@pytest.fixture(scope="session")
def epubcheck_program() -> list[str]:
    command = epubcheck_command()
    if command is None:
        tool_missing(
            "EPUB validation needs Debian's epubcheck: `apt-get install epubcheck` "
            "(or set EPUBCHECK to its path)."
        )
    return command


@pytest.fixture
def epubcheck(epubcheck_program: list[str], tmp_path: Path) -> Callable[[bytes], str]:
    """Validate an EPUB with epubcheck; the test fails with its messages on any error or warning."""

    def check(data: bytes, name: str = "book.epub") -> str:
        path = tmp_path / name
        path.write_bytes(data)
        result = subprocess.run(
            [*epubcheck_program, str(path)], capture_output=True, text=True, timeout=300
        )
        report = result.stdout + result.stderr
        assert result.returncode == 0, report
        assert "ERROR" not in report and "WARNING" not in report, report
        return report

    return check


@pytest.fixture(scope="session")
def ebook_meta_program() -> list[str]:
    command = ebook_meta_command()
    if command is None:
        tool_missing(
            "Reading EPUBs as calibre does needs Debian's calibre: `apt-get install calibre` "
            "(or set EBOOK_META to its ebook-meta)."
        )
    return command


@pytest.fixture
def ebook_meta(ebook_meta_program: list[str], tmp_path: Path) -> Callable[[bytes], dict[str, str]]:
    """The metadata calibre reads from an EPUB, as `ebook-meta` lists it: {"Title": …}."""

    def read(data: bytes, name: str = "book.epub") -> dict[str, str]:
        path = tmp_path / name
        path.write_bytes(data)
        result = subprocess.run(
            [*ebook_meta_program, str(path)],
            capture_output=True,
            text=True,
            timeout=300,
            # calibre renders a cover from the first page; without a display it needs this.
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        assert result.returncode == 0, result.stdout + result.stderr
        # "Title               : …": a name padded to 20 characters; longer values go on.
        fields: dict[str, str] = {}
        key = ""
        for line in result.stdout.splitlines():
            if line[20:22] == ": " and line[:20].strip():
                key = line[:20].strip()
                fields[key] = line[22:].strip()
            elif key:
                fields[key] = f"{fields[key]}\n{line}".strip()
        return fields

    return read


NASTY_BODY = (
    "<p>Unclosed <b>bold <i>and italic</p>"
    "<p>A&nbsp;non-breaking space, a line<br>break and an &amp; ampersand.</p>"
    '<p align="center">* * *</p>'
    "<center>~ centered ~</center>"
    "<em><p>A paragraph inside emphasis.</p></em>"
    "<span><div>A block inside a span.</div></span>"
    "<li>A list item without a list</li>"
    "<ul>loose text<li>an item</li></ul>"
    '<p><a href="/works/1">a relative link</a> and <a name="anchor">an old anchor</a></p>'
    '<p><img src="https://images.example/picture.png" alt="a picture" width="wide"></p>'
    '<table><tr><td colspan="x">cell</td><th scope="sideways">head</th></tr></table>'
    "<details><summary>Spoiler</summary><p>Hidden text.</p></details>"
    "<big>big</big> <tt>typewriter</tt> <strike>struck</strike> <acronym>ACR</acronym>"
    "<p>Control\x0bcharacters\x07 gone.</p>"
    "<hr>"
    "<p>東京の夜、雨が降っていた。彼女は窓の外を見つめて、何も言わなかった。</p>"
    '<p dir="rtl" lang="ar">مرحبا بالعالم، هذه جملة عربية.</p>'
    "<bdo>no direction</bdo><ruby>漢<rt>kan</rt></ruby><rt>stray</rt>"
)


@pytest.fixture
def rich_work(alice: User, bob: User) -> Work:
    """A two-chapter work by Alice and Bob with every field a download shows, in a series."""
    work = post_work(
        alice,
        "Ünïcode: Stars/Moons? <Night>",
        chapters=[NASTY_BODY, "<p>The second chapter, short.</p>"],
        rating=MATURE,
        warnings=[NO_WARNINGS],
        fandoms=["Original Work", "Lighthouses"],
        categories=["Gen"],
        relationships=["Keeper & Gull"],
        characters=["The Keeper"],
        freeforms=["Slow Burn", "Rain"],
        summary="<p>A keeper, a gull &amp; the <em>rain</em>.</p>",
        begin_notes="<p>Written for a friend.</p>",
        end_notes="<p>Thanks for reading!</p>",
        language="en",
    )
    creatorship = actions.invite_cocreator(alice, work, bob.default_pseud)
    actions.accept_cocreator_invite(bob, creatorship)
    actions.update_work(
        alice,
        work,
        actions.WorkDetails(
            title=work.title,
            rating=MATURE,
            warnings=[NO_WARNINGS],
            fandoms=["Original Work", "Lighthouses"],
            categories=["Gen"],
            relationships=["Keeper & Gull"],
            characters=["The Keeper"],
            freeforms=["Slow Burn", "Rain"],
            summary=work.summary,
            begin_notes=work.begin_notes,
            end_notes=work.end_notes,
            expected_chapters=2,
        ),
        credits=[actions.CreditDetails("beta", "Sam Reader")],
    )
    first = work.chapters.get(position=1)
    actions.update_chapter(
        alice,
        first,
        actions.ChapterDetails(
            body=NASTY_BODY,
            title="The Storm",
            summary="<p>Rain.</p>",
            begin_notes="<p>Chapter notes.</p>",
            end_notes="<p>Chapter end notes.</p>",
        ),
    )
    series = actions.create_series(alice, "The Lamp Cycle")
    actions.add_work_to_series(alice, work, series)
    work.refresh_from_db()
    return work


def xml(data: Any) -> Any:
    from lxml import etree

    return etree.fromstring(data if isinstance(data, bytes) else data.encode("utf-8"))
