"""Line fits and correlations with cluster-bootstrap intervals (reviewlib.evaluation.linefit)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewlib.evaluation import linefit as lf


def test_exact_line_is_recovered_with_a_zero_width_interval():
    x = np.linspace(0.1, 0.5, 12)
    fit = lf.line_fit(x, 750 * x - 85, seed=0, n_boot=200)
    assert fit["slope"] == pytest.approx(750) and fit["intercept"] == pytest.approx(-85)
    assert fit["slope_low"] == pytest.approx(750) and fit["slope_high"] == pytest.approx(750)


def test_noisy_line_interval_covers_the_truth_and_theil_sen_resists_an_outlier():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 0.5, 60)
    y = 500 * x - 10 + rng.normal(0, 20, 60)
    fit = lf.line_fit(x, y, seed=0, n_boot=500)
    assert fit["slope_low"] < 500 < fit["slope_high"]
    y_out = y.copy()
    y_out[np.argmax(x)] = -500.0
    assert abs(lf.line_fit(x, y_out, method="theil-sen", seed=0, n_boot=100)["slope"] - 500) < abs(
        lf.line_fit(x, y_out, seed=0, n_boot=100)["slope"] - 500
    )


def test_cluster_bootstrap_is_wider_when_groups_are_duplicates():
    rng = np.random.default_rng(2)
    x0 = rng.uniform(0, 1, 10)
    y0 = x0 + rng.normal(0, 0.3, 10)
    x, y = np.repeat(x0, 5), np.repeat(y0, 5)
    rows = lf.correlation(x, y, seed=0, n_boot=500)
    grouped = lf.correlation(x, y, groups=np.repeat(np.arange(10), 5), seed=0, n_boot=500)
    assert grouped["high"] - grouped["low"] > rows["high"] - rows["low"]


def test_paired_difference_is_zero_for_the_same_descriptor_and_permutation_p_detects_signal():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, 40)
    y = x + rng.normal(0, 0.1, 40)
    d = lf.paired_correlation_difference(x, x, y, seed=0, n_boot=200)
    assert d["diff"] == 0 and d["low"] == 0 and d["high"] == 0
    assert lf.permutation_p(x, y, seed=0, n_perm=200) < 0.01
    assert lf.permutation_p(x, rng.permutation(y), seed=0, n_perm=200) > 0.01
    # on group means: 40 points in 4 groups give a 4-point test, which cannot reach p < 0.01
    g = np.repeat(np.arange(4), 10)
    assert lf.permutation_p(x, y, groups=g, seed=0, n_perm=200) > 1 / 201


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=30), st.floats(-10, 10), st.floats(-100, 100))
def test_ols_line_is_exact_on_any_line(xs, a, b):
    x = np.asarray(xs)
    if np.ptp(x) < 1e-3:
        return
    fit = lf.line_fit(x, a * x + b, seed=0, n_boot=20)
    assert fit["slope"] == pytest.approx(a, abs=1e-6 * (1 + abs(a)))


def test_a_constant_descriptor_has_no_correlation():
    out = lf.correlation([0.6, 0.6, 0.6, 0.6], [1.0, 2.0, 3.0, 5.0], seed=0, n_boot=50)
    assert all(np.isnan(v) for v in out.values())


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="equal length"):
        lf.line_fit([1, 2, 3], [1, 2], seed=0)
    with pytest.raises(ValueError, match="at least 3"):
        lf.correlation([1, 2], [1, 2], seed=0)
    with pytest.raises(ValueError, match="finite"):
        lf.line_fit([1, 2, np.nan], [1, 2, 3], seed=0)
    with pytest.raises(ValueError, match="method"):
        lf.line_fit([1, 2, 3], [1, 2, 3], method="lasso", seed=0)


def test_resamples_are_the_ones_published_before_the_shared_resampler():
    """Pinned on the commit before linefit drew from ``cluster_resample_indices`` (issue 25):
    the shared resampler must draw exactly the resamples the chapter-10 numbers came from.
    """
    rng = np.random.default_rng(2024)
    x = rng.normal(size=30)
    y = 3 * x + rng.normal(size=30)
    groups = [f"sys{k}" for k in rng.integers(0, 9, 30)]
    f = lf.line_fit(x, y, groups=groups, n_boot=300, seed=5)
    c = lf.correlation(x, y, kind="spearman", groups=groups, n_boot=300, seed=6)
    d = lf.paired_correlation_difference(x, x + rng.normal(size=30), y, n_boot=300, seed=7)
    got = [f["slope_low"], f["slope_high"], f["intercept_low"], f["intercept_high"]]
    assert got == pytest.approx(
        [2.7356779557593565, 3.5113921230637732, -0.23662280410034905, 0.4688793963610681], rel=1e-12
    )
    assert [c["low"], c["high"]] == pytest.approx([0.9002146420698456, 0.9734609962406013], rel=1e-12)
    assert [d["low"], d["high"]] == pytest.approx([0.08069613215365135, 0.37476536371205277], rel=1e-12)
