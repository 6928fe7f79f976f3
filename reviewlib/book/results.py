"""The results store: every model evaluation a notebook makes, as one tidy row.

Beside the claims API (:mod:`reviewlib.book.claims`, a reported number against ours), this records
*every* score a chapter computes, so that the book can show them side by side ("All results") and
the synthesis chapter can ask which model wins where. One row is one (notebook, dataset, target,
split protocol, features, model, metric) with its value, uncertainty and sizes::

    from reviewlib.book import results

    results.record_comparison(comp, dataset="3dsc_mp", target="Tc", unit="K")  # a compare_models run
    results.record_cv(cv, dataset="osaka_hydrides", target="Tc", unit="K", split="grouped by compound",
                      features="Magpie", model="random forest")
    results.record(dataset=..., target=..., split="held-out test (published split)", features=...,
                   model="training mean", baseline=True, metric="mae", value=4.2, unit="K",
                   ci_low=3.1, ci_high=5.4, uncertainty_kind="95% bootstrap", n_train=800, n_test=200)

Rows go to ``<records_dir>/results/<notebook>.jsonl`` (the runner clears a notebook's file before
it runs it, and publishing keeps it with the run's claim records). :func:`load` reads them back
and checks them; :func:`with_baselines` puts the trivial baseline of each group beside every row;
:func:`best_per_group` and :func:`ranking_changes` answer "which algorithm suits which problem";
:func:`best_against_baseline` and :func:`random_vs_grouped` feed the compact view of the book's page.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reviewlib.book import claims
from reviewlib.evaluation.baselines import BASELINE_MODELS

RESULTS = "results"  # sub-folder of the records folder
# BASELINE_MODELS: the names that mark a trivial baseline, one vocabulary from the evaluation core
# (make_model's short "mean"/"median"/"majority" and "training mean"/"training median"/"majority class")

#: metrics for which a lower value is better; every other metric is "higher is better"
LOWER_IS_BETTER = frozenset({"mae", "rmse", "mse", "mape", "mdae", "median_ae", "max_error", "rel_mae"})
#: metrics the store accepts (lower case); a typo would make a group of its own, so it is refused
METRICS = LOWER_IS_BETTER | frozenset(
    {"r2", "accuracy", "balanced_accuracy", "f1", "precision", "recall", "roc_auc", "spearman", "pearson"}
    | {"daf", "coverage"}  # discovery acceleration factor; coverage of a 95 % interval (nominal 0.95)
)
#: group key: rows that share it are comparable (same data, target, split and metric)
GROUP = ["notebook", "dataset", "target", "split", "metric"]
#: key of the compact view (:func:`best_against_baseline`): one row per chapter, data, target, split
SUMMARY_KEY = ["notebook", "dataset", "target", "split"]
#: error metrics a group is summarised by in the compact view, in order of preference
PRIMARY_ERRORS = ("mae", "rmse")
COLUMNS = [
    "notebook",
    "dataset",
    "target",
    "split",
    "features",
    "model",
    "baseline",
    "metric",
    "value",
    "unit",
    "uncertainty",
    "uncertainty_kind",
    "ci_low",
    "ci_high",
    "n_train",
    "n_test",
    "mode",
    "note",
    "timestamp",
]


@dataclass(frozen=True)
class Result:
    """One model evaluation (see the module docstring for the fields' meaning).

    ``split`` names the protocol ("random 5-fold", "grouped by composition, 5-fold", "held-out
    test"); ``uncertainty`` is the std over folds or half the bootstrap interval, as
    ``uncertainty_kind`` says, with ``ci_low``/``ci_high`` when an interval was computed;
    ``n_train`` is the (mean) training-set size per fit and ``n_test`` the number of predictions
    scored; ``baseline`` marks the trivial baseline of its group (training mean or median).
    """

    notebook: str
    dataset: str
    target: str
    split: str
    features: str
    model: str
    baseline: bool
    metric: str
    value: float
    unit: str
    uncertainty: float | None
    uncertainty_kind: str
    ci_low: float | None
    ci_high: float | None
    n_train: int
    n_test: int
    mode: str
    note: str
    timestamp: float


def results_dir(records_dir: Path | None = None) -> Path:
    """Folder of the result files: ``<records_dir>/results``."""
    base = Path(records_dir) if records_dir is not None else claims.records_dir()
    return base / RESULTS


def _finite_or_none(x, name: str) -> float | None:
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{name} is not finite ({x}); pass None when there is no {name}")
    return x


def record(
    *,
    dataset: str,
    target: str,
    split: str,
    features: str,
    model: str,
    metric: str,
    value: float,
    n_train: int,
    n_test: int,
    unit: str = "",
    baseline: bool = False,
    uncertainty: float | None = None,
    uncertainty_kind: str = "",
    ci_low: float | None = None,
    ci_high: float | None = None,
    note: str = "",
    mode: str | None = None,
) -> Result | None:
    """Append one evaluation to this notebook's result file and return it.

    Raises ``ValueError`` for an unknown metric, a non-finite value, an empty name, ``n_test``
    below 1, a negative ``n_train`` (0 is a closed form: nothing fitted) or an interval that does
    not contain the value. Writes nothing (returns ``None``) while recording is off
    (:func:`reviewlib.book.claims.set_recording`: a run on a user's own data).
    """
    metric = str(metric).lower()
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; use one of {sorted(METRICS)}")
    for name, text in (("dataset", dataset), ("target", target), ("split", split)):
        if not str(text).strip():
            raise ValueError(f"{name} must be named (e.g. the registry name, 'Tc', 'grouped by compound')")
    for name, text in (("features", features), ("model", model)):
        if not str(text).strip():
            raise ValueError(f"{name} must be named")
    value = _finite_or_none(value, "value")
    if value is None:
        raise ValueError("value must be a number")
    uncertainty = _finite_or_none(uncertainty, "uncertainty")
    ci_low, ci_high = _finite_or_none(ci_low, "ci_low"), _finite_or_none(ci_high, "ci_high")
    if (ci_low is None) != (ci_high is None):
        raise ValueError("give both ci_low and ci_high, or neither")
    if ci_low is not None:
        if not ci_low <= value + 1e-9 * max(1.0, abs(value)) or not value <= ci_high + 1e-9 * max(
            1.0, abs(value)
        ):
            raise ValueError(f"interval [{ci_low}, {ci_high}] does not contain the value {value}")
        if uncertainty is None:
            uncertainty = (ci_high - ci_low) / 2
    if uncertainty is not None and not uncertainty_kind:
        raise ValueError(
            "say what the uncertainty is (uncertainty_kind='std over 5 folds', '95% bootstrap', ...)"
        )
    if int(n_train) < 0 or int(n_test) < 1:
        raise ValueError(
            f"n_train must be >= 0 (0: a closed form, nothing fitted) and n_test >= 1 "
            f"(got {n_train}, {n_test})"
        )
    if not claims._recording:  # a run on a user's data: nothing goes into the book's store
        return None
    res = Result(
        notebook=os.environ.get("REVIEWLIB_NOTEBOOK", "interactive"),
        dataset=str(dataset),
        target=str(target),
        split=str(split),
        features=str(features),
        model=str(model),
        baseline=bool(baseline),
        metric=metric,
        value=value,
        unit=str(unit),
        uncertainty=uncertainty,
        uncertainty_kind=str(uncertainty_kind),
        ci_low=ci_low,
        ci_high=ci_high,
        n_train=int(n_train),
        n_test=int(n_test),
        mode=mode or os.environ.get("REVIEWLIB_MODE", "unknown"),
        note=str(note),
        timestamp=time.time(),
    )
    out = results_dir()
    out.mkdir(parents=True, exist_ok=True)
    with (out / f"{res.notebook}.jsonl").open("a") as fh:
        fh.write(json.dumps(asdict(res)) + "\n")
    return res


def _ident(dataset, target, split, features, model, baseline, note) -> dict[str, Any]:
    """The fields that name an evaluation (everything but metric, value and sizes)."""
    return {
        "dataset": dataset,
        "target": target,
        "split": split,
        "features": features,
        "model": model,
        "baseline": baseline,
        "note": note,
    }


def unit_of(metric: str, unit: str) -> str:
    """The unit of a metric's value: the target's unit for absolute errors, none for scores."""
    return unit if metric.lower() in LOWER_IS_BETTER - {"mape", "rel_mae"} else ""


def record_cv(
    cv,
    *,
    dataset: str,
    target: str,
    split: str,
    features: str,
    model: str,
    unit: str = "",
    metrics: Sequence[str] | None = None,
    baseline: bool = False,
    note: str = "",
    baselines: bool = False,
) -> list[Result]:
    """Record a :class:`reviewlib.models.CVResult` (= :class:`reviewlib.evaluation.OOFResult`):
    one row per metric, value = mean over folds, uncertainty = std over folds, ``n_train`` = mean
    training size, ``n_test`` = all out-of-fold predictions.

    ``baselines=True`` also records the result's baselines on the same folds ("training mean",
    "training median" or "majority class", marked ``baseline=True``): the group's baseline rows.
    """
    out = []
    if baselines:
        for name in getattr(cv, "baselines", {}) or {}:
            out += record_cv(
                cv.baseline_result(name),
                dataset=dataset,
                target=target,
                split=split,
                features=features,
                model=name,
                unit=unit,
                metrics=metrics,
                baseline=True,
                note=note,
            )
    folds = cv.folds
    names = metrics or [k[: -len("_mean")] for k in cv.summary if k.endswith("_mean")]
    ident = _ident(dataset, target, split, features, model, baseline, note)
    for metric in names:
        if metric.lower() not in METRICS:
            continue
        rec = record(
            **ident,
            metric=metric,
            value=cv.summary[f"{metric}_mean"],
            uncertainty=cv.summary.get(f"{metric}_std"),
            uncertainty_kind=f"std over {len(folds)} folds",
            n_train=round(float(folds["n_train"].mean())),
            n_test=int(folds["n_test"].sum()),
            unit=unit_of(metric, unit),
        )
        if rec is not None:
            out.append(rec)
    return out


def record_comparison(
    comparison,
    *,
    dataset: str,
    target: str,
    unit: str = "",
    splits: dict[str, str] | None = None,
    baselines: Iterable[str] = BASELINE_MODELS,
    metrics: Sequence[str] | None = None,
    note: str = "",
) -> list[Result]:
    """Record every (features, model, protocol) of a :class:`reviewlib.models.Comparison`.

    ``splits`` renames the comparison's protocol labels into split descriptions (default: the
    label itself); models named in ``baselines`` are marked as the trivial baseline.
    """
    splits = splits or {}
    out = []
    for (features, model, protocol), cv in comparison.results.items():
        out += record_cv(
            cv,
            dataset=dataset,
            target=target,
            split=splits.get(protocol, protocol),
            features=features,
            model=model,
            unit=unit,
            metrics=metrics,
            baseline=model in set(baselines),
            note=note,
        )
    return out


#: fewer test rows than this: a score is recorded without a bootstrap interval
MIN_BOOTSTRAP_ROWS = 5


def record_bootstrap(
    y_true,
    y_pred,
    *,
    dataset: str,
    target: str,
    split: str,
    features: str,
    model: str,
    n_train: int,
    unit: str = "",
    metrics: Sequence[str] = ("mae", "rmse"),
    baseline: bool = False,
    seed: int = 0,
    n_boot: int = 1000,
    note: str = "",
) -> list[Result]:
    """Record test-set scores of one model with 95 % bootstrap intervals
    (:func:`reviewlib.evaluation.bootstrap_metric`): for small held-out sets. Below
    :data:`MIN_BOOTSTRAP_ROWS` test rows the value is recorded without an interval (the note
    says so): with so few rows the percentiles are just the extreme single-row errors.
    """
    from reviewlib.evaluation import bootstrap_metric

    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    few = len(y_true) < MIN_BOOTSTRAP_ROWS
    if few:  # the percentiles would be the smallest and largest single-row errors
        note = (f"{note}; " if note else "") + f"no interval: fewer than {MIN_BOOTSTRAP_ROWS} rows"
    ident = _ident(dataset, target, split, features, model, baseline, note)
    out = []
    for metric in metrics:
        boot = bootstrap_metric(y_true, y_pred, metric=metric, n_boot=n_boot, seed=seed)
        rec = record(
            **ident,
            metric=metric,
            value=boot["value"],
            ci_low=None if few else boot["low"],
            ci_high=None if few else boot["high"],
            uncertainty_kind="" if few else f"95% bootstrap ({n_boot} resamples)",
            n_train=n_train,
            n_test=len(y_true),
            unit=unit_of(metric, unit),
        )
        if rec is not None:
            out.append(rec)
    return out


# ----------------------------------------------------------------------------- reading


def _read_file(path: Path) -> list[dict]:
    rows = []
    for i, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"{path}:{i}: not a JSON line ({exc}); rerun the notebook that wrote it"
            ) from exc
        missing = set(COLUMNS) - set(row)
        if missing:
            raise ValueError(
                f"{path}:{i}: missing fields {sorted(missing)}; rerun the notebook that wrote it"
            )
        rows.append(row)
    return rows


def load(records_dir: Path | None = None, *, published: bool = False) -> pd.DataFrame:
    """Every recorded result as a table (columns :data:`COLUMNS`).

    ``published=True`` reads the published full-mode runs (``book/published/*/records/results``)
    instead of the records folder: what a chapter that compares across the book should read.
    An exact duplicate row (same key and value) is kept once.
    """
    from reviewlib import settings

    if published:
        root = settings.published_dir()
        files = sorted(
            path
            for path in root.glob(f"*/records/{RESULTS}/*.jsonl")
            if not settings.in_progress(path, published_dir=root)
        )
    else:
        files = sorted(results_dir(records_dir).glob("*.jsonl"))
    rows = [row for path in files for row in _read_file(path)]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    frame["baseline"] = frame["baseline"].astype(bool)
    frame["value"] = frame["value"].astype(float)
    key = [*GROUP, "features", "model"]
    frame = frame.sort_values("timestamp").drop_duplicates(key, keep="last")
    return frame.sort_values([*GROUP, "features", "model"]).reset_index(drop=True)


def better(metric: str, a: float, b: float) -> bool:
    """Whether value ``a`` of ``metric`` is better than ``b``."""
    return a < b if metric.lower() in LOWER_IS_BETTER else a > b


def with_baselines(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``baseline_value`` (the trivial baseline of the row's group; the best one when there are
    several, NaN when the group has none) and ``beats_baseline`` (True / False / NA).
    """
    frame = frame.copy()
    base = frame[frame["baseline"].astype(bool)]  # an empty column of objects would select columns
    best = {}
    for key, sub in base.groupby(GROUP, sort=False):
        vals = sub["value"].to_numpy()
        best[key] = vals.min() if key[-1] in LOWER_IS_BETTER else vals.max()
    frame["baseline_value"] = [best.get(tuple(r), np.nan) for r in frame[GROUP].itertuples(index=False)]
    beats = []
    for r in frame.itertuples():
        if r.baseline or not np.isfinite(r.baseline_value):
            beats.append(pd.NA)
        else:
            beats.append(better(r.metric, r.value, r.baseline_value))
    frame["beats_baseline"] = pd.array(beats, dtype="boolean")
    return frame


def best_per_group(frame: pd.DataFrame, *, by: Sequence[str] = GROUP) -> pd.DataFrame:
    """The best non-baseline row of each group (lowest error or highest score), with the runner-up's
    value and the baseline's. ``by`` may drop ``notebook`` to compare across chapters.
    """
    frame = with_baselines(frame)
    rows = []
    for key, sub in frame[~frame["baseline"]].groupby(list(by), sort=True):
        metric = sub["metric"].iloc[0]
        ordered = sub.sort_values("value", ascending=metric in LOWER_IS_BETTER)
        top = ordered.iloc[0]
        rows.append(
            {
                **dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True)),
                "best model": top["model"],
                "best features": top["features"],
                "value": top["value"],
                "runner-up": ordered.iloc[1]["model"] if len(ordered) > 1 else "",
                "runner-up value": ordered.iloc[1]["value"] if len(ordered) > 1 else np.nan,
                "baseline value": top["baseline_value"],
                "n models": len(ordered),
            }
        )
    return pd.DataFrame(rows)


def ranking_changes(
    frame: pd.DataFrame, *, random_label: str = "random", grouped_label: str = "group"
) -> pd.DataFrame:
    """For each (notebook, dataset, target, metric, features) evaluated under a random split and
    under one or more grouped splits (``split`` containing ``random_label`` / ``grouped_label``),
    one row per grouped split: the model ranking under the random split and under that grouped
    split, and whether the best model and the ranking change. Baselines are left out; only
    models evaluated under both splits are ranked.
    """
    frame = frame[~frame["baseline"]]
    key = ["notebook", "dataset", "target", "metric", "features"]
    rows = []
    for k, sub in frame.groupby(key, sort=True):
        asc = k[3] in LOWER_IS_BETTER
        pairs = split_pairs(splits=sub["split"], random_label=random_label, grouped_label=grouped_label)
        for rs, gs in pairs:
            r = sub[sub["split"] == rs].set_index("model")["value"]
            g = sub[sub["split"] == gs].set_index("model")["value"]
            common = sorted(set(r.index) & set(g.index))
            if len(common) < 2:
                continue
            rank_r = r.loc[common].sort_values(ascending=asc).index
            rank_g = g.loc[common].sort_values(ascending=asc).index
            rows.append(
                {
                    **dict(zip(key, k, strict=True)),
                    "random split": rs,
                    "grouped split": gs,
                    "ranking (random)": " > ".join(rank_r),
                    "ranking (grouped)": " > ".join(rank_g),
                    "best changes": rank_r[0] != rank_g[0],
                    "ranking changes": list(rank_r) != list(rank_g),
                }
            )
    return pd.DataFrame(rows)


def split_pairs(
    *, splits: Iterable[str], random_label: str = "random", grouped_label: str = "group"
) -> list[tuple[str, str]]:
    """Every (random split, grouped split) pair among the split labels ``splits``.

    A label is a random split when it contains ``random_label`` and a grouped split when it
    contains ``grouped_label`` (case-insensitive); a label is never paired with itself.

    Args:
        splits: split labels of one (chapter, dataset, target, metric); repeats are ignored.
        random_label: text that marks a random split.
        grouped_label: text that marks a grouped split.

    Returns:
        The pairs, sorted by random split, then grouped split.
    """
    labels = sorted(set(splits))
    random_splits = [s for s in labels if random_label.lower() in s.lower()]
    grouped_splits = [s for s in labels if grouped_label.lower() in s.lower()]
    return [(rs, gs) for rs in random_splits for gs in grouped_splits if rs != gs]


def primary_error(*, metrics: Iterable[str]) -> str | None:
    """The error metric a group is summarised by: the first of :data:`PRIMARY_ERRORS` present.

    Args:
        metrics: the metrics recorded in the group (lower case, as stored).

    Returns:
        ``"mae"`` or ``"rmse"``; ``None`` when the group has neither (a classification or
        ranking group: accuracy, F1, DAF, coverage).
    """
    present = set(metrics)
    return next((m for m in PRIMARY_ERRORS if m in present), None)


def _interval(row: dict) -> tuple[float, float] | None:
    """The stored interval of a row: ``[ci_low, ci_high]``, else value -/+ uncertainty, else None."""
    if pd.notna(row["ci_low"]) and pd.notna(row["ci_high"]):
        return float(row["ci_low"]), float(row["ci_high"])
    if pd.notna(row["uncertainty"]):
        return row["value"] - row["uncertainty"], row["value"] + row["uncertainty"]
    return None


def _interval_kind(row: dict) -> str:
    """What :func:`_interval` of ``row`` is: the stored ``uncertainty_kind``, prefixed with "± "
    when the interval is value -/+ uncertainty rather than a stored interval ("" when none).
    """
    if pd.notna(row["ci_low"]) and pd.notna(row["ci_high"]):
        return str(row["uncertainty_kind"])
    return f"± {row['uncertainty_kind']}" if pd.notna(row["uncertainty"]) else ""


def _against(top: dict, base: dict | None) -> dict[str, Any]:
    """Skill, verdict and interval overlap of a best row ``top`` against its baseline row."""
    if base is None or not base["value"] > 0:
        return {"skill": np.nan, "beats baseline": pd.NA, "within uncertainties": pd.NA}
    mine, theirs = _interval(top), _interval(base)
    overlap = pd.NA if mine is None or theirs is None else bool(mine[0] <= theirs[1] and theirs[0] <= mine[1])
    return {
        "skill": 1.0 - top["value"] / base["value"],
        "beats baseline": bool(top["value"] < base["value"]),
        "within uncertainties": overlap,
    }


#: columns of :func:`best_against_baseline`
SUMMARY_COLUMNS = [
    *SUMMARY_KEY,
    "metric",
    "unit",
    "model",
    "features",
    "value",
    "interval",
    "interval kind",
    "n_test",
    "n models",
    "baseline model",
    "baseline value",
    "baseline interval",
    "baseline interval kind",
    "skill",
    "beats baseline",
    "within uncertainties",
]


def is_in_sample(split: str) -> bool:
    """Whether a split name marks an in-sample score (a model scored on its own training data).

    Such rows stay in the store and the full table (a chapter may show the gap to held-out
    scores) but never stand for a model in a comparison: the split names ``training set ...``
    or say ``in sample``.
    """
    text = str(split).strip().lower()
    return text.startswith("training set") or "in sample" in text or "in-sample" in text


def best_against_baseline(frame: pd.DataFrame) -> pd.DataFrame:
    """The compact view of the store: per (chapter, dataset, target, split), the best model on the
    group's primary error metric (:func:`primary_error`, lower is better) beside the group's
    trivial baseline (the best of its baseline rows, as :func:`with_baselines` takes it).

    ``skill`` is ``1 - error / baseline error`` (dimensionless: 0 = no better than the baseline,
    1 = no error; NaN without a baseline or with a baseline error of 0); ``beats baseline`` is
    ``error < baseline error``; ``within uncertainties`` says whether the two stored intervals
    overlap (the 95 % bootstrap interval when one is stored, else value -/+ the stored
    uncertainty, e.g. the std over folds; NA when either row has none). An overlap is a flag
    that the stored uncertainties do not resolve the difference, not a significance test.

    Args:
        frame: rows of the store (:func:`load`).

    Returns:
        One row per group with an error metric and a non-baseline model (columns
        :data:`SUMMARY_COLUMNS`, sorted by group); groups scored only by classification or
        ranking metrics, and in-sample scores (:func:`is_in_sample`), are left out.
    """
    if frame.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    frame = frame[~frame["split"].map(is_in_sample)]
    models = frame[~frame["baseline"]]
    chosen = {k: primary_error(metrics=sub["metric"]) for k, sub in models.groupby(SUMMARY_KEY)}
    keys = frame[SUMMARY_KEY].itertuples(index=False, name=None)
    rows = frame[[chosen.get(k) == m for k, m in zip(keys, frame["metric"], strict=True)]]
    if rows.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    by_name = {tuple(r[c] for c in [*GROUP, "features", "model"]): r for r in rows.to_dict("records")}
    bases = rows[rows["baseline"]].to_dict("records")
    out = []
    for best in best_per_group(rows).to_dict("records"):
        key = tuple(best[c] for c in GROUP)
        top = by_name[(*key, best["best features"], best["best model"])]
        base = next(
            (b for b in bases if tuple(b[c] for c in GROUP) == key and b["value"] == best["baseline value"]),
            None,
        )
        out.append(
            {
                **{c: top[c] for c in [*SUMMARY_KEY, "metric", "unit", "model", "features", "value"]},
                "interval": _interval(top),
                "interval kind": _interval_kind(top),
                "n_test": top["n_test"],
                "n models": best["n models"],
                "baseline model": base["model"] if base else "",
                "baseline value": base["value"] if base else np.nan,
                "baseline interval": _interval(base) if base else None,
                "baseline interval kind": _interval_kind(base) if base else "",
                **_against(top, base),
            }
        )
    return pd.DataFrame(out, columns=SUMMARY_COLUMNS)


def random_vs_grouped(
    summary: pd.DataFrame, *, random_label: str = "random", grouped_label: str = "group"
) -> pd.DataFrame:
    """The best model's error relative to its baseline under a random and a grouped split.

    Pairs the splits of each (chapter, dataset, target, metric) of a :func:`best_against_baseline`
    table with :func:`split_pairs` (the pairing of :func:`ranking_changes`). Each split's error is
    divided by that split's own baseline error (``1 - skill``), since the test sets differ: a
    scale-free number, so datasets with different units share one axis.

    Args:
        summary: a :func:`best_against_baseline` table.
        random_label: text that marks a random split.
        grouped_label: text that marks a grouped split.

    Returns:
        One row per pair with a baseline under both splits: the key, ``random split``,
        ``grouped split``, ``random relative error`` and ``grouped relative error``.
    """
    key = ["notebook", "dataset", "target", "metric"]
    columns = [*key, "random split", "grouped split", "random relative error", "grouped relative error"]
    rated = summary[pd.to_numeric(summary["skill"], errors="coerce").notna()]
    rows = []
    for k, sub in rated.groupby(key, sort=True):
        relative = dict(zip(sub["split"], sub["value"] / sub["baseline value"], strict=True))
        pairs = split_pairs(splits=sub["split"], random_label=random_label, grouped_label=grouped_label)
        for rs, gs in pairs:
            rows.append([*k, rs, gs, relative[rs], relative[gs]])
    return pd.DataFrame(rows, columns=columns)


def format_value(
    value: float, unit: str, *, uncertainty: float | None = None, ci: tuple | None = None
) -> str:
    """``"4.47 ± 0.21 K"`` or ``"4.47 K [3.9, 5.1]"`` (3 significant figures)."""
    text = f"{value:.3g}"
    if ci is not None and all(c is not None and np.isfinite(c) for c in ci):
        text += f" [{ci[0]:.3g}, {ci[1]:.3g}]"
    elif uncertainty is not None and np.isfinite(uncertainty):
        text += f" ± {uncertainty:.2g}"
    return f"{text} {unit}".strip()


def clear(records_dir: Path, notebook: str) -> None:
    """Remove ``notebook``'s result file (the runner calls this before it runs the notebook)."""
    path = results_dir(records_dir) / f"{notebook}.jsonl"
    if path.exists():
        path.unlink()


def summary_counts(frame: pd.DataFrame) -> dict[str, Any]:
    """Numbers for the page header: rows, notebooks, datasets, groups, groups with a baseline,
    and non-baseline rows that beat / do not beat their baseline. ``frame`` may already carry the
    columns of :func:`with_baselines` (they are added otherwise).
    """
    if "beats_baseline" not in frame.columns:
        frame = with_baselines(frame)
    groups = frame.groupby(GROUP).ngroups if len(frame) else 0
    with_base = frame[frame["baseline"]].groupby(GROUP).ngroups if len(frame) else 0
    beats = frame["beats_baseline"].dropna()
    return {
        "rows": len(frame),
        "notebooks": frame["notebook"].nunique(),
        "datasets": frame["dataset"].nunique(),
        "groups": groups,
        "groups_with_baseline": with_base,
        "beat": int(beats.sum()),
        "not_beat": int((~beats.astype(bool)).sum()),
    }
