# %% [markdown]
# # Choudhary & Garrity (2022): predicting Tc directly or through lambda and omega_log
#
# :::{admonition} This chapter in short
# :class: tip
#
# - **Paper.** Choudhary & Garrity {cite}`r28_choudhary2022`, §2.5 and §3 of the review
#   {cite}`bai2024unveiling`: BCS-inspired screening, 1,058 electron-phonon calculations, ALIGNN
#   {cite}`r55_choudhary2021` and CFID models; the review quotes only an ordering,
#   MAE(Tc direct) > MAE(Tc from predicted λ, ω_log) > MAE(Tc from predicted α²F), no MAE values.
# - **Our public stand-in.** Alexandria DS-A + DS-B {cite}`cerqueira2024_alexandria`
#   (ambient-pressure DFPT λ, ω_log, Tc) for the ordering, with a random and a
#   chemical-system-grouped hold-out beside the published, shifted DS-A → DS-B split; the
#   JARVIS sets of [28] (Tc only) for the counts and for ALIGNN's published predictions.
# - **Reported vs ours** ({glue:text}`mode` mode). Direct worse than chained:
#   {glue:text}`v_direct`. ω_log easier than λ and Tc: {glue:text}`v_omega`. Electron-phonon
#   calculations: {glue:text}`v_n_epc`. Tc ≥ 5 K: {glue:text}`v_n_ge5`.
# - **Run time.** {glue:text}`run_time`.
# :::
#
# The review concludes that "type iv models perform worse than type v connected with type ii on
# the same training set": learn the electron-phonon quantities, then chain them through a Tc
# formula. This chapter tests the first half of the ordering on public data:
#
# * **Alexandria** (8,253 structures): (a) Tc predicted directly, (b) λ and ω_log predicted,
#   then Allen-Dynes {cite}`r38_allen1975` (and McMillan's ω_log/1.20 form
#   {cite}`r37_mcmillan1968`), each with three representations: Magpie composition statistics
#   {cite}`ward2016`, structure features of the kind Tran & Vu used {cite}`r22_tran2023`, and
#   the learned CHGNet embedding {cite}`deng2023_chgnet`. [28] split its JARVIS set at random,
#   so the primary test is a **random hold-out of DS-A ∪ DS-B**; a hold-out **grouped by
#   chemical system** and the **published DS-A → DS-B** split (whose test Tc are far higher than
#   its training Tc) are the alternatives, each verdict over five seeds.
# * **JARVIS** (their own splits): `dft_3d_Tc_supercon` (616 ambient-pressure Tc of [28]) and
#   the hydride benchmarks {cite}`wines2024_hydride` with ALIGNN's published test predictions,
#   regrouped by parent compound. These sets publish Tc only, so only route (a) runs on them.
#
# Route (c), Tc from a predicted α²F, needs spectra for training; no dataset in the registry
# has them, so it is not run (`choudhary2022.lambda_wlog_worse_than_a2f` stays not
# reproducible).

# %% tags=["parameters"]
# "fast" (CI: subsamples, 2 seeds) or "full" (every structure,
# 5 seeds)
mode = "fast"
seed = 2022  # first seed of the splits, the models and the bootstrap
# Coulomb pseudopotential of the chained routes (labels: 0.10)
mu_star = 0.10
# your folder of CIF files, Tc predicted by every route; None: none
cif_dir = None
# DS-A structures; None: 400 in fast mode, all 7,220 in full mode
n_train = None
# DS-B structures; None: 150 in fast mode, all 1,033 in full mode
n_test = None
# bootstrap resamples; None: 500 in fast mode, 2,000 in full mode
n_boot = None

# %% tags=["hide-input"]
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from reviewlib import epc_models as E
from reviewlib import evaluation as ev
from reviewlib import models as M
from reviewlib.book import chapter, results
from reviewlib.book.claims import record, verdicts
from reviewlib.data import jarvis
from reviewlib.data.hydrides import load_alexandria
from reviewlib.data.user import Dataset, load_structure_folder, show_skipped
from reviewlib.features.composition import magpie_features
from reviewlib.features.representations import REPRESENTATIONS, featurise
from reviewlib.plots import (
    PARITY_STYLE,
    identity_line,
    metrics_label,
    parity_axes,
)

warnings.filterwarnings("ignore", category=UserWarning)
ch = chapter.start(
    "09_choudhary2022_prediction_routes",
    mode=mode,
    fast={
        "n_train": 400,
        "n_test": 150,
        "n_boot": 500,
        "rounds": 150,
        "n_seeds": 2,
        "tune_rows": 1000,
        "jarvis_train": 150,
    },
    full={
        "n_train": None,
        "n_test": None,
        "n_boot": 2000,
        "rounds": 300,
        "n_seeds": 5,
        "tune_rows": 3000,
        "jarvis_train": None,
    },
    overrides={"n_train": n_train, "n_test": n_test, "n_boot": n_boot},
    # your own structures are never recorded against the review
    record=cif_dir is None,
)
# the paper-specific sections run only on the registry data
PAPER = ch.recording
N_BOOT = ch["n_boot"]
XGB = {"n_estimators": ch["rounds"], "learning_rate": 0.1}
# xgboost depths tried by the one-standard-error rule (section 2)
DEPTHS = (
    4,
    6,
    8,
)
SEEDS = [seed + k for k in range(ch["n_seeds"])]
TARGETS = {"Tc": "tc_K", "lambda": "lambda", "omega_log": "omega_log_K"}
DIRECT, CHAINED = "(a) direct", "(b) λ, ω_log → Allen-Dynes"
MCM = "(b') λ, ω_log → McMillan"
SKIP = "Your own structures: this section is specific to the paper and is skipped."


def xgb(s, depth=6):
    """The one model family of every route: seeded xgboost, same settings for every target."""
    return M.make_model("xgbr", seed=s, max_depth=depth, **XGB)


def routes(X_tr, y_tr, X_te, *, s, depth):
    """Predicted Tc of the routes, and the three predicted targets, for one training set."""
    p = {
        t: xgb(s, depth[t]).fit(X_tr, y_tr[t]).predict(X_te).astype(float)
        for t in TARGETS
    }
    return routes_of(p)


def routes_of(p):
    """Tc of every route from the predicted Tc, λ and ω_log (``p``)."""
    lam, wlog = p["lambda"], p["omega_log"]
    return {
        DIRECT: np.clip(p["Tc"], 0, None),
        CHAINED: E.chained_tc(lam, omega_log_K=wlog, mu_star=mu_star),
        MCM: E.chained_tc(
            lam, omega_log_K=wlog, mu_star=mu_star, formula="mcmillan"
        ),
        **p,
    }


def ci_text(res, digits=2):
    """``value [low, high]`` of a bootstrap result."""
    lo, hi = res["low"], res["high"]
    return f"{res['value']:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def diff_text(d, digits=3):
    """A paired difference with its interval."""
    return f"{d['diff']:+.{digits}f} [{d['low']:+.{digits}f}, {d['high']:+.{digits}f}]"


# %% [markdown]
# ## 1. Data: Alexandria DS-A and DS-B, and the formula floor
#
# DS-A and DS-B come with λ, ω_log (K) and Tc (K) from the same DFPT calculations; in fast mode
# a seeded subsample is used. The chained route computes Tc with Allen-Dynes
# {cite}`r38_allen1975` (f₂ = 1, the labels' convention):
#
# $$
# T_c = \frac{f_1\,\omega_{\log}}{1.20}
# \exp\!\left[-\frac{1.04\,(1+\lambda)}{\lambda-\mu^*(1+0.62\,\lambda)}\right],
# \qquad f_1 = \left[1+\left(\frac{\lambda}{2.46\,(1+3.8\mu^*)}\right)^{3/2}\right]^{1/3},
# $$ (eq-routes-allen-dynes)
#
# and McMillan's form is {eq}`eq-routes-allen-dynes` with f₁ = 1. The first check is how exactly the
# labels follow {eq}`eq-routes-allen-dynes` on the **true** λ and ω_log: that is the floor of the
# chained route.

# %% tags=["hide-input"]
with ch.timed("load"):
    ds_a, ds_b = load_alexandria("A"), load_alexandria("B")
    rng = np.random.default_rng(seed)
    picks = {
        "A": (ds_a, ch["n_train"]),
        "B": (ds_b, ch["n_test"]),
    }
    parts = []
    for label, (frame, n) in picks.items():
        if n is not None and n < len(frame):
            frame = frame.iloc[
                np.sort(rng.choice(len(frame), n, replace=False))
            ]
        parts.append(frame.assign(ds=label))
    pool = pd.concat(parts, ignore_index=True)
print(
    f"Alexandria: {int((pool['ds'] == 'A').sum())} DS-A and {int((pool['ds'] == 'B').sum())} "
    f"DS-B structures used (of {len(ds_a)} and {len(ds_b)})"
)

# %%
floor = {}
for label, frame in (("DS-A", ds_a), ("DS-B", ds_b)):
    for formula in ("allen_dynes", "mcmillan"):
        tc_true = E.chained_tc(
            frame["lambda"],
            omega_log_K=frame["omega_log_K"],
            mu_star=mu_star,
            formula=formula,
        )
        floor[(label, formula)] = float(
            np.mean(np.abs(tc_true - frame["tc_K"]))
        )
what = (
    "MAE (K) of Tc from the **true** λ, ω_log against the labels, "
    f"μ* = {mu_star}:"
)
display(Markdown(what))
display(pd.Series(floor).unstack().round(3))
med = pool.groupby("ds")["tc_K"].median()
print(f"Tc median (K): DS-A {med['A']:.2f}, DS-B {med['B']:.2f}")

# %% [markdown]
# Allen-Dynes reproduces Alexandria's Tc to about 0.02 K: the labels were computed this way, so
# the chained route inherits no formula error here (unlike [28]'s data, where Tc comes from the
# full α²F). The two sets differ: half of DS-A has Tc below 0.3 K, DS-B's median is about 7 K.
# A test on DS-B after training on DS-A is therefore an extrapolation test, not the random split
# of [28].
#
# ## 2. Representations and the model
#
# *composition*: 132 Magpie statistics; *structure*: Tran & Vu's Matminer features recomputed
# (Gaussian GRDF, structural complexity, valence electrons) plus density, volume per atom, H
# fraction and shortest distances (`reviewlib.features.structure`); *CHGNet*: the 64-number
# crystal feature vector of the pretrained CHGNet 0.3.0. All are cached on disk.

# %% tags=["hide-input"]
with ch.timed("featurise"):
    feats, skipped = featurise(list(pool["structure"]), n_jobs=2)
if len(skipped):
    display(skipped)
pool = pool.loc[feats["composition"].index].reset_index(drop=True)
X = {k: v.to_numpy(float) for k, v in feats.items()}
Y = {t: pool[c].to_numpy(float) for t, c in TARGETS.items()}
display(pd.Series({k: v.shape[1] for k, v in X.items()}, name="features"))

# %% [markdown]
# The same xgboost regressor ({glue:text}`rounds` rounds, learning rate 0.1) is fitted to Tc, λ
# and ω_log. Its depth is chosen per target and representation by the **one-standard-error
# rule**: 3-fold cross-validation on (at most {glue:text}`tune_rows`) training rows of the
# primary split for depths 4, 6 and 8; the shallowest depth whose mean fold MAE is within one
# standard error of the best is used, and the best-scoring depth is kept as an alternative.

# %%
with ch.timed("depth (one-SE rule)"):
    pick = {"one-SE": {}, "best": {}}
    tune = []
    if PAPER:
        primary_tr, _ = ev.holdout(n_rows=len(pool), seed=seed)  # as PRIMARY
        rows = np.random.default_rng(seed).permutation(primary_tr)[
            : ch["tune_rows"]
        ]
        folds = ev.split_indices(
            "random", n_rows=len(rows), n_splits=3, seed=seed
        )
        grid = [
            (rep, t, depth, tr, te)
            for rep in REPRESENTATIONS
            for t in TARGETS
            for depth in DEPTHS
            for tr, te in folds
        ]
        # the fits are independent: one parallel batch (same numbers)
        fits = [
            (xgb(seed, d), X[rep], Y[t], rows[tr], rows[te])
            for rep, t, d, tr, te in grid
        ]
        preds = ev.fit_predict_many(fits, n_jobs=M.N_JOBS)
        mae = {
            (rep, t, d): [] for rep, t, d, _, _ in grid
        }  # fold MAEs in fold order
        for (rep, t, d, _, te), p in zip(grid, preds, strict=True):
            mae[(rep, t, d)].append(np.mean(np.abs(p - Y[t][rows[te]])))
        for rep in REPRESENTATIONS:
            for t in TARGETS:
                cv = [
                    {"params": {"max_depth": d}, "scores": mae[(rep, t, d)]}
                    for d in DEPTHS
                ]
                near = ev.within_one_se(cv, greater_is_better=False)
                ok = [p["max_depth"] for p in near]
                pick["one-SE"][(rep, t)], pick["best"][(rep, t)] = (
                    min(ok),
                    ok[0],
                )
                row = {"representation": rep, "target": t}
                for c in cv:
                    m, sd = np.mean(c["scores"]), np.std(c["scores"], ddof=1)
                    se = sd / np.sqrt(len(c["scores"]))
                    row[f"depth {c['params']['max_depth']}"] = (
                        f"{m:.3g} ± {se:.2g}"
                    )
                tune.append(
                    row | {"one-SE depth": min(ok), "best depth": ok[0]}
                )
        display(pd.DataFrame(tune).set_index(["representation", "target"]))
    else:
        print(SKIP + " Depth 6 is used.")
        pick["one-SE"] = {
            (r, t): 6 for r in REPRESENTATIONS for t in TARGETS
        }
ch.glue("rounds", str(ch["rounds"]))
ch.glue("tune_rows", f"{ch['tune_rows']:,}")


def depths(rep, choice="one-SE"):
    """Depth per target for one representation."""
    return {t: pick[choice][(rep, t)] for t in TARGETS}


# %% [markdown]
# ## 3. The routes under three splits
#
# * **random** (primary): 80 % of DS-A ∪ DS-B for training, 20 % for testing, drawn at random;
# * **grouped by chemical system**: about 20 % of the chemical systems (element sets) held out
#   whole, so no test compound has a sibling with the same elements in training;
# * **DS-A → DS-B**: Alexandria's published split, shifted to higher Tc.
#
# Each split is drawn {glue:text}`n_seeds` times (seeds {glue:text}`seeds`); the model seeds
# follow. For one split and representation the ordering is tested with a paired bootstrap over
# the test structures $i$:
#
# $$
# \Delta = \frac{1}{n}\sum_{i=1}^{n}\left(|\hat T^{\mathrm{direct}}_{c,i} - T_{c,i}|
# - |\hat T^{\mathrm{chained}}_{c,i} - T_{c,i}|\right),
# $$ (eq-paired-delta)
#
# "holds" when the 95 % interval of {eq}`eq-paired-delta` is above 0, "reversed" when below,
# "tie" otherwise. Test rows are resampled one by one, except under the grouped split, where
# whole chemical systems are resampled (cluster bootstrap: rows of one system are not
# independent).

# %% tags=["hide-input"]
ch.glue("n_seeds", str(len(SEEDS)))
ch.glue("seeds", ", ".join(map(str, SEEDS)))
systems = ev.chemical_system_groups(
    [s.composition for s in pool["structure"]]
)
PRIMARY = "random 80/20 of DS-A ∪ DS-B"
GROUPED = "grouped by chemical system, 80/20 of DS-A ∪ DS-B"
SHIFTED = "DS-A → DS-B (published split)"


def split_rows(name, s):
    """Training and test rows (positions in ``pool``) of a named split and seed."""
    if name == PRIMARY:
        return ev.holdout(n_rows=len(pool), seed=s)
    if name == GROUPED:
        return ev.holdout(groups=systems, seed=s)
    is_b = (pool["ds"] == "B").to_numpy()
    return np.flatnonzero(~is_b), np.flatnonzero(is_b)


def evaluate_all(cases):
    """Predictions of every route and representation for each (split,
    seed, depth choice) of ``cases``; all fits in one parallel batch.
    """
    plan = []
    for name, s, choice in cases:
        tr, te = split_rows(name, s)
        for rep in REPRESENTATIONS:
            d = depths(rep, choice)
            plan += [
                (name, s, choice, rep, t, tr, te, d[t]) for t in TARGETS
            ]
    fits = [
        (xgb(s, d), X[rep], Y[t], tr, te)
        for _, s, _, rep, t, tr, te, d in plan
    ]
    preds = ev.fit_predict_many(fits, n_jobs=M.N_JOBS)
    out = {}
    for (name, s, choice, rep, t, tr, te, _), p in zip(
        plan, preds, strict=True
    ):
        run = out.setdefault(
            (name, s, choice), {"train": tr, "test": te, "preds": {}}
        )
        run["preds"].setdefault(rep, {})[t] = p.astype(float)
    for run in out.values():
        run["preds"] = {r: routes_of(p) for r, p in run["preds"].items()}
    return out


def judge(run, name, s):
    """Paired differences, R^2 per target, and the two rules for one evaluation."""
    te = run["test"]
    # cluster bootstrap for grouped
    groups = systems[te] if name == GROUPED else None
    diffs, r2 = {}, {}
    for rep, p in run["preds"].items():
        diffs[rep] = ev.paired_bootstrap(
            Y["Tc"][te],
            p[DIRECT],
            p[CHAINED],
            n_boot=N_BOOT,
            seed=s,
            groups=groups,
        )
        r2[rep] = {
            t: ev.regression_metrics(Y[t][te], p[t])["r2"] for t in TARGETS
        }
    ordering = all(d["low"] > 0 for d in diffs.values())
    easier = all(
        r["omega_log"] > max(r["lambda"], r["Tc"]) for r in r2.values()
    )
    return {"diffs": diffs, "r2": r2, "ordering": ordering, "easier": easier}


# %%
runs = {}
if PAPER:
    with ch.timed("routes: three splits x seeds"):
        cases = [
            (name, s, "one-SE")
            for name in (PRIMARY, GROUPED, SHIFTED)
            for s in SEEDS
        ]
        # the best-CV-score depth, primary split, first seed
        if pick["best"] != pick["one-SE"]:
            cases += [(PRIMARY, s, "best") for s in SEEDS[:1]]
        done = evaluate_all(cases)
        for (name, s, choice), run in done.items():
            key = name if choice == "one-SE" else "best-CV depth, " + name
            runs[(key, s)] = run | judge(run, name, s)
    status = {True: "holds", False: "not shown"}
    rows = []
    for (name, s), r in runs.items():
        row = {"split": name, "seed": s, "test rows": len(r["test"])}
        for rep, d in r["diffs"].items():
            row[f"{rep}: Δ (K) [95% CI]"] = diff_text(d)
        row["direct > chained"] = status[r["ordering"]]
        row["R² ω_log > λ, Tc"] = status[r["easier"]]
        rows.append(row)
    summary = pd.DataFrame(rows).set_index(["split", "seed"])
    display(
        Markdown(
            "Δ of {eq}`eq-paired-delta` per split, seed and representation:"
        )
    )
    display(summary)
else:
    print(SKIP)

# %% [markdown]
# The MAE of each route on the first seed of each split, against the training median (the
# trivial baseline), with 95 % bootstrap intervals; every row also goes to the results store.

# %% tags=["hide-input"]
if PAPER:
    rows = []
    for name in (PRIMARY, GROUPED, SHIFTED):
        r = runs[(name, SEEDS[0])]
        tr, te = r["train"], r["test"]
        for t in TARGETS:
            yt = Y[t][te]
            base = ev.baseline_predictions(Y[t][tr], len(te), kind="median")
            entries = [("-", "training median", base, True)]
            for rep in REPRESENTATIONS:
                p = r["preds"][rep]
                if t == "Tc":
                    entries += [
                        (rep, f"xgboost {k}", p[k], False)
                        for k in (DIRECT, CHAINED, MCM)
                    ]
                else:
                    entries.append((rep, "xgboost", p[t], False))
            for feat, model, pred, is_base in entries:
                results.record_bootstrap(
                    yt,
                    pred,
                    dataset="alexandria (DS-A ∪ DS-B)",
                    target=t,
                    split=name,
                    features=feat,
                    model=model,
                    baseline=is_base,
                    n_train=len(tr),
                    unit="K" if t != "lambda" else "",
                    seed=SEEDS[0],
                    n_boot=N_BOOT,
                )
                if t == "Tc":
                    boot = ev.bootstrap_metric(
                        yt, pred, n_boot=N_BOOT, seed=SEEDS[0]
                    )
                    rows.append(
                        {"split": name, "features": feat, "route": model}
                        | boot
                    )
    alex = pd.DataFrame(rows)
    alex["test MAE of Tc (K) [95% CI]"] = [
        ci_text(r, 3) for r in alex.to_dict("records")
    ]
    display(
        alex.set_index(["split", "features", "route"])[
            ["test MAE of Tc (K) [95% CI]"]
        ]
    )
else:
    print(SKIP)

# %% mystnb={"figure": {"caption": "Paired difference MAE(direct) \u2212 MAE(chained, Allen-Dynes) of Tc (K) per representation and split, with 95 % bootstrap intervals; one marker per seed. Right of the dotted line: the chained route is better.", "name": "fig-09-delta"}} tags=["hide-input"]
if PAPER:
    fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
    names = (PRIMARY, GROUPED, SHIFTED)
    for i, name in enumerate(names):
        for j, rep in enumerate(REPRESENTATIONS):
            for k, s in enumerate(SEEDS):
                d = runs[(name, s)]["diffs"][rep]
                yy = i * 4 + j + 0.12 * (k - (len(SEEDS) - 1) / 2)
                xerr = [[d["diff"] - d["low"]], [d["high"] - d["diff"]]]
                ax.errorbar(
                    d["diff"], yy, xerr=xerr, fmt="o", ms=3, color=f"C{j}"
                )
    ax.axvline(0, color="k", ls=":", lw=1)
    ticks = [i * 4 + j for i in range(3) for j in range(3)]
    labels = [
        f"{n.split(',')[0].split(' (')[0]} | {r}"
        for n in names
        for r in REPRESENTATIONS
    ]
    ax.set_yticks(ticks, labels, fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel("MAE(direct) − MAE(chained) of Tc (K)")
    plt.show()
else:
    print(SKIP)

# %% mystnb={"figure": {"caption": "Primary split (random hold-out of DS-A \u222a DS-B, first seed): predicted against DFT Tc (K), direct (blue) and chained through Allen-Dynes (orange), one panel per representation; dashed: identity.", "name": "fig-09-parity"}} tags=["hide-input"]
if PAPER:
    r = runs[(PRIMARY, SEEDS[0])]
    tc_te = Y["Tc"][r["test"]]
    fig, axes = plt.subplots(
        1, 3, figsize=(12, 3.8), layout="constrained", sharey=True
    )
    routes = {"(a) direct": DIRECT, "(b) chained": CHAINED}
    shown = [
        r["preds"][rep][k]
        for rep in REPRESENTATIONS
        for k in (DIRECT, CHAINED)
    ]
    everything = np.concatenate([tc_te, *shown])  # one scale for all panels
    lo, hi = float(everything.min()), float(everything.max())
    for ax, rep in zip(axes, REPRESENTATIONS, strict=True):
        for label, k in routes.items():
            pred = r["preds"][rep][k]
            text = metrics_label(y_true=tc_te, y_pred=pred, label=label)
            ax.scatter(tc_te, pred, label=text, **PARITY_STYLE["scatter"])
        lim = identity_line(ax, lo=lo, hi=hi, label="y = x")
        parity_axes(ax, lim=lim, quantity="$T_c$", unit="K")
        ax.set_title(rep)
        ax.legend(**PARITY_STYLE["legend"])
    for ax in axes[1:]:
        ax.set_ylabel("")  # shared with the first panel
    plt.show()
else:
    print(SKIP)

# %% [markdown]
# ## 4. JARVIS `dft_3d_Tc_supercon` (616 entries, split 556/30/30)
#
# The set of [28] as published on the JARVIS leaderboard: Tc only, so route (a) only, with
# structures from the AtomGen benchmark (joined on the JARVIS id). Trained on train + val,
# tested on the 30 test entries; with 30 test points the intervals are wide.

# %%
if PAPER:
    with ch.timed("jarvis dft3d"):
        d3_all = jarvis.load_jarvis_dft3d_tc()
        atomgen = jarvis.load_jarvis_atomgen()
        d3 = d3_all.merge(
            atomgen[["jid", "structure"]], on="jid", how="left"
        )
        missing = int(d3["structure"].isna().sum())
        d3 = d3[d3["structure"].notna()].reset_index(drop=True)
        # fast: all test entries, some others
        if ch["jarvis_train"] is not None:
            tr_idx = d3.index[d3["split"] != "test"]
            n_pick = min(ch["jarvis_train"], len(tr_idx))
            pick3 = np.random.default_rng(seed).choice(
                tr_idx, n_pick, replace=False
            )
            keep3 = set(pick3) | set(d3.index[d3["split"] == "test"])
            d3 = d3.loc[sorted(keep3)].reset_index(drop=True)
        f3, _ = featurise(
            list(d3["structure"]), labels=list(d3["jid"]), n_jobs=2
        )
        d3 = d3.loc[f3["composition"].index].reset_index(drop=True)
        is_test = (d3["split"] == "test").to_numpy()
        y3 = d3["tc_K"].to_numpy(float)
        base3 = ev.baseline_predictions(y3[~is_test], int(is_test.sum()))
        rows = [("-", "training median", base3, True)]
        for rep in REPRESENTATIONS:
            Xr = f3[rep].to_numpy(float)
            p = (
                xgb(seed)
                .fit(Xr[~is_test], y3[~is_test])
                .predict(Xr[is_test])
            )
            rows.append(
                (rep, "xgboost, direct Tc", np.clip(p, 0, None), False)
            )
        jt = []
        for feat, model, pred, is_base in rows:
            results.record_bootstrap(
                y3[is_test],
                pred,
                dataset="jarvis_dft3d_tc",
                target="Tc",
                split="JARVIS published split (test 30)",
                features=feat,
                model=model,
                baseline=is_base,
                n_train=int((~is_test).sum()),
                unit="K",
                seed=seed,
                n_boot=N_BOOT,
            )
            boot = ev.bootstrap_metric(
                y3[is_test], pred, n_boot=N_BOOT, seed=seed
            )
            jt.append({"representation": feat, "model": model} | boot)
        jt = pd.DataFrame(jt)
        jt["test MAE (K) [95% CI]"] = [
            ci_text(r) for r in jt.to_dict("records")
        ]
    print(
        f"{len(d3)} entries with a structure ({missing} without); "
        f"{int(is_test.sum())} test, {int((~is_test).sum())} train + val"
    )
    display(
        jt.set_index(["representation", "model"])[["test MAE (K) [95% CI]"]]
    )
    n_ge5 = int((d3_all["tc_K"] >= 5).sum())
    counts = f"entries with Tc >= 5 K: {n_ge5} of {len(d3_all)}"
    print(f"{counts}; AtomGen structures: {len(atomgen)}")
else:
    print(SKIP)

# %% [markdown]
# ## 5. JARVIS hydride benchmarks against ALIGNN, by parent compound
#
# The hydride sets (953 entries at 0-500 GPa; 1,993 with ambient bulk) are entries of a
# **parent compound at a pressure**, and JARVIS split them by entry: a test entry's parent
# compound usually sits in training at other pressures. The sets publish ids, not structures;
# the composition is known for literature parents (from the id) and for JARVIS parents in the
# AtomGen structures, so our model is composition (Magpie) + pressure, on the entries with a
# known composition. Three comparisons:
#
# 1. **JARVIS split, all test entries** (ours and ALIGNN both trained with the parents): like
#    with like, parent leak included on both sides;
# 2. **test entries whose parent is in no training or validation entry**: ours and ALIGNN's
#    published predictions both without the parent, the like-with-like test of generalisation
#    to a new compound (few entries);
# 3. **all test entries, ours retrained without the test parents** (grouped by parent): how
#    much the leak is worth for our model. ALIGNN cannot be retrained here, so its number on
#    this comparison is the leaky one and is **not** compared.

# %%
if PAPER:
    with ch.timed("jarvis hydrides"):
        comp_of_jid = dict(
            zip(
                atomgen["jid"],
                [s.composition for s in atomgen["structure"]],
                strict=True,
            )
        )
        hyd_rows = []
        loaders = {
            "hydride": jarvis.load_jarvis_hydride,
            "hydride_plus_bulk": jarvis.load_jarvis_hydride_plus_bulk,
        }
        for which, loader in loaders.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                h = loader()
            comp = [
                c if c is not None else comp_of_jid.get(j)
                for c, j in zip(
                    h["parent_composition"], h["jid"], strict=True
                )
            ]
            h = h.assign(composition=comp)
            h = h[h["composition"].notna()].reset_index(drop=True)
            Xh = magpie_features(
                list(h["composition"]), progress=False
            ).to_numpy(float)
            Xh = np.column_stack([Xh, h["pressure_GPa"].to_numpy(float)])
            yh = h["tc_K"].to_numpy(float)
            test = (h["split"] == "test").to_numpy()
            seen = set(h.loc[~test, "parent"])
            new_parent = test & ~h["parent"].isin(seen).to_numpy()
            leak = (
                ~test
                & h["parent"].isin(set(h.loc[test, "parent"])).to_numpy()
            )
            al = jarvis.load_alignn_predictions(which).set_index("id")
            ids = h.loc[test, "id"]
            if not ids.isin(al.index).all():
                missing_ids = list(ids[~ids.isin(al.index)])[:3]
                msg = (
                    f"{which}: ids missing from ALIGNN's file: {missing_ids}"
                )
                raise ValueError(msg)
            p_al = pd.Series(
                al.loc[ids, "tc_pred_K"].to_numpy(float), index=ids.index
            )
            fit_all = xgb(seed).fit(Xh[~test], yh[~test])
            p_all = np.clip(fit_all.predict(Xh[test]), 0, None)
            p_all = pd.Series(p_all, index=ids.index)
            keep = ~test & ~leak
            fit_grp = xgb(seed).fit(Xh[keep], yh[keep])
            p_grp = np.clip(fit_grp.predict(Xh[test]), 0, None)
            p_grp = pd.Series(p_grp, index=ids.index)
            med_all, med_grp = np.median(yh[~test]), np.median(yh[keep])
            cases = {
                "1. JARVIS split, all test entries": (
                    test,
                    int((~test).sum()),
                    [
                        ("training median", "-", med_all, True),
                        (
                            "ours: xgboost",
                            "composition + pressure",
                            p_all,
                            False,
                        ),
                        (
                            "ALIGNN (published predictions)",
                            "structure",
                            p_al,
                            False,
                        ),
                    ],
                ),
                "2. test entries with a parent in no training entry": (
                    new_parent,
                    int((~test).sum()),
                    [
                        ("training median", "-", med_all, True),
                        (
                            "ours: xgboost",
                            "composition + pressure",
                            p_all,
                            False,
                        ),
                        (
                            "ALIGNN (published predictions)",
                            "structure",
                            p_al,
                            False,
                        ),
                    ],
                ),
                "3. all test entries, training grouped by parent": (
                    test,
                    int(keep.sum()),
                    [
                        ("training median", "-", med_grp, True),
                        (
                            "ours: xgboost",
                            "composition + pressure",
                            p_grp,
                            False,
                        ),
                    ],
                ),
            }
            for case, (mask, n_tr, models) in cases.items():
                idx = np.flatnonzero(mask)
                if len(idx) < 2:
                    print(f"{which}, {case}: {len(idx)} entries, not scored")
                    continue
                yt = yh[idx]
                for model, feat, p, is_base in models:
                    if np.isscalar(p):
                        pred = np.full(len(idx), p)
                    else:
                        pred = p.loc[idx].to_numpy()
                    results.record_bootstrap(
                        yt,
                        pred,
                        dataset=f"jarvis_{which}",
                        target="Tc",
                        split=case[3:],
                        features=feat,
                        model=model,
                        baseline=is_base,
                        n_train=n_tr,
                        unit="K",
                        seed=seed,
                        n_boot=N_BOOT,
                    )
                    boot = ev.bootstrap_metric(
                        yt, pred, n_boot=N_BOOT, seed=seed
                    )
                    hyd_rows.append(
                        {
                            "benchmark": which,
                            "comparison": case,
                            "model": model,
                            "n test": len(idx),
                        }
                        | boot
                    )
            print(
                f"{which}: {len(h)} entries with a composition, "
                f"{int(test.sum())} test; "
                f"{int(leak.sum())} training entries "
                "share a parent with a test entry; "
                f"{int(new_parent.sum())} test entries have a parent in no "
                "training entry"
            )
        hyd = pd.DataFrame(hyd_rows)
        hyd["test MAE (K) [95% CI]"] = [
            ci_text(r) for r in hyd.to_dict("records")
        ]
    shown = ["n test", "test MAE (K) [95% CI]"]
    display(hyd.set_index(["benchmark", "comparison", "model"])[shown])
else:
    print(SKIP)

# %% [markdown]
# What can be compared with ALIGNN: comparison 1 (both models trained on JARVIS's entry split,
# both profit from the parent leak) and comparison 2 (entries whose parent compound no model
# saw; small, so the intervals are wide). What cannot: ALIGNN's error without the leak on all
# test entries (it would need retraining ALIGNN on a parent-grouped split, a GPU job with
# structures the registry does not hold for most JARVIS parents), and any structure-based model
# of ours on these sets (no structures published). Comparison 3 shows the size of the leak for
# our model: the difference between its row in 1 and in 3.
#
# ## 6. Verdicts against the review
#
# The counts are on the later JARVIS export (see the reported table's tolerance reasons). The
# two trends are recorded for the primary split's first seed; every other seed, split and the
# best-CV depth are recorded as alternatives, so the verdict is *robust* only if all agree.

# %%
if PAPER:
    main = runs[(PRIMARY, SEEDS[0])]
    alt_runs = {k: v for k, v in runs.items() if k != (PRIMARY, SEEDS[0])}
    details = {
        "primary": {
            "split": PRIMARY,
            "seed": SEEDS[0],
            "diff_K": {rep: d for rep, d in main["diffs"].items()},
            "r2": main["r2"],
        },
        "depths": {f"{r}/{t}": d for (r, t), d in pick["one-SE"].items()},
        "n_pool": len(pool),
    }
    for claim, key in (
        ("choudhary2022.direct_worse_than_lambda_wlog", "ordering"),
        ("choudhary2022.omega_log_easier_than_lambda_and_tc", "easier"),
    ):
        alts = []
        for (n, s), r in alt_runs.items():
            alts.append({"choice": f"{n}, seed {s}", "value": bool(r[key])})
        record(claim, bool(main[key]), details=details, alternatives=alts)
    record(
        "choudhary2022.n_epc_calculations",
        len(atomgen),
        note="AtomGen structures of the Choudhary & Garrity set",
        basis="data",
    )
    record(
        "choudhary2022.n_stable_tc_ge_5k",
        n_ge5,
        note="dft_3d_Tc_supercon rows with Tc >= 5 K (no stability flag)",
        basis="data",
    )
    v = verdicts()
    v = v[v["milestone"] == "choudhary2022"]
    display(
        v[
            [
                "quantity",
                "reported",
                "ours",
                "verdict",
                "margin",
                "robustness",
            ]
        ]
    )
else:
    print(SKIP)

# %% [markdown]
# ## 7. Summary

# %% tags=["hide-input"]
if PAPER:
    lines = [
        f"* {mode} mode; Alexandria {len(pool)} structures; μ* = {mu_star}; "
        f"seeds {', '.join(map(str, SEEDS))}."
    ]
    for name in (PRIMARY, GROUPED, SHIFTED):
        held = [runs[(name, s)]["ordering"] for s in SEEDS]
        easy = [runs[(name, s)]["easier"] for s in SEEDS]
        d0 = runs[(name, SEEDS[0])]["diffs"]
        lines.append(
            f"* {name}: direct worse than chained (interval above 0 for every representation) "
            f"in {sum(held)} of {len(SEEDS)} seeds; ω_log easiest in {sum(easy)} of "
            f"{len(SEEDS)}; Δ for seed {SEEDS[0]}: "
            + "; ".join(f"{rep} {diff_text(d)} K" for rep, d in d0.items())
            + "."
        )
    for which in ("hydride", "hydride_plus_bulk"):
        sub = hyd[hyd["benchmark"] == which]
        for case in sub["comparison"].unique():
            c = sub[sub["comparison"] == case].set_index("model")
            parts = [f"{m} {ci_text(r)} K" for m, r in c.iterrows()]
            lines.append(
                f"* JARVIS {which}, {case[3:]} ({int(c['n test'].iloc[0])} entries): "
                + "; ".join(parts)
                + "."
            )
    display(Markdown("\n".join(lines)))
else:
    print(SKIP)

# %% [markdown]
# Where the ordering fails, the reasons are visible above: Alexandria's Tc labels are a
# deterministic function of λ and ω_log (no formula error on the true pair), but Tc is
# exponentially sensitive to λ near the weak-coupling threshold, so a small error in predicted λ
# becomes a large relative Tc error; most Tc are below 1 K, where the direct model can predict
# "small". Composition-only features cannot distinguish polymorphs. The JARVIS sets cannot test
# the ordering at all (no λ, ω_log published), and their 30- and 95-entry test sets give
# intervals as wide as the differences between models.
#
# ## Use your own data
#
# With `cif_dir` set, every CIF in the folder is read (unreadable files are skipped and listed
# with the reason), featurised with the three representations (a structure a representation
# cannot handle is skipped and listed too), and its Tc predicted by each route with models
# trained on the Alexandria rows above (ambient-pressure models, depth 6). No Tc is needed.
# The paper-specific sections skip with one line, and nothing is recorded against the review's
# claims or into the results store.
#
# ```bash
# .venv/bin/papermill -k python3 notebooks/09_choudhary2022_prediction_routes.ipynb my_run.ipynb \
#     -p cif_dir my_cifs/ -p mode fast
# ```
#
# | input | content | example |
# |---|---|---|
# | `cif_dir` | a folder of CIF files (`*.cif`, one structure each) | `my_cifs/` |
# | output | per file: formula, Tc direct (K), λ, ω_log (K), Tc chained (K) per representation | |
#
# A folder without any readable CIF stops the run with an error naming the folder.

# %%
if cif_dir is not None:
    user, user_skipped = load_structure_folder(cif_dir)
    ds_user = Dataset(
        frame=user,
        skipped=user_skipped.rename(columns={"file": "item"}),
        label=f"your folder {cif_dir}",
        user=True,
        source=str(cif_dir),
    )
    show_skipped(ds_user, what="structures")
    names = list(user["file"])
    fu, fu_skipped = featurise(
        list(user["structure"]), labels=names, cache=False
    )
    for row in fu_skipped.itertuples(index=False):
        print(f"  skipped {row.label} ({row.representation}): {row.reason}")
    user = user.loc[fu["composition"].index].reset_index(drop=True)
    out = user[["file", "formula"]].copy()
    with ch.timed("your structures"):
        for rep in REPRESENTATIONS:
            p = routes(
                X[rep], Y, fu[rep].to_numpy(float), s=seed, depth=depths(rep)
            )
            out[f"{rep}: Tc direct (K)"] = p[DIRECT].round(2)
            out[f"{rep}: λ"] = p["lambda"].round(3)
            out[f"{rep}: ω_log (K)"] = p["omega_log"].round(1)
            out[f"{rep}: Tc chained (K)"] = p[CHAINED].round(2)
    print(
        f"{len(out)} of your structures predicted; "
        "your own folder: nothing is recorded against the review's claims"
    )
    display(out)
else:
    print("cif_dir is None: no user structures.")

# %% tags=["hide-input"]
_ = ch.glue_claims(
    {
        "v_direct": "choudhary2022.direct_worse_than_lambda_wlog",
        "v_omega": "choudhary2022.omega_log_easier_than_lambda_and_tc",
        "v_n_epc": "choudhary2022.n_epc_calculations",
        "v_n_ge5": "choudhary2022.n_stable_tc_ge_5k",
    }
)
ch.finish().to_frame()
