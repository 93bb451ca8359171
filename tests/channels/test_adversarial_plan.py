"""Bad input to the planners (:func:`crmkit.channels.interaction_plan`,
:func:`crmkit.channels.activity_plan`) gets a clear error that names the argument,
shows the value and says how to fix it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from crmkit.channels import SHARED, activity_plan, interaction_plan
from tests.adversarial import NOT_NUMBERS, assert_clear_error

pytestmark = pytest.mark.adversarial

COVERS = ("crmkit.channels.activity_plan", "crmkit.channels.interaction_plan")
EXEMPT = {
    "crmkit.channels.ActivityPlan": "a result activity_plan builds",
    "crmkit.channels.InteractionPlan": "a result interaction_plan builds",
}

ACTS = pd.DataFrame(
    {
        "activity": ["fair", "live"],
        "type": ["exhibition", "live_stream"],
        "budget": [8000.0, 2000.0],
        "reach": [4000, 20000],
        "conversion_rate": [0.02, 0.005],
        "value": [150.0, 120.0],
        "start": ["2024-05-10", "2024-05-18"],
        "end": ["2024-05-12", "2024-05-18"],
    }
)
GOALS = pd.DataFrame(
    {"goal": ["sales"], "audience": ["students"], "kpi": ["orders"], "target": [40]}
)
TASKS = pd.DataFrame(
    {
        "goal": ["sales", SHARED],
        "task": ["mail", "broadband"],
        "content": ["rates", "-"],
        "channel": ["e-mail", "e-mail"],
        "per_month": [2, 0],
        "units": [100, 1],
        "unit_cost": [0.1, 10.0],
    }
)


def _acts(column, value, row=1):
    frame = ACTS.copy()
    frame[column] = frame[column].astype(object)
    frame.loc[row, column] = value
    return frame


@pytest.mark.parametrize("value", [-1.0, math.nan, math.inf])
def test_negative_or_missing_budget(value):
    assert_clear_error(
        lambda: activity_plan(_acts("budget", value)), "activities['budget']", value
    )


@pytest.mark.parametrize("value", [1.5, -0.1, 80])
def test_conversion_rate_outside_0_1(value):
    assert_clear_error(
        lambda: activity_plan(_acts("conversion_rate", value)),
        "activities['conversion_rate']",
        value,
    )


@pytest.mark.parametrize("value", ["3", True, None])
def test_reach_that_is_not_a_number(value):
    assert_clear_error(
        lambda: activity_plan(_acts("reach", value)),
        "activities['reach']",
        show_value=False,
    )


def test_end_before_start():
    err = assert_clear_error(
        lambda: activity_plan(_acts("end", "2024-05-01")),
        "activities['end']",
        "2024-05-01",
    )
    assert "'live'" in str(err) and "2024-05-18" in str(err)


@pytest.mark.parametrize("value", ["next Tuesday", "2024-13-45", 20240518])
def test_unparsable_dates(value):
    assert_clear_error(
        lambda: activity_plan(_acts("start", value)),
        "activities['start']",
        value,
    )


@pytest.mark.parametrize("column", ["budget", "reach", "type", "start"])
def test_missing_column(column):
    assert_clear_error(
        lambda: activity_plan(ACTS.drop(columns=column)), "activities", column
    )


def test_unknown_type_repeated_name_and_missing_name():
    assert_clear_error(
        lambda: activity_plan(_acts("type", "billboard")),
        "activities['type']",
        "billboard",
    )
    assert_clear_error(
        lambda: activity_plan(_acts("activity", "fair")),
        "activities['activity']",
        "fair",
    )
    assert_clear_error(
        lambda: activity_plan(_acts("activity", None)),
        "activities['activity']",
        show_value=False,
    )


@pytest.mark.parametrize("value", [-1.0, math.nan, *NOT_NUMBERS[:4]])
def test_bad_available(value):
    assert_clear_error(
        lambda: activity_plan(ACTS, available=value), "available", show_value=False
    )
    assert_clear_error(
        lambda: interaction_plan(GOALS, TASKS, available=value),
        "available",
        show_value=False,
    )


def test_over_budget_choice_and_not_a_frame():
    assert_clear_error(
        lambda: activity_plan(ACTS, over_budget="warn"), "over_budget", "warn"
    )
    assert_clear_error(lambda: activity_plan(ACTS.to_dict()), "activities", "dict")
    err = assert_clear_error(
        lambda: activity_plan(ACTS, available=9000, over_budget="raise"),
        "available",
        9000,
    )
    assert "'fair'" in str(err)


def test_huge_money_is_refused():
    assert_clear_error(
        lambda: activity_plan(_acts("reach", 1e308).assign(value=1e308)),
        "activities",
        show_value=False,
    )


def _goals(column, value):
    frame = GOALS.copy()
    frame[column] = frame[column].astype(object)
    frame.loc[0, column] = value
    return frame


@pytest.mark.parametrize(
    ("column", "value"),
    [("target", -5.0), ("target", "forty"), ("deadline", "someday"), ("stage", "teen")],
)
def test_bad_goal_entries(column, value):
    frame = GOALS.assign(deadline="2015-03-31", stage="growth")
    frame[column] = frame[column].astype(object)
    frame.loc[0, column] = value
    assert_clear_error(
        lambda: interaction_plan(frame, TASKS), f"goals[{column!r}]", value
    )


@pytest.mark.parametrize("column", ["goal", "audience", "kpi"])
def test_goals_missing_column_or_entry(column):
    assert_clear_error(
        lambda: interaction_plan(GOALS.drop(columns=column), TASKS), "goals", column
    )
    assert_clear_error(
        lambda: interaction_plan(_goals(column, None), TASKS),
        f"goals[{column!r}]",
        show_value=False,
    )


def test_repeated_or_reserved_goal():
    twice = pd.concat([GOALS, GOALS], ignore_index=True)
    assert_clear_error(lambda: interaction_plan(twice, TASKS), "goals['goal']", "sales")
    assert_clear_error(
        lambda: interaction_plan(_goals("goal", SHARED), TASKS), "goals['goal']", SHARED
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [("units", -1.0), ("unit_cost", math.nan), ("per_month", -2.0), ("goal", "fame")],
)
def test_bad_task_entries(column, value):
    frame = TASKS.copy()
    frame[column] = frame[column].astype(object)
    frame.loc[0, column] = value
    assert_clear_error(
        lambda: interaction_plan(GOALS, frame), f"tasks[{column!r}]", value
    )


@pytest.mark.parametrize("column", ["content", "channel", "per_month", "unit_cost"])
def test_tasks_missing_column(column):
    assert_clear_error(
        lambda: interaction_plan(GOALS, TASKS.drop(columns=column)), "tasks", column
    )
