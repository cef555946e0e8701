"""Hostile input posted through the real actions never reaches a reader as live markup."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ficarchive.works import actions
from tests.conftest import post_work

HOSTILE = (
    '<p>Hello<script>alert("body")</script></p>'
    '<img src="x.png" onerror="alert(1)">'
    '<a href="javascript:alert(2)">click</a>'
    '<p onclick="alert(3)" style="background:url(javascript:alert(4))">styled</p>'
    '<iframe src="https://evil.example"></iframe>'
)


@pytest.fixture
def hostile_work(alice):
    work = post_work(
        alice,
        "<b>Bold</b> & <script>alert('title')</script>",
        chapters=[HOSTILE, HOSTILE],
        summary=HOSTILE,
        begin_notes=HOSTILE,
        end_notes=HOSTILE,
        fandoms=["<script>alert('tag')</script>"],
        freeforms=['"><b>Loud Tag</b>'],
    )
    actions.add_chapter(
        alice,
        work,
        actions.ChapterDetails(
            body=HOSTILE,
            title="<script>alert('chapter')</script>",
            summary=HOSTILE,
            begin_notes=HOSTILE,
            end_notes=HOSTILE,
        ),
    )
    return work


def assert_harmless(page: str) -> None:
    # The archive's own scripts (htmx, the tag suggestions, the editor) come from its static
    # files; the editor's carries its words and its libraries' addresses as data attributes.
    own_script = (
        r'<script src="/static/ficarchive/[^"<>]+" defer(\s+(id|data-[a-z-]+)="[^"<>]*")*></script>'
    )
    lowered = re.sub(own_script, "", page.lower())
    assert "<script" not in lowered
    assert "onerror" not in lowered
    assert "onclick" not in lowered
    assert "javascript:" not in lowered
    assert "<iframe" not in lowered


def test_hostile_markup_is_removed_from_the_whole_work(client: Client, hostile_work):
    page = client.get(f"/works/{hostile_work.pk}?view_full_work=true").content.decode()
    assert_harmless(page)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;" in page
    assert "<b>Bold</b>" not in page
    assert "Hello" in page
    assert '<img src="x.png">' in page
    assert "&lt;script&gt;alert(&#x27;chapter&#x27;)" in page
    assert "&quot;&gt;&lt;b&gt;Loud Tag&lt;/b&gt;" in page


@pytest.mark.parametrize("path", ["", "/navigate"])
def test_hostile_markup_is_removed_from_work_pages(path, client: Client, hostile_work):
    response = client.get(f"/works/{hostile_work.pk}{path}")
    assert response.status_code == 200
    assert_harmless(response.content.decode())


def test_hostile_markup_is_removed_from_listings(client: Client, hostile_work):
    for url in ("/", "/works", "/tags/<script>alert('tag')<*s*script>/works"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_harmless(response.content.decode())
    assert "&lt;b&gt;Bold&lt;/b&gt;" in client.get("/works").content.decode()
