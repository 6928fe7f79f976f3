"""Benchmark: relaxations per second of the MLIP structure search, serial (before) against batched (after).

    .venv/bin/python benchmarks/search.py [--n 40] [--n-jobs 2] [--stage screen|refine]
        [--batch-size 10] [--repeat 1] [--model chgnet]

Relaxes ``--n`` seeded PyXtal candidates of small Lu-H(-N) cells (3-12 atoms) at 0 GPa with the
settings of one stage of notebook 11's full mode (``--stage screen``: FIRE, fmax 0.2 eV/Å, at most
60 steps; ``--stage refine``: fmax 0.05 eV/Å, at most 250 steps, from the random structures) in
two ways, back to back on the same candidates:

- ``serial`` (the code path before issue 24 item 4, kept here as the reference): one structure at
  a time through ASE (``FIRE(FrechetCellFilter(atoms, scalar_pressure=P))`` with the CHGNet ASE
  calculator, the divergence check every 10 steps), joblib over ``--n-jobs`` workers of one torch
  thread, 4 * n_jobs relaxations per joblib batch;
- ``batched``: ``reviewlib.search.store.run_search`` (``relax_structures``: ``--batch-size``
  structures per CHGNet call, chunks of 2 * batch_size per joblib task, same workers).

Both start from warm workers (CHGNet loaded in each). Reports per path the wall time, relaxations
per second, CPU seconds of the process tree (this process and its workers; other processes' load
does not inflate them the way it inflates wall time), the CPU-time rate on ``--n-jobs`` free cores,
steps, and the load average before and after; then the agreement of the two paths' minima
(|ΔE| per atom over the structures both converged, and over all relaxed ones). ``--repeat`` runs
the pair again. Writes ``benchmarks/results/search-<stage>.json``.

Targets (issue 24 item 4): batched >= 2x the serial relaxations per second, minima within
1 meV/atom. (Issue 15: notebooks 11 and 12 under 4 min fast, 60 min full, peak < 6 GB.)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from reviewlib.book.runner import PeakRSS  # noqa: E402

#: (fmax eV/Å, max FIRE steps) of the two stages of notebook 11's full mode
STAGES = {"screen": (0.2, 60), "refine": (0.05, 250)}


def _tree_cpu() -> dict[int, float]:
    """User + system CPU seconds of this process and of each live child, by PID."""
    me = psutil.Process()
    out = {}
    for proc in [me, *me.children(recursive=True)]:
        try:
            t = proc.cpu_times()
            out[proc.pid] = t.user + t.system
        except psutil.Error:
            pass
    return out


def _cpu_since(before: dict[int, float]) -> float:
    """CPU seconds spent since ``before`` by the processes alive now (a worker started in between
    counts from zero; a worker that exited in between is not seen, so this is a lower bound --
    never the negative number a difference of totals gives when a worker is replaced).
    """
    return sum(max(t - before.get(pid, 0.0), 0.0) for pid, t in _tree_cpu().items())


def _serial_one(structure, cid: str, pressure: float, model: str, fmax: float, max_steps: int):
    """The relaxation of one structure as reviewlib.search.relax did before batching (ASE FIRE)."""
    import warnings

    import torch
    from ase.filters import FrechetCellFilter
    from ase.optimize import FIRE
    from pymatgen.io.ase import AseAtomsAdaptor

    from reviewlib import mlip
    from reviewlib.search.relax import GPA_IN_EV_PER_A3, min_distance

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    atoms = AseAtomsAdaptor.get_atoms(structure)
    atoms.calc = mlip.calculator(model=model)
    v0, n = atoms.get_volume(), len(atoms)
    p = pressure * GPA_IN_EV_PER_A3
    row = {
        "id": cid,
        "n_atoms": n,
        "status": "skipped",
        "steps": 0,
        "energy_eV_per_atom": math.nan,
        "reason": "",
    }

    def check() -> None:
        e, f, ratio = atoms.get_potential_energy(), atoms.get_forces(), atoms.get_volume() / v0
        if not (math.isfinite(e) and np.isfinite(f).all()) or not 1 / 6 < ratio < 6 or e / n < -50:
            raise RuntimeError("diverged")

    if min_distance(structure) < 0.5:
        row["reason"] = "overlapping atoms"
        return row
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = FIRE(FrechetCellFilter(atoms, scalar_pressure=p), logfile=None)
        opt.attach(check, interval=10)
        try:
            converged = bool(opt.run(fmax=fmax, steps=max_steps))
            check()
        except (RuntimeError, ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
            row["seconds"] = time.perf_counter() - start
            row["reason"] = f"{type(exc).__name__}: {exc}"
            return row
    row.update(
        status="ok" if converged else "unconverged",
        steps=int(opt.nsteps),
        energy_eV_per_atom=float(atoms.get_potential_energy()) / n,
        volume_A3_per_atom=float(atoms.get_volume()) / n,
        seconds=time.perf_counter() - start,
    )
    return row


def _warm(model: str) -> int:
    """Load the model in a worker (both paths share the cached CHGNet) and report its pid."""
    from reviewlib import mlip
    from reviewlib.search import relax

    mlip.calculator(model=model)
    relax.batch_potential(model)
    time.sleep(1.0)
    return os.getpid()


def _run(path: str, cands, *, model: str, stage: str, n_jobs: int, batch_size: int) -> dict:
    from joblib import Parallel, delayed

    from reviewlib.search import store

    fmax, max_steps = STAGES[stage]
    pids = set(Parallel(n_jobs=n_jobs)(delayed(_warm)(model) for _ in range(n_jobs)))
    load_before = os.getloadavg()
    cpu0 = _tree_cpu()
    with tempfile.TemporaryDirectory() as tmp, PeakRSS(interval=0.2) as mem:
        t0 = time.perf_counter()
        if path == "serial":
            rows = []
            per = 4 * n_jobs
            for lo in range(0, len(cands), per):
                rows += Parallel(n_jobs=n_jobs)(
                    delayed(_serial_one)(c["structure"], c["id"], 0.0, model, fmax, max_steps)
                    for c in cands[lo : lo + per]
                )
        else:
            table = store.run_search(
                candidates=cands,
                store=tmp,
                pressures_GPa=[0.0],
                model=model,
                fmax=fmax,
                max_steps=max_steps,
                n_jobs=n_jobs,
                batch_size=batch_size,
                progress=False,
            )
            rows = table.to_dict("records")
        wall = time.perf_counter() - t0
    cpu = _cpu_since(cpu0)
    relaxed = [r for r in rows if r["status"] != "skipped"]
    return {
        "path": path,
        "relaxations": len(rows),
        "relaxed": len(relaxed),
        "converged": sum(r["status"] == "ok" for r in rows),
        "wall_s": round(wall, 1),
        "relaxations_per_s": round(len(rows) / wall, 3),
        "cpu_s": round(cpu, 1),
        "cpu_rate_on_free_cores_per_s": round(n_jobs * len(rows) / cpu, 3),
        "median_steps": float(np.median([r["steps"] for r in relaxed])),
        "total_steps": int(sum(r["steps"] for r in relaxed)),
        "peak_rss_GB": round(mem.peak / 1e9, 2),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "warm_workers": len(pids),
        "batch_size": batch_size if path == "batched" else 1,
        "rows": {
            r["id"]: {
                k: r.get(k) for k in ("status", "steps", "energy_eV_per_atom", "volume_A3_per_atom", "reason")
            }
            for r in rows
        },
    }


def _agreement(a: dict, b: dict) -> dict:
    both_ok = [i for i in a["rows"] if a["rows"][i]["status"] == "ok" and b["rows"][i]["status"] == "ok"]
    relaxed = [
        i for i in a["rows"] if a["rows"][i]["status"] != "skipped" and b["rows"][i]["status"] != "skipped"
    ]

    def de(ids):
        d = [abs(a["rows"][i]["energy_eV_per_atom"] - b["rows"][i]["energy_eV_per_atom"]) * 1000 for i in ids]
        return d

    d_ok, d_all = de(both_ok), de(relaxed)
    return {
        "n_converged_in_both": len(both_ok),
        "max_abs_dE_meV_per_atom_converged": round(max(d_ok), 4) if d_ok else None,
        "n_within_1meV_converged": int(sum(x <= 1.0 for x in d_ok)),
        "n_relaxed_in_both": len(relaxed),
        "max_abs_dE_meV_per_atom_all": round(max(d_all), 4) if d_all else None,
        "median_abs_dE_meV_per_atom_all": round(float(np.median(d_all)), 4) if d_all else None,
        "n_same_steps": int(sum(a["rows"][i]["steps"] == b["rows"][i]["steps"] for i in relaxed)),
        "status_differs": sorted(i for i in a["rows"] if a["rows"][i]["status"] != b["rows"][i]["status"]),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--model", default="chgnet")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--stage", choices=sorted(STAGES), default="refine")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--paths", nargs="+", default=["serial", "batched"])
    args = ap.parse_args()

    from reviewlib.search import generate, relax

    batch_size = args.batch_size or relax.DEFAULT_BATCH_SIZE
    comps = ["LuH", "LuH2", "LuH3", "LuN", "Lu2H3N", "LuHN"]
    per = max(1, args.n // (len(comps) * 2) + 1)
    cands = generate.random_candidates(
        compositions=comps, formula_units=(1, 2), n_per_composition=per, seed=args.seed, max_atoms=12
    )
    cands = [c for c in cands if c["structure"] is not None][: args.n]
    runs = []
    for _ in range(args.repeat):
        for path in args.paths:
            r = _run(
                path, cands, model=args.model, stage=args.stage, n_jobs=args.n_jobs, batch_size=batch_size
            )
            print(json.dumps({k: v for k, v in r.items() if k != "rows"}), flush=True)
            runs.append(r)
    out = {
        "stage": args.stage,
        "fmax_eV_per_A": STAGES[args.stage][0],
        "max_steps": STAGES[args.stage][1],
        "n_candidates": len(cands),
        "atoms_per_cell": [
            int(min(len(c["structure"]) for c in cands)),
            int(max(len(c["structure"]) for c in cands)),
        ],
        "n_jobs": args.n_jobs,
        "model": args.model,
        "runs": [{k: v for k, v in r.items() if k != "rows"} for r in runs],
    }
    serial = [r for r in runs if r["path"] == "serial"]
    batched = [r for r in runs if r["path"] == "batched"]
    if serial and batched:
        out["speedup_wall"] = round(
            np.mean([r["relaxations_per_s"] for r in batched])
            / np.mean([r["relaxations_per_s"] for r in serial]),
            2,
        )
        out["speedup_cpu"] = round(
            np.mean([r["cpu_rate_on_free_cores_per_s"] for r in batched])
            / np.mean([r["cpu_rate_on_free_cores_per_s"] for r in serial]),
            2,
        )
        out["agreement"] = _agreement(serial[0], batched[0])
    print(json.dumps({k: v for k, v in out.items() if k != "runs"}, indent=1))
    res = ROOT / "benchmarks" / "results"
    res.mkdir(exist_ok=True)
    out["rows"] = {r["path"] + f"#{k}": r["rows"] for k, r in enumerate(runs)}
    (res / f"search-{args.stage}.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
