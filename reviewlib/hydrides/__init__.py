"""Hydride superconductors: descriptors, de-duplication, Z±1 substitution, element-level maps.

Used by the notebooks on Semenok et al. (2018), Ishikawa et al. (2019) and Hutcheon et al.
(2020). Element data come from pymatgen.
"""

from reviewlib.data.hydride_table import load_user_hydrides
from reviewlib.hydrides.dedup import compound_groups, deduplicate
from reviewlib.hydrides.descriptors import (
    HUTCHEON_COLUMNS,
    ISHIKAWA_COLUMNS,
    crystal_system,
    hydride_descriptors,
)
from reviewlib.hydrides.elements import (
    BELT_ELEMENTS,
    LABILITY_BELT,
    element_table,
    max_tc_per_element,
    valence_configuration,
)
from reviewlib.hydrides.screening import belt_null, figure_of_merit, implausible, small_groups
from reviewlib.hydrides.substitution import substitute_binaries, ternary_formula, z_neighbour_substitution

__all__ = [
    "belt_null",
    "figure_of_merit",
    "implausible",
    "small_groups",
    "BELT_ELEMENTS",
    "HUTCHEON_COLUMNS",
    "ISHIKAWA_COLUMNS",
    "LABILITY_BELT",
    "compound_groups",
    "crystal_system",
    "deduplicate",
    "element_table",
    "hydride_descriptors",
    "load_user_hydrides",
    "max_tc_per_element",
    "substitute_binaries",
    "ternary_formula",
    "valence_configuration",
    "z_neighbour_substitution",
]
