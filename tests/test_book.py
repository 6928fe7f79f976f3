"""The book builds with warnings as errors (-W -n --keep-going).

The notebooks' *sources* stand in for the executed copies so that this test checks the book's
configuration, table of contents, generated pages and bibliography without running papermill.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reviewlib import bookpages

REPO = Path(__file__).resolve().parents[1]


def _toc_files(toc: dict) -> list[str]:
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [ch["file"] for ch in part["chapters"]]
    return files


def test_every_toc_notebook_has_a_source_with_a_parameters_cell():
    import nbformat

    toc = yaml.safe_load((REPO / "book" / "_toc.yml").read_text())
    for entry in _toc_files(toc):
        if entry.startswith("notebooks/"):
            src = REPO / f"{entry}.ipynb"
            nb = nbformat.read(src, as_version=4)
            tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
            assert len(tagged) == 1, f"{src.name}: needs exactly one cell tagged 'parameters'"
            assert "mode" in tagged[0].source, f"{src.name}: parameters cell must set mode"
            assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
                f"{src.name}: commit notebooks without outputs"
            )


@pytest.mark.book
@pytest.mark.slow
def test_book_builds_without_warnings(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(REPO / "book", book, ignore=shutil.ignore_patterns("_build", "_generated", "notebooks"))
    (book / "notebooks").mkdir()
    for src in (REPO / "notebooks").glob("*.ipynb"):
        shutil.copyfile(src, book / "notebooks" / src.name)
    bookpages.write_pages(
        book / "_generated", records_dir=tmp_path / "records", status_path=tmp_path / "status.json"
    )
    exe = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [str(exe), "build", str(book), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    html = book / "_build" / "html"
    assert (html / "intro.html").is_file() and (html / "reported.html").is_file()
    assert "allen_dynes_43" in (html / "data.html").read_text()


def _bib_keys() -> set[str]:
    import re

    text = (REPO / "book" / "references.bib").read_text()
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M))


def test_every_citation_key_is_in_the_bibliography():
    import re

    from reviewlib.claims import reported
    from reviewlib.data import records

    keys = _bib_keys()
    used = {("registry", r.citation) for r in records().values()}
    used |= {("reported", k) for k in reported()["source"]}
    sources = list((REPO / "notebooks").glob("*.ipynb")) + list((REPO / "book").glob("*.md"))
    for path in sources:
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", path.read_text()):
            used |= {(path.name, k.strip()) for k in group.split(",")}
    missing = sorted((where, k) for where, k in used if k not in keys)
    assert not missing, f"citation keys missing from book/references.bib: {missing}"


def test_reported_page_titles_each_milestone_with_its_notebook(tmp_path):
    page = bookpages.reported_page(tmp_path / "no-records")
    assert "\n## Xie et al. (2022)" in page
    assert "Notebook: [01_xie2022_eliashberg_ml](notebooks/01_xie2022_eliashberg_ml.ipynb)" in page
    assert "\n## Zhang et al. (2022)" in page and "### " not in page
