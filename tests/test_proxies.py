"""The reader's address behind a reverse proxy (proxies.py): believed from trusted proxies only,
and the per-address limits then count each reader, not the proxy."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.env import SettingError, parse_proxies
from ficarchive.proxies import client_address
from tests.conftest import PASSWORD

LOGIN = reverse("accounts:login")
READER, OTHER = "203.0.113.5", "198.51.100.9"


@pytest.mark.parametrize(
    ("proxies", "peer", "forwarded", "reader"),
    [
        (["127.0.0.1"], "127.0.0.1", READER, READER),
        (["127.0.0.1"], "127.0.0.1", f"6.6.6.6, {READER}", READER),  # the client wrote 6.6.6.6
        (["127.0.0.1"], OTHER, READER, OTHER),  # not a proxy of ours: its header is ignored
        (["10.0.0.0/8"], "10.0.0.2", f"{READER}, 10.0.0.3", READER),  # two proxies in a row
        (["10.0.0.0/8"], "10.0.0.2", "10.0.0.4, 10.0.0.3", "10.0.0.4"),  # all ours: the leftmost
        (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", f"{READER}, junk", "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),
        (["*"], OTHER, f"6.6.6.6, {READER}", READER),
        (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_reader_s_address_is_what_our_proxies_saw(
    proxies: list[str], peer: str, forwarded: str, reader: str
) -> None:
    with override_settings(TRUSTED_PROXIES=proxies):
        assert client_address(peer, forwarded) == reader


def test_a_wrong_proxy_entry_is_refused_by_name() -> None:
    with pytest.raises(SettingError, match=r"'10\.0\.0\.300'"):
        parse_proxies(["127.0.0.1", "10.0.0.300"])


def failed_login(client: Client, name: str) -> str:
    return client.post(LOGIN, {"username": name, "password": "guess"}).content.decode()


def test_readers_behind_one_proxy_are_limited_each_on_their_own(
    alice: User, bob: User, settings
) -> None:
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 2
    behind = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=READER)
    failed_login(behind, "alice")
    failed_login(behind, "carol")
    assert "Too many failed log-ins" in failed_login(behind, "bob")
    other = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=OTHER)
    answer = other.post(LOGIN, {"username": "bob", "password": PASSWORD})
    assert answer.status_code == 302, "another reader behind the same proxy logs in"


def test_a_client_cannot_escape_the_limit_by_naming_other_addresses(
    alice: User, bob: User, settings
) -> None:
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 2
    for number, name in enumerate(["alice", "carol"]):
        forged = Client(REMOTE_ADDR=OTHER, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        failed_login(forged, name)
    forged = Client(REMOTE_ADDR=OTHER, HTTP_X_FORWARDED_FOR="192.0.2.99")
    answer = forged.post(LOGIN, {"username": "bob", "password": PASSWORD})
    assert "Too many failed log-ins" in answer.content.decode()
