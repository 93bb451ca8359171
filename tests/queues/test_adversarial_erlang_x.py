"""Bad input to ErlangX and to staffing with a blocking target is refused with a crmkit
error that names the argument, shows the value and says how to fix it."""

from __future__ import annotations

import math

import pytest

from crmkit.errors import ParameterError, TargetError, UnstableQueueError
from crmkit.queues import ErlangX, _erlang_x, staff

pytestmark = pytest.mark.adversarial

COVERS = ("crmkit.queues.ErlangX",)


GOOD = {"arrival_rate": 4.0, "service_rate": 1.0, "servers": 4, "abandonment_rate": 0.5}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("arrival_rate", -1.0),
        ("arrival_rate", math.nan),
        ("arrival_rate", "4"),
        ("service_rate", 0.0),
        ("servers", 2.5),
        ("servers", 0),
        ("abandonment_rate", -0.1),
        ("abandonment_rate", math.nan),
        ("abandonment_rate", "fast"),
        ("lines", 3),  # fewer than the servers
        ("lines", True),
        ("redial_prob", 1.5),
        ("redial_prob", -0.1),
        ("redial_prob", math.nan),
        ("redial_delay", -2.0),
        ("redial_delay", "5"),
    ],
)
def test_bad_arguments_are_refused_by_name(name, value):
    args = {**GOOD, "lines": 6, "redial_prob": 0.5, "redial_delay": 2.0, name: value}
    with pytest.raises(ParameterError, match=f"^{name} ") as info:
        ErlangX(**args)
    assert repr(value) in str(info.value) or str(value) in str(info.value)
    assert "pass" in str(info.value) or "round" in str(info.value)


def test_redials_need_a_delay():
    with pytest.raises(
        ParameterError, match=r"redial_prob = 0.5 > 0 needs redial_delay"
    ):
        ErlangX(**GOOD, lines=6, redial_prob=0.5)


def test_patient_callers_on_unlimited_lines_must_be_stable():
    with pytest.raises(UnstableQueueError, match="at least 5 servers"):
        ErlangX(4.5, 1.0, 4, 0.0)
    with pytest.raises(UnstableQueueError):
        ErlangX(4.0, 1.0, 4, 0.0, redial_prob=0.5, redial_delay=1.0)


def test_certain_redials_are_refused():
    with pytest.raises(ParameterError, match=r"redial_prob = 1\.0"):
        ErlangX(**GOOD, lines=6, redial_prob=1.0, redial_delay=2.0)


def test_too_large_state_spaces_are_refused_before_solving():
    with pytest.raises(
        ParameterError, match=r"states, more than the 400,000.*simulation"
    ):
        ErlangX(200.0, 1.0, 200, 0.2, lines=400, redial_prob=0.5, redial_delay=5.0)
    with pytest.raises(ParameterError, match="lines=None"):
        ErlangX(1e6, 1.0, 10, 1e-3)
    with pytest.raises(ParameterError, match="t = "):
        ErlangX(**GOOD, lines=6).service_level(-1.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_blocking": 0.0}, "max_blocking"),
        ({"max_blocking": 1.2}, "max_blocking"),
        ({"max_blocking": "1%"}, "max_blocking"),
        ({"max_blocking": 0.01, "mean_wait": 1.0}, "extra_lines"),
        ({"max_blocking": 0.01, "abandonment_rate": 1.0}, "extra_lines"),
        ({"max_blocking": 0.01, "extra_lines": -1}, "extra_lines"),
        ({"extra_lines": 2}, "at least one target"),
    ],
)
def test_bad_blocking_targets_are_refused(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        staff(8.0, 1.0, **kwargs)


def test_blocking_without_lines_names_the_fix():
    with pytest.raises(TargetError, match="pass extra_lines"):
        staff(8.0, 1.0, max_blocking=0.01, service_level=0.8, within=0.2)


def test_a_chain_with_mass_on_its_last_level_is_refused(monkeypatch):
    monkeypatch.setattr(_erlang_x, "_EDGE_CHECK", 0.0)
    with pytest.raises(ParameterError, match=r"edge of its truncation.*simulation"):
        ErlangX(**GOOD, lines=6, redial_prob=0.5, redial_delay=2.0)
