"""Composition descriptors: Magpie element-property statistics and element fractions.

* :func:`magpie_features` -- matminer's ``ElementProperty.from_preset("magpie")``: 22 elemental
  properties x 6 statistics (minimum, maximum, range, mean, avg_dev, mode) = 132 columns
  (Ward et al., npj Comput. Mater. 2, 16028 (2016)). Used by Stanev et al. (2018).
* :func:`fraction_features` -- atomic fractions over a fixed element list (ElemNet-style).
* :func:`elemental_descriptors` -- the "elemental-property statistics only" baseline that
  Zhang et al. (2022) compare SOAP with (review section 2.5): Magpie statistics, optionally with
  the element fractions appended.

matminer's Magpie tables ship inside the matminer wheel (``matminer/utils/data_files``); nothing
is downloaded. Compositions may be pymatgen ``Composition`` objects, ``{element: amount}`` dicts
or formula strings. An unknown element raises ``ValueError`` naming it; so does an element for
which Magpie has no value of a property (never a silent NaN).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from reviewlib.features.cache import cached

MAGPIE_STATS = ("minimum", "maximum", "range", "mean", "avg_dev", "mode")
#: Z = 1 ... 103 (H ... Lr): the default element list of :func:`fraction_features`.
DEFAULT_ELEMENTS: tuple[str, ...] = ()  # filled lazily (pymatgen import is slow)


def _default_elements() -> tuple[str, ...]:
    global DEFAULT_ELEMENTS
    if not DEFAULT_ELEMENTS:
        from pymatgen.core.periodic_table import Element

        DEFAULT_ELEMENTS = tuple(Element.from_Z(z).symbol for z in range(1, 104))
    return DEFAULT_ELEMENTS


def to_composition(item: Any):
    """One composition as a pymatgen ``Composition`` (from a Composition, dict or formula).

    Raises ``ValueError`` naming an unknown element, a negative or non-finite amount, or an
    empty composition.
    """
    from pymatgen.core import Composition
    from pymatgen.core.periodic_table import Element

    if item is None or (isinstance(item, float) and np.isnan(item)):
        raise ValueError("composition is missing (None/NaN)")
    if isinstance(item, Composition):
        amounts = {str(el): float(x) for el, x in item.get_el_amt_dict().items()}
    elif isinstance(item, Mapping):
        amounts = {}
        for el, x in item.items():
            symbol = str(el)
            amounts[symbol] = amounts.get(symbol, 0.0) + float(x)
    elif isinstance(item, str):
        try:
            comp = Composition(item)
        except Exception as exc:  # pymatgen raises several kinds
            raise ValueError(f"cannot parse formula {item!r}: {exc}") from exc
        amounts = {str(el): float(x) for el, x in comp.get_el_amt_dict().items()}
    else:
        raise ValueError(f"not a composition: {item!r} (type {type(item).__name__})")
    for symbol, x in amounts.items():
        if not Element.is_valid_symbol(symbol):
            raise ValueError(f"unknown element {symbol!r} in composition {item!r}")
        if not np.isfinite(x) or x < 0:
            raise ValueError(f"amount of {symbol} is {x} in composition {item!r}; must be >= 0")
    amounts = {el: x for el, x in amounts.items() if x > 0}
    if not amounts:
        raise ValueError(f"empty composition {item!r}")
    return Composition(amounts)


def _canonical(comp) -> str:
    """Order-independent text of a composition (atomic fractions, 6 decimals) for keys."""
    frac = comp.fractional_composition.get_el_amt_dict()
    return " ".join(f"{el}{frac[el]:.6f}" for el in sorted(frac))


def _as_compositions(compositions: Iterable[Any]) -> list:
    if isinstance(compositions, (str, Mapping)):
        raise ValueError("pass a sequence of compositions, not a single composition")
    out = []
    for i, item in enumerate(compositions):
        try:
            out.append(to_composition(item))
        except ValueError as exc:
            raise ValueError(f"composition #{i}: {exc}") from exc
    if not out:
        raise ValueError("no compositions given")
    return out


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

    comps = _as_compositions(compositions)
    canon = [_canonical(c) for c in comps]
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


def fraction_features(
    compositions: Iterable[Any],
    *,
    elements: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Atomic fractions (rows sum to 1) over a fixed element list (default H ... Lr, Z = 1-103).

    Raises ``ValueError`` naming an element of a composition that is not in ``elements``.
    """
    from pymatgen.core.periodic_table import Element

    cols = list(elements) if elements is not None else list(_default_elements())
    for el in cols:
        if not Element.is_valid_symbol(el):
            raise ValueError(f"unknown element {el!r} in the element list")
    if len(set(cols)) != len(cols):
        raise ValueError("the element list has duplicates")
    position = {el: j for j, el in enumerate(cols)}
    comps = _as_compositions(compositions)
    out = np.zeros((len(comps), len(cols)), dtype=float)
    for i, comp in enumerate(comps):
        frac = comp.fractional_composition.get_el_amt_dict()
        for el, x in frac.items():
            if el not in position:
                raise ValueError(
                    f"element {el!r} of composition #{i} ({comp.formula}) is not in the element list"
                )
            out[i, position[el]] = x
    return pd.DataFrame(out, columns=cols)


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
    (:func:`fraction_features`, columns prefixed ``frac_``) are appended. The review does not
    say which elemental statistics Zhang et al. used, so this is a Magpie-style stand-in.
    """
    comps = _as_compositions(compositions)
    frame = magpie_features(comps, cache=cache, progress=progress)
    if include_fractions:
        frac = fraction_features(comps, elements=elements).add_prefix("frac_")
        frame = pd.concat([frame, frac], axis=1)
    return frame
