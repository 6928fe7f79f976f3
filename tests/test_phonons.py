import numpy as np
import pytest
from ase.build import bulk
from ase.calculators.emt import EMT

from reviewlib.search import phonons
from reviewlib.units import K_PER_THZ


@pytest.fixture(scope="module")
def cu_harmonic():
    atoms = bulk("Cu", "fcc", a=3.6, cubic=True)  # near EMT's equilibrium (3.59 Å)
    return phonons.harmonic_phonons(atoms=atoms, calc=EMT(), supercell=2, centering="F")


def test_omega_log_of_an_einstein_spectrum_is_its_frequency():
    out = phonons.omega_log_K(frequencies_THz=np.array([5.0, 5.0, -1.0]), weights=np.array([1.0, 1.0, 2.0]))
    assert out["omega_log_K"] == pytest.approx(5.0 * K_PER_THZ)
    assert out["omega_2_K"] == pytest.approx(5.0 * K_PER_THZ)
    assert out["imaginary_fraction"] == pytest.approx(0.5)


def test_omega_log_refuses_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        phonons.omega_log_K(frequencies_THz=np.array([1.0, 2.0]), weights=np.array([1.0]))
    with pytest.raises(ValueError, match="no real"):
        phonons.omega_log_K(frequencies_THz=np.array([-1.0]), weights=np.array([1.0]))


def test_omega_log_of_a_dos_equals_the_spectrum_moments_of_the_same_alpha2f():
    # alpha2F taken proportional to a tabulated DOS F(f): the phonon route (point weights = the
    # trapezoid masses F_i df_i) and the Eliashberg Spectrum on the same grid share one implementation
    from reviewlib.tc.eliashberg import Spectrum

    f = np.linspace(0.5, 20.0, 400)
    dos = f**2 * np.exp(-(((f - 12.0) / 4.0) ** 2)) + 0.3 * np.exp(-(((f - 4.0) / 0.8) ** 2))
    trapz = np.full(f.size, f[1] - f[0])
    trapz[[0, -1]] /= 2
    out = phonons.omega_log_K(frequencies_THz=f, weights=dos * trapz, min_THz=0.0)
    spec = Spectrum(omega_K=f * K_PER_THZ, a2f=dos)
    assert out["omega_log_K"] == pytest.approx(spec.omega_log_K, rel=1e-12)
    assert out["omega_2_K"] == pytest.approx(spec.omega_2_K, rel=1e-12)
    assert spec.omega_log_K < spec.omega_2_K  # a broad spectrum: geometric below quadratic mean
    with pytest.raises(ValueError, match="spectral_weight"):
        phonons.omega_log_K(frequencies_THz=f, weights=-dos)


def test_harmonic_phonons_of_fcc_copper_with_emt(cu_harmonic):
    dist, freqs, ticks, labels = phonons.band_structure(phonon=cu_harmonic, centering="F", n_points=9)
    assert labels[0] == labels[4] == "$\\Gamma$" and len(ticks) == len(labels)
    assert freqs.min() > -0.05  # stable, acoustic modes vanish at Gamma
    assert abs(freqs[0]).max() < 0.05
    # X point (end of the first segment): measured Cu zone-boundary LA about 7.3 THz; EMT is close
    x_point = freqs[8]
    assert 6.0 < x_point.max() < 8.5
    f, w = phonons.mesh_frequencies(phonon=cu_harmonic, mesh=6)
    assert w.sum() == pytest.approx(6**3 * 3)
    stats = phonons.omega_log_K(frequencies_THz=f, weights=w)
    assert 150 < stats["omega_log_K"] < 300 and stats["imaginary_fraction"] == 0


def test_self_consistent_phonons_stay_near_harmonic_for_a_weakly_anharmonic_solid(cu_harmonic):
    scph, changes = phonons.self_consistent_phonons(
        phonon=cu_harmonic,
        calc=EMT(),
        temperature_K=50.0,
        cutoff_A=3.5,
        n_iterations=3,
        n_structures=4,
        seed=1,
        progress=False,
    )
    assert len(changes) == 3
    f_h, w = phonons.mesh_frequencies(phonon=cu_harmonic, mesh=4)
    f_a, _ = phonons.mesh_frequencies(phonon=scph, mesh=4)
    assert np.abs(f_a - f_h).max() < 0.1 * f_h.max()
    # seeded: the same call gives the same force constants
    again, _ = phonons.self_consistent_phonons(
        phonon=cu_harmonic,
        calc=EMT(),
        temperature_K=50.0,
        cutoff_A=3.5,
        n_iterations=3,
        n_structures=4,
        seed=1,
        progress=False,
    )
    assert np.allclose(again.force_constants, scph.force_constants)


def test_cutoff_beyond_half_the_supercell_is_refused(cu_harmonic):
    with pytest.raises(ValueError, match="half the supercell"):
        phonons.self_consistent_phonons(
            phonon=cu_harmonic, calc=EMT(), temperature_K=10.0, cutoff_A=5.0, progress=False
        )


def test_unknown_centering_is_refused(cu_harmonic):
    with pytest.raises(ValueError, match="centering"):
        phonons.band_structure(phonon=cu_harmonic, centering="C")


def test_rattled_cells_with_overlapping_atoms_are_rejected_and_none_left_raises(cu_harmonic):
    # Cu-Cu is 2.55 Å: asking for 3 Å between all atoms rejects every rattled cell
    with pytest.raises(phonons.SCPHDivergedError, match="cycle 1: every rattled supercell"):
        phonons.self_consistent_phonons(
            phonon=cu_harmonic,
            calc=EMT(),
            temperature_K=300.0,
            cutoff_A=3.0,
            n_iterations=2,
            n_structures=2,
            min_distance_A=3.0,
            progress=False,
        )


class _Wild(EMT):
    """EMT whose forces are a thousand times too large: the self-consistent loop must run away."""

    def calculate(self, *args, **kwargs):
        super().calculate(*args, **kwargs)
        self.results["forces"] = 1000.0 * self.results["forces"]


def test_runaway_self_consistent_loop_raises_naming_the_cycle(cu_harmonic):
    with pytest.raises(phonons.SCPHDivergedError, match=r"cycle 1: the force-constant parameters changed"):
        phonons.self_consistent_phonons(
            phonon=cu_harmonic,
            calc=_Wild(),
            temperature_K=300.0,
            cutoff_A=3.0,
            n_iterations=2,
            n_structures=2,
            progress=False,
        )


def test_truncated_harmonic_keeps_only_pairs_within_the_cutoff_and_is_the_loops_start(cu_harmonic):
    # fcc Cu at a = 3.6 Å: nearest neighbours at 2.55 Å, second neighbours at 3.6 Å
    cutoff = 3.0
    truncated = phonons.truncated_harmonic_phonons(phonon=cu_harmonic, cutoff_A=cutoff)
    fc = truncated.force_constants
    sc = phonons._to_ase(truncated.supercell)
    d = sc.get_all_distances(mic=True)
    beyond = d > cutoff + 0.1
    assert np.abs(fc[beyond]).max() < 1e-8  # the second neighbours are cut away
    assert np.abs(cu_harmonic.force_constants[beyond]).max() > 1e-3  # ... and were not zero
    near = (d > 0.1) & (d < cutoff)
    assert np.allclose(fc[near], cu_harmonic.force_constants[near], atol=0.05 * np.abs(fc[near]).max())
    # the acoustic sum rule holds: the on-site block is minus the sum of the others
    assert np.abs(fc.sum(axis=1)).max() < 1e-6
    # zero self-consistent cycles would start from exactly these force constants
    cs, ideal, params = phonons._truncated_start(phonon=cu_harmonic, cutoff_A=cutoff)
    again = phonons._phonon_from_parameters(phonon=cu_harmonic, cs=cs, ideal=ideal, params=params)
    assert np.allclose(again.force_constants, fc)
    with pytest.raises(ValueError, match="half the supercell"):
        phonons.truncated_harmonic_phonons(phonon=cu_harmonic, cutoff_A=5.0)
