"""``reviewlib predict``: Tc, lambda and omega_log with intervals for compositions or structures.

Inputs: a CSV with columns ``formula`` and ``pressure_GPa`` (one candidate per line), or a folder
of structures (``*.cif``, ``POSCAR*``, ``*.vasp``; the composition is what the composition model
uses, at ``pressure_GPa``). Unusable rows are skipped, each with its file, 1-based line (the
header is line 1) and reason; the others are predicted. Output, one row per candidate: medians
and 68 % / 95 % intervals of lambda, omega_log (K) and Tc (K) for the chosen ``route`` (and the
other routes' medians), the three nearest training entries by feature distance, and the
applicability-domain flags (elements absent from training, features outside the training range,
nearest-neighbour distance above the training percentile stated in the model card) and
``in_training`` (the same composition at the same pressure is a training row: its prediction is
not a held-out one, the training Tc is shown beside it).

A candidate whose Eliashberg spectrum alpha2F is known (a DFPT result) can pass it in the API:
``predict(..., spectra={formula: Spectrum or a2F file})``; those rows get lambda and omega_log
from the spectrum and the Eliashberg Tc over the mu* range
(:func:`reviewlib.pipeline.route.eliashberg_route`), beside the ML routes. A CSV row or a
structure file cannot carry a spectrum.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from reviewlib.pipeline.bundle import Bundle, feature_frame, find_model, load_bundle
from reviewlib.pipeline.route import ROUTES, summarise

STRUCTURE_SUFFIXES = (".cif", ".vasp")


def read_composition_csv(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(rows, skipped)``: rows have ``source``, ``line``, ``formula``, ``composition``,
    ``pressure_GPa``; skipped has ``source``, ``line``, ``reason``. A file without the two
    columns raises ``ValueError`` naming them.
    """
    from reviewlib.chem import parse_formula

    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable CSV ({exc})") from exc
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in ("formula", "pressure_GPa") if c not in raw.columns]
    if missing:
        raise ValueError(f"{path}: column(s) {missing} missing; need formula, pressure_GPa (GPa)")
    rows, skipped = [], []
    for i, rec in enumerate(raw.to_dict("records")):
        line = i + 2
        where = f"{path}:{line}"
        try:
            comp = parse_formula(rec["formula"].strip(), where=where)
        except ValueError as exc:
            skipped.append({"source": str(path), "line": line, "reason": str(exc)})
            continue
        try:
            p = float(rec["pressure_GPa"])
        except ValueError:
            p = math.nan
        if not math.isfinite(p) or p < 0:
            skipped.append(
                {
                    "source": str(path),
                    "line": line,
                    "reason": f"{where}: pressure_GPa {rec['pressure_GPa']!r} is not a number >= 0 (GPa)",
                }
            )
            continue
        rows.append(
            {
                "source": str(path),
                "line": line,
                "formula": comp.reduced_formula,
                "composition": comp,
                "pressure_GPa": p,
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(skipped, columns=["source", "line", "reason"])


def read_structure_dir(folder: str | Path, *, pressure_GPa: float = 0.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Structures of ``folder`` (CIF via :func:`reviewlib.structures.read_cif`, POSCAR via pymatgen)."""
    from pymatgen.core import Structure

    from reviewlib.structures import StructureReadError, read_cif

    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a folder of structures")
    paths = sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and (p.suffix.lower() in STRUCTURE_SUFFIXES or p.name.startswith(("POSCAR", "CONTCAR")))
    )
    if not paths:
        raise ValueError(f"{folder}: no *.cif, *.vasp or POSCAR* files")
    rows, skipped = [], []
    for p in paths:
        try:
            s = read_cif(p) if p.suffix.lower() == ".cif" else Structure.from_file(p)
        except (StructureReadError, ValueError, IndexError, OSError) as exc:
            skipped.append({"source": str(p), "line": None, "reason": f"{p}: unreadable structure ({exc})"})
            continue
        comp = s.composition
        rows.append(
            {
                "source": str(p),
                "line": None,
                "formula": comp.reduced_formula,
                "composition": comp,
                "pressure_GPa": float(pressure_GPa),
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(skipped, columns=["source", "line", "reason"])


def _features(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[int], list[tuple[int, str]]]:
    """Features for the rows; rows whose elements Magpie lacks are returned as failures."""
    try:
        return (
            feature_frame(rows["composition"], rows["pressure_GPa"], cache=False),
            list(range(len(rows))),
            [],
        )
    except ValueError:
        pass
    good, bad, parts = [], [], []
    for i, r in enumerate(rows.itertuples()):
        try:
            parts.append(feature_frame([r.composition], [r.pressure_GPa], cache=False))
            good.append(i)
        except ValueError as exc:
            bad.append((i, str(exc)))
    X = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return X, good, bad


def predict_rows(
    rows: pd.DataFrame, bundle: Bundle, *, route: str = "chained", n_draws: int = 200, seed: int = 0
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Predictions for rows with ``composition`` and ``pressure_GPa``; returns (table, failures)."""
    if route not in ROUTES:
        raise ValueError(f"route must be one of {ROUTES}, got {route!r}")
    X, good, bad = _features(rows)
    if not good:
        return pd.DataFrame(), bad
    X = X[bundle.feature_names]
    Xa = X.to_numpy(dtype=float)
    summ = summarise(bundle.coupling.draws(Xa, n_draws=n_draws, seed=seed))
    out = rows.iloc[good][["source", "line", "formula", "pressure_GPa"]].reset_index(drop=True)
    out["route"] = route
    tc = f"tc_{route}_K"
    for q in ("median", "lo68", "hi68", "lo95", "hi95"):
        out[f"tc_K_{q}"] = summ[f"{tc}_{q}"]
    for r in ROUTES:
        if r != route:
            out[f"tc_{r}_K_median"] = summ[f"tc_{r}_K_median"]
    for t in ("lambda", "omega_log_K"):
        for q in ("median", "lo68", "hi68", "lo95", "hi95"):
            out[f"{t}_{q}"] = summ[f"{t}_{q}"]
    flags = applicability(
        rows.iloc[good]["composition"], Xa, bundle, pressures_GPa=rows.iloc[good]["pressure_GPa"]
    )
    return pd.concat([out, flags], axis=1), bad


def _training_keys(bundle: Bundle) -> dict[tuple[str, float], float]:
    from reviewlib.chem import composition_key, parse_formula

    keys = getattr(bundle, "_keys", None)
    if keys is None:
        keys = {}
        for f, p, t in zip(
            bundle.train["formula"], bundle.train["pressure_GPa"], bundle.train["tc_K"], strict=True
        ):
            try:
                keys[(composition_key(parse_formula(f)), round(float(p), 3))] = float(t)
            except ValueError:
                continue
        bundle._keys = keys
    return keys


def applicability(
    compositions, Xa: np.ndarray, bundle: Bundle, *, n_nearest: int = 3, pressures_GPa=None
) -> pd.DataFrame:
    """Applicability-domain columns: ``unknown_elements``, ``features_outside_range`` (count),
    ``nn_distance`` (and the model's ``nn_threshold``), ``nearest_training``, ``in_domain`` and,
    with ``pressures_GPa``, ``in_training`` / ``training_tc_K`` (the same composition and
    pressure is a training row: the prediction is not a held-out one).
    """
    from reviewlib.chem import composition_key
    from reviewlib.pipeline.bundle import _nn_distances

    known = set(bundle.elements)
    unknown = [",".join(sorted({e.symbol for e in c.elements} - known)) for c in compositions]
    span = bundle.feat_max - bundle.feat_min
    tol = 1e-6 * np.where(span > 0, span, 1.0)
    outside = ((Xa < bundle.feat_min - tol) | (Xa > bundle.feat_max + tol)).sum(axis=1)
    dist, idx = _nn_distances(bundle.embedding, bundle.embed(Xa), k=n_nearest, exclude_self=False)
    tr = bundle.train
    nearest = [
        "; ".join(
            f"{tr.at[j, 'formula']} @ {tr.at[j, 'pressure_GPa']:g} GPa "
            f"({tr.at[j, 'dataset']} {tr.at[j, 'id']}, Tc {tr.at[j, 'tc_K']:.1f} K, d {d:.2f})"
            for j, d in zip(row_idx, row_d, strict=True)
        )
        for row_idx, row_d in zip(idx, dist, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "unknown_elements": unknown,
            "features_outside_range": outside.astype(int),
            "nn_distance": dist[:, 0],
            "nn_threshold": bundle.nn_threshold,
            "nearest_training": nearest,
        }
    )
    if pressures_GPa is not None:
        keys = _training_keys(bundle)
        tc = [
            keys.get((composition_key(c), round(float(p), 3)), math.nan)
            for c, p in zip(compositions, pressures_GPa, strict=True)
        ]
        frame["in_training"] = np.isfinite(tc)
        frame["training_tc_K"] = tc
    frame["in_domain"] = (
        (frame["unknown_elements"] == "")
        & (frame["features_outside_range"] == 0)
        & (frame["nn_distance"] <= bundle.nn_threshold)
    )
    return frame


def predict(
    inputs: str | Path | pd.DataFrame,
    *,
    model: str | Path | Bundle | None = None,
    route: str = "chained",
    pressure_GPa: float = 0.0,
    n_draws: int = 200,
    seed: int = 0,
    spectra: dict | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Predict Tc (K), lambda and omega_log (K) with intervals; returns ``(predictions, skipped)``.

    Args:
        inputs: a CSV (``formula``, ``pressure_GPa``), a folder of structures, or a DataFrame
            with ``formula`` and ``pressure_GPa``.
        model: a :class:`Bundle`, a model folder / zip / card, or None for the default locations
            (:func:`reviewlib.pipeline.bundle.default_model_dirs`).
        route: which Tc the ``tc_K_*`` columns hold: ``chained`` (lambda, omega_log -> Allen-Dynes),
            ``direct`` or ``ensemble``.
        pressure_GPa: pressure (GPa) for structures (a CSV gives its own per row).
        n_draws: Monte Carlo draws per candidate.
        seed: seeds the draws.
        spectra: ``{formula: alpha2F}`` (a :class:`reviewlib.tc.eliashberg.Spectrum` or a file
            :func:`reviewlib.tc.spectra_io.read_a2f` reads) for candidates whose spectrum is
            known: their rows get ``lambda_a2f``, ``omega_log_a2f_K`` and the Eliashberg Tc
            (``tc_eliashberg_K_low/_median/_high`` over the model's mu* range; NaN elsewhere).
            A formula matches by composition; one that matches no row raises ``ValueError``.
    """
    bundle = model if isinstance(model, Bundle) else load_bundle(find_model(model))
    if isinstance(inputs, pd.DataFrame):
        tmp = inputs.copy()
        from reviewlib.chem import parse_formula

        tmp["composition"] = [parse_formula(f, where=f"row {i + 1}") for i, f in enumerate(tmp["formula"])]
        tmp["source"], tmp["line"] = "table", np.arange(len(tmp)) + 1
        rows, skipped = tmp, pd.DataFrame(columns=["source", "line", "reason"])
    elif Path(inputs).is_dir():
        rows, skipped = read_structure_dir(inputs, pressure_GPa=pressure_GPa)
    else:
        rows, skipped = read_composition_csv(inputs)
    if rows.empty:
        return pd.DataFrame(), skipped
    rows = rows.reset_index(drop=True)
    table, bad = predict_rows(rows, bundle, route=route, n_draws=n_draws, seed=seed)
    extra = [
        {
            "source": rows.at[i, "source"],
            "line": rows.at[i, "line"],
            "reason": f"{rows.at[i, 'source']}: {why}",
        }
        for i, why in bad
    ]
    if extra:
        skipped = pd.concat([skipped, pd.DataFrame(extra)], ignore_index=True)
    if spectra:
        table = add_eliashberg(table, spectra, mu_star_range=bundle.coupling.mu_star_range)
    return table, skipped


def add_eliashberg(table: pd.DataFrame, spectra: dict, *, mu_star_range) -> pd.DataFrame:
    """``table`` with the Eliashberg columns of :func:`reviewlib.pipeline.route.eliashberg_route`
    filled for the rows whose formula (by composition) has a spectrum in ``spectra``.
    """
    from reviewlib.chem import composition_key, parse_formula
    from reviewlib.pipeline.route import eliashberg_route

    table = table.copy()
    keys = [composition_key(parse_formula(f)) for f in table["formula"]]
    for formula, spec in spectra.items():
        key = composition_key(parse_formula(formula, where="spectra"))
        rows = [i for i, k in enumerate(keys) if k == key]
        if not rows:
            raise ValueError(f"spectra: {formula!r} matches no predicted row")
        res = eliashberg_route(spec, mu_star_range=mu_star_range)
        for col, val in res.items():
            if col not in table.columns:
                table[col] = math.nan if not isinstance(val, str) else ""
            table.loc[rows, col] = val
    return table


def predict_user_inputs(
    *, table_csv=None, cif_dir=None, model: Bundle | str | Path | None = None, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The notebook's "your own data" step: predictions for ``table_csv`` (a CSV with formula,
    pressure_GPa) or ``cif_dir`` (structures at 0 GPa) with ``model``; prints how many rows were
    predicted and skipped (each skipped row with its reason). None when neither is given.
    """
    if table_csv is None and cif_dir is None:
        print("table_csv and cif_dir are None: no user candidates.")
        return None
    source = table_csv if table_csv is not None else cif_dir
    table, skipped = predict(source, model=model, seed=seed)
    print(f"{len(table)} of your candidates predicted, {len(skipped)} skipped ({source})")
    for r in skipped.itertuples():
        print(f"skipped: {r.reason}")
    return table, skipped
