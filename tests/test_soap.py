"""Averaged SOAP: exactness against plain dscribe, invariances, occupancy handling, cache, errors."""

from __future__ import annotations

import time

import numpy as np
import pytest
from pymatgen.core import Lattice, Structure
from pymatgen.io.ase import AseAtomsAdaptor

from reviewlib.features.soap import DEFAULT_GROUPS, soap_feature_names, soap_features, soap_n_features

KW = {"cache": False, "progress": False, "n_jobs": 1, "dtype": "float64"}


@pytest.fixture(autouse=True)
def _tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWLIB_DATA_CACHE", str(tmp_path / "cache"))


def perovskite(a_site="Ba") -> Structure:
    return Structure(
        Lattice.cubic(4.1),
        [a_site, "Ti", "O", "O", "O"],
        [[0, 0, 0], [0.5, 0.5, 0.5], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]],
    )


def layered() -> Structure:
    return Structure(
        Lattice.tetragonal(3.8, 13.2),
        ["La", "La", "Cu", "O", "O", "O", "O"],
        [[0, 0, 0.36], [0, 0, 0.64], [0, 0, 0], [0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.18], [0, 0, 0.82]],
    )


def test_shape_names_default_groups():
    X = soap_features([perovskite(), layered()], **KW)
    n_groups = len(set(DEFAULT_GROUPS.values()))
    assert n_groups == 13
    assert X.shape == (2, soap_n_features(n_groups=13)) == (2, 5512)
    assert len(soap_feature_names()) == X.shape[1]
    assert np.isfinite(X).all()
    assert soap_features([perovskite()], cache=False, progress=False, n_jobs=1).dtype == np.float32


def test_matches_plain_dscribe_for_ordered_structure():
    from dscribe.descriptors import SOAP

    s = perovskite()
    groups = {"O": "O", "Ti": "Ti", "Ba": "Ba"}  # Z order, so block orientation equals dscribe's
    X = soap_features([s], species_groups=groups, **KW)[0]
    ref = SOAP(
        r_cut=5.0, n_max=4, l_max=3, sigma=0.5, species=["O", "Ti", "Ba"], periodic=True, average="inner"
    )
    v = ref.create(AseAtomsAdaptor.get_atoms(s))
    names = soap_feature_names(species_groups=groups)
    for pair in [("O", "O"), ("O", "Ti"), ("O", "Ba"), ("Ti", "Ti"), ("Ti", "Ba"), ("Ba", "Ba")]:
        cols = [i for i, n in enumerate(names) if n.startswith(f"{pair[0]}-{pair[1]}_")]
        np.testing.assert_allclose(X[cols], v[ref.get_location(pair)], rtol=1e-9, atol=1e-9)


def test_determinism_and_parallel_equal_serial():
    structs = [perovskite("Ba"), perovskite("Sr"), layered()] * 20
    a = soap_features(structs, **KW)
    b = soap_features(structs, **KW)
    np.testing.assert_array_equal(a, b)
    c = soap_features(structs, **{**KW, "n_jobs": 2})
    np.testing.assert_allclose(a, c, rtol=1e-12, atol=1e-12)


def test_invariant_to_atom_order_and_supercell():
    s = layered()
    disordered = s.copy()
    disordered.replace(0, {"La": 0.9, "Sr": 0.1})
    disordered.replace(1, {"La": 0.9, "Sr": 0.1})
    for base in (s, disordered):
        X = soap_features([base], **KW)
        perm = Structure.from_sites([base[i] for i in [3, 0, 6, 2, 5, 1, 4]])
        np.testing.assert_allclose(soap_features([perm], **KW), X, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(soap_features([base * (2, 1, 1)], **KW), X, rtol=1e-7, atol=1e-7)
    X_outer = soap_features([s], average="outer", **KW)
    np.testing.assert_allclose(soap_features([s * (1, 2, 1)], average="outer", **KW), X_outer, rtol=1e-7)


def test_weighted_occupancy_is_the_weighted_density():
    """A site {Ba: x, Sr: 1-x} in separate channels: x=1 and x=0 equal the ordered structures,
    and every feature is exactly quadratic in x (power spectrum of a density linear in x).
    """
    groups = {"O": "O", "Ti": "Ti", "Sr": "Sr", "Ba": "Ba"}
    xs = np.linspace(0, 1, 5)
    feats = []
    for x in xs:
        s = perovskite()
        s.replace(0, {"Ba": x, "Sr": 1 - x} if 0 < x < 1 else ("Ba" if x == 1 else "Sr"))
        feats.append(soap_features([s], species_groups=groups, **KW)[0])
    feats = np.array(feats)
    np.testing.assert_allclose(feats[-1], soap_features([perovskite("Ba")], species_groups=groups, **KW)[0])
    np.testing.assert_allclose(feats[0], soap_features([perovskite("Sr")], species_groups=groups, **KW)[0])
    second_diff = feats[2:] - 2 * feats[1:-1] + feats[:-2]  # constant for a quadratic
    np.testing.assert_allclose(
        second_diff, np.broadcast_to(second_diff[0], second_diff.shape), atol=1e-8 * np.abs(feats).max()
    )
    assert np.abs(second_diff).max() > 1e-6 * np.abs(feats).max()  # genuinely not linear


def test_occupancy_modes_on_disordered_structure():
    s = perovskite()
    s.replace(0, {"Ba": 0.7, "Sr": 0.3})
    groups = {"O": "O", "Ti": "Ti", "Sr": "Sr", "Ba": "Ba"}
    weighted = soap_features([s], species_groups=groups, occupancy="weighted", **KW)
    majority = soap_features([s], species_groups=groups, occupancy="majority", **KW)
    np.testing.assert_allclose(majority, soap_features([perovskite("Ba")], species_groups=groups, **KW))
    assert not np.allclose(weighted, majority)
    names = np.array(soap_feature_names(species_groups=groups))
    sr_cols = np.char.find(names.astype(str), "Sr") >= 0
    assert np.abs(weighted[0, sr_cols]).max() > 0 and np.abs(majority[0, sr_cols]).max() == 0
    with pytest.raises(ValueError, match="fractional occupancy"):
        soap_features([s], occupancy="ordered", **KW)
    # same-channel substitution (Ba and Sr are both alkaline earths): weighted == ordered Ba
    np.testing.assert_allclose(soap_features([s], **KW), soap_features([perovskite("Ba")], **KW), rtol=1e-9)


def test_species_groups_none_and_crossover():
    structs = [perovskite(), layered()]
    X = soap_features(structs, species_groups=None, **KW)
    elements = ["Ba", "Ti", "O", "La", "Cu"]
    names = soap_feature_names(species_groups=None, elements=elements)
    assert X.shape == (2, len(names)) == (2, soap_n_features(n_groups=5))
    assert names[0].startswith("O-O_")
    Xc = soap_features(structs, species_groups=None, compression="crossover", **KW)
    assert Xc.shape == (2, 5 * 40)
    same = [i for i, n in enumerate(names) if n.split("_")[0].split("-")[0] == n.split("_")[0].split("-")[1]]
    np.testing.assert_allclose(Xc, X[:, same])


def test_cache_hit_identical_and_faster():
    structs = [perovskite("Ba"), perovskite("Sr"), layered()] * 30
    kw = {"progress": False, "n_jobs": 1, "cache": True}
    t0 = time.perf_counter()
    a = soap_features(structs, **kw)
    t1 = time.perf_counter()
    b = soap_features(structs, **kw)
    t2 = time.perf_counter()
    np.testing.assert_array_equal(a, b)
    assert b.dtype == a.dtype == np.float32
    assert (t2 - t1) < (t1 - t0)
    c = soap_features(structs, r_cut=4.0, **kw)  # other parameters: other entry
    assert not np.allclose(a, c)
    # channel order changes the column layout, so it must change the cache entry too
    g1, g2 = {"O": "O", "Ti": "Ti", "Ba": "B"}, {"Ba": "B", "Ti": "Ti", "O": "O"}
    x1 = soap_features([perovskite()], species_groups=g1, **kw)
    x2 = soap_features([perovskite()], species_groups=g2, **kw)
    np.testing.assert_array_equal(
        x2, soap_features([perovskite()], species_groups=g2, **{**kw, "cache": False})
    )
    assert not np.array_equal(x1, x2)


def test_bad_inputs():
    with pytest.raises(ValueError, match="no structures"):
        soap_features([], **KW)
    with pytest.raises(TypeError, match="structure 1"):
        soap_features([perovskite(), "BaTiO3"], **KW)
    with pytest.raises(ValueError, match="element Ba is not in species_groups"):
        soap_features([perovskite()], species_groups={"O": "a", "Ti": "b"}, **KW)
    with pytest.raises(ValueError, match="occupancy"):
        soap_features([perovskite()], occupancy="random", **KW)
    with pytest.raises(ValueError, match="r_cut"):
        soap_features([perovskite()], r_cut=0.5, **KW)
    with pytest.raises(ValueError, match="sigma"):
        soap_features([perovskite()], sigma=0.0, **KW)
    with pytest.raises(ValueError, match="species_groups"):
        soap_features([perovskite()], species_groups="periodic", **KW)
    many = Structure(Lattice.cubic(30), list(DEFAULT_GROUPS)[:80], np.random.default_rng(0).random((80, 3)))
    with pytest.raises(ValueError, match="crossover"):
        soap_features([many], species_groups=None, **KW)


def test_real_3dsc_cifs(mirror):
    """A few 3DSC_MP CIFs from the registry: finite features; occupancy modes differ only when disordered."""
    from reviewlib.data import fetch
    from reviewlib.structures import read_cifs

    folder = fetch("3dsc_mp_cifs", progress=False)
    names = sorted(p.name for p in folder.glob("*.cif"))
    pick = [n for n in names if n.endswith("-synth_doped.cif")][:6] + [
        n for n in names if "synth_doped" not in n
    ][:6]
    structures = read_cifs([folder / n for n in pick], progress=False)
    kw = {"cache": False, "progress": False, "n_jobs": 1}
    weighted = soap_features(structures, **kw)
    majority = soap_features(structures, occupancy="majority", **kw)
    assert weighted.shape == (12, 5512) and np.isfinite(weighted).all()
    for s, w, m in zip(structures, weighted, majority, strict=True):
        if s.is_ordered:
            np.testing.assert_array_equal(w, m)
    assert any(
        not np.allclose(w, m)
        for s, w, m in zip(structures, weighted, majority, strict=True)
        if not s.is_ordered
    )


def _full_spectrum(X_off: np.ndarray, names: list[str], labels: list[str], n_max: int, l_max: int):
    """P[g, h, l, n, n'] (both orientations, both triangles) from the "off" layout's columns."""
    k = len(labels)
    P = np.zeros((k, k, l_max + 1, n_max, n_max))
    for value, name in zip(X_off, names, strict=True):
        pair, n, n2, l = name.split("_")
        a, b = (labels.index(x) for x in pair.split("-"))
        n, n2, l = int(n[1:]), int(n2[1:]), int(l[1:])
        P[a, b, l, n, n2] = value
        P[b, a, l, n2, n] = value
    return P


def test_mu1nu1_is_the_partner_summed_spectrum():
    structs = [perovskite(), layered()]
    kw = {"n_max": 3, "l_max": 2, "species_groups": None, **KW}
    elements = ["Ba", "Ti", "O", "La", "Cu"]
    labels = ["O", "Ti", "Cu", "Ba", "La"]  # Z order
    X_off = soap_features(structs, **kw)
    X_mu = soap_features(structs, compression="mu1nu1", **kw)
    names_off = soap_feature_names(n_max=3, l_max=2, species_groups=None, elements=elements)
    names_mu = soap_feature_names(
        n_max=3, l_max=2, species_groups=None, elements=elements, compression="mu1nu1"
    )
    assert (
        X_mu.shape
        == (2, len(names_mu))
        == (2, soap_n_features(n_groups=5, n_max=3, l_max=2, compression="mu1nu1"))
    )
    assert len(names_mu) == 5 * 3 * 3 * 3 and names_mu[0] == "O-all_n0_n0_l0"
    for row_off, row_mu in zip(X_off, X_mu, strict=True):
        P = _full_spectrum(row_off, names_off, labels, 3, 2)
        np.testing.assert_allclose(row_mu, P.sum(axis=1).ravel(), rtol=1e-9, atol=1e-12)


def test_mu1nu1_resolves_elements_the_default_groups_merge():
    # Fe and Mn share the late-transition-metal channel; H shares the alkali channel with Li
    def rocksalt(a, b):
        return Structure.from_spacegroup("Fm-3m", Lattice.cubic(4.2), [a, b], [[0, 0, 0], [0.5, 0.5, 0.5]])

    pairs = [(rocksalt("Fe", "O"), rocksalt("Mn", "O")), (rocksalt("Li", "F"), rocksalt("H", "F"))]
    for s1, s2 in pairs:
        merged = soap_features([s1, s2], n_max=3, l_max=2, **KW)
        np.testing.assert_allclose(merged[0], merged[1], rtol=1e-12)
        resolved = soap_features([s1, s2], n_max=3, l_max=2, species_groups=None, compression="mu1nu1", **KW)
        assert not np.allclose(resolved[0], resolved[1])
    with pytest.raises(ValueError, match="mu1nu1"):
        soap_features([perovskite()], compression="bad", **KW)
