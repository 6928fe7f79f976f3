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
    """Claims recorded by tests, and the status and timings of their runs, go to temporary
    folders, never into the checkout's runs/ or the book.
    """
    monkeypatch.setenv("REVIEWLIB_RECORDS_DIR", str(tmp_path_factory.mktemp("records")))
    monkeypatch.setenv("REVIEWLIB_RUNS_DIR", str(tmp_path_factory.mktemp("runs")))


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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The book built (``jupyter-book build -W -n``) in a temporary copy, the way ``make book``
    builds it: each notebook from its published run when that run is current, otherwise from its
    source (no outputs), so the build and browser tests also work before a notebook is published.
    Returns the HTML folder. ``REVIEWLIB_TEST_SITE=book/_build/html`` checks an existing build
    instead (for example the one ``make book`` made).
    """
    import shutil
    import subprocess
    import sys

    from reviewlib.book import cli, pages, publish

    if os.environ.get("REVIEWLIB_TEST_SITE"):
        return Path(os.environ["REVIEWLIB_TEST_SITE"]).resolve()
    tmp = tmp_path_factory.mktemp("site")
    book = tmp / "book"
    shutil.copytree(
        REPO / "book", book, ignore=shutil.ignore_patterns("_build", "_generated", "notebooks", "published")
    )
    (book / "notebooks").mkdir()
    records = book / "_generated" / "records"
    records.mkdir(parents=True)
    provenances = []
    chapters = pages.toc_notebooks() or set()
    for src in sorted((REPO / "notebooks").glob("[0-9]*.ipynb")):
        if src.stem not in chapters:
            continue  # not a chapter yet (no published run): the book does not include it
        folder = REPO / "book" / "published" / src.stem
        if publish.check(src, published_dir=REPO / "book" / "published") is None:
            publish._stage_notebook(folder / src.name, book / "notebooks" / src.name)
            publish.stage_records(folder, records)
            provenances.append(publish.load_provenance(src.stem, published_dir=REPO / "book" / "published"))
        else:
            shutil.copyfile(src, book / "notebooks" / src.name)
    pages.write_pages(
        book / "_generated", cli_parser=cli.build_parser(), records_dir=records, provenances=provenances
    )
    exe = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [str(exe), "build", str(book), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return book / "_build" / "html"
