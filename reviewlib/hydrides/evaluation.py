"""Grouped out-of-fold predictions with trivial baselines, and bootstrap intervals.

Thin users of the evaluation core (:mod:`reviewlib.evaluation`), kept with their names for the
hydride chapters (04-06):

* :func:`grouped_oof` -- out-of-fold predictions of a model and of the training-mean and
  training-median baselines on the same folds (GroupKFold or leave-one-group-out), so no group
  (compound, element) is in both training and test sets. Works for one or several targets.
  :func:`reviewlib.evaluation.out_of_fold` does the work.
* :func:`bootstrap_interval` -- percentile bootstrap interval of RMSE or MAE
  (:func:`reviewlib.evaluation.bootstrap_metric`).
* :func:`model_table` -- RMSE, MAE, R^2 and the RMSE interval per model, baselines included
  (:func:`reviewlib.evaluation.metrics_table`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from reviewlib.evaluation import REGRESSION_BASELINES, bootstrap_metric, metrics_table, out_of_fold

#: the baselines' names (the core's regression baselines)
BASELINES = REGRESSION_BASELINES


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
    Xa = np.asarray(X, dtype=float)
    ya = np.asarray(y, dtype=float)
    g = np.asarray(groups, dtype=object)
    if not (len(Xa) == len(ya) == len(g)):
        raise ValueError(f"X ({len(Xa)}), y ({len(ya)}) and groups ({len(g)}) differ in length")
    if not (np.isfinite(Xa).all() and np.isfinite(ya).all()):
        raise ValueError("grouped_oof: X and y must be finite (impute or drop missing values first)")
    one_column = ya.ndim == 2 and ya.shape[1] == 1  # fitted on the 1-d target, returned 2-d
    res = out_of_fold(
        make_model,
        Xa,
        ya[:, 0] if one_column else ya,
        split="leave one group out" if n_splits is None else "grouped",
        groups=g,
        n_splits=n_splits,
        seed=seed,
        n_jobs=n_jobs,
    )
    out = {name: pred for name, pred in res.all_predictions().items()}
    if one_column:
        out = {k: v[:, None] for k, v in out.items()}
    out["fold"] = res.fold
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
    res = bootstrap_metric(yt, yp, metric=metric, n_boot=n_boot, seed=seed, level=level)
    return res["low"], res["high"]


def model_table(*, y_true, predictions: Mapping[str, np.ndarray], seed: int, unit: str = "K") -> pd.DataFrame:
    """One row per model: RMSE, its 95 % bootstrap interval, MAE (in ``unit``) and R^2."""
    table = metrics_table(y_true=y_true, predictions=predictions, intervals=("rmse",), seed=seed, n_boot=2000)
    return pd.DataFrame(
        {
            f"RMSE ({unit})": table["rmse"],
            f"RMSE 95% CI ({unit})": [
                f"{low:.1f}-{high:.1f}"
                for low, high in zip(table["rmse_low"], table["rmse_high"], strict=True)
            ],
            f"MAE ({unit})": table["mae"],
            "R²": table["r2"],
        },
        index=table.index,
    )
