"""Rules written into reported rows for chapters 02 and 03 agree with the reported values."""

from __future__ import annotations

import math
import re

from reviewlib.book import claims


def _row(claim_id: str):
    return claims.reported().set_index("claim_id").loc[claim_id]


def test_zhang_scale_free_rmse_rule_matches_the_reported_pairs():
    # each RMSE claim names the Tc spread implied by Zhang's own (RMSE, R^2) pair
    pairs = {
        "zhang2022.xgbr_soap_rmse": "zhang2022.rfr_soap_r2",
        "zhang2022.elemental_best_rmse": "zhang2022.elemental_best_r2",
    }
    for rmse_id, r2_id in pairs.items():
        rmse, r2 = float(_row(rmse_id)["value"]), float(_row(r2_id)["value"])
        sigma = rmse / math.sqrt(1 - r2)
        note = _row(rmse_id)["note"]
        stated = float(re.search(r"r x ([0-9.]+) K", note).group(1))
        assert abs(stated - sigma) < 0.005, (rmse_id, stated, sigma)
        ratio = float(re.search(r"comparison is thus of r with [0-9.]+/[0-9.]+ = ([0-9.]+)", note).group(1))
        assert abs(ratio - rmse / sigma) < 0.0005
        assert _row(rmse_id)["comparison"] == "rel" and float(_row(rmse_id)["tolerance"]) == 0.08


def test_stanev_count_claim_is_a_count_of_the_file():
    row = _row("stanev2018.more_than_12000_superconductors")
    assert row["kind"] == "count" and row["our_basis"] == "data"
    assert "every row of the file" in row["note"]
