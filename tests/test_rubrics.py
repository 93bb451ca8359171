"""The instructor's rubrics for the open exercise questions.

An open question (``kind = "open"`` in ``crmkit/exercises/questions/chNN.toml``) is
received by ``check`` but not judged; the instructor grades it with the rubric in
``instructor/rubrics/chNN.toml``. These tests check that every open question has exactly
one rubric, that its criteria add up to its points, that every criterion is written in
both languages, and that the rubrics stay off the students' site.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from tests.exercise_answers import iter_questions

REPO = Path(__file__).resolve().parents[1]
RUBRICS = REPO / "instructor" / "rubrics"
CJK = re.compile(r"[\u3400-\u9fff]")
OPEN = {q["id"]: q for q in iter_questions() if q["kind"] == "open"}


def _rubrics(pattern: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(RUBRICS.glob(pattern)):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        chapter = path.stem.removeprefix("ch")
        assert data.get("chapter") == chapter, path
        for rubric in data.get("rubric", []):
            assert rubric["id"] not in out, f"{rubric['id']} has two rubrics"
            prefix = f"ch{chapter}_" if path.stem.startswith("ch") else f"{chapter}_"
            assert rubric["id"].startswith(prefix), (path, rubric["id"])
            out[rubric["id"]] = rubric
    return out


RUBRIC = _rubrics("ch*.toml")
#: a section heading of a group-assignment template and its points
POINTS = re.compile(r"^## \d (.+?)[（(](\d+) (?:分|points)[）)]", re.M)


def test_there_are_open_questions():
    assert len(OPEN) >= 4


def test_every_open_question_has_one_rubric_and_no_rubric_is_orphaned():
    assert set(RUBRIC) == set(OPEN), (
        f"open questions without a rubric: {sorted(set(OPEN) - set(RUBRIC))}; "
        f"rubrics without an open question: {sorted(set(RUBRIC) - set(OPEN))}"
    )


@pytest.mark.parametrize("qid", sorted(RUBRIC))
def test_criteria_add_up_and_are_bilingual(qid):
    rubric = RUBRIC[qid]
    criteria = rubric["criteria"]
    assert len(criteria) >= 3, f"{qid}: a rubric needs at least 3 criteria"
    points = [c["points"] for c in criteria]
    assert all(isinstance(p, int) and p > 0 for p in points), points
    assert sum(points) == rubric["points"], f"{qid}: {points} != {rubric['points']}"
    for c in criteria:
        assert set(c) == {"points", "en", "zh"}, c
        assert c["zh"].strip() == c["zh"] and c["en"].strip() == c["en"], c
        assert CJK.search(c["zh"]) and re.search(r"[A-Za-z]{3}", c["en"]), c


@pytest.mark.parametrize("qid", sorted(OPEN))
def test_the_checklist_students_see_matches_the_rubric_in_size(qid):
    """The student's checklist names what the rubric grades, one point per
    criterion (the rubric adds the expected numbers and the deductions)."""
    assert len(OPEN[qid]["checklist"]["en"]) == len(RUBRIC[qid]["criteria"]), qid


@pytest.mark.parametrize("qid", sorted(OPEN))
def test_sample_answer_in_the_worked_solution_is_long_enough(qid):
    """The worked solution's sample answer, in each edition, passes the question's
    own length check (so the sample is a real answer, not a stub)."""
    from crmkit.exercises._registry import _REGISTRY

    chapter = qid[2:4]
    for lang in ("zh", "en"):
        (path,) = (REPO / "exercises" / "solutions" / lang).glob(f"{chapter}_*.ipynb")
        text = path.read_text(encoding="utf-8")
        assert f'check(\\"{qid}\\", answer)' in text, (path, qid)
        verdicts = re.findall(rf"{qid}[:：][^\"]*", text)
        assert verdicts and all(
            "基本检查通过" in v or "basic checks passed" in v for v in verdicts
        ), (path, verdicts)
    assert _REGISTRY[qid].kind == "open"


GUIDE = REPO / "instructor"
TEMPLATES = {"5.4": "group_1_firm_crm", "5.5": "group_2_crm_software"}
#: rubric rows that grade the whole report, not one section of the template
WHOLE = (
    "有数据、有分析、图文并茂",
    "报告与团队合作",
    "data, analysis",
    "presentation and",
)
ROW = re.compile(
    r"^\| (?!criterion|评分项|total|合计|---)([^|]+?) \|.*\| (\d+) \|$", re.M
)


def _guide_rubric(lang: str, section: str) -> list[tuple[str, int]]:
    """The (criterion, points) rows of rubric ``section`` of the instructor guide."""
    text = (GUIDE / f"guide.{lang}.md").read_text(encoding="utf-8")
    start = text.index(f"### {section} ")
    end = text.index("\n### ", start + 5)
    return [(name.strip(), int(p)) for name, p in ROW.findall(text[start:end])]


@pytest.mark.parametrize("section", sorted(TEMPLATES))
def test_group_templates_follow_the_rubric_of_the_guide(section):
    """Each group assignment (作业一, 作业二) has a template in both editions whose
    numbered sections carry, in order, the points of the guide's rubric rows (the rows
    that grade the whole report aside), and the rubric adds up to 100."""
    master = REPO / "source" / "exercises" / f"{TEMPLATES[section]}.ipynb"
    cells = json.loads(master.read_text(encoding="utf-8"))["cells"]
    for lang in ("zh", "en"):
        assert (REPO / "exercises" / lang / master.name).is_file(), lang
        rows = _guide_rubric(lang, section)
        assert sum(p for _name, p in rows) == 100, (lang, rows)
        wanted = [p for name, p in rows if not name.startswith(WHOLE)]
        text = "\n".join(
            "".join(c["source"])
            for c in cells
            if c["cell_type"] == "markdown"
            and c["metadata"].get("crmkit", {}).get("lang") == lang
        )
        shown = [int(points) for _title, points in POINTS.findall(text)]
        assert shown == wanted, (section, lang, shown, wanted)
        whole = 100 - sum(wanted)
        assert f"{whole // 5 * 5}" in text or whole == 0


def test_the_rubric_pages_render_in_both_languages(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "rubrics_tool", REPO / "tools/rubrics.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.main(["--out", str(tmp_path)]) == 0
    for lang, word in (("zh", "评分细则"), ("en", "Criteria")):
        page = (tmp_path / lang / "rubrics.md").read_text(encoding="utf-8")
        assert word in page and "ch06_q8" in page
