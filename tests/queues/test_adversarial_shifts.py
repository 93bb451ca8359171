"""Bad input to shift scheduling gets a clear error naming the argument, the value
and the fix (:func:`tests.adversarial.assert_clear_error`): rules that no shift can
meet are refused before the solver runs, and nothing of the user's is modified."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmkit.errors import ParameterError, TargetError
from crmkit.queues import ShiftBreak, ShiftType, schedule_shifts
from tests.adversarial import assert_clear_error

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.queues.ShiftBreak",
    "crmkit.queues.ShiftType",
    "crmkit.queues.rostered_agents",
    "crmkit.queues.schedule_shifts",
)
EXEMPT = {
    "crmkit.queues.ShiftPlan": "a result, built by schedule_shifts; never by the user",
}


# --- infeasible rules and bad input --------------------------------------------------

FULL = ShiftType("full", 240, range(0, 241, 60), breaks=ShiftBreak(60, 60, 120))
PART = ShiftType("part", 120, range(0, 361, 60), part_time=True)


def test_uncovered_interval_is_named_before_solving():
    shift = ShiftType("late", 120, [240])
    err = assert_clear_error(
        lambda: schedule_shifts([1, 0, 0, 0, 1, 1], 60, [shift]),
        "interval 0 (day 0 00:00)",
        show_value=False,
    )
    assert isinstance(err, TargetError)


def test_max_count_too_low_is_refused_before_solving():
    shift = ShiftType("s", 120, [0], max_count=2)
    err = assert_clear_error(
        lambda: schedule_shifts([3, 1], 60, [shift]), "max_count", 2
    )
    assert isinstance(err, TargetError)
    assert "at most 2 shifts" in str(err)


def test_zero_part_time_share_without_full_time_cover():
    need = [0, 0, 0, 0, 0, 0, 0, 2]  # only part-time shifts reach 07:00
    early = ShiftType("early", 240, range(0, 121, 60))
    with pytest.raises(TargetError, match="no allowed shift"):
        schedule_shifts(need, 60, [early, PART], max_part_time_share=0.0)
    plan = schedule_shifts(need, 60, [early, PART])
    assert plan.agents == 2


def test_conflicting_limits_found_by_the_solver():
    part = ShiftType("part", 120, range(0, 361, 60), part_time=True, min_count=4)
    full = ShiftType("full", 240, [0], max_count=1)
    err = assert_clear_error(
        lambda: schedule_shifts(
            [1, 1, 1, 1], 60, [full, part], max_part_time_share=0.5
        ),
        "max_part_time_share",
        0.5,
    )
    assert isinstance(err, TargetError)
    assert "HiGHS proved it infeasible" in str(err)


def test_min_count_of_a_shift_that_fits_nowhere():
    late = ShiftType("late", 240, [180], min_count=1)
    with pytest.raises(TargetError, match=r"late\.min_count"):
        schedule_shifts([1, 1, 1, 1], 60, [FULL, late])


def test_min_above_max_is_refused():
    err = assert_clear_error(
        lambda: ShiftType("s", 120, [0], min_count=5, max_count=3), "min_count", 5
    )
    assert isinstance(err, ParameterError)
    assert "max_count = 3" in str(err)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"name": ""}, "name"),
        ({"length_minutes": 0}, "s.length_minutes"),
        ({"length_minutes": math.nan}, "s.length_minutes"),
        ({"start_times": "0"}, "s.start_times"),
        ({"start_times": [0, -60]}, "s.start_times"),
        ({"start_times": [0, math.nan]}, "s.start_times"),
        ({"breaks": [30]}, "s.breaks[0]"),
        ({"breaks": ShiftBreak(60, 90)}, "past the end"),
        ({"breaks": ShiftBreak(120, 0)}, "fill the whole"),
        ({"cost_per_hour": -1}, "s.cost_per_hour"),
        ({"paid_hours": 0}, "s.paid_hours"),
        ({"part_time": "yes"}, "s.part_time"),
        ({"min_count": 1.5}, "s.min_count"),
        ({"max_count": -1}, "s.max_count"),
    ],
)
def test_bad_shift_types(kwargs, match):
    args = {"name": "s", "length_minutes": 120, "start_times": [0]} | kwargs
    err = assert_clear_error(lambda: ShiftType(**args), match, show_value=False)
    assert isinstance(err, ParameterError)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"length_minutes": -30}, "length_minutes"),
        ({"earliest_start_minutes": math.inf}, "earliest_start_minutes"),
        ({"latest_start_minutes": 10}, "latest_start_minutes"),
        ({"paid": 1}, "paid"),
    ],
)
def test_bad_breaks(kwargs, match):
    args = {"length_minutes": 30, "earliest_start_minutes": 60} | kwargs
    (value,) = kwargs.values()
    err = assert_clear_error(lambda: ShiftBreak(**args), match, value)
    assert isinstance(err, ParameterError)


SHIFT = ShiftType("s", 120, range(0, 121, 60))


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (([1, -1, 1], 60, [SHIFT]), {}, "required"),
        (([1, math.nan, 1], 60, [SHIFT]), {}, "required"),
        ((["1", 1, 1], 60, [SHIFT]), {}, "required"),
        (("111", 60, [SHIFT]), {}, "required"),
        (([1, 1, 1], 0, [SHIFT]), {}, "interval_minutes"),
        (([1, 1, 1], 45, [SHIFT]), {}, "multiple of interval_minutes"),
        (([1, 1, 1], 60, []), {}, "shift_types"),
        (([1, 1, 1], 60, [SHIFT, SHIFT]), {}, "named 's'"),
        (([1, 1, 1], 60, ["s"]), {}, "shift_types[0]"),
        (([1, 1, 1], 60, [SHIFT]), {"shrinkage": 1.0}, "shrinkage"),
        (([1, 1, 1], 60, [SHIFT]), {"shrinkage": -0.1}, "shrinkage"),
        (([1, 1, 1], 60, [SHIFT]), {"objective": "hours"}, "objective"),
        (([1, 1, 1], 60, [SHIFT]), {"max_part_time_share": 1.5}, "share"),
        (([1, 1, 1], 60, [SHIFT]), {"wrap": "no"}, "wrap"),
        (([1, 1, 1], 60, [SHIFT]), {"time_limit_seconds": -1}, "time_limit"),
        (([1, 1, 1], 60, [SHIFT]), {"mip_rel_gap": 2}, "mip_rel_gap"),
        (([1] * 9000, 15, [SHIFT]), {}, "required"),
        (([1, 1], 60, [ShiftType("w", 240, [0])]), {"wrap": True}, "longer than"),
    ],
)
def test_bad_schedule_arguments(args, kwargs, match):
    assert_clear_error(
        lambda: schedule_shifts(*args, **kwargs), match, show_value=False
    )


def test_too_many_patterns_are_refused_before_allocating():
    every_minute = ShiftType(
        "m", 4000, range(100), breaks=ShiftBreak(10, 0, 3000), repeat_daily=False
    )
    err = assert_clear_error(
        lambda: schedule_shifts([1] * 8000, 1, [every_minute]),
        "shift patterns",
        show_value=False,
    )
    assert "units of work" in str(err)


def test_user_data_is_not_modified():
    need = np.array([1.0, 2.0, 2.0, 1.0])
    series = pd.Series(need.copy())
    schedule_shifts(need, 60, [SHIFT], shrinkage=0.2)
    schedule_shifts(series, 60, [SHIFT], shrinkage=0.2)
    np.testing.assert_array_equal(need, [1.0, 2.0, 2.0, 1.0])
    np.testing.assert_array_equal(series, [1.0, 2.0, 2.0, 1.0])
