"""Pinned public datasets: registry, resolver and loaders returning tidy DataFrames.

Every loader takes an optional ``path`` (a user's own file) and otherwise resolves the registry
dataset through :func:`fetch`, which checks the sha256.
"""

from __future__ import annotations

import importlib

from reviewlib.data.registry import (
    Check,
    DataError,
    DataHashError,
    DataUnavailableError,
    DataUnreadableError,
    DataUnregisteredError,
    Record,
    check,
    check_schema,
    fetch,
    get_record,
    load,
    manifest_files,
    records,
    verify,
)

# loader name -> module that defines it (imported lazily: pymatgen is slow to import)
_LOADERS = {
    "load_stanev": "reviewlib.data.supercon",
    "load_3dsc_mp": "reviewlib.data.supercon",
    "load_3dsc_icsd_ids": "reviewlib.data.supercon",
    "load_supercon3d": "reviewlib.data.supercon",
    "load_id_prop": "reviewlib.data.supercon",
    "load_allen_dynes": "reviewlib.data.reference",
    "load_osaka_hydrides": "reviewlib.data.hydrides",
    "load_tranvu": "reviewlib.data.hydrides",
    "load_jarvis_hydride": "reviewlib.data.jarvis",
    "load_jarvis_hydride_plus_bulk": "reviewlib.data.jarvis",
    "load_jarvis_dft3d_tc": "reviewlib.data.jarvis",
    "load_jarvis_atomgen": "reviewlib.data.jarvis",
    "load_alignn_predictions": "reviewlib.data.jarvis",
    "load_alexandria": "reviewlib.data.hydrides",
    "load_htsc2025": "reviewlib.data.hydrides",
    "load_sodnet_hydrides": "reviewlib.data.hydrides",
}

__all__ = [
    "Check",
    "DataError",
    "DataHashError",
    "DataUnavailableError",
    "DataUnreadableError",
    "DataUnregisteredError",
    "Record",
    "check",
    "check_schema",
    "fetch",
    "get_record",
    "load",
    "manifest_files",
    "records",
    "verify",
    *_LOADERS,
]


def __getattr__(name: str):
    if name in _LOADERS:
        return getattr(importlib.import_module(_LOADERS[name]), name)
    raise AttributeError(f"module 'reviewlib.data' has no attribute {name!r}")
