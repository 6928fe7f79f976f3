"""Regression with calibrated predictive intervals: a base model plus split-conformal scaling.

:class:`IntervalModel` wraps a base regressor that gives a mean (``kind="xgb"``: xgboost from
:func:`reviewlib.models.make_model`; ``kind="gpr"``: the GPR of :func:`reviewlib.epc_models.make_gpr`,
which also gives a standard deviation) and learns a *local scale* sigma(x): for xgboost a second,
shallow xgboost fitted to the log absolute out-of-fold residuals; for the GPR its own predictive
standard deviation. The normalised out-of-fold residuals ``r / sigma`` (cross-fitted, grouped when
groups are given) define an empirical quantile function Q, so the predictive distribution of a
new point is ``mean(x) + sigma(x) * Q(u)``, u uniform (normalised conformal regression, Lei et al.
2018, JASA 113, 1094). Intervals are therefore calibrated on held-out groups of the training data
by construction; whether they stay calibrated on new chemical systems is what the chapter checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reviewlib.evaluation.oof import out_of_fold
from reviewlib.evaluation.splits import split_indices

#: probabilities at which the normalised-residual quantile function is stored
QUANTILE_GRID = np.linspace(0.0, 1.0, 201)
KINDS = ("xgb", "gpr")


@dataclass
class IntervalModel:
    """Mean model + local scale + conformal quantiles of the normalised residuals (see module).

    Args:
        kind: ``"xgb"`` (any size) or ``"gpr"`` (small sets: cost grows as n^3).
        rounds: xgboost boosting rounds of the mean model (the scale model uses a third, depth 3).
        seed: seeds the folds and the models.
    """

    kind: str = "xgb"
    rounds: int = 300
    seed: int = 0
    mean_model: Any = None
    scale_model: Any = None
    quantiles: np.ndarray = field(default_factory=lambda: np.zeros(len(QUANTILE_GRID)))
    n_train: int = 0
    oof_score: np.ndarray | None = None  # normalised out-of-fold residuals r / sigma (training rows)

    def _new_mean(self, n_features: int):
        if self.kind == "xgb":
            from reviewlib.models import make_model

            return make_model("xgbr", seed=self.seed, n_estimators=self.rounds)
        if self.kind == "gpr":
            from reviewlib.epc_models import make_gpr

            return make_gpr(n_features=n_features, seed=self.seed, ard=False)
        raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")

    def _new_scale(self):
        from reviewlib.models import make_model

        return make_model("xgbr", seed=self.seed, n_estimators=max(50, self.rounds // 3), max_depth=3)

    def _mean_sigma(self, mean_model, scale_model, X) -> tuple[np.ndarray, np.ndarray]:
        if self.kind == "gpr":
            from reviewlib.epc_models import gpr_predict

            mean, std = gpr_predict(mean_model, X)
            return mean, np.maximum(std, 1e-6)
        mean = np.asarray(mean_model.predict(X), dtype=float)
        sigma = np.exp(np.asarray(scale_model.predict(X), dtype=float))
        return mean, np.maximum(sigma, 1e-6)

    def fit(self, X, y, *, groups=None, n_splits: int = 3) -> IntervalModel:
        """Fit on ``X`` (n x d) and ``y`` (n,); ``groups`` (e.g. chemical systems) keep the
        calibration folds grouped, so the intervals are calibrated for unseen groups.

        The ``n_splits`` calibration folds are the core's
        (:func:`reviewlib.evaluation.split_indices` seeded by ``seed``): ``"grouped"`` when
        ``groups`` has at least ``n_splits`` distinct labels, else ``"random"``.
        """
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        if X.ndim != 2 or len(X) != len(y) or not (np.isfinite(X).all() and np.isfinite(y).all()):
            raise ValueError(f"IntervalModel.fit: X {X.shape} and y {y.shape} must be finite, same length")
        if len(y) < 3 * n_splits:
            raise ValueError(f"IntervalModel.fit: {len(y)} rows are too few for {n_splits} calibration folds")
        g = None if groups is None else np.asarray(groups, dtype=object)
        # calibration folds: grouped when there are enough groups, else random (the core's folds)
        grouped = g is not None and len(set(g)) >= n_splits
        splits = split_indices(
            "grouped" if grouped else "random",
            n_rows=len(y),
            n_splits=n_splits,
            seed=self.seed,
            groups=g if grouped else None,
        )
        d = X.shape[1]
        if self.kind == "xgb":
            # cross-fitted means and scales (the core's out_of_fold): no residual scores itself
            oof = out_of_fold(lambda _: self._new_mean(d), X, y, splits=splits, seed=self.seed).oof
            resid = y - oof
            target = np.log(np.abs(resid) + 1e-3 * (np.std(y) + 1e-12))
            log_sig = out_of_fold(lambda _: self._new_scale(), X, target, splits=splits, seed=self.seed).oof
            # xgboost predicts float32 and the calibration has always taken exp in float32
            # (predict() takes it in float64: a ~1e-7 relative difference, kept so that the
            # published numbers do not move); out_of_fold's float64 copy converts back exactly
            sig_oof = np.exp(log_sig.astype(np.float32)).astype(float)
            self.scale_model = self._new_scale().fit(X, target)
        else:
            # the GPR's own predictive std of each fold model: out_of_fold keeps predictions, not
            # the fold models, so they are fitted here, on the same core folds
            oof, sig_oof = np.empty(len(y)), np.empty(len(y))
            for train, test in splits:
                m = self._new_mean(d).fit(X[train], y[train])
                oof[test], sig_oof[test] = self._mean_sigma(m, None, X[test])
            resid = y - oof
        score = resid / np.maximum(sig_oof, 1e-6)
        self.quantiles = np.quantile(score, QUANTILE_GRID)
        self.oof_score = score
        self.mean_model = self._new_mean(d).fit(X, y)
        self.n_train = len(y)
        return self

    def predict(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Point prediction (mean model) and local scale sigma (unit of y) for ``X``."""
        if self.mean_model is None:
            raise RuntimeError("IntervalModel is not fitted")
        return self._mean_sigma(self.mean_model, self.scale_model, np.asarray(X, dtype=float))

    def interval(self, X, *, level: float) -> tuple[np.ndarray, np.ndarray]:
        """Central ``level`` predictive interval (low, high) in the unit of y."""
        if not 0 < level < 1:
            raise ValueError(f"level must lie in (0, 1), got {level}")
        mean, sigma = self.predict(X)
        q_lo, q_hi = np.interp([(1 - level) / 2, (1 + level) / 2], QUANTILE_GRID, self.quantiles)
        return mean + sigma * q_lo, mean + sigma * q_hi

    def sample(self, X, *, n_draws: int, rng: np.random.Generator, u=None) -> np.ndarray:
        """``n_draws`` draws of y per row from the predictive distribution: shape (n, n_draws).

        ``u`` (n, n_draws) in (0, 1): the probabilities to draw at (e.g. from a copula, to draw
        two targets jointly); None draws them uniformly from ``rng``.
        """
        mean, sigma = self.predict(X)
        if u is None:
            u = rng.random((len(mean), n_draws))
        u = np.asarray(u, dtype=float)
        if u.shape != (len(mean), n_draws):
            raise ValueError(f"u has shape {u.shape}, expected {(len(mean), n_draws)}")
        return mean[:, None] + sigma[:, None] * np.interp(u, QUANTILE_GRID, self.quantiles)


def coverage(y_true, low, high) -> float:
    """Fraction of ``y_true`` inside [low, high] (a calibrated 95 % interval gives about 0.95)."""
    y, lo, hi = (np.asarray(a, dtype=float) for a in (y_true, low, high))
    if not (y.shape == lo.shape == hi.shape):
        raise ValueError("coverage: arrays differ in shape")
    return float(np.mean((y >= lo) & (y <= hi)))
