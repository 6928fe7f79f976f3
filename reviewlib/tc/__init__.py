"""Superconducting Tc: closed-form formulas, the isotropic Eliashberg solver and alpha2F files.

- :mod:`reviewlib.tc.formulas` closed-form Tc formulas (BCS, McMillan, Allen-Dynes, Xie et al.),
  re-exported here, so ``from reviewlib import tc; tc.allen_dynes_tc(...)`` works
- :mod:`reviewlib.tc.eliashberg` alpha2F spectra, their moments and the Eliashberg Tc solver
- :mod:`reviewlib.tc.spectra_io` readers of alpha2F files (EPW, Quantum ESPRESSO, plain tables)
- :mod:`reviewlib.tc.cli` the ``reviewlib tc`` command

Importing this package loads only the formulas (numpy); the solver (numba) loads on first use of
:mod:`reviewlib.tc.eliashberg`.
"""

from reviewlib.tc.formulas import *  # noqa: F403
from reviewlib.tc.formulas import __all__  # noqa: F401
