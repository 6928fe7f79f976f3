"""The one atomic writer (reviewlib._io.atomic_write) and the state files written through it."""

from __future__ import annotations

import json
import os
import stat
import zipfile

import numpy as np
import pandas as pd
import pytest

from reviewlib._io import atomic_write


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_text_bytes_and_writer_contents(tmp_path):
    text = tmp_path / "a.json"
    assert atomic_write(text, json.dumps({"x": "Å"})) == text
    assert json.loads(text.read_text(encoding="utf-8")) == {"x": "Å"}
    raw = tmp_path / "b.bin"
    atomic_write(raw, b"\x00\x01\x02")
    assert raw.read_bytes() == b"\x00\x01\x02"
    arrays = tmp_path / "c.npz"
    atomic_write(arrays, lambda fh: np.savez(fh, v=np.arange(5.0)))
    assert arrays.name == "c.npz"  # np.savez on a handle adds no second suffix
    with np.load(arrays, allow_pickle=False) as data:
        np.testing.assert_array_equal(data["v"], np.arange(5.0))
    assert _leftovers(tmp_path) == []


def test_replaces_an_existing_file(tmp_path):
    path = tmp_path / "state.json"
    path.write_text("old")
    atomic_write(path, "new")
    assert path.read_text() == "new"
    assert _leftovers(tmp_path) == []


def test_a_failing_writer_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "cache.npz"
    atomic_write(path, lambda fh: np.savez(fh, v=np.ones(3)))
    before = path.read_bytes()

    def broken(fh):
        fh.write(b"half a file")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic_write(path, broken)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []
    # and when there was no file before, there is none after
    fresh = tmp_path / "fresh.json"
    with pytest.raises(RuntimeError):
        atomic_write(fresh, broken)
    assert not fresh.exists()
    assert _leftovers(tmp_path) == []


def test_bad_content_and_missing_folder_raise(tmp_path):
    with pytest.raises(TypeError, match="content must be bytes, str or a callable"):
        atomic_write(tmp_path / "x", 3)
    with pytest.raises(FileNotFoundError):
        atomic_write(tmp_path / "no" / "x.json", "{}")


def test_permissions_follow_the_umask_or_mode(tmp_path):
    old = os.umask(0o022)
    try:
        plain = atomic_write(tmp_path / "plain.json", "{}")
        given = atomic_write(tmp_path / "given.npz", b"", mode=0o640)
    finally:
        os.umask(old)
    assert stat.S_IMODE(plain.stat().st_mode) == 0o644  # as open(path, "w") gives
    assert stat.S_IMODE(given.stat().st_mode) == 0o640


def test_feature_cache_reads_what_it_wrote_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    from reviewlib.features.cache import cache_path, cached

    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path / "cache"))
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    key = {"n": 2}
    cached("atomic", key=key, compute=lambda: frame)
    path = cache_path("atomic", key)
    assert path.is_file()
    assert _leftovers(path.parent) == []
    pd.testing.assert_frame_equal(cached("atomic", key=key, compute=lambda: 1 / 0), frame)


def test_search_store_append_rewrites_the_whole_csv(tmp_path):
    from reviewlib.search.store import _append

    path = tmp_path / "results.csv"
    _append(path, [{"id": "a", "pressure_GPa": 100.0, "status": "ok"}])
    _append(path, [{"id": "b", "pressure_GPa": 200.0, "status": "ok"}])
    table = pd.read_csv(path)
    assert table["id"].tolist() == ["a", "b"]
    assert _leftovers(tmp_path) == []


def test_the_model_zip_is_a_complete_zip(tmp_path):
    """save_bundle hands zipfile a file handle: the archive must be complete and readable."""
    path = tmp_path / "m.zip"

    def write_zip(fh):
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("meta.json", "{}")

    atomic_write(path, write_zip)
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist() == ["meta.json"]
        assert zf.testzip() is None


def test_run_status_merges_and_is_written_whole(tmp_path):
    from reviewlib.book.runner import RunResult, load_status, write_status

    def result(name, status):
        return RunResult(name, status, "fast", 1.0, 10.0, "", "2024-01-01T00:00:00Z", "3.11")

    path = tmp_path / "status.json"
    write_status([result("00_a", "ok")], path=path)
    write_status([result("01_b", "failed"), result("00_a", "failed")], path=path)
    assert [(e["notebook"], e["status"]) for e in load_status(path)] == [
        ("00_a", "failed"),
        ("01_b", "failed"),
    ]
    assert _leftovers(tmp_path) == []


def test_dft_cache_round_trip_and_remembered_failure(tmp_path, monkeypatch):
    from pymatgen.core import Lattice, Structure

    from reviewlib.dft import cache as dft_cache
    from reviewlib.dft import calc
    from reviewlib.dft.calc import DFTResult, DFTSettings

    result = DFTResult(
        name="toy",
        formula="H",
        species=["H"],
        cell=np.eye(3) * 3.0,
        frac_coords=np.zeros((1, 3)),
        elf=np.linspace(0, 1, 27).reshape(3, 3, 3),
        fermi_level_eV=-1.5,
        dos_total=0.25,
        pdos_atoms=np.array([0.2]),
        kpts=[2, 2, 2],
        scf_iterations=12,
        seconds=3.0,
        settings={"ecut_eV": 250.0},
        versions={"gpaw": "x"},
    )
    path = tmp_path / "dft" / "H-abc.npz"
    dft_cache.save_result(path, result, key="k1")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    back = dft_cache.load_result(path, key="k1")
    np.testing.assert_array_equal(back.elf, result.elf)
    assert (back.fermi_level_eV, back.kpts, back.settings) == (-1.5, [2, 2, 2], {"ecut_eV": 250.0})
    assert _leftovers(path.parent) == []

    # a deterministic failure is remembered in .failed.json and raised again without a calculation
    calls = []

    def insulator(structure, *, name, settings):
        calls.append(name)
        raise calc.InsulatorError(f"{name}: Kohn-Sham gap 1.0 eV")

    monkeypatch.setattr(dft_cache, "run_gpaw", insulator)
    monkeypatch.setattr(dft_cache, "versions", lambda: {"gpaw": "test"})
    lih = Structure(Lattice.cubic(4.08), ["Li", "H"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    for _ in range(2):
        with pytest.raises(calc.InsulatorError, match="Kohn-Sham gap"):
            dft_cache.cached_gpaw(lih, name="LiH", settings=DFTSettings(), folder=tmp_path / "dft")
    assert calls == ["LiH"]
    assert len(list((tmp_path / "dft").glob("LiH-*.failed.json"))) == 1
    assert _leftovers(tmp_path / "dft") == []
