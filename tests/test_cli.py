"""The reviewlib command line: data list, verify and fetch."""

from __future__ import annotations

import json

from reviewlib.book import cli


def test_data_list_json_has_every_record(capsys):
    assert cli.main(["data", "list", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 26
    first = json.loads(lines[0])
    assert {"name", "repo", "commit", "path", "sha256", "size", "license", "citation"} <= set(first)


def test_data_verify_and_fetch_on_the_mirror(mirror, capsys):
    assert cli.main(["data", "verify", "allen_dynes_43", "osaka_hydrides"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in out[:2]] == [["ok", "allen_dynes_43"], ["ok", "osaka_hydrides"]]
    assert out[-1] == "2 dataset(s): 2 ok"
    assert cli.main(["data", "fetch", "allen_dynes_43"]) == 0
    assert str(mirror.resolve()) in capsys.readouterr().out


def test_unknown_dataset_fails(capsys):
    assert cli.main(["data", "verify", "nope"]) == 1
    assert "unknown dataset" in capsys.readouterr().err
