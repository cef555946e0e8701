"""The rich text editor's files and pages: the vendored library ships with its licence and is
served by the static files; pages with an editor load only the archive's own files; and what
the editor's field receives is sanitized on the server exactly as before (nothing in the
browser is trusted). The editor itself is tested in tests/browser/test_rich_text_editor.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client, override_settings

from ficarchive.social.models import Comment
from ficarchive.works.models import Chapter, Work
from tests.conftest import logged_in, post_work
from tests.works.test_posting import NEW, form_data

VENDOR = "ficarchive/vendor"
# file, its licence, and a phrase of that licence
VENDORED = [
    (f"{VENDOR}/squire.js", f"{VENDOR}/squire.LICENSE.txt", "The MIT License"),
    (f"{VENDOR}/purify.min.js", f"{VENDOR}/purify.LICENSE.txt", "Apache License"),
    (f"{VENDOR}/purify.min.js", f"{VENDOR}/purify.LICENSE-MPL.txt", "Mozilla Public License"),
]
HOSTILE = (
    '<p>Keep <em>this</em>.</p><script>alert("body")</script>'
    '<img src="/x.png" onerror="alert(1)">'
    '<p><a href="javascript:alert(2)">click</a> <a href=" JaVaScRiPt:alert(3)">me</a></p>'
    '<p onclick="alert(4)" style="position: fixed">Fixed</p>'
)


def test_the_vendored_editor_ships_with_its_licences_and_versions():
    for name, licence, phrase in VENDORED:
        assert finders.find(name), name
        found = finders.find(licence)
        assert found and phrase in Path(found).read_text(), licence
    readme = Path(finders.find(f"{VENDOR}/README.md")).read_text()
    assert "| `squire-rte` | 2.4.8 |" in readme and "| `dompurify` | 3.5.0 |" in readme
    assert "DOMPurify 3.5.0" in Path(finders.find(f"{VENDOR}/purify.min.js")).read_text()[:200]
    for name in ("squire.js", "purify.min.js"):  # no map is shipped, so none is named
        assert "sourceMappingURL" not in Path(finders.find(f"{VENDOR}/{name}")).read_text()


@pytest.mark.parametrize(
    "name",
    [
        f"{VENDOR}/squire.js",
        f"{VENDOR}/purify.min.js",
        f"{VENDOR}/squire.LICENSE.txt",
        "ficarchive/rich-text.js",
        "ficarchive/rich-text.css",
    ],
)
def test_the_static_files_serve_the_editor(db: Any, name: str):
    # As `ficarchive serve` does, through WhiteNoise (here from the source folder, uncollected).
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = Client().get(static(name))
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


class _Loads(HTMLParser):
    """What a page loads: script and stylesheet addresses, inline scripts, the editor's words."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self.inline_scripts = 0
        self.editor: dict[str, str | None] = {}
        self.fields: dict[str, str | None] = {}
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script":
            if named.get("src"):
                self.addresses.append(named["src"] or "")
            else:
                self._in_script = True
            if named.get("id") == "rich-text":
                self.editor = named
        if tag == "link" and named.get("rel") == "stylesheet":
            self.addresses.append(named.get("href") or "")
        if tag == "textarea" and named.get("data-rich-text"):
            self.fields[named.get("name") or ""] = named["data-rich-text"]

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def loads(response: Any) -> _Loads:
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    parsed = _Loads()
    parsed.feed(response.content.decode())
    return parsed


def test_pages_with_the_editor_load_only_the_archives_own_files(alice_client: Client, alice, carol):
    work = post_work(alice, "Salt and Lanterns", chapters=["<p>One.</p>"])
    chapter = work.chapters.get()
    comment_page = logged_in(carol).get(f"/works/{work.pk}")
    pages = {
        "new work": (alice_client.get(NEW), {"body": "full"}),
        "new chapter": (alice_client.get(f"/works/{work.pk}/chapters/new"), {"body": "full"}),
        "edit chapter": (
            alice_client.get(f"/works/{work.pk}/chapters/{chapter.pk}/edit"),
            {"body": "full"},
        ),
        "work page": (comment_page, {"text": "comment"}),
    }
    for label, (response, fields) in pages.items():
        page = loads(response)
        assert page.fields == fields, label
        assert page.inline_scripts == 0, label
        assert page.addresses and all(a.startswith("/static/ficarchive/") for a in page.addresses)
        assert static("ficarchive/rich-text.js") in page.addresses, label
        assert page.editor["data-squire"] == static(f"{VENDOR}/squire.js"), label
        assert page.editor["data-purify"] == static(f"{VENDOR}/purify.min.js"), label
        assert page.editor["data-bold"] == "Bold", label


def test_pages_without_an_editor_do_not_load_it(client: Client, alice):
    page = loads(client.get("/"))
    assert static("ficarchive/rich-text.js") not in page.addresses and not page.editor


def test_a_forged_work_post_through_the_editors_field_is_sanitized_as_before(alice_client, alice):
    response = alice_client.post(NEW, form_data(alice.default_pseud, body=HOSTILE))
    assert response.status_code == 302
    body = Chapter.objects.get(work=Work.objects.get()).body
    assert "<em>this</em>" in body and "Fixed" in body
    for unsafe in ("<script", "alert", "onerror", "onclick", "javascript:", "position"):
        assert unsafe not in body.lower(), unsafe
    page = alice_client.get(response["Location"]).content.decode()
    assert not re.search(r"javascript:|onerror=|onclick=|alert\(", page, re.IGNORECASE)


def test_a_forged_chapter_edit_through_the_editors_field_is_sanitized(alice_client, alice):
    work = post_work(alice, "Salt and Lanterns", chapters=["<p>One.</p>"])
    chapter = work.chapters.get()
    data = {"title": "", "summary": "", "begin_notes": "", "end_notes": "",
            "body_format": "html", "body": HOSTILE}  # fmt: skip
    response = alice_client.post(f"/works/{work.pk}/chapters/{chapter.pk}/edit", data)
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert "<em>this</em>" in chapter.body
    assert not re.search(r"<script|alert|onerror|onclick|javascript:", chapter.body, re.I)


def test_a_forged_comment_through_the_editors_field_is_sanitized(carol, alice):
    work = post_work(alice, "Salt and Lanterns", chapters=["<p>One.</p>"])
    client = logged_in(carol)
    client.post(f"/works/{work.pk}/comments", {"text": HOSTILE, "body_format": "html"})
    body = Comment.objects.get().body
    assert "<em>this</em>" in body
    assert not re.search(r"<script|alert|onerror|onclick|javascript:", body, re.I)
