"""Bring your own structures: a folder of CIFs plus an optional CSV of Tc values.

>>> frame, skipped = load_structure_folder("my_cifs/", "my_cifs/tc.csv")  # doctest: +SKIP
>>> X = soap_features(frame["structure"])                                 # doctest: +SKIP

Files that cannot be used (malformed CIF, unknown element, no Tc row) are not fatal: they are
listed in ``skipped`` with a reason naming the file. Problems with the CSV itself (missing
column, duplicate id, a Tc that is not a non-negative number) raise ``ValueError``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from reviewlib.data._util import require_columns
from reviewlib.structures import StructureReadError, read_cif


def _try_read(path: Path):
    try:
        return read_cif(path), ""
    except StructureReadError as exc:
        return None, str(exc)


def _read_tc_table(tc_csv: Path, id_column: str, tc_column: str) -> dict[str, float]:
    if not tc_csv.is_file():
        raise ValueError(f"{tc_csv}: Tc table not found")
    table = pd.read_csv(tc_csv, dtype={id_column: str})
    require_columns(table, [id_column, tc_column], source=tc_csv)
    out: dict[str, float] = {}
    for row, (ident, tc) in enumerate(zip(table[id_column], table[tc_column], strict=True), start=2):
        if not isinstance(ident, str) or not ident.strip():
            raise ValueError(f"{tc_csv}: line {row}: empty {id_column!r}")
        ident = ident.strip()
        try:
            value = float(tc)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value < 0:
            raise ValueError(
                f"{tc_csv}: line {row} ({ident}): {tc_column}={tc!r} is not a non-negative number (K)"
            )
        key = ident[:-4] if ident.lower().endswith(".cif") else ident
        if key in out:
            raise ValueError(f"{tc_csv}: duplicate {id_column} {ident!r}")
        out[key] = value
    return out


def load_structure_folder(
    cif_dir: str | Path,
    tc_csv: str | Path | None = None,
    *,
    id_column: str = "file",
    tc_column: str = "tc_K",
    n_jobs: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every ``*.cif`` in ``cif_dir`` and attach Tc (K) from ``tc_csv``.

    ``tc_csv`` has one row per structure: ``id_column`` holds the CIF file name (with or without
    ``.cif``), ``tc_column`` the Tc in K. Without ``tc_csv`` every ``tc_K`` is NaN on purpose
    (structures for prediction only). Returns ``(frame, skipped)``: ``frame`` has columns
    ``file``, ``structure`` (pymatgen), ``formula`` (reduced), ``tc_K``; ``skipped`` has columns
    ``file``, ``reason``. Rows of the CSV without a CIF are listed in
    ``frame.attrs["unmatched_rows"]``. Raises ``ValueError`` when nothing usable remains.
    """
    folder = Path(cif_dir)
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a directory of CIF files")
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".cif")
    if not paths:
        raise ValueError(f"{folder}: no .cif files")
    tc_table = _read_tc_table(Path(tc_csv), id_column, tc_column) if tc_csv is not None else None

    if n_jobs == 1 or len(paths) < 50:
        results = [_try_read(p) for p in paths]
    else:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=n_jobs)(delayed(_try_read)(p) for p in paths)

    rows, skipped = [], []
    for path, (structure, error) in zip(paths, results, strict=True):
        if structure is None:
            skipped.append({"file": path.name, "reason": error})
            continue
        tc = math.nan
        if tc_table is not None:
            if path.stem not in tc_table:
                skipped.append(
                    {
                        "file": path.name,
                        "reason": f"{path}: no row with {id_column}={path.name!r} in {tc_csv}",
                    }
                )
                continue
            tc = tc_table[path.stem]
        rows.append(
            {
                "file": path.name,
                "structure": structure,
                "formula": structure.composition.reduced_formula,
                "tc_K": tc,
            }
        )
    skipped_frame = pd.DataFrame(skipped, columns=["file", "reason"])
    if not rows:
        reasons = "; ".join(skipped_frame["reason"].head(5))
        raise ValueError(f"{folder}: no usable structures ({len(skipped)} skipped: {reasons})")
    frame = pd.DataFrame(rows, columns=["file", "structure", "formula", "tc_K"])
    frame["tc_K"] = frame["tc_K"].astype(float)
    frame.attrs["source"] = str(folder)
    stems = {p.stem for p in paths}
    frame.attrs["unmatched_rows"] = sorted(set(tc_table) - stems) if tc_table is not None else []
    return frame, skipped_frame
