"""The event engine of skills-based routing, a pure function of pre-drawn times.

Events are arrivals (given in time order), service completions (a heap) and
abandonments (a heap, deleted lazily: a customer already served is skipped). At the same
instant a completion comes first, then an abandonment, then an arrival, as in
:func:`crmkit.queues._engines.event_engine`: a customer whose patience runs out at the
moment an agent frees is served, and an agent freeing at the moment a customer arrives
serves that customer if it has nobody else waiting.

One invariant keeps the loop short: whenever a customer of class k waits, no agent
with skill k is idle (an arrival that finds one is served at once, and a freed agent
looks at every queue it can serve before it goes idle). So an arrival either starts
service or waits, and only a completion starts a waiting customer.

Idle agents of a group wait in a deque in the order they became idle, so the agent idle
longest is at its left end; all agents are idle from time 0 on.
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
    start = [math.nan] * n
    group_of = [-1] * n
    busy_flags = bytearray(n)
    in_queue = bytearray(n)
    queues: list[deque[int]] = [deque() for _ in range(len(candidates))]
    group_queues = [[queues[k] for k in order] for order in queue_order]
    idle = [deque([0.0] * a) for a in agents]
    rows = [memoryview(np.ascontiguousarray(row, dtype=np.float64)) for row in services]
    pat = None if patience is None else memoryview(patience)
    departures: list[tuple[float, int]] = []
    abandons: list[tuple[float, int]] = []
    push, pop = heapq.heappush, heapq.heappop
    inf = math.inf

    times = [*arrivals.tolist(), inf]  # a last arrival at inf drains the system
    kinds = classes.tolist()
    for i, a in enumerate(times):
        # completions and abandonments up to a (a completion first at a tie)
        while departures or abandons:
            t_dep = departures[0][0] if departures else inf
            if abandons and abandons[0][0] < t_dep:
                if abandons[0][0] > a:
                    break
                in_queue[pop(abandons)[1]] = 0
                continue
            if t_dep > a:
                break
            g = pop(departures)[1]
            for q in group_queues[g]:  # the freed agent's best non-empty queue
                while q and not in_queue[q[0]]:
                    q.popleft()  # it abandoned
                if q:
                    j = q.popleft()
                    in_queue[j] = 0
                    start[j] = t_dep
                    group_of[j] = g
                    push(departures, (t_dep + rows[g][j], g))
                    break
            else:
                idle[g].append(t_dep)
        if i == n:
            break
        k = kinds[i]
        best = -1
        best_rank = 0
        best_t = inf
        for rank, g in candidates[k]:
            free = idle[g]
            if not free:
                continue
            if longest_idle:
                if free[0] < best_t:
                    best, best_t = g, free[0]
            elif best < 0:
                best, best_rank, best_t = g, rank, free[0]
            elif rank > best_rank:
                break
            elif free[0] < best_t:
                best, best_t = g, free[0]
        if best >= 0:
            idle[best].popleft()
            start[i] = a
            group_of[i] = best
            push(departures, (a + rows[best][i], best))
        else:
            busy_flags[i] = 1
            in_queue[i] = 1
            queues[k].append(i)
            if pat is not None and pat[i] < inf:
                push(abandons, (a + pat[i], i))
    return SkillsRecords(
        np.asarray(start),
        np.asarray(group_of, dtype=np.int64),
        np.frombuffer(busy_flags, dtype=np.uint8).astype(bool),
    )
