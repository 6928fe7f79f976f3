"""What every chapter notebook repeats: the fast/full switch, timing, and the summary box's numbers.

A chapter opens with ``start`` in its hidden set-up cell and closes with ``finish``:

>>> ch = start("02_stanev2018_supercon", mode=mode, fast={"trees": 100}, full={"trees": 300})
>>> with ch.timed("features"):  # doctest: +SKIP
...     X = magpie_features(...)
>>> ch.glue_claims({"accuracy": "stanev2018.classifier_accuracy"})  # doctest: +SKIP
>>> ch.finish()  # doctest: +SKIP

The summary box at the top of a chapter is markdown that pastes glued values
(``{glue:text}`accuracy```, ``{glue:text}`run_time```): they are computed by the run that the book
shows, never typed in. ``finish`` glues the wall time of this run and, from the last run of the
other mode on this machine (files in ``settings.runs_dir()/timings``) or else the published
full run's provenance, that mode's wall time.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from reviewlib import settings
from reviewlib._io import atomic_write
from reviewlib.data._util import subsample  # noqa: F401 (the chapters call chapter.subsample)

MODES = ("fast", "full")


def check_mode(mode: str) -> str:
    """Return ``mode`` if it is ``"fast"`` or ``"full"``, else raise ``ValueError`` saying so."""
    if mode not in MODES:
        raise ValueError(f"mode must be 'fast' or 'full', got {mode!r}")
    return mode


def _given(value: Any) -> bool:
    """Not None, not NaN and not a blank string (a verdicts() column mixes None, NaN, "", numbers
    and bools).
    """
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and not (isinstance(value, float) and value != value)


def _format_value(value: Any, unit: str) -> str:
    if not _given(value):
        return "-"
    if isinstance(value, bool) or str(value).lower() in {"true", "false"}:
        return "yes" if str(value).lower() == "true" else "no"
    text = f"{float(value):.4g}"
    return text if unit in ("", "-") else f"{text} {unit}"


@dataclass
class Chapter:
    """Settings, timer and glue helpers of one notebook run (made by :func:`start`)."""

    name: str
    mode: str
    settings: dict[str, Any]
    recording: bool = True
    timings: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    @property
    def fast(self) -> bool:
        """True in fast (CI) mode."""
        return self.mode == "fast"

    def __getitem__(self, key: str) -> Any:
        """The setting ``key`` for this mode (after the notebook's overrides)."""
        return self.settings[key]

    @contextmanager
    def timed(self, label: str) -> Iterator[None]:
        """Time the enclosed block; the seconds go to ``timings[label]`` (added up if repeated)."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[label] = self.timings.get(label, 0.0) + time.perf_counter() - t0

    def elapsed(self) -> float:
        """Seconds since :func:`start`."""
        return time.perf_counter() - self.started

    def glue(self, key: str, value: Any) -> None:
        """Glue ``value`` under ``key`` for the chapter's markdown, without displaying it."""
        glue(key, value)

    def glue_claims(self, keys: Mapping[str, str]) -> pd.DataFrame:
        """Glue "reported X, ours Y (verdict[, robust|fragile])" for each claim id, under the given keys.

        ``keys`` maps glue key -> claim id. A run on the user's own data records nothing, so its
        text says so. Returns the verdict rows used (reported, ours, unit, verdict).
        """
        from reviewlib.book.claims import reported, verdicts

        known = set(reported()["claim_id"])
        unknown = sorted(set(keys.values()) - known)
        if unknown:
            raise KeyError(f"unknown claim(s) {unknown}; see reviewlib/reported/*.csv")
        table = verdicts().set_index("claim_id").loc[list(keys.values())]
        for key, claim_id in keys.items():
            row = table.loc[claim_id]
            if not self.recording:
                text = (
                    f"reported {_format_value(row['reported'], row['unit'])}; not recorded for your own data"
                )
            elif row["verdict"] == "not run":
                text = f"reported {_format_value(row['reported'], row['unit'])}; not recorded by this run"
            elif _given(row.get("info_value")) and not _given(row["ours"]):  # not compared (claims.assess)
                basis = f" is {row['basis']}," if _given(row.get("basis")) else ","
                text = (
                    f"reported {_format_value(row['reported'], row['unit'])}; "
                    f"ours {_format_value(row['info_value'], row['unit'])}{basis} "
                    f"shown as information only ({row['verdict']})"
                )
            else:
                robust = row.get("robustness", "not assessed")
                status = row["verdict"] + (f", {robust}" if robust in ("robust", "fragile") else "")
                text = (
                    f"reported {_format_value(row['reported'], row['unit'])}, "
                    f"ours {_format_value(row['ours'], row['unit'])} ({status})"
                )
            glue(key, text)
        return table[["reported", "ours", "unit", "verdict"]]

    def finish(self) -> pd.Series:
        """Store this run's wall time, glue ``mode`` and ``run_time``, and return the step timings (s)."""
        total = self.elapsed()
        timings = pd.Series({**self.timings, "total": total}, name="wall time (s)").round(1)
        if self.recording:  # a run on the user's own data is not the chapter's run time
            _save_timing(self.name, self.mode, total)
        other = "full" if self.fast else "fast"
        last = _load_timing(self.name, other)
        if last is None and other == "full":
            last = _published_timing(self.name)
        cores = os.cpu_count() or 1
        text = f"{self.mode} mode (this run): {_minutes(total)} on {cores} cores"
        if last is None:
            text += f"; {other} mode: no run recorded on this machine"
        else:
            when = last.get("when") or f"run of {last['finished']}"
            text += f"; {other} mode: {_minutes(last['seconds'])} ({when})"
        glue("mode", self.mode)
        glue("run_time", text)
        return timings


def _minutes(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _timing_path(name: str, mode: str):
    return settings.runs_dir() / "timings" / f"{name}.{mode}.json"


def _save_timing(name: str, mode: str, seconds: float) -> None:
    path = _timing_path(name, mode)
    entry = {
        "notebook": name,
        "mode": mode,
        "seconds": round(seconds, 1),
        "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cores": os.cpu_count(),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(entry))
    except OSError as exc:  # a read-only checkout must not fail the chapter
        warnings.warn(f"could not store the run time in {path}: {exc}", stacklevel=3)


def _load_timing(name: str, mode: str) -> dict | None:
    path = _timing_path(name, mode)
    try:
        entry = json.loads(path.read_text())
        float(entry["seconds"])
        str(entry["finished"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return entry


def _published_timing(name: str) -> dict | None:
    """Wall time of the notebook's published full run (its provenance), if there is one."""
    from reviewlib.book import publish

    try:
        prov = publish.load_provenance(name)
    except (publish.PublishError, OSError):
        return None
    if not prov or prov.get("mode") != "full" or "wall_time_s" not in prov:
        return None
    return {
        "seconds": float(prov["wall_time_s"]),
        "when": f"published run of {prov.get('finished', '?')}",
    }


def glue(key: str, value: Any) -> None:
    """``myst_nb.glue`` without display; a no-op with a warning where myst-nb is not installed."""
    try:
        from myst_nb import glue as _glue
    except ImportError:  # pragma: no cover - myst-nb is a dependency of the book
        warnings.warn("myst-nb is not installed: glued values are not stored", stacklevel=3)
        return
    _glue(key, value, display=False)


def start(
    name: str,
    *,
    mode: str,
    fast: Mapping[str, Any] | None = None,
    full: Mapping[str, Any] | None = None,
    overrides: Mapping[str, Any] | None = None,
    record: bool = True,
) -> Chapter:
    """Validate ``mode``, pick the ``fast`` or ``full`` settings and start the chapter's clock.

    ``overrides`` are the notebook's parameters that replace a setting when not None (e.g.
    ``{"n": n_spectra}``). ``record=False`` (a run on the user's own data) switches
    :func:`reviewlib.book.claims.record` off. Progress-bar warnings (no ipywidgets in the book) are
    silenced.
    """
    from tqdm import TqdmWarning

    from reviewlib.book.claims import set_recording

    check_mode(mode)
    chosen = dict((fast if mode == "fast" else full) or {})
    other = dict((full if mode == "fast" else fast) or {})
    if set(chosen) != set(other) and fast is not None and full is not None:
        raise ValueError(
            f"fast and full settings must have the same keys: {sorted(set(chosen) ^ set(other))}"
        )
    for key, value in (overrides or {}).items():
        if value is not None:
            chosen[key] = value
    warnings.filterwarnings("ignore", category=TqdmWarning)
    warnings.filterwarnings("ignore", message="IProgress not found")
    set_recording(record)
    return Chapter(name=name, mode=mode, settings=chosen, recording=record)
