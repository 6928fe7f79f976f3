"""load_structure_folder: good CIFs, malformed CIF, unknown element, missing Tc row, CSV errors."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pymatgen.core import Lattice, Structure

from reviewlib.user_data import load_structure_folder


def _write_good(folder):
    Structure(Lattice.cubic(4.2), ["Nb", "Nb"], [[0, 0, 0], [0.5, 0.5, 0.5]]).to(
        filename=str(folder / "Nb.cif")
    )
    Structure(
        Lattice.hexagonal(3.08, 3.52), ["Mg", "B", "B"], [[0, 0, 0], [1 / 3, 2 / 3, 0.5], [2 / 3, 1 / 3, 0.5]]
    ).to(filename=str(folder / "MgB2.cif"))
    doped = Structure(
        Lattice.cubic(4.0),
        [{"Ba": 0.6, "K": 0.4}, "Bi", "O", "O", "O"],
        [[0, 0, 0], [0.5, 0.5, 0.5], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]],
    )
    doped.to(filename=str(folder / "BKBO.cif"))


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "cifs"
    d.mkdir()
    _write_good(d)
    (d / "broken.cif").write_text("data_broken\n_cell_length_a 4.0\nthis is not a CIF loop\n")
    unknown = (d / "Nb.cif").read_text().replace("Nb", "Xq")
    (d / "unknown.cif").write_text(unknown)
    Structure(Lattice.cubic(3.3), ["V"], [[0, 0, 0]]).to(filename=str(d / "V_no_tc.cif"))
    (d / "notes.txt").write_text("ignored")
    pd.DataFrame(
        {
            "file": ["Nb.cif", "MgB2", "BKBO.cif", "unknown.cif", "ghost.cif"],
            "tc_K": [9.25, 39.0, 30.0, 1.0, 5.0],
        }
    ).to_csv(d / "tc.csv", index=False)
    return d


def test_reads_good_and_skips_bad_with_reasons(folder):
    frame, skipped = load_structure_folder(folder, folder / "tc.csv")
    assert list(frame.columns) == ["file", "structure", "formula", "tc_K"]
    assert sorted(frame["file"]) == ["BKBO.cif", "MgB2.cif", "Nb.cif"]
    tc = dict(zip(frame["file"], frame["tc_K"], strict=True))
    assert tc == {"BKBO.cif": 30.0, "MgB2.cif": 39.0, "Nb.cif": 9.25}
    assert dict(zip(frame["file"], frame["formula"], strict=True))["MgB2.cif"] == "MgB2"
    assert not frame.set_index("file").at["BKBO.cif", "structure"].is_ordered
    assert list(skipped.columns) == ["file", "reason"]
    reasons = dict(zip(skipped["file"], skipped["reason"], strict=True))
    assert set(reasons) == {"broken.cif", "unknown.cif", "V_no_tc.cif"}
    for name, reason in reasons.items():
        assert name in reason
    assert "no row" in reasons["V_no_tc.cif"]
    assert frame.attrs["unmatched_rows"] == ["ghost"]


def test_without_tc_table_and_parallel(folder):
    frame, skipped = load_structure_folder(folder, n_jobs=2)
    assert len(frame) == 4 and frame["tc_K"].map(math.isnan).all()
    assert set(skipped["file"]) == {"broken.cif", "unknown.cif"}


def test_custom_columns_and_missing_column(folder):
    pd.DataFrame({"cif": ["Nb.cif"], "Tc": [9.25]}).to_csv(folder / "other.csv", index=False)
    frame, _ = load_structure_folder(folder, folder / "other.csv", id_column="cif", tc_column="Tc")
    assert frame["file"].tolist() == ["Nb.cif"]
    with pytest.raises(ValueError, match=r"missing column\(s\) \['tc_K'\]"):
        load_structure_folder(folder, folder / "other.csv", id_column="cif")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['file'\]"):
        load_structure_folder(folder, folder / "other.csv", tc_column="Tc")


def test_bad_tc_values_and_duplicates(folder):
    pd.DataFrame({"file": ["Nb.cif"], "tc_K": [-3.0]}).to_csv(folder / "neg.csv", index=False)
    with pytest.raises(ValueError, match="Nb.cif.*non-negative"):
        load_structure_folder(folder, folder / "neg.csv")
    pd.DataFrame({"file": ["Nb.cif", "Nb"], "tc_K": [9.0, 9.2]}).to_csv(folder / "dup.csv", index=False)
    with pytest.raises(ValueError, match="duplicate"):
        load_structure_folder(folder, folder / "dup.csv")


def test_empty_results_raise(tmp_path, folder):
    with pytest.raises(ValueError, match="not a directory"):
        load_structure_folder(tmp_path / "nowhere")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="no .cif files"):
        load_structure_folder(empty)
    bad_only = tmp_path / "bad_only"
    bad_only.mkdir()
    (bad_only / "broken.cif").write_text("garbage")
    with pytest.raises(ValueError, match="no usable structures.*broken.cif"):
        load_structure_folder(bad_only)
