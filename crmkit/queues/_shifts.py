"""Shift rules: shift types, their breaks, the patterns they allow; and shrinkage.

A :class:`ShiftType` says how long a shift lasts, when it may start, which breaks it
has (each within a window after the start), what an hour of it costs, and how many
of it may be used. On a grid of intervals of ``interval_minutes`` it allows a set of
*patterns*: one start and one placement of every break. Each pattern is a column of
0/1 (working, not on break, in each interval) of the set-covering model of shift
scheduling solved by :func:`crmkit.queues.schedule_shifts`.
:func:`rostered_agents` turns the agents required (by a staffing model) into the
agents to roster once shrinkage is allowed for.

References
----------
G. B. Dantzig (1954), "A comment on Edie's 'Traffic delays at toll booths'",
*Journal of the Operations Research Society of America* 2(3):339–341 (the
set-covering model of shift scheduling: one variable per shift pattern). T. Aykin
(1996), "Optimal shift scheduling with multiple break windows", *Management Science*
42(4):591–602 (breaks placed within windows after the shift start).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd
from scipy import sparse

from crmkit._frozen import set_fields
from crmkit._validate import (
    check_bool,
    check_count,
    check_nonnegative,
    check_positive,
    check_real,
    check_work,
    show,
)
from crmkit.errors import ParameterError
from crmkit.queues._base import check_kind, check_sequence, check_values

__all__ = ["ShiftBreak", "ShiftType", "rostered_agents"]

#: most start times one shift type lists
_MAX_STARTS = 100_000
#: most (pattern, interval) incidences of one scheduling problem
MAX_INCIDENCES = 2 * 10**7
#: most agents in one interval (rostered), or shifts of one type
MAX_AGENTS = 10**7
_DAY_MINUTES = 1440.0


@dataclass(frozen=True)
class ShiftBreak:
    """A break of ``length_minutes`` that starts between ``earliest_start_minutes``
    and ``latest_start_minutes`` after the shift starts.

    The scheduler tries every start in that window on the interval grid (a window of
    one start, ``latest_start_minutes=None``, fixes the break). An unpaid break
    (``paid=False``) is left out of the shift's paid hours. On a break an agent is
    not counted as working.

    Examples
    --------
    >>> lunch = ShiftBreak(30, earliest_start_minutes=180, latest_start_minutes=300)
    >>> lunch.latest_start_minutes, lunch.paid
    (300.0, False)
    """

    length_minutes: float
    earliest_start_minutes: float
    latest_start_minutes: float | None = None
    paid: bool = False

    def __post_init__(self) -> None:
        length = check_positive("length_minutes", self.length_minutes)
        earliest = check_nonnegative(
            "earliest_start_minutes", self.earliest_start_minutes
        )
        latest = earliest
        if self.latest_start_minutes is not None:
            latest = check_nonnegative(
                "latest_start_minutes", self.latest_start_minutes
            )
        if latest < earliest:
            raise ParameterError(
                f"latest_start_minutes = {latest:g} is before earliest_start_minutes "
                f"= {earliest:g}; pass a window with earliest <= latest (swap them)."
            )
        set_fields(
            self,
            length_minutes=length,
            earliest_start_minutes=earliest,
            latest_start_minutes=latest,
            paid=check_bool("paid", self.paid),
        )


@dataclass(frozen=True)
class ShiftType:
    """A kind of shift: its length, allowed starts, breaks, cost and limits.

    Parameters
    ----------
    name : str
        A label, unique among the shift types of one problem.
    length_minutes : float
        From start to end, breaks included.
    start_times : sequence of float or range
        Allowed starts in minutes: from the start of each day when ``repeat_daily``
        (the default; the same starts on every day of the horizon), else from the
        start of the horizon. A ``range(480, 721, 15)`` gives every quarter hour from
        8:00 to 12:00. Starts are put on the interval grid by the scheduler, which
        refuses a start off the grid.
    breaks : ShiftBreak or sequence of ShiftBreak, optional
        The breaks, in the order they are taken (a later break starts after an
        earlier one ends).
    cost_per_hour : float, default 1.0
        Cost of one paid hour of this shift.
    paid_hours : float, optional
        Paid hours of one shift; default the length less the unpaid breaks.
    part_time : bool, default False
        Counts toward ``max_part_time_share`` of :func:`schedule_shifts`.
    min_count, max_count : int, optional
        Fewest and most shifts of this type in the plan (over all starts); no upper
        limit by default.
    repeat_daily : bool, default True
        Whether ``start_times`` repeat on every day (see above).

    Examples
    --------
    >>> full = ShiftType("full", 8 * 60, range(360, 841, 15),
    ...                  breaks=ShiftBreak(30, 180, 300))
    >>> full.paid_hours, len(full.start_times)
    (7.5, 33)
    """

    name: str
    length_minutes: float
    start_times: Sequence[float] | range
    breaks: ShiftBreak | Sequence[ShiftBreak] = field(default=())
    cost_per_hour: float = 1.0
    paid_hours: float | None = None
    part_time: bool = False
    min_count: int = 0
    max_count: int | None = None
    repeat_daily: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ParameterError(
                f"name = {show(self.name)} is not a non-empty str; pass a label such "
                "as 'full_time'."
            )
        name = self.name
        length = check_positive(f"{name}.length_minutes", self.length_minutes)
        given = check_sequence(
            f"{name}.start_times",
            self.start_times,
            "range(480, 721, 15)",
            maximum=_MAX_STARTS,
        )
        starts = check_values(f"{name}.start_times", given, low=0.0)
        breaks = self.breaks
        if isinstance(breaks, ShiftBreak):
            breaks = (breaks,)
        breaks = check_sequence(
            f"{name}.breaks", breaks, "[ShiftBreak(30, 180, 300)]", maximum=100
        )
        breaks = tuple(
            check_kind(f"{name}.breaks[{i}]", b, ShiftBreak, "a ShiftBreak(...)")
            for i, b in enumerate(breaks)
        )
        for i, b in enumerate(breaks):
            if b.latest_start_minutes + b.length_minutes > length:
                raise ParameterError(
                    f"{name}.breaks[{i}] may start at {b.latest_start_minutes:g} and "
                    f"last {b.length_minutes:g} minutes, past the end of the "
                    f"{length:g}-minute shift; pass an earlier window or a shorter "
                    "break."
                )
        unpaid = sum(b.length_minutes for b in breaks if not b.paid)
        if self.paid_hours is None:
            paid = (length - unpaid) / 60.0
            if paid <= 0:
                raise ParameterError(
                    f"{name}: unpaid breaks of {unpaid:g} minutes fill the whole "
                    f"{length:g}-minute shift; pass shorter breaks or paid_hours."
                )
        else:
            paid = check_positive(f"{name}.paid_hours", self.paid_hours)
        low = check_count(f"{name}.min_count", self.min_count, maximum=MAX_AGENTS)
        high = None
        if self.max_count is not None:
            high = check_count(f"{name}.max_count", self.max_count, maximum=MAX_AGENTS)
            if high < low:
                raise ParameterError(
                    f"{name}: min_count = {low} is above max_count = {high}; lower "
                    "min_count or raise max_count."
                )
        set_fields(
            self,
            length_minutes=length,
            start_times=tuple(sorted(set(starts.tolist()))),
            breaks=breaks,
            cost_per_hour=check_positive(f"{name}.cost_per_hour", self.cost_per_hour),
            paid_hours=paid,
            part_time=check_bool(f"{name}.part_time", self.part_time),
            min_count=low,
            max_count=high,
            repeat_daily=check_bool(f"{name}.repeat_daily", self.repeat_daily),
        )

    @property
    def cost(self) -> float:
        """Cost of one shift: ``cost_per_hour × paid_hours``."""
        return self.cost_per_hour * self.paid_hours  # type: ignore[operator]


def _exact(x: float) -> Fraction:
    """The decimal Python prints for ``x``, as an exact fraction (0.3 is 3/10)."""
    return Fraction(repr(float(x)))


def rostered_agents(
    required: Sequence[float] | np.ndarray | pd.Series, shrinkage: float = 0.0
) -> np.ndarray | pd.Series:
    """Agents to roster so that, after shrinkage, the required agents remain.

    Shrinkage ``s`` is the share of rostered time lost to absence, training,
    meetings and the like, so ``n`` rostered agents give ``n (1 − s)`` at work; the
    smallest whole ``n`` with ``n (1 − s) ≥ required`` is ``⌈required / (1 − s)⌉``.

    The division is done exactly on the decimals Python prints for the numbers
    (``Fraction(repr(x))``), so 7 agents with 30 % shrinkage need 10 (floating point
    gives 7 / 0.7 = 10.000000000000002, whose ceiling would be 11).

    Parameters
    ----------
    required : sequence, array or Series of float
        Agents required in each interval (>= 0, e.g. the ``servers`` column of
        :func:`staff_by_interval`).
    shrinkage : float, default 0
        In [0, 1).

    Returns
    -------
    numpy.ndarray or pandas.Series of int
        A Series (same index) for a Series.

    References
    ----------
    G. Koole (2013), *Call Center Optimization*, MG books, Amsterdam (shrinkage and
    the rostered requirement). N. Gans, G. Koole and A. Mandelbaum (2003), "Telephone
    call centers: tutorial, review, and research prospects", *Manufacturing &
    Service Operations Management* 5(2):79–141 (staffing, then shift scheduling,
    then rostering).

    Examples
    --------
    >>> rostered_agents([7, 8, 0, 3.2], shrinkage=0.3).tolist()
    [10, 12, 0, 5]
    """
    s = check_real("shrinkage", shrinkage, low=0.0, high=1.0, high_open=True)
    index = required.index if isinstance(required, pd.Series) else None
    given = check_sequence("required", required, "[3, 5, 4]", maximum=10**6)
    values = check_values("required", given, low=0.0, high=MAX_AGENTS)
    keep = 1 - _exact(s)
    out = np.array([math.ceil(_exact(v) / keep) for v in values], dtype=np.int64)
    if out.size and out.max() > MAX_AGENTS:
        raise ParameterError(
            f"shrinkage = {s:g} turns {values.max():g} required agents into "
            f"{int(out.max()):,} rostered, more than {MAX_AGENTS:,}; pass a smaller "
            "shrinkage (a share such as 0.3)."
        )
    return out if index is None else pd.Series(out, index=index, name="rostered")


def _on_grid(name: str, minutes: float, interval: float) -> int:
    """``minutes`` as a whole number of intervals, or a clear refusal."""
    k = minutes / interval
    r = round(k)
    if abs(k - r) > 1e-9 * max(1.0, abs(k)):
        raise ParameterError(
            f"{name} = {minutes:g} minutes is not a multiple of interval_minutes = "
            f"{interval:g}; pass times on the {interval:g}-minute grid (e.g. "
            f"{r * interval:g})."
        )
    return int(r)


@dataclass(frozen=True, eq=False)
class Patterns:
    """The patterns of a problem: who they belong to and where they work.

    ``cover`` is the (intervals × patterns) 0/1 matrix of working intervals;
    ``kind[p]`` the shift type's index, ``start[p]`` the start interval and
    ``breaks[p]`` the break starts (interval offsets from the shift start).
    """

    cover: sparse.csr_array
    kind: np.ndarray
    start: np.ndarray
    breaks: tuple[tuple[int, ...], ...]


def _placements(shift: ShiftType, interval: float) -> list[tuple[int, ...]]:
    """Every placement of the breaks (offsets in intervals), in order, no overlap."""
    name = shift.name
    windows, lengths = [], []
    for i, b in enumerate(shift.breaks):
        where = f"{name}.breaks[{i}]"
        lo = _on_grid(
            f"{where}.earliest_start_minutes", b.earliest_start_minutes, interval
        )
        hi = _on_grid(f"{where}.latest_start_minutes", b.latest_start_minutes, interval)
        lengths.append(_on_grid(f"{where}.length_minutes", b.length_minutes, interval))
        windows.append(range(lo, hi + 1))
    check_work(
        f"{name}.breaks (placements of every break)",
        float(math.prod(len(w) for w in windows)),
        limit=10**5,
        fix="pass narrower break windows or a longer interval_minutes",
    )
    out = [
        combo
        for combo in itertools.product(*windows)
        if all(combo[j] + lengths[j] <= combo[j + 1] for j in range(len(combo) - 1))
    ]
    if not out:
        raise ParameterError(
            f"{name}: no placement of its breaks lets each start after the one "
            "before ends; pass later windows for the later breaks."
        )
    return out


def _starts(shift: ShiftType, n: int, interval: float, wrap: bool) -> np.ndarray:
    """Start intervals of ``shift`` inside a horizon of ``n`` intervals."""
    horizon = n * interval
    base = np.asarray(shift.start_times, dtype=float)
    if shift.repeat_daily:
        days = math.ceil(horizon / _DAY_MINUTES)
        check_work(
            f"{shift.name}.start_times ({base.size:,} starts × {days:,} days)",
            float(base.size) * days,
            limit=10**6,
            fix="pass fewer start times, or repeat_daily=False",
        )
        base = (base[None, :] + _DAY_MINUTES * np.arange(days)[:, None]).ravel()
    base = np.unique(base[base < horizon])
    grid = np.array(
        [_on_grid(f"{shift.name}.start_times", s, interval) for s in base],
        dtype=np.int64,
    )
    length = _on_grid(f"{shift.name}.length_minutes", shift.length_minutes, interval)
    if wrap:
        if length > n:
            raise ParameterError(
                f"{shift.name}.length_minutes = {shift.length_minutes:g} is longer "
                f"than the horizon of {horizon:g} minutes; pass a shorter shift or "
                "more intervals."
            )
        return grid
    return grid[grid + length <= n]


def enumerate_patterns(
    shift_types: Sequence[ShiftType], n: int, interval: float, wrap: bool
) -> Patterns:
    """Every (shift type, start, break placement) pattern on ``n`` intervals."""
    rows, cols, kinds, starts, breaks = [], [], [], [], []
    count = 0
    for t, shift in enumerate(shift_types):
        length = _on_grid(
            f"{shift.name}.length_minutes", shift.length_minutes, interval
        )
        grid = _starts(shift, n, interval, wrap)
        combos = _placements(shift, interval)
        blen = [
            _on_grid(
                f"{shift.name}.breaks[{i}].length_minutes", b.length_minutes, interval
            )
            for i, b in enumerate(shift.breaks)
        ]
        check_work(
            "the shift patterns (starts × break placements × intervals)",
            float(count) + float(grid.size) * len(combos) * length,
            limit=MAX_INCIDENCES,
            fix="pass fewer start times, narrower break windows or a longer "
            "interval_minutes",
        )
        for combo in combos:
            working = np.ones(length, dtype=bool)
            for off, bl in zip(combo, blen, strict=True):
                working[off : off + bl] = False
            offsets = np.flatnonzero(working)
            ids = len(kinds) + np.arange(grid.size)
            rows.append(((grid[:, None] + offsets[None, :]) % n).ravel())
            cols.append(np.repeat(ids, offsets.size))
            kinds.extend([t] * grid.size)
            starts.extend(grid.tolist())
            breaks.extend([combo] * grid.size)
            count += grid.size * offsets.size
    m = len(kinds)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    cover = sparse.csr_array((np.ones(r.size), (r, c)), shape=(n, m), dtype=float)
    return Patterns(
        cover=cover,
        kind=np.asarray(kinds, dtype=np.int64),
        start=np.asarray(starts, dtype=np.int64),
        breaks=tuple(breaks),
    )
