"""Z±1 substitution: the review's examples and Ishikawa's two ternaries."""

from __future__ import annotations

import pytest
from pymatgen.core import Composition

from reviewlib.hydrides import (
    hydride_descriptors,
    substitute_binaries,
    ternary_formula,
    z_neighbour_substitution,
)


@pytest.mark.parametrize(
    ("parent", "ternary"),
    [("LaH10", "BaCeH20"), ("H3S", "PClH6"), ("CaH6", "KScH12"), ("GeH3", "GaAsH6"), ("S2H5", "PClH5")],
)
def test_known_substitutions(parent, ternary):
    assert ternary_formula(formula=parent) == ternary
    assert z_neighbour_substitution(formula=parent) == Composition(ternary)


def test_the_reviews_h6pdcl_cannot_arise():
    assert z_neighbour_substitution(formula="H3S") != Composition("H6PdCl")


@pytest.mark.parametrize("formula", ["KScH12", "NaCl", "H2", "HeH2", "LrH3"])
def test_not_substitutable(formula):
    with pytest.raises(ValueError):
        z_neighbour_substitution(formula=formula)


def test_substitute_binaries_changes_only_the_masses():
    d = hydride_descriptors(
        formulas=["CaH6", "KScH12", "HeH2"],
        pressures_GPa=[200, 300, 10],
        space_groups=[229, 1, 1],
        mu_stars=[0.1] * 3,
    )
    out = substitute_binaries(descriptors=d)
    assert list(out["formula"]) == ["KScH12"]  # the ternary input is ignored, HeH2 is skipped
    assert out.attrs["skipped"][0][0] == "HeH2"
    row, parent = out.iloc[0], d.iloc[0]
    for col in ("h_fraction", "space_group", "mu_star", "pressure_GPa", "n_H"):
        assert row[col] == parent[col]
    expected = Composition("KScH12").weight / 14
    assert row["mass_per_atom"] == pytest.approx(float(expected))
    assert row["mass_per_atom"] != parent["mass_per_atom"] and row["parent"] == "CaH6"
