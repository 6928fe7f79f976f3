"""Benchmark of reviewlib.tc.eliashberg.eliashberg_tc on seeded random three-Gaussian spectra.

For each spectrum: the default solve (rescaled mu* = 0.1, cutoff 32 omega_max, rtol 1e-3), timed,
run through build_dataset (joblib, --n-jobs workers); and a tightly converged reference of the
same spectrum (cutoff --ref-cutoff omega_max, finer Matsubara blocks alpha 0.02, rtol 1e-7).
Prints the median / p90 / max solve time (wall time inside the build_dataset workers, and CPU
time of a second timing pass, which other processes' load does not inflate), the total wall time and the
max relative error, and
writes benchmarks/results/eliashberg.json.

    .venv/bin/python benchmarks/eliashberg.py --n 5000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from reviewlib.tc.eliashberg import _warm_up, build_dataset, eliashberg_tc, random_spectra

REF_KW = {"alpha": 0.02, "rtol": 1e-7}


def _reference(spectra, mu, cutoff):
    return [eliashberg_tc(s, mu_star=mu, cutoff=cutoff, **REF_KW) for s in spectra]


def _cpu_times(spectra, mu):
    """CPU time of each default solve in this worker (insensitive to other processes' load)."""
    _warm_up()  # load the numba cache once per worker process
    out = []
    for s in spectra:
        t = time.thread_time()
        eliashberg_tc(s, mu_star=mu)
        out.append(time.thread_time() - t)
    return out


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000, help="number of spectra (default 5000)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--mu-star", type=float, default=0.10)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument(
        "--ref-cutoff", type=float, default=128.0, help="cutoff of the reference solve (omega_max)"
    )
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "eliashberg.json")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("--n must be >= 1")

    t = time.perf_counter()
    spectra = random_spectra(args.n, seed=args.seed, mu_star=args.mu_star)
    t_gen = time.perf_counter() - t

    _warm_up()  # compile or load the numba cache in this process before timing anything

    t = time.perf_counter()
    df = build_dataset(spectra, mu_star=args.mu_star, n_jobs=args.n_jobs, progress=True)
    wall = time.perf_counter() - t
    load_after = os.getloadavg()

    from joblib import Parallel, delayed

    t = time.perf_counter()
    chunks = [spectra[i : i + 100] for i in range(0, len(spectra), 100)]
    ref = Parallel(n_jobs=args.n_jobs)(delayed(_reference)(c, args.mu_star, args.ref_cutoff) for c in chunks)
    ref = np.concatenate([np.asarray(r) for r in ref])
    t_ref = time.perf_counter() - t

    cpu = Parallel(n_jobs=args.n_jobs)(delayed(_cpu_times)(c, args.mu_star) for c in chunks)
    cpu = np.concatenate([np.asarray(c) for c in cpu])

    tc = df["tc_K"].to_numpy()
    sec = df["seconds"].to_numpy()
    ok = ref > 0
    err = np.full_like(tc, np.nan)
    err[ok] = np.abs(tc[ok] / ref[ok] - 1)
    worst = int(np.nanargmax(err))
    slowest = int(np.argmax(sec))
    res = {
        "n": args.n,
        "seed": args.seed,
        "mu_star": args.mu_star,
        "n_jobs": args.n_jobs,
        "solver": {"mu_convention": "rescaled", "cutoff_omega_max": 32, "alpha": 0.08, "rtol": 1e-3},
        "reference": {"cutoff_omega_max": args.ref_cutoff, **REF_KW},
        "tc_K_range": [float(tc.min()), float(tc.max())],
        "median_ms": float(np.median(sec) * 1e3),
        "p90_ms": float(np.percentile(sec, 90) * 1e3),
        "max_ms": float(sec.max() * 1e3),
        "sum_solve_s": float(sec.sum()),
        "cpu_median_ms": float(np.median(cpu) * 1e3),
        "cpu_p90_ms": float(np.percentile(cpu, 90) * 1e3),
        "cpu_max_ms": float(cpu.max() * 1e3),
        "cpu_sum_s": float(cpu.sum()),
        "total_wall_s": float(wall),
        "max_rel_error": float(np.nanmax(err)),
        "p99_rel_error": float(np.nanpercentile(err, 99)),
        "median_rel_error": float(np.nanmedian(err)),
        "n_no_tc": int((~ok).sum() + (tc == 0).sum()),
        "worst_error_spectrum": {
            "lam": float(df.lam[worst]),
            "omega_log_K": float(df.omega_log_K[worst]),
            "omega_max_K": float(df.omega_max_K[worst]),
            "tc_K": float(tc[worst]),
            "ref_tc_K": float(ref[worst]),
        },
        "slowest_spectrum": {
            "lam": float(df.lam[slowest]),
            "omega_max_K": float(df.omega_max_K[slowest]),
            "tc_K": float(tc[slowest]),
            "ms": float(sec[slowest] * 1e3),
        },
        "generate_s": float(t_gen),
        "reference_wall_s": float(t_ref),
        "loadavg_after_solve": [round(x, 2) for x in load_after],
        "cpu_count": os.cpu_count(),
        "machine": platform.platform(),
    }
    print(
        f"{args.n} spectra, Tc {tc.min():.3g}..{tc.max():.4g} K, mu* = {args.mu_star}, {args.n_jobs} workers"
    )
    print(
        f"solve wall time: median {res['median_ms']:.3f} ms, p90 {res['p90_ms']:.3f} ms, "
        f"max {res['max_ms']:.1f} ms"
    )
    print(
        f"CPU time per solve: median {res['cpu_median_ms']:.3f} ms, p90 {res['cpu_p90_ms']:.3f} ms, "
        f"max {res['cpu_max_ms']:.1f} ms, sum {cpu.sum():.2f} s"
    )
    print(f"total wall {wall:.2f} s (sum of solves {sec.sum():.2f} s); load average {load_after}")
    print(
        f"error vs reference (cutoff {args.ref_cutoff:g}, alpha 0.02, rtol 1e-7): "
        f"max {res['max_rel_error']:.2e}, p99 {res['p99_rel_error']:.2e}, "
        f"median {res['median_rel_error']:.2e}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n")
    print(f"wrote {args.out}")
    return res


if __name__ == "__main__":
    main()
