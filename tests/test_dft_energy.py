"""GPAW total energies: input checks, SCF failure, the H2 binding energy and the feature cache.

The calculations use small boxes and low cutoffs (a few seconds each on one core).
"""

from __future__ import annotations

import pytest
from pymatgen.core import Lattice, Structure

from reviewlib.dft import (
    DFTError,
    EnergySettings,
    OverlappingAtomsError,
    SCFNotConvergedError,
    cached_cell_check,
    cached_total_energy,
    lattice_at_pressure,
    total_energy,
)
from reviewlib.search.known import molecule_in_box

CHEAP = EnergySettings(ecut_eV=300.0, kpt_density=2.0, maxiter=60)


def test_settings_defaults_and_dict():
    s = EnergySettings()
    assert s.as_dict() == {
        "xc": "PBE",
        "ecut_eV": 500.0,
        "kpt_density": 4.0,
        "smearing_eV": 0.1,
        "maxiter": 120,
    }
    with pytest.raises(AttributeError):
        s.ecut_eV = 400.0  # frozen: a cache key cannot change under a result


def test_overlapping_atoms_are_refused_by_name():
    s = Structure(Lattice.cubic(5.0), ["Lu", "H"], [[0, 0, 0], [0.02, 0, 0]])
    with pytest.raises(OverlappingAtomsError, match=r"bad-LuH: atoms 0 \(Lu\) and 1 \(H\) are 0\.100 A"):
        total_energy(structure=s, name="bad-LuH", settings=CHEAP)


def test_disordered_cell_is_refused_by_name():
    s = Structure(Lattice.cubic(5.0), [{"Lu": 0.5, "Y": 0.5}, "H"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    with pytest.raises(DFTError, match="mixed-LuYH: disordered"):
        total_energy(structure=s, name="mixed-LuYH", settings=CHEAP)


@pytest.mark.slow
def test_unconverged_scf_names_the_cell():
    pytest.importorskip("gpaw")
    h2 = molecule_in_box("H", 0.74, 6.0)
    with pytest.raises(SCFNotConvergedError, match="bad-H2: SCF not converged in 1 iterations"):
        total_energy(
            structure=h2, name="bad-H2", settings=EnergySettings(ecut_eV=250.0, maxiter=1), molecule=True
        )


@pytest.mark.slow
def test_h2_binding_energy_is_the_pbe_value():
    gpaw = pytest.importorskip("gpaw")
    from ase import Atoms

    box = 7.0
    settings = EnergySettings(ecut_eV=350.0)
    h2 = total_energy(structure=molecule_in_box("H", 0.75, box), name="H2", settings=settings, molecule=True)
    assert h2["kpts"] == [1, 1, 1] and h2["n_atoms"] == 2 and h2["formula"] == "H2"
    assert h2["scf_iterations"] > 0 and h2["seconds"] > 0 and h2["cpu_seconds"] > 0
    assert h2["energy_eV_per_atom"] == pytest.approx(h2["energy_eV"] / 2)
    assert h2["versions"]["gpaw"] == gpaw.__version__
    # the free atom is spin-polarised (one electron): computed directly, same cutoff and box
    atom = Atoms("H", positions=[[0, 0, 0]], cell=[box, box, box], pbc=True)
    atom.calc = gpaw.GPAW(mode=gpaw.PW(350.0), xc="PBE", hund=True, txt=None)
    e_h = atom.get_potential_energy()
    binding = 2 * e_h - h2["energy_eV"]
    assert binding == pytest.approx(4.53, abs=0.15)  # PBE D_e of H2 (no zero-point energy)


@pytest.mark.slow
def test_cache_returns_the_same_numbers_and_is_keyed_by_settings(tmp_path, monkeypatch):
    pytest.importorskip("gpaw")
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    h2 = molecule_in_box("H", 0.74, 6.0)
    coarse = EnergySettings(ecut_eV=250.0)
    first = cached_total_energy(structure=h2, name="H2", settings=coarse, molecule=True)
    assert not first["from_cache"]
    files = sorted((tmp_path / "features").glob("dft-energy-*.npz"))
    assert len(files) == 1
    again = cached_total_energy(structure=h2, name="hydrogen", settings=coarse, molecule=True)
    assert again["from_cache"] and again["name"] == "hydrogen"
    for k in ("energy_eV", "energy_eV_per_atom", "kpts", "scf_iterations", "seconds", "formula", "settings"):
        assert again[k] == first[k], k
    # a different cutoff is a different calculation (and a different file)
    other = cached_total_energy(
        structure=h2, name="H2", settings=EnergySettings(ecut_eV=300.0), molecule=True
    )
    assert not other["from_cache"] and other["energy_eV"] != first["energy_eV"]
    assert len(list((tmp_path / "features").glob("dft-energy-*.npz"))) == 2
    # recompute overwrites the entry instead of reading it
    redo = cached_total_energy(structure=h2, name="H2", settings=coarse, molecule=True, recompute=True)
    assert not redo["from_cache"] and redo["energy_eV"] == pytest.approx(first["energy_eV"], abs=1e-6)
    assert len(list((tmp_path / "features").glob("dft-energy-*.npz"))) == 2


def test_cell_check_h3s_is_a_metal_near_its_pressure_and_lih_an_insulator():
    """Im-3m H3S at a = 3.09 A is a metal near 200 GPa in PBE (Duan et al. 2014: 3.09 A near
    200 GPa); compressing it raises the pressure; rock-salt LiH (a = 4.0 A, near its PBE
    equilibrium of about 4.0 A) has a Kohn-Sham gap of about 3 eV and a pressure near 0.
    """
    from reviewlib.dft import cell_check, h3s_im3m

    settings = EnergySettings(ecut_eV=500.0, kpt_density=3.0, maxiter=80)
    h3s = cell_check(structure=h3s_im3m(a_A=3.09), name="H3S", settings=settings)
    assert h3s["metallic"] and h3s["dos_ef_per_atom"] > 0
    assert 120 < h3s["pressure_GPa"] < 280, h3s["pressure_GPa"]
    denser = cell_check(structure=h3s_im3m(a_A=3.00), name="H3S dense", settings=settings)
    assert denser["pressure_GPa"] > h3s["pressure_GPa"] + 20
    lih = Structure.from_spacegroup("Fm-3m", Lattice.cubic(4.0), ["Li", "H"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    lih = cell_check(structure=lih.get_primitive_structure(), name="LiH", settings=settings)
    assert not lih["metallic"] and 2.0 < lih["gap_eV"] < 4.5, lih["gap_eV"]
    assert abs(lih["pressure_GPa"]) < 15, lih["pressure_GPa"]


def _murnaghan_GPa(a_A: float, *, a0_A: float = 3.6, b0_GPa: float = 130.0, b0p: float = 3.6) -> float:
    """Murnaghan equation of state of a cubic cell, P(a) = B0/B0' [(a0/a)^(3 B0') - 1]."""
    return b0_GPa / b0p * ((a0_A / a_A) ** (3 * b0p) - 1.0)


def test_lattice_at_pressure_finds_the_known_root_of_a_model_equation_of_state():
    calls = []

    def pressure(a):
        calls.append(a)
        return _murnaghan_GPa(a)

    out = lattice_at_pressure(pressure_GPa_at=pressure, target_GPa=150.0, bracket_A=(2.9, 3.3), tol_A=1e-4)
    exact = 3.6 * (1 + 3.6 * 150.0 / 130.0) ** (-1 / (3 * 3.6))  # the Murnaghan form inverted
    assert out["a_A"] == pytest.approx(exact, abs=2e-4)
    assert out["pressure_GPa"] == pytest.approx(_murnaghan_GPa(out["a_A"]))
    assert abs(out["pressure_GPa"] - 150.0) < 0.2  # dP/da is about -650 GPa/Å here
    # every evaluation is reported once (no repeated cell), the two ends first
    assert out["n_evaluations"] == len(calls) == len(set(calls)) <= 12
    assert [a for a, _ in out["evaluations"][:2]] == [2.9, 3.3]
    # a larger tolerance needs no more evaluations
    loose = lattice_at_pressure(pressure_GPa_at=_murnaghan_GPa, target_GPa=150.0, bracket_A=(2.9, 3.3))
    assert loose["n_evaluations"] <= out["n_evaluations"] and loose["a_A"] == pytest.approx(exact, abs=1e-3)


def test_lattice_at_pressure_refuses_a_bracket_without_a_sign_change_and_bad_input():
    with pytest.raises(ValueError, match=r"no sign change .* P\(3\.1000 Å\) = .* same side"):
        lattice_at_pressure(pressure_GPa_at=_murnaghan_GPa, target_GPa=150.0, bracket_A=(3.1, 3.3))
    with pytest.raises(ValueError, match="two increasing positive"):
        lattice_at_pressure(pressure_GPa_at=_murnaghan_GPa, target_GPa=150.0, bracket_A=(3.3, 2.9))
    with pytest.raises(ValueError, match="not finite"):
        lattice_at_pressure(pressure_GPa_at=lambda a: float("nan"), target_GPa=150.0, bracket_A=(2.9, 3.3))
    with pytest.raises(RuntimeError, match="not located"):
        lattice_at_pressure(
            pressure_GPa_at=_murnaghan_GPa,
            target_GPa=150.0,
            bracket_A=(2.0, 4.9),
            tol_A=1e-9,
            max_evaluations=4,
        )


@pytest.mark.slow
def test_cached_cell_check_reads_the_pbe_pressure_back_and_roots_h3s_near_150_gpa(tmp_path, monkeypatch):
    """The cached stress of Im-3m H3S and the lattice parameter at 150 GPa (PBE, coarse settings:
    Duan et al. 2014 and the X-ray data put a = 3.08-3.10 Å at 150-200 GPa).
    """
    pytest.importorskip("gpaw")
    from reviewlib.dft import h3s_im3m

    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    coarse = EnergySettings(ecut_eV=400.0, kpt_density=2.5, maxiter=80)
    first = cached_cell_check(structure=h3s_im3m(a_A=3.09), name="H3S", settings=coarse)
    assert not first["from_cache"] and first["metallic"]
    again = cached_cell_check(structure=h3s_im3m(a_A=3.09), name="H3S again", settings=coarse)
    assert again["from_cache"] and again["name"] == "H3S again"
    assert again["pressure_GPa"] == first["pressure_GPa"] and again["kpts"] == first["kpts"]
    assert len(list((tmp_path / "features").glob("dft-cell-check-*.npz"))) == 1

    def pressure(a):
        return cached_cell_check(structure=h3s_im3m(a_A=a), name="H3S", settings=coarse)["pressure_GPa"]

    out = lattice_at_pressure(pressure_GPa_at=pressure, target_GPa=150.0, bracket_A=(3.0, 3.2), tol_A=2e-3)
    assert 3.03 < out["a_A"] < 3.15 and abs(out["pressure_GPa"] - 150.0) < 3.0, out
