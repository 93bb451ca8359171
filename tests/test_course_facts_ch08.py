"""Chapter 08's course facts: the lists its notebook reproduces, and the numbers it states.

The course lists are typed here from course document 002 (知识拓展P193, 一个美国商人对客户投诉的
看法, 管理的10大真相_第7章 顾客, the training syllabus's 第五章 情绪管理, 第3节 对不合作顾客的
管理). The tests check that the chapter's master notebook carries each list, item by item and in
the course's order, in the cell the coverage table names; where the course documents are beside
the repository (``../shared/course``) further tests read them and check that they say what is
typed here, so a mistyped expectation cannot hide an error.

The numbers the chapter states (Marshall Field's walk-aways, the break-even acceptance of the
rushed desk, the handlers' idle minutes) are recomputed here from first principles — the
outcome probabilities, TARP retention, a geometric customer base and the Erlang C waiting-time
distribution written out in this file — and compared with crmkit's.
"""

from __future__ import annotations

import math
import re

import pytest
from scipy.optimize import brentq

from tests.conftest import REPO
from tests.course_docs import COURSE, course_text, in_order, master_cell, plain

DOC_002 = COURSE / "002_05266a7ef36dbb10.txt"
MASTER = REPO / "source" / "notebooks" / "08_complaint_handling.ipynb"
CELL = "08_complaint_handling-"

#: 知识拓展P193: the three further topics, in the course's order
FURTHER_TOPICS = (
    "处理客户投诉常见的错误行为",
    "如何应对三种特殊客户的投诉",
    "投诉处理人的心理调节",
)
#: 管理的10大真相_第7章 顾客: (假相, 真相) pairs, in order
MYTHS_AND_TRUTHS = (
    ("顾客是上帝", "顾客不是上帝"),
    ("非顾客不重要", "非顾客很重要"),
    ("所有的顾客都一样", "对顾客要区别对待"),
)
#: 客服培训内容, 第五章 情绪管理: items 5.1–5.4
EMOTION_MANAGEMENT = (
    "学会控制自己的情绪，保持冷静",
    "理解客户的情绪，并给予适当的回应",
    "有效应对挑衅和冲突",
    "学习自我调节和压力释放的方法",
)
#: 第3节 对不合作顾客的管理: the five kinds and the four tactics
UNCOOPERATIVE = (
    "以自我为中心的顾客",
    "毒嘴巴的顾客",
    "脾气暴躁的顾客",
    "“自以为是”“自大”的顾客",
    "爱占便宜的顾客",
)
TACTICS = ("不要受制于人", "尽快移走", "暂时稳住", "必要的惩罚")
#: Marshall Field's four kinds of people: what each is to him, in the course's order
FIELD = ("支持者", "高兴", "老师", "一走了之")


def _cell(cid: str) -> str:
    return master_cell(MASTER, CELL + cid)


def _numbered(text: str) -> list[str]:
    """The items of the first numbered markdown list in ``text``."""
    return re.findall(r"^\d+\. (.+?)[；;。.]?$", text, flags=re.M)


# ------------------------------------------------------------- the notebook's lists


def test_the_three_further_topics_are_listed_in_the_course_order():
    assert _numbered(_cell("021a-zh")) == list(FURTHER_TOPICS)
    en = _cell("021a")
    assert in_order(en, [f"({t})" for t in FURTHER_TOPICS])
    # each topic then has its own section, and the kit says whose the items are
    for cid in ("021a-zh", "046a-zh", "046g-zh"):
        assert "本工具包" in _cell(cid), cid
    assert "the kit's" in en and "the kit's choice" in _cell("046a")


def test_the_myths_and_truths_table_is_the_course_table():
    rows = re.findall(r"^\| (\S+) \| (\S+) \|$", _cell("046d-zh"), flags=re.M)
    assert rows[0] == ("假相", "真相")
    assert tuple(rows[1:]) == MYTHS_AND_TRUTHS
    en = _cell("046d")
    assert in_order(en, [f"({x})" for pair in MYTHS_AND_TRUTHS for x in pair])


def test_the_emotion_management_items_are_the_syllabus_items():
    assert _numbered(_cell("046g-zh"))[-4:] == list(EMOTION_MANAGEMENT)
    en = _numbered(_cell("046g"))
    assert [re.search(r"\((.+)\)$", item).group(1) for item in en] == list(
        EMOTION_MANAGEMENT
    )


def test_marshall_fields_four_kinds_are_in_the_course_order():
    items = _numbered(_cell("009a-zh"))
    assert len(items) == 4
    assert all(word in item for word, item in zip(FIELD, items, strict=True))
    assert "马歇尔·费尔德" in _cell("009a-zh") and "Marshall Field" in _cell("009a")


def test_the_uncooperative_kinds_and_tactics_keep_the_course_terms():
    for cid in ("044a-zh", "044a"):
        text = _cell(cid)
        assert in_order(text, UNCOOPERATIVE), cid
        assert in_order(text, TACTICS), cid
    pairing = _cell("045-zh")
    assert "本工具包的搭配" in pairing
    assert in_order(pairing, UNCOOPERATIVE)
    assert all(t in pairing for t in TACTICS)


# ------------------------------------------------------------- the course documents


def test_document_002_lists_the_three_further_topics():
    text = plain(course_text(DOC_002))
    line = "知识拓展P193•" + "•".join(FURTHER_TOPICS)
    assert line in text


def test_document_002_gives_the_myths_and_truths():
    text = course_text(DOC_002)
    myths = "假相:" + ";".join(m for m, _ in MYTHS_AND_TRUTHS) + "。"
    truths = "真相:" + ";".join(t for _, t in MYTHS_AND_TRUTHS) + "。"
    assert myths in text and truths in text
    assert "德鲁克给张瑞敏打分" in text


def test_document_002_gives_the_emotion_management_items():
    text = plain(course_text(DOC_002))
    chapter = "第五章:情绪管理" + "".join(
        f"5.{k}{plain(item)}" for k, item in enumerate(EMOTION_MANAGEMENT, 1)
    )
    assert chapter + "第六章" in text


def test_document_002_gives_marshall_fields_four_kindsin_order():
    text = plain(course_text(DOC_002))
    start = text.index("一个美国商人对客户投诉的看法")
    quote = text[start : text.index("马歇尔·费尔", start)]
    assert in_order(quote, ["支持者", "高兴", "老师", "一走了之"])
    assert quote.count("•") == 4


def test_document_002_lists_the_uncooperative_kinds_and_tactics():
    text = course_text(DOC_002)
    kinds = " ".join(f"{k}.{v}" for k, v in enumerate(UNCOOPERATIVE, 1))
    kinds = kinds.replace("“自以为是”“自大”", "“自以为是”、“自大”")
    assert kinds in text
    assert " ".join(f"{k}.{v}" for k, v in enumerate(TACTICS, 1)) in text


# ------------------------------------------------------------- the numbers stated


def _baseline_outcomes(problem=0.05, complaint=1 / 27, resolved=0.5, quick=0.5):
    """P(outcome) in a period, written out from the scenario's definition."""
    voiced = problem * complaint
    return {
        "no_problem": 1 - problem,
        "silent": problem * (1 - complaint),
        "unresolved": voiced * (1 - resolved),
        "resolved": voiced * resolved * (1 - quick),
        "resolved_quickly": voiced * resolved * quick,
    }


#: TARP small-loss retention (the kit's table) and the kit's 0.98 without a problem
RETENTION = {
    "no_problem": 0.98,
    "silent": 0.37,
    "unresolved": 0.46,
    "resolved": 0.70,
    "resolved_quickly": 0.95,
}


def test_fields_walk_aways_are_98_percent_of_leavers_after_a_problem():
    from crmkit.complaints import ComplaintScenario

    p = _baseline_outcomes()
    leave = {o: 10_000 * p[o] * (1 - RETENTION[o]) for o in p}
    after = {o: v for o, v in leave.items() if o != "no_problem"}
    complaints = 10_000 * 0.05 / 27
    assert leave["silent"] == pytest.approx(303.33, abs=0.01)
    assert complaints == pytest.approx(18.52, abs=0.01)
    assert after["silent"] / sum(after.values()) == pytest.approx(0.9786, abs=1e-4)
    assert after["silent"] / complaints == pytest.approx(16.38, abs=0.01)
    # crmkit's outcome probabilities are the same
    kit = ComplaintScenario(customers=10_000).class_outcome_probabilities().iloc[0]
    assert dict(kit) == pytest.approx(p, rel=1e-12)


def _erlang_c_within(lam: float, mu: float, c: int, t: float) -> float:
    """P(wait <= t) in an M/M/c queue: 1 − C(c, a)·exp(−(cμ − λ)t), Erlang C written out."""
    a = lam / mu
    top = a**c / math.factorial(c) * c / (c - a)
    prob_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return 1 - prob_wait * math.exp(-(c * mu - lam) * t)


def _profit(acceptance: float, handling_min: float, periods: int = 24) -> float:
    """24-month profit of the 100,000-customer hotline firm: a geometric base times the
    margin (10) less 5 per complaint, with the desk's rates plugged in."""
    per_day = 100_000 * 0.05 * 0.25 / 22
    quick = _erlang_c_within(per_day / 8, 60 / handling_min, 4, 0.5)
    p = _baseline_outcomes(complaint=0.25, resolved=0.8 * acceptance, quick=quick)
    r = sum(p[o] * RETENTION[o] for o in p)
    base = sum(100_000 * r**t for t in range(periods))
    return base * (10.0 - 5.0 * 0.05 * 0.25)


def test_the_rushed_desk_breaks_even_at_about_80_percent_acceptance():
    import dataclasses

    from crmkit.complaints import ComplaintScenario, HandlingProcess, with_handling

    careful_min = 6 + 5 + 0.8 * (12 + 5)  # 24.6 minutes
    rushed_min = 1 + 5 + 0.8 * 12  # venting cut to 1 minute, no follow-up: 15.6
    mine = brentq(
        lambda a: _profit(a, rushed_min) - _profit(0.85, careful_min), 0.5, 0.85
    )
    assert mine == pytest.approx(0.7965, abs=1e-4)  # "about 80 %", printed 79.6%

    hotline = ComplaintScenario(customers=100_000, periods=24, complaint_rate=0.25)
    per_day = hotline.expected()["complaints"].iloc[0] / 22
    careful = HandlingProcess(complaints_per_day=per_day, handlers=4)

    def kit(a):
        desk = dataclasses.replace(
            careful, vent_min=1.0, follow_up_min=0.0, acceptance_rate=a
        )
        return with_handling(hotline, desk).expected()["profit"].sum()

    careful_profit = with_handling(hotline, careful).expected()["profit"].sum()
    assert careful_profit == pytest.approx(_profit(0.85, careful_min), rel=1e-9)
    assert kit(0.75) == pytest.approx(_profit(0.75, rushed_min), rel=1e-9)
    assert kit(0.75) - careful_profit == pytest.approx(-32_576, abs=1)  # "over 30,000"
    assert kit(0.85) - careful_profit == pytest.approx(37_658, abs=1)
    kit_break_even = brentq(lambda a: kit(a) - careful_profit, 0.5, 0.85, xtol=1e-9)
    assert kit_break_even == pytest.approx(mine, abs=1e-6)


def test_the_handlers_idle_minutes_are_16_and_25_an_hour():
    from crmkit.complaints import HandlingProcess, handling_rates

    per_day = 100_000 * 0.05 * 0.25 / 22
    for handlers, idle in ((4, 16.32), (5, 25.06), (6, 30.88)):
        rho = (per_day / 8) / (handlers * 60 / 24.6)
        assert 60 * (1 - rho) == pytest.approx(idle, abs=0.01)
        desk = HandlingProcess(complaints_per_day=per_day, handlers=handlers)
        assert handling_rates(desk)["utilization"] == pytest.approx(rho, rel=1e-12)
    assert per_day / 4 == pytest.approx(14.2, abs=0.05)  # "about 14 a day"
