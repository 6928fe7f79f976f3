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


def runs_dir() -> Path:
    """Outputs of local runs (``reviewlib run`` without ``--publish``): executed notebooks,
    claim records, ``status.json`` and chapter timings (``REVIEWLIB_RUNS_DIR``; checkout: ``runs``,
    git-ignored). Only ``reviewlib run`` writes here; a new run of a notebook replaces that
    notebook's previous output, and no other command (``reviewlib pages``, ``make book``) touches it.
    """
    return _resolve("REVIEWLIB_RUNS_DIR", "runs", "data", "runs")


def records_dir() -> Path:
    """Claim records written by notebooks (``REVIEWLIB_RECORDS_DIR``; else ``runs_dir()/records``,
    checkout: ``runs/records``).
    """
    return _from_env("REVIEWLIB_RECORDS_DIR") or runs_dir() / "records"


def executed_dir() -> Path:
    """Executed notebooks of local runs (``REVIEWLIB_EXECUTED_DIR``; else ``runs_dir()/notebooks``,
    checkout: ``runs/notebooks``). The book never reads them: it renders published runs only.
    """
    return _from_env("REVIEWLIB_EXECUTED_DIR") or runs_dir() / "notebooks"


def generated_dir() -> Path:
    """Generated book pages and the claim records staged from the published runs
    (``REVIEWLIB_GENERATED_DIR``; checkout: ``book/_generated``). Written only by
    ``reviewlib pages``.
    """
    return _resolve("REVIEWLIB_GENERATED_DIR", "book/_generated", "data", "generated")


def staged_notebooks_dir() -> Path:
    """Executed notebooks the book renders, copied from the published runs by ``reviewlib pages``
    (``REVIEWLIB_STAGED_NOTEBOOKS_DIR``; checkout: ``book/notebooks``). Written only by
    ``reviewlib pages``.
    """
    return _resolve("REVIEWLIB_STAGED_NOTEBOOKS_DIR", "book/notebooks", "data", "book-notebooks")


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


#: prefixes of the folders a publish in progress writes beside the published runs
STAGING_PREFIX = ".staging-"
OLD_PREFIX = ".old-"


def in_progress(path: Path, *, published_dir: Path) -> bool:
    """Whether ``path`` (below ``published_dir``) lies in a publish in progress: its staging folder
    or the previous run it is replacing, which readers of the published runs must skip.
    """
    parts = Path(path).relative_to(published_dir).parts
    return any(part.startswith((STAGING_PREFIX, OLD_PREFIX)) for part in parts)
