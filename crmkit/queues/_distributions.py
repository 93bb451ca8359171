"""Distributions and arrival processes for the queue simulator.

A distribution is a small frozen object with ``sample(rng, size)``, ``mean`` and ``scv``
(squared coefficient of variation, variance / mean²). An arrival process returns sorted
arrival times with ``generate(rng, customers=…)`` or ``generate(rng, horizon=…)``.
Each named law also gives its frozen ``scipy.stats`` distribution as ``dist`` (cdf,
quantiles, …) and draws the numbers that distribution's ``rvs`` draws, through the
numpy ``Generator`` method it calls (see the note above :class:`Exponential`);
:class:`FromScipy` adapts any other frozen scipy distribution. Servers on duty over
time are a :class:`~crmkit.queues.Schedule` (:mod:`crmkit.queues._schedule`).

Every parameter is checked: rates and mean times lie in [1e-100, 1e100] (per the time
unit chosen), SCVs in [0, 1e6]; one ``sample`` or ``generate`` call draws at most 10**8
times (see :mod:`crmkit.queues._base` for the limits).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from crmkit._frozen import set_fields
from crmkit._replication import check_rng
from crmkit._validate import (
    check_count,
    check_positive,
    check_real,
    check_work,
    show,
)
from crmkit.errors import CrmkitError, ParameterError
from crmkit.queues._base import (
    MAX_DRAWS,
    MAX_SCALE,
    MAX_SCV,
    MIN_SCALE,
    check_rate,
    check_scv,
    check_sequence,
    check_time_scale,
    check_times,
    check_values,
)

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
]


@runtime_checkable
class Distribution(Protocol):
    """What the simulator needs of a distribution of positive times."""

    @property
    def mean(self) -> float: ...

    @property
    def scv(self) -> float: ...

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray: ...


def _check_generator(rng: object) -> np.random.Generator:
    """A numpy Generator (an int seed or None is turned into one)."""
    if isinstance(rng, np.random.Generator):
        return rng
    try:
        return check_rng(rng)  # type: ignore[arg-type]
    except CrmkitError:
        raise ParameterError(
            f"rng = {show(rng)} is not a numpy.random.Generator; pass "
            "np.random.default_rng(seed) (or an int seed)."
        ) from None


class _Sampled(ABC):
    """Template for a distribution: :meth:`sample` checks ``rng`` (a Generator, or a
    seed) and ``size`` (0 to 10**8), then the subclass's ``_draw`` draws."""

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        n = check_count("size", size, minimum=0, maximum=MAX_DRAWS)
        return self._draw(_check_generator(rng), n)

    @abstractmethod
    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws with the checked Generator ``rng``."""


@dataclass(frozen=True)
class _Rate:
    """One checked parameter, a ``rate`` in [1e-100, 1e100] per time unit; SCV 1 (the
    exponential law of :class:`Exponential` and the gaps of :class:`PoissonArrivals`).
    """

    rate: float

    def __post_init__(self) -> None:
        set_fields(self, rate=check_rate("rate", self.rate))

    @property
    def scv(self) -> float:
        return 1.0


class _ScipyLaw(_Sampled):
    """A named law: ``dist`` is its frozen scipy.stats distribution (built by the
    subclass's ``_law`` on first use, then kept)."""

    @cached_property
    def dist(self) -> Any:
        """The law as a frozen scipy.stats distribution (cdf, sf, ppf, interval, …)."""
        return self._law()

    @abstractmethod
    def _law(self) -> Any:
        """The frozen scipy.stats distribution of the law."""


class _GammaLaw(_ScipyLaw):
    """A gamma law with the shape and scale the subclass's ``_gamma`` gives."""

    @abstractmethod
    def _gamma(self) -> tuple[float, float]:
        """The law's (shape, scale)."""

    def _law(self) -> Any:
        shape, scale = self._gamma()
        return stats.gamma(shape, scale=scale)

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        shape, scale = self._gamma()
        return rng.gamma(shape, scale, size)


# Why the laws below draw with numpy's Generator methods rather than ``dist.rvs``:
# scipy's ``rvs`` calls the very same Generator method (``standard_exponential``,
# ``standard_gamma``) and scales it, so the numbers are identical
# (tests/queues/test_distributions.py checks it bit for bit), but building a frozen
# distribution takes about 0.5 ms and each ``rvs`` call about 29 µs, against 1.6 µs
# for the Generator method (timeit, scipy 1.17.1, 100 draws). A 2,000-customer
# simulation takes 6.5 ms, so ``rvs`` would slow each run of a sweep
# (benchmarks/bench_sweeps.py) by about 8 %. ``dist`` gives the scipy distribution of
# the same law for everything else (cdf, sf, ppf, interval, ...).


@dataclass(frozen=True)
class Exponential(_ScipyLaw, _Rate):
    """Exponential times with ``rate`` (mean 1/rate, SCV 1).

    ``dist`` is the same law as a frozen ``scipy.stats.expon(scale=1/rate)``; draws are
    ``rng.exponential(1/rate, size)``, the numbers ``dist.rvs(size=size,
    random_state=rng)`` gives, without scipy's per-call cost.

    Examples
    --------
    >>> Exponential(rate=2.0).mean
    0.5
    >>> round(float(Exponential(rate=2.0).dist.sf(1.0)), 4)    # P(time > 1)
    0.1353
    """

    @property
    def mean(self) -> float:
        return 1.0 / self.rate

    def _law(self) -> Any:
        return stats.expon(scale=1.0 / self.rate)

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
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
        set_fields(self, value=check_time_scale("value", self.value))

    @property
    def mean(self) -> float:
        return self.value

    @property
    def scv(self) -> float:
        return 0.0

    def sample(self, rng: np.random.Generator | None, size: int) -> np.ndarray:
        if rng is not None:
            _check_generator(rng)
        return np.full(
            check_count("size", size, minimum=0, maximum=MAX_DRAWS), self.value
        )


@dataclass(frozen=True)
class Erlang(_GammaLaw):
    """Erlang-k times with the given ``mean`` (a sum of k exponential stages; SCV 1/k).

    ``k`` is 1 to 10**6; ``mean`` lies in [1e-100, 1e100]. ``dist`` is the same law as
    a frozen ``scipy.stats.gamma(k, scale=mean/k)`` (``scipy.stats.erlang`` is the same
    law); draws are ``rng.gamma(k, mean/k, size)``, the numbers its ``rvs`` gives.
    ``mean`` and ``scv`` are the given mean and 1/k exactly (scipy's moments
    ``k·(mean/k)`` can differ from them in the last bit).

    Examples
    --------
    >>> Erlang(k=4, mean=2.0).scv
    0.25
    """

    k: int
    mean: float

    def __post_init__(self) -> None:
        set_fields(
            self,
            k=check_count("k", self.k, minimum=1, maximum=10**6),
            mean=check_rate("mean", self.mean),
        )

    @property
    def scv(self) -> float:
        return 1.0 / self.k

    def _gamma(self) -> tuple[float, float]:
        return self.k, self.mean / self.k


@dataclass(frozen=True)
class Gamma(_GammaLaw):
    """Gamma times by ``mean`` and ``scv`` (shape 1/scv); ``scv=0`` is deterministic.

    ``mean`` lies in [1e-100, 1e100], ``scv`` in [0, 1e6]. ``dist`` is the same law as
    a frozen ``scipy.stats.gamma(1/scv, scale=mean·scv)`` (for ``scv=0`` a
    ``scipy.stats.rv_discrete`` with all its mass at ``mean``); draws are
    ``rng.gamma(1/scv, mean/(1/scv), size)``, the numbers its ``rvs`` gives.

    Examples
    --------
    >>> Gamma(mean=2.0, scv=0.5).mean
    2.0
    """

    mean: float
    scv: float

    def __post_init__(self) -> None:
        set_fields(
            self, mean=check_rate("mean", self.mean), scv=check_scv("scv", self.scv)
        )

    def _gamma(self) -> tuple[float, float]:
        shape = 1.0 / self.scv
        return shape, self.mean / shape

    def _law(self) -> Any:
        if self.scv == 0.0:
            return stats.rv_discrete(values=([self.mean], [1.0]))
        return super()._law()

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        if self.scv == 0.0:
            return np.full(size, self.mean)
        return super()._draw(rng, size)


_MAX_CV = math.sqrt(MAX_SCV)
_MAX_SIGMA = math.sqrt(math.log1p(MAX_SCV))


@dataclass(frozen=True)
class Lognormal(_ScipyLaw):
    """Lognormal times by ``mean`` and coefficient of variation ``cv`` (= sd / mean).

    ``σ² = log(1 + cv²)`` and ``μ = log(mean) - σ²/2`` for the underlying normal. Use
    :meth:`from_log` to give μ and σ of log-time directly (as call-centre studies
    report). ``mean`` lies in [1e-100, 1e100] and ``cv`` in (0, 1000] (σ at most
    about 3.72).

    ``dist`` is the same law as a frozen ``scipy.stats.lognorm(σ, scale=exp(μ))``.
    Draws are ``rng.lognormal(μ, σ, size)``, that is ``exp(μ + σZ)``, and **not** its
    ``rvs``, which computes ``exp(σZ)·exp(μ)`` from the same normal draws ``Z`` and so
    differs in the last bits (relative 1e-15): stored answers depend on these draws.

    Examples
    --------
    >>> d = Lognormal.from_log(mu=5.0, sigma=0.88)
    >>> round(d.mean, 1), round(d.sigma, 2)
    (218.6, 0.88)
    """

    mean: float
    cv: float

    def __post_init__(self) -> None:
        set_fields(
            self,
            mean=check_rate("mean", self.mean),
            cv=check_real("cv", self.cv, low=0.0, low_open=True, high=_MAX_CV),
        )

    @classmethod
    def from_log(cls, mu: float, sigma: float) -> Lognormal:
        """The lognormal whose log has mean ``mu`` and standard deviation ``sigma``.

        ``sigma`` lies in (0, 3.717] (a cv of at most 1000) and the mean
        ``exp(mu + sigma²/2)`` in [1e-100, 1e100].
        """
        mu = check_real("mu", mu)
        sigma = check_real("sigma", sigma, low=0.0, low_open=True, high=_MAX_SIGMA)
        log_mean = mu + sigma**2 / 2
        if not math.log(MIN_SCALE) <= log_mean <= math.log(MAX_SCALE):
            raise ParameterError(
                f"mu = {mu:g} with sigma = {sigma:g} gives a mean time exp(mu + "
                f"sigma²/2) = exp({log_mean:.4g}), outside [1e-100, 1e100]; pass mu of "
                "log-times in another time unit (|mu| below about 230)."
            )
        return cls(
            mean=math.exp(log_mean), cv=min(math.sqrt(math.expm1(sigma**2)), _MAX_CV)
        )

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

    def _law(self) -> Any:
        return stats.lognorm(self.sigma, scale=math.exp(self.mu))

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.lognormal(self.mu, self.sigma, size)


@dataclass(frozen=True, eq=False)
class Empirical(_Sampled):
    """Times resampled (with replacement) from observed ``values`` (finite, >= 0 and
    at most 1e100).

    Examples
    --------
    >>> d = Empirical([1.0, 2.0, 3.0])
    >>> d.mean, round(d.scv, 4)
    (2.0, 0.1667)
    """

    values: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        given = check_sequence("values", self.values, "[2.5, 3.1, 0.8]")
        v = check_values("values", given, low=0.0, high=MAX_SCALE)
        v.flags.writeable = False
        set_fields(self, values=v)

    def __repr__(self) -> str:
        return f"Empirical(n={self.values.size}, mean={self.mean:.4g})"

    @property
    def mean(self) -> float:
        return float(self.values.mean())

    @property
    def scv(self) -> float:
        m = self.mean
        return float(self.values.var() / m**2) if m > 0 else 0.0

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.choice(self.values, size=size, replace=True)


@dataclass(frozen=True, eq=False)
class FromScipy(_Sampled):
    """Any frozen ``scipy.stats`` distribution of non-negative times.

    The adapter for laws crmkit does not name: ``mean`` and ``scv`` come from the
    distribution's moments and draws from its ``rvs`` with ``random_state=rng``.
    :class:`Exponential`, :class:`Erlang`, :class:`Gamma` and :class:`Lognormal` give
    the same ``dist`` attribute for their own law.

    Examples
    --------
    >>> from scipy import stats
    >>> d = FromScipy(stats.weibull_min(c=1.5, scale=2.0))
    >>> round(d.mean, 4)
    1.8055
    """

    dist: Any

    def __post_init__(self) -> None:
        if isinstance(self.dist, type) or not all(
            hasattr(self.dist, a) for a in ("rvs", "stats", "support", "mean")
        ):
            raise ParameterError(
                f"dist = {show(self.dist)} is not a frozen scipy.stats distribution; "
                "pass one with its parameters, e.g. FromScipy(stats.gamma(a=2.0)), "
                "not stats.gamma itself."
            )
        try:
            low = float(self.dist.support()[0])
            mean = float(self.dist.mean())
        except (TypeError, ValueError, AttributeError) as exc:
            raise ParameterError(
                f"dist = {show(self.dist)} could not report its support and mean "
                f"({exc}); pass a frozen scipy.stats distribution, e.g. "
                "stats.weibull_min(c=1.5, scale=2.0)."
            ) from None
        if not low >= 0:
            raise ParameterError(
                f"dist = {show(self.dist)} puts mass on negative times (its support "
                f"starts at {low:g}); pass a distribution of times >= 0 (e.g. "
                "stats.lognorm, stats.gamma, stats.weibull_min)."
            )
        if not (math.isfinite(mean) and mean <= MAX_SCALE):
            raise ParameterError(
                f"dist = {show(self.dist)} has mean {mean:g}; pass a distribution "
                "with a finite mean of at most 1e100."
            )

    @property
    def mean(self) -> float:
        return float(self.dist.mean())

    @property
    def scv(self) -> float:
        return float(self.dist.var() / self.dist.mean() ** 2)

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.asarray(self.dist.rvs(size=size, random_state=rng), dtype=float)


def _check_distribution(name: str, dist: object) -> Distribution:
    """Check ``dist`` is a distribution of times whose mean is a finite number."""
    if isinstance(dist, type) or not isinstance(dist, Distribution):
        hint = ""
        if isinstance(dist, _Arrivals):
            hint = " (that is an arrival process: did you swap arrivals and service?)"
        raise ParameterError(
            f"{name} = {show(dist)} is not a distribution of times{hint}; pass one "
            "with sample(rng, size), mean and scv, e.g. Exponential(rate=1.0) or "
            "Lognormal(mean=3.0, cv=0.9)."
        )
    try:
        mean = dist.mean
    except CrmkitError:
        raise
    except Exception as exc:  # a user-written distribution whose mean fails
        raise ParameterError(
            f"{name} = {show(dist)}: reading its mean failed ({exc!r}); pass a "
            "distribution whose mean is a number."
        ) from None
    check_real(f"{name}.mean", mean, low=0.0, high=MAX_SCALE)
    return dist


def _check_draws(
    name: str, values: object, size: int, *, allow_inf: bool
) -> np.ndarray:
    """Check what a (possibly user-written) distribution's ``sample`` returned."""
    arr = np.asarray(values)
    if arr.shape != (size,) or arr.dtype.kind not in "iuf":
        raise ParameterError(
            f"{name}.sample(rng, {size}) returned {show(values)} (shape "
            f"{arr.shape}, dtype {arr.dtype}); make it return {size} numbers."
        )
    arr = arr.astype(float, copy=False)
    bad = np.isnan(arr) | (arr < 0) | (np.isinf(arr) if not allow_inf else False)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ParameterError(
            f"{name}.sample returned {int(bad.sum())} time(s) that are negative, NaN"
            f"{'' if allow_inf else ' or infinite'} (first: {arr[i]:g} at position "
            f"{i}); make it return times >= 0."
        )
    return arr


# ---------------------------------------------------------------- arrival processes


class _Arrivals(ABC):
    """Template for an arrival process: :meth:`generate` checks the run length (one of
    ``customers`` and ``horizon``, refused before drawing when it would take more than
    :data:`MAX_DRAWS` draws at the subclass's ``_draws_per_time``) and ``rng``, then
    the subclass's ``_generate`` draws the sorted arrival times."""

    def generate(
        self,
        rng: np.random.Generator,
        *,
        customers: int | None = None,
        horizon: float | None = None,
    ) -> np.ndarray:
        """Sorted arrival times: the first ``customers``, or all up to ``horizon``."""
        customers, horizon = _check_length(customers, horizon, self._draws_per_time)
        return self._generate(_check_generator(rng), customers, horizon)

    @property
    @abstractmethod
    def _draws_per_time(self) -> float:
        """Random draws per time unit (the work a horizon asks for)."""

    @abstractmethod
    def _generate(
        self, rng: np.random.Generator, customers: int | None, horizon: float | None
    ) -> np.ndarray:
        """The arrival times, for a checked ``rng`` and run length."""


def _check_one_length(
    customers: int | None,
    horizon: float | None,
    *,
    what: str = "",
    example: int = 10_000,
) -> None:
    """Refuse a run length given as both or neither of ``customers`` (how many
    arrive) and ``horizon`` (until when); ``what`` follows the names in the message
    and ``example`` is the count it suggests.

    Examples
    --------
    >>> _check_one_length(100, None)
    >>> _check_one_length(None, None)
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: give exactly one of customers or horizon (got customers = None, horizon = None); pass e.g. customers=10_000 or horizon=480.0.
    """  # noqa: E501
    if (customers is None) == (horizon is None):
        raise ParameterError(
            f"give exactly one of customers or horizon{what} (got customers = "
            f"{show(customers)}, horizon = {show(horizon)}); pass e.g. "
            f"customers={example:_} or horizon=480.0."
        )


def _check_length(
    customers: int | None, horizon: float | None, per_time: float = 0.0
) -> tuple[int | None, float | None]:
    """Check the run length; ``per_time`` is the work (draws) per time unit, so that a
    horizon asking for more than :data:`MAX_DRAWS` is refused before drawing."""
    _check_one_length(customers, horizon)
    if customers is not None:
        return check_count("customers", customers, minimum=1, maximum=MAX_DRAWS), None
    h = check_positive("horizon", horizon)
    check_work(
        f"horizon = {h:g} at about {per_time:.3g} draws per time unit",
        per_time * h,
        limit=MAX_DRAWS,
        fix="shorten the horizon (or generate the arrivals in pieces)",
    )
    return None, h


def _renewal(
    rng: np.random.Generator,
    draw: Callable[[np.random.Generator, int], np.ndarray],
    mean_gap: float,
    customers: int | None,
    horizon: float | None,
) -> np.ndarray:
    if customers is not None:
        gaps = _check_draws(
            "interarrival", draw(rng, customers), customers, allow_inf=False
        )
        return np.cumsum(gaps)
    chunks, total = [], 0.0
    assert horizon is not None
    while total <= horizon:
        size = max(16, int(1.2 * (horizon - total) / mean_gap) + 16)
        gaps = _check_draws("interarrival", draw(rng, size), size, allow_inf=False)
        times = total + np.cumsum(gaps)
        if not times[-1] > total:
            raise ParameterError(
                f"interarrival.sample returned {size} zero gaps in a row although its "
                f"mean is {mean_gap:g}: time would never pass the horizon; pass an "
                "interarrival distribution that draws positive gaps."
            )
        chunks.append(times)
        total = float(times[-1])
    times = np.concatenate(chunks)
    return times[times <= horizon]


@dataclass(frozen=True)
class PoissonArrivals(_Arrivals, _Rate):
    """A Poisson process with ``rate`` arrivals per time unit.

    Examples
    --------
    >>> t = PoissonArrivals(rate=2.0).generate(np.random.default_rng(1), customers=3)
    >>> bool((np.diff(t) > 0).all())
    True
    """

    @property
    def mean_rate(self) -> float:
        return self.rate

    @property
    def _draws_per_time(self) -> float:
        return self.rate

    def _generate(
        self, rng: np.random.Generator, customers: int | None, horizon: float | None
    ) -> np.ndarray:
        return _renewal(
            rng,
            lambda g, n: g.exponential(1.0 / self.rate, n),
            1.0 / self.rate,
            customers,
            horizon,
        )


@dataclass(frozen=True)
class RenewalArrivals(_Arrivals):
    """Arrivals separated by independent draws from ``interarrival`` (a G/·/· process).

    Examples
    --------
    >>> RenewalArrivals(Gamma(mean=0.5, scv=0.25)).mean_rate
    2.0
    """

    interarrival: Any

    def __post_init__(self) -> None:
        dist = _check_distribution("interarrival", self.interarrival)
        if not dist.mean >= MIN_SCALE:
            raise ParameterError(
                f"interarrival = {show(dist)} has mean {dist.mean:g}: arrivals would "
                "come all at once (time would never pass); pass an interarrival "
                "distribution with a mean of at least 1e-100."
            )

    @property
    def mean_rate(self) -> float:
        return 1.0 / self.interarrival.mean

    @property
    def scv(self) -> float:
        return self.interarrival.scv

    @property
    def _draws_per_time(self) -> float:
        return self.mean_rate

    def _generate(
        self, rng: np.random.Generator, customers: int | None, horizon: float | None
    ) -> np.ndarray:
        return _renewal(
            rng, self.interarrival.sample, self.interarrival.mean, customers, horizon
        )


@dataclass(frozen=True, eq=False)
class NHPPArrivals(_Arrivals):
    """A non-homogeneous Poisson process: time-of-day demand.

    Give either ``profile`` (a rate per interval of length ``interval``, repeated
    cyclically; generated exactly, interval by interval) or ``rate_function`` (any
    function of time, generated by thinning, which needs ``max_rate`` ≥ the function
    everywhere).

    Parameters
    ----------
    profile : sequence of float, optional
        Rates per time unit in consecutive intervals, e.g. 24 hourly rates (each
        finite and >= 0, at least one positive).
    interval : float, default 1.0
        Length of each profile interval in the rates' time unit (60 for hourly profiles
        with rates per minute).
    rate_function : callable, optional
        ``t -> rate`` (vectorised over numpy arrays; it must return finite rates >= 0).
    max_rate : float, optional
        An upper bound of ``rate_function`` (required with it, not allowed with
        ``profile``).

    Notes
    -----
    ``generate`` refuses, before drawing, a request of more than 10**8 draws (a
    horizon, or a number of customers so large against the rates that it would take
    too long), and stops with an error when a ``rate_function`` turns out to be zero
    (or far below ``max_rate``) instead of looping.

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
            raise ParameterError(
                "give exactly one of profile or rate_function (got profile = "
                f"{show(self.profile)}, rate_function = {show(self.rate_function)}); "
                "pass e.g. profile=[1.0, 4.0] or rate_function=lambda t: 2 + "
                "np.sin(t), max_rate=3.0."
            )
        set_fields(self, interval=check_rate("interval", self.interval))
        if self.profile is not None:
            if self.max_rate is not None:
                raise ParameterError(
                    f"max_rate = {show(self.max_rate)} applies only with "
                    "rate_function; drop it (a profile is generated exactly)."
                )
            given = check_sequence("profile", self.profile, "[1.0, 4.0, 2.5]")
            rates = check_values("profile", given, low=0.0, high=MAX_SCALE)
            tiny = (rates > 0) & (rates < MIN_SCALE)
            if tiny.any():
                i = int(np.flatnonzero(tiny)[0])
                raise ParameterError(
                    f"profile[{i}] = {rates[i]:g} is below 1e-100 (but not 0); pass "
                    "0 for no arrivals, or rates per a longer time unit."
                )
            if rates.sum() == 0:
                raise ParameterError(
                    f"profile = {show(self.profile)} has no positive rate: nobody "
                    "would arrive; pass at least one rate above zero."
                )
            set_fields(self, profile=tuple(rates.tolist()))
        else:
            if not callable(self.rate_function):
                raise ParameterError(
                    f"rate_function = {show(self.rate_function)} is not callable; "
                    "pass a function of time such as lambda t: 2 + np.sin(t)."
                )
            if self.max_rate is None:
                raise ParameterError(
                    "rate_function needs max_rate, an upper bound of it (got max_rate "
                    "= None); pass e.g. max_rate=3.0 for lambda t: 2 + np.sin(t)."
                )
            set_fields(self, max_rate=check_rate("max_rate", self.max_rate))

    @property
    def mean_rate(self) -> float:
        if self.profile is not None:
            return float(np.mean(self.profile))
        grid = np.linspace(0.0, 1000.0, 10_001)
        return float(np.mean(self._rates(grid)))

    @property
    def scv(self) -> float:
        return 1.0

    def _rates(self, tt: np.ndarray) -> np.ndarray:
        """``rate_function`` at ``tt``, checked: numbers, finite, >= 0."""
        raw = self.rate_function(tt)  # type: ignore[misc]
        try:
            out = np.broadcast_to(np.asarray(raw, dtype=float), tt.shape)
        except (TypeError, ValueError):
            raise ParameterError(
                f"rate_function returned {show(raw)} for {tt.size} times; make it "
                "return one number per time (a numpy array of the same shape)."
            ) from None
        bad = ~np.isfinite(out) | (out < 0)
        if bad.any():
            i = np.flatnonzero(bad.ravel())[0]
            raise ParameterError(
                f"rate_function returned {out.ravel()[i]!r} at t = "
                f"{tt.ravel()[i]:g}; make it return finite rates >= 0 at every time."
            )
        return out

    def rate_at(self, t: ArrayLike) -> np.ndarray:
        """The arrival rate at times ``t`` (>= 0; the profile repeats cyclically)."""
        tt, _ = check_times("t", t)
        if self.profile is not None:
            position = np.floor(tt / self.interval)
            if (position >= 2.0**53).any():
                raise ParameterError(
                    f"t = {float(tt.max()):g} is too far out to place in the profile's "
                    f"cycle of intervals of {self.interval:g}; pass times below "
                    f"{self.interval * 2.0**53:.3g}."
                )
            idx = (position % len(self.profile)).astype(int)
            return np.asarray(self.profile)[idx]
        return self._rates(tt)

    def _window(
        self, rng: np.random.Generator, t0: float, t1: float
    ) -> tuple[np.ndarray, int]:
        """Arrivals in [t0, t1] and the number of draws it took."""
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
            return np.sort(times), int(counts.sum())
        assert self.max_rate is not None
        n = rng.poisson(self.max_rate * (t1 - t0))
        cand = np.sort(t0 + rng.random(n) * (t1 - t0))
        rates = self._rates(cand)
        if (rates > self.max_rate * (1 + 1e-12)).any():
            raise ParameterError(
                f"rate_function exceeds max_rate = {self.max_rate:g} (it reaches "
                f"{rates.max():g}); pass a larger max_rate."
            )
        return cand[rng.random(n) * self.max_rate < rates], int(n)

    @property
    def _rate(self) -> float:
        """Mean arrivals (profile) or candidate draws (thinning) per time unit."""
        if self.profile is not None:
            return self.mean_rate
        assert self.max_rate is not None
        return self.max_rate

    @property
    def _draws_per_time(self) -> float:
        if self.profile is not None:
            return self.mean_rate + 1.0 / self.interval  # arrivals + intervals
        return self._rate  # candidate draws

    def _generate(
        self, rng: np.random.Generator, customers: int | None, horizon: float | None
    ) -> np.ndarray:
        if horizon is not None:
            return self._window(rng, 0.0, horizon)[0]
        assert customers is not None
        rate = self._rate
        span = max(self.interval * (len(self.profile) if self.profile else 1), 1.0)
        # windows long enough for at least one expected draw (and at most about 10**5
        # windows in all), so that low rates cannot make the loop crawl
        want = max(1.0, customers / 1e5)
        if not customers / rate <= MAX_SCALE:  # rate >= 1e-100 / len(profile) > 0
            raise _too_long(customers, rate)
        if rate * span < want:
            span *= math.ceil(want / (rate * span))
        if not math.isfinite(span) or span > MAX_SCALE:
            raise _too_long(customers, rate)
        per_window = rate * span + (span / self.interval if self.profile else 0.0)
        check_work(
            f"customers = {customers:,} (windows of {span:g} time units with about "
            f"{per_window:.3g} draws each)",
            customers / (rate * span) * per_window,
            limit=MAX_DRAWS,
            fix="pass a longer interval (or ask for fewer customers)",
        )
        chunks, got, drawn, t0 = [], 0, 0, 0.0
        while got < customers:
            times, n = self._window(rng, t0, t0 + span)
            chunks.append(times)
            got += times.size
            drawn += n
            t0 += span
            if self.rate_function is not None and (
                (got == 0 and drawn >= 10_000) or drawn > MAX_DRAWS
            ):
                raise ParameterError(
                    f"rate_function gave only {got:,} of customers = {customers:,} "
                    f"arrivals in [0, {t0:g}] from {drawn:,} candidate times drawn at "
                    f"max_rate = {self.max_rate:g}: it is zero (or far below max_rate) "
                    "there; pass a rate_function that is positive, a max_rate close "
                    "to its maximum, or fewer customers."
                )
        return np.concatenate(chunks)[:customers]


def _too_long(customers: int, rate: float) -> ParameterError:
    """The error for ``customers`` arrivals that would take more than 1e100 time
    units at ``rate`` arrivals per time unit."""
    return ParameterError(
        f"customers = {customers:,} at about {rate:g} arrivals per time unit "
        f"would take a time of about {customers / rate:.3g}; pass more "
        "arrivals per time unit (or ask for fewer customers)."
    )


@dataclass(frozen=True, eq=False)
class GivenArrivals:
    """Arrival times given in advance (e.g. replayed from a call log).

    The times must be finite, >= 0 and at most 1e100; they are sorted.

    Examples
    --------
    >>> GivenArrivals([0.5, 0.1, 2.0]).generate(None, customers=2).tolist()
    [0.1, 0.5]
    """

    times: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        given = check_sequence("times", self.times, "[0.5, 1.2, 3.0]")
        t = np.sort(check_values("times", given, low=0.0, high=MAX_SCALE))
        t.flags.writeable = False
        set_fields(self, times=t)

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
                    f"are given; pass customers <= {self.times.size}."
                )
            return self.times[:customers].copy()
        return self.times[self.times <= horizon].copy()
