"""Reading alpha2F files: plain, Quantum ESPRESSO-like and EPW-like formats, and bad files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reviewlib.tc.spectra_io import read_a2f
from reviewlib.units import K_PER_MEV, K_PER_RY, K_PER_THZ


def _gauss(omega, center, width, height=1.0):
    return height * np.exp(-0.5 * ((omega - center) / width) ** 2)


def _einstein_like(n=400, center_meV=20.0, width_meV=2.0):
    omega = np.linspace(0.1, 60.0, n)  # meV
    return omega, _gauss(omega, center_meV, width_meV, 0.5)


def _lambda_numeric(omega, a2f):
    return 2.0 * np.trapezoid(a2f / omega, omega)


def test_plain_two_columns(tmp_path):
    omega, a2f = _einstein_like()
    path = tmp_path / "a2f.dat"
    np.savetxt(path, np.column_stack([omega, a2f]), header="omega(meV) a2F")
    spec = read_a2f(path)
    np.testing.assert_allclose(spec.omega_K, omega * K_PER_MEV)
    np.testing.assert_allclose(spec.a2f, a2f)
    assert spec.lam == pytest.approx(_lambda_numeric(omega, a2f), rel=2e-3)
    # a narrow peak at 20 meV: omega_log close to 20 meV
    assert spec.omega_log_K == pytest.approx(20.0 * K_PER_MEV, rel=0.02)


def test_units_scale_frequencies_not_lambda(tmp_path):
    omega, a2f = _einstein_like()
    path = tmp_path / "a2f.dat"
    np.savetxt(path, np.column_stack([omega, a2f]))
    mev = read_a2f(path, units="meV")
    thz = read_a2f(path, units="THz")
    kel = read_a2f(path, units="K")
    assert thz.lam == pytest.approx(mev.lam, rel=1e-9)
    assert thz.omega_log_K / mev.omega_log_K == pytest.approx(K_PER_THZ / K_PER_MEV, rel=1e-9)
    assert kel.omega_log_K == pytest.approx(mev.omega_log_K / K_PER_MEV, rel=1e-9)


def test_quantum_espresso_a2f_dos(tmp_path):
    """matdyn.x a2F.dosN: Ry, starts at omega = 0, total then mode-resolved columns."""
    omega_ry = np.linspace(0.0, 0.005, 201)  # 0 .. 68 meV
    total = _gauss(omega_ry, 0.0015, 0.0002, 0.6)
    total[0] = 0.0
    modes = np.column_stack([total * 0.25] * 4)
    lines = [
        " # Eliashberg function a2F (per both spin)",
        " #  frequencies in Rydberg  ",
        " # DOS normalized to E in Rydberg: a2F_total, a2F(mode) ",
    ]
    for w, t, m in zip(omega_ry, total, modes, strict=True):
        lines.append("  " + "  ".join(f"{v:.10E}" for v in (w, t, *m)))
    lines.append(" lambda  0.6  ")  # text footer (lambda summary) is skipped
    path = tmp_path / "a2F.dos3"
    path.write_text("\n".join(lines) + "\n")
    spec = read_a2f(path, units="Ry", column=1)
    assert spec.omega_K.size == 200  # the omega = 0 row is dropped
    assert spec.omega_K[0] == pytest.approx(omega_ry[1] * K_PER_RY)
    assert spec.lam == pytest.approx(_lambda_numeric(omega_ry[1:], total[1:]), rel=5e-3)
    # a mode column has a quarter of the coupling
    assert read_a2f(path, units="Ry", column=2).lam == pytest.approx(spec.lam / 4, rel=1e-6)


def test_epw_a2f(tmp_path):
    """EPW prefix.a2f: meV, one column per phonon smearing, then cumulative lambda columns, footer."""
    omega = np.linspace(0.05, 100.0, 500)
    nsmear = 3
    a2f = np.column_stack([_gauss(omega, 30, 3 + i, 0.4) + _gauss(omega, 80, 5, 0.3) for i in range(nsmear)])
    cumul = np.column_stack(
        [
            np.concatenate([[0.0], np.cumsum(2 * a2f[1:, i] / omega[1:] * np.diff(omega))])
            for i in range(nsmear)
        ]
    )
    lines = [" # w[meV] a2f and integrated 2*a2f/w for    3 smearing values"]
    for row in np.column_stack([omega, a2f, cumul]):
        lines.append("  ".join(f"{v:12.7f}" for v in row))
    lines += [
        " Integrated el-ph coupling",
        "  #         1.2 1.2 1.2",
        " Phonon smearing (meV)",
        "  #         0.05 0.10 0.15",
        " Electron smearing (eV)   0.100",
        " Fermi window (eV)   1.000",
        " Summed el-ph coupling    1.2",
    ]
    path = tmp_path / "MgB2.a2f"
    path.write_text("\n".join(lines) + "\n")
    for col in (1, 2, 3):
        spec = read_a2f(path, units="meV", column=col)
        assert spec.lam == pytest.approx(_lambda_numeric(omega, a2f[:, col - 1]), rel=5e-3)
    # two peaks: omega_2 > omega_log
    assert spec.omega_2_K > spec.omega_log_K
    with pytest.raises(ValueError, match="alpha2F columns 1..3"):
        read_a2f(path, column=7)
    with pytest.raises(ValueError, match="column 4 .* cumulative lambda"):
        read_a2f(path, column=4)


def _write(tmp_path, text, name="bad.dat"):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "no numeric data"),
        ("# only comments\n# here\n", "no numeric data"),
        ("1.0 0.1\n2.0 0.2 0.3\n3.0 0.1\n", "line 2: 3 columns"),
        ("1.0 0.1\n2.0 abc\n3.0 0.1\n", "line 2: non-numeric"),
        ("1.0 0.1\n2.0 -0.2\n3.0 0.1\n", "line 2: negative alpha2F"),
        ("-1.0 0.1\n2.0 0.2\n3.0 0.1\n", "line 1: negative frequency"),
        ("1.0 0.1\n3.0 0.2\n2.0 0.1\n", "strictly increasing"),
        ("1.0 0.1\n2.0 nan\n3.0 0.1\n", "non-finite alpha2F"),
        ("1.0 0.0\n2.0 0.0\n3.0 0.0\n", "zero everywhere"),
        ("1.0 0.1\n2.0 0.2\nsome text\n3.0 0.1\n", "line 4: data after the text line 3"),
        ("1.0\n2.0\n", "only one column"),
    ],
)
def test_malformed_files_raise_naming_the_file(tmp_path, text, match):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError, match=match) as info:
        read_a2f(path)
    assert str(path) in str(info.value)


def test_bad_arguments(tmp_path):
    path = _write(tmp_path, "1.0 0.1\n2.0 0.2\n3.0 0.1\n", "ok.dat")
    with pytest.raises(ValueError, match="unknown frequency unit"):
        read_a2f(path, units="Hz")
    with pytest.raises(ValueError, match="column must be"):
        read_a2f(path, column=0)
    with pytest.raises(ValueError, match="column 2 requested"):
        read_a2f(path, column=2)
    with pytest.raises(ValueError, match="cannot read"):
        read_a2f(tmp_path / "missing.dat")


def test_fortran_exponents_and_header_text(tmp_path):
    path = _write(tmp_path, "omega a2F\n1.0D0 1.0D-1\n2.0d0 2.0d-1\n3.0 0.1\n", "fortran.dat")
    spec = read_a2f(path, units="K")
    np.testing.assert_allclose(spec.a2f, [0.1, 0.2, 0.1])


def test_zero_frequency_rows_dropped(tmp_path):
    # lambda.x alpha2F.dat starts at E = 0, sometimes with a small smearing tail there
    path = _write(
        tmp_path,
        "# E(THz)     0.005     0.010\n0.0000   0.00012   0.00020\n1.0 0.1 0.2\n2.0 0.3 0.4\n3.0 0.1 0.1\n",
        "alpha2F.dat",
    )
    spec = read_a2f(path, units="THz", column=2)
    np.testing.assert_allclose(spec.omega_K, np.array([1.0, 2.0, 3.0]) * K_PER_THZ)
    np.testing.assert_allclose(spec.a2f, [0.2, 0.4, 0.1])


# --------------------------------------------------------------------------- issue 11: real layouts

DATA = Path(__file__).parent / "data" / "a2f"


@pytest.mark.parametrize(
    ("name", "fmt", "unit", "columns"),
    [
        ("a2F.dos3", "QE matdyn a2F.dos", "Ry", (1, 2, 3, 4)),
        ("alpha2F.dat", "QE lambda.x alpha2F.dat", "THz", (1, 2, 3)),
        ("Nb.a2f", "EPW prefix.a2f", "meV", (1, 2, 3)),
        ("Nb.a2f_iso", "EPW a2f_iso/a2f_proj", "meV", (1,)),
    ],
)
def test_format_and_unit_from_the_header(name, fmt, unit, columns):
    spec, info = read_a2f(DATA / name, with_info=True)
    assert (info.format, info.units, info.units_source, info.a2f_columns) == (fmt, unit, "header", columns)
    assert info.column == 1
    # the same as stating the unit explicitly
    explicit = read_a2f(DATA / name, units=unit)
    assert explicit.lam == spec.lam and explicit.omega_log_K == spec.omega_log_K
    assert 50 < spec.omega_log_K < 500 and 0.9 < spec.lam < 1.3


def test_qe_matdyn_file_read_in_rydberg_not_mev():
    """Issue 11.1: the QE a2F.dos file used to give Tc = 0.00 K with the default meV."""
    spec = read_a2f(DATA / "a2F.dos3")
    e_ry = np.loadtxt(DATA / "a2F.dos3", comments="#", skiprows=5, max_rows=200)[:, 0]
    np.testing.assert_allclose(spec.omega_K, e_ry * K_PER_RY)
    assert spec.lam == pytest.approx(1.1, rel=1e-3)  # the footer's lambda
    # the mode columns add up to the total
    modes = sum(read_a2f(DATA / "a2F.dos3", column=c).lam for c in (2, 3, 4))
    assert modes == pytest.approx(spec.lam, rel=1e-5)


def test_units_argument_overrides_the_header_with_a_warning():
    """Issue 22: --units / units= always wins; a warning names what the header said (it was refused)."""
    with pytest.warns(
        UserWarning, match=r"Nb.a2f: frequencies read in THz as given .* header seemed to say meV"
    ) as caught:
        spec, info = read_a2f(DATA / "Nb.a2f", units="THz", with_info=True)
    from reviewlib.tc.spectra_io import UnitOverrideWarning

    assert [type(w.message) for w in caught] == [UnitOverrideWarning]
    assert (info.units, info.units_source, info.header_units) == ("THz", "argument", ("meV",))
    mev = read_a2f(DATA / "Nb.a2f")
    assert spec.omega_log_K == pytest.approx(mev.omega_log_K * K_PER_THZ / K_PER_MEV, rel=1e-12)
    # an override giving an implausible omega_log is still refused, naming what the header says
    with pytest.raises(
        ValueError, match=r"a2F.dos3: with frequencies in meV \(given; the header says Ry\) .*implausible"
    ):
        with pytest.warns(UnitOverrideWarning):
            read_a2f(DATA / "a2F.dos3", units="meV")


def test_epw_cumulative_lambda_columns_are_refused():
    """Issue 11.2: column 4..6 of a 3-smearing EPW prefix.a2f is lambda(omega), not alpha2F."""
    for col in (4, 5, 6):
        with pytest.raises(
            ValueError, match=rf"Nb.a2f: column {col} .* cumulative lambda\(omega\) of smearing "
        ):
            read_a2f(DATA / "Nb.a2f", column=col)
    with pytest.raises(ValueError, match="column 7 requested .* alpha2F columns 1..3"):
        read_a2f(DATA / "Nb.a2f", column=7)
    # the three alpha2F columns match the file's own cumulative lambda (last row)
    last = np.loadtxt(DATA / "Nb.a2f", skiprows=1, max_rows=200)[-1]
    for col in (1, 2, 3):
        assert read_a2f(DATA / "Nb.a2f", column=col).lam == pytest.approx(last[3 + col], rel=2e-3)


def test_cumulative_column_in_a_plain_table_is_refused(tmp_path):
    omega = np.linspace(0.5, 60, 120)
    a2f = _gauss(omega, 20, 3, 0.5)
    cum = np.concatenate([[0], np.cumsum(2 * a2f[1:] / omega[1:] * np.diff(omega))])
    cum[-20:] = cum[-1]
    path = tmp_path / "table.dat"
    np.savetxt(path, np.column_stack([omega, a2f, cum]), header="omega (meV)  a2F  lambda(omega)")
    assert read_a2f(path).lam == pytest.approx(_lambda_numeric(omega, a2f), rel=1e-2)
    with pytest.raises(
        ValueError, match="column 2 is not an alpha2F spectrum: it rises monotonically .* cumulative lambda"
    ):
        read_a2f(path, column=2)


def test_no_header_unit_needs_units_and_implausible_omega_log_refused(tmp_path):
    """Issue 11.1 / 22: no default unit; with a given unit an omega_log outside 1..5000 K is refused."""
    omega_mev = np.linspace(0.5, 60, 120)
    a2f = _gauss(omega_mev, 20, 3, 0.5)
    mev = tmp_path / "mev.dat"
    np.savetxt(mev, np.column_stack([omega_mev, a2f]))
    spec, info = read_a2f(mev, units="meV", with_info=True)
    assert (info.units, info.units_source, info.header_units) == ("meV", "argument", ())
    assert spec.omega_log_K == pytest.approx(20 * K_PER_MEV, rel=0.05)
    ry = tmp_path / "ry.dat"  # the same spectrum in Ry, no header
    np.savetxt(ry, np.column_stack([omega_mev * K_PER_MEV / K_PER_RY, a2f]))
    with pytest.raises(ValueError, match=r"ry.dat: no frequency unit") as err:
        read_a2f(ry)
    assert "--units" in str(err.value) and "Ry: 2" in str(err.value)  # what Ry would give (~230 K)
    with pytest.raises(
        ValueError, match=r"ry.dat: with frequencies in meV \(given; .* omega_log = 0.0\d+ K, implausible"
    ):
        read_a2f(ry, units="meV")
    assert read_a2f(ry, units="Ry").omega_log_K == pytest.approx(spec.omega_log_K, rel=1e-6)
    cm = tmp_path / "cm.dat"  # cm-1 values read as meV: 8x too high but plausible -> cannot be caught
    np.savetxt(cm, np.column_stack([omega_mev * K_PER_MEV / 1.4387769, a2f]), header="omega (cm-1) a2F")
    assert read_a2f(cm, with_info=True)[1].units == "cm-1"


def test_implausible_spectra_warn_naming_the_file(tmp_path):
    """Issue 11.5: lambda > 10 and omega_log > 5000 K (unit from the header) warn, naming the file."""
    from reviewlib.tc.spectra_io import ImplausibleSpectrumWarning

    omega = np.linspace(0.5, 60, 120)
    big = tmp_path / "big_lambda.a2f_iso"
    a2f = _gauss(omega, 20, 3, 16.0)
    big.write_text("w[meV] a2f\n" + "\n".join(f"{w} {a}" for w, a in zip(omega, a2f, strict=True)))
    with pytest.warns(ImplausibleSpectrumWarning, match=r"big_lambda.a2f_iso: lambda = \d+.* > 10"):
        assert read_a2f(big).lam > 10
    hot = tmp_path / "hot.dat"
    np.savetxt(hot, np.column_stack([omega * 20, _gauss(omega, 20, 3, 0.5)]), header="w (THz) a2F")
    with pytest.warns(
        ImplausibleSpectrumWarning, match=r"hot.dat: omega_log = [0-9.e+]+ K with frequencies in THz"
    ):
        assert read_a2f(hot).omega_log_K > 5000


# --------------------------------------------------------------------------- issue 22: units and readers

# The reference spectrum of issue 22: Gaussian at 20 meV (sigma 3 meV) on a 0.1 meV grid to 60 meV,
# lambda = 1.000, omega_log = 223.8 K, Eliashberg Tc = 16.54 K (mu* = 0.1).
_REF_MEV = np.arange(0.1, 60.0 + 1e-9, 0.1)
_REF_A2F = _gauss(_REF_MEV, 20.0, 3.0)
_REF_A2F = _REF_A2F / _lambda_numeric(_REF_MEV, _REF_A2F)
_REF_WLOG_K = 223.76221532922509


def _reference_file(tmp_path, name, header=(), unit="meV", footer=(), bom=False):
    """The reference spectrum with frequencies in ``unit``, the given header and footer lines."""
    from reviewlib.units import to_kelvin

    omega = _REF_MEV * K_PER_MEV / float(to_kelvin(1.0, unit))
    rows = [f"{float(w)!r} {float(a)!r}" for w, a in zip(omega, _REF_A2F, strict=True)]
    text = "\n".join([*header, *rows, *footer]) + "\n"
    path = tmp_path / name
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    return path


def _is_reference(spec):
    return spec.lam == pytest.approx(1.0, rel=1e-9) and spec.omega_log_K == pytest.approx(
        _REF_WLOG_K, rel=1e-9
    )


def test_footer_unit_is_not_the_frequency_unit(tmp_path):
    """Issue 22.1: a meV table whose footer says '# Tc (K) = 16.5' was read as K (Tc 1.42 K), and
    units='meV' was refused as contradicting the header. The footer is never read for the unit.
    """
    path = _reference_file(tmp_path, "footer.dat", ["# omega  a2F"], footer=["# Tc (K) = 16.5"])
    with pytest.raises(
        ValueError, match=r"footer.dat: no frequency unit: .*units= \(CLI --units\), one of K, meV"
    ):
        read_a2f(path)
    spec, info = read_a2f(path, units="meV", with_info=True)
    assert _is_reference(spec) and (info.units, info.units_source, info.header_units) == (
        "meV",
        "argument",
        (),
    )
    stated = _reference_file(tmp_path, "stated.dat", ["# omega (meV)  a2F"], footer=["# Tc (K) = 16.5"])
    spec, info = read_a2f(stated, with_info=True)
    assert _is_reference(spec) and (info.units, info.units_source) == ("meV", "header")


def test_incidental_settings_line_is_not_a_unit(tmp_path):
    """Issue 22.1: a header with an incidental 'ecutwfc = 60 Ry' was read as Ry."""
    path = _reference_file(tmp_path, "ecut.dat", ["# omega  a2F", "# ecutwfc = 60 Ry"])
    with pytest.raises(ValueError, match=r"ecut.dat: no frequency unit"):
        read_a2f(path)
    stated = _reference_file(
        tmp_path, "stated.dat", ["# ecutwfc = 60 Ry, degauss=0.02Ry", "# Tc (K) = 16.5", "# omega (meV)  a2F"]
    )
    spec, info = read_a2f(stated, with_info=True)
    assert _is_reference(spec) and (info.units, info.units_source, info.header_units) == (
        "meV",
        "header",
        ("meV",),
    )


def test_two_units_in_the_header_are_refused(tmp_path):
    """Issue 22.1: '(THz) ... 0.02 Ry' fell back to meV silently (Tc 4.00 K)."""
    path = _reference_file(tmp_path, "two.dat", ["# omega (THz)  a2F   smearing 0.02 Ry"], unit="THz")
    with pytest.raises(
        ValueError,
        match=r"two.dat: the header names more than one frequency unit: "
        r"THz \(line 1\), Ry \(line 1\); .*--units",
    ):
        read_a2f(path)
    from reviewlib.tc.spectra_io import UnitOverrideWarning

    with pytest.warns(
        UnitOverrideWarning, match=r"two.dat: .* header seemed to say THz \(line 1\), Ry \(line 1\)"
    ):
        spec, info = read_a2f(path, units="THz", with_info=True)
    assert _is_reference(spec) and (info.units_source, info.header_units) == ("argument", ("THz", "Ry"))


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("# omega (K)  a2F", "K"),
        ("# omega [K]  a2F", "K"),
        ("# omega in K, a2F", "K"),
        ("# omega/K  a2F", "K"),
        ("# w/K  a2F", "K"),
        ("# frequency (Kelvin)  a2F", "K"),
        ("# omega (cm-1)  a2F", "cm-1"),
        ("# omega (cm^-1)  a2F", "cm-1"),
        ("# omega (cm⁻¹)  a2F", "cm-1"),
        ("# omega (cm$^{-1}$)  a2F", "cm-1"),
        ("# omega (1/cm)  a2F", "cm-1"),
        ("# wavenumber  a2F", "cm-1"),
        ("# Wavenumbers  alpha2F", "cm-1"),
        ("# omega [meV]  a2F", "meV"),
        ("# omega (eV)  a2F", "eV"),
        ("# nu (THz)  a2F", "THz"),
        ("# omega (Ry)  a2F", "Ry"),
        ("# energy in Rydberg, a2F", "Ry"),
    ],
)
def test_unit_spellings(tmp_path, header, unit):
    """Issue 22.1: 'in K', 'omega/K' (Tc 191.9 K), 'cm⁻¹', 'cm$^{-1}$', 'wavenumber' (Tc 133.4 K)
    were read as meV.
    """
    spec, info = read_a2f(_reference_file(tmp_path, "a2f.dat", [header], unit=unit), with_info=True)
    assert (info.units, info.units_source) == (unit, "header")
    assert _is_reference(spec)


def test_bom_on_a_file_without_header_costs_no_row(tmp_path):
    """Issue 22.2: a UTF-8 BOM turned the first data row of a headerless file into a header."""
    omega = np.arange(4.0, 41.0, 4.0)  # meV, a coarse grid: the first row carries much of lambda
    a2f = _gauss(omega, 8.0, 4.0, 0.5)
    path = tmp_path / "bom.dat"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + "".join(f"{float(w)!r} {float(a)!r}\n" for w, a in zip(omega, a2f, strict=True)).encode()
    )
    spec = read_a2f(path, units="meV")
    assert spec.omega_K.size == omega.size
    assert spec.lam == pytest.approx(_lambda_numeric(omega, a2f), rel=1e-12)
    # with a header the BOM is harmless too
    path.write_bytes(b"\xef\xbb\xbf# omega (meV) a2F\n" + path.read_bytes()[3:])
    spec, info = read_a2f(path, with_info=True)
    assert spec.omega_K.size == omega.size and info.units == "meV"


def test_rising_cumulative_lambda_is_not_a_spectrum(tmp_path):
    """Issue 22.3: a cumulative lambda still rising at the end of the grid was read as alpha2F
    (only an exactly flat tail was caught).
    """
    nb = np.loadtxt(DATA / "Nb.a2f", skiprows=1, max_rows=200)
    path = tmp_path / "cumulative.dat"  # frequency, alpha2F, lambda(omega) of EPW's Nb.a2f, plain table
    np.savetxt(path, nb[:, [0, 1, 4]], header="omega (meV)  a2F  lambda(omega)", fmt="%.7f")
    assert np.all(np.diff(nb[-5:, 4]) > 0)  # still rising at the top of the grid
    assert read_a2f(path).lam == pytest.approx(1.20, abs=5e-3)
    with pytest.raises(
        ValueError,
        match=r"cumulative.dat: line 201: column 2 is not an alpha2F spectrum: it rises monotonically .*"
        r"cumulative lambda\(omega\) .*must end at or below 50% of its maximum",
    ):
        read_a2f(path, column=2)
    # a grid that stops inside a peak is refused by the same rule
    cut = tmp_path / "cut.dat"
    omega = np.linspace(1, 22, 80)
    np.savetxt(
        cut, np.column_stack([omega, _gauss(omega, 20, 3) + _gauss(omega, 8, 1)]), header="w (meV) a2F"
    )
    with pytest.raises(
        ValueError, match=r"cut.dat: line 81: column 1 is not an alpha2F spectrum: it has not fallen back"
    ):
        read_a2f(cut)


def test_load_spectra_folder_shows_the_unit_and_skips_files_without_one(tmp_path):
    from reviewlib.data.user import load_spectra_folder

    _reference_file(tmp_path, "kelvin.dat", ["# omega/K  a2F"], unit="K")
    _reference_file(tmp_path, "plain.dat")
    ds = load_spectra_folder(tmp_path)
    assert ds.frame[["file", "units", "units_source"]].values.tolist() == [["kelvin.dat", "K", "header"]]
    assert (
        ds.skipped["item"].tolist() == ["plain.dat"] and "no frequency unit" in ds.skipped["reason"].iloc[0]
    )
    both = load_spectra_folder(tmp_path, units="K")
    assert both.frame["units_source"].tolist() == ["argument", "argument"]
