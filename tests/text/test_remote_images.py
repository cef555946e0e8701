"""Remote images in user HTML: no reader's browser asks another host unless the reader clicks."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.test import Client, override_settings

from ficarchive.social import actions as social
from ficarchive.text import BodyFormat
from ficarchive.text.images import guard_images
from tests.conftest import post_work

REMOTE = '<img src="https://images.example/lamp.png" alt="A &quot;lamp&quot;" width="40">'
PROTOCOL_RELATIVE = '<img src="//tracker.example/pixel.gif">'
LOCAL = '<img src="/static/logo.png" alt="logo">'
BODY = f"<p>Look: {REMOTE} and {PROTOCOL_RELATIVE} and {LOCAL}</p>"


def remote_images(page: str) -> list[str]:
    """The addresses of images a browser would fetch from another host."""
    sources = re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", page)
    return [src for src in sources if re.match(r"^(https?:)?//(?!testserver)", src)]


@pytest.fixture
def work(alice):
    return post_work(alice, "Lamps", chapters=[BODY], summary=f"<p>Summary {REMOTE}</p>")


def test_remote_images_are_links_to_click_by_default(client: Client, work):
    page = client.get(f"/works/{work.pk}").content.decode()
    assert remote_images(page) == []
    assert (
        '<a class="remote-image" href="https://images.example/lamp.png" '
        'rel="nofollow noopener noreferrer">Show image: A &quot;lamp&quot; '
        "(from images.example)</a>"
    ) in page
    assert 'href="https://tracker.example/pixel.gif"' in page
    assert "Show image (from tracker.example)" in page
    assert '<img src="/static/logo.png" alt="logo">' in page  # the archive's own stays
    assert "onclick" not in page


def test_summaries_in_listings_hold_no_remote_image(client: Client, alice, work):
    page = client.get(f"/users/{alice.username}/works").content.decode()
    assert "Summary" in page
    assert remote_images(page) == []
    assert "Show image: A &quot;lamp&quot; (from images.example)" in page


def test_comments_hold_no_remote_image(client: Client, carol, work):
    social.post_comment(carol, work, f"<p>Mine: {REMOTE}</p>", BodyFormat.HTML)
    page = client.get(f"/works/{work.pk}?show_comments=true").content.decode()
    assert "Mine:" in page
    assert remote_images(page) == []


# Addresses a browser reads as another host's, however they are written.
DISGUISED = [
    "/\\evil.example/a.gif",
    "\\\\evil.example\\b.gif",
    "https:evil.example/c.gif",
    "/&#9;/evil.example/d.gif",
    " //evil.example/e.gif",
    "HTTPS://EVIL.example/f.gif",
    "http:///evil.example/g.gif",
    "//[zz]/h.gif",
]


def test_disguised_remote_addresses_are_links_too(client: Client, alice):
    body = "".join(f'<p><img src="{src}" alt="n{n}"></p>' for n, src in enumerate(DISGUISED))
    work = post_work(alice, "Disguises", chapters=[body])
    page = client.get(f"/works/{work.pk}").content.decode()
    assert re.findall(r"<img\b[^>]*alt=\"n\d", page) == []
    for number in range(len(DISGUISED)):
        assert f"Show image: n{number} (from " in page
    assert page.count("(from evil.example)") == len(DISGUISED) - 1


@override_settings(REMOTE_IMAGES="show")
def test_show_leaves_remote_images_as_written(client: Client, work):
    page = client.get(f"/works/{work.pk}").content.decode()
    assert remote_images(page) == [
        "https://images.example/lamp.png",
        "https://images.example/lamp.png",
        "//tracker.example/pixel.gif",
    ]


def test_pages_with_remote_images_shown_allow_them_in_the_content_security_policy():
    def img_src(mode: str) -> str:
        code = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ficarchive.settings'; "
            "from django.conf import settings; "
            "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
        )
        env = {**os.environ, "FICARCHIVE_REMOTE_IMAGES": mode}
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        return done.stdout.strip() + done.stderr

    assert img_src("click") == "[\"'self'\", 'data:']"
    assert img_src("Show") == "[\"'self'\", 'data:', 'https:', 'http:']"
    refused = img_src("sometimes")
    assert "FICARCHIVE_REMOTE_IMAGES must be one of click, proxy, show, not 'sometimes'" in refused


def test_only_img_tags_change():
    text = '<p title="&lt;img src=&quot;https://x.example/a.png&quot;&gt;">&lt;img src="x"&gt;</p>'
    assert guard_images(text, "click") == text
