"""Bad input to time-varying staffing (offered load, SIPP, lagged SIPP, ISA) and to the
simulated day is refused with a crmkit error naming the argument."""

from __future__ import annotations

import math

import pytest

from crmkit.errors import CrmkitError, DataError, ParameterError, TargetError
from crmkit.queues import (
    Deterministic,
    isa_staffing,
    lagged_sipp_staffing,
    offered_load,
    simulate_day,
    sipp_staffing,
)

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.queues.isa_staffing",
    "crmkit.queues.lagged_sipp_staffing",
    "crmkit.queues.offered_load",
    "crmkit.queues.simulate_day",
    "crmkit.queues.sipp_staffing",
)
EXEMPT = {
    "crmkit.queues.OfferedLoad": "a result, built by offered_load; never by the user",
    "crmkit.queues.StaffingPlan": "a result, built by the staffing functions",
    "crmkit.queues.DaySimulation": "a result, built by simulate_day; never by the user",
}


# ---------------------------------------------------------------- bad input
GOOD = {"arrival_rates": [1.0, 2.0], "interval_minutes": 30, "service_rate": 0.25}


def _call(func, **changes):
    kw = {**GOOD, **changes}
    if func is simulate_day:
        kw.setdefault("staffing", [10, 10])
        kw.setdefault("replications", 2)
    elif func is not offered_load and not {"service_level", "within"} & set(changes):
        kw.setdefault("delay_probability", 0.2)
    if func is isa_staffing:
        kw.setdefault("replications", 2)
    return func(**kw)


ALL = [sipp_staffing, lagged_sipp_staffing, isa_staffing, simulate_day, offered_load]


@pytest.mark.parametrize("func", ALL)
@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"arrival_rates": [1.0, -2.0]}, ParameterError, "arrival_rates"),
        ({"arrival_rates": [1.0, math.nan]}, ParameterError, "NaN"),
        ({"arrival_rates": [1.0, "2"]}, ParameterError, "arrival_rates"),
        ({"arrival_rates": "1, 2"}, ParameterError, "arrival_rates"),
        ({"arrival_rates": []}, DataError, "demand"),
        ({"arrival_rates": [0.0, 0.0]}, DataError, "no demand"),
        ({"arrival_rates": [1.0, math.inf]}, ParameterError, "infinite"),
        ({"interval_minutes": 0}, ParameterError, "interval_minutes"),
        ({"interval_minutes": -15}, ParameterError, "interval_minutes"),
        ({"interval_minutes": math.nan}, ParameterError, "interval_minutes"),
        ({"service_rate": 0}, ParameterError, "service_rate"),
        ({"arrival_rates": [1.0] * 20_001}, ParameterError, "20,000"),
    ],
)
def test_bad_day_is_refused(func, changes, error, words):
    with pytest.raises(error, match=words) as info:
        _call(func, **changes)
    assert isinstance(info.value, CrmkitError)


@pytest.mark.parametrize("func", [sipp_staffing, lagged_sipp_staffing, isa_staffing])
@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"delay_probability": 0.0}, "delay_probability"),
        ({"delay_probability": 1.0}, "delay_probability"),
        ({"delay_probability": 20}, "delay_probability"),
        ({"delay_probability": "0.2"}, "delay_probability"),
        ({"service_level": 80, "within": 0.3}, "service_level"),
        ({"service_level": 0.8}, "within"),
        ({"service_level": 0.8, "within": -1}, "within"),
        ({"service_level": 0.8, "within": 0.2, "delay_probability": 0.2}, "either"),
        ({"abandonment_rate": -1}, "abandonment_rate"),
    ],
)
def test_bad_target_is_refused(func, changes, words):
    with pytest.raises(ParameterError, match=words):
        _call(func, **changes)


def test_no_target_is_refused():
    with pytest.raises(TargetError, match="pass a target"):
        sipp_staffing([1.0], 30, 0.25)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"staffing": [10]}, "staffing has 1 entries but arrival_rates has 2"),
        ({"staffing": [10, -1]}, "staffing"),
        ({"staffing": [10, 2.5]}, "whole"),
        ({"staffing": [0, 0]}, "no server"),
        ({"staffing": 10}, "staffing"),
        ({"replications": 1}, "replications"),
        ({"replications": 10**6}, "replications"),
        ({"arrival_rates": [1e4, 1e4], "replications": 100}, "work"),
        ({"within": -0.5}, "within"),
        ({"abandonment_rate": 0}, "abandonment_rate"),
        ({"seed": -3}, "seed"),
    ],
)
def test_bad_simulation_is_refused(changes, words):
    with pytest.raises(ParameterError, match=words):
        _call(simulate_day, **changes)


def test_isa_specific_refusals():
    with pytest.raises(TargetError, match="exponential service only"):
        _call(isa_staffing, service_level=0.8, within=0.3, service=Deterministic(4.0))
    with pytest.raises(ParameterError, match="max_rounds"):
        _call(isa_staffing, max_rounds=0)
    with pytest.raises(ParameterError, match="work"):
        _call(isa_staffing, arrival_rates=[50.0, 50.0], replications=5_000)
    with pytest.raises(ParameterError, match="levels"):
        _call(
            isa_staffing,
            arrival_rates=[5e3] * 40,
            service_rate=1.0,
            service_level=0.8,
            within=0.1,
        )


def test_offered_load_and_day_result_refusals():
    with pytest.raises(ParameterError, match="start"):
        offered_load([1.0], 30, 0.25, start="full")
    load = offered_load([1.0], 30, 0.25)
    with pytest.raises(ParameterError, match="after the end of the day"):
        load.at(31.0)
    with pytest.raises(ParameterError, match="t "):
        load.at(-1.0)
    day = _call(simulate_day)
    with pytest.raises(ParameterError, match="metric"):
        day.metric("waiting")
