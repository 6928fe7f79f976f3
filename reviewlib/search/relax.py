"""Relaxation of one structure under hydrostatic pressure with a universal MLIP through ASE.

The optimiser (FIRE) moves atoms and cell together (``FrechetCellFilter`` with a scalar
pressure), so it minimises the enthalpy H = E + PV. Faults are results, not exceptions: an element
outside the model's training set, overlapping atoms, a diverging or exploding relaxation each give
a row with ``status="skipped"`` and the reason, so a batch lists them and goes on.
"""

from __future__ import annotations

import math
import time
import warnings
from typing import Any

import numpy as np

#: 1 GPa in eV/Å^3
GPA_IN_EV_PER_A3 = 1.0 / 160.21766208

RESULT_COLUMNS = [
    "id",
    "composition",
    "formula",
    "n_atoms",
    "pressure_GPa",
    "model",
    "spacegroup_requested",
    "spacegroup",
    "energy_eV_per_atom",
    "enthalpy_eV_per_atom",
    "volume_A3_per_atom",
    "min_distance_A",
    "max_force_eV_per_A",
    "steps",
    "converged",
    "seconds",
    "status",
    "reason",
]


def min_distance(structure: Any) -> float:
    """Shortest interatomic distance in a periodic structure (Å), images included."""
    if len(structure) == 1:
        return float(min(structure.lattice.abc))
    dm = structure.distance_matrix.copy()
    np.fill_diagonal(dm, np.inf)
    return float(min(dm.min(), min(structure.lattice.abc)))


def _spacegroup(structure: Any, *, symprec: float = 0.1) -> int:
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    try:
        return int(SpacegroupAnalyzer(structure, symprec=symprec).get_space_group_number())
    except Exception:  # spglib fails on pathological cells; symmetry is then unknown
        return 0


def relax_structure(
    *,
    structure: Any,
    pressure_GPa: float = 0.0,
    model: str = "chgnet",
    fmax: float = 0.05,
    max_steps: int = 300,
    min_distance_A: float = 0.5,
    max_volume_ratio: float = 6.0,
    relax_cell: bool = True,
    calc: Any = None,
    cid: str = "",
) -> tuple[dict[str, Any], Any]:
    """Relax ``structure`` at ``pressure_GPa`` with ``model`` and return (result row, final structure).

    Args:
        structure: pymatgen ``Structure``.
        pressure_GPa: hydrostatic pressure (GPa); the enthalpy includes the PV term.
        model: ``"chgnet"`` or ``"sevennet"`` (see :mod:`reviewlib.mlip`); ignored when ``calc`` is given.
        fmax: force convergence threshold (eV/Å; the cell stress is scaled alike by the filter).
        max_steps: FIRE steps before giving up (the row is then ``converged=False``).
        min_distance_A: starting structures with two atoms closer than this (Å) are skipped.
        max_volume_ratio: a relaxation whose volume grows or shrinks by more than this factor,
            or whose energy or forces become non-finite, has diverged and is skipped.
        relax_cell: relax the cell too (False: positions only, fixed cell).
        calc: an ASE calculator to use instead of the cached one of ``model``.
        cid: identifier copied into the row.

    Returns:
        The row (keys of :data:`RESULT_COLUMNS`; energies in eV/atom, volume in Å^3/atom) and the
        relaxed pymatgen structure (``None`` when skipped).
    """
    from reviewlib import mlip

    row: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
    comp = structure.composition
    row.update(
        id=cid,
        composition=comp.reduced_formula,
        formula=comp.formula.replace(" ", ""),
        n_atoms=len(structure),
        pressure_GPa=float(pressure_GPa),
        model=model,
        steps=0,
        converged=False,
        status="skipped",
        reason="",
    )
    if calc is None:
        uncovered = sorted({el.symbol for el in comp.elements} - mlip.supported_elements(model=model))
        if uncovered:
            row["reason"] = f"element(s) {uncovered} outside the training set of {model}"
            return row, None
    dmin = min_distance(structure)
    row["min_distance_A"] = dmin
    if dmin < min_distance_A:
        row["reason"] = f"overlapping atoms: shortest distance {dmin:.2f} Å < {min_distance_A} Å"
        return row, None
    start = time.perf_counter()
    try:
        final, info = _run_fire(
            structure=structure,
            calc=calc if calc is not None else mlip.calculator(model=model),
            pressure_GPa=pressure_GPa,
            fmax=fmax,
            max_steps=max_steps,
            max_volume_ratio=max_volume_ratio,
            relax_cell=relax_cell,
        )
    except _Diverged as exc:
        row["seconds"] = time.perf_counter() - start
        row["reason"] = f"relaxation diverged: {exc}"
        return row, None
    row["seconds"] = time.perf_counter() - start
    row.update(info)
    row["spacegroup"] = _spacegroup(final)
    row["min_distance_A"] = min_distance(final)
    if row["min_distance_A"] < min_distance_A:
        row["status"] = "skipped"
        row["reason"] = f"relaxation collapsed atoms to {row['min_distance_A']:.2f} Å"
        return row, None
    row["status"] = "ok" if row["converged"] else "unconverged"
    if not row["converged"]:
        row["reason"] = f"max force {row['max_force_eV_per_A']:.3f} eV/Å after {max_steps} steps"
    return row, final


class _Diverged(RuntimeError):
    pass


def _run_fire(
    *,
    structure: Any,
    calc: Any,
    pressure_GPa: float,
    fmax: float,
    max_steps: int,
    max_volume_ratio: float,
    relax_cell: bool,
) -> tuple[Any, dict[str, Any]]:
    from ase.filters import FrechetCellFilter
    from ase.optimize import FIRE
    from pymatgen.io.ase import AseAtomsAdaptor

    atoms = AseAtomsAdaptor.get_atoms(structure)
    atoms.calc = calc
    n = len(atoms)
    v0 = atoms.get_volume()
    pressure = pressure_GPa * GPA_IN_EV_PER_A3
    target = FrechetCellFilter(atoms, scalar_pressure=pressure) if relax_cell else atoms

    def check() -> None:
        e = atoms.get_potential_energy()
        f = atoms.get_forces()
        ratio = atoms.get_volume() / v0
        if not (math.isfinite(e) and np.isfinite(f).all()):
            raise _Diverged("non-finite energy or forces")
        if ratio > max_volume_ratio or ratio < 1.0 / max_volume_ratio:
            raise _Diverged(f"volume changed by a factor {ratio:.2g}")
        if e / n < -50.0:
            raise _Diverged(f"energy {e / n:.1f} eV/atom is unphysical")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = FIRE(target, logfile=None)
        opt.attach(check, interval=10)
        try:
            converged = bool(opt.run(fmax=fmax, steps=max_steps))
        except (ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
            raise _Diverged(f"{type(exc).__name__}: {exc}") from exc
        check()
        energy = float(atoms.get_potential_energy())
        forces = atoms.get_forces()
    volume = float(atoms.get_volume())
    info = {
        "energy_eV_per_atom": energy / n,
        "enthalpy_eV_per_atom": (energy + pressure * volume) / n,
        "volume_A3_per_atom": volume / n,
        "max_force_eV_per_A": float(np.linalg.norm(forces, axis=1).max()),
        "steps": int(opt.nsteps),
        "converged": converged,
    }
    return AseAtomsAdaptor.get_structure(atoms.copy()), info
