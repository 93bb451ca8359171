"""Figures for the waiting and queue chapters. Each takes computed tables, never a
model."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = [
    "plot_arrivals_by_hour",
    "plot_estimates_vs_exact",
    "plot_patience_curve",
    "plot_perceived_breakdown",
    "plot_service_level_by_servers",
    "plot_staffing_by_interval",
]


def plot_service_level_by_servers(
    table: pd.DataFrame,
    *,
    target: float | None = None,
    current: int | None = None,
    within_label: str = "",
) -> Figure:
    """Service level (and abandonment, when present) against the number of servers.

    ``table`` is :func:`crmkit.queues.staffing_table` output.

    Examples
    --------
    >>> from crmkit.queues import staffing_table
    >>> fig = plot_service_level_by_servers(staffing_table(3.3, 1 / 3, range(11, 18),
    ...                                                    within=1 / 3), target=0.8)
    """
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.plot(
        table.index, table["service_level"], marker="o", label="service level 服务水平"
    )
    if "prob_abandon" in table:
        ax.plot(
            table.index, table["prob_abandon"], marker="s", label="P(abandon) 放弃率"
        )
    if target is not None:
        ax.axhline(
            target,
            color="0.4",
            linestyle="--",
            linewidth=1,
            label=f"target {target:.0%}",
        )
    if current is not None and current in table.index:
        ax.axvline(current, color="C3", linewidth=1, label=f"{current} servers")
    ax.set_xlabel("servers (agents) 座席数")
    ax.set_ylabel("share of calls")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"Service level by staffing {within_label}".strip())
    ax.legend(loc="lower right", fontsize="small")
    return fig


def plot_staffing_by_interval(
    table: pd.DataFrame, *, rate_label: str = "calls per minute"
) -> Figure:
    """Arrival rate (bars) and servers needed (steps) per interval of the day."""
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    x = np.arange(len(table))
    ax.bar(x, table["arrival_rate"], color="C0", alpha=0.35, label=rate_label)
    ax.set_ylabel(rate_label)
    ax2 = ax.twinx()
    ax2.step(
        x, table["servers"], where="mid", color="C3", linewidth=2, label="servers 座席"
    )
    ax2.set_ylabel("servers needed")
    ax2.grid(False)
    ax.set_xticks(x[::2], [str(i) for i in table.index[::2]], rotation=0)
    ax.set_xlabel(str(table.index.name or "interval"))
    ax.set_title("Staffing by interval 分时段人员配置")
    return fig


def plot_arrivals_by_hour(rates: pd.DataFrame) -> Figure:
    """Mean calls per hour of the day with ±1 sd across days."""
    fig, ax = plt.subplots(figsize=(7.0, 3.4))
    ax.bar(
        rates.index,
        rates["calls_per_day"],
        color="C0",
        alpha=0.8,
        yerr=rates["sd"].fillna(0),
        ecolor="0.5",
        capsize=2,
    )
    ax.set_xlabel("hour of the day 时段")
    ax.set_ylabel("calls per day")
    ax.set_title("Arrivals by hour 分时段到达")
    ax.set_xticks(range(0, 24, 2))
    return fig


def plot_patience_curve(curve: pd.DataFrame, *, mean_s: float | None = None) -> Figure:
    """Kaplan–Meier survival of patience with its 95 % band."""
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.step(
        curve["seconds"] / 60, curve["survival"], where="post", label="P(still waiting)"
    )
    ax.fill_between(
        curve["seconds"] / 60,
        curve["ci_low"],
        curve["ci_high"],
        step="post",
        alpha=0.25,
        label="95 % band",
    )
    if mean_s is not None:
        ax.axvline(
            mean_s / 60,
            color="C3",
            linestyle="--",
            linewidth=1,
            label=f"restricted mean {mean_s / 60:.1f} min",
        )
    ax.set_xlabel("minutes in queue")
    ax.set_ylabel("share still patient")
    ax.set_ylim(0, 1.02)
    ax.set_title("Patience 耐心 (Kaplan–Meier)")
    ax.legend(fontsize="small")
    return fig


def plot_perceived_breakdown(table: pd.DataFrame) -> Figure:
    """A walk from the actual to the perceived wait
    (:meth:`PerceivedWaitModel.breakdown`)."""
    fig, ax = plt.subplots(figsize=(6.8, 0.45 * len(table) + 1.2))
    colors = ["0.6"] + ["C3" if f > 1 else "C2" for f in table["factor"].iloc[1:]]
    ax.barh(range(len(table)), table["perceived_min"], color=colors)
    ax.set_yticks(range(len(table)), table["step"])
    ax.invert_yaxis()
    ax.set_xlabel("minutes")
    ax.set_title("From actual to perceived wait 感知等待")
    for i, v in enumerate(table["perceived_min"]):
        ax.text(v, i, f" {v:.1f}", va="center", fontsize="small")
    return fig


def plot_estimates_vs_exact(
    compare: pd.DataFrame, *, metrics: list[str] | None = None
) -> Figure:
    """Simulation estimates with 95 % intervals beside the exact values (relative
    scale)."""
    table = compare if metrics is None else compare.loc[metrics]
    rel = table["estimate"] / table["model"]
    lo = table["ci_low"] / table["model"]
    hi = table["ci_high"] / table["model"]
    fig, ax = plt.subplots(figsize=(6.4, 0.45 * len(table) + 1.2))
    y = np.arange(len(table))
    ax.errorbar(
        rel, y, xerr=[rel - lo, hi - rel], fmt="o", capsize=3, label="simulation ± 95 %"
    )
    ax.axvline(1.0, color="0.3", linewidth=1, label="exact (= 1)")
    for i, inside in enumerate(table["inside"]):
        if not inside:
            ax.text(
                hi.iloc[i], i, "  outside", color="C3", va="center", fontsize="small"
            )
    ax.set_yticks(y, table.index)
    ax.invert_yaxis()
    ax.set_xlabel("estimate / exact value")
    ax.set_title("Simulation vs formula 仿真与公式")
    ax.legend(fontsize="small", loc="lower right")
    return fig
