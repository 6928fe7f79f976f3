import numpy as np
import pandas as pd
import pytest
from ase.calculators.calculator import Calculator, all_changes
from pymatgen.core import Lattice, Structure

from reviewlib.search import generate, hull, relax, store


def fluorite(a=5.03):
    return Structure.from_spacegroup("Fm-3m", Lattice.cubic(a), ["Lu", "H"], [[0, 0, 0], [0.25, 0.25, 0.25]])


# ---------------------------------------------------------------- generation


def test_random_candidates_are_seeded_and_have_the_composition():
    a = generate.random_candidates(compositions=["LuH2"], formula_units=[1, 2], n_per_composition=3, seed=7)
    b = generate.random_candidates(compositions=["LuH2"], formula_units=[1, 2], n_per_composition=3, seed=7)
    assert [c["id"] for c in a] == [c["id"] for c in b]
    assert len(a) == 6
    for ca, cb in zip(a, b, strict=True):
        assert ca["spacegroup_requested"] == cb["spacegroup_requested"]
        if ca["structure"] is not None:
            assert ca["structure"].composition.reduced_formula == "LuH2"
            assert np.allclose(ca["structure"].frac_coords, cb["structure"].frac_coords)
    n_atoms = {len(c["structure"]) for c in a if c["structure"] is not None}
    assert n_atoms <= {3, 6}
    other = generate.random_candidates(compositions=["LuH2"], formula_units=[1], n_per_composition=3, seed=8)
    assert {c["id"] for c in other}.isdisjoint({c["id"] for c in a})


def test_incompatible_spacegroup_is_a_reason_not_an_exception():
    # 1 Lu + 2 H per primitive cell cannot fill Fm-3m's Wyckoff sites with 2 H in an fcc cell? it can (8c);
    # 1 Lu + 1 H in Ia-3d (smallest orbit 16 per conventional cell) cannot.
    cand = generate.build_candidate(cid="x", species=["Lu", "H"], counts=(1, 1), spacegroup=230, seed=1)
    assert cand["structure"] is None
    assert "230" in cand["reason"]


def test_bad_composition_raises_naming_it():
    with pytest.raises(ValueError, match="LuH2.5"):
        generate.random_candidates(compositions=["LuH2.5"], n_per_composition=1)
    with pytest.raises(ValueError, match="Xx"):
        generate.random_candidates(compositions=["Xx2"], n_per_composition=1)


def test_max_atoms_leaves_out_large_cells():
    c = generate.random_candidates(
        compositions=["LuH3"], formula_units=[1, 4], n_per_composition=2, max_atoms=8
    )
    assert {x["formula_units"] for x in c} == {1}


# ---------------------------------------------------------------- relaxation faults (no MLIP needed)


def test_overlapping_atoms_are_skipped_with_reason():
    s = Structure(Lattice.cubic(4.0), ["Lu", "H"], [[0, 0, 0], [0.02, 0, 0]])
    row, final = relax.relax_structure(structure=s, calc=object(), cid="o")
    assert final is None and row["status"] == "skipped"
    assert "overlapping" in row["reason"]


def test_uncovered_element_is_skipped_with_reason():
    s = Structure(Lattice.cubic(4.0), ["Og", "H"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    row, final = relax.relax_structure(structure=s, model="chgnet", cid="og")
    assert final is None and "outside the training set" in row["reason"] and "Og" in row["reason"]


class _Exploding(Calculator):
    """An ASE calculator whose energy becomes NaN: the relaxation must be reported as diverged."""

    implemented_properties = ["energy", "forces", "stress"]

    def calculate(self, atoms=None, properties=None, system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        n = len(self.atoms)
        self.results = {"energy": float("nan"), "forces": np.full((n, 3), np.nan), "stress": np.zeros(6)}


class _Harmonic(Calculator):
    """Springs to the starting sites plus a bulk-modulus term with minimum at v0 (a fake MLIP)."""

    implemented_properties = ["energy", "forces", "stress"]

    def __init__(self, v0):
        super().__init__()
        self.v0 = v0
        self.ref = None

    def calculate(self, atoms=None, properties=None, system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        atoms = self.atoms
        n = len(atoms)
        v = atoms.get_volume() / n
        b = 0.5  # eV/Å^3
        energy = 0.5 * b * n * (v - self.v0) ** 2 / self.v0
        stress = b * (v - self.v0) / self.v0
        if self.ref is None:
            self.ref = atoms.get_scaled_positions()
        d = atoms.get_scaled_positions() - self.ref
        d -= np.round(d)
        cart = d @ np.asarray(atoms.cell)
        energy += 0.5 * np.sum(cart**2)
        self.results = {"energy": energy, "forces": -cart, "stress": np.array([stress] * 3 + [0.0] * 3)}


def test_diverging_relaxation_is_skipped_with_reason():
    row, final = relax.relax_structure(
        structure=fluorite().get_primitive_structure(), calc=_Exploding(), cid="x"
    )
    assert final is None and row["status"] == "skipped" and "diverged" in row["reason"]


def test_relaxation_with_a_model_potential_finds_its_minimum_and_pv_term():
    s = fluorite(5.3).get_primitive_structure()
    row, final = relax.relax_structure(
        structure=s, calc=_Harmonic(5.03**3 / 12), fmax=1e-3, max_steps=2000, cid="h"
    )
    assert row["status"] == "ok", row
    assert row["volume_A3_per_atom"] == pytest.approx(5.03**3 / 12, rel=2e-3)
    # at 10 GPa the cell shrinks and H = E + PV
    row10, _ = relax.relax_structure(
        structure=s, calc=_Harmonic(5.03**3 / 12), pressure_GPa=10.0, fmax=1e-3, max_steps=2000, cid="h10"
    )
    assert row10["volume_A3_per_atom"] < row["volume_A3_per_atom"]
    pv = 10.0 * relax.GPA_IN_EV_PER_A3 * row10["volume_A3_per_atom"]
    assert row10["enthalpy_eV_per_atom"] == pytest.approx(row10["energy_eV_per_atom"] + pv, rel=1e-9)


# ---------------------------------------------------------------- hull and dedupe


def _rows(entries):
    return pd.DataFrame(
        [
            dict(id=i, composition=c, formula=f, pressure_GPa=0.0, status="ok", enthalpy_eV_per_atom=h)
            for i, c, f, h in entries
        ]
    )


def test_hull_energies_against_hand_computed_values():
    frame = _rows(
        [
            ("lu", "Lu", "Lu2", -4.0),
            ("h", "H2", "H2", -3.0),
            ("luh2", "LuH2", "LuH2", -4.0),  # formation: -4 - (1/3*-4 + 2/3*-3) = -0.6667
            ("luh", "LuH", "LuH", -3.5),  # hull at x_H=1/2 between Lu and LuH2: -4*... see below
        ]
    )
    rows, diagram = hull.hull_table(results=frame, pressure_GPa=0.0)
    by = rows.set_index("id")
    assert by.loc["luh2", "formation_enthalpy_eV_per_atom"] == pytest.approx(-2 / 3)
    assert by.loc["luh2", "on_hull"] and by.loc["lu", "on_hull"]
    # hull at x_H = 1/2: mix Lu (x=0) and LuH2 (x=2/3) -> formation -2/3 * (1/2)/(2/3) = -0.5 eV/atom;
    # LuH formation = -3.5 - (-3.5) = 0 -> 500 meV/atom above the hull
    assert by.loc["luh", "e_above_hull_meV_per_atom"] == pytest.approx(500.0)


def test_hull_needs_elemental_references():
    frame = _rows([("lu", "Lu", "Lu", -4.0), ("luh2", "LuH2", "LuH2", -4.0)])
    with pytest.raises(ValueError, match=r"\['H'\]"):
        hull.hull_table(results=frame, pressure_GPa=0.0)


def test_deduplicate_marks_the_same_structure_found_twice():
    s = fluorite().get_primitive_structure()
    rotated = s.copy()
    rotated.perturb(0.001, min_distance=0.0005) if hasattr(rotated, "perturb") else None
    other = Structure.from_spacegroup("Pm-3m", Lattice.cubic(3.5), ["Lu", "H"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    other = Structure(other.lattice, ["Lu", "H", "H"], [[0, 0, 0], [0.5, 0.5, 0.5], [0.5, 0, 0]])
    structures = {"a": s, "b": rotated, "c": other}
    frame = _rows([("a", "LuH2", "LuH2", -4.0), ("b", "LuH2", "LuH2", -3.995), ("c", "LuH2", "LuH2", -3.999)])
    out = hull.deduplicate(results=frame, structure_of=lambda r: structures[r["id"]]).set_index("id")
    assert out.loc["b", "duplicate_of"] == "a"
    assert out.loc["c", "duplicate_of"] == ""
    assert out.loc["a", "multiplicity"] == 2


# ---------------------------------------------------------------- store: resume and joblib/dask


def _batched(fake_relax):
    """A fake relax_structures from a fake relax_structure (the store relaxes chunks of structures)."""

    def fake_relax_structures(*, structures, pressure_GPa, model, fmax, max_steps, cids, **kwargs):
        return [
            fake_relax(structure=s, pressure_GPa=p, model=model, fmax=fmax, max_steps=max_steps, cid=c)
            for s, p, c in zip(structures, pressure_GPa, cids, strict=True)
        ]

    return fake_relax_structures


def test_store_records_generation_failures_and_resumes(tmp_path, monkeypatch):
    calls = []

    def fake_relax(*, structure, pressure_GPa, model, fmax, max_steps, cid, **kwargs):
        calls.append((cid, pressure_GPa))
        row = dict.fromkeys(relax.RESULT_COLUMNS)
        row.update(
            id=cid,
            composition=structure.composition.reduced_formula,
            formula="LuH2",
            n_atoms=3,
            pressure_GPa=pressure_GPa,
            model=model,
            status="ok",
            converged=True,
            reason="",
            enthalpy_eV_per_atom=-4.0,
            energy_eV_per_atom=-4.0,
            steps=1,
        )
        return row, structure

    monkeypatch.setattr(store, "relax_structures", _batched(fake_relax))
    s = fluorite().get_primitive_structure()
    cands = [
        {"id": "a", "structure": s, "composition": "LuH2", "formula": "LuH2", "spacegroup_requested": 225},
        {
            "id": "b",
            "structure": None,
            "composition": "LuH2",
            "formula": "LuH2",
            "spacegroup_requested": 230,
            "reason": "pyxtal: cannot",
        },
    ]
    t1 = store.run_search(
        candidates=cands[:1], store=tmp_path, pressures_GPa=[0, 1], n_jobs=1, progress=False
    )
    assert len(t1) == 2 and len(calls) == 2
    t2 = store.run_search(candidates=cands, store=tmp_path, pressures_GPa=[0, 1], n_jobs=1, progress=False)
    assert len(calls) == 2  # nothing relaxed twice
    assert len(t2) == 4
    skipped = t2[t2["id"] == "b"]
    assert (skipped["status"] == "skipped").all() and (skipped["reason"] == "pyxtal: cannot").all()
    back = store.read_structure(store=tmp_path, cid="a", pressure_GPa=1)
    assert back.composition.reduced_formula == "LuH2"


def test_store_deals_chunks_that_do_not_depend_on_workers_or_resuming(tmp_path, monkeypatch):
    """Chunks are dealt like cards (each gets its share of a sorted list), the same for any number of
    workers and for a resumed store; the table keeps the order of the candidates.
    """
    chunks = []

    def fake_relax_structures(*, structures, pressure_GPa, model, fmax, max_steps, cids, **kwargs):
        chunks.append(list(cids))
        out = []
        for s, p, c in zip(structures, pressure_GPa, cids, strict=True):
            row = dict.fromkeys(relax.RESULT_COLUMNS)
            row.update(id=c, pressure_GPa=p, model=model, status="ok", converged=True, reason="", steps=1)
            out.append((row, s))
        return out

    monkeypatch.setattr(store, "relax_structures", fake_relax_structures)
    s = fluorite().get_primitive_structure()
    cands = [{"id": f"c{i:02d}", "structure": s} for i in range(9)]
    cands.insert(4, {"id": "none", "structure": None, "reason": "pyxtal: cannot"})
    kw = dict(candidates=cands, pressures_GPa=[0.0], batch_size=2, progress=False)
    # 9 structures in chunks of at most 4: 3 chunks dealt over the list, in 2 rounds on 2 workers
    from joblib import parallel_config

    with parallel_config(backend="threading"):  # the fake relax_structures reaches the workers
        t = store.run_search(store=tmp_path / "two", n_jobs=2, **kw)
    dealt = [["c00", "c03", "c06"], ["c01", "c04", "c07"], ["c02", "c05", "c08"]]
    assert sorted(chunks) == dealt
    # rows are written per round (chunks 1-2, then 3), in the order of the candidates within a round
    assert list(t["id"]) == ["c00", "c01", "c03", "none", "c04", "c06", "c07", "c02", "c05", "c08"]
    chunks.clear()
    store.run_search(store=tmp_path / "one", n_jobs=1, **kw)
    assert chunks == dealt  # the same batches on one worker
    # a resumed store: the relaxations not yet done keep the chunks they would have had
    part = tmp_path / "one" / "results.csv"
    table = pd.read_csv(part)
    table[table["id"].isin(["c00", "c01", "c02", "none"])].to_csv(part, index=False)
    chunks.clear()
    t = store.run_search(store=tmp_path / "one", n_jobs=1, **kw)
    assert chunks == [["c03", "c06"], ["c04", "c07"], ["c05", "c08"]]
    assert sorted(t["id"]) == sorted(c["id"] for c in cands)


def test_store_refuses_a_foreign_table(tmp_path):
    (tmp_path / "results.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="results.csv"):
        store.read_results(tmp_path)


# ---------------------------------------------------------------- real MLIP, joblib and dask.distributed


@pytest.mark.slow
def test_search_on_a_dask_cluster_matches_the_local_run(tmp_path):
    """A handful of real CHGNet relaxations: the dask.distributed backend gives the local results."""
    distributed = pytest.importorskip("distributed")
    from joblib import parallel_config

    cands = [
        c
        for c in generate.random_candidates(compositions=["LuH2"], n_per_composition=3, seed=3)
        if c["structure"]
    ]
    assert len(cands) >= 2
    kw = dict(candidates=cands, pressures_GPa=[0.0], fmax=0.2, max_steps=15, progress=False)
    local = store.run_search(store=tmp_path / "local", n_jobs=1, **kw)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster:
        with distributed.Client(cluster), parallel_config(backend="dask"):
            remote = store.run_search(store=tmp_path / "dask", n_jobs=2, **kw)
    cols = ["id", "status", "steps", "enthalpy_eV_per_atom", "volume_A3_per_atom"]
    a = local[cols].sort_values("id").reset_index(drop=True)
    b = remote[cols].sort_values("id").reset_index(drop=True)
    assert (a["status"] != "skipped").sum() >= 3, a  # a random cell may be skipped (reason in the table)
    pd.testing.assert_frame_equal(a, b, check_exact=False, atol=1e-5)
    assert a["enthalpy_eV_per_atom"].dropna().between(-8, -2).all()  # LuH2 near -4.5 eV/atom with CHGNet


def test_best_per_composition_keeps_whole_rows():
    rows = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "composition": ["LuH2", "LuH2", "Lu"],
            "spacegroup_requested": [np.nan, 12, 194],
            "e_above_hull_meV_per_atom": [0.0, 40.0, 0.0],
        }
    )
    best = hull.best_per_composition(rows).set_index("id")
    assert list(best.index) == ["a", "c"]
    assert np.isnan(best.loc["a", "spacegroup_requested"])  # not filled in from row b


# ---------------------------------------------------------------- two-stage search


def test_two_stage_search_refines_the_lowest_distinct_structures_and_resumes(tmp_path, monkeypatch):
    from reviewlib.search import screen

    # enthalpy of a candidate: a fixed number per id; the screening shrinks the cell by 1 %
    enthalpy = {"a": -4.00, "b": -4.10, "c": -4.1005, "d": -3.90, "e": -4.05, "n": -5.0}
    calls = []

    def fake_relax(*, structure, pressure_GPa, model, fmax, max_steps, cid, **kwargs):
        calls.append((cid, fmax, max_steps, round(structure.volume, 6)))
        row = dict.fromkeys(relax.RESULT_COLUMNS)
        comp = structure.composition
        row.update(
            id=cid,
            composition=comp.reduced_formula,
            formula=comp.formula.replace(" ", ""),
            n_atoms=len(structure),
            pressure_GPa=pressure_GPa,
            model=model,
            status="ok",
            converged=True,
            reason="",
            enthalpy_eV_per_atom=enthalpy[cid] - (0.01 if fmax < 0.1 else 0.0),
            energy_eV_per_atom=enthalpy[cid],
            steps=1,
        )
        return row, structure.copy().scale_lattice(structure.volume * 0.99)

    monkeypatch.setattr(store, "relax_structures", _batched(fake_relax))
    s = fluorite().get_primitive_structure()
    lun = Structure.from_spacegroup("Fm-3m", Lattice.cubic(4.77), ["Lu", "N"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    cands = [{"id": i, "structure": s.copy()} for i in "abcde"] + [
        {"id": "n", "structure": lun.get_primitive_structure()}
    ]
    out = screen.two_stage_search(
        candidates=cands, store=tmp_path, per_composition=2, n_jobs=1, progress=False
    )
    assert out["n_screened"] == 6 and out["n_refined"] == 3
    refined = out["refined"]
    # b and c are 0.5 meV/atom apart (one minimum): c and e are the two lowest distinct LuH2
    assert sorted(refined["id"]) == ["c", "e", "n"]
    tight = [c for c in calls if c[1] == 0.05]
    assert {c[0] for c in tight} == {"c", "e", "n"} and all(c[2] == 250 for c in tight)
    # the refinement starts from the screened (shrunk) structure, not the random one
    assert tight[0][3] == pytest.approx(round(s.volume * 0.99, 6))
    n_calls = len(calls)
    again = screen.two_stage_search(
        candidates=cands, store=tmp_path, per_composition=2, n_jobs=1, progress=False
    )
    assert len(calls) == n_calls and again["n_screened"] == 0 and again["n_refined"] == 0
    with pytest.raises(ValueError, match="screen_fmax"):
        screen.two_stage_search(candidates=cands, store=tmp_path, screen_fmax=0.01)
