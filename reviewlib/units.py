"""Energy and frequency units used for phonons and temperatures.

Inside :mod:`reviewlib` phonon frequencies and temperatures are both in kelvin (an energy
E is stored as E / k_B). Convert at the edges with :func:`to_kelvin`.

Constants (CODATA 2018, exact SI definitions of h and k_B):

- ``K_PER_MEV``: 1 meV / k_B = 11.604518 K
- ``K_PER_EV``: 1 eV / k_B = 11604.518 K
- ``K_PER_THZ``: h * 1 THz / k_B = 47.992430 K (THz as an ordinary, not angular, frequency)
- ``K_PER_RY``: 1 Ry / k_B = 157887.51 K
- ``K_PER_CM1``: h c * 1 cm^-1 / k_B = 1.4387769 K
"""

from __future__ import annotations

import numpy as np

K_PER_MEV = 11.604518
K_PER_EV = 11604.518
K_PER_THZ = 47.992430
K_PER_RY = 157887.51
K_PER_CM1 = 1.4387769

_FACTORS = {
    "K": 1.0,
    "meV": K_PER_MEV,
    "eV": K_PER_EV,
    "THz": K_PER_THZ,
    "Ry": K_PER_RY,
    "cm-1": K_PER_CM1,
}
UNITS = tuple(_FACTORS)  # the units :func:`to_kelvin` accepts

__all__ = ["K_PER_CM1", "K_PER_EV", "K_PER_MEV", "K_PER_RY", "K_PER_THZ", "UNITS", "to_kelvin"]


def to_kelvin(values, unit: str) -> np.ndarray:
    """Convert energies/frequencies ``values`` given in ``unit`` to kelvin (E / k_B).

    ``unit`` is one of "K", "meV", "eV", "THz", "Ry", "cm-1" (case-sensitive). Returns a float array.
    """
    try:
        factor = _FACTORS[unit]
    except (KeyError, TypeError):
        raise ValueError(f"unknown unit {unit!r}; expected one of {sorted(_FACTORS)}") from None
    return np.asarray(values, dtype=float) * factor
