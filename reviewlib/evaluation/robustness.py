"""Robustness of a claim: its value under a declared set of equally defensible alternatives.

* :func:`within_one_se` -- the hyper-parameter settings whose mean CV score lies within one
  standard error of the best one (the one-standard-error rule): equally defensible choices.
* :func:`alternatives` -- evaluate a claim's value for each declared alternative (seeds,
  hyper-parameters, an alternative split, ...) and return the ``[{"choice", "value"}]`` list that
  :func:`reviewlib.book.claims.record` takes as ``alternatives=``.
* :func:`seed_choices`, :func:`param_choices`, :func:`split_choices` build the declared sets.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd


def _score_table(cv_results) -> pd.DataFrame:
    """``params``, ``mean``, ``se`` per setting from sklearn ``cv_results_`` (or a fitted search)
    or from a table with columns ``params`` and per-fold scores ``split<k>_test_score`` /
    ``scores`` (a list per row).
    """
    if hasattr(cv_results, "cv_results_"):
        cv_results = cv_results.cv_results_
    frame = pd.DataFrame(cv_results)
    if "params" not in frame.columns:
        raise ValueError("cv_results needs a 'params' column (sklearn cv_results_ has one)")
    split_cols = sorted(
        (c for c in frame.columns if c.startswith("split") and c.endswith("_test_score")),
        key=lambda c: int(c[len("split") : -len("_test_score")]),
    )
    if split_cols:
        scores = frame[split_cols].to_numpy(float)
    elif "scores" in frame.columns:
        scores = np.asarray([np.asarray(s, dtype=float) for s in frame["scores"]])
    else:
        raise ValueError("cv_results needs per-fold scores (split<k>_test_score columns or 'scores')")
    k = scores.shape[1]
    if k < 2:
        raise ValueError("the one-standard-error rule needs at least 2 folds")
    mean = scores.mean(axis=1)
    se = scores.std(axis=1, ddof=1) / math.sqrt(k)
    return pd.DataFrame({"params": list(frame["params"]), "mean": mean, "se": se})


def within_one_se(cv_results, *, greater_is_better: bool = True) -> list[dict[str, Any]]:
    """Settings whose mean CV score is within one standard error of the best mean (best first).

    ``cv_results``: a fitted ``GridSearchCV`` / ``RandomizedSearchCV`` (or its ``cv_results_``),
    or a table with ``params`` and per-fold ``scores``. The standard error is the best setting's
    std over folds (ddof = 1) / sqrt(folds). ``greater_is_better=False`` for errors (scikit-learn
    scorers are already "greater is better": ``neg_mean_absolute_error``).
    """
    table = _score_table(cv_results)
    sign = 1.0 if greater_is_better else -1.0
    score = sign * table["mean"].to_numpy()
    if not np.isfinite(score).any():
        raise ValueError("no finite CV score")
    best = int(np.nanargmax(score))
    threshold = score[best] - table["se"].iloc[best]
    keep = np.flatnonzero(score >= threshold - 1e-12 * max(1.0, abs(threshold)))
    keep = keep[np.argsort(-score[keep], kind="stable")]
    return [dict(table["params"].iloc[i]) for i in keep]


def _label(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k.split('__')[-1]}={v}" for k, v in sorted(params.items())) or "defaults"


def seed_choices(seeds: Iterable[int]) -> dict[str, dict[str, Any]]:
    """``{"seed 3": {"seed": 3}, ...}``: alternatives that change the model seed."""
    return {f"seed {int(s)}": {"seed": int(s)} for s in seeds}


def param_choices(
    settings: Sequence[Mapping[str, Any]], *, skip_first: bool = True
) -> dict[str, dict[str, Any]]:
    """``{"max_depth=4, n_estimators=300": {"params": {...}}, ...}`` from hyper-parameter settings
    (e.g. :func:`within_one_se`); ``skip_first`` drops the first (the best, the main choice).
    """
    chosen = list(settings)[1:] if skip_first else list(settings)
    return {_label(p): {"params": dict(p)} for p in chosen}


def split_choices(splits: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"grouped by chemical system": {"split": ..., "groups": ...}}`` from ``{name: groups}``
    (``None`` for a random split).
    """
    return {name: {"split": name, "groups": groups} for name, groups in splits.items()}


def alternatives(
    evaluate: Callable[..., float | bool], choices: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """``[{"choice": label, "value": evaluate(**kwargs)}]`` for each declared alternative.

    ``choices`` maps a label (what the alternative is, in words) to the keyword arguments that
    make ``evaluate`` compute the claim's value under it; merge the builders:
    ``{**seed_choices([1, 2]), **param_choices(within_one_se(search)), **split_choices({...})}``.
    The list goes to :func:`reviewlib.book.claims.record` as ``alternatives=`` (robust or fragile).
    A non-finite numeric value raises ``ValueError`` naming the choice.
    """
    out = []
    for label, kwargs in choices.items():
        value = evaluate(**dict(kwargs))
        if isinstance(value, (bool, np.bool_)):
            value = bool(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"alternative {label!r} gave a non-finite value ({value})")
        out.append({"choice": str(label), "value": value})
    return out
