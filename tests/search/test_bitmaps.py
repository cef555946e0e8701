"""The numpy <-> bitmap helpers agree with pyroaring's own constructor."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from pyroaring import BitMap

from ficarchive.search.bitmaps import from_csv, from_mask, to_bitmap, to_ids


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.integers(0, 2**32 - 1) | st.integers(0, 70_000) | st.integers(0, 300), max_size=600
    ),
    st.booleans(),
)
def test_to_bitmap_holds_exactly_the_ids_given(ids: list[int], in_order: bool) -> None:
    values = np.array(sorted(ids) if in_order else ids, dtype=np.int64)
    found = to_bitmap(values)
    assert found == BitMap(ids)
    assert to_ids(found).tolist() == sorted(set(ids))


def test_to_bitmap_writes_dense_containers() -> None:
    ids = np.arange(0, 200_000, 3, dtype=np.int64)  # about 21,800 per 65,536: bit maps
    assert to_bitmap(ids) == BitMap(range(0, 200_000, 3))


def test_from_csv_reads_the_databases_joined_numbers() -> None:
    assert from_csv("3,1,2").tolist() == [3, 1, 2]
    assert from_csv(None).tolist() == []


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 200_000), st.floats(0.0, 1.0), st.integers(0, 2**32 - 1))
def test_from_mask_holds_exactly_the_true_positions(size: int, share: float, seed: int) -> None:
    mask = np.random.default_rng(seed).random(size) < share  # sparse and dense containers
    assert from_mask(mask) == BitMap(np.flatnonzero(mask).tolist())
