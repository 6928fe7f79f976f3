"""The data registry: every record resolves and verifies; corrupted and missing files fail loudly."""

from __future__ import annotations

import shutil

import pytest

from reviewlib.data import DataHashError, DataUnavailableError, fetch, get_record, records, registry, verify

EXPECTED_RECORDS = 26


def test_registry_has_every_dataset_with_provenance():
    recs = records()
    assert len(recs) == EXPECTED_RECORDS
    assert {r.area for r in recs.values()} == {"supercon", "hydrides", "hydrides2"}
    for rec in recs.values():
        assert len(rec.commit) == 40 and len(rec.sha256) == 64
        assert rec.license and rec.citation and rec.description
        assert rec.size > 0
        assert rec.url().startswith(f"https://raw.githubusercontent.com/{rec.repo}/{rec.commit}/")


def test_folder_manifests_have_a_hash_per_file():
    cifs = get_record("3dsc_mp_cifs")
    assert cifs.kind == "folder" and cifs.n_files == len(cifs.files) == 5773
    assert sum(size for _, size, _ in cifs.files) == cifs.size
    assert len(get_record("sodnet_hydride_cifs").files) == 88


def test_id_prop_is_a_cross_check_only():
    assert get_record("3dsc_mp_id_prop").download is False


@pytest.mark.parametrize("name", sorted(records()))
def test_every_record_resolves_and_verifies_on_the_mirror(mirror, name):
    assert verify(name) == "mirror"


def test_unknown_name_lists_known_ones():
    with pytest.raises(KeyError, match="stanev_supercon"):
        fetch("no_such_dataset")


@pytest.fixture
def tmp_mirror(tmp_path, mirror, monkeypatch):
    """A private mirror holding a copy of the Allen-Dynes file, and an empty cache."""
    rec = get_record("allen_dynes_43")
    target = tmp_path / "mirror" / rec.local_path
    target.parent.mkdir(parents=True)
    shutil.copyfile(mirror / rec.local_path, target)
    monkeypatch.setenv("REVIEWLIB_DATA_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path / "cache"))
    return target


def test_corrupted_mirror_copy_raises_hash_error_naming_both_hashes(tmp_mirror):
    rec = get_record("allen_dynes_43")
    assert fetch("allen_dynes_43") == tmp_mirror
    tmp_mirror.write_bytes(tmp_mirror.read_bytes() + b"tampered\n")
    with pytest.raises(DataHashError) as err:
        fetch("allen_dynes_43")
    message = str(err.value)
    assert "allen_dynes_43" in message and rec.sha256 in message
    assert registry.sha256_file(tmp_mirror) in message


def test_corrupted_cache_copy_is_deleted(tmp_path, monkeypatch):
    rec = get_record("allen_dynes_43")
    monkeypatch.delenv("REVIEWLIB_DATA_MIRROR", raising=False)
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    cached = tmp_path / rec.local_path
    cached.parent.mkdir(parents=True)
    cached.write_text("not the real file\n")
    with pytest.raises(DataHashError):
        fetch("allen_dynes_43")
    assert not cached.exists(), "a corrupted cached copy must not be kept"


def test_offline_without_mirror_names_file_url_and_fix(tmp_path, monkeypatch):
    monkeypatch.delenv("REVIEWLIB_DATA_MIRROR", raising=False)
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    # an address that refuses connections at once: the test never touches the network
    monkeypatch.setattr(registry, "RAW_URL", "http://127.0.0.1:9/{repo}/{commit}/{path}")
    rec = get_record("allen_dynes_43")
    with pytest.raises(DataUnavailableError) as err:
        fetch("allen_dynes_43", progress=False)
    message = str(err.value)
    assert "allen_dynes_43" in message
    assert rec.url() in message
    assert "REVIEWLIB_DATA_MIRROR" in message
    assert not list(tmp_path.rglob("data.csv")), "no partial download may be kept"


def test_non_downloadable_record_says_so(tmp_path, monkeypatch):
    monkeypatch.delenv("REVIEWLIB_DATA_MIRROR", raising=False)
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    with pytest.raises(DataUnavailableError, match="not downloadable"):
        fetch("3dsc_mp_id_prop")
