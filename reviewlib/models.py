"""Estimator factories, named split protocols, cross-validated metrics and model comparison.

* :func:`make_model` -- seeded scikit-learn / xgboost estimators by short name
  (``rfr``, ``xgbr``, ``svr``, ``ridge`` regressors; ``rfc``, ``xgbc``, ``logreg`` classifiers).
* :func:`make_search` -- a small documented hyper-parameter search (``RandomizedSearchCV`` over
  :data:`SEARCH_SPACES`, a fixed seeded budget, inner CV grouped when groups are given).
* :func:`cross_validate_model` -- K-fold CV with a named protocol (``random`` = shuffled KFold,
  ``group`` = shuffled GroupKFold: no group in both train and test), per-fold metrics and
  out-of-fold predictions.
* :func:`compare_models` -- several feature sets x models x protocols into one tidy table, with
  the predictions recorded and validated (matbench-like).
* :func:`tc_class`, :func:`classification_metrics` -- the Stanev et al. (2018) Tc > 10 K
  classification and its accuracy, precision, recall and F1.

Everything random takes ``seed``; estimators use at most 2 threads (``N_JOBS``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

N_JOBS = 2
REGRESSORS = ("rfr", "xgbr", "svr", "ridge")
CLASSIFIERS = ("rfc", "xgbc", "logreg")
#: trivial baselines: predict the training mean / median (regression), the majority class
BASELINES = ("mean", "median", "majority")
SPLITS = ("random", "group")
REGRESSION_METRICS = ("r2", "rmse", "mae")
CLASSIFICATION_METRICS = ("accuracy", "precision", "recall", "f1")

#: Search spaces of :func:`make_search` (parameter names as seen by the estimator of
#: :func:`make_model`). Small on purpose: a few influential knobs per model.
SEARCH_SPACES: dict[str, dict[str, list]] = {
    "rfr": {
        "n_estimators": [200, 400],
        "max_features": [0.2, 0.33, 0.5, 1.0],
        "min_samples_leaf": [1, 2, 4],
    },
    "xgbr": {
        "n_estimators": [300, 600, 1000],
        "learning_rate": [0.03, 0.05, 0.1],
        "max_depth": [4, 6, 8],
        "subsample": [0.7, 0.85, 1.0],
        "colsample_bytree": [0.3, 0.5, 0.8],
    },
    "svr": {
        "svr__regressor__C": [1.0, 3.0, 10.0, 30.0, 100.0],
        "svr__regressor__gamma": ["scale", 0.003, 0.01, 0.03],
        "svr__regressor__epsilon": [0.01, 0.05, 0.1],
    },
    "ridge": {"ridge__alpha": [0.1, 1.0, 10.0, 100.0]},
    "rfc": {
        "n_estimators": [200, 400],
        "max_features": ["sqrt", 0.2, 0.33],
        "min_samples_leaf": [1, 2, 4],
    },
    "xgbc": {
        "n_estimators": [300, 600],
        "learning_rate": [0.05, 0.1],
        "max_depth": [4, 6, 8],
        "subsample": [0.8, 1.0],
        "colsample_bytree": [0.3, 0.5, 0.8],
    },
    "logreg": {"logreg__C": [0.1, 1.0, 10.0]},
}


def make_model(name: str, *, seed: int, **params: Any):
    """A seeded estimator by short name; ``params`` override the defaults.

    Defaults: ``rfr``/``rfc`` 300 trees; ``xgbr``/``xgbc`` 600 rounds, depth 6, learning rate
    0.05, subsample 0.85, column subsample 0.5 (histogram method, 1 thread); ``svr`` = standardised
    features + RBF SVR (C = 10, epsilon = 0.05) on a standardised target; ``ridge`` and
    ``logreg`` on standardised features. Tree models use ``N_JOBS`` threads.
    """
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVR

    if not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    seed = int(seed)
    if name == "rfr":
        kw = {"n_estimators": 300, "max_features": 0.33, "n_jobs": N_JOBS, "random_state": seed}
        return RandomForestRegressor(**{**kw, **params})
    if name == "rfc":
        kw = {"n_estimators": 300, "max_features": "sqrt", "n_jobs": N_JOBS, "random_state": seed}
        return RandomForestClassifier(**{**kw, **params})
    if name in ("xgbr", "xgbc"):
        from xgboost import XGBClassifier, XGBRegressor

        kw = {
            "n_estimators": 600,
            "learning_rate": 0.05,
            "max_depth": 6,
            "subsample": 0.85,
            "colsample_bytree": 0.5,
            "tree_method": "hist",
            "n_jobs": 1,  # OpenMP threads spin when the 2 cores are shared: 1 thread is ~10x faster then
            "random_state": seed,
            "verbosity": 0,
        }
        cls = XGBRegressor if name == "xgbr" else XGBClassifier
        return cls(**{**kw, **params})
    if name == "svr":
        svr = TransformedTargetRegressor(
            regressor=SVR(C=10.0, epsilon=0.05, gamma="scale"), transformer=StandardScaler()
        )
        model = Pipeline([("scale", StandardScaler()), ("svr", svr)])
        return model.set_params(**params) if params else model
    if name == "ridge":
        model = Pipeline([("scale", StandardScaler()), ("ridge", Ridge(alpha=1.0))])
        return model.set_params(**params) if params else model
    if name == "logreg":
        model = Pipeline(
            [
                ("scale", StandardScaler()),
                ("logreg", LogisticRegression(C=1.0, max_iter=2000, random_state=seed)),
            ]
        )
        return model.set_params(**params) if params else model
    if name in ("mean", "median"):
        from sklearn.dummy import DummyRegressor

        return DummyRegressor(strategy=name)
    if name == "majority":
        from sklearn.dummy import DummyClassifier

        return DummyClassifier(strategy="most_frequent")
    raise ValueError(f"unknown model {name!r}; choose from {REGRESSORS + CLASSIFIERS + BASELINES}")


def is_classifier_name(name: str) -> bool:
    """True for the classifier short names (``rfc``, ``xgbc``, ``logreg``)."""
    return name in CLASSIFIERS or name == "majority"


def make_search(
    name: str,
    *,
    seed: int,
    n_iter: int = 8,
    inner_splits: int = 3,
    grouped: bool = False,
    space: Mapping[str, list] | None = None,
    **params: Any,
):
    """Small hyper-parameter search: ``RandomizedSearchCV`` over :data:`SEARCH_SPACES` [name].

    ``n_iter`` seeded draws (the budget; use 4 in fast mode), ``inner_splits``-fold inner CV that
    is a shuffled ``GroupKFold`` when ``grouped`` (pass ``groups`` to ``fit``; done by
    :func:`cross_validate_model`) and a shuffled ``KFold`` otherwise. Scored by R^2 (regression)
    or F1 (classification); refits the best setting on the whole training fold. Inside
    :func:`cross_validate_model` this is nested CV: the outer test fold is never seen.
    """
    from sklearn.model_selection import GroupKFold, KFold, RandomizedSearchCV

    grid = dict(space if space is not None else SEARCH_SPACES.get(name, {}))
    if not grid:
        raise ValueError(f"no search space for model {name!r}")
    if n_iter < 1 or inner_splits < 2:
        raise ValueError("n_iter must be >= 1 and inner_splits >= 2")
    n_total = math.prod(len(v) for v in grid.values())
    inner = (
        GroupKFold(n_splits=inner_splits, shuffle=True, random_state=seed)
        if grouped
        else KFold(n_splits=inner_splits, shuffle=True, random_state=seed)
    )
    return RandomizedSearchCV(
        make_model(name, seed=seed, **params),
        grid,
        n_iter=min(n_iter, n_total),
        cv=inner,
        scoring="f1" if is_classifier_name(name) else "r2",
        random_state=seed,
        n_jobs=1,
        refit=True,
    )


# ----------------------------------------------------------------------------- metrics


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


def _metric(name: str):
    if name not in ("mae", "rmse", "r2"):
        raise ValueError(f"metric must be 'mae', 'rmse' or 'r2', got {name!r}")
    return lambda t, p: regression_metrics(t, p)[name]


def bootstrap_metric(
    y_true, y_pred, *, metric: str = "mae", n_boot: int = 2000, seed: int, level: float = 0.95
) -> dict[str, float]:
    """``{"value", "low", "high"}``: the metric on the test set and its percentile bootstrap
    interval (test rows resampled with replacement ``n_boot`` times; unit of ``y``).
    """
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    fn = _metric(metric)
    value = fn(y_true, y_pred)
    rng = np.random.default_rng(seed)
    n = len(y_true)
    if n < 2:
        raise ValueError("bootstrap_metric needs at least 2 test rows")
    idx = rng.integers(0, n, size=(n_boot, n))
    if metric == "mae":
        stats = np.abs(y_pred - y_true)[idx].mean(axis=1)
    elif metric == "rmse":
        stats = np.sqrt(((y_pred - y_true) ** 2)[idx].mean(axis=1))
    else:
        stats = np.array([fn(y_true[i], y_pred[i]) if np.ptp(y_true[i]) > 0 else np.nan for i in idx])
    low, high = np.nanpercentile(stats, [50 * (1 - level), 50 * (1 + level)])
    return {"value": float(value), "low": float(low), "high": float(high)}


def tc_class(tc_K, *, threshold_K: float = 10.0) -> np.ndarray:
    """Stanev et al. (2018) class label: 1 if Tc > ``threshold_K`` (K), else 0."""
    tc = np.asarray(tc_K, dtype=float)
    if not np.isfinite(tc).all() or (tc < 0).any():
        raise ValueError("tc_K must be finite and non-negative")
    return (tc > threshold_K).astype(int)


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


# ----------------------------------------------------------------------------- groups and splits


def composition_groups(compositions: Iterable[Any], *, decimals: int = 3) -> np.ndarray:
    """Group label per composition: elements with atomic fractions rounded to ``decimals``.

    Rows with the same normalised composition (``Ba2Cu3O7`` and ``Ba4Cu6O14``) share a group, so
    a grouped split never puts the same material in training and test.
    """
    from reviewlib.chem import composition_key, parse_formula

    out = [
        composition_key(parse_formula(item, where=f"composition #{i}"), decimals=decimals)
        for i, item in enumerate(compositions)
    ]
    return np.asarray(out, dtype=object)


def chemical_system_groups(compositions: Iterable[Any]) -> np.ndarray:
    """Group label per composition: its chemical system (sorted elements joined by ``-``).

    Coarser than :func:`composition_groups`: all doping levels of Ba-Cu-O-Y share a group.
    """
    from reviewlib.chem import chemical_system_key, parse_formula

    out = [
        chemical_system_key(parse_formula(item, where=f"composition #{i}"))
        for i, item in enumerate(compositions)
    ]
    return np.asarray(out, dtype=object)


def make_splitter(split: str, *, n_splits: int = 5, seed: int, groups=None, stratify: bool = False):
    """The outer CV of a protocol: ``random`` (shuffled (Stratified)KFold) or ``group``
    (shuffled GroupKFold; ``groups`` required, at least ``n_splits`` distinct groups).
    """
    from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold

    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    if n_splits < 2:
        raise ValueError("n_splits must be >= 2")
    if split == "group":
        if groups is None:
            raise ValueError("split='group' needs groups (e.g. composition_groups(...) or MP parent ids)")
        n_groups = len(pd.unique(np.asarray(groups, dtype=object)))
        if n_groups < n_splits:
            raise ValueError(f"split='group' needs at least n_splits={n_splits} groups, got {n_groups}")
        return GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    if stratify:
        return StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return KFold(n_splits=n_splits, shuffle=True, random_state=seed)


# ----------------------------------------------------------------------------- cross-validation


@dataclass
class CVResult:
    """Outcome of :func:`cross_validate_model`.

    ``folds`` has one row per fold (``fold``, ``n_train``, ``n_test``, metrics, ``fit_s``);
    ``summary`` maps ``<metric>_mean`` / ``<metric>_std`` (std over folds, ddof = 1);
    ``oof`` holds the out-of-fold prediction of every row and ``fold`` its test fold;
    ``best_params`` lists the inner search's choice per fold (empty without a search).
    """

    task: str
    split: str
    folds: pd.DataFrame
    summary: dict[str, float]
    oof: np.ndarray
    fold: np.ndarray
    best_params: list[dict] = field(default_factory=list)

    def format(self, metric: str, *, digits: int = 3) -> str:
        """``"mean ± std"`` of one metric."""
        return f"{self.summary[f'{metric}_mean']:.{digits}f} ± {self.summary[f'{metric}_std']:.{digits}f}"


def _task_of(model) -> str:
    from sklearn.base import is_classifier

    return "classification" if is_classifier(model) else "regression"


def fold_jobs(model) -> int:
    """Folds to fit in parallel: :data:`N_JOBS` if every ``n_jobs`` parameter of ``model`` (and
    of its nested estimators) is 1 or absent, else 1 (the estimator already uses the cores).
    """
    threads = [v for k, v in model.get_params(deep=True).items() if k == "n_jobs" or k.endswith("__n_jobs")]
    multi = any(v is not None and (v < 0 or v > 1) for v in threads)
    return 1 if multi else N_JOBS


def _fit_one_fold(model, X, y, train, test, fit_kw):
    from sklearn.base import clone
    from sklearn.model_selection._search import BaseSearchCV

    est = clone(model)
    t0 = time.perf_counter()
    est.fit(X[train], y[train], **fit_kw)
    fit_s = time.perf_counter() - t0
    best = dict(est.best_params_) if isinstance(est, BaseSearchCV) else None
    return est.predict(X[test]), fit_s, best


def _fit_folds(model, X, y, splits, *, groups, weights, n_jobs: int, desc: str, progress: bool):
    """Fit a clone of ``model`` on each training fold; returns (prediction, fit seconds, best
    parameters or None) per fold, in fold order, serially or with joblib (loky).
    """
    from sklearn.model_selection._search import BaseSearchCV
    from tqdm.auto import tqdm

    def kwargs(train):
        kw: dict[str, Any] = {}
        if weights is not None:
            kw["sample_weight"] = weights[train]
        if isinstance(model, BaseSearchCV) and groups is not None:
            kw["groups"] = groups[train]
        return kw

    if n_jobs <= 1 or len(splits) < 2:
        return [
            _fit_one_fold(model, X, y, train, test, kwargs(train))
            for train, test in tqdm(splits, desc=desc, disable=not progress)
        ]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=min(n_jobs, len(splits)), backend="loky")(
        delayed(_fit_one_fold)(model, X, y, train, test, kwargs(train))
        for train, test in tqdm(splits, desc=desc, disable=not progress)
    )


def cross_validate_model(
    model,
    X,
    y,
    *,
    groups=None,
    split: str = "random",
    n_splits: int = 5,
    seed: int,
    sample_weight=None,
    progress: bool = False,
    n_jobs: int | None = None,
) -> CVResult:
    """K-fold cross-validation of a fresh clone of ``model`` per fold.

    ``split="random"``: shuffled KFold (stratified for classifiers); ``split="group"``: shuffled
    GroupKFold over ``groups`` (normalised composition, Materials Project parent id, ...).
    Regression metrics R^2, RMSE, MAE are in the unit of ``y``; classification metrics are
    accuracy, precision, recall, F1. A search from :func:`make_search` gets the training fold's
    ``groups`` for its inner CV (nested CV). ``n_jobs``: folds fitted in parallel (joblib);
    ``None`` picks :data:`N_JOBS` for single-threaded estimators (xgboost with ``n_jobs=1``, SVR,
    ridge) and 1 for estimators that already use several cores. Results do not depend on it.
    Raises ``ValueError`` for NaN in ``X``/``y`` or a length mismatch.
    """
    from sklearn.model_selection import BaseCrossValidator

    Xa = X.to_numpy(dtype=float) if isinstance(X, pd.DataFrame) else np.asarray(X, dtype=float)
    ya = np.asarray(y)
    if Xa.ndim != 2 or len(Xa) != len(ya):
        raise ValueError(f"X has shape {Xa.shape} but y has {len(ya)} rows")
    if not np.isfinite(Xa).all():
        cols = np.where(~np.isfinite(Xa).all(axis=0))[0][:5]
        names = [X.columns[c] for c in cols] if isinstance(X, pd.DataFrame) else cols.tolist()
        raise ValueError(f"X has non-finite values (columns {names})")
    task = _task_of(model)
    if task == "regression":
        ya = ya.astype(float)
        if not np.isfinite(ya).all():
            raise ValueError("y has non-finite values")
    if groups is not None:
        groups = np.asarray(groups, dtype=object)
        if len(groups) != len(ya):
            raise ValueError(f"groups has {len(groups)} entries but y has {len(ya)}")
    weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    splitter = make_splitter(
        split, n_splits=n_splits, seed=seed, groups=groups, stratify=task == "classification"
    )
    assert isinstance(splitter, BaseCrossValidator)
    oof = np.full(len(ya), np.nan)
    fold_of = np.full(len(ya), -1)
    rows, best = [], []
    splits = list(splitter.split(Xa, ya, groups if split == "group" else None))
    jobs = fold_jobs(model) if n_jobs is None else int(n_jobs)
    fits = _fit_folds(
        model,
        Xa,
        ya,
        splits,
        groups=groups,
        weights=weights,
        n_jobs=jobs,
        desc=f"CV {split}",
        progress=progress,
    )
    for k, ((train, test), (pred, fit_s, best_params)) in enumerate(zip(splits, fits, strict=True)):
        oof[test] = pred
        fold_of[test] = k
        if best_params is not None:
            best.append(best_params)
        metrics = (
            regression_metrics(ya[test], pred)
            if task == "regression"
            else classification_metrics(ya[test], pred)
        )
        rows.append({"fold": k, "n_train": len(train), "n_test": len(test), **metrics, "fit_s": fit_s})
    folds = pd.DataFrame(rows)
    names = REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS
    summary: dict[str, float] = {}
    for m in names:
        summary[f"{m}_mean"] = float(folds[m].mean())
        summary[f"{m}_std"] = float(folds[m].std(ddof=1))
    if (fold_of < 0).any():
        raise RuntimeError("some rows were never in a test fold")
    return CVResult(
        task=task, split=split, folds=folds, summary=summary, oof=oof, fold=fold_of, best_params=best
    )


# ----------------------------------------------------------------------------- comparison


@dataclass
class Comparison:
    """Outcome of :func:`compare_models`.

    ``table``: tidy, one row per (features, model, protocol, metric) with ``mean``, ``std``,
    ``n_folds``; ``folds``: per-fold metrics; ``predictions``: one row per (features, model,
    protocol, sample) with ``row``, ``y_true``, ``y_pred``, ``fold``; ``results``: the
    :class:`CVResult` objects keyed by (features, model, protocol).
    """

    table: pd.DataFrame
    folds: pd.DataFrame
    predictions: pd.DataFrame
    results: dict[tuple[str, str, str], CVResult]

    def wide(self, metric: str, *, digits: int = 3) -> pd.DataFrame:
        """``mean ± std`` of one metric: rows (features, model), columns protocols."""
        sub = self.table[self.table["metric"] == metric].copy()
        sub["value"] = [
            f"{m:.{digits}f} ± {s:.{digits}f}" for m, s in zip(sub["mean"], sub["std"], strict=True)
        ]
        return sub.pivot_table(
            index=["features", "model"], columns="protocol", values="value", aggfunc="first"
        )


def validate_predictions(predictions: pd.DataFrame, y) -> None:
    """Check recorded predictions: every (features, model, protocol) predicts every row exactly
    once, with finite values and the right ``y_true``. Raises ``ValueError`` otherwise.
    """
    y = np.asarray(y)
    need = {"features", "model", "protocol", "row", "y_true", "y_pred", "fold"}
    missing = need - set(predictions.columns)
    if missing:
        raise ValueError(f"predictions lack columns {sorted(missing)}")
    for key, sub in predictions.groupby(["features", "model", "protocol"], sort=False):
        rows = np.sort(sub["row"].to_numpy())
        if len(rows) != len(y) or not np.array_equal(rows, np.arange(len(y))):
            raise ValueError(f"{key}: predictions do not cover every row exactly once")
        if not np.isfinite(sub["y_pred"].to_numpy(dtype=float)).all():
            raise ValueError(f"{key}: non-finite predictions")
        if not np.array_equal(sub.sort_values("row")["y_true"].to_numpy(), y):
            raise ValueError(f"{key}: y_true does not match y")


def compare_models(
    feature_sets: Mapping[str, Any],
    y,
    *,
    models: Sequence[str] | Mapping[str, Callable[[int], Any]],
    protocols: Mapping[str, Any],
    seed: int,
    n_splits: int = 5,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    progress: bool = True,
    n_jobs: int | None = None,
) -> Comparison:
    """Cross-validate every feature set x model x protocol on the same ``y``.

    ``models``: short names for :func:`make_model` (with ``params[name]`` overrides) or
    ``{label: factory(seed) -> estimator}`` (e.g. a :func:`make_search`). ``protocols``:
    ``{label: None}`` for a random split or ``{label: groups}`` for a grouped split. Every run
    uses the same seed, so protocols with the same groups share folds across models.
    ``n_jobs`` is passed to :func:`cross_validate_model` (``None``: folds in parallel for
    single-threaded models).
    """
    from tqdm.auto import tqdm

    y = np.asarray(y)
    if isinstance(models, Mapping):
        factories = dict(models)
    else:
        params = params or {}
        factories = {m: (lambda s, m=m: make_model(m, seed=s, **params.get(m, {}))) for m in models}
    jobs = [(f, m, p) for f in feature_sets for m in factories for p in protocols]
    table, folds, preds, results = [], [], [], {}
    for fname, mname, pname in tqdm(jobs, desc="compare", disable=not progress):
        X = feature_sets[fname]
        if len(X) != len(y):
            raise ValueError(f"feature set {fname!r} has {len(X)} rows but y has {len(y)}")
        groups = protocols[pname]
        res = cross_validate_model(
            factories[mname](seed),
            X,
            y,
            groups=groups,
            split="random" if groups is None else "group",
            n_splits=n_splits,
            seed=seed,
            n_jobs=n_jobs,
        )
        results[(fname, mname, pname)] = res
        names = REGRESSION_METRICS if res.task == "regression" else CLASSIFICATION_METRICS
        for metric in names:
            table.append(
                {
                    "features": fname,
                    "model": mname,
                    "protocol": pname,
                    "metric": metric,
                    "mean": res.summary[f"{metric}_mean"],
                    "std": res.summary[f"{metric}_std"],
                    "n_folds": len(res.folds),
                }
            )
        folds.append(res.folds.assign(features=fname, model=mname, protocol=pname))
        preds.append(
            pd.DataFrame(
                {
                    "features": fname,
                    "model": mname,
                    "protocol": pname,
                    "row": np.arange(len(y)),
                    "y_true": y,
                    "y_pred": res.oof,
                    "fold": res.fold,
                }
            )
        )
    predictions = pd.concat(preds, ignore_index=True)
    validate_predictions(predictions, y)
    return Comparison(
        table=pd.DataFrame(table),
        folds=pd.concat(folds, ignore_index=True),
        predictions=predictions,
        results=results,
    )


def feature_importance(model, names: Sequence[str], *, top: int = 20) -> pd.Series:
    """Impurity (RF) or gain (xgboost) importances of a fitted tree model, largest first."""
    if not hasattr(model, "feature_importances_"):
        raise ValueError(f"{type(model).__name__} has no feature_importances_ (fit a tree model first)")
    values = np.asarray(model.feature_importances_, dtype=float)
    if len(values) != len(names):
        raise ValueError(f"{len(values)} importances but {len(names)} names")
    return pd.Series(values, index=list(names)).sort_values(ascending=False).head(top)


def errors_by_group(y_true, y_pred, labels) -> pd.DataFrame:
    """R^2, RMSE, MAE and count per label (e.g. material family) of out-of-fold predictions."""
    frame = pd.DataFrame(
        {"y": np.asarray(y_true, float), "p": np.asarray(y_pred, float), "g": np.asarray(labels)}
    )
    rows = []
    for g, sub in frame.groupby("g", sort=True):
        m = (
            regression_metrics(sub["y"], sub["p"])
            if len(sub) > 1
            else {"r2": np.nan, "rmse": np.nan, "mae": np.nan}
        )
        rows.append({"group": g, "n": len(sub), **m})
    return pd.DataFrame(rows).set_index("group")
