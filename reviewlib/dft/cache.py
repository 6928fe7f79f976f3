"""Disk cache of :class:`~reviewlib.dft.calc.DFTResult`, keyed by structure, settings and code versions.

A result lives in ``<data_cache_dir>/dft/<formula>-<sha256>.npz`` (no pickle): the arrays (ELF
grid, cell, coordinates, projected DOS) and one JSON string with the scalars, the settings and the
canonical key, which is checked on every read. The sha256 is taken over the structure hash
(lattice, fractional coordinates, species), the settings and the GPAW / gpaw-data versions, so any
change gives a new entry; ``recompute=True`` ignores and overwrites an existing one. A deterministic
failure (SCF not converged, insulator) is remembered next to it (``.failed.json``) and raised
again without a new calculation.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from reviewlib._io import atomic_write
from reviewlib.dft.calc import DFTResult, DFTSettings, run_gpaw, versions

#: Bump when the meaning of a stored result changes.
CACHE_FORMAT = 1


def dft_cache_dir() -> Path:
    """Folder of the DFT cache (``<settings.data_cache_dir()>/dft``)."""
    from reviewlib import settings

    return settings.data_cache_dir() / "dft"


def cache_key(structure, *, settings: DFTSettings) -> str:
    """Canonical JSON naming a calculation (structure hash, settings, versions, cache format)."""
    from reviewlib.features.cache import hash_structures

    payload = {
        "structure": hash_structures([structure]),
        "settings": settings.as_dict(),
        "versions": versions(),
        "format": CACHE_FORMAT,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


def cache_file(structure, *, settings: DFTSettings, folder: Path | None = None) -> Path:
    """Path of the cached result for ``structure`` and ``settings``."""
    key = cache_key(structure, settings=settings)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    formula = structure.composition.reduced_formula.replace("(", "").replace(")", "")
    return Path(folder or dft_cache_dir()) / f"{formula}-{digest}.npz"


def save_result(path: Path, result: DFTResult, *, key: str) -> None:
    """Write ``result`` atomically to ``path`` (npz, no pickle)."""
    meta = {
        "key": key,
        "name": result.name,
        "formula": result.formula,
        "species": result.species,
        "fermi_level_eV": result.fermi_level_eV,
        "dos_total": result.dos_total,
        "kpts": result.kpts,
        "scf_iterations": result.scf_iterations,
        "seconds": result.seconds,
        "cpu_seconds": result.cpu_seconds,
        "settings": result.settings,
        "versions": result.versions,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {
        "meta": np.asarray([json.dumps(meta)]),
        "elf": result.elf,
        "cell": result.cell,
        "frac_coords": result.frac_coords,
        "pdos_atoms": result.pdos_atoms,
    }
    atomic_write(path, lambda fh: np.savez_compressed(fh, **arrays), mode=0o644)


def load_result(path: Path, *, key: str | None = None) -> DFTResult:
    """Read a cached result; ``ValueError`` naming the file when its key differs from ``key``."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"][0]))
        if key is not None and meta["key"] != key:
            raise ValueError(f"{path}: cache entry is for another calculation; delete the file")
        return DFTResult(
            name=meta["name"],
            formula=meta["formula"],
            species=list(meta["species"]),
            cell=data["cell"],
            frac_coords=data["frac_coords"],
            elf=data["elf"].astype(float),
            fermi_level_eV=float(meta["fermi_level_eV"]),
            dos_total=float(meta["dos_total"]),
            pdos_atoms=data["pdos_atoms"],
            kpts=list(meta["kpts"]),
            scf_iterations=int(meta["scf_iterations"]),
            seconds=float(meta["seconds"]),
            settings=dict(meta["settings"]),
            versions=dict(meta["versions"]),
            cpu_seconds=float(meta.get("cpu_seconds", 0.0)),
        )


def cached_gpaw(
    structure,
    *,
    name: str,
    settings: DFTSettings | None = None,
    recompute: bool = False,
    folder: Path | None = None,
) -> tuple[DFTResult, bool]:
    """:func:`~reviewlib.dft.calc.run_gpaw` through the disk cache.

    Returns:
        (result, from_cache). The result's ``name`` is ``name`` even when read from the cache.
    """
    from reviewlib.dft import calc

    settings = settings or DFTSettings()
    key = cache_key(structure, settings=settings)
    path = cache_file(structure, settings=settings, folder=folder)
    failed = path.with_suffix(".failed.json")
    if not recompute:
        if path.exists():
            result = load_result(path, key=key)
            result.name = name
            return result, True
        if failed.exists():
            info = json.loads(failed.read_text(encoding="utf-8"))
            if info.get("key") == key and hasattr(calc, info.get("error", "")):
                error = getattr(calc, info["error"])
                raise error(
                    f"{name}: {info['message']} (cached result of an earlier run; recompute=True retries)"
                )
    try:
        result = run_gpaw(structure, name=name, settings=settings)
    except (calc.SCFNotConvergedError, calc.InsulatorError) as exc:
        # deterministic for these settings: remember it so that a rerun does not repeat the SCF
        message = str(exc).split(": ", 1)[-1]
        failed.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(failed, json.dumps({"key": key, "error": type(exc).__name__, "message": message}))
        raise
    save_result(path, result, key=key)
    failed.unlink(missing_ok=True)
    return result, False
