"""Reading crystal structures (CIF) with errors that name the file.

pymatgen's CIF parser emits many warnings (rounded occupancies, missing symmetry tags); they are
collected per file instead of leaking into notebooks, and anything that does not yield a structure
raises :class:`StructureReadError` naming the file.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

from pymatgen.core import Structure


class StructureReadError(ValueError):
    """A structure file could not be read; the message names the file and the reason."""


def read_cif(path: str | Path) -> Structure:
    """Read one CIF into a pymatgen ``Structure`` (first block; occupancies kept)."""
    path = Path(path)
    if not path.is_file():
        raise StructureReadError(f"{path}: no such file")
    try:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            structure = Structure.from_file(str(path), primitive=False)
    except Exception as exc:  # pymatgen raises many kinds for malformed input
        raise StructureReadError(f"{path}: not a readable CIF ({type(exc).__name__}: {exc})") from exc
    return _checked(structure, path)


def read_cif_text(text: str, *, label: str) -> Structure:
    """:func:`read_cif` for CIF text held in memory; ``label`` names it in errors."""
    try:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            structure = Structure.from_str(text, fmt="cif")
    except Exception as exc:  # pymatgen raises many kinds for malformed input
        raise StructureReadError(f"{label}: not a readable CIF ({type(exc).__name__}: {exc})") from exc
    return _checked(structure, label)


def _checked(structure: Structure, label) -> Structure:
    """Refuse a CIF with no atoms or with an element pymatgen does not know."""
    from reviewlib.chem import check_elements

    if len(structure) == 0:
        raise StructureReadError(f"{label}: CIF has no atoms")
    try:
        check_elements(structure.composition, where=str(label))
    except ValueError as exc:
        raise StructureReadError(str(exc)) from None
    return structure


def _read_chunk(paths: Sequence[Path]) -> list[Structure]:
    return [read_cif(p) for p in paths]


def read_cifs(paths: Sequence[str | Path], *, n_jobs: int = 1, progress: bool = True) -> list[Structure]:
    """Read many CIFs in order (``n_jobs`` processes); the first failure raises."""
    from tqdm.auto import tqdm

    paths = [Path(p) for p in paths]
    if n_jobs == 1 or len(paths) < 200:
        it = tqdm(paths, desc="read CIFs", unit="cif", disable=not progress or len(paths) < 200)
        return [read_cif(p) for p in it]
    from joblib import Parallel, delayed

    size = max(1, len(paths) // (8 * n_jobs))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    parts = Parallel(n_jobs=n_jobs)(
        delayed(_read_chunk)(c) for c in tqdm(chunks, desc="read CIFs", unit="chunk", disable=not progress)
    )
    return [s for part in parts for s in part]
