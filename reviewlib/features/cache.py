"""Content-addressed on-disk cache for computed features (no pickle).

A value is stored under ``settings.data_cache_dir()/features/<kind>-<sha256>.npz`` where the
sha256 is taken over the canonical JSON of ``{"kind", "key", "reviewlib"}`` (sorted keys, version
included), so a change of input hash, parameter or package version gives a new file. Arrays, data
frames and dicts of arrays are written as ``.npz`` read back with ``allow_pickle=False``; frames
may hold numeric, boolean and string columns only. The canonical key is stored in the file and
checked on every read.

>>> from reviewlib.features.cache import cached, hash_structures
>>> X = cached("soap", key={"structures": hash_structures(structs), "r_cut": 5.0},
...            compute=lambda: expensive(structs))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reviewlib._io import atomic_write

_KIND = re.compile(r"^[A-Za-z0-9_.-]+$")
_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def _version() -> str:
    from reviewlib import __version__

    return __version__


def _canonical(obj: Any, where: str = "key") -> Any:
    """JSON-safe, order-independent form of ``obj``; ``TypeError`` names the offending entry."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        if not math.isfinite(value):
            raise TypeError(f"cache {where}: non-finite float {value!r} cannot be hashed")
        return value
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, Mapping):
        out = {}
        for k, v in obj.items():
            if not isinstance(k, str):
                raise TypeError(f"cache {where}: keys must be str, got {k!r}")
            out[k] = _canonical(v, f"{where}[{k!r}]")
        return out
    if isinstance(obj, (list, tuple)):
        return [_canonical(v, f"{where}[{i}]") for i, v in enumerate(obj)]
    if isinstance(obj, np.ndarray) and obj.ndim == 1 and obj.dtype.kind in "biuf":
        return [_canonical(v, where) for v in obj.tolist()]
    raise TypeError(f"cache {where}: cannot hash a {type(obj).__name__} (use hash_structures/hash_frame)")


def canonical_key(kind: str, key: Mapping) -> str:
    """The canonical JSON text that names a cache entry (kind, key, reviewlib version)."""
    if not isinstance(kind, str) or not _KIND.match(kind):
        raise ValueError(f"cache kind must match {_KIND.pattern}, got {kind!r}")
    if not isinstance(key, Mapping):
        raise TypeError(f"cache key must be a mapping, got {type(key).__name__}")
    payload = {"kind": kind, "key": _canonical(key), "reviewlib": _version()}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)


def cache_path(kind: str, key: Mapping) -> Path:
    """Where ``cached(kind, key=key, ...)`` stores its value."""
    from reviewlib.settings import data_cache_dir

    digest = hashlib.sha256(canonical_key(kind, key).encode()).hexdigest()
    return data_cache_dir() / "features" / f"{kind}-{digest}.npz"


# ---------------------------------------------------------------- hashing helpers


def _check_structure(i: int, s: Any) -> None:
    if getattr(s, "lattice", None) is None:
        raise TypeError(f"structure {i}: expected a pymatgen Structure, got {type(s).__name__}")


def structure_list(structures: Iterable, *, caller: str) -> list:
    """``structures`` as a non-empty list of pymatgen Structures; ``ValueError`` when empty and
    ``TypeError`` naming the index of anything else (messages start with ``caller``'s name).
    """
    structures = list(structures)
    if not structures:
        raise ValueError(f"{caller}: no structures given")
    for i, s in enumerate(structures):
        _check_structure(i, s)
    return structures


def hash_structures(structures: Iterable) -> str:
    """sha256 over lattices, fractional coordinates and site species/occupancies, in order."""
    digest = hashlib.sha256()
    n = 0
    for i, s in enumerate(structures):
        _check_structure(i, s)
        lattice = s.lattice
        digest.update(b"S")
        digest.update(np.ascontiguousarray(lattice.matrix, dtype=np.float64).tobytes())
        digest.update(np.ascontiguousarray(s.frac_coords, dtype=np.float64).tobytes())
        species = ";".join(",".join(f"{sp}:{occ!r}" for sp, occ in site.species.items()) for site in s)
        digest.update(species.encode())
        n += 1
    digest.update(f"n={n}".encode())
    return digest.hexdigest()


def _is_structure(value: Any) -> bool:
    return hasattr(value, "lattice") and hasattr(value, "frac_coords")


def hash_frame(df: pd.DataFrame) -> str:
    """sha256 over column names, dtypes, index and values (structure columns via hash_structures)."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"hash_frame expects a DataFrame, got {type(df).__name__}")
    digest = hashlib.sha256()
    digest.update(json.dumps([str(c) for c in df.columns]).encode())
    digest.update(json.dumps([str(t) for t in df.dtypes]).encode())
    digest.update(pd.util.hash_pandas_object(df.index.to_series(), index=False).to_numpy().tobytes())
    for col in df.columns:
        series = df[col]
        if series.dtype == object and len(series) and all(_is_structure(v) for v in series):
            digest.update(hash_structures(series).encode())
        elif series.dtype == object:
            digest.update(pd.util.hash_pandas_object(series.map(repr), index=False).to_numpy().tobytes())
        else:
            digest.update(pd.util.hash_pandas_object(series, index=False).to_numpy().tobytes())
    return digest.hexdigest()


# ---------------------------------------------------------------- (de)serialisation


def _frame_to_arrays(df: pd.DataFrame) -> dict[str, np.ndarray]:
    if isinstance(df.columns, pd.MultiIndex) or isinstance(df.index, pd.MultiIndex):
        raise TypeError("cache: MultiIndex frames are not supported")
    arrays: dict[str, np.ndarray] = {}
    kinds = []
    for i, col in enumerate(df.columns):
        values = df[col]
        if values.dtype.kind in "biuf":
            arrays[f"c{i}"] = values.to_numpy()
            kinds.append(str(values.dtype))
        elif values.dtype == object or str(values.dtype).startswith("string"):
            if not all(isinstance(v, str) for v in values):
                raise TypeError(
                    f"cache: column {col!r} holds non-string objects; cannot store without pickle"
                )
            arrays[f"c{i}"] = np.asarray(values.tolist(), dtype=str)
            kinds.append("str")
        else:
            raise TypeError(f"cache: column {col!r} has unsupported dtype {values.dtype}")
    index = df.index
    if isinstance(index, pd.RangeIndex):
        arrays["__index__"] = np.asarray([index.start, index.stop, index.step], dtype=np.int64)
        kinds.append("range")
    elif index.dtype.kind in "biuf":
        arrays["__index__"] = index.to_numpy()
        kinds.append(str(index.dtype))
    elif all(isinstance(v, str) for v in index):
        arrays["__index__"] = np.asarray(list(index), dtype=str)
        kinds.append("str")
    else:
        raise TypeError(f"cache: index of dtype {index.dtype} is not supported")
    arrays["__columns__"] = np.asarray([str(c) for c in df.columns], dtype=str)
    arrays["__kinds__"] = np.asarray(kinds, dtype=str)
    arrays["__index_name__"] = np.asarray(["" if index.name is None else str(index.name)], dtype=str)
    return arrays


def _arrays_to_frame(data: Mapping[str, np.ndarray]) -> pd.DataFrame:
    columns = [str(c) for c in data["__columns__"]]
    kinds = [str(k) for k in data["__kinds__"]]
    cols = {}
    for i, (col, kind) in enumerate(zip(columns, kinds[:-1], strict=True)):
        arr = data[f"c{i}"]
        cols[col] = arr.astype(object) if kind == "str" else arr.astype(kind)
    idx_kind, idx = kinds[-1], data["__index__"]
    if idx_kind == "range":
        index = pd.RangeIndex(int(idx[0]), int(idx[1]), int(idx[2]))
    elif idx_kind == "str":
        index = pd.Index(idx.astype(object))
    else:
        index = pd.Index(idx.astype(idx_kind))
    name = str(data["__index_name__"][0])
    index.name = name or None
    frame = pd.DataFrame(cols, index=index)
    return frame[columns] if columns else frame


def _write(
    path: Path,
    value: np.ndarray | pd.DataFrame | Mapping[str, np.ndarray],
    key_text: str,
    *,
    seconds: float = float("nan"),
) -> None:
    if isinstance(value, pd.DataFrame):
        arrays = {"__type__": np.asarray(["frame"]), **_frame_to_arrays(value)}
    elif isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufcU":
            raise TypeError(f"cache: array dtype {value.dtype} cannot be stored without pickle")
        arrays = {"__type__": np.asarray(["array"]), "value": value}
    elif isinstance(value, Mapping) and all(isinstance(v, np.ndarray) for v in value.values()):
        bad = [k for k, v in value.items() if v.dtype.kind not in "biufcU" or not _NAME.match(str(k))]
        if bad:
            raise TypeError(f"cache: arrays {bad} have names or dtypes that cannot be stored without pickle")
        arrays = {"__type__": np.asarray(["arrays"]), **{f"a_{k}": v for k, v in value.items()}}
    else:
        raise TypeError(
            "cache: compute() must return a numpy array, a DataFrame or a dict of arrays, "
            f"got {type(value).__name__}"
        )
    arrays["__key__"] = np.asarray([key_text])
    arrays["__seconds__"] = np.asarray([seconds], dtype=float)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda fh: np.savez(fh, **arrays))


def _read(path: Path, key_text: str) -> tuple[np.ndarray | pd.DataFrame | dict[str, np.ndarray], float]:
    """The stored value and the seconds its computation took (NaN for files written before)."""
    with np.load(path, allow_pickle=False) as data:
        if str(data["__key__"][0]) != key_text:
            raise ValueError(f"{path}: stored key differs from the requested key")
        seconds = float(data["__seconds__"][0]) if "__seconds__" in data.files else float("nan")
        kind = str(data["__type__"][0])
        if kind == "array":
            return data["value"], seconds
        if kind == "arrays":
            return {k[2:]: data[k] for k in data.files if k.startswith("a_")}, seconds
        return _arrays_to_frame({k: data[k] for k in data.files if k != "__seconds__"}), seconds


#: hits, misses and seconds of this process's cache use (:func:`stats`)
_STATS: dict[str, Any] = {"hits": 0, "misses": 0, "saved_s": 0.0, "computed_s": 0.0, "by_kind": {}}
#: environment variable naming a JSON file the statistics are written to after every use (the
#: runner sets it, so a published run's provenance says how much the shared cache saved)
STATS_ENV = "REVIEWLIB_CACHE_STATS"


def stats() -> dict[str, Any]:
    """This process's feature-cache use: ``hits``, ``misses``, ``saved_s`` (the computation time
    the hits did not spend again, as measured when each entry was computed; entries written
    before that was stored count 0), ``computed_s`` (time spent computing misses) and the same
    per ``by_kind``.
    """
    return json.loads(json.dumps(_STATS))


def _count(kind: str, *, hit: bool, seconds: float) -> None:
    seconds = 0.0 if not math.isfinite(seconds) else float(seconds)
    per = _STATS["by_kind"].setdefault(kind, {"hits": 0, "misses": 0, "saved_s": 0.0, "computed_s": 0.0})
    for target in (_STATS, per):
        target["hits" if hit else "misses"] += 1
        target["saved_s" if hit else "computed_s"] += seconds
    out = os.environ.get(STATS_ENV)
    if out:
        try:
            atomic_write(out, json.dumps(_STATS, indent=1))
        except OSError:  # statistics must never break a computation
            pass


def cached(
    kind: str,
    *,
    key: dict,
    compute: Callable[[], pd.DataFrame | np.ndarray | Mapping[str, np.ndarray]],
    enabled: bool = True,
) -> pd.DataFrame | np.ndarray | dict[str, np.ndarray]:
    """Return ``compute()``, read from / written to the feature cache when ``enabled``.

    ``compute`` returns an array, a data frame or a dict of named arrays (names of letters, digits
    and ``_``; numeric, boolean or string dtypes).

    ``key`` must be JSON-like (str, numbers, bools, None, lists, dicts); put input hashes
    (:func:`hash_structures`, :func:`hash_frame`) and every parameter in it. An unreadable or
    mismatching cache file is recomputed and overwritten (with a warning).
    """
    if not callable(compute):
        raise TypeError("cached: compute must be a callable returning an array, DataFrame or dict of arrays")
    key_text = canonical_key(kind, key)
    if not enabled:
        return compute()
    path = cache_path(kind, key)
    if path.is_file():
        try:
            value, seconds = _read(path, key_text)
        except Exception as exc:  # corrupt or foreign file: recompute
            warnings.warn(f"feature cache {path} unreadable ({exc}); recomputing", stacklevel=2)
        else:
            _count(kind, hit=True, seconds=seconds)
            return value
    start = time.perf_counter()
    value = compute()
    seconds = time.perf_counter() - start
    _write(path, value, key_text, seconds=seconds)
    _count(kind, hit=False, seconds=seconds)
    return value
