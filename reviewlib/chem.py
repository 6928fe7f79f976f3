"""Chemistry helpers shared by the whole package: formulas, element checks, composition keys.

One implementation of each job (loaders, features, models and the milestone code all call these):

* :func:`parse_formula` -- a formula string (or ``{element: amount}`` mapping, or pymatgen
  ``Composition``) into a pymatgen ``Composition`` under the project's rules
  (:func:`formula_amounts` gives the checked amounts with the symbols as written);
* :func:`parse_formulas` / :func:`try_parse_formulas` -- many at once (raise on the first bad
  item, or keep going and collect the error texts, as the loaders do);
* :func:`check_elements` -- refuse symbols pymatgen does not know (placeholders such as ``X``);
* :func:`composition_key` and :func:`chemical_system_key` -- text keys for deduplication and for
  grouped cross-validation;
* :func:`element_columns` and :func:`element_fraction_columns` -- table columns derived from
  compositions.

Formula rules: element symbols (``Element.is_valid_symbol``; ``D`` and ``T`` count as hydrogen
isotopes, as in pymatgen) each followed by an optional non-negative decimal amount (``2``,
``0.5``, ``.5``); with ``brackets=True`` (the default) groups in ``()`` or ``[]`` with an
optional multiplier, nested. Nothing else: no charges, spaces, hydrate dots, ``+x``/``-d``
placeholders or trailing characters. Amounts of zero are dropped; a formula with no positive
amount is refused. Every error is a ``ValueError`` whose text starts with ``where`` (a file and
row, for example) when given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = [
    "chemical_system_key",
    "check_elements",
    "composition_key",
    "default_elements",
    "element_columns",
    "element_fraction_columns",
    "formula_amounts",
    "parse_formula",
    "parse_formulas",
    "try_parse_formulas",
]

_SYMBOL_AMOUNT = re.compile(r"([A-Z][a-z]?)(\d+(?:\.\d+)?|\.\d+)?")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_CLOSE = {"(": ")", "[": "]"}
_DEFAULT_ELEMENTS: tuple[str, ...] = ()


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""


_VALID_SYMBOLS: frozenset[str] = frozenset()


def _is_valid_symbol(symbol: str) -> bool:
    """``Element.is_valid_symbol`` (symbols of pymatgen's ``Element``, incl. D and T), memoised."""
    global _VALID_SYMBOLS
    if not _VALID_SYMBOLS:
        from pymatgen.core.periodic_table import Element

        _VALID_SYMBOLS = frozenset(Element.__members__)
    return symbol in _VALID_SYMBOLS


def default_elements() -> tuple[str, ...]:
    """Element symbols of Z = 1 ... 103 (H ... Lr), the default column list of fraction tables."""
    global _DEFAULT_ELEMENTS
    if not _DEFAULT_ELEMENTS:
        from pymatgen.core.periodic_table import Element

        _DEFAULT_ELEMENTS = tuple(Element.from_Z(z).symbol for z in range(1, 104))
    return _DEFAULT_ELEMENTS


def _parse_text(text: str, *, formula: str, brackets: bool, where: str) -> dict[str, float]:
    """``{symbol: amount}`` of a formula string (amounts summed over repeats and groups)."""
    amounts: dict[str, float] = {}
    stack: list[tuple[str, dict[str, float]]] = []  # (opening bracket, amounts outside it)
    pos = 0

    def fail(at: int) -> ValueError:
        return ValueError(f"{_prefix(where)}cannot parse formula {formula!r} at {text[at:]!r}")

    while pos < len(text):
        char = text[pos]
        if brackets and char in _CLOSE:
            stack.append((char, amounts))
            amounts = {}
            pos += 1
            continue
        if brackets and char in _CLOSE.values():
            if not stack or _CLOSE[stack[-1][0]] != char or not amounts:
                raise fail(pos)
            _, outer = stack.pop()
            match = _AMOUNT.match(text, pos + 1)
            factor = float(match.group()) if match else 1.0
            for symbol, x in amounts.items():
                outer[symbol] = outer.get(symbol, 0.0) + factor * x
            amounts = outer
            pos = match.end() if match else pos + 1
            continue
        match = _SYMBOL_AMOUNT.match(text, pos)
        if match is None:
            raise fail(pos)
        symbol, amount = match.group(1), match.group(2)
        if not _is_valid_symbol(symbol):
            raise ValueError(f"{_prefix(where)}unknown element {symbol!r} in formula {formula!r}")
        amounts[symbol] = amounts.get(symbol, 0.0) + (float(amount) if amount else 1.0)
        pos = match.end()
    if stack:
        raise ValueError(f"{_prefix(where)}cannot parse formula {formula!r}: unclosed {stack[-1][0]!r}")
    if not amounts:
        raise fail(pos)
    return amounts


def formula_amounts(formula: Any, *, where: str = "", brackets: bool = True) -> dict[str, float]:
    """``{symbol: amount}`` of a formula under the project's rules, symbols as written.

    The checked amounts behind :func:`parse_formula` (same arguments and errors). Unlike a
    ``Composition``, which files deuterium and tritium under ``H``, ``D`` and ``T`` stay as
    written (3DSC's SuperCon keys keep them apart). Zero amounts are dropped.
    """
    from pymatgen.core import Composition

    if formula is None or (isinstance(formula, float) and math.isnan(formula)):
        raise ValueError(f"{_prefix(where)}composition is missing (None/NaN)")
    if isinstance(formula, Composition):
        amounts = {str(el): float(x) for el, x in formula.get_el_amt_dict().items()}
    elif isinstance(formula, Mapping):
        amounts = {}
        for el, x in formula.items():
            amounts[str(el)] = amounts.get(str(el), 0.0) + float(x)
    elif isinstance(formula, str):
        amounts = _parse_text(formula.strip(), formula=formula, brackets=brackets, where=where)
    else:
        raise ValueError(f"{_prefix(where)}not a composition: {formula!r} (type {type(formula).__name__})")
    for symbol, x in amounts.items():
        if not _is_valid_symbol(symbol):
            raise ValueError(f"{_prefix(where)}unknown element {symbol!r} in composition {formula!r}")
        if not math.isfinite(x) or x < 0:
            raise ValueError(
                f"{_prefix(where)}amount of {symbol} is {x} in composition {formula!r}; must be >= 0"
            )
    amounts = {el: x for el, x in amounts.items() if x > 0}
    if not amounts:
        raise ValueError(f"{_prefix(where)}empty composition {formula!r} (no element with a positive amount)")
    return amounts


def parse_formula(formula: Any, *, where: str = "", brackets: bool = True):
    """One composition as a pymatgen ``Composition`` under the project's formula rules.

    Args:
        formula: A formula string (``"La2CuO4"``, ``"Ba(Fe0.9Co0.1)2As2"``), an
            ``{element: amount}`` mapping (amounts in atoms per formula unit) or a ``Composition``.
        where: Names the source in error messages (e.g. ``"table.csv line 12"``).
        brackets: Allow ``()``/``[]`` groups in strings; ``False`` accepts only plain
            element-amount sequences (SuperCon names, as 3DSC parses them).

    Raises:
        ValueError: for a missing value, an unknown element, a negative or non-finite amount, text
            that is not a formula, or a composition with no positive amount.
    """
    from pymatgen.core import Composition

    return Composition(formula_amounts(formula, where=where, brackets=brackets))


def parse_formulas(formulas: Iterable[Any], *, where: str = "", brackets: bool = True) -> list:
    """:func:`parse_formula` for each item; the first bad item raises naming its position (``#i``)."""
    if isinstance(formulas, (str, Mapping)):
        raise ValueError(f"{_prefix(where)}pass a sequence of compositions, not a single composition")
    out = []
    for i, item in enumerate(formulas):
        out.append(parse_formula(item, where=f"{_prefix(where)}composition #{i}".rstrip(), brackets=brackets))
    if not out:
        raise ValueError(f"{_prefix(where)}no compositions given")
    return out


def try_parse_formulas(
    formulas: Iterable[Any], *, where: str = "", brackets: bool = True
) -> tuple[list, list[str]]:
    """Parse every item, keeping going: (``Composition`` or None per item, error text or ``""``)."""
    comps, errors = [], []
    for item in formulas:
        try:
            comps.append(parse_formula(item, where=where, brackets=brackets))
            errors.append("")
        except ValueError as exc:
            comps.append(None)
            errors.append(str(exc))
    return comps, errors


def _symbol_of(item: Any) -> str | None:
    """Element symbol of a str/Element/Species, None for a placeholder (``DummySpecies``)."""
    if isinstance(item, str):
        return item
    if type(item).__name__ in ("DummySpecies", "DummySpecie"):
        return None
    element = getattr(item, "element", item)  # Species -> Element
    return getattr(element, "symbol", None)


def check_elements(symbols_or_composition: Any, *, where: str = "") -> tuple[str, ...]:
    """Sorted element symbols of a composition, structure or iterable of symbols/elements.

    Raises:
        ValueError: naming every unknown symbol or placeholder species (pymatgen turns unknown
            symbols in CIFs and formulas into ``DummySpecies`` such as ``X0+``), or when there is
            no element at all.
    """
    obj = symbols_or_composition
    if hasattr(obj, "composition") and not hasattr(obj, "get_el_amt_dict"):
        obj = obj.composition  # a Structure / Molecule
    items = list(obj.elements) if hasattr(obj, "get_el_amt_dict") else list(obj)
    if isinstance(obj, str):
        items = [obj]
    symbols, unknown = set(), []
    for item in items:
        symbol = _symbol_of(item)
        if symbol is None or not _is_valid_symbol(symbol):
            unknown.append(str(item))
        else:
            symbols.add(symbol)
    if unknown:
        raise ValueError(f"{_prefix(where)}unknown element(s) {', '.join(sorted(set(unknown)))}")
    if not symbols:
        raise ValueError(f"{_prefix(where)}no element")
    return tuple(sorted(symbols))


def composition_key(comp: Any, *, decimals: int = 3, percent: bool = False) -> str:
    """Order- and scale-independent key: elements alphabetically, each with its atomic fraction.

    ``Ba2Cu3O7`` and ``Ba4Cu6O14`` share the key ``Ba0.167Cu0.25O0.583``. Fractions (or atomic
    percent with ``percent=True``) are rounded to ``decimals`` and written without trailing zeros;
    element order and scale do not change the key, also at rounding ties (tested with hypothesis).
    ``comp`` is anything :func:`parse_formula` accepts; a mapping or string keeps ``D``/``T``
    apart from ``H`` (:func:`formula_amounts`), a ``Composition`` does not.
    """
    amounts = formula_amounts(comp)
    total = math.fsum(amounts.values())  # exactly rounded: the same total in any element order
    scale = 100.0 if percent else 1.0
    # snap to 12 decimals before rounding to ``decimals``: float noise from the order of the
    # elements or a scaling (Al15 of 48 atoms: 0.3125 or 0.31249999999999994) would otherwise
    # decide a tie, and the same composition would get two keys
    return "".join(
        f"{el}{round(round(scale * amounts[el] / total, 12), decimals):g}" for el in sorted(amounts)
    )


def chemical_system_key(comp: Any) -> str:
    """Chemical system: the sorted element symbols joined by ``-`` (``LaH10`` -> ``"H-La"``)."""
    from pymatgen.core import Composition

    if not isinstance(comp, Composition):
        comp = parse_formula(comp)
    return "-".join(sorted(comp.get_el_amt_dict()))


def element_columns(compositions: Sequence[Any]) -> pd.DataFrame:
    """Columns ``elements`` (sorted tuple of symbols), ``n_elements`` and ``has_H``.

    One row per composition (pymatgen ``Composition`` or structure); None gives ``()``, 0, False.
    """
    elements = [
        () if c is None else tuple(sorted(el.symbol for el in getattr(c, "composition", c).elements))
        for c in compositions
    ]
    return pd.DataFrame(
        {
            "elements": pd.Series(elements, dtype=object),
            "n_elements": [len(e) for e in elements],
            "has_H": ["H" in e for e in elements],
        }
    )


def element_fraction_columns(
    compositions: Iterable[Any], *, elements: Sequence[str] | None = None
) -> pd.DataFrame:
    """Atomic fractions (rows sum to 1) over a fixed element list (default H ... Lr, Z = 1-103).

    Raises:
        ValueError: naming an element of a composition that is not in ``elements``, an unknown
            element in ``elements`` or a duplicate there.
    """
    import numpy as np

    cols = list(elements) if elements is not None else list(default_elements())
    for el in cols:
        if not _is_valid_symbol(el):
            raise ValueError(f"unknown element {el!r} in the element list")
    if len(set(cols)) != len(cols):
        raise ValueError("the element list has duplicates")
    position = {el: j for j, el in enumerate(cols)}
    comps = parse_formulas(compositions)
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
