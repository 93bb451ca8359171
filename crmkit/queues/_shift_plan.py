"""Shift scheduling: the cheapest shifts that cover the rostered agents required.

:func:`schedule_shifts` solves the set-covering integer programme of shift
scheduling with :func:`scipy.optimize.milp` (HiGHS) and returns a :class:`ShiftPlan`;
the shift rules and the patterns they allow live in :mod:`crmkit.queues._shifts`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, sparse

from crmkit._validate import (
    check_bool,
    check_choice,
    check_positive,
    check_probability,
    check_real,
)
from crmkit.errors import FitError, ParameterError, TargetError
from crmkit.queues._base import MAX_SCALE, check_kind, check_sequence
from crmkit.queues._schedule import Schedule
from crmkit.queues._shifts import (
    Patterns,
    ShiftType,
    _exact,
    enumerate_patterns,
    rostered_agents,
)

__all__ = ["ShiftPlan", "schedule_shifts"]

#: most intervals of one scheduling problem (four weeks of 5-minute intervals)
_MAX_INTERVALS = 8064
_OBJECTIVES = ("cost", "paid_hours")
_STATUS = {0: "optimal", 1: "time limit"}


def _clock(minutes: float) -> str:
    """``'day 1 08:30'`` for 1950 minutes from the horizon start."""
    day, rest = divmod(round(minutes), 1440)
    return f"day {day} {rest // 60:02d}:{rest % 60:02d}"


@dataclass(frozen=True, eq=False)
class ShiftPlan:
    """The shifts chosen by :func:`schedule_shifts`, and how well they cover.

    Attributes
    ----------
    interval_minutes, shrinkage : float
        As passed.
    objective : str
        ``"cost"`` or ``"paid_hours"``, the quantity minimised.
    objective_value : float
        Its value at the plan.
    paid_hours, cost : float
        Total paid hours and total cost of the plan.
    agents : int
        Number of shifts (agents) in the plan.
    status : str
        ``"optimal"`` (within ``mip_rel_gap``) or ``"time limit"`` (the best plan
        found when the time ran out).
    mip_gap : float
        HiGHS' relative gap between the plan and its lower bound (0 when proven
        optimal).
    dual_bound : float
        That lower bound on the objective.
    message : str
        The solver's message.

    Use :meth:`to_frame` for the shifts, :meth:`coverage_frame` for the agents
    per interval, and :meth:`to_schedule` to simulate the plan.
    """

    shifts: pd.DataFrame
    coverage: pd.DataFrame
    interval_minutes: float
    shrinkage: float
    objective: str
    objective_value: float
    paid_hours: float
    cost: float
    agents: int
    status: str
    mip_gap: float
    dual_bound: float
    message: str

    def to_frame(self) -> pd.DataFrame:
        """The shifts used: one row per (shift type, start, break placement).

        Columns ``shift``, ``start_minutes``, ``end_minutes``, ``start``
        (``'day d hh:mm'``), ``breaks`` (a tuple of (start, end) minutes of each
        break), ``part_time``, ``agents``, ``paid_hours`` and ``cost`` (totals over
        the row's agents). Minutes count from the start of the horizon; with
        ``wrap=True`` a time past its end means that time less the horizon.
        """
        return self.shifts.copy()

    def coverage_frame(self) -> pd.DataFrame:
        """Agents per interval: ``start_minutes``, ``required``, ``rostered``
        (after shrinkage), ``scheduled`` (working, not on break) and
        ``over_staffing`` (scheduled − rostered)."""
        return self.coverage.copy()

    @property
    def over_staffing_hours(self) -> float:
        """Agent-hours scheduled beyond the rostered requirement."""
        return float(self.coverage["over_staffing"].sum()) * self.interval_minutes / 60

    def to_schedule(self, net_of_shrinkage: bool = False) -> Schedule:
        """The plan as servers on duty over time, for :func:`simulate`.

        With ``net_of_shrinkage=True`` each interval has ``⌊scheduled (1 − s)⌋``
        servers, the agents left after shrinkage (never fewer than the required
        agents, for whole requirements); otherwise the agents scheduled.

        Examples
        --------
        >>> from crmkit.queues import ShiftType, schedule_shifts
        >>> plan = schedule_shifts([1, 2, 2, 1], 60, [ShiftType("s", 120, range(0, 181, 60))])
        >>> plan.to_schedule().servers_at([30, 90, 150, 210]).tolist()
        [1, 2, 2, 1]
        """  # noqa: E501
        levels = self.coverage["scheduled"].to_numpy()
        if check_bool("net_of_shrinkage", net_of_shrinkage):
            keep = 1 - _exact(self.shrinkage)
            levels = np.array([math.floor(int(v) * keep) for v in levels])
        return Schedule.from_intervals(
            [int(v) for v in levels], interval=self.interval_minutes
        )

    def __str__(self) -> str:
        gap = f", gap {self.mip_gap:.2g}" if self.status != "optimal" else ""
        lines = [
            f"{self.agents} shifts, {self.paid_hours:g} paid hours, cost "
            f"{self.cost:g} ({self.status}{gap})",
            f"  over-staffing {self.over_staffing_hours:g} agent-hours; shrinkage "
            f"{self.shrinkage:g}",
        ]
        by_type = self.shifts.groupby("shift", sort=False)["agents"].sum()
        lines += [f"  {name:<16} {int(n)}" for name, n in by_type.items()]
        return "\n".join(lines)


def _check_types(shift_types: object) -> tuple[ShiftType, ...]:
    if isinstance(shift_types, ShiftType):
        shift_types = (shift_types,)
    given = check_sequence(
        "shift_types",
        shift_types,
        "[ShiftType('full', 480, range(0, 961, 15))]",
        maximum=1000,
    )
    types = tuple(
        check_kind(f"shift_types[{i}]", s, ShiftType, "a ShiftType(...)")
        for i, s in enumerate(given)
    )
    if not types:
        raise ParameterError("shift_types is empty; pass at least one ShiftType(...).")
    names = [s.name for s in types]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ParameterError(
            f"shift_types has two shift types named {repeated[0]!r}; rename one so "
            "that each name appears once."
        )
    return types


def _intervals(where: np.ndarray, interval: float) -> str:
    shown = ", ".join(f"{i} ({_clock(i * interval)})" for i in where[:5].tolist())
    more = f" and {where.size - 5} more" if where.size > 5 else ""
    return f"interval{'s' if where.size > 1 else ''} {shown}{more}"


def _check_coverable(
    types: tuple[ShiftType, ...],
    pats: Patterns,
    rostered: np.ndarray,
    interval: float,
    share: float | None,
) -> None:
    """Refuse, before solving, rules that leave an interval short whatever the plan."""
    for t, shift in enumerate(types):
        if shift.min_count > 0 and not (pats.kind == t).any():
            raise TargetError(
                f"{shift.name}.min_count = {shift.min_count} but no shift of that "
                "type fits in the horizon (none of its starts leaves room for its "
                "length); add start times, pass wrap=True, or lower min_count."
            )
    usable = np.array(
        [s.max_count != 0 and not (share == 0 and s.part_time) for s in types],
        dtype=bool,
    )
    kind_cover = sparse.csr_array(
        (np.ones(pats.kind.size), (np.arange(pats.kind.size), pats.kind)),
        shape=(pats.kind.size, len(types)),
    )
    covers = (pats.cover @ kind_cover).toarray() > 0  # intervals × types
    need = rostered > 0
    bare = np.flatnonzero(need & ~(covers[:, usable].any(axis=1)))
    if bare.size:
        raise TargetError(
            f"no allowed shift covers {_intervals(bare, interval)} (rostered "
            f"agents needed: {int(rostered[bare[0]])}); add start times (or "
            "shift types) that work then, pass wrap=True for shifts across the "
            "horizon's end, or set the requirement there to 0."
        )
    cap = np.array([math.inf if s.max_count is None else s.max_count for s in types])
    cap = np.where(usable, cap, 0.0)
    most = np.where(covers, cap[None, :], 0.0).sum(axis=1)
    short = np.flatnonzero(most < rostered)
    if short.size:
        i = short[0]
        names = ", ".join(types[t].name for t in np.flatnonzero(covers[i] & usable))
        raise TargetError(
            f"{_intervals(short, interval)} need {int(rostered[i])} rostered agents, "
            f"but the shift types that cover it ({names}) allow at most "
            f"{int(most[i])} shifts in all; raise their max_count or add shift types."
        )


def _problem(
    types: tuple[ShiftType, ...],
    pats: Patterns,
    rostered: np.ndarray,
    objective: str,
    share: float | None,
) -> tuple[np.ndarray, optimize.Bounds, list[optimize.LinearConstraint]]:
    per_shift = np.array(
        [s.cost if objective == "cost" else s.paid_hours for s in types]
    )
    c = per_shift[pats.kind] if pats.kind.size else np.zeros(0)
    high = np.array(
        [
            0.0
            if share == 0 and s.part_time
            else (math.inf if s.max_count is None else s.max_count)
            for s in types
        ]
    )
    bounds = optimize.Bounds(np.zeros(c.size), high[pats.kind])
    constraints = [optimize.LinearConstraint(pats.cover, lb=rostered, ub=np.inf)]
    limited = [
        t for t, s in enumerate(types) if s.min_count > 0 or s.max_count is not None
    ]
    if limited:
        rows = sparse.csr_array(
            np.stack([(pats.kind == t).astype(float) for t in limited])
        )
        constraints.append(
            optimize.LinearConstraint(
                rows,
                lb=[types[t].min_count for t in limited],
                ub=[
                    math.inf if types[t].max_count is None else types[t].max_count
                    for t in limited
                ],
            )
        )
    if share is not None and 0 < share < 1:
        part = np.array([s.part_time for s in types])[pats.kind]
        # part-time shifts <= share × all shifts
        row = np.where(part, 1.0 - share, -share)
        constraints.append(optimize.LinearConstraint(row[None, :], ub=0.0))
    return c, bounds, constraints


def schedule_shifts(
    required: Sequence[float] | np.ndarray | pd.Series,
    interval_minutes: float,
    shift_types: ShiftType | Sequence[ShiftType],
    *,
    shrinkage: float = 0.0,
    objective: str = "cost",
    max_part_time_share: float | None = None,
    wrap: bool = False,
    time_limit_seconds: float | None = None,
    mip_rel_gap: float = 0.0,
) -> ShiftPlan:
    """The cheapest set of shifts that covers the agents required in each interval.

    Each (shift type, start, break placement) is a pattern; ``x_p`` agents work
    pattern ``p``. The integer programme (Dantzig's set-covering model, with
    Aykin's break windows placed explicitly) is

        minimise Σ_p c_p x_p  subject to  Σ_p a_ip x_p ≥ r_i for every interval i,

    where ``a_ip`` is 1 when pattern ``p`` works (and is not on break) in interval
    ``i``, ``r_i = ⌈required_i / (1 − shrinkage)⌉`` the rostered agents (see
    :func:`rostered_agents`), and ``c_p`` the pattern's cost or paid hours; plus
    ``min_count ≤ Σ_{p of a type} x_p ≤ max_count`` for each shift type and, with
    ``max_part_time_share = σ``, Σ_{part-time} x_p ≤ σ Σ_p x_p (a share of
    shifts). HiGHS solves it through :func:`scipy.optimize.milp`.

    Parameters
    ----------
    required : sequence, array or Series of float
        Agents required in each interval (>= 0), e.g.
        ``staff_by_interval(...)["servers"]``; a Series keeps its index as the
        interval label. At most 8,064 intervals (a week of 15-minute intervals is
        672).
    interval_minutes : float
        Length of an interval; every start, length and break must be a multiple of
        it.
    shift_types : ShiftType or sequence of ShiftType
        The kinds of shift allowed.
    shrinkage : float, default 0
        Share of rostered time lost (absence, training, ...), in [0, 1).
    objective : {"cost", "paid_hours"}
        Minimise the total cost (``cost_per_hour × paid_hours`` per shift) or the
        total paid hours.
    max_part_time_share : float, optional
        At most this share of the shifts may be of a part-time type.
    wrap : bool, default False
        Let shifts run past the end of the horizon into its start (a cyclic day or
        week); otherwise every shift ends within the horizon.
    time_limit_seconds : float, optional
        Stop HiGHS after this long and return the best plan found (``status`` says
        ``"time limit"`` and ``mip_gap`` how far from proven optimal it may be).
    mip_rel_gap : float, default 0
        Stop once the relative gap is at most this (0: prove optimality).

    Returns
    -------
    ShiftPlan

    Raises
    ------
    TargetError
        When no plan can meet the requirement: an interval with rostered agents
        that no allowed shift covers, ``max_count`` limits too low, a ``min_count``
        for a shift that fits nowhere, or limits that conflict (found by HiGHS);
        the message says what to change. Also when the time limit passes before any
        plan is found.

    Notes
    -----
    Optimal plans may tie; HiGHS returns the same one for the same input and
    version. The tests check optimality against brute-force enumeration on small
    instances.

    References
    ----------
    G. B. Dantzig (1954), "A comment on Edie's 'Traffic delays at toll booths'",
    *Journal of the Operations Research Society of America* 2(3):339–341. T. Aykin
    (1996), "Optimal shift scheduling with multiple break windows", *Management
    Science* 42(4):591–602. G. Koole (2013), *Call Center Optimization*, MG books,
    Amsterdam (shrinkage). Q. Huangfu and J. A. J. Hall (2018), "Parallelizing the
    dual revised simplex method", *Mathematical Programming Computation*
    10(1):119–142 (HiGHS).

    Examples
    --------
    >>> from crmkit.queues import ShiftBreak, ShiftType, schedule_shifts
    >>> full = ShiftType("full", 240, range(0, 241, 60),
    ...                  breaks=ShiftBreak(60, 60, 120))      # 1 h unpaid break
    >>> half = ShiftType("half", 120, range(0, 361, 60), cost_per_hour=1.25,
    ...                  part_time=True)
    >>> plan = schedule_shifts([2, 3, 3, 2, 3, 4, 4, 2], 60, [full, half])
    >>> plan.status, plan.cost, plan.paid_hours, plan.agents
    ('optimal', 25.0, 23.0, 9)
    >>> plan.coverage_frame()["scheduled"].tolist()
    [2, 3, 3, 2, 3, 4, 4, 2]
    >>> plan.to_frame().groupby("shift")["agents"].sum().to_dict()
    {'full': 5, 'half': 4}
    """
    interval = check_positive("interval_minutes", interval_minutes)
    types = _check_types(shift_types)
    s = check_real("shrinkage", shrinkage, low=0.0, high=1.0, high_open=True)
    goal = check_choice("objective", objective, _OBJECTIVES)
    share = None
    if max_part_time_share is not None:
        share = check_probability("max_part_time_share", max_part_time_share)
    wrap = check_bool("wrap", wrap)
    options: dict[str, float] = {
        "mip_rel_gap": check_real("mip_rel_gap", mip_rel_gap, low=0.0, high=1.0)
    }
    if time_limit_seconds is not None:
        options["time_limit"] = check_positive("time_limit_seconds", time_limit_seconds)
    labels = required.index if isinstance(required, pd.Series) else None
    check_sequence("required", required, "[3, 5, 4]", maximum=_MAX_INTERVALS)
    rostered = np.asarray(rostered_agents(required, s))
    n = rostered.size
    if not n * interval <= MAX_SCALE:
        raise ParameterError(
            f"interval_minutes = {interval:g} × {n} intervals ends beyond 1e100 "
            "minutes; pass a shorter interval_minutes."
        )
    pats = enumerate_patterns(types, n, interval, wrap)
    _check_coverable(types, pats, rostered, interval, share)
    c, bounds, constraints = _problem(types, pats, rostered, goal, share)
    result = optimize.milp(
        c,
        integrality=np.ones(c.size),
        bounds=bounds,
        constraints=constraints,
        options=options,
    )
    if result.status not in _STATUS or result.x is None:
        if result.status == 2:
            raise TargetError(
                "no plan meets every rule: the min_count, max_count and "
                f"max_part_time_share = {share} limits conflict with each other or "
                "with the requirement (HiGHS proved it infeasible); lower a "
                "min_count, raise a max_count or max_part_time_share, or add shift "
                "types."
            )
        if result.status == 1:
            raise TargetError(
                f"HiGHS found no plan within time_limit_seconds = "
                f"{options.get('time_limit')}; raise time_limit_seconds, or pass "
                "fewer start times or a longer interval_minutes."
            )
        raise FitError(
            f"HiGHS stopped without a plan ({result.message}); check the rules for "
            "huge counts, or pass a time_limit_seconds."
        )
    x = np.round(result.x).astype(np.int64)
    scheduled = (pats.cover @ x.astype(float)).round().astype(np.int64)
    if (scheduled < rostered).any():  # pragma: no cover - HiGHS tolerance guard
        raise FitError(
            "HiGHS returned a plan that misses the requirement after rounding; "
            "pass mip_rel_gap=0 and check the rules for huge counts."
        )
    return _plan(
        types, pats, x, rostered, scheduled, required, labels, interval, s, goal, result
    )


def _plan(
    types: tuple[ShiftType, ...],
    pats: Patterns,
    x: np.ndarray,
    rostered: np.ndarray,
    scheduled: np.ndarray,
    required: object,
    labels: pd.Index | None,
    interval: float,
    shrinkage: float,
    goal: str,
    result: optimize.OptimizeResult,
) -> ShiftPlan:
    rows = []
    used = sorted(
        np.flatnonzero(x), key=lambda p: (pats.kind[p], pats.start[p], pats.breaks[p])
    )
    for p in used:
        shift = types[pats.kind[p]]
        start = pats.start[p] * interval
        breaks = tuple(
            (start + off * interval, start + off * interval + b.length_minutes)
            for off, b in zip(pats.breaks[p], shift.breaks, strict=True)
        )
        rows.append(
            {
                "shift": shift.name,
                "start_minutes": start,
                "end_minutes": start + shift.length_minutes,
                "start": _clock(start),
                "breaks": breaks,
                "part_time": shift.part_time,
                "agents": int(x[p]),
                "paid_hours": x[p] * shift.paid_hours,
                "cost": x[p] * shift.cost,
            }
        )
    columns = [
        "shift",
        "start_minutes",
        "end_minutes",
        "start",
        "breaks",
        "part_time",
        "agents",
        "paid_hours",
        "cost",
    ]
    shifts = pd.DataFrame(rows, columns=columns)
    given = np.asarray(required, dtype=float)
    coverage = pd.DataFrame(
        {
            "start_minutes": np.arange(rostered.size) * interval,
            "required": given,
            "rostered": rostered,
            "scheduled": scheduled,
            "over_staffing": scheduled - rostered,
        },
        index=labels if labels is not None else pd.RangeIndex(rostered.size),
    )
    coverage.index.name = "interval"
    paid = float(shifts["paid_hours"].sum())
    cost = float(shifts["cost"].sum())
    gap = getattr(result, "mip_gap", None)
    bound = getattr(result, "mip_dual_bound", None)
    return ShiftPlan(
        shifts=shifts,
        coverage=coverage,
        interval_minutes=interval,
        shrinkage=shrinkage,
        objective=goal,
        objective_value=cost if goal == "cost" else paid,
        paid_hours=paid,
        cost=cost,
        agents=int(x.sum()),
        status=_STATUS[result.status],
        mip_gap=0.0 if gap is None else float(gap),
        dual_bound=math.nan if bound is None else float(bound),
        message=str(result.message),
    )
