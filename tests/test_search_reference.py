"""MLIP-versus-DFT benchmark: the reference cells, the MP2020 anion corrections, the error summary
and a reduced run with cheap DFT settings (a skipped cell does not stop the rest).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pymatgen.core import Composition, Lattice, Structure

from reviewlib.search import reference


def test_reference_cells_are_small_primitive_cells():
    cells = {c["id"]: c for c in reference.reference_cells()}
    sizes = {cid: len(c["structure"]) for cid, c in cells.items()}
    assert sizes == {
        "Lu-hcp": 2,
        "H2": 2,
        "N2": 2,
        "LuH2-fluorite": 3,
        "LuH3-Fm-3m": 4,
        "LuN-rocksalt": 2,
        "LuN-zincblende": 2,
        "LuH-rocksalt": 2,
        "LuH-zincblende": 2,
    }
    assert {cid for cid, c in cells.items() if c["molecule"]} == {"H2", "N2"}
    assert {cid for cid, c in cells.items() if c["role"] == "element"} == set(
        reference.ELEMENT_REFERENCES.values()
    )
    assert cells["N2"]["structure"].lattice.abc == pytest.approx([reference.MOLECULE_BOX_A] * 3)
    assert cells["LuH-zincblende"]["structure"].composition.reduced_formula == "LuH"
    for c in cells.values():
        assert c["structure"].is_ordered


def test_mp2020_corrections_come_from_the_pymatgen_yaml():
    from monty.serialization import loadfn

    path = reference.mp2020_yaml_path()
    assert path.name == "MP2020Compatibility.yaml"
    table = loadfn(str(path))["Corrections"]["CompositionCorrections"]
    corr = reference.mp2020_anion_corrections()
    assert corr == {"H": table["H"], "N": table["N"]}
    assert corr["H"] < 0 and corr["N"] < 0
    assert reference.mp2020_correction_per_atom(Composition("LuH2")) == pytest.approx(2 / 3 * corr["H"])
    assert reference.mp2020_correction_per_atom(Composition("Lu4H7N")) == pytest.approx(
        (7 * corr["H"] + corr["N"]) / 12
    )
    assert reference.mp2020_correction_per_atom(Composition("H2")) == 0.0
    assert reference.mp2020_correction_per_atom(Composition("Lu")) == 0.0


def _table() -> pd.DataFrame:
    """A hand-made result table: two compounds, a rock-salt / zinc-blende pair and a skipped cell."""
    rows = [
        ("LuH2-fluorite", "LuH2", "compound", "fluorite", "ok", -1.0, -1.030, -1.10),
        ("LuN-rocksalt", "LuN", "compound", "rocksalt", "ok", -2.0, -1.950, -1.90),
        ("LuN-zincblende", "LuN", "polymorph", "zincblende", "ok", -1.7, -1.600, -1.50),
        ("LuH3-Fm-3m", "LuH3", "compound", "BiF3", "skipped", math.nan, math.nan, math.nan),
    ]
    t = pd.DataFrame(rows, columns=["id", "formula", "role", "prototype", "status", "dft", "chgnet", "mp"])
    t["dft_energy_eV_per_atom"] = t["dft"]
    t["chgnet_energy_eV_per_atom"] = t["chgnet"]
    t["dft_formation_eV_per_atom"] = t["dft"]
    t["dft_mp2020_formation_eV_per_atom"] = t["mp"]
    t["chgnet_formation_eV_per_atom"] = t["chgnet"]
    t["chgnet_error_meV_per_atom"] = 1000 * (t["chgnet"] - t["dft"])
    t["chgnet_error_vs_mp2020_meV_per_atom"] = 1000 * (t["chgnet"] - t["mp"])
    return t


def test_energy_errors_against_hand_computed_values():
    err = reference.energy_errors(_table()).set_index("model")
    row = err.loc["chgnet"]
    assert row["n_compounds"] == 2  # the skipped LuH3 and the polymorph are not compounds here
    assert row["formation_MAE_meV_per_atom"] == pytest.approx((30 + 50) / 2)
    assert row["formation_max_abs_error_meV_per_atom"] == pytest.approx(50)
    assert row["formation_MAE_vs_mp2020_meV_per_atom"] == pytest.approx((70 + 50) / 2)
    assert row["dE_zb-rs_LuN_dft_meV_per_atom"] == pytest.approx(300)
    assert row["dE_zb-rs_LuN_model_meV_per_atom"] == pytest.approx(350)
    assert row["dE_zb-rs_LuN_error_meV_per_atom"] == pytest.approx(50)


@pytest.mark.slow
def test_reduced_benchmark_with_cheap_settings(tmp_path, monkeypatch):
    pytest.importorskip("gpaw")
    from reviewlib.dft import EnergySettings, SCFNotConvergedError, energy

    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    cells = [
        c for c in reference.reference_cells() if c["id"] in {"Lu-hcp", "H2", "LuH2-fluorite", "LuN-rocksalt"}
    ]
    # a cell with overlapping atoms is skipped before any calculation
    bad = Structure(Lattice.cubic(5.0), ["Lu", "H"], [[0, 0, 0], [0.02, 0, 0]])
    cells.append({"id": "bad-LuH", "structure": bad, "molecule": False, "role": "compound", "prototype": ""})
    # and one whose SCF fails (the real SCF of LuN made to fail, as a too small maxiter would)
    real = energy.total_energy

    def failing(**kw):
        if kw["name"] == "LuN-rocksalt":
            raise SCFNotConvergedError("LuN-rocksalt: SCF not converged in 1 iterations")
        return real(**kw)

    monkeypatch.setattr(energy, "total_energy", failing)
    settings = EnergySettings(ecut_eV=250.0, kpt_density=1.0)  # cheap: Lu-hcp dominates the time
    table = reference.mlip_vs_dft(
        models=("chgnet",), settings=settings, cells=cells, progress=False
    ).set_index("id")
    assert table.loc["bad-LuH", "status"] == "skipped"
    assert "overlapping atoms" in table.loc["bad-LuH", "reason"]
    assert table.loc["LuN-rocksalt", "status"] == "skipped"
    assert "SCFNotConvergedError" in table.loc["LuN-rocksalt", "reason"]
    assert np.isnan(table.loc["LuN-rocksalt", "dft_formation_eV_per_atom"])
    ok = table[table["status"] == "ok"]
    assert set(ok.index) == {"Lu-hcp", "H2", "LuH2-fluorite"}
    for cid in ("Lu-hcp", "H2"):
        assert ok.loc[cid, "dft_formation_eV_per_atom"] == 0.0
        assert ok.loc[cid, "chgnet_formation_eV_per_atom"] == 0.0
    luh2 = ok.loc["LuH2-fluorite"]
    assert -1.2 < luh2["dft_formation_eV_per_atom"] < -0.3  # LuH2 is strongly bound
    assert luh2["chgnet_formation_eV_per_atom"] < 0
    assert luh2["mp2020_correction_eV_per_atom"] == pytest.approx(
        2 / 3 * reference.mp2020_anion_corrections()["H"]
    )
    assert luh2["dft_kpts"] != "1x1x1" and ok.loc["H2", "dft_kpts"] == "1x1x1"
    assert luh2["chgnet_error_meV_per_atom"] == pytest.approx(
        1000 * (luh2["chgnet_formation_eV_per_atom"] - luh2["dft_formation_eV_per_atom"])
    )
    errors = reference.energy_errors(table.reset_index())
    assert errors["model"].tolist() == ["chgnet"] and errors.loc[0, "n_compounds"] == 1
    # a second run reads every DFT energy from the cache
    again = reference.mlip_vs_dft(models=("chgnet",), settings=settings, cells=cells[:3], progress=False)
    assert again["dft_from_cache"].all()
    assert (
        again.set_index("id").loc["LuH2-fluorite", "dft_energy_eV_per_atom"] == luh2["dft_energy_eV_per_atom"]
    )
