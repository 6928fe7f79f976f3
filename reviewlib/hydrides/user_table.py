"""A user's own table of hydrides (formula, pressure in GPa, Tc in K), checked row by row."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from reviewlib.chem import parse_formula

OPTIONAL = ("space_group", "mu_star")


def _number(value) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def load_user_hydrides(
    path: str | Path,
    *,
    formula_column: str = "formula",
    pressure_column: str = "pressure_GPa",
    tc_column: str = "tc_K",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a CSV of hydrides; returns ``(frame, skipped)``.

    ``frame``: ``formula``, ``pressure_GPa`` (GPa), ``tc_K`` (K), ``elements``, ``n_elements``,
    ``partner`` (non-H element of a binary, else None), plus ``space_group`` and ``mu_star``
    when the CSV has them (blank = unknown). A row with an unparseable formula, an unknown
    element, no hydrogen, or a missing/negative pressure or Tc goes to ``skipped`` (columns
    ``line``, ``formula``, ``reason``), never silently dropped. ``ValueError`` naming the file
    when it is missing, lacks a column, or has no usable row.
    """
    src = Path(path)
    if not src.is_file():
        raise ValueError(
            f"{src}: hydride table not found (give a CSV with columns formula, pressure_GPa, tc_K)"
        )
    table = pd.read_csv(src, dtype=str, keep_default_na=False)
    table.columns = [c.strip() for c in table.columns]
    need = [formula_column, pressure_column, tc_column]
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise ValueError(
            f"{src}: missing column(s) {missing}; found {list(table.columns)} "
            "(rename them or pass formula_column/pressure_column/tc_column)"
        )
    rows, skipped = [], []
    for i, rec in enumerate(table.to_dict("records")):
        line = i + 2
        formula = str(rec[formula_column]).strip()
        where = f"{src}: line {line}"
        try:
            comp = parse_formula(formula, where=where)
        except ValueError as exc:
            skipped.append({"line": line, "formula": formula, "reason": str(exc)})
            continue
        elements = sorted(el.symbol for el in comp.elements)
        reason = ""
        p, tc = _number(rec[pressure_column]), _number(rec[tc_column])
        if "H" not in elements:
            reason = f"{where}: {formula!r} holds no hydrogen"
        elif len(elements) < 2:
            reason = f"{where}: {formula!r} is pure hydrogen, not a hydride"
        elif not math.isfinite(p) or p < 0:
            reason = f"{where}: {pressure_column}={rec[pressure_column]!r} is not a non-negative number (GPa)"
        elif not math.isfinite(tc) or tc < 0:
            reason = f"{where}: {tc_column}={rec[tc_column]!r} is not a non-negative number (K)"
        if reason:
            skipped.append({"line": line, "formula": formula, "reason": reason})
            continue
        row = {"formula": formula, "pressure_GPa": p, "tc_K": tc, "elements": tuple(elements)}
        row["n_elements"] = len(elements)
        row["partner"] = next(el for el in elements if el != "H") if len(elements) == 2 else None
        for col in OPTIONAL:
            if col in table.columns:
                value = _number(rec[col]) if str(rec[col]).strip() else math.nan
                row[col] = value
        rows.append(row)
    skipped_frame = pd.DataFrame(skipped, columns=["line", "formula", "reason"])
    if not rows:
        reasons = "; ".join(skipped_frame["reason"].head(3))
        raise ValueError(f"{src}: no usable row ({len(skipped)} skipped: {reasons})")
    frame = pd.DataFrame(rows)
    if "space_group" in frame.columns:
        frame["space_group"] = frame["space_group"].astype("Float64").round().astype("Int64")
    frame["reference"] = str(src)
    frame.attrs["source"] = str(src)
    return frame, skipped_frame
