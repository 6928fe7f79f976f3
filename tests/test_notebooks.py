"""Every notebook runs in fast mode (papermill, into a temporary folder: never the published runs),
and every notebook in the table of contents has a current, full-mode published run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reviewlib.book import publish, results, runner

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = runner.discover(folder=REPO / "notebooks")
#: chapters that record their model evaluations in the results store, each group with a baseline
RECORDS_RESULTS = {
    "01_xie2022_eliashberg_ml",
    "02_stanev2018_supercon",
    "03_zhang2022_soap_models",
    "04_semenok2018_tc_map",
    "05_ishikawa2019_gp_predictor",
    "06_hutcheon2020_nn_tc_pressure",
    "07_tran_vu2023_gpr_lambda_omegalog",
    "08_shipley2021_gpr_hopfield",
    "09_choudhary2022_prediction_routes",
    "13_synthesis_review_perspectives",
    "14_pipeline_future_superconductors",
}


def toc_notebooks() -> list[str]:
    """Stems of the notebooks the book's table of contents lists."""
    toc = yaml.safe_load((REPO / "book" / "_toc.yml").read_text())
    files = [ch["file"] for part in toc.get("parts", []) for ch in part["chapters"]]
    return [Path(f).name for f in files if f.startswith("notebooks/")]


@pytest.mark.slow
@pytest.mark.parametrize("source", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_fast_mode(source, tmp_path, monkeypatch):
    published = REPO / "book" / "published"

    def snapshot():  # a publish running at the same time writes only .staging-*/.old-* folders
        if not published.is_dir():
            return []
        return sorted(
            (p, p.stat().st_mtime_ns)
            for p in published.rglob("*")
            if not publish.in_progress(p, published_dir=published)
        )

    before = snapshot()
    result = runner.run_notebook(
        source, mode="fast", out_dir=tmp_path / "executed", records_dir=tmp_path / "records", progress=False
    )
    assert result.status == "ok", result.error
    assert (tmp_path / "executed" / source.name).is_file()
    assert snapshot() == before, "a fast run touched the published runs"
    stored = results.load(tmp_path / "records")  # validates every row the run recorded
    if source.stem in RECORDS_RESULTS:
        assert len(stored), f"{source.stem} recorded no model evaluation (reviewlib.book.results)"
        groups = stored.groupby(results.GROUP)["baseline"].any()
        assert groups.all(), f"groups without a trivial baseline: {list(groups[~groups].index)}"


@pytest.mark.parametrize("stem", toc_notebooks())
def test_toc_notebook_has_a_current_full_published_run(stem):
    source = REPO / "notebooks" / f"{stem}.ipynb"
    assert source.is_file(), f"book/_toc.yml lists notebooks/{stem} but notebooks/{stem}.ipynb does not exist"
    problem = publish.check(source, published_dir=REPO / "book" / "published", require_full=True)
    if problem is not None:
        pytest.fail(problem.message, pytrace=False)
