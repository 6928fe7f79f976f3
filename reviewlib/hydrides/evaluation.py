"""Grouped out-of-fold predictions with trivial baselines, and bootstrap intervals.

* :func:`grouped_oof` -- out-of-fold predictions of a model and of the training-mean and
  training-median baselines on the same folds (GroupKFold or leave-one-group-out), so no group
  (compound, element) is in both training and test sets. Works for one or several targets.
* :func:`bootstrap_interval` -- percentile bootstrap interval of RMSE or MAE.
* :func:`model_table` -- RMSE, MAE, R^2 and the RMSE interval per model, baselines included.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

BASELINES = ("training mean", "training median")


def _fit_predict(make_model, X, y, train, test, seed):
    model = make_model(seed)
    model.fit(X[train], y[train] if y.shape[1] > 1 else y[train, 0])
    pred = np.asarray(model.predict(X[test]), dtype=float)
    return pred.reshape(len(test), -1)


def grouped_oof(
    *,
    make_model: Callable[[int], object],
    X,
    y,
    groups,
    seed: int,
    n_splits: int | None = 5,
    n_jobs: int = 1,
) -> dict[str, np.ndarray]:
    """Out-of-fold predictions of ``make_model(seed)`` and of the baselines, same folds.

    ``groups``: one label per row; ``n_splits=None`` holds out one group at a time, otherwise a
    shuffled ``GroupKFold`` (seeded). ``y`` may be 1-d or 2-d (several targets). Returns
    ``{"model": ..., "training mean": ..., "training median": ..., "fold": ...}`` with arrays
    shaped like ``y`` (``fold`` is 1-d). Folds run through joblib with ``n_jobs`` workers.
    """
    from joblib import Parallel, delayed
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    Xa = np.asarray(X, dtype=float)
    ya = np.asarray(y, dtype=float)
    one_d = ya.ndim == 1
    ya = ya.reshape(len(ya), -1)
    g = np.asarray(groups, dtype=object)
    if not (len(Xa) == len(ya) == len(g)):
        raise ValueError(f"X ({len(Xa)}), y ({len(ya)}) and groups ({len(g)}) differ in length")
    if not (np.isfinite(Xa).all() and np.isfinite(ya).all()):
        raise ValueError("grouped_oof: X and y must be finite (impute or drop missing values first)")
    n_groups = len(pd.unique(g))
    if n_splits is None:
        splitter = LeaveOneGroupOut()
    else:
        if n_groups < n_splits:
            raise ValueError(f"{n_groups} groups are fewer than n_splits={n_splits}")
        splitter = GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    splits = list(splitter.split(Xa, ya, g))
    preds = Parallel(n_jobs=n_jobs)(
        delayed(_fit_predict)(make_model, Xa, ya, train, test, seed) for train, test in splits
    )
    out = {name: np.full(ya.shape, np.nan) for name in ("model", *BASELINES)}
    fold = np.full(len(ya), -1)
    for k, ((train, test), pred) in enumerate(zip(splits, preds, strict=True)):
        out["model"][test] = pred
        out["training mean"][test] = ya[train].mean(axis=0)
        out["training median"][test] = np.median(ya[train], axis=0)
        fold[test] = k
    if one_d:
        out = {k: v[:, 0] for k, v in out.items()}
    out["fold"] = fold
    return out


def bootstrap_interval(
    *, y_true, y_pred, metric: str = "rmse", seed: int, n_boot: int = 2000, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval (resampling rows) of ``metric`` (``rmse`` or ``mae``)."""
    yt = np.asarray(y_true, dtype=float)
    yp = np.asarray(y_pred, dtype=float)
    if yt.shape != yp.shape or yt.ndim != 1 or len(yt) < 2:
        raise ValueError("bootstrap_interval: y_true and y_pred must be equal 1-d arrays of length >= 2")
    if metric not in ("rmse", "mae"):
        raise ValueError(f"metric must be 'rmse' or 'mae', got {metric!r}")
    from reviewlib.models import bootstrap_metric

    res = bootstrap_metric(yt, yp, metric=metric, n_boot=n_boot, seed=seed, level=level)
    return res["low"], res["high"]


def model_table(*, y_true, predictions: Mapping[str, np.ndarray], seed: int, unit: str = "K") -> pd.DataFrame:
    """One row per model: RMSE, its 95 % bootstrap interval, MAE (in ``unit``) and R^2."""
    from reviewlib.models import regression_metrics

    rows = {}
    for name, pred in predictions.items():
        m = regression_metrics(y_true, pred)
        low, high = bootstrap_interval(y_true=y_true, y_pred=pred, seed=seed)
        rows[name] = {
            f"RMSE ({unit})": m["rmse"],
            f"RMSE 95% CI ({unit})": f"{low:.1f}-{high:.1f}",
            f"MAE ({unit})": m["mae"],
            "R²": m["r2"],
        }
    return pd.DataFrame.from_dict(rows, orient="index")
