"""The named distributions are scipy.stats laws: the same moments, and the numbers
scipy's ``rvs`` draws from the same Generator (stored answers depend on the draws)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from scipy import stats

import crmkit.queues
from crmkit.queues import (
    Erlang,
    Exponential,
    FromScipy,
    Gamma,
    Lognormal,
    PoissonArrivals,
    Schedule,
)
from crmkit.queues._engines import event_engine, recursion_engine
from crmkit.queues._schedule import Schedule as ScheduleHome

SAME_STREAM = [
    Exponential(2.5),
    Exponential(1e-3),
    Exponential(7e4),
    Erlang(k=1, mean=0.3),
    Erlang(k=4, mean=2.0),
    Erlang(k=13, mean=187.0),
    Gamma(mean=2.0, scv=0.5),
    Gamma(mean=0.7, scv=3.3),
    Gamma(mean=187.0, scv=0.01),
]
ALL_LAWS = [*SAME_STREAM, Lognormal(3.0, 0.9), Lognormal.from_log(5.0, 0.88)]


@pytest.mark.parametrize("dist", SAME_STREAM, ids=repr)
@pytest.mark.parametrize("seed", [0, 1, 2026])
def test_draws_are_the_numbers_scipy_rvs_draws(dist, seed):
    ours = dist.sample(np.random.default_rng(seed), 2_000)
    theirs = dist.dist.rvs(size=2_000, random_state=np.random.default_rng(seed))
    assert np.array_equal(ours, theirs)


@pytest.mark.parametrize("dist", ALL_LAWS, ids=repr)
def test_moments_are_those_of_the_scipy_law(dist):
    mean, var = (float(m) for m in dist.dist.stats(moments="mv"))
    assert dist.mean == pytest.approx(mean, rel=1e-12)
    assert dist.scv == pytest.approx(var / mean**2, rel=1e-12)


def test_lognormal_keeps_numpys_draw_which_rvs_only_approximates():
    d = Lognormal.from_log(5.0, 0.88)
    ours = d.sample(np.random.default_rng(3), 5_000)
    assert np.array_equal(
        ours, np.random.default_rng(3).lognormal(d.mu, d.sigma, 5_000)
    )
    theirs = d.dist.rvs(size=5_000, random_state=np.random.default_rng(3))
    np.testing.assert_allclose(ours, theirs, rtol=1e-13)


def test_deterministic_gamma_is_a_point_mass():
    d = Gamma(mean=2.0, scv=0.0)
    assert d.sample(np.random.default_rng(0), 3).tolist() == [2.0, 2.0, 2.0]
    assert float(d.dist.mean()) == 2.0 and float(d.dist.var()) == 0.0


def test_from_scipy_draws_with_rvs():
    law = stats.weibull_min(c=1.5, scale=2.0)
    ours = FromScipy(law).sample(np.random.default_rng(4), 100)
    assert np.array_equal(
        ours, law.rvs(size=100, random_state=np.random.default_rng(4))
    )


def test_laws_stay_frozen_comparable_and_picklable():
    d = Erlang(k=3, mean=2.0)
    assert d.dist.mean() == pytest.approx(2.0)  # caches the scipy law
    assert pickle.loads(pickle.dumps(d)) == d
    assert hash(Exponential(2.0)) == hash(Exponential(2.0))
    assert Exponential(1.0) != PoissonArrivals(1.0)
    assert repr(Exponential(2.0)) == "Exponential(rate=2.0)"
    assert repr(PoissonArrivals(2.0)) == "PoissonArrivals(rate=2.0)"
    with pytest.raises(AttributeError):
        d.k = 4


def test_schedule_has_its_own_module_and_the_same_public_name():
    assert Schedule is ScheduleHome is crmkit.queues.Schedule
    assert not hasattr(crmkit.queues._distributions, "Schedule")


def test_engines_take_keywords_only():
    arr, svc = np.array([0.0, 1.0]), np.array([1.5, 1.0])
    with pytest.raises(TypeError):
        recursion_engine(arr, svc, 1)
    with pytest.raises(TypeError):
        event_engine(arr, svc, np.array([0.0]), np.array([1]))
    a = recursion_engine(arr, svc, servers=1)
    b = event_engine(
        arr, svc, schedule_starts=np.array([0.0]), schedule_servers=np.array([1])
    )
    assert a.start.tolist() == b.start.tolist() == [0.0, 1.5]
