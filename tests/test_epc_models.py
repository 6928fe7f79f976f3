"""GPR calibration on synthetic data, chained Tc against the formulas, bootstrap intervals."""

import numpy as np
import pytest

from reviewlib import epc_models as E
from reviewlib import tc


def test_gpr_learns_and_is_calibrated():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(1000, 2))
    y = np.sin(X[:, 0]) + 0.1 * X[:, 1] ** 2 + rng.normal(0, 0.1, 1000)
    model = E.make_gpr(n_features=2, seed=0).fit(X[:200], y[:200])
    mean, std = E.gpr_predict(model, X[200:])
    base = E.baseline_predictions(y[:200], 800, kind="mean")
    assert np.mean(np.abs(mean - y[200:])) < 0.5 * np.mean(np.abs(base - y[200:]))
    cov = E.interval_coverage(y[200:], mean, std)
    assert 0.6 < cov["68%"] < 0.76 and 0.9 < cov["95%"] < 0.99


def test_chained_tc_matches_formulas_and_clips():
    lam, wlog = np.array([1.0, 0.05, -0.2]), np.array([1000.0, 300.0, -5.0])
    ad = E.chained_tc(lam, omega_log_K=wlog, mu_star=0.10)
    # digest sanity table: McMillan 69.64 K, Allen-Dynes f1 = 1.0507 at lambda 1, mu* 0.1
    assert ad[0] == pytest.approx(69.64 * 1.0507, rel=2e-3)
    assert E.chained_tc(lam, omega_log_K=wlog, formula="mcmillan")[0] == pytest.approx(69.64, rel=1e-3)
    assert ad[1] == 0.0 and ad[2] == 0.0
    assert ad[0] == pytest.approx(tc.allen_dynes_tc(1.0, omega_log_K=1000.0, omega_2_K=None))
    with pytest.raises(ValueError, match="formula"):
        E.chained_tc(lam, omega_log_K=wlog, formula="xie")


def test_bootstrap_intervals():
    rng = np.random.default_rng(1)
    y = rng.normal(10, 3, 400)
    good, bad = y + rng.normal(0, 1, 400), y + rng.normal(0, 3, 400)
    res = E.bootstrap_metric(y, good, seed=0)
    assert res["low"] < res["value"] < res["high"]
    assert res["value"] == pytest.approx(np.mean(np.abs(good - y)))
    assert 0.6 < res["value"] < 1.0
    diff = E.paired_bootstrap_difference(y, bad, good, seed=0)
    assert diff["low"] > 0 and diff["frac_a_worse"] > 0.99
    with pytest.raises(ValueError, match="at least 2"):
        E.bootstrap_metric([1.0], [1.0], seed=0)


def test_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        E.baseline_predictions([], 3)
    with pytest.raises(ValueError, match="std"):
        E.interval_coverage([1.0], [1.0], [-1.0])
    with pytest.raises(ValueError, match="metric"):
        E.bootstrap_metric([1.0, 2.0], [1.0, 2.0], metric="mape", seed=0)
