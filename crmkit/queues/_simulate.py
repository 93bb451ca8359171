"""``simulate``: run a queue many times and report each metric with a confidence
interval."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from tqdm import tqdm

from crmkit._frozen import set_fields
from crmkit._replication import interval_table, keyed_stream, spawn_streams
from crmkit._validate import (
    check_bool,
    check_choice,
    check_count,
    check_nonnegative,
    check_positive,
    check_probability,
    check_work,
    show,
)
from crmkit.errors import ParameterError, UnsupportedMetricError
from crmkit.queues._base import (
    LABELS,
    MAX_CLASSES,
    MAX_RECORDS,
    MAX_SIM_CUSTOMERS,
    MAX_SIM_SERVERS,
    QueueModel,
    check_kind,
    check_sequence,
    check_values,
)
from crmkit.queues._contact import (
    CallbackOffer,
    ContactRun,
    contact_metrics,
    contact_run,
)
from crmkit.queues._distributions import (
    GivenArrivals,
    NHPPArrivals,
    PoissonArrivals,
    RenewalArrivals,
    _check_distribution,
    _check_draws,
    _check_one_length,
)
from crmkit.queues._engines import Records, event_engine, recursion_engine
from crmkit.queues._schedule import Schedule

__all__ = ["QueueSpec", "SimulationResult", "simulate"]

_ARRIVALS = (PoissonArrivals, RenewalArrivals, NHPPArrivals, GivenArrivals)
_PROGRESS_THRESHOLD = 2_000_000


@dataclass(frozen=True, eq=False)
class QueueSpec:
    """A single station to simulate, described piece by piece.

    Parameters
    ----------
    arrivals : PoissonArrivals, RenewalArrivals, NHPPArrivals or GivenArrivals
        The arrival process.
    service : distribution
        Service times (e.g. ``Lognormal(mean=3.1, cv=0.9)``).
    servers : int or Schedule
        A constant number of servers (1 to 10**6), or servers on duty over time.
    patience : distribution, optional
        Time each customer is willing to wait before abandoning (None: infinitely
        patient).
    capacity : int, optional
        Most customers in the system (waiting + in service), at least ``servers``;
        later arrivals are blocked.
    priority_shares : sequence of float, optional
        Shares of arrivals in each priority class (at most 100 classes), highest
        priority first (served non-preemptively, FCFS within a class). Must sum to 1.
    redial_prob : float, default 0
        The chance that a blocked (all ``capacity`` lines busy) or abandoning call
        attempt is redialled, each time, in [0, 1].
    redial_delay : distribution, optional
        The time before a redial; needed when ``redial_prob > 0``.
    callbacks : CallbackOffer, optional
        The callback (virtual hold) offer to delayed callers.

    With redials or callbacks (one class; a number of servers or a ``Schedule``, which
    for callbacks must end with at least one agent; for callbacks no capacity) the
    metrics are per call attempt, fresh calls and redials
    alike (see :mod:`crmkit.queues._contact`); ``customers`` and a warm-up in
    customers count fresh calls. Callers who take a callback leave the inbound
    metrics and have their own: ``callback_share``, ``mean_callback_delay`` (call to
    callback start), ``mean_callback_queue``; redials add ``mean_orbit``.

    Examples
    --------
    >>> from crmkit.queues import Exponential, PoissonArrivals
    >>> spec = QueueSpec(PoissonArrivals(9.5), Exponential(1.0), servers=10)
    >>> spec.servers
    10
    """

    arrivals: Any
    service: Any
    servers: int | Schedule
    patience: Any = None
    capacity: int | None = None
    priority_shares: Sequence[float] | None = None
    redial_prob: float = 0.0
    redial_delay: Any = None
    callbacks: CallbackOffer | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.arrivals, _ARRIVALS):
            hint = ""
            if isinstance(self.service, _ARRIVALS):
                hint = " (service is an arrival process: did you swap the two?)"
            raise ParameterError(
                f"arrivals = {show(self.arrivals)} is not an arrival process{hint}; "
                "pass PoissonArrivals, RenewalArrivals, NHPPArrivals or GivenArrivals, "
                "e.g. QueueSpec(PoissonArrivals(9.5), Exponential(1.0), servers=10)."
            )
        _check_distribution("service", self.service)
        if self.patience is not None:
            _check_distribution("patience", self.patience)
        if not isinstance(self.servers, Schedule):
            c = check_count("servers", self.servers, minimum=1, maximum=MAX_SIM_SERVERS)
            set_fields(self, servers=c)
        if self.capacity is not None:
            cap = check_count("capacity", self.capacity, minimum=1)
            if isinstance(self.servers, int) and cap < self.servers:
                raise ParameterError(
                    f"capacity = {cap} < servers = {self.servers}: capacity counts "
                    "customers in service too; pass a capacity of at least servers."
                )
            set_fields(self, capacity=cap)
        if self.priority_shares is not None:
            given = check_sequence(
                "priority_shares", self.priority_shares, "[0.2, 0.8]"
            )
            shares = check_values("priority_shares", given, low=0.0, high=1.0)
            if shares.size > MAX_CLASSES:
                raise ParameterError(
                    f"priority_shares has {shares.size} classes; pass at most "
                    f"{MAX_CLASSES} (merge classes)."
                )
            if not math.isclose(shares.sum(), 1.0, rel_tol=1e-9):
                raise ParameterError(
                    f"priority_shares = {show(given)} sum to {shares.sum():g}, not 1; "
                    "pass shares that sum to 1 (divide them by their sum)."
                )
            set_fields(self, priority_shares=tuple(shares.tolist()))
        self._check_contact()

    def _check_contact(self) -> None:
        """Check the redial and callback arguments and what they combine with."""
        p = check_probability("redial_prob", self.redial_prob)
        set_fields(self, redial_prob=p)
        if self.redial_delay is not None:
            _check_distribution("redial_delay", self.redial_delay)
        elif p > 0:
            raise ParameterError(
                f"redial_prob = {p:g} > 0 needs redial_delay, the time before a "
                "redial; pass e.g. redial_delay=Exponential(0.2) (5 minutes on "
                "average)."
            )
        if self.callbacks is not None:
            check_kind(
                "callbacks",
                self.callbacks,
                CallbackOffer,
                "a CallbackOffer(threshold=..., accept_prob=...)",
            )
        if not self.has_contact:
            return
        if self.priority_shares is not None:
            raise ParameterError(
                f"priority_shares = {show(self.priority_shares)} with redials or "
                "callbacks: they are simulated for one class of callers; pass "
                "priority_shares=None, or simulate the classes without redials and "
                "callbacks."
            )
        schedule = self.servers if isinstance(self.servers, Schedule) else None
        if self.callbacks is not None and schedule and schedule.servers[-1] == 0:
            raise ParameterError(
                f"the schedule ends with servers = 0 from time {schedule.starts[-1]:g} "
                "on, and callbacks never abandon: callbacks still owed then would "
                "never be made; pass a schedule that ends with at least one agent."
            )
        if self.callbacks is not None and self.capacity is not None:
            raise ParameterError(
                f"capacity = {self.capacity} with callbacks: callbacks are simulated "
                "without a line limit; pass capacity=None."
            )

    @property
    def classes(self) -> int:
        return 1 if self.priority_shares is None else len(self.priority_shares)

    @property
    def has_contact(self) -> bool:
        """Whether the station has redials or callbacks (attempts made in the run)."""
        return self.redial_prob > 0 or self.callbacks is not None


def spec_from_model(model: object) -> QueueSpec:
    """The simulation spec of an analytic model: the station its
    ``_simulation_spec()`` describes (M/G/1 and G/G/c with gamma times)."""
    arguments = model._simulation_spec() if isinstance(model, QueueModel) else None
    if arguments is not None:
        return QueueSpec(**arguments)
    if isinstance(model, type):
        raise ParameterError(
            f"system = {model.__name__} is a class, not a model; pass an instance with "
            f"its arguments, e.g. {model.__name__}(...)."
        )
    raise ParameterError(
        f"cannot simulate system = {show(model)} (a {type(model).__name__}); pass a "
        "queue model (MM1, MMc, MMcK, ErlangA, ErlangX, Callbacks, MG1, MD1, GGc, "
        "PriorityMMc) or a QueueSpec."
    )


def _area(lo: np.ndarray, hi: np.ndarray, first: int, t0: float, t1: float) -> float:
    """Total length of [lo_i, hi_i] inside [t0, t1], customers sorted by arrival.

    Customers from ``first`` on arrived at or after ``t0`` (and lo ≥ their arrival), so
    only the earlier ones can start before the window; every interval may run past
    ``t1``.
    """
    late = float(np.sum(np.minimum(hi[first:], t1) - lo[first:]))
    early = np.minimum(hi[:first], t1) - np.maximum(lo[:first], t0)
    return late + float(np.sum(early[early > 0]))


class _Draws(NamedTuple):
    """One replication's random input: arrival times, service times, patience
    (None: infinitely patient) and priority classes (None: one class)."""

    arrivals: np.ndarray
    service: np.ndarray
    patience: np.ndarray | None
    classes: np.ndarray | None


def _metrics(
    spec: QueueSpec,
    draws: _Draws,
    rec: Records,
    window: tuple[int, float, float],
    within: float,
) -> dict[str, float]:
    """One replication's metrics, over the customers and times of ``window`` (first
    kept customer, start, end)."""
    arr, svc, pat, cls = draws
    first, t0, t1 = window
    served, blocked = rec.served, rec.blocked
    all_served = bool(served.all())
    any_blocked = bool(blocked.any())
    wait = rec.start - arr
    if not all_served:
        lost = np.where(blocked, 0.0, pat) if pat is not None else 0.0
        wait = np.where(served, wait, lost)
    service_done = svc if all_served else np.where(served, svc, 0.0)
    in_system = wait + service_done
    kept = (
        (np.flatnonzero(~blocked[first:]) + first)
        if any_blocked
        else slice(first, None)
    )
    n_kept = arr[kept].size
    out: dict[str, float] = {}
    nan = math.nan
    ok = (wait <= within) if all_served else (served & (wait <= within))
    out["mean_wait"] = float(wait[kept].mean()) if n_kept else nan
    out["prob_wait"] = float(rec.found_busy[kept].mean()) if n_kept else nan
    out["service_level"] = float(ok[kept].mean()) if n_kept else nan
    if spec.patience is not None:
        out["prob_abandon"] = float(1.0 - served[kept].mean()) if n_kept else nan
    if spec.capacity is not None:
        out["prob_block"] = float(blocked[first:].mean())
    span = t1 - t0
    if span > 0:
        if isinstance(spec.servers, Schedule):
            server_time = spec.servers.server_time(t0, t1)
        else:
            server_time = spec.servers * span
        begin = np.where(served, rec.start, t0) if not all_served else rec.start
        busy = _area(begin, begin + service_done, first, t0, t1)
        out["occupancy"] = busy / server_time if server_time > 0 else nan
        out["mean_queue_length"] = _area(arr, arr + wait, first, t0, t1) / span
        out["mean_number_in_system"] = _area(arr, arr + in_system, first, t0, t1) / span
    out["mean_time_in_system"] = float(in_system[kept].mean()) if n_kept else nan
    if cls is not None:
        kept_mask = np.zeros(arr.size, bool)
        kept_mask[kept] = True
        for k in range(spec.classes):
            mask = kept_mask & (cls == k)
            label = f"[{k + 1}]"
            out["mean_wait" + label] = float(wait[mask].mean()) if mask.any() else nan
            out["service_level" + label] = float(ok[mask].mean()) if mask.any() else nan
            if spec.patience is not None:
                out["prob_abandon" + label] = (
                    float(1.0 - served[mask].mean()) if mask.any() else nan
                )
    return out


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """What :func:`simulate` returns.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per metric: ``estimate`` (mean over replications), ``ci_low``,
        ``ci_high`` (95 % Student-t interval across replications) and ``half_width``.
    per_replication : pandas.DataFrame
        Each replication's metrics (one row per replication).
    records : pandas.DataFrame or None
        One row per customer and replication, when ``keep_records=True``.
    settings : dict
        How it was run (length, replications, warm-up, seed, engine, service-level
        time).
    model : object or None
        The analytic model simulated, if one was given (used by :meth:`compare`).
    """

    table: pd.DataFrame
    per_replication: pd.DataFrame
    records: pd.DataFrame | None
    settings: dict[str, Any]
    spec: QueueSpec
    model: object | None = field(default=None)

    def estimate(self, metric: str) -> float:
        """The point estimate of ``metric`` (one of ``table.index``)."""
        metric = check_choice("metric", metric, map(str, self.table.index))
        return float(self.table.loc[metric, "estimate"])

    def interval(self, metric: str) -> tuple[float, float]:
        """The 95 % confidence interval of ``metric`` (one of ``table.index``)."""
        metric = check_choice("metric", metric, map(str, self.table.index))
        row = self.table.loc[metric]
        return float(row["ci_low"]), float(row["ci_high"])

    def compare(self) -> pd.DataFrame:
        """Each estimate beside the model's value, flagging values outside the interval.

        ``kind`` says whether the model value is exact or an approximation (G/G/c, the
        M/G/1 service level); ``inside`` is whether the 95 % interval covers it.
        """
        if self.model is None:
            raise UnsupportedMetricError(
                "compare() needs an analytic model: call simulate(model, ...) with "
                "MMc, ErlangA, MMcK, MG1, MD1, GGc or PriorityMMc (this result "
                "simulated a QueueSpec, which has no exact values to compare with)."
            )
        rows = []
        for metric, row in self.table.iterrows():
            value, kind = self.model._simulated_metric(  # type: ignore[attr-defined]
                str(metric), self.settings["service_level_within"]
            )
            if value is None:
                continue
            inside = bool(row["ci_low"] <= value <= row["ci_high"])
            rows.append(
                {
                    "metric": metric,
                    "model": value,
                    "estimate": row["estimate"],
                    "ci_low": row["ci_low"],
                    "ci_high": row["ci_high"],
                    "inside": inside,
                    "kind": kind,
                }
            )
        return pd.DataFrame(rows).set_index("metric")

    def __str__(self) -> str:
        s = self.settings
        length = (
            f"{s['customers']:,} customers"
            if s["customers"] is not None
            else f"horizon {s['horizon']:g}"
        )
        head = (
            "simulation of "
            f"{type(self.model).__name__ if self.model else 'QueueSpec'}: "
            f"{s['replications']} replications × {length}, warm-up {s['warmup']:g}, "
            f"{s['engine']} engine, seed {s['seed']}"
        )
        lines = [head]
        for metric, row in self.table.iterrows():
            label = LABELS.get(str(metric).split("[")[0], str(metric))
            suffix = str(metric)[len(str(metric).split("[")[0]) :]
            lines.append(
                f"  {label + suffix:<44} {row['estimate']:.5g}  "
                f"[{row['ci_low']:.5g}, {row['ci_high']:.5g}]"
            )
        return "\n".join(lines)


def simulate(
    system: object,
    *,
    customers: int | None = None,
    horizon: float | None = None,
    replications: int = 10,
    warmup: float = 0,
    seed: int | np.random.Generator | None = None,
    service_level_within: float | None = None,
    engine: str = "auto",
    keep_records: bool = False,
    progress: bool | None = None,
) -> SimulationResult:
    """Simulate a queue and report every metric with a 95 % confidence interval.

    Parameters
    ----------
    system : queue model or QueueSpec
        ``MM1``, ``MMc``, ``MMcK``, ``ErlangA``, ``MG1`` (gamma service with its mean
        and SCV), ``GGc`` (gamma interarrival and service times), ``PriorityMMc``,
        ``ErlangX`` (lines, patience, redials), ``Callbacks`` (virtual hold), or a
        :class:`QueueSpec` for anything else (time-of-day demand, schedules, empirical
        times).
    customers, horizon : optional
        Run length per replication: a number of arrivals, or a time (give one).
    replications : int, default 10
        Independent runs (>= 1; intervals need >= 2). Each uses its own random stream
        from ``numpy.random.SeedSequence(seed).spawn``.
    warmup : float, default 0
        Discarded start of each run, in customers when ``customers`` is given and in
        time units when ``horizon`` is given. Runs start empty.
    seed : int, Generator or None
        The same seed gives the same numbers.
    service_level_within : float, optional
        The ``t`` of the service level P(served and wait ≤ t); default the mean service
        time.
    engine : {"auto", "recursion", "event"}
        ``"auto"`` uses the Kiefer–Wolfowitz recursion for single-class FCFS stations
        with a constant number of servers and the event engine otherwise. Both give
        identical results where both apply.
    keep_records : bool, default False
        Also return every customer's record (a DataFrame).
    progress : bool, optional
        Show a progress bar on standard error; by default only for runs above two
        million customers in all.

    Raises
    ------
    ParameterError
        For an argument of the wrong type or out of range, and, before anything is
        drawn, for a run of more than 2·10**7 customers over all replications (about a
        minute with the event engine), or more than 10**7 with ``keep_records=True``.

    Returns
    -------
    SimulationResult

    Notes
    -----
    Per-customer metrics average over admitted customers after the warm-up; time
    averages (queue length, utilisation) integrate over the window from the first kept
    arrival to the last arrival. The interval is ``mean ± t₀.₉₇₅,R-1 · s/√R`` across the
    R replications (the method of independent replications: A. M. Law (2015),
    *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill, §9.4.1).

    Examples
    --------
    >>> from crmkit.queues import MMc, simulate
    >>> m = MMc(arrival_rate=9.5, service_rate=1.0, servers=10)
    >>> res = simulate(m, customers=50_000, replications=5, warmup=5_000, seed=1)
    >>> lo, hi = res.interval("mean_wait")
    >>> bool(lo < m.mean_wait < hi)
    True
    """
    model = None if isinstance(system, QueueSpec) else system
    spec = system if isinstance(system, QueueSpec) else spec_from_model(system)
    reps = check_count(
        "replications", replications, minimum=1, maximum=MAX_SIM_CUSTOMERS
    )
    run = _check_run(spec, reps, customers, horizon, warmup)
    keep_records = check_bool("keep_records", keep_records)
    if keep_records:
        check_work(
            f"keep_records=True with replications={reps:,} × about {run.per_rep:.3g} "
            "customers",
            reps * run.per_rep,
            limit=MAX_RECORDS,
            fix="keep records of a shorter run (or fewer replications)",
        )
    if progress is not None:
        progress = check_bool("progress", progress)
    within = (
        spec.service.mean
        if service_level_within is None
        else check_nonnegative("service_level_within", service_level_within)
    )
    _check_schedule(spec)
    chosen = _choose_engine(engine, spec)
    streams = spawn_streams(seed, reps)
    total = reps * (run.customers or 0)
    show_bar = progress if progress is not None else total >= _PROGRESS_THRESHOLD
    rows, frames = [], []
    for r, rng in enumerate(
        tqdm(
            streams,
            desc="simulating",
            disable=not show_bar,
            file=sys.stderr,
            leave=False,
        )
    ):
        if spec.has_contact:
            draws, rec, out = _contact_replication(spec, run, rng, r, within)
            rows.append(out)
        else:
            draws = _draw(spec, run, rng, r)
            rec = _engine_records(chosen, spec, draws)
            rows.append(_metrics(spec, draws, rec, run.window(draws.arrivals), within))
        if keep_records:
            frames.append(_records_frame(r, draws, rec))
    per_rep = pd.DataFrame(rows)
    per_rep.index.name = "replication"
    settings = {
        "customers": run.customers,
        "horizon": run.horizon,
        "replications": reps,
        "warmup": warmup,
        "seed": seed if not isinstance(seed, np.random.Generator) else "Generator",
        "engine": chosen,
        "service_level_within": within,
    }
    records = pd.concat(frames, ignore_index=True) if frames else None
    return SimulationResult(
        interval_table(per_rep), per_rep, records, settings, spec, model
    )


@dataclass(frozen=True)
class _Run:
    """The checked length of one replication: ``customers`` arrivals or a
    ``horizon``, after a ``warmup`` (customers or time), about ``per_rep``
    customers."""

    customers: int | None
    horizon: float | None
    warmup: float
    per_rep: float

    def window(self, arr: np.ndarray) -> tuple[int, float, float]:
        """(first kept customer, start and end of the measured time window)."""
        if self.customers is not None:
            first = int(self.warmup)
            return first, float(arr[first]), float(arr[-1])
        first = int(np.searchsorted(arr, self.warmup))
        return first, float(self.warmup), float(self.horizon)  # type: ignore[arg-type]


def _check_run(
    spec: QueueSpec,
    reps: int,
    customers: int | None,
    horizon: float | None,
    warmup: float,
) -> _Run:
    """Check the run length and warm-up, and refuse a run above the work limit."""
    _check_one_length(customers, horizon, what=", the run length", example=50_000)
    if customers is not None:
        customers = check_count(
            "customers", customers, minimum=1, maximum=MAX_SIM_CUSTOMERS
        )
        first = check_count("warmup", warmup, minimum=0)
        if first >= customers:
            raise ParameterError(
                f"warmup = {first} customers leaves none of customers = {customers}; "
                "pass a warmup below customers."
            )
        per_rep = float(customers)
    else:
        horizon = check_positive("horizon", horizon)
        if check_nonnegative("warmup", warmup) >= horizon:
            raise ParameterError(
                f"warmup = {warmup:g} is not before the horizon {horizon:g}; pass a "
                "warmup shorter than the horizon."
            )
        per_rep = _expected_arrivals(spec.arrivals, horizon)
    check_work(
        f"simulate(replications={reps:,}, "
        + (f"customers={customers:,})" if customers else f"horizon={horizon:g})")
        + f" (about {per_rep:.3g} customers per replication)",
        reps * per_rep,
        limit=MAX_SIM_CUSTOMERS,
        fix="reduce replications, or shorten the run (customers or horizon)",
    )
    return _Run(customers, horizon, warmup, per_rep)


def _schedule(spec: QueueSpec) -> Schedule | None:
    return spec.servers if isinstance(spec.servers, Schedule) else None


def _check_schedule(spec: QueueSpec) -> None:
    """Refuse a schedule that would leave customers unserved for ever."""
    schedule = _schedule(spec)
    if schedule is not None and spec.patience is None and schedule.servers[-1] == 0:
        raise ParameterError(
            f"the schedule ends with servers = 0 from time {schedule.starts[-1]:g} on "
            "and customers have no patience, so those still waiting would never be "
            "served; end the schedule with at least one server, or pass a patience "
            "distribution."
        )
    if schedule is not None and max(schedule.servers) == 0:
        raise ParameterError(
            "the schedule has servers = 0 at every time: nobody would be served; pass "
            "at least one server on duty."
        )


def _choose_engine(engine: str, spec: QueueSpec) -> str:
    """The engine to run: the one asked for, or for "auto" the fastest that applies."""
    engine = check_choice("engine", engine, ["auto", "recursion", "event"])
    can_recurse = _schedule(spec) is None and spec.classes == 1 and not spec.has_contact
    if engine == "recursion" and not can_recurse:
        raise ParameterError(
            "engine = 'recursion' handles one FCFS class with a constant number of "
            "servers; use engine='event' for schedules, priorities, redials and "
            "callbacks."
        )
    return (
        "recursion"
        if (engine == "auto" and can_recurse) or engine == "recursion"
        else "event"
    )


def _draw(spec: QueueSpec, run: _Run, rng: np.random.Generator, r: int) -> _Draws:
    """One replication's arrival times, service times, patience and classes, drawn
    from ``rng`` in that order."""
    arr = _fresh_calls(spec, run, rng, r)
    schedule = _schedule(spec)
    if schedule is not None:
        schedule.check_covers(float(arr[-1]))
    n = arr.size
    svc = _check_draws("service", spec.service.sample(rng, n), n, allow_inf=False)
    pat = (
        None
        if spec.patience is None
        else _check_draws("patience", spec.patience.sample(rng, n), n, allow_inf=True)
    )
    cls = (
        None
        if spec.priority_shares is None
        else rng.choice(spec.classes, size=arr.size, p=spec.priority_shares)
    )
    return _Draws(arr, svc, pat, cls)


def _fresh_calls(
    spec: QueueSpec, run: _Run, rng: np.random.Generator, r: int
) -> np.ndarray:
    """One replication's fresh arrival times (at least one)."""
    arr = spec.arrivals.generate(rng, customers=run.customers, horizon=run.horizon)
    if arr.size == 0:
        raise ParameterError(
            f"no customer arrived within horizon = {run.horizon:g} (replication {r}); "
            "increase the horizon."
        )
    return arr


def _contact_replication(
    spec: QueueSpec, run: _Run, rng: np.random.Generator, r: int, within: float
) -> tuple[_Draws, Records, dict[str, float]]:
    """One replication with redials or callbacks: its attempts, their records and
    the metrics (the warm-up and the window are set by the fresh calls)."""
    base = int(rng.integers(2**63))
    fresh = _fresh_calls(spec, run, keyed_stream(base, (0,)), r)
    end = float(fresh[-1]) if run.customers is not None else float(run.horizon)
    res: ContactRun = contact_run(spec, fresh, end, base, spec.servers)
    arr = res.arrivals
    if run.customers is not None:
        first = int(np.searchsorted(arr, fresh[int(run.warmup)]))
        window = (first, float(arr[first]), float(arr[-1]))
    else:
        window = run.window(arr)
    draws = _Draws(arr, res.service, res.patience, None)
    inbound = Records(
        res.start, res.served, res.found_busy, res.blocked | res.callback,
        np.full(arr.size, -1),
    )  # fmt: skip
    out = _metrics(spec, draws, inbound, window, within)
    _, t0, t1 = window
    schedule = _schedule(spec)
    on_duty = schedule.server_time(t0, t1) if schedule else spec.servers * (t1 - t0)
    extra = contact_metrics(res, window, on_duty, spec.callbacks is not None)
    if "occupancy" in out:
        out["occupancy"] += extra.pop("callback_busy", 0.0)
    out.update(extra)
    return draws, inbound, out


def _engine_records(chosen: str, spec: QueueSpec, draws: _Draws) -> Records:
    """Run the chosen engine on one replication's draws."""
    arr, svc, pat, cls = draws
    schedule = _schedule(spec)
    if chosen == "recursion":
        return recursion_engine(
            arr,
            svc,
            servers=int(spec.servers),  # type: ignore[arg-type]
            patience=pat,
            capacity=spec.capacity,
        )
    starts = np.asarray(schedule.starts if schedule else (0.0,))
    levels = np.asarray(schedule.servers if schedule else (spec.servers,))
    return event_engine(
        arr,
        svc,
        schedule_starts=starts,
        schedule_servers=levels,
        patience=pat,
        capacity=spec.capacity,
        classes=cls,
        n_classes=spec.classes,
    )


def _expected_arrivals(arrivals: object, horizon: float) -> float:
    """About how many customers one replication of length ``horizon`` runs."""
    if isinstance(arrivals, GivenArrivals):
        return float(np.searchsorted(arrivals.times, horizon, side="right"))
    if isinstance(arrivals, NHPPArrivals) and arrivals.max_rate is not None:
        return arrivals.max_rate * horizon  # an upper bound; the mean is unknown
    return arrivals.mean_rate * horizon  # type: ignore[attr-defined]


def _records_frame(rep: int, draws: _Draws, rec: Records) -> pd.DataFrame:
    arr, svc, pat, cls = draws
    served = rec.served
    admitted = ~rec.blocked
    wait = np.where(served, rec.start - arr, 0.0)
    abandoned = admitted & ~served
    if pat is not None:
        wait = np.where(abandoned, pat, wait)
    return pd.DataFrame(
        {
            "replication": rep,
            "customer": np.arange(arr.size),
            "priority_class": 1 if cls is None else cls + 1,
            "arrival": arr,
            "service_time": svc,
            "patience": np.inf if pat is None else pat,
            "found_busy": rec.found_busy,
            "start": rec.start,
            "wait": wait,
            "served": served,
            "abandoned": abandoned,
            "blocked": rec.blocked,
            "departure": arr + wait + np.where(served, svc, 0.0),
            "server": rec.server,
        }
    )
