"""Checks on hydride predictions and trends: chance levels, physical plausibility, figures of merit.

* :func:`belt_null` -- how many lability-belt elements a random ranking puts among the top k
  (hypergeometric chance level and the probability of the observed count or more).
* :func:`implausible` -- flags on predicted (Tc, pressure) of EH_n: a noble gas or halogen
  predicted at or above 150 K, and a pressure outside the training range.
* :func:`figure_of_merit` -- S = Tc / sqrt(Tc_MgB2^2 + P^2) (Pickard, Errea and Eremets 2020),
  high for a high Tc at a low pressure.
* :func:`small_groups` -- the groups with fewer rows than a threshold, to flag in a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

#: Tc (K) of MgB2, the yardstick of the figure of merit S
TC_MGB2_K = 39.0
#: a noble gas or halogen partner predicted at or above this Tc (K) is flagged as implausible
IMPLAUSIBLE_TC_K = 150.0


def belt_null(*, ranked: Sequence[str], belt: Iterable[str], k: int) -> dict:
    """Chance level of "belt elements among the top ``k``" for a random ranking of ``ranked``.

    ``ranked`` are the candidate elements (best first). Under a random ranking the number of
    belt elements among the first ``k`` is hypergeometric. Returns ``observed``, ``expected``
    (the chance level), ``p_value`` (probability of ``observed`` or more by chance), ``n`` (the
    candidates) and ``n_belt`` (belt elements among them).
    """
    from scipy.stats import hypergeom

    ranked = list(ranked)
    belt = set(belt)
    if not 1 <= k <= len(ranked):
        raise ValueError(f"k must be 1-{len(ranked)}, got {k}")
    n_belt = sum(el in belt for el in ranked)
    observed = sum(el in belt for el in ranked[:k])
    dist = hypergeom(len(ranked), n_belt, k)
    return {
        "observed": int(observed),
        "expected": float(dist.mean()),
        "p_value": float(dist.sf(observed - 1)),
        "n": len(ranked),
        "n_belt": int(n_belt),
    }


def implausible(
    *, elements: Sequence[str], tc_K, pressure_GPa, train_pressure_GPa: tuple[float, float]
) -> pd.DataFrame:
    """Flags for predicted binary hydrides EH_n (one row per prediction).

    Columns: ``noble_gas_or_halogen_high_tc`` (E is a noble gas or a halogen and the predicted
    Tc >= :data:`IMPLAUSIBLE_TC_K`: no such hydride is known to be a high-Tc superconductor),
    ``pressure_outside_training`` (the predicted pressure lies outside ``train_pressure_GPa``,
    (min, max) of the training data: an extrapolation) and ``flag`` (either, as text; "" when
    none).
    """
    from pymatgen.core import Element

    kinds = {el: Element(el).is_noble_gas or Element(el).is_halogen for el in set(elements)}
    tc = np.asarray(tc_K, dtype=float)
    p = np.asarray(pressure_GPa, dtype=float)
    lo, hi = train_pressure_GPa
    gas = np.array([kinds[e] for e in elements]) & (tc >= IMPLAUSIBLE_TC_K)
    outside = (p < lo) | (p > hi)
    text = np.where(gas, f"noble gas/halogen at >= {IMPLAUSIBLE_TC_K:.0f} K", "")
    text = [
        "; ".join(t for t in (a, "pressure outside training range" if b else "") if t)
        for a, b in zip(text, outside, strict=True)
    ]
    return pd.DataFrame(
        {"noble_gas_or_halogen_high_tc": gas, "pressure_outside_training": outside, "flag": text}
    )


def figure_of_merit(*, tc_K, pressure_GPa) -> np.ndarray:
    """S = Tc / sqrt(Tc_MgB2^2 + P^2), Tc in K and P in GPa read as numbers (Pickard, Errea and
    Eremets, Annu. Rev. Condens. Matter Phys. 11, 57 (2020)): S = 1 for MgB2 at ambient pressure;
    a higher S is a higher Tc at a lower pressure. Negative Tc or P are clipped to 0.
    """
    tc = np.clip(np.asarray(tc_K, dtype=float), 0, None)
    p = np.clip(np.asarray(pressure_GPa, dtype=float), 0, None)
    return tc / np.sqrt(TC_MGB2_K**2 + p**2)


def small_groups(labels: Iterable, *, minimum: int = 3) -> pd.Series:
    """Row counts of the groups with fewer than ``minimum`` rows (empty when none)."""
    counts = pd.Series(list(labels), dtype=object).value_counts()
    return counts[counts < minimum]
