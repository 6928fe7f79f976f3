"""De-duplication policy on a hand-made table and on the Osaka DB."""

from __future__ import annotations

import pandas as pd
import pytest

from reviewlib.hydrides import compound_groups, deduplicate


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "formula": ["SH3", "S2H6", "SH3", "SH3", "SH3", "LaH10"],
            "space_group": [229, 229, 229, 229, 229, 225],
            "pressure_GPa": [200.0, 200.0, 200.0, 200.0, 250.0, 200.0],
            "mu_star": [0.10, 0.10, 0.13, 0.13, 0.13, None],
            "tc_K": [200.0, 210.0, 190.0, 180.0, 179.0, 250.0],
            "reference": ["a", "b", "a", "b", "a", "c"],
        }
    )


def test_closest_mu_star_then_mean_over_papers(table):
    out = deduplicate(frame=table).set_index(["compound", "pressure_GPa"])
    key_h3s, key_lah10 = compound_groups(formulas=["H3S", "LaH10"])
    assert len(out) == 3
    h3s = out.loc[(key_h3s, 200.0)]
    assert h3s["tc_K"] == pytest.approx(205.0)  # mean of the two mu* = 0.10 rows (papers a and b)
    assert h3s["mu_star"] == pytest.approx(0.10)
    assert h3s["n_merged"] == 4 and h3s["n_sources"] == 2
    assert out.loc[(key_h3s, 250.0), "tc_K"] == 179.0  # only row: mu* 0.13 kept
    assert out.loc[(key_lah10, 200.0), "tc_K"] == 250.0  # no mu*: kept as the only row


def test_keep_policy_gives_one_row_per_mu_star(table):
    out = deduplicate(frame=table, mu_star="keep")
    h3s = out[(out["compound"] == out["compound"].iloc[0]) & (out["pressure_GPa"] == 200.0)]
    assert sorted(h3s["mu_star"]) == [0.10, 0.13]
    assert h3s.set_index("mu_star").loc[0.13, "tc_K"] == pytest.approx(185.0)


def test_bad_policy_and_missing_columns(table):
    with pytest.raises(ValueError, match="mu_star"):
        deduplicate(frame=table, mu_star="mean")
    with pytest.raises(ValueError, match="tc_K"):
        deduplicate(frame=table.drop(columns="tc_K"))


def test_compound_groups_join_multiples():
    g = compound_groups(formulas=["SH3", "S2H6", "H3S", "LaH10"])
    assert g[0] == g[1] == g[2] != g[3]


def test_osaka_row_counts(mirror):
    from reviewlib.data.hydrides import load_osaka_hydrides

    raw = load_osaka_hydrides()
    closest, keep = deduplicate(frame=raw), deduplicate(frame=raw, mu_star="keep")
    assert len(closest) == 560 and len(keep) == 865
    assert closest["n_merged"].sum() == len(raw)
    key = ["compound", "space_group", "pressure_GPa"]
    assert not closest.assign(space_group=closest["space_group"].fillna(-1)).duplicated(key).any()
