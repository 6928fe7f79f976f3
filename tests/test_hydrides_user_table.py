"""A user's hydride CSV: bad rows are skipped and listed with their reason."""

from __future__ import annotations

import pytest

from reviewlib.hydrides import load_user_hydrides


def test_bad_rows_are_listed(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "formula,pressure_GPa,tc_K\n"
        "LaH10,170,250\n"  # good
        "KScH12,300,122\n"  # good ternary
        "La(H10,170,250\n"  # unparseable
        "XxH3,100,50\n"  # unknown element
        "NaCl,10,5\n"  # no hydrogen
        "H3S,-1,200\n"  # negative pressure
        "H3S,150,-3\n"  # negative Tc
        "H3S,150,\n"  # missing Tc
    )
    frame, skipped = load_user_hydrides(path)
    assert list(frame["formula"]) == ["LaH10", "KScH12"]
    assert list(frame["partner"]) == ["La", None]
    assert list(skipped["line"]) == [4, 5, 6, 7, 8, 9]
    reasons = list(skipped["reason"])
    assert "cannot parse" in reasons[0]
    assert "Xx" in reasons[1]
    assert "no hydrogen" in reasons[2]
    assert "pressure_GPa" in reasons[3] and "tc_K" in reasons[4] and "tc_K" in reasons[5]
    assert all(str(path) in r for r in reasons)


def test_file_errors_name_the_file(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        load_user_hydrides(tmp_path / "none.csv")
    path = tmp_path / "cols.csv"
    path.write_text("compound,P,Tc\nLaH10,170,250\n")
    with pytest.raises(ValueError, match=r"cols\.csv: missing column"):
        load_user_hydrides(path)
    path.write_text("formula,pressure_GPa,tc_K\nNaCl,1,1\n")
    with pytest.raises(ValueError, match="no usable row"):
        load_user_hydrides(path)


def test_optional_columns(tmp_path):
    path = tmp_path / "opt.csv"
    path.write_text("formula,pressure_GPa,tc_K,space_group,mu_star\nLaH10,170,250,225,0.1\nH3S,150,200,,\n")
    frame, skipped = load_user_hydrides(path)
    assert frame["space_group"].iloc[0] == 225 and frame["space_group"].isna().iloc[1]
    assert frame["mu_star"].iloc[0] == pytest.approx(0.1) and skipped.empty
