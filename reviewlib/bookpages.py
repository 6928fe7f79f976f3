"""Generate the book's data-driven pages: datasets, reported vs reproduced, execution status.

The pages are Markdown fragments written to ``book/_generated/`` and included by the committed
pages in ``book/``. Every value comes from the registry, the recorded claims or the runner's
``status.json``; nothing is typed in.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reviewlib import claims, runner, settings
from reviewlib.data import records


def _cell(value) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


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
        source = f"[{rec.repo}@{rec.commit[:7]}](https://github.com/{rec.repo}/tree/{rec.commit}/{rec.path})"
        rows.append(
            [
                f"`{rec.name}`",
                rec.description,
                source,
                files,
                _size(rec.size),
                rec.license,
                f"{{cite:p}}`{rec.citation}`",
                "yes" if rec.download else "no (mirror only)",
                f"`{rec.sha256[:12]}…`",
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
    page = f"{len(rows)} registry records, {_size(total)} in total.\n\n" + _table(header, rows)
    return page + "\n" + _columns_section()


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
        rows = []
        for col in rec.columns:
            name = f"{col['count']} feature columns" if col["name"] == "*" else f"`{col['name']}`"
            rows.append([name, col["dtype"], col["unit"], col["description"]])
        parts.append(
            f"### `{rec.name}`\n\n`reviewlib.data.{rec.loader['function']}({kwargs})`: {rec.rows:,} rows, "
            f"{sum(int(c.get('count', 1)) for c in rec.columns)} columns.\n\n"
            + _table(["column", "dtype", "unit", "description"], rows)
        )
    return "\n".join(parts)


_VERDICT_MARK = {
    "reproduced": "✅ reproduced",
    "close": "🟡 close",
    "missed": "❌ missed",
    "not reproducible with public data": "⚪ not reproducible with public data",
    "not run": "⏳ not run",
}


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
    found: dict[str, tuple[str, str]] = {}
    for path in paths:
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


def reported_page(records_dir: Path | None = None) -> str:
    """Markdown: verdict counts per milestone, then one table per milestone.

    Milestones with a notebook come first (in notebook order), then the rest in the order of
    the review's Table 1; titles come from the notebook or from ``reviewlib/milestones.csv``.
    """
    table = claims.verdicts(records_dir)
    if table.empty:
        return "No reported claims are registered yet.\n"
    notebooks = milestone_notebooks()
    meta = claims.milestones()
    order = {slug: i for i, slug in enumerate(notebooks)}
    rank = {slug: len(order) + i for i, slug in enumerate(meta.index)}

    def key(slug: str) -> tuple[int, str]:
        return (order.get(slug, rank[slug]), slug)

    def title(slug: str) -> str:  # claims.reported() guarantees every slug is in milestones.csv
        return notebooks[slug][1] if slug in notebooks else meta.loc[slug, "title"]

    groups = sorted(table.groupby("milestone", sort=False), key=lambda g: key(g[0]))
    counts = table["verdict"].value_counts()
    summary = ", ".join(f"{_VERDICT_MARK[v]}: {counts.get(v, 0)}" for v in claims.VERDICTS)
    out = [f"{len(table)} claims. {summary}.\n"]
    overview = []
    for slug, group in groups:
        c = group["verdict"].value_counts()
        stem = notebooks.get(slug, (None, ""))[0]
        row = meta.loc[slug, "table1_row"]
        short = title(slug).split(":")[0]
        overview.append(
            [
                row,
                f"[{short}](notebooks/{stem}.ipynb)" if stem else f"{short} (no notebook yet)",
                len(group),
                *[c.get(v, 0) for v in claims.VERDICTS],
            ]
        )
    short_verdicts = [v.replace(" with public data", "") for v in claims.VERDICTS]
    out.append("\n" + _table(["Table 1", "milestone", "claims", *short_verdicts], overview))
    for slug, group in groups:
        stem = notebooks.get(slug, (None, ""))[0]
        out.append(f"\n## {title(slug)}\n")
        if stem is not None:
            out.append(f"Notebook: [{stem}](notebooks/{stem}.ipynb)\n")
        else:
            out.append("No notebook yet: every claim below is *not run* (or not reproducible).\n")
        rows = [
            [
                r.quantity,
                _fmt(r.reported),
                _fmt(r.ours),
                r.unit,
                r.tolerance,
                _VERDICT_MARK[r.verdict],
                r.mode,
                f"{r.section}; {{cite:t}}`{r.source}`",
                r.why if r.why else r.tolerance_reason,
            ]
            for r in group.itertuples()
        ]
        out.append(
            _table(
                [
                    "quantity",
                    "reported",
                    "ours",
                    "unit",
                    "tolerance",
                    "verdict",
                    "mode",
                    "where reported",
                    "note",
                ],
                rows,
            )
        )
    return "\n".join(out)


def status_page(status_path: Path | None = None) -> str:
    """Markdown table of the last execution of each notebook (time, memory, status)."""
    entries = runner.load_status(status_path)
    if not entries:
        return "No notebook has been executed yet: run `reviewlib run`.\n"
    rows = [
        [
            f"[{e['notebook']}](notebooks/{e['notebook']}.ipynb)",
            "✅ ok" if e["status"] == "ok" else "❌ failed",
            e["mode"],
            f"{e['seconds']:.1f}",
            f"{e['peak_memory_mb']:.0f}",
            e["finished"],
            e["error"],
        ]
        for e in entries
    ]
    total = sum(e["seconds"] for e in entries)
    header = ["notebook", "status", "mode", "wall time (s)", "peak memory (MB)", "finished (UTC)", "error"]
    return f"{len(entries)} notebooks, {total:.0f} s in total.\n\n" + _table(header, rows)


def write_pages(
    out_dir: Path | None = None, *, records_dir: Path | None = None, status_path: Path | None = None
) -> list[Path]:
    """Write ``data.md``, ``reported.md`` and ``status.md`` into ``out_dir``."""
    out_dir = Path(out_dir) if out_dir is not None else settings.generated_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = {
        "data.md": data_page(),
        "reported.md": reported_page(records_dir),
        "status.md": status_page(status_path),
    }
    written = []
    for name, text in pages.items():
        path = out_dir / name
        path.write_text(text)
        written.append(path)
    return written
