"""The book builds with warnings as errors (-W -n --keep-going), from the published runs (or the
notebook sources where a notebook has no current published run: see ``built_site`` in conftest).
"""

from __future__ import annotations

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
@pytest.mark.xdist_group("site")
def test_book_builds_without_warnings(built_site):
    html = built_site
    for page in ("intro", "reported", "status", "data", "cli", "api"):
        assert (html / f"{page}.html").is_file(), page
    assert "allen_dynes_43" in (html / "data.html").read_text()
    # math is served from the build (no CDN)
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert "cdn.jsdelivr.net/npm/mathjax" not in (html / "intro.html").read_text()
    # the reference pages are generated: every subcommand, and the docstrings of the package
    cli_html = (html / "cli.html").read_text()
    for command in ("reviewlib data fetch", "reviewlib run", "--publish", "reviewlib pages", "reviewlib tc"):
        assert command in cli_html, command
    api_html = (html / "api.html").read_text()
    assert "reviewlib.publish.publish" in api_html and "reviewlib.claims.record" in api_html
    # the landing page opens with the per-milestone verdict overview linked to the chapters
    intro = (html / "intro.html").read_text()
    assert "verdict-overview" in intro and 'href="notebooks/01_xie2022_eliashberg_ml.html"' in intro


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
