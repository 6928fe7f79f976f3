"""A restricted unpickler for the pickled pandas DataFrames in the registry (Alexandria DS-A/DS-B).

A pickle can run arbitrary code when it is loaded: every global it names is imported and may be
called. :func:`load_dataframe_pickle` therefore resolves only an explicit allow-list of the
pandas/numpy reconstruction functions a plain DataFrame pickle uses (found by inspecting the
opcodes of the registered files), and refuses everything else with :class:`UnsafePickleError`.
Use it only on files that :func:`reviewlib.data.fetch` has hash-verified; the allow-list is a second
line of defence, not a substitute for the pin.

Old pandas/numpy module paths in the pickles (``pandas.core.indexes.numeric.Int64Index``,
``numpy.core.*``) are mapped to their current homes, so no deprecated module is imported.
"""

from __future__ import annotations

import bz2
import importlib
import pickle
from pathlib import Path

import pandas as pd

# (module, name) as written in the pickle -> (module, name) actually imported
ALLOWED_GLOBALS: dict[tuple[str, str], tuple[str, str]] = {
    ("pandas.core.frame", "DataFrame"): ("pandas.core.frame", "DataFrame"),
    ("pandas.core.series", "Series"): ("pandas.core.series", "Series"),
    ("pandas.core.internals.managers", "BlockManager"): ("pandas.core.internals.managers", "BlockManager"),
    ("pandas.core.internals.managers", "SingleBlockManager"): (
        "pandas.core.internals.managers",
        "SingleBlockManager",
    ),
    ("pandas._libs.internals", "_unpickle_block"): ("pandas._libs.internals", "_unpickle_block"),
    ("pandas.core.indexes.base", "_new_Index"): ("pandas.core.indexes.base", "_new_Index"),
    ("pandas.core.indexes.base", "Index"): ("pandas.core.indexes.base", "Index"),
    ("pandas.core.indexes.range", "RangeIndex"): ("pandas.core.indexes.range", "RangeIndex"),
    # removed in pandas 2.0; pandas' own pickle compatibility maps them to Index
    ("pandas.core.indexes.numeric", "Int64Index"): ("pandas.core.indexes.base", "Index"),
    ("pandas.core.indexes.numeric", "UInt64Index"): ("pandas.core.indexes.base", "Index"),
    ("pandas.core.indexes.numeric", "Float64Index"): ("pandas.core.indexes.base", "Index"),
    ("numpy", "ndarray"): ("numpy", "ndarray"),
    ("numpy", "dtype"): ("numpy", "dtype"),
    # numpy 2 renamed numpy.core to numpy._core (the old path still imports, with a warning)
    ("numpy.core.multiarray", "_reconstruct"): ("numpy._core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"): ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"): ("numpy._core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"): ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"): ("numpy._core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"): ("numpy._core.numeric", "_frombuffer"),
    ("builtins", "slice"): ("builtins", "slice"),
}


class UnsafePickleError(pickle.UnpicklingError):
    """The pickle references a global outside :data:`ALLOWED_GLOBALS`."""


class RestrictedUnpickler(pickle.Unpickler):
    """``pickle.Unpickler`` that resolves only :data:`ALLOWED_GLOBALS`.

    ``source`` (a file name) is only used in error messages.
    """

    def __init__(self, file, *, source: str | Path = "<pickle>"):
        super().__init__(file)
        self.source = str(source)

    def find_class(self, module: str, name: str):  # noqa: D102 - pickle protocol
        target = ALLOWED_GLOBALS.get((module, name))
        if target is None:
            raise UnsafePickleError(
                f"{self.source}: refused to load global {module}.{name}; only pandas/numpy "
                "DataFrame reconstruction is allowed (see reviewlib.data.safe_pickle.ALLOWED_GLOBALS)"
            )
        return getattr(importlib.import_module(target[0]), target[1])


def load_dataframe_pickle(path: str | Path, *, compression: str | None = "infer") -> pd.DataFrame:
    """Load a pickled ``pandas.DataFrame`` with :class:`RestrictedUnpickler`.

    ``compression``: ``"bz2"``, ``None`` (plain pickle) or ``"infer"`` (bz2 when the name ends in
    ``.bz2``). Raises :class:`UnsafePickleError` for a forbidden global and ``ValueError`` when
    the pickle is not a DataFrame.
    """
    path = Path(path)
    if compression == "infer":
        compression = "bz2" if path.suffix == ".bz2" else None
    if compression not in ("bz2", None):
        raise ValueError(f"compression must be 'bz2', None or 'infer', not {compression!r}")
    opener = bz2.open if compression == "bz2" else open
    with opener(path, "rb") as fh:
        obj = RestrictedUnpickler(fh, source=path).load()
    if not isinstance(obj, pd.DataFrame):
        raise ValueError(f"{path}: expected a pickled pandas DataFrame, got {type(obj).__name__}")
    return obj
