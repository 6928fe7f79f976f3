"""Composition descriptors: Magpie element-property statistics and element fractions.

* :func:`magpie_features` -- matminer's ``ElementProperty.from_preset("magpie")``: 22 elemental
  properties x 6 statistics (minimum, maximum, range, mean, avg_dev, mode) = 132 columns
  (Ward et al., npj Comput. Mater. 2, 16028 (2016)). Used by Stanev et al. (2018).
* :func:`elemental_descriptors` -- the "elemental-property statistics only" baseline that
  Zhang et al. (2022) compare SOAP with (review section 2.5): Magpie statistics, optionally with
  the element fractions appended.

matminer's Magpie tables ship inside the matminer wheel (``matminer/utils/data_files``); nothing
is downloaded. Compositions may be pymatgen ``Composition`` objects, ``{element: amount}`` dicts
or formula strings (read by :func:`reviewlib.chem.parse_formula`). An unknown element raises
``ValueError`` naming it; so does an element for which Magpie has no value of a property (never a
silent NaN). Atomic-fraction columns (ElemNet-style) are :func:`reviewlib.chem.element_fraction_columns`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from reviewlib.chem import composition_key, element_fraction_columns, parse_formulas
from reviewlib.features.cache import cached

MAGPIE_STATS = ("minimum", "maximum", "range", "mean", "avg_dev", "mode")


def _magpie_featurizer():
    from matminer.featurizers.composition import ElementProperty

    return ElementProperty.from_preset("magpie", impute_nan=False)


def magpie_labels() -> list[str]:
    """The 132 Magpie column names, e.g. ``"MagpieData mean Number"``."""
    return list(_magpie_featurizer().feature_labels())


def magpie_features(
    compositions: Iterable[Any],
    *,
    cache: bool = True,
    progress: bool = True,
) -> pd.DataFrame:
    """Magpie element-property statistics (132 columns, matminer ``ElementProperty`` "magpie").

    One row per input composition, in order (index 0..n-1). Identical compositions (same atomic
    fractions) are featurised once. Units are those of the Magpie tables (e.g. MeltingT in K,
    CovalentRadius in pm, GSvolume_pa in A^3/atom). Raises ``ValueError`` for an unknown element
    or an element lacking a Magpie property.
    """
    from importlib.metadata import version

    comps = parse_formulas(compositions)
    canon = [composition_key(c, decimals=6) for c in comps]
    unique: dict[str, int] = {}  # canonical text -> row of its first occurrence
    uniq_comps = []
    for c, text in zip(comps, canon, strict=True):
        if text not in unique:
            unique[text] = len(unique)
            uniq_comps.append(c)
    featurizer = _magpie_featurizer()
    labels = list(featurizer.feature_labels())

    def compute() -> np.ndarray:
        from tqdm.auto import tqdm

        rows = np.empty((len(uniq_comps), len(labels)), dtype=float)
        it = tqdm(
            uniq_comps, desc="Magpie features", unit="comp", disable=not progress or len(uniq_comps) < 500
        )
        for i, comp in enumerate(it):
            rows[i] = featurizer.featurize(comp)
        return rows

    key = {
        "compositions": hashlib.sha256("\n".join(unique).encode()).hexdigest(),
        "preset": "magpie",
        "matminer": version("matminer"),
    }
    table = np.asarray(cached("magpie", key=key, compute=compute, enabled=cache), dtype=float)
    if table.shape != (len(uniq_comps), len(labels)):
        raise ValueError(
            f"Magpie cache entry has shape {table.shape}, expected {(len(uniq_comps), len(labels))}"
        )
    bad_rows = np.where(~np.isfinite(table).all(axis=1))[0]
    if len(bad_rows):
        _raise_missing(uniq_comps[bad_rows[0]], labels, table[bad_rows[0]], n_bad=len(bad_rows))
    index = np.array([unique[t] for t in canon])
    return pd.DataFrame(table[index], columns=labels)


def _raise_missing(comp, labels: Sequence[str], row: np.ndarray, *, n_bad: int) -> None:
    from matminer.utils.data import MagpieData

    data = MagpieData(impute_nan=False).all_elemental_props
    props = sorted({lab.split(" ", 2)[2] for lab, v in zip(labels, row, strict=True) if not np.isfinite(v)})
    missing = [
        f"{el} ({p})"
        for el in sorted(str(e) for e in comp.elements)
        for p in props
        if not np.isfinite(float(data[p].get(el, np.nan)))
    ]
    raise ValueError(
        f"Magpie has no value for {', '.join(missing) or props} in {comp.formula!r} "
        f"({n_bad} composition(s) affected); drop these compositions"
    )


def elemental_descriptors(
    compositions: Iterable[Any],
    *,
    include_fractions: bool = False,
    elements: Sequence[str] | None = None,
    cache: bool = True,
    progress: bool = True,
) -> pd.DataFrame:
    """Structure-free baseline of Zhang et al. (2022): elemental-property statistics only.

    Magpie statistics (:func:`magpie_features`); with ``include_fractions`` the atomic fractions
    (:func:`reviewlib.chem.element_fraction_columns`, columns prefixed ``frac_``) are appended.
    The review does not say which elemental statistics Zhang et al. used, so this is a Magpie-style stand-in.
    """
    comps = parse_formulas(compositions)
    frame = magpie_features(comps, cache=cache, progress=progress)
    if include_fractions:
        frac = element_fraction_columns(comps, elements=elements).add_prefix("frac_")
        frame = pd.concat([frame, frac], axis=1)
    return frame
