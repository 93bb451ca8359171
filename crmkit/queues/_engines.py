"""The two simulation engines, as pure functions of pre-drawn times.

Both take the same inputs (arrival times in order, service times and patience times per
customer, in arrival order) and return the same record arrays, so for a
first-come-first- served station with a constant number of servers they give bit-for-bit
identical results for the same draws (tested). Why hand-written: general-purpose
simulators (SimPy, Ciw) pay for per-event Python objects; the recursion below is ~100
times faster and exact.

Ties at the same instant are resolved identically in both: a server freeing at the
moment a customer arrives serves that customer at once, and a customer whose patience
runs out at the very moment a server frees is served (served iff offered wait ≤
patience).

References
----------
J. Kiefer and J. Wolfowitz (1955), "On the theory of queues with many servers",
*Transactions of the AMS* 78(1):1–18 (the multi-server form of Lindley's recursion).
D. V. Lindley (1952), "The theory of queues with a single server", *Proc. Cambridge
Phil. Soc.* 48(2):277–289.
"""

from __future__ import annotations

import array
import heapq
import math
from collections import deque
from dataclasses import dataclass

import numpy as np

__all__ = ["Records", "event_engine", "recursion_engine"]


def _view(values: np.ndarray) -> memoryview:
    """A float64 memoryview: iterating it is the fastest way to feed floats to a
    loop."""
    return memoryview(np.ascontiguousarray(values, dtype=np.float64))


def _floats(buffer: array.array) -> np.ndarray:
    return np.frombuffer(buffer, dtype=np.float64)


@dataclass(frozen=True)
class Records:
    """Per-customer outcome arrays (arrival order)."""

    start: np.ndarray  # service start time, NaN when not served
    served: np.ndarray  # bool
    found_busy: np.ndarray  # bool: all servers busy (or a queue) at arrival
    blocked: np.ndarray  # bool: turned away because the system was full
    server: np.ndarray  # int server id, -1 when not served or not tracked


def _flags(buffer: bytearray) -> np.ndarray:
    return np.frombuffer(buffer, dtype=np.uint8).astype(bool)


def _records(
    start: np.ndarray,
    served: bytearray,
    found_busy: bytearray,
    blocked: bytearray,
    server: np.ndarray,
) -> Records:
    """Pack an engine's per-customer buffers (flags as bytearrays) into Records."""
    return Records(start, _flags(served), _flags(found_busy), _flags(blocked), server)


def recursion_engine(
    arrivals: np.ndarray,
    services: np.ndarray,
    *,
    servers: int,
    patience: np.ndarray | None = None,
    capacity: int | None = None,
) -> Records:
    """FCFS multi-server station by the Kiefer–Wolfowitz recursion (heap of free times).

    A customer's offered start is the earliest time a server is free (or its arrival);
    it is served iff the offered wait is at most its patience; with a ``capacity`` it is
    blocked when ``capacity`` customers are in the system (waiting or in service).
    """
    if patience is None and capacity is None:
        return _recursion_plain(arrivals, services, servers)
    n = arrivals.size
    free = [0.0] * servers
    replace = heapq.heapreplace
    arr = _view(arrivals)
    svc = _view(services)
    starts = array.array("d")
    add = starts.append
    pat = _view(np.full(n, math.inf) if patience is None else patience)
    busy_flags = bytearray(n)
    served_flags = bytearray(n)
    blocked_flags = bytearray(n)
    leave: list[float] = []  # times admitted customers leave the system
    push, pop = heapq.heappush, heapq.heappop
    cap = capacity if capacity is not None else -1
    for i in range(n):
        a = arr[i]
        if cap >= 0:
            while leave and leave[0] <= a:
                pop(leave)
            if len(leave) >= cap:
                blocked_flags[i] = 1
                add(math.nan)
                continue
        f = free[0]
        if f > a:
            busy_flags[i] = 1
            if f - a > pat[i]:
                add(math.nan)
                if cap >= 0:
                    push(leave, a + pat[i])
                continue
            st = f
        else:
            st = a
        d = st + svc[i]
        replace(free, d)
        served_flags[i] = 1
        add(st)
        if cap >= 0:
            push(leave, d)
    return _records(
        _floats(starts), served_flags, busy_flags, blocked_flags, np.full(n, -1)
    )


def _recursion_plain(
    arrivals: np.ndarray, services: np.ndarray, servers: int
) -> Records:
    """The recursion with neither patience nor capacity: everyone is served."""
    n = arrivals.size
    free = [0.0] * servers
    replace = heapq.heapreplace
    starts = array.array("d")
    add = starts.append
    for a, s in zip(_view(arrivals), _view(services), strict=True):
        f = free[0]
        # Two branches, not ``st = f if f > a else a``: the loop alone runs ~15 %
        # faster (1.1 M customers); in bench_simulation.py's whole study the gain is
        # within the machine's noise.
        if f > a:
            replace(free, f + s)
            add(f)
        else:
            replace(free, a + s)
            add(a)
    start = _floats(starts)
    return Records(
        start, np.ones(n, bool), start > arrivals, np.zeros(n, bool), np.full(n, -1)
    )


def event_engine(
    arrivals: np.ndarray,
    services: np.ndarray,
    *,
    schedule_starts: np.ndarray,
    schedule_servers: np.ndarray,
    patience: np.ndarray | None = None,
    capacity: int | None = None,
    classes: np.ndarray | None = None,
    n_classes: int = 1,
) -> Records:
    """Event-driven station: server schedules, non-preemptive priorities, abandonment.

    Events at the same instant are handled in this order: departures, schedule changes,
    abandonments, arrivals. A server going off duty finishes its customer first. Servers
    carry ids (0, 1, …) so records can name who served whom.
    """
    n = arrivals.size
    return _event_loop(
        _view(arrivals),
        _view(services),
        None if patience is None else _view(patience),
        [0] * n if classes is None else classes.tolist(),
        [*schedule_starts.tolist(), math.inf],
        schedule_servers.tolist(),
        capacity if capacity is not None else -1,
        n_classes,
    )


def _next_waiting(queues: list[deque[int]], in_queue: bytearray) -> int:
    """Take the first customer still waiting, highest class first, off its queue
    (dropping those who abandoned on the way) and mark them as no longer waiting."""
    for q in queues:
        while q and not in_queue[q[0]]:
            q.popleft()  # it abandoned
        if q:
            j = q.popleft()
            in_queue[j] = 0
            return j
    raise AssertionError("no customer waits")  # the caller checks `waiting` first


def _event_loop(
    arr: memoryview,
    svc: memoryview,
    pat: memoryview | None,
    cls: list[int],
    sched_t: list[float],
    sched_c: list[int],
    cap: int,
    n_classes: int,
) -> Records:
    """The event loop of :func:`event_engine` (``cap`` -1: no capacity).

    One invariant keeps it short: after every event either all allowed servers are
    busy or nobody waits, so an arrival that has to queue can start nobody, and only a
    departure or a schedule change can start a waiting customer.
    """
    n = len(arr)
    start = [math.nan] * n
    server_of = [-1] * n
    served_flags = bytearray(n)
    busy_flags = bytearray(n)
    blocked_flags = bytearray(n)
    in_queue = bytearray(n)
    queues: list[deque[int]] = [deque() for _ in range(n_classes)]
    waiting = 0
    busy = 0
    allowed = sched_c[0]
    k = 1
    free_ids = list(range(max(sched_c) - 1, -1, -1))
    departures: list[tuple[float, int]] = []
    abandons: list[tuple[float, int]] = []
    push, pop = heapq.heappush, heapq.heappop
    inf = math.inf
    i = 0

    one = queues[0] if n_classes == 1 else None
    replace = heapq.heapreplace

    # Starting a customer is written out in each branch rather than called: as nested
    # functions, the start and the dispatch cost a third of the loop's time
    # (benchmarks/bench_simulation.py, event engine: 20-22x Ciw before, 27-33x after).
    # tests/queues/test_event_engine_reference.py holds it to a plain reference.
    while True:
        t_arr = arr[i] if i < n else inf
        t_dep = departures[0][0] if departures else inf
        t_sch = sched_t[k]
        t_ab = abandons[0][0] if abandons else inf
        if t_dep <= t_sch and t_dep <= t_ab and t_dep <= t_arr:
            if t_dep == inf:
                break
            if waiting and busy <= allowed:
                # The freed server takes the first waiting customer (highest class
                # first): one heapreplace instead of a pop and a push.
                if one is not None:
                    while not in_queue[one[0]]:
                        one.popleft()  # it abandoned
                    j = one.popleft()
                    in_queue[j] = 0
                else:
                    j = _next_waiting(queues, in_queue)
                waiting -= 1
                sid = departures[0][1]
                start[j] = t_dep
                server_of[j] = sid
                served_flags[j] = 1
                replace(departures, (t_dep + svc[j], sid))
            else:
                _, sid = pop(departures)
                busy -= 1
                free_ids.append(sid)
        elif t_sch <= t_ab and t_sch <= t_arr:
            allowed = sched_c[k]
            k += 1
            for _ in range(min(allowed - busy, waiting)):
                j = _next_waiting(queues, in_queue)
                sid = free_ids.pop()
                start[j] = t_sch
                server_of[j] = sid
                served_flags[j] = 1
                push(departures, (t_sch + svc[j], sid))
                busy += 1
                waiting -= 1
        elif t_ab <= t_arr:
            _, j = pop(abandons)
            if in_queue[j]:
                in_queue[j] = 0
                waiting -= 1
        else:
            if cap >= 0 and busy + waiting >= cap:
                blocked_flags[i] = 1
            elif busy < allowed and not waiting:
                busy += 1
                sid = free_ids.pop()
                start[i] = t_arr
                server_of[i] = sid
                served_flags[i] = 1
                push(departures, (t_arr + svc[i], sid))
            else:
                busy_flags[i] = 1
                in_queue[i] = 1
                waiting += 1
                queues[cls[i]].append(i)
                if pat is not None and pat[i] < inf:
                    push(abandons, (t_arr + pat[i], i))
            i += 1
            if i >= n and not departures and not waiting:
                break
    return _records(
        np.asarray(start),
        served_flags,
        busy_flags,
        blocked_flags,
        np.asarray(server_of),
    )
