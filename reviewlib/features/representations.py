"""The three representations of notebooks 07-09 for any list of structures, bad items skipped.

``composition`` (132 Magpie statistics of the structure's composition), ``structure``
(:func:`reviewlib.features.structure.structure_features`) and ``chgnet``
(:func:`reviewlib.features.embeddings.chgnet_embeddings`). :func:`featurise` tries the whole
batch first (cached on disk); if a structure breaks it, every structure is tried alone and the
failures are skipped and listed with their reason, so one bad file never stops a batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

REPRESENTATIONS = ("composition", "structure", "chgnet")


def _one_kind(kind: str, structures: list, *, n_jobs: int, cache: bool, progress: bool) -> pd.DataFrame:
    if kind == "composition":
        from reviewlib.features.composition import magpie_features

        return magpie_features([s.composition for s in structures], cache=cache, progress=progress)
    if kind == "structure":
        from reviewlib.features.structure import structure_features

        return structure_features(structures, n_jobs=n_jobs, cache=cache, progress=progress)
    if kind == "chgnet":
        from reviewlib.features.embeddings import chgnet_embeddings, chgnet_feature_names

        X = chgnet_embeddings(structures, n_jobs=n_jobs, cache=cache, progress=progress)
        return pd.DataFrame(np.asarray(X, dtype=float), columns=chgnet_feature_names())
    raise ValueError(f"unknown representation {kind!r}; choose from {REPRESENTATIONS}")


def featurise(
    structures: Sequence,
    *,
    representations: Sequence[str] = REPRESENTATIONS,
    labels: Sequence[str] | None = None,
    n_jobs: int = 2,
    cache: bool = True,
    progress: bool = False,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """``({representation: features}, skipped)`` for ``structures``.

    Feature frames share one index: the positions (0..n-1) of the structures every
    representation could featurise. ``skipped`` has columns ``index``, ``label``,
    ``representation``, ``reason``. ``labels`` (e.g. file names) name the structures in it.
    Raises ``ValueError`` when nothing is left.
    """
    structures = list(structures)
    for kind in representations:
        if kind not in REPRESENTATIONS:
            raise ValueError(f"unknown representation {kind!r}; choose from {REPRESENTATIONS}")
    labels = [str(i) for i in range(len(structures))] if labels is None else [str(x) for x in labels]
    if len(labels) != len(structures):
        raise ValueError(f"{len(labels)} labels for {len(structures)} structures")
    out: dict[str, pd.DataFrame] = {}
    skipped: list[dict] = []
    for kind in representations:
        try:
            out[kind] = _one_kind(kind, structures, n_jobs=n_jobs, cache=cache, progress=progress)
            out[kind].index = range(len(structures))
            continue
        except (ValueError, TypeError, RuntimeError, IndexError, KeyError):
            pass
        rows, good = [], []
        for i, s in enumerate(structures):
            try:
                rows.append(_one_kind(kind, [s], n_jobs=1, cache=False, progress=False))
                good.append(i)
            except Exception as exc:  # every failure is listed, the batch goes on
                skipped.append({"index": i, "label": labels[i], "representation": kind, "reason": f"{exc}"})
        if rows:
            out[kind] = pd.concat(rows, ignore_index=True).set_axis(good)
        else:
            out[kind] = pd.DataFrame()
    skipped_frame = pd.DataFrame(skipped, columns=["index", "label", "representation", "reason"])
    keep = sorted(set.intersection(*(set(frame.index) for frame in out.values()))) if out else []
    if not keep:
        raise ValueError(f"no structure could be featurised ({len(skipped_frame)} failures)")
    return {k: v.loc[keep] for k, v in out.items()}, skipped_frame
