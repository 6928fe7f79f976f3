"""De-duplication of hydride Tc tables and grouped splits by compound.

The Osaka hydride table lists the same compound at the same pressure once per mu* and once per
source paper. :func:`deduplicate` keeps one row per (compound, space group, pressure):

1. **mu***: with ``mu_star="closest"`` only the rows whose mu* is closest to
   ``reference_mu_star`` (0.10, the most common value) are kept (rows without mu* only when no
   row of the group has one); with ``mu_star="keep"`` mu* is part of the key (one row per mu*),
   for models that take mu* as an input.
2. **source papers**: Tc (and lambda, omega_log) of the remaining rows are averaged (mean); the
   other columns come from the first of them. ``n_merged`` counts the rows of the group,
   ``n_sources`` the distinct references among the rows kept.

:func:`compound_groups` (from :mod:`reviewlib.evaluation.groups`) gives the group label per row
for a grouped split (reduced formula: ``SH3`` and ``S2H6`` are one compound), so no compound is
in both training and test sets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# compound_groups is the evaluation core's group label (re-exported: notebook 05 uses HY.compound_groups)
from reviewlib.evaluation.groups import compound_groups

__all__ = ["MU_STAR_POLICIES", "compound_groups", "deduplicate"]

MU_STAR_POLICIES = ("closest", "keep")


def deduplicate(
    *, frame: pd.DataFrame, mu_star: str = "closest", reference_mu_star: float = 0.10
) -> pd.DataFrame:
    """One row per (compound, space group, pressure[, mu*]); see the module docstring.

    ``frame`` needs ``formula``, ``pressure_GPa``, ``tc_K``; ``space_group``, ``mu_star``,
    ``reference``, ``lambda``, ``omega_log_K`` are used when present. Returns a new frame (index
    reset) with the added columns ``compound``, ``n_merged`` and ``n_sources``.
    """
    if mu_star not in MU_STAR_POLICIES:
        raise ValueError(f"mu_star must be one of {MU_STAR_POLICIES}, got {mu_star!r}")
    missing = [c for c in ("formula", "pressure_GPa", "tc_K") if c not in frame.columns]
    if missing:
        raise ValueError(f"deduplicate: frame lacks columns {missing}")
    df = frame.copy().reset_index(drop=True)
    df["compound"] = compound_groups(formulas=df["formula"])
    sg = df["space_group"] if "space_group" in df.columns else pd.Series(pd.NA, index=df.index)
    df["_sg"] = pd.to_numeric(sg, errors="coerce").fillna(-1).astype(int)
    df["_p"] = df["pressure_GPa"].astype(float).round(1)
    mu = df["mu_star"].astype(float) if "mu_star" in df.columns else pd.Series(np.nan, index=df.index)
    df["_mu"] = mu.round(3).fillna(-1.0)
    key = ["compound", "_sg", "_p"]
    df["n_merged"] = df.groupby(key)["tc_K"].transform("size").astype(int)
    if mu_star == "closest":
        dist = (mu - reference_mu_star).abs().fillna(np.inf)
        df["_dist"] = dist
        best = df.groupby(key)["_dist"].transform("min")
        df = df[df["_dist"] == best].drop(columns="_dist")
    else:
        key = [*key, "_mu"]
    ref = df["reference"] if "reference" in df.columns else pd.Series("", index=df.index)
    df = df.assign(_ref=ref.astype(str))
    means = [c for c in ("tc_K", "lambda", "omega_log_K", "mu_star") if c in df.columns]
    grouped = df.groupby(key, sort=False)
    first = grouped.first()
    averaged = grouped[means].mean()
    out = first.copy()
    out[means] = averaged
    out["n_sources"] = grouped["_ref"].nunique().astype(int)
    out = out.reset_index().drop(columns=["_sg", "_p", "_mu", "_ref"], errors="ignore")
    return out.reset_index(drop=True)
