"""Benchmark: ``load_3dsc_mp(with_structures=True)`` without, cold and warm structure cache.

    cd /work/main && .venv/bin/python benchmarks/structures_3dsc.py [--n-jobs 2] [--warm-runs 3]

Runs in a temporary cache folder (``REVIEWLIB_DATA_CACHE``), so the user's cache is untouched:

1. ``cache=False``: every CIF parsed (the behaviour before the cache);
2. cold cache: parse, pack into arrays, write ``structures-3dsc-mp-<sha256>.npz``;
3. warm cache, ``--warm-runs`` times: read the arrays and rebuild the structures.

Checks that the warm structures equal the parsed ones (``Structure.as_dict()`` of all 5,773,
compared as JSON text) and that the other columns are identical, and splits a warm call into
its parts (folder hash check, SuperCon table, cache read, rebuilding). Target: warm < 5 s.
Writes ``benchmarks/results/structures_3dsc.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("REVIEWLIB_DATA_MIRROR", str(ROOT.parent / "shared" / "data"))


def main() -> None:
    """Time the three paths, check identity, write the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--warm-runs", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    tmp = tempfile.mkdtemp(prefix="bench-3dsc-")
    os.environ["REVIEWLIB_DATA_CACHE"] = tmp

    import numpy as np
    import pandas as pd

    from reviewlib.data import fetch, load_3dsc_mp, load_stanev
    from reviewlib.structures import structures_from_arrays

    load_before = os.getloadavg()
    t = time.perf_counter()
    parsed = load_3dsc_mp(with_structures=True, n_jobs=args.n_jobs, cache=False)
    t_parse = time.perf_counter() - t
    t = time.perf_counter()
    load_3dsc_mp(with_structures=True, n_jobs=args.n_jobs)
    t_cold = time.perf_counter() - t
    (npz,) = Path(tmp, "features").glob("structures-3dsc-mp-*.npz")
    warm_times, warm = [], None
    for _ in range(args.warm_runs):
        t = time.perf_counter()
        warm = load_3dsc_mp(with_structures=True, n_jobs=args.n_jobs)
        warm_times.append(time.perf_counter() - t)

    t = time.perf_counter()
    same_structures = all(
        json.dumps(a.as_dict(), sort_keys=True) == json.dumps(b.as_dict(), sort_keys=True)
        for a, b in zip(parsed["structure"], warm["structure"], strict=True)
    )
    t_compare = time.perf_counter() - t
    others = [c for c in parsed.columns if c != "structure"]
    pd.testing.assert_frame_equal(parsed[others], warm[others], check_exact=True)

    parts = {}
    t = time.perf_counter()
    fetch("3dsc_mp_cifs", progress=False)
    parts["fetch_and_hash_5773_cifs"] = time.perf_counter() - t
    t = time.perf_counter()
    load_stanev(warn=False)
    parts["load_stanev"] = time.perf_counter() - t
    t = time.perf_counter()
    with np.load(npz, allow_pickle=False) as data:
        arrays = {k[2:]: data[k] for k in data.files if k.startswith("a_")}
    parts["read_npz"] = time.perf_counter() - t
    t = time.perf_counter()
    structures_from_arrays(arrays)
    parts["rebuild_structures"] = time.perf_counter() - t

    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "n_jobs": args.n_jobs},
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "n_structures": len(parsed),
        "n_sites": int(sum(len(s) for s in parsed["structure"])),
        "cache_file_MB": round(npz.stat().st_size / 1e6, 2),
        "seconds": {
            "no_cache_parse": round(t_parse, 2),
            "cold_cache_parse_and_write": round(t_cold, 2),
            "warm": [round(x, 2) for x in warm_times],
            "warm_median": round(statistics.median(warm_times), 2),
            "warm_parts": {k: round(v, 2) for k, v in parts.items()},
            "identity_check": round(t_compare, 2),
        },
        "identical_structures_as_dict": same_structures,
        "identical_other_columns": True,
        "target_warm_seconds": 5.0,
    }
    out = ROOT / "benchmarks" / "results" / "structures_3dsc.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if not same_structures:
        raise SystemExit("cached structures differ from the parsed ones")


if __name__ == "__main__":
    main()
