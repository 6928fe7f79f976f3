"""Shared chemistry helpers: formula rules, element checks, keys, element columns."""

from __future__ import annotations

import numpy as np
import pytest
from pymatgen.core import Composition, Lattice, Structure
from pymatgen.core.periodic_table import DummySpecies

from reviewlib.chem import (
    check_elements,
    chemical_system_key,
    composition_key,
    default_elements,
    element_columns,
    element_fraction_columns,
    parse_formula,
    parse_formulas,
    try_parse_formulas,
)


def amounts(comp: Composition) -> dict[str, float]:
    return {str(k): float(v) for k, v in comp.get_el_amt_dict().items()}


def test_parse_plain_formulas():
    assert amounts(parse_formula("La2CuO4")) == {"La": 2.0, "Cu": 1.0, "O": 4.0}
    assert amounts(parse_formula(" S0.2Se0.8H3 ")) == pytest.approx({"S": 0.2, "Se": 0.8, "H": 3.0})
    assert amounts(parse_formula("Nb.5Ti.5")) == {"Nb": 0.5, "Ti": 0.5}
    assert amounts(parse_formula("HHH")) == {"H": 3.0}  # repeats add up
    assert amounts(parse_formula("Ba0Cu1")) == {"Cu": 1.0}  # zero amounts dropped


def test_parse_brackets_nested():
    comp = parse_formula("Ba(Fe0.9Co0.1)2As2")
    assert amounts(comp) == pytest.approx({"Ba": 1.0, "Fe": 1.8, "Co": 0.2, "As": 2.0})
    assert amounts(parse_formula("Ca[Mg(OH)2]3")) == pytest.approx({"Ca": 1, "Mg": 3, "O": 6, "H": 6})
    with pytest.raises(ValueError, match="cannot parse formula"):
        parse_formula("Ba(Fe0.9Co0.1)2As2", brackets=False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Xx2O3", "unknown element 'Xx' in formula 'Xx2O3'"),
        ("Sr2Cu1Cl1.2O4.", r"cannot parse formula 'Sr2Cu1Cl1.2O4.' at '.'"),
        ("YBa2Cu3O7-x", "cannot parse formula .* at '-x'"),
        ("Fe2+", "cannot parse formula"),
        ("Fe O", "cannot parse formula"),
        ("", "cannot parse formula"),
        ("(LaH10", "unclosed"),
        ("LaH10)", "cannot parse formula"),
        ("()2", "cannot parse formula"),
        ("la2CuO4", "cannot parse formula"),
    ],
)
def test_parse_refuses_with_where(text, message):
    with pytest.raises(ValueError, match=message):
        parse_formula(text)
    with pytest.raises(ValueError, match=r"^table.csv line 3: "):
        parse_formula(text, where="table.csv line 3")


def test_parse_mappings_and_compositions():
    assert amounts(parse_formula({"Nb": 3, "Sn": 1})) == {"Nb": 3.0, "Sn": 1.0}
    assert parse_formula(Composition("MgB2")) == Composition("MgB2")
    assert amounts(parse_formula(Composition({"Fe2+": 1, "O2-": 1}))) == {"Fe": 1.0, "O": 1.0}
    for bad, message in [
        (None, "missing"),
        (float("nan"), "missing"),
        ({"Fe": -1.0}, "must be >= 0"),
        ({"Fe": float("inf")}, "must be >= 0"),
        ({"Fe": 0.0}, "empty composition"),
        ({"Xx": 1}, "unknown element 'Xx'"),
        (3.5, "not a composition"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_formula(bad, where="row 7")


def test_parse_many():
    comps = parse_formulas(["MgB2", {"Nb": 3, "Sn": 1}])
    assert [c.reduced_formula for c in comps] == ["MgB2", "Nb3Sn"]
    with pytest.raises(ValueError, match=r"^f.csv: composition #1: unknown element 'Qq'"):
        parse_formulas(["MgB2", "Qq2"], where="f.csv")
    with pytest.raises(ValueError, match="not a single composition"):
        parse_formulas("MgB2")
    with pytest.raises(ValueError, match="no compositions"):
        parse_formulas([])
    comps, errors = try_parse_formulas(["LaH10", "Xx3", "H3S"])
    assert comps[0].reduced_formula == "LaH10" and comps[1] is None and comps[2].reduced_formula == "H3S"
    assert errors == ["", "unknown element 'Xx' in formula 'Xx3'", ""]


def test_check_elements():
    assert check_elements(["La", "H"]) == ("H", "La")
    assert check_elements(Composition("LaH10")) == ("H", "La")
    assert check_elements("Fe") == ("Fe",)
    structure = Structure(Lattice.cubic(3.0), ["Nb", "Sn"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    assert check_elements(structure) == ("Nb", "Sn")
    with pytest.raises(ValueError, match=r"^a.cif: unknown element\(s\) Qq, Zz$"):
        check_elements(["Fe", "Zz", "Qq"], where="a.cif")
    dummy = Structure(Lattice.cubic(3.0), ["Nb", DummySpecies("X")], [[0, 0, 0], [0.5, 0.5, 0.5]])
    with pytest.raises(ValueError, match="unknown element"):
        check_elements(dummy, where="b.cif")
    with pytest.raises(ValueError, match="no element"):
        check_elements([])


def test_composition_key_is_order_and_scale_independent():
    key = composition_key(parse_formula("Ba2Cu3O7Y"))
    assert key == composition_key("YBa2Cu3O7") == composition_key({"Y": 2, "Ba": 4, "Cu": 6, "O": 14})
    assert key == "Ba0.154Cu0.231O0.538Y0.077"
    assert composition_key("YBa2Cu3O6.5") != key
    assert composition_key("Be13U0.99Th0.01", percent=True) == "Be92.857Th0.071U7.071"
    assert composition_key("H3S", decimals=2) == "H0.75S0.25"


def test_chemical_system_key():
    assert chemical_system_key(parse_formula("LaH10")) == "H-La"
    assert chemical_system_key("YBa2Cu3O6.5") == chemical_system_key("YBa2Cu3O7") == "Ba-Cu-O-Y"


def test_element_columns():
    frame = element_columns([parse_formula("LaH10"), None, parse_formula("MgB2")])
    assert frame["elements"].tolist() == [("H", "La"), (), ("B", "Mg")]
    assert frame["n_elements"].tolist() == [2, 0, 2]
    assert frame["has_H"].tolist() == [True, False, False]


def test_element_fraction_columns():
    F = element_fraction_columns(["MgB2", {"Nb": 3, "Sn": 1}])
    assert list(F.columns) == list(default_elements()) and len(F.columns) == 103
    np.testing.assert_allclose(F.sum(axis=1), 1.0)
    assert F.loc[0, "B"] == pytest.approx(2 / 3) and F.loc[1, "Nb"] == pytest.approx(0.75)
    G = element_fraction_columns(["MgB2"], elements=["B", "Mg"])
    assert G.columns.tolist() == ["B", "Mg"]
    with pytest.raises(ValueError, match="'Mg' of composition #0 .* not in the element list"):
        element_fraction_columns(["MgB2"], elements=["B", "O"])
    with pytest.raises(ValueError, match="unknown element 'Zz'"):
        element_fraction_columns(["MgB2"], elements=["B", "Zz"])
    with pytest.raises(ValueError, match="duplicates"):
        element_fraction_columns(["MgB2"], elements=["B", "B", "Mg"])
