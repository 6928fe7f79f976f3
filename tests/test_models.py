"""Model factories, split protocols, cross-validation, comparison table and Stanev classes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reviewlib import evaluation as ev
from reviewlib import models as M


@pytest.fixture
def toy(rng):
    """Y = 3 x0 - 2 x1 + noise, with 40 groups of 5 near-identical rows."""
    base = rng.normal(size=(40, 4))
    X = np.repeat(base, 5, axis=0) + 0.01 * rng.normal(size=(200, 4))
    y = 3 * X[:, 0] - 2 * X[:, 1] + 0.05 * rng.normal(size=200)
    groups = np.repeat([f"g{i}" for i in range(40)], 5)
    return X, y, groups


@pytest.mark.parametrize("name", M.REGRESSORS + M.CLASSIFIERS)
def test_make_model_is_seeded_and_limited_to_two_threads(name):
    a = M.make_model(name, seed=3)
    b = M.make_model(name, seed=3)
    assert a.get_params() == b.get_params() or str(a.get_params()) == str(b.get_params())
    params = a.get_params()
    for key, value in params.items():
        if key.endswith("n_jobs") and value is not None:
            assert value <= 2
        if key.endswith("random_state") and name not in ("svr", "ridge"):
            assert value == 3


def test_make_model_errors_and_overrides():
    with pytest.raises(ValueError, match="unknown model 'gpr'"):
        M.make_model("gpr", seed=0)
    with pytest.raises(ValueError, match="seed"):
        M.make_model("rfr", seed=None)
    assert M.make_model("rfr", seed=0, n_estimators=7).n_estimators == 7
    assert M.make_model("svr", seed=0, svr__regressor__C=3.0).get_params()["svr__regressor__C"] == 3.0


def test_cross_validate_random_is_deterministic(toy):
    X, y, _ = toy
    r1 = M.cross_validate_model(M.make_model("ridge", seed=0), X, y, split="random", seed=1)
    r2 = M.cross_validate_model(M.make_model("ridge", seed=0), X, y, split="random", seed=1)
    np.testing.assert_array_equal(r1.oof, r2.oof)
    assert r1.summary["r2_mean"] > 0.99
    assert set(r1.summary) == {f"{m}_{s}" for m in ("r2", "rmse", "mae") for s in ("mean", "std")}
    assert len(r1.folds) == 5 and r1.folds["n_test"].sum() == len(y)
    assert np.isfinite(r1.oof).all() and set(r1.fold) == set(range(5))
    assert "±" in r1.format("rmse")


@pytest.mark.parametrize("name", ["xgbr", "svr"])
def test_parallel_folds_give_the_serial_result(toy, name):
    X, y, groups = toy
    model = M.make_model(name, seed=0, **({"n_estimators": 20} if name == "xgbr" else {}))
    assert M.fold_jobs(model) == M.N_JOBS
    serial = M.cross_validate_model(model, X, y, groups=groups, split="group", seed=4, n_jobs=1)
    parallel = M.cross_validate_model(model, X, y, groups=groups, split="group", seed=4, n_jobs=2)
    np.testing.assert_array_equal(serial.oof, parallel.oof)
    np.testing.assert_array_equal(serial.fold, parallel.fold)


def test_cross_validate_many_gives_each_run_alone(toy):
    X, y, groups = toy
    runs = [
        {"model": M.make_model("xgbr", seed=s, n_estimators=20), "X": X, "y": y, "seed": s} for s in (1, 2)
    ]
    runs.append(
        {"model": M.make_model("svr", seed=0), "X": X, "y": y, "groups": groups, "split": "group", "seed": 3}
    )
    together = M.cross_validate_many(runs, n_jobs=2)
    for run, res in zip(runs, together, strict=True):
        alone = M.cross_validate_model(**run)  # folds in parallel
        np.testing.assert_array_equal(res.oof, alone.oof)
        np.testing.assert_array_equal(res.fold, alone.fold)
        assert res.summary == alone.summary
    assert not np.array_equal(together[0].oof, together[1].oof)  # each run keeps its seed
    with pytest.raises(ValueError, match="multi-threaded"):
        M.cross_validate_many([{"model": M.make_model("rfr", seed=0), "X": X, "y": y, "seed": 0}])
    with pytest.raises(ValueError, match="n_jobs"):
        M.cross_validate_many([{**runs[0], "n_jobs": 2}])
    assert M.cross_validate_many([]) == []


def test_fold_jobs_leaves_multithreaded_models_serial():
    assert M.fold_jobs(M.make_model("rfr", seed=0)) == 1
    assert M.fold_jobs(M.make_search("rfr", seed=0)) == 1
    assert M.fold_jobs(M.make_search("xgbr", seed=0)) == M.N_JOBS


def test_group_split_keeps_groups_apart_and_is_harder(toy):
    X, y, groups = toy
    model = M.make_model("rfr", seed=0, n_estimators=50)
    rnd = M.cross_validate_model(model, X, y, split="random", seed=0)
    grp = M.cross_validate_model(model, X, y, groups=groups, split="group", seed=0)
    # each group lies in exactly one test fold
    per_group = pd.Series(grp.fold).groupby(groups).nunique()
    assert (per_group == 1).all()
    # near-duplicates leak through a random split: it flatters the model
    assert rnd.summary["rmse_mean"] < grp.summary["rmse_mean"]


def test_cross_validate_bad_input(toy):
    X, y, groups = toy
    model = M.make_model("ridge", seed=0)
    with pytest.raises(ValueError, match="needs groups"):
        M.cross_validate_model(model, X, y, split="group", seed=0)
    with pytest.raises(ValueError, match="split must be"):
        M.cross_validate_model(model, X, y, split="kfold", seed=0)
    with pytest.raises(ValueError, match="at least n_splits"):
        M.cross_validate_model(model, X, y, groups=np.repeat(["a", "b"], 100), split="group", seed=0)
    Xn = X.copy()
    Xn[3, 1] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        M.cross_validate_model(model, Xn, y, seed=0)
    with pytest.raises(ValueError, match="rows"):
        M.cross_validate_model(model, X, y[:-1], seed=0)


def test_nested_search_gets_inner_groups(toy):
    X, y, groups = toy
    search = M.make_search("ridge", seed=0, n_iter=2, inner_splits=3, grouped=True)
    res = M.cross_validate_model(search, X, y, groups=groups, split="group", n_splits=3, seed=0)
    assert len(res.best_params) == 3 and all("ridge__alpha" in p for p in res.best_params)
    assert res.summary["r2_mean"] > 0.9
    with pytest.raises(ValueError, match="no search space"):
        M.make_search("nope", seed=0)


def test_regression_metrics_known_values():
    m = ev.regression_metrics([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    assert m["rmse"] == pytest.approx(np.sqrt(4 / 3))
    assert m["mae"] == pytest.approx(2 / 3)
    assert m["r2"] == pytest.approx(1 - 4 / 2)
    with pytest.raises(ValueError, match="non-finite"):
        ev.regression_metrics([1.0, np.nan], [1.0, 2.0])


def test_stanev_classes_and_classification_metrics():
    y = M.tc_class([0.0, 5.0, 10.0, 10.5, 93.0])
    np.testing.assert_array_equal(y, [0, 0, 0, 1, 1])  # Tc > 10 K is class 1
    m = ev.classification_metrics([1, 1, 0, 0], [1, 0, 0, 1])
    assert m == {"accuracy": 0.5, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    with pytest.raises(ValueError, match="non-negative"):
        M.tc_class([-1.0])
    with pytest.raises(ValueError, match="binary"):
        ev.classification_metrics([0, 2], [0, 1])


def test_classifier_cv_is_stratified(rng):
    X = rng.normal(size=(150, 3))
    y = (X[:, 0] > 0.5).astype(int)
    res = M.cross_validate_model(M.make_model("logreg", seed=0), X, y, seed=0)
    assert res.task == "classification"
    assert res.summary["accuracy_mean"] > 0.9
    assert set(res.summary) == {f"{m}_{s}" for m in ev.CLASSIFICATION_METRICS for s in ("mean", "std")}


def test_groups_from_compositions():
    g = ev.composition_groups(["YBa2Cu3O7", {"Y": 2, "Ba": 4, "Cu": 6, "O": 14}, "YBa2Cu3O6.5"])
    assert g[0] == g[1] != g[2]
    s = ev.chemical_system_groups(["YBa2Cu3O7", "YBa2Cu3O6.5", "MgB2"])
    assert list(s) == ["Ba-Cu-O-Y", "Ba-Cu-O-Y", "B-Mg"]
    with pytest.raises(ValueError, match="unknown element 'Xx'"):
        ev.composition_groups([{"Xx": 1}])


def test_compare_models_table_and_predictions(toy):
    X, y, groups = toy
    comp = M.compare_models(
        {"all": X, "first2": X[:, :2]},
        y,
        models=["ridge", "rfr"],
        protocols={"random": None, "grouped": groups},
        params={"rfr": {"n_estimators": 20}},
        seed=0,
        n_splits=4,
        progress=False,
    )
    assert len(comp.table) == 2 * 2 * 2 * 3
    assert set(comp.table["metric"]) == {"r2", "rmse", "mae"}
    assert len(comp.predictions) == 8 * len(y)
    M.validate_predictions(comp.predictions, y)
    wide = comp.wide("r2")
    assert wide.shape == (4, 2)
    bad = comp.predictions.drop(index=0)
    with pytest.raises(ValueError, match="every row exactly once"):
        M.validate_predictions(bad, y)


def test_compare_models_pooled_runs_give_the_same_comparison(toy):
    X, y, groups = toy
    kw = {
        "models": ["ridge", "svr", "rfr"],
        "protocols": {"random": None, "grouped": groups},
        "params": {"rfr": {"n_estimators": 10}},
        "seed": 1,
        "progress": False,
    }
    one_by_one = M.compare_models({"all": X, "first2": X[:, :2]}, y, **kw)
    pooled = M.compare_models({"all": X, "first2": X[:, :2]}, y, pool_runs=True, **kw)
    pd.testing.assert_frame_equal(one_by_one.table, pooled.table)
    pd.testing.assert_frame_equal(one_by_one.predictions, pooled.predictions)
    assert list(one_by_one.results) == list(pooled.results)
    with pytest.raises(ValueError, match="'short' has 199 rows"):
        M.compare_models({"short": X[:-1]}, y, pool_runs=True, **kw)


def test_feature_importance_and_errors_by_group(toy):
    X, y, _ = toy
    rf = M.make_model("rfr", seed=0, n_estimators=30).fit(X, y)
    imp = M.feature_importance(rf, ["a", "b", "c", "d"], top=2)
    assert list(imp.index) == ["a", "b"]  # y depends on x0 (weight 3) and x1 (weight 2)
    with pytest.raises(ValueError, match="feature_importances_"):
        M.feature_importance(M.make_model("ridge", seed=0).fit(X, y), ["a", "b", "c", "d"])
    tab = M.errors_by_group(y, y + 1.0, np.where(np.arange(200) < 100, "cuprate", "other"))
    assert list(tab.index) == ["cuprate", "other"]
    assert tab["rmse"].tolist() == pytest.approx([1.0, 1.0])
    assert tab["n"].tolist() == [100, 100]


def test_compare_models_with_factories_and_classifier(rng):
    X = rng.normal(size=(120, 3))
    y = (X[:, 0] + 0.1 * rng.normal(size=120) > 0).astype(int)
    comp = M.compare_models(
        {"x": X},
        y,
        models={
            "logreg-search": lambda s: M.make_search("logreg", seed=s, n_iter=2),
            "rfc": lambda s: M.make_model("rfc", seed=s, n_estimators=20),
        },
        protocols={"random": None},
        seed=0,
        n_splits=3,
        progress=False,
    )
    assert set(comp.table["metric"]) == set(ev.CLASSIFICATION_METRICS)
    acc = comp.table.query("metric == 'accuracy'").set_index("model")["mean"]
    assert (acc > 0.8).all()
    assert len(comp.results[("x", "logreg-search", "random")].best_params) == 3
