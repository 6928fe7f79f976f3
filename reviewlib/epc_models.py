"""Models of electron-phonon quantities: GPR with calibrated intervals, chained Tc, bootstrap errors.

- :func:`make_gpr`: scikit-learn Gaussian process regression (scaled inputs, Matern-5/2 kernel
  with one length scale per feature, plus a white-noise term for label noise).
- :func:`interval_coverage`: fraction of held-out targets inside the central 68 % / 95 %
  Gaussian predictive intervals (a calibrated model gives about 0.68 / 0.95).
- :func:`chained_tc`: Tc in K from predicted ``lambda`` and ``omega_log`` (Allen-Dynes with
  f2 = 1, or McMillan in its omega_log/1.20 form), with unphysical predictions clipped.
- :func:`bootstrap_metric`, :func:`paired_bootstrap_difference`: percentile bootstrap intervals
  of a test-set error and of the MAE difference between two models on the same test set;
  re-exports of :func:`reviewlib.evaluation.bootstrap_metric` and
  :func:`reviewlib.evaluation.paired_bootstrap` (chapters 07-09 and 13 call them as ``E.*``).
- :func:`baseline_predictions`: the trivial model (training mean or median) every table shows;
  a re-export of :func:`reviewlib.evaluation.baseline_predictions`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

# the evaluation core's bootstrap, paired difference and baseline, re-exported for notebooks 07-09, 13
from reviewlib.evaluation import baseline_predictions, bootstrap_metric, regression_metrics
from reviewlib.evaluation import paired_bootstrap as paired_bootstrap_difference

__all__ = [
    "baseline_predictions",
    "bootstrap_metric",
    "chained_tc",
    "gpr_predict",
    "interval_coverage",
    "make_gpr",
    "paired_bootstrap_difference",
    "regression_metrics",
]


def make_gpr(*, n_features: int, seed: int, ard: bool = True, n_restarts: int = 0):
    """A GPR pipeline: ``StandardScaler`` -> GPR(C * Matern(nu=2.5) + White), ``normalize_y``.

    Matern 5/2 instead of the squared exponential because the targets are not infinitely smooth
    in the descriptors (twice differentiable is the usual assumption for materials properties);
    ``ard`` gives one length scale per feature (automatic relevance determination), so irrelevant
    descriptors get long length scales; the white-noise term absorbs DFT label noise and
    duplicate descriptors with different labels. Hyper-parameters by maximum marginal likelihood.
    """
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if n_features < 1:
        raise ValueError(f"n_features must be >= 1, got {n_features}")
    length = np.ones(n_features) * np.sqrt(n_features) if ard else np.sqrt(n_features)
    kernel = ConstantKernel(1.0, (1e-2, 1e2)) * Matern(
        length_scale=length, length_scale_bounds=(1e-2, 1e4), nu=2.5
    ) + WhiteKernel(0.1, (1e-5, 1e1))
    gpr = GaussianProcessRegressor(
        kernel=kernel, normalize_y=True, n_restarts_optimizer=n_restarts, random_state=seed
    )
    return make_pipeline(StandardScaler(), gpr)


def gpr_predict(model, X) -> tuple[np.ndarray, np.ndarray]:
    """Predictive mean and standard deviation (unit of the target) of a fitted :func:`make_gpr`."""
    mean, std = model.predict(np.asarray(X, dtype=float), return_std=True)
    return np.asarray(mean, dtype=float), np.asarray(std, dtype=float)


def interval_coverage(y_true, mean, std, *, levels=(0.68, 0.95)) -> dict[str, float]:
    """Fraction of ``y_true`` inside ``mean ± z std`` for each central level (Gaussian z).

    Keys ``"68%"``, ``"95%"`` (rounded level); a calibrated model gives values near the levels.
    """
    from scipy.stats import norm

    y_true, mean, std = (np.asarray(a, dtype=float) for a in (y_true, mean, std))
    if not (y_true.shape == mean.shape == std.shape) or y_true.ndim != 1:
        raise ValueError(f"shapes differ: y {y_true.shape}, mean {mean.shape}, std {std.shape}")
    if (std < 0).any() or not np.isfinite(np.concatenate([y_true, mean, std])).all():
        raise ValueError("interval_coverage: std must be finite and >= 0, values finite")
    out = {}
    for level in levels:
        if not 0 < level < 1:
            raise ValueError(f"levels must lie in (0, 1), got {level}")
        z = norm.ppf(0.5 + level / 2)
        out[f"{round(100 * level)}%"] = float(np.mean(np.abs(y_true - mean) <= z * std))
    return out


def chained_tc(
    lam,
    *,
    omega_log_K,
    mu_star: float = 0.10,
    formula: Literal["allen_dynes", "mcmillan"] = "allen_dynes",
) -> np.ndarray:
    """Tc in K from (predicted) ``lam`` and ``omega_log_K`` (K).

    ``allen_dynes``: review Eq. 4 with f2 = 1 (omega_2 is not predicted); ``mcmillan``: the
    omega_log/1.20 form (Eq. 4 with f1 = f2 = 1), as Tran & Vu used. Predictions below the
    physical range are clipped (lambda >= 0, omega_log >= 1 K); lambda <= mu*(1 + 0.62 lambda)
    gives Tc = 0.
    """
    from reviewlib import tc

    lam = np.clip(np.asarray(lam, dtype=float), 0.0, None)
    wlog = np.clip(np.asarray(omega_log_K, dtype=float), 1.0, None)
    if lam.shape != wlog.shape:
        raise ValueError(f"lam {lam.shape} and omega_log_K {wlog.shape} differ in shape")
    if formula == "allen_dynes":
        out = tc.allen_dynes_tc(lam, omega_log_K=wlog, omega_2_K=None, mu_star=mu_star)
    elif formula == "mcmillan":
        out = tc.mcmillan_wlog_tc(lam, omega_log_K=wlog, mu_star=mu_star)
    else:
        raise ValueError(f"formula must be 'allen_dynes' or 'mcmillan', got {formula!r}")
    return np.atleast_1d(np.asarray(out, dtype=float)).reshape(lam.shape)
