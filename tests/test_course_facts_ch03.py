"""Chapter 03's course lists and the numbers its prose quotes (issue 16, "depth in every
chapter").

The lists the chapter reproduces — the loyalty-programme design of document 001, the
care-and-loyalty chapter of document 002's service-industry CRM plan, the five elements
of a successful partnership and the case-analysis steps of document 002 — are typed here
from the course documents. One set of tests checks that the chapter's master cells give
every item in the course's order; where the documents are beside the repository
(``../shared/course``), a second set reads them and checks that they hold the same
items in the same order, so a mistyped expectation cannot hide an error. The numbers the
loyalty-programme prose quotes are recomputed from the CDNOW transactions with pandas
and the retention formula written out here, sharing no code with
:func:`crmkit.clv.loyalty_programme`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.course_docs import COURSE, course_text, master_cell

DOC_001 = COURSE / "001_8e57cfa7085a3c30.txt"
DOC_002 = COURSE / "002_05266a7ef36dbb10.txt"
NOTEBOOK = "03_customer_value.ipynb"

#: document 001, 客户忠诚度计划: three parts, each with its three items
LOYALTY_PROGRAMME = {
    "积分体系设计": ("购买积分", "行为激励", "社交传播奖励"),
    "会员等级划分": ("普通会员", "高级会员", "VIP会员"),
    "专属权益设计": ("专享折扣", "优先服务", "专属活动"),
}
#: document 002, 服务业行业客户关系管理方案, 第7章 客户关怀与忠诚度管理 (its outline)
CARE_CHAPTER = {
    "客户关怀策略与实施": (
        "客户细分",
        "关怀措施制定",
        "客户接触渠道优化",
        "员工培训与激励",
        "客户反馈与持续改进",
    ),
    "忠诚度计划设计": (
        "忠诚度等级划分",
        "积分与奖励机制",
        "专属活动与优惠",
        "跨界合作",
    ),
    "客户保留与流失防范": (
        "客户满意度监测",
        "客户生命周期管理",
        "预警机制与干预策略",
        "客户关系维护",
    ),
}
#: document 002, CRM第7章 售后客户关系的维护: 成功伙伴关系的要素
PARTNERSHIP = ("相互信任", "坦率沟通", "共同目标", "互惠承诺", "组织支持")
#: document 002, the same chapter: 案例分析步骤
CASE_STEPS = ("个人阅读案例", "小组讨论", "师生互动", "课后回顾与总结")


def _cell(cell_id: str) -> str:
    return master_cell(NOTEBOOK, cell_id)


def _in_order(text: str, items, start: int = 0) -> int:
    """Assert each item occurs in ``text`` after the previous one; the end position."""
    at = start
    for item in items:
        found = text.find(item, at)
        assert found >= 0, f"{item!r} missing (or out of order) after position {at}"
        at = found + len(item)
    return at


# ---------------------------------------------------------------- the chapter's cells


def test_the_loyalty_programme_table_holds_the_course_items_in_order():
    zh = _cell("03_customer_value-014a-zh")
    en = _cell("03_customer_value-014a")
    for text in (zh, en):
        at = 0
        for part, items in LOYALTY_PROGRAMME.items():
            at = _in_order(text, (part, *items), at)
    # document 002's four items of loyalty-programme design, cross-industry last
    _in_order(zh, CARE_CHAPTER["忠诚度计划设计"])
    _in_order(en, CARE_CHAPTER["忠诚度计划设计"])


def test_the_care_table_holds_the_plan_chapter_in_order():
    zh = _cell("03_customer_value-014e-zh")
    en = _cell("03_customer_value-014e")
    for text in (zh, en):
        at = 0
        for section, items in CARE_CHAPTER.items():
            shown = items if section != "忠诚度计划设计" else ()
            at = _in_order(text, (section, *shown), at)
    assert "客户关怀与忠诚度管理" in zh and "客户关怀与忠诚度管理" in en


def test_the_partnership_table_and_the_case_steps_follow_the_course():
    for cell in ("03_customer_value-029c-zh", "03_customer_value-029c"):
        text = _cell(cell)
        _in_order(text, PARTNERSHIP)
        _in_order(text, CASE_STEPS)
        assert "万科" in text and "海尔" in text


def test_the_after_sales_step_names_the_care_activities():
    for cell in ("03_customer_value-029b-zh", "03_customer_value-029b"):
        text = _cell(cell)
        _in_order(text, ("售后服务与关怀", "生日祝福", "节日礼品"))


# ---------------------------------------------------------------- the course itself


def test_document_001_holds_the_loyalty_programme_as_typed():
    text = course_text(DOC_001)
    start = text.index("客户忠诚度计划")
    at = start
    for part, items in LOYALTY_PROGRAMME.items():
        at = _in_order(text, (part, *items), at)
    assert at - start < 300  # all on the one slide


def test_document_002_holds_the_care_chapter_as_typed():
    text = course_text(DOC_002)
    start = text.index("第7章客户关怀与忠诚度管理")
    at = start
    for section, items in CARE_CHAPTER.items():
        at = _in_order(text, (section, *items), at)
    assert text.find("第8章数据分析与决策支持", start) > at - 40


def test_document_002_holds_the_partnership_elements_and_case_steps_as_typed():
    text = course_text(DOC_002)
    steps = text.index("案例分析步骤")
    _in_order(text, CASE_STEPS, steps)
    heading = text.index("成功伙伴关系的要素")
    # the slide lists the five elements just before their heading
    block = text[heading - 40 : heading]
    _in_order(block, PARTNERSHIP)
    assert "第8章 客户 关系的解散与" in text  # chapter 8 appears by its title only


# ---------------------------------------------------------------- the quoted numbers


@pytest.fixture(scope="module")
def plan() -> pd.DataFrame:
    """The chapter's programme, recomputed by hand from the transactions."""
    from crmkit.datasets import load_cdnow

    tx = load_cdnow()
    year = tx[tx["date"] < "1998-01-01"].groupby("customer_id")["amount"].sum()
    later = set(tx.loc[tx["date"] >= "1998-01-01", "customer_id"])
    tier = np.where(
        year >= 300, "VIP会员", np.where(year >= 100, "高级会员", "普通会员")
    )
    frame = pd.DataFrame(
        {"spend": year, "tier": tier, "back": [c in later for c in year.index]}
    )
    out = frame.groupby("tier").agg(
        members=("spend", "size"), s=("spend", "mean"), r=("back", "mean")
    )
    rate = pd.Series({"普通会员": 1, "高级会员": 2, "VIP会员": 3})
    benefit = pd.Series({"普通会员": 0, "高级会员": 5, "VIP会员": 30})
    d = 0.1
    out["m"] = 0.3 * out["s"]
    out["c"] = rate * 0.01 * out["s"] + benefit
    out["total"] = out["members"] * out["c"]
    # break-even by bisection on (m - c) q / (1 + d - q) = m r / (1 + d - r)
    lo, hi = out["r"].to_numpy().copy(), np.full(len(out), 0.999999)
    target = (out["m"] * out["r"] / (1 + d - out["r"])).to_numpy()
    net = (out["m"] - out["c"]).to_numpy()
    for _ in range(200):
        mid = (lo + hi) / 2
        low = net * mid / (1 + d - mid) < target
        lo, hi = np.where(low, mid, lo), np.where(low, hi, mid)
    out["r_star"] = (lo + hi) / 2
    return out


def test_the_reading_of_the_plan_quotes_the_recomputed_numbers(plan):
    zh = _cell("03_customer_value-014d-zh")
    en = _cell("03_customer_value-014d")
    vip, mid, low = (plan.loc[t] for t in ("VIP会员", "高级会员", "普通会员"))
    assert int(vip["members"]) == 1177
    assert round(plan["total"].sum()) == 96378
    assert round(vip["total"]) == 56068
    share = vip["total"] / plan["total"].sum()
    assert 0.55 < share < 0.60  # "almost 60 %", "将近六成"
    for text in (zh, en):
        assert "1,177" in text and "96,378" in text and "56,068" in text
        for row in (low, mid, vip):
            uplift = f"{100 * (row['r_star'] - row['r']):.1f}"
            before, after = f"{100 * row['r']:.1f}", f"{100 * row['r_star']:.1f}"
            assert uplift in text and before in text and after in text
        for row, pct in ((vip, "27"), (mid, "17"), (low, "3")):
            assert round(100 * row["c"] / row["m"]) == int(pct)
            assert f"{pct} %" in text or f"{pct}%" in text
    assert round(vip["c"], 1) == 47.6 and round(vip["m"], 1) == 176.4
    assert "47.6" in zh and "176.4" in en
