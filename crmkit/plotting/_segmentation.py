"""Figures for the segmentation and customer-value chapters (tables in, figures out)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from crmkit._i18n import get_language, tr

__all__ = [
    "plot_cluster_profile",
    "plot_lorenz",
    "plot_pyramid",
    "plot_strategy_matrix",
]

#: Chinese names of the tiers of :func:`crmkit.segmentation.value_tiers` and the
#: features of :func:`crmkit.segmentation.customer_summary`, for the Chinese edition
_NAMES_ZH = {
    "VIP": "VIP客户",
    "major": "主要客户",
    "ordinary": "普通客户",
    "small": "小客户",
    "n_purchase_days": "购买天数",
    "days_since_last": "距最近一次购买的天数",
    "total_spend": "消费总额",
    "recency": "最近一次消费",
    "frequency": "消费频率",
    "monetary": "消费金额",
}


def _name(label: object) -> str:
    """A tier or feature name in the current language (other names as they are)."""
    text = str(label)
    return _NAMES_ZH.get(text, text) if get_language() == "zh" else text


def plot_lorenz(
    curve: pd.DataFrame, *, cutoffs: tuple[float, ...] = (), gini: float | None = None
) -> Figure:
    """The Lorenz curve (from :func:`crmkit.segmentation.lorenz_curve`), optionally with
    the ABC cut-offs drawn as shares of value held by the best customers."""
    fig, ax = plt.subplots(figsize=(4.8, 4.2))
    ax.plot(
        curve["share_of_customers"],
        curve["share_of_value"],
        label=tr(en="Lorenz curve", zh="洛伦兹曲线"),
    )
    ax.plot(
        [0, 1],
        [0, 1],
        color="0.6",
        linestyle=":",
        label=tr(en="equal value", zh="绝对平均线"),
    )
    for cut in cutoffs:
        ax.axhline(1 - cut, color="C3", linewidth=0.8, linestyle="--")
        ax.text(
            0.02,
            1 - cut + 0.01,
            tr(en=f"{cut:.0%} of value above", zh=f"线上方：{cut:.0%} 的价值"),
            fontsize="x-small",
            color="C3",
        )
    ax.set_xlabel(
        tr(en="share of customers (smallest first)", zh="客户累计占比（价值从小到大）")
    )
    ax.set_ylabel(tr(en="share of value", zh="价值累计占比"))
    title = tr(en="Lorenz curve 洛伦兹曲线", zh="洛伦兹曲线")
    if gini is not None:
        title += tr(en=f" · Gini {gini:.2f}", zh=f" · 基尼系数 {gini:.2f}")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize="small")
    ax.set_aspect("equal")
    return fig


def plot_pyramid(shares: pd.DataFrame) -> Figure:
    """The customer pyramid: share of customers (bars) and share of value (labels) per
    tier.

    ``shares`` has one row per tier (best first) and columns ``customers`` and ``value``
    (shares that each sum to 1).
    """
    fig, ax = plt.subplots(figsize=(6.0, 0.6 * len(shares) + 1.0))
    y = np.arange(len(shares))[::-1]
    widths = shares["customers"].to_numpy()
    ax.barh(
        y, widths, left=(1 - widths) / 2, color=[f"C{i}" for i in range(len(shares))]
    )
    for yi, (tier, row) in zip(y, shares.iterrows(), strict=True):
        ax.text(
            0.5,
            yi,
            tr(
                en=f"{tier}: {row['customers']:.0%} of customers, "
                f"{row['value']:.0%} of value",
                zh=f"{_name(tier)}：客户占 {row['customers']:.0%}，"
                f"价值占 {row['value']:.0%}",
            ),
            ha="center",
            va="center",
            fontsize="small",
            bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1.5},
        )
    ax.set_yticks([])
    ax.set_xticks([])
    ax.set_title(tr(en="Customer pyramid 客户金字塔", zh="客户金字塔"))
    return fig


def plot_cluster_profile(profile: pd.DataFrame, features: list[str]) -> Figure:
    """Each segment's feature means relative to the overall mean (1 = average)."""
    weights = profile["size"] / profile["size"].sum()
    overall = (profile[features].mul(weights, axis=0)).sum()
    rel = profile[features] / overall
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    rel.T.plot.bar(ax=ax, rot=0)
    if get_language() == "zh":
        ax.set_xticks(range(len(features)), [_name(f) for f in features])
    ax.axhline(1.0, color="0.4", linewidth=1)
    ax.set_ylabel(tr(en="segment mean / overall mean", zh="群体均值 / 总体均值"))
    ax.set_title(tr(en="Segment profiles 细分群体画像", zh="细分群体画像"))
    ax.legend(
        [
            tr(en=f"segment {s} ({n:,})", zh=f"群体 {s}（{n:,} 位客户）")
            for s, n in profile["size"].items()
        ],
        fontsize="small",
    )
    return fig


def plot_strategy_matrix(matrix: pd.DataFrame) -> Figure:
    """Customers in the value × personalisation matrix, one colour per strategy."""
    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    for i, (name, group) in enumerate(matrix.groupby("strategy")):
        ax.scatter(
            group["personalisation"],
            group["value"],
            s=10,
            alpha=0.6,
            color=f"C{i}",
            label=tr(
                en=f"{name} {group['策略'].iloc[0]}", zh=str(group["策略"].iloc[0])
            ),
        )
    ax.axvline(
        matrix.attrs.get("personalisation_threshold", np.nan),
        color="0.4",
        linestyle="--",
    )
    ax.axhline(matrix.attrs.get("value_threshold", np.nan), color="0.4", linestyle="--")
    ax.set_xscale("symlog", linthresh=1.0)
    ax.set_yscale("symlog", linthresh=10.0)
    ax.set_xlabel(tr(en="personalisation of needs 个性化程度", zh="需求的个性化程度"))
    ax.set_ylabel(tr(en="customer value 客户价值", zh="客户价值"))
    ax.set_title(tr(en="Strategy matrix 客户策略矩阵", zh="客户策略矩阵"))
    ax.legend(fontsize="x-small", loc="upper left")
    return fig
