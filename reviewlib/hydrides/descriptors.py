"""Composition-level descriptors of hydrides (Ishikawa et al. 2019, Hutcheon et al. 2020).

* :func:`hydride_descriptors` -- from formula, pressure (GPa), optional space group and mu*:
  hydrogen concentration, H per non-H atom, mass per atom (amu), space group and crystal
  system, mu*, pressure, and the Hutcheon descriptors of the non-hydrogen element(s): hydrogen
  content n, van der Waals radius (Angstrom), atomic number, mass number and valence-shell
  configuration (s, p, d, f electron counts).
* :func:`crystal_system` -- crystal system of a space-group number (pymatgen).

For a hydride with several non-H elements the Hutcheon element descriptors are averages over
the non-H atoms weighted by their amounts (Hutcheon et al. use binaries only).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from reviewlib.chem import composition_key, parse_formula
from reviewlib.hydrides.elements import element_table

#: Hutcheon et al.'s descriptors as columns of :func:`hydride_descriptors`.
HUTCHEON_COLUMNS = ("n_H", "vdw_radius", "Z", "mass_number", "n_s", "n_p", "n_d", "n_f")
#: Ishikawa et al.'s five inputs (hydrogen concentration, space group, mass per atom, mu*,
#: pressure) as columns of :func:`hydride_descriptors`.
ISHIKAWA_COLUMNS = ("h_fraction", "space_group", "mass_per_atom", "mu_star", "pressure_GPa")
_ELEMENT_COLUMNS = ("vdw_radius", "Z", "mass_number", "n_s", "n_p", "n_d", "n_f")


@cache
def crystal_system(space_group: int) -> str:
    """Crystal system (``"cubic"``, ``"hexagonal"``, ...) of a space-group number 1-230.

    pymatgen's ``SpaceGroup.crystal_system`` rule, applied to the number without building the
    group's symmetry operations (which takes about 0.2 s per group).
    """
    from types import SimpleNamespace

    from pymatgen.symmetry.groups import SpaceGroup

    number = int(space_group)
    if not 1 <= number <= 230:
        raise ValueError(f"space group must be 1-230, got {space_group!r}")
    return SpaceGroup.crystal_system.fget(SimpleNamespace(int_number=number))


@cache
def _element_row(symbol: str) -> dict:
    return element_table(symbols=[symbol]).iloc[0].to_dict()


def _one(formula, pressure, space_group, mu_star, where: str) -> dict:
    comp = parse_formula(formula, where=where)
    amounts = comp.get_el_amt_dict()
    if "H" not in amounts:
        raise ValueError(f"{where}: {formula!r} holds no hydrogen")
    others = {el: amt for el, amt in amounts.items() if el != "H"}
    if not others:
        raise ValueError(f"{where}: {formula!r} is pure hydrogen, not a hydride")
    p = float(pressure)
    if not np.isfinite(p) or p < 0:
        raise ValueError(f"{where}: pressure {pressure!r} GPa must be a non-negative number")
    n_atoms = comp.num_atoms
    n_other = sum(others.values())
    row = {
        "formula": str(formula),
        "compound": composition_key(comp),
        "n_elements": len(amounts),
        "h_fraction": amounts["H"] / n_atoms,
        "n_H": amounts["H"] / n_other,
        "mass_per_atom": float(comp.weight) / n_atoms,
        "pressure_GPa": p,
    }
    sg = None if space_group is None or pd.isna(space_group) else int(space_group)
    row["space_group"] = sg if sg is not None else np.nan
    row["crystal_system"] = crystal_system(sg) if sg is not None else None
    row["mu_star"] = np.nan if mu_star is None or pd.isna(mu_star) else float(mu_star)
    props = {el: _element_row(el) for el in others}
    for col in _ELEMENT_COLUMNS:
        row[col] = sum(props[el][col] * amt for el, amt in others.items()) / n_other
    row["partner"] = next(iter(others)) if len(others) == 1 else None
    return row


def hydride_descriptors(
    *,
    formulas: Sequence[str],
    pressures_GPa: Sequence[float],
    space_groups: Sequence[int | None] | None = None,
    mu_stars: Sequence[float | None] | None = None,
) -> pd.DataFrame:
    """Descriptors of each hydride, one row per formula.

    Columns: ``formula``, ``compound`` (reduced formula key), ``n_elements``, ``h_fraction``
    (H atoms / all atoms), ``n_H`` (H atoms per non-H atom, Hutcheon's n), ``mass_per_atom``
    (amu), ``pressure_GPa``, ``space_group`` (NaN when unknown), ``crystal_system``, ``mu_star``
    (NaN when unknown), the amount-weighted non-H element data ``vdw_radius`` (Angstrom), ``Z``,
    ``mass_number``, ``n_s``, ``n_p``, ``n_d``, ``n_f``, and ``partner`` (the non-H element of a
    binary, else None). ``ValueError`` (naming the row) for an unparseable formula, an unknown
    element, no hydrogen, or a negative pressure.
    """
    formulas = list(formulas)
    n = len(formulas)
    pressures = list(pressures_GPa)
    sgs = list(space_groups) if space_groups is not None else [None] * n
    mus = list(mu_stars) if mu_stars is not None else [None] * n
    if not (len(pressures) == len(sgs) == len(mus) == n):
        raise ValueError("formulas, pressures_GPa, space_groups and mu_stars must have equal lengths")
    rows = [
        _one(f, p, s, m, where=f"row {i} ({f!r})")
        for i, (f, p, s, m) in enumerate(zip(formulas, pressures, sgs, mus, strict=True))
    ]
    columns = [
        "formula",
        "compound",
        "n_elements",
        "h_fraction",
        "n_H",
        "mass_per_atom",
        "pressure_GPa",
        "space_group",
        "crystal_system",
        "mu_star",
        *_ELEMENT_COLUMNS,
        "partner",
    ]
    return pd.DataFrame(rows, columns=columns)  # the columns also when there are no rows
