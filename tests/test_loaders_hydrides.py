"""Hydride loaders on the data mirror: row counts and values read off the raw files."""

from __future__ import annotations

import pytest
from pymatgen.core import Composition, Structure

from reviewlib.data.hydrides import (
    load_alexandria,
    load_htsc2025,
    load_osaka_hydrides,
    load_sodnet_hydrides,
    load_tranvu,
)


@pytest.fixture(scope="module")
def osaka():
    return load_osaka_hydrides()


def test_osaka_rows_and_columns(mirror, osaka):
    assert osaka.attrs["unparsed"] == []
    assert osaka["composition"].notna().all()
    # blanks upstream stay missing (documented), they are not turned into numbers
    assert osaka["space_group"].isna().sum() == 42
    assert osaka["lambda"].isna().sum() == 120
    assert osaka["omega_log_K"].isna().sum() == 148
    assert osaka["mu_star"].isna().sum() == 24


def test_osaka_known_values(mirror, osaka):
    # line 2 of the CSV: "   S2H5 ,    1,  100,  1.0786,     902.09, 0.17,   49.5486 , https://doi.org/10.1038/srep23160"
    first = osaka.iloc[0]
    assert first["formula"] == "S2H5"
    assert first["composition"] == Composition("S2H5")
    assert first["space_group"] == 1
    assert first[["pressure_GPa", "lambda", "omega_log_K", "mu_star", "tc_K"]].tolist() == pytest.approx(
        [100, 1.0786, 902.09, 0.17, 49.5486]
    )
    assert first["doi"] == "10.1038/srep23160"
    # line 657 has a thin space (U+2009) after omega_log "127.1"
    tih2 = osaka.iloc[655]
    assert tih2["formula"] == "TiH2" and tih2["omega_log_K"] == pytest.approx(127.1)
    # last line: LaSH6, 63, 300 GPa, Tc 35 K
    last = osaka.iloc[-1]
    assert (last["formula"], last["space_group"], last["pressure_GPa"], last["tc_K"]) == (
        "LaSH6",
        63,
        300,
        35,
    )
    # highest Tc: YH10 at 300 GPa, 311 K (line 880)
    assert osaka["tc_K"].max() == 311.0
    assert osaka.loc[osaka["tc_K"].idxmax(), "formula"] == "YH10"
    assert osaka["pressure_GPa"].agg(["min", "max"]).tolist() == [0.0, 2000.0]


def test_osaka_binaries(mirror, osaka):
    binaries = osaka[osaka["partner"].notna()]
    assert len(binaries) == 879
    assert binaries["partner"].nunique() == 56
    best = binaries.groupby("partner")["tc_K"].max()
    assert best[["Y", "La", "Ca", "S"]].tolist() == [311.0, 288.0, 285.2, 204.0]
    assert osaka.loc[osaka["formula"] == "S0.2Se0.8H3", "composition"].iloc[0] == Composition("S0.2Se0.8H3")


def test_osaka_unparsable_formula_kept_with_warning(tmp_path):
    src = tmp_path / "osaka.csv"
    src.write_text(
        " formula,group,P GPa,  lambda,  w_log [K],   mu,     Tc [K], reference\r\n"
        "   SH3 ,  229,  200,  2.19,  1335, 0.10,  204 , https://doi.org/10.1038/srep06968\r\n"
        "   Xx3H ,   ,  100,  ,  , 0.10,  10 , By A. Nakanishi\r\n"
    )
    with pytest.warns(UserWarning, match="1 of 2 Osaka hydride formulas do not parse"):
        frame = load_osaka_hydrides(src)
    assert len(frame) == 2
    assert frame["composition"].iloc[1] is None
    assert frame.attrs["unparsed"][0][0] == "Xx3H"
    assert frame["doi"].iloc[1] is None


def test_osaka_bad_input(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("formula,group,P GPa\nSH3,229,200\n")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['lambda'"):
        load_osaka_hydrides(src)
    src.write_text("formula,group,P GPa,lambda,w_log [K],mu,Tc [K],reference\nSH3,229,high,1,1,0.1,200,x\n")
    with pytest.raises(ValueError, match="'P GPa' has non-numeric values"):
        load_osaka_hydrides(src)


@pytest.mark.parametrize(
    ("kind", "target", "first", "n_features"),
    [("lambda", "lambda", 0.39, 40), ("omega_log", "omega_log_K", 803.6, 38)],
)
def test_tranvu(mirror, kind, target, first, n_features):
    frame = load_tranvu(kind)
    assert frame.attrs["target"] == target
    assert len(frame.attrs["features"]) == n_features
    assert frame[target].iloc[0] == pytest.approx(first)


def test_tranvu_known_range(mirror):
    lam = load_tranvu("lambda")["lambda"]
    assert (lam.min(), lam.max()) == pytest.approx((0.089, 5.81))
    om = load_tranvu("omega_log")
    # last data line of data_omlog.csv: "588,1409.0,..."
    assert (om["ind"].iloc[-1], om["omega_log_K"].iloc[-1]) == (588, 1409.0)
    with pytest.raises(ValueError, match="kind must be one of"):
        load_tranvu("tc")


@pytest.fixture(scope="module")
def ds_b():
    return load_alexandria("B")


def test_alexandria_b(mirror, ds_b):
    assert ds_b["has_H"].sum() == 184
    first = ds_b.iloc[0]
    assert first["mat_id"] == "agm001184602"
    assert first["formula"] == "LuScTc4"
    assert first["tc_K"] == pytest.approx(13.033)
    assert first["lambda"] == pytest.approx(1.243027274783521)
    assert first["omega_log_K"] == pytest.approx(126.77522284174404)
    assert isinstance(first["structure"], Structure) and len(first["structure"]) == first["n_sites"] == 6
    assert ds_b["tc_K"].max() == pytest.approx(35.631)
    assert ds_b.loc[ds_b["has_H"], "tc_K"].max() <= 39


def test_alexandria_a(mirror):
    ds_a = load_alexandria("A", with_structures=False)
    assert ds_a["has_H"].sum() == 487
    assert ds_a["mat_id"].iloc[0] == "agm003769282"
    assert ds_a["tc_K"].iloc[0] == pytest.approx(9.75)
    assert ds_a["tc_K"].max() == pytest.approx(42.028)
    assert "structure" not in ds_a.columns
    assert {"dos_ef", "debye_temperature_K"} <= set(ds_a.columns)
    with pytest.raises(ValueError, match="which must be 'A' or 'B'"):
        load_alexandria("C")


def test_htsc2025(mirror):
    frame = load_htsc2025()
    assert frame["has_H"].sum() == 79
    assert frame["family"].value_counts().to_dict() == {
        "LowTc": 49,
        "X2YMH6": 23,
        "X2YH6": 19,
        "M3XH8": 18,
        "MXH3": 15,
        "LaH10": 12,
        "XYMH6": 3,
        "MgB2": 1,
    }
    row = frame.set_index("name").loc["M3XH8-NbAl3H8"]
    assert row["tc_K"] == 37.6 and row["formula"] == "NbAl3H8"
    assert frame.set_index("name").loc["MgB2-MgB2", "tc_K"] == 40
    assert all(isinstance(s, Structure) for s in frame["structure"])
    assert frame["tc_K"].agg(["min", "max"]).tolist() == [0.01, 160]


def test_sodnet_join(mirror):
    frame = load_sodnet_hydrides()
    assert frame.attrs["n_joined"] == 88 == frame["has_cif"].sum()
    assert len(frame.attrs["missing_cifs"]) == 15 and "H3S1.cif" in frame.attrs["missing_cifs"]
    assert frame.attrs["unmatched_cifs"] == []
    by_cif = frame.set_index("cif")
    assert by_cif.loc["La1H10.cif", "tc_K"] == 254.0
    assert by_cif.loc["K1H6.cif", "tc_K"] == 69.8
    assert by_cif.loc["H3S1.cif", "structure"] is None
    la = by_cif.loc["La1H10.cif", "structure"]
    assert isinstance(la, Structure)
    assert la.composition.reduced_composition == Composition("LaH10")
    # every joined structure has the formula of its table row
    joined = frame[frame["has_cif"]]
    same = [
        s.composition.reduced_composition == c.reduced_composition
        for s, c in zip(joined["structure"], joined["composition"], strict=True)
    ]
    # 3 upstream CIFs do not hold the table's formula (measured): Hf6H20, Zr6H20, S8N8H20 cells
    assert sum(same) == 85
    assert sorted(joined.loc[~joined["cif_matches_formula"].astype(bool), "cif"]) == [
        "Hf1H10.cif",
        "N1S1H5.cif",
        "Zr1H10.cif",
    ]
