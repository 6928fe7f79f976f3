"""Grouped out-of-fold predictions with trivial baselines, and bootstrap intervals.

* :func:`grouped_oof` -- out-of-fold predictions of a model and of the training-mean and
  training-median baselines on the same folds (GroupKFold or leave-one-group-out), so no group
  (compound, element) is in both training and test sets. Works for one or several targets.
* :func:`bootstrap_interval` -- percentile bootstrap interval of RMSE or MAE.
* :func:`model_table` -- RMSE, MAE, R^2 and the RMSE interval per model, baselines included.
* :func:`paired_rmse_gain` -- RMSE of a baseline minus the model's, with a paired bootstrap
  interval: "beats", "tie" or "worse".
* :func:`rmse_with_se` and :func:`within_one_se` -- the one-standard-error rule for the
  hyperparameters that are equally defensible.
* :class:`SeedAverage` -- an ensemble over seeds, with the members' spread.
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


class SeedAverage:
    """Average of regressors that differ only in their seed (an ensemble over initialisations).

    ``factory(seed)`` returns an unfitted regressor; :meth:`predict` gives the ensemble mean and
    :meth:`predict_members` one prediction per seed (their spread is the ensemble's uncertainty).
    Convergence warnings of strongly regularised fits are silenced inside the fit, also in joblib
    workers. (A stand-in until ``reviewlib.evaluation.SeedEnsemble`` exists.)
    """

    def __init__(self, factory: Callable[[int], object], seeds):
        self.factory, self.seeds = factory, list(seeds)

    def fit(self, X, y):
        """Fit one member per seed on the same data; returns self."""
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from threadpoolctl import threadpool_limits

        # small networks: one BLAS thread each is fastest, and avoids oversubscribing the cores
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.filterwarnings("ignore", message="lbfgs failed to converge")
            self.models_ = [self.factory(s).fit(X, y) for s in self.seeds]
        return self

    def predict_members(self, X) -> np.ndarray:
        """Predictions of every member, shape ``(n_seeds, n_rows[, n_targets])``."""
        return np.stack([np.asarray(m.predict(X), dtype=float) for m in self.models_])

    def predict(self, X) -> np.ndarray:
        """The members' mean prediction."""
        return self.predict_members(X).mean(axis=0)


def rmse_with_se(*, y_true, y_pred) -> tuple[float, float]:
    """RMSE and its standard error from the row-wise squared errors (delta method:
    SE(RMSE) = SE(mean squared error) / (2 RMSE)); used by :func:`within_one_se`.
    """
    e2 = (np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)) ** 2
    if e2.ndim != 1 or len(e2) < 2:
        raise ValueError("rmse_with_se: y_true and y_pred must be equal 1-d arrays of length >= 2")
    rmse = float(np.sqrt(e2.mean()))
    se_mse = float(e2.std(ddof=1) / np.sqrt(len(e2)))
    return rmse, (se_mse / (2 * rmse) if rmse > 0 else 0.0)


def within_one_se(scores: Mapping[str, tuple[float, float]]) -> list[str]:
    """The one-standard-error rule: every setting whose cross-validated RMSE lies within one SE
    of the best one (``scores`` maps a setting's label to ``(rmse, se)``; the best's SE is the
    yardstick), best first. These are the equally defensible hyperparameters.
    """
    if not scores:
        raise ValueError("within_one_se: no scores")
    best = min(scores, key=lambda k: scores[k][0])
    limit = scores[best][0] + scores[best][1]
    return sorted((k for k, (r, _) in scores.items() if r <= limit), key=lambda k: scores[k][0])


def paired_rmse_gain(
    *, y_true, y_model, y_baseline, seed: int, n_boot: int = 2000, level: float = 0.95
) -> dict:
    """How much lower the model's RMSE is than the baseline's, on the same rows, with a paired
    percentile bootstrap interval (the rows are resampled together for both).

    Returns ``{"gain", "low", "high", "verdict"}`` (K or the target's unit): ``verdict`` is
    ``"beats"`` when the whole interval is above 0, ``"worse"`` when it is below 0 and ``"tie"``
    when it contains 0. A model "beats the training mean" only with ``"beats"``.
    """
    yt, ym, yb = (np.asarray(a, dtype=float) for a in (y_true, y_model, y_baseline))
    if not (yt.shape == ym.shape == yb.shape) or yt.ndim != 1 or len(yt) < 2:
        raise ValueError("paired_rmse_gain: y_true, y_model and y_baseline must be equal 1-d arrays (>= 2)")
    em, eb = (yt - ym) ** 2, (yt - yb) ** 2
    gain = float(np.sqrt(eb.mean()) - np.sqrt(em.mean()))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(yt), size=(n_boot, len(yt)))
    boot = np.sqrt(eb[idx].mean(axis=1)) - np.sqrt(em[idx].mean(axis=1))
    low, high = (float(q) for q in np.quantile(boot, [(1 - level) / 2, (1 + level) / 2]))
    low, high = min(low, gain), max(high, gain)
    verdict = "beats" if low > 0 else ("worse" if high < 0 else "tie")
    return {"gain": gain, "low": low, "high": high, "verdict": verdict}


def _fixed(factory, s):
    """``make_model`` for :func:`grouped_oof` that ignores the split seed and uses ``s`` (wrapped
    in :class:`SeedAverage`, which silences convergence warnings also in joblib workers).
    """
    return lambda _seed: SeedAverage(factory, [s])


def oof_members(
    *,
    factory: Callable[[int], object],
    X,
    y,
    groups,
    seeds,
    split_seed: int,
    n_splits: int | None = 5,
    n_jobs: int = 1,
) -> dict[str, np.ndarray]:
    """Out-of-fold predictions of ``factory(seed)`` for each seed, on the same folds.

    The folds come from ``split_seed`` (as in :func:`grouped_oof`), so the members differ only
    in their initialisation; their mean is the out-of-fold prediction of the seed ensemble
    (:class:`SeedAverage`). Returns ``{"members": (n_seeds, *y.shape), "model": the mean,
    "training mean": ..., "training median": ..., "fold": ...}``.
    """
    runs = [
        grouped_oof(
            make_model=_fixed(factory, s),
            X=X,
            y=y,
            groups=groups,
            seed=split_seed,
            n_splits=n_splits,
            n_jobs=n_jobs,
        )
        for s in seeds
    ]
    if not runs:
        raise ValueError("oof_members: no seeds")
    members = np.stack([r["model"] for r in runs])
    return {**runs[0], "members": members, "model": members.mean(axis=0)}
