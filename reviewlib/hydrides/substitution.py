"""Ishikawa et al.'s Z±1 substitution: a binary hydride becomes a hypothetical ternary.

The heavy atom X (atomic number Z) of a binary X_aH_b is replaced half by its periodic-table
neighbour Z-1 and half by Z+1 (the formula is doubled first when a is odd), so LaH10 gives
BaCeH20 and H3S gives PClH6. Every descriptor is copied from the parent binary except the
masses (:func:`substitute_binaries`).
"""

from __future__ import annotations

import pandas as pd

from reviewlib.chem import composition_key, parse_formula


def _fmt(symbol: str, amount: float) -> str:
    amount = float(amount)
    if amount == 1:
        return symbol
    return f"{symbol}{int(amount) if amount.is_integer() else f'{amount:g}'}"


def z_neighbour_substitution(*, formula: str):
    """The Z-1 / Z+1 ternary of a binary hydride, as a pymatgen ``Composition``.

    ``ValueError`` when ``formula`` is not a binary hydride or a neighbour does not exist
    (Z-1 would be hydrogen, or Z+1 beyond Lr, 103).
    """
    from pymatgen.core import Composition, Element

    comp = parse_formula(formula, where=f"z_neighbour_substitution({formula!r})")
    amounts = comp.get_el_amt_dict()
    if set(amounts) - {"H"} == set() or "H" not in amounts or len(amounts) != 2:
        raise ValueError(f"{formula!r} is not a binary hydride (elements {sorted(amounts)})")
    (heavy,) = (el for el in amounts if el != "H")
    z = Element(heavy).Z
    if z - 1 < 2 or z + 1 > 103:
        raise ValueError(f"{formula!r}: {heavy} (Z = {z}) has no Z-1 and Z+1 neighbours besides H")
    a, b = amounts[heavy], amounts["H"]
    scale = 1 if float(a / 2).is_integer() else 2
    half = a * scale / 2
    lo, hi = Element.from_Z(z - 1).symbol, Element.from_Z(z + 1).symbol
    return Composition({lo: half, hi: half, "H": b * scale})


def ternary_formula(*, formula: str) -> str:
    """Formula string of :func:`z_neighbour_substitution`, metals by Z then H (``BaCeH20``)."""
    from pymatgen.core import Element

    comp = z_neighbour_substitution(formula=formula)
    amounts = comp.get_el_amt_dict()
    metals = sorted((el for el in amounts if el != "H"), key=lambda s: Element(s).Z)
    return "".join(_fmt(el, amounts[el]) for el in metals) + _fmt("H", amounts["H"])


def substitute_binaries(*, descriptors: pd.DataFrame) -> pd.DataFrame:
    """The Z±1 ternary of every binary row of :func:`~reviewlib.hydrides.hydride_descriptors` output.

    All columns are copied from the parent except ``formula``, ``compound``, ``n_elements`` (3),
    ``partner`` (None) and ``mass_per_atom`` (amu, recomputed); ``parent`` holds the parent
    formula. Non-binary rows are ignored; binaries without two neighbours are skipped and listed
    in ``attrs["skipped"]`` as (formula, reason).
    """
    need = ["formula", "mass_per_atom", "n_elements"]
    missing = [c for c in need if c not in descriptors.columns]
    if missing:
        raise ValueError(f"substitute_binaries: descriptors lack columns {missing}")
    rows, skipped = [], []
    for _, row in descriptors[descriptors["n_elements"] == 2].iterrows():
        try:
            comp = z_neighbour_substitution(formula=row["formula"])
        except ValueError as exc:
            skipped.append((row["formula"], str(exc)))
            continue
        new = row.to_dict()
        new.update(
            parent=row["formula"],
            formula=ternary_formula(formula=row["formula"]),
            compound=composition_key(comp),
            n_elements=3,
            partner=None,
            mass_per_atom=float(comp.weight) / comp.num_atoms,
        )
        rows.append(new)
    out = pd.DataFrame(rows, columns=[*descriptors.columns, "parent"])
    out.attrs["skipped"] = skipped
    return out
