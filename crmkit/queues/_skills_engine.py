"""The event engine of skills-based routing, a pure function of pre-drawn times.

Events are arrivals (given in time order) and service completions (a heap). At the
same instant a completion comes first, then an abandonment, then an arrival, as in
:func:`crmkit.queues._engines.event_engine`: a customer whose patience runs out at the
moment an agent frees is served, and an agent freeing at the moment a customer arrives
serves that customer if it has nobody else waiting.

One invariant keeps the loop short: whenever a customer of class k waits, no agent
with skill k is idle (an arrival that finds one is served at once, and a freed agent
looks at every queue it can serve before it goes idle). So an arrival either starts
service or waits, and only a completion starts a waiting customer.

Abandonments need no events of their own: a waiting customer changes nothing but its
own queue, and a queue is only read when a freed agent takes its head. So the agent
freeing at t drops, from the head of each queue it looks at, the customers whose
patience ran out before t (arrival + patience < t; at equality the customer is served)
and serves the first one left. Each customer's outcome is the one an abandonment event
at arrival + patience would give (the same floating-point sum is compared).

Idle agents of a group wait in a deque in the order they became idle, so the agent idle
longest is at its left end; all agents are idle from time 0 on. With a single group
the agents are interchangeable: the heap holds each agent's free-from time (plain
floats, 0 at the start), an agent whose time is at or before the current instant is
free, and both a completion that starts a waiting customer and an arrival served at
once replace the heap's top in one step.

Both loops run over the arrivals followed by a sentinel arrival at ``inf`` of a class
no group serves: the completions before it drain the system, and it waits in a queue
nobody reads, so the loop needs no end-of-run test.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass

import numpy as np

__all__ = ["SkillsRecords", "skills_engine"]


@dataclass(frozen=True)
class SkillsRecords:
    """Per-customer outcomes (arrival order)."""

    start: np.ndarray  # service start, NaN when the customer abandoned
    group: np.ndarray  # index of the group that served it, -1 when it abandoned
    found_busy: np.ndarray  # bool: no idle agent with its skill on arrival


def skills_engine(
    arrivals: np.ndarray,
    classes: np.ndarray,
    services: np.ndarray,
    patience: np.ndarray | None,
    *,
    agents: list[int],
    candidates: list[list[tuple[int, int]]],
    queue_order: list[list[int]],
    longest_idle: bool,
) -> SkillsRecords:
    """Run one replication.

    Parameters
    ----------
    arrivals, classes : arrays of length n
        Arrival times (sorted) and class indices.
    services : array (groups × n)
        ``services[g, i]``: customer i's service time if group g serves it (only
        entries of groups with i's skill are read).
    patience : array of length n or None
        Patience times (``inf``: never abandons); None: nobody abandons.
    agents : list of int
        Agents per group.
    candidates : list (one per class) of (rank, group) pairs
        The groups with the class's skill and the class's position in each one's
        priorities, sorted by (rank, group).
    queue_order : list (one per group) of class indices
        The classes a freed agent of the group looks at, highest priority first.
    longest_idle : bool
        Route an arrival to the agent idle longest over all candidate groups (True),
        or to the best-ranked candidate group with an idle agent, the agent idle
        longest among equally ranked groups (False).
    """
    n = arrivals.size
    inf = math.inf
    times = _view(arrivals, inf)
    kinds = memoryview(np.append(classes, len(candidates)).astype(np.int64))
    if patience is None:
        deadlines = _view(np.full(n, inf), inf)
    else:
        deadlines = _view(arrivals + patience, inf)
    rows_np = np.asarray(services, dtype=np.float64)
    rows = [_view(row, 0.0) for row in rows_np]
    queues = [deque() for _ in range(len(candidates) + 1)]
    busy = bytearray(n + 1)
    start_np = np.full(n + 1, math.nan)  # set for those who waited and were served
    start = memoryview(start_np)
    if len(agents) == 1:
        ends = _view(arrivals + rows_np[0], inf)  # the ends if served on arrival
        _one_group(times, kinds, deadlines, rows[0], ends, queues, busy, start,
                   agents[0], queue_order[0])  # fmt: skip
    else:
        group_np = np.full(n + 1, -1, dtype=np.int64)
        _groups(times, kinds, deadlines, rows, queues, busy, start,
                memoryview(group_np), agents, candidates, queue_order,
                longest_idle)  # fmt: skip
    found_busy = np.frombuffer(busy, dtype=np.uint8)[:n].astype(bool)
    start_arr = np.where(found_busy, start_np[:n], arrivals)
    one = len(agents) == 1
    group = np.where(np.isnan(start_arr), -1, 0) if one else group_np[:n]
    return SkillsRecords(start_arr, group.astype(np.int64), found_busy)


def _view(values: np.ndarray, last: float) -> memoryview:
    """``values`` with ``last`` appended (the sentinel's entry), as a memoryview.

    The loops read one entry at a time; a memoryview of a float64 array gives each as
    a Python float without the list that ``tolist`` would build first, which
    ``benchmarks/bench_skills.py`` measured at about a fifth of a replication's CPU
    time (the values read are the same floats).
    """
    return memoryview(np.append(np.asarray(values, dtype=np.float64), last))


def _one_group(
    times: memoryview,
    kinds: memoryview,
    deadlines: memoryview,
    row: memoryview,
    ends: memoryview,
    queues: list[deque[int]],
    busy: bytearray,
    start: memoryview,
    agents: int,
    order: list[int],
) -> None:
    """The loop for one group: a heap holding every agent's free-from time.

    An agent whose time on the heap is at or before the current instant is free
    (idle, or just finishing), so an arrival that finds ``done[0] <= a`` and nobody
    waiting takes that agent in one ``heapreplace``. ``waiting`` counts the entries
    in the queues (customers who abandoned are dropped lazily), and completions are
    only worked through while it is positive: when no one waits, an agent finishing
    before the next arrival simply stays on the heap, idle from its time on. Ties
    behave as in the module's docstring: the heap's top at ``a`` is free for an
    arrival at ``a``, and a queued customer whose deadline equals the completion
    time is served. Measured by ``benchmarks/bench_skills.py``: about 10 % less CPU
    time than popping and pushing each agent as it frees and is taken again.
    """
    scan = [queues[k] for k in order]
    done = [0.0] * agents  # every agent free from time 0 (a valid heap)
    replace = heapq.heapreplace
    waiting = 0
    for i, a in enumerate(times):
        if waiting:
            while done[0] <= a:
                t = done[0]
                for q in scan:  # the freed agent's best queue with a customer left
                    while q and deadlines[q[0]] < t:
                        q.popleft()  # it abandoned before t
                        waiting -= 1
                    if q:
                        j = q.popleft()
                        waiting -= 1
                        start[j] = t
                        replace(done, t + row[j])
                        break
                else:
                    break  # no one waits: the agent stays idle from t
                if not waiting:
                    break
        if done[0] <= a and not waiting:
            replace(done, ends[i])
        else:
            busy[i] = 1
            queues[kinds[i]].append(i)
            waiting += 1


def _groups(
    times: memoryview,
    kinds: memoryview,
    deadlines: memoryview,
    rows: list[memoryview],
    queues: list[deque[int]],
    busy: bytearray,
    start: memoryview,
    group_of: memoryview,
    agents: list[int],
    candidates: list[list[tuple[int, int]]],
    queue_order: list[list[int]],
    longest_idle: bool,
) -> None:
    """The loop for several groups: idle deques and a heap of (time, group)."""
    scans = [[queues[k] for k in order] for order in queue_order]
    idle = [deque([0.0] * a) for a in agents]
    cands = [[(rank, g, idle[g]) for rank, g in c] for c in candidates]
    cands.append([])  # the sentinel's class
    done: list[tuple[float, int]] = []
    push, pop = heapq.heappush, heapq.heappop
    inf = math.inf
    for i, a in enumerate(times):
        while done and done[0][0] <= a:
            t, g = pop(done)
            for q in scans[g]:  # the freed agent's best queue with a customer there
                while q and deadlines[q[0]] < t:
                    q.popleft()  # it abandoned before t
                if q:
                    j = q.popleft()
                    start[j] = t
                    group_of[j] = g
                    push(done, (t + rows[g][j], g))
                    break
            else:
                idle[g].append(t)
        k = kinds[i]
        best = None
        best_g = best_rank = 0
        best_t = inf
        for rank, g, free in cands[k]:
            if not free:
                continue
            if longest_idle:
                if free[0] < best_t:
                    best, best_g, best_t = free, g, free[0]
            elif best is None:
                best, best_g, best_rank, best_t = free, g, rank, free[0]
            elif rank > best_rank:
                break
            elif free[0] < best_t:
                best, best_g, best_t = free, g, free[0]
        if best is not None:
            best.popleft()
            group_of[i] = best_g
            push(done, (a + rows[best_g][i], best_g))
        else:
            busy[i] = 1
            queues[k].append(i)
