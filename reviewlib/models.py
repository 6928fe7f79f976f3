"""Estimator factories, named split protocols, cross-validated metrics and model comparison.

* :func:`make_model` -- seeded scikit-learn / xgboost estimators by short name
  (``rfr``, ``xgbr``, ``svr``, ``ridge`` regressors; ``rfc``, ``xgbc``, ``logreg`` classifiers).
* :func:`make_search` -- a small documented hyper-parameter search (``RandomizedSearchCV`` over
  :data:`SEARCH_SPACES`, a fixed seeded budget, inner CV grouped when groups are given).
* :func:`cross_validate_model` -- K-fold CV with a named protocol (``random`` = shuffled KFold,
  ``group`` = shuffled GroupKFold: no group in both train and test), per-fold metrics and
  out-of-fold predictions; :func:`cross_validate_many` runs several at once (one per worker).
* :func:`compare_models` -- several feature sets x models x protocols into one tidy table, with
  the predictions recorded and validated (matbench-like).
* :func:`tc_class` -- the Stanev et al. (2018) Tc > 10 K classification (its accuracy,
  precision, recall and F1: :func:`reviewlib.evaluation.classification_metrics`).

Everything random takes ``seed``; estimators use at most 2 threads (``N_JOBS``).

Cross-validation, metrics, bootstrap and group labels live in the evaluation core
(:mod:`reviewlib.evaluation`); ``cross_validate_model``, ``CVResult`` and ``compare_models``
here are thin users of it (no re-exports: import those names from the core).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from reviewlib.evaluation import OOFResult, out_of_fold
from reviewlib.evaluation.baselines import make_baseline
from reviewlib.evaluation.metrics import (
    CLASSIFICATION_METRICS,
    REGRESSION_METRICS,
    regression_metrics,
)
from reviewlib.evaluation.splits import make_splitter

__all__ = [  # estimators, search spaces and the cross-validation conveniences built on reviewlib.evaluation
    "BASELINES",
    "CLASSIFIERS",
    "N_JOBS",
    "REGRESSORS",
    "SEARCH_SPACES",
    "SPLITS",
    "CVResult",
    "Comparison",
    "compare_models",
    "cross_validate_model",
    "cross_validate_many",
    "errors_by_group",
    "feature_importance",
    "fold_jobs",
    "is_classifier_name",
    "make_model",
    "make_search",
    "make_splitter",
    "tc_class",
    "validate_predictions",
]

N_JOBS = 2
REGRESSORS = ("rfr", "xgbr", "svr", "ridge")
CLASSIFIERS = ("rfc", "xgbc", "logreg")
#: trivial baselines: predict the training mean / median (regression), the majority class
BASELINES = ("mean", "median", "majority")
#: split names of :func:`cross_validate_model` (any name of :mod:`reviewlib.evaluation.splits`
#: works too: "grouped by chemical system", "leave one element out")
SPLITS = ("random", "group")

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
    if name in BASELINES:
        return make_baseline(name)
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


def tc_class(tc_K, *, threshold_K: float = 10.0) -> np.ndarray:
    """Stanev et al. (2018) class label: 1 if Tc > ``threshold_K`` (K), else 0."""
    tc = np.asarray(tc_K, dtype=float)
    if not np.isfinite(tc).all() or (tc < 0).any():
        raise ValueError("tc_K must be finite and non-negative")
    return (tc > threshold_K).astype(int)


# ----------------------------------------------------------------------------- groups and splits


# ----------------------------------------------------------------------------- cross-validation


#: the outcome of :func:`cross_validate_model`: the core's :class:`reviewlib.evaluation.OOFResult`
CVResult = OOFResult


def fold_jobs(model) -> int:
    """Folds to fit in parallel: :data:`N_JOBS` if every ``n_jobs`` parameter of ``model`` (and
    of its nested estimators) is 1 or absent, else 1 (the estimator already uses the cores).
    """
    threads = [v for k, v in model.get_params(deep=True).items() if k == "n_jobs" or k.endswith("__n_jobs")]
    multi = any(v is not None and (v < 0 or v > 1) for v in threads)
    return 1 if multi else N_JOBS


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
    """K-fold cross-validation of a fresh clone of ``model`` per fold
    (:func:`reviewlib.evaluation.out_of_fold`, which also gives the baselines on the same folds).

    ``split="random"``: shuffled KFold (stratified for classifiers); ``split="group"`` (or any
    ``"grouped by <what>"``): shuffled GroupKFold over ``groups`` (normalised composition,
    Materials Project parent id, ...); ``"leave one <what> out"``: one group per fold.
    Regression metrics R^2, RMSE, MAE are in the unit of ``y``; classification metrics are
    accuracy, precision, recall, F1. A search from :func:`make_search` gets the training fold's
    ``groups`` for its inner CV (nested CV). ``n_jobs``: folds fitted in parallel (joblib);
    ``None`` picks :data:`N_JOBS` for single-threaded estimators (xgboost with ``n_jobs=1``, SVR,
    ridge) and 1 for estimators that already use several cores. Results do not depend on it.
    Raises ``ValueError`` for NaN in ``X``/``y`` or a length mismatch.
    """
    jobs = fold_jobs(model) if n_jobs is None else int(n_jobs)
    return out_of_fold(
        model,
        X,
        y,
        split=split,
        groups=groups,
        n_splits=n_splits,
        seed=seed,
        sample_weight=sample_weight,
        n_jobs=jobs,
        progress=progress,
        backend="loky",
    )


def cross_validate_many(runs: Sequence[Mapping[str, Any]], *, n_jobs: int = N_JOBS) -> list[CVResult]:
    """Several independent :func:`cross_validate_model` runs, all their folds in one pool.

    ``runs``: one keyword mapping per run (``model``, ``X``, ``y`` and the other arguments of
    :func:`cross_validate_model` except ``n_jobs`` and ``progress``). Every fold of every run is
    one task of a single pool of ``n_jobs`` joblib workers
    (:func:`reviewlib.evaluation.out_of_fold_many`), so the cores stay busy across runs (5 folds
    of one run on 2 workers leave one idle in the last round). The results are those of
    :func:`cross_validate_model` run by run (they do not depend on ``n_jobs``), in the order of
    ``runs``. Only for single-threaded estimators (:func:`fold_jobs` > 1: xgboost with
    ``n_jobs=1``, SVR, ridge): a multi-threaded one raises ``ValueError`` (a pool inside a pool
    oversubscribes the cores).
    """
    from reviewlib.evaluation import out_of_fold_many

    runs = [dict(r) for r in runs]
    for i, r in enumerate(runs):
        if fold_jobs(r["model"]) == 1:
            raise ValueError(
                f"run {i}: {type(r['model']).__name__} is multi-threaded; use cross_validate_model"
            )
    return out_of_fold_many(runs, n_jobs=int(n_jobs), backend="loky")


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
    pool_runs: bool = False,
) -> Comparison:
    """Cross-validate every feature set x model x protocol on the same ``y``.

    ``models``: short names for :func:`make_model` (with ``params[name]`` overrides) or
    ``{label: factory(seed) -> estimator}`` (e.g. a :func:`make_search`). ``protocols``:
    ``{label: None}`` for a random split or ``{label: groups}`` for a grouped split. Every run
    uses the same seed, so protocols with the same groups share folds across models.
    ``n_jobs`` is passed to :func:`cross_validate_model` (``None``: folds in parallel for
    single-threaded models). ``pool_runs=True`` (with ``n_jobs=None``) fits the folds of all
    runs of single-threaded models in one pool (:func:`cross_validate_many`: no worker idles
    between runs); the others run one by one. The results do not depend on it.
    """
    from tqdm.auto import tqdm

    y = np.asarray(y)
    if isinstance(models, Mapping):
        factories = dict(models)
    else:
        params = params or {}
        factories = {m: (lambda s, m=m: make_model(m, seed=s, **params.get(m, {}))) for m in models}
    jobs = [(f, m, p) for f in feature_sets for m in factories for p in protocols]
    for fname in feature_sets:
        if len(feature_sets[fname]) != len(y):
            raise ValueError(f"feature set {fname!r} has {len(feature_sets[fname])} rows but y has {len(y)}")

    def run(fname, mname, pname):
        groups = protocols[pname]
        return {
            "model": factories[mname](seed),
            "X": feature_sets[fname],
            "y": y,
            "groups": groups,
            "split": "random" if groups is None else "group",
            "n_splits": n_splits,
            "seed": seed,
        }

    pooled: dict[tuple[str, str, str], CVResult] = {}
    if pool_runs and n_jobs is None:
        runs = {job: run(*job) for job in jobs}
        single = [job for job in jobs if fold_jobs(runs[job]["model"]) > 1]
        if len(single) > 1:
            pooled = dict(zip(single, cross_validate_many([runs[j] for j in single]), strict=True))
    table, folds, preds, results = [], [], [], {}
    for fname, mname, pname in tqdm(jobs, desc="compare", disable=not progress):
        job = (fname, mname, pname)
        res = pooled[job] if job in pooled else cross_validate_model(**run(*job), n_jobs=n_jobs)
        results[job] = res
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
