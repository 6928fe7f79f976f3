"""Belli et al.'s descriptors from a GPAW result, and the joblib batch over many structures.

The batch goes through :mod:`joblib`, so the same call runs on a cluster when wrapped in
``joblib.parallel_config(backend="dask")`` with a ``dask.distributed.Client`` (see the README).
A structure that fails (no H, overlapping atoms, SCF not converged, insulator, any GPAW error) is
skipped and listed with its reason; the batch goes on with the others.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from reviewlib import networking
from reviewlib.dft.calc import DFTError, DFTResult, DFTSettings
from reviewlib.tc.formulas import networking_phi_dos

#: Columns of the descriptor table (units in the names).
COLUMNS = [
    "name",
    "formula",
    "n_atoms",
    "phi",
    "h_fraction",
    "h_dos",
    "h_dos_of_total",
    "phi_dos",
    "phi_any",
    "phi_dos_any",
    "h_network",
    "phi_basin",
    "n_basins",
    "n_h_without_attractor",
    "dos_total_per_eV",
    "n_h2_units",
    "grid",
    "kpts",
    "scf_iterations",
    "dft_seconds",
    "dft_cpu_seconds",
    "from_cache",
]


def primitive_cell(structure):
    """Primitive standard cell of ``structure`` (fewer atoms: DFT cost grows ~ cubically with size)."""
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    try:
        prim = SpacegroupAnalyzer(structure, symprec=1e-3).get_primitive_standard_structure()
    except Exception:  # noqa: BLE001 - symmetry search can fail on odd cells: keep the cell as given
        return structure.get_primitive_structure()
    return prim if len(prim) <= len(structure) else structure


def belli_descriptors(result: DFTResult, *, fill_radius_A: float = 0.0, h2_cutoff_A: float = 1.0) -> dict:
    """phi, H_f, H_DOS and Phi_DOS (review eq. 6) of one calculation.

    Args:
        result: GPAW result (ELF grid and projected DOS).
        fill_radius_A: spheres of this radius (Angstrom) around non-H atoms are set to ELF = 1
            before the percolation search (0: ELF used as computed).
        h2_cutoff_A: H-H distance below which a pair counts as a molecular H2 unit (Angstrom).

    Returns:
        Dictionary with the :data:`COLUMNS` that do not depend on the batch. ``phi`` is the
        networking value *through hydrogen* (:func:`reviewlib.networking.basin_owners`: a link
        between two non-hydrogen owners does not count; 0 with ``h_network`` False when no
        isovalue joins a 3D network through hydrogen); ``phi_any`` counts any face-connected
        path that holds an H nucleus (the criterion of TcESTIME's public code, where the
        hydrogen test is commented out).
    """
    from pymatgen.core import Lattice, Structure

    species = np.array(result.species)
    elf = result.elf
    heavy = species != "H"
    if fill_radius_A > 0 and heavy.any():
        elf = networking.fill_spheres(
            elf, cell=result.cell, frac_coords=result.frac_coords[heavy], radius=fill_radius_A
        )
    h_points = networking.nearest_grid_points(result.frac_coords[~heavy], elf.shape)
    phi_any = networking.networking_value(elf, required_points=h_points)
    basins, attractors = networking.elf_basins(elf)
    attractor_frac = attractors / np.array(elf.shape)
    is_h = species == "H"
    owners, bridges = networking.basin_owners(
        basins,
        attractors,
        cell=result.cell,
        frac_coords=result.frac_coords,
        is_hydrogen=is_h,
        core_radius_A=[core_radius_A(el) for el in species],
    )
    phi, h_network = _phi_through(elf, h_points, owners, bridges)
    # the alternative: each basin its own owner, hydrogen when its attractor's nearest nucleus is H
    # (basin_owners' bridges past the atoms say exactly that, attractor by attractor)
    phi_basin, _ = _phi_through(elf, h_points, basins, bridges[len(species) :])
    # H nuclei without an ELF attractor of their own within 0.5 Angstrom (swallowed by another basin)
    if len(attractors):
        h_to_attractor = networking.nearest_sites(
            result.frac_coords[is_h], cell=result.cell, frac_coords=attractor_frac
        )[2]
        n_h_orphan = int((h_to_attractor > 0.5).sum())
    else:
        n_h_orphan = int(is_h.sum())
    structure = Structure(Lattice(result.cell), list(species), result.frac_coords)
    h_f, h_dos = result.h_fraction, result.h_dos
    return {
        "name": result.name,
        "formula": result.formula,
        "n_atoms": len(species),
        "phi": phi,
        "h_fraction": h_f,
        "h_dos": h_dos,
        "h_dos_of_total": result.h_dos_of_total,
        "phi_dos": networking_phi_dos(phi=phi, h_fraction=h_f, h_dos_fraction=h_dos),
        "phi_any": phi_any,
        "phi_dos_any": networking_phi_dos(phi=phi_any, h_fraction=h_f, h_dos_fraction=h_dos),
        "h_network": h_network,
        "phi_basin": phi_basin,
        "n_basins": len(attractors),
        "n_h_without_attractor": n_h_orphan,
        "dos_total_per_eV": result.dos_total,
        "n_h2_units": len(networking.h2_units(structure, max_distance=h2_cutoff_A)),
        "grid": "x".join(str(n) for n in elf.shape),
        "kpts": "x".join(str(k) for k in result.kpts),
        "scf_iterations": result.scf_iterations,
        "dft_seconds": result.seconds,
        "dft_cpu_seconds": result.cpu_seconds,
    }


def core_radius_A(element: str) -> float:
    """Radius (Å) within which an ELF attractor belongs to the atom: pymatgen's empirical atomic
    radius (Slater), 0.5 Å for H (its attractor sits on the proton).
    """
    from pymatgen.core import Element

    if element == "H":
        return 0.5
    radius = Element(element).atomic_radius
    if radius is None:
        raise ValueError(f"no atomic radius for {element} in pymatgen: give its core radius")
    return float(radius)


def _phi_through(elf, h_points, basins, bridges) -> tuple[float, bool]:
    """The networking value through the ``bridges`` owners, and whether any level percolates that
    way (else 0 and False).
    """
    try:
        phi = networking.networking_value(elf, required_points=h_points, owners=basins, bridges=bridges)
        return phi, True
    except ValueError:  # no isovalue joins a 3D network through hydrogen basins
        return 0.0, False


def _one(name: str, structure, settings: DFTSettings, recompute: bool, descriptor_kw: Mapping) -> dict:
    from reviewlib.dft.cache import cached_gpaw

    start = time.perf_counter()
    try:
        result, from_cache = cached_gpaw(structure, name=name, settings=settings, recompute=recompute)
        row = belli_descriptors(result, **descriptor_kw)
    except DFTError as exc:
        return {"name": name, "skipped": str(exc), "error": type(exc).__name__}
    except FileNotFoundError as exc:  # GPAW has no PAW setup for an element (e.g. Po, Tc)
        missing = (
            sorted({el.symbol for el in structure.composition.elements if f"{el.symbol}." in str(exc)})
            or "an element"
        )
        reason = f"{name}: no GPAW PAW setup for {missing} in gpaw-data (not an SCF failure)"
        return {"name": name, "skipped": reason, "error": "NoSetupError"}
    except Exception as exc:  # noqa: BLE001 - a batch lists any failure and goes on
        return {"name": name, "skipped": f"{name}: {type(exc).__name__}: {exc}", "error": type(exc).__name__}
    row["from_cache"] = from_cache
    row["wall_seconds"] = time.perf_counter() - start
    return row


def networking_table(
    items: Iterable[tuple[str, Any]],
    *,
    settings: DFTSettings | None = None,
    n_jobs: int = 1,
    recompute: bool = False,
    progress: bool = True,
    fill_radius_A: float = 0.0,
    h2_cutoff_A: float = 1.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Belli descriptors for many structures (GPAW through the cache, in parallel with joblib).

    Args:
        items: (name, pymatgen Structure) pairs; pass primitive cells (:func:`primitive_cell`).
        settings: DFT settings shared by all structures.
        n_jobs: joblib workers (each runs one serial GPAW calculation).
        recompute: ignore cached results and recompute.
        progress: tqdm progress bar.
        fill_radius_A: see :func:`belli_descriptors`.
        h2_cutoff_A: see :func:`belli_descriptors`.

    Returns:
        (table, skipped): one row per computed structure (:data:`COLUMNS` plus ``wall_seconds``),
        and the skipped ones with ``name``, ``error`` (exception class) and ``reason``.
    """
    from joblib import Parallel, delayed
    from tqdm import tqdm

    settings = settings or DFTSettings()
    items = list(items)
    names = [n for n, _ in items]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"networking_table: duplicated names {dup}")
    kw = {"fill_radius_A": fill_radius_A, "h2_cutoff_A": h2_cutoff_A}
    jobs = (delayed(_one)(n, s, settings, recompute, kw) for n, s in items)
    rows = []
    bar = tqdm(total=len(items), disable=not progress, desc="GPAW + networking value", unit="structure")
    for row in Parallel(n_jobs=n_jobs, return_as="generator")(jobs):
        rows.append(row)
        bar.update(1)
    bar.close()
    done = [r for r in rows if "skipped" not in r]
    skipped = pd.DataFrame(
        [{"name": r["name"], "error": r["error"], "reason": r["skipped"]} for r in rows if "skipped" in r],
        columns=["name", "error", "reason"],
    )
    table = pd.DataFrame(done, columns=[*COLUMNS, "wall_seconds"])
    return table, skipped


#: 4f and 5f elements: their PAW setups put f electrons at E_F in plain PBE (no +U, no spin), so
#: the cells are left out rather than given a doubtful DOS.
F_ELEMENTS = frozenset(
    "Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr".split()
)
#: 3d elements that carry a moment in many compounds: our GPAW runs are spin-unpolarised, so a
#: magnetic ground state would be replaced by a non-magnetic one with a different DOS at E_F.
MAGNETIC_3D = frozenset("Cr Mn Fe Co Ni".split())


def left_out_reason(structure) -> str | None:
    """Why a cell is not given to the spin-unpolarised PBE of this package, or None.

    4f/5f elements (:data:`F_ELEMENTS`) and magnetic 3d elements (:data:`MAGNETIC_3D`): no spin
    polarisation and no +U, so their DOS at E_F (H_DOS) would be doubtful.
    """
    symbols = {el.symbol for el in structure.composition.elements}
    f_el = sorted(symbols & F_ELEMENTS)
    if f_el:
        return f"f-electron element(s) {f_el}"
    mag = sorted(symbols & MAGNETIC_3D)
    if mag:
        return f"magnetic 3d element(s) {mag}: needs a spin-polarised calculation, not run here"
    return None


def hydride_candidates(
    *, max_atoms_sodnet: int = 8, max_atoms_htsc: int = 5, sources: Iterable[str] = ("sodnet", "htsc2025")
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Registry hydrides with a structure and a reference Tc, as primitive cells, small ones first.

    Args:
        max_atoms_sodnet: largest primitive cell kept from the SODNet literature hydrides (atoms).
        max_atoms_htsc: largest primitive cell kept from HTSC-2025 (atoms).
        sources: any of ``"sodnet"`` (SuperCon3D/SODNet literature hydride CIFs, mostly high
            pressure) and ``"htsc2025"`` (HTSC-2025 ambient-pressure predictions with H).

    Returns:
        (candidates, left_out): candidates with ``name``, ``source``, ``formula``, ``tc_K`` (K),
        ``n_atoms``, ``structure`` (primitive cell); left_out with ``name``, ``source`` and ``reason``.
    """
    from reviewlib.data.hydrides import load_htsc2025, load_sodnet_hydrides

    rows, out = [], []
    sources = set(sources)
    unknown = sources - {"sodnet", "htsc2025"}
    if unknown:
        raise ValueError(f"hydride_candidates: unknown sources {sorted(unknown)}; use 'sodnet' or 'htsc2025'")
    frames = []
    if "sodnet" in sources:
        s = load_sodnet_hydrides()
        for r in s.itertuples():
            name = f"sodnet:{r.cif.removesuffix('.cif')}"
            if not r.has_cif:
                out.append({"name": name, "source": "sodnet", "reason": "no redistributable CIF (ICSD)"})
            elif not r.cif_matches_formula:
                out.append(
                    {"name": name, "source": "sodnet", "reason": "CIF composition differs from the table"}
                )
            else:
                frames.append((name, "sodnet", r.structure, float(r.tc_K), max_atoms_sodnet))
    if "htsc2025" in sources:
        h = load_htsc2025()
        for r in h.itertuples():
            name = f"htsc2025:{r.name}"
            if not r.has_H:
                continue
            frames.append((name, "htsc2025", r.structure, float(r.tc_K), max_atoms_htsc))
    for name, source, structure, tc, limit in frames:
        reason = left_out_reason(structure)
        if reason:
            out.append({"name": name, "source": source, "reason": reason})
            continue
        prim = primitive_cell(structure)
        if len(prim) > limit:
            out.append({"name": name, "source": source, "reason": f"{len(prim)} atoms > {limit} (cost)"})
            continue
        rows.append(
            {
                "name": name,
                "source": source,
                "formula": prim.composition.reduced_formula,
                "tc_K": tc,
                "n_atoms": len(prim),
                "structure": prim,
            }
        )
    cand = pd.DataFrame(rows, columns=["name", "source", "formula", "tc_K", "n_atoms", "structure"])
    cand = cand.sort_values(["n_atoms", "name"], kind="stable").reset_index(drop=True)
    return cand, pd.DataFrame(out, columns=["name", "source", "reason"])


def convergence_table(
    structure,
    *,
    name: str,
    base: DFTSettings | None = None,
    ecuts_eV: Iterable[float] = (250.0, 350.0, 450.0, 600.0),
    kpt_densities: Iterable[float] = (2.0, 3.0, 4.5),
    n_jobs: int = 1,
    recompute: bool = False,
) -> pd.DataFrame:
    """phi, H_DOS and Phi_DOS of one structure against the cutoff (at the base k-points) and k-points.

    Args:
        structure: primitive cell.
        name: label.
        base: settings the scans start from (default :class:`DFTSettings`).
        ecuts_eV: plane-wave cutoffs scanned at the base k-point density (eV).
        kpt_densities: k-point densities scanned at the base cutoff (per reciprocal Angstrom).
        n_jobs: joblib workers.
        recompute: ignore cached results.

    Returns:
        One row per calculation: ``scan`` (``ecut`` or ``kpts``), ``ecut_eV``, ``kpt_density``,
        ``kpts``, ``grid``, ``phi``, ``h_dos``, ``phi_dos``, ``dos_total_per_eV``, ``dft_seconds``.
    """
    from joblib import Parallel, delayed

    base = base or DFTSettings()
    runs = [("ecut", DFTSettings(**{**base.as_dict(), "ecut_eV": float(e)})) for e in ecuts_eV]
    runs += [("kpts", DFTSettings(**{**base.as_dict(), "kpt_density": float(k)})) for k in kpt_densities]
    kw = {"fill_radius_A": 0.0, "h2_cutoff_A": 1.0}
    rows = Parallel(n_jobs=n_jobs)(delayed(_one)(name, structure, s, recompute, kw) for _, s in runs)
    out = []
    for (scan, s), row in zip(runs, rows, strict=True):
        if "skipped" in row:
            raise DFTError(row["skipped"])
        out.append(
            {
                "scan": scan,
                "ecut_eV": s.ecut_eV,
                "kpt_density": s.kpt_density,
                **{k: row[k] for k in ("kpts", "grid", "phi", "h_dos", "phi_dos", "dos_total_per_eV")},
                "dft_seconds": row["dft_seconds"],
                "dft_cpu_seconds": row["dft_cpu_seconds"],
            }
        )
    return pd.DataFrame(out)
