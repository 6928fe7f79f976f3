"""The chapter-12 phonon loop (:func:`reviewlib.search.phonons.phonon_stages`) is reproducible."""

import numpy as np
import pytest
from ase.build import bulk

from reviewlib.search import phonons

pytest.importorskip("sevenn")


def _run(n_jobs):
    # a tiny case: fcc Cu, 32-atom supercell, two short cycles at a high temperature
    atoms = bulk("Cu", "fcc", a=3.61, cubic=True)
    jobs = [("sevennet", atoms, True), ("chgnet", atoms, False)]
    return phonons.phonon_stages(
        jobs=jobs,
        supercell=2,
        centering="F",
        cutoff_A=3.0,
        temperature_K=600.0,
        n_iterations=2,
        n_structures=2,
        seed=7,
        n_jobs=n_jobs,
    )


def test_the_loop_gives_identical_numbers_twice_and_in_workers():
    first, second = _run(1), _run(2)  # in this process, then in two joblib workers
    assert [set(s) for s in first] == [
        {"harmonic", "truncated", "self_consistent", "changes"},
        {"harmonic", "truncated"},
    ]
    for a, b in zip(first, second, strict=True):
        for stage in ("harmonic", "truncated", "self_consistent"):
            if stage in a:
                assert np.array_equal(a[stage].force_constants, b[stage].force_constants), stage
    assert first[0]["changes"] == second[0]["changes"]
    assert len(first[0]["changes"]) == 2
    assert not np.array_equal(
        first[0]["self_consistent"].force_constants, first[0]["harmonic"].force_constants
    )


def test_an_unknown_potential_is_refused_before_any_work():
    with pytest.raises(ValueError, match=r"jobs\[0\]: unknown potential 'mace'"):
        phonons.phonon_stages(
            jobs=[("mace", None, False)],
            supercell=1,
            centering="I",
            cutoff_A=1.4,
            temperature_K=200.0,
            n_iterations=1,
            n_structures=1,
            seed=0,
        )


def test_pinned_threads_sets_one_torch_and_blas_thread_and_restores_the_old_count():
    import torch
    from threadpoolctl import threadpool_info

    old = torch.get_num_threads()
    with phonons.pinned_threads(1):
        assert torch.get_num_threads() == 1
        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
    assert torch.get_num_threads() == old
