"""M/D/1 against computations that share nothing with crmkit's own: the Beneš series
and Erlang's formula in high precision, a bracketing Lindley recursion, Kendall's
embedded Markov chain, the Pollaczek–Khinchine mean and a seeded simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from crmkit.errors import ParameterError, UnstableQueueError
from crmkit.queues import MD1, MG1, Deterministic, _md1, simulate
from tests.queues.independent import (
    md1_departure_distribution,
    md1_lindley_bounds,
    md1_wait_benes,
    md1_wait_erlang_mp,
)

#: loads from nearly empty to nearly saturated, each side of every switch of method
LOADS = [1e-6, 0.01, 0.1, 0.5, 0.85, 0.9, 0.9001, 0.95, 0.99, 0.999]
#: times in service times, each side of u = 4 (Erlang's sum / the series) and far out
UNITS = [0.0, 0.3, 0.999, 1.0, 2.5, 3.999, 4.0, 4.5, 7.7, 12.0, 30.0, 80.0]


@pytest.mark.parametrize("rho", LOADS)
def test_distribution_matches_erlangs_formula_in_high_precision(rho):
    m = MD1(arrival_rate=rho, service_rate=1.0)
    u = np.array(UNITS)
    sl, tail = m.service_level(u), m.prob_wait_exceeds(u)
    for x, ours_sl, ours_tail in zip(UNITS, sl, tail, strict=True):
        # enough digits for the cancellation (0.56 u) and for the size of the tail
        digits = 60 + int(0.6 * x) + int(x * _md1._real_root(rho) / math.log(10))
        exact = md1_wait_erlang_mp(rho, x, digits)
        exact_tail = float(1 - exact)
        assert ours_sl == pytest.approx(float(exact), rel=2e-13), x
        assert ours_tail == pytest.approx(exact_tail, rel=2e-13, abs=1e-300), x


@pytest.mark.parametrize(
    ("rho", "u"), [(0.5, 3.5), (0.3, 12.0), (0.4, 0.7), (0.05, 5.0)]
)
def test_distribution_matches_the_benes_series(rho, u):
    m = MD1(arrival_rate=rho * 2.0, service_rate=2.0)  # D = 0.5: t = u D
    within, beyond = md1_wait_benes(rho, u)
    assert m.service_level(u * 0.5) == pytest.approx(float(within), rel=1e-13)
    assert m.prob_wait_exceeds(u * 0.5) == pytest.approx(float(beyond), rel=1e-12)


def test_distribution_lies_inside_the_lindley_brackets():
    t, lower, upper = md1_lindley_bounds(
        lam=0.5, d=1.0, cells_per_service=50, services=40
    )
    ours = MD1(arrival_rate=0.5, service_rate=1.0).service_level(t)
    assert np.all(lower <= ours + 1e-12) and np.all(ours <= upper + 1e-12)
    assert (upper - lower).max() < 0.02  # the bracket is tight enough to mean something


def test_distributional_littles_law_with_the_embedded_chain():
    # a departing customer leaves behind the arrivals during its time in system
    # W + D: P(N ≤ n) = λ ∫ Poisson(n; λ(w + D)) P(W ≤ w) dw
    lam, d = 0.7, 1.0
    m = MD1(arrival_rate=lam, service_rate=1 / d)
    pi = md1_departure_distribution(lam * d)
    for n in (0, 1, 3, 8):

        def integrand(w: float, n: int = n) -> float:
            return stats.poisson.pmf(n, lam * (w + d)) * m.service_level(w)

        value = sum(
            integrate.quad(integrand, k, k + 1, epsabs=1e-14, epsrel=1e-13)[0]
            for k in range(200)
        )
        assert lam * value == pytest.approx(pi[: n + 1].sum(), rel=1e-9)


@pytest.mark.parametrize("rho", [0.05, 0.6, 0.97])
def test_means_are_pollaczek_khinchine_and_equal_mg1_with_constant_service(rho):
    mu = 3.0
    m = MD1(arrival_rate=rho * mu, service_rate=mu)
    d = 1 / mu
    assert m.mean_wait == pytest.approx(rho * d / (2 * (1 - rho)), rel=1e-14)
    g = MG1(arrival_rate=rho * mu, service_mean=d, service_scv=0.0)
    for name in MD1.METRICS:
        assert getattr(m, name) == pytest.approx(getattr(g, name), rel=1e-14), name
    # the mean of the distribution is the mean wait: ∫ P(W > t) dt
    # kinks of the CDF at D, 2D and 3D; smooth beyond
    pieces = [(k * d, (k + 1) * d) for k in range(4)] + [(4 * d, np.inf)]
    area = sum(
        integrate.quad(m.prob_wait_exceeds, a, b, epsabs=0, epsrel=1e-13, limit=200)[0]
        for a, b in pieces
    )
    assert area == pytest.approx(m.mean_wait, rel=1e-9)


def test_simulation_interval_covers_the_exact_values():
    m = MD1(arrival_rate=0.8, service_rate=1.0)
    res = simulate(m, customers=60_000, replications=12, warmup=6_000, seed=14)
    assert isinstance(res.spec.service, Deterministic)
    table = res.compare()
    assert set(table["kind"]) == {"exact"}
    assert {"mean_wait", "service_level", "prob_wait"} <= set(table.index)
    se = (table["ci_high"] - table["ci_low"]) / 2 / stats.t.ppf(0.975, 11)
    z = (table["estimate"] - table["model"]) / se
    assert (z.abs() < 3.3).all(), z
    # the service level is the exact CDF at the mean service time
    assert table.loc["service_level", "model"] == pytest.approx(m.service_level(1.0))


def test_md1_and_mg1_simulate_the_same_draws():
    a = simulate(MD1(0.5, 2.0), customers=2000, replications=2, seed=3)
    b = simulate(MG1(0.5, 0.5, 0.0), customers=2000, replications=2, seed=3)
    assert a.per_replication.equals(b.per_replication)


@pytest.mark.parametrize("rho", [1e-6, 0.3, 0.9, 0.9001, 0.999])
def test_distribution_shape(rho):
    m = MD1(arrival_rate=rho, service_rate=1.0)
    t = np.linspace(0.0, 50.0, 2001)
    sl = m.service_level(t)
    assert sl[0] == pytest.approx(1 - rho, rel=1e-15)
    assert m.prob_wait_exceeds(0.0) == pytest.approx(rho, rel=1e-13)
    assert np.all(np.diff(sl) >= -1e-15) and np.all((sl >= 0) & (sl <= 1))
    assert np.allclose(sl + m.prob_wait_exceeds(t), 1.0, rtol=0, atol=1e-13)
    # both sides of every switch of method agree
    for u in (1.0, 4.0):
        lo, hi = m.prob_wait_exceeds([u - 1e-9, u + 1e-9])
        assert lo == pytest.approx(hi, rel=1e-7)
    assert m.prob_wait_exceeds(1e300) == 0.0 and m.service_level(1e300) == 1.0


def test_shapes_and_floats():
    m = MD1(arrival_rate=0.5, service_rate=1.0)
    assert isinstance(m.service_level(2.0), float)
    assert m.service_level([[0.5, 1.0], [2.0, 9.0]]).shape == (2, 2)
    assert m.prob_wait_exceeds(np.array([0.5, 5.0])).shape == (2,)
    assert m.servers == 1 and m.service_time == 1.0
    assert "mean wait in queue Wq" in str(m)


def test_refuses_unstable_and_bad_input():
    with pytest.raises(UnstableQueueError, match="servers"):
        MD1(arrival_rate=2.0, service_rate=2.0)
    with pytest.raises(ParameterError, match="arrival_rate"):
        MD1(arrival_rate=-1.0, service_rate=2.0)
    with pytest.raises(ParameterError, match="t"):
        MD1(arrival_rate=1.0, service_rate=2.0).service_level(-0.5)


def test_refuses_when_the_series_would_exceed_the_work_limit(monkeypatch):
    # the complementary series stops with a clear error rather than a truncated sum
    monkeypatch.setattr(_md1, "MAX_GRID", 300)
    with pytest.raises(ParameterError, match="more than 300 terms"):
        _md1._poisson_tail(0.8, 2.0)
    assert 0 < _md1._poisson_tail(0.01, 2.0) < 1e-3  # a short sum is unaffected


def test_the_root_is_accurate_near_saturation():
    # v solves ρ(e^v - 1)/v = 1; near ρ = 1, v ≈ 2(1 - ρ) + O((1 - ρ)^2)
    for delta in (1e-3, 1e-6, 1e-10):
        v = _md1._real_root(1.0 - delta)
        assert v == pytest.approx(2 * delta, rel=2 * delta)
        assert (1 - delta) * math.expm1(v) / v == pytest.approx(1.0, rel=1e-15)
