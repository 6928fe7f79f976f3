"""Low-Tc filter, learning curves and power-law fits on synthetic data."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from reviewlib import synthesis as S
from reviewlib.models import make_model


def test_low_tc_mask_removes_exactly_the_rows_below_the_threshold():
    tc = np.array([0.0, 4.99, 5.0, 12.0, 0.3])
    assert S.low_tc_mask(tc_K=tc, threshold_K=5.0).tolist() == [True, True, False, False, True]
    with pytest.raises(ValueError, match="NaN"):
        S.low_tc_mask(tc_K=[1.0, np.nan], threshold_K=5.0)
    with pytest.raises(ValueError, match="negative Tc in rows \\[1\\]"):
        S.low_tc_mask(tc_K=[1.0, -2.0], threshold_K=5.0)
    with pytest.raises(ValueError, match="positive"):
        S.low_tc_mask(tc_K=[1.0], threshold_K=0.0)


def test_with_without_low_tc_trains_on_the_right_rows():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 10, size=(200, 1))
    y = np.where(X[:, 0] < 5, 0.0, 10 * (X[:, 0] - 5))  # below x = 5: non-superconductors
    out = S.with_without_low_tc(
        make_model=lambda s: LinearRegression(), X_train=X, y_train=y, X_test=X, threshold_K=5.0, seed=0
    )
    assert out["n_low"] == int((y < 5).sum()) and out["n_low"] + out["n_kept"] == 200
    # without the zeros the line is the exact ramp 10 (x - 5) on the superconducting rows
    sc = y >= 5
    assert np.allclose(out["without"][sc], y[sc], atol=1e-6)
    assert np.abs(out["with"][sc] - y[sc]).mean() > 1.0
    assert (out["with"] >= 0).all() and (out["without"] >= 0).all()
    with pytest.raises(ValueError, match="lower the threshold"):
        S.with_without_low_tc(
            make_model=lambda s: LinearRegression(),
            X_train=X,
            y_train=y,
            X_test=X,
            threshold_K=1e4,
            seed=0,
        )


def test_splits_without_low_tc_give_the_with_without_low_tc_predictions_on_the_core():
    """The core's out-of-fold run on these splits is the per-fold "without" fit of
    with_without_low_tc, and its training median is the median Tc of the kept training rows.
    """
    from reviewlib import evaluation as ev

    rng = np.random.default_rng(4)
    X = rng.uniform(0, 10, size=(60, 2))
    y = np.where(X[:, 0] < 4, rng.uniform(0, 4.9, 60), 8 * X[:, 0] + X[:, 1])
    groups = np.repeat([f"S{i}" for i in range(12)], 5)
    folds = ev.split_indices("grouped by system", n_rows=60, n_splits=4, seed=2, groups=groups)
    kept = S.splits_without_low_tc(splits=folds, tc_K=y, threshold_K=5.0)
    for (tr, te), (k, te2) in zip(folds, kept, strict=True):
        assert np.array_equal(te, te2) and np.array_equal(k, tr[y[tr] >= 5.0])
    res = ev.out_of_fold(lambda s: LinearRegression(), X, y, splits=kept, seed=0)
    for tr, te in folds:
        out = S.with_without_low_tc(
            make_model=lambda s: LinearRegression(),
            X_train=X[tr],
            y_train=y[tr],
            X_test=X[te],
            threshold_K=5.0,
            seed=0,
        )
        assert np.array_equal(np.clip(res.oof[te], 0, None), out["without"])
        assert (res.baselines["training median"][te] == np.median(y[tr][y[tr] >= 5.0])).all()
    with pytest.raises(ValueError, match="fold 0: only .* lower the threshold"):
        S.splits_without_low_tc(splits=folds, tc_K=y, threshold_K=1e3)
    with pytest.raises(ValueError, match="negative Tc"):
        S.splits_without_low_tc(splits=folds, tc_K=-y, threshold_K=5.0)


def test_learning_curve_falls_with_more_data():
    rng = np.random.default_rng(1)
    X = rng.uniform(-3, 3, size=(1200, 3))
    y = np.sin(X[:, 0]) * 10 + X[:, 1] ** 2 + rng.normal(0, 0.5, 1200)
    tr, te = np.arange(1000), np.arange(1000, 1200)
    curve = S.learning_curve(
        make_model=lambda s: make_model("rfr", seed=s, n_estimators=50, n_jobs=1),
        X=X,
        y=y,
        train_idx=tr,
        test_idx=te,
        sizes=[25, 100, 400, 1000],
        seed=0,
        n_repeats=2,
    )
    assert curve["n_train"].tolist() == [25, 100, 400, 1000]
    assert curve["rmse"].is_monotonic_decreasing and curve["mae"].iloc[-1] < 0.5 * curve["mae"].iloc[0]
    assert (curve["n_test"] == 200).all() and (curve["rmse_std"] >= 0).all()
    fit = S.fit_power_law(n=curve["n_train"], error=curve["rmse"])
    assert fit["b"] > 0
    with pytest.raises(ValueError, match="overlap"):
        S.learning_curve(
            make_model=lambda s: LinearRegression(),
            X=X,
            y=y,
            train_idx=tr,
            test_idx=tr[:5],
            sizes=[10],
            seed=0,
        )
    with pytest.raises(ValueError, match="sizes"):
        S.learning_curve(
            make_model=lambda s: LinearRegression(), X=X, y=y, train_idx=tr, test_idx=te, sizes=[2000], seed=0
        )


def test_power_law_fit_recovers_a_known_exponent_and_inverts():
    n = np.array([50, 100, 200, 400, 800, 1600])
    err = 120.0 * n**-0.35
    fit = S.fit_power_law(n=n, error=err)
    assert fit["a"] == pytest.approx(120.0, rel=1e-9) and fit["b"] == pytest.approx(0.35, rel=1e-9)
    assert fit["r2"] == pytest.approx(1.0)
    assert S.power_law_error(fit=fit, n=400) == pytest.approx(120.0 * 400**-0.35)
    assert S.size_for_error(fit=fit, error=float(120.0 * 3000**-0.35)) == pytest.approx(3000, rel=1e-9)
    assert S.size_for_error(fit={"a": 10.0, "b": -0.1, "r2": 1.0}, error=1.0) == float("inf")
    with pytest.raises(ValueError, match="positive"):
        S.fit_power_law(n=[10, 20], error=[1.0, 0.0])
    with pytest.raises(ValueError, match="two distinct"):
        S.fit_power_law(n=[10, 10], error=[1.0, 2.0])
    with pytest.raises(ValueError, match="positive"):
        S.size_for_error(fit=fit, error=-1.0)


def test_power_law_floor_recovers_the_floor_and_inverts():
    n = np.array([25, 50, 100, 200, 400, 800, 1600], dtype=float)
    err = 4.0 + 60.0 * n**-0.5
    fit = S.fit_power_law_floor(n=n, error=err)
    assert fit["a"] == pytest.approx(4.0, abs=0.05)
    assert fit["c"] == pytest.approx(0.5, abs=0.02)
    assert S.power_law_floor_error(fit=fit, n=400) == pytest.approx(7.0, abs=0.02)
    assert S.size_for_error_floor(fit=fit, error=7.0) == pytest.approx(400, rel=0.02)
    assert S.size_for_error_floor(fit=fit, error=3.9) == float("inf")  # below the floor
    # a pure power law is the floor-0 case: a stays near 0 where the plain fit is exact
    plain = S.fit_power_law_floor(n=n, error=30.0 * n**-0.3)
    assert plain["a"] < 0.2 and plain["c"] == pytest.approx(0.3, abs=0.03)
    with pytest.raises(ValueError, match="three distinct"):
        S.fit_power_law_floor(n=[10, 20], error=[2.0, 1.0])


def test_learning_curve_predictions_are_nested_seeded_and_match_the_curve():
    from sklearn.linear_model import LinearRegression

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = X @ [1.0, -2.0, 0.5] + rng.normal(scale=0.1, size=120)
    tr, te = np.arange(100), np.arange(100, 120)
    out = S.learning_curve_predictions(
        make_model=lambda s: LinearRegression(),
        X=X,
        y=y,
        train_idx=tr,
        test_idx=te,
        sizes=[10, 100],
        seeds=[3, 4],
    )
    assert set(out) == {3, 4} and set(out[3]) == {10, 100}
    assert np.allclose(out[3][100], out[4][100])  # all rows: the same fit whatever the seed
    assert not np.allclose(out[3][10], out[4][10])  # another seed, another subset
    curve = S.learning_curve(
        make_model=lambda s: LinearRegression(),
        X=X,
        y=y,
        train_idx=tr,
        test_idx=te,
        sizes=[10, 100],
        seed=3,
    )
    rmse10 = np.sqrt(np.mean((out[3][10] - y[te]) ** 2))
    assert curve["rmse"].iloc[0] == pytest.approx(rmse10)
    with pytest.raises(ValueError, match="overlap"):
        S.learning_curve_predictions(
            make_model=lambda s: LinearRegression(),
            X=X,
            y=y,
            train_idx=tr,
            test_idx=tr[:5],
            sizes=[10],
            seeds=[0],
        )
