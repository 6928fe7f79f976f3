"""Run chapters on a dask.distributed cluster: one chapter per task, published on this machine.

``reviewlib run [NB ...] --mode full --publish --scheduler ADDRESS`` sends each chapter to an
existing cluster (``tcp://host:8786``, or a scheduler file written by ``dask scheduler
--scheduler-file``); ``--scheduler local`` starts a :class:`distributed.LocalCluster` sized to
this machine. No scheduler of our own: dask places the tasks, and each task asks for the memory
its chapter needed last time, so a worker never takes two chapters that do not fit:

- every worker declares a ``MEMORY_MB`` resource (``dask worker --resources MEMORY_MB=64000``;
  the local cluster declares its share of this machine's memory);
- every chapter's task requests ``MEMORY_MB`` = its last published peak memory
  (``provenance.json``) x :data:`MEMORY_MARGIN` + :data:`MEMORY_OVERHEAD_MB`, or
  :data:`DEFAULT_MEMORY_MB` for a chapter never published; a request larger than every worker
  is capped at the largest worker (the run may then fail for memory, and says so).

A task runs :func:`reviewlib.book.publish.execute` on the worker (the executed notebook, its claim
records and its other files come back as bytes) and the client then publishes it with
:func:`reviewlib.book.publish.install`, atomically, on the machine that holds the repository; without
``--publish`` the client writes the files under ``runs/`` as a local run does. The workers need
the repository at the same path (a shared file system, as on a SLURM cluster with
``dask-jobqueue``) and the same environment (``REVIEWLIB_DATA_MIRROR`` and friends).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import psutil

from reviewlib import settings
from reviewlib.book import publish, runner

#: resource name the workers declare and the tasks request (MB of memory)
RESOURCE = "MEMORY_MB"
#: a chapter's request is its last published peak times this, plus MEMORY_OVERHEAD_MB
MEMORY_MARGIN = 1.25
#: the worker's own memory beside the kernel it runs (MB)
MEMORY_OVERHEAD_MB = 500.0
#: request for a chapter with no published run (MB)
DEFAULT_MEMORY_MB = 4000.0


def memory_request_mb(stem: str, *, published_dir: Path | None = None) -> float:
    """MB of memory a chapter's task requests: from its last published peak (see module doc)."""
    try:
        prov = publish.load_provenance(stem, published_dir=published_dir)
    except publish.PublishError:
        prov = None
    peak = (prov or {}).get("peak_memory_mb")
    if not isinstance(peak, (int, float)) or peak <= 0:
        return DEFAULT_MEMORY_MB
    return round(float(peak) * MEMORY_MARGIN + MEMORY_OVERHEAD_MB, 1)


def local_cluster(*, n_workers: int | None = None, memory_mb: float | None = None):
    """A :class:`distributed.LocalCluster` sized to this machine.

    One worker process per two cores (a chapter parallelises its own work over two: joblib,
    BLAS), one task at a time per worker, each worker declaring its share of the machine's
    memory (``memory_mb``, default: total memory / workers) as the ``MEMORY_MB`` resource.
    """
    from distributed import LocalCluster

    cores = os.cpu_count() or 1
    n_workers = n_workers or max(1, cores // 2)
    total_mb = psutil.virtual_memory().total / 2**20
    memory_mb = memory_mb or total_mb / n_workers
    return LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        memory_limit=0,  # the MEMORY_MB resource decides placement; dask must not kill kernels
        resources={RESOURCE: memory_mb},
        dashboard_address=None,
    )


def _execute_on_worker(
    source: str, mode: str, parameters: dict | None
) -> publish.Executed | runner.RunResult:
    """The task: run one chapter on a worker (no progress bars: output goes to the client)."""
    return publish.execute(Path(source), mode=mode, parameters=parameters, progress=False)


def _write_local(out: publish.Executed, stem: str) -> Path:
    """Write a cluster run that is not published where a local run writes (``runs/``)."""
    executed = settings.executed_dir()
    records = settings.records_dir()
    executed.mkdir(parents=True, exist_ok=True)
    runner.clear_records(records, stem)
    for rel, data in out.files.items():
        if rel.startswith(publish.RECORDS + "/"):
            target = records / rel[len(publish.RECORDS) + 1 :]
        elif rel == f"{stem}.ipynb":
            target = executed / rel
        else:
            target = settings.runs_dir() / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return executed / f"{stem}.ipynb"


def run_on_cluster(
    notebooks: Sequence[Path],
    *,
    scheduler: str,
    mode: str = "full",
    publish_runs: bool = True,
    parameters: dict | None = None,
    published_dir: Path | None = None,
    n_workers: int | None = None,
) -> list[runner.RunResult]:
    """Run ``notebooks`` as one dask task each; publish (or write to ``runs/``) as each finishes.

    ``scheduler``: ``"local"`` (a :func:`local_cluster`), a scheduler address, or the path of a
    scheduler file. Prints one line per finished chapter; returns the results in finishing order.
    A chapter that fails publishes nothing and leaves its previous published run in place.
    """
    from distributed import Client, as_completed

    if mode not in runner.MODES:
        raise ValueError(f"mode must be one of {runner.MODES}, got {mode!r}")
    cluster = None
    if scheduler == "local":
        cluster = local_cluster(n_workers=n_workers)
        client = Client(cluster)
    elif Path(scheduler).is_file():
        client = Client(scheduler_file=scheduler)
    else:
        client = Client(scheduler)
    try:
        workers = client.scheduler_info().get("workers", {})
        capacity = [w.get("resources", {}).get(RESOURCE) for w in workers.values()]
        capacity = [c for c in capacity if c]
        if not capacity:
            raise RuntimeError(
                f"no worker of {scheduler} declares the {RESOURCE} resource: start workers with "
                f"`dask worker ADDRESS --resources {RESOURCE}=<memory in MB>`"
            )
        git = publish.git_state()
        futures = {}
        for nb in notebooks:
            stem = Path(nb).stem
            need = min(memory_request_mb(stem, published_dir=published_dir), max(capacity))
            fut = client.submit(
                _execute_on_worker,
                str(Path(nb).resolve()),
                mode,
                parameters,
                resources={RESOURCE: need},
                key=f"chapter-{stem}-{time.time_ns()}",
                pure=False,
            )
            futures[fut] = Path(nb)
            print(f"submitted {stem} (mode={mode}, {RESOURCE}={need:.0f})", flush=True)
        results: list[runner.RunResult] = []
        for fut in as_completed(futures):
            nb = futures[fut]
            try:
                out = fut.result()
            except Exception as exc:  # a worker lost or a task error: name the chapter
                out = runner.RunResult(
                    notebook=nb.stem,
                    status="failed",
                    mode=mode,
                    seconds=0.0,
                    peak_memory_mb=0.0,
                    error=f"{nb.name}: the cluster task failed: {type(exc).__name__}: {exc}",
                    finished=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    python="",
                )
            if isinstance(out, runner.RunResult):
                res = out
            elif publish_runs:
                res = publish.install(nb, out, parameters=parameters, published_dir=published_dir, git=git)
            else:
                res = out.result
                _write_local(out, nb.stem)
            where = "published" if publish_runs else "written to runs/"
            line = f"{nb.stem}: {res.status} in {res.seconds:.1f} s, peak memory {res.peak_memory_mb:.0f} MB"
            print(line + (f"\n    {res.error}" if res.error else f"; {where}"), flush=True)
            results.append(res)
        runner.write_status(results)
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = [
    "DEFAULT_MEMORY_MB",
    "MEMORY_MARGIN",
    "MEMORY_OVERHEAD_MB",
    "RESOURCE",
    "local_cluster",
    "memory_request_mb",
    "run_on_cluster",
]
