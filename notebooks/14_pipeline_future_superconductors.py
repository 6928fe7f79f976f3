# %% [markdown]
# # Future superconductors: the review's modular pipeline run forward
#
# :::{admonition} This chapter in short
# :class: tip
#
# - **What the review proposes.** §3 of the review {cite}`bai2024unveiling` ends with a modular
#   programme: models for each arrow of its Fig. 1 (composition and pressure → structure →
#   electron-phonon parameters → Tc), chained, instead of one model from composition to Tc.
#   This chapter builds that pipeline with an uncertainty on every stage and uses it three ways.
# - **Our stand-in.** Coupling models trained on public DFPT data: Alexandria DS-A ∪ DS-B
#   {cite}`cerqueira2024_alexandria` (ambient pressure) and the Osaka hydride table (λ, ω_log, Tc
#   under pressure, computed by its authors with their own μ*; no structures); structures
#   relaxed with CHGNet {cite}`deng2023_chgnet`; Tc from Allen-Dynes {cite}`r38_allen1975` with
#   μ* drawn over 0.10-0.13 and λ, ω_log drawn jointly (their held-out errors correlate:
#   {glue:text}`rho_alex`).
# - **Retrospective discovery test** ({glue:text}`mode` mode): holding out whole chemical
#   systems, the chained route finds Tc ≥ 10 K superconductors {glue:text}`daf_alex` faster
#   than random (DAF at the top 5 %); the best single Magpie feature, chosen inside the training
#   folds, reaches {glue:text}`daf_feature` (chained - best feature, precision at k:
#   {glue:text}`vs_feature`). Chained at least as good as direct (Alexandria):
#   {glue:text}`v_chain_alex`, precision at k chained - direct {glue:text}`diff_alex`; on
#   the Osaka hydride table (Tc ≥ 100 K): {glue:text}`v_chain_hyd`, {glue:text}`diff_hyd`.
#   A tie passes this pre-registered "at least as well" rule; the review's stronger wording
#   (chained *beats* direct) is the stricter alternative in the robustness column. Held-out
#   MAE of Tc, chained vs direct (Alexandria): {glue:text}`mae_alex`. Screening enriches:
#   {glue:text}`v_enrich`. Robustness over k, seeds, threshold, grouping and reading:
#   {glue:text}`robustness`. 95 % intervals of Tc cover {glue:text}`cov_alex` of held-out
#   Alexandria entries (draws: {glue:text}`n_draws`).
# - **Prospective screen.** {glue:text}`n_screen` new compositions (absent from every registry
#   table with formulas; isovalent and data-mined substitution) relaxed with CHGNet and ranked:
#   candidates worth a DFPT calculation, not claims of superconductivity. GPAW (PBE) on the
#   top CHGNet cells, relaxed at 0 GPa: {glue:text}`gpaw_summary`.
# - **Run time.** {glue:text}`run_time`.
# :::
#
# The review's Fig. 1 pipeline has four nodes. Here each arrow is a swappable stage that passes
# on a distribution, not a number:
#
# 1. **Structure**: the user's structure, or a prototype with substituted elements (the
#    same-group neighbour, or pymatgen's data-mined substitution predictor), relaxed with CHGNet
#    at a given pressure (`reviewlib.pipeline.structure`); a failed relaxation keeps its reason.
# 2. **Coupling**: λ and ω_log from models trained on DFPT data, each with a calibrated
#    predictive distribution (`reviewlib.pipeline.uncertainty`: an xgboost mean, a local scale and
#    empirical quantiles of cross-fitted, normalised out-of-fold residuals (grouped folds; a
#    conformal-style calibration, without its finite-sample correction, applied to the model
#    refitted on all rows); a GPR can replace the xgboost).
# 3. **Tc**: Allen-Dynes with f2 = 1,
#
# $$ T_c = \frac{f_1\,\omega_{\log}}{1.20}\exp\left(-\frac{1.04(1+\lambda)}{\lambda-\mu^*(1+0.62\lambda)}\right), \quad f_1 = \left[1+\left(\frac{\lambda}{2.46(1+3.8\mu^*)}\right)^{3/2}\right]^{1/3} $$ (eq-ad14)
#
#    against a **direct** Tc model (same features, same data) and their **ensemble** (an equal
#    mixture of the two predictive distributions). Where a candidate's α²F is known, the
#    isotropic Eliashberg equations replace the formula (`predict(..., spectra=...)`).
#
# The uncertainty is propagated by Monte Carlo: for draw $j$ of candidate $x$,
#
# $$ (z_1, z_2) \sim \mathcal{N}\!\left(0, \begin{pmatrix} 1 & \rho \\ \rho & 1 \end{pmatrix}\right), \quad \ln\lambda_j = m_\lambda(x) + s_\lambda(x)\,Q_\lambda(\Phi(z_1)), \quad \ln\omega_{\log,j} = m_\omega(x) + s_\omega(x)\,Q_\omega(\Phi(z_2)), \quad \mu^*_j \sim U(0.10, 0.13), \quad T_{c,j} = T_c^{\mathrm{AD}}(\lambda_j, \omega_{\log,j}, \mu^*_j) $$ (eq-mc14)
#
# with $m$ the mean model, $s$ the local scale, $Q$ the quantile function of the normalised
# out-of-fold residuals and $\rho$ the correlation of the normal scores of the λ and ω_log
# residuals (a Gaussian copula). Medians and central 68 % / 95 % intervals summarise the draws.
# All models see the same features: 132 Magpie statistics of the composition {cite}`ward2016`
# and the pressure (GPa), so that `reviewlib predict` works from a formula.

# %% tags=["parameters"]
mode = "fast"  # "fast" (CI: subsample, minutes) or "full" (all rows)
seed = 2024  # seeds subsamples, folds, models, Monte Carlo draws, bootstraps
output_dir = None  # folder for the ranked CSV and the trained model;
# None: artifacts/ beside the records folder
table_csv = None  # your CSV (formula, pressure_GPa in GPa): predicted with
# this run's model; nothing is recorded against the review
cif_dir = None  # your folder of CIF/POSCAR files (at 0 GPa): likewise
n_alexandria = None  # Alexandria rows (DS-A ∪ DS-B); None: 1,500 (fast),
# all 8,253 (full)
n_candidates = None  # new candidates relaxed with CHGNet; None: 4 (fast),
# 8 (full)

# %% tags=["hide-input"]
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from reviewlib.book import chapter, results
from reviewlib.book.claims import record, verdicts
from reviewlib.data import get_record
from reviewlib.data.hydrides import (
    load_alexandria,
    load_htsc2025,
    load_osaka_hydrides,
    load_sodnet_hydrides,
)
from reviewlib.data.jarvis import load_jarvis_hydride_plus_bulk
from reviewlib.data.reference import load_allen_dynes
from reviewlib.data.supercon import load_stanev, load_supercon3d
from reviewlib.evaluation import group_labels
from reviewlib.hydrides.dedup import deduplicate
from reviewlib.models import N_JOBS
from reviewlib.pipeline import bundle as B
from reviewlib.pipeline import discovery as D
from reviewlib.pipeline import screen as S
from reviewlib.pipeline import structure as PS
from reviewlib.pipeline.predict import predict_user_inputs

warnings.filterwarnings("ignore", category=UserWarning)
warnings.filterwarnings("ignore", category=FutureWarning)
NAME = "14_pipeline_future_superconductors"
ch = chapter.start(
    NAME,
    mode=mode,
    fast={
        "n_alexandria": 1500,
        "rounds": 100,
        "n_draws": 200,
        "n_boot": 300,
        "n_seeds": 2,
        "n_candidates": 4,
        "n_prototypes": 2,
        "n_phonons": 1,
        "n_gpaw": 0,
        "relax_steps": 50,
    },
    full={
        "n_alexandria": None,
        "rounds": 100,
        "n_draws": 1000,
        "n_boot": 1000,
        "n_seeds": 5,
        "n_candidates": 8,
        "n_prototypes": 4,
        "n_phonons": 2,
        "n_gpaw": 0,
        "relax_steps": 100,
    },
    overrides={"n_alexandria": n_alexandria, "n_candidates": n_candidates},
    record=table_csv is None and cif_dir is None,
)
OUT = Path(output_dir) if output_dir is not None else B.artifacts_dir()
OUT.mkdir(parents=True, exist_ok=True)
# fixed in reviewlib/reported/pipeline.csv before the run:
ALEX_T, HYD_T = 10.0, 100.0  # K: the positives of the two tests
ALEX_FRAC, HYD_FRAC = 0.05, 0.10  # k, a fraction of the held-out rows
# more seeds: four in full mode (five in all), one in fast mode
SEEDS = [seed + i for i in range(1, ch["n_seeds"])]
ROUTES = [D.CHAINED, D.DIRECT, "ensemble"]
REFS = [D.MASS, D.BEST_FEATURE, D.RANDOM]
OSAKA = "Osaka hydrides (authors' Tc and μ*, no structures)"

# %% [markdown]
# ## 1. Data
#
# Alexandria DS-A and DS-B are pooled (the published split is not a split by chemical system;
# here whole systems are held out instead). In fast mode a seeded subsample is used. The Osaka
# hydride rows are de-duplicated (one row per compound, space group and pressure, μ* closest to
# 0.10) and kept where λ and ω_log are given; He, Ne and Ar compounds are dropped (Magpie has no
# electronegativity for them). The Osaka table is what it is: Tc computed by its authors from
# their own λ and ω_log with μ* of 0.10-0.13, and no structures, so the hydride test below is
# a test on the authors' numbers, not on structures we could relax.

# %%
with ch.timed("data"):
    alex_all = pd.concat(
        [
            load_alexandria("A", with_structures=False).assign(
                dataset="alexandria_ds_a",
            ),
            load_alexandria("B", with_structures=True).assign(
                dataset="alexandria_ds_b",
            ),
        ],
        ignore_index=True,
    )
    alex = chapter.subsample(alex_all, n=ch["n_alexandria"], seed=seed)
    alex = alex.assign(
        id=alex["mat_id"],
        pressure_GPa=0.0,
        system=group_labels("chemical system", alex["formula"]),
        composition_group=group_labels("composition", alex["formula"]),
    )
    XA = B.feature_frame(alex["formula"], alex["pressure_GPa"])
    osaka_raw = load_osaka_hydrides()
    osaka = deduplicate(frame=osaka_raw, mu_star="closest")
    osaka = osaka[osaka["composition"].notna()]
    NOBLE = {"He", "Ne", "Ar"}
    noble = osaka["elements"].map(lambda e: bool(set(e) & NOBLE))
    hyd = osaka[~noble].dropna(subset=["lambda", "omega_log_K"])
    hyd = hyd.reset_index(drop=True)
    hyd = hyd.assign(
        id=hyd["compound"],
        dataset="osaka_hydrides",
        formula=[c.reduced_formula for c in hyd["composition"]],
    )
    hyd["system"] = group_labels("chemical system", hyd["formula"])
    XH = B.feature_frame(hyd["formula"], hyd["pressure_GPa"])
summary = pd.DataFrame(
    {
        "rows": [len(alex), len(hyd)],
        "groups held out": [
            f"{alex['system'].nunique()} chemical systems",
            f"{hyd['compound'].nunique()} compounds",
        ],
        "positive threshold (K)": [ALEX_T, HYD_T],
        "prevalence": [
            (alex["tc_K"] >= ALEX_T).mean(),
            (hyd["tc_K"] >= HYD_T).mean(),
        ],
        "pressure (GPa)": [
            "0",
            f"{hyd['pressure_GPa'].min():g}-{hyd['pressure_GPa'].max():g}",
        ],
    },
    index=["Alexandria DS-A ∪ DS-B", OSAKA],
)
display(summary.round(3))

# %% [markdown]
# ## 2. Retrospective discovery test
#
# Five folds, each holding out whole groups (chemical systems on Alexandria; compounds, with all
# their pressures, on the hydrides). Each training fold fits the three stages (their calibration
# folds grouped the same way); the held-out candidates are ranked by the median of the Monte Carlo
# Tc of each route. Three references: a **random** ranking (its expectation: precision@k equals
# the prevalence), the inverse mean atomic weight (at fixed λ, Tc scales with ω_log, which
# scales as M^(-1/2)) and, so that the one-feature heuristic is a fair opponent, the **best
# single Magpie feature**, chosen with its sign by the largest Spearman correlation with Tc
# inside each training fold. The discovery acceleration factor of Matbench Discovery is
#
# $$ \mathrm{DAF} = \frac{\mathrm{precision@}k}{\text{prevalence}} $$ (eq-daf)
#
# with k a fixed fraction of the held-out candidates (5 % on Alexandria, 10 % on the smaller
# hydride table). Intervals: a cluster bootstrap of the pooled precision@k that resamples whole
# groups, and the spread over the five folds.

# %%
with ch.timed("retrospective: Alexandria"):
    SPLIT_A = "grouped by chemical system, 5-fold (pooled out-of-fold)"
    ra = D.Retrospective(
        XA,
        alex,
        groups=alex["system"],
        seed=seed,
        rounds=ch["rounds"],
        n_draws=ch["n_draws"],
        n_jobs=N_JOBS,  # the five folds in parallel
    )
    ta = ra.table(threshold=ALEX_T, frac=ALEX_FRAC, n_boot=ch["n_boot"])
    rows_a = ra.result_rows(
        dataset="alexandria_ds_a+ds_b",
        split=SPLIT_A,
        threshold=ALEX_T,
        frac=ALEX_FRAC,
        n_boot=ch["n_boot"],
    )
    for row in rows_a:
        results.record(**row)
k_a = ta["k"].iloc[0]
display(Markdown(f"**Alexandria**, {len(alex)} entries, k = {k_a}:"))
display(ta.drop(columns=["k", "prevalence"]).round(3))
mae_a = ra.mae_comparison(n_boot=ch["n_boot"])
display(
    Markdown(
        f"Like for like, the held-out error of the Tc medians: MAE chained "
        f"{mae_a['mae_chained']:.2f} K, direct {mae_a['mae_direct']:.2f} K; "
        f"chained - direct {mae_a['diff']:+.2f} K "
        f"[{mae_a['low']:+.2f}, {mae_a['high']:+.2f}] (paired cluster "
        "bootstrap over chemical systems; above 0: chained worse)."
    )
)

# %% [markdown]
# Coverage of the predictive intervals on held-out chemical systems (nominal 0.68 / 0.95), per
# fold too; the baseline is the training folds' own 2.5-97.5 % range of Tc. The chained Tc is
# shown with λ and ω_log drawn jointly (the pipeline) and independently.

# %%
ca = ra.coverage()
display(ca.round(3))
rho = ra.rho_heldout
display(
    Markdown(
        f"Held-out errors of ln λ and ln ω_log: Pearson correlation "
        f"{rho['pearson']:+.2f}, normal-score {rho['copula']:+.2f} "
        f"(n = {rho['n']}); the models estimated {ra.rho_train:+.2f} "
        "inside their training folds."
    )
)

# %%
with ch.timed("retrospective: hydrides"):
    SPLIT_H = "grouped by compound (all pressures), 5-fold"
    SPLIT_H += " (pooled out-of-fold)"
    rh = D.Retrospective(
        XH,
        hyd,
        groups=hyd["compound"],
        seed=seed,
        rounds=ch["rounds"],
        n_draws=ch["n_draws"],
        n_jobs=N_JOBS,  # the five folds in parallel
    )
    th = rh.table(threshold=HYD_T, frac=HYD_FRAC, n_boot=ch["n_boot"])
    rows_h = rh.result_rows(
        dataset="osaka_hydrides (authors' Tc, no structures)",
        split=SPLIT_H,
        threshold=HYD_T,
        frac=HYD_FRAC,
        n_boot=ch["n_boot"],
    )
    for row in rows_h:
        results.record(**row)
display(Markdown(f"**{OSAKA}**, {len(hyd)} rows, k = {th['k'].iloc[0]}:"))
display(th.drop(columns=["k", "prevalence"]).round(3))
mae_h = rh.mae_comparison(n_boot=ch["n_boot"])
mh = {k: f"{x:+.1f}" for k, x in mae_h.items()}
display(
    Markdown(
        "Held-out MAE of the Tc medians: chained "
        f"{mae_h['mae_chained']:.1f} K, direct {mae_h['mae_direct']:.1f} K; "
        f"chained - direct {mh['diff']} K "
        f"[{mh['low']}, {mh['high']}] (compounds resampled)."
    )
)
display(rh.coverage().round(3))

# %% mystnb={"figure": {"caption": "Pooled precision at k of each ranking on held-out groups, with 95 % cluster-bootstrap intervals. Left: Alexandria, Tc of at least 10 K, top 5 %; right: the Osaka hydride table (Tc computed by its authors, no structures), Tc of at least 100 K, top 10 %. The dashed line is the prevalence (what a random ranking finds).", "name": "fig-discovery"}} tags=["hide-input"]
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
colors = ["C0", "C1", "C2", "0.45", "0.65", "0.85"]
for ax, tab, title in (
    (axes[0], ta, "Alexandria (held-out chemical systems)"),
    (axes[1], th, "Osaka hydride table (held-out compounds)"),
):
    names = ROUTES + REFS
    v = tab.loc[names, "precision@k"].to_numpy()
    err = np.vstack(
        [v - tab.loc[names, "CI low"], tab.loc[names, "CI high"] - v]
    ).clip(0)
    ax.barh(range(len(names)), v, xerr=err, color=colors, edgecolor="k")
    ax.axvline(tab["prevalence"].iloc[0], ls="--", c="k", lw=0.8)
    ax.set_yticks(range(len(names)), names, fontsize="small")
    ax.invert_yaxis()
    ax.set(
        xlabel="precision at k (fraction of the top k that are positives)"
    )
    ax.set_title(title)
plt.show()

# %% [markdown]
# ### The referee's checks: leakage and distance to the training data
#
# A grouped split can still leak: the same composition under two group labels, or the same
# composition at several pressures in different folds. The table counts both, and gives the
# distance (standardised Magpie features) from each held-out entry to its nearest training
# entry beside the training entries' own nearest-neighbour distance. The enrichment is then
# recomputed on the held-out entries *farther* than the median distance, where a model cannot
# lean on a near copy. The final model (section 3) is trained on every row and is never scored
# on them: every number above is out-of-fold.

# %%
leak = pd.DataFrame({"Alexandria": ra.leakage, OSAKA: rh.leakage}).T
display(leak.round(3))
far = ra.nn_heldout > np.median(ra.nn_heldout)
pf = ra.pooled(
    threshold=ALEX_T,
    frac=ALEX_FRAC,
    n_boot=ch["n_boot"],
    mask=far,
)
chain_far = pf.loc[D.CHAINED]
prev_far = float(ra.positive(ALEX_T)[far].mean())
display(
    Markdown(
        f"Far half of Alexandria ({int(far.sum())} entries, prevalence "
        f"{prev_far:.3f}): chained precision@5% "
        f"{chain_far['value']:.3f} "
        f"[{chain_far['low']:.3f}, {chain_far['high']:.3f}], "
        f"best single feature {pf.loc[D.BEST_FEATURE, 'value']:.3f}."
    )
)
feats = ra.features_chosen["feature"].value_counts()
display(Markdown(f"Best single features chosen per fold: {dict(feats)}"))

# %% [markdown]
# ### Robustness: the same claims under other defensible choices
#
# The main choices were fixed before the run (k = 5 %, Tc ≥ 10 K on Alexandria; k = 10 %,
# Tc ≥ 100 K on the hydrides; grouping by chemical system / compound; seed 2024). Each claim is
# re-evaluated with k of 2.5 % and 10 % (hydrides: 5 % and 20 %), thresholds of 5 K and 20 K
# (hydrides: 50 K and 150 K), four more seeds of the folds and models (one in fast mode), the
# other grouping
# (Alexandria: by composition, a weaker hold-out; hydrides: by chemical system, a stronger
# one). The two "at least as well" claims are also read the stricter way the review words
# them (chained *beats* direct: the interval above 0). A claim whose verdict flips under any of
# them is *fragile*. A threshold that leaves fewer than 20 positives is left out (precision at
# k is then capped far below 1 and the comparison is empty).

# %%
with ch.timed("robustness: seeds and groupings"):
    refit = dict(rounds=ch["rounds"], n_draws=ch["n_draws"], n_jobs=N_JOBS)
    # every fold of every alternative is one task of one parallel batch
    alt_a = D.retrospectives(
        XA,
        alex,
        alternatives={
            **{
                f"seed {s}": {"groups": alex["system"], "seed": s}
                for s in SEEDS
            },
            "grouped by composition": {
                "groups": alex["composition_group"],
                "seed": seed,
            },
        },
        **refit,
    )
    alt_h = D.retrospectives(
        XH,
        hyd,
        alternatives={
            **{
                f"seed {s}": {"groups": hyd["compound"], "seed": s}
                for s in SEEDS
            },
            "grouped by chemical system": {
                "groups": hyd["system"],
                "seed": seed,
            },
        },
        **refit,
    )


# %%
MIN_POSITIVES = 20  # fewer: precision at k is capped, the test says nothing


def variants(main, refits, *, t, frac, ks, ts):
    """Claim values: main choice, then k, threshold and refit changes."""
    nb = ch["n_boot"]
    choices = {"main": (main, t, frac)}
    for k in ks:
        choices[f"k = {k:.1%}"] = (main, t, k)
    for tt in ts:
        n_pos = int(main.positive(tt).sum())
        if n_pos < MIN_POSITIVES:
            print(f"Tc >= {tt:g} K left out: {n_pos} positives")
            continue
        choices[f"Tc >= {tt:g} K"] = (main, tt, frac)
    for name, r in refits.items():
        choices[name] = (r, t, frac)
    # the cluster bootstraps of every choice in parallel (same tables)
    D.pooled_many(list(choices.values()), n_boot=nb, n_jobs=N_JOBS)
    out = {
        name: r.claim_values(threshold=x, frac=f, n_boot=nb)
        for name, (r, x, f) in choices.items()
    }
    return pd.DataFrame(out).T


va = variants(
    ra,
    alt_a,
    t=ALEX_T,
    frac=ALEX_FRAC,
    ks=(0.025, 0.10),
    ts=(5.0, 20.0),
)
vh = variants(
    rh,
    alt_h,
    t=HYD_T,
    frac=HYD_FRAC,
    ks=(0.05, 0.20),
    ts=(50.0, 150.0),
)


STRICT = "stricter reading: chained beats direct (interval above 0)"


def alternatives(table, column, strict=None):
    rows = table.drop(index="main")
    alts = [{"choice": c, "value": v} for c, v in rows[column].items()]
    if strict is not None:
        alts.append(
            {
                "choice": STRICT,
                "value": bool(table.at["main", strict]),
            }
        )
    return alts


record(
    "pipeline.chained_at_least_direct_alexandria",
    bool(va.at["main", "at_least"]),
    note=f"precision@5% chained - direct {va.at['main', 'diff']} "
    f"({va.at['main', 'verdict']}); {len(alex)} Alexandria entries",
    alternatives=alternatives(va, "at_least", strict="beats"),
)
record(
    "pipeline.chained_at_least_direct_hydrides",
    bool(vh.at["main", "at_least"]),
    note=f"precision@10% chained - direct {vh.at['main', 'diff']} "
    f"({vh.at['main', 'verdict']}); {len(hyd)} rows of the Osaka table "
    "(Tc computed by its authors with their mu*, no structures)",
    alternatives=alternatives(vh, "at_least", strict="beats"),
)
record(
    "pipeline.screening_enriches",
    bool(va.at["main", "enriches"]),
    note=f"chained precision@5% {va.at['main', 'precision']} vs prevalence "
    f"{va.at['main', 'prevalence']:.3f} (DAF {va.at['main', 'daf']:.2f})",
    alternatives=alternatives(va, "enriches"),
)
display(Markdown("**Alexandria**, every choice:"))
display(va.drop(columns=["at_least", "beats"]))
display(Markdown(f"**{OSAKA}**, every choice:"))
display(vh.drop(columns=["at_least", "beats", "enriches", "daf"]))

# %% tags=["hide-input"]
tc_row = ta.loc[D.CHAINED]
ch.glue(
    "daf_alex",
    f"{tc_row['DAF']:.1f}× {tc_row['DAF CI']}",
)
ch.glue("daf_feature", f"{ta.loc[D.BEST_FEATURE, 'DAF']:.1f}×")
ch.glue(
    "vs_feature",
    f"{va.at['main', 'vs_feature']}",
)
for key, tab in (("diff_alex", va), ("diff_hyd", vh)):
    ch.glue(key, f"{tab.at['main', 'diff']}, a {tab.at['main', 'verdict']}")
ch.glue(
    "mae_alex",
    f"{mae_a['mae_chained']:.2f} K vs {mae_a['mae_direct']:.2f} K, "
    f"difference {mae_a['diff']:+.2f} K "
    f"[{mae_a['low']:+.2f}, {mae_a['high']:+.2f}]",
)
ch.glue(
    "cov_alex",
    f"{ca.loc['Tc chained (K)', '95 %']:.2f} (chained) and {ca.loc['Tc direct (K)', '95 %']:.2f} (direct)",
)
ch.glue("n_draws", f"{ch['n_draws']} per candidate")
ch.glue(
    "rho_alex",
    f"normal-score correlation {rho['copula']:+.2f} on held-out Alexandria systems",
)
v = verdicts().set_index("claim_id")
ch.glue(
    "robustness",
    ", ".join(
        f"{c.split('.')[-1].replace('_', ' ')} {v.at[c, 'robustness']}"
        for c in v.index
        if c.startswith("pipeline.")
    )
    or "not recorded",
)

# %% [markdown]
# ## 3. The trained pipeline and its model card
#
# The three stages are refitted on all rows of both tables (grouped calibration folds by
# chemical system) and saved with a model card: the registry names and sha256 of the data, the
# split, the retrospective (out-of-fold) metrics of per-table models built with the same recipe
# against the random and best-single-feature baselines, the λ-ω_log error
# correlation, the library versions and the sha256 of the model file. `reviewlib predict`
# refuses a file whose hash or library versions differ from its card. The applicability domain:
# elements absent from training, features outside the training range, and a nearest-neighbour
# distance (16 principal components of the standardised features) above the 95th percentile of
# the training entries' own distances; a query that *is* a training row is flagged
# (`in_training`) with the training Tc beside the prediction.

# %%
with ch.timed("train and save the model"):
    cols = ["id", "formula", "pressure_GPa", "dataset"]
    cols += ["lambda", "omega_log_K", "tc_K"]
    train = pd.concat([alex[cols], hyd[cols]], ignore_index=True)
    bundle = B.fit_bundle(
        pd.concat([XA, XH], ignore_index=True),
        train,
        groups=group_labels("chemical system", train["formula"]),
        seed=seed,
        rounds=ch["rounds"],
    )
    names = ("alexandria_ds_a", "alexandria_ds_b", "osaka_hydrides")
    best_a = float(ta.loc[D.BEST_FEATURE, "precision@k"])
    best_h = float(th.loc[D.BEST_FEATURE, "precision@k"])
    card = {
        "mode": mode,
        "data": [{"name": n, "sha256": get_record(n).sha256} for n in names],
        "split": "final model: all rows, never scored on them; metrics: "
        "5-fold GroupKFold by chemical system (Alexandria) and by "
        "compound (Osaka hydrides), out-of-fold",
        "metrics": {
            "alexandria_precision_at_5pct": ta["precision@k"].to_dict(),
            "hydrides_precision_at_10pct": th["precision@k"].to_dict(),
            "alexandria_coverage_95": ca["95 %"].round(3).to_dict(),
            "heldout_lambda_omega_log_rho": rho,
            "baselines": {
                "random": "precision = prevalence",
                "best single feature, Alexandria": best_a,
                "best single feature, hydrides": best_h,
            },
            "hydrides_coverage_95": rh.coverage()["95 %"].round(3).to_dict(),
            "note": "metrics of per-table models built with this recipe "
            "(Alexandria grouped by chemical system, hydrides by compound); "
            "the shipped model is one fit on both tables, never scored",
        },
        "seed": seed,
    }
    card_path = B.save_bundle(bundle, OUT / "model", card=card)
print(
    f"model: {card_path.parent / B.MODEL_FILE} "
    f"({bundle.card['model_size_bytes'] / 1e6:.2f} MB, {len(train)} rows, "
    f"λ-ω_log copula ρ {bundle.coupling.rho:+.2f}); card: {card_path}"
)

# %% [markdown]
# ## 4. Prospective screen
#
# Prototypes: the DS-B structures with the highest Tc. Two substitution routes make new
# compositions from them: each element replaced by its neighbour above or below in the same
# group (the top few prototypes), and pymatgen's data-mined substitution predictor (Hautier et
# al. 2011; its probability table ships with pymatgen, threshold 10⁻³ on the substitution
# probability). Most high-Tc prototypes are intermetallics (no oxidation-state guess) or
# hydrides (H⁻ is not in the predictor's table), so the data-mined route walks down the Tc
# ranking until as many prototypes gave a candidate. Compositions that a registry table with
# formulas holds are dropped: Alexandria DS-A and DS-B, the Osaka, SODNet and JARVIS (hydride and
# hydride + bulk parents) hydride tables, HTSC-2025, SuperCon (Stanev's release and SODNet's
# 3D table, which also covers the SuperCon side of 3DSC) and the Allen-Dynes 43 compilation.
# JARVIS DFT-3D Tc (identifiers only) and Tran-Vu (no formulas) cannot be checked.
# "New" means absent from these tables, not unknown to chemistry (WN and RuN, for example, are
# known nitrides). Duplicates across routes and prototypes are merged. Of the new compositions
# (the table below counts them per prototype), only `n_candidates` are relaxed and ranked, chosen
# before any Tc prediction: half the most probable data-mined substitutions, the rest drawn at
# random from the isovalent ones. This is a demonstration of the stages on a small pool, not a
# screen of every substitution. They are relaxed with CHGNet at 0 GPa (the Alexandria models are
# ambient-pressure models), as are the prototypes, ranked by the pipeline, and the top few get a
# harmonic phonon check with the same potential (an 8 × 8 × 8 q mesh; universal potentials
# such as CHGNet tend to soften phonons, so a check without imaginary modes is weak evidence
# of stability, and one with them is worth a DFT phonon calculation before it is discarded). A candidate outside the applicability domain,
# with a failed or unconverged relaxation, a lost prototype symmetry or imaginary modes is
# flagged, not hidden.

# %%
with ch.timed("prospective: candidates and relaxation"):
    known = S.known_compositions(
        [
            alex_all,
            osaka_raw.dropna(subset=["composition"]),
            load_sodnet_hydrides(with_structures=False),
            load_htsc2025(with_structures=False),
            load_stanev(warn=False).rename(columns={"name": "formula"}),
            load_supercon3d(),
            load_jarvis_hydride_plus_bulk()
            .dropna(subset=["parent_formula"])
            .rename(columns={"parent_formula": "formula"}),
            load_allen_dynes().rename(columns={"material": "formula"}),
        ]
    )
    print(f"{len(known)} compositions held by the registry tables checked")
    ds_b = alex_all[alex_all["dataset"] == "alexandria_ds_b"]
    protos = ds_b.nlargest(300, "tc_K").reset_index(drop=True)
    cands, per_proto = S.make_candidates(
        protos,
        known=known,
        n_candidates=ch["n_candidates"],
        n_prototypes=ch["n_prototypes"],
        seed=seed,
    )
    steps = ch["relax_steps"]
    relaxed, finals = PS.relax_candidates(
        cands,
        pressure_GPa=0.0,
        max_steps=steps,
    )
    proto_relaxed = S.relax_prototypes(
        protos,
        cands,
        pressure_GPa=0.0,
        max_steps=steps,
    )
display(per_proto)
n_ok = int((relaxed["status"] == "ok").sum())
print(f"{len(cands)} candidates relaxed ({n_ok} converged)")

# %%
with ch.timed("prospective: ranking and phonons"):
    ranked, failed = S.screen_table(
        cands,
        relaxed,
        finals,
        proto_relaxed,
        bundle,
        n_draws=ch["n_draws"],
        seed=seed,
        n_phonons=ch["n_phonons"],
    )
ch.glue("n_screen", str(len(ranked)))

# %% [markdown]
# A first-principles look at the top `n_gpaw` converged candidates: one GPAW PBE
# calculation of each relaxed primitive cell (plane waves, 500 eV; k-point density 4 Å⁻¹)
# gives the DFT pressure of the cell CHGNet relaxed at 0 GPa (far from 0: the potential and
# PBE disagree on its volume) and whether it is a metal (Kohn-Sham gap, DOS at E_F), which a
# phonon-mediated superconductor must be. It is a sanity check of the structure stage, not a
# Tc calculation. It is off in the published run ({glue:text}`n_gpaw` candidates): on two cores
# the PBE calculation of the top candidate's cell (Na2H4Au, with Au) did not finish within 13
# minutes. Raise `n_gpaw` in the full-mode settings above (`settings=` of `S.gpaw_check` takes
# other GPAW settings) to run it on a larger machine.

# %%
with ch.timed("prospective: GPAW check of the top candidates"):
    ranked = S.gpaw_check(ranked, finals, n_gpaw=ch["n_gpaw"])
    csv = OUT / "ranked_candidates.csv"
    ranked.drop(columns=["structure_index"]).to_csv(csv, index=False)
ch.glue("n_gpaw", str(ch["n_gpaw"]))
dft_cols = ["formula", "dft_pressure_GPa", "dft_gap_eV"]
dft_cols += ["dft_dos_ef_per_atom", "dft_metallic", "dft_note"]
skip = ["not checked (below the top)", "GPAW check off in this run"]
checked = ranked[~ranked["dft_note"].isin(skip)]
msg = "DFT pressure (GPa), Kohn-Sham gap (eV) and DOS at E_F "
msg += "(states/eV/atom) of the checked cells:"
display(Markdown(msg))
display(checked[dft_cols].round(3))
gp = []
for r in checked.itertuples():
    if r.dft_metallic is not None:
        kind = "a metal" if r.dft_metallic else "not a metal"
        gp.append(f"{r.formula} {r.dft_pressure_GPa:+.0f} GPa, {kind}")
none = "off (the top cell's PBE run did not finish in 13 min on 2 cores)"
ch.glue("gpaw_summary", "; ".join(gp) or none)
show = [
    "formula",
    "route",
    "tc_K_median",
    "tc_K_lo68",
    "tc_K_hi68",
    "lambda_median",
    "omega_log_K_median",
    "in_domain",
    "nn_distance",
    "relaxation",
    "spacegroup_kept",
    "imaginary_fraction",
    "dft_pressure_GPa",
    "dft_metallic",
]
display(
    Markdown(
        f"**{S.STATUS}.** Chained route, medians and 68 % intervals (Tc, "
        f"ω_log in K; enthalpy in eV/atom); every stage is in `{csv.name}`:"
    )
)
display(ranked[show].round(3))

# %% [markdown]
# ## 5. Verdicts

# %%
v = verdicts()
cols = ["quantity", "reported", "ours", "verdict", "robustness", "why"]
display(v[v["milestone"] == "pipeline"][cols])

# %% [markdown]
# **What this does not show.** The coupling models see only the composition and the pressure:
# polymorphs get the same prediction, and the relaxed structure enters only through the
# stability flags. Alexandria's Tc labels are Allen-Dynes at μ* = 0.10 while the chained route
# draws μ* over 0.10-0.13, so chained medians sit slightly below the labels. The hydride test
# scores the Osaka authors' own Tc (their μ*, their formulas), not a structure-based pipeline.
# The CSV's enthalpy difference to the prototype compares total CHGNet energies of different
# elements: it is not a stability measure (no formation energy, no hull) and is not shown.
# Like for like only up to μ*: the chained route draws μ* over 0.10-0.13 while Alexandria's
# labels use 0.10, which biases chained Tc low; and the joint (copula) draws cover less than
# independent draws (Section 2's coverage tables), so the chained intervals are too narrow. The GPAW check covers the top
# candidates only, at the CHGNet geometry. The harmonic CHGNet check says nothing
# about anharmonic or quantum-nuclear stabilisation (§2.7 and §3 of the review).

# %% tags=["hide-input"]
_ = ch.glue_claims(
    {
        "v_chain_alex": "pipeline.chained_at_least_direct_alexandria",
        "v_chain_hyd": "pipeline.chained_at_least_direct_hydrides",
        "v_enrich": "pipeline.screening_enriches",
    }
)

# %% [markdown]
# ## Use your own data
#
# With `table_csv` or `cif_dir` set, the model this run trained predicts your candidates (nothing
# is recorded against the review). The same works without a notebook:
# `reviewlib predict my.csv --out predictions.csv` (or `--model PATH`; `reviewlib predict --list`
# shows the model cards). In Python, `reviewlib.pipeline.predict(..., spectra={formula: a2F})`
# adds the Eliashberg Tc for candidates whose α²F you have.
#
# ```bash
# .venv/bin/papermill -k python3 \
#     notebooks/14_pipeline_future_superconductors.ipynb my_run.ipynb \
#     -p table_csv my_candidates.csv -p mode fast
# ```
#
# | column | content | example |
# |---|---|---|
# | `formula` | chemical formula | `LaH10` |
# | `pressure_GPa` | pressure in GPa, a number ≥ 0 | `170` |
#
# A row with an unparsable formula, an unknown element or a pressure that is not a number ≥ 0 is
# skipped and listed with its file, line and reason; a file without the two columns stops the run.
# `cif_dir` reads `*.cif`, `*.vasp` and `POSCAR*` files at 0 GPa; unreadable files are skipped
# and listed.

# %% tags=["hide-input"]
user = predict_user_inputs(
    table_csv=table_csv, cif_dir=cif_dir, model=bundle, seed=seed
)
if user is not None:
    display(user[0])

# %% tags=["hide-input"]
ch.finish().to_frame()
