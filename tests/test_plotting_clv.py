"""The customer-base figures draw the tables they are given, and nothing else: the
right number of axes and lines, the table's numbers on them, labels in both
languages, and no model (nor crmkit.clv) inside the plotting module."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import crmkit
from crmkit.clv import BGNBD, alive_grid, calibration_holdout, expected_grid, tracking
from crmkit.plotting import (
    plot_alive_heatmap,
    plot_expected_heatmap,
    plot_holdout_by_frequency,
    plot_tracking,
)

PLOTTING = Path(crmkit.__file__).parent / "plotting" / "_clv.py"


def _track() -> pd.DataFrame:
    """A hand-made tracking table (numbers no model would give)."""
    actual = np.array([0, 3, 5, 2, 4, 1])
    expected = np.array([1.0, 2.5, 3.5, 3.0, 2.0, 1.5])
    table = pd.DataFrame(
        {
            "end": pd.date_range("2024-01-07", periods=6, freq="7D"),
            "holdout": [False] * 3 + [True] * 3,
            "actual": actual,
            "expected": expected,
            "actual_cumulative": actual.cumsum(),
            "expected_cumulative": expected.cumsum(),
        },
        index=pd.RangeIndex(1, 7, name="period"),
    )
    table.attrs.update(time_unit="W", start="2024-01-01", calibration_periods=3.0)
    return table


def _by_frequency() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "n_customers": [10, 5, 2],
            "actual": [0.2, 0.9, 3.0],
            "predicted": [0.3, 0.8, 2.5],
        },
        index=pd.Index(["0", "1", "2+"], name="frequency_cal"),
    )


def _grid() -> pd.DataFrame:
    values = np.array([[0.9, np.nan, np.nan], [0.1, 0.5, 0.8], [0.05, 0.4, 0.95]])
    grid = pd.DataFrame(
        values,
        index=pd.Index([0, 1, 2], name="frequency"),
        columns=pd.Index([0.0, 10.0, 20.0], name="recency"),
    )
    grid.attrs.update(quantity="prob_alive", T=20.0, t=52.0, model="BGNBD")
    return grid


def _renders(fig) -> None:
    fig.savefig(io.BytesIO(), format="png")


def test_plot_tracking_draws_the_table():
    table = _track()
    fig = plot_tracking(table)
    top, bottom = fig.axes
    assert len(fig.axes) == 2
    for ax, (a, e) in (
        (top, ("actual_cumulative", "expected_cumulative")),
        (bottom, ("actual", "expected")),
    ):
        actual, model, end = ax.get_lines()
        np.testing.assert_array_equal(actual.get_xdata(), table.index)
        np.testing.assert_array_equal(actual.get_ydata(), table[a])
        np.testing.assert_array_equal(model.get_ydata(), table[e])
        assert list(end.get_xdata()) == [3.0, 3.0]  # the end of calibration
    assert top.get_ylabel() == "cumulative repeat purchases"
    assert bottom.get_ylabel() == "repeat purchases per week"
    assert bottom.get_xlabel() == "weeks since 2024-01-01"
    assert [t.get_text() for t in top.get_legend().get_texts()] == [
        "actual",
        "model",
        "end of calibration",
    ]
    _renders(fig)


def test_plot_tracking_in_chinese_and_days():
    table = _track()
    table.attrs["time_unit"] = "D"
    with crmkit.language("zh"):
        fig = plot_tracking(table)
    top, bottom = fig.axes
    assert top.get_ylabel() == "累计重复购买次数"
    assert bottom.get_ylabel() == "每天重复购买次数"
    assert top.get_title() == "重复购买跟踪"


def test_plot_holdout_by_frequency_draws_the_table():
    table = _by_frequency()
    fig = plot_holdout_by_frequency(table)
    (ax,) = fig.axes
    actual, predicted = ax.get_lines()
    np.testing.assert_array_equal(actual.get_ydata(), table["actual"])
    np.testing.assert_array_equal(predicted.get_ydata(), table["predicted"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1", "2+"]
    assert ax.get_xlabel() == "repeat purchases in calibration"
    with crmkit.language("zh"):
        fig = plot_holdout_by_frequency(table)
    assert fig.axes[0].get_xlabel() == "校准期内的重复购买次数"
    _renders(fig)


@pytest.mark.parametrize("plot", [plot_alive_heatmap, plot_expected_heatmap])
def test_heatmaps_draw_the_grid(plot):
    grid = _grid()
    fig = plot(grid)
    assert len(fig.axes) == 2  # the map and its colour bar
    ax = fig.axes[0]
    (mesh,) = ax.collections
    drawn = np.ma.filled(mesh.get_array(), np.nan).reshape(grid.shape)
    np.testing.assert_array_equal(drawn, grid.to_numpy())
    assert "T = 20" in ax.get_title()
    assert ax.get_ylabel() == "frequency x (repeat purchases)"
    _renders(fig)


def test_heatmap_labels_in_chinese():
    with crmkit.language("zh"):
        alive = plot_alive_heatmap(_grid())
        expected = plot_expected_heatmap(_grid())
    assert alive.axes[0].get_title() == "存活概率（T = 20）"
    assert alive.axes[1].get_ylabel() == "存活概率"
    assert expected.axes[0].get_title() == "预期购买次数（T = 20，未来 52）"


def test_plots_of_computed_tables():
    # the whole path on a small synthetic log: computed table -> figure
    log = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2, 2, 3, 3],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-20", "2024-03-01", "2024-01-10",
                 "2024-02-25", "2024-01-15", "2024-01-16"]
            ),
        }
    )  # fmt: skip
    model = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    window = {"calibration_end": "2024-01-31", "holdout_end": "2024-03-01"}
    track = tracking(model, log, **window)
    fig = plot_tracking(track)
    assert len(fig.axes[0].get_lines()) == 3
    assert calibration_holdout(log, **window)["frequency_holdout"].sum() == 2
    grid = alive_grid(model, 39.0, max_frequency=4, recency_points=5)
    assert len(plot_alive_heatmap(grid).axes) == 2
    grid = expected_grid(model, 52.0, 39.0, max_frequency=4, recency_points=5)
    assert len(plot_expected_heatmap(grid).axes) == 2
    plt.close("all")


def test_the_plotting_module_does_not_compute():
    tree = ast.parse(PLOTTING.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
    assert not any(m.startswith("crmkit.clv") for m in imported), imported
    assert not any(m.startswith("scipy") for m in imported), imported
