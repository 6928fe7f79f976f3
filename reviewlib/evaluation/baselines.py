"""Trivial baselines: the training mean and median (regression), the majority class (classification).

One vocabulary for the whole package and the results store: :data:`BASELINES` are the names a
baseline row carries (``"training mean"``, ``"training median"``, ``"majority class"``);
:data:`ALIASES` maps the short model names of :func:`reviewlib.models.make_model` (``mean``,
``median``, ``majority``) onto them; :func:`is_baseline` accepts both.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

#: regression baselines, in the order they are reported
REGRESSION_BASELINES = ("training mean", "training median")
CLASSIFICATION_BASELINES = ("majority class",)
BASELINES = (*REGRESSION_BASELINES, *CLASSIFICATION_BASELINES)
#: short names (reviewlib.models.make_model, compare_models) -> baseline names
ALIASES = {"mean": "training mean", "median": "training median", "majority": "majority class"}
#: every name that marks a trivial baseline (short names and long names)
BASELINE_MODELS = (*ALIASES, *BASELINES)


def is_baseline(name: str) -> bool:
    """Whether a model name marks a trivial baseline (``mean`` or ``training mean``, ...)."""
    return str(name) in BASELINE_MODELS


def canonical(name: str) -> str:
    """The baseline name of a short name (``mean`` -> ``training mean``); other names unchanged."""
    return ALIASES.get(str(name), str(name))


def baseline_value(y_train, kind: str) -> np.ndarray | float:
    """The constant a baseline predicts from the training targets (per column for 2-d ``y``).

    ``kind``: ``mean`` / ``training mean``, ``median`` / ``training median`` or ``majority`` /
    ``majority class`` (the most frequent label; the smallest on ties, like scikit-learn).
    """
    kind = canonical(kind)
    y = np.asarray(y_train)
    if kind == "training mean":
        return y.astype(float).mean(axis=0)
    if kind == "training median":
        return np.median(y.astype(float), axis=0)
    if kind == "majority class":
        values, counts = np.unique(y, return_counts=True)
        return values[np.argmax(counts)]
    raise ValueError(f"unknown baseline {kind!r}; choose from {BASELINE_MODELS}")


def baseline_predictions(y_train, n_test: int, *, kind: Literal["mean", "median"] = "median") -> np.ndarray:
    """The trivial model: the training ``mean`` or ``median`` for every one of ``n_test`` rows."""
    y_train = np.asarray(y_train, dtype=float)
    if y_train.size == 0 or not np.isfinite(y_train).all():
        raise ValueError("baseline_predictions: y_train must be non-empty and finite")
    if kind not in ("mean", "median"):
        raise ValueError(f"kind must be 'mean' or 'median', got {kind!r}")
    value = float(np.mean(y_train) if kind == "mean" else np.median(y_train))
    return np.full(int(n_test), value)


def make_baseline(kind: str):
    """A scikit-learn estimator of a baseline: ``DummyRegressor`` (mean, median) or
    ``DummyClassifier`` (most frequent class); ``kind`` short or long name.
    """
    kind = canonical(kind)
    if kind in REGRESSION_BASELINES:
        from sklearn.dummy import DummyRegressor

        return DummyRegressor(strategy=kind.split()[-1])
    if kind == "majority class":
        from sklearn.dummy import DummyClassifier

        return DummyClassifier(strategy="most_frequent")
    raise ValueError(f"unknown baseline {kind!r}; choose from {BASELINE_MODELS}")
