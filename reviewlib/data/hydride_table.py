"""A user's own table of hydrides (formula, pressure in GPa, Tc in K), checked row by row."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from reviewlib.chem import parse_formula
from reviewlib.data._util import read_user_csv
from reviewlib.data.schema import QUANTITIES, RangeError, check_value

OPTIONAL = ("space_group", "mu_star")


def load_user_hydrides(
    path: str | Path,
    *,
    formula_column: str = "formula",
    pressure_column: str = "pressure_GPa",
    tc_column: str = "tc_K",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a CSV of hydrides; returns ``(frame, skipped)``.

    ``frame``: ``formula``, ``pressure_GPa`` (GPa), ``tc_K`` (K), ``elements``, ``n_elements``,
    ``partner`` (non-H element of a binary, else None), plus ``space_group`` (Int64; a number or
    a Hermann-Mauguin symbol such as ``Fm-3m`` in the CSV) and ``mu_star`` when the CSV has them
    (blank = unknown, <NA>/NaN).

    Every numeric value is checked against its physical range in
    :data:`reviewlib.data.schema.QUANTITIES` (pressure 0-600 GPa, Tc 0-400 K, mu* 0-0.3, space
    group 1-230). A row with an unparseable formula, an unknown element, no hydrogen, a missing
    pressure or Tc, or a numeric cell that is not a number or is outside its range goes to
    ``skipped`` (columns ``line``, ``formula``, ``reason``; the reason names the file, the line
    as an editor shows it, blank lines counted, the column and the fix), never silently dropped
    or turned into NaN. ``ValueError`` naming the file when it is missing or empty, lacks a
    column, has no usable row, or when more than half of a column's numbers lie above its range:
    the column is then in another unit (kbar for GPa) and skipping those rows would keep the
    others with the wrong unit.
    """
    src = Path(path)
    expected = "a CSV with columns formula, pressure_GPa (GPa), tc_K (K), optionally space_group and mu_star"
    if not src.is_file():
        raise ValueError(f"{src}: hydride table not found (give {expected})")
    table, lines = read_user_csv(src, expected=expected)
    need = [formula_column, pressure_column, tc_column]
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise ValueError(
            f"{src}: missing column(s) {missing}; found {list(table.columns)} "
            "(rename them or pass formula_column/pressure_column/tc_column)"
        )
    numeric = {"pressure_GPa": pressure_column, "tc_K": tc_column}
    numeric.update({col: col for col in OPTIONAL if col in table.columns})
    above: dict[str, list[tuple[int, str]]] = {q: [] for q in numeric}
    n_numbers = dict.fromkeys(numeric, 0)
    rows, skipped = [], []
    for line, rec in zip(lines, table.to_dict("records"), strict=True):
        formula = str(rec[formula_column]).strip()
        where = f"{src}: line {line}"
        values, problems = {}, []
        for quantity, column in numeric.items():
            text = str(rec[column]).strip()
            if quantity in OPTIONAL and not text:
                values[quantity] = math.nan  # blank: unknown
                continue
            try:
                values[quantity] = check_value(quantity, text, where=f"{where}, column {column!r}")
            except RangeError as exc:  # a number, outside the range
                problems.append(str(exc))
                n_numbers[quantity] += 1
                if exc.side == "above":
                    above[quantity].append((line, text))
            except ValueError as exc:  # empty, not a number, not finite, not whole
                problems.append(str(exc))
            else:
                n_numbers[quantity] += 1
        try:
            comp = parse_formula(formula, where=where)
        except ValueError as exc:
            skipped.append({"line": line, "formula": formula, "reason": str(exc)})
            continue
        elements = sorted(el.symbol for el in comp.elements)
        if "H" not in elements:
            problems.insert(0, f"{where}: {formula!r} holds no hydrogen")
        elif len(elements) < 2:
            problems.insert(0, f"{where}: {formula!r} is pure hydrogen, not a hydride")
        if problems:
            skipped.append({"line": line, "formula": formula, "reason": "; ".join(problems)})
            continue
        row = {"formula": formula, "pressure_GPa": values["pressure_GPa"], "tc_K": values["tc_K"]}
        row["elements"] = tuple(elements)
        row["n_elements"] = len(elements)
        row["partner"] = next(el for el in elements if el != "H") if len(elements) == 2 else None
        for col in OPTIONAL:
            if col in values:
                row[col] = values[col]
        rows.append(row)
    for quantity, hits in above.items():
        if hits and 2 * len(hits) > n_numbers[quantity]:
            q = QUANTITIES[quantity]
            first = ", ".join(f"line {ln}: {text}" for ln, text in hits[:3])
            raise ValueError(
                f"{src}: column {numeric[quantity]!r}: {len(hits)} of {n_numbers[quantity]} values are above "
                f"{q.range_text} ({first}); {q.above} (most of the column is out of range, so it looks like "
                "another unit: fix every value, not only these rows)"
            )
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
