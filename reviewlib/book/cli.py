"""The ``reviewlib`` command line: data registry, notebook runner, book pages and Tc tools.

reviewlib data list [--json]
reviewlib data fetch NAME [NAME ...] | --all
reviewlib data verify [NAME ...]
reviewlib run [NOTEBOOK ...] [--mode fast|full] [--publish] [-p KEY=VALUE ...]
reviewlib pages
reviewlib tc FILE [FILE ...] [--mu-star 0.10] [--units meV] [--json]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
from collections.abc import Sequence


def _data_list(args) -> int:
    from reviewlib.data import records

    recs = records()
    if args.json:
        for rec in recs.values():
            keep = {k: v for k, v in rec.__dict__.items() if k != "files"}
            print(json.dumps(keep))
        return 0
    width = max(len(n) for n in recs)
    for rec in recs.values():
        size = f"{rec.size / 1e6:7.2f} MB"
        extra = f" ({rec.n_files} files)" if rec.kind == "folder" else ""
        print(f"{rec.name:<{width}}  {size}  {rec.license[:24]:<24}  {rec.description}{extra}")
    print(f"{len(recs)} records")
    return 0


def _mirror_header() -> None:
    from reviewlib.data.registry import mirror_problem

    problem = mirror_problem()
    if problem:
        print(f"warning: {problem}; looking only in the cache", file=sys.stderr)


_FETCH_STATUS = {
    "DataUnavailableError": "missing",
    "DataHashError": "mismatch",
    "DataUnreadableError": "unreadable",
    "KeyError": "unknown",
}


def _data_fetch(args) -> int:
    from reviewlib.data import DataError, fetch, records

    names = list(records()) if args.all else args.names
    if not names:
        print("reviewlib data fetch: give dataset names or --all", file=sys.stderr)
        return 2
    _mirror_header()
    failed: list[str] = []
    for name in names:
        rec = records().get(name)
        try:
            path = fetch(name, progress=True)
        except (DataError, KeyError, OSError) as exc:
            if (
                args.all
                and rec is not None
                and not rec.download
                and type(exc).__name__ == "DataUnavailableError"
            ):
                print(f"skipped      {name}: not downloadable; only used when a mirror holds it")
                continue
            status = _FETCH_STATUS.get(type(exc).__name__, "unreadable")
            text = exc.args[0] if isinstance(exc, KeyError) else str(exc)
            print(f"{status:<12} {name}: {text}", file=sys.stderr)
            failed.append(f"{name} ({status})")
            continue
        print(f"ok           {name}: {path}")
    if failed:
        print(f"{len(failed)} of {len(names)} dataset(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _data_verify(args) -> int:
    from reviewlib.data import check, records

    names = args.names or list(records())
    _mirror_header()
    counts: dict[str, int] = {}
    for name in names:
        try:
            result = check(name)
        except KeyError as exc:
            print(f"{'unknown':<12} {exc.args[0]}", file=sys.stderr)
            counts["unknown"] = counts.get("unknown", 0) + 1
            continue
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.ok:
            print(f"{'ok':<12} {name} ({result.source})")
            continue
        print(f"{result.status:<12} {name}: {result.detail}", file=sys.stderr)
        for line in result.problems[:10]:
            print(f"    {line}", file=sys.stderr)
        if len(result.problems) > 10:
            print(f"    ... and {len(result.problems) - 10} more", file=sys.stderr)
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    bad = sum(n for status, n in counts.items() if status != "ok")
    print(f"{len(names)} dataset(s): {summary}", file=sys.stderr if bad else sys.stdout)
    return 1 if bad else 0


def _parse_params(items: Sequence[str]) -> dict:
    params = {}
    for item in items:
        if "=" not in item:
            raise SystemExit(f"-p expects KEY=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        try:
            params[key] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            params[key] = value
    return params


def _run(args) -> int:
    from reviewlib.book import publish, runner

    mode = args.mode or ("full" if args.publish else "fast")
    mode_params = [
        item for item in args.param if publish.sets_mode(re.split(r"[=\s]", item.strip(), maxsplit=1)[0])
    ]
    if mode_params:
        print(
            f"reviewlib run: -p {mode_params[0]!r}: choose the mode with --mode fast|full, not with a "
            "parameter (a published run must be the mode its provenance says)",
            file=sys.stderr,
        )
        return 2
    try:
        notebooks = runner.discover(args.notebooks)
    except FileNotFoundError as exc:
        print(f"reviewlib run: {exc}", file=sys.stderr)
        return 2
    params = _parse_params(args.param)
    if args.publish and mode != "full" and not os.environ.get("REVIEWLIB_PUBLISHED_DIR"):
        print(
            "reviewlib run: the website shows full-mode runs; publish with --mode full "
            "(a fast run may be published only into a REVIEWLIB_PUBLISHED_DIR of your own)",
            file=sys.stderr,
        )
        return 2
    if args.scheduler:
        from reviewlib.book import cluster

        try:
            results = cluster.run_on_cluster(
                notebooks, scheduler=args.scheduler, mode=mode, publish_runs=args.publish, parameters=params
            )
        except (OSError, RuntimeError) as exc:
            print(f"reviewlib run: --scheduler {args.scheduler}: {exc}", file=sys.stderr)
            return 2
    elif not args.publish:
        results = runner.run_all([str(nb) for nb in notebooks], mode=mode, parameters=params)
    else:
        results = []
        for i, nb in enumerate(notebooks, 1):
            print(f"[{i}/{len(notebooks)}] {nb.name} (mode={mode}, publish) ...", flush=True)
            res = publish.publish(nb, mode=mode, parameters=params)
            where = publish.run_dir(nb.stem)
            line = f"    {res.status} in {res.seconds:.1f} s, peak memory {res.peak_memory_mb:.0f} MB"
            print(line + (f"\n    {res.error}" if res.error else f"; published to {where}"), flush=True)
            results.append(res)
    failed = [r.notebook for r in results if r.status != "ok"]
    total = sum(r.seconds for r in results)
    print(f"{len(results) - len(failed)}/{len(results)} notebooks ok in {total:.0f} s")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _pages(args) -> int:
    from reviewlib.book import pages, publish

    try:
        written = pages.prepare_book(require_full=not args.allow_fast, cli_parser=build_parser())
    except (publish.PublishError, FileNotFoundError) as exc:
        print(f"reviewlib pages: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``reviewlib`` argument parser with its subcommands."""
    parser = argparse.ArgumentParser(prog="reviewlib", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="the pinned data registry")
    dsub = data.add_subparsers(dest="data_command", required=True)
    p = dsub.add_parser("list", help="list registry records")
    p.add_argument("--json", action="store_true", help="one JSON record per line")
    p.set_defaults(func=_data_list)
    p = dsub.add_parser("fetch", help="resolve (mirror, cache or download) and verify datasets")
    p.add_argument("names", nargs="*", metavar="NAME")
    p.add_argument("--all", action="store_true", help="every record")
    p.set_defaults(func=_data_fetch)
    p = dsub.add_parser("verify", help="check the sha256 of datasets (default: all)")
    p.add_argument("names", nargs="*", metavar="NAME")
    p.set_defaults(func=_data_verify)

    p = sub.add_parser(
        "run",
        help="execute notebooks with papermill (--publish: keep a full-mode run for the website)",
        description="Execute notebooks with papermill. Without --publish, a local run writes only "
        "below runs/ (REVIEWLIB_RUNS_DIR): the executed notebook in runs/notebooks/, its claim "
        "records in runs/records/, run status in runs/status.json; running the same notebook again "
        "overwrites its own previous output there, and no other command (reviewlib pages, make "
        "book) touches it. With --publish, a successful run replaces the notebook's published run.",
    )
    p.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="paths or names (default: all)")
    p.add_argument(
        "--mode",
        choices=("fast", "full"),
        default=None,
        help="fast (CI subsamples) or full (default: fast; full with --publish); the only way to "
        "set the mode (-p mode=... is refused)",
    )
    p.add_argument(
        "--publish",
        action="store_true",
        help="on success, replace the notebook's published run (book/published/<notebook>/: executed "
        "notebook, claim records, provenance.json); a failed run publishes nothing",
    )
    p.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra papermill parameter (Python literal or string); not mode (use --mode)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run each notebook as one task on a dask.distributed cluster: 'local' (a LocalCluster "
        "sized to this machine), a scheduler address (tcp://host:8786) or a scheduler file; workers "
        "must declare --resources MEMORY_MB=<MB>; finished runs are published (or written to runs/) "
        "on this machine",
    )
    p.set_defaults(func=_run)

    p = sub.add_parser(
        "pages",
        help="check the published runs and stage them for the book (book/notebooks/, "
        "book/_generated/: notebooks, claim records, generated pages); executes nothing and never "
        "touches local runs (runs/) or a file there it did not write itself",
    )
    p.add_argument(
        "--allow-fast",
        action="store_true",
        help="accept fast-mode published runs (previews and tests; the website shows full runs)",
    )
    p.set_defaults(func=_pages)

    from reviewlib.tc import cli as tc_cli

    tc_cli.add_parser(sub).set_defaults(func=tc_cli.run)

    from reviewlib.pipeline import cli as predict_cli

    predict_cli.add_parser(sub).set_defaults(func=predict_cli.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``reviewlib`` command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
