"""Convert a percent-format Python script into a notebook (no outputs).

Cell markers::

    # %% [markdown]                      markdown cell; following lines start with "# "
    # %%                                 code cell
    # %% tags=["parameters"]             code cell with tags (JSON list)
    # %% tags=["hide-input"] mystnb={"figure": {"name": "fig-x", "caption": "..."}}
                                         ... and myst-nb cell metadata (JSON object), e.g. a
                                         figure's name and caption

Usage: ``python scripts/py2nb.py SOURCE.py NOTEBOOK.ipynb``
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat

MARKER = re.compile(
    r"^# %%(?P<md>\s*\[markdown\])?(?:\s+tags=(?P<tags>\[.*?\]))?(?:\s+mystnb=(?P<mystnb>\{.*\}))?\s*$"
)


def convert(text: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    cells: list[tuple[bool, list[str], dict, list[str]]] = []
    for line in text.splitlines():
        m = MARKER.match(line)
        if m:
            tags = json.loads(m.group("tags") or "[]")
            cells.append((bool(m.group("md")), tags, json.loads(m.group("mystnb") or "{}"), []))
        elif line.startswith("# %%"):
            raise ValueError(f"malformed cell marker: {line!r}")
        elif cells:
            cells[-1][3].append(line)
    for is_md, tags, mystnb, lines in cells:
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if is_md:
            src = "\n".join(re.sub(r"^# ?", "", ln) for ln in lines)
            cell = nbformat.v4.new_markdown_cell(src)
        else:
            cell = nbformat.v4.new_code_cell("\n".join(lines))
        if tags:
            cell.metadata["tags"] = tags
        if mystnb:
            cell.metadata["mystnb"] = mystnb
        nb.cells.append(cell)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


def main(argv: list[str]) -> int:
    src, dst = Path(argv[0]), Path(argv[1])
    nbformat.write(convert(src.read_text()), dst)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
