"""A straight line Tc = a x + b and correlations, with cluster-bootstrap intervals and a chance level.

For descriptor fits on a few dozen compounds (Belli et al.'s Tc = 750 Phi_DOS - 85 K): the
coefficients of a least-squares (``ols``) or Theil-Sen (``theil-sen``, the median of pairwise
slopes, robust to outliers) line; correlation coefficients; the paired difference of two
descriptors' |r| on the same resamples; and a permutation p-value (the chance level of a
correlation). With ``groups`` (e.g. chemical systems) every resample draws whole groups, so
polymorphs of one system move together; the resamples come from the core's
:func:`reviewlib.evaluation.bootstrap.cluster_resample_indices` (groups coded in sorted label
order; without ``groups`` every point is its own group, a row bootstrap).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from reviewlib.evaluation.bootstrap import cluster_resample_indices

METHODS = ("ols", "theil-sen")
KINDS = ("pearson", "spearman")


def _arrays(x, y, groups, *, where: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"{where}: x and y must be 1-d arrays of equal length, got {x.shape} and {y.shape}")
    if len(x) < 3:
        raise ValueError(f"{where}: needs at least 3 points, got {len(x)}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError(f"{where}: x and y must be finite")
    g = np.arange(len(x)) if groups is None else np.unique(np.asarray(groups), return_inverse=True)[1]
    if len(g) != len(x):
        raise ValueError(f"{where}: groups must have one label per point")
    return x, y, g


def _line(x, y, method: str) -> tuple[float, float]:
    if method == "ols":
        dx = x - x.mean()
        slope = float(dx @ (y - y.mean()) / (dx @ dx))
        intercept = float(y.mean() - slope * x.mean())
    else:
        slope, intercept, _, _ = stats.theilslopes(y, x)
    return float(slope), float(intercept)


def line_fit(
    x, y, *, method: str = "ols", groups=None, n_boot: int = 2000, seed: int, level: float = 0.95
) -> dict[str, float]:
    """``{"slope", "intercept", "slope_low", "slope_high", "intercept_low", "intercept_high", "n_boot"}``.

    Percentile intervals over ``n_boot`` (cluster-)bootstrap resamples; resamples in which x has no
    spread are dropped (``n_boot`` reports how many were kept).
    """
    if method not in METHODS:
        raise ValueError(f"line_fit: method {method!r} is not one of {list(METHODS)}")
    x, y, g = _arrays(x, y, groups, where="line_fit")
    slope, intercept = _line(x, y, method)
    resamples = cluster_resample_indices(g, n_boot=n_boot, rng=np.random.default_rng(seed))
    coefs = [_line(x[i], y[i], method) for i in resamples if np.ptp(x[i]) > 0]
    c = np.array(coefs)
    q = [50 * (1 - level), 50 * (1 + level)]
    (s_lo, s_hi), (i_lo, i_hi) = np.percentile(c[:, 0], q), np.percentile(c[:, 1], q)
    return {
        "slope": slope,
        "intercept": intercept,
        "slope_low": float(s_lo),
        "slope_high": float(s_hi),
        "intercept_low": float(i_lo),
        "intercept_high": float(i_hi),
        "n_boot": len(c),
    }


def _r(x, y, kind: str) -> float:
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return np.nan
    return float(stats.pearsonr(x, y).statistic if kind == "pearson" else stats.spearmanr(x, y).statistic)


def correlation(
    x, y, *, kind: str = "pearson", groups=None, n_boot: int = 2000, seed: int, level: float = 0.95
) -> dict[str, float]:
    """``{"value", "low", "high"}``: the correlation coefficient and its (cluster-)bootstrap interval
    (all NaN when x or y is constant: no correlation is defined).
    """
    if kind not in KINDS:
        raise ValueError(f"correlation: kind {kind!r} is not one of {list(KINDS)}")
    x, y, g = _arrays(x, y, groups, where="correlation")
    if np.ptp(x) == 0 or np.ptp(y) == 0:  # a constant has no correlation: NaN, said once
        return {"value": np.nan, "low": np.nan, "high": np.nan}
    resamples = cluster_resample_indices(g, n_boot=n_boot, rng=np.random.default_rng(seed))
    boot = np.array([_r(x[i], y[i], kind) for i in resamples])
    low, high = np.nanpercentile(boot, [50 * (1 - level), 50 * (1 + level)])
    return {"value": _r(x, y, kind), "low": float(low), "high": float(high)}


def paired_correlation_difference(
    x_a, x_b, y, *, kind: str = "pearson", groups=None, n_boot: int = 2000, seed: int, level: float = 0.95
) -> dict[str, float]:
    """``{"diff", "low", "high"}``: |r(x_a, y)| - |r(x_b, y)| on the same resamples.

    An interval that contains 0 is a tie: the data do not say which descriptor correlates better.
    """
    if kind not in KINDS:
        raise ValueError(f"paired_correlation_difference: kind {kind!r} is not one of {list(KINDS)}")
    x_a, y, g = _arrays(x_a, y, groups, where="paired_correlation_difference")
    x_b = _arrays(x_b, y, groups, where="paired_correlation_difference")[0]
    resamples = cluster_resample_indices(g, n_boot=n_boot, rng=np.random.default_rng(seed))
    boot = np.array([abs(_r(x_a[i], y[i], kind)) - abs(_r(x_b[i], y[i], kind)) for i in resamples])
    low, high = np.nanpercentile(boot, [50 * (1 - level), 50 * (1 + level)])
    return {"diff": abs(_r(x_a, y, kind)) - abs(_r(x_b, y, kind)), "low": float(low), "high": float(high)}


def permutation_p(x, y, *, kind: str = "pearson", groups=None, n_perm: int = 2000, seed: int) -> float:
    """Chance level of a correlation: the share of y-permutations with |r| at least the observed one
    (with the observed itself counted, so never 0; the smallest possible value is 1 / (n_perm + 1)).

    With ``groups`` the test runs on group means (one point per group), so polymorphs of one
    chemical system are not counted as independent evidence.
    """
    x, y, g = _arrays(x, y, groups, where="permutation_p")
    if groups is not None:
        n_g = g.max() + 1
        counts = np.bincount(g, minlength=n_g)
        x = np.bincount(g, weights=x, minlength=n_g) / counts
        y = np.bincount(g, weights=y, minlength=n_g) / counts
        if len(x) < 3:
            raise ValueError("permutation_p: needs at least 3 groups")
    observed = abs(_r(x, y, kind))
    rng = np.random.default_rng(seed)
    hits = sum(abs(_r(x, rng.permutation(y), kind)) >= observed - 1e-12 for _ in range(n_perm))
    return (hits + 1) / (n_perm + 1)
