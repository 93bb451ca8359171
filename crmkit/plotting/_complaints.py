"""Figures for the complaint-handling chapter (tables in, figures out)."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from crmkit._i18n import get_language, tr

__all__ = [
    "plot_complaint_iceberg",
    "plot_customer_trajectory",
    "plot_dispute_rates",
    "plot_strategies",
]

#: Chinese names of the measures of :func:`crmkit.complaints.compare_strategies`
_MEASURES_ZH = {
    "customer_equity": "客户资产",
    "profit": "利润",
    "customers_end": "期末客户数",
    "customers": "客户数",
    "complaints": "投诉数",
    "silent": "沉默的不满意客户",
    "lost": "流失的客户",
    "new": "新客户",
    "revenue": "收入",
    "handling_cost": "投诉处理成本",
    "compensation_cost": "补偿成本",
    "satisfaction": "满意度",
    "problems": "遇到问题的客户",
    "resolved": "投诉得到解决",
    "unresolved": "投诉未解决",
}

#: Chinese names of the CFPB company responses, the usual groups of
#: :func:`crmkit.complaints.dispute_rates`
_RESPONSES_ZH = {
    "Closed with explanation": "已结案（附解释）",
    "Closed with non-monetary relief": "已结案（非金钱补救）",
    "Closed with monetary relief": "已结案（金钱补偿）",
    "Closed with relief": "已结案（有补救）",
    "Closed without relief": "已结案（无补救）",
    "Closed": "已结案",
    "Untimely response": "未及时答复",
    "In progress": "处理中",
}

#: Chinese names of the scenario labels the course's notebooks use
_SCENARIOS_ZH = {"base": "基准方案", "baseline": "基准方案"}


def _zh_name(label: object, names: Mapping[str, str]) -> str:
    text = str(label)
    return names.get(text, text) if get_language() == "zh" else text


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
        tr(en=f"complaints 投诉: {above:,.0f}", zh=f"投诉：{above:,.0f}"),
        va="bottom",
        fontsize="small",
    )
    ax.text(
        0,
        -below / 2,
        tr(
            en=f"silent dissatisfied\n沉默的不满顾客\n{below:,.0f}",
            zh=f"沉默的\n不满意客户\n{below:,.0f}",
        ),
        ha="center",
        va="center",
        fontsize="small",
    )
    ax.set_xlim(-0.6, 1.2)
    ax.set_ylim(-below * 1.08, max(above * 1.6, below * 0.15))
    ax.set_xticks([])
    ax.set_ylabel(tr(en="customers with a problem", zh="遇到问题的客户"))
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{abs(v):,.0f}")
    ratio = row["silent_per_complaint"]
    ax.set_title(
        tr(
            en=f"Iceberg: {ratio:.0f} silent per complaint",
            zh=f"投诉冰山：每 1 次投诉\n对应 {ratio:.0f} 位沉默客户",
        )
    )
    return fig


def plot_customer_trajectory(
    trajectories: Mapping[str, pd.DataFrame],
    *,
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """One metric per period for several scenarios, with their 95 % intervals.

    ``trajectories`` maps a label to :meth:`ComplaintResult.metric` output (index
    ``period``; columns ``mean``, ``ci_low``, ``ci_high``). ``ylabel`` defaults to
    "customers" in the current language.

    Examples
    --------
    >>> from crmkit.complaints import ComplaintScenario, simulate
    >>> res = simulate(ComplaintScenario(), replications=5, seed=0)
    >>> fig = plot_customer_trajectory({"default": res.metric("customers")})
    """
    fig, ax = _axes(ax, (5.6, 3.6))
    for i, (label, table) in enumerate(trajectories.items()):
        ax.plot(
            table.index,
            table["mean"],
            marker="o",
            color=f"C{i}",
            label=_zh_name(label, _SCENARIOS_ZH),
        )
        ax.fill_between(
            table.index, table["ci_low"], table["ci_high"], color=f"C{i}", alpha=0.2
        )
    ax.set_xlabel(tr(en="period 期", zh="期"))
    ax.set_ylabel(ylabel or tr(en="customers 顾客数", zh="客户数"))
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
    ax.set_xlabel(
        tr(
            en=f"{measure.replace('_', ' ')}: difference from base (95 % CI)",
            zh=f"{_MEASURES_ZH.get(measure, measure)}：与基准方案之差（95% 置信区间）",
        )
    )
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
    groups = [_zh_name(i, _RESPONSES_ZH) for i in rows.index]
    ax.barh(groups, rate, xerr=err, color="C0", capsize=3)
    ax.set_xlabel(
        xlabel
        or tr(
            en="share of consumers disputing the response (95 % CI)",
            zh="对企业答复提出异议的消费者比例（95% 置信区间）",
        )
    )
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    return fig
