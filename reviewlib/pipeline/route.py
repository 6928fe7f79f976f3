"""The coupling and Tc stages of the review's Fig. 1 pipeline, each with its predictive distribution.

Three :class:`~reviewlib.pipeline.uncertainty.IntervalModel` s on the same features:
``log lambda``, ``log omega_log`` (K) and ``log(1 + Tc)`` (K) (logs keep draws positive and
tame the skew). :meth:`CouplingTc.draws` gives Monte Carlo draws of

* **chained** Tc: lambda and omega_log drawn *jointly* from their predictive distributions
  (a Gaussian copula whose correlation ``rho`` is that of the normal scores of the two models'
  grouped out-of-fold normalised residuals, :func:`copula_rho`; ``correlated=False`` draws them
  independently), mu* uniform over ``mu_star_range`` (0.10-0.13, the usual range; the review
  gives no value), Tc from Allen-Dynes (review Eq. 4, f2 = 1) through
  :func:`reviewlib.epc_models.chained_tc`;
* **direct** Tc: drawn from the direct model;
* **ensemble**: the equal mixture of both (half the draws each).

:func:`summarise` turns draws into medians and 68 % / 95 % central intervals.
:func:`eliashberg_route` is the stage for a candidate whose alpha2F is known (a DFPT spectrum):
lambda and omega_log from the spectrum and the isotropic Eliashberg Tc over the mu* range.
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
    rho: float = 0.0  # copula correlation of the lambda and omega_log errors (set by fit)
    correlated: bool = True  # draw lambda and omega_log jointly (False: independently)

    def fit(self, X, frame: pd.DataFrame, *, groups=None) -> CouplingTc:
        """``frame`` has columns ``lambda``, ``omega_log_K`` (K) and ``tc_K`` (K), row-aligned with X."""
        missing = [t for t in TARGETS if t not in frame.columns]
        if missing:
            raise ValueError(f"CouplingTc.fit: frame lacks columns {missing}")
        for t in TARGETS:
            self.models[t] = IntervalModel(kind=self.kind, rounds=self.rounds, seed=self.seed).fit(
                X, to_model_space(t, frame[t]), groups=groups
            )
        self.rho = copula_rho(self.models["lambda"].oof_score, self.models["omega_log_K"].oof_score)
        return self

    def draws(self, X, *, n_draws: int = 200, seed: int = 0) -> dict[str, np.ndarray]:
        """Draws (n, n_draws) of ``lambda``, ``omega_log_K`` (K), ``mu_star`` and of Tc (K) for
        each route in :data:`ROUTES` (``tc_chained_K``, ``tc_direct_K``, ``tc_ensemble_K``).
        """
        if not self.models:
            raise RuntimeError("CouplingTc is not fitted")
        rng = np.random.default_rng(seed)
        X = np.asarray(X, dtype=float)
        n = len(X)
        if self.correlated and self.rho != 0.0:
            from scipy.stats import norm

            z1 = rng.standard_normal((n, n_draws))
            z2 = self.rho * z1 + np.sqrt(1 - self.rho**2) * rng.standard_normal((n, n_draws))
            u = {"lambda": norm.cdf(z1), "omega_log_K": norm.cdf(z2), "tc_K": None}
        else:
            u = dict.fromkeys(TARGETS)
        out = {
            t: from_model_space(t, self.models[t].sample(X, n_draws=n_draws, rng=rng, u=u[t]))
            for t in TARGETS
        }
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


def copula_rho(a, b) -> float:
    """Gaussian-copula correlation of two error samples: the Pearson correlation of their normal
    scores (ranks mapped through the normal quantile function), clipped to [-0.99, 0.99].
    0 when either sample is missing or constant.
    """
    from scipy.stats import norm, rankdata

    if a is None or b is None:
        return 0.0
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    za = norm.ppf(rankdata(a) / (len(a) + 1))
    zb = norm.ppf(rankdata(b) / (len(b) + 1))
    return float(np.clip(np.corrcoef(za, zb)[0, 1], -0.99, 0.99))


def eliashberg_route(spectrum, *, mu_star_range: tuple[float, float] = MU_STAR_RANGE, n_mu: int = 3) -> dict:
    """The Tc stage for a known alpha2F (:class:`reviewlib.tc.eliashberg.Spectrum` or a file that
    :func:`reviewlib.tc.spectra_io.read_a2f` reads): lambda and omega_log (K) from the spectrum,
    the isotropic Migdal-Eliashberg Tc (K) at ``n_mu`` mu* values evenly over ``mu_star_range``
    (``tc_eliashberg_K_low`` at the largest mu*, ``_median`` at the middle, ``_high`` at the
    smallest) and Allen-Dynes (f2 = 1) at the middle mu* for comparison.
    """
    from reviewlib.tc.eliashberg import Spectrum, eliashberg_tc
    from reviewlib.tc.formulas import allen_dynes_tc

    if not isinstance(spectrum, Spectrum):
        from reviewlib.tc.spectra_io import read_a2f

        spectrum = read_a2f(spectrum)
    if n_mu < 1:
        raise ValueError(f"n_mu must be >= 1, got {n_mu}")
    lo, hi = mu_star_range
    mus = np.linspace(lo, hi, n_mu) if n_mu > 1 else np.array([(lo + hi) / 2])
    tcs = np.array([eliashberg_tc(spectrum, mu_star=float(m)) for m in mus])
    mid = float(np.median(mus))
    return {
        "lambda_a2f": float(spectrum.lam),
        "omega_log_a2f_K": float(spectrum.omega_log_K),
        "tc_eliashberg_K_low": float(tcs.min()),
        "tc_eliashberg_K_median": float(np.median(tcs)),
        "tc_eliashberg_K_high": float(tcs.max()),
        "tc_allen_dynes_a2f_K": float(
            allen_dynes_tc(spectrum.lam, omega_log_K=spectrum.omega_log_K, omega_2_K=None, mu_star=mid)
        ),
        "mu_star_values": ",".join(f"{m:.3f}" for m in mus),
    }


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
