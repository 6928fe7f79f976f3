"""Symmetry-constrained random crystal structures from PyXtal, seeded and reproducible.

A *candidate* is a plain dict: ``id`` (stable across runs with the same seed), ``formula`` (the
cell's formula), ``composition`` (reduced formula), ``formula_units``, ``spacegroup_requested``,
``structure`` (a pymatgen primitive cell) or ``None`` with a ``reason`` when PyXtal could not
build it. Failures are returned, not raised, so a search lists them and goes on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np


def _counts(composition: str) -> dict[str, int]:
    """Integer atom counts of one formula unit, e.g. ``"LuH2"`` -> ``{"Lu": 1, "H": 2}``."""
    from pymatgen.core import Composition

    try:
        comp = Composition(composition)
    except Exception as exc:
        raise ValueError(f"composition {composition!r} is not a chemical formula ({exc})") from exc
    counts = {str(el): amt for el, amt in comp.items()}
    from pymatgen.core import Element

    unknown = [el for el in counts if not Element.is_valid_symbol(el)]
    if unknown:
        raise ValueError(f"composition {composition!r}: unknown element symbol(s) {unknown}")
    if not counts or any(abs(a - round(a)) > 1e-8 or a <= 0 for a in counts.values()):
        raise ValueError(
            f"composition {composition!r}: give whole atom counts per formula unit, e.g. 'Lu2H5N'"
        )
    return {el: round(a) for el, a in counts.items()}


@cache
def _group(number: int) -> Any:
    """PyXtal's space group object (slow to build, so built once per process)."""
    from pyxtal.symmetry import Group

    return Group(number)


@cache
def compatible_spacegroups(counts: tuple[int, ...]) -> tuple[int, ...]:
    """Space groups (2-230) in which PyXtal can place ``counts`` atoms per primitive cell."""
    out = []
    for sg in range(2, 231):
        group = _group(sg)
        mult = group.cellsize()
        if group.check_compatible([c * mult for c in counts])[0]:
            out.append(sg)
    return tuple(out)


def candidate_id(*, composition: str, formula_units: int, index: int, seed: int) -> str:
    """A short stable id for one random candidate (same inputs, same id, on every machine)."""
    key = f"{_reduced(composition)}|{formula_units}|{index}|{seed}"
    return (
        f"{_reduced(composition)}-z{formula_units}-{index:04d}-" + hashlib.sha1(key.encode()).hexdigest()[:6]
    )


def _reduced(composition: str) -> str:
    from pymatgen.core import Composition

    return Composition(composition).reduced_formula


def random_candidates(
    *,
    compositions: Iterable[str],
    formula_units: Iterable[int] = (1, 2),
    n_per_composition: int = 10,
    seed: int = 0,
    max_atoms: int = 16,
    volume_factor: float = 1.1,
) -> list[dict[str, Any]]:
    """Random candidates for each composition and number of formula units (seeded).

    Args:
        compositions: formulas of one formula unit with whole counts (``"LuH3"``, ``"Lu2H5N"``).
        formula_units: formula units per primitive cell to try; cells above ``max_atoms`` are left out.
        n_per_composition: candidates per (composition, formula units).
        seed: master seed; every candidate derives its own seed from it and its index.
        max_atoms: largest primitive cell generated (atoms).
        volume_factor: PyXtal's volume factor (1.0 = sum of atomic volumes).

    Returns:
        Candidate dicts (see the module docstring); failed ones have ``structure=None`` and a reason.
    """
    if n_per_composition < 0:
        raise ValueError("n_per_composition must be >= 0")
    out: list[dict[str, Any]] = []
    for composition in compositions:
        counts = _counts(composition)
        for z in formula_units:
            n_atoms = z * sum(counts.values())
            if n_atoms > max_atoms:
                continue
            species = list(counts)
            prim = tuple(counts[el] * z for el in species)
            groups = compatible_spacegroups(prim)
            for i in range(n_per_composition):
                cid = candidate_id(composition=composition, formula_units=z, index=i, seed=seed)
                sub_seed = int(hashlib.sha1(cid.encode()).hexdigest()[:8], 16)
                rng = np.random.default_rng(sub_seed)
                sg = int(rng.choice(groups)) if groups else 1
                out.append(
                    build_candidate(
                        cid=cid,
                        species=species,
                        counts=prim,
                        spacegroup=sg,
                        seed=sub_seed,
                        composition=composition,
                        formula_units=z,
                        volume_factor=volume_factor,
                    )
                )
    return out


def build_candidate(
    *,
    cid: str,
    species: list[str],
    counts: tuple[int, ...],
    spacegroup: int,
    seed: int,
    composition: str = "",
    formula_units: int = 1,
    volume_factor: float = 1.1,
) -> dict[str, Any]:
    """One PyXtal random structure with ``counts`` atoms per primitive cell in ``spacegroup``.

    A space group PyXtal cannot fill with these counts, or a generation failure, gives a
    candidate with ``structure=None`` and the reason.
    """
    from pyxtal import pyxtal

    formula = "".join(f"{el}{n}" for el, n in zip(species, counts, strict=True))
    row: dict[str, Any] = {
        "id": cid,
        "formula": formula,
        "composition": _reduced(composition or formula),
        "formula_units": int(formula_units),
        "spacegroup_requested": int(spacegroup),
        "structure": None,
        "reason": "",
    }
    try:
        group = _group(spacegroup)
        mult = group.cellsize()
        conv = [c * mult for c in counts]
        if not group.check_compatible(conv)[0]:
            row["reason"] = (
                f"pyxtal: {formula} cannot be placed on the Wyckoff sites of space group {spacegroup}"
            )
            return row
        crystal = pyxtal()
        crystal.from_random(
            3, group, species, conv, factor=volume_factor, random_state=seed % (2**31), max_count=20
        )
        if not crystal.valid:
            row["reason"] = f"pyxtal: no valid {formula} structure in space group {spacegroup}"
            return row
        structure = crystal.to_pymatgen().get_primitive_structure()
    except Exception as exc:  # PyXtal raises several error types (RuntimeError, its own errors)
        row["reason"] = (
            f"pyxtal failed for {formula} in space group {spacegroup}: {type(exc).__name__}: {exc}"
        )
        return row
    row["structure"] = structure
    return row
