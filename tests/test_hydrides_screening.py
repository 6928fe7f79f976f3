"""Chance level of the lability belt, plausibility flags, the figure of merit S."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import hypergeom

from reviewlib.hydrides import belt_null, figure_of_merit, implausible, small_groups


def test_belt_null_is_the_hypergeometric_tail():
    ranked = ["Y", "La", "Ca", "Fe", "Mg", "Ni", "Cu", "Zn", "Sc", "Ti"]
    out = belt_null(ranked=ranked, belt={"Y", "La", "Ca", "Mg", "Sc"}, k=4)
    assert (out["observed"], out["n"], out["n_belt"]) == (3, 10, 5)
    assert out["expected"] == pytest.approx(4 * 5 / 10)
    assert out["p_value"] == pytest.approx(hypergeom(10, 5, 4).sf(2))
    with pytest.raises(ValueError):
        belt_null(ranked=ranked, belt=set(), k=11)


def test_implausible_flags_noble_gases_halogens_and_pressures_outside_training():
    flags = implausible(
        elements=["Xe", "Cl", "La", "Xe", "La"],
        tc_K=[200, 160, 250, 100, 50],
        pressure_GPa=[100, 100, 100, 100, 700],
        train_pressure_GPa=(0, 500),
    )
    assert flags["noble_gas_or_halogen_high_tc"].tolist() == [True, True, False, False, False]
    assert flags["pressure_outside_training"].tolist() == [False, False, False, False, True]
    assert flags["flag"].tolist()[2:4] == ["", ""] and "pressure" in flags["flag"].iloc[4]


def test_figure_of_merit_prefers_low_pressure_at_equal_tc():
    s = figure_of_merit(tc_K=[39, 115, 115, 240], pressure_GPa=[0, 50, 340, 340])
    assert s[0] == pytest.approx(1.0)  # MgB2 at ambient pressure
    assert s[1] > s[3] > s[2]  # RbH12 at 50 GPa above a 240 K hydride at 340 GPa
    assert np.all(figure_of_merit(tc_K=[-5], pressure_GPa=[-1]) == 0)


def test_small_groups():
    assert small_groups(["a", "a", "a", "b"], minimum=3).to_dict() == {"b": 1}
