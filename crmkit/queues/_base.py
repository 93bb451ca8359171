"""What every queue model shares: checked arguments, a summary, a one-row DataFrame.

:class:`QueueModel` gives every model its summary, DataFrame and simulation hooks;
:class:`WaitingModel` is the template of the models where customers wait: its public
methods check their arguments, then call a private method of the model that holds
only the formula (the template-method layout of ``scipy.stats``' distributions), and
the load and Little's-law metrics are derived there, once, from the few a model
supplies.

Limits
------
Every public entry point of :mod:`crmkit.queues` refuses, before allocating anything,
a request larger than these limits (chosen so that the largest accepted request
finishes in about a minute on a 2-core, 24 GB machine), and rates or times outside a
range in which the formulas run without overflow or underflow:

- :data:`MIN_SCALE`, :data:`MAX_SCALE` (1e-100, 1e100): rates and mean times of the
  models and distributions; choose another time unit if yours fall outside;
- :data:`MAX_SERVERS` (10**8): servers of an analytic model (Erlang B/C/A, M/M/c, …);
- :data:`MAX_CAPACITY` (10**7): the capacity K of M/M/c/K (its distribution has K + 1
  states);
- :data:`MAX_GRID` (2·10**7): times × queue states evaluated by one call of
  ``service_level`` and related methods;
- :data:`MAX_SCV` (1e6): squared coefficients of variation;
- :data:`MAX_DRAWS` (10**8): random times one ``sample`` or ``generate`` call draws
  (800 MB of float64);
- :data:`MAX_SIM_CUSTOMERS` (2·10**7): customers one :func:`~crmkit.queues.simulate`
  call runs, over all replications (the event engine serves about 200,000 customers a
  second, the recursion about a million);
- :data:`MAX_RECORDS` (10**7): customer records kept by ``keep_records=True``;
- :data:`MAX_SIM_SERVERS` (10**6): servers (or servers on duty) in a simulation;
- :data:`MAX_CLASSES` (100): priority classes in a simulation.
"""

from __future__ import annotations

import dataclasses
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from crmkit._validate import (
    check_nonnegative,
    check_positive,
    check_real,
    check_times,
    check_values,
    check_work,
    show,
)
from crmkit.errors import (
    ParameterError,
    UnstableQueueError,
    UnsupportedMetricError,
)

__all__ = [
    "LABELS",
    "LOAD_METRICS",
    "MAX_CAPACITY",
    "MAX_CLASSES",
    "MAX_DRAWS",
    "MAX_GRID",
    "MAX_RECORDS",
    "MAX_SCALE",
    "MAX_SCV",
    "MAX_SERVERS",
    "MAX_SIM_CUSTOMERS",
    "MAX_SIM_SERVERS",
    "MIN_SCALE",
    "QUEUE_METRICS",
    "WAIT_METRICS",
    "QueueModel",
    "WaitingModel",
    "WaitsWithoutDistribution",
    "check_grid",
    "check_kind",
    "check_rate",
    "check_scv",
    "check_sequence",
    "check_time_scale",
    "check_times",
    "check_values",
    "unstable_error",
]

#: smallest and largest rate or mean time the models accept (per the time unit chosen)
MIN_SCALE = 1e-100
MAX_SCALE = 1e100
#: most servers of an analytic model
MAX_SERVERS = 10**8
#: largest capacity K of an M/M/c/K queue
MAX_CAPACITY = 10**7
#: most (time, queue state) pairs one service-level call evaluates
MAX_GRID = 2 * 10**7
#: largest squared coefficient of variation
MAX_SCV = 1e6
#: most random times one sample() or generate() call draws
MAX_DRAWS = 10**8
#: most customers one simulate() call runs, over all its replications
MAX_SIM_CUSTOMERS = 2 * 10**7
#: most customer records simulate(keep_records=True) keeps
MAX_RECORDS = 10**7
#: most servers (on duty at once) in a simulation
MAX_SIM_SERVERS = 10**6
#: most priority classes in a simulation
MAX_CLASSES = 100

#: metric name -> label, in model summaries and simulation reports alike
LABELS: dict[str, str] = {
    "utilization": "utilisation ρ = λ/(cμ)",
    "offered_load": "offered load a = λ/μ (Erlang)",
    "prob_empty": "P(system empty)",
    "prob_wait": "P(wait > 0)",
    "prob_block": "P(blocked)",
    "prob_abandon": "P(abandon)",
    "throughput": "throughput (admitted per time unit)",
    "occupancy": "agent occupancy",
    "service_level": "service level P(served, wait ≤ t)",
    "mean_wait": "mean wait in queue Wq",
    "mean_time_in_system": "mean time in system W",
    "mean_queue_length": "mean queue length Lq",
    "mean_number_in_system": "mean number in system L",
    "attempt_rate": "call attempts per time unit (with redials)",
    "mean_orbit": "mean callers waiting to redial",
    "customer_prob_served": "P(caller served, any attempt)",
    "customer_prob_abandon": "P(caller abandons for good)",
    "customer_prob_block": "P(caller blocked for good)",
    "outbound_rate": "outbound jobs completed per time unit",
    "prob_offered": "P(offered a callback)",
    "callback_share": "share of callers taking a callback",
    "callback_rate": "callbacks per time unit",
    "mean_callback_queue": "mean callbacks waiting",
    "mean_callback_delay": "mean delay until the callback starts",
}

#: the load metrics every waiting model has, in display order
LOAD_METRICS: tuple[str, ...] = ("utilization", "offered_load", "occupancy")
#: the mean waiting metrics, in display order (tied by Little's law)
WAIT_METRICS: tuple[str, ...] = (
    "mean_wait",
    "mean_time_in_system",
    "mean_queue_length",
    "mean_number_in_system",
)
#: the metrics of a queue without losses that knows P(empty) (M/M/c, M/G/1, M/D/1)
QUEUE_METRICS: tuple[str, ...] = (
    *LOAD_METRICS,
    "prob_empty",
    "prob_wait",
    *WAIT_METRICS,
)


def _out_of_scale(name: str, x: float) -> ParameterError:
    return ParameterError(
        f"{name} = {x:g} is outside [{MIN_SCALE:g}, {MAX_SCALE:g}], the range in which "
        "the formulas run without overflow; pass it in another time unit (per hour "
        "instead of per second, say) so that it lies in that range."
    )


def check_rate(name: str, value: object) -> float:
    """Return a rate (or a positive mean time) as a float in [1e-100, 1e100].

    Examples
    --------
    >>> check_rate("arrival_rate", 2)
    2.0
    >>> check_rate("arrival_rate", 1e308)
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: arrival_rate = 1e+308 is outside [1e-100, 1e+100], the range in which the formulas run without overflow; pass it in another time unit (per hour instead of per second, say) so that it lies in that range.
    """  # noqa: E501
    x = check_positive(name, value)
    if not MIN_SCALE <= x <= MAX_SCALE:
        raise _out_of_scale(name, x)
    return x


def check_time_scale(name: str, value: object) -> float:
    """Return a time that may be zero, as a float in {0} ∪ [1e-100, 1e100]."""
    x = check_nonnegative(name, value)
    if x != 0.0 and not MIN_SCALE <= x <= MAX_SCALE:
        raise _out_of_scale(name, x)
    return x


def check_scv(name: str, value: object) -> float:
    """Return a squared coefficient of variation as a float in [0, 1e6]."""
    return check_real(name, value, low=0.0, high=MAX_SCV)


def check_sequence(
    name: str, values: object, example: str, *, maximum: int | None = None
) -> list[Any]:
    """Return ``values`` (a list, tuple, array, Series or range) as a list (arrays and
    Series are returned as they are).

    Strings, mappings, sets, iterators and scalars are refused: they are not an
    ordered sequence of values. With ``maximum``, a longer sequence is refused before
    it is copied (so ``range(10**12)`` costs nothing).
    """
    if isinstance(values, np.ndarray | pd.Series | pd.Index):
        if np.ndim(values) != 1:
            raise ParameterError(
                f"{name} has shape {np.shape(values)}; pass a flat sequence such as "
                f"{example}."
            )
    elif isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise ParameterError(
            f"{name} = {show(values)} is a {type(values).__name__}, not a sequence; "
            f"pass a list such as {example}."
        )
    if maximum is not None and len(values) > maximum:
        raise ParameterError(
            f"{name} has {len(values):,} entries, more than the limit of "
            f"{maximum:,} (about a minute of work); pass a shorter sequence (split "
            "the work into several calls)."
        )
    if isinstance(values, np.ndarray | pd.Series | pd.Index):
        return values  # type: ignore[return-value]  # already an ordered sequence
    return list(values)


def check_kind(
    name: str, value: object, kinds: type | tuple[type, ...], hint: str
) -> Any:
    """Refuse ``value`` unless it is an instance of ``kinds``; ``hint`` says what to
    pass. A class given instead of an instance gets its own message."""
    if isinstance(value, kinds):
        return value
    if isinstance(value, type):
        raise ParameterError(
            f"{name} = {value.__name__} is a class, not an instance of it; pass "
            f"{hint}, e.g. {value.__name__}(...) with its arguments."
        )
    raise ParameterError(
        f"{name} = {show(value)} is a {type(value).__name__}; pass {hint}."
    )


def check_grid(name: str, times: int, states: int) -> None:
    """Refuse a service-level evaluation of ``times`` × ``states`` above
    :data:`MAX_GRID`."""
    check_work(
        f"{name} ({times:,} times × {states:,} queue states)",
        float(times) * float(states),
        limit=MAX_GRID,
        fix="pass fewer times at once (loop over chunks of them)",
    )


def unstable_error(
    rho: float, arrival_rate: float, service_rate: float
) -> UnstableQueueError:
    """The error for ρ ≥ 1, naming the smallest number of servers that is stable."""
    ratio = arrival_rate / service_rate
    needed = (
        f"at least {math.floor(ratio) + 1:,}"
        if ratio < 2.0**53
        else f"more than {ratio:.3g}"
    )
    return UnstableQueueError(
        f"ρ = {rho:.4g} ≥ 1: the queue is unstable (it grows without bound). With "
        f"arrival_rate = {arrival_rate:g} and service_rate = {service_rate:g} "
        f"{needed} servers are needed: raise servers to that, lower arrival_rate, or "
        "use ErlangA (impatient customers) or MMcK (a finite waiting room)."
    )


def _unwrap(values: np.ndarray, scalar: bool) -> float | np.ndarray:
    """A float for a scalar request, the array otherwise."""
    return float(values) if scalar else values


class QueueModel:
    """Mixin for the frozen dataclasses of :mod:`crmkit.queues`: what all models share.

    A model declares :attr:`METRICS` (the names of its metrics, in display order) and,
    if it can be simulated, :meth:`_simulation_spec`. The base gives
    :meth:`metrics`, :meth:`parameters`, :meth:`to_frame`, :meth:`summary` and the
    model's values beside a simulation (:meth:`_simulated_metric`).
    """

    #: the metrics the model defines, in display order
    METRICS: ClassVar[tuple[str, ...]] = ()
    #: how the model's values stand to a simulation: "exact" or "approximation"
    _KIND: ClassVar[str] = "exact"

    def metrics(self) -> dict[str, Any]:
        """Return ``{metric name: value}`` for every metric the model defines."""
        return {name: getattr(self, name) for name in self.METRICS}

    def to_frame(self) -> pd.DataFrame:
        """Return the parameters and metrics as a one-row DataFrame."""
        row: dict[str, Any] = {"model": type(self).__name__}
        row.update(self.parameters())
        row.update(self.metrics())
        return pd.DataFrame([row])

    def parameters(self) -> dict[str, Any]:
        """Return the model's parameters as a dict."""
        return {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.init
        }

    def summary(self) -> str:
        """A readable table of the parameters and metrics."""
        lines = [repr(self)]
        for name, value in self.metrics().items():
            label = LABELS.get(name, name)
            if isinstance(value, tuple):
                text = ", ".join(f"{v:.6g}" for v in value)
            else:
                text = f"{value:.6g}"
            lines.append(f"  {label:<38} {text}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _simulation_spec(self) -> dict[str, Any] | None:
        """The :class:`~crmkit.queues.QueueSpec` arguments of the station this model
        describes, or None when :func:`~crmkit.queues.simulate` cannot run it."""
        return None

    def _simulated_metric(self, metric: str, within: float) -> tuple[float | None, str]:
        """The model's value of a metric :func:`~crmkit.queues.simulate` estimates,
        and whether it is "exact" or an "approximation" (None: the model has none).

        ``within`` is the ``t`` of the simulated service level.
        """
        base = metric.partition("[")[0]
        if base == "service_level":
            return float(self.service_level(within)), self._KIND  # type: ignore[attr-defined]
        if hasattr(self, base):
            return float(getattr(self, base)), self._KIND
        return None, ""


class WaitingModel(QueueModel, ABC):
    """A queue where customers wait: the template the waiting models fill in.

    **What a model supplies.** Fields or properties ``arrival_rate`` (λ),
    ``service_rate`` (μ) and ``servers`` (c); the property ``mean_wait`` (Wq); and,
    if it knows the waiting-time distribution, the private formula
    ``_prob_wait_exceeds(t)`` (and ``_service_level(t)`` where ``1 -
    _prob_wait_exceeds(t)`` would lose accuracy), taking an array of times that are
    already checked; ``_prob_wait_exceeds`` is abstract, so a model without it cannot
    be built. A model that knows no distribution derives from
    :class:`WaitsWithoutDistribution` instead and says why in
    ``_NO_WAIT_DISTRIBUTION``.

    **What the base gives.** ``offered_load`` a = λ/μ, ``utilization`` ρ = a/c,
    ``occupancy`` (ρ), and by Little's law ``mean_time_in_system`` W = Wq + 1/μ,
    ``mean_queue_length`` Lq = λ Wq and ``mean_number_in_system`` L = λ W; a model
    overrides those that differ (losses, abandonment). The public
    :meth:`service_level` and :meth:`prob_wait_exceeds` check ``t`` (a number or an
    array of times >= 0), call the model's formula and return a float for a scalar
    ``t`` (the template method of ``scipy.stats``' distributions).
    """

    #: why the model gives no waiting-time distribution, with ``{name}`` for the
    #: model's name (None: it gives one)
    _NO_WAIT_DISTRIBUTION: ClassVar[str | None] = None

    @property
    def offered_load(self) -> float:
        """a = λ/μ, in Erlangs (the mean number of busy servers)."""
        return self.arrival_rate / self.service_rate  # type: ignore[attr-defined]

    @property
    def utilization(self) -> float:
        """ρ = λ/(cμ), the offered load per server."""
        return self.offered_load / self.servers  # type: ignore[attr-defined]

    @property
    def occupancy(self) -> float:
        """Mean busy servers / servers; equals ρ when no customer is lost."""
        return self.utilization

    @property
    def _mean_service_time(self) -> float:
        """E[S] = 1/μ."""
        return 1.0 / self.service_rate  # type: ignore[attr-defined]

    @property
    def mean_time_in_system(self) -> float:
        """W = Wq + E[S]."""
        return self.mean_wait + self._mean_service_time  # type: ignore[attr-defined]

    @property
    def mean_queue_length(self) -> float:
        """Lq = λ Wq (Little's law)."""
        return self.arrival_rate * self.mean_wait  # type: ignore[attr-defined]

    @property
    def mean_number_in_system(self) -> float:
        """L = λ W (Little's law)."""
        return self.arrival_rate * self.mean_time_in_system  # type: ignore[attr-defined]

    def _at_times(
        self, t: ArrayLike, formula: Callable[[np.ndarray], np.ndarray]
    ) -> float | np.ndarray:
        """Check ``t``, evaluate ``formula`` there, return a float for a scalar."""
        tt, scalar = check_times("t", t)
        return _unwrap(formula(tt), scalar)

    def _refuse_distribution(self) -> None:
        if self._NO_WAIT_DISTRIBUTION is not None:
            raise self._no_distribution_error()

    def _no_distribution_error(self) -> UnsupportedMetricError:
        why = self._NO_WAIT_DISTRIBUTION or "{name} gives no waiting-time distribution."
        return UnsupportedMetricError(why.format(name=type(self).__name__))

    def service_level(self, t: ArrayLike) -> float | np.ndarray:
        """P(wait ≤ t), the share of customers whose wait is at most ``t``.

        ``t`` is a time >= 0 or an array of them; the answer has its shape.
        """
        self._refuse_distribution()
        return self._at_times(t, self._service_level)

    def prob_wait_exceeds(self, t: ArrayLike) -> float | np.ndarray:
        """P(wait > t) for a time ``t`` >= 0 (or an array of them)."""
        self._refuse_distribution()
        return self._at_times(t, self._prob_wait_exceeds)

    def _service_level(self, t: np.ndarray) -> np.ndarray:
        return 1.0 - self._prob_wait_exceeds(t)

    @abstractmethod
    def _prob_wait_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(wait > t) at an array ``t`` of checked times (the model's formula)."""


class WaitsWithoutDistribution(WaitingModel):
    """A waiting model that knows its mean waits but no waiting-time distribution.

    It sets ``_NO_WAIT_DISTRIBUTION`` to say why (with ``{name}`` for the model's
    name): :meth:`service_level` and :meth:`prob_wait_exceeds` raise
    :class:`~crmkit.errors.UnsupportedMetricError` with that message.
    """

    _NO_WAIT_DISTRIBUTION: ClassVar[str | None] = (
        "{name} gives mean waits only, no waiting-time distribution."
    )

    def _prob_wait_exceeds(self, t: np.ndarray) -> np.ndarray:
        raise self._no_distribution_error()
