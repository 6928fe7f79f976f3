"""Plot helpers: labelled axes, clear errors on bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from reviewlib.plots import parity_plot, periodic_table_heatmap


def test_parity_plot_labels_units_and_metrics(rng):
    y = rng.uniform(0, 100, 50)
    ax = parity_plot(y_true=y, y_pred=y + rng.normal(0, 5, 50), label="RF")
    assert ax.get_xlabel() == "true $T_c$ (K)" and ax.get_ylabel() == "predicted $T_c$ (K)"
    assert "RMSE" in ax.get_legend().get_texts()[0].get_text()


def test_parity_plot_rejects_nan_and_shape_mismatch():
    with pytest.raises(ValueError, match="finite"):
        parity_plot(y_true=[1.0, np.nan], y_pred=[1.0, 2.0])
    with pytest.raises(ValueError, match="shape"):
        parity_plot(y_true=[1.0, 2.0], y_pred=[1.0])


def test_periodic_table_heatmap_places_every_element():
    ax = periodic_table_heatmap(values={"H": 10, "Cu": 876, "La": 3}, label="structures", log=True)
    symbols = {t.get_text() for t in ax.texts}
    assert {"H", "Cu", "La", "U", "Lr"} <= symbols and len(symbols) == 103
    assert ax.figure.axes[-1].get_ylabel() == "structures"


def test_periodic_table_heatmap_rejects_unknown_element():
    with pytest.raises(ValueError, match="Xx"):
        periodic_table_heatmap(values={"Xx": 1.0}, label="n")


def test_parity_kit_draws_a_square_labelled_parity_axis(rng):
    import matplotlib.pyplot as plt

    from reviewlib.plots import PARITY_STYLE, identity_line, metrics_label, parity_axes

    y = rng.uniform(0, 2, 40)
    pred = y + rng.normal(0, 0.1, 40)
    _, ax = plt.subplots()
    ax.scatter(
        y, pred, label=metrics_label(y_true=y, y_pred=pred, unit="", label="GPR"), **PARITY_STYLE["scatter"]
    )
    lo, hi = float(min(y.min(), pred.min())), float(max(y.max(), pred.max()))
    lim = identity_line(ax, lo=lo, hi=hi, label="y = x")
    parity_axes(ax, lim=lim, quantity="λ", unit="")
    line = ax.get_lines()[0]
    assert line.get_label() == "y = x" and line.get_linestyle() == "--"
    assert np.allclose(line.get_xdata(), line.get_ydata()) and lim[0] < lo and lim[1] > hi
    assert ax.get_xlim() == ax.get_ylim() == lim
    # a dimensionless quantity: no empty brackets, no dangling unit
    assert ax.get_xlabel() == "true λ" and ax.get_ylabel() == "predicted λ"
    text = ax.collections[0].get_label()
    assert text.startswith("GPR: RMSE ") and " , " not in text and "()" not in text
    assert metrics_label(y_true=[1.0, 2.0, 3.0], y_pred=[1.0, 2.0, 4.0], unit="GPa").startswith(
        "RMSE 0.577 GPa, MAE 0.333 GPa"
    )


def test_periodic_table_heatmap_frames_the_named_cells():
    from matplotlib.patches import Rectangle

    ax = periodic_table_heatmap(values={"H": 1.0, "Y": 2.0}, label="Tc (K)", framed=["Y", "La", "Mg"])
    frames = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    corners = sorted(p.get_xy() for p in frames)
    # Mg: period 3, group 2; Y: period 5, group 3; La: the first f-block cell (row 8, set off by 1/2)
    assert corners == sorted([(1.5, 2.5), (2.5, 4.5), (2.5, 8.0)])
    assert all(p.get_edgecolor()[:3] == (1.0, 0.0, 0.0) for p in frames)
    with pytest.raises(ValueError, match="Qq"):
        periodic_table_heatmap(values={"H": 1.0}, label="n", framed=["Qq"])
