"""JARVIS-Leaderboard superconductor benchmarks (Tc from DFPT electron-phonon calculations).

- :func:`load_jarvis_hydride`: Wines & Choudhary (2024) hydride set, 953 entries, with the
  calculation pressure and the parent structure parsed from the id;
- :func:`load_jarvis_hydride_plus_bulk`: the same plus ambient-pressure JARVIS bulk entries
  (1,993);
- :func:`load_jarvis_dft3d_tc`: Choudhary & Garrity (2022) ambient-pressure set (616 JARVIS ids);
- :func:`load_jarvis_atomgen`: the 1,056 structures of the AtomGen benchmark of that set;
- :func:`load_alignn_predictions`: the published ALIGNN test-set predictions (a GNN baseline).

Each benchmark file is ``{"train": {id: value}, "val": {...}, "test": {...}}`` inside a zip; the
``split`` column keeps the published split. No hydride structures are published with the
leaderboard (they are in JARVIS figshare datasets, not in the registry).
"""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib.data._util import add_structure_columns, require_columns
from reviewlib.data.registry import fetch, get_record

SPLITS = ("train", "val", "test")


def _read_member(name: str, path: str | Path | None) -> tuple[bytes, str]:
    """Bytes of the registry zip member (or of a user's file: a zip with one member, or plain)."""
    if path is None:
        rec = get_record(name)
        src = fetch(name, progress=False)
        with zipfile.ZipFile(src) as zf:
            if rec.member not in zf.namelist():
                raise ValueError(f"{src}: member {rec.member!r} not found; has {zf.namelist()}")
            return zf.read(rec.member), f"{src}::{rec.member}"
    src = Path(path)
    if zipfile.is_zipfile(src):
        with zipfile.ZipFile(src) as zf:
            members = zf.namelist()
            if len(members) != 1:
                raise ValueError(f"{src}: expected a zip with one member, found {members}")
            return zf.read(members[0]), f"{src}::{members[0]}"
    return src.read_bytes(), str(src)


def _split_table(data: object, *, source: str, value: str) -> pd.DataFrame:
    """``{"train": {id: v}, ...}`` -> DataFrame ``id``, ``value``, ``split`` (train, val, test order)."""
    if not isinstance(data, dict) or set(data) != set(SPLITS):
        keys = list(data) if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"{source}: expected keys {list(SPLITS)}, found {keys}")
    rows = [(key, val, split) for split in SPLITS for key, val in data[split].items()]
    frame = pd.DataFrame(rows, columns=["id", value, "split"])
    if frame["id"].duplicated().any():
        raise ValueError(
            f"{source}: ids in more than one split: {frame.loc[frame['id'].duplicated(), 'id'].tolist()[:5]}"
        )
    frame["split"] = pd.Categorical(frame["split"], categories=list(SPLITS))
    return frame


def _tc_table(name: str, path: str | Path | None) -> tuple[pd.DataFrame, str]:
    raw, source = _read_member(name, path)
    frame = _split_table(json.loads(raw), source=source, value="tc_K")
    tc = pd.to_numeric(frame["tc_K"], errors="coerce")
    if tc.isna().any() or (tc < 0).any():
        bad = frame.loc[tc.isna() | (tc < 0), "id"].tolist()[:5]
        raise ValueError(f"{source}: Tc must be a non-negative number (ids {bad})")
    frame["tc_K"] = tc.astype(float)
    return frame, source


# POSCAR-<P>Gpa-<parent>_SUPER.vasp  and  POSCAR-JVASP-<n>.vasp
_HYDRIDE_ID = re.compile(r"^POSCAR-(?P<p>\d+(?:\.\d+)?)Gpa-(?P<parent>.+)_SUPER\.vasp$")
_BULK_ID = re.compile(r"^POSCAR-(?P<jid>JVASP-\d+)\.vasp$")
_LIT_PARENT = re.compile(r"^POSCAR-(?P<formula>[A-Za-z0-9.]+?)-(?P<rest>.+)\.vasp$")
_PARENT_P = re.compile(r"(?P<p>\d+(?:\.\d+)?)GPa", re.IGNORECASE)


def parse_hydride_id(entry_id: str) -> dict:
    """Parse a JARVIS hydride benchmark id.

    Returns ``pressure_GPa`` (the calculation pressure from the ``<P>Gpa`` tag; 0.0 for an
    untagged ``POSCAR-JVASP-<n>.vasp`` id, an ambient-pressure JARVIS-DFT structure),
    ``pressure_tagged`` (bool), ``parent`` (``JVASP-<n>`` or the literature/MP POSCAR file name),
    ``parent_kind`` (``jarvis`` or ``literature``), ``jid`` (the JARVIS id or None),
    ``parent_formula`` (the formula in a literature parent name, or None) and
    ``parent_pressure_GPa`` (the pressure in a literature parent name, else NaN).
    ``ValueError`` for an id of neither form.
    """
    m = _HYDRIDE_ID.match(entry_id)
    if m:
        pressure, parent, tagged = float(m["p"]), m["parent"], True
    elif (b := _BULK_ID.match(entry_id)) is not None:
        pressure, parent, tagged = 0.0, b["jid"], False
    else:
        raise ValueError(f"not a JARVIS hydride benchmark id: {entry_id!r}")
    out = {
        "pressure_GPa": pressure,
        "pressure_tagged": tagged,
        "parent": parent,
        "parent_kind": "jarvis" if re.fullmatch(r"JVASP-\d+", parent) else "literature",
        "jid": parent if re.fullmatch(r"JVASP-\d+", parent) else None,
        "parent_formula": None,
        "parent_pressure_GPa": np.nan,
    }
    if out["parent_kind"] == "literature":
        lit = _LIT_PARENT.match(parent)
        if lit is None:
            raise ValueError(f"cannot read the parent structure name {parent!r} of {entry_id!r}")
        out["parent_formula"] = lit["formula"]
        if (pp := _PARENT_P.search(lit["rest"])) is not None:
            out["parent_pressure_GPa"] = float(pp["p"])
    return out


def _hydride_frame(name: str, path: str | Path | None, *, what: str) -> pd.DataFrame:
    from reviewlib.chem import try_parse_formulas

    frame, source = _tc_table(name, path)
    parsed = pd.DataFrame([parse_hydride_id(i) for i in frame["id"]])
    frame = pd.concat([frame, parsed], axis=1)
    lit = frame["parent_formula"].notna()
    comps, errors = try_parse_formulas(frame.loc[lit, "parent_formula"])
    # a literature parent whose formula has no H (e.g. upstream's "POSCAR-Sc14-300GPa.vasp") is
    # suspect: keep the row, but do not invent a composition for it
    for k, comp in enumerate(comps):
        if comp is not None and "H" not in {el.symbol for el in comp.elements}:
            comps[k], errors[k] = None, "formula in the parent name has no H"
    frame["parent_composition"] = None
    frame.loc[lit, "parent_composition"] = pd.Series(comps, index=frame.index[lit], dtype=object)
    frame["parent_parse_error"] = ""
    frame.loc[lit, "parent_parse_error"] = errors
    bad = frame.loc[frame["parent_parse_error"] != "", ["parent", "parent_parse_error"]].drop_duplicates()
    frame.attrs.update(source=source, unparsed=list(bad.itertuples(index=False, name=None)))
    if len(bad):
        warnings.warn(
            f"{what}: {len(bad)} literature parent name(s) give no hydride formula "
            f"({', '.join(bad['parent'])}); parent_composition is None for them "
            "(see frame.attrs['unparsed'])",
            stacklevel=3,
        )
    return frame


def load_jarvis_hydride(path: str | Path | None = None) -> pd.DataFrame:
    """JARVIS hydride Tc benchmark (Wines & Choudhary 2024): 953 entries, split 763/95/95.

    Columns: ``id`` (upstream id), ``tc_K`` (K, DFPT + McMillan/Allen-Dynes), ``split``
    (train/val/test, categorical), ``pressure_GPa`` (calculation pressure, GPa; 0 for the 21
    untagged ``POSCAR-JVASP-<n>.vasp`` ids, see ``pressure_tagged``), ``pressure_tagged``,
    ``parent``, ``parent_kind`` (``jarvis``/``literature``), ``jid``, ``parent_formula``,
    ``parent_pressure_GPa`` (pressure of the literature structure, NaN if not in the name),
    ``parent_composition`` (pymatgen ``Composition`` of a literature parent, else None),
    ``parent_parse_error``. Compositions of the JARVIS parents are not in the registry.
    """
    return _hydride_frame("jarvis_hydride_tc", path, what="JARVIS hydride set")


def load_jarvis_hydride_plus_bulk(path: str | Path | None = None) -> pd.DataFrame:
    """JARVIS hydride plus bulk Tc benchmark: 1,993 entries, split 1595/199/199.

    Same columns as :func:`load_jarvis_hydride`. The split differs from the hydride-only
    benchmark (an entry can be ``train`` in one and ``test`` in the other); untagged
    ``POSCAR-JVASP-<n>.vasp`` ids are ambient-pressure JARVIS bulk entries (``pressure_GPa`` 0).
    """
    return _hydride_frame("jarvis_hydride_plus_bulk_tc", path, what="JARVIS hydride+bulk set")


def load_jarvis_dft3d_tc(path: str | Path | None = None) -> pd.DataFrame:
    """JARVIS-DFT ambient-pressure Tc set (Choudhary & Garrity 2022): 616 entries, 556/30/30.

    Columns: ``jid`` (JARVIS id), ``tc_K`` (K), ``split``.
    """
    frame, source = _tc_table("jarvis_dft3d_tc", path)
    frame = frame.rename(columns={"id": "jid"})
    frame.attrs["source"] = source
    return frame


# --------------------------------------------------------------------------------------------
# structures


def structure_from_jarvis_atoms(atoms: Mapping):
    """Pymatgen ``Structure`` from a JARVIS ``Atoms.to_dict()`` dictionary.

    Needs ``lattice_mat`` (3x3, rows are lattice vectors, Angstrom), ``coords`` (N x 3),
    ``elements`` (N symbols) and ``cartesian`` (True: coords in Angstrom; False: fractional).
    """
    from pymatgen.core import Lattice, Structure

    missing = [k for k in ("lattice_mat", "coords", "elements") if k not in atoms]
    if missing:
        raise ValueError(f"JARVIS atoms dict lacks {missing}; has {sorted(atoms)}")
    lattice = np.asarray(atoms["lattice_mat"], dtype=float)
    coords = np.asarray(atoms["coords"], dtype=float)
    elements = list(atoms["elements"])
    if lattice.shape != (3, 3):
        raise ValueError(f"lattice_mat must be 3x3, got shape {lattice.shape}")
    if coords.ndim != 2 or coords.shape[1] != 3 or len(coords) != len(elements) or not len(elements):
        raise ValueError(f"coords shape {coords.shape} does not match {len(elements)} elements")
    cartesian = bool(atoms.get("cartesian", False))
    return Structure(Lattice(lattice), elements, coords, coords_are_cartesian=cartesian)


def structure_from_poscar_text(text: str, *, label: str = "POSCAR"):
    """Pymatgen ``Structure`` from VASP 5 POSCAR text (as stored in the JARVIS AtomGen benchmark,
    where lines are separated by a literal backslash-n). Handles the scale factor, optional
    ``Selective dynamics`` and ``Direct``/``Cartesian`` coordinates.
    """
    lines = [ln.strip() for ln in text.replace("\\n", "\n").splitlines()]
    lines = [ln for ln in lines if ln]
    try:
        scale = float(lines[1].split()[0])
        lattice = np.array([[float(x) for x in lines[i].split()[:3]] for i in (2, 3, 4)])
        symbols = lines[5].split()
        counts = [int(x) for x in lines[6].split()]
        k = 7
        if lines[k][0] in "sS":  # Selective dynamics
            k += 1
        mode = lines[k][0].lower()
        n = sum(counts)
        coords = np.array([[float(x) for x in lines[k + 1 + i].split()[:3]] for i in range(n)])
    except (IndexError, ValueError) as exc:
        raise ValueError(f"{label}: not a VASP 5 POSCAR ({type(exc).__name__}: {exc})") from exc
    if len(symbols) != len(counts) or scale <= 0:
        raise ValueError(f"{label}: species line {symbols} does not match counts {counts}")
    elements = [s for s, c in zip(symbols, counts, strict=True) for _ in range(c)]
    lattice = lattice * scale
    cartesian = mode in "ck"
    if cartesian:
        coords = coords * scale
    try:
        return structure_from_jarvis_atoms(
            {"lattice_mat": lattice, "coords": coords, "elements": elements, "cartesian": cartesian}
        )
    except ValueError as exc:
        raise ValueError(f"{label}: {exc}") from exc


def load_jarvis_atomgen(
    path: str | Path | None = None, *, with_structures: bool = True, limit: int | None = None
) -> pd.DataFrame:
    """Structures of the JARVIS AtomGen superconductor benchmark: 1,056 JARVIS ids, 846/105/105.

    Columns: ``jid``, ``split``, ``formula`` (reduced), ``elements``, ``n_elements``, ``has_H``,
    ``n_sites``, and with ``with_structures`` the pymatgen ``structure`` (from the POSCAR text,
    lattice in Angstrom). ``limit`` keeps only the first ``limit`` entries (quick looks). Tc is
    not in this file: join on ``jid`` with :func:`load_jarvis_dft3d_tc` (covers all 616 of its ids).
    """
    raw, source = _read_member("jarvis_atomgen_structures", path)
    frame = _split_table(json.loads(raw), source=source, value="poscar")
    if limit is not None:
        frame = frame.iloc[: int(limit)].copy()
    structures = [
        structure_from_poscar_text(text, label=f"{source}[{jid}]")
        for jid, text in zip(frame["id"], frame["poscar"], strict=True)
    ]
    out = pd.DataFrame({"jid": frame["id"].to_numpy(), "split": frame["split"].to_numpy()})
    add_structure_columns(out, structures)
    if with_structures:
        out["structure"] = structures
    out.attrs["source"] = source
    return out


# --------------------------------------------------------------------------------------------
# ALIGNN baseline

_ALIGNN = {
    "hydride": "alignn_hydride_predictions",
    "hydride_plus_bulk": "alignn_hydride_plus_bulk_predictions",
}


def load_alignn_predictions(which: str = "hydride", *, path: str | Path | None = None) -> pd.DataFrame:
    """ALIGNN test-set predictions published on the JARVIS leaderboard (Wines & Choudhary 2024).

    ``which``: ``"hydride"`` (95 test entries) or ``"hydride_plus_bulk"`` (199). Columns: ``id``
    (same ids as :func:`load_jarvis_hydride` / :func:`load_jarvis_hydride_plus_bulk`, so the
    frames join on ``id``), ``tc_K`` (the target, K, rounded to 1e-6 K upstream), ``tc_pred_K``
    (ALIGNN prediction, K).
    """
    if which not in _ALIGNN:
        raise ValueError(f"which must be one of {sorted(_ALIGNN)}, not {which!r}")
    raw, source = _read_member(_ALIGNN[which], path)
    from io import BytesIO

    frame = pd.read_csv(BytesIO(raw), skipinitialspace=True)
    frame.columns = [c.strip() for c in frame.columns]
    require_columns(frame, ["id", "target", "prediction"], source=source)
    frame["id"] = frame["id"].astype(str).str.strip()
    frame = frame.rename(columns={"target": "tc_K", "prediction": "tc_pred_K"})[["id", "tc_K", "tc_pred_K"]]
    if frame[["tc_K", "tc_pred_K"]].isna().any().any():
        raise ValueError(f"{source}: missing target/prediction values")
    frame.attrs["source"] = source
    return frame


__all__: Sequence[str] = (
    "load_alignn_predictions",
    "load_jarvis_atomgen",
    "load_jarvis_dft3d_tc",
    "load_jarvis_hydride",
    "load_jarvis_hydride_plus_bulk",
    "parse_hydride_id",
    "structure_from_jarvis_atoms",
    "structure_from_poscar_text",
)
