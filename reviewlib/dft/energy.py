"""GPAW total energies of small cells: the DFT reference the universal MLIPs are measured against.

One spin-paired plane-wave SCF per cell (PBE with the PAW setups of ``gpaw-data``, Fermi-Dirac
smearing, Gamma-centred k-points from :func:`~reviewlib.dft.calc.kpts_for`); an isolated molecule
is a periodic box sampled at the Gamma point only. No ELF, no DOS: only the energy, with the settings
and code versions it was computed with. :func:`cached_total_energy` goes through the generic feature
cache (:func:`reviewlib.features.cache.cached`), keyed by the structure hash, the settings, the
versions and the molecule flag.

>>> from reviewlib.dft import EnergySettings, cached_total_energy
>>> result = cached_total_energy(structure=s, name="LuH2", settings=EnergySettings())  # doctest: +SKIP
>>> result["energy_eV_per_atom"]  # doctest: +SKIP
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from reviewlib.dft.calc import check_structure, converged_scf, kpts_for, scf_iterations, versions

#: Kind of the feature-cache entries of :func:`cached_total_energy`.
CACHE_KIND = "dft-energy"

_NUMERIC = ("n_atoms", "energy_eV", "energy_eV_per_atom", "kpts", "scf_iterations", "seconds", "cpu_seconds")
_STRINGS = ("name", "formula")


@dataclass(frozen=True)
class EnergySettings:
    """Settings of one GPAW total-energy calculation (recorded with every result and in the cache key).

    The defaults converge the formation energy of LuH2 (from Lu hcp and H2) to a few meV/atom:
    ecut 400 eV changes it by 2 meV/atom and a k-point density of 3/Å^-1 by 6 meV/atom (measured
    at the CHGNet geometry); the nine cells of :func:`reviewlib.search.reference.reference_cells`
    take about 4 minutes on one core.

    Attributes:
        xc: exchange-correlation functional.
        ecut_eV: plane-wave cutoff (eV).
        kpt_density: k-point density (points per reciprocal Angstrom, 2 pi included; Gamma-centred).
        smearing_eV: Fermi-Dirac smearing width (eV).
        maxiter: maximum number of SCF iterations.
    """

    xc: str = "PBE"
    ecut_eV: float = 500.0
    kpt_density: float = 4.0
    smearing_eV: float = 0.1
    maxiter: int = 120

    def as_dict(self) -> dict[str, Any]:
        """Plain dictionary (for cache keys and tables)."""
        return asdict(self)


def total_energy(
    *,
    structure,
    name: str,
    settings: EnergySettings | None = None,
    molecule: bool = False,
    txt: str | None = None,
) -> dict[str, Any]:
    """Total energy of one cell from a spin-paired GPAW plane-wave SCF.

    The energy is ``atoms.get_potential_energy()``, which GPAW returns extrapolated to zero
    smearing width (its Fermi-Dirac occupations carry ``extrapolate_factor = -0.5`` on the entropy
    term), so metals and insulators are on the same footing without a separate extrapolation here.
    GPAW energies are relative to its spin-paired reference atoms; only differences between cells
    computed with the same settings (formation energies, polymorph differences) are meaningful.

    Args:
        structure: ordered pymatgen ``Structure`` (use the primitive cell).
        name: label used in messages and in the result.
        settings: calculation settings (default :class:`EnergySettings`).
        molecule: an isolated molecule in a periodic box: Gamma point only (k-points 1x1x1).
        txt: GPAW log file (None: silent).

    Returns:
        ``name``, ``formula`` (reduced), ``n_atoms``, ``energy_eV``, ``energy_eV_per_atom``,
        ``kpts``, ``scf_iterations``, ``seconds`` (wall), ``cpu_seconds`` (``time.process_time``),
        ``settings`` and ``versions`` (dicts).

    Raises:
        reviewlib.dft.calc.OverlappingAtomsError: overlapping atoms, before any calculation.
        reviewlib.dft.calc.DFTError: a disordered cell, before any calculation.
        reviewlib.dft.calc.SCFNotConvergedError: SCF not converged within ``settings.maxiter``.
    """
    settings = settings or EnergySettings()
    check_structure(structure, name=name, require_hydrogen=False)
    from pymatgen.io.ase import AseAtomsAdaptor

    atoms = AseAtomsAdaptor.get_atoms(structure)
    kpts = [1, 1, 1] if molecule else kpts_for(structure, density=settings.kpt_density)
    start, cpu_start = time.perf_counter(), time.process_time()
    calc, energy = converged_scf(atoms, name=name, settings=settings, kpts=kpts, txt=txt, spinpol=False)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    return {
        "name": name,
        "formula": structure.composition.reduced_formula,
        "n_atoms": len(structure),
        "energy_eV": energy,
        "energy_eV_per_atom": energy / len(structure),
        "kpts": [int(k) for k in kpts],
        "scf_iterations": scf_iterations(calc),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "settings": settings.as_dict(),
        "versions": versions(),
    }


def _cache_key(structure, settings: EnergySettings, molecule: bool) -> dict[str, Any]:
    from reviewlib.features.cache import hash_structures

    return {
        "structure": hash_structures([structure]),
        "settings": settings.as_dict(),
        "versions": versions(),
        "molecule": bool(molecule),
    }


def cached_total_energy(
    *,
    structure,
    name: str,
    settings: EnergySettings | None = None,
    molecule: bool = False,
    txt: str | None = None,
    recompute: bool = False,
) -> dict[str, Any]:
    """:func:`total_energy` through the feature cache (``kind="dft-energy"``).

    The key holds the structure hash, the settings, the GPAW / gpaw-data / ASE versions and
    ``molecule``; a change of any of them is a new calculation. ``recompute=True`` overwrites the
    entry. The result has ``name`` as given (also when read from the cache) and ``from_cache``.
    Failures (SCF not converged, ...) are raised and not cached.
    """
    settings = settings or EnergySettings()
    key = _cache_key(structure, settings, molecule)

    def compute() -> dict[str, np.ndarray]:
        result = total_energy(structure=structure, name=name, settings=settings, molecule=molecule, txt=txt)
        arrays = {k: np.asarray(result[k]) for k in _NUMERIC}
        arrays.update({k: np.asarray([result[k]], dtype=str) for k in _STRINGS})
        return arrays

    arrays, from_cache = _through_cache(CACHE_KIND, key=key, compute=compute, recompute=recompute)
    result: dict[str, Any] = {
        "name": name,
        "formula": str(arrays["formula"][0]),
        "n_atoms": int(arrays["n_atoms"]),
        "energy_eV": float(arrays["energy_eV"]),
        "energy_eV_per_atom": float(arrays["energy_eV_per_atom"]),
        "kpts": [int(k) for k in arrays["kpts"]],
        "scf_iterations": int(arrays["scf_iterations"]),
        "seconds": float(arrays["seconds"]),
        "cpu_seconds": float(arrays["cpu_seconds"]),
        "settings": settings.as_dict(),
        "versions": key["versions"],
        "from_cache": from_cache,
    }
    return result


def _through_cache(
    kind: str, *, key: dict, compute: Callable[[], dict[str, np.ndarray]], recompute: bool
) -> tuple[dict[str, np.ndarray], bool]:
    """The feature-cache round trip of the cached DFT functions: ``compute()``'s arrays under
    (``kind``, ``key``), recomputed when ``recompute`` (the entry is overwritten), and whether
    they came from the cache. A failure inside ``compute`` is raised and nothing is cached.
    """
    from reviewlib.features.cache import cache_path, cached

    if recompute:
        cache_path(kind, key).unlink(missing_ok=True)
    computed = []

    def tracked() -> dict[str, np.ndarray]:
        arrays = compute()
        computed.append(True)
        return arrays

    return cached(kind, key=key, compute=tracked), not computed


#: eV/Angstrom^3 in GPa
EV_PER_A3_IN_GPA = 160.21766208


def cell_check(
    *,
    structure,
    name: str,
    settings: EnergySettings | None = None,
    txt: str | None = None,
    gap_threshold_eV: float = 0.05,
    dos_width_eV: float = 0.1,
) -> dict[str, Any]:
    """A first-principles check of a cell relaxed with an ML potential: the DFT pressure and
    whether the cell is a metal.

    One spin-paired GPAW plane-wave SCF (``settings``, default :class:`EnergySettings`); the
    pressure is minus the mean of the diagonal of the stress tensor (GPa), so a cell the
    potential relaxed at pressure p should come out near p if the potential and PBE agree. The
    Kohn-Sham gap (``ase.dft.bandgap``) and the total DOS at E_F (Gaussian width
    ``dos_width_eV``, states/eV per atom, both spins) say whether it is a metal: a phonon-mediated
    superconductor must be one.

    Returns:
        ``name``, ``formula``, ``n_atoms``, ``pressure_GPa``, ``energy_eV`` (the total energy of
        the cell, as :func:`total_energy` gives it), ``gap_eV``, ``dos_ef_per_atom``,
        ``metallic`` (gap <= ``gap_threshold_eV`` and DOS(E_F) > 0), ``kpts``, ``seconds``,
        ``settings`` and ``versions``.

    Raises:
        reviewlib.dft.calc.OverlappingAtomsError, reviewlib.dft.calc.DFTError: bad cell, before
            any calculation.
        reviewlib.dft.calc.SCFNotConvergedError: SCF not converged within ``settings.maxiter``.
    """
    settings = settings or EnergySettings()
    check_structure(structure, name=name, require_hydrogen=False)
    from ase.dft.bandgap import bandgap
    from gpaw.dos import DOSCalculator
    from pymatgen.io.ase import AseAtomsAdaptor

    atoms = AseAtomsAdaptor.get_atoms(structure)
    kpts = kpts_for(structure, density=settings.kpt_density)
    start = time.perf_counter()
    calc, _ = converged_scf(atoms, name=name, settings=settings, kpts=kpts, txt=txt, spinpol=False)
    energy = float(atoms.get_potential_energy())
    stress = np.asarray(atoms.get_stress(voigt=True), float)  # eV/A^3, ASE sign convention
    pressure = float(-stress[:3].mean() * EV_PER_A3_IN_GPA)
    gap, _, _ = bandgap(calc, output=None)
    dos = DOSCalculator.from_calculator(calc)
    dos_ef = float(dos.raw_dos(np.array([0.0]), width=dos_width_eV)[0]) / len(atoms)
    return {
        "name": name,
        "formula": structure.composition.reduced_formula,
        "n_atoms": len(structure),
        "pressure_GPa": pressure,
        "energy_eV": energy,
        "gap_eV": float(gap),
        "dos_ef_per_atom": dos_ef,
        "metallic": bool(gap <= gap_threshold_eV and dos_ef > 0),
        "kpts": [int(k) for k in kpts],
        "seconds": time.perf_counter() - start,
        "settings": settings.as_dict(),
        "versions": versions(),
    }


#: Kind of the feature-cache entries of :func:`cached_cell_check`.
CELL_CHECK_KIND = "dft-cell-check"
_CHECK_NUMERIC = (
    "n_atoms",
    "pressure_GPa",
    "energy_eV",
    "gap_eV",
    "dos_ef_per_atom",
    "metallic",
    "kpts",
    "seconds",
)


def cached_cell_check(
    *,
    structure,
    name: str,
    settings: EnergySettings | None = None,
    recompute: bool = False,
) -> dict[str, Any]:
    """:func:`cell_check` through the feature cache (``kind="dft-cell-check"``).

    The key holds the structure hash, the settings and the GPAW / gpaw-data / ASE versions, so
    a re-run of a chapter reads the PBE pressure instead of repeating the SCF; ``recompute=True``
    overwrites the entry. Returns the keys of :func:`cell_check` (``pressure_GPa`` in GPa,
    ``energy_eV`` (NaN for an entry cached before energies were kept),
    ``gap_eV``, ``dos_ef_per_atom``, ``metallic``, ``kpts``, ``seconds``, ...) and
    ``from_cache``. Failures (SCF not converged, a bad cell) are raised and not cached.
    """
    settings = settings or EnergySettings()
    key = {**_cache_key(structure, settings, False), "what": "cell_check"}

    def compute() -> dict[str, np.ndarray]:
        result = cell_check(structure=structure, name=name, settings=settings)
        arrays = {k: np.asarray(result[k]) for k in _CHECK_NUMERIC}
        arrays["formula"] = np.asarray([result["formula"]], dtype=str)
        return arrays

    arrays, from_cache = _through_cache(CELL_CHECK_KIND, key=key, compute=compute, recompute=recompute)
    return {
        "name": name,
        "formula": str(arrays["formula"][0]),
        "n_atoms": int(arrays["n_atoms"]),
        "pressure_GPa": float(arrays["pressure_GPa"]),
        # entries cached before the energy was kept have none: NaN, never a made-up number
        "energy_eV": float(arrays["energy_eV"]) if "energy_eV" in arrays else float("nan"),
        "gap_eV": float(arrays["gap_eV"]),
        "dos_ef_per_atom": float(arrays["dos_ef_per_atom"]),
        "metallic": bool(arrays["metallic"]),
        "kpts": [int(k) for k in arrays["kpts"]],
        "seconds": float(arrays["seconds"]),
        "settings": settings.as_dict(),
        "versions": key["versions"],
        "from_cache": from_cache,
    }


def lattice_at_pressure(
    *,
    pressure_GPa_at: Callable[[float], float],
    target_GPa: float,
    bracket_A: tuple[float, float],
    tol_A: float = 1e-3,
    max_evaluations: int = 12,
) -> dict[str, Any]:
    """The lattice parameter of a one-parameter cell at which its pressure equals ``target_GPa``.

    For a cubic cell without free atomic positions (Im-3m H3S) the pressure depends on the
    lattice parameter alone, so the cell "at p" is one root: P(a) = p. Brent's method
    (``scipy.optimize.brentq``) on P(a) - p inside ``bracket_A`` needs a few evaluations of
    ``pressure_GPa_at`` (each a DFT stress calculation, e.g. :func:`cached_cell_check`); every
    evaluation is kept in the result.

    Args:
        pressure_GPa_at: the pressure (GPa) of the cell with lattice parameter ``a`` (Å).
        target_GPa: the pressure sought (GPa).
        bracket_A: (a_low, a_high), Å, with a_low < a_high; the pressure minus the target must
            change sign between them (a compressed and an expanded cell).
        tol_A: tolerance on the lattice parameter (Å); near 150 GPa 0.001 Å is about 0.5 GPa
            for H3S.
        max_evaluations: evaluations of ``pressure_GPa_at`` allowed, the two ends included.

    Returns:
        ``a_A`` (Å), ``pressure_GPa`` (the pressure evaluated at ``a_A``), ``evaluations``
        (list of (a_A, pressure_GPa) in the order computed) and ``n_evaluations``.

    Raises:
        ValueError: a bracket that is not two increasing positive numbers, a non-finite
            pressure, or a bracket without a sign change (the message gives both pressures).
        RuntimeError: no convergence within ``max_evaluations``.
    """
    from scipy.optimize import brentq

    lo, hi = (float(x) for x in bracket_A)
    if not (0 < lo < hi and math.isfinite(hi)):
        raise ValueError(f"bracket_A must be two increasing positive lattice parameters, got {bracket_A!r}")
    if not tol_A > 0 or max_evaluations < 3:
        raise ValueError("tol_A must be positive and max_evaluations at least 3")
    evaluations: list[tuple[float, float]] = []
    memo: dict[float, float] = {}

    def excess(a: float) -> float:
        a = float(a)
        if a not in memo:
            p = float(pressure_GPa_at(a))
            if not math.isfinite(p):
                raise ValueError(f"the pressure at a = {a:.4f} Å is not finite ({p})")
            memo[a] = p
            evaluations.append((a, p))
        return memo[a] - target_GPa

    f_lo, f_hi = excess(lo), excess(hi)
    if f_lo * f_hi > 0:
        raise ValueError(
            f"no sign change of P(a) - {target_GPa:g} GPa in the bracket: P({lo:.4f} Å) = "
            f"{memo[lo]:.1f} GPa and P({hi:.4f} Å) = {memo[hi]:.1f} GPa are on the same side "
            "of the target; widen the bracket"
        )
    if f_lo == 0 or f_hi == 0:
        root = lo if f_lo == 0 else hi
    else:
        try:
            root = brentq(excess, lo, hi, xtol=tol_A, maxiter=max_evaluations - 2)
        except RuntimeError as exc:
            raise RuntimeError(
                f"P(a) = {target_GPa:g} GPa not located to {tol_A} Å within {max_evaluations} "
                f"evaluations ({evaluations})"
            ) from exc
    excess(root)  # usually already evaluated (Brent's last point); else one more evaluation
    return {
        "a_A": float(root),
        "pressure_GPa": memo[float(root)],
        "evaluations": evaluations,
        "n_evaluations": len(evaluations),
    }
