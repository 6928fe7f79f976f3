"""Retrospective discovery test: rank held-out candidates, count the hits at the top.

* :func:`top_k_metrics` -- precision@k, recall@k and the discovery acceleration factor
  DAF = precision@k / prevalence (Riebesell et al. 2025, Matbench Discovery) of one ranking.
* :func:`random_expectation` -- the same metrics for a random ranking (their expectation; DAF 1).
* :func:`cluster_bootstrap_top_k` -- the pooled precision@k of several rankings, and the paired
  differences between them, with a percentile bootstrap that resamples whole clusters (chemical
  systems or compounds), because rows of one system are not independent.
* :func:`grouped_retrospective` -- out-of-fold draws of the pipeline with whole groups held out.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd


def n_top(n: int, frac: float) -> int:
    """K for a fraction ``frac`` of ``n`` candidates (at least 1)."""
    if not 0 < frac <= 1:
        raise ValueError(f"frac must lie in (0, 1], got {frac}")
    return max(1, round(frac * n))


def top_k_metrics(*, score, positive, k: int) -> dict[str, float]:
    """precision@k, recall@k, DAF and prevalence of the ranking by ``score`` (highest first).

    Ties in ``score`` are broken by position (stable sort), so pass a shuffled order or a
    tie-free score. DAF is NaN when there is no positive.
    """
    s = np.asarray(score, dtype=float)
    pos = np.asarray(positive, dtype=bool)
    if s.shape != pos.shape or s.ndim != 1 or len(s) == 0:
        raise ValueError("top_k_metrics: score and positive must be equal, non-empty 1-d arrays")
    k = int(min(max(k, 1), len(s)))
    top = np.argsort(-s, kind="stable")[:k]
    hits = int(pos[top].sum())
    prevalence = float(pos.mean())
    precision = hits / k
    return {
        "k": k,
        "hits": hits,
        "precision": precision,
        "recall": hits / pos.sum() if pos.any() else float("nan"),
        "daf": precision / prevalence if prevalence > 0 else float("nan"),
        "prevalence": prevalence,
    }


def random_expectation(*, positive, k: int) -> dict[str, float]:
    """Expected precision@k, recall@k and DAF of a uniformly random ranking (precision = prevalence)."""
    pos = np.asarray(positive, dtype=bool)
    k = int(min(max(k, 1), len(pos)))
    prev = float(pos.mean())
    return {
        "k": k,
        "hits": prev * k,
        "precision": prev,
        "recall": k / len(pos) if pos.any() else float("nan"),
        "daf": 1.0 if prev > 0 else float("nan"),
        "prevalence": prev,
    }


def cluster_bootstrap_top_k(
    *,
    scores: Mapping[str, np.ndarray],
    positive,
    clusters,
    frac: float,
    seed: int,
    n_boot: int = 1000,
    level: float = 0.95,
    pairs: tuple[tuple[str, str], ...] = (),
) -> pd.DataFrame:
    """Pooled precision@k (k = ``frac`` of the candidates) of each ranking with a cluster bootstrap.

    Each resample draws clusters with replacement (all rows of a drawn cluster come along, so a
    system drawn twice counts twice) and re-ranks the resampled rows. Returns one row per ranking
    and per pair ``(a, b)`` in ``pairs`` (the difference a - b on the same resamples), with
    ``value``, ``low``, ``high`` and, for pairs, ``frac_a_better`` (share of resamples with a > b).
    """
    pos = np.asarray(positive, dtype=bool)
    cl = pd.factorize(np.asarray(clusters, dtype=object))[0]
    names = list(scores)
    S = {n: np.asarray(scores[n], dtype=float) for n in names}
    for n, s in S.items():
        if s.shape != pos.shape:
            raise ValueError(f"score {n!r} has shape {s.shape}, positive {pos.shape}")
    members = pd.Series(np.arange(len(pos))).groupby(cl).apply(np.asarray).to_list()
    rng = np.random.default_rng(seed)

    def prec(idx, s):
        k = n_top(len(idx), frac)
        top = idx[np.argsort(-s[idx], kind="stable")[:k]]
        return pos[top].mean()

    full = np.arange(len(pos))
    values = {n: prec(full, S[n]) for n in names}
    boots = {n: np.empty(n_boot) for n in names}
    for b in range(n_boot):
        pick = rng.integers(0, len(members), len(members))
        idx = np.concatenate([members[i] for i in pick])
        idx = idx[rng.permutation(len(idx))]  # random tie-breaking
        for n in names:
            boots[n][b] = prec(idx, S[n])
    q = [50 * (1 - level), 50 * (1 + level)]
    rows = []
    for n in names:
        lo, hi = np.percentile(boots[n], q)
        rows.append({"ranking": n, "value": values[n], "low": lo, "high": hi, "frac_a_better": np.nan})
    for a, b in pairs:
        d = boots[a] - boots[b]
        lo, hi = np.percentile(d, q)
        rows.append(
            {
                "ranking": f"{a} - {b}",
                "value": values[a] - values[b],
                "low": lo,
                "high": hi,
                "frac_a_better": float(np.mean(d > 0)),
            }
        )
    return pd.DataFrame(rows)


def verdict_at_least(diff_row: Mapping[str, float]) -> str:
    """``better`` (interval above 0), ``worse`` (below 0) or ``tie`` for a difference row."""
    if diff_row["low"] > 0:
        return "better"
    if diff_row["high"] < 0:
        return "worse"
    return "tie"


def grouped_retrospective(
    *,
    X,
    frame: pd.DataFrame,
    groups,
    seed: int,
    n_splits: int = 5,
    rounds: int = 300,
    kind: str = "xgb",
    n_draws: int = 200,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Out-of-fold pipeline predictions with whole ``groups`` held out (shuffled GroupKFold).

    ``frame`` carries ``lambda``, ``omega_log_K``, ``tc_K``. Returns the per-row summary of
    :func:`reviewlib.pipeline.route.summarise` (plus ``fold``) and the fold label of each row.
    Calibration folds inside each training fold are grouped by the same labels.
    """
    from sklearn.model_selection import GroupKFold

    from reviewlib.pipeline.route import CouplingTc, summarise

    X = np.asarray(X, dtype=float)
    g = np.asarray(groups, dtype=object)
    frame = frame.reset_index(drop=True)
    parts, fold = [], np.full(len(frame), -1)
    for k, (train, test) in enumerate(
        GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed).split(X, groups=g)
    ):
        model = CouplingTc(kind=kind, rounds=rounds, seed=seed).fit(
            X[train], frame.iloc[train], groups=g[train]
        )
        summ = summarise(model.draws(X[test], n_draws=n_draws, seed=seed + k))
        summ.index = test
        parts.append(summ)
        fold[test] = k
    out = pd.concat(parts).sort_index()
    out["fold"] = fold
    return out, fold
