"""The coupling and Tc stages of the review's Fig. 1 pipeline, each with its predictive distribution.

Three :class:`~reviewlib.pipeline.uncertainty.IntervalModel` s on the same features:
``log lambda``, ``log omega_log`` (K) and ``log(1 + Tc)`` (K) (logs keep draws positive and
tame the skew). :meth:`CouplingTc.draws` gives Monte Carlo draws of

* **chained** Tc: lambda and omega_log drawn from their predictive distributions (independently:
  the correlation of their errors is ignored), mu* uniform over ``mu_star_range`` (0.10-0.13, the
  usual range; the review gives no value), Tc from Allen-Dynes (review Eq. 4, f2 = 1) through
  :func:`reviewlib.epc_models.chained_tc`;
* **direct** Tc: drawn from the direct model;
* **ensemble**: the equal mixture of both (half the draws each).

:func:`summarise` turns draws into medians and 68 % / 95 % central intervals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reviewlib.pipeline.uncertainty import IntervalModel

TARGETS = ("lambda", "omega_log_K", "tc_K")
ROUTES = ("chained", "direct", "ensemble")
MU_STAR_RANGE = (0.10, 0.13)


def to_model_space(target: str, values) -> np.ndarray:
    """The transform each target is learned in (log for lambda and omega_log, log1p for Tc)."""
    v = np.asarray(values, dtype=float)
    if target == "tc_K":
        return np.log1p(np.clip(v, 0.0, None))
    if target in ("lambda", "omega_log_K"):
        return np.log(np.clip(v, 1e-3, None))
    raise ValueError(f"unknown target {target!r}; choose from {TARGETS}")


def from_model_space(target: str, values) -> np.ndarray:
    """Inverse of :func:`to_model_space`."""
    v = np.asarray(values, dtype=float)
    return np.expm1(v).clip(0.0, None) if target == "tc_K" else np.exp(v)


@dataclass
class CouplingTc:
    """lambda, omega_log and Tc models (fit with :meth:`fit`; swap ``kind`` for another base model)."""

    kind: str = "xgb"
    rounds: int = 300
    seed: int = 0
    mu_star_range: tuple[float, float] = MU_STAR_RANGE
    models: dict[str, IntervalModel] = field(default_factory=dict)

    def fit(self, X, frame: pd.DataFrame, *, groups=None) -> CouplingTc:
        """``frame`` has columns ``lambda``, ``omega_log_K`` (K) and ``tc_K`` (K), row-aligned with X."""
        missing = [t for t in TARGETS if t not in frame.columns]
        if missing:
            raise ValueError(f"CouplingTc.fit: frame lacks columns {missing}")
        for t in TARGETS:
            self.models[t] = IntervalModel(kind=self.kind, rounds=self.rounds, seed=self.seed).fit(
                X, to_model_space(t, frame[t]), groups=groups
            )
        return self

    def draws(self, X, *, n_draws: int = 200, seed: int = 0) -> dict[str, np.ndarray]:
        """Draws (n, n_draws) of ``lambda``, ``omega_log_K`` (K), ``mu_star`` and of Tc (K) for
        each route in :data:`ROUTES` (``tc_chained_K``, ``tc_direct_K``, ``tc_ensemble_K``).
        """
        if not self.models:
            raise RuntimeError("CouplingTc is not fitted")
        rng = np.random.default_rng(seed)
        X = np.asarray(X, dtype=float)
        out = {t: from_model_space(t, self.models[t].sample(X, n_draws=n_draws, rng=rng)) for t in TARGETS}
        lo, hi = self.mu_star_range
        out["mu_star"] = rng.uniform(lo, hi, size=out["lambda"].shape)
        from reviewlib.epc_models import chained_tc

        chained = chained_tc(
            out["lambda"].ravel(), omega_log_K=out["omega_log_K"].ravel(), mu_star=out["mu_star"].ravel()
        ).reshape(out["lambda"].shape)
        direct = out.pop("tc_K")
        half = n_draws // 2
        out["tc_chained_K"] = chained
        out["tc_direct_K"] = direct
        out["tc_ensemble_K"] = np.concatenate([chained[:, :half], direct[:, half:]], axis=1)
        return out


def summarise(draws: dict[str, np.ndarray]) -> pd.DataFrame:
    """Median and 68 % / 95 % central intervals of every drawn quantity, one row per input.

    Columns ``<q>_median``, ``<q>_lo68``, ``<q>_hi68``, ``<q>_lo95``, ``<q>_hi95`` for ``q`` in
    ``lambda``, ``omega_log_K``, ``tc_chained_K``, ``tc_direct_K``, ``tc_ensemble_K``.
    """
    cols = {}
    for q in ("lambda", "omega_log_K", "tc_chained_K", "tc_direct_K", "tc_ensemble_K"):
        p = np.percentile(draws[q], [2.5, 16, 50, 84, 97.5], axis=1)
        for name, row in zip(("lo95", "lo68", "median", "hi68", "hi95"), p, strict=True):
            cols[f"{q}_{name}"] = row
    return pd.DataFrame(cols)
