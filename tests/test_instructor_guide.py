"""The instructor guide: two editions of one guide, kept true to the kit.

instructor/guide.zh.md and instructor/guide.en.md must have the same headings and tables;
the semester plan must be 16 weeks x 2 sessions x 45 minutes; every app, chapter notebook,
notebook section and exercise id the guide names must exist; rubric points and assessment
weights must add up to the totals they state. Each checker returns a list of problems, and
``test_checkers_catch_errors`` feeds them broken guides to show that they can fail.
"""

from __future__ import annotations

import itertools
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDES = {
    "zh": ROOT / "instructor" / "guide.zh.md",
    "en": ROOT / "instructor" / "guide.en.md",
}
APPS_DIR = ROOT / "source" / "apps"
NOTEBOOKS_DIR = ROOT / "source" / "notebooks"
CASES_DIR = ROOT / "source" / "cases"
QUESTIONS_DIR = ROOT / "crmkit" / "exercises" / "questions"

WEEKS, SESSIONS, SESSION_MIN = 16, 2, 45
TOTAL_WORDS = {"total", "合计"}
COURSE_PREFIXES = ("Course:", "课程：")
EXERCISE_ID = re.compile(r"\bch\d\d_q\d+\b")
NOTEBOOK_NAME = re.compile(r"`(\d\d_[a-z0-9_]+)`")
CASE_NAME = re.compile(r"`cases/([a-z0-9_]+)`")
APP_ARG = re.compile(r"APP=([A-Za-z0-9_]+)")
BACKTICKED = re.compile(r"`([^`]+)`")
NUMBERS = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Table:
    heading: str  # the nearest heading above the table
    chapter: str  # the nearest level-3 heading above it ("" before any)
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Guide:
    headings: list[tuple[int, str]]
    tables: list[Table]
    text: str


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse(text: str) -> Guide:
    """Headings and pipe tables of a Markdown text, outside fenced code."""
    headings: list[tuple[int, str]] = []
    tables: list[Table] = []
    heading = chapter = ""
    fenced = False
    current: Table | None = None
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        if line.startswith("|"):
            cells = _cells(line)
            if current is None:
                current = Table(heading, chapter, cells)
                tables.append(current)
            elif not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                current.rows.append(cells)
            continue
        current = None
        m = re.match(r"(#{1,6})\s+(.*\S)", line)
        if m:
            level, title = len(m.group(1)), m.group(2)
            headings.append((level, title))
            heading = title
            if level <= 3:
                chapter = title if level == 3 else ""
    return Guide(headings, tables, text)


def load(lang: str) -> Guide:
    return parse(GUIDES[lang].read_text(encoding="utf-8"))


def plan_table(guide: Guide) -> Table | None:
    for t in guide.tables:
        if t.header[:2] in (["week", "session"], ["周", "课次"]):
            return t
    return None


def _int(cell: str) -> int | None:
    return int(cell) if re.fullmatch(r"\d+", cell.strip()) else None


# ----------------------------------------------------------------------------- checkers


def check_plan(guide: Guide) -> list[str]:
    """16 weeks x 2 sessions, each session 45 minutes, so 90 a week."""
    t = plan_table(guide)
    if t is None:
        return [
            "no semester-plan table (header starting 'week | session' or '周 | 课次')"
        ]
    problems = []
    minutes: dict[tuple[int, int], int] = {}
    for row in t.rows:
        if len(row) != len(t.header):
            problems.append(
                f"plan row with {len(row)} cells, header has {len(t.header)}: {row}"
            )
            continue
        week, session, mins = _int(row[0]), _int(row[1]), _int(row[4])
        if week is None or session is None or mins is None:
            problems.append(
                f"plan row without whole-number week/session/minutes: {row[:5]}"
            )
            continue
        minutes[week, session] = minutes.get((week, session), 0) + mins
    expected = {(w, s) for w in range(1, WEEKS + 1) for s in range(1, SESSIONS + 1)}
    if set(minutes) != expected:
        missing = sorted(expected - set(minutes))
        extra = sorted(set(minutes) - expected)
        problems.append(f"plan sessions missing {missing}, unexpected {extra}")
    for key, mins in sorted(minutes.items()):
        if mins != SESSION_MIN:
            problems.append(
                f"week {key[0]} session {key[1]}: {mins} min, not {SESSION_MIN}"
            )
    for week in range(1, WEEKS + 1):
        total = sum(m for (w, _), m in minutes.items() if w == week)
        if total != SESSIONS * SESSION_MIN:
            problems.append(f"week {week}: {total} min, not {SESSIONS * SESSION_MIN}")
    return problems


def named_apps(guide: Guide) -> set[str]:
    names = set(APP_ARG.findall(guide.text))
    t = plan_table(guide)
    if t is not None:
        for row in t.rows:
            if len(row) > 5:
                names.update(BACKTICKED.findall(row[5]))
    for table in guide.tables:  # the app table of section 1.4: its first column
        if table.header and table.header[0] in ("app", "演示程序"):
            for row in table.rows:
                names.update(BACKTICKED.findall(row[0]))
    return names


def check_apps(guide: Guide) -> list[str]:
    return [
        f"app {name!r} is not in source/apps"
        for name in sorted(named_apps(guide))
        if not (APPS_DIR / f"{name}.ipynb").is_file()
    ]


def check_notebooks(guide: Guide) -> list[str]:
    return [
        f"chapter notebook {name!r} is not in source/notebooks"
        for name in sorted(set(NOTEBOOK_NAME.findall(guide.text)))
        if not (NOTEBOOKS_DIR / f"{name}.ipynb").is_file()
    ] + [
        f"case notebook {name!r} is not in source/cases"
        for name in sorted(set(CASE_NAME.findall(guide.text)))
        if not (CASES_DIR / f"{name}.ipynb").is_file()
    ]


def exercise_ids() -> set[str]:
    ids = set()
    for path in sorted(QUESTIONS_DIR.glob("ch*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        ids.update(q["id"] for q in data.get("question", []))
    return ids


def check_exercises(guide: Guide, known: set[str]) -> list[str]:
    return [
        f"exercise {qid!r} is not in crmkit/exercises/questions"
        for qid in sorted(set(EXERCISE_ID.findall(guide.text)))
        if qid not in known
    ]


def _level_numbers(cell: str) -> list[float]:
    m = re.search(r"[（(]([^()（）]*)[)）]\s*$", cell)
    return [float(x) for x in NUMBERS.findall(m.group(1))] if m else []


def check_rubrics(guide: Guide) -> list[str]:
    """Rubric tables (last column 'points'/'分值'): criteria add up to the total row; each
    level states its points in brackets, the top level reaching the criterion's points,
    the bottom level starting at 0, and the levels descending."""
    problems = []
    rubrics = [
        t for t in guide.tables if t.header and t.header[-1] in ("points", "分值")
    ]
    if len(rubrics) < 3:
        problems.append(
            f"{len(rubrics)} rubric tables; expected open questions, 作业一, 作业二"
        )
    for t in rubrics:
        where = t.heading
        totals = [r for r in t.rows if r[0].lower() in TOTAL_WORDS]
        criteria = [r for r in t.rows if r[0].lower() not in TOTAL_WORDS]
        if len(totals) != 1 or _int(totals[0][-1]) is None:
            problems.append(
                f"{where}: needs one total row with a whole number of points"
            )
            continue
        stated = _int(totals[0][-1])
        points = [_int(r[-1]) for r in criteria]
        if None in points:
            problems.append(f"{where}: a criterion without whole-number points")
            continue
        if sum(points) != stated:
            problems.append(
                f"{where}: criteria add up to {sum(points)}, total says {stated}"
            )
        for row, pts in zip(criteria, points, strict=True):
            levels = [_level_numbers(c) for c in row[1:-1]]
            if not levels or any(not lv for lv in levels):
                problems.append(f"{where}: {row[0]!r} has a level without (points)")
                continue
            if max(levels[0]) != pts:
                problems.append(
                    f"{where}: {row[0]!r} top level {max(levels[0])} != {pts}"
                )
            if min(levels[-1]) != 0:
                problems.append(f"{where}: {row[0]!r} lowest level does not start at 0")
            tops = [max(lv) for lv in levels]
            if any(a <= b for a, b in itertools.pairwise(tops)):
                problems.append(f"{where}: {row[0]!r} levels do not descend: {tops}")
    return problems


def check_weights(guide: Guide) -> list[str]:
    tables = [
        t
        for t in guide.tables
        if len(t.header) > 1 and t.header[1].lower().startswith(("weight", "权重"))
    ]
    if len(tables) != 1:
        return [f"{len(tables)} assessment-weight tables, expected 1"]
    t = tables[0]
    parts = [_int(r[1]) for r in t.rows if r[0].lower() not in TOTAL_WORDS]
    total = [_int(r[1]) for r in t.rows if r[0].lower() in TOTAL_WORDS]
    if None in parts or total != [100] or sum(parts) != 100:
        return [
            f"weights {parts} add up to {sum(p or 0 for p in parts)}; total row {total}"
        ]
    return []


def notebook_headings(name: str, folder: Path = NOTEBOOKS_DIR) -> set[str]:
    """Every heading of a chapter (or case) master, and the part of an English one
    before ' · '."""
    nb = json.loads((folder / f"{name}.ipynb").read_text(encoding="utf-8"))
    found = set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            m = re.match(r"#{1,6}\s+(.*\S)", line)
            if m:
                found.add(m.group(1))
                found.add(m.group(1).split(" · ")[0].strip())
    return found


def check_section_times(guide: Guide) -> list[str]:
    """Each chapter's 'time per section' table: kit sections are headings of the chapter's
    notebook (named in the chapter heading), or of the case notebook the row names
    (`cases/<stem>`); course rows start with 'Course:'/'课程：', and the minutes add
    up to the total row."""
    problems = []
    tables = [
        t
        for t in guide.tables
        if t.header[:2] in (["section", "min"], ["小节", "分钟"])
    ]
    if len(tables) != 11:
        problems.append(
            f"{len(tables)} time-per-section tables, expected 11 (chapters 00-10)"
        )
    for t in tables:
        names = NOTEBOOK_NAME.findall(t.chapter)
        headings = notebook_headings(names[0]) if names and _exists(names[0]) else set()
        rows = [r for r in t.rows if r[0].lower() not in TOTAL_WORDS]
        total = [_int(r[1]) for r in t.rows if r[0].lower() in TOTAL_WORDS]
        mins = [_int(r[1]) for r in rows]
        if None in mins or len(total) != 1 or sum(mins) != total[0]:
            problems.append(
                f"{t.chapter}: minutes {mins} do not add up to total {total}"
            )
        for row in rows:
            section = row[0].strip()
            if section.startswith(COURSE_PREFIXES):
                continue
            case = CASE_NAME.findall(" ".join(row))
            if case:
                if (CASES_DIR / f"{case[0]}.ipynb").is_file() and section not in (
                    notebook_headings(case[0], CASES_DIR)
                ):
                    problems.append(
                        f"{t.chapter}: {section!r} is not a heading of {case[0]}"
                    )
                continue  # a missing case notebook: check_notebooks says so
            if not names:
                problems.append(
                    f"{t.chapter}: kit section {section!r} but no notebook named"
                )
            elif section not in headings:
                problems.append(
                    f"{t.chapter}: {section!r} is not a heading of {names[0]}"
                )
    return problems


def _exists(name: str) -> bool:
    return (NOTEBOOKS_DIR / f"{name}.ipynb").is_file()


def check_editions_match(zh: Guide, en: Guide) -> list[str]:
    problems = []
    zl, el = [lv for lv, _ in zh.headings], [lv for lv, _ in en.headings]
    if zl != el:
        problems.append(f"heading levels differ: zh {zl} vs en {el}")
    for level in sorted(set(zl) | set(el)):
        if zl.count(level) != el.count(level):
            problems.append(
                f"level {level}: zh {zl.count(level)} vs en {el.count(level)}"
            )
    if len(zh.tables) != len(en.tables):
        problems.append(f"tables: zh {len(zh.tables)} vs en {len(en.tables)}")
    for i, (a, b) in enumerate(zip(zh.tables, en.tables, strict=False)):
        shape_a = (len(a.header), [len(r) for r in a.rows])
        shape_b = (len(b.header), [len(r) for r in b.rows])
        if shape_a != shape_b:
            problems.append(f"table {i + 1} ({a.heading} / {b.heading}): shapes differ")
            continue
        for ra, rb in zip(a.rows, b.rows, strict=True):
            for ca, cb in zip(ra, rb, strict=True):
                if sorted(EXERCISE_ID.findall(ca)) != sorted(EXERCISE_ID.findall(cb)):
                    problems.append(
                        f"table {i + 1}: exercise ids differ: {ca!r} / {cb!r}"
                    )
                if sorted(NOTEBOOK_NAME.findall(ca)) != sorted(
                    NOTEBOOK_NAME.findall(cb)
                ):
                    problems.append(f"table {i + 1}: notebooks differ: {ca!r} / {cb!r}")
                if _int(ca) != _int(cb):
                    problems.append(f"table {i + 1}: numbers differ: {ca!r} / {cb!r}")
    pa, pb = plan_table(zh), plan_table(en)
    if pa and pb and len(pa.rows) == len(pb.rows):
        for ra, rb in zip(pa.rows, pb.rows, strict=True):
            if (
                len(ra) > 5
                and len(rb) > 5
                and BACKTICKED.findall(ra[5]) != BACKTICKED.findall(rb[5])
            ):
                problems.append(f"plan week {ra[0]} session {ra[1]}: apps differ")
    return problems


# ----------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def guides() -> dict[str, Guide]:
    missing = [str(p) for p in GUIDES.values() if not p.is_file()]
    assert not missing, f"missing instructor guide editions: {missing}"
    return {lang: load(lang) for lang in GUIDES}


def test_both_editions_exist():
    for lang, path in GUIDES.items():
        assert path.is_file(), f"{lang} edition missing: {path}"
        assert path.read_text(encoding="utf-8").strip(), f"{lang} edition is empty"


def test_editions_have_the_same_structure(guides):
    assert check_editions_match(guides["zh"], guides["en"]) == []


def test_main_sections(guides):
    for lang, guide in guides.items():
        top = [title for level, title in guide.headings if level == 2]
        assert [t.split(".")[0] for t in top] == ["1", "2", "3", "4", "5"], (lang, top)


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_semester_plan(guides, lang):
    assert check_plan(guides[lang]) == []


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_apps_exist(guides, lang):
    assert named_apps(guides[lang]), "the guide names no explorer app"
    assert check_apps(guides[lang]) == []


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_chapter_notebooks_exist(guides, lang):
    assert NOTEBOOK_NAME.findall(guides[lang].text), (
        "the guide names no chapter notebook"
    )
    assert check_notebooks(guides[lang]) == []


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_exercise_ids_exist(guides, lang):
    known = exercise_ids()
    assert known, "no exercise questions found"
    assert EXERCISE_ID.findall(guides[lang].text), "the guide names no exercise"
    assert check_exercises(guides[lang], known) == []


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_rubric_points_add_up(guides, lang):
    assert check_rubrics(guides[lang]) == []


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_assessment_weights_add_up(guides, lang):
    assert check_weights(guides[lang]) == []


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_section_times_match_the_notebooks(guides, lang):
    assert check_section_times(guides[lang]) == []


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_group_assignments_and_chapter_10_are_in_the_plan(guides, lang):
    t = plan_table(guides[lang])
    assert t is not None
    plan = "\n".join(" | ".join(r) for r in t.rows)
    for word in ("作业一", "作业二"):
        assert plan.count(word) >= 3, (
            f"{word}: set, due and presented should be in the plan"
        )
    assert "`10_data_driven_crm`" in plan  # chapter 10, week 15


# ----------------------------------------------------------------------------- the checkers can fail


GOOD_PLAN = "\n".join(
    [
        "| week | session | a | b | min | app | ex | mcq |",
        "|---|---|---|---|---|---|---|---|",
    ]
    + [f"| {w} | {s} | x | y | 45 | — | — | — |" for w in range(1, 17) for s in (1, 2)]
)


def test_checkers_catch_errors():
    assert check_plan(parse(GOOD_PLAN)) == []
    # one session 5 minutes short
    assert check_plan(
        parse(GOOD_PLAN.replace("| 3 | 2 | x | y | 45 |", "| 3 | 2 | x | y | 40 |"))
    )
    # a week missing
    broken = "\n".join(
        line for line in GOOD_PLAN.splitlines() if not line.startswith("| 16 |")
    )
    assert check_plan(parse(broken))
    assert check_plan(parse("# no plan here"))

    bad = parse("`make present APP=no_such_app` and `99_no_such_chapter`, ch06_q99")
    assert check_apps(bad) == ["app 'no_such_app' is not in source/apps"]
    assert check_notebooks(bad)
    assert check_exercises(bad, {"ch06_q1"})

    rubric = (
        "### r\n| criterion | top | low | points |\n|---|---|---|---|\n"
        "| a | fine (9–10) | poor (0–4) | 10 |\n| b | fine (5) | poor (0–2) | 5 |\n"
        "| total | | | 20 |\n"
    )
    assert any("add up to 15" in p for p in check_rubrics(parse(rubric)))
    assert check_rubrics(
        parse(rubric.replace("| 20 |", "| 15 |").replace("(9–10)", "(9)"))
    )

    weights = (
        "| part | weight (%) |\n|---|---|\n| a | 60 |\n| b | 30 |\n| total | 100 |\n"
    )
    assert check_weights(parse(weights))

    times = (
        "### Chapter 05 (`05_waiting_psychology`)\n| section | min | note |\n|---|---|---|\n"
        "| No such heading | 10 | |\n| Course: fine | 5 | |\n| total | 20 | |\n"
    )
    problems = check_section_times(parse(times))
    assert any("not a heading" in p for p in problems)
    assert any("do not add up" in p for p in problems)
    case = times.replace(
        "| Course: fine | 5 | |", "| No such case heading | 5 | `cases/x` |"
    )
    assert check_notebooks(parse(case)) == ["case notebook 'x' is not in source/cases"]
    case = case.replace("`cases/x`", "`cases/haier_omnichannel`")
    assert any("not a heading of haier" in p for p in check_section_times(parse(case)))

    zh = parse("# a\n## b\n| x | y |\n|---|---|\n| ch01_q1 | 1 |\n")
    en = parse("# a\n### b\n| x | y |\n|---|---|\n| ch01_q2 | 1 |\n")
    problems = check_editions_match(zh, en)
    assert any("heading levels differ" in p for p in problems)
    assert any("exercise ids differ" in p for p in problems)


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_app_table_lists_every_app(guides, lang):
    """Section 1.4's table names every app in source/apps, and its count is right."""
    table = next(
        t
        for t in guides[lang].tables
        if t.header and t.header[0] in ("app", "演示程序")
    )
    listed = {name for row in table.rows for name in BACKTICKED.findall(row[0])}
    assert listed == {p.stem for p in APPS_DIR.glob("*.ipynb")}
    count = {"en": "Eight explorer apps", "zh": "八个演示程序"}[lang]
    assert count in guides[lang].text
