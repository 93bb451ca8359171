"""Planner explorers: an interaction plan (chapter 01) and channel activities (04).

Both start from a small synthetic plan (labelled as such): the controls change it, one
crmkit call plans it, and the results show what the library computed.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from crmkit._i18n import tr
from crmkit.channels import SHARED, activity_plan, interaction_plan
from crmkit.plotting import plot_activity_schedule
from crmkit.widgets._base import Explorer, metrics_html, show_figure, slider
from crmkit.widgets._labels import translated

__all__ = ["activity_plan_explorer", "interaction_plan_explorer"]

#: A synthetic month of e-mail interaction modelled on the SF Express case (its goals,
#: target groups and ¥10 + ¥5 budget; the counts and targets are invented).
_GOALS = pd.DataFrame(
    {
        "goal": ["more sales", "keep relationships", "new customers", "brand"],
        "audience": ["key accounts", "mid-range", "students, offices", "all"],
        "kpi": ["orders", "replies", "new accounts", "recall"],
        "target": [60, 150, 40, None],
        "deadline": ["2015-03-31", "2015-03-31", "2015-03-31", None],
    }
)
_TASKS = pd.DataFrame(
    [
        (SHARED, "broadband", "-", "e-mail", 0, 1, 10.0),
        (SHARED, "data", "-", "e-mail", 0, 1, 5.0),
        ("more sales", "rate-table mail", "rates", "e-mail", 2, 400, 0.0),
        ("keep relationships", "service mail", "reminder", "e-mail", 1, 1500, 0.0),
        ("new customers", "welcome mail", "offer", "e-mail", 2, 3000, 0.0),
    ],
    columns=["goal", "task", "content", "channel", "per_month", "units", "unit_cost"],
)
#: A synthetic launch: one activity of each of the course's six types.
_ACTIVITIES = pd.DataFrame(
    [
        ("newspaper and TV", "traditional_media", 30000, 200000, 0.002, 150, 2, 29),
        ("mall roadshow", "on_site", 12000, 6000, 0.03, 150, 14, 15),
        ("trade fair", "exhibition", 40000, 8000, 0.02, 400, 45, 48),
        ("WeChat articles", "wechat", 5000, 50000, 0.004, 150, 2, 61),
        ("short videos", "short_video", 8000, 120000, 0.0015, 150, 9, 50),
        ("live stream", "live_stream", 6000, 30000, 0.01, 120, 40, 40),
    ],
    columns=[
        "activity",
        "type",
        "budget",
        "reach",
        "conversion_rate",
        "value",
        "s",
        "e",
    ],
)
_DAY0 = pd.Timestamp("2024-08-31")


#: row -> (English, Chinese) label of the interaction plan's results
_PLAN_LABELS = {
    "total": ("planned cost (¥)", "计划成本（元）"),
    "achievable": ("achievable (可实现性)", "可实现性"),
    "specific": ("specific (具体性)", "具体性"),
}
#: row -> (English, Chinese) label of the activity plan's results
_ACTIVITY_LABELS = {
    "total_cost": ("cost (¥)", "成本（元）"),
    "revenue": ("revenue (¥)", "收入（元）"),
    "over_budget": ("over budget by (¥)", "超出预算（元）"),
}


def _slider(label: str, value: int, lo: int, hi: int, step: int) -> widgets.IntSlider:
    return slider(
        label,
        value,
        lo,
        hi,
        step,
        integer=True,
        style={"description_width": "190px"},
        layout=widgets.Layout(width="460px"),
    )


def interaction_plan_explorer() -> Explorer:
    """The SF Express-style e-mail plan: add the staff time its ¥10 + ¥5 budget leaves
    out and see whether the plan is still achievable.

    Examples
    --------
    >>> app = interaction_plan_explorer()
    >>> app.controls["staff_hours"].value = 10
    >>> "data-metric='total'>265" in app.results.value
    True
    """
    controls = {
        "staff_hours": _slider(
            tr(en="staff hours a month", zh="每月人工（小时）"), 0, 0, 40, 1
        ),
        "wage": _slider(
            tr(en="cost per staff hour (¥)", zh="每小时人工成本（元）"), 25, 10, 60, 5
        ),
        "available": _slider(
            tr(en="money available (¥)", zh="可用资金（元）"), 15, 0, 1000, 5
        ),
    }

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        staff = (SHARED, "staff time", "-", "e-mail", 0, v["staff_hours"], v["wage"])
        tasks = pd.concat(
            [_TASKS, pd.DataFrame([staff], columns=_TASKS.columns)], ignore_index=True
        )
        plan = interaction_plan(_GOALS, tasks, available=v["available"])
        ok = plan.checks.loc["achievable", "ok"]
        labels = translated(_PLAN_LABELS)
        yes, no = tr(en="yes", zh="是"), tr(en="no", zh="否")
        rows = [
            ("total", labels["total"], f"{plan.total:g}"),
            ("achievable", labels["achievable"], yes if ok else no),
            (
                "specific",
                labels["specific"],
                plan.checks.loc["specific", "note"] or yes,
            ),
        ]
        app.results.value = metrics_html(rows)

    return Explorer(
        tr(en="Interaction plan 客户互动设计", zh="客户互动设计"),
        controls,
        update,
        with_figure=False,
    )


def activity_plan_explorer() -> Explorer:
    """Choose among six synthetic activities (one per course type) and a budget: the
    totals, ROI, budget check and the schedule as a Gantt chart.

    Examples
    --------
    >>> app = activity_plan_explorer()
    >>> app.controls["activities"].value = ("trade fair",)
    >>> "data-metric='total_cost'>40,000" in app.results.value
    True
    """
    names = tuple(_ACTIVITIES["activity"])
    controls = {
        "activities": widgets.SelectMultiple(
            options=names,
            value=names,
            rows=len(names),
            description=tr(en="activities", zh="活动"),
        ),
        "available": _slider(
            tr(en="money available (¥)", zh="可用资金（元）"), 100000, 0, 150000, 5000
        ),
    }

    def update(app: Explorer) -> None:
        chosen = _ACTIVITIES[
            _ACTIVITIES["activity"].isin(app.controls["activities"].value)
        ]
        if chosen.empty:
            app.results.value = (
                "<p data-metric='error'>"
                + tr(en="Choose at least one activity.", zh="请至少选择一项活动。")
                + "</p>"
            )
            app.figure.outputs = ()
            return
        acts = chosen.assign(
            start=_DAY0 + pd.to_timedelta(chosen["s"], unit="D"),
            end=_DAY0 + pd.to_timedelta(chosen["e"], unit="D"),
        ).drop(columns=["s", "e"])
        plan = activity_plan(acts, available=app.controls["available"].value)
        total = plan.totals.loc["total"]
        fits = plan.within_budget
        labels = translated(_ACTIVITY_LABELS)
        over = f"{plan.over_budget:,.0f}" if not fits else tr(en="none", zh="无")
        rows = [
            ("total_cost", labels["total_cost"], f"{plan.total_cost:,.0f}"),
            ("revenue", labels["revenue"], f"{total['revenue']:,.0f}"),
            ("roi", "ROI", f"{total['roi']:.2f}"),
            ("over_budget", labels["over_budget"], over),
        ]
        app.results.value = metrics_html(rows)
        show_figure(app.figure, plot_activity_schedule(plan.table), app.margins)

    return Explorer(
        tr(en="Channel activities 不同渠道的活动方案", zh="不同渠道的活动方案"),
        controls,
        update,
    )
