"""Two-stage search: a loose screening relaxation of every candidate, a tight one of the best few.

Random searches (AIRSS, and Ferreira et al.'s EDDP search) spend most of their budget on many
cheap relaxations and refine only the low-enthalpy end. Here every candidate is relaxed loosely
(``screen_fmax``, at most ``screen_steps`` FIRE steps) into a screening store, and per composition
and pressure the ``per_composition`` lowest-enthalpy distinct structures are relaxed again tightly
(``fmax``, ``max_steps``) into the main store, which the hull is built from.

Layout::

    <store>/results.csv, cifs/          refined structures (and anything else run into it)
    <store>/screen/results.csv, cifs/   the screening relaxations

Both stages go through :func:`reviewlib.search.store.run_search`, so both relax ``batch_size``
structures at a time per worker with one potential call per step
(:func:`reviewlib.search.relax.relax_structures`), both resume after an interruption and both run
on whatever joblib backend is active.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reviewlib.search import store as _store

SCREEN = "screen"


def select_for_refinement(
    *,
    results: pd.DataFrame,
    store: str | Path,
    pressure_GPa: float,
    per_composition: int = 3,
    distinct_meV_per_atom: float = 2.0,
) -> list[dict[str, Any]]:
    """The lowest-enthalpy distinct screened structures of each composition at one pressure.

    Args:
        results: the screening table (:func:`reviewlib.search.store.read_results` of ``store``).
        store: the screening store (its CIFs are the starting structures of the refinement).
        pressure_GPa: pressure whose rows are selected (GPa).
        per_composition: structures kept per composition.
        distinct_meV_per_atom: a structure within this enthalpy of one already kept (same
            composition) is taken as the same minimum and passed over (meV/atom).

    Returns:
        Candidate dicts for :func:`reviewlib.search.store.run_search` (same ids as the screening
        rows, ``structure`` = the screened structure, ``screen_enthalpy_eV_per_atom``).
    """
    if per_composition < 1:
        raise ValueError(f"per_composition must be >= 1, got {per_composition}")
    rows = results[
        results["status"].isin(["ok", "unconverged"])
        & np.isclose(results["pressure_GPa"].astype(float), pressure_GPa)
    ].sort_values(["composition", "enthalpy_eV_per_atom", "id"], kind="stable")
    out: list[dict[str, Any]] = []
    for _, group in rows.groupby("composition", sort=True):
        kept: list[float] = []
        for r in group.itertuples(index=False):
            h = float(r.enthalpy_eV_per_atom)
            if any(abs(h - k) * 1000.0 < distinct_meV_per_atom for k in kept):
                continue
            kept.append(h)
            out.append(
                {
                    "id": r.id,
                    "composition": r.composition,
                    "formula": r.formula,
                    "spacegroup_requested": r.spacegroup_requested,
                    "structure": _store.read_structure(store=store, cid=r.id, pressure_GPa=pressure_GPa),
                    "screen_enthalpy_eV_per_atom": h,
                }
            )
            if len(kept) == per_composition:
                break
    return out


def two_stage_search(
    *,
    candidates: Sequence[dict[str, Any]],
    store: str | Path,
    pressures_GPa: Iterable[float] = (0.0,),
    model: str = "chgnet",
    screen_fmax: float = 0.2,
    screen_steps: int = 60,
    fmax: float = 0.05,
    max_steps: int = 250,
    per_composition: int = 3,
    n_jobs: int = 2,
    batch_size: int | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Screen every candidate loosely, then refine the best ``per_composition`` of each composition.

    Args:
        candidates: random candidates (:func:`reviewlib.search.generate.random_candidates`).
        store: main store folder; the screening store is its ``screen/`` subfolder.
        pressures_GPa: pressures of the search (GPa); each is screened and refined on its own.
        model: MLIP name (:func:`reviewlib.mlip.calculator`).
        screen_fmax: force threshold of the screening (eV/Å).
        screen_steps: FIRE steps of the screening.
        fmax: force threshold of the refinement (eV/Å).
        max_steps: FIRE steps of the refinement.
        per_composition: refined structures per composition and pressure.
        n_jobs: joblib workers.
        batch_size: structures relaxed together per worker (default
            :data:`reviewlib.search.relax.DEFAULT_BATCH_SIZE`, chosen with ``benchmarks/search.py``).
        progress: show tqdm bars.

    Returns:
        ``screen`` and ``refined`` (the two stores' whole tables), ``n_screened`` and ``n_refined``
        (relaxations run by this call), ``screen_s`` and ``refine_s`` (wall seconds of this call).
    """
    if screen_fmax < fmax:
        raise ValueError(f"screen_fmax ({screen_fmax}) must not be tighter than fmax ({fmax})")
    store = Path(store)
    screen_store = store / SCREEN
    out: dict[str, Any] = {"n_screened": 0, "n_refined": 0, "screen_s": 0.0, "refine_s": 0.0}
    common = {"model": model, "n_jobs": n_jobs, "batch_size": batch_size, "progress": progress}
    for p in pressures_GPa:
        t0 = time.perf_counter()
        screened = _store.run_search(
            candidates=candidates,
            store=screen_store,
            pressures_GPa=[p],
            fmax=screen_fmax,
            max_steps=screen_steps,
            **common,
        )
        out["screen_s"] += time.perf_counter() - t0
        out["n_screened"] += screened.attrs["n_new"]
        t0 = time.perf_counter()
        best = select_for_refinement(
            results=screened, store=screen_store, pressure_GPa=p, per_composition=per_composition
        )
        refined = _store.run_search(
            candidates=best, store=store, pressures_GPa=[p], fmax=fmax, max_steps=max_steps, **common
        )
        out["refine_s"] += time.perf_counter() - t0
        out["n_refined"] += refined.attrs["n_new"]
    out["screen"] = _store.read_results(screen_store)
    out["refined"] = _store.read_results(store)
    return out
