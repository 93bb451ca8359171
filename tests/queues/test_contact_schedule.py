"""Redials and callbacks on a staffing schedule: the rules checked by hand on tiny
runs, a constant schedule against a constant number of agents (the same run), the
contact engine against the event engine on a schedule when no callback is taken, and
a schedule that settles at four agents against the exact quasi-birth–death values of
``Callbacks`` with four agents."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from crmkit.queues import (
    CallbackOffer,
    Callbacks,
    Deterministic,
    Exponential,
    PoissonArrivals,
    QueueSpec,
    Schedule,
    simulate,
)
from crmkit.queues._contact import contact_run
from tests.queues.test_contact import _Spec


def _nan_list(values):
    return [None if math.isnan(v) else v for v in values.tolist()]


def test_agents_coming_on_duty_serve_the_line_then_the_callbacks():
    # nobody on duty until 1: the call at 0 waits, the two after it take callbacks
    # (one caller waiting = the threshold); the agent from 1 serves the inbound caller
    # (1 to 2), then the callbacks at 2 and 3 (service 1)
    offer = CallbackOffer(threshold=1, accept_prob=1.0, service=Deterministic(1.0))
    spec = _Spec(service=Deterministic(1.0), callbacks=offer)
    schedule = Schedule([0.0, 1.0], [0, 1])
    run = contact_run(spec, np.array([0.0, 0.1, 0.2]), 9.0, 1, schedule)
    assert run.callback.tolist() == [False, True, True]
    assert run.found_busy.tolist() == [True, True, True]
    assert _nan_list(run.start) == [1.0, None, None]
    assert _nan_list(run.callback_start) == [None, 2.0, 3.0]


def test_an_agent_going_off_duty_finishes_the_call_in_hand():
    # two agents until 0.5, then one: both finish their calls (at 2 and 2.1); the
    # first to finish goes off duty, the other serves the waiting callers in turn
    schedule = Schedule([0.0, 0.5], [2, 1])
    run = contact_run(_Spec(), np.array([0.0, 0.1, 0.2, 0.3]), 9.0, 1, schedule)
    assert run.start.tolist() == [0.0, 0.1, 2.1, 4.1]
    assert run.found_busy.tolist() == [False, False, True, True]


def test_new_agents_keep_the_reserve_for_inbound_callers():
    # reserve 1: from 1 on three agents; the waiting caller starts at 1, and a
    # callback starts only while more than one agent is idle (at 2, then at 3)
    offer = CallbackOffer(1, 1.0, Deterministic(1.0), reserve=1)
    schedule = Schedule([0.0, 1.0], [1, 3])
    run = contact_run(
        _Spec(callbacks=offer), np.array([0.0, 0.1, 0.2, 0.3]), 9.0, 1, schedule
    )
    assert run.callback.tolist() == [False, False, True, True]
    assert _nan_list(run.start) == [0.0, 1.0, None, None]
    assert _nan_list(run.callback_start) == [None, None, 2.0, 3.0]


def _contact_spec(servers):
    return QueueSpec(
        PoissonArrivals(3.6),
        Exponential(1.0),
        servers=servers,
        patience=Exponential(0.4),
        redial_prob=0.3,
        redial_delay=Exponential(0.5),
        callbacks=CallbackOffer(threshold=2, accept_prob=0.5),
    )


def test_a_constant_schedule_is_the_same_run_as_a_constant_number_of_agents():
    kw = {"customers": 3_000, "replications": 3, "warmup": 200, "seed": 11}
    flat = simulate(_contact_spec(4), **kw).per_replication
    sched = simulate(_contact_spec(Schedule([0.0, 300.0], [4, 4])), **kw)
    steps = sched.per_replication
    assert list(steps.columns) == list(flat.columns)
    # occupancy divides by the agents' time on duty, summed over the schedule's
    # steps (equal up to rounding); everything else is the same floating point
    pd.testing.assert_frame_equal(
        steps.drop(columns="occupancy"), flat.drop(columns="occupancy"), rtol=0, atol=0
    )
    np.testing.assert_allclose(steps["occupancy"], flat["occupancy"], rtol=1e-12)


def _z(a, b, metric):
    """Difference of two independent replication means, in standard errors."""
    x, y = a.per_replication[metric], b.per_replication[metric]
    se = math.hypot(
        x.std(ddof=1) / math.sqrt(x.size), y.std(ddof=1) / math.sqrt(y.size)
    )
    return (x.mean() - y.mean()) / se


def test_no_callback_taken_on_a_schedule_agrees_with_the_event_engine():
    # accept_prob 0: the contact engine simulates the plain station, by other code
    # and other draws than the event engine; a day of three staffing levels
    schedule = Schedule.from_intervals([3, 6, 4], interval=60.0)
    common = {
        "arrivals": PoissonArrivals(4.0),
        "service": Exponential(1.0),
        "servers": schedule,
        "patience": Exponential(0.5),
    }
    kw = {"horizon": 180.0, "replications": 40}
    plain = simulate(QueueSpec(**common), seed=1, **kw)
    offer = CallbackOffer(threshold=0, accept_prob=0.0)
    contact = simulate(QueueSpec(**common, callbacks=offer), seed=2, **kw)
    assert contact.estimate("callback_share") == 0.0
    for metric in ("mean_wait", "service_level", "prob_abandon", "occupancy"):
        # |z| > 4 has probability below 1e-4 when both estimate the same mean
        assert abs(_z(plain, contact, metric)) < 4.0, metric
    # and the schedule really acts: the day's busy middle hour is staffed up
    assert plain.estimate("prob_abandon") < 0.2


def test_a_schedule_settling_at_four_agents_matches_the_exact_callback_chain():
    # two agents for the first 100 minutes, four after; the warm-up (1,000 calls,
    # about 290 minutes) lets the overloaded start die out, and the rest must match
    # the stationary chain of Callbacks with four agents
    model = Callbacks(
        arrival_rate=3.4,
        service_rate=1,
        servers=4,
        threshold=1,
        accept_prob=0.5,
        abandonment_rate=0.3,
    )
    spec = QueueSpec(
        PoissonArrivals(3.4),
        Exponential(1.0),
        servers=Schedule([0.0, 100.0], [2, 4]),
        patience=Exponential(0.3),
        callbacks=CallbackOffer(threshold=1, accept_prob=0.5),
    )
    reps = 12
    kw = {"customers": 12_000, "replications": reps, "warmup": 1_000}
    exact = simulate(model, seed=7, **kw).compare()["model"]
    res = simulate(spec, seed=8, **kw)
    table = res.table.loc[exact.index]
    se = (table["ci_high"] - table["ci_low"]) / 2 / stats.t.ppf(0.975, reps - 1)
    z = (table["estimate"] - exact) / se
    assert {"callback_share", "mean_callback_delay", "occupancy"} <= set(z.index)
    assert (z.abs() < 4.0).all(), z
