"""FanFicFare, as readers use it, downloads from the real server (`ficarchive serve`) with the
adapter shipped in contrib/fanficfare: a multi-chapter work, a work with notes behind the adult
notice, a series part, a work for registered users only (FanFicFare logs in), and a series page.
Title, author, tags, rating, summary, notes, chapters and words are ours.

FanFicFare is in the `dev` extra; without it this test skips and says so, and fails in CI
(FICARCHIVE_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.moderation.test_every_process import database  # noqa: F401 (a fixture)
from tests.moderation.test_real_server import shell
from tests.serving import server_errors, serving
from tests.tools import tool_missing

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
)

ADAPTER = Path(__file__).parents[2] / "contrib/fanficfare/ficarchive_adapter.py"
PASSWORD = "a long pass phrase 77"

# The works, posted through the actions; prints what our pages say of each, as JSON.
POST = """
import json
from ficarchive.works import actions
from ficarchive.works.actions import ChapterDetails, WorkDetails

alice = create_user('ffalice', 'ffalice@example.org', PASSWORD)
pseud = alice.default_pseud

def post(details, chapters):
    work = actions.post_work(alice, [pseud], details, chapters[0])
    for chapter in chapters[1:]:
        actions.add_chapter(alice, work, chapter)
    work.refresh_from_db()
    return work

def ours(work):
    tags = lambda kind: sorted(t.name for t in work.tags.filter(type=kind))
    chapters = list(work.chapters.filter(is_draft=False).order_by('position'))
    return {
        'id': work.pk, 'title': work.title, 'author': pseud.name,
        'rating': work.rating.name, 'warnings': tags('warning'), 'fandoms': tags('fandom'),
        'categories': tags('category'), 'ships': tags('relationship'),
        'characters': tags('character'), 'freeforms': tags('freeform'),
        'words': work.word_count, 'chapters': work.chapters_display,
        'chapter_titles': [c.title for c in chapters], 'language': work.language_name,
    }

tide = post(
    WorkDetails(
        title='The Tide Clock', rating='Teen And Up Audiences',
        warnings=['No Archive Warnings Apply'], fandoms=['Original Work'], categories=['F/F'],
        relationships=['Keeper/Cartographer'], characters=['The Keeper', 'The Cartographer'],
        freeforms=['Slow Burn', 'Lighthouses'],
        summary='<p>Two women and a clock that runs on tides.</p>',
        expected_chapters=None,
    ),
    [ChapterDetails(title=title, body=f'<p>{text}</p>') for title, text in [
        ('Ebb', 'The water went out and the clock slowed with it.'),
        ('Flow', 'Back it came, and the hands ran on toward noon.'),
        ('Slack Water', 'For one minute nothing moved at all.'),
    ]],
)
lamp = post(
    WorkDetails(
        title='Lamp Oil', rating='Explicit', warnings=['No Archive Warnings Apply'],
        fandoms=['Original Work'], summary='<p>What the keeper burns.</p>',
        begin_notes='<p>Written for the winter exchange.</p>',
        end_notes='<p>Thank you for reading to the end.</p>',
    ),
    [ChapterDetails(
        body='<p>The oil came in barrels every spring.</p>',
        begin_notes='<p>A chapter note before.</p>', end_notes='<p>A chapter note after.</p>',
    )],
)
first = post(
    WorkDetails(title='Salt Roads', rating='General Audiences', fandoms=['Original Work'],
                warnings=['No Archive Warnings Apply']),
    [ChapterDetails(body='<p>The first road ran along the shore.</p>')],
)
second = post(
    WorkDetails(title='Salt Roads, Again', rating='General Audiences', fandoms=['Original Work'],
                warnings=['No Archive Warnings Apply'], expected_chapters=2),
    [ChapterDetails(title='Inland', body='<p>The second road left the sea behind.</p>'),
     ChapterDetails(title='Home', body='<p>And came back to it at last.</p>')],
)
series = actions.create_series(alice, 'The Salt Roads', summary='<p>Roads by the sea.</p>')
actions.add_work_to_series(alice, first, series)
actions.add_work_to_series(alice, second, series)
members = post(
    WorkDetails(title='For Members', rating='General Audiences', fandoms=['Original Work'],
                warnings=['No Archive Warnings Apply'], restricted=True),
    [ChapterDetails(body='<p>Only the registered read this.</p>')],
)
print(json.dumps({
    'tide': ours(tide), 'lamp': ours(lamp), 'second': ours(second), 'members': ours(members),
    'series': {'id': series.pk, 'title': series.title, 'parts': [first.pk, second.pk]},
}))
"""


def fanficfare(home: Path, site: str, *args: str, check: bool = True) -> str:
    """FanFicFare's command line with our adapter, in HOME (no personal.ini of the machine's)."""
    environment = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    done = subprocess.run(
        [sys.executable, str(ADAPTER), "--site", site, "--", "--non-interactive", *args],
        cwd=home,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def download(home: Path, site: str, work_id: int, *options: str) -> tuple[dict[str, Any], str]:
    """Download a work to EPUB; FanFicFare's metadata (JSON) and the book's text."""
    book = home / f"work-{work_id}.epub"
    output = fanficfare(
        home,
        site,
        "--json-meta",
        "-o",
        f"output_filename={book.name}",
        *options,
        f"{site}/works/{work_id}",
    )
    meta = json.loads(output[output.index("{") : output.rindex("}") + 1])
    with zipfile.ZipFile(book) as epub:
        text = "\n".join(
            epub.read(name).decode() for name in sorted(epub.namelist()) if name.endswith("html")
        )
    return meta, text


def listed(value: str) -> list[str]:
    return sorted(part.strip() for part in value.split(",") if part.strip())


def assert_same_work(meta: dict[str, Any], ours: dict[str, Any]) -> None:
    assert meta["title"] == ours["title"]
    assert meta["author"] == ours["author"]
    assert meta["rating"] == ours["rating"]
    assert meta["language"] == ours["language"]
    assert listed(meta.get("warnings", "")) == ours["warnings"]
    assert listed(meta.get("fandoms", "")) == ours["fandoms"]
    assert listed(meta.get("ao3categories", "")) == ours["categories"]
    assert listed(meta.get("ships", "")) == ours["ships"]
    assert listed(meta.get("characters", "")) == ours["characters"]
    assert listed(meta.get("freeformtags", "")) == ours["freeforms"]
    assert int(meta["numWords"].replace(",", "")) == ours["words"]
    assert meta["chapterslashtotal"] == ours["chapters"]
    assert int(meta["numChapters"]) == len(ours["chapter_titles"])


def test_fanficfare_downloads_our_works_with_the_contrib_adapter(
    database: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    if importlib.util.find_spec("fanficfare") is None:
        tool_missing(
            "FanFicFare is not installed: pip install -e '.[dev]' (or pip install fanficfare)"
        )
    data, home = tmp_path / "data", tmp_path / "home"
    data.mkdir()
    home.mkdir()
    with serving(data, **database) as browser:
        assert browser.get("/").status == 200
        ours = json.loads(shell(data, database, f"PASSWORD = {PASSWORD!r}\n" + POST))
        site = browser.base

        # A multi-chapter work: every field, and its three chapters in order.
        tide = ours["tide"]
        meta, text = download(home, site, tide["id"])
        assert_same_work(meta, tide)
        assert "Two women and a clock that runs on tides." in meta["description"]
        assert meta["status"] == "In-Progress"
        titles = [f"Chapter {n}: {title}" for n, title in enumerate(tide["chapter_titles"], 1)]
        assert [chapter["title"] for _, chapter in meta["zchapters"]] == titles
        for line in ("went out and the clock", "the hands ran on", "nothing moved at all"):
            assert line in text
        assert "Chapter text" not in text

        # Behind the adult notice: refused until the reader says they are an adult.
        lamp = ours["lamp"]
        refused = fanficfare(home, site, "-m", f"{site}/works/{lamp['id']}", check=False)
        assert "Adult" in refused and "is_adult" in refused, refused
        meta, text = download(home, site, lamp["id"], "-o", "is_adult=true")
        assert_same_work(meta, lamp)
        assert meta["status"] == "Completed"
        assert "What the keeper burns." in meta["description"]
        for note in (
            "Written for the winter exchange.",
            "A chapter note before.",
            "The oil came in barrels every spring.",
            "A chapter note after.",
            "Thank you for reading to the end.",
        ):
            assert note in text
        order = [text.index(note) for note in ("winter exchange", "barrels", "to the end")]
        assert order == sorted(order)

        # A series part: the series and its place in it.
        second, series = ours["second"], ours["series"]
        meta, _ = download(home, site, second["id"])
        assert_same_work(meta, second)
        assert meta["series"] == f"{series['title']} [2]"
        assert meta["seriesUrl"].endswith(f"/series/{series['id']}")

        # For registered users only: a guest is sent to log in, FanFicFare logs in.
        members = ours["members"]
        refused = fanficfare(home, site, "-m", f"{site}/works/{members['id']}", check=False)
        assert "FailedToLogin" in refused or "Login" in refused, refused
        meta, text = download(
            home, site, members["id"], "-o", "username=ffalice", "-o", f"password={PASSWORD}"
        )
        assert_same_work(meta, members)
        assert "Only the registered read this." in text

        # The series page: its works in order, its name and description.
        listing = fanficfare(home, site, "--json-meta", "-l", f"{site}/series/{series['id']}")
        shown = re.findall(r"/works/(\d+)", listing)
        assert [int(found) for found in shown] == series["parts"]
        assert series["title"] in listing and "Roads by the sea." in listing
        assert server_errors(data) == ""
