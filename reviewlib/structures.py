"""Reading crystal structures (CIF) with errors that name the file.

pymatgen's CIF parser emits many warnings (rounded occupancies, missing symmetry tags); they are
collected per file instead of leaking into notebooks, and anything that does not yield a structure
raises :class:`StructureReadError` naming the file and pymatgen's own reason (an occupancy above 1,
an atom listed twice on one site, ...), which its parser keeps in its warnings.
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
    from monty.io import zopen

    try:
        with zopen(path, mode="rt", errors="replace", encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise StructureReadError(f"{path}: cannot read the file ({type(exc).__name__}: {exc})") from exc
    return _checked(_parse_cif(text, path), path)


def read_cif_text(text: str, *, label: str) -> Structure:
    """:func:`read_cif` for CIF text held in memory; ``label`` names it in errors."""
    structure = _parse_cif(text, label)
    return _checked(Structure.from_sites(structure, properties=structure.properties), label)


def _parse_cif(text: str, label) -> Structure:
    """First structure of a CIF text (pymatgen's CIF reader, ``primitive=False``), reasons kept.

    pymatgen's ``CifParser`` turns the reason a block gives no structure (an occupancy above 1, an
    atom listed twice on one site, ...) into warnings and then raises only "Invalid CIF file with
    no structures!"; its ``warnings`` are put into the error here.
    """
    from pymatgen.io.cif import CifParser

    parser = None
    try:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            parser = CifParser.from_str(text)
            structure = parser.parse_structures(primitive=False)[0]
    except Exception as exc:  # pymatgen raises many kinds for malformed input
        reasons = _parser_reasons(parser)
        what = f"{type(exc).__name__}: {exc}"
        if reasons:
            raise StructureReadError(f"{label}: not a readable CIF: {reasons} (pymatgen: {what})") from exc
        raise StructureReadError(f"{label}: not a readable CIF ({what})") from exc
    return structure


def _parser_reasons(parser) -> str:
    """Pymatgen's own reasons (``CifParser.warnings``), one line each, with a hint for occupancies."""
    texts = []
    for message in getattr(parser, "warnings", None) or []:
        text = " ".join(str(message).split())
        if text and text not in texts and not text.startswith("No _symmetry_equiv_pos_as_xyz"):
            texts.append(text)
    out = "; ".join(texts)
    if "sum to > 1" in out or "exceeded tolerance" in out:
        out += " (an occupancy above 1, or the same atom listed twice on one site)"
    return out


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


# ---------------------------------------------------------------- structures as plain arrays


def structures_to_arrays(structures: Sequence[Structure]) -> dict:
    """Pack structures into plain numpy arrays (no pickle) that :func:`structures_from_arrays` unpacks.

    Keeps exactly what a CIF gives: lattice (Angstrom) and periodicity, fractional coordinates,
    site labels, species with occupancies (oxidation states kept in the symbol) and the charge.
    Raises ``ValueError`` for what the arrays cannot hold (site or structure properties, species
    with a spin), so a round trip is lossless or refused.
    """
    import numpy as np

    n_sites, lattices, pbc, charge = [], [], [], []
    frac, labels, n_species, species, occu = [], [], [], [], []
    for i, s in enumerate(structures):
        if s.properties or any(site.properties for site in s):
            raise ValueError(f"structure {i} ({s.formula}) carries properties; arrays cannot hold them")
        n_sites.append(len(s))
        lattices.append(s.lattice.matrix)
        pbc.append(s.lattice.pbc)
        charge.append(float(s.charge))
        frac.append(s.frac_coords)
        for site in s:
            labels.append(site.label)
            items = list(site.species.items())
            n_species.append(len(items))
            for sp, x in items:
                if getattr(sp, "spin", None) is not None:
                    raise ValueError(f"structure {i} ({s.formula}): species {sp} has a spin")
                species.append(str(sp))
                occu.append(float(x))
    return {
        "n_sites": np.asarray(n_sites, dtype=np.int64),
        "lattice": np.asarray(lattices, dtype=np.float64).reshape(-1, 3, 3),
        "pbc": np.asarray(pbc, dtype=bool).reshape(-1, 3),
        "charge": np.asarray(charge, dtype=np.float64),
        "frac": np.concatenate(frac).astype(np.float64) if frac else np.zeros((0, 3)),
        "label": np.asarray(labels, dtype=str),
        "n_species": np.asarray(n_species, dtype=np.int64),
        "species": np.asarray(species, dtype=str),
        "occu": np.asarray(occu, dtype=np.float64),
    }


def structures_from_arrays(arrays) -> list[Structure]:
    """The structures packed by :func:`structures_to_arrays`, in order."""
    import numpy as np
    from pymatgen.core import Composition, Lattice
    from pymatgen.core.periodic_table import get_el_sp

    symbols = {text: get_el_sp(text) for text in set(arrays["species"].tolist())}
    species = arrays["species"].tolist()
    occu = arrays["occu"].tolist()
    starts = np.concatenate([[0], np.cumsum(arrays["n_species"])]).tolist()
    # one (immutable) Composition per distinct site occupation, shared by its sites: building a
    # Composition per site was most of the time
    shared: dict[tuple, Composition] = {}
    site_species = []
    for a, b in zip(starts[:-1], starts[1:], strict=True):
        items = tuple(zip(species[a:b], occu[a:b], strict=True))
        comp = shared.get(items)
        if comp is None:
            comp = shared[items] = Composition({symbols[sp]: x for sp, x in items})
        site_species.append(comp)
    labels = arrays["label"].tolist()
    frac = arrays["frac"]
    out, pos = [], 0
    for k, n in enumerate(arrays["n_sites"].tolist()):
        lattice = Lattice(arrays["lattice"][k], pbc=tuple(bool(x) for x in arrays["pbc"][k]))
        out.append(
            Structure(
                lattice,
                site_species[pos : pos + n],
                frac[pos : pos + n],
                charge=float(arrays["charge"][k]),
                labels=labels[pos : pos + n],
            )
        )
        pos += n
    return out
