# %% [markdown]
# # Zhang et al. (2022): SOAP structural descriptors versus elemental statistics
#
# :::{admonition} This chapter in short
# :class: tip
#
# - **Paper.** Zhang et al. {cite}`r30_zhang2022`, §2.5 of the review {cite}`bai2024unveiling`.
# - **What they did.** Random forest (RFR), xgboost (XGBR) and support vector regression (SVR) of
#   $T_c$ on SOAP structural descriptors {cite}`r47_bartok2013` of 5,713 superconductors (ICSD
#   structures, SuperCon $T_c$), against the same models on elemental-property statistics only.
# - **Our public stand-in.** 3DSC_MP {cite}`sommer2023_3dsc`: 5,773 Materials Project structures
#   matched to SuperCon; SOAP from dscribe {cite}`himanen2020` (13 element channels, and resolved
#   per element), Magpie statistics {cite}`ward2016`; random and grouped cross-validation, five
#   seeds, paired differences with intervals.
# - **Reported vs ours** ({glue:text}`mode` mode, random split). RFR $R^2$ on SOAP:
#   {glue:text}`rfr_r2`. XGBR RMSE on SOAP, judged scale-free: {glue:text}`xgbr_rmse`. Best
#   $R^2$ without structure: {glue:text}`elemental_r2`. Best RMSE without structure, scale-free:
#   {glue:text}`elemental_rmse`. (Scale-free: our RMSE over the test-fold spread of $T_c$,
#   times the 28 K spread Zhang's own numbers imply; in K: {glue:text}`rmse_abs`.) Structure
#   improves the best model: {glue:text}`structure_improves`.
# - **Run time.** {glue:text}`run_time`.
# :::
#
# The review reports that RFR has the best **$R^2 = 0.929$** and XGBR the best
# **RMSE = 7.54 K** (2,089 cuprates, 762 iron-based, 2,862 mainly conventional compounds); with
# elemental-property statistics only the best model reaches **$R^2$ 0.895** and **RMSE 8.94 K**.
# It does not give SVR's scores, which model gives the structure-free values, or the validation
# protocol. On one test set $R^2$ and RMSE rank models identically
# ($R^2 = 1 - \mathrm{RMSE}^2/\sigma^2$ with the same $\sigma$), so "RFR has the best $R^2$" and
# "XGBR has the best RMSE" cannot both hold there; they can only with metrics averaged over
# folds, in a near-tie.
#
# ICSD is licensed, so we use the open analogue 3DSC_MP. It is a different dataset (different
# structures, family mix and duplicates, and a narrower $T_c$ spread), so agreement is not
# expected to the last digit, and an RMSE, which scales with the spread of $T_c$, is compared
# scale-free (section 5). Features: occupancy-weighted, structure-averaged SOAP against Magpie
# statistics from matminer {cite}`ward2018`; models from scikit-learn {cite}`r50_pedregosa2011`
# and xgboost {cite}`chen2016`.
#
# Because the protocol is not stated, we put the presumed one, a **random** split, beside
# **grouped** splits: by chemical system and by Materials Project **parent** structure. 3DSC_MP derives many entries from one parent by changing its occupancies
# (one parent serves up to 189 rows), so a random split puts near-copies of test structures in
# training.

# %% tags=["parameters"]
# "fast" (CI, a few minutes at most) or "full" (the real reproduction)
mode = "fast"
cif_dir = (
    None  # your folder of CIF files; None: the registry 3DSC_MP structures
)
# CSV with columns file, tc_K for the CIFs in cif_dir (needed to train)
tc_csv = None
seed = 2022  # seeds the subsample, the folds and every model
n_structures = (
    None  # structures used; None: 600 in fast mode, all in full mode
)
# keep only structures with Tc above this value in K; None keeps all
tc_min_K = None

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from reviewlib import evaluation as ev
from reviewlib import models as M
from reviewlib.book import chapter, results
from reviewlib.book.claims import record, reported, verdicts
from reviewlib.data.user import load_structures, show_skipped
from reviewlib.features.composition import magpie_features
from reviewlib.features.soap import soap_feature_names, soap_features
from reviewlib.plots import parity_plot

ch = chapter.start(
    "03_zhang2022_soap_models",
    mode=mode,
    fast={
        "n_structures": 600,
        "rfr_trees": 100,
        "xgbr_rounds": 150,
        "xgbr_rate": 0.1,
        "n_jobs": 1,
    },
    full={
        "n_structures": None,
        "rfr_trees": 200,
        "xgbr_rounds": 300,
        "xgbr_rate": 0.07,
        "n_jobs": 2,
    },
    overrides={"n_structures": n_structures},
    record=cif_dir
    is None,  # your own folder is never recorded against the review
)
SOAP = {
    "r_cut": 5.0,
    "n_max": 3,
    "l_max": 2,
}  # 13 channels -> 2,340 features
PARAMS = {
    "rfr": {"n_estimators": ch["rfr_trees"], "max_features": "sqrt"},
    "xgbr": {
        "n_estimators": ch["xgbr_rounds"],
        "learning_rate": ch["xgbr_rate"],
        "colsample_bytree": 0.2,
        "max_bin": 64,
    },
    "svr": {},
}
# other settings for the one-standard-error rule (section 5), beside the defaults above
GRID = {
    "rfr": {
        "max_features=log2": {"max_features": "log2"},
        "min_samples_leaf=2": {"min_samples_leaf": 2},
    },
    "xgbr": {
        "max_depth=4": {"max_depth": 4},
        "max_depth=8": {"max_depth": 8},
    },
    "svr": {
        "C=3": {"svr__regressor__C": 3.0},
        "C=30": {"svr__regressor__C": 30.0},
    },
}
N_SPLITS = 5
N_BOOT = 2000  # resamples of the paired cluster bootstrap
SEEDS = [
    seed + k for k in range(1, 5)
]  # with `seed`: every claim under 5 seeds

# %% [markdown]
# ## 1. Data: 3DSC_MP (or your own folder)
#
# With `cif_dir` set, the structures come from your folder and $T_c$ from `tc_csv`; files that
# cannot be read are skipped and listed with the reason. Otherwise the registry's 3DSC_MP is used;
# in fast mode a seeded subsample of 600 structures. Note that 3DSC_MP keeps SuperCon's
# non-superconductors: 1,778 of its 5,773 structures have $T_c = 0$, while Zhang et al. describe
# 5,713 *superconductors*. We keep them (set `tc_min_K = 0` to train on superconductors only,
# 3,995 structures), so our target distribution differs from theirs.

# %% tags=["hide-input"]
with ch.timed("load"):
    ds = load_structures(
        cif_dir=cif_dir,
        tc_csv=tc_csv,
        n=ch["n_structures"],
        seed=seed,
        n_jobs=ch["n_jobs"],
    )
show_skipped(ds, what="structures")

# %%
if ds.population is not None:
    counts = pd.DataFrame(
        {
            "Zhang et al. (ICSD)": {
                "cuprate": 2089,
                "iron-based": 762,
                "other": 2862,
            },
            "3DSC_MP (ours)": ds.population["family"].value_counts(),
        }
    )
    counts.loc["total"] = counts.sum()
    display(counts.astype(int))
frame, dataset = ds.frame, ds.label
DATASET = (
    ds.label if ds.user else "3dsc_mp"
)  # the name rows carry in the results store
if tc_min_K is not None:
    frame = frame[frame["tc_K"] > tc_min_K]
    dataset += f", Tc > {tc_min_K:g} K: {len(frame)} structures"
    DATASET += f", Tc > {tc_min_K:g} K"
frame = frame.reset_index(drop=True)
y = frame["tc_K"].to_numpy(dtype=float)
t_load = ch.timings["load"]
print(f"{dataset}: Tc {y.min():.1f}-{y.max():.1f} K, mean {y.mean():.1f} K")
print(f"Tc standard deviation {y.std():.1f} K; load {t_load:.0f} s")

# %% [markdown]
# ## 2. Descriptors
#
# *SOAP*: the neighbour density of each element channel $Z$ around a site, within
# $r_\text{cut} = 5$ Å, is expanded in radial functions $g_n$ and spherical harmonics $Y_{lm}$
# with coefficients $c^{Z}_{nlm}$; the rotation-invariant power spectrum is
#
# $$
# p^{Z_1 Z_2}_{n n' l} = \pi \sqrt{\frac{8}{2l+1}} \sum_{m=-l}^{l} \left(c^{Z_1}_{nlm}\right)^{*} c^{Z_2}_{n'lm},
# $$ (eq-soap)
#
# averaged over all sites of the structure (disordered sites contribute occupancy-weighted
# densities). With 13 element channels, $n_\text{max} = 3$ and $l_\text{max} = 2$,
# {eq}`eq-soap` has 2,340 components, fewer after dropping constant columns. The 13 channels
# merge chemically different elements (Fe with Mn, Co and Ni; H with the alkali metals), which
# may hide exactly the structure signal Zhang et al. report. The **species-resolved** SOAP keeps
# one channel per element and sums the partner channel (the "$\mu_1\nu_1$" compression of
# Darby et al. {cite}`darby2022_soap_compression`),
#
# $$
# q^{Z}_{n n' l} = \sum_{Z'} p^{Z Z'}_{n n' l},
# $$ (eq-soap-species)
#
# the power spectrum between the density of element $Z$ and the total density: 82 elements x
# 27 = 2,214 components before dropping constant ones (the full element-pair spectrum would have
# 91,143). *Elemental only*: the 132 Magpie statistics of the structure's composition. *SOAP
# (per element) + Magpie*: both side by side, to ask whether structure adds to composition.
# All are cached on disk.

# %%
structures = list(frame["structure"])
with ch.timed("soap"):
    X_soap = soap_features(structures, **SOAP, n_jobs=2, progress=False)
    soap_names = soap_feature_names(n_max=SOAP["n_max"], l_max=SOAP["l_max"])
    X_soap = pd.DataFrame(X_soap, columns=soap_names).astype(float)
    X_soap = X_soap.loc[
        :, X_soap.std() > 0
    ]  # constant columns carry no information
with ch.timed("soap per element"):
    per_element = {"species_groups": None, "compression": "mu1nu1"}
    X_soapz = soap_features(
        structures, **SOAP, **per_element, n_jobs=2, progress=False
    )
    X_soapz = pd.DataFrame(X_soapz).astype(float)
    X_soapz = X_soapz.loc[:, X_soapz.std() > 0].add_prefix("soapz_")
with ch.timed("magpie"):
    X_el = magpie_features(
        [s.composition for s in structures], progress=False
    )
FEATURES = {
    "SOAP": X_soap,
    "SOAP per element": X_soapz,
    "elemental": X_el,
    "SOAP per element + elemental": pd.concat([X_soapz, X_el], axis=1),
}
sizes = {k: v.shape[1] for k, v in FEATURES.items()}
times = {
    k: round(ch.timings[k]) for k in ["soap", "soap per element", "magpie"]
}
print(f"non-constant features: {sizes}; seconds: {times}")

# %% [markdown]
# ## 3. Split protocols
#
# *random*: shuffled 5-fold CV (the presumed protocol of the paper); *chemical system*: all
# compositions of one element set held out together; *MP parent*: all structures derived from
# one Materials Project parent held out together (3DSC_MP only). A split grouped by normalised
# composition is not run: 3DSC_MP has almost no repeated compositions (count below), so it is a
# random split with other folds, which the seed alternatives of section 5 already cover.

# %%
comps = [s.composition for s in frame["structure"]]
protocols = {
    "random": None,
    "chemical system": ev.chemical_system_groups(comps),
}
n_comp = len(set(ev.composition_groups(comps)))
print(
    f"{n_comp} distinct normalised compositions among "
    f"{len(frame)} structures"
)
if frame["mp_id"].notna().all():
    protocols["MP parent"] = frame["mp_id"].to_numpy(dtype=object)
sizes = {}
for k, g in protocols.items():
    counts_ = pd.Series(
        np.arange(len(frame)) if g is None else g
    ).value_counts()
    sizes[k] = {"groups": len(counts_), "largest group": int(counts_.max())}
display(pd.DataFrame(sizes).T)


# %% [markdown]
# ## 4. RFR, XGBR and SVR on SOAP and on elemental statistics
#
# Every feature set x model x protocol is cross-validated with the same seed; all out-of-fold
# predictions are recorded and checked (each structure predicted exactly once per run).
# Defaults (no tuning, sized for the time budget): RFR 200 trees with sqrt(n_features) features
# per split, XGBR 300 rounds of depth 6 with 20 % of the features per tree (fast mode: 100 trees,
# 150 rounds), SVR with an RBF kernel on standardised features and target (section 5 checks the
# claims under other settings within one standard error of the best). SVR, the slowest model
# by far on SOAP, is cross-validated under the random split only.
#
# **Contenders.** The alternatives of section 5 (other seeds, the superconductors only) and the
# species-resolved SOAP refit only the *contenders* of a feature set: the models whose mean
# $R^2$ in the main run lies within two fold standard deviations of the leader's. This keeps the
# run in its time budget; a model further behind is counted as beaten there.


# %%
def merge(*parts):
    """One Comparison from several (disjoint feature/model/protocol runs)."""
    return M.Comparison(
        table=pd.concat([c.table for c in parts], ignore_index=True),
        folds=pd.concat([c.folds for c in parts], ignore_index=True),
        predictions=pd.concat(
            [c.predictions for c in parts], ignore_index=True
        ),
        results={k: v for c in parts for k, v in c.results.items()},
    )


main_sets = {"SOAP": X_soap, "elemental": X_el}
common = {
    "params": PARAMS,
    "seed": seed,
    "n_splits": N_SPLITS,
    "progress": False,
    "pool_runs": True,  # XGBR/SVR: all folds of all runs in one pool
}
with ch.timed("models"):
    trees = M.compare_models(
        main_sets,
        y,
        models=["rfr", "xgbr", "mean"],  # mean: the trivial baseline
        protocols=protocols,
        **common,
    )
    rand = {"random": None}
    svr = M.compare_models(
        main_sets, y, models=["svr"], protocols=rand, **common
    )
comparison = merge(trees, svr)
SPLITS = {
    "random": "random",
    "composition": "grouped by composition",
    "chemical system": "grouped by chemical system",
    "MP parent": "grouped by MP parent structure",
}
store = {"dataset": DATASET, "target": "Tc", "unit": "K", "splits": SPLITS}
results.record_comparison(comparison, **store)
n_cv = len(comparison.results)
print(f"{n_cv} cross-validations in {ch.timings['models']:.0f} s")
display(Markdown("**$R^2$** (mean ± std over 5 folds)"))
display(comparison.wide("r2"))
display(Markdown("**RMSE (K)**"))
display(comparison.wide("rmse", digits=2))
MODELS = ("rfr", "xgbr", "svr")
CONTENDERS = {}
for feat in main_sets:
    r2 = {m: comparison.results[(feat, m, "random")].summary for m in MODELS}
    lead = max(MODELS, key=lambda m: r2[m]["r2_mean"])
    bar = r2[lead]["r2_mean"] - 2 * r2[lead]["r2_std"]
    CONTENDERS[feat] = tuple(m for m in MODELS if r2[m]["r2_mean"] >= bar)
per_el_models = tuple(
    m for m in MODELS if any(m in c for c in CONTENDERS.values())
)
for feat in ["SOAP per element", "SOAP per element + elemental"]:
    CONTENDERS[feat] = per_el_models
print("contenders:", CONTENDERS)

# %% [markdown]
# ### Species-resolved SOAP, and SOAP added to the elemental statistics
#
# The contenders on the species-resolved SOAP {eq}`eq-soap-species` alone and beside the
# Magpie statistics, under the presumed random split and the hardest grouped one (by Materials
# Project parent; by chemical system for your own folder).

# %%
worst = "MP parent" if "MP parent" in protocols else "chemical system"
el_sets = {
    k: FEATURES[k]
    for k in ["SOAP per element", "SOAP per element + elemental"]
}
tree_models = [m for m in per_el_models if m != "svr"]
with ch.timed("models per element"):
    parts = [
        M.compare_models(
            el_sets,
            y,
            models=[*tree_models, "mean"],
            protocols={"random": None, worst: protocols[worst]},
            **common,
        )
    ]
    if "svr" in per_el_models:  # SVR: random split only
        svr_el = M.compare_models(
            el_sets, y, models=["svr"], protocols=rand, **common
        )
        parts.append(svr_el)
per_el = merge(*parts)
results.record_comparison(per_el, **store)
display(Markdown("**$R^2$** and **RMSE (K)**, mean ± std over 5 folds"))
both = {"R²": per_el.wide("r2"), "RMSE (K)": per_el.wide("rmse", digits=2)}
display(pd.concat(both, axis=1))

# %% [markdown]
# ## 5. Reported beside ours
#
# Values are recorded against the review's claims only for the registry dataset (not for your
# own folder). The rules below were written into `reviewlib/reported/zhang2022.csv` before this
# run.
#
# **RMSE, scale-free.** An RMSE scales with the spread of $T_c$. Zhang et al.'s own pairs imply
# a spread $\sigma_\text{Z} = \mathrm{RMSE}/\sqrt{1 - R^2}$ of 28.3 K with SOAP
# (7.54 K, 0.929) and 27.6 K without structure (8.94 K, 0.895); 3DSC_MP's is about 19 K, so the
# same model quality gives a smaller RMSE here. We therefore compare
#
# $$
# r = \frac{1}{k} \sum_{f=1}^{k} \frac{\mathrm{RMSE}_f}{\sigma_{\text{test},f}},
# \qquad \text{recorded as } r\,\sigma_\text{Z},
# $$ (eq-zhang-ratio)
#
# with $\sigma_{\text{test},f}$ the standard deviation of $T_c$ in test fold $f$ (the RMSE of
# predicting the test mean; $1 - r$ is the skill over that baseline), against Zhang's
# $7.54/28.3 = 0.266$ and $8.94/27.6 = 0.324$, with the absolute RMSE in K beside it. Note that
# $r = \sqrt{1 - R^2}$ per fold: judged scale-free, the RMSE claims ask the same question as the
# $R^2$ claims.
#
# **Robustness.** Each metric claim is also computed under 4 more seeds (new folds and new
# models), under the settings of its model whose CV score lies within one standard error of the
# best of a small grid (the one-SE rule: a setting $h$ is kept when
# $\overline{R^2}(h) \ge \overline{R^2}(h^\star) - s(h^\star)/\sqrt{k}$, with $s$ the fold
# standard deviation and $h^\star$ the best setting), on a single 80/20 hold-out (the first
# fold; the paper's protocol is not stated), and on the
# superconductors only ($T_c > 0$, as Zhang et al.'s 5,713). Each alternative gets its own
# verdict; the claim is *robust* when all agree (`reviewlib.evaluation.within_one_se` and
# `alternatives`).

# %%
rep = reported().set_index("claim_id")["value"]


def implied_sigma(rmse_id, r2_id):
    """Tc spread (K) implied by a reported (RMSE, R^2) pair: RMSE / sqrt(1 -
    R^2).
    """
    return float(rep[rmse_id]) / np.sqrt(1 - float(rep[r2_id]))


PAIRS = {  # the reported (RMSE, R^2) pair of each feature set
    "SOAP": ("zhang2022.xgbr_soap_rmse", "zhang2022.rfr_soap_r2"),
    "elemental": (
        "zhang2022.elemental_best_rmse",
        "zhang2022.elemental_best_r2",
    ),
}
SIGMA_ZHANG = {k: implied_sigma(*ids) for k, ids in PAIRS.items()}  # K
ROWS = {"all": np.ones(len(y), dtype=bool)}
if (y == 0).any():  # the superconductors-only variant, beside the main set
    ROWS["Tc > 0"] = y > 0
# (features, model, protocol, seed, setting, rows)
#     -> (CVResult, y of those rows)
RUNS = {}
# clusters of the paired bootstrap: near-copies of one MP parent are not
# independent
CLUSTERS = protocols[
    "MP parent" if "MP parent" in protocols else "chemical system"
]
for runs_ in (comparison.results, per_el.results):
    for (feat, model, proto), res in runs_.items():
        RUNS[(feat, model, proto, seed, "default", "all")] = (
            res,
            y,
            CLUSTERS,
        )


def cv_inputs(key):
    """The arguments of M.cross_validate_model for one RUNS key."""
    feat, model, protocol, seed_, setting, rows = key
    use, groups = ROWS[rows], protocols[protocol]
    params = {
        **PARAMS.get(model, {}),
        **GRID.get(model, {}).get(setting, {}),
    }
    X = FEATURES[feat].to_numpy()  # all rows: no copy per run (pooled runs)
    return {
        "model": M.make_model(model, seed=seed_, **params),
        "X": X if use.all() else X[use],
        "y": y[use],
        "groups": None if groups is None else groups[use],
        "split": "random" if groups is None else "group",
        "n_splits": N_SPLITS,
        "seed": seed_,
    }


AHEAD = {}  # RUNS key -> CVResult fitted by prefetch, until run_cv uses it


def prefetch(calls):
    """Fit ahead the uncached runs of single-threaded models (XGBR, SVR)
    among `calls` ((feat, model, kw), ...): the fits run_cv would make,
    with the folds of all runs in one pool of two workers (one run's 5
    folds leave a worker idle). run_cv records each when first asked, so
    the results store keeps its order and values.
    """
    keys = []
    for feat, model, kw in calls:
        key = (
            feat,
            model,
            kw.get("protocol", "random"),
            kw.get("seed_", seed),
            kw.get("setting", "default"),
            kw.get("rows", "all"),
        )
        new = key not in RUNS and key not in AHEAD and key not in keys
        own = key[4] == "default" or key[4] in GRID.get(model, {})
        if new and own and model in ("xgbr", "svr"):
            keys.append(key)
    if len(keys) < 2:  # one run alone: run_cv fits its folds in parallel
        return
    # largest feature sets first: the workers finish closer together
    keys.sort(key=lambda k: -FEATURES[k[0]].shape[1])
    fits = M.cross_validate_many([cv_inputs(k) for k in keys])
    AHEAD.update(zip(keys, fits, strict=True))


def run_cv(
    feat,
    model,
    *,
    seed_=seed,
    protocol="random",
    setting="default",
    rows="all",
):
    """One 5-fold CV (cached in RUNS), recorded in the results store:
    (CVResult, y, clusters) of the rows used.
    """
    key = (feat, model, protocol, seed_, setting, rows)
    if key in RUNS:
        return RUNS[key]
    res = AHEAD.pop(key, None)  # fitted ahead by prefetch, not recorded
    # another model's setting (metric_claim passes the leader's to every
    # model) leaves this model's parameters at their defaults
    applies = setting in ("default", *GRID.get(model, {}))
    same = RUNS.get((feat, model, protocol, seed_, "default", rows))
    if res is None and not applies and same is not None:
        res = same[0]  # the same fit as the default run: not recorded again
    if res is None:
        res = M.cross_validate_model(**cv_inputs(key))
    use = ROWS[rows]
    # a row is labelled with the setting only when the setting is the model's
    label = (
        f"{model} ({setting})" if applies and setting != "default" else model
    )
    if applies or same is None:
        results.record_cv(
            res,
            dataset=DATASET if rows == "all" else f"{DATASET}, {rows} K",
            target="Tc",
            split=SPLITS[protocol],
            features=feat,
            model=label if seed_ == seed else f"{label}, seed {seed_}",
            unit="K",
            baseline=model == "mean",
        )
    RUNS[key] = (res, y[use], CLUSTERS[use])
    return RUNS[key]


def score(run, metric, *, fold=None):
    """Mean over the folds (or one fold) of R^2 or of RMSE / sigma_test."""
    res, yy, _ = run
    folds = res.folds if fold is None else res.folds.iloc[[fold]]
    if metric == "r2":
        return float(folds["r2"].mean())
    sigma = np.array([yy[res.fold == k].std() for k in folds["fold"]])
    return float(np.mean(folds["rmse"].to_numpy() / sigma))


def paired(a, b, metric):
    """metric(a) - metric(b) on the pooled out-of-fold predictions of the
    same rows,     with the 95 % interval of the paired cluster bootstrap
    (eq-zhang-paired).
    """
    (ra, ya, clusters), (rb, yb, _) = a, b
    if not np.array_equal(ya, yb):
        raise ValueError("paired differences need the same rows")
    boot = {"groups": clusters, "seed": seed, "n_boot": N_BOOT}
    out = ev.paired_bootstrap(ya, ra.oof, rb.oof, metric=metric, **boot)
    return {k: out[k] for k in ("diff", "low", "high")}


def candidates(feat, **kw):
    """The models compared under one choice: all in the main run, else the
    contenders     (and no SVR under a grouped split).
    """
    models = CONTENDERS[feat] if kw or feat not in main_sets else MODELS
    return tuple(m for m in models if m != "svr" or "protocol" not in kw)


def best_model(feat, **kw):
    """The model with the highest mean R^2 on one feature set under one
    choice.
    """
    return max(
        candidates(feat, **kw),
        key=lambda m: score(run_cv(feat, m, **kw), "r2"),
    )


# %%
CHOICES = {
    f"seed {s}": {"seed_": s} for s in SEEDS
}  # alternatives beside the main run
if "composition" in protocols:
    CHOICES["grouped by composition"] = {"protocol": "composition"}
if "Tc > 0" in ROWS:
    CHOICES["superconductors only (Tc > 0)"] = {"rows": "Tc > 0"}
best_el = best_model("elemental")
GRID_RUNS = [("SOAP", "rfr"), ("SOAP", "xgbr"), ("elemental", best_el)]
with ch.timed("robustness"):
    calls = []
    for kw in CHOICES.values():
        for feat in ["SOAP", "elemental"]:
            for m in (
                CONTENDERS[feat] if "seed_" in kw or "rows" in kw else MODELS
            ):
                if (
                    m != "svr" or kw.get("protocol") is None
                ):  # SVR: random split only
                    calls.append((feat, m, kw))
    grid_calls = [
        (feat, m, {"setting": s}) for feat, m in GRID_RUNS for s in GRID[m]
    ]
    prefetch(calls + grid_calls)
    for feat, m, kw in calls:
        run_cv(feat, m, **kw)
    for rows in ROWS:  # the trivial baseline of every data set
        run_cv("elemental", "mean", rows=rows)
    grid_rows, ONE_SE = [], {}
    for feat, m in GRID_RUNS:
        table = []
        for setting in ["default", *GRID[m]]:
            r2 = run_cv(feat, m, setting=setting)[0].folds["r2"].to_numpy()
            table.append({"params": {"setting": setting}, "scores": r2})
        kept = [p["setting"] for p in ev.within_one_se(pd.DataFrame(table))]
        ONE_SE[(feat, m)] = [s for s in kept if s != "default"]
        for t in table:
            r2, setting = t["scores"], t["params"]["setting"]
            se = r2.std(ddof=1) / np.sqrt(len(r2))
            grid_rows.append(
                (feat, m, setting, r2.mean(), se, setting in kept)
            )
columns = ["features", "model", "setting", "R²", "SE", "within one SE"]
grid = pd.DataFrame(grid_rows, columns=columns)
display(
    Markdown("One-SE rule: $R^2$ (random split) per setting, mean and SE")
)
display(grid.set_index(["features", "model", "setting"]).round(4))
print(f"robustness runs: {ch.timings['robustness']:.0f} s")


def one_se(feat, m):
    """Settings other than the default within one SE of the best (one-SE
    rule).
    """
    return ONE_SE.get((feat, m), [])


# %%
def metric_claim(feat, models, metric, scale=1.0):
    """Main value and alternatives of a best-of-`models` R^2 or scale-free
    RMSE.
    """
    pick = max if metric == "r2" else min

    def value(**kw):
        use = [m for m in models if m in candidates(feat, **kw)] or models
        return scale * pick(
            score(run_cv(feat, m, **kw), metric) for m in use
        )

    alts = ev.alternatives(value, CHOICES)
    leader = models[0] if len(models) == 1 else best_model(feat)
    for s in one_se(feat, leader):
        choice = f"{leader} {s} (within one SE)"
        alts.append({"choice": choice, "value": value(setting=s)})
    main_runs = [run_cv(feat, m) for m in models]
    hold = scale * pick(score(r, metric, fold=0) for r in main_runs)
    alts.append(
        {"choice": "single 80/20 hold-out (first fold)", "value": hold}
    )
    return value(), alts


def absolute_rmse(feat, models):
    """Best absolute RMSE (K) over `models`, mean over folds, random
    split.
    """
    return min(run_cv(feat, m)[0].summary["rmse_mean"] for m in models)


note = f"{dataset}, shuffled {N_SPLITS}-fold CV, {mode} mode"
details = {
    "table": comparison.table.to_dict("records"),
    "soap": SOAP,
    "params": PARAMS,
}
claims_metric = {
    "zhang2022.rfr_soap_r2": ("SOAP", ("rfr",), "r2", 1.0),
    "zhang2022.xgbr_soap_rmse": (
        "SOAP",
        ("xgbr",),
        "rmse",
        SIGMA_ZHANG["SOAP"],
    ),
    "zhang2022.elemental_best_r2": ("elemental", MODELS, "r2", 1.0),
    "zhang2022.elemental_best_rmse": (
        "elemental",
        MODELS,
        "rmse",
        SIGMA_ZHANG["elemental"],
    ),
}
shown = []
for claim_id, (feat, models, metric, scale) in claims_metric.items():
    value, alts = metric_claim(feat, models, metric, scale)
    extra = ""
    if metric == "rmse":
        rmse_K = absolute_rmse(feat, models)
        extra = (
            f"; scale-free r = {value / scale:.3f} "
            f"(recorded as r x {scale:.2f} K); "
            f"absolute RMSE {rmse_K:.2f} K "
            f"with a Tc spread of {y.std():.1f} K"
        )
    rec = record(
        claim_id,
        value,
        alternatives=alts,
        note=f"{note}; {feat}, {'/'.join(models)}{extra}",
        details=details if claim_id.endswith("rfr_soap_r2") else None,
        mode=mode,
    )
    if rec is not None:
        for a in rec.alternatives:
            shown.append({"claim": claim_id.split(".")[1], **a})
if shown:
    display(
        Markdown(
            "Alternatives of the metric claims, each with its own verdict"
        )
    )
    display(pd.DataFrame(shown).set_index(["claim", "choice"]).round(4))

# %%
scale_rows = []
for claim_id in [
    "zhang2022.xgbr_soap_rmse",
    "zhang2022.elemental_best_rmse",
]:
    feat, models, _, sigma_z = claims_metric[claim_id]
    r_ours = min(score(run_cv(feat, m), "rmse") for m in models)
    r_zhang = float(rep[claim_id]) / sigma_z
    scale_rows.append(
        {
            "claim": claim_id.split(".")[1],
            "RMSE reported (K)": float(rep[claim_id]),
            "RMSE ours (K)": absolute_rmse(feat, models),
            "Tc spread Zhang (K)": sigma_z,
            "Tc spread ours (K)": y.std(),
            "r reported": r_zhang,
            "r ours": r_ours,
            "skill 1 - r reported": 1 - r_zhang,
            "skill 1 - r ours": 1 - r_ours,
        }
    )
display(
    Markdown(
        "RMSE claims: absolute (K) and scale-free ({eq}`eq-zhang-ratio`)"
    )
)
display(pd.DataFrame(scale_rows).set_index("claim").T.round(3))


# %% [markdown]
# ### Which model is best on SOAP? Paired differences, a tie is a tie
#
# The fold-to-fold spread of each model's score is larger than the gaps between RFR and XGBR,
# so the ranking is tested on paired differences: the two models' out-of-fold predictions of
# the same rows are resampled together, whole clusters at a time (all structures of one
# Materials Project parent: its near-copies are not independent),
#
# $$
# \Delta^{(b)} = M\left(y_{S_b}, \hat y^{\,a}_{S_b}\right) - M\left(y_{S_b}, \hat y^{\,b}_{S_b}\right),
# \qquad b = 1, \dots, 2000,
# $$ (eq-zhang-paired)
#
# with $M$ the pooled $R^2$ or RMSE and $S_b$ the rows of the clusters drawn with replacement;
# the 2.5 and 97.5 percentiles of $\Delta^{(b)}$ give the 95 % interval
# (`reviewlib.evaluation.paired_bootstrap`). A model is "best" only if its interval against each
# other model excludes zero on its side; otherwise the two are tied and the claim is recorded
# as not holding. On one set of predictions, pooled $R^2$ and RMSE rank models identically, so
# at most one of "RFR best $R^2$" and "XGBR best RMSE" can hold.


# %%
def fmt(r):
    """A paired difference as text: diff [low, high]."""
    return f"{r['diff']:+.3f} [{r['low']:+.3f}, {r['high']:+.3f}]"


def rank_claim(leader, metric, **kw):
    """True if `leader` beats both other models on SOAP, and the paired
    table.
    """
    base = {k: v for k, v in kw.items() if k != "setting"}
    runs = {m: run_cv("SOAP", m, **base) for m in candidates("SOAP", **base)}
    runs[leader] = run_cv(
        "SOAP", leader, **kw
    )  # only the leader takes another setting
    rows, wins = [], []
    for other in runs:
        if other == leader:
            continue
        p = paired(runs[leader], runs[other], metric)
        win = p["low"] > 0 if metric == "r2" else p["high"] < 0
        wins.append(win)
        outcome = (
            "win"
            if win
            else ("loss" if p["low"] > 0 or p["high"] < 0 else "tie")
        )
        pair_ = f"{leader} - {other}"
        rows.append(
            {"pair": pair_, "metric": metric, **p, "outcome": outcome}
        )
    return all(wins), rows


rank_rows = []
for claim_id, leader, metric in [
    ("zhang2022.rfr_best_r2", "rfr", "r2"),
    ("zhang2022.xgbr_best_rmse", "xgbr", "rmse"),
]:
    holds, rows = rank_claim(leader, metric)
    rank_rows += [{"choice": "main (random split)", **r} for r in rows]
    alts = []
    for choice, kw in CHOICES.items():
        alt, rows = rank_claim(leader, metric, **kw)
        alts.append({"choice": choice, "value": bool(alt)})
        rank_rows += [{"choice": choice, **r} for r in rows]
    for s in one_se("SOAP", leader):
        alt, _ = rank_claim(leader, metric, setting=s)
        alts.append(
            {"choice": f"{leader} {s} (within one SE)", "value": bool(alt)}
        )
    _ = record(
        claim_id,
        bool(holds),
        alternatives=alts,
        note=f"{note}; paired per-fold differences in {metric} (main seed): "
        + "; ".join(
            f"{r['pair']} {fmt(r)} {r['outcome']}"
            for r in rank_rows
            if r["choice"] == "main (random split)" and r["metric"] == metric
        ),
        mode=mode,
    )
ranking = pd.DataFrame(rank_rows).set_index(["metric", "choice", "pair"])
display(
    Markdown(
        "Paired differences on SOAP (R²: higher is better; RMSE in K: lower)"
    )
)
display(ranking.round(3))


# %% [markdown]
# ### Does structure improve the best model?
#
# Zhang et al. find SOAP better than elemental statistics. We test it with the species-resolved
# SOAP {eq}`eq-soap-species` (closest to their dscribe SOAP) against the Magpie statistics: the
# best model of each (by mean $R^2$), compared on the same rows by the paired differences
# {eq}`eq-zhang-paired` in $R^2$ and RMSE. Structure improves only if both intervals favour it.
# Beside it: SOAP (per element) + Magpie against Magpie (does structure *add* to composition),
# the 13-channel SOAP against Magpie, each also grouped by Materials Project parent, under the
# other seeds and on the superconductors only.


# %%
def improves(feat, **kw):
    """Best model on `feat` against the best on Magpie: do both paired
    intervals     favour `feat`? Under a grouped split the best models of
    that split are compared;     under another seed or on Tc > 0 the best
    models of the main run are refit.
    """

    def leader(f):
        return best_model(f, **kw) if "protocol" in kw else best_model(f)

    a = run_cv(feat, leader(feat), **kw)
    b = run_cv("elemental", leader("elemental"), **kw)
    r2, rmse = paired(a, b, "r2"), paired(a, b, "rmse")
    holds = bool(r2["low"] > 0 and rmse["high"] < 0)
    return holds, [{"metric": "r2", **r2}, {"metric": "rmse", **rmse}]


with ch.timed("structure"):
    comparisons = {"SOAP per element vs elemental": ("SOAP per element", {})}
    comparisons["SOAP per element + elemental vs elemental"] = (
        "SOAP per element + elemental",
        {},
    )
    comparisons["SOAP (13 channels) vs elemental"] = ("SOAP", {})
    for name in list(comparisons):
        feat = comparisons[name][0]
        comparisons[f"{name}, grouped by {worst}"] = (
            feat,
            {"protocol": worst},
        )
    for choice, kw in CHOICES.items():
        if choice != "grouped by composition":
            comparisons[f"SOAP per element vs elemental, {choice}"] = (
                "SOAP per element",
                kw,
            )
    # the refits under other seeds and rows, folds pooled (XGBR, SVR)
    prefetch(
        [
            (f, best_model(f), kw)
            for feat, kw in comparisons.values()
            if "protocol" not in kw
            for f in (feat, "elemental")
        ]
    )
    struct_rows, alts = [], []
    for name, (feat, kw) in comparisons.items():
        holds, rows = improves(feat, **kw)
        struct_rows += [
            {"comparison": name, **r, "improves": holds} for r in rows
        ]
        if name != "SOAP per element vs elemental":
            alts.append({"choice": name, "value": holds})
main_holds = struct_rows[0]["improves"]
main_txt = "; ".join(f"{r['metric']} {fmt(r)}" for r in struct_rows[:2])
_ = record(
    "zhang2022.structure_improves",
    bool(main_holds),
    alternatives=alts,
    note=(
        f"{note}; best on SOAP per element minus best on Magpie, "
        f"paired: {main_txt}"
    ),
    mode=mode,
)
structure = pd.DataFrame(struct_rows).set_index(["comparison", "metric"])
display(
    Markdown("Structure minus elemental, paired cluster bootstrap (95 %)")
)
display(structure.round(3))

# %%
if not ds.user:
    cols = [
        "claim_id",
        "kind",
        "reported",
        "ours",
        "unit",
        "tolerance",
        "verdict",
    ]
    cols += ["margin", "robustness"]
    display(verdicts().query("milestone == 'zhang2022'")[cols])
else:
    print("your own folder: nothing is recorded against the review's claims")

# %% [markdown]
# ### How much does the random split flatter the models?
#
# The same models scored under each grouped protocol, as the change from the random split.

# %%
index = ["features", "model", "protocol"]
tab = comparison.table.pivot_table(
    index=index, columns="metric", values="mean"
)
flatter = []
for (feat, model), sub in tab.groupby(level=["features", "model"]):
    sub = sub.droplevel(["features", "model"])
    rand = sub.loc["random"]
    for proto in sub.index.drop("random"):
        flatter.append(
            {
                "features": feat,
                "model": model,
                "protocol": proto,
                "R² random": rand["r2"],
                "R² grouped": sub.loc[proto, "r2"],
                "RMSE random (K)": rand["rmse"],
                "RMSE grouped (K)": sub.loc[proto, "rmse"],
                "RMSE increase (%)": 100
                * (sub.loc[proto, "rmse"] / rand["rmse"] - 1),
            }
        )
flatter = pd.DataFrame(flatter).set_index(index).round(3)
display(flatter)
hardest = (
    flatter.xs("SOAP", level="features")
    .drop(index="mean", level="model")["RMSE increase (%)"]
    .groupby(level="protocol")
    .mean()
)
increase = hardest.round(0).to_dict()
display(
    Markdown(
        f"Mean RMSE increase of the SOAP models vs random: {increase} %"
    )
)

# %% [markdown]
# ## 6. Parity plots, errors by family, feature importance

# %% mystnb={"figure": {"caption": "Out-of-fold XGBR predictions against the SuperCon $T_c$ on SOAP (top) and elemental statistics (bottom), for the random split (left) and the hardest grouped split (right: by Materials Project parent for 3DSC_MP).", "name": "fig-zhang-parity"}} tags=["hide-input"]
fig, axes = plt.subplots(2, 2, figsize=(9, 8.6), layout="constrained")
for ax, (feat, proto) in zip(
    axes.flat,
    [
        ("SOAP", "random"),
        ("SOAP", worst),
        ("elemental", "random"),
        ("elemental", worst),
    ],
    strict=True,
):
    res = comparison.results[(feat, "xgbr", proto)]
    title = f"XGBR, {feat}, {proto} split"
    parity_plot(
        y_true=y, y_pred=res.oof, ax=ax, title=title, label="out-of-fold"
    )
plt.show()

# %%
fam = []
for proto in ["random", worst]:
    for feat in ["SOAP", "elemental"]:
        res = comparison.results[(feat, "xgbr", proto)]
        t = M.errors_by_group(y, res.oof, frame["family"])
        fam.append(t.assign(features=feat, protocol=proto).reset_index())
fam = pd.concat(fam).set_index(["protocol", "features", "group"]).round(3)
display(
    Markdown(
        "XGBR out-of-fold errors by material family (RMSE and MAE in K)"
    )
)
display(fam)

# %% mystnb={"figure": {"caption": "Impurity importance of random forests fitted on all structures: SOAP summed per pair of element channels (left) and the twelve most important Magpie statistics (right).", "name": "fig-zhang-importance"}} tags=["hide-input"]
rf = M.make_model("rfr", seed=seed, **PARAMS["rfr"]).fit(
    X_soap.to_numpy(), y
)
imp = pd.Series(rf.feature_importances_, index=X_soap.columns)
by_pair = (
    imp.groupby(imp.index.str.split("_").str[0])
    .sum()
    .sort_values(ascending=False)
    .head(12)
)
rf_el = M.make_model("rfr", seed=seed, **PARAMS["rfr"]).fit(
    X_el.to_numpy(), y
)
top_el = M.feature_importance(rf_el, list(X_el.columns), top=12)
fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
by_pair[::-1].plot.barh(ax=axes[0])
axes[0].set(
    xlabel="summed impurity importance (-)",
    ylabel="SOAP channel pair",
    title="RFR on SOAP",
)
top_el[::-1].plot.barh(ax=axes[1])
axes[1].set(
    xlabel="impurity importance (-)",
    ylabel="Magpie feature",
    title="RFR on elemental statistics",
)
plt.show()


# %% [markdown]
# ## 7. Summary


# %%
def best_random(feat):
    """Best mean R^2 and RMSE (K) over RFR/XGBR/SVR on one feature set,
    random split.
    """
    runs = [run_cv(feat, m)[0].summary for m in MODELS]
    return max(r["r2_mean"] for r in runs), min(r["rmse_mean"] for r in runs)


prefetch([(feat, m, {}) for feat in FEATURES for m in MODELS])
lines = [f"* Data: {dataset}; {mode} mode. Reported: 5,713 ICSD structures."]
for feat in FEATURES:
    r2, rmse = best_random(feat)
    best_txt = f"R² {r2:.3f}, RMSE {rmse:.2f} K"
    lines.append(
        f"* {feat}, best of RFR/XGBR/SVR (random split): {best_txt}."
    )
lines.append(
    "* Reported: 0.929 / 7.54 K with SOAP, 0.895 / 8.94 K without structure."
)
for proto, inc in hardest.items():
    lines.append(
        f"* Grouped by {proto}: SOAP models' RMSE {inc:+.0f} % vs random."
    )
display(Markdown("\n".join(lines)))

# %% tags=["hide-input"]
abs_txt = "; ".join(
    f"{r['claim']} {r['RMSE ours (K)']:.2f} K at a Tc spread of {r['Tc spread ours (K)']:.1f} K "
    f"(reported {r['RMSE reported (K)']:.2f} K at {r['Tc spread Zhang (K)']:.1f} K)"
    for r in scale_rows
)
ch.glue("rmse_abs", abs_txt)
_ = ch.glue_claims(
    {
        "rfr_r2": "zhang2022.rfr_soap_r2",
        "xgbr_rmse": "zhang2022.xgbr_soap_rmse",
        "elemental_r2": "zhang2022.elemental_best_r2",
        "elemental_rmse": "zhang2022.elemental_best_rmse",
        "structure_improves": "zhang2022.structure_improves",
    }
)
ch.finish().to_frame()

# %% [markdown]
# ## Use your own data
#
# Run this chapter on your own structures with papermill, from the repository root in the
# project's environment (`mode` `"full"` uses every structure; `"fast"` a seeded subsample of 600):
#
# ```bash
# .venv/bin/papermill -k python3 notebooks/03_zhang2022_soap_models.ipynb my_run.ipynb \
#     -p cif_dir my_cifs/ -p tc_csv my_cifs/tc.csv -p mode full
# ```
#
# **File format.** `cif_dir` is a folder of CIF files (`*.cif`, one structure each; partial
# occupancies are kept). `tc_csv` is a CSV file with a header line and one row per structure;
# other columns are ignored:
#
# | column | content | example |
# |---|---|---|
# | `file` | the CIF's file name, with or without `.cif` | `MgB2.cif` |
# | `tc_K` | critical temperature in K, a plain number; 0 = not superconducting | `39.0` |
#
# A CIF that cannot be read (malformed, no atoms, unknown element) or that has no row in `tc_csv`
# is skipped and listed with the reason. An empty `tc_csv`, a missing column, a duplicate file
# name, or a `tc_K` that is empty, not a number (`39 K`), infinite or negative stops the run with
# an error naming the file, the column and the 1-based line. The "MP parent" split exists only for
# 3DSC_MP. Nothing is recorded against the review's claims for your own data.
