"""``erlang_queue``, the one choice between Erlang C and Erlang A: bad input is refused
by name, and the model it builds is the one built directly."""

from __future__ import annotations

import math

import pytest

from crmkit.errors import UnstableQueueError
from crmkit.queues import ErlangA, MMc, erlang_queue
from tests.adversarial import assert_clear_error

pytestmark = pytest.mark.adversarial

COVERS = ("crmkit.queues.erlang_queue",)

GOOD = {"arrival_rate": 9.5, "service_rate": 1.0, "servers": 10}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("arrival_rate", -1.0),
        ("arrival_rate", math.nan),
        ("arrival_rate", "9.5"),
        ("service_rate", 0.0),
        ("servers", 2.5),
        ("servers", 0),
        ("abandonment_rate", -0.1),
        ("abandonment_rate", math.inf),
        ("abandonment_rate", "fast"),
    ],
)
def test_bad_arguments_are_refused_by_name(name, value):
    assert_clear_error(lambda: erlang_queue(**{**GOOD, name: value}), name, value)


def test_patient_callers_need_more_servers_than_the_load():
    with pytest.raises(UnstableQueueError, match="at least 10 servers"):
        erlang_queue(9.5, 1.0, 9)
    assert isinstance(erlang_queue(9.5, 1.0, 9, abandonment_rate=0.5), ErlangA)


def test_it_builds_the_model_built_directly():
    assert erlang_queue(**GOOD) == MMc(**GOOD)
    assert erlang_queue(**GOOD, abandonment_rate=0.5) == ErlangA(
        **GOOD, abandonment_rate=0.5
    )
    assert erlang_queue(**GOOD).mean_wait == pytest.approx(1.6512, abs=5e-5)
