import pytest

from reviewlib import mlip


def test_chgnet_model_card_errors_are_read_from_the_wheel():
    card = mlip.author_reported_accuracy(model="chgnet")
    # CHGNet 0.3.0's card: Test row 29 meV/atom, 68 meV/Å, 0.314 GPa, 0.037 muB
    assert card["energy_mae_meV_per_atom"] == 29
    assert card["force_mae_meV_per_A"] == 68
    assert card["stress_mae_GPa"] == pytest.approx(0.314)
    assert card["source"].endswith("README.md")


def test_no_model_card_for_sevennet_and_unknown_models_are_refused():
    with pytest.raises(ValueError, match="model card"):
        mlip.author_reported_accuracy(model="sevennet")
    with pytest.raises(ValueError, match="unknown MLIP"):
        mlip.calculator(model="mace")


def test_chgnet_covers_lutetium_and_nitrogen_but_not_oganesson():
    covered = mlip.supported_elements(model="chgnet")
    assert {"Lu", "N", "H", "La", "S"} <= covered
    assert "Og" not in covered
