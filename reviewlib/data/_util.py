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
