"""Bad input to the chat and blending models is refused with a crmkit error that names
the argument and the value and says what to pass instead."""

from __future__ import annotations

import math

import pytest

from crmkit.errors import ParameterError, UnstableQueueError
from crmkit.queues import Blending, ChatQueue

pytestmark = pytest.mark.adversarial

COVERS = ("crmkit.queues.Blending", "crmkit.queues.ChatQueue")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"arrival_rate": -1.0}, "arrival_rate"),
        ({"arrival_rate": math.nan}, "arrival_rate = nan"),
        ({"arrival_rate": "2"}, "is a str"),
        ({"handle_times": []}, "handle_times is empty"),
        ({"handle_times": [3.0, 0.0]}, r"handle_times\[1\]"),
        ({"handle_times": [3.0, -2.0]}, r"handle_times\[1\]"),
        ({"handle_times": "3"}, "not a sequence"),
        ({"handle_times": 3.0}, "not a sequence"),
        ({"handle_times": [3.0, "x"]}, r"handle_times\[1\]"),
        ({"agents": 0}, "agents"),
        ({"agents": 2.5}, "whole number"),
        ({"abandonment_rate": -0.1}, "abandonment_rate"),
        ({"abandonment_rate": math.nan}, "abandonment_rate"),
        ({"routing": "random"}, "routing"),
        ({"agents": 2000, "handle_times": [1.0, 1.0]}, "routing='balanced'"),
        ({"agents": 10**7, "routing": "balanced"}, "chat slots"),
    ],
)
def test_bad_chat_input_is_refused(kwargs, match):
    args = {
        "arrival_rate": 2.0,
        "handle_times": [3.0, 4.0],
        "agents": 3,
        "abandonment_rate": 0.5,
    }
    args.update(kwargs)
    with pytest.raises(ParameterError, match=match):
        ChatQueue(**args)


def test_bad_chat_times_are_refused():
    m = ChatQueue(2.0, [3.0, 4.0], 3, 0.5)
    for bad in (-1.0, math.nan, "1", [0.5, -1]):
        with pytest.raises(ParameterError, match="t"):
            m.service_level(bad)
        with pytest.raises(ParameterError):
            m.offered_service_level(bad)


def test_the_user_list_is_not_modified():
    times = [3.0, 4.0]
    ChatQueue(2.0, times, 3, 0.5)
    assert times == [3.0, 4.0]


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((-1.0, 1.0, 3, 1), ParameterError, "arrival_rate"),
        ((math.nan, 1.0, 3, 1), ParameterError, "arrival_rate = nan"),
        (("2", 1.0, 3, 1), ParameterError, "is a str"),
        ((1.0, 0.0, 3, 1), ParameterError, "service_rate"),
        ((1.0, 1.0, 3, 3), ParameterError, "threshold = 3 is not below servers"),
        ((1.0, 1.0, 3, -1), ParameterError, "threshold"),
        ((1.0, 1.0, 3, 1.5), ParameterError, "whole number"),
        ((1.0, 1.0, 0, 0), ParameterError, "servers"),
        ((1.0, 1.0, 3, 1, -2.0), ParameterError, "outbound_service_rate"),
        ((1.0, 1.0, 3, 1, "fast"), ParameterError, "outbound_service_rate"),
        ((3.0, 1.0, 3, 1), UnstableQueueError, "at least 4 servers"),
        ((100.0, 1.0, 500, 0), ParameterError, "states below the line"),
    ],
)
def test_bad_blending_input_is_refused(args, error, match):
    with pytest.raises(error, match=match):
        Blending(*args)


def test_a_wait_too_long_to_evaluate_is_refused_not_truncated():
    m = Blending(8.0, 1.0, 10, 3, outbound_service_rate=1e9)
    with pytest.raises(ParameterError, match="uniformisation"):
        m.service_level(1.0)
    for bad in (-1.0, math.nan, "1"):
        with pytest.raises(ParameterError):
            m.service_level(bad)
