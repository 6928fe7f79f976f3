"""Issue 11 items 6-8: unwritable or corrupt caches, a mistyped or corrupt mirror, stray files in folders.

Every case ends in a one-line-per-dataset report or a ``DataError`` that names the file and the
fix, never a ``PermissionError`` traceback. Tests run as root in CI, where ``chmod`` does not stop
anyone, so read-only and unreadable files are simulated by patching the two system calls involved.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reviewlib.book import cli
from reviewlib.data import (
    DataHashError,
    DataUnavailableError,
    DataUnreadableError,
    DataUnregisteredError,
    check,
    fetch,
    get_record,
    load_3dsc_mp,
    load_sodnet_hydrides,
    manifest_files,
    registry,
    verify,
)

ALLEN = "allen_dynes_43"
OSAKA = "osaka_hydrides"


@pytest.fixture
def offline(monkeypatch):
    """Downloads go to an address that refuses connections at once (never the network)."""
    monkeypatch.setattr(registry, "RAW_URL", "http://127.0.0.1:9/{repo}/{commit}/{path}")


def _link_file(mirror: Path, private: Path, name: str) -> Path:
    rel = get_record(name).local_path
    (private / rel).parent.mkdir(parents=True, exist_ok=True)
    (private / rel).symlink_to(mirror / rel)
    return private / rel


def _link_folder(mirror: Path, private: Path, name: str) -> Path:
    rec = get_record(name)
    folder = private / rec.local_path
    folder.mkdir(parents=True)
    for fname in manifest_files(name):
        (folder / fname).symlink_to(mirror / rec.local_path / fname)
    return folder


@pytest.fixture
def private(tmp_path, mirror, monkeypatch, offline):
    """An empty private mirror and cache (filled per test with links to the real mirror)."""
    monkeypatch.setenv("REVIEWLIB_DATA_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path / "cache"))
    (tmp_path / "mirror").mkdir()
    return tmp_path


# ----------------------------------------------------------------------------- item 6


def test_unwritable_cache_is_an_error_naming_the_folder_and_the_fix(tmp_path, monkeypatch, offline):
    monkeypatch.delenv("REVIEWLIB_DATA_MIRROR", raising=False)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(blocker / "cache"))
    with pytest.raises(DataUnavailableError, match=r"cannot be created .*REVIEWLIB_DATA_CACHE to a writable"):
        fetch(ALLEN, progress=False)


def test_corrupt_file_in_read_only_cache_reports_the_mismatch(tmp_path, monkeypatch):
    monkeypatch.delenv("REVIEWLIB_DATA_MIRROR", raising=False)
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    cached = tmp_path / get_record(ALLEN).local_path
    cached.parent.mkdir(parents=True)
    cached.write_text("not the real file\n")

    def refuse(self, missing_ok=False):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "unlink", refuse)
    with pytest.raises(DataHashError) as err:
        fetch(ALLEN, progress=False)
    message = str(err.value)
    assert "sha256 mismatch" in message and str(cached) in message
    assert "could not delete it: PermissionError" in message and "REVIEWLIB_DATA_CACHE" in message


def test_unreadable_file_is_reported_not_raised_as_oserror(private, mirror, monkeypatch):
    path = _link_file(mirror, private / "mirror", ALLEN)
    real = registry.sha256_file

    def unreadable(p):
        if Path(p) == path:
            raise PermissionError(13, "Permission denied", str(p))
        return real(p)

    monkeypatch.setattr(registry, "sha256_file", unreadable)
    result = check(ALLEN)
    assert result.status == "unreadable" and "Permission denied" in result.detail
    with pytest.raises(DataUnreadableError, match=re.escape(f"cannot read {path}")):
        fetch(ALLEN, progress=False)


def test_verify_reports_every_dataset_and_exits_non_zero_at_the_end(private, mirror, capsys):
    _link_file(mirror, private / "mirror", ALLEN)  # ok
    corrupt = private / "mirror" / get_record(OSAKA).local_path  # mismatch
    corrupt.parent.mkdir(parents=True, exist_ok=True)
    corrupt.write_bytes((mirror / get_record(OSAKA).local_path).read_bytes() + b"x")
    names = [OSAKA, "htsc2025", ALLEN]  # htsc2025: missing; the failures come first
    assert cli.main(["data", "verify", *names]) == 1
    out, err = capsys.readouterr()
    assert f"ok           {ALLEN} (mirror)" in out
    assert f"mismatch     {OSAKA}" in err and "MIRROR copy is corrupt" in err
    assert "missing      htsc2025" in err
    assert "3 dataset(s): 1 mismatch, 1 missing, 1 ok" in err
    assert "Traceback" not in out + err


def test_fetch_continues_past_failures_and_exits_non_zero(private, mirror, capsys):
    _link_file(mirror, private / "mirror", ALLEN)
    assert cli.main(["data", "fetch", "htsc2025", ALLEN]) == 1  # htsc2025: offline, not mirrored
    out, err = capsys.readouterr()
    assert f"ok           {ALLEN}" in out
    assert "missing      htsc2025" in err and "download failed" in err
    assert "1 of 2 dataset(s) failed: htsc2025 (missing)" in err


# ----------------------------------------------------------------------------- item 7


def test_mistyped_mirror_is_diagnosed(tmp_path, monkeypatch, offline, capsys):
    monkeypatch.setenv("REVIEWLIB_DATA_MIRROR", str(tmp_path / "shraed" / "data"))
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path / "cache"))
    with pytest.raises(DataUnavailableError, match=r"shraed/data\) does not exist: check the spelling"):
        fetch(ALLEN, progress=False)
    assert cli.main(["data", "verify", ALLEN]) == 1
    err = capsys.readouterr().err
    assert "warning: REVIEWLIB_DATA_MIRROR=" in err and "does not exist" in err
    assert f"missing      {ALLEN}" in err


def test_corrupt_mirror_copy_says_how_to_repair_or_bypass(private, mirror):
    rec = get_record(ALLEN)
    copy = private / "mirror" / rec.local_path
    copy.parent.mkdir(parents=True)
    shutil.copyfile(mirror / rec.local_path, copy)
    copy.write_bytes(copy.read_bytes() + b"tampered\n")
    with pytest.raises(DataHashError) as err:
        fetch(ALLEN, progress=False)
    message = str(err.value)
    assert "The MIRROR copy is corrupt" in message
    assert f"REVIEWLIB_DATA_MIRROR= reviewlib data fetch {ALLEN}" in message  # bypass
    assert f"curl -L -o '{copy}' '{rec.url()}'" in message  # repair
    assert "re-run `reviewlib data fetch` so that" not in message
    assert copy.exists(), "the mirror is never modified"


# ----------------------------------------------------------------------------- item 8


def test_folder_with_a_stray_cif_fails_verify_and_loaders_ignore_it(private, mirror, capsys):
    folder = _link_folder(mirror, private / "mirror", "sodnet_hydride_cifs")
    _link_file(mirror, private / "mirror", "sodnet_hydride_table")
    stray = folder / "Zz9H9.cif"
    shutil.copyfile(folder / manifest_files("sodnet_hydride_cifs")[0], stray)
    result = check("sodnet_hydride_cifs")
    assert result.status == "unregistered" and "Zz9H9.cif" in result.detail
    with pytest.raises(DataUnregisteredError, match="Zz9H9.cif"):
        verify("sodnet_hydride_cifs")
    assert cli.main(["data", "verify", "sodnet_hydride_cifs"]) == 1
    assert "unregistered sodnet_hydride_cifs" in capsys.readouterr().err
    frame = load_sodnet_hydrides(with_structures=False)  # used to raise for the unmatched CIF
    assert len(frame) == 103 and frame.attrs["n_joined"] == 88 and frame.attrs["unmatched_cifs"] == []


@pytest.mark.slow
def test_3dsc_loader_reads_only_manifest_cifs(private, mirror):
    folder = _link_folder(mirror, private / "mirror", "3dsc_mp_cifs")
    _link_file(mirror, private / "mirror", "stanev_supercon")
    shutil.copyfile(folder / manifest_files("3dsc_mp_cifs")[0], folder / "Nb1Sn0.333-MP-mp-0-synth_doped.cif")
    assert check("3dsc_mp_cifs").status == "unregistered"
    frame = load_3dsc_mp(with_structures=False)
    assert len(frame) == get_record("3dsc_mp_cifs").n_files == 5773
    assert "Nb1Sn0.333-MP-mp-0-synth_doped.cif" not in set(frame["cif"])
