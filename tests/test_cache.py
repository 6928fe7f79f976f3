"""Feature cache: round trips without pickle, key sensitivity, hashing helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pymatgen.core import Lattice, Structure

from reviewlib.features.cache import cache_path, cached, hash_frame, hash_structures


@pytest.fixture(autouse=True)
def _tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path / "cache"))


def _counter(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_array_round_trip_and_hit(rng):
    arr = rng.normal(size=(7, 5)).astype(np.float32)
    compute, calls = _counter(arr)
    first = cached("demo", key={"a": 1}, compute=compute)
    second = cached("demo", key={"a": 1}, compute=compute)
    assert len(calls) == 1
    assert second.dtype == np.float32
    np.testing.assert_array_equal(first, second)
    path = cache_path("demo", {"a": 1})
    assert path.is_file() and path.suffix == ".npz" and path.parent.name == "features"
    with np.load(path, allow_pickle=False) as data:  # readable without pickle
        assert "value" in data.files


def test_key_changes_recompute(rng):
    compute, calls = _counter(rng.normal(size=3))
    cached("demo", key={"a": 1, "b": [1, 2]}, compute=compute)
    cached("demo", key={"b": [1, 2], "a": 1}, compute=compute)  # same key, other order
    assert len(calls) == 1
    cached("demo", key={"a": 1, "b": [1, 3]}, compute=compute)
    cached("other", key={"a": 1, "b": [1, 2]}, compute=compute)
    assert len(calls) == 3


def test_disabled_never_writes(rng, tmp_path):
    compute, calls = _counter(rng.normal(size=3))
    cached("demo", key={"a": 2}, compute=compute, enabled=False)
    cached("demo", key={"a": 2}, compute=compute, enabled=False)
    assert len(calls) == 2
    assert not cache_path("demo", {"a": 2}).exists()


def test_frame_round_trip():
    df = pd.DataFrame(
        {"x": [1.5, np.nan, 3.0], "n": [1, 2, 3], "ok": [True, False, True], "name": ["a", "b", "c"]},
        index=pd.Index(["r1", "r2", "r3"], name="id"),
    )
    compute, calls = _counter(df)
    cached("frame", key={"v": 1}, compute=compute)
    back = cached("frame", key={"v": 1}, compute=compute)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(back, df)


def test_unstorable_values_raise():
    with pytest.raises(TypeError, match="non-string objects"):
        cached("bad", key={}, compute=lambda: pd.DataFrame({"o": [object()]}))
    with pytest.raises(TypeError, match="numpy array, a DataFrame or a dict of arrays"):
        cached("bad", key={"x": 1}, compute=lambda: [1, 2])
    with pytest.raises(TypeError, match="cannot hash"):
        cached("bad", key={"s": object()}, compute=lambda: np.zeros(1))
    with pytest.raises(ValueError, match="kind"):
        cached("bad/kind", key={}, compute=lambda: np.zeros(1))


def test_corrupt_file_is_recomputed(rng):
    compute, calls = _counter(np.arange(4.0))
    cached("demo", key={"c": 1}, compute=compute)
    cache_path("demo", {"c": 1}).write_bytes(b"not an npz")
    with pytest.warns(UserWarning, match="unreadable"):
        out = cached("demo", key={"c": 1}, compute=compute)
    np.testing.assert_array_equal(out, np.arange(4.0))
    assert len(calls) == 2


def test_hash_structures_sensitivity():
    s = Structure(Lattice.cubic(4.0), ["Na", "Cl"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    h = hash_structures([s])
    assert h == hash_structures([s.copy()])
    moved = s.copy()
    moved.translate_sites([1], [0.01, 0, 0])
    assert hash_structures([moved]) != h
    doped = Structure(Lattice.cubic(4.0), [{"Na": 0.9, "K": 0.1}, "Cl"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    assert hash_structures([doped]) != h
    assert hash_structures([s, s]) != h
    with pytest.raises(TypeError, match="structure 0"):
        hash_structures(["NaCl"])


def test_hash_frame():
    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert hash_frame(df) == hash_frame(df.copy())
    assert hash_frame(df) != hash_frame(df.assign(a=[1, 3]))
    assert hash_frame(df) != hash_frame(df.rename(columns={"a": "c"}))


def test_stats_count_hits_and_the_time_a_hit_saved(tmp_path, monkeypatch):
    import json
    import time

    from reviewlib.features import cache

    out = tmp_path / "stats.json"
    monkeypatch.setenv(cache.STATS_ENV, str(out))
    before = cache.stats()

    def slow():
        time.sleep(0.05)
        return np.arange(3.0)

    cached("demo", key={"x": "stats"}, compute=slow)  # a miss: computed and timed
    cached("demo", key={"x": "stats"}, compute=slow)  # a hit: saves what the miss took
    after = cache.stats()
    assert after["misses"] - before["misses"] == 1 and after["hits"] - before["hits"] == 1
    saved = after["saved_s"] - before["saved_s"]
    computed = after["computed_s"] - before["computed_s"]
    assert 0.05 <= computed and abs(saved - computed) < 1e-6
    assert after["by_kind"]["demo"]["hits"] >= 1
    # the runner reads the statistics from the file named by REVIEWLIB_CACHE_STATS
    assert json.loads(out.read_text())["hits"] == after["hits"]


def test_a_file_written_before_timings_counts_as_a_hit_with_nothing_saved(monkeypatch):
    from reviewlib.features import cache

    path = cache_path("old", {"x": 1})
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        __type__=np.asarray(["array"]),
        value=np.ones(2),
        __key__=np.asarray([cache.canonical_key("old", {"x": 1})]),
    )
    before = cache.stats()
    value = cached("old", key={"x": 1}, compute=lambda: np.zeros(2))
    assert value.tolist() == [1.0, 1.0]
    after = cache.stats()
    assert after["hits"] - before["hits"] == 1 and after["saved_s"] == before["saved_s"]
