"""A day with general service times: simulate_day and ISA take any distribution of
times (as simulate does); SIPP and lagged SIPP, built on Erlang C / A, refuse them.

Independent checks: constant service with one server against the exact M/D/1
(:class:`MD1`); lognormal service on a constant day against a long stationary
simulation by :func:`simulate` (two intervals, compared with |z| < 3.3); ISA's staffing
with constant service against stationary M/D/c simulations of one server more and
one less.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmkit._replication import mean_interval
from crmkit.errors import ParameterError, SweepTaskError, TargetError
from crmkit.queues import (
    MD1,
    Deterministic,
    Exponential,
    Lognormal,
    PoissonArrivals,
    QueueSpec,
    isa_staffing,
    lagged_sipp_staffing,
    simulate,
    simulate_day,
    sipp_staffing,
    staff,
)
from tests.adversarial import assert_clear_error


def _steady(day, metric: str, first: int) -> tuple[float, float]:
    """Mean over replications of each replication's share over its callers from
    interval ``first`` on (a mean of per-interval shares would lean towards the
    intervals with few callers), and its 95 % half-width."""
    runs = day.per_replication
    cols = [c for c in runs if c.startswith(metric + "[")][first:]
    counts = runs[[c.replace(metric, "arrivals", 1) for c in cols]].to_numpy()
    values = np.nan_to_num(runs[cols].to_numpy())
    per_rep = (values * counts).sum(axis=1) / counts.sum(axis=1)
    mean, half = mean_interval(per_rep)
    return float(mean), float(half)


def test_constant_service_one_server_is_the_exact_md1():
    lam, d, tau = 0.5, 1.0, 0.5
    day = simulate_day(
        [lam] * 8,
        60,
        [1] * 8,
        service=Deterministic(d),
        within=tau,
        replications=40,
        seed=31,
    )
    assert day.settings["service_rate"] == 1.0 / d
    exact = MD1(arrival_rate=lam, service_rate=1 / d)
    for metric, value in (
        ("service_level", exact.service_level(tau)),
        ("prob_wait", lam * d),  # M/G/1: an arrival waits with probability ρ
        ("mean_wait", exact.mean_wait),
    ):
        mean, half = _steady(day, metric, first=1)
        assert abs(mean - value) < 1.7 * half, (metric, mean, value, half)


def test_lognormal_service_matches_a_long_stationary_simulation():
    lam, c, tau = 2.0, 10, 0.5
    law = Lognormal(mean=4.0, cv=1.5)
    day = simulate_day(
        [lam] * 10,
        30,
        [c] * 10,
        0.25,
        service=law,
        within=tau,
        replications=40,
        seed=8,
    )
    long_run = simulate(
        QueueSpec(PoissonArrivals(lam), law, servers=c),
        customers=40_000,
        warmup=2_000,
        replications=8,
        service_level_within=tau,
        seed=9,
    )
    for metric in ("service_level", "prob_wait"):
        mean, half = _steady(day, metric, first=2)
        ref = long_run.table.loc[metric]
        gap = abs(mean - ref["estimate"])
        assert gap < 1.7 * math.hypot(half, ref["half_width"]), (metric, mean, ref)
    # the law matters: exponential service of the same mean (SCV 1 < 2.25) waits
    # far less on average
    expo = simulate_day(
        [lam] * 10, 30, [c] * 10, 0.25, within=tau, replications=40, seed=8
    )
    assert _steady(expo, "mean_wait", 2)[0] < 0.8 * _steady(day, "mean_wait", 2)[0]


def test_exponential_service_object_is_the_default_draw_for_draw():
    kw = {"within": 0.2, "replications": 3, "seed": 5}
    default = simulate_day([1.0, 2.0], 30, [6, 9], 0.25, **kw)
    given = simulate_day([1.0, 2.0], 30, [6, 9], service=Exponential(0.25), **kw)
    pd.testing.assert_frame_equal(default.per_replication, given.per_replication)
    plan = isa_staffing(
        [1.0, 2.0],
        30,
        delay_probability=0.2,
        replications=4,
        seed=2,
        service=Exponential(0.25),
    )
    assert (
        plan.history
        == isa_staffing(
            [1.0, 2.0], 30, 0.25, delay_probability=0.2, replications=4, seed=2
        ).history
    )


def test_isa_with_constant_service_is_the_m_d_c_staffing():
    """A constant day, 4-minute constant calls, at most 20 % wait: by a long
    stationary M/D/c simulation, ISA's staffing s meets the target and s − 1 does
    not, each within the noise of ISA's own estimate (the half-width of a day of
    ISA's 30 replications, simulated with its plan)."""
    lam, d, alpha, n = 2.0, 4.0, 0.2, 8
    plan = isa_staffing(
        [lam] * n,
        30,
        service=Deterministic(d),
        delay_probability=alpha,
        replications=30,
        seed=4,
    )
    assert plan.converged and plan.service_rate == 1 / d
    steady = set(plan.servers[2:])
    assert len(steady) <= 2, plan.servers  # one level, or one-server jitter

    def delay(servers: int) -> float:
        run = simulate(
            QueueSpec(PoissonArrivals(lam), Deterministic(d), servers=servers),
            customers=40_000,
            warmup=1_000,
            replications=8,
            seed=17,
        )
        return run.estimate("prob_wait")

    day = simulate_day(
        [lam] * n,
        30,
        plan,
        service=Deterministic(d),
        within=0.0,
        replications=30,
        seed=4,
    )
    noise = day.metric("prob_wait")["half_width"].iloc[2:].max()
    for s in steady:
        assert delay(s) <= alpha + noise, s
    assert delay(min(steady) - 1) >= alpha - noise
    # constant calls queue less than exponential ones: never more than Erlang C
    assert max(steady) <= staff(lam, 1 / d, service_level=0.8, within=0.0).servers


def test_non_exponential_service_is_refused_where_the_formula_needs_exponential():
    law = Lognormal(mean=4.0, cv=1.2)
    for func in (sipp_staffing, lagged_sipp_staffing):
        err = assert_clear_error(
            lambda f=func: f([1.0, 2.0], 30, service=law, delay_probability=0.2),
            "service",
            show_value=False,
        )
        assert isinstance(err, ParameterError) and "isa_staffing" in str(err)
    err = assert_clear_error(
        lambda: isa_staffing(
            [1.0, 2.0],
            30,
            service=law,
            service_level=0.8,
            within=0.3,
            replications=2,
        ),
        "within",
        0.3,
    )
    assert isinstance(err, TargetError) and "delay_probability" in str(err)


@pytest.mark.parametrize(
    ("kwargs", "name", "value"),
    [
        ({"service_rate": 0.5, "service": Deterministic(4.0)}, "service_rate", 0.5),
        ({"service": 4.0}, "service", 4.0),
        ({"service": PoissonArrivals(1.0)}, "service", None),
        ({}, "service_rate", None),
    ],
)
def test_bad_service_is_refused(kwargs, name, value):
    calls = [
        lambda: simulate_day([1.0, 2.0], 30, [6, 9], replications=2, **kwargs),
        lambda: isa_staffing(
            [1.0, 2.0], 30, delay_probability=0.2, replications=2, **kwargs
        ),
        lambda: sipp_staffing([1.0, 2.0], 30, delay_probability=0.2, **kwargs),
    ]
    for call in calls:
        assert_clear_error(call, name, value, show_value=value is not None)


def test_a_user_written_distribution_is_checked_when_it_draws():
    class Negative:
        mean, scv = 4.0, 1.0

        def sample(self, rng, size):
            return -np.ones(size)

    # the replications run through crmkit.experiments.sweep, which names the
    # replication and carries the clear message of the check
    with pytest.raises(SweepTaskError, match=r"service\.sample returned") as info:
        simulate_day([1.0], 30, [6], service=Negative(), replications=2, seed=1)
    assert isinstance(info.value.__cause__, ParameterError)
