from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ficarchive.search.engine import reset_index


@pytest.fixture(autouse=True)
def fresh_index(db: Any) -> Iterator[None]:
    """Each test's database is new, so each test builds its own index."""
    reset_index()
    yield
    reset_index()
