"""Closed-form superconducting Tc formulas: BCS, McMillan, Allen-Dynes, Xie et al., and friends.

Equation numbers refer to the review (Bai et al., Mater. Today Phys. 2024, §2.1 and §2.4).
Every function is vectorised over numpy arrays (inputs broadcast against each other) and returns
a float for scalar input, an ``np.ndarray`` otherwise. Temperatures and phonon frequencies are in
K (``hbar omega / k_B``); convert meV, THz, Ry or cm^-1 with :func:`to_K` (``reviewlib.units``).

**No solution.** The McMillan-type exponent ``-1.04 (1 + lam) / (lam - mu* (1 + 0.62 lam))`` has
no meaning when ``lam <= mu* (1 + 0.62 lam)`` (the effective attraction does not beat the
Coulomb repulsion). Every McMillan-type function then returns **0.0**, meaning "the formula
predicts no superconductivity"; it never raises for it, so that arrays of mixed cases work.
:func:`has_solution` tells the two cases apart (the CLI uses it to print "lambda too small").

**Bad input.** Negative or NaN inputs (or infinite ones) raise ``ValueError`` naming the argument.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from reviewlib.units import K_PER_MEV, to_kelvin

__all__ = [
    "BCS_GAP_RATIO",
    "BCS_PREFACTOR",
    "REVIEW_BCS_PREFACTOR",
    "allen_dynes_f1",
    "allen_dynes_f2",
    "allen_dynes_moments",
    "allen_dynes_tc",
    "bcs_gap_meV",
    "bcs_tc",
    "gaspari_gyorffy_lambda",
    "has_solution",
    "hopfield_lambda",
    "lambda_from_tc",
    "mcmillan_exponent",
    "mcmillan_tc",
    "mcmillan_wlog_tc",
    "networking_phi_dos",
    "networking_tc",
    "tcestime_tc",
    "to_K",
    "xie_f_mu",
    "XIE_POLE_LIMIT",
    "XieDomainWarning",
    "xie_domain",
    "xie_f_omega",
    "xie_tc",
]

EULER_GAMMA = 0.5772156649015329
#: Weak-coupling BCS ratio 2 Delta(0) / (k_B Tc) = 2 pi / e^gamma = 3.528 (usually quoted 3.53).
BCS_GAP_RATIO = 2.0 * math.pi / math.exp(EULER_GAMMA)
#: Textbook BCS prefactor 2 e^gamma / pi = 1.1339 in k_B Tc = 1.13 hbar omega_D exp(-1/N(0)V).
BCS_PREFACTOR = 2.0 * math.exp(EULER_GAMMA) / math.pi
#: The prefactor printed in the review's Eq. (1) (0.85 Theta_D, i.e. a cut-off of ~0.75 Theta_D).
REVIEW_BCS_PREFACTOR = 0.85


# --------------------------------------------------------------------------- helpers


def _arr(value: Any, name: str, *, positive: bool = False) -> np.ndarray:
    """``value`` as a float array; ``ValueError`` for NaN, infinite, negative (or zero if positive)."""
    if type(value) is float or type(value) is np.float64:  # scalar fast path, same checks
        if math.isfinite(value) and (value > 0 if positive else value >= 0):
            return np.float64(value)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric, got {value!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN or inf), got {value!r}")
    if positive and np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0, got {value!r}")
    if np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return arr


def _out(arr: np.ndarray) -> float | np.ndarray:
    return float(arr) if np.ndim(arr) == 0 else arr


def to_K(values: Any, unit: str) -> np.ndarray:
    """Convert frequencies/energies in ``unit`` ("K", "meV", "THz", "Ry", "cm-1") to K."""
    return to_kelvin(values, unit)


# --------------------------------------------------------------------------- BCS, Eq. (1)


def bcs_tc(theta_D_K: Any, *, n0v: Any, prefactor: float = BCS_PREFACTOR) -> float | np.ndarray:
    """Weak-coupling BCS Tc in K: ``prefactor * Theta_D * exp(-1 / N(0)V)`` (review Eq. 1).

    ``n0v`` is the dimensionless coupling N(E_F) V. The default prefactor is the textbook
    2 e^gamma / pi = 1.134 (Bardeen, Cooper & Schrieffer 1957); the review prints 0.85
    (:data:`REVIEW_BCS_PREFACTOR`), equivalent to a phonon cut-off of about 0.75 Theta_D.
    ``n0v == 0`` gives 0.0 (no pairing).
    """
    theta = _arr(theta_D_K, "theta_D_K")
    g = _arr(n0v, "n0v")
    _arr(prefactor, "prefactor", positive=True)
    with np.errstate(divide="ignore"):
        tc = np.where(g > 0, prefactor * theta * np.exp(-1.0 / np.where(g > 0, g, 1.0)), 0.0)
    return _out(tc)


def bcs_gap_meV(tc_K: Any, *, ratio: float = BCS_GAP_RATIO) -> float | np.ndarray:
    """Zero-temperature BCS gap Delta(0) in meV from Tc in K: ``Delta = ratio/2 * k_B Tc``.

    ``ratio`` = 2 Delta / k_B Tc, 3.528 in weak-coupling BCS.
    """
    tc = _arr(tc_K, "tc_K")
    _arr(ratio, "ratio", positive=True)
    return _out(0.5 * ratio * tc / K_PER_MEV)


# --------------------------------------------------------------------------- McMillan, Eqs. (2), (4)


def has_solution(lam: Any, *, mu_star: Any = 0.10) -> bool | np.ndarray:
    """True where ``lam > mu* (1 + 0.62 lam)``, i.e. where McMillan-type formulas give Tc > 0."""
    lam_a = _arr(lam, "lam")
    mu = _arr(mu_star, "mu_star")
    ok = lam_a > mu * (1.0 + 0.62 * lam_a)
    return bool(ok) if np.ndim(ok) == 0 else ok


def _exponent(lam: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """McMillan exponential factor on validated input; 0.0 where there is no solution."""
    denom = lam - mu * (1.0 + 0.62 * lam)
    if np.ndim(denom) == 0:  # scalar fast path (the Eliashberg solver's starting guess)
        return np.float64(math.exp(-1.04 * (1.0 + lam) / denom) if denom > 0 else 0.0)
    ok = denom > 0
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        return np.where(ok, np.exp(-1.04 * (1.0 + lam) / np.where(ok, denom, 1.0)), 0.0)


def _f1(lam: np.ndarray, mu: np.ndarray, printed: bool) -> np.ndarray:
    big_lambda1 = 2.46 * (1.0 + 3.8 * mu)
    power = 2.0 / 3.0 if printed else 1.5
    return (1.0 + (lam / big_lambda1) ** power) ** (1.0 / 3.0)


def _f2(lam: np.ndarray, wlog: np.ndarray, w2: np.ndarray, mu: np.ndarray, printed: bool) -> np.ndarray:
    r = w2 / wlog
    big_lambda2 = 1.82 * (1.0 + 6.3 * mu) * r
    f2 = 1.0 + (r - 1.0) * lam**2 / (lam**2 + big_lambda2**2)
    return np.sqrt(f2) if printed else f2


def mcmillan_exponent(lam: Any, *, mu_star: Any = 0.10) -> float | np.ndarray:
    """``exp(-1.04 (1 + lam) / (lam - mu* (1 + 0.62 lam)))``; 0.0 where there is no solution."""
    return _out(_exponent(_arr(lam, "lam"), _arr(mu_star, "mu_star")))


def mcmillan_tc(lam: Any, *, theta_D_K: Any, mu_star: Any = 0.10) -> float | np.ndarray:
    """McMillan (1968) Tc in K with the Debye temperature: ``Theta_D/1.45 * exp(...)`` (Eq. 2)."""
    theta = _arr(theta_D_K, "theta_D_K")
    return _out(theta / 1.45 * np.asarray(mcmillan_exponent(lam, mu_star=mu_star)))


def mcmillan_wlog_tc(lam: Any, *, omega_log_K: Any, mu_star: Any = 0.10) -> float | np.ndarray:
    """McMillan Tc in Allen-Dynes form, ``omega_log/1.20 * exp(...)`` (Eq. 4 with f1 = f2 = 1).

    This is what DFT papers usually call "the McMillan formula".
    """
    wlog = _arr(omega_log_K, "omega_log_K")
    return _out(wlog / 1.20 * np.asarray(mcmillan_exponent(lam, mu_star=mu_star)))


def allen_dynes_f1(lam: Any, *, mu_star: Any = 0.10, printed: bool = False) -> float | np.ndarray:
    """Allen-Dynes strong-coupling factor ``f1 = [1 + (lam/Lambda1)^(3/2)]^(1/3)``,
    ``Lambda1 = 2.46 (1 + 3.8 mu*)``.

    ``printed=True`` uses the review's typesetting (inner exponent 2/3), which is a misprint.
    """
    return _out(_f1(_arr(lam, "lam"), _arr(mu_star, "mu_star"), printed))


def allen_dynes_f2(
    lam: Any, *, omega_log_K: Any, omega_2_K: Any, mu_star: Any = 0.10, printed: bool = False
) -> float | np.ndarray:
    """Allen-Dynes shape factor ``f2 = 1 + (r - 1) lam^2 / (lam^2 + Lambda2^2)`` with
    ``r = omega_2/omega_log`` and ``Lambda2 = 1.82 (1 + 6.3 mu*) r``.

    ``printed=True`` applies the review's spurious overall power 1/2.
    """
    lam_a = _arr(lam, "lam")
    mu = _arr(mu_star, "mu_star")
    wlog = _arr(omega_log_K, "omega_log_K", positive=True)
    w2 = _arr(omega_2_K, "omega_2_K", positive=True)
    return _out(_f2(lam_a, wlog, w2, mu, printed))


def allen_dynes_tc(
    lam: Any,
    *,
    omega_log_K: Any,
    omega_2_K: Any | None,
    mu_star: Any = 0.10,
    printed: bool = False,
) -> float | np.ndarray:
    """Allen-Dynes (1975) Tc in K: ``f1 f2 omega_log / 1.20 * exp(...)`` (review Eq. 4).

    Standard form (Allen & Dynes, Phys. Rev. B 12, 905): see :func:`allen_dynes_f1` and
    :func:`allen_dynes_f2`. ``omega_2_K=None`` means "omega_2 unknown": f2 = 1 (f1 only), which is
    exact for an Einstein spectrum and what one can do for tables without omega_2.
    ``printed=True`` reproduces the review's garbled typesetting (f1 exponent 2/3, f2 under a
    square root) for comparison only. Also the Eliashberg solver's starting guess.
    """
    lam_a = _arr(lam, "lam")
    mu = _arr(mu_star, "mu_star")
    wlog = _arr(omega_log_K, "omega_log_K")
    f1 = _f1(lam_a, mu, printed)
    if omega_2_K is None:
        f2 = 1.0
    else:
        f2 = _f2(
            lam_a,
            _arr(wlog, "omega_log_K", positive=True),
            _arr(omega_2_K, "omega_2_K", positive=True),
            mu,
            printed,
        )
    return _out(f1 * f2 * (wlog / 1.20) * _exponent(lam_a, mu))


# --------------------------------------------------------------------------- Xie et al. 2022, Eq. (5)


def xie_f_omega(lam: Any, *, omega_log_K: Any, omega_2_K: Any, mu_star: Any = 0.10) -> float | np.ndarray:
    """Xie et al. (2022) ``f_omega = 1.92 (lam + r - mu*^(1/3)) / (sqrt(lam) exp(r)) - 0.08``,
    ``r = omega_log / omega_2``. See :func:`xie_tc` for the review's garbled version.
    """
    lam_a = _arr(lam, "lam", positive=True)
    mu = _arr(mu_star, "mu_star")
    r = _arr(omega_log_K, "omega_log_K", positive=True) / _arr(omega_2_K, "omega_2_K", positive=True)
    return _out(1.92 * (lam_a + r - np.cbrt(mu)) / (np.sqrt(lam_a) * np.exp(r)) - 0.08)


def xie_f_mu(lam: Any, *, omega_log_K: Any, omega_2_K: Any, mu_star: Any = 0.10) -> float | np.ndarray:
    """Xie et al. (2022) ``f_mu = 6.86 exp(-lam/mu*) / (1/lam - mu* - r) + 1``, ``r = omega_log/omega_2``.

    ``mu* = 0`` gives f_mu = 1 (the limit). The published formula has a pole where
    ``1/lam - mu* - r = 0``; it is kept as published here (see :func:`xie_domain`).
    """
    lam_a = _arr(lam, "lam", positive=True)
    mu = _arr(mu_star, "mu_star")
    r = _arr(omega_log_K, "omega_log_K", positive=True) / _arr(omega_2_K, "omega_2_K", positive=True)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        num = np.where(mu > 0, 6.86 * np.exp(-lam_a / np.where(mu > 0, mu, 1.0)), 0.0)
        val = num / (1.0 / lam_a - mu - r) + 1.0
    return _out(val)


#: Largest |f_mu - 1| inside the domain of the Xie et al. formula (see :func:`xie_domain`).
XIE_POLE_LIMIT = 0.5


class XieDomainWarning(UserWarning):
    """The Xie et al. (2022) formula was evaluated outside its domain (near the f_mu pole or negative)."""


def xie_domain(
    lam: Any, *, omega_log_K: Any, omega_2_K: Any, mu_star: Any = 0.10
) -> tuple[bool | np.ndarray, str | np.ndarray]:
    """Where the Xie et al. (2022) formula is usable: ``(ok, reason)``, reason "" where ok.

    Domain (our statement; the paper gives none): the pole term of ``f_mu``,
    ``6.86 exp(-lam/mu*) / (1/lam - mu* - omega_log/omega_2)``, is at most ``XIE_POLE_LIMIT`` = 0.5
    in magnitude (f_mu in [0.5, 1.5]; in the fitted range it is a correction of a few per cent),
    and ``f_omega f_mu >= 0``. Outside it the value is set by the pole, not by the fit: for an
    Einstein-like spectrum (omega_log ~ omega_2) at mu* = 0.10-0.13 the denominator vanishes
    near lambda = 1/(1 + mu*) ~ 0.9, where the formula gives -45 K or +69 K. Where
    ``lam <= mu* (1 + 0.62 lam)`` the formula has no solution (Tc 0.0), which is not a domain error.
    """
    lam_a = _arr(lam, "lam")
    wlog = _arr(omega_log_K, "omega_log_K", positive=True)
    w2 = _arr(omega_2_K, "omega_2_K", positive=True)
    mu = _arr(mu_star, "mu_star")
    lam_a, wlog, w2, mu = np.broadcast_arrays(lam_a, wlog, w2, mu)
    solvable = lam_a > mu * (1.0 + 0.62 * lam_a)
    safe = np.where(solvable, lam_a, 1.0)
    r = wlog / w2
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        den = 1.0 / safe - mu - r
        num = np.where(mu > 0, 6.86 * np.exp(-safe / np.where(mu > 0, mu, 1.0)), 0.0)
        pole_term = num / den
        f_w = 1.92 * (safe + r - np.cbrt(mu)) / (np.sqrt(safe) * np.exp(r)) - 0.08
        product = f_w * (pole_term + 1.0)
    near_pole = solvable & ~(np.abs(pole_term) <= XIE_POLE_LIMIT)
    negative = solvable & ~near_pole & (product < 0)
    reason = np.full(lam_a.size, "", dtype=object)
    den_f, pole_f, prod_f = den.reshape(-1), pole_term.reshape(-1), product.reshape(-1)
    for i in np.flatnonzero(near_pole):
        reason[i] = (
            f"outside the domain of the Xie et al. formula: its f_mu denominator 1/lambda - mu* - "
            f"omega_log/omega_2 = {den_f[i]:.3g} is near its pole (|f_mu - 1| = {abs(pole_f[i]):.3g} "
            f"> {XIE_POLE_LIMIT})"
        )
    for i in np.flatnonzero(negative):
        reason[i] = (
            f"outside the domain of the Xie et al. formula: f_omega f_mu = {prod_f[i]:.3g} < 0 (negative Tc)"
        )
    reason = reason.reshape(lam_a.shape)
    ok = ~(near_pole | negative)
    if ok.ndim == 0:
        return bool(ok), str(reason[()])
    return ok, reason


def xie_tc(
    lam: Any, *, omega_log_K: Any, omega_2_K: Any, mu_star: Any = 0.10, outside: str = "nan"
) -> float | np.ndarray:
    """Xie et al. (2022) machine-learned (SISSO) Tc in K, review Eq. (5).

    ``Tc = f_omega f_mu omega_log / 1.20 * exp(-1.04 (1 + lam) / (lam - mu* (1 + 0.62 lam)))``

    with ``f_omega = 1.92 (lam + omega_log/omega_2 - mu*^(1/3)) / (sqrt(lam) exp(omega_log/omega_2)) - 0.08``
    and ``f_mu = 6.86 exp(-lam/mu*) / (1/lam - mu* - omega_log/omega_2) + 1``.

    **Domain.** f_mu has a pole; near it, and wherever the product is negative, the published
    formula gives meaningless values (see :func:`xie_domain`). There ``outside="nan"`` (default)
    returns NaN and emits one :class:`XieDomainWarning` stating the reason; ``outside="value"``
    returns the published formula's value, silently.

    **Discrepancy with the review.** The review typesets f_omega as
    ``1.92 ((lam + omega_log sqrt(omega_2 - sqrt(mu*))) / sqrt(lam exp(omega_log/omega_2))) - 0.08``,
    which is dimensionally inconsistent (a frequency added to mu* and to lam). This function
    implements the form published by Xie et al., npj Comput. Mater. 8, 14 (2022), as transcribed
    in the project's review digest (section 2, Eq. 5): ratio ``omega_log/omega_2`` instead of
    ``omega_log sqrt(omega_2 ...)``, cube root of mu*, and ``sqrt(lam) exp(r)`` in the denominator.
    Both factors tend to ~1 for an Einstein spectrum with lam ~ 1, as they should.
    ``omega_2`` is Allen-Dynes' ``omega_2 bar`` = sqrt(<omega^2>). Returns 0.0 where
    ``lam <= mu* (1 + 0.62 lam)`` (no solution; see the module docstring).
    """
    if outside not in ("nan", "value"):
        raise ValueError(f"outside must be 'nan' or 'value', got {outside!r}")
    lam_a = _arr(lam, "lam")
    wlog = _arr(omega_log_K, "omega_log_K", positive=True)
    w2 = _arr(omega_2_K, "omega_2_K", positive=True)
    mu = _arr(mu_star, "mu_star")
    ok = np.asarray(has_solution(lam_a, mu_star=mu))
    safe_lam = np.where(ok, lam_a, 1.0)
    f_w = np.asarray(xie_f_omega(safe_lam, omega_log_K=wlog, omega_2_K=w2, mu_star=mu))
    f_m = np.asarray(xie_f_mu(safe_lam, omega_log_K=wlog, omega_2_K=w2, mu_star=mu))
    base = np.asarray(mcmillan_wlog_tc(lam_a, omega_log_K=wlog, mu_star=mu))
    val = np.where(ok, f_w * f_m * base, 0.0)
    if outside == "nan":
        inside, reason = xie_domain(lam_a, omega_log_K=wlog, omega_2_K=w2, mu_star=mu)
        inside = np.asarray(inside)
        if not np.all(inside):
            first = str(np.asarray(reason, dtype=object).reshape(-1)[np.flatnonzero(~inside.reshape(-1))[0]])
            n_out = int(np.sum(~inside))
            warnings.warn(
                f"xie_tc: {n_out} of {inside.size} value(s) set to NaN, {first}"
                + (" (and similar)" if n_out > 1 else ""),
                XieDomainWarning,
                stacklevel=2,
            )
            val = np.where(inside, val, np.nan)
    return _out(val)


# --------------------------------------------------------------------------- lambda, Eqs. (7), (8)

_AMU_KG = 1.66053906660e-27
_KB_J_PER_K = 1.380649e-23
_HBAR_JS = 1.054571817e-34
_EV_J = 1.602176634e-19


def hopfield_lambda(*, eta_eV_A2: Any, mass_amu: Any, omega_rms_K: Any) -> float | np.ndarray:
    """McMillan-Hopfield coupling ``lam = eta / (M <omega^2>)`` (review Eq. 7).

    ``eta_eV_A2``: Hopfield parameter N(E_F) <I^2> in eV/A^2; ``mass_amu``: ionic mass in amu;
    ``omega_rms_K``: sqrt(<omega^2>) expressed as a temperature (hbar omega / k_B) in K.
    The force constant M <omega^2> is converted to eV/A^2.
    """
    eta = _arr(eta_eV_A2, "eta_eV_A2")
    mass = _arr(mass_amu, "mass_amu", positive=True)
    w = _arr(omega_rms_K, "omega_rms_K", positive=True)
    omega_rad_s = w * _KB_J_PER_K / _HBAR_JS
    force_const_eV_A2 = mass * _AMU_KG * omega_rad_s**2 / _EV_J * 1e-20
    return _out(eta / force_const_eV_A2)


def gaspari_gyorffy_lambda(*, eta_eV_A2: Any, mass_amu: Any, omega_rms_K: Any) -> float | np.ndarray:
    """Species-resolved Gaspari-Gyorffy coupling ``lam = sum_j eta_j / (M_j <omega_j^2>)`` (Eq. 8).

    The three arguments broadcast; the sum runs over the **last** axis (atom types j), so a 1-D
    input gives one lam and an (n, species) array gives n values. ``eta_j`` (eV/A^2) comes from
    a Gaspari-Gyorffy calculation, which this package does not do.
    """
    per_species = np.asarray(hopfield_lambda(eta_eV_A2=eta_eV_A2, mass_amu=mass_amu, omega_rms_K=omega_rms_K))
    if per_species.ndim == 0:
        return float(per_species)
    return _out(per_species.sum(axis=-1))


# --------------------------------------------------------------------------- phonon moments


def allen_dynes_moments(*, omega: Any, spectral_weight: Any) -> tuple[float, float]:
    """Allen-Dynes frequency moments ``(omega_log, omega_2)`` of a discrete spectrum, in omega's unit.

    ``spectral_weight[i]`` is the mass m_i of alpha2F(w) dw at frequency ``omega[i]`` (> 0): alpha2F
    times a quadrature weight (:class:`reviewlib.tc.eliashberg.Spectrum`), or a phonon-DOS weight
    when alpha2F is taken proportional to F(w) (:func:`reviewlib.search.phonons.omega_log_K`). The
    averages use the Allen-Dynes (1975) weight g_i = m_i / w_i, each frequency's share of
    lam = 2 sum g_i::

        omega_log = exp(sum g ln w / sum g),  omega_2 = sqrt(sum g w^2 / sum g)

    Unit-agnostic: the moments come back in the unit of ``omega`` (K, THz, ...). This is the one
    implementation of both moments in the package. ``ValueError`` for arrays of different shapes
    or empty, frequencies that are not finite and > 0, weights that are negative or not finite, or
    weights all zero.
    """
    w = np.asarray(omega, dtype=float)
    m = np.asarray(spectral_weight, dtype=float)
    if w.shape != m.shape or w.size == 0:
        raise ValueError(
            f"omega {w.shape} and spectral_weight {m.shape} must be non-empty arrays of the same shape"
        )
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError("omega must be finite and > 0 (drop imaginary and zero modes first)")
    if not np.all(np.isfinite(m)) or np.any(m < 0):
        raise ValueError("spectral_weight must be finite and >= 0")
    g = m / w
    g_sum = np.sum(g)
    if not g_sum > 0:
        raise ValueError("spectral_weight is zero everywhere: the moments are undefined")
    omega_log = float(np.exp(np.sum(g * np.log(w)) / g_sum))
    omega_2 = float(np.sqrt(np.sum(g * w**2) / g_sum))
    return omega_log, omega_2


# --------------------------------------------------------------------------- networking value, Eq. (6)


def networking_phi_dos(*, phi: Any, h_fraction: Any, h_dos_fraction: Any) -> float | np.ndarray:
    """Belli et al. (2021) descriptor ``Phi_DOS = phi * H_f * H_DOS^(1/3)`` (review Eq. 6).

    All three inputs are fractions in [0, 1]: networking value (an ELF value), hydrogen fraction,
    hydrogen share of the DOS at E_F. ``ValueError`` outside [0, 1].
    """
    out = []
    for name, value in (("phi", phi), ("h_fraction", h_fraction), ("h_dos_fraction", h_dos_fraction)):
        arr = _arr(value, name)
        if np.any(arr > 1):
            raise ValueError(f"{name} is a fraction and must lie in [0, 1], got {value!r}")
        out.append(arr)
    return _out(out[0] * out[1] * np.cbrt(out[2]))


def networking_tc(phi_dos: Any, *, clip: bool = True) -> float | np.ndarray:
    """Belli et al. (2021) linear fit ``Tc = 750 Phi_DOS - 85`` in K (review Fig. 3; ~60 K accuracy).

    ``clip=True`` (default) returns 0.0 below Phi_DOS = 85/750 = 0.113, where the fit goes negative.
    """
    x = _arr(phi_dos, "phi_dos")
    tc = 750.0 * x - 85.0
    return _out(np.maximum(tc, 0.0) if clip else tc)


def tcestime_tc(phi_dos: Any, *, clip: bool = True) -> float | np.ndarray:
    """TcESTIME's refit of Belli et al.'s line, ``Tc = 456.34 Phi_DOS - 9.46`` in K (Novoa et al. 2025).

    The same descriptor as :func:`networking_tc` (Phi_DOS, :func:`networking_phi_dos`), refitted
    by the TcESTIME tool. ``clip=True`` (default) returns 0.0 below Phi_DOS = 9.46/456.34 = 0.0207,
    where the fit goes negative; ``clip=False`` gives the line itself.
    """
    x = _arr(phi_dos, "phi_dos")
    tc = 456.34 * x - 9.46
    return _out(np.maximum(tc, 0.0) if clip else tc)


# --------------------------------------------------------------------------- inversion


def lambda_from_tc(
    tc_K: float,
    *,
    omega_log_K: float,
    omega_2_K: float | None = None,
    mu_star: float = 0.10,
    formula: str = "xie",
    lam_max: float = 10.0,
) -> float:
    """Invert a closed-form formula for lambda: the lam in (threshold, ``lam_max``] giving ``tc_K``.

    ``formula``: "xie" (needs ``omega_2_K``), "allen_dynes" (``omega_2_K=None`` means f2 = 1) or
    "mcmillan" (omega_log/1.20 form). Scalars only. This is the "invertibility" Xie et al.
    advertise for a symbolic formula: lambda from a measured Tc and the phonon moments.
    ``ValueError`` if ``tc_K`` is not reached in the bracket (e.g. above the formula's Tc at
    ``lam_max``), or for bad input.
    """
    from scipy.optimize import brentq

    target = float(_arr(tc_K, "tc_K", positive=True))
    funcs = {
        "xie": lambda l: xie_tc(
            l, omega_log_K=omega_log_K, omega_2_K=omega_2_K, mu_star=mu_star, outside="value"
        ),
        "allen_dynes": lambda l: allen_dynes_tc(
            l, omega_log_K=omega_log_K, omega_2_K=omega_2_K, mu_star=mu_star
        ),
        "mcmillan": lambda l: mcmillan_wlog_tc(l, omega_log_K=omega_log_K, mu_star=mu_star),
    }
    if formula not in funcs:
        raise ValueError(f"formula must be one of {sorted(funcs)}, got {formula!r}")
    if formula == "xie" and omega_2_K is None:
        raise ValueError("formula 'xie' needs omega_2_K")
    mu = float(_arr(mu_star, "mu_star"))
    lo = mu / (1.0 - 0.62 * mu) * (1.0 + 1e-9) + 1e-12 if mu < 1 / 0.62 else None
    if lo is None or lo >= lam_max:
        raise ValueError(f"no lambda range with a solution for mu_star = {mu}")
    f = funcs[formula]
    grid = np.geomspace(lo, lam_max, 200)
    vals = np.asarray(f(grid)) - target
    idx = np.flatnonzero(np.sign(vals[:-1]) != np.sign(vals[1:]))
    if idx.size == 0:
        raise ValueError(
            f"tc_K = {target:g} K is not reached by the {formula} formula for lambda in "
            f"({lo:.3g}, {lam_max:g}] (omega_log = {omega_log_K} K, mu* = {mu})"
        )
    i = int(idx[0])
    return float(brentq(lambda l: float(f(l)) - target, grid[i], grid[i + 1], xtol=1e-10, rtol=1e-10))
