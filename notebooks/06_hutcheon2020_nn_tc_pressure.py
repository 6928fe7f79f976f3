# %% [markdown]
# # Hutcheon et al. (2020): a neural network for Tc and operating pressure of binary hydrides
#
# §2.2-2.3 of the review {cite}`bai2024unveiling`: Hutcheon et al. {cite}`r25_hutcheon2020` trained a
# neural network on computed and measured binary-hydride data, with the hydrogen content **n**,
# the **van der Waals radius**, the **atomic and mass numbers** and the **electronic configuration**
# of the non-hydrogen element as inputs, to predict **Tc and the operating pressure**. Applied to
# EH_n for n = 1-32 over all elements, the top 10 % closest to ambient conditions (the review's
# Fig. 2) favour heavy **alkali and alkaline-earth** metals, with n spread fairly uniformly; a
# structure search then found **RbH12, 115 K at 50 GPa**. The network's RMSE is **33.7 K** over its
# whole dataset, and Tc of **Y, La and Th** hydrides is underestimated by **about 100 K**, even
# with them in the training set. Like Semenok et al., it gives relatively high Tc for **group-2
# and group-3** hydrides.
#
# **Data that stand in for Hutcheon's.** Their training table is not public. We use the binary
# hydrides of the Osaka hydride DB (computed Tc only, no experimental rows), de-duplicated with
# `reviewlib.hydrides.deduplicate` (one row per compound, space group and pressure: mu* closest to
# 0.10, averaged over source papers). Element data come from pymatgen {cite}`ong2013_pymatgen`.
# The network is a scikit-learn MLP, not their architecture.

# %% tags=["parameters"]
mode = "fast"  # "fast" (CI) or "full" (the real reproduction)
hydride_csv = None  # your own CSV with columns formula, pressure_GPa, tc_K; None: the Osaka hydride DB
seed = 2020  # seeds the networks, the folds and the bootstrap
n_max = 32  # largest hydrogen number n of the EH_n scan (n from 1)

# %% tags=["hide-input"]
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display
from pymatgen.core import Element

from reviewlib import hydrides as HY
from reviewlib.claims import record, set_recording, verdicts
from reviewlib.plots import periodic_table_heatmap

warnings.filterwarnings("ignore", message="No Pauling electronegativity")
warnings.filterwarnings("ignore", message="lbfgs failed to converge")
if mode not in ("fast", "full"):
    raise ValueError(f"mode must be 'fast' or 'full', got {mode!r}")
FAST = mode == "fast"
N_SEEDS = 1 if FAST else 5  # networks averaged per prediction
N_SPLITS = 5
ROOM_K = 293.0  # "ambient": room temperature (K) at zero pressure
t_start = time.perf_counter()
set_recording(hydride_csv is None)  # your own table is never recorded against the review
if hydride_csv is not None:
    print("Your own table: nothing is recorded against the review's claims.")

# %% [markdown]
# ## 1. Data and descriptors
#
# With `hydride_csv` set, rows come from your file (bad rows skipped and listed). Only binary
# hydrides are used. Inputs: Hutcheon's descriptors of the non-H element E of EH_n: `n_H` (H atoms
# per E atom), van der Waals radius (Å), Z, mass number, and the valence s, p, d, f electron counts
# (pymatgen's electronic structure outside the noble-gas core). Targets: Tc (K) and the pressure
# (GPa) at which it was computed.

# %%
if hydride_csv is not None:
    raw, skipped = HY.load_user_hydrides(hydride_csv)
    dataset = f"your table {hydride_csv}"
    print(f"{len(raw)} rows read; {len(skipped)} skipped")
    for reason in skipped["reason"]:
        print(f"skipped: {reason}")
else:
    from reviewlib.data.hydrides import load_osaka_hydrides

    raw = load_osaka_hydrides()
    dataset = "Osaka hydride DB"
data = HY.deduplicate(frame=raw, mu_star="closest")
binary = data[data["partner"].notna()].reset_index(drop=True)
desc = HY.hydride_descriptors(formulas=binary["formula"], pressures_GPa=binary["pressure_GPa"])
FEATURES = list(HY.HUTCHEON_COLUMNS)
X = desc[FEATURES].to_numpy(float)
Y = np.column_stack([binary["tc_K"], binary["pressure_GPa"]]).astype(float)
compounds = desc["compound"].to_numpy()
partners = desc["partner"].to_numpy()
display(
    pd.Series(
        {
            "binary rows": len(binary),
            "compounds": len(set(compounds)),
            "elements": len(set(partners)),
            "Tc range (K)": f"{Y[:, 0].min():.0f}-{Y[:, 0].max():.0f}",
            "pressure range (GPa)": f"{Y[:, 1].min():.0f}-{Y[:, 1].max():.0f}",
        }
    ).to_frame(dataset)
)


# %% [markdown]
# ## 2. The network and its errors
#
# An MLP (two hidden layers of 16 units, tanh, L-BFGS, weight decay alpha = 10; inputs and both
# targets standardised) predicts Tc and pressure together, averaged over 5 initialisations in
# full mode (1 in fast mode). The weight decay was chosen among four settings (alpha = 1, 3, 10
# and widths 8, 16x16, 32) on the compound-grouped error below (alpha = 1 gave 69.6 K, no better
# than the baseline; alpha = 10 gave 52.5 K), so that error is slightly optimistic; L-BFGS
# convergence warnings of the strongly regularised fits are silenced. Errors out of fold under two grouped splits, beside the training
# mean and median: **by compound** (no compound in training and test; the RMSE over every row's
# out-of-fold prediction is ours for the reported 33.7 K) and **by element** (all hydrides of an
# element held out together: a new element, as in the scan of section 3). The review does not say
# whether 33.7 K is a training or a test error, so the in-sample error is shown too. A compound
# appears at several pressures with the same inputs, so no model can fit all its rows: that
# spread sets a floor under the error.


# %%
class SeedAverage:
    """Average of several seeded regressors (an ensemble over initialisations)."""

    def __init__(self, factory, seeds):
        self.factory, self.seeds = factory, list(seeds)

    def fit(self, X, y):
        from sklearn.exceptions import ConvergenceWarning

        with (
            warnings.catch_warnings()
        ):  # also inside joblib workers, where the notebook's filters do not reach
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.models_ = [self.factory(s).fit(X, y) for s in self.seeds]
        return self

    def predict(self, X):
        return np.mean([m.predict(X) for m in self.models_], axis=0)


def make_mlp(s):
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.neural_network import MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    net = MLPRegressor(
        hidden_layer_sizes=(16, 16),
        activation="tanh",
        solver="lbfgs",
        alpha=10.0,
        max_iter=2000,
        random_state=s,
    )
    return TransformedTargetRegressor(
        regressor=make_pipeline(StandardScaler(), net), transformer=StandardScaler()
    )


def make_model(s):
    return SeedAverage(make_mlp, range(s, s + N_SEEDS))


t0 = time.perf_counter()
by_compound = HY.grouped_oof(make_model=make_model, X=X, y=Y, groups=compounds, seed=seed, n_jobs=2)
by_element = HY.grouped_oof(make_model=make_model, X=X, y=Y, groups=partners, seed=seed, n_jobs=2)
final = make_model(seed).fit(X, Y)
in_sample = final.predict(X)
tables = {}
for j, (target, unit) in enumerate([("Tc", "K"), ("pressure", "GPa")]):
    preds = {
        "MLP, grouped by compound": by_compound["model"][:, j],
        "MLP, grouped by element": by_element["model"][:, j],
        "MLP, in sample (fit on all)": in_sample[:, j],
        "training mean (by compound)": by_compound["training mean"][:, j],
        "training median (by compound)": by_compound["training median"][:, j],
        "training mean (by element)": by_element["training mean"][:, j],
    }
    tables[target] = HY.model_table(y_true=Y[:, j], predictions=preds, seed=seed, unit=unit)
    display(Markdown(f"**{target} ({unit}), {len(Y)} binary rows, out-of-fold unless stated**"))
    display(tables[target].round(2))
rmse_cv = tables["Tc"].loc["MLP, grouped by compound", "RMSE (K)"]
rmse_in = tables["Tc"].loc["MLP, in sample (fit on all)", "RMSE (K)"]
beats = rmse_cv < tables["Tc"].loc["training mean (by compound)", "RMSE (K)"]
print(
    f"Tc: the MLP {'beats' if beats else 'does NOT beat'} the training mean; {time.perf_counter() - t0:.0f} s"
)
_ = record(
    "hutcheon2020.nn_rmse",
    float(rmse_cv),
    note=f"{dataset}: out-of-fold Tc RMSE, 5-fold GroupKFold by compound, {len(Y)} binary rows "
    f"(in sample {rmse_in:.1f} K; grouped by element {tables['Tc'].iloc[1, 0]:.1f} K)",
    mode=mode,
)

# %% [markdown]
# ### Y, La and Th hydrides
#
# The claim (about 100 K too low, even in the training set) is tested in sample, as the claims
# table operationalises it (mean of reference minus prediction over the Y, La and Th rows, model fit
# on all data), and out of sample (the element held out).

# %%
rows = []
for el in ("Y", "La", "Th"):
    m = partners == el
    rows.append(
        {
            "element": el,
            "rows": int(m.sum()),
            "max Tc in data (K)": Y[m, 0].max() if m.any() else np.nan,
            "mean (data - prediction), in sample (K)": float(np.mean(Y[m, 0] - in_sample[m, 0]))
            if m.any()
            else np.nan,
            "mean (data - prediction), element held out (K)": float(
                np.mean(Y[m, 0] - by_element["model"][m, 0])
            )
            if m.any()
            else np.nan,
            "max Tc predicted, in sample (K)": in_sample[m, 0].max() if m.any() else np.nan,
        }
    )
ylt = pd.DataFrame(rows).set_index("element")
mask = np.isin(partners, ["Y", "La", "Th"])
under_in = float(np.mean(Y[mask, 0] - in_sample[mask, 0]))
under_out = float(np.mean(Y[mask, 0] - by_element["model"][mask, 0]))
display(ylt.round(1))
print(
    f"Y, La, Th together ({int(mask.sum())} rows): underestimate {under_in:.1f} K in sample, {under_out:.1f} K held out"
)
_ = record(
    "hutcheon2020.yla_th_underestimate",
    under_in,
    note=f"{dataset}: in sample over {int(mask.sum())} Y/La/Th rows; element held out: {under_out:.1f} K",
    mode=mode,
)

# %% tags=["hide-input"]
fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
for ax, j, unit, name in ((axes[0], 0, "K", "Tc"), (axes[1], 1, "GPa", "pressure")):
    ax.scatter(Y[:, j], by_compound["model"][:, j], s=10, alpha=0.5, label="grouped by compound")
    ax.scatter(Y[mask, j], by_compound["model"][mask, j], s=14, c="C3", label="Y, La, Th hydrides")
    lim = [0, Y[:, j].max() * 1.05]
    ax.plot(lim, lim, "k--", lw=1, label="y = x")
    ax.set(xlabel=f"{name} in the data ({unit})", ylabel=f"out-of-fold {name} ({unit})")
    ax.legend(frameon=False, fontsize="small")
plt.show()

# %% [markdown]
# *Figure: out-of-fold predictions (grouped by compound) of Tc (K, left) and pressure (GPa,
# right) against the data; Y, La and Th hydrides in red.*
#
# ## 3. The EH_n map, n = 1-32, and the top 10 % closest to ambient conditions
#
# The network (fit on all rows) predicts Tc and pressure for EH_n, n = 1..32, for every element
# from Li to Pu (Z = 3-94). The review does not define "closest to ambient conditions" and we
# could not consult [25]'s definition, so we state ours: the distance from (Tc = 293 K, P = 0) in
# the plane of the two outputs, each scaled by its standard deviation in the training data,
# d = sqrt(((293 K - Tc) / σ_Tc)² + (P / σ_P)²), with predictions clipped at 0.
#
# **Caveat.** The scan extrapolates far beyond the 56 elements in the data (Rb, Cs and most
# f-block elements have no binary hydride row), so its ranking depends on the network's
# regularisation: in a trial run with alpha = 1 (rejected above for its worse grouped error) Cs,
# Rb, Ba and K filled the top of the list, with alpha = 10 they do not. Treat the statements of
# this section as properties of this model on these data, not as a test of Hutcheon's model.

# %%
symbols = [Element.from_Z(z).symbol for z in range(3, 95)]
grid = pd.DataFrame([(el, n) for el in symbols for n in range(1, n_max + 1)], columns=["element", "n"])
grid_desc = HY.hydride_descriptors(
    formulas=[f"{el}H{n}" for el, n in zip(grid["element"], grid["n"], strict=True)],
    pressures_GPa=np.zeros(len(grid)),
)
pred = final.predict(grid_desc[FEATURES].to_numpy(float))
grid["Tc_K"] = np.clip(pred[:, 0], 0, None)
grid["P_GPa"] = np.clip(pred[:, 1], 0, None)
grid["Z"] = grid_desc["Z"].astype(int).to_numpy()
sd_tc, sd_p = Y[:, 0].std(), Y[:, 1].std()
grid["distance"] = np.sqrt(((ROOM_K - grid["Tc_K"]) / sd_tc) ** 2 + (grid["P_GPa"] / sd_p) ** 2)
top = grid.nsmallest(int(round(0.1 * len(grid))), "distance")
print(f"{len(grid)} hydrides scanned; top 10 %: {len(top)}")
display(top.head(12).round(1).reset_index(drop=True))

# %% tags=["hide-input"]
fig, axes = plt.subplots(2, 1, figsize=(12, 7), layout="constrained", sharex=True)
for ax, col, label in ((axes[0], "Tc_K", "predicted Tc (K)"), (axes[1], "P_GPa", "predicted pressure (GPa)")):
    img = grid.pivot(index="n", columns="Z", values=col)
    mesh = ax.pcolormesh(img.columns, img.index, img.to_numpy(), shading="nearest", cmap="inferno")
    fig.colorbar(mesh, ax=ax, label=label)
    ax.set(ylabel="H atoms per E atom, n (-)")
axes[1].set(xlabel="atomic number Z of E (-)")
plt.show()

# %% [markdown]
# *Figure: the network's map of EH_n (Z = 3-94, n = 1-32): predicted Tc (K, top) and operating
# pressure (GPa, bottom).*
#
# Redrawing the review's Fig. 2: the distributions of n and of Z in the top 10 %, with the alkali
# metals dashed.

# %%
alkali = [el.Z for el in map(Element, symbols) if el.is_alkali]
fig, axes = plt.subplots(2, 1, figsize=(10, 6), layout="constrained")
axes[0].hist(top["n"], bins=np.arange(0.5, n_max + 1.5, 1), color="C0")
axes[0].set(xlabel="H atoms per E atom, n (-)", ylabel="hydrides in the top 10 % (-)")
axes[1].hist(top["Z"], bins=np.arange(2.5, 95.5, 1), color="C1")
for z in alkali:
    axes[1].axvline(z, color="k", ls="--", lw=0.8)
axes[1].set(xlabel="atomic number Z of E (dashed: alkali metals) (-)", ylabel="hydrides in the top 10 % (-)")
plt.show()
heavy = ["K", "Rb", "Cs", "Ca", "Sr", "Ba"]
share_top = float(top["element"].isin(heavy).mean())
share_all = len([e for e in heavy if e in symbols]) / len(symbols)
max_n_share = float(top["n"].value_counts().max() / len(top))
counts = top["element"].value_counts()
print(f"elements most often in the top 10 %: {counts.head(10).to_dict()}")
print(
    f"K, Rb, Cs, Ca, Sr, Ba: {share_top:.1%} of the top 10 % against {share_all:.1%} of the elements scanned"
)
print(f"largest share of one n in the top 10 %: {max_n_share:.1%} (3/32 = {3 / 32:.1%})")
_ = record(
    "hutcheon2020.top10_heavy_alkali_alkaline_earth",
    bool(share_top > share_all),
    note=f"{dataset}: {share_top:.1%} of the top 10 % vs {share_all:.1%} of elements; top: {counts.head(5).to_dict()}",
    mode=mode,
)
_ = record(
    "hutcheon2020.top10_n_spread",
    bool(max_n_share <= 3 / 32),
    note=f"{dataset}: largest share of one n in the top 10 % {max_n_share:.1%}",
    mode=mode,
)

# %% [markdown]
# *Figure: the top 10 % of EH_n closest to ambient conditions (our measure): counts by n (top)
# and by Z of E (bottom).*
#
# ### Group-2 and group-3 hydrides
#
# Maximum predicted Tc over n per element, on the periodic table. Groups 2 (pymatgen) and 3
# (Sc, Y, La, Ac: the review's d1 belt) against all elements scanned.

# %%
max_pred = grid.groupby("element")["Tc_K"].max()
g2 = [e for e in symbols if Element(e).group == 2]
g3 = list(HY.LABILITY_BELT["d1"])
med_23 = float(max_pred[g2 + g3].median())
med_all = float(max_pred.median())
_ = record(
    "hutcheon2020.groups_2_3_high_tc",
    bool(med_23 > med_all),
    note=f"{dataset}: median max predicted Tc {med_23:.0f} K (groups 2, 3) vs {med_all:.0f} K (all)",
    mode=mode,
)
fig, ax = plt.subplots(figsize=(10, 5.4))
periodic_table_heatmap(
    values=max_pred.to_dict(), ax=ax, label="maximum predicted Tc over n = 1-32 (K)", cmap="inferno"
)
plt.show()
print(f"median of the maximum predicted Tc: groups 2 and 3 {med_23:.0f} K, all elements {med_all:.0f} K")

# %% [markdown]
# *Figure: the network's maximum predicted Tc (K) over EH_n, n = 1-32, per element.*
#
# ## 4. RbH12

# %%
rb = grid[(grid["element"] == "Rb") & (grid["n"] == 12)].iloc[0]
rank = int((grid["distance"] < rb["distance"]).sum()) + 1
rb_tab = pd.DataFrame(
    {"Tc (K)": [115.0, rb["Tc_K"]], "pressure (GPa)": [50.0, rb["P_GPa"]]},
    index=["Hutcheon et al. (DFT after structure search)", "our MLP"],
)
display(rb_tab.round(1))
print(f"RbH12 ranks {rank} of {len(grid)} by distance to ambient (top 10 %: {rank <= len(top)})")
_ = record(
    "hutcheon2020.rbh12_tc", float(rb["Tc_K"]), note=f"{dataset}: MLP, rank {rank} of {len(grid)}", mode=mode
)
_ = record(
    "hutcheon2020.rbh12_pressure", float(rb["P_GPa"]), note=f"{dataset}: MLP pressure output", mode=mode
)

# %% [markdown]
# ## 5. Summary

# %%
lines = [
    f"* Data: {dataset}, {len(Y)} binary rows, {len(set(compounds))} compounds, {len(set(partners))} elements; {mode} mode.",
    f"* Tc RMSE: {rmse_cv:.1f} K grouped by compound, {tables['Tc'].iloc[1, 0]:.1f} K grouped by element, "
    f"{rmse_in:.1f} K in sample; training mean {tables['Tc'].loc['training mean (by compound)', 'RMSE (K)']:.1f} K "
    "(reported 33.7 K).",
    f"* Y, La, Th: mean underestimate {under_in:.0f} K in sample, {under_out:.0f} K held out (reported about 100 K).",
    f"* Top 10 %: K, Rb, Cs, Ca, Sr, Ba make {share_top:.0%} (vs {share_all:.0%} of elements); largest share of one n {max_n_share:.0%}.",
    f"* RbH12: {rb['Tc_K']:.0f} K at {rb['P_GPa']:.0f} GPa (reported 115 K at 50 GPa).",
]
display(Markdown("\n".join(lines)))
ver = verdicts()
display(
    ver[ver["milestone"] == "hutcheon2020"][["claim_id", "reported", "unit", "ours", "tolerance", "verdict"]]
)
print(f"total wall time {time.perf_counter() - t_start:.0f} s ({mode} mode)")
