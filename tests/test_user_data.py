"""load_structure_folder: good CIFs, malformed CIF, unknown element, missing Tc row, CSV errors."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pymatgen.core import Lattice, Structure

from reviewlib.data.user import (
    load_formula_tc_table,
    load_spectra_folder,
    load_structure_folder,
    load_structures,
    load_supercon_table,
    read_tc_table,
    show_skipped,
)


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


# --- read_tc_table: a user's Tc table (issue 11 item 9) ---------------------------------------


def _table(tmp_path, text, name="tc.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_read_tc_table_reads_ids_values_and_1_based_lines(tmp_path):
    path = _table(tmp_path, "name,Tc\nNb,9.25\n\nMgB2, 39\nYBa2Cu3O7,9.2e1\n")
    table = read_tc_table(path, id_column="name", tc_column="Tc")
    assert table["id"].tolist() == ["Nb", "MgB2", "YBa2Cu3O7"]
    assert table["tc_K"].tolist() == [9.25, 39.0, 92.0]
    assert table["line"].tolist() == [2, 4, 5]  # the blank line 3 is skipped, not renumbered


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("name,Tc\nNb,9.25\nMgB2,12 K\n", r"line 3, column 'Tc' \(MgB2\): '12 K' is not a number"),
        ("name,Tc\nNb,inf\n", r"line 2, column 'Tc' \(Nb\): 'inf' is not finite"),
        ("name,Tc\nNb,9\nV,-Infinity\n", r"line 3, column 'Tc' \(V\): '-Infinity' is not finite"),
        ("name,Tc\nNb,nan\n", r"line 2, column 'Tc' \(Nb\): 'nan' is not finite"),
        ("name,Tc\nNb,-1.5\n", r"line 2, column 'Tc' \(Nb\): '-1.5' is negative"),
        ("name,Tc\nNb,9\n\nV,450\n", r"line 4, column 'Tc' \(V\): '450' is outside 0-400 K \(Tc\)"),
        ("name,Tc\nNb,\n", r"line 2, column 'Tc' \(Nb\): empty"),
        ("name,Tc\nNb,9\n,5\n", r"line 3, column 'name': empty"),
        ("name,Tc\n", r"no data rows under the header"),
        ("name,Tc\n\n\n", r"no data rows under the header"),
        ("formula,Tc\nNb,9\n", r"missing column\(s\) \['name'\]"),
        ("name,Tc\nNb,9\nNb,9.2\n", r"line 3, column 'name': duplicate 'Nb' \(first on line 2\)"),
        ("name,Tc\nNb,9\nV,5,extra\n", r"not a readable CSV table .*line 3"),
    ],
)
def test_read_tc_table_errors_name_file_column_and_line(tmp_path, text, match):
    path = _table(tmp_path, text)
    with pytest.raises(ValueError, match=match) as info:
        read_tc_table(path, id_column="name", tc_column="Tc")
    assert str(path) in str(info.value)


def test_read_tc_table_empty_and_missing_file(tmp_path):
    empty = _table(tmp_path, "")
    with pytest.raises(ValueError, match=rf"{empty}: the file is empty; expected a CSV file"):
        read_tc_table(empty, id_column="name", tc_column="Tc")
    with pytest.raises(ValueError, match="Tc table not found"):
        read_tc_table(tmp_path / "nope.csv", id_column="name", tc_column="Tc")


def test_read_tc_table_duplicates_allowed_when_not_unique(tmp_path):
    path = _table(tmp_path, "name,Tc\nNb,9\nNb,9.2\n")
    assert len(read_tc_table(path, id_column="name", tc_column="Tc", unique=False)) == 2


def test_structure_folder_rejects_bad_tc_with_line(folder):
    (folder / "bad.csv").write_text("file,tc_K\nNb.cif,9.25\nMgB2.cif,39 K\n")
    with pytest.raises(
        ValueError, match=r"bad.csv: line 3, column 'tc_K' \(MgB2.cif\): '39 K' is not a number"
    ):
        load_structure_folder(folder, folder / "bad.csv")
    (folder / "empty.csv").write_text("")
    with pytest.raises(ValueError, match=r"empty.csv: the file is empty"):
        load_structure_folder(folder, folder / "empty.csv")
    (folder / "inf.csv").write_text("file,tc_K\nNb.cif,inf\n")
    with pytest.raises(ValueError, match=r"inf.csv: line 2, column 'tc_K' \(Nb.cif\): 'inf' is not finite"):
        load_structure_folder(folder, folder / "inf.csv")


# --- load_supercon_table / load_structures: the notebooks' one call -----------------------------


def test_load_supercon_table_user_file_skips_unparsed_names(tmp_path):
    rows = ["name,Tc"] + [f"Nb{i}Sn,{i}.5" for i in range(1, 12)] + ["notaformula,5", "MgB2,39"]
    path = _table(tmp_path, "\n".join(rows) + "\n")
    ds = load_supercon_table(path=path)
    assert ds.user and ds.label == f"your table {path}"
    assert len(ds.frame) == 12 and ds.frame["composition"].notna().all()
    assert ds.skipped["item"].tolist() == ["notaformula"]
    assert ds.skipped["reason"].iloc[0]  # the parser's reason is kept
    assert ds.frame.set_index("name").at["MgB2", "tc_K"] == 39.0


def test_load_supercon_table_rejects_what_the_notebook_would(tmp_path):
    bad = _table(tmp_path, "name,Tc\nNb,9\nMgB2,12 K\n")
    with pytest.raises(ValueError, match=r"line 3, column 'Tc' \(MgB2\): '12 K' is not a number"):
        load_supercon_table(path=bad)
    inf = _table(tmp_path, "name,Tc\nNb,inf\n", name="inf.csv")
    with pytest.raises(ValueError, match=r"inf.csv: line 2, column 'Tc' \(Nb\): 'inf' is not finite"):
        load_supercon_table(path=inf)
    empty = _table(tmp_path, "", name="empty.csv")
    with pytest.raises(ValueError, match="empty.csv: the file is empty"):
        load_supercon_table(path=empty)
    few = _table(tmp_path, "name,Tc\nNb,9\nMgB2,39\nnotaformula,3\n", name="few.csv")
    with pytest.raises(ValueError, match=r"few.csv: only 2 of 3 names parse.*at least 10.*notaformula"):
        load_supercon_table(path=few)


# --- load_formula_tc_table: formula, tc_K, optional pressure_GPa (notebook 13) -----------------


def _formula_rows(n=10):
    return [f"La{i}H{i + 2},{10 * i},{20 * i}" for i in range(1, n + 1)]


def test_load_formula_tc_table_reads_rows_and_lists_unparsed_formulas(tmp_path):
    rows = ["formula,tc_K,pressure_GPa", *_formula_rows(), "", "Xq2O,5,0", "not a formula,3,1", "H3S,203,155"]
    path = _table(tmp_path, "\n".join(rows) + "\n")
    ds = load_formula_tc_table(path=path)
    assert ds.user and ds.label == f"your table {path}" and ds.source == str(path)
    assert list(ds.frame.columns) == ["formula", "composition", "tc_K", "pressure_GPa", "line"]
    assert len(ds.frame) == 11
    h3s = ds.frame.set_index("formula").loc["H3S"]
    assert h3s["tc_K"] == 203.0 and h3s["pressure_GPa"] == 155.0 and h3s["line"] == 15  # blank line 12 counts
    assert dict(h3s["composition"].get_el_amt_dict()) == {"H": 3.0, "S": 1.0}
    assert ds.frame["line"].tolist()[:2] == [2, 3]
    assert ds.skipped["item"].tolist() == ["line 13: Xq2O", "line 14: not a formula"]
    for reason, line in zip(ds.skipped["reason"], (13, 14), strict=True):
        assert f"{path}: line {line}, column 'formula'" in reason


def test_load_formula_tc_table_without_pressure_and_repeated_formulas(tmp_path):
    rows = ["formula,tc_K", *[f"Nb3Sn,{18 + i}" for i in range(5)], *[f"MgB{i + 1},{i}" for i in range(5)]]
    ds = load_formula_tc_table(path=_table(tmp_path, "\n".join(rows) + "\n"))
    assert list(ds.frame.columns) == ["formula", "composition", "tc_K", "line"]
    assert len(ds.frame) == 10 and ds.skipped.empty and ds.frame["tc_K"].dtype == float


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        ("LaH10,250 K,170", r"line 12, column 'tc_K' \(LaH10\): '250 K' is not a number"),
        ("LaH10,-3,170", r"line 12, column 'tc_K' \(LaH10\): '-3' is negative"),
        ("LaH10,,170", r"line 12, column 'tc_K' \(LaH10\): empty"),
        ("LaH10,250,1700", r"line 12, column 'pressure_GPa' \(LaH10\): '1700' is outside 0-600 GPa.*kbar"),
        ("LaH10,250,", r"line 12, column 'pressure_GPa' \(LaH10\): empty"),
        ("LaH10,250,170 GPa", r"line 12, column 'pressure_GPa' \(LaH10\): '170 GPa' is not a number"),
        (",250,170", r"line 12, column 'formula': empty"),
    ],
)
def test_load_formula_tc_table_errors_name_file_line_column_and_fix(tmp_path, extra, match):
    path = _table(tmp_path, "\n".join(["formula,tc_K,pressure_GPa", *_formula_rows(), extra]) + "\n")
    with pytest.raises(ValueError, match=match) as info:
        load_formula_tc_table(path=path)
    assert str(path) in str(info.value)


def test_load_formula_tc_table_whole_table_errors(tmp_path):
    no_tc = _table(tmp_path, "formula,Tc\nNb,9\n", name="no_tc.csv")
    with pytest.raises(ValueError, match=r"no_tc.csv: missing column\(s\) \['tc_K'\]"):
        load_formula_tc_table(path=no_tc)
    with pytest.raises(ValueError, match="nope.csv: Tc table not found"):
        load_formula_tc_table(path=tmp_path / "nope.csv")
    few = _table(tmp_path, "formula,tc_K\nNb,9\nMgB2,39\nnotaformula,3\n", name="few.csv")
    with pytest.raises(ValueError, match=r"few.csv: only 2 of 3 rows .*at least 10.*line 4: notaformula"):
        load_formula_tc_table(path=few)
    assert len(load_formula_tc_table(path=few, min_rows=2).frame) == 2


def test_load_structures_user_folder(folder):
    ds = load_structures(cif_dir=folder, tc_csv=folder / "tc.csv")
    assert ds.user and ds.population is None
    assert sorted(ds.frame["cif"]) == ["BKBO.cif", "MgB2.cif", "Nb.cif"]
    assert list(ds.frame.columns) == ["cif", "structure", "formula", "tc_K", "family", "mp_id"]
    assert dict(zip(ds.frame["cif"], ds.frame["family"], strict=True))["Nb.cif"] == "other"
    assert set(ds.skipped["item"]) == {"broken.cif", "unknown.cif", "V_no_tc.cif"}
    with pytest.raises(ValueError, match="needs tc_csv"):
        load_structures(cif_dir=folder)
    with pytest.raises(ValueError, match="without cif_dir"):
        load_structures(tc_csv=folder / "tc.csv")
    two = load_structures(cif_dir=folder, tc_csv=folder / "tc.csv", n=2, seed=1)
    assert len(two.frame) == 2


def test_show_skipped_prints_counts_and_reasons(folder, capsys):
    ds = load_structures(cif_dir=folder, tc_csv=folder / "tc.csv")
    show_skipped(ds, what="structures")
    out = capsys.readouterr().out
    assert f"3 structures read from your folder {folder}; 3 skipped" in out
    assert "V_no_tc.cif" in out and "broken.cif" in out


@pytest.mark.slow
def test_load_structures_registry_subsample_is_seeded(mirror):
    a = load_structures(n=5, seed=2022)
    b = load_structures(n=5, seed=2022)
    assert not a.user and len(a.population) == 5773 and len(a.frame) == 5
    assert a.frame["cif"].tolist() == b.frame["cif"].tolist()
    assert a.label == "3DSC_MP (5 of 5773 structures)"
    assert all(len(s) > 0 for s in a.frame["structure"])
    expected = a.population.sample(n=5, random_state=2022)["cif"].tolist()
    assert a.frame["cif"].tolist() == expected


def test_load_spectra_folder_reads_good_files_and_skips_bad(tmp_path):
    import numpy as np

    folder = tmp_path / "a2f"
    folder.mkdir()
    omega = np.linspace(0.1, 60.0, 400)  # meV
    a2f = 1.2 * np.exp(-(((omega - 20.0) / 4.0) ** 2))
    np.savetxt(folder / "good.a2f", np.column_stack([omega, a2f]), header="w[meV] a2F")
    (folder / "broken.a2f").write_text("# w a2F\n1.0 0.1\n2.0 oops\n")
    (folder / ".hidden").write_text("ignored")
    ds = load_spectra_folder(folder)
    assert ds.user and ds.frame["file"].tolist() == ["good.a2f"]
    lam = 2 * np.trapezoid(a2f / omega, omega)
    assert ds.frame["lambda"].iloc[0] == pytest.approx(lam, rel=1e-3)
    assert ds.skipped["item"].tolist() == ["broken.a2f"]
    assert "line 3" in ds.skipped["reason"].iloc[0] and "broken.a2f" in ds.skipped["reason"].iloc[0]
    with pytest.raises(ValueError, match="not a directory"):
        load_spectra_folder(tmp_path / "nowhere")
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    (only_bad / "broken.a2f").write_text("# w a2F\n1.0 oops\n")
    with pytest.raises(ValueError, match=r"no readable alpha2F file \(1 skipped: .*broken.a2f"):
        load_spectra_folder(only_bad)


def test_load_stanev_on_a_user_file_checks_it_first(tmp_path):
    from reviewlib.data.supercon import load_stanev

    bad = _table(tmp_path, "name,Tc\nNb,9\nMgB2,12 K\n")
    with pytest.raises(ValueError, match=r"line 3, column 'Tc' \(MgB2\): '12 K' is not a number"):
        load_stanev(bad)
    good = _table(tmp_path, "name,Tc\nNb,9.25\nMgB2,39\n", name="good.csv")
    assert load_stanev(good)["tc_K"].tolist() == [9.25, 39.0]


# --- issue 22 case 8: identical structures in a user folder are reported, the first kept ------------


def test_duplicate_structures_in_a_folder_are_reported_with_files_tc_and_lines(tmp_path):
    d = tmp_path / "dups"
    d.mkdir()
    _write_good(d)
    nb = Structure(Lattice.cubic(4.2), ["Nb", "Nb"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    nb.copy().translate_sites([0, 1], [0.1, 0.2, 0.3]).to(filename=str(d / "Nb_shifted.cif"))  # same crystal
    nb.to(filename=str(d / "Nb_again.cif"))
    Structure(Lattice.cubic(4.5), ["Nb", "Nb"], [[0, 0, 0], [0.5, 0.5, 0.5]]).to(
        filename=str(d / "Nb_big.cif")
    )
    (d / "tc.csv").write_text(
        "file,tc_K\nNb.cif,9.25\nMgB2.cif,39\n\nBKBO.cif,30\nNb_shifted.cif,12\nNb_again,9.25\nNb_big.cif,9.25\n"
    )
    frame, skipped = load_structure_folder(d, d / "tc.csv")
    # Nb_big: the same structure type 7 % larger (another pressure, say) is another row, kept
    assert sorted(frame["file"]) == ["BKBO.cif", "MgB2.cif", "Nb.cif", "Nb_big.cif"]
    reasons = dict(zip(skipped["file"], skipped["reason"], strict=True))
    assert set(reasons) == {"Nb_again.cif", "Nb_shifted.cif"}
    assert reasons["Nb_again.cif"] == (
        f"{d / 'Nb_again.cif'}: the same structure as Nb.cif (pymatgen StructureMatcher, lattice within "
        "1 %); Nb.cif, the first by file name, is kept (both Tc 9.25 K, tc.csv lines 2 and 7)"
    )
    assert reasons["Nb_shifted.cif"].endswith(
        "their Tc differ: Nb.cif 9.25 K, Nb_shifted.cif 12 K (tc.csv lines 2 and 6): correct the table or "
        "remove one of the files"
    )
    ds = load_structures(cif_dir=d, tc_csv=d / "tc.csv")  # the chapters' call reports them the same way
    assert set(ds.skipped["item"]) == set(reasons) and len(ds.frame) == 4


# --- load_structure_set: CIFs to predict, with optional per-file descriptors ------------------

DESCRIPTORS = {"dos_ef": (0.0, 100.0), "debye_temperature_K": (1.0, 5000.0)}


def test_structure_set_without_descriptors_needs_no_tc(folder):
    from reviewlib.data.user import load_structure_set

    ds = load_structure_set(folder)
    assert ds.user and set(ds.frame["file"]) == {"Nb.cif", "MgB2.cif", "BKBO.cif", "V_no_tc.cif"}
    assert "tc_K" not in ds.frame.columns
    assert set(ds.skipped["item"]) == {"broken.cif", "unknown.cif"}


def test_structure_set_attaches_descriptors_and_skips_cifs_without_a_row(folder):
    from reviewlib.data.user import load_structure_set

    (folder / "d.csv").write_text("file,dos_ef,debye_temperature_K\nNb.cif,1.5,275\nMgB2,0.7,750\n")
    ds = load_structure_set(folder, descriptor_csv=folder / "d.csv", descriptors=DESCRIPTORS)
    got = ds.frame.set_index("file")
    assert got.loc["MgB2.cif", "debye_temperature_K"] == 750.0 and got.loc["Nb.cif", "dos_ef"] == 1.5
    reasons = ds.skipped.set_index("item")["reason"]
    assert "no row with file='BKBO.cif'" in reasons["BKBO.cif"] and "V_no_tc.cif" in reasons


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("file,dos_ef\nNb.cif,1\n", r"missing column\(s\) \['debye_temperature_K'\]"),
        (
            "file,dos_ef,debye_temperature_K\nNb.cif,1 eV,300\n",
            r"line 2, column 'dos_ef'.*not a plain number",
        ),
        ("file,dos_ef,debye_temperature_K\nNb.cif,1,-4\n", r"line 2, column 'debye_temperature_K'.*outside"),
        ("file,dos_ef,debye_temperature_K\nNb.cif,1,300\n\nNb,2,300\n", r"line 4.*duplicate 'Nb'.*line 2"),
        ("file,dos_ef,debye_temperature_K\nzz.cif,1,300\n", r"no row matches a CIF"),
    ],
)
def test_structure_set_descriptor_errors_name_file_column_and_line(folder, text, match):
    from reviewlib.data.user import load_structure_set

    (folder / "d.csv").write_text(text)
    with pytest.raises(ValueError, match=match) as err:
        load_structure_set(folder, descriptor_csv=folder / "d.csv", descriptors=DESCRIPTORS)
    assert "d.csv" in str(err.value)
