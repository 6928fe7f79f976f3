"""JSON schemas of the files a published run keeps, and the check that refuses a file of the wrong
shape with the file, the field and the command that rewrites it.

``PROVENANCE``   ``<notebook>/provenance.json`` (:func:`reviewlib.book.publish.publish`)
``CLAIM_RECORD`` ``<notebook>/records/<claim id>.json`` (:func:`reviewlib.book.claims.record`)
``RESULT_ROW``   one line of ``<notebook>/records/results/<notebook>.jsonl`` (:mod:`reviewlib.book.results`)

Every value these files hold ends up on a generated page (status, reported, results), so the
book build (:func:`reviewlib.book.publish.check`) validates them before it reads one field; the pages
escape every field as well (:mod:`reviewlib.book.pages`). Fields added after the first published
runs (CPU time, load averages) are optional so that older runs stay valid.
"""

from __future__ import annotations

from typing import Any

from reviewlib.book.claims import BASES, KINDS, ROBUSTNESS
from reviewlib.book.results import COLUMNS as RESULT_COLUMNS

_NUMBER = {"type": "number", "minimum": 0}
_HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_TIMESTAMP = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"}
_LOAD = {"type": "array", "items": _NUMBER, "minItems": 3, "maxItems": 3}
_MODE = {"enum": ["fast", "full"]}
#: a notebook stem: also a file name and a link target on the generated pages
NOTEBOOK_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"

PROVENANCE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "provenance.json of a published run",
    "type": "object",
    "required": [
        "schema",
        "notebook",
        "source",
        "source_sha256",
        "git_commit",
        "git_uncommitted",
        "mode",
        "parameters",
        "started",
        "finished",
        "wall_time_s",
        "peak_memory_mb",
        "machine",
        "packages",
        "command",
        "files",
        "size_bytes",
    ],
    "properties": {
        "schema": {"const": 1},
        "notebook": {"type": "string", "pattern": NOTEBOOK_NAME},
        "source": {"type": "string"},
        "source_sha256": _HEX64,
        "git_commit": {"type": "string", "pattern": "^([0-9a-f]{40})?$"},
        "git_uncommitted": {"type": "array", "items": {"type": "string"}},
        "mode": _MODE,
        "parameters": {"type": "object", "required": ["mode"], "properties": {"mode": _MODE}},
        "started": _TIMESTAMP,
        "finished": _TIMESTAMP,
        "wall_time_s": _NUMBER,
        "peak_memory_mb": _NUMBER,
        "cpu_time_s": _NUMBER,  # optional: recorded since the CPU time was measured
        "load_average_start": _LOAD,  # optional: 1, 5, 15 min load average at the start
        "load_average_end": _LOAD,  # optional: ... and at the end of the run
        # optional: the feature cache's hits, misses and seconds saved / computed in the run
        "feature_cache": {
            "type": "object",
            "required": ["hits", "misses", "saved_s", "computed_s"],
            "properties": {
                "hits": {"type": "integer", "minimum": 0},
                "misses": {"type": "integer", "minimum": 0},
                "saved_s": _NUMBER,
                "computed_s": _NUMBER,
                "by_kind": {"type": "object"},
            },
        },
        "machine": {
            "type": "object",
            "properties": {
                "cpu_count": {"type": ["integer", "null"], "minimum": 1},
                "physical_cores": {"type": ["integer", "null"], "minimum": 1},
                "memory_gb": _NUMBER,
                "python": {"type": "string"},
                "platform": {"type": "string"},
                "processor": {"type": "string"},
            },
        },
        "packages": {"type": "object", "additionalProperties": {"type": "string"}},
        "command": {"type": "string"},
        "files": {"type": "object", "additionalProperties": _HEX64},
        "size_bytes": {"type": "integer", "minimum": 0},
    },
}

CLAIM_RECORD: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "claim record (reviewlib.book.claims.Record)",
    "type": "object",
    "required": ["claim_id", "value", "notebook", "mode", "note", "details", "timestamp"],
    "additionalProperties": False,
    "properties": {
        "claim_id": {"type": "string", "minLength": 1},
        "value": {"type": ["number", "boolean"]},
        "notebook": {"type": "string", "pattern": NOTEBOOK_NAME},
        "mode": _MODE,
        "note": {"type": "string"},
        "details": {"type": "object"},
        "timestamp": {"type": "number"},
        # optional: records written before claim kinds existed lack them (the reported row's
        # kind and our_basis then apply; see reviewlib.book.claims)
        "kind": {"enum": ["", *KINDS]},
        "basis": {"enum": [None, *BASES]},
        "reference": {"type": "string"},
        "alternatives": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["choice", "value"],
                "properties": {
                    "choice": {"type": "string", "minLength": 1},
                    "value": {"type": ["number", "boolean"]},
                    "verdict": {"type": "string"},
                },
            },
        },
        "robustness": {"enum": list(ROBUSTNESS)},
    },
}

_TEXT = {"type": "string"}
_OPTIONAL_NUMBER = {"type": ["number", "null"]}
RESULT_ROW: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "result row (reviewlib.book.results.Result)",
    "type": "object",
    "required": list(RESULT_COLUMNS),
    "additionalProperties": False,
    "properties": {
        "notebook": {"type": "string", "pattern": NOTEBOOK_NAME},
        "dataset": _TEXT,
        "target": _TEXT,
        "split": _TEXT,
        "features": _TEXT,
        "model": _TEXT,
        "baseline": {"type": "boolean"},
        "metric": _TEXT,
        "value": {"type": "number"},
        "unit": _TEXT,
        "uncertainty": _OPTIONAL_NUMBER,
        "uncertainty_kind": _TEXT,
        "ci_low": _OPTIONAL_NUMBER,
        "ci_high": _OPTIONAL_NUMBER,
        "n_train": {"type": "integer", "minimum": 0},
        "n_test": {"type": "integer", "minimum": 1},
        "mode": _MODE,
        "note": _TEXT,
        "timestamp": {"type": "number"},
    },
}


def problems(instance: Any, schema: dict[str, Any]) -> list[str]:
    """Every way ``instance`` breaks ``schema``, one line each naming the field
    (``files``, ``machine.cpu_count``, ``the whole file``); empty when it is valid.
    """
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema)
    out = []
    for err in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        where = ".".join(str(p) for p in err.absolute_path)
        field = f"field '{where}'" if where else "the whole file"
        out.append(f"{field}: {_shorten(err.message)}")
    return out


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
