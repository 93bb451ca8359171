"""Redials and callbacks in ``simulate``: the rules checked by hand on tiny runs, and
seeded simulations whose 95 % intervals cover the exact CTMC values of ``ErlangX``
(retrial chain) and ``Callbacks`` (quasi-birth–death chain)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from crmkit.queues import (
    CallbackOffer,
    Callbacks,
    Deterministic,
    ErlangX,
    Exponential,
    PoissonArrivals,
    QueueSpec,
    simulate,
)
from crmkit.queues._contact import contact_run

REPS = 12


def _z_ok(res, reps=REPS, bound=4.0):
    """Every compared metric within ``bound`` standard errors of the exact value
    (|t| > 4 has probability 0.002 with 11 degrees of freedom)."""
    table = res.compare()
    se = (table["ci_high"] - table["ci_low"]) / 2 / stats.t.ppf(0.975, reps - 1)
    z = (table["estimate"] - table["model"]) / se
    assert (z.abs() < bound).all(), z
    return table


def test_erlang_x_with_redials_covers_the_retrial_chain():
    m = ErlangX(6, 1, 6, 1.0, lines=9, redial_prob=0.5, redial_delay=1)
    res = simulate(m, customers=12_000, replications=REPS, warmup=1_000, seed=5)
    table = _z_ok(res)
    assert {"prob_block", "prob_abandon", "service_level", "mean_orbit"} <= set(
        table.index
    )
    assert res.estimate("mean_orbit") > 0.5  # the orbit is really there (E = 0.848)


def test_erlang_x_redials_of_abandoners_without_lines():
    m = ErlangX(6, 1, 6, 1.0, redial_prob=0.6, redial_delay=2)
    res = simulate(m, customers=12_000, replications=REPS, warmup=1_000, seed=9)
    table = _z_ok(res)
    assert "prob_block" not in table.index
    assert res.estimate("mean_orbit") > 0.5


@pytest.mark.parametrize(
    "options",
    [
        {"threshold": 1, "accept_prob": 0.5, "abandonment_rate": 0.3},
        {
            "threshold": 0,
            "accept_prob": 0.4,
            "abandonment_rate": 0.5,
            "callback_service_rate": 1.5,
            "mode": "idle_only",
            "reserve": 1,
        },
    ],
    ids=["low_priority", "idle_only"],
)
def test_callbacks_cover_the_qbd_chain(options):
    m = Callbacks(arrival_rate=3.4, service_rate=1, servers=4, **options)
    res = simulate(m, customers=12_000, replications=REPS, warmup=1_000, seed=7)
    table = _z_ok(res)
    assert {"callback_share", "mean_callback_delay", "occupancy"} <= set(table.index)
    assert res.estimate("callback_share") > 0.05


class _Spec:
    """The fields :func:`contact_run` reads, with hand-set times."""

    def __init__(self, **fields):
        self.service = Deterministic(2.0)
        self.patience = None
        self.capacity = None
        self.redial_prob = 0.0
        self.redial_delay = None
        self.callbacks = None
        self.__dict__.update(fields)


def test_a_blocked_caller_redials_until_a_line_is_free():
    # one agent, one line, service 2: the call at 0.5 is blocked, redials at 1.5
    # (blocked again) and at 2.5 (served)
    spec = _Spec(capacity=1, redial_prob=1.0, redial_delay=Deterministic(1.0))
    run = contact_run(spec, np.array([0.0, 0.5]), 10.0, 1, 1)
    assert run.arrivals.tolist() == [0.0, 0.5, 1.5, 2.5]
    assert run.blocked.tolist() == [False, True, True, False]
    assert run.start.tolist()[3] == 2.5
    assert run.orbit[0].tolist() == [0.5, 1.5]
    # no redial is made after the end of the run
    short = contact_run(spec, np.array([0.0, 0.5]), 2.0, 1, 1)
    assert short.arrivals.tolist() == [0.0, 0.5, 1.5]


def test_an_abandoning_caller_redials_behind_the_line():
    # patience 0.25: the call at 0.5 abandons at 0.75 and comes back at 1.75; the
    # agent frees at 2 and serves it (wait 0.25 = patience: served at the tie)
    spec = _Spec(
        patience=Deterministic(0.25), redial_prob=1.0, redial_delay=Deterministic(1.0)
    )
    run = contact_run(spec, np.array([0.0, 0.5]), 10.0, 1, 1)
    assert run.arrivals.tolist() == [0.0, 0.5, 1.75]
    assert math.isnan(run.start[1]) and run.start[2] == 2.0
    assert run.orbit[0].tolist() == [0.75]


def test_callbacks_are_taken_when_offered_and_served_in_idle_time():
    # threshold 1: the call at 0.5 waits (nobody waiting yet), the one at 1.0 is
    # offered (one waiting) and accepts; the agent serves the inbound caller at 2,
    # then the callback at 4 (callback length 1)
    offer = CallbackOffer(threshold=1, accept_prob=1.0, service=Deterministic(1.0))
    run = contact_run(_Spec(callbacks=offer), np.array([0.0, 0.5, 1.0]), 9.0, 1, 1)
    assert run.callback.tolist() == [False, False, True]
    assert run.start.tolist()[:2] == [0.0, 2.0]
    assert run.callback_start.tolist()[2] == 4.0
    # with one agent held in reserve and two agents, the callback waits for both
    reserved = CallbackOffer(0, 1.0, Deterministic(1.0), reserve=1)
    arrivals = np.array([0.0, 0.1, 0.2])  # two served, the third takes a callback
    run = contact_run(_Spec(callbacks=reserved), arrivals, 9.0, 1, 2)
    assert run.callback.tolist() == [False, False, True]
    assert run.callback_start[2] == 2.1  # the second agent frees: two idle


def test_the_same_seed_repeats_and_a_spec_without_redials_is_unchanged():
    spec = QueueSpec(
        PoissonArrivals(4.0), Exponential(1.0), servers=4, capacity=6,
        patience=Exponential(0.5), redial_prob=0.3, redial_delay=Exponential(1.0),
    )  # fmt: skip
    a = simulate(spec, customers=3_000, replications=2, seed=3)
    b = simulate(spec, customers=3_000, replications=2, seed=3)
    assert a.per_replication.equals(b.per_replication)
    assert a.settings["engine"] == "event"
    plain = ErlangX(4.0, 1.0, 4, 0.5, lines=6)._simulation_spec()
    assert plain["redial_prob"] == 0.0 and plain["redial_delay"] is None
