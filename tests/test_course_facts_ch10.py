"""Chapter 10's course lists, as the chapter reproduces them (issue 16).

The course's lists are typed here from course documents 002 and 000: the terms of the
exercise answers (客户关系管理与应用习题答案) unit by unit, the ten chapters of the
service-training syllabus (客服培训内容), and the benefits and ways of customer
participation in product design (客户参与产品设计). Each test holds the chapter's tables
to them, item by item and in order, in both editions; where the course documents are
beside the repository (``../shared/course``), further tests read them and check that
they say the same, so a mistyped expectation cannot hide an error.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO
from tests.course_docs import COURSE, compact, course_text, master_cell

DOC_002 = COURSE / "002_05266a7ef36dbb10.txt"
DOC_000 = COURSE / "000_62a70e41894457f5.txt"
MASTER = REPO / "source" / "notebooks" / "10_data_driven_crm.ipynb"

#: The defined terms of 客户关系管理与应用习题答案, unit by unit, in the course's order.
COURSE_TERMS = {
    "first": [
        "销售观念",
        "营销观念",
        "客户",
        "客户关系管理",
        "客户价值",
        "客户生命周期",
    ],
    "第二单元": [
        "关系营销",
        "数据管理营销",
        "一对一营销",
        "客户细分",
        "客户满意度",
        "客户忠诚度",
        "客户关系生命周期",
        "客户口碑价值",
    ],
    "第三单元": [
        "客户保持",
        "客户关怀",
        "客户增值潜力",
        "客户增长矩阵",
        "客户联盟",
        "CRM战略",
    ],
    "第四单元": ["接触活动"],
}
#: The chapter's three term tables: (zh cell, en cell) -> the units each one lists.
TERM_CELLS = {
    ("10_data_driven_crm-004m", "10_data_driven_crm-004n"): ["first"],
    ("10_data_driven_crm-004o", "10_data_driven_crm-004p"): ["第二单元"],
    ("10_data_driven_crm-004q", "10_data_driven_crm-004r"): ["第三单元", "第四单元"],
}

#: 客服培训内容: the ten chapters in order.
COURSE_SYLLABUS = [
    "客服概述",
    "沟通技巧",
    "产品和服务知识",
    "问题解决能力",
    "情绪管理",
    "团队合作",
    "客户关系管理",
    "技术工具应用",
    "客户敏感性培训",
    "服务质量评估",
]
SYLLABUS_CELLS = [
    ("10_data_driven_crm-077a", "10_data_driven_crm-077b"),
    ("10_data_driven_crm-077c", "10_data_driven_crm-077d"),
]
ZH_NUMERALS = "一二三四五六七八九十"

#: 客户参与产品设计的意义 and 的方式 (document 000), in order.
COURSE_BENEFITS = [
    "提升产品的市场竞争力",
    "增强客户与企业之间的互动与信任",
    "优化产品设计流程",
]
COURSE_WAYS = ["调研获取市场需求", "客户体验设计", "用户反馈与测试"]


def _cell(cell_id: str) -> str:
    return master_cell(MASTER, cell_id)


def _first_column(markdown: str) -> list[str]:
    """The first cell of each body row of the markdown tables in ``markdown``."""
    rows = [line for line in markdown.splitlines() if line.startswith("|")]
    body = [r for r in rows if not re.fullmatch(r"\|[-|: ]+\|", r)]
    firsts = [r.split("|")[1].strip() for r in body]
    return [f for f in firsts if f not in {"术语", "term", "章", "chapter"}]


def _zh_term(first_cell: str) -> str:
    """The course's term at the start of a first cell: 'CRM战略 CRM strategy' -> 'CRM战略'."""
    return re.sub(r"（.*?）", "", first_cell).split()[0]


def test_term_tables_list_the_course_terms_in_order_in_both_editions():
    for (zh, en), units in TERM_CELLS.items():
        expected = [t for unit in units for t in COURSE_TERMS[unit]]
        for cell_id in (zh, en):
            terms = [_zh_term(f) for f in _first_column(_cell(cell_id))]
            assert terms == expected, cell_id


def test_english_term_tables_give_an_english_name_beside_each_term():
    for (_, en), _units in TERM_CELLS.items():
        for first in _first_column(_cell(en)):
            assert re.search(r"[A-Za-z]{3,}", first.split(maxsplit=1)[1]), first


def test_value_added_potential_is_the_gain_in_retention_value():
    from crmkit.clv import retention_clv

    # m r / (1 + d - r) at m = 100, d = 0.1, by hand: 80 / 0.3 and 90 / 0.2
    gain = retention_clv(100, 0.9, 0.1) - retention_clv(100, 0.8, 0.1)
    assert gain == pytest.approx(90 / 0.2 - 80 / 0.3, abs=1e-9)
    assert f"{gain:.2f}" == "183.33"
    assert "retention_clv(100, 0.8, 0.1), retention_clv(100, 0.9, 0.1)" in _cell(
        "10_data_driven_crm-004s"
    )


def test_course_document_has_the_terms_as_expected():
    text = compact(course_text(DOC_002))
    start = text.index("客户关系管理与应用习题答案")
    block = text[start : text.index("农业产业农村电商运营推广方案", start)]
    terms = [t for unit in COURSE_TERMS.values() for t in unit]
    positions = []
    for term in terms:
        match = re.search(
            re.escape(term) + ":", block[positions[-1] if positions else 0 :]
        )
        assert match, term
        positions.append((positions[-1] if positions else 0) + match.end())
    # every definition in the block is one of the typed terms: nothing left out
    assert block.count(":") == len(terms)
    for unit in ("第二单元", "第三单元", "第四单元"):
        assert unit + COURSE_TERMS[unit][0] + ":" in block


def test_syllabus_tables_list_the_course_chapters_in_order_in_both_editions():
    for lang in (0, 1):
        firsts = [
            f for pair in SYLLABUS_CELLS for f in _first_column(_cell(pair[lang]))
        ]
        assert len(firsts) == len(COURSE_SYLLABUS)
        for k, (first, chapter) in enumerate(zip(firsts, COURSE_SYLLABUS, strict=True)):
            if lang == 0:
                assert first == f"第{ZH_NUMERALS[k]}章 {chapter}"
            else:
                assert first.split()[:2] == [str(k + 1), chapter]


def test_course_document_has_the_syllabus_as_expected():
    text = course_text(DOC_002)
    block = text.split("客服培训内容第一章", 1)[1]
    block = "第一章" + block.split("通过以上内容的培训", 1)[0]
    chapters = re.findall(r"第(十|[一二三四五六七八九])章:(.+?)\d+\.1", block)
    assert [c[0] for c in chapters] == list(ZH_NUMERALS)
    assert [c[1] for c in chapters] == COURSE_SYLLABUS
    points = [len(re.findall(rf"(?<!\d){k}\.\d", block)) for k in range(1, 11)]
    assert points == [3] + [4] * 9  # as the chapter says: three in chapter 1


def test_participation_slide_gives_the_course_benefits_and_ways():
    zh = _cell("10_data_driven_crm-061a")
    for items in (COURSE_BENEFITS, COURSE_WAYS):
        where = [zh.index(item) for item in items]
        assert where == sorted(where)
    en = _cell("10_data_driven_crm-061b")
    assert "three **benefits** (意义)" in en and "three **ways** (方式)" in en


def test_course_document_has_the_participation_lists_as_expected():
    text = compact(course_text(DOC_000))
    block = text.split("一、客户参与产品设计的意义", 1)[1]
    benefits, rest = block.split("二、客户参与产品设计的方式", 1)
    ways, challenges = rest.split("三、客户参与产品设计的挑战与对策", 1)
    for items, part in ((COURSE_BENEFITS, benefits), (COURSE_WAYS, ways)):
        for k, item in enumerate(items, start=1):
            assert part.startswith(f"{k}.{item}") or f"。{k}.{item}" in part, item
        assert f"{len(items) + 1}." not in part
    # the document breaks off after its first challenge, as the chapter says
    assert challenges.startswith("1.客户需求多样性")
    assert "2." not in challenges.split("-1、下载文档", 1)[0]
