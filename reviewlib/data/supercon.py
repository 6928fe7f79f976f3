"""SuperCon-family loaders: the Stanev et al. 2018 table, 3DSC_MP structures, SuperCon3D.

The 3DSC_MP Tc values are *derived* from the Stanev table the way 3DSC does it
(Sommer et al., Sci. Data 10, 816 (2023)): standardise the formula, key it by atomic fractions,
average duplicates, drop keys whose Tc spread (sample standard deviation) exceeds 5 K.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib.chem import composition_key, formula_amounts
from reviewlib.data._util import require_columns
from reviewlib.data.registry import fetch, get_record, manifest_files

MAX_AMOUNT = 150.0
MAX_TC_K = 145.0
MAX_TC_STD_K = 5.0
PNICTOGEN_CHALCOGEN = frozenset({"As", "P", "Se", "Te", "S"})


def _fmt(amount: float) -> str:
    return f"{round(amount, 3):.3f}".rstrip("0").rstrip(".")


def _rounded(amounts: dict[str, float]) -> dict[str, float]:
    """3DSC's amounts: rounded to 3 decimals, elements whose amount rounds to 0 dropped."""
    return {el: round(x, 3) for el, x in amounts.items() if round(x, 3) > 0}


def standard_formula(amounts: dict[str, float]) -> str:
    """3DSC's standardised formula of ``{symbol: amount}`` (:func:`reviewlib.chem.formula_amounts`):
    alphabetical, oxygen last, explicit 1, amounts rounded to 3 decimals, zeros dropped.
    """
    kept = _rounded(amounts)
    order = sorted(el for el in kept if el != "O") + (["O"] if "O" in kept else [])
    return "".join(f"{el}{_fmt(kept[el])}" for el in order)


def normalised_key(amounts: dict[str, float]) -> str:
    """3DSC's composition key of ``{symbol: amount}``: :func:`reviewlib.chem.composition_key` in
    atomic percent (3 decimals) of the amounts rounded as in :func:`standard_formula`.
    """
    return composition_key(_rounded(amounts), decimals=3, percent=True)


def material_family(elements: Iterable[str]) -> str:
    """Coarse family label used in the book: ``cuprate`` (Cu and O), ``iron-based`` (Fe with a
    pnictogen or chalcogen), otherwise ``other``. Heavy fermions are not separated.
    """
    els = set(elements)
    if {"Cu", "O"} <= els:
        return "cuprate"
    if "Fe" in els and els & PNICTOGEN_CHALCOGEN:
        return "iron-based"
    return "other"


def load_stanev(path: str | Path | None = None, *, warn: bool = True) -> pd.DataFrame:
    """The SuperCon table of Stanev et al. (2018), 16,414 rows as redistributed by 3DSC.

    Columns: ``name`` (formula string as in SuperCon), ``tc_K`` (K; 0 = reported not
    superconducting), ``composition`` (pymatgen ``Composition``, None if the name does not
    parse), ``parse_error`` (empty string when parsed), ``formula_sc`` (3DSC standard formula),
    ``key`` (normalised composition key), ``elements`` (tuple), ``n_elements``, ``family``.

    Names that do not parse are kept with ``composition=None`` and listed in
    ``frame.attrs["unparsed"]``; a warning gives their number (``warn=False`` silences it when
    the caller reports them itself). Nothing is dropped.
    """
    from pymatgen.core import Composition

    src = Path(path) if path is not None else fetch("stanev_supercon", progress=False)
    if path is not None:  # a user's table: errors name the file, the column and the 1-based line
        from reviewlib.data._util import read_tc_table

        read_tc_table(src, id_column="name", tc_column="Tc", unique=False)
    raw = pd.read_csv(src)
    require_columns(raw, ["name", "Tc"], source=src)
    if raw["Tc"].isna().any() or (raw["Tc"] < 0).any():
        bad = raw.index[raw["Tc"].isna() | (raw["Tc"] < 0)].tolist()[:5]
        raise ValueError(f"{src}: Tc must be a non-negative number (rows {bad} ...)")
    comps, errors, std, keys, elements = [], [], [], [], []
    for name in raw["name"].astype(str):
        try:
            amounts = formula_amounts(name, brackets=False)
            kept = _rounded(amounts)  # rounding again is a no-op: round once for the three columns
            comps.append(Composition(amounts))  # formula_amounts checked them: parse_formula's result
            errors.append("")
            std.append(standard_formula(kept))
            keys.append(normalised_key(kept))
            elements.append(tuple(sorted(kept)))
        except ValueError as exc:
            comps.append(None)
            errors.append(str(exc))
            std.append(None)
            keys.append(None)
            elements.append(())
    frame = pd.DataFrame(
        {
            "name": raw["name"].astype(str),
            "tc_K": raw["Tc"].astype(float),
            "composition": comps,
            "parse_error": errors,
            "formula_sc": std,
            "key": keys,
            "elements": elements,
        }
    )
    frame["n_elements"] = frame["elements"].map(len)
    frame["family"] = frame["elements"].map(material_family)
    unparsed = frame.loc[frame["parse_error"] != "", ["name", "parse_error"]]
    frame.attrs["unparsed"] = list(unparsed.itertuples(index=False, name=None))
    frame.attrs["source"] = str(src)
    if len(unparsed) and warn:
        warnings.warn(
            f"{len(unparsed)} of {len(frame)} SuperCon names do not parse as plain formulas; "
            "they are kept with composition=None (see frame.attrs['unparsed'])",
            stacklevel=2,
        )
    return frame


def supercon_tc_by_key(stanev: pd.DataFrame) -> pd.DataFrame:
    """Tc per normalised composition, following the 3DSC cleaning steps.

    Drops unparsed names, formulas with an amount above 150, Tc above 145 K; averages Tc over
    rows with the same key; drops keys whose sample standard deviation exceeds 5 K.
    Returns columns ``key``, ``formula_sc`` (of the first row), ``tc_K``, ``tc_std_K``,
    ``n_rows``; ``attrs["dropped_spread"]`` lists the keys dropped for their spread.
    """
    ok = stanev[stanev["composition"].notna()].copy()
    too_big = ok["composition"].map(lambda c: max(c.values()) > MAX_AMOUNT)
    ok = ok[~too_big & (ok["tc_K"] <= MAX_TC_K)]
    grouped = ok.groupby("key", sort=False)
    out = pd.DataFrame(
        {
            "formula_sc": grouped["formula_sc"].first(),
            "tc_K": grouped["tc_K"].mean(),
            "tc_std_K": grouped["tc_K"].std(ddof=1).fillna(0.0),
            "n_rows": grouped.size(),
        }
    ).reset_index()
    spread = out["tc_std_K"] > MAX_TC_STD_K
    out.attrs["dropped_spread"] = out.loc[spread, "key"].tolist()
    return out[~spread].reset_index(drop=True)


_CIF_NAME = re.compile(r"^(?P<formula>.+)-MP-(?P<mp>(?:mp|mvc)-\d+)(?P<doped>-synth_doped)?\.cif$")


def parse_3dsc_cif_name(name: str) -> tuple[str, str, bool]:
    """Split a 3DSC_MP CIF name into (formula_sc, Materials Project id, synth_doped)."""
    match = _CIF_NAME.match(name)
    if match is None:
        raise ValueError(f"not a 3DSC_MP CIF name: {name!r}")
    return match["formula"], match["mp"], match["doped"] is not None


def load_3dsc_mp(
    *,
    with_structures: bool = True,
    cif_dir: str | Path | None = None,
    stanev_path: str | Path | None = None,
    n_jobs: int = 1,
    cache: bool = True,
) -> pd.DataFrame:
    """3DSC_MP: 5,773 Materials Project structures matched to SuperCon, with Tc derived here.

    Columns: ``cif`` (file name), ``formula_sc``, ``mp_id`` (parent Materials Project id),
    ``synth_doped`` (3DSC changed the parent's site occupancies to match SuperCon), ``tc_K``
    (K, from :func:`supercon_tc_by_key`), ``weight`` (1/number of structures of the same
    SuperCon entry), ``family``, and with ``with_structures`` a pymatgen ``structure`` plus
    ``n_sites`` and ``disordered`` (any fractional site occupancy).

    Parsing the 5,773 CIFs takes about a minute, so the parsed structures of the registry folder
    are kept in the feature cache (plain arrays, no pickle; :func:`reviewlib.structures.structures_to_arrays`)
    under a key made of the manifest's sha256s and the pymatgen version; ``cache=False`` parses
    afresh. A user's ``cif_dir`` is never cached.

    Reads the CIFs the registry manifest lists (files added to the folder are ignored; ``reviewlib
    data verify`` reports them), or every ``*.cif`` of a user's ``cif_dir``. A CIF whose formula has
    no SuperCon Tc raises ``ValueError`` naming it.
    """
    if cif_dir is None:  # the registry folder: exactly the manifest's files, never strays
        folder, names = fetch("3dsc_mp_cifs", progress=False), manifest_files("3dsc_mp_cifs")
    else:
        folder = Path(cif_dir)
        names = sorted(p.name for p in folder.glob("*.cif"))
    if not names:
        raise ValueError(f"{folder}: no .cif files")
    tc_table = supercon_tc_by_key(load_stanev(stanev_path, warn=False)).set_index("key")
    rows = []
    for name in names:
        formula, mp_id, doped = parse_3dsc_cif_name(name)
        amounts = formula_amounts(formula, where=str(folder / name), brackets=False)
        key = normalised_key(amounts)
        if key not in tc_table.index:
            raise ValueError(f"{folder / name}: formula {formula!r} has no SuperCon Tc row")
        rows.append(
            {
                "cif": name,
                "formula_sc": formula,
                "mp_id": mp_id,
                "synth_doped": doped,
                "tc_K": float(tc_table.at[key, "tc_K"]),
                "family": material_family(amounts),
            }
        )
    frame = pd.DataFrame(rows)
    frame["weight"] = 1.0 / frame.groupby("formula_sc")["cif"].transform("size")
    if with_structures:
        structures = _3dsc_structures(folder, names, n_jobs=n_jobs, cache=cache and cif_dir is None)
        frame["structure"] = structures
        frame["n_sites"] = [len(s) for s in structures]
        frame["disordered"] = [not s.is_ordered for s in structures]
    frame.attrs["source"] = str(folder)
    return frame


def _3dsc_structures(folder: Path, names: list[str], *, n_jobs: int, cache: bool) -> list:
    """Structures of the 3DSC_MP CIFs ``names``; from the feature cache when ``cache``."""
    from reviewlib.features.cache import cached
    from reviewlib.structures import read_cifs, structures_from_arrays, structures_to_arrays

    def parse() -> dict:
        return structures_to_arrays(read_cifs([folder / n for n in names], n_jobs=n_jobs))

    if not cache:
        return read_cifs([folder / n for n in names], n_jobs=n_jobs)
    return structures_from_arrays(
        cached(STRUCTURE_CACHE_KIND, key=_structure_cache_key(names), compute=parse)
    )


STRUCTURE_CACHE_KIND = "structures-3dsc-mp"


def _structure_cache_key(names: list[str]) -> dict:
    """Cache key of the parsed 3DSC_MP structures: the manifest's sha256s and the pymatgen version."""
    from importlib.metadata import version

    digests = {fname: digest for fname, _size, digest in get_record("3dsc_mp_cifs").files}
    manifest = hashlib.sha256("\n".join(f"{n} {digests[n]}" for n in names).encode()).hexdigest()
    return {"manifest": manifest, "pymatgen": version("pymatgen"), "format": 1}


def load_id_prop(path: str | Path | None = None) -> pd.DataFrame:
    """The 2-column 3DSC_MP extract (CIF name, Tc in K) used as a cross-check only.

    It is not byte-verified against upstream, so it is never downloaded: it resolves only from a
    mirror or cache that holds it. Columns ``cif``, ``tc_K``.
    """
    src = Path(path) if path is not None else fetch("3dsc_mp_id_prop", progress=False)
    return pd.read_csv(src, header=None, names=["cif", "tc_K"])


def compare_with_id_prop(frame: pd.DataFrame, id_prop: pd.DataFrame, *, atol_K: float = 1e-6) -> dict:
    """How many 3DSC_MP rows agree with ``id_prop.csv`` (same CIF set, |dTc| <= atol_K)."""
    merged = frame[["cif", "tc_K"]].merge(id_prop, on="cif", how="outer", suffixes=("", "_id_prop"))
    both = merged.dropna()
    agree = int(np.sum(np.abs(both["tc_K"] - both["tc_K_id_prop"]) <= atol_K))
    return {
        "rows": len(frame),
        "id_prop_rows": len(id_prop),
        "in_both": len(both),
        "agree": agree,
        "max_abs_diff_K": float(np.max(np.abs(both["tc_K"] - both["tc_K_id_prop"]))) if len(both) else np.nan,
    }


def load_3dsc_icsd_ids(path: str | Path | None = None) -> pd.DataFrame:
    """3DSC_ICSD without structures: ``formula_sc``, ``tc_K``, ``icsd_id``, ``synth_doped``."""
    src = Path(path) if path is not None else fetch("3dsc_icsd_ids", progress=False)
    raw = pd.read_csv(src, header=1)
    require_columns(raw, ["formula_sc", "tc", "database_id_2", "synth_doped"], source=src)
    return raw.rename(columns={"tc": "tc_K", "database_id_2": "icsd_id"})[
        ["formula_sc", "tc_K", "icsd_id", "synth_doped"]
    ]


def load_supercon3d(path: str | Path | None = None) -> pd.DataFrame:
    """SuperCon3D composition table (SODNet): ``formula``, ``tc_K``, ``family`` (11,949 rows)."""
    src = Path(path) if path is not None else fetch("supercon3d_table", progress=False)
    raw = pd.read_csv(src)
    require_columns(raw, ["Formula", "Tc", "Materials_family"], source=src)
    return raw.rename(columns={"Formula": "formula", "Tc": "tc_K", "Materials_family": "family"})
