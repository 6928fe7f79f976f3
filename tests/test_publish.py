"""Published runs: a full run is kept with its provenance; a failed run publishes nothing; stale or
hand-edited runs are refused with the command that refreshes them.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from reviewlib import cli, publish


def _notebook(path, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('mode = "fast"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A test chapter"), params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


RECORDING = """
import sys
from reviewlib import claims
print("mode is", mode)
for i in range(3):
    sys.stderr.write(f"\\rprogress {i}/3")
claims.record("belli2021.fit_slope", 740.0, note="test")
"""


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    src = tmp_path / "notebooks"
    src.mkdir()
    for name, value in {
        "REVIEWLIB_NOTEBOOKS_DIR": src,
        "REVIEWLIB_EXECUTED_DIR": tmp_path / "executed",
        "REVIEWLIB_GENERATED_DIR": tmp_path / "generated",
        "REVIEWLIB_PUBLISHED_DIR": tmp_path / "published",
    }.items():
        monkeypatch.setenv(name, str(value))
    return tmp_path


@pytest.mark.slow
def test_publish_keeps_notebook_records_and_provenance_and_refuses_stale(dirs, capsys):
    src = dirs / "notebooks" / "01_xie2022_test.ipynb"
    _notebook(src, RECORDING)
    assert cli.main(["run", "01_xie2022_test", "--mode", "full", "--publish"]) == 0
    folder = dirs / "published" / "01_xie2022_test"
    prov = json.loads((folder / "provenance.json").read_text())
    assert prov["source_sha256"] == publish.sha256_file(src)
    assert prov["mode"] == "full" and prov["parameters"] == {"mode": "full"}
    assert len(prov["git_commit"]) == 40
    assert prov["wall_time_s"] > 0 and prov["peak_memory_mb"] > 0
    assert prov["machine"]["cpu_count"] >= 1 and prov["machine"]["memory_gb"] > 0
    assert prov["started"] <= prov["finished"]
    assert set(prov["files"]) == {"01_xie2022_test.ipynb", "records/belli2021.fit_slope.json"}
    record = json.loads((folder / "records" / "belli2021.fit_slope.json").read_text())
    assert record["value"] == 740.0 and record["mode"] == "full" and record["notebook"] == "01_xie2022_test"
    executed = nbformat.read(folder / "01_xie2022_test.ipynb", as_version=4)
    texts = [o.get("text", "") for o in executed.cells[-1].outputs]
    assert "mode is full\n" in texts
    assert any(t == "progress 2/3" for t in texts), texts  # progress bar reduced to its last state
    # claims.record displays a line with the anchor the Reported-vs-reproduced page links to
    shown = [o["data"]["text/html"] for o in executed.cells[-1].outputs if "text/html" in o.get("data", {})]
    assert any('id="claim-belli2021-fit_slope"' in h and "recorded" in h for h in shown), shown
    assert publish.check(src) is None

    # the book stages exactly the published files
    provs = publish.stage_for_book()
    assert provs[0]["notebook"] == "01_xie2022_test"
    assert (dirs / "executed" / "01_xie2022_test.ipynb").read_bytes() == (
        folder / "01_xie2022_test.ipynb"
    ).read_bytes()

    # a hand edit of the published outputs is caught ...
    original = (folder / "01_xie2022_test.ipynb").read_text()
    (folder / "01_xie2022_test.ipynb").write_text(original.replace("mode is full", "mode is FULL"))
    problem = publish.check(src)
    assert problem.kind == "tampered" and "edited or removed by hand" in problem.message
    (folder / "01_xie2022_test.ipynb").write_text(original)
    # ... and so is a change of the notebook source, naming the notebook and the refresh command
    _notebook(src, RECORDING + "\nprint('changed')")
    problem = publish.check(src)
    assert problem.kind == "stale"
    assert "01_xie2022_test" in problem.message
    assert "reviewlib run 01_xie2022_test --mode full --publish" in problem.message
    with pytest.raises(publish.PublishError, match="stale"):
        publish.stage_for_book()


@pytest.mark.slow
def test_failed_run_publishes_nothing_and_keeps_the_previous_run(dirs, capsys):
    src = dirs / "notebooks" / "02_stanev2018_test.ipynb"
    _notebook(src, "print('first')")
    assert cli.main(["run", "02_stanev2018_test", "--publish"]) == 0
    folder = dirs / "published" / "02_stanev2018_test"
    before = {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    _notebook(src, "x = 1\nraise ValueError('deliberate failure')")
    capsys.readouterr()
    assert cli.main(["run", "02_stanev2018_test", "--publish"]) == 1
    out = capsys.readouterr().out
    assert "02_stanev2018_test.ipynb: failed in cell 4" in out  # markdown, parameters, injected, failing
    assert "starting 'x = 1'" in out and "ValueError: deliberate failure" in out
    assert "nothing published" in out
    after = {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in (dirs / "published").iterdir()] == ["02_stanev2018_test"]  # no staging left
    assert publish.check(src).kind == "stale"


def test_missing_run_and_fast_publish_into_the_checkout_are_refused(dirs, monkeypatch, capsys):
    src = dirs / "notebooks" / "03_zhang2022_test.ipynb"
    _notebook(src, "pass")
    problem = publish.check(src)
    assert (
        problem.kind == "missing"
        and "reviewlib run 03_zhang2022_test --mode full --publish" in problem.message
    )
    monkeypatch.delenv("REVIEWLIB_PUBLISHED_DIR")
    assert cli.main(["run", "03_zhang2022_test", "--mode", "fast", "--publish"]) == 2
    assert "full-mode" in capsys.readouterr().err


def test_slim_notebook_drops_widgets_and_cuts_huge_text(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": {"model_id": "a"}, "text/plain": "HBox()"},
        ),
        nbformat.v4.new_output("execute_result", data={"text/plain": "y" * 300_000}, execution_count=1),
    ]
    nb.cells = [cell]
    nb.metadata["widgets"] = {"state": {}}
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert publish.slim_notebook(path) == {"widgets": 1, "progress": 0, "cut": 1, "png": 0}
    out = nbformat.read(path, as_version=4)
    assert "widgets" not in out.metadata and len(out.cells[0].outputs) == 1
    assert out.cells[0].outputs[0]["data"]["text/plain"].endswith("[output cut to 200 kB for publishing]\n")


def test_slim_notebook_stores_big_figures_with_a_palette(tmp_path):
    import base64
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from PIL import Image

    fig, ax = plt.subplots(figsize=(12, 9), dpi=150)
    ax.imshow(np.random.default_rng(0).random((200, 200)), cmap="viridis")
    ax.set_xlabel("x (px)")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    png = base64.b64encode(buf.getvalue()).decode()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("plot")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})]
    nb.cells = [cell]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert publish.slim_notebook(path)["png"] == 1
    small = nbformat.read(path, as_version=4).cells[0].outputs[0]["data"]["image/png"]
    assert len(small) < 0.6 * len(png)
    before = Image.open(io.BytesIO(buf.getvalue()))
    after = Image.open(io.BytesIO(base64.b64decode(small)))
    assert after.size == before.size
    diff = np.abs(np.asarray(after.convert("RGBA"), float) - np.asarray(before.convert("RGBA"), float))
    assert diff.mean() < 3  # of 255: visually the same figure


def test_in_progress_folders_are_recognised(tmp_path):
    run = tmp_path / "02_x" / "records" / "results" / "02_x.jsonl"
    staging = tmp_path / f"{publish.STAGING_PREFIX}02_x-abc" / "records" / "results" / "02_x.jsonl"
    old = tmp_path / f"{publish.OLD_PREFIX}02_x-1-2" / "provenance.json"
    assert not publish.in_progress(run, published_dir=tmp_path)
    assert publish.in_progress(staging, published_dir=tmp_path)
    assert publish.in_progress(old, published_dir=tmp_path)
