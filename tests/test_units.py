import numpy as np
import pytest

from reviewlib.units import K_PER_CM1, K_PER_EV, K_PER_MEV, K_PER_RY, K_PER_THZ, to_kelvin


def test_constants_against_codata():
    # k_B = 8.617333262e-5 eV/K, h = 4.135667696e-15 eV s, c = 29979245800 cm/s, Ry = 13.605693122994 eV
    kb = 8.617333262e-5
    assert K_PER_MEV == pytest.approx(1e-3 / kb, rel=1e-7)
    assert K_PER_EV == pytest.approx(1.0 / kb, rel=1e-7)
    assert K_PER_THZ == pytest.approx(4.135667696e-15 * 1e12 / kb, rel=1e-7)
    assert K_PER_RY == pytest.approx(13.605693122994 / kb, rel=1e-7)
    assert K_PER_CM1 == pytest.approx(4.135667696e-15 * 29979245800 / kb, rel=1e-7)


@pytest.mark.parametrize(
    ("unit", "factor"),
    [
        ("K", 1.0),
        ("meV", K_PER_MEV),
        ("eV", K_PER_EV),
        ("THz", K_PER_THZ),
        ("Ry", K_PER_RY),
        ("cm-1", K_PER_CM1),
    ],
)
def test_to_kelvin(unit, factor):
    out = to_kelvin([1.0, 2.5], unit)
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [factor, 2.5 * factor])


@pytest.mark.parametrize("unit", ["Hz", "mev", "ev", "", None])
def test_to_kelvin_rejects_unknown_units(unit):
    with pytest.raises(ValueError, match="unknown unit"):
        to_kelvin([1.0], unit)
