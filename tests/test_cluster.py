"""Chapters on a dask.distributed cluster: one task per chapter, each requesting the memory its last
published run needed, published atomically on the machine that holds the repository.
"""

from __future__ import annotations

import json

import pytest
from test_publish import RECORDING, _notebook, dirs  # noqa: F401  (the fixture)

from reviewlib.book import cli, cluster, publish


def test_memory_request_comes_from_the_last_published_peak(dirs):  # noqa: F811
    assert cluster.memory_request_mb("01_xie2022_test") == cluster.DEFAULT_MEMORY_MB
    run = dirs / "published" / "01_xie2022_test"
    run.mkdir(parents=True)
    (run / "provenance.json").write_text(json.dumps({"peak_memory_mb": 1000.0}))
    # an invalid provenance (no other fields) is not trusted: the default applies
    assert cluster.memory_request_mb("01_xie2022_test") == cluster.DEFAULT_MEMORY_MB


@pytest.mark.slow
def test_two_chapters_through_a_local_cluster_are_published_here(dirs, capsys):  # noqa: F811
    for stem in ("01_xie2022_test", "02_stanev2018_test"):
        _notebook(dirs / "notebooks" / f"{stem}.ipynb", RECORDING)
    args = [
        "run",
        "01_xie2022_test",
        "02_stanev2018_test",
        "--mode",
        "full",
        "--publish",
        "--scheduler",
        "local",
    ]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "submitted 01_xie2022_test" in out and "MEMORY_MB=4000" in out
    for stem in ("01_xie2022_test", "02_stanev2018_test"):
        folder = dirs / "published" / stem
        prov = json.loads((folder / "provenance.json").read_text())
        assert prov["mode"] == "full" and prov["notebook"] == stem
        assert prov["machine"]["cpu_count"] >= 1 and prov["wall_time_s"] > 0
        record = json.loads((folder / "records" / "belli2021.fit_slope.json").read_text())
        assert record["notebook"] == stem and record["mode"] == "full"
        # the published run passes the same checks as one published without a cluster
        assert publish.check(dirs / "notebooks" / f"{stem}.ipynb", require_full=True) is None
    # a second round asks for the memory the first runs needed
    need = cluster.memory_request_mb("01_xie2022_test")
    assert cluster.MEMORY_OVERHEAD_MB < need < cluster.DEFAULT_MEMORY_MB


@pytest.mark.slow
def test_a_cluster_without_the_memory_resource_is_refused(dirs, capsys):  # noqa: F811
    from distributed import LocalCluster

    _notebook(dirs / "notebooks" / "01_xie2022_test.ipynb", RECORDING)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as lc:
        code = cli.main(["run", "01_xie2022_test", "--mode", "full", "--scheduler", lc.scheduler_address])
    assert code == 2
    assert "--resources MEMORY_MB=" in capsys.readouterr().err
    assert not (dirs / "published" / "01_xie2022_test").exists()
