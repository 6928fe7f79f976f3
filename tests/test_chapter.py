"""chapter: the fast/full switch, timing, and the glued numbers of a chapter's summary box."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from reviewlib.book import chapter
from reviewlib.book.claims import record, set_recording

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def glued(monkeypatch, tmp_path):
    """Collect what a chapter glues; timings go to a temporary runs folder."""
    store: dict[str, object] = {}
    monkeypatch.setattr(chapter, "glue", lambda key, value: store.__setitem__(key, value))
    monkeypatch.setenv("REVIEWLIB_RUNS_DIR", str(tmp_path / "runs"))
    yield store
    set_recording(True)


def test_check_mode():
    assert chapter.check_mode("fast") == "fast" and chapter.check_mode("full") == "full"
    with pytest.raises(ValueError, match="mode must be 'fast' or 'full', got 'ful'"):
        chapter.check_mode("ful")


def test_start_picks_settings_and_overrides(glued):
    fast, full = {"n": 400, "trees": 300}, {"n": 6000, "trees": 500}
    ch = chapter.start("01_x", mode="fast", fast=fast, full=full, overrides={"n": None})
    assert ch.fast and ch["n"] == 400 and ch["trees"] == 300
    ch = chapter.start("01_x", mode="full", fast=fast, full=full, overrides={"n": 1234})
    assert not ch.fast and ch["n"] == 1234 and ch["trees"] == 500
    assert fast == {"n": 400, "trees": 300}  # the caller's dicts are not modified
    with pytest.raises(ValueError, match="mode must be"):
        chapter.start("01_x", mode="quick", fast=fast, full=full)
    with pytest.raises(ValueError, match=r"same keys: \['extra'\]"):
        chapter.start("01_x", mode="fast", fast=fast, full={**full, "extra": 1})


def test_start_switches_recording(glued):
    chapter.start("02_x", mode="fast", record=False)
    assert record("stanev2018.classifier_accuracy", 0.9) is None
    chapter.start("02_x", mode="fast", record=True)
    assert record("stanev2018.classifier_accuracy", 0.9) is not None


def test_timed_adds_up_and_finish_glues_run_times(glued, tmp_path):
    ch = chapter.start("02_x", mode="fast")
    for _ in range(2):
        with ch.timed("step"):
            time.sleep(0.01)
    assert ch.timings["step"] >= 0.02
    out = ch.finish()
    assert isinstance(out, pd.Series) and set(out.index) == {"step", "total"}
    assert glued["mode"] == "fast"
    assert glued["run_time"].startswith("fast mode (this run): 0 s on ")
    assert glued["run_time"].endswith("full mode: no run recorded on this machine")
    saved = json.loads((tmp_path / "runs" / "timings" / "02_x.fast.json").read_text())
    assert saved["mode"] == "fast" and saved["seconds"] >= 0
    assert not list((tmp_path / "runs" / "timings").glob("*.tmp"))  # written atomically
    # a later full run reports its own time and the last fast run's
    full = chapter.start("02_x", mode="full")
    full.started -= 600  # pretend it ran ten minutes
    full.finish()
    assert glued["run_time"].startswith("full mode (this run): 10.0 min on ")
    assert f"fast mode: 0 s (run of {saved['finished']})" in glued["run_time"]


def test_unreadable_timing_file_is_ignored(glued, tmp_path):
    path = tmp_path / "runs" / "timings" / "03_x.full.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    chapter.start("03_x", mode="fast").finish()
    assert "full mode: no run recorded" in glued["run_time"]


def test_glue_claims_texts(glued):
    ch = chapter.start("02_x", mode="fast")
    record("stanev2018.classifier_accuracy", 0.915, mode="fast")
    record("stanev2018.more_than_12000_superconductors", False, mode="fast")
    table = ch.glue_claims(
        {
            "acc": "stanev2018.classifier_accuracy",
            "n_sc": "stanev2018.more_than_12000_superconductors",
            "xie": "xie2022.lambda_pb",
        }
    )
    assert glued["acc"] == "reported 0.92, ours 0.915 (reproduced)"
    assert glued["n_sc"] == "reported yes, ours no (missed)"
    assert glued["xie"] == "reported 1.6; not recorded by this run"
    assert table.loc["stanev2018.classifier_accuracy", "verdict"] == "reproduced"
    alts = [{"choice": "another split", "value": 0.70}]
    record("stanev2018.classifier_accuracy", 0.915, mode="fast", alternatives=alts)
    ch.glue_claims({"acc": "stanev2018.classifier_accuracy"})
    assert glued["acc"] == "reported 0.92, ours 0.915 (reproduced, fragile)"
    with pytest.raises(KeyError, match="unknown claim"):
        ch.glue_claims({"x": "stanev2018.nope"})
    user = chapter.start("02_x", mode="fast", record=False)
    user.glue_claims({"acc": "stanev2018.classifier_accuracy"})
    assert glued["acc"] == "reported 0.92; not recorded for your own data"


def test_subsample():
    frame = pd.DataFrame({"a": range(10)})
    assert chapter.subsample(frame, n=None, seed=1) is frame
    assert chapter.subsample(frame, n=50, seed=1) is frame
    part = chapter.subsample(frame, n=4, seed=1)
    assert part.index.tolist() == [0, 1, 2, 3]
    assert part["a"].tolist() == frame.sample(n=4, random_state=1)["a"].tolist()
    with pytest.raises(ValueError, match="at least 1"):
        chapter.subsample(frame, n=0, seed=1)


def test_fast_run_falls_back_to_the_published_full_time(glued, tmp_path, monkeypatch):
    run = tmp_path / "published" / "02_x"
    run.mkdir(parents=True)
    prov = json.loads(
        (REPO / "book" / "published" / "02_stanev2018_supercon" / "provenance.json").read_text()
    )
    prov.update(notebook="02_x", mode="full", wall_time_s=612.3, finished="2026-12-01T02:00:00Z")
    (run / "provenance.json").write_text(json.dumps(prov))
    monkeypatch.setenv("REVIEWLIB_PUBLISHED_DIR", str(tmp_path / "published"))
    chapter.start("02_x", mode="fast").finish()
    assert "full mode: 10.2 min (published run of 2026-12-01T02:00:00Z)" in glued["run_time"]


def test_a_run_on_user_data_does_not_store_its_time(glued, tmp_path):
    chapter.start("02_x", mode="fast", record=False).finish()
    assert not (tmp_path / "runs" / "timings" / "02_x.fast.json").exists()
