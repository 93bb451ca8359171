"""What every queue model shares: checked arguments, a summary, a one-row DataFrame.

Public methods check and broadcast their arguments, then call a private method that
holds only the formula (the template-method layout of ``scipy.stats``).

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
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from crmkit._validate import (
    check_array,
    check_nonnegative,
    check_positive,
    check_real,
    check_work,
    show,
)
from crmkit.errors import CrmkitError, ParameterError, UnstableQueueError

__all__ = [
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
    "QueueModel",
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

#: metric name -> label used in summaries
LABELS: dict[str, str] = {
    "utilization": "utilisation ρ = λ/(cμ)",
    "offered_load": "offered load a = λ/μ (Erlang)",
    "prob_empty": "P(system empty)",
    "prob_wait": "P(wait > 0)",
    "prob_block": "P(blocked)",
    "prob_abandon": "P(abandon)",
    "throughput": "throughput (admitted per time unit)",
    "occupancy": "agent occupancy",
    "mean_wait": "mean wait in queue Wq",
    "mean_time_in_system": "mean time in system W",
    "mean_queue_length": "mean queue length Lq",
    "mean_number_in_system": "mean number in system L",
}


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


def check_values(name: str, values: object, **kwargs: Any) -> np.ndarray:
    """:func:`crmkit._validate.check_array` for parameters: the same checks, raising
    :class:`~crmkit.errors.ParameterError`; ragged or odd inputs get a clear message,
    and a bool, None or text inside a list is refused (NumPy would read ``True`` in
    ``[1.5, True]`` as 1.0).
    """
    if isinstance(values, list | tuple):
        for i, v in enumerate(values):
            if isinstance(v, bool | np.bool_ | str | bytes) or v is None:
                raise ParameterError(
                    f"{name}[{i}] = {show(v)} is a {type(v).__name__}, not a number; "
                    "pass numbers only (True/False and text are not numbers)."
                )
    try:
        return check_array(name, values, **kwargs)
    except CrmkitError as exc:
        raise ParameterError(str(exc)) from None
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(
            f"{name} = {show(values)} cannot be read as numbers; pass a flat list or "
            "array of numbers."
        ) from None


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


def check_times(name: str, t: ArrayLike) -> tuple[np.ndarray, bool]:
    """Return ``t`` as a float array and whether it was a scalar; reject bad times.

    A scalar (a number or a 0-d array) is checked by
    :func:`~crmkit._validate.check_nonnegative`; a list, array or Series entry by
    entry. Strings, bools, None, NaN, infinity, negative times and empty arrays are
    refused.

    Examples
    --------
    >>> check_times("t", 0.5)
    (array(0.5), True)
    >>> check_times("t", [0.5, -1])
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: t has 1 entry that is not >= 0 (first: -1 at position 1); pass values >= 0.
    """  # noqa: E501
    if isinstance(t, list | tuple | np.ndarray | pd.Series | pd.Index) and not (
        isinstance(t, np.ndarray) and t.ndim == 0
    ):
        arr = check_values(name, t, low=0.0)
        try:
            return arr.reshape(np.shape(t)), False
        except ValueError:  # pragma: no cover - check_values accepted a flat input
            return arr, False
    return np.asarray(check_nonnegative(name, t)), True


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


class QueueModel:
    """Mixin for the frozen dataclasses of :mod:`crmkit.queues`."""

    #: the metrics the model defines, in display order
    METRICS: ClassVar[tuple[str, ...]] = ()

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
