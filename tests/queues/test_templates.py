"""The template hooks of the queue models and distributions are abstract: a subclass
that leaves one out cannot be built, and every concrete public class still can."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np
import pytest
from scipy import stats

import crmkit.queues as q
from crmkit.errors import UnsupportedMetricError
from crmkit.queues._base import WaitingModel, WaitsWithoutDistribution
from crmkit.queues._distributions import _Arrivals, _GammaLaw, _Sampled, _ScipyLaw


def test_no_public_class_of_queues_is_abstract() -> None:
    abstract = [
        name
        for name in q.__all__
        if inspect.isclass(obj := getattr(q, name)) and inspect.isabstract(obj)
    ]
    assert abstract == []


@pytest.mark.parametrize(
    ("base", "hooks"),
    [
        (WaitingModel, {"_prob_wait_exceeds"}),
        (_Sampled, {"_draw"}),
        (_ScipyLaw, {"_draw", "_law"}),
        (_GammaLaw, {"_gamma"}),
        (_Arrivals, {"_draws_per_time", "_generate"}),
    ],
)
def test_a_subclass_without_its_hooks_cannot_be_built(base: type, hooks: set) -> None:
    @dataclass(frozen=True)
    class Incomplete(base):  # type: ignore[misc, valid-type]
        x: float = 1.0

    assert set(Incomplete.__abstractmethods__) == hooks
    with pytest.raises(TypeError, match="abstract"):
        Incomplete()


def test_a_frozen_subclass_with_its_hook_is_built_and_used() -> None:
    @dataclass(frozen=True)
    class Twice(_GammaLaw):
        mean: float = 2.0

        def _gamma(self) -> tuple[float, float]:
            return 2.0, self.mean / 2.0

    d = Twice()
    assert d.dist.mean() == pytest.approx(2.0)  # the cached scipy law
    got = d.sample(np.random.default_rng(3), 4)
    np.testing.assert_array_equal(got, np.random.default_rng(3).gamma(2.0, 1.0, 4))


def test_the_concrete_laws_and_processes_are_built() -> None:
    rng = np.random.default_rng(0)
    laws = [
        q.Exponential(2.0),
        q.Erlang(k=3, mean=1.0),
        q.Gamma(mean=1.0, scv=0.5),
        q.Gamma(mean=1.0, scv=0.0),
        q.Lognormal(mean=1.0, cv=0.5),
        q.Empirical([1.0, 2.0]),
        q.FromScipy(stats.weibull_min(c=1.5)),
    ]
    for law in laws:
        assert law.sample(rng, 3).shape == (3,)
    processes = [
        q.PoissonArrivals(1.0),
        q.RenewalArrivals(q.Erlang(k=2, mean=1.0)),
        q.NHPPArrivals(profile=[1.0, 2.0]),
        q.NHPPArrivals(rate_function=lambda t: 1.0 + 0 * t, max_rate=1.0),
    ]
    for proc in processes:
        assert isinstance(proc, _Arrivals)
        assert proc.generate(rng, customers=5).shape == (5,)


def test_erlang_and_gamma_draw_what_numpy_draws() -> None:
    """The (shape, scale) hook keeps the draws: Erlang-k is gamma(k, mean/k), Gamma is
    gamma(1/scv, mean·scv), drawn by Generator.gamma."""
    got = q.Erlang(k=4, mean=2.0).sample(np.random.default_rng(7), 5)
    np.testing.assert_array_equal(got, np.random.default_rng(7).gamma(4, 0.5, 5))
    got = q.Gamma(mean=3.0, scv=0.25).sample(np.random.default_rng(7), 5)
    np.testing.assert_array_equal(got, np.random.default_rng(7).gamma(4.0, 0.75, 5))


def test_a_model_without_a_wait_distribution_refuses_it() -> None:
    p = q.PriorityMMc(arrival_rates=[1.0, 2.0], service_rate=4.0, servers=1)
    assert isinstance(p, WaitsWithoutDistribution)
    for call in (p.service_level, p.prob_wait_exceeds, p._prob_wait_exceeds):
        with pytest.raises(UnsupportedMetricError, match="PriorityMMc gives exact"):
            call(np.array([1.0]))
    with pytest.raises(UnsupportedMetricError, match="MG1 knows the service times"):
        q.MG1(arrival_rate=1.0, service_mean=0.5, service_scv=1.0).service_level(1.0)
