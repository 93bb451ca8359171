"""Figures for the complaint-handling chapter (tables in, figures out)."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = [
    "plot_complaint_iceberg",
    "plot_customer_trajectory",
    "plot_dispute_rates",
    "plot_strategies",
]


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is None:
        fig, ax = plt.subplots(figsize=size)
        return fig, ax
    return ax.figure, ax


def plot_complaint_iceberg(iceberg: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """The complaint iceberg (投诉冰山): complaints above the water line, the silent
    dissatisfied below, drawn to scale.

    ``iceberg`` is :meth:`crmkit.complaints.ComplaintResult.iceberg` output.

    Examples
    --------
    >>> from crmkit.complaints import ComplaintScenario, simulate
    >>> ice = simulate(ComplaintScenario(), replications=5, seed=0).iceberg()
    >>> fig = plot_complaint_iceberg(ice)
    """
    fig, ax = _axes(ax, (3.6, 4.2))
    row = iceberg.iloc[0]
    above, below = float(row["complaints"]), float(row["silent"])
    ax.axhspan(-below * 1.08, 0, color="#dbe9f6", zorder=0)
    ax.bar([0], [above], width=0.5, color="#f0f0f0", edgecolor="0.3")
    ax.bar([0], [-below], width=0.9, color="#9ecae1", edgecolor="0.3")
    ax.axhline(0, color="#08519c", linewidth=1.5)
    ax.text(
        0.3,
        above + below * 0.02,
        f"complaints 投诉: {above:,.0f}",
        va="bottom",
        fontsize="small",
    )
    ax.text(
        0,
        -below / 2,
        f"silent dissatisfied\n沉默的不满顾客\n{below:,.0f}",
        ha="center",
        va="center",
        fontsize="small",
    )
    ax.set_xlim(-0.6, 1.2)
    ax.set_ylim(-below * 1.08, max(above * 1.6, below * 0.15))
    ax.set_xticks([])
    ax.set_ylabel("customers with a problem")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{abs(v):,.0f}")
    ratio = row["silent_per_complaint"]
    ax.set_title(f"Iceberg: {ratio:.0f} silent per complaint")
    return fig


def plot_customer_trajectory(
    trajectories: Mapping[str, pd.DataFrame],
    *,
    ylabel: str = "customers 顾客数",
    ax: Axes | None = None,
) -> Figure:
    """One metric per period for several scenarios, with their 95 % intervals.

    ``trajectories`` maps a label to :meth:`ComplaintResult.metric` output (index
    ``period``; columns ``mean``, ``ci_low``, ``ci_high``).

    Examples
    --------
    >>> from crmkit.complaints import ComplaintScenario, simulate
    >>> res = simulate(ComplaintScenario(), replications=5, seed=0)
    >>> fig = plot_customer_trajectory({"default": res.metric("customers")})
    """
    fig, ax = _axes(ax, (5.6, 3.6))
    for i, (label, table) in enumerate(trajectories.items()):
        ax.plot(table.index, table["mean"], marker="o", color=f"C{i}", label=label)
        ax.fill_between(
            table.index, table["ci_low"], table["ci_high"], color=f"C{i}", alpha=0.2
        )
    ax.set_xlabel("period 期")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize="small")
    return fig


def plot_strategies(
    comparison: pd.DataFrame, *, measure: str = "customer_equity"
) -> Figure:
    """Each strategy's difference from the base with its 95 % interval.

    ``comparison`` is :func:`crmkit.complaints.compare_strategies` output.

    Examples
    --------
    >>> from crmkit.complaints import ComplaintScenario, compare_strategies
    >>> out = compare_strategies(ComplaintScenario(), {"hotline": {"complaint_rate":
    ...     0.2}}, replications=5)
    >>> fig = plot_strategies(out)
    """
    rows = comparison[
        (comparison["measure"] == measure) & (comparison["strategy"] != "base")
    ]
    fig, ax = plt.subplots(figsize=(6.0, 0.5 * len(rows) + 1.2))
    y = np.arange(len(rows))[::-1]
    diff = rows["difference"].to_numpy()
    err = np.vstack([diff - rows["diff_low"], rows["diff_high"] - diff])
    colors = ["C2" if d >= 0 else "C3" for d in diff]
    ax.barh(y, diff, color=colors, xerr=err, capsize=3)
    ax.set_yticks(y, rows["strategy"])
    ax.axvline(0, color="0.3", linewidth=1)
    ax.set_xlabel(f"{measure.replace('_', ' ')}: difference from base (95 % CI)")
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    return fig


def plot_dispute_rates(rates: pd.DataFrame, *, xlabel: str | None = None) -> Figure:
    """Dispute rates per group with their 95 % intervals, highest on top.

    ``rates`` is :func:`crmkit.complaints.dispute_rates` output; groups without recorded
    answers are left out.

    Examples
    --------
    >>> from crmkit.complaints import dispute_rates
    >>> from crmkit.datasets import load_complaints
    >>> fig = plot_dispute_rates(dispute_rates(load_complaints()))
    """
    rows = rates.dropna(subset=["dispute_rate"]).sort_values("dispute_rate")
    fig, ax = plt.subplots(figsize=(6.0, 0.45 * len(rows) + 1.0))
    rate = rows["dispute_rate"].to_numpy()
    err = np.vstack([rate - rows["ci_low"], rows["ci_high"] - rate])
    ax.barh([str(i) for i in rows.index], rate, xerr=err, color="C0", capsize=3)
    ax.set_xlabel(xlabel or "share of consumers disputing the response (95 % CI)")
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    return fig
