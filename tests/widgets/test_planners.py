"""The planner explorers without a browser: set a control, read the numbers shown,
and compare them with the library called directly."""

from __future__ import annotations

import re

import pandas as pd

from crmkit.channels import activity_plan
from crmkit.widgets import activity_plan_explorer, interaction_plan_explorer
from crmkit.widgets._planners import _ACTIVITIES, _DAY0


def shown(app, metric: str) -> str:
    match = re.search(rf"data-metric='{metric}'>([^<]*)<", app.results.value)
    assert match, f"{metric} not shown"
    return match.group(1)


def test_interaction_explorer_adds_staff_time_to_the_15_yuan():
    app = interaction_plan_explorer()
    assert shown(app, "total") == "15"  # ¥10 broadband + ¥5 data
    assert shown(app, "achievable") == "yes"
    assert "brand" in shown(app, "specific")  # the goal without a target
    app.controls["staff_hours"].value = 20
    app.controls["wage"].value = 30
    assert shown(app, "total") == str(15 + 20 * 30)
    assert shown(app, "achievable") == "no"
    app.controls["available"].value = 615
    assert shown(app, "achievable") == "yes"


def test_activity_explorer_matches_the_library_and_draws_the_schedule():
    app = activity_plan_explorer()
    acts = _ACTIVITIES.assign(
        start=_DAY0 + pd.to_timedelta(_ACTIVITIES["s"], unit="D"),
        end=_DAY0 + pd.to_timedelta(_ACTIVITIES["e"], unit="D"),
    ).drop(columns=["s", "e"])
    plan = activity_plan(acts, available=100_000)
    assert shown(app, "total_cost") == "101,000"  # by hand: the six budgets
    assert shown(app, "over_budget") == "1,000"
    assert shown(app, "roi") == f"{plan.totals.loc['total', 'roi']:.2f}"
    assert shown(app, "roi") == f"{(244_000 - 101_000) / 101_000:.2f}"
    (image,) = app.figure.outputs
    assert image["data"]["image/png"].startswith("iVBOR")
    app.controls["activities"].value = ("WeChat articles", "live stream")
    assert shown(app, "total_cost") == "11,000"
    assert shown(app, "over_budget") == "none"
    app.controls["activities"].value = ()
    assert "at least one" in shown(app, "error")
    assert app.figure.outputs == ()


def test_explorers_speak_chinese():
    from crmkit import language

    with language("zh"):
        app = activity_plan_explorer()
        plan_app = interaction_plan_explorer()
    assert "超出预算" in app.results.value
    assert shown(plan_app, "achievable") == "是"
