"""Generate the book's data-driven pages: datasets, reported vs reproduced, all results, status.

The pages are Markdown fragments written to ``settings.generated_dir()`` (checkout:
``book/_generated/``) and included by the committed pages in ``book/``, with the files the
results page links there too (:func:`write_results_files`: the results store as CSV and a PNG
figure). Every value comes from the registry, or from the published runs
(:mod:`reviewlib.book.publish`): their claim records, results and provenance; nothing is typed in.

Every value read from a file reaches a page through one escaping function, ``_text``
(``_code``, ``_link`` and ``_cite`` use it): HTML-escaped, with the characters that
Markdown, GFM tables and MyST give a meaning written as character references, on one line. Only
the markup this module writes itself (links, spans, badges, roles) is left as markup.
"""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib import settings
from reviewlib.book import claims, results, runner
from reviewlib.data import records

#: Markdown / GFM / MyST characters written as character references by ``_text`` (``_`` only
#: at a word boundary: inside a word it never starts or ends emphasis)
_MARKUP = re.compile(r"[&<>\"'|`*\[\]{}\\$~#!]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
#: the entities ``html.escape`` writes (the others become numeric character references)
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
#: text that may stand in a backtick code span as it is (no backtick, pipe, HTML or braces)
_PLAIN_CODE = re.compile(r"[\w .,:;=+/@()'\"\[\]…-]*")
#: a URL the pages may use as a Markdown link target as it is
_SAFE_URL = re.compile(r"https://[A-Za-z0-9._~/:@%+=-]+")
#: a link target the pages may use as it is (a notebook stem)
_SAFE_TARGET = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_SAFE_CITE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.+-]*")


def _text(value) -> str:
    """``value`` as inert text for a generated page, in Markdown, a table cell or HTML (also an
    attribute value): HTML-escaped, Markdown/MyST characters as character references, newlines
    as spaces. ``None`` and NaN give "". The one escaping path of every field on the pages.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = " ".join(str(value).splitlines())
    return _MARKUP.sub(lambda m: _HTML.get(m.group(0)) or f"&#{ord(m.group(0))};", text)


def _code(value) -> str:
    """``value`` as inline code: a backtick span when it holds no character that could leave it,
    else ``<code>`` around ``_text``.
    """
    text = "" if value is None else str(value)
    if _PLAIN_CODE.fullmatch(text) and text.strip():
        return f"`{text}`"
    return f"<code>{_text(text)}</code>"


def _link(label, target: str, template: str) -> str:
    """A Markdown link ``[label](template with target)`` when ``target`` is a plain name
    (a notebook stem), else the label as text.
    """
    if not _SAFE_TARGET.fullmatch(str(target)):
        return _text(label)
    return f"[{_text(label)}]({template.format(target)})"


def _cite(key, role: str = "cite:p") -> str:
    """A citation role for a bibliography key, or the key as text when it is not a plain key."""
    return f"{{{role}}}`{key}`" if _SAFE_CITE.fullmatch(str(key)) else _text(key)


def _number(value, fmt: str = "{:.0f}", missing: str = "?") -> str:
    """A finite number formatted with ``fmt``; ``missing`` for anything else (a string, NaN)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return missing
    return fmt.format(value)


def _cell(value) -> str:
    """A table cell from markup already made safe by ``_text`` (None/NaN: empty)."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return " ".join(text.splitlines())


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


def data_page() -> str:
    """Markdown table of every registry record: what it is, where it comes from, its terms."""
    rows = []
    for rec in records().values():
        files = f"{rec.n_files} files" if rec.kind == "folder" else (rec.member or "1 file")
        url = f"https://github.com/{rec.repo}/tree/{rec.commit}/{rec.path}"
        label = _text(f"{rec.repo}@{rec.commit[:7]}")
        source = f"[{label}]({url})" if _SAFE_URL.fullmatch(url) else f'<a href="{_text(url)}">{label}</a>'
        rows.append(
            [
                _code(rec.name),
                _text(rec.description),
                source,
                _text(files),
                _size(rec.size),
                _text(rec.license),
                _cite(rec.citation),
                "yes" if rec.download else "no (mirror only)",
                _code(f"{rec.sha256[:12]}…"),
            ]
        )
    header = [
        "name",
        "description",
        "upstream",
        "files",
        "size",
        "license",
        "citation",
        "downloadable",
        "sha256",
    ]
    total = sum(r.size for r in records().values())
    page = (
        f"{len(rows)} registry records, {_size(total)} in total.\n\n"
        + "```{container} data-table\n"
        + _table(header, rows)
        + "```\n"
    )
    return page + "\n" + _ranges_section() + "\n" + _columns_section()


def _ranges_section() -> str:
    """The physical ranges a user's own table is checked against (:mod:`reviewlib.data.schema`)."""
    from reviewlib.data.schema import ranges_table

    return (
        "## Your own tables: physical ranges\n\n"
        "A table of your own (the `hydride_csv` of the hydride chapters, a `name, Tc` table, the Tc table "
        "of a CIF folder) is checked value by value against these ranges. A value outside, or text that "
        "is not a number, is refused (or its row skipped, in the hydride tables) with the file, the line "
        "as your editor shows it, the column and the fix; it never becomes NaN. A blank `space_group` or "
        "`mu_star` means unknown. The registry datasets are pinned files and are not checked against "
        "these ranges when loaded.\n\n"
        + _table(
            ["column", "unit", "range", "meaning", "fix suggested above the range"],
            [[f"`{col}`", unit or "dimensionless", *rest] for col, unit, *rest in ranges_table()],
        )
    )


def _columns_section() -> str:
    """Per loader: the call, the row count and the columns with dtype, unit and meaning."""
    parts = [
        "## Columns of each loader\n\n"
        "What each loader returns with its default arguments (checked against the data by the test "
        'suite: row count, column names and dtypes). Unit "dimensionless" is a pure number; an '
        "empty unit is a label, text or object column.\n"
    ]
    for rec in records().values():
        if rec.loader is None:
            continue
        kwargs = ", ".join(f"{k}={v!r}" for k, v in rec.loader["kwargs"].items())
        call = f"reviewlib.data.{rec.loader['function']}({kwargs})"
        rows = []
        for col in rec.columns:
            name = _text(f"{col['count']} feature columns") if col["name"] == "*" else _code(col["name"])
            rows.append([name, _text(col["dtype"]), _text(col["unit"]), _text(col["description"])])
        parts.append(
            f"### {_code(rec.name)}\n\n{_code(call)}: {rec.rows:,} rows, "
            f"{sum(int(c.get('count', 1)) for c in rec.columns)} columns.\n\n"
            + _table(["column", "dtype", "unit", "description"], rows)
        )
    return "\n".join(parts)


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def milestone_notebooks(folder: Path | None = None) -> dict[str, tuple[str, str]]:
    """``{milestone slug: (notebook stem, title)}`` from the notebook sources: a notebook belongs
    to a milestone when its file name contains the slug (``01_xie2022_...`` -> ``xie2022``); the
    title is the notebook's first level-1 heading.
    """
    import nbformat

    try:
        paths = runner.discover(folder=folder)
    except FileNotFoundError:
        return {}
    chapters = toc_notebooks() if folder is None else None
    found: dict[str, tuple[str, str]] = {}
    for path in paths:
        if chapters is not None and path.stem not in chapters:
            continue  # not a chapter of the book yet (no published run): nothing to link to
        nb = nbformat.read(path, as_version=4)
        title = next(
            (
                line[2:].strip()
                for cell in nb.cells
                if cell.cell_type == "markdown"
                for line in cell.source.splitlines()
                if line.startswith("# ")
            ),
            path.stem,
        )
        parts = path.stem.split("_")
        if len(parts) > 1:
            found[parts[1]] = (path.stem, title)
    return found


def toc_notebooks() -> set[str] | None:
    """Stems of the notebooks in the book's table of contents, or None outside a checkout."""
    import yaml

    root = settings.checkout_root()
    toc_file = root / "book" / "_toc.yml" if root is not None else None
    if toc_file is None or not toc_file.is_file():
        return None
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    files = [ch["file"] for part in toc.get("parts", []) for ch in part.get("chapters", [])]
    return {Path(f).name for f in files if f.startswith("notebooks/")}


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _verdict_badge(verdict: str, label: str | None = None) -> str:
    """A coloured badge (CSS classes in ``book/_static/custom.css``; no emoji font needed)."""
    css = {"not run": "notrun", "not reproducible with public data": "na"}.get(verdict, verdict)
    if label is None:
        label = "not reproducible" if verdict.startswith("not reproducible") else verdict
    css = re.sub(r"[^a-z-]", "", str(css))
    return f'<span class="verdict verdict-{css}">{_text(label)}</span>'


def _layout(records_dir: Path | None):
    table = claims.verdicts(records_dir)
    notebooks = milestone_notebooks()
    meta = claims.milestones()
    order = {slug: i for i, slug in enumerate(notebooks)}
    rank = {slug: len(order) + i for i, slug in enumerate(meta.index)}

    def title(slug: str) -> str:  # claims.reported() guarantees every slug is in milestones.csv
        return notebooks[slug][1] if slug in notebooks else meta.loc[slug, "title"]

    groups = sorted(table.groupby("milestone", sort=False), key=lambda g: (order.get(g[0], rank[g[0]]), g[0]))
    return table, notebooks, meta, title, groups


def _robustness_badge(robustness: str, spread) -> str:
    """A badge for a verdict's robustness over its declared alternatives (range on hover)."""
    css = {"robust": "robust", "fragile": "fragile"}.get(str(robustness), "unassessed")
    hover = ""
    if isinstance(spread, (list, tuple)) and len(spread) == 2:
        hover = (
            f' title="values under the alternatives: {_text(_fmt(spread[0]))} to {_text(_fmt(spread[1]))}"'
        )
    return f'<span class="robustness robustness-{css}"{hover}>{_text(robustness)}</span>'


def overview_page(records_dir: Path | None = None) -> str:
    """Markdown: the counted verdicts (reproduced split by robustness), the uncounted kinds, and
    one row per milestone with its verdict counts, linked to its chapter.

    ``definition_check`` and ``context`` claims are shown but never counted among reproduced
    claims (:func:`reviewlib.book.claims.summary_counts`).
    """
    table, notebooks, meta, title, groups = _layout(records_dir)
    if table.empty:
        return "No reported claims are registered yet.\n"
    counted = claims.summary_counts(table=table)
    summary = ", ".join(f"{_text(label)} {int(n)}" for label, n in counted.items())
    checks = table[table["kind"] == "definition_check"]["verdict"].value_counts()
    n_context = int((table["kind"] == "context").sum())
    n_edge = int(table["at_edge"].fillna(False).astype(bool).sum())
    uncounted = (
        f" Not counted: {int(checks.sum())} definition checks of our own code or of an identity "
        f"({int(checks.get('checked', 0))} checked, {int(checks.get('check failed', 0))} failed) and "
        f"{n_context} context numbers the review quotes from elsewhere."
    )
    modes = sorted({str(m) for m in table["mode"] if isinstance(m, str) and m})
    mode_note = f" Reproduced values come from {_text(' and '.join(modes))}-mode runs." if modes else ""
    rows = []
    for slug, group in groups:
        c = group["verdict"].value_counts()
        stem = notebooks.get(slug, (None, ""))[0]
        short = title(slug).split(":")[0]
        rows.append(
            [
                _text(meta.loc[slug, "table1_row"]),
                _link(short, stem, "notebooks/{}.ipynb") if stem else f"{_text(short)} (no notebook yet)",
                len(group),
                *[c.get(v, 0) or "" for v in claims.VERDICTS],
            ]
        )
    header = ["#", "milestone", "claims", *[_verdict_badge(v) for v in claims.VERDICTS]]
    return (
        f"{int(counted.sum())} counted claims: {summary}.{uncounted} {n_edge} verdicts lie at the "
        f"edge of their tolerance (margin above {claims.EDGE:g} of the band).{mode_note} "
        "`#` is the milestone's row in the review's Table 1.\n\n"
        + "```{container} verdict-overview\n"
        + _table(header, rows)
        + "```\n"
    )


def reported_page(records_dir: Path | None = None) -> str:
    """Markdown: the verdict overview, then one compact table per milestone.

    Milestones with a notebook come first (in notebook order), then the rest in the order of
    the review's Table 1. Each claim shows a short text (the full text on hover and in the fold),
    its verdict in colour, the run mode, and a link to the notebook cell that recorded it.
    """
    table, notebooks, meta, title, groups = _layout(records_dir)
    if table.empty:
        return "No reported claims are registered yet.\n"
    out = [overview_page(records_dir)]
    for slug, group in groups:
        stem = notebooks.get(slug, (None, ""))[0]
        out.append(f"\n## {_text(title(slug))}\n")
        if stem is not None:
            out.append(f"Notebook: {_link(stem, stem, 'notebooks/{}.ipynb')}\n")
        else:
            out.append("No notebook yet: every claim below is *not run* (or not reproducible).\n")
        rows = []
        for r in group.itertuples():
            claim = f'<span title="{_text(r.quantity)}">{_text(_short(r.quantity))}</span>'
            if r.notebook and stem:
                claim += (
                    f' <a class="claim-link" href="notebooks/{_text(r.notebook)}.html#'
                    f'{_text(claims.anchor(r.claim_id))}" title="the cell that recorded this value">'
                    "[cell]</a>"
                )
            note = r.why if r.why else ""
            details = f"<b>{_text(r.claim_id)}</b>. {_text(r.quantity)}"
            if r.tolerance:
                details += f" Tolerance: {_text(r.tolerance)}, {_text(r.tolerance_reason)}."
            if note:
                details += f" Note: {_text(note)}"
            claim += f"<details><summary>details</summary>{details}</details>"
            ours = _text(_fmt(r.ours))
            if r.ours is None and r.info_value is not None:
                basis = f", {_text(r.basis)}" if isinstance(r.basis, str) and r.basis else ""
                info = f"({_text(_fmt(r.info_value))}{basis})"
                ours = f'<span title="shown as information, not compared">{info}</span>'
            margin = "" if pd.isna(r.margin) else _text(f"{r.margin:.2f}")
            if r.at_edge:
                margin += ' <span class="verdict-edge">at the edge</span>'
            rows.append(
                [
                    claim,
                    _text(r.kind.replace("_", " ")),
                    _text(_fmt(r.reported)),
                    ours,
                    "" if r.unit == "-" else _text(r.unit),
                    _verdict_badge(r.verdict),
                    margin,
                    _robustness_badge(r.robustness, r.robustness_range),
                    _text(r.mode),
                    f"{_text(r.section)}, {_cite(r.source, 'cite:t')}",
                ]
            )
        header = [
            "claim (details: tolerance, notes)",
            "kind",
            "reported",
            "ours",
            "unit",
            "verdict",
            "margin",
            "robustness",
            "mode",
            "where reported",
        ]
        out.append("```{container} claims-table\n" + _table(header, rows) + "```\n")
    return "\n".join(out)


def _load(values) -> str:
    """A 1/5/15 min load average as text, or "not recorded" (runs published before it was)."""
    if not isinstance(values, list) or len(values) != 3:
        return "not recorded"
    return " / ".join(_number(v, "{:.2f}") for v in values)


def status_page(provenances: list[dict] | None = None) -> str:
    """Markdown table of each chapter's published run: mode, commit, date, wall time, CPU time,
    the machine's load average at the start and the end, peak memory, machine, and how many files
    under ``reviewlib/`` changed since that commit. Runs published before CPU time and load were
    recorded say "not recorded". Every field goes through ``_text``.
    """
    from reviewlib.book import publish

    if not provenances:
        return "No published run yet: run `reviewlib run NOTEBOOK --mode full --publish`.\n"
    rows = []
    for p in provenances:
        m = p.get("machine") if isinstance(p.get("machine"), dict) else {}
        commit = str(p.get("git_commit", ""))
        changed = publish.changed_since(commit) if re.fullmatch(r"[0-9a-f]{4,40}", commit) else None
        changed_txt = "unknown (commit not in this clone)" if changed is None else str(changed)
        uncommitted = p.get("git_uncommitted")
        if isinstance(uncommitted, list) and uncommitted:
            changed_txt += f" (+{len(uncommitted)} uncommitted at run time)"
        started = str(p.get("started", "")).replace("T", " ").replace("Z", "")
        cpu = _number(p.get("cpu_time_s"), missing="not recorded")
        fc = p.get("feature_cache")
        cache = (
            f"{_number(fc.get('hits'), '{:.0f}')} / {_number(fc.get('misses'), '{:.0f}')}, "
            f"{_number(fc.get('saved_s'), '{:.0f}')} s saved"
            if isinstance(fc, dict)
            else "not recorded"
        )
        machine = (
            f'<span title="Python {_text(m.get("python", "?"))}, {_text(m.get("platform", "?"))}">'
            f"{_text(m.get('cpu_count', '?'))} cores, {_number(m.get('memory_gb', 0))} GB</span>"
        )
        rows.append(
            [
                _link(p.get("notebook", "?"), str(p.get("notebook", "")), "notebooks/{}.ipynb"),
                _text(p.get("mode", "")),
                _code(commit[:8]) if commit else "",
                _text(started),
                _number(p.get("wall_time_s")),
                cpu,
                f"{_load(p.get('load_average_start'))} &rarr; {_load(p.get('load_average_end'))}"
                if "load_average_start" in p or "load_average_end" in p
                else "not recorded",
                _number(p.get("peak_memory_mb")),
                cache,
                machine,
                _size(size) if isinstance((size := p.get("size_bytes")), int) else "?",
                _text(changed_txt),
            ]
        )
    total = sum(x for p in provenances if _number(x := p.get("wall_time_s"), missing="") != "")
    cpu_total = [x for p in provenances if _number(x := p.get("cpu_time_s"), missing="") != ""]
    size = _size(sum(x for p in provenances if isinstance(x := p.get("size_bytes"), int)))
    cpu_note = (
        f" CPU time recorded for {len(cpu_total)} of them: {sum(cpu_total):.0f} s." if cpu_total else ""
    )
    header = [
        "chapter",
        "mode",
        "commit",
        "started (UTC)",
        "wall time (s)",
        "CPU time (s)",
        "load 1/5/15 min, start &rarr; end",
        "peak memory (MB)",
        "feature cache hits / misses",
        "machine",
        "published size",
        "reviewlib/ files changed since",
    ]
    return (
        f"{len(provenances)} published runs, {total:.0f} s of execution and {size} in total.{cpu_note} "
        "CPU time is the user + system time of the notebook's kernel and its worker processes: above "
        "the wall time when several cores worked at once; a wall time well above it means the run "
        "waited (for I/O, or for cores that other work was using: see the load). Feature-cache hits "
        "are featurisations (Magpie, structure features, SOAP, CHGNet embeddings, GPAW energies) "
        "another chapter or an earlier run already computed; the time saved is what computing them "
        "took when they were made.\n\n" + "```{container} status-table\n" + _table(header, rows) + "```\n"
    )


#: the results store as CSV, written beside the generated pages (linked from the "All results" page)
RESULTS_CSV = "results.csv"
#: the random-versus-grouped figure of the "All results" page, written beside the generated pages
RESULTS_FIGURE = "results_random_vs_grouped.png"
#: the figure's MyST name (``{numref}`fig-results-random-vs-grouped``)
RESULTS_FIGURE_NAME = "fig-results-random-vs-grouped"
#: where the book finds the generated files: a path from the book's source folder (``book/``)
_GENERATED_URL = "/_generated/"


def _html_table(*, header: list[str], rows: list[list[str]], css: str, filterable: bool = False) -> str:
    """An HTML table of cells already made safe by ``_text`` (readable without JavaScript)."""
    attrs = f'class="{css}"' + (' data-filterable="1"' if filterable else "")
    body = "\n".join("<tr>" + "".join(f"<td>{_cell(x)}</td>" for x in row) + "</tr>" for row in rows)
    head = "".join(f"<th>{h}</th>" for h in header)
    return f"<table {attrs}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"


def _metric_name(metric: str) -> str:
    """``MAE``, ``RMSE``, ``R2`` for short metric names; longer names as they are."""
    return metric.upper() if len(metric) <= 4 else metric


def _interval_text(*, value: float, unit: str, interval: tuple | None, kind: str) -> str:
    """``value unit [low, high]`` (a stored interval) or ``value ± u unit`` (value -/+ a stored
    uncertainty: ``kind`` starts with "±", :func:`reviewlib.book.results.best_against_baseline`),
    with the kind on hover; through ``_text``.
    """
    spread = kind.startswith("±") and interval is not None
    text = results.format_value(
        value,
        unit,
        uncertainty=(interval[1] - interval[0]) / 2 if spread else None,
        ci=None if spread else interval,
    )
    return f'<span title="{_text(kind or "no uncertainty stored")}">{_text(text)}</span>'


def _flag(value) -> bool:
    """A True/False/NA flag as a bool (NA: False)."""
    return False if value is None or pd.isna(value) else bool(value)


def _skill_badge(row: dict) -> str:
    """The verdict of a best model against its baseline: does it beat it, and is that resolved."""
    if pd.isna(row["beats baseline"]):
        return '<span class="verdict verdict-notrun">no baseline</span>'
    if not row["beats baseline"]:
        return '<span class="verdict verdict-missed">does not beat the baseline</span>'
    if _flag(row["within uncertainties"]):
        return '<span class="verdict verdict-close">beats it, within the uncertainties</span>'
    return '<span class="verdict verdict-reproduced">beats the baseline</span>'


def _summary_row(row: dict) -> list[str]:
    """One row of a chapter's compact table (every field through ``_text``)."""
    others = f"<br><small>best of {row['n models']} models</small>" if row["n models"] > 1 else ""
    skill = "" if pd.isna(row["skill"]) else _text(f"{row['skill']:.2f}")
    base = ""
    if row["baseline model"]:
        base = _interval_text(
            value=row["baseline value"],
            unit=row["unit"],
            interval=row["baseline interval"],
            kind=row["baseline interval kind"],
        )
        base += f"<br><small>{_text(row['baseline model'])}</small>"
    return [
        f"{_text(row['dataset'])} &rarr; {_text(row['target'])}",
        _text(row["split"]),
        f"<b>{_text(row['model'])}</b><br><small>{_text(row['features'])}</small>{others}",
        _text(_metric_name(row["metric"])),
        _interval_text(
            value=row["value"], unit=row["unit"], interval=row["interval"], kind=row["interval kind"]
        ),
        base,
        f"<b>{skill}</b>" if skill else "",
        _text(f"{row['n_test']:,}"),
        _skill_badge(row),
    ]


def _summary_section(summary: pd.DataFrame, *, n_groups: int, titles: dict[str, str]) -> str:
    """The compact view: one table per chapter, best model against baseline per (data, target, split)."""
    if summary.empty:
        return "## Best model against its baseline\n\nNo group is scored by MAE or RMSE yet.\n"
    rated = summary[summary["beats baseline"].notna()]
    beats = [_flag(v) for v in rated["beats baseline"]]
    within = [_flag(v) for v in rated["within uncertainties"]]
    n_lose = beats.count(False)
    n_within = sum(b and w for b, w in zip(beats, within, strict=True))
    out = [
        "## Best model against its baseline\n\n"
        f"One row per chapter, dataset, target and split: {len(summary)} of the {n_groups} such "
        f"combinations in the store (the other {n_groups - len(summary)} have no MAE or RMSE of a "
        "model, only classification or ranking scores: see the full table below). Each row judges "
        "the group on its primary error metric, MAE when the chapter recorded it, else RMSE "
        "(lower is better): the best model beside the best of the "
        "group's trivial baselines (training mean or median), with the stored interval (a 95 % "
        "bootstrap interval, or value &#177; the std over folds; the kind on hover) and the number "
        "of scored predictions. **Skill** is 1 &minus; error / baseline error: 0 is no better than "
        "the baseline, 1 is no error. "
        f"In {len(rated)} groups with a baseline, the best model does not beat it in {n_lose} "
        f"(skill &le; 0) and beats it within the uncertainties in {n_within}: the two stored "
        "intervals overlap, so they do not resolve the difference (a flag, not a significance "
        "test; the intervals are not paired).\n"
    ]
    for stem, chapter in summary.groupby("notebook", sort=True):
        title = titles.get(stem, stem)
        out.append(f"\n### {_link(title, stem, 'notebooks/{}.ipynb')}\n")
        header = [
            "data &rarr; target",
            "split",
            "best model (features)",
            "metric",
            "error [interval]",
            "baseline error (baseline)",
            "skill",
            "n test",
            "against the baseline",
        ]
        rows = [_summary_row(r) for r in chapter.to_dict("records")]
        out.append(_html_table(header=header, rows=rows, css="results-compact"))
    return "\n".join(out)


def _figure_caption(pairs: pd.DataFrame) -> str:
    """The caption of the random-versus-grouped figure, with its counts (no record field)."""
    metrics = " or ".join(sorted({_metric_name(m) for m in pairs["metric"]}))
    return (
        f"Random versus grouped splits: {len(pairs)} pair{'s' if len(pairs) > 1 else ''} of splits on "
        f"{pairs[['notebook', 'dataset', 'target']].drop_duplicates().shape[0]} datasets and targets "
        f"from {pairs['notebook'].nunique()} chapters. Each point is the best model's error "
        f"({metrics}) divided by the trivial baseline's error on the same split (1 &minus; skill; "
        "dashed line at 1: no better than the baseline), a scale-free quantity so that datasets "
        "with different units share one axis; each split is divided by its own baseline because "
        "the test sets differ. Circles: the random split; squares: a grouped split of the same "
        "chapter, data and target (labelled). A square right of its circle: grouping the test "
        "chemistry away from training makes the problem harder."
    )


def _figure_section(pairs: pd.DataFrame) -> str:
    """The random-versus-grouped section: a MyST figure directive, or a sentence when no pair exists."""
    head = "## Random versus grouped splits\n\n"
    if pairs.empty:
        return head + "No chapter recorded a data set under both a random and a grouped split yet.\n"
    return (
        head + f"```{{figure}} {_GENERATED_URL}{RESULTS_FIGURE}\n"
        f":name: {RESULTS_FIGURE_NAME}\n"
        ":alt: best model error relative to the trivial baseline under random and grouped splits\n"
        ":width: 100%\n\n"
        f"{_figure_caption(pairs)}\n```\n"
    )


def plot_random_vs_grouped(pairs: pd.DataFrame, *, path: Path) -> Path:
    """Draw :func:`reviewlib.book.results.random_vs_grouped` pairs as a dumbbell plot (PNG, Agg).

    Args:
        pairs: one row per (random split, grouped split) pair with their relative errors.
        path: where the PNG goes.

    Returns:
        ``path``.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    n = len(pairs)
    fig = Figure(figsize=(9.0, 1.4 + 0.5 * n), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    y = np.arange(n)[::-1]
    rand, grouped = pairs["random relative error"].to_numpy(), pairs["grouped relative error"].to_numpy()
    ax.hlines(y, np.minimum(rand, grouped), np.maximum(rand, grouped), color="0.7", lw=1.5, zorder=1)
    ax.scatter(rand, y, marker="o", s=36, label="random split", zorder=2)
    ax.scatter(grouped, y, marker="s", s=36, label="grouped split", zorder=2)
    ax.axvline(1.0, color="0.3", ls="--", lw=1, label="trivial baseline (skill 0)")
    labels = [
        _short(f"{r['notebook'][:2]} {r['dataset']} → {r['target']}", 58)
        + "\n"
        + _short(str(r["grouped split"]), 58)
        for r in pairs.to_dict("records")
    ]
    labels = [label.replace("$", r"\$") for label in labels]  # text, never mathtext
    ax.set_yticks(y, labels, fontsize="small")
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlim(0.0, max(1.1, float(np.nanmax([rand, grouped])) * 1.05))
    ax.set_xlabel("best model error / trivial-baseline error, same split (1 − skill)")
    ax.grid(axis="x", color="0.9")
    fig.legend(loc="outside upper center", ncols=3, frameon=False, fontsize="small")
    fig.savefig(path, dpi=150)
    return path


def write_results_files(out_dir: Path, *, records_dir: Path | None = None) -> list[Path]:
    """Write the files the "All results" page links: the store as CSV and the split figure.

    The CSV has every row of the store (:data:`reviewlib.book.results.COLUMNS`) plus
    ``baseline_value`` and ``beats_baseline`` (:func:`reviewlib.book.results.with_baselines`). The
    figure is written when some data set has a random and a grouped split (else an old one is
    removed, and the page says so).

    Args:
        out_dir: the generated folder (``book/_generated``).
        records_dir: the records folder whose ``results/`` is read.

    Returns:
        The files written.
    """
    frame = results.load(records_dir)
    written = []
    csv = Path(out_dir) / RESULTS_CSV
    results.with_baselines(frame).to_csv(csv, index=False)
    written.append(csv)
    figure = Path(out_dir) / RESULTS_FIGURE
    pairs = results.random_vs_grouped(results.best_against_baseline(frame))
    if pairs.empty:
        figure.unlink(missing_ok=True)
    else:
        written.append(plot_random_vs_grouped(pairs, path=figure))
    return written


def _full_table(frame: pd.DataFrame, *, titles: dict[str, str]) -> str:
    """Every row of the store in one filterable HTML table, its group's baseline beside it."""
    rows = []
    for r in frame.itertuples():
        value = results.format_value(
            r.value,
            r.unit,
            uncertainty=r.uncertainty,
            ci=(r.ci_low, r.ci_high) if pd.notna(r.ci_low) else None,
        )
        if r.baseline:
            verdict = '<span class="verdict verdict-na">baseline</span>'
        elif pd.isna(r.beats_baseline):
            verdict = '<span class="verdict verdict-notrun">no baseline</span>'
        elif r.beats_baseline:
            verdict = '<span class="verdict verdict-reproduced">beats</span>'
        else:
            verdict = '<span class="verdict verdict-missed">does not beat</span>'
        base = "" if pd.isna(r.baseline_value) else results.format_value(r.baseline_value, r.unit)
        title = _text(titles.get(r.notebook, r.notebook))
        chapter = f'<a href="notebooks/{_text(r.notebook)}.html" title="{title}">{_text(r.notebook[:2])}</a>'
        note = f' <span title="{_text(r.note)}">&#9432;</span>' if r.note else ""
        rows.append(
            [
                chapter,
                f"{_text(r.dataset)} &rarr; {_text(r.target)}",
                _text(r.split),
                f"<b>{_text(r.model)}</b><br><small>{_text(r.features)}</small>{note}",
                _text(_metric_name(r.metric)),
                f'<span title="{_text(r.uncertainty_kind)}">{_text(value)}</span>',
                f"{_text(base)} {verdict}",
                f"{r.n_train:,} / {r.n_test:,}",
            ]
        )
    header = [
        "ch.",
        "data &rarr; target",
        "split",
        "model (features)",
        "metric",
        "value",
        "baseline",
        "n train / test",
    ]
    table = _html_table(header=header, rows=rows, css="results-table", filterable=True)
    return '<div class="results-store">\n\n' + table + "\n</div>\n"


def results_page(records_dir: Path | None = None) -> str:
    """Markdown + HTML: the model evaluations of :mod:`reviewlib.book.results`, in three parts.

    First the compact view (:func:`reviewlib.book.results.best_against_baseline`): per chapter, the
    best model of each (dataset, target, split) against its trivial baseline, with its skill;
    then the random-versus-grouped figure (:func:`write_results_files` writes it); then every
    row in one table grouped by (chapter, dataset, target, split, metric), with the group's
    baseline beside each row and a download link to the CSV. Plain HTML (readable without
    JavaScript); ``_static/results-filter.js`` adds filters to the full table.

    Args:
        records_dir: the records folder whose ``results/`` is read.

    Returns:
        The page's Markdown.
    """
    frame = results.load(records_dir)
    if frame.empty:
        return "No model evaluations are recorded yet.\n"
    summary = results.best_against_baseline(frame)
    frame = results.with_baselines(frame)
    c = results.summary_counts(frame)
    titles = {stem: title for stem, title in milestone_notebooks().values()}
    head = (
        f"{c['rows']:,} evaluations from {c['notebooks']} chapters on {c['datasets']} datasets, in "
        f"{c['groups']} groups (same chapter, data, target, split and metric); {c['groups_with_baseline']} "
        f"groups have a trivial baseline. Of the non-baseline rows with a baseline, {c['beat']} beat it and "
        f"{c['not_beat']} do not. Modes: {_text(', '.join(sorted(map(str, set(frame['mode'])))))}.\n\n"
    )
    n_groups = frame.groupby(results.SUMMARY_KEY).ngroups
    download = f"{{download}}`{RESULTS_CSV} <{_GENERATED_URL}{RESULTS_CSV}>`"
    every = (
        "## Every evaluation\n\n"
        f"All {c['rows']:,} rows; download them as CSV: {download} (the store's columns, "
        "`reviewlib.book.results.COLUMNS`, plus `baseline_value` and `beats_baseline`).\n\n"
    )
    return (
        head
        + _summary_section(summary, n_groups=n_groups, titles=titles)
        + "\n"
        + _figure_section(results.random_vs_grouped(summary))
        + "\n"
        + every
        + _full_table(frame, titles=titles)
    )


def write_pages(
    out_dir: Path | None = None,
    *,
    cli_parser: argparse.ArgumentParser,
    records_dir: Path | None = None,
    provenances: list[dict] | None = None,
) -> list[Path]:
    """Write the generated pages (data, overview, reported, results, status, CLI and API
    reference) into ``out_dir``, with the files the results page links (:func:`write_results_files`:
    its CSV and figure); ``cli_parser`` is ``reviewlib.book.cli.build_parser()`` (the CLI page).
    """
    out_dir = Path(out_dir) if out_dir is not None else settings.generated_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = {
        "data.md": data_page(),
        "overview.md": overview_page(records_dir),
        "reported.md": reported_page(records_dir),
        "results.md": results_page(records_dir),
        "status.md": status_page(provenances),
        "cli.md": cli_page(cli_parser),
        "api.md": api_page(),
    }
    written = []
    for name, text in pages.items():
        path = out_dir / name
        path.write_text(text)
        written.append(path)
    return written + write_results_files(out_dir, records_dir=records_dir)


def prepare_book(
    *,
    require_full: bool = True,
    published_dir: Path | None = None,
    staged_dir: Path | None = None,
    generated_dir: Path | None = None,
    cli_parser: argparse.ArgumentParser,
) -> list[Path]:
    """Everything ``make book`` needs before Jupyter Book runs, without executing anything: check
    the published runs (:func:`reviewlib.book.publish.stage_for_book`), copy their notebooks and claim
    records where the book reads them (``staged_dir``, ``generated_dir/records``), and write the
    generated pages from them. The outputs of local runs (:func:`reviewlib.settings.runs_dir`) are
    never read or touched.
    """
    from reviewlib.book import publish

    generated_dir = Path(generated_dir) if generated_dir is not None else settings.generated_dir()
    records = generated_dir / "records"
    chapters = toc_notebooks()  # the book's chapters; a notebook outside the TOC is not published yet
    provenances = publish.stage_for_book(
        tuple(sorted(chapters)) if chapters else (),
        published_dir=published_dir,
        staged_dir=staged_dir,
        records_dir=records,
        require_full=require_full,
    )
    return write_pages(generated_dir, cli_parser=cli_parser, records_dir=records, provenances=provenances)


def cli_page(parser: argparse.ArgumentParser) -> str:
    """Markdown reference of every ``reviewlib`` subcommand and option, from the argument parser
    (``reviewlib.book.cli.build_parser()``: the command line passes it in, so this module never imports
    the command line).
    """
    out = [
        "Generated from `reviewlib.book.cli.build_parser()`; `reviewlib COMMAND --help` prints the same.\n",
        "```text\n" + parser.format_help().rstrip() + "\n```\n",
    ]

    def walk(p: argparse.ArgumentParser, prefix: str) -> None:
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    out.append(f"\n## `{prefix} {name}`\n")
                    out.append("```text\n" + child.format_help().rstrip() + "\n```\n")
                    walk(child, f"{prefix} {name}")

    walk(parser, "reviewlib")
    return "\n".join(out)


def api_modules() -> tuple[list[str], dict[str, str]]:
    """Public modules of ``reviewlib`` (names without a leading underscore) that import, and the
    error of each that does not.
    """
    import importlib
    import pkgutil

    import reviewlib

    names = ["reviewlib"] + sorted(
        m.name
        for m in pkgutil.walk_packages(reviewlib.__path__, prefix="reviewlib.")
        if not any(part.startswith("_") for part in m.name.split("."))
    )
    ok, failed = [], {}
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # an optional dependency missing on this machine
            failed[name] = f"{type(exc).__name__}: {exc}"
            continue
        ok.append(name)
    return ok, failed


def api_page() -> str:
    """Markdown with one autodoc section per public module (Google docstrings via napoleon)."""
    ok, failed = api_modules()
    out = [f"{len(ok)} modules, documented from their docstrings by Sphinx autodoc.\n"]
    if failed:
        listing = "; ".join(f"`{k}` ({v})" for k, v in failed.items())
        out.append(f"Not documented on this build (import failed): {listing}.\n")
    for name in ok:
        out.append(f"\n## `{name}`\n")
        out.append(f"```{{eval-rst}}\n.. automodule:: {name}\n   :members:\n```\n")
    return "\n".join(out)
