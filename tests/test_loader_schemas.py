"""Every loader returns what its registry record says: row count, column names in order, dtypes.

One parametrised test over the registry (as matminer's dataset tests do); the counts live in
``reviewlib/data/registry/records.json``, not in the tests.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from reviewlib.data import _LOADERS, check_schema, get_record, load, records
from reviewlib.data.schema import QUANTITIES

# Osaka table: SiH4 at 610-800 GPa (doi:10.1038/srep08845) and ArH, ArH2, ArH4 at 1,000-2,000 GPa
# ("By T. Ishikawa"), above the 0-600 GPa of user tables
OUTSIDE_RANGE = {("osaka_hydrides", "pressure_GPa"): 19}
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
    # the user-table ranges of reviewlib.data.schema hold for the registry columns of those names,
    # except the rows listed here (reported, not widened: genuine predictions beyond the range)
    for column, quantity in QUANTITIES.items():
        if column in frame.columns:
            values = frame[column].dropna().astype(float)
            outside = values[(values < quantity.low) | (values > quantity.high)]
            assert len(outside) == OUTSIDE_RANGE.get((name, column), 0), (name, column, outside.tolist()[:5])


def test_check_schema_reports_rows_names_and_dtypes():
    frame = pd.DataFrame({"material": ["Nb"], "tc_K": [9.2], "omega_log_K": [1.5], "lambda": [1.0]})
    problems = check_schema("allen_dynes_43", frame)
    assert "1 rows, the registry says 43" in problems
    assert "4 columns, the registry lists 5" in problems
    assert "column 'omega_log_K' has dtype float64, the registry says int64" in problems
    renamed = frame.rename(columns={"tc_K": "Tc"})
    assert "column 'Tc' where the registry has 'tc_K'" in check_schema("allen_dynes_43", renamed)


def test_data_page_lists_the_user_table_ranges():
    from reviewlib.book.pages import data_page

    page = data_page()
    assert "## Your own tables: physical ranges" in page
    for column, quantity in QUANTITIES.items():
        assert (
            f"| `{column}` | {quantity.unit or 'dimensionless'} | {quantity.low:g}-{quantity.high:g} |"
            in page
        )
