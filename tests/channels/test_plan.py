"""The interaction planner: the course's steps and tables as data (compared with the
course documents when they are present), costs by hand, KPIs and the goal checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmkit.channels import (
    DESIGN_STEPS,
    EXPECTATIONS,
    GOAL_RULES,
    SHARED,
    interaction_plan,
)
from tests.conftest import REPO

COURSE = REPO.parent / "shared" / "course"
DOC_000 = COURSE / "000_62a70e41894457f5.txt"
DOC_004 = COURSE / "004_cfec776d91f149f0.txt"

GOALS = pd.DataFrame(
    {
        "goal": ["more sales", "new customers", "brand"],
        "audience": ["key accounts", "students", "all"],
        "stage": ["maturity", "acquisition", None],
        "kpi": ["orders", "new accounts", "recall"],
        "target": [60, 40, None],
        "deadline": ["2015-03-31", "2015-03-31", None],
    }
)
TASKS = pd.DataFrame(
    [
        (SHARED, "broadband", "-", "e-mail", 0, 1, 10.0),
        (SHARED, "data", "-", "e-mail", 0, 1, 5.0),
        ("more sales", "rate-table mail", "rates", "e-mail", 2, 400, 0.05),
        ("more sales", "follow-up call", "offer", "phone", 1, 30, 4.0),
        ("new customers", "welcome mail", "offer", "e-mail", 2, 3000, 0.01),
    ],
    columns=["goal", "task", "content", "channel", "per_month", "units", "unit_cost"],
)


def _text(path):
    if not path.exists():
        pytest.skip(f"the course documents are not beside the repository ({path})")
    return path.read_text(encoding="utf-8")


def test_costs_kpis_and_totals_by_hand():
    plan = interaction_plan(GOALS, TASKS, available=200)
    # by hand: shared 10 + 5; sales 400 × 0.05 + 30 × 4 = 140; new 3000 × 0.01 = 30
    assert plan.total == pytest.approx(185.0, abs=1e-12)
    assert plan.kpis["cost"].tolist() == pytest.approx([140.0, 30.0, 0.0], abs=1e-12)
    per_target = plan.kpis["cost_per_target"]
    assert per_target.iloc[:2].tolist() == pytest.approx([140 / 60, 30 / 40])
    assert np.isnan(per_target.iloc[2])  # no target, no cost per unit of it
    assert plan.within_budget is True
    assert plan.budget.attrs["total"] == plan.total
    assert "cost 185 of 200 available" in repr(plan)


def test_the_table_keeps_the_steps_in_the_courses_order():
    table = interaction_plan(GOALS, TASKS).table
    steps = ["audience", "goal", "content", "cost", "channel", "kpi"]
    positions = [table.columns.get_loc(c) for c in steps]
    assert positions == sorted(positions)
    assert table["audience"].tolist() == [
        "all",
        "all",
        *["key accounts"] * 2,
        "students",
    ]
    assert table["per_month"].tolist() == [0, 0, 2, 1, 2]
    assert table.loc[4, "stage"] == "acquisition"
    assert table.loc[2, "deadline"] == pd.Timestamp("2015-03-31")


def test_checks_report_vague_open_ended_and_unaffordable_goals():
    plan = interaction_plan(GOALS, TASKS, available=150)
    checks = plan.checks
    assert list(checks["rule"]) == [v[0] for v in GOAL_RULES.values()]
    assert checks.loc["specific", "ok"] is False
    assert "brand" in checks.loc["specific", "note"]
    assert checks.loc["deadline", "ok"] is False
    assert checks.loc["achievable", "ok"] is False
    assert "35 over" in checks.loc["achievable", "note"]
    assert checks.loc["consistent", "ok"] is None  # a judgement, not computed
    assert plan.within_budget is False
    clear = interaction_plan(GOALS.iloc[:2], TASKS.iloc[:4])
    assert clear.checks.loc["specific", "ok"] is True
    assert clear.checks.loc["achievable", "ok"] is None  # no money given
    assert clear.within_budget is None


def test_the_inputs_are_not_changed():
    goals, tasks = GOALS.copy(), TASKS.copy()
    interaction_plan(GOALS, TASKS, available=10)
    pd.testing.assert_frame_equal(GOALS, goals)
    pd.testing.assert_frame_equal(TASKS, tasks)


def test_optional_goal_columns_may_be_absent():
    plan = interaction_plan(GOALS[["goal", "audience", "kpi"]], TASKS)
    assert plan.kpis["target"].isna().all()
    assert plan.checks.loc["specific", "ok"] is False
    assert plan.table["stage"].isna().all()


def test_course_document_004_has_the_design_steps_in_order():
    text = _text(DOC_004)
    part = text.split("四、客户互动设计", 1)[1]
    first_five = [zh for zh, _ in list(DESIGN_STEPS.values())[:5]]
    where = [part.find(step) for step in first_five]
    assert -1 not in where, dict(zip(first_five, where, strict=True))
    assert where == sorted(where)
    for label, step in zip(
        ["1、", "2、", "3、", "4、", "五、"], first_five, strict=True
    ):
        assert label + step in part
    for rule, _ in GOAL_RULES.values():
        assert rule in part


def test_course_document_000_has_the_evaluation_step_and_the_expectations():
    text = _text(DOC_000)
    assert DESIGN_STEPS["evaluation"][0] in text
    for stage, basic, latent in EXPECTATIONS.values():
        assert stage in text
        # the scraped table breaks cells across lines: check each piece
        for cell in (basic, latent):
            for piece in cell.split("，"):
                assert _in_pieces(piece, text), (stage, piece)


def _in_pieces(phrase: str, text: str) -> bool:
    """Whether ``phrase`` is made of runs of >= 2 characters that each occur in
    ``text`` (a scraped table cell broken across lines)."""
    i = 0
    while i < len(phrase):
        j = len(phrase)
        while j - i >= 2 and phrase[i:j] not in text:
            j -= 1
        if j - i < 2:
            return False
        i = j
    return True
