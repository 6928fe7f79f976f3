"""First-principles inputs of the networking value: GPAW ELF and H-projected DOS, cache and batch;
and GPAW total energies of small cells, the reference of the MLIP benchmark (:mod:`reviewlib.dft.energy`).

>>> from reviewlib.dft import DFTSettings, cached_gpaw, belli_descriptors
>>> result, _ = cached_gpaw(structure, name="H3S", settings=DFTSettings())  # doctest: +SKIP
>>> belli_descriptors(result)["phi"]  # doctest: +SKIP
"""

from reviewlib.dft.batch import (
    belli_descriptors,
    convergence_table,
    hydride_candidates,
    left_out_reason,
    networking_table,
    primitive_cell,
)
from reviewlib.dft.cache import cached_gpaw, dft_cache_dir
from reviewlib.dft.calc import (
    DFTError,
    DFTResult,
    DFTSettings,
    InsulatorError,
    NoHydrogenError,
    OverlappingAtomsError,
    SCFNotConvergedError,
    check_structure,
    run_gpaw,
)
from reviewlib.dft.energy import (
    EnergySettings,
    cached_cell_check,
    cached_total_energy,
    cell_check,
    lattice_at_pressure,
    total_energy,
)
from reviewlib.dft.structures import h3s_im3m

__all__ = [
    "DFTError",
    "DFTResult",
    "DFTSettings",
    "EnergySettings",
    "InsulatorError",
    "NoHydrogenError",
    "OverlappingAtomsError",
    "SCFNotConvergedError",
    "belli_descriptors",
    "cached_cell_check",
    "cached_gpaw",
    "cached_total_energy",
    "cell_check",
    "check_structure",
    "convergence_table",
    "dft_cache_dir",
    "h3s_im3m",
    "hydride_candidates",
    "lattice_at_pressure",
    "left_out_reason",
    "networking_table",
    "primitive_cell",
    "run_gpaw",
    "total_energy",
]
