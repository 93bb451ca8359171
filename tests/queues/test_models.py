"""Every model against an independent birth–death solution and high-precision
arithmetic."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest

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
from tests.queues.independent import (
    erlang_b_mp,
    erlang_c_mp,
    mmc_chain,
    tagged_erlang_a,
    wait_tail_mmc,
)

REL = 1e-9


@pytest.mark.parametrize(
    ("c", "a"),
    [
        (1, 0.3),
        (2, 1.0),
        (15, 8.108),
        (50, 49.9),
        (100, 80.0),
        (100, 130.0),
        (1000, 950.5),
        (3000, 2999.0),
        (10_000, 9_800.0),
        (100_000, 99_500.0),
        (100_000, 100_300.0),
        (100_000, 95_000.0),
        (20, 2.0),
        (10, 1000.0),
        (500, 10.0),
    ],
)
def test_erlang_b_matches_50_digit_recursion(c, a):
    assert erlang_b(c, a) == pytest.approx(float(erlang_b_mp(c, a)), rel=REL)


@pytest.mark.parametrize(
    ("c", "a"),
    [
        (1, 0.3),
        (14, 10.0),
        (50, 49.9),
        (1000, 990.0),
        (100_000, 99_700.0),
        (100_000, 90_000.0),
    ],
)
def test_erlang_c_matches_50_digit_recursion(c, a):
    assert erlang_c(c, a) == pytest.approx(float(erlang_c_mp(c, a)), rel=REL)


def test_tiny_probabilities_keep_relative_accuracy():
    # 1e-5000 underflows in float64; its log does not
    b = erlang_b(100_000, 20_000.0)
    assert b == 0.0
    assert erlang_b(2000, 1500.0) == pytest.approx(
        float(erlang_b_mp(2000, 1500.0)), rel=REL
    )
    assert erlang_b(2000, 1500.0) < 1e-30


def test_max_offered_load_inverts_erlang_b():
    for c, target in [(1, 0.5), (15, 0.01), (200, 0.001), (10_000, 0.02), (50, 1e-12)]:
        a = max_offered_load(c, target)
        assert erlang_b(c, a) == pytest.approx(target, rel=1e-12)
    a = max_offered_load(30, target_prob_wait=0.15)
    assert erlang_c(30, a) == pytest.approx(0.15, rel=1e-12)


@pytest.mark.parametrize(
    ("lam", "mu", "c"), [(0.5, 1.0, 1), (9.5, 1.0, 10), (3.0, 0.5, 8), (40.0, 1.0, 45)]
)
def test_mmc_against_birth_death(lam, mu, c):
    m = MMc(arrival_rate=lam, service_rate=mu, servers=c)
    pi = mmc_chain(lam, mu, c, n_max=1500)
    n = np.arange(len(pi))
    assert m.prob_empty == pytest.approx(pi[0], rel=REL)
    assert m.prob_wait == pytest.approx(pi[c:].sum(), rel=REL)
    assert m.mean_number_in_system == pytest.approx(n @ pi, rel=REL)
    assert m.mean_queue_length == pytest.approx(np.maximum(n - c, 0) @ pi, rel=REL)
    for t in (0.0, 0.3, 2.0):
        assert m.prob_wait_exceeds(t) == pytest.approx(
            wait_tail_mmc(pi, c, mu, t), rel=REL
        )


def test_mm1_is_mmc_with_one_server():
    a = MM1(arrival_rate=3, service_rate=4)
    b = MMc(arrival_rate=3, service_rate=4, servers=1)
    assert a.metrics() == b.metrics()
    assert a.mean_wait == pytest.approx(3 / (4 * (4 - 3)), rel=1e-15)


@pytest.mark.parametrize(
    ("lam", "mu", "c", "k"),
    [(10, 1, 8, 12), (5, 2, 1, 1), (30, 1, 25, 60), (3, 1, 4, 4)],
)
def test_mmck_against_birth_death(lam, mu, c, k):
    m = MMcK(arrival_rate=lam, service_rate=mu, servers=c, capacity=k)
    pi = mmc_chain(lam, mu, c, cap=k)
    n = np.arange(k + 1)
    assert m.prob_block == pytest.approx(pi[-1], rel=REL)
    assert m.mean_number_in_system == pytest.approx(n @ pi, rel=REL)
    assert m.throughput == pytest.approx(lam * (1 - pi[-1]), rel=REL)
    for t in (0.0, 0.2, 1.5):
        expected = wait_tail_mmc(pi, c, mu, t, cap=k)
        assert m.prob_wait_exceeds(t) == pytest.approx(expected, rel=1e-9, abs=1e-15)
        assert m.service_level(t) == pytest.approx(1 - expected, rel=1e-9)


def test_mmck_with_capacity_equal_servers_is_erlang_b():
    m = MMcK(arrival_rate=8.108, service_rate=1, servers=15, capacity=15)
    assert m.prob_block == pytest.approx(erlang_b(15, 8.108), rel=1e-12)
    assert ErlangB(servers=15, offered_load=8.108).prob_block == pytest.approx(
        m.prob_block, rel=1e-12
    )
    assert m.prob_wait == 0.0 and m.mean_wait == 0.0


def test_mmck_tends_to_mmc_as_capacity_grows():
    big = MMcK(arrival_rate=9, service_rate=1, servers=10, capacity=2000)
    inf = MMc(arrival_rate=9, service_rate=1, servers=10)
    assert big.mean_wait == pytest.approx(inf.mean_wait, rel=1e-12)
    assert big.service_level(0.5) == pytest.approx(inf.service_level(0.5), rel=1e-12)


def test_erlang_b_model_against_birth_death():
    m = ErlangB(servers=7, offered_load=5.5)
    pi = mmc_chain(5.5, 1.0, 7, cap=7)
    assert m.prob_empty == pytest.approx(pi[0], rel=REL)
    assert m.carried_load == pytest.approx(np.arange(8) @ pi, rel=REL)


ERLANG_A_CASES = [
    (10.0, 1.0, 10, 0.5),
    (12.0, 1.0, 10, 2.0),
    (4.0, 1.0, 5, 0.1),
    (20.0, 1.0, 15, 1.0),
    (2.0, 1.0, 1, 0.3),
]


@pytest.mark.parametrize(("lam", "mu", "c", "theta"), ERLANG_A_CASES)
def test_erlang_a_against_birth_death(lam, mu, c, theta):
    m = ErlangA(arrival_rate=lam, service_rate=mu, servers=c, abandonment_rate=theta)
    pi = mmc_chain(lam, mu, c, theta, n_max=600)
    n = np.arange(len(pi))
    lq = np.maximum(n - c, 0) @ pi
    assert m.prob_empty == pytest.approx(pi[0], rel=1e-8)
    assert m.prob_wait == pytest.approx(pi[c:].sum(), rel=1e-9)
    assert m.mean_queue_length == pytest.approx(lq, rel=1e-9)
    assert m.prob_abandon == pytest.approx(theta * lq / lam, rel=1e-9)
    assert m.mean_number_in_system == pytest.approx(n @ pi, rel=1e-9)


@pytest.mark.parametrize(("lam", "mu", "c", "theta"), ERLANG_A_CASES[:3])
def test_erlang_a_waiting_distribution_against_tagged_chain(lam, mu, c, theta):
    m = ErlangA(arrival_rate=lam, service_rate=mu, servers=c, abandonment_rate=theta)
    for t in (0.05, 0.4, 3.0):
        served, offered, abandon = tagged_erlang_a(lam, mu, c, theta, t, n_max=200)
        assert m.service_level(t) == pytest.approx(served, rel=1e-8)
        assert m.offered_service_level(t) == pytest.approx(offered, rel=1e-8)
    assert m.prob_abandon == pytest.approx(abandon, rel=1e-8)


def test_erlang_a_identities():
    m = ErlangA(arrival_rate=10, service_rate=1, servers=9, abandonment_rate=0.7)
    # abandoners are the arrivals never served
    assert 1 - m.service_level(1e9) == pytest.approx(m.prob_abandon, rel=1e-12)
    assert m.service_level(0.0) == pytest.approx(1 - m.prob_wait, rel=1e-14)
    # P(actual wait > t) = P(V > t) e^{-θt}
    t = 0.8
    assert m.prob_wait_exceeds(t) == pytest.approx(
        (1 - m.offered_service_level(t)) * math.exp(-0.7 * t), rel=1e-12
    )
    # occupancy: served work spread over the servers
    assert m.occupancy == pytest.approx(10 * (1 - m.prob_abandon) / 9, rel=1e-14)


def test_erlang_a_large_system():
    # 5,000 agents, half-minute patience at 105 % load: stable, finite, consistent
    m = ErlangA(
        arrival_rate=5250.0, service_rate=1.0, servers=5000, abandonment_rate=2.0
    )
    assert 0.04 < m.prob_abandon < 0.06
    assert m.prob_abandon == pytest.approx(
        2.0 * m.mean_queue_length / 5250.0, rel=1e-14
    )
    assert 0 < m.service_level(0.01) < 1


def test_mg1_pollaczek_khinchine():
    lam, es, scv = 0.8, 1.0, 0.25
    m = MG1(arrival_rate=lam, service_mean=es, service_scv=scv)
    second_moment = (1 + scv) * es**2
    assert m.mean_wait == pytest.approx(
        lam * second_moment / (2 * (1 - lam * es)), rel=1e-15
    )
    mm1 = MM1(arrival_rate=lam, service_rate=1 / es)
    assert MG1(arrival_rate=lam, service_mean=es).mean_wait == pytest.approx(
        mm1.mean_wait, rel=1e-14
    )


def test_ggc_is_exact_for_mmc_and_mg1():
    assert GGc(arrival_rate=9, service_rate=1, servers=10).mean_wait == pytest.approx(
        MMc(arrival_rate=9, service_rate=1, servers=10).mean_wait, rel=1e-14
    )
    assert GGc(
        arrival_rate=0.7, service_rate=1, servers=1, service_scv=2.0
    ).mean_wait == pytest.approx(
        MG1(arrival_rate=0.7, service_mean=1, service_scv=2.0).mean_wait, rel=1e-14
    )
    assert "Allen–Cunneen" in repr(GGc(arrival_rate=1, service_rate=1, servers=2))
    assert "Kingman" in repr(GGc(arrival_rate=0.5, service_rate=1, servers=1))


def test_priority_conserves_the_fcfs_mean_wait():
    p = PriorityMMc(arrival_rates=[2.0, 3.0, 4.0], service_rate=1.0, servers=10)
    fcfs = MMc(arrival_rate=9.0, service_rate=1.0, servers=10)
    assert p.overall_mean_wait == pytest.approx(fcfs.mean_wait, rel=1e-13)
    assert p.mean_wait[0] < fcfs.mean_wait < p.mean_wait[-1]
    one = PriorityMMc(arrival_rates=[9.0], service_rate=1.0, servers=10)
    assert one.mean_wait[0] == pytest.approx(fcfs.mean_wait, rel=1e-14)


def test_priority_mm1_matches_cobham_by_hand():
    lam1, lam2, mu = 1.0, 9.0, 12.0
    rho1, rho = lam1 / mu, (lam1 + lam2) / mu
    w0 = rho / mu  # mean residual work for exponential service, one server
    p = PriorityMMc(arrival_rates=[lam1, lam2], service_rate=mu)
    assert p.mean_wait == pytest.approx(
        (w0 / (1 - rho1), w0 / ((1 - rho1) * (1 - rho))), rel=1e-14
    )


def test_summary_and_frame():
    m = MMc(arrival_rate=9.5, service_rate=1, servers=10)
    text = str(m)
    assert "P(wait > 0)" in text and "0.8" in text
    frame = m.to_frame()
    assert frame.shape == (1, 1 + 3 + len(MMc.METRICS))
    assert frame.loc[0, "mean_wait"] == pytest.approx(1.6512, abs=5e-5)


def test_mmc_mean_wait_for_the_simulation_benchmark_case():
    # the exact value the simulation benchmark compares with (M/M/10, λ = 9.5, μ = 1)
    wq = MMc(arrival_rate=9.5, service_rate=1.0, servers=10).mean_wait
    with mp.workdps(40):
        expected = erlang_c_mp(10, 9.5) / (10 - mp.mpf("9.5"))
    assert wq == pytest.approx(float(expected), rel=1e-13)
    assert round(wq, 4) == 1.6512


def test_metrics_are_declared_by_name():
    # GGc has no P(empty); it used to slice MG1's tuple by position
    assert GGc.METRICS == (
        "utilization",
        "offered_load",
        "occupancy",
        "prob_wait",
        "mean_wait",
        "mean_time_in_system",
        "mean_queue_length",
        "mean_number_in_system",
    )
    assert (
        MG1.METRICS == MMc.METRICS == (*GGc.METRICS[:3], "prob_empty", *GGc.METRICS[3:])
    )


@pytest.mark.parametrize(
    "model",
    [
        MMc(arrival_rate=9.5, service_rate=1.0, servers=10),
        MG1(arrival_rate=0.6, service_mean=1.3, service_scv=0.4),
        GGc(arrival_rate=8, service_rate=1, servers=10, arrival_scv=0.5),
    ],
    ids=lambda m: type(m).__name__,
)
def test_the_template_derives_load_and_littles_law(model):
    mean_service = 1 / model.service_rate
    assert model.offered_load == pytest.approx(model.arrival_rate * mean_service)
    assert model.utilization == pytest.approx(model.offered_load / model.servers)
    assert model.occupancy == model.utilization
    assert model.mean_time_in_system == pytest.approx(model.mean_wait + mean_service)
    assert model.mean_queue_length == pytest.approx(
        model.arrival_rate * model.mean_wait
    )
    assert model.mean_number_in_system == pytest.approx(
        model.arrival_rate * model.mean_time_in_system
    )


def test_models_without_a_distribution_refuse_every_distribution_method():
    from crmkit.errors import UnsupportedMetricError

    for model in (MG1(arrival_rate=0.5, service_mean=1.0), PriorityMMc([1.0], 5.0)):
        for method in (model.service_level, model.prob_wait_exceeds):
            with pytest.raises(UnsupportedMetricError, match="simulate"):
                method(1.0)


def test_one_label_for_each_metric_in_summaries_and_simulations():
    from crmkit.queues import simulate
    from crmkit.queues._base import LABELS

    m = MMc(arrival_rate=1.5, service_rate=1.0, servers=2)
    res = simulate(m, customers=500, replications=2, seed=1)
    model_text, sim_text = str(m), str(res)
    for metric in res.table.index:
        assert LABELS[metric] in sim_text
        if metric in m.METRICS:
            assert LABELS[metric] in model_text


def test_each_model_gives_its_own_simulation_spec():
    from crmkit.queues import ErlangB
    from crmkit.queues._simulate import spec_from_model

    spec = spec_from_model(MMcK(arrival_rate=3, service_rate=1, servers=2, capacity=5))
    assert (spec.servers, spec.capacity, spec.patience) == (2, 5, None)
    spec = spec_from_model(
        ErlangA(arrival_rate=3, service_rate=1, servers=2, abandonment_rate=0.5)
    )
    assert spec.patience.rate == 0.5
    assert ErlangB(servers=3, offered_load=2.0)._simulation_spec() is None
