"""Formula parsing for the hydride code: ``reviewlib.chem`` when present, else pymatgen directly.

``reviewlib.chem`` (branch ``data``) holds the project's rules (``parse_formula``,
``composition_key``); until it is merged this module applies the same checks with pymatgen.
"""

from __future__ import annotations

import warnings

try:  # pragma: no cover - depends on the merge order of the branches
    from reviewlib.chem import composition_key as _composition_key
    from reviewlib.chem import parse_formula as _parse_formula
except ImportError:  # pragma: no cover
    _parse_formula = None
    _composition_key = None


def parse_formula(formula, *, where: str = ""):
    """Pymatgen ``Composition`` of ``formula``; ``ValueError`` naming ``where`` when it is unusable.

    Unusable: empty, unparseable, an unknown element symbol, or a non-positive amount.
    """
    prefix = f"{where}: " if where else ""
    if _parse_formula is not None:
        return _parse_formula(formula, where=where)
    from pymatgen.core import Composition

    text = str(formula).strip() if formula is not None else ""
    if not text or text.lower() == "nan":
        raise ValueError(f"{prefix}empty formula")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            comp = Composition(text)
    except Exception as exc:
        raise ValueError(f"{prefix}formula {text!r} does not parse ({exc})") from exc
    if len(comp) == 0:
        raise ValueError(f"{prefix}formula {text!r} holds no element")
    unknown = [str(el) for el in comp.elements if type(el).__name__ != "Element"]
    if unknown:
        raise ValueError(f"{prefix}unknown element(s) {unknown} in {text!r}")
    if any(amt <= 0 for amt in comp.values()):
        raise ValueError(f"{prefix}formula {text!r} has a non-positive amount")
    return comp


def composition_key(comp) -> str:
    """Reduced, normalised formula (``H3S`` and ``S2H6`` give the same key)."""
    if _composition_key is not None:
        return _composition_key(comp)
    return comp.reduced_formula
