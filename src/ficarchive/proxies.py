"""The reader's address behind a reverse proxy.

Behind nginx or Caddy every request comes from the proxy's address, so the limits kept per
address (log-ins, guest comments, reports, invitation requests) would count every reader
together. When the peer is a trusted proxy (`FORWARDED_ALLOW_IPS`, the list gunicorn is given
too: addresses, networks such as 10.0.0.0/8, or `*`), `REMOTE_ADDR` becomes the address that
proxy saw: `X-Forwarded-For` is read from its right end, past every trusted proxy, and the first
address that is not one is the reader's (with `*`, every peer is a proxy but no entry is: the
rightmost entry is the reader's). Entries further left were written by the client and
are never believed. A request from anywhere else keeps its peer's address whatever it sends.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ficarchive.env import Network, parse_proxies


@cache
def _trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...] | None:
    return parse_proxies(entries)


def _trusted(address: str, networks: tuple[Network, ...] | None) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return networks is None or any(ip in network for network in networks)


def client_address(peer: str, forwarded_for: str) -> str:
    """The reader's address: PEER, or what the trusted proxies in front of it were told."""
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not _trusted(peer, networks):
        return peer
    address = peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address  # not an address: nothing further left can be believed
        address = hop
        if networks is None or not _trusted(hop, networks):
            break  # with `*`, the peer is the one proxy believed
    return address


class ForwardedForMiddleware:
    """Set `REMOTE_ADDR` to the reader's address (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
        if forwarded:
            peer = str(request.META.get("REMOTE_ADDR", ""))
            request.META["REMOTE_ADDR"] = client_address(peer, str(forwarded))
        return self.get_response(request)
