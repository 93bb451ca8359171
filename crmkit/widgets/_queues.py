"""Explorers for the waiting and queue chapters (05, 06, 07)."""

from __future__ import annotations

import html
import math
from functools import partial

import ipywidgets as widgets
import numpy as np

from crmkit._i18n import tr
from crmkit.errors import CrmkitError, UnstableQueueError
from crmkit.plotting import plot_perceived_breakdown, plot_service_level_by_servers
from crmkit.queues import (
    Exponential,
    Lognormal,
    NHPPArrivals,
    QueueSpec,
    Schedule,
    erlang_queue,
    simulate,
    staff,
    staffing_table,
)
from crmkit.queues.calllog import CallCentreCalibration
from crmkit.waiting import (
    PRINCIPLES,
    PerceivedWaitModel,
    WaitConditions,
    announcement_patience_factor,
)
from crmkit.widgets._base import Explorer, metrics_html, show_figure, sliders
from crmkit.widgets._labels import QUEUE_LABELS, translated

__all__ = ["perceived_wait_explorer", "queue_explorer", "simulation_explorer"]

_STYLE = {"description_width": "190px"}
_WIDE = widgets.Layout(width="500px")

#: principle -> (English, Chinese) checkbox label: the state of the wait in a few
# words, in the course's wording of Maister's principles (过程前等待, 没有说明理由的
# 等待); the principle itself, the tooltip, comes from crmkit.waiting.PRINCIPLES
_PRINCIPLE_LABELS = {
    "occupied": ("occupied 有事可做", "有事可做"),
    "in_process": ("in process 服务中", "已在服务过程中"),
    "anxious": ("anxious 焦虑", "焦虑"),
    "known_duration": ("told how long 告知时长", "已告知等待时长"),
    "explained": ("explained 说明理由", "说明了理由"),
    "fair": ("fair 公平", "公平"),
    "group": ("in a group 结伴", "结伴等待"),
}

#: row -> (English, Chinese) label of each explorer's own rows (the queue metrics
#: that several explorers show are in crmkit.widgets._labels.QUEUE_LABELS)
_QUEUE_ROWS = {
    "offered_load": ("offered load 负载 (Erlang)", "负载（Erlang）"),
    "prob_wait": ("P(wait) 需等待的比例", "需要等待的来电比例"),
    "erlang_c": ("Erlang C (M/M/c)", "Erlang C 模型（M/M/c，顾客不放弃）"),
    "erlang_a": ("Erlang A (M/M/c+M)", "Erlang A 模型（M/M/c+M，顾客会放弃排队）"),
}
_PERCEIVED_ROWS = {
    "perceived_min": ("perceived wait 感知等待 (min)", "感知等待时间（分钟）"),
    "acceptable_min": ("acceptable wait 可接受等待 (min)", "可接受的等待时间（分钟）"),
    "content": ("share content with the wait", "对等待感到满意的顾客比例"),
    "patience_factor": ("patience vs music only", "耐心（相对于只播放音乐）"),
    "caption": (
        "a teaching model: change the assumptions and watch the numbers",
        "教学模型：改变假设，观察数字如何变化",
    ),
}
_SIMULATION_ROWS = {
    "service_level": ("answered within 20 s", "服务水平（20 秒内应答）"),
    "mean_wait_vip_s": ("VIP mean wait (s)", "VIP 客户平均等待（秒）"),
    "mean_wait_regular_s": ("regular mean wait (s)", "普通客户平均等待（秒）"),
}


def _error_html(exc: CrmkitError, zh: str, *, detail: bool = True) -> str:
    """The note an explorer shows instead of numbers when crmkit refuses the inputs:
    the library's message (English); in the Chinese edition the Chinese ``zh``,
    followed by the library's message when ``detail``."""
    text = tr(en=str(exc), zh=f"{zh}（{exc}）" if detail else f"{zh}。")
    return f"<p class='crmkit-error' data-metric='error'>{html.escape(text)}</p>"


#: sliders of these explorers' width (see :func:`~crmkit.widgets._base.sliders`)
_sliders = partial(sliders, style=_STYLE, layout=_WIDE)


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
    descriptions = {
        "calls_per_hour": tr(en="calls per hour 每小时来电", zh="每小时来电数"),
        "handle_time_s": tr(en="handle time (s) 处理时间", zh="平均处理时长（秒）"),
        "agents": tr(en="agents 座席", zh="座席数"),
        "patience_min": tr(
            en="mean patience (min) 耐心", zh="平均耐心（分钟，0 = 不放弃）"
        ),
        "target": tr(en="target service level", zh="目标服务水平"),
        "within_s": tr(en="answered within (s)", zh="应答时限（秒）"),
    }
    controls = _sliders(
        descriptions,
        {
            "calls_per_hour": (calls_per_hour, 10, 1200, 10, ".0f"),
            "handle_time_s": (handle_time_s, 30, 900, 10, ".0f"),
            "agents": (agents, 1, 200, 1, None),
            "patience_min": (0.0, 0.0, 20.0, 0.5, ".1f"),
            "target": (0.80, 0.50, 0.99, 0.01, ".2f"),
            "within_s": (20.0, 0.0, 120.0, 5.0, ".0f"),
        },
    )
    labels = translated(QUEUE_LABELS, _QUEUE_ROWS)

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        lam = v["calls_per_hour"] / 60.0  # per minute
        mu = 60.0 / v["handle_time_s"]  # per minute
        within = v["within_s"] / 60.0
        theta = 1.0 / v["patience_min"] if v["patience_min"] > 0 else None
        n = int(v["agents"])
        try:
            model = erlang_queue(lam, mu, n, theta)
            plan = staff(
                lam,
                mu,
                service_level=v["target"],
                within=within,
                abandonment_rate=theta,
            )
        except UnstableQueueError as exc:
            app.results.value = _error_html(
                exc,
                f"座席不足，队列不稳定（会无限增长）：负载 {lam / mu:.2f} Erlang，"
                f"至少需要 {math.floor(lam / mu) + 1} 名座席。请增加座席、减少来电，"
                "或设定顾客的平均耐心",
                detail=False,
            )
            app.figure.outputs = ()
            return
        except CrmkitError as exc:
            app.results.value = _error_html(exc, "这组参数无法计算")
            app.figure.outputs = ()
            return
        secs = f"{v['within_s']:.0f}"
        rows = [
            ("offered_load", labels["offered_load"], f"{model.offered_load:.2f}"),
            (
                "service_level",
                tr(en=f"answered within {secs} s", zh=f"服务水平（{secs} 秒内应答）"),
                f"{model.service_level(within):.1%}",
            ),
            ("prob_wait", labels["prob_wait"], f"{model.prob_wait:.1%}"),
            ("mean_wait_s", labels["mean_wait_s"], f"{model.mean_wait * 60:.1f}"),
            ("occupancy", labels["occupancy"], f"{model.occupancy:.1%}"),
        ]
        if theta is not None:
            rows.append(
                ("prob_abandon", labels["prob_abandon"], f"{model.prob_abandon:.1%}")
            )
        rows.append(
            (
                "recommended",
                tr(
                    en=f"agents for {v['target']:.0%} in {secs} s",
                    zh=f"{secs} 秒内应答 {v['target']:.0%} 所需座席数",
                ),
                f"{plan.servers}",
            )
        )
        kind = labels["erlang_c"] if theta is None else labels["erlang_a"]
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
            within_label=tr(en=f"(within {secs} s)", zh=f"（{secs} 秒内应答）"),
        )
        show_figure(app.figure, fig, app.margins)

    return Explorer(
        tr(en="Queue and staffing explorer 排队与人员配置", zh="排队与人员配置"),
        controls,
        update,
    )


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
    controls = _sliders(
        {
            "actual_min": tr(
                en="actual wait (min) 实际等待", zh="实际等待时间（分钟）"
            ),
            "service_value": tr(en="value of the service", zh="服务的价值（1 = 一般）"),
        },
        {
            "actual_min": (actual_min, 0.0, 30.0, 0.5, ".1f"),
            "service_value": (1.0, 0.25, 4.0, 0.25, ".2f"),
        },
    )
    for name, english, chinese, _ in PRINCIPLES:
        label_en, label_zh = _PRINCIPLE_LABELS.get(name, (english, chinese))
        controls[name] = widgets.Checkbox(
            value=name == "fair",
            description=tr(en=label_en, zh=label_zh),
            indent=False,
            tooltip=tr(en=f"{english} / {chinese}", zh=chinese),
        )
    controls["announcement"] = widgets.Dropdown(
        options=[
            (tr(en="music only 音乐", zh="只播放音乐"), "music"),
            (tr(en="apologies 道歉", zh="播放致歉语音"), "apology"),
            (tr(en="queue position 排队位置", zh="播报排队位置"), "queue_position"),
        ],
        value="music",
        description=tr(en="while waiting", zh="等待时播放"),
        style=_STYLE,
    )
    labels = translated(_PERCEIVED_ROWS)
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
                ("perceived_min", labels["perceived_min"], f"{perceived:.2f}"),
                ("acceptable_min", labels["acceptable_min"], f"{acceptable:.2f}"),
                ("content", labels["content"], f"{content:.0%}"),
                ("patience_factor", labels["patience_factor"], f"×{factor:.2f}"),
            ],
            caption=labels["caption"],
        )
        breakdown = model.breakdown(v["actual_min"], cond)
        show_figure(app.figure, plot_perceived_breakdown(breakdown), app.margins)

    return Explorer(
        tr(en="Perceived waiting 感知等待", zh="感知等待"),
        controls,
        update,
        layout_controls=layout,
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
    descriptions = {
        "agents_morning": tr(en="agents 8–12 上午", zh="上午 8–12 时座席数"),
        "agents_midday": tr(en="agents 12–16 中午", zh="中午 12–16 时座席数"),
        "agents_evening": tr(en="agents 16–20 下午", zh="下午 16–20 时座席数"),
        "patience_min": tr(en="mean patience (min)", zh="平均耐心（分钟）"),
        "vip_share": tr(en="VIP share (priority) 优先", zh="VIP 客户比例（优先服务）"),
    }
    controls = _sliders(
        descriptions,
        {
            "agents_morning": (6, 1, 15, 1, None),
            "agents_midday": (6, 1, 15, 1, None),
            "agents_evening": (5, 1, 15, 1, None),
            "patience_min": (6.0, 0.5, 20.0, 0.5, ".1f"),
            "vip_share": (0.0, 0.0, 0.5, 0.05, ".2f"),
        },
    )
    labels = translated(QUEUE_LABELS, _SIMULATION_ROWS)

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

        cells = {
            "prob_abandon": cell("prob_abandon"),
            "mean_wait_s": cell("mean_wait", 60, "{:.0f}"),
            "service_level": cell("service_level"),
            "occupancy": cell("occupancy"),
        }
        if shares is not None:
            cells["mean_wait_vip_s"] = cell("mean_wait[1]", 60, "{:.0f}")
            cells["mean_wait_regular_s"] = cell("mean_wait[2]", 60, "{:.0f}")
        rows = [(key, labels[key], value) for key, value in cells.items()]
        app.results.value = metrics_html(
            rows,
            caption=tr(
                en=f"{replications} simulated days, 95 % intervals; "
                f"{sum(hourly)} agent-hours",
                zh=f"仿真 {replications} 天，95% 置信区间；共 {sum(hourly)} 座席小时",
            ),
        )

    return Explorer(
        tr(en="What if? A simulated day 仿真：如果……", zh="如果……会怎样？仿真的一天"),
        controls,
        update,
        with_figure=False,
    )
