"""Read Eliashberg spectral functions alpha2F(omega) from text files into a :class:`Spectrum`.

Format: whitespace-separated columns, the first the phonon frequency, the others alpha2F values
(one column per smearing in QE and EPW output). Blank lines and lines starting with ``#`` are
skipped. Text lines whose first field is not a number are accepted only *before* the numbers
(a header) or *after* them (a footer, e.g. EPW's summary); a text line between data lines is an
error. Rows at zero frequency are dropped: alpha2F/omega is undefined there and alpha2F -> 0 as
omega -> 0 physically (QE output starts at omega = 0, sometimes with a small smearing tail).

Recognised formats (from the header; ``column`` counts from 1 = first column after the frequency):

==================================  ==========  =================================================
file (header)                       unit        alpha2F columns
==================================  ==========  =================================================
QE matdyn.x ``a2F.dosN``            Ry          1 = total, 2.. = per phonon mode; one file per
("frequencies in Rydberg")                      electronic smearing (choose the file)
QE lambda.x ``alpha2F.dat``         THz         one per electronic broadening listed in the
(``# E(THz)`` + broadenings)                    header (1 = first)
EPW ``prefix.a2f``                  meV         1..n, one per phonon smearing; the next n
("w[meV] a2f and integrated ...")               columns are the cumulative lambda(omega) and
                                                are refused
EPW ``prefix.a2f_iso``,             meV         every column
``prefix.a2f_proj`` ("w[meV] ...")
any other table                     see below   every column except one that looks like a
                                                cumulative lambda (non-decreasing to a plateau)
==================================  ==========  =================================================

How the frequency unit is found (``units=None``, the default): the unit the header states
("Rydberg"/"Ry", "THz", "meV", "cm-1", "(K)"); a ``units`` argument that contradicts it is
refused with a message naming both. When the header states no unit, ``units`` (or meV if None)
is used, and the file is refused when omega_log is implausible for that unit (below 1 K or
above 5,000 K): the message names the file, the omega_log obtained and what the other units
would give. A spectrum with lambda > 10 or omega_log outside 1..5,000 K from a header-stated
unit is read with an :class:`ImplausibleSpectrumWarning` naming the file.

Use Gaussian phonon smearing in QE lambda.x (``ngaussq = 0``): Methfessel-Paxton smearing gives
negative alpha2F lobes, which are rejected.

Errors are ``ValueError`` naming the file (and the line where it applies): no data, ragged rows,
non-numeric fields, a column out of range or not an alpha2F column, negative or non-finite
frequencies or alpha2F, frequencies not strictly increasing, alpha2F identically zero, an
implausible or contradicted unit.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reviewlib.tc.eliashberg import Spectrum
from reviewlib.units import UNITS, to_kelvin

__all__ = ["UNITS", "A2FInfo", "ImplausibleSpectrumWarning", "read_a2f"]

#: Plausible range of omega_log (K) for a phonon spectrum; outside it the unit is likely wrong.
OMEGA_LOG_RANGE_K = (1.0, 5000.0)
#: Above this lambda a spectrum is read with a warning.
LAMBDA_MAX_PLAUSIBLE = 10.0
#: Unit assumed when neither the header nor the caller states one.
DEFAULT_UNITS = "meV"


class ImplausibleSpectrumWarning(UserWarning):
    """A spectrum was read whose lambda or omega_log is physically implausible."""


@dataclass(frozen=True)
class A2FInfo:
    """What :func:`read_a2f` found in a file.

    ``format``: "QE matdyn a2F.dos", "QE lambda.x alpha2F.dat", "EPW prefix.a2f", "EPW a2f_iso/proj"
    or "table". ``units``: the unit used; ``units_source``: "header", "argument" or "default".
    ``column``: the alpha2F column read; ``a2f_columns``: the valid alpha2F columns.
    """

    path: str
    format: str
    units: str
    units_source: str
    column: int
    a2f_columns: tuple[int, ...]


_UNIT_PATTERNS = {
    "Ry": re.compile(r"rydberg|\bRy\b", re.IGNORECASE),
    "THz": re.compile(r"\bTHz\b", re.IGNORECASE),
    "meV": re.compile(r"\bmeV\b"),
    "cm-1": re.compile(r"cm\s*(\^|\*\*)?\s*\{?-1\}?|1/cm", re.IGNORECASE),
    "K": re.compile(r"[\[(]\s*K\s*[\])]|\bkelvin\b", re.IGNORECASE),
}


def _is_number(token: str) -> bool:
    try:
        float(token.replace("D", "E").replace("d", "e"))
    except ValueError:
        return False
    return True


def _parse_rows(path: Path) -> tuple[list[tuple[int, list[float]]], list[str], list[str]]:
    """(line number, values) of every data row, the header text lines and the footer text lines."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    rows: list[tuple[int, list[float]]] = []
    header: list[str] = []
    footer: list[str] = []
    footer_line = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            (footer if rows else header).append(line)
            continue
        tokens = line.split()
        if not _is_number(tokens[0]):
            if rows and not footer_line:
                footer_line = number  # text after the data: a footer starts here
            (footer if rows else header).append(line)
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


def _detect(path: Path, header: list[str], footer: list[str], width: int) -> tuple[str, str | None, tuple]:
    """(format name, unit stated by the file or None, valid alpha2F columns)."""
    head = "\n".join(header)
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
    if re.search(r"E\s*\(\s*THz\s*\)", head):
        return "QE lambda.x alpha2F.dat", "THz", tuple(every)
    text = "\n".join(header + footer)
    found = [unit for unit, pattern in _UNIT_PATTERNS.items() if pattern.search(text)]
    return "table", (found[0] if len(found) == 1 else None), tuple(every)


def _looks_cumulative(values: np.ndarray) -> bool:
    """Non-decreasing up to a plateau of at least 3 equal positive values: a lambda(omega) column."""
    if values.size < 10 or values[-1] <= 0 or np.any(np.diff(values) < 0):
        return False
    return bool(np.all(values[-3:] == values[-1]))


def _check_plausible(path: Path, spec: Spectrum, units: str, source: str) -> None:
    lo, hi = OMEGA_LOG_RANGE_K
    wlog = spec.omega_log_K
    if not lo <= wlog <= hi:
        if source != "header":
            per_unit = wlog / float(to_kelvin(1.0, units))
            others = ", ".join(
                f"{u}: {per_unit * float(to_kelvin(1.0, u)):.4g} K" for u in UNITS if u != units
            )
            raise ValueError(
                f"{path}: the file states no frequency unit and with {units} "
                f"({'given' if source == 'argument' else 'the default'}) omega_log = {wlog:.4g} K, "
                f"implausible for phonons (expected {lo:g}..{hi:g} K). State the unit (CLI --units, "
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
        units: frequency unit, one of :data:`UNITS`; None (default) = the unit the header states,
            else meV, refusing an implausible omega_log (see the module docstring). A unit that
            contradicts the header is refused.
        column: alpha2F column, 1 = first after the frequency (default); must be an alpha2F
            column of the file's format (not EPW's cumulative lambda).
        with_info: also return an :class:`A2FInfo` (format, unit used and where it came from).

    Returns:
        A :class:`reviewlib.tc.eliashberg.Spectrum` (omega in K), or ``(Spectrum, A2FInfo)``.
    """
    path = Path(path)
    if units is not None and units not in UNITS:
        raise ValueError(f"{path}: unknown frequency unit {units!r}; use one of {list(UNITS)} or None (auto)")
    col = 1 if column is None else column
    if isinstance(col, bool) or not isinstance(col, int | np.integer) or col < 1:
        raise ValueError(f"{path}: column must be an integer >= 1 (0 is the frequency), got {column!r}")
    rows, header, footer = _parse_rows(path)
    width = len(rows[0][1])
    for number, values in rows:
        if len(values) != width:
            raise ValueError(
                f"{path}: line {number}: {len(values)} columns, expected {width} as on line {rows[0][0]}"
            )
    if width < 2:
        raise ValueError(f"{path}: only one column; expected frequency and alpha2F")
    fmt, header_units, a2f_cols = _detect(path, header, footer, width)
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
    if header_units is not None:
        if units is not None and units != header_units:
            raise ValueError(
                f"{path}: the header states frequencies in {header_units} ({fmt}) but units={units!r} "
                f"(--units {units}) was given; drop the option or use {header_units}"
            )
        unit, source = header_units, "header"
    else:
        unit, source = (units, "argument") if units is not None else (DEFAULT_UNITS, "default")
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
    if fmt == "table" and _looks_cumulative(a2f):
        raise ValueError(
            f"{path}: column {col} rises monotonically to a plateau of {a2f[-1]:.4g}: it looks like a "
            "cumulative lambda(omega), not alpha2F; choose the alpha2F column"
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
    try:
        spec = Spectrum.from_arrays(omega, a2f, units=unit)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc
    _check_plausible(path, spec, unit, source)
    if with_info:
        return spec, A2FInfo(str(path), fmt, unit, source, col, a2f_cols)
    return spec
