"""Property tests (hypothesis) for the alpha2F readers and the Tc of the spectra they return.

Random physical spectra (one to three Gaussian peaks on a uniform grid that extends past the last
peak, lambda 0.4..3) are written in every layout :func:`reviewlib.tc.spectra_io.read_a2f`
recognises and every frequency unit, with the usual spellings of the unit in the header, and
read back:

- round trip: the same lambda and omega_log (rel 1e-9) as the spectrum written, in every layout
  and unit, with or without a byte-order mark and with misleading footers;
- scaling the frequency axis by k scales omega_log and the Allen-Dynes Tc by k (rel 1e-9) and the
  Eliashberg Tc by k (rel 1e-6, the solver run at rtol 1e-8): Tc / omega is scale-free in the
  rescaled mu* convention;
- a negligible high-frequency tail (grid extended to 1.5..3x the top with alpha2F = 0 or 1e-12 of
  the maximum: < 1e-9 of lambda) leaves lambda and the Allen-Dynes Tc unchanged to rel 1e-8 and the
  Eliashberg Tc to rel 1e-4.

Budget: the whole file runs in about 6 s on one core (numba compilation included; keep it under
30 s): 100 table round trips, 40 layout round trips, 30 scalings and 30 tails
(``max_examples``); ``derandomize=True`` makes the examples the same on every run and
``database=None`` leaves no ``.hypothesis`` folder. No package writer exists, so the layouts are
written here, following ``tests/data/a2f/make_files.py`` with full-precision numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reviewlib import tc  # noqa: E402
from reviewlib.tc.eliashberg import Spectrum, eliashberg_tc  # noqa: E402
from reviewlib.tc.spectra_io import read_a2f  # noqa: E402
from reviewlib.units import UNITS, to_kelvin  # noqa: E402

FAST = {
    "deadline": None,  # the first Eliashberg solve compiles the numba kernels
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}
MU_STAR = 0.1

#: Header lines naming each unit, in the spellings the reader recognises.
SPELLINGS = {
    "K": [
        "# omega (K)  a2F",
        "# omega [K] a2F",
        "# omega in K, a2F",
        "# omega/K a2F",
        "# w/K a2F",
        "# Kelvin a2F",
    ],
    "meV": ["# omega (meV)  a2F", "# omega [meV] a2F", "# omega/meV a2F", "# frequency in meV"],
    "eV": ["# omega (eV)  a2F", "# E [eV]  a2F"],
    "THz": ["# nu (THz)  a2F", "# frequency in THz, a2F"],
    "Ry": ["# omega (Ry)  a2F", "# energy in Rydberg, a2F", "# E [Ry] a2F"],
    "cm-1": [
        "# omega (cm-1)  a2F",
        "# w cm^-1 a2F",
        "# omega (cm⁻¹)  a2F",
        "# omega (cm$^{-1}$) a2F",
        "# omega (1/cm) a2F",
        "# wavenumber  a2F",
    ],
}
#: Footer and settings lines that must not change the unit (issue 22).
DISTRACTIONS = ["# Tc (K) = 12.3", "# ecutwfc = 60 Ry", "lambda = 1.0", "# degauss = 0.02 Ry"]


@st.composite
def spectra(draw) -> Spectrum:
    """1-3 Gaussian peaks (100..1500 K, width 3..15 % of the centre), lambda 0.4..3, on a uniform grid
    from a small positive frequency to 1.1..1.6x beyond the last peak's 6-sigma edge.
    """
    n_peaks = draw(st.integers(1, 3))
    centers = [draw(st.floats(100.0, 1500.0)) for _ in range(n_peaks)]
    widths = [c * draw(st.floats(0.03, 0.15)) for c in centers]
    weights = [draw(st.floats(0.2, 1.0)) for _ in range(n_peaks)]
    top = max(c + 6 * w for c, w in zip(centers, widths, strict=True)) * draw(st.floats(1.1, 1.6))
    n = draw(st.integers(80, 400))
    omega = np.linspace(top / n, top, n)
    a2f = sum(
        wt * np.exp(-0.5 * ((omega - c) / w) ** 2) / w
        for c, w, wt in zip(centers, widths, weights, strict=True)
    )
    a2f = a2f * (draw(st.floats(0.4, 3.0)) / Spectrum(omega_K=omega, a2f=a2f).lam)
    return Spectrum(omega_K=omega, a2f=a2f)


def _num(value: float) -> str:
    return repr(float(value))  # shortest repr: reads back to the same float


def _in_unit(spec: Spectrum, unit: str) -> np.ndarray:
    return spec.omega_K / float(to_kelvin(1.0, unit))


def write_table(path, spec, unit, header, *, footer=(), bom=False, extra_columns=0):
    omega = _in_unit(spec, unit)
    columns = [spec.a2f] + [spec.a2f * (k + 2) for k in range(extra_columns)]
    rows = [" ".join(_num(v) for v in (w, *(c[i] for c in columns))) for i, w in enumerate(omega)]
    text = "\n".join([*header, *rows, *footer]) + "\n"
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")


def write_qe_matdyn(path, spec):
    """a2F.dosN: Ry, from omega = 0, total then three mode columns, 'lambda' footer."""
    omega = np.concatenate([[0.0], _in_unit(spec, "Ry")])
    total = np.concatenate([[0.0], spec.a2f])
    lines = [" ", " # Eliashberg function a2F (per both spin)", " #  frequencies in Rydberg  "]
    lines += [" # DOS normalized to E in Rydberg: a2F_total, a2F(mode) ", " "]
    lines += [
        "   " + "  ".join(f"{v:.17E}" for v in (w, t, t / 2, t / 3, t / 6))
        for w, t in zip(omega, total, strict=True)
    ]
    lines.append(f"  lambda =  {spec.lam:18.15f}        Delta =   1.0E-05")
    path.write_text("\n".join(lines) + "\n")


def write_qe_lambda(path, spec):
    """alpha2F.dat: '# E(THz)' + broadenings, from omega = 0, one column per broadening."""
    omega = np.concatenate([[0.0], _in_unit(spec, "THz")])
    a2f = np.concatenate([[0.0], spec.a2f])
    lines = ["# E(THz)     0.005     0.010"]
    lines += [f"{_num(w)} {_num(a)} {_num(1.1 * a)}" for w, a in zip(omega, a2f, strict=True)]
    path.write_text("\n".join(lines) + "\n")


def write_epw_a2f(path, spec):
    """prefix.a2f: meV, two smearing columns, two cumulative lambda columns, text footer."""
    omega = _in_unit(spec, "meV")
    cumul = np.cumsum(2 * spec.a2f / omega * np.gradient(omega))
    lines = [" w[meV] a2f and integrated 2*a2f/w for    2 smearing values"]
    lines += [
        " ".join(_num(v) for v in (w, a, 1.1 * a, c, 1.1 * c))
        for w, a, c in zip(omega, spec.a2f, cumul, strict=True)
    ]
    lines += [" Integrated el-ph coupling", f"  #  {cumul[-1]:.7f} {1.1 * cumul[-1]:.7f}"]
    lines += [" Phonon smearing (meV)", "  #  0.05 0.10", "Electron smearing (eV)   0.0500000"]
    path.write_text("\n".join(lines) + "\n")


def write_epw_iso(path, spec):
    omega = _in_unit(spec, "meV")
    path.write_text(
        "w[meV] a2f\n"
        + "\n".join(f"{_num(w)} {_num(a)}" for w, a in zip(omega, spec.a2f, strict=True))
        + "\n"
    )


LAYOUTS = {
    "QE matdyn a2F.dos": ("a2F.dos2", write_qe_matdyn, "Ry"),
    "QE lambda.x alpha2F.dat": ("alpha2F.dat", write_qe_lambda, "THz"),
    "EPW prefix.a2f": ("Nb.a2f", write_epw_a2f, "meV"),
    "EPW a2f_iso/a2f_proj": ("Nb.a2f_iso", write_epw_iso, "meV"),
}


def _same_moments(read: Spectrum, spec: Spectrum, rel=1e-9) -> None:
    assert read.lam == pytest.approx(spec.lam, rel=rel)
    assert read.omega_log_K == pytest.approx(spec.omega_log_K, rel=rel)


def _allen_dynes(spec: Spectrum) -> float:
    return float(
        tc.allen_dynes_tc(spec.lam, omega_log_K=spec.omega_log_K, omega_2_K=spec.omega_2_K, mu_star=MU_STAR)
    )


@settings(max_examples=100, **FAST)
@given(
    spec=spectra(),
    unit=st.sampled_from(UNITS),
    spelling=st.integers(0, 5),
    bom=st.booleans(),
    footer=st.lists(st.sampled_from(DISTRACTIONS), max_size=3),
    settings_line=st.booleans(),
    extra_columns=st.integers(0, 2),
)
def test_table_round_trip_in_every_unit(
    tmp_path, spec, unit, spelling, bom, footer, settings_line, extra_columns
):
    header = SPELLINGS[unit][spelling % len(SPELLINGS[unit])]
    lines = (["# ecutwfc = 60 Ry, Tc (K) = 12.3"] if settings_line else []) + [header]
    path = tmp_path / "table.dat"
    write_table(path, spec, unit, lines, footer=footer, bom=bom, extra_columns=extra_columns)
    read, info = read_a2f(path, with_info=True)
    assert (info.format, info.units, info.units_source) == ("table", unit, "header")
    _same_moments(read, spec)
    assert read.omega_K.size == spec.omega_K.size  # a BOM costs no row
    # without the header line the unit must be given; the argument gives the same spectrum
    write_table(path, spec, unit, [], footer=footer, bom=bom)
    with pytest.raises(ValueError, match="no frequency unit"):
        read_a2f(path)
    _same_moments(read_a2f(path, units=unit), spec)


@settings(max_examples=40, **FAST)
@given(spec=spectra(), layout=st.sampled_from(sorted(LAYOUTS)))
def test_recognised_layouts_round_trip(tmp_path, spec, layout):
    name, writer, unit = LAYOUTS[layout]
    path = tmp_path / name
    writer(path, spec)
    read, info = read_a2f(path, with_info=True)
    assert (info.format, info.units, info.units_source, info.column) == (layout, unit, "header", 1)
    _same_moments(read, spec)


@settings(max_examples=30, **FAST)
@given(spec=spectra(), k=st.floats(0.3, 3.0), unit=st.sampled_from(["meV", "THz", "cm-1"]))
def test_scaling_the_frequency_axis_scales_tc(tmp_path, spec, k, unit):
    base, scaled = tmp_path / "base.dat", tmp_path / "scaled.dat"
    write_table(base, spec, unit, [SPELLINGS[unit][0]])
    write_table(scaled, Spectrum(omega_K=k * spec.omega_K, a2f=spec.a2f), unit, [SPELLINGS[unit][0]])
    a, b = read_a2f(base), read_a2f(scaled)
    assert b.lam == pytest.approx(a.lam, rel=1e-9)
    assert b.omega_log_K == pytest.approx(k * a.omega_log_K, rel=1e-9)
    assert _allen_dynes(b) == pytest.approx(k * _allen_dynes(a), rel=1e-9)
    assert eliashberg_tc(b, mu_star=MU_STAR, rtol=1e-8) == pytest.approx(
        k * eliashberg_tc(a, mu_star=MU_STAR, rtol=1e-8), rel=1e-6
    )


@settings(max_examples=30, **FAST)
@given(
    spec=spectra(),
    stretch=st.floats(1.5, 3.0),
    n_tail=st.integers(3, 60),
    level=st.sampled_from([0.0, 1e-12]),
)
def test_negligible_tails_leave_tc_unchanged(tmp_path, spec, stretch, n_tail, level):
    top = spec.omega_K[-1]
    tail_omega = np.linspace(top, stretch * top, n_tail + 1)[1:]
    tail = Spectrum(
        omega_K=np.concatenate([spec.omega_K, tail_omega]),
        a2f=np.concatenate([spec.a2f, np.full(n_tail, level * spec.a2f.max())]),
    )
    base, longer = tmp_path / "base.dat", tmp_path / "tail.dat"
    write_table(base, spec, "meV", ["# omega (meV) a2F"])
    write_table(longer, tail, "meV", ["# omega (meV) a2F"])
    a, b = read_a2f(base), read_a2f(longer)
    assert b.omega_K.size == a.omega_K.size + n_tail
    assert b.lam == pytest.approx(a.lam, rel=1e-8)
    assert _allen_dynes(b) == pytest.approx(_allen_dynes(a), rel=1e-8)
    assert eliashberg_tc(b, mu_star=MU_STAR, rtol=1e-8) == pytest.approx(
        eliashberg_tc(a, mu_star=MU_STAR, rtol=1e-8), rel=1e-4
    )
