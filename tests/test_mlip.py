import numpy as np
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


def test_chgnet_forces_only_calculator_matches_the_full_one_and_has_no_stress():
    from ase.calculators.calculator import PropertyNotImplementedError
    from pymatgen.io.ase import AseAtomsAdaptor

    from reviewlib.search import known

    atoms = AseAtomsAdaptor.get_atoms(known.fluorite_luh2().get_primitive_structure())
    atoms.rattle(0.05, seed=1)
    full = atoms.copy()
    full.calc = mlip.calculator(model="chgnet")
    atoms.calc = mlip.calculator(model="chgnet", stress=False)
    assert atoms.calc is not full.calc
    np.testing.assert_allclose(atoms.get_forces(), full.get_forces(), atol=1e-5)
    assert atoms.get_potential_energy() == pytest.approx(full.get_potential_energy(), abs=1e-5)
    with pytest.raises(PropertyNotImplementedError):
        atoms.get_stress()


def test_sevennet_has_no_forces_only_variant_and_is_not_loaded_twice():
    assert mlip.calculator(model="sevennet", stress=False) is mlip.calculator(model="sevennet")
