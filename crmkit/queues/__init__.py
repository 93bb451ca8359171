"""Waiting and queues (排队): exact queue models, staffing, simulation.

Rates are per one time unit of your choice (per minute, say), the same for every
argument; times come back in that unit. Every model is a frozen dataclass that checks
its arguments, prints a summary (``print(model)``) and converts to a one-row DataFrame
(``to_frame()``).

- Models: :class:`MM1`, :class:`MMc` (Erlang C), :class:`MMcK`, :class:`ErlangB`,
  :class:`ErlangA` (abandonment), :class:`ErlangX` (lines, abandonment and
  redials), :class:`MG1`, :class:`MD1` (constant service, exact
  waiting-time distribution), :class:`GGc` (approximation), :class:`PriorityMMc`,
  :class:`ChatQueue` (agents holding several chats), :class:`Blending` (outbound
  work in idle time), :class:`Callbacks` (virtual hold: delayed callers called
  back);
  functions :func:`erlang_b`, :func:`erlang_c`, :func:`max_offered_load`;
  :func:`erlang_queue` (Erlang C, or Erlang A when callers abandon).
- Staffing: :func:`staff`, :func:`staff_by_interval`, :func:`square_root_staffing`.
- Time-varying demand: :func:`sipp_staffing`, :func:`lagged_sipp_staffing` and
  :func:`isa_staffing` (result :class:`StaffingPlan`), :func:`offered_load`
  (:class:`OfferedLoad`), :func:`simulate_day` (:class:`DaySimulation`).
- Shift scheduling: :func:`schedule_shifts` (rules :class:`ShiftType`,
  :class:`ShiftBreak`; result :class:`ShiftPlan`), :func:`rostered_agents` (shrinkage).
- Simulation: :func:`simulate` with distributions, arrival processes, :class:`Schedule`
  and :class:`QueueSpec` (redials, and callbacks offered by :class:`CallbackOffer`).
- Skills-based routing: :class:`SkillsModel` of :class:`CustomerClass` and
  :class:`AgentGroup`, :func:`simulate_skills` (:class:`SkillsSimulation`),
  :func:`chaining_study` (:class:`ChainingStudy`).
- Call-centre data (:mod:`crmkit.queues.calllog`). How long a wait *feels* is the
  subject of :mod:`crmkit.waiting`.

Bad input is refused with a :class:`~crmkit.errors.ParameterError` (or another crmkit
``ValueError``) that names the argument, shows the value and says what to pass
instead. Rates and mean times must lie in [1e-100, 1e100], and requests beyond a work
limit (10**8 servers, a capacity of 10**7, 2·10**7 simulated customers, …; see
:mod:`crmkit.queues._base`) are refused before anything is allocated.

Examples
--------
>>> from crmkit.queues import MMc, ErlangA
>>> round(MMc(arrival_rate=9.5, service_rate=1, servers=10).mean_wait, 4)
1.6512
"""

from crmkit._deprecation import moved_from
from crmkit.queues._blending import Blending
from crmkit.queues._callbacks import Callbacks
from crmkit.queues._calllog_estimate import (
    abandonment_vs_wait,
    agents_by_hour,
    arrival_rates_by_hour,
    patience_curve,
    service_time_fit,
)
from crmkit.queues._calllog_make import CallCentreCalibration, make_call_log
from crmkit.queues._calllog_read import CALL_LOG_COLUMNS, read_call_log
from crmkit.queues._calllog_replay import replay_call_log
from crmkit.queues._chat import ChatQueue
from crmkit.queues._contact import CallbackOffer
from crmkit.queues._day_simulation import DaySimulation, simulate_day
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
)
from crmkit.queues._erlang import erlang_b, erlang_c, max_offered_load
from crmkit.queues._erlang_a import ErlangA, erlang_queue
from crmkit.queues._erlang_x import ErlangX
from crmkit.queues._general import MG1, GGc
from crmkit.queues._isa import isa_staffing
from crmkit.queues._markovian import MM1, ErlangB, MMc, MMcK
from crmkit.queues._md1 import MD1
from crmkit.queues._offered_load import OfferedLoad, offered_load
from crmkit.queues._priority import PriorityMMc
from crmkit.queues._schedule import Schedule
from crmkit.queues._shift_plan import ShiftPlan, schedule_shifts
from crmkit.queues._shifts import ShiftBreak, ShiftType, rostered_agents
from crmkit.queues._simulate import QueueSpec, SimulationResult, simulate
from crmkit.queues._skills import (
    ChainingStudy,
    SkillsSimulation,
    chaining_study,
    simulate_skills,
)
from crmkit.queues._skills_model import AgentGroup, CustomerClass, SkillsModel
from crmkit.queues._staffing import (
    StaffingResult,
    square_root_staffing,
    staff,
    staff_by_interval,
    staffing_table,
)
from crmkit.queues._time_varying import (
    StaffingPlan,
    lagged_sipp_staffing,
    sipp_staffing,
)

__all__ = [
    "CALL_LOG_COLUMNS",
    "MD1",
    "MG1",
    "MM1",
    "AgentGroup",
    "Blending",
    "CallCentreCalibration",
    "CallbackOffer",
    "Callbacks",
    "ChainingStudy",
    "ChatQueue",
    "CustomerClass",
    "DaySimulation",
    "Deterministic",
    "Empirical",
    "Erlang",
    "ErlangA",
    "ErlangB",
    "ErlangX",
    "Exponential",
    "FromScipy",
    "GGc",
    "Gamma",
    "GivenArrivals",
    "Lognormal",
    "MMc",
    "MMcK",
    "NHPPArrivals",
    "OfferedLoad",
    "PoissonArrivals",
    "PriorityMMc",
    "QueueSpec",
    "RenewalArrivals",
    "Schedule",
    "ShiftBreak",
    "ShiftPlan",
    "ShiftType",
    "SimulationResult",
    "SkillsModel",
    "SkillsSimulation",
    "StaffingPlan",
    "StaffingResult",
    "abandonment_vs_wait",
    "agents_by_hour",
    "arrival_rates_by_hour",
    "chaining_study",
    "erlang_b",
    "erlang_c",
    "erlang_queue",
    "isa_staffing",
    "lagged_sipp_staffing",
    "make_call_log",
    "max_offered_load",
    "offered_load",
    "patience_curve",
    "read_call_log",
    "replay_call_log",
    "rostered_agents",
    "schedule_shifts",
    "service_time_fit",
    "simulate",
    "simulate_day",
    "simulate_skills",
    "sipp_staffing",
    "square_root_staffing",
    "staff",
    "staff_by_interval",
    "staffing_table",
]

# the names of waiting psychology, now in crmkit.waiting, warn from here until 1.0
__getattr__ = moved_from(__name__)
