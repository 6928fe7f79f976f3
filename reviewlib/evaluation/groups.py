"""Group labels for grouped splits: one label per row, equal labels never straddle train and test.

========================  =====================================================================
``by``                    label
========================  =====================================================================
``composition``           normalised composition (atomic fractions rounded): Ba2Cu3O7 = Ba4Cu6O14
``compound``              the same key (a reduced formula: SH3 = S2H6); the hydride chapters' word
``chemical system``       sorted elements joined by ``-`` (all dopings of Ba-Cu-O-Y together)
``element``               the elements other than ``ignore`` (H): the partner of a binary hydride
``parent structure``      a given parent id (Materials Project id, prototype label), normalised
========================  =====================================================================

:func:`group_labels` dispatches by these names; each label depends on its own row only, so the
labels do not depend on the row order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


def composition_groups(
    compositions: Iterable[Any], *, decimals: int = 3, where: str = "composition #"
) -> np.ndarray:
    """Group label per composition: elements with atomic fractions rounded to ``decimals``.

    Rows with the same normalised composition (``Ba2Cu3O7`` and ``Ba4Cu6O14``) share a group, so
    a grouped split never puts the same material in training and test. A formula that does not
    parse raises ``ValueError`` naming ``f"{where}{i}"`` (0-based row ``i``).
    """
    from reviewlib.chem import composition_key, parse_formula

    out = [
        composition_key(parse_formula(item, where=f"{where}{i}"), decimals=decimals)
        for i, item in enumerate(compositions)
    ]
    return np.asarray(out, dtype=object)


def compound_groups(*, formulas, where: str = "row ") -> np.ndarray:
    """Group label per formula: the reduced, normalised formula (``ValueError`` naming the row).

    The same label as :func:`reviewlib.evaluation.groups.composition_groups` (3 decimals); the
    hydride chapters call it a compound.
    """
    return composition_groups(formulas, where=where)


def chemical_system_groups(compositions: Iterable[Any], *, where: str = "composition #") -> np.ndarray:
    """Group label per composition: its chemical system (sorted elements joined by ``-``).

    Coarser than :func:`reviewlib.evaluation.groups.composition_groups`: all doping levels of
    Ba-Cu-O-Y share a group.
    """
    from reviewlib.chem import chemical_system_key, parse_formula

    out = [
        chemical_system_key(parse_formula(item, where=f"{where}{i}")) for i, item in enumerate(compositions)
    ]
    return np.asarray(out, dtype=object)


def element_groups(
    compositions: Iterable[Any], *, ignore: Sequence[str] = ("H",), where: str = "composition #"
) -> np.ndarray:
    """Group label per composition: its elements other than ``ignore``, sorted, joined by ``-``.

    With the default (``ignore=("H",)``) a binary hydride is labelled by its partner element
    (``LaH10`` -> ``La``), so a split grouped by element holds out every hydride of an element.
    A composition made only of ignored elements raises ``ValueError``.
    """
    from reviewlib.chem import parse_formula

    skip = set(ignore)
    out = []
    for i, item in enumerate(compositions):
        comp = parse_formula(item, where=f"{where}{i}")
        els = sorted(str(el) for el in comp.elements if str(el) not in skip)
        if not els:
            raise ValueError(f"{where}{i}: {item!r} has no element outside {sorted(skip)}")
        out.append("-".join(els))
    return np.asarray(out, dtype=object)


def parent_structure_groups(parents: Iterable[Any], *, where: str = "row ") -> np.ndarray:
    """Group label per row from a parent-structure id (``mp-1234``, a prototype label...).

    Labels are stripped strings; a missing or empty id raises ``ValueError`` naming the row
    (fill it with the row's own id if it has no parent).
    """
    out = []
    for i, item in enumerate(parents):
        text = (
            "" if item is None or (isinstance(item, float) and not np.isfinite(item)) else str(item).strip()
        )
        if not text or text.lower() in ("nan", "none", "<na>"):
            raise ValueError(f"{where}{i}: missing parent-structure id")
        out.append(text)
    return np.asarray(out, dtype=object)


GROUPINGS = {
    "composition": composition_groups,
    "compound": lambda items, **kw: compound_groups(formulas=items, **kw),
    "chemical system": chemical_system_groups,
    "element": element_groups,
    "parent structure": parent_structure_groups,
}


def group_labels(by: str, items: Iterable[Any], **kwargs: Any) -> np.ndarray:
    """Group labels by one of :data:`GROUPINGS` (``"chemical system"``, ...); ``kwargs`` go to it."""
    key = by.removeprefix("grouped by ").strip()
    if key not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; choose from {sorted(GROUPINGS)}")
    return GROUPINGS[key](items, **kwargs)
