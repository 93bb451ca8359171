"""The four steps of complaint handling as a queueing process (处理客户投诉四步曲)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from crmkit._frozen import set_fields
from crmkit._validate import (
    check_count,
    check_positive,
    check_probability,
    check_real,
)
from crmkit.complaints._scenario import ComplaintScenario, check_scenario, check_type
from crmkit.errors import ParameterError, UnstableQueueError
from crmkit.queues import MMc

__all__ = ["STEPS", "HandlingProcess", "handling_rates", "with_handling"]

#: the most complaints a day a desk model accepts (far above any real desk)
MAX_COMPLAINTS_PER_DAY = 10_000_000
#: the most handlers a desk model accepts
MAX_HANDLERS = 100_000
#: the longest mean step, in minutes (about 10 weeks of 8-hour days)
MAX_STEP_MIN = 30_000.0
#: the shortest mean handling time of a complaint, in minutes
_MIN_HANDLING_MIN = 1e-9

#: The four steps, with their Chinese names.
STEPS = (
    ("vent", "让客户发泄", "let the customer vent: listen without interrupting"),
    (
        "record",
        "记录要点，判断投诉是否成立",
        "record the key points and judge whether the complaint is valid",
    ),
    (
        "solve",
        "提出并实施可令客户接受的方案",
        "propose and carry out a solution the customer accepts",
    ),
    ("follow_up", "跟踪服务", "follow up afterwards"),
)


@dataclass(frozen=True)
class HandlingProcess:
    """A complaint desk: who handles complaints, how long each step takes, how many are
    valid.

    A complaint waits for a free handler, then goes through the four steps. Invalid
    complaints end after step 2 (with an explanation); valid ones go on to a solution
    that the customer accepts with ``acceptance_rate``, and a follow-up.

    Parameters
    ----------
    complaints_per_day : float
        Arrivals per working day.
    handlers : int
        Staff handling complaints at the same time.
    vent_min, record_min, solve_min, follow_up_min : float
        Mean minutes of each step.
    validity_rate : float
        Share of complaints judged valid.
    acceptance_rate : float
        Share of valid complaints whose solution the customer accepts.
    quick_within_hours : float
        A complaint is handled "quickly" when a handler takes it within this many
        working hours.
    hours_per_day : float, default 8
        Working hours in a day, in (0, 24].

    Raises
    ------
    ParameterError
        A value of the wrong type, NaN, infinite or out of range; all four steps
        together taking no time (at least one must have a positive mean); more than
        10,000,000 complaints a day, 100,000 handlers or 30,000 minutes a step.

    Examples
    --------
    >>> desk = HandlingProcess(complaints_per_day=60, handlers=4)
    >>> rates = handling_rates(desk)
    >>> round(rates["resolution_rate"], 3), round(rates["utilization"], 3)
    (0.68, 0.769)
    """

    complaints_per_day: float
    handlers: int
    vent_min: float = 6.0
    record_min: float = 5.0
    solve_min: float = 12.0
    follow_up_min: float = 5.0
    validity_rate: float = 0.8
    acceptance_rate: float = 0.85
    quick_within_hours: float = 0.5
    hours_per_day: float = 8.0

    def __post_init__(self) -> None:
        steps = ("vent_min", "record_min", "solve_min", "follow_up_min")
        shares = ("validity_rate", "acceptance_rate")
        set_fields(
            self,
            complaints_per_day=check_real(
                "complaints_per_day",
                self.complaints_per_day,
                low=0,
                low_open=True,
                high=MAX_COMPLAINTS_PER_DAY,
            ),
            handlers=check_count(
                "handlers", self.handlers, minimum=1, maximum=MAX_HANDLERS
            ),
            **{
                name: check_real(name, getattr(self, name), low=0, high=MAX_STEP_MIN)
                for name in steps
            },
            **{name: check_probability(name, getattr(self, name)) for name in shares},
            quick_within_hours=check_positive(
                "quick_within_hours", self.quick_within_hours
            ),
            hours_per_day=check_real(
                "hours_per_day", self.hours_per_day, low=0, low_open=True, high=24
            ),
        )
        if self.mean_handling_min < _MIN_HANDLING_MIN:
            raise ParameterError(
                f"vent_min = {self.vent_min:g}, record_min = {self.record_min:g}, "
                f"solve_min = {self.solve_min:g}, follow_up_min = "
                f"{self.follow_up_min:g} (validity_rate = {self.validity_rate:g}) make "
                "handling a complaint take (almost) no time, so the desk has no "
                "finite service rate; give at least one step a positive mean time, "
                "e.g. vent_min=6."
            )

    @property
    def mean_handling_min(self) -> float:
        """Mean minutes a handler spends per complaint (invalid ones stop after step
        2)."""
        return (
            self.vent_min
            + self.record_min
            + self.validity_rate * (self.solve_min + self.follow_up_min)
        )


def handling_rates(process: HandlingProcess) -> dict[str, float]:
    """What the desk achieves: the resolution rates that feed
    :class:`ComplaintScenario`.

    The desk is modelled as an M/M/c queue in working hours (handling time exponential
    with the mean of the four steps; an approximation for the wait distribution, exact
    for the mean utilisation). ``resolution_rate = validity × acceptance`` and
    ``quick_resolution_rate = P(a handler takes the complaint within
    quick_within_hours)``.

    Returns
    -------
    dict
        ``resolution_rate``, ``quick_resolution_rate``, ``utilization``,
        ``mean_wait_hours``, ``prob_wait``.

    Raises
    ------
    ParameterError
        ``process`` is not a :class:`HandlingProcess`.
    UnstableQueueError
        When the desk cannot keep up (a growing backlog); the message says how many
        handlers are needed.
    """
    _check_process(process)
    lam = process.complaints_per_day / process.hours_per_day  # per hour
    mu = 60.0 / process.mean_handling_min  # per hour
    load = lam / mu  # busy handlers on average; finite within the bounds above
    if load / process.handlers >= 1:
        raise UnstableQueueError(
            f"handlers = {process.handlers} cannot keep up with "
            f"{process.complaints_per_day:g} complaints a day (utilisation "
            f"{load / process.handlers:.2f}); the backlog grows without end. At least "
            f"{math.floor(load) + 1:,} handlers are needed: raise handlers to that, or "
            "shorten the steps."
        )
    desk = MMc(arrival_rate=lam, service_rate=mu, servers=process.handlers)
    return {
        "resolution_rate": process.validity_rate * process.acceptance_rate,
        "quick_resolution_rate": float(desk.service_level(process.quick_within_hours)),
        "utilization": desk.utilization,
        "mean_wait_hours": desk.mean_wait,
        "prob_wait": desk.prob_wait,
    }


def with_handling(
    scenario: ComplaintScenario, process: HandlingProcess
) -> ComplaintScenario:
    """The scenario with resolution rates from the handling desk.

    Raises
    ------
    ParameterError
        ``scenario`` is not a :class:`ComplaintScenario` or ``process`` not a
        :class:`HandlingProcess`.
    UnstableQueueError
        As :func:`handling_rates`.
    """
    check_scenario("scenario", scenario)
    rates = handling_rates(process)
    return scenario.replace(
        resolution_rate=rates["resolution_rate"],
        quick_resolution_rate=rates["quick_resolution_rate"],
    )


def _check_process(process: object) -> None:
    check_type(
        "process",
        process,
        HandlingProcess,
        "HandlingProcess",
        "e.g. HandlingProcess(complaints_per_day=60, handlers=4)",
    )
