"""Metrics: regression (R^2, RMSE, MAE) and binary classification scores, and one metrics table.

* :func:`regression_metrics`, :func:`classification_metrics` -- scores of one prediction vector.
* :func:`metric_function` -- one regression metric by name (``mae``, ``rmse``, ``r2``).
* :func:`metrics_table` -- one row per model (baselines included) with the metrics and, when
  asked, a bootstrap interval per metric (:func:`reviewlib.evaluation.bootstrap_metric`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

REGRESSION_METRICS = ("r2", "rmse", "mae")
CLASSIFICATION_METRICS = ("accuracy", "precision", "recall", "f1")
#: metrics for which a lower value is better (the others: higher is better)
LOWER_IS_BETTER = frozenset({"mae", "rmse"})


def regression_metrics(y_true, y_pred) -> dict[str, float]:
    """R^2, RMSE and MAE (RMSE/MAE in the unit of ``y``). Raises on NaN or shape mismatch."""
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"y_true {y_true.shape} and y_pred {y_pred.shape} must be equal 1-d shapes")
    if not (np.isfinite(y_true).all() and np.isfinite(y_pred).all()):
        raise ValueError("regression_metrics: non-finite values in y_true or y_pred")
    err = y_pred - y_true
    ss_tot = float(np.sum((y_true - y_true.mean()) ** 2))
    return {
        "r2": 1.0 - float(np.sum(err**2)) / ss_tot if ss_tot > 0 else float("nan"),
        "rmse": float(np.sqrt(np.mean(err**2))),
        "mae": float(np.mean(np.abs(err))),
    }


def classification_metrics(y_true, y_pred) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of binary labels (positive class 1)."""
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true {y_true.shape} and y_pred {y_pred.shape} differ in shape")
    labels = set(np.unique(y_true)) | set(np.unique(y_pred))
    if not labels <= {0, 1}:
        raise ValueError(f"binary labels 0/1 expected, got {sorted(labels)}")
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "f1": float(f1_score(y_true, y_pred, zero_division=0)),
    }


def metric_function(name: str) -> Callable[[np.ndarray, np.ndarray], float]:
    """``f(y_true, y_pred) -> float`` for a regression metric (``mae``, ``rmse``, ``r2``)."""
    if name not in ("mae", "rmse", "r2"):
        raise ValueError(f"metric must be 'mae', 'rmse' or 'r2', got {name!r}")
    return lambda t, p: regression_metrics(t, p)[name]


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
    from reviewlib.evaluation.bootstrap import bootstrap_metric

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
