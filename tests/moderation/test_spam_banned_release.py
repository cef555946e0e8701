"""A held item of an account spam-banned since it was held is not shown by "not spam": the
ban hid everything the account made, and only an unban shows it again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ficarchive.accounts.actions import update_pseud
from ficarchive.accounts.models import User
from ficarchive.moderation.actions import spam as spam_actions
from ficarchive.moderation.actions.sanctions import spam_ban
from ficarchive.moderation.models import SpamCheck, SpamState
from ficarchive.moderation.spam import checking

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = IMMEDIATE


def test_not_spam_on_a_spam_banned_accounts_held_pseud_text_is_refused_and_it_stays_hidden(
    carol: User, ada: User
) -> None:
    pseud = carol.default_pseud
    update_pseud(carol, pseud, pseud.name, "Cheap essays https://essays.example.net/order")
    check = SpamCheck.objects.get(target_kind=checking.PSEUD, target_id=pseud.pk)
    assert check.state == SpamState.HELD
    spam_ban(ada, carol, "Spam everywhere.")
    with pytest.raises(ValidationError, match="spam-banned"):
        spam_actions.mark_not_spam(ada, check)
    pseud.refresh_from_db()
    assert pseud.description_hidden
    assert "essays.example.net" not in Client().get(pseud.get_absolute_url()).content.decode()
    check.refresh_from_db()
    assert check.state == SpamState.HELD
