"""Figures for the waiting and queue chapters. Each takes computed tables, never a
model."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from crmkit._i18n import get_language, tr

__all__ = [
    "plot_arrivals_by_hour",
    "plot_estimates_vs_exact",
    "plot_patience_curve",
    "plot_perceived_breakdown",
    "plot_service_level_by_servers",
    "plot_staffing_by_interval",
]

#: Chinese labels of the steps of :meth:`PerceivedWaitModel.breakdown`, by principle
#: (in the course's wording: 过程前等待, 没有说明理由的等待)
_STEPS_ZH = {
    "occupied": "有事可干（无事可干的等待感觉更长）",
    "in_process": "已在服务过程中（过程前等待感觉更长）",
    "anxious": "焦虑使等待看起来更长",
    "known_duration": "已告知时长（不确定的等待感觉更长）",
    "explained": "说明了理由（没有说明理由的等待感觉更长）",
    "fair": "不公平的等待感觉更长",
    "group": "结伴等待（独自等待感觉更长）",
}

#: Chinese names of the metrics :meth:`SimulationResult.compare` checks
_METRICS_ZH = {
    "mean_wait": "平均等待时间",
    "prob_wait": "需要等待的比例",
    "service_level": "服务水平",
    "prob_abandon": "放弃排队的比例",
    "occupancy": "座席占用率",
    "utilisation": "利用率",
    "mean_queue_length": "平均排队人数",
    "mean_number_in_system": "系统内平均人数",
    "mean_time_in_system": "平均逗留时间",
    "prob_block": "拒接（占线）的比例",
}

#: an English "(within 20 s)", the suffix the chapters give the service-level title
_WITHIN = re.compile(r"\(within (\d+(?:\.\d+)?) ?s\)")

#: Chinese names of the usual index names of a staffing table
_INTERVALS_ZH = {"interval": "时段", "hour": "时段（小时）", "period": "时段"}


def _step_labels(steps: pd.Series) -> list[str]:
    """The breakdown's step labels in the current language."""
    if get_language() != "zh":
        return [str(s) for s in steps]
    from crmkit.waiting import PRINCIPLES

    zh = {
        "actual wait": "实际等待",
        "perception (power law)": "感知（幂函数）",
        **{
            english: _STEPS_ZH.get(name, chinese)
            for name, english, chinese, _ in PRINCIPLES
        },
    }
    return [zh.get(str(s), str(s)) for s in steps]


def plot_service_level_by_servers(
    table: pd.DataFrame,
    *,
    target: float | None = None,
    current: int | None = None,
    within_label: str = "",
) -> Figure:
    """Service level (and abandonment, when present) against the number of servers.

    ``table`` is :func:`crmkit.queues.staffing_table` output. ``within_label`` ends
    the title; in the Chinese edition the usual English ``"(within 20 s)"`` is shown
    as ``"（20 秒内应答）"``.

    Examples
    --------
    >>> from crmkit.queues import staffing_table
    >>> fig = plot_service_level_by_servers(staffing_table(3.3, 1 / 3, range(11, 18),
    ...                                                    within=1 / 3), target=0.8)
    """
    if get_language() == "zh":
        within_label = _WITHIN.sub(r"（\1 秒内应答）", within_label)
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.plot(
        table.index,
        table["service_level"],
        marker="o",
        label=tr(en="service level 服务水平", zh="服务水平"),
    )
    if "prob_abandon" in table:
        ax.plot(
            table.index,
            table["prob_abandon"],
            marker="s",
            label=tr(en="P(abandon) 放弃率", zh="放弃排队的比例"),
        )
    if target is not None:
        ax.axhline(
            target,
            color="0.4",
            linestyle="--",
            linewidth=1,
            label=tr(en=f"target {target:.0%}", zh=f"目标 {target:.0%}"),
        )
    if current is not None and current in table.index:
        ax.axvline(
            current,
            color="C3",
            linewidth=1,
            label=tr(en=f"{current} servers", zh=f"当前 {current} 名座席"),
        )
    ax.set_xlabel(tr(en="servers (agents) 座席数", zh="座席数"))
    ax.set_ylabel(tr(en="share of calls", zh="来电比例"))
    ax.set_ylim(0, 1.02)
    ax.set_title(
        tr(
            en=f"Service level by staffing {within_label}".strip(),
            zh=f"不同座席数下的服务水平{within_label}".strip(),
        )
    )
    ax.legend(loc="lower right", fontsize="small")
    return fig


def plot_staffing_by_interval(
    table: pd.DataFrame, *, rate_label: str | None = None
) -> Figure:
    """Arrival rate (bars) and servers needed (steps) per interval of the day.

    ``rate_label`` names the arrival rate (default: calls per minute, in the current
    language)."""
    rate_label = rate_label or tr(en="calls per minute", zh="每分钟来电数")
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    x = np.arange(len(table))
    ax.bar(x, table["arrival_rate"], color="C0", alpha=0.35, label=rate_label)
    ax.set_ylabel(rate_label)
    ax2 = ax.twinx()
    ax2.step(
        x,
        table["servers"],
        where="mid",
        color="C3",
        linewidth=2,
        label=tr(en="servers 座席", zh="座席"),
    )
    ax2.set_ylabel(tr(en="servers needed", zh="所需座席数"))
    ax2.grid(False)
    ax.set_xticks(x[::2], [str(i) for i in table.index[::2]], rotation=0)
    name = str(table.index.name or "interval")
    ax.set_xlabel(tr(en=name, zh=_INTERVALS_ZH.get(name, name)))
    ax.set_title(tr(en="Staffing by interval 分时段人员配置", zh="分时段人员配置"))
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
    ax.set_xlabel(tr(en="hour of the day 时段", zh="时段（几点钟）"))
    ax.set_ylabel(tr(en="calls per day", zh="每天来电数"))
    ax.set_title(tr(en="Arrivals by hour 分时段到达", zh="各时段的来电到达"))
    ax.set_xticks(range(0, 24, 2))
    return fig


def plot_patience_curve(curve: pd.DataFrame, *, mean_s: float | None = None) -> Figure:
    """Kaplan–Meier survival of patience with its 95 % band."""
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.step(
        curve["seconds"] / 60,
        curve["survival"],
        where="post",
        label=tr(en="P(still waiting)", zh="仍在等待的比例"),
    )
    ax.fill_between(
        curve["seconds"] / 60,
        curve["ci_low"],
        curve["ci_high"],
        step="post",
        alpha=0.25,
        label=tr(en="95 % band", zh="95% 置信带"),
    )
    if mean_s is not None:
        ax.axvline(
            mean_s / 60,
            color="C3",
            linestyle="--",
            linewidth=1,
            label=tr(
                en=f"restricted mean {mean_s / 60:.1f} min",
                zh=f"受限平均耐心 {mean_s / 60:.1f} 分钟",
            ),
        )
    ax.set_xlabel(tr(en="minutes in queue", zh="排队时间（分钟）"))
    ax.set_ylabel(tr(en="share still patient", zh="仍有耐心的比例"))
    ax.set_ylim(0, 1.02)
    ax.set_title(tr(en="Patience 耐心 (Kaplan–Meier)", zh="耐心（Kaplan–Meier 估计）"))
    ax.legend(fontsize="small")
    return fig


def plot_perceived_breakdown(table: pd.DataFrame) -> Figure:
    """A walk from the actual to the perceived wait
    (:meth:`PerceivedWaitModel.breakdown`)."""
    fig, ax = plt.subplots(figsize=(6.8, 0.45 * len(table) + 1.2))
    colors = ["0.6"] + ["C3" if f > 1 else "C2" for f in table["factor"].iloc[1:]]
    ax.barh(range(len(table)), table["perceived_min"], color=colors)
    ax.set_yticks(range(len(table)), _step_labels(table["step"]))
    ax.invert_yaxis()
    ax.set_xlabel(tr(en="minutes", zh="分钟"))
    ax.set_title(
        tr(en="From actual to perceived wait 感知等待", zh="从实际等待到感知等待")
    )
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
        rel,
        y,
        xerr=[rel - lo, hi - rel],
        fmt="o",
        capsize=3,
        label=tr(en="simulation ± 95 %", zh="仿真估计 ± 95% 置信区间"),
    )
    ax.axvline(
        1.0, color="0.3", linewidth=1, label=tr(en="exact (= 1)", zh="精确值（= 1）")
    )
    outside = tr(en="  outside", zh="  在区间外")
    for i, inside in enumerate(table["inside"]):
        if not inside:
            ax.text(hi.iloc[i], i, outside, color="C3", va="center", fontsize="small")
    names = [str(m) for m in table.index]
    if get_language() == "zh":
        names = [_METRICS_ZH.get(m, m) for m in names]
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlabel(tr(en="estimate / exact value", zh="估计值 / 精确值"))
    ax.set_title(tr(en="Simulation vs formula 仿真与公式", zh="仿真与公式"))
    ax.legend(fontsize="small", loc="lower right")
    return fig
