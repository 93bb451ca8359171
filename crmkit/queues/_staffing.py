"""Staffing: the fewest servers that meet service targets (Erlang C, A, B or X)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from crmkit._validate import (
    check_count,
    check_nonnegative,
    check_positive,
    check_probability,
    show,
)
from crmkit.errors import CrmkitError, ParameterError, TargetError
from crmkit.queues._base import MAX_SERVERS, check_rate, check_sequence, check_values
from crmkit.queues._erlang_a import ErlangA, erlang_queue
from crmkit.queues._erlang_x import ErlangX
from crmkit.queues._markovian import ErlangB, MMc

__all__ = [
    "StaffingResult",
    "square_root_staffing",
    "staff",
    "staff_by_interval",
    "staffing_table",
]

_MAX_SERVERS = 50_000_000
#: most intervals staff_by_interval staffs in one call, rows of staffing_table
_MAX_INTERVALS = 20_000
_MAX_ROWS = 10_000
_TARGETS = (
    "service_level",
    "within",
    "mean_wait",
    "prob_abandon",
    "abandonment_rate",
    "max_occupancy",
    "max_blocking",
    "extra_lines",
)
#: the models staff() builds
Staffed = MMc | ErlangA | ErlangB | ErlangX


@dataclass(frozen=True)
class StaffingResult:
    """The answer of :func:`staff`: how many servers, and what they achieve.

    Attributes
    ----------
    servers : int
        The smallest number of servers meeting every target.
    model : MMc, ErlangA, ErlangB or ErlangX
        The queue at that size.
    achieved : dict
        The metrics at ``servers``.
    one_fewer : dict or None
        The metrics with one server fewer (None when that is unstable or zero), to show
        which target binds.
    targets : dict
        The targets asked for.
    """

    servers: int
    model: Staffed
    achieved: Mapping[str, float]
    one_fewer: Mapping[str, float] | None
    targets: Mapping[str, float] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The metrics at ``servers`` and at ``servers - 1`` side by side."""
        cols = {f"{self.servers} servers": self.achieved}
        if self.one_fewer is not None:
            cols[f"{self.servers - 1} servers"] = self.one_fewer
        return pd.DataFrame(cols)

    def __str__(self) -> str:
        wanted = ", ".join(f"{k} {v:g}" for k, v in self.targets.items())
        lines = [f"{self.servers} servers meet: {wanted} ({type(self.model).__name__})"]
        for name, value in self.achieved.items():
            other = (
                ""
                if self.one_fewer is None
                else f"   (with one fewer: {self.one_fewer[name]:.4g})"
            )
            lines.append(f"  {name:<22} {value:.4g}{other}")
        return "\n".join(lines)


def square_root_staffing(offered_load: float, beta: float) -> int:
    """Servers by the square-root rule: ``⌈a + β √a⌉``.

    ``β`` is the quality-of-service parameter: about 0.5–2 for Erlang C call centres
    (Halfin–Whitt regime). A quick rule; :func:`staff` gives the exact minimum.

    References
    ----------
    S. Halfin and W. Whitt (1981), "Heavy-traffic limits for queues with many
    exponential servers", *Operations Research* 29(3):567–588. N. Gans, G. Koole and A.
    Mandelbaum (2003), "Telephone call centers: tutorial, review, and research
    prospects", *Manufacturing & Service Operations Management* 5(2):79–141, §4.

    The answer is at most 10**8 servers.

    Examples
    --------
    >>> square_root_staffing(100, 1.0)
    110
    """
    a = check_positive("offered_load", offered_load)
    b = check_nonnegative("beta", beta)
    n = a + b * math.sqrt(a) - 1e-12
    if not n <= MAX_SERVERS:
        raise TargetError(
            f"offered_load = {a:g} with beta = {b:g} asks for {n:.3g} servers, more "
            f"than {MAX_SERVERS:,}; pass a smaller offered_load or beta (β is about "
            "0.5–2)."
        )
    return max(1, math.ceil(n))


def _metrics(model: Staffed, within: float | None) -> dict[str, float]:
    if isinstance(model, ErlangB):
        return {"prob_block": model.prob_block, "occupancy": model.occupancy}
    out = {
        "prob_wait": model.prob_wait,
        "mean_wait": model.mean_wait,
        "occupancy": model.occupancy,
    }
    if within is not None:
        out["service_level"] = float(model.service_level(within))
    if "prob_abandon" in model.METRICS:
        out["prob_abandon"] = model.prob_abandon  # type: ignore[union-attr]
    if isinstance(model, ErlangX):
        out["prob_block"] = model.prob_block
    return out


def _check_rates(
    arrival_rate: object, service_rate: object, abandonment_rate: object
) -> tuple[float, float, float | None]:
    """The checked rates of a staffing question (no abandonment_rate: Erlang C)."""
    lam = check_rate("arrival_rate", arrival_rate)
    mu = check_rate("service_rate", service_rate)
    if abandonment_rate is None:
        return lam, mu, None
    return lam, mu, check_rate("abandonment_rate", abandonment_rate)


def _check_targets(
    service_level: float | None,
    within: float | None,
    mean_wait: float | None,
    prob_abandon: float | None,
    abandonment_rate: float | None,
    max_occupancy: float | None,
    max_blocking: float | None = None,
    extra_lines: int | None = None,
) -> dict[str, float]:
    targets: dict[str, float] = {}
    if (service_level is None) != (within is None):
        raise TargetError(
            "service_level and within go together: e.g. service_level=0.8, "
            "within=20/60 means 80 % of calls answered within 20 seconds (times in "
            "the rates' unit)."
        )
    if service_level is not None:
        targets["service_level"] = check_probability(
            "service_level", service_level, open_low=True, open_high=True
        )
        targets["within"] = check_nonnegative("within", within)
    if mean_wait is not None:
        targets["mean_wait"] = check_positive("mean_wait", mean_wait)
    if prob_abandon is not None:
        if abandonment_rate is None:
            raise TargetError(
                "prob_abandon needs abandonment_rate (1 / mean patience): abandonment "
                "exists only in the Erlang A model; pass abandonment_rate too."
            )
        targets["prob_abandon"] = check_probability(
            "prob_abandon", prob_abandon, open_low=True, open_high=True
        )
    if max_occupancy is not None:
        targets["max_occupancy"] = check_probability(
            "max_occupancy", max_occupancy, open_low=True
        )
    if extra_lines is not None:
        targets["extra_lines"] = check_count(
            "extra_lines", extra_lines, minimum=0, maximum=_MAX_SERVERS
        )
    if max_blocking is not None:
        targets["max_blocking"] = check_probability(
            "max_blocking", max_blocking, open_low=True, open_high=True
        )
        waits = [
            k for k in ("service_level", "mean_wait", "prob_abandon") if k in targets
        ]
        if extra_lines is None and (abandonment_rate is not None or waits):
            raise TargetError(
                f"max_blocking = {max_blocking} without extra_lines staffs an Erlang B "
                "loss system (lines = servers, nobody waits), which has no "
                f"{', '.join(waits) or 'abandonment'}; pass extra_lines (the waiting "
                "places beyond the agents) for an ErlangX queue, or drop those."
            )
    if set(targets) <= {"extra_lines"}:
        raise TargetError(
            "staff() needs at least one target; pass service_level with within, "
            "mean_wait, prob_abandon (with abandonment_rate), max_occupancy or "
            "max_blocking."
        )
    return targets


def staff(
    arrival_rate: float,
    service_rate: float,
    *,
    service_level: float | None = None,
    within: float | None = None,
    mean_wait: float | None = None,
    prob_abandon: float | None = None,
    abandonment_rate: float | None = None,
    max_occupancy: float | None = None,
    max_blocking: float | None = None,
    extra_lines: int | None = None,
) -> StaffingResult:
    """The fewest servers meeting every target given.

    Without ``abandonment_rate`` the queue is Erlang C (M/M/c); with it, Erlang A
    (M/M/c+M), whose ``service_level`` counts abandoners as failures. With
    ``extra_lines`` the system has ``servers + extra_lines`` lines and is an
    :class:`~crmkit.queues.ErlangX` queue without redials (M/M/c/K, or M/M/c/K+M with
    ``abandonment_rate``), whose waiting metrics are over admitted calls; with
    ``max_blocking`` alone it is the Erlang B loss system (one line per server).

    Parameters
    ----------
    arrival_rate, service_rate : float
        λ and μ per the same time unit (per minute, say).
    service_level, within : float, optional
        Together: at least ``service_level`` of arrivals wait at most ``within`` time
        units (e.g. 0.8 and 20/60 for "80 % in 20 s" with rates per minute).
    mean_wait : float, optional
        Mean wait over all arrivals at most this (the average speed of answer).
    prob_abandon : float, optional
        At most this share abandons (Erlang A only).
    abandonment_rate : float, optional
        θ = 1 / mean patience; switches to Erlang A.
    max_occupancy : float, optional
        Mean busy servers / servers at most this (in (0, 1]).
    max_blocking : float, optional
        At most this share of calls finds every line busy (in (0, 1)).
    extra_lines : int, optional
        Lines beyond the servers (waiting places), >= 0; each added server brings its
        own line.

    Returns
    -------
    StaffingResult

    Notes
    -----
    Every target is monotone in the number of servers (more servers never worsen a
    metric), so the set of feasible sizes is an interval ``[n*, ∞)``; the search goes
    up to 5·10**7 servers (a larger offered load is refused). The search starts
    at the smallest stable size (⌊a⌋ + 1 for Erlang C; for Erlang A, which is stable at
    any size, at a lower bound implied by the targets), doubles its step until a
    feasible size is found, then bisects. Each Erlang C evaluation is O(1), so loads of
    100,000 Erlangs take a few milliseconds. The tests compare it with a linear scan.

    Examples
    --------
    >>> r = staff(100 / 30, 1 / 3, service_level=0.8, within=20 / 60)   # per minute
    >>> r.servers, round(r.achieved["service_level"], 4)
    (14, 0.8884)
    >>> round(r.one_fewer["service_level"], 4)      # 13 agents miss 80 %
    0.7956
    >>> staff(20, 1, service_level=0.8, within=0.05, abandonment_rate=0.5).servers
    24
    >>> staff(8, 1, max_blocking=0.01).servers      # Erlang B: 15 trunks for 8 Erlangs
    15
    >>> staff(8, 1, max_blocking=0.01, extra_lines=3, service_level=0.8,
    ...       within=0.25).servers                  # ErlangX: lines = servers + 3
    13
    """
    lam, mu, theta = _check_rates(arrival_rate, service_rate, abandonment_rate)
    targets = _check_targets(
        service_level,
        within,
        mean_wait,
        prob_abandon,
        theta,
        max_occupancy,
        max_blocking,
        extra_lines,
    )
    extra = targets.pop("extra_lines", None)
    loss = extra is not None or "max_blocking" in targets
    a = lam / mu
    if a >= _MAX_SERVERS:
        raise TargetError(
            f"arrival_rate = {lam:g} and service_rate = {mu:g} give an offered load of "
            f"{a:.3g} Erlangs, more than the {_MAX_SERVERS:,} servers staff() "
            "searches; check that both rates are in the same time unit, or pass a "
            "smaller arrival_rate."
        )

    def build(n: int) -> Staffed:
        if extra is not None:
            return ErlangX(
                arrival_rate=lam,
                service_rate=mu,
                servers=n,
                abandonment_rate=0.0 if theta is None else theta,
                lines=n + int(extra),
            )
        if loss:
            return ErlangB(servers=n, offered_load=a)
        return erlang_queue(lam, mu, n, theta)

    def ok(n: int) -> bool:
        m = build(n)
        if (
            "service_level" in targets
            and m.service_level(targets["within"]) < targets["service_level"]
        ):
            return False
        if "mean_wait" in targets and m.mean_wait > targets["mean_wait"]:
            return False
        if "prob_abandon" in targets and m.prob_abandon > targets["prob_abandon"]:  # type: ignore[union-attr]
            return False
        if "max_blocking" in targets and m.prob_block > targets["max_blocking"]:  # type: ignore[union-attr]
            return False
        return not (
            "max_occupancy" in targets and m.occupancy > targets["max_occupancy"]
        )

    if loss:
        # Necessary: served share (1 - B)(1 - P(ab)) ≤ nμ/λ, as below.
        need = max(
            targets.get("service_level", 0.0),
            1.0 - targets.get("prob_abandon", 0.0 if theta is None else 1.0),
        )
        lo = max(1, math.floor(a * need * (1.0 - targets.get("max_blocking", 1.0))))
    elif theta is None:
        lo = math.floor(a) + 1
    else:
        # Necessary conditions: served share ≤ nμ/λ, so n ≥ a·SL and n ≥ a(1 - P(ab)).
        need = max(
            targets.get("service_level", 0.0), 1.0 - targets.get("prob_abandon", 1.0)
        )
        lo = max(1, math.floor(a * need))
    n = _first_true(ok, lo)
    one_fewer = None
    if n - 1 >= 1 and (loss or theta is not None or n - 1 > a):
        one_fewer = _metrics(build(n - 1), targets.get("within"))
    model = build(n)
    return StaffingResult(
        servers=n,
        model=model,
        achieved=_metrics(model, targets.get("within")),
        one_fewer=one_fewer,
        targets=dict(targets),
    )


def _first_true(ok: Callable[[int], bool], lo: int) -> int:
    """Smallest n >= lo with ok(n), for a predicate that is false then true."""
    if ok(lo):
        return lo
    step = 1
    bad = lo
    while True:
        cand = lo + step
        if cand > _MAX_SERVERS:
            raise TargetError(
                f"no number of servers up to {_MAX_SERVERS:,} meets the targets; check "
                "that the targets are in the units of the rates (or pass looser "
                "targets)."
            )
        if ok(cand):
            break
        bad = cand
        step *= 2
    good = cand
    while good - bad > 1:
        mid = (good + bad) // 2
        if ok(mid):
            good = mid
        else:
            bad = mid
    return good


def staff_by_interval(
    arrival_rates: Sequence[float] | pd.Series,
    service_rate: float,
    **targets: Any,
) -> pd.DataFrame:
    """Staff each interval of a day on its own (stationary independent
    period-by-period).

    Each interval is treated as a steady-state queue with its own arrival rate; the
    method is accurate when intervals are long compared with the service time (Green,
    Kolesar and Soares 2001), and understaffs when load changes fast.

    Parameters
    ----------
    arrival_rates : sequence or Series of float
        Arrival rate in each interval, per the time unit of ``service_rate`` (finite,
        >= 0; at most 20,000 intervals per call). A Series keeps its index as the
        interval label.
    service_rate : float
        μ per the same time unit.
    **targets
        As for :func:`staff` (``service_level``, ``within``, ``mean_wait``,
        ``prob_abandon``, ``abandonment_rate``, ``max_occupancy``, ``max_blocking``,
        ``extra_lines``).

    Returns
    -------
    pandas.DataFrame
        One row per interval: ``arrival_rate``, ``offered_load``, ``servers`` and the
        metrics achieved.

    References
    ----------
    L. V. Green, P. J. Kolesar and J. Soares (2001), "Improving the SIPP approach for
    staffing service systems that have cyclic demands", *Operations Research*
    49(4):549–564.

    Examples
    --------
    >>> rates = [2.0, 5.0, 3.5]                     # calls per minute
    >>> table = staff_by_interval(rates, 1 / 3, service_level=0.8, within=1 / 3)
    >>> table["servers"].tolist()
    [9, 19, 14]
    """
    mu = check_rate("service_rate", service_rate)
    for key in targets:
        if key not in _TARGETS:
            raise TargetError(
                f"{key} = {show(targets[key])} is not a target of staff(); choose "
                f"among {', '.join(_TARGETS)}."
            )
    if targets.get("abandonment_rate") is not None:
        check_rate("abandonment_rate", targets["abandonment_rate"])
    _check_targets(
        targets.get("service_level"),
        targets.get("within"),
        targets.get("mean_wait"),
        targets.get("prob_abandon"),
        targets.get("abandonment_rate"),
        targets.get("max_occupancy"),
        targets.get("max_blocking"),
        targets.get("extra_lines"),
    )
    index = arrival_rates.index if isinstance(arrival_rates, pd.Series) else None
    given = check_sequence(
        "arrival_rates", arrival_rates, "[2.0, 5.0, 3.5]", maximum=_MAX_INTERVALS
    )
    values = check_values("arrival_rates", given, low=0.0)
    rates = pd.Series(values, index=index)
    rows = []
    for label, lam in rates.items():
        if lam == 0:
            rows.append(
                {
                    "interval": label,
                    "arrival_rate": 0.0,
                    "offered_load": 0.0,
                    "servers": 0,
                }
            )
            continue
        try:
            result = staff(lam, mu, **targets)
        except CrmkitError as exc:
            raise type(exc)(
                f"interval {label!r} (arrival_rate = {lam:g}): {exc}"
            ) from None
        rows.append(
            {
                "interval": label,
                "arrival_rate": lam,
                "offered_load": lam / mu,
                "servers": result.servers,
                **result.achieved,
            }
        )
    return pd.DataFrame(rows).set_index("interval")


def staffing_table(
    arrival_rate: float,
    service_rate: float,
    servers: Sequence[int] | range,
    *,
    within: float = 0.0,
    abandonment_rate: float | None = None,
) -> pd.DataFrame:
    """Metrics for each number of servers: the table behind a staffing decision.

    Sizes that would be unstable without abandonment are left out. ``servers`` is a
    list or range of at most 10,000 whole numbers from 1 to 10**8.

    Returns
    -------
    pandas.DataFrame
        Index ``servers``; columns ``service_level`` (within ``within``),
        ``prob_wait``, ``mean_wait``, ``occupancy`` and, for Erlang A, ``prob_abandon``.

    Examples
    --------
    >>> t = staffing_table(100 / 30, 1 / 3, range(11, 16), within=1 / 3)
    >>> t["service_level"].round(3).tolist()
    [0.39, 0.64, 0.796, 0.888, 0.941]
    """
    lam, mu, theta = _check_rates(arrival_rate, service_rate, abandonment_rate)
    t = check_nonnegative("within", within)
    given = check_sequence("servers", servers, "range(10, 20)", maximum=_MAX_ROWS)
    sizes = check_values("servers", given, low=1.0, high=MAX_SERVERS, integer=True)
    rows = []
    for n in sizes.astype(int).tolist():
        if theta is None and n <= lam / mu:
            continue
        rows.append({"servers": n, **_metrics(erlang_queue(lam, mu, n, theta), t)})
    if not rows:
        raise ParameterError(
            f"every size in servers = {show(servers)} is unstable: at least "
            f"{math.floor(lam / mu) + 1:,} are needed without abandonment; pass larger "
            "sizes, or an abandonment_rate."
        )
    return pd.DataFrame(rows).set_index("servers")
