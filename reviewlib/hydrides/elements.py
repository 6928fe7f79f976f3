"""Element-level data for hydride models, all from pymatgen's element data (no typed-in tables).

* :func:`valence_configuration` -- electrons per s, p, d, f subshell outside the noble-gas core.
* :func:`element_table` -- one row per element: Z, period, group, block, atomic mass (amu),
  van der Waals radius (Angstrom), Pauling electronegativity, first ionisation energy (eV),
  valence s/p/d/f counts and the open-shell d+f count.
* :func:`max_tc_per_element` -- maximum Tc (K) of the binary hydrides of each element, with the
  compound and pressure (GPa) where it occurs.
* :data:`LABILITY_BELT` -- the review's three "lability belts" (Semenok et al.), as element lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

#: The review's lability belts (§2.3; the printed "Sc-T-La-Ac" read as Sc-Y-La-Ac).
LABILITY_BELT: dict[str, tuple[str, ...]] = {
    "d0": ("Mg", "Ca", "Sr", "Ba", "Ra"),
    "d1": ("Sc", "Y", "La", "Ac"),
    "s2d2": ("Th",),
}
BELT_ELEMENTS: frozenset[str] = frozenset(el for belt in LABILITY_BELT.values() for el in belt)

_SUBSHELL = re.compile(r"^(\d+)([spdf])(\d+)$")


def _element(symbol: str):
    from pymatgen.core import Element

    try:
        return Element(str(symbol))
    except (ValueError, KeyError) as exc:
        raise ValueError(f"unknown element symbol {symbol!r}") from exc


def valence_configuration(*, symbol: str) -> dict[str, int]:
    """Electrons in the s, p, d and f subshells written after the noble-gas core.

    From pymatgen's ``Element.electronic_structure`` (e.g. La ``[Xe].5d1.6s2`` gives
    ``{"s": 2, "p": 0, "d": 1, "f": 0}``). Filled inner subshells that pymatgen writes outside
    the core (Hf ``4f14``) are counted; :func:`element_table` also gives the open-shell count.
    """
    el = _element(symbol)
    counts = {"s": 0, "p": 0, "d": 0, "f": 0}
    for part in el.electronic_structure.split("."):
        if part.startswith("["):
            continue
        m = _SUBSHELL.match(part)
        if m is None:
            raise ValueError(f"{symbol}: cannot read subshell {part!r} of {el.electronic_structure!r}")
        counts[m.group(2)] += int(m.group(3))
    return counts


def element_table(*, symbols: Iterable[str]) -> pd.DataFrame:
    """Element properties from pymatgen, indexed by symbol.

    Columns: ``Z``, ``period``, ``group`` (1-18; 3 for lanthanides and actinides), ``block``,
    ``atomic_mass`` (amu), ``mass_number`` (rounded atomic mass), ``vdw_radius`` (Angstrom),
    ``electronegativity`` (Pauling; NaN where pymatgen has none), ``ionisation_energy`` (eV),
    ``n_s``, ``n_p``, ``n_d``, ``n_f`` (valence configuration), ``n_valence`` (their sum) and
    ``n_df_open`` (d and f electrons in subshells that are not full: 0 for Cu, Zn, Pd, and the
    4f14 of Hf is not counted). Unknown symbols raise ``ValueError``.
    """
    rows = {}
    for symbol in dict.fromkeys(str(s) for s in symbols):
        el = _element(symbol)
        conf = valence_configuration(symbol=symbol)
        x = el.X
        ie = el.ionization_energy
        vdw = el.van_der_waals_radius
        rows[symbol] = {
            "Z": el.Z,
            "period": el.row,
            "group": el.group,
            "block": el.block,
            "atomic_mass": float(el.atomic_mass),
            "mass_number": int(round(float(el.atomic_mass))),
            "vdw_radius": float(vdw) if vdw is not None else np.nan,
            "electronegativity": float(x) if x is not None and np.isfinite(x) else np.nan,
            "ionisation_energy": float(ie) if ie is not None else np.nan,
            "n_s": conf["s"],
            "n_p": conf["p"],
            "n_d": conf["d"],
            "n_f": conf["f"],
            "n_valence": sum(conf.values()),
            "n_df_open": (conf["d"] if conf["d"] < 10 else 0) + (conf["f"] if conf["f"] < 14 else 0),
            "is_metal": bool(el.is_metal),
        }
    if not rows:
        raise ValueError("element_table: no symbols given")
    return pd.DataFrame.from_dict(rows, orient="index")


def max_tc_per_element(*, frame: pd.DataFrame) -> pd.DataFrame:
    """Maximum Tc (K) over the binary hydrides of each partner element.

    ``frame`` needs ``partner`` (non-H element of a binary hydride, None otherwise), ``formula``,
    ``pressure_GPa`` and ``tc_K``. Returns one row per element (index: symbol) with ``max_tc_K``,
    ``formula`` and ``pressure_GPa`` of the row with the maximum, and ``n_rows`` (binary rows of
    that element). Raises ``ValueError`` when there is no binary row.
    """
    missing = [c for c in ("partner", "formula", "pressure_GPa", "tc_K") if c not in frame.columns]
    if missing:
        raise ValueError(f"max_tc_per_element: frame lacks columns {missing}")
    binary = frame[frame["partner"].notna()]
    if binary.empty:
        raise ValueError("max_tc_per_element: no binary hydride rows (column 'partner' is empty)")
    idx = binary.groupby("partner")["tc_K"].idxmax()
    best = binary.loc[idx, ["partner", "formula", "pressure_GPa", "tc_K"]].set_index("partner")
    best = best.rename(columns={"tc_K": "max_tc_K"})
    best["n_rows"] = binary.groupby("partner").size()
    best.index.name = "element"
    return best.sort_values("max_tc_K", ascending=False)
