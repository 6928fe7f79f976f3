"""``reviewlib tc`` / ``python -m reviewlib.tc.cli`` on temporary alpha2F files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from reviewlib import tc
from reviewlib.tc.cli import main
from reviewlib.tc.eliashberg import eliashberg_tc
from reviewlib.tc.spectra_io import read_a2f
from reviewlib.units import K_PER_MEV, K_PER_RY

REPO = Path(__file__).resolve().parents[1]
KEYS = {
    "file",
    "format",
    "units",
    "units_source",
    "column",
    "omega_max_K",
    "matsubara_cutoff_K",
    "n_matsubara",
    "tc_xie_note",
    "warnings",
    "lambda",
    "omega_log_K",
    "omega_2_K",
    "mu_star",
    "tc_mcmillan_K",
    "tc_allen_dynes_K",
    "tc_xie_K",
    "tc_eliashberg_K",
    "seconds",
}


def _two_peaks_meV(omega, lam_scale=1.0):
    a2f = 0.875 * np.exp(-0.5 * ((omega - 20) / 3) ** 2) + 0.625 * np.exp(-0.5 * ((omega - 60) / 6) ** 2)
    return lam_scale * a2f


@pytest.fixture
def epw_file(tmp_path):
    """EPW-like prefix.a2f: meV, two smearing columns, cumulative-lambda columns, text footer."""
    omega = np.linspace(0.1, 90.0, 300)
    a2f = np.column_stack([_two_peaks_meV(omega), _two_peaks_meV(omega, 1.2)])
    cumul = np.zeros_like(a2f)
    lines = [" # w[meV] a2f and integrated 2*a2f/w for    2 smearing values"]
    lines += ["  ".join(f"{v:12.7f}" for v in row) for row in np.column_stack([omega, a2f, cumul])]
    lines += [
        " Integrated el-ph coupling",
        "  #   1.0 1.2",
        " Phonon smearing (meV)",
        "  #   0.1 0.2",
        " Summed el-ph coupling    1.0",
    ]
    path = tmp_path / "x.a2f"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def qe_file(tmp_path):
    """QE matdyn a2F.dos-like: Ry, omega from 0, total + mode columns, '#' header."""
    omega_meV = np.linspace(0.0, 90.0, 301)
    total = _two_peaks_meV(omega_meV)
    total[0] = 0.0
    lines = [
        " # Eliashberg function a2F (per both spin)",
        " #  frequencies in Rydberg  ",
        " # DOS normalized to E in Rydberg: a2F_total, a2F(mode) ",
    ]
    omega_ry = omega_meV * K_PER_MEV / K_PER_RY
    lines += [
        "  ".join(f"{v:.10E}" for v in (w, t, t / 2, t / 2)) for w, t in zip(omega_ry, total, strict=True)
    ]
    path = tmp_path / "a2F.dos1"
    path.write_text("\n".join(lines) + "\n")
    return path


def _json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.strip().splitlines()]


def test_json_epw_and_qe(epw_file, qe_file, capsys):
    code = main([str(epw_file), "--json", "--mu-star", "0.12"])
    assert code == 0
    (row,) = _json_lines(capsys.readouterr().out)
    assert KEYS <= set(row)
    spec = read_a2f(epw_file)
    assert row["file"] == str(epw_file)
    assert row["lambda"] == pytest.approx(spec.lam) and 0.9 < row["lambda"] < 1.3
    kw = {"omega_log_K": spec.omega_log_K, "mu_star": 0.12}
    assert row["tc_mcmillan_K"] == pytest.approx(tc.mcmillan_wlog_tc(spec.lam, **kw))
    assert row["tc_allen_dynes_K"] == pytest.approx(
        tc.allen_dynes_tc(spec.lam, omega_2_K=spec.omega_2_K, **kw)
    )
    assert row["tc_xie_K"] == pytest.approx(tc.xie_tc(spec.lam, omega_2_K=spec.omega_2_K, **kw))
    assert row["tc_eliashberg_K"] == pytest.approx(eliashberg_tc(spec, mu_star=0.12), rel=2e-3)
    assert 5 < row["tc_eliashberg_K"] < 60 and row["seconds"] > 0
    # the same spectrum written QE-style in Ry gives the same numbers (to the grid difference)
    assert main([str(qe_file), "--units", "Ry", "--json", "--mu-star", "0.12"]) == 0
    (qe,) = _json_lines(capsys.readouterr().out)
    assert qe["lambda"] == pytest.approx(row["lambda"], rel=0.01)
    assert qe["tc_eliashberg_K"] == pytest.approx(row["tc_eliashberg_K"], rel=0.02)


def test_column_selects_smearing(epw_file, capsys):
    assert main([str(epw_file), str(epw_file), "--column", "2", "--json"]) == 0
    first = _json_lines(capsys.readouterr().out)
    assert main([str(epw_file), "--json"]) == 0
    (base,) = _json_lines(capsys.readouterr().out)
    assert len(first) == 2
    assert first[0]["lambda"] == pytest.approx(1.2 * base["lambda"], rel=1e-6)
    assert first[0]["tc_eliashberg_K"] > base["tc_eliashberg_K"]


def test_table_output(epw_file, capsys):
    assert main([str(epw_file), "--mu-convention", "fixed", "--cutoff", "10"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert "McMillan" in out[0] and "Eliashberg" in out[0] and "fixed" in out[0]
    assert out[1].startswith(str(epw_file))


def test_errors_are_one_line_and_all_files_processed(tmp_path, epw_file, capsys):
    bad = tmp_path / "bad.dat"
    bad.write_text("1.0 0.1\n2.0 abc\n")
    neg = tmp_path / "neg.dat"
    neg.write_text("1.0 0.1\n2.0 -0.5\n3.0 0.1\n")
    weak = tmp_path / "weak.dat"  # lambda ~ 0.02 < mu* (1 + 0.62 lambda)
    omega = np.linspace(1, 50, 100)
    np.savetxt(
        weak,
        np.column_stack([omega, 0.005 * np.exp(-0.5 * ((omega - 25) / 3) ** 2)]),
        header="omega (meV) a2F",
    )
    missing = tmp_path / "missing.dat"
    files = [bad, epw_file, neg, weak, missing]
    code = main([str(f) for f in files] + ["--json"])
    assert code == 1
    captured = capsys.readouterr()
    rows = _json_lines(captured.out)
    assert [r["file"] for r in rows] == [str(f) for f in files]  # input order kept
    assert "error" not in rows[1] and rows[1]["tc_eliashberg_K"] > 0
    err = captured.err.strip().splitlines()
    assert len(err) == 4
    assert err[0].startswith(f"{bad}: error:") and "non-numeric" in err[0]
    assert err[1].startswith(f"{neg}: error:") and "negative alpha2F" in err[1]
    assert err[2].startswith(f"{weak}: error:") and "lambda too small" in err[2]
    assert err[3].startswith(f"{missing}: error:") and "cannot read" in err[3]
    assert "lambda too small" in rows[3]["error"]


def test_bad_options(epw_file, capsys):
    assert main([str(epw_file), "--mu-star", "-0.1"]) == 2
    assert "--mu-star" in capsys.readouterr().err
    assert main([str(epw_file), "--column", "0"]) == 2
    assert main([str(epw_file), "--cutoff", "-1"]) == 2
    with pytest.raises(SystemExit):
        main([str(epw_file), "--units", "Hz"])


def test_lead_cli_and_module_entry_point(epw_file, capsys):
    from reviewlib.book.cli import main as lead_main

    assert lead_main(["tc", str(epw_file), "--json"]) == 0
    (row,) = _json_lines(capsys.readouterr().out)
    assert row["file"] == str(epw_file)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "reviewlib.tc.cli", str(epw_file), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["tc_eliashberg_K"] == pytest.approx(row["tc_eliashberg_K"], rel=1e-6)


# --------------------------------------------------------------------------- issue 11 via the CLI

DATA = REPO / "tests" / "data" / "a2f"


def test_units_come_from_the_header(capsys):
    """Issue 11.1: QE a2F.dos (Ry) and lambda.x alpha2F.dat (THz) need no --units; issue 22: --units
    meV wins with a warning, and is refused where omega_log is then implausible (a2F.dos3).
    """
    files = [DATA / n for n in ("a2F.dos3", "alpha2F.dat", "Nb.a2f", "Nb.a2f_iso")]
    assert main([str(f) for f in files] + ["--json"]) == 0
    rows = _json_lines(capsys.readouterr().out)
    assert [r["units"] for r in rows] == ["Ry", "THz", "meV", "meV"]
    assert {r["units_source"] for r in rows} == {"header"}
    for row in rows:
        assert 10 < row["tc_eliashberg_K"] < 30 and row["warnings"] == []
    assert main([str(DATA / "alpha2F.dat"), "--units", "THz", "--json"]) == 0
    (thz,) = _json_lines(capsys.readouterr().out)
    assert thz["tc_eliashberg_K"] == rows[1]["tc_eliashberg_K"]
    assert main([str(DATA / "a2F.dos3"), str(DATA / "alpha2F.dat"), "--units", "meV"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert "a2F.dos3: error: with frequencies in meV (given; the header says Ry)" in err[0]
    assert "implausible" in err[0] and "--units" in err[0]
    assert "alpha2F.dat: warning: frequencies read in meV as given" in err[1]
    assert "the header seemed to say THz (QE lambda.x alpha2F.dat format)" in err[1]


def test_headerless_file_in_rydberg_is_refused(tmp_path, capsys):
    data = np.loadtxt(DATA / "a2F.dos3", comments="#", skiprows=5, max_rows=200)[:, :2]
    plain = tmp_path / "plain.dat"
    np.savetxt(plain, data)
    assert main([str(plain)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{plain}: error: no frequency unit") and "Ry: 2" in err and "--units" in err
    assert main([str(plain), "--units", "meV"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{plain}: error: with frequencies in meV (given; the header states no unit)")
    assert "implausible" in err
    assert main([str(plain), "--units", "Ry", "--json"]) == 0
    (row,) = _json_lines(capsys.readouterr().out)
    assert row["units_source"] == "argument" and row["tc_eliashberg_K"] > 10


def test_epw_cumulative_column_refused(capsys):
    """Issue 11.2: --column past the alpha2F columns (into lambda(omega)) is an error, not Tc = 74 K."""
    assert main([str(DATA / "Nb.a2f"), "--column", "4", "--json"]) == 1
    out = capsys.readouterr()
    assert "cumulative lambda(omega) of smearing 1" in json.loads(out.out)["error"]
    assert main([str(DATA / "Nb.a2f"), "--column", "3", "--json"]) == 0
    assert _json_lines(capsys.readouterr().out)[0]["column"] == 3


def test_omega_max_and_matsubara_cutoff_printed(capsys):
    """Issue 11.3: the extent and the Matsubara cutoff are in the JSON and the table."""
    from reviewlib.tc.eliashberg import eliashberg_solve

    assert main([str(DATA / "Nb.a2f"), "--json"]) == 0
    (row,) = _json_lines(capsys.readouterr().out)
    sol = eliashberg_solve(read_a2f(DATA / "Nb.a2f"), mu_star=0.1)
    assert row["omega_max_K"] == sol.omega_max_K and row["matsubara_cutoff_K"] == sol.matsubara_cutoff_K
    assert row["n_matsubara"] == sol.n_matsubara > 16
    assert main([str(DATA / "Nb.a2f")]) == 0
    head, line = capsys.readouterr().out.splitlines()
    assert "w_max/K" in head and "w_c/K" in head
    assert f"{sol.omega_max_K:.1f}" in line and f"{sol.matsubara_cutoff_K:.4g}" in line


def _einstein_file(tmp_path, lam, name="einstein.dat"):
    from reviewlib.tc.eliashberg import einstein_spectrum

    spec = einstein_spectrum(omega_E_K=300.0, lam=lam)
    path = tmp_path / name
    np.savetxt(path, np.column_stack([spec.omega_K, spec.a2f]), header="omega (K)  a2F")
    return path


def test_xie_pole_marked_in_table_and_json(tmp_path, capsys):
    """Issue 11.4: near the f_mu pole (Einstein, lambda ~ 1/(1 + mu*)) Xie is null / n/a* with a reason."""
    near = _einstein_file(tmp_path, 0.9095, "near_pole.dat")
    far = _einstein_file(tmp_path, 1.5, "far.dat")
    assert main([str(near), str(far), "--json"]) == 0
    out = capsys.readouterr()
    rows = _json_lines(out.out)
    assert rows[0]["tc_xie_K"] is None and "near its pole" in rows[0]["tc_xie_note"]
    assert rows[0]["tc_allen_dynes_K"] > 0 and rows[0]["tc_eliashberg_K"] > 0
    assert rows[1]["tc_xie_K"] > 0 and rows[1]["tc_xie_note"] == ""
    assert f"{near}: warning: Xie et al. Tc not reported: outside the domain" in out.err
    assert main([str(near), str(far)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "n/a*" in lines[1] and "n/a*" not in lines[2]
    assert lines[3].startswith(f"* {near}: outside the domain of the Xie et al. formula")


def test_implausible_lambda_warns_naming_the_file(tmp_path, capsys):
    """Issue 11.5: lambda > 10 gives a warning naming the file (stderr and JSON), Tc still computed."""
    big = _einstein_file(tmp_path, 12.0, "big.dat")
    assert main([str(big), "--json"]) == 0
    out = capsys.readouterr()
    (row,) = _json_lines(out.out)
    assert any("lambda = 12 > 10 is implausible" in w for w in row["warnings"])
    assert f"{big}: warning: lambda = 12 > 10 is implausible" in out.err


# --------------------------------------------------------------------------- issue 22 via the CLI


def _gauss_file(tmp_path, name, header, unit_K=1.0):
    """Gaussian at 20 meV (lambda ~ 1) with frequencies in a unit worth ``unit_K`` kelvin."""
    omega_meV = np.arange(0.1, 60.0 + 1e-9, 0.1)
    a2f = 20.0 / (6.0 * np.sqrt(2 * np.pi)) * np.exp(-0.5 * ((omega_meV - 20.0) / 3.0) ** 2)
    path = tmp_path / name
    np.savetxt(path, np.column_stack([omega_meV * K_PER_MEV / unit_K, a2f]), header=header)
    return path


def test_json_and_table_show_the_unit_and_its_source(tmp_path, capsys):
    """Issue 22: 'omega/K' was read as meV (Tc 191.9 K) and the table never showed the unit."""
    kelvin = _gauss_file(tmp_path, "kelvin.dat", "omega/K  a2F")
    mev = _gauss_file(tmp_path, "mev.dat", "omega a2F", unit_K=K_PER_MEV)
    assert main([str(kelvin), str(mev), "--json"]) == 1
    rows = _json_lines(capsys.readouterr().out)
    assert (rows[0]["units"], rows[0]["units_source"], rows[0]["header_units"]) == ("K", "header", ["K"])
    assert 10 < rows[0]["tc_eliashberg_K"] < 25 and rows[0]["warnings"] == []
    assert "no frequency unit" in rows[1]["error"]
    assert main([str(kelvin)]) == 0
    head, line = capsys.readouterr().out.splitlines()
    assert head.split()[:2] == ["file", "unit"]
    assert line.startswith(str(kelvin)) and "K (header)" in line
    assert main([str(mev), "--units", "meV"]) == 0
    _, line = capsys.readouterr().out.splitlines()
    assert line.startswith(str(mev)) and "meV (argument)" in line


def test_units_option_overrides_the_header_with_a_warning(capsys):
    """Issue 22: --units always wins (it was refused as contradicting the header), with a warning."""
    assert main([str(DATA / "Nb.a2f"), "--units", "THz", "--json"]) == 0
    out = capsys.readouterr()
    (row,) = _json_lines(out.out)
    assert (row["units"], row["units_source"], row["header_units"]) == ("THz", "argument", ["meV"])
    assert any("the header seemed to say meV (EPW prefix.a2f format)" in w for w in row["warnings"])
    assert f"{DATA / 'Nb.a2f'}: warning: frequencies read in THz as given" in out.err


def test_no_unit_and_no_units_option_is_refused(tmp_path, capsys):
    """Issue 22: a file whose header names no unit was read as meV by default; now a one-line error
    naming the file and the options.
    """
    plain = _gauss_file(tmp_path, "plain.dat", "", unit_K=K_PER_MEV)
    assert main([str(plain)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    (err,) = captured.err.strip().splitlines()
    assert err.startswith(f"{plain}: error: no frequency unit")
    assert (
        "(CLI --units), one of K, meV, eV, THz, Ry, cm-1" in err and "meV: 2" in err
    )  # omega_log ~ 220 K in meV
