"""The coverage table: every section of the course documents, and where the kit teaches it.

``docs/course_coverage.toml`` maps each section of the five course documents to the
chapter and master cell that teach it (``tools/coverage.py`` renders it as
``docs/course_coverage.md``). These tests check that the page is current; that every
mapped cell exists and still says what the entry claims, in both editions; that entries
are unique; that chapter 00 quotes the current counts; and, when the course documents are
beside the repository (``../shared/course``), that each section's heading term stands in
its document and that every heading the rules below find in a document has an entry, so
that no section can be left out silently.

The checks here share no code with ``tools/coverage.py`` beyond loading its page.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

DATA = REPO / "docs" / "course_coverage.toml"
COURSE = REPO.parent / "shared" / "course"
ENTRIES = tomllib.loads(DATA.read_text(encoding="utf-8"))["section"]
MAPPED = [e for e in ENTRIES if e["status"] in ("taught", "partial")]
#: chapter prefix -> (folder of masters, folder of an edition with {lang})
KINDS = {
    "": ("source/notebooks", "notebooks/{lang}"),
    "exercises": ("source/exercises", "exercises/solutions/{lang}"),
    "apps": ("source/apps", "notebooks/apps/{lang}"),
    "research": ("source/research", "notebooks/research/{lang}"),
    "cases": ("source/cases", "notebooks/cases/{lang}"),
}
#: the site notices the hosting websites put into the scraped files ("- 1、下载文档前…")
NOTICE = re.compile(r"(?m)^- \d+、.*$")
CN = "一二三四五六七八九十"

# ----------------------------------------------------------------- heading rules
# Each rule finds heading *markers*; a heading is covered when an entry's section term
# (whitespace ignored: the scraped slides break lines inside headings) starts right after
# the marker or contains the marker itself ("第4节 客户关系管理").
#
# 000 (several scraped documents in one file): each document's title, a line followed by
#     an empty line; the Chinese-numbered headings 一、二、…; the numbered slide sections
#     5.1–5.4 at the start of a line.
# 001 (a slide deck): every line is one slide and begins with the slide's title; the deck
#     ends at the hosting site's list 您可能关注的文档.
# 002 (slides and documents): a title line repeated at the start of the next line; the
#     chapter, section and unit markers 第…章 / 第…节 / 第…单元; numbered slide headings
#     at the start of a line (7.3, 4.1, 7.2.4、; 1. 2. …); slides headed 补充:.
# 003 (the Haier plan): the six parts in its contents list (目錄01…06); the numbers inside
#     the parts are scrambled by the scraper, so the contents list is the structure.
# 004 (one long line): the Chinese-numbered parts 一、…六、 and the design steps 1、…6、.
RULES: dict[str, tuple[str, ...]] = {
    "000": (
        r"(?m)^(?=.+\n\n)",
        rf"[{CN}]、",
        r"(?m)^5\.\d\s*",
    ),
    "002": (
        r"(?m)^(?=(.{4,40})\n\1)",
        rf"第\s*[0-9{CN}]+\s*(?:章|节|单元)[:：\s-]*",
        r"(?m)^\d\.\d(?:\.\d)?[\s、]*(?=\S)",
        r"(?m)^\d\.(?!\d)\s*",
        r"(?m)^补充[:：]",
    ),
    "004": (
        r"[一二三四五六]、",
        r"(?<!\d)[1-6]、",
    ),
}


def _document(prefix: str) -> tuple[str, str]:
    """The raw text of a course document and its file name (skip when absent)."""
    found = sorted(COURSE.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"the course documents are not beside the repository ({COURSE})")
    return found[0].read_text(encoding="utf-8"), found[0].name


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _markers(prefix: str, text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every heading marker the document's rule finds."""
    if prefix == "001":
        deck = text.split("您可能关注的文档", 1)[0]
        for m in re.finditer(r"(?m)^(?=\S)", deck):
            yield m.start(), m.start()
        return
    if prefix == "003":
        part = re.compile(r"0([1-6])[\u4e00-\u9fff]{6}")
        at, last = text.index("目錄") + 2, 0
        while (m := part.match(text, at)) and int(m.group(1)) > last:
            yield m.start(), m.start() + 2
            at, last = m.end(), int(m.group(1))
        return
    for rule in RULES[prefix]:
        for m in re.finditer(rule, text):
            yield m.start(), m.end()


def _excluded_spans(
    prefix: str, text: str, entries: list[dict]
) -> list[tuple[int, int]]:
    """Where the excluded pages lie: from their title to `until` or the next notice."""
    spans = []
    for e in entries:
        if e["document"] != prefix or e["status"] != "excluded":
            continue
        start = text.index(e["section"])
        if e.get("until"):
            end = text.index(e["until"], start)
        else:
            notice = NOTICE.search(text, start)
            end = notice.start() if notice else len(text)
        spans.append((start, end))
    return spans


def _uncovered(prefix: str, entries: list[dict] = ENTRIES) -> list[str]:
    """The headings of a document that no entry covers (their first characters)."""
    text, _ = _document(prefix)
    notices = [m.span() for m in NOTICE.finditer(text)]
    skip = notices + _excluded_spans(prefix, text, entries)
    # positions in the text without whitespace
    squeezed_at = [0] * (len(text) + 1)
    for i, ch in enumerate(text):
        squeezed_at[i + 1] = squeezed_at[i] + (not ch.isspace())
    flat = _squeeze(text)
    terms = [_squeeze(e["section"]) for e in entries if e["document"] == prefix]
    spans = [
        (m.start(), m.end()) for t in terms for m in re.finditer(re.escape(t), flat)
    ]
    missing = []
    for start, end in _markers(prefix, text):
        if any(a <= start < b for a, b in skip):
            continue
        s, e = squeezed_at[start], squeezed_at[end]
        after = any(flat.startswith(t, e) for t in terms)
        around = any(a <= s and e <= b and b - a > e - s for a, b in spans)
        if not (after or around):
            missing.append(flat[s : s + 30])
    return missing


# ----------------------------------------------------------------- editions


@functools.cache
def _notebook(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _locate(chapter: str) -> tuple[Path, dict[str, Path]]:
    kind, _, stem = chapter.rpartition("/")
    masters, edition = KINDS[kind]
    editions = {
        lang: REPO / edition.format(lang=lang) / f"{stem}.ipynb"
        for lang in ("zh", "en")
    }
    return REPO / masters / f"{stem}.ipynb", editions


def _edition_texts(entry: dict) -> dict[str, str]:
    """The text of the entry's cell in each edition (its zh twin for the zh edition)."""
    master, editions = _locate(entry["chapter"])
    cells = _notebook(master)
    ids = [c.get("id") for c in cells]
    assert entry["cell"] in ids, f"{entry['cell']} is not a cell of {master.name}"
    i = ids.index(entry["cell"])
    lang = cells[i].get("metadata", {}).get("crmkit", {}).get("lang")
    assert lang in (None, "en"), (
        f"{entry['cell']}: name the English cell, not the {lang}"
    )
    twin = cells[i]
    if lang == "en":
        twin = cells[i - 1]
        assert twin.get("metadata", {}).get("crmkit", {}).get("lang") == "zh", (
            f"{entry['cell']} has no Chinese twin before it"
        )
    out = {}
    for edition_lang, cell_id in (("zh", twin["id"]), ("en", entry["cell"])):
        texts = {
            c.get("id"): "".join(c["source"]) for c in _notebook(editions[edition_lang])
        }
        assert cell_id in texts, f"{cell_id} is not in {editions[edition_lang]}"
        out[edition_lang] = texts[cell_id]
    return out


# ----------------------------------------------------------------- tests


def test_the_coverage_page_is_current():
    spec = importlib.util.spec_from_file_location(
        "coverage_tool", REPO / "tools/coverage.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.problems(ENTRIES) == []
    page = (REPO / "docs" / "course_coverage.md").read_text(encoding="utf-8")
    assert page == tool.render(ENTRIES), "run `python tools/coverage.py`"


def test_entries_are_unique_and_complete():
    keys = Counter((e["document"], _squeeze(e["section"])) for e in ENTRIES)
    assert [k for k, n in keys.items() if n > 1] == []
    for e in ENTRIES:
        assert e["document"] in {"000", "001", "002", "003", "004"}, e
        assert e["status"] in {"taught", "partial", "missing", "excluded"}, e
        if e["status"] == "taught":
            assert {"chapter", "cell", "zh", "en"} <= e.keys(), e
        elif e["status"] == "partial":
            assert {"chapter", "cell", "zh", "en"} <= e.keys() and e.get("note"), e
        else:
            assert "cell" not in e and e.get("note"), e
        # a heading term, not a sentence of the document
        assert len(e["section"]) <= 40 and "。" not in e["section"], e


@pytest.mark.parametrize(
    "entry", MAPPED, ids=[f"{e['document']}-{e['section']}" for e in MAPPED]
)
def test_each_mapped_cell_still_teaches_its_section(entry):
    texts = _edition_texts(entry)
    assert entry["zh"] in texts["zh"], (
        f"zh edition of {entry['cell']} lost {entry['zh']!r}"
    )
    assert entry["en"] in texts["en"], (
        f"en edition of {entry['cell']} lost {entry['en']!r}"
    )


def test_the_course_map_quotes_the_current_counts():
    total = Counter(e["status"] for e in ENTRIES)
    numbers = [str(len(ENTRIES))] + [
        str(total[s]) for s in ("taught", "partial", "missing")
    ]
    for lang in ("zh", "en"):
        cells = _notebook(REPO / "notebooks" / lang / "00_course_map.ipynb")
        (cell,) = [c for c in cells if "course_coverage.md" in "".join(c["source"])]
        found = re.findall(r"\d+", "".join(cell["source"]))
        assert all(n in found for n in numbers), (lang, numbers, found)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_each_section_term_stands_in_its_document(prefix):
    text, name = _document(prefix)
    flat = _squeeze(text)
    absent = [
        e["section"]
        for e in ENTRIES
        if e["document"] == prefix and _squeeze(e["section"]) not in flat
    ]
    assert absent == [], f"not in {name}"
    for e in ENTRIES:
        if e["document"] == prefix and e.get("until"):
            assert e["until"] in text, e


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_heading_of_a_document_has_an_entry(prefix):
    assert _uncovered(prefix) == []


def test_the_heading_rules_find_the_headings_they_should():
    """The rules are not vacuous: known headings are found, and an entry is needed."""
    found = {p: [] for p in ("000", "002", "003", "004")}
    for prefix in found:
        text, _ = _document(prefix)
        flat_at = [_squeeze(text[s : s + 30]) for s, _ in _markers(prefix, text)]
        found[prefix] = flat_at
    assert any(h.startswith("客户关系管理设计方案") for h in found["000"])
    assert any(h.startswith("5.4客户投诉") for h in found["000"])
    assert any(h.startswith("第3节对不合作顾客的管理") for h in found["002"])
    assert [h[:8] for h in found["003"]][-1] == "06持續優化方案"
    assert len(found["003"]) == 6
    assert any(h.startswith("四、客户互动设计") for h in found["004"])
    assert len(list(_markers("001", _document("001")[0]))) >= 18
    # leaving an entry out is caught
    for prefix, section, heading in [
        ("000", "目标设定", "目标设定1."),
        ("001", "客户旅程地图", "客户旅程地图识别"),
        ("002", "服务利润链模型", "服务利润链模型"),
        ("003", "運營執行規劃", "運營執行規劃"),
        ("004", "决定互动预算", "决定互动预算"),
    ]:
        fewer = [
            e for e in ENTRIES if (e["document"], e["section"]) != (prefix, section)
        ]
        assert len(fewer) == len(ENTRIES) - 1
        assert any(heading in h for h in _uncovered(prefix, fewer)), section
