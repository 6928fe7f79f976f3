"""Every notebook runs in fast mode (papermill, into a temporary folder: never the published runs),
and every notebook in the table of contents has a current, full-mode published run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reviewlib import publish, runner

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = runner.discover(folder=REPO / "notebooks")


def toc_notebooks() -> list[str]:
    """Stems of the notebooks the book's table of contents lists."""
    toc = yaml.safe_load((REPO / "book" / "_toc.yml").read_text())
    files = [ch["file"] for part in toc.get("parts", []) for ch in part["chapters"]]
    return [Path(f).name for f in files if f.startswith("notebooks/")]


@pytest.mark.slow
@pytest.mark.parametrize("source", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_fast_mode(source, tmp_path, monkeypatch):
    published = REPO / "book" / "published"
    before = sorted((p, p.stat().st_mtime_ns) for p in published.rglob("*")) if published.is_dir() else []
    result = runner.run_notebook(
        source, mode="fast", out_dir=tmp_path / "executed", records_dir=tmp_path / "records", progress=False
    )
    assert result.status == "ok", result.error
    assert (tmp_path / "executed" / source.name).is_file()
    after = sorted((p, p.stat().st_mtime_ns) for p in published.rglob("*")) if published.is_dir() else []
    assert after == before, "a fast run touched the published runs"


@pytest.mark.parametrize("stem", toc_notebooks())
def test_toc_notebook_has_a_current_full_published_run(stem):
    source = REPO / "notebooks" / f"{stem}.ipynb"
    assert source.is_file(), f"book/_toc.yml lists notebooks/{stem} but notebooks/{stem}.ipynb does not exist"
    problem = publish.check(source, published_dir=REPO / "book" / "published", require_full=True)
    if problem is not None:
        pytest.fail(problem.message, pytrace=False)
