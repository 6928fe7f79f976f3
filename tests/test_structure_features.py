"""Structure features against Matminer's own featurizers, invariances and bad input."""

import numpy as np
import pytest
from pymatgen.core import Lattice, Structure

from reviewlib.features.structure import (
    TRANVU_RECOMPUTED,
    structure_feature_names,
    structure_features,
)


def _structures():
    nbh = Structure(Lattice.cubic(3.4), ["Nb", "H"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    lah = Structure(
        Lattice.hexagonal(3.8, 4.6),
        ["La", "H", "H", "H"],
        [[0, 0, 0], [1 / 3, 2 / 3, 0.25], [2 / 3, 1 / 3, 0.75], [0, 0, 0.5]],
    )
    nacl = Structure.from_spacegroup("Fm-3m", Lattice.cubic(5.64), ["Na", "Cl"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    return [nbh, lah, nacl]


def test_matches_matminer_definitions():
    from matminer.featurizers.composition import ValenceOrbital
    from matminer.featurizers.site import GeneralizedRadialDistributionFunction
    from matminer.featurizers.structure import SiteStatsFingerprint, StructuralComplexity

    structures = _structures()
    ours = structure_features(structures, n_jobs=1, cache=False, progress=False)
    assert list(ours.columns) == structure_feature_names()
    grdf = SiteStatsFingerprint(
        GeneralizedRadialDistributionFunction.from_preset("gaussian"), stats=("mean", "std_dev")
    )
    complexity = StructuralComplexity()
    valence = ValenceOrbital(props=["avg"])
    for k, s in enumerate(structures):
        ref = dict(zip(grdf.feature_labels(), grdf.featurize(s), strict=True))
        ref.update(zip(complexity.feature_labels(), complexity.featurize(s), strict=True))
        ref.update(zip(valence.feature_labels(), valence.featurize(s.composition), strict=True))
        for name in TRANVU_RECOMPUTED:
            assert ours.loc[k, name] == pytest.approx(ref[name], rel=1e-6, abs=1e-9), name


def test_supercell_invariance_and_extras():
    s = _structures()[0]
    big = s.copy()
    big.make_supercell([2, 1, 1])
    a, b = structure_features([s, big], n_jobs=1, cache=False, progress=False).to_numpy()
    names = structure_feature_names()
    per_cell = names.index("structural complexity per cell")
    keep = [i for i in range(len(names)) if i != per_cell]
    np.testing.assert_allclose(a[keep], b[keep], rtol=1e-6, atol=1e-9)
    frame = structure_features(_structures(), n_jobs=1, cache=False, progress=False)
    assert frame.loc[0, "H fraction"] == 0.5
    assert frame.loc[0, "min H-H distance"] == pytest.approx(3.4)
    assert frame.loc[2, "min H-H distance"] == 10.0  # no H: the cutoff


def test_bad_input():
    with pytest.raises(ValueError, match="no structures"):
        structure_features([], cache=False)
    with pytest.raises(TypeError, match="structure 0"):
        structure_features(["NbH"], cache=False)
    disordered = Structure(Lattice.cubic(3.4), [{"Nb": 0.5, "Ta": 0.5}, "H"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    with pytest.raises(ValueError, match="structure 1 .*partial occupancies"):
        structure_features([_structures()[0], disordered], n_jobs=1, cache=False, progress=False)
