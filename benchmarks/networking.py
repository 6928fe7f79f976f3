"""Benchmark: networking value (bisection + periodic percolation) on a 100^3 grid, target < 1 s.

    .venv/bin/python benchmarks/networking.py [--n 100] [--repeats 5]

The field is a simple-cubic lattice of Gaussians (sigma = 0.2 a, 27 images) whose phi is known
exactly (the value at the bond midpoint). Reports wall and CPU time (``time.process_time``, which
the load of other processes does not inflate) per call of ``networking_value`` with and without
required points (H nuclei), and the load average. Writes ``benchmarks/results/networking.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def field(n: int, sigma: float = 0.2) -> tuple[np.ndarray, float]:
    """Periodic Gaussian lattice on an n^3 grid and its exact saddle value (bond midpoint)."""
    g = np.arange(n) / n
    u = np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1)
    f = np.zeros((n, n, n))
    saddle = 0.0
    for shift in np.ndindex(5, 5, 5):
        r = np.array(shift) - 2
        f += np.exp(-((u - r) ** 2).sum(-1) / (2 * sigma**2))
        saddle += np.exp(-((np.array([0.5, 0, 0]) - r) ** 2).sum() / (2 * sigma**2))
    top = f.max()
    return f / top, saddle / top


def main() -> None:
    """Time networking_value and write the JSON result."""
    from reviewlib.networking import networking_value

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    load_before = os.getloadavg()
    elf, exact = field(args.n)
    required = [(0, 0, 0)]
    out = {}
    for label, req in (("plain", None), ("required_points", required)):
        walls, cpus = [], []
        for _ in range(args.repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            phi = networking_value(elf, required_points=req)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        out[label] = {
            "phi": phi,
            "abs_error_vs_exact": abs(phi - exact),
            "wall_s_median": float(np.median(walls)),
            "wall_s_max": float(np.max(walls)),
            "cpu_s_median": float(np.median(cpus)),
        }
    result = {
        "grid": [args.n] * 3,
        "exact_phi": exact,
        "target_s": 1.0,
        "meets_target_cpu": all(v["cpu_s_median"] < 1.0 for v in out.values()),
        "results": out,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print(json.dumps(result, indent=2))
    path = ROOT / "benchmarks" / "results" / "networking.json"
    path.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
