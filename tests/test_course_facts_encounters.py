"""Chapter 01's service-encounter material and the SF Express exchange, held to the course.

The lists that chapter 01 reproduces from course document 002 (the three levers of
服务接触管理, the keywords of 成也文化,败也文化, the success factors of machine-to-machine
encounters, the facts of the Au Bon Pain case, the six statements of 服务利润链分析与应用)
and from document 000 (the 互动模拟过程 of the SF Express case: the ¥16 reply, its rate
table and its slogans) are typed here; where the documents are beside the repository
(``../shared/course``), a second test reads them and finds the same items in the same
order, so a mistyped expectation cannot hide an error. The exchange's arithmetic (how
many ¥16 fares cover a month of the channel) and the Au Bon Pain percentages that the
speaker notes give are recomputed here from the course's figures and the chapter's
synthetic task table, by plain arithmetic that shares no code with crmkit.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import REPO
from tests.course_docs import COURSE, course_text, in_order

DOC_000 = COURSE / "000_62a70e41894457f5.txt"
DOC_002 = COURSE / "002_05266a7ef36dbb10.txt"
NOTEBOOK = REPO / "source" / "notebooks" / "01_customer_interaction.ipynb"
NOTES = REPO / "instructor" / "speaker_notes" / "01_customer_interaction.toml"

#: 2 服务接触管理 — 服务组织 (document 002)
LEVERS = ["文化", "授权", "控制系统"]
#: 成也文化,败也文化: the keywords of each case (document 002)
SANZHU = [
    "30万vs80亿",
    "保健品帝国",
    "“人命官司”",
    "胜诉",
    "脆弱",
    "机构臃肿",
    "程序复杂",
    "反应迟钝",
    "分配及激励",
]
HAIER = ["-147万vs406亿", "“内有文化，外有市场”"]
WALMART = [
    "“为你省钱”",
    "“天天平价”",
    "“一站式购物”",
    "“三米微笑原则”",
    "“盛情服务”",
    "“二原则说”",
    "创新",
    "勤俭",
    "全心全意",
]
#: 机器对机器服务接触成功因素 (document 002)
M2M = [
    "有效的软件",
    "硬件与软件的兼容",
    "跟踪能力（对信息、货物等）",
    "自动验证程序",
    "交易记录",
    "信息与交易安全",
    "自动保险装置",
]
#: 4.4 服务利润链分析与应用 (document 002)
CHAIN = [
    "提高内部服务质量，增进员工满意度",
    "员工满意度促进员工忠诚度",
    "员工忠诚度是工作效率和服务价值的保证",
    "高服务价值导致高客户满意度",
    "客户满意导致客户忠诚",
    "客户忠诚导致获利性与成长",
]
#: 互动模拟过程 of the SF Express case (document 000): the reply and its slogans
REPLY = ["16块钱", "从张家港寄顺丰的运价表"]
SLOGANS = [
    "风雨无阻，安全可靠，顺丰快递！",
    "安全、可靠、快捷，新时代的选择——我选顺丰快递！",
    "我选顺丰，事事顺丰！",
]


#: the scraped documents' ASCII punctuation, as the full-width marks the kit's Chinese uses
_FULL_WIDTH = str.maketrans(",:;!?()", "，：；！？（）")


def _compact(text: str) -> str:
    """No white space, and full-width punctuation (the words themselves are left alone)."""
    return re.sub(r"\s+", "", text).translate(_FULL_WIDTH)


def _course_text(path: Path) -> str:
    return _compact(course_text(path))


def _cells() -> dict[str, dict]:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    return {c["id"].removeprefix("01_customer_interaction-"): c for c in nb["cells"]}


def _cell(cell_id: str) -> str:
    return "".join(_cells()[cell_id]["source"])


# --------------------------------------------------------------- the course lists


@pytest.mark.parametrize(
    ("path", "anchor", "items"),
    [
        (DOC_002, "2服务接触管理•服务组织", LEVERS),
        (DOC_002, "•三株关键词", SANZHU),
        (DOC_002, "•海尔关键词", HAIER),
        (DOC_002, "•沃尔玛关键词", WALMART),
        (DOC_002, "机器对机器服务接触成功因素", M2M),
        (DOC_002, "4.4服务利润链分析与应用", CHAIN),
        (DOC_000, "回复邮件", REPLY + SLOGANS),
    ],
)
def test_the_expected_lists_are_the_courses(path, anchor, items):
    text = _course_text(path)
    start = text.find(anchor)
    assert start >= 0, anchor
    assert in_order(text, map(_compact, items), start), (anchor, items)


def test_the_exchange_sits_under_its_heading_and_the_cases_under_theirs():
    text = _course_text(DOC_000)
    assert text.find("互动模拟过程") - text.find("回复邮件") in range(0, 200)
    text = _course_text(DOC_002)
    assert "成也文化，败也文化（2）•海尔" in text
    assert text.index("案例AuBonPain") > text.index("机器对机器服务接触成功因素")


@pytest.mark.parametrize(
    ("cell_id", "items"),
    [
        ("016b-zh", LEVERS),
        ("016b", LEVERS),
        ("016c-zh", SANZHU + HAIER + WALMART),
        ("016c", SANZHU + HAIER + WALMART),
        ("016e-zh", M2M),
        ("016e", M2M),
        ("016f-zh", CHAIN),
        ("016f", CHAIN),
        ("015g1-zh", REPLY + SLOGANS),
        ("015g1", REPLY + SLOGANS),
    ],
)
def test_the_chapter_reproduces_each_list_in_the_courses_order(cell_id, items):
    assert in_order(_compact(_cell(cell_id)), map(_compact, items)), cell_id


def test_the_new_sections_sit_beside_the_triad_and_the_sf_case():
    order = list(_cells())
    assert order.index("015g1") == order.index("015g") + 2  # after 015g and its zh
    expected = ["016", "016b-zh", "016b", "016b1-zh", "016b1", "016c-zh", "016c"]
    at = order.index("016")
    assert order[at : at + len(expected)] == expected
    assert order.index("016g") + 1 == order.index("016a-zh")  # then the summary


# ---------------------------------------------------------------- Au Bon Pain


def test_the_au_bon_pain_facts_are_the_courses():
    text = _course_text(DOC_002)
    case = text[text.index("案例AuBonPain") :][:400]
    for fact in (
        "100多位老顾客",
        "每周40小时",
        "每周50-60小时",
        "10-20个小时",
        "流失率",
    ):
        assert fact in case, fact
    for cell_id in ("016f-zh", "016f"):
        shown = _compact(_cell(cell_id))
        assert "100" in shown and "40" in shown and "50–60" in shown, cell_id
        assert "10–20" in shown, cell_id


def test_the_notes_percentages_follow_from_the_courses_hours():
    text = _course_text(DOC_002)
    usual = int(re.search(r"每周(\d+)小时", text).group(1))
    low, high = map(int, re.search(r"增加的(\d+)-(\d+)个小时", text).groups())
    assert (usual, low, high) == (40, 10, 20)
    shares = (round(100 * low / usual), round(100 * high / usual))
    assert shares == (25, 50)
    (task,) = [n for n in _notes() if n["title"].startswith("Task: Au Bon Pain")]
    assert "25–50 %" in task["en"] and "25 %–50 %" in task["zh"]


# ------------------------------------------------------- the SF Express exchange


def _notes() -> list[dict]:
    return tomllib.loads(NOTES.read_text(encoding="utf-8"))["slide"]


def _task_table() -> tuple[pd.DataFrame, int, float]:
    """The chapter's synthetic task table (cell 015c), with the staff row of 015g."""
    from crmkit.channels import SHARED

    space: dict = {"pd": pd, "SHARED": SHARED}
    code = _cell("015c")
    exec(code[code.index("tasks = ") : code.index("plan = ")], space)
    staff = re.search(r'\(SHARED, "staff time", .*?, (\d+), ([\d.]+)\)', _cell("015g"))
    tasks = space["tasks"]
    assert tasks["task"].iloc[0].startswith("broadband")
    return tasks, int(staff.group(1)), float(staff.group(2))


def test_the_budget_in_the_chapter_is_the_courses():
    text = _course_text(DOC_000)
    broadband = int(re.search(r"宽带费(\d+)元/月", text).group(1))
    data = int(re.search(r"流量费(\d+)元/月", text).group(1))
    tasks, _, _ = _task_table()
    internet = tasks[tasks["task"].str.startswith(("broadband", "data"))]
    assert internet["unit_cost"].tolist() == [broadband, data] == [10, 5]
    assert (internet["units"] == 1).all()


def test_how_many_fares_cover_the_channel():
    text = _course_text(DOC_000)
    fare = int(re.search(r"回复邮件：(\d+)块钱", text).group(1))
    assert fare == 16
    assert f"fare = {fare}.0" in _cell("015g2")
    tasks, hours, wage = _task_table()
    internet = float((tasks["units"] * tasks["unit_cost"]).sum())
    with_staff = internet + hours * wage
    assert (internet, with_staff) == (15.0, 515.0)
    # the fewest whole orders whose fares reach the cost: brute force, not a ceiling
    orders = [next(n for n in range(1, 1000) if n * fare >= c) for c in (15, 515)]
    assert orders == [1, 33]
    welcome = int(tasks.loc[tasks["task"] == "welcome mail", "units"].iloc[0])
    assert f"{orders[1] / welcome:.1%}" == "1.1%"
    (note,) = [n for n in _notes() if n["title"].startswith("The simulated exchange")]
    assert "33" in note["en"] and "1.1 %" in note["en"] and "3,000" in note["en"]
    assert "33" in note["zh"] and "1.1 %" in note["zh"]
    assert not math.isclose(fare, internet)  # the fare is not the budget


def test_crmkits_plan_totals_agree_with_the_arithmetic():
    from crmkit.channels import SHARED, interaction_plan

    space = {"pd": pd, "SHARED": SHARED, "interaction_plan": interaction_plan}
    code = _cell("015c")
    exec(code[: code.index("plan.table")], space)
    staff = _cell("015g")
    exec(staff[: staff.index("print(")], space)
    assert (space["plan"].total, space["fuller"].total) == (15.0, 515.0)
