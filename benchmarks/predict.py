"""Time ``reviewlib predict`` (chapter 14): 1,000 compositions (target < 10 s) and 100 structures
(target < 60 s), with a model trained on a small Alexandria subset when none is given.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/predict.py [--model PATH]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def small_model(folder: Path, *, seed: int = 0) -> Path:
    """A model trained on 800 Alexandria DS-A rows (about 15 s); timings barely depend on its size."""
    from reviewlib.book.chapter import subsample
    from reviewlib.data.hydrides import load_alexandria
    from reviewlib.evaluation import chemical_system_groups
    from reviewlib.pipeline import bundle as B

    a = subsample(load_alexandria("A", with_structures=False), n=800, seed=seed)
    a = a.assign(id=a["mat_id"], pressure_GPa=0.0, dataset="alexandria_ds_a")
    X = B.feature_frame(a["formula"], a["pressure_GPa"])
    b = B.fit_bundle(X, a, groups=chemical_system_groups(a["formula"]), seed=seed, rounds=100)
    B.save_bundle(b, folder, card={"mode": "benchmark", "data": [{"name": "alexandria_ds_a"}]})
    return folder


def main() -> None:
    from reviewlib.data.hydrides import load_alexandria
    from reviewlib.pipeline import load_bundle, predict
    from reviewlib.pipeline.bundle import find_model

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", help="model folder (default: train a small one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model = Path(args.model) if args.model else small_model(tmp / "model")
        bundle = load_bundle(find_model(model))
        print(f"model: {model} ({bundle.card['model_size_bytes'] / 1e6:.2f} MB, n_train {len(bundle.train)})")
        b = load_alexandria("B", with_structures=True)
        rng = np.random.default_rng(0)
        pick = rng.choice(len(b), 1000, replace=len(b) < 1000)
        comps = pd.DataFrame(
            {"formula": b["formula"].to_numpy()[pick], "pressure_GPa": rng.uniform(0, 300, 1000)}
        )
        comps.to_csv(tmp / "c.csv", index=False)
        t0 = time.perf_counter()
        table, skipped = predict(tmp / "c.csv", model=model)
        t_comp = time.perf_counter() - t0
        sdir = tmp / "structures"
        sdir.mkdir()
        for i, s in enumerate(b["structure"].iloc[:100]):
            s.to(filename=str(sdir / f"s{i:03d}.cif"))
        t0 = time.perf_counter()
        table_s, skipped_s = predict(sdir, model=model)
        t_struct = time.perf_counter() - t0
    print(f"1,000 compositions: {t_comp:.1f} s ({len(table)} predicted, {len(skipped)} skipped; goal < 10 s)")
    print(
        f"100 structures: {t_struct:.1f} s ({len(table_s)} predicted, {len(skipped_s)} skipped; goal < 60 s)"
    )


if __name__ == "__main__":
    main()
