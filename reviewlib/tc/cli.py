"""``reviewlib tc``: Tc of alpha2F files from McMillan, Allen-Dynes, Xie et al. and Eliashberg.

    reviewlib tc FILE [FILE ...] [--mu-star 0.10] [--units meV|THz|Ry|cm-1|K] [--column N]
                 [--mu-convention rescaled|fixed] [--cutoff X] [--json]
    python -m reviewlib.tc.cli FILE ...          (same options)

For each file: lambda, omega_log and omega_2 (K, Allen-Dynes moments) and Tc (K) from McMillan in
its ``omega_log/1.20`` form, Allen-Dynes (f1 f2), the Xie et al. (2022) formula and the isotropic
Eliashberg solver (:func:`reviewlib.tc.eliashberg.eliashberg_tc`). ``seconds`` is the wall time of
that file's Eliashberg solve alone (numba compilation is done once beforehand, untimed).
The file format and frequency unit come from the header block, the text lines before the first
data row (:func:`reviewlib.tc.spectra_io.read_a2f`); there is no default unit: a file whose header
names no unit, or more than one, is refused unless ``--units`` is given. ``--units`` always wins;
where the header seemed to say something else the file is read with a warning naming what the
header said, and an implausible omega_log (outside 1..5,000 K) with the given unit is refused.

Output: a table, or with ``--json`` one JSON object per input file, one per line, in input order
(keys file, format, units (the frequency unit used), units_source ("header" or "argument"),
header_units (the units the header named), column, lambda, omega_log_K, omega_2_K, omega_max_K
(the spectrum's extent: 1 - 1e-6 of lambda lies below it), matsubara_cutoff_K and n_matsubara
(at Tc), mu_star, mu_convention, tc_mcmillan_K, tc_allen_dynes_K, tc_xie_K, tc_xie_note,
tc_eliashberg_K, seconds, warnings). ``tc_xie_K`` is null (JSON) and marked ``n/a*`` in the table
where the Xie et al. formula is outside its domain (:func:`reviewlib.tc.formulas.xie_domain`);
``tc_xie_note`` then states why. Warnings (implausible lambda or omega_log, Xie domain) go to
stderr as ``FILE: warning: ...`` and into the JSON ``warnings`` list. The table's ``unit`` column
shows the unit used and where it came from, e.g. ``meV (header)`` or ``Ry (argument)``.

Errors: a file that cannot be read, is malformed, has a negative frequency or alpha2F, a column
that is not alpha2F (or not a spectrum: not falling back toward zero at the top of the grid), no
unit or more than one in the header and no ``--units``, an implausible omega_log with a given
unit, or ``lambda <= mu* (1 + 0.62 lambda)`` ("lambda too small": the closed-form formulas
have no solution) gets a one-line message ``FILE: error: ...`` on stderr. All files are still
processed; the exit status is 1 if any file failed, 2 for bad options, 0 otherwise. With ``--json``
a failed file's line is ``{"file": ..., "error": ...}`` so that lines still match the input order.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Sequence

from reviewlib.units import UNITS

__all__ = ["add_parser", "main", "run", "tc_of_file"]

_COLUMNS = [
    ("lambda", "lambda", "{:.3f}"),
    ("omega_log_K", "w_log/K", "{:.1f}"),
    ("omega_2_K", "w_2/K", "{:.1f}"),
    ("omega_max_K", "w_max/K", "{:.1f}"),
    ("matsubara_cutoff_K", "w_c/K", "{:.4g}"),
    ("tc_mcmillan_K", "McMillan", "{:.2f}"),
    ("tc_allen_dynes_K", "AllenDynes", "{:.2f}"),
    ("tc_xie_K", "Xie2022", "{:.2f}"),
    ("tc_eliashberg_K", "Eliashberg", "{:.2f}"),
    ("seconds", "solve/s", "{:.2f}"),
]
_UNIT_WIDTH = len("cm-1 (argument)")  # the table's unit column: "meV (header)", "Ry (argument)"

_DESCRIPTION = "Tc of alpha2F files from McMillan, Allen-Dynes, Xie et al. (2022) and the Eliashberg solver."
_EPILOG = (
    "Malformed files, negative frequencies or alpha2F, and lambda <= mu*(1 + 0.62 lambda) "
    "('lambda too small') give a one-line error on stderr; the other files are still processed and "
    "the exit status is 1. The unit comes from the header lines before the data (QE matdyn a2F.dos*: "
    "Ry, QE lambda.x alpha2F.dat: THz, EPW prefix.a2f: meV, a table: the one unit its header names); "
    "there is no default: a header with no unit or several needs --units, which always wins (with a "
    "warning where the header said otherwise). The 'unit' column shows the unit and its source. "
    "--column picks the smearing. w_max: frequency below which 1 - 1e-6 of lambda lies; w_c: "
    "Matsubara cutoff at Tc."
)


class LambdaTooSmall(ValueError):
    """lambda <= mu* (1 + 0.62 lambda): McMillan-type formulas have no solution."""


def _configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("files", nargs="+", metavar="FILE", help="alpha2F text files")
    parser.add_argument("--mu-star", type=float, default=0.10, help="Coulomb pseudopotential (default 0.10)")
    parser.add_argument(
        "--units",
        choices=UNITS,
        default=None,
        help="frequency unit; needed for files whose header states none or several (no default). It "
        "always wins: where the header said otherwise the file is read with a warning",
    )
    parser.add_argument(
        "--column",
        type=int,
        default=None,
        help="alpha2F column, 1 = first after the frequency (= smearing index in QE/EPW files; default 1)",
    )
    parser.add_argument(
        "--mu-convention",
        choices=("rescaled", "fixed"),
        default="rescaled",
        help="rescaled: mu* referred to omega_max (cutoff-independent); fixed: EPW-like",
    )
    parser.add_argument(
        "--cutoff",
        type=float,
        default=None,
        help="Matsubara cutoff in units of omega_max (default: the solver's, 32 rescaled, 10 fixed)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file and line")
    return parser


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``tc`` sub-command to the ``reviewlib`` CLI's subparsers."""
    parser = subparsers.add_parser(
        "tc",
        help="Tc of alpha2F files (McMillan, Allen-Dynes, Xie 2022, Eliashberg)",
        description=_DESCRIPTION,
        epilog=_EPILOG,
    )
    return _configure(parser)


def tc_of_file(
    path: str,
    *,
    mu_star: float = 0.10,
    units: str | None = None,
    column: int | None = None,
    mu_convention: str = "rescaled",
    cutoff: float | None = None,
) -> dict:
    """One result row for an alpha2F file (see the module docstring for the keys).

    Raises ``ValueError`` naming the file (``LambdaTooSmall`` when lambda is too small).
    Warnings raised while reading and evaluating are collected in the row's ``warnings``.
    """
    import warnings

    from reviewlib.tc import formulas as tc
    from reviewlib.tc.eliashberg import _warm_up, eliashberg_solve
    from reviewlib.tc.spectra_io import read_a2f

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        spec, info = read_a2f(path, units=units, column=column, with_info=True)
    notes = [_one_line(w.message) for w in caught]
    lam, wlog, w2 = float(spec.lam), float(spec.omega_log_K), float(spec.omega_2_K)
    if not tc.has_solution(lam, mu_star=mu_star):
        raise LambdaTooSmall(
            f"{path}: lambda too small (lambda = {lam:.4g} <= mu* (1 + 0.62 lambda) with mu* = {mu_star:g})"
        )
    kwargs = {"mu_star": mu_star, "mu_convention": mu_convention}
    if cutoff is not None:
        kwargs["cutoff"] = cutoff
    _warm_up()
    start = time.perf_counter()
    sol = eliashberg_solve(spec, **kwargs)
    seconds = time.perf_counter() - start
    xie_ok, xie_reason = tc.xie_domain(lam, omega_log_K=wlog, omega_2_K=w2, mu_star=mu_star)
    tc_xie = float(tc.xie_tc(lam, omega_log_K=wlog, omega_2_K=w2, mu_star=mu_star, outside="value"))
    if not xie_ok:
        notes.append(f"{path}: Xie et al. Tc not reported: {xie_reason}")
    return {
        "file": str(path),
        "format": info.format,
        "units": info.units,
        "units_source": info.units_source,
        "header_units": list(info.header_units),
        "column": info.column,
        "lambda": lam,
        "omega_log_K": wlog,
        "omega_2_K": w2,
        "omega_max_K": sol.omega_max_K,
        "matsubara_cutoff_K": sol.matsubara_cutoff_K,
        "n_matsubara": sol.n_matsubara,
        "mu_star": mu_star,
        "mu_convention": mu_convention,
        "tc_mcmillan_K": float(tc.mcmillan_wlog_tc(lam, omega_log_K=wlog, mu_star=mu_star)),
        "tc_allen_dynes_K": float(tc.allen_dynes_tc(lam, omega_log_K=wlog, omega_2_K=w2, mu_star=mu_star)),
        "tc_xie_K": tc_xie if xie_ok else None,
        "tc_xie_note": "" if xie_ok else xie_reason,
        "tc_eliashberg_K": sol.tc_K,
        "seconds": seconds,
        "warnings": notes,
    }


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def run(args: argparse.Namespace) -> int:
    """Execute ``reviewlib tc`` with parsed ``args``; returns the exit status (0, 1 or 2)."""
    if not math.isfinite(args.mu_star) or args.mu_star < 0:
        print(
            f"reviewlib tc: error: --mu-star must be a finite number >= 0, got {args.mu_star}",
            file=sys.stderr,
        )
        return 2
    if args.column is not None and args.column < 1:
        print(
            f"reviewlib tc: error: --column must be >= 1 (0 is the frequency), got {args.column}",
            file=sys.stderr,
        )
        return 2
    if args.cutoff is not None and not (math.isfinite(args.cutoff) and args.cutoff > 0):
        print(f"reviewlib tc: error: --cutoff must be a number > 0, got {args.cutoff}", file=sys.stderr)
        return 2
    status = 0
    header_done = False
    footnotes: list[str] = []
    width = max(len(f) for f in args.files)
    for path in args.files:
        try:
            row = tc_of_file(
                path,
                mu_star=args.mu_star,
                units=args.units,
                column=args.column,
                mu_convention=args.mu_convention,
                cutoff=args.cutoff,
            )
        except (ValueError, OSError) as exc:
            tail = _one_line(exc)
            if tail.startswith(f"{path}: "):
                tail = tail[len(f"{path}: ") :]
            print(f"{path}: error: {tail}", file=sys.stderr)
            if args.json:
                print(json.dumps({"file": str(path), "error": tail}), flush=True)
            status = 1
            continue
        for note in row["warnings"]:
            tail = note[len(f"{path}: ") :] if note.startswith(f"{path}: ") else note
            print(f"{path}: warning: {tail}", file=sys.stderr)
        if args.json:
            print(json.dumps(row), flush=True)
            continue
        if not header_done:
            print(
                f"{'file':<{width}}  {'unit':<{_UNIT_WIDTH}}  "
                + "  ".join(f"{h:>10}" for _, h, _ in _COLUMNS)
                + f"   (mu* = {args.mu_star:g}, {args.mu_convention}; Tc in K)"
            )
            header_done = True
        cells = "  ".join(f"{'n/a*' if row[k] is None else fmt.format(row[k]):>10}" for k, _, fmt in _COLUMNS)
        unit = f"{row['units']} ({row['units_source']})"
        print(f"{path:<{width}}  {unit:<{_UNIT_WIDTH}}  {cells}", flush=True)
        if row["tc_xie_K"] is None:
            footnotes.append(f"* {path}: {row['tc_xie_note']}")
    for line in footnotes:
        print(line)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m reviewlib.tc.cli``."""
    parser = _configure(
        argparse.ArgumentParser(prog="reviewlib tc", description=_DESCRIPTION, epilog=_EPILOG)
    )
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
