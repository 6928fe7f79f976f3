"""Retrospective discovery test: rank held-out candidates, count the hits at the top.

* :func:`top_k_metrics` -- precision@k, recall@k and the discovery acceleration factor
  DAF = precision@k / prevalence (Riebesell et al. 2025, Matbench Discovery) of one ranking.
* :func:`random_expectation` -- the same metrics for a random ranking (their expectation; DAF 1).
* :func:`cluster_bootstrap_top_k` -- the pooled precision@k of several rankings, and the paired
  differences between them, with a percentile bootstrap that resamples whole clusters (chemical
  systems or compounds), because rows of one system are not independent (the resamples come
  from the core's :func:`reviewlib.evaluation.bootstrap.cluster_resample_indices`).
* :func:`grouped_retrospective` -- out-of-fold draws of the pipeline with whole groups held out.
* :class:`Retrospective` -- one such test scored at any threshold and top fraction;
  :func:`retrospectives` fits several (other seeds, groupings) in one joblib batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from reviewlib.evaluation.bootstrap import cluster_resample_indices, paired_bootstrap
from reviewlib.evaluation.splits import split_indices


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
    # clusters coded in order of first appearance: the code order decides which cluster a drawn
    # index names, so it is part of the published resamples (do not sort it)
    cl = pd.factorize(np.asarray(clusters, dtype=object))[0]
    if len(cl) != len(pos):
        raise ValueError(f"cluster_bootstrap_top_k: clusters has {len(cl)} entries, positive {len(pos)}")
    if (cl < 0).any():
        raise ValueError(
            f"cluster_bootstrap_top_k: {int((cl < 0).sum())} rows have no cluster label (None/NaN); "
            "give every row its group (e.g. its chemical system)"
        )
    names = list(scores)
    S = {n: np.asarray(scores[n], dtype=float) for n in names}
    for n, s in S.items():
        if s.shape != pos.shape:
            raise ValueError(f"score {n!r} has shape {s.shape}, positive {pos.shape}")
    rng = np.random.default_rng(seed)

    def prec(idx, s):
        k = n_top(len(idx), frac)
        top = idx[np.argsort(-s[idx], kind="stable")[:k]]
        return pos[top].mean()

    full = np.arange(len(pos))
    values = {n: prec(full, S[n]) for n in names}
    boots = {n: np.empty(n_boot) for n in names}
    # the same rng draws each resample's clusters (lazily) and then its tie-breaking permutation
    for b, idx in enumerate(cluster_resample_indices(cl, n_boot=n_boot, rng=rng)):
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


def _fit_fold(
    X, targets: pd.DataFrame, g, train, test, *, k: int, seed: int, kind: str, rounds: int, n_draws: int
):
    """One outer fold of :func:`grouped_retrospective`: the summary of the held-out rows (indexed
    by ``test``). Module-level so that joblib workers can run it; its result depends only on the
    arguments (the fold's models are seeded by ``seed``, its draws by ``seed + k``).
    """
    from reviewlib.pipeline.route import CouplingTc, summarise

    model = CouplingTc(kind=kind, rounds=rounds, seed=seed).fit(
        X[train], targets.iloc[train], groups=g[train]
    )
    summ = summarise(model.draws(X[test], n_draws=n_draws, seed=seed + k))
    model.correlated = False
    indep = summarise(model.draws(X[test], n_draws=n_draws, seed=seed + k))
    for c in indep.columns:
        if c.startswith("tc_chained_K"):
            summ[c.replace("tc_chained_K", "tc_chained_indep_K")] = indep[c].to_numpy()
    summ["rho_fold"] = model.rho
    summ.index = test
    return summ


def _fold_jobs(
    *, X, frame: pd.DataFrame, groups, seed: int, n_splits: int, rounds: int, kind: str, n_draws: int
):
    """The :func:`_fit_fold` calls of one grouped retrospective, as ``(function, args, kwargs)``
    triples (joblib's ``delayed`` form), and the folds.
    """
    from reviewlib.pipeline.route import TARGETS

    X = np.asarray(X, dtype=float)
    g = np.asarray(groups, dtype=object)
    # only the three targets travel to a worker (not structures or other columns of the frame)
    targets = frame.reset_index(drop=True)[list(TARGETS)]
    folds = split_indices("grouped", n_rows=len(X), n_splits=n_splits, seed=seed, groups=g)
    jobs = [
        (
            _fit_fold,
            (X, targets, g, train, test),
            dict(k=k, seed=seed, kind=kind, rounds=rounds, n_draws=n_draws),
        )
        for k, (train, test) in enumerate(folds)
    ]
    return jobs, folds


def _assemble(parts: list[pd.DataFrame], folds, n_rows: int) -> tuple[pd.DataFrame, np.ndarray]:
    fold = np.full(n_rows, -1)
    for k, (_, test) in enumerate(folds):
        fold[test] = k
    out = pd.concat(parts).sort_index()
    out["fold"] = fold
    return out, fold


def _run(jobs: list, n_jobs: int) -> list:
    """``[f(*a, **kw) for f, a, kw in jobs]``, through joblib with ``n_jobs`` workers when more
    than one (results in job order, identical to the serial loop).
    """
    if n_jobs == 1 or len(jobs) < 2:
        return [f(*a, **kw) for f, a, kw in jobs]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=min(n_jobs, len(jobs)))(delayed(f)(*a, **kw) for f, a, kw in jobs)


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
    n_jobs: int = 1,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Out-of-fold pipeline predictions with whole ``groups`` held out (the core's shuffled
    GroupKFold, :func:`reviewlib.evaluation.split_indices` ``"grouped"`` seeded by ``seed``).

    ``frame`` carries ``lambda``, ``omega_log_K``, ``tc_K``. Returns the per-row summary of
    :func:`reviewlib.pipeline.route.summarise` (plus ``fold``, ``rho_fold``: the lambda-omega_log
    copula correlation the fold's models estimated on their training rows, and the chained Tc
    drawn *independently*, ``tc_chained_indep_K_*``) and the fold label of each row.
    Calibration folds inside each training fold are grouped by the same labels. ``n_jobs``:
    folds fitted in parallel (joblib; the models are single-threaded); the result does not
    depend on it.
    """
    jobs, folds = _fold_jobs(
        X=X,
        frame=frame,
        groups=groups,
        seed=seed,
        n_splits=n_splits,
        rounds=rounds,
        kind=kind,
        n_draws=n_draws,
    )
    return _assemble(_run(jobs, n_jobs), folds, len(frame))


def heldout_residual_correlation(frame: pd.DataFrame, summ: pd.DataFrame) -> dict[str, float]:
    """Correlation of the held-out errors of log lambda and log omega_log (truth minus the median
    prediction): ``pearson`` and ``copula`` (normal scores, as the pipeline's ``rho``).
    """
    from reviewlib.pipeline.route import copula_rho

    r_l = np.log(frame["lambda"].to_numpy(float)) - np.log(summ["lambda_median"].to_numpy(float))
    r_w = np.log(frame["omega_log_K"].to_numpy(float)) - np.log(summ["omega_log_K_median"].to_numpy(float))
    ok = np.isfinite(r_l) & np.isfinite(r_w)
    return {
        "pearson": float(np.corrcoef(r_l[ok], r_w[ok])[0, 1]),
        "copula": copula_rho(r_l[ok], r_w[ok]),
        "n": int(ok.sum()),
    }


def single_feature_scores(
    X: pd.DataFrame, y, fold, *, exclude: tuple[str, ...] = ("pressure_GPa",)
) -> tuple[np.ndarray, pd.DataFrame]:
    """The best one-feature ranking, chosen inside each training fold (a fair heuristic baseline).

    For each outer fold k, the feature of ``X`` with the largest absolute Spearman correlation with
    ``y`` on the rows of the *other* folds is chosen, with its sign; the held-out rows of fold k
    are scored by ``sign * feature``. Returns the held-out scores and one row per fold
    (``fold``, ``feature``, ``sign``, ``spearman_train``). Features in ``exclude`` and constant
    ones are not candidates.
    """
    from scipy.stats import rankdata

    fold = np.asarray(fold)
    y = np.asarray(y, dtype=float)
    cols = [c for c in X.columns if c not in exclude]
    A = X[cols].to_numpy(dtype=float)
    scores = np.full(len(y), np.nan)
    chosen = []
    for k in np.unique(fold):
        tr, te = fold != k, fold == k
        R = np.apply_along_axis(rankdata, 0, A[tr])
        ry = rankdata(y[tr])
        Rc = R - R.mean(axis=0)
        sd = Rc.std(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            rho = (Rc * (ry - ry.mean())[:, None]).mean(axis=0) / (sd * ry.std())
        rho = np.where(sd > 0, rho, 0.0)
        j = int(np.nanargmax(np.abs(rho)))
        sign = 1.0 if rho[j] >= 0 else -1.0
        scores[te] = sign * A[te, j]
        chosen.append({"fold": int(k), "feature": cols[j], "sign": sign, "spearman_train": float(rho[j])})
    return scores, pd.DataFrame(chosen)


def leakage_report(*, X, formulas, pressures_GPa, groups, fold) -> tuple[dict, np.ndarray]:
    """What a held-out fold shares with its training folds.

    Returns a dict with ``groups_split`` (groups whose rows sit in more than one fold; 0 for a
    grouped split), ``compositions_split`` (reduced compositions in more than one fold: the same
    compound seen in training under another group label), ``duplicates_split`` (the same
    composition *and* pressure in more than one fold) and ``duplicate_rows`` (rows whose
    composition and pressure occur more than once), plus the per-row distance (Euclidean, in the
    features standardised on the training folds) from each held-out row to its nearest training
    row (``nn_heldout``), and for reference the nearest-neighbour distance of training rows among
    themselves (``nn_train_median``, the median over folds).
    """
    from sklearn.neighbors import NearestNeighbors

    from reviewlib.chem import composition_key, parse_formula

    fold = np.asarray(fold)
    keys = []
    for f in formulas:
        try:
            keys.append(composition_key(parse_formula(f)))
        except ValueError:
            keys.append(str(f))
    frame = pd.DataFrame(
        {
            "group": np.asarray(groups, dtype=object),
            "key": keys,
            "p": np.round(np.asarray(pressures_GPa, float), 3),
        }
    )
    frame["fold"] = fold
    frame["kp"] = frame["key"].astype(str) + "@" + frame["p"].astype(str)
    A = np.asarray(X, dtype=float)
    nn_heldout = np.full(len(A), np.nan)
    within = []
    for k in np.unique(fold):
        tr, te = fold != k, fold == k
        mu, sd = A[tr].mean(axis=0), A[tr].std(axis=0)
        sd[sd == 0] = 1.0
        Ztr, Zte = (A[tr] - mu) / sd, (A[te] - mu) / sd
        nn = NearestNeighbors(n_neighbors=2).fit(Ztr)
        nn_heldout[te] = nn.kneighbors(Zte, n_neighbors=1)[0][:, 0]
        within.append(float(np.median(nn.kneighbors(Ztr)[0][:, 1])))
    report = {
        "groups_split": int((frame.groupby("group")["fold"].nunique() > 1).sum()),
        "compositions_split": int((frame.groupby("key")["fold"].nunique() > 1).sum()),
        "duplicates_split": int((frame.groupby("kp")["fold"].nunique() > 1).sum()),
        "duplicate_rows": int(frame["kp"].duplicated(keep=False).sum()),
        "nn_heldout_median": float(np.median(nn_heldout)),
        "nn_train_median": float(np.median(within)),
    }
    return report, nn_heldout


def coverage_by_fold(truth, low, high, fold) -> pd.Series:
    """Interval coverage (fraction of ``truth`` inside [low, high]) in each fold."""
    t, lo, hi = (np.asarray(a, dtype=float) for a in (truth, low, high))
    inside = (t >= lo) & (t <= hi)
    return pd.Series(inside).groupby(np.asarray(fold)).mean()


#: the rankings a retrospective test compares (route columns of the summary, then references)
ROUTE_COLUMNS = {
    "chained (λ, ω_log → Allen-Dynes)": "tc_chained_K",
    "direct Tc": "tc_direct_K",
    "ensemble": "tc_ensemble_K",
}
CHAINED, DIRECT = "chained (λ, ω_log → Allen-Dynes)", "direct Tc"
MASS = "1 / mean atomic weight"
BEST_FEATURE = "best single Magpie feature (chosen in training folds)"
RANDOM = "random ranking"
PAIR = f"{CHAINED} - {DIRECT}"
#: chained against the strongest trivial ranking (the best single feature chosen in training folds)
PAIR_FEATURE = f"{CHAINED} - {BEST_FEATURE}"


class Retrospective:
    """One retrospective discovery test: out-of-fold routes on held-out groups, their rankings
    and the references (inverse mean mass, the best single feature chosen inside the training
    folds, a random ranking), scored at any Tc threshold and top fraction without refitting.

    Args:
        X: features (:func:`reviewlib.pipeline.bundle.feature_frame`).
        frame: rows with ``formula``, ``pressure_GPa``, ``lambda``, ``omega_log_K``, ``tc_K``.
        groups: the held-out unit of each row.
        seed, rounds, n_draws, n_splits: as :func:`grouped_retrospective`.
    """

    def __init__(
        self,
        X: pd.DataFrame,
        frame: pd.DataFrame,
        *,
        groups,
        seed: int,
        rounds: int,
        n_draws: int,
        n_splits: int = 5,
        n_jobs: int = 1,
    ) -> None:
        summ, fold = grouped_retrospective(
            X=X.to_numpy(float),
            frame=frame,
            groups=groups,
            seed=seed,
            n_splits=n_splits,
            rounds=rounds,
            n_draws=n_draws,
            n_jobs=n_jobs,
        )
        self._finish(X, frame, groups=groups, seed=seed, summ=summ, fold=fold)

    @classmethod
    def _from_folds(cls, X, frame, *, groups, seed, summ, fold) -> Retrospective:
        """A test from its out-of-fold summary (what :func:`retrospectives` fitted)."""
        self = cls.__new__(cls)
        self._finish(X, frame, groups=groups, seed=seed, summ=summ, fold=fold)
        return self

    def _finish(self, X, frame, *, groups, seed, summ, fold) -> None:
        self.frame = frame.reset_index(drop=True)
        self.groups = np.asarray(groups, dtype=object)
        self.seed = seed
        self.summ, self.fold = summ, fold
        self._pooled: dict[tuple, pd.DataFrame] = {}
        y = self.frame["tc_K"].to_numpy(float)
        self.scores = {r: self.summ[f"{c}_median"].to_numpy() for r, c in ROUTE_COLUMNS.items()}
        self.scores[MASS] = 1.0 / X["MagpieData mean AtomicWeight"].to_numpy(float)
        self.scores[BEST_FEATURE], self.features_chosen = single_feature_scores(X, y, self.fold)
        self.scores[RANDOM] = np.random.default_rng(seed).random(len(y))
        self._X = X.to_numpy(float)
        self._leakage: tuple[dict, np.ndarray] | None = None
        self.rho_heldout = heldout_residual_correlation(self.frame, self.summ)
        self.rho_train = float(self.summ["rho_fold"].mean())
        # the trivial interval: the training folds' own 2.5-97.5 % Tc range
        lo, hi = np.empty(len(y)), np.empty(len(y))
        for k in np.unique(self.fold):
            tr = self.fold != k
            lo[~tr], hi[~tr] = np.percentile(y[tr], [2.5, 97.5])
        self.marginal95 = (lo, hi)

    def _leak(self) -> tuple[dict, np.ndarray]:
        if self._leakage is None:
            self._leakage = leakage_report(
                X=self._X,
                formulas=self.frame["formula"],
                pressures_GPa=self.frame["pressure_GPa"],
                groups=self.groups,
                fold=self.fold,
            )
        return self._leakage

    @property
    def leakage(self) -> dict:
        """:func:`leakage_report` of this split (computed on first use)."""
        return self._leak()[0]

    @property
    def nn_heldout(self) -> np.ndarray:
        """Distance of each held-out row to its nearest training row (standardised features)."""
        return self._leak()[1]

    def positive(self, threshold: float) -> np.ndarray:
        """Rows with Tc >= ``threshold`` (K)."""
        return self.frame["tc_K"].to_numpy(float) >= threshold

    def pooled(self, *, threshold: float, frac: float, n_boot: int, mask=None) -> pd.DataFrame:
        """Cluster-bootstrap pooled precision@k of every ranking and chained/ensemble - direct.

        Without ``mask`` the result is kept per (threshold, frac, n_boot): :meth:`table`,
        :meth:`result_rows` and :meth:`claim_values` at the same choice share one bootstrap
        (it is seeded by ``seed``, so a recomputation would give the same table).
        """
        key = (float(threshold), float(frac), int(n_boot))
        if mask is None and key in self._pooled:
            return self._pooled[key].copy()
        out = _pooled_table(**self._pooled_args(threshold=threshold, frac=frac, n_boot=n_boot, mask=mask))
        if mask is None:
            self._pooled[key] = out.copy()
        return out

    def _pooled_args(self, *, threshold: float, frac: float, n_boot: int, mask=None) -> dict:
        m = np.ones(len(self.frame), bool) if mask is None else np.asarray(mask, bool)
        return dict(
            scores={n: s[m] for n, s in self.scores.items()},
            positive=self.positive(threshold)[m],
            clusters=self.groups[m],
            frac=frac,
            seed=self.seed,
            n_boot=n_boot,
            pairs=((CHAINED, DIRECT), ("ensemble", DIRECT), (CHAINED, BEST_FEATURE)),
        )

    def table(self, *, threshold: float, frac: float, n_boot: int) -> pd.DataFrame:
        """Pooled precision@k [95 % cluster CI], recall@k and DAF, and precision / DAF over folds."""
        pos = self.positive(threshold)
        pooled = self.pooled(threshold=threshold, frac=frac, n_boot=n_boot)
        prev = pos.mean()
        rows = []
        for name, s in self.scores.items():
            k = n_top(len(pos), frac)
            met = (
                random_expectation(positive=pos, k=k)
                if name == RANDOM
                else top_k_metrics(score=s, positive=pos, k=k)
            )
            per = []
            for f in np.unique(self.fold):
                m = self.fold == f
                kf = n_top(m.sum(), frac)
                per.append(
                    random_expectation(positive=pos[m], k=kf)
                    if name == RANDOM
                    else top_k_metrics(score=s[m], positive=pos[m], k=kf)
                )
            per = pd.DataFrame(per)
            b = pooled.loc[name]
            rows.append(
                {
                    "ranking": name,
                    "precision@k": met["precision"],
                    "CI low": min(b["low"], met["precision"]),
                    "CI high": max(b["high"], met["precision"]),
                    "recall@k": met["recall"],
                    "DAF": met["daf"],
                    "DAF CI": f"[{min(b['low'], met['precision']) / prev:.2f}, "
                    f"{max(b['high'], met['precision']) / prev:.2f}]",
                    "precision@k over folds": (
                        f"{per['precision'].mean():.3f} ± {per['precision'].std(ddof=1):.3f}"
                    ),
                    "k": k,
                    "prevalence": prev,
                }
            )
        return pd.DataFrame(rows).set_index("ranking")

    def coverage(self) -> pd.DataFrame:
        """Coverage of the 68 % and 95 % intervals of lambda, omega_log and each Tc route, and the
        95 % coverage per fold (min-max), against the nominal levels.
        """
        truth = {"lambda": self.frame["lambda"], "omega_log_K": self.frame["omega_log_K"]}
        rows = {}
        items = [
            ("λ", "lambda", "lambda"),
            ("ω_log (K)", "omega_log_K", "omega_log_K"),
            ("Tc chained (K)", "tc_chained_K", "tc_K"),
            ("Tc chained, λ and ω_log independent (K)", "tc_chained_indep_K", "tc_K"),
            ("Tc direct (K)", "tc_direct_K", "tc_K"),
            ("Tc ensemble (K)", "tc_ensemble_K", "tc_K"),
        ]
        for label, q, t in items:
            y = truth.get(t, self.frame["tc_K"])
            byf = coverage_by_fold(y, self.summ[f"{q}_lo95"], self.summ[f"{q}_hi95"], self.fold)
            rows[label] = {
                "68 %": _cov(y, self.summ[f"{q}_lo68"], self.summ[f"{q}_hi68"]),
                "95 %": _cov(y, self.summ[f"{q}_lo95"], self.summ[f"{q}_hi95"]),
                "95 % per fold (min-max)": f"{byf.min():.2f}-{byf.max():.2f}",
            }
        lo, hi = self.marginal95
        byf = coverage_by_fold(self.frame["tc_K"], lo, hi, self.fold)
        rows["Tc, training 2.5-97.5 % range (baseline)"] = {
            "68 %": np.nan,
            "95 %": _cov(self.frame["tc_K"], lo, hi),
            "95 % per fold (min-max)": f"{byf.min():.2f}-{byf.max():.2f}",
        }
        return pd.DataFrame.from_dict(rows, orient="index")

    def claim_values(self, *, threshold: float, frac: float, n_boot: int) -> dict[str, object]:
        """The three trend claims' values under one choice: chained >= direct (not 'worse') and
        screening enriches (chained precision@k interval above the prevalence), with the text.
        """
        pooled = self.pooled(threshold=threshold, frac=frac, n_boot=n_boot)
        d = pooled.loc[PAIR]
        c = pooled.loc[CHAINED]
        prev = float(self.positive(threshold).mean())
        f = pooled.loc[PAIR_FEATURE]
        return {
            "at_least": verdict_at_least(d) != "worse",
            "beats": verdict_at_least(d) == "better",
            "diff": f"{d['value']:+.3f} [{d['low']:+.3f}, {d['high']:+.3f}]",
            "verdict": verdict_at_least(d),
            "enriches": bool(c["low"] > prev),
            "daf": c["value"] / prev if prev > 0 else float("nan"),
            "precision": f"{c['value']:.3f} [{c['low']:.3f}, {c['high']:.3f}]",
            "prevalence": prev,
            "vs_feature": f"{f['value']:+.3f} [{f['low']:+.3f}, {f['high']:+.3f}]",
        }

    def mae_comparison(self, *, n_boot: int) -> dict[str, float]:
        """Held-out MAE (K) of the chained and the direct Tc medians against the labels, and the
        chained - direct difference with a paired cluster bootstrap (whole groups resampled):
        the like-for-like error comparison behind the ranking claims.
        """
        y = self.frame["tc_K"].to_numpy(float)
        a = self.scores[CHAINED]
        b = self.scores[DIRECT]
        out = paired_bootstrap(y, a, b, metric="mae", n_boot=n_boot, seed=self.seed, groups=self.groups)
        out["mae_chained"] = float(np.mean(np.abs(a - y)))
        out["mae_direct"] = float(np.mean(np.abs(b - y)))
        return out

    def result_rows(
        self,
        *,
        dataset: str,
        split: str,
        threshold: float,
        frac: float,
        n_boot: int,
        features: str = "Magpie composition + pressure",
    ) -> list[dict]:
        """Precision, recall and DAF of every ranking at (threshold, frac), and the 95 % coverage
        of each Tc route and of the training-range baseline: one keyword dict per row of the
        results store (``reviewlib.book.results.record(**row)``; science modules do not import it).
        """
        rows: list[dict] = []

        tab = self.table(threshold=threshold, frac=frac, n_boot=n_boot)
        n = len(self.frame)
        n_train = int(round(n * (1 - 1 / (self.fold.max() + 1))))
        target = f"Tc >= {threshold:g} K in the top {frac:.1%}"
        for name, r in tab.iterrows():
            common = dict(
                dataset=dataset,
                target=target,
                split=split,
                features=features,
                model=name,
                baseline=name == RANDOM,
                n_train=n_train,
                n_test=n,
            )
            note = f"k = {r['k']}; prevalence {r['prevalence']:.3f}"
            rows.append(
                dict(
                    metric="precision",
                    value=r["precision@k"],
                    ci_low=r["CI low"],
                    ci_high=r["CI high"],
                    uncertainty_kind="95% cluster bootstrap (groups resampled)",
                    note=note,
                    **common,
                )
            )
            rows.append(dict(metric="recall", value=r["recall@k"], note=note, **common))
            rows.append(
                dict(
                    metric="daf",
                    value=r["DAF"],
                    ci_low=r["CI low"] / r["prevalence"],
                    ci_high=r["CI high"] / r["prevalence"],
                    uncertainty_kind="95% cluster bootstrap (groups resampled)",
                    note=note,
                    **common,
                )
            )
        cov = self.coverage()
        for label, is_base in (
            ("Tc chained (K)", False),
            ("Tc direct (K)", False),
            ("Tc ensemble (K)", False),
            ("Tc, training 2.5-97.5 % range (baseline)", True),
        ):
            rows.append(
                dict(
                    dataset=dataset,
                    target="Tc",
                    unit="K",
                    split=split,
                    features="training Tc only" if is_base else features,
                    model="training 2.5-97.5 % range" if is_base else label,
                    baseline=is_base,
                    metric="coverage",
                    value=float(cov.loc[label, "95 %"]),
                    n_train=n_train,
                    n_test=n,
                    note=f"95 % interval, nominal 0.95; per fold {cov.loc[label, '95 % per fold (min-max)']}",
                )
            )
        return rows


def retrospectives(
    X: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    alternatives: Mapping[str, Mapping[str, object]],
    rounds: int,
    n_draws: int,
    n_splits: int = 5,
    n_jobs: int = 1,
) -> dict[str, Retrospective]:
    """Several :class:`Retrospective` tests of one table, fitted in one joblib batch.

    ``alternatives`` maps a name to its ``groups`` and ``seed`` (e.g. other seeds, another
    grouping). Every outer fold of every alternative is one task, so ``n_jobs`` workers stay busy
    across alternatives (the models are single-threaded: no nested parallelism). Each test is the
    one ``Retrospective(X, frame, groups=..., seed=..., rounds=..., n_draws=...)`` gives:
    the results do not depend on ``n_jobs`` or on the order of the alternatives.
    """
    plans = {}
    for name, alt in alternatives.items():
        unknown = set(alt) - {"groups", "seed"}
        if unknown or "groups" not in alt or "seed" not in alt:
            raise ValueError(
                f"retrospectives: alternative {name!r} needs exactly 'groups' and 'seed', got {sorted(alt)}"
            )
        plans[name] = _fold_jobs(
            X=X.to_numpy(float),
            frame=frame,
            groups=alt["groups"],
            seed=int(alt["seed"]),
            n_splits=n_splits,
            rounds=rounds,
            kind="xgb",
            n_draws=n_draws,
        )
    jobs = [job for fold_jobs, _ in plans.values() for job in fold_jobs]
    parts = iter(_run(jobs, n_jobs))
    out = {}
    for name, (fold_jobs, folds) in plans.items():
        summ, fold = _assemble([next(parts) for _ in fold_jobs], folds, len(frame))
        alt = alternatives[name]
        out[name] = Retrospective._from_folds(
            X, frame, groups=alt["groups"], seed=int(alt["seed"]), summ=summ, fold=fold
        )
    return out


def _pooled_table(**kw) -> pd.DataFrame:
    return cluster_bootstrap_top_k(**kw).set_index("ranking")


def pooled_many(
    requests: Sequence[tuple[Retrospective, float, float]],
    *,
    n_boot: int,
    n_jobs: int = 1,
) -> None:
    """Compute the cluster bootstraps of several (test, threshold, frac) choices through joblib
    and keep them in each test, so that the following :meth:`Retrospective.pooled`,
    :meth:`~Retrospective.table` and :meth:`~Retrospective.claim_values` calls at those choices
    reuse them. Each bootstrap is seeded by its test's ``seed``: the tables are the ones
    :meth:`Retrospective.pooled` computes one by one, whatever ``n_jobs``. Choices already
    computed are skipped; only the rankings and labels travel to the workers.
    """
    todo: dict[tuple, tuple[Retrospective, dict]] = {}
    for retro, threshold, frac in requests:
        key = (float(threshold), float(frac), int(n_boot))
        if key not in retro._pooled and (id(retro), key) not in todo:
            args = retro._pooled_args(threshold=threshold, frac=frac, n_boot=n_boot)
            todo[(id(retro), key)] = (retro, args)
    jobs = [(_pooled_table, (), args) for _, args in todo.values()]
    for ((_, key), (retro, _)), table in zip(todo.items(), _run(jobs, n_jobs), strict=True):
        retro._pooled[key] = table


def _cov(y, lo, hi) -> float:
    from reviewlib.pipeline.uncertainty import coverage

    return coverage(np.asarray(y, float), np.asarray(lo, float), np.asarray(hi, float))
