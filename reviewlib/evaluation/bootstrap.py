"""One bootstrap for test-set scores: percentile intervals by rows or by groups, paired
differences, and optional seed variance.

* :func:`bootstrap_metric` -- a metric (``mae``, ``rmse``, ``r2``) and its percentile interval.
  ``groups`` resamples whole groups with replacement (cluster bootstrap: the right interval for
  a grouped split, where rows of a group are not independent); ``seed_predictions`` (one
  prediction vector per model seed) draws a seed per resample too, so the interval covers both
  the test-set sampling and the training seed.
* :func:`paired_bootstrap` -- metric(a) - metric(b) of two models on the same rows, resampling
  the same rows (or groups) for both: identical models give exactly [0, 0].
* :func:`draw_groups` -- the one draw of every bootstrap in the package: ``n_boot`` resamples
  of ``n_groups`` groups with replacement (a row bootstrap is one row per group).
* :func:`cluster_resample_indices` -- the row indices of cluster-bootstrap resamples, one
  :func:`draw_groups` per resample (for statistics that need the rows themselves: line fits,
  correlations, re-ranked top-k lists).

Every resample draws ``n_boot`` index vectors from ``numpy.random.default_rng(seed)``; the row
bootstrap without seeds reproduces the earlier ``reviewlib.models.bootstrap_metric`` and
``reviewlib.epc_models.paired_bootstrap_difference`` numbers exactly.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from reviewlib.evaluation.metrics import (
    LOWER_IS_BETTER,
    REGRESSION_METRICS,
    metric_function,
    regression_metrics,
)


def draw_groups(rng: np.random.Generator, *, n_groups: int, n_boot: int) -> np.ndarray:
    """``n_boot`` x ``n_groups`` group indices in ``[0, n_groups)``, drawn with replacement: row
    ``b`` is bootstrap resample ``b`` (``n_groups`` whole groups; for a row bootstrap, rows).

    One ``rng.integers(0, n_groups, size=(n_boot, n_groups))`` call. NumPy draws 64-bit bounded
    integers value by value from the bit generator's stream, so ``n_boot`` calls with
    ``n_boot=1`` give the same indices as one call with ``n_boot`` when nothing else draws from
    ``rng`` in between (``tests/test_evaluation.py`` checks it); every published bootstrap
    number depends on this exact sequence of draws, so change it only with a republication.
    """
    if n_groups < 1 or n_boot < 0:
        raise ValueError(f"draw_groups needs n_groups >= 1 and n_boot >= 0, got {n_groups} and {n_boot}")
    return rng.integers(0, n_groups, size=(n_boot, n_groups))


def cluster_resample_indices(codes, *, n_boot: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Row indices of ``n_boot`` cluster-bootstrap resamples, yielded one at a time.

    ``codes`` (one integer per row, ``0 .. G - 1``, every code used) names each row's group; the
    caller codes its labels (the order of the codes decides which group a drawn index names, so
    it is part of the resampling). Each resample is one :func:`draw_groups` call with
    ``n_boot=1`` and yields the rows of the drawn groups (ascending within a group) in draw
    order: a group drawn twice comes twice. The draws are lazy: resample ``b + 1`` is drawn when
    it is asked for, so a caller may draw from the same ``rng`` in between (a random
    tie-breaking permutation) and get the same numbers as drawing it inline. With no draws in
    between, the resamples are those of ``draw_groups(rng, n_groups=G, n_boot=n_boot)``.
    """
    c = np.asarray(codes)
    if c.ndim != 1 or len(c) == 0 or not np.issubdtype(c.dtype, np.integer) or c.min() < 0:
        raise ValueError("cluster_resample_indices: codes must be a non-empty 1-d array of integers >= 0")
    counts = np.bincount(c)
    if (counts == 0).any():
        raise ValueError(f"cluster_resample_indices: codes must use every integer 0 .. {len(counts) - 1}")
    # the rows of each group in ascending order (a stable sort keeps the row order within a code)
    members = np.split(np.argsort(c, kind="stable"), np.cumsum(counts)[:-1])

    def resamples() -> Iterator[np.ndarray]:
        for _ in range(n_boot):
            pick = draw_groups(rng, n_groups=len(members), n_boot=1)[0]
            yield np.concatenate([members[k] for k in pick])

    return resamples()  # checked now, drawn lazily


def _check(y_true, preds: Sequence, *, where: str) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true, dtype=float)
    P = np.asarray([np.asarray(p, dtype=float) for p in preds])
    if P.ndim != 2 or P.shape[1:] != y.shape or y.ndim != 1:
        raise ValueError(f"{where}: y_true and the predictions must be equal 1-d shapes")
    return y, P


def _codes(groups, n: int, *, where: str) -> tuple[np.ndarray, int]:
    g = np.asarray(groups, dtype=object)
    if len(g) != n:
        raise ValueError(f"{where}: groups has {len(g)} entries but there are {n} rows")
    codes, uniques = pd.factorize(pd.Series(g), sort=True)
    if len(uniques) < 2:
        raise ValueError(f"{where}: a cluster bootstrap needs at least 2 groups")
    return codes, len(uniques)


def _group_sums(y, P, codes, G) -> dict[str, np.ndarray]:
    """Per-seed, per-group sums that give every metric of a resample of whole groups."""
    err = P - y
    return {
        "n": np.bincount(codes, minlength=G).astype(float),
        "abs": np.stack([np.bincount(codes, np.abs(e), minlength=G) for e in err]),
        "sq": np.stack([np.bincount(codes, e**2, minlength=G) for e in err]),
        "y": np.bincount(codes, y, minlength=G),
        "yy": np.bincount(codes, y**2, minlength=G),
    }


def _cluster_stats(sums, metric: str, idx: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Metric of each resample: ``idx`` (n_boot x G) group draws, ``k`` the seed per resample."""
    n = sums["n"][idx].sum(axis=1)
    if metric == "mae":
        return sums["abs"][k[:, None], idx].sum(axis=1) / n
    if metric == "rmse":
        return np.sqrt(sums["sq"][k[:, None], idx].sum(axis=1) / n)
    sy, syy = sums["y"][idx].sum(axis=1), sums["yy"][idx].sum(axis=1)
    ss_tot = syy - sy**2 / n
    ss_res = sums["sq"][k[:, None], idx].sum(axis=1)
    ok = ss_tot > 1e-12 * np.maximum(syy, 1.0)
    return np.where(ok, 1.0 - ss_res / np.where(ok, ss_tot, 1.0), np.nan)


def _row_stats(y, P, metric: str, idx: np.ndarray, k: np.ndarray | None) -> np.ndarray:
    """Metric of each row resample (``k``: the seed per resample, ``None`` for one seed)."""
    fn = metric_function(metric)
    if k is None:
        p = P[0]
        if metric == "mae":
            return np.abs(p - y)[idx].mean(axis=1)
        if metric == "rmse":
            return np.sqrt(((p - y) ** 2)[idx].mean(axis=1))
        return np.array([fn(y[i], p[i]) if np.ptp(y[i]) > 0 else np.nan for i in idx])
    if metric == "mae":
        return np.abs(P - y)[k[:, None], idx].mean(axis=1)
    if metric == "rmse":
        return np.sqrt(((P - y) ** 2)[k[:, None], idx].mean(axis=1))
    return np.array([fn(y[i], P[s][i]) if np.ptp(y[i]) > 0 else np.nan for s, i in zip(k, idx, strict=True)])


def bootstrap_metric(
    y_true,
    y_pred=None,
    *,
    metric: str = "mae",
    n_boot: int = 2000,
    seed: int,
    level: float = 0.95,
    groups=None,
    seed_predictions: Sequence | None = None,
) -> dict[str, float]:
    """``{"value", "low", "high"}``: the metric on the test set and its percentile bootstrap
    interval (unit of ``y`` for MAE/RMSE).

    Rows are resampled with replacement ``n_boot`` times, or whole ``groups`` (cluster bootstrap,
    for grouped splits). With ``seed_predictions`` (prediction vectors of the same model trained
    with different seeds) each resample also draws one seed, so the interval covers the seed
    variance; ``value`` is then the metric of ``y_pred`` when given, else the mean over seeds of
    each seed's metric.
    """
    fn = metric_function(metric)
    if seed_predictions is not None and len(seed_predictions) == 0:
        raise ValueError("seed_predictions is empty")
    if y_pred is None and seed_predictions is None:
        raise ValueError("give y_pred or seed_predictions")
    preds = [y_pred] if seed_predictions is None else list(seed_predictions)
    y, P = _check(y_true, preds, where="bootstrap_metric")
    if y_pred is not None:
        yp = np.asarray(y_pred, dtype=float)
        if yp.shape != y.shape:
            raise ValueError("bootstrap_metric: y_true and y_pred must be equal 1-d shapes")
        value = fn(y, yp)
    else:
        value = float(np.mean([fn(y, p) for p in P]))
    n = len(y)
    if n < 2:
        raise ValueError("bootstrap_metric needs at least 2 test rows")
    rng = np.random.default_rng(seed)
    multi = seed_predictions is not None
    if groups is None:
        idx = draw_groups(rng, n_groups=n, n_boot=n_boot)  # a row bootstrap: one row per group
        k = rng.integers(0, len(P), size=n_boot) if multi else None
        stats = _row_stats(y, P, metric, idx, k)
    else:
        codes, G = _codes(groups, n, where="bootstrap_metric")
        idx = draw_groups(rng, n_groups=G, n_boot=n_boot)
        k = rng.integers(0, len(P), size=n_boot) if multi else np.zeros(n_boot, dtype=int)
        stats = _cluster_stats(_group_sums(y, P, codes, G), metric, idx, k)
    low, high = np.nanpercentile(stats, [50 * (1 - level), 50 * (1 + level)])
    return {"value": float(value), "low": float(low), "high": float(high)}


def paired_bootstrap(
    y_true,
    pred_a,
    pred_b,
    *,
    metric: str = "mae",
    n_boot: int = 2000,
    seed: int,
    level: float = 0.95,
    groups=None,
) -> dict[str, float]:
    """metric(a) - metric(b) on the same test rows with a paired percentile bootstrap interval.

    ``{"diff", "low", "high", "frac_a_worse"}``: each resample draws the same rows (or whole
    ``groups``) for both models; for an error (MAE, RMSE) a positive interval means ``a`` is
    worse than ``b`` beyond resampling noise (for R^2 a negative one); ``frac_a_worse`` is the
    share of resamples in which ``a`` is worse. Two identical prediction vectors give [0, 0].
    """
    fn = metric_function(metric)
    y, P = _check(y_true, [pred_a, pred_b], where="paired_bootstrap")
    n = len(y)
    if n < 2:
        raise ValueError("paired_bootstrap needs at least 2 test rows")
    rng = np.random.default_rng(seed)
    diff = fn(y, P[0]) - fn(y, P[1])
    if groups is None and metric == "mae":
        d = np.abs(P[0] - y) - np.abs(P[1] - y)
        diff = float(d.mean())
        idx = draw_groups(rng, n_groups=n, n_boot=n_boot)
        stats = d[idx].mean(axis=1)
    elif groups is None:
        idx = draw_groups(rng, n_groups=n, n_boot=n_boot)
        stats = _row_stats(y, P[:1], metric, idx, None) - _row_stats(y, P[1:], metric, idx, None)
    else:
        codes, G = _codes(groups, n, where="paired_bootstrap")
        idx = draw_groups(rng, n_groups=G, n_boot=n_boot)
        sums = _group_sums(y, P, codes, G)
        stats = _cluster_stats(sums, metric, idx, np.zeros(n_boot, dtype=int)) - _cluster_stats(
            sums, metric, idx, np.ones(n_boot, dtype=int)
        )
    low, high = np.nanpercentile(stats, [50 * (1 - level), 50 * (1 + level)])
    worse = stats > 0 if metric in LOWER_IS_BETTER else stats < 0
    return {
        "diff": float(diff),
        "low": float(low),
        "high": float(high),
        "frac_a_worse": float(np.mean(worse)),
    }


def paired_gain(
    y_true,
    y_model,
    y_reference,
    *,
    metric: str = "rmse",
    n_boot: int = 2000,
    seed: int,
    level: float = 0.95,
    groups=None,
) -> dict[str, float | str]:
    """How much better a model is than a reference (a baseline) on the same rows, read as a verdict.

    The gain is metric(reference) - metric(model) for an error (MAE, RMSE), so a positive gain
    is better, with the interval of :func:`paired_bootstrap` (rows, or whole ``groups``,
    resampled for both). Returns ``{"gain", "low", "high", "verdict"}`` in the target's unit:
    ``"beats"`` when the whole interval is above 0, ``"worse"`` when it is below 0, ``"tie"``
    when it contains 0. A model "beats the training mean" only with ``"beats"``.
    """
    if metric not in LOWER_IS_BETTER:
        raise ValueError(f"paired_gain reads an error metric (mae, rmse), got {metric!r}")
    d = paired_bootstrap(
        y_true, y_model, y_reference, metric=metric, n_boot=n_boot, seed=seed, level=level, groups=groups
    )
    gain, low, high = -d["diff"], -d["high"], -d["low"]
    verdict = "beats" if low > 0 else ("worse" if high < 0 else "tie")
    return {"gain": gain, "low": low, "high": high, "verdict": verdict}


def metrics_table(
    *,
    y_true,
    predictions: Mapping[str, np.ndarray],
    metrics: Sequence[str] = REGRESSION_METRICS,
    unit: str = "",
    intervals: Sequence[str] = (),
    groups=None,
    seed: int = 0,
    n_boot: int = 2000,
    level: float = 0.95,
) -> pd.DataFrame:
    """One row per model (index: the keys of ``predictions``), one column per metric.

    ``intervals`` names the metrics that also get a percentile bootstrap interval (columns
    ``<metric>_low``, ``<metric>_high``; resampling whole ``groups`` when given, see
    :func:`reviewlib.evaluation.bootstrap_metric`). Values of ``mae``/``rmse`` are in ``unit``
    (kept as an attribute ``table.attrs["unit"]``). Put the baselines in ``predictions`` (an
    :class:`~reviewlib.evaluation.OOFResult`'s ``all_predictions()`` has them).
    """
    y_true = np.asarray(y_true, dtype=float)
    rows = {}
    for name, pred in predictions.items():
        pred = np.asarray(pred, dtype=float)
        scores = regression_metrics(y_true, pred)
        row = {m: scores[m] for m in metrics}
        for m in intervals:
            boot = bootstrap_metric(
                y_true, pred, metric=m, n_boot=n_boot, seed=seed, level=level, groups=groups
            )
            row[f"{m}_low"], row[f"{m}_high"] = boot["low"], boot["high"]
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.attrs["unit"] = unit
    return table
