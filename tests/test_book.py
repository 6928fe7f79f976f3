"""The book builds with warnings as errors (-W -n --keep-going), from the published runs (or the
notebook sources where a notebook has no current published run: see ``built_site`` in conftest).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reviewlib.book import pages

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
    assert "reviewlib.book.publish.publish" in api_html and "reviewlib.book.claims.record" in api_html
    # the landing page opens with the per-milestone verdict overview linked to the chapters
    intro = (html / "intro.html").read_text()
    assert "verdict-overview" in intro and 'href="notebooks/01_xie2022_eliashberg_ml.html"' in intro
    # "All results": the published runs' model evaluations, each group with its baseline, filterable
    results_html = (html / "results.html").read_text()
    assert 'class="results-table"' in results_html and "results-filter.js" in results_html
    published_rows = sum(
        len(p.read_text().splitlines())
        for p in (REPO / "book" / "published").glob("[0-9]*/records/results/*.jsonl")
    )
    if published_rows:
        assert results_html.count("<tr>") > 1 and "baseline" in results_html
        # the compact view per chapter and the CSV of every row (written by `reviewlib pages`)
        assert 'class="results-compact"' in results_html
        assert re.search(r'href="_downloads/[0-9a-f]+/results\.csv"', results_html)
    if "{figure}" in (html.parent.parent / "_generated" / "results.md").read_text():
        assert 'id="fig-results-random-vs-grouped"' in results_html
        assert (html / "_images" / pages.RESULTS_FIGURE).is_file()


def _bib_keys() -> set[str]:
    import re

    text = (REPO / "book" / "references.bib").read_text()
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M))


def test_every_citation_key_is_in_the_bibliography():
    import re

    from reviewlib.book.claims import reported
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
    page = pages.reported_page(tmp_path / "no-records")
    assert "\n## Xie et al. (2022)" in page
    assert "Notebook: [01_xie2022_eliashberg_ml](notebooks/01_xie2022_eliashberg_ml.ipynb)" in page
    assert "\n## Zhang et al. (2022)" in page and "### " not in page


def test_reported_page_is_compact_and_links_each_claim_to_its_cell(tmp_path):
    import json

    from reviewlib.book import claims

    records = tmp_path / "records"
    records.mkdir()
    rec = {
        "claim_id": "xie2022.nn_comparable_to_sr",
        "value": False,
        "notebook": "01_xie2022_eliashberg_ml",
        "mode": "full",
        "note": "",
        "details": {},
        "timestamp": 0.0,
    }
    (records / "xie2022.nn_comparable_to_sr.json").write_text(json.dumps(rec))
    page = pages.reported_page(records)
    anchor = claims.anchor("xie2022.nn_comparable_to_sr")
    assert f'href="notebooks/01_xie2022_eliashberg_ml.html#{anchor}"' in page
    assert '<span class="verdict verdict-missed">missed</span>' in page
    assert "```{container} claims-table" in page and "```{container} verdict-overview" in page
    row = next(line for line in page.splitlines() if anchor in line)
    assert "| full |" in row and "<details><summary>details</summary>" in row.split("|")[1]
    # the overview counts it and links the chapter
    overview = pages.overview_page(records)
    line = next(x for x in overview.splitlines() if "01_xie2022_eliashberg_ml" in x)
    assert line.startswith("| 7 | [Xie et al. (2022)](notebooks/01_xie2022_eliashberg_ml.ipynb) |")


def test_status_page_shows_provenance_and_files_changed_since(tmp_path):
    from reviewlib.book import publish

    head = publish.git_state()["commit"]
    prov = {
        "notebook": "02_stanev2018_supercon",
        "mode": "full",
        "git_commit": head,
        "git_uncommitted": [],
        "started": "2026-12-01T01:00:00Z",
        "wall_time_s": 612.4,
        "peak_memory_mb": 2048.0,
        "machine": {"cpu_count": 2, "memory_gb": 24.0, "python": "3.11.9"},
        "size_bytes": 1_500_000,
    }
    recent = {
        **prov,
        "notebook": "03_x",
        "git_commit": "f" * 40,
        "cpu_time_s": 1100.6,
        "load_average_start": [0.5, 0.25, 0.125],
        "load_average_end": [2.0, 1.5, 1.0],
        "feature_cache": {"hits": 3, "misses": 1, "saved_s": 250.4, "computed_s": 12.0},
    }
    page = pages.status_page([prov, recent])
    row = next(line for line in page.splitlines() if "02_stanev2018_supercon" in line)
    changed = publish.changed_since(head)
    assert isinstance(changed, int)
    # runs published before CPU time and load were recorded say so
    assert (
        f"| full | `{head[:8]}` | 2026-12-01 01:00:00 | 612 | not recorded | not recorded | 2048 | "
        f"not recorded | "
        f'<span title="Python 3.11.9, ?">2 cores, 24 GB</span> | 1.5 MB | {changed} |' in row
    )
    row = next(line for line in page.splitlines() if "03_x" in line)
    assert "| 612 | 1101 | 0.50 / 0.25 / 0.12 &rarr; 2.00 / 1.50 / 1.00 | 2048 | 3 / 1, 250 s saved |" in row
    assert "unknown (commit not in this clone)" in page
    assert "2 published runs, 1225 s of execution and 3.0 MB in total." in page


def test_cli_page_documents_every_subcommand():
    from reviewlib.book import cli

    parser = cli.build_parser()
    page = pages.cli_page(parser)
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert f"## `reviewlib {name}`" in page
    assert "## `reviewlib data verify`" in page and "--publish" in page and "--allow-fast" in page
