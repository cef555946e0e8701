"""Fixtures the account tests borrow from other apps' tests."""

from tests.tags.conftest import wendy  # noqa: F401 - the wrangler, for canonical tags
