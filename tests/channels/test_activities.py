"""The channel-activity planner against hand computation (exact fractions), its
totals, its budget check, its schedule and the course's list of activity types."""

from __future__ import annotations

from fractions import Fraction

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from crmkit.channels import ACTIVITY_TYPES, activity_plan
from crmkit.errors import TargetError
from crmkit.plotting import plot_activity_schedule
from tests.conftest import REPO

DOC_000 = REPO.parent / "shared" / "course" / "000_62a70e41894457f5.txt"

ACTS = pd.DataFrame(
    {
        "activity": ["paper ad", "fair", "live", "videos"],
        "type": ["traditional_media", "exhibition", "live_stream", "short_video"],
        "audience": ["city readers", "dealers", "fans", "young buyers"],
        "budget": [3000.0, 8000.0, 2000.0, 0.0],
        "reach": [60000, 4000, 20000, 0],
        "conversion_rate": [0.001, 0.02, 0.005, 0.3],
        "value": [150.0, 150.0, 120.0, 99.0],
        "start": ["2024-05-01", "2024-05-10", "2024-05-18", "2024-06-01"],
        "end": ["2024-05-31", "2024-05-12", "2024-05-18", "2024-06-30"],
    }
)


def _hand(row) -> dict:
    """One activity by hand, in exact fractions (no floating point)."""
    cost, reach = Fraction(row["budget"]), Fraction(row["reach"])
    rate, value = Fraction(str(row["conversion_rate"])), Fraction(row["value"])
    conv = reach * rate
    revenue = conv * value
    return {
        "cost_per_contact": cost / reach if reach else None,
        "conversions": conv,
        "cost_per_conversion": cost / conv if conv else None,
        "revenue": revenue,
        "profit": revenue - cost,
        "roi": (revenue - cost) / cost if cost else None,
    }


def test_each_activity_matches_the_hand_computation():
    table = activity_plan(ACTS).table
    for i, row in ACTS.iterrows():
        for column, expected in _hand(row).items():
            got = table.loc[i, column]
            if expected is None:
                assert np.isnan(got), (row["activity"], column)
            else:
                assert got == pytest.approx(float(expected), rel=1e-12), column
    # the worked numbers: the fair costs ¥2 a contact, converts 80, returns 0.5
    fair = table.set_index("activity").loc["fair"]
    assert (fair["cost_per_contact"], fair["conversions"], fair["roi"]) == (
        2.0,
        80.0,
        0.5,
    )
    assert fair["cost_per_conversion"] == 100.0


def test_days_count_both_ends_and_channels_follow_the_type():
    table = activity_plan(ACTS).table
    assert table["days"].tolist() == [31, 3, 1, 30]
    assert table["channel"].tolist() == ["offline", "offline", "online", "online"]
    assert table["audience"].tolist() == ACTS["audience"].tolist()  # extra kept


def test_totals_are_sums_and_ratios_of_sums():
    plan = activity_plan(ACTS)
    hand = [_hand(r) for _, r in ACTS.iterrows()]
    cost = sum(Fraction(b) for b in ACTS["budget"])
    revenue = sum(h["revenue"] for h in hand)
    total = plan.totals.loc["total"]
    assert total["budget"] == float(cost) == plan.total_cost
    assert total["revenue"] == pytest.approx(float(revenue), rel=1e-12)
    assert total["roi"] == pytest.approx(float((revenue - cost) / cost), rel=1e-12)
    # the plan's ROI is not the mean of the activities' ROIs
    assert total["roi"] != pytest.approx(plan.table["roi"].mean())
    offline = plan.totals.loc["offline"]
    assert offline["budget"] == 11000.0
    assert offline["reach"] == 64000.0
    assert offline["cost_per_contact"] == pytest.approx(11000 / 64000, rel=1e-12)
    assert list(plan.totals.index) == ["offline", "online", "total"]


def test_budget_check_flags_or_raises_and_names_the_culprit():
    plan = activity_plan(ACTS, available=12000)
    assert (plan.over_budget, plan.within_budget) == (1000.0, False)
    assert activity_plan(ACTS, available=13000).within_budget is True
    assert activity_plan(ACTS, available=13000).over_budget == 0.0
    assert activity_plan(ACTS).within_budget is None
    with pytest.raises(TargetError, match=r"1000 over available = 12000.*'fair'"):
        activity_plan(ACTS, available=12000, over_budget="raise")
    assert "within budget: False" in repr(plan)


def test_the_input_is_not_changed_and_end_defaults_to_start():
    before = ACTS.copy()
    activity_plan(ACTS)
    pd.testing.assert_frame_equal(ACTS, before)
    one_day = activity_plan(ACTS.drop(columns="end")).table
    assert one_day["days"].tolist() == [1, 1, 1, 1]


def test_the_gantt_chart_draws_each_activity_over_its_dates():
    table = activity_plan(ACTS).table
    fig = plot_activity_schedule(table)
    bars = fig.axes[0].patches
    assert len(bars) == len(ACTS)
    for bar, (_, row) in zip(bars, ACTS.iterrows(), strict=True):
        left = mdates.num2date(bar.get_x()).date()
        assert str(left) == row["start"]
        assert (
            bar.get_width()
            == (pd.Timestamp(row["end"]) - pd.Timestamp(row["start"])).days + 1
        )
    offline, online = bars[0].get_facecolor(), bars[2].get_facecolor()
    assert offline != online


def test_activity_types_are_the_courses_six():
    offline = [v[1] for v in ACTIVITY_TYPES.values() if v[0] == "线下"]
    online = [v[1] for v in ACTIVITY_TYPES.values() if v[0] == "线上"]
    assert offline == ["传统媒体宣传", "实地互动体验", "大型展览会"]
    assert online == ["微信公众号推广", "短视频宣传", "线上直播"]


def test_course_document_lists_the_same_activity_types_and_planning_items():
    if not DOC_000.exists():
        pytest.skip(f"the course documents are not beside the repository ({DOC_000})")
    text = DOC_000.read_text(encoding="utf-8")
    offline = "、".join(v[1] for v in ACTIVITY_TYPES.values() if v[0] == "线下")
    online = "、".join(v[1] for v in ACTIVITY_TYPES.values() if v[0] == "线上")
    assert f"主要包括{offline}等" in text
    assert f"主要包括{online}等" in text
    # every planning item the kit holds is in the course's own plan for that type
    flat = text.replace("，", "").replace("、", "")
    for key, (*_, items) in ACTIVITY_TYPES.items():
        for item in items:
            core = item.split("（")[0].replace("、", "")
            assert core in flat, (key, item)
    # the course's online section breaks off: nothing after the WeChat sentence
    online_part = text.split("四、线上活动渠道的活动方案策划", 1)[1]
    assert "短视频宣传活动" not in online_part.split("顺丰", 1)[0]
