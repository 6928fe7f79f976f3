"""Models of electron-phonon quantities: GPR with calibrated intervals, chained Tc.

- :func:`make_gpr`: scikit-learn Gaussian process regression (scaled inputs, Matern-5/2 kernel
  with one length scale per feature, plus a white-noise term for label noise).
- :func:`interval_coverage`: fraction of held-out targets inside the central 68 % / 95 %
  Gaussian predictive intervals (a calibrated model gives about 0.68 / 0.95).
- :func:`chained_tc`: Tc in K from predicted ``lambda`` and ``omega_log`` (Allen-Dynes with
  f2 = 1, or McMillan in its omega_log/1.20 form), with unphysical predictions clipped.

Scores, bootstrap intervals and trivial baselines come from :mod:`reviewlib.evaluation`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = [
    "chained_tc",
    "gpr_predict",
    "interval_coverage",
    "make_gpr",
]


def make_gpr(*, n_features: int, seed: int, ard: bool = True, n_restarts: int = 0):
    """A GPR pipeline: ``StandardScaler`` -> GPR(C * Matern(nu=2.5) + White), ``normalize_y``.

    Matern 5/2 instead of the squared exponential because the targets are not infinitely smooth
    in the descriptors (twice differentiable is the usual assumption for materials properties);
    ``ard`` gives one length scale per feature (automatic relevance determination), so irrelevant
    descriptors get long length scales; the white-noise term absorbs DFT label noise and
    duplicate descriptors with different labels. Hyper-parameters by maximum marginal likelihood.
    """
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if n_features < 1:
        raise ValueError(f"n_features must be >= 1, got {n_features}")
    length = np.ones(n_features) * np.sqrt(n_features) if ard else np.sqrt(n_features)
    kernel = ConstantKernel(1.0, (1e-2, 1e2)) * Matern(
        length_scale=length, length_scale_bounds=(1e-2, 1e4), nu=2.5
    ) + WhiteKernel(0.1, (1e-5, 1e1))
    gpr = GaussianProcessRegressor(
        kernel=kernel, normalize_y=True, n_restarts_optimizer=n_restarts, random_state=seed
    )
    return make_pipeline(StandardScaler(), gpr)


def gpr_predict(model, X) -> tuple[np.ndarray, np.ndarray]:
    """Predictive mean and standard deviation (unit of the target) of a fitted :func:`make_gpr`."""
    mean, std = model.predict(np.asarray(X, dtype=float), return_std=True)
    return np.asarray(mean, dtype=float), np.asarray(std, dtype=float)


def interval_coverage(y_true, mean, std, *, levels=(0.68, 0.95)) -> dict[str, float]:
    """Fraction of ``y_true`` inside ``mean ± z std`` for each central level (Gaussian z).

    Keys ``"68%"``, ``"95%"`` (rounded level); a calibrated model gives values near the levels.
    """
    from scipy.stats import norm

    y_true, mean, std = (np.asarray(a, dtype=float) for a in (y_true, mean, std))
    if not (y_true.shape == mean.shape == std.shape) or y_true.ndim != 1:
        raise ValueError(f"shapes differ: y {y_true.shape}, mean {mean.shape}, std {std.shape}")
    if (std < 0).any() or not np.isfinite(np.concatenate([y_true, mean, std])).all():
        raise ValueError("interval_coverage: std must be finite and >= 0, values finite")
    out = {}
    for level in levels:
        if not 0 < level < 1:
            raise ValueError(f"levels must lie in (0, 1), got {level}")
        z = norm.ppf(0.5 + level / 2)
        out[f"{round(100 * level)}%"] = float(np.mean(np.abs(y_true - mean) <= z * std))
    return out


def chained_tc(
    lam,
    *,
    omega_log_K,
    mu_star: float = 0.10,
    formula: Literal["allen_dynes", "mcmillan"] = "allen_dynes",
) -> np.ndarray:
    """Tc in K from (predicted) ``lam`` and ``omega_log_K`` (K).

    ``allen_dynes``: review Eq. 4 with f2 = 1 (omega_2 is not predicted); ``mcmillan``: the
    omega_log/1.20 form (Eq. 4 with f1 = f2 = 1), as Tran & Vu used. Predictions below the
    physical range are clipped (lambda >= 0, omega_log >= 1 K); lambda <= mu*(1 + 0.62 lambda)
    gives Tc = 0.
    """
    from reviewlib import tc

    lam = np.clip(np.asarray(lam, dtype=float), 0.0, None)
    wlog = np.clip(np.asarray(omega_log_K, dtype=float), 1.0, None)
    if lam.shape != wlog.shape:
        raise ValueError(f"lam {lam.shape} and omega_log_K {wlog.shape} differ in shape")
    if formula == "allen_dynes":
        out = tc.allen_dynes_tc(lam, omega_log_K=wlog, omega_2_K=None, mu_star=mu_star)
    elif formula == "mcmillan":
        out = tc.mcmillan_wlog_tc(lam, omega_log_K=wlog, mu_star=mu_star)
    else:
        raise ValueError(f"formula must be 'allen_dynes' or 'mcmillan', got {formula!r}")
    return np.atleast_1d(np.asarray(out, dtype=float)).reshape(lam.shape)


def fluorite_dihydride(metal: str, *, a_A: float = 4.05, relax: bool = True, fmax_eV_A: float = 0.05):
    """A CaF2-type (fluorite, Fm-3m) dihydride ``metal``H2 in its primitive cell (1 metal + 2 H).

    The structure of the neighbouring TiH2 and VH2, used by chapter 07 as *our assumption* for a
    dihydride whose structure a paper does not give (CrH2 of Tran & Vu 2023). ``a_A`` is the
    starting cubic lattice constant (Angstrom). With ``relax`` the cell and positions are relaxed
    at 0 GPa with CHGNet (:func:`reviewlib.mlip.chgnet_calculator`, FIRE on a Frechet cell filter,
    at most 200 steps, forces below ``fmax_eV_A``): an ML interatomic potential, not DFT.
    Returns a pymatgen ``Structure``.
    """
    import warnings

    from pymatgen.core import Lattice, Structure

    if a_A <= 0:
        raise ValueError(f"a_A must be positive, got {a_A}")
    cell = Structure.from_spacegroup(
        "Fm-3m", Lattice.cubic(a_A), [metal, "H"], [[0, 0, 0], [0.25, 0.25, 0.25]]
    ).get_primitive_structure()
    if not relax:
        return cell
    from ase.filters import FrechetCellFilter
    from ase.optimize import FIRE
    from pymatgen.io.ase import AseAtomsAdaptor

    from reviewlib.mlip import chgnet_calculator

    atoms = AseAtomsAdaptor.get_atoms(cell)
    atoms.calc = chgnet_calculator()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        FIRE(FrechetCellFilter(atoms), logfile=None).run(fmax=fmax_eV_A, steps=200)
    return AseAtomsAdaptor.get_structure(atoms)


PHONON_FREE = ["N(E_F)", "mean mass (amu)", "max mass (amu)", "mean non-H mass (amu)", "H fraction"]
"""Chapter 08's Shipley-like inputs that need no phonon calculation (column names of
:func:`phonon_free_descriptors`; N(E_F) in the unit of its source)."""


def phonon_free_descriptors(structures, *, dos_ef, debye_temperature_K):
    """Descriptors of chapter 08 that need no phonon calculation, one row per structure.

    Columns :data:`PHONON_FREE` (``N(E_F)`` = ``dos_ef`` as given; masses in amu from the
    composition: the composition-weighted mean, the largest, the mean over non-H elements (H's
    mass for elemental hydrogen); ``H fraction`` = atomic fraction of H) and ``Debye T (K)`` =
    ``debye_temperature_K``. Stand-ins for Shipley et al.'s eta_H, eta_X, M_X, N(E_F),
    N_H(E_F)/N(E_F), which need a partial DOS and phase shifts no public table holds.
    """
    import pandas as pd

    dos_ef = np.asarray(dos_ef, dtype=float)
    debye = np.asarray(debye_temperature_K, dtype=float)
    structures = list(structures)
    if not (len(structures) == len(dos_ef) == len(debye)):
        raise ValueError(f"{len(structures)} structures, {len(dos_ef)} dos_ef, {len(debye)} Debye values")
    rows = []
    for s in structures:
        comp = s.composition.fractional_composition
        masses = {el.symbol: float(el.atomic_mass) for el in comp.elements}
        non_h = [m for sym, m in masses.items() if sym != "H"] or [masses.get("H", 1.008)]
        rows.append(
            {
                "mean mass (amu)": float(sum(masses[el.symbol] * x for el, x in comp.items())),
                "max mass (amu)": max(masses.values()),
                "mean non-H mass (amu)": float(np.mean(non_h)),
                "H fraction": float(comp["H"]) if "H" in masses else 0.0,
            }
        )
    out = pd.DataFrame(rows, columns=PHONON_FREE[1:])
    out.insert(0, "N(E_F)", dos_ef)
    out["Debye T (K)"] = debye
    return out
