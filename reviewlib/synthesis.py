"""Tests of the review's advice (notebook 13): learning curves, power laws and
training with or without the low-Tc ("negative") rows.

* :func:`low_tc_mask` -- the rows with Tc below a threshold (the "negative results").
* :func:`with_without_low_tc` -- the same model trained with and without the low-Tc training rows,
  predicting the same test rows.
* :func:`splits_without_low_tc` -- cross-validation folds with the low-Tc rows taken out of every
  training fold (test folds unchanged), for :func:`reviewlib.evaluation.out_of_fold`.
* :func:`learning_curve` -- test RMSE and MAE against training size on nested training subsets.
* :func:`fit_power_law` / :func:`power_law_error` / :func:`size_for_error` -- the fit
  ``error = a n^-b`` of a learning curve, its value at ``n`` and the ``n`` it needs for an error.
* :func:`learning_curve_predictions` -- the test predictions behind a learning curve, per size
  and seed, for paired bootstrap intervals between sizes.
* :func:`fit_power_law_floor` / :func:`power_law_floor_error` / :func:`size_for_error_floor` --
  the fit ``error = a + b n^-c`` with a floor ``a >= 0`` (the error more data cannot remove).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd


def low_tc_mask(*, tc_K, threshold_K: float) -> np.ndarray:
    """Boolean mask of the rows with Tc (K) below ``threshold_K`` (K).

    Raises ``ValueError`` for a NaN or negative Tc, or a threshold that is not positive.
    """
    tc = np.asarray(tc_K, dtype=float)
    if not np.isfinite(threshold_K) or threshold_K <= 0:
        raise ValueError(f"threshold_K must be a positive number of kelvin, got {threshold_K}")
    if not np.isfinite(tc).all():
        raise ValueError("low_tc_mask: Tc has NaN or infinite values; drop or fill those rows first")
    if (tc < 0).any():
        raise ValueError(f"low_tc_mask: negative Tc in rows {np.flatnonzero(tc < 0)[:5].tolist()}")
    return tc < threshold_K


def with_without_low_tc(
    *,
    make_model: Callable[[int], object],
    X_train,
    y_train,
    X_test,
    threshold_K: float,
    seed: int,
) -> dict[str, np.ndarray | int]:
    """Predictions for ``X_test`` of ``make_model(seed)`` fitted on all training rows (``"with"``)
    and on the training rows with Tc >= ``threshold_K`` only (``"without"``), clipped at 0 K.

    Returns ``{"with", "without", "n_low", "n_kept"}`` (``n_low`` training rows removed). Raises
    ``ValueError`` when fewer than 5 rows would be left to train on.
    """
    Xtr, ytr = np.asarray(X_train, dtype=float), np.asarray(y_train, dtype=float)
    Xte = np.asarray(X_test, dtype=float)
    if len(Xtr) != len(ytr):
        raise ValueError(f"X_train has {len(Xtr)} rows but y_train has {len(ytr)}")
    low = low_tc_mask(tc_K=ytr, threshold_K=threshold_K)
    if (~low).sum() < 5:
        raise ValueError(f"only {(~low).sum()} training rows have Tc >= {threshold_K} K; lower the threshold")
    out: dict[str, np.ndarray | int] = {"n_low": int(low.sum()), "n_kept": int((~low).sum())}
    for name, keep in (("with", np.ones(len(ytr), bool)), ("without", ~low)):
        model = make_model(seed)
        model.fit(Xtr[keep], ytr[keep])
        out[name] = np.clip(np.asarray(model.predict(Xte), dtype=float), 0.0, None)
    return out


def splits_without_low_tc(
    *, splits, tc_K, threshold_K: float, min_train: int = 5
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The folds ``splits`` with the rows of Tc (K) below ``threshold_K`` (K) taken out of every
    training fold; the test folds are unchanged (held-out low-Tc rows are still predicted).

    ``splits``: ``(train, test)`` row-index pairs (e.g. :func:`reviewlib.evaluation.split_indices`);
    ``tc_K``: the Tc of every row. The kept training rows keep their order, so
    :func:`reviewlib.evaluation.out_of_fold` with these splits fits, per fold, the model
    :func:`with_without_low_tc` fits as ``"without"``, and its training-median baseline is the
    median Tc of the kept training rows. Raises ``ValueError`` (like :func:`low_tc_mask`) for NaN
    or negative Tc, and when a training fold keeps fewer than ``min_train`` rows.
    """
    low = low_tc_mask(tc_K=tc_K, threshold_K=threshold_K)
    out = []
    for k, (train, test) in enumerate(splits):
        tr = np.asarray(train, dtype=int)
        kept = tr[~low[tr]]
        if len(kept) < min_train:
            raise ValueError(
                f"fold {k}: only {len(kept)} training rows have Tc >= {threshold_K} K "
                f"(at least {min_train} needed); lower the threshold"
            )
        out.append((kept, np.asarray(test, dtype=int)))
    return out


def learning_curve(
    *,
    make_model: Callable[[int], object],
    X,
    y,
    train_idx,
    test_idx,
    sizes: Sequence[int],
    seed: int,
    n_repeats: int = 1,
) -> pd.DataFrame:
    """Test errors of ``make_model`` trained on growing subsets of ``train_idx`` (same test rows).

    Each repeat draws one seeded permutation of the training rows and trains on its first ``n``
    rows for every ``n`` in ``sizes`` (nested subsets). Returns one row per size: ``n_train``,
    ``rmse``, ``mae`` (mean over repeats, unit of ``y``), ``rmse_std``, ``mae_std`` (std over
    repeats, 0 for one repeat), ``n_test``. Raises ``ValueError`` for a size above the training
    rows, below 2, or train and test rows that overlap.
    """
    from reviewlib.evaluation import regression_metrics

    Xa, ya = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    tr, te = np.asarray(train_idx, dtype=int), np.asarray(test_idx, dtype=int)
    if np.intersect1d(tr, te).size:
        raise ValueError("learning_curve: training and test rows overlap")
    sizes = sorted({int(n) for n in sizes})
    if not sizes or sizes[0] < 2 or sizes[-1] > len(tr):
        raise ValueError(f"sizes must lie between 2 and the {len(tr)} training rows, got {sizes}")
    if n_repeats < 1:
        raise ValueError("n_repeats must be >= 1")
    scores = {n: [] for n in sizes}
    for r in range(n_repeats):
        order = np.random.default_rng(seed + r).permutation(tr)
        for n in sizes:
            model = make_model(seed + r)
            model.fit(Xa[order[:n]], ya[order[:n]])
            pred = np.asarray(model.predict(Xa[te]), dtype=float)
            m = regression_metrics(ya[te], pred)
            scores[n].append((m["rmse"], m["mae"]))
    rows = []
    for n in sizes:
        s = np.asarray(scores[n])
        rows.append(
            {
                "n_train": n,
                "rmse": s[:, 0].mean(),
                "mae": s[:, 1].mean(),
                "rmse_std": s[:, 0].std(),
                "mae_std": s[:, 1].std(),
                "n_test": len(te),
            }
        )
    return pd.DataFrame(rows)


def fit_power_law(*, n, error) -> dict[str, float]:
    """Least-squares fit of ``error = a n^-b`` in log-log space: ``{"a", "b", "r2"}``.

    ``a`` is in the unit of ``error``; ``b`` > 0 means the error falls with more data; ``r2`` is
    the fit's R^2 in log space. Raises ``ValueError`` for fewer than 2 distinct sizes or values
    that are not positive.
    """
    n, err = np.asarray(n, dtype=float), np.asarray(error, dtype=float)
    if n.shape != err.shape or n.ndim != 1:
        raise ValueError("fit_power_law: n and error must be 1-d arrays of the same length")
    if not (np.isfinite(n).all() and np.isfinite(err).all()) or (n <= 0).any() or (err <= 0).any():
        raise ValueError("fit_power_law: n and error must be finite and positive")
    if len(np.unique(n)) < 2:
        raise ValueError("fit_power_law needs at least two distinct training sizes")
    x, z = np.log(n), np.log(err)
    slope, intercept = np.polyfit(x, z, 1)
    resid = z - (intercept + slope * x)
    ss_tot = float(np.sum((z - z.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / ss_tot if ss_tot > 0 else float("nan")
    return {"a": float(np.exp(intercept)), "b": float(-slope), "r2": r2}


def power_law_error(*, fit: dict[str, float], n) -> np.ndarray:
    """``a n^-b`` of a :func:`fit_power_law` result at training size(s) ``n``."""
    n = np.asarray(n, dtype=float)
    if (n <= 0).any():
        raise ValueError("power_law_error: n must be positive")
    return fit["a"] * n ** (-fit["b"])


def size_for_error(*, fit: dict[str, float], error: float) -> float:
    """Training size at which ``a n^-b`` reaches ``error`` (same unit); ``inf`` when ``b <= 0``.

    An extrapolation of the fitted curve, not a guarantee: state the sizes the fit was made on.
    """
    if not error > 0:
        raise ValueError(f"error must be positive, got {error}")
    if fit["b"] <= 0:
        return float("inf")
    return float((fit["a"] / error) ** (1.0 / fit["b"]))


def learning_curve_predictions(
    *,
    make_model: Callable[[int], object],
    X,
    y,
    train_idx,
    test_idx,
    sizes: Sequence[int],
    seeds: Sequence[int],
) -> dict[int, dict[int, np.ndarray]]:
    """Test predictions of ``make_model(s)`` trained on nested subsets of ``train_idx``.

    For each seed ``s`` one permutation of the training rows (``default_rng(s)``, as
    :func:`learning_curve` with ``seed + r``) gives nested subsets of every size in ``sizes``.
    Returns ``{seed: {n: predictions for test_idx}}`` (unit of ``y``), so that two sizes can be
    compared on the same test rows with a paired bootstrap. Raises ``ValueError`` like
    :func:`learning_curve`, and for no seeds.
    """
    Xa, ya = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    tr, te = np.asarray(train_idx, dtype=int), np.asarray(test_idx, dtype=int)
    if np.intersect1d(tr, te).size:
        raise ValueError("learning_curve_predictions: training and test rows overlap")
    sizes = sorted({int(n) for n in sizes})
    if not sizes or sizes[0] < 2 or sizes[-1] > len(tr):
        raise ValueError(f"sizes must lie between 2 and the {len(tr)} training rows, got {sizes}")
    if not len(seeds):
        raise ValueError("learning_curve_predictions needs at least one seed")
    out: dict[int, dict[int, np.ndarray]] = {}
    for s in seeds:
        order = np.random.default_rng(int(s)).permutation(tr)
        out[int(s)] = {}
        for n in sizes:
            model = make_model(int(s))
            model.fit(Xa[order[:n]], ya[order[:n]])
            out[int(s)][n] = np.asarray(model.predict(Xa[te]), dtype=float)
    return out


def fit_power_law_floor(*, n, error) -> dict[str, float]:
    """Least-squares fit of ``error = a + b n^-c`` with ``a >= 0``, ``b >= 0``, ``0 <= c <= 3``.

    ``a`` is the floor (the error more data of the same kind cannot remove, unit of ``error``),
    ``b`` the reducible part at ``n = 1``, ``c`` the exponent. Returns ``{"a", "b", "c", "rmse"}``
    (``rmse``: root-mean-square residual of the fit, unit of ``error``). With few points the three
    parameters are poorly determined: read the fit with the curve, not alone. Raises
    ``ValueError`` for fewer than 3 distinct sizes or values that are not finite and positive.
    """
    from scipy.optimize import least_squares

    n, err = np.asarray(n, dtype=float), np.asarray(error, dtype=float)
    if n.shape != err.shape or n.ndim != 1:
        raise ValueError("fit_power_law_floor: n and error must be 1-d arrays of the same length")
    if not (np.isfinite(n).all() and np.isfinite(err).all()) or (n <= 0).any() or (err <= 0).any():
        raise ValueError("fit_power_law_floor: n and error must be finite and positive")
    if len(np.unique(n)) < 3:
        raise ValueError("fit_power_law_floor needs at least three distinct training sizes")
    start = fit_power_law(n=n, error=err)
    best = None
    for a0 in (0.0, 0.5 * err.min(), 0.9 * err.min()):
        x0 = [a0, max(start["a"] - a0, 1e-6), min(max(start["b"], 0.05), 2.9)]
        res = least_squares(
            lambda p: p[0] + p[1] * n ** (-p[2]) - err,
            x0,
            bounds=([0.0, 0.0, 0.0], [np.inf, np.inf, 3.0]),
        )
        if best is None or res.cost < best.cost:
            best = res
    a, b, c = (float(v) for v in best.x)
    return {"a": a, "b": b, "c": c, "rmse": float(np.sqrt(2 * best.cost / len(n)))}


def power_law_floor_error(*, fit: dict[str, float], n) -> np.ndarray:
    """``a + b n^-c`` of a :func:`fit_power_law_floor` result at training size(s) ``n``."""
    n = np.asarray(n, dtype=float)
    if (n <= 0).any():
        raise ValueError("power_law_floor_error: n must be positive")
    return fit["a"] + fit["b"] * n ** (-fit["c"])


def size_for_error_floor(*, fit: dict[str, float], error: float) -> float:
    """Training size at which ``a + b n^-c`` reaches ``error``; ``inf`` at or below the floor
    ``a`` (or for a flat curve). An extrapolation: state the sizes the fit was made on.
    """
    if not error > 0:
        raise ValueError(f"error must be positive, got {error}")
    if error <= fit["a"] or fit["b"] <= 0 or fit["c"] <= 0:
        return float("inf")
    return float((fit["b"] / (error - fit["a"])) ** (1.0 / fit["c"]))
