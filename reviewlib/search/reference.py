"""The universal MLIPs of the Lu-N-H search measured against GPAW (PBE) energies on small cells.

For a handful of small Lu-N-H cells (:func:`reference_cells`) :func:`mlip_vs_dft`

1. relaxes every cell at 0 GPa with one MLIP (``geometry_model``; molecules keep their box) and
   makes its symmetry exact (:func:`symmetrized`);
2. computes at that same geometry the DFT total energy (:func:`reviewlib.dft.cached_total_energy`,
   in a joblib batch) and a single-point energy of every MLIP;
3. turns each method's energies into formation energies per atom relative to Lu (hcp), H2 and N2
   computed with the same method, so the elemental references are 0 by construction.

:func:`energy_errors` summarises the formation-energy errors of each model against DFT over the
compound cells and the errors of the polymorph energy differences (zinc blende minus rock salt).

MP2020 corrections. The MLIPs were trained on Materials Project trajectories (MPtrj). CHGNet's
training label is the MPtrj ``energy_per_atom`` (``chgnet.data.dataset.StructureJsonData``,
``energy_key="energy_per_atom"``), which in MPtrj is the MP2020-*corrected* energy; on the
cells here CHGNet's formation energies are indeed closer to raw GPAW plus the MP2020 corrections
than to raw GPAW. SevenNet-0 (11Jul2024) records in its checkpoint configuration the validation set
``chgnet_val_dataset_uncorrected.sevenn_data`` (``load_validset_path``), i.e. *raw* energies
(``uncorrected_total_energy``); on these few cells its errors against the corrected reference are
nevertheless the smaller ones, so the table keeps both. A hydride or nitride compared with the
H2 / N2 molecules differs between the two scales by the MP2020 anion corrections (per H and per N
atom, read by :func:`mp2020_anion_corrections` from the ``MP2020Compatibility.yaml`` of the
installed pymatgen): the table carries the raw DFT formation energy, the DFT formation energy plus
these corrections, and the errors of every model against both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

#: Elemental references of the formation energies (cell ids in :func:`reference_cells`).
ELEMENT_REFERENCES = {"Lu": "Lu-hcp", "H": "H2", "N": "N2"}

#: Anions of the Lu-N-H system that receive an MP2020 composition correction in a compound.
ANIONS = ("H", "N")

#: Edge of the cubic box of the isolated molecules (Å). From 8 to 10 Å (500 eV) H2 changes by 0.7 meV
#: and N2 by 13 meV per molecule at 2-3 s more per molecule, so the larger box is kept.
MOLECULE_BOX_A = 10.0


def reference_cells() -> list[dict[str, Any]]:
    """Small Lu-N-H cells for the MLIP-versus-DFT benchmark (primitive cells, 1-4 atoms).

    Each dict has ``id``, ``structure`` (pymatgen, primitive), ``molecule`` (an isolated molecule
    in a box: Gamma point only, cell not relaxed), ``role`` (``"element"``, ``"compound"`` or
    ``"polymorph"``) and ``prototype`` (the structure type; polymorph pairs share a formula).
    """
    from reviewlib.search import known

    items = [
        ("Lu-hcp", known.hcp_lu(), False, "element", "hcp"),
        ("H2", known.molecule_in_box("H", 0.74, MOLECULE_BOX_A), True, "element", "molecule"),
        ("N2", known.molecule_in_box("N", 1.10, MOLECULE_BOX_A), True, "element", "molecule"),
        ("LuH2-fluorite", known.fluorite_luh2(), False, "compound", "fluorite"),
        ("LuH3-Fm-3m", known.fcc_luh3(), False, "compound", "BiF3"),
        ("LuN-rocksalt", known.rocksalt_lun(), False, "compound", "rocksalt"),
        ("LuN-zincblende", known.zincblende_lun(), False, "polymorph", "zincblende"),
        ("LuH-rocksalt", known.rocksalt_luh(), False, "polymorph", "rocksalt"),
        ("LuH-zincblende", known.zincblende_luh(), False, "polymorph", "zincblende"),
    ]
    return [
        {
            "id": cid,
            "structure": s if molecule else s.get_primitive_structure(),
            "molecule": molecule,
            "role": role,
            "prototype": prototype,
        }
        for cid, s, molecule, role, prototype in items
    ]


@cache
def mp2020_anion_corrections() -> dict[str, float]:
    """MP2020 composition corrections of the Lu-N-H anions (eV per anion atom), from pymatgen's yaml.

    Read from ``MP2020Compatibility.yaml`` (``Corrections: CompositionCorrections``) of the installed
    pymatgen; nothing is hard-coded here.
    """
    from monty.serialization import loadfn

    data = loadfn(str(mp2020_yaml_path()))
    table = data["Corrections"]["CompositionCorrections"]
    return {el: float(table[el]) for el in ANIONS}


def mp2020_yaml_path():
    """Path of ``MP2020Compatibility.yaml`` in the installed pymatgen."""
    from importlib import resources

    for package in ("pymatgen.analysis.compatibility", "pymatgen.entries"):
        try:
            path = resources.files(package) / "MP2020Compatibility.yaml"
        except ModuleNotFoundError:
            continue
        if path.is_file():
            return path
    raise FileNotFoundError("MP2020Compatibility.yaml not found in the installed pymatgen")


def mp2020_correction_per_atom(composition) -> float:
    """MP2020 anion correction of a compound (eV/atom): every H and N atom of a compound with Lu.

    In Lu-N-H compounds Lu is the only cation, so every H (hydride) and N (nitride) is an anion and
    receives its composition correction; elements (Lu, H2, N2) receive none.
    """
    elements = {el.symbol for el in composition.elements}
    if len(elements) < 2:
        return 0.0
    corrections = mp2020_anion_corrections()
    total = sum(composition[el] * corrections[el] for el in ANIONS if el in elements)
    return float(total / composition.num_atoms)


def symmetrized(structure):
    """The structure with its symmetry made exact (primitive standard cell), or unchanged if that fails.

    A relaxation leaves numerical noise that GPAW's tight symmetry check does not forgive: the
    irreducible k-points multiply (hcp Lu took four times longer than the ideal cell). The cell is
    :func:`reviewlib.dft.primitive_cell` (spglib, 1e-3 Å), kept only when it has the same atoms and
    volume; the DFT and every MLIP use this same geometry.
    """
    from reviewlib.dft import primitive_cell

    ideal = primitive_cell(structure)
    if len(ideal) != len(structure) or abs(ideal.volume / structure.volume - 1) > 1e-3:
        return structure
    return ideal


def _dft_one(cid: str, structure, settings, molecule: bool) -> dict[str, Any]:
    """One DFT energy; a failure is returned as ``error``/``reason`` (the batch goes on)."""
    from reviewlib.dft import cached_total_energy

    try:
        return cached_total_energy(structure=structure, name=cid, settings=settings, molecule=molecule)
    except Exception as exc:  # any failure of one cell becomes a skipped row
        return {"name": cid, "error": type(exc).__name__, "reason": str(exc)}


def _mlip_energy_per_atom(structure, model: str) -> float:
    from pymatgen.io.ase import AseAtomsAdaptor

    from reviewlib import mlip

    atoms = AseAtomsAdaptor.get_atoms(structure)
    atoms.calc = mlip.calculator(model=model)
    return float(atoms.get_potential_energy()) / len(atoms)


def _formation(table: pd.DataFrame, energy_col: str) -> pd.Series:
    """Formation energy per atom relative to the elemental reference rows of the same method."""
    mu = {}
    for el, cid in ELEMENT_REFERENCES.items():
        rows = table.loc[table["id"] == cid, energy_col]
        mu[el] = float(rows.iloc[0]) if len(rows) else math.nan
    out = []
    for structure, energy in zip(table["_structure"], table[energy_col], strict=True):
        if structure is None or not np.isfinite(energy):
            out.append(math.nan)
            continue
        comp = structure.composition
        ref = sum(comp[el] * mu.get(el.symbol, math.nan) for el in comp.elements) / comp.num_atoms
        out.append(energy - ref)
    return pd.Series(out, index=table.index, dtype=float)


def mlip_vs_dft(
    *,
    models: Sequence[str] = ("chgnet", "sevennet"),
    geometry_model: str = "chgnet",
    settings=None,
    cells: list[dict[str, Any]] | None = None,
    n_jobs: int = 1,
    progress: bool = True,
) -> pd.DataFrame:
    """Formation energies of the reference cells from DFT and from each MLIP, at one geometry.

    Args:
        models: MLIPs whose single-point energies are compared (see :mod:`reviewlib.mlip`).
        geometry_model: MLIP that relaxes every cell at 0 GPa (molecules: positions only).
        settings: :class:`reviewlib.dft.EnergySettings` of the DFT (default: its defaults).
        cells: cells as from :func:`reference_cells` (default: all of them). Formation energies
            need the elemental cells ``Lu-hcp``, ``H2`` and ``N2`` of :data:`ELEMENT_REFERENCES`.
        n_jobs: joblib workers for the DFT batch (each runs one serial GPAW calculation).
        progress: tqdm progress bar over the DFT batch.

    Returns:
        One row per cell: ``id``, ``formula``, ``role``, ``prototype``, ``n_atoms``, ``status``
        (``"ok"`` or ``"skipped"``), ``reason``, ``relax_steps``, ``relax_seconds``, the relaxed
        (and symmetrised, :func:`symmetrized`) ``volume_A3_per_atom``, the DFT
        ``dft_kpts``, ``dft_scf_iterations``, ``dft_seconds``, ``dft_cpu_seconds``,
        ``dft_from_cache``, the energies ``<method>_energy_eV_per_atom`` and formation energies
        ``<method>_formation_eV_per_atom`` for ``dft`` and every model,
        ``mp2020_correction_eV_per_atom``, ``dft_mp2020_formation_eV_per_atom`` (DFT plus the MP2020
        anion corrections), and per model ``<model>_error_meV_per_atom`` (formation energy minus
        raw DFT) and ``<model>_error_vs_mp2020_meV_per_atom`` (minus corrected DFT). Skipped cells
        have NaN energies and the reason.
    """
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    from reviewlib.dft import EnergySettings
    from reviewlib.search.relax import relax_structure

    settings = settings or EnergySettings()
    cells = reference_cells() if cells is None else cells
    models = list(models)
    rows: list[dict[str, Any]] = []
    for cell in cells:
        structure = cell["structure"]
        row: dict[str, Any] = {
            "id": cell["id"],
            "formula": structure.composition.reduced_formula,
            "role": cell.get("role", "compound"),
            "prototype": cell.get("prototype", ""),
            "n_atoms": len(structure),
            "status": "ok",
            "reason": "",
            "volume_A3_per_atom": math.nan,
            "_structure": None,
            "_molecule": bool(cell.get("molecule", False)),
        }
        relax_row, final = relax_structure(
            structure=structure,
            pressure_GPa=0.0,
            model=geometry_model,
            relax_cell=not row["_molecule"],
            cid=cell["id"],
        )
        if final is None:
            row.update(status="skipped", reason=f"{geometry_model} relaxation: {relax_row['reason']}")
        else:
            if relax_row["status"] != "ok":
                row["reason"] = f"{geometry_model} relaxation {relax_row['status']}: {relax_row['reason']}"
            final = final if row["_molecule"] else symmetrized(final)
            row["_structure"] = final
            row["volume_A3_per_atom"] = final.volume / len(final)
        row["relax_steps"] = int(relax_row.get("steps") or 0)
        row["relax_seconds"] = relax_row.get("seconds") or 0.0
        rows.append(row)

    todo = [r for r in rows if r["_structure"] is not None]
    jobs = (delayed(_dft_one)(r["id"], r["_structure"], settings, r["_molecule"]) for r in todo)
    bar = tqdm(total=len(todo), disable=not progress, desc="GPAW total energies", unit="cell")
    results = {}
    for result in Parallel(n_jobs=n_jobs, return_as="generator")(jobs):
        results[result["name"]] = result
        bar.update(1)
    bar.close()

    for row in rows:
        row.update(
            dft_kpts="",
            dft_scf_iterations=0,
            dft_seconds=math.nan,
            dft_cpu_seconds=math.nan,
            dft_from_cache=False,
            dft_energy_eV_per_atom=math.nan,
            **{f"{m}_energy_eV_per_atom": math.nan for m in models},
        )
        if row["_structure"] is None:
            continue
        result = results[row["id"]]
        if "error" in result:
            row.update(status="skipped", reason=f"DFT {result['error']}: {result['reason']}")
            continue
        row.update(
            dft_kpts="x".join(str(k) for k in result["kpts"]),
            dft_scf_iterations=result["scf_iterations"],
            dft_seconds=result["seconds"],
            dft_cpu_seconds=result["cpu_seconds"],
            dft_from_cache=result["from_cache"],
            dft_energy_eV_per_atom=result["energy_eV_per_atom"],
        )
        for m in models:
            try:
                row[f"{m}_energy_eV_per_atom"] = _mlip_energy_per_atom(row["_structure"], m)
            except Exception as exc:  # one model failing on one cell leaves the rest
                row["reason"] = (row["reason"] + "; " if row["reason"] else "") + f"{m}: {exc}"

    table = pd.DataFrame(rows)
    for method in ["dft", *models]:
        table[f"{method}_formation_eV_per_atom"] = _formation(table, f"{method}_energy_eV_per_atom")
    table["mp2020_correction_eV_per_atom"] = [
        mp2020_correction_per_atom(s.composition) if s is not None else math.nan for s in table["_structure"]
    ]
    table["dft_mp2020_formation_eV_per_atom"] = (
        table["dft_formation_eV_per_atom"] + table["mp2020_correction_eV_per_atom"]
    )
    for m in models:
        f = table[f"{m}_formation_eV_per_atom"]
        table[f"{m}_error_meV_per_atom"] = 1000.0 * (f - table["dft_formation_eV_per_atom"])
        table[f"{m}_error_vs_mp2020_meV_per_atom"] = 1000.0 * (f - table["dft_mp2020_formation_eV_per_atom"])
    return table.drop(columns=["_structure", "_molecule"])


def _models(table: pd.DataFrame) -> list[str]:
    return [c[: -len("_error_meV_per_atom")] for c in table.columns if c.endswith("_error_meV_per_atom")]


def energy_errors(table: pd.DataFrame) -> pd.DataFrame:
    """Per model: formation-energy errors over the compound cells and polymorph-difference errors.

    Columns (meV/atom): ``formation_MAE``, ``formation_max_abs_error`` (against raw DFT) and the same
    ``..._vs_mp2020`` (against DFT plus the MP2020 anion corrections), ``n_compounds``, and for every
    formula with a rock-salt and a zinc-blende cell ``dE_zb-rs_<formula>_dft`` (DFT
    E(zinc blende) - E(rock salt) per atom), ``dE_zb-rs_<formula>_model`` and
    ``dE_zb-rs_<formula>_error`` (model minus DFT). Skipped cells are left out.
    """
    ok = table[table["status"] == "ok"]
    compounds = ok[ok["role"] == "compound"]
    pairs = []
    for formula, group in ok.groupby("formula", sort=True):
        protos = dict(zip(group["prototype"], group.index, strict=False))
        if "rocksalt" in protos and "zincblende" in protos:
            pairs.append((formula, protos["zincblende"], protos["rocksalt"]))
    out = []
    for m in _models(table):
        err = compounds[f"{m}_error_meV_per_atom"].dropna().abs()
        err_c = compounds[f"{m}_error_vs_mp2020_meV_per_atom"].dropna().abs()
        row: dict[str, Any] = {
            "model": m,
            "n_compounds": int(len(err)),
            "formation_MAE_meV_per_atom": float(err.mean()) if len(err) else math.nan,
            "formation_max_abs_error_meV_per_atom": float(err.max()) if len(err) else math.nan,
            "formation_MAE_vs_mp2020_meV_per_atom": float(err_c.mean()) if len(err_c) else math.nan,
            "formation_max_abs_error_vs_mp2020_meV_per_atom": float(err_c.max()) if len(err_c) else math.nan,
        }
        for formula, zb, rs in pairs:
            dft = 1000.0 * (ok.at[zb, "dft_energy_eV_per_atom"] - ok.at[rs, "dft_energy_eV_per_atom"])
            mod = 1000.0 * (ok.at[zb, f"{m}_energy_eV_per_atom"] - ok.at[rs, f"{m}_energy_eV_per_atom"])
            row[f"dE_zb-rs_{formula}_dft_meV_per_atom"] = float(dft)
            row[f"dE_zb-rs_{formula}_model_meV_per_atom"] = float(mod)
            row[f"dE_zb-rs_{formula}_error_meV_per_atom"] = float(mod - dft)
        out.append(row)
    return pd.DataFrame(out)
