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

Molecular H2. The intramolecular H-H bond has ELF close to 1, but the networking value is set by the
weakest link of the spanning network, i.e. by the saddle points *between* molecules, so H2 units
need no special case: a molecular solid gets the (low) intermolecular saddle value.

Checks. :func:`percolation_rank` and :func:`networking_value` refuse a grid with values outside
[0, 1] (beyond :data:`ELF_TOLERANCE` = 1e-6, room for the rounding of a stored grid) and required
points that are not indices of the grid, naming them (a negative index would otherwise wrap
silently and one past the end would raise a bare ``IndexError``).
:func:`h2_units` lists H-H pairs shorter than a cut-off so that a table can flag molecular cells.
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


def _wrap_rank(labels: np.ndarray, n_labels: int, keep: np.ndarray | None) -> np.ndarray:
    """Rank (0-3) of the lattice translations each periodic component wraps, per label (index 0 unused).

    ``keep``: boolean per label (index 0 unused); components containing no kept label get rank 0.
    """
    # edges between labels across each periodic face, with the shift crossed (+1 along the axis)
    edges: list[tuple[np.ndarray, np.ndarray, int]] = []
    for axis in range(3):
        hi = np.take(labels, -1, axis=axis).ravel()
        lo = np.take(labels, 0, axis=axis).ravel()
        both = (hi > 0) & (lo > 0)
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


def percolation_rank(
    elf: np.ndarray, *, level: float, required_points: Sequence[tuple[int, int, int]] | None = None
) -> int:
    """Largest number of independent lattice directions spanned by one component of ``{elf >= level}``.

    Args:
        elf: ELF on a periodic grid (3D array; axis k samples lattice vector k).
        level: isovalue (dimensionless).
        required_points: grid indices (e.g. the H nuclei); when given, only components holding at
            least one of them count.

    Returns:
        0 (no wrapping component), 1 (a chain), 2 (a sheet) or 3 (a 3D network).
    """
    arr = _check_grid(elf, elf_range=True)
    if required_points is not None:
        required_points = _check_points(required_points, arr.shape)
    labels, n = ndimage.label(arr >= level, structure=_STRUCT6)
    if n == 0:
        return 0
    keep = None
    if required_points is not None:
        keep = np.zeros(n + 1, dtype=bool)
        for idx in required_points:
            keep[labels[idx]] = True
        keep[0] = False
    rank = _wrap_rank(labels, n, keep)
    return int(rank.max())


def percolates(
    elf: np.ndarray, *, level: float, required_points: Sequence[tuple[int, int, int]] | None = None
) -> bool:
    """True when ``{elf >= level}`` holds a component that wraps the cell in all three directions."""
    return percolation_rank(elf, level=level, required_points=required_points) == 3


def networking_value(
    elf: np.ndarray,
    *,
    required_points: Sequence[tuple[int, int, int]] | None = None,
    tol: float = 1e-4,
) -> float:
    """Networking value phi: the largest isovalue at which ``{elf >= phi}`` percolates in 3D.

    Args:
        elf: ELF on a periodic grid (dimensionless, in [0, 1]).
        required_points: grid indices of atoms the network must contain (e.g. H nuclei).
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
    lo, hi = float(arr.min()), float(arr.max())
    if not percolates(arr, level=lo, required_points=required_points):
        raise ValueError("no isovalue percolates in 3D (the required atoms are in no spanning network)")
    if percolates(arr, level=hi, required_points=required_points):
        return hi
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if percolates(arr, level=mid, required_points=required_points):
            lo = mid
        else:
            hi = mid
    return lo


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


def phi_dos(*, phi: float, h_fraction: float, h_dos: float) -> float:
    """Belli et al.'s descriptor Phi_DOS = phi * H_f * H_DOS^(1/3) (review eq. 6; dimensionless)."""
    for name, value in (("phi", phi), ("h_fraction", h_fraction), ("h_dos", h_dos)):
        if not np.isfinite(value) or not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1], got {value!r}")
    return float(phi * h_fraction * np.cbrt(h_dos))


def belli_tc(phi_dos_value: float | np.ndarray) -> float | np.ndarray:
    """Tc = 750 Phi_DOS - 85 (K): the fit of the review's Fig. 3 caption (Belli et al. 2021)."""
    return 750.0 * np.asarray(phi_dos_value) - 85.0


def tcestime_tc(phi_dos_value: float | np.ndarray) -> float | np.ndarray:
    """Tc = 456.34 Phi_DOS - 9.46 (K): the refit used by the TcESTIME tool (Novoa et al. 2025)."""
    return 456.34 * np.asarray(phi_dos_value) - 9.46


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
