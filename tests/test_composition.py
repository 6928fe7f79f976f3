"""Composition descriptors: Magpie statistics, element fractions, errors on bad input."""

from __future__ import annotations

import socket

import numpy as np
import pytest
from pymatgen.core import Composition

from reviewlib.chem import element_fraction_columns, parse_formula
from reviewlib.features.composition import elemental_descriptors, magpie_features, magpie_labels


def test_magpie_has_132_columns_and_known_values():
    X = magpie_features([Composition("MgB2"), {"Nb": 3, "Sn": 1}, "YBa2Cu3O7"], cache=False, progress=False)
    assert X.shape == (3, 132)
    assert list(X.columns) == magpie_labels()
    # MgB2: Z = 12 and 5; fractions 1/3, 2/3
    row = X.iloc[0]
    assert row["MagpieData minimum Number"] == 5
    assert row["MagpieData maximum Number"] == 12
    assert row["MagpieData range Number"] == 7
    assert row["MagpieData mean Number"] == pytest.approx(12 / 3 + 2 * 5 / 3)
    assert row["MagpieData mode Number"] == 5  # the majority element (B)
    # Nb3Sn: mean atomic number (3*41 + 50)/4; avg_dev = sum x_i |Z_i - mean|
    mean = (3 * 41 + 50) / 4
    assert X.iloc[1]["MagpieData mean Number"] == pytest.approx(mean)
    assert X.iloc[1]["MagpieData avg_dev Number"] == pytest.approx(
        0.75 * abs(41 - mean) + 0.25 * abs(50 - mean)
    )
    assert np.isfinite(X.to_numpy()).all()


def test_magpie_matches_matminer_and_is_order_independent():
    from matminer.featurizers.composition import ElementProperty

    ep = ElementProperty.from_preset("magpie", impute_nan=False)
    comps = ["Ba0.4K0.6Fe2As2", "La1.85Sr0.15Cu1O4", "H3S"]
    X = magpie_features(comps, cache=False, progress=False)
    for i, c in enumerate(comps):
        np.testing.assert_allclose(X.iloc[i].to_numpy(), ep.featurize(Composition(c)))
    # same atomic fractions -> identical rows (deduplicated featurisation)
    Y = magpie_features([{"S": 1, "H": 3}, "H6S2"], cache=False, progress=False)
    np.testing.assert_allclose(Y.iloc[0].to_numpy(), Y.iloc[1].to_numpy())


def test_magpie_does_not_use_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    X = magpie_features(["Nb1Ti1"], cache=False, progress=False)
    assert X.shape == (1, 132)


def test_magpie_cache_roundtrip(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path))
    a = magpie_features(["MgB2", "Nb3Ge"], cache=True, progress=False)
    assert len(list((tmp_path / "features").glob("magpie-*.npz"))) == 1
    b = magpie_features(["MgB2", "Nb3Ge"], cache=True, progress=False)
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())


@pytest.mark.parametrize("bad", [{"Xx": 1.0, "O": 2.0}, {"Qq": 1}])
def test_unknown_element_is_named(bad):
    with pytest.raises(ValueError, match=list(bad)[0]):
        magpie_features([bad], cache=False, progress=False)
    with pytest.raises(ValueError, match=list(bad)[0]):
        element_fraction_columns([bad])


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="missing"):
        parse_formula(None)
    with pytest.raises(ValueError, match="must be >= 0"):
        parse_formula({"Fe": -1.0})
    with pytest.raises(ValueError, match="empty"):
        parse_formula({"Fe": 0.0})
    with pytest.raises(ValueError, match="sequence"):
        magpie_features("MgB2", cache=False)
    with pytest.raises(ValueError, match="no compositions"):
        magpie_features([], cache=False)


@pytest.mark.filterwarnings("ignore:No Pauling electronegativity")
def test_element_without_magpie_value_is_not_a_silent_nan():
    # He has no Magpie GSbandgap/GSmagmom entries
    with pytest.raises(ValueError, match="He"):
        magpie_features(["HeNa2"], cache=False, progress=False)


def test_elemental_descriptors():
    D = elemental_descriptors(["MgB2", "Nb3Sn"], include_fractions=True, cache=False, progress=False)
    assert D.shape == (2, 132 + 103)
    assert "frac_Mg" in D.columns
    assert elemental_descriptors(["MgB2"], cache=False, progress=False).shape == (1, 132)


def test_magpie_on_supercon_sample(mirror):
    import warnings

    from reviewlib.data import load_stanev

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = load_stanev()
    comps = frame["composition"].dropna().iloc[:300]
    X = magpie_features(comps, cache=False, progress=False)
    assert X.shape == (300, 132)
    assert np.isfinite(X.to_numpy()).all()
