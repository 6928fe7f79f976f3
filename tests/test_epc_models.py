"""GPR calibration on synthetic data, chained Tc against the formulas, bootstrap intervals."""

import numpy as np
import pytest

from reviewlib import epc_models as E
from reviewlib import evaluation as ev
from reviewlib import tc


def test_gpr_learns_and_is_calibrated():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(1000, 2))
    y = np.sin(X[:, 0]) + 0.1 * X[:, 1] ** 2 + rng.normal(0, 0.1, 1000)
    model = E.make_gpr(n_features=2, seed=0).fit(X[:200], y[:200])
    mean, std = E.gpr_predict(model, X[200:])
    base = ev.baseline_predictions(y[:200], 800, kind="mean")
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
    res = ev.bootstrap_metric(y, good, seed=0)
    assert res["low"] < res["value"] < res["high"]
    assert res["value"] == pytest.approx(np.mean(np.abs(good - y)))
    assert 0.6 < res["value"] < 1.0
    diff = ev.paired_bootstrap(y, bad, good, seed=0)
    assert diff["low"] > 0 and diff["frac_a_worse"] > 0.99
    with pytest.raises(ValueError, match="at least 2"):
        ev.bootstrap_metric([1.0], [1.0], seed=0)


def test_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        ev.baseline_predictions([], 3)
    with pytest.raises(ValueError, match="std"):
        E.interval_coverage([1.0], [1.0], [-1.0])
    with pytest.raises(ValueError, match="metric"):
        ev.bootstrap_metric([1.0, 2.0], [1.0, 2.0], metric="mape", seed=0)


def test_beats_baseline_needs_the_whole_interval_below_zero():
    rng = np.random.default_rng(0)
    y = rng.normal(10.0, 3.0, 300)
    good = y + rng.normal(0, 0.5, 300)
    base = np.full_like(y, y.mean())
    assert ev.paired_gain(y, good, base, metric="mae", n_boot=500, seed=1)["verdict"] == "beats"
    same = ev.paired_gain(y, base + rng.normal(0, 1e-3, 300), base, metric="mae", n_boot=500, seed=1)
    assert same["verdict"] != "beats" and same["low"] <= 0


def test_fluorite_dihydride_unrelaxed_cell():
    s = E.fluorite_dihydride("Cr", a_A=4.0, relax=False)
    assert s.composition.reduced_formula == "CrH2" and len(s) == 3
    assert s.volume == pytest.approx(4.0**3 / 4)  # fcc primitive cell: a^3 / 4
    with pytest.raises(ValueError, match="a_A"):
        E.fluorite_dihydride("Cr", a_A=0.0, relax=False)


def test_phonon_free_descriptors_masses_and_h_fraction():
    crh2 = E.fluorite_dihydride("Cr", relax=False)
    h2 = E.fluorite_dihydride("Cr", relax=False).copy()
    h2.replace_species({"Cr": "H"})
    d = E.phonon_free_descriptors([crh2, h2], dos_ef=[1.0, 2.0], debye_temperature_K=[400, 900])
    assert list(d.columns) == [*E.PHONON_FREE, "Debye T (K)"]
    cr, h = 51.9961, 1.00794
    assert d.loc[0, "mean mass (amu)"] == pytest.approx((cr + 2 * h) / 3, rel=1e-4)
    assert d.loc[0, "mean non-H mass (amu)"] == pytest.approx(cr, rel=1e-4)
    assert d.loc[0, "H fraction"] == pytest.approx(2 / 3)
    assert d.loc[1, "H fraction"] == 1.0 and d.loc[1, "mean non-H mass (amu)"] == pytest.approx(h, rel=1e-3)
    with pytest.raises(ValueError, match="structures"):
        E.phonon_free_descriptors([crh2], dos_ef=[1.0, 2.0], debye_temperature_K=[1.0])
