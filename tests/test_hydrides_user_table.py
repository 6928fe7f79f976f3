"""A user's hydride CSV: bad rows are skipped and listed with their reason."""

from __future__ import annotations

import re

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


# --- issue 22 case 4: physical ranges (reviewlib.data.schema), file / line / column in every reason ----


def _write(tmp_path, text, name="mine.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_kbar_pressures_are_refused_with_the_kbar_hint(tmp_path):
    # a table in kbar: most pressures above 600 "GPa"; skipping them would keep the rest wrong by 10x
    path = _write(tmp_path, "formula,pressure_GPa,tc_K\nLaH10,1700,250\nH3S,1500,200\nRbH12,500,100\n")
    with pytest.raises(
        ValueError, match=r"mine\.csv: column 'pressure_GPa': 2 of 3 values are above 0-600 GPa"
    ) as info:
        load_user_hydrides(path)
    assert "line 2: 1700" in str(info.value) and "is this kbar? divide by 10" in str(info.value)
    # one genuine TPa-range row among GPa rows: that row is skipped with the hint, the rest kept
    path = _write(
        tmp_path, "formula,pressure_GPa,tc_K\nLaH10,170,250\nH3S,150,200\nArH4,1700,55\n", "one.csv"
    )
    frame, skipped = load_user_hydrides(path)
    assert list(frame["formula"]) == ["LaH10", "H3S"]
    assert skipped["line"].tolist() == [4]
    assert skipped["reason"].iloc[0] == (
        f"{path}: line 4, column 'pressure_GPa': '1700' is outside 0-600 GPa (pressure); "
        "is this kbar? divide by 10 (1 GPa = 10 kbar)"
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("space_group", "abc", r"'abc' is neither a number nor a Hermann-Mauguin symbol"),
        ("mu_star", "0.1x", r"'0.1x' is not a number; give mu\* as a plain number such as 0.13"),
        ("mu_star", "1.5", r"'1.5' is outside 0-0.3 \(mu\*\); mu\* is a small dimensionless number"),
        ("mu_star", "-0.2", r"'-0.2' is negative; mu\* must be a non-negative number in 0-0.3"),
        ("space_group", "999", r"'999' is outside 1-230 \(space group\); give the space-group number"),
        ("space_group", "0", r"'0' is outside 1-230"),
        ("space_group", "225.5", r"'225.5' is not a whole number"),
        ("tc_K", "450", r"'450' is outside 0-400 K \(Tc\)"),
        ("tc_K", "nan", r"'nan' is not finite"),
        ("pressure_GPa", "170 GPa", r"'170 GPa' is not a number; give pressure in GPa"),
    ],
)
def test_bad_numbers_are_skipped_with_file_line_and_column(tmp_path, column, value, message):
    cells = {"formula": "H3S", "pressure_GPa": "150", "tc_K": "200", "space_group": "229", "mu_star": "0.1"}
    cells[column] = value
    header = ",".join(cells)
    path = _write(tmp_path, f"{header}\nLaH10,170,250,225,0.13\n" + ",".join(cells.values()) + "\n")
    frame, skipped = load_user_hydrides(path)
    assert list(frame["formula"]) == ["LaH10"] and skipped["line"].tolist() == [3]
    reason = skipped["reason"].iloc[0]
    assert reason.startswith(f"{path}: line 3, column {column!r}: "), reason
    assert re.search(message, reason), reason
    assert not frame.isna().any().any()  # nothing became NaN


def test_space_group_symbols_are_accepted_as_numbers(tmp_path):
    path = _write(
        tmp_path,
        "formula,pressure_GPa,tc_K,space_group,mu_star\n"
        "LaH10,170,250,Fm-3m,0.1\nH3S,150,200,Im-3m,0.13\nCaH6,170,215, 229 ,\nYH6,165,220,,0.1\n",
    )
    frame, skipped = load_user_hydrides(path)
    assert skipped.empty
    assert frame["space_group"].tolist()[:3] == [225, 229, 229] and frame["space_group"].isna().iloc[3]
    assert str(frame["space_group"].dtype) == "Int64" and frame["mu_star"].isna().iloc[2]


def test_line_numbers_count_blank_lines(tmp_path):
    path = _write(tmp_path, "formula,pressure_GPa,tc_K\n\nLaH10,170,250\n\n\nNaCl,10,5\nH3S,150,-3\n")
    frame, skipped = load_user_hydrides(path)
    assert list(frame["formula"]) == ["LaH10"]
    assert skipped["line"].tolist() == [6, 7]  # as an editor shows them
    assert skipped["reason"].iloc[0].startswith(f"{path}: line 6: ")
    assert skipped["reason"].iloc[1].startswith(f"{path}: line 7, column 'tc_K': '-3' is negative")


def test_renamed_columns_are_named_in_the_reason(tmp_path):
    path = _write(tmp_path, "compound,P,Tc\nLaH10,170,250\nH3S,150,999\n")
    frame, skipped = load_user_hydrides(path, formula_column="compound", pressure_column="P", tc_column="Tc")
    assert len(frame) == 1 and "line 3, column 'Tc': '999' is outside 0-400 K" in skipped["reason"].iloc[0]


def test_load_hydride_table_lists_ternaries_and_rows_without_inputs(tmp_path):
    from reviewlib.data.user import load_hydride_table

    path = tmp_path / "h.csv"
    path.write_text(
        "formula,pressure_GPa,tc_K,space_group,mu_star\n"
        "LaH10,170,250,Fm-3m,0.1\nYH6,165,220,,0.1\nCaYH12,200,230,221,0.1\nXxH3,10,5,1,0.1\n"
    )
    ds = load_hydride_table(path=path, binary_only=True, need=("space_group",))
    assert ds.user and ds.frame["formula"].tolist() == ["LaH10"]
    assert len(ds.population) == 3  # every readable row, for parent look-ups
    reasons = dict(zip(ds.skipped["item"], ds.skipped["reason"], strict=True))
    assert "no space_group" in reasons["YH6"] and "not a binary hydride" in reasons["CaYH12"]
    assert any("Xx" in item for item in reasons)
    bare = tmp_path / "bare.csv"
    bare.write_text("formula,pressure_GPa,tc_K\nLaH10,170,250\n")
    with pytest.raises(ValueError, match=r"bare\.csv.*mu_star"):
        load_hydride_table(path=bare, need=("mu_star",))
