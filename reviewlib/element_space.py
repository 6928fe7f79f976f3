"""How many elements, and how many chemical systems with hydrogen, under stated conventions.

The review (§2.6) counts "83 non-radioactive elements that can combine with H", 6,723 ternary and
5.5 x 10^5 quaternary combinations, without saying how it counted. These helpers make every
convention explicit so a chapter can show which one, if any, gives the review's numbers.

Facts used: Tc (Z = 43) and Pm (Z = 61) have no stable isotope; every element with Z >= 84 is
radioactive; Bi (Z = 83) has one primordial isotope, 209Bi, alpha-radioactive with a half-life of
about 2 x 10^19 years, so "stable" lists stop at Pb (Z = 82) or include Bi as practically stable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

NO_STABLE_ISOTOPE_BELOW_BI = (43, 61)
"""Atomic numbers below Bi without a stable isotope: Tc and Pm."""

BI = 83


def element_numbers(
    *, z_max: int = BI, exclude: Iterable[int] = (), include_hydrogen: bool = True
) -> list[int]:
    """Atomic numbers 1..``z_max`` without ``exclude`` (and without H if ``include_hydrogen`` is False).

    ``element_numbers()`` is Z <= 83, the count that gives 83; ``exclude=NO_STABLE_ISOTOPE_BELOW_BI``
    drops Tc and Pm.
    """
    if z_max < 1:
        raise ValueError(f"z_max must be >= 1, got {z_max}")
    dropped = set(exclude) | (set() if include_hydrogen else {1})
    return [z for z in range(1, z_max + 1) if z not in dropped]


def n_combinations(n: int, k: int, *, ordered: bool, repeats: bool) -> int:
    """Number of ways to pick ``k`` partner elements out of ``n``.

    ``ordered`` counts (A, B) and (B, A) as different; ``repeats`` allows A = A. The four cases are
    n!/(n-k)! (ordered, distinct), n^k (ordered, repeats), C(n, k) (unordered, distinct) and
    C(n + k - 1, k) (unordered, repeats: multisets).
    """
    if n < 0 or k < 0:
        raise ValueError(f"n and k must be >= 0, got n={n}, k={k}")
    if ordered:
        return n**k if repeats else math.perm(n, k)
    return math.comb(n + k - 1, k) if repeats else math.comb(n, k)


def convention_table(partner_counts: dict[str, int], *, k_values: Iterable[int] = (2, 3)) -> list[dict]:
    """One row per (partner-count convention, ordered, repeats) with the count for each ``k``.

    ``partner_counts`` maps a label ("83 partners: Z <= 83 without H") to the number of elements
    that can join H. A ternary system with H has k = 2 partners, a quaternary k = 3.
    """
    rows = []
    for label, n in partner_counts.items():
        for ordered in (True, False):
            for repeats in (False, True):
                row = {"partners": label, "n": n, "ordered": ordered, "repeats": repeats}
                for k in k_values:
                    row[f"k={k}"] = n_combinations(n, k, ordered=ordered, repeats=repeats)
                rows.append(row)
    return rows
