"""Where reviewlib reads and writes: one place for every folder the package uses.

Each folder is resolved in the same order:

1. an environment variable (``REVIEWLIB_DATA_CACHE``, ``REVIEWLIB_RECORDS_DIR``, ...);
2. the repository layout, when the package runs from a source checkout (``pyproject.toml``
   naming the ``reviewlib`` project next to the ``reviewlib/`` folder);
3. a per-user folder from :mod:`platformdirs`, for an installed package (never site-packages).

>>> from reviewlib import settings
>>> settings.data_cache_dir()  # doctest: +SKIP
PosixPath('/path/to/checkout/data/cache')
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import platformdirs

APP = "reviewlib"


@cache
def checkout_root() -> Path | None:
    """The source checkout holding this package, or None for an installed package."""
    root = Path(__file__).resolve().parents[1]
    pyproject = root / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return None
    if 'name = "reviewlib"' not in text or not (root / "notebooks").is_dir():
        return None
    return root


def _from_env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser().resolve() if value else None


def _resolve(env: str, in_checkout: str, user_kind: str, user_sub: str) -> Path:
    """``env`` variable, else ``<checkout>/<in_checkout>``, else the platformdirs folder."""
    path = _from_env(env)
    if path is not None:
        return path
    root = checkout_root()
    if root is not None:
        return root / in_checkout
    base = platformdirs.user_cache_dir(APP) if user_kind == "cache" else platformdirs.user_data_dir(APP)
    return Path(base) / user_sub


def data_cache_dir() -> Path:
    """Verified downloads and feature caches (``REVIEWLIB_DATA_CACHE``; checkout: ``data/cache``)."""
    return _resolve("REVIEWLIB_DATA_CACHE", "data/cache", "cache", "data")


def records_dir() -> Path:
    """Claim records written by notebooks (``REVIEWLIB_RECORDS_DIR``;
    checkout: ``book/_generated/records``).
    """
    return _resolve("REVIEWLIB_RECORDS_DIR", "book/_generated/records", "data", "records")


def generated_dir() -> Path:
    """Generated book pages and run status (``REVIEWLIB_GENERATED_DIR``;
    checkout: ``book/_generated``).
    """
    return _resolve("REVIEWLIB_GENERATED_DIR", "book/_generated", "data", "generated")


def executed_dir() -> Path:
    """Executed notebooks the book renders (``REVIEWLIB_EXECUTED_DIR``; checkout: ``book/notebooks``)."""
    return _resolve("REVIEWLIB_EXECUTED_DIR", "book/notebooks", "data", "executed")


def published_dir() -> Path:
    """Published full-mode runs with provenance (``REVIEWLIB_PUBLISHED_DIR``;
    checkout: ``book/published``).
    """
    return _resolve("REVIEWLIB_PUBLISHED_DIR", "book/published", "data", "published")


def notebooks_dir() -> Path:
    """The notebook sources (``REVIEWLIB_NOTEBOOKS_DIR``; checkout: ``notebooks``).

    An installed package has no notebooks; the error says how to point at a folder of them.
    """
    path = _from_env("REVIEWLIB_NOTEBOOKS_DIR")
    if path is not None:
        return path
    root = checkout_root()
    if root is None:
        raise FileNotFoundError(
            "reviewlib is installed without its notebooks; set REVIEWLIB_NOTEBOOKS_DIR to a "
            "folder of the companion's notebooks (a clone of the repository's notebooks/)"
        )
    return root / "notebooks"
