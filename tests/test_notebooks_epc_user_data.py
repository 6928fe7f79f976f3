"""Notebooks 07 and 08 run end to end (papermill, through the runner) on a tiny user CIF folder.

The user's structures are screened, bad files are reported by name, paper-specific sections skip
with one line, the verdict table is replaced by one line, and nothing is recorded.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from reviewlib.book import runner

REPO = Path(__file__).resolve().parents[1]


def _run(notebook: str, out_dir: Path, parameters: dict, records: Path) -> str:
    """Execute a notebook with the project's runner; the text of its outputs."""
    result = runner.run_notebook(
        REPO / "notebooks" / notebook,
        out_dir=out_dir,
        records_dir=records,
        parameters=parameters,
        progress=False,
    )
    assert result.status == "ok", result.error
    parts = []
    for cell in nbformat.read(out_dir / notebook, as_version=4).cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out["text"])
            else:
                parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def _cifs(tmp_path: Path, n: int = 3) -> tuple[Path, list[str]]:
    from reviewlib.data.hydrides import load_alexandria

    b = load_alexandria("B").sample(n, random_state=3)
    folder = tmp_path / "cifs"
    folder.mkdir()
    names = []
    for mat_id, s in zip(b["mat_id"], b["structure"], strict=True):
        s.to(filename=str(folder / f"{mat_id}.cif"))
        names.append(f"{mat_id}.cif")
    (folder / "broken.cif").write_text("data_broken\n_cell_length_a 3.0\nloop_\n_atom_site_label\nx\n")
    return folder, names


def _no_records(records: Path) -> None:
    assert not records.exists() or not any(p for p in records.rglob("*") if p.is_file())


@pytest.mark.slow
def test_notebook_07_screens_a_user_cif_folder(mirror, tmp_path):
    folder, names = _cifs(tmp_path)
    records = tmp_path / "records"
    text = _run(
        "07_tran_vu2023_gpr_lambda_omegalog.ipynb",
        tmp_path / "executed",
        {"cif_dir": str(folder), "n_gpr_train": 60, "n_gpr_test": 40},
        records,
    )
    assert f"3 structures read from your folder {folder}; 1 skipped" in text
    assert "broken.cif" in text and all(n in text for n in names)
    assert "belongs to the paper's reproduction and is skipped" in text
    assert "the verdicts against the review belong to the registry run" in text
    assert "CrH2 (fluorite" not in text  # the paper's candidates are not screened
    _no_records(records)


@pytest.mark.slow
def test_notebook_08_ranks_a_user_cif_folder(mirror, tmp_path):
    folder, names = _cifs(tmp_path)
    csv = tmp_path / "descriptors.csv"
    csv.write_text(
        "file,dos_ef,debye_temperature_K\n"
        + "".join(f"{n},{2.0 + i},{400 + 100 * i}\n" for i, n in enumerate(names[:2]))
    )
    records = tmp_path / "records"
    text = _run(
        "08_shipley2021_gpr_hopfield.ipynb",
        tmp_path / "executed",
        {"cif_dir": str(folder), "descriptor_csv": str(csv), "n_gpr_train": 60},
        records,
    )
    assert f"2 structures read from your folder {folder}; 2 skipped" in text
    assert "broken.cif" in text and f"no row with file={names[2]!r}" in text
    assert "belongs to the paper's reproduction and is skipped" in text
    assert "the verdicts against the review belong to the registry run" in text
    assert ("Tc_GPR_K" in text and names[0] in text) or "no ranking is shown" in text
    _no_records(records)


@pytest.mark.slow
def test_notebook_08_refuses_a_bad_descriptor_table_before_any_model(mirror, tmp_path):
    folder, names = _cifs(tmp_path, n=1)
    csv = tmp_path / "descriptors.csv"
    csv.write_text(f"file,dos_ef,debye_temperature_K\n{names[0]},2.0,400 K\n")
    result = runner.run_notebook(
        REPO / "notebooks" / "08_shipley2021_gpr_hopfield.ipynb",
        out_dir=tmp_path / "executed",
        records_dir=tmp_path / "records",
        parameters={"cif_dir": str(folder), "descriptor_csv": str(csv)},
        progress=False,
    )
    assert result.status != "ok"
    assert "line 2, column 'debye_temperature_K'" in str(result.error)
