"""A seed ensemble: the same model fitted with several seeds, predictions averaged.

Neural networks and other models with a random initialisation give different predictions per
seed; averaging a few seeds is a cheap, honest way to report the model rather than one draw.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin


class SeedEnsemble(RegressorMixin, BaseEstimator):
    """Average of ``factory(s)`` fitted for every ``s`` in ``seeds`` (a scikit-learn regressor).

    ``factory(seed) -> estimator``; ``seeds``: the model seeds (e.g. ``range(seed, seed + 5)``).
    ``quiet`` silences scikit-learn's ``ConvergenceWarning`` while fitting, also inside joblib
    workers (where a notebook's warning filters do not reach). :meth:`predict` is the mean over
    seeds, :meth:`predict_all` the per-seed predictions (seeds first) for a bootstrap that covers
    seed variance (:func:`reviewlib.evaluation.bootstrap_metric`), :meth:`predict_std` their
    standard deviation.
    """

    def __init__(
        self, factory: Callable[[int], object], seeds: Sequence[int] = (0, 1, 2), quiet: bool = True
    ):
        self.factory = factory
        self.seeds = seeds
        self.quiet = quiet

    def fit(self, X, y, **fit_params):
        """Fit one model per seed on the same data (``fit_params`` go to every fit)."""
        from sklearn.exceptions import ConvergenceWarning

        seeds = [int(s) for s in self.seeds]
        if not seeds:
            raise ValueError("SeedEnsemble needs at least one seed")
        with warnings.catch_warnings():
            if self.quiet:
                warnings.simplefilter("ignore", ConvergenceWarning)
            self.models_ = [self.factory(s).fit(X, y, **fit_params) for s in seeds]
        return self

    def predict_all(self, X) -> np.ndarray:
        """Predictions of every seed's model, shape (seeds, rows[, targets])."""
        return np.asarray([m.predict(X) for m in self.models_])

    def predict(self, X) -> np.ndarray:
        """Mean over seeds of the predictions (unit of the target)."""
        return np.mean([m.predict(X) for m in self.models_], axis=0)

    def predict_std(self, X) -> np.ndarray:
        """Standard deviation over seeds (ddof = 0) of the predictions, unit of the target."""
        return self.predict_all(X).std(axis=0)
