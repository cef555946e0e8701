"""XSS vectors in addresses: query strings and paths the archive shows back (searches, tag
suggestions, pages not found, where to go after logging in) stay harmless, and no answer is a
server error."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.hostile.archive import batches, packed
from tests.hostile.checker import Finding, check_html, check_xml
from tests.hostile.surfaces import explain
from tests.hostile.vectors import labelled, xss_vectors

pytestmark = pytest.mark.django_db

# Several vectors to an address, as many as a title holds.
RUNS = batches(range(len(xss_vectors())))


def _read(client: Client, url: str, findings: list[Finding], *, xml: bool = False) -> None:
    response = client.get(url)
    if response.status_code >= 500:
        findings.append(Finding(url[:120], "the start", f"status {response.status_code}"))
        return
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if not body:
        return
    if xml and response.status_code == 200:
        findings.extend(check_xml(body, url[:120]))
    else:
        findings.extend(check_html(body.decode(), url[:120]))


@pytest.mark.usefixtures("alice")
def test_queries_shown_back_hold_no_live_markup(client: Client):
    findings: list[Finding] = []
    for run in RUNS:
        text = packed(run, "query", " ")
        for url in (
            "/works/search?" + urlencode({"q": text}),
            "/works/search?" + urlencode({"q": "x", "sort": text, "tags": text}),
            "/works?" + urlencode({"page": text}),
            "/tags/autocomplete?" + urlencode({"type": "freeform", "q": text}),
            "/login?" + urlencode({"next": text}),
        ):
            _read(client, url, findings)
        _read(client, "/opds/search?" + urlencode({"q": text}), findings, xml=True)
    assert not findings, explain(findings)


def test_paths_not_found_hold_no_live_markup(client: Client):
    findings: list[Finding] = []
    for run in RUNS:
        name = quote(packed(run, "path", " "), safe="")
        for url in (f"/tags/{name}/works", f"/users/{name}", f"/users/alice/pseuds/{name}"):
            _read(client, url, findings)
    assert not findings, explain(findings)


def test_logging_in_never_goes_to_an_address_a_vector_gave(alice):
    """`next` after logging in stays on the archive, whatever it was."""
    places = []
    for number, vector in enumerate(xss_vectors()):
        client = Client()
        response = client.post(
            "/login", {"username": "alice", "password": PASSWORD, "next": vector}
        )
        assert response.status_code == 302, labelled(number, "next")
        places.append((number, response["Location"]))
    elsewhere = [(n, where) for n, where in places if not where.startswith("/")]
    assert not elsewhere, elsewhere
