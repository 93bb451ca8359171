"""The complaint-handling simulator for chapter 08 (客户投诉)."""

from __future__ import annotations

from functools import cache

import ipywidgets as widgets
import numpy as np
import pandas as pd

from crmkit._i18n import tr
from crmkit.complaints import (
    ComplaintResult,
    ComplaintScenario,
    WordOfMouth,
    paired_difference,
    simulate,
)
from crmkit.plotting import plot_customer_trajectory
from crmkit.widgets._base import (
    Explorer,
    bars_html,
    metrics_html,
    show_figure,
    slider,
)
from crmkit.widgets._labels import translated

__all__ = ["complaint_explorer"]

_STYLE = {"description_width": "230px"}
_WIDE = widgets.Layout(width="540px")
#: the scenario's rates a slider moves: name → (lowest, highest, step)
_RATES = {
    "problem_rate": (0.01, 0.30, 0.01),
    "complaint_rate": (0.0, 1.0, 0.01),
    "resolution_rate": (0.0, 1.0, 0.05),
    "quick_resolution_rate": (0.0, 1.0, 0.05),
}
#: new customers a period from other marketing, as a share of the starting base: the
#: default (1.5 %, i.e. 150 a period for 10,000 customers, as in chapter 08) and the
#: slider's top (5 %); illustrative, not from the course
_ACQUISITION_SHARE = 0.015
_MAX_ACQUISITION_SHARE = 0.05


def _controls(base: ComplaintScenario) -> dict[str, widgets.Widget]:
    """A slider for each rate of :data:`_RATES`, the word-of-mouth switch and the
    new customers a period that other marketing brings (word of mouth can only add
    to or take from those: with none, it has nothing to act on)."""
    descriptions = {
        "problem_rate": tr(
            en="problems a period 出问题的比例", zh="每期遇到问题的客户比例"
        ),
        "complaint_rate": tr(
            en="complain | problem 投诉率", zh="投诉率（遇到问题者中投诉的比例）"
        ),
        "resolution_rate": tr(
            en="resolved | complaint 解决率", zh="解决率（投诉中得到解决的比例）"
        ),
        "quick_resolution_rate": tr(
            en="quickly | resolved 快速解决", zh="快速解决率（已解决投诉中）"
        ),
    }
    controls: dict[str, widgets.Widget] = {
        name: slider(
            descriptions[name],
            getattr(base, name),
            *bounds,
            fmt=".0%",
            style=_STYLE,
            layout=_WIDE,
        )
        for name, bounds in _RATES.items()
    }
    controls["word_of_mouth"] = widgets.Checkbox(
        value=False,
        description=tr(
            en="word of mouth 口碑 (tell 9.5 / 5)",
            zh="口碑传播（不满意者告诉 9.5 人，问题得到解决者告诉 5 人）",
        ),
        indent=False,
        layout=_WIDE,  # the Chinese label is longer than a checkbox's default 300 px
    )
    controls["acquisition"] = slider(
        tr(
            en="new customers a period 新客户/期",
            zh="每期新增客户（其他营销带来）",
        ),
        int(base.acquisition),
        0,
        max(int(base.customers * _MAX_ACQUISITION_SHARE), 1),
        1,
        integer=True,
        style=_STYLE,
        layout=_WIDE,
    )
    return controls


#: result -> (English, Chinese) label
_LABELS = {
    "complaints": ("complaints 投诉", "投诉数"),
    "silent": ("silent dissatisfied 沉默的不满", "沉默的不满意客户"),
    "silent_per_complaint": ("silent per complaint", "每 1 次投诉对应的沉默客户"),
    "lost": ("customers lost 流失", "流失的客户"),
    "new": ("new customers 新客户", "新增客户"),
    "mentions": ("word-of-mouth mentions − / +", "口碑传播次数（负面 / 正面）"),
    "profit": ("profit over the horizon 利润", "整个期间的利润"),
    "profit_vs_base": ("profit vs course baseline", "利润与课程基准情景之差"),
    "caption": (
        "means of the simulation with 95 % intervals",
        "仿真结果的均值及 95% 置信区间",
    ),
    "bar_complaints": ("complaints", "投诉"),
    "bar_silent": ("silent", "沉默"),
    "this": ("this scenario", "当前情景"),
    "baseline": ("course baseline (1 in 27)", "课程基准情景（27 人中 1 人投诉）"),
}


def _labels(periods: int) -> dict[str, str]:
    """The labels of the results, in the current language."""
    ends = (f"customers after {periods} periods", f"{periods} 期后的客户数")
    return translated({"customers_end": ends}, _LABELS)


def _values(
    res: ComplaintResult, ref: ComplaintResult, ice: pd.Series
) -> dict[str, str]:
    """The numbers shown, formatted: totals with their intervals, the iceberg ratio
    ``ice`` and the profit difference from the baseline, paired by common random
    numbers (the same seed drives both scenarios)."""
    totals = res.totals()
    gain = paired_difference(res, ref).loc["profit"]
    # one replication gives no interval: show ± 0
    half = float(np.nan_to_num(gain["diff_high"] - gain["difference"]))

    def ci(name: str) -> str:
        row = totals.loc[name]
        return f"{row['mean']:,.0f} ({row['ci_low']:,.0f} – {row['ci_high']:,.0f})"

    ratio = ice["silent_per_complaint"]
    return {
        "customers_end": ci("customers_end"),
        "complaints": ci("complaints"),
        "silent": ci("silent"),
        "silent_per_complaint": "—" if np.isnan(ratio) else f"{ratio:.1f}",
        "lost": ci("lost"),
        "new": ci("new"),
        "mentions": f"{totals.loc['wom_negative_mentions', 'mean']:,.0f} / "
        f"{totals.loc['wom_positive_mentions', 'mean']:,.0f}",
        "profit": ci("profit"),
        "profit_vs_base": f"{gain['difference']:+,.0f} (± {half:,.0f})",
    }


def _iceberg_bars(ice: pd.Series, labels: dict[str, str]) -> str:
    """The complaint iceberg as two bars: voiced complaints above, silence below."""
    problems = max(ice["problems"], 1)
    voiced, silent = f"{ice['complaints']:,.0f}", f"{ice['silent']:,.0f}"
    return bars_html(
        [
            (
                labels["bar_complaints"],
                ice["complaints"] / problems,
                tr(
                    en=f"{voiced} voiced — the tip 冰山一角",
                    zh=f"{voiced} 人投诉——冰山一角",
                ),
            ),
            (
                labels["bar_silent"],
                ice["silent"] / problems,
                tr(
                    en=f"{silent} silent, below the water",
                    zh=f"{silent} 人沉默不语，藏在水面之下",
                ),
            ),
        ]
    )


def complaint_explorer(
    customers: int = 10_000,
    periods: int = 12,
    *,
    replications: int = 30,
    seed: int = 0,
) -> Explorer:
    """Complaint rate, resolution, speed and word of mouth → customers and profit.

    Every change simulates the scenario (:func:`crmkit.complaints.simulate`, the same
    seed each time) beside the course's baseline — 1 in 27 complain, half of complaints
    resolved, half of those quickly, TARP retention — so the difference is measured with
    common random numbers (:func:`crmkit.complaints.paired_difference`) and shown with
    its 95 % interval. The baseline shares the scenario's word of mouth and its new
    customers a period, so the difference isolates the four rates.

    Word of mouth acts on acquisition only (:class:`crmkit.complaints.WordOfMouth`):
    negative mentions keep prospects away from, and positive ones add to, the new
    customers other marketing brings. The explorer therefore starts with 1.5 % of the
    base a period (150 for 10,000, as in chapter 08) and shows the new customers and
    the mentions; at 0 new customers a period the switch has nothing to act on.

    Parameters
    ----------
    customers, periods : int
        The customer base and the horizon (periods are months, say).
    replications : int, default 30
    seed : int, default 0

    Examples
    --------
    >>> app = complaint_explorer(customers=2000, periods=6, replications=20)
    >>> app.controls["complaint_rate"].value = 0.3
    >>> "data-metric='profit_vs_base'" in app.results.value
    True
    """
    base = ComplaintScenario(
        customers=customers,
        periods=periods,
        acquisition=round(customers * _ACQUISITION_SHARE),
    )
    labels = _labels(periods)

    @cache
    def baseline(
        word_of_mouth: bool, acquisition: int
    ) -> tuple[ComplaintScenario, ComplaintResult]:
        scenario = base.replace(
            word_of_mouth=WordOfMouth() if word_of_mouth else None,
            acquisition=acquisition,
        )
        return scenario, simulate(scenario, replications=replications, seed=seed)

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        reference, ref = baseline(v["word_of_mouth"], v["acquisition"])
        scenario = reference.replace(**{name: v[name] for name in _RATES})
        res = simulate(scenario, replications=replications, seed=seed)
        ice = res.iceberg().iloc[0]
        values = _values(res, ref, ice)
        rows = [(key, labels[key], value) for key, value in values.items()]
        table = metrics_html(rows, caption=labels["caption"])
        app.results.value = table + _iceberg_bars(ice, labels)
        fig = plot_customer_trajectory(
            {
                labels["this"]: res.metric("customers"),
                labels["baseline"]: ref.metric("customers"),
            }
        )
        show_figure(app.figure, fig, app.margins)

    return Explorer(
        tr(en="Complaint handling simulator 投诉处理模拟", zh="投诉处理模拟器"),
        _controls(base),
        update,
    )
