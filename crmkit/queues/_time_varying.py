"""Staffing a day whose demand changes by interval: SIPP and lagged SIPP.

Both staff each interval as a stationary Erlang C queue (Erlang A with an
``abandonment_rate``) by :func:`~crmkit.queues.staff`, so both assume exponential
service times; they differ in the load that queue is given. SIPP takes the
interval's own arrival rate; lagged SIPP takes the interval's mean offered load m(t)
of the M_t/M/∞ queue (:func:`offered_load`), which lags the arrival rate by about a
service time. The simulation-based iterative staffing
algorithm is :func:`~crmkit.queues.isa_staffing` (``_isa.py``); all three return a
:class:`StaffingPlan`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmkit._validate import check_nonnegative, check_probability, show
from crmkit.errors import ParameterError, TargetError
from crmkit.queues._base import check_rate
from crmkit.queues._distributions import Exponential, _check_distribution
from crmkit.queues._offered_load import check_day, offered_load
from crmkit.queues._schedule import Schedule
from crmkit.queues._staffing import staff_by_interval

__all__ = [
    "StaffingPlan",
    "check_day_targets",
    "check_question",
    "check_service",
    "lagged_sipp_staffing",
    "sipp_staffing",
]

Rates = Sequence[float] | np.ndarray | pd.Series


@dataclass(frozen=True, eq=False)
class StaffingPlan:
    """Servers per interval of a day, and how the method expects them to perform.

    Attributes
    ----------
    method : str
        ``"SIPP"``, ``"lagged SIPP"`` or ``"ISA"``.
    arrival_rates : tuple of float
        λ per minute in each interval.
    interval_minutes : float
    service_rate : float
        μ per minute.
    servers : tuple of int
        Servers on duty in each interval.
    offered_loads : tuple of float
        The load each interval was staffed for: λ_i/μ (SIPP) or the mean M_t/M/∞
        offered load over the interval (lagged SIPP and ISA).
    predicted_service_level : tuple of float
        The service level (``within`` minutes; with ``within`` = 0, one minus the
        delay probability) the method predicts for each interval: the stationary
        model's (SIPP, lagged SIPP) or the one estimated from the last simulation
        (ISA). NaN for an interval without demand.
    targets : dict
        ``service_level``, ``within`` and, with abandonment, ``abandonment_rate``.
    iterations : int
        Simulated rounds (ISA); 0 for the analytic methods.
    converged : bool
        Whether ISA's staffing stopped changing (always True for the others).
    history : tuple of tuple of int
        ISA's staffing from its infinite-server round and after each simulated
        round (empty for the others); ``servers`` may be the larger of the last two.
    seed : int or None
        The seed that reproduces ISA's simulations (None for the others).
    """

    method: str
    arrival_rates: tuple[float, ...]
    interval_minutes: float
    service_rate: float
    servers: tuple[int, ...]
    offered_loads: tuple[float, ...]
    predicted_service_level: tuple[float, ...]
    targets: Mapping[str, float] = field(default_factory=dict)
    iterations: int = 0
    converged: bool = True
    history: tuple[tuple[int, ...], ...] = ()
    seed: int | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per interval: ``start_minute``, ``arrival_rate``,
        ``offered_load``, ``servers`` and ``predicted_service_level``."""
        n = len(self.servers)
        frame = pd.DataFrame(
            {
                "start_minute": np.arange(n) * self.interval_minutes,
                "arrival_rate": self.arrival_rates,
                "offered_load": self.offered_loads,
                "servers": self.servers,
                "predicted_service_level": self.predicted_service_level,
            }
        )
        frame.index.name = "interval"
        return frame

    def schedule(self) -> Schedule:
        """The plan as a :class:`Schedule` of servers on duty, for
        :func:`~crmkit.queues.simulate`."""
        return Schedule.from_intervals(self.servers, self.interval_minutes)

    @property
    def server_minutes(self) -> float:
        """Paid server time over the day (servers × interval length, summed)."""
        return float(sum(self.servers) * self.interval_minutes)

    def __str__(self) -> str:
        wanted = ", ".join(f"{k} {v:g}" for k, v in self.targets.items())
        state = "" if self.converged else " (did not converge)"
        rounds = f", {self.iterations} rounds{state}" if self.method == "ISA" else ""
        return (
            f"{self.method} staffing of {len(self.servers)} intervals of "
            f"{self.interval_minutes:g} min for {wanted}{rounds}: "
            f"{min(self.servers)}–{max(self.servers)} servers, "
            f"{self.server_minutes / 60:.4g} server-hours"
        )


def check_day_targets(
    service_level: object,
    within: object,
    delay_probability: object,
    abandonment_rate: object,
) -> dict[str, float]:
    """The checked target of a day's staffing: ``service_level`` within ``within``
    minutes, or ``delay_probability`` (the same as service level 1 − α within 0)."""
    if delay_probability is not None:
        if service_level is not None or within is not None:
            raise TargetError(
                "give either delay_probability or service_level with within, not "
                "both; delay_probability=0.2 is the same as service_level=0.8, "
                "within=0."
            )
        alpha = check_probability(
            "delay_probability", delay_probability, open_low=True, open_high=True
        )
        targets = {"service_level": 1.0 - alpha, "within": 0.0}
    elif service_level is None or within is None:
        raise TargetError(
            "pass a target: service_level with within (e.g. service_level=0.8, "
            "within=20/60 for 80 % answered within 20 seconds, times in minutes), or "
            "delay_probability (e.g. 0.2)."
        )
    else:
        targets = {
            "service_level": check_probability(
                "service_level", service_level, open_low=True, open_high=True
            ),
            "within": check_nonnegative("within", within),
        }
    if abandonment_rate is not None:
        targets["abandonment_rate"] = check_rate("abandonment_rate", abandonment_rate)
    return targets


def check_service(service_rate: object, service: object) -> tuple[float, Any]:
    """The checked service rate μ = 1 / E[S] and service-time distribution: ``None``
    for exponential service (``service`` omitted or an :class:`Exponential`), else
    the distribution given. ``service_rate`` may be omitted when ``service`` is
    given; given both, μ·E[S] must be 1.

    Examples
    --------
    >>> from crmkit.queues import Deterministic
    >>> check_service(0.25, None)
    (0.25, None)
    >>> check_service(None, Deterministic(4.0))
    (0.25, Deterministic(value=4.0))
    """
    if service is None:
        if service_rate is None:
            raise ParameterError(
                "service_rate is None and no service was given; pass service_rate "
                "(μ per minute, e.g. 0.25 for 4-minute calls) or service (a "
                "distribution of service times, e.g. Lognormal(mean=4.0, cv=1.2))."
            )
        return check_rate("service_rate", service_rate), None
    law = _check_distribution("service", service)
    mean = check_rate("service.mean", law.mean)
    mu = check_rate("1 / service.mean", 1.0 / mean)
    if service_rate is not None:
        given = check_rate("service_rate", service_rate)
        if not math.isclose(given * mean, 1.0, rel_tol=1e-9):
            raise ParameterError(
                f"service_rate = {given:g} but service = {show(service)} has mean "
                f"{mean:g} (rate {mu:g}); pass service_rate=None, or "
                f"service_rate = 1 / service.mean = {mu:g}."
            )
    if isinstance(law, Exponential):
        return law.rate, None
    return mu, law


def check_question(
    arrival_rates: object,
    interval_minutes: object,
    service_rate: object,
    targets: tuple[object, object, object, object],
    service: object = None,
) -> tuple[np.ndarray, float, float, dict[str, float], Any]:
    """The checked rates, interval length, service rate, target (service level,
    within, delay probability, abandonment rate) and service law
    (:func:`check_service`) of a day's staffing question."""
    rates, width = check_day(arrival_rates, interval_minutes)
    mu, law = check_service(service_rate, service)
    return rates, width, mu, check_day_targets(*targets), law


def _exponential_only(method: str, law: Any, service: object) -> None:
    """Refuse a non-exponential service law for a method built on Erlang C / A."""
    if law is not None:
        raise ParameterError(
            f"service = {show(service)} is not exponential: {method} staffs each "
            "interval by the Erlang C (or Erlang A) formula, which holds for "
            "exponential service times only; use isa_staffing, which simulates the "
            "day with this service law, or pass service_rate for exponential service."
        )


def _analytic_plan(
    method: str,
    arrival_rates: object,
    interval_minutes: object,
    service_rate: object,
    target: tuple[object, object, object, object],
    start: str = "empty",
    service: object = None,
) -> StaffingPlan:
    """SIPP (each interval staffed for λ_i/μ) or lagged SIPP (for its mean offered
    load), checked and computed."""
    rates, width, mu, targets, law = check_question(
        arrival_rates, interval_minutes, service_rate, target, service
    )
    _exponential_only(method, law, service)
    if method == "SIPP":
        loads = rates / mu
    else:
        loads = np.asarray(offered_load(rates, width, mu, start=start).mean_loads)
    servers, levels = _staff_intervals(loads, mu, targets)
    return StaffingPlan(
        method=method,
        arrival_rates=tuple(rates.tolist()),
        interval_minutes=width,
        service_rate=mu,
        servers=servers,
        offered_loads=tuple(loads.tolist()),
        predicted_service_level=levels,
        targets=targets,
    )


def _staff_intervals(
    loads: np.ndarray, mu: float, targets: Mapping[str, float]
) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """Servers and predicted service level of a stationary queue with each load
    (:func:`~crmkit.queues.staff_by_interval` with arrival rates μ·load)."""
    table = staff_by_interval((loads * mu).tolist(), mu, **targets)
    servers = tuple(int(c) for c in table["servers"])
    if "service_level" not in table:  # every interval without demand
        return servers, (float("nan"),) * len(servers)
    return servers, tuple(table["service_level"].astype(float).tolist())


def sipp_staffing(
    arrival_rates: Rates,
    interval_minutes: float,
    service_rate: float | None = None,
    *,
    service_level: float | None = None,
    within: float | None = None,
    delay_probability: float | None = None,
    abandonment_rate: float | None = None,
    service: Any = None,
) -> StaffingPlan:
    """Stationary independent period-by-period (SIPP) staffing of a day.

    Each interval is staffed as a steady-state Erlang C queue (Erlang A with
    ``abandonment_rate``) with that interval's arrival rate, by
    :func:`~crmkit.queues.staff`: what :func:`~crmkit.queues.staff_by_interval` does,
    returned as a :class:`StaffingPlan`. It ignores that the load lags the demand, so
    it understaffs where demand falls, by more the longer the service times are.
    The Erlang C and Erlang A formulas assume exponential service times, so SIPP
    refuses any other service law; :func:`~crmkit.queues.isa_staffing` staffs a day
    with general service times.

    Parameters
    ----------
    arrival_rates : sequence of float
        Arrival rate per minute in each interval (finite, >= 0, at least one above 0;
        at most 20,000 intervals). An interval without demand gets 0 servers.
    interval_minutes : float
        Interval length in minutes (> 0).
    service_rate : float
        μ per minute (mean service time 1/μ minutes); may be omitted when
        ``service`` is given.
    service_level, within : float, optional
        The target: at least ``service_level`` (in (0, 1)) of each interval's callers
        answered within ``within`` minutes (>= 0).
    delay_probability : float, optional
        Instead: at most this share (in (0, 1)) of callers waits at all.
    abandonment_rate : float, optional
        θ = 1 / mean patience, per minute: Erlang A, whose service level counts
        abandoners as failures.
    service : Exponential, optional
        The service-time distribution, instead of (or agreeing with)
        ``service_rate``; only an :class:`~crmkit.queues.Exponential` is accepted.

    Returns
    -------
    StaffingPlan

    Raises
    ------
    ParameterError
        Bad rates, or a ``service`` that is not exponential (use
        :func:`~crmkit.queues.isa_staffing`).

    References
    ----------
    L. V. Green, P. J. Kolesar and J. Soares (2001), "Improving the SIPP approach for
    staffing service systems that have cyclic demands", *Operations Research*
    49(4):549–564 (SIPP and where it fails).

    Examples
    --------
    >>> plan = sipp_staffing([1.0, 3.0, 2.0], 30, 1 / 4, delay_probability=0.2)
    >>> plan.servers
    (7, 17, 12)
    """
    target = (service_level, within, delay_probability, abandonment_rate)
    return _analytic_plan(
        "SIPP", arrival_rates, interval_minutes, service_rate, target, service=service
    )


def lagged_sipp_staffing(
    arrival_rates: Rates,
    interval_minutes: float,
    service_rate: float | None = None,
    *,
    service_level: float | None = None,
    within: float | None = None,
    delay_probability: float | None = None,
    abandonment_rate: float | None = None,
    start: str = "empty",
    service: Any = None,
) -> StaffingPlan:
    """Lagged SIPP: staff each interval for its mean M_t/M/∞ offered load.

    The offered load m(t) solves m'(t) = λ(t) − μ m(t) (:func:`offered_load`); each
    interval gets the servers :func:`~crmkit.queues.staff` gives a stationary Erlang C
    (or Erlang A) queue with load m̄_i, the mean of m over the interval (arrival rate
    μ m̄_i). Where demand rises the load trails it, and where it falls the load stays
    high: lagged SIPP staffs for that, SIPP does not. Both the offered load computed
    here and the Erlang C / Erlang A formulas assume exponential service times, so a
    non-exponential ``service`` is refused; :func:`~crmkit.queues.isa_staffing`
    staffs a day with general service times.

    Parameters
    ----------
    arrival_rates, interval_minutes, service_rate, service_level, within, \
delay_probability, abandonment_rate, service
        As for :func:`sipp_staffing`.
    start : {"empty", "periodic"}, default "empty"
        The day starts empty, or repeats (the load at midnight carries over).

    Returns
    -------
    StaffingPlan

    References
    ----------
    L. V. Green, P. J. Kolesar and W. Whitt (2007), "Coping with time-varying demand
    when setting staffing requirements for a service system", *Production and
    Operations Management* 16(1):13–39 (lagged and offered-load staffing).
    S. G. Eick, W. A. Massey and W. Whitt (1993), "The physics of the M_t/G/∞
    queue", *Operations Research* 41(4):731–742 (the M_t/G/∞ offered load).

    Examples
    --------
    >>> plan = lagged_sipp_staffing([1.0, 3.0, 2.0], 30, 1 / 4, delay_probability=0.2)
    >>> plan.servers
    (6, 15, 13)
    """
    target = (service_level, within, delay_probability, abandonment_rate)
    return _analytic_plan(
        "lagged SIPP",
        arrival_rates,
        interval_minutes,
        service_rate,
        target,
        start,
        service,
    )
