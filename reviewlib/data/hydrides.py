"""Hydride (and electron-phonon) superconductor datasets: tidy DataFrames with units in the names.

- :func:`load_osaka_hydrides`: the Osaka literature table of hydride Tc (936 rows; formula,
  space group, pressure, lambda, omega_log, mu*, Tc, reference), probably the data of
  Ishikawa, Miyake & Shimizu, PRB 100, 174506 (2019) (attribution inferred).
- :func:`load_tranvu`: the featurized lambda (584) and omega_log (567) tables of Tran & Vu,
  PRMaterials 7, 054805 (2023).
- :func:`load_alexandria`: Alexandria superconductors DS-A (7,220) / DS-B (1,033) with
  structures, Tc, lambda, omega_log, N(E_F) and Debye temperature (Cerqueira et al. 2024).
- :func:`load_htsc2025`: HTSC-2025, 140 ambient-pressure structures with predicted Tc.
- :func:`load_sodnet_hydrides`: the 103 literature hydrides of the SODNet/SuperCon3D table joined
  with the 88 hydride CIFs that could be redistributed.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib.chem import element_columns, try_parse_formulas
from reviewlib.data._util import add_structure_columns, require_columns
from reviewlib.data.registry import fetch, manifest_files


def _add_composition_columns(frame: pd.DataFrame, formula_col: str, *, what: str) -> pd.DataFrame:
    """Add ``composition``, ``elements``, ``n_elements``, ``has_H``; report unparsable formulas."""
    comps, errors = try_parse_formulas(frame[formula_col])
    frame["composition"] = comps
    frame["parse_error"] = errors
    for name, column in element_columns(comps).items():
        frame[name] = column.to_numpy()
    bad = frame.loc[frame["parse_error"] != "", [formula_col, "parse_error"]]
    frame.attrs["unparsed"] = list(bad.itertuples(index=False, name=None))
    if len(bad):
        warnings.warn(
            f"{len(bad)} of {len(frame)} {what} formulas do not parse; they are kept with "
            f"composition=None (see frame.attrs['unparsed']): {sorted(set(bad[formula_col]))[:5]}",
            stacklevel=3,
        )
    return frame


# --------------------------------------------------------------------------------------------
# Osaka hydride table

OSAKA_COLUMNS = ["formula", "group", "P GPa", "lambda", "w_log [K]", "mu", "Tc [K]", "reference"]
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/)(?P<doi>10\.\S+)", re.IGNORECASE)


def _to_float(series: pd.Series, *, column: str, src) -> pd.Series:
    """Strip (incl. Unicode spaces) and convert to float; blank -> NaN; junk raises ValueError."""
    text = series.astype("string").str.strip().replace("", pd.NA)
    values = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & values.isna()
    if bad.any():
        raise ValueError(f"{src}: column {column!r} has non-numeric values {text[bad].unique()[:5].tolist()}")
    return values.astype(float)


def load_osaka_hydrides(path: str | Path | None = None) -> pd.DataFrame:
    """The Osaka hydride superconductor table (``superconductivity.csv``, 936 rows, 2018-2019).

    Columns:

    - ``formula`` (str, as upstream, e.g. ``SH3``, ``S0.2Se0.8H3``), ``composition`` (pymatgen
      ``Composition``; None if unparsable), ``parse_error``, ``elements`` (sorted tuple),
      ``n_elements``, ``has_H``, ``partner`` (the non-H element of a binary hydride, else None);
    - ``space_group`` (Int64, 1-230; <NA> in the 42 rows where upstream leaves it blank);
    - ``pressure_GPa`` (GPa; ambient written 0 or 0.0001 upstream);
    - ``lambda`` (electron-phonon coupling, dimensionless; NaN where blank upstream, 120 rows);
    - ``omega_log_K`` (logarithmic-average phonon frequency, K; NaN where blank, 148 rows);
    - ``mu_star`` (Coulomb pseudopotential used for that Tc; NaN where blank, 24 rows);
    - ``tc_K`` (K; mostly DFT predictions);
    - ``reference`` (as upstream, stripped: DOI URL, arXiv URL or "By T. Ishikawa" etc.) and
      ``doi`` (the DOI extracted from a doi.org URL, else None).

    The file has CRLF line endings and space-padded fields; both are handled. Unparsable
    formulas are kept with ``composition=None``, listed in ``frame.attrs["unparsed"]`` and
    warned about. Nothing is dropped, and duplicates (one row per mu* and per source paper) are
    kept: deduplicate deliberately before training.
    """
    src = Path(path) if path is not None else fetch("osaka_hydrides", progress=False)
    raw = pd.read_csv(src, skipinitialspace=True, dtype=str, keep_default_na=False)
    raw.columns = [c.strip() for c in raw.columns]
    require_columns(raw, OSAKA_COLUMNS, source=src)
    raw = raw.apply(lambda col: col.str.strip())
    if (raw["formula"] == "").any():
        rows = raw.index[raw["formula"] == ""].tolist()[:5]
        raise ValueError(f"{src}: empty formula in rows {rows}")
    frame = pd.DataFrame({"formula": raw["formula"]})
    group = _to_float(raw["group"], column="group", src=src)
    if ((group.dropna() % 1) != 0).any() or ((group < 1) | (group > 230)).any():
        raise ValueError(f"{src}: column 'group' must hold space-group numbers 1-230")
    frame["space_group"] = group.astype("Int64")
    frame["pressure_GPa"] = _to_float(raw["P GPa"], column="P GPa", src=src)
    frame["lambda"] = _to_float(raw["lambda"], column="lambda", src=src)
    frame["omega_log_K"] = _to_float(raw["w_log [K]"], column="w_log [K]", src=src)
    frame["mu_star"] = _to_float(raw["mu"], column="mu", src=src)
    frame["tc_K"] = _to_float(raw["Tc [K]"], column="Tc [K]", src=src)
    for col in ("pressure_GPa", "tc_K"):
        if frame[col].isna().any():
            rows = frame.index[frame[col].isna()].tolist()[:5]
            raise ValueError(f"{src}: {col} is blank in rows {rows}")
    frame["reference"] = raw["reference"]
    frame["doi"] = [(m["doi"] if (m := _DOI.match(ref)) else None) for ref in frame["reference"]]
    frame = _add_composition_columns(frame, "formula", what="Osaka hydride")
    frame["partner"] = [
        next(el for el in els if el != "H") if len(els) == 2 and "H" in els else None
        for els in frame["elements"]
    ]
    frame.attrs["source"] = str(src)
    return frame


# --------------------------------------------------------------------------------------------
# Tran & Vu 2023 featurized tables

_TRANVU = {
    "lambda": ("tranvu_lambda", "Lambda", "lambda"),
    "omega_log": ("tranvu_omega_log", "omlog", "omega_log_K"),
}


def load_tranvu(kind: str = "lambda", *, path: str | Path | None = None) -> pd.DataFrame:
    """Tran & Vu (2023) featurized training set for ``kind`` ``"lambda"`` (584 rows) or
    ``"omega_log"`` (567 rows).

    Columns: ``ind`` (the authors' structure id; not mapped to materials), the target
    (``lambda``, dimensionless, or ``omega_log_K``, K) and the Matminer features unchanged
    (40 for lambda, 38 for omega_log; names as upstream). ``frame.attrs["target"]`` and
    ``frame.attrs["features"]`` name them. There are no formulas, structures or pressures.
    """
    if kind not in _TRANVU:
        raise ValueError(f"kind must be one of {sorted(_TRANVU)}, not {kind!r}")
    name, upstream, target = _TRANVU[kind]
    src = Path(path) if path is not None else fetch(name, progress=False)
    raw = pd.read_csv(src)
    require_columns(raw, ["ind", upstream], source=src)
    frame = raw.rename(columns={upstream: target})
    features = [c for c in frame.columns if c not in ("ind", target)]
    non_numeric = [c for c in [target, *features] if not pd.api.types.is_numeric_dtype(frame[c])]
    if non_numeric:
        raise ValueError(f"{src}: non-numeric column(s) {non_numeric}")
    if frame[[target, *features]].isna().any().any():
        cols = frame.columns[frame.isna().any()].tolist()
        raise ValueError(f"{src}: missing values in column(s) {cols}")
    frame = frame[["ind", target, *features]]
    frame.attrs.update(source=str(src), target=target, features=features)
    return frame


# --------------------------------------------------------------------------------------------
# Alexandria superconductors DS-A / DS-B

ALEXANDRIA_COLUMNS = ["mat_id", "structure", "Tc", "la", "wlog", "dosef", "debye"]


def load_alexandria(
    which: str = "A", *, path: str | Path | None = None, with_structures: bool = True
) -> pd.DataFrame:
    """Alexandria superconductor set DS-A (training, 7,220 rows) or DS-B (test, 1,033 rows).

    Ambient-pressure DFPT electron-phonon results of Cerqueira, Sanna & Marques (2024), as
    published with their MODNet model (pickled DataFrames, read with the restricted unpickler
    of :mod:`reviewlib.data.safe_pickle` after the sha256 check).

    Columns: ``mat_id`` (Alexandria id), ``formula`` (reduced formula), ``elements``,
    ``n_elements``, ``has_H``, ``n_sites``, ``tc_K`` (K, upstream ``Tc``), ``lambda``
    (upstream ``la``), ``omega_log_K`` (K, upstream ``wlog``), ``dos_ef`` (electronic DOS at the
    Fermi level, upstream ``dosef``; units undocumented upstream, and a few values are slightly
    negative), ``debye_temperature_K`` (predicted Debye temperature, K, upstream ``debye``), and
    with ``with_structures`` the pymatgen ``structure``.
    """
    from pymatgen.core import Structure

    from reviewlib.data.safe_pickle import load_dataframe_pickle

    names = {"A": "alexandria_ds_a", "B": "alexandria_ds_b"}
    if which not in names:
        raise ValueError(f"which must be 'A' or 'B', not {which!r}")
    src = Path(path) if path is not None else fetch(names[which], progress=False)
    raw = load_dataframe_pickle(src)
    require_columns(raw, ALEXANDRIA_COLUMNS, source=src)
    numeric = ["Tc", "la", "wlog", "dosef", "debye"]
    if raw[numeric].isna().any().any():
        cols = [c for c in numeric if raw[c].isna().any()]
        raise ValueError(f"{src}: missing values in column(s) {cols}")
    structures = []
    for mat_id, item in zip(raw["mat_id"], raw["structure"], strict=True):
        if isinstance(item, Structure):
            structures.append(item)
        elif isinstance(item, dict):
            try:
                structures.append(Structure.from_dict(item))
            except Exception as exc:
                raise ValueError(
                    f"{src}: structure of {mat_id} is not a valid Structure dict ({exc})"
                ) from exc
        else:
            raise ValueError(f"{src}: structure of {mat_id} is a {type(item).__name__}, not a Structure")
    frame = pd.DataFrame({"mat_id": raw["mat_id"].astype(str).to_numpy()})
    add_structure_columns(frame, structures)
    frame["tc_K"] = raw["Tc"].to_numpy(float)
    frame["lambda"] = raw["la"].to_numpy(float)
    frame["omega_log_K"] = raw["wlog"].to_numpy(float)
    frame["dos_ef"] = raw["dosef"].to_numpy(float)
    frame["debye_temperature_K"] = raw["debye"].to_numpy(float)
    if with_structures:
        frame["structure"] = structures
    frame.attrs["source"] = str(src)
    return frame


# --------------------------------------------------------------------------------------------
# HTSC-2025


def load_htsc2025(path: str | Path | None = None, *, with_structures: bool = True) -> pd.DataFrame:
    """HTSC-2025 (Han et al. 2025): 140 ambient-pressure structures with predicted Tc.

    Columns: ``name`` (upstream key ``<family>-<label>``), ``family`` (e.g. ``X2YH6``,
    ``LaH10``, ``LowTc``), ``label`` (upstream formula label), ``formula`` (reduced formula of
    the structure), ``elements``, ``n_elements``, ``has_H``, ``n_sites``, ``tc_K`` (K, theoretical
    predictions from the 2023-2025 literature), and with ``with_structures`` the pymatgen
    ``structure`` (parsed from the embedded CIF text).
    """
    from reviewlib.structures import read_cif_text

    src = Path(path) if path is not None else fetch("htsc2025", progress=False)
    data = json.loads(Path(src).read_text())
    if not isinstance(data, dict) or not data:
        raise ValueError(f"{src}: expected a JSON object name -> {{'cif', 'tc'}}")
    rows, structures = [], []
    for name, entry in data.items():
        if not isinstance(entry, dict) or "cif" not in entry or "tc" not in entry:
            raise ValueError(f"{src}: entry {name!r} lacks 'cif' or 'tc'")
        family, _, label = name.partition("-")
        structure = read_cif_text(entry["cif"], label=f"{src}[{name!r}]")
        tc = float(entry["tc"])
        if not np.isfinite(tc) or tc < 0:
            raise ValueError(f"{src}: entry {name!r} has Tc {entry['tc']!r}")
        rows.append({"name": name, "family": family, "label": label, "tc_K": tc})
        structures.append(structure)
    frame = pd.DataFrame(rows)
    tc_K = frame.pop("tc_K")
    add_structure_columns(frame, structures)
    frame["tc_K"] = tc_K
    if with_structures:
        frame["structure"] = structures
    frame.attrs["source"] = str(src)
    return frame


# --------------------------------------------------------------------------------------------
# SODNet / SuperCon3D literature hydrides


def load_sodnet_hydrides(
    *,
    table_path: str | Path | None = None,
    cif_dir: str | Path | None = None,
    with_structures: bool = True,
) -> pd.DataFrame:
    """The 103 ``h_based`` rows of SODNet's ``df_all_data1202.csv`` joined with the hydride CIFs.

    Of the 103 literature hydrides, 88 have a redistributable CIF in the registry folder
    ``sodnet_hydride_cifs``; the 15 ICSD-derived ones were not copied. All 103 rows are kept.

    Columns: ``cif`` (file name), ``formula`` (upstream ``cf``, e.g. ``La1H10``),
    ``composition``, ``parse_error``, ``elements``, ``n_elements``, ``has_H``, ``tc_K`` (K;
    experimental and computed values mixed, no pressure given), ``order`` (``order``/``disorder``),
    ``has_cif`` (bool), and with ``with_structures`` ``structure`` (pymatgen ``Structure``, None
    where ``has_cif`` is False) and ``cif_matches_formula`` (the CIF's reduced composition equals
    the table's; False for 3 upstream CIFs: Hf1H10 and Zr1H10 hold M6H20 cells, N1S1H5 holds
    S8N8H20; None without a CIF). ``frame.attrs``: ``n_joined`` (rows with a CIF),
    ``missing_cifs`` (table rows without a CIF), ``unmatched_cifs`` (CIFs without a row; a
    non-empty list raises ``ValueError``).
    """
    src = Path(table_path) if table_path is not None else fetch("sodnet_hydride_table", progress=False)
    raw = pd.read_csv(src)
    first = raw.columns[0]
    require_columns(raw, ["tc", "family", "cf", "order"], source=src)
    hyd = raw[raw["family"] == "h_based"].rename(columns={first: "cif", "cf": "formula", "tc": "tc_K"})
    if hyd.empty:
        raise ValueError(f"{src}: no rows with family == 'h_based'")
    if hyd["cif"].duplicated().any():
        raise ValueError(f"{src}: duplicated CIF names {hyd.loc[hyd['cif'].duplicated(), 'cif'].tolist()}")
    frame = hyd[["cif", "formula", "tc_K", "order"]].reset_index(drop=True)
    frame = _add_composition_columns(frame, "formula", what="SODNet hydride")
    if cif_dir is None:  # the registry folder: exactly the manifest's files, never strays
        folder = fetch("sodnet_hydride_cifs", progress=False)
        available = set(manifest_files("sodnet_hydride_cifs"))
    else:
        folder = Path(cif_dir)
        available = {p.name for p in folder.glob("*.cif")}
    frame["has_cif"] = frame["cif"].isin(available)
    unmatched = sorted(available - set(frame["cif"]))
    if unmatched:
        raise ValueError(f"{folder}: CIF(s) with no h_based row in {src.name}: {unmatched[:5]}")
    if with_structures:
        from reviewlib.structures import read_cif

        frame["structure"] = [
            read_cif(folder / c) if ok else None for c, ok in zip(frame["cif"], frame["has_cif"], strict=True)
        ]
        frame["cif_matches_formula"] = [
            None if s is None or c is None else s.composition.reduced_composition == c.reduced_composition
            for s, c in zip(frame["structure"], frame["composition"], strict=True)
        ]
    frame.attrs.update(
        source=str(src),
        cif_dir=str(folder),
        n_joined=int(frame["has_cif"].sum()),
        missing_cifs=frame.loc[~frame["has_cif"], "cif"].tolist(),
        unmatched_cifs=unmatched,
    )
    return frame
