"""The structure stage: candidates by isovalent substitution into known prototypes, relaxed with
the book's ML potential, and a harmonic dynamical-stability check.

* :func:`substitutions` -- every single-element isovalent substitution of a prototype: all sites
  of one element replaced by the element directly above or below it in the same group of the
  periodic table (the chemical-similarity rule behind data-mined substitution, Hautier et al.
  2011, in its simplest form), the lattice scaled by the cube of the atomic-radius ratio.
* :func:`datamined_substitutions` -- the data-mined substitution predictor of Hautier et al.
  (2011) as pymatgen ships it (``SubstitutionPredictor``, its lambda table is in the package: it
  works offline): the prototype's species get oxidation states from pymatgen's guesses, every
  charge-balanced substitution whose probability exceeds ``threshold`` becomes a candidate.
  Prototypes without an oxidation-state guess (intermetallics) give none, with that reason.
* :func:`relax_candidates` -- :func:`reviewlib.search.relax.relax_structure` (CHGNet, FIRE, cell
  and positions, hydrostatic pressure) for each candidate; failures stay as rows with their reason.
* :func:`dynamical_stability` -- harmonic phonons by finite displacements with the same potential
  (:func:`reviewlib.search.phonons.harmonic_phonons`) and the weight of imaginary modes on a mesh.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def _neighbours(symbol: str) -> list[str]:
    from pymatgen.core import Element

    el = Element(symbol)
    if el.group is None or el.is_lanthanoid or el.is_actinoid or symbol == "H":
        return []
    out = []
    for z in range(1, 104):
        other = Element.from_Z(z)
        if (
            other.group == el.group
            and abs(other.row - el.row) == 1
            and not (other.is_lanthanoid or other.is_actinoid)
        ):
            if other.is_noble_gas or other.is_radioactive or other.symbol == "H":
                continue
            out.append(other.symbol)
    return out


def substitutions(structure: Any, *, parent: str) -> list[dict[str, Any]]:
    """Candidates from one prototype: ``{"formula", "parent", "substitution", "structure"}`` each."""
    out = []
    for el in sorted({e.symbol for e in structure.composition.elements}):
        for nb in _neighbours(el):
            new = _scaled(structure, {el: nb})
            out.append(
                {
                    "formula": new.composition.reduced_formula,
                    "parent": parent,
                    "substitution": f"{el}->{nb}",
                    "route": "isovalent same-group neighbour",
                    "structure": new,
                }
            )
    return out


DATAMINED_THRESHOLD = 1e-3


def _scaled(structure: Any, mapping: dict[str, str]) -> Any:
    """``structure`` with elements replaced by ``mapping`` (old -> new) and the volume scaled by
    the atomic-radius ratios cubed, weighted by atomic fraction.
    """
    from pymatgen.core import Element

    new = structure.copy()
    new.replace_species({Element(a): Element(b) for a, b in mapping.items()})
    factor = 1.0
    for a, b in mapping.items():
        r_old, r_new = Element(a).atomic_radius, Element(b).atomic_radius
        if r_old and r_new:
            frac = structure.composition.get_atomic_fraction(Element(a))
            factor += frac * ((float(r_new) / float(r_old)) ** 3 - 1)
    new.scale_lattice(structure.volume * factor)
    return new


def datamined_substitutions(
    structure: Any,
    *,
    parent: str,
    threshold: float = DATAMINED_THRESHOLD,
    predictor: Any = None,
) -> tuple[list[dict[str, Any]], str]:
    """Candidates from one prototype by data-mined substitution (see module docstring).

    Returns ``(candidates, reason)``: candidates as in :func:`substitutions` plus
    ``probability``; ``reason`` is empty or says why the prototype gives none (no
    oxidation-state guess, a species outside the lambda table). Substitutions that leave every
    element unchanged, or map two elements onto one, or introduce H, noble gases or radioactive
    elements are dropped.
    """
    from pymatgen.analysis.structure_prediction.substitution_probability import SubstitutionPredictor
    from pymatgen.core import Element

    comp = structure.composition.element_composition
    if predictor is None:
        predictor = SubstitutionPredictor(threshold=threshold)
    try:
        charged = comp.add_charges_from_oxi_state_guesses(max_sites=-1)
    except Exception as exc:  # pymatgen raises several types here
        return [], f"no oxidation-state guess ({type(exc).__name__})"
    if not any(getattr(sp, "oxi_state", 0) for sp in charged):
        return [], "no oxidation-state guess (intermetallic)"
    try:
        preds = predictor.composition_prediction(charged, to_this_composition=False)
    except ValueError as exc:
        return [], str(exc)
    out, seen = [], set()
    for p in sorted(preds, key=lambda d: -d["probability"]):
        mapping = {str(a.element): str(b.element) for a, b in p["substitutions"].items()}
        new_els = list(mapping.values())
        changed = {a: b for a, b in mapping.items() if a != b}
        if not changed or len(set(new_els)) < len(new_els):
            continue
        if any(Element(b).is_noble_gas or Element(b).is_radioactive or b == "H" for b in changed.values()):
            continue
        new = _scaled(structure, changed)
        formula = new.composition.reduced_formula
        if formula in seen:
            continue
        seen.add(formula)
        out.append(
            {
                "formula": formula,
                "parent": parent,
                "substitution": ", ".join(f"{a}->{b}" for a, b in sorted(changed.items())),
                "route": f"data-mined (p = {p['probability']:.1e})",
                "probability": float(p["probability"]),
                "structure": new,
            }
        )
    return out, ""


def relax_candidates(
    candidates: list[dict[str, Any]],
    *,
    pressure_GPa: float = 0.0,
    model: str = "chgnet",
    max_steps: int = 200,
) -> tuple[pd.DataFrame, list[Any]]:
    """Relax each candidate; returns the result rows (with ``parent``, ``substitution``) and the
    relaxed structures (None where the relaxation was skipped, the reason in the row).
    """
    from reviewlib.search.relax import relax_structure

    rows, finals = [], []
    for i, cand in enumerate(candidates):
        row, final = relax_structure(
            structure=cand["structure"],
            pressure_GPa=pressure_GPa,
            model=model,
            max_steps=max_steps,
            cid=f"c{i}",
        )
        row.update(
            parent=cand["parent"],
            substitution=cand["substitution"],
            route=cand.get("route", ""),
        )
        rows.append(row)
        finals.append(final)
    return pd.DataFrame(rows), finals


def dynamical_stability(
    structure: Any, *, model: str = "chgnet", min_length_A: float = 6.0, mesh: int = 8
) -> dict[str, Any]:
    """Harmonic phonons of a relaxed structure with the ML potential.

    Returns ``imaginary_fraction`` (weight fraction of modes below -0.05 THz on a ``mesh``^3 grid;
    0 = harmonically stable), ``min_frequency_THz``, ``supercell`` and ``reason`` (empty, or why
    the check could not run: the structure is then neither stable nor unstable).
    """
    from pymatgen.io.ase import AseAtomsAdaptor
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    from reviewlib import mlip
    from reviewlib.search.phonons import harmonic_phonons, mesh_frequencies

    out: dict[str, Any] = {
        "imaginary_fraction": math.nan,
        "min_frequency_THz": math.nan,
        "supercell": "",
        "reason": "",
    }
    try:
        conv = SpacegroupAnalyzer(structure, symprec=1e-3).get_conventional_standard_structure()
        mult = [max(1, math.ceil(min_length_A / x)) for x in conv.lattice.abc]
        out["supercell"] = "x".join(map(str, mult))
        phonon = harmonic_phonons(
            atoms=AseAtomsAdaptor.get_atoms(conv),
            calc=mlip.calculator(model=model, stress=False),
            supercell=mult,
        )
        f, w = mesh_frequencies(phonon=phonon, mesh=mesh)
        out["imaginary_fraction"] = float(w[f < -0.05].sum() / w.sum())
        out["min_frequency_THz"] = float(np.min(f))
    except Exception as exc:  # a failed check is reported, never fatal
        out["reason"] = f"{type(exc).__name__}: {exc}"[:300]
    return out
