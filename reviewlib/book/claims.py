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
``kind``            what sort of claim it is (:data:`KINDS`); decides what it may be compared with
``our_basis``       optional: what the number our chapter records today *is* (:data:`BASES`), read
                    from the published notebook; a record's own ``basis`` wins over it
``our_reference``   optional: the public source or calculation behind a ``first-principles`` basis

Kinds (``kind``) and their rules, applied by :func:`assess` to new and existing records alike:

``dft_value``         a first-principles number (or a yes/no on one) for a named compound, phase and
                      pressure. Compared only with a first-principles value for the same compound
                      and phase (Alexandria, JARVIS, the hydride tables, or our own GPAW/DFT; a Tc
                      formula on public DFPT alpha2F or lambda/omega_log counts). Any other number
                      (an ML surrogate, an MLIP, a formula on predicted inputs, or a record that
                      does not say) gives "not reproducible with public data", with our number
                      shown as information (``info_value``), never as the verdict.
``ml_metric``         an error, score or fitted coefficient of a model on a data set.
``ml_prediction``     a model's prediction for named compounds.
``trend``             a qualitative statement, operationalised by a rule stated in the row.
``count``             a size of a data set (or of a subset a paper reports); an exact count of the
                      same file stays exact (``abs`` 0.5), a count on a later or different export
                      uses ``rel`` with the provenance as its reason.
``definition_check``  an identity, or a check of our own code: verdict ``checked`` / ``check failed``,
                      shown but never counted among reproduced claims.
``context``           a number the review quotes from elsewhere: verdicts as usual, never counted.

Every compared claim also gets ``margin`` = |ours - reported| / tolerance (relative difference /
tolerance for ``rel``; None for ``bool``), ``at_edge`` (in the outer fifth of its verdict's band:
margin > 0.8 for reproduced/checked, > 1.8 for close) and ``robustness`` from the record's
``alternatives`` (:func:`robustness`). :func:`summary_counts` gives the counts the book shows.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from reviewlib._io import atomic_write

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
    "kind",
]
OPTIONAL_COLUMNS = ["our_basis", "our_reference"]
COMPARISONS = {"rel", "abs", "bool"}
NOT_REPRODUCIBLE = "not reproducible with public data"
VERDICTS = ("reproduced", "close", "missed", NOT_REPRODUCIBLE, "not run", "checked", "check failed")
"""Every verdict word; ``checked``/``check failed`` belong to ``definition_check`` claims only."""
KINDS = ("dft_value", "ml_metric", "ml_prediction", "trend", "count", "definition_check", "context")
UNCOUNTED_KINDS = frozenset({"definition_check", "context"})
"""Kinds shown on the pages but never counted among reproduced claims (:func:`summary_counts`)."""
BASES = ("first-principles", "ml-surrogate", "mlip", "formula", "data")
"""What a recorded number is: ``first-principles`` (DFT/DFPT, public or our own GPAW, including a
Tc formula on first-principles alpha2F or lambda/omega_log; needs a reference), ``ml-surrogate``
(a trained model's prediction, also when passed through a Tc formula), ``mlip`` (an ML interatomic
potential in place of DFT), ``formula`` (an empirical formula on inputs that are not
first-principles), ``data`` (read or counted from a data file)."""
ROBUSTNESS = ("robust", "fragile", "not assessed")
SUMMARY_VERDICTS = (
    "reproduced, robust",
    "reproduced, fragile",
    "reproduced, not assessed",
    "close",
    "missed",
    NOT_REPRODUCIBLE,
    "not run",
)
"""Categories of :func:`summary_counts`, in display order."""


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
            missing = [c for c in REPORTED_COLUMNS if c not in frame.columns]
            if missing:
                raise ValueError(f"{entry.name}: lacks columns {missing}")
            for column in OPTIONAL_COLUMNS:
                if column not in frame.columns:
                    frame[column] = ""
            frame["table"] = entry.name
            frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=REPORTED_COLUMNS + OPTIONAL_COLUMNS)
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
    table = table.copy()
    for column in OPTIONAL_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    # line in its file (header is line 1): the tables are concatenated file by file, in order
    table["line_in_file"] = table.groupby("table", sort=False).cumcount() + 2
    for row in table.itertuples():
        where = f"{row.table}: {row.claim_id}"
        at = f"{row.table}, row {row.line_in_file - 1} (line {row.line_in_file}, {row.claim_id})"
        if row.kind not in KINDS:
            raise ValueError(f"{at}: kind {row.kind!r} is not one of the allowed kinds {list(KINDS)}")
        if row.our_basis not in ("", *BASES):
            raise ValueError(f"{at}: our_basis {row.our_basis!r} is not empty or one of {list(BASES)}")
        if row.our_basis == "first-principles" and not row.our_reference.strip():
            raise ValueError(f"{where}: a first-principles our_basis needs our_reference (the source)")
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
            if row.kind == "count" and not float(row.value).is_integer():
                raise ValueError(f"{where}: a count's reported value is a whole number")


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
    """A value computed for a claim, as written by :func:`record`.

    ``kind`` is the claim's kind when it was recorded; ``basis``/``reference`` say what the number
    is (:data:`BASES`; None in records written before they existed: the reported row's
    ``our_basis`` then applies); ``alternatives`` are the same claim under other defensible
    choices (``{"choice", "value", "verdict"}``), summarised by ``robustness``.
    """

    claim_id: str
    value: float | bool
    notebook: str
    mode: str
    note: str
    details: dict[str, Any]
    timestamp: float
    kind: str = ""
    basis: str | None = None
    reference: str = ""
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    robustness: str = "not assessed"


def _coerce(claim_id: str, comparison: str, value: Any, what: str = "recorded value") -> float | bool:
    """``value`` as the claim's type: bool for a bool claim, a finite float otherwise."""
    if comparison == "bool":
        if not isinstance(value, (bool,)) and type(value).__name__ != "bool_":
            raise ValueError(f"claim {claim_id!r} is qualitative: record True or False")
        return bool(value)
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise ValueError(f"claim {claim_id!r} is numeric: record a number, not a bool")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"claim {claim_id!r}: {what} is not finite ({value})")
    return value


def record(
    claim_id: str,
    value: float | bool,
    *,
    note: str = "",
    details: dict[str, Any] | None = None,
    mode: str | None = None,
    basis: str | None = None,
    reference: str = "",
    alternatives: Sequence[Mapping[str, Any]] | None = None,
) -> Record | None:
    """Record the value a notebook computed for ``claim_id`` (in the claim's unit).

    ``basis`` says what the number is (:data:`BASES`); ``first-principles`` needs ``reference``
    (the public table or our calculation it comes from). A ``dft_value`` claim needs a basis,
    given here or as the reported row's ``our_basis``; only a first-principles one is compared
    (:func:`assess`). ``alternatives`` are ``{"choice": str, "value": ...}`` mappings: the same
    claim under other defensible choices (split, mu*, threshold...); each gets its verdict and the
    record its ``robustness`` (:func:`robustness`).

    Raises ``KeyError`` for an unknown claim and ``ValueError`` for a NaN value, a value of the
    wrong type (bool claims take ``True``/``False``, numeric claims a finite number), a count that
    is not a whole number, an unknown basis, a first-principles basis without a reference, a
    ``dft_value`` without any basis, or a malformed alternative. Returns ``None`` and writes
    nothing while recording is off (:func:`set_recording`).
    """
    if not _recording:
        return None
    table = reported().set_index("claim_id")
    if claim_id not in table.index:
        raise KeyError(f"unknown claim {claim_id!r}; add it to a table in reviewlib/reported/")
    row = table.loc[claim_id]
    kind = row.get("kind", "")
    value = _coerce(claim_id, row["comparison"], value)
    if kind == "count" and not isinstance(value, bool) and not float(value).is_integer():
        raise ValueError(f"claim {claim_id!r} is a count: record a whole number, not {value}")
    if basis is not None and basis not in BASES:
        raise ValueError(f"claim {claim_id!r}: basis {basis!r} is not one of {list(BASES)}")
    if basis == "first-principles" and not str(reference).strip():
        raise ValueError(
            f"claim {claim_id!r}: a first-principles basis needs reference= "
            "(the public source or our calculation)"
        )
    if kind == "dft_value" and basis is None and not row.get("our_basis", ""):
        raise ValueError(
            f"claim {claim_id!r} is a dft_value: say what the number is with basis= "
            f"(one of {list(BASES)}; 'first-principles' with reference=)"
        )
    alts = []
    for alt in alternatives or ():
        if not isinstance(alt, Mapping) or "choice" not in alt or "value" not in alt:
            raise ValueError(f"claim {claim_id!r}: an alternative is a mapping with 'choice' and 'value'")
        alt_value = _coerce(claim_id, row["comparison"], alt["value"], what=f"alternative {alt['choice']!r}")
        alts.append({**dict(alt), "choice": str(alt["choice"]), "value": alt_value})
    judged = assess(row, value, basis=basis, reference=reference)
    alts = _judge_alternatives(row, alts, basis=basis, reference=reference)
    rec = Record(
        claim_id=claim_id,
        value=value,
        notebook=os.environ.get("REVIEWLIB_NOTEBOOK", "interactive"),
        mode=mode or os.environ.get("REVIEWLIB_MODE", "unknown"),
        note=note,
        details=dict(details or {}),
        timestamp=time.time(),
        kind=kind,
        basis=basis,
        reference=str(reference),
        alternatives=alts,
        robustness=robustness(value, judged["verdict"], alts)["robustness"],
    )
    out = records_dir()
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / f"{claim_id}.json", json.dumps(rec.__dict__, indent=1, default=str))
    _show(rec, row, judged["verdict"])
    return rec


def anchor(claim_id: str) -> str:
    """HTML id of the line :func:`record` displays in a notebook (the book links each claim to it)."""
    return "claim-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in claim_id)


def _show(rec: Record, row: pd.Series, status: str) -> None:
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
    if str(row.get("reproducible", "yes")) == "no":
        status = f"{NOT_REPRODUCIBLE}: ours shown as information"
    elif status == NOT_REPRODUCIBLE and rec.kind == "dft_value":
        status += f" (ours is {rec.basis or row.get('our_basis') or 'of unstated basis'}: information only)"
    text = (
        f"recorded {rec.claim_id} = {ours}{unit} (reported {row['value']}{unit}; {status}; {rec.mode} mode)"
    )
    markup = (
        f'<p class="claim-record" id="{anchor(rec.claim_id)}"><small>&#9873; recorded '
        f"<code>{html.escape(rec.claim_id)}</code> = {html.escape(ours + unit)} "
        f"(reported {html.escape(row['value'] + unit)}; <b>{html.escape(status)}</b>; "
        f"{html.escape(rec.mode)} mode)"
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
    """Verdict of one comparison: ``reproduced`` within the tolerance, ``close`` within twice it.

    The bare rule, whatever the claim's kind; :func:`assess` applies the kind's rules on top.
    """
    if comparison == "bool":
        expected = reported_value.strip().lower() == "true"
        return "reproduced" if bool(ours) == expected else "missed"
    m = margin(comparison=comparison, reported_value=reported_value, tolerance=tolerance, ours=ours)
    if m <= 1:
        return "reproduced"
    if m <= 2:
        return "close"
    return "missed"


def margin(*, comparison: str, reported_value: str, tolerance: str, ours: float | bool) -> float | None:
    """|ours - reported| / tolerance (``rel``: |ours - reported| / |reported| / tolerance).

    ``None`` for a ``bool`` claim. Reproduced is margin <= 1, close is margin <= 2.
    """
    if comparison == "bool":
        return None
    ref = float(reported_value)
    diff = abs(float(ours) - ref)
    if comparison == "rel":
        diff = diff / abs(ref) if ref != 0 else math.inf
    return diff / float(tolerance)


EDGE = 0.8
"""``at_edge`` when the margin lies in the outer fifth of its verdict's band (reproduced/checked:
margin > 0.8; close: margin > 1.8), i.e. a small change would flip the verdict."""


def _field(row: Any, name: str, default: str = "") -> str:
    """``row[name]`` for a Series, a mapping or a namedtuple (with a default for old tables)."""
    if isinstance(row, Mapping | pd.Series):
        value = row.get(name, default)
    else:
        value = getattr(row, name, default)
    return default if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def assess(row: Any, ours: float | bool, *, basis: str | None = None, reference: str = "") -> dict[str, Any]:
    """The kind-aware verdict of ``ours`` against a reported row (a Series, mapping or namedtuple).

    ``basis``/``reference`` are the record's own; ``None`` falls back to the row's ``our_basis``/
    ``our_reference``. Returns ``verdict``, ``margin``, ``at_edge``, ``compared`` (whether ours
    was compared with the reported value at all), ``basis`` and ``reference``:

    - ``dft_value`` whose basis is not ``first-principles`` (or unstated): verdict
      "not reproducible with public data", not compared (ours is information only);
    - ``definition_check``: ``checked`` when within the tolerance, else ``check failed``;
    - every other kind: :func:`verdict`.
    """
    kind = _field(row, "kind")
    comparison = _field(row, "comparison")
    if basis is None:
        basis, reference = _field(row, "our_basis") or None, _field(row, "our_reference")
    out: dict[str, Any] = {"basis": basis, "reference": reference or "", "margin": None, "at_edge": False}
    if kind == "dft_value" and basis != "first-principles":
        return {**out, "verdict": NOT_REPRODUCIBLE, "compared": False}
    args = dict(
        comparison=comparison,
        reported_value=_field(row, "value"),
        tolerance=_field(row, "tolerance"),
        ours=ours,
    )
    status = verdict(**args)
    m = margin(**args)
    if kind == "definition_check":
        status = "checked" if status == "reproduced" else "check failed"
    edge = m is not None and (
        (status in ("reproduced", "checked") and m > EDGE) or (status == "close" and m > 1 + EDGE)
    )
    return {**out, "verdict": status, "margin": m, "at_edge": bool(edge), "compared": True}


def _judge_alternatives(
    row: Any, alternatives: Sequence[Mapping[str, Any]], *, basis: str | None, reference: str
) -> list[dict[str, Any]]:
    """Each alternative with its verdict under the current rules (an alternative's own ``basis``
    wins over the record's).
    """
    out = []
    for alt in alternatives:
        b = alt.get("basis", basis)
        ref = alt.get("reference", reference) if "basis" in alt else reference
        out.append({**dict(alt), "verdict": assess(row, alt["value"], basis=b, reference=ref)["verdict"]})
    return out


def robustness(
    value: float | bool | None, main_verdict: str, alternatives: Sequence[Mapping[str, Any]] | None
) -> dict[str, Any]:
    """Whether a verdict survives the record's alternatives (other defensible choices).

    ``alternatives`` carry a ``verdict`` each (:func:`record` and :func:`verdicts` compute it).
    Returns ``robustness``: ``robust`` when every alternative's verdict equals ``main_verdict``,
    ``fragile`` otherwise, ``not assessed`` without alternatives or when the main value was not
    compared (not run, not reproducible); ``range``: (min, max) over the main and alternative
    values (numeric claims) or the sorted distinct values (bool claims); ``disagreeing``: the
    choices whose verdict differs.
    """
    alts = list(alternatives or ())
    if not alts or value is None or main_verdict in (NOT_REPRODUCIBLE, "not run"):
        return {"robustness": "not assessed", "range": None, "disagreeing": []}
    values = [value, *(a["value"] for a in alts)]
    if isinstance(value, bool):
        spread: tuple | None = tuple(sorted({bool(v) for v in values}))
    else:
        spread = (min(float(v) for v in values), max(float(v) for v in values))
    disagreeing = [str(a.get("choice", "")) for a in alts if a.get("verdict") != main_verdict]
    return {"robustness": "fragile" if disagreeing else "robust", "range": spread, "disagreeing": disagreeing}


def verdicts(folder: Path | None = None) -> pd.DataFrame:
    """One row per reported claim: reported value, ours, the verdict and where ours came from.

    Columns: ``claim_id``, ``milestone``, ``quantity``, ``reported``, ``unit``, ``ours`` (None
    when not compared), ``tolerance``, ``verdict``, ``section``, ``source``, ``notebook``,
    ``mode``, ``why``, ``tolerance_reason``, and for the kind rules: ``kind``, ``counted``
    (False for ``definition_check`` and ``context``), ``basis`` and ``reference`` (of our number:
    the record's, else the row's ``our_basis``), ``info_value`` (our number when it is shown as
    information and not compared: a dft_value on a non-first-principles basis), ``margin``
    (float; NaN when nothing was compared or the claim is ``bool``), ``at_edge`` (bool),
    ``robustness`` (:data:`ROBUSTNESS`), ``robustness_range`` ((min, max) or None),
    ``alternatives`` (list of ``{choice, value, verdict}``, verdicts recomputed under the current
    rules). :func:`summary_label` maps a row to its :data:`SUMMARY_VERDICTS` category.
    """
    table = reported()
    recs = load_records(folder)
    rows = []
    for row in table.itertuples():
        rec = recs.get(row.claim_id)
        kind = _field(row, "kind")
        judged: dict[str, Any] = {"margin": None, "at_edge": False, "basis": None, "reference": ""}
        ours = info_value = None
        notebook = mode = ""
        alts: list[dict[str, Any]] = []
        why = rec.note if rec is not None and rec.note else row.note
        if row.reproducible == "no":
            status = NOT_REPRODUCIBLE
            if rec is not None:  # recorded all the same: shown as information, never compared
                notebook, mode, info_value = rec.notebook, rec.mode, rec.value
        elif rec is None:
            status = "not run"
        else:
            notebook, mode = rec.notebook, rec.mode
            judged = assess(row, rec.value, basis=rec.basis, reference=rec.reference)
            status = judged["verdict"]
            alts = _judge_alternatives(row, rec.alternatives, basis=rec.basis, reference=rec.reference)
            if judged["compared"]:
                ours = rec.value
            else:
                info_value = rec.value
                shown = rec.value if isinstance(rec.value, bool) else f"{rec.value:.4g}"
                unit = "" if row.unit in ("", "-") else f" {row.unit}"
                what = judged["basis"] or "of unstated basis"
                why = (
                    f"Ours, {shown}{unit}, is {what} (information only, not compared): a "
                    "dft_value is compared only with a first-principles value for the same compound "
                    f"and phase. {why}"
                ).strip()
        robust = robustness(ours, status, alts)
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
                "why": why,
                "tolerance_reason": row.tolerance_reason,
                "kind": kind,
                "counted": kind not in UNCOUNTED_KINDS,
                "basis": judged["basis"] or "",
                "reference": judged["reference"] or "",
                "info_value": info_value,
                "margin": judged["margin"],
                "at_edge": bool(judged["at_edge"]),
                "robustness": robust["robustness"],
                "robustness_range": robust["range"],
                "alternatives": alts,
            }
        )
    return pd.DataFrame(rows)


#: The columns a chapter's closing verdict table shows.
VERDICT_COLUMNS = ("quantity", "reported", "ours", "unit", "verdict", "robustness", "why")

#: What a chapter run on the reader's own data prints instead of its verdict table.
USER_DATA_NOTE = (
    "your own data: nothing is recorded; the verdicts against the review belong to the "
    "registry run (see the published chapter)"
)


def milestone_verdicts(
    milestone: str, *, columns: Sequence[str] = VERDICT_COLUMNS, folder: Path | None = None
) -> pd.DataFrame:
    """One milestone's rows of :func:`verdicts`, in ``columns`` (the chapter's closing table).

    Raises ``ValueError`` for a milestone with no reported claim (a typo would otherwise show an
    empty table).
    """
    table = verdicts(folder)
    rows = table[table["milestone"] == milestone]
    if rows.empty:
        known = ", ".join(sorted(table["milestone"].unique()))
        raise ValueError(f"no reported claim has milestone {milestone!r}; known: {known}")
    return rows[list(columns)]


def summary_label(verdict_: str, robustness_: str) -> str:
    """The :data:`SUMMARY_VERDICTS` category of one verdict row ("reproduced, robust", ...)."""
    return f"reproduced, {robustness_}" if verdict_ == "reproduced" else verdict_


def summary_counts(folder: Path | None = None, *, table: pd.DataFrame | None = None) -> pd.Series:
    """Claims per :data:`SUMMARY_VERDICTS` category, ``definition_check`` and ``context`` left out.

    ``table`` is a :func:`verdicts` frame (or a subset of it, e.g. one milestone's rows); without
    it, :func:`verdicts` of ``folder``. Reproduced claims are split by robustness (robust,
    fragile, not assessed). Index: :data:`SUMMARY_VERDICTS` (all present, zeros included).
    """
    frame = verdicts(folder) if table is None else table
    counted = frame[~frame["kind"].isin(UNCOUNTED_KINDS)]
    labels = [summary_label(v, r) for v, r in zip(counted["verdict"], counted["robustness"], strict=True)]
    counts = pd.Series(labels, dtype=object).value_counts()
    return pd.Series({k: int(counts.get(k, 0)) for k in SUMMARY_VERDICTS}, name="claims", dtype=int)
