"""The review's reported numbers, the values our notebooks reproduce, and a verdict per claim.

Reported values are facts transcribed from papers and live in ``reviewlib/reported/*.csv``, one
file per milestone, each row with its source. Reproduced values are *recorded at run time* by the
notebook that computed them (:func:`record`), never typed in. :func:`verdicts` joins the two.

Columns of a reported table:

``claim_id``        unique id, ``<milestone>.<quantity>``
``milestone``       notebook slug / milestone the claim belongs to
``quantity``        what is claimed, in words
``value``           the reported number (``true`` for a qualitative claim)
``unit``            unit of ``value`` (``-`` if dimensionless)
``section``         where the review (or the primary paper) states it
``source``          citation key in ``book/references.bib``
``comparison``      ``rel`` (relative tolerance), ``abs`` (absolute, in ``unit``) or ``bool``
``tolerance``       reproduced if within it, close if within twice it (ignored for ``bool``)
``tolerance_reason`` one line: why this tolerance
``reproducible``    ``yes`` or ``no``
``note``            why not reproducible with public data, or what differs in our data
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

REPORTED_COLUMNS = [
    "claim_id",
    "milestone",
    "quantity",
    "value",
    "unit",
    "section",
    "source",
    "comparison",
    "tolerance",
    "tolerance_reason",
    "reproducible",
    "note",
]
COMPARISONS = {"rel", "abs", "bool"}
VERDICTS = ("reproduced", "close", "missed", "not reproducible with public data", "not run")


def reported() -> pd.DataFrame:
    """All reported claims, concatenated from ``reviewlib/reported/*.csv`` (validated)."""
    return _read_reported().copy()


@cache
def _read_reported() -> pd.DataFrame:
    """The tables are package files: read and validate them once per process."""
    folder = resources.files("reviewlib") / "reported"
    frames = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".csv"):
            with entry.open("r", encoding="utf-8") as fh:
                frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
            frame["table"] = entry.name
            frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=REPORTED_COLUMNS)
    table = pd.concat(frames, ignore_index=True)
    _validate(table)
    return table


MILESTONE_COLUMNS = ["slug", "table1_row", "year", "type", "source", "title"]


def milestones() -> pd.DataFrame:
    """The review's Table 1 milestones (plus the Stanev baseline and ``context`` for the review's
    other numbers), from ``reviewlib/milestones.csv``, indexed by ``slug``: Table 1 row, year,
    type (i)-(v), citation key and a title.
    """
    return _read_milestones().copy()


@cache
def _read_milestones() -> pd.DataFrame:
    with (resources.files("reviewlib") / "milestones.csv").open("r", encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    missing = [c for c in MILESTONE_COLUMNS if c not in frame.columns]
    if missing or frame["slug"].duplicated().any():
        raise ValueError(f"milestones.csv: missing columns {missing} or duplicate slugs")
    return frame.set_index("slug")


def _validate(table: pd.DataFrame) -> None:
    missing = [c for c in REPORTED_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"reported claims tables lack columns {missing}")
    unknown = sorted(set(table["milestone"]) - set(milestones().index))
    if unknown:
        raise ValueError(f"reported claims name milestones missing from milestones.csv: {unknown}")
    dup = table["claim_id"][table["claim_id"].duplicated()].tolist()
    if dup:
        raise ValueError(f"duplicate claim ids in reported tables: {dup}")
    for row in table.itertuples():
        where = f"{row.table}: {row.claim_id}"
        if row.comparison not in COMPARISONS:
            raise ValueError(f"{where}: comparison must be one of {sorted(COMPARISONS)}")
        if row.reproducible not in {"yes", "no"}:
            raise ValueError(f"{where}: reproducible must be 'yes' or 'no'")
        if row.reproducible == "no" and not row.note.strip():
            raise ValueError(f"{where}: a non-reproducible claim needs a reason in 'note'")
        if row.comparison == "bool":
            if row.value.strip().lower() not in {"true", "false"}:
                raise ValueError(f"{where}: a bool claim has value true or false")
        else:
            float(row.value)
            if not float(row.tolerance) > 0:
                raise ValueError(f"{where}: tolerance must be positive")
            if not row.tolerance_reason.strip():
                raise ValueError(f"{where}: a tolerance needs a reason")


_recording = True


def set_recording(enabled: bool) -> None:
    """Switch :func:`record` on or off for this process. A notebook run on a user's own data
    calls ``set_recording(False)``: its numbers are not the review's, so nothing is recorded.
    """
    global _recording
    _recording = bool(enabled)


def records_dir() -> Path:
    """Folder where :func:`record` writes: :func:`reviewlib.settings.records_dir`.

    ``REVIEWLIB_RECORDS_DIR``, else ``runs/records`` in a checkout (beside the local runs), else a
    per-user data folder (never inside an installed package).
    """
    from reviewlib import settings

    return settings.records_dir()


@dataclass(frozen=True)
class Record:
    """A value computed for a claim, as written by :func:`record`."""

    claim_id: str
    value: float | bool
    notebook: str
    mode: str
    note: str
    details: dict[str, Any]
    timestamp: float


def record(
    claim_id: str,
    value: float | bool,
    *,
    note: str = "",
    details: dict[str, Any] | None = None,
    mode: str | None = None,
) -> Record | None:
    """Record the value a notebook computed for ``claim_id`` (in the claim's unit).

    Raises ``KeyError`` for an unknown claim and ``ValueError`` for a NaN value or a value of the
    wrong kind (bool claims take ``True``/``False``, numeric claims a finite number). Returns
    ``None`` and writes nothing while recording is off (:func:`set_recording`).
    """
    if not _recording:
        return None
    table = reported().set_index("claim_id")
    if claim_id not in table.index:
        raise KeyError(f"unknown claim {claim_id!r}; add it to a table in reviewlib/reported/")
    comparison = table.loc[claim_id, "comparison"]
    if comparison == "bool":
        if not isinstance(value, (bool,)) and type(value).__name__ != "bool_":
            raise ValueError(f"claim {claim_id!r} is qualitative: record True or False")
        value = bool(value)
    else:
        if isinstance(value, bool):
            raise ValueError(f"claim {claim_id!r} is numeric: record a number, not a bool")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"claim {claim_id!r}: recorded value is not finite ({value})")
    rec = Record(
        claim_id=claim_id,
        value=value,
        notebook=os.environ.get("REVIEWLIB_NOTEBOOK", "interactive"),
        mode=mode or os.environ.get("REVIEWLIB_MODE", "unknown"),
        note=note,
        details=dict(details or {}),
        timestamp=time.time(),
    )
    out = records_dir()
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{claim_id}.json").write_text(json.dumps(rec.__dict__, indent=1, default=str))
    _show(rec, table.loc[claim_id])
    return rec


def anchor(claim_id: str) -> str:
    """HTML id of the line :func:`record` displays in a notebook (the book links each claim to it)."""
    return "claim-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in claim_id)


def _show(rec: Record, row: pd.Series) -> None:
    """In a notebook kernel, display one line (with an HTML anchor) saying what was recorded."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return
    shell = get_ipython()
    if shell is None or type(shell).__name__ != "ZMQInteractiveShell":
        return
    import html

    ours = ("true" if rec.value else "false") if isinstance(rec.value, bool) else f"{rec.value:.4g}"
    unit = "" if row["unit"] in ("", "-") else f" {row['unit']}"
    status = verdict(
        comparison=row["comparison"], reported_value=row["value"], tolerance=row["tolerance"], ours=rec.value
    )
    text = (
        f"recorded {rec.claim_id} = {ours}{unit} (reported {row['value']}{unit}; {status}; {rec.mode} mode)"
    )
    markup = (
        f'<p class="claim-record" id="{anchor(rec.claim_id)}"><small>&#9873; recorded '
        f"<code>{html.escape(rec.claim_id)}</code> = {html.escape(ours + unit)} "
        f"(reported {html.escape(row['value'] + unit)}; <b>{status}</b>; {html.escape(rec.mode)} mode)"
        "</small></p>"
    )
    display({"text/plain": text, "text/html": markup}, raw=True)


def load_records(folder: Path | None = None) -> dict[str, Record]:
    """Read every record in ``folder`` (default :func:`records_dir`)."""
    folder = Path(folder) if folder is not None else records_dir()
    out: dict[str, Record] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            data = json.loads(path.read_text())
            out[data["claim_id"]] = Record(**data)
    return out


def verdict(*, comparison: str, reported_value: str, tolerance: str, ours: float | bool) -> str:
    """Verdict of one claim: ``reproduced`` within the tolerance, ``close`` within twice it."""
    if comparison == "bool":
        expected = reported_value.strip().lower() == "true"
        return "reproduced" if bool(ours) == expected else "missed"
    ref = float(reported_value)
    tol = float(tolerance)
    diff = abs(float(ours) - ref)
    if comparison == "rel":
        diff = diff / abs(ref) if ref != 0 else math.inf
    if diff <= tol:
        return "reproduced"
    if diff <= 2 * tol:
        return "close"
    return "missed"


def verdicts(folder: Path | None = None) -> pd.DataFrame:
    """One row per reported claim: reported value, ours, the verdict and where ours came from."""
    table = reported()
    recs = load_records(folder)
    rows = []
    for row in table.itertuples():
        rec = recs.get(row.claim_id)
        if row.reproducible == "no":
            status, ours, notebook, mode = "not reproducible with public data", None, "", ""
        elif rec is None:
            status, ours, notebook, mode = "not run", None, "", ""
        else:
            ours, notebook, mode = rec.value, rec.notebook, rec.mode
            status = verdict(
                comparison=row.comparison,
                reported_value=row.value,
                tolerance=row.tolerance,
                ours=rec.value,
            )
        rows.append(
            {
                "claim_id": row.claim_id,
                "milestone": row.milestone,
                "quantity": row.quantity,
                "reported": row.value,
                "unit": row.unit,
                "ours": ours,
                "tolerance": "" if row.comparison == "bool" else f"{row.tolerance} ({row.comparison})",
                "verdict": status,
                "section": row.section,
                "source": row.source,
                "notebook": notebook,
                "mode": mode,
                "why": rec.note if rec is not None and rec.note else row.note,
                "tolerance_reason": row.tolerance_reason,
            }
        )
    return pd.DataFrame(rows)
