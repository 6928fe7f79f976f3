"""Benchmark: every structure featuriser on all 8,253 Alexandria DS-A + DS-B structures.

    cd <checkout> && .venv/bin/python benchmarks/featurise.py [--n-jobs 2] [--limit N]

Featurises with a fresh temporary feature cache (so the timing is a cold computation), then
copies the cache files into the real cache (content-addressed, same names), so that notebooks
07-09 reuse them. Reports the wall time of each featuriser (structure features, SOAP, CHGNet
embeddings), the total wall and CPU time (this process and its workers, polled by psutil), the
peak resident memory of this process plus all its joblib children (psutil every 50 ms, summed
over processes: an upper bound), and the load average before and after (other work shares the
2 cores). Targets: total < 10 min, peak < 4 GB.
Writes ``benchmarks/results/featurise.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from reviewlib.book.runner import PeakRSS  # noqa: E402

os.environ.setdefault("REVIEWLIB_DATA_MIRROR", str(ROOT.parent / "shared" / "data"))


def main() -> None:
    """Run the benchmark and write the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="first N structures only (smoke test)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    from reviewlib.data.hydrides import load_alexandria
    from reviewlib.data.registry import cache_root

    real_cache = cache_root()
    t0 = time.perf_counter()
    structures = [s for w in ("A", "B") for s in load_alexandria(w)["structure"]]
    load_s = time.perf_counter() - t0
    if args.limit:
        structures = structures[: args.limit]
    load_before = os.getloadavg()
    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REVIEWLIB_DATA_CACHE"] = tmp
        from reviewlib.features.embeddings import chgnet_embeddings
        from reviewlib.features.soap import soap_features
        from reviewlib.features.structure import structure_features

        cpu0 = sum(psutil.Process().cpu_times()[:2])
        with PeakRSS() as mem:
            start = time.perf_counter()
            for name, fn in (
                ("structure", structure_features),
                ("soap", soap_features),
                ("chgnet", chgnet_embeddings),
            ):
                t = time.perf_counter()
                X = fn(structures, n_jobs=args.n_jobs, progress=True)
                timings[name] = {"seconds": round(time.perf_counter() - t, 1), "shape": list(X.shape)}
                print(name, timings[name], flush=True)
            total = time.perf_counter() - start
        cpu_s = sum(mem.cpu.values()) - cpu0
        (real_cache / "features").mkdir(parents=True, exist_ok=True)
        for path in (Path(tmp) / "features").glob("*.npz"):
            shutil.copy2(path, real_cache / "features" / path.name)
    result = {
        "n_structures": len(structures),
        "load_s": round(load_s, 1),
        "featurisers": timings,
        "total_s": round(total, 1),
        "cpu_s_all_processes": round(cpu_s, 1),
        "peak_rss_GB": round(mem.peak / 1e9, 2),
        "n_jobs": args.n_jobs,
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "targets": {"total_s": 600, "peak_rss_GB": 4.0},
    }
    print(json.dumps(result, indent=1))
    if not args.limit:
        out = ROOT / "benchmarks" / "results" / "featurise.json"
        out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
