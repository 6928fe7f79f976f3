"""Every chapter notebook and its jupytext text source (``notebooks/NN_name.py``) hold the same cells.

The ``.py`` is the source of truth; ``scripts/sync_notebooks.py`` converts and checks (``make
sync-check``). A pair listed in ``KNOWN_UNSYNCED`` is an expected failure that must stay failing
(strict xfail): once it is fixed, its entry has to go.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]


def _load_sync():
    spec = importlib.util.spec_from_file_location("sync_notebooks", REPO / "scripts" / "sync_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("sync_notebooks", module)
    spec.loader.exec_module(module)
    return module


sync = _load_sync()
STEMS = sorted({p.stem for p in (REPO / "notebooks").glob("[0-9]*.ipynb")})


def _params():
    for stem in STEMS:
        marks = ()
        if stem in sync.KNOWN_UNSYNCED:
            marks = pytest.mark.xfail(strict=True, reason=sync.KNOWN_UNSYNCED[stem])
        yield pytest.param(stem, marks=marks, id=stem)


@pytest.mark.parametrize("stem", list(_params()))
def test_notebook_and_text_source_in_sync(stem):
    problem = sync.check(sync.Pair(stem))
    assert problem is None, problem


def test_every_text_source_has_a_notebook():
    orphans = sorted(p.name for p in (REPO / "notebooks").glob("[0-9]*.py") if p.stem not in STEMS)
    assert not orphans, f"{orphans}: run `.venv/bin/python scripts/sync_notebooks.py NN` to write the .ipynb"


def test_known_unsynced_names_existing_notebooks():
    assert set(sync.KNOWN_UNSYNCED) <= set(STEMS)


# --- the converter itself, on a copy in a temporary folder -----------------------------------


@pytest.fixture
def pair(tmp_path, monkeypatch):
    """A copy of chapter 02's pair in a temporary notebooks folder."""
    monkeypatch.setattr(sync, "NOTEBOOKS", tmp_path)
    stem = next(s for s in STEMS if s.startswith("02_"))
    for ext in (".ipynb", ".py"):
        shutil.copyfile(REPO / "notebooks" / f"{stem}{ext}", tmp_path / f"{stem}{ext}")
    return sync.Pair(stem)


def test_in_sync_pair_is_not_rewritten(pair):
    before = pair.ipynb.read_bytes()
    assert sync.check(pair) is None
    assert sync.to_ipynb(pair) is False
    assert pair.ipynb.read_bytes() == before


def test_edited_source_is_named_with_cell_and_fix_then_fixed(pair):
    text = pair.py.read_text()
    old_nb = nbformat.read(pair.ipynb, as_version=4)
    edited = text.replace('# %% tags=["parameters"]\n', '# %% tags=["parameters"]\nextra_setting = 1\n', 1)
    assert edited != text
    pair.py.write_text(edited)
    problem = sync.check(pair)
    assert problem is not None
    index = next(i for i, c in enumerate(old_nb.cells) if "parameters" in c.metadata.get("tags", []))
    assert f"cell {index} (code)" in problem
    assert "'extra_setting = 1'" in problem
    assert "scripts/sync_notebooks.py 02" in problem and "--to-py 02" in problem
    assert sync.to_ipynb(pair) is True
    assert sync.check(pair) is None
    new_nb = nbformat.read(pair.ipynb, as_version=4)
    assert [c.id for c in new_nb.cells] == [c.id for c in old_nb.cells]  # edited in place: ids kept
    assert new_nb.cells[index].source.startswith("extra_setting = 1\n")


def test_metadata_difference_is_reported(pair):
    nb = nbformat.read(pair.ipynb, as_version=4)
    i = next(i for i, c in enumerate(nb.cells) if "hide-input" in c.metadata.get("tags", []))
    nb.cells[i].metadata["tags"] = []
    nbformat.write(nb, pair.ipynb)
    problem = sync.check(pair)
    assert problem is not None and f"cell {i} " in problem and "metadata" in problem


def test_outputs_and_trailing_whitespace_are_ignored(pair):
    nb = nbformat.read(pair.ipynb, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", text="hello\n")]
    code.execution_count = 7
    code.source = code.source + "   \n\n"
    nbformat.write(nb, pair.ipynb)
    assert sync.check(pair) is None


def test_missing_text_source_names_the_command(pair):
    pair.py.unlink()
    assert "--to-py 02" in sync.check(pair)
    assert sync.to_py(pair) is True
    assert sync.check(pair) is None


def test_merged_cells_are_explained():
    nb_cells = [nbformat.v4.new_code_cell('x = 1\n\n\n# %% tags=["hide-input"]\nplot(x)')]
    py_cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("plot(x)")]
    py_cells[1].metadata["tags"] = ["hide-input"]
    message = sync.first_difference(nb_cells, py_cells)
    assert message.startswith("cell 0 (code)") and "two cells merged" in message
