"""The evaluation core: group labels, named splits, out-of-fold predictions with baselines, the
bootstrap (percentile, paired, cluster, seed variance; one group draw, :func:`draw_groups`, for
every resampler in the package), metrics, seed ensembles and robustness over equally defensible
alternatives.

Everything that scores a model goes through here; :mod:`reviewlib.models`,
:mod:`reviewlib.epc_models` and :mod:`reviewlib.synthesis`
keep their names as thin users of it. Split names are the results store's: ``"random"``,
``"grouped by <what>"``, ``"leave one <what> out"``; baselines are ``"training mean"``,
``"training median"`` (regression) and ``"majority class"``.

>>> from reviewlib import evaluation as ev
>>> groups = ev.group_labels("chemical system", formulas)            # doctest: +SKIP
>>> res = ev.out_of_fold(factory, X, y, split="grouped by chemical system", groups=groups,
...                      seed=0, seeds=[0, 1, 2])                      # doctest: +SKIP
>>> ev.bootstrap_metric(y, res.oof, groups=groups, seed=0,
...                     seed_predictions=list(res.seed_oof))           # doctest: +SKIP
"""

from reviewlib.evaluation.baselines import (
    ALIASES,
    BASELINE_MODELS,
    BASELINES,
    CLASSIFICATION_BASELINES,
    REGRESSION_BASELINES,
    baseline_predictions,
    baseline_value,
    canonical,
    is_baseline,
    make_baseline,
)
from reviewlib.evaluation.bootstrap import (
    bootstrap_metric,
    cluster_resample_indices,
    draw_groups,
    metrics_table,
    paired_bootstrap,
    paired_gain,
)
from reviewlib.evaluation.groups import (
    GROUPINGS,
    chemical_system_groups,
    composition_groups,
    compound_groups,
    element_groups,
    group_labels,
    parent_structure_groups,
)
from reviewlib.evaluation.metrics import (
    CLASSIFICATION_METRICS,
    LOWER_IS_BETTER,
    REGRESSION_METRICS,
    classification_metrics,
    metric_function,
    regression_metrics,
)
from reviewlib.evaluation.oof import (
    OOFResult,
    build,
    fit_predict_many,
    is_factory,
    out_of_fold,
    out_of_fold_many,
)
from reviewlib.evaluation.robustness import (
    alternatives,
    param_choices,
    seed_choices,
    split_choices,
    within_one_se,
)
from reviewlib.evaluation.splits import holdout, make_splitter, split_indices, split_kind, split_name

__all__ = [
    "ALIASES",
    "BASELINES",
    "BASELINE_MODELS",
    "CLASSIFICATION_BASELINES",
    "CLASSIFICATION_METRICS",
    "GROUPINGS",
    "LOWER_IS_BETTER",
    "REGRESSION_BASELINES",
    "REGRESSION_METRICS",
    "OOFResult",
    "SeedEnsemble",
    "alternatives",
    "baseline_predictions",
    "baseline_value",
    "bootstrap_metric",
    "build",
    "canonical",
    "chemical_system_groups",
    "classification_metrics",
    "cluster_resample_indices",
    "composition_groups",
    "compound_groups",
    "draw_groups",
    "element_groups",
    "fit_predict_many",
    "group_labels",
    "holdout",
    "is_baseline",
    "is_factory",
    "make_baseline",
    "make_splitter",
    "metric_function",
    "metrics_table",
    "out_of_fold",
    "out_of_fold_many",
    "paired_bootstrap",
    "paired_gain",
    "param_choices",
    "parent_structure_groups",
    "regression_metrics",
    "seed_choices",
    "split_choices",
    "split_indices",
    "split_kind",
    "split_name",
    "within_one_se",
]


def __getattr__(name: str):
    # SeedEnsemble subclasses scikit-learn's BaseEstimator: imported on first use, so that
    # importing the core (results, hydrides, the CLI) does not import scikit-learn
    if name == "SeedEnsemble":
        from reviewlib.evaluation.ensemble import SeedEnsemble

        return SeedEnsemble
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
