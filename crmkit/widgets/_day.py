"""The explorer of a day whose demand peaks: staffing by SIPP, lagged SIPP or ISA,
checked by simulation (the service-operations research notebook)."""

from __future__ import annotations

from functools import partial

import ipywidgets as widgets
import numpy as np
import pandas as pd

from crmkit._i18n import tr
from crmkit.errors import CrmkitError
from crmkit.plotting import plot_staffing_by_interval
from crmkit.queues import (
    isa_staffing,
    lagged_sipp_staffing,
    simulate_day,
    sipp_staffing,
)
from crmkit.widgets._base import Explorer, bars_html, metrics_html, show_figure, slider
from crmkit.widgets._labels import translated
from crmkit.widgets._queues import _error_html

__all__ = ["day_explorer"]

_STYLE = {"description_width": "190px"}
_slider = partial(slider, style=_STYLE, layout=widgets.Layout(width="500px"))

#: the day: 8:00 to 20:00 in half hours; demand off the peak is this share of it
OPEN_HOUR, CLOSE_HOUR, INTERVAL_MIN, BASE_SHARE = 8.0, 20.0, 30.0, 0.2
#: the service-level time: answered within 20 seconds
WITHIN_MIN = 1 / 3
_METHODS = {"sipp": sipp_staffing, "lagged": lagged_sipp_staffing, "isa": isa_staffing}
#: control → (English, Chinese) description
_DESCRIPTIONS = {
    "peak_per_hour": ("calls per hour at the peak 高峰", "高峰每小时来电数"),
    "peak_hour": ("peak hour 高峰时刻", "高峰时刻（几点）"),
    "handle_time_min": ("handle time (min) 处理时间", "平均处理时长（分钟）"),
    "target": ("target: answered within 20 s", "目标服务水平（20 秒内应答）"),
    "method": ("staffing method", "人员配置方法"),
}
#: metric → (English, Chinese) row label
_LABELS = {
    "server_hours": ("agent-hours 座席小时", "座席小时数"),
    "peak_servers": ("most agents at once", "同时在岗的最多座席数"),
    "below_target": ("half hours surely below target", "明显低于目标的半小时时段数"),
    "lowest": ("lowest service level (95 % CI)", "最低的服务水平（95% 区间）"),
}


def day_rates(peak_per_hour: float, peak_hour: float) -> pd.Series:
    """Arrivals per minute in each half hour of the day: a bell around ``peak_hour``
    (sd 1.5 hours) above a floor of ``BASE_SHARE`` of the peak; indexed by the
    interval's start hour."""
    starts = np.arange(OPEN_HOUR, CLOSE_HOUR, INTERVAL_MIN / 60)
    mid = starts + INTERVAL_MIN / 120
    bell = np.exp(-0.5 * ((mid - peak_hour) / 1.5) ** 2)
    per_minute = peak_per_hour / 60 * (BASE_SHARE + (1 - BASE_SHARE) * bell)
    return pd.Series(per_minute, index=pd.Index(starts, name="hour"))


def _clock(hour: float) -> str:
    return f"{int(hour)}:{round(hour % 1 * 60):02d}"


def day_explorer(
    seed: int = 11, replications: int = 60, isa_replications: int = 20
) -> Explorer:
    """Peak demand, peak hour, handle time, target and method → the day's staffing and
    each half hour's simulated service level (95 % intervals).

    The day runs 8:00–20:00 in half hours (:func:`day_rates`); a plan from
    :func:`~crmkit.queues.sipp_staffing`, :func:`~crmkit.queues.lagged_sipp_staffing`
    or :func:`~crmkit.queues.isa_staffing` (``isa_replications`` simulated days per
    round) is checked by :func:`~crmkit.queues.simulate_day` on ``replications``
    other days (seed ``seed + 1``): enough for the intervals to show where SIPP
    misses its target.

    Examples
    --------
    >>> app = day_explorer(replications=10, isa_replications=5)
    >>> app.controls["method"].value = "lagged"
    >>> "data-metric='below_target'" in app.results.value
    True
    """
    descriptions = translated(_DESCRIPTIONS)
    controls: dict[str, widgets.Widget] = {
        "peak_per_hour": _slider(descriptions["peak_per_hour"], 240, 60, 600, 20),
        "peak_hour": _slider(descriptions["peak_hour"], 11.0, 9.0, 18.0, 0.5),
        "handle_time_min": _slider(
            descriptions["handle_time_min"], 8.0, 2.0, 15.0, 1.0
        ),
        "target": _slider(descriptions["target"], 0.80, 0.50, 0.95, 0.05, fmt=".2f"),
        "method": widgets.Dropdown(
            options=[
                (
                    tr(en="SIPP (stationary, per interval)", zh="SIPP（逐时段稳态）"),
                    "sipp",
                ),
                (tr(en="lagged SIPP 滞后", zh="滞后 SIPP"), "lagged"),
                (tr(en="ISA (simulation) 迭代仿真", zh="ISA（迭代仿真）"), "isa"),
            ],
            value="sipp",
            description=descriptions["method"],
            style=_STYLE,
        ),
    }
    labels = translated(_LABELS)
    caption = tr(
        en=f"{replications} simulated days; below target: the whole 95 % "
        "interval under it",
        zh=f"仿真 {replications} 天；明显低于目标：整个 95% 置信区间都在目标之下",
    )

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        rates = day_rates(v["peak_per_hour"], v["peak_hour"])
        mu = 1.0 / v["handle_time_min"]
        target = {"service_level": v["target"], "within": WITHIN_MIN}
        extra = {"replications": isa_replications, "seed": seed}
        try:
            plan = _METHODS[v["method"]](
                rates,
                INTERVAL_MIN,
                mu,
                **target,
                **(extra if v["method"] == "isa" else {}),
            )
            day = simulate_day(
                rates,
                INTERVAL_MIN,
                plan,
                mu,
                within=WITHIN_MIN,
                replications=replications,
                seed=seed + 1,
            ).table
        except CrmkitError as exc:
            app.results.value = _error_html(exc, "这组参数无法计算")
            app.figure.outputs = ()
            return
        low = day["service_level_ci_high"] < v["target"]
        worst = int(np.nanargmin(day["service_level"].to_numpy()))
        rows = [
            ("server_hours", labels["server_hours"], f"{plan.server_minutes / 60:.1f}"),
            ("peak_servers", labels["peak_servers"], f"{max(plan.servers)}"),
            ("below_target", labels["below_target"], f"{int(low.sum())} / {len(day)}"),
            (
                "lowest",
                labels["lowest"],
                f"{day['service_level'].iloc[worst]:.0%} "
                f"({day['service_level_ci_low'].iloc[worst]:.0%}–"
                f"{day['service_level_ci_high'].iloc[worst]:.0%}), "
                f"{_clock(rates.index[worst])}",
            ),
        ]
        bars = bars_html(
            (
                _clock(hour) + (" ⚠" if below else ""),
                sl,
                f"{sl:.0%} ({lo:.0%}–{hi:.0%})",
            )
            for hour, sl, lo, hi, below in zip(
                rates.index,
                day["service_level"],
                day["service_level_ci_low"],
                day["service_level_ci_high"],
                low,
                strict=True,
            )
        )
        app.results.value = metrics_html(rows, caption=caption) + bars
        frame = plan.to_frame().set_index(
            pd.Index([_clock(h) for h in rates.index], name="hour")
        )
        show_figure(app.figure, plot_staffing_by_interval(frame), app.margins)

    return Explorer(
        tr(en="Staffing a day with a peak 分时段人员配置", zh="高峰日的人员配置"),
        controls,
        update,
    )
