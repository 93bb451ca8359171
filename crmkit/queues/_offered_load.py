"""The offered load of a day whose demand changes by interval: the mean number of busy
servers in the M_t/M/∞ queue, the quantity lagged SIPP staffs to.

For a day of intervals of length Δ with arrival rate λ_i in interval i (constant
within it) and exponential service at rate μ, the offered load m(t) solves
m'(t) = λ(t) − μ m(t), so on interval i, with a_i = λ_i / μ,

    m(t) = a_i + (m(t_i) − a_i) e^{−μ (t − t_i)},

and its mean over the interval is a_i + (m(t_i) − a_i)(1 − e^{−μΔ}) / (μΔ). The day
either starts empty (m(0) = 0) or repeats (m(0) = m(T), the periodic solution).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from crmkit._validate import check_choice, check_times, show
from crmkit.errors import DataError, ParameterError
from crmkit.queues._base import MAX_SCALE, check_rate, check_sequence, check_values

__all__ = ["OfferedLoad", "check_day", "offered_load"]

#: most intervals in one day (96 quarter hours a day: about 200 days)
MAX_INTERVALS = 20_000
_STARTS = ("empty", "periodic")


def check_day(
    arrival_rates: object, interval_minutes: object
) -> tuple[np.ndarray, float]:
    """The checked arrival rates (a new float array, per minute) and interval length
    (minutes) of a day; refuses an empty day or one without demand.

    Examples
    --------
    >>> rates, width = check_day([1.0, 2.5], 15)
    >>> rates.tolist(), width
    ([1.0, 2.5], 15.0)
    """
    width = check_rate("interval_minutes", interval_minutes)
    given = check_sequence(
        "arrival_rates", arrival_rates, "[0.5, 2.0, 3.5]", maximum=MAX_INTERVALS
    )
    if len(given) == 0:
        raise DataError(
            "arrival_rates is empty: a day needs demand data; pass one arrival rate "
            "per interval (calls per minute), e.g. [0.5, 2.0, 3.5]."
        )
    rates = check_values("arrival_rates", given, low=0.0, high=MAX_SCALE)
    if not rates.any():
        raise DataError(
            f"arrival_rates = {show(given)} are all zero: the day has no demand to "
            "staff; pass the forecast arrival rates per minute (at least one above 0)."
        )
    if not rates.size * width <= MAX_SCALE:
        raise ParameterError(
            f"interval_minutes = {width:g} × {rates.size} intervals ends beyond 1e100 "
            "minutes; pass a shorter interval."
        )
    return rates, width


@dataclass(frozen=True, eq=False)
class OfferedLoad:
    """The offered load m(t) of a day, the mean number in the M_t/M/∞ queue.

    Build it with :func:`offered_load`. ``mean_loads[i]`` is m averaged over interval
    i, ``start_loads[i]`` is m at the start of interval i (``start_loads[n]`` at the
    end of the day).

    Attributes
    ----------
    arrival_rates : tuple of float
        λ_i per minute.
    interval_minutes : float
    service_rate : float
        μ per minute.
    start : {"empty", "periodic"}
    start_loads, mean_loads : tuple of float
    """

    arrival_rates: tuple[float, ...]
    interval_minutes: float
    service_rate: float
    start: str
    start_loads: tuple[float, ...]
    mean_loads: tuple[float, ...]

    def at(self, t: ArrayLike) -> float | np.ndarray:
        """m(t) at minutes ``t`` in [0, day length]."""
        tt, scalar = check_times("t", t)
        width, n = self.interval_minutes, len(self.arrival_rates)
        if (tt > n * width).any():
            raise ParameterError(
                f"t = {float(tt.max()):g} is after the end of the day ({n * width:g} "
                "minutes); pass times within the day."
            )
        i = np.minimum((tt // width).astype(int), n - 1)
        a = np.asarray(self.arrival_rates)[i] / self.service_rate
        m0 = np.asarray(self.start_loads)[i]
        out = a + (m0 - a) * np.exp(-self.service_rate * (tt - i * width))
        return float(out) if scalar else out

    def to_frame(self) -> pd.DataFrame:
        """One row per interval: ``start_minute``, ``arrival_rate``, the stationary
        load ``arrival_rate / service_rate``, and the offered load at the interval's
        start and on average over it."""
        n = len(self.arrival_rates)
        rates = np.asarray(self.arrival_rates)
        frame = pd.DataFrame(
            {
                "start_minute": np.arange(n) * self.interval_minutes,
                "arrival_rate": rates,
                "stationary_load": rates / self.service_rate,
                "load_at_start": self.start_loads[:-1],
                "offered_load": self.mean_loads,
            }
        )
        frame.index.name = "interval"
        return frame


def offered_load(
    arrival_rates: Sequence[float] | np.ndarray | pd.Series,
    interval_minutes: float,
    service_rate: float,
    *,
    start: str = "empty",
) -> OfferedLoad:
    """The offered load of a day: the mean number of busy servers with unlimited
    servers, which lags the arrival rate by about a service time.

    Parameters
    ----------
    arrival_rates : sequence of float
        Arrival rate per minute in each interval (finite, >= 0, at least one above 0;
        at most 20,000 intervals).
    interval_minutes : float
        Length of each interval in minutes (> 0).
    service_rate : float
        μ per minute (exponential service, mean 1/μ minutes).
    start : {"empty", "periodic"}, default "empty"
        ``"empty"``: nobody is in the system at time 0; ``"periodic"``: the day
        repeats, so m(0) = m(end of day).

    Returns
    -------
    OfferedLoad

    Notes
    -----
    The M_t/G/∞ offered load is m(t) = E[λ(t − S_e)] E[S], with S_e the stationary
    excess of the service time (Eick, Massey and Whitt 1993); for
    exponential service it solves m'(t) = λ(t) − μ m(t). With λ constant on each
    interval the solution is exact (no time stepping): see the module docstring.
    The periodic start solves m(0) = e^{−μT} m(0) + m_T(0 start), a linear equation.

    References
    ----------
    S. G. Eick, W. A. Massey and W. Whitt (1993), "The physics of the M_t/G/∞
    queue", *Operations Research* 41(4):731–742 (the number in system is Poisson with
    mean E[λ(t − S_e)] E[S]). L. V. Green, P. J.
    Kolesar and W. Whitt (2007), "Coping with time-varying demand when setting
    staffing requirements for a service system", *Production and Operations
    Management* 16(1):13–39 (the offered load behind lagged staffing).

    Examples
    --------
    >>> load = offered_load([2.0, 6.0, 2.0], 30, 1 / 10)   # mean service 10 min
    >>> [round(x, 3) for x in load.mean_loads]
    [13.665, 47.015, 32.023]
    >>> round(load.at(90.0), 3)                      # the load still high at the end
    21.89
    """
    rates, width = check_day(arrival_rates, interval_minutes)
    mu = check_rate("service_rate", service_rate)
    start = check_choice("start", start, _STARTS)
    loads, decay = rates / mu, math.exp(-mu * width)
    # (1 - e^{-x}) / x without cancellation for small x = μΔ
    keep = -math.expm1(-mu * width) / (mu * width)

    def sweep_day(m0: float) -> np.ndarray:
        marks = np.empty(rates.size + 1)
        marks[0] = m0
        for i, a in enumerate(loads.tolist()):
            marks[i + 1] = a + (marks[i] - a) * decay
        return marks

    marks = sweep_day(0.0)
    if start == "periodic":
        # m_T = e^{-μT} m_0 + marks_T(0): the fixed point m_0 = marks_T / (1 − e^{-μT})
        whole = -math.expm1(-mu * width * rates.size)
        marks = sweep_day(float(marks[-1]) / whole)
    means = loads + (marks[:-1] - loads) * keep
    return OfferedLoad(
        arrival_rates=tuple(rates.tolist()),
        interval_minutes=width,
        service_rate=mu,
        start=start,
        start_loads=tuple(marks.tolist()),
        mean_loads=tuple(means.tolist()),
    )
