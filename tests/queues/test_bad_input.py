"""Every model refuses nonsense with a specific error that says what to do."""

from __future__ import annotations

import math

import pytest

from crmkit.errors import ParameterError, UnstableQueueError, UnsupportedMetricError
from crmkit.queues import (
    MG1,
    MM1,
    ErlangA,
    ErlangB,
    GGc,
    MMc,
    MMcK,
    PriorityMMc,
    erlang_b,
    erlang_c,
    max_offered_load,
)

BAD_RATES = [0.0, -1.0, math.nan, math.inf, "3", True, None]


@pytest.mark.parametrize("bad", BAD_RATES)
@pytest.mark.parametrize(
    "build",
    [
        lambda r: MMc(arrival_rate=r, service_rate=1, servers=2),
        lambda r: MMc(arrival_rate=1, service_rate=r, servers=2),
        lambda r: MM1(arrival_rate=r, service_rate=1),
        lambda r: MMcK(arrival_rate=r, service_rate=1, servers=1, capacity=3),
        lambda r: ErlangA(
            arrival_rate=1, service_rate=1, servers=1, abandonment_rate=r
        ),
        lambda r: ErlangB(servers=3, offered_load=r),
        lambda r: MG1(arrival_rate=0.5, service_mean=r),
        lambda r: GGc(arrival_rate=r, service_rate=1, servers=2),
        lambda r: PriorityMMc(arrival_rates=[1.0, r], service_rate=5),
    ],
)
def test_bad_rates_raise_parameter_error(build, bad):
    with pytest.raises(ParameterError):
        build(bad)


@pytest.mark.parametrize("bad", [0, -2, 2.5, math.nan, "4", True])
def test_bad_server_counts(bad):
    with pytest.raises(ParameterError, match="servers"):
        MMc(arrival_rate=0.5, service_rate=1, servers=bad)


def test_whole_float_server_count_is_accepted():
    assert MMc(arrival_rate=1, service_rate=1, servers=3.0).servers == 3


def test_unstable_queue_names_rho_and_the_stable_size():
    with pytest.raises(UnstableQueueError, match=r"ρ = 1\.05 ≥ 1.*at least 11 servers"):
        MMc(arrival_rate=10.5, service_rate=1, servers=10)
    with pytest.raises(UnstableQueueError):
        MM1(arrival_rate=2, service_rate=2)
    with pytest.raises(UnstableQueueError):
        MG1(arrival_rate=1.0, service_mean=1.0)
    with pytest.raises(UnstableQueueError):
        PriorityMMc(arrival_rates=[5, 6], service_rate=1, servers=10)
    with pytest.raises(UnstableQueueError, match="At least 21"):
        erlang_c(20, 20.0)
    assert issubclass(UnstableQueueError, ValueError)


def test_overload_is_fine_with_abandonment_or_capacity():
    assert (
        ErlangA(
            arrival_rate=20, service_rate=1, servers=10, abandonment_rate=1
        ).prob_abandon
        > 0.4
    )
    assert (
        MMcK(arrival_rate=20, service_rate=1, servers=10, capacity=15).prob_block > 0.4
    )


@pytest.mark.parametrize("bad_t", [-0.1, math.nan, math.inf, [0.1, -1.0], "soon"])
def test_bad_times(bad_t):
    m = MMc(arrival_rate=1, service_rate=1, servers=2)
    with pytest.raises(ParameterError):
        m.service_level(bad_t)
    with pytest.raises(ParameterError):
        ErlangA(
            arrival_rate=1, service_rate=1, servers=2, abandonment_rate=1
        ).service_level(bad_t)


def test_service_level_broadcasts():
    m = MMc(arrival_rate=1, service_rate=1, servers=2)
    assert isinstance(m.service_level(0.5), float)
    assert m.service_level([0.0, 0.5, 1.0]).shape == (3,)


def test_capacity_below_servers():
    with pytest.raises(ParameterError, match="capacity = 2 < servers = 3"):
        MMcK(arrival_rate=1, service_rate=1, servers=3, capacity=2)


def test_two_moment_models_say_why_no_service_level():
    with pytest.raises(UnsupportedMetricError, match="simulate"):
        MG1(arrival_rate=0.5, service_mean=1.0, service_scv=2.0).service_level(1.0)
    with pytest.raises(UnsupportedMetricError, match="simulate"):
        PriorityMMc(arrival_rates=[1, 2], service_rate=5).service_level(1.0)
    approx = MG1(arrival_rate=0.5, service_mean=1.0).approx_service_level(1.0)
    assert approx == pytest.approx(
        MM1(arrival_rate=0.5, service_rate=1).service_level(1.0)
    )


def test_function_arguments():
    with pytest.raises(ParameterError):
        erlang_b(-1, 2.0)
    with pytest.raises(ParameterError):
        erlang_b(3, -2.0)
    with pytest.raises(ParameterError, match="exactly one"):
        max_offered_load(10)
    with pytest.raises(ParameterError):
        max_offered_load(10, 1.5)
    with pytest.raises(ParameterError):
        PriorityMMc(arrival_rates=[], service_rate=1)
    with pytest.raises(ParameterError):
        PriorityMMc(arrival_rates="fast", service_rate=1)


def test_models_are_frozen():
    m = MMc(arrival_rate=1, service_rate=1, servers=2)
    with pytest.raises(AttributeError):
        m.servers = 3
