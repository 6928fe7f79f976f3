"""Helpers shared by the loaders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, source: str | Path) -> None:
    """Raise ``ValueError`` naming ``source`` and the missing columns, if any are missing."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{source}: missing column(s) {missing}; found {list(frame.columns)}"
        )
