"""ChatQueue against the full chain of chats per agent (the generic solver in
``tests/queues/ctmc.py``, which shares no code with crmkit), a tagged-customer chain
solved by matrix exponentials, and Erlang A where the models coincide."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, linalg

from crmkit.errors import UnstableQueueError
from crmkit.queues import ChatQueue, ErlangA
from tests.queues.ctmc import expect, stationary

#: (arrival_rate, handle_times, agents, abandonment_rate)
CASES = [
    (2.0, [3.0, 4.0, 5.0], 3, 0.5),
    (1.5, [1.0, 2.5], 2, 0.2),  # handle time grows fast: 2/h_2 < 1/h_1
    (4.0, [1.0, 1.4, 1.9], 4, 1.0),
    (6.0, [0.8, 1.0], 3, 2.0),  # overloaded, abandonment keeps it stable
    (0.7, [2.0, 2.2, 2.6, 3.5], 2, 0.3),
    (1.2, [1.0, 1.5], 3, 0.0),  # patient customers, stable
]


def _full_chain(lam, h, c, theta, routing, cap):
    """State (sorted chats per agent, queue length); the queue is cut at ``cap``."""
    m = len(h)

    def moves(state):
        loads, q = state
        out = []
        if min(loads) < m:
            i = loads.index(min(loads))  # an agent holding the fewest takes it
            new = list(loads)
            new[i] += 1
            out.append(((tuple(sorted(new)), q), lam))
        elif q < cap:
            out.append(((loads, q + 1), lam))
        for i, j in enumerate(loads):
            if j == 0:
                continue
            new = list(loads)
            new[i] -= 1
            if q > 0:  # the freed slot takes the head of the line
                new[i] += 1
                out.append(((tuple(sorted(new)), q - 1), j / h[j - 1]))
                continue
            if routing == "balanced" and max(new) - min(new) >= 2:
                new[new.index(max(new))] -= 1  # the busiest hands a chat over
                new[new.index(min(new))] += 1
            out.append(((tuple(sorted(new)), q), j / h[j - 1]))
        if q > 0 and theta > 0:
            out.append(((loads, q - 1), q * theta))
        return out

    states, pi = stationary(((0,) * c, 0), moves)
    return states, pi


def _full_metrics(lam, h, c, theta, routing="fewest", cap=70):
    states, pi = _full_chain(lam, h, c, theta, routing, cap)
    m = len(h)
    full = {s: p for s, p in zip(states, pi, strict=True) if min(s[0]) == m}
    assert max((p for s, p in full.items() if s[1] == cap), default=0) < 1e-15
    lq = expect(states, pi, lambda s: s[1])
    busy = expect(states, pi, lambda s: sum(s[0]))
    return {
        "prob_wait": sum(full.values()),
        "prob_abandon": theta * lq / lam,
        "mean_wait": lq / lam,
        "occupancy": busy / (c * m),
        "prob_empty": expect(states, pi, lambda s: sum(s[0]) + s[1] == 0),
        "mean_number_in_system": busy + lq,
        "arrivals": {s[1]: p for s, p in full.items()},  # queue length found
    }


@pytest.mark.parametrize("routing", ["fewest", "balanced"])
@pytest.mark.parametrize("case", CASES)
def test_metrics_match_the_full_chain_of_chats_per_agent(case, routing):
    lam, h, c, theta = case
    ours = ChatQueue(lam, h, c, theta, routing=routing)
    exact = _full_metrics(lam, h, c, theta, routing)
    for name in (
        "prob_wait",
        "prob_abandon",
        "mean_wait",
        "occupancy",
        "prob_empty",
        "mean_number_in_system",
    ):
        assert getattr(ours, name) == pytest.approx(exact[name], rel=1e-9, abs=1e-14)
    assert ours.mean_time_in_system == pytest.approx(
        exact["mean_number_in_system"] / lam, rel=1e-9
    )


def test_the_birth_death_reduction_is_not_exact_for_the_fewest_rule():
    # the sorted loads (1, 2) become (0, 2) when the lone chat ends: n is not Markov
    fewest = ChatQueue(1.5, [1.0, 2.5], 2, 0.2)
    balanced = ChatQueue(1.5, [1.0, 2.5], 2, 0.2, routing="balanced")
    assert abs(fewest.prob_wait - balanced.prob_wait) > 1e-3
    # with one handle time the spread of the chats does not matter
    same = [
        ChatQueue(3.0, [2.0] * 3, 2, 0.4, routing=r) for r in ("fewest", "balanced")
    ]
    assert same[0].prob_wait == pytest.approx(same[1].prob_wait, rel=1e-12)


def _tagged(q_found, size, service, theta, own):
    """P(served by t), P(still waiting at t) for a chat that finds ``q`` ahead: a
    pure-death chain in the number ahead, with absorbing 'served' and 'abandoned'."""
    n = size + 2  # states 0..size-1 = number ahead, then served, abandoned
    gen = np.zeros((n, n))
    for k in range(size):
        gen[k, k - 1 if k else size] += service
        if k:
            gen[k, k - 1] += k * theta
        gen[k, size + 1] += own * theta
    np.fill_diagonal(gen, gen.diagonal() - gen.sum(axis=1))
    return gen


@pytest.mark.parametrize("case", [CASES[0], CASES[3], CASES[5]])
def test_wait_distribution_matches_a_tagged_customer_chain(case):
    lam, h, c, theta = case
    model = ChatQueue(lam, h, c, theta)
    exact = _full_metrics(lam, h, c, theta)
    found = exact["arrivals"]
    size = max(found) + 1
    service = c * len(h) / h[-1]
    times = [0.0, 0.2, 1.0, 3.0]
    for own, method in ((1, "service_level"), (0, "offered_service_level")):
        gen = _tagged(found, size, service, theta, own)
        for t in times:
            p = linalg.expm(gen * t)
            served = sum(pr * p[q, size] for q, pr in found.items())
            waiting = sum(pr * p[q, :size].sum() for q, pr in found.items())
            no_wait = 1.0 - exact["prob_wait"]
            if method == "service_level":
                assert model.service_level(t) == pytest.approx(
                    no_wait + served, abs=1e-10
                )
                assert model.prob_wait_exceeds(t) == pytest.approx(waiting, abs=1e-10)
            else:
                assert model.offered_service_level(t) == pytest.approx(
                    1.0 - waiting, abs=1e-10
                )


def test_the_integral_of_the_tail_is_the_mean_wait():
    m = ChatQueue(4.0, [1.0, 1.4, 1.9], 4, 1.0)
    area, _ = integrate.quad(lambda t: m.prob_wait_exceeds(t), 0, np.inf)
    assert area == pytest.approx(m.mean_wait, rel=1e-8)


@pytest.mark.parametrize("routing", ["fewest", "balanced"])
@pytest.mark.parametrize(
    ("lam", "h", "c", "theta"), [(10.0, 1.0, 10, 0.5), (30.0, 0.5, 12, 0.1)]
)
def test_one_handle_time_is_erlang_a(lam, h, c, theta, routing):
    ours, theirs = (
        ChatQueue(lam, [h], c, theta, routing=routing),
        ErlangA(lam, 1 / h, c, theta),
    )
    for name in ("prob_wait", "prob_abandon", "mean_wait", "occupancy", "prob_empty"):
        assert getattr(ours, name) == pytest.approx(getattr(theirs, name), rel=1e-12)
    t = np.array([0.0, 0.05, 0.5, 3.0])
    for method in ("service_level", "offered_service_level", "prob_wait_exceeds"):
        np.testing.assert_allclose(
            getattr(ours, method)(t), getattr(theirs, method)(t), rtol=1e-12
        )


def test_equal_handle_times_are_erlang_a_with_a_server_per_slot():
    # the occupancy chain (sparse solve) against c m servers of rate 1/h
    ours = ChatQueue(14.0, [2.0, 2.0, 2.0], 10, 0.3)
    theirs = ErlangA(14.0, 0.5, 30, 0.3)
    for name in ("prob_wait", "prob_abandon", "mean_wait", "occupancy", "prob_empty"):
        assert getattr(ours, name) == pytest.approx(getattr(theirs, name), rel=1e-11)
    np.testing.assert_allclose(
        ours.service_level([0.1, 1.0]), theirs.service_level([0.1, 1.0]), rtol=1e-11
    )


def test_patient_customers_need_a_stable_line():
    with pytest.raises(UnstableQueueError, match="at least 4 agents"):
        ChatQueue(3.0, [1.0, 2.0], 3, 0.0)  # C = 3 agents × 2 / 2 = 3 = λ
    m = ChatQueue(2.0, [1.0, 2.0], 3, 0.0)
    assert m.prob_abandon == 0.0
    assert m.service_level(0.7) == pytest.approx(m.offered_service_level(0.7))


def test_summary_and_frame():
    m = ChatQueue(2.0, [3.0, 4.0, 5.0], 3, 0.5)
    assert "P(abandon)" in m.summary()
    row = m.to_frame().iloc[0]
    assert row["model"] == "ChatQueue" and row["agents"] == 3
    assert m.handle_times == (3.0, 4.0, 5.0) and m.servers == 3
    assert m.utilization == pytest.approx(2.0 * 5.0 / 9.0)
