"""The prospective screen: new compositions from known prototypes, relaxed, ranked, checked.

* :func:`known_compositions` -- the composition keys of every registry table (a candidate that
  any table holds is not new).
* :func:`make_candidates` -- candidates from each prototype by isovalent same-group substitution
  and by pymatgen's data-mined substitution predictor (:mod:`reviewlib.pipeline.structure`),
  deduplicated by composition across prototypes and routes, filtered against the known set.
* :func:`screen_table` -- the ranked table with every stage's numbers: the pipeline's Tc,
  lambda and omega_log with intervals, the applicability domain and nearest training entries,
  the relaxation status, the enthalpy beside the relaxed prototype's, whether the prototype's
  space group survived relaxation, and the imaginary-mode weight of the top candidates.

Every row says what it is: a candidate worth a DFPT calculation, not a claim.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from reviewlib.pipeline import structure as PS

STATUS = "candidate worth a DFPT calculation, not a claim"


def known_compositions(frames) -> set[str]:
    """Composition keys of the ``formula`` column of every frame (unparsable formulas skipped)."""
    from reviewlib.chem import composition_key, parse_formula

    known = set()
    for frame in frames:
        for f in frame["formula"]:
            try:
                known.add(composition_key(parse_formula(f)))
            except ValueError:
                continue
    return known


def make_candidates(
    prototypes: pd.DataFrame,
    *,
    known: set[str],
    n_candidates: int,
    n_prototypes: int,
    seed: int,
    threshold: float = PS.DATAMINED_THRESHOLD,
) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Candidates from ``prototypes`` (columns ``structure``, ``formula``, ``mat_id``, ``tc_K``;
    highest Tc first).

    The isovalent route runs on the first ``n_prototypes`` rows; the data-mined route walks down
    the rows until ``n_prototypes`` of them gave a new candidate (most high-Tc prototypes are
    intermetallics or hydrides, which the predictor cannot take). A composition met twice keeps
    its first occurrence with both routes named. Up to ``n_candidates`` are kept: half (rounded
    up) the most probable data-mined ones, the rest drawn at random (``seed``) from the
    isovalent ones (and the other way round when one route has too few). Returns the candidates
    (``prototype_index``: the row of ``prototypes``) and one row per prototype visited.
    """
    from pymatgen.analysis.structure_prediction.substitution_probability import SubstitutionPredictor

    from reviewlib.chem import composition_key, parse_formula

    predictor = SubstitutionPredictor(threshold=threshold)
    pools: dict[str, list] = {"data-mined": [], "isovalent": []}
    seen: dict[str, dict] = {}
    log = []
    dm_used = 0
    for i, r in enumerate(prototypes.itertuples()):
        iso_on = i < n_prototypes
        if not iso_on and dm_used >= n_prototypes:
            break
        parent = f"{r.formula} ({r.mat_id}, Tc {r.tc_K:.1f} K)"
        dm, why = PS.datamined_substitutions(r.structure, parent=parent, predictor=predictor)
        iso = PS.substitutions(r.structure, parent=parent) if iso_on else []
        counts = {"data-mined": 0, "isovalent": 0}
        for route, cands in (("data-mined", dm), ("isovalent", iso)):
            for c in cands:
                key = composition_key(parse_formula(c["formula"]))
                if key in known:
                    continue
                if key in seen:
                    if c["route"] not in seen[key]["route"]:
                        seen[key]["route"] += f"; {c['route']}"
                    continue
                c = {**c, "prototype_index": i}
                seen[key] = c
                pools[route].append(c)
                counts[route] += 1
        dm_used += counts["data-mined"] > 0
        if counts["data-mined"] or iso_on:
            log.append(
                {
                    "prototype": parent,
                    "new (data-mined)": counts["data-mined"],
                    "new (isovalent)": counts["isovalent"] if iso_on else "not used",
                    "data-mined note": why,
                }
            )
    rng = np.random.default_rng(seed)
    dm = sorted(pools["data-mined"], key=lambda c: -c["probability"])
    iso = [pools["isovalent"][i] for i in rng.permutation(len(pools["isovalent"]))]
    n_dm = min(len(dm), max(-(-n_candidates // 2), n_candidates - len(iso)))
    chosen = dm[:n_dm] + iso[: n_candidates - n_dm]
    return chosen, pd.DataFrame(log)


def relax_prototypes(
    prototypes: pd.DataFrame, cands: list[dict[str, Any]], *, pressure_GPa: float, max_steps: int
) -> pd.DataFrame:
    """The prototypes the candidates came from, relaxed like them: ``status``,
    ``enthalpy_eV_per_atom`` and ``spacegroup``, indexed by the prototype's row.
    """
    used = sorted({c["prototype_index"] for c in cands})
    rows, _ = PS.relax_candidates(
        [
            {
                "structure": prototypes["structure"].iloc[i],
                "parent": prototypes["formula"].iloc[i],
                "substitution": "",
            }
            for i in used
        ],
        pressure_GPa=pressure_GPa,
        max_steps=max_steps,
    )
    rows.index = used
    return rows[["status", "enthalpy_eV_per_atom", "spacegroup"]]


def screen_table(
    cands: list[dict[str, Any]],
    relaxed: pd.DataFrame,
    finals: list[Any],
    protos: pd.DataFrame,
    bundle,
    *,
    n_draws: int,
    seed: int,
    n_phonons: int,
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The ranked prospective table (see module docstring); the phonon check runs on the top
    ``n_phonons`` candidates whose relaxation converged. Also returns the rows that could not be
    featurised (index, reason).
    """
    from reviewlib.chem import parse_formula
    from reviewlib.pipeline.predict import predict_rows

    rows = pd.DataFrame(
        {
            "source": "screen",
            "line": np.arange(len(cands)) + 1,
            "formula": [c["formula"] for c in cands],
            "composition": [parse_formula(c["formula"]) for c in cands],
            "pressure_GPa": 0.0,
        }
    )
    ranked, failed = predict_rows(rows, bundle, route="chained", n_draws=n_draws, seed=seed)
    bad = {j for j, _ in failed}
    keep = [i for i in range(len(cands)) if i not in bad]
    stage = relaxed.iloc[keep].reset_index(drop=True)
    ranked = ranked.drop(columns=["source", "line"])
    ranked["route"] = [cands[i]["route"] for i in keep]
    ranked["parent"] = [cands[i]["parent"] for i in keep]
    ranked["substitution"] = [cands[i]["substitution"] for i in keep]
    ranked["relaxation"] = stage["status"].to_numpy()
    ranked["relaxation_note"] = stage["reason"].fillna("").to_numpy()
    ranked["spacegroup"] = stage["spacegroup"].to_numpy()
    ranked["enthalpy_eV_per_atom"] = stage["enthalpy_eV_per_atom"].to_numpy(float)
    pidx = [cands[i]["prototype_index"] for i in keep]
    ranked["prototype_spacegroup"] = protos.loc[pidx, "spacegroup"].to_numpy()
    ranked["prototype_enthalpy_eV_per_atom"] = protos.loc[pidx, "enthalpy_eV_per_atom"].to_numpy(float)
    ranked["enthalpy_minus_prototype_eV_per_atom"] = (
        ranked["enthalpy_eV_per_atom"] - ranked["prototype_enthalpy_eV_per_atom"]
    )
    ranked["spacegroup_kept"] = ranked["spacegroup"] == ranked["prototype_spacegroup"]
    ranked["structure_index"] = keep
    ranked = ranked.sort_values("tc_K_median", ascending=False).reset_index(drop=True)
    ranked["imaginary_fraction"] = np.nan
    ranked["phonon_note"] = "not checked (below the top)"
    for i in ranked.index[ranked["relaxation"] == "ok"][:n_phonons]:
        st = PS.dynamical_stability(finals[ranked.at[i, "structure_index"]])
        ranked.at[i, "imaginary_fraction"] = st["imaginary_fraction"]
        ranked.at[i, "phonon_note"] = st["reason"] or f"CHGNet harmonic, supercell {st['supercell']}"
    ranked["status"] = STATUS
    ranked["caveats"] = [
        "; ".join(
            x
            for x in (
                "Tc from the composition-only ML pipeline",
                "" if r.in_domain else "OUTSIDE the applicability domain",
                "" if r.relaxation == "ok" else "relaxation not converged or failed",
                "" if r.spacegroup_kept else "prototype symmetry lost on relaxation",
                "imaginary modes" if r.imaginary_fraction > 0 else "",
                "enthalpy vs prototype compares total energies of different elements (not stability)",
            )
            if x
        )
        for r in ranked.itertuples()
    ]
    front = ["status", "formula", "route", "parent", "substitution"]
    return ranked[front + [c for c in ranked.columns if c not in front]], failed


#: largest primitive cell the GPAW check takes on two cores (atoms)
GPAW_MAX_ATOMS = 12


def gpaw_check(ranked: pd.DataFrame, finals: list[Any], *, n_gpaw: int, settings=None) -> pd.DataFrame:
    """A first-principles look at the top ``n_gpaw`` converged candidates of ``ranked``: one
    GPAW PBE calculation of each relaxed primitive cell (:func:`reviewlib.dft.cell_check`) gives
    its DFT pressure (GPa; the cells were relaxed at 0 GPa with CHGNet, so a value far from 0 means
    the potential and PBE disagree on the volume) and whether it is a metal (Kohn-Sham gap,
    DOS at E_F per atom). Cells above :data:`GPAW_MAX_ATOMS` atoms and failed SCFs are noted, not
    dropped. Returns a copy with the columns ``dft_pressure_GPa``, ``dft_gap_eV``,
    ``dft_dos_ef_per_atom``, ``dft_metallic``, ``dft_seconds`` and ``dft_note``; the caveats
    gain "DFT: not a metal" where that is the result.
    """
    from reviewlib.dft import DFTError, cell_check

    out = ranked.copy()
    for col in ("dft_pressure_GPa", "dft_gap_eV", "dft_dos_ef_per_atom", "dft_seconds"):
        out[col] = np.nan
    out["dft_metallic"] = pd.Series([None] * len(out), dtype=object)
    out["dft_note"] = "not checked (below the top)" if n_gpaw > 0 else "GPAW check off in this run"
    for i in out.index[out["relaxation"] == "ok"][:n_gpaw]:
        cell = finals[out.at[i, "structure_index"]].get_primitive_structure()
        if len(cell) > GPAW_MAX_ATOMS:
            out.at[i, "dft_note"] = f"not checked: {len(cell)} atoms > {GPAW_MAX_ATOMS}"
            continue
        try:
            r = cell_check(structure=cell, name=str(out.at[i, "formula"]), settings=settings)
        except DFTError as exc:
            out.at[i, "dft_note"] = f"failed: {exc}"
            continue
        out.at[i, "dft_pressure_GPa"] = r["pressure_GPa"]
        out.at[i, "dft_gap_eV"] = r["gap_eV"]
        out.at[i, "dft_dos_ef_per_atom"] = r["dos_ef_per_atom"]
        out.at[i, "dft_metallic"] = r["metallic"]
        out.at[i, "dft_seconds"] = r["seconds"]
        st = r["settings"]
        out.at[i, "dft_note"] = (
            f"GPAW {r['versions'].get('gpaw', '')} {st['xc']}, PW {st['ecut_eV']:g} eV, "
            f"k {'x'.join(map(str, r['kpts']))}, {len(cell)} atoms"
        )
        if not r["metallic"]:
            out.at[i, "caveats"] = f"{out.at[i, 'caveats']}; DFT: not a metal"
    return out
