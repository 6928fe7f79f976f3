"""Networking value: percolation rank and phi on synthetic periodic fields with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from reviewlib import networking as nw


def _frac_grid(n: int) -> np.ndarray:
    g = np.arange(n) / n
    return np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1)


def _wrap(d: np.ndarray) -> np.ndarray:
    return d - np.rint(d)


def gaussian_lattice(n: int, *, sigma: float = 0.2) -> tuple[np.ndarray, float]:
    """Sum of Gaussians on a simple cubic lattice (a = 1) and the exact value at the bond midpoint."""
    u = _frac_grid(n)
    field = np.zeros((n, n, n))
    images = range(-2, 3)
    for i in images:
        for j in images:
            for k in images:
                d = u - np.array([i, j, k])
                field += np.exp(-(d**2).sum(-1) / (2 * sigma**2))
    mid = np.array([0.5, 0.0, 0.0])
    saddle = sum(
        np.exp(-((mid - np.array([i, j, k])) ** 2).sum() / (2 * sigma**2))
        for i in images
        for j in images
        for k in images
    )
    return field / field.max(), saddle / field.max()


def necks(n: int, heights: tuple[float, float, float], *, width: float = 0.06) -> np.ndarray:
    """A blob at the cell centre joined to its images by straight necks of constant height per axis."""
    u = _frac_grid(n)
    d = _wrap(u - 0.5)
    field = np.exp(-(d**2).sum(-1) / (2 * 0.08**2))
    for axis, h in enumerate(heights):
        perp = [a for a in range(3) if a != axis]
        r2 = (d[..., perp] ** 2).sum(-1)
        field = np.maximum(field, h * np.exp(-r2 / (2 * width**2)))
    return field


def test_neck_heights_give_phi_and_rank():
    field = necks(32, (0.7, 0.55, 0.4))
    assert nw.networking_value(field, tol=1e-5) == pytest.approx(0.4, abs=1e-4)
    # between the necks the set is a sheet (y and z necks), then a chain (x neck), then blobs
    assert nw.percolation_rank(field, level=0.3) == 3
    assert nw.percolation_rank(field, level=0.5) == 2
    assert nw.percolation_rank(field, level=0.6) == 1
    assert nw.percolation_rank(field, level=0.8) == 0


@pytest.mark.parametrize("n", [20, 40, 80])
def test_gaussian_lattice_phi_is_the_saddle_value_under_refinement(n):
    field, saddle = gaussian_lattice(n)
    assert nw.networking_value(field) == pytest.approx(saddle, abs=2e-4)


def test_grid_refinement_of_an_off_grid_saddle_converges():
    # blob centre off the grid points: the sampled saddle approaches the true one as the grid refines
    values = []
    for n in (15, 31, 63):
        u = _frac_grid(n)
        d = _wrap(u - 0.013)
        field = np.zeros((n, n, n))
        for shift in np.ndindex(3, 3, 3):
            field += np.exp(-(((d - np.array(shift) + 1) ** 2).sum(-1)) / (2 * 0.2**2))
        values.append(nw.networking_value(field / field.max()))
    _, saddle = gaussian_lattice(8)
    errors = [abs(v - saddle) for v in values]
    assert errors[-1] < 0.01
    assert errors[-1] <= errors[0]


def test_diagonal_tube_is_a_chain_not_a_network():
    # a tube along [110] touches the x and y faces but wraps along one direction only
    n = 40
    u = _frac_grid(n)
    d2 = _wrap(u[..., 0] - u[..., 1]) ** 2 / 2 + _wrap(u[..., 2] - 0.5) ** 2
    field = np.exp(-d2 / (2 * 0.05**2))
    assert nw.percolation_rank(field, level=0.5) == 1
    assert not nw.percolates(field, level=0.5)


def test_required_points_exclude_networks_without_them():
    n = 32
    field = necks(n, (0.6, 0.6, 0.6), width=0.05)
    d = _wrap(_frac_grid(n) - 0.0)
    field = np.maximum(field, np.exp(-(d**2).sum(-1) / (2 * 0.05**2)))  # isolated blob at the corner
    corner = [(0, 0, 0)]
    centre = [(16, 16, 16)]
    assert nw.percolates(field, level=0.5, required_points=centre)
    assert not nw.percolates(field, level=0.5, required_points=corner)
    # at low levels the corner blob joins the network, so phi with it is the merging level < 0.6
    assert nw.networking_value(field, required_points=corner) < nw.networking_value(
        field, required_points=centre
    )


def test_fill_spheres_sets_values_inside_radius_only():
    n = 20
    field = np.zeros((n, n, n))
    out = nw.fill_spheres(field, cell=np.eye(3) * 4.0, frac_coords=np.array([[0.0, 0.0, 0.0]]), radius=0.5)
    assert out[0, 0, 0] == 1.0 and out[-1, 0, 0] == 1.0  # periodic: 0.2 A away through the boundary
    assert out[10, 10, 10] == 0.0
    assert field.max() == 0.0  # input untouched


def test_bad_grids_raise():
    with pytest.raises(ValueError, match="3D grid"):
        nw.networking_value(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="NaN"):
        nw.networking_value(np.full((4, 4, 4), np.nan))
    # required atom outside every spanning network even at the lowest level cannot happen on a full
    # grid, so a field of one isolated point with required points elsewhere still percolates at min
    assert nw.networking_value(np.zeros((4, 4, 4))) == 0.0


def test_nearest_grid_points_wraps():
    assert nw.nearest_grid_points(np.array([[0.99, 0.5, 0.0]]), (10, 10, 10)) == [(0, 5, 0)]


def test_h2_units():
    from pymatgen.core import Lattice, Structure

    s = Structure(Lattice.cubic(4.0), ["H", "H", "La"], [[0, 0, 0], [0.185, 0, 0], [0.5, 0.5, 0.5]])
    pairs = nw.h2_units(s)
    assert len(pairs) == 1 and pairs[0][2] == pytest.approx(0.74)


def test_resample_cartesian_reproduces_a_smooth_periodic_field():
    n = 24
    u = _frac_grid(n)
    field = np.cos(2 * np.pi * u[..., 0]) + 0.5 * np.sin(2 * np.pi * u[..., 2])
    cell = np.eye(3) * 3.0
    out = nw.resample_cartesian(field, cell=cell, box=cell * 2, n=24)  # two periods per axis
    g = np.arange(24) / 24 * 2
    expected = np.cos(2 * np.pi * g)[:, None, None] + 0.5 * np.sin(2 * np.pi * g)[None, None, :]
    assert np.abs(out - expected).max() < 0.05


# --- issue 22 case 8: the ELF range and the required points are checked -------------------------------


@pytest.mark.parametrize("bad", [1.5, -0.2])
def test_elf_outside_0_1_is_refused(bad):
    field = necks(16, (0.7, 0.55, 0.4))
    field[3, 4, 5] = bad
    with pytest.raises(
        ValueError, match=r"ELF must lie in \[0, 1\] \(tolerance 1e-06\); 1 of 4096 .*\(3, 4, 5\)"
    ):
        nw.networking_value(field)
    with pytest.raises(ValueError, match=r"ELF must lie in \[0, 1\]"):
        nw.percolation_rank(field, level=0.5)


def test_elf_rounding_within_the_tolerance_is_accepted():
    field = necks(16, (0.7, 0.55, 0.4))
    field[0, 0, 0], field[8, 8, 8] = -5e-7, 1 + 5e-7
    assert nw.percolation_rank(field, level=0.3) == 3


def test_required_points_outside_the_grid_are_named():
    field = necks(16, (0.7, 0.55, 0.4))
    inside = nw.nearest_grid_points(np.array([[0.5, 0.5, 0.5]]), field.shape)
    assert nw.networking_value(field, required_points=inside) == pytest.approx(0.4, abs=1e-3)
    for bad in [(16, 0, 0), (0, -1, 3), (1.0, 2, 3), (1, 2)]:
        with pytest.raises(
            ValueError, match=r"required point\(s\) \[.*\] are not indices of the 16x16x16 ELF grid"
        ):
            nw.networking_value(field, required_points=[*inside, bad])
    with pytest.raises(ValueError, match=r"\[\(16, 0, 0\), \(20, 20, 20\)\]"):
        nw.percolation_rank(field, level=0.3, required_points=[(16, 0, 0), (20, 20, 20), (1, 1, 1)])


def _blobs(n: int, sites: np.ndarray, *, sigma: float, heights=None) -> np.ndarray:
    """Max over periodic Gaussian blobs at fractional ``sites`` (cubic cell, a = 1)."""
    u = _frac_grid(n)
    field = np.zeros((n, n, n))
    for s, h in zip(sites, heights if heights is not None else np.ones(len(sites)), strict=True):
        d = _wrap(u - s)
        field = np.maximum(field, h * np.exp(-(d**2).sum(-1) / (2 * sigma**2)))
    return field


def test_nearest_atoms_finds_periodic_images():
    atoms = nw.nearest_atoms(
        [[0.0, 0, 0], [0.5, 0.5, 0.5]], cell=np.eye(3) * 3.0, frac_coords=[[0.9, 0, 0], [0.6, 0.5, 0.5]]
    )
    assert atoms.tolist() == [0, 1]  # the first point is nearest to the image of atom 0 at x = -0.1


def test_elf_basins_climb_to_each_blob_with_its_image():
    n = 20
    sites = np.array([[0.25, 0.25, 0.25], [0.75, 0.75, 0.75]])
    field = _blobs(n, sites, sigma=0.15)
    (basin, image), attractors = nw.elf_basins(field)
    assert len(attractors) == 2
    tops = {tuple(a) for a in attractors}
    assert tops == {tuple(p) for p in nw.nearest_grid_points(sites, (n, n, n))}
    # the corner point (0, 0, 0) is nearest to the image of the blob at 0.75 one cell down
    corner_basin = basin[0, 0, 0]
    assert tuple(attractors[corner_basin]) == (15, 15, 15)
    assert tuple(image[0, 0, 0]) == (-1, -1, -1)
    assert tuple(image[5, 5, 5]) == (0, 0, 0)


def _through_h(field, sites, is_h):
    (basin, image), attractors = nw.elf_basins(field)
    n = field.shape
    nearest = nw.nearest_atoms(attractors / np.array(n), cell=np.eye(3), frac_coords=sites)
    return (basin, image), np.asarray(is_h)[nearest]


def test_network_through_hydrogen_is_kept():
    # H3S-like: a heavy atom at the corner, H at the edge midpoints; every M-M path runs through H
    sites = np.array([[0, 0, 0], [0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5]])
    n = 32
    field = _blobs(n, sites, sigma=0.13)
    owners, bridges = _through_h(field, sites, [False, True, True, True])
    h_points = nw.nearest_grid_points(sites[1:], (n, n, n))
    plain = nw.networking_value(field, required_points=h_points)
    through = nw.networking_value(field, required_points=h_points, owners=owners, bridges=bridges)
    assert plain == pytest.approx(np.exp(-(0.25**2) / (2 * 0.13**2)), abs=0.02)  # the M-H saddle
    assert through == pytest.approx(plain, abs=2e-3)


def test_metal_network_with_a_hanging_hydrogen_does_not_count():
    # a heavy atom joined to its own images (a metal-metal network) and one H hanging on it
    n = 32
    metal, _ = gaussian_lattice(n, sigma=0.2)  # a heavy atom at the origin, joined to its images
    sites = np.array([[0.0, 0.0, 0.0], [0.12, 0.12, 0.0]])
    field = np.maximum(metal, _blobs(n, sites[1:], sigma=0.04, heights=[0.97]))
    h_points = nw.nearest_grid_points(sites[1:], (n, n, n))
    assert nw.networking_value(field, required_points=h_points) > 0.0  # counted without the rule
    owners, bridges = _through_h(field, sites, [False, True])
    assert list(bridges) == [False, True]
    with pytest.raises(ValueError, match="through the bridge"):
        nw.networking_value(field, required_points=h_points, owners=owners, bridges=bridges)


def test_owners_without_bridges_are_refused():
    field = necks(8, (0.5, 0.5, 0.5))
    owners, _ = nw.elf_basins(field)
    with pytest.raises(ValueError, match="together"):
        nw.percolation_rank(field, level=0.3, owners=owners)
    with pytest.raises(ValueError, match="bridges has 0"):
        nw.percolation_rank(field, level=0.3, owners=owners, bridges=[])


def test_basin_owners_merge_a_split_valence_shell_onto_its_atom():
    # one heavy atom whose ELF has two maxima 0.08 (x 4 Å) either side of the nucleus, and H at the
    # edge midpoints: the path along x crosses from one of the atom's basins to the other
    n = 40
    cell = np.eye(3) * 4.0
    blobs = np.array([[0.08, 0, 0], [-0.08, 0, 0], [0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5]])
    field = _blobs(n, blobs, sigma=0.12)
    atoms = np.array([[0, 0, 0], [0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5]])
    is_h = [False, True, True, True]
    basins, attractors = nw.elf_basins(field)
    owners, bridges = nw.basin_owners(
        basins, attractors, cell=cell, frac_coords=atoms, is_hydrogen=is_h, core_radius_A=[1.0, 0.5, 0.5, 0.5]
    )
    assert len(attractors) == 5 and bridges[:4].tolist() == is_h
    m_basins = {int(basins[0][tuple(p)]) for p in nw.nearest_grid_points(blobs[:2], (n, n, n))}
    assert len(m_basins) == 2  # two basins ...
    assert {int(owners[0][tuple(p)]) for p in nw.nearest_grid_points(blobs[:2], (n, n, n))} == {
        0
    }  # one owner
    h_points = nw.nearest_grid_points(atoms[1:], (n, n, n))
    plain = nw.networking_value(field, required_points=h_points)
    merged = nw.networking_value(field, required_points=h_points, owners=owners, bridges=bridges)
    assert merged == pytest.approx(plain, abs=2e-3)


def test_nearest_sites_matches_a_brute_force_search_in_a_skewed_cell():
    # a strongly skewed cell, where rounding fractional differences (minimum image by rint)
    # misses the nearest image: the distance must equal a search over many images
    cell = np.array([[4.0, 0.0, 0.0], [3.4, 1.5, 0.0], [0.5, 0.3, 3.0]])
    rng = np.random.default_rng(3)
    points, sites = rng.random((40, 3)), rng.random((5, 3))
    index, image, dist = nw.nearest_sites(points, cell=cell, frac_coords=sites)
    shifts = np.array(list(np.ndindex(7, 7, 7))) - 3
    brute = np.array(
        [min(np.linalg.norm((p - (s + shifts)) @ cell, axis=1).min() for s in sites) for p in points]
    )
    np.testing.assert_allclose(dist, brute, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm((points - (sites[index] + image)) @ cell, axis=1), dist)
    d = points[:, None, :] - sites[None, :, :]
    rint = np.linalg.norm((d - np.rint(d)) @ cell, axis=-1).min(axis=1)
    assert (rint > dist + 1e-9).any()  # the rounded minimum image is wrong here
