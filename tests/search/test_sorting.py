"""The head of a sort order is exactly the start of the whole order, ties included."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ficarchive.search.sorting import first_in_order, sorted_order


@given(
    st.lists(st.integers(0, 5), min_size=0, max_size=60),  # few distinct keys: many ties
    st.booleans(),
    st.integers(-1, 70),
)
def test_the_head_of_an_order_is_the_start_of_the_whole_order(
    keys: list[int], desc: bool, count: int
) -> None:
    ids = np.arange(3, 3 + 2 * len(keys), 2, dtype=np.int64)  # sorted, not dense
    values = np.array(keys, dtype=np.int64)
    whole = sorted_order(ids, values, desc).tolist()
    assert first_in_order(ids, values, desc, count).tolist() == whole[: max(count, 0)]


def test_ties_at_the_cut_keep_the_higher_ids_first() -> None:
    ids = np.array([1, 2, 3, 4, 5, 6], dtype=np.int64)
    keys = np.array([9, 5, 5, 5, 5, 1], dtype=np.int64)
    assert first_in_order(ids, keys, True, 3).tolist() == [1, 5, 4]
    assert first_in_order(ids, keys, False, 3).tolist() == [6, 5, 4]
