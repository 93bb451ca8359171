"""Explorers for the waiting and queue chapters (05, 06, 07)."""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from crmkit.errors import CrmkitError
from crmkit.plotting import plot_perceived_breakdown, plot_service_level_by_servers
from crmkit.queues import (
    ErlangA,
    Exponential,
    Lognormal,
    MMc,
    NHPPArrivals,
    PerceivedWaitModel,
    QueueSpec,
    Schedule,
    WaitConditions,
    announcement_patience_factor,
    simulate,
    staff,
    staffing_table,
)
from crmkit.queues.calllog import CallCentreCalibration
from crmkit.queues.perceived import PRINCIPLES
from crmkit.widgets._base import Explorer, metrics_html, show_figure

__all__ = ["perceived_wait_explorer", "queue_explorer", "simulation_explorer"]

_STYLE = {"description_width": "190px"}
_WIDE = widgets.Layout(width="500px")


def _slider(kind, description, value, lo, hi, step, fmt=None):
    cls = widgets.IntSlider if kind == "int" else widgets.FloatSlider
    extra = {} if fmt is None else {"readout_format": fmt}
    return cls(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=False,
        style=_STYLE,
        layout=_WIDE,
        **extra,
    )


def queue_explorer(
    calls_per_hour: float = 200.0,
    handle_time_s: float = 180.0,
    agents: int = 12,
) -> Explorer:
    """Load, agents, patience and a service-level target → every metric, and the
    staffing.

    With patience 0 callers never give up (Erlang C, M/M/c); otherwise they abandon
    after an exponential patience with the mean shown (Erlang A).

    Examples
    --------
    >>> app = queue_explorer()
    >>> app.controls["agents"].value = 14
    >>> "data-metric='service_level'" in app.results.value
    True
    """
    controls = {
        "calls_per_hour": _slider(
            "float", "calls per hour 每小时来电", calls_per_hour, 10, 1200, 10, ".0f"
        ),
        "handle_time_s": _slider(
            "float", "handle time (s) 处理时间", handle_time_s, 30, 900, 10, ".0f"
        ),
        "agents": _slider("int", "agents 座席", agents, 1, 200, 1),
        "patience_min": _slider(
            "float", "mean patience (min) 耐心", 0.0, 0.0, 20.0, 0.5, ".1f"
        ),
        "target": _slider(
            "float", "target service level", 0.80, 0.50, 0.99, 0.01, ".2f"
        ),
        "within_s": _slider(
            "float", "answered within (s)", 20.0, 0.0, 120.0, 5.0, ".0f"
        ),
    }

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        lam = v["calls_per_hour"] / 60.0  # per minute
        mu = 60.0 / v["handle_time_s"]  # per minute
        within = v["within_s"] / 60.0
        theta = 1.0 / v["patience_min"] if v["patience_min"] > 0 else None
        n = int(v["agents"])
        try:
            if theta is None:
                model: MMc | ErlangA = MMc(arrival_rate=lam, service_rate=mu, servers=n)
            else:
                model = ErlangA(
                    arrival_rate=lam, service_rate=mu, servers=n, abandonment_rate=theta
                )
            plan = staff(
                lam,
                mu,
                service_level=v["target"],
                within=within,
                abandonment_rate=theta,
            )
        except CrmkitError as exc:
            app.results.value = f"<p class='crmkit-error' data-metric='error'>{exc}</p>"
            app.figure.outputs = ()
            return
        rows = [
            ("offered_load", "offered load 负载 (Erlang)", f"{model.offered_load:.2f}"),
            (
                "service_level",
                f"answered within {v['within_s']:.0f} s",
                f"{model.service_level(within):.1%}",
            ),
            ("prob_wait", "P(wait) 需等待的比例", f"{model.prob_wait:.1%}"),
            ("mean_wait_s", "mean wait 平均等待 (s)", f"{model.mean_wait * 60:.1f}"),
            ("occupancy", "occupancy 座席占用率", f"{model.occupancy:.1%}"),
        ]
        if theta is not None:
            rows.append(
                ("prob_abandon", "P(abandon) 放弃率", f"{model.prob_abandon:.1%}")
            )
        rows.append(
            (
                "recommended",
                f"agents for {v['target']:.0%} in {v['within_s']:.0f} s",
                f"{plan.servers}",
            )
        )
        kind = "Erlang C (M/M/c)" if theta is None else "Erlang A (M/M/c+M)"
        app.results.value = metrics_html(rows, caption=kind)
        lo = max(1, min(n, plan.servers) - 6)
        hi = max(n, plan.servers) + 6
        table = staffing_table(
            lam, mu, range(lo, hi + 1), within=within, abandonment_rate=theta
        )
        fig = plot_service_level_by_servers(
            table,
            target=v["target"],
            current=n,
            within_label=f"(within {v['within_s']:.0f} s)",
        )
        show_figure(app.figure, fig, app.margins)

    return Explorer("Queue and staffing explorer 排队与人员配置", controls, update)


def perceived_wait_explorer(actual_min: float = 4.0) -> Explorer:
    """Maister's principles switched on and off: how long the same wait feels.

    Examples
    --------
    >>> app = perceived_wait_explorer()
    >>> app.controls["occupied"].value = True
    >>> "data-metric='perceived_min'" in app.results.value
    True
    """
    model = PerceivedWaitModel()
    controls: dict[str, widgets.Widget] = {
        "actual_min": _slider(
            "float", "actual wait (min) 实际等待", actual_min, 0.0, 30.0, 0.5, ".1f"
        ),
        "service_value": _slider(
            "float", "value of the service", 1.0, 0.25, 4.0, 0.25, ".2f"
        ),
    }
    for name, english, chinese, _ in PRINCIPLES:
        default = name == "fair"
        label = {
            "occupied": "occupied 有事可做",
            "in_process": "in process 服务中",
            "anxious": "anxious 焦虑",
            "known_duration": "told how long 告知时长",
            "explained": "explained 说明理由",
            "fair": "fair 公平",
            "group": "in a group 结伴",
        }[name]
        controls[name] = widgets.Checkbox(
            value=default,
            description=label,
            indent=False,
            tooltip=f"{english} / {chinese}",
        )
    controls["announcement"] = widgets.Dropdown(
        options=[
            ("music only 音乐", "music"),
            ("apologies 道歉", "apology"),
            ("queue position 排队位置", "queue_position"),
        ],
        value="music",
        description="while waiting",
        style=_STYLE,
    )
    boxes = [controls[p[0]] for p in PRINCIPLES]
    layout = [
        controls["actual_min"],
        controls["service_value"],
        widgets.HBox(boxes[:4]),
        widgets.HBox(boxes[4:]),
        controls["announcement"],
    ]

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        cond = WaitConditions(
            **{p[0]: bool(v[p[0]]) for p in PRINCIPLES},
            service_value=float(v["service_value"]),
        )
        perceived = model.perceived(v["actual_min"], cond)
        acceptable = model.acceptable(cond)
        content = model.evaluation(v["actual_min"], cond)
        factor = announcement_patience_factor(v["announcement"])
        app.results.value = metrics_html(
            [
                ("perceived_min", "perceived wait 感知等待 (min)", f"{perceived:.2f}"),
                (
                    "acceptable_min",
                    "acceptable wait 可接受等待 (min)",
                    f"{acceptable:.2f}",
                ),
                ("content", "share content with the wait", f"{content:.0%}"),
                ("patience_factor", "patience vs music only", f"×{factor:.2f}"),
            ],
            caption="a teaching model: change the assumptions and watch the numbers",
        )
        breakdown = model.breakdown(v["actual_min"], cond)
        show_figure(app.figure, plot_perceived_breakdown(breakdown), app.margins)

    return Explorer(
        "Perceived waiting 感知等待", controls, update, layout_controls=layout
    )


def simulation_explorer(seed: int = 7, replications: int = 10) -> Explorer:
    """What if: agents per part of the day, patience and a VIP share → a simulated day.

    A working day of the synthetic bank call centre (hours 8–20, calibrated arrivals and
    lognormal service) is simulated ``replications`` times with common random numbers,
    so moving a slider changes only what it controls.

    Examples
    --------
    >>> app = simulation_explorer()
    >>> app.controls["agents_morning"].value = 8
    >>> "data-metric='prob_abandon'" in app.results.value
    True
    """
    cal = CallCentreCalibration()
    profile = np.asarray(cal.workday_profile[8:20])
    per_minute = tuple((cal.calls_per_workday * profile / 60.0).tolist())
    service = Lognormal.from_log(
        math.log(cal.service_mean_s / 60) - cal.service_log_sd**2 / 2,
        cal.service_log_sd,
    )
    controls = {
        "agents_morning": _slider("int", "agents 8–12 上午", 6, 1, 15, 1),
        "agents_midday": _slider("int", "agents 12–16 中午", 6, 1, 15, 1),
        "agents_evening": _slider("int", "agents 16–20 下午", 5, 1, 15, 1),
        "patience_min": _slider(
            "float", "mean patience (min)", 6.0, 0.5, 20.0, 0.5, ".1f"
        ),
        "vip_share": _slider(
            "float", "VIP share (priority) 优先", 0.0, 0.0, 0.5, 0.05, ".2f"
        ),
    }

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        hourly = (
            [v["agents_morning"]] * 4
            + [v["agents_midday"]] * 4
            + [v["agents_evening"]] * 4
        )
        shares = None if v["vip_share"] == 0 else (v["vip_share"], 1 - v["vip_share"])
        spec = QueueSpec(
            NHPPArrivals(profile=per_minute, interval=60.0),
            service,
            Schedule.from_intervals(hourly, 60.0),
            patience=Exponential(1.0 / v["patience_min"]),
            priority_shares=shares,
        )
        res = simulate(
            spec,
            horizon=12 * 60.0,
            replications=replications,
            seed=seed,
            service_level_within=20 / 60,
            progress=False,
        )
        t = res.table

        def cell(metric: str, scale: float = 1.0, fmt: str = "{:.1%}") -> str:
            est, half = (
                t.loc[metric, "estimate"] * scale,
                t.loc[metric, "half_width"] * scale,
            )
            return f"{fmt.format(est)} ± {fmt.format(half)}"

        rows = [
            ("prob_abandon", "P(abandon) 放弃率", cell("prob_abandon")),
            ("mean_wait_s", "mean wait (s) 平均等待", cell("mean_wait", 60, "{:.0f}")),
            ("service_level", "answered within 20 s", cell("service_level")),
            ("occupancy", "occupancy 座席占用率", cell("occupancy")),
        ]
        if shares is not None:
            rows += [
                (
                    "mean_wait_vip_s",
                    "VIP mean wait (s)",
                    cell("mean_wait[1]", 60, "{:.0f}"),
                ),
                (
                    "mean_wait_regular_s",
                    "regular mean wait (s)",
                    cell("mean_wait[2]", 60, "{:.0f}"),
                ),
            ]
        app.results.value = metrics_html(
            rows,
            caption=(
                f"{replications} simulated days, 95 % intervals; "
                f"{sum(hourly)} agent-hours"
            ),
        )

    return Explorer(
        "What if? A simulated day 仿真：如果……", controls, update, with_figure=False
    )
