"""The featurisers' one chunked parallel map (reviewlib.features.parallel)."""

from __future__ import annotations

import os
from functools import partial

import numpy as np
import pytest

from reviewlib.features.parallel import chunked_map, chunks_of


def _rows(chunk, scale=1.0):
    """One row per item: the item, its square and the process that computed it."""
    return np.array([[x * scale, x * x, os.getpid()] for x in chunk], dtype=float)


@pytest.mark.parametrize(
    ("n", "n_jobs", "per_worker", "min_items", "sizes"),
    [
        (49, 2, 16, 50, [49]),  # below the threshold: one chunk
        (50, 2, 16, 50, [2] * 25),  # 32 chunks asked, size ceil(50/32) = 2
        (100, 1, 16, 50, [100]),  # one worker: one chunk
        (63, 2, 8, 64, [63]),
        (64, 2, 8, 64, [4] * 16),
        (70, 3, 8, 64, [3] * 23 + [1]),
    ],
)
def test_chunks_cover_the_items_in_order(n, n_jobs, per_worker, min_items, sizes):
    items = list(range(n))
    chunks = chunks_of(items, n_jobs=n_jobs, chunks_per_worker=per_worker, min_items_to_split=min_items)
    assert [len(c) for c in chunks] == sizes
    assert [x for c in chunks for x in c] == items


def test_one_chunk_runs_in_this_process():
    out = chunked_map(
        partial(_rows, scale=2.0),
        list(range(10)),
        n_jobs=2,
        chunks_per_worker=16,
        min_items_to_split=50,
        desc="test",
        progress=False,
    )
    np.testing.assert_array_equal(out[:, 0], 2.0 * np.arange(10))
    assert set(out[:, 2]) == {os.getpid()}


def test_many_chunks_run_in_workers_and_come_back_in_input_order():
    items = list(range(60))
    out = chunked_map(
        _rows, items, n_jobs=2, chunks_per_worker=4, min_items_to_split=50, desc="test", progress=False
    )
    np.testing.assert_array_equal(out[:, :2], _rows(items)[:, :2])
    assert os.getpid() not in set(out[:, 2])


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="no items"):
        chunked_map(_rows, [], n_jobs=1, chunks_per_worker=1, min_items_to_split=1, desc="x", progress=False)
    with pytest.raises(ValueError, match="n_jobs=0"):
        chunks_of([1, 2], n_jobs=0, chunks_per_worker=1, min_items_to_split=1)
    with pytest.raises(ValueError, match="chunks_per_worker"):
        chunks_of([1, 2], n_jobs=2, chunks_per_worker=0, min_items_to_split=1)
