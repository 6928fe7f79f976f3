"""Reported-vs-reproduced API: validated tables, recorded values, verdicts."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from reviewlib import claims


def test_every_reported_table_validates():
    table = claims.reported()
    assert table["claim_id"].is_unique
    assert set(table["reproducible"]) <= {"yes", "no"}


@pytest.mark.parametrize(
    ("comparison", "reported", "tol", "ours", "expected"),
    [
        ("rel", "10", "0.1", 10.9, "reproduced"),
        ("rel", "10", "0.1", 11.5, "close"),
        ("rel", "10", "0.1", 12.5, "missed"),
        ("abs", "0.929", "0.03", 0.90, "reproduced"),
        ("abs", "0.929", "0.03", 0.85, "missed"),
        ("bool", "true", "", True, "reproduced"),
        ("bool", "true", "", False, "missed"),
    ],
)
def test_verdict(comparison, reported, tol, ours, expected):
    got = claims.verdict(comparison=comparison, reported_value=reported, tolerance=tol, ours=ours)
    assert got == expected


@pytest.fixture
def one_table(monkeypatch):
    table = pd.DataFrame(
        [
            [
                "demo.r2",
                "demo",
                "R^2",
                "0.9",
                "-",
                "§1",
                "bai2024unveiling",
                "abs",
                "0.05",
                "fold spread",
                "yes",
                "",
            ],
            [
                "demo.flag",
                "demo",
                "RF best",
                "true",
                "-",
                "§1",
                "bai2024unveiling",
                "bool",
                "",
                "",
                "yes",
                "",
            ],
            [
                "demo.icsd",
                "demo",
                "ICSD R^2",
                "0.9",
                "-",
                "§1",
                "bai2024unveiling",
                "abs",
                "0.05",
                "fold spread",
                "no",
                "ICSD is not public",
            ],
        ],
        columns=claims.REPORTED_COLUMNS,
    )
    table["table"] = "demo.csv"
    monkeypatch.setattr(claims, "reported", lambda: table)
    return table


def test_record_writes_json_and_verdicts_join(one_table, tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWLIB_RECORDS_DIR", str(tmp_path))
    monkeypatch.setenv("REVIEWLIB_NOTEBOOK", "99_demo")
    claims.record("demo.r2", 0.87, note="grouped split")
    data = json.loads((tmp_path / "demo.r2.json").read_text())
    assert data["value"] == 0.87 and data["notebook"] == "99_demo"
    out = claims.verdicts().set_index("claim_id")
    assert out.loc["demo.r2", "verdict"] == "reproduced"
    assert out.loc["demo.flag", "verdict"] == "not run"
    assert out.loc["demo.icsd", "verdict"] == "not reproducible with public data"
    assert out.loc["demo.icsd", "why"] == "ICSD is not public"


def test_record_rejects_bad_values(one_table):
    with pytest.raises(KeyError, match="unknown claim"):
        claims.record("demo.nope", 1.0)
    with pytest.raises(ValueError, match="not finite"):
        claims.record("demo.r2", float("nan"))
    with pytest.raises(ValueError, match="qualitative"):
        claims.record("demo.flag", 1.0)
    with pytest.raises(ValueError, match="numeric"):
        claims.record("demo.r2", True)


def test_validation_rejects_missing_reason():
    table = pd.DataFrame(
        [["xie2022.y", "xie2022", "q", "1", "-", "§1", "k", "rel", "0.1", "", "yes", ""]],
        columns=claims.REPORTED_COLUMNS,
    )
    table["table"] = "bad.csv"
    with pytest.raises(ValueError, match="needs a reason"):
        claims._validate(table)
    table.loc[0, "milestone"] = "nobody2099"
    with pytest.raises(ValueError, match="missing from milestones.csv.*nobody2099"):
        claims._validate(table)


def test_milestones_table_lists_the_eleven_table1_rows_once():
    meta = claims.milestones()
    rows = sorted(int(r) for r in meta["table1_row"] if r)
    assert rows == list(range(1, 12))
    assert {"xie2022", "zhang2022", "stanev2018", "context"} <= set(meta.index)
    assert set(claims.reported()["milestone"]) <= set(meta.index)
