"""First-principles inputs of the networking value: GPAW ELF and H-projected DOS, cache and batch.

>>> from reviewlib.dft import DFTSettings, cached_gpaw, belli_descriptors
>>> result, _ = cached_gpaw(structure, name="H3S", settings=DFTSettings())  # doctest: +SKIP
>>> belli_descriptors(result)["phi"]  # doctest: +SKIP
"""

from reviewlib.dft.batch import (
    belli_descriptors,
    convergence_table,
    hydride_candidates,
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
from reviewlib.dft.structures import h3s_im3m

__all__ = [
    "DFTError",
    "DFTResult",
    "DFTSettings",
    "InsulatorError",
    "NoHydrogenError",
    "OverlappingAtomsError",
    "SCFNotConvergedError",
    "belli_descriptors",
    "cached_gpaw",
    "check_structure",
    "convergence_table",
    "dft_cache_dir",
    "h3s_im3m",
    "hydride_candidates",
    "networking_table",
    "primitive_cell",
    "run_gpaw",
]
