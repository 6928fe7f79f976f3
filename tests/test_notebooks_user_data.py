"""Notebooks 01, 02 and 03 run end to end (papermill, through the runner) on a user's own files.

A user's table or CIF folder is processed, bad files are reported by name, and nothing is
recorded against the review's claims.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from reviewlib.book import runner

REPO = Path(__file__).resolve().parents[1]


def _outputs(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out["text"])
            elif out.get("output_type") == "error":
                parts.append(f"{out['ename']}: {out['evalue']}")
            else:
                parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def _run(notebook: str, out_dir: Path, parameters: dict, records: Path) -> str:
    """Execute a notebook source with the project's runner; the text of its outputs."""
    result = runner.run_notebook(
        REPO / "notebooks" / notebook,
        out_dir=out_dir,
        records_dir=records,
        parameters=parameters,
        progress=False,
    )
    assert result.status == "ok", result.error
    return _outputs(out_dir / notebook)


@pytest.fixture
def records(tmp_path):
    """The records folder the runner points the kernel at."""
    return tmp_path / "records"


@pytest.mark.slow
def test_notebook_03_on_a_user_cif_folder(mirror, tmp_path, records):
    from reviewlib.data import fetch
    from reviewlib.data.supercon import load_3dsc_mp

    table = load_3dsc_mp().sample(40, random_state=1)
    source = fetch("3dsc_mp_cifs", progress=False)
    cifs = tmp_path / "cifs"
    cifs.mkdir()
    for name in table["cif"]:
        shutil.copyfile(source / name, cifs / name)
    (cifs / "broken.cif").write_text("data_broken\n_cell_length_a 3.0\nloop_\n_atom_site_label\nx\n")
    tc = table[["cif", "tc_K"]].rename(columns={"cif": "file"})
    tc.iloc[1:].to_csv(tmp_path / "tc.csv", index=False)  # the first CIF has no Tc row
    text = _run(
        "03_zhang2022_soap_models.ipynb",
        tmp_path / "executed",
        {"cif_dir": str(cifs), "tc_csv": str(tmp_path / "tc.csv")},
        records,
    )
    assert "39 structures read" in text and "2 skipped" in text
    assert "broken.cif" in text and table["cif"].iloc[0] in text
    assert "nothing is recorded against the review's claims" in text
    assert not records.exists() or not any(records.iterdir())


@pytest.mark.slow
def test_notebook_02_on_a_user_table(mirror, tmp_path, records):
    from reviewlib.data import fetch

    raw = pd.read_csv(fetch("stanev_supercon", progress=False)).sample(400, random_state=2)
    raw = pd.concat([raw[["name", "Tc"]], pd.DataFrame({"name": ["notaformula"], "Tc": [5.0]})])
    raw.to_csv(tmp_path / "mine.csv", index=False)
    text = _run(
        "02_stanev2018_supercon.ipynb",
        tmp_path / "executed",
        {"data_path": str(tmp_path / "mine.csv")},
        records,
    )
    assert re.search(r"401 rows in the file, \d+ unparsed names left out", text)
    assert "notaformula" in text  # the unparsed names are listed, not dropped silently
    assert "nothing is recorded against the review's claims" in text
    assert not records.exists() or not any(records.iterdir())


@pytest.mark.slow
def test_notebook_01_on_user_spectra(tmp_path, records):
    import numpy as np

    spectra = tmp_path / "a2f"
    spectra.mkdir()
    omega = np.linspace(0.1, 60.0, 400)  # meV, EPW-style: frequency then alpha2F
    strong = 1.2 * np.exp(-(((omega - 20.0) / 4.0) ** 2))
    weak = 0.02 * np.exp(-(((omega - 20.0) / 4.0) ** 2))  # lambda ~ 0.01: formulas give 0 K (documented)
    np.savetxt(spectra / "strong.a2f", np.column_stack([omega, strong]), header="w[meV] a2F")
    np.savetxt(spectra / "weak.a2f", np.column_stack([omega, weak]), header="w[meV] a2F")
    (spectra / "broken.a2f").write_text("# w a2F\n1.0 0.1\n2.0 oops\n")
    text = _run(
        "01_xie2022_eliashberg_ml.ipynb",
        tmp_path / "executed",
        {"spectra_path": str(spectra), "n_spectra": 120},
        records,
    )
    assert "2 of your spectra solved" in text and "strong.a2f" in text and "weak.a2f" in text
    assert "skipped broken.a2f" in text and "line 3: non-numeric field" in text
    assert "ML in training range" in text


@pytest.mark.slow
def test_notebook_09_on_a_user_cif_folder(mirror, tmp_path, records):
    from reviewlib.data.hydrides import load_alexandria

    cifs = tmp_path / "cifs"
    cifs.mkdir()
    for i, s in enumerate(load_alexandria("B")["structure"].iloc[:2]):
        s.to(filename=str(cifs / f"mine{i}.cif"))
    (cifs / "broken.cif").write_text("data_broken\n_cell_length_a 3.0\nloop_\n_atom_site_label\nx\n")
    text = _run(
        "09_choudhary2022_prediction_routes.ipynb",
        tmp_path / "executed",
        {"cif_dir": str(cifs), "n_train": 60, "n_test": 20},
        records,
    )
    assert "2 structures read" in text and "1 skipped" in text and "broken.cif" in text
    assert "2 of your structures predicted" in text
    assert "this section is specific to the paper and is skipped" in text
    assert "nothing is recorded against the review's claims" in text
    assert not records.exists() or not any(records.iterdir())


@pytest.mark.slow
def test_notebook_11_on_a_user_chemical_system(tmp_path, records):
    """The command of chapter 11's "Use your own data" section, on Y-H at 5 GPa in fast mode."""
    store = tmp_path / "my_search"
    text = _run(
        "11_ferreira2023_lunh_structure_search.ipynb",
        tmp_path / "executed",
        {
            "compositions": ["Y", "H", "YH2"],
            "pressures_GPa": [5.0],
            "store_dir": str(store),
        },
        records,
    )
    assert f"results in {store}" in text
    assert (store / "results.csv").is_file()  # the resumable table the section promises
    results = pd.read_csv(store / "results.csv")
    assert {"Y", "YH2"} <= set(results["composition"])  # the user's compositions were searched
    assert not records.exists() or not any(records.iterdir())  # nothing recorded for the review


@pytest.mark.slow
def test_notebook_10_on_a_user_cif_folder(tmp_path, records):
    """The command of chapter 10's "Use your own data" section: a readable H3S CIF, an unreadable
    file and a Tc table with a row that names no CIF; the Tc of both published lines comes out.
    """
    from reviewlib.dft import h3s_im3m

    folder = tmp_path / "my_cifs"
    folder.mkdir()
    h3s_im3m(a_A=3.09).to(filename=str(folder / "H3S.cif"))
    (folder / "broken.cif").write_text("data_broken\n_cell_length_a oops\n")
    (folder / "tc.csv").write_text("file,tc_K\nH3S.cif,200\nbroken.cif,10\nLaH10.cif,250\n")
    text = _run(
        "10_belli2021_networking_value.ipynb",
        tmp_path / "executed",
        {"cif_dir": str(folder), "tc_csv": str(folder / "tc.csv")},
        records,
    )
    assert "skipped broken.cif" in text  # the unreadable file is listed, not fatal
    assert "'LaH10' names no CIF" in text  # the unmatched Tc row is listed
    assert "Tc, Belli line (K)" in text  # the user's structure gets a Tc from the published lines
    assert "nothing is recorded" in text
    assert not records.exists() or not any(records.iterdir())
