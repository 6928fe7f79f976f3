"""Write the small alpha2F files in this folder, in the exact layouts of the codes that produce them.

The spectra are model spectra (Gaussian peaks), not DFT results; the layouts (headers, column
order, number formats, footers) follow the writers in Quantum ESPRESSO (PHonon/PH/matdyn.f90
``a2Fdos``, PHonon/PH/lambda.f90) and EPW (``prefix.a2f``, ``prefix.a2f_iso``). Re-run with
``python tests/data/a2f/make_files.py`` (deterministic).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
MEV_PER_RY = 13605.693122994
MEV_PER_THZ = 4.135667696


def _gauss(x, center, width, height):
    return height * np.exp(-0.5 * ((x - center) / width) ** 2)


def _scale_to_lambda(omega, a2f, lam):
    cur = 2.0 * np.trapezoid(np.where(omega > 0, a2f / np.where(omega > 0, omega, 1.0), 0.0), omega)
    return a2f * (lam / cur)


def _fortran_e(value: float, width: int = 16, digits: int = 6) -> str:
    """Fortran ``E16.6``: 0.ddddddE+xx."""
    if value == 0:
        return f"{'0.' + '0' * digits + 'E+00':>{width}}"
    exp = int(np.floor(np.log10(abs(value)))) + 1
    mant = value / 10.0**exp
    if round(abs(mant), digits) >= 1.0:
        mant /= 10.0
        exp += 1
    sign = "-" if value < 0 else ""
    text = f"{sign}0.{abs(round(mant * 10**digits)):0{digits}d}E{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    return text.rjust(width)


def qe_matdyn() -> None:
    """a2F.dos3: QE matdyn.x (la2F, dos=.true.): Ry, total a2F then one column per phonon mode."""
    d_e = 3.0e-5  # Ry
    e_ry = (np.arange(200) + 0.5) * d_e
    mev = e_ry * MEV_PER_RY
    modes = [
        _gauss(mev, 18.0, 3.0, 0.30),
        _gauss(mev, 22.0, 3.5, 0.35),
        _gauss(mev, 55.0, 5.0, 0.45),
    ]
    total = sum(modes)
    factor = _scale_to_lambda(mev, total, 1.1) / np.where(total > 0, total, 1.0)
    modes = [m * factor for m in modes]
    total = sum(modes)
    lines = [" ", " # Eliashberg function a2F (per both spin)", " #  frequencies in Rydberg  "]
    lines += [" # DOS normalized to E in Rydberg: a2F_total, a2F(mode) ", " "]
    for i, e in enumerate(e_ry):
        lines.append("   " + "".join(_fortran_e(v) for v in (e, total[i], *(m[i] for m in modes))))
    lam = float(np.sum(2 * total / e_ry * d_e))
    lines.append(f"  lambda =  {lam:18.15f}        Delta =   {d_e:.15E}")
    (HERE / "a2F.dos3").write_text("\n".join(lines) + "\n")


def qe_lambda() -> None:
    """alpha2F.dat: QE lambda.x: THz from 0, one column per electronic broadening (header)."""
    thz = np.arange(0, 160) * 0.07
    cols = [_scale_to_lambda(thz, _gauss(thz, 5.0, 0.6, 1.0), lam) for lam in (1.0, 1.05, 1.1)]
    lines = ["# E(THz)" + "".join(f"{d:10.3f}" for d in (0.005, 0.010, 0.015))]
    for i, e in enumerate(thz):
        lines.append(f"{e:8.4f}" + "".join(f"{c[i]:10.5f}" for c in cols))
    (HERE / "alpha2F.dat").write_text("\n".join(lines) + "\n")


def epw() -> None:
    """Nb.a2f (3 phonon smearings, then 3 cumulative lambda columns, footer) and Nb.a2f_iso."""
    nqstep, wmax = 200, 30.0
    w = np.arange(1, nqstep + 1) * wmax / nqstep  # meV
    dw = wmax / nqstep
    cols = []
    for k, sig in enumerate((0.5, 0.6, 0.7)):
        shape = _gauss(w, 8.0, 1.5 + sig, 0.6) + _gauss(w, 22.0, 1.2 + sig, 1.0)
        cols.append(_scale_to_lambda(w, shape, 1.20 + 0.01 * k))
    cumul = [np.cumsum(2.0 * c / w * dw) for c in cols]
    lines = [f" w[meV] a2f and integrated 2*a2f/w for {len(cols):4d} smearing values"]
    for i in range(nqstep):
        lines.append(f"{w[i]:12.7f}" + "".join(f"{c[i]:12.7f}" for c in cols + cumul))
    lines += [" Integrated el-ph coupling", "  #         " + "".join(f"{c[-1]:12.7f}" for c in cumul)]
    lines += [" Phonon smearing (meV)", "  #         " + "".join(f"{s:12.7f}" for s in (0.5, 0.6, 0.7))]
    lines += ["Electron smearing (eV)   0.0500000", "Fermi window (eV)   0.4000000"]
    lines += [f"Summed el-ph coupling    {cumul[0][-1]:10.7f}"]
    (HERE / "Nb.a2f").write_text("\n".join(lines) + "\n")
    iso = ["w[meV] a2f"] + [f"{w[i]:12.7f}{cols[0][i]:12.7f}" for i in range(nqstep)]
    (HERE / "Nb.a2f_iso").write_text("\n".join(iso) + "\n")


if __name__ == "__main__":
    qe_matdyn()
    qe_lambda()
    epw()
