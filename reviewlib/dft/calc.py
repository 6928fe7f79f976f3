"""GPAW calculation of the inputs of the networking value: ELF on a grid and H-projected DOS at E_F.

One self-consistent plane-wave PBE calculation per structure (GPAW with the PAW setups of the
``gpaw-data`` package) gives

* the electron localisation function (Becke & Edgecombe 1990) on the real-space grid of the
  calculation (GPAW's ELF from the pseudo valence density and kinetic-energy density);
* the total DOS at the Fermi level and its projections on the bound PAW partial waves of every atom
  (Gaussian broadening ``dos_width_eV``), hence ``h_dos`` = H projections / all atomic projections.

Every result carries the settings it was computed with (:class:`DFTSettings`) and the GPAW and
setup versions. Faults raise :class:`DFTError` subclasses whose message names the structure.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

#: Shortest accepted interatomic distance (Angstrom); anything closer is taken as overlapping atoms.
MIN_DISTANCE_A = 0.5


class DFTError(Exception):
    """A structure the DFT step cannot handle; the message names it and says why."""


class NoHydrogenError(DFTError, ValueError):
    """The structure has no hydrogen (H_f and H_DOS are zero; phi is not defined for it)."""


class OverlappingAtomsError(DFTError, ValueError):
    """Two atoms closer than :data:`MIN_DISTANCE_A`."""


class SCFNotConvergedError(DFTError, RuntimeError):
    """The Kohn-Sham self-consistency did not converge within ``maxiter`` iterations."""


class InsulatorError(DFTError, ValueError):
    """The cell has a gap at the Fermi level: H_DOS (a fraction of DOS(E_F)) is undefined."""


@dataclass(frozen=True)
class DFTSettings:
    """Settings of one GPAW calculation (recorded next to every result).

    Attributes:
        xc: exchange-correlation functional.
        ecut_eV: plane-wave cutoff (eV).
        kpt_density: Monkhorst-Pack k-point density (points per reciprocal Angstrom, Gamma-centred).
        smearing_eV: Fermi-Dirac smearing width (eV).
        grid_spacing_A: real-space grid spacing for the density and the ELF (Angstrom).
        dos_width_eV: Gaussian broadening of the DOS at E_F (eV).
        maxiter: maximum number of SCF iterations.
        gap_threshold_eV: a Kohn-Sham gap larger than this at E_F makes the cell an insulator (eV).
    """

    xc: str = "PBE"
    ecut_eV: float = 350.0
    kpt_density: float = 3.0
    smearing_eV: float = 0.1
    grid_spacing_A: float = 0.12
    dos_width_eV: float = 0.1
    maxiter: int = 60
    gap_threshold_eV: float = 0.05

    def as_dict(self) -> dict[str, Any]:
        """Plain dictionary (for cache keys and tables)."""
        return asdict(self)


@dataclass
class DFTResult:
    """ELF grid and DOS at E_F of one structure, with the settings and versions used.

    Attributes:
        name: label of the structure.
        formula: reduced formula.
        species: element symbol per site.
        cell: 3x3 lattice vectors as rows (Angstrom).
        frac_coords: N x 3 fractional coordinates.
        elf: ELF on the periodic grid (axis k samples lattice vector k; dimensionless).
        fermi_level_eV: Fermi level (eV).
        dos_total: total DOS at E_F (states/eV/cell, both spins).
        pdos_atoms: DOS at E_F projected on each atom's bound partial waves (states/eV/cell).
        kpts: Monkhorst-Pack grid used.
        scf_iterations: SCF iterations to convergence.
        seconds: wall time of the calculation (s).
        cpu_seconds: CPU time of the calculating process (s; not inflated by other processes' load).
        settings: :class:`DFTSettings` as a dictionary.
        versions: GPAW, gpaw-data and ASE versions.
    """

    name: str
    formula: str
    species: list[str]
    cell: np.ndarray
    frac_coords: np.ndarray
    elf: np.ndarray
    fermi_level_eV: float
    dos_total: float
    pdos_atoms: np.ndarray
    kpts: list[int]
    scf_iterations: int
    seconds: float
    settings: dict[str, Any]
    versions: dict[str, str] = field(default_factory=dict)
    cpu_seconds: float = 0.0

    @property
    def h_fraction(self) -> float:
        """Hydrogen fraction of the atoms, H_f (dimensionless)."""
        return sum(s == "H" for s in self.species) / len(self.species)

    @property
    def h_dos(self) -> float:
        """Hydrogen share of the atom-projected DOS at E_F, H_DOS (dimensionless)."""
        h = np.array([s == "H" for s in self.species])
        total = float(self.pdos_atoms.sum())
        return float(self.pdos_atoms[h].sum() / total)

    @property
    def h_dos_of_total(self) -> float:
        """H-projected DOS at E_F divided by the total DOS (projections miss the interstitial)."""
        h = np.array([s == "H" for s in self.species])
        return float(self.pdos_atoms[h].sum() / self.dos_total)


def versions() -> dict[str, str]:
    """Versions of the DFT stack (part of every cache key)."""
    import ase
    import gpaw
    import gpaw_data

    return {"gpaw": gpaw.__version__, "gpaw_data": gpaw_data.__version__, "ase": ase.__version__}


def check_structure(structure, *, name: str, require_hydrogen: bool = True) -> None:
    """Refuse structures the descriptor is not defined for (no H, overlapping atoms, partial occupancy).

    ``require_hydrogen=False`` keeps the overlap and order checks only (total energies of any cell).

    Raises:
        NoHydrogenError, OverlappingAtomsError, DFTError: with ``name`` in the message.
    """
    if not getattr(structure, "is_ordered", True):
        raise DFTError(f"{name}: disordered (partial occupancy) sites; GPAW needs an ordered cell")
    symbols = [site.specie.symbol for site in structure]
    if require_hydrogen and "H" not in symbols:
        raise NoHydrogenError(f"{name}: no hydrogen in {structure.composition.reduced_formula}; phi needs H")
    if len(structure) > 1:
        dist = structure.distance_matrix + np.eye(len(structure)) * 1e9
        i, j = np.unravel_index(np.argmin(dist), dist.shape)
        # a site's own periodic image counts too (very small cells)
        self_image = min(structure.lattice.abc)
        if dist[i, j] < MIN_DISTANCE_A or self_image < MIN_DISTANCE_A:
            raise OverlappingAtomsError(
                f"{name}: atoms {i} ({symbols[i]}) and {j} ({symbols[j]}) are {dist[i, j]:.3f} A apart "
                f"(< {MIN_DISTANCE_A} A); fix the structure (duplicated site or wrong lattice?)"
            )


def kpts_for(structure, *, density: float) -> list[int]:
    """Gamma-centred Monkhorst-Pack grid with at least ``density`` points per reciprocal Angstrom."""
    recip = structure.lattice.reciprocal_lattice.abc  # includes the 2 pi
    return [max(1, int(np.ceil(density * b))) for b in recip]


def converged_scf(
    atoms,
    *,
    name: str,
    settings: Any,
    kpts: list[int],
    txt: str | None = None,
    **gpaw_kwargs: Any,
) -> tuple[Any, float]:
    """One GPAW plane-wave SCF on ASE ``atoms`` (Gamma-centred ``kpts``, Fermi-Dirac smearing).

    ``settings`` is a :class:`DFTSettings` or :class:`reviewlib.dft.energy.EnergySettings` (its
    ``xc``, ``ecut_eV``, ``smearing_eV`` and ``maxiter`` are used). Returns (the converged
    calculator, the total energy in eV). ``gpaw_kwargs`` go to ``GPAW`` (e.g. ``h`` for the
    real-space grid, ``spinpol``).

    Raises:
        SCFNotConvergedError: not converged within ``maxiter`` iterations; the message names ``name``.
    """
    from gpaw import GPAW, PW, FermiDirac, KohnShamConvergenceError

    maxiter = settings.maxiter
    calc = GPAW(
        mode=PW(settings.ecut_eV),
        xc=settings.xc,
        kpts={"size": kpts, "gamma": True},
        occupations=FermiDirac(settings.smearing_eV),
        maxiter=maxiter,
        txt=txt,
        **gpaw_kwargs,
    )
    atoms.calc = calc
    try:
        energy = float(atoms.get_potential_energy())
    except KohnShamConvergenceError as exc:
        detail = f" ({exc})" if str(exc) else ""
        raise SCFNotConvergedError(
            f"{name}: SCF not converged in {maxiter} iterations{detail}; "
            "try more iterations (maxiter), a larger smearing or check the structure"
        ) from exc
    return calc, energy


def scf_iterations(calc) -> int:
    """SCF iterations of the last calculation (0 when this GPAW does not expose them)."""
    scf = getattr(getattr(calc, "dft", None), "scf_loop", None)
    if scf is not None and getattr(scf, "niter", None) is not None:
        return int(scf.niter)
    scf = getattr(calc, "scf", None)  # the older calculator keeps it here
    return int(getattr(scf, "niter", 0) or 0)


def run_gpaw(
    structure, *, name: str, settings: DFTSettings | None = None, txt: str | None = None
) -> DFTResult:
    """Self-consistent GPAW calculation: ELF grid and atom-projected DOS at E_F.

    Args:
        structure: ordered pymatgen ``Structure`` with hydrogen (use the primitive cell: cost grows
            with the cube of the number of electrons).
        name: label used in messages and results.
        settings: calculation settings (default :class:`DFTSettings`).
        txt: GPAW log file (None: silent).

    Raises:
        NoHydrogenError, OverlappingAtomsError: before any calculation.
        SCFNotConvergedError: SCF not converged within ``settings.maxiter``.
        InsulatorError: a Kohn-Sham gap at E_F (H_DOS undefined).
    """
    settings = settings or DFTSettings()
    check_structure(structure, name=name)
    from ase.dft.bandgap import bandgap
    from gpaw.dos import DOSCalculator, get_projector_numbers
    from gpaw.elf import elf_from_dft_calculation
    from pymatgen.io.ase import AseAtomsAdaptor

    atoms = AseAtomsAdaptor.get_atoms(structure)
    kpts = kpts_for(structure, density=settings.kpt_density)
    start, cpu_start = time.perf_counter(), time.process_time()
    calc, _ = converged_scf(
        atoms, name=name, settings=settings, kpts=kpts, txt=txt, h=settings.grid_spacing_A
    )
    gap, _, _ = bandgap(calc, output=None)
    if gap > settings.gap_threshold_eV:
        raise InsulatorError(
            f"{name}: Kohn-Sham gap of {gap:.2f} eV at the Fermi level; "
            "H_DOS (a share of DOS(E_F)) is undefined"
        )
    elf = np.array(elf_from_dft_calculation(calc).data, dtype=float)
    dos = DOSCalculator.from_calculator(calc)
    ef = np.array([0.0])  # energies relative to E_F
    width = settings.dos_width_eV
    total = float(dos.raw_dos(ef, width=width)[0])
    pdos = []
    for a in range(len(atoms)):
        ls = sorted({int(ell) for ell in calc.setups[a].l_j})
        pdos.append(
            sum(
                float(dos.raw_pdos(ef, a=a, l=ell, width=width)[0])
                for ell in ls
                if get_projector_numbers(calc.setups[a], ell)
            )
        )
    pdos = np.array(pdos)
    if total <= 0 or pdos.sum() <= 0:
        raise InsulatorError(f"{name}: no states at the Fermi level (DOS(E_F) = {total:.3g}/eV)")
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    iterations = scf_iterations(calc)
    return DFTResult(
        name=name,
        formula=structure.composition.reduced_formula,
        species=[site.specie.symbol for site in structure],
        cell=np.array(structure.lattice.matrix),
        frac_coords=np.array(structure.frac_coords),
        elf=elf,
        fermi_level_eV=float(calc.get_fermi_level()),
        dos_total=total,
        pdos_atoms=pdos,
        kpts=kpts,
        scf_iterations=iterations,
        seconds=seconds,
        settings=settings.as_dict(),
        versions=versions(),
        cpu_seconds=cpu_seconds,
    )
