"""Waiting and queues (排队): exact queue models, staffing, and the psychology of
waiting.

Rates are per one time unit of your choice (per minute, say), the same for every
argument; times come back in that unit. Every model is a frozen dataclass that checks
its arguments, prints a summary (``print(model)``) and converts to a one-row DataFrame
(``to_frame()``).

Examples
--------
>>> from crmkit.queues import MMc, ErlangA
>>> round(MMc(arrival_rate=9.5, service_rate=1, servers=10).mean_wait, 4)
1.6512
"""

from crmkit.queues._distributions import (
    Deterministic,
    Empirical,
    Erlang,
    Exponential,
    FromScipy,
    Gamma,
    GivenArrivals,
    Lognormal,
    NHPPArrivals,
    PoissonArrivals,
    RenewalArrivals,
    Schedule,
)
from crmkit.queues._erlang import erlang_b, erlang_c, max_offered_load
from crmkit.queues._erlang_a import ErlangA
from crmkit.queues._general import MG1, GGc
from crmkit.queues._markovian import MM1, ErlangB, MMc, MMcK
from crmkit.queues._priority import PriorityMMc
from crmkit.queues._simulate import QueueSpec, SimulationResult, simulate
from crmkit.queues._staffing import (
    StaffingResult,
    square_root_staffing,
    staff,
    staff_by_interval,
)

__all__ = [
    "MG1",
    "MM1",
    "Deterministic",
    "Empirical",
    "Erlang",
    "ErlangA",
    "ErlangB",
    "Exponential",
    "FromScipy",
    "GGc",
    "Gamma",
    "GivenArrivals",
    "Lognormal",
    "MMc",
    "MMcK",
    "NHPPArrivals",
    "PoissonArrivals",
    "PriorityMMc",
    "QueueSpec",
    "RenewalArrivals",
    "Schedule",
    "SimulationResult",
    "StaffingResult",
    "erlang_b",
    "erlang_c",
    "max_offered_load",
    "simulate",
    "square_root_staffing",
    "staff",
    "staff_by_interval",
]
