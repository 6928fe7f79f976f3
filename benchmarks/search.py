"""Benchmark: throughput of the MLIP structure search (relaxations per second on 2 workers).

    .venv/bin/python benchmarks/search.py [--n 40] [--n-jobs 2] [--model chgnet] [--stage refine]

Relaxes ``--n`` seeded PyXtal candidates of small Lu-H(-N) cells (3-12 atoms) at 0 GPa with the
settings of one stage of notebook 11's full mode (``--stage screen``: FIRE, fmax 0.2 eV/Å, at most
60 steps; ``--stage refine``: fmax 0.05 eV/Å, at most 250 steps) through
``reviewlib.search.store.run_search`` in a temporary store. Reports wall time, relaxations per
second, steps, CPU seconds per force call (measured in the workers, which the load of other
processes does not inflate), an idle-machine estimate of the rate from those CPU seconds,
the peak resident memory of this process and its workers, and the load average. Writes
``benchmarks/results/search.json``.

Targets (issue 15): fast mode of each notebook < 4 min, full mode < 60 min, peak < 6 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from reviewlib.runner import PeakRSS  # noqa: E402

#: (fmax eV/Å, max FIRE steps) of the two stages of notebook 11's full mode
STAGES = {"screen": (0.2, 60), "refine": (0.05, 250)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--model", default="chgnet")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--stage", choices=sorted(STAGES), default="refine")
    args = ap.parse_args()

    from reviewlib.search import generate, store

    comps = ["LuH", "LuH2", "LuH3", "LuN", "Lu2H3N", "LuHN"]
    per = max(1, args.n // (len(comps) * 2) + 1)
    cands = generate.random_candidates(
        compositions=comps, formula_units=(1, 2), n_per_composition=per, seed=args.seed, max_atoms=12
    )
    cands = [c for c in cands if c["structure"] is not None][: args.n]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp, PeakRSS(interval=0.2) as mem:
        t0 = time.perf_counter()
        table = store.run_search(
            candidates=cands,
            store=tmp,
            pressures_GPa=[0.0],
            model=args.model,
            fmax=STAGES[args.stage][0],
            max_steps=STAGES[args.stage][1],
            n_jobs=args.n_jobs,
            progress=False,
        )
        wall = time.perf_counter() - t0
    done = table[table["status"] != "skipped"]
    steps = int(done["steps"].sum() + len(done))  # +1 force call per relaxation for the final check
    # worker wall seconds include waiting for the CPU; CPU seconds per call come from a serial probe
    cpu_per_call = _cpu_per_call(args.model)
    idle_rate = args.n_jobs / (cpu_per_call * steps / max(len(done), 1))
    out = {
        "relaxations": len(table),
        "relaxed": len(done),
        "skipped": int((table["status"] == "skipped").sum()),
        "converged": int((table["status"] == "ok").sum()),
        "wall_s": round(wall, 1),
        "relaxations_per_s": round(len(table) / wall, 3),
        "median_steps": float(done["steps"].median()),
        "cpu_s_per_force_call": round(cpu_per_call, 4),
        "idle_estimate_relaxations_per_s": round(idle_rate, 3),
        "peak_rss_GB": round(mem.peak / 1e9, 2),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "n_jobs": args.n_jobs,
        "model": args.model,
        "stage": args.stage,
        "fmax_eV_per_A": STAGES[args.stage][0],
        "max_steps": STAGES[args.stage][1],
    }
    print(json.dumps(out, indent=1))
    res = ROOT / "benchmarks" / "results"
    res.mkdir(exist_ok=True)
    (res / f"search-{args.stage}.json").write_text(json.dumps(out, indent=1))
    return 0


def _cpu_per_call(model: str) -> float:
    """CPU seconds of one energy+forces+stress call on an 8-atom cell (one torch thread)."""
    import torch
    from pymatgen.io.ase import AseAtomsAdaptor

    from reviewlib import mlip
    from reviewlib.search import known

    torch.set_num_threads(1)
    atoms = AseAtomsAdaptor.get_atoms(known.fcc_luh3().get_primitive_structure() * (2, 1, 1))
    atoms.calc = mlip.calculator(model=model)
    atoms.get_forces()
    c0 = time.process_time()
    for i in range(10):
        atoms.rattle(0.01, seed=i)
        atoms.get_forces()
        atoms.get_stress()
    return (time.process_time() - c0) / 10


if __name__ == "__main__":
    raise SystemExit(main())
