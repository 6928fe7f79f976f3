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


class DataUnreadableError(DataError):
    """A registered file exists but cannot be read (permissions, I/O error)."""


class DataUnregisteredError(DataError):
    """A folder dataset holds files that are not in its manifest."""


@dataclass(frozen=True)
class Record:
    """One registered upstream file (``kind`` file/license) or folder of files (``kind`` folder).

    A record read by a loader also carries its schema: ``loader`` (function name in
    :mod:`reviewlib.data` and keyword arguments), ``rows`` and ``columns`` (one dict per column:
    ``name``, pandas ``dtype``, ``unit`` and ``description``; a ``name`` of ``"*"`` with a
    ``count`` stands for that many feature columns named as upstream).
    """

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
    loader: dict | None = field(default=None, repr=False)  # {"function": "load_x", "kwargs": {...}}
    rows: int | None = None  # rows the loader returns (with its default arguments)
    columns: tuple[dict, ...] = field(default=(), repr=False)  # name, dtype, unit, description[, count]
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
        item["columns"] = tuple(item.get("columns", ()))
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


def mirror_problem() -> str:
    """Why the mirror cannot be used ("" when it is unset or an existing folder)."""
    mirror = mirror_root()
    if mirror is None or mirror.is_dir():
        return ""
    what = "is not a folder" if mirror.exists() else "does not exist"
    return (
        f"REVIEWLIB_DATA_MIRROR={os.environ['REVIEWLIB_DATA_MIRROR'].strip()} ({mirror}) {what}: "
        "check the spelling (the mirror is laid out <area>/<owner>+<repo>/<path>, e.g. ../shared/data)"
    )


def _mirror_hint() -> str:
    problem = mirror_problem()
    return f"\nNote: {problem}." if problem else ""


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


def _hash(path: Path, *, label: str) -> str:
    """sha256 of ``path``; an unreadable file raises :class:`DataUnreadableError`."""
    try:
        return sha256_file(path)
    except OSError as exc:
        raise DataUnreadableError(
            f"{label}: cannot read {path} ({type(exc).__name__}: {exc.strerror or exc}). "
            "Fix: make the file readable (a cached copy may also be deleted: `reviewlib data fetch` "
            "then downloads it again)."
        ) from None


def _mismatch_text(
    rec_name: str, path: Path, expected: str, actual: str, *, label: str, url: str, mirror: bool, deleted: str
) -> str:
    head = f"{label}: sha256 mismatch for {path}\n  expected {expected}\n  found    {actual}\n"
    if mirror:
        return head + (
            "The MIRROR copy is corrupt (reviewlib never changes the mirror; re-running `reviewlib data "
            "fetch` fails the same way while REVIEWLIB_DATA_MIRROR points there). Fix: repair the mirror "
            f"copy from the pinned upstream file ({url}, e.g. `curl -L -o '{path}' '{url}'`), or bypass "
            "the mirror for this dataset: "
            f"`REVIEWLIB_DATA_MIRROR= reviewlib data fetch {rec_name}` downloads a verified copy into "
            f"the cache ({cache_root()}) and leaves the mirror alone."
        )
    return (
        head + f"The cached copy was refused ({deleted}). Run `reviewlib data fetch {rec_name}` to download "
        f"it again from {url}."
    )


def _check(path: Path, expected: str, *, label: str, url: str, owned: bool, rec_name: str = "NAME") -> None:
    actual = _hash(path, label=label)
    if actual != expected:
        deleted = "the mirror copy was left untouched"
        if owned:
            try:
                path.unlink(missing_ok=True)
                deleted = "deleted it"
            except OSError as exc:
                deleted = (
                    f"could not delete it: {type(exc).__name__}: {exc.strerror or exc}; delete it by hand "
                    "or set REVIEWLIB_DATA_CACHE to a writable folder"
                )
        raise DataHashError(
            _mismatch_text(
                rec_name, path, expected, actual, label=label, url=url, mirror=not owned, deleted=deleted
            )
        )


def _download(url: str, target: Path, expected: str, *, label: str, progress: bool) -> None:
    import pooch
    import requests

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataUnavailableError(
            f"{label}: not in the mirror or the cache, and the cache folder {target.parent} cannot be "
            f"created ({type(exc).__name__}: {exc.strerror or exc}). Fix: set REVIEWLIB_DATA_CACHE to a "
            f"writable folder, or set REVIEWLIB_DATA_MIRROR to a mirror holding the file.{_mirror_hint()}"
        ) from None
    try:
        pooch.retrieve(
            url,
            known_hash=f"sha256:{expected}",
            fname=target.name,
            path=target.parent,
            progressbar=progress,
        )
    except ValueError as exc:  # pooch's hash mismatch: it deletes the download itself
        _remove_quietly(target)
        raise DataHashError(f"{label}: downloaded file from {url} failed its hash check: {exc}") from exc
    except (requests.exceptions.RequestException, OSError) as exc:
        _remove_quietly(target)
        raise DataUnavailableError(
            f"{label}: not in the mirror or the cache, and the download failed.\n"
            f"  tried URL: {url}\n  error: {type(exc).__name__}: {exc}\n"
            "Fix: set REVIEWLIB_DATA_MIRROR to a folder laid out <area>/<owner>+<repo>/<path> "
            "(for example `export REVIEWLIB_DATA_MIRROR=../shared/data`), or connect to the "
            f"network, or place the file at {target} (the cache folder must be writable)."
            f"{_mirror_hint()}"
        ) from exc


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _resolve_one(rec: Record, rel: str, expected: str, url: str, *, progress: bool) -> Path:
    label = f"dataset {rec.name!r} ({rel})"
    mirror = mirror_root()
    if mirror is not None and (mirror / rel).is_file():
        path = mirror / rel
        _check(path, expected, label=label, url=url, owned=False, rec_name=rec.name)
        return path
    cached = cache_root() / rel
    if cached.is_file():
        _check(cached, expected, label=label, url=url, owned=True, rec_name=rec.name)
        return cached
    if not rec.download:
        raise DataUnavailableError(
            f"{label}: this file is not downloadable (it is not byte-verified against upstream) "
            f"and is in neither the mirror ({mirror or 'REVIEWLIB_DATA_MIRROR unset'}) nor the "
            f"cache ({cache_root()}). Upstream: {url}. Fix: set REVIEWLIB_DATA_MIRROR to a "
            f"mirror that holds it.{_mirror_hint()}"
        )
    _download(url, cached, expected, label=label, progress=progress)
    _check(cached, expected, label=label, url=url, owned=True, rec_name=rec.name)
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
    mirror = mirror_root()
    try:
        target.mkdir(parents=True, exist_ok=True)
        for fname, _size, _digest in rec.files:
            dest = target / fname
            if not dest.is_file():
                assert mirror is not None
                shutil.copyfile(mirror / rec.local_path / fname, dest)
    except OSError as exc:
        raise DataUnavailableError(
            f"dataset {rec.name!r}: its files are split between the mirror and the cache, and copying "
            f"them into {target} failed ({type(exc).__name__}: {exc.strerror or exc}). Fix: set "
            "REVIEWLIB_DATA_CACHE to a writable folder, or complete the mirror."
        ) from None
    for fname, _size, digest in rec.files:
        dest = target / fname
        _check(
            dest,
            digest,
            label=f"dataset {rec.name!r} ({fname})",
            url=rec.url(fname),
            owned=True,
            rec_name=rec.name,
        )
    return target


def load(name: str, **kwargs):
    """The data frame of record ``name``, from the loader its schema names (``kwargs`` override)."""
    import importlib

    rec = get_record(name)
    if rec.loader is None:
        raise ValueError(f"dataset {name!r} has no loader (it is read together with another record)")
    data = importlib.import_module("reviewlib.data")
    return getattr(data, rec.loader["function"])(**{**rec.loader["kwargs"], **kwargs})


def check_schema(name: str, frame) -> list[str]:
    """Differences between ``frame`` and the schema of record ``name`` (empty when it matches).

    Compares the row count, the column names in order and each column's pandas dtype.
    """
    rec = get_record(name)
    problems = []
    if rec.rows is not None and len(frame) != rec.rows:
        problems.append(f"{len(frame)} rows, the registry says {rec.rows}")
    expected: list[tuple[str | None, str]] = []
    for col in rec.columns:
        expected += [(None if col["name"] == "*" else col["name"], col["dtype"])] * int(col.get("count", 1))
    actual = [(str(c), str(t)) for c, t in zip(frame.columns, frame.dtypes, strict=True)]
    if len(actual) != len(expected):
        problems.append(f"{len(actual)} columns, the registry lists {len(expected)}")
    for (name_a, dtype_a), (name_e, dtype_e) in zip(actual, expected, strict=False):
        if name_e is not None and name_a != name_e:
            problems.append(f"column {name_a!r} where the registry has {name_e!r}")
            break
        if dtype_a != dtype_e:
            problems.append(f"column {name_a!r} has dtype {dtype_a}, the registry says {dtype_e}")
    return problems


def manifest_files(name: str) -> list[str]:
    """File names of folder dataset ``name`` as its manifest lists them (sorted).

    Loaders read exactly these files: anything else in the folder is ignored (and reported by
    :func:`check`).
    """
    rec = get_record(name)
    if rec.kind != "folder":
        raise ValueError(f"dataset {name!r} is a single file, not a folder with a manifest")
    return sorted(fname for fname, _size, _digest in rec.files)


STATUSES = ("ok", "missing", "mismatch", "unreadable", "unregistered")


@dataclass(frozen=True)
class Check:
    """Outcome of :func:`check` for one dataset: ``status`` is one of :data:`STATUSES`."""

    name: str
    status: str
    source: str  # "mirror", "cache", "mirror+cache" or "" (nowhere)
    detail: str = ""
    problems: tuple[str, ...] = ()  # per-file lines for folder datasets

    @property
    def ok(self) -> bool:
        """True when every registered file is present, readable and matches its sha256."""
        return self.status == "ok"


def _locate(rel: str) -> tuple[Path | None, str]:
    mirror = mirror_root()
    if mirror is not None and (mirror / rel).is_file():
        return mirror / rel, "mirror"
    cached = cache_root() / rel
    if cached.is_file():
        return cached, "cache"
    return None, ""


def _check_file(rec: Record, rel: str, expected: str, url: str) -> tuple[str, str, str]:
    """(status, source, detail) of one registered file; reads only, never deletes or downloads."""
    label = f"dataset {rec.name!r} ({rel})"
    path, source = _locate(rel)
    if path is None:
        mirror = mirror_root()
        where = f"neither the mirror ({mirror}) nor" if mirror is not None else "not in"
        return "missing", "", f"{rel}: in {where} the cache ({cache_root()})"
    try:
        actual = _hash(path, label=label)
    except DataUnreadableError as exc:
        return "unreadable", source, str(exc)
    if actual != expected:
        text = _mismatch_text(
            rec.name,
            path,
            expected,
            actual,
            label=label,
            url=url,
            mirror=source == "mirror",
            deleted="left in place by verify; `reviewlib data fetch` deletes and replaces it",
        )
        return "mismatch", source, text
    return "ok", source, str(path)


def _unregistered(rec: Record) -> list[str]:
    """Files in the dataset's mirror and cache folders that its manifest does not list."""
    known = {fname for fname, _size, _digest in rec.files}
    extra: set[str] = set()
    for root in (mirror_root(), cache_root()):
        folder = root / rec.local_path if root is not None else None
        if folder is not None and folder.is_dir():
            extra |= {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - known
    return sorted(extra)


def check(name: str) -> Check:
    """Verify dataset ``name`` without downloading, deleting or raising for a bad file.

    Reports ``ok``, ``missing`` (a file is in neither the mirror nor the cache), ``mismatch``
    (a sha256 differs), ``unreadable`` (a file cannot be read) or ``unregistered`` (a folder
    dataset holds files its manifest does not list); the worst status wins, in the order
    mismatch, unreadable, missing, unregistered. ``KeyError`` for an unknown name.
    """
    rec = get_record(name)
    if rec.kind != "folder":
        status, source, detail = _check_file(rec, rec.local_path, rec.sha256, rec.url())
        return Check(
            name, status, source, detail if status != "ok" else "", (detail,) if status != "ok" else ()
        )
    results = [_check_file(rec, f"{rec.local_path}/{f}", d, rec.url(f)) for f, _size, d in rec.files]
    sources = sorted({src for _st, src, _d in results if src})
    source = "+".join(sources) if sources != ["cache", "mirror"] else "mirror+cache"
    problems = [f"{st}: {d}" for st, _src, d in results if st != "ok"]
    extra = _unregistered(rec)
    problems += [
        f"unregistered: {rec.local_path}/{f} is not in the manifest (loaders ignore it)" for f in extra
    ]
    for status in ("mismatch", "unreadable", "missing"):
        n = sum(st == status for st, _src, _d in results)
        if n:
            return Check(name, status, source, f"{n} of {len(results)} files {status}", tuple(problems))
    if extra:
        more = " ..." if len(extra) > 5 else ""
        detail = f"{len(extra)} file(s) not in the manifest: {', '.join(extra[:5])}{more}"
        return Check(name, "unregistered", source, detail, tuple(problems))
    return Check(name, "ok", source)


def verify(name: str) -> str:
    """Verify ``name`` (no download); return where it is (``mirror``, ``cache`` or ``mirror+cache``).

    Raises the :class:`DataError` matching :func:`check`'s status: :class:`DataUnavailableError`
    (missing), :class:`DataHashError`, :class:`DataUnreadableError` or :class:`DataUnregisteredError`.
    """
    result = check(name)
    errors = {
        "missing": DataUnavailableError,
        "mismatch": DataHashError,
        "unreadable": DataUnreadableError,
        "unregistered": DataUnregisteredError,
    }
    if not result.ok:
        lines = "\n".join(result.problems[:5])
        raise errors[result.status](f"dataset {name!r}: {result.detail}\n{lines}{_mirror_hint()}")
    return result.source
