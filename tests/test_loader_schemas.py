"""Every loader returns what its registry record says: row count, column names in order, dtypes.

One parametrised test over the registry (as matminer's dataset tests do); the counts live in
``reviewlib/data/registry/records.json``, not in the tests.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from reviewlib.data import _LOADERS, check_schema, get_record, load, records

WITH_SCHEMA = sorted(name for name, rec in records().items() if rec.loader is not None)


def test_every_loader_has_a_record_with_a_schema():
    assert {get_record(n).loader["function"] for n in WITH_SCHEMA} == set(_LOADERS)
    for name in WITH_SCHEMA:
        rec = get_record(name)
        assert rec.rows and rec.rows > 0 and rec.columns, name
        for col in rec.columns:
            assert set(col) >= {"name", "dtype", "unit", "description"} and col["description"], (name, col)
            assert col["name"] != "*" or col["count"] > 0
    # the folder of SODNet CIFs is read with its table; licenses and reference lists have no loader
    assert {n for n, r in records().items() if r.loader is None} == {
        "3dsc_license",
        "hennig_license",
        "hyllios_license",
        "jarvis_license",
        "matsml_license",
        "sodnet_hydride_cifs",
        "supercon3d_references",
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", WITH_SCHEMA)
def test_loader_matches_its_record(mirror, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # loaders warn about unparsed names; counted elsewhere
        frame = load(name)
    assert check_schema(name, frame) == []
    for col in get_record(name).columns:
        if col["dtype"] == "float64" and col["unit"] in ("K", "GPa") and "pred" not in col["name"]:
            values = frame[col["name"]].dropna()
            assert (values >= 0).all(), (
                f"{name}.{col['name']}: negative {col['unit']}"
            )  # ALIGNN may predict < 0


def test_check_schema_reports_rows_names_and_dtypes():
    frame = pd.DataFrame({"material": ["Nb"], "tc_K": [9.2], "omega_log_K": [1.5], "lambda": [1.0]})
    problems = check_schema("allen_dynes_43", frame)
    assert "1 rows, the registry says 43" in problems
    assert "4 columns, the registry lists 5" in problems
    assert "column 'omega_log_K' has dtype float64, the registry says int64" in problems
    renamed = frame.rename(columns={"tc_K": "Tc"})
    assert "column 'Tc' where the registry has 'tc_K'" in check_schema("allen_dynes_43", renamed)
