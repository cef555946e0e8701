"""Fetch a remote image for the image proxy, safely.

Only public addresses are asked (the host's name is resolved once and every address it gives
must be public: no loopback, private, link-local, shared or reserved range, so no one can make
the archive read its own network), and the connection goes to the address that was checked, so
a name that changes its answer cannot slip through. Redirects are followed at most
`MAX_REDIRECTS` times, each one checked the same way. The answer must be a raster image (PNG,
JPEG, GIF, WebP, AVIF; never SVG, which can hold scripts), its first bytes must say so, it may
not be larger than `settings.REMOTE_IMAGE_MAX_BYTES`, and the whole fetch must end within
`settings.REMOTE_IMAGE_TIMEOUT` seconds.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 3
USER_AGENT = "ficarchive image proxy"
# The first bytes of each image type we serve, and the type we serve it as.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
_ALLOWED_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"}


class FetchRefused(Exception):
    """The image was not fetched; the message says why (for the log, not for the reader)."""


@dataclass(frozen=True)
class Image:
    content: bytes
    media_type: str


def is_public(address: str) -> bool:
    """Whether ADDRESS (an IP address) is on the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def public_address(host: str, port: int) -> str:
    """The address to connect to for HOST, checked; FetchRefused when any of its addresses
    is not public (a name that also points inside the network is not asked at all)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused(f"{host}: cannot be resolved ({exc})") from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FetchRefused(f"{host}: no address")
    for address in addresses:
        if not is_public(address):
            raise FetchRefused(f"{host}: {address} is not a public address")
    return addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address checked beforehand, with the certificate checked for the host."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def sniffed_type(content: bytes) -> str | None:
    """The image type CONTENT's first bytes announce, or None when they announce no image."""
    for signature, media_type in _SIGNATURES:
        if content.startswith(signature):
            return media_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp" and content[8:12] in {b"avif", b"avis"}:
        return "image/avif"
    return None


def fetch_image(url: str) -> Image:
    """The image at URL, fetched as the module says, or FetchRefused with the reason."""
    limit = int(settings.REMOTE_IMAGE_MAX_BYTES)
    timeout = float(settings.REMOTE_IMAGE_TIMEOUT)
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        response, connection = _request(url, deadline)
        try:
            if response.status in {301, 302, 303, 307, 308}:
                location = response.getheader("Location", "")
                if not location:
                    raise FetchRefused(f"{url}: a redirect without a Location")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"{url}: answered {response.status}")
            return _image(url, response, limit, deadline)
        finally:
            connection.close()
    raise FetchRefused(f"{url}: more than {MAX_REDIRECTS} redirects")


def _request(
    url: str, deadline: float
) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection]:
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), parts.hostname
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchRefused(f"{url}: not an address ({exc})") from exc
    if scheme not in {"http", "https"} or not host:
        raise FetchRefused(f"{url}: not an http or https address")
    address = public_address(host, port)
    remaining = max(deadline - time.monotonic(), 0.1)
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, address, port, remaining)
    path = quote(parts.path or "/", safe=_URL_SAFE)
    if parts.query:
        path += f"?{quote(parts.query, safe=_URL_SAFE)}"
    try:
        connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
        return connection.getresponse(), connection
    except (OSError, ValueError, http.client.HTTPException) as exc:
        connection.close()
        raise FetchRefused(f"{url}: {exc}") from exc


def _image(url: str, response: http.client.HTTPResponse, limit: int, deadline: float) -> Image:
    declared = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if declared not in _ALLOWED_TYPES:
        raise FetchRefused(f"{url}: {declared or 'no type'} is not an image type we serve")
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > limit:
        raise FetchRefused(f"{url}: {length} bytes, more than {limit}")
    chunks, size = [], 0
    try:
        while chunk := response.read1(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise FetchRefused(f"{url}: more than {limit} bytes")
            if time.monotonic() > deadline:
                raise FetchRefused(f"{url}: slower than {settings.REMOTE_IMAGE_TIMEOUT} s")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as exc:
        raise FetchRefused(f"{url}: {exc}") from exc
    content = b"".join(chunks)
    media_type = sniffed_type(content)
    if media_type is None:
        raise FetchRefused(f"{url}: the content is not a PNG, JPEG, GIF, WebP or AVIF image")
    return Image(content, media_type)
