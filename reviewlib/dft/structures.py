"""Literature structures not in the data registry (inputs, with their source)."""

from __future__ import annotations


def h3s_im3m(*, a_A: float = 3.09):
    """Im-3m H3S (Duan et al. 2014), the phase of Drozdov et al.'s 203 K superconductor (primitive cell).

    S at 2a (0, 0, 0), H at 6b (1/2, 0, 0) of the conventional cubic cell. ``a_A`` (Angstrom):
    3.09 A is the cubic lattice parameter near 200 GPa (DFT, Duan et al. 2014; X-ray diffraction
    at 150-200 GPa gives 3.08-3.10 A). Returns the 4-atom body-centred primitive cell.
    """
    from pymatgen.core import Lattice, Structure

    if not 2.0 < a_A < 5.0:
        raise ValueError(f"h3s_im3m: lattice parameter {a_A!r} A is implausible for H3S (expected ~3.1 A)")
    conventional = Structure.from_spacegroup(
        "Im-3m", Lattice.cubic(a_A), ["S", "H"], [[0, 0, 0], [0.5, 0, 0]]
    )
    return conventional.get_primitive_structure()
