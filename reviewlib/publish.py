"""Published runs: full-mode executions kept in the repository, which the website is built from.

``reviewlib run NB --mode full --publish`` executes a notebook with papermill into a staging
folder and, only when every cell succeeded, replaces the notebook's published run in
:func:`reviewlib.settings.published_dir` (checkout: ``book/published/``) with::

    <stem>/<stem>.ipynb        the executed notebook with its outputs (lean: widgets dropped,
                               progress bars reduced to their last state)
    <stem>/records/*.json      the claim records the run wrote (reviewlib.claims.record)
    <stem>/provenance.json     sha256 of the notebook source, git commit, mode, parameters,
                               start time, wall time, peak memory, machine, sha256 of each file

A failed run publishes nothing and leaves the previous published run in place. A published run is
*stale* when the notebook source no longer has the sha256 it was executed from, and *tampered*
when a published file no longer has the sha256 the provenance lists (edited by hand);
:func:`check` reports both, and the book build refuses them (:func:`stage_for_book`).
"""

from __future__ import annotations

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

from reviewlib import results, runner, settings

PROVENANCE = "provenance.json"
RECORDS = "records"
#: prefixes of the folders a publish in progress writes beside the published runs
STAGING_PREFIX = ".staging-"
OLD_PREFIX = ".old-"
SCHEMA = 1
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
    return proc.stdout.strip() if proc.returncode == 0 else ""


def git_state() -> dict:
    """Commit of the checkout and its uncommitted changes under ``reviewlib/`` and ``notebooks/``."""
    commit = _git("rev-parse", "HEAD")
    dirty = _git("status", "--porcelain", "--", "reviewlib", "notebooks").splitlines()
    return {"commit": commit, "uncommitted": sorted(line[3:] for line in dirty if line.strip())}


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

    Nothing is published when a cell fails or the source changes during the run; the previous
    published run stays and ``RunResult.error`` names the notebook and the failing cell.
    """
    source = Path(source).resolve()
    stem = source.stem
    root = Path(published_dir) if published_dir is not None else settings.published_dir()
    root.mkdir(parents=True, exist_ok=True)
    source_sha = sha256_file(source)
    git = git_state()
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{stem}-", dir=root))
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
        (staging / RECORDS).mkdir(exist_ok=True)
        slim_notebook(staging / source.name)
        files = {
            str(p.relative_to(staging)): sha256_file(p)
            for p in sorted(staging.rglob("*"))
            if p.is_file() and p.name != PROVENANCE
        }
        provenance = {
            "schema": SCHEMA,
            "notebook": stem,
            "source": f"notebooks/{source.name}",
            "source_sha256": source_sha,
            "git_commit": git["commit"],
            "git_uncommitted": git["uncommitted"],
            "mode": mode,
            "parameters": {"mode": mode, **(parameters or {})},
            "started": res.started,
            "finished": res.finished,
            "wall_time_s": res.seconds,
            "peak_memory_mb": res.peak_memory_mb,
            "machine": machine(),
            "packages": _package_versions(),
            "command": refresh_command(stem) if mode == "full" and not parameters else " ".join(sys.argv),
            "files": files,
            "size_bytes": sum((staging / rel).stat().st_size for rel in files),
        }
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


def in_progress(path: Path, *, published_dir: Path) -> bool:
    """Whether ``path`` (below ``published_dir``) lies in a publish in progress: its staging folder
    or the previous run it is replacing, which readers of the published runs must skip.
    """
    parts = Path(path).relative_to(published_dir).parts
    return any(part.startswith((STAGING_PREFIX, OLD_PREFIX)) for part in parts)


def load_provenance(stem: str, *, published_dir: Path | None = None) -> dict | None:
    """The provenance of notebook ``stem``'s published run, or None when it has none."""
    path = run_dir(stem, published_dir=published_dir) / PROVENANCE
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise PublishError(f"{path}: unreadable provenance ({exc}); run `{refresh_command(stem)}`") from exc


def check(source: Path, *, published_dir: Path | None = None, require_full: bool = False) -> Problem | None:
    """Whether the published run of notebook ``source`` can be used: None, or the problem
    (``require_full``: a fast-mode run is a problem too).
    """
    source = Path(source)
    stem = source.stem
    fix = f"run `{refresh_command(stem)}`"
    folder = run_dir(stem, published_dir=published_dir)
    try:
        prov = load_provenance(stem, published_dir=published_dir)
    except PublishError as exc:
        return Problem(stem, "tampered", str(exc))
    if prov is None:
        return Problem(stem, "missing", f"{stem}: no published run in {folder}; {fix}")
    if prov.get("source_sha256") != sha256_file(source):
        return Problem(
            stem,
            "stale",
            f"{stem}: the published run is stale (notebooks/{source.name} changed since it was "
            f"executed at commit {str(prov.get('git_commit', ''))[:10]}); {fix}",
        )
    for rel, digest in prov.get("files", {}).items():
        path = folder / rel
        if not path.is_file() or sha256_file(path) != digest:
            return Problem(
                stem,
                "tampered",
                f"{stem}: published file {path} was edited or removed by hand (published runs are "
                f"written only by the command); {fix}",
            )
    if require_full and prov.get("mode") != "full":
        return Problem(stem, "fast", f"{stem}: the published run is a {prov.get('mode')}-mode run; {fix}")
    listed = set(prov.get("files", {})) | {PROVENANCE}
    extra = [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()]
    extra = sorted(set(extra) - listed)
    if extra:
        return Problem(
            stem, "tampered", f"{stem}: files not written by the command in {folder}: {extra}; {fix}"
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


def stage_for_book(
    names: Sequence[str] = (),
    *,
    folder: Path | None = None,
    published_dir: Path | None = None,
    executed_dir: Path | None = None,
    records_dir: Path | None = None,
    require_full: bool = True,
) -> list[dict]:
    """Copy the published notebooks and records where the book reads them (``executed_dir()``,
    ``records_dir()``), after checking them all (``require_full``: fast-mode runs are refused);
    raises :class:`PublishError` listing every
    missing, stale or hand-edited run with the command that refreshes it. Returns the provenances.
    """
    sources = runner.discover(names, folder=folder)
    problems = check_all(names, folder=folder, published_dir=published_dir, require_full=require_full)
    if problems:
        lines = "\n".join(f"  - {p.message}" for p in problems)
        raise PublishError(
            f"the book is built from published full-mode runs, and {len(problems)} cannot be used:\n"
            f"{lines}\n(`make full` refreshes every published run)"
        )
    executed_dir = Path(executed_dir) if executed_dir is not None else settings.executed_dir()
    records_dir = Path(records_dir) if records_dir is not None else settings.records_dir()
    executed_dir.mkdir(parents=True, exist_ok=True)
    if records_dir.is_dir():
        shutil.rmtree(records_dir)
    records_dir.mkdir(parents=True)
    provenances = []
    for src in sources:
        folder_ = run_dir(src.stem, published_dir=published_dir)
        _stage_notebook(folder_ / src.name, executed_dir / src.name)
        stage_records(folder_, records_dir)
        provenances.append(load_provenance(src.stem, published_dir=published_dir))
    return provenances


def stage_records(run: Path, records_dir: Path) -> None:
    """Copy a published run's claim records and result rows (``records/``) into ``records_dir``."""
    for rec in sorted((run / RECORDS).glob("*.json")):
        shutil.copyfile(rec, records_dir / rec.name)
    for res in sorted((run / RECORDS / results.RESULTS).glob("*.jsonl")):
        (records_dir / results.RESULTS).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(res, records_dir / results.RESULTS / res.name)


def _stage_notebook(published: Path, staged: Path) -> None:
    """Copy a published notebook where the book reads it. A cell whose myst-nb figure metadata
    would wrap several outputs (a figure plus a recorded claim's display) keeps its caption but
    loses the figure ``name``: myst-nb would give every output the same target, which Sphinx
    rejects as a duplicate. The published file itself is never changed.
    """
    nb = json.loads(published.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
        displays = [
            o for o in cell.get("outputs", []) if o.get("output_type") in ("display_data", "execute_result")
        ]
        if isinstance(figure, dict) and "name" in figure and len(displays) > 1:
            figure.pop("name")
    staged.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def changed_since(commit: str, *, path: str = "reviewlib") -> int | None:
    """How many files under ``path`` differ between ``commit`` and the working tree (None when the
    commit is not in this clone).
    """
    if not commit or not _git("rev-parse", "--verify", "-q", f"{commit}^{{commit}}"):
        return None
    out = _git("diff", "--name-only", commit, "--", path)
    return len([line for line in out.splitlines() if line.strip()])
