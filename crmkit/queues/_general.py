"""Queues with general service (M/G/1, exact means) and general arrivals (G/G/c,
approximate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from crmkit._validate import check_count
from crmkit.errors import UnsupportedMetricError
from crmkit.queues._base import (
    MAX_SERVERS,
    QueueModel,
    check_rate,
    check_scv,
    check_times,
    unstable_error,
)
from crmkit.queues._erlang import log_erlang_c

__all__ = ["MG1", "GGc"]


class _TwoMomentWaits(QueueModel):
    """Waiting-time distribution helpers for models known only by two moments."""

    def service_level(self, t: ArrayLike) -> float:
        raise UnsupportedMetricError(
            f"{type(self).__name__} knows the service times only by their mean and "
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
        tt, scalar = check_times("t", t)
        pw, wq = self.prob_wait, self.mean_wait
        # wq == 0: no variability at all (D/D/c), nobody waits
        with np.errstate(over="ignore"):  # a huge t: exp(-inf) = 0, as it should
            out = np.ones(tt.shape) if wq == 0.0 else 1.0 - pw * np.exp(-tt * (pw / wq))
        return float(out) if scalar else out


@dataclass(frozen=True)
class MG1(_TwoMomentWaits):
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
    Gross et al. (2008), op. cit., §5.1.1 (the Pollaczek–Khinchine formula, eq. 5.11).

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

    METRICS: ClassVar[tuple[str, ...]] = (
        "utilization",
        "offered_load",
        "occupancy",
        "prob_empty",
        "prob_wait",
        "mean_wait",
        "mean_time_in_system",
        "mean_queue_length",
        "mean_number_in_system",
    )

    def __post_init__(self) -> None:
        lam = check_rate("arrival_rate", self.arrival_rate)
        es = check_rate("service_mean", self.service_mean)
        object.__setattr__(self, "arrival_rate", lam)
        object.__setattr__(self, "service_mean", es)
        object.__setattr__(
            self, "service_scv", check_scv("service_scv", self.service_scv)
        )
        if lam * es >= 1.0:
            raise unstable_error(lam * es, lam, 1.0 / es)

    @property
    def service_rate(self) -> float:
        """μ = 1 / E[S]."""
        return 1.0 / self.service_mean

    @property
    def servers(self) -> int:
        """Always 1."""
        return 1

    @property
    def offered_load(self) -> float:
        """a = λ E[S]."""
        return self.arrival_rate * self.service_mean

    @property
    def utilization(self) -> float:
        """ρ = λ E[S]."""
        return self.offered_load

    @property
    def occupancy(self) -> float:
        """Share of time the server is busy (= ρ)."""
        return self.offered_load

    @property
    def prob_empty(self) -> float:
        """1 - ρ."""
        return 1.0 - self.utilization

    @property
    def prob_wait(self) -> float:
        """ρ (PASTA: an arrival finds the server busy with probability ρ)."""
        return self.utilization

    @property
    def mean_wait(self) -> float:
        """Wq by the Pollaczek–Khinchine formula."""
        rho = self.utilization
        return rho * self.service_mean * (1.0 + self.service_scv) / (2.0 * (1.0 - rho))

    @property
    def mean_time_in_system(self) -> float:
        """W = Wq + E[S]."""
        return self.mean_wait + self.service_mean

    @property
    def mean_queue_length(self) -> float:
        """Lq = λ Wq."""
        return self.arrival_rate * self.mean_wait

    @property
    def mean_number_in_system(self) -> float:
        """L = λ W."""
        return self.arrival_rate * self.mean_time_in_system


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

    METRICS: ClassVar[tuple[str, ...]] = MG1.METRICS[:3] + MG1.METRICS[4:]

    def __post_init__(self) -> None:
        lam = check_rate("arrival_rate", self.arrival_rate)
        mu = check_rate("service_rate", self.service_rate)
        c = check_count("servers", self.servers, minimum=1, maximum=MAX_SERVERS)
        for name, value in (
            ("arrival_rate", lam),
            ("service_rate", mu),
            ("servers", c),
        ):
            object.__setattr__(self, name, value)
        for name in ("arrival_scv", "service_scv"):
            object.__setattr__(self, name, check_scv(name, getattr(self, name)))
        if lam / (c * mu) >= 1.0:
            raise unstable_error(lam / (c * mu), lam, mu)
        label = "Kingman approximation" if c == 1 else "Allen–Cunneen approximation"
        object.__setattr__(self, "method", label)

    @property
    def offered_load(self) -> float:
        """a = λ/μ."""
        return self.arrival_rate / self.service_rate

    @property
    def utilization(self) -> float:
        """ρ = λ/(cμ)."""
        return self.offered_load / self.servers

    @property
    def occupancy(self) -> float:
        """Share of time a server is busy (= ρ)."""
        return self.utilization

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

    @property
    def mean_time_in_system(self) -> float:
        """W = Wq + 1/μ."""
        return self.mean_wait + 1.0 / self.service_rate

    @property
    def mean_queue_length(self) -> float:
        """Lq = λ Wq."""
        return self.arrival_rate * self.mean_wait

    @property
    def mean_number_in_system(self) -> float:
        """L = λ W."""
        return self.arrival_rate * self.mean_time_in_system
