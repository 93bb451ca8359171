"""The complaint-handling simulator for chapter 08 (客户投诉)."""

from __future__ import annotations

from functools import cache

import ipywidgets as widgets
import numpy as np
from scipy import stats

from crmkit._i18n import tr
from crmkit.complaints import (
    METRICS,
    ComplaintResult,
    ComplaintScenario,
    WordOfMouth,
    simulate,
)
from crmkit.plotting import plot_customer_trajectory
from crmkit.widgets._base import Explorer, bars_html, metrics_html, show_figure

__all__ = ["complaint_explorer"]

_STYLE = {"description_width": "230px"}
_WIDE = widgets.Layout(width="540px")
_PROFIT = METRICS.index("profit")


def _slider(description: str, value: float, lo: float, hi: float, step: float):
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        readout_format=".0%",
        continuous_update=False,
        style=_STYLE,
        layout=_WIDE,
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
    common random numbers and shown with its 95 % interval.

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
    base = ComplaintScenario(customers=customers, periods=periods)
    controls: dict[str, widgets.Widget] = {
        "problem_rate": _slider(
            tr(en="problems a period 出问题的比例", zh="每期遇到问题的客户比例"),
            base.problem_rate,
            0.01,
            0.30,
            0.01,
        ),
        "complaint_rate": _slider(
            tr(en="complain | problem 投诉率", zh="投诉率（遇到问题者中投诉的比例）"),
            base.complaint_rate,
            0.0,
            1.0,
            0.01,
        ),
        "resolution_rate": _slider(
            tr(en="resolved | complaint 解决率", zh="解决率（投诉中得到解决的比例）"),
            base.resolution_rate,
            0.0,
            1.0,
            0.05,
        ),
        "quick_resolution_rate": _slider(
            tr(en="quickly | resolved 快速解决", zh="快速解决率（已解决投诉中）"),
            base.quick_resolution_rate,
            0.0,
            1.0,
            0.05,
        ),
        "word_of_mouth": widgets.Checkbox(
            value=False,
            description=tr(
                en="word of mouth 口碑 (tell 9.5 / 5)",
                zh="口碑传播（不满意者告诉 9.5 人，问题得到解决者告诉 5 人）",
            ),
            style=_STYLE,
            indent=False,
        ),
    }
    labels = {
        "customers_end": tr(
            en=f"customers after {periods} periods", zh=f"{periods} 期后的客户数"
        ),
        "complaints": tr(en="complaints 投诉", zh="投诉数"),
        "silent": tr(en="silent dissatisfied 沉默的不满", zh="沉默的不满意客户"),
        "silent_per_complaint": tr(
            en="silent per complaint", zh="每 1 次投诉对应的沉默客户"
        ),
        "lost": tr(en="customers lost 流失", zh="流失的客户"),
        "profit": tr(en="profit over the horizon 利润", zh="整个期间的利润"),
        "profit_vs_base": tr(
            en="profit vs course baseline", zh="利润与课程基准情景之差"
        ),
        "caption": tr(
            en="means of the simulation with 95 % intervals",
            zh="仿真结果的均值及 95% 置信区间",
        ),
        "bar_complaints": tr(en="complaints", zh="投诉"),
        "bar_silent": tr(en="silent", zh="沉默"),
        "this": tr(en="this scenario", zh="当前情景"),
        "baseline": tr(
            en="course baseline (1 in 27)", zh="课程基准情景（27 人中 1 人投诉）"
        ),
    }

    @cache
    def baseline(word_of_mouth: bool) -> tuple[ComplaintScenario, ComplaintResult]:
        scenario = base.replace(word_of_mouth=WordOfMouth() if word_of_mouth else None)
        return scenario, simulate(scenario, replications=replications, seed=seed)

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        reference, ref = baseline(v["word_of_mouth"])
        scenario = reference.replace(
            problem_rate=v["problem_rate"],
            complaint_rate=v["complaint_rate"],
            resolution_rate=v["resolution_rate"],
            quick_resolution_rate=v["quick_resolution_rate"],
        )
        res = simulate(scenario, replications=replications, seed=seed)
        totals = res.totals()
        # paired by common random numbers: the same seed drives both scenarios
        gain = res.draws[:, :, _PROFIT].sum(axis=1) - ref.draws[:, :, _PROFIT].sum(1)
        half = (
            stats.t.ppf(0.975, len(gain) - 1) * gain.std(ddof=1) / np.sqrt(len(gain))
            if len(gain) > 1
            else 0
        )
        ice = res.iceberg().iloc[0]

        def ci(name: str, fmt: str) -> str:
            row = totals.loc[name]
            return (
                f"{format(row['mean'], fmt)} "
                f"({format(row['ci_low'], fmt)} – {format(row['ci_high'], fmt)})"
            )

        values = {
            "customers_end": ci("customers_end", ",.0f"),
            "complaints": ci("complaints", ",.0f"),
            "silent": ci("silent", ",.0f"),
            "silent_per_complaint": "—"
            if np.isnan(ice["silent_per_complaint"])
            else f"{ice['silent_per_complaint']:.1f}",
            "lost": ci("lost", ",.0f"),
            "profit": ci("profit", ",.0f"),
            "profit_vs_base": f"{gain.mean():+,.0f} (± {half:,.0f})",
        }
        rows = [(key, labels[key], value) for key, value in values.items()]
        voiced, silent = f"{ice['complaints']:,.0f}", f"{ice['silent']:,.0f}"
        app.results.value = metrics_html(rows, caption=labels["caption"]) + bars_html(
            [
                (
                    labels["bar_complaints"],
                    ice["complaints"] / max(ice["problems"], 1),
                    tr(
                        en=f"{voiced} voiced — the tip 冰山一角",
                        zh=f"{voiced} 人投诉——冰山一角",
                    ),
                ),
                (
                    labels["bar_silent"],
                    ice["silent"] / max(ice["problems"], 1),
                    tr(
                        en=f"{silent} silent, below the water",
                        zh=f"{silent} 人沉默不语，藏在水面之下",
                    ),
                ),
            ]
        )
        fig = plot_customer_trajectory(
            {
                labels["this"]: res.metric("customers"),
                labels["baseline"]: ref.metric("customers"),
            }
        )
        show_figure(app.figure, fig, app.margins)

    return Explorer(
        tr(en="Complaint handling simulator 投诉处理模拟", zh="投诉处理模拟器"),
        controls,
        update,
    )
