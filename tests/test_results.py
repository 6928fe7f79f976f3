"""The results store (reviewlib.book.results): recording, reading back, baselines, rankings, the page."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from reviewlib import models as M
from reviewlib.book import claims, pages, results


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWLIB_RECORDS_DIR", str(tmp_path))
    monkeypatch.setenv("REVIEWLIB_NOTEBOOK", "99_demo")
    monkeypatch.setenv("REVIEWLIB_MODE", "fast")
    return tmp_path


def _row(**kw):
    base = dict(
        dataset="demo",
        target="Tc",
        split="random 5-fold",
        features="f",
        model="rfr",
        metric="mae",
        value=4.0,
        n_train=80,
        n_test=100,
        unit="K",
    )
    return results.record(**{**base, **kw})


def test_record_and_load_round_trip(store):
    rec = _row(uncertainty=0.5, uncertainty_kind="std over 5 folds")
    assert rec.notebook == "99_demo" and rec.mode == "fast"
    _row(model="mean", baseline=True, value=7.0)
    path = store / "results" / "99_demo.jsonl"
    assert len(path.read_text().splitlines()) == 2
    frame = results.load(store)
    assert list(frame.columns) == results.COLUMNS
    assert len(frame) == 2
    assert frame.loc[frame["model"] == "rfr", "uncertainty"].item() == 0.5


def test_rerecording_the_same_key_keeps_the_latest(store):
    _row(value=4.0)
    _row(value=3.0)
    frame = results.load(store)
    assert frame["value"].tolist() == [3.0]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"metric": "maes"}, "unknown metric"),
        ({"value": float("nan")}, "not finite"),
        ({"split": " "}, "split must be named"),
        ({"n_test": 0}, "n_test >= 1"),
        ({"ci_low": 5.0, "ci_high": 6.0}, "does not contain"),
        ({"ci_low": 3.0}, "both ci_low and ci_high"),
        ({"uncertainty": 0.3}, "say what the uncertainty is"),
    ],
)
def test_bad_rows_are_refused(store, kw, message):
    with pytest.raises(ValueError, match=message):
        _row(**kw)
    assert not (store / "results").exists()


def test_interval_gives_half_width_uncertainty(store):
    rec = _row(ci_low=3.0, ci_high=5.0, uncertainty_kind="95% bootstrap")
    assert rec.uncertainty == pytest.approx(1.0)


def test_recording_off_writes_nothing(store):
    claims.set_recording(False)
    try:
        assert _row() is None
    finally:
        claims.set_recording(True)
    assert results.load(store).empty


def test_corrupt_file_names_the_file(store):
    (store / "results").mkdir()
    (store / "results" / "99_demo.jsonl").write_text('{"notebook": "x"}\n')
    with pytest.raises(ValueError, match="99_demo.jsonl:1: missing fields"):
        results.load(store)


def test_baselines_and_direction(store):
    _row(model="mean", baseline=True, value=7.0)
    _row(model="rfr", value=4.0)
    _row(model="svr", value=8.0)
    _row(model="mean", baseline=True, metric="r2", value=0.0)
    _row(model="rfr", metric="r2", value=0.6)
    _row(model="rfr", split="grouped by compound", value=5.0)  # a group without a baseline
    frame = results.with_baselines(results.load(store)).set_index(["model", "metric", "split"])
    assert frame.loc[("rfr", "mae", "random 5-fold"), "beats_baseline"]
    assert not frame.loc[("svr", "mae", "random 5-fold"), "beats_baseline"]
    assert frame.loc[("rfr", "r2", "random 5-fold"), "beats_baseline"]  # higher is better
    assert pd.isna(frame.loc[("rfr", "mae", "grouped by compound"), "beats_baseline"])
    counts = results.summary_counts(results.load(store))
    assert counts["groups"] == 3 and counts["groups_with_baseline"] == 2
    assert counts["beat"] == 2 and counts["not_beat"] == 1


def test_best_per_group_and_ranking_changes(store):
    for split, vals in (("random 5-fold", (3.0, 4.0, 5.0)), ("grouped by composition", (6.0, 5.5, 7.0))):
        for model, v in zip(("rfr", "xgbr", "svr"), vals, strict=True):
            _row(split=split, model=model, value=v)
        _row(split=split, model="mean", baseline=True, value=9.0)
    best = results.best_per_group(results.load(store))
    assert dict(zip(best["split"], best["best model"], strict=True)) == {
        "grouped by composition": "xgbr",
        "random 5-fold": "rfr",
    }
    assert set(best["baseline value"]) == {9.0}
    ch = results.ranking_changes(results.load(store))
    assert len(ch) == 1
    assert ch["best changes"].item() and ch["ranking (grouped)"].item() == "xgbr > rfr > svr"
    # a second grouped split gets a row of its own (never mixed with the first)
    for model, v in zip(("rfr", "xgbr", "svr"), (6.0, 7.0, 8.0), strict=True):
        _row(split="grouped by chemical system", model=model, value=v)
    ch = results.ranking_changes(results.load(store)).set_index("grouped split")
    assert ch.loc["grouped by chemical system", "ranking (grouped)"] == "rfr > xgbr > svr"
    assert not ch.loc["grouped by chemical system", "best changes"]
    assert ch.loc["grouped by composition", "best changes"]


def test_record_comparison_from_compare_models(store):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = 3 * X[:, 0] + rng.normal(scale=0.1, size=60)
    groups = np.repeat(np.arange(12), 5)
    comp = M.compare_models(
        {"xyz": X},
        y,
        models=["ridge", "mean"],
        protocols={"random": None, "grouped": groups},
        seed=0,
        progress=False,
    )
    recs = results.record_comparison(
        comp, dataset="synthetic", target="y", unit="K", splits={"grouped": "grouped by block, 5-fold"}
    )
    assert len(recs) == 2 * 2 * 3  # models x protocols x (r2, rmse, mae)
    frame = results.with_baselines(results.load(store))
    ridge = frame[(frame["model"] == "ridge") & (frame["metric"] == "mae")]
    assert ridge["beats_baseline"].all()  # a linear target: ridge beats the mean on held-out folds
    assert set(frame["split"]) == {"random", "grouped by block, 5-fold"}
    assert (frame["n_test"] == 60).all() and (frame["n_train"] == 48).all()
    assert set(frame.loc[frame["metric"] == "r2", "unit"]) == {""}


def test_record_bootstrap(store):
    y = np.linspace(0, 10, 30)
    recs = results.record_bootstrap(
        y,
        y + 1.0,
        dataset="d",
        target="Tc",
        split="held-out test",
        features="f",
        model="m",
        n_train=70,
        seed=1,
    )
    mae = next(r for r in recs if r.metric == "mae")
    assert mae.value == pytest.approx(1.0) and mae.ci_low <= 1.0 <= mae.ci_high and mae.n_test == 30


def test_runner_clears_a_notebooks_results(store):
    from reviewlib.book import runner

    _row()
    runner.clear_records(store, "99_demo")
    assert not (store / "results" / "99_demo.jsonl").exists()


def test_results_page(store):
    _row(model="mean", baseline=True, value=7.0)
    _row(model="rfr", value=4.0, note="a <note>")
    page = pages.results_page(store)
    full = page[page.index("## Every evaluation") :]
    assert full.count("<tr>") == 3  # header + 2 rows
    assert "beats" in page and "&lt;note&gt;" in page and "2 evaluations" in page
    assert json.loads((store / "results" / "99_demo.jsonl").read_text().splitlines()[0])["unit"] == "K"


def test_empty_page(tmp_path):
    assert "No model evaluations" in pages.results_page(tmp_path)
    assert [p.name for p in pages.write_results_files(tmp_path, records_dir=tmp_path)] == [pages.RESULTS_CSV]
    header = (tmp_path / pages.RESULTS_CSV).read_text().splitlines()
    assert header == [",".join([*results.COLUMNS, "baseline_value", "beats_baseline"])]


def _two_splits():
    """A chapter's data under a random and a grouped split, plus groups the compact view treats apart."""
    _row(model="rfr", value=3.0, ci_low=2.5, ci_high=3.5, uncertainty_kind="95% bootstrap")
    _row(model="svr", value=5.0, ci_low=4.0, ci_high=6.0, uncertainty_kind="95% bootstrap")
    _row(model="mean", baseline=True, value=6.0, ci_low=5.5, ci_high=6.5, uncertainty_kind="95% bootstrap")
    _row(model="median", baseline=True, value=7.0)  # the worse baseline: not the one compared
    _row(model="rfr", metric="r2", value=0.7)  # not the primary error metric
    grouped = {"split": "grouped by compound, 5-fold"}
    _row(**grouped, model="rfr", value=5.5, uncertainty=1.0, uncertainty_kind="std over 5 folds")
    _row(
        **grouped,
        model="mean",
        baseline=True,
        value=6.0,
        uncertainty=0.2,
        uncertainty_kind="std over 5 folds",
    )
    held_out = {"split": "held-out test", "metric": "rmse"}  # only RMSE recorded: RMSE is primary
    _row(**held_out, model="rfr", value=8.0)
    _row(**held_out, model="mean", baseline=True, value=7.0)
    _row(split="leave one out", model="rfr", value=2.0)  # no baseline
    _row(target="Tc > 10 K", metric="accuracy", value=0.9, unit="")  # no error metric: left out


def test_best_against_baseline_skill_and_flags(store):
    _two_splits()
    summary = results.best_against_baseline(results.load(store)).set_index("split")
    assert len(summary) == 4 and set(summary["target"]) == {"Tc"}
    rand = summary.loc["random 5-fold"]
    assert rand["metric"] == "mae" and rand["model"] == "rfr" and rand["baseline model"] == "mean"
    assert rand["skill"] == pytest.approx(1 - 3.0 / 6.0)
    assert rand["beats baseline"] and not rand["within uncertainties"]  # [2.5, 3.5] vs [5.5, 6.5]
    assert rand["interval"] == (2.5, 3.5) and rand["n models"] == 2 and rand["n_test"] == 100
    grouped = summary.loc["grouped by compound, 5-fold"]
    assert grouped["skill"] == pytest.approx(1 - 5.5 / 6.0)
    assert grouped["within uncertainties"]  # 5.5 +/- 1.0 overlaps 6.0 +/- 0.2
    assert grouped["interval kind"] == "± std over 5 folds"
    held = summary.loc["held-out test"]
    assert held["metric"] == "rmse" and held["skill"] == pytest.approx(1 - 8.0 / 7.0)
    assert not held["beats baseline"] and pd.isna(held["within uncertainties"])  # no interval stored
    alone = summary.loc["leave one out"]
    assert np.isnan(alone["skill"]) and pd.isna(alone["beats baseline"])


def test_split_pairs_and_random_vs_grouped(store):
    assert results.split_pairs(splits=["random 5-fold", "grouped by x", "random grouped"]) == [
        ("random 5-fold", "grouped by x"),
        ("random 5-fold", "random grouped"),
        ("random grouped", "grouped by x"),
    ]  # a label that names both is never paired with itself
    _two_splits()
    pairs = results.random_vs_grouped(results.best_against_baseline(results.load(store)))
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert row["random split"] == "random 5-fold" and row["grouped split"] == "grouped by compound, 5-fold"
    assert row["random relative error"] == pytest.approx(0.5)
    assert row["grouped relative error"] == pytest.approx(5.5 / 6.0)


def test_results_files_and_page(store, tmp_path_factory):
    _two_splits()
    out = tmp_path_factory.mktemp("generated")
    written = pages.write_results_files(out, records_dir=store)
    assert {p.name for p in written} == {pages.RESULTS_CSV, pages.RESULTS_FIGURE}
    assert (out / pages.RESULTS_FIGURE).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    csv = pd.read_csv(out / pages.RESULTS_CSV)
    stored = results.load(store)
    assert len(csv) == len(stored) == 11
    assert list(csv.columns) == [*results.COLUMNS, "baseline_value", "beats_baseline"]
    assert sorted(csv["value"]) == sorted(stored["value"])
    page = pages.results_page(store)
    assert "```{figure} /_generated/results_random_vs_grouped.png" in page
    assert ":name: fig-results-random-vs-grouped" in page
    assert "Random versus grouped splits: 1 pair of splits" in page and "scale-free" in page
    assert "{download}`results.csv </_generated/results.csv>`" in page
    compact = page[page.index("## Best model against its baseline") : page.index("## Random versus")]
    assert compact.count("<tr>") == 1 + 4  # header + one row per (data, target, split) with an error
    assert "<b>0.50</b>" in compact and "<b>-0.14</b>" in compact
    assert "does not beat the baseline" in compact and "within the uncertainties" in compact
    assert "no baseline" in compact and "2.5, 3.5" in compact


def test_no_split_pair_no_figure(store, tmp_path_factory):
    _row(model="rfr", value=3.0)
    _row(model="mean", baseline=True, value=6.0)
    out = tmp_path_factory.mktemp("generated")
    (out / pages.RESULTS_FIGURE).write_bytes(b"old")
    assert [p.name for p in pages.write_results_files(out, records_dir=store)] == [pages.RESULTS_CSV]
    assert not (out / pages.RESULTS_FIGURE).exists()
    page = pages.results_page(store)
    assert "{figure}" not in page and "No chapter recorded a data set under both" in page


def test_the_compact_view_leaves_in_sample_scores_out():
    from reviewlib.book.results import best_against_baseline, is_in_sample

    assert is_in_sample("training set (fit on 100 %)") and is_in_sample("GP, in sample")
    assert not is_in_sample("grouped by compound, 5-fold")
    rows = []
    for split, model, base, value in (
        ("training set (fit on 100 %)", "GPR", False, 0.1),
        ("training set (fit on 100 %)", "mean", True, 1.0),
        ("grouped, 5-fold", "GPR", False, 0.5),
        ("grouped, 5-fold", "mean", True, 1.0),
    ):
        rows.append(
            {
                "notebook": "07_x",
                "dataset": "d",
                "target": "t",
                "split": split,
                "features": "f",
                "model": model,
                "baseline": base,
                "metric": "mae",
                "value": value,
                "unit": "K",
                "uncertainty": None,
                "uncertainty_kind": "",
                "ci_low": None,
                "ci_high": None,
                "n_train": 10,
                "n_test": 5,
                "mode": "full",
                "note": "",
                "timestamp": 0.0,
            }
        )
    view = best_against_baseline(pd.DataFrame(rows))
    assert list(view["split"]) == ["grouped, 5-fold"]


def test_record_bootstrap_gives_no_interval_below_five_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWLIB_RECORDS_DIR", str(tmp_path))
    from reviewlib.book import results as R

    kw = {"dataset": "d", "target": "t", "split": "s", "features": "f", "model": "m", "n_train": 0}
    few = R.record_bootstrap([1.0, 2.0, 3.0], [1.5, 2.0, 2.0], unit="K", **kw)
    assert all(r.ci_low is None and r.ci_high is None for r in few)
    assert "no interval" in few[0].note and few[0].value == pytest.approx(0.5)
    enough = R.record_bootstrap(np.arange(6.0), np.arange(6.0) + 1, unit="K", **kw)
    assert all(r.ci_low is not None for r in enough)
