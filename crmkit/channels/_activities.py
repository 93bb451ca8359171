"""Activity plans for offline and online channels (不同渠道的活动方案策划): cost, reach,
conversion, revenue, ROI and a schedule."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from crmkit._frozen import set_fields
from crmkit._validate import (
    check_array,
    check_choice,
    check_dates,
    check_frame,
    check_nonnegative,
    check_present,
    show,
)
from crmkit.errors import DataError, TargetError

__all__ = ["ACTIVITY_TYPES", "ActivityPlan", "activity_plan"]

#: The course's activity types (course document 000, 二、主要活动渠道): key ->
#: (渠道, 活动, English, what the course says to plan). Its text on the online
#: activities breaks off after the first sentence on WeChat, so their planning items
#: are empty: what to plan for them is the kit's (and the class's) to add.
ACTIVITY_TYPES = MappingProxyType(
    {
        "traditional_media": (
            "线下",
            "传统媒体宣传",
            "traditional media (newspapers, magazines, TV)",
            (
                "确定宣传媒体、发布时间和地点",
                "制定具体的宣传内容和形式",
                "制定宣传效果的评价指标",
            ),
        ),
        "on_site": (
            "线下",
            "实地互动体验",
            "on-site experience (malls, streets, communities)",
            (
                "确定活动时间和地点",
                "制定具体的活动内容和规则",
                "设计吸引人眼球的宣传物料（如海报、展示台）",
            ),
        ),
        "exhibition": (
            "线下",
            "大型展览会",
            "large exhibitions and trade fairs",
            (
                "确定参展时间和地点",
                "制定展览布局和展示方案",
                "设计吸引人眼球的宣传方案和活动亮点",
            ),
        ),
        "wechat": ("线上", "微信公众号推广", "WeChat official account", ()),
        "short_video": ("线上", "短视频宣传", "short video", ()),
        "live_stream": ("线上", "线上直播", "live streaming", ()),
    }
)
_CHANNEL_EN = {"线下": "offline", "线上": "online"}
_COLUMNS = ["activity", "type", "budget", "reach", "conversion_rate", "value", "start"]
_OVER = ("flag", "raise")
_FIRST = ["activity", "channel", "type"]
_LAST = [
    "start",
    "end",
    "days",
    "budget",
    "reach",
    "cost_per_contact",
    "conversion_rate",
    "conversions",
    "cost_per_conversion",
    "value",
    "revenue",
    "profit",
    "roi",
]


@dataclass(frozen=True)
class ActivityPlan:
    """Activities with their economics and schedule, totals and the budget check.

    Attributes
    ----------
    table : DataFrame
        One row per activity: ``activity``, ``channel`` (offline/online), ``type``,
        ``start``, ``end``, ``days``, ``budget``, ``reach``, ``cost_per_contact``,
        ``conversions``, ``cost_per_conversion``, ``revenue``, ``profit``, ``roi``.
    totals : DataFrame
        The same sums by channel (offline, online) and for the whole plan, with the
        ratios recomputed from the sums (not averaged).
    total_cost, available, over_budget : float
        What the plan costs, the money available (NaN if none was given) and by how
        much the cost exceeds it (0 when within the budget or none was given).
    """

    table: pd.DataFrame
    totals: pd.DataFrame
    total_cost: float
    available: float
    over_budget: float

    def __post_init__(self) -> None:
        set_fields(
            self,
            total_cost=float(self.total_cost),
            available=float(self.available),
            over_budget=float(self.over_budget),
        )

    @property
    def within_budget(self) -> bool | None:
        """Whether the plan fits the money available (None: none given)."""
        return None if np.isnan(self.available) else self.over_budget == 0

    def __repr__(self) -> str:
        total = self.totals.loc["total"]
        return (
            f"ActivityPlan({len(self.table)} activities, cost {self.total_cost:g}, "
            f"revenue {total['revenue']:g}, ROI {total['roi']:.2f}, "
            f"within budget: {self.within_budget})"
        )


def _ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """Cost per contact and per conversion, profit and ROI from the sums in
    ``frame`` (NaN where the divisor is 0)."""
    cost = frame["budget"]
    frame["cost_per_contact"] = cost / frame["reach"].where(frame["reach"] > 0)
    frame["cost_per_conversion"] = cost / frame["conversions"].where(
        frame["conversions"] > 0
    )
    frame["profit"] = frame["revenue"] - cost
    frame["roi"] = frame["profit"] / cost.where(cost > 0)
    return frame


def _schedule(activities: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    start = check_dates("activities['start']", activities["start"]).reset_index(
        drop=True
    )
    end_raw = activities["end"] if "end" in activities.columns else activities["start"]
    end = check_dates("activities['end']", end_raw).reset_index(drop=True)
    early = (end < start).to_numpy()
    if early.any():
        pos = int(np.flatnonzero(early)[0])
        raise DataError(
            f"activities['end'] = {end[pos].date()} is before its start "
            f"{start[pos].date()} (activity {show(activities['activity'].iloc[pos])}); "
            "swap the dates or correct the end."
        )
    return start, end


def activity_plan(
    activities: pd.DataFrame,
    *,
    available: float | None = None,
    over_budget: str = "flag",
) -> ActivityPlan:
    """Cost, reach, conversion, revenue and ROI of channel activities, with their
    schedule, totals and a budget check.

    For each activity: cost per contact = budget / reach; conversions = reach ×
    conversion_rate; cost per conversion = budget / conversions; revenue =
    conversions × value; profit = revenue − budget; ROI = (revenue − budget) /
    budget; days = end − start + 1 (both days count).

    Parameters
    ----------
    activities : DataFrame
        One row per activity: ``activity`` (its name, each once), ``type`` (a key of
        :data:`ACTIVITY_TYPES`), ``budget`` (its cost, >= 0), ``reach`` (contacts,
        >= 0), ``conversion_rate`` (a share of the contacts, in [0, 1]), ``value``
        (revenue per conversion, >= 0) and ``start`` (a date); optional ``end``
        (a date, not before ``start``; the start if absent). Other columns
        (audience, content, KPI) are kept in the table.
    available : float, optional
        The money available for all activities (>= 0).
    over_budget : {"flag", "raise"}, default "flag"
        A plan that costs more than ``available``: report it in
        :attr:`ActivityPlan.over_budget`, or raise :class:`~crmkit.errors.TargetError`
        naming the amount and the most expensive activity.

    Returns
    -------
    ActivityPlan

    Notes
    -----
    ROI as (return − cost) / cost is the usual marketing definition, e.g. Farris, P.
    W., Bendle, N. T., Pfeifer, P. E. and Reibstein, D. J. (2010), *Marketing
    Metrics: The Definitive Guide to Measuring Marketing Performance*, 2nd ed., Upper
    Saddle River, NJ: Pearson/FT Press, ch. 10, "Marketing and Finance" (return on
    marketing investment).
    Revenue here is the revenue the conversions bring; pass a margin per conversion
    as ``value`` for a return on margin.

    Examples
    --------
    >>> acts = pd.DataFrame({"activity": ["fair", "live"],
    ...                      "type": ["exhibition", "live_stream"],
    ...                      "budget": [8000.0, 2000.0], "reach": [4000, 20000],
    ...                      "conversion_rate": [0.02, 0.005], "value": [150.0, 120.0],
    ...                      "start": ["2024-05-10", "2024-05-18"],
    ...                      "end": ["2024-05-12", "2024-05-18"]})
    >>> plan = activity_plan(acts, available=9000)
    >>> plan.table[["cost_per_contact", "conversions", "roi"]].round(3).values.tolist()
    [[2.0, 80.0, 0.5], [0.1, 100.0, 5.0]]
    >>> plan.over_budget, plan.within_budget
    (1000.0, False)
    """
    check_frame(activities, _COLUMNS, what="activities")
    over_budget = check_choice("over_budget", over_budget, _OVER)
    money = np.nan if available is None else check_nonnegative("available", available)
    for column in ("activity", "type"):
        check_present(
            f"activities[{column!r}]",
            activities[column],
            what="entry(ies)",
            fix=f"fill in every {column}",
        )
    names = activities["activity"].astype(str).reset_index(drop=True)
    if names.duplicated().any():
        raise DataError(
            f"activities['activity'] names {show(names[names.duplicated()].iloc[0])} "
            "twice; give each activity its own name."
        )
    kinds = activities["type"].reset_index(drop=True)
    bad = ~kinds.isin(list(ACTIVITY_TYPES))
    if bad.any():
        raise DataError(
            f"activities['type'] = {show(kinds[bad].iloc[0])} is not one of the "
            f"course's activity types; use one of {list(ACTIVITY_TYPES)}."
        )
    cost = check_array("activities['budget']", activities["budget"], low=0)
    reach = check_array("activities['reach']", activities["reach"], low=0)
    rate = check_array(
        "activities['conversion_rate']", activities["conversion_rate"], low=0, high=1
    )
    value = check_array("activities['value']", activities["value"], low=0)
    start, end = _schedule(activities)
    table = activities.reset_index(drop=True).copy()
    table["activity"] = names
    table.insert(1, "channel", kinds.map(lambda k: _CHANNEL_EN[ACTIVITY_TYPES[k][0]]))
    table["start"], table["end"] = start, end
    table["days"] = (end - start).dt.days + 1
    table["budget"], table["reach"] = cost, reach
    with np.errstate(over="ignore"):
        table["conversions"] = reach * rate
        table["revenue"] = table["conversions"] * value
    sums = table.groupby("channel")[["budget", "reach", "conversions", "revenue"]].sum()
    sums.loc["total"] = sums.sum()
    numbers = pd.concat([table["budget"], table["revenue"], sums["revenue"]])
    if not np.isfinite(numbers.to_numpy(dtype=float)).all():
        raise DataError(
            "activities give a revenue or cost beyond the float range; pass money "
            "in a larger unit (e.g. thousands)."
        )
    table = _ratios(table)
    extra = [c for c in table.columns if c not in _FIRST + _LAST]
    table = table[_FIRST + extra + _LAST]
    table["conversion_rate"] = rate
    table["value"] = value
    totals = _ratios(sums.reindex([*_CHANNEL_EN.values(), "total"]).fillna(0.0))
    total_cost = float(totals.loc["total", "budget"])
    over = 0.0 if np.isnan(money) else max(total_cost - money, 0.0)
    if over > 0 and over_budget == "raise":
        big = table.loc[table["budget"].idxmax()]
        raise TargetError(
            f"the activities cost {total_cost:g}, {over:g} over available = "
            f"{money:g}; the most expensive is {show(big['activity'])} "
            f"({big['budget']:g}). Cut or drop activities, or raise available."
        )
    return ActivityPlan(table, totals, total_cost, money, over)
