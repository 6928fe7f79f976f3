import math

import pytest

from reviewlib import element_space as E


def test_element_counts_under_each_convention():
    assert len(E.element_numbers()) == 83  # Z = 1..83, Tc and Pm included
    assert len(E.element_numbers(exclude=E.NO_STABLE_ISOTOPE_BELOW_BI)) == 81
    assert len(E.element_numbers(z_max=82, exclude=E.NO_STABLE_ISOTOPE_BELOW_BI)) == 80
    assert len(E.element_numbers(include_hydrogen=False)) == 82
    assert 43 not in E.element_numbers(exclude=E.NO_STABLE_ISOTOPE_BELOW_BI)


def test_combinations_match_hand_counts():
    assert E.n_combinations(83, 2, ordered=True, repeats=False) == 83 * 82 == 6806
    assert E.n_combinations(83, 3, ordered=True, repeats=False) == 83 * 82 * 81 == 551_286
    assert E.n_combinations(82, 2, ordered=True, repeats=True) == 82**2 == 6724
    assert E.n_combinations(83, 2, ordered=False, repeats=False) == 3403
    assert E.n_combinations(83, 3, ordered=False, repeats=False) == 91_881
    assert E.n_combinations(82, 2, ordered=False, repeats=True) == math.comb(83, 2)


def test_no_standard_convention_gives_6723():
    partners = {f"{n}": n for n in range(78, 86)}
    rows = E.convention_table(partners)
    assert 6723 not in {r["k=2"] for r in rows}
    assert {r["k=3"] for r in rows if abs(r["k=3"] / 5.5e5 - 1) < 0.01} == {551_286, 551_368}


def test_bad_input_raises():
    with pytest.raises(ValueError):
        E.n_combinations(-1, 2, ordered=True, repeats=False)
    with pytest.raises(ValueError):
        E.element_numbers(z_max=0)
