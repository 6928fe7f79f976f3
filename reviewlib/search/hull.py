"""De-duplication of relaxed structures and the convex hull of formation enthalpy at one pressure."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd


def deduplicate(
    *,
    results: pd.DataFrame,
    structure_of: Callable[[pd.Series], Any],
    ltol: float = 0.2,
    stol: float = 0.3,
    angle_tol: float = 5.0,
    energy_tol_eV: float = 0.01,
) -> pd.DataFrame:
    """Mark structures that match a lower-enthalpy one of the same composition and pressure.

    Only rows with status ``ok`` or ``unconverged`` are compared. Two structures are the same
    when pymatgen's ``StructureMatcher`` (tolerances ``ltol``, ``stol``, ``angle_tol`` in degrees)
    matches them and their enthalpies differ by less than ``energy_tol_eV`` (eV/atom).

    Args:
        results: a search results table (:func:`reviewlib.search.store.read_results`).
        structure_of: returns the relaxed structure of a row.
        ltol: fractional length tolerance.
        stol: site tolerance (fraction of the average free length per atom).
        angle_tol: angle tolerance (degrees).
        energy_tol_eV: enthalpy window for a duplicate (eV/atom).

    Returns:
        A copy with ``duplicate_of`` (id of the lowest-enthalpy match, empty for unique rows)
        and ``multiplicity`` (how often the unique structure was found).
    """
    from pymatgen.analysis.structure_matcher import StructureMatcher

    out = results.copy()
    out["duplicate_of"] = ""
    out["multiplicity"] = 0
    matcher = StructureMatcher(ltol=ltol, stol=stol, angle_tol=angle_tol, primitive_cell=True, scale=True)
    relaxed = out[out["status"].isin(["ok", "unconverged"])]
    for _, group in relaxed.groupby(["composition", "pressure_GPa"]):
        group = group.sort_values("enthalpy_eV_per_atom")
        uniques: list[tuple[Any, Any, float]] = []  # (index, structure, enthalpy)
        for idx, row in group.iterrows():
            structure = structure_of(row)
            h = float(row["enthalpy_eV_per_atom"])
            for uidx, ustruct, uh in uniques:
                if abs(h - uh) < energy_tol_eV and matcher.fit(structure, ustruct):
                    out.at[idx, "duplicate_of"] = out.at[uidx, "id"]
                    out.at[uidx, "multiplicity"] += 1
                    break
            else:
                uniques.append((idx, structure, h))
                out.at[idx, "multiplicity"] = 1
    return out


def hull_table(
    *,
    results: pd.DataFrame,
    pressure_GPa: float,
    elements: Iterable[str] | None = None,
    include_unconverged: bool = False,
) -> tuple[pd.DataFrame, Any]:
    """Enthalpy above the convex hull (meV/atom) of every relaxed row at one pressure.

    Args:
        results: search results (with ``enthalpy_eV_per_atom``; duplicates may be marked).
        pressure_GPa: the pressure whose rows form the hull.
        elements: chemical system (default: every element in the rows); each needs at least one
            relaxed elemental structure, else a ``ValueError`` names the missing reference.
        include_unconverged: also place unconverged relaxations on the hull.

    Returns:
        (rows at this pressure with ``formation_enthalpy_eV_per_atom`` and
        ``e_above_hull_meV_per_atom``, sorted by composition and enthalpy; the pymatgen
        ``PhaseDiagram``).
    """
    from pymatgen.analysis.phase_diagram import PDEntry, PhaseDiagram
    from pymatgen.core import Composition

    ok = {"ok", "unconverged"} if include_unconverged else {"ok"}
    rows = results[
        (results["status"].isin(ok)) & np.isclose(results["pressure_GPa"].astype(float), pressure_GPa)
    ]
    if "duplicate_of" in rows:
        rows = rows[rows["duplicate_of"].fillna("") == ""]
    rows = rows.copy()
    if rows.empty:
        raise ValueError(f"no relaxed structures at {pressure_GPa} GPa to build a hull from")
    comps = [Composition(f) for f in rows["formula"]]
    present = sorted({el.symbol for c in comps for el in c.elements})
    elements = sorted(elements) if elements is not None else present
    unary = {c.elements[0].symbol for c in comps if len(c.elements) == 1}
    missing = [el for el in elements if el not in unary]
    if missing:
        raise ValueError(
            f"hull at {pressure_GPa} GPa: no relaxed elemental reference for {missing}; "
            "add the element itself to the searched compositions"
        )
    keep = [all(el.symbol in elements for el in c.elements) for c in comps]
    rows = rows[keep]
    comps = [c for c, k in zip(comps, keep, strict=True) if k]
    entries = [
        PDEntry(c, float(h) * c.num_atoms, name=str(i))
        for c, h, i in zip(comps, rows["enthalpy_eV_per_atom"], rows["id"], strict=True)
    ]
    diagram = PhaseDiagram(entries)
    rows["formation_enthalpy_eV_per_atom"] = [diagram.get_form_energy_per_atom(e) for e in entries]
    rows["e_above_hull_meV_per_atom"] = [
        1000.0 * diagram.get_e_above_hull(e, allow_negative=True) for e in entries
    ]
    rows["on_hull"] = rows["e_above_hull_meV_per_atom"] < 1e-6
    rows = rows.sort_values(["composition", "enthalpy_eV_per_atom"])
    return rows, diagram


def best_per_composition(hull_rows: pd.DataFrame) -> pd.DataFrame:
    """Lowest-enthalpy structure of each composition in a :func:`hull_table` result."""
    ordered = hull_rows.sort_values(["e_above_hull_meV_per_atom", "id"], kind="stable")
    return ordered.drop_duplicates("composition").reset_index(drop=True)
