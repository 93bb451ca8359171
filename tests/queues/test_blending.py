"""Blending against the generic chain solver of ``tests/queues/ctmc.py`` (its own
moves function, nothing shared with crmkit), a tagged-customer chain solved by matrix
exponentials, the M/M/1 queue with exponential vacations, the one-dimensional chain of
equal service rates (Bhulai and Koole's case) and M/M/c in the limits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, sparse
from scipy.sparse import linalg as sparse_linalg

from crmkit.queues import Blending, MMc, _blending
from tests.queues.ctmc import expect, stationary

#: (arrival_rate, service_rate, servers, threshold, outbound_service_rate)
CASES = [
    (2.0, 0.25, 10, 2, None),
    (2.0, 1.0, 4, 0, 0.3),  # long outbound jobs, no reserve
    (5.0, 1.0, 6, 1, 4.0),  # short outbound jobs
    (0.5, 1.0, 3, 2, 2.0),  # threshold = servers - 1: outbound only when all idle
    (3.6, 1.0, 4, 1, 0.8),  # heavy load, ρ = 0.9
]


def _moves(lam, mu, mu_o, c, thr, cap):
    def moves(state):
        x, y = state
        out = []
        if x < cap:
            out.append(((x + 1, y), lam))
        line = x + y > c
        if x > 0:  # an inbound call ends
            idle = c - (x - 1) - y
            nxt = (x - 1, y + 1) if not line and idle > thr else (x - 1, y)
            out.append((nxt, mu * min(x, c - y)))
        if y > 0:  # an outbound job ends
            if line:
                out.append(((x, y - 1), mu_o * y))  # the agent takes the next call
            elif c - x - (y - 1) <= thr:
                out.append(((x, y - 1), mu_o * y))
            # else: a new outbound job starts at once, the state stays
        return out

    return moves


def _exact(lam, mu, mu_o, c, thr):
    mu_o = mu if mu_o is None else mu_o
    cap = c + int(40.0 / -math.log(lam / (c * mu))) + 20  # π(cap) ≈ ρ^(cap - c)
    states, pi = stationary((0, c - thr), _moves(lam, mu, mu_o, c, thr, cap))
    assert sum(p for s, p in zip(states, pi, strict=True) if s[0] == cap) < 1e-15
    lq = expect(states, pi, lambda s: max(s[0] + s[1] - c, 0))
    out = expect(states, pi, lambda s: s[1])
    return (
        states,
        pi,
        {
            "prob_wait": expect(states, pi, lambda s: s[0] + s[1] >= c),
            "mean_wait": lq / lam,
            "mean_queue_length": lq,
            "mean_outbound_busy": out,
            "outbound_rate": mu_o * out,
            "occupancy": expect(states, pi, lambda s: min(s[0], c - s[1]) + s[1]) / c,
        },
    )


@pytest.mark.parametrize("case", CASES)
def test_metrics_match_the_generic_chain(case):
    lam, mu, c, thr, mu_o = case
    ours = Blending(lam, mu, c, thr, mu_o)
    _, _, exact = _exact(lam, mu, mu_o, c, thr)
    for name, value in exact.items():
        assert getattr(ours, name) == pytest.approx(value, rel=1e-9, abs=1e-14), name
    assert ours._chain.inbound_busy == pytest.approx(lam / mu, rel=1e-11)  # Little


def _tagged_generator(c, mu, mu_o, top, height):
    """Waiting chain of a tagged inbound call: (k ahead, y outbound) + 'served'."""
    index = {(k, y): k * (top + 1) + y for k in range(height) for y in range(top + 1)}
    n = len(index) + 1
    gen = np.zeros((n, n))
    for (k, y), i in index.items():
        for rate, nxt in ((mu * (c - y), (k - 1, y)), (mu_o * y, (k - 1, y - 1))):
            if rate > 0:
                gen[i, index[nxt] if k else n - 1] += rate
    np.fill_diagonal(gen, -gen.sum(axis=1))
    return index, gen


@pytest.mark.parametrize("case", [CASES[1], CASES[2], CASES[4]])
def test_wait_distribution_matches_a_tagged_customer_chain(case):
    lam, mu, c, thr, mu_o = case
    model = Blending(lam, mu, c, thr, mu_o)
    states, pi, _ = _exact(lam, mu, mu_o, c, thr)
    found = {}
    for (x, y), p in zip(states, pi, strict=True):
        if x + y >= c:
            found[(x + y - c, y)] = found.get((x + y - c, y), 0.0) + p
    height = max(k for k, _ in found) + 1
    index, gen = _tagged_generator(c, mu, mu_o, c - thr, height)
    start = np.zeros(gen.shape[0])
    for key, p in found.items():
        start[index[key]] = p
    forward = sparse.csr_matrix(gen.T)
    for t in (0.0, 0.3, 1.0, 4.0):
        waiting = float(sparse_linalg.expm_multiply(forward * t, start)[:-1].sum())
        assert model.prob_wait_exceeds(t) == pytest.approx(waiting, abs=1e-11)
        assert model.service_level(t) == pytest.approx(1.0 - waiting, abs=1e-11)


@pytest.mark.parametrize(("lam", "mu", "mu_o"), [(0.6, 1.0, 0.7), (0.3, 2.0, 5.0)])
def test_one_agent_is_mm1_with_exponential_vacations(lam, mu, mu_o):
    # threshold 0: the agent is never idle; Fuhrmann–Cooper decomposition,
    # W = W(M/M/1) + an independent exponential(μ_o) residual vacation
    m = Blending(lam, mu, 1, 0, mu_o)
    rho, a = lam / mu, mu - lam
    assert m.prob_wait == pytest.approx(1.0, rel=1e-12)
    assert m.mean_wait == pytest.approx(rho / a + 1.0 / mu_o, rel=1e-12)
    assert m.outbound_rate == pytest.approx(mu_o * (1.0 - rho), rel=1e-12)
    for t in (0.1, 1.0, 5.0):
        hypo = 1.0 - (mu_o * math.exp(-a * t) - a * math.exp(-mu_o * t)) / (mu_o - a)
        exact = (1.0 - rho) * -math.expm1(-mu_o * t) + rho * hypo
        assert m.service_level(t) == pytest.approx(exact, rel=1e-12)


@pytest.mark.parametrize(
    ("lam", "mu", "c", "thr"), [(3.0, 0.25, 15, 2), (7.5, 1.0, 10, 0), (2.0, 0.5, 5, 4)]
)
def test_equal_service_rates_reduce_to_one_dimension(lam, mu, c, thr):
    # Bhulai and Koole's equal-rate case: z = x + y is birth–death on z ≥ c - thr
    m = Blending(lam, mu, c, thr)
    z = np.arange(c - thr, c + 400)
    logw = np.concatenate(([0.0], np.cumsum(np.log(lam / (mu * np.minimum(z[1:], c))))))
    p = np.exp(logw - logw.max())
    p /= p.sum()
    assert m.prob_wait == pytest.approx(p[z >= c].sum(), rel=1e-11)
    assert m.mean_queue_length == pytest.approx(p @ np.maximum(z - c, 0), rel=1e-11)
    busy = p @ np.minimum(z, c)
    assert m.mean_outbound_busy == pytest.approx(busy - lam / mu, rel=1e-10)
    # all agents work at rate μ: the wait of one who finds k ahead is Erlang(k+1, cμ)
    from scipy import stats

    k = np.maximum(z - c, 0)
    for t in (0.2, 2.0):
        tail = p[z >= c] @ stats.gamma.sf(t, k[z >= c] + 1, scale=1 / (c * mu))
        assert m.prob_wait_exceeds(t) == pytest.approx(tail, rel=1e-10)


def test_no_outbound_work_is_mmc():
    # threshold = servers (refused by Blending: outbound work never starts) gives the
    # private solver M/M/c exactly
    lam, mu, c = 8.0, 1.0, 10
    sol, mmc = _blending._solve(lam, mu, mu, c, c), MMc(lam, mu, c)
    assert sol.prob_wait == pytest.approx(mmc.prob_wait, rel=1e-12)
    assert sol.queue / lam == pytest.approx(mmc.mean_wait, rel=1e-12)
    assert sol.outbound == 0.0
    t = np.array([0.1, 0.5, 2.0])
    np.testing.assert_allclose(
        sol.wait_exceeds(t), mmc.prob_wait_exceeds(t), rtol=1e-12
    )


@pytest.mark.parametrize("thr", [0, 3, 9])
def test_very_short_outbound_jobs_approach_mmc(thr):
    mmc = MMc(8.0, 1.0, 10)
    fast = Blending(8.0, 1.0, 10, thr, outbound_service_rate=1e6)
    assert fast.mean_wait == pytest.approx(mmc.mean_wait, rel=1e-5)
    # with no reserve every agent is always busy, if only for an instant
    expected = 1.0 if thr == 0 else mmc.prob_wait
    assert fast.prob_wait == pytest.approx(expected, rel=1e-5)
    quick = Blending(8.0, 1.0, 10, thr, outbound_service_rate=500.0)
    np.testing.assert_allclose(
        quick.service_level([0.1, 0.5]), mmc.service_level([0.1, 0.5]), atol=2e-3
    )


def test_a_larger_reserve_trades_outbound_work_for_inbound_waits():
    waits = [Blending(8.0, 1.0, 10, t, 0.5).mean_wait for t in range(10)]
    rates = [Blending(8.0, 1.0, 10, t, 0.5).outbound_rate for t in range(10)]
    assert all(np.diff(waits) < 0) and all(np.diff(rates) < 0)


def test_the_integral_of_the_tail_is_the_mean_wait():
    m = Blending(3.6, 1.0, 4, 1, 0.8)
    t = np.linspace(0.0, 80.0, 4001)  # P(W > 80) < 1e-17
    area = integrate.simpson(m.prob_wait_exceeds(t), x=t)
    assert area == pytest.approx(m.mean_wait, rel=1e-7)


def test_summary_and_frame():
    m = Blending(3.0, 0.25, 15, 2)
    assert m.outbound_service_rate == 0.25
    assert "outbound jobs completed" in m.summary()
    assert m.to_frame().iloc[0]["threshold"] == 2
