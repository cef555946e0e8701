"""A download's file name is safe whatever the title: ASCII for old clients, UTF-8 for the rest."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from urllib.parse import unquote

import pytest
from django.test import Client

from ficarchive.works import actions
from tests.conftest import post_work
from tests.serving import serving
from tests.tools import tool_missing

# "<script>full/width"" in fullwidth forms, which plain ASCII spells with < > / and ".
FULLWIDTH = "\uff1cscript\uff1e\uff46\uff55\uff4c\uff4c\uff0f\uff57\uff49\uff44\uff54\uff48\uff02"
_HEADER = re.compile(
    r"""^attachment; filename="(?P<plain>[^"]*)"(?:; filename\*=UTF-8''(?P<utf8>[^\s;"]+))?$"""
)
_SAFE_ASCII = re.compile(r"^[A-Za-z0-9_(][A-Za-z0-9 _.,()'!&+\-]*\.(epub|html|txt)$")
_NEVER_IN_A_NAME = re.compile(
    r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]'
)


def names(client: Client, work_id: int, fmt: str = "epub") -> tuple[str, str]:
    """The ASCII and the UTF-8 file names of a download, as a browser reads them."""
    header = client.get(f"/downloads/works/{work_id}.{fmt}")["Content-Disposition"]
    match = _HEADER.match(header)
    assert match, header
    return match["plain"], unquote(match["utf8"]) if match["utf8"] else match["plain"]


@pytest.mark.parametrize(
    ("title", "plain", "utf8"),
    [
        (
            "<script>alert(1)</script>",
            "script alert(1) script - alice",
            "script alert(1) script - alice",
        ),
        (
            FULLWIDTH,
            "script full width - alice",
            FULLWIDTH + " - alice",
        ),
        ('He said "no"; x=1', "He said no x 1 - alice", "He said no ; x=1 - alice"),
        ("Line one\nLine two\r\n", "Line one Line two - alice", "Line one Line two - alice"),
        ("夜の海", "work-{id} - alice", "夜の海 - alice"),
        ("שלום\u200f עולם", "work-{id} - alice", "שלום עולם - alice"),
        ("Tale\u202etxt.exe", "Taletxt.exe - alice", "Taletxt.exe - alice"),
        ("..", "work-{id} - alice", "work-{id} - alice"),
        ("../../etc/passwd", "etc passwd - alice", "etc passwd - alice"),
        ("100% a%2Fb", "100 a 2Fb - alice", "100% a%2Fb - alice"),
        ("Crème brûlée", "Creme brulee - alice", "Crème brûlée - alice"),
    ],
)
def test_hostile_titles_give_safe_file_names(client: Client, alice, title, plain, utf8):
    work = post_work(alice, title)
    ascii_name, utf8_name = names(client, work.pk)
    assert ascii_name == plain.format(id=work.pk) + ".epub"
    assert _SAFE_ASCII.match(ascii_name)
    assert utf8_name == utf8.format(id=work.pk) + ".epub"
    assert not _NEVER_IN_A_NAME.search(utf8_name)


def test_a_series_without_latin_letters_is_named_by_its_id(client: Client, alice):
    series = actions.create_series(alice, "夜の灯台")
    actions.add_work_to_series(alice, post_work(alice, "One"), series)
    header = client.get(f"/downloads/series/{series.pk}.txt")["Content-Disposition"]
    match = _HEADER.match(header)
    assert match, header
    assert match["plain"] == f"series-{series.pk} - alice.txt"
    assert unquote(match["utf8"]) == "夜の灯台 - alice.txt"


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite only: one server run")
def test_curl_saves_downloads_under_their_names(tmp_path):
    """`curl -OJ` reads only the ASCII `filename`: an accented title keeps its letters without
    accents, a title with no Latin letters is saved as `work-ID - creator`, never as the creator
    alone."""
    curl = shutil.which("curl")
    if curl is None:
        tool_missing("The download name test needs curl: `apt-get install curl`.")
    data = tmp_path / "data"
    data.mkdir()
    environment = {**os.environ, "FICARCHIVE_DATA": str(data), "FICARCHIVE_DEMO": "0"}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        environment.pop(name, None)
    files = []
    for number, title in enumerate(["Crème brûlée", "夜の海"], start=1):
        story = tmp_path / f"story{number}.txt"
        story.write_text(
            f"Title: {title}\nRating: General Audiences\n"
            "Archive Warning: No Archive Warnings Apply\nFandom: Original Work\n\n"
            "The rain came down on the lighthouse all night.\n"
        )
        files.append(str(story))
    for command in (["setup"], ["import", *files, "--as", "admin"]):
        done = subprocess.run(
            [sys.executable, "-m", "ficarchive.cli", *command],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    saved = tmp_path / "saved"
    saved.mkdir()
    with serving(data, FICARCHIVE_DEMO="0") as browser:
        for work_id in (1, 2):
            fetched = subprocess.run(
                [curl, "-sS", "-f", "-OJ", f"{browser.base}/downloads/works/{work_id}.epub"],
                cwd=saved,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert fetched.returncode == 0, fetched.stderr
    assert sorted(path.name for path in saved.iterdir()) == [
        "Creme brulee - admin.epub",
        "work-2 - admin.epub",
    ]
