"""Figures for the planning tools: the schedule of activities (a Gantt chart)."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from crmkit._i18n import tr

__all__ = ["plot_activity_schedule"]

_COLOURS = {"offline": "#0173b2", "online": "#de8f05"}


def plot_activity_schedule(table: pd.DataFrame, *, ax: Axes | None = None) -> Figure:
    """The schedule of activities as a Gantt chart: one bar per activity from its
    first to its last day, coloured by channel (offline, online).

    ``table`` is :attr:`crmkit.channels.ActivityPlan.table` (columns ``activity``,
    ``channel``, ``start``, ``end``); the first activity is drawn at the top.

    Examples
    --------
    >>> from crmkit.channels import activity_plan
    >>> acts = pd.DataFrame({"activity": ["fair"], "type": ["exhibition"],
    ...                      "budget": [8000.0], "reach": [4000],
    ...                      "conversion_rate": [0.02], "value": [150.0],
    ...                      "start": ["2024-05-10"], "end": ["2024-05-12"]})
    >>> fig = plot_activity_schedule(activity_plan(acts).table)
    >>> len(fig.axes[0].patches)
    1
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(table) + 1.4))
    else:
        fig = ax.figure
    start = mdates.date2num(pd.to_datetime(table["start"]))
    end = mdates.date2num(pd.to_datetime(table["end"]) + pd.Timedelta(days=1))
    rows = range(len(table))
    colours = [_COLOURS.get(c, "#999999") for c in table["channel"]]
    ax.barh(list(rows), end - start, left=start, color=colours, height=0.6)
    ax.set_yticks(list(rows), [str(a) for a in table["activity"]])
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
    ax.set_xlabel(tr(en="date (month-day)", zh="日期（月-日）"))
    names = {
        "offline": tr(en="offline", zh="线下"),
        "online": tr(en="online", zh="线上"),
    }
    present = [c for c in _COLOURS if c in set(table["channel"])]
    ax.legend(
        handles=[Patch(color=_COLOURS[c], label=names[c]) for c in present],
        loc="lower right",
        fontsize="small",
    )
    ax.set_title(tr(en="Activity schedule", zh="活动日程"))
    return fig
