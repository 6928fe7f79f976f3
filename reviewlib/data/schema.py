"""Physical ranges of the numeric columns of user tables, declared once.

:data:`QUANTITIES` is the one place that states, for each numeric column a user's table may hold
(hydride CSV of notebooks 04-06, SuperCon-style ``name, Tc`` tables, the Tc table of a CIF folder),
its unit, its physical range and the fix to suggest when a value is outside. The loaders
(:func:`reviewlib.data.hydride_table.load_user_hydrides`, ``reviewlib.data._util.read_tc_table``) check
every value with :func:`check_value`; the Data page lists the table (:func:`ranges_table`).

The ranges are wide on purpose: they catch unit slips (kbar for GPa), swapped columns and typos,
not unusual physics. The registry datasets are not checked at load time (they are pinned files);
``tests/test_loader_schemas.py`` checks that their columns of these names fit, and lists the
registry rows that do not (the Osaka table's SiH4 and ArH_n predictions at 610-2,000 GPa).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

__all__ = ["QUANTITIES", "Quantity", "RangeError", "check_value", "ranges_table", "space_group_number"]


class RangeError(ValueError):
    """A value outside its quantity's range; ``side`` is ``"above"`` or ``"below"``."""

    def __init__(self, message: str, *, side: str):
        super().__init__(message)
        self.side = side


@dataclass(frozen=True)
class Quantity:
    """A numeric column of user tables: unit, closed range ``[low, high]`` and the fixes to suggest.

    ``above`` / ``below``: the fix shown for a value above / below the range. ``example``: a
    typical value, shown in the error for text that is not a number. ``integer``: only whole numbers.
    ``space_group``: a Hermann-Mauguin symbol (``Fm-3m``) is accepted too and turned into its
    number.
    """

    column: str
    label: str
    unit: str
    low: float
    high: float
    description: str
    example: str
    above: str = ""
    below: str = ""
    integer: bool = False
    space_group: bool = False

    @property
    def range_text(self) -> str:
        """The range as text, e.g. ``0-600 GPa``."""
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.low:g}-{self.high:g}{unit}"


QUANTITIES: dict[str, Quantity] = {
    q.column: q
    for q in (
        Quantity(
            column="pressure_GPa",
            label="pressure",
            unit="GPa",
            low=0.0,
            high=600.0,
            description="pressure of the structure / calculation (0 = ambient)",
            example="170",
            above="is this kbar? divide by 10 (1 GPa = 10 kbar)",
            below="give the pressure in GPa, 0 for ambient",
        ),
        Quantity(
            column="tc_K",
            label="Tc",
            unit="K",
            low=0.0,
            high=400.0,
            description="superconducting critical temperature (0 = not superconducting)",
            example="12.0",
            above="no superconductor is known or predicted near this; is the column in another unit?",
            below="give Tc in K as a plain number (0 for not superconducting; from degrees C add 273.15)",
        ),
        Quantity(
            column="mu_star",
            label="mu*",
            unit="",
            low=0.0,
            high=0.3,
            description="Coulomb pseudopotential mu* (usually 0.10-0.16)",
            example="0.13",
            above="mu* is a small dimensionless number (0.10-0.16 usually): is this lambda, or a percentage?",
            below="mu* cannot be negative; leave it blank when unknown",
        ),
        Quantity(
            column="space_group",
            label="space group",
            unit="",
            low=1,
            high=230,
            description="space-group number 1-230, or a Hermann-Mauguin symbol such as Fm-3m",
            example="225",
            above="give the space-group number 1-230 or a Hermann-Mauguin symbol such as Fm-3m or P6_3/mmc",
            below="give the space-group number 1-230 or a Hermann-Mauguin symbol such as Fm-3m or P6_3/mmc",
            integer=True,
            space_group=True,
        ),
    )
}


@cache
def space_group_number(symbol: str) -> int | None:
    """Number (1-230) of a Hermann-Mauguin symbol (``Fm-3m``, ``P6_3/mmc``, ``F m -3 m``), else None.

    Uses pymatgen's space-group tables (:class:`pymatgen.symmetry.groups.SpaceGroup`), which also
    take settings such as ``R-3m:H``.
    """
    from pymatgen.symmetry.groups import SpaceGroup

    try:
        return int(SpaceGroup(symbol.strip()).int_number)
    except Exception:  # noqa: BLE001 - pymatgen raises ValueError/KeyError for unknown symbols
        return None


def check_value(quantity: str, text: object, *, where: str) -> float:
    """The value of one cell of a user table, checked against :data:`QUANTITIES` ``[quantity]``.

    Args:
        quantity: key of :data:`QUANTITIES` (``"pressure_GPa"``, ``"tc_K"``, ...).
        text: the cell as read (a string; surrounding spaces are ignored).
        where: names the cell in the error, e.g. ``"mine.csv: line 4, column 'P'"``.

    Returns:
        The value as a float in the quantity's unit (a space group as its number).

    Raises:
        ValueError: ``"<where>: <why>; <fix>"`` for an empty cell, text that is not a plain number
            (never NaN), a value that is not finite or (``integer``) not whole; :class:`RangeError`
            (a ``ValueError``) for a value outside the range.
    """
    q = QUANTITIES[quantity]
    raw = str(text).strip()
    if not raw:
        raise ValueError(f"{where}: empty; give {q.label} ({q.range_text}) as a plain number")
    try:
        value = float(raw)
    except ValueError:
        number = space_group_number(raw) if q.space_group else None
        if number is not None:
            return float(number)
        what = "neither a number nor a Hermann-Mauguin symbol" if q.space_group else "not a number"
        unit = f" in {q.unit}" if q.unit else ""
        raise ValueError(
            f"{where}: {raw!r} is {what}; give {q.label}{unit} as a plain number such as "
            f"{q.example}, without a unit"
            + (" (or a Hermann-Mauguin symbol such as Fm-3m)" if q.space_group else "")
        ) from None
    if not math.isfinite(value):
        raise ValueError(
            f"{where}: {raw!r} is not finite; {q.label} must be a finite number in {q.range_text}"
        )
    if value < q.low or value > q.high:
        if value < 0 <= q.low:
            why = f"{raw!r} is negative; {q.label} must be a non-negative number in {q.range_text}"
        else:
            why = f"{raw!r} is outside {q.range_text} ({q.label})"
        fix = q.above if value > q.high else q.below
        raise RangeError(
            f"{where}: {why}" + (f"; {fix}" if fix else ""), side="above" if value > q.high else "below"
        )
    if q.integer and value != int(value):
        raise ValueError(f"{where}: {raw!r} is not a whole number; {q.label} must be one of {q.range_text}")
    return value


def ranges_table() -> list[list[str]]:
    """Rows ``[column, unit, range, meaning, fix suggested above the range]`` for the Data page."""
    return [[q.column, q.unit, f"{q.low:g}-{q.high:g}", q.description, q.above] for q in QUANTITIES.values()]
