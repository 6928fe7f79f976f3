"""Execute the notebooks with papermill.

Each notebook runs in a fresh ``python3`` kernel with ``mode`` injected into its ``parameters``
cell. The runner sets ``REVIEWLIB_NOTEBOOK``, ``REVIEWLIB_MODE`` and ``REVIEWLIB_RECORDS_DIR`` so
that :func:`reviewlib.book.claims.record` files each computed value under the notebook that made it,
measures wall time and peak memory (resident set size of the kernel process tree, sampled every
0.2 s), and writes one status entry per notebook to ``status.json``.

Default folders come from :mod:`reviewlib.settings`: sources in ``notebooks_dir()``; a local run
writes only below ``runs_dir()`` (checkout: ``runs/``, git-ignored): the executed copy in
``executed_dir()`` (``runs/notebooks``), claim records in ``records_dir()`` (``runs/records``),
``status.json`` in ``runs_dir()``. A new run of a notebook replaces that notebook's previous output
there; nothing else writes there (the book is staged elsewhere, from the published runs). Runs kept
for the website are written by :mod:`reviewlib.book.publish` (``reviewlib run --mode full --publish``).
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

from reviewlib import settings
from reviewlib._io import atomic_write
from reviewlib.book import claims, results

MODES = ("fast", "full")


@dataclass
class RunResult:
    """Outcome of one notebook execution."""

    notebook: str
    status: str  # "ok" or "failed"
    mode: str
    seconds: float
    peak_memory_mb: float
    error: str
    finished: str  # UTC timestamp
    python: str
    started: str = ""  # UTC timestamp
    #: user + system CPU seconds of the kernel and its child processes (None: not measured)
    cpu_seconds: float | None = None
    #: 1, 5 and 15 min load average of the machine when the run started and when it ended
    load_start: list[float] | None = None
    load_end: list[float] | None = None
    #: the machine that ran it (cores, memory, Python; set by reviewlib.book.publish.execute)
    machine: dict | None = None
    #: the feature cache's use during the run (hits, misses, saved_s, computed_s, by_kind;
    #: reviewlib.features.cache.stats of the kernel), None when the notebook never used it
    cache: dict | None = None


class PeakRSS:
    """Poll the resident memory of this process tree; keep the peak of the sum (bytes).

    ``children_only`` leaves this process out (the runner measures the kernel and its workers);
    ``cpu`` maps each pid seen to its user + system CPU seconds at the last poll (benchmarks
    report them: CPU time is not inflated by other processes' load the way wall time is).
    """

    def __init__(self, interval: float = 0.2, *, children_only: bool = False) -> None:
        self.interval = interval
        self.children_only = children_only
        self.peak = 0
        self.cpu: dict[int, float] = {}
        self._proc = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _total(self) -> int:
        procs = self._proc.children(recursive=True)
        if not self.children_only:
            procs = [self._proc, *procs]
        total = 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
                t = proc.cpu_times()
                self.cpu[proc.pid] = t.user + t.system
            except psutil.Error:
                pass
        return total

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self.peak = self._total()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())


def load_average() -> list[float] | None:
    """The machine's 1, 5 and 15 min load average (``os.getloadavg``; None where there is none)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _children_cpu() -> float:
    """User + system CPU seconds of this process's terminated, waited-for children (and theirs)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def discover(names: Sequence[str] = (), *, folder: Path | None = None) -> list[Path]:
    """Notebooks to run: all ``folder/*.ipynb`` in order, or the ones named (path or stem)."""
    folder = Path(folder) if folder is not None else settings.notebooks_dir()
    if not names:
        found = sorted(folder.glob("[0-9]*.ipynb"))
        if not found:
            raise FileNotFoundError(f"no notebooks found in {folder}")
        return found
    out = []
    for name in names:
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".ipynb")
        if not path.is_file():
            path = folder / path.name
        if not path.is_file():
            raise FileNotFoundError(f"notebook {name!r} not found (looked in {folder})")
        out.append(path.resolve())
    return out


def clear_records(records_dir: Path, notebook: str) -> None:
    """Remove the claims and results a previous run of ``notebook`` recorded, so none go stale."""
    if not records_dir.is_dir():
        return
    results.clear(records_dir, notebook)
    for path in records_dir.glob("*.json"):
        try:
            if json.loads(path.read_text()).get("notebook") == notebook:
                path.unlink()
        except (OSError, json.JSONDecodeError):
            continue


def _fold_injected_parameters(path: Path) -> None:
    """Tag papermill's injected-parameters cell ``hide-input``: the book shows it folded, so a
    reader can still see which parameters a run used.
    """
    import nbformat

    if not path.is_file():
        return
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags and "hide-input" not in tags:
            cell.metadata["tags"] = [*tags, "hide-input"]
            changed = True
    if changed:
        nbformat.write(nb, path)


def describe_error(exc: BaseException, *, notebook: Path | None = None, name: str = "") -> str:
    """One line naming the notebook, the failing cell (number in the notebook, execution count,
    first source line) and the exception; ``notebook`` is the partially executed copy.
    """
    from papermill.exceptions import PapermillExecutionError

    prefix = f"{name}: " if name else ""
    if isinstance(exc, PapermillExecutionError):
        where = f"cell {exc.cell_index + 1}"
        first = next((line.strip() for line in str(exc.source).splitlines() if line.strip()), "")
        cell_id = _cell_id(notebook, exc.cell_index)
        if cell_id:
            where += f" (id {cell_id})"
        if exc.exec_count is not None:
            where += f", In [{exc.exec_count}]"
        if first:
            where += f", starting {first[:80]!r}"
        evalue = str(exc.evalue).strip().splitlines()
        return f"{prefix}failed in {where}: {exc.ename}: {evalue[-1] if evalue else ''}".strip()
    text = str(exc).strip()
    return f"{prefix}{type(exc).__name__}: {text.splitlines()[-1] if text else ''}"


def _cell_id(notebook: Path | None, index: int) -> str:
    if notebook is None or not Path(notebook).is_file():
        return ""
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
        return str(cells[index].get("id", ""))
    except (OSError, ValueError, KeyError, IndexError):
        return ""


def run_notebook(
    source: Path,
    *,
    mode: str = "fast",
    out_dir: Path | None = None,
    records_dir: Path | None = None,
    parameters: dict | None = None,
    kernel: str = "python3",
    progress: bool = True,
) -> RunResult:
    """Execute one notebook with papermill; never raises on a notebook error (see ``status``)."""
    import papermill as pm

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    source = Path(source).resolve()
    out_dir = output_dir(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records_dir = Path(records_dir) if records_dir is not None else claims.records_dir()
    name = source.stem
    clear_records(records_dir, name)
    # the kernel writes its feature-cache statistics here (reviewlib.features.cache.STATS_ENV)
    cache_stats = Path(tempfile.mkstemp(prefix=f"{name}-cache-", suffix=".json")[1])
    cache_stats.unlink()
    env_keys = {
        "REVIEWLIB_CACHE_STATS": str(cache_stats),
        "REVIEWLIB_NOTEBOOK": name,
        "REVIEWLIB_MODE": mode,
        "REVIEWLIB_RECORDS_DIR": str(records_dir.resolve()),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    saved = {k: os.environ.get(k) for k in env_keys}
    os.environ.update(env_keys)
    error = ""
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    load_start = load_average()
    cpu_before = _children_cpu()
    start = time.perf_counter()
    try:
        with PeakRSS(children_only=True) as mem:
            pm.execute_notebook(
                str(source),
                str(out_dir / source.name),
                parameters={"mode": mode, **(parameters or {})},
                kernel_name=kernel,
                cwd=str(source.parent),
                progress_bar=progress,
                report_mode=False,
            )
    except Exception as exc:  # papermill wraps cell errors; name the notebook and the failing cell
        error = describe_error(exc, notebook=out_dir / source.name, name=source.name)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    seconds = time.perf_counter() - start
    finished = time.gmtime()
    load_end = load_average()
    # the kernel (and every process it waited for) is counted exactly once papermill has shut it
    # down; workers that outlive it (e.g. joblib's loky pool) only in the 0.2 s polls of PeakRSS
    cpu_seconds = max(_children_cpu() - cpu_before, sum(mem.cpu.values()))
    _fold_injected_parameters(out_dir / source.name)
    cache = None
    if cache_stats.is_file():
        try:
            cache = json.loads(cache_stats.read_text())
        except ValueError:
            cache = None
        cache_stats.unlink()
    return RunResult(
        notebook=name,
        status="failed" if error else "ok",
        mode=mode,
        seconds=round(seconds, 2),
        peak_memory_mb=round(mem.peak / 2**20, 1),
        error=error[:500],
        finished=time.strftime("%Y-%m-%dT%H:%M:%SZ", finished),
        python=platform.python_version(),
        started=started,
        cpu_seconds=round(cpu_seconds, 2),
        load_start=load_start,
        load_end=load_end,
        cache=cache,
    )


def write_status(results: Iterable[RunResult], *, path: Path | None = None) -> Path:
    """Merge ``results`` into ``status.json`` (one entry per notebook, latest run wins)."""
    path = Path(path) if path is not None else settings.runs_dir() / "status.json"
    entries: dict[str, dict] = {}
    if path.is_file():
        entries = {e["notebook"]: e for e in json.loads(path.read_text())}
    for res in results:
        entries[res.notebook] = asdict(res)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(sorted(entries.values(), key=lambda e: e["notebook"]), indent=1))
    return path


def load_status(path: Path | None = None) -> list[dict]:
    """The entries of ``status.json`` (empty when nothing has run)."""
    path = Path(path) if path is not None else settings.runs_dir() / "status.json"
    return json.loads(path.read_text()) if path.is_file() else []


def output_dir(out_dir: Path | None) -> Path:
    """Where :func:`run_notebook` writes executed notebooks for ``out_dir`` (None: the default)."""
    return Path(out_dir) if out_dir is not None else settings.executed_dir()


def run_all(
    names: Sequence[str] = (),
    *,
    mode: str = "fast",
    folder: Path | None = None,
    out_dir: Path | None = None,
    records_dir: Path | None = None,
    status_path: Path | None = None,
    parameters: dict | None = None,
) -> list[RunResult]:
    """Run notebooks in order, printing one line per notebook, and record their status."""
    notebooks = discover(names, folder=folder)
    results = []
    for i, nb in enumerate(notebooks, 1):
        print(f"[{i}/{len(notebooks)}] {nb.name} (mode={mode}) ...", flush=True)
        res = run_notebook(nb, mode=mode, out_dir=out_dir, records_dir=records_dir, parameters=parameters)
        line = (
            f"    {res.status} in {res.seconds:.1f} s (CPU {res.cpu_seconds or 0:.1f} s), "
            f"peak memory {res.peak_memory_mb:.0f} MB; output in {output_dir(out_dir) / nb.name}"
        )
        print(line + (f"\n    {res.error}" if res.error else ""), flush=True)
        results.append(res)
        write_status([res], path=status_path)
    return results
