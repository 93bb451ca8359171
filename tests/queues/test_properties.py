"""Property tests: Little's law, monotonicity, limits and bounds over random
parameters."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmkit.queues import ErlangA, MMc, MMcK, erlang_b, erlang_c

loads = st.floats(min_value=0.05, max_value=400.0)
servers = st.integers(min_value=1, max_value=500)
rho = st.floats(min_value=0.01, max_value=0.995)
theta = st.floats(min_value=0.01, max_value=20.0)
times = st.floats(min_value=0.0, max_value=10.0)

FAST = settings(max_examples=150, deadline=None)


@FAST
@given(c=servers, r=rho, mu=st.floats(min_value=0.1, max_value=10))
def test_littles_law_mmc(c, r, mu):
    m = MMc(arrival_rate=r * c * mu, service_rate=mu, servers=c)
    assert m.mean_queue_length == pytest.approx(m.arrival_rate * m.mean_wait, rel=1e-12)
    assert m.mean_number_in_system == pytest.approx(
        m.arrival_rate * m.mean_time_in_system, rel=1e-12
    )


@FAST
@given(c=st.integers(1, 60), extra=st.integers(0, 200), a=st.floats(0.1, 120.0))
def test_littles_law_mmck_uses_throughput(c, extra, a):
    m = MMcK(arrival_rate=a, service_rate=1.0, servers=c, capacity=c + extra)
    assert m.mean_queue_length == pytest.approx(m.throughput * m.mean_wait, rel=1e-10)
    assert m.mean_number_in_system == pytest.approx(
        m.throughput * m.mean_time_in_system, rel=1e-10
    )
    assert sum(m.distribution) == pytest.approx(1.0, rel=1e-12)


@FAST
@given(c=st.integers(1, 200), a=st.floats(0.1, 300.0), th=theta)
def test_littles_law_and_bounds_erlang_a(c, a, th):
    m = ErlangA(arrival_rate=a, service_rate=1.0, servers=c, abandonment_rate=th)
    assert m.mean_number_in_system == pytest.approx(
        a * m.mean_time_in_system, rel=1e-12
    )
    assert 0.0 <= m.prob_abandon <= m.prob_wait <= 1.0
    assert 0.0 <= m.occupancy <= 1.0 + 1e-12
    assert m.prob_abandon == pytest.approx(th * m.mean_queue_length / a, rel=1e-12)


@FAST
@given(c=servers, a=loads)
def test_erlang_b_decreases_with_servers_and_increases_with_load(c, a):
    assert erlang_b(c + 1, a) < erlang_b(c, a) or erlang_b(c, a) == 0.0
    assert erlang_b(c, a * 1.01) >= erlang_b(c, a)
    assert 0.0 <= erlang_b(c, a) <= 1.0


@FAST
@given(c=servers, r=rho)
def test_erlang_c_monotone_and_above_erlang_b(c, r):
    a = r * c
    assert erlang_c(c, a) >= erlang_b(c, a)
    assert erlang_c(c + 1, a) <= erlang_c(c, a)
    m1 = MMc(arrival_rate=a, service_rate=1, servers=c)
    m2 = MMc(arrival_rate=a, service_rate=1, servers=c + 1)
    assert m2.mean_wait <= m1.mean_wait


@FAST
@given(c=st.integers(1, 100), a=st.floats(0.1, 150.0), th=theta, t=times)
def test_erlang_a_monotone_in_servers(c, a, th, t):
    m1 = ErlangA(arrival_rate=a, service_rate=1, servers=c, abandonment_rate=th)
    m2 = ErlangA(arrival_rate=a, service_rate=1, servers=c + 1, abandonment_rate=th)
    assert m2.prob_abandon <= m1.prob_abandon * (1 + 1e-12)
    assert m2.service_level(t) >= m1.service_level(t) - 1e-12
    assert m2.occupancy <= m1.occupancy * (1 + 1e-12)
    assert m2.mean_wait <= m1.mean_wait * (1 + 1e-12)


@FAST
@given(c=st.integers(1, 100), r=st.floats(0.05, 0.95), t=times)
def test_erlang_a_tends_to_erlang_c_as_patience_grows(c, r, t):
    a = r * c
    mc = MMc(arrival_rate=a, service_rate=1, servers=c)
    ma = ErlangA(arrival_rate=a, service_rate=1, servers=c, abandonment_rate=1e-9)
    # the gap is of first order in θ (see the test below), so 1e-9 leaves about 1e-7
    assert ma.prob_wait == pytest.approx(mc.prob_wait, rel=1e-6)
    assert ma.mean_wait == pytest.approx(mc.mean_wait, rel=1e-5, abs=1e-12)
    assert ma.offered_service_level(t) == pytest.approx(
        mc.service_level(t), rel=1e-6, abs=1e-7
    )


def test_erlang_a_converges_to_erlang_c_at_first_order():
    mc = MMc(arrival_rate=0.9375, service_rate=1, servers=1)
    gaps = [
        ErlangA(
            arrival_rate=0.9375, service_rate=1, servers=1, abandonment_rate=th
        ).offered_service_level(0.0)
        - mc.service_level(0.0)
        for th in (1e-6, 1e-7, 1e-8)
    ]
    assert gaps[0] / gaps[1] == pytest.approx(10, rel=0.01)
    assert gaps[1] / gaps[2] == pytest.approx(10, rel=0.01)


@FAST
@given(c=st.integers(1, 100), a=st.floats(0.1, 150.0), th=theta)
def test_service_level_increases_in_t_to_the_served_share(c, a, th):
    m = ErlangA(arrival_rate=a, service_rate=1, servers=c, abandonment_rate=th)
    ts = [0.0, 0.1, 0.5, 2.0, 10.0]
    sl = m.service_level(ts)
    assert all(x <= y + 1e-14 for x, y in itertools.pairwise(sl))
    assert m.service_level(1e6) == pytest.approx(1 - m.prob_abandon, rel=1e-9)


@FAST
@given(c=st.integers(1, 300), a=loads)
def test_mmck_capacity_equal_servers_is_erlang_b(c, a):
    m = MMcK(arrival_rate=a, service_rate=1.0, servers=c, capacity=c)
    assume(m.prob_block > 1e-300)
    assert m.prob_block == pytest.approx(erlang_b(c, a), rel=1e-10)
    assert not math.isnan(m.service_level(1.0))


@settings(max_examples=60, deadline=None)
@given(r=st.floats(0.001, 0.999), t=st.floats(0.0, 40.0), dt=st.floats(0.0, 5.0))
def test_md1_waits_less_than_mm1_and_its_cdf_grows(r, t, dt):
    # constant service halves the M/M/1 mean wait; its CDF grows in t and falls in ρ
    from crmkit.queues import MD1

    d1 = MD1(arrival_rate=r, service_rate=1.0)
    assert d1.mean_wait == pytest.approx(
        MMc(arrival_rate=r, service_rate=1.0, servers=1).mean_wait / 2, rel=1e-12
    )
    assert d1.mean_queue_length == pytest.approx(r * d1.mean_wait, rel=1e-15)
    assert d1.service_level(t + dt) >= d1.service_level(t) - 1e-15
    busier = MD1(arrival_rate=min(r * 1.001, 0.9995), service_rate=1.0)
    assert busier.service_level(t) <= d1.service_level(t) * (1 + 1e-12)
