"""A resumable structure search: relaxations in joblib batches, written as a tidy table plus CIFs.

Layout of a store folder::

    results.csv            one row per (candidate id, pressure): see relax.RESULT_COLUMNS
    cifs/<id>@<P>GPa.cif   the relaxed structure of every row that was not skipped

The relaxations are dealt into chunks of at most ``2 * batch_size`` (like cards, so that every
chunk gets its share of the expensive compositions; see ``_rounds``); each chunk is relaxed in
one joblib task by :func:`reviewlib.search.relax.relax_structures`, ``batch_size`` structures at a
time with one potential call per step. Rows are appended (in the order of the candidates) after
every round of ``n_jobs`` chunks, so an interrupted search loses at most one round and
:func:`run_search` on the same folder resumes with the relaxations not yet written, in the chunks
they would have had. The chunks do not depend on ``n_jobs``, so the results do not either.
Rounds go through :class:`joblib.Parallel`, so ``joblib.parallel_config(backend="dask")`` runs
the same code on a ``dask.distributed`` cluster (see the README).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from reviewlib._io import atomic_write
from reviewlib.search.relax import DEFAULT_BATCH_SIZE, RESULT_COLUMNS, relax_structures

RESULTS = "results.csv"
CIFS = "cifs"


def cif_name(*, cid: str, pressure_GPa: float) -> str:
    """File name of the relaxed structure of candidate ``cid`` at ``pressure_GPa``."""
    return f"{cid}@{float(pressure_GPa):g}GPa.cif"


def read_results(store: str | Path) -> pd.DataFrame:
    """The results table of a store folder (empty table with the right columns if none yet)."""
    path = Path(store) / RESULTS
    if not path.exists():
        return pd.DataFrame(columns=RESULT_COLUMNS)
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    missing = [c for c in RESULT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{path}: not a search results table (missing columns {missing}); use another folder"
        )
    frame["converged"] = frame["converged"].astype(str).str.lower() == "true"
    frame["reason"] = frame["reason"].fillna("")
    return frame


def read_structure(*, store: str | Path, cid: str, pressure_GPa: float) -> Any:
    """The relaxed pymatgen structure of one row, read from its CIF."""
    from pymatgen.core import Structure

    return Structure.from_file(Path(store) / CIFS / cif_name(cid=cid, pressure_GPa=pressure_GPa))


def _task(
    structures: list[Any],
    cids: list[str],
    pressures: list[float],
    relax_cells: list[bool],
    model: str,
    fmax: float,
    max_steps: int,
    batch_size: int,
    threads: int | None,
) -> list[tuple[dict[str, Any], str | None]]:
    """One chunk of relaxations in a worker: per structure the row and the CIF text (None if skipped)."""
    if threads:
        import torch

        if torch.get_num_threads() != threads:
            torch.set_num_threads(threads)
    results = relax_structures(
        structures=structures,
        pressure_GPa=pressures,
        model=model,
        fmax=fmax,
        max_steps=max_steps,
        relax_cell=relax_cells,
        cids=cids,
        batch_size=batch_size,
    )
    out = []
    for row, final in results:
        row["worker_pid"] = os.getpid()
        out.append((row, final.to(fmt="cif") if final is not None else None))
    return out


def run_search(
    *,
    candidates: Sequence[dict[str, Any]],
    store: str | Path,
    pressures_GPa: Iterable[float] = (0.0,),
    model: str = "chgnet",
    fmax: float = 0.05,
    max_steps: int = 300,
    n_jobs: int = 2,
    batch_size: int | None = None,
    threads_per_job: int | None = 1,
    progress: bool = True,
) -> pd.DataFrame:
    """Relax every candidate at every pressure, appending rows to ``store`` (resumes if interrupted).

    Args:
        candidates: dicts from :func:`reviewlib.search.generate.random_candidates` (or any dicts
            with ``id`` and ``structure``; ``structure=None`` with a ``reason`` is listed as skipped;
            ``relax_cell=False`` keeps the cell fixed).
        store: folder of the results table and CIFs (created if missing).
        pressures_GPa: pressures (GPa) at which each candidate is relaxed.
        model: MLIP name for :func:`reviewlib.mlip.calculator`.
        fmax: force threshold (eV/Å).
        max_steps: optimiser steps per relaxation.
        n_jobs: joblib workers (the active ``joblib.parallel_config`` backend decides where they run).
        batch_size: structures relaxed together by one worker, one potential call per step for all
            (default :data:`reviewlib.search.relax.DEFAULT_BATCH_SIZE`); a joblib task relaxes
            ``2 * batch_size`` of them and rows are written after every ``n_jobs`` tasks.
        threads_per_job: torch threads in each worker (None leaves torch's default).
        progress: show a tqdm bar.

    Returns:
        The whole results table (earlier rows included) with a ``wall_s`` attribute for this call.
    """
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    start = time.perf_counter()
    store = Path(store)
    (store / CIFS).mkdir(parents=True, exist_ok=True)
    done = read_results(store)
    seen = set(zip(done["id"].astype(str), done["pressure_GPa"].astype(float), strict=True))
    ids = [c["id"] for c in candidates]
    if len(set(ids)) != len(ids):
        raise ValueError("candidate ids must be unique")
    pressures = [float(p) for p in pressures_GPa]
    every = [(c, p) for p in pressures for c in candidates]
    todo = [(c, p) for c, p in every if (c["id"], p) not in seen]
    batch_size = DEFAULT_BATCH_SIZE if batch_size is None else int(batch_size)
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    bar = tqdm(total=len(todo), desc="relaxations", disable=not progress)
    position = {(c["id"], p): i for i, (c, p) in enumerate(every)}
    # candidates without a structure are listed with the first round (in the order of the list)
    failures = [(c, p) for c, p in todo if c.get("structure") is None]
    rounds = _rounds(every, seen=seen, chunk=2 * batch_size, n_jobs=n_jobs) or [[]]
    for number, chunks in enumerate(rounds):
        work = [item for part in chunks for item in part]
        rows: list[tuple[int, dict[str, Any]]] = [
            (position[c["id"], p], _generation_failure(c, pressure=p, model=model))
            for c, p in (failures if number == 0 else [])
        ]
        results = Parallel(n_jobs=n_jobs)(
            delayed(_task)(
                [c["structure"] for c, _ in part],
                [c["id"] for c, _ in part],
                [p for _, p in part],
                [c.get("relax_cell", True) for c, _ in part],
                model,
                fmax,
                max_steps,
                batch_size,
                threads_per_job,
            )
            for part in chunks
        )
        flat = [r for part in results for r in part]
        for (cand, pressure), (row, cif) in zip(work, flat, strict=True):
            row["spacegroup_requested"] = cand.get("spacegroup_requested")
            if cif is not None:
                atomic_write(store / CIFS / cif_name(cid=cand["id"], pressure_GPa=pressure), cif)
            rows.append((position[cand["id"], pressure], row))
        _append(store / RESULTS, [row for _, row in sorted(rows, key=lambda r: r[0])])
        bar.update(len(rows))
    bar.close()
    table = read_results(store)
    table.attrs["wall_s"] = time.perf_counter() - start
    table.attrs["n_new"] = len(todo)
    return table


def _rounds(
    every: list[tuple[dict[str, Any], float]], *, seen: set[tuple[str, float]], chunk: int, n_jobs: int
) -> list[list[list[tuple[dict[str, Any], float]]]]:
    """The relaxations still to do, dealt into chunks of at most ``chunk`` and grouped ``n_jobs`` per round.

    The chunks are dealt like cards over the whole list ``every`` (all candidates at all pressures,
    in order; chunk k holds items k, k + m, k + 2m, ... of the m = ceil(len/chunk) chunks), not cut
    into contiguous slices: the candidates come sorted by composition and the expensive
    compositions (more atoms, flatter landscapes, more FIRE steps) would otherwise fill one chunk
    and leave the other workers idle while it runs. The chunks depend on ``every`` and ``chunk``
    only (neither on ``n_jobs`` nor on what a resumed store already holds: done items and
    candidates without a structure are left out of their chunk), so the batches, and the results,
    do not depend on the number of workers.
    """
    relax = [i for i, (c, p) in enumerate(every) if c.get("structure") is not None]
    n_chunks = -(-len(relax) // chunk) if relax else 0
    chunks = []
    for k in range(n_chunks):
        part = [every[i] for i in relax[k::n_chunks] if (every[i][0]["id"], every[i][1]) not in seen]
        if part:
            chunks.append(part)
    per = max(n_jobs, 1)
    return [chunks[i : i + per] for i in range(0, len(chunks), per)]


def _generation_failure(cand: dict[str, Any], *, pressure: float, model: str) -> dict[str, Any]:
    row = dict.fromkeys(RESULT_COLUMNS)
    row.update(
        id=cand["id"],
        composition=cand.get("composition", ""),
        formula=cand.get("formula", ""),
        pressure_GPa=pressure,
        model=model,
        spacegroup_requested=cand.get("spacegroup_requested"),
        steps=0,
        converged=False,
        status="skipped",
        reason=cand.get("reason") or "no structure",
    )
    return row


def _append(path: Path, rows: list[dict[str, Any]]) -> None:
    """Append rows to the CSV (the whole file is rewritten atomically, so a resumed run reads the
    rows of every finished batch).
    """
    if not rows:
        return
    new = pd.DataFrame(rows)
    cols = RESULT_COLUMNS + [c for c in new.columns if c not in RESULT_COLUMNS]
    new = new.reindex(columns=cols)
    if path.exists():
        old = pd.read_csv(path, keep_default_na=False, na_values=[""])
        new = pd.concat([old, new], ignore_index=True)
    atomic_write(path, new.to_csv(index=False))
