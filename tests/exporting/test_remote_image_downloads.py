"""Downloads follow FICARCHIVE_REMOTE_IMAGES as pages do; an EPUB never loads a remote image."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client, override_settings

from tests.conftest import post_work
from tests.text.test_remote_images import BODY, REMOTE, remote_images


@pytest.fixture
def work(alice):
    return post_work(alice, "Lamps", chapters=[BODY], summary=f"<p>Summary {REMOTE}</p>")


def test_the_html_download_fetches_no_remote_image_by_default(client: Client, work):
    data = client.get(f"/downloads/works/{work.pk}.html").content.decode()
    assert remote_images(data) == []
    assert 'Show image: A "lamp" (from images.example)' in data


def test_the_html_download_follows_the_setting(client: Client, work):
    with override_settings(REMOTE_IMAGES="show"):
        shown = client.get(f"/downloads/works/{work.pk}.html").content.decode()
    assert "https://images.example/lamp.png" in remote_images(shown)
    with override_settings(REMOTE_IMAGES="proxy"):
        proxied = client.get(f"/downloads/works/{work.pk}.html").content.decode()
    assert remote_images(proxied) == []
    assert re.search(r'<img src="http://testserver/images/remote\?url=[^"]+" alt=', proxied)


@pytest.mark.parametrize("mode", ["show", "click", "proxy"])
def test_an_epub_never_loads_a_remote_image(client: Client, work, mode, epubcheck):
    with override_settings(REMOTE_IMAGES=mode):
        data = client.get(f"/downloads/works/{work.pk}.epub").content
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        text = "".join(book.read(name).decode() for name in book.namelist() if ".xhtml" in name)
    assert "Look:" in text
    assert not re.search(r"<img\b[^>]*src=\"(https?:)?//", text)
    epubcheck(data)
