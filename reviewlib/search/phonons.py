"""Harmonic phonons (phonopy, finite displacements) and self-consistent anharmonic phonons (hiphive).

Forces come from any ASE calculator, here a universal MLIP. The anharmonic step is hiphive's
self-consistent harmonic approximation: supercells are rattled along the current phonon modes
with quantum (Bose-Einstein plus zero-point) amplitudes at temperature T, the MLIP forces on them
are fitted with second-order force constants, and the cycle repeats a fixed number of times (the
relative change of the force constants per cycle is returned, so a caller can see whether they
stopped changing). It is the same variational idea as SSCHA (Monacelli et al. 2021), without
SSCHA's free-energy gradient on the structure: the high-symmetry positions are kept fixed.

Frequencies are in THz (ordinary, not angular); temperatures and omega_log in K.
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from reviewlib.tc.formulas import allen_dynes_moments
from reviewlib.units import K_PER_THZ

#: Labelled q-points in conventional cubic reciprocal coordinates (units of 2 pi / a)
CUBIC_PATHS: dict[str, list[tuple[str, tuple[float, float, float]]]] = {
    "I": [
        ("$\\Gamma$", (0, 0, 0)),
        ("H", (0, 0, 1)),
        ("N", (0.5, 0.5, 0)),
        ("$\\Gamma$", (0, 0, 0)),
        ("P", (0.5, 0.5, 0.5)),
        ("H", (0, 0, 1)),
    ],
    "F": [
        ("$\\Gamma$", (0, 0, 0)),
        ("X", (0, 1, 0)),
        ("W", (0.5, 1, 0)),
        ("K", (0.75, 0.75, 0)),
        ("$\\Gamma$", (0, 0, 0)),
        ("L", (0.5, 0.5, 0.5)),
    ],
}
#: phonopy primitive matrices (columns: primitive vectors in conventional fractional coordinates)
PRIMITIVE_MATRICES = {
    "I": [[-0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.5, 0.5, -0.5]],
    "F": [[0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]],
    "P": np.eye(3).tolist(),
}


def _to_phonopy_atoms(atoms: Any) -> Any:
    from phonopy.structure.atoms import PhonopyAtoms

    return PhonopyAtoms(
        symbols=atoms.get_chemical_symbols(),
        cell=np.asarray(atoms.cell),
        scaled_positions=atoms.get_scaled_positions(),
    )


def _to_ase(patoms: Any) -> Any:
    from ase import Atoms

    return Atoms(symbols=patoms.symbols, cell=patoms.cell, scaled_positions=patoms.scaled_positions, pbc=True)


def _idealise(atoms: Any, *, symprec: float) -> Any:
    """The conventional standard cell of ``atoms`` with exactly symmetric positions (spglib)."""
    import spglib
    from ase import Atoms

    cell = (np.asarray(atoms.cell), atoms.get_scaled_positions(), atoms.numbers)
    std = spglib.standardize_cell(cell, to_primitive=False, no_idealize=False, symprec=symprec)
    if std is None:
        raise ValueError(
            f"spglib could not find the symmetry of {atoms.get_chemical_formula()} (symprec {symprec})"
        )
    lattice, positions, numbers = std
    if len(numbers) != len(atoms):
        raise ValueError(
            f"{atoms.get_chemical_formula()}: pass the conventional cell "
            f"({len(numbers)} atoms), not {len(atoms)} atoms"
        )
    return Atoms(numbers=numbers, cell=lattice, scaled_positions=positions, pbc=True)


def harmonic_phonons(
    *,
    atoms: Any,
    calc: Any,
    supercell: int | Sequence[int] = 2,
    centering: str = "P",
    displacement_A: float = 0.01,
    symprec: float = 1e-3,
) -> Any:
    """Harmonic force constants by finite displacements: a ``phonopy.Phonopy`` ready for bands/mesh.

    The cell is first idealised by spglib (positions and lattice made exactly symmetric within
    ``symprec``, Å), so the numerical noise of a relaxation does not break the symmetry that
    phonopy and hiphive rely on.

    Args:
        atoms: the conventional cell (ASE ``Atoms``), already relaxed.
        calc: ASE calculator for the forces (eV/Å).
        supercell: supercell multiple of the conventional cell (one int or three).
        centering: lattice centering of the conventional cell (``"P"``, ``"I"``, ``"F"``).
        displacement_A: finite displacement (Å).
        symprec: symmetry tolerance of the idealisation (Å).
    """
    from phonopy import Phonopy

    if centering not in PRIMITIVE_MATRICES:
        raise ValueError(f"centering must be one of {sorted(PRIMITIVE_MATRICES)}")
    mult = [supercell] * 3 if isinstance(supercell, int) else list(supercell)
    atoms = _idealise(atoms, symprec=symprec)
    phonon = Phonopy(
        _to_phonopy_atoms(atoms),
        supercell_matrix=np.diag(mult),
        primitive_matrix=PRIMITIVE_MATRICES[centering],
    )
    phonon.generate_displacements(distance=displacement_A)
    forces = []
    for sc in phonon.supercells_with_displacements:
        sc_atoms = _to_ase(sc)
        sc_atoms.calc = calc
        f = sc_atoms.get_forces()
        forces.append(f - f.mean(axis=0))  # remove the net drift force
    phonon.forces = np.array(forces)
    phonon.produce_force_constants()
    phonon.symmetrize_force_constants()
    return phonon


def self_consistent_phonons(
    *,
    phonon: Any,
    calc: Any,
    temperature_K: float,
    cutoff_A: float,
    n_iterations: int = 10,
    n_structures: int = 20,
    alpha: float = 0.5,
    imag_freq_factor: float = 1.0,
    quantum: bool = True,
    seed: int = 0,
    progress: bool = True,
    min_distance_A: float = 0.6,
    max_change: float = 2.0,
) -> tuple[Any, list[float]]:
    """Temperature-dependent effective harmonic force constants (hiphive self-consistent phonons).

    Args:
        phonon: a ``Phonopy`` with harmonic force constants (:func:`harmonic_phonons`); it is
            copied, not changed.
        calc: ASE calculator for the forces on rattled supercells.
        temperature_K: temperature of the phonon rattling (K).
        cutoff_A: pair cutoff of the second-order cluster space (Å); below half the supercell size.
        n_iterations: self-consistency cycles.
        n_structures: rattled supercells per cycle (each costs one force evaluation).
        alpha: mixing of new into old force-constant parameters (0-1].
        imag_freq_factor: an imaginary mode is rattled as if w^2 were ``factor * |w^2|``.
        quantum: Bose-Einstein amplitudes with zero-point motion (True) or classical ones.
        seed: seed of the rattling.
        progress: tqdm bar over the cycles (its postfix counts rejected rattled cells).
        min_distance_A: a rattled supercell with two atoms closer than this (Å) is unphysical
            (a soft or imaginary mode rattled with a huge amplitude) and is replaced by a new draw;
            after three draws the cycle goes on with the cells it has.
        max_change: a cycle whose relative parameter change exceeds this has diverged.

    Raises:
        SCPHDivergedError: the parameters ran away (relative change above ``max_change``), or no
            rattled cell of a cycle passed the distance check; the message names the cycle.

    Returns:
        (a new ``Phonopy`` holding the effective force constants, the relative parameter
        change per cycle).
    """
    from hiphive import StructureContainer
    from hiphive.force_constant_model import ForceConstantModel
    from hiphive.structure_generation import generate_phonon_rattled_structures
    from hiphive.utilities import prepare_structures
    from tqdm.auto import tqdm
    from trainstation import Optimizer

    if not 0 < alpha <= 1:
        raise ValueError("alpha must be in (0, 1]")
    # start from the harmonic force constants projected on the cluster space
    cs, ideal, params = _truncated_start(phonon=phonon, cutoff_A=cutoff_A)
    fcm = ForceConstantModel(ideal, cs)
    sc = StructureContainer(cs)
    changes: list[float] = []
    state = np.random.get_state()  # noqa: NPY002 - hiphive draws from the legacy global generator
    np.random.seed(seed)  # noqa: NPY002
    try:
        bar = tqdm(range(n_iterations), desc=f"SCPH {temperature_K:g} K", disable=not progress)
        rejected = 0
        for cycle in bar:
            fcm.parameters = params
            fc2_now = fcm.get_force_constants().get_fc_array(order=2, format="ase")
            rattled: list[Any] = []
            for _draw in range(3):
                with _quiet_hiphive():
                    draws = generate_phonon_rattled_structures(
                        ideal,
                        fc2_now,
                        n_structures - len(rattled),
                        temperature_K,
                        QM_statistics=quantum,
                        imag_freq_factor=imag_freq_factor,
                    )
                good = [a for a in draws if _min_distance(a) >= min_distance_A]
                rejected += len(draws) - len(good)
                rattled += good
                if len(rattled) == n_structures:
                    break
            bar.set_postfix(rejected=rejected)
            if not rattled:
                raise SCPHDivergedError(
                    f"cycle {cycle + 1}: every rattled supercell had atoms closer than {min_distance_A} Å "
                    "(a soft mode rattled with a huge amplitude); try a higher temperature, a larger "
                    "imag_freq_factor or more mixing (smaller alpha)"
                )
            rattled = prepare_structures(rattled, ideal, calc, False)
            for structure in rattled:
                sc.add_structure(structure)
            opt = Optimizer(sc.get_fit_data(), train_size=1.0, fit_method="least-squares")
            opt.train()
            sc.delete_all_structures()
            new = alpha * opt.parameters + (1 - alpha) * params
            changes.append(float(np.linalg.norm(new - params) / max(np.linalg.norm(params), 1e-12)))
            if not np.isfinite(changes[-1]) or changes[-1] > max_change:
                raise SCPHDivergedError(
                    f"cycle {cycle + 1}: the force-constant parameters changed by {changes[-1]:.3g} "
                    f"(relative; limit {max_change}), i.e. the self-consistent loop ran away "
                    f"(changes so far: {', '.join(f'{c:.3g}' for c in changes)})"
                )
            params = new
    finally:
        np.random.set_state(state)  # noqa: NPY002
    return _phonon_from_parameters(phonon=phonon, cs=cs, ideal=ideal, params=params), changes


@contextlib.contextmanager
def pinned_threads(n_threads: int = 1):
    """Run the block with ``n_threads`` torch and BLAS/OpenMP threads, then restore the old counts.

    The float32 forces of CHGNet and SevenNet are not bit-reproducible with more than one torch
    thread: the parallel reductions of the message passing change their order between calls, so
    two force calls on the same structure differ by about 1e-6 eV/Å, and a self-consistent loop
    through imaginary modes amplifies that into different phonons. With one thread the forces,
    and hence the whole loop, are identical from run to run on the same machine and software.
    """
    import torch
    from threadpoolctl import threadpool_limits

    old = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        with threadpool_limits(limits=n_threads):
            yield
    finally:
        torch.set_num_threads(old)


def phonon_stages(
    *,
    jobs: Sequence[tuple[str, Any, bool]],
    supercell: int | Sequence[int],
    centering: str,
    cutoff_A: float,
    temperature_K: float,
    n_iterations: int,
    n_structures: int,
    seed: int,
    n_jobs: int = 2,
) -> list[dict[str, Any]]:
    """Harmonic, truncated-control and (optionally) self-consistent phonons of several cells.

    Each job is ``(model, atoms, scph)``: a potential of :data:`reviewlib.mlip.MODELS`, a
    conventional cell (ASE ``Atoms``) and whether to run the self-consistent loop. Every job is
    one task of ``n_jobs`` joblib workers, the self-consistent ones first and CHGNet's (the
    slower potential) before SevenNet's, so the workers finish close together; a worker loads
    each potential once (:func:`reviewlib.mlip.calculator` caches it per process) and computes
    with one torch and one BLAS thread (:func:`pinned_threads`). The results are then
    bit-identical from run to run and do not depend on ``n_jobs``, on the worker or on the
    order of the jobs (every loop is seeded with ``seed``). Memory: each worker may hold both
    potentials (one CHGNet force call on 64 atoms of H3S at 150 GPa peaks at 4.1 GB).

    Args:
        jobs: ``(model, atoms, scph)`` per cell.
        supercell: supercell multiple of the conventional cell (:func:`harmonic_phonons`).
        centering: lattice centering of the conventional cell (:func:`harmonic_phonons`).
        cutoff_A: pair cutoff (Å) of the truncated control and of the loop.
        temperature_K: temperature of the phonon rattling (K).
        n_iterations: self-consistency cycles (:func:`self_consistent_phonons`).
        n_structures: rattled supercells per cycle.
        seed: seed of the rattling, the same for every job.
        n_jobs: joblib workers; 1 runs everything in this process (still pinned to one thread).

    Returns:
        One dict per job, in order: ``harmonic`` and ``truncated`` (``Phonopy``), and where
        ``scph``: ``self_consistent`` (a ``Phonopy``, or the text ``"diverged: <reason>"``) and
        ``changes`` (relative force-constant change per cycle; None if it diverged).
    """
    from joblib import Parallel, delayed

    from reviewlib import mlip

    for k, (model, _atoms, _scph) in enumerate(jobs):
        if model not in mlip.MODELS:
            raise ValueError(f"jobs[{k}]: unknown potential {model!r}; choose one of {mlip.MODELS}")
    settings = {
        "supercell": supercell,
        "centering": centering,
        "cutoff_A": cutoff_A,
        "temperature_K": temperature_K,
        "n_iterations": n_iterations,
        "n_structures": n_structures,
        "seed": seed,
    }
    # the longest first: self-consistent loops, CHGNet before SevenNet
    order = sorted(range(len(jobs)), key=lambda k: (not jobs[k][2], mlip.MODELS.index(jobs[k][0]), k))
    tasks = [delayed(_stages_of_one_job)(*jobs[k], settings) for k in order]
    if n_jobs <= 1 or len(tasks) < 2:
        done = [task[0](*task[1], **task[2]) for task in tasks]
    else:
        done = Parallel(n_jobs=min(n_jobs, len(tasks)))(tasks)
    out: list[dict[str, Any]] = [{} for _ in jobs]
    for k, stages in zip(order, done, strict=True):
        out[k] = stages
    return out


def _stages_of_one_job(model: str, atoms: Any, scph: bool, settings: dict) -> dict[str, Any]:
    """The stages of one cell and potential, in this process, with one thread."""
    from reviewlib import mlip

    s = settings
    with pinned_threads(1):
        calc = mlip.calculator(model=model, stress=False)
        harm = harmonic_phonons(atoms=atoms, calc=calc, supercell=s["supercell"], centering=s["centering"])
        stages: dict[str, Any] = {
            "harmonic": harm,
            "truncated": truncated_harmonic_phonons(phonon=harm, cutoff_A=s["cutoff_A"]),
        }
        if scph:
            try:
                stages["self_consistent"], stages["changes"] = self_consistent_phonons(
                    phonon=harm,
                    calc=calc,
                    temperature_K=s["temperature_K"],
                    cutoff_A=s["cutoff_A"],
                    n_iterations=s["n_iterations"],
                    n_structures=s["n_structures"],
                    seed=s["seed"],
                    progress=False,
                )
            except SCPHDivergedError as exc:  # shown with its reason
                stages["self_consistent"], stages["changes"] = f"diverged: {exc}", None
    return stages


def truncated_harmonic_phonons(*, phonon: Any, cutoff_A: float) -> Any:
    """The harmonic force constants restricted to the model of the self-consistent loop.

    The control of :func:`self_consistent_phonons`: the same second-order cluster space (pairs
    within ``cutoff_A``, symmetry and acoustic sum rule imposed by hiphive) fitted to the
    harmonic force constants of ``phonon``, with no rattling and no self-consistency. It is the
    loop's starting point, so a stable spectrum here means that the truncation, not the
    anharmonic sampling, removed the imaginary modes.

    Args:
        phonon: a ``Phonopy`` with harmonic force constants (:func:`harmonic_phonons`); not changed.
        cutoff_A: pair cutoff (Å), below half the supercell length.

    Returns:
        A new ``Phonopy`` holding the truncated force constants.

    Raises:
        ValueError: a cutoff at or beyond half the supercell length.
    """
    cs, ideal, params = _truncated_start(phonon=phonon, cutoff_A=cutoff_A)
    return _phonon_from_parameters(phonon=phonon, cs=cs, ideal=ideal, params=params)


def _truncated_start(*, phonon: Any, cutoff_A: float) -> tuple[Any, Any, np.ndarray]:
    """(cluster space within ``cutoff_A``, ideal supercell, the harmonic FCs projected on it)."""
    from hiphive import ClusterSpace

    prim = _to_ase(phonon.primitive)
    ideal = _to_ase(phonon.supercell)
    half = 0.5 * min(np.linalg.norm(np.asarray(ideal.cell), axis=1))
    if cutoff_A >= half:
        raise ValueError(f"cutoff_A={cutoff_A} Å must be below half the supercell length ({half:.2f} Å)")
    with _quiet_hiphive():
        cs = ClusterSpace(prim, [cutoff_A])
    return cs, ideal, _project(cs=cs, ideal=ideal, fc2=phonon.force_constants)


def _phonon_from_parameters(*, phonon: Any, cs: Any, ideal: Any, params: np.ndarray) -> Any:
    """A copy of ``phonon`` whose force constants are those of the cluster-space ``params``."""
    from hiphive import ForceConstantPotential

    with _quiet_hiphive():
        fcp = ForceConstantPotential(cs, params)
        fcs = fcp.get_force_constants(ideal)
    out = _copy_phonon(phonon)
    out.force_constants = fcs.get_fc_array(order=2)
    return out


@contextlib.contextmanager
def _quiet_hiphive():
    """Silence the summaries hiphive logs at INFO (to the stdout it saw at import) or prints;
    its warnings stay.
    """
    log = logging.getLogger("hiphive")
    old = log.level
    log.setLevel(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        log.setLevel(old)


class _DropImaginaryNotice(logging.Filter):
    """hiphive logs "Imaginary modes present" on every rattling of an unstable model; the loop
    expects them (they are rattled with ``imag_freq_factor``), so the notice is dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "Imaginary modes present" not in record.getMessage()


_HIPHIVE_RATTLE_LOG = logging.getLogger("hiphive.hiphive.structure_generation.phonon")
if not any(isinstance(f, _DropImaginaryNotice) for f in _HIPHIVE_RATTLE_LOG.filters):
    _HIPHIVE_RATTLE_LOG.addFilter(_DropImaginaryNotice())


class SCPHDivergedError(RuntimeError):
    """The self-consistent phonon loop ran away; the message names the cycle and the reason."""


def _min_distance(atoms: Any) -> float:
    """Shortest interatomic distance in a periodic ASE cell (Å)."""
    d = atoms.get_all_distances(mic=True)
    np.fill_diagonal(d, np.inf)
    return float(d.min())


def _project(*, cs: Any, ideal: Any, fc2: np.ndarray) -> np.ndarray:
    """Least-squares parameters of ``cs`` that reproduce the force constants ``fc2`` (N, N, 3, 3)."""
    from hiphive.force_constant_model import ForceConstantModel

    fcm = ForceConstantModel(ideal, cs)
    rng = np.random.default_rng(12345)
    rows_a, rows_f = [], []
    n = len(ideal)
    for _ in range(max(4, 60 // max(n // 10, 1))):
        u = rng.normal(0.0, 0.01, size=(n, 3))
        forces = -np.einsum("ijab,jb->ia", fc2, u)
        rows_a.append(fcm.get_fit_matrix(u))
        rows_f.append(forces.ravel())
    params, *_ = np.linalg.lstsq(np.vstack(rows_a), np.concatenate(rows_f), rcond=None)
    return params


def _copy_phonon(phonon: Any) -> Any:
    from phonopy import Phonopy

    return Phonopy(
        phonon.unitcell,
        supercell_matrix=phonon.supercell_matrix,
        primitive_matrix=phonon.primitive_matrix,
    )


def band_structure(
    *, phonon: Any, centering: str, n_points: int = 41
) -> tuple[np.ndarray, np.ndarray, list[float], list[str]]:
    """Phonon dispersion along the standard cubic path for centering ``"I"`` (bcc) or ``"F"`` (fcc).

    Returns:
        (distances along the path, frequencies in THz with shape (n_q, n_modes; imaginary modes
        negative), tick positions, tick labels).
    """
    if centering not in CUBIC_PATHS:
        raise ValueError(f"no standard path for centering {centering!r}; use 'I' or 'F'")
    m = np.array(PRIMITIVE_MATRICES[centering], dtype=float)
    points = CUBIC_PATHS[centering]
    paths = []
    for (_, a), (_, b) in zip(points[:-1], points[1:], strict=True):
        qa, qb = m.T @ np.array(a, float), m.T @ np.array(b, float)
        paths.append([qa + (qb - qa) * t for t in np.linspace(0, 1, n_points)])
    phonon.run_band_structure(paths, labels=[p[0] for p in points])
    bands = phonon.band_structure
    dist = np.concatenate(bands.distances)
    freqs = np.concatenate(bands.frequencies)
    ticks = [float(d[0]) for d in bands.distances] + [float(bands.distances[-1][-1])]
    return dist, freqs, ticks, [p[0] for p in points]


def mesh_frequencies(*, phonon: Any, mesh: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Frequencies (THz, imaginary negative) and q-point weights on a Gamma-centred ``mesh``^3 grid."""
    phonon.run_mesh([mesh] * 3, is_gamma_center=True)
    freqs = np.asarray(phonon.mesh.frequencies)
    weights = np.repeat(np.asarray(phonon.mesh.weights, float)[:, None], freqs.shape[1], axis=1)
    return freqs.ravel(), weights.ravel()


def omega_log_K(
    *, frequencies_THz: np.ndarray, weights: np.ndarray, min_THz: float = 0.05
) -> dict[str, float]:
    """Logarithmic average phonon frequency of a DOS, taking alpha^2 F(w) proportional to F(w).

    omega_log = exp( sum w_i ln(f_i) / f_i / sum w_i / f_i ) over real modes above ``min_THz``
    (:func:`reviewlib.tc.formulas.allen_dynes_moments`, the same moments as
    :class:`reviewlib.tc.eliashberg.Spectrum`).

    Returns:
        ``omega_log_K`` (K), ``omega_2_K`` (K, sqrt of the same-weighted mean of f^2) and
        ``imaginary_fraction`` (weight fraction of modes below ``-min_THz``).
    """
    f = np.asarray(frequencies_THz, float)
    w = np.asarray(weights, float)
    if f.shape != w.shape or f.size == 0:
        raise ValueError("frequencies and weights must be non-empty arrays of the same shape")
    real = f > min_THz
    if not real.any():
        raise ValueError("no real phonon frequencies above min_THz")
    log_avg, w2 = allen_dynes_moments(omega=f[real], spectral_weight=w[real])
    return {
        "omega_log_K": log_avg * K_PER_THZ,
        "omega_2_K": w2 * K_PER_THZ,
        "imaginary_fraction": float(w[f < -min_THz].sum() / w.sum()),
    }
