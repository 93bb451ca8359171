"""Chapter 02's course material (issue 16): the CRM design plan of course document 000,
one-to-one marketing and the ways to deliver customisation of course document 002.

The lists the chapter reproduces are typed here from the course documents and held to
the chapter's master cells (same items, same order); where the documents are beside the
repository (``../shared/course``), a second test reads them and checks that they say the
same, so a mistyped expectation cannot hide an error. The numbers the chapter's prose
quotes (the plan's three classes, the care plan's cost, Dell's list on CDNOW) are
recomputed here by a route that shares no code with the chapter's cells.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from tests.conftest import REPO
from tests.course_docs import COURSE, compact, course_text, in_order, master_cell

DOC_000 = COURSE / "000_62a70e41894457f5.txt"
DOC_002 = COURSE / "002_05266a7ef36dbb10.txt"
MASTER = REPO / "source" / "notebooks" / "02_segmentation.ipynb"


def _cell(cell_id: str) -> str:
    return master_cell(MASTER, cell_id)


# ------------------------------------------------------------ the CRM design plan

#: 目标设定, in the plan's order.
GOALS = ("提升客户满意度", "建立长期稳定的客户关系", "实现销售增长")
#: 方案实施, in the plan's order.
STEPS = (
    "数据收集与管理",
    "客户分类与细分",
    "个性化营销",
    "客户互动与沟通",
    "售后服务与关怀",
)
#: The plan's ABC class names, A to C.
CLASSES = ("重要客户", "一般客户", "低价值客户")
#: The plan's examples of care activities.
CARE = ("生日祝福", "节日礼品")


def test_the_chapter_gives_the_plans_goals_steps_classes_and_carein_order():
    assert in_order(_cell("02_segmentation-032-zh"), GOALS)
    assert in_order(_cell("02_segmentation-033-zh"), STEPS)
    assert in_order(_cell("02_segmentation-033"), STEPS)  # the en table names them too
    assert in_order(_cell("02_segmentation-034-zh"), CLASSES)
    code = _cell("02_segmentation-034a")
    assert '{"A": "重要客户", "B": "一般客户", "C": "低价值客户"}' in code
    for cell in ("02_segmentation-035-zh", "02_segmentation-035"):
        assert all(term in _cell(cell) for term in CARE)
    # the care amounts are said to be the kit's, not the course's
    assert "工具包为教学设定的假设" in _cell("02_segmentation-035-zh")
    assert "the kit's assumptions" in _cell("02_segmentation-035")


def test_course_document_000_has_the_plan_as_the_chapter_gives_it():
    text = compact(course_text(DOC_000))
    plan = text.split("客户关系管理设计方案一、背景介绍", 1)[1].split(
        "不同渠道的活动方案策划"
    )[0]
    goals = plan.split("二、目标设定", 1)[1].split("三、方案实施", 1)[0]
    assert [
        re.search(rf"{k}\.([^:：]+)[:：]", goals).group(1) for k in (1, 2, 3)
    ] == list(GOALS)
    steps = plan.split("三、方案实施", 1)[1]
    assert [
        re.search(rf"{k}\.(\w{{4,7}}?)(?=建立|根据)", steps).group(1)
        for k in range(1, 6)
    ] == list(STEPS)
    assert "将客户分为重要客户、一般客户和低价值客户" in steps
    assert "如生日祝福、节日礼品等" in steps


# ------------------------------------------------------------ one-to-one marketing

#: The one-to-one activities the document keeps (its item 3 is missing).
ONE_TO_ONE = {
    1: "与客户一对一的沟通",
    2: "为客户提供一对销售",
    4: "对客户进行一对一的客户服务",
}


def test_course_document_002_lacks_the_third_one_to_one_activity():
    text = compact(course_text(DOC_002))
    block = text.split("(1)与客户一对一的沟通", 1)[1].split("案例:飞利浦", 1)[0]
    assert "(2)为客户提供一对销售" in block and "(4)对客户进行一对一的客户服务" in block
    assert "(3)" not in block
    for term in ("普华永道", "用友软件", "宝供", "实时对接"):
        assert term in text
    assert "贷款申请者的名单" in text and "订阅报纸" in text


def test_the_chapter_lists_the_activities_and_says_the_third_is_the_kits():
    zh, en = _cell("02_segmentation-029-zh"), _cell("02_segmentation-029")
    assert in_order(
        zh,
        [
            "与客户一对一的沟通",
            "为客户提供一对一的销售",
            "课程资料中缺失",
            "对客户进行一对一的客户服务",
        ],
    )
    assert in_order(
        en,
        [
            "(与客户一对一的沟通)",
            "(为客户提供一对一的销售)",
            "lost from the course",
            "(对客户进行一对一的客户服务)",
        ],
    )
    for term in ("普华永道", "用友", "宝供"):
        assert term in _cell("02_segmentation-041-zh") and term in _cell(
            "02_segmentation-041"
        )


# ------------------------------------------------- ways to deliver customisation

#: 定制实现方式: (way, the course's example), in the course's order.
WAYS = (
    ("产品多样化", "Swatch"),
    ("模块化生产", "Adidas"),
    ("标准产品+定制服务", "DELL"),
    ("与其他公司合作", "Nike+Apple"),
)


def test_course_document_002_has_the_four_ways_with_their_examples():
    text = compact(course_text(DOC_002))
    block = text.split("定制实现方式", 1)[1][:120]
    assert in_order(block, [f"{way}(如:{example})" for way, example in WAYS])
    assert "2007年3月23日,Nike+iPod" in text


def test_the_chapter_tables_the_four_ways_in_the_course_order():
    for cell in ("02_segmentation-043-zh", "02_segmentation-043"):
        rows = [
            r for r in _cell(cell).splitlines() if r.startswith("| ") and "---" not in r
        ]
        cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows[1:]]
        assert [c[1].replace(" ", "") for c in cells] == [e for _, e in WAYS]
        ways = [re.sub(r"\s", "", c[0]) for c in cells]
        assert all(way in w for (way, _), w in zip(WAYS, ways, strict=True))
    assert "2007 年 3 月 23 日" in _cell("02_segmentation-044-zh")
    assert "23\nMarch 2007" in _cell("02_segmentation-044")


# ------------------------------------------------------------ CDNOW's numbers


@pytest.fixture(scope="module")
def cdnow():
    from crmkit.datasets import load_cdnow

    return load_cdnow()


def _abc_by_hand(spend: pd.Series) -> pd.Series:
    """A while the share of value before the customer is below 80 %, B below 95 %."""
    order = spend.sort_values(ascending=False, kind="stable")
    before = (order.cumsum() - order) / order.sum()
    return pd.Series(
        np.where(before < 0.8, "A", np.where(before < 0.95, "B", "C")),
        index=order.index,
    )


def test_the_plans_classes_and_care_plan_on_cdnow(cdnow):
    spend = cdnow.groupby("customer_id")["amount"].sum()
    abc = _abc_by_hand(spend)
    n = abc.value_counts()
    assert (n["A"], n["B"], n["C"]) == (7695, 8044, 7831)
    per_year = spend.groupby(abc).mean() / 1.5
    assert round(per_year["A"]) == 173 and round(per_year["B"]) == 31
    assert round(per_year["C"]) == 11
    # the care plan, by plain arithmetic: times a year × unit cost per customer
    per_customer = {"A": 5 + 8 + 3, "B": 2 + 2 * 0.05 + 0.30, "C": 0.05 + 2 * 0.05}
    cost = {k: per_customer[k] * n[k] for k in per_customer}
    total = sum(cost.values())
    assert total == pytest.approx(143600.25)
    assert round(cost["A"] / total, 2) == 0.86
    ratio = {k: per_customer[k] / per_year[k] for k in per_customer}
    assert (round(ratio["A"], 2), round(ratio["B"], 2), round(ratio["C"], 2)) == (
        0.09,
        0.08,
        0.01,
    )
    for cell in ("02_segmentation-037b-zh", "02_segmentation-037b"):
        prose = _cell(cell)
        assert "9 %" in prose and "8 %" in prose and "2.40" in prose and "86 %" in prose
    for cell in ("02_segmentation-034b-zh", "02_segmentation-034b"):
        prose = _cell(cell)
        assert "173" in prose and "11" in prose and "7,695" in prose


def test_dells_list_on_cdnow(cdnow):
    tx = cdnow
    first_date = tx.groupby("customer_id")["date"].transform("min")
    first_day = (
        tx["amount"]
        .where(tx["date"] == first_date, 0.0)
        .groupby(tx["customer_id"])
        .sum()
    )
    spend = tx.groupby("customer_id")["amount"].sum()
    later = (spend - first_day).to_numpy()
    on = first_day.to_numpy() >= np.quantile(first_day.to_numpy(), 0.9)
    assert round(on.mean(), 2) == 0.10
    assert round(later[on].sum() / later.sum(), 2) == 0.26
    assert round((later[on] > 0).mean(), 2) == 0.58
    assert round((later[~on] > 0).mean(), 2) == 0.48
    assert (round(later[on].mean()), round(later[~on].mean())) == (190, 60)
    for cell in ("02_segmentation-042b-zh", "02_segmentation-042b"):
        prose = _cell(cell)
        assert all(f in prose for f in ("26 %", "58 %", "48 %", "190", "60"))
