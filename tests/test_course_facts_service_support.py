"""Course facts of chapter 04's e-mail spending survey and chapter 08's customer service.

Course document 002 holds the service-industry CRM plan (服务业行业客户关系管理方案), whose
chapter 6 客户服务与支持 survives only as a table of contents, and the service-training syllabus
(客服培训内容), whose 第四章 问题解决能力 has four items. Course document 000 cites an iResearch
(艾瑞咨询) survey on e-mail marketing spending whose digits the scrape lost. The lists are typed
here; the tests check that the chapters' master notebooks carry them item by item in the
course's order, and, where the course documents are beside the repository
(``../shared/course``), that the documents say what is typed here.

The numbers the two chapters state are recomputed here independently: Wilson intervals from
their closed form (Wilson 1927) rather than scipy, and the complaint log's counts, shares and
dispute rates from ``datasets/complaints.csv`` read with the standard library's ``csv``.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*Journal of the American Statistical Association* 22(158):209–212.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from pathlib import Path

from tests.conftest import REPO
from tests.course_docs import COURSE, course_text, in_order, master_cell, plain

DOC_000 = COURSE / "000_62a70e41894457f5.txt"
DOC_002 = COURSE / "002_05266a7ef36dbb10.txt"
CH04 = REPO / "source" / "notebooks" / "04_channels.ipynb"
CH08 = REPO / "source" / "notebooks" / "08_complaint_handling.ipynb"
LOG = REPO / "datasets" / "complaints.csv"

#: the plan's 第6章 客户服务与支持: (section, its subsections), in the plan's order
SERVICE_CHAPTER = (
    (
        "6.1 客户服务策略与体系构建",
        ("6.1.1 客户服务目标设定", "6.1.2 客户服务策略制定", "6.1.3 客户服务体系构建"),
    ),
    (
        "6.2 服务流程优化与标准化",
        ("6.2.1 服务流程梳理与分析", "6.2.2 服务流程优化", "6.2.3 服务流程标准化"),
    ),
    (
        "6.3 客户投诉处理与持续改进",
        (
            "6.3.1 客户投诉接收与分类",
            "6.3.2 投诉处理流程与责任人",
            "6.3.3 投诉原因分析及改进措施",
            "6.3.4 持续改进机制",
        ),
    ),
)
#: 客服培训内容, 第四章 问题解决能力: items 4.1–4.4
PROBLEM_SOLVING = (
    "熟悉客户常见问题和投诉，并提供解决方案",
    "学会分析问题的根本原因，而不只是处理表象",
    "掌握解决问题的方法和技巧",
    "善于与其他部门合作，解决复杂问题",
)
#: the synthetic survey of chapter 04 (cell 030j): channel -> firms planning to spend more
SURVEY_FIRMS = 500
SURVEY = {
    "e-mail": 300,
    "social media": 270,
    "search": 215,
    "online ads": 190,
    "trade fairs": 90,
}


def _cell(master: Path, cid: str) -> str:
    return master_cell(master, f"{master.stem}-{cid}")


def _numbered(text: str) -> list[str]:
    """The items of the numbered markdown list in ``text`` (continuation lines joined)."""
    items = re.findall(r"^\d+\. (.+(?:\n {3}.+)*)", text, flags=re.M)
    return [re.sub(r"\s*\n\s+", " ", item).rstrip("；;。.") for item in items]


def _wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson's (1927) score interval, from its closed form."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _log() -> list[dict[str, str]]:
    with LOG.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------- chapter 08: the course's lists


def test_the_service_chapter_is_listed_in_the_plans_order():
    items = _numbered(_cell(CH08, "044b-zh"))
    assert len(items) == 3
    for item, (section, subsections) in zip(items, SERVICE_CHAPTER, strict=True):
        title = section.split(" ", 1)[1]
        assert item.startswith(title + "：")
        assert item[len(title) + 1 :].split("；") == list(subsections)
    en = _cell(CH08, "044b")
    words = [s.split(" ", 1)[1] for s, subs in SERVICE_CHAPTER for s in (s, *subs)]
    assert in_order(en, [f"({w})" for w in words])
    assert "本工具包" in _cell(CH08, "044b-zh") and "the kit's" in en


def test_the_problem_solving_items_are_the_syllabus_items():
    assert _numbered(_cell(CH08, "044j-zh")) == list(PROBLEM_SOLVING)
    en = _numbered(_cell(CH08, "044j"))
    assert [re.search(r"\((.+)\)$", item).group(1) for item in en] == list(
        PROBLEM_SOLVING
    )
    # the five whys and the department assignment are the kit's, and say so
    assert "本工具包补充" in _cell(CH08, "044j-zh") and "the kit adds" in _cell(
        CH08, "044j"
    )
    assert "not the course's" in _cell(CH08, "044l")


def test_document_002_gives_the_service_chapterin_order():
    text = plain(course_text(DOC_002))
    start = text.index("第6章客户服务与支持")
    toc = text[start : text.index("第7章", start)]
    typed = [plain(x) for s, subs in SERVICE_CHAPTER for x in (s, *subs)]
    assert in_order(toc, typed)
    # every heading is followed by its page number: nothing else stands between them
    assert re.sub(r"\(\d+\)", "", toc) == "第6章客户服务与支持" + "".join(typed)


def test_document_002_gives_the_problem_solving_items():
    text = plain(course_text(DOC_002))
    chapter = "第四章:问题解决能力" + "".join(
        f"4.{k}{plain(item)}" for k, item in enumerate(PROBLEM_SOLVING, 1)
    )
    assert chapter + "第五章" in text


# -------------------------------------------------- chapter 04: the iResearch survey


def test_document_000_lost_the_iresearch_figures_and_keeps_the_half_line():
    text = course_text(DOC_000)
    start = text.index("艾瑞咨询根据发布的调查研究报告发现")
    passage = text[start : text.index("公司计划在电子邮件营销中增加支出", start)]
    assert "五成" in passage and "社会媒体营销" in passage
    # the year and the percentages are gone: if a copy with digits turns up, the chapter
    # must quote them instead of saying they are lost
    assert not re.search(r"[0-9０-９]", passage)
    assert "渗透率不断提高" in text and "长时间地跟踪这些营销并检测其效果" in text


def test_chapter_04_says_what_the_figures_measure_and_that_they_are_lost():
    zh, en = _cell(CH04, "030h-zh"), _cell(CH04, "030h")
    assert "艾瑞咨询" in zh and "iResearch (艾瑞咨询)" in en
    assert "五成（50 %）" in zh and "五成, 50 %" in en
    assert "公司的百分比" in zh and "percent of firms" in en
    assert "数字丢失" in zh and "lost the digits" in en
    assert "合成的" in _cell(CH04, "030i-zh") and "**synthetic**" in _cell(CH04, "030i")


def test_the_survey_cell_holds_the_counts_typed_here():
    code = _cell(CH04, "030j")
    assert f'"firms": {SURVEY_FIRMS},' in code
    assert str(list(SURVEY)).replace("'", '"') in code
    assert str(list(SURVEY.values())) in code


def test_the_survey_intervals_stated_are_wilsons():
    low, high = _wilson(SURVEY["e-mail"], SURVEY_FIRMS)
    assert (round(low * 100, 1), round(high * 100, 1)) == (55.6, 64.2)
    low, high = _wilson(SURVEY["social media"], SURVEY_FIRMS)
    assert round(low * 100, 1) == 49.6 and low < 0.5 < high
    above = [c for c, k in SURVEY.items() if _wilson(k, SURVEY_FIRMS)[0] > 0.5]
    assert above == ["e-mail"]
    # the shares the synthetic survey was built to show: two above half, the rest below
    assert [c for c, k in SURVEY.items() if k / SURVEY_FIRMS > 0.5] == [
        "e-mail",
        "social media",
    ]
    for cid in ("030k-zh", "030k"):
        text = _cell(CH04, cid)
        assert "60 %" in text and "55.6 %–64.2 %" in text, cid
        assert "54 %" in text and "49.6 %" in text, cid


# ------------------------------------------------ chapter 08: the numbers it states


def test_the_timely_goal_of_98_percent_is_met_by_the_whole_interval():
    rows = _log()
    timely = sum(r["Timely response?"] == "Yes" for r in rows)
    assert timely + sum(r["Timely response?"] == "No" for r in rows) == len(rows)
    low, high = _wilson(timely, len(rows))
    assert round(timely / len(rows) * 100, 1) == 98.6
    assert (round(low * 100, 1), round(high * 100, 1)) == (98.3, 98.9)
    assert low > 0.98


def test_the_pareto_of_products_gives_the_shares_stated():
    counts = Counter(r["Product"] for r in _log())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(counts.values())
    before, classes = 0, []
    for _, n in ranked:  # ABC: A while the share before the category is below 80 %
        classes.append(
            "A" if before / total < 0.8 else "B" if before / total < 0.95 else "C"
        )
        before += n
    a_share = sum(n for (_, n), c in zip(ranked, classes, strict=True) if c == "A")
    assert classes.count("A") == 5 and len(ranked) == 10
    assert round(a_share / total * 100, 1) == 91.3
    first_four = [p for p, _ in ranked[:4]]
    assert first_four == [
        "Mortgage",
        "Credit reporting",
        "Debt collection",
        "Bank account or service",
    ]
    assert round(sum(n for _, n in ranked[:4]) / total * 100, 1) == 79.9
    for cid in ("044i-zh", "044i"):
        assert "91.3 %" in _cell(CH08, cid) and "79.9 %" in _cell(CH08, cid)


def test_the_mortgage_issues_are_about_equally_frequent_and_owned_by_four():
    mortgage = [r for r in _log() if r["Product"] == "Mortgage"]
    counts = Counter(r["Issue"] for r in mortgage)
    assert len(counts) == 4
    assert (min(counts.values()), max(counts.values())) == (352, 375)
    for cid in ("044i-zh", "044i"):
        assert "352–375" in _cell(CH08, cid)
    # each department (one issue each) holds about a quarter of the mortgage complaints
    assert all(0.24 <= n / len(mortgage) <= 0.26 for n in counts.values())
    # and the dispute-rate intervals of every two departments overlap
    intervals = []
    for issue in counts:
        answers = [r["Consumer disputed?"] for r in mortgage if r["Issue"] == issue]
        answered = [a for a in answers if a in ("Yes", "No")]
        intervals.append(_wilson(answered.count("Yes"), len(answered)))
    assert all(
        a[0] < b[1] and b[0] < a[1] for a in intervals for b in intervals if a is not b
    )
    code = _cell(CH08, "044l")
    assert all(f'"{issue}"' in code for issue in counts)
