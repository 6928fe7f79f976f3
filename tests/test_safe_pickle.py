"""The restricted unpickler: real DataFrames load, anything else is refused."""

from __future__ import annotations

import bz2
import io
import os
import pickle

import numpy as np
import pandas as pd
import pytest

from reviewlib.data import fetch
from reviewlib.data.safe_pickle import (
    RestrictedUnpickler,
    UnsafePickleError,
    load_dataframe_pickle,
)


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


class _EvalEvil:
    def __reduce__(self):
        return (eval, ("1 + 1",))


def _write_bz2(obj, path):
    with bz2.open(path, "wb") as fh:
        pickle.dump(obj, fh, protocol=4)
    return path


def test_roundtrip_current_pandas(tmp_path):
    frame = pd.DataFrame({"a": [1.0, 2.5], "b": ["x", "y"], "c": np.array([1, 2], dtype=np.int64)})
    out = load_dataframe_pickle(_write_bz2(frame, tmp_path / "ok.pk.bz2"))
    pd.testing.assert_frame_equal(out, frame)


def test_os_system_refused(tmp_path):
    path = _write_bz2(_Evil(), tmp_path / "evil.pk.bz2")
    with pytest.raises(UnsafePickleError, match=r"refused to load global (posix|nt|os)\.system") as exc:
        load_dataframe_pickle(path)
    assert "evil.pk.bz2" in str(exc.value)


def test_builtins_eval_refused():
    raw = pickle.dumps(_EvalEvil())
    with pytest.raises(UnsafePickleError, match="builtins.eval"):
        RestrictedUnpickler(io.BytesIO(raw)).load()


def test_evil_nested_in_dataframe_refused(tmp_path):
    frame = pd.DataFrame({"x": [_Evil()]})
    with pytest.raises(UnsafePickleError):
        load_dataframe_pickle(_write_bz2(frame, tmp_path / "nested.pk.bz2"))


def test_not_a_dataframe(tmp_path):
    path = tmp_path / "list.pk"
    path.write_bytes(pickle.dumps([1, 2, 3]))
    with pytest.raises(ValueError, match="expected a pickled pandas DataFrame, got list"):
        load_dataframe_pickle(path)


def test_bad_compression(tmp_path):
    with pytest.raises(ValueError, match="compression"):
        load_dataframe_pickle(tmp_path / "x.pk", compression="gzip")


def test_alexandria_ds_b_loads(mirror):
    frame = load_dataframe_pickle(fetch("alexandria_ds_b", progress=False))
    assert frame.shape == (1033, 7)
    assert list(frame.columns) == ["mat_id", "structure", "dosef", "debye", "Tc", "la", "wlog"]
    assert frame["mat_id"].iloc[0] == "agm001184602"
