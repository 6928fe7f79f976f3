# %% [markdown]
# # Data overview
#
# :::{admonition} This chapter in short
# :class: tip
#
# - **What it shows.** Every dataset of the `reviewlib` registry, loaded through its loader: rows,
#   structures, $T_c$ distributions, element coverage and the pressures of the hydride sets.
# - **Headline numbers** ({glue:text}`mode` mode). {glue:text}`n_datasets` datasets with
#   {glue:text}`n_rows` table rows and {glue:text}`n_structures` crystal structures;
#   {glue:text}`n_cifs` 3DSC_MP CIFs parsed in this run.
# - **Run time.** {glue:text}`run_time`.
# :::
#
# Every dataset in the `reviewlib` registry, loaded through its loader: how many rows and
# structures it holds, its $T_c$ distribution (K), which elements it covers, and, for the hydride
# sets, the pressures (GPa) at which $T_c$ was computed. The datasets are the SuperCon table of
# Stanev et al. {cite}`r39_stanev2018` and the 3DSC structures matched to it
# {cite}`sommer2023_3dsc`, the SuperCon3D/SODNet tables {cite}`chen2024_sodnet`, the Osaka
# hydride table (probably the data of Ishikawa et al. {cite}`r24_ishikawa2019`; the attribution is
# inferred), the featurized sets of Tran & Vu {cite}`r22_tran2023`, the JARVIS hydride and bulk
# benchmarks {cite}`wines2024_hydride,r28_choudhary2022`, the Alexandria electron-phonon sets
# {cite}`cerqueira2024_alexandria`, HTSC-2025 {cite}`han2025_htsc` and the Allen-Dynes reference
# set {cite}`r38_allen1975,xie2019_functional`.
#
# Almost all hydride $T_c$ values are DFT predictions (McMillan/Allen-Dynes or Eliashberg), not
# measurements. SuperCon and 3DSC hold experimental values.

# %% tags=["parameters"]
mode = "fast"  # "fast" (CI, a few minutes at most) or "full" (the real reproduction)
n_cifs_fast = 300  # 3DSC_MP CIFs parsed in fast mode (all 5,773 in full mode); other sets are small
n_jobs = 2  # processes for CIF parsing in full mode

# %% tags=["hide-input"]
import warnings
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from reviewlib import chapter, chem
from reviewlib import data as D
from reviewlib.plots import periodic_table_heatmap
from reviewlib.structures import read_cifs

ch = chapter.start(
    "00_data_overview",
    mode=mode,
    fast={"n_cifs": n_cifs_fast, "n_jobs": 1},
    full={"n_cifs": None, "n_jobs": n_jobs},
)
pd.set_option("display.width", 160)
pd.set_option("display.max_columns", 20)


def elements_of(formula: str) -> tuple[str, ...]:
    """Sorted element symbols of a plain formula (D and T count as H); () when it does not parse."""
    try:
        return tuple(sorted(str(el) for el in chem.parse_formula(formula, brackets=False).elements))
    except ValueError:
        return ()


def load_quietly(label, func, *args, **kwargs):
    """Call a loader, collecting its warnings (printed once, summarised) instead of leaking them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = func(*args, **kwargs)
    for w in caught:
        if issubclass(w.category, UserWarning):
            print(f"[{label}] {str(w.message)[:160]}")
    return frame


# %% [markdown]
# ## Loading every dataset
#
# Each loader resolves its file through the registry, which checks the sha256 before anything is
# read. Loader warnings (formulas that do not parse, suspicious ids) are summarised below; nothing
# is dropped silently.

# %% tags=["hide-input"]
t0 = ch.elapsed()
stanev = load_quietly("stanev", D.load_stanev)
dsc_mp = load_quietly("3dsc_mp", D.load_3dsc_mp, with_structures=False)
dsc_icsd = D.load_3dsc_icsd_ids()
id_prop = D.load_id_prop()
sc3d = D.load_supercon3d()
sc3d_refs = pd.read_csv(D.fetch("supercon3d_references", progress=False))
allen = D.load_allen_dynes()
osaka = load_quietly("osaka", D.load_osaka_hydrides)
tv_lambda = D.load_tranvu("lambda")
tv_omlog = D.load_tranvu("omega_log")
jh = load_quietly("jarvis hydride", D.load_jarvis_hydride)
jhb = load_quietly("jarvis hydride+bulk", D.load_jarvis_hydride_plus_bulk)
j3d = D.load_jarvis_dft3d_tc()
atomgen = D.load_jarvis_atomgen()
alignn_h = D.load_alignn_predictions("hydride")
alignn_hb = D.load_alignn_predictions("hydride_plus_bulk")
alex_a = D.load_alexandria("A")
alex_b = D.load_alexandria("B")
htsc = D.load_htsc2025()
sodnet = load_quietly("sodnet", D.load_sodnet_hydrides)

# 3DSC_MP structures: a seeded subsample in fast mode, all in full mode
cif_dir = Path(D.fetch("3dsc_mp_cifs", progress=False))
cif_names = dsc_mp["cif"].tolist()
if ch["n_cifs"] is not None:
    rng = np.random.default_rng(0)
    cif_names = sorted(rng.choice(cif_names, size=min(ch["n_cifs"], len(cif_names)), replace=False))
dsc_structures = read_cifs([cif_dir / n for n in cif_names], n_jobs=ch["n_jobs"], progress=False)
ch.timings["load"] = ch.elapsed() - t0
print(f"3DSC_MP: parsed {len(dsc_structures)} of {len(dsc_mp)} CIFs ({mode} mode)")
print(f"loading took {ch.timings['load']:.0f} s")

# %% [markdown]
# ## Summary
#
# One row per registry dataset, in three tables (size and $T_c$; composition coverage; where
# it comes from). `rows` is the number of table rows the loader returns,
# `structures` the number of crystal structures available (0 when the dataset has none), $T_c$
# columns are in K and pressures in GPa ("ambient" for sets computed at zero pressure, "n/a" when
# the source gives none). `rows with composition` counts the rows whose elements are known;
# `elements covered` and `rows with H` refer to those rows. The JARVIS pressure comes from the entry id; 21 hydride ids and the
# bulk ids carry no pressure tag and are ambient-pressure JARVIS-DFT entries.

# %% tags=["hide-input"]
# element tuples per dataset (for coverage), Tc arrays (K), pressures (GPa)
dsc_mp["elements"] = dsc_mp["formula_sc"].map(elements_of)
dsc_icsd["elements"] = dsc_icsd["formula_sc"].map(elements_of)
sc3d["elements"] = sc3d["formula"].map(elements_of)
allen["elements"] = allen["material"].str.replace(r"^(alpha|beta)-|\(\d\)$", "", regex=True).map(elements_of)
j3d = j3d.merge(atomgen[["jid", "elements"]], on="jid", how="left")
jh_lit = jh[jh["parent_composition"].notna()]
jh_elements = [tuple(sorted(el.symbol for el in c.elements)) for c in jh_lit["parent_composition"]]

datasets = {
    # label: (registry name, loader, frame, n structures, elements, Tc (K), pressure (GPa) or note, citation)
    "SuperCon (Stanev)": (
        "stanev_supercon",
        "load_stanev",
        stanev,
        0,
        stanev["elements"],
        stanev["tc_K"],
        "n/a",
        "r39_stanev2018",
    ),
    "3DSC_MP": (
        "3dsc_mp_cifs",
        "load_3dsc_mp",
        dsc_mp,
        len(dsc_mp),
        dsc_mp["elements"],
        dsc_mp["tc_K"],
        "n/a",
        "sommer2023_3dsc",
    ),
    "3DSC_ICSD (ids only)": (
        "3dsc_icsd_ids",
        "load_3dsc_icsd_ids",
        dsc_icsd,
        0,
        dsc_icsd["elements"],
        dsc_icsd["tc_K"],
        "n/a",
        "sommer2023_3dsc",
    ),
    "3DSC_MP id_prop": (
        "3dsc_mp_id_prop",
        "load_id_prop",
        id_prop,
        0,
        None,
        id_prop["tc_K"],
        "n/a",
        "sommer2023_3dsc",
    ),
    "SuperCon3D table": (
        "supercon3d_table",
        "load_supercon3d",
        sc3d,
        0,
        sc3d["elements"],
        sc3d["tc_K"],
        "n/a",
        "chen2024_sodnet",
    ),
    "SuperCon3D references": (
        "supercon3d_references",
        "(pandas)",
        sc3d_refs,
        0,
        None,
        None,
        "n/a",
        "chen2024_sodnet",
    ),
    "Allen-Dynes 43": (
        "allen_dynes_43",
        "load_allen_dynes",
        allen,
        0,
        allen["elements"],
        allen["tc_K"],
        "ambient",
        "r38_allen1975",
    ),
    "Osaka hydrides": (
        "osaka_hydrides",
        "load_osaka_hydrides",
        osaka,
        0,
        osaka["elements"],
        osaka["tc_K"],
        osaka["pressure_GPa"],
        "r24_ishikawa2019",
    ),
    "Tran-Vu lambda": (
        "tranvu_lambda",
        "load_tranvu('lambda')",
        tv_lambda,
        0,
        None,
        None,
        "n/a",
        "r22_tran2023",
    ),
    "Tran-Vu omega_log": (
        "tranvu_omega_log",
        "load_tranvu('omega_log')",
        tv_omlog,
        0,
        None,
        None,
        "n/a",
        "r22_tran2023",
    ),
    "JARVIS hydride": (
        "jarvis_hydride_tc",
        "load_jarvis_hydride",
        jh,
        0,
        jh_elements,
        jh["tc_K"],
        jh["pressure_GPa"],
        "wines2024_hydride",
    ),
    "JARVIS hydride+bulk": (
        "jarvis_hydride_plus_bulk_tc",
        "load_jarvis_hydride_plus_bulk",
        jhb,
        0,
        None,
        jhb["tc_K"],
        jhb["pressure_GPa"],
        "wines2024_hydride",
    ),
    "JARVIS DFT-3D Tc": (
        "jarvis_dft3d_tc",
        "load_jarvis_dft3d_tc",
        j3d,
        0,
        j3d["elements"],
        j3d["tc_K"],
        "ambient",
        "r28_choudhary2022",
    ),
    "JARVIS AtomGen": (
        "jarvis_atomgen_structures",
        "load_jarvis_atomgen",
        atomgen,
        len(atomgen),
        atomgen["elements"],
        None,
        "ambient",
        "r28_choudhary2022",
    ),
    "ALIGNN hydride test": (
        "alignn_hydride_predictions",
        "load_alignn_predictions('hydride')",
        alignn_h,
        0,
        None,
        alignn_h["tc_K"],
        "see JARVIS hydride",
        "wines2024_hydride",
    ),
    "ALIGNN hydride+bulk test": (
        "alignn_hydride_plus_bulk_predictions",
        "load_alignn_predictions('hydride_plus_bulk')",
        alignn_hb,
        0,
        None,
        alignn_hb["tc_K"],
        "see JARVIS hydride+bulk",
        "wines2024_hydride",
    ),
    "Alexandria DS-A": (
        "alexandria_ds_a",
        "load_alexandria('A')",
        alex_a,
        len(alex_a),
        alex_a["elements"],
        alex_a["tc_K"],
        "ambient",
        "cerqueira2024_alexandria",
    ),
    "Alexandria DS-B": (
        "alexandria_ds_b",
        "load_alexandria('B')",
        alex_b,
        len(alex_b),
        alex_b["elements"],
        alex_b["tc_K"],
        "ambient",
        "cerqueira2024_alexandria",
    ),
    "HTSC-2025": (
        "htsc2025",
        "load_htsc2025",
        htsc,
        len(htsc),
        htsc["elements"],
        htsc["tc_K"],
        "ambient",
        "han2025_htsc",
    ),
    "SODNet hydrides": (
        "sodnet_hydride_table",
        "load_sodnet_hydrides",
        sodnet,
        int(sodnet["has_cif"].sum()),
        sodnet["elements"],
        sodnet["tc_K"],
        "n/a",
        "chen2024_sodnet",
    ),
}


def pressure_text(p) -> str:
    if isinstance(p, str):
        return p
    return f"{p.min():g}-{p.max():g}"


def known(elements) -> list:
    return [] if elements is None else [els for els in elements if isinstance(els, tuple) and els]


rows = []
for label, (reg, loader, frame, n_struct, elements, tc, pressure, cite) in datasets.items():
    tc = None if tc is None else np.asarray(tc, dtype=float)
    covered = set() if elements is None else {el for els in elements for el in els}
    rows.append(
        {
            "dataset": label,
            "registry name": reg,
            "loader": loader,
            "rows": len(frame),
            "structures": n_struct,
            "Tc min (K)": np.nan if tc is None else tc.min(),
            "Tc median (K)": np.nan if tc is None else np.median(tc),
            "Tc max (K)": np.nan if tc is None else tc.max(),
            "pressure (GPa)": pressure_text(pressure),
            "rows with composition": len(known(elements)) if elements is not None else pd.NA,
            "elements covered": len(covered) if elements is not None else pd.NA,
            "rows with H": sum("H" in els for els in known(elements)) if elements is not None else pd.NA,
            "citation": cite,
        }
    )
summary = pd.DataFrame(rows).set_index("dataset")
for col in ("rows with composition", "elements covered", "rows with H"):
    summary[col] = summary[col].astype("Int64")
# three narrow tables instead of one wide one (the page is about 680 px wide)
size_cols = ["rows", "structures", "Tc min (K)", "Tc median (K)", "Tc max (K)", "pressure (GPa)"]
coverage_cols = ["rows with composition", "elements covered", "rows with H"]
source_cols = ["registry name", "loader", "citation"]
display(summary[size_cols].style.format(precision=1, na_rep="–").set_caption("Size, Tc and pressure"))
display(summary[coverage_cols].style.format(na_rep="–").set_caption("Composition coverage"))
display(summary[source_cols].style.set_caption("Registry name, loader and source"))

# %% [markdown]
# Notes on the counts:
#
# - The SODNet table has 103 literature hydrides; 88 of them join a redistributable CIF (the 15
#   ICSD-derived CIFs were not copied). Three of the 88 CIFs hold a different formula than their
#   table row (Hf1H10 and Zr1H10 contain M$_6$H$_{20}$ cells, N1S1H5 an S$_8$N$_8$H$_{20}$ cell).
# - JARVIS hydride+bulk has 1,993 entries: the 953 hydride entries, 1,039 untagged
#   ambient-pressure bulk entries and one pressure-tagged hydride entry that is not in the
#   hydride-only benchmark. Element coverage of the JARVIS hydride set is shown only for the 197
#   entries whose literature parent names a formula; the JARVIS parent structures are not in
#   the registry.
# - The Tran-Vu tables are featurized only (no formulas, no Tc): the targets are $\lambda$ and
#   $\omega_{\log}$, shown further below.

# %% tags=["hide-input"]
print(
    "SODNet join:",
    sodnet.attrs["n_joined"],
    "of",
    len(sodnet),
    "rows have a CIF;",
    "CIF formula differs for",
    int(sodnet["cif_matches_formula"].eq(False).sum()),
)  # noqa: E712
print(
    "ALIGNN test ids found in the benchmark:",
    alignn_h["id"].isin(jh.loc[jh["split"] == "test", "id"]).sum(),
    "of",
    len(alignn_h),
    "(hydride),",
    alignn_hb["id"].isin(jhb.loc[jhb["split"] == "test", "id"]).sum(),
    "of",
    len(alignn_hb),
    "(hydride+bulk)",
)
print("JARVIS DFT-3D Tc ids with an AtomGen structure:", int(j3d["elements"].notna().sum()), "of", len(j3d))

# %% [markdown]
# ## $T_c$ distributions
#
# Histograms of $T_c$ (K) per dataset, on a log count axis so that the long high-$T_c$ tails stay
# visible. The hydride sets reach room temperature because they are high-pressure predictions;
# the ambient-pressure electron-phonon sets (Alexandria, JARVIS DFT-3D) stay below about 45 K.

# %% mystnb={"figure": {"caption": "$T_c$ distribution (K) of every dataset that gives one, on a logarithmic count axis.", "name": "fig-data-tc"}} tags=["hide-input"]
with_tc = [(label, np.asarray(v[5], dtype=float)) for label, v in datasets.items() if v[5] is not None]
ncols = 4
nrows = int(np.ceil(len(with_tc) / ncols))
fig, axes = plt.subplots(nrows, ncols, figsize=(16, 3.0 * nrows), layout="constrained")
for ax, (label, tc) in zip(axes.flat, with_tc, strict=False):
    ax.hist(tc, bins=40, color="tab:blue", alpha=0.8)
    ax.set_yscale("log")
    ax.set_title(f"{label} (n = {len(tc):,})", fontsize=9)
    ax.set_xlabel("$T_c$ (K)")
    ax.set_ylabel("count")
for ax in list(axes.flat)[len(with_tc) :]:
    ax.axis("off")
plt.show()

# %% [markdown]
# The Tran-Vu targets, and the Alexandria $\lambda$ and $\omega_{\log}$ for comparison
# (ambient pressure):

# %% mystnb={"figure": {"caption": "Electron-phonon coupling $\\lambda$ (left) and logarithmic average phonon frequency $\\omega_{\\log}$ in K (right): the Tran-Vu targets beside Alexandria DS-A, as densities.", "name": "fig-data-lambda"}} tags=["hide-input"]
fig, axes = plt.subplots(1, 2, figsize=(11, 3.4), layout="constrained")
axes[0].hist(tv_lambda["lambda"], bins=40, alpha=0.7, label=f"Tran-Vu (n = {len(tv_lambda)})", density=True)
axes[0].hist(
    alex_a["lambda"], bins=80, alpha=0.5, label=f"Alexandria DS-A (n = {len(alex_a):,})", density=True
)
axes[0].set_xlabel(r"$\lambda$ (dimensionless)")
axes[0].set_ylabel("density")
axes[0].legend(frameon=False)
axes[1].hist(
    tv_omlog["omega_log_K"], bins=40, alpha=0.7, label=f"Tran-Vu (n = {len(tv_omlog)})", density=True
)
axes[1].hist(
    alex_a["omega_log_K"], bins=80, alpha=0.5, label=f"Alexandria DS-A (n = {len(alex_a):,})", density=True
)
axes[1].set_xlabel(r"$\omega_{\log}$ (K)")
axes[1].set_ylabel("density (1/K)")
axes[1].legend(frameon=False)
plt.show()

# %% [markdown]
# ## Element coverage
#
# For each dataset with compositions: the number of rows that contain each element (log colour
# scale; grey = absent).

# %% mystnb={"figure": {"caption": "Element coverage: the number of rows of each dataset that contain each element (logarithmic colour scale; grey: absent).", "name": "fig-data-elements"}} tags=["hide-input"]
with_elements = [(label, v[4]) for label, v in datasets.items() if v[4] is not None]
ncols = 2
nrows = int(np.ceil(len(with_elements) / ncols))
fig, axes = plt.subplots(nrows, ncols, figsize=(16, 4.3 * nrows), layout="constrained")
for ax, (label, elements) in zip(axes.flat, with_elements, strict=False):
    counts = Counter(el for els in elements if els is not None and els == els for el in els)
    periodic_table_heatmap(
        values=dict(counts),
        ax=ax,
        label="rows containing element",
        log=True,
        title=f"{label} ({len(counts)} elements)",
    )
for ax in list(axes.flat)[len(with_elements) :]:
    ax.axis("off")
plt.show()

# %% [markdown]
# ## Pressure of the hydride sets
#
# $T_c$ against pressure (GPa) for the two sets that give one. The Osaka table reaches 2,000 GPa
# (Ar-H, mostly the authors' own calculations); the JARVIS hydrides were computed at seven
# pressures between 0 and 500 GPa.

# %% mystnb={"figure": {"caption": "$T_c$ against pressure (GPa) for the Osaka hydride table (left, symmetric logarithmic pressure axis) and the JARVIS hydrides (right, literature parents in red).", "name": "fig-data-pressure"}} tags=["hide-input"]
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), layout="constrained")
axes[0].scatter(osaka["pressure_GPa"], osaka["tc_K"], s=8, alpha=0.5)
axes[0].set_xscale("symlog", linthresh=10)
axes[0].set_title(f"Osaka hydrides (n = {len(osaka)})")
axes[1].scatter(
    jh["pressure_GPa"] + np.random.default_rng(0).uniform(-6, 6, len(jh)),
    jh["tc_K"],
    s=8,
    alpha=0.5,
    c=jh["parent_kind"].eq("literature").map({True: "tab:red", False: "tab:blue"}),
)
axes[1].set_title(f"JARVIS hydrides (n = {len(jh)}; red: literature parents)")
axes[0].set_xlabel("pressure (GPa, symmetric log scale)")
axes[1].set_xlabel("pressure (GPa; points jittered by up to 6 GPa)")
for ax in axes:
    ax.set_ylabel("$T_c$ (K)")
plt.show()

pressure_table = (
    pd.DataFrame(
        {
            "Osaka hydrides": osaka["pressure_GPa"].describe(),
            "JARVIS hydride": jh["pressure_GPa"].describe(),
            "JARVIS hydride+bulk": jhb["pressure_GPa"].describe(),
        }
    )
    .T[["count", "min", "50%", "max"]]
    .rename(columns={"50%": "median"})
)
pressure_table.columns = [f"{c} (GPa)" if c != "count" else "rows" for c in pressure_table.columns]
pressure_table["rows"] = pressure_table["rows"].astype(int)
display(pressure_table)
display(
    jh.groupby("pressure_GPa")["tc_K"]
    .agg(["size", "median", "max"])
    .rename(columns={"size": "rows", "median": "median Tc (K)", "max": "max Tc (K)"})
)

# %% [markdown]
# ## Structures
#
# Sites per structure (3DSC_MP in fast mode: a seeded subsample of the CIFs).

# %% mystnb={"figure": {"caption": "Sites per structure (atoms in the cell) of each structure set; 3DSC_MP in fast mode is a seeded subsample.", "name": "fig-data-sites"}} tags=["hide-input"]
site_counts = {
    f"3DSC_MP ({len(dsc_structures):,} parsed)": [len(s) for s in dsc_structures],
    "Alexandria DS-A": alex_a["n_sites"],
    "Alexandria DS-B": alex_b["n_sites"],
    "JARVIS AtomGen": atomgen["n_sites"],
    "HTSC-2025": htsc["n_sites"],
    "SODNet hydrides (with CIF)": [len(s) for s in sodnet["structure"] if s is not None],
}
fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
ax.boxplot(list(site_counts.values()), orientation="horizontal", tick_labels=list(site_counts))
ax.set_xscale("log")
ax.set_xlabel("sites per structure (atoms in the cell)")
plt.show()

# %% tags=["hide-input"]
chapter.glue("n_datasets", f"{len(summary)}")
chapter.glue("n_rows", f"{int(summary['rows'].sum()):,}")
chapter.glue("n_structures", f"{int(summary['structures'].sum()):,}")
chapter.glue("n_cifs", f"{len(dsc_structures):,}")
ch.finish().to_frame()

# %% [markdown]
# ## Use your own data
#
# This chapter reads only the registry (`reviewlib data list` shows every dataset with its source
# and hash). The milestone chapters take your own files through their `parameters` cell, for
# example
#
# ```bash
# .venv/bin/papermill -k python3 notebooks/02_stanev2018_supercon.ipynb my_run.ipynb -p data_path my_table.csv
# ```
#
# with the file formats given at the end of each chapter: a CSV of formulas and $T_c$ (K) for
# notebook 02, a folder of CIFs with a CSV of $T_c$ (K) for notebook 03, a folder of $\alpha^2F$
# files for notebook 01. The same checks are available in Python: `reviewlib.user_data`
# (`read_tc_table`, `load_supercon_table`, `load_structures`, `load_spectra_folder`) returns the
# rows it could use and a table of the skipped ones with the reason for each.
