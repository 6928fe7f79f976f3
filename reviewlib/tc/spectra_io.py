"""Read Eliashberg spectral functions alpha2F(omega) from text files into a :class:`Spectrum`.

Format: whitespace-separated columns, the first the phonon frequency, the others alpha2F values
(one column per smearing in QE and EPW output). The file is read as UTF-8 with an optional
byte-order mark (``utf-8-sig``), so a BOM never turns the first data row into a header. Blank lines
and lines starting with ``#`` are skipped. Text lines whose first field is not a number are
accepted only *before* the numbers (the header block) or *after* them (a footer, e.g. EPW's
summary); a text line between data lines is an error. Rows at zero frequency are dropped:
alpha2F/omega is undefined there and alpha2F -> 0 as omega -> 0 physically (QE output starts at
omega = 0, sometimes with a small smearing tail).

Recognised formats (from the header block; ``column`` counts from 1 = first column after the
frequency):

==================================  ==========  =================================================
file (header)                       unit        alpha2F columns
==================================  ==========  =================================================
QE matdyn.x ``a2F.dosN``            Ry          1 = total, 2.. = per phonon mode; one file per
("frequencies in Rydberg")                      electronic smearing (choose the file)
QE lambda.x ``alpha2F.dat``         THz         one per electronic broadening listed in the
(a line ``# E(THz)`` + broadenings)             header (1 = first)
EPW ``prefix.a2f``                  meV         1..n, one per phonon smearing; the next n
("w[meV] a2f and integrated ...")               columns are the cumulative lambda(omega) and
                                                are refused
EPW ``prefix.a2f_iso``,             meV         every column
``prefix.a2f_proj`` ("w[meV] ...")
any other table                     see below   every column that is a spectrum (see below)
==================================  ==========  =================================================

How the frequency unit is found. There is no default unit.

1. ``units`` given (CLI ``--units``): it is used, always (``units_source`` "argument"). When the
   header seemed to say something else (another unit, or several), the file is read with a
   :class:`UnitOverrideWarning` naming what the header said.
2. Else a recognised format (table above) fixes the unit (``units_source`` "header").
3. Else the unit comes from the *header block* only: the text lines (``#`` comments and lines
   whose first field is not a number) before the first data row. Footer lines after the data are
   never read for the unit. In each header line, settings assignments ``key = number [unit]`` or
   ``key (unit) = number`` (also with ``:`` instead of ``=``) are deleted first: ``ecutwfc = 60
   Ry``, ``degauss=0.02Ry`` or ``Tc (K) = 16.5`` say nothing about the columns. The units named in
   what remains are collected: exactly one is used (``units_source`` "header"); more than one
   (``# E(THz) a2F, smearing 0.02 Ry``) or none is refused with a one-line ``ValueError`` naming
   the file, the lines and the options (``units=`` / ``--units``; ``omega_log`` for each unit is
   listed to help choose).

Spellings recognised (as whole words, so also ``(meV)``, ``[meV]``, ``in meV``, ``omega/meV``,
``omega_meV``): ``meV``; ``eV``; ``THz``; ``Ry``, ``Ryd``, ``Rydberg(s)``; ``cm-1``, ``cm^-1``,
``cm^{-1}``, ``cm**-1``, ``cm⁻¹``, ``cm$^{-1}$``, ``1/cm``, ``wavenumber(s)``; ``K`` only where it
is plainly a unit: ``(K)``, ``[K]``, ``in K``, ``omega/K``, ``w/K``, ``omega_K``, ``units: K``, or
``Kelvin``.

A ``units`` given for a file whose header states none (or another unit) is refused when omega_log
is then implausible (below 1 K or above 5,000 K): the message names the file, the omega_log
obtained and what the other units would give. A spectrum with lambda > 10 or omega_log outside
1..5,000 K from a header-stated unit is read with an :class:`ImplausibleSpectrumWarning` naming
the file.

Not a spectrum. An alpha2F column falls back toward zero at the high-frequency end of its grid.
A column whose value at the highest frequency is more than ``TAIL_FRACTION`` (1/2) of its maximum
is refused, with this rule in the message: a cumulative lambda(omega), flat or still rising at
the end of the grid, ends at its maximum (and is named as such when it never decreases); so does a
spectrum whose grid stops inside a phonon peak. The real QE and EPW layouts in ``tests/data/a2f``
end below 1 % of their maximum.

Use Gaussian phonon smearing in QE lambda.x (``ngaussq = 0``): Methfessel-Paxton smearing gives
negative alpha2F lobes, which are rejected.

Errors are ``ValueError`` naming the file (and the line where it applies) and the fix: no data,
ragged rows, non-numeric fields, a column out of range or not an alpha2F column, negative or
non-finite frequencies or alpha2F, frequencies not strictly increasing, alpha2F identically zero,
a column that is not a spectrum, no unit or more than one in the header, an implausible
omega_log with a given unit.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reviewlib.tc.eliashberg import Spectrum
from reviewlib.units import UNITS, to_kelvin

__all__ = ["UNITS", "A2FInfo", "ImplausibleSpectrumWarning", "UnitOverrideWarning", "read_a2f"]

#: Plausible range of omega_log (K) for a phonon spectrum; outside it the unit is likely wrong.
OMEGA_LOG_RANGE_K = (1.0, 5000.0)
#: Above this lambda a spectrum is read with a warning.
LAMBDA_MAX_PLAUSIBLE = 10.0
#: A column whose value at the highest frequency exceeds this fraction of its maximum is not alpha2F.
TAIL_FRACTION = 0.5


class ImplausibleSpectrumWarning(UserWarning):
    """A spectrum was read whose lambda or omega_log is physically implausible."""


class UnitOverrideWarning(UserWarning):
    """A ``units`` argument was used although the file's header seemed to state another unit."""


@dataclass(frozen=True)
class A2FInfo:
    """What :func:`read_a2f` found in a file.

    ``format``: "QE matdyn a2F.dos", "QE lambda.x alpha2F.dat", "EPW prefix.a2f", "EPW a2f_iso/proj"
    or "table". ``units``: the unit used; ``units_source``: "header" or "argument" (there is no
    default). ``column``: the alpha2F column read; ``a2f_columns``: the valid alpha2F columns.
    ``header_units``: the units the header named (empty when none; more than one when ambiguous).
    """

    path: str
    format: str
    units: str
    units_source: str
    column: int
    a2f_columns: tuple[int, ...]
    header_units: tuple[str, ...] = ()


_NOT_LETTER_BEFORE = r"(?<![A-Za-z])"
_NOT_WORD_AFTER = r"(?![A-Za-z0-9_\-])"
_UNIT_PATTERNS = {
    "meV": re.compile(_NOT_LETTER_BEFORE + r"(?i:meV)(?![A-Za-z])"),
    "eV": re.compile(_NOT_LETTER_BEFORE + r"eV(?![A-Za-z])"),
    "THz": re.compile(_NOT_LETTER_BEFORE + r"(?i:THz)(?![A-Za-z])"),
    "Ry": re.compile(_NOT_LETTER_BEFORE + r"(?:Ry|RY|Ryd|(?i:rydbergs?))(?![A-Za-z])"),
    "cm-1": re.compile(
        _NOT_LETTER_BEFORE + r"cm\s*\$?\s*(?:\^|\*\*)?\s*[{(]?\s*[-\u2212\u207b]\s*[1\u00b9](?![0-9])"
        r"|(?<![0-9.])1\s*/\s*cm(?![A-Za-z])"
        r"|(?i:wave\s*-?\s*numbers?)",
    ),
    "K": re.compile(
        r"[\[(]\s*K\s*[\])]"
        + r"|"
        + _NOT_LETTER_BEFORE
        + r"(?i:in)\s+K"
        + _NOT_WORD_AFTER
        + r"|/\s*K"
        + _NOT_WORD_AFTER
        + r"|(?i:omega|w|\u03c9|freq|frequency|energy|e|nu)_K"
        + _NOT_WORD_AFTER
        + r"|(?i:units?)\s*[:=]?\s*K"
        + _NOT_WORD_AFTER
        + r"|"
        + _NOT_LETTER_BEFORE
        + r"(?i:kelvins?)(?![A-Za-z])"
    ),
}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+)?"
#: A settings assignment ``key [(unit)] = number [unit]`` (or ``:``): deleted before looking for units.
_SETTING = re.compile(
    r"[A-Za-z_][\w.\-]*\s*(?:\([^)]*\)|\[[^\]]*\])?\s*[=:]\s*"
    + _NUMBER
    + r"(?:\s*[A-Za-z$][\w$^{}\-\u207b\u00b9]*)?"
)


#: QE lambda.x alpha2F.dat header: "# E(THz)" followed by the broadenings only.
_QE_LAMBDA_HEADER = re.compile(r"#?\s*E\s*\(\s*THz\s*\)(?:\s+" + _NUMBER + r")*\s*$")


def _is_number(token: str) -> bool:
    try:
        float(token.replace("D", "E").replace("d", "e"))
    except ValueError:
        return False
    return True


def _parse_rows(
    path: Path,
) -> tuple[list[tuple[int, list[float]]], list[tuple[int, str]], list[tuple[int, str]]]:
    """(line number, values) of every data row, and (line number, text) of the header and footer lines."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    rows: list[tuple[int, list[float]]] = []
    header: list[tuple[int, str]] = []
    footer: list[tuple[int, str]] = []
    footer_line = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            (footer if rows else header).append((number, line))
            continue
        tokens = line.split()
        if not _is_number(tokens[0]):
            if rows and not footer_line:
                footer_line = number  # text after the data: a footer starts here
            (footer if rows else header).append((number, line))
            continue
        if footer_line:
            raise ValueError(
                f"{path}: line {number}: data after the text line {footer_line} "
                f"(text is only allowed before or after the numbers)"
            )
        try:
            values = [float(t.replace("D", "E").replace("d", "e")) for t in tokens]
        except ValueError:
            raise ValueError(f"{path}: line {number}: non-numeric field in {line!r}") from None
        rows.append((number, values))
    if not rows:
        raise ValueError(f"{path}: no numeric data found (expected columns: frequency alpha2F ...)")
    return rows, header, footer


def _units_named(header: list[tuple[int, str]]) -> dict[str, list[int]]:
    """Unit -> the header lines naming it, after deleting settings assignments (module docstring)."""
    found: dict[str, list[int]] = {}
    for number, line in header:
        text = _SETTING.sub(" ", line)
        for unit, pattern in _UNIT_PATTERNS.items():
            if pattern.search(text):
                found.setdefault(unit, []).append(number)
    return found


def _detect(path: Path, header: list[tuple[int, str]], width: int) -> tuple[str, str | None, tuple]:
    """(format name, unit fixed by the format or None, valid alpha2F columns)."""
    head = "\n".join(line for _, line in header)
    every = range(1, width)
    if re.search(r"w\s*\[meV\]\s*a2f and integrated", head, re.IGNORECASE):
        if (width - 1) % 2:
            raise ValueError(
                f"{path}: EPW prefix.a2f file with {width} columns; expected 1 + 2n "
                "(frequency, n alpha2F columns, n cumulative lambda columns)"
            )
        return "EPW prefix.a2f", "meV", tuple(range(1, (width - 1) // 2 + 1))
    if re.search(r"w\s*\[meV\]", head, re.IGNORECASE):
        return "EPW a2f_iso/a2f_proj", "meV", tuple(every)
    if re.search(r"frequencies in rydberg", head, re.IGNORECASE):
        return "QE matdyn a2F.dos", "Ry", tuple(every)
    if any(_QE_LAMBDA_HEADER.match(line) for _, line in header):
        return "QE lambda.x alpha2F.dat", "THz", tuple(every)
    return "table", None, tuple(every)


def _where(found: dict[str, list[int]]) -> str:
    return ", ".join(f"{unit} (line {', '.join(map(str, lines))})" for unit, lines in found.items())


def _omega_log_per_unit(omega: np.ndarray, a2f: np.ndarray, exclude: str | None = None) -> str:
    """'meV: 223.8 K, THz: ...': omega_log of the spectrum for each unit (to help choose one)."""
    try:
        wlog = Spectrum.from_arrays(omega, a2f, units="K").omega_log_K
    except ValueError:
        return ""
    return ", ".join(f"{u}: {wlog * float(to_kelvin(1.0, u)):.4g} K" for u in UNITS if u != exclude)


def _resolve_units(
    path: Path,
    fmt: str,
    format_unit: str | None,
    found: dict[str, list[int]],
    units: str | None,
    omega: np.ndarray,
    a2f: np.ndarray,
) -> tuple[str, str, tuple[str, ...]]:
    """(unit, source, units the header named) by the rule of the module docstring."""
    named = (format_unit,) if format_unit is not None else tuple(found)
    if units is not None:
        if named and named != (units,):
            said = f"{format_unit} ({fmt} format)" if format_unit is not None else _where(found)
            warnings.warn(
                f"{path}: frequencies read in {units} as given (units={units!r}, --units {units}); "
                f"the header seemed to say {said}",
                UnitOverrideWarning,
                stacklevel=3,
            )
        return units, "argument", named
    if len(named) == 1:
        return named[0], "header", named
    options = f"units= (CLI --units), one of {', '.join(UNITS)}"
    hint = _omega_log_per_unit(omega, a2f)
    if named:
        raise ValueError(
            f"{path}: the header names more than one frequency unit: {_where(found)}; state the unit "
            f"with {options} (omega_log would be {hint})"
        )
    raise ValueError(
        f"{path}: no frequency unit: the header (the text lines before the first data row) names none "
        f"and none was given; state it with {options}, or in the column header line, e.g. "
        f"'# omega(meV) a2F' (omega_log would be {hint})"
    )


def _check_spectrum_tail(path: Path, col: int, a2f: np.ndarray, lines: np.ndarray) -> None:
    """Refuse a column that does not fall back toward zero at the high-frequency end (TAIL_FRACTION)."""
    top = float(a2f.max())
    if a2f[-1] <= TAIL_FRACTION * top:
        return
    rising = bool(np.all(np.diff(a2f) >= 0))
    what = (
        "it rises monotonically to the end of the grid, like a cumulative lambda(omega)"
        if rising
        else "it has not fallen back toward zero at the highest frequency"
    )
    raise ValueError(
        f"{path}: line {lines[-1]}: column {col} is not an alpha2F spectrum: {what} (last value "
        f"{a2f[-1]:.4g} = {a2f[-1] / top:.0%} of its maximum {top:.4g}; an alpha2F column must end at "
        f"or below {TAIL_FRACTION:.0%} of its maximum). Choose the alpha2F column (column= / --column) "
        "or extend the grid past the highest phonon frequency"
    )


def _check_plausible(path: Path, spec: Spectrum, units: str, source: str, named: tuple[str, ...]) -> None:
    lo, hi = OMEGA_LOG_RANGE_K
    wlog = spec.omega_log_K
    if not lo <= wlog <= hi:
        if source != "header":
            per_unit = wlog / float(to_kelvin(1.0, units))
            others = ", ".join(
                f"{u}: {per_unit * float(to_kelvin(1.0, u)):.4g} K" for u in UNITS if u != units
            )
            said = f"the header says {', '.join(named)}" if named else "the header states no unit"
            raise ValueError(
                f"{path}: with frequencies in {units} (given; {said}) omega_log = {wlog:.4g} K, "
                f"implausible for phonons (expected {lo:g}..{hi:g} K). Check the unit (CLI --units, "
                f"Python units=; one of {', '.join(UNITS)}); omega_log would be {others}"
            )
        warnings.warn(
            f"{path}: omega_log = {wlog:.4g} K with frequencies in {units} (stated in the header) is "
            f"implausible for phonons (expected {lo:g}..{hi:g} K); check the file",
            ImplausibleSpectrumWarning,
            stacklevel=3,
        )
    if spec.lam > LAMBDA_MAX_PLAUSIBLE:
        warnings.warn(
            f"{path}: lambda = {spec.lam:.4g} > {LAMBDA_MAX_PLAUSIBLE:g} is implausible (the largest "
            "known are ~3-4); check the alpha2F column and its normalisation",
            ImplausibleSpectrumWarning,
            stacklevel=3,
        )


def read_a2f(
    path: str | Path, *, units: str | None = None, column: int | None = None, with_info: bool = False
) -> Spectrum | tuple[Spectrum, A2FInfo]:
    """Read an alpha2F file: frequency in the first column, alpha2F in ``column``.

    Args:
        path: the file (QE a2F.dos*, QE lambda.x alpha2F.dat, EPW prefix.a2f / a2f_iso, or a table).
        units: frequency unit, one of :data:`UNITS`; it always wins (with a
            :class:`UnitOverrideWarning` when the header seemed to say otherwise). None (default):
            the unit of a recognised format, else the one unit the header block names; no unit or
            more than one is refused (see the module docstring: there is no default unit).
        column: alpha2F column, 1 = first after the frequency (default); must be an alpha2F
            column of the file's format (not EPW's cumulative lambda) and fall back toward zero at
            the high-frequency end.
        with_info: also return an :class:`A2FInfo` (format, unit used and where it came from).

    Returns:
        A :class:`reviewlib.tc.eliashberg.Spectrum` (omega in K), or ``(Spectrum, A2FInfo)``.
    """
    path = Path(path)
    if units is not None and units not in UNITS:
        raise ValueError(
            f"{path}: unknown frequency unit {units!r}; use one of {list(UNITS)} or None (header)"
        )
    col = 1 if column is None else column
    if isinstance(col, bool) or not isinstance(col, int | np.integer) or col < 1:
        raise ValueError(f"{path}: column must be an integer >= 1 (0 is the frequency), got {column!r}")
    rows, header, _footer = _parse_rows(path)
    width = len(rows[0][1])
    for number, values in rows:
        if len(values) != width:
            raise ValueError(
                f"{path}: line {number}: {len(values)} columns, expected {width} as on line {rows[0][0]}"
            )
    if width < 2:
        raise ValueError(f"{path}: only one column; expected frequency and alpha2F")
    fmt, format_unit, a2f_cols = _detect(path, header, width)
    if col >= width:
        raise ValueError(
            f"{path}: column {col} requested but the file ({fmt}) has alpha2F columns "
            f"{a2f_cols[0]}..{a2f_cols[-1]}"
        )
    if col not in a2f_cols:
        n = len(a2f_cols)
        raise ValueError(
            f"{path}: column {col} of this {fmt} file is the cumulative lambda(omega) of smearing "
            f"{col - n}, not alpha2F; the alpha2F columns are 1..{n}"
        )
    data = np.array([values for _, values in rows], dtype=float)
    lines = np.array([number for number, _ in rows])
    omega, a2f = data[:, 0], data[:, col]
    for name, arr in (("frequency", omega), ("alpha2F", a2f)):
        bad = ~np.isfinite(arr)
        if bad.any():
            raise ValueError(f"{path}: line {lines[bad][0]}: non-finite {name} ({arr[bad][0]})")
        neg = arr < 0
        if neg.any():
            raise ValueError(
                f"{path}: line {lines[neg][0]}: negative {name} ({arr[neg][0]:g}); "
                f"{'imaginary modes are not allowed' if name == 'frequency' else 'alpha2F must be >= 0'}"
            )
    zero = omega == 0  # alpha2F/omega is undefined there; physically alpha2F -> 0 as omega -> 0
    omega, a2f, lines = omega[~zero], a2f[~zero], lines[~zero]
    if omega.size < 2:
        raise ValueError(f"{path}: fewer than two rows at positive frequency")
    step = np.diff(omega)
    if np.any(step <= 0):
        i = int(np.argmax(step <= 0)) + 1
        raise ValueError(f"{path}: line {lines[i]}: frequencies must be strictly increasing")
    if not np.any(a2f > 0):
        raise ValueError(f"{path}: alpha2F column {col} is zero everywhere")
    _check_spectrum_tail(path, col, a2f, lines)
    found = _units_named(header) if format_unit is None else {}
    unit, source, named = _resolve_units(path, fmt, format_unit, found, units, omega, a2f)
    try:
        spec = Spectrum.from_arrays(omega, a2f, units=unit)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc
    _check_plausible(path, spec, unit, source, named)
    if with_info:
        return spec, A2FInfo(str(path), fmt, unit, source, col, a2f_cols, named)
    return spec
