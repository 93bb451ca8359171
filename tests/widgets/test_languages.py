"""The explorers and figures speak the selected language.

Every app (and the glossary explorer) is built once in each language: the Chinese one
reads Chinese in every control, option, metric label and caption; the English one is
exactly today's English edition (which shows the course's Chinese term beside English
ones, and which the browser tests look labels up in); both show the same metrics
(``data-metric`` keys). Every figure drawn in Chinese finds a glyph for every character
(with a CJK font; without one the figure tests skip, or fail in CI).
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Callable
from functools import cache

import matplotlib as mpl
import pandas as pd
import pytest

import crmkit
from crmkit.datasets import load_cdnow
from crmkit.plotting import find_cjk_font, set_style
from crmkit.segmentation import customer_summary
from crmkit.widgets import (
    APPS,
    Explorer,
    glossary_explorer,
    queue_explorer,
    segmentation_explorer,
)
from tests.conftest import require

CJK = re.compile(r"[\u3400-\u9fff]")
METRIC = re.compile(r"data-metric='([^']*)'")
MISSING = "missing from font"
NO_FONT = "no CJK font installed (apt-get install fonts-noto-cjk)"


def _segmentation() -> Explorer:
    # the app's builder on the CDNOW sample: the same labels, a fraction of the time
    summary = customer_summary(load_cdnow(sample=True))
    return segmentation_explorer(summary, ks=range(2, 5))


#: builders: the apps (segmentation on the CDNOW sample), and the explorer that has no
#: app of its own
BUILDERS: dict[str, Callable[[], Explorer]] = {
    **{name: app.build for name, app in APPS.items()},
    "segmentation": _segmentation,
    "glossary": glossary_explorer,
}

#: control changes that show each explorer's optional rows and second figure
EXERCISE: dict[str, dict[str, object]] = {
    "queues": {"patience_min": 2.0},
    "perceived_waiting": {"occupied": True},
    "simulation": {"vip_share": 0.2},
    "segmentation": {"view": "k"},
    "clv": {"view": "expected"},
    "channels": {"w_cost": 3},
    "complaints": {"word_of_mouth": True},
    "day": {"method": "lagged"},
    "glossary": {"query": "排队"},
}

#: the English edition as it was before the Chinese one existed (checked against it)
EXPECTED_EN: dict[str, dict] = {
    "queues": {
        "title": "Queue and staffing explorer 排队与人员配置",
        "descriptions": {
            "calls_per_hour": "calls per hour 每小时来电",
            "handle_time_s": "handle time (s) 处理时间",
            "agents": "agents 座席",
            "patience_min": "mean patience (min) 耐心",
            "target": "target service level",
            "within_s": "answered within (s)",
        },
        "options": {},
        "rows": [
            "offered load 负载 (Erlang)",
            "answered within 20 s",
            "P(wait) 需等待的比例",
            "mean wait 平均等待 (s)",
            "occupancy 座席占用率",
            "P(abandon) 放弃率",
            "agents for 80% in 20 s",
        ],
        "captions": ["Erlang A (M/M/c+M)"],
    },
    "perceived_waiting": {
        "title": "Perceived waiting 感知等待",
        "descriptions": {
            "actual_min": "actual wait (min) 实际等待",
            "service_value": "value of the service",
            "occupied": "occupied 有事可做",
            "in_process": "in process 服务中",
            "anxious": "anxious 焦虑",
            "known_duration": "told how long 告知时长",
            "explained": "explained 说明理由",
            "fair": "fair 公平",
            "group": "in a group 结伴",
            "announcement": "while waiting",
        },
        "options": {
            "announcement": [
                "music only 音乐",
                "apologies 道歉",
                "queue position 排队位置",
            ]
        },
        "rows": [
            "perceived wait 感知等待 (min)",
            "acceptable wait 可接受等待 (min)",
            "share content with the wait",
            "patience vs music only",
        ],
        "captions": ["a teaching model: change the assumptions and watch the numbers"],
    },
    "simulation": {
        "title": "What if? A simulated day 仿真：如果……",
        "descriptions": {
            "agents_morning": "agents 8–12 上午",
            "agents_midday": "agents 12–16 中午",
            "agents_evening": "agents 16–20 下午",
            "patience_min": "mean patience (min)",
            "vip_share": "VIP share (priority) 优先",
        },
        "options": {},
        "rows": [
            "P(abandon) 放弃率",
            "mean wait 平均等待 (s)",
            "answered within 20 s",
            "occupancy 座席占用率",
            "VIP mean wait (s)",
            "regular mean wait (s)",
        ],
        "captions": ["10 simulated days, 95 % intervals; 68 agent-hours"],
    },
    "segmentation": {
        "title": "Segmentation explorer 客户细分",
        "descriptions": {
            "a_cutoff": "A: value share",
            "b_cutoff": "B: value share",
            "k": "k segments",
            "view": "",
        },
        "options": {"view": ["Lorenz curve", "cluster profiles 聚类"]},
        "rows": [
            "class A: customers / value",
            "class B: customers / value",
            "class C: customers / value",
            "Gini coefficient 基尼系数",
            "k = 4: silhouette",
            "largest segment share",
        ],
        "captions": ["2,357 customers"],
    },
    "clv": {
        "title": "Customer lifetime value 客户终身价值",
        "descriptions": {
            "model": "model 模型",
            "frequency": "repeat purchases x 重复购买",
            "recency": "last purchase t_x (week)",
            "T": "weeks since first purchase T",
            "horizon_weeks": "horizon (weeks) 预测期",
            "margin": "profit per purchase ($) 每次利润",
            "discount_rate": "discount rate a year 年贴现率",
            "view": "",
        },
        "options": {
            "model": ["BG/NBD", "MBG/NBD", "Pareto/NBD"],
            "view": ["P(alive) 存活概率", "expected purchases 预期购买"],
        },
        "rows": [
            "P(alive) 存活概率",
            "purchases expected in the next 52 weeks",
            "lifetime value, discounted ($) 客户终身价值",
            "log-likelihood, weeks 1–39",
            "cohort forecast error, weeks 40–78",
        ],
        "captions": [
            "BG/NBD, customer x = 2, t_x = 30.4, T = 38.9 weeks; fitted on the CDNOW "
            "sample, weeks 1–39"
        ],
    },
    "channels": {
        "title": "Channel ranking 渠道选择",
        "descriptions": {
            "w_cost": "cost 成本",
            "w_speed": "speed 速度",
            "w_richness": "information richness 传递信息的丰富性",
            "w_interactivity": "interactivity 互动性",
            "mapping": "ratings → numbers",
            "method": "",
        },
        "options": {
            "mapping": ["default", "equal_steps", "doubling"],
            "method": ["weighted sum", "TOPSIS"],
        },
        "rows": [
            "e-mail 电子邮件",
            "website 网站",
            "face-to-face 面对面交流",
            "phone 电话",
            "letter 信函",
        ],
        "captions": ["rank (1 = best)"],
    },
    "complaints": {
        "title": "Complaint handling simulator 投诉处理模拟",
        "descriptions": {
            "problem_rate": "problems a period 出问题的比例",
            "complaint_rate": "complain | problem 投诉率",
            "resolution_rate": "resolved | complaint 解决率",
            "quick_resolution_rate": "quickly | resolved 快速解决",
            "word_of_mouth": "word of mouth 口碑 (tell 9.5 / 5)",
            "acquisition": "new customers a period 新客户/期",
        },
        "options": {},
        "rows": [
            "customers after 12 periods",
            "complaints 投诉",
            "silent dissatisfied 沉默的不满",
            "silent per complaint",
            "customers lost 流失",
            "new customers 新客户",
            "word-of-mouth mentions − / +",
            "profit over the horizon 利润",
            "profit vs course baseline",
        ],
        "captions": ["means of the simulation with 95 % intervals"],
    },
    "day": {
        "title": "Staffing a day with a peak 分时段人员配置",
        "descriptions": {
            "peak_per_hour": "calls per hour at the peak 高峰",
            "peak_hour": "peak hour 高峰时刻",
            "handle_time_min": "handle time (min) 处理时间",
            "target": "target: answered within 20 s",
            "method": "staffing method",
        },
        "options": {
            "method": [
                "SIPP (stationary, per interval)",
                "lagged SIPP 滞后",
                "ISA (simulation) 迭代仿真",
            ]
        },
        "rows": [
            "agent-hours 座席小时",
            "most agents at once",
            "half hours surely below target",
            "lowest service level (95 % CI)",
        ],
        "captions": [
            "60 simulated days; below target: the whole 95 % interval under it"
        ],
    },
    "glossary": {
        "title": "Glossary 术语表",
        "descriptions": {"query": "search", "chapter": "chapter"},
        "options": {
            "chapter": [
                "all chapters",
                "01 interaction",
                "02 segmentation",
                "03 value",
                "04 channels",
                "05 waiting",
                "06 queues",
                "07 simulation",
                "08 complaints",
                "09 research",
            ]
        },
    },
}


def texts(app: Explorer) -> dict:
    """What a student reads in an explorer, by kind."""
    value = app.results.value
    return {
        "title": html.unescape(re.sub(r"<[^>]+>", "", app.children[0].value)),
        "descriptions": {k: c.description for k, c in app.controls.items()},
        "options": {
            k: list(c._options_labels)
            for k, c in app.controls.items()
            if hasattr(c, "_options_labels")
        },
        "tooltips": {k: getattr(c, "tooltip", None) for k, c in app.controls.items()},
        "placeholders": {
            k: c.placeholder
            for k, c in app.controls.items()
            if hasattr(c, "placeholder")
        },
        "rows": [html.unescape(t) for t in re.findall(r"<th>([^<]*)</th>", value)],
        "captions": [
            html.unescape(t) for t in re.findall(r"<caption>([^<]*)</caption>", value)
        ],
        "metrics": METRIC.findall(value),
    }


@cache
def built(name: str, lang: str) -> tuple[Explorer, dict, tuple[str, ...]]:
    """The explorer ``name`` built in ``lang`` and exercised, what it shows, and the
    missing-glyph warnings its figures raised (drawn with the CJK font when there is
    one)."""
    saved = mpl.rcParams.copy()
    try:
        with crmkit.language(lang), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            set_style()
            app = BUILDERS[name]()
            for control, value in EXERCISE[name].items():
                app.controls[control].value = value
    finally:
        mpl.rcParams.update(saved)
    missing = tuple(str(w.message) for w in caught if MISSING in str(w.message))
    return app, texts(app), missing


@pytest.fixture(autouse=True)
def _restore_language_and_rc():
    before = crmkit.get_language()
    saved = mpl.rcParams.copy()
    yield
    crmkit.set_language(before)
    mpl.rcParams.update(saved)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_the_chinese_explorer_reads_chinese(name):
    _, shown, _ = built(name, "zh")
    assert CJK.search(shown["title"]), shown["title"]
    for control, text in shown["descriptions"].items():
        if EXPECTED_EN[name]["descriptions"][control]:  # labelled in English too
            assert CJK.search(text), (control, text)
    for control, labels in shown["options"].items():
        for label in labels:
            assert CJK.search(label), (control, label)
    for control, tip in shown["tooltips"].items():
        if tip:
            assert CJK.search(tip), (control, tip)
    for control, text in shown["placeholders"].items():
        if text:
            assert CJK.search(text), (control, text)
    for text in shown["rows"] + shown["captions"]:
        assert CJK.search(text), text


@pytest.mark.parametrize("name", list(BUILDERS))
def test_the_english_explorer_is_unchanged(name):
    _, shown, _ = built(name, "en")
    expected = EXPECTED_EN[name]
    for kind, value in expected.items():
        assert shown[kind] == value, kind


@pytest.mark.parametrize("name", list(BUILDERS))
def test_both_languages_show_the_same_metrics(name):
    _, en, _ = built(name, "en")
    _, zh, _ = built(name, "zh")
    assert zh["metrics"] == en["metrics"]
    assert set(zh["descriptions"]) == set(en["descriptions"])
    assert {k: len(v) for k, v in zh["options"].items()} == {
        k: len(v) for k, v in en["options"].items()
    }
    app_en, app_zh = built(name, "en")[0], built(name, "zh")[0]
    for control in app_en.controls:  # option values stay language-neutral
        if hasattr(app_en.controls[control], "_options_values"):
            assert (
                app_en.controls[control]._options_values
                == app_zh.controls[control]._options_values
            )


@pytest.mark.parametrize(
    "name", [n for n in BUILDERS if n not in {"channels", "simulation", "glossary"}]
)
def test_the_chinese_figures_find_every_glyph(name):
    require(find_cjk_font() is not None, NO_FONT)
    app, _, missing = built(name, "zh")
    assert app.figure.outputs, "no figure shown"
    assert missing == (), missing[:3]


def test_an_explorer_keeps_its_language():
    crmkit.set_language("zh")
    app = queue_explorer()
    crmkit.set_language("en")
    app.controls["agents"].value = 14  # refreshed while the session speaks English
    rows = texts(app)["rows"]
    assert rows and all(CJK.search(r) for r in rows) and "座席占用率" in rows
    assert "occupancy 座席占用率" not in rows


def test_switching_back_to_english_restores_english():
    crmkit.set_language("zh")
    zh = texts(queue_explorer())
    assert zh["descriptions"]["agents"] != "agents 座席"
    crmkit.set_language("en")
    en = texts(queue_explorer())
    expected = EXPECTED_EN["queues"]
    assert en["descriptions"] == expected["descriptions"]
    assert en["title"] == expected["title"]
    assert en["rows"][0] == "offered load 负载 (Erlang)"
    assert APPS["queues"].title == "Queues and staffing 排队与人员配置"
    with crmkit.language("zh"):
        assert APPS["queues"].title == "排队与人员配置"
    assert crmkit.get_language() == "en"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_error_notes_speak_the_language(lang):
    from crmkit.widgets import channel_explorer

    with crmkit.language(lang):
        queue = queue_explorer(calls_per_hour=600, handle_time_s=180, agents=5)
        channels = channel_explorer()
        for control in ("w_cost", "w_speed", "w_richness", "w_interactivity"):
            channels.controls[control].value = 0
    for app in (queue, channels):
        note = re.search(r"data-metric='error'>([^<]*)<", app.results.value)
        assert note, app.results.value
        if lang == "zh":
            assert CJK.search(note.group(1)), note.group(1)
        else:
            assert not CJK.search(note.group(1)), note.group(1)
    if lang == "en":  # today's English notes
        assert "unstable" in queue.results.value
        assert "positive weight" in channels.results.value


# --- figures of crmkit.plotting ----------------------------------------------------


#: the CDNOW calibration and holdout ends of Fader, Hardie and Lee (2005)
CAL_END, HOLD_END = "1997-09-30", "1998-06-30"


def _database_figures(P) -> dict[str, Callable]:
    from crmkit.datasets import database_schema

    kpis = pd.DataFrame(
        {
            "customers 客户数": [120, 130, 128],
            "CSAT 满意度": [4.1, 4.0, 4.2],
            "CSAT 满意度_lower": [3.9, 3.8, 4.0],
            "CSAT 满意度_upper": [4.3, 4.2, 4.4],
        },
        index=pd.Index(["2024Q1", "2024Q2", "2024Q3"], name="quarter"),
    )
    return {
        "plot_schema": lambda: P.plot_schema(database_schema()),
        "plot_dashboard": lambda: P.plot_dashboard(kpis),
    }


def _plan_figures(P) -> dict[str, Callable]:
    from crmkit.channels import activity_plan

    acts = pd.DataFrame(
        {
            "activity": ["fair 展销会", "live stream 直播"],
            "type": ["exhibition", "live_stream"],
            "budget": [8000.0, 3000.0],
            "reach": [4000, 20000],
            "conversion_rate": [0.02, 0.005],
            "value": [150.0, 120.0],
            "start": ["2024-05-10", "2024-05-20"],
            "end": ["2024-05-12", "2024-05-20"],
        }
    )
    return {
        "plot_activity_schedule": lambda: P.plot_activity_schedule(
            activity_plan(acts).table
        )
    }


def _later_figure_inputs(P) -> dict[str, Callable]:
    """Inputs of figures whose own tests live with their chapter (chapter 10's
    database figures, chapter 04's activity schedule)."""
    out: dict[str, Callable] = {}
    if "plot_schema" in P.__all__ or "plot_dashboard" in P.__all__:
        out.update(_database_figures(P))
    if "plot_activity_schedule" in P.__all__:
        out.update(_plan_figures(P))
    return out


@pytest.fixture(scope="module")
def figure_inputs() -> dict[str, Callable]:
    """Each plotting function with its typical input (as the chapters call it)."""
    import crmkit.plotting as P
    from crmkit.clv import (
        BGNBD,
        alive_grid,
        calibration_holdout,
        expected_grid,
        holdout_by_frequency,
        tracking,
    )
    from crmkit.complaints import ComplaintScenario, compare_strategies, dispute_rates
    from crmkit.complaints import simulate as simulate_complaints
    from crmkit.datasets import load_call_centre, load_cdnow, load_complaints
    from crmkit.queues import (
        ErlangA,
        arrival_rates_by_hour,
        patience_curve,
        simulate,
        staff_by_interval,
        staffing_table,
    )
    from crmkit.segmentation import (
        customer_summary,
        kmeans_segments,
        lorenz_curve,
        strategy_matrix,
        value_tiers,
    )
    from crmkit.waiting import PerceivedWaitModel, WaitConditions

    log = load_call_centre()
    rates = arrival_rates_by_hour(log, weekdays=[6, 0, 1, 2, 3])
    curve, mean_s = patience_curve(log)
    day = staff_by_interval(
        rates.loc[7:22, "per_minute"], 60 / 187, service_level=0.8, within=1 / 3
    )
    patient = ErlangA(
        arrival_rate=11.0, service_rate=1.0, servers=10, abandonment_rate=0.5
    )
    check = simulate(
        patient, customers=3000, replications=3, warmup=300, seed=4
    ).compare()
    every = WaitConditions(
        occupied=True,
        in_process=True,
        anxious=True,
        known_duration=True,
        explained=True,
        fair=False,
        group=True,
    )
    tx = load_cdnow(sample=True)
    summary = customer_summary(tx)
    spend = summary["total_spend"]
    tiers = value_tiers(spend)
    pyramid = pd.DataFrame(
        {
            "customers": tiers.value_counts(normalize=True),
            "value": spend.groupby(tiers, observed=False).sum() / spend.sum(),
        }
    ).loc[["VIP", "major", "ordinary", "small"]]
    features = ["n_purchase_days", "days_since_last", "total_spend"]
    segments = kmeans_segments(
        summary[features], 3, seed=0, value="total_spend", n_init=2
    )
    per_purchase = (
        tx.groupby("customer_id")["quantity"].sum() / summary["n_purchase_days"]
    )
    base = ComplaintScenario(customers=1000, periods=4)
    run = simulate_complaints(base, replications=5, seed=0)
    comparison = compare_strategies(
        base,
        {"hotline": {"complaint_rate": 0.25}, "faster": {"quick_resolution_rate": 0.9}},
        replications=5,
        seed=0,
    )
    table = staffing_table(
        3.3, 1 / 3, range(11, 18), within=1 / 3, abandonment_rate=0.5
    )
    cal_hold = calibration_holdout(tx, calibration_end=CAL_END, holdout_end=HOLD_END)
    bgnbd = BGNBD().fit(
        cal_hold["frequency_cal"], cal_hold["recency_cal"], cal_hold["T_cal"]
    )
    inputs = {
        "plot_service_level_by_servers": lambda: P.plot_service_level_by_servers(
            table, target=0.8, current=13, within_label="(within 20 s)"
        ),
        "plot_staffing_by_interval": lambda: P.plot_staffing_by_interval(day),
        "plot_arrivals_by_hour": lambda: P.plot_arrivals_by_hour(rates),
        "plot_patience_curve": lambda: P.plot_patience_curve(curve, mean_s=mean_s),
        "plot_perceived_breakdown": lambda: P.plot_perceived_breakdown(
            PerceivedWaitModel().breakdown(8.0, every)
        ),
        "plot_estimates_vs_exact": lambda: P.plot_estimates_vs_exact(check),
        "plot_lorenz": lambda: P.plot_lorenz(
            lorenz_curve(spend), cutoffs=(0.8, 0.95), gini=0.6
        ),
        "plot_pyramid": lambda: P.plot_pyramid(pyramid),
        "plot_cluster_profile": lambda: P.plot_cluster_profile(
            segments.profile, features
        ),
        "plot_strategy_matrix": lambda: P.plot_strategy_matrix(
            strategy_matrix(spend, per_purchase)
        ),
        "plot_complaint_iceberg": lambda: P.plot_complaint_iceberg(run.iceberg()),
        "plot_customer_trajectory": lambda: P.plot_customer_trajectory(
            {"base": run.metric("customers")}
        ),
        "plot_strategies": lambda: P.plot_strategies(comparison),
        "plot_dispute_rates": lambda: P.plot_dispute_rates(
            dispute_rates(load_complaints())
        ),
        "plot_tracking": lambda: P.plot_tracking(
            tracking(bgnbd, tx, calibration_end=CAL_END, holdout_end=HOLD_END)
        ),
        "plot_holdout_by_frequency": lambda: P.plot_holdout_by_frequency(
            holdout_by_frequency(bgnbd, cal_hold)
        ),
        "plot_alive_heatmap": lambda: P.plot_alive_heatmap(
            alive_grid(bgnbd, 39.0), customer=(30.0, 2)
        ),
        "plot_expected_heatmap": lambda: P.plot_expected_heatmap(
            expected_grid(bgnbd, 39.0, 39.0)
        ),
    }
    inputs.update(_later_figure_inputs(P))
    plots = {n for n in P.__all__ if n.startswith("plot_")}
    assert set(inputs) == plots, "a plotting function has no typical input here"
    return inputs


#: (title, x label, y label) of each figure in the English edition, as before
FIGURE_LABELS_EN = {
    "plot_service_level_by_servers": (
        "Service level by staffing (within 20 s)",
        "servers (agents) 座席数",
        "share of calls",
    ),
    "plot_staffing_by_interval": (
        "Staffing by interval 分时段人员配置",
        "interval",
        "calls per minute",
    ),
    "plot_arrivals_by_hour": (
        "Arrivals by hour 分时段到达",
        "hour of the day 时段",
        "calls per day",
    ),
    "plot_patience_curve": (
        "Patience 耐心 (Kaplan–Meier)",
        "minutes in queue",
        "share still patient",
    ),
    "plot_perceived_breakdown": (
        "From actual to perceived wait 感知等待",
        "minutes",
        "",
    ),
    "plot_estimates_vs_exact": (
        "Simulation vs formula 仿真与公式",
        "estimate / exact value",
        "",
    ),
    "plot_lorenz": (
        "Lorenz curve 洛伦兹曲线 · Gini 0.60",
        "share of customers (smallest first)",
        "share of value",
    ),
    "plot_pyramid": ("Customer pyramid 客户金字塔", "", ""),
    "plot_cluster_profile": (
        "Segment profiles 细分群体画像",
        "",
        "segment mean / overall mean",
    ),
    "plot_strategy_matrix": (
        "Strategy matrix 客户策略矩阵",
        "personalisation of needs 个性化程度",
        "customer value 客户价值",
    ),
    "plot_complaint_iceberg": (
        "Iceberg: 26 silent per complaint",
        "",
        "customers with a problem",
    ),
    "plot_customer_trajectory": ("", "period 期", "customers 顾客数"),
    "plot_strategies": (
        "",
        "customer equity: difference from base (95 % CI)",
        "",
    ),
    "plot_dispute_rates": (
        "",
        "share of consumers disputing the response (95 % CI)",
        "",
    ),
    "plot_tracking": (
        "Tracking repeat purchases 重复购买跟踪",
        "",
        "cumulative repeat purchases",
    ),
    "plot_holdout_by_frequency": (
        "Holdout purchases by frequency 验证期预测",
        "repeat purchases in calibration",
        "mean purchases in the holdout",
    ),
    "plot_alive_heatmap": (
        "P(alive) at T = 39 存活概率",
        "recency t_x (last purchase)",
        "frequency x (repeat purchases)",
    ),
    "plot_expected_heatmap": (
        "Expected purchases at T = 39 预期购买次数",
        "recency t_x (last purchase)",
        "frequency x (repeat purchases)",
    ),
    "plot_schema": ("The CRM database: tables, keys and links 数据库结构", "", ""),
    "plot_dashboard": ("customers 客户数", "", ""),
    "plot_activity_schedule": ("Activity schedule", "date (month-day)", ""),
}


def _labels(fig) -> tuple[str, str, str]:
    ax = fig.axes[0]
    return ax.get_title(), ax.get_xlabel(), ax.get_ylabel()


@pytest.mark.parametrize("name", sorted(FIGURE_LABELS_EN))
def test_every_figure_in_chinese_finds_every_glyph(name, figure_inputs):
    require(find_cjk_font() is not None, NO_FONT)
    set_style()
    with crmkit.language("zh"):
        fig = figure_inputs[name]()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
    for text in _labels(fig):
        assert not text or CJK.search(text), text
    shown = [t.get_text() for ax in fig.axes for t in ax.texts]
    shown += [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    legend = fig.axes[0].get_legend()
    shown += [t.get_text() for t in legend.get_texts()] if legend else []
    assert any(CJK.search(t) for t in [*_labels(fig), *shown])


@pytest.mark.parametrize("name", sorted(FIGURE_LABELS_EN))
def test_every_figure_in_english_is_unchanged(name, figure_inputs):
    with crmkit.language("en"):
        fig = figure_inputs[name]()
    assert _labels(fig) == FIGURE_LABELS_EN[name]


def test_figure_labels_follow_the_language(figure_inputs):
    with crmkit.language("zh"):
        zh = figure_inputs["plot_perceived_breakdown"]()
    steps = [t.get_text() for t in zh.axes[0].get_yticklabels()]
    assert steps[0] == "实际等待" and all(CJK.search(s) for s in steps)
    assert any("过程前等待" in s for s in steps)  # the course's term
    with crmkit.language("en"):
        en = figure_inputs["plot_perceived_breakdown"]()
    assert en.axes[0].get_yticklabels()[0].get_text() == "actual wait"
    with crmkit.language("zh"):  # the chapter's English suffix, shown in Chinese
        title = figure_inputs["plot_service_level_by_servers"]().axes[0].get_title()
    assert title == "不同座席数下的服务水平（20 秒内应答）"
