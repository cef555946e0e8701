"""The API against the real server (`ficarchive serve`: gunicorn), as tools outside the archive
use it: a Python client generated from the schema by openapi-python-client, schemathesis with
every check and its stateful links, and gunicorn's request-line limit.

One server for the module (its start is most of the time), on the embedded database with the
demo works; the generated client and schemathesis run in processes of their own, with the
virtual environment's executables.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
import urllib.parse
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from ficarchive.api.guard import MAX_QUERY_STRING
from ficarchive.serve import MAX_REQUEST_LINE
from tests.moderation.test_real_server import shell
from tests.serving import Browser, server_errors, serving

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run of the suite"
)

TOOLS = Path(sys.executable).parent
# The generator's settings: the package's name; no formatting afterwards (its default post-hooks
# run ruff, which the generated code does not need); and the EPUB's media type read as bytes (the
# generator knows only application/octet-stream as binary, and would take the download's next
# media type, text/html, as text).
GENERATOR_CONFIG = """\
project_name_override: archive_client
package_name_override: archive_client
post_hooks: []
content_type_overrides:
  application/epub+zip: application/octet-stream
"""
# What schemathesis may see refused although the schema allows it, each for a reason the
# schema cannot state (tests/api/schemathesis.toml says which, for which operations).
SCHEMATHESIS_CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = 6
DC = {"dc": "http://purl.org/dc/elements/1.1/"}


@dataclass
class Live:
    browser: Browser
    key: str
    data: Path

    @property
    def base(self) -> str:
        return self.browser.base


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data = tmp_path_factory.mktemp("live-api")
    unlimited = {
        "FICARCHIVE_API_RATE_LIMIT_USER": "1000000",
        "FICARCHIVE_API_RATE_LIMIT_GUEST": "1000000",
    }
    with serving(data, **unlimited) as browser:
        key = shell(
            data,
            unlimited,
            "user = create_user('reader', 'reader@example.org', 'a long password, 123')\n"
            "print(create_access_token(user, 'Generated client', 'write')[1])",
        )
        yield Live(browser, key, data)
    assert not server_errors(data), server_errors(data)


def _generated_client(live: Live, into: Path) -> Any:
    """The package openapi-python-client makes of the served schema, imported."""
    schema = into / "openapi.json"
    schema.write_text(live.browser.get("/api/v1/openapi.json").text)
    config = into / "config.yaml"
    config.write_text(GENERATOR_CONFIG)
    done = subprocess.run(
        [
            str(TOOLS / "openapi-python-client"),
            "generate",
            "--path", str(schema),
            "--config", str(config),
            "--meta", "none",  # the package alone, no pyproject of its own
            "--output-path", str(into / "archive_client"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "Warning" not in report, report  # nothing of the schema left out
    sys.path.insert(0, str(into))
    return importlib.import_module("archive_client")


@pytest.fixture
def client_package(live: Live, tmp_path: Path) -> Iterator[Any]:
    package = _generated_client(live, tmp_path)
    yield package
    sys.path.remove(str(tmp_path))
    for name in [name for name in sys.modules if name.startswith("archive_client")]:
        del sys.modules[name]


def test_a_generated_client_searches_reads_downloads_and_comments(
    live: Live, client_package: Any
) -> None:
    works = importlib.import_module("archive_client.api.works")
    social = importlib.import_module("archive_client.api.comments_kudos_and_bookmarks")
    models = importlib.import_module("archive_client.models")
    for name in ("search_works", "get_work", "get_chapter", "download_work"):
        importlib.import_module(f"archive_client.api.works.{name}")
    for name in ("post_comment", "work_comments"):
        importlib.import_module(f"archive_client.api.comments_kudos_and_bookmarks.{name}")
    guest = client_package.Client(base_url=live.base, raise_on_unexpected_status=True)

    # Search as a guest, with typed parameters (page is an integer, sort an enum).
    found = works.search_works.sync(
        client=guest, q="lamplighter", sort=models.SearchWorksSort("title"), page=1
    )
    assert isinstance(found, models.SearchOut)
    assert found.page == 1 and found.total >= 1
    listed = found.works[0]
    assert listed.title == "The Lamplighter's Apprentice"  # a demo work

    # The work and its first chapter.
    work = works.get_work.sync(listed.id, client=guest)
    assert isinstance(work, models.WorkDetailOut)
    assert work.title == listed.title and work.chapter_list
    first = work.chapter_list[0]
    chapter = works.get_chapter.sync(listed.id, first.id, client=guest)
    assert isinstance(chapter, models.ChapterOut)
    assert chapter.work_id == listed.id and chapter.number == 1 and "<p>" in chapter.body

    # The EPUB, as bytes: a zip whose package names the work.
    fmt = models.DownloadWorkFmt("epub")
    answer = works.download_work.sync_detailed(listed.id, fmt, client=guest)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/epub+zip"
    assert isinstance(answer.parsed, client_package.types.File)
    epub = answer.parsed.payload.read()
    assert isinstance(epub, bytes) and epub.startswith(b"PK")
    book = zipfile.ZipFile(io.BytesIO(epub))
    assert book.read("mimetype") == b"application/epub+zip"
    package = next(name for name in book.namelist() if name.endswith(".opf"))
    opf = ElementTree.fromstring(book.read(package))
    assert opf.findtext(".//dc:title", namespaces=DC) == work.title
    assert f"/works/{listed.id}" in (opf.findtext(".//dc:identifier", namespaces=DC) or "")

    # A comment, with the token.
    reader = client_package.AuthenticatedClient(
        base_url=live.base, token=live.key, raise_on_unexpected_status=True
    )
    body = models.CommentIn(text="Read it all in one night.")
    posted = social.post_comment.sync(listed.id, client=reader, body=body)
    assert isinstance(posted, models.CommentOut)
    assert posted.author == "reader" and posted.body == "<p>Read it all in one night.</p>"
    thread = social.work_comments.sync(listed.id, client=reader)
    assert posted.id in [comment.id for comment in thread.items]
    # A guest client cannot post: the API's 401, in its error shape.
    refused = social.post_comment.sync_detailed(
        listed.id, client=client_package.Client(base_url=live.base), body=body
    )
    assert refused.status_code == 401
    assert refused.parsed.error.code == models.ErrorBodyCode("unauthorized")


def test_a_generated_client_makes_orders_renames_and_deletes_a_shelf(
    live: Live, client_package: Any
) -> None:
    shelves = importlib.import_module("archive_client.api.shelves")
    for name in ("create_shelf", "arrange_shelf", "my_shelf", "edit_shelf", "delete_shelf"):
        importlib.import_module(f"archive_client.api.shelves.{name}")
    models = importlib.import_module("archive_client.models")
    works = importlib.import_module("archive_client.api.works.search_works")
    reader = client_package.AuthenticatedClient(
        base_url=live.base, token=live.key, raise_on_unexpected_status=True
    )
    demo = works.sync(client=reader, per_page=3).works
    made = shelves.create_shelf.sync(client=reader, body=models.ShelfIn(name="Generated"))
    assert isinstance(made, models.ShelfOut) and made.work_count == 0
    order = [demo[2].id, demo[0].id, demo[1].id]
    arranged = shelves.arrange_shelf.sync(
        made.id, client=reader, body=models.ShelfArrangeIn(work_ids=order)
    )
    assert [work.work_id for work in arranged.works] == order
    assert [work.title for work in arranged.works] == [demo[2].title, demo[0].title, demo[1].title]
    renamed = shelves.edit_shelf.sync(
        made.id, client=reader, body=models.ShelfChangeIn(name="Generated, renamed")
    )
    assert renamed.name == "Generated, renamed"
    assert made.downloads.epub == f"{live.base}/downloads/shelves/{made.id}.epub"
    twin = shelves.create_shelf.sync_detailed(
        client=reader, body=models.ShelfIn(name="generated, RENAMED")
    )
    assert twin.status_code == 422 and twin.parsed.error.field == "name"
    assert shelves.delete_shelf.sync_detailed(made.id, client=reader).status_code == 204
    gone = shelves.my_shelf.sync_detailed(
        made.id, client=client_package.AuthenticatedClient(base_url=live.base, token=live.key)
    )
    assert gone.status_code == 404


def test_a_long_query_string_gets_the_api_error_not_the_servers_page(live: Live) -> None:
    # Under gunicorn's default (4094 bytes a request line) this was gunicorn's own HTML 414.
    tags = [("include", "x" * 1000)] * 4 + [("include", "y" * 50)]
    longest = "/api/v1/works?" + urllib.parse.urlencode(tags)
    assert len(longest) - len("/api/v1/works?") <= MAX_QUERY_STRING < len(longest)
    answer = live.browser.get(longest)
    assert answer.status == 200
    assert len(json.loads(answer.text)["unknown_tags"]) == 2
    too_long = "/api/v1/works?" + urllib.parse.urlencode({"q": "x" * MAX_QUERY_STRING})
    answer = live.browser.get(too_long)
    assert answer.status == 414
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    error = json.loads(answer.text)["error"]
    assert error["code"] == "uri_too_long" and str(MAX_QUERY_STRING) in error["message"]
    assert len(too_long) < MAX_REQUEST_LINE - len("GET  HTTP/1.1")
    # Past gunicorn's own limit, its worker answers in the same shape (it was an HTML page).
    past_gunicorn = "/api/v1/works?" + urllib.parse.urlencode({"q": "x" * MAX_REQUEST_LINE})
    answer = live.browser.get(past_gunicorn)
    assert answer.status == 414
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    error = json.loads(answer.text)["error"]
    assert error["code"] == "uri_too_long" and str(MAX_REQUEST_LINE) in error["message"]


def test_schemathesis_finds_nothing_with_every_check_and_the_links(live: Live) -> None:
    done = subprocess.run(
        [
            str(TOOLS / "schemathesis"),
            "--config-file", str(SCHEMATHESIS_CONFIG),
            "run", f"{live.base}/api/v1/openapi.json",
            "--checks", "all",
            "--max-examples", str(MAX_EXAMPLES),
            "--seed", "18",
            "--no-shrink",
            "--header", f"Authorization: Bearer {live.key}",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--output-truncate", "true",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-20_000:]
    assert "Stateful" in report
