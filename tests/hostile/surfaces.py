"""Every place the hostile archive's text shows, fetched through the test client and checked:
pages as a guest, a reader and the author see them, Atom and OPDS feeds, and downloads."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from django.test import Client
from lxml import etree

from tests.hostile.checker import (
    Finding,
    check_epub,
    check_html,
    check_plain_text,
    check_xml,
)
from tests.hostile.vectors import xss_vectors

NEXT_PAGE = re.compile(r'<a rel="next" href="([^"]+)"')
MAX_PAGES = 50


def fetch(client: Client, url: str, findings: list[Finding]) -> bytes | None:
    """The body of URL, or None (with a finding) when it does not answer 200."""
    response = client.get(url)
    if response.status_code != 200:
        findings.append(Finding(url, "the start", f"status {response.status_code}, not 200"))
        return None
    return b"".join(response.streaming_content) if response.streaming else response.content


def check_pages(client: Client, url: str, findings: list[Finding]) -> int:
    """Check the HTML page URL and the pages after it; returns how many were read."""
    read = 0
    while url and read < MAX_PAGES:
        body = fetch(client, url, findings)
        if body is None:
            return read
        html = body.decode()
        findings.extend(check_html(html, url))
        read += 1
        following = NEXT_PAGE.search(html)
        url = urljoin(url, following.group(1).replace("&amp;", "&")) if following else ""
    return read


def check_feed(client: Client, url: str, findings: list[Finding]) -> int:
    """Check the Atom or OPDS feed URL and the feed pages after it."""
    read = 0
    while url and read < MAX_PAGES:
        body = fetch(client, url, findings)
        if body is None:
            return read
        findings.extend(check_xml(body, url))
        read += 1
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
        following = root.find("{http://www.w3.org/2005/Atom}link[@rel='next']")
        url = following.get("href", "") if following is not None else ""
    return read


def check_download(client: Client, url: str, findings: list[Finding]) -> None:
    response = client.get(url)
    if response.status_code != 200:
        findings.append(Finding(url, "the start", f"status {response.status_code}, not 200"))
        return
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if url.endswith(".epub"):
        findings.extend(check_epub(body, url))
    elif url.endswith(".html"):
        findings.extend(check_html(body.decode(), url, own_scripts=False))
    else:
        findings.extend(check_plain_text(response["Content-Type"], url))
        if response.get("X-Content-Type-Options") != "nosniff":
            findings.append(Finding(url, "the start", "a text download browsers may sniff"))


def explain(findings: list[Finding], limit: int = 30) -> str:
    """The findings as lines naming the vector, the field and where it went live."""
    lines = []
    for finding in findings[:limit]:
        match = re.match(r"vector (\d+) in (\S+)", finding.label)
        vector = f" — vector {xss_vectors()[int(match.group(1))]!r}" if match else ""
        lines.append(f"{finding}{vector}")
    if len(findings) > limit:
        lines.append(f"… and {len(findings) - limit} more")
    return "\n".join(lines)
