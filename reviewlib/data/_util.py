"""Helpers shared by the loaders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from reviewlib.data.schema import check_value


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


def subsample(frame: pd.DataFrame, *, n: int | None, seed: int) -> pd.DataFrame:
    """A seeded random subsample of ``n`` rows (index reset); all rows when ``n`` is None or too large."""
    if n is None or n >= len(frame):
        return frame
    if n < 1:
        raise ValueError(f"subsample size must be at least 1, got {n}")
    return frame.sample(n=int(n), random_state=seed).reset_index(drop=True)


def read_tc_table(
    path: str | Path,
    *,
    id_column: str,
    tc_column: str,
    unique: bool = True,
) -> pd.DataFrame:
    """Read and check a user's CSV of Tc values (K), one row per item named in ``id_column``.

    Returns columns ``id`` (str, stripped), ``tc_K`` (float) and ``line`` (1-based line of the
    file as an editor shows it; the header is line 1, blank lines count but give no row). Raises
    ``ValueError`` naming the file, the column and the line for: a missing or empty file, a
    missing column, an empty id, a Tc that is empty, not a plain number (``"12 K"``), not finite
    (``inf``, ``nan``) or outside 0-400 K (the range of ``tc_K`` in
    :data:`reviewlib.data.schema.QUANTITIES`), and (with ``unique``) an id given twice.
    """
    path = Path(path)
    expected = f"a CSV file with a header line naming the columns {id_column!r} and {tc_column!r} (Tc in K)"
    if not path.is_file():
        raise ValueError(f"{path}: Tc table not found; expected {expected}")
    raw, lines = read_user_csv(path, expected=expected)
    require_columns(raw, [id_column, tc_column], source=path)
    ids, values, seen = [], [], {}
    for line, ident, tc in zip(lines, raw[id_column], raw[tc_column], strict=True):
        ident = str(ident).strip()
        if not ident:
            raise ValueError(f"{path}: line {line}, column {id_column!r}: empty; every row needs an id")
        value = check_value("tc_K", tc, where=f"{path}: line {line}, column {tc_column!r} ({ident})")
        if unique and ident in seen:
            raise ValueError(
                f"{path}: line {line}, column {id_column!r}: duplicate {ident!r} "
                f"(first on line {seen[ident]})"
            )
        seen.setdefault(ident, int(line))
        ids.append(ident)
        values.append(value)
    return pd.DataFrame({"id": ids, "tc_K": values, "line": lines})
