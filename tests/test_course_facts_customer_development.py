"""Chapter 02's course material from course document 000 (issue 16): the twelve modes of
service-oriented manufacturing (服务型制造的12种模式), held by crmkit as
:data:`crmkit.segmentation.SERVICE_MANUFACTURING_MODES`, and customer development
(客户拓展: its importance, steps and two challenges with their solutions).

The course's lists are typed here and held to the constant and to the chapter's master
cells (same items, same order); where the course documents are beside the repository
(``../shared/course``), a second test reads them and checks they say the same, so a
mistyped expectation cannot hide an error. The numbers the chapter's prose quotes are
recomputed by a route that shares no code with the chapter's cells; for the synthetic
data the chapter's generator cells are run as written (they define the data) and what
the prose says about them is found again by other means.
"""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher

import numpy as np
import pandas as pd
import pytest

from crmkit.segmentation import SERVICE_MANUFACTURING_MODES
from tests.conftest import REPO
from tests.course_docs import COURSE, compact, course_text, in_order

DOC_000 = COURSE / "000_62a70e41894457f5.txt"
MASTER = REPO / "source" / "notebooks" / "02_segmentation.ipynb"


def _cells() -> dict[str, str]:
    nb = json.loads(MASTER.read_text("utf-8"))
    return {c["id"]: "".join(c["source"]) for c in nb["cells"]}


def _cell(cell_id: str) -> str:
    return _cells()[f"02_segmentation-{cell_id}"]


# ------------------------------------------------- the twelve modes (服务型制造)

#: 服务型制造的12种模式, in the course's order.
MODES = (
    "客户定制模式",
    "用户题材模式",
    "智能工艺模式",
    "互动设计模式",
    "生态化服务模式",
    "手工艺品模式",
    "石材加工模式",
    "原创设计模式",
    "艺术品制造模式",
    "科技工艺模式",
    "农村手工模式",
    "现场制造模式",
)


def test_the_constant_holds_the_twelve_modes_in_the_course_order():
    modes = SERVICE_MANUFACTURING_MODES
    assert modes.index.tolist() == list(range(1, 13))
    assert modes["模式"].tolist() == list(MODES)
    assert modes.columns.tolist() == ["模式", "mode", "gist", "要点"]
    assert modes.notna().all().all() and modes["mode"].is_unique


def test_course_document_000_lists_the_same_twelve_modes():
    text = compact(course_text(DOC_000))
    block = text.split("服务型制造的12种模式服务型制造的12种模式", 1)[1]
    block = block.split("电商平台用户体验设计", 1)[0]
    found = re.findall(r"(\d{1,2})\.(\w+?模式)[:：]", block)
    assert [int(k) for k, _ in found] == list(range(1, 13))
    assert [name for _, name in found] == SERVICE_MANUFACTURING_MODES["模式"].tolist()


def test_the_gists_are_the_kits_words_not_the_courses_sentences():
    text = compact(course_text(DOC_000))
    for gist in SERVICE_MANUFACTURING_MODES["要点"]:
        plain = re.sub(r"\W", "", gist)
        match = SequenceMatcher(None, plain, text, autojunk=False).find_longest_match()
        assert match.size < 12, (gist, plain[match.a : match.a + match.size])


def test_the_chapter_shows_the_modes_beside_the_customisation_material():
    cells = list(_cells())
    at = cells.index("02_segmentation-045a")
    assert cells.index("02_segmentation-044") < at < cells.index("02_segmentation-029e")
    assert "SERVICE_MANUFACTURING_MODES" in _cell("045a")
    assert "服务型制造" in _cell("045-zh") and "服务型制造" in _cell("045")
    # the grouping is said to be the kit's reading
    assert "工具包的解读，不是课程的分类" in _cell("045b-zh")
    assert "the kit's reading, not the course's classification" in _cell("045b")


# ------------------------------------------------- customer development (客户拓展)

#: The deck's contents, in its order.
CONTENTS = (
    "客户拓展的重要性",
    "客户拓展的方法",
    "客户拓展的步骤",
    "客户拓展的挑战与解决方案",
    "客户拓展案例分享",
)
IMPORTANCE = ("提升销售额", "扩大市场份额")
#: The steps that survive, in the deck's order (设计营销活动 holds the last two).
STEPS = ("客户需求分析", "市场细分", "设计营销活动", "营销策略制定", "营销活动创意")
#: 挑战一: the problem, solution one and its three measures, in the deck's order.
CHALLENGE_1 = (
    "缺乏有效沟通",
    "加强内部沟通培训",
    "建立沟通机制",
    "提高沟通技能",
    "及时反馈",
)
#: 挑战二: the problem, its three causes, solution two and the measure that survives.
CHALLENGE_2 = (
    "客户数据不准确",
    "数据来源多",
    "更新不及时",
    "数据质量差",
    "建立客户数据管理机制",
    "整合数据来源",
)
#: SF Express's target groups (目标客户群), the chapter's needs-analysis example.
TARGET_GROUPS = ("大城市", "交通便利的城市", "公司白领", "政府机关", "学生")


def test_course_document_000_has_customer_development_as_the_chapter_gives_it():
    text = compact(course_text(DOC_000))
    deck = text.split("客户拓展的重要性、方法与步骤", 1)[1].split("客户互动的含义", 1)[
        0
    ]
    assert "•".join(CONTENTS) in deck
    assert in_order(deck, IMPORTANCE)
    assert in_order(deck, STEPS)
    assert "产品定位、宣传渠道、推广策略" in deck
    assert "和改进客户拓展策略" in deck
    one = deck.split("挑战一:缺乏有效沟通", 1)[1].split("挑战二", 1)[0]
    assert "解决方案一加强内部沟通培训" in one
    assert in_order(one, CHALLENGE_1[2:]) and "缺乏有效沟通" in one
    two = deck.split("挑战二:客户数据不准确", 1)[1]
    assert in_order(two, CHALLENGE_2)
    # the methods and the case survive only as headings of the contents
    assert deck.count("客户拓展的方法") == 1 and deck.count("客户拓展案例分享") == 1
    assert all(group in text for group in TARGET_GROUPS)


def test_the_chapter_teaches_the_deck_in_its_order_in_both_editions():
    assert in_order(_cell("050-zh"), ("客户拓展的重要性", "案例分享"))
    assert in_order(_cell("050-zh"), IMPORTANCE)
    assert in_order(_cell("050"), IMPORTANCE)
    assert "只剩下目录里的标题" in _cell("050-zh")
    assert "only headings in the contents" in _cell("050")
    for cell in ("051-zh", "051"):
        assert in_order(_cell(cell), STEPS)
    assert all(group in _cell("051-zh") for group in TARGET_GROUPS)
    for cell in ("052-zh", "052"):
        assert "市场细分" in _cell(cell) and "客户细分" in _cell(cell)
    for cell in ("053-zh", "053"):
        assert in_order(_cell(cell), CHALLENGE_1)
    for cell in ("054-zh", "054"):
        assert in_order(_cell(cell), CHALLENGE_2[0:1] + CHALLENGE_2[4:])
    # the kit's additions are said to be the kit's
    assert "工具包补充两项" in _cell("054-zh")
    assert "The kit adds two" in _cell("054")
    assert "工具包举例" in _cell("053a-zh") and "(the kit's)" in _cell("053a")


# ------------------------------------------------------------ CDNOW's numbers


@pytest.fixture(scope="module")
def cdnow():
    from crmkit.datasets import load_cdnow

    return load_cdnow()


def test_the_batch_spends_a_third_then_a_fifth_of_its_first_quarter(cdnow):
    date = cdnow["date"].to_numpy().astype("datetime64[M]").astype(int)  # months
    quarter = (date - date.min()) // 3
    sales = np.bincount(quarter, weights=cdnow["amount"].to_numpy())
    assert sales.size == 6 and date.min() == (1997 - 1970) * 12  # 1997Q1 … 1998Q2
    share = sales / sales[0]
    assert round(share[1], 2) == 0.34 and abs(share[1] - 1 / 3) < 0.01
    assert round(share[5], 2) == 0.20
    assert in_order(_cell("050b"), ("a third", "a fifth"))
    assert in_order(_cell("050b-zh"), ("三分之一", "五分之一"))


def _abc_by_hand(spend: pd.Series) -> pd.Series:
    """A while the share of value before the customer is below 80 %, B below 95 %."""
    order = spend.sort_values(ascending=False, kind="stable")
    before = (order.cumsum() - order) / order.sum()
    return pd.Series(
        np.where(before < 0.8, "A", np.where(before < 0.95, "B", "C")),
        index=order.index,
    )


@pytest.fixture(scope="module")
def synthetic(cdnow):
    """The chapter's generator cells, run as written on the shipped data."""
    from crmkit import tr
    from crmkit.segmentation import customer_summary

    names = {"np": np, "pd": pd, "tr": tr, "tx": cdnow.copy()}
    names["summary"] = customer_summary(names["tx"])
    for cell in ("055a", "056a"):
        exec(compile(_cell(cell), cell, "exec"), names)
    return names


def test_the_generator_leaves_the_shipped_data_as_it_is(cdnow, synthetic):
    pd.testing.assert_frame_equal(synthetic["tx"], cdnow)
    assert "# SYNTHETIC" in _cell("055a")


def test_the_planted_pairs_are_found_again_by_their_digits(synthetic):
    contacts = synthetic["contacts"]
    digits = [re.sub(r"^\+?86", "", re.sub(r"[ -]", "", p)) for p in contacts["phone"]]
    assert len(set(contacts["phone"])) == len(contacts)  # as written: no two alike
    owners: dict[str, list[int]] = {}
    for number, cid in zip(digits, contacts["customer_id"], strict=True):
        owners.setdefault(number, []).append(cid)
    pairs = {tuple(sorted(ids)) for ids in owners.values() if len(ids) > 1}
    second = synthetic["second_id"]
    assert pairs == {(int(a), int(b)) for a, b in second.items()}
    assert len(pairs) == 600
    birthday = contacts.set_index("customer_id")["birthday"]
    differ = sum(birthday[a] != birthday[b] for a, b in pairs)
    assert differ == 198
    prose = _cell("057b-zh") + _cell("057b")
    assert prose.count("600") == 2 and prose.count("198") == 2


def test_what_the_duplicates_do_to_the_chapters_numbers(cdnow, synthetic):
    planted = pd.Index(synthetic["planted"])
    days = cdnow.drop_duplicates(["customer_id", "date"]).sort_values("date")
    days = days[days["customer_id"].isin(planted)]
    second_day = days.groupby("customer_id")["date"].nth(1)
    after_march = int((second_day > pd.Timestamp("1997-03-31")).sum())
    assert after_march == 355  # the call-centre record's first purchase
    n_days = days.groupby("customer_id").size()
    # each shop record keeps one day; a call-centre record with one day is one too
    assert 600 + int((n_days == 2).sum()) == 833

    spend = cdnow.groupby("customer_id")["amount"].sum()
    crm_tx = synthetic["crm_tx"]
    split = crm_tx.groupby("customer_id")["amount"].sum()
    assert len(split) == 24_170
    abc, dirty = _abc_by_hand(spend), _abc_by_hand(split)
    assert ((abc == "A").sum(), (dirty == "A").sum()) == (7695, 7861)
    was_a = planted[abc[planted].to_numpy() == "A"]
    again = synthetic["second_id"][was_a].to_numpy()
    on_list = (dirty[was_a].to_numpy() == "A").astype(int) + (
        dirty[again].to_numpy() == "A"
    )
    assert (len(was_a), int((on_list == 2).sum()), int((on_list == 0).sum())) == (
        366,
        43,
        85,
    )
    for cell in ("058b-zh", "058b"):
        text = _cell(cell)
        assert all(
            n in text for n in ("355", "833", "7,861", "7,695", "366", "43", "85")
        )


def test_the_merge_by_phone_gives_back_the_shipped_customers(cdnow, synthetic):
    names = dict(synthetic)
    exec(compile(_cell("057a"), "057a", "exec"), names)
    merged = names["merged_tx"].groupby("customer_id")["amount"].sum()
    spend = cdnow.groupby("customer_id")["amount"].sum()
    pd.testing.assert_series_equal(merged, spend)
