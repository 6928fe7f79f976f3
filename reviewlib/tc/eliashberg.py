"""alpha2F(omega) spectra, their moments, and the isotropic Migdal-Eliashberg Tc.

Units: every frequency and temperature is in kelvin (E / k_B); use
:meth:`Spectrum.from_arrays` with ``units="meV"|"THz"|"Ry"|"cm-1"`` to convert
(:mod:`reviewlib.units`).

Moments (Allen & Dynes 1975), with the weight 2 a2F(w) / (lam w):
``lam = 2 int a2F/w dw``, ``omega_log = exp(<ln w>)``, ``omega_2 = sqrt(<w^2>)``, integrals by the
trapezoidal rule on the spectrum's own grid (the solver uses the same quadrature, so
``lam(nu=0)`` in the kernel equals ``Spectrum.lam``).

Tc (:func:`eliashberg_tc`) is the temperature where the largest eigenvalue of the linearised
isotropic gap equation on the Matsubara axis equals 1 (see :mod:`reviewlib.tc._kernels`):

    Z_n Delta_n = pi T sum_{|w_m| < w_c} [lam(w_n - w_m) - mu*_c] Delta_m / |w_m|,
    Z_n = 1 + (pi T / w_n) sum_m lam(w_n - w_m) sgn(w_m)   (summed exactly, no cutoff),
    lam(nu) = int 2 w a2F(w) / (w^2 + nu^2) dw.

mu* conventions
- ``"rescaled"`` (default): ``mu_star`` is McMillan's Coulomb pseudopotential referred to
  omega_max, the spectrum's extent (below). It is rescaled to the Matsubara cutoff
  w_c = 2 pi T N (the midpoint between the last kept and the first dropped frequency, which makes
  pi T sum_{m<N} 2/w_m = ln(2 e^gamma w_c / pi T) + O(1/N^2)) as
  mu*_c = mu* / (1 + mu* ln(omega_max / w_c)) and acts on every kept frequency. Z is summed
  exactly (no cutoff). The number of kept frequencies is N = max(16, ceil(cutoff * omega_max /
  (2 pi T))), ``cutoff`` = 32 by default (capped at exp(0.7/mu*) so mu*_c stays finite).
- ``"fixed"`` (EPW-like): mu* is used unscaled on every Matsubara frequency below the sharp
  cutoff ``cutoff * omega_max`` (default ``cutoff`` = 10); Tc then depends on the cutoff (it rises
  with the cutoff: the same mu* placed at a higher cutoff is a weaker bare repulsion). Fixed mu_f
  at cutoff c equals rescaled mu* = mu_f / (1 + mu_f ln c) to 0.03 % (tested).

Extent omega_max (:attr:`Spectrum.omega_max_K`): the frequency below which 1 - 1e-6
(``EXTENT_TAIL``) of lambda lies, from the cumulative sum of the quadrature's point weights
2 w_i a2F_i / omega_i interpolated linearly between grid points. It sets the mu* reference and
the Matsubara cutoff in both conventions. Unlike the last grid point with a2F > 0 (the rule
before, :attr:`Spectrum.omega_top_K`), it does not move when negligible tails are added or cut:
the same Gaussian (20 meV, lambda = 1, mu* = 0.1) tabulated to 35, 60 or 120 meV with
a2F < 1e-30 beyond 35 meV gives Tc equal to 1e-5 (it gave 16.56, 16.97, 17.46 K), and a far point
carrying 1e-9 of lambda changes Tc by 1e-5. A far point carrying 1e-6 of lambda (the size of
the rule's tail) still moves omega_max to the spectrum's last point and Tc by ~2e-3 (it moved Tc
by 23 %). The kernel lam(nu) always uses every point with a2F > 0.

Cutoff convergence (rescaled). At mu* = 0 Tc converges as ~c^-4 (1e-5 at c = 16): the phonon
tail is harmless. The residual cutoff dependence comes from mu*: the high-frequency gap is not
exactly constant, which the log rescaling assumes, and Tc is overestimated by ~(omega/w_c)^2,
largest for narrow (Einstein-like) spectra: at mu* = 0.1 and lambda = 0.4..2 the relative
deviation from the converged Tc (c = 256) is <= 1e-2 at c = 8, 2e-3 at c = 16, 3e-4 at c = 32 and
5e-5 at c = 64 for Einstein spectra, about 5x less for broad three-Gaussian ones (table in
benchmarks/README.md; tests/test_eliashberg.py::test_rescaled_cutoff_convergence). On 5,000 random
three-Gaussian spectra (benchmarks/eliashberg.py) the default solve is within 4.2e-4 of a
reference at c = 128, block size alpha = 0.02, rtol 1e-7 (itself within 1.2e-5 of c = 256,
alpha = 0.01).

Limitation: when Tc approaches omega_max (lambda >~ 20) with mu* > 0, only a handful of
Matsubara frequencies lie below any sensible cutoff and the gap varies between them, so the
rescaling is no longer exact: at lambda = 50, Tc moves by 0.1 % (mu* = 0.1) to 2 % (mu* = 0.2)
between cutoffs 8 and 32. Such cases are outside McMillan's mu* picture; use mu* = 0 or "fixed".

Numerics: lam(k) is a function of |n-m| only and is computed once per temperature (numba; a moment
expansion replaces the quadrature for 2 pi T k > 3 x the highest frequency with a2F > 0).
Matsubara indices are grouped in blocks growing geometrically (size <= max(1, alpha m), ``alpha``
= 0.08; exact up to m ~ 25) and the eigenproblem is projected on block-constant gaps (Galerkin /
Rayleigh-Ritz; error second order in the block size, < 1e-4 in Tc). The projected matrix is
assembled exactly in O(N x blocks) operations with u_n u_m = (u_n - u_m)/(2(m-n)) and (u_n +
u_m)/(2(n+m+1)), u_n = 1/(2n+1), which turn the Toeplitz and Hankel double sums into prefix sums;
its largest eigenvalue comes from Lanczos with full reorthogonalisation. The root in ln T is
bracketed from the Allen-Dynes estimate (:func:`reviewlib.tc.formulas.allen_dynes_tc`) and refined
by Brent's method (``scipy.optimize.brentq``) to ``rtol``. Cost: median 0.4 ms per spectrum, at
most ~25 ms CPU for Tc ~ 0.5 K. :func:`eliashberg_tc` returns 0.0 when the largest eigenvalue is
still below 1 at ``t_min_K`` (no Tc above ``t_min_K``, default 0.01 K).

Random spectra (:func:`random_spectra`) follow the idea of Xie et al. 2022 (three random
Gaussian peaks); the parameter ranges are ours and documented in that function.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from reviewlib.tc import _kernels as _k
from reviewlib.tc.formulas import allen_dynes_moments, allen_dynes_tc
from reviewlib.units import to_kelvin

__all__ = [
    "EXTENT_TAIL",
    "EliashbergResult",
    "Spectrum",
    "build_dataset",
    "eliashberg_solve",
    "eliashberg_tc",
    "einstein_spectrum",
    "matsubara_cutoff",
    "random_spectra",
    "three_gaussian_spectrum",
]

_CONVENTIONS = ("rescaled", "fixed")
_DEFAULT_CUTOFF = {"rescaled": 32.0, "fixed": 10.0}
_N_MIN = 16
_ALPHA = 0.08
#: Fraction of lambda allowed above a spectrum's extent omega_max (:attr:`Spectrum.omega_max_K`).
EXTENT_TAIL = 1e-6


def _trapz_weights(x: np.ndarray) -> np.ndarray:
    w = np.zeros_like(x)
    dx = np.diff(x)
    w[:-1] += dx / 2
    w[1:] += dx / 2
    return w


@dataclass(frozen=True, eq=False)
class Spectrum:
    """Eliashberg function alpha2F(omega) on a grid ``omega_K`` (K, positive, strictly increasing).

    ``a2f`` is dimensionless, finite, >= 0 and not all zero. Use :meth:`from_arrays` for other units.
    """

    omega_K: np.ndarray
    a2f: np.ndarray

    def __post_init__(self):
        omega = np.array(self.omega_K, dtype=float, copy=True).reshape(-1) if np.ndim(self.omega_K) else None
        a2f = np.array(self.a2f, dtype=float, copy=True).reshape(-1) if np.ndim(self.a2f) else None
        if omega is None or a2f is None:
            raise ValueError("Spectrum: omega_K and a2f must be 1-d arrays")
        if omega.shape != a2f.shape:
            raise ValueError(f"Spectrum: omega_K ({omega.size}) and a2f ({a2f.size}) differ in length")
        if omega.size < 2:
            raise ValueError("Spectrum: need at least 2 frequency points")
        if not np.all(np.isfinite(omega)):
            raise ValueError("Spectrum: omega_K contains NaN or inf")
        if not np.all(np.isfinite(a2f)):
            raise ValueError("Spectrum: a2f contains NaN or inf")
        if np.any(omega <= 0):
            raise ValueError(f"Spectrum: omega_K must be positive (min {omega.min():g} K)")
        if np.any(np.diff(omega) <= 0):
            i = int(np.argmin(np.diff(omega)))
            raise ValueError(
                f"Spectrum: omega_K must be strictly increasing (index {i}: {omega[i]:g} >= {omega[i + 1]:g})"
            )
        if np.any(a2f < 0):
            raise ValueError(f"Spectrum: a2f must be >= 0 (min {a2f.min():g})")
        if not np.any(a2f > 0):
            raise ValueError("Spectrum: a2f is zero everywhere")
        omega.setflags(write=False)
        a2f.setflags(write=False)
        object.__setattr__(self, "omega_K", omega)
        object.__setattr__(self, "a2f", a2f)

    @classmethod
    def from_arrays(cls, omega, a2f, *, units: str = "K") -> Spectrum:
        """Build a spectrum from frequencies in ``units`` ("K", "meV", "THz", "Ry", "cm-1")."""
        return cls(omega_K=to_kelvin(omega, units), a2f=np.asarray(a2f, dtype=float))

    # quadrature shared by the moments and the solver
    def _weights(self) -> np.ndarray:
        return _trapz_weights(self.omega_K)

    def _kernel_inputs(self) -> tuple[np.ndarray, np.ndarray]:
        """(g_j, w_j^2) with lam(nu) = sum_j g_j / (w_j^2 + nu^2)."""
        keep = self.a2f > 0
        g = 2.0 * self._weights() * self.omega_K * self.a2f
        return np.ascontiguousarray(g[keep]), np.ascontiguousarray(self.omega_K[keep] ** 2)

    @cached_property
    def lam(self) -> float:
        """Electron-phonon coupling lambda = 2 int a2F(w)/w dw (dimensionless)."""
        return float(np.sum(2.0 * self._weights() * self.a2f / self.omega_K))

    @cached_property
    def _moments_K(self) -> tuple[float, float]:
        """(omega_log, omega_2) in K from :func:`reviewlib.tc.formulas.allen_dynes_moments`."""
        return allen_dynes_moments(omega=self.omega_K, spectral_weight=2.0 * self._weights() * self.a2f)

    @property
    def omega_log_K(self) -> float:
        """Logarithmic average frequency exp(2/lam int ln(w) a2F/w dw), K."""
        return self._moments_K[0]

    @property
    def omega_2_K(self) -> float:
        """sqrt(<w^2>) with the weight 2 a2F/(lam w), K (Allen-Dynes omega_2-bar)."""
        return self._moments_K[1]

    def lambda_cumulative(self) -> np.ndarray:
        """Cumulative coupling at each grid frequency: sum of the point weights 2 w_i a2F_i / omega_i.

        ``w_i`` are the trapezoid weights of the grid, the same point masses the solver's kernel
        and :attr:`lam` use, so the last value equals ``lam``.
        """
        return np.cumsum(2.0 * self._weights() * self.a2f / self.omega_K)

    @cached_property
    def omega_max_K(self) -> float:
        """Extent of the spectrum, K: the frequency below which 1 - ``EXTENT_TAIL`` of lambda lies.

        ``EXTENT_TAIL`` = 1e-6. The cumulative lambda (:meth:`lambda_cumulative`) is
        interpolated linearly between grid points. This is the omega_max of the mu* rescaling
        and of the Matsubara cutoff. Trailing zeros and tails carrying < ~1e-8 of lambda do not
        move it (Tc changes < 1e-5); for a compact spectrum it is within a small fraction of a grid
        step below the last point with alpha2F > 0 (:attr:`omega_top_K`, the old definition).
        """
        cum = self.lambda_cumulative()
        target = (1.0 - EXTENT_TAIL) * cum[-1]
        i = int(np.searchsorted(cum, target, side="left"))
        if i == 0:
            return float(self.omega_K[0])
        i = min(i, cum.size - 1)
        frac = (target - cum[i - 1]) / (cum[i] - cum[i - 1]) if cum[i] > cum[i - 1] else 1.0
        x0, x1 = self.omega_K[i - 1], self.omega_K[i]
        return float(x0 + min(max(frac, 0.0), 1.0) * (x1 - x0))

    @property
    def omega_top_K(self) -> float:
        """Highest grid frequency where a2F > 0, K (for reference; the solver uses omega_max_K)."""
        return float(self.omega_K[np.flatnonzero(self.a2f > 0)[-1]])


# ---------------------------------------------------------------------------------------------
# model spectra


def _gaussian_bump(x: np.ndarray, center: float, width: float) -> np.ndarray:
    """Gaussian truncated smoothly to zero at |x - center| = 3 width (continuous, >= 0)."""
    g = np.exp(-0.5 * ((x - center) / width) ** 2) - math.exp(-4.5)
    return np.where(np.abs(x - center) < 3 * width, np.clip(g, 0.0, None), 0.0)


def three_gaussian_spectrum(*, centers_K, widths_K, weights, lam: float, n_per_peak: int = 41) -> Spectrum:
    """Sum of Gaussian peaks (each truncated smoothly at +-3 widths) scaled to coupling ``lam``.

    ``centers_K``, ``widths_K`` (K) and ``weights`` (relative peak areas, >= 0) have equal length
    (three for Xie et al.'s spectra, any number accepted). Each peak must lie on w > 0:
    ``center > 3 * width``. The grid is the union of ``n_per_peak`` points across each peak.
    """
    c = np.atleast_1d(np.asarray(centers_K, dtype=float))
    s = np.atleast_1d(np.asarray(widths_K, dtype=float))
    wt = np.atleast_1d(np.asarray(weights, dtype=float))
    if not (c.shape == s.shape == wt.shape) or c.ndim != 1 or c.size == 0:
        raise ValueError("three_gaussian_spectrum: centers_K, widths_K, weights must be 1-d of equal length")
    if not (np.all(np.isfinite(c)) and np.all(np.isfinite(s)) and np.all(np.isfinite(wt))):
        raise ValueError("three_gaussian_spectrum: parameters contain NaN or inf")
    if np.any(s <= 0) or np.any(c <= 3 * s):
        raise ValueError("three_gaussian_spectrum: need width > 0 and center > 3 * width for every peak")
    if np.any(wt < 0) or not np.any(wt > 0):
        raise ValueError("three_gaussian_spectrum: weights must be >= 0 and not all zero")
    if not (np.isfinite(lam) and lam > 0):
        raise ValueError(f"three_gaussian_spectrum: lam must be positive, got {lam!r}")
    pieces = [np.linspace(ci - 3 * si, ci + 3 * si, n_per_peak) for ci, si in zip(c, s, strict=True)]
    grid = np.unique(np.concatenate(pieces))
    grid = grid[grid > 0]
    norm = 1.0 / (
        s * np.sqrt(2 * np.pi) * (math.erf(3 / math.sqrt(2)) - 6 * math.exp(-4.5) / math.sqrt(2 * np.pi))
    )
    a2f = np.zeros_like(grid)
    for ci, si, wi, ni in zip(c, s, wt, norm, strict=True):
        a2f += wi * ni * _gaussian_bump(grid, ci, si)
    spec = Spectrum(omega_K=grid, a2f=a2f)
    return Spectrum(omega_K=grid, a2f=a2f * (lam / spec.lam))


def einstein_spectrum(*, omega_E_K: float, lam: float, width_K: float | None = None) -> Spectrum:
    """Narrow Gaussian peak at ``omega_E_K`` (K) with coupling ``lam``; width defaults to 1 % of omega_E."""
    if not (np.isfinite(omega_E_K) and omega_E_K > 0):
        raise ValueError(f"einstein_spectrum: omega_E_K must be positive, got {omega_E_K!r}")
    width = 0.01 * omega_E_K if width_K is None else float(width_K)
    return three_gaussian_spectrum(centers_K=[omega_E_K], widths_K=[width], weights=[1.0], lam=lam)


def random_spectra(
    n: int,
    *,
    seed: int,
    lam_range: tuple[float, float] = (0.35, 4.0),
    omega_top_range_K: tuple[float, float] = (100.0, 3000.0),
    tc_range_K: tuple[float, float] | None = (0.5, 500.0),
    mu_star: float = 0.10,
) -> list[Spectrum]:
    """``n`` seeded random three-Gaussian spectra (the synthetic set of Xie et al. 2022).

    Per spectrum: a top frequency ``omega_top`` log-uniform in ``omega_top_range_K``; three
    centres uniform in [0.1, 1] omega_top; widths uniform in [0.02, 0.12] omega_top (capped at
    centre/3.5 so each peak lies on w > 0); relative areas uniform in [0.1, 1]; lambda log-uniform
    in ``lam_range``. Draws whose Allen-Dynes Tc (at ``mu_star``) falls outside ``tc_range_K`` are
    redrawn (None keeps all), so the Eliashberg Tc spans about 0.5 K to 500 K at mu* = 0.1.
    """
    if int(n) != n or n < 0:
        raise ValueError(f"random_spectra: n must be a non-negative integer, got {n!r}")
    rng = np.random.default_rng(seed)
    out: list[Spectrum] = []
    lo_l, hi_l = np.log(lam_range[0]), np.log(lam_range[1])
    lo_w, hi_w = np.log(omega_top_range_K[0]), np.log(omega_top_range_K[1])
    while len(out) < n:
        top = float(np.exp(rng.uniform(lo_w, hi_w)))
        centers = rng.uniform(0.1, 1.0, 3) * top
        widths = np.minimum(rng.uniform(0.02, 0.12, 3) * top, centers / 3.5)
        weights = rng.uniform(0.1, 1.0, 3)
        lam = float(np.exp(rng.uniform(lo_l, hi_l)))
        spec = three_gaussian_spectrum(centers_K=centers, widths_K=widths, weights=weights, lam=lam)
        if tc_range_K is not None:
            tc_ad = allen_dynes_tc(
                spec.lam, omega_log_K=spec.omega_log_K, omega_2_K=spec.omega_2_K, mu_star=mu_star
            )
            if not (tc_range_K[0] <= tc_ad <= tc_range_K[1]):
                continue
        out.append(spec)
    return out


# ---------------------------------------------------------------------------------------------
# solver


class _Problem:
    """Spectrum data and convention settings for repeated evaluations of rho(T)."""

    def __init__(
        self, spectrum: Spectrum, mu_star: float, convention: str, cutoff: float, alpha: float, n_min: int
    ):
        self.g, self.w2 = spectrum._kernel_inputs()
        self.omega_max = spectrum.omega_max_K
        self.mu = mu_star
        self.convention = convention
        self.cutoff = cutoff
        self.alpha = alpha
        self.n_min = n_min

    def n_freq(self, t: float) -> int:
        wc = self.cutoff * self.omega_max
        if self.convention == "rescaled":
            n = int(math.ceil(wc / (2 * math.pi * t)))
            floor = self.n_min
            # at T ~ omega_max the floor must not push w_c so high that mu*_c diverges
            while (
                self.mu > 0
                and floor > 2
                and 1 + self.mu * math.log(self.omega_max / (2 * math.pi * t * floor)) < 0.3
            ):
                floor //= 2
            return max(n, floor)
        # number of m >= 0 with pi T (2m+1) < wc
        y = wc / (math.pi * t)
        return max(1, int(math.ceil((y - 1) / 2 - 1e-12)))

    def mu_c(self, t: float, n: int) -> float:
        if self.convention == "fixed" or self.mu == 0:
            return self.mu
        wc = 2 * math.pi * t * n
        den = 1 + self.mu * math.log(self.omega_max / wc)
        if den <= 0.05:
            raise ValueError(
                f"eliashberg_tc: at T = {t:.4g} K the Matsubara cutoff {wc / self.omega_max:.3g} omega_max "
                "is too "
                f"large for the mu* rescaling (mu* = {self.mu:g}); lower n_min or cutoff"
            )
        return self.mu / den

    def rho(self, t: float) -> float:
        n = self.n_freq(t)
        return float(_k.rho_max_fast(t, self.g, self.w2, n, self.alpha, self.mu_c(t, n)))


def _check_args(spectrum: Spectrum, mu_star: float, mu_convention: str, rtol: float, t_min_K: float) -> float:
    """Validate the arguments of :func:`eliashberg_tc`; returns mu* as a float."""
    if not isinstance(spectrum, Spectrum):
        raise TypeError(f"eliashberg_tc: expected a Spectrum, got {type(spectrum).__name__}")
    mu = float(mu_star)
    if not np.isfinite(mu) or mu < 0:
        raise ValueError(f"eliashberg_tc: mu_star must be finite and >= 0, got {mu_star!r}")
    if mu_convention not in _CONVENTIONS:
        raise ValueError(f"eliashberg_tc: mu_convention must be one of {_CONVENTIONS}, got {mu_convention!r}")
    if not (np.isfinite(rtol) and 0 < rtol < 0.5):
        raise ValueError(f"eliashberg_tc: rtol must be in (0, 0.5), got {rtol!r}")
    if not (np.isfinite(t_min_K) and t_min_K > 0):
        raise ValueError(f"eliashberg_tc: t_min_K must be positive, got {t_min_K!r}")
    return mu


def matsubara_cutoff(
    *, mu_star: float = 0.10, mu_convention: str = "rescaled", cutoff: float | None = None
) -> float:
    """The Matsubara cutoff policy: the cutoff in units of omega_max that :func:`eliashberg_tc` uses.

    ``cutoff=None``: 32 (rescaled) or 10 (fixed); in the rescaled convention capped at
    exp(0.7/mu*) so that mu*_c = mu*/(1 - mu* ln(cutoff)) stays finite (32 for mu* <= 0.2).
    An explicit cutoff must be positive and, rescaled, below exp(0.9/mu*) (``ValueError``).
    """
    mu = float(mu_star)
    if mu_convention not in _CONVENTIONS:
        raise ValueError(f"eliashberg_tc: mu_convention must be one of {_CONVENTIONS}, got {mu_convention!r}")
    if cutoff is None:
        cut = _DEFAULT_CUTOFF[mu_convention]
        if mu_convention == "rescaled" and mu > 0:
            cut = min(cut, math.exp(0.7 / mu))
    else:
        cut = float(cutoff)
    if not np.isfinite(cut) or cut <= 0:
        raise ValueError(f"eliashberg_tc: cutoff must be positive, got {cutoff!r}")
    if mu_convention == "rescaled" and mu > 0 and 1 - mu * math.log(cut) <= 0.1:
        raise ValueError(
            f"eliashberg_tc: cutoff {cut:g} omega_max is too large for mu* = {mu:g}: the rescaled "
            f"mu*/(1 - mu* ln(cutoff)) diverges; use cutoff < {math.exp(0.9 / mu):.3g}"
        )
    return cut


def _solve(prob: _Problem, *, guess_K: float, rtol: float, t_min_K: float) -> float:
    """Tc (K) where rho(T) = 1: bracket the root in x = ln T from ``guess_K``, then Brent (scipy)."""
    from scipy.optimize import brentq

    def f(x: float) -> float:
        return prob.rho(math.exp(x)) - 1.0

    x_min = math.log(t_min_K)
    x0 = max(math.log(guess_K), x_min)
    f0 = f(x0)
    step = 0.15
    for _ in range(200):
        if f0 > 0:  # below Tc: go up
            x1 = x0 + step
            f1 = f(x1)
            if f1 <= 0:
                a, fa, b, fb = x0, f0, x1, f1
                break
        else:  # above Tc: go down
            if x0 <= x_min:
                return 0.0
            x1 = max(x0 - step, x_min)
            f1 = f(x1)
            if f1 >= 0:
                a, fa, b, fb = x1, f1, x0, f0
                break
            if x1 <= x_min:
                return 0.0
        # secant guess for the next step, limited to [step, 4 * step] growth
        slope = (f1 - f0) / (x1 - x0)
        x0, f0 = x1, f1
        if slope < 0:
            guess = abs(f0 / slope) * 1.2
            step = min(max(guess, 0.05), 4 * step + 0.5)
        else:
            step = min(2 * step, 2.0)
    else:
        raise RuntimeError("eliashberg_tc: could not bracket Tc")
    if fa == 0:
        return float(math.exp(a))
    if fb == 0:
        return float(math.exp(b))
    known = {a: fa, b: fb}  # brentq evaluates both ends first: reuse them (each costs a solve)

    def g(x: float) -> float:
        return known.pop(x) if x in known else f(x)

    x = brentq(g, a, b, xtol=rtol, rtol=4 * np.finfo(float).eps, maxiter=100)
    return float(math.exp(x))


@dataclass(frozen=True)
class EliashbergResult:
    """Tc and the cutoffs it was solved with (all in K except ``n_matsubara``).

    ``omega_max_K``: the spectrum's extent (:attr:`Spectrum.omega_max_K`); ``cutoff_omega_max``:
    the cutoff policy's value (:func:`matsubara_cutoff`); ``matsubara_cutoff_K``: the cutoff
    frequency w_c actually used at Tc (rescaled: 2 pi Tc N, N >= 16; fixed: cutoff x omega_max);
    ``n_matsubara``: the number N of positive Matsubara frequencies kept at Tc (0 if no Tc).
    """

    tc_K: float
    omega_max_K: float
    cutoff_omega_max: float
    matsubara_cutoff_K: float
    n_matsubara: int


def eliashberg_solve(
    spectrum: Spectrum,
    *,
    mu_star: float = 0.10,
    mu_convention: str = "rescaled",
    cutoff: float | None = None,
    rtol: float = 1e-3,
    t_min_K: float = 0.01,
    alpha: float = _ALPHA,
    n_min: int = _N_MIN,
) -> EliashbergResult:
    """:func:`eliashberg_tc` with the extent and Matsubara cutoff it used (:class:`EliashbergResult`)."""
    mu = _check_args(spectrum, mu_star, mu_convention, rtol, t_min_K)
    cut = matsubara_cutoff(mu_star=mu, mu_convention=mu_convention, cutoff=cutoff)
    prob = _Problem(spectrum, mu, mu_convention, cut, float(alpha), int(n_min))
    lam, wlog = spectrum.lam, spectrum.omega_log_K
    t0 = allen_dynes_tc(lam, omega_log_K=wlog, omega_2_K=spectrum.omega_2_K, mu_star=mu)
    if not t0 > 0:
        t0 = 0.05 * wlog * math.exp(-1.0 / max(lam, 1e-3))
    tc = _solve(prob, guess_K=t0, rtol=rtol, t_min_K=t_min_K)
    n = prob.n_freq(tc) if tc > 0 else 0
    if tc > 0 and mu_convention == "rescaled":
        w_c = 2 * math.pi * tc * n
    else:
        w_c = cut * prob.omega_max
    return EliashbergResult(tc, prob.omega_max, cut, w_c, n)


def eliashberg_tc(
    spectrum: Spectrum,
    *,
    mu_star: float = 0.10,
    mu_convention: str = "rescaled",
    cutoff: float | None = None,
    rtol: float = 1e-3,
    t_min_K: float = 0.01,
    alpha: float = _ALPHA,
    n_min: int = _N_MIN,
) -> float:
    """Isotropic Migdal-Eliashberg Tc (K) of ``spectrum`` at Coulomb pseudopotential ``mu_star``.

    ``mu_convention``: "rescaled" (default; mu* referred to omega_max and rescaled to the
    Matsubara cutoff, Tc cutoff-independent) or "fixed" (EPW-like, mu* unscaled below
    ``cutoff * omega_max``). omega_max is the spectrum's extent, the frequency below which
    1 - 1e-6 of lambda lies (:attr:`Spectrum.omega_max_K`), not its last grid point, so that
    negligible tails do not change Tc. ``cutoff`` in units of omega_max (default 32 rescaled,
    10 fixed; see :func:`matsubara_cutoff`). ``rtol``: relative tolerance on Tc. Returns 0.0 if
    there is no Tc above ``t_min_K``. ``alpha`` (Matsubara block growth; 0 = no blocking) and
    ``n_min`` (fewest Matsubara frequencies, rescaled convention) are numerical knobs. The search
    starts at the Allen-Dynes Tc. :func:`eliashberg_solve` also returns the cutoffs used.
    See the module docstring.
    """
    return eliashberg_solve(
        spectrum,
        mu_star=mu_star,
        mu_convention=mu_convention,
        cutoff=cutoff,
        rtol=rtol,
        t_min_K=t_min_K,
        alpha=alpha,
        n_min=n_min,
    ).tc_K


def _solve_one(spectrum: Spectrum, mu: float, kwargs: dict) -> tuple[float, float]:
    t = time.perf_counter()
    tc = eliashberg_tc(spectrum, mu_star=mu, **kwargs)
    return tc, time.perf_counter() - t


_WARM = False


def _warm_up() -> None:
    """Load the numba kernels once per process so that the first timed solve is not a compile."""
    global _WARM
    if not _WARM:
        eliashberg_tc(einstein_spectrum(omega_E_K=100.0, lam=1.0))
        _WARM = True


def _solve_chunk(items, kwargs):
    _warm_up()
    return [_solve_one(s, m, kwargs) for s, m in items]


def build_dataset(
    spectra: Sequence[Spectrum],
    *,
    mu_star: float | Sequence[float] = 0.10,
    n_jobs: int = 2,
    progress: bool = True,
    chunk_size: int = 50,
    **solver_kwargs,
) -> pd.DataFrame:
    """Solve Tc for many spectra in parallel (joblib) with a tqdm progress bar.

    ``mu_star``: one value or one per spectrum. Extra keywords go to :func:`eliashberg_tc`.
    Returns columns lam, omega_log_K, omega_2_K, omega_max_K, mu_star, tc_K, seconds (wall time
    of each solve).
    """
    from joblib import Parallel, delayed
    from tqdm import tqdm  # not tqdm.auto: without ipywidgets it warns inside notebooks

    spectra = list(spectra)
    for i, s in enumerate(spectra):
        if not isinstance(s, Spectrum):
            raise TypeError(f"build_dataset: item {i} is a {type(s).__name__}, not a Spectrum")
    if np.ndim(mu_star) == 0:
        mus = [float(mu_star)] * len(spectra)
    else:
        mus = [float(m) for m in mu_star]
        if len(mus) != len(spectra):
            raise ValueError(f"build_dataset: {len(mus)} mu_star values for {len(spectra)} spectra")
    for m in mus:
        if not np.isfinite(m) or m < 0:
            raise ValueError(f"build_dataset: mu_star must be finite and >= 0, got {m!r}")
    items = list(zip(spectra, mus, strict=True))
    chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
    results: list[tuple[float, float]] = []
    bar = tqdm(total=len(items), disable=not progress, desc="Eliashberg Tc", unit="spectrum")
    if n_jobs == 1:
        for ch in chunks:
            results.extend(_solve_chunk(ch, solver_kwargs))
            bar.update(len(ch))
    else:
        gen = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_solve_chunk)(ch, solver_kwargs) for ch in chunks
        )
        for ch, res in zip(chunks, gen, strict=True):
            results.extend(res)
            bar.update(len(ch))
    bar.close()
    return pd.DataFrame(
        {
            "lam": [s.lam for s in spectra],
            "omega_log_K": [s.omega_log_K for s in spectra],
            "omega_2_K": [s.omega_2_K for s in spectra],
            "omega_max_K": [s.omega_max_K for s in spectra],
            "mu_star": mus,
            "tc_K": [r[0] for r in results],
            "seconds": [r[1] for r in results],
        }
    )
