"""The evaluation core (reviewlib.evaluation): group labels, named splits, out-of-fold with
baselines, the bootstrap (row, cluster, paired, seed variance), SeedEnsemble, the 1-SE rule and
claim alternatives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, KFold

from reviewlib import evaluation as ev
from reviewlib.book import claims, results

BUDGET = settings(max_examples=60, deadline=None, derandomize=True)


def _clustered(rng, n_groups=12, per_group=8, shift=3.0):
    """Rows in groups that share a large random offset: rows of a group are not independent."""
    groups = np.repeat(np.arange(n_groups), per_group)
    offset = rng.normal(0, shift, n_groups)[groups]
    X = rng.normal(size=(len(groups), 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + offset + rng.normal(0, 0.3, len(groups))
    return X, y, groups


# ----------------------------------------------------------------------------- groups


FORMULAS = ["MgB2", "Mg2B4", "YBa2Cu3O7", "Ba4Cu6Y2O14", "H3S", "S2H6", "LaH10", "LaYH12", "Nb3Sn"]


def test_group_labels_by_name():
    comp = ev.group_labels("composition", FORMULAS)
    assert comp[0] == comp[1] and comp[2] == comp[3] and comp[4] == comp[5]
    assert list(ev.group_labels("compound", FORMULAS)) == list(comp)
    chem = ev.group_labels("grouped by chemical system", FORMULAS)
    assert chem[2] == "Ba-Cu-O-Y" and chem[6] == "H-La"
    el = ev.element_groups(FORMULAS)
    assert el[6] == "La" and el[7] == "La-Y" and el[4] == "S"
    assert list(ev.parent_structure_groups([" mp-1", "mp-2"])) == ["mp-1", "mp-2"]
    with pytest.raises(ValueError, match="row 1: missing"):
        ev.parent_structure_groups(["mp-1", float("nan")])
    with pytest.raises(ValueError, match="no element outside"):
        ev.element_groups(["H2"])
    with pytest.raises(ValueError, match="unknown grouping"):
        ev.group_labels("space group", FORMULAS)
    with pytest.raises(ValueError, match="row 2"):
        ev.compound_groups(formulas=["MgB2", "H3S", "Xx2"])


@BUDGET
@given(st.permutations(list(range(len(FORMULAS)))), st.sampled_from(sorted(ev.GROUPINGS)))
def test_group_labels_do_not_depend_on_row_order(order, by):
    items = FORMULAS if by != "parent structure" else [f"mp-{len(f)}" for f in FORMULAS]
    labels = ev.group_labels(by, items)
    shuffled = ev.group_labels(by, [items[i] for i in order])
    assert list(shuffled) == [labels[i] for i in order]


# ----------------------------------------------------------------------------- splits


def test_split_names():
    assert ev.split_kind("random") == "random"
    assert ev.split_kind("grouped by chemical system") == "grouped"
    assert ev.split_kind("group") == "grouped"
    assert ev.split_kind("leave one element out") == "logo"
    assert ev.split_name("grouped", by="compound") == "grouped by compound"
    assert ev.split_name("logo", by="element") == "leave one element out"
    with pytest.raises(ValueError, match="split must be"):
        ev.split_kind("kfold")
    with pytest.raises(ValueError, match="needs groups"):
        ev.make_splitter("grouped by compound", seed=0)
    with pytest.raises(ValueError, match="fewer than"):
        ev.make_splitter("grouped by compound", seed=0, groups=["a", "b"])


@BUDGET
@given(
    labels=st.lists(st.integers(0, 30), min_size=6, max_size=80),
    n_splits=st.integers(2, 6),
    seed=st.integers(0, 2**31 - 1),
    logo=st.booleans(),
)
def test_grouped_splits_never_share_a_group(labels, n_splits, seed, logo):
    groups = np.asarray([f"g{v}" for v in labels], dtype=object)
    name = "leave one x out" if logo else "grouped by x"
    if len(set(labels)) < (2 if logo else n_splits):
        with pytest.raises(ValueError, match="fewer than"):
            ev.split_indices(name, n_rows=len(groups), n_splits=n_splits, seed=seed, groups=groups)
        return
    folds = ev.split_indices(name, n_rows=len(groups), n_splits=n_splits, seed=seed, groups=groups)
    tested = np.concatenate([te for _, te in folds])
    assert sorted(tested) == list(range(len(groups)))  # every row tested exactly once
    for train, test in folds:
        assert not set(groups[train]) & set(groups[test])
    if logo:
        assert len(folds) == len(set(labels))


def test_holdout_grouped_and_random():
    groups = np.repeat(list("abcdefghij"), 5)
    tr, te = ev.holdout(groups=groups, test_fraction=0.3, seed=1)
    assert not set(groups[tr]) & set(groups[te]) and len(tr) + len(te) == 50
    tr2, te2 = ev.holdout(n_rows=50, test_fraction=0.2, seed=1)
    assert len(te2) == 10 and not set(tr2) & set(te2)


# ----------------------------------------------------------------------------- out of fold


def test_baselines_are_training_statistics_and_the_stronger_is_named(rng):
    X, y, groups = _clustered(rng)
    y = np.where(np.arange(len(y)) % 10 == 0, y + 80.0, y)  # outliers: the median is the stronger baseline
    res = ev.out_of_fold(LinearRegression(), X, y, split="grouped by cluster", groups=groups, seed=0)
    for k, n_tr in enumerate(res.n_train):
        test = res.fold == k
        assert n_tr == (~test).sum()
        assert np.allclose(res.baselines["training mean"][test], y[~test].mean())
        assert np.allclose(res.baselines["training median"][test], np.median(y[~test]))
        assert not set(groups[test]) & set(groups[~test])
    assert res.best_baseline("mae") == "training median"
    scores = res.baseline_scores("mae")
    assert scores["training median"] < scores["training mean"]
    base = res.baseline_result("training mean")
    assert base.summary["rmse_mean"] > res.summary["rmse_mean"] and len(base.folds) == 5
    np.testing.assert_array_equal(base.oof, res.baselines["training mean"])
    assert set(res.all_predictions()) == {"model", "training mean", "training median"}


def test_classification_majority_baseline(rng):
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] > -0.6).astype(int)  # mostly 1
    res = ev.out_of_fold(LogisticRegression(), X, y, seed=0)
    assert res.task == "classification" and set(res.baselines) == {"majority class"}
    assert (res.baselines["majority class"] == 1).all()
    assert res.summary["accuracy_mean"] > 0.9


def test_two_dimensional_targets_match_one_dimensional_runs(rng):
    X, y, groups = _clustered(rng)
    Y = np.column_stack([y, 3 * y - X[:, 0]])
    res = ev.out_of_fold(
        LinearRegression(), X, Y, split="grouped", groups=groups, seed=2, target_names=["Tc", "p"]
    )
    assert res.oof.shape == Y.shape and res.baselines["training median"].shape == Y.shape
    assert set(res.folds["target"]) == {"Tc", "p"} and "Tc:rmse_mean" in res.summary
    for j in range(2):
        one = ev.out_of_fold(LinearRegression(), X, Y[:, j], split="grouped", groups=groups, seed=2)
        col = res.column(j)
        np.testing.assert_allclose(col.oof, one.oof, rtol=1e-10)
        np.testing.assert_allclose(col.baselines["training mean"], one.baselines["training mean"])
        assert col.summary["rmse_mean"] == pytest.approx(one.summary["rmse_mean"], rel=1e-9)


def test_seeds_average_and_are_reproducible(rng):
    X, y, groups = _clustered(rng, n_groups=10, per_group=5)

    def factory(s):
        return RandomForestRegressor(n_estimators=5, max_features=1, random_state=s)

    res = ev.out_of_fold(factory, X, y, split="grouped", groups=groups, seed=0, seeds=[1, 2, 3])
    assert res.seed_oof.shape == (3, len(y)) and res.seeds == [1, 2, 3]
    np.testing.assert_allclose(res.oof, res.seed_oof.mean(axis=0))
    assert not np.allclose(res.seed_oof[0], res.seed_oof[1])  # seeds matter
    again = ev.out_of_fold(factory, X, y, split="grouped", groups=groups, seed=0, seeds=[1, 2, 3])
    np.testing.assert_array_equal(res.oof, again.oof)
    # an estimator with seeds: its random_state is set per seed -> same as the factory
    est = ev.out_of_fold(factory(99), X, y, split="grouped", groups=groups, seed=0, seeds=[1, 2, 3])
    np.testing.assert_array_equal(est.seed_oof, res.seed_oof)
    # parallel fits give the same numbers (threads: no process start-up in a unit test)
    par = ev.out_of_fold(
        factory, X, y, split="grouped", groups=groups, seed=0, seeds=[1, 2, 3], n_jobs=2, backend="threading"
    )
    np.testing.assert_array_equal(par.oof, res.oof)


def test_many_runs_in_one_pool_equal_the_runs_alone(rng):
    X, y, groups = _clustered(rng, n_groups=10, per_group=5)

    def factory(s):
        return RandomForestRegressor(n_estimators=5, max_features=1, random_state=s, n_jobs=1)

    Y = np.column_stack([y, 2 * y])
    runs = [
        {"model": factory, "X": X, "y": y, "split": "grouped", "groups": groups, "seed": 0, "seeds": [1, 2]},
        {"model": Ridge(), "X": X, "y": Y, "seed": 3, "target_names": ["a", "b"]},
        {"model": Ridge(), "X": X, "y": y, "splits": list(KFold(3).split(X)), "seed": 0},
    ]
    many = ev.out_of_fold_many(runs, n_jobs=2, backend="threading")
    for run, res in zip(runs, many, strict=True):
        alone = ev.out_of_fold(**run)
        np.testing.assert_array_equal(res.oof, alone.oof)
        np.testing.assert_array_equal(res.seed_oof, alone.seed_oof)
        np.testing.assert_array_equal(res.fold, alone.fold)
        assert res.summary == alone.summary and res.target_names == alone.target_names
    assert ev.out_of_fold_many([]) == []
    with pytest.raises(ValueError, match="n_jobs"):
        ev.out_of_fold_many([{**runs[2], "n_jobs": 2}])
    with pytest.raises(ValueError, match="rows"):  # bad input is refused before any fit
        ev.out_of_fold_many([runs[2], {"model": Ridge(), "X": X, "y": y[:-1], "seed": 0}])


def test_explicit_splits_and_bad_input(rng):
    X, y, _ = _clustered(rng, n_groups=6, per_group=5)
    splits = list(KFold(3).split(X))
    res = ev.out_of_fold(Ridge(), X, y, splits=splits, seed=0)
    assert res.fold.max() == 2
    with pytest.raises(ValueError, match="finite"):
        ev.out_of_fold(Ridge(), np.where(X > 2, np.nan, X), y, seed=0)
    with pytest.raises(ValueError, match="rows"):
        ev.out_of_fold(Ridge(), X, y[:-1], seed=0)
    with pytest.raises(ValueError, match="at least one seed"):
        ev.out_of_fold(Ridge(), X, y, seed=0, seeds=[])


def test_seed_ensemble(rng):
    X, y, groups = _clustered(rng, n_groups=10, per_group=5)

    def factory(s):
        return RandomForestRegressor(n_estimators=4, random_state=s)

    ens = ev.SeedEnsemble(factory, seeds=[0, 1, 2]).fit(X, y)
    single = [factory(s).fit(X, y).predict(X) for s in (0, 1, 2)]
    np.testing.assert_allclose(ens.predict(X), np.mean(single, axis=0))
    assert ens.predict_all(X).shape == (3, len(y)) and (ens.predict_std(X) >= 0).all()
    res = ev.out_of_fold(
        lambda s: ev.SeedEnsemble(factory, seeds=range(s, s + 2)),
        X,
        y,
        split="grouped",
        groups=groups,
        seed=0,
    )
    assert np.isfinite(res.oof).all()
    with pytest.raises(ValueError, match="at least one seed"):
        ev.SeedEnsemble(factory, seeds=[]).fit(X, y)


# ----------------------------------------------------------------------------- bootstrap


def test_cluster_bootstrap_is_wider_on_clustered_data(rng):
    X, y, groups = _clustered(rng, n_groups=15, per_group=10, shift=4.0)
    pred = y - np.repeat(rng.normal(0, 3.0, 15), 10) + rng.normal(0, 0.2, len(y))  # errors shared per group
    for metric in ("mae", "rmse"):
        rows = ev.bootstrap_metric(y, pred, metric=metric, seed=0, n_boot=1000)
        clus = ev.bootstrap_metric(y, pred, metric=metric, seed=0, n_boot=1000, groups=groups)
        assert rows["value"] == clus["value"]
        assert clus["high"] - clus["low"] > 1.5 * (rows["high"] - rows["low"])
        assert clus["low"] <= clus["value"] <= clus["high"]


def test_cluster_bootstrap_of_singletons_is_the_row_bootstrap(rng):
    y = rng.normal(size=30)
    pred = y + rng.normal(size=30)
    for metric in ("mae", "rmse", "r2"):
        a = ev.bootstrap_metric(y, pred, metric=metric, seed=4, n_boot=300)
        b = ev.bootstrap_metric(y, pred, metric=metric, seed=4, n_boot=300, groups=np.arange(30))
        assert a["low"] == pytest.approx(b["low"], rel=1e-9) and a["high"] == pytest.approx(
            b["high"], rel=1e-9
        )


@BUDGET
@given(
    codes=st.lists(st.integers(0, 6), min_size=1, max_size=40).filter(
        lambda c: set(c) == set(range(max(c) + 1))
    ),
    n_boot=st.integers(0, 6),
    seed=st.integers(0, 2**31),
)
def test_cluster_resamples_are_the_group_draws_of_the_core(codes, n_boot, seed):
    """One draw for every resampler: the row resamples of ``cluster_resample_indices`` are the
    rows of the groups in ``draw_groups`` (one call for all resamples draws the same as one call
    per resample), whole groups in draw order, ascending rows within a group.
    """
    c = np.asarray(codes)
    G = c.max() + 1
    picks = ev.draw_groups(np.random.default_rng(seed), n_groups=G, n_boot=n_boot)
    rows = list(ev.cluster_resample_indices(c, n_boot=n_boot, rng=np.random.default_rng(seed)))
    assert len(rows) == n_boot == len(picks)
    for pick, idx in zip(picks, rows, strict=True):
        assert np.array_equal(idx, np.concatenate([np.flatnonzero(c == k) for k in pick]))
    # the draws are lazy: a caller drawing from the same rng between resamples (a tie-breaking
    # permutation) gets what drawing inline gives
    rng_a, rng_b = np.random.default_rng(seed), np.random.default_rng(seed)
    lazy = [
        idx[rng_a.permutation(len(idx))] for idx in ev.cluster_resample_indices(c, n_boot=n_boot, rng=rng_a)
    ]
    for idx in lazy:
        pick = rng_b.integers(0, G, G)
        inline = np.concatenate([np.flatnonzero(c == k) for k in pick])
        assert np.array_equal(idx, inline[rng_b.permutation(len(inline))])


def test_cluster_resample_indices_refuses_bad_codes():
    rng = np.random.default_rng(0)
    for bad in ([], [0, 2], [-1, 0, 1], [0.0, 1.0], [["a"]]):
        with pytest.raises(ValueError, match="codes"):
            ev.cluster_resample_indices(np.asarray(bad), n_boot=3, rng=rng)
    with pytest.raises(ValueError, match="n_groups"):
        ev.draw_groups(rng, n_groups=0, n_boot=3)


@pytest.mark.parametrize("metric", ["mae", "rmse", "r2"])
@pytest.mark.parametrize("grouped", [False, True])
def test_paired_bootstrap_of_identical_models_is_zero(rng, metric, grouped):
    y = rng.normal(size=40)
    pred = y + rng.normal(size=40)
    groups = np.repeat(np.arange(8), 5) if grouped else None
    out = ev.paired_bootstrap(y, pred, pred.copy(), metric=metric, seed=1, n_boot=200, groups=groups)
    assert (out["diff"], out["low"], out["high"], out["frac_a_worse"]) == (0.0, 0.0, 0.0, 0.0)


def test_paired_bootstrap_sees_a_worse_model(rng):
    y = rng.normal(size=80)
    good, bad = y + rng.normal(0, 0.5, 80), y + rng.normal(0, 2.0, 80)
    out = ev.paired_bootstrap(y, bad, good, seed=0, n_boot=500)
    assert out["low"] > 0 and out["frac_a_worse"] > 0.99
    r2 = ev.paired_bootstrap(y, bad, good, metric="r2", seed=0, n_boot=500)
    assert r2["high"] < 0 and r2["frac_a_worse"] > 0.99


def test_bootstrap_with_seed_variance_covers_the_seeds(rng):
    y = rng.normal(size=60)
    # three seeds whose predictions differ by a seed-wide bias
    seeds = [y + b + rng.normal(0, 0.3, 60) for b in (-0.8, 0.0, 0.8)]
    alone = ev.bootstrap_metric(y, seeds[1], seed=0, n_boot=1000)
    both = ev.bootstrap_metric(y, seed_predictions=seeds, seed=0, n_boot=1000)
    assert both["high"] - both["low"] > alone["high"] - alone["low"]
    per_seed = [np.mean(np.abs(p - y)) for p in seeds]
    assert both["value"] == pytest.approx(np.mean(per_seed))
    assert both["low"] <= min(per_seed) and max(per_seed) <= both["high"]
    grouped = ev.bootstrap_metric(y, seed_predictions=seeds, seed=0, n_boot=500, groups=np.arange(60) // 6)
    assert grouped["low"] < grouped["value"] < grouped["high"]
    with pytest.raises(ValueError, match="y_pred or seed_predictions"):
        ev.bootstrap_metric(y, seed=0)


def test_metrics_table(rng):
    y = rng.normal(size=50)
    table = ev.metrics_table(
        y_true=y, predictions={"model": y + 0.1, "training mean": np.full(50, y.mean())}, intervals=("mae",)
    )
    assert list(table.index) == ["model", "training mean"]
    assert table.loc["model", "mae"] == pytest.approx(0.1)
    assert table.loc["training mean", "mae_low"] <= table.loc["training mean", "mae"]


def test_baseline_vocabulary():
    assert ev.is_baseline("mean") and ev.is_baseline("training median") and ev.is_baseline("majority class")
    assert not ev.is_baseline("rfr")
    assert ev.canonical("median") == "training median"
    assert set(results.BASELINE_MODELS) >= {"mean", "median", "majority", "training mean", "training median"}
    np.testing.assert_array_equal(ev.baseline_predictions([1.0, 2.0, 10.0], 2, kind="median"), [2.0, 2.0])
    assert ev.baseline_value(np.array([[1.0, 2.0], [3.0, 6.0]]), "mean").tolist() == [2.0, 4.0]
    with pytest.raises(ValueError, match="unknown baseline"):
        ev.make_baseline("zero")


# ----------------------------------------------------------------------------- robustness


def test_within_one_se_from_a_grid_search(rng):
    X = rng.normal(size=(80, 5))
    y = X @ np.array([1.0, 0.5, 0.0, 0.0, 0.0]) + rng.normal(0, 0.5, 80)
    search = GridSearchCV(
        Ridge(), {"alpha": [0.01, 0.1, 1.0, 10.0, 1e4]}, cv=KFold(5, shuffle=True, random_state=0)
    )
    search.fit(X, y)
    kept = ev.within_one_se(search)
    assert kept[0] == search.best_params_
    assert {"alpha": 1e4} not in kept and len(kept) >= 2


def test_within_one_se_rule_on_a_table():
    table = pd.DataFrame(
        {
            "params": [{"k": 1}, {"k": 2}, {"k": 3}],
            "scores": [[1.0, 1.2, 1.1, 0.9], [1.0, 1.1, 1.0, 1.05], [2.0, 2.1, 1.9, 2.2]],
        }
    )
    # errors: lower is better; best k=2 (mean 1.0375, SE 0.0239); k=1 (1.05) is within, k=3 is not
    assert ev.within_one_se(table, greater_is_better=False) == [{"k": 2}, {"k": 1}]
    with pytest.raises(ValueError, match="at least 2 folds"):
        ev.within_one_se(pd.DataFrame({"params": [{}], "scores": [[1.0]]}))


def test_alternatives_feed_claims_record(rng, monkeypatch, tmp_path):
    monkeypatch.setenv("REVIEWLIB_RECORDS_DIR", str(tmp_path))
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=60) > 0).astype(int)

    def accuracy(seed=0, params=None, split="random", groups=None):
        model = LogisticRegression(**(params or {}))
        res = ev.out_of_fold(model, X, y, split=split, groups=groups, seed=seed)
        return res.summary["accuracy_mean"]

    choices = {
        **ev.seed_choices([1, 2]),
        **ev.param_choices([{"C": 1.0}, {"C": 0.1}]),
        **ev.split_choices({"grouped by block": np.arange(60) // 6}),
    }
    alts = ev.alternatives(accuracy, choices)
    assert [a["choice"] for a in alts] == ["seed 1", "seed 2", "C=0.1", "grouped by block"]
    assert all(0 <= a["value"] <= 1 for a in alts)
    rec = claims.record("stanev2018.classifier_accuracy", accuracy(), alternatives=alts, mode="fast")
    assert rec.robustness in ("robust", "fragile") and len(rec.alternatives) == 4
    with pytest.raises(ValueError, match="non-finite"):
        ev.alternatives(lambda **kw: float("nan"), {"x": {}})


def test_results_store_takes_the_core_result(rng, monkeypatch, tmp_path):
    monkeypatch.setenv("REVIEWLIB_RECORDS_DIR", str(tmp_path))
    monkeypatch.setenv("REVIEWLIB_NOTEBOOK", "99_demo")
    X, y, groups = _clustered(rng)
    res = ev.out_of_fold(LinearRegression(), X, y, split="grouped by cluster", groups=groups, seed=0)
    rows = results.record_cv(
        res,
        dataset="demo",
        target="Tc",
        split=res.split,
        features="x",
        model="linear",
        unit="K",
        baselines=True,
    )
    assert {r.model for r in rows} == {"linear", "training mean", "training median"}
    frame = results.with_baselines(results.load())
    model_rows = frame[~frame["baseline"]]
    assert model_rows["beats_baseline"].all()


def test_grouped_holdout_keeps_groups_apart_and_is_seeded():
    groups = np.repeat([f"g{i}" for i in range(20)], 5)
    train, test = ev.holdout(groups=groups, test_fraction=0.25, seed=3)
    assert set(groups[train]).isdisjoint(groups[test])
    assert len(train) + len(test) == 100 and len(test) == 25
    again = ev.holdout(groups=groups, test_fraction=0.25, seed=3)
    assert np.array_equal(again[1], test)
    with pytest.raises(ValueError, match="two distinct groups"):
        ev.holdout(groups=["a"] * 5, seed=0)
    with pytest.raises(ValueError, match="test_fraction"):
        ev.holdout(groups=groups, test_fraction=1.5, seed=0)


def test_out_of_fold_imputes_missing_features_inside_the_training_folds(rng):
    """With missing_features='model imputes' a NaN feature is filled from the training fold only:
    the held-out row's own (other) values never enter the median it is filled with.
    """
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LinearRegression
    from sklearn.pipeline import make_pipeline

    X = rng.normal(size=(12, 2))
    X[0, 1] = np.nan
    y = X[:, 0] * 2.0
    model = make_pipeline(SimpleImputer(strategy="median"), LinearRegression())
    with pytest.raises(ValueError, match="missing_features='model imputes'"):
        ev.out_of_fold(model, X, y, split="random", seed=0)
    res = ev.out_of_fold(model, X, y, split="random", seed=0, missing_features="model imputes")
    assert np.isfinite(res.oof).all()
    # by hand: fold by fold, the imputer sees only the training rows
    for k in np.unique(res.fold):
        test = np.flatnonzero(res.fold == k)
        train = np.setdiff1d(np.arange(len(y)), test)
        fitted = make_pipeline(SimpleImputer(strategy="median"), LinearRegression()).fit(X[train], y[train])
        np.testing.assert_allclose(res.oof[test], fitted.predict(X[test]))
    X[1, 0] = np.inf
    with pytest.raises(ValueError, match="non-finite"):
        ev.out_of_fold(model, X, y, split="random", seed=0, missing_features="model imputes")
    with pytest.raises(ValueError, match="'refuse' or 'model imputes'"):
        ev.out_of_fold(model, X, y, split="random", seed=0, missing_features="impute")


def test_fit_predict_many_in_parallel_equals_the_serial_fits():
    """Hold-out fits through joblib give exactly the predictions of fitting each model here."""
    from reviewlib.models import make_model

    gen = np.random.default_rng(5)
    X = gen.normal(size=(120, 6))
    y = X[:, 0] - 2 * X[:, 1] ** 2 + gen.normal(0, 0.1, 120)
    fits, direct = [], []
    for s in (0, 1):
        tr, te = ev.holdout(n_rows=120, seed=s)
        for depth in (2, 4):
            model = make_model("xgbr", seed=s, max_depth=depth, n_estimators=30)
            fits.append((model, X, y, tr, te))
            direct.append(
                make_model("xgbr", seed=s, max_depth=depth, n_estimators=30).fit(X[tr], y[tr]).predict(X[te])
            )
    par = ev.fit_predict_many(fits, n_jobs=2)
    ser = ev.fit_predict_many(fits, n_jobs=1)
    assert len(par) == len(direct) == 4
    for p, q, d in zip(par, ser, direct, strict=True):
        np.testing.assert_array_equal(p, d)
        np.testing.assert_array_equal(q, d)
    assert not hasattr(fits[0][0], "_Booster")  # the models passed in stay unfitted
