"""Pinned data registry and resolver: mirror -> local cache -> pinned upstream download.

Every public file the book uses has one record (``registry/records.json``): upstream repository,
commit and path, size, sha256, license, citation key and a one-line description. Folders of many
files (CIF collections) carry a manifest with one sha256 per file.

Resolution order for :func:`fetch`:

1. the mirror named by ``REVIEWLIB_DATA_MIRROR``, laid out ``<area>/<owner>+<repo>/<path>``;
2. the local cache (:func:`reviewlib.settings.data_cache_dir`: ``REVIEWLIB_DATA_CACHE``, else
   ``data/cache`` in a checkout, else a per-user cache folder);
3. a download of the raw file at the pinned commit (pooch, with a progress bar) into the cache.

The sha256 is checked every time a file is handed out. A mismatch raises
:class:`DataHashError` naming the file and both hashes (a cached or downloaded copy is deleted);
a file that can be found nowhere raises :class:`DataUnavailableError` naming the file, the URL
that was tried and how to set the mirror.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

RAW_URL = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"


class DataError(RuntimeError):
    """Base class of the resolver's errors."""


class DataUnavailableError(DataError):
    """A registered file is in neither the mirror nor the cache, and could not be downloaded."""


class DataHashError(DataError):
    """A file's sha256 differs from the registry's pin."""


@dataclass(frozen=True)
class Record:
    """One registered upstream file (``kind`` file/license) or folder of files (``kind`` folder)."""

    name: str
    area: str
    repo: str
    commit: str
    path: str
    kind: str
    license: str
    citation: str
    description: str
    size: int
    sha256: str
    download: bool = True
    member: str | None = None
    pickle: bool = False
    manifest: str | None = None
    n_files: int | None = None
    files: tuple[tuple[str, int, str], ...] = field(default=(), repr=False)

    @property
    def local_path(self) -> str:
        """Path relative to a mirror or cache root: ``<area>/<owner>+<repo>/<path>``."""
        return f"{self.area}/{self.repo.replace('/', '+')}/{self.path}"

    def url(self, file: str | None = None) -> str:
        """Pinned raw URL of the file (or of ``file`` inside a folder record)."""
        path = self.path if file is None else f"{self.path}/{file}"
        return RAW_URL.format(repo=self.repo, commit=self.commit, path=quote(path))


@cache
def records() -> dict[str, Record]:
    """All registry records, keyed by short name."""
    folder = resources.files("reviewlib") / "data" / "registry"
    raw = json.loads((folder / "records.json").read_text())
    out: dict[str, Record] = {}
    for item in raw:
        files: tuple = ()
        if item.get("manifest"):
            with (folder / item["manifest"]).open("r") as fh:
                files = tuple((r["file"], int(r["size"]), r["sha256"]) for r in csv.DictReader(fh))
        out[item["name"]] = Record(**item, files=files)
    return out


def get_record(name: str) -> Record:
    """The record called ``name``; ``KeyError`` lists the known names."""
    recs = records()
    if name not in recs:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(sorted(recs))}")
    return recs[name]


def mirror_root() -> Path | None:
    """The mirror directory from ``REVIEWLIB_DATA_MIRROR``, or None when unset."""
    value = os.environ.get("REVIEWLIB_DATA_MIRROR", "").strip()
    return Path(value).expanduser().resolve() if value else None


def cache_root() -> Path:
    """The local cache directory: :func:`reviewlib.settings.data_cache_dir`."""
    from reviewlib import settings

    return settings.data_cache_dir()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check(path: Path, expected: str, *, label: str, url: str, owned: bool) -> None:
    actual = sha256_file(path)
    if actual != expected:
        if owned:
            path.unlink(missing_ok=True)
        where = "deleted the cached copy" if owned else "the mirror copy was left untouched"
        raise DataHashError(
            f"{label}: sha256 mismatch for {path}\n  expected {expected}\n  found    {actual}\n"
            f"The file was refused ({where}). Restore it from {url} or re-run "
            f"`reviewlib data fetch` so that it is downloaded again."
        )


def _download(url: str, target: Path, expected: str, *, label: str, progress: bool) -> None:
    import pooch
    import requests

    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        pooch.retrieve(
            url,
            known_hash=f"sha256:{expected}",
            fname=target.name,
            path=target.parent,
            progressbar=progress,
        )
    except ValueError as exc:  # pooch's hash mismatch: it deletes the download itself
        target.unlink(missing_ok=True)
        raise DataHashError(f"{label}: downloaded file from {url} failed its hash check: {exc}") from exc
    except (requests.exceptions.RequestException, OSError) as exc:
        target.unlink(missing_ok=True)
        raise DataUnavailableError(
            f"{label}: not in the mirror or the cache, and the download failed.\n"
            f"  tried URL: {url}\n  error: {type(exc).__name__}: {exc}\n"
            "Fix: set REVIEWLIB_DATA_MIRROR to a folder laid out <area>/<owner>+<repo>/<path> "
            "(for example `export REVIEWLIB_DATA_MIRROR=../shared/data`), or connect to the "
            f"network, or place the file at {target}."
        ) from exc


def _resolve_one(rec: Record, rel: str, expected: str, url: str, *, progress: bool) -> Path:
    label = f"dataset {rec.name!r} ({rel})"
    mirror = mirror_root()
    if mirror is not None and (mirror / rel).is_file():
        path = mirror / rel
        _check(path, expected, label=label, url=url, owned=False)
        return path
    cached = cache_root() / rel
    if cached.is_file():
        _check(cached, expected, label=label, url=url, owned=True)
        return cached
    if not rec.download:
        raise DataUnavailableError(
            f"{label}: this file is not downloadable (it is not byte-verified against upstream) "
            f"and is in neither the mirror ({mirror or 'REVIEWLIB_DATA_MIRROR unset'}) nor the "
            f"cache ({cache_root()}). Upstream: {url}. Fix: set REVIEWLIB_DATA_MIRROR to a "
            "mirror that holds it."
        )
    _download(url, cached, expected, label=label, progress=progress)
    _check(cached, expected, label=label, url=url, owned=True)
    return cached


def fetch(name: str, *, progress: bool = True) -> Path:
    """Local, hash-verified path of dataset ``name`` (a file, or a folder for folder records)."""
    rec = get_record(name)
    if rec.kind != "folder":
        return _resolve_one(rec, rec.local_path, rec.sha256, rec.url(), progress=progress)
    folder: Path | None = None
    files = rec.files
    if progress and len(files) > 50:
        from tqdm.auto import tqdm

        files = tqdm(files, desc=f"verify {rec.name}", unit="file", leave=False)
    for fname, _size, digest in files:
        path = _resolve_one(rec, f"{rec.local_path}/{fname}", digest, rec.url(fname), progress=False)
        if folder is None:
            folder = path.parent
        elif path.parent != folder:  # split between mirror and cache: copy into the cache
            folder = _consolidate(rec)
            break
    assert folder is not None
    return folder


def _consolidate(rec: Record) -> Path:
    """Copy mirror files of a folder record into the cache so one folder holds them all."""
    import shutil

    target = cache_root() / rec.local_path
    target.mkdir(parents=True, exist_ok=True)
    mirror = mirror_root()
    for fname, _size, digest in rec.files:
        dest = target / fname
        if not dest.is_file():
            assert mirror is not None
            shutil.copyfile(mirror / rec.local_path / fname, dest)
        _check(dest, digest, label=f"dataset {rec.name!r} ({fname})", url=rec.url(fname), owned=True)
    return target


def verify(name: str) -> str:
    """Resolve and verify ``name``; return where it came from (``mirror`` or ``cache``)."""
    path = fetch(name, progress=False)
    mirror = mirror_root()
    return "mirror" if mirror is not None and mirror in path.parents else "cache"
