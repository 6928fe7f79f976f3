"""Hydride descriptors: hand-computed values and errors on bad input."""

from __future__ import annotations

import numpy as np
import pytest
from pymatgen.core import Element

from reviewlib.hydrides import HUTCHEON_COLUMNS, ISHIKAWA_COLUMNS, crystal_system, hydride_descriptors


def test_h3s_and_lah10_by_hand():
    d = hydride_descriptors(
        formulas=["H3S", "LaH10"], pressures_GPa=[150, 170], space_groups=[229, 225], mu_stars=[0.1, None]
    )
    m_h, m_s, m_la = (float(Element(e).atomic_mass) for e in ("H", "S", "La"))
    h3s, lah10 = d.iloc[0], d.iloc[1]
    assert h3s["h_fraction"] == pytest.approx(0.75)
    assert h3s["n_H"] == 3 and lah10["n_H"] == 10
    assert h3s["mass_per_atom"] == pytest.approx((m_s + 3 * m_h) / 4)
    assert lah10["mass_per_atom"] == pytest.approx((m_la + 10 * m_h) / 11)
    assert h3s["crystal_system"] == "cubic" and h3s["space_group"] == 229
    assert np.isnan(lah10["mu_star"]) and h3s["mu_star"] == 0.1
    assert lah10["Z"] == 57 and lah10["mass_number"] == 139 and lah10["n_d"] == 1
    assert (
        h3s["partner"] == "S"
        and h3s["compound"] == hydride_descriptors(formulas=["S2H6"], pressures_GPa=[0]).iloc[0]["compound"]
    )
    for col in (*HUTCHEON_COLUMNS, *ISHIKAWA_COLUMNS):
        assert col in d.columns


def test_ternary_element_descriptors_are_amount_weighted():
    d = hydride_descriptors(formulas=["KScH12"], pressures_GPa=[300]).iloc[0]
    assert d["Z"] == pytest.approx((19 + 21) / 2)
    assert d["n_H"] == 6 and d["partner"] is None and d["n_elements"] == 3


def test_crystal_systems_match_pymatgen():
    from pymatgen.symmetry.groups import SpaceGroup

    for n in (1, 2, 3, 15, 16, 74, 75, 142, 143, 167, 168, 194, 195, 230):
        assert crystal_system(n) == SpaceGroup.from_int_number(n).crystal_system
    with pytest.raises(ValueError):
        crystal_system(231)


@pytest.mark.parametrize(
    ("formula", "pressure", "match"),
    [
        ("NaCl", 10, "no hydrogen"),
        ("XxH3", 10, "unknown element|cannot parse"),
        ("H2", 10, "pure hydrogen"),
        ("H3S", -5, "non-negative"),
        ("H3S(", 5, "cannot parse|unknown"),
    ],
)
def test_bad_rows_raise_naming_the_row(formula, pressure, match):
    with pytest.raises(ValueError, match=match) as info:
        hydride_descriptors(formulas=["LaH10", formula], pressures_GPa=[100, pressure])
    assert "row 1" in str(info.value)
