"""Benchmark: averaged SOAP for all 3DSC_MP structures with the default settings.

    cd /work/main && .venv/bin/python benchmarks/soap.py [--n-jobs 2] [--occupancy-study]

Reports CIF parsing separately from featurisation, the peak resident memory of this process plus
all its (joblib/loky) children (psutil polling every 50 ms; the sum over processes, so shared pages
count more than once: an upper bound), the 1/5/15-minute load average before and after (other work
shares the cores), and cold/warm cache timings. ``--occupancy-study`` also compares
``occupancy="weighted"`` with ``"majority"``: relative feature change on the disordered
structures and a random-forest 5-fold CV R^2 / RMSE (random splits, seeds 0 and 1).
Writes ``benchmarks/results/soap.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from reviewlib.book.runner import PeakRSS  # noqa: E402

os.environ.setdefault("REVIEWLIB_DATA_MIRROR", str(ROOT.parent / "shared" / "data"))


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


SEEDS = (0, 1)


def occupancy_study(structures, frame, X_weighted, *, n_jobs: int) -> dict:
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.metrics import mean_squared_error, r2_score
    from sklearn.model_selection import KFold, cross_val_predict

    from reviewlib.features.soap import soap_features

    t0 = time.perf_counter()
    X_majority = soap_features(structures, occupancy="majority", n_jobs=n_jobs, cache=False, progress=False)
    t_major = time.perf_counter() - t0
    disordered = frame["disordered"].to_numpy()
    rel = np.linalg.norm(X_weighted - X_majority, axis=1) / np.linalg.norm(X_weighted, axis=1)
    y = frame["tc_K"].to_numpy()
    out = {
        "majority_seconds": round(t_major, 2),
        "n_disordered": int(disordered.sum()),
        "relative_l2_change_disordered": {
            "median": float(np.median(rel[disordered])),
            "p90": float(np.percentile(rel[disordered], 90)),
            "max": float(rel[disordered].max()),
        },
        "relative_l2_change_ordered_max": float(rel[~disordered].max()),
        "model": (
            "RandomForestRegressor(n_estimators=100, max_features='sqrt'), KFold(5, shuffle); seeds 0 and 1"
        ),
    }
    for name, X in (("weighted", X_weighted), ("majority", X_majority)):
        out[name] = {}
        for seed in SEEDS:
            t0 = time.perf_counter()
            rf = RandomForestRegressor(
                n_estimators=100, max_features="sqrt", n_jobs=n_jobs, random_state=seed
            )
            pred = cross_val_predict(rf, X, y, cv=KFold(5, shuffle=True, random_state=seed))
            out[name][f"seed{seed}"] = {
                "r2": float(r2_score(y, pred)),
                "rmse_K": float(mean_squared_error(y, pred) ** 0.5),
                "r2_disordered": float(r2_score(y[disordered], pred[disordered])),
                "cv_seconds": round(time.perf_counter() - t0, 1),
            }
    out["r2_weighted_minus_majority"] = [
        out["weighted"][f"seed{s}"]["r2"] - out["majority"][f"seed{s}"]["r2"] for s in SEEDS
    ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--occupancy-study", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "soap.json"))
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    import dscribe  # noqa: F401

    from reviewlib.data import load_3dsc_mp
    from reviewlib.features.cache import hash_structures
    from reviewlib.features.soap import DEFAULT_GROUPS, soap_feature_names, soap_features

    result: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "n_jobs": args.n_jobs},
        "load_before": load(),
    }
    t0 = time.perf_counter()
    with PeakRSS() as mem_parse:
        frame = load_3dsc_mp(with_structures=True, n_jobs=args.n_jobs)
    structures = list(frame["structure"])
    result["parse"] = {
        "seconds": round(time.perf_counter() - t0, 2),
        "peak_rss_MB": round(mem_parse.peak / 2**20),
        "n_structures": len(structures),
        "n_disordered": int(frame["disordered"].sum()),
        "n_sites_total": int(frame["n_sites"].sum()),
        "n_sites_max": int(frame["n_sites"].max()),
    }
    t0 = time.perf_counter()
    hash_structures(structures)
    result["hash_seconds"] = round(time.perf_counter() - t0, 2)

    settings = {
        "r_cut": 5.0,
        "n_max": 4,
        "l_max": 3,
        "sigma": 0.5,
        "species_groups": "default",
        "occupancy": "weighted",
        "average": "inner",
        "compression": "off",
        "dtype": "float32",
    }
    t0 = time.perf_counter()
    with PeakRSS() as mem:
        X = soap_features(structures, n_jobs=args.n_jobs, cache=False, progress=False)
    seconds = time.perf_counter() - t0
    result["soap"] = {
        "settings": settings,
        "n_channels": len(set(DEFAULT_GROUPS.values())),
        "n_features": int(X.shape[1]),
        "feature_names_match": len(soap_feature_names()) == X.shape[1],
        "array_MB": round(X.nbytes / 2**20, 1),
        "nonzero_fraction": float((X != 0).mean()),
        "constant_columns": int((X.std(axis=0) == 0).sum()),
        "seconds": round(seconds, 2),
        "ms_per_structure": round(1000 * seconds / len(structures), 2),
        "peak_rss_MB_incl_children": round(mem.peak / 2**20),
        "target": "< 180 s and < 4096 MB",
        "meets_target": bool(seconds < 180 and mem.peak < 4 * 2**30),
    }
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["REVIEWLIB_DATA_CACHE"] = tmp
        t0 = time.perf_counter()
        soap_features(structures, n_jobs=args.n_jobs, cache=True, progress=False)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        X2 = soap_features(structures, n_jobs=args.n_jobs, cache=True, progress=False)
        warm = time.perf_counter() - t0
        result["cache"] = {
            "cold_seconds": round(cold, 2),
            "warm_seconds": round(warm, 2),
            "identical": bool(np.array_equal(X, X2)),
        }
    if args.occupancy_study:
        result["occupancy_effect"] = occupancy_study(structures, frame, X, n_jobs=args.n_jobs)
    result["ru_maxrss_MB"] = {
        "self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "children_terminated": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
    }
    result["load_after"] = load()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
