"""ErlangX against methods that share no code with it: the generic dense CTMC solver of
``tests/queues/ctmc.py`` with its own moves over (callers in system, callers in
orbit), a tagged-caller absorbing chain solved by matrix exponentials, a seeded event
simulation of the retrial system written here, and the reductions to ErlangA, ErlangB,
MMcK and MMc; plus the blocking targets of staff() against a linear scan."""

from __future__ import annotations

import functools
import heapq
from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import linalg, stats

from crmkit._replication import mean_interval
from crmkit.errors import ParameterError, UnstableQueueError
from crmkit.queues import (
    ErlangA,
    ErlangB,
    ErlangX,
    MMc,
    MMcK,
    _erlang_x,
    erlang_b,
    simulate,
    staff,
    staff_by_interval,
)
from tests.queues.ctmc import stationary

TIMES = np.array([0.0, 0.05, 0.3, 1.0, 2.5, 8.0])


# ----- the independent chain -------------------------------------------------------


def _moves(lam, mu, c, theta, lines, p, gamma, n_cap, m_cap):
    """Transitions out of (n, m), written from the model's description; transitions
    that would leave n ≤ n_cap, m ≤ m_cap are dropped (a generous truncation)."""
    k_max = lines if lines is not None else n_cap

    def moves(state):
        n, m = state
        out = []
        full = lines is not None and n == lines
        if not full and n < k_max:
            out.append(((n + 1, m), lam))
            if m:
                out.append(((n + 1, m - 1), gamma * m))
        if full:
            if m < m_cap:
                out.append(((n, m + 1), p * lam))
            if m:
                out.append(((n, m - 1), (1 - p) * gamma * m))
        if n:
            out.append(((n - 1, m), min(n, c) * mu + (1 - p) * theta * max(n - c, 0)))
            if n > c and m < m_cap:
                out.append(((n - 1, m + 1), p * theta * (n - c)))
        return out

    return moves


@functools.cache
def _reference(lam, mu, c, theta, lines, p, delay, n_cap=35, m_cap=None):
    """Metrics of the model from the dense generic solver (orbit cut at 80, or 35
    without a line limit, where n is cut at 35: far beyond any mass that counts)."""
    gamma = 1.0 / delay if delay else 0.0
    m_cap = m_cap or (80 if lines is not None else 35)
    states, pi = stationary(
        (0, 0), _moves(lam, mu, c, theta, lines, p, gamma, n_cap, m_cap)
    )
    n = np.array([s[0] for s in states])
    m = np.array([s[1] for s in states])
    calls = pi * (lam + gamma * m)
    full = n == lines if lines is not None else np.zeros(n.size, bool)
    admitted = calls[~full].sum()
    lq = pi @ np.maximum(n - c, 0)
    busy = pi @ np.minimum(n, c)
    blocked = calls[full].sum()
    return {
        "states": (n, m, pi, calls, full),
        "prob_block": blocked / calls.sum(),
        "prob_wait": calls[(n >= c) & ~full].sum() / admitted,
        "prob_abandon": theta * lq / admitted,
        "mean_wait": lq / admitted,
        "mean_queue_length": lq,
        "mean_number_in_system": pi @ n,
        "mean_time_in_system": (pi @ n) / admitted,
        "occupancy": busy / c,
        "prob_empty": pi[n == 0].sum(),
        "mean_orbit": pi @ m,
        "attempt_rate": calls.sum(),
        "customer_prob_served": mu * busy / lam,
        "customer_prob_abandon": (1 - p) * theta * lq / lam,
        "customer_prob_block": (1 - p) * blocked / lam,
    }


CASES = [
    # lam, mu, c, theta, lines, p, delay
    (4.0, 1.0, 4, 0.5, 6, 0.6, 2.0),
    (10.0, 1.0, 10, 0.5, 14, 0.5, 5.0),
    (3.0, 0.5, 5, 0.0, 8, 0.3, 1.0),  # patient callers, blocked ones redial
    (6.0, 1.0, 4, 2.0, 4, 0.8, 0.5),  # a loss system with redials
    (2.5, 1.0, 2, 1.0, None, 0.4, 3.0),  # no line limit: only abandoners redial
    (1.5, 1.0, 3, 0.2, 5, 0.0, None),  # no redials
]


@pytest.mark.parametrize("case", CASES)
def test_matches_a_generic_ctmc_over_system_and_orbit(case):
    lam, mu, c, theta, lines, p, delay = case
    model = ErlangX(lam, mu, c, theta, lines=lines, redial_prob=p, redial_delay=delay)
    ref = _reference(*case)
    for name, value in ref.items():
        if name != "states":
            assert getattr(model, name) == pytest.approx(value, rel=1e-9, abs=1e-14), (
                name
            )


def test_a_large_orbit_far_from_empty_is_solved_accurately():
    # two lines, 10 Erlangs, patient redials: the orbit holds ~75 callers and
    # P(orbit empty) is ~1e-15 (pinning a rare state in the solve once went wrong)
    case = (5.58, 0.56, 2, 0.0, 2, 0.64, 9.26)
    model = ErlangX(*case[:4], lines=2, redial_prob=0.64, redial_delay=9.26)
    ref = _reference(*case, m_cap=320)
    assert ref["mean_orbit"] > 70
    for name in ("mean_orbit", "prob_block", "customer_prob_served", "attempt_rate"):
        assert getattr(model, name) == pytest.approx(ref[name], rel=1e-9), name


@pytest.mark.parametrize("case", CASES)
def test_conservation_of_callers(case):
    lam, mu, c, theta, lines, p, delay = case
    m = ErlangX(lam, mu, c, theta, lines=lines, redial_prob=p, redial_delay=delay)
    # fresh calls = served + abandoned for good + blocked for good
    total = m.customer_prob_served + m.customer_prob_abandon + m.customer_prob_block
    assert total == pytest.approx(1.0, rel=1e-11)
    # the orbit's balance: redials = p × (blocked + abandoned attempts)
    redials = m.attempt_rate - lam
    assert (m.mean_orbit / delay if delay else 0.0) == pytest.approx(redials, rel=1e-12)
    blocked = m.prob_block * m.attempt_rate
    abandoned = theta * m.mean_queue_length
    assert redials == pytest.approx(p * (blocked + abandoned), rel=1e-9, abs=1e-14)
    # Little: L = (admitted attempts per time unit) W, and they are attempts - blocked
    admitted = m.attempt_rate - blocked
    assert m.throughput == pytest.approx(admitted, rel=1e-10)
    little = m.mean_number_in_system / admitted
    assert m.mean_time_in_system == pytest.approx(little, rel=1e-10)


def test_the_orbit_is_dominated_by_the_poisson_bound():
    lam, _, c, theta, lines, p, delay = CASES[1]
    _, m, pi, _, _ = _reference(*CASES[1], m_cap=150)["states"]
    r = p * (lam + theta * (lines - c)) / ((1 / delay) * (1 - p))
    levels = np.arange(1, 150)
    tail = np.array([pi[m >= j].sum() for j in levels])
    assert np.all(tail <= stats.poisson.sf(levels - 1, r) + 1e-15)
    # and the level ErlangX cuts at leaves out less than the stated tolerance
    level = _erlang_x._poisson_level(r)
    assert stats.poisson.sf(level - 1, r) <= _erlang_x.TOLERANCE
    assert stats.poisson.sf(level - 2, r) > _erlang_x.TOLERANCE


def test_without_line_limit_the_total_is_dominated_too():
    case = CASES[4]
    lam, mu, _, theta, _, p, delay = case
    n, m, pi, _, _ = _reference(*case)["states"]
    r = lam * (1 / min(theta, mu) + p * delay) / (1 - p)
    levels = np.arange(1, 35)
    tail = np.array([pi[n + m >= j].sum() for j in levels])
    assert np.all(tail <= stats.poisson.sf(levels - 1, r) + 1e-15)


# ----- the wait of a tagged admitted caller ----------------------------------------


def _tagged(c, mu, theta, ahead, t, patient=False):
    """(P(service starts by t), P(still waiting at t)) for an admitted caller who finds
    every agent busy and ``ahead`` waiting: an absorbing chain over its position,
    solved by matrix exponentials (``patient``: the tagged caller never abandons)."""
    size = ahead + 3  # positions ahead..0, then "served", "abandoned"
    q = np.zeros((size, size))
    served, gone = ahead + 1, ahead + 2
    for pos in range(ahead + 1):
        j = ahead - pos  # callers still ahead
        forward = c * mu + j * theta
        q[pos, pos + 1 if j else served] += forward
        if not patient:
            q[pos, gone] += theta
    np.fill_diagonal(q, -q.sum(axis=1))
    start = np.zeros(size)
    start[0] = 1.0
    dist = start @ linalg.expm(q * t[:, None, None])  # one matrix per time
    return np.column_stack((dist[:, served], dist[:, : ahead + 1].sum(axis=1)))


@pytest.mark.parametrize("case", [CASES[0], CASES[2], CASES[4]])
def test_waiting_distribution_matches_a_tagged_caller(case):
    lam, mu, c, theta, lines, p, delay = case
    model = ErlangX(lam, mu, c, theta, lines=lines, redial_prob=p, redial_delay=delay)
    n, _, _, calls, full = _reference(*case)["states"]
    admitted = calls[~full].sum()
    sl = calls[(n < c) & ~full].sum() / admitted * np.ones(TIMES.size)
    offered = sl.copy()
    exceeds = np.zeros(TIMES.size)
    for k in range(int(n.max()) - c + 1):
        share = calls[(n == c + k) & ~full].sum() / admitted
        if share < 1e-18:
            continue
        own = _tagged(c, mu, theta, k, TIMES)
        sl += share * own[:, 0]
        exceeds += share * own[:, 1]
        offered += share * _tagged(c, mu, theta, k, TIMES, patient=True)[:, 0]
    np.testing.assert_allclose(model.service_level(TIMES), sl, rtol=1e-9, atol=1e-13)
    np.testing.assert_allclose(
        model.prob_wait_exceeds(TIMES), exceeds, rtol=1e-9, atol=1e-13
    )
    np.testing.assert_allclose(
        model.offered_service_level(TIMES), offered, rtol=1e-9, atol=1e-13
    )
    share = admitted / lam
    np.testing.assert_allclose(
        model.customer_service_level(TIMES), share * sl, rtol=1e-9, atol=1e-13
    )


# ----- reductions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lam", "mu", "c", "theta"),
    [
        (10.0, 1.0, 10, 0.5),
        (9.5, 1.0, 12, 0.05),
        (40.0, 1.0, 25, 2.0),  # heavily overloaded
        (0.01, 1.0, 3, 1.0),
        (300.0, 1 / 3, 920, 0.3),
    ],
)
def test_without_lines_or_redials_it_is_erlang_a(lam, mu, c, theta):
    x0 = ErlangX(lam, mu, c, theta)
    a = ErlangA(lam, mu, c, theta)
    for name in (*a.METRICS, "prob_abandon"):
        assert getattr(x0, name) == pytest.approx(getattr(a, name), rel=1e-12), name
    assert x0.prob_block == 0.0 and x0.mean_orbit == 0.0
    for f in ("service_level", "offered_service_level", "prob_wait_exceeds"):
        np.testing.assert_allclose(
            getattr(x0, f)(TIMES), getattr(a, f)(TIMES), rtol=1e-12, atol=1e-15
        )


@pytest.mark.parametrize(("c", "a"), [(1, 0.5), (10, 8.0), (15, 8.108), (50, 70.0)])
def test_patient_callers_on_as_many_lines_as_agents_is_erlang_b(c, a):
    x = ErlangX(a, 1.0, c, 0.0, lines=c)
    b = ErlangB(servers=c, offered_load=a)
    for name in ("prob_block", "occupancy", "prob_empty", "mean_number_in_system"):
        assert getattr(x, name) == pytest.approx(getattr(b, name), rel=1e-12), name
    assert x.prob_wait == 0.0 and x.mean_wait == 0.0
    assert x.service_level(0.0) == 1.0


@pytest.mark.parametrize(("lam", "c", "k"), [(10.0, 8, 12), (3.0, 4, 10), (20.0, 5, 9)])
def test_patient_callers_on_finite_lines_is_mmck(lam, c, k):
    x = ErlangX(lam, 1.0, c, 0.0, lines=k)
    ref = MMcK(lam, 1.0, c, k)
    for name in ref.METRICS:
        assert getattr(x, name) == pytest.approx(getattr(ref, name), rel=1e-12), name
    np.testing.assert_allclose(
        x.service_level(TIMES), ref.service_level(TIMES), rtol=1e-12
    )
    np.testing.assert_allclose(
        x.prob_wait_exceeds(TIMES), ref.prob_wait_exceeds(TIMES), rtol=1e-11, atol=1e-16
    )


def test_patient_callers_without_line_limit_is_mmc():
    x = ErlangX(9.0, 1.0, 10, 0.0, redial_prob=0.5, redial_delay=2.0)  # nobody fails
    ref = MMc(9.0, 1.0, 10)
    for name in ref.METRICS:
        assert getattr(x, name) == pytest.approx(getattr(ref, name), rel=1e-11), name
    np.testing.assert_allclose(x.service_level(TIMES), ref.service_level(TIMES))


# ----- a seeded event simulation of the retrial system -----------------------------


def _simulate_retrials(lam, mu, c, theta, lines, p, delay, within, horizon, seed):
    """One replication: attempt-level and customer-level shares after a warm-up."""
    rng = np.random.default_rng(seed)
    warm = horizon / 10
    heap = [(rng.exponential(1 / lam), 0, "fresh", -1)]
    seq = 1
    busy = waiting = orbit = 0
    queue: deque = deque()
    started: dict[int, bool] = {}
    arrived: dict[int, float] = {}
    attempts = blocked = admitted = abandoned = answered_within = fresh = served = 0
    orbit_area, last = 0.0, warm
    next_id = 0

    def push(time, kind, ident):
        nonlocal seq
        heapq.heappush(heap, (time, seq, kind, ident))
        seq += 1

    def fail(now):
        nonlocal orbit
        if rng.random() < p:
            orbit += 1
            push(now + rng.exponential(delay), "redial", -1)

    while heap:
        now, _, kind, ident = heapq.heappop(heap)
        if now > horizon:
            break
        counting = now > warm
        if counting:
            orbit_area += orbit * (now - last)
            last = now
        if kind in ("fresh", "redial"):
            if kind == "fresh":
                push(now + rng.exponential(1 / lam), "fresh", -1)
                fresh += counting
            else:
                orbit -= 1
            attempts += counting
            if lines is not None and busy + waiting >= lines:
                blocked += counting
                fail(now)
                continue
            admitted += counting
            next_id += 1
            if busy < c:
                busy += 1
                served += counting
                answered_within += counting
                push(now + rng.exponential(1 / mu), "done", next_id)
            else:
                waiting += 1
                queue.append(next_id)
                started[next_id] = False
                arrived[next_id] = now
                if theta > 0:
                    push(now + rng.exponential(1 / theta), "patience", next_id)
        elif kind == "done":
            busy -= 1
            while queue:
                nxt = queue.popleft()
                if nxt in started:
                    del started[nxt]
                    waiting -= 1
                    busy += 1
                    if arrived[nxt] > warm:
                        served += 1
                        answered_within += now - arrived[nxt] <= within
                    push(now + rng.exponential(1 / mu), "done", nxt)
                    break
        elif kind == "patience" and ident in started:
            del started[ident]
            waiting -= 1
            abandoned += arrived[ident] > warm
            fail(now)
    span = horizon - warm
    return {
        "prob_block": blocked / attempts,
        "prob_abandon": abandoned / admitted,
        "service_level": answered_within / admitted,
        "customer_prob_served": served / fresh,
        "customer_service_level": answered_within / fresh,
        "mean_orbit": orbit_area / span,
        "attempt_rate": attempts / span,
    }


def test_a_seeded_event_simulation_covers_the_exact_values():
    lam, mu, c, theta, lines, p, delay = CASES[0]
    within = 0.5
    model = ErlangX(lam, mu, c, theta, lines=lines, redial_prob=p, redial_delay=delay)
    seeds = np.random.SeedSequence(2026).generate_state(10)
    runs = [
        _simulate_retrials(lam, mu, c, theta, lines, p, delay, within, 4000.0, int(s))
        for s in seeds
    ]
    exact = {
        "prob_block": model.prob_block,
        "prob_abandon": model.prob_abandon,
        "service_level": model.service_level(within),
        "customer_prob_served": model.customer_prob_served,
        "customer_service_level": model.customer_service_level(within),
        "mean_orbit": model.mean_orbit,
        "attempt_rate": model.attempt_rate,
    }
    for name, value in exact.items():
        samples = np.array([r[name] for r in runs])
        mean, half = mean_interval(samples, level=0.999)
        assert abs(float(mean) - value) <= float(half), (name, mean, half, value)
        assert float(half) < 0.1 * max(value, 0.1)  # the interval means something


def test_without_redials_crmkits_simulator_runs_it():
    m = ErlangX(4.0, 1.0, 4, 0.5, lines=6)
    res = simulate(m, customers=40_000, replications=8, warmup=4_000, seed=5)
    table = res.compare()
    assert {"prob_block", "prob_abandon", "service_level"} <= set(table.index)
    se = (table["ci_high"] - table["ci_low"]) / 2 / stats.t.ppf(0.975, 7)
    z = (table["estimate"] - table["model"]) / se
    assert (z.abs() < 3.3).all(), z
    spec = ErlangX(
        4.0, 1.0, 4, 0.5, lines=6, redial_prob=0.5, redial_delay=1.0
    )._simulation_spec()
    assert spec["redial_prob"] == 0.5  # simulated with its redials: test_contact.py


# ----- shape, summary ----------------------------------------------------------------


def test_metrics_shapes_and_summary():
    m = ErlangX(*CASES[1][:4], lines=14, redial_prob=0.5, redial_delay=5.0)
    t = np.linspace(0, 20, 201)
    sl = m.service_level(t)
    assert np.all(np.diff(sl) >= -1e-15) and 0 <= sl[0] <= sl[-1] <= 1
    assert sl[-1] == pytest.approx(1 - m.prob_abandon, rel=1e-9)
    assert isinstance(m.service_level(0.2), float)
    assert m.service_level(t.reshape(3, 67)).shape == (3, 67)
    frame = m.to_frame()
    assert frame.loc[0, "customer_prob_block"] == m.customer_prob_block
    assert "P(caller blocked for good)" in str(m)
    more = ErlangX(*CASES[1][:2], 11, 0.5, lines=15, redial_prob=0.5, redial_delay=5.0)
    assert more.prob_block < m.prob_block and more.service_level(0.3) > m.service_level(
        0.3
    )


# ----- staffing with a blocking target ---------------------------------------------


@pytest.mark.parametrize(("a", "target"), [(8.0, 0.01), (8.108, 0.01), (55.0, 0.002)])
def test_erlang_b_staffing_is_the_smallest_size(a, target):
    n = 1
    while erlang_b(n, a) > target:
        n += 1
    r = staff(a * 0.25, 0.25, max_blocking=target)
    assert r.servers == n
    assert isinstance(r.model, ErlangB)
    assert r.achieved["prob_block"] <= target < r.one_fewer["prob_block"]


def test_erlang_x_staffing_is_the_smallest_size():
    targets = {"service_level": 0.8, "within": 0.25, "max_blocking": 0.02}

    def meets(n):
        m = ErlangX(8.0, 1.0, n, 0.4, lines=n + 3)
        ok = m.service_level(0.25) >= 0.8 and m.prob_block <= 0.02
        return ok

    n = 1
    while not meets(n):
        n += 1
    r = staff(8.0, 1.0, abandonment_rate=0.4, extra_lines=3, **targets)
    assert r.servers == n and r.model.lines == n + 3
    assert set(r.achieved) >= {"prob_block", "service_level", "prob_abandon"}
    table = staff_by_interval(
        [4.0, 8.0], 1.0, abandonment_rate=0.4, extra_lines=3, **targets
    )
    assert table["servers"].tolist()[1] == n


@settings(max_examples=30, deadline=None)
@given(
    lam=st.floats(0.05, 20.0),
    c=st.integers(1, 6),
    theta=st.one_of(st.just(0.0), st.floats(1e-3, 3.0)),
    extra=st.one_of(st.none(), st.integers(0, 6)),
    p=st.floats(0.0, 0.95),
    delay=st.floats(0.1, 10.0),
)
def test_any_small_system_is_solved_and_conserves_callers(
    lam, c, theta, extra, p, delay
):
    lines = None if extra is None else c + extra
    try:
        m = ErlangX(lam, 1.0, c, theta, lines=lines, redial_prob=p, redial_delay=delay)
    except UnstableQueueError:
        assert theta == 0 and lines is None and lam >= c
        return
    except ParameterError as exc:
        assert "states" in str(exc)  # only a chain too large to solve
        return
    total = m.customer_prob_served + m.customer_prob_abandon + m.customer_prob_block
    assert total == pytest.approx(1.0, rel=1e-9)
    for name in ("prob_block", "prob_wait", "prob_abandon", "occupancy"):
        assert 0.0 <= getattr(m, name) <= 1.0 + 1e-12, name
    sl = m.service_level(np.array([0.0, 1.0, 1e6]))  # all waits are over by 1e6
    assert np.all(np.diff(sl) >= -1e-12)
    assert sl[-1] == pytest.approx(1.0 - m.prob_abandon, abs=1e-9)
