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
