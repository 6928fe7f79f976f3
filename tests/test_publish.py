"""Published runs: a full run is kept with its provenance; a failed run publishes nothing; stale or
hand-edited runs are refused with the command that refreshes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from reviewlib import settings
from reviewlib.book import cli, pages, publish

REPO = Path(__file__).resolve().parents[1]
REFRESH = "reviewlib run {} --mode full --publish"


def _notebook(path, body: str) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('mode = "fast"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# A test chapter"), params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


RECORDING = """
import sys
from reviewlib.book import claims
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
        "REVIEWLIB_RUNS_DIR": tmp_path / "runs",
        "REVIEWLIB_GENERATED_DIR": tmp_path / "book" / "_generated",
        "REVIEWLIB_STAGED_NOTEBOOKS_DIR": tmp_path / "book" / "notebooks",
        "REVIEWLIB_PUBLISHED_DIR": tmp_path / "published",
    }.items():
        monkeypatch.setenv(name, str(value))
    # local runs in their default place below REVIEWLIB_RUNS_DIR
    monkeypatch.delenv("REVIEWLIB_RECORDS_DIR", raising=False)
    monkeypatch.delenv("REVIEWLIB_EXECUTED_DIR", raising=False)
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
    # CPU time beside the wall time, the machine's load at the start and the end
    assert 0 < prov["cpu_time_s"] and len(prov["load_average_start"]) == len(prov["load_average_end"]) == 3
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
    assert (dirs / "book" / "notebooks" / "01_xie2022_test.ipynb").read_bytes() == (
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


# --- issue 22 case 5: the mode of a published run is the mode its notebook ran with ---------------


@pytest.mark.parametrize(
    "argv",
    [
        ["01_xie2022_test", "--publish", "-p", "mode=fast"],
        ["01_xie2022_test", "--mode", "full", "--publish", "-p", "MODE=fast"],
        ["01_xie2022_test", "--publish", "-p", " mode = fast"],
        ["01_xie2022_test", "--publish", "--param=mode='fast'"],
        ["--publish", "-p", "mode", "fast", "01_xie2022_test"],  # papermill's spelling
        ["--publish", "-p", "mode=full", "01_xie2022_test"],
    ],
)
def test_publish_refuses_a_parameter_that_changes_the_mode(dirs, capsys, argv):
    src = dirs / "notebooks" / "01_xie2022_test.ipynb"
    _notebook(src, RECORDING)
    assert cli.main(["run", *argv]) == 2
    err = capsys.readouterr().err
    assert "--mode" in err and "Traceback" not in err
    assert not (dirs / "published" / "01_xie2022_test").exists()
    # papermill's spelling after the notebook name: argparse refuses the stray value
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "01_xie2022_test", "--publish", "-p", "mode", "fast"])
    assert exc.value.code == 2 and not (dirs / "published" / "01_xie2022_test").exists()
    with pytest.raises(publish.PublishError, match="--mode"):
        publish.publish(src, mode="full", parameters={"Mode": "fast"})


def _fake_run(dirs, stem: str, *, mode: str = "full", records=None, rows=None, glued_mode=None):
    """A published run of a one-cell notebook, written without executing it (as papermill would
    leave it: parameters cell, injected-parameters cell, metadata), with a valid provenance.
    """
    src = dirs / "notebooks" / f"{stem}.ipynb"
    _notebook(src, "pass")
    folder = dirs / "published" / stem
    (folder / "records" / "results").mkdir(parents=True)
    nb = nbformat.read(src, as_version=4)
    injected = nbformat.v4.new_code_cell(f'# Parameters\nmode = "{mode}"\n')
    injected.metadata["tags"] = ["injected-parameters", "hide-input"]
    nb.cells.insert(2, injected)
    nb.metadata["papermill"] = {"parameters": {"mode": mode}}
    if glued_mode is not None:
        nb.cells[-1].outputs = [
            nbformat.v4.new_output(
                "display_data",
                data={"application/papermill.record/text/plain": repr(glued_mode)},
                metadata={"scrapbook": {"name": "mode", "mime_prefix": "application/papermill.record/"}},
            )
        ]
    nbformat.write(nb, folder / src.name)
    for claim_id, rec in (records or {}).items():
        (folder / "records" / f"{claim_id}.json").write_text(json.dumps(rec))
    if rows:
        (folder / "records" / "results" / f"{stem}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in rows)
        )
    _write_provenance(folder, src, mode=mode)
    return src, folder


def _write_provenance(folder, src, **changes) -> dict:
    prov = json.loads(
        (REPO / "book" / "published" / "02_stanev2018_supercon" / "provenance.json").read_text()
    )
    files = {
        p.relative_to(folder).as_posix(): publish.sha256_file(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "provenance.json"
    }
    prov.update(
        notebook=src.stem,
        source=f"notebooks/{src.name}",
        source_sha256=publish.sha256_file(src),
        command=REFRESH.format(src.stem),
        files=files,
        size_bytes=sum((folder / rel).stat().st_size for rel in files),
    )
    prov.update(changes)
    prov["parameters"] = {"mode": prov["mode"]}
    (folder / "provenance.json").write_text(json.dumps(prov, indent=1))
    return prov


def test_pages_refuse_a_run_whose_notebook_ran_fast_whatever_its_provenance_says(dirs):
    src, folder = _fake_run(dirs, "01_xie2022_test", mode="full")
    assert publish.check(src, require_full=True) is None
    # a fast run (as `-p mode=fast` used to publish) whose provenance says full
    src, folder = _fake_run(dirs, "02_stanev2018_test", mode="fast")
    _write_provenance(folder, src, mode="full")
    problem = publish.check(src, require_full=True)
    assert problem is not None and "fast" in problem.message
    assert REFRESH.format("02_stanev2018_test") in problem.message
    with pytest.raises(publish.PublishError, match="02_stanev2018_test"):
        publish.stage_for_book(["01_xie2022_test", "02_stanev2018_test"])
    # provenance and notebook agree on fast: refused for the website, accepted for a preview
    _write_provenance(folder, src, mode="fast")
    problem = publish.check(src, require_full=True)
    assert problem.kind == "fast" and REFRESH.format("02_stanev2018_test") in problem.message
    assert publish.check(src, require_full=False) is None
    # the chapter glued another mode than its parameters say
    src, folder = _fake_run(dirs, "03_zhang2022_test", mode="full", glued_mode="fast")
    assert "glued mode 'fast'" in publish.check(src, require_full=True).message


def test_every_published_run_executed_in_full_mode():
    published = REPO / "book" / "published"
    runs = sorted(p for p in published.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(runs) >= 14
    for run in runs:
        assert publish.executed_mode(run / f"{run.name}.ipynb") == "full", run.name
        assert publish.load_provenance(run.name, published_dir=published)["mode"] == "full"
        source = REPO / "notebooks" / f"{run.name}.ipynb"
        problem = publish.check(source, published_dir=published, require_full=True)
        assert problem is None or problem.kind == "stale", problem  # stale: refreshed on another branch


# --- issue 22 case 6: `reviewlib pages` never deletes the outputs of a local run -------------------


def test_local_runs_and_the_book_staging_are_separate_folders(monkeypatch):
    for name in ("RUNS", "RECORDS", "EXECUTED", "GENERATED", "STAGED_NOTEBOOKS"):
        monkeypatch.delenv(f"REVIEWLIB_{name}_DIR", raising=False)
    root = settings.checkout_root()
    assert settings.executed_dir() == root / "runs" / "notebooks"
    assert settings.records_dir() == root / "runs" / "records"
    assert settings.staged_notebooks_dir() == root / "book" / "notebooks"
    assert settings.generated_dir() == root / "book" / "_generated"
    assert "runs/" in (root / ".gitignore").read_text().splitlines()


def _snapshot(*folders) -> dict:
    return {p: p.read_bytes() for folder in folders for p in sorted(Path(folder).rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_pages_keep_the_outputs_of_a_local_run(dirs, monkeypatch, capsys):
    src = dirs / "notebooks" / "01_xie2022_test.ipynb"
    _notebook(src, RECORDING)
    assert cli.main(["run", "01_xie2022_test", "--mode", "full", "--publish"]) == 0
    assert cli.main(["run", "01_xie2022_test", "--mode", "fast"]) == 0  # a local run
    local_nb = settings.executed_dir() / "01_xie2022_test.ipynb"
    local_rec = settings.records_dir() / "belli2021.fit_slope.json"
    assert "mode is fast" in local_nb.read_text() and json.loads(local_rec.read_text())["mode"] == "fast"
    before = _snapshot(settings.executed_dir(), settings.records_dir())
    monkeypatch.setattr(pages, "toc_notebooks", lambda: {"01_xie2022_test"})
    monkeypatch.setattr(pages, "api_page", lambda: "api\n")  # imports every module: slow
    capsys.readouterr()
    assert cli.main(["pages"]) == 0, capsys.readouterr().err
    assert cli.main(["pages"]) == 0, capsys.readouterr().err  # again: replaces only its own files
    assert _snapshot(settings.executed_dir(), settings.records_dir()) == before
    staged = dirs / "book" / "notebooks" / "01_xie2022_test.ipynb"
    assert "mode is full" in staged.read_text()
    assert (
        json.loads((dirs / "book" / "_generated" / "records" / "belli2021.fit_slope.json").read_text())[
            "mode"
        ]
        == "full"
    )

    # a file pages did not write (a local run made before runs/ existed) is never overwritten
    staged.write_text("my own executed notebook")
    (dirs / "book" / "_generated" / "records" / "mine.json").write_text("{}")
    capsys.readouterr()
    assert cli.main(["pages"]) == 1
    err = capsys.readouterr().err
    assert str(staged) in err and "mine.json" in err and "Traceback" not in err
    assert staged.read_text() == "my own executed notebook"
    assert (dirs / "book" / "_generated" / "records" / "mine.json").read_text() == "{}"


# --- issue 22 case 7: fields are escaped; provenance and records are validated ----------------------

SCRIPT = "<script>alert(1)</script>"


def test_status_page_escapes_every_provenance_field():
    prov = json.loads(
        (REPO / "book" / "published" / "02_stanev2018_supercon" / "provenance.json").read_text()
    )
    prov.update(
        notebook=SCRIPT,
        mode=SCRIPT,
        started=SCRIPT,
        git_commit=SCRIPT,
        machine={
            **prov["machine"],
            "cpu_count": SCRIPT,
            "python": SCRIPT,
            "platform": f'" onclick="{SCRIPT}',
        },
        wall_time_s="slow",
    )
    page = pages.status_page([prov])
    assert "<script" not in page and "&lt;script&gt;" in page
    assert 'onclick="' not in page
    row = next(line for line in page.splitlines() if "&lt;script" in line)
    assert "](notebooks/" not in row  # no link made from a notebook name that is not a plain name
    # older runs (no CPU time, no load) say so
    older = {
        k: v for k, v in prov.items() if k not in ("cpu_time_s", "load_average_start", "load_average_end")
    }
    assert "not recorded" in pages.status_page([{**older, "notebook": "02_x"}])


def test_reported_and_results_pages_escape_record_fields(tmp_path):
    records = tmp_path / "records"
    (records / "results").mkdir(parents=True)
    rec = {
        "claim_id": "xie2022.nn_comparable_to_sr",
        "value": False,
        "notebook": SCRIPT,
        "mode": SCRIPT,
        "note": SCRIPT + " | `x` {y}",
        "details": {},
        "timestamp": 0.0,
    }
    (records / "xie2022.nn_comparable_to_sr.json").write_text(json.dumps(rec))
    row = {
        "notebook": "01_x" + SCRIPT,
        "dataset": SCRIPT,
        "target": "Tc",
        "split": "random",
        "features": "*a* _b_",
        "model": SCRIPT,
        "baseline": False,
        "metric": "mae",
        "value": 1.0,
        "unit": "K",
        "uncertainty": None,
        "uncertainty_kind": "",
        "ci_low": None,
        "ci_high": None,
        "n_train": 10,
        "n_test": 5,
        "mode": SCRIPT,
        "note": "x\n\n<b>y</b>",
        "timestamp": 0.0,
    }
    (records / "results" / "01_x.jsonl").write_text(json.dumps(row) + "\n")
    for page in (
        pages.reported_page(records),
        pages.overview_page(records),
        pages.results_page(records),
    ):
        assert "<script" not in page and "&lt;script&gt;" in page
    results = pages.results_page(records)
    assert "<b>y</b>" not in results and "\n\n<b>" not in results and "*a*" not in results


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[]", "the whole file"),
        ('{"files": []}', "files"),
        (None, "wall_time_s"),
        ("not json", "unreadable"),
    ],
)
def test_a_provenance_of_the_wrong_shape_is_refused_like_a_missing_one(dirs, text, field):
    src, folder = _fake_run(dirs, "01_xie2022_test")
    assert publish.check(src, require_full=True) is None
    if text == '{"files": []}':
        prov = json.loads((folder / "provenance.json").read_text())
        text = json.dumps({**prov, "files": []})
    elif text is None:
        prov = json.loads((folder / "provenance.json").read_text())
        text = json.dumps({**prov, "wall_time_s": "about ten minutes"})
    (folder / "provenance.json").write_text(text)
    problem = publish.check(src, require_full=True)
    assert problem is not None
    assert str(folder / "provenance.json") in problem.message and field in problem.message
    assert REFRESH.format("01_xie2022_test") in problem.message
    with pytest.raises(publish.PublishError, match="provenance.json"):
        publish.stage_for_book()


def test_records_of_the_wrong_shape_are_refused(dirs):
    rec = {
        "claim_id": "belli2021.fit_slope",
        "value": 740.0,
        "notebook": "01_xie2022_test",
        "mode": "full",
        "note": "",
        "details": {},
        "timestamp": 0.0,
    }
    row = json.loads(
        (
            REPO
            / "book"
            / "published"
            / "02_stanev2018_supercon"
            / "records"
            / "results"
            / "02_stanev2018_supercon.jsonl"
        )
        .read_text()
        .splitlines()[0]
    )
    row.update(notebook="01_xie2022_test")
    src, folder = _fake_run(dirs, "01_xie2022_test", records={"belli2021.fit_slope": rec}, rows=[row, row])
    assert publish.check(src, require_full=True) is None
    for bad_rec, bad_row, file, field in [
        ({**rec, "value": "740"}, row, "belli2021.fit_slope.json", "value"),
        ({**rec, "mode": SCRIPT}, row, "belli2021.fit_slope.json", "mode"),
        ({**rec, "notebook": "02_other"}, row, "belli2021.fit_slope.json", "notebook"),
        ({k: v for k, v in rec.items() if k != "timestamp"}, row, "belli2021.fit_slope.json", "timestamp"),
        (rec, {**row, "n_test": "5"}, "01_xie2022_test.jsonl line 2", "n_test"),
        (rec, {**row, "mode": "fast"}, "01_xie2022_test.jsonl line 2", "mode"),
    ]:
        (folder / "records" / "belli2021.fit_slope.json").write_text(json.dumps(bad_rec))
        (folder / "records" / "results" / "01_xie2022_test.jsonl").write_text(
            json.dumps(row) + "\n" + json.dumps(bad_row) + "\n"
        )
        _write_provenance(folder, src)
        problem = publish.check(src, require_full=True)
        assert problem is not None and problem.kind == "invalid", (field, problem)
        assert file in problem.message and field in problem.message, problem.message
        assert REFRESH.format("01_xie2022_test") in problem.message


def test_git_state_keeps_the_first_letter_of_every_path(monkeypatch):
    # porcelain status lines start with a space for unstaged changes: " M path"
    def fake_git(*args):
        return "abc123" if args[0] == "rev-parse" else " M reviewlib/x.py\0?? notebooks/y.py\0"

    monkeypatch.setattr(publish, "_git", fake_git)
    assert publish.git_state() == {"commit": "abc123", "uncommitted": ["notebooks/y.py", "reviewlib/x.py"]}
