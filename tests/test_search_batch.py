"""Batched relaxation (reviewlib.search.relax.relax_structures) against ASE's own FIRE + FrechetCellFilter."""

import numpy as np
import pytest
from ase.calculators.emt import EMT
from ase.filters import FrechetCellFilter
from ase.optimize import FIRE
from pymatgen.core import Lattice, Structure
from pymatgen.io.ase import AseAtomsAdaptor

from reviewlib.search import relax


def _cells():
    """Small strained and rattled EMT cells (EMT has stresses, so cell and atoms both relax)."""
    rng = np.random.default_rng(5)
    out = []
    for species, a, n in [("Cu", 3.8, (1, 1, 2)), ("Al", 4.3, (1, 1, 1)), ("Ni", 3.3, (2, 1, 1))]:
        s = Structure.from_spacegroup("Fm-3m", Lattice.cubic(a), [species], [[0, 0, 0]]) * n
        s = Structure(
            Lattice(s.lattice.matrix @ (np.eye(3) + 0.03 * rng.normal(size=(3, 3)))),
            s.species,
            s.frac_coords + 0.02 * rng.normal(size=(len(s), 3)),
        )
        out.append(s)
    return out


def _ase_fire(structure, *, calc, pressure_GPa=0.0, fmax=0.01, steps=400, relax_cell=True):
    atoms = AseAtomsAdaptor.get_atoms(structure)
    atoms.calc = calc
    target = (
        FrechetCellFilter(atoms, scalar_pressure=pressure_GPa * relax.GPA_IN_EV_PER_A3)
        if relax_cell
        else atoms
    )
    opt = FIRE(target, logfile=None)
    converged = opt.run(fmax=fmax, steps=steps)
    return atoms.get_potential_energy() / len(atoms), atoms.get_volume() / len(atoms), opt.nsteps, converged


@pytest.mark.parametrize("pressure_GPa", [0.0, 5.0])
def test_batched_fire_takes_ase_fire_steps_to_the_same_minimum(pressure_GPa):
    cells = _cells()
    ref = [_ase_fire(s, calc=EMT(), pressure_GPa=pressure_GPa) for s in cells]
    for batch_size in (1, 3):
        out = relax.relax_structures(
            structures=cells,
            calc=EMT(),
            pressure_GPa=pressure_GPa,
            fmax=0.01,
            max_steps=400,
            batch_size=batch_size,
        )
        for (e, v, steps, converged), (row, final) in zip(ref, out, strict=True):
            assert converged and row["status"] == "ok", row
            assert row["steps"] == steps  # the same FIRE trajectory, step for step
            assert row["energy_eV_per_atom"] == pytest.approx(e, abs=1e-8)
            assert row["volume_A3_per_atom"] == pytest.approx(v, rel=1e-8)
            h = row["energy_eV_per_atom"] + pressure_GPa * relax.GPA_IN_EV_PER_A3 * row["volume_A3_per_atom"]
            assert row["enthalpy_eV_per_atom"] == pytest.approx(h, rel=1e-12)
            assert final.volume / len(final) == pytest.approx(v, rel=1e-8)


def test_fixed_cell_relaxation_matches_ase_fire_on_the_atoms():
    s = _cells()[0]
    e, v, steps, _ = _ase_fire(s, calc=EMT(), relax_cell=False)
    row, final = relax.relax_structure(structure=s, calc=EMT(), relax_cell=False, fmax=0.01, max_steps=400)
    assert row["steps"] == steps and row["energy_eV_per_atom"] == pytest.approx(e, abs=1e-8)
    np.testing.assert_allclose(final.lattice.matrix, s.lattice.matrix, atol=1e-12)


class _Recording:
    """A batched EMT that records every call (batch sizes, evaluations per structure) and can fail
    structures on purpose: NaN forces for a cell with ``nan_volume`` or an exception for ``boom_volume``.
    """

    def __init__(self, nan_volume=None, boom_volume=None):
        self.inner = relax.ASEPotential(EMT())
        self.sizes, self.calls = [], {}
        self.nan_volume, self.boom_volume = nan_volume, boom_volume

    def __call__(self, systems, stress):
        self.sizes.append(len(systems))
        out = self.inner(systems, stress)
        for k, (numbers, _positions, cell, _) in enumerate(systems):
            key = (len(numbers), int(numbers[0]))
            self.calls[key] = self.calls.get(key, 0) + 1
            vol = abs(np.linalg.det(cell)) / len(numbers)
            if self.nan_volume and abs(vol - self.nan_volume) < 0.5:
                out[k] = {**out[k], "forces": np.full_like(out[k]["forces"], np.nan)}
            if self.boom_volume and abs(vol - self.boom_volume) < 0.5:
                out[k] = RuntimeError("model exploded")
        return out


def test_failures_stay_with_their_structure_and_converged_members_leave_the_batch():
    cells = _cells()
    alone = [relax.relax_structure(structure=s, calc=EMT(), fmax=0.01, max_steps=400) for s in cells]
    bad_nan = Structure(Lattice.cubic(7.0), ["Au"], [[0, 0, 0]])  # 343 Å^3/atom: fails on its first call
    bad_boom = Structure(Lattice.cubic(6.0), ["Pt"], [[0, 0, 0]])  # 216 Å^3/atom
    overlap = Structure(Lattice.cubic(4.0), ["Cu", "Cu"], [[0, 0, 0], [0.02, 0, 0]])
    pot = _Recording(nan_volume=343.0, boom_volume=216.0)
    structures = [cells[0], bad_nan, overlap, cells[1], bad_boom, cells[2]]
    out = relax.relax_structures(
        structures=structures,
        potential=pot,
        fmax=0.01,
        max_steps=400,
        batch_size=3,
        cids=["a", "nan", "overlap", "b", "boom", "c"],
    )
    rows = {row["id"]: row for row, _ in out}
    assert rows["nan"]["status"] == "skipped" and "non-finite" in rows["nan"]["reason"]
    assert rows["boom"]["status"] == "skipped" and "RuntimeError: model exploded" in rows["boom"]["reason"]
    assert rows["overlap"]["status"] == "skipped" and "overlapping" in rows["overlap"]["reason"]
    assert out[1][1] is None and out[2][1] is None and out[4][1] is None
    # the good members are untouched by their failing neighbours: the same result as alone
    for (row, _), (ref, _) in zip([out[0], out[3], out[5]], alone, strict=True):
        assert row["status"] == "ok" and row["steps"] == ref["steps"]
        assert row["energy_eV_per_atom"] == pytest.approx(ref["energy_eV_per_atom"], abs=1e-10)
    # never more than batch_size at once; a converged member is evaluated exactly steps + 1 times
    assert max(pot.sizes) == 3
    for row, s in [(rows["a"], cells[0]), (rows["b"], cells[1]), (rows["c"], cells[2])]:
        assert pot.calls[(len(s), s[0].specie.Z)] == row["steps"] + 1
    assert sum(pot.sizes) == sum(r["steps"] + 1 for r in rows.values() if r["status"] == "ok") + 2


def test_max_steps_volume_blow_up_and_bad_arguments():
    s = _cells()[0]
    row, final = relax.relax_structure(structure=s, calc=EMT(), fmax=1e-6, max_steps=5)
    assert row["status"] == "unconverged" and row["steps"] == 5 and "after 5 steps" in row["reason"]
    assert final is not None
    # a tensile pressure of -100 GPa pulls the cell apart until the volume check stops it
    row, final = relax.relax_structure(structure=s, calc=EMT(), pressure_GPa=-100.0, max_steps=2000)
    assert final is None and "volume changed by a factor" in row["reason"]
    with pytest.raises(ValueError, match="batch_size"):
        relax.relax_structures(structures=[s], calc=EMT(), batch_size=0)
    with pytest.raises(ValueError, match="pressure_GPa has 2 entries"):
        relax.relax_structures(structures=[s], calc=EMT(), pressure_GPa=[0.0, 1.0])


def test_per_structure_pressures_and_results_are_deterministic():
    cells = _cells()
    kw = dict(
        structures=cells, calc=EMT(), pressure_GPa=[0.0, 10.0, 0.0], fmax=0.01, max_steps=400, batch_size=2
    )
    a = relax.relax_structures(**kw)
    b = relax.relax_structures(**kw)
    assert [r["energy_eV_per_atom"] for r, _ in a] == [r["energy_eV_per_atom"] for r, _ in b]
    assert [r["pressure_GPa"] for r, _ in a] == [0.0, 10.0, 0.0]
    alone = relax.relax_structure(
        structure=cells[1], calc=EMT(), pressure_GPa=10.0, fmax=0.01, max_steps=400
    )[0]
    assert a[1][0]["volume_A3_per_atom"] == pytest.approx(alone["volume_A3_per_atom"], rel=1e-10)


# ---------------------------------------------------------------- CHGNet, batched


@pytest.mark.slow
def test_chgnet_batched_relaxation_reaches_the_minima_of_ase_fire():
    """Three tiny Lu-H-N cells: one CHGNet call per step for all reaches ASE FIRE's minima (< 1 meV/atom)."""
    from reviewlib import mlip
    from reviewlib.search import known

    rng = np.random.default_rng(3)
    cells = []
    for s in [known.fluorite_luh2(), known.fcc_luh3(), known.rocksalt_lun()]:
        p = s.get_primitive_structure()
        p = Structure(
            Lattice(p.lattice.matrix * 1.03), p.species, p.frac_coords + 0.01 * rng.normal(size=(len(p), 3))
        )
        cells.append(p)
    calc = mlip.calculator(model="chgnet")
    ref = [_ase_fire(s, calc=calc, pressure_GPa=10.0, fmax=0.05, steps=250) for s in cells]
    out = relax.relax_structures(structures=cells, pressure_GPa=10.0, fmax=0.05, max_steps=250, batch_size=3)
    for (e, v, _, converged), (row, _) in zip(ref, out, strict=True):
        assert converged and row["status"] == "ok", row
        assert abs(row["energy_eV_per_atom"] - e) < 1e-3
        assert row["volume_A3_per_atom"] == pytest.approx(v, rel=2e-3)
        assert row["model"] == "chgnet"
    # with CHGNet's own ASE calculator (the serial path's forces) the batched FIRE is ASE's FIRE step
    # for step: what is left between the two paths is the float32 rounding of the batched model
    same = relax.relax_structures(
        structures=cells, pressure_GPa=10.0, fmax=0.05, max_steps=250, calc=calc, batch_size=3
    )
    for (e, v, steps, _), (row, _) in zip(ref, same, strict=True):
        assert row["steps"] == steps
        assert row["energy_eV_per_atom"] == pytest.approx(e, abs=1e-9)
        assert row["volume_A3_per_atom"] == pytest.approx(v, rel=1e-9)


def test_chgnet_batch_forces_do_not_need_the_stress():
    """Fixed-cell calls (stress=False) give the same energies and forces as full calls; a regression:
    without a strain gradient the positions had none either, and autograd refused.
    """
    from reviewlib import mlip
    from reviewlib.search import known

    cells = [known.fluorite_luh2().get_primitive_structure(), known.rocksalt_lun().get_primitive_structure()]
    cells[0].perturb(0.05, min_distance=0.01)
    batch = mlip.CHGNetBatch()
    full = batch(cells, stress=True)
    fixed = batch(cells, stress=False)
    for a, b in zip(full, fixed, strict=True):
        assert b["energy"] == pytest.approx(a["energy"], abs=1e-6)
        np.testing.assert_allclose(b["forces"], a["forces"], atol=1e-5)
        assert not np.any(b["stress"])
    assert np.abs(full[0]["forces"]).max() > 1e-3  # the perturbed cell has forces to compare
