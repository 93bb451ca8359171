"""A non-stationary day, simulated: NHPP arrivals, servers on duty per interval, and
queues carried from one interval into the next.

One replication draws the day's arrivals (:class:`NHPPArrivals` with the interval
rates), service times (exponential, or any distribution of times such as
:class:`Lognormal` or :class:`Deterministic`, as :func:`~crmkit.queues.simulate`
takes) and exponential patience times, and runs the event engine with the staffing as
a schedule of servers on duty. Replications run through
:func:`crmkit.experiments.sweep`, serially or on Dask, each on its own keyed stream, so
both give the same numbers. :func:`simulate_day` reports the service level, delay
probability, mean wait and abandonment of the callers arriving in each interval;
:func:`~crmkit.queues.isa_staffing` uses the same runner for the number in system.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmkit._replication import interval_table
from crmkit._validate import check_count, check_nonnegative, check_work, show
from crmkit.errors import ParameterError
from crmkit.queues._base import (
    MAX_SIM_CUSTOMERS,
    MAX_SIM_SERVERS,
    check_rate,
    check_sequence,
    check_values,
)
from crmkit.queues._distributions import Exponential, NHPPArrivals, _check_draws
from crmkit.queues._engines import event_engine
from crmkit.queues._offered_load import check_day
from crmkit.queues._time_varying import Rates, StaffingPlan, check_service

__all__ = ["DaySimulation", "occupancy", "records", "run_sweep", "simulate_day"]

#: most replications of one day
MAX_REPLICATIONS = 10_000
_METRICS = ("service_level", "prob_wait", "mean_wait")


@dataclass(frozen=True)
class Day:
    """One day to simulate: rates and servers per interval, service and patience
    rates, the service-level time (minutes) and the service-time distribution (None:
    exponential with ``service_rate``)."""

    rates: tuple[float, ...]
    width: float
    servers: tuple[int, ...]
    service_rate: float
    abandonment_rate: float | None
    within: float
    service: Any = None

    @property
    def customers(self) -> float:
        """The expected number of arrivals in one replication."""
        return float(sum(self.rates) * self.width)


def records(day: Day, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """One replication: arrival times, waits (patience for abandoners), served and
    found-busy flags, and departure times."""
    n = len(day.rates)
    horizon = n * day.width
    arrivals = NHPPArrivals(profile=day.rates, interval=day.width)
    arr = arrivals.generate(rng, horizon=horizon)
    law = Exponential(day.service_rate) if day.service is None else day.service
    svc = _check_draws("service", law.sample(rng, arr.size), arr.size, allow_inf=False)
    pat = (
        None
        if day.abandonment_rate is None
        else Exponential(day.abandonment_rate).sample(rng, arr.size)
    )
    # after the day the last interval's servers (at least one) finish the queue
    levels = [*day.servers, max(day.servers[-1], 1)]
    rec = event_engine(
        arr,
        svc,
        schedule_starts=np.arange(n + 1) * day.width,
        schedule_servers=np.asarray(levels),
        patience=pat,
    )
    served = rec.served
    wait = rec.start - arr
    if pat is not None:
        wait = np.where(served, wait, pat)
    leave = arr + wait + np.where(served, svc, 0.0)
    return arr, wait, served, rec.found_busy, leave


def _by_interval(day: Day, arr: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over the callers arriving in each interval (NaN: none)."""
    n = len(day.rates)
    idx = np.minimum((arr // day.width).astype(np.int64), n - 1)
    count = np.bincount(idx, minlength=n)
    total = np.bincount(idx, weights=values.astype(float), minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), math.nan)


def occupancy(day: Day, arr: np.ndarray, leave: np.ndarray) -> np.ndarray:
    """Share of each interval's time with k customers in the system, k = 0, 1, …
    (an intervals × levels array; arrivals count at their arrival, departures and
    abandonments at their leaving)."""
    n, width = len(day.rates), day.width
    edges = np.arange(n + 1) * width
    times = np.concatenate([arr, leave, edges])
    steps = np.concatenate([np.ones(arr.size), -np.ones(arr.size), np.zeros(n + 1)])
    order = np.argsort(times, kind="stable")
    times, steps = times[order], steps[order]
    in_system = np.cumsum(steps).astype(np.int64)  # level after each point
    inside = times[:-1] < edges[-1]
    span = np.diff(times)[inside]
    idx = np.minimum((times[:-1][inside] // width).astype(np.int64), n - 1)
    level = in_system[:-1][inside]
    top = int(level.max()) + 1
    cells = np.bincount(idx * top + level, weights=span, minlength=n * top)
    return cells.reshape(n, top) / width


def day_replication(
    params: Mapping[str, Any], rng: np.random.Generator, day: Day
) -> dict[str, float]:
    """One replication's metrics for :func:`crmkit.experiments.sweep` (``params`` is
    unused: every point of the grid is the same day)."""
    arr, wait, served, found_busy, _ = records(day, rng)
    ok = served & (wait <= day.within)
    columns = {
        "arrivals": np.bincount(
            np.minimum((arr // day.width).astype(np.int64), len(day.rates) - 1),
            minlength=len(day.rates),
        ).astype(float),
        "service_level": _by_interval(day, arr, ok),
        "prob_wait": _by_interval(day, arr, found_busy),
        "mean_wait": _by_interval(day, arr, wait),
    }
    if day.abandonment_rate is not None:
        columns["prob_abandon"] = _by_interval(day, arr, ~served)
    return {
        f"{name}[{i}]": float(v)
        for name, values in columns.items()
        for i, v in enumerate(values)
    }


def run_sweep(
    day: Day, replications: int, seed: int, client: Any, func: Any = None
) -> pd.DataFrame:
    """``replications`` runs of ``day`` through :func:`crmkit.experiments.sweep` (a
    grid of one point): one row per replication, one column per metric. Replication
    ``r`` uses the stream keyed ``(seed, 0, r)``, whoever runs it. ``func(params,
    rng, day)`` computes a replication's metrics (default :func:`day_replication`)."""
    from crmkit.experiments import sweep  # studies sit above the models

    func = functools.partial(day_replication if func is None else func, day=day)
    result = sweep(
        func,
        {"day": [0]},
        replications=replications,
        seed=seed,
        client="serial" if client is None else client,
        progress=False,
    )
    runs = result.runs.set_index("replication")
    return runs[list(result.metrics)]


def check_replications(replications: object, day: Day, rounds: int = 1) -> int:
    """The checked number of replications; refuses a run above the simulation work
    limit (2·10**7 customers in all) before anything is drawn."""
    reps = check_count(
        "replications", replications, minimum=2, maximum=MAX_REPLICATIONS
    )
    check_work(
        f"replications = {reps:,} × about {day.customers:.3g} customers per day"
        + (f" × {rounds} rounds" if rounds > 1 else ""),
        reps * day.customers * rounds,
        limit=MAX_SIM_CUSTOMERS,
        fix="pass fewer replications (or a shorter day)",
    )
    return reps


def check_seed(seed: object) -> int:
    """An int seed for :func:`crmkit.experiments.sweep`: the int given, one drawn
    from a Generator, or fresh entropy for None."""
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**63))
    if seed is None:
        return int(np.random.SeedSequence().entropy % 2**63)
    return check_count("seed", seed, minimum=0)


def _check_staffing(staffing: object, n: int) -> tuple[int, ...]:
    if isinstance(staffing, StaffingPlan):
        staffing = staffing.servers
    given = check_sequence("staffing", staffing, "[5, 12, 9]")
    levels = check_values(
        "staffing", given, low=0.0, high=MAX_SIM_SERVERS, integer=True
    )
    if levels.size != n:
        raise ParameterError(
            f"staffing has {levels.size} entries but arrival_rates has {n}; pass one "
            "number of servers per interval."
        )
    if not levels.any():
        raise ParameterError(
            f"staffing = {show(staffing)} has no server on duty; pass at least one "
            "server in some interval."
        )
    return tuple(int(c) for c in levels)


@dataclass(frozen=True, eq=False)
class DaySimulation:
    """What :func:`simulate_day` returns.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per interval: ``start_minute``, ``arrival_rate``, ``servers``, and for
        each metric (``service_level``, ``prob_wait``, ``mean_wait``, ``arrivals``,
        with abandonment ``prob_abandon``) its mean over replications with
        ``<metric>_ci_low`` and ``<metric>_ci_high`` (95 % Student-t interval).
        Metrics are over the callers *arriving* in the interval.
    per_replication : pandas.DataFrame
        One row per replication, one column ``<metric>[<interval>]`` per value.
    settings : dict
        Service rate and distribution (``service``), abandonment rate,
        ``within``, replications and seed.
    """

    table: pd.DataFrame
    per_replication: pd.DataFrame
    settings: Mapping[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """The per-interval table (a copy)."""
        return self.table.copy()

    def metric(self, name: str) -> pd.DataFrame:
        """One metric per interval: ``estimate``, ``ci_low``, ``ci_high``,
        ``half_width`` and ``replications`` (:func:`crmkit._replication
        .interval_table`)."""
        names = sorted({c.split("[")[0] for c in self.per_replication.columns})
        if name not in names:
            raise ParameterError(
                f"metric = {show(name)} is not one of {', '.join(names)}; choose one "
                "of those."
            )
        return _metric_table(self.per_replication, name)

    def __str__(self) -> str:
        s = self.settings
        sl = self.table["service_level"]
        worst = int(np.nanargmin(sl.to_numpy()))
        return (
            f"simulated day: {len(self.table)} intervals, {s['replications']} "
            f"replications, seed {s['seed']}; service level within {s['within']:g} "
            f"min from {np.nanmin(sl):.3f} (interval {worst}) to {np.nanmax(sl):.3f}"
        )


def _metric_table(per_rep: pd.DataFrame, name: str) -> pd.DataFrame:
    cols = [c for c in per_rep.columns if c.split("[")[0] == name]
    table = interval_table(per_rep[cols])
    table.index = pd.Index([int(c[len(name) + 1 : -1]) for c in cols], name="interval")
    return table


def simulate_day(
    arrival_rates: Rates,
    interval_minutes: float,
    staffing: Sequence[int] | StaffingPlan,
    service_rate: float | None = None,
    *,
    abandonment_rate: float | None = None,
    within: float | None = None,
    replications: int = 20,
    seed: int | np.random.Generator | None = None,
    client: Any = None,
    service: Any = None,
) -> DaySimulation:
    """Simulate a day of time-varying demand and report each interval's service level
    with a 95 % confidence interval.

    Arrivals are a non-homogeneous Poisson process with rate ``arrival_rates[i]``
    during interval i; ``staffing[i]`` servers are on duty during it (a server going
    off duty finishes the call in hand); callers still waiting at an interval's end
    wait on into the next, and after the day the last interval's servers (at least
    one) answer those left. The day starts empty. Service is exponential with
    ``service_rate``, or follows ``service`` (any distribution of times, as
    :func:`~crmkit.queues.simulate` takes); with an ``abandonment_rate`` patience is
    exponential.

    Parameters
    ----------
    arrival_rates : sequence of float
        Arrival rate per minute in each interval (finite, >= 0, at least one above 0).
    interval_minutes : float
        Interval length in minutes (> 0).
    staffing : sequence of int or StaffingPlan
        Servers on duty in each interval (whole numbers in [0, 10**6], one per
        interval), e.g. ``sipp_staffing(...)``.
    service_rate : float, optional
        μ per minute: exponential service with mean 1/μ (may be omitted when
        ``service`` is given).
    abandonment_rate : float, optional
        θ = 1 / mean patience per minute (None: callers never hang up).
    within : float, optional
        The service-level time in minutes (default the mean service time): a caller
        counts as answered in time when served after a wait of at most ``within``.
    replications : int, default 20
        Independent days (2 to 10,000; at most 2·10**7 customers in all).
    seed : int, Generator or None
        Replication r draws from the stream keyed (seed, 0, r)
        (:func:`crmkit.experiments.task_rng`).
    client : None, "serial", str or distributed.Client
        None or ``"serial"`` runs here; a Dask client or scheduler address runs the
        replications there (:func:`crmkit.experiments.sweep`). The numbers are the
        same either way.
    service : distribution, optional
        Service times, e.g. ``Lognormal(mean=4.0, cv=1.2)`` or
        ``Deterministic(4.0)`` (an object with ``sample(rng, size)``, ``mean`` and
        ``scv``); with ``service_rate`` too, its mean must be 1/``service_rate``.
        ``Exponential(rate=μ)`` is the same as ``service_rate=μ``, draw for draw.

    Returns
    -------
    DaySimulation

    Notes
    -----
    Each interval's value is the mean over replications of that replication's share
    (of its callers arriving in the interval); the interval is the Student-t interval
    of the method of independent replications (A. M. Law (2015), *Simulation Modeling
    and Analysis*, 5th ed., McGraw-Hill, §9.4.1). A replication without arrivals in
    an interval does not count there.

    Examples
    --------
    >>> day = simulate_day([2.0, 2.0], 60, [12, 12], 1 / 4, within=0.0,
    ...                    replications=5, seed=1)
    >>> list(day.to_frame().columns[:4])
    ['start_minute', 'arrival_rate', 'servers', 'arrivals']
    >>> bool(day.to_frame()["service_level"].between(0.7, 1.0).all())
    True

    Constant service times of 4 minutes instead:

    >>> from crmkit.queues import Deterministic
    >>> fixed = simulate_day([2.0, 2.0], 60, [12, 12], service=Deterministic(4.0),
    ...                      within=0.0, replications=5, seed=1)
    >>> fixed.settings["service"]
    Deterministic(value=4.0)
    """
    rates, width = check_day(arrival_rates, interval_minutes)
    servers = _check_staffing(staffing, rates.size)
    mu, law = check_service(service_rate, service)
    theta = (
        None
        if abandonment_rate is None
        else check_rate("abandonment_rate", abandonment_rate)
    )
    tau = 1.0 / mu if within is None else check_nonnegative("within", within)
    day = Day(tuple(rates.tolist()), width, servers, mu, theta, tau, law)
    reps = check_replications(replications, day)
    key = check_seed(seed)
    per_rep = run_sweep(day, reps, key, client)
    table = pd.DataFrame(
        {
            "start_minute": np.arange(rates.size) * width,
            "arrival_rate": rates,
            "servers": servers,
        }
    )
    table.index.name = "interval"
    names = ["arrivals", *_METRICS] + (["prob_abandon"] if theta is not None else [])
    for name in names:
        part = _metric_table(per_rep, name)
        table[name] = part["estimate"]
        if name != "arrivals":
            table[f"{name}_ci_low"] = part["ci_low"]
            table[f"{name}_ci_high"] = part["ci_high"]
    settings = {
        "service_rate": mu,
        "service": Exponential(mu) if law is None else law,
        "abandonment_rate": theta,
        "within": tau,
        "replications": reps,
        "seed": key,
    }
    return DaySimulation(table, per_rep, settings)
