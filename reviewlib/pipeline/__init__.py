"""The review's Fig. 1 pipeline run forward, with uncertainty: structure -> (lambda, omega_log) -> Tc.

* :mod:`~reviewlib.pipeline.uncertainty` -- :class:`IntervalModel`, calibrated predictive intervals.
* :mod:`~reviewlib.pipeline.route` -- :class:`CouplingTc`: lambda, omega_log, Tc models and the
  Monte Carlo chained / direct / ensemble Tc (Allen-Dynes, mu* over 0.10-0.13).
* :mod:`~reviewlib.pipeline.discovery` -- precision and recall at k, DAF, cluster bootstrap,
  grouped retrospective predictions.
* :mod:`~reviewlib.pipeline.structure` -- candidate structures by substitution, relaxed with
  CHGNet, and a harmonic dynamical-stability check.
* :mod:`~reviewlib.pipeline.bundle` -- saved models with a model card.
* :mod:`~reviewlib.pipeline.predict` -- :func:`~reviewlib.pipeline.predict.predict` (importable
  from here too; on these pages ``reviewlib.pipeline.predict`` names the module).
"""

from __future__ import annotations

from reviewlib.pipeline.bundle import Bundle, ModelError, fit_bundle, load_bundle, save_bundle
from reviewlib.pipeline.predict import predict as predict  # re-export, kept out of __all__
from reviewlib.pipeline.route import CouplingTc, summarise
from reviewlib.pipeline.uncertainty import IntervalModel, coverage

__all__ = [
    "Bundle",
    "CouplingTc",
    "IntervalModel",
    "ModelError",
    "coverage",
    "fit_bundle",
    "load_bundle",
    "save_bundle",
    "summarise",
]
