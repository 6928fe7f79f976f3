"""Small reference tables for checking Tc formulas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewlib.data._util import require_columns
from reviewlib.data.registry import fetch


def load_allen_dynes(path: str | Path | None = None) -> pd.DataFrame:
    """The 43-material Allen & Dynes (1975) set, via Xie et al. (2019).

    Columns: ``material``, ``tc_K`` (experimental Tc, K), ``omega_log_K`` (K), ``lambda``,
    ``mu_star``. ``path`` reads a user's CSV with the upstream columns ``material,t_c,w,l,m``.
    """
    src = Path(path) if path is not None else fetch("allen_dynes_43", progress=False)
    raw = pd.read_csv(src)
    require_columns(raw, ["material", "t_c", "w", "l", "m"], source=src)
    return raw.rename(columns={"t_c": "tc_K", "w": "omega_log_K", "l": "lambda", "m": "mu_star"})[
        ["material", "tc_K", "omega_log_K", "lambda", "mu_star"]
    ]
