"""GPAW inputs of the networking value: input checks, errors, cache and the joblib batch.

The calculations use deliberately coarse settings (a few seconds each on one core); the converged
numbers are the notebook's job.
"""

from __future__ import annotations

import numpy as np
import pytest
from pymatgen.core import Lattice, Structure

from reviewlib.dft import (
    DFTSettings,
    NoHydrogenError,
    OverlappingAtomsError,
    check_structure,
    h3s_im3m,
)

COARSE = DFTSettings(ecut_eV=250.0, kpt_density=1.6, grid_spacing_A=0.2, maxiter=40)


def lih() -> Structure:
    """Rock-salt LiH (a = 4.08 A): a band insulator."""
    return Structure.from_spacegroup(
        "Fm-3m", Lattice.cubic(4.08), ["Li", "H"], [[0, 0, 0], [0.5, 0.5, 0.5]]
    ).get_primitive_structure()


def test_no_hydrogen_is_refused_by_name():
    nacl = Structure(Lattice.cubic(5.6), ["Na", "Cl"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    with pytest.raises(NoHydrogenError, match="rocksalt-NaCl: no hydrogen"):
        check_structure(nacl, name="rocksalt-NaCl")


def test_overlapping_atoms_are_refused_by_name():
    s = Structure(Lattice.cubic(4.0), ["La", "H", "H"], [[0, 0, 0], [0.5, 0.5, 0.5], [0.52, 0.5, 0.5]])
    with pytest.raises(OverlappingAtomsError, match=r"bad-LaH2: atoms 1 \(H\) and 2 \(H\) are 0\.080 A"):
        check_structure(s, name="bad-LaH2")


def test_h3s_structure():
    s = h3s_im3m()
    assert s.composition.reduced_formula == "H3S" and len(s) == 4
    assert s.volume == pytest.approx(3.09**3 / 2)
    with pytest.raises(ValueError, match="implausible"):
        h3s_im3m(a_A=30.0)


@pytest.mark.slow
def test_batch_cache_and_skips(tmp_path, monkeypatch):
    pytest.importorskip("gpaw")
    from reviewlib.dft import networking_table

    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    nacl = Structure(Lattice.cubic(5.6), ["Na", "Cl"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    items = [("H3S", h3s_im3m()), ("LiH", lih()), ("NaCl", nacl)]
    table, skipped = networking_table(items, settings=COARSE, n_jobs=2, progress=False)
    assert table["name"].tolist() == ["H3S"]
    assert dict(zip(skipped["name"], skipped["error"], strict=True)) == {
        "LiH": "InsulatorError",
        "NaCl": "NoHydrogenError",
    }
    assert "LiH: Kohn-Sham gap" in skipped.set_index("name").loc["LiH", "reason"]
    assert len(list((tmp_path / "dft").glob("LiH-*.failed.json"))) == 1  # remembered, not recomputed
    row = table.iloc[0]
    assert row["h_fraction"] == 0.75
    assert 0.5 < row["phi"] < 0.85  # ELF saddle of the S-H-S network; 0.69 with converged settings
    assert 0.3 < row["h_dos"] < 0.9
    assert row["phi_dos"] == pytest.approx(row["phi"] * 0.75 * row["h_dos"] ** (1 / 3))
    assert not row["from_cache"]
    assert len(list((tmp_path / "dft").glob("H3S-*.npz"))) == 1
    # second run: read from the cache, same numbers; a setting change is a new entry
    again, skipped_again = networking_table(items[:2], settings=COARSE, progress=False)
    assert "cached result of an earlier run" in skipped_again.loc[0, "reason"]
    assert bool(again.loc[0, "from_cache"])
    assert again.loc[0, "phi"] == row["phi"] and again.loc[0, "h_dos"] == pytest.approx(row["h_dos"])
    from reviewlib.dft.cache import cache_file

    other = DFTSettings(**{**COARSE.as_dict(), "ecut_eV": 260.0})
    assert cache_file(h3s_im3m(), settings=other) != cache_file(h3s_im3m(), settings=COARSE)


@pytest.mark.slow
def test_scf_not_converged_names_the_structure(tmp_path, monkeypatch):
    pytest.importorskip("gpaw")
    from reviewlib.dft import SCFNotConvergedError, run_gpaw

    settings = DFTSettings(**{**COARSE.as_dict(), "maxiter": 2})
    with pytest.raises(SCFNotConvergedError, match="H3S-test: SCF not converged in 2 iterations"):
        run_gpaw(h3s_im3m(), name="H3S-test", settings=settings)


@pytest.mark.slow
def test_elf_reference_values_of_gpaw_formula():
    pytest.importorskip("gpaw")
    from gpaw.elf import elf

    # homogeneous gas: tau equals the Thomas-Fermi value, no gradient -> ELF = 1/2
    n = np.full((1, 4, 4, 4), 0.03)
    cf = 3.0 / 10 * (3 * np.pi**2) ** (2 / 3)
    assert np.allclose(elf(n, np.zeros_like(n), cf * n ** (5 / 3)), 0.5)
    # one orbital (hydrogen 1s, atomic units): tau = |grad n|^2 / (8 n) -> ELF = 1
    r = np.linspace(0.2, 3.0, 30).reshape(1, -1, 1, 1)
    dens = np.exp(-2 * r) / np.pi
    grad2 = (2 * dens) ** 2
    assert np.allclose(elf(dens, grad2, grad2 / (8 * dens)), 1.0)


@pytest.mark.slow
def test_batch_runs_unchanged_on_a_dask_local_cluster(tmp_path, monkeypatch):
    pytest.importorskip("gpaw")
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    from reviewlib.dft import networking_table

    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    h3s_small = h3s_im3m(a_A=3.0)
    items = [("H3S", h3s_im3m()), ("H3S-3.0A", h3s_small)]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        with distributed.Client(cluster), parallel_config(backend="dask"):
            table, skipped = networking_table(items, settings=COARSE, n_jobs=-1, progress=False)
    assert skipped.empty
    assert sorted(table["name"]) == ["H3S", "H3S-3.0A"]
    assert (table["phi"] > 0.5).all() and (table["phi_dos"] > 0).all()


@pytest.mark.slow
def test_hydride_candidates_from_the_registry(mirror):
    from reviewlib.dft import hydride_candidates

    cands, left_out = hydride_candidates(max_atoms_sodnet=7, max_atoms_htsc=5)
    assert len(cands) == 39  # 42 before the magnetic 3d cells CrH, GaFeH3 and InNiH3 were left out
    assert cands["n_atoms"].max() <= 7
    assert (cands.loc[cands["source"] == "htsc2025", "n_atoms"] <= 5).all()
    assert {"sodnet:Ca1H6", "sodnet:Y1H6", "htsc2025:MXH3-SrH3Au"} <= set(cands["name"])
    assert all("H" in s.composition for s in cands["structure"])
    reasons = left_out.set_index("name")["reason"]
    assert reasons["sodnet:Tb1H4"] == "f-electron element(s) ['Tb']"
    assert reasons["sodnet:Hf1H10"] == "CIF composition differs from the table"
    assert reasons["htsc2025:MXH3-GaFeH3"].startswith("magnetic 3d element(s) ['Fe']")
    assert (left_out["reason"] == "no redistributable CIF (ICSD)").sum() == 15
    with pytest.raises(ValueError, match="unknown sources"):
        hydride_candidates(sources=("jarvis",))
