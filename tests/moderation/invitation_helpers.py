"""Helpers of the invitation tests: the links in the mails, and a sign-up form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.test import TestCase

from tests.conftest import PASSWORD


def invitation_code(message: EmailMessage) -> str:
    found = re.search(rf"{re.escape(settings.SITE_URL)}/signup\?invitation=(\S+)", message.body)
    assert found, message.body
    return found.group(1)


def confirmation_link(message: EmailMessage) -> str:
    found = re.search(rf"{re.escape(settings.SITE_URL)}(/signup/confirm/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def signup_form(username: str = "newreader", **changes: Any) -> dict[str, str]:
    return {
        "username": username,
        "email": f"{username}@example.net",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }


@contextmanager
def committing() -> Iterator[None]:
    """Run what waits for the commit (the mails) when the block ends, as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
