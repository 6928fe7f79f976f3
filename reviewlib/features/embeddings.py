"""Learned structure representation: CHGNet crystal embeddings (64 numbers per structure).

CHGNet 0.3.0 (Deng et al., Nat. Mach. Intell. 5, 1031 (2023); weights inside the ``chgnet``
wheel, loaded by :func:`reviewlib.mlip.load_chgnet`) maps a structure to a 64-dimensional crystal
feature vector (the atom features that feed its energy head, summed over the atoms of the cell;
:func:`chgnet_embeddings` divides by the number of sites by default, so the representation is
intensive: a supercell gives the same vector). The vector is a generic,
pretrained description of the local chemistry and bonding learned from ~1.5 million Materials
Project relaxation frames; it was never trained on electron-phonon data.

Batches run through joblib (each worker loads the model once, CPU only, one torch thread) and the
result is cached on disk (:mod:`reviewlib.features.cache`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np

from reviewlib.features.cache import cached, hash_structures, structure_list
from reviewlib.features.parallel import chunked_map

CHGNET_DIM = 64


def chgnet_feature_names() -> list[str]:
    """Column names ``chgnet_0`` ... ``chgnet_63`` for :func:`chgnet_embeddings`."""
    return [f"chgnet_{i}" for i in range(CHGNET_DIM)]


def _embed_chunk(items: list, batch_size: int, model_name: str) -> np.ndarray:
    import warnings

    import torch

    from reviewlib.mlip import load_chgnet

    torch.set_num_threads(1)
    model = load_chgnet(model_name=model_name)
    structures = [s for _, s in items]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = model.predict_structure(
                structures, task="e", return_crystal_feas=True, batch_size=batch_size
            )
    except Exception:
        out = None
    if out is not None:
        out = out if isinstance(out, list) else [out]
        return np.vstack([np.asarray(o["crystal_fea"], dtype=np.float32) for o in out])
    # one structure broke the batch: redo one by one to name it
    rows = []
    for i, s in items:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                o = model.predict_structure(s, task="e", return_crystal_feas=True)
        except Exception as exc:
            raise ValueError(
                f"structure {i} ({s.composition.reduced_formula}): CHGNet failed "
                f"({type(exc).__name__}: {exc}); isolated atoms (no neighbour within 5 Angstrom) "
                "cannot be embedded"
            ) from exc
        rows.append(np.asarray(o["crystal_fea"], dtype=np.float32))
    return np.vstack(rows)


def chgnet_embeddings(
    structures: Sequence,
    *,
    batch_size: int = 32,
    per_atom: bool = True,
    n_jobs: int = 2,
    cache: bool = True,
    progress: bool = True,
) -> np.ndarray:
    """CHGNet crystal features, shape ``(n_structures, 64)``, float32 (dimensionless).

    ``per_atom``: divide CHGNet's cell sum by the number of sites (intensive; the cache holds
    the raw sums). ``ValueError`` names a structure CHGNet cannot embed. Cached under a hash of
    the structures and the CHGNet model and package versions.
    """
    from importlib.metadata import version

    from reviewlib.mlip import CHGNET_VERSION

    structures = structure_list(structures, caller="chgnet_embeddings")
    key = {
        "structures": hash_structures(structures) if cache else None,
        "model": CHGNET_VERSION,
        "chgnet": version("chgnet"),
    }

    def compute() -> np.ndarray:
        values = chunked_map(
            partial(_embed_chunk, batch_size=batch_size, model_name=CHGNET_VERSION),
            list(enumerate(structures)),
            n_jobs=n_jobs,
            chunks_per_worker=8,
            min_items_to_split=64,
            desc="CHGNet embeddings",
            progress=progress,
        )
        return values.astype(np.float32)

    raw = np.asarray(cached("chgnet", key=key, compute=compute, enabled=cache))
    if not per_atom:
        return raw
    n_sites = np.array([len(s) for s in structures], dtype=np.float32)
    return (raw / n_sites[:, None]).astype(np.float32)
