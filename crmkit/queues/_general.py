"""Queues with general service (M/G/1, exact means) and general arrivals (G/G/c,
approximate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike

from crmkit._frozen import set_fields
from crmkit._validate import check_count
from crmkit.queues._base import (
    LOAD_METRICS,
    MAX_SERVERS,
    QUEUE_METRICS,
    WAIT_METRICS,
    WaitingModel,
    WaitsWithoutDistribution,
    check_rate,
    check_scv,
    unstable_error,
)
from crmkit.queues._distributions import (
    Deterministic,
    Gamma,
    PoissonArrivals,
    RenewalArrivals,
)
from crmkit.queues._erlang import log_erlang_c

__all__ = ["MG1", "GGc", "OneServerPoisson", "pollaczek_khinchine_wait"]


def pollaczek_khinchine_wait(rho: float, mean: float, scv: float) -> float:
    """Wq = ρ E[S] (1 + SCV) / (2 (1 - ρ)) of M/G/1 (Pollaczek–Khinchine; D. Gross,
    J. F. Shortle, J. M. Thompson and C. M. Harris (2008), *Fundamentals of Queueing
    Theory*, 4th ed., Wiley, §5.1.1, eq. 5.11)."""
    return rho * mean * (1.0 + scv) / (2.0 * (1.0 - rho))


class OneServerPoisson(WaitingModel):
    """What every M/G/1 queue shares: one server, P(wait > 0) = ρ by PASTA and
    P(empty) = 1 - ρ."""

    @property
    def servers(self) -> int:
        """Always 1."""
        return 1

    @property
    def prob_empty(self) -> float:
        """1 - ρ."""
        return 1.0 - self.utilization

    @property
    def prob_wait(self) -> float:
        """ρ (PASTA: an arrival finds the server busy with probability ρ)."""
        return self.utilization


def _two_moment_times(mean: float, scv: float) -> Deterministic | Gamma:
    """The times a simulation draws for a model known by mean and SCV: constant for
    SCV 0, gamma otherwise."""
    return Deterministic(mean) if scv == 0 else Gamma(mean, scv)


class _TwoMomentWaits(WaitsWithoutDistribution):
    """Models known only by two moments: no waiting-time distribution, an
    approximate service level instead."""

    _NO_WAIT_DISTRIBUTION: ClassVar[str | None] = (
        "{name} knows the service times only by their mean and "
        "SCV, which do not fix the waiting-time distribution. Use "
        "approx_service_level(t) (an exponential approximation that is exact for "
        "exponential service) or crmkit.queues.simulate(model) with the full "
        "service distribution."
    )

    def approx_service_level(self, t: ArrayLike) -> float | np.ndarray:
        """Approximate P(wait ≤ t): P(W > t) ≈ P(W > 0) exp(-t P(W > 0) / Wq).

        Exact for exponential service; an approximation otherwise (it matches P(W > 0)
        and the mean wait). See W. Whitt (1993), "Approximations for the GI/G/m queue",
        *Production and Operations Management* 2(2):114–161, §4.
        """
        return self._at_times(t, self._approx_service_level)

    def _approx_service_level(self, t: np.ndarray) -> np.ndarray:
        pw, wq = self.prob_wait, self.mean_wait  # type: ignore[attr-defined]
        if wq == 0.0:  # no variability at all (D/D/c): nobody waits
            return np.ones(t.shape)
        with np.errstate(over="ignore"):  # a huge t: exp(-inf) = 0, as it should
            return 1.0 - pw * np.exp(-t * (pw / wq))

    def _simulated_metric(self, metric: str, within: float) -> tuple[float | None, str]:
        if metric == "service_level":
            return float(self.approx_service_level(within)), "approximation"
        return super()._simulated_metric(metric, within)


@dataclass(frozen=True)
class MG1(_TwoMomentWaits, OneServerPoisson):
    """The M/G/1 queue: Poisson arrivals, any service-time distribution, one server.

    Mean waits are exact (Pollaczek–Khinchine) and depend on the service times only
    through their mean and squared coefficient of variation (SCV = variance / mean²):
    0 for constant service, 1 for exponential, above 1 for very variable service.

    Parameters
    ----------
    arrival_rate : float
        λ per time unit (in [1e-100, 1e100]).
    service_mean : float
        E[S] in the same time unit (in [1e-100, 1e100]).
    service_scv : float, default 1.0
        Var[S] / E[S]², in [0, 1e6].

    Notes
    -----
    ``Wq = ρ E[S] (1 + SCV) / (2 (1 - ρ))`` with ``ρ = λ E[S]``; ``P(wait > 0) = ρ``.

    References
    ----------
    D. Gross, J. F. Shortle, J. M. Thompson and C. M. Harris (2008), *Fundamentals of
    Queueing Theory*, 4th ed., Wiley, §5.1.1 (the Pollaczek–Khinchine formula, eq.
    5.11).

    Examples
    --------
    >>> MG1(arrival_rate=0.9, service_mean=1.0, service_scv=0.0).mean_wait   # M/D/1
    4.5
    >>> MG1(arrival_rate=0.9, service_mean=1.0, service_scv=1.0).mean_wait   # = M/M/1
    9.0
    """

    arrival_rate: float
    service_mean: float
    service_scv: float = 1.0

    METRICS: ClassVar[tuple[str, ...]] = QUEUE_METRICS

    def __post_init__(self) -> None:
        lam = check_rate("arrival_rate", self.arrival_rate)
        es = check_rate("service_mean", self.service_mean)
        scv = check_scv("service_scv", self.service_scv)
        set_fields(self, arrival_rate=lam, service_mean=es, service_scv=scv)
        if lam * es >= 1.0:
            raise unstable_error(lam * es, lam, 1.0 / es)

    @property
    def service_rate(self) -> float:
        """μ = 1 / E[S]."""
        return 1.0 / self.service_mean

    @property
    def offered_load(self) -> float:
        """a = ρ = λ E[S]."""
        return self.arrival_rate * self.service_mean

    @property
    def _mean_service_time(self) -> float:
        return self.service_mean

    @property
    def mean_wait(self) -> float:
        """Wq by the Pollaczek–Khinchine formula."""
        return pollaczek_khinchine_wait(
            self.utilization, self.service_mean, self.service_scv
        )

    def _simulation_spec(self) -> dict[str, Any]:
        """Poisson arrivals; gamma service times with the model's mean and SCV
        (constant ones for SCV 0)."""
        return {
            "arrivals": PoissonArrivals(self.arrival_rate),
            "service": _two_moment_times(self.service_mean, self.service_scv),
            "servers": 1,
        }


@dataclass(frozen=True)
class GGc(_TwoMomentWaits):
    """G/G/c by the Allen–Cunneen approximation (Kingman's formula when ``servers ==
    1``).

    An **approximation**: ``Wq ≈ Wq(M/M/c) (c_a² + c_s²)/2``, and ``P(wait > 0)`` is
    approximated by Erlang C. It is exact for M/M/c (both SCVs 1) and, with one server
    and Poisson arrivals, equals the exact M/G/1 mean. Accuracy falls for SCVs far from
    1 and light loads; check with :func:`crmkit.queues.simulate`.

    Parameters
    ----------
    arrival_rate, service_rate : float
        λ and μ per the same time unit (each in [1e-100, 1e100]).
    servers : int
        c, 1 to 10**8.
    arrival_scv, service_scv : float, default 1.0
        Squared coefficients of variation of interarrival and service times, in
        [0, 1e6].

    References
    ----------
    A. O. Allen (1990), *Probability, Statistics, and Queueing Theory*, 2nd ed.,
    Academic Press, §6.3 (the Allen–Cunneen approximation). J. F. C. Kingman (1961),
    "The single server queue in heavy traffic", *Proc. Cambridge Phil. Soc.*
    57(4):902–904.

    Examples
    --------
    >>> g = GGc(arrival_rate=9, service_rate=1, servers=10, service_scv=0.5)
    >>> g
    GGc(arrival_rate=9.0, service_rate=1.0, servers=10, arrival_scv=1.0,
        service_scv=0.5, method='Allen–Cunneen approximation')
    >>> round(g.mean_wait, 4)
    0.5015
    """

    arrival_rate: float
    service_rate: float
    servers: int
    arrival_scv: float = 1.0
    service_scv: float = 1.0
    method: str = field(default="", init=False)

    METRICS: ClassVar[tuple[str, ...]] = (*LOAD_METRICS, "prob_wait", *WAIT_METRICS)
    _KIND: ClassVar[str] = "approximation"

    def __post_init__(self) -> None:
        lam = check_rate("arrival_rate", self.arrival_rate)
        mu = check_rate("service_rate", self.service_rate)
        c = check_count("servers", self.servers, minimum=1, maximum=MAX_SERVERS)
        ca2 = check_scv("arrival_scv", self.arrival_scv)
        cs2 = check_scv("service_scv", self.service_scv)
        if lam / (c * mu) >= 1.0:
            raise unstable_error(lam / (c * mu), lam, mu)
        label = "Kingman approximation" if c == 1 else "Allen–Cunneen approximation"
        set_fields(self, arrival_rate=lam, service_rate=mu, servers=c)
        set_fields(self, arrival_scv=ca2, service_scv=cs2, method=label)

    @property
    def prob_wait(self) -> float:
        """Approximated by Erlang C (exact for M/M/c; for one server ρ, exact for
        M/G/1).
        """
        return math.exp(log_erlang_c(self.servers, self.offered_load))

    @property
    def mean_wait(self) -> float:
        """Wq ≈ C/(cμ - λ) · (c_a² + c_s²)/2."""
        drain = self.servers * self.service_rate - self.arrival_rate
        return self.prob_wait / drain * (self.arrival_scv + self.service_scv) / 2.0

    def _simulation_spec(self) -> dict[str, Any]:
        """Gamma interarrival and service times with the model's means and SCVs
        (Poisson arrivals for an arrival SCV of 1, constant times for an SCV of 0)."""
        arrivals = (
            PoissonArrivals(self.arrival_rate)
            if self.arrival_scv == 1
            else RenewalArrivals(Gamma(1 / self.arrival_rate, self.arrival_scv))
        )
        return {
            "arrivals": arrivals,
            "service": _two_moment_times(1 / self.service_rate, self.service_scv),
            "servers": self.servers,
        }
