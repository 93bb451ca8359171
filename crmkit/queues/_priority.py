"""M/M/c with non-preemptive priority classes (a VIP line)."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from crmkit._frozen import set_fields
from crmkit._validate import check_count
from crmkit.errors import ParameterError
from crmkit.queues._base import (
    LOAD_METRICS,
    MAX_SERVERS,
    WAIT_METRICS,
    WaitsWithoutDistribution,
    check_rate,
    check_sequence,
    unstable_error,
)
from crmkit.queues._distributions import Exponential, PoissonArrivals
from crmkit.queues._erlang import log_erlang_c

__all__ = ["PriorityMMc"]


@dataclass(frozen=True)
class PriorityMMc(WaitsWithoutDistribution):
    """M/M/c with non-preemptive priority classes sharing one service rate.

    When a server frees, it takes the longest-waiting customer of the highest class that
    has anyone waiting; a service in progress is never interrupted. Class 1 is served
    first (pass the rates highest priority first).

    Parameters
    ----------
    arrival_rates : sequence of float
        λ_1, …, λ_K, highest priority first (each in [1e-100, 1e100]).
    service_rate : float
        μ, common to all classes (in [1e-100, 1e100]).
    servers : int
        c, 1 to 10**8.

    Notes
    -----
    With ``σ_k = Σ_{i≤k} λ_i/(cμ)`` and ``C`` the Erlang C probability at the total
    load, class k waits on average ``W_k = C / (cμ (1 - σ_{k-1})(1 - σ_k))`` (Cobham's
    formula; for M/M/c with a common rate the mean residual work is ``C/(cμ)``). Because
    the discipline is work-conserving, the λ-weighted mean of the ``W_k`` equals the
    FCFS M/M/c mean wait. Per-class mean metrics are tuples, highest priority first.

    References
    ----------
    A. Cobham (1954), "Priority assignment in waiting line problems", *Operations
    Research* 2(1):70–76. L. Kleinrock (1976), *Queueing Systems, Vol. 2*, Wiley, §3.6.
    D. Gross, J. F. Shortle, J. M. Thompson and C. M. Harris (2008), *Fundamentals of
    Queueing Theory*, 4th ed., Wiley, §3.4.

    Examples
    --------
    >>> p = PriorityMMc(arrival_rates=[1, 9], service_rate=12, servers=1)   # per hour
    >>> [round(w * 60, 3) for w in p.mean_time_in_system]                   # minutes
    [9.545, 32.273]
    """

    arrival_rates: tuple[float, ...]
    service_rate: float
    servers: int = 1

    METRICS: ClassVar[tuple[str, ...]] = (
        *LOAD_METRICS,
        "prob_wait",
        *WAIT_METRICS,
        "overall_mean_wait",
    )
    _NO_WAIT_DISTRIBUTION: ClassVar[str | None] = (
        "PriorityMMc gives exact per-class mean waits only; the per-class "
        "waiting-time distribution has no closed form here. Use "
        "crmkit.queues.simulate(model), which reports the service level per class."
    )

    def __post_init__(self) -> None:
        given = check_sequence(
            "arrival_rates", self.arrival_rates, "[1.0, 9.0] (highest priority first)"
        )
        if len(given) == 0:
            raise ParameterError(
                "arrival_rates = [] is empty; pass at least one class's rate, e.g. "
                "[1.0, 9.0]."
            )
        rates = tuple(check_rate(f"arrival_rates[{i}]", r) for i, r in enumerate(given))
        mu = check_rate("service_rate", self.service_rate)
        c = check_count("servers", self.servers, minimum=1, maximum=MAX_SERVERS)
        set_fields(self, arrival_rates=rates, service_rate=mu, servers=c)
        total = list(itertools.accumulate(rates))[-1]  # as mean_wait sums them
        rho = total / (c * mu)
        if rho >= 1.0:
            raise unstable_error(rho, total, mu)

    @property
    def arrival_rate(self) -> float:
        """Total λ."""
        return sum(self.arrival_rates)

    @cached_property
    def prob_wait(self) -> float:
        """P(all servers busy on arrival), the same for every class (PASTA)."""
        return math.exp(log_erlang_c(self.servers, self.offered_load))

    @cached_property
    def mean_wait(self) -> tuple[float, ...]:
        """W_k, mean time in queue per class, highest priority first."""
        cmu = self.servers * self.service_rate
        # σ_k from running sums of λ (the sum that was checked to be below cμ), so
        # that no 1 - σ_k rounds to 0
        sigma = [0.0] + [s / cmu for s in itertools.accumulate(self.arrival_rates)]
        return tuple(
            self.prob_wait / (cmu * (1.0 - before) * (1.0 - after))
            for before, after in itertools.pairwise(sigma)
        )

    @property
    def mean_time_in_system(self) -> tuple[float, ...]:
        """W_k + 1/μ per class."""
        return tuple(w + 1.0 / self.service_rate for w in self.mean_wait)

    @property
    def mean_queue_length(self) -> tuple[float, ...]:
        """λ_k W_k per class."""
        return tuple(
            lam * w for lam, w in zip(self.arrival_rates, self.mean_wait, strict=True)
        )

    @property
    def mean_number_in_system(self) -> tuple[float, ...]:
        """λ_k (W_k + 1/μ) per class."""
        return tuple(
            lam * w
            for lam, w in zip(self.arrival_rates, self.mean_time_in_system, strict=True)
        )

    @property
    def overall_mean_wait(self) -> float:
        """The arrival-weighted mean wait over all classes (equals FCFS M/M/c Wq)."""
        return sum(q for q in self.mean_queue_length) / self.arrival_rate

    def _simulation_spec(self) -> dict[str, Any]:
        """Poisson arrivals split into the classes by their shares of λ."""
        lam = self.arrival_rate
        return {
            "arrivals": PoissonArrivals(lam),
            "service": Exponential(self.service_rate),
            "servers": self.servers,
            "priority_shares": tuple(r / lam for r in self.arrival_rates),
        }

    def _simulated_metric(self, metric: str, within: float) -> tuple[float | None, str]:
        """Per-class mean waits, and the overall means (summed over the classes)."""
        base, _, cls = metric.partition("[")
        if cls:
            if base != "mean_wait":
                return None, ""
            return self.mean_wait[int(cls[:-1]) - 1], "exact"
        values = {
            "mean_wait": self.overall_mean_wait,
            "prob_wait": self.prob_wait,
            "occupancy": self.occupancy,
            "mean_queue_length": sum(self.mean_queue_length),
            "mean_number_in_system": sum(self.mean_number_in_system),
        }
        return values.get(base), "exact"
