"""A non-editable install writes records and caches in per-user folders, never inside the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

RECORD_AND_CACHE = """
import reviewlib, sys
from pathlib import Path
from reviewlib import settings
from reviewlib.book import claims
from reviewlib.data.registry import cache_root
from reviewlib.features.cache import cached

assert settings.checkout_root() is None, settings.checkout_root()
claim = claims.reported()["claim_id"].iloc[0]
kind = claims.reported().set_index("claim_id").loc[claim, "comparison"]
rec = claims.record(claim, True if kind == "bool" else 1.0, note="install test", mode="fast")
import numpy as np
cached("install-test", key={"n": 1}, compute=lambda: np.arange(3.0))
print("PACKAGE", Path(reviewlib.__file__).parent)
print("RECORDS", claims.records_dir())
print("CACHE", cache_root())
"""


def _tree(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")}


@pytest.mark.slow
def test_non_editable_install_writes_nothing_inside_the_package(tmp_path):
    """Build a wheel of this checkout, install it with ``--target`` (no checkout around it), then run
    ``reviewlib data list``, ``data verify`` on a mirror file, a claim record and a feature-cache write.
    """
    wheels, site, home = tmp_path / "wheels", tmp_path / "site", tmp_path / "home"
    src = tmp_path / "src"  # a clean copy: the build must not leave files in the checkout
    top_level = {".git", ".venv", "book", "data", "notebooks", "tests", "benchmarks", "build", "scripts"}
    shutil.copytree(
        REPO,
        src,
        ignore=lambda folder, names: [
            n
            for n in names
            if (Path(folder) == REPO and n in top_level) or n == "__pycache__" or n.endswith(".egg-info")
        ],
    )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(src)], check=True)
    (wheel,) = wheels.glob("reviewlib-*.whl")
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-compile", "--target", str(site), str(wheel)], check=True
    )
    package = site / "reviewlib"
    before = _tree(site)
    assert "reviewlib/data/registry/records.json" in before and "reviewlib/reported/context.csv" in before

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("REVIEWLIB_") or key == "REVIEWLIB_DATA_MIRROR"
    }
    env.update(
        PYTHONPATH=str(site),
        PYTHONDONTWRITEBYTECODE="1",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "share"),
        XDG_CACHE_HOME=str(home / "cache"),
    )

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    listing = run("-m", "reviewlib.book.cli", "data", "list")
    assert "stanev_supercon" in listing and "records" in listing.splitlines()[-1]
    if env.get("REVIEWLIB_DATA_MIRROR"):
        assert "ok" in run("-m", "reviewlib.book.cli", "data", "verify", "allen_dynes_43")
    out = dict(line.split(" ", 1) for line in run("-c", RECORD_AND_CACHE).splitlines())
    assert Path(out["PACKAGE"]) == package, "the installed copy, not the checkout, was imported"
    records, cache = Path(out["RECORDS"]), Path(out["CACHE"])
    assert records.is_relative_to(home / "share") and cache.is_relative_to(home / "cache")
    assert len(list(records.glob("*.json"))) == 1
    assert len(list((cache / "features").glob("install-test-*.npz"))) == 1
    assert _tree(site) == before, "files were written inside site-packages"
