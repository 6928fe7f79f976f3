"""The papermill runner: status per notebook, non-zero exit when a notebook fails."""

from __future__ import annotations

import json

import nbformat
import pytest

from reviewlib.book import cli, runner


def _notebook(path, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('mode = "fast"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def book_dirs(tmp_path, monkeypatch):
    src = tmp_path / "notebooks"
    src.mkdir()
    monkeypatch.setenv("REVIEWLIB_NOTEBOOKS_DIR", str(src))
    monkeypatch.setenv("REVIEWLIB_EXECUTED_DIR", str(tmp_path / "executed"))
    monkeypatch.setenv("REVIEWLIB_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("REVIEWLIB_GENERATED_DIR", str(tmp_path / "generated"))
    monkeypatch.setenv("REVIEWLIB_PUBLISHED_DIR", str(tmp_path / "published"))
    return src


@pytest.mark.slow
def test_failing_notebook_makes_the_runner_exit_non_zero(book_dirs, tmp_path, capsys):
    _notebook(
        book_dirs / "00_ok.ipynb", "import os\nassert mode == 'fast'\nprint(os.environ['REVIEWLIB_NOTEBOOK'])"
    )
    _notebook(book_dirs / "01_bad.ipynb", "raise RuntimeError('deliberate failure')")
    code = cli.main(["run", "--mode", "fast"])
    assert code != 0
    status = {e["notebook"]: e for e in json.loads((tmp_path / "runs" / "status.json").read_text())}
    assert status["00_ok"]["status"] == "ok"
    assert status["01_bad"]["status"] == "failed"
    assert "deliberate failure" in status["01_bad"]["error"]
    assert status["00_ok"]["seconds"] > 0 and status["00_ok"]["peak_memory_mb"] > 0
    # CPU time of the kernel beside the wall time, and the load at the start and the end
    assert 0 < status["00_ok"]["cpu_seconds"]
    assert len(status["00_ok"]["load_start"]) == 3 and len(status["00_ok"]["load_end"]) == 3
    executed = nbformat.read(tmp_path / "executed" / "00_ok.ipynb", as_version=4)
    assert "00_ok" in executed.cells[-1].outputs[0]["text"]
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "hide-input" in injected[0].metadata["tags"]
    assert "failed: 01_bad" in capsys.readouterr().err


def test_unknown_notebook_and_mode_are_errors(book_dirs):
    with pytest.raises(FileNotFoundError, match="nope"):
        runner.discover(["nope"])
    with pytest.raises(ValueError, match="mode"):
        runner.run_notebook(book_dirs / "x.ipynb", mode="quick")


def test_unknown_notebook_prints_one_line_and_exits_2(book_dirs, capsys):
    assert cli.main(["run", "99_nope"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"reviewlib run: notebook '99_nope' not found (looked in {book_dirs})"
    assert "Traceback" not in err


@pytest.mark.slow
def test_the_run_reports_the_feature_cache_use_of_its_kernel(book_dirs, tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path / "cache"))
    body = (
        "import numpy as np\n"
        "from reviewlib.features.cache import cached\n"
        "for _ in range(3):\n"
        "    cached('demo', key={'n': 1}, compute=lambda: np.arange(4.0))\n"
    )
    _notebook(book_dirs / "00_cache.ipynb", body)
    res = runner.run_notebook(book_dirs / "00_cache.ipynb", mode="fast", records_dir=tmp_path / "records")
    assert res.status == "ok", res.error
    assert res.cache["misses"] == 1 and res.cache["hits"] == 2
    assert res.cache["by_kind"]["demo"]["hits"] == 2
    # a second run finds the entry the first one computed
    again = runner.run_notebook(book_dirs / "00_cache.ipynb", mode="fast", records_dir=tmp_path / "records")
    assert again.cache["misses"] == 0 and again.cache["hits"] == 3
