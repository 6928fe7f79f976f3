"""Grouped out-of-fold predictions with baselines, bootstrap intervals and paired gains, as the
hydride chapters (04-06) use them from the evaluation core.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from reviewlib import evaluation as ev


def grouped_oof(*, make_model, X, y, groups, seed, n_splits=5):
    split = "leave one group out" if n_splits is None else "grouped"
    res = ev.out_of_fold(make_model, X, y, split=split, groups=groups, n_splits=n_splits, seed=seed)
    return {**res.all_predictions(), "fold": res.fold}


def _data(rng, n=60):
    X = rng.normal(size=(n, 3))
    y = X @ np.array([3.0, -2.0, 1.0]) + 0.1 * rng.normal(size=n)
    groups = np.repeat(np.arange(n // 3), 3)
    return X, y, groups


def test_linear_model_beats_baselines_and_baselines_are_training_statistics(rng):
    X, y, groups = _data(rng)
    out = grouped_oof(make_model=lambda s: LinearRegression(), X=X, y=y, groups=groups, seed=1)
    rmse = {k: np.sqrt(np.mean((out[k] - y) ** 2)) for k in ("model", "training mean", "training median")}
    assert rmse["model"] < 0.2 < rmse["training mean"]
    for k in range(5):
        test = out["fold"] == k
        assert len(set(groups[test]) & set(groups[~test])) == 0  # no group on both sides
        assert np.allclose(out["training mean"][test], y[~test].mean())
        assert np.allclose(out["training median"][test], np.median(y[~test]))


def test_two_targets_and_leave_one_group_out(rng):
    X, y, groups = _data(rng, n=30)
    Y = np.column_stack([y, 2 * y])
    out = grouped_oof(make_model=lambda s: LinearRegression(), X=X, y=Y, groups=groups, seed=1, n_splits=None)
    assert out["model"].shape == (30, 2) and out["fold"].max() == 9
    assert np.allclose(out["model"][:, 1], 2 * out["model"][:, 0])


def test_bad_input(rng):
    X, y, groups = _data(rng)
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        grouped_oof(make_model=lambda s: LinearRegression(), X=X, y=y, groups=groups, seed=1)
    with pytest.raises(ValueError, match="fewer than"):
        grouped_oof(make_model=lambda s: LinearRegression(), X=X[1:4], y=y[1:4], groups=[0, 0, 1], seed=1)


def test_bootstrap_interval_brackets_the_rmse_and_is_seeded(rng):
    y = rng.normal(size=40)
    pred = y + rng.normal(scale=2.0, size=40)
    rmse = np.sqrt(np.mean((pred - y) ** 2))
    b = ev.bootstrap_metric(y, pred, metric="rmse", seed=3)
    assert b["low"] < rmse < b["high"]
    assert b == ev.bootstrap_metric(y, pred, metric="rmse", seed=3)
    table = ev.metrics_table(y_true=y, predictions={"m": pred}, intervals=("rmse",), seed=3)
    assert table.loc["m", "rmse"] == pytest.approx(rmse)


# ------------------------------------------------------------- paired gain over a baseline


def test_paired_gain_beats_only_when_the_interval_excludes_zero(rng):
    y = rng.normal(100, 30, size=80)
    mean = np.full_like(y, y.mean())
    good = ev.paired_gain(y, y + rng.normal(0, 5, 80), mean, metric="rmse", seed=1)
    assert good["verdict"] == "beats" and good["low"] > 0 and good["low"] <= good["gain"] <= good["high"]
    noisy = mean + rng.normal(0, 1, 80)  # as bad as the mean: a tie, not a win
    tie = ev.paired_gain(y, noisy, mean, metric="rmse", seed=1)
    assert tie["verdict"] == "tie" and tie["low"] < 0 < tie["high"]
    bad = ev.paired_gain(y, y[::-1] * 2, mean, metric="rmse", seed=1)
    assert bad["verdict"] == "worse" and bad["high"] < 0
