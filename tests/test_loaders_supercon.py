"""SuperCon loaders on the mirror: row counts, parsed formulas, 3DSC's Tc recipe."""

from __future__ import annotations

import pytest

from reviewlib.chem import formula_amounts
from reviewlib.data import load_3dsc_icsd_ids, load_3dsc_mp, load_allen_dynes, load_stanev, load_supercon3d
from reviewlib.data.supercon import (
    compare_with_id_prop,
    load_id_prop,
    material_family,
    normalised_key,
    standard_formula,
    supercon_tc_by_key,
)


@pytest.fixture(scope="module")
def stanev():
    with pytest.warns(UserWarning, match="do not parse"):
        return load_stanev()


@pytest.fixture(scope="module")
def mp_table():
    return load_3dsc_mp(with_structures=False)


def test_stanev_rows_and_unparsed_names_are_kept(stanev):
    unparsed = stanev.attrs["unparsed"]
    assert len(unparsed) == 10
    assert stanev["composition"].isna().sum() == 10, "unparsed names are kept, not dropped"
    assert (stanev["tc_K"] == 0).sum() == 3966
    first = stanev.iloc[0]  # first data line of the CSV: Ba0.4K0.6Fe2As2,31.2
    assert first["name"] == "Ba0.4K0.6Fe2As2" and first["tc_K"] == pytest.approx(31.2)
    assert first["elements"] == ("As", "Ba", "Fe", "K") and first["family"] == "iron-based"
    nb3sn = stanev.loc[stanev["name"] == "Nb3Sn1"].iloc[0]
    assert nb3sn["tc_K"] == pytest.approx(17.846)


def test_supercon_names_parse_as_plain_formulas():
    assert formula_amounts("La2CuO4", brackets=False) == {"La": 2.0, "Cu": 1.0, "O": 4.0}
    assert formula_amounts("D0.967Pd1", brackets=False) == {"D": 0.967, "Pd": 1.0}  # D kept apart
    with pytest.raises(ValueError, match="unknown element 'Xx'"):
        formula_amounts("Xx2O3", brackets=False)
    with pytest.raises(ValueError, match="at '.'"):  # two SuperCon names end in a stray dot
        formula_amounts("Ga1Sr2Ca3Cu4O11.", brackets=False)
    with pytest.raises(ValueError, match="cannot parse"):
        formula_amounts("Ba(Fe0.9Co0.1)2As2", brackets=False)


def test_normalised_key_ignores_order_and_scale():
    key = normalised_key(formula_amounts("Be13U0.99Th0.01"))
    assert key == normalised_key(formula_amounts("U0.99Th0.01Be13")) == "Be92.857Th0.071U7.071"
    assert normalised_key(formula_amounts("Y1Ba2Cu3O6.9996")) == normalised_key(formula_amounts("YBa2Cu3O7"))
    assert normalised_key(formula_amounts("D0.967Pd1")) == "D49.161Pd50.839"
    assert standard_formula(formula_amounts("YBa2Cu3O7Zn0.0001")) == "Ba2Cu3Y1O7"


def test_material_family():
    assert material_family(["La", "Sr", "Cu", "O"]) == "cuprate"
    assert material_family(["La", "Fe", "As", "O"]) == "iron-based"
    assert material_family(["Nb", "Sn"]) == "other"


def test_3dsc_tc_recipe_drops_groups_with_large_spread(stanev):
    table = supercon_tc_by_key(stanev)
    assert len(table) == 15885
    assert table["key"].is_unique


def test_3dsc_mp_rows_parents_and_doping(mp_table):
    assert int(mp_table["synth_doped"].sum()) == 3437
    assert mp_table["mp_id"].nunique() == 2715
    assert mp_table["mp_id"].value_counts().max() == 189
    counts = mp_table["family"].value_counts()
    assert counts["cuprate"] == 876 and counts["iron-based"] == 462
    assert (mp_table["tc_K"] >= 0).all()


def test_3dsc_mp_agrees_with_id_prop_when_present(mp_table, mirror):
    summary = compare_with_id_prop(mp_table, load_id_prop())
    assert summary["in_both"] == 5773
    assert summary["agree"] == 5773
    assert summary["max_abs_diff_K"] < 1e-9


def test_3dsc_mp_reads_structures_for_a_folder(tmp_path, mirror):
    from reviewlib.data import fetch

    src = fetch("3dsc_mp_cifs", progress=False)
    names = sorted(p.name for p in src.glob("*.cif"))[:5]
    for name in names:
        (tmp_path / name).write_bytes((src / name).read_bytes())
    frame = load_3dsc_mp(cif_dir=tmp_path)
    assert list(frame["cif"]) == names
    assert all(s.num_sites == n for s, n in zip(frame["structure"], frame["n_sites"], strict=True))


def test_icsd_ids_and_supercon3d_tables():
    icsd = load_3dsc_icsd_ids()
    assert icsd["icsd_id"].notna().all() and load_supercon3d()["tc_K"].notna().all()


def test_allen_dynes_set():
    ad = load_allen_dynes()
    assert (ad["lambda"] > 0).all() and (ad["omega_log_K"] > 0).all()
