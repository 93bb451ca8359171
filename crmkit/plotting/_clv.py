"""Figures for customer-base analysis: tracking plots, holdout purchases by
frequency and heat maps over (frequency, recency). Each draws a table computed by
:mod:`crmkit.clv` (``tracking``, ``holdout_by_frequency``, ``alive_grid``,
``expected_grid``) and never a model."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from crmkit._i18n import tr

__all__ = [
    "plot_alive_heatmap",
    "plot_expected_heatmap",
    "plot_holdout_by_frequency",
    "plot_tracking",
]


def _unit(attrs: dict) -> tuple[str, str]:
    """The time unit of a table, in English and Chinese."""
    return ("day", "天") if attrs.get("time_unit") == "D" else ("week", "周")


def _actual_vs_model(ax: Axes, x: np.ndarray, actual: object, model: object) -> None:
    ax.plot(x, actual, color="C0", label=tr(en="actual", zh="实际"))
    ax.plot(x, model, color="C1", linestyle="--", label=tr(en="model", zh="模型"))


def plot_tracking(track: pd.DataFrame) -> Figure:
    """Cumulative (top) and per-period (bottom) repeat purchases of the cohort, actual
    against the model, from :func:`crmkit.clv.tracking`; a dotted line marks the end
    of the calibration period."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.0, 6.4), sharex=True)
    x = track.index.to_numpy()
    _actual_vs_model(top, x, track["actual_cumulative"], track["expected_cumulative"])
    _actual_vs_model(bottom, x, track["actual"], track["expected"])
    end = track.attrs.get("calibration_periods")
    if end is not None:
        for ax in (top, bottom):
            ax.axvline(
                end,
                color="0.5",
                linestyle=":",
                label=tr(en="end of calibration", zh="校准期结束"),
            )
    en, zh = _unit(track.attrs)
    top.set_ylabel(tr(en="cumulative repeat purchases", zh="累计重复购买次数"))
    bottom.set_ylabel(tr(en=f"repeat purchases per {en}", zh=f"每{zh}重复购买次数"))
    start = track.attrs.get("start", "")
    bottom.set_xlabel(
        tr(en=f"{en}s since {start}", zh=f"自 {start} 起的{zh}数")
        if start
        else tr(en=f"{en}s", zh=f"{zh}数")
    )
    top.set_title(tr(en="Tracking repeat purchases 重复购买跟踪", zh="重复购买跟踪"))
    top.legend(fontsize="small", loc="upper left")
    return fig


def plot_holdout_by_frequency(table: pd.DataFrame) -> Figure:
    """Mean actual and predicted holdout purchases by calibration frequency, from
    :func:`crmkit.clv.holdout_by_frequency` (FHL 2005, Figure 3)."""
    fig, ax = plt.subplots(figsize=(5.6, 4.0))
    x = np.arange(len(table))
    ax.plot(
        x, table["actual"], color="C0", marker="o", label=tr(en="actual", zh="实际")
    )
    ax.plot(
        x,
        table["predicted"],
        color="C1",
        marker="s",
        linestyle="--",
        label=tr(en="model", zh="模型"),
    )
    ax.set_xticks(x, [str(label) for label in table.index])
    ax.set_xlabel(tr(en="repeat purchases in calibration", zh="校准期内的重复购买次数"))
    ax.set_ylabel(tr(en="mean purchases in the holdout", zh="验证期内的平均购买次数"))
    ax.set_title(
        tr(en="Holdout purchases by frequency 验证期预测", zh="验证期：预测与实际")
    )
    ax.legend(fontsize="small", loc="upper left")
    return fig


def _heatmap(
    grid: pd.DataFrame,
    colour_label: str,
    title: str,
    customer: tuple[float, float] | None = None,
) -> Figure:
    fig, ax = plt.subplots(figsize=(6.0, 4.6))
    mesh = ax.pcolormesh(
        grid.columns.to_numpy(dtype=float),
        grid.index.to_numpy(dtype=float),
        grid.to_numpy(dtype=float),
        shading="nearest",
        cmap="viridis",
    )
    fig.colorbar(mesh, ax=ax, label=colour_label)
    ax.set_xlabel(tr(en="recency t_x (last purchase)", zh="最近一次购买时间 t_x"))
    ax.set_ylabel(tr(en="frequency x (repeat purchases)", zh="重复购买次数 x"))
    ax.set_title(title)
    if customer is not None:
        recency, frequency = customer
        ax.plot(
            [recency],
            [frequency],
            linestyle="none",
            marker="o",
            markersize=13,
            markerfacecolor="none",
            markeredgecolor="red",
            markeredgewidth=2.2,
            label=tr(en="this customer", zh="该客户"),
        )
        ax.legend(fontsize="small", loc="upper left")
    return fig


def plot_alive_heatmap(
    grid: pd.DataFrame, customer: tuple[float, float] | None = None
) -> Figure:
    """P(alive) over (recency, frequency) at one age T, from
    :func:`crmkit.clv.alive_grid`; ``customer = (recency, frequency)`` is marked with
    a red ring."""
    age = grid.attrs.get("T", float("nan"))
    return _heatmap(
        grid,
        tr(en="P(alive)", zh="存活概率"),
        tr(en=f"P(alive) at T = {age:g} 存活概率", zh=f"存活概率（T = {age:g}）"),
        customer,
    )


def plot_expected_heatmap(
    grid: pd.DataFrame, customer: tuple[float, float] | None = None
) -> Figure:
    """Expected purchases in the next t over (recency, frequency) at one age T, from
    :func:`crmkit.clv.expected_grid`; ``customer = (recency, frequency)`` is marked
    with a red ring."""
    age = grid.attrs.get("T", float("nan"))
    t = grid.attrs.get("t", float("nan"))
    return _heatmap(
        grid,
        tr(
            en=f"expected purchases in the next {t:g}",
            zh=f"未来 {t:g} 内的预期购买次数",
        ),
        tr(
            en=f"Expected purchases at T = {age:g} 预期购买次数",
            zh=f"预期购买次数（T = {age:g}，未来 {t:g}）",
        ),
        customer,
    )
