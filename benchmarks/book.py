"""The whole book's run time per chapter, and where each chapter spends it.

Two parts:

1. ``python benchmarks/book.py`` reads the published runs' provenance (``book/published/*/``) and
   prints, per chapter and in total: wall time, CPU time, the load average at the start and the
   end (a wall time is only readable on an idle machine: load below the core count), peak memory
   and the feature cache's hits and seconds saved. After one ``make full`` on an idle machine
   this is the book's full-mode time (issue 24); it writes ``benchmarks/results/book.json``.
2. ``python benchmarks/book.py --profile NN [NN ...] [--mode fast|full] [--top 15]`` executes each
   chapter's code cells in this process under :mod:`cProfile` (the ``parameters`` cell is run
   with ``mode`` set as papermill would) and prints its top functions by cumulative and by own
   time: the hotspots. Work done in joblib/loky worker processes shows up as the waiting call
   that dispatched it. Profiles go to ``benchmarks/results/profile-<notebook>.txt``.

Nothing here publishes anything; the profile runs write claim records into a temporary folder.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"


def published_table(published: Path) -> list[dict]:
    """One row per published run from its provenance (fields missing in older runs are None)."""
    rows = []
    for prov_path in sorted(published.glob("*/provenance.json")):
        if prov_path.parent.name.startswith("."):
            continue
        p = json.loads(prov_path.read_text())
        fc = p.get("feature_cache") or {}
        rows.append(
            {
                "notebook": p.get("notebook"),
                "mode": p.get("mode"),
                "wall_s": p.get("wall_time_s"),
                "cpu_s": p.get("cpu_time_s"),
                "load_start": (p.get("load_average_start") or [None])[0],
                "load_end": (p.get("load_average_end") or [None])[0],
                "peak_mb": p.get("peak_memory_mb"),
                "cache_hits": fc.get("hits"),
                "cache_saved_s": fc.get("saved_s"),
                "cores": (p.get("machine") or {}).get("cpu_count"),
                "started": p.get("started"),
            }
        )
    return rows


def _fmt(value, spec: str = "{:.0f}") -> str:
    return "-" if value is None else spec.format(value)


def print_table(rows: list[dict]) -> None:
    print(
        f"{'chapter':44s} {'mode':5s} {'wall s':>8s} {'CPU s':>8s} {'load 1m':>15s} "
        f"{'peak MB':>8s} {'cache hits/saved s':>19s}"
    )
    for r in rows:
        load = f"{_fmt(r['load_start'], '{:.1f}')} -> {_fmt(r['load_end'], '{:.1f}')}"
        cache = f"{_fmt(r['cache_hits'])}/{_fmt(r['cache_saved_s'])}"
        print(
            f"{r['notebook']:44s} {r['mode']:5s} {_fmt(r['wall_s']):>8s} {_fmt(r['cpu_s']):>8s} "
            f"{load:>15s} {_fmt(r['peak_mb']):>8s} {cache:>19s}"
        )
    wall = sum(r["wall_s"] or 0 for r in rows)
    busy = [
        r["notebook"]
        for r in rows
        if r["load_start"] is not None
        and r["cores"]
        and max(r["load_start"], r["load_end"] or 0) > r["cores"]
    ]
    unknown = [r["notebook"] for r in rows if r["load_start"] is None]
    print(f"total wall time {wall:.0f} s ({wall / 60:.1f} min) over {len(rows)} chapters")
    if busy:
        print(
            f"load above the core count during {len(busy)} runs (their wall times are inflated): "
            + ", ".join(busy)
        )
    if unknown:
        print(f"load not recorded for {len(unknown)} runs (published before it was): {', '.join(unknown)}")


def _code_cells(notebook: Path) -> list[tuple[str, list[str]]]:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return [(c.source, list(c.metadata.get("tags", []))) for c in nb.cells if c.cell_type == "code"]


def profile_chapter(stem: str, *, mode: str, top: int) -> str:
    """Run one chapter's code in-process under cProfile; the report text (also written to a file)."""
    from IPython.display import display

    matches = sorted((REPO / "notebooks").glob(f"{stem}*.ipynb"))
    if len(matches) != 1:
        raise SystemExit(f"benchmarks/book.py: --profile {stem}: expected one notebook, found {len(matches)}")
    notebook = matches[0]
    records = Path(tempfile.mkdtemp(prefix="profile-records-"))
    os.environ.update(
        {"REVIEWLIB_RECORDS_DIR": str(records), "REVIEWLIB_NOTEBOOK": notebook.stem, "MPLBACKEND": "Agg"}
    )
    namespace: dict = {"__name__": "__main__", "display": display}
    profiler = cProfile.Profile()
    os.chdir(notebook.parent)
    start = time.perf_counter()
    for source, tags in _code_cells(notebook):
        code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        profiler.runctx(compile(code, f"{notebook.name}", "exec"), namespace, namespace)
        if "parameters" in tags:
            namespace["mode"] = mode
    wall = time.perf_counter() - start
    out = io.StringIO()
    out.write(f"{notebook.stem} ({mode} mode): {wall:.1f} s in this process\n\n")
    for key in ("cumulative", "tottime"):
        out.write(f"--- top {top} by {key} ---\n")
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(top)
    text = out.getvalue()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"profile-{notebook.stem}-{mode}.txt").write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--published", type=Path, default=REPO / "book" / "published")
    parser.add_argument("--profile", nargs="+", metavar="NN", help="chapters to profile (e.g. 03 11)")
    parser.add_argument("--mode", choices=("fast", "full"), default="fast")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    if args.profile:
        for stem in args.profile:
            print(profile_chapter(stem, mode=args.mode, top=args.top))
        return 0
    rows = published_table(args.published)
    print_table(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "book.json").write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
