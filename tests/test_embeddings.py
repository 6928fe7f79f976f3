"""CHGNet embeddings and the skip-and-list featurisation of notebooks 07-09."""

import numpy as np
import pytest
from pymatgen.core import Lattice, Structure

from reviewlib.features.embeddings import CHGNET_DIM, chgnet_embeddings, chgnet_feature_names
from reviewlib.features.representations import featurise


def _nbh(a=3.4):
    return Structure(Lattice.cubic(a), ["Nb", "H"], [[0, 0, 0], [0.5, 0.5, 0.5]])


def test_chgnet_embeddings_shape_invariance_and_sensitivity():
    big = _nbh()
    big.make_supercell([2, 1, 1])
    X = chgnet_embeddings([_nbh(), big, _nbh(4.2)], n_jobs=1, cache=False, progress=False)
    assert X.shape == (3, CHGNET_DIM) and len(chgnet_feature_names()) == CHGNET_DIM
    assert np.isfinite(X).all()
    np.testing.assert_allclose(X[0], X[1], atol=1e-4)  # mean-pooled: supercell-invariant
    assert np.abs(X[0] - X[2]).max() > 1e-3  # a 24 % larger lattice changes the embedding


def test_featurise_skips_and_lists_bad_structures():
    isolated = Structure(Lattice.cubic(12.0), ["Nb"], [[0, 0, 0]])  # no neighbour within 5 A
    disordered = Structure(Lattice.cubic(3.4), [{"Nb": 0.5, "Ta": 0.5}, "H"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    feats, skipped = featurise(
        [_nbh(), disordered, isolated],
        representations=("structure", "chgnet"),
        labels=["good.cif", "disordered.cif", "isolated.cif"],
        n_jobs=1,
        cache=False,
    )
    assert list(feats["structure"].index) == [0] and list(feats["chgnet"].index) == [0]
    listed = set(zip(skipped["label"], skipped["representation"], strict=True))
    assert ("disordered.cif", "structure") in listed
    assert ("isolated.cif", "chgnet") in listed
    assert all(skipped["reason"].str.len() > 0)
    with pytest.raises(ValueError, match="unknown representation"):
        featurise([_nbh()], representations=("soap",))
