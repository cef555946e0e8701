"""Every moderation form goes back to `next` only when it is an address on this site."""

from __future__ import annotations

from typing import Any

import pytest

from ficarchive.accounts.models import User
from ficarchive.moderation.models import Role
from tests.conftest import logged_in
from tests.moderation.holders import holder

FOREIGN = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"]


@pytest.fixture
def polly(db: Any) -> User:
    return holder(Role.POLICY_ABUSE)


@pytest.mark.parametrize("given", FOREIGN)
def test_a_sanction_does_not_go_back_to_another_site(
    polly: User, mallory: User, given: str
) -> None:
    sent = logged_in(polly).post(
        "/moderation/users/mallory/warn", {"reason": "Stop the insults.", "next": given}
    )
    assert sent.status_code == 302 and sent["Location"] == "/moderation/users/mallory"


@pytest.mark.parametrize("given", FOREIGN)
def test_a_content_action_does_not_go_back_to_another_site(
    polly: User, alice: User, given: str
) -> None:
    from tests.conftest import post_work

    work = post_work(alice, "Plain")
    sent = logged_in(polly).post(
        f"/moderation/works/{work.pk}/hide", {"reason": "Spam.", "next": given}
    )
    assert sent.status_code == 302 and sent["Location"] == f"/works/{work.pk}"
