"""Bad input to the waiting-cost study gets a clear error naming the argument, the
value and the fix (:func:`tests.adversarial.assert_clear_error`)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crmkit.complaints import (
    TARP_SMALL_LOSS,
    ComplaintScenario,
)
from crmkit.errors import CrmkitError, UnstableQueueError
from crmkit.experiments import (
    ExponentialDissatisfaction,
    LogisticDissatisfaction,
    StepDissatisfaction,
    WaitingCostModel,
    agent_value_curve,
    waiting_cost,
)
from crmkit.queues import MMc, MMcK
from tests.adversarial import NOT_NUMBERS, assert_clear_error

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.experiments.ExponentialDissatisfaction",
    "crmkit.experiments.LogisticDissatisfaction",
    "crmkit.experiments.StepDissatisfaction",
    "crmkit.experiments.WaitingCostModel",
    "crmkit.experiments.agent_value_curve",
    "crmkit.experiments.waiting_cost",
)
EXEMPT = {
    "crmkit.experiments.WaitingCost": "a result only waiting_cost() builds",
    "crmkit.experiments.AgentValueResult": "a result only agent_value_curve() builds",
}

STEP = StepDissatisfaction(tolerance_minutes=1.0, probability=0.3)


def cost_model(curve=STEP, abandoned=0.0, **changes) -> WaitingCostModel:
    args = {
        "margin_per_period": 20.0,
        "discount_rate": 0.01,
        "abandoned_dissatisfaction": abandoned,
        "dissatisfaction": curve,
    }
    args.update(changes)
    return WaitingCostModel(**args)


# ------------------------------------------------------------------ bad input
def build(**changes):
    return cost_model(**changes)


@pytest.mark.parametrize(
    "name, value",
    [
        ("abandoned_dissatisfaction", 1.5),
        ("abandoned_dissatisfaction", -0.1),
        ("abandoned_dissatisfaction", math.nan),
        ("abandoned_dissatisfaction", "0.5"),
        ("margin_per_period", -20.0),
        ("margin_per_period", math.nan),
        ("margin_per_period", "20"),
        ("margin_per_period", math.inf),
        ("discount_rate", 5.0),
        ("discount_rate", -0.1),
        ("discount_rate", "0.1"),
        ("discount_rate", math.nan),
        ("horizon_periods", 0),
        ("horizon_periods", 2.5),
        ("horizon_periods", "12"),
    ],
)
def test_bad_cost_model_numbers(name, value):
    assert_clear_error(lambda: build(**{name: value}), name, value)


@pytest.mark.parametrize("value", ["step", StepDissatisfaction, 0.3, None])
def test_bad_dissatisfaction_curve(value):
    assert_clear_error(lambda: build(curve=value), "dissatisfaction", show_value=False)


@pytest.mark.parametrize("value", ["default", {"complaint_rate": 0.1}, 3])
def test_bad_complaints(value):
    assert_clear_error(lambda: build(complaints=value), "complaints", value)


def test_base_retention_of_one_is_refused():
    scenario = ComplaintScenario(retention=dict(TARP_SMALL_LOSS, no_problem=1.0))
    assert_clear_error(lambda: build(complaints=scenario), "no_problem", 1)


@pytest.mark.parametrize(
    "make, name, value",
    [
        (lambda v: StepDissatisfaction(v, 0.3), "tolerance_minutes", -1.0),
        (lambda v: StepDissatisfaction(1.0, v), "probability", 1.2),
        (lambda v: StepDissatisfaction(1.0, v), "probability", math.nan),
        (lambda v: StepDissatisfaction(v, 0.3), "tolerance_minutes", "1"),
        (lambda v: ExponentialDissatisfaction(v, 0.3), "scale_minutes", 0.0),
        (lambda v: ExponentialDissatisfaction(v, 0.3), "scale_minutes", 1e200),
        (lambda v: ExponentialDissatisfaction(1.0, v), "maximum", 2.0),
        (lambda v: LogisticDissatisfaction(v, 1.0, 0.3), "midpoint_minutes", -3.0),
        (lambda v: LogisticDissatisfaction(1.0, v, 0.3), "scale_minutes", -1.0),
        (lambda v: LogisticDissatisfaction(1.0, 1.0, v), "maximum", True),
    ],
)
def test_bad_curve_parameters(make, name, value):
    assert_clear_error(lambda: make(value), name, value)


@pytest.mark.parametrize("value", [-1.0, math.nan, "2", [1.0, -2.0]])
def test_bad_wait_minutes(value):
    assert_clear_error(
        lambda: STEP.prob_dissatisfied(value), "wait_minutes", show_value=False
    )


@pytest.mark.parametrize("value", [-1.0, math.nan, math.inf, *NOT_NUMBERS[:4]])
def test_bad_calls_per_period(value):
    queue = MMc(1.0, 0.25, 5)
    assert_clear_error(
        lambda: waiting_cost(queue, cost_model(), value), "calls_per_period", value
    )


@pytest.mark.parametrize("value", ["MMc", 3.0, MMc, None])
def test_bad_queue_model(value):
    assert_clear_error(
        lambda: waiting_cost(value, cost_model(), 100), "queue_model", show_value=False
    )


def test_blocking_models_are_refused():
    queue = MMcK(1.0, 0.25, 5, 8)
    assert_clear_error(
        lambda: waiting_cost(queue, cost_model(), 100), "queue_model", show_value=False
    )


@pytest.mark.parametrize("value", [None, "cost", STEP])
def test_bad_cost_model(value):
    queue = MMc(1.0, 0.25, 5)
    assert_clear_error(
        lambda: waiting_cost(queue, value, 100), "cost_model", show_value=False
    )


def curve_call(**changes):
    args = {
        "arrival_rate": 4.0,
        "service_rate": 0.5,
        "abandonment_rate": 0.5,
        "servers_range": range(9, 12),
        "cost_model": cost_model(),
        "agent_cost_per_period": 3_000.0,
        "calls_per_period": 20_000.0,
    }
    args.update(changes)
    return agent_value_curve(**args)


@pytest.mark.parametrize(
    "name, value, shown",
    [
        ("servers_range", [], []),
        ("servers_range", range(5, 5), range(5, 5)),
        ("servers_range", "5-10", "5-10"),
        ("servers_range", 10, 10),
        ("servers_range", [10, 10], [10, 10]),
        ("servers_range", [12, 11], [12, 11]),
        ("servers_range", [0, 1], 0),
        ("servers_range", [9, 9.5], 9.5),
        ("servers_range", [9, "10"], "10"),
        ("servers_range", [9, math.nan], math.nan),
        ("servers_range", range(1, 10**12), 10**12 - 1),
        ("servers_range", np.ones((2, 2)), None),
        ("agent_cost_per_period", -1.0, -1.0),
        ("agent_cost_per_period", math.nan, math.nan),
        ("agent_cost_per_period", "3000", "3000"),
        ("calls_per_period", -5.0, -5.0),
        ("arrival_rate", -4.0, -4.0),
        ("arrival_rate", math.nan, math.nan),
        ("service_rate", "0.5", "0.5"),
        ("abandonment_rate", 0.0, 0.0),
        ("cost_model", "model", "model"),
    ],
)
def test_bad_agent_value_curve_input(name, value, shown):
    assert_clear_error(
        lambda: curve_call(**{name: value}), name, shown, show_value=shown is not None
    )


def test_unstable_mmc_start_names_the_smallest_stable_level():
    err = assert_clear_error(
        lambda: curve_call(abandonment_rate=None, servers_range=range(6, 12)),
        "servers_range",
        show_value=False,
    )
    assert isinstance(err, UnstableQueueError)
    assert "start it at 9" in str(err)
    assert issubclass(UnstableQueueError, CrmkitError)
