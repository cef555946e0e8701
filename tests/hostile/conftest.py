"""The hostile suite puts every vector on every surface and reads them back. The spam check and
the new-account comment limit would keep much of it off the pages (a link-heavy vector from a
brand-new account is held, the fourth comment refused), so here they are set never to act: the
suite tests what pages make of what is shown, and tests/moderation tests the holding."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True, scope="package")
def everything_posted_is_shown() -> Iterator[None]:
    with override_settings(SPAM_HOLD_THRESHOLD=2.0, COMMENT_LIMIT=1_000_000):
        yield
