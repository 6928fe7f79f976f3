"""JARVIS leaderboard loaders on the data mirror: row counts, splits, ids and values."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest
from pymatgen.core import Composition, Structure

from reviewlib.data.jarvis import (
    load_alignn_predictions,
    load_jarvis_atomgen,
    load_jarvis_dft3d_tc,
    load_jarvis_hydride,
    load_jarvis_hydride_plus_bulk,
    parse_hydride_id,
    structure_from_jarvis_atoms,
    structure_from_poscar_text,
)

SC14 = "POSCAR-Sc14-300GPa.vasp"  # upstream parent name with no H in its formula


@pytest.fixture(scope="module")
def hydride():
    with pytest.warns(UserWarning, match="Sc14"):
        return load_jarvis_hydride()


@pytest.fixture(scope="module")
def plus_bulk():
    with pytest.warns(UserWarning, match="Sc14"):
        return load_jarvis_hydride_plus_bulk()


def test_hydride_counts(mirror, hydride):
    assert hydride["split"].value_counts().to_dict() == {"train": 763, "val": 95, "test": 95}
    assert hydride["id"].is_unique
    assert hydride["pressure_tagged"].sum() == 932
    assert hydride["pressure_GPa"].value_counts().to_dict() == {
        300.0: 188,
        200.0: 187,
        100.0: 186,
        500.0: 181,
        0.0: 157 + 21,
        250.0: 25,
        50.0: 8,
    }
    assert hydride["parent_kind"].value_counts().to_dict() == {"jarvis": 756, "literature": 197}
    # 152 distinct JARVIS parents; the 21 untagged ids are ambient entries of parents among them
    assert hydride["jid"].dropna().nunique() == 152
    untagged = hydride.loc[~hydride["pressure_tagged"], "jid"]
    assert len(untagged) == 21 and untagged.isin(hydride.loc[hydride["pressure_tagged"], "jid"]).all()
    assert hydride.loc[hydride["parent_kind"] == "literature", "parent"].nunique() == 43
    assert hydride["tc_K"].max() == pytest.approx(295.4721301)
    assert (hydride["tc_K"] > 100).sum() == 91
    assert hydride.attrs["unparsed"] == [(SC14, "formula in the parent name has no H")]


def test_hydride_known_rows(mirror, hydride):
    by_id = hydride.set_index("id")
    # first train entry of the raw JSON
    first = hydride.iloc[0]
    assert first["id"] == "POSCAR-500Gpa-JVASP-95058_SUPER.vasp"
    assert first["tc_K"] == pytest.approx(19.87337416)
    assert (first["pressure_GPa"], first["jid"], first["split"]) == (500.0, "JVASP-95058", "train")
    lah7 = by_id.loc["POSCAR-200Gpa-POSCAR-LaH7-200GPa.vasp_SUPER.vasp"]
    assert lah7["split"] == "test" and lah7["tc_K"] == pytest.approx(65.85066886)
    assert lah7["parent_formula"] == "LaH7" and lah7["parent_pressure_GPa"] == 200.0
    assert lah7["parent_composition"] == Composition("LaH7")
    mgh8 = by_id.loc["POSCAR-0Gpa-POSCAR-MgH8-500Gpa.vasp_SUPER.vasp"]
    assert (mgh8["split"], mgh8["pressure_GPa"], mgh8["parent_pressure_GPa"]) == ("val", 0.0, 500.0)
    assert mgh8["tc_K"] == pytest.approx(24.42803697)
    assert by_id.loc[by_id["parent"] == SC14, "parent_composition"].isna().all()


def test_parse_hydride_id():
    out = parse_hydride_id("POSCAR-100Gpa-POSCAR-H2Ti1-MP-mp-24161.vasp_SUPER.vasp")
    assert out["pressure_GPa"] == 100.0 and out["parent_formula"] == "H2Ti1"
    assert np.isnan(out["parent_pressure_GPa"])
    bulk = parse_hydride_id("POSCAR-JVASP-118592.vasp")
    assert (bulk["pressure_GPa"], bulk["pressure_tagged"], bulk["jid"]) == (0.0, False, "JVASP-118592")
    with pytest.raises(ValueError, match="not a JARVIS hydride benchmark id"):
        parse_hydride_id("JVASP-1.cif")


def test_plus_bulk(mirror, hydride, plus_bulk):
    # measured: 1,993 = the 953 hydride ids + 1,039 untagged JVASP bulk ids + 1 pressure-tagged
    # hydride id (POSCAR-500Gpa-JVASP-93261) that is not in the hydride-only benchmark
    assert plus_bulk["split"].value_counts().to_dict() == {"train": 1595, "val": 199, "test": 199}
    assert hydride["id"].isin(plus_bulk["id"]).all()
    extra = plus_bulk[~plus_bulk["id"].isin(hydride["id"])]
    assert len(extra) == 1040
    assert extra["pressure_tagged"].sum() == 1
    assert (~plus_bulk["pressure_tagged"]).sum() == 1060
    # the same entries carry the same Tc to within 0.005 K (different rounding upstream)
    both = hydride.merge(plus_bulk, on="id", suffixes=("", "_pb"))
    assert np.abs(both["tc_K"] - both["tc_K_pb"]).max() < 0.005


def test_dft3d_tc(mirror):
    frame = load_jarvis_dft3d_tc()
    assert frame["split"].value_counts().to_dict() == {"train": 556, "val": 30, "test": 30}
    by = frame.set_index("jid")["tc_K"]
    assert by["JVASP-42657"] == pytest.approx(2.631)
    assert by["JVASP-16080"] == pytest.approx(22.9)
    assert by["JVASP-14960"] == pytest.approx(17.633)


def test_atomgen(mirror):
    frame = load_jarvis_atomgen()
    assert frame["split"].value_counts().to_dict() == {"train": 846, "val": 105, "test": 105}
    assert frame["has_H"].sum() == 19
    first = frame.iloc[0]
    assert first["jid"] == "JVASP-41679" and first["formula"] == "Y2MgAl"
    s = first["structure"]
    assert isinstance(s, Structure) and len(s) == 4
    assert s.lattice.matrix[0] == pytest.approx([4.460160889184999, 0.0, 2.5750750900000003])
    assert s[0].frac_coords == pytest.approx([0.7499992] * 3)
    assert s.lattice.abc == pytest.approx((5.15015018,) * 3)
    assert load_jarvis_dft3d_tc()["jid"].isin(frame["jid"]).all()


def test_jarvis_atoms_dict_conversion():
    atoms = {
        "lattice_mat": [[4.0, 0, 0], [0, 4.0, 0], [0, 0, 4.0]],
        "coords": [[0, 0, 0], [2.0, 2.0, 2.0]],
        "elements": ["Nb", "H"],
        "cartesian": True,
    }
    s = structure_from_jarvis_atoms(atoms)
    assert s[1].frac_coords == pytest.approx([0.5, 0.5, 0.5])
    s_frac = structure_from_jarvis_atoms(
        {**atoms, "coords": [[0, 0, 0], [0.5, 0.5, 0.5]], "cartesian": False}
    )
    assert s_frac[1].coords == pytest.approx([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="lacks"):
        structure_from_jarvis_atoms({"coords": []})
    with pytest.raises(ValueError, match="does not match"):
        structure_from_jarvis_atoms({**atoms, "elements": ["Nb"]})


def test_poscar_text_cartesian_and_scale():
    text = "x\\n2.0\\n2 0 0\\n0 2 0\\n0 0 2\\nNb H\\n1 1\\nCartesian\\n0 0 0\\n1 1 1\\n"
    s = structure_from_poscar_text(text)
    assert s.lattice.abc == pytest.approx((4.0, 4.0, 4.0))
    assert s[1].frac_coords == pytest.approx([0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match="bad: not a VASP 5 POSCAR"):
        structure_from_poscar_text("x\n1.0\n", label="bad")


@pytest.mark.parametrize(("which", "rows", "mae"), [("hydride", 95, 12.31), ("hydride_plus_bulk", 199, 7.96)])
def test_alignn_predictions_join(mirror, hydride, plus_bulk, which, rows, mae):
    pred = load_alignn_predictions(which)
    assert len(pred) == rows
    assert np.mean(np.abs(pred["tc_pred_K"] - pred["tc_K"])) == pytest.approx(mae, abs=0.005)
    bench = hydride if which == "hydride" else plus_bulk
    joined = pred.merge(bench, on="id", how="inner", suffixes=("", "_bench"))
    assert len(joined) == rows
    assert (joined["split"] == "test").all()
    assert bench["split"].eq("test").sum() == rows
    assert np.abs(joined["tc_K"] - joined["tc_K_bench"]).max() < 1e-5


def test_user_zip_with_two_members_refused(tmp_path):
    src = tmp_path / "two.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("a.json", json.dumps({"train": {}, "val": {}, "test": {}}))
        zf.writestr("b.json", "{}")
    with pytest.raises(ValueError, match="one member"):
        load_jarvis_dft3d_tc(src)
    plain = tmp_path / "bad.json"
    plain.write_text(json.dumps({"train": {"JVASP-1": -1.0}, "val": {}, "test": {}}))
    with pytest.raises(ValueError, match="non-negative"):
        load_jarvis_dft3d_tc(plain)
    plain.write_text(json.dumps({"training": {}}))
    with pytest.raises(ValueError, match="expected keys"):
        load_jarvis_dft3d_tc(plain)
