"""Callbacks against the generic chain solver of ``tests/queues/ctmc.py`` (its own
moves function, written here, nothing shared with crmkit), a tagged-caller chain
solved by dense matrix exponentials, a seeded event simulation with confidence
intervals, Erlang A and M/M/c in the limits, the M/M/c queue in which every delayed
caller takes a callback, and conservation and monotonicity."""

from __future__ import annotations

import functools
import math
from collections import deque

import numpy as np
import pytest
from scipy import integrate, linalg
from threadpoolctl import threadpool_limits

from crmkit._replication import mean_interval, spawn_streams
from crmkit.queues import Callbacks, ErlangA, MMc, erlang_c
from tests.queues.ctmc import expect, stationary


@pytest.fixture(autouse=True)
def _one_blas_thread():
    """Dense R and LU steps on one BLAS thread: on a shared 2-core machine several
    threads per test only compete (the results are the same)."""
    with threadpool_limits(1):
        yield


#: (λ, μ, c, threshold, p, θ, μ_cb, mode, reserve), each small enough for a dense
#: solve with the caps below
CASES = [
    (2.0, 1.0, 3, 1, 0.5, 1.0, None, "low_priority", None),
    (1.9, 1.0, 4, 0, 0.7, 0.5, 0.8, "low_priority", None),  # slow callbacks
    (2.0, 1.0, 4, 1, 0.6, 0.0, 1.5, "idle_only", 1),  # patient callers, a reserve
    (4.0, 2.0, 3, 2, 1.0, 2.0, 3.0, "idle_only", 1),  # every offer taken
]
#: caps of the generic chain: inbound callers plus agents on callbacks, callbacks
CAP_V, CAP_Q = 26, 40


def _moves(lam, mu, mu_cb, c, thr, p, theta, r, caps):
    """The chain over (inbound in system, callbacks waiting, agents on callbacks)."""

    def moves(state):
        x, q, y = state
        cap_v, cap_q = caps
        out = []
        idle = c - x - y
        waiting = max(x + y - c, 0)
        if idle > 0 or waiting < thr:  # not offered a callback
            if x + y < cap_v:
                out.append(((x + 1, q, y), lam))
        else:
            if x + y < cap_v:
                out.append(((x + 1, q, y), (1 - p) * lam))
            if q < cap_q:
                out.append(((x, q + 1, y), p * lam))
        talking = min(x, c - y)
        if talking:
            if waiting:
                out.append(((x - 1, q, y), mu * talking))
            elif q and idle + 1 > r:  # the freed agent calls the next customer back
                out.append(((x - 1, q - 1, y + 1), mu * talking))
            else:
                out.append(((x - 1, q, y), mu * talking))
        if y:
            if waiting:
                out.append(((x, q, y - 1), mu_cb * y))
            elif q and idle + 1 > r:
                out.append(((x, q - 1, y), mu_cb * y))
            else:
                out.append(((x, q, y - 1), mu_cb * y))
        if waiting:
            out.append(((x - 1, q, y), theta * waiting))
        return out

    return moves


@functools.cache
def _generic(case, caps=(26, 40)):
    lam, mu, c, thr, p, theta, mu_cb, mode, reserve = case
    mu_cb = mu if mu_cb is None else mu_cb
    r = (1 if reserve is None else reserve) if mode == "idle_only" else 0
    states, pi = stationary(
        (0, 0, 0), _moves(lam, mu, mu_cb, c, thr, p, theta, r, caps)
    )
    edge = sum(
        pr
        for s, pr in zip(states, pi, strict=True)
        if s[0] + s[2] == caps[0] or s[1] == caps[1]
    )
    assert edge < 1e-13, edge  # the caps leave nothing that shows

    def offered(s):
        x, _, y = s
        return x + y >= c and x + y - c >= thr

    def stays(s):
        return 1 - p * offered(s)

    share = p * expect(states, pi, offered)
    stay_rate = lam * (1 - share)
    lq = expect(states, pi, lambda s: max(s[0] + s[2] - c, 0))
    busy_in = expect(states, pi, lambda s: min(s[0], c - s[2]))
    busy_cb = expect(states, pi, lambda s: s[2])
    queue_cb = expect(states, pi, lambda s: s[1])
    stay_wait = expect(states, pi, lambda s: stays(s) * (s[0] + s[2] >= c))
    metrics = {
        "prob_offered": expect(states, pi, offered),
        "callback_share": share,
        "callback_rate": lam * share,
        "prob_wait": stay_wait / (1 - share),
        "prob_abandon": theta * lq / stay_rate,
        "mean_wait": lq / stay_rate,
        "mean_queue_length": lq,
        "mean_number_in_system": expect(states, pi, lambda s: s[0]),
        "occupancy": (busy_in + busy_cb) / c,
        "mean_callback_queue": queue_cb,
        "mean_callback_delay": queue_cb / (lam * share),
    }
    return states, pi, metrics, (busy_in, busy_cb)


def _model(case):
    lam, mu, c, thr, p, theta, mu_cb, mode, reserve = case
    return Callbacks(lam, mu, c, thr, p, theta, mu_cb, mode, reserve)


@pytest.mark.parametrize("case", CASES)
def test_every_metric_matches_the_generic_chain(case):
    model = _model(case)
    _, _, exact, (busy_in, busy_cb) = _generic(case)
    for name, value in exact.items():
        assert getattr(model, name) == pytest.approx(value, rel=1e-9, abs=1e-13), name
    assert model._chain.inbound_busy == pytest.approx(busy_in, rel=1e-9)
    assert model._chain.callback_busy == pytest.approx(busy_cb, rel=1e-9)


def _tagged_exact(case, times):
    """P(still waiting at t), P(served by t) for a stayer, from the generic chain's
    arrival states and a dense expm of the waiting caller's chain (k ahead, y)."""
    _, mu, c, thr, p, theta, mu_cb, _, _ = case
    mu_cb = mu if mu_cb is None else mu_cb
    states, pi, exact, _ = _generic(case)
    found = {}
    for (x, _, y), pr in zip(states, pi, strict=True):
        if x + y >= c:
            k = x + y - c
            weight = pr * (1 - p * (k >= thr)) / (1 - exact["callback_share"])
            found[(k, y)] = found.get((k, y), 0.0) + weight
    keys = sorted({(k, y) for k in range(CAP_V) for y in range(c + 1)})
    index = {key: i for i, key in enumerate(keys)}
    served, gone = len(keys), len(keys) + 1
    gen = np.zeros((len(keys) + 2, len(keys) + 2))
    for (k, y), i in index.items():
        gen[i, index[(k - 1, y)] if k else served] += mu * (c - y) + theta * k
        if y:
            gen[i, index[(k - 1, y - 1)] if k else served] += mu_cb * y
        gen[i, gone] += theta
    np.fill_diagonal(gen, gen.diagonal() - gen.sum(axis=1))
    start = np.zeros(len(keys) + 2)
    for key, pr in found.items():
        start[index[key]] = pr
    out = []
    for t in times:
        v = start @ linalg.expm(gen * t)
        out.append((v[:-2].sum(), v[served]))
    return np.array(out), exact["prob_wait"]


@pytest.mark.parametrize("case", CASES[:3])
def test_the_wait_matches_a_tagged_caller_chain(case):
    model = _model(case)
    times = [0.0, 0.2, 1.0, 3.0]
    exact, prob_wait = _tagged_exact(case, times)
    np.testing.assert_allclose(model.prob_wait_exceeds(times), exact[:, 0], atol=1e-11)
    np.testing.assert_allclose(
        model.service_level(times), 1.0 - prob_wait + exact[:, 1], atol=1e-11
    )


@pytest.mark.parametrize("case", CASES)
def test_the_integral_of_the_tail_is_the_mean_wait(case):
    model = _model(case)
    t = np.linspace(0.0, 60.0, 6001)
    assert model.prob_wait_exceeds(60.0) < 1e-15
    area = integrate.simpson(model.prob_wait_exceeds(t), x=t)
    assert area == pytest.approx(model.mean_wait, rel=1e-7)


@pytest.mark.parametrize("case", CASES)
def test_conservation_of_callers(case):
    lam, mu, theta = case[0], case[1], case[5]
    m = _model(case)
    ch = m._chain
    served = mu * ch.inbound_busy
    assert served + theta * ch.queue + m.callback_rate == pytest.approx(lam, rel=1e-10)
    rate_cb = m.callback_service_rate * ch.callback_busy
    assert rate_cb == pytest.approx(m.callback_rate, rel=1e-10)
    # the callers who stay on the line are served or abandon
    assert m._inbound_rate * (1 - m.prob_abandon) == pytest.approx(served, rel=1e-10)


THETAS = [0.3, 1.0]


@pytest.mark.parametrize("theta", THETAS)
def test_no_callbacks_is_erlang_a(theta):
    a = ErlangA(9.0, 1.0, 10, theta)
    t = np.array([0.0, 0.05, 0.5, 2.0])
    for m in (
        Callbacks(9.0, 1.0, 10, 2, 0.0, theta),
        Callbacks(9.0, 1.0, 10, 10**6, 0.8, theta),  # an offer is never made
    ):
        assert m.callback_share == 0.0 and math.isnan(m.mean_callback_delay)
        for name in ("prob_wait", "prob_abandon", "mean_wait", "occupancy"):
            assert getattr(m, name) == pytest.approx(getattr(a, name), rel=1e-10)
        assert m.mean_queue_length == pytest.approx(a.mean_queue_length, rel=1e-10)
        assert m.mean_time_in_system == pytest.approx(a.mean_time_in_system, rel=1e-10)
        np.testing.assert_allclose(m.service_level(t), a.service_level(t), rtol=1e-10)
        np.testing.assert_allclose(
            m.offered_service_level(t), a.offered_service_level(t), rtol=1e-10
        )
        np.testing.assert_allclose(
            m.prob_wait_exceeds(t), a.prob_wait_exceeds(t), rtol=1e-10, atol=1e-16
        )


def test_no_callbacks_and_no_abandonment_is_mmc():
    mmc = Callbacks(8.0, 1.0, 10, 1, 0.0), MMc(8.0, 1.0, 10)
    t = np.array([0.0, 0.1, 1.0])
    for name in ("prob_wait", "mean_wait", "occupancy", "mean_number_in_system"):
        assert getattr(mmc[0], name) == pytest.approx(getattr(mmc[1], name), rel=1e-10)
    np.testing.assert_allclose(
        mmc[0].service_level(t), mmc[1].service_level(t), rtol=1e-10
    )


@pytest.mark.parametrize(("lam", "c"), [(9.0, 10), (2.5, 3)])
def test_every_delayed_caller_calling_back_is_mmc(lam, c):
    # threshold 0, accept_prob 1, equal rates, patient: everyone in the system is
    # an M/M/c queue; the delayed callers are the callbacks, FIFO
    m = Callbacks(lam, 1.0, c, 0, 1.0)
    assert m.callback_share == pytest.approx(erlang_c(c, lam), rel=1e-10)
    assert m.mean_callback_delay == pytest.approx(1.0 / (c - lam), rel=1e-10)
    assert m.prob_wait == pytest.approx(0.0, abs=1e-14)
    assert m.mean_wait == pytest.approx(0.0, abs=1e-14)


def test_a_zero_reserve_is_low_priority():
    a = Callbacks(2.0, 1.0, 3, 1, 0.5, 1.0)
    b = Callbacks(2.0, 1.0, 3, 1, 0.5, 1.0, mode="idle_only", reserve=0)
    for name in a.METRICS:
        assert getattr(b, name) == pytest.approx(getattr(a, name), rel=1e-12), name


ACCEPT = (0.1, 0.4, 0.7, 0.95)


def test_more_acceptance_shortens_the_line_and_lengthens_the_callback_line():
    models = [Callbacks(3.4, 1.0, 4, 1, p, 0.3) for p in ACCEPT]
    for name, sign in [
        ("mean_wait", -1),
        ("prob_abandon", -1),
        ("callback_rate", 1),
        ("mean_callback_queue", 1),
    ]:
        values = [getattr(m, name) for m in models]
        assert all(sign * np.diff(values) > 0), name
    assert all(np.diff([m.service_level(0.25) for m in models]) > 0)


def test_the_callback_delay_need_not_grow_with_acceptance():
    # more acceptance shortens the inbound line, so agents reach the callbacks
    # sooner: with patient callers and equal rates the delay falls
    delays = [Callbacks(3.0, 1.0, 4, 1, p).mean_callback_delay for p in ACCEPT[1:]]
    assert all(np.diff(delays) < 0)


def test_a_reserve_lengthens_the_callback_delay():
    delays = [
        Callbacks(
            3.0, 1.0, 5, 0, 0.8, 0.5, mode="idle_only", reserve=r
        ).mean_callback_delay
        for r in range(4)
    ]
    assert all(np.diff(delays) > 0)


def test_the_wait_threshold_in_minutes():
    # predicted wait (k + 1)/(cμ) > w  ⇔  k ≥ ⌊w c μ⌋
    for w, expected in [(0.0, 0), (0.25, 1), (0.3, 1), (0.5, 2), (0.7, 2), (0.75, 3)]:
        m = Callbacks.from_wait_threshold(3.4, 1.0, 4, w, 0.5, abandonment_rate=0.3)
        assert m.threshold == expected, w
    made = Callbacks.from_wait_threshold(3.4, 1.0, 4, 0.5, 0.5, abandonment_rate=0.3)
    assert made == Callbacks(3.4, 1.0, 4, 2, 0.5, 0.3)
    # 0.29 · 100 = 28.999999999999996 in floating point: taken as 29
    exact = Callbacks.from_wait_threshold(2.0, 10.0, 10, 0.29, 0.5, abandonment_rate=1)
    assert exact.threshold == 29
    huge = Callbacks.from_wait_threshold(3.4, 1.0, 4, 1e90, 0.5, abandonment_rate=1)
    assert huge.threshold == 10**9 and huge.callback_share == 0.0


def _simulate(case, rng, arrivals, t_level):
    """One replication, caller by caller (own code: FIFO lines, exponential races).

    Returns the service level within ``t_level`` and the abandonment share of the
    callers who stay on the line, the share of callers who take a callback and the
    mean callback delay, over the arrivals after a warm-up tenth."""
    lam, mu, c, thr, p, theta, mu_cb, mode, reserve = case
    mu_cb = mu if mu_cb is None else mu_cb
    r = (1 if reserve is None else reserve) if mode == "idle_only" else 0
    line, queue_cb = deque(), deque()  # (time joined, counted) of waiting callers
    talking = on_cb = born = 0
    now = 0.0
    counts = {"arrivals": 0, "stayers": 0, "within": 0, "abandoned": 0, "taken": 0}
    delays = []
    while born < arrivals:
        rates = (lam, mu * talking, mu_cb * on_cb, theta * len(line))
        total = sum(rates)
        now += rng.exponential(1.0 / total)
        u = rng.random() * total
        if u < rates[0]:
            born += 1
            counted = born > arrivals // 10
            counts["arrivals"] += counted
            if talking + on_cb < c:
                talking += 1
                counts["stayers"] += counted
                counts["within"] += counted
            elif len(line) >= thr and rng.random() < p:
                queue_cb.append((now, counted))
                counts["taken"] += counted
            else:
                line.append((now, counted))
                counts["stayers"] += counted
            continue
        if u >= total - rates[3]:  # one of the waiting callers abandons
            i = int(rng.integers(len(line)))
            counts["abandoned"] += line[i][1]
            del line[i]
            continue
        if u < rates[0] + rates[1]:
            talking -= 1
        else:
            on_cb -= 1
        if line:  # the freed agent takes the first waiting inbound call
            joined, counted = line.popleft()
            talking += 1
            counts["within"] += counted and now - joined <= t_level
        elif queue_cb and c - talking - on_cb > r:
            joined, counted = queue_cb.popleft()
            on_cb += 1
            if counted:
                delays.append(now - joined)
    stayers = counts["stayers"]
    return (
        counts["within"] / stayers,
        counts["abandoned"] / stayers,
        counts["taken"] / counts["arrivals"],
        float(np.mean(delays)),
    )


@pytest.mark.parametrize("case", [CASES[0], CASES[2]])
def test_a_seeded_simulation_agrees(case):
    model = _model(case)
    t_level = 0.3
    reps = [_simulate(case, rng, 5000, t_level) for rng in spawn_streams(2024, 10)]
    mean, half = mean_interval(np.array(reps))
    exact = [
        model.service_level(t_level),
        model.prob_abandon,
        model.callback_share,
        model.mean_callback_delay,
    ]
    assert np.all(np.abs(mean - exact) <= 1.5 * half), (mean, half, exact)
