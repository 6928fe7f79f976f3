"""Read Eliashberg spectral functions alpha2F(omega) from text files into a :class:`Spectrum`.

Format: whitespace-separated columns, the first the phonon frequency, the others alpha2F values
(one column per smearing in QE and EPW output). Blank lines and lines starting with ``#`` are
skipped. Text lines whose first field is not a number are accepted only *before* the numbers
(a header) or *after* them (a footer, e.g. EPW's summary); a text line between data lines is an
error. Rows at zero frequency are dropped: alpha2F/omega is undefined there and alpha2F -> 0 as
omega -> 0 physically (QE output starts at omega = 0, sometimes with a small smearing tail).

Which options to use for common codes (check the header of your file; the unit is printed there):

* **Quantum ESPRESSO, matdyn.x** with ``la2F=.true., dos=.true.`` writes ``a2F.dos1`` ...
  ``a2F.dos10``, **one file per electronic smearing** (``el_ph_sigma``, ``el_ph_nsigma``). The
  header says "frequencies in Rydberg"; the first data column after the frequency is the total
  alpha2F, then the mode-resolved ones. Use ``units="Ry", column=1`` (CLI: ``--units Ry
  --column 1``) and choose the smearing by choosing the file.
* **Quantum ESPRESSO, lambda.x** writes ``alpha2F.dat`` with the frequency in **THz** (header
  ``# E(THz)`` followed by the broadenings) and **one column per electronic broadening**:
  ``units="THz"``, ``column`` = 1 for the first broadening listed in the header, 2 for the
  second, and so on. Use Gaussian phonon smearing (``ngaussq = 0``): Methfessel-Paxton smearing
  gives negative alpha2F lobes, which are rejected.
* **EPW** writes ``prefix.a2f`` (and ``prefix.a2f_iso``) with the frequency in **meV** and, after
  it, **one alpha2F column per phonon smearing** (``degaussq``, ``nqsmear`` values, 10 by
  default), followed in ``prefix.a2f`` by as many columns of the cumulative lambda(omega).
  The header is a ``#`` comment and the footer ("Integrated el-ph coupling", "Phonon smearing
  (meV)", ...) is text, both skipped. Use ``units="meV"`` and ``column`` between 1 and nqsmear
  (1 = the smallest smearing); a column beyond nqsmear would read the cumulative lambda instead.

Errors are ``ValueError`` naming the file (and the line where it applies): no data, ragged rows,
non-numeric fields, a column out of range, negative or non-finite frequencies or alpha2F,
frequencies not strictly increasing, alpha2F identically zero.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reviewlib.tc.eliashberg import Spectrum
from reviewlib.units import UNITS

__all__ = ["UNITS", "read_a2f"]

#: Frequency units accepted by :func:`read_a2f` (see :func:`reviewlib.units.to_kelvin`).


def _is_number(token: str) -> bool:
    try:
        float(token.replace("D", "E").replace("d", "e"))
    except ValueError:
        return False
    return True


def _parse_rows(path: Path) -> list[tuple[int, list[float]]]:
    """(line number, values) of every data row; header/footer text and comments dropped."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    rows: list[tuple[int, list[float]]] = []
    footer_line = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tokens = line.split()
        if not _is_number(tokens[0]):
            if rows and not footer_line:
                footer_line = number  # text after the data: a footer starts here
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
    return rows


def read_a2f(path: str | Path, *, units: str = "meV", column: int = 1) -> Spectrum:
    """Read an alpha2F file: frequency in ``units`` in the first column, alpha2F in ``column``.

    ``column`` counts from 0 = the frequency, so 1 is the first alpha2F column (the default).
    ``units`` is one of :data:`UNITS`. Returns a :class:`reviewlib.tc.eliashberg.Spectrum` (omega in
    K). See the module docstring for Quantum ESPRESSO and EPW files.
    """
    path = Path(path)
    if units not in UNITS:
        raise ValueError(f"{path}: unknown frequency unit {units!r}; use one of {list(UNITS)}")
    if isinstance(column, bool) or not isinstance(column, int | np.integer) or column < 1:
        raise ValueError(f"{path}: column must be an integer >= 1 (0 is the frequency), got {column!r}")
    rows = _parse_rows(path)
    width = len(rows[0][1])
    for number, values in rows:
        if len(values) != width:
            raise ValueError(
                f"{path}: line {number}: {len(values)} columns, expected {width} as on line {rows[0][0]}"
            )
    if width < 2:
        raise ValueError(f"{path}: only one column; expected frequency and alpha2F")
    if column >= width:
        raise ValueError(f"{path}: column {column} requested but the file has alpha2F columns 1..{width - 1}")
    data = np.array([values for _, values in rows], dtype=float)
    lines = np.array([number for number, _ in rows])
    omega, a2f = data[:, 0], data[:, column]
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
        raise ValueError(f"{path}: alpha2F column {column} is zero everywhere")
    try:
        return Spectrum.from_arrays(omega, a2f, units=units)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc
