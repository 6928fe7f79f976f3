"""``reviewlib predict``: the pipeline's Tc, lambda and omega_log for your compositions or structures."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub) -> argparse.ArgumentParser:
    """Register ``predict`` on the top-level subparsers; returns the parser."""
    p = sub.add_parser(
        "predict",
        help="Tc, lambda, omega_log with intervals and applicability flags from the chapter-14 pipeline",
        description="Input: a CSV with columns formula, pressure_GPa, or a folder of CIF/POSCAR files. "
        "Rows that cannot be used are listed (file, line, reason) and skipped.",
    )
    p.add_argument("inputs", nargs="?", help="CSV (formula, pressure_GPa) or folder of structures")
    p.add_argument("--model", help="model folder, zip or card (default: the published chapter-14 model)")
    p.add_argument("--out", help="write the predictions to this CSV (default: print them)")
    p.add_argument("--route", default="chained", choices=("chained", "direct", "ensemble"))
    p.add_argument("--pressure-GPa", type=float, default=0.0, help="pressure for structures (GPa)")
    p.add_argument("--n-draws", type=int, default=200, help="Monte Carlo draws per candidate")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--list", action="store_true", help="show the model cards found and exit")
    return p


def run(args) -> int:
    """Execute ``reviewlib predict``; 0 on success, 1 when nothing could be predicted or no model."""
    from reviewlib.pipeline.bundle import ModelError, list_cards
    from reviewlib.pipeline.predict import predict

    if args.list:
        cards = list_cards()
        if not cards:
            print(
                "no pipeline model in the default locations; make one with "
                "`reviewlib run 14_pipeline_future_superconductors --mode full`"
            )
            return 1
        for c in cards:
            print(
                f"{c['path']}\n  mode {c.get('mode')}, trained {c.get('created')}, "
                f"n_train {c.get('n_train')}, "
                f"{c.get('model_size_bytes', 0) / 1e6:.2f} MB, sha256 {c.get('model_sha256', '')[:12]}"
            )
            for d in c.get("data", []):
                print(f"  data {d.get('name')} sha256 {str(d.get('sha256'))[:12]}")
            print(f"  split: {c.get('split')}\n  libraries: {c.get('libraries')}")
        return 0
    if not args.inputs:
        print(
            "reviewlib predict: give a CSV (formula, pressure_GPa) or a folder of structures", file=sys.stderr
        )
        return 2
    try:
        table, skipped = predict(
            args.inputs,
            model=args.model,
            route=args.route,
            pressure_GPa=args.pressure_GPa,
            n_draws=args.n_draws,
            seed=args.seed,
        )
    except (ModelError, ValueError) as exc:
        print(f"reviewlib predict: {exc}", file=sys.stderr)
        return 1
    for r in skipped.itertuples():
        print(f"skipped: {r.reason}", file=sys.stderr)
    if table.empty:
        print("reviewlib predict: nothing could be predicted", file=sys.stderr)
        return 1
    if args.out:
        table.to_csv(args.out, index=False)
        print(f"{len(table)} predictions -> {args.out} ({len(skipped)} skipped)")
    else:
        cols = [
            "formula",
            "pressure_GPa",
            "tc_K_median",
            "tc_K_lo95",
            "tc_K_hi95",
            "lambda_median",
            "omega_log_K_median",
            "in_domain",
        ]
        print(table[cols].round(3).to_string(index=False))
    return 0
