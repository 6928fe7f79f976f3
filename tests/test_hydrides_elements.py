"""Element data for hydride models: values against published element data."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewlib.hydrides import BELT_ELEMENTS, element_table, max_tc_per_element, valence_configuration


def test_valence_configuration_against_textbook_configurations():
    assert valence_configuration(symbol="La") == {"s": 2, "p": 0, "d": 1, "f": 0}  # [Xe] 5d1 6s2
    assert valence_configuration(symbol="S") == {"s": 2, "p": 4, "d": 0, "f": 0}  # [Ne] 3s2 3p4
    assert valence_configuration(symbol="U") == {"s": 2, "p": 0, "d": 1, "f": 3}  # [Rn] 5f3 6d1 7s2


def test_element_table_values_and_open_shell_count():
    t = element_table(symbols=["Rb", "Hf", "Cu", "Th"])
    assert t.loc["Rb", "Z"] == 37 and t.loc["Rb", "mass_number"] == 85
    assert t.loc["Rb", "vdw_radius"] == pytest.approx(3.03, abs=0.01)  # Bondi/Mantina radius, Angstrom
    assert t.loc["Hf", "n_df_open"] == 2  # 4f14 is full, 5d2 counts
    assert t.loc["Cu", "n_df_open"] == 0  # 3d10
    assert t.loc["Th", "n_df_open"] == 2  # 6d2
    with pytest.raises(ValueError, match="Xx"):
        element_table(symbols=["Xx"])


def test_belt_is_the_reviews_ten_elements():
    assert BELT_ELEMENTS == {"Mg", "Ca", "Sr", "Ba", "Ra", "Sc", "Y", "La", "Ac", "Th"}


def test_max_tc_per_element_picks_the_maximum_row():
    frame = pd.DataFrame(
        {
            "formula": ["LaH10", "LaH6", "H3S", "CaTiH12"],
            "partner": ["La", "La", "S", None],
            "pressure_GPa": [200.0, 150.0, 150.0, 100.0],
            "tc_K": [250.0, 100.0, 200.0, 400.0],
        }
    )
    best = max_tc_per_element(frame=frame)
    assert list(best.index) == ["La", "S"]  # the ternary row is ignored
    assert best.loc["La", "formula"] == "LaH10" and best.loc["La", "n_rows"] == 2
    with pytest.raises(ValueError, match="lacks columns"):
        max_tc_per_element(frame=frame.drop(columns="partner"))
