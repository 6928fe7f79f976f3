"""One out-of-fold routine: any named split, an estimator or a factory, 1-d or 2-d targets,
several model seeds, and the trivial baselines on the same folds.

:func:`out_of_fold` fits a fresh model per fold (a clone of an estimator, or ``factory(seed)``),
predicts the held-out rows, and computes on the same folds the training mean and median
(regression) or the majority class (classification). The :class:`OOFResult` holds the
out-of-fold predictions, per-fold scores, the per-seed predictions (for a bootstrap that covers
seed variance) and the baselines; :meth:`OOFResult.best_baseline` names the stronger baseline.
:func:`reviewlib.book.results.record_cv` records an :class:`OOFResult` (and its baselines).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from reviewlib.evaluation.baselines import CLASSIFICATION_BASELINES, REGRESSION_BASELINES, baseline_value
from reviewlib.evaluation.metrics import (
    CLASSIFICATION_METRICS,
    LOWER_IS_BETTER,
    REGRESSION_METRICS,
    classification_metrics,
    regression_metrics,
)
from reviewlib.evaluation.splits import make_splitter, split_kind


@dataclass
class OOFResult:
    """Outcome of :func:`out_of_fold` (also :class:`reviewlib.models.CVResult`).

    ``folds`` has one row per fold (``fold``, ``n_train``, ``n_test``, metrics, ``fit_s``; for a
    2-d target one row per fold and target with a ``target`` column); ``summary`` maps
    ``<metric>_mean`` / ``<metric>_std`` (std over folds, ddof = 1; 2-d: ``<target>:<metric>_...``);
    ``oof`` holds the out-of-fold prediction of every row (mean over the model seeds) and
    ``fold`` its test fold; ``best_params`` the inner search's choice per fold (empty without a
    search). ``seed_oof`` (seeds x rows[, targets]) holds each seed's predictions, ``baselines``
    the baselines' out-of-fold predictions by name, ``y`` the targets, ``n_train`` the training
    size per fold.
    """

    task: str
    split: str
    folds: pd.DataFrame
    summary: dict[str, float]
    oof: np.ndarray
    fold: np.ndarray
    best_params: list[dict] = field(default_factory=list)
    seeds: list[int] = field(default_factory=list)
    seed_oof: np.ndarray | None = None
    baselines: dict[str, np.ndarray] = field(default_factory=dict)
    y: np.ndarray | None = None
    n_train: np.ndarray | None = None
    target_names: list[str] = field(default_factory=list)

    def format(self, metric: str, *, digits: int = 3) -> str:
        """``"mean ± std"`` of one metric."""
        return f"{self.summary[f'{metric}_mean']:.{digits}f} ± {self.summary[f'{metric}_std']:.{digits}f}"

    def all_predictions(self) -> dict[str, np.ndarray]:
        """``{"model": oof, "training mean": ..., "training median": ...}`` (or majority class)."""
        return {"model": self.oof, **self.baselines}

    def baseline_scores(self, metric: str = "rmse") -> dict[str, float]:
        """A pooled out-of-fold score of every baseline (1-d targets)."""
        if self.y is None or self.y.ndim != 1:
            raise ValueError("baseline_scores needs a 1-d target (use column(j) first)")
        score = regression_metrics if self.task == "regression" else classification_metrics
        return {name: score(self.y, pred)[metric] for name, pred in self.baselines.items()}

    def best_baseline(self, metric: str | None = None) -> str:
        """The stronger baseline by a pooled out-of-fold ``metric`` (default RMSE / accuracy);
        the first one on ties (training mean before median).
        """
        metric = metric or ("rmse" if self.task == "regression" else "accuracy")
        scores = self.baseline_scores(metric)
        sign = 1.0 if metric in LOWER_IS_BETTER else -1.0
        return min(scores, key=lambda k: sign * scores[k])

    def baseline_result(self, name: str) -> OOFResult:
        """A baseline as an :class:`OOFResult` on the same folds (for the results store)."""
        if name not in self.baselines:
            raise KeyError(f"no baseline {name!r}; have {sorted(self.baselines)}")
        pred = self.baselines[name]
        folds, summary = _score_folds(
            self.y, pred, self.fold, self.n_train, task=self.task, fit_s=None, names=self.target_names
        )
        return replace(
            self, folds=folds, summary=summary, oof=pred, best_params=[], seed_oof=pred[None], baselines={}
        )

    def column(self, j: int) -> OOFResult:
        """Target ``j`` of a 2-d result as a 1-d result (its own folds table and summary)."""
        if self.y is None or self.y.ndim != 2:
            raise ValueError("column() is for a 2-d target")
        pred = self.oof[:, j]
        fit_s = self.folds.groupby("fold", sort=True)["fit_s"].first().to_numpy()
        folds, summary = _score_folds(
            self.y[:, j], pred, self.fold, self.n_train, task=self.task, fit_s=fit_s, names=[]
        )
        return replace(
            self,
            folds=folds,
            summary=summary,
            oof=pred,
            y=self.y[:, j],
            seed_oof=None if self.seed_oof is None else self.seed_oof[:, :, j],
            baselines={k: v[:, j] for k, v in self.baselines.items()},
            target_names=[],
        )


def _score_folds(y, pred, fold_of, n_train, *, task, fit_s, names):
    """Per-fold metrics table and its mean/std summary (see :class:`OOFResult`)."""
    metric_names = REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS

    def score(t, p):
        # a model that predicts NaN somewhere gets NaN scores for that fold instead of an error
        if task == "regression" and not np.isfinite(np.asarray(p, dtype=float)).all():
            return dict.fromkeys(metric_names, float("nan"))
        return (regression_metrics if task == "regression" else classification_metrics)(t, p)

    n_folds = int(fold_of.max()) + 1
    rows = []
    for k in range(n_folds):
        test = fold_of == k
        base = {"fold": k, "n_train": int(n_train[k]), "n_test": int(test.sum())}
        timing = {} if fit_s is None else {"fit_s": float(fit_s[k])}
        if y.ndim == 1:
            rows.append({**base, **score(y[test], pred[test]), **timing})
        else:
            for j in range(y.shape[1]):
                name = names[j] if names else str(j)
                rows.append({**base, "target": name, **score(y[test, j], pred[test, j]), **timing})
    folds = pd.DataFrame(rows)
    summary: dict[str, float] = {}
    if y.ndim == 1:
        for m in metric_names:
            summary[f"{m}_mean"] = float(folds[m].mean())
            summary[f"{m}_std"] = float(folds[m].std(ddof=1))
    else:
        for name, sub in folds.groupby("target", sort=False):
            for m in metric_names:
                summary[f"{name}:{m}_mean"] = float(sub[m].mean())
                summary[f"{name}:{m}_std"] = float(sub[m].std(ddof=1))
    return folds, summary


def is_factory(model) -> bool:
    """True for a ``factory(seed) -> estimator`` (a callable without ``fit``)."""
    return callable(model) and not hasattr(model, "fit")


def build(model, seed: int):
    """A fresh estimator: ``model(seed)`` for a factory; for an estimator a clone with every
    ``random_state`` parameter set to ``seed`` (when ``seed`` is not ``None``).
    """
    from sklearn.base import clone

    if is_factory(model):
        return model(seed)
    est = clone(model)
    if seed is not None:  # None: the estimator's own random_state
        keys = [k for k in est.get_params(deep=True) if k == "random_state" or k.endswith("__random_state")]
        if keys:
            est.set_params(**dict.fromkeys(keys, int(seed)))
    return est


def _task_of(model) -> str:
    from sklearn.base import is_classifier

    return "classification" if is_classifier(model) else "regression"


def _fit_one(model, seed, X, y, train, test, fit_kw):
    from sklearn.model_selection._search import BaseSearchCV

    est = build(model, seed)
    t0 = time.perf_counter()
    est.fit(X[train], y[train], **fit_kw)
    fit_s = time.perf_counter() - t0
    best = dict(est.best_params_) if isinstance(est, BaseSearchCV) else None
    return np.asarray(est.predict(X[test])), fit_s, best


def _vote(labels: np.ndarray) -> np.ndarray:
    """Majority label over axis 0 (seeds); the smallest label on ties."""
    out = np.empty(labels.shape[1:], dtype=labels.dtype)
    for idx in np.ndindex(*labels.shape[1:]):
        values, counts = np.unique(labels[(slice(None), *idx)], return_counts=True)
        out[idx] = values[np.argmax(counts)]
    return out


@dataclass
class _Plan:
    """One :func:`out_of_fold` run before fitting: checked arrays, folds and fit tasks."""

    model: Any
    Xa: np.ndarray
    ya: np.ndarray
    split: str
    splits: list
    fit_seeds: list
    jobs: list
    tasks: list
    task: str
    target_names: Sequence[str] | None


def out_of_fold(
    model: Any,
    X,
    y,
    *,
    split: str = "random",
    groups=None,
    n_splits: int | None = 5,
    seed: int,
    seeds: Sequence[int] | None = None,
    splits: Sequence[tuple[np.ndarray, np.ndarray]] | None = None,
    sample_weight=None,
    n_jobs: int = 1,
    progress: bool = False,
    stratify: bool | None = None,
    target_names: Sequence[str] | None = None,
    backend: str | None = None,
    missing_features: str = "refuse",
) -> OOFResult:
    """Out-of-fold predictions of ``model`` under a named split, with the trivial baselines.

    ``model``: an estimator (a clone is fitted per fold, with its own ``random_state``; with
    ``seeds`` its ``random_state`` parameters are set to each seed) or a
    ``factory(seed) -> estimator`` (called per fold and seed; ``factory(seed)`` when ``seeds`` is
    ``None``). ``split``: ``"random"``, ``"grouped by
    <what>"`` (shuffled GroupKFold over ``groups``; ``n_splits=None`` = leave one group out) or
    ``"leave one <what> out"`` (see :mod:`reviewlib.evaluation.splits`); the folds are seeded by
    ``seed``; or give ``splits`` (``(train, test)`` pairs) directly. ``y`` may be 1-d or 2-d
    (several targets, fitted together). With several ``seeds`` the prediction is the mean over
    seeds (the majority vote for classifiers) and ``seed_oof`` keeps each seed's predictions.
    A search (:func:`reviewlib.models.make_search`) gets the training fold's ``groups`` (nested
    CV); ``sample_weight`` goes to ``fit``. ``n_jobs`` fits run in parallel (joblib); results do
    not depend on it. Baselines: training mean and median (regression; unweighted), majority
    class (classification), computed on the same training folds.

    ``missing_features``: ``"refuse"`` (default) or ``"model imputes"``, for a model that fills
    missing features itself from its training fold (a pipeline that starts with an imputer):
    then NaN in ``X`` is passed through, so a held-out row never informs the imputation;
    infinities are still refused.

    Raises ``ValueError`` for non-finite ``X`` (regression: or ``y``), a length mismatch or too
    few groups.
    """
    plan = _make_plan(
        model,
        X,
        y,
        split=split,
        groups=groups,
        n_splits=n_splits,
        seed=seed,
        seeds=seeds,
        splits=splits,
        sample_weight=sample_weight,
        stratify=stratify,
        target_names=target_names,
        missing_features=missing_features,
    )
    fits = _run_tasks(plan.tasks, n_jobs=n_jobs, backend=backend, desc=f"CV {split}", progress=progress)
    return _assemble(plan, fits)


def out_of_fold_many(
    runs: Sequence[Mapping[str, Any]], *, n_jobs: int = 1, backend: str | None = None
) -> list[OOFResult]:
    """Several independent :func:`out_of_fold` runs with all their fits in one pool.

    ``runs``: one keyword mapping per run (``model``, ``X``, ``y`` and the other arguments of
    :func:`out_of_fold` except ``n_jobs``, ``progress`` and ``backend``). Every (run, fold, seed)
    fit is one task of a single joblib pool of ``n_jobs`` workers, so the cores stay busy across
    runs (5 folds of one run on 2 workers leave one idle in the last round). The results are
    those of :func:`out_of_fold` run by run, in the order of ``runs``.
    """
    plans = []
    for i, run in enumerate(runs):
        kw = dict(run)
        bad = {"n_jobs", "progress", "backend"} & set(kw)
        if bad:
            raise ValueError(f"run {i}: {sorted(bad)} belong to out_of_fold_many, not to a run")
        plans.append(_make_plan(kw.pop("model"), kw.pop("X"), kw.pop("y"), **kw))
    tasks = [t for plan in plans for t in plan.tasks]
    fits = _run_tasks(tasks, n_jobs=n_jobs, backend=backend, desc="CV runs", progress=False)
    out, start = [], 0
    for plan in plans:
        out.append(_assemble(plan, fits[start : start + len(plan.tasks)]))
        start += len(plan.tasks)
    return out


def _make_plan(
    model: Any,
    X,
    y,
    *,
    split: str = "random",
    groups=None,
    n_splits: int | None = 5,
    seed: int,
    seeds: Sequence[int] | None = None,
    splits: Sequence[tuple[np.ndarray, np.ndarray]] | None = None,
    sample_weight=None,
    stratify: bool | None = None,
    target_names: Sequence[str] | None = None,
    missing_features: str = "refuse",
) -> _Plan:
    """Checked inputs, folds and fit tasks of one :func:`out_of_fold` run (its arguments)."""
    Xa = X.to_numpy(dtype=float) if isinstance(X, pd.DataFrame) else np.asarray(X, dtype=float)
    ya = np.asarray(y)
    if Xa.ndim != 2 or len(Xa) != len(ya):
        raise ValueError(f"X has shape {Xa.shape} but y has {len(ya)} rows")
    if missing_features not in ("refuse", "model imputes"):
        raise ValueError(f"missing_features is 'refuse' or 'model imputes', not {missing_features!r}")
    bad = ~np.isfinite(Xa)
    if missing_features == "model imputes":
        bad &= ~np.isnan(Xa)
    if bad.any():
        cols = np.where(bad.any(axis=0))[0][:5]
        names = [X.columns[c] for c in cols] if isinstance(X, pd.DataFrame) else cols.tolist()
        raise ValueError(
            f"X has non-finite values (columns {names}); X and y must be finite (for a model "
            "that imputes missing features from its training fold: missing_features='model imputes')"
        )
    model_seeds = [seed] if seeds is None else [int(s) for s in seeds]
    if not model_seeds:
        raise ValueError("seeds must hold at least one seed")
    # an estimator without seeds keeps its own random_state (a plain clone per fold)
    fit_seeds: list[int | None] = [None] if seeds is None and not is_factory(model) else list(model_seeds)
    probe = build(model, model_seeds[0]) if is_factory(model) else model
    task = _task_of(probe)
    if task == "regression":
        ya = ya.astype(float)
        if not np.isfinite(ya).all():
            raise ValueError("y has non-finite values; X and y must be finite")
    if ya.ndim not in (1, 2):
        raise ValueError(f"y must be 1-d or 2-d, got shape {ya.shape}")
    if groups is not None:
        groups = np.asarray(groups, dtype=object)
        if len(groups) != len(ya):
            raise ValueError(f"groups has {len(groups)} entries but y has {len(ya)}")
    weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
    if splits is None:
        kind = split_kind(split)
        splitter = make_splitter(
            split,
            n_splits=n_splits,
            seed=seed,
            groups=groups,
            stratify=(task == "classification" and ya.ndim == 1) if stratify is None else stratify,
        )
        splits = list(splitter.split(Xa, ya, None if kind == "random" else groups))
    else:
        splits = [(np.asarray(tr, dtype=int), np.asarray(te, dtype=int)) for tr, te in splits]
    from sklearn.model_selection._search import BaseSearchCV

    def fit_kwargs(train):
        kw: dict[str, Any] = {}
        if weights is not None:
            kw["sample_weight"] = weights[train]
        if isinstance(probe, BaseSearchCV) and groups is not None:
            kw["groups"] = groups[train]
        return kw

    jobs = [(k, s) for k in range(len(splits)) for s in fit_seeds]
    tasks = [(model, s, Xa, ya, splits[k][0], splits[k][1], fit_kwargs(splits[k][0])) for k, s in jobs]
    return _Plan(model, Xa, ya, split, splits, fit_seeds, jobs, tasks, task, target_names)


def _run_tasks(tasks: list[tuple], *, n_jobs: int, backend: str | None, desc: str, progress: bool) -> list:
    """``_fit_one(*task)`` for every task, serially or in a joblib pool of ``n_jobs`` workers."""
    from tqdm.auto import tqdm

    if n_jobs <= 1 or len(tasks) < 2:
        return [_fit_one(*t) for t in tqdm(tasks, desc=desc, disable=not progress)]
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=min(n_jobs, len(tasks)), **({"backend": backend} if backend else {}))
    return parallel(delayed(_fit_one)(*t) for t in tqdm(tasks, desc=desc, disable=not progress))


def _assemble(plan: _Plan, fits: list) -> OOFResult:
    """The :class:`OOFResult` of a plan from its fits (in the order of ``plan.jobs``)."""
    ya, splits, fit_seeds, jobs, task = plan.ya, plan.splits, plan.fit_seeds, plan.jobs, plan.task
    target_names, split = plan.target_names, plan.split
    n_seeds = len(fit_seeds)
    seed_oof = np.full((n_seeds, *ya.shape), np.nan)
    baselines_names = REGRESSION_BASELINES if task == "regression" else CLASSIFICATION_BASELINES
    base = {name: np.full(ya.shape, np.nan) for name in baselines_names}
    fold_of = np.full(len(ya), -1)
    n_train = np.zeros(len(splits), dtype=int)
    fit_s = np.zeros(len(splits))
    best: list[dict] = []
    for (k, s), (pred, seconds, best_params) in zip(jobs, fits, strict=True):
        train, test = splits[k]
        seed_oof[fit_seeds.index(s)][test] = np.asarray(pred, dtype=float).reshape((len(test), *ya.shape[1:]))
        fit_s[k] += seconds
        if best_params is not None:
            best.append(best_params)
    for k, (train, test) in enumerate(splits):
        fold_of[test] = k
        n_train[k] = len(train)
        for name in baselines_names:
            base[name][test] = baseline_value(ya[train], name)
    if (fold_of < 0).any():
        raise RuntimeError("some rows were never in a test fold")
    if n_seeds == 1:
        oof = seed_oof[0].copy()
    elif task == "regression":
        oof = seed_oof.mean(axis=0)
    else:
        oof = _vote(seed_oof).astype(float)
    names = list(target_names) if target_names is not None else []
    if ya.ndim == 2 and names and len(names) != ya.shape[1]:
        raise ValueError(f"{len(names)} target_names for {ya.shape[1]} targets")
    folds, summary = _score_folds(ya, oof, fold_of, n_train, task=task, fit_s=fit_s, names=names)
    return OOFResult(
        task=task,
        split=split,
        folds=folds,
        summary=summary,
        oof=oof,
        fold=fold_of,
        best_params=best,
        seeds=[s for s in fit_seeds if s is not None],
        seed_oof=seed_oof,
        baselines=base,
        y=ya,
        n_train=n_train,
        target_names=names,
    )


def fit_predict_many(
    fits: Sequence[tuple[Any, Any, Any, Any, Any]],
    *,
    n_jobs: int = 1,
) -> list[np.ndarray]:
    """Predictions of several independent fits, ``[model.fit(X[train], y[train]).predict(X[test])
    for model, X, y, train, test in fits]``, run through joblib with ``n_jobs`` workers.

    Each ``model`` is an unfitted, seeded estimator (a clone is fitted, so ``model`` stays
    unfitted) or a ``factory(seed) -> estimator`` called with ``None``; ``train`` and ``test``
    are row indices of ``X`` and ``y``. The fits are independent, so the predictions do not
    depend on ``n_jobs`` or on the order; use single-threaded estimators (xgboost with
    ``n_jobs=1``) so that the workers do not oversubscribe the cores. Hold-out splits, other
    seeds and hyper-parameter grids of one chapter go into one call, so the workers stay busy.
    """
    tasks = [
        (
            model,
            None,
            np.asarray(X),
            np.asarray(y),
            np.asarray(train, dtype=int),
            np.asarray(test, dtype=int),
            {},
        )
        for model, X, y, train, test in fits
    ]
    out = _run_tasks(tasks, n_jobs=n_jobs, backend=None, desc="fits", progress=False)
    return [pred for pred, _, _ in out]
