"""Known and hypothesised structures of the Lu-N-H system and two superhydrides, built from their
space groups and Wyckoff positions (pymatgen ``Structure.from_spacegroup``).

Lattice constants are starting values only (Å); every structure is relaxed with the MLIP before
use. Molecular elements (H2, N2) are a molecule in a fixed 10 Å box at zero pressure (no
van der Waals binding is needed) and an alpha-N2-type (Pa-3) molecular solid above it.
"""

from __future__ import annotations

from typing import Any


def _sg(symbol: str, a: float, species: list[str], coords: list[list[float]], c: float | None = None) -> Any:
    from pymatgen.core import Lattice, Structure

    lattice = Lattice.hexagonal(a, c) if c is not None else Lattice.cubic(a)
    return Structure.from_spacegroup(symbol, lattice, species, coords)


def molecule_in_box(symbol: str, bond_A: float, box_A: float = 10.0) -> Any:
    """A homonuclear diatomic molecule (bond ``bond_A``, Å) in a cubic periodic box of edge ``box_A`` (Å)."""
    from pymatgen.core import Lattice, Structure

    return Structure(
        Lattice.cubic(box_A),
        [symbol, symbol],
        [[0, 0, 0], [bond_A / box_A, 0, 0]],
        coords_are_cartesian=False,
    )


def _pa3_molecular_solid(symbol: str, a: float, bond_A: float) -> Any:
    x = bond_A / (2 * 3**0.5 * a)
    return _sg("Pa-3", a, [symbol], [[x, x, x]])


def fluorite_luh2(a: float = 5.03) -> Any:
    """LuH2 in the fluorite (CaF2) structure, Fm-3m: Lu 4a, H 8c (the known ambient phase)."""
    return _sg("Fm-3m", a, ["Lu", "H"], [[0, 0, 0], [0.25, 0.25, 0.25]])


def fcc_luh3(a: float = 5.0) -> Any:
    """LuH3 in the BiF3 structure, Fm-3m: Lu 4a, H 8c and 4b (the proposed parent of the retracted claim)."""
    return _sg("Fm-3m", a, ["Lu", "H", "H"], [[0, 0, 0], [0.25, 0.25, 0.25], [0.5, 0.5, 0.5]])


def rocksalt_lun(a: float = 4.77) -> Any:
    """LuN in the rock-salt structure, Fm-3m."""
    return _sg("Fm-3m", a, ["Lu", "N"], [[0, 0, 0], [0.5, 0.5, 0.5]])


def rocksalt_luh(a: float = 4.75) -> Any:
    """LuH in the rock-salt structure, Fm-3m (a hypothetical polymorph; H in the octahedral holes)."""
    return _sg("Fm-3m", a, ["Lu", "H"], [[0, 0, 0], [0.5, 0.5, 0.5]])


def zincblende_luh(a: float = 5.0) -> Any:
    """LuH in the zinc-blende structure, F-43m (a hypothetical polymorph; H in half the tetrahedral holes)."""
    return _sg("F-43m", a, ["Lu", "H"], [[0, 0, 0], [0.25, 0.25, 0.25]])


def zincblende_lun(a: float = 5.15) -> Any:
    """LuN in the zinc-blende structure, F-43m (a higher-energy polymorph of rock-salt LuN)."""
    return _sg("F-43m", a, ["Lu", "N"], [[0, 0, 0], [0.25, 0.25, 0.25]])


def hcp_lu(a: float = 3.505, c: float = 5.549) -> Any:
    """Lutetium metal, hcp (P6_3/mmc, Lu on 2c)."""
    return _sg("P6_3/mmc", a, ["Lu"], [[1 / 3, 2 / 3, 0.25]], c=c)


def n_doped_fluorite(*, site: str = "tetrahedral") -> Any:
    """Conventional fluorite LuH2 cell (Lu4H8) with one N: replacing a tetrahedral H (Lu4H7N) or
    filling an octahedral hole (Lu4H8N), the N-doped LuH2 models discussed for the retracted claim.
    """
    s = fluorite_luh2()
    if site == "tetrahedral":
        idx = next(i for i, sp in enumerate(s.species) if sp.symbol == "H")
        s.replace(idx, "N")
    elif site == "octahedral":
        s.append("N", [0.5, 0.5, 0.5])
    else:
        raise ValueError("site must be 'tetrahedral' or 'octahedral'")
    return s


def h3s_im3m(a: float = 3.09) -> Any:
    """H3S, Im-3m (S 2a, H 6b), the 200 K superconductor near 150 GPa (conventional cell)."""
    return _sg("Im-3m", a, ["S", "H"], [[0, 0, 0], [0.5, 0, 0]])


def lah10_fm3m(a: float = 5.1, x: float = 0.12) -> Any:
    """LaH10, Fm-3m (La 4a, H 8c and 32f (x, x, x)) (conventional cell)."""
    return _sg("Fm-3m", a, ["La", "H", "H"], [[0, 0, 0], [0.25, 0.25, 0.25], [x, x, x]])


def lunh_references(*, pressure_GPa: float) -> list[dict[str, Any]]:
    """Known Lu-N-H phases and the two N-doped fluorite models as search candidates.

    Each dict has ``id`` (``ref-<name>``), ``structure`` (primitive cell), ``relax_cell`` and a
    ``name``. At zero pressure H2 and N2 are molecules in a fixed box; above it molecular solids.
    """
    molecular = pressure_GPa > 0
    items = {
        "Lu-hcp": (hcp_lu(), True),
        "H2": (_pa3_molecular_solid("H", 5.1, 0.74), True)
        if molecular
        else (molecule_in_box("H", 0.74), False),
        "N2": (_pa3_molecular_solid("N", 5.66, 1.10), True)
        if molecular
        else (molecule_in_box("N", 1.10), False),
        "LuH2-fluorite": (fluorite_luh2(), True),
        "LuH3-Fm-3m": (fcc_luh3(), True),
        "LuN-rocksalt": (rocksalt_lun(), True),
        "Lu4H7N-fluorite": (n_doped_fluorite(site="tetrahedral"), True),
        "Lu4H8N-fluorite": (n_doped_fluorite(site="octahedral"), True),
    }
    out = []
    for name, (structure, relax_cell) in items.items():
        prim = structure.get_primitive_structure() if relax_cell else structure
        out.append(
            {
                "id": f"ref-{name}",
                "name": name,
                "structure": prim,
                "relax_cell": relax_cell,
                "composition": prim.composition.reduced_formula,
                "formula": prim.composition.formula.replace(" ", ""),
                "spacegroup_requested": None,
            }
        )
    return out
