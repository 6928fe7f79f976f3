"""Shared fixtures: the data mirror beside the repository, and records kept out of the book."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
_SIBLING_MIRROR = REPO.parent / "shared" / "data"

if "REVIEWLIB_DATA_MIRROR" not in os.environ and _SIBLING_MIRROR.is_dir():
    os.environ["REVIEWLIB_DATA_MIRROR"] = str(_SIBLING_MIRROR)


@pytest.fixture(autouse=True)
def _records_in_tmp(tmp_path_factory, monkeypatch):
    """Claims recorded by tests go to a temporary folder, never into the book."""
    monkeypatch.setenv("REVIEWLIB_RECORDS_DIR", str(tmp_path_factory.mktemp("records")))


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator: the same test gives the same numbers."""
    return np.random.default_rng(20240101)


@pytest.fixture
def mirror() -> Path:
    """The data mirror; tests that need data fail (not skip) when it is missing."""
    root = os.environ.get("REVIEWLIB_DATA_MIRROR")
    if not root or not Path(root).is_dir():
        pytest.fail("REVIEWLIB_DATA_MIRROR is not set or missing: set it to ../shared/data")
    return Path(root)
