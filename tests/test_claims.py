"""Reported-vs-reproduced API: validated tables, recorded values, verdicts."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from reviewlib.book import claims


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
                "ml_metric",
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
                "trend",
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
                "ml_metric",
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
    assert [p.name for p in tmp_path.iterdir()] == ["demo.r2.json"]  # written atomically, no temp left
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
        [["xie2022.y", "xie2022", "q", "1", "-", "§1", "k", "rel", "0.1", "", "yes", "", "trend"]],
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


# --- claim kinds, margins and robustness (issue 26) -------------------------------------------


def _row(claim_id, kind, value, comparison="rel", tolerance="0.1", reproducible="yes", **extra):
    row = {
        "claim_id": claim_id,
        "milestone": "xie2022",
        "quantity": claim_id,
        "value": value,
        "unit": "K",
        "section": "§1",
        "source": "bai2024unveiling",
        "comparison": comparison,
        "tolerance": "" if comparison == "bool" else tolerance,
        "tolerance_reason": "" if comparison == "bool" else "a reason",
        "reproducible": reproducible,
        "note": "" if reproducible == "yes" else "not public",
        "kind": kind,
        "our_basis": "",
        "our_reference": "",
        "table": "kinds.csv",
    }
    row.update(extra)
    return row


@pytest.fixture
def kinds_table(monkeypatch, tmp_path):
    table = pd.DataFrame(
        [
            _row("k.dft", "dft_value", "100"),
            _row("k.dft_legacy", "dft_value", "100", our_basis="ml-surrogate"),
            _row(
                "k.dft_fp_row",
                "dft_value",
                "100",
                our_basis="first-principles",
                our_reference="Alexandria DFPT",
            ),
            _row("k.check", "definition_check", "0.5", comparison="abs", tolerance="0.01"),
            _row("k.flag_check", "definition_check", "true", comparison="bool"),
            _row("k.context", "context", "138", comparison="abs", tolerance="2"),
            _row("k.metric", "ml_metric", "10", comparison="abs", tolerance="2"),
            _row("k.trend", "trend", "true", comparison="bool"),
            _row("k.count", "count", "1058", comparison="rel", tolerance="0.05"),
        ]
    )
    claims._validate(table)
    monkeypatch.setattr(claims, "reported", lambda: table.copy())
    monkeypatch.setenv("REVIEWLIB_RECORDS_DIR", str(tmp_path))
    return table


def _legacy_record(folder, claim_id, value):
    """A record as published before kinds existed: no kind, basis, alternatives or robustness."""
    data = {
        "claim_id": claim_id,
        "value": value,
        "notebook": "05_demo",
        "mode": "full",
        "note": "old note",
        "details": {},
        "timestamp": 0.0,
    }
    (folder / f"{claim_id}.json").write_text(json.dumps(data))


def test_dft_value_with_a_surrogate_basis_is_not_reproducible_and_shown_as_information(kinds_table):
    rec = claims.record("k.dft", 101.0, basis="ml-surrogate")
    assert rec.kind == "dft_value" and rec.basis == "ml-surrogate"
    out = claims.verdicts().set_index("claim_id").loc["k.dft"]
    assert out["verdict"] == "not reproducible with public data"
    assert out["ours"] is None and out["info_value"] == 101.0
    assert out["basis"] == "ml-surrogate" and "information only" in out["why"]
    assert out["margin"] is None or pd.isna(out["margin"])
    for basis in ("mlip", "formula"):
        claims.record("k.dft", 100.0, basis=basis)
        assert claims.verdicts().set_index("claim_id").loc["k.dft", "verdict"].startswith("not reproducible")


def test_dft_value_with_a_first_principles_basis_gets_a_normal_verdict(kinds_table):
    claims.record("k.dft", 105.0, basis="first-principles", reference="our GPAW + DFPT table")
    out = claims.verdicts().set_index("claim_id").loc["k.dft"]
    assert out["verdict"] == "reproduced" and out["ours"] == 105.0 and out["info_value"] is None
    assert out["reference"] == "our GPAW + DFPT table"
    assert out["margin"] == pytest.approx(0.5)
    claims.record("k.dft", 150.0, basis="first-principles", reference="x")
    assert claims.verdicts().set_index("claim_id").loc["k.dft", "verdict"] == "missed"


def test_dft_value_record_needs_a_basis_and_first_principles_a_reference(kinds_table):
    with pytest.raises(ValueError, match="dft_value.*basis="):
        claims.record("k.dft", 100.0)
    with pytest.raises(ValueError, match="needs reference"):
        claims.record("k.dft", 100.0, basis="first-principles")
    with pytest.raises(ValueError, match="basis 'dft'"):
        claims.record("k.dft", 100.0, basis="dft")
    # a row that states our_basis lets a record without basis through (that basis then applies)
    assert claims.record("k.dft_legacy", 100.0) is not None


def test_existing_records_without_basis_take_the_rows_our_basis(kinds_table, tmp_path):
    _legacy_record(tmp_path, "k.dft_legacy", 100.0)  # would be reproduced if compared
    _legacy_record(tmp_path, "k.dft_fp_row", 105.0)
    _legacy_record(tmp_path, "k.dft", 100.0)  # no basis anywhere
    out = claims.verdicts().set_index("claim_id")
    assert out.loc["k.dft_legacy", "verdict"] == "not reproducible with public data"
    assert out.loc["k.dft_legacy", "info_value"] == 100.0
    assert out.loc["k.dft_fp_row", "verdict"] == "reproduced"
    assert out.loc["k.dft_fp_row", "reference"] == "Alexandria DFPT"
    assert out.loc["k.dft", "verdict"] == "not reproducible with public data"
    assert "unstated basis" in out.loc["k.dft", "why"]
    # the record's own basis wins over the row's
    claims.record("k.dft_legacy", 100.0, basis="first-principles", reference="public DFPT")
    assert claims.verdicts().set_index("claim_id").loc["k.dft_legacy", "verdict"] == "reproduced"


def test_published_gp_prediction_for_ksch12_is_information_only(tmp_path):
    """The real table: chapter 05's (basis-less) KScH12 record is a GP prediction."""
    _legacy_record(tmp_path, "ishikawa2019.ksch12_tc", 125.6)
    out = claims.verdicts(tmp_path).set_index("claim_id")
    assert out.loc["ishikawa2019.ksch12_tc", "kind"] == "dft_value"
    assert out.loc["ishikawa2019.ksch12_tc", "verdict"] == "not reproducible with public data"
    assert out.loc["ishikawa2019.ksch12_tc", "info_value"] == 125.6


def test_definition_check_has_its_own_verdict_and_is_not_counted(kinds_table):
    claims.record("k.check", 0.5)
    claims.record("k.flag_check", False)
    claims.record("k.context", 138.0)
    claims.record("k.metric", 10.5)
    out = claims.verdicts().set_index("claim_id")
    assert out.loc["k.check", "verdict"] == "checked"
    assert out.loc["k.flag_check", "verdict"] == "check failed"
    assert not out.loc["k.check", "counted"] and not out.loc["k.context", "counted"]
    assert out.loc["k.metric", "counted"]
    counts = claims.summary_counts()
    assert list(counts.index) == list(claims.SUMMARY_VERDICTS)
    # k.metric reproduced; k.context (reproduced) and the checks are left out
    assert counts["reproduced, not assessed"] == 1
    assert counts.sum() == len(kinds_table) - 3
    assert "checked" not in counts.index


@pytest.mark.parametrize(
    ("comparison", "reported", "tol", "ours", "expected"),
    [
        ("abs", "10", "2", 11.0, 0.5),
        ("abs", "10", "2", 6.0, 2.0),
        ("rel", "100", "0.1", 95.0, 0.5),
        ("rel", "-85", "0.1", -102.0, 2.0),
        ("bool", "true", "", True, None),
    ],
)
def test_margin(comparison, reported, tol, ours, expected):
    got = claims.margin(comparison=comparison, reported_value=reported, tolerance=tol, ours=ours)
    assert got == (None if expected is None else pytest.approx(expected))


def test_at_edge_flags_the_outer_fifth_of_a_verdict_band():
    row = _row("k.edge", "ml_metric", "10", comparison="abs", tolerance="1")
    assert not claims.assess(row, 10.75)["at_edge"]  # reproduced, margin 0.75
    assert claims.assess(row, 10.9)["at_edge"]  # reproduced, margin 0.9
    assert not claims.assess(row, 11.5)["at_edge"]  # close, margin 1.5
    assert claims.assess(row, 11.9)["at_edge"]  # close, margin 1.9
    assert not claims.assess(row, 13.0)["at_edge"]  # missed
    check = _row("k.c", "definition_check", "0.5", comparison="abs", tolerance="0.01")
    assert claims.assess(check, 0.509) == pytest.approx(
        {
            "verdict": "checked",
            "margin": 0.9,
            "at_edge": True,
            "compared": True,
            "basis": None,
            "reference": "",
        }
    )


def test_robustness_from_alternatives(kinds_table):
    rec = claims.record(
        "k.metric",
        10.5,
        alternatives=[{"choice": "grouped split", "value": 11.0}, {"choice": "seed 2", "value": 9.0}],
    )
    assert rec.robustness == "robust"
    assert [a["verdict"] for a in rec.alternatives] == ["reproduced", "reproduced"]
    out = claims.verdicts().set_index("claim_id").loc["k.metric"]
    assert out["robustness"] == "robust" and out["robustness_range"] == (9.0, 11.0)

    rec = claims.record(
        "k.metric",
        10.5,
        alternatives=[{"choice": "grouped split", "value": 13.0}, {"choice": "seed 2", "value": 10.0}],
    )
    assert rec.robustness == "fragile"
    out = claims.verdicts().set_index("claim_id").loc["k.metric"]
    assert out["robustness"] == "fragile" and out["robustness_range"] == (10.0, 13.0)
    assert claims.summary_counts()["reproduced, fragile"] == 1

    assert claims.robustness(10.5, "reproduced", [])["robustness"] == "not assessed"
    assert claims.robustness(None, "not run", [{"choice": "a", "value": 1.0, "verdict": "missed"}])[
        "robustness"
    ] == ("not assessed")
    flags = claims.robustness(True, "reproduced", [{"choice": "a", "value": False, "verdict": "missed"}])
    assert flags == {"robustness": "fragile", "range": (False, True), "disagreeing": ["a"]}
    with pytest.raises(ValueError, match="alternative"):
        claims.record("k.metric", 10.5, alternatives=[{"value": 1.0}])
    with pytest.raises(ValueError, match="numeric"):
        claims.record("k.metric", 10.5, alternatives=[{"choice": "a", "value": True}])


def test_count_records_whole_numbers(kinds_table):
    with pytest.raises(ValueError, match="count"):
        claims.record("k.count", 1056.5)
    claims.record("k.count", 1056)
    out = claims.verdicts().set_index("claim_id").loc["k.count"]
    assert out["verdict"] == "reproduced" and out["margin"] == pytest.approx(2 / 1058 / 0.05)


def test_validation_refuses_unknown_kind_naming_file_row_and_allowed_kinds():
    table = pd.DataFrame([_row("k.a", "trend", "true", comparison="bool"), _row("k.b", "dft", "1")])
    with pytest.raises(
        ValueError, match=r"kinds\.csv, row 2 \(line 3, k\.b\): kind 'dft'.*dft_value.*context"
    ):
        claims._validate(table)
    table.loc[1, "kind"] = ""
    with pytest.raises(ValueError, match=r"kinds\.csv, row 2.*kind ''"):
        claims._validate(table)
    table.loc[1, "kind"] = "dft_value"
    table.loc[1, "our_basis"] = "dft"
    with pytest.raises(ValueError, match="our_basis 'dft'.*first-principles"):
        claims._validate(table)
    table.loc[1, "our_basis"] = "first-principles"
    with pytest.raises(ValueError, match="needs our_reference"):
        claims._validate(table)
    table.loc[1, "our_reference"] = "JARVIS"
    claims._validate(table)
    with pytest.raises(ValueError, match="lack columns.*kind"):
        claims._validate(table.drop(columns="kind"))


def test_every_row_has_a_kind_and_dft_values_state_our_basis():
    table = claims.reported()
    assert set(table["kind"]) <= set(claims.KINDS)
    assert (table["kind"] != "").all()
    dft = table[(table["kind"] == "dft_value") & (table["reproducible"] == "yes")]
    assert (dft["our_basis"] != "").all()
    assert set(table.loc[table["milestone"] == "context", "kind"]) == {"context"}


def test_milestone_verdicts_shows_one_milestone_in_the_chapter_columns(tmp_path):
    table = claims.milestone_verdicts("tran2023", folder=tmp_path)
    assert list(table.columns) == list(claims.VERDICT_COLUMNS)
    every = claims.verdicts(tmp_path)
    assert len(table) == int((every["milestone"] == "tran2023").sum()) > 0
    # nothing recorded in an empty folder: no claim has a verdict of its own
    assert set(table["verdict"]) <= {"not run", claims.NOT_REPRODUCIBLE}
    assert "not run" in set(table["verdict"])


def test_milestone_verdicts_refuses_an_unknown_milestone(tmp_path):
    with pytest.raises(ValueError, match="no reported claim has milestone 'tran2032'"):
        claims.milestone_verdicts("tran2032", folder=tmp_path)
