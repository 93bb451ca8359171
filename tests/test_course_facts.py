"""The course's own figures and tables, as the kit states them (issue 16, "errors in the
current chapters").

Each test holds a number or table of the kit to the course. The expected values are
typed from the course documents; where those documents are beside the repository
(``../shared/course``), a second test reads them and checks that they say the same, so
a mistyped expectation cannot hide an error. Numbers the chapters derive from the
course's figures, or plant in synthetic data and describe in prose, are recomputed here
by a route that shares no code with the chapter.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from tests.course_docs import COURSE, course_text, in_order, master_cell, plain

DOC_002 = COURSE / "002_05266a7ef36dbb10.txt"
DOC_000 = COURSE / "000_62a70e41894457f5.txt"


# ------------------------------------------------------------------ chapter 02

#: The course's comparison of the kinds of customisation (不同定制类型间的比较):
#: 实施成本, 易被模仿性, 客户关系紧密程度, 创建竞争优势.
COURSE_CUSTOMISATION = {
    "适应性定制": ("低", "高", "低", "低"),
    "化妆式定制": ("较低", "较高", "低", "低"),
    "合作式定制": ("高", "低", "高", "高"),
    "透明式定制": ("较高", "较低", "高", "高"),
}
RATINGS = ["cost_zh", "imitability_zh", "relationship_zh", "advantage_zh"]


def test_customisation_types_hold_the_course_comparison():
    from crmkit.segmentation import CUSTOMISATION_TYPES

    kit = {
        row["类型"]: tuple(row[c] for c in RATINGS)
        for _, row in CUSTOMISATION_TYPES.iterrows()
    }
    assert kit == COURSE_CUSTOMISATION
    english = {"低": "low", "较低": "fairly low", "较高": "fairly high", "高": "high"}
    for column in RATINGS:
        en = column.removesuffix("_zh")
        assert CUSTOMISATION_TYPES[en].tolist() == [
            english[z] for z in CUSTOMISATION_TYPES[column]
        ]
    transparent = CUSTOMISATION_TYPES.loc["transparent"]
    assert (transparent["cost"], transparent["imitability"]) == (
        "fairly high",
        "fairly low",
    )
    assert (transparent["relationship"], transparent["advantage"]) == ("high", "high")


def test_course_document_has_the_customisation_table_as_expected():
    text = course_text(DOC_002)
    block = text.split("不同定制类型间的比较", 1)[1].split("定制实现方式", 1)[0]
    body = block.split("透明式定制", 1)[1].split()
    # the scraped slide lists the table column by column, each type in the order
    # 适应性, 化妆式, 合作式, 透明式
    assert len(body) == 16
    columns = [body[i : i + 4] for i in range(0, 16, 4)]
    types = list(COURSE_CUSTOMISATION)
    for j, column in enumerate(columns):
        assert column == [COURSE_CUSTOMISATION[t][j] for t in types]


def test_default_tiers_are_5_10_65_20_and_the_courier_split_is_5_15_80():
    from crmkit.segmentation import value_tiers

    values = pd.Series(np.arange(1000, 0, -1), index=range(1000))
    default = value_tiers(values).value_counts()
    assert default.loc[["VIP", "major", "ordinary", "small"]].tolist() == [
        50,
        100,
        650,
        200,
    ]
    labels = ("key accounts and VIP", "mid-range", "low-end")
    courier = value_tiers(values, shares=(0.05, 0.20), labels=labels).value_counts()
    assert courier.loc[list(labels)].tolist() == [50, 150, 800]
    # the top of the ranking is the best customers: rank 1 is VIP / key account
    assert value_tiers(values).iloc[0] == "VIP"


def test_course_document_gives_the_courier_split_80_15():
    text = course_text(DOC_000)
    assert "80%的低端客户" in text
    assert "15%的中端客户" in text


@pytest.fixture(scope="module")
def cdnow_scores():
    from crmkit.datasets import load_cdnow
    from crmkit.segmentation import customer_summary, rfm_scores

    summary = customer_summary(load_cdnow())
    return summary, rfm_scores(summary)


def test_cdnow_important_value_share_and_the_reasons_chapter_02_gives(cdnow_scores):
    """Chapter 02: 42 % are 重要价值客户 because a mean split of 1–5 scores calls a
    3 high on R and M (means just below 3) and every repeat buyer high on F."""
    from crmkit.segmentation import rfm_segments

    summary, scores = cdnow_scores
    share = (rfm_segments(scores, scheme="cn8")["segment"] == "important_value").mean()
    # an independent count of the mean split, from the scores alone
    rfm = scores[["R", "F", "M"]].astype(float)
    above = rfm.to_numpy() > rfm.to_numpy().mean(axis=0)
    assert above.all(axis=1).mean() == pytest.approx(share, abs=0)
    assert share == pytest.approx(0.4205, abs=5e-4)  # "42 %", "some 9,900"
    assert 9_850 <= round(share * len(scores)) <= 9_950
    means = rfm.mean()
    assert 2.99 < means["R"] < 3 and 2.99 < means["M"] < 3  # "2.997 and 2.995"
    assert round(means["R"], 3) == 2.997 and round(means["M"], 3) == 2.995
    assert round(means["F"], 2) == 2.46
    high = above.mean(axis=0)
    assert [round(h, 2) for h in high] == [0.60, 0.49, 0.60]
    assert (scores["F"] >= 3).mean() == pytest.approx(high[1], abs=0)  # repeat buyers
    assert (summary["n_purchase_days"] > 1).mean() == pytest.approx(high[1], abs=0)
    assert round(float(np.prod(high)), 2) == 0.18  # "the 18 % of independent letters"
    spend = summary["total_spend"]
    mask = pd.Series(above.all(axis=1), index=scores.index)
    assert round(spend[mask].sum() / spend.sum(), 2) == 0.82  # "82 % of spend"
    assert round(float((rfm >= 4).all(axis=1).mean()), 2) == 0.27  # "leave 27 %"
    # "had the R mean been 3.001, a fifth would have changed class": score-3 R share
    assert round(float((scores["R"] == 3).mean()), 1) == 0.2


# ------------------------------------------------------------------ chapter 05

#: The course's years of a lifetime (美国波士顿一位研究等待心理的咨询顾问).
COURSE_LIFETIME = {"吃": 6, "排队等待": 5, "做家务": 4, "回电话不成功": 2}


def test_lifetime_years_are_the_course_figures():
    from crmkit.waiting import LIFETIME_YEARS

    assert {zh: years for _, zh, years in LIFETIME_YEARS} == COURSE_LIFETIME
    queue = next(years for en, _, years in LIFETIME_YEARS if en == "queueing")
    assert queue == 5


def test_chapter_05_turns_the_five_years_into_two_hours_a_day():
    """The chapter's cell, run as written: spread over 60 adult years, five years of
    queueing is 120 minutes a day, and 25 minutes a day add up to about one year."""
    from crmkit import tr
    from crmkit.waiting import LIFETIME_YEARS

    namespace = {"pd": pd, "tr": tr, "LIFETIME_YEARS": LIFETIME_YEARS}
    exec(
        master_cell("05_waiting_psychology.ipynb", "05_waiting_psychology-003"),
        namespace,
    )
    table = namespace["lifetime"].set_index("activity")["minutes a day"]
    # minutes a day = years × 365.25 × 1440 min / (60 years × 365.25 days)
    expected = {en: y * 365.25 * 1440 / (60 * 365.25) for en, _, y in LIFETIME_YEARS}
    assert table.to_dict() == pytest.approx(expected, rel=1e-12)
    assert table["queueing"] == pytest.approx(120.0, rel=1e-12)
    assert round(namespace["counter_only"], 1) == 1.0


def test_course_document_gives_the_lifetime_years_as_expected():
    text = course_text(DOC_002)
    numerals = {2: "两", 4: "四", 5: "五", 6: "六"}
    for activity, years in COURSE_LIFETIME.items():
        assert re.search(rf"{numerals[years]}年\s+{activity}\s", text), activity


#: A key phrase of each of the course's seven principles, in the course's order.
COURSE_PRINCIPLE_KEYS = (
    "无事可干",
    "过程前",
    "焦虑",
    "不确定",
    "没有说明理由",
    "不公平",
    "服务的价值越高",
)


def test_course_principles_are_the_seven_and_group_is_marked_as_added():
    from crmkit.waiting import COURSE_PRINCIPLES, PRINCIPLES, WaitConditions

    assert len(COURSE_PRINCIPLES) == 7
    for (_, _, zh), key in zip(COURSE_PRINCIPLES, COURSE_PRINCIPLE_KEYS, strict=True):
        assert key in zh
    fields = set(WaitConditions.__dataclass_fields__)
    assert [name for name, *_ in COURSE_PRINCIPLES][-1] == "service_value"
    assert all(name in fields for name, *_ in COURSE_PRINCIPLES)
    added = [p for p in PRINCIPLES if p[0] not in {c[0] for c in COURSE_PRINCIPLES}]
    assert [p[0] for p in added] == ["group"]
    _, english, chinese, _ = added[0]
    assert "not in the course" in english and "不在课程的七项原则之内" in chinese
    assert not any("独自" in zh for *_, zh in COURSE_PRINCIPLES)


def test_course_document_lists_seven_principles_in_that_order():
    text = course_text(DOC_002)
    line = next(
        x for x in text.splitlines() if x.startswith("梅思特有关等待时间的七项")
    )
    items = line.split(":", 1)[1].split()
    assert len(items) == 7
    for item, key in zip(items, COURSE_PRINCIPLE_KEYS, strict=True):
        assert key in item
    assert "独自" not in line


#: The course's inventory–queue analogy (存货与排队的类比): 特性 -> (存货, 排队).
COURSE_ANALOGY = {
    "成本": ("资本的机会成本", "时间的机会成本"),
    "空间": ("仓库", "等候区域"),
    "质量": ("低劣的质量被掩盖", "负面印象"),
    "缓冲": ("促进生产各阶段的独立", "允许劳动分工和专业化"),
    "使用": ("产品使机器一直运转", "等待的顾客使服务者忙碌"),
    "协调": ("不需要详细的进度表", "避免了匹配供应和需求"),
}


def test_chapter_05_analogy_table_is_the_course_table():
    for cell_id in ("05_waiting_psychology-018-zh", "05_waiting_psychology-018"):
        rows = {}
        for line in master_cell("05_waiting_psychology.ipynb", cell_id).splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 3:
                key = next((k for k in COURSE_ANALOGY if k in cells[0]), None)
                if key:
                    rows[key] = tuple(cells[1:])
        assert list(rows) == list(COURSE_ANALOGY), cell_id
        for key, (inventory, queue) in COURSE_ANALOGY.items():
            assert inventory in rows[key][0] and queue in rows[key][1], (cell_id, key)


def test_course_document_has_the_analogy_as_expected():
    text = course_text(DOC_002)
    inventory = next(x for x in text.splitlines() if x.startswith("存货 资本"))
    queue = next(x for x in text.splitlines() if x.startswith("排队 时间"))
    assert inventory.split()[1:] == [v[0] for v in COURSE_ANALOGY.values()]
    assert queue.split()[1:] == [v[1] for v in COURSE_ANALOGY.values()]


# ------------------------------------------------------------------ chapter 06


def test_littles_law_for_the_system_and_for_the_queue():
    """Chapter 06's bank (λ = 24, μ = 30 per hour): L = λW and Lq = λWq, against the
    M/M/1 closed forms L = ρ/(1−ρ), Lq = ρ²/(1−ρ), W = 1/(μ−λ), Wq = ρ/(μ−λ)."""
    from crmkit.queues import MM1

    lam, mu = 24.0, 30.0
    rho = lam / mu
    bank = MM1(arrival_rate=lam, service_rate=mu)
    assert bank.mean_number_in_system == pytest.approx(rho / (1 - rho), rel=1e-12)
    assert bank.mean_queue_length == pytest.approx(rho**2 / (1 - rho), rel=1e-12)
    assert bank.mean_time_in_system == pytest.approx(1 / (mu - lam), rel=1e-12)
    assert bank.mean_wait == pytest.approx(rho / (mu - lam), rel=1e-12)
    assert bank.mean_number_in_system == pytest.approx(
        lam * bank.mean_time_in_system, rel=1e-12
    )
    assert bank.mean_queue_length == pytest.approx(lam * bank.mean_wait, rel=1e-12)
    assert bank.mean_queue_length == pytest.approx(3.2, rel=1e-12)


# ------------------------------------------------------------------ chapter 08


def test_glossary_uses_the_course_terms_for_uncooperative_customers():
    from crmkit.datasets import load_glossary

    g = load_glossary().set_index("term_en")
    zh = g.loc["uncooperative customer", "definition_zh"]
    for term in (
        "以自我为中心",
        "毒嘴巴",
        "脾气暴躁",
        "“自以为是”“自大”",
        "爱占便宜",
        "不要受制于人",
        "尽快移走",
        "暂时稳住",
        "必要的惩罚",
    ):
        assert term in zh, term
    little = g.loc["Little's law", "definition"]
    assert "Lq = λWq" in little and "stable" in little


# ------------------------------------------- synthetic data: what was planted


def test_email_campaign_plants_the_rates_chapter_04_states():
    """Chapter 04 says the generator plants 21 % times day and hour factors; with a
    million sends per slot the open rates must sit on those products."""
    from crmkit.channels import make_email_campaign

    c = make_email_campaign(seed=11, sends_per_slot=1_000_000).set_index(
        ["segment", "weekday", "hour"]
    )
    rate = c["opens"] / c["sends"]
    base = 0.21
    stated = {
        ("B2B", "Tue", 8): base * 1.25 * 1.2,  # best B2B slot, 31.5 %
        ("B2B", "Wed", 10): base * 1.25 * 1.2,
        ("B2B", "Thu", 14): base * 1.05,
        ("B2B", "Mon", 14): base,
        ("B2B", "Fri", 14): base * 0.9,
        ("B2B", "Sat", 8): base * 0.55 * 1.2,
        ("B2B", "Sun", 22): base * 0.6 * 0.5,
        ("B2B", "Tue", 5): base * 1.25 * 0.5,
        ("B2C", "Sat", 19): base * 1.25 * 1.2,  # best B2C slot, 31.5 %
        ("B2C", "Sun", 21): base * 1.25 * 1.2,
        ("B2C", "Fri", 12): base * 1.15,
        ("B2C", "Thu", 12): base,
        ("B2C", "Mon", 12): base * 0.95,
        ("B2C", "Wed", 3): base * 0.95 * 0.5,
        ("B2C", "Tue", 22): base * 0.95,
    }
    for key, p in stated.items():
        n = c.loc[key, "sends"]
        se = math.sqrt(p * (1 - p) / n)
        assert abs(rate.loc[key] - p) < 5 * se, (key, rate.loc[key], p)
    assert round(base * 1.25 * 1.2, 3) == 0.315
    assert rate.groupby(level=0).max().round(2).tolist() == [0.32, 0.32]


def test_interaction_log_plants_the_switching_rule_chapter_01_states():
    """Chapter 01: an unresolved contact is followed, half the time, by a fresh draw of
    channel (phone 45 %, e-mail, chat, face-to-face 15 % each, website 10 %, letter 0).
    So a follow-up stays on channel i with 0.5 + 0.5·q_i and moves to j ≠ i with
    0.5·q_j."""
    from crmkit.channels import make_interactions

    q = {
        "phone": 0.45,
        "e-mail": 0.15,
        "chat": 0.15,
        "face-to-face": 0.15,
        "website": 0.10,
        "letter": 0.0,
    }
    log = make_interactions(12_000, seed=5)
    ordered = log.sort_values(["journey_id", "timestamp"], kind="stable")
    nxt = ordered.groupby("journey_id")["channel"].shift(-1)
    pairs = pd.DataFrame({"from": ordered["channel"], "to": nxt}).dropna()
    counts = pd.crosstab(pairs["from"], pairs["to"]).reindex(
        index=list(q), columns=list(q), fill_value=0
    )
    for origin in ("phone", "e-mail", "chat", "website"):
        n = counts.loc[origin].sum()
        assert n > 500, origin
        for dest, qj in q.items():
            p = 0.5 * qj + (0.5 if dest == origin else 0.0)
            got = counts.loc[origin, dest] / n
            se = math.sqrt(max(p * (1 - p), 1e-12) / n)
            assert abs(got - p) < 5 * se + 1e-12, (origin, dest, got, p)
    assert counts["letter"].drop("letter").sum() == 0


def test_the_order_check_can_fail():
    assert in_order("甲，乙，丙", ["甲", "丙"])
    assert not in_order("甲，乙，丙", ["丙", "甲"])
    assert not in_order("甲乙", ["丁"])
    assert plain("甲 ，\n乙") == "甲,乙"
