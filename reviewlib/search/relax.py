"""Relaxation of structures under hydrostatic pressure with a universal MLIP, many at once.

The optimiser is ASE's FIRE (Bitzek et al., PRL 97, 170201 (2006); ASE's parameters: dt 0.1,
maxstep 0.2, dtmax 1.0, Nmin 5, finc 1.1, fdec 0.5, astart 0.1, fa 0.99) on the degrees of freedom
of ASE's ``FrechetCellFilter`` with a scalar pressure: atomic positions in the undeformed cell and
N times the matrix logarithm of the cell deformation, so it minimises the enthalpy H = E + PV and
converges when every atomic force and every cell "force" (the virial of the stress plus pressure,
pulled back through the exponential map, divided by N) is below ``fmax``. It is reimplemented here
with one optimiser state per structure so that many structures advance together: each step
evaluates all structures still running with ONE call of a batched potential
(:class:`reviewlib.mlip.CHGNetBatch` for CHGNet: one forward and one backward pass), a structure
that converges, runs out of steps or fails leaves the batch and the next waiting structure takes
its place. With the same forces it takes the same steps as ASE's ``FIRE(FrechetCellFilter(atoms,
scalar_pressure=P))`` (``tests/test_search_batch.py`` compares the two).

Faults are results, not exceptions, and they stay with their structure: an element outside the
model's training set, overlapping atoms, a diverging or exploding relaxation (non-finite energy or
forces, a volume change beyond ``max_volume_ratio``, an unphysical energy, a failed evaluation)
each give a row with ``status="skipped"`` and the reason, and the other structures of the batch
go on.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from functools import cache
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


#: ASE's FIRE parameters (ase.optimize.FIRE defaults, maxstep from Optimizer.defaults)
FIRE_PARAMETERS = {
    "dt": 0.1,
    "maxstep": 0.2,
    "dtmax": 1.0,
    "Nmin": 5,
    "finc": 1.1,
    "fdec": 0.5,
    "astart": 0.1,
    "fa": 0.99,
}

#: structures advanced together by one potential call when ``batch_size`` is not given
#: (``benchmarks/search.py``: CHGNet's CPU time per structure and step is lowest near 10)
DEFAULT_BATCH_SIZE = 10

#: A batched potential: called with a list of systems ``(atomic numbers, Cartesian positions Å,
#: cell Å, pbc)`` and a list of flags "stress needed", it returns per system a dict with ``energy``
#: (eV), ``forces`` (eV/Å, (n, 3)) and ``stress`` (eV/Å^3, 3x3, ASE's sign), or the exception of
#: that system.
BatchPotential = Callable[[list[tuple[np.ndarray, np.ndarray, np.ndarray, Any]], list[bool]], list[Any]]


class ASEPotential:
    """A :data:`BatchPotential` from an ASE calculator: the systems are evaluated one after another."""

    def __init__(self, calc: Any) -> None:
        self.calc = calc

    def __call__(self, systems: list[tuple[Any, ...]], stress: list[bool]) -> list[Any]:  # noqa: D102
        from ase import Atoms
        from ase.stress import voigt_6_to_full_3x3_stress

        out: list[Any] = []
        for (numbers, positions, cell, pbc), need_stress in zip(systems, stress, strict=True):
            atoms = Atoms(numbers=numbers, positions=positions, cell=cell, pbc=pbc)
            atoms.calc = self.calc
            try:
                res = {"energy": float(atoms.get_potential_energy()), "forces": np.array(atoms.get_forces())}
                s = atoms.get_stress(voigt=True) if need_stress else np.zeros(6)
                res["stress"] = voigt_6_to_full_3x3_stress(s)
            except (ValueError, RuntimeError, np.linalg.LinAlgError, FloatingPointError) as exc:
                res = exc
            out.append(res)
        return out


class CHGNetPotential:
    """A :data:`BatchPotential` for CHGNet: all systems in one :class:`reviewlib.mlip.CHGNetBatch` call."""

    def __init__(self) -> None:
        from reviewlib import mlip

        self.batch = mlip.CHGNetBatch()

    def __call__(self, systems: list[tuple[Any, ...]], stress: list[bool]) -> list[Any]:  # noqa: D102
        from pymatgen.core import Lattice, Structure

        structures = [
            Structure(
                Lattice(cell, pbc=tuple(bool(p) for p in pbc)), numbers, positions, coords_are_cartesian=True
            )
            for numbers, positions, cell, pbc in systems
        ]
        return self.batch(structures, stress=any(stress))


@cache
def batch_potential(model: str = "chgnet") -> Any:
    """The batched potential of ``model``, one per process: CHGNet batched, SevenNet through ASE."""
    from reviewlib import mlip

    if model not in mlip.MODELS:
        raise ValueError(f"unknown MLIP {model!r}; choose one of {mlip.MODELS}")
    if model == "chgnet":
        return CHGNetPotential()
    return ASEPotential(mlip.calculator(model=model))


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

    One structure through :func:`relax_structures` (a batch of one).

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
    return relax_structures(
        structures=[structure],
        pressure_GPa=pressure_GPa,
        model=model,
        fmax=fmax,
        max_steps=max_steps,
        min_distance_A=min_distance_A,
        max_volume_ratio=max_volume_ratio,
        relax_cell=relax_cell,
        calc=calc,
        cids=[cid],
    )[0]


def relax_structures(
    *,
    structures: Sequence[Any],
    pressure_GPa: float | Sequence[float] = 0.0,
    model: str = "chgnet",
    fmax: float = 0.05,
    max_steps: int = 300,
    min_distance_A: float = 0.5,
    max_volume_ratio: float = 6.0,
    relax_cell: bool | Sequence[bool] = True,
    calc: Any = None,
    potential: BatchPotential | None = None,
    cids: Sequence[str] | None = None,
    batch_size: int | None = None,
) -> list[tuple[dict[str, Any], Any]]:
    """Relax many structures together, ``batch_size`` at a time, each with its own FIRE state.

    Every step evaluates the structures still running with one call of the batched potential;
    a structure leaves the batch when it converges (every atomic and cell force below ``fmax``),
    reaches ``max_steps`` or fails, and the next waiting structure joins. Deterministic: the same
    structures and ``batch_size`` give the same results (the batch's composition changes the
    float32 rounding of a batched model only at the 1e-6 eV/atom level).

    Args:
        structures: pymatgen ``Structure`` objects.
        pressure_GPa: hydrostatic pressure (GPa), one for all or one per structure.
        model: ``"chgnet"`` (batched) or ``"sevennet"`` (through its ASE calculator); ignored when
            ``calc`` or ``potential`` is given.
        fmax: force convergence threshold (eV/Å, atoms and cell degrees of freedom alike).
        max_steps: FIRE steps per structure before giving up (``converged=False``).
        min_distance_A: starting structures with two atoms closer than this (Å) are skipped.
        max_volume_ratio: a relaxation whose volume changes by more than this factor has diverged.
        relax_cell: relax the cell too (False: positions only), one for all or one per structure.
        calc: an ASE calculator, evaluated one structure at a time (:class:`ASEPotential`).
        potential: a :data:`BatchPotential` (takes precedence over ``calc`` and ``model``).
        cids: identifiers copied into the rows (default ``""``).
        batch_size: structures advanced together (default :data:`DEFAULT_BATCH_SIZE`).

    Returns:
        Per structure, in input order, the row (keys of :data:`RESULT_COLUMNS`, as
        :func:`relax_structure`; ``seconds`` is the wall time the structure spent in the batch)
        and the relaxed pymatgen structure (``None`` when skipped).
    """
    from reviewlib import mlip

    n = len(structures)
    pressures = _per_structure(pressure_GPa, n, "pressure_GPa")
    cells = _per_structure(relax_cell, n, "relax_cell")
    cids = [""] * n if cids is None else list(cids)
    if len(cids) != n:
        raise ValueError(f"cids has {len(cids)} entries for {n} structures")
    batch_size = DEFAULT_BATCH_SIZE if batch_size is None else int(batch_size)
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    label = model
    if potential is None:
        potential = ASEPotential(calc) if calc is not None else None
    out: list[tuple[dict[str, Any], Any]] = [None] * n  # type: ignore[list-item]
    waiting: list[_Member] = []
    for i, structure in enumerate(structures):
        row: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
        comp = structure.composition
        row.update(
            id=cids[i],
            composition=comp.reduced_formula,
            formula=comp.formula.replace(" ", ""),
            n_atoms=len(structure),
            pressure_GPa=float(pressures[i]),
            model=label,
            steps=0,
            converged=False,
            status="skipped",
            reason="",
        )
        if calc is None and potential is None:
            uncovered = sorted({el.symbol for el in comp.elements} - mlip.supported_elements(model=model))
            if uncovered:
                row["reason"] = f"element(s) {uncovered} outside the training set of {model}"
                out[i] = (row, None)
                continue
        dmin = min_distance(structure)
        row["min_distance_A"] = dmin
        if dmin < min_distance_A:
            row["reason"] = f"overlapping atoms: shortest distance {dmin:.2f} Å < {min_distance_A} Å"
            out[i] = (row, None)
            continue
        waiting.append(
            _Member(
                index=i,
                row=row,
                structure=structure,
                pressure=float(pressures[i]) * GPA_IN_EV_PER_A3,
                relax_cell=bool(cells[i]),
            )
        )
    if waiting and potential is None:
        potential = batch_potential(model)
    waiting.reverse()  # pop() from the end takes them in input order
    active: list[_Member] = []
    settings = {"fmax": fmax, "max_steps": max_steps, "max_volume_ratio": max_volume_ratio}
    while waiting or active:
        while waiting and len(active) < batch_size:
            member = waiting.pop()
            member.start()
            active.append(member)
        results = potential([m.system() for m in active], [m.relax_cell for m in active])
        for member, result in zip(active, results, strict=True):
            member.advance(result, **settings)
        for member in active:
            if member.done:
                out[member.index] = member.finish(min_distance_A=min_distance_A, max_steps=max_steps)
        active = [m for m in active if not m.done]
    return out


def _per_structure(value: Any, n: int, name: str) -> list[Any]:
    if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray):
        return [value] * n
    if len(value) != n:
        raise ValueError(f"{name} has {len(value)} entries for {n} structures")
    return list(value)


class _Diverged(RuntimeError):
    pass


class _Member:
    """One structure in the batch: its positions, cell and FIRE state (ASE's FIRE, one per structure)."""

    def __init__(self, *, index: int, row: dict[str, Any], structure: Any, pressure: float, relax_cell: bool):
        self.index = index
        self.row = row
        self.structure = structure
        self.pressure = pressure  # eV/Å^3
        self.relax_cell = relax_cell
        self.done = False
        self.failure = ""

    def start(self) -> None:
        from pymatgen.io.ase import AseAtomsAdaptor

        self.t0 = time.perf_counter()
        self.atoms = AseAtomsAdaptor.get_atoms(self.structure)
        self.n = len(self.atoms)
        self.numbers = self.atoms.get_atomic_numbers()
        self.pbc = self.atoms.get_pbc()
        self.orig_cell = np.array(self.atoms.get_cell())
        self.cell = self.orig_cell.copy()
        self.positions = self.atoms.get_positions()
        self.v0 = abs(np.linalg.det(self.orig_cell))
        # FrechetCellFilter's cell variables: log of the deformation gradient F (cell = orig_cell F^T);
        # ASE recomputes it from the cell with logm, here it is the state itself (F = expm(log_f))
        self.log_f = np.zeros((3, 3))
        self.deform = np.eye(3)
        self.nsteps = 0
        p = FIRE_PARAMETERS
        self.dt, self.a, self.fire_n, self.vel = p["dt"], p["astart"], 0, None

    def system(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, Any]:
        return self.numbers, self.positions, self.cell, self.pbc

    def advance(self, result: Any, *, fmax: float, max_steps: int, max_volume_ratio: float) -> None:
        """Take the evaluation at the current geometry: check it, test convergence, step FIRE."""
        try:
            if isinstance(result, BaseException):
                raise _Diverged(f"{type(result).__name__}: {result}")
            self.energy = float(result["energy"])
            self.forces = np.asarray(result["forces"], dtype=float)
            self.stress = np.asarray(result["stress"], dtype=float)
            self._check(max_volume_ratio)
            gradient = self._filter_forces()
            if np.linalg.norm(gradient, axis=1).max() < fmax:
                self.row["converged"] = True
                self.done = True
                return
            if self.nsteps >= max_steps:
                self.done = True
                return
            self._fire_step(gradient.ravel())
            self.nsteps += 1
        except (_Diverged, ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
            msg = str(exc) if isinstance(exc, _Diverged) else f"{type(exc).__name__}: {exc}"
            self.failure = f"relaxation diverged: {msg}"
            self.done = True

    def _check(self, max_volume_ratio: float) -> None:
        e, f = self.energy, self.forces
        ratio = abs(np.linalg.det(self.cell)) / self.v0
        if not (math.isfinite(e) and np.isfinite(f).all() and np.isfinite(self.stress).all()):
            raise _Diverged("non-finite energy or forces")
        if ratio > max_volume_ratio or ratio < 1.0 / max_volume_ratio:
            raise _Diverged(f"volume changed by a factor {ratio:.2g}")
        if e / self.n < -50.0:
            raise _Diverged(f"energy {e / self.n:.1f} eV/atom is unphysical")

    def _filter_forces(self) -> np.ndarray:
        """FrechetCellFilter.get_forces: atomic forces in the reference cell and the cell forces."""
        if not self.relax_cell:
            return self.forces
        from scipy.linalg import expm_frechet

        volume = abs(np.linalg.det(self.cell))
        virial = -volume * (self.stress + np.eye(3) * self.pressure)
        ucf_cell_grad = virial @ np.linalg.inv(self.deform.T)
        # sum_{mu nu} <dexp(log F)[E_mu nu], G> E_mu nu = dexp(log F^T)[G] (adjoint of the Frechet derivative)
        cell_forces = expm_frechet(self.log_f.T, ucf_cell_grad, compute_expm=False)
        return np.vstack([self.forces @ self.deform, cell_forces / self.n])

    def _x(self) -> np.ndarray:
        if not self.relax_cell:
            return self.positions.ravel()
        reference = np.linalg.solve(self.deform, self.positions.T).T
        return np.vstack([reference, self.n * self.log_f]).ravel()

    def _set_x(self, x: np.ndarray) -> None:
        if not self.relax_cell:
            self.positions = x.reshape(-1, 3)
            return
        from scipy.linalg import expm

        x = x.reshape(-1, 3)
        self.log_f = x[self.n :] / self.n
        self.deform = expm(self.log_f)
        self.cell = self.orig_cell @ self.deform.T
        self.positions = x[: self.n] @ self.deform.T

    def _fire_step(self, f: np.ndarray) -> None:
        """ase.optimize.FIRE.step with ``f`` the (filtered) forces, flattened."""
        p = FIRE_PARAMETERS
        if self.vel is None:
            self.vel = np.zeros_like(f)
        else:
            vf = np.vdot(f, self.vel)
            if vf > 0.0:
                self.vel = (1.0 - self.a) * self.vel + self.a * f / np.sqrt(np.vdot(f, f)) * np.sqrt(
                    np.vdot(self.vel, self.vel)
                )
                if self.fire_n > p["Nmin"]:
                    self.dt = min(self.dt * p["finc"], p["dtmax"])
                    self.a *= p["fa"]
                self.fire_n += 1
            else:
                self.vel[:] *= 0.0
                self.a = p["astart"]
                self.dt *= p["fdec"]
                self.fire_n = 0
        self.vel += self.dt * f
        dr = self.dt * self.vel
        normdr = np.sqrt(np.vdot(dr, dr))
        if normdr > p["maxstep"]:
            dr = p["maxstep"] * dr / normdr
        self._set_x(self._x() + dr)

    def finish(self, *, min_distance_A: float, max_steps: int) -> tuple[dict[str, Any], Any]:
        from pymatgen.io.ase import AseAtomsAdaptor

        row = self.row
        row["seconds"] = time.perf_counter() - self.t0
        row["steps"] = self.nsteps
        if self.failure:
            row["reason"] = self.failure
            return row, None
        volume = abs(float(np.linalg.det(self.cell)))
        row.update(
            energy_eV_per_atom=self.energy / self.n,
            enthalpy_eV_per_atom=(self.energy + self.pressure * volume) / self.n,
            volume_A3_per_atom=volume / self.n,
            max_force_eV_per_A=float(np.linalg.norm(self.forces, axis=1).max()),
        )
        atoms = self.atoms.copy()
        atoms.set_cell(self.cell, scale_atoms=False)
        atoms.set_positions(self.positions)
        final = AseAtomsAdaptor.get_structure(atoms)
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
