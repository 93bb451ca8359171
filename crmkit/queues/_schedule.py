"""Servers on duty over time: the staffing plan a simulation or a replay follows.

A :class:`Schedule` is a step function, ``servers[i]`` servers from ``starts[i]`` until
``starts[i+1]``; the event engine of :mod:`crmkit.queues._engines` follows it, with a
server going off duty finishing the customer in hand.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from crmkit._frozen import set_fields
from crmkit._validate import check_count, check_nonnegative, check_positive
from crmkit.errors import ParameterError
from crmkit.queues._base import (
    MAX_SCALE,
    MAX_SIM_SERVERS,
    check_sequence,
    check_times,
)

__all__ = ["Schedule"]


@dataclass(frozen=True, eq=False)
class Schedule:
    """Servers on duty over time: ``servers[i]`` from ``starts[i]`` until
    ``starts[i+1]``.

    The first start must be 0; the last level lasts until ``end`` (or for ever when
    ``end`` is None). A server going off duty finishes the customer in hand. The
    schedule does not repeat: it covers times from 0 to ``end`` only. At most 10**6
    servers are on duty at once (the simulator keeps one record per server).

    Examples
    --------
    >>> s = Schedule.from_intervals([2, 5, 3], interval=60.0)
    >>> s.servers_at([0.0, 61.0, 150.0]).tolist()
    [2, 5, 3]
    """

    starts: tuple[float, ...]
    servers: tuple[int, ...]
    end: float | None = None

    def __post_init__(self) -> None:
        given_starts = check_sequence("starts", self.starts, "(0.0, 60.0, 120.0)")
        given_levels = check_sequence("servers", self.servers, "(2, 5, 3)")
        starts = [
            check_nonnegative(f"starts[{i}]", s) for i, s in enumerate(given_starts)
        ]
        levels = [
            check_count(f"servers[{i}]", c, minimum=0, maximum=MAX_SIM_SERVERS)
            for i, c in enumerate(given_levels)
        ]
        if not starts or len(starts) != len(levels):
            raise ParameterError(
                f"starts ({len(starts)} values) and servers ({len(levels)} values) "
                "must be non-empty and of equal length; pass one number of servers "
                "per start time."
            )
        if starts[0] != 0.0:
            raise ParameterError(
                f"the schedule starts at {starts[0]:g}, not 0: say how many servers "
                "are on duty from time 0 (pass starts[0] = 0)."
            )
        for i, (a, b) in enumerate(itertools.pairwise(starts)):
            if b <= a:
                raise ParameterError(
                    f"starts[{i + 1}] = {b:g} is not after starts[{i}] = {a:g}: "
                    "schedule starts must increase strictly; sort them and drop "
                    "repeats."
                )
        if self.end is not None:
            end = check_positive("end", self.end)
            if end <= starts[-1]:
                raise ParameterError(
                    f"end = {end:g} is not after the last start {starts[-1]:g}; pass "
                    "an end after it (or None for a last level that never ends)."
                )
            set_fields(self, end=end)
        set_fields(self, starts=tuple(starts), servers=tuple(levels))

    @classmethod
    def from_intervals(cls, servers: Sequence[int], interval: float) -> Schedule:
        """One level per consecutive interval of length ``interval``; ends after the
        last."""
        interval = check_positive("interval", interval)
        levels = check_sequence("servers", servers, "[2, 5, 3]")
        n = len(levels)
        if not n * interval <= MAX_SCALE:
            raise ParameterError(
                f"interval = {interval:g} × {n} intervals ends beyond 1e100; pass a "
                "shorter interval (times in a larger unit)."
            )
        return cls(
            tuple(i * interval for i in range(n)), tuple(levels), end=n * interval
        )

    def servers_at(self, t: ArrayLike) -> np.ndarray:
        """Servers on duty at times ``t``.

        Times must lie in [0, ``end``] (any ``t >= 0`` when ``end`` is None): the
        schedule does not repeat, so earlier or later times are refused rather than
        answered with a level they do not have.
        """
        tt, _ = check_times("t", t)
        if self.end is not None and (tt > self.end).any():
            raise ParameterError(
                f"t = {float(tt.max()):g} is after the schedule's end = {self.end:g} "
                "(it does not repeat); pass times up to the end, or extend the "
                "schedule."
            )
        idx = np.searchsorted(np.asarray(self.starts), tt, side="right") - 1
        return np.asarray(self.servers)[idx]

    def server_time(self, t0: float, t1: float) -> float:
        """Server-time available on [t0, t1] (the integral of servers on duty)."""
        t0 = check_nonnegative("t0", t0)
        t1 = check_nonnegative("t1", t1)
        if t1 < t0:
            raise ParameterError(
                f"t1 = {t1:g} is before t0 = {t0:g}; pass t0 <= t1 (swap them)."
            )
        edges = np.append(
            np.asarray(self.starts), math.inf if self.end is None else self.end
        )
        lo = np.clip(edges[:-1], t0, t1)
        hi = np.clip(edges[1:], t0, t1)
        return float(np.sum((hi - lo) * np.asarray(self.servers)))

    def check_covers(self, last_time: float) -> None:
        """Raise if customers arrive after the schedule ends."""
        last_time = check_nonnegative("last_time", last_time)
        if self.end is not None and last_time > self.end:
            raise ParameterError(
                f"customers arrive until {last_time:g} but the schedule ends at "
                f"{self.end:g}: extend the schedule or shorten the horizon."
            )
