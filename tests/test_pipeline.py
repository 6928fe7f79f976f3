"""The chapter-14 pipeline: calibrated intervals, discovery metrics, saved models and predict."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from reviewlib.pipeline import bundle as B
from reviewlib.pipeline import discovery as D
from reviewlib.pipeline.route import CouplingTc, summarise
from reviewlib.pipeline.uncertainty import IntervalModel, coverage


def test_interval_model_is_calibrated_on_heteroscedastic_data(rng):
    X = rng.uniform(-1, 1, size=(900, 3))
    y = X[:, 0] + rng.normal(0, 0.05 + 0.4 * (X[:, 1] > 0))  # noise 8x larger on one half
    m = IntervalModel(kind="xgb", rounds=300, seed=1).fit(X[:600], y[:600])
    lo, hi = m.interval(X[600:], level=0.9)
    assert abs(coverage(y[600:], lo, hi) - 0.9) < 0.06
    width = hi - lo
    assert width[X[600:, 1] > 0].mean() > 1.5 * width[X[600:, 1] <= 0].mean()  # local scale
    draws = m.sample(X[600:610], n_draws=400, rng=np.random.default_rng(0))
    assert draws.shape == (10, 400)


def test_gpr_base_model_gives_intervals(rng):
    X = rng.uniform(-1, 1, size=(90, 2))
    y = np.sin(3 * X[:, 0]) + rng.normal(0, 0.1, 90)
    m = IntervalModel(kind="gpr", seed=0).fit(X[:60], y[:60])
    lo, hi = m.interval(X[60:], level=0.95)
    assert coverage(y[60:], lo, hi) >= 0.8
    with pytest.raises(ValueError, match="kind"):
        IntervalModel(kind="svr").fit(X, y)


def test_top_k_metrics_by_hand():
    score = np.array([5.0, 4.0, 3.0, 2.0, 1.0, 0.0])
    pos = np.array([1, 0, 1, 0, 0, 0], bool)
    m = D.top_k_metrics(score=score, positive=pos, k=2)
    assert m["precision"] == 0.5 and m["recall"] == 0.5 and m["prevalence"] == pytest.approx(1 / 3)
    assert m["daf"] == pytest.approx(1.5)
    r = D.random_expectation(positive=pos, k=2)
    assert r["daf"] == 1.0 and r["precision"] == pytest.approx(1 / 3)
    assert D.n_top(1000, 0.05) == 50 and D.n_top(3, 0.05) == 1


def test_cluster_bootstrap_identical_rankings_tie(rng):
    s = rng.normal(size=200)
    pos = s + rng.normal(0, 0.5, 200) > 1
    clusters = np.repeat(np.arange(40), 5)
    tab = D.cluster_bootstrap_top_k(
        scores={"a": s, "b": s.copy(), "random": rng.normal(size=200)},
        positive=pos,
        clusters=clusters,
        frac=0.1,
        seed=0,
        n_boot=200,
        pairs=(("a", "b"), ("a", "random")),
    ).set_index("ranking")
    assert tab.loc["a - b", "value"] == 0 and tab.loc["a - b", "low"] == 0 == tab.loc["a - b", "high"]
    assert D.verdict_at_least(tab.loc["a - b"]) == "tie"
    assert D.verdict_at_least(tab.loc["a - random"]) == "better"
    assert tab.loc["a", "low"] <= tab.loc["a", "value"] <= tab.loc["a", "high"]


FORMULAS = [
    f"{a}{b}{n}"
    for a in ("Mg", "Ca", "Sr", "Nb", "Ti", "V", "Zr", "Mo")
    for b in ("B", "C", "N", "Si", "Al")
    for n in ("", "2", "3")
]


@pytest.fixture(scope="module")
def small_bundle(tmp_path_factory):
    """A model trained in seconds on 120 formulas with synthetic lambda, omega_log and Allen-Dynes Tc."""
    from reviewlib.epc_models import chained_tc
    from reviewlib.evaluation import chemical_system_groups

    gen = np.random.default_rng(3)
    frame = pd.DataFrame({"formula": FORMULAS})
    frame["pressure_GPa"] = gen.choice([0.0, 50.0], len(frame))
    X = B.feature_frame(frame["formula"], frame["pressure_GPa"], cache=False)
    light = 1 / X["MagpieData mean AtomicWeight"].to_numpy()
    frame["lambda"] = 0.3 + 15 * light + gen.normal(0, 0.05, len(frame)).clip(-0.2)
    frame["omega_log_K"] = 200 + 8000 * light + gen.normal(0, 20, len(frame))
    frame["tc_K"] = chained_tc(frame["lambda"], omega_log_K=frame["omega_log_K"], mu_star=0.1)
    frame["id"] = [f"s{i}" for i in range(len(frame))]
    frame["dataset"] = "synthetic"
    bundle = B.fit_bundle(X, frame, groups=chemical_system_groups(frame["formula"]), seed=0, rounds=40)
    folder = tmp_path_factory.mktemp("model")
    B.save_bundle(bundle, folder, card={"mode": "test", "data": [{"name": "synthetic", "sha256": "-"}]})
    return bundle, folder


def test_cluster_bootstrap_draws_the_resamples_published_before_the_shared_resampler():
    """Pinned on the commit before the clusters were drawn by ``cluster_resample_indices``
    (issue 25): clusters coded in order of appearance, each resample's clusters then its
    tie-breaking permutation from one generator.
    """
    r = np.random.default_rng(11)
    s = r.normal(size=120)
    pos = s + r.normal(0, 0.7, 120) > 0.8
    clusters = [f"c{k}" for k in r.integers(0, 30, 120)]
    tab = D.cluster_bootstrap_top_k(
        scores={"a": s, "b": np.round(s + r.normal(0, 1, 120))},
        positive=pos,
        clusters=clusters,
        frac=0.1,
        seed=3,
        n_boot=400,
        pairs=(("a", "b"),),
    ).set_index("ranking")
    assert tab["low"].tolist() == pytest.approx(
        [0.5384615384615384, 0.45454545454545453, -0.23076923076923073]
    )
    assert tab["high"].tolist() == pytest.approx([1.0, 1.0, 0.3076923076923077])
    assert tab.loc["a - b", "frac_a_better"] == 0.515
    with pytest.raises(ValueError, match="no cluster label"):
        D.cluster_bootstrap_top_k(
            scores={"a": s}, positive=pos, clusters=[None, *clusters[1:]], frac=0.1, seed=0, n_boot=10
        )


def test_bundle_round_trip_and_card(small_bundle):
    bundle, folder = small_bundle
    card = json.loads((folder / B.CARD_FILE).read_text())
    assert card["model_sha256"] == B.sha256_file(folder / B.MODEL_FILE)
    assert card["model_size_bytes"] < 5e6 and card["libraries"] == B.library_versions()
    loaded = B.load_bundle(folder)
    X = np.asarray(bundle.embedding[:0])  # noqa: F841 - the embedding survives the trip
    assert np.allclose(loaded.embedding, bundle.embedding)
    Xf = B.feature_frame(["MgB2", "NbN"], [0.0, 0.0], cache=False).to_numpy()
    a = summarise(bundle.coupling.draws(Xf, n_draws=50, seed=1))
    b = summarise(loaded.coupling.draws(Xf, n_draws=50, seed=1))
    pd.testing.assert_frame_equal(a, b, rtol=1e-5)
    assert (a["tc_chained_K_lo95"] <= a["tc_chained_K_median"]).all()
    assert (a["tc_chained_K_median"] <= a["tc_chained_K_hi95"]).all()


def test_load_refuses_altered_file_and_other_versions(small_bundle, tmp_path):
    import shutil

    _, folder = small_bundle
    copy = tmp_path / "m"
    shutil.copytree(folder, copy)
    with zipfile.ZipFile(copy / B.MODEL_FILE, "a") as zf:
        zf.writestr("extra.txt", "x")
    with pytest.raises(B.ModelError, match="sha256"):
        B.load_bundle(copy)
    shutil.rmtree(copy)
    shutil.copytree(folder, copy)
    card = json.loads((copy / B.CARD_FILE).read_text())
    card["libraries"]["xgboost"] = "0.1.0"
    (copy / B.CARD_FILE).write_text(json.dumps(card))
    with pytest.raises(B.ModelError, match="xgboost 0.1.0"):
        B.load_bundle(copy)


def test_predict_csv_skips_bad_rows_with_line_and_flags_domain(small_bundle, tmp_path):
    from reviewlib.pipeline import predict

    _, folder = small_bundle
    csv = tmp_path / "in.csv"
    csv.write_text("formula,pressure_GPa\nMgB2,0\nQq2,0\nNbC,-3\nLaH10,170\nCaN2,\n")
    table, skipped = predict(csv, model=folder, n_draws=50)
    assert list(table["formula"]) == ["MgB2", "LaH10"]
    assert list(skipped["line"]) == [3, 4, 6]
    assert all(str(csv) in r for r in skipped["reason"])
    row = table.set_index("formula")
    assert row.at["LaH10", "unknown_elements"] == "H,La" and not row.at["LaH10", "in_domain"]
    assert row.at["LaH10", "features_outside_range"] > 0
    assert "synthetic" in row.at["MgB2", "nearest_training"]
    for q in ("tc_K", "lambda", "omega_log_K"):
        assert (table[f"{q}_lo68"] <= table[f"{q}_hi68"]).all()
    with pytest.raises(ValueError, match="pressure_GPa"):
        (tmp_path / "bad.csv").write_text("formula\nMgB2\n")
        predict(tmp_path / "bad.csv", model=folder)


def test_predict_structure_folder(small_bundle, tmp_path):
    from pymatgen.core import Lattice, Structure

    from reviewlib.pipeline import predict

    _, folder = small_bundle
    s = Structure(
        Lattice.hexagonal(3.08, 3.52), ["Mg", "B", "B"], [[0, 0, 0], [1 / 3, 2 / 3, 0.5], [2 / 3, 1 / 3, 0.5]]
    )
    s.to(filename=str(tmp_path / "MgB2.cif"))
    s.to(filename=str(tmp_path / "POSCAR"), fmt="poscar")
    (tmp_path / "broken.cif").write_text("not a cif")
    table, skipped = predict(tmp_path, model=folder, pressure_GPa=0.0, n_draws=20)
    assert sorted(table["formula"]) == ["MgB2", "MgB2"]
    assert len(skipped) == 1 and "broken.cif" in skipped["reason"].iloc[0]


def test_no_model_names_the_command(monkeypatch, tmp_path):
    monkeypatch.setenv("REVIEWLIB_PUBLISHED_DIR", str(tmp_path / "pub"))
    monkeypatch.setenv("REVIEWLIB_RECORDS_DIR", str(tmp_path / "rec" / "records"))
    with pytest.raises(B.ModelError, match="reviewlib run 14_pipeline_future_superconductors"):
        B.find_model(None)


def test_cli_predict_and_list(small_bundle, tmp_path, monkeypatch, capsys):
    import shutil

    from reviewlib.book.cli import main

    _, folder = small_bundle
    csv = tmp_path / "in.csv"
    csv.write_text("formula,pressure_GPa\nMgB2,0\nbad!,0\n")
    out = tmp_path / "out.csv"
    assert main(["predict", str(csv), "--model", str(folder), "--out", str(out), "--n-draws", "20"]) == 0
    assert len(pd.read_csv(out)) == 1
    assert "bad!" in capsys.readouterr().err
    monkeypatch.setenv("REVIEWLIB_RECORDS_DIR", str(tmp_path / "run" / "records"))
    monkeypatch.setenv("REVIEWLIB_PUBLISHED_DIR", str(tmp_path / "pub"))
    assert main(["predict", "--list"]) == 1
    shutil.copytree(folder, tmp_path / "run" / "artifacts" / "model")
    assert main(["predict", "--list"]) == 0
    assert "synthetic" in capsys.readouterr().out
    assert main(["predict", str(csv)]) == 0  # default location found


def test_substitutions_are_isovalent():
    from pymatgen.core import Lattice, Structure

    from reviewlib.pipeline.structure import substitutions

    nacl = Structure.from_spacegroup("Fm-3m", Lattice.cubic(5.64), ["Na", "Cl"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    cands = substitutions(nacl, parent="NaCl")
    formulas = {c["formula"] for c in cands}
    assert {"LiCl", "KCl", "NaF", "NaBr"} <= formulas
    kcl = next(c for c in cands if c["formula"] == "KCl")["structure"]
    assert kcl.volume > nacl.volume


def test_coupling_requires_targets():
    with pytest.raises(ValueError, match="lacks columns"):
        CouplingTc().fit(np.zeros((10, 2)), pd.DataFrame({"lambda": np.ones(10)}))


def test_copula_rho_and_joint_draws(rng):
    from reviewlib.pipeline.route import copula_rho

    z = rng.normal(size=(2, 2000))
    b = 0.7 * z[0] + np.sqrt(1 - 0.49) * z[1]
    assert copula_rho(z[0], b) == pytest.approx(0.7, abs=0.05)
    assert copula_rho(z[0], z[1]) == pytest.approx(0.0, abs=0.06)
    assert copula_rho(None, b) == 0.0 and copula_rho(np.ones(10), np.arange(10.0)) == 0.0


def test_chained_draws_follow_the_error_correlation(small_bundle):
    bundle, folder = small_bundle
    Xf = B.feature_frame(["MgB2", "NbN", "CaC2"], [0.0] * 3, cache=False).to_numpy()
    c = bundle.coupling
    old = (c.rho, c.correlated)
    try:
        c.rho, c.correlated = -0.8, True
        d = c.draws(Xf, n_draws=4000, seed=0)
        r = np.corrcoef(np.log(d["lambda"][0]), np.log(d["omega_log_K"][0]))[0, 1]
        assert r < -0.6
        c.correlated = False
        d = c.draws(Xf, n_draws=4000, seed=0)
        r = np.corrcoef(np.log(d["lambda"][0]), np.log(d["omega_log_K"][0]))[0, 1]
        assert abs(r) < 0.1
    finally:
        c.rho, c.correlated = old
    assert -1 < bundle.coupling.rho < 1
    assert B.load_bundle(folder).coupling.rho == pytest.approx(bundle.coupling.rho)


def test_eliashberg_route_in_predict(small_bundle):
    from reviewlib.pipeline import predict
    from reviewlib.pipeline.route import eliashberg_route
    from reviewlib.tc.eliashberg import einstein_spectrum

    spec = einstein_spectrum(omega_E_K=500.0, lam=1.0)
    res = eliashberg_route(spec, mu_star_range=(0.10, 0.13))
    assert res["lambda_a2f"] == pytest.approx(1.0, rel=0.02)
    assert res["tc_eliashberg_K_low"] <= res["tc_eliashberg_K_median"] <= res["tc_eliashberg_K_high"]
    assert 20 < res["tc_eliashberg_K_median"] < 60  # Einstein 500 K, lambda 1: ~ 30-40 K
    bundle, _ = small_bundle
    rows = pd.DataFrame({"formula": ["MgB2", "NbN"], "pressure_GPa": [0.0, 0.0]})
    table, _s = predict(rows, model=bundle, n_draws=20, spectra={"B2Mg": spec})
    t = table.set_index("formula")
    assert t.at["MgB2", "tc_eliashberg_K_median"] == pytest.approx(res["tc_eliashberg_K_median"])
    assert np.isnan(t.at["NbN", "tc_eliashberg_K_median"])
    with pytest.raises(ValueError, match="matches no predicted row"):
        predict(rows, model=bundle, n_draws=20, spectra={"LaH10": spec})


def test_predict_flags_training_rows(small_bundle):
    from reviewlib.pipeline import predict

    bundle, _ = small_bundle
    r = bundle.train.iloc[0]
    rows = pd.DataFrame({"formula": [r["formula"], "NbC3"], "pressure_GPa": [r["pressure_GPa"], 7.0]})
    table, _ = predict(rows, model=bundle, n_draws=20)
    assert list(table["in_training"]) == [True, False]
    assert table["training_tc_K"].iloc[0] == pytest.approx(r["tc_K"])


def test_single_feature_is_chosen_inside_the_training_folds(rng):
    X = pd.DataFrame(rng.normal(size=(300, 5)), columns=list("abcde"))
    X["pressure_GPa"] = 0.0
    y = -3 * X["c"].to_numpy() + rng.normal(0, 0.3, 300)
    fold = np.arange(300) % 5
    scores, chosen = D.single_feature_scores(X, y, fold)
    assert set(chosen["feature"]) == {"c"} and (chosen["sign"] == -1).all()
    assert np.allclose(scores, -X["c"])
    y2 = y.copy()
    y2[fold == 0] = 50 * X["a"].to_numpy()[fold == 0]  # only the held-out fold follows "a"
    _, chosen2 = D.single_feature_scores(X, y2, fold)
    assert chosen2.set_index("fold").at[0, "feature"] == "c"  # fold 0's own labels unused


def test_leakage_report_counts_split_compositions():
    X = np.arange(12, dtype=float).reshape(6, 2)
    rep, nn = D.leakage_report(
        X=X,
        formulas=["MgB2", "B2Mg", "NbN", "NbN", "CaC6", "TiN"],
        pressures_GPa=[0, 0, 0, 10, 0, 0],
        groups=["a", "b", "c", "c", "d", "e"],
        fold=[0, 1, 0, 1, 0, 1],
    )
    assert rep["groups_split"] == 1 and rep["compositions_split"] == 2
    assert rep["duplicates_split"] == 1 and rep["duplicate_rows"] == 2
    assert nn.shape == (6,) and (nn >= 0).all()


def test_datamined_substitutions_offline():
    from pymatgen.core import Lattice, Structure

    from reviewlib.pipeline.structure import datamined_substitutions

    nbn = Structure.from_spacegroup("Fm-3m", Lattice.cubic(4.39), ["Nb", "N"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    cands, why = datamined_substitutions(nbn, parent="NbN", threshold=1e-3)
    assert why == "" and cands
    assert all(c["probability"] > 1e-3 and c["formula"] != "NbN" for c in cands)
    assert len({c["formula"] for c in cands}) == len(cands)
    mgb2 = Structure(
        Lattice.hexagonal(3.08, 3.52), ["Mg", "B", "B"], [[0, 0, 0], [1 / 3, 2 / 3, 0.5], [2 / 3, 1 / 3, 0.5]]
    )
    none, why = datamined_substitutions(mgb2, parent="MgB2")
    assert none == [] and "oxidation" in why


def test_retrospective_scores_records_and_claim_values(small_bundle, tmp_path, monkeypatch):
    from reviewlib.book import claims, results

    bundle, _ = small_bundle
    frame = bundle.train.copy()
    X = B.feature_frame(frame["formula"], frame["pressure_GPa"], cache=False)
    from reviewlib.evaluation import group_labels

    r = D.Retrospective(
        X, frame, groups=group_labels("chemical system", frame["formula"]), seed=0, rounds=30, n_draws=40
    )
    assert r.leakage["groups_split"] == 0
    tab = r.table(threshold=float(np.median(frame["tc_K"])), frac=0.1, n_boot=50)
    assert set(tab.index) >= {D.CHAINED, D.DIRECT, D.MASS, D.BEST_FEATURE, D.RANDOM}
    assert tab.at[D.RANDOM, "DAF"] == 1.0
    cov = r.coverage()
    assert 0 <= cov.at["Tc chained (K)", "95 %"] <= 1
    v = r.claim_values(threshold=float(np.median(frame["tc_K"])), frac=0.1, n_boot=50)
    assert v["verdict"] in ("better", "tie", "worse") and isinstance(v["enriches"], bool)
    assert v["beats"] == (v["verdict"] == "better")  # the stricter reading of the claim
    assert D.PAIR_FEATURE in r.pooled(threshold=5.0, frac=0.1, n_boot=20).index
    m = r.mae_comparison(n_boot=50)  # like for like: held-out MAE of the Tc medians (K)
    y = frame["tc_K"].to_numpy(float)
    assert m["mae_chained"] == pytest.approx(np.mean(np.abs(r.scores[D.CHAINED] - y)))
    assert m["diff"] == pytest.approx(m["mae_chained"] - m["mae_direct"])
    assert m["low"] <= m["high"]
    monkeypatch.setenv("REVIEWLIB_NOTEBOOK", "14_pipeline_future_superconductors")
    for row in r.result_rows(
        dataset="synthetic", split="grouped by chemical system", threshold=5.0, frac=0.1, n_boot=20
    ):
        results.record(**row)
    got = results.load()
    got = got[got["dataset"] == "synthetic"]
    assert {"precision", "recall", "daf", "coverage"} <= set(got["metric"])
    assert (
        got[got["metric"] == "daf"]["baseline"].any() and got[got["metric"] == "coverage"]["baseline"].any()
    )
    assert claims._recording


@pytest.mark.slow
def test_notebook_on_a_user_table_with_the_documented_command(tmp_path):
    """The exact papermill command of the chapter's "Use your own data" section."""
    import subprocess
    import sys
    from pathlib import Path

    import nbformat

    repo = Path(__file__).resolve().parents[1]
    mine = tmp_path / "my_candidates.csv"
    mine.write_text("formula,pressure_GPa\nLaH10,170\nMgB2,0\nXx2,0\n")
    papermill = Path(sys.executable).with_name("papermill")
    cmd = [
        str(papermill), "-k", "python3",
        str(repo / "notebooks" / "14_pipeline_future_superconductors.ipynb"), str(tmp_path / "my_run.ipynb"),
        "-p", "table_csv", str(mine), "-p", "mode", "fast",
    ]  # fmt: skip
    env = {**__import__("os").environ, "REVIEWLIB_RECORDS_DIR": str(tmp_path / "records")}
    subprocess.run(cmd, check=True, cwd=tmp_path, env=env, capture_output=True)
    nb = nbformat.read(tmp_path / "my_run.ipynb", as_version=4)
    text = "\n".join(
        o.get("text", "") + o.get("data", {}).get("text/plain", "")
        for c in nb.cells
        for o in c.get("outputs", [])
    )
    assert "2 of your candidates predicted, 1 skipped" in text
    assert "Xx2" in text
    assert not (tmp_path / "records").exists() or not any((tmp_path / "records").rglob("*.json"))


def test_make_candidates_merges_routes_and_filters_known():
    from pymatgen.core import Lattice, Structure

    from reviewlib.chem import composition_key, parse_formula
    from reviewlib.pipeline import screen as S

    mgb2 = Structure(
        Lattice.hexagonal(3.08, 3.52), ["Mg", "B", "B"], [[0, 0, 0], [1 / 3, 2 / 3, 0.5], [2 / 3, 1 / 3, 0.5]]
    )
    nbn = Structure.from_spacegroup("Fm-3m", Lattice.cubic(4.39), ["Nb", "N"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    protos = pd.DataFrame(
        {"structure": [mgb2, nbn], "formula": ["MgB2", "NbN"], "mat_id": ["a", "b"], "tc_K": [39.0, 16.0]}
    )
    known = {composition_key(parse_formula("CaB2"))}
    cands, log = S.make_candidates(protos, known=known, n_candidates=6, n_prototypes=1, seed=0)
    formulas = [c["formula"] for c in cands]
    assert "CaB2" not in formulas and len(set(formulas)) == len(formulas)
    routes = {c["route"].split(" (")[0] for c in cands}
    assert {"isovalent same-group neighbour", "data-mined"} <= routes
    assert all(c["prototype_index"] == 1 for c in cands if c["route"].startswith("data-mined"))
    assert list(log["prototype"].str[:4]) == ["MgB2", "NbN "]


def test_gpaw_check_notes_what_it_does_not_compute():
    """Rows below the top, unconverged relaxations and cells too large for two cores are
    noted, never dropped, and no calculation starts for them.
    """
    from pymatgen.core import Lattice, Structure

    from reviewlib.pipeline import screen as S

    rng = np.random.default_rng(0)  # 16 atoms at random positions: no smaller primitive cell
    big = Structure(Lattice.cubic(10.0), ["Na", "Cl"] * 8, rng.random((16, 3)))
    ranked = pd.DataFrame(
        {
            "formula": ["NaCl", "X", "Y"],
            "relaxation": ["ok", "failed", "ok"],
            "structure_index": [0, 1, 2],
            "caveats": ["c"] * 3,
        }
    )
    out = S.gpaw_check(ranked, [big, None, None], n_gpaw=1)
    assert len(out) == 3 and out["dft_pressure_GPa"].isna().all()
    assert out.at[0, "dft_note"].startswith("not checked: 16 atoms")
    assert out.at[1, "dft_note"] == out.at[2, "dft_note"] == "not checked (below the top)"
    assert "dft_pressure_GPa" not in ranked.columns  # a copy: the caller's table is unchanged
    off = S.gpaw_check(ranked, [big, None, None], n_gpaw=0)
    assert (off["dft_note"] == "GPAW check off in this run").all()


def test_retrospectives_in_parallel_equal_the_serial_tests(small_bundle):
    """One joblib batch over the folds of several alternatives gives exactly the serial tests."""
    from reviewlib.evaluation import group_labels

    bundle, _ = small_bundle
    frame = bundle.train.copy()
    X = B.feature_frame(frame["formula"], frame["pressure_GPa"], cache=False)
    alts = {
        "seed 1": {"groups": group_labels("chemical system", frame["formula"]), "seed": 1},
        "by composition": {"groups": group_labels("composition", frame["formula"]), "seed": 0},
    }
    par = D.retrospectives(X, frame, alternatives=alts, rounds=20, n_draws=30, n_jobs=2)
    assert list(par) == list(alts)
    t = float(np.median(frame["tc_K"]))
    for name, alt in alts.items():
        ser = D.Retrospective(X, frame, groups=alt["groups"], seed=alt["seed"], rounds=20, n_draws=30)
        pd.testing.assert_frame_equal(par[name].summ, ser.summ, check_exact=True)
        np.testing.assert_array_equal(par[name].fold, ser.fold)
        for k, s in ser.scores.items():
            np.testing.assert_array_equal(par[name].scores[k], s)
        assert par[name].claim_values(threshold=t, frac=0.1, n_boot=30) == ser.claim_values(
            threshold=t, frac=0.1, n_boot=30
        )
    # the folds of one test in parallel: the same summary again
    one = D.Retrospective(X, frame, groups=alts["seed 1"]["groups"], seed=1, rounds=20, n_draws=30, n_jobs=2)
    pd.testing.assert_frame_equal(one.summ, par["seed 1"].summ, check_exact=True)
    with pytest.raises(ValueError, match="needs exactly 'groups' and 'seed'"):
        D.retrospectives(X, frame, alternatives={"x": {"seed": 0}}, rounds=20, n_draws=30)


def test_pooled_is_computed_once_per_choice(small_bundle, monkeypatch):
    """table, result_rows and claim_values at one choice share one cluster bootstrap."""
    from reviewlib.evaluation import group_labels

    bundle, _ = small_bundle
    frame = bundle.train.copy()
    X = B.feature_frame(frame["formula"], frame["pressure_GPa"], cache=False)
    r = D.Retrospective(
        X, frame, groups=group_labels("chemical system", frame["formula"]), seed=0, rounds=20, n_draws=30
    )
    first = r.pooled(threshold=5.0, frac=0.1, n_boot=40)
    calls = []
    real = D.cluster_bootstrap_top_k
    monkeypatch.setattr(D, "cluster_bootstrap_top_k", lambda **kw: calls.append(kw) or real(**kw))
    pd.testing.assert_frame_equal(r.pooled(threshold=5.0, frac=0.1, n_boot=40), first, check_exact=True)
    r.table(threshold=5.0, frac=0.1, n_boot=40)
    assert calls == []
    r.pooled(threshold=5.0, frac=0.1, n_boot=40, mask=np.ones(len(frame), bool))  # a mask: computed
    r.pooled(threshold=5.0, frac=0.2, n_boot=40)
    assert len(calls) == 2


def test_pooled_many_in_parallel_equals_pooled_one_by_one(small_bundle):
    from reviewlib.evaluation import group_labels

    bundle, _ = small_bundle
    frame = bundle.train.copy()
    X = B.feature_frame(frame["formula"], frame["pressure_GPa"], cache=False)
    groups = group_labels("chemical system", frame["formula"])
    r = D.Retrospective(X, frame, groups=groups, seed=0, rounds=20, n_draws=30)
    choices = [(r, 5.0, 0.1), (r, 5.0, 0.2), (r, 10.0, 0.1), (r, 5.0, 0.1)]  # one twice
    serial = [r.pooled(threshold=t, frac=f, n_boot=40) for _, t, f in choices]
    r._pooled.clear()
    D.pooled_many(choices, n_boot=40, n_jobs=2)
    assert len(r._pooled) == 3
    for (_, t, f), want in zip(choices, serial, strict=True):
        pd.testing.assert_frame_equal(r.pooled(threshold=t, frac=f, n_boot=40), want, check_exact=True)
