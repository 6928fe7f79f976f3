"""Benchmark: peak memory and time of one MLIP force call on the supercell of notebook 12.

    .venv/bin/python benchmarks/mlip_memory.py [--models chgnet chgnet-forces sevennet] [--supercell 2]

For each model (``chgnet-forces``: CHGNet without the stress, ``mlip.calculator(stress=False)``,
as notebook 12 uses it for its phonon force calls), in a fresh subprocess (so the peak resident
memory is that model's alone): relax Im-3m H3S at 150 GPa with the model, build the
``--supercell``^3 conventional supercell (64 atoms for 2), rattle it by 0.05 Å (seeded) and time
one energy + forces (+ stress) call, twice (the first call includes one-off set-up). Reports the
lattice constant, the wall and CPU seconds of the second call, the peak resident memory of the
subprocess and the memory after loading the model. Writes ``benchmarks/results/mlip_memory.json``.

Target (issue 15): peak memory of notebook 12 under 6 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def one(model: str, supercell: int) -> dict:
    """Measure one model in this process (called in a subprocess by :func:`main`)."""
    import resource
    import time
    import warnings

    import torch
    from pymatgen.io.ase import AseAtomsAdaptor

    from reviewlib import mlip
    from reviewlib.search import known
    from reviewlib.search.relax import relax_structure

    warnings.filterwarnings("ignore")
    torch.set_num_threads(2)
    name, _, variant = model.partition("-")
    calc = mlip.calculator(model=name)
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    row, relaxed = relax_structure(structure=known.h3s_im3m(), pressure_GPa=150.0, calc=calc, fmax=0.005)
    atoms = AseAtomsAdaptor.get_atoms(relaxed).repeat((supercell,) * 3)
    atoms.rattle(0.05, seed=0)
    with_stress = variant != "forces"
    atoms.calc = calc if with_stress else mlip.calculator(model=name, stress=False)
    times = []
    for i in range(2):
        atoms.positions[0, 0] += 1e-3 * (i + 1)
        w0, c0 = time.perf_counter(), time.process_time()
        atoms.get_forces()
        if with_stress:
            atoms.get_stress()
        times.append((time.perf_counter() - w0, time.process_time() - c0))
    return {
        "model": model,
        "stress": with_stress,
        "atoms": len(atoms),
        "a_A": round(float(relaxed.lattice.a), 4),
        "wall_s": round(times[1][0], 2),
        "cpu_s": round(times[1][1], 2),
        "rss_after_load_GB": round(loaded, 2),
        "peak_rss_GB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", nargs="+", default=["chgnet", "chgnet-forces", "sevennet"])
    ap.add_argument("--supercell", type=int, default=2)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.supercell)))
        return 0
    rows = []
    for model in args.models:
        cmd = [sys.executable, __file__, "--one", model, "--supercell", str(args.supercell)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            rows.append({"model": model, "error": proc.stderr.strip().splitlines()[-1:]})
        else:
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]))
    out = {"supercell": args.supercell, "load_average": os.getloadavg(), "runs": rows}
    res = ROOT / "benchmarks" / "results"
    res.mkdir(exist_ok=True)
    (res / "mlip_memory.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
