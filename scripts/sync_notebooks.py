"""Keep every chapter notebook paired with its jupytext percent-format text source.

``notebooks/NN_name.py`` is the source you edit (reviewed, linted and searched as code);
``notebooks/NN_name.ipynb`` is generated from it (what papermill runs and what a published run's
provenance hashes). Both are committed. Cell markers in the ``.py`` (jupytext ``percent`` format)::

    # %% [markdown]                                  markdown cell; its lines start with "# "
    # %%                                             code cell
    # %% tags=["parameters"]                         code cell with tags (JSON list)
    # %% mystnb={"figure": {"caption": "...", "name": "fig-x"}} tags=["hide-input"]
                                                     ... and myst-nb cell metadata (JSON), e.g.
                                                     a figure's caption and name

Usage (``NN`` = the two-digit prefix, a notebook stem or a path; no ``NN`` = every chapter)::

    python scripts/sync_notebooks.py NN ...           .py -> .ipynb (formats the .py with ruff
                                                      first; writes only notebooks whose cells
                                                      change, keeping the ids of unchanged cells)
    python scripts/sync_notebooks.py --to-py NN ...   .ipynb -> .py (then ruff format), after an
                                                      edit made in Jupyter
    python scripts/sync_notebooks.py --check [NN ...] exit 1 when a pair is out of sync, naming the
                                                      notebook, the first differing cell and the
                                                      command that fixes it

A new chapter: write ``notebooks/NN_firstauthorYYYY_topic.py`` and run the first command.

The pairs are compared cell by cell: cell type, source (trailing whitespace and blank lines at
the start and end of a cell ignored: the percent format cannot keep them) and cell metadata
(``tags``, ``mystnb``, ...; jupytext's layout keys such as ``lines_to_next_cell`` and Jupyter's
volatile keys such as ``collapsed`` ignored). Outputs, execution counts and cell ids are not
compared. Both files are ruff formatted (``ruff format`` formats a notebook cell by cell and the
``.py`` as one module; the only difference, the blank lines between cells, is layout).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
SCRIPT = "scripts/sync_notebooks.py"
FORMAT = {"extension": ".py", "format_name": "percent", "notebook_metadata_filter": "-all"}
# cell metadata that is layout (jupytext) or volatile (Jupyter), never content
IGNORED_METADATA = {
    "autoscroll",
    "collapsed",
    "scrolled",
    "trusted",
    "execution",
    "ExecuteTime",
    "skipline",
    "noskipline",
    "cell_marker",
    "lines_to_next_cell",
    "lines_to_end_of_cell_marker",
}
DEFAULT_METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}
CELL_MARKER = re.compile(r"^\s*#\s*%%")
# Pairs known to differ, with the reason and the fix. The check fails when one of them comes back
# in sync (remove its entry then), so this list only shrinks.
KNOWN_UNSYNCED: dict[str, str] = {}


@dataclass(frozen=True)
class Pair:
    """A chapter's notebook and its text source (either may be missing)."""

    stem: str

    @property
    def ipynb(self) -> Path:
        return NOTEBOOKS / f"{self.stem}.ipynb"

    @property
    def py(self) -> Path:
        return NOTEBOOKS / f"{self.stem}.py"

    @property
    def number(self) -> str:
        return self.stem.split("_", 1)[0]


def all_pairs() -> list[Pair]:
    stems = {p.stem for p in NOTEBOOKS.glob("[0-9]*.ipynb")} | {p.stem for p in NOTEBOOKS.glob("[0-9]*.py")}
    return [Pair(s) for s in sorted(stems)]


def select(names: list[str]) -> list[Pair]:
    """The pairs named by two-digit prefix, stem or path (all of them when ``names`` is empty)."""
    pairs = all_pairs()
    if not names:
        return pairs
    chosen = []
    for name in names:
        key = Path(name).stem
        hits = [p for p in pairs if p.stem == key or p.number == key]
        if not hits:
            known = ", ".join(p.stem for p in pairs)
            raise SystemExit(f"{SCRIPT}: no notebook {name!r} in {NOTEBOOKS} (known: {known})")
        chosen += [p for p in hits if p not in chosen]
    return chosen


def _normalise(cell) -> tuple[str, str, dict]:
    lines = [ln.rstrip() for ln in cell.source.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    metadata = {k: v for k, v in cell.metadata.items() if k not in IGNORED_METADATA}
    return cell.cell_type, "\n".join(lines), metadata


def read_py(path: Path) -> nbformat.NotebookNode:
    """The notebook the text source describes (no outputs; jupytext layout metadata dropped)."""
    nb = jupytext.read(path, fmt=FORMAT)
    for cell in nb.cells:
        for key in IGNORED_METADATA & set(cell.metadata):
            del cell.metadata[key]
    return nb


def first_difference(nb_cells, py_cells) -> str | None:
    """A sentence describing the first cell that differs between the two lists, or None."""
    a, b = [_normalise(c) for c in nb_cells], [_normalise(c) for c in py_cells]
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x == y:
            continue
        what = []
        if x[0] != y[0]:
            what.append(f"type {x[0]} in the .ipynb, {y[0]} in the .py")
        if x[1] != y[1]:
            xl, yl = x[1].splitlines(), y[1].splitlines()
            j = next(
                (k for k, (u, v) in enumerate(zip(xl, yl, strict=False)) if u != v), min(len(xl), len(yl))
            )
            shown = [repr(lines[j]) if j < len(lines) else "(end of cell)" for lines in (xl, yl)]
            what.append(f"source line {j + 1}: .ipynb {shown[0]} vs .py {shown[1]}")
        if x[2] != y[2]:
            what.append(f"metadata: .ipynb {json.dumps(x[2])} vs .py {json.dumps(y[2])}")
        marker = [ln for ln in x[1].splitlines() if CELL_MARKER.match(ln) and x[0] == "code"]
        if marker:
            what.append(f"the .ipynb cell holds a cell-marker line {marker[0][:60]!r}... (two cells merged)")
        return f"cell {i} ({x[0]}): " + "; ".join(what)
    if len(a) != len(b):
        return f"{len(a)} cells in the .ipynb, {len(b)} in the .py (first extra cell: {min(len(a), len(b))})"
    return None


def check(pair: Pair) -> str | None:
    """None when the pair is in sync, else a message naming the problem and the fixing command."""
    if not pair.py.exists():
        return f"{pair.ipynb.name} has no text source {pair.py.name}: run `{fix(pair, to_py=True)}`"
    if not pair.ipynb.exists():
        return f"{pair.py.name} has no notebook {pair.ipynb.name}: run `{fix(pair, to_py=False)}`"
    diff = first_difference(nbformat.read(pair.ipynb, as_version=4).cells, read_py(pair.py).cells)
    if diff is None:
        return None
    return (
        f"{pair.stem}: the .ipynb and the .py differ at {diff}. If you edited the .py (the source),"
        f" run `{fix(pair, to_py=False)}`; if you edited the .ipynb, run `{fix(pair, to_py=True)}`"
    )


def fix(pair: Pair, *, to_py: bool) -> str:
    return f".venv/bin/python {SCRIPT} {'--to-py ' if to_py else ''}{pair.number}"


def _ruff_format(path: Path) -> None:
    config = str(REPO / "notebooks" / "ruff.toml")  # the chapters: 77 columns
    subprocess.run(
        [sys.executable, "-m", "ruff", "format", "-q", "--config", config, str(path)], check=True, cwd=REPO
    )


def to_py(pair: Pair) -> bool:
    """Write the .py from the .ipynb (the .ipynb is not modified). True when the .py changed."""
    old = pair.py.read_text() if pair.py.exists() else None
    nb = nbformat.read(pair.ipynb, as_version=4)
    pair.py.write_text(jupytext.writes(nb, fmt=FORMAT))
    _ruff_format(pair.py)
    return pair.py.read_text() != old


def _new_ids(cells, old_cells) -> None:
    """Keep the id of every cell that is unchanged; number the others ``cell-NN`` (unique)."""

    def key(cell) -> tuple[str, str, str]:
        kind, source, metadata = _normalise(cell)
        return kind, source, json.dumps(metadata, sort_keys=True)

    matcher = difflib.SequenceMatcher(
        a=[key(c) for c in old_cells], b=[key(c) for c in cells], autojunk=False
    )
    kept = {}  # new index -> old id: equal cells, and edited cells replaced one for one in place
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            for k in range(min(i2 - i1, j2 - j1)):
                kept[j1 + k] = old_cells[i1 + k]["id"]
    taken = {c["id"] for c in old_cells if "id" in c}
    for i, cell in enumerate(cells):
        if i in kept:
            cell["id"] = kept[i]
            continue
        new, n = f"cell-{i:02d}", 0
        while new in taken:
            n += 1
            new = f"cell-{i:02d}-{n}"
        cell["id"] = new
        taken.add(new)


def to_ipynb(pair: Pair) -> bool:
    """Write the .ipynb from the .py when their cells differ. True when the .ipynb changed."""
    _ruff_format(pair.py)
    source = read_py(pair.py)
    old = nbformat.read(pair.ipynb, as_version=4) if pair.ipynb.exists() else None
    if old is not None and first_difference(old.cells, source.cells) is None:
        return False
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(dict(old.metadata) if old is not None else DEFAULT_METADATA)
    new_cell = {
        "markdown": nbformat.v4.new_markdown_cell,
        "code": nbformat.v4.new_code_cell,
        "raw": nbformat.v4.new_raw_cell,
    }
    for c in source.cells:
        cell = new_cell[c.cell_type](c.source)
        cell.metadata.update({k: v for k, v in c.metadata.items() if k not in IGNORED_METADATA})
        nb.cells.append(cell)
    _new_ids(nb.cells, old.cells if old is not None else [])
    nbformat.validate(nb)
    nbformat.write(nb, pair.ipynb)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="fail when a pair is out of sync")
    mode.add_argument("--to-py", action="store_true", help="write the .py from the .ipynb")
    parser.add_argument("notebooks", nargs="*", help="NN, stem or path (default: every chapter)")
    args = parser.parse_args(argv)
    pairs = select(args.notebooks)
    if args.check:
        failures, known_off = [], 0
        for pair in pairs:
            problem = check(pair)
            known = KNOWN_UNSYNCED.get(pair.stem)
            if problem and known:
                print(f"known, not yet fixed: {pair.stem}: {known}")
                known_off += 1
            elif problem:
                failures.append(problem)
            elif known:
                failures.append(f"{pair.stem} is in sync now: remove it from KNOWN_UNSYNCED in {SCRIPT}")
        for message in failures:
            print(message, file=sys.stderr)
        in_sync = len(pairs) - len(failures) - known_off
        print(f"{in_sync} of {len(pairs)} notebook/text-source pairs in sync, {known_off} known exceptions")
        return 1 if failures else 0
    for pair in pairs:
        if args.to_py:
            changed = to_py(pair) if pair.ipynb.exists() else False
            print(f"{pair.py.relative_to(REPO)}: {'written' if changed else 'unchanged'}")
        else:
            if not pair.py.exists():
                raise SystemExit(f"{pair.py} does not exist: run `{fix(pair, to_py=True)}` first")
            changed = to_ipynb(pair)
            print(f"{pair.ipynb.relative_to(REPO)}: {'written' if changed else 'unchanged (cells in sync)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
