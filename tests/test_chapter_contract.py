"""The chapter contract of CONTRIBUTING.md, checked on every chapter notebook, one test per rule.

Rules (each a function ``rule_<name>(cells) -> list[str]`` returning the problems found):

- ``summary_box``: a markdown ``:::{admonition} This chapter in short`` box whose numbers are glued
  (``{glue:text}``), including ``mode`` and ``run_time``.
- ``chapter_start_finish``: the chapter calls ``chapter.start(`` and ``ch.finish()``.
- ``figure_caption``: a code cell that plots (``plt.``/``fig.``/``ax.`` calls or the ``plots.``
  kit) has a myst-nb figure caption and name in its metadata (``mystnb.figure``), or glues its
  figure (``glue(``) for a ``{glue:figure}`` directive.
- ``equation_labels``: every display formula is labelled: ``$$ ... $$ (eq-label)`` or a ``{math}``
  block with ``:label:``.
- ``visible_boilerplate``: no code cell without the ``hide-input`` tag holds only imports, timing,
  registry-or-user branching (``if data_path is None:``), warnings filters or the chapter's
  ``chapter.start``/``glue_claims``/``finish`` bookkeeping.
- ``code_width``: no visible code line is wider than ``CODE_COLUMN_CHARS``, the characters a code
  cell shows at a 1280 px wide window (see below); wider lines scroll sideways.
- ``own_data_section``: a "Use your own data" section with the papermill command.

The chapters are read from their ``.ipynb`` (what papermill runs and the book shows;
``tests/test_notebook_sources.py`` keeps the ``.py`` text sources equal to them).

``KNOWN_OFF_CONTRACT`` lists, per chapter, the rules it broke when this test was written; those
tests are strict expected failures. Fixing a chapter makes its test pass, which fails the run
until the entry is removed: the list only shrinks.

The code column (``CODE_COLUMN_CHARS``), from the CSS of sphinx-book-theme 1.3.0,
pydata-sphinx-theme 0.17.1 and myst-nb 1.4.0 at a 1280 px viewport (no chromium here to measure;
the browser test uses ``--window-size=1280,900``):

- ``.bd-page-width`` max-width 88rem (1408 px): the page is 1280 px wide;
- primary sidebar ``flex-basis: 20%`` (book theme, >= 992 px): 256 px; ``.bd-main`` 1024 px;
- secondary sidebar 17rem (272 px, shown >= 1200 px); ``.bd-article-container``
  ``max-width: calc(100% - 17rem)``, padding 0: 752 px;
- ``.bd-article`` padding 2rem left and right: 688 px;
- ``div.cell_input`` border 1 px, left border ``medium`` (3 px): 684 px;
- ``pre`` padding 1rem each side (border removed by myst-nb): 652 px of text;
- ``pre`` font-size 0.875em of the 16 px root: 14 px; the monospace stack (ui-monospace,
  Cascadia Code, Source Code Pro, Menlo, Consolas, DejaVu Sans Mono, monospace) advances
  0.6 to 0.602 em a character: 8.43 px;
- 652 / 8.43 = 77.4: **77 characters** (75 if the window shows a classic 15 px scrollbar).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9]*.ipynb"))
CODE_COLUMN_CHARS = 77
HIDDEN_INPUT_TAGS = {"hide-input", "remove-input", "hide-cell", "remove-cell"}

# Measured when this test was written (rule names as in the module docstring). Remove a rule (or a
# chapter) once the chapter follows it: the strict xfail then fails the run until you do.
KNOWN_OFF_CONTRACT: dict[str, set[str]] = {}  # every chapter follows every rule


# --- reading ------------------------------------------------------------------------------------


def _cells(path: Path) -> list:
    return nbformat.read(path, as_version=4).cells


def _tags(cell) -> set[str]:
    return set(cell.metadata.get("tags", []))


def _visible_code(cells) -> list[tuple[int, object]]:
    return [(i, c) for i, c in enumerate(cells) if c.cell_type == "code" and not _tags(c) & HIDDEN_INPUT_TAGS]


def _prose(text: str) -> str:
    """Markdown without fenced code blocks and inline code (where ``$$`` or ``#`` mean nothing)."""
    text = re.sub(r"^(```|~~~).*?^\1[ \t]*$", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def _markdown(cells) -> list[tuple[int, str]]:
    return [(i, c.source) for i, c in enumerate(cells) if c.cell_type == "markdown"]


# --- rules ----------------------------------------------------------------------------------------

SUMMARY_BOX = re.compile(
    r"^(?P<fence>:{3,}|`{3,})\{admonition\}\s*This chapter in short\s*$(?P<body>.*?)^(?P=fence)\s*$",
    re.M | re.S,
)


def rule_summary_box(cells) -> list[str]:
    for _, text in _markdown(cells):
        box = SUMMARY_BOX.search(text)
        if box:
            glued = set(re.findall(r"\{glue:text\}`([^`]+)`", box["body"]))
            keys = {g.split(":")[0] for g in glued}
            missing = {"mode", "run_time"} - keys
            if not glued:
                return ["the summary box glues no value ({glue:text}`key`): its numbers are typed"]
            if missing:
                return [f"the summary box does not glue {sorted(missing)} (ch.finish() glues them)"]
            return []
    return ["no ':::{admonition} This chapter in short' box in a markdown cell"]


def rule_chapter_start_finish(cells) -> list[str]:
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    problems = []
    if not re.search(r"\bchapter\.start\(", code):
        problems.append("no `ch = chapter.start(...)` set-up call")
    if not re.search(r"\bch\.finish\(\)", code):
        problems.append("no `ch.finish()` in the last code cell")
    return problems


PLOT_CALL = re.compile(r"\b(?:plt|fig\w*|ax\w*|plots)\.\w+\s*\(")


def rule_figure_caption(cells) -> list[str]:
    glue_figures = any("{glue:figure}" in text for _, text in _markdown(cells))
    problems = []
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        code = "\n".join(ln for ln in cell.source.splitlines() if not ln.lstrip().startswith("#"))
        if not PLOT_CALL.search(code) or "chapter.start(" in code:
            continue
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        if figure.get("caption") and figure.get("name"):
            continue
        if glue_figures and re.search(r"\bglue\(", code):
            continue
        first = PLOT_CALL.search(code).group(0)
        problems.append(
            f"cell {i} plots ({first}...) without mystnb figure caption and name or a glue:figure"
        )
    return problems


DISPLAY_MATH = re.compile(r"\$\$(?P<body>.+?)\$\$(?P<label>[ \t]*\([^)\n]+\))?", re.S)
MATH_BLOCK = re.compile(r"^(?P<fence>:{3,}|`{3,})\{math\}[^\n]*\n(?P<body>.*?)^(?P=fence)", re.M | re.S)


def rule_equation_labels(cells) -> list[str]:
    problems = []
    for i, text in _markdown(cells):
        for block in MATH_BLOCK.finditer(text):
            if not re.search(r"^:label:", block["body"], re.M):
                problems.append(f"cell {i}: a {{math}} block without :label:")
        for m in DISPLAY_MATH.finditer(_prose(text)):
            if not m["label"]:
                problems.append(f"cell {i}: unlabelled $$ {m['body'].strip()[:50]} $$ (add ' (eq-name)')")
    return problems


USER_INPUT = re.compile(r"(_path|_dir|_csv|_file|_folder|_table)$|^user")
TIMING = re.compile(r"perf_counter|time\.time\(|\btimings?\b|\bt0\b|\belapsed\b")
BOOKKEEPING = re.compile(
    r"\bchapter\.start\(|\bch\.(finish|glue_claims)\(|\bwarnings\.\w+\(|\bset_recording\("
)


SIMPLE = (
    ast.Assign | ast.AnnAssign | ast.AugAssign | ast.Expr | ast.Pass | ast.Raise | ast.Import | ast.ImportFrom
)


def _is_data_branch(node: ast.If) -> bool:
    """``if data_path is None: ...`` choosing between the registry and the user's input: a test
    ``is (not) None`` on a user input and short branches of simple statements (no analysis).
    """
    names = [n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)]
    is_none = any(
        isinstance(c, ast.Compare) and any(isinstance(op, ast.Is | ast.IsNot) for op in c.ops)
        for c in ast.walk(node.test)
    )
    if not (is_none and any(USER_INPUT.search(n) for n in names)):
        return False
    for branch in (node.body, node.orelse):
        if len(branch) > 4:
            return False
        for stmt in branch:
            if not (isinstance(stmt, SIMPLE) or isinstance(stmt, ast.If) and _is_data_branch(stmt)):
                return False
    return True


def _is_boilerplate(node: ast.stmt, source: str) -> bool:
    if isinstance(node, ast.Import | ast.ImportFrom):
        return True
    if isinstance(node, ast.If):
        return _is_data_branch(node)
    text = ast.get_source_segment(source, node) or ""
    if TIMING.search(text) and isinstance(node, SIMPLE):
        return True
    return bool(BOOKKEEPING.search(text)) and isinstance(node, ast.Expr | ast.Assign)


def rule_visible_boilerplate(cells) -> list[str]:
    problems = []
    for i, cell in _visible_code(cells):
        if "parameters" in _tags(cell) or not cell.source.strip():
            continue
        source = "\n".join(
            "pass" if ln.lstrip().startswith(("%", "!")) else ln for ln in cell.source.splitlines()
        )
        try:
            body = ast.parse(source).body
        except SyntaxError:
            continue
        if body and all(_is_boilerplate(node, source) for node in body):
            first = cell.source.strip().splitlines()[0][:60]
            problems.append(
                f"cell {i} shows only set-up/timing/data-branching code ({first!r}): tag it hide-input"
            )
    return problems


def rule_code_width(cells) -> list[str]:
    problems = []
    for i, cell in _visible_code(cells):
        for n, line in enumerate(cell.source.splitlines(), 1):
            if len(line) > CODE_COLUMN_CHARS:
                problems.append(f"cell {i} line {n}: {len(line)} > {CODE_COLUMN_CHARS} characters")
    return problems


def rule_own_data_section(cells) -> list[str]:
    text = "\n".join(src for _, src in _markdown(cells))
    heading = re.search(r"^(#+)\s+Use your own data\s*$", text, re.M | re.I)
    if not heading:
        return ["no '## Use your own data' section"]
    rest = text[heading.end() :]
    same_level = re.search(rf"^#{{1,{len(heading[1])}}}\s", rest, re.M)
    section = rest[: same_level.start()] if same_level else rest
    if "papermill" not in section:
        return ["the 'Use your own data' section gives no papermill command"]
    return []


RULES = {name.removeprefix("rule_"): fn for name, fn in sorted(globals().items()) if name.startswith("rule_")}


def measure() -> dict[str, set[str]]:
    """The rules each chapter breaks now (to refresh KNOWN_OFF_CONTRACT by hand)."""
    return {p.stem: {r for r, fn in RULES.items() if fn(_cells(p))} for p in NOTEBOOKS}


# --- tests ----------------------------------------------------------------------------------------


def _params():
    params = []
    for path in NOTEBOOKS:
        known = KNOWN_OFF_CONTRACT.get(path.stem, set())
        for rule in RULES:
            marks = ()
            if rule in known:
                reason = f"{path.stem} does not follow '{rule}' yet (KNOWN_OFF_CONTRACT)"
                marks = pytest.mark.xfail(strict=True, reason=reason)
            params.append(pytest.param(path, rule, marks=marks, id=f"{path.stem[:2]}-{rule}"))
    return params


@pytest.mark.parametrize(("path", "rule"), _params())
def test_chapter_follows_the_contract(path, rule):
    problems = RULES[rule](_cells(path))
    shown = "\n  ".join(problems[:10]) + (
        f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
    )
    assert not problems, f"{path.name} breaks the chapter contract rule '{rule}':\n  {shown}"


def test_known_off_contract_names_chapters_and_rules():
    assert set(KNOWN_OFF_CONTRACT) <= {p.stem for p in NOTEBOOKS}
    for rules in KNOWN_OFF_CONTRACT.values():
        assert rules <= set(RULES)


# --- the rules on small examples (so a broken rule cannot pass everything) ----------------------


def _nb(*cells):
    out = []
    for kind, source, *meta in cells:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        if meta:
            cell.metadata.update(meta[0])
        out.append(cell)
    return out


def test_rules_catch_what_they_describe():
    line = "- {glue:text}`acc` in {glue:text}`run_time` ({glue:text}`mode`)"
    box = f":::{{admonition}} This chapter in short\n{line}\n:::"
    assert rule_summary_box(_nb(("md", box))) == []
    assert rule_summary_box(_nb(("md", ":::{admonition} This chapter in short\nAccuracy 0.93.\n:::")))
    assert rule_summary_box(_nb(("md", "# Title")))
    assert rule_chapter_start_finish(_nb(("code", 'ch = chapter.start("x")\nch.finish()'))) == []
    assert rule_chapter_start_finish(_nb(("code", 'ch = chapter.start("x")')))
    fig = {"mystnb": {"figure": {"caption": "A.", "name": "fig-a"}}}
    assert rule_figure_caption(_nb(("code", "fig, ax = plt.subplots()\nax.plot(x, y)", fig))) == []
    assert rule_figure_caption(_nb(("code", "fig, ax = plt.subplots()\nax.plot(x, y)")))
    assert rule_figure_caption(_nb(("code", "plots.parity(y, p)")))
    glued = _nb(
        ("code", "fig = plots.parity(y, p)\nglue('fig-p', fig, display=False)"), ("md", "{glue:figure} fig-p")
    )
    assert rule_figure_caption(glued) == []
    assert rule_equation_labels(_nb(("md", "$$ T_c = 1 $$ (eq-tc)\n\nand `$$x$$` in code"))) == []
    assert rule_equation_labels(_nb(("md", "$$\nT_c = 1\n$$")))
    assert rule_equation_labels(_nb(("md", "```{math}\n:label: eq-a\na=b\n```"))) == []
    assert rule_equation_labels(_nb(("md", "```{math}\na=b\n```")))
    assert rule_visible_boilerplate(_nb(("code", "import numpy as np\nt0 = time.perf_counter()")))
    branching = "if data_path is None:\n    path = registry_path()\nelse:\n    path = data_path"
    assert rule_visible_boilerplate(_nb(("code", branching)))
    assert rule_visible_boilerplate(_nb(("code", branching, {"tags": ["hide-input"]}))) == []
    assert rule_visible_boilerplate(_nb(("code", "import numpy as np\nmodel.fit(X, y)"))) == []
    analysis = "if data_path is not None:\n    for f in files:\n        fit(f)\nelse:\n    print('none')"
    assert rule_visible_boilerplate(_nb(("code", analysis))) == []
    assert rule_code_width(_nb(("code", "x = 1  # " + "a" * CODE_COLUMN_CHARS)))
    assert rule_code_width(_nb(("code", "x" * 200, {"tags": ["hide-input"]}))) == []
    papermill = (
        "## Use your own data\n\n```bash\n.venv/bin/papermill -k python3 notebooks/x.ipynb out.ipynb\n```"
    )
    assert rule_own_data_section(_nb(("md", papermill))) == []
    assert rule_own_data_section(_nb(("md", "## Use your own data\n\nAsk us.\n\n## Next\npapermill")))
