"""Bad input to skills-based routing (:class:`~crmkit.queues.CustomerClass`,
:class:`~crmkit.queues.AgentGroup`, :class:`~crmkit.queues.SkillsModel`,
:func:`~crmkit.queues.simulate_skills`, :func:`~crmkit.queues.chaining_study`) gets
a clear error (:func:`tests.adversarial.assert_clear_error`); requests above the work
limits are refused before anything is drawn, so those tests return at once."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

from crmkit.errors import UnstableQueueError
from crmkit.queues import (
    AgentGroup,
    CustomerClass,
    Exponential,
    PoissonArrivals,
    SkillsModel,
    chaining_study,
    simulate_skills,
)
from tests.adversarial import (
    BAD_POSITIVE,
    NOT_NUMBERS,
    assert_clear_error,
    bad_numbers,
    stable_id,
)

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.queues.AgentGroup",
    "crmkit.queues.CustomerClass",
    "crmkit.queues.SkillsModel",
    "crmkit.queues.chaining_study",
    "crmkit.queues.simulate_skills",
)
EXEMPT = {
    "crmkit.queues.SkillsSimulation": "a result, built by simulate_skills; never by "
    "the user",
    "crmkit.queues.ChainingStudy": "a result, built by chaining_study; never by the "
    "user",
}

A, B = CustomerClass("a", 1.0), CustomerClass("b", 0.5)
GROUP = AgentGroup("g", 3, {"a": 1.0, "b": 2.0})
MODEL = SkillsModel([A, B], [GROUP])


def _shown(value):
    return value is not None and not isinstance(value, dict | list | bytes | complex)


class _Negative:
    """A user-written distribution that draws negative times."""

    mean = 1.0
    scv = 1.0

    def sample(self, rng, size):
        return -np.ones(size)


CLASS_CASES = [
    *[(lambda v=v: CustomerClass(v, 1.0), "name", v) for v in ("", "  ", 3, None)],
    *[(lambda v=v: CustomerClass("a", v), "arrival_rate", v)
      for v in [*BAD_POSITIVE, *NOT_NUMBERS, 1e308]],
    (lambda: CustomerClass("a", 1.0, patience="long"), "patience", "long"),
    (lambda: CustomerClass("a", 1.0, patience=Exponential), "patience", None),
    (lambda: CustomerClass("a", 1.0, patience=PoissonArrivals(1.0)), "patience", None),
]  # fmt: skip


@pytest.mark.parametrize(("call", "name", "value"), CLASS_CASES, ids=stable_id)
def test_customer_class_refuses(call, name, value):
    assert_clear_error(call, name, value, show_value=_shown(value))


@settings(max_examples=30, deadline=None)
@given(rate=bad_numbers())
def test_customer_class_refuses_any_bad_rate(rate):
    assert_clear_error(lambda: CustomerClass("a", rate), "arrival_rate", rate,
                       show_value=False)  # fmt: skip


GROUP_CASES = [
    (lambda: AgentGroup("", 1, {"a": 1.0}), "name", ""),
    *[(lambda v=v: AgentGroup("g", v, {"a": 1.0}), "agents", v)
      for v in (0, -1, 2.5, "3", None, math.nan, 10**7)],
    (lambda: AgentGroup("g", 1, {}), "skills", None),
    (lambda: AgentGroup("g", 1, "a"), "skills", "a"),
    (lambda: AgentGroup("g", 1, [("a", 1.0)]), "skills", None),
    (lambda: AgentGroup("g", 1, {f"c{i}": 1.0 for i in range(101)}), "skills", None),
    *[(lambda v=v: AgentGroup("g", 1, {"a": v}), "skills['a']", v)
      for v in (-1.0, 0.0, math.nan, math.inf, 1e308)],
    (lambda: AgentGroup("g", 1, {"a": "fast"}), "skills['a']", "fast"),
    (lambda: AgentGroup("g", 1, {"a": True}), "skills['a']", True),
    (lambda: AgentGroup("g", 1, {3: 1.0}), "skills", 3),
    (lambda: AgentGroup("g", 1, {"a": 1.0}, priorities=["b"]), "priorities", None),
    (lambda: AgentGroup("g", 1, {"a": 1.0, "b": 1.0}, priorities=["a", "a"]),
     "priorities", None),
    (lambda: AgentGroup("g", 1, {"a": 1.0}, priorities="a"), "priorities", "a"),
    (lambda: AgentGroup("g", 1, {"a": 1.0}, priorities=[3]), "priorities", 3),
]  # fmt: skip


@pytest.mark.parametrize(("call", "name", "value"), GROUP_CASES, ids=stable_id)
def test_agent_group_refuses(call, name, value):
    assert_clear_error(call, name, value, show_value=_shown(value))


MODEL_CASES = [
    (lambda: SkillsModel([], [GROUP]), "classes", None),
    (lambda: SkillsModel("ab", [GROUP]), "classes", "ab"),
    (lambda: SkillsModel([A, 1.0], [GROUP]), "classes[1]", 1.0),
    (lambda: SkillsModel([A, CustomerClass], [GROUP]), "classes[1]", None),
    (lambda: SkillsModel([A, A], [GROUP]), "classes", "a"),
    (lambda: SkillsModel([A, B], []), "groups", None),
    (lambda: SkillsModel([A, B], GROUP), "groups", None),
    (lambda: SkillsModel([A, B], [GROUP, GROUP]), "groups", "g"),
    (lambda: SkillsModel([A, B], [{"a": 1.0}]), "groups[0]", None),
    (lambda: SkillsModel([A], [GROUP]), "groups[0]", "b"),
    (lambda: SkillsModel([A, B], [AgentGroup("g", 3, {"a": 1.0})]), "classes", "b"),
    (lambda: SkillsModel([A, B], [GROUP], routing="fifo"), "routing", "fifo"),
    (lambda: SkillsModel([A, B], [GROUP], routing=None), "routing", None),
    (lambda: SkillsModel([A], [AgentGroup("g", 10**6, {"a": 1.0}),
                               AgentGroup("h", 10**6, {"a": 1.0})]), "agents", 2 * 10**6),
]  # fmt: skip


@pytest.mark.parametrize(("call", "name", "value"), MODEL_CASES, ids=stable_id)
def test_skills_model_refuses(call, name, value):
    assert_clear_error(call, name, value, show_value=_shown(value))


def test_an_overloaded_patient_class_is_unstable_but_an_impatient_one_is_not():
    heavy = CustomerClass("a", 5.0)
    err = assert_clear_error(
        lambda: SkillsModel([heavy], [AgentGroup("g", 4, {"a": 1.0})]),
        "classes that never abandon",
        show_value=False,
    )
    assert isinstance(err, UnstableQueueError) and "1.25" in str(err)
    impatient = CustomerClass("a", 5.0, patience=Exponential(1.0))
    m = SkillsModel([impatient, B], [AgentGroup("g", 4, {"a": 1.0, "b": 1.0})])
    assert m.static_utilization > 1.0  # allowed: class a sheds its excess


SIM_CASES = [
    (lambda: simulate_skills("m"), "model", "m"),
    (lambda: simulate_skills(SkillsModel), "model", None),
    *[(lambda v=v: simulate_skills(MODEL, customers=v), "customers", v)
      for v in (0, 1, 2.5, "100", None, math.nan, 10**8)],
    *[(lambda v=v: simulate_skills(MODEL, customers=100, warmup=v), "warmup", v)
      for v in (-1, 2.5, "5", 99, 100)],
    *[(lambda v=v: simulate_skills(MODEL, replications=v), "replications", v)
      for v in (0, 1, 2.5, "3", 10**5)],
    *[(lambda v=v: simulate_skills(MODEL, within=v), "within", v)
      for v in (-1.0, math.nan, math.inf, "0.3")],
    *[(lambda v=v: simulate_skills(MODEL, customers=100, seed=v), "seed", v)
      for v in (-1, "1", 1.5)],
    (lambda: simulate_skills(MODEL, customers=10**7, replications=10),
     "simulate_skills", None),
    (lambda: simulate_skills(
        SkillsModel([A], [AgentGroup(f"g{i}", 1, {"a": 1.0}) for i in range(100)]),
        customers=10**6, replications=2), "groups of service times", None),
    (lambda: simulate_skills(
        SkillsModel([A], [AgentGroup("g", 2, {"a": _Negative()})]), customers=100,
        replications=2, seed=1), "service", None),
]  # fmt: skip


@pytest.mark.parametrize(("call", "name", "value"), SIM_CASES, ids=stable_id)
def test_simulate_skills_refuses(call, name, value):
    assert_clear_error(call, name, value, show_value=_shown(value))


STUDY_CASES = [
    *[(lambda v=v: chaining_study(classes=v), "classes", v)
      for v in (1, 0, 2.5, "4", None, 101)],
    *[(lambda v=v: chaining_study(agents_per_group=v), "agents_per_group", v)
      for v in (0, -2, 2.5, "5", 10**6)],
    *[(lambda v=v: chaining_study(arrival_rate=v), "arrival_rate", v)
      for v in (-1.0, 0.0, math.nan, "4", None)],
    (lambda: chaining_study(arrival_rate=[1.0, 2.0]), "arrival_rate", None),
    (lambda: chaining_study(arrival_rate=[1.0, math.nan, 1.0, 1.0]),
     "arrival_rate", None),
    (lambda: chaining_study(arrival_rate=[1.0, 0.0, 1.0, 1.0]),
     "arrival_rate[1]", 0.0),
    *[(lambda v=v: chaining_study(mean_service=v), "mean_service", v)
      for v in (0.0, -1.0, math.inf, "1")],
    (lambda: chaining_study(patience="short"), "patience", "short"),
    (lambda: chaining_study(routing="random"), "routing", "random"),
    (lambda: chaining_study(replications=1), "replications", 1),
    (lambda: chaining_study(customers=10**7, replications=2), "chaining_study", None),
    (lambda: chaining_study(customers=100, warmup=100), "warmup", 100),
    (lambda: chaining_study(arrival_rate=6.0, customers=100), "never abandon", None),
    (lambda: chaining_study(seed="x"), "seed", "x"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "name", "value"), STUDY_CASES, ids=stable_id)
def test_chaining_study_refuses(call, name, value):
    assert_clear_error(call, name, value, show_value=_shown(value))


@pytest.fixture(scope="module")
def result():
    return simulate_skills(MODEL, customers=200, replications=2, seed=1)


RESULT_CASES = [
    (lambda r: r.estimate("wait"), "metric", "wait"),
    (lambda r: r.estimate("mean_wait", "nobody"), "name", "nobody"),
    (lambda r: r.estimate("mean_wait", "g"), "name", "g"),
    (lambda r: r.interval("occupancy", "a"), "name", "a"),
    (lambda r: r.interval("occupancy"), "occupancy", None),
    (lambda r: r.estimate(3), "metric", 3),
]


@pytest.mark.parametrize(("call", "name", "value"), RESULT_CASES, ids=stable_id)
def test_result_lookups_refuse(result, call, name, value):
    assert_clear_error(lambda: call(result), name, value, show_value=_shown(value))
