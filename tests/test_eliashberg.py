"""Validation of reviewlib.tc.eliashberg against exact limits, experiment and fitted formulas."""

import math

import numpy as np
import pandas as pd
import pytest

from reviewlib.tc.eliashberg import (
    Spectrum,
    build_dataset,
    einstein_spectrum,
    eliashberg_solve,
    eliashberg_tc,
    matsubara_cutoff,
    random_spectra,
    three_gaussian_spectrum,
)
from reviewlib.units import K_PER_MEV

C_INF = 0.1827262477  # strong-coupling constant, Allen & Dynes 1975; Kiessling et al. 2024
BCS_PREFACTOR = 2 * math.exp(0.5772156649015329) / math.pi  # 1.1339


def _allen_dynes(lam, wlog, w2, mu):
    l1 = 2.46 * (1 + 3.8 * mu)
    l2 = 1.82 * (1 + 6.3 * mu) * (w2 / wlog)
    f1 = (1 + (lam / l1) ** 1.5) ** (1 / 3)
    f2 = 1 + (w2 / wlog - 1) * lam**2 / (lam**2 + l2**2)
    return f1 * f2 * wlog / 1.2 * math.exp(-1.04 * (1 + lam) / (lam - mu * (1 + 0.62 * lam)))


# --- spectra and moments ----------------------------------------------------------------------


def test_moments_of_linear_spectrum_are_analytic():
    # a2F = c w on [w1, w2]: a2F/w constant, so lam = 2 c (w2 - w1) exactly,
    # omega_log = exp(<ln w>) and omega_2^2 = <w^2> with a uniform weight on [w1, w2]
    w1, w2, c = 20.0, 300.0, 0.004
    w = np.linspace(w1, w2, 4001)
    s = Spectrum(omega_K=w, a2f=c * w)
    assert s.lam == pytest.approx(2 * c * (w2 - w1), rel=1e-12)
    wlog = math.exp((w2 * math.log(w2) - w1 * math.log(w1)) / (w2 - w1) - 1)
    assert s.omega_log_K == pytest.approx(wlog, rel=1e-6)
    assert s.omega_2_K == pytest.approx(math.sqrt((w2**3 - w1**3) / (3 * (w2 - w1))), rel=1e-6)
    assert s.omega_top_K == w2
    assert w2 - (w[1] - w[0]) < s.omega_max_K < w2  # the extent: 1 - 1e-6 of lambda lies below


def test_einstein_and_three_gaussian_moments():
    s = einstein_spectrum(omega_E_K=250.0, lam=1.3)
    assert s.lam == pytest.approx(1.3, rel=1e-12)
    assert s.omega_log_K == pytest.approx(250.0, rel=1e-3)
    assert s.omega_2_K == pytest.approx(250.0, rel=1e-3)
    assert 250.0 < s.omega_max_K < 250.0 * 1.031
    g = three_gaussian_spectrum(centers_K=[100, 300, 600], widths_K=[10, 20, 30], weights=[1, 1, 1], lam=2.0)
    assert g.lam == pytest.approx(2.0, rel=1e-12)
    assert g.omega_log_K < g.omega_2_K < g.omega_max_K <= 690.0
    assert np.all(g.a2f >= 0)


def test_from_arrays_converts_units():
    s = Spectrum.from_arrays([1.0, 2.0, 3.0], [0.0, 1.0, 0.0], units="meV")
    np.testing.assert_allclose(s.omega_K, np.array([1.0, 2.0, 3.0]) * K_PER_MEV)
    assert s.omega_max_K == pytest.approx(2 * K_PER_MEV)
    with pytest.raises(ValueError, match="unknown unit"):
        Spectrum.from_arrays([1.0, 2.0], [1.0, 1.0], units="GHz")


@pytest.mark.parametrize(
    ("omega", "a2f", "match"),
    [
        ([1.0, 2.0, 3.0], [0.1, -0.1, 0.1], ">= 0"),
        ([1.0, 2.0, 3.0], [0.1, np.nan, 0.1], "NaN"),
        ([1.0, np.inf, 3.0], [0.1, 0.1, 0.1], "NaN or inf"),
        ([1.0, 3.0, 2.0], [0.1, 0.1, 0.1], "strictly increasing"),
        ([1.0, 1.0, 2.0], [0.1, 0.1, 0.1], "strictly increasing"),
        ([0.0, 1.0, 2.0], [0.1, 0.1, 0.1], "positive"),
        ([1.0, 2.0], [0.1, 0.1, 0.1], "differ in length"),
        ([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], "zero everywhere"),
    ],
)
def test_spectrum_rejects_bad_input(omega, a2f, match):
    with pytest.raises(ValueError, match=match):
        Spectrum(omega_K=np.array(omega), a2f=np.array(a2f))


def test_spectrum_is_immutable():
    s = einstein_spectrum(omega_E_K=100.0, lam=1.0)
    with pytest.raises(ValueError):
        s.a2f[0] = 1.0


@pytest.mark.parametrize("mu", [-0.1, float("nan"), float("inf")])
def test_tc_rejects_bad_mu_star(mu):
    s = einstein_spectrum(omega_E_K=100.0, lam=1.0)
    with pytest.raises(ValueError, match="mu_star"):
        eliashberg_tc(s, mu_star=mu)


def test_tc_rejects_bad_options():
    s = einstein_spectrum(omega_E_K=100.0, lam=1.0)
    with pytest.raises(ValueError, match="mu_convention"):
        eliashberg_tc(s, mu_convention="epw")
    with pytest.raises(ValueError, match="cutoff"):
        eliashberg_tc(s, cutoff=-1.0)
    with pytest.raises(TypeError):
        eliashberg_tc(np.ones(3))


# --- exact limits ---------------------------------------------------------------------------------


def test_strong_coupling_limit_converges_to_0_1827():
    """Tc -> 0.1827 sqrt(lam <w^2>) for lam -> infinity at mu* = 0 (Allen & Dynes 1975)."""
    ratios = []
    for lam in (10.0, 100.0, 1000.0, 10000.0):
        s = einstein_spectrum(omega_E_K=100.0, lam=lam)
        ratios.append(eliashberg_tc(s, mu_star=0.0, rtol=1e-6) / (s.omega_2_K * math.sqrt(lam)))
    assert np.all(np.diff(ratios) > 0)  # monotone approach from below
    assert abs(ratios[0] / C_INF - 1) > 0.02  # lam = 10 is not yet asymptotic
    assert ratios[2] == pytest.approx(C_INF, rel=2e-3)
    assert ratios[3] == pytest.approx(C_INF, rel=2e-4)


def test_weak_coupling_limit_prefactor():
    """Einstein, mu* = 0: Tc = A omega_E exp(-(1 + lam)/lam) with A -> 1.134/sqrt(e) = 0.688 as lam -> 0.

    This is the exact weak-coupling limit of Eliashberg theory (Marsiglio 2018); the BCS value
    1.134 is NOT the limit. We extrapolate A(lam) linearly to lam = 0 from lam = 0.15..0.25.
    """
    lams = np.array([0.15, 0.2, 0.25])
    pref = []
    for lam in lams:
        s = einstein_spectrum(omega_E_K=100.0, lam=lam)
        tc = eliashberg_tc(s, mu_star=0.0, rtol=1e-6, t_min_K=1e-4)
        pref.append(tc / s.omega_log_K * math.exp((1 + lam) / lam))
    slope, a0 = np.polyfit(lams, pref, 1)
    assert a0 == pytest.approx(BCS_PREFACTOR / math.sqrt(math.e), rel=0.02)
    assert slope > 0
    # BCS-like exponential law: ln Tc is linear in (1 + lam)/lam with slope -1 within 5 %
    x = (1 + lams) / lams
    y = np.log(np.array(pref)) - x
    assert np.polyfit(x, y, 1)[0] == pytest.approx(-1.0, rel=0.05)


def test_pb_like_spectrum_against_experiment():
    """Pb: lam = 1.55, omega_log = 56 K, mu* = 0.105 -> Tc(exp) = 7.2 K.

    Two-peak Pb-like shape (transverse ~4.4 meV, longitudinal ~8.5 meV) scaled to the quoted
    moments. The shape beyond (lam, omega_log) is ours, so we assert 5 % only.
    """

    def pb(scale):
        return three_gaussian_spectrum(
            centers_K=np.array([4.4, 8.5]) * K_PER_MEV * scale,
            widths_K=np.array([0.6, 0.35]) * K_PER_MEV * scale,
            weights=[0.55, 0.45],
            lam=1.55,
        )

    s = pb(1.0)
    s = pb(56.0 / s.omega_log_K)
    assert s.lam == pytest.approx(1.55) and s.omega_log_K == pytest.approx(56.0)
    tc = eliashberg_tc(s, mu_star=0.105)
    assert tc == pytest.approx(7.2, rel=0.05)


@pytest.mark.parametrize("lam", [0.6, 1.0, 1.5, 2.0, 3.0])
def test_allen_dynes_follows_einstein_solutions(lam):
    """The Allen-Dynes fit (with f1 f2) reproduces Eliashberg Einstein Tc at mu* = 0.1 within 5 %."""
    s = einstein_spectrum(omega_E_K=300.0, lam=lam)
    tc = eliashberg_tc(s, mu_star=0.1)
    assert tc == pytest.approx(_allen_dynes(s.lam, s.omega_log_K, s.omega_2_K, 0.1), rel=0.05)


# --- conventions and convergence --------------------------------------------------------------------


@pytest.mark.parametrize(
    "spectrum",
    [
        three_gaussian_spectrum(
            centers_K=[150, 400, 700], widths_K=[20, 40, 30], weights=[1, 0.5, 0.8], lam=0.5
        ),
        three_gaussian_spectrum(
            centers_K=[150, 400, 700], widths_K=[20, 40, 30], weights=[1, 0.5, 0.8], lam=1.5
        ),
        einstein_spectrum(omega_E_K=100.0, lam=0.7),  # narrow spectra converge slowest
    ],
)
def test_rescaled_cutoff_convergence(spectrum):
    """Rescaled mu*: Tc converges monotonically as the cutoff grows; the default (32) is within 0.1 %."""
    cuts = [4, 8, 16, 32, 128]
    tcs = np.array([eliashberg_tc(spectrum, mu_star=0.12, cutoff=c, rtol=1e-8) for c in cuts])
    diffs = np.abs(tcs[:-1] / tcs[-1] - 1)
    assert np.all(np.diff(diffs) < 0)  # monotone convergence
    assert diffs[2] < 3e-3  # cutoff 16
    assert diffs[3] < 1e-3  # cutoff 32
    assert eliashberg_tc(spectrum, mu_star=0.12) == pytest.approx(tcs[-1], rel=1.5e-3)
    # at mu* = 0 there is no Coulomb tail and the phonon tail is negligible already at cutoff 8
    t0 = [eliashberg_tc(spectrum, mu_star=0.0, cutoff=c, rtol=1e-8) for c in (8, 128)]
    assert t0[0] == pytest.approx(t0[1], rel=3e-4)


def test_fixed_convention_depends_on_cutoff_and_matches_rescaled():
    s = three_gaussian_spectrum(
        centers_K=[150, 400, 700], widths_K=[20, 40, 30], weights=[1, 0.5, 0.8], lam=1.0
    )
    t5 = eliashberg_tc(s, mu_star=0.1, mu_convention="fixed", cutoff=5)
    t10 = eliashberg_tc(s, mu_star=0.1, mu_convention="fixed")
    t20 = eliashberg_tc(s, mu_star=0.1, mu_convention="fixed", cutoff=20)
    # the same mu* placed at a higher cutoff is a weaker bare repulsion: Tc rises with the cutoff
    assert t5 < t10 < t20 and t20 / t5 > 1.03
    # fixed mu_f below 10 omega_max == rescaled mu* with mu*/(1 + mu* ln(1/10)) = mu_f
    mu = 0.1 / (1 + 0.1 * math.log(10))
    assert eliashberg_tc(s, mu_star=mu) == pytest.approx(t10, rel=0.01)


def test_matsubara_blocking_matches_unblocked_solve():
    s = three_gaussian_spectrum(centers_K=[80, 200, 300], widths_K=[10, 20, 20], weights=[1, 1, 1], lam=0.5)
    exact = eliashberg_tc(s, alpha=0.0, rtol=1e-7)
    assert 1.0 < exact < 5.0  # a low-Tc case with hundreds of Matsubara frequencies
    assert eliashberg_tc(s, rtol=1e-7) == pytest.approx(exact, rel=1e-3)


def test_tc_monotone_in_mu_and_zero_without_tc():
    s = einstein_spectrum(omega_E_K=300.0, lam=1.0)
    tcs = [eliashberg_tc(s, mu_star=m) for m in (0.0, 0.1, 0.2)]
    assert tcs[0] > tcs[1] > tcs[2] > 0
    weak = einstein_spectrum(omega_E_K=300.0, lam=0.2)
    assert eliashberg_tc(weak, mu_star=0.3) == 0.0


# --- random spectra and dataset -------------------------------------------------------------------


def test_random_spectra_seeded_and_in_range():
    a = random_spectra(30, seed=7)
    b = random_spectra(30, seed=7)
    c = random_spectra(30, seed=8)
    assert len(a) == 30
    pairs = zip(a, b, strict=True)
    assert all(np.array_equal(x.a2f, y.a2f) and np.array_equal(x.omega_K, y.omega_K) for x, y in pairs)
    assert not np.array_equal(a[0].a2f, c[0].a2f)
    lams = np.array([s.lam for s in a])
    assert lams.min() >= 0.35 - 1e-9 and lams.max() <= 4.0 + 1e-9
    with pytest.raises(ValueError):
        random_spectra(-1, seed=0)


def test_build_dataset_parallel_matches_serial():
    spectra = random_spectra(24, seed=3)
    df = build_dataset(spectra, mu_star=0.1, n_jobs=2, progress=False)
    assert list(df.columns) == [
        "lam",
        "omega_log_K",
        "omega_2_K",
        "omega_max_K",
        "mu_star",
        "tc_K",
        "seconds",
    ]
    assert len(df) == 24 and (df["seconds"] > 0).all()
    serial = [eliashberg_tc(s, mu_star=0.1) for s in spectra[:5]]
    np.testing.assert_allclose(df["tc_K"].to_numpy()[:5], serial, rtol=1e-12)
    assert df["tc_K"].min() > 0.2 and df["tc_K"].max() < 700
    df2 = build_dataset(spectra[:4], mu_star=[0.0, 0.1, 0.15, 0.2], n_jobs=1, progress=False)
    assert isinstance(df2, pd.DataFrame) and df2["mu_star"].tolist() == [0.0, 0.1, 0.15, 0.2]
    with pytest.raises(ValueError, match="mu_star values"):
        build_dataset(spectra[:3], mu_star=[0.1, 0.1], progress=False)
    with pytest.raises(ValueError, match="mu_star"):
        build_dataset(spectra[:2], mu_star=-0.1, progress=False)


def test_fast_kernel_equals_direct_double_sum():
    """The O(N x blocks) assembly equals the direct O(N^2) double sum of the same projection."""
    from reviewlib.tc import _kernels as k

    s = random_spectra(1, seed=3)[0]
    g, w2 = s._kernel_inputs()
    for temp, n_freq, alpha, mu in [(0.5, 40, 0.0, 0.0), (3.0, 300, 0.08, 0.13), (30.0, 2000, 0.08, 0.2)]:
        assert k.rho_max_fast(temp, g, w2, n_freq, alpha, mu) == pytest.approx(
            k.rho_max(temp, g, w2, n_freq, alpha, mu), rel=1e-12
        )
    lam_exact = k.lambda_vec(g, w2, 2 * np.pi * 0.7, 5000)
    np.testing.assert_allclose(k.lambda_vec_fast(g, w2, 2 * np.pi * 0.7, 5000), lam_exact, rtol=1e-10)


# --------------------------------------------------------------------------- issue 11.3: the extent


def _gaussian_20meV(top_meV, extra=None):
    """Gaussian at 20 meV (sigma 3 meV, lambda = 1) on a 0.1 meV grid to ``top_meV``; a2F < 1e-30
    beyond 35 meV (the spectrum of issue 11, item 3); ``extra`` = (omega_meV, a2F) appended.
    """
    w = np.arange(0.1, top_meV + 1e-9, 0.1)
    a = np.exp(-0.5 * ((w - 20.0) / 3.0) ** 2)
    a[w > 35] = 1e-31
    a = a / Spectrum.from_arrays(w, a, units="meV").lam
    if extra is not None:
        w, a = np.append(w, extra[0]), np.append(a, extra[1])
    return Spectrum.from_arrays(w, a, units="meV")


def test_tc_does_not_depend_on_negligible_tails():
    """Tabulating to 35, 60 or 120 meV (it gave 16.56, 16.97, 17.46 K) or adding a far point carrying
    1e-9 of lambda leaves Tc unchanged to 1e-4; a point carrying 1e-6 (it gave 20.35 K) moves it < 3e-3.
    """
    base = _gaussian_20meV(35)
    ref = eliashberg_tc(base, mu_star=0.10, rtol=1e-8)
    assert ref == pytest.approx(16.53, abs=0.01)
    for spec in (_gaussian_20meV(60), _gaussian_20meV(120), _gaussian_20meV(120, extra=(1e5, 1e-9))):
        assert spec.omega_top_K > base.omega_top_K  # the old rule's omega_max moved ...
        assert spec.omega_max_K == pytest.approx(base.omega_max_K, rel=1e-3)  # ... the extent does not
        assert eliashberg_tc(spec, mu_star=0.10, rtol=1e-8) == pytest.approx(ref, rel=1e-4)
        fixed = eliashberg_tc(spec, mu_star=0.10, mu_convention="fixed", rtol=1e-8)
        assert fixed == pytest.approx(
            eliashberg_tc(base, mu_star=0.10, mu_convention="fixed", rtol=1e-8), rel=1e-4
        )
    far = _gaussian_20meV(120, extra=(1e5, 1e-6))
    assert eliashberg_tc(far, mu_star=0.10, rtol=1e-8) == pytest.approx(ref, rel=3e-3)


def test_extent_rule_cutting_a_negligible_tail():
    """Cutting the grid where less than 1e-9 of lambda remains does not change Tc to 1e-4."""
    spec = _gaussian_20meV(120)
    cum = spec.lambda_cumulative()
    keep = np.flatnonzero(cum <= (1 - 1e-9) * cum[-1])[-1] + 2
    cut = Spectrum(omega_K=spec.omega_K[:keep], a2f=spec.a2f[:keep])
    assert cut.lam == pytest.approx(spec.lam, rel=1e-7)
    assert eliashberg_tc(cut, mu_star=0.1, rtol=1e-8) == pytest.approx(
        eliashberg_tc(spec, mu_star=0.1, rtol=1e-8), rel=1e-4
    )


def test_extent_definition():
    """1 - 1e-6 of lambda lies below omega_max; a compact spectrum's extent is at its last point."""
    spec = _gaussian_20meV(120)
    cum = spec.lambda_cumulative()
    assert cum[-1] == pytest.approx(spec.lam, rel=1e-12)
    below = np.interp(spec.omega_max_K, spec.omega_K, cum)
    assert below == pytest.approx((1 - 1e-6) * spec.lam, rel=1e-9)
    box = Spectrum(omega_K=np.linspace(10, 100, 91), a2f=np.ones(91))
    assert 99.9 < box.omega_max_K <= 100.0


def test_eliashberg_solve_reports_the_cutoffs():
    spec = einstein_spectrum(omega_E_K=100.0, lam=1.0)
    sol = eliashberg_solve(spec, mu_star=0.1)
    assert sol.tc_K == eliashberg_tc(spec, mu_star=0.1)
    assert sol.omega_max_K == spec.omega_max_K and sol.cutoff_omega_max == 32.0
    # rescaled: w_c = 2 pi Tc N >= 32 omega_max, within one Matsubara spacing
    assert sol.matsubara_cutoff_K == pytest.approx(2 * math.pi * sol.tc_K * sol.n_matsubara)
    assert 32 * spec.omega_max_K <= sol.matsubara_cutoff_K < 32 * spec.omega_max_K + 2 * math.pi * sol.tc_K
    fixed = eliashberg_solve(spec, mu_star=0.1, mu_convention="fixed")
    assert fixed.matsubara_cutoff_K == pytest.approx(10 * spec.omega_max_K)
    assert matsubara_cutoff(mu_star=0.3) == pytest.approx(math.exp(0.7 / 0.3))
