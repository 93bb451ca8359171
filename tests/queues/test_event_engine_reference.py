"""The event engine against a plain reference written for clarity, not speed.

``crmkit.queues._engines`` runs its event loop with the start of service written out
in each branch, heaps of departures and abandonments, and one ``heapreplace`` where a
freed server takes the next customer (benchmarks/bench_simulation.py). The reference
below keeps the state in plain lists and dicts and finds the next event with ``min``
on every step. Both follow the engine's documented rules:

- events at the same instant: departures (by server id), schedule changes,
  abandonments (by customer), arrivals;
- a free server is taken from a stack: the one freed last, and server 0 first at the
  start;
- waiting customers are served by class (0 first), first come first served within a
  class; a server going off duty finishes its customer first;
- with a capacity, an arrival finding ``capacity`` customers in the system is blocked.

They must give the same records, bit for bit, on random cases with ties, schedules
that rise and fall (down to 0 servers), patience, capacities and classes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from crmkit.queues._engines import event_engine


def reference_station(arr, svc, starts, servers, patience, capacity, classes, n_cls):
    n = len(arr)
    start, server = [math.nan] * n, [-1] * n
    served, found_busy, blocked = [False] * n, [False] * n, [False] * n
    free = list(range(max(servers) - 1, -1, -1))  # a stack of idle server ids
    busy: dict[int, float] = {}  # server id -> departure time
    queue: list[list[int]] = [[] for _ in range(n_cls)]
    deadline: dict[int, float] = {}  # waiting customer -> time it abandons
    allowed, k, i = servers[0], 1, 0

    def take(j, t):
        sid = free.pop()
        start[j], server[j], served[j] = t, sid, True
        busy[sid] = t + svc[j]

    def serve_waiting(t):
        while len(busy) < allowed and any(queue):
            j = next(q for q in queue if q).pop(0)
            deadline.pop(j, None)
            take(j, t)

    while i < n or busy or any(queue):
        candidates = []  # (time, rank, key): rank orders events at one instant
        if busy:
            sid = min(busy, key=lambda s: (busy[s], s))
            candidates.append((busy[sid], 0, sid))
        if k < len(starts):
            candidates.append((starts[k], 1, k))
        if deadline:
            j = min(deadline, key=lambda c: (deadline[c], c))
            candidates.append((deadline[j], 2, j))
        if i < n:
            candidates.append((arr[i], 3, i))
        if not candidates:  # customers wait with no server left on duty
            break
        t, rank, key = min(candidates)
        if rank == 0:
            del busy[key]
            free.append(key)
            serve_waiting(t)
        elif rank == 1:
            allowed, k = servers[k], k + 1
            serve_waiting(t)
        elif rank == 2:
            del deadline[key]
            for q in queue:
                if key in q:
                    q.remove(key)
        else:
            waiting = sum(map(len, queue))
            if capacity is not None and len(busy) + waiting >= capacity:
                blocked[i] = True
            elif len(busy) < allowed and not waiting:
                take(i, t)
            else:
                found_busy[i] = True
                queue[classes[i]].append(i)
                if patience is not None and patience[i] < math.inf:
                    deadline[i] = t + patience[i]
            i += 1
    return start, served, found_busy, blocked, server


def _case(rng: np.random.Generator):
    n = int(rng.integers(1, 150))
    ties = rng.random() < 0.5
    gaps = rng.exponential(1.0, n)
    svc = rng.exponential(rng.uniform(0.5, 6.0), n)
    if ties:  # equal instants: arrivals with departures, abandonments, changes
        gaps, svc = np.round(gaps * 2) / 2, np.round(svc)
    arr = np.cumsum(gaps)
    m = int(rng.integers(1, 5))
    starts = np.concatenate(
        [[0.0], np.sort(np.round(rng.uniform(0.0, arr[-1] + 1.0, m - 1)))]
    )
    servers = rng.integers(0, 5, m)
    servers[0] = max(servers[0], 1)
    patience = None
    if rng.random() < 0.5:
        patience = rng.exponential(3.0, n)
        if ties:
            patience = np.round(patience)
        patience[rng.random(n) < 0.2] = np.inf
    capacity = int(rng.integers(1, 8)) if rng.random() < 0.3 else None
    n_cls = int(rng.integers(1, 4))
    classes = rng.integers(0, n_cls, n)
    return arr, svc, starts, servers, patience, capacity, classes, n_cls


@pytest.mark.parametrize("block", range(4))
def test_the_event_engine_gives_the_references_records(block):
    rng = np.random.default_rng(2026 + block)
    for case in range(100):
        arr, svc, starts, servers, patience, capacity, classes, n_cls = _case(rng)
        got = event_engine(
            arr,
            svc,
            schedule_starts=starts,
            schedule_servers=servers,
            patience=patience,
            capacity=capacity,
            classes=None if n_cls == 1 else classes,
            n_classes=n_cls,
        )
        want = reference_station(
            arr.tolist(),
            svc.tolist(),
            starts.tolist(),
            servers.tolist(),
            None if patience is None else patience.tolist(),
            capacity,
            classes.tolist() if n_cls > 1 else [0] * len(arr),
            n_cls,
        )
        where = f"block {block}, case {case}"
        assert np.array_equal(got.start, np.array(want[0]), equal_nan=True), where
        for name, column in zip(
            ("served", "found_busy", "blocked", "server"), want[1:], strict=True
        ):
            assert np.array_equal(getattr(got, name), np.array(column)), (where, name)


def test_the_reference_can_tell_a_wrong_tie_rule():
    # two arrivals at 0 and one server: the second waits for the first's departure
    # at 1.0, which also is the second arrival's abandonment time: departures come
    # first, so it is served, and the check sees the difference from a swapped rule
    rec = reference_station(
        [0.0, 0.0], [1.0, 1.0], [0.0], [1], [math.inf, 1.0], None, [0, 0], 1
    )
    assert rec[1] == [True, True] and rec[0] == [0.0, 1.0]
    got = event_engine(
        np.array([0.0, 0.0]),
        np.array([1.0, 1.0]),
        schedule_starts=np.array([0.0]),
        schedule_servers=np.array([1]),
        patience=np.array([math.inf, 1.0]),
    )
    assert got.served.tolist() == [True, True]
    assert got.start.tolist() == [0.0, 1.0]
