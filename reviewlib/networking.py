"""Networking value (Belli et al. 2021): the highest ELF isovalue whose superlevel set percolates.

Criterion implemented here (:func:`percolates`). On a periodic grid of ELF values, the region
``{ELF >= level}`` is split into face-connected components (6-connectivity, ``scipy.ndimage.label``),
the components that touch opposite cell faces are joined across the periodic boundary, and each
joined component records the lattice translations it wraps around. A level *percolates* when one
component's wrap translations span all three lattice directions (rank 3): the isosurface then forms
a network that is infinite in every direction of the crystal, not a chain or a sheet. The
networking value :func:`networking_value` is the largest such level, found by bisection (the
superlevel sets are nested, so percolation is monotone in the level).

Core regions. Belli et al. exclude networks that run only through atomic cores. Here a network
must contain at least one hydrogen nucleus (``require_atoms``: a component counts only when it
holds the grid point nearest to a required atom), so a network of heavy-atom cores and metal-metal
links alone does not count. Optionally (``fill_radius``) spheres around the given atoms are set to
ELF = 1 before the search: the atoms are then nodes of the network and the (pseudo-)ELF inside
PAW augmentation spheres, which is not the all-electron ELF, cannot block or create a path.

Through hydrogen (``owners``/``bridges``). Belli et al. count a network only when it runs through
hydrogen: a network joined by metal-metal links, with a hydrogen hanging on it, does not count.
:func:`elf_basins` splits the grid into ELF basins by steepest ascent (each basin an attractor and
the lattice image of it that its points climb to); :func:`basin_owners` gives each basin to an
atom when its attractor lies within the atom's core radius (a heavy atom's valence shell split
into several basins is one owner) and otherwise keeps it as a non-nuclear basin of its own.
Hydrogen atoms, and non-nuclear basins whose nearest nucleus is H, are *bridges*. With ``owners``
and ``bridges``, two neighbouring points of the superlevel set are joined only when they have the
same owner (same image) or at least one of the two owners is a bridge: a link between two
non-hydrogen owners (metal-metal, or two images of one metal) is cut. Without them, any
face-connected path counts (kept as the alternative: TcESTIME's public code, whose hydrogen test
is commented out).

Molecular H2. The intramolecular H-H bond has ELF close to 1, but the networking value is set by the
weakest link of the spanning network, i.e. by the saddle points *between* molecules, so H2 units
need no special case: a molecular solid gets the (low) intermolecular saddle value.

Checks. :func:`percolation_rank` and :func:`networking_value` refuse a grid with values outside
[0, 1] (beyond :data:`ELF_TOLERANCE` = 1e-6, room for the rounding of a stored grid) and required
points that are not indices of the grid, naming them (a negative index would otherwise wrap
silently and one past the end would raise a bare ``IndexError``).
:func:`h2_units` lists H-H pairs shorter than a cut-off so that a table can flag molecular cells.

The descriptor Phi_DOS and the published Tc lines built on it are closed-form formulas and live
with the others in :mod:`reviewlib.tc.formulas` (:func:`~reviewlib.tc.formulas.networking_phi_dos`,
:func:`~reviewlib.tc.formulas.networking_tc`, :func:`~reviewlib.tc.formulas.tcestime_tc`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import numpy as np
from scipy import ndimage

_STRUCT6 = ndimage.generate_binary_structure(3, 1)


ELF_TOLERANCE = 1e-6  # ELF values within this of [0, 1] are accepted (rounding of a stored grid)


def _check_grid(elf: np.ndarray, *, elf_range: bool = False) -> np.ndarray:
    """The grid as a float array; ``ValueError`` unless 3D, finite and (``elf_range``) in [0, 1].

    ``elf_range``: the percolation functions need the ELF itself (values in [0, 1] up to
    :data:`ELF_TOLERANCE`); the resampling and sphere-filling helpers take any periodic grid.
    """
    arr = np.asarray(elf, dtype=float)
    if arr.ndim != 3 or min(arr.shape) < 2:
        raise ValueError(f"ELF must be a 3D grid with at least 2 points per axis, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("ELF grid contains NaN or infinite values")
    if not elf_range:
        return arr
    outside = (arr < -ELF_TOLERANCE) | (arr > 1 + ELF_TOLERANCE)
    if outside.any():
        first = tuple(int(i) for i in np.argwhere(outside)[0])
        raise ValueError(
            f"ELF must lie in [0, 1] (tolerance {ELF_TOLERANCE:g}); {int(outside.sum())} of {arr.size} grid "
            f"values are outside (min {arr.min():g}, max {arr.max():g}; first at index {first}): is this a "
            "density or a potential rather than the ELF?"
        )
    return arr


def _check_points(
    points: Sequence[tuple[int, int, int]], shape: tuple[int, ...]
) -> list[tuple[int, int, int]]:
    """Required points as index triples; ``ValueError`` naming every point outside the grid."""
    out, bad = [], []
    for point in points:
        idx = tuple(point)
        ok = len(idx) == 3 and all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in idx)
        if ok and all(0 <= i < n for i, n in zip(idx, shape, strict=True)):
            out.append(tuple(int(i) for i in idx))
        else:
            bad.append(point)
    if bad:
        raise ValueError(
            f"required point(s) {bad} are not indices of the {'x'.join(map(str, shape))} ELF grid "
            "(each must be three integers i, j, k with 0 <= i < n along each axis; "
            "nearest_grid_points gives them from fractional coordinates)"
        )
    return out


def _joined(
    owners: tuple[np.ndarray, np.ndarray] | None,
    bridges: np.ndarray | None,
    a: tuple,
    b: tuple,
    shift: np.ndarray | None = None,
) -> np.ndarray | None:
    """Whether neighbouring grid points ``a`` and ``b`` (index tuples of equal shape) may be joined.

    None when every pair may (no owners given). ``shift``: the lattice translation from ``a``'s
    cell to ``b``'s when the pair crosses the periodic boundary (``b``'s owner image is then
    shifted by it).
    """
    if owners is None or bridges is None:
        return None
    atom, image = owners
    img_b = image[b] + (shift if shift is not None else 0)
    same = (atom[a] == atom[b]) & np.all(image[a] == img_b, axis=-1)
    return same | bridges[atom[a]] | bridges[atom[b]]


def _label(mask: np.ndarray, owners, bridges) -> tuple[np.ndarray, int]:
    """Face-connected components of ``mask`` inside the cell (no periodic joins), honouring owners."""
    if owners is None or bridges is None:
        return ndimage.label(mask, structure=_STRUCT6)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    idx = np.full(mask.shape, -1, dtype=np.int64)
    n_nodes = int(mask.sum())
    idx[mask] = np.arange(n_nodes)
    rows, cols = [], []
    for axis in range(3):
        n = mask.shape[axis]
        a = tuple(slice(0, n - 1) if k == axis else slice(None) for k in range(3))
        b = tuple(slice(1, n) if k == axis else slice(None) for k in range(3))
        ok = mask[a] & mask[b] & _joined(owners, bridges, a, b)
        rows.append(idx[a][ok])
        cols.append(idx[b][ok])
    r, c = np.concatenate(rows), np.concatenate(cols)
    graph = coo_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n_nodes, n_nodes))
    n_comp, comp = connected_components(graph, directed=False)
    labels = np.zeros(mask.shape, dtype=np.int64)
    labels[mask] = comp + 1
    return labels, int(n_comp)


def _wrap_rank(
    labels: np.ndarray,
    n_labels: int,
    keep: np.ndarray | None,
    owners: tuple[np.ndarray, np.ndarray] | None = None,
    bridges: np.ndarray | None = None,
) -> np.ndarray:
    """Rank (0-3) of the lattice translations each periodic component wraps, per label (index 0 unused).

    ``keep``: boolean per label (index 0 unused); components containing no kept label get rank 0.
    ``owners``/``bridges``: as in :func:`percolation_rank` (pairs across the boundary obey them too).
    """
    # edges between labels across each periodic face, with the shift crossed (+1 along the axis)
    edges: list[tuple[np.ndarray, np.ndarray, int]] = []
    for axis in range(3):
        n = labels.shape[axis]
        hi_ix = tuple(n - 1 if k == axis else slice(None) for k in range(3))
        lo_ix = tuple(0 if k == axis else slice(None) for k in range(3))
        hi, lo = labels[hi_ix].ravel(), labels[lo_ix].ravel()
        both = (hi > 0) & (lo > 0)
        step = np.zeros(3, dtype=int)
        step[axis] = 1
        joined = _joined(owners, bridges, hi_ix, lo_ix, step)
        if joined is not None:
            both &= joined.ravel()
        if both.any():
            pairs = np.unique(np.stack([hi[both], lo[both]], axis=1), axis=0)
            edges.append((pairs[:, 0], pairs[:, 1], axis))
    adjacency: dict[int, list[tuple[int, np.ndarray]]] = {}
    for src, dst, axis in edges:
        shift = np.zeros(3, dtype=int)
        shift[axis] = 1
        for a, b in zip(src.tolist(), dst.tolist(), strict=True):
            # crossing from the high face of cell R to the low face of cell R + e_axis
            adjacency.setdefault(a, []).append((b, shift))
            adjacency.setdefault(b, []).append((a, -shift))
    rank = np.zeros(n_labels + 1, dtype=int)
    offset: dict[int, np.ndarray] = {}
    for start in adjacency:
        if start in offset:
            continue
        offset[start] = np.zeros(3, dtype=int)
        members, cycles, queue = [start], [], deque([start])
        while queue:
            node = queue.popleft()
            for nxt, shift in adjacency[node]:
                pos = offset[node] + shift
                if nxt not in offset:
                    offset[nxt] = pos
                    members.append(nxt)
                    queue.append(nxt)
                else:
                    diff = pos - offset[nxt]
                    if diff.any():
                        cycles.append(diff)
        r = int(np.linalg.matrix_rank(np.array(cycles))) if cycles else 0
        if keep is not None and not keep[members].any():
            r = 0
        rank[members] = r
    return rank


Owners = tuple[np.ndarray, np.ndarray]
"""Per grid point: the owning atom's index and the lattice image (3 ints) of that atom."""


def _check_owners(owners: Owners | None, bridges: Sequence[bool] | None, shape: tuple[int, ...]):
    if (owners is None) != (bridges is None):
        raise ValueError("give owners and bridges together (basin_owners gives both)")
    if owners is None:
        return None, None
    atom, image = (np.asarray(o) for o in owners)
    if atom.shape != shape or image.shape != (*shape, 3):
        raise ValueError(
            f"owners must be arrays of shape {shape} and {(*shape, 3)} (basin_owners on the same grid), "
            f"got {atom.shape} and {image.shape}"
        )
    bridges = np.asarray(bridges, dtype=bool)
    if atom.min() < 0 or atom.max() >= len(bridges):
        raise ValueError(f"owners name atoms 0..{int(atom.max())} but bridges has {len(bridges)} entries")
    return (atom, image), bridges


def percolation_rank(
    elf: np.ndarray,
    *,
    level: float,
    required_points: Sequence[tuple[int, int, int]] | None = None,
    owners: Owners | None = None,
    bridges: Sequence[bool] | None = None,
) -> int:
    """Largest number of independent lattice directions spanned by one component of ``{elf >= level}``.

    Args:
        elf: ELF on a periodic grid (3D array; axis k samples lattice vector k).
        level: isovalue (dimensionless).
        required_points: grid indices (e.g. the H nuclei); when given, only components holding at
            least one of them count.
        owners: per grid point, the owner and its image (:func:`basin_owners`); with
            ``bridges``, neighbouring points of different owners are joined only when one owner is a
            bridge atom (the network must run *through* hydrogen).
        bridges: per atom, True when links may pass through its cell (hydrogen).

    Returns:
        0 (no wrapping component), 1 (a chain), 2 (a sheet) or 3 (a 3D network).
    """
    arr = _check_grid(elf, elf_range=True)
    if required_points is not None:
        required_points = _check_points(required_points, arr.shape)
    owners, bridges = _check_owners(owners, bridges, arr.shape)
    labels, n = _label(arr >= level, owners, bridges)
    if n == 0:
        return 0
    keep = None
    if required_points is not None:
        keep = np.zeros(n + 1, dtype=bool)
        for idx in required_points:
            keep[labels[idx]] = True
        keep[0] = False
    rank = _wrap_rank(labels, n, keep, owners, bridges)
    return int(rank.max())


def percolates(
    elf: np.ndarray,
    *,
    level: float,
    required_points: Sequence[tuple[int, int, int]] | None = None,
    owners: Owners | None = None,
    bridges: Sequence[bool] | None = None,
) -> bool:
    """True when ``{elf >= level}`` holds a component that wraps the cell in all three directions."""
    rank = percolation_rank(elf, level=level, required_points=required_points, owners=owners, bridges=bridges)
    return rank == 3


def networking_value(
    elf: np.ndarray,
    *,
    required_points: Sequence[tuple[int, int, int]] | None = None,
    owners: Owners | None = None,
    bridges: Sequence[bool] | None = None,
    tol: float = 1e-4,
) -> float:
    """Networking value phi: the largest isovalue at which ``{elf >= phi}`` percolates in 3D.

    Args:
        elf: ELF on a periodic grid (dimensionless, in [0, 1]).
        required_points: grid indices of atoms the network must contain (e.g. H nuclei).
        owners: per grid point, the basin and its image (:func:`elf_basins`); with ``bridges``,
            the through-hydrogen rule of :func:`percolation_rank` (both or neither).
        bridges: per basin, True for a hydrogen basin.
        tol: bisection tolerance on the isovalue (dimensionless).

    Returns:
        phi (dimensionless), accurate to ``tol`` on the given grid (the lower end of the final
        bracket, a level that percolates).

    Raises:
        ValueError: when even the lowest ELF value does not percolate (e.g. the required atoms are
            in no spanning component), the grid is malformed or has values outside [0, 1] (beyond
            :data:`ELF_TOLERANCE`), or a required point is not an index of the grid (named).
    """
    arr = _check_grid(elf, elf_range=True)
    if required_points is not None:
        required_points = _check_points(required_points, arr.shape)
    owners, bridges = _check_owners(owners, bridges, arr.shape)
    kw = dict(required_points=required_points, owners=owners, bridges=bridges)
    lo, hi = float(arr.min()), float(arr.max())
    if not percolates(arr, level=lo, **kw):
        rule = " through the bridge (hydrogen) cells" if owners is not None else ""
        raise ValueError(
            f"no isovalue percolates in 3D{rule} (the required atoms are in no spanning network)"
        )
    if percolates(arr, level=hi, **kw):
        return hi
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if percolates(arr, level=mid, **kw):
            lo = mid
        else:
            hi = mid
    return lo


def nearest_sites(
    points_frac: np.ndarray, *, cell: np.ndarray, frac_coords: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per point: index of the nearest site (any periodic image), that image (3 ints), distance (Å).

    Points and sites are fractional coordinates, wrapped into [0, 1) first; images from -2 to 2
    along each axis are searched (enough for any cell whose angles are not extremely skewed). The
    sites are usually nuclei (which atom owns an ELF attractor) or attractors (which H nucleus has
    an attractor of its own).
    """
    cell = np.asarray(cell, dtype=float)
    pts = np.asarray(points_frac, dtype=float).reshape(-1, 3) % 1.0
    frac = np.asarray(frac_coords, dtype=float).reshape(-1, 3) % 1.0
    if len(frac) == 0:
        raise ValueError("nearest_sites needs at least one site (frac_coords is empty)")
    shifts = np.array(list(np.ndindex(5, 5, 5))) - 2
    best = np.full(len(pts), np.inf)
    atom = np.zeros(len(pts), dtype=np.int64)
    image = np.zeros((len(pts), 3), dtype=np.int64)
    for i, f in enumerate(frac):
        for sh in shifts:
            d = np.linalg.norm((pts - (f + sh)) @ cell, axis=1)
            closer = d < best - 1e-12
            best[closer] = d[closer]
            atom[closer] = i
            image[closer] = sh
    return atom, image, best


def nearest_atoms(points_frac: np.ndarray, *, cell: np.ndarray, frac_coords: np.ndarray) -> np.ndarray:
    """Index of the nearest nucleus (any periodic image) of each fractional point."""
    return nearest_sites(points_frac, cell=cell, frac_coords=frac_coords)[0]


def basin_owners(
    basins: Owners,
    attractors: np.ndarray,
    *,
    cell: np.ndarray,
    frac_coords: np.ndarray,
    is_hydrogen: Sequence[bool],
    core_radius_A: Sequence[float],
) -> tuple[Owners, np.ndarray]:
    """Owners and bridges for :func:`percolation_rank` from ELF basins: atoms, not basins, own space.

    An attractor within ``core_radius_A`` of its nearest nucleus belongs to that atom (a heavy
    atom's valence shell split into several basins is one owner, as critic2-based analyses merge
    such attractors onto their nucleus); any other attractor is a non-nuclear basin and its own
    owner. Bridges: hydrogen atoms, and non-nuclear basins whose nearest nucleus is H.

    Args:
        basins: ``(basin, image)`` per grid point (:func:`elf_basins`).
        attractors: the attractors' grid indices (K x 3, :func:`elf_basins`).
        cell: 3x3 lattice vectors as rows (Å).
        frac_coords: N x 3 fractional coordinates of the atoms.
        is_hydrogen: per atom, True for H.
        core_radius_A: per atom, the radius (Å) within which an attractor is the atom's own.

    Returns:
        ``((owner, image), bridges)``: owner ids 0..N-1 are atoms, N + k the non-nuclear basin k;
        ``bridges[N + k]`` says whether attractor k's nearest nucleus is H (also when it is nuclear).
    """
    basin, image = basins
    shape = np.array(basin.shape)
    frac = np.asarray(frac_coords, dtype=float).reshape(-1, 3)
    is_h = np.asarray(is_hydrogen, dtype=bool)
    radius = np.asarray(core_radius_A, dtype=float)
    if len(is_h) != len(frac) or len(radius) != len(frac):
        raise ValueError("is_hydrogen and core_radius_A need one entry per atom")
    att = np.asarray(attractors).reshape(-1, 3) / shape
    atom, img, dist = nearest_sites(att, cell=cell, frac_coords=frac)
    # attractor k (in the cell) belongs to the image img[k] of its nucleus (positions wrapped into
    # the cell); a grid point that climbed to image I of attractor k belongs to image img[k] + I
    nuclear = dist <= radius[atom]
    n_atoms = len(frac)
    owner_of_basin = np.where(nuclear, atom, n_atoms + np.arange(len(att)))
    image_of_basin = np.where(nuclear[:, None], img, 0)
    owner = owner_of_basin[basin]
    owner_image = image + image_of_basin[basin]
    bridges = np.concatenate([is_h, is_h[atom]])
    return (owner, owner_image), bridges


def elf_basins(elf: np.ndarray) -> tuple[Owners, np.ndarray]:
    """ELF basins by steepest ascent on the periodic grid (26 neighbours).

    Every grid point climbs to its highest neighbour while one is higher; a point with no higher
    neighbour is an attractor. Equal values are ordered by the flat grid index, so a plateau (a
    clipped or constant region) climbs to one of its points instead of making every point an
    attractor. Returns ``((basin, image), attractors)``: per grid point the
    index of its attractor and the lattice image of that attractor reached (ints, shapes ``shape``
    and ``(*shape, 3)``), and the attractors' grid indices (K x 3). Use the basins as ``owners`` in
    :func:`percolation_rank`.
    """
    arr = _check_grid(elf)
    shape = np.array(arr.shape)
    n = arr.size
    flat = arr.ravel()
    ijk = np.stack(np.unravel_index(np.arange(n), arr.shape), axis=1)
    parent = np.arange(n)
    pshift = np.zeros((n, 3), dtype=np.int64)
    best = flat.copy()
    best_ix = np.arange(n)
    for step in np.array(list(np.ndindex(3, 3, 3))) - 1:
        if not step.any():
            continue
        moved = ijk + step
        wrap = np.floor_divide(moved, shape)
        nb = np.ravel_multi_index(tuple((moved % shape).T), arr.shape)
        higher = (flat[nb] > best) | ((flat[nb] == best) & (nb > best_ix))
        best[higher] = flat[nb][higher]
        best_ix[higher] = nb[higher]
        parent[higher] = nb[higher]
        pshift[higher] = wrap[higher]
    # pointer jumping: every point to its attractor, adding up the lattice translations crossed
    for _ in range(64):
        grand = parent[parent]
        if np.array_equal(grand, parent):
            break
        pshift = pshift + pshift[parent]
        parent = grand
    roots, basin = np.unique(parent, return_inverse=True)
    return (basin.reshape(arr.shape), pshift.reshape(*arr.shape, 3)), ijk[roots]


def nearest_grid_points(frac_coords: np.ndarray, shape: Sequence[int]) -> list[tuple[int, int, int]]:
    """Grid indices nearest to fractional coordinates (grid point i of axis k sits at i / shape[k])."""
    frac = np.asarray(frac_coords, dtype=float).reshape(-1, 3) % 1.0
    idx = np.rint(frac * np.asarray(shape)).astype(int) % np.asarray(shape)
    return [tuple(int(v) for v in row) for row in idx]


def fill_spheres(
    elf: np.ndarray, *, cell: np.ndarray, frac_coords: np.ndarray, radius: float, value: float = 1.0
) -> np.ndarray:
    """Copy of ``elf`` with ``value`` inside spheres of ``radius`` (Angstrom) around the given atoms.

    Args:
        elf: periodic grid (axis k samples lattice vector k).
        cell: 3x3 lattice vectors as rows (Angstrom).
        frac_coords: N x 3 fractional coordinates of the atoms.
        radius: sphere radius (Angstrom); 0 returns an unchanged copy.
        value: value written inside the spheres.
    """
    arr = _check_grid(elf).copy()
    if radius <= 0 or len(frac_coords) == 0:
        return arr
    shape = np.array(arr.shape)
    grids = np.meshgrid(*[np.arange(n) / n for n in shape], indexing="ij")
    frac_grid = np.stack(grids, axis=-1)
    cell = np.asarray(cell, dtype=float)
    for f in np.asarray(frac_coords, dtype=float).reshape(-1, 3):
        d = frac_grid - f
        d -= np.rint(d)
        dist = np.linalg.norm(d @ cell, axis=-1)
        arr[dist <= radius] = value
    return arr


def h2_units(structure, *, max_distance: float = 1.0) -> list[tuple[int, int, float]]:
    """H-H pairs closer than ``max_distance`` (Angstrom): molecular H2 units, as (i, j, distance)."""
    h_idx = [i for i, site in enumerate(structure) if site.specie.symbol == "H"]
    pairs = []
    for n, i in enumerate(h_idx):
        for j in h_idx[n + 1 :]:
            d = float(structure.get_distance(i, j))
            if d < max_distance:
                pairs.append((i, j, d))
    return pairs


def resample_cartesian(elf: np.ndarray, *, cell: np.ndarray, box: np.ndarray, n: int = 32) -> np.ndarray:
    """Periodic trilinear resampling of a grid onto an n^3 Cartesian grid spanning ``box`` (for plots).

    Args:
        elf: periodic grid on the cell (axis k samples lattice vector k).
        cell: 3x3 lattice vectors of the grid's cell as rows (Angstrom).
        box: 3x3 vectors (rows, Angstrom) of the box to sample, e.g. the conventional cubic cell.
        n: points per box axis (point i at i / n).

    Returns:
        n x n x n array of interpolated values.
    """
    arr = _check_grid(elf)
    g = np.arange(n) / n
    frac_box = np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1).reshape(-1, 3)
    cart = frac_box @ np.asarray(box, dtype=float)
    frac = cart @ np.linalg.inv(np.asarray(cell, dtype=float))
    coords = (frac % 1.0) * np.array(arr.shape)
    values = ndimage.map_coordinates(arr, coords.T, order=1, mode="grid-wrap")
    return values.reshape(n, n, n)
