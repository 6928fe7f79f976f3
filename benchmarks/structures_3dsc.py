"""Benchmark: ``load_3dsc_mp(with_structures=True)`` with a cold and a warm structure cache.

    cd /work/main && .venv/bin/python benchmarks/structures_3dsc.py [--n-jobs 2] [--warm-runs 3]

Runs in a temporary cache folder (``REVIEWLIB_DATA_CACHE``), so the user's cache is untouched:

1. parse all 5,773 CIFs with ``read_cifs`` (what every call did before the cache, and the
   reference for the identity check);
2. pack them into arrays and write the cache entry under the loader's key (with step 1: the
   cold-cache cost);
3. ``load_3dsc_mp(with_structures=True)`` with the warm cache, ``--warm-runs`` times.

Checks that the warm structures equal the parsed ones (``Structure.as_dict()`` of all 5,773,
compared as JSON text) and splits a warm call into its parts (hash check of the 5,773 files,
SuperCon table, cache read, rebuilding the structures), each as wall time and as CPU time of this
process (``time.process_time``; a warm call runs in this process only, so its CPU time is what an
idle core would take, while wall time grows with the load of other jobs). Target: warm < 5 s.
Reports the load average before and after. Writes ``benchmarks/results/structures_3dsc.json``.
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
    """Time the paths, check identity, write the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--warm-runs", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    os.environ["REVIEWLIB_DATA_CACHE"] = tempfile.mkdtemp(prefix="bench-3dsc-")

    import numpy as np

    from reviewlib.data import fetch, load_3dsc_mp, load_stanev, manifest_files
    from reviewlib.data.supercon import STRUCTURE_CACHE_KIND, _structure_cache_key
    from reviewlib.features.cache import cache_path, cached
    from reviewlib.structures import read_cifs, structures_from_arrays, structures_to_arrays

    load_before = os.getloadavg()
    names = manifest_files("3dsc_mp_cifs")
    folder = fetch("3dsc_mp_cifs", progress=False)
    t = time.perf_counter()
    reference = read_cifs([folder / n for n in names], n_jobs=args.n_jobs)
    t_parse = time.perf_counter() - t
    key = _structure_cache_key(names)
    t = time.perf_counter()
    cached(STRUCTURE_CACHE_KIND, key=key, compute=lambda: structures_to_arrays(reference))
    t_write = time.perf_counter() - t
    npz = cache_path(STRUCTURE_CACHE_KIND, key)

    warm_times, warm_cpu, warm = [], [], None
    for _ in range(args.warm_runs):
        t, c = time.perf_counter(), time.process_time()
        warm = load_3dsc_mp(with_structures=True, n_jobs=args.n_jobs)
        warm_times.append(time.perf_counter() - t)
        warm_cpu.append(time.process_time() - c)
    t = time.perf_counter()
    same = all(
        json.dumps(a.as_dict(), sort_keys=True) == json.dumps(b.as_dict(), sort_keys=True)
        for a, b in zip(reference, warm["structure"], strict=True)
    )
    t_compare = time.perf_counter() - t

    parts = {}  # (wall, CPU) seconds
    t, c = time.perf_counter(), time.process_time()
    fetch("3dsc_mp_cifs", progress=False)
    parts["fetch_and_hash_5773_cifs"] = (time.perf_counter() - t, time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    load_stanev(warn=False)
    parts["load_stanev"] = (time.perf_counter() - t, time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    with np.load(npz, allow_pickle=False) as data:
        arrays = {k[2:]: data[k] for k in data.files if k.startswith("a_")}
    parts["read_npz"] = (time.perf_counter() - t, time.process_time() - c)
    t, c = time.perf_counter(), time.process_time()
    structures_from_arrays(arrays)
    parts["rebuild_structures"] = (time.perf_counter() - t, time.process_time() - c)

    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "n_jobs": args.n_jobs},
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "n_structures": len(reference),
        "n_sites": int(sum(len(s) for s in reference)),
        "cache_file_MB": round(npz.stat().st_size / 1e6, 2),
        "seconds": {
            "parse_5773_cifs": round(t_parse, 2),
            "pack_and_write_cache": round(t_write, 2),
            "warm_wall": [round(x, 2) for x in warm_times],
            "warm_wall_median": round(statistics.median(warm_times), 2),
            "warm_cpu": [round(x, 2) for x in warm_cpu],
            "warm_cpu_median": round(statistics.median(warm_cpu), 2),
            "warm_parts_wall_cpu": {k: [round(v[0], 2), round(v[1], 2)] for k, v in parts.items()},
            "identity_check": round(t_compare, 2),
        },
        "identical_structures_as_dict": same,
        "target_warm_seconds": 5.0,
    }
    out = ROOT / "benchmarks" / "results" / "structures_3dsc.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if not same:
        raise SystemExit("cached structures differ from the parsed ones")


if __name__ == "__main__":
    main()
