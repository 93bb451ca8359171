"""Birth–death queues with exponential service: M/M/c, M/M/1, M/M/c/K and Erlang B."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
from scipy import special

from crmkit._frozen import set_fields
from crmkit._validate import check_count, check_probability
from crmkit.errors import ParameterError
from crmkit.queues._base import (
    LOAD_METRICS,
    MAX_CAPACITY,
    MAX_SERVERS,
    QUEUE_METRICS,
    WAIT_METRICS,
    QueueModel,
    WaitingModel,
    check_grid,
    check_rate,
    unstable_error,
)
from crmkit.queues._distributions import Exponential, PoissonArrivals
from crmkit.queues._erlang import log_erlang_c
from crmkit.queues._special import (
    log_erlang_b,
    log_poisson_pmf,
    log_power_over_factorial,
)

__all__ = ["MM1", "ErlangB", "MMc", "MMcK"]


@dataclass(frozen=True)
class MMc(WaitingModel):
    """The M/M/c (Erlang C) queue: Poisson arrivals, exponential service, ``c`` servers.

    Customers wait in one first-come-first-served line and never give up. All rates are
    per the same time unit (per minute, say); every time is returned in that unit.

    Parameters
    ----------
    arrival_rate : float
        λ, arrivals per time unit (in [1e-100, 1e100]).
    service_rate : float
        μ, services one server completes per time unit (in [1e-100, 1e100]); the mean
        service time is 1/μ.
    servers : int
        c, 1 to 10**8.

    Raises
    ------
    UnstableQueueError
        If ρ = λ/(cμ) ≥ 1; the message gives the smallest stable number of servers.
    ParameterError
        If an argument is not a number in its range.

    Notes
    -----
    With ``a = λ/μ``, ``ρ = a/c`` and ``C`` the Erlang C probability: ``Wq = C/(cμ -
    λ)``, ``P(Wq > t) = C e^{-(cμ-λ)t}``, ``Lq = λ Wq``, ``W = Wq + 1/μ``, ``L = λ W``
    (Little).

    References
    ----------
    D. Gross, J. F. Shortle, J. M. Thompson and C. M. Harris (2008), *Fundamentals of
    Queueing Theory*, 4th ed., Wiley, §2.3 (eqs. 2.29–2.33).

    Examples
    --------
    >>> m = MMc(arrival_rate=100 / 30, service_rate=1 / 3, servers=14)   # per minute
    >>> round(m.prob_wait, 7), round(m.service_level(20 / 60), 5)
    (0.1741319, 0.88835)
    >>> round(m.mean_wait * 60, 4)   # average speed of answer, seconds
    7.8359
    """

    arrival_rate: float
    service_rate: float
    servers: int

    METRICS: ClassVar[tuple[str, ...]] = QUEUE_METRICS

    def __post_init__(self) -> None:
        lam = check_rate("arrival_rate", self.arrival_rate)
        mu = check_rate("service_rate", self.service_rate)
        c = check_count("servers", self.servers, minimum=1, maximum=MAX_SERVERS)
        set_fields(self, arrival_rate=lam, service_rate=mu, servers=c)
        rho = lam / (c * mu)
        if rho >= 1.0:
            raise unstable_error(rho, lam, mu)

    @cached_property
    def _log_prob_wait(self) -> float:
        return log_erlang_c(self.servers, self.offered_load)

    @property
    def prob_wait(self) -> float:
        """P(an arrival finds all servers busy) = Erlang C."""
        return math.exp(self._log_prob_wait)

    @property
    def prob_empty(self) -> float:
        """P(no customer in the system), π₀."""
        c, a = self.servers, self.offered_load
        log_ac = log_power_over_factorial(float(c), a)  # log(a^c / c!)
        return math.exp(self._log_prob_wait + math.log1p(-self.utilization) - log_ac)

    @property
    def _drain_rate(self) -> float:
        return self.servers * self.service_rate - self.arrival_rate

    @property
    def mean_wait(self) -> float:
        """Wq, mean time in queue over all arrivals (those served at once count 0)."""
        return self.prob_wait / self._drain_rate

    def _prob_wait_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(wait > t) = ``C e^{-(cμ-λ)t}`` (the service level is one minus it)."""
        with np.errstate(over="ignore"):  # a huge t: exp(-inf) = 0, as it should
            return self.prob_wait * np.exp(-self._drain_rate * t)

    def _simulation_spec(self) -> dict[str, Any]:
        return {
            "arrivals": PoissonArrivals(self.arrival_rate),
            "service": Exponential(self.service_rate),
            "servers": self.servers,
        }

    def wait_quantile(self, p: float) -> float:
        """The p-quantile of the wait: the smallest t with P(wait ≤ t) ≥ p.

        Examples
        --------
        >>> MMc(arrival_rate=1, service_rate=2, servers=1).wait_quantile(0.4)
        0.0
        """
        p = check_probability("p", p, open_high=True)
        if p <= 1.0 - self.prob_wait:
            return 0.0
        return math.log(self.prob_wait / (1.0 - p)) / self._drain_rate


@dataclass(frozen=True)
class MM1(MMc):
    """The M/M/1 queue: :class:`MMc` with one server.

    References
    ----------
    D. Gross, J. F. Shortle, J. M. Thompson and C. M. Harris (2008), *Fundamentals of
    Queueing Theory*, 4th ed., Wiley, §2.2.

    Examples
    --------
    >>> m = MM1(arrival_rate=24, service_rate=30)     # per hour (Bronson, problem 23.3)
    >>> m.mean_number_in_system, round(m.mean_time_in_system, 12)
    (4.0, 0.166666666667)
    >>> round(m.prob_empty, 12)
    0.2
    """

    arrival_rate: float
    service_rate: float
    servers: int = field(default=1, init=False)


@dataclass(frozen=True)
class MMcK(WaitingModel):
    """The M/M/c/K queue: ``c`` servers and room for at most ``capacity`` customers in
    all.

    An arrival that finds ``capacity`` customers (in queue and in service) is blocked
    and lost. The model is stable at any load. Waiting metrics (``prob_wait``,
    ``mean_wait``, ``service_level``, …) are over **admitted** customers; ``prob_block``
    is the share of all arrivals lost (PASTA). ``capacity == servers`` gives the Erlang
    loss system.

    Parameters
    ----------
    arrival_rate, service_rate : float
        λ and μ, per the same time unit (each in [1e-100, 1e100]).
    servers : int
        c >= 1.
    capacity : int
        K >= c, the most customers in the system (queue + service), at most 10**7 (the
        distribution has K + 1 states).

    Notes
    -----
    ``π_n ∝ a^n/n!`` for ``n ≤ c`` and ``π_c ρ^{n-c}`` for ``c < n ≤ K``, normalised in
    logs. An admitted arrival that finds ``n ≥ c`` waits an Erlang(n - c + 1, cμ) time.

    References
    ----------
    D. Gross, J. F. Shortle, J. M. Thompson and C. M. Harris (2008), *Fundamentals of
    Queueing Theory*, 4th ed., Wiley, §2.5 (eqs. 2.47–2.53).

    Examples
    --------
    >>> m = MMcK(arrival_rate=10, service_rate=1, servers=8, capacity=12)
    >>> round(m.prob_block, 6), round(m.throughput, 6)
    (0.240229, 7.597709)
    """

    arrival_rate: float
    service_rate: float
    servers: int
    capacity: int

    METRICS: ClassVar[tuple[str, ...]] = (
        *LOAD_METRICS,
        "prob_empty",
        "prob_block",
        "throughput",
        "prob_wait",
        *WAIT_METRICS,
    )

    def __post_init__(self) -> None:
        lam = check_rate("arrival_rate", self.arrival_rate)
        mu = check_rate("service_rate", self.service_rate)
        c = check_count("servers", self.servers, minimum=1, maximum=MAX_CAPACITY)
        k = check_count("capacity", self.capacity, minimum=1, maximum=MAX_CAPACITY)
        if k < c:
            raise ParameterError(
                f"capacity = {k} < servers = {c}: capacity counts customers in service "
                "too, so pass a capacity of at least the number of servers."
            )
        set_fields(self, arrival_rate=lam, service_rate=mu, servers=c, capacity=k)

    @cached_property
    def distribution(self) -> np.ndarray:
        """π_n, n = 0 … K: the stationary distribution of the number in the system."""
        c, k, a = self.servers, self.capacity, self.offered_load
        n = np.arange(k + 1, dtype=float)
        logw = np.empty(k + 1)
        if a <= 2.0 * c:
            logw[: c + 1] = log_poisson_pmf(n[: c + 1], a)
        else:
            # overloaded: the Poisson pmf would cancel (-a + a) and lose the ratios;
            # anchor at state c instead, log w_{j-1} - log w_j = log(j/a)
            logw[c] = 0.0
            logw[:c] = np.cumsum(np.log(n[1 : c + 1] / a)[::-1])[::-1]
        logw[c + 1 :] = logw[c] + (n[c + 1 :] - c) * math.log(self.utilization)
        return np.exp(logw - special.logsumexp(logw))

    @property
    def prob_block(self) -> float:
        """P(an arrival finds the system full and is lost) = π_K."""
        return float(self.distribution[-1])

    @cached_property
    def _admitted(self) -> float:
        """1 - π_K, summed from the other states (exact even when π_K rounds to 1)."""
        return float(self.distribution[:-1].sum())

    @property
    def prob_empty(self) -> float:
        """π₀."""
        return float(self.distribution[0])

    @property
    def throughput(self) -> float:
        """Admitted (and served) customers per time unit, λ(1 - π_K)."""
        return self.arrival_rate * self._admitted

    @property
    def occupancy(self) -> float:
        """Mean busy servers / servers = throughput / (cμ)."""
        return self.throughput / (self.servers * self.service_rate)

    @property
    def mean_number_in_system(self) -> float:
        """L = Σ n π_n."""
        return float(np.arange(self.capacity + 1) @ self.distribution)

    @property
    def mean_queue_length(self) -> float:
        """Lq = Σ (n - c)⁺ π_n."""
        n = np.arange(self.capacity + 1)
        return float(np.maximum(n - self.servers, 0) @ self.distribution)

    @property
    def mean_wait(self) -> float:
        """Wq over admitted customers = Lq / throughput (Little)."""
        return self.mean_queue_length / self.throughput

    @property
    def mean_time_in_system(self) -> float:
        """W over admitted customers = L / throughput."""
        return self.mean_number_in_system / self.throughput

    @property
    def prob_wait(self) -> float:
        """P(an admitted customer finds all servers busy)."""
        pi = self.distribution
        return float(pi[self.servers : self.capacity].sum() / self._admitted)

    def _waiting_stages(
        self, t: np.ndarray
    ) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """(the state an admitted arrival finds, as probabilities q_n for n < K; the
        Erlang stages n - c + 1 and cμt of those who wait, as a times × states grid).

        An admitted arrival that finds n ≥ c waits an Erlang(n - c + 1, cμ) time;
        ``len(t) × (capacity - servers)`` is at most 2·10**7 per call.
        """
        c, k = self.servers, self.capacity
        check_grid("t", t.size, k - c)
        q = self.distribution[:k] / self._admitted
        stages = np.arange(1, k - c + 1, dtype=float)  # for n = c..K-1
        with np.errstate(over="ignore"):  # cμt = inf: gammainc(k, inf) = 1
            x = (c * self.service_rate) * t.reshape(-1, 1)
        return q, (stages, x)

    def _service_level(self, t: np.ndarray) -> np.ndarray:
        """P(wait ≤ t) over admitted customers (at most 2·10**7 times × states)."""
        c, k = self.servers, self.capacity
        q, (stages, x) = self._waiting_stages(t)
        within = np.full(t.shape, q[:c].sum())
        if k > c:
            within = within + (special.gammainc(stages, x) @ q[c:]).reshape(t.shape)
        return np.minimum(within, 1.0)

    def _prob_wait_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(wait > t) over admitted customers (at most 2·10**7 times × states)."""
        c, k = self.servers, self.capacity
        q, (stages, x) = self._waiting_stages(t)
        if k == c:
            return np.zeros(t.shape)
        return (special.gammaincc(stages, x) @ q[c:]).reshape(t.shape)

    def _simulation_spec(self) -> dict[str, Any]:
        return {
            "arrivals": PoissonArrivals(self.arrival_rate),
            "service": Exponential(self.service_rate),
            "servers": self.servers,
            "capacity": self.capacity,
        }


@dataclass(frozen=True)
class ErlangB(QueueModel):
    """The Erlang loss system M/M/c/c (and M/G/c/c): no waiting room, lost if all busy.

    Parameters
    ----------
    servers : int
        c, 1 to 10**8 (lines, trunks, agents).
    offered_load : float
        a in Erlangs (arrival rate × mean holding time), in [1e-100, 1e100].

    Notes
    -----
    ``prob_block = B(c, a)``; the blocking probability does not depend on the
    holding-time distribution beyond its mean (insensitivity).

    References
    ----------
    A. K. Erlang (1917), "Solution of some problems in the theory of probabilities of
    significance in automatic telephone exchanges", *Elektroteknikeren* 13. D. Gross,
    J. F. Shortle, J. M. Thompson and C. M. Harris (2008), *Fundamentals of Queueing
    Theory*, 4th ed., Wiley, §2.6 and §6.2.

    Examples
    --------
    >>> m = ErlangB(servers=15, offered_load=8.108)
    >>> round(m.prob_block, 4), round(m.carried_load, 3)
    (0.01, 8.027)
    """

    servers: int
    offered_load: float

    METRICS: ClassVar[tuple[str, ...]] = (
        *LOAD_METRICS,
        "prob_empty",
        "prob_block",
        "mean_number_in_system",
    )

    def __post_init__(self) -> None:
        c = check_count("servers", self.servers, minimum=1, maximum=MAX_SERVERS)
        set_fields(
            self,
            servers=c,
            offered_load=check_rate("offered_load", self.offered_load),
        )

    @cached_property
    def _log_block(self) -> float:
        return log_erlang_b(self.servers, self.offered_load)

    @property
    def prob_block(self) -> float:
        """B(c, a), the share of arrivals lost."""
        return math.exp(self._log_block)

    @property
    def utilization(self) -> float:
        """a / c, the offered load per server (may exceed 1)."""
        return self.offered_load / self.servers

    @property
    def carried_load(self) -> float:
        """a (1 - B), the mean number of busy servers."""
        return self.offered_load * -math.expm1(self._log_block)

    @property
    def occupancy(self) -> float:
        """Carried load / servers."""
        return self.carried_load / self.servers

    @property
    def mean_number_in_system(self) -> float:
        """Mean number of busy servers (= carried load)."""
        return self.carried_load

    @property
    def prob_empty(self) -> float:
        """π₀ = B c! / a^c."""
        c, a = self.servers, self.offered_load
        return math.exp(self._log_block - log_power_over_factorial(float(c), a))
