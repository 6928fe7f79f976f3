"""Helpers shared by the loaders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, source: str | Path) -> None:
    """Raise ``ValueError`` naming ``source`` and the missing columns, if any are missing."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{source}: missing column(s) {missing}; found {list(frame.columns)}")


def add_structure_columns(frame: pd.DataFrame, structures) -> None:
    """Add ``formula`` (reduced), ``elements`` (sorted symbols), ``n_elements``, ``has_H`` and
    ``n_sites`` of pymatgen ``structures`` (one per row of ``frame``) in place.
    """
    from reviewlib.chem import element_columns

    comps = [s.composition for s in structures]
    frame["formula"] = [c.reduced_formula for c in comps]
    for name, column in element_columns(comps).items():
        frame[name] = column.to_numpy()
    frame["n_sites"] = [len(s) for s in structures]


def read_user_csv(path: str | Path, *, expected: str) -> tuple[pd.DataFrame, list[int]]:
    """A user's CSV as text cells (nothing turned into NaN) and the file line of each data row.

    Line numbers are those an editor shows (the header is line 1, blank lines count); blank rows
    are dropped after numbering. Column names are stripped. ``ValueError`` naming the file and
    ``expected`` for an empty file, a file that is not a CSV table, or no data row.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path}: the file is empty; expected {expected}") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"{path}: not a readable CSV table ({first}); expected {expected}") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    lines = raw.index.to_numpy() + 2  # header is line 1; blank lines kept as rows by skip_blank_lines=False
    blank = raw.apply(lambda r: all(not str(v).strip() for v in r), axis=1).to_numpy(dtype=bool)
    raw, lines = raw[~blank].reset_index(drop=True), lines[~blank]
    if raw.empty:
        raise ValueError(f"{path}: no data rows under the header; expected {expected}")
    return raw, [int(x) for x in lines]
