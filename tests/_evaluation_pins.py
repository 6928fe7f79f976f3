"""Outputs of the evaluation engines on small synthetic data, pinned before the refactor into
:mod:`reviewlib.evaluation` (issue 25). ``python tests/_evaluation_pins.py`` rewrote
``tests/data/evaluation/pins.npz`` once, on main at the commit before the refactor; the
regression test compares today's outputs with it.
"""

from __future__ import annotations

import numpy as np


def data():
    rng = np.random.default_rng(7)
    n = 48
    X = rng.normal(size=(n, 4))
    y = X @ np.array([2.0, -1.0, 0.5, 0.0]) + 0.5 * rng.normal(size=n) + 3.0
    groups = np.repeat(np.arange(12), 4).astype(str)
    y_cls = (y > np.median(y)).astype(int)
    formulas = [
        "MgB2",
        "Mg2B4",
        "YBa2Cu3O7",
        "Ba4Cu6Y2O14",
        "H3S",
        "S2H6",
        "LaH10",
        "NbTi",
        "Nb3Sn",
        "NbSn0.333",
    ]
    return X, y, y_cls, groups, formulas


def outputs() -> dict[str, np.ndarray]:
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import Ridge

    from reviewlib import evaluation as ev
    from reviewlib import models as M
    from reviewlib.hydrides import dedup

    X, y, y_cls, groups, formulas = data()
    out: dict[str, np.ndarray] = {}
    metric_cols = ["fold", "n_train", "n_test", "r2", "rmse", "mae"]
    for split in ("random", "group"):
        cv = M.cross_validate_model(
            M.make_model("rfr", seed=3, n_estimators=15, n_jobs=1),
            X,
            y,
            groups=groups,
            split=split,
            seed=5,
            n_jobs=1,
        )
        out[f"cv_{split}_oof"] = cv.oof
        out[f"cv_{split}_fold"] = cv.fold
        out[f"cv_{split}_folds"] = cv.folds[metric_cols].to_numpy(float)
        out[f"cv_{split}_summary"] = np.array([cv.summary[k] for k in sorted(cv.summary)])
    cls = M.cross_validate_model(M.make_model("logreg", seed=1), X, y_cls, split="random", seed=2, n_jobs=1)
    out["cv_cls_oof"] = cls.oof
    out["cv_cls_folds"] = cls.folds[["fold", "n_train", "n_test", *ev.CLASSIFICATION_METRICS]].to_numpy(float)
    weighted = M.cross_validate_model(
        M.make_model("rfr", seed=0, n_estimators=10, n_jobs=1),
        X,
        y,
        sample_weight=np.linspace(0.5, 2, len(y)),
        seed=4,
        n_jobs=1,
    )
    out["cv_weighted_oof"] = weighted.oof
    comp = M.compare_models(
        {"raw": X},
        y,
        models=["ridge", "mean", "median"],
        protocols={"random": None, "grouped": groups},
        seed=9,
        progress=False,
        n_jobs=1,
    )
    out["compare_table"] = comp.table[["mean", "std", "n_folds"]].to_numpy(float)
    out["compare_pred"] = comp.predictions["y_pred"].to_numpy(float)

    def rf(s):
        return RandomForestRegressor(n_estimators=10, random_state=s)

    def grouped_oof(*, make_model, X, y, groups, seed, n_splits=5):
        split = "leave one group out" if n_splits is None else "grouped"
        res = ev.out_of_fold(make_model, X, y, split=split, groups=groups, n_splits=n_splits, seed=seed)
        return {**res.all_predictions(), "fold": res.fold}

    Y2 = np.column_stack([y, y**2])
    for tag, kw in (("k5", {"n_splits": 5}), ("logo", {"n_splits": None})):
        for dim, target in (("1d", y), ("2d", Y2)):
            res = grouped_oof(make_model=rf, X=X, y=target, groups=groups, seed=11, **kw)
            for key, arr in res.items():
                out[f"oof_{tag}_{dim}_{key}"] = np.asarray(arr, float)
    out["oof_ridge"] = grouped_oof(make_model=lambda s: Ridge(), X=X, y=y, groups=groups, seed=1)["model"]
    tr, te = ev.holdout(groups=groups, test_fraction=0.25, seed=13)
    out["holdout_train"], out["holdout_test"] = tr, te
    pred = y + np.random.default_rng(1).normal(0, 1.0, len(y))
    pred_b = y + np.random.default_rng(2).normal(0, 1.3, len(y))
    for metric in ("mae", "rmse", "r2"):
        b = ev.bootstrap_metric(y, pred, metric=metric, n_boot=300, seed=17)
        out[f"boot_{metric}"] = np.array([b["value"], b["low"], b["high"]])
    b = ev.bootstrap_metric(y[:10], pred[:10], seed=3, level=0.9)
    out["boot_small"] = np.array([b["value"], b["low"], b["high"]])
    b = ev.bootstrap_metric(y, pred, metric="rmse", seed=4, n_boot=500)
    out["boot_interval"] = np.array([b["low"], b["high"]])
    p = ev.paired_bootstrap(y, pred, pred_b, n_boot=400, seed=19)
    out["paired"] = np.array([p["diff"], p["low"], p["high"], p["frac_a_worse"]])
    out["baseline_mean"] = ev.baseline_predictions(y[:30], 5, kind="mean")
    out["baseline_median"] = ev.baseline_predictions(y[:30], 5, kind="median")
    table = ev.metrics_table(
        y_true=y, predictions={"a": pred, "b": pred_b}, intervals=("rmse",), seed=5, n_boot=2000
    )
    out["model_table"] = table[["rmse", "mae", "r2"]].to_numpy(float)
    ci_text = [f"{lo:.1f}-{hi:.1f}" for lo, hi in zip(table["rmse_low"], table["rmse_high"], strict=True)]
    out["model_table_ci"] = np.array([hash_text(s) for s in ci_text])
    for name, fn in (
        ("comp", lambda: ev.composition_groups(formulas)),
        ("comp1", lambda: ev.composition_groups(formulas, decimals=1)),
        ("chemsys", lambda: ev.chemical_system_groups(formulas)),
        ("compound", lambda: dedup.compound_groups(formulas=formulas)),
    ):
        out[f"groups_{name}"] = np.array([hash_text(s) for s in fn()])
    dummy = M.make_model("median", seed=0).fit(X[:20], y[:20]).predict(X[20:25])
    out["dummy_median"] = dummy
    maj = M.make_model("majority", seed=0).fit(X[:20], y_cls[:20]).predict(X[20:25])
    out["dummy_majority"] = maj.astype(float)
    return out


def hash_text(text: str) -> int:
    """A stable integer digest of a string (numpy arrays of text would need allow_pickle)."""
    import hashlib

    return int(hashlib.sha256(str(text).encode()).hexdigest()[:12], 16)


if __name__ == "__main__":
    from pathlib import Path

    path = Path(__file__).parent / "data" / "evaluation" / "pins.npz"
    np.savez_compressed(path, **outputs())
    print(f"wrote {path}")
