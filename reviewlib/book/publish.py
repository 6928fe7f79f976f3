"""Published runs: full-mode executions kept in the repository, which the website is built from.

``reviewlib run NB --mode full --publish`` executes a notebook with papermill into a staging
folder and, only when every cell succeeded, replaces the notebook's published run in
:func:`reviewlib.settings.published_dir` (checkout: ``book/published/``) with::

    <stem>/<stem>.ipynb        the executed notebook with its outputs (lean: widgets dropped,
                               progress bars reduced to their last state)
    <stem>/records/*.json      the claim records the run wrote (reviewlib.book.claims.record)
    <stem>/provenance.json     sha256 of the notebook source, git commit, mode, parameters,
                               start time, wall time, CPU time, load average at the start and
                               the end, peak memory, machine, sha256 of each file

The mode in the provenance is the mode the notebook itself ran with, read from the executed
notebook (:func:`executed_mode`), and ``--publish`` refuses a parameter that would change it
(``-p mode=...``): the mode is set with ``--mode`` only.

A failed run publishes nothing and leaves the previous published run in place. A published run is
*stale* when the notebook source no longer has the sha256 it was executed from, *tampered* when a
published file no longer has the sha256 the provenance lists (edited by hand), *invalid* when its
provenance or a record has the wrong shape (:mod:`reviewlib.book.schemas`), and *fast* when its
notebook did not execute in full mode; :func:`check` reports each, and the book build refuses
them (:func:`stage_for_book`). The book build stages the published runs into folders of its own
(:func:`reviewlib.settings.staged_notebooks_dir`, :func:`reviewlib.settings.generated_dir`) and
never overwrites or removes a file it did not write there itself.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

from reviewlib import settings
from reviewlib.book import results, runner, schemas
from reviewlib.settings import OLD_PREFIX, STAGING_PREFIX, in_progress  # noqa: F401 (re-exported)

PROVENANCE = "provenance.json"
RECORDS = "records"
SCHEMA = 1
#: file in each staging folder listing what ``reviewlib pages`` wrote there (name -> sha256)
STAGED_MANIFEST = ".staged-by-reviewlib-pages"  # JSON, without a .json suffix: not a record
#: Text outputs larger than this are cut (with a visible note) in published notebooks (bytes).
MAX_TEXT_OUTPUT = 200_000
#: PNG outputs whose base64 text is longer than this are stored with a 256-colour palette.
PNG_QUANTIZE_ABOVE = 100_000
_WIDGET_MIMES = ("application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json")


class PublishError(RuntimeError):
    """A notebook could not be published, or a published run cannot be used."""


@dataclass(frozen=True)
class Problem:
    """Why the published run of one notebook cannot be used (``kind``: missing/stale/tampered)."""

    notebook: str
    kind: str
    message: str


def refresh_command(stem: str) -> str:
    """The command that (re)publishes notebook ``stem``."""
    return f"reviewlib run {stem} --mode full --publish"


def sets_mode(key: str) -> bool:
    """Whether a parameter named ``key`` would set the notebook's mode (``mode``, ``MODE``,
    `` mode ``, ``"mode"``, ...): the mode is chosen with ``--mode`` only.
    """
    return str(key).strip().strip("\"'").strip().casefold() == "mode"


def _assigned_mode(source: str, where: str) -> object:
    """The value a parameters cell assigns to ``mode`` (the last assignment), or ``_UNSET``."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise PublishError(f"{where}: cannot parse the parameters cell ({exc.msg})") from exc
    value: object = _UNSET
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names = [n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)]
        if "mode" not in names:
            continue
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or names != ["mode"] or node.value is None:
            raise PublishError(f"{where}: the parameters cell sets mode in a way that cannot be read")
        try:
            value = ast.literal_eval(node.value)
        except ValueError as exc:
            raise PublishError(f"{where}: the parameters cell sets mode to an expression") from exc
    return value


_UNSET = object()


def executed_mode(path: Path) -> str:
    """The mode an executed notebook ran with, read from the notebook itself.

    papermill runs the notebook's ``parameters`` cell and then the cell it injected
    (``injected-parameters``) with the parameters of the run: the value ``mode`` has after these
    two cells is the mode every later cell saw (``chapter.start(..., mode=mode)``,
    ``claims.record(..., mode=mode)``). When papermill's metadata (``metadata.papermill.parameters``)
    or the ``mode`` the chapter glued (``Chapter.finish``) say something else, or the notebook has
    no injected-parameters cell (not executed by papermill), this raises :class:`PublishError`.
    """
    path = Path(path)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PublishError(f"{path}: not a readable notebook ({exc})") from exc
    mode: object = _UNSET
    injected = False
    for i, cell in enumerate(cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if "parameters" not in tags and "injected-parameters" not in tags:
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        value = _assigned_mode(source, f"{path} (code cell {i + 1})")
        if value is not _UNSET:
            mode = value
        injected = injected or "injected-parameters" in tags
    if not injected:
        raise PublishError(f"{path}: no injected-parameters cell: not a notebook executed by papermill")
    if mode not in runner.MODES:
        raise PublishError(f"{path}: the notebook ran with mode {mode!r}, not one of {runner.MODES}")
    meta = nb.get("metadata", {}).get("papermill", {}).get("parameters", {})
    if isinstance(meta, dict) and "mode" in meta and meta["mode"] != mode:
        raise PublishError(
            f"{path}: papermill's metadata says mode {meta['mode']!r}, the notebook ran {mode!r}"
        )
    for glued in _glued(cells, "mode"):
        if glued != mode:
            raise PublishError(f"{path}: the chapter glued mode {glued!r}, the parameters say {mode!r}")
    return str(mode)


def _glued(cells: list[dict], name: str) -> list[object]:
    """The values glued under ``name`` (myst-nb/scrapbook outputs) in executed ``cells``."""
    out = []
    for cell in cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook", {})
            if not isinstance(meta, dict) or meta.get("name") != name:
                continue
            text = output.get("data", {}).get(f"{meta.get('mime_prefix', '')}text/plain")
            try:
                out.append(ast.literal_eval("".join(text) if isinstance(text, list) else str(text)))
            except (ValueError, SyntaxError):
                out.append(text)
    return out


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_dir(stem: str, *, published_dir: Path | None = None) -> Path:
    """Folder of the published run of notebook ``stem``."""
    root = Path(published_dir) if published_dir is not None else settings.published_dir()
    return root / stem


def _git(*args: str) -> str:
    root = settings.checkout_root()
    if root is None:
        return ""
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    # trailing whitespace only: a leading space is part of a porcelain status (" M path")
    return proc.stdout.rstrip() if proc.returncode == 0 else ""


def git_state() -> dict:
    """Commit of the checkout and its uncommitted changes under ``reviewlib/`` and ``notebooks/``."""
    commit = _git("rev-parse", "HEAD")
    # -z: NUL-separated "XY path" entries (the last one is empty)
    dirty = _git("status", "--porcelain", "-z", "--", "reviewlib", "notebooks").split("\0")
    return {"commit": commit, "uncommitted": sorted(e[3:] for e in dirty if len(e) > 3)}


def machine() -> dict:
    """Cores, memory (GB) and software of the machine a run executed on."""
    return {
        "cpu_count": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gb": round(psutil.virtual_memory().total / 1e9, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.machine(),
    }


def _package_versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in (
        "reviewlib",
        "numpy",
        "scipy",
        "pandas",
        "scikit-learn",
        "xgboost-cpu",
        "pymatgen",
        "papermill",
    ):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def _collapse_progress(text: str) -> str:
    """Keep the last state of each carriage-return-updated line (tqdm bars)."""
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def _quantize_png(b64: str) -> str | None:
    """The PNG re-encoded with a 256-colour palette (same pixel size), when that saves at least
    40 %; None otherwise.
    """
    import base64
    import io

    from PIL import Image

    raw = base64.b64decode(b64)
    with Image.open(io.BytesIO(raw)) as im:
        rgba = im.convert("RGBA")
        out = io.BytesIO()
        rgba.quantize(256, method=Image.Quantize.FASTOCTREE).save(out, "PNG", optimize=True)
    small = out.getvalue()
    if len(small) > 0.6 * len(raw):
        return None
    return base64.b64encode(small).decode("ascii") + "\n"


def slim_notebook(path: Path) -> dict:
    """Make an executed notebook lean in place: drop widget outputs and widget state, reduce
    progress bars to their last state, cut text outputs over :data:`MAX_TEXT_OUTPUT` bytes with a
    visible note, store PNG figures over 100 kB with a 256-colour palette (same pixel size).
    Returns counts of what was changed.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    changed = {"widgets": 0, "progress": 0, "cut": 0, "png": 0}
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if any(m in data for m in _WIDGET_MIMES):
                for mime in _WIDGET_MIMES:
                    data.pop(mime, None)
                changed["widgets"] += 1
                if not data or set(data) == {"text/plain"}:
                    continue  # a progress widget's text repr says nothing
            png = data.get("image/png")
            if isinstance(png, str) and len(png) > PNG_QUANTIZE_ABOVE:
                smaller = _quantize_png(png)
                if smaller is not None:
                    data["image/png"] = smaller
                    changed["png"] += 1
            if out.get("output_type") == "stream" and "\r" in out.get("text", ""):
                out["text"] = _collapse_progress(out["text"])
                changed["progress"] += 1
            for key in ("text/plain", "text/html", "text/markdown"):
                text = data.get(key) if key in data else (out.get("text") if key == "text/plain" else None)
                if isinstance(text, str) and len(text.encode()) > MAX_TEXT_OUTPUT:
                    cut = (
                        text[:MAX_TEXT_OUTPUT]
                        + f"\n[output cut to {MAX_TEXT_OUTPUT // 1000} kB for publishing]\n"
                    )
                    if key in data:
                        data[key] = cut
                    else:
                        out["text"] = cut
                    changed["cut"] += 1
            outputs.append(out)
        cell.outputs = outputs
    nbformat.write(nb, path)
    return changed


@dataclass
class Executed:
    """A successful full execution, ready to publish: the run's outcome and its files as bytes
    (``<stem>.ipynb`` slimmed, ``records/...``, anything else the notebook wrote beside them).

    Made by :func:`execute` on whichever machine ran the notebook (a dask worker, too) and turned
    into a published run by :func:`install` on the machine that holds the repository.
    """

    result: runner.RunResult
    files: dict[str, bytes]
    source_sha256: str
    mode: str


def _refuse_mode_parameters(stem: str, parameters: dict | None) -> None:
    changes_mode = sorted(k for k in (parameters or {}) if sets_mode(k))
    if changes_mode:
        raise PublishError(
            f"{stem}: parameter {changes_mode[0]!r} would change the mode of a published run; "
            f"choose the mode with --mode (the website shows `{refresh_command(stem)}`)"
        )


def execute(
    source: Path,
    *,
    mode: str = "full",
    parameters: dict | None = None,
    kernel: str = "python3",
    progress: bool = True,
    workdir: Path | None = None,
) -> runner.RunResult | Executed:
    """Run ``source`` into a temporary folder and return what :func:`install` publishes.

    Returns the failed :class:`reviewlib.book.runner.RunResult` (``error`` says why) when a cell fails,
    the source changes during the run, or the executed notebook did not run in ``mode``; the
    temporary folder (below ``workdir``, default the system's) is removed either way.
    """
    source = Path(source).resolve()
    stem = source.stem
    _refuse_mode_parameters(stem, parameters)
    source_sha = sha256_file(source)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{stem}-", dir=workdir))
    try:
        res = runner.run_notebook(
            source,
            mode=mode,
            out_dir=staging,
            records_dir=staging / RECORDS,
            parameters=parameters,
            kernel=kernel,
            progress=progress,
        )
        if res.status != "ok":
            res.error = f"{res.error} -- nothing published; the previous published run of {stem} is kept"
            return res
        if sha256_file(source) != source_sha:
            res.status = "failed"
            res.error = f"{source.name} changed while it ran: nothing published; run it again"
            return res
        try:
            ran = executed_mode(staging / source.name)
        except PublishError as exc:
            ran = f"unknown ({exc})"
        if ran != mode:
            res.status = "failed"
            res.error = (
                f"{source.name} ran in mode {ran}, not {mode}: nothing published; the previous "
                f"published run of {stem} is kept"
            )
            return res
        (staging / RECORDS).mkdir(exist_ok=True)
        slim_notebook(staging / source.name)
        res.machine = machine()
        files = {
            str(p.relative_to(staging)): p.read_bytes()
            for p in sorted(staging.rglob("*"))
            if p.is_file() and p.name != PROVENANCE
        }
        return Executed(result=res, files=files, source_sha256=source_sha, mode=ran)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def install(
    source: Path,
    executed: Executed,
    *,
    parameters: dict | None = None,
    published_dir: Path | None = None,
    git: dict | None = None,
) -> runner.RunResult:
    """Publish ``executed`` as the run of ``source``: write its files and ``provenance.json`` into
    a staging folder beside the published runs and swap it in atomically.

    Refuses (a failed result, nothing published) when the source no longer has the sha256 it was
    executed from. ``git`` is the repository state when the run was started (default: now).
    """
    source = Path(source).resolve()
    stem = source.stem
    res = executed.result
    if sha256_file(source) != executed.source_sha256:
        res.status = "failed"
        res.error = f"{source.name} changed while it ran: nothing published; run it again"
        return res
    root = Path(published_dir) if published_dir is not None else settings.published_dir()
    root.mkdir(parents=True, exist_ok=True)
    git = git if git is not None else git_state()
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{stem}-", dir=root))
    try:
        for rel, data in executed.files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (staging / RECORDS).mkdir(exist_ok=True)
        files = {
            str(p.relative_to(staging)): sha256_file(p)
            for p in sorted(staging.rglob("*"))
            if p.is_file() and p.name != PROVENANCE
        }
        mode = executed.mode
        provenance = {
            "schema": SCHEMA,
            "notebook": stem,
            "source": f"notebooks/{source.name}",
            "source_sha256": executed.source_sha256,
            "git_commit": git["commit"],
            "git_uncommitted": git["uncommitted"],
            "mode": mode,
            "parameters": {"mode": mode, **(parameters or {})},
            "started": res.started,
            "finished": res.finished,
            "wall_time_s": res.seconds,
            "cpu_time_s": res.cpu_seconds,
            "load_average_start": res.load_start,
            "load_average_end": res.load_end,
            "peak_memory_mb": res.peak_memory_mb,
            "feature_cache": res.cache,
            "machine": res.machine or machine(),
            "packages": _package_versions(),
            "command": refresh_command(stem) if mode == "full" and not parameters else " ".join(sys.argv),
            "files": files,
            "size_bytes": sum((staging / rel).stat().st_size for rel in files),
        }
        # optional fields this machine could not measure are left out, not written as null
        provenance = {k: v for k, v in provenance.items() if v is not None}
        (staging / PROVENANCE).write_text(json.dumps(provenance, indent=1) + "\n")
        target = root / stem
        old = None
        if target.exists():
            old = root / f"{OLD_PREFIX}{stem}-{os.getpid()}-{time.time_ns()}"
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return res
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def publish(
    source: Path,
    *,
    mode: str = "full",
    parameters: dict | None = None,
    published_dir: Path | None = None,
    kernel: str = "python3",
    progress: bool = True,
) -> runner.RunResult:
    """Execute ``source`` and, when it succeeds, replace its published run (see module docstring).

    Nothing is published when a cell fails, the source changes during the run or the executed
    notebook did not run in ``mode``; the previous published run stays and ``RunResult.error``
    names the notebook and the reason. A parameter that would set the mode (``{"mode": ...}``, any
    spelling) raises :class:`PublishError` before anything runs: the mode is ``mode`` only.
    :func:`execute` then :func:`install`, on this machine (``reviewlib.book.cluster`` runs
    :func:`execute` on dask workers and :func:`install` here).
    """
    git = git_state()
    out = execute(source, mode=mode, parameters=parameters, kernel=kernel, progress=progress)
    if isinstance(out, runner.RunResult):
        return out
    return install(source, out, parameters=parameters, published_dir=published_dir, git=git)


def _invalid(path: Path, stem: str, lines: list[str]) -> str:
    more = f" (and {len(lines) - 3} more)" if len(lines) > 3 else ""
    return f"{path}: {'; '.join(lines[:3])}{more}; run `{refresh_command(stem)}`"


def load_provenance(stem: str, *, published_dir: Path | None = None) -> dict | None:
    """The provenance of notebook ``stem``'s published run, or None when it has none.

    Raises :class:`PublishError` naming the file, the field and the refresh command when it is not
    JSON or does not match ``reviewlib.book.schemas.PROVENANCE``.
    """
    path = run_dir(stem, published_dir=published_dir) / PROVENANCE
    if not path.is_file():
        return None
    try:
        prov = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublishError(f"{path}: unreadable provenance ({exc}); run `{refresh_command(stem)}`") from exc
    bad = schemas.problems(prov, schemas.PROVENANCE)
    if not bad and prov["notebook"] != stem:
        bad = [f"field 'notebook': {prov['notebook']!r} is not the run's notebook {stem!r}"]
    if bad:
        raise PublishError(_invalid(path, stem, bad))
    return prov


def _record_problems(folder: Path, stem: str, mode: str) -> str | None:
    """The first claim record or result row of a published run that does not match its schema or
    was not recorded by this run (another notebook, another mode), as a message; None when all do.
    """
    files = [(p, schemas.CLAIM_RECORD) for p in sorted((folder / RECORDS).glob("*.json"))]
    files += [(p, schemas.RESULT_ROW) for p in sorted((folder / RECORDS / results.RESULTS).glob("*.jsonl"))]
    for path, schema in files:
        try:
            text = path.read_text(encoding="utf-8")
            rows = (
                [(None, json.loads(text))]
                if schema is schemas.CLAIM_RECORD
                else [(i, json.loads(line)) for i, line in enumerate(text.splitlines(), 1) if line.strip()]
            )
        except (OSError, ValueError) as exc:
            return _invalid(path, stem, [f"unreadable ({exc})"])
        for line, row in rows:
            where = path if line is None else f"{path} line {line}"
            bad = schemas.problems(row, schema)
            if not bad and row["notebook"] != stem:
                bad = [f"field 'notebook': {row['notebook']!r} is not the run's notebook {stem!r}"]
            if not bad and row["mode"] != mode:
                bad = [f"field 'mode': {row['mode']!r}, but the notebook ran in {mode} mode"]
            if bad:
                return _invalid(Path(where), stem, bad)
    return None


def check(source: Path, *, published_dir: Path | None = None, require_full: bool = False) -> Problem | None:
    """Whether the published run of notebook ``source`` can be used: None, or the problem
    (``missing``, ``stale``, ``tampered``, ``invalid``: provenance or a record of the wrong shape;
    ``require_full``: ``fast``, a run whose notebook did not execute in full mode).
    """
    source = Path(source)
    stem = source.stem
    fix = f"run `{refresh_command(stem)}`"
    folder = run_dir(stem, published_dir=published_dir)
    try:
        prov = load_provenance(stem, published_dir=published_dir)
    except PublishError as exc:
        return Problem(stem, "invalid", f"{stem}: {exc}")
    if prov is None:
        return Problem(stem, "missing", f"{stem}: no published run in {folder}; {fix}")
    if prov["source_sha256"] != sha256_file(source):
        return Problem(
            stem,
            "stale",
            f"{stem}: the published run is stale (notebooks/{source.name} changed since it was "
            f"executed at commit {prov['git_commit'][:10]}); {fix}",
        )
    for rel, digest in prov["files"].items():
        path = folder / rel
        if not path.is_file() or sha256_file(path) != digest:
            return Problem(
                stem,
                "tampered",
                f"{stem}: published file {path} was edited or removed by hand (published runs are "
                f"written only by the command); {fix}",
            )
    listed = set(prov["files"]) | {PROVENANCE}
    extra = [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()]
    extra = sorted(set(extra) - listed)
    if extra:
        return Problem(
            stem, "tampered", f"{stem}: files not written by the command in {folder}: {extra}; {fix}"
        )
    try:
        ran = executed_mode(folder / source.name)
    except PublishError as exc:
        return Problem(stem, "invalid", f"{stem}: {exc}; {fix}")
    if ran != prov["mode"]:
        return Problem(
            stem,
            "invalid",
            f"{stem}: provenance.json says mode {prov['mode']!r} but the executed notebook ran in "
            f"{ran} mode; {fix}",
        )
    bad_record = _record_problems(folder, stem, ran)
    if bad_record:
        return Problem(stem, "invalid", f"{stem}: {bad_record}")
    if require_full and ran != "full":
        return Problem(
            stem,
            "fast",
            f"{stem}: the published run executed in {ran} mode (the website shows full runs); {fix}",
        )
    return None


def check_all(
    names: Sequence[str] = (),
    *,
    folder: Path | None = None,
    published_dir: Path | None = None,
    require_full: bool = True,
) -> list[Problem]:
    """Problems of the published runs of the notebooks named (default: all notebook sources)."""
    sources = runner.discover(names, folder=folder)
    return [p for s in sources if (p := check(s, published_dir=published_dir, require_full=require_full))]


class _StagingFolder:
    """A folder the book build owns (``book/notebooks``, ``book/_generated``): it replaces or
    removes a file there only when it wrote that file itself (listed in ``STAGED_MANIFEST``
    with the same sha256) or when the file already holds exactly the new content. Anything else
    (an executed notebook or records of a ``reviewlib run`` made before local runs moved to
    ``runs/``, a file edited by hand) stops the build before it changes anything.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.manifest_path = self.root / STAGED_MANIFEST
        try:
            listed = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            self.listed = {str(k): str(v) for k, v in listed.items()} if isinstance(listed, dict) else {}
        except (OSError, ValueError):
            self.listed = {}
        self.planned: dict[str, bytes] = {}
        self.removed: list[str] = []

    def write(self, rel: str, data: bytes) -> None:
        self.planned[rel] = data

    def clear(self, rel_dir: str) -> None:
        """Remove every file below ``rel_dir`` (except those written again)."""
        folder = self.root / rel_dir
        if folder.is_dir():
            self.removed += [
                p.relative_to(self.root).as_posix()
                for p in folder.rglob("*")
                if p.is_file() and p != self.manifest_path
            ]

    def _foreign(self, rel: str) -> bool:
        path = self.root / rel
        if not path.is_file():
            return path.exists()
        digest = sha256_file(path)
        if self.listed.get(rel) == digest:
            return False
        new = self.planned.get(rel)
        return new is None or hashlib.sha256(new).hexdigest() != digest

    def problems(self) -> list[str]:
        touched = sorted(set(self.planned) | set(self.removed))
        return [str(self.root / rel) for rel in touched if self._foreign(rel)]

    def commit(self) -> None:
        for rel in sorted(set(self.removed) - set(self.planned)):
            (self.root / rel).unlink(missing_ok=True)
            self.listed.pop(rel, None)
        for rel, data in self.planned.items():
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            self.listed[rel] = hashlib.sha256(data).hexdigest()
        self.root.mkdir(parents=True, exist_ok=True)
        self.manifest_path.write_text(json.dumps(dict(sorted(self.listed.items())), indent=1) + "\n")


def stage_for_book(
    names: Sequence[str] = (),
    *,
    folder: Path | None = None,
    published_dir: Path | None = None,
    staged_dir: Path | None = None,
    records_dir: Path | None = None,
    require_full: bool = True,
) -> list[dict]:
    """Copy the published notebooks and records where the book reads them
    (``staged_dir``, default :func:`reviewlib.settings.staged_notebooks_dir`; ``records_dir``,
    default ``generated_dir()/records``), after checking them all (``require_full``: runs whose
    notebook did not execute in full mode are refused); raises :class:`PublishError` listing every
    missing, stale, hand-edited or invalid run with the command that refreshes it, or naming the
    files in those folders that the book build did not write itself (it never overwrites or removes
    them: see ``_StagingFolder``). Returns the provenances.
    """
    sources = runner.discover(names, folder=folder)
    problems = check_all(names, folder=folder, published_dir=published_dir, require_full=require_full)
    if problems:
        lines = "\n".join(f"  - {p.message}" for p in problems)
        raise PublishError(
            f"the book is built from published full-mode runs, and {len(problems)} cannot be used:\n"
            f"{lines}\n(`make full` refreshes every published run)"
        )
    staged_dir = Path(staged_dir) if staged_dir is not None else settings.staged_notebooks_dir()
    records_dir = Path(records_dir) if records_dir is not None else settings.generated_dir() / "records"
    notebooks = _StagingFolder(staged_dir)
    records = _StagingFolder(records_dir)
    records.clear(".")
    provenances = []
    for src in sources:
        folder_ = run_dir(src.stem, published_dir=published_dir)
        notebooks.write(src.name, _staged_notebook(folder_ / src.name))
        for rel, data in _published_records(folder_).items():
            records.write(rel, data)
        provenances.append(load_provenance(src.stem, published_dir=published_dir))
    foreign = notebooks.problems() + records.problems()
    if foreign:
        listing = "\n".join(f"  - {path}" for path in foreign)
        raise PublishError(
            f"the book is staged into {staged_dir} and {records_dir}, which hold files that "
            f"`reviewlib pages` did not write (the output of a `reviewlib run` made before local runs "
            f"went to {settings.runs_dir()}, or a hand edit); nothing was changed. Move them (local "
            f"runs belong in {settings.executed_dir()} and {settings.records_dir()}) or delete them, "
            f"then run `reviewlib pages` again:\n{listing}"
        )
    notebooks.commit()
    records.commit()
    return provenances


def _published_records(run: Path) -> dict[str, bytes]:
    """A published run's claim records and result rows, by path relative to ``records/``."""
    out = {rec.name: rec.read_bytes() for rec in sorted((run / RECORDS).glob("*.json"))}
    for res in sorted((run / RECORDS / results.RESULTS).glob("*.jsonl")):
        out[f"{results.RESULTS}/{res.name}"] = res.read_bytes()
    return out


def stage_records(run: Path, records_dir: Path) -> None:
    """Copy a published run's claim records and result rows (``records/``) into ``records_dir``."""
    for rel, data in _published_records(run).items():
        (records_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (records_dir / rel).write_bytes(data)


def _staged_notebook(published: Path) -> bytes:
    """A published notebook as the book reads it. A cell whose myst-nb figure metadata would wrap
    several outputs (a figure plus a recorded claim's display) keeps its caption but loses the
    figure ``name``: myst-nb would give every output the same target, which Sphinx rejects as a
    duplicate. The published file itself is never changed.
    """
    nb = json.loads(published.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
        displays = [
            o for o in cell.get("outputs", []) if o.get("output_type") in ("display_data", "execute_result")
        ]
        if isinstance(figure, dict) and "name" in figure and len(displays) > 1:
            figure.pop("name")
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _stage_notebook(published: Path, staged: Path) -> None:
    """Write ``_staged_notebook`` of ``published`` to ``staged``."""
    staged.write_bytes(_staged_notebook(published))


def changed_since(commit: str, *, path: str = "reviewlib") -> int | None:
    """How many files under ``path`` differ between ``commit`` and the working tree (None when the
    commit is not in this clone).
    """
    if not commit or not _git("rev-parse", "--verify", "-q", f"{commit}^{{commit}}"):
        return None
    out = _git("diff", "--name-only", commit, "--", path)
    return len([line for line in out.splitlines() if line.strip()])
