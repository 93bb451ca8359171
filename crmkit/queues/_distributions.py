"""Distributions and arrival processes for the queue simulator.

A distribution is a small frozen object with ``sample(rng, size)``, ``mean`` and ``scv``
(squared coefficient of variation, variance / mean²). An arrival process returns sorted
arrival times with ``generate(rng, customers=…)`` or ``generate(rng, horizon=…)``.
Sampling uses numpy's ``Generator`` methods (scipy's frozen distributions for any other
law).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike

from crmkit._validate import check_count, check_nonnegative, check_positive
from crmkit.errors import ParameterError

__all__ = [
    "Deterministic",
    "Distribution",
    "Empirical",
    "Erlang",
    "Exponential",
    "FromScipy",
    "Gamma",
    "GivenArrivals",
    "Lognormal",
    "NHPPArrivals",
    "PoissonArrivals",
    "RenewalArrivals",
    "Schedule",
]


@runtime_checkable
class Distribution(Protocol):
    """What the simulator needs of a distribution of positive times."""

    @property
    def mean(self) -> float: ...

    @property
    def scv(self) -> float: ...

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray: ...


@dataclass(frozen=True)
class Exponential:
    """Exponential times with ``rate`` (mean 1/rate, SCV 1).

    Examples
    --------
    >>> Exponential(rate=2.0).mean
    0.5
    """

    rate: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", check_positive("rate", self.rate))

    @property
    def mean(self) -> float:
        return 1.0 / self.rate

    @property
    def scv(self) -> float:
        return 1.0

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(1.0 / self.rate, size)


@dataclass(frozen=True)
class Deterministic:
    """Every time equals ``value`` (SCV 0).

    Examples
    --------
    >>> Deterministic(3.0).sample(None, 2).tolist()
    [3.0, 3.0]
    """

    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", check_nonnegative("value", self.value))

    @property
    def mean(self) -> float:
        return self.value

    @property
    def scv(self) -> float:
        return 0.0

    def sample(self, rng: np.random.Generator | None, size: int) -> np.ndarray:
        return np.full(size, self.value)


@dataclass(frozen=True)
class Erlang:
    """Erlang-k times with the given ``mean`` (a sum of k exponential stages; SCV 1/k).

    Examples
    --------
    >>> Erlang(k=4, mean=2.0).scv
    0.25
    """

    k: int
    mean: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "k", check_count("k", self.k, minimum=1))
        object.__setattr__(self, "mean", check_positive("mean", self.mean))

    @property
    def scv(self) -> float:
        return 1.0 / self.k

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.gamma(self.k, self.mean / self.k, size)


@dataclass(frozen=True)
class Gamma:
    """Gamma times by ``mean`` and ``scv`` (shape 1/scv); ``scv=0`` is deterministic.

    Examples
    --------
    >>> Gamma(mean=2.0, scv=0.5).mean
    2.0
    """

    mean: float
    scv: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", check_positive("mean", self.mean))
        object.__setattr__(self, "scv", check_nonnegative("scv", self.scv))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.scv == 0.0:
            return np.full(size, self.mean)
        shape = 1.0 / self.scv
        return rng.gamma(shape, self.mean / shape, size)


@dataclass(frozen=True)
class Lognormal:
    """Lognormal times by ``mean`` and coefficient of variation ``cv`` (= sd / mean).

    ``σ² = log(1 + cv²)`` and ``μ = log(mean) - σ²/2`` for the underlying normal. Use
    :meth:`from_log` to give μ and σ of log-time directly (as call-centre studies
    report).

    Examples
    --------
    >>> d = Lognormal.from_log(mu=5.0, sigma=0.88)
    >>> round(d.mean, 1), round(d.sigma, 2)
    (218.6, 0.88)
    """

    mean: float
    cv: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", check_positive("mean", self.mean))
        object.__setattr__(self, "cv", check_positive("cv", self.cv))

    @classmethod
    def from_log(cls, mu: float, sigma: float) -> Lognormal:
        """The lognormal whose log has mean ``mu`` and standard deviation ``sigma``."""
        sigma = check_positive("sigma", sigma)
        mean = math.exp(mu + sigma**2 / 2)
        return cls(mean=mean, cv=math.sqrt(math.expm1(sigma**2)))

    @property
    def sigma(self) -> float:
        """Standard deviation of log-time."""
        return math.sqrt(math.log1p(self.cv**2))

    @property
    def mu(self) -> float:
        """Mean of log-time."""
        return math.log(self.mean) - self.sigma**2 / 2

    @property
    def scv(self) -> float:
        return self.cv**2

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.lognormal(self.mu, self.sigma, size)


@dataclass(frozen=True, eq=False)
class Empirical:
    """Times resampled (with replacement) from observed ``values``.

    Examples
    --------
    >>> d = Empirical([1.0, 2.0, 3.0])
    >>> d.mean, round(d.scv, 4)
    (2.0, 0.1667)
    """

    values: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        v = np.asarray(self.values, dtype=float).ravel()
        if v.size == 0:
            raise ParameterError("Empirical needs at least one observed value.")
        if not np.isfinite(v).all() or (v < 0).any():
            raise ParameterError("Empirical values must be finite and >= 0 (times).")
        v = v.copy()
        v.flags.writeable = False
        object.__setattr__(self, "values", v)

    def __repr__(self) -> str:
        return f"Empirical(n={self.values.size}, mean={self.mean:.4g})"

    @property
    def mean(self) -> float:
        return float(self.values.mean())

    @property
    def scv(self) -> float:
        m = self.mean
        return float(self.values.var() / m**2) if m > 0 else 0.0

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.choice(self.values, size=size, replace=True)


@dataclass(frozen=True, eq=False)
class FromScipy:
    """Any frozen ``scipy.stats`` distribution of non-negative times.

    Examples
    --------
    >>> from scipy import stats
    >>> d = FromScipy(stats.weibull_min(c=1.5, scale=2.0))
    >>> round(d.mean, 4)
    1.8055
    """

    dist: Any

    def __post_init__(self) -> None:
        if not hasattr(self.dist, "rvs") or not hasattr(self.dist, "stats"):
            raise ParameterError("FromScipy needs a frozen scipy.stats distribution.")
        if self.dist.support()[0] < 0:
            raise ParameterError(
                "the distribution must not put mass on negative times."
            )

    @property
    def mean(self) -> float:
        return float(self.dist.mean())

    @property
    def scv(self) -> float:
        return float(self.dist.var() / self.dist.mean() ** 2)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.asarray(self.dist.rvs(size=size, random_state=rng), dtype=float)


def _check_distribution(name: str, dist: object) -> Distribution:
    if not isinstance(dist, Distribution):
        raise ParameterError(
            f"{name} must be a distribution with sample(rng, size), mean and scv (e.g. "
            f"Exponential(rate=1.0) or Lognormal(mean=3.0, cv=0.9)); got {dist!r}."
        )
    return dist


# ---------------------------------------------------------------- arrival processes


def _check_length(
    customers: int | None, horizon: float | None
) -> tuple[int | None, float | None]:
    if (customers is None) == (horizon is None):
        raise ParameterError("give exactly one of customers or horizon.")
    if customers is not None:
        return check_count("customers", customers, minimum=1), None
    return None, check_positive("horizon", horizon)


def _renewal(
    rng: np.random.Generator,
    draw: Callable[[np.random.Generator, int], np.ndarray],
    mean_gap: float,
    customers: int | None,
    horizon: float | None,
) -> np.ndarray:
    if customers is not None:
        return np.cumsum(draw(rng, customers))
    chunks, total = [], 0.0
    assert horizon is not None
    while total <= horizon:
        size = max(16, int(1.2 * (horizon - total) / mean_gap) + 16)
        times = total + np.cumsum(draw(rng, size))
        chunks.append(times)
        total = float(times[-1])
    times = np.concatenate(chunks)
    return times[times <= horizon]


@dataclass(frozen=True)
class PoissonArrivals:
    """A Poisson process with ``rate`` arrivals per time unit.

    Examples
    --------
    >>> t = PoissonArrivals(rate=2.0).generate(np.random.default_rng(1), customers=3)
    >>> bool((np.diff(t) > 0).all())
    True
    """

    rate: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", check_positive("rate", self.rate))

    @property
    def mean_rate(self) -> float:
        return self.rate

    @property
    def scv(self) -> float:
        return 1.0

    def generate(
        self,
        rng: np.random.Generator,
        *,
        customers: int | None = None,
        horizon: float | None = None,
    ) -> np.ndarray:
        customers, horizon = _check_length(customers, horizon)
        return _renewal(
            rng,
            lambda g, n: g.exponential(1.0 / self.rate, n),
            1.0 / self.rate,
            customers,
            horizon,
        )


@dataclass(frozen=True)
class RenewalArrivals:
    """Arrivals separated by independent draws from ``interarrival`` (a G/·/· process).

    Examples
    --------
    >>> RenewalArrivals(Gamma(mean=0.5, scv=0.25)).mean_rate
    2.0
    """

    interarrival: Any

    def __post_init__(self) -> None:
        _check_distribution("interarrival", self.interarrival)

    @property
    def mean_rate(self) -> float:
        return 1.0 / self.interarrival.mean

    @property
    def scv(self) -> float:
        return self.interarrival.scv

    def generate(
        self,
        rng: np.random.Generator,
        *,
        customers: int | None = None,
        horizon: float | None = None,
    ) -> np.ndarray:
        customers, horizon = _check_length(customers, horizon)
        return _renewal(
            rng, self.interarrival.sample, self.interarrival.mean, customers, horizon
        )


@dataclass(frozen=True, eq=False)
class NHPPArrivals:
    """A non-homogeneous Poisson process: time-of-day demand.

    Give either ``profile`` (a rate per interval of length ``interval``, repeated
    cyclically; generated exactly, interval by interval) or ``rate_function`` (any
    function of time, generated by thinning, which needs ``max_rate`` ≥ the function
    everywhere).

    Parameters
    ----------
    profile : sequence of float, optional
        Rates per time unit in consecutive intervals, e.g. 24 hourly rates.
    interval : float, default 1.0
        Length of each profile interval in the rates' time unit (60 for hourly profiles
        with rates per minute).
    rate_function : callable, optional
        ``t -> rate`` (vectorised over numpy arrays).
    max_rate : float, optional
        An upper bound of ``rate_function`` (required with it).

    References
    ----------
    P. A. W. Lewis and G. S. Shedler (1979), "Simulation of nonhomogeneous Poisson
    processes by thinning", *Naval Research Logistics Quarterly* 26(3):403–413.

    Examples
    --------
    >>> proc = NHPPArrivals(profile=[1.0, 4.0], interval=10.0)
    >>> t = proc.generate(np.random.default_rng(0), horizon=20.0)
    >>> bool((t[t < 10].size < t[t >= 10].size))
    True
    """

    profile: Sequence[float] | None = None
    interval: float = 1.0
    rate_function: Callable[[np.ndarray], np.ndarray] | None = None
    max_rate: float | None = None

    def __post_init__(self) -> None:
        if (self.profile is None) == (self.rate_function is None):
            raise ParameterError("give exactly one of profile or rate_function.")
        object.__setattr__(self, "interval", check_positive("interval", self.interval))
        if self.profile is not None:
            rates = np.asarray(self.profile, dtype=float)
            if rates.ndim != 1 or rates.size == 0:
                raise ParameterError("profile must be a non-empty sequence of rates.")
            if not np.isfinite(rates).all() or (rates < 0).any():
                raise ParameterError("profile rates must be finite and >= 0.")
            if rates.sum() == 0:
                raise ParameterError(
                    "profile has no positive rate: nobody would arrive."
                )
            object.__setattr__(self, "profile", tuple(rates.tolist()))
        else:
            if self.max_rate is None:
                raise ParameterError(
                    "rate_function needs max_rate, an upper bound of it."
                )
            object.__setattr__(
                self, "max_rate", check_positive("max_rate", self.max_rate)
            )

    @property
    def mean_rate(self) -> float:
        if self.profile is not None:
            return float(np.mean(self.profile))
        grid = np.linspace(0.0, 1000.0, 10_001)
        return float(np.mean(self.rate_function(grid)))  # type: ignore[misc]

    @property
    def scv(self) -> float:
        return 1.0

    def rate_at(self, t: ArrayLike) -> np.ndarray:
        """The arrival rate at times ``t``."""
        tt = np.asarray(t, dtype=float)
        if self.profile is not None:
            idx = (np.floor(tt / self.interval).astype(int)) % len(self.profile)
            return np.asarray(self.profile)[idx]
        return np.asarray(self.rate_function(tt), dtype=float)  # type: ignore[misc]

    def _window(self, rng: np.random.Generator, t0: float, t1: float) -> np.ndarray:
        if self.profile is not None:
            k0, k1 = math.floor(t0 / self.interval), math.ceil(t1 / self.interval)
            ks = np.arange(k0, k1)
            lo = np.maximum(ks * self.interval, t0)
            hi = np.minimum((ks + 1) * self.interval, t1)
            rates = np.asarray(self.profile)[ks % len(self.profile)]
            counts = rng.poisson(rates * (hi - lo))
            times = np.repeat(lo, counts) + rng.random(counts.sum()) * np.repeat(
                hi - lo, counts
            )
            return np.sort(times)
        assert self.max_rate is not None
        n = rng.poisson(self.max_rate * (t1 - t0))
        cand = np.sort(t0 + rng.random(n) * (t1 - t0))
        rates = self.rate_at(cand)
        if (rates > self.max_rate * (1 + 1e-12)).any():
            raise ParameterError(
                f"rate_function exceeds max_rate = {self.max_rate:g} (it reaches "
                f"{rates.max():g}); pass a larger max_rate."
            )
        return cand[rng.random(n) * self.max_rate < rates]

    def generate(
        self,
        rng: np.random.Generator,
        *,
        customers: int | None = None,
        horizon: float | None = None,
    ) -> np.ndarray:
        customers, horizon = _check_length(customers, horizon)
        if horizon is not None:
            return self._window(rng, 0.0, horizon)
        assert customers is not None
        chunks, got, t0 = [], 0, 0.0
        span = max(self.interval * (len(self.profile) if self.profile else 1), 1.0)
        while got < customers:
            times = self._window(rng, t0, t0 + span)
            chunks.append(times)
            got += times.size
            t0 += span
        return np.concatenate(chunks)[:customers]


@dataclass(frozen=True, eq=False)
class GivenArrivals:
    """Arrival times given in advance (e.g. replayed from a call log).

    Examples
    --------
    >>> GivenArrivals([0.5, 0.1, 2.0]).generate(None, customers=2).tolist()
    [0.1, 0.5]
    """

    times: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        t = np.asarray(self.times, dtype=float).ravel()
        if t.size == 0:
            raise ParameterError("GivenArrivals needs at least one arrival time.")
        if not np.isfinite(t).all() or (t < 0).any():
            raise ParameterError("arrival times must be finite and >= 0.")
        t = np.sort(t)
        t.flags.writeable = False
        object.__setattr__(self, "times", t)

    def __repr__(self) -> str:
        return f"GivenArrivals(n={self.times.size})"

    @property
    def mean_rate(self) -> float:
        span = self.times[-1] - self.times[0]
        return float((self.times.size - 1) / span) if span > 0 else math.inf

    @property
    def scv(self) -> float:
        gaps = np.diff(self.times)
        return (
            float(gaps.var() / gaps.mean() ** 2)
            if gaps.size > 1 and gaps.mean() > 0
            else 0.0
        )

    def generate(
        self,
        rng: np.random.Generator | None,
        *,
        customers: int | None = None,
        horizon: float | None = None,
    ) -> np.ndarray:
        if customers is None and horizon is None:
            return self.times.copy()
        customers, horizon = _check_length(customers, horizon)
        if customers is not None:
            if customers > self.times.size:
                raise ParameterError(
                    f"customers = {customers} but only {self.times.size} arrival times "
                    "are given."
                )
            return self.times[:customers].copy()
        return self.times[self.times <= horizon].copy()


@dataclass(frozen=True, eq=False)
class Schedule:
    """Servers on duty over time: ``servers[i]`` from ``starts[i]`` until
    ``starts[i+1]``.

    The first start must be 0; the last level lasts until ``end`` (or for ever when
    ``end`` is None). A server going off duty finishes the customer in hand.

    Examples
    --------
    >>> s = Schedule.from_intervals([2, 5, 3], interval=60.0)
    >>> s.servers_at([0.0, 61.0, 150.0]).tolist()
    [2, 5, 3]
    """

    starts: tuple[float, ...]
    servers: tuple[int, ...]
    end: float | None = None

    def __post_init__(self) -> None:
        starts = [
            check_nonnegative(f"starts[{i}]", s) for i, s in enumerate(self.starts)
        ]
        levels = [
            check_count(f"servers[{i}]", c, minimum=0)
            for i, c in enumerate(self.servers)
        ]
        if not starts or len(starts) != len(levels):
            raise ParameterError(
                "starts and servers must be non-empty and of equal length."
            )
        if starts[0] != 0.0:
            raise ParameterError(
                f"the schedule starts at {starts[0]:g}, not 0: say how many servers "
                "are on duty from time 0."
            )
        if any(b <= a for a, b in itertools.pairwise(starts)):
            raise ParameterError("schedule starts must increase strictly.")
        if self.end is not None and check_positive("end", self.end) <= starts[-1]:
            raise ParameterError("end must come after the last start.")
        object.__setattr__(self, "starts", tuple(starts))
        object.__setattr__(self, "servers", tuple(levels))

    @classmethod
    def from_intervals(cls, servers: Sequence[int], interval: float) -> Schedule:
        """One level per consecutive interval of length ``interval``; ends after the
        last."""
        interval = check_positive("interval", interval)
        n = len(servers)
        return cls(
            tuple(i * interval for i in range(n)), tuple(servers), end=n * interval
        )

    def servers_at(self, t: ArrayLike) -> np.ndarray:
        """Servers on duty at times ``t``."""
        idx = (
            np.searchsorted(
                np.asarray(self.starts), np.asarray(t, dtype=float), side="right"
            )
            - 1
        )
        return np.asarray(self.servers)[idx]

    def server_time(self, t0: float, t1: float) -> float:
        """Server-time available on [t0, t1] (the integral of servers on duty)."""
        edges = np.append(
            np.asarray(self.starts), math.inf if self.end is None else self.end
        )
        lo = np.clip(edges[:-1], t0, t1)
        hi = np.clip(edges[1:], t0, t1)
        return float(np.sum((hi - lo) * np.asarray(self.servers)))

    def check_covers(self, last_time: float) -> None:
        """Raise if customers arrive after the schedule ends."""
        if self.end is not None and last_time > self.end:
            raise ParameterError(
                f"customers arrive until {last_time:g} but the schedule ends at "
                f"{self.end:g}: extend the schedule or shorten the horizon."
            )
