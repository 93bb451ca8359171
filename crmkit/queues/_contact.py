"""Redials and callbacks in :func:`crmkit.queues.simulate`: the rule and the engine.

A station with redials or callbacks (a :class:`~crmkit.queues.QueueSpec` with
``redial_prob > 0`` or a :class:`CallbackOffer`) has call *attempts* that the engine
itself creates, so its times cannot all be drawn before the run: each attempt draws
its service time and patience from its own stream (keyed by the replication and the
kind of draw) as it arrives, in the order of the events, and each coin (redial or
accept) and redial delay when it is needed. So a seed gives the same run whoever
runs it.

Events at the same instant: completions, then schedule changes, then abandonments,
then attempts (a fresh call before a redial), as in
:func:`crmkit.queues._engines.event_engine`.

- **Schedules.** The agents on duty may follow a :class:`~crmkit.queues.Schedule`: an
  agent going off duty finishes the call in hand (inbound or callback), and when more
  agents come on duty they take waiting inbound callers first, then callbacks (by the
  rule below), as a freed agent does.

- **Redials.** A blocked attempt (all ``capacity`` lines busy) or an abandoning one
  redials with probability ``redial_prob`` after a ``redial_delay``; the redial is a
  new attempt that joins the line behind everyone. Redials due after the run's last
  fresh call are not made (the run ends), but their time in the orbit counts until
  then.
- **Callbacks** (virtual hold). An attempt that finds every agent busy and at least
  ``threshold`` callers waiting is offered a callback and takes it with probability
  ``accept_prob``; callbacks never abandon and wait in their own line. An agent who
  frees serves the first waiting inbound caller; with nobody waiting it starts the
  first callback if more than ``reserve`` agents are then idle, itself included (0:
  callbacks at plain low priority). The rule of :class:`~crmkit.queues.Callbacks`
  (B. Legros, O. Jouini and G. Koole (2016), "Optimal scheduling in call centers
  with a callback option", *Performance Evaluation* 95:1–40).

The records are per attempt in time order; a callback taker counts as neither waiting
nor served in the inbound metrics (it left the line) and has its own columns.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from crmkit._frozen import set_fields
from crmkit._replication import keyed_stream
from crmkit._validate import check_count, check_probability
from crmkit.queues._base import MAX_SIM_SERVERS
from crmkit.queues._distributions import _check_distribution, _check_draws
from crmkit.queues._schedule import Schedule

__all__ = ["CallbackOffer", "ContactRun", "contact_run"]

#: draws taken from a stream at a time
_BLOCK = 4096


@dataclass(frozen=True)
class CallbackOffer:
    """The callback (virtual hold) offer of a simulated station.

    Parameters
    ----------
    threshold : int
        Offer a callback to an arrival who finds every agent busy and at least this
        many callers waiting (0: every delayed caller).
    accept_prob : float
        The share of offered callers who take the callback, in [0, 1].
    service : distribution, optional
        Length of a callback (None: the station's service distribution).
    reserve : int, default 0
        A callback starts only when more than ``reserve`` agents are idle, the agent
        starting it included (0: whenever no inbound caller waits).

    Examples
    --------
    >>> from crmkit.queues import CallbackOffer, Exponential
    >>> CallbackOffer(threshold=1, accept_prob=0.5, service=Exponential(1.0)).reserve
    0
    """

    threshold: int
    accept_prob: float
    service: Any = None
    reserve: int = 0

    def __post_init__(self) -> None:
        if self.service is not None:
            _check_distribution("service", self.service)
        set_fields(
            self,
            threshold=check_count(
                "threshold", self.threshold, minimum=0, maximum=10**9
            ),
            accept_prob=check_probability("accept_prob", self.accept_prob),
            reserve=check_count(
                "reserve", self.reserve, minimum=0, maximum=MAX_SIM_SERVERS
            ),
        )


@dataclass(frozen=True)
class ContactRun:
    """One replication's attempts (time order) and outcomes."""

    arrivals: np.ndarray
    service: np.ndarray
    patience: np.ndarray | None
    start: np.ndarray  # inbound service start, NaN when not served inbound
    served: np.ndarray
    found_busy: np.ndarray
    blocked: np.ndarray  # all lines busy
    callback: np.ndarray  # took a callback
    callback_start: np.ndarray  # NaN unless it took one
    callback_service: np.ndarray
    orbit: tuple[np.ndarray, np.ndarray]  # (left, redial due) of every redial
    fresh: np.ndarray  # the fresh calls' times


def _stream(dist: Any, rng: np.random.Generator, name: str) -> Iterator[float]:
    """A distribution's draws one at a time, sampled in blocks and checked."""
    while True:
        draws = _check_draws(name, dist.sample(rng, _BLOCK), _BLOCK, allow_inf=True)
        yield from draws.tolist()


def _uniforms(rng: np.random.Generator) -> Iterator[float]:
    while True:
        yield from rng.random(_BLOCK).tolist()


def contact_run(
    spec: Any, fresh: np.ndarray, end: float, base: int, servers: int | Schedule
) -> ContactRun:
    """Run one replication of ``spec`` over the fresh calls ``fresh`` (no redial
    after ``end``), drawing from the streams keyed ``(base, kind)``; ``servers`` is a
    number of agents or the :class:`~crmkit.queues.Schedule` they follow."""
    offer = spec.callbacks
    service = _stream(spec.service, keyed_stream(base, (1,)), "service")
    patience = (
        None
        if spec.patience is None
        else _stream(spec.patience, keyed_stream(base, (2,)), "patience")
    )
    coins = _uniforms(keyed_stream(base, (3,)))
    delays = (
        None
        if spec.redial_delay is None
        else _stream(spec.redial_delay, keyed_stream(base, (4,)), "redial_delay")
    )
    cb_service = None
    if offer is not None:
        dist = offer.service if offer.service is not None else spec.service
        cb_service = _stream(dist, keyed_stream(base, (5,)), "callback service")
    if isinstance(servers, Schedule):
        changes, levels = list(servers.starts[1:]), list(servers.servers)
    else:
        changes, levels = [], [int(servers)]
    loop = _Loop(changes, levels, spec.capacity, spec.redial_prob, offer, end)
    loop.run(fresh.tolist(), service, patience, coins, delays, cb_service)
    return loop.result(fresh, spec.patience is not None)


class _Loop:
    """The event loop's state (one instance per replication)."""

    def __init__(
        self,
        changes: list[float],
        levels: list[int],
        capacity: int | None,
        redial_prob: float,
        offer: CallbackOffer | None,
        end: float,
    ) -> None:
        self.changes = [*changes, math.inf]  # times the agents on duty change
        self.levels = levels  # levels[k]: on duty from changes[k - 1] (0 at first)
        self.cap = capacity if capacity is not None else -1
        self.p = redial_prob
        self.offer = offer
        self.end = end
        self.arr: list[float] = []
        self.svc: list[float] = []
        self.pat: list[float] = []
        self.start: list[float] = []
        self.found: list[bool] = []
        self.blocked: list[bool] = []
        self.took: list[bool] = []
        self.cb_start: list[float] = []
        self.cb_svc: list[float] = []
        self.orbit_lo: list[float] = []
        self.orbit_hi: list[float] = []

    def run(
        self,
        fresh: list[float],
        service: Iterator[float],
        patience: Iterator[float] | None,
        coins: Iterator[float],
        delays: Iterator[float] | None,
        cb_service: Iterator[float] | None,
    ) -> None:
        push, pop, inf, nan = heapq.heappush, heapq.heappop, math.inf, math.nan
        cap, p, end, offer = self.cap, self.p, self.end, self.offer
        changes, levels = self.changes, self.levels
        c, k = levels[0], 0  # agents on duty, and the next change
        arr, svc, pat, start = self.arr, self.svc, self.pat, self.start
        found, blocked, took = self.found, self.blocked, self.took
        cb_start, cb_svc = self.cb_start, self.cb_svc
        thr = offer.threshold if offer is not None else 0
        accept = offer.accept_prob if offer is not None else 0.0
        reserve = offer.reserve if offer is not None else 0
        fresh = [*fresh, inf]
        done: list[float] = []  # completion times (inbound calls and callbacks)
        aband: list[tuple[float, int]] = []  # (deadline, attempt), lazily deleted
        redials: list[float] = []
        line: deque[int] = deque()
        in_line: set[int] = set()
        callbacks: deque[int] = deque()
        busy = waiting = fi = 0

        def retry(t: float) -> None:
            if p > 0 and next(coins) < p:
                due = t + next(delays)  # type: ignore[arg-type]
                self.orbit_lo.append(t)
                self.orbit_hi.append(due)
                if due <= end:
                    push(redials, due)

        def dispatch(t: float, busy: int, waiting: int) -> tuple[int, int]:
            """Agents free at ``t`` take the first inbound callers left, then
            callbacks while more than ``reserve`` agents are idle."""
            while busy < c and waiting:
                j = line.popleft()
                while j not in in_line:
                    j = line.popleft()  # it abandoned
                in_line.discard(j)
                waiting -= 1
                busy += 1
                start[j] = t
                push(done, t + svc[j])
            while callbacks and c - busy > reserve:
                j = callbacks.popleft()
                busy += 1
                cb_start[j] = t
                push(done, t + cb_svc[j])
            return busy, waiting

        while True:
            t_new = fresh[fi]
            if redials and redials[0] < t_new:
                t_new = redials[0]
            t_done = done[0] if done else inf
            t_ab = aband[0][0] if aband else inf
            t_sch = changes[k]
            if t_done <= t_ab and t_done <= t_new and t_done <= t_sch:
                if t_done == inf:
                    break
                pop(done)
                busy -= 1
                if busy < c:  # the freed agent is still on duty
                    busy, waiting = dispatch(t_done, busy, waiting)
            elif t_sch <= t_ab and t_sch <= t_new:
                if t_new == inf and not aband and not waiting and not callbacks:
                    break  # nothing is left for the agents to come on duty for
                k += 1
                c = levels[k]
                busy, waiting = dispatch(t_sch, busy, waiting)
            elif t_ab <= t_new:
                _, j = pop(aband)
                if j in in_line:
                    in_line.discard(j)
                    waiting -= 1
                    retry(t_ab)
            else:
                if t_new == fresh[fi]:
                    fi += 1
                else:
                    pop(redials)
                j = len(arr)
                arr.append(t_new)
                svc.append(next(service))
                pat.append(next(patience) if patience is not None else inf)
                start.append(nan)
                cb_start.append(nan)
                cb_svc.append(nan)
                is_blocked = 0 <= cap <= busy + waiting
                blocked.append(is_blocked)
                found.append(not is_blocked and busy >= c)
                took.append(False)
                if is_blocked:
                    retry(t_new)
                elif busy < c:
                    busy += 1
                    start[j] = t_new
                    push(done, t_new + svc[j])
                elif offer is not None and waiting >= thr and next(coins) < accept:
                    took[j] = True
                    cb_svc[j] = next(cb_service)  # type: ignore[arg-type]
                    callbacks.append(j)
                else:
                    waiting += 1
                    line.append(j)
                    in_line.add(j)
                    if pat[j] < inf:
                        push(aband, (t_new + pat[j], j))

    def result(self, fresh: np.ndarray, impatient: bool) -> ContactRun:
        start = np.asarray(self.start, dtype=float)
        return ContactRun(
            arrivals=np.asarray(self.arr, dtype=float),
            service=np.asarray(self.svc, dtype=float),
            patience=np.asarray(self.pat, dtype=float) if impatient else None,
            start=start,
            served=~np.isnan(start),
            found_busy=np.asarray(self.found, dtype=bool),
            blocked=np.asarray(self.blocked, dtype=bool),
            callback=np.asarray(self.took, dtype=bool),
            callback_start=np.asarray(self.cb_start, dtype=float),
            callback_service=np.asarray(self.cb_svc, dtype=float),
            orbit=(
                np.asarray(self.orbit_lo, dtype=float),
                np.asarray(self.orbit_hi, dtype=float),
            ),
            fresh=fresh,
        )


def _inside(lo: np.ndarray, hi: np.ndarray, t0: float, t1: float) -> float:
    """Total length of the intervals [lo_i, hi_i] inside [t0, t1]."""
    return float(np.sum(np.clip(np.minimum(hi, t1) - np.maximum(lo, t0), 0.0, None)))


def contact_metrics(
    run: ContactRun,
    window: tuple[int, float, float],
    server_time: float,
    offer: bool,
) -> dict[str, float]:
    """The metrics only redials and callbacks have: ``mean_orbit`` (callers waiting
    to redial, time average); ``callback_share`` (attempts taking a callback),
    ``mean_callback_delay`` (call to callback start) and ``mean_callback_queue``;
    and the callbacks' part of ``occupancy`` (returned as ``callback_busy``), over
    the ``server_time`` the agents were on duty in the window."""
    first, t0, t1 = window
    span = t1 - t0
    out: dict[str, float] = {}
    if span > 0:
        out["mean_orbit"] = _inside(*run.orbit, t0, t1) / span
    if offer:
        took = run.callback
        kept = took[first:]
        out["callback_share"] = float(kept.mean())
        delay = (run.callback_start - run.arrivals)[first:][kept]
        out["mean_callback_delay"] = float(delay.mean()) if delay.size else math.nan
        lo, cb = run.callback_start[took], run.callback_service[took]
        if span > 0:
            out["mean_callback_queue"] = _inside(run.arrivals[took], lo, t0, t1) / span
            busy = _inside(lo, lo + cb, t0, t1)
            out["callback_busy"] = busy / server_time if server_time > 0 else math.nan
    return out
