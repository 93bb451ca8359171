"""Chapter 01's course lists and its planted numbers, held to the course and the data.

The course lists that chapter 01 reproduces (the real-estate firm's touchpoints and
information needs, the Dell case, the headings of touchpoint analysis, the two lists of
interaction skills, the principles of managing interaction) are typed here from the
course documents; where the documents are beside the repository (``../shared/course``),
a second test reads them and checks the same items in the same order, so a mistyped
expectation cannot hide an error. The chapter's prose describes what the generator of
its synthetic log planted, and its task has a worked answer in the speaker notes: both
are recomputed here by routes that share no code with the chapter (the generator's
constants, a binomial and a zero-truncated Poisson interval, Erlang's delay formula
written out below).
"""

from __future__ import annotations

import math
import re
import tomllib

import numpy as np
import pandas as pd
import pytest

from tests.conftest import REPO
from tests.course_docs import COURSE, compact, course_text, in_order, master_cell

DOC_000 = COURSE / "000_62a70e41894457f5.txt"
DOC_002 = COURSE / "002_05266a7ef36dbb10.txt"
DOC_004 = COURSE / "004_cfec776d91f149f0.txt"
NOTEBOOK = "01_customer_interaction.ipynb"
NOTES = REPO / "instructor" / "speaker_notes" / "01_customer_interaction.toml"

#: 接触点整合设计, 房产企业为例 — 接触点设计 (document 000)
TOUCHPOINTS = ["售房部", "楼盘现场", "展销会", "电话", "网站", "广告"]
#: its 信息需求分析: 楼盘信息 (then "…"), and 公司背景
INFORMATION_NEEDS = [
    "地理位置",
    "总体规划设计",
    "户型结构",
    "价格情况",
    "进度计划",
    "物业管理",
]
#: its 服务需求分析
SERVICE_NEEDS = ["咨询服务", "展示服务"]
#: 接触点分析 and its slide on frequency and levels (document 000)
ANALYSIS = ["接触点需求", "接触点表现", "接触频次", "接触层次"]
LEVELS = ["接触组织设计", "接触设施设计", "信息整合设计"]
#: 客户互动技巧 (document 000)
SKILLS_000 = ["对不同的客户实施不同的策略", "站在客户立场", "语言技巧", "其他"]
#: 7.4 企业与客户沟通的策略 (document 002)
STRATEGIES_002 = [
    "对不同的客户实施不同的沟通策略",
    "站在客户的立场上与客户沟通",
    "向客户表明诚意",
]
#: 客户互动管理原则 (document 000)
PRINCIPLES = [
    "综合客户、企业需求",
    "整合管理",
    "沟通畅通",
    "反馈及时",
    "用一个声音说话",
]
#: 案例 Dell:倾听客户声音 (document 004)
DELL = [
    "1984年直线订购模式",
    "戴尔在线商店",
    "1996年7月开业",
    "关心客户会",
    "阅读公告板",
]
#: 客户互动的作用 (document 002, 7.1.1)
ROLES = ["客户互动是实现客户满意的基础", "客户互动是维护客户关系的基础"]


def _cell(cell_id: str) -> str:
    return master_cell(NOTEBOOK, f"01_customer_interaction-{cell_id}")


# --------------------------------------------------------------- the course lists


@pytest.mark.parametrize(
    ("path", "anchor", "items"),
    [
        (DOC_000, "房产企业为例——接触点设计", TOUCHPOINTS),
        (DOC_000, "信息需求分析", INFORMATION_NEEDS),
        (DOC_000, "服务需求分析", SERVICE_NEEDS),
        (DOC_000, "接触点分析接触点需求", ANALYSIS[:2]),
        (DOC_000, "接触频次——接触时间", ["接触层次", *LEVELS]),
        (DOC_000, "客户互动技巧", SKILLS_000),
        (DOC_000, "客户互动管理原则", PRINCIPLES),
        (DOC_002, "7.4企业与客户沟通的策略", STRATEGIES_002),
        (DOC_002, "7.1.1客户互动的作用", ROLES),
        (DOC_004, "Dell:倾听客户声音", DELL),
    ],
)
def test_the_expected_lists_are_the_courses(path, anchor, items):
    text = compact(course_text(path))
    start = text.find(anchor)
    assert start >= 0, anchor
    assert in_order(text, items, start), (anchor, items)


@pytest.mark.parametrize(
    ("cell_id", "items"),
    [
        ("011j-zh", TOUCHPOINTS),
        ("011j-zh", [*INFORMATION_NEEDS, "公司背景", *SERVICE_NEEDS]),
        ("011j", [*INFORMATION_NEEDS, "公司背景", *SERVICE_NEEDS]),
        ("011a-zh", ANALYSIS),
        ("011a", ANALYSIS),
        ("011i-zh", LEVELS),
        ("011i", LEVELS),
        ("015h-zh", SKILLS_000 + STRATEGIES_002),
        ("015h", SKILLS_000 + STRATEGIES_002),
        ("015k-zh", PRINCIPLES),
        ("015k", PRINCIPLES),
        ("001a-zh", ["客户满意的基础", "维护客户关系的基础"]),
        ("001b-zh", DELL),
        ("001b", DELL),
    ],
)
def test_the_chapter_reproduces_each_list_in_the_courses_order(cell_id, items):
    # items sit in tables and lists, so white space is ignored (the course's words are not)
    assert in_order(compact(_cell(cell_id)), [compact(i) for i in items]), cell_id


def test_the_synthetic_survey_uses_the_courses_touchpoints_and_needs():
    code = _cell("011l")
    needs = re.search(r"needs = \[(.*?)\]", code).group(1)
    assert re.findall(r'"([^"]+)"', needs) == [*INFORMATION_NEEDS, "公司背景"]
    asked = code[code.index("asked = ") : code.index("answers = ")]
    assert re.findall(r'"([^"]+)": \[', asked) == TOUCHPOINTS


# ------------------------------------------- what the prose says the generator planted


def test_the_planted_rates_the_prose_names_are_the_generators():
    from crmkit.channels import _journeys as gen

    resolve = {
        "face-to-face": 85,
        "phone": 75,
        "chat": 70,
        "e-mail": 60,
        "letter": 50,
        "website": 45,
    }
    assert {k: round(100 * v) for k, v in gen._RESOLVE.items()} == resolve
    assert dict(gen._JOURNEYS) == {
        "acquisition": 2.5,
        "growth": 2.0,
        "maturity": 1.5,
        "decline": 1.0,
    }
    for cell in ("011c", "011c-zh", "011f", "011f-zh"):
        text = _cell(cell)
        assert "45 %" in text, cell
    for cell in ("011c", "011c-zh"):
        shown = [int(n) for n in re.findall(r"(\d+) %", _cell(cell))]
        assert shown == [85, 75, 70, 60, 50, 45], cell
    assert "2.5, 2.0, 1.5" in _cell("011g") and "2.5、2.0、1.5、1.0" in _cell("011g-zh")


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    from crmkit.datasets import load_interactions

    return load_interactions()


def test_no_daily_rhythm_is_planted(log):
    # four six-hour bands: each share within a 99.9 % binomial interval of 1/4
    hours = log["timestamp"].dt.hour.to_numpy()
    n = len(hours)
    half = 3.29 * math.sqrt(0.25 * 0.75 / n)
    for low in (0, 6, 12, 18):
        share = np.mean((hours >= low) & (hours < low + 6))
        assert abs(share - 0.25) < half, (low, share)


def test_issues_per_contacted_customer_follow_the_zero_truncated_poisson(log):
    # E[N | N >= 1] = λ / (1 - e^-λ); Var[N | N >= 1] = E (1 + λ - E)
    lam = {"acquisition": 2.5, "growth": 2.0, "maturity": 1.5, "decline": 1.0}
    per = log.groupby(["stage", "customer_id"])["journey_id"].nunique()
    for stage, rate in lam.items():
        counts = per.loc[stage].to_numpy()
        mean = rate / (1 - math.exp(-rate))
        sd = math.sqrt(mean * (1 + rate - mean))
        assert abs(counts.mean() - mean) < 3.29 * sd / math.sqrt(len(counts)), stage
        assert counts.min() >= 1


# ------------------------------------------------- the task's worked answer (the notes)


def _erlang_c_agents(
    calls_per_hour: float, minutes: float, level: float, within_s: float
):
    """The fewest agents with P(wait <= within) >= level in M/M/c, written out here.

    Erlang's delay formula C(c, a) = (a^c / c! · c / (c - a)) / (Σ_{k<c} a^k / k! + a^c /
    c! · c / (c - a)), and P(W > t) = C e^{-(cμ - λ) t}: A. K. Erlang (1917), "Løsning af
    nogle Problemer fra Sandsynlighedsregningen af Betydning for de automatiske
    Telefoncentraler" (Solution of some problems in the theory of probabilities of
    significance in automatic telephone exchanges), Elektroteknikeren 13, 5–13; the
    waiting-time tail as in L. Kleinrock (1975), Queueing Systems, Volume 1: Theory,
    Wiley, section 3.5 (M/M/m).
    """
    lam, mu, t = calls_per_hour / 60, 1 / minutes, within_s / 60
    a = lam / mu
    c = math.floor(a) + 1
    while True:
        terms = sum(a**k / math.factorial(k) for k in range(c))
        top = a**c / math.factorial(c) * c / (c - a)
        wait = top / (terms + top)
        if 1 - wait * math.exp(-(c * mu - lam) * t) >= level:
            return c
        c += 1


def test_the_survey_and_the_staffing_give_the_notes_answer():
    from crmkit import queues

    space = {"pd": pd, "display": lambda *_: None}
    exec(_cell("011l"), space)  # the chapter's own synthetic table
    unanswered = space["unanswered"]
    forwarded = int(
        unanswered[["售房部", "楼盘现场", "展销会", "网站"]].to_numpy().sum()
    )
    assert forwarded == 205
    extra = forwarded * 10 / 80  # a 10 % sample, 80 holiday hours a month
    assert extra == pytest.approx(25.625)
    assert _erlang_c_agents(55, 4, 0.8, 20) == 6
    assert _erlang_c_agents(55 + extra, 4, 0.8, 20) == 8
    kit = queues.staff((55 + extra) / 60, 1 / 4, service_level=0.8, within=20 / 60)
    assert kit.servers == 8
    (task,) = [
        s
        for s in tomllib.loads(NOTES.read_text("utf-8"))["slide"]
        if s["title"].startswith("Task: integrating")
    ]
    assert "205" in task["en"] and "8 agents instead of 6" in task["en"]
    assert "205" in task["zh"] and "8 个座席而不是 6 个" in task["zh"]


@pytest.mark.parametrize(("rate", "agents"), [(30, 4), (20, 3), (55, 6)])
def test_the_call_centre_bands_match_erlangs_formula(rate, agents):
    code = _cell("011n")
    assert "[30, 20, 55]" in code and "handling_min = 4.0" in code
    assert _erlang_c_agents(rate, 4, 0.8, 20) == agents
