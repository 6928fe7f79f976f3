"""Row-wise featurisation of a list in chunks through joblib, with a progress bar.

:func:`chunked_map` is the one loop the featurisers (SOAP, structure features, CHGNet
embeddings) share: the items are cut, in input order, into ``chunks_per_worker * n_jobs``
chunks of equal size (one chunk, run in this process, for ``n_jobs=1`` or fewer than
``min_items_to_split`` items), each chunk becomes one :class:`joblib.Parallel` task (so an
active ``joblib.parallel_config(backend="dask")`` sends them to a cluster unchanged), and the
parts are stacked in input order. Several chunks per worker keep the progress bar moving and
even out slow chunks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

T = TypeVar("T")


def chunks_of(items: Sequence[T], *, n_jobs: int, chunks_per_worker: int, min_items_to_split: int) -> list:
    """``items`` cut in input order into the chunks :func:`chunked_map` runs (see the module).

    ``n_jobs`` below 1 follows joblib (``-1``: all the workers the active backend offers).
    """
    if n_jobs == 0:
        raise ValueError("n_jobs=0 runs nothing; use 1 (this process), k > 1 workers or -1 (all)")
    if chunks_per_worker < 1:
        raise ValueError(f"chunks_per_worker must be >= 1, got {chunks_per_worker}")
    if n_jobs < 0:
        from joblib import effective_n_jobs

        n_jobs = effective_n_jobs(n_jobs)
    n_chunks = 1 if n_jobs == 1 or len(items) < min_items_to_split else chunks_per_worker * n_jobs
    size = max(1, -(-len(items) // n_chunks))
    return [items[i : i + size] for i in range(0, len(items), size)]


def chunked_map(
    fn: Callable[[list], np.ndarray],
    items: Sequence,
    *,
    n_jobs: int,
    chunks_per_worker: int,
    min_items_to_split: int,
    desc: str,
    progress: bool,
    unit: str = "structure",
) -> np.ndarray:
    """``np.vstack([fn(chunk) for chunk in chunks])``: ``fn`` maps a chunk (a list of items) to
    one row per item; the chunks (:func:`chunks_of`) run through :class:`joblib.Parallel` with
    ``n_jobs`` workers when there is more than one, else in this process.

    ``fn`` must be picklable (a module-level function or a ``functools.partial`` of one).
    ``desc`` and ``unit`` label the tqdm bar shown when ``progress``. ``ValueError`` for no items.
    """
    from tqdm.auto import tqdm

    if len(items) == 0:
        raise ValueError(f"{desc}: no items to compute")
    chunks = chunks_of(
        items, n_jobs=n_jobs, chunks_per_worker=chunks_per_worker, min_items_to_split=min_items_to_split
    )
    bar = tqdm(total=len(items), desc=desc, unit=unit, disable=not progress)
    parts = []
    try:
        if len(chunks) == 1:
            parts.append(fn(chunks[0]))
            bar.update(len(chunks[0]))
        else:
            from joblib import Parallel, delayed

            runner = Parallel(n_jobs=n_jobs, return_as="generator")
            for c, part in zip(chunks, runner(delayed(fn)(c) for c in chunks), strict=True):
                parts.append(part)
                bar.update(len(c))
    finally:
        bar.close()
    return np.vstack(parts)
