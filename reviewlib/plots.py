"""Plots shared by the notebooks: parity plots and a periodic-table heatmap (with framed cells).

Every function takes keyword-only arguments, draws on ``ax`` (a new figure when ``None``) and
returns the ``Axes``. Axes are labelled with units.

The parity kit -- :data:`PARITY_STYLE`, :func:`metrics_label`, :func:`identity_line`,
:func:`parity_axes` -- is what :func:`parity_plot` is built from; a chapter that draws its own
parity scatter (several models on one axis, annotated points) uses the same pieces so every
parity plot in the book looks and reads alike.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm, Normalize

from reviewlib.evaluation.metrics import regression_metrics

if TYPE_CHECKING:
    from pymatgen.core.periodic_table import Element


def _new_ax(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


#: the look of a parity plot: points, the y = x line and the legend
PARITY_STYLE = {
    "scatter": {"s": 8, "alpha": 0.5, "edgecolors": "none"},
    "identity": {"color": "0.3", "lw": 1, "ls": "--"},
    "legend": {"loc": "upper left", "fontsize": "small", "frameon": False},
    "figsize": (4.2, 4.0),
}


def _with_unit(text: str, unit: str, *, brackets: bool) -> str:
    """``text`` followed by its unit; nothing is added for a dimensionless quantity (``unit=""``)."""
    if not unit:
        return text
    return f"{text} ({unit})" if brackets else f"{text} {unit}"


def metrics_label(*, y_true, y_pred, unit: str = "K", label: str | None = None) -> str:
    """``"label: RMSE 1.2 K, MAE 0.9 K, $R^2$ 0.871"`` for a legend (values pooled over all points).

    ``unit=""`` for a dimensionless quantity (e.g. lambda): ``"RMSE 0.12, MAE 0.08, ..."``.
    """
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    m = regression_metrics(y_true.ravel(), y_pred.ravel())
    rmse = _with_unit(f"RMSE {m['rmse']:.3g}", unit, brackets=False)
    mae = _with_unit(f"MAE {m['mae']:.3g}", unit, brackets=False)
    stats = f"{rmse}, {mae}, $R^2$ {m['r2']:.3f}"
    return f"{label}: {stats}" if label else stats


def identity_line(
    ax: Axes, *, lo: float, hi: float, pad_fraction: float = 0.03, **style
) -> tuple[float, float]:
    """Draw y = x from ``lo`` to ``hi`` (padded by ``pad_fraction`` of the range) in the parity
    style (``style`` overrides it, e.g. ``label="y = x"``); returns the padded limits.
    """
    pad = pad_fraction * (hi - lo or 1.0)
    lim = (lo - pad, hi + pad)
    ax.plot(lim, lim, **{**PARITY_STYLE["identity"], **style})
    return lim


def parity_axes(ax: Axes, *, lim: tuple[float, float], quantity: str = "$T_c$", unit: str = "K") -> Axes:
    """Square parity axes: equal limits ``lim`` on both axes, labels ``true/predicted <quantity> (unit)``
    (no brackets for a dimensionless quantity, ``unit=""``).
    """
    ax.set(
        xlim=lim,
        ylim=lim,
        xlabel=_with_unit(f"true {quantity}", unit, brackets=True),
        ylabel=_with_unit(f"predicted {quantity}", unit, brackets=True),
    )
    ax.set_aspect("equal")
    return ax


def parity_plot(
    *,
    y_true,
    y_pred,
    ax: Axes | None = None,
    label: str | None = None,
    unit: str = "K",
    title: str | None = None,
    quantity: str = "$T_c$",
) -> Axes:
    """Predicted against true values with the y = x line; the legend gives RMSE, MAE and R^2."""
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has {y_pred.shape}")
    if not (np.isfinite(y_true).all() and np.isfinite(y_pred).all()):
        raise ValueError("parity_plot: y_true and y_pred must be finite")
    ax = _new_ax(ax, PARITY_STYLE["figsize"])
    text = metrics_label(y_true=y_true, y_pred=y_pred, unit=unit, label=label)
    ax.scatter(y_true, y_pred, label=text, **PARITY_STYLE["scatter"])
    lo = float(min(y_true.min(), y_pred.min()))
    hi = float(max(y_true.max(), y_pred.max()))
    lim = identity_line(ax, lo=lo, hi=hi)
    parity_axes(ax, lim=lim, quantity=quantity, unit=unit)
    ax.legend(**PARITY_STYLE["legend"])
    if title:
        ax.set_title(title)
    return ax


def _table_position(element: Element) -> tuple[int, int]:
    """(row, column) in the 18-column table; lanthanides and actinides in rows 8 and 9."""
    z = element.Z
    if 57 <= z <= 71:
        return 8, 3 + (z - 57)
    if 89 <= z <= 103:
        return 9, 3 + (z - 89)
    return element.row, element.group


def _cell_corner(row: int, col: int) -> tuple[float, float]:
    """Lower-left corner (plot coordinates) of a cell; rows 8-9 (f block) set off by half a cell."""
    y = row + (0.5 if row >= 8 else 0.0)
    return col - 0.5, y - 0.5


def periodic_table_heatmap(
    *,
    values: Mapping[str, float],
    ax: Axes | None = None,
    label: str,
    log: bool = False,
    cmap: str = "viridis",
    title: str | None = None,
    framed: Collection[str] = (),
    frame_color: str = "red",
) -> Axes:
    """Colour each element by ``values[symbol]`` (grey when absent) with a labelled colour bar.

    ``label`` names the quantity and its unit, e.g. ``"structures containing element"``.
    ``framed``: element symbols whose cells get a frame in ``frame_color`` (e.g. a group of
    elements the text is about, such as the lability belts of chapter 04), whether or not they
    have a value. Unknown element symbols (in ``values`` or ``framed``) raise ``ValueError``.
    """
    from pymatgen.core.periodic_table import Element

    frame_cells = []
    for symbol in [framed] if isinstance(framed, str) else framed:
        try:
            el = Element(symbol)
        except ValueError as exc:
            raise ValueError(f"periodic_table_heatmap: unknown element {symbol!r} in framed") from exc
        if el.Z > 103:
            raise ValueError(f"periodic_table_heatmap: {symbol} (Z > 103) has no cell to frame")
        frame_cells.append(_table_position(el))
    cells: dict[tuple[int, int], tuple[str, float | None]] = {}
    for z in range(1, 104):
        el = Element.from_Z(z)
        cells[_table_position(el)] = (el.symbol, None)
    for symbol, value in values.items():
        try:
            el = Element(symbol)
        except ValueError as exc:
            raise ValueError(f"periodic_table_heatmap: unknown element {symbol!r}") from exc
        if el.Z > 103:
            continue
        if value is None or not np.isfinite(value):
            raise ValueError(f"periodic_table_heatmap: value for {symbol} is not finite")
        cells[_table_position(el)] = (el.symbol, float(value))
    present = [v for _, v in cells.values() if v is not None]
    if not present:
        raise ValueError("periodic_table_heatmap: no values to plot")
    if log:
        positive = [v for v in present if v > 0]
        if not positive:
            raise ValueError("periodic_table_heatmap: log scale needs positive values")
        norm = LogNorm(vmin=min(positive), vmax=max(positive))
    else:
        norm = Normalize(vmin=min(present), vmax=max(present))
    colormap = plt.get_cmap(cmap)
    ax = _new_ax(ax, (10, 5.4))
    for (row, col), (symbol, value) in cells.items():
        x0, y0 = _cell_corner(row, col)
        filled = value is not None and (not log or value > 0)
        face = colormap(norm(value)) if filled else (0.9, 0.9, 0.9, 1.0)
        ax.add_patch(plt.Rectangle((x0, y0), 0.95, 0.95, facecolor=face, edgecolor="white"))
        light = filled and sum(face[:3]) / 3 < 0.5
        ax.text(
            x0 + 0.475,
            y0 + 0.475,
            symbol,
            ha="center",
            va="center",
            fontsize=7,
            color="white" if light else "black",
        )
    for row, col in frame_cells:
        rect = plt.Rectangle(_cell_corner(row, col), 0.95, 0.95, fill=False, ec=frame_color, lw=1.6)
        ax.add_patch(rect)
    ax.set_xlim(0.3, 18.7)
    ax.set_ylim(10.2, 0.3)
    ax.set_aspect("equal")
    ax.axis("off")
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=colormap)
    ax.figure.colorbar(mappable, ax=ax, label=label, shrink=0.6, pad=0.01)
    if title:
        ax.set_title(title)
    return ax
