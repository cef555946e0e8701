from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def search_tests_use_the_database(db: Any) -> None:
    """Every search test reads the database (the root fixture resets the cache and the index)."""
