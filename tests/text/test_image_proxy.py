"""The image proxy fetches public images once, and nothing else: no private address, no other
type, nothing too large or too slow, no open proxy for anyone's URL."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client, override_settings

from ficarchive.text import remote_fetch
from ficarchive.text.images import proxied_url
from ficarchive.text.remote_fetch import FetchRefused, is_public, public_address
from tests.conftest import post_work

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
GIF = b"GIF89a" + b"\x01" * 50


class Images(BaseHTTPRequestHandler):
    """A small image host: each path answers one way."""

    requests: list[str] = []

    def do_GET(self) -> None:
        Images.requests.append(self.path)
        port = self.server.server_address[1]
        answers = {
            "/lamp.png": (200, "image/png", PNG, {}),
            "/lamp.gif": (200, "image/gif; charset=binary", GIF, {}),
            "/page.html": (200, "text/html", b"<script>alert(1)</script>", {}),
            "/logo.svg": (200, "image/svg+xml", b"<svg onload='alert(1)'/>", {}),
            "/liar.png": (200, "image/png", b"<html><script>alert(1)</script>", {}),
            "/big.png": (200, "image/png", PNG + b"\x00" * 3000, {}),
            "/missing.png": (404, "text/plain", b"no", {}),
            "/hop": (302, "text/plain", b"", {"Location": "/lamp.png"}),
            "/inside": (
                302,
                "text/plain",
                b"",
                {"Location": f"http://127.0.0.2:{port}/lamp.png"},
            ),
            "/loop": (302, "text/plain", b"", {"Location": "/loop"}),
        }
        if self.path == "/slow.png":
            time.sleep(2)
        status, media_type, body, headers = answers.get(self.path, answers["/lamp.png"])
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def host() -> Iterator[str]:
    """An image host on 127.0.0.1 (the proxy's rule is changed to let that one address in)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Images)
    Images.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def test_host_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test host's address counts as public; every other address keeps the real rule."""
    monkeypatch.setattr(
        remote_fetch, "is_public", lambda address: address == "127.0.0.1" or is_public(address)
    )


def proxied(client: Client, url: str):
    return client.get(proxied_url(url))


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "::1", "fc00::1", "fe80::1", "::ffff:127.0.0.1", "::",
    ],
)  # fmt: skip
def test_private_and_special_addresses_are_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_internet_addresses_are_public(address):
    assert is_public(address)


def test_names_that_point_inside_are_refused():
    with pytest.raises(FetchRefused, match="not a public address"):
        public_address("localhost", 80)


@override_settings(REMOTE_IMAGES="proxy")
def test_pages_point_remote_images_at_the_proxy(client: Client, alice):
    body = '<p><img src="https://images.example/lamp.png?size=2&amp;x=1" alt="A lamp"></p>'
    work = post_work(alice, "Lamps", chapters=[body])
    page = client.get(f"/works/{work.pk}").content.decode()
    sources = re.findall(r'<img src="([^"]*)" alt="A lamp">', page)
    assert len(sources) == 1 and sources[0].startswith("/images/remote?url=")
    assert unescape(sources[0]) == proxied_url("https://images.example/lamp.png?size=2&x=1")


@override_settings(REMOTE_IMAGES="proxy")
def test_the_proxy_serves_an_image_and_keeps_it(client: Client, host, test_host_is_public):
    first = proxied(client, f"{host}/lamp.png")
    assert first.status_code == 200
    assert first.content == PNG
    assert first["Content-Type"] == "image/png"
    assert first["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in first["Content-Security-Policy"]
    again = proxied(client, f"{host}/lamp.png")
    assert again.content == PNG
    assert Images.requests == ["/lamp.png"]  # the second came from the cache


@override_settings(REMOTE_IMAGES="proxy")
def test_the_proxy_follows_a_redirect_to_a_public_address(
    client: Client, host, test_host_is_public
):
    answer = proxied(client, f"{host}/hop")
    assert answer.status_code == 200 and answer.content == PNG


@override_settings(REMOTE_IMAGES="proxy", REMOTE_IMAGE_MAX_BYTES=1000, REMOTE_IMAGE_TIMEOUT=1)
@pytest.mark.parametrize(
    "path",
    [
        "/page.html",
        "/logo.svg",
        "/liar.png",
        "/big.png",
        "/missing.png",
        "/inside",
        "/loop",
        "/slow.png",
    ],
)
def test_the_proxy_refuses_what_is_not_a_small_public_image(
    client: Client, host, test_host_is_public, path
):
    answer = proxied(client, f"{host}{path}")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "text/plain"
    assert b"script" not in answer.content and b"svg" not in answer.content


@override_settings(REMOTE_IMAGES="proxy")
def test_addresses_with_any_characters_get_an_answer(client: Client, host, test_host_is_public):
    assert proxied(client, f"{host}/lämp.png?ö=1").status_code == 200
    assert proxied(client, f"{host}/a\nb.png").status_code in {200, 404}
    assert proxied(client, "http://[::1/x.png").status_code == 404
    assert proxied(client, "http://h\u00e9te.invalid:99999/x.png").status_code == 404


@override_settings(REMOTE_IMAGES="proxy")
def test_the_proxy_refuses_the_archive_s_own_network(client: Client, host):
    assert proxied(client, f"{host}/lamp.png").status_code == 404
    assert Images.requests == []  # not even asked


@override_settings(REMOTE_IMAGES="proxy")
def test_the_proxy_is_not_open_to_unsigned_addresses(client: Client, host, test_host_is_public):
    signed = proxied_url(f"{host}/lamp.png")
    forged = signed.replace("lamp.png", "lamp.gif")
    assert client.get(forged).status_code == 404
    assert client.get(f"/images/remote?url={host}/lamp.png").status_code == 404
    assert Images.requests == []


def test_the_proxy_is_off_unless_chosen(client: Client, host, test_host_is_public):
    assert proxied(client, f"{host}/lamp.png").status_code == 404
    assert Images.requests == []
