# %% [markdown]
# # Ishikawa et al. (2019): a genetic-programming $T_c$ predictor and Z±1 ternaries
#
# :::{admonition} This chapter in short
# :class: tip
#
# - **Paper.** Ishikawa et al. {cite}`r24_ishikawa2019`, summarised in §2.2 of the review
#   {cite}`bai2024unveiling`.
# - **What they did.** A materials-informatics loop: a $T_c$ predictor found by **genetic
#   programming** (symbolic regression) on binary superhydrides, candidates from it, crystal
#   structures by a genetic algorithm, first-principles validation, and back into the data.
#   Ternaries come from replacing the heavy atom of a binary by its neighbours **Z-1 and
#   Z+1**; the loop found **KScH12 (122 K, 300 GPa)** and **GaAsH6 (98 K, 180 GPa)**.
# - **Our public stand-in.** The Osaka hydride DB (the registry attributes it, by inference,
#   to this group), symbolic regression with gplearn {cite}`gplearn` on five inputs, and the
#   ternaries already in the DB standing in for the loop's structure search and DFT.
# - **Reported vs ours** ({glue:text}`mode` mode). KScH12: {glue:text}`ksch12`. GaAsH6:
#   {glue:text}`gaash6`. Our numbers for them are the symbolic regression's predictions, not
#   DFT: information only. Z±1 rule: LaH10 to BaCeH20 {glue:text}`z_la`; H3S to H6PCl
#   {glue:text}`z_s`. The GP against the training mean: {glue:text}`gp_vs_mean`. The loop:
#   {glue:text}`loop_result`.
# - **Run time.** {glue:text}`run_time`.
# :::
#
# The predictor of the paper uses "five quantities", of which the review names four:
# hydrogen concentration, space group, mass per atom and $\mu^*$. Our fifth is **pressure**.
# The review gives no error metric, so the model's errors are shown without a reported value.

# %% tags=["parameters"]
mode = "fast"  # "fast" (CI) or "full" (the real reproduction)
# CSV (see "Use your own data"); None: the Osaka hydride DB
hydride_csv = None
seed = 2019  # seeds the genetic programming, the folds and the bootstrap
# GP runs with other seeds (robustness); None: 2 in fast mode,
# 5 in full
n_seeds = None

# %% tags=["hide-input"]
import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from gplearn.genetic import SymbolicRegressor
from IPython.display import Markdown, display
from pymatgen.core import Composition

from reviewlib import evaluation as ev
from reviewlib import hydrides as HY
from reviewlib.book import chapter, results
from reviewlib.book.claims import record, verdicts
from reviewlib.data.user import load_hydride_table, show_skipped
from reviewlib.models import make_model
from reviewlib.plots import (
    PARITY_STYLE,
    identity_line,
    metrics_label,
    parity_axes,
)

warnings.filterwarnings("ignore", message="No Pauling electronegativity")
ch = chapter.start(
    "05_ishikawa2019_gp_predictor",
    mode=mode,
    fast={
        "population": 300,
        "generations": 6,
        "n_seeds": 2,
        "rounds": 2,
        "n_boot": 500,
    },
    full={
        "population": 800,
        "generations": 12,
        "n_seeds": 5,
        "rounds": 4,
        "n_boot": 2000,
    },
    overrides={"n_seeds": n_seeds},
    # your own table is never recorded against the review
    record=hydride_csv is None,
)
SEEDS = list(range(seed, seed + ch["n_seeds"]))
PARSIMONY, PARSIMONY_ALT = 0.0005, 0.002
N_SPLITS = 5
MIN_COMPOUNDS = 2 * N_SPLITS  # fewer binary compounds: the GP is not fitted
NAMES = ["h", "sg", "m", "mu", "P"]


def gp_params(parsimony=PARSIMONY, small=False):
    """Settings of the GP; ``small``: the loop's GP (population 300, 6 generations)."""
    return {
        "population_size": 300 if small else ch["population"],
        "generations": 6 if small else ch["generations"],
        "tournament_size": 20,
        "function_set": ("add", "sub", "mul", "div", "sqrt", "log"),
        "parsimony_coefficient": parsimony,
        "p_crossover": 0.7,
        "p_subtree_mutation": 0.1,
        "p_hoist_mutation": 0.05,
        "p_point_mutation": 0.1,
        "max_samples": 0.9,
        "metric": "rmse",
        "feature_names": NAMES,
        "n_jobs": 1,
    }


def gp_factory(parsimony=PARSIMONY, small=False):
    return lambda s: SymbolicRegressor(
        **gp_params(parsimony, small), random_state=s
    )


def make_rf(s):
    return make_model("rfr", seed=s, n_estimators=200, n_jobs=1)


def inputs(frame):
    """The five rescaled GP inputs of a descriptor frame (section 1)."""
    columns = [
        frame["h_fraction"],
        frame["space_group"].astype(float) / 230,
        frame["mass_per_atom"] / 10,
        frame["mu_star"],
        frame["pressure_GPa"] / 100,
    ]
    return np.column_stack(columns).astype(float)


def noble(formula):
    """The noble gases in a formula ('' when none)."""
    els = [
        el.symbol for el in Composition(formula).elements if el.is_noble_gas
    ]
    return ", ".join(els)


def paper_only(what):
    """One line instead of a cell that belongs to the review's data set."""
    print(
        f"{what}: specific to the review's data set; skipped for your table."
    )


# %% [markdown]
# ## 1. Data and the five inputs
#
# `load_hydride_table` returns the Osaka DB or your table; rows without a space group or
# $\mu^*$ cannot be inputs and are listed with the reason, as are rows that cannot be read.
# `deduplicate(mu_star="keep")` keeps one row per compound, space group, pressure **and
# $\mu^*$** ($\mu^*$ is an input here), averaged over source papers. The inputs are rescaled
# so that gplearn's constants (-1 to 1) have the right size:
#
# $$
# h = \frac{N_\mathrm{H}}{N_\text{atoms}},\quad s = \frac{\text{space group}}{230},\quad
# m = \frac{M/N_\text{atoms}}{10\ \text{amu}},\quad \mu = \mu^*,\quad
# P' = \frac{P}{100\ \text{GPa}},\qquad t = \frac{T_c}{100\ \text{K}} .
# $$ (eq-ishikawa-inputs)
#
# The predictor is trained on **binary** hydrides only, as in the paper; the ternaries in the
# data are kept for the loop of section 4.

# %% tags=["hide-input"]
with ch.timed("load"):
    ds = load_hydride_table(
        path=hydride_csv, need=("space_group", "mu_star")
    )
show_skipped(ds, what="hydride rows with space group and mu*")
DATASET = ds.label if ds.user else "osaka_hydrides"
data = HY.deduplicate(frame=ds.frame, mu_star="keep")
desc = HY.hydride_descriptors(
    formulas=data["formula"],
    pressures_GPa=data["pressure_GPa"],
    space_groups=data["space_group"],
    mu_stars=data["mu_star"],
)
desc["tc_K"] = data["tc_K"].to_numpy()
binaries = desc[desc["n_elements"] == 2].reset_index(drop=True)
ternaries_db = desc[desc["n_elements"] == 3].reset_index(drop=True)
X, y = inputs(binaries), binaries["tc_K"].to_numpy() / 100
groups = binaries["compound"].to_numpy()
n_compounds = len(set(groups))
counts = {
    "binary rows": len(binaries),
    "binary compounds (groups)": n_compounds,
    "ternary rows (for the loop, section 4)": len(ternaries_db),
}
display(pd.Series(counts).to_frame(ds.label))
tiny = HY.small_groups(groups, minimum=2)
print(f"{len(tiny)} of {n_compounds} binary compounds have a single row")
have_model = n_compounds >= MIN_COMPOUNDS
if not have_model:
    print(
        f"only {n_compounds} binary compounds (fewer than {MIN_COMPOUNDS}): the GP is not "
        "fitted or evaluated; sections 2-4 are skipped."
    )

# %% [markdown]
# ## 2. Genetic-programming symbolic regression, grouped by compound
#
# gplearn `SymbolicRegressor` (functions $+, -, \times, \div, \sqrt{\ }, \log$; population and
# generations set by the mode) predicts $t$ of {eq}`eq-ishikawa-inputs`. Five-fold
# `GroupKFold` **by compound** (no compound in both training and test), beside the training
# mean and median and a random forest on the same inputs as a flexible reference. The
# parsimony coefficient decides how long the formula may grow. Two settings are equally
# defensible: 0.0005, chosen on the in-sample fit to let the formula use more than one input
# as Ishikawa's formulas do, and 0.002, which gives a shorter formula; both are evaluated,
# and the second is carried along as an alternative.


# %%
def rmse_gain(y_true, y_model, y_baseline):
    """RMSE(baseline) - RMSE(model) on the same rows (K), its paired
    bootstrap 95 % interval and the verdict (ev.paired_gain).
    """
    return ev.paired_gain(
        y_true,
        y_model,
        y_baseline,
        metric="rmse",
        seed=seed,
        n_boot=ch["n_boot"],
    )


if have_model:
    folds = dict(
        split="grouped by compound",
        groups=groups,
        seed=seed,
        n_splits=N_SPLITS,
        n_jobs=2,
    )

    def grouped_cv(factory):
        """Out-of-fold predictions of the model and of the two baselines."""
        return ev.out_of_fold(factory, X, y, **folds).all_predictions()

    with ch.timed("grouped CV"):
        oof = grouped_cv(gp_factory())
        oof_alt = grouped_cv(gp_factory(PARSIMONY_ALT))
        oof_rf = grouped_cv(make_rf)
    preds = {
        f"GP, parsimony {PARSIMONY:g}": 100 * oof["model"],
        f"GP, parsimony {PARSIMONY_ALT:g}": 100 * oof_alt["model"],
        "random forest (reference)": 100 * oof_rf["model"],
        "training mean": 100 * oof["training mean"],
        "training median": 100 * oof["training median"],
    }
    cv = ev.metrics_table(
        y_true=100 * y,
        predictions=preds,
        intervals=("rmse",),
        seed=seed,
        unit="K",
    )
    display(
        Markdown(
            f"**Grouped 5-fold CV by compound, {len(y)} binary rows (K; "
            "RMSE with its 95 % bootstrap interval)**"
        )
    )
    display(cv.round(1))
    for name, pred in preds.items():
        results.record_bootstrap(
            100 * y,
            pred,
            dataset=DATASET,
            target="Tc of binary hydrides",
            split="grouped by compound, 5-fold",
            features="h, space group, mass per atom, mu*, pressure",
            model=name,
            baseline=name.startswith("training"),
            n_train=round(len(y) * (N_SPLITS - 1) / N_SPLITS),
            unit="K",
            seed=seed,
            n_boot=ch["n_boot"],
        )
    gains = {
        name: rmse_gain(100 * y, preds[name], preds["training mean"])
        for name in list(preds)[:3]
    }
    display(
        pd.DataFrame(gains)
        .T.round(1)
        .rename_axis("against the training mean")
    )
    main_gain = gains[f"GP, parsimony {PARSIMONY:g}"]
    GP_BEATS = main_gain["verdict"] == "beats"
    rmse_gp = cv.loc[f"GP, parsimony {PARSIMONY:g}", "rmse"]
    rmse_mean = cv.loc["training mean", "rmse"]
    gain, low, high = (main_gain[k] for k in ("gain", "low", "high"))
    gp_text = (
        f"grouped-CV RMSE {rmse_gp:.1f} K against {rmse_mean:.1f} K; gain "
        f"{gain:.1f} K (95 % {low:.1f} to {high:.1f} K): "
        f"{main_gain['verdict']}"
    )
    print(gp_text)
else:
    GP_BEATS, gp_text = False, "not evaluated (too few compounds)"
ch.glue("gp_vs_mean", gp_text)

# %% [markdown]
# The GP refitted on all binary rows, once per seed and once with the alternative parsimony;
# the formula of the main run (inputs as in {eq}`eq-ishikawa-inputs`, output $t$):

# %%
if have_model:
    with ch.timed("final fits"):
        fits = {("main", seed): gp_factory()(seed).fit(X, y)}
        fits |= {
            ("seed", s): gp_factory()(s).fit(X, y)
            for s in SEEDS
            if s != seed
        }
        fits[("parsimony", PARSIMONY_ALT)] = gp_factory(PARSIMONY_ALT)(
            seed
        ).fit(X, y)
    gp = fits[("main", seed)]
    formula_text = str(gp._program)
    alt_text = str(fits[("parsimony", PARSIMONY_ALT)]._program)
    display(Markdown(f"main: `t = {formula_text}`"))
    display(Markdown(f"parsimony {PARSIMONY_ALT:g}: `t = {alt_text}`"))
    in_sample = {"GP, in sample": 100 * gp.predict(X)}
    fit_table = ev.metrics_table(
        y_true=100 * y,
        predictions=in_sample,
        intervals=("rmse",),
        seed=seed,
        unit="K",
    )
    display(
        Markdown(
            "**The GP formula on its own training data (in sample; K; RMSE "
            "with its 95 % bootstrap interval)**"
        )
    )
    display(fit_table.round(1))

# %% tags=["hide-input"] mystnb={"figure": {"name": "fig-ishikawa-parity", "caption": "Left: out-of-fold $T_c$ predictions (K, grouped by compound) of the GP and of the random forest against the data, with the identity line. Right: GP residuals (K) against pressure (GPa)."}}
if have_model:
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    ax, tc = axes[0], 100 * y
    models = {
        "GP": 100 * oof["model"],
        "random forest": 100 * oof_rf["model"],
    }
    for name, pred in models.items():
        text = metrics_label(y_true=tc, y_pred=pred, label=name)
        ax.scatter(tc, pred, label=text, **PARITY_STYLE["scatter"])
    everything = np.concatenate([tc, *models.values()])
    lo, hi = float(everything.min()), float(everything.max())
    lim = identity_line(ax, lo=lo, hi=hi, label="y = x")
    parity_axes(ax, lim=lim, quantity="$T_c$", unit="K")
    ax.legend(**PARITY_STYLE["legend"])
    axes[1].scatter(
        binaries["pressure_GPa"], 100 * (y - oof["model"]), s=10, alpha=0.6
    )
    axes[1].axhline(0, color="k", lw=1)
    axes[1].set(
        xlabel="pressure (GPa)", ylabel="Tc data - GP prediction (K)"
    )
    plt.show()

# %% [markdown]
# ## 3. Z±1 substitution: hypothetical ternaries from every binary
#
# `reviewlib.hydrides.z_neighbour_substitution` replaces the heavy atom X (atomic number Z)
# half by Z-1 and half by Z+1, doubling the formula when needed:
#
# $$
# \mathrm{X}_{2a}\mathrm{H}_{2b} \;\to\; (\mathrm{Z{-}1})_a\,(\mathrm{Z{+}1})_a\,\mathrm{H}_{2b} .
# $$ (eq-ishikawa-z)
#
# First the review's two examples, a check of our code against the paper's rule:

# %%
lah10 = HY.ternary_formula(formula="LaH10")
h3s = HY.ternary_formula(formula="H3S")
ok_la = Composition(lah10) == Composition("BaCeH20")
ok_s = Composition(h3s) == Composition("H6PCl")
pd_possible = Composition(h3s) == Composition("H6PdCl")
examples = {
    "parent": ["LaH10", "H3S"],
    "Z±1 ternary (ours)": [lah10, h3s],
    "review": ["BaCeH20", "H6PdCl (read as H6PCl)"],
    "follows": [ok_la, ok_s],
}
display(pd.DataFrame(examples))
print(
    f"'H6PdCl' {'can' if pd_possible else 'cannot'} come from H3S: "
    "Pd is Z = 46, S is Z = 16 (neighbours P 15, Cl 17); "
    "the review's formula is a misprint of H6PCl."
)
_ = record(
    "ishikawa2019.z_substitution_lah10_to_bace_h20",
    bool(ok_la),
    note=f"ours: {lah10}",
    mode=mode,
)
_ = record(
    "ishikawa2019.z_substitution_h3s_to_h6pcl",
    bool(ok_s),
    note=f"ours: {h3s}",
    mode=mode,
)
ch.glue("z_la", "follows" if ok_la else "does not follow")
ch.glue("z_s", "follows" if ok_s else "does not follow")

# %% [markdown]
# Applied to every binary row, with all inputs copied from the parent except the mass per
# atom, and ranked by the GP's predicted $T_c$ (best row per ternary compound). The rule is
# mechanical: Li hydrides give He-Be ternaries and noble-gas ternaries are flagged, not
# dropped. A ranking is only shown when the GP beats the training mean (section 2).

# %%
if not have_model:
    print("no GP: no ranking")
elif not GP_BEATS:
    print(f"The GP does not beat the training mean ({gp_text}).")
    print("Its ranking is not shown.")
else:
    cands = HY.substitute_binaries(descriptors=binaries)
    cands["pred_tc_K"] = 100 * gp.predict(inputs(cands))
    done = binaries["formula"].isin([f for f, _ in cands.attrs["skipped"]])
    parent_pred = 100 * gp.predict(inputs(binaries[~done]))
    uses_mass = re.search(r"\bm\b", formula_text) is not None
    shift = float(
        np.mean(np.abs(cands["pred_tc_K"].to_numpy() - parent_pred))
    )
    uses = "uses" if uses_mass else "does not use"
    print(
        f"The GP formula {uses} the mass per atom m: "
        "Z±1 moves the predictions"
    )
    print(f"by {shift:.2f} K on average (mean |ternary - parent|).")
    keep = [
        "formula",
        "parent",
        "pressure_GPa",
        "space_group",
        "mu_star",
        "pred_tc_K",
    ]
    ranking = cands.sort_values("pred_tc_K", ascending=False)
    ranking = ranking.drop_duplicates("compound").reset_index(drop=True)[
        keep
    ]
    ranking.index = ranking.index + 1
    ranking["noble gas"] = ranking["formula"].map(noble)
    n_noble = int((ranking["noble gas"] != "").sum())
    print(f"{len(cands)} ternary rows from {len(binaries)} binary rows")
    print(f"{len(ranking)} distinct ternaries")
    print(
        f"{n_noble} of them hold a noble gas "
        "(flagged: not a plausible superhydride)"
    )
    shown = ranking.head(15).copy()
    shown["mu_star"] = shown["mu_star"].map("{:.2f}".format)
    display(shown.round(1))

# %% [markdown]
# ### KScH12 and GaAsH6
#
# KScH12 and GaAsH6 are the Z±1 ternaries of CaH6 and GeH3 (twice). The paper's numbers are
# **first-principles** $T_c$ of structures found by a genetic algorithm; ours can only be the
# GP's prediction from the parent's inputs (space group and $\mu^*$ of the parent row closest
# in pressure, masses of the ternary, the paper's pressure). That is a different kind of
# number, so it is recorded as an ML surrogate and shown as **information, never as the
# verdict**. The DB's GeH3 rows have no $\mu^*$ (they are not training rows), so GaAsH6 gets
# $\mu^*$ = 0.10. The same prediction from the other seeds and from the alternative parsimony
# (same grouped-CV error) shows how much the number depends on such choices.


# %%
def named(target, parent, pressure, model):
    """GP prediction (K) for a named ternary at the paper's pressure, and its
    inputs.
    """
    if Composition(HY.ternary_formula(formula=parent)) != Composition(
        target
    ):
        raise ValueError(f"{target} is not the Z±1 ternary of {parent}")
    key = HY.compound_groups(formulas=[parent])[0]
    rows = population[population["compound"] == key]
    rows = rows[rows["space_group"].notna()]
    if rows.empty:
        return None
    row = rows.iloc[int(np.argmin(np.abs(rows["pressure_GPa"] - pressure)))]
    mu = row["mu_star"] if pd.notna(row["mu_star"]) else 0.10
    d = HY.hydride_descriptors(
        formulas=[target],
        pressures_GPa=[pressure],
        space_groups=[row["space_group"]],
        mu_stars=[mu],
    )
    return {
        "ternary": target,
        "parent": parent,
        "parent row P (GPa)": float(row["pressure_GPa"]),
        "space group": int(row["space_group"]),
        "mu*": f"{mu:.2f}"
        + ("" if pd.notna(row["mu_star"]) else " (parent has none)"),
        "paper P (GPa)": pressure,
        "GP prediction (K)": float(100 * model.predict(inputs(d))[0]),
    }


population = HY.deduplicate(frame=ds.population, mu_star="keep")
PAPER = {"KScH12": ("CaH6", 300.0, 122), "GaAsH6": ("GeH3", 180.0, 98)}
if ds.user:
    paper_only("KScH12 and GaAsH6 from CaH6 and GeH3")
elif not have_model:
    print("no GP: KScH12 and GaAsH6 are not predicted")
else:
    rows = []
    for target, (parent, pressure, paper_tc) in PAPER.items():
        main = named(target, parent, pressure, gp)
        if main is None:
            print(
                f"{target}: no {parent} row with a space group in the data; "
                "skipped"
            )
            continue
        alts = []
        for (kind, key), model in fits.items():
            if kind != "main":
                label = (
                    f"seed {key}" if kind == "seed" else f"parsimony {key:g}"
                )
                value = named(target, parent, pressure, model)[
                    "GP prediction (K)"
                ]
                alts.append({"choice": label, "value": value})
        values = [main["GP prediction (K)"]] + [a["value"] for a in alts]
        spread = f"{min(values):.0f}-{max(values):.0f}"
        rows.append(
            {
                **main,
                "range over alternatives (K)": spread,
                "paper Tc (K, DFT)": paper_tc,
            }
        )
        _ = record(
            f"ishikawa2019.{target.lower()}_tc",
            main["GP prediction (K)"],
            basis="ml-surrogate",
            note=(
                f"{ds.label}: GP symbolic regression from {parent} "
                "(Z±1, masses "
                f"changed) at {pressure:.0f} GPa, mu* {main['mu*']}; not DFT"
            ),
            alternatives=alts,
            mode=mode,
        )
    display(pd.DataFrame(rows).set_index("ternary").round(1))

# %% [markdown]
# ## 4. The informatics loop with the data that exist
#
# Ishikawa's loop is predict → pick candidates → **GA structure search and first-principles
# $T_c$** → add to the data → retrain. The DFT step cannot be faked. With existing data we run
# the loop over the **ternary hydrides already in the DB** (their structures and $T_c$ were
# computed by their authors): each round a small GP (population 300, 6 generations), trained
# on the binaries plus what has been "validated" so far, ranks the remaining ternary
# compounds; the top two are looked up in the DB (all their rows, standing in for GA + DFT)
# and added. Each round's error on the remaining ternaries is set beside the training mean's.

# %%
if not have_model:
    print("no GP: no loop")
elif ternaries_db["compound"].nunique() < 4:
    n_t = ternaries_db["compound"].nunique()
    print(
        f"only {n_t} ternary compounds in the data (fewer than 4): no loop"
    )
else:
    pool = ternaries_db.copy()
    train_X, train_y = X.copy(), y.copy()
    rounds = []
    with ch.timed("loop"):
        for k in range(ch["rounds"] + 1):
            model = gp_factory(small=True)(seed + k).fit(train_X, train_y)
            pool = pool.assign(pred=100 * model.predict(inputs(pool)))
            mean_pred = np.full(len(pool), 100 * train_y.mean())
            g = rmse_gain(pool["tc_K"], pool["pred"], mean_pred)
            pairs = (
                ("GP (loop)", pool["pred"]),
                ("training mean", mean_pred),
            )
            for name, pred in pairs:
                results.record_bootstrap(
                    pool["tc_K"],
                    pred,
                    dataset=DATASET,
                    target="Tc of the remaining ternaries",
                    split=f"informatics loop, round {k}",
                    features="h, space group, mass per atom, mu*, pressure",
                    model=name,
                    baseline=name == "training mean",
                    n_train=len(train_y),
                    unit="K",
                    seed=seed,
                    n_boot=ch["n_boot"],
                )
            best_c = (
                pool.groupby("compound")["pred"]
                .max()
                .sort_values(ascending=False)
            )
            picked = list(best_c.index[:2])
            chosen = pool[pool["compound"].isin(picked)]
            first = chosen.groupby("compound")["formula"].first()
            top_tc = chosen.groupby("compound")["tc_K"].max()
            truth = pool["tc_K"].to_numpy()
            rounds.append(
                {
                    "round": k,
                    "training rows": len(train_y),
                    "ternaries left": pool["compound"].nunique(),
                    "GP RMSE (K)": float(
                        np.sqrt(np.mean((pool["pred"] - truth) ** 2))
                    ),
                    "mean RMSE (K)": float(
                        np.sqrt(np.mean((mean_pred - truth) ** 2))
                    ),
                    "gain (K)": round(g["gain"], 1),
                    "gain 95 % (K)": f"{g['low']:.0f} to {g['high']:.0f}",
                    "GP vs mean": g["verdict"],
                    "picked": ", ".join(first[c] for c in picked),
                    "DB max Tc (K)": ", ".join(
                        map("{:.0f}".format, top_tc[picked])
                    ),
                }
            )
            if k == ch["rounds"]:
                break
            train_X = np.vstack([train_X, inputs(chosen)])
            train_y = np.concatenate(
                [train_y, chosen["tc_K"].to_numpy() / 100]
            )
            pool = pool[~pool["compound"].isin(picked)]
    loop = pd.DataFrame(rounds).set_index("round")
    display(loop.round(1))
    worse = [
        k
        for k, r in loop.iterrows()
        if r["GP RMSE (K)"] > r["mean RMSE (K)"]
    ]
    verdict_counts = loop["GP vs mean"].value_counts().to_dict()
    loop_text = (
        "the GP's error on the remaining ternaries is above "
        "the training mean's in "
        f"rounds {', '.join(map(str, worse)) or 'none'} "
        f"of 0-{ch['rounds']}; "
        f"paired intervals: {verdict_counts}"
    )
    print(loop_text)
    ch.glue("loop_result", loop_text)

# %% [markdown]
# The loop is where the paper expects the GP to pay off: a predictor that is weak on its own
# should improve as validated candidates come back. Whether it does here is in the last two
# columns of the gain: a round counts as a gain only when its paired interval lies above 0,
# and the rounds in which the GP does worse than simply predicting the training mean for
# every remaining ternary are listed above (and in the summary box). The picks can still be
# high-$T_c$ ternaries when the RMSE is poor: a ranking and an error measure answer different
# questions, and the loop needs the first while the RMSE judges the second.

# %% [markdown]
# ## 5. Reported beside reproduced

# %%
if ds.user:
    print(
        "your own table: nothing is recorded; "
        "verdicts belong to the registry run"
    )
else:
    cols_v = [
        "claim_id",
        "kind",
        "reported",
        "ours",
        "info_value",
        "verdict",
    ]
    table = verdicts().query("milestone == 'ishikawa2019'")
    display(table[cols_v].set_index("claim_id"))

# %% tags=["hide-input"]
if "loop_text" not in dir():
    ch.glue("loop_result", "not run (no GP or too few ternaries)")
_ = ch.glue_claims(
    {"ksch12": "ishikawa2019.ksch12_tc", "gaash6": "ishikawa2019.gaash6_tc"}
)
ch.finish().to_frame()

# %% [markdown]
# ## Use your own data
#
# Run the chapter on your own table with papermill, from the repository root in the project's
# environment:
#
# ```bash
# .venv/bin/papermill -k python3 notebooks/05_ishikawa2019_gp_predictor.ipynb my_run.ipynb \
#     -p hydride_csv my_hydrides.csv -p mode full
# ```
#
# **File format.** A CSV file with a header line and one row per calculation; other columns
# are ignored:
#
# | column | content | example |
# |---|---|---|
# | `formula` | chemical formula of the hydride | `LaH10` |
# | `pressure_GPa` | pressure in GPa, 0-600 | `170` |
# | `tc_K` | critical temperature in K, 0-400 | `250` |
# | `space_group` | space-group number 1-230 or Hermann-Mauguin symbol | `225` or `Fm-3m` |
# | `mu_star` | Coulomb pseudopotential used for $T_c$, 0-0.3 | `0.10` |
#
# Binaries train the GP; ternaries feed the loop of section 4. Skipped and listed with the
# reason: a formula that does not parse, an unknown element, no hydrogen, a value that is
# missing, not a number or outside its range, and a blank space group or $\mu^*$. A missing
# file or column (including `space_group` or `mu_star`) stops the run with an error naming the
# file and the column. The GP needs at least 10 binary compounds and the loop 4 ternary
# compounds; below that the part is skipped with one line, and the ranking is shown only when
# the GP beats the training mean. The KScH12/GaAsH6 comparison belongs to the review's data
# and is skipped. Nothing is recorded against the review's claims for your own data.
