"""Bad input to every public entry point of :mod:`crmkit.queues` gets a clear error.

Each case feeds one bad value (NaN, ±inf, 0, negatives, 1e308, strings and bools where
numbers belong, None, empty or ragged arrays, huge or tiny queues, objects in the wrong
place) to one argument and checks, with :func:`tests.adversarial.assert_clear_error`,
that a crmkit ``ValueError`` names the argument, shows the value and says how to fix
it. Requests above the documented work limits must be refused before anything is
allocated, so those tests simply run them: they return at once.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from crmkit.errors import CrmkitError, UnstableQueueError, UnsupportedMetricError
from crmkit.queues import (
    MD1,
    MG1,
    MM1,
    Deterministic,
    Empirical,
    Erlang,
    ErlangA,
    ErlangB,
    Exponential,
    FromScipy,
    Gamma,
    GGc,
    GivenArrivals,
    Lognormal,
    MMc,
    MMcK,
    NHPPArrivals,
    PoissonArrivals,
    PriorityMMc,
    QueueSpec,
    RenewalArrivals,
    Schedule,
    abandonment_vs_wait,
    agents_by_hour,
    arrival_rates_by_hour,
    erlang_b,
    erlang_c,
    make_call_log,
    max_offered_load,
    patience_curve,
    read_call_log,
    replay_call_log,
    service_time_fit,
    simulate,
    square_root_staffing,
    staff,
    staff_by_interval,
    staffing_table,
)
from crmkit.queues.calllog import CallCentreCalibration
from crmkit.waiting import (
    PerceivedWaitModel,
    WaitConditions,
    announcement_patience_factor,
)
from tests.adversarial import (
    BAD_POSITIVE,
    NOT_NUMBERS,
    assert_clear_error,
    bad_numbers,
)

pytestmark = pytest.mark.adversarial

COVERS = tuple(
    f"crmkit.queues.{name}"
    for name in (
        "MD1",
        "MG1",
        "MM1",
        "CallCentreCalibration",
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
        "abandonment_vs_wait",
        "agents_by_hour",
        "arrival_rates_by_hour",
        "erlang_b",
        "erlang_c",
        "make_call_log",
        "max_offered_load",
        "patience_curve",
        "read_call_log",
        "replay_call_log",
        "service_time_fit",
        "simulate",
        "square_root_staffing",
        "staff",
        "staff_by_interval",
        "staffing_table",
    )
) + tuple(
    f"crmkit.waiting.{name}"
    for name in ("PerceivedWaitModel", "WaitConditions", "announcement_patience_factor")
)

EXEMPT = {
    "crmkit.queues.StaffingResult": "a result only staff() builds; its to_frame() "
    "and str() take no argument",
}

#: "do not check that the message shows the value" (it shows the offending entry)
NOSHOW = object()

#: bad values for a rate or positive mean time (which must lie in [1e-100, 1e100])
RATE_BAD = [*BAD_POSITIVE, *NOT_NUMBERS, 1e308, 1e-308]
#: ... for an optional one (None means "not given")
RATE_BAD_OPT = [v for v in RATE_BAD if v is not None]
#: bad values for a positive number without a range
POS_BAD = [*BAD_POSITIVE, *NOT_NUMBERS]
POS_BAD_OPT = [v for v in POS_BAD if v is not None]
#: bad values where zero is fine
NONNEG_BAD = [v for v in POS_BAD if v != 0.0]
NONNEG_BAD_OPT = [v for v in NONNEG_BAD if v is not None]
#: bad counts (minimum 1); 10**12 is above every count limit that has one
COUNT_BAD = [0, -1, 2.5, math.nan, math.inf, "3", True, None, [1], 1 + 0j]
COUNT_BAD_HUGE = [*COUNT_BAD, 10**12]
#: bad probabilities
PROB_BAD = [-0.1, 1.5, 80, math.nan, math.inf, "0.8", True, None, [0.5]]
PROB_BAD_OPT = [v for v in PROB_BAD if v is not None]
#: bad times (a scalar or an array of times >= 0), with the value the message shows
TIME_BAD = [(v, v) for v in NONNEG_BAD if not isinstance(v, list)] + [
    ([0.1, -1.0], -1.0),
    ([0.1, math.nan], math.nan),
    ([0.1, math.inf], math.inf),
    (["1"], "1"),
    ([0.5, True], True),
    ([0.5, None], None),
    ([], NOSHOW),
    ([[1.0], [2.0, 3.0]], NOSHOW),
    (np.array([0.5, -2.0]), -2.0),
]
#: bad sequences of non-negative numbers, with the value the message shows
ARRAY_BAD = [
    (None, None),
    ("abc", "abc"),
    (5.0, 5.0),
    ({"a": 1.0}, NOSHOW),
    ([], NOSHOW),
    ([1.0, math.nan], math.nan),
    ([1.0, -1.0], -1.0),
    ([1.0, math.inf], math.inf),
    (["1", "2"], "1"),
    ([1.0, True], True),
    ([1.0, None], None),
    ([[1.0], [2.0, 3.0]], NOSHOW),
]


def params(label, make, name, values, *, shown=None):
    """One pytest.param per bad value: (call, name, value shown)."""
    out = []
    for i, v in enumerate(values):
        value, show = v if shown == "pairs" else (v, v)
        out.append(
            pytest.param(
                (lambda value=value: make(value)),
                name,
                show,
                id=f"{label}-{i}-{type(value).__name__}",
            )
        )
    return out


def check(call, name, value):
    if value is NOSHOW:
        return assert_clear_error(call, name, show_value=False)
    return assert_clear_error(call, name, value)


# ------------------------------------------------------------------ analytic models

MODEL_CASES = [
    *params("MMc.arrival_rate", lambda v: MMc(v, 1.0, 2), "arrival_rate", RATE_BAD),
    *params("MMc.service_rate", lambda v: MMc(0.5, v, 2), "service_rate", RATE_BAD),
    *params("MMc.servers", lambda v: MMc(0.5, 1.0, v), "servers", COUNT_BAD_HUGE),
    *params("MM1.arrival_rate", lambda v: MM1(v, 1.0), "arrival_rate", RATE_BAD),
    *params("MM1.service_rate", lambda v: MM1(0.5, v), "service_rate", RATE_BAD),
    *params(
        "MMcK.arrival_rate", lambda v: MMcK(v, 1.0, 2, 5), "arrival_rate", RATE_BAD
    ),
    *params(
        "MMcK.service_rate", lambda v: MMcK(1.0, v, 2, 5), "service_rate", RATE_BAD
    ),
    *params("MMcK.servers", lambda v: MMcK(1.0, 1.0, v, 5), "servers", COUNT_BAD),
    *params(
        "MMcK.capacity", lambda v: MMcK(1.0, 1.0, 1, v), "capacity", COUNT_BAD_HUGE
    ),
    *params("MMcK.capacity<servers", lambda v: MMcK(1.0, 1.0, 3, v), "capacity", [2]),
    *params("ErlangB.servers", lambda v: ErlangB(v, 2.0), "servers", COUNT_BAD_HUGE),
    *params("ErlangB.offered_load", lambda v: ErlangB(3, v), "offered_load", RATE_BAD),
    *params(
        "ErlangA.arrival_rate",
        lambda v: ErlangA(v, 1.0, 2, 0.5),
        "arrival_rate",
        RATE_BAD,
    ),
    *params(
        "ErlangA.service_rate",
        lambda v: ErlangA(1.0, v, 2, 0.5),
        "service_rate",
        RATE_BAD,
    ),
    *params(
        "ErlangA.servers",
        lambda v: ErlangA(1.0, 1.0, v, 0.5),
        "servers",
        COUNT_BAD_HUGE,
    ),
    *params(
        "ErlangA.abandonment_rate",
        lambda v: ErlangA(1.0, 1.0, 2, v),
        "abandonment_rate",
        RATE_BAD,
    ),
    *params("MD1.arrival_rate", lambda v: MD1(v, 1.0), "arrival_rate", RATE_BAD),
    *params("MD1.service_rate", lambda v: MD1(0.5, v), "service_rate", RATE_BAD),
    *params("MG1.arrival_rate", lambda v: MG1(v, 1.0), "arrival_rate", RATE_BAD),
    *params("MG1.service_mean", lambda v: MG1(0.5, v), "service_mean", RATE_BAD),
    *params(
        "MG1.service_scv",
        lambda v: MG1(0.5, 1.0, v),
        "service_scv",
        [*NONNEG_BAD, 1e308],
    ),
    *params("GGc.arrival_rate", lambda v: GGc(v, 1.0, 2), "arrival_rate", RATE_BAD),
    *params("GGc.service_rate", lambda v: GGc(0.5, v, 2), "service_rate", RATE_BAD),
    *params("GGc.servers", lambda v: GGc(0.5, 1.0, v), "servers", COUNT_BAD_HUGE),
    *params(
        "GGc.arrival_scv",
        lambda v: GGc(0.5, 1.0, 2, arrival_scv=v),
        "arrival_scv",
        [*NONNEG_BAD, 1e308],
    ),
    *params(
        "GGc.service_scv",
        lambda v: GGc(0.5, 1.0, 2, service_scv=v),
        "service_scv",
        [*NONNEG_BAD, 1e308],
    ),
    *params(
        "PriorityMMc.rate",
        lambda v: PriorityMMc([1.0, v], 5.0),
        "arrival_rates",
        RATE_BAD,
    ),
    *params(
        "PriorityMMc.arrival_rates",
        lambda v: PriorityMMc(v, 5.0),
        "arrival_rates",
        [("fast", "fast"), (None, None), (5.0, 5.0), ({"a": 1.0}, NOSHOW), ([], [])],
        shown="pairs",
    ),
    *params(
        "PriorityMMc.service_rate",
        lambda v: PriorityMMc([1.0, 2.0], v),
        "service_rate",
        RATE_BAD,
    ),
    *params(
        "PriorityMMc.servers",
        lambda v: PriorityMMc([1.0, 2.0], 5.0, v),
        "servers",
        COUNT_BAD_HUGE,
    ),
    *params(
        "erlang_b.servers",
        lambda v: erlang_b(v, 2.0),
        "servers",
        [v for v in COUNT_BAD_HUGE if v != 0],
    ),
    *params(
        "erlang_b.offered_load", lambda v: erlang_b(3, v), "offered_load", NONNEG_BAD
    ),
    *params("erlang_c.servers", lambda v: erlang_c(v, 0.5), "servers", COUNT_BAD_HUGE),
    *params(
        "erlang_c.offered_load", lambda v: erlang_c(3, v), "offered_load", NONNEG_BAD
    ),
    *params(
        "max_offered_load.servers",
        lambda v: max_offered_load(v, 0.01),
        "servers",
        [*COUNT_BAD, 10**9],
    ),
    *params(
        "max_offered_load.target_blocking",
        lambda v: max_offered_load(10, v),
        "target_blocking",
        [v for v in PROB_BAD if v is not None] + [0.0, 1.0, 1e-320],
    ),
    *params(
        "max_offered_load.target_prob_wait",
        lambda v: max_offered_load(10, target_prob_wait=v),
        "target_prob_wait",
        [v for v in PROB_BAD if v is not None] + [0.0, 1.0, 1 - 1e-16],
    ),
    *params(
        "max_offered_load.no_target",
        lambda v: max_offered_load(10, v),
        "target_blocking",
        [None],
    ),
]


@pytest.mark.parametrize(("call", "name", "value"), MODEL_CASES)
def test_models_refuse_bad_arguments(call, name, value):
    check(call, name, value)


def _method_cases():
    mmc = MMc(1.0, 1.0, 2)
    mmck = MMcK(1.0, 1.0, 2, 6)
    ea = ErlangA(1.0, 1.0, 2, 0.5)
    mg1 = MG1(0.5, 1.0, 2.0)
    ggc = GGc(0.5, 1.0, 2, 0.5, 0.5)
    methods = {
        "MMc.service_level": mmc.service_level,
        "MMc.prob_wait_exceeds": mmc.prob_wait_exceeds,
        "MM1.service_level": MM1(0.5, 1.0).service_level,
        "MMcK.service_level": mmck.service_level,
        "MMcK.prob_wait_exceeds": mmck.prob_wait_exceeds,
        "ErlangA.service_level": ea.service_level,
        "ErlangA.offered_service_level": ea.offered_service_level,
        "ErlangA.prob_wait_exceeds": ea.prob_wait_exceeds,
        "MG1.approx_service_level": mg1.approx_service_level,
        "MD1.service_level": MD1(0.5, 1.0).service_level,
        "MD1.prob_wait_exceeds": MD1(0.9, 1.0).prob_wait_exceeds,
        "GGc.approx_service_level": ggc.approx_service_level,
    }
    out = []
    for label, method in methods.items():
        out += params(label, method, "t", TIME_BAD, shown="pairs")
    out += params("MMc.wait_quantile", mmc.wait_quantile, "p", [*PROB_BAD, 1.0])
    return out


@pytest.mark.parametrize(("call", "name", "value"), _method_cases())
def test_model_methods_refuse_bad_times(call, name, value):
    check(call, name, value)


def test_two_moment_and_priority_models_say_what_to_use_instead():
    err = assert_clear_error(
        lambda: MG1(0.5, 1.0, 2.0).service_level(1.0),
        "approx_service_level",
        show_value=False,
    )
    assert isinstance(err, UnsupportedMetricError)
    assert_clear_error(
        lambda: PriorityMMc([1.0, 2.0], 5.0).service_level(1.0),
        "simulate",
        show_value=False,
    )


@pytest.mark.parametrize(
    ("call", "name", "value"),
    [
        (lambda: MMc(10.5, 1.0, 10), "arrival_rate", 10.5),
        # ρ = 1e200: the message must not overflow
        (lambda: MMc(1e100, 1e-100, 1), "arrival_rate", 1e100),
        (lambda: MG1(1.0, 1.0), "arrival_rate", 1.0),
        (lambda: MD1(2.0, 2.0), "arrival_rate", 2.0),
        (lambda: GGc(3.0, 1.0, 2), "arrival_rate", 3.0),
        (lambda: PriorityMMc([5.0, 6.0], 1.0, 10), "arrival_rate", 11.0),
        (lambda: erlang_c(20, 20.0), "offered_load", 20.0),
        (lambda: erlang_c(1, 1e308), "offered_load", 1e308),
    ],
)
def test_unstable_queues_say_how_many_servers(call, name, value):
    err = assert_clear_error(call, name, value)
    assert isinstance(err, UnstableQueueError)
    assert "servers" in str(err)


def test_unstable_message_of_huge_rates_does_not_overflow():
    with pytest.raises(UnstableQueueError, match="more than 1e"):
        MMc(1e100, 1e-100, 5)


def test_staff_searching_a_huge_load_is_refused():
    assert_clear_error(
        lambda: staff(1e100, 1e-100, mean_wait=1.0), "arrival_rate", 1e100
    )


# --------------------------------------------------- extreme but valid: no crashes

log_rates = st.floats(min_value=-100, max_value=100).map(lambda e: 10.0**e)


@settings(max_examples=25, deadline=None)
@given(lam=log_rates, mu=log_rates, c=st.integers(1, 10**8))
def test_mmc_in_range_either_works_or_says_unstable(lam, mu, c):
    try:
        m = MMc(lam, mu, c)
    except UnstableQueueError as exc:
        assert "servers" in str(exc)
        return
    values = [m.prob_wait, m.mean_wait, m.prob_empty, m.service_level(1.0)]
    assert all(math.isfinite(v) and v >= 0 for v in values)


@settings(max_examples=25, deadline=None)
@given(
    lam=log_rates,
    mu=log_rates,
    t=st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=1e308)),
)
def test_md1_in_range_works_or_says_unstable(lam, mu, t):
    try:
        m = MD1(lam, mu)
    except UnstableQueueError as exc:
        assert "servers" in str(exc)
        return
    sl, tail = m.service_level(t), m.prob_wait_exceeds(t)
    assert 0.0 <= sl <= 1.0 and 0.0 <= tail <= 1.0
    assert abs(sl + tail - 1.0) < 1e-12
    assert math.isfinite(m.mean_wait) and m.mean_wait >= 0


@settings(max_examples=25, deadline=None)
@given(
    lam=log_rates,
    mu=log_rates,
    c=st.integers(1, 50),
    extra=st.integers(0, 200),
)
def test_mmck_in_range_gives_finite_metrics(lam, mu, c, extra):
    m = MMcK(lam, mu, c, c + extra)
    values = [m.prob_block, m.throughput, m.mean_wait, m.prob_wait, m.prob_empty]
    assert all(math.isfinite(v) and v >= 0 for v in values)
    assert 0.0 <= m.prob_block <= 1.0
    assert m.throughput <= lam * (1 + 1e-12)


@settings(max_examples=25, deadline=None)
@given(lam=log_rates, mu=log_rates, theta=log_rates, c=st.integers(1, 10**6))
def test_erlang_a_in_range_works_or_refuses_clearly(lam, mu, theta, c):
    try:
        m = ErlangA(lam, mu, c, theta)
    except CrmkitError as exc:
        assert "abandonment_rate" in str(exc)
        return
    values = [m.prob_wait, m.prob_abandon, m.mean_wait, m.service_level(0.5)]
    assert all(math.isfinite(v) and v >= 0 for v in values)


@settings(max_examples=25, deadline=None)
@given(c=st.integers(0, 10**8), a=st.floats(0, 1e308))
def test_erlang_b_any_finite_load(c, a):
    b = erlang_b(c, a)
    assert 0.0 <= b <= 1.0


@settings(max_examples=25, deadline=None)
@given(
    c=st.integers(1, 10**8),
    p=st.floats(min_value=1e-100, max_value=1.0, exclude_max=True),
    kind=st.sampled_from(["target_blocking", "target_prob_wait"]),
)
def test_max_offered_load_any_target(c, p, kind):
    try:
        a = max_offered_load(c, **{kind: p})
    except CrmkitError as exc:
        assert kind in str(exc)
        return
    assert math.isfinite(a) and a > 0


def test_extreme_loads_give_right_answers_not_exceptions():
    # P(X <= c) underflows here: used to be "math domain error"
    assert erlang_b(10**6, 10**6 + 39_000.0) == pytest.approx(0.0375607, rel=1e-5)
    # π_K rounds to 1: used to be ZeroDivisionError; an admitted customer waits one
    # service on average
    assert MMcK(1e20, 1.0, 1, 2).mean_wait == pytest.approx(1.0, rel=1e-9)
    assert MMcK(1e12, 1.0, 1, 2).throughput == pytest.approx(1.0, rel=1e-9)
    # 1 - P(abandon) is below the ulp of 1: occupancy used to come out as -7
    m = ErlangA(3.1622776601683795, 1e-16, 1, 1.0)
    assert 0.0 <= m.occupancy <= 1.0 and m.prob_abandon <= 1.0
    # D/D/c: the approximation's mean wait is 0, which used to give NaN
    assert GGc(0.5, 1.0, 1, 0.0, 0.0).approx_service_level(0.0) == 1.0


def test_degenerate_service_times_are_refused_not_fitted(call_log):
    flat = call_log.assign(ser_time=100)
    assert_clear_error(lambda: service_time_fit(flat), "ser_time", show_value=False)


# -------------------------------------------------------------- hypothesis: numbers

#: (call, name, flags): "optional" means None is accepted (the default), "array"
#: that a list of valid numbers is accepted
RATE_CALLS = [
    (lambda v: MMc(v, 1.0, 2), "arrival_rate", ""),
    (lambda v: MMcK(1.0, v, 2, 4), "service_rate", ""),
    (lambda v: ErlangA(1.0, 1.0, 2, v), "abandonment_rate", ""),
    (lambda v: ErlangB(2, v), "offered_load", ""),
    (lambda v: MG1(0.5, v), "service_mean", ""),
    (lambda v: GGc(v, 1.0, 2), "arrival_rate", ""),
    (lambda v: PriorityMMc([v], 5.0), "arrival_rates", ""),
    (lambda v: Exponential(v), "rate", ""),
    (lambda v: Gamma(v, 0.5), "mean", ""),
    (lambda v: Lognormal(1.0, v), "cv", ""),
    (lambda v: PoissonArrivals(v), "rate", ""),
    (lambda v: NHPPArrivals(profile=[1.0], interval=v), "interval", ""),
    (lambda v: staff(v, 1.0, mean_wait=1.0), "arrival_rate", ""),
    (
        lambda v: staff(5.0, 1.0, service_level=0.8, within=0.2, abandonment_rate=v),
        "abandonment_rate",
        "optional",
    ),
    (lambda v: square_root_staffing(v, 1.0), "offered_load", ""),
    (lambda v: staffing_table(1.0, v, [2, 3]), "service_rate", ""),
    (lambda v: simulate(MMc(1.0, 2.0, 1), horizon=v), "horizon", ""),
    (lambda v: PerceivedWaitModel(scale=v), "scale", ""),
    (lambda v: WaitConditions(service_value=v), "service_value", ""),
    (lambda v: announcement_patience_factor("apology", hold_s=v), "hold_s", ""),
]


def _skip(value, flags):
    return (value is None and "optional" in flags) or (
        isinstance(value, list) and "array" in flags
    )


@settings(max_examples=25, deadline=None)
@given(value=bad_numbers(), which=st.integers(0, len(RATE_CALLS) - 1))
def test_positive_arguments_refuse_bad_numbers(value, which):
    make, name, flags = RATE_CALLS[which]
    if not _skip(value, flags):
        assert_clear_error(lambda: make(value), name, value)


TIME_CALLS = [
    (MMc(1.0, 1.0, 2).service_level, "t", "array"),
    (MMcK(1.0, 1.0, 1, 4).prob_wait_exceeds, "t", "array"),
    (ErlangA(1.0, 1.0, 2, 1.0).service_level, "t", "array"),
    (Schedule.from_intervals([1, 2], 5.0).servers_at, "t", "array"),
    (NHPPArrivals(profile=[1.0, 2.0]).rate_at, "t", "array"),
    (lambda v: PerceivedWaitModel().perceived(v), "actual_min", "array"),
    (lambda v: PerceivedWaitModel().breakdown(v), "actual_min", ""),
    (lambda v: Deterministic(v), "value", ""),
    (lambda v: Gamma(1.0, v), "scv", ""),
    (lambda v: staff(5.0, 1.0, service_level=0.8, within=v), "within", "optional"),
    (lambda v: square_root_staffing(4.0, v), "beta", ""),
    (lambda v: service_time_fit(_LOG[0], min_seconds=v), "min_seconds", ""),
]


@settings(max_examples=25, deadline=None)
@given(value=bad_numbers(allow_zero=True), which=st.integers(0, len(TIME_CALLS) - 1))
def test_nonnegative_arguments_refuse_bad_numbers(value, which, call_log):
    make, name, flags = TIME_CALLS[which]
    if not _skip(value, flags):
        assert_clear_error(lambda: make(value), name, value)


#: counts whose minimum is 1, each with a maximum below 10**13
COUNT_CALLS = [
    (lambda v: MMc(0.5, 1.0, v), "servers"),
    (lambda v: MMcK(0.5, 1.0, 1, v), "capacity"),
    (lambda v: erlang_c(v, 0.5), "servers"),
    (lambda v: Erlang(v, 1.0), "k"),
    (
        lambda v: PoissonArrivals(1.0).generate(np.random.default_rng(0), customers=v),
        "customers",
    ),
    (lambda v: QueueSpec(PoissonArrivals(1.0), Exponential(1.0), v), "servers"),
    (lambda v: simulate(MM1(0.5, 1.0), customers=100, replications=v), "replications"),
    (lambda v: make_call_log(v, seed=1), "days"),
]

bad_counts = st.one_of(
    st.integers(max_value=0),
    st.integers(min_value=10**13),
    st.floats().filter(
        lambda x: not (math.isfinite(x) and x.is_integer() and 1 <= x < 1e13)
    ),
    st.text(max_size=3),
    st.booleans(),
    st.none(),
)


@settings(max_examples=25, deadline=None)
@given(value=bad_counts, which=st.integers(0, len(COUNT_CALLS) - 1))
def test_counts_refuse_bad_values(value, which):
    make, name = COUNT_CALLS[which]
    assert_clear_error(lambda: make(value), name, value)


PROB_CALLS = [
    (lambda v: MMc(1.0, 1.0, 2).wait_quantile(v), "p"),
    (lambda v: max_offered_load(10, v), "target_blocking"),
    (lambda v: staff(5.0, 1.0, service_level=v, within=0.1), "service_level"),
    (lambda v: staff(5.0, 1.0, max_occupancy=v), "max_occupancy"),
    (lambda v: staff(5.0, 1.0, prob_abandon=v, abandonment_rate=1.0), "prob_abandon"),
    (lambda v: CallCentreCalibration(target_abandonment=v), "target_abandonment"),
]

bad_probabilities = st.one_of(
    st.floats(max_value=0.0, exclude_max=True),
    st.floats(min_value=1.0, exclude_min=True),
    st.just(math.nan),
    st.text(max_size=3),
    st.booleans(),
)


@settings(max_examples=25, deadline=None)
@given(value=bad_probabilities, which=st.integers(0, len(PROB_CALLS) - 1))
def test_probabilities_refuse_bad_values(value, which):
    make, name = PROB_CALLS[which]
    assert_clear_error(lambda: make(value), name, value)


ARRAY_CALLS = [
    (lambda v: Empirical(v), "values"),
    (lambda v: GivenArrivals(v), "times"),
    (lambda v: NHPPArrivals(profile=v), "profile"),
    (lambda v: staff_by_interval(v, 1.0, mean_wait=1.0), "arrival_rates"),
    (lambda v: staffing_table(1.0, 1.0, v), "servers"),
    (lambda v: MMc(1.0, 1.0, 2).service_level(v), "t"),
]

bad_entries = st.one_of(
    st.just(math.nan),
    st.just(math.inf),
    st.floats(max_value=-1e-300, allow_nan=False, allow_infinity=False),
    st.text(max_size=3),
    st.booleans(),
    st.none(),
)


@settings(max_examples=25, deadline=None)
@given(
    good=st.lists(st.integers(1, 50).map(float), max_size=6),
    bad=bad_entries,
    at=st.integers(0, 6),
    which=st.integers(0, len(ARRAY_CALLS) - 1),
)
def test_sequences_refuse_a_bad_entry(good, bad, at, which):
    values = list(good)
    values.insert(min(at, len(values)), bad)
    make, name = ARRAY_CALLS[which]
    assert_clear_error(lambda: make(values), name, bad)


@settings(max_examples=25, deadline=None)
@given(x=st.floats(min_value=1.0001e100, max_value=1e308))
def test_rates_beyond_the_range_are_refused_not_overflowed(x):
    assert_clear_error(lambda: MMcK(x, 1.0, 1, 3), "arrival_rate", x)
    assert_clear_error(lambda: ErlangA(1.0, x, 1, 1.0), "service_rate", x)


# --------------------------------------------------------- distributions, arrivals

RNG = np.random.default_rng(0)
SVC0 = Exponential(2.0)

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(),
    st.text(max_size=4),
    st.lists(st.one_of(st.floats(), st.integers(-5, 50), st.none()), max_size=4),
    st.sampled_from(
        [{"a": 1}, np.array([1.0, -1.0]), 10**300, 1e308, 5e-324, Exponential(1.0)]
    ),
)

#: quick entry points fed three arbitrary values at once
JUNK_CALLS = [
    lambda a, b, c: MMc(a, b, c).service_level(1.0),
    lambda a, b, c: MMcK(a, 1.0, b, c).mean_wait,
    lambda a, b, c: ErlangA(a, b, 2, c).occupancy,
    lambda a, b, c: GGc(a, 1.0, 2, b, c).approx_service_level(0.5),
    lambda a, b, c: PriorityMMc(a, b, c).mean_wait,
    lambda a, b, c: max_offered_load(a, b, target_prob_wait=c),
    lambda a, b, c: Lognormal.from_log(a, b).sample(RNG, 3),
    lambda a, b, c: NHPPArrivals(profile=a, interval=b).rate_at(c),
    lambda a, b, c: Schedule(a, b, c),
    lambda a, b, c: QueueSpec(
        PoissonArrivals(1.0), SVC0, a, capacity=b, priority_shares=c
    ),
    lambda a, b, c: staff(5.0, 1.0, service_level=a, within=b, abandonment_rate=c),
    lambda a, b, c: staffing_table(1.0, 1.0, a, within=b, abandonment_rate=c),
    lambda a, b, c: PerceivedWaitModel(exponent=a, scale=b, reference_min=c).perceived(
        3
    ),
]


@settings(max_examples=25, deadline=None)
@given(which=st.integers(0, len(JUNK_CALLS) - 1), a=JUNK, b=JUNK, c=JUNK)
def test_arbitrary_input_never_leaks_an_internal_exception(which, a, b, c):
    try:
        JUNK_CALLS[which](a, b, c)
    except CrmkitError as exc:
        assert str(exc)  # a crmkit ValueError with a message, nothing else


DIST_CASES = [
    *params("Exponential.rate", Exponential, "rate", RATE_BAD),
    *params("Deterministic.value", Deterministic, "value", [*NONNEG_BAD, 1e308]),
    *params("Erlang.k", lambda v: Erlang(v, 1.0), "k", COUNT_BAD_HUGE),
    *params("Erlang.mean", lambda v: Erlang(2, v), "mean", RATE_BAD),
    *params("Gamma.mean", lambda v: Gamma(v, 0.5), "mean", RATE_BAD),
    *params("Gamma.scv", lambda v: Gamma(1.0, v), "scv", [*NONNEG_BAD, 1e308]),
    *params("Lognormal.mean", lambda v: Lognormal(v, 0.5), "mean", RATE_BAD),
    *params("Lognormal.cv", lambda v: Lognormal(1.0, v), "cv", [*POS_BAD, 1e308]),
    *params(
        "Lognormal.from_log.mu",
        lambda v: Lognormal.from_log(v, 0.5),
        "mu",
        [math.nan, math.inf, -math.inf, "3", True, None, 1e308, -1e308, 300.0],
    ),
    *params(
        "Lognormal.from_log.sigma",
        lambda v: Lognormal.from_log(1.0, v),
        "sigma",
        [*POS_BAD, 10.0, 1e308],
    ),
    *params("Empirical.values", Empirical, "values", ARRAY_BAD, shown="pairs"),
    *params(
        "Empirical.values.huge",
        Empirical,
        "values",
        [([1.0, 1e308], 1e308)],
        shown="pairs",
    ),
    *params(
        "FromScipy.dist",
        FromScipy,
        "dist",
        [
            (3, 3),
            ("gamma", "gamma"),
            (None, None),
            (stats.gamma, NOSHOW),
            (stats.norm(), NOSHOW),
            (stats.pareto(b=0.5), NOSHOW),
        ],
        shown="pairs",
    ),
    *params(
        "sample.size",
        lambda v: Exponential(1.0).sample(RNG, v),
        "size",
        [v for v in COUNT_BAD_HUGE if v != 0],
    ),
    *params(
        "sample.size.Deterministic",
        lambda v: Deterministic(1.0).sample(None, v),
        "size",
        [-1, 2.5, "3", None, 10**12],
    ),
    *params(
        "sample.rng",
        lambda v: Lognormal(1.0, 0.5).sample(v, 3),
        "rng",
        ["x", 1.5, -1, True, [1]],
    ),
    *params("PoissonArrivals.rate", PoissonArrivals, "rate", RATE_BAD),
    *params(
        "RenewalArrivals.interarrival",
        RenewalArrivals,
        "interarrival",
        [
            (None, None),
            (3, 3),
            ("exp", "exp"),
            (PoissonArrivals(1.0), NOSHOW),
            (Exponential, NOSHOW),
            (Deterministic(0.0), NOSHOW),
            (Empirical([0.0, 0.0]), NOSHOW),
        ],
        shown="pairs",
    ),
    *params(
        "NHPP.profile",
        lambda v: NHPPArrivals(profile=v),
        "profile",
        [*ARRAY_BAD, ([0.0, 0.0], NOSHOW), ([0.0, 1e-300], 1e-300), ([5e-324], 5e-324)],
        shown="pairs",
    ),
    *params(
        "NHPP.interval",
        lambda v: NHPPArrivals(profile=[1.0], interval=v),
        "interval",
        RATE_BAD,
    ),
    *params(
        "NHPP.rate_function",
        lambda v: NHPPArrivals(rate_function=v, max_rate=1.0),
        "rate_function",
        [3, "sin"],
    ),
    *params(
        "NHPP.max_rate",
        lambda v: NHPPArrivals(rate_function=np.sin, max_rate=v),
        "max_rate",
        RATE_BAD,
    ),
    *params(
        "NHPP.max_rate_with_profile",
        lambda v: NHPPArrivals(profile=[1.0], max_rate=v),
        "max_rate",
        [2.0],
    ),
    *params("GivenArrivals.times", GivenArrivals, "times", ARRAY_BAD, shown="pairs"),
    *params(
        "generate.customers",
        lambda v: PoissonArrivals(1.0).generate(RNG, customers=v),
        "customers",
        COUNT_BAD_HUGE,
    ),
    *params(
        "generate.horizon",
        lambda v: PoissonArrivals(1.0).generate(RNG, horizon=v),
        "horizon",
        [*POS_BAD, 1e12, 1e308],
    ),
    *params(
        "generate.both",
        lambda v: RenewalArrivals(Gamma(1.0, 0.5)).generate(
            RNG, customers=5, horizon=v
        ),
        "horizon",
        [1.0],
    ),
    *params(
        "generate.rng",
        lambda v: PoissonArrivals(1.0).generate(v, customers=3),
        "rng",
        ["x", 2.5],
    ),
    *params(
        "GivenArrivals.generate.customers",
        lambda v: GivenArrivals([1.0, 2.0]).generate(None, customers=v),
        "customers",
        [*(v for v in COUNT_BAD if v is not None), 3],
    ),
    *params(
        "NHPP.generate.horizon",
        lambda v: NHPPArrivals(profile=[1.0, 2.0], interval=1e-3).generate(
            RNG, horizon=v
        ),
        "horizon",
        [*POS_BAD, 1e6],
    ),
    *params(
        "NHPP.rate_at",
        NHPPArrivals(profile=[1.0, 2.0], interval=1.0).rate_at,
        "t",
        [*TIME_BAD, (1e300, 1e300)],
        shown="pairs",
    ),
]


@pytest.mark.parametrize(("call", "name", "value"), DIST_CASES)
def test_distributions_and_arrivals_refuse_bad_arguments(call, name, value):
    check(call, name, value)


@pytest.mark.parametrize(
    "rate_function",
    [
        lambda t: 0.0 * t,  # nobody arrives: used to loop for ever
        lambda t: np.nan * t,  # NaN rates: used to loop for ever
        lambda t: -1.0 + 0.0 * t,
        lambda t: np.where(t < 1.0, 1.0, np.inf),
        lambda t: "fast",
        lambda t: np.ones(3),  # not one rate per time
    ],
)
def test_nhpp_with_a_bad_rate_function_stops_with_an_error(rate_function):
    proc = NHPPArrivals(rate_function=rate_function, max_rate=1.0)
    assert_clear_error(
        lambda: proc.generate(np.random.default_rng(0), customers=5),
        "rate_function",
        show_value=False,
    )


@pytest.mark.parametrize("profile", [[1e-90], [0.0, 1e-99], [1e-100] * 24])
def test_nhpp_with_a_negligible_profile_is_refused_before_looping(profile):
    proc = NHPPArrivals(profile=profile)
    assert_clear_error(
        lambda: proc.generate(np.random.default_rng(0), customers=5),
        "customers",
        5,
    )


def test_nhpp_below_max_rate_by_far_is_refused_not_crawled():
    proc = NHPPArrivals(rate_function=lambda t: 1e-12 + 0.0 * t, max_rate=1.0)
    assert_clear_error(
        lambda: proc.generate(np.random.default_rng(0), customers=10),
        "max_rate",
        show_value=False,
    )


class _BadDraws:
    """A user-written distribution whose sample() returns nonsense."""

    def __init__(self, draws, mean=1.0):
        self.draws, self._mean = draws, mean

    @property
    def mean(self):
        return self._mean

    @property
    def scv(self):
        return 1.0

    def sample(self, rng, size):
        return self.draws(size)


@pytest.mark.parametrize(
    "draws",
    [
        lambda n: np.full(n, np.nan),
        lambda n: -np.ones(n),
        lambda n: np.ones(n + 1),
        lambda n: np.array(["1"] * n),
        lambda n: np.full(n, np.inf),
    ],
)
def test_user_distributions_with_bad_draws_are_refused(draws):
    spec = QueueSpec(PoissonArrivals(1.0), _BadDraws(draws), 2)
    assert_clear_error(
        lambda: simulate(spec, customers=50, replications=1, seed=1),
        "service",
        show_value=False,
    )


def test_renewal_gaps_that_never_advance_are_refused():
    proc = RenewalArrivals(_BadDraws(lambda n: np.zeros(n), mean=1.0))
    assert_clear_error(
        lambda: proc.generate(np.random.default_rng(0), horizon=5.0),
        "interarrival",
        show_value=False,
    )
    bad_mean = _BadDraws(lambda n: np.ones(n), mean="1")
    assert_clear_error(lambda: RenewalArrivals(bad_mean), "interarrival", "1")


# ----------------------------------------------------------------------- schedules

SCHEDULE = Schedule.from_intervals([2, 5, 3], 60.0)

SCHEDULE_CASES = [
    *params(
        "Schedule.starts",
        lambda v: Schedule(v, (1, 2)),
        "starts",
        [
            (None, None),
            ("0", "0"),
            (5.0, 5.0),
            ([0.0, -1.0], -1.0),
            ([0.0, math.nan], math.nan),
            ([1.0, 2.0], 1.0),
            ([0.0, 0.0], 0.0),
            ([0.0], NOSHOW),
        ],
        shown="pairs",
    ),
    *params(
        "Schedule.servers",
        lambda v: Schedule((0.0, 10.0), v),
        "servers",
        [
            (None, None),
            ("12", "12"),
            ([1, 2.5], 2.5),
            ([1, -1], -1),
            ([1, True], True),
            ([1, 10**12], 10**12),
        ],
        shown="pairs",
    ),
    *params(
        "Schedule.end",
        lambda v: Schedule((0.0, 10.0), (1, 2), end=v),
        "end",
        [*POS_BAD_OPT, 5.0, 10.0],
    ),
    *params(
        "Schedule.from_intervals.servers",
        lambda v: Schedule.from_intervals(v, 60.0),
        "servers",
        [
            (None, None),
            ("abc", "abc"),
            (5, 5),
            ([1.5], 1.5),
            ([-1], -1),
            ([10**12], 10**12),
        ],
        shown="pairs",
    ),
    *params(
        "Schedule.from_intervals.interval",
        lambda v: Schedule.from_intervals([1, 2], v),
        "interval",
        [*POS_BAD, 1e308],
    ),
    *params(
        "Schedule.servers_at",
        SCHEDULE.servers_at,
        "t",
        [*TIME_BAD, (200.0, 200.0), ([10.0, 181.0], 181.0)],
        shown="pairs",
    ),
    *params(
        "server_time.t0", lambda v: SCHEDULE.server_time(v, 10.0), "t0", NONNEG_BAD
    ),
    *params(
        "server_time.t1",
        lambda v: SCHEDULE.server_time(20.0, v),
        "t1",
        [*NONNEG_BAD, 5.0],
    ),
    *params("check_covers", SCHEDULE.check_covers, "last_time", NONNEG_BAD),
]


@pytest.mark.parametrize(("call", "name", "value"), SCHEDULE_CASES)
def test_schedules_refuse_bad_arguments(call, name, value):
    check(call, name, value)


def test_servers_at_no_longer_wraps_negative_times_to_the_last_level():
    with pytest.raises(CrmkitError, match="negative"):
        SCHEDULE.servers_at(-1.0)
    assert SCHEDULE.servers_at(180.0) == 3  # the end itself is covered
    open_ended = Schedule((0.0, 10.0), (1, 4))
    assert open_ended.servers_at(1e9) == 4  # no end: the last level lasts for ever


# ------------------------------------------------------------ QueueSpec, simulate

ARR, SVC = PoissonArrivals(1.0), Exponential(2.0)

SPEC_CASES = [
    *params(
        "QueueSpec.arrivals",
        lambda v: QueueSpec(v, SVC, 2),
        "arrivals",
        [None, 3, "poisson", SVC, PoissonArrivals],
    ),
    *params(
        "QueueSpec.service",
        lambda v: QueueSpec(ARR, v, 2),
        "service",
        [None, 3, "exp", ARR, Exponential],
    ),
    *params(
        "QueueSpec.servers", lambda v: QueueSpec(ARR, SVC, v), "servers", COUNT_BAD_HUGE
    ),
    *params(
        "QueueSpec.patience",
        lambda v: QueueSpec(ARR, SVC, 2, patience=v),
        "patience",
        [3, "exp", ARR],
    ),
    *params(
        "QueueSpec.capacity",
        lambda v: QueueSpec(ARR, SVC, 2, capacity=v),
        "capacity",
        [v for v in COUNT_BAD if v is not None] + [1],
    ),
    *params(
        "QueueSpec.priority_shares",
        lambda v: QueueSpec(ARR, SVC, 2, priority_shares=v),
        "priority_shares",
        [
            ("ab", "ab"),
            (0.5, 0.5),
            ([], NOSHOW),
            ([0.5, 0.4], NOSHOW),
            ([1.5, -0.5], -0.5),
            ([math.nan, 1.0], math.nan),
            (["0.5", "0.5"], "0.5"),
            ([True, False], True),
            ([1 / 101] * 101, NOSHOW),
        ],
        shown="pairs",
    ),
]


@pytest.mark.parametrize(("call", "name", "value"), SPEC_CASES)
def test_queue_spec_refuses_bad_arguments(call, name, value):
    check(call, name, value)


def test_queue_spec_notices_swapped_arguments():
    err = assert_clear_error(lambda: QueueSpec(SVC, ARR, 2), "arrivals", SVC)
    assert "swap" in str(err)


MODEL = MM1(0.5, 1.0)

SIMULATE_CASES = [
    *params(
        "simulate.system",
        lambda v: simulate(v, customers=100),
        "system",
        [
            (None, None),
            (3, 3),
            ("M/M/1", "M/M/1"),
            (MMc, NOSHOW),
            (ARR, ARR),
            (SVC, SVC),
            (SCHEDULE, NOSHOW),
        ],
        shown="pairs",
    ),
    *params(
        "simulate.customers",
        lambda v: simulate(MODEL, customers=v),
        "customers",
        [v for v in COUNT_BAD_HUGE if v is not None],
    ),
    *params(
        "simulate.horizon",
        lambda v: simulate(MODEL, horizon=v),
        "horizon",
        [*POS_BAD, 1e12, 1e308],
    ),
    *params(
        "simulate.replications",
        lambda v: simulate(MODEL, customers=100, replications=v),
        "replications",
        [*COUNT_BAD, 10**12],
    ),
    *params(
        "simulate.warmup",
        lambda v: simulate(MODEL, customers=100, warmup=v),
        "warmup",
        [-1, 2.5, math.nan, "3", True, None, 100, 10**12],
    ),
    *params(
        "simulate.warmup.horizon",
        lambda v: simulate(MODEL, horizon=50.0, warmup=v),
        "warmup",
        [*NONNEG_BAD, 50.0],
    ),
    *params(
        "simulate.seed",
        lambda v: simulate(MODEL, customers=100, seed=v),
        "seed",
        ["x", -1, 1.5, True, [1]],
    ),
    *params(
        "simulate.service_level_within",
        lambda v: simulate(MODEL, customers=100, service_level_within=v),
        "service_level_within",
        NONNEG_BAD_OPT,
    ),
    *params(
        "simulate.engine",
        lambda v: simulate(MODEL, customers=100, engine=v),
        "engine",
        ["fast", 3, None, True],
    ),
    *params(
        "simulate.engine.recursion",
        lambda v: simulate(PriorityMMc([1.0, 1.0], 5.0), customers=100, engine=v),
        "engine",
        ["recursion"],
    ),
    *params(
        "simulate.keep_records",
        lambda v: simulate(MODEL, customers=100, keep_records=v),
        "keep_records",
        ["no", 1, None, "False"],
    ),
    *params(
        "simulate.progress",
        lambda v: simulate(MODEL, customers=100, progress=v),
        "progress",
        ["no", 1, 0.5],
    ),
]


@pytest.mark.parametrize(("call", "name", "value"), SIMULATE_CASES)
def test_simulate_refuses_bad_arguments(call, name, value):
    check(call, name, value)


def test_simulate_refuses_schedules_that_would_strand_customers():
    closing = QueueSpec(ARR, SVC, Schedule((0.0, 10.0), (2, 0)))
    assert_clear_error(lambda: simulate(closing, customers=100), "servers", 0)
    nobody = QueueSpec(ARR, SVC, Schedule((0.0,), (0,)), patience=Exponential(1.0))
    assert_clear_error(lambda: simulate(nobody, customers=100), "servers", 0)
    short = QueueSpec(ARR, SVC, Schedule.from_intervals([2], 10.0))
    assert_clear_error(lambda: simulate(short, horizon=50.0), "schedule", 10)


@pytest.fixture(scope="module")
def result():
    return simulate(MMc(1.0, 2.0, 1), customers=300, replications=2, seed=1)


@pytest.mark.parametrize("metric", ["nope", "Mean_wait", 3, None, ["mean_wait"]])
def test_result_lookups_refuse_unknown_metrics(result, metric):
    assert_clear_error(lambda: result.estimate(metric), "metric", metric)
    assert_clear_error(lambda: result.interval(metric), "metric", metric)
    assert result.estimate("mean_wait") > 0  # a known metric still works


def test_compare_without_a_model_says_what_to_call():
    res = simulate(QueueSpec(ARR, SVC, 1), customers=200, replications=2, seed=1)
    err = assert_clear_error(res.compare, "model", show_value=False)
    assert isinstance(err, UnsupportedMetricError)


# ------------------------------------------------------ the work limits, refused fast


@pytest.mark.parametrize(
    ("call", "name", "value"),
    [
        (lambda: MMcK(1.0, 1.0, 1, 10**10), "capacity", 10**10),
        (lambda: MMcK(1.0, 1.0, 1, 10**7).service_level(np.ones(10)), "t", NOSHOW),
        (
            lambda: ErlangA(1e3, 1.0, 900, 1e-3).service_level(np.ones(10**4)),
            "t",
            NOSHOW,
        ),
        (lambda: ErlangA(1e6, 1.0, 1, 1e-9), "abandonment_rate", 1e-9),
        (lambda: ErlangB(10**9, 2.0), "servers", 10**9),
        (lambda: erlang_b(10**12, 1e13), "servers", 10**12),
        (lambda: max_offered_load(10**9, 0.01), "servers", 10**9),
        (lambda: simulate(MMc(1.0, 2.0, 1), horizon=1e12), "horizon", 1e12),
        (
            lambda: simulate(MMc(1.0, 2.0, 1), customers=10**7, replications=10),
            "replications",
            10,
        ),
        (
            lambda: simulate(
                MMc(1.0, 2.0, 1), customers=10**7, keep_records=True, replications=2
            ),
            "keep_records",
            NOSHOW,
        ),
        (
            lambda: simulate(QueueSpec(ARR, SVC, 10**12), customers=10),
            "servers",
            10**12,
        ),
        (lambda: PoissonArrivals(1.0).generate(RNG, horizon=1e12), "horizon", 1e12),
        (lambda: Exponential(1.0).sample(RNG, 10**12), "size", 10**12),
        (lambda: staffing_table(1.0, 1.0, range(1, 10**12)), "servers", NOSHOW),
        (
            lambda: staff_by_interval(range(10**12), 1.0, mean_wait=1.0),
            "arrival_rates",
            NOSHOW,
        ),
        (lambda: square_root_staffing(1e308, 1e308), "offered_load", 1e308),
        (lambda: make_call_log(10**6, seed=1), "days", 10**6),
        (
            lambda: make_call_log(
                200, seed=1, calibration=CallCentreCalibration(calls_per_workday=1e6)
            ),
            "days",
            200,
        ),
    ],
)
def test_work_limits_refuse_before_allocating(call, name, value):
    check(call, name, value)


# ------------------------------------------------------------------------ staffing

STAFF_CASES = [
    *params(
        "staff.arrival_rate",
        lambda v: staff(v, 1.0, mean_wait=1.0),
        "arrival_rate",
        RATE_BAD,
    ),
    *params(
        "staff.service_rate",
        lambda v: staff(5.0, v, mean_wait=1.0),
        "service_rate",
        RATE_BAD,
    ),
    *params(
        "staff.service_level",
        lambda v: staff(5.0, 1.0, service_level=v, within=0.2),
        "service_level",
        [*PROB_BAD_OPT, 0.0, 1.0],
    ),
    *params(
        "staff.within",
        lambda v: staff(5.0, 1.0, service_level=0.8, within=v),
        "within",
        NONNEG_BAD_OPT,
    ),
    *params(
        "staff.mean_wait",
        lambda v: staff(5.0, 1.0, mean_wait=v),
        "mean_wait",
        POS_BAD_OPT,
    ),
    *params(
        "staff.prob_abandon",
        lambda v: staff(5.0, 1.0, prob_abandon=v, abandonment_rate=1.0),
        "prob_abandon",
        [*PROB_BAD_OPT, 0.0, 1.0],
    ),
    *params(
        "staff.prob_abandon.no_rate",
        lambda v: staff(5.0, 1.0, prob_abandon=v),
        "abandonment_rate",
        [(0.1, NOSHOW)],
        shown="pairs",
    ),
    *params(
        "staff.abandonment_rate",
        lambda v: staff(5.0, 1.0, mean_wait=1.0, abandonment_rate=v),
        "abandonment_rate",
        RATE_BAD_OPT,
    ),
    *params(
        "staff.max_occupancy",
        lambda v: staff(5.0, 1.0, max_occupancy=v),
        "max_occupancy",
        [*PROB_BAD_OPT, 0.0],
    ),
    *params(
        "staff.no_target",
        lambda v: staff(5.0, 1.0, mean_wait=v),
        "target",
        [(None, NOSHOW)],
        shown="pairs",
    ),
    *params(
        "staff_by_interval.arrival_rates",
        lambda v: staff_by_interval(v, 1.0, mean_wait=1.0),
        "arrival_rates",
        ARRAY_BAD,
        shown="pairs",
    ),
    *params(
        "staff_by_interval.service_rate",
        lambda v: staff_by_interval([0.0, 0.0], v, mean_wait=1.0),
        "service_rate",
        RATE_BAD,
    ),
    *params(
        "staff_by_interval.target",
        lambda v: staff_by_interval([1.0], 1.0, foo=v),
        "foo",
        [1],
    ),
    *params(
        "staff_by_interval.mean_wait",
        lambda v: staff_by_interval([0.0], 1.0, mean_wait=v),
        "mean_wait",
        POS_BAD_OPT,
    ),
    *params(
        "staff_by_interval.interval",
        lambda v: staff_by_interval([1.0, v], 1.0, max_occupancy=0.5),
        "interval 1",
        [1e100],  # 2e100 Erlangs: staff() refuses it, naming the interval
    ),
    *params(
        "staffing_table.arrival_rate",
        lambda v: staffing_table(v, 1.0, [2, 3]),
        "arrival_rate",
        RATE_BAD,
    ),
    *params(
        "staffing_table.servers",
        lambda v: staffing_table(1.0, 1.0, v),
        "servers",
        [
            (None, None),
            ("abc", "abc"),
            (5, 5),
            ([], NOSHOW),
            ([2.5], 2.5),
            ([0], 0),
            (["3"], "3"),
            ([True], True),
            ([10**12], 10**12),
            ([1], NOSHOW),  # every size unstable
        ],
        shown="pairs",
    ),
    *params(
        "staffing_table.within",
        lambda v: staffing_table(1.0, 1.0, [2, 3], within=v),
        "within",
        NONNEG_BAD,
    ),
    *params(
        "staffing_table.abandonment_rate",
        lambda v: staffing_table(1.0, 1.0, [2, 3], abandonment_rate=v),
        "abandonment_rate",
        RATE_BAD_OPT,
    ),
    *params(
        "square_root_staffing.offered_load",
        lambda v: square_root_staffing(v, 1.0),
        "offered_load",
        [*POS_BAD, 1e308],
    ),
    *params(
        "square_root_staffing.beta",
        lambda v: square_root_staffing(10.0, v),
        "beta",
        [*NONNEG_BAD, 1e308],
    ),
]


@pytest.mark.parametrize(("call", "name", "value"), STAFF_CASES)
def test_staffing_refuses_bad_arguments(call, name, value):
    check(call, name, value)


# ----------------------------------------------------------------------- call logs

_LOG: list[pd.DataFrame] = []


@pytest.fixture(scope="module")
def call_log():
    if not _LOG:
        from crmkit.datasets import load_call_centre

        _LOG.append(load_call_centre())
    return _LOG[0]


ESTIMATORS = {
    "arrival_rates_by_hour": (arrival_rates_by_hour, ["date", "vru_exit"]),
    "service_time_fit": (service_time_fit, ["served", "ser_time"]),
    "patience_curve": (patience_curve, ["queued", "served", "q_time"]),
    "abandonment_vs_wait": (abandonment_vs_wait, ["date", "vru_exit", "q_time"]),
    "agents_by_hour": (
        lambda log: agents_by_hour(log, "2001-01-07"),
        ["date", "served", "ser_start"],
    ),
    "replay_call_log": (
        lambda log: replay_call_log(log, "2001-01-07", [2] * 24, replications=2),
        ["date", "vru_exit", "served", "ser_time", "q_time"],
    ),
}


_RAW: list[pd.DataFrame] = []


def _broken_logs(log, columns):
    """(broken log, name the message must give, value it must show)."""
    if not _RAW:
        _RAW.append(make_call_log(1, seed=1).head(50))
    out = [
        (None, "log", None),
        ("calls.csv", "log", "calls.csv"),
        (pd.DataFrame({"x": [1]}), "served", NOSHOW),
        (log.head(0), "log", NOSHOW),
        (_RAW[0], "served", NOSHOW),
    ]
    for column in columns:
        out.append((log.drop(columns=[column]), column, NOSHOW))
        broken = log.copy()
        broken[column] = broken[column].astype(str)
        out.append((broken, column, NOSHOW))
    for column in ("q_time", "ser_time"):
        if column in columns:
            broken = log.copy()
            broken[column] = broken[column].astype(float)
            broken.loc[7, column] = math.nan
            out.append((broken, "row 7", NOSHOW))
            broken = log.copy()
            broken.loc[3, column] = -5
            out.append((broken, "row 3", -5))
    if "date" in columns:
        broken = log.copy()
        broken.loc[4, "date"] = pd.NaT
        out.append((broken, "row 4", NOSHOW))
    return out


@pytest.mark.parametrize("estimator", list(ESTIMATORS))
def test_estimators_refuse_broken_logs(estimator, call_log):
    function, columns = ESTIMATORS[estimator]
    for broken, name, value in _broken_logs(call_log, columns):
        check(lambda broken=broken: function(broken), name, value)


def _log_argument_cases():
    day = "2001-01-07"
    base = [2] * 24
    return [
        *params(
            "arrival_rates_by_hour.weekdays",
            lambda v: arrival_rates_by_hour(_LOG[0], weekdays=v),
            "weekdays",
            [
                ("06", "06"),
                (6, 6),
                ([7], 7),
                ([-1], -1),
                ([1.5], 1.5),
                (["Mon"], "Mon"),
                ([True], True),
                ([], NOSHOW),
            ],
            shown="pairs",
        ),
        *params(
            "service_time_fit.types",
            lambda v: service_time_fit(_LOG[0], types=v),
            "types",
            [("PS", "PS"), ([1], [1]), ([], []), (["XX"], ["XX"])],
            shown="pairs",
        ),
        *params(
            "service_time_fit.min_seconds",
            lambda v: service_time_fit(_LOG[0], min_seconds=v),
            "min_seconds",
            [*NONNEG_BAD, 1e9],
        ),
        *params(
            "abandonment_vs_wait.min_calls",
            lambda v: abandonment_vs_wait(_LOG[0], min_calls=v),
            "min_calls",
            [*COUNT_BAD, 10**9],
        ),
        *params(
            "agents_by_hour.date",
            lambda v: agents_by_hour(_LOG[0], v),
            "date",
            [
                None,
                20010107,
                "garbage",
                "",
                True,
                pd.Timestamp("2001-01-07", tz="UTC"),
                "2001-01-07 10:00",
                "1990-01-01",
            ],
        ),
        *params(
            "agents_by_hour.swapped",
            lambda v: agents_by_hour(day, v),
            "log",
            [("x", day)],
            shown="pairs",
        ),
        *params(
            "replay.agents",
            lambda v: replay_call_log(_LOG[0], day, v, replications=2),
            "agents",
            [
                (5, 5),
                ("abc", "abc"),
                ([3] * 5, 5),
                ([1.5] * 24, 1.5),
                ([-1] * 24, -1),
                ([10**12] * 24, 10**12),
                ([None] * 24, None),
            ],
            shown="pairs",
        ),
        *params(
            "replay.replications",
            lambda v: replay_call_log(_LOG[0], day, base, replications=v),
            "replications",
            [*COUNT_BAD, 10**6],
        ),
        *params(
            "replay.within_s",
            lambda v: replay_call_log(_LOG[0], day, base, replications=2, within_s=v),
            "within_s",
            POS_BAD,
        ),
        *params(
            "replay.seed",
            lambda v: replay_call_log(_LOG[0], day, base, replications=2, seed=v),
            "seed",
            ["x", -1, 2.5, True],
        ),
        *params(
            "replay.date",
            lambda v: replay_call_log(_LOG[0], v, base, replications=2),
            "date",
            [
                (None, None),
                (20010107, 20010107),
                ("garbage", "garbage"),
                ("1990-01-01", "1990-01-01"),
                (_LOG[0], NOSHOW),
            ],
            shown="pairs",
        ),
    ]


def test_estimator_arguments_are_checked(call_log):
    for case in _log_argument_cases():
        call, name, value = case.values  # noqa: PD011 (a pytest.param, not pandas)
        check(call, name, value)


def _write(tmp_path, name, frame):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def raw_log():
    return make_call_log(1, seed=1).head(30).astype(object)


def test_read_call_log_names_the_column_and_row(raw_log, tmp_path):
    missing = _write(tmp_path, "missing.csv", raw_log.drop(columns=["q_time"]))
    assert_clear_error(lambda: read_call_log(missing), "q_time", show_value=False)
    cases = [
        ("q_time", 2, "soon"),
        ("ser_time", 3, "1.5"),
        ("call_id", 4, "1e30"),
        ("date", 5, "99-02-01"),
        ("date", 6, ""),
        ("vru_entry", 7, "7:61:00"),
        ("ser_start", 8, "noon"),
        ("q_exit", 9, "25:00:00"),
    ]
    for column, row, value in cases:
        broken = raw_log.copy()
        broken.loc[row, column] = value
        path = _write(tmp_path, f"{column}{row}.csv", broken)
        err = assert_clear_error(lambda path=path: read_call_log(path), column, value)
        assert f"row {row}" in str(err) and f"line {row + 2}" in str(err)


def test_read_call_log_counts_rows_of_the_file_not_of_what_is_kept(raw_log, tmp_path):
    broken = raw_log.copy()
    broken.loc[0, "outcome"] = "PHANTOM"  # dropped before dates are parsed
    broken.loc[5, "date"] = "xx"
    path = _write(tmp_path, "phantom.csv", broken)
    err = assert_clear_error(lambda: read_call_log(path), "date", "xx")
    assert "row 5" in str(err)


def test_read_call_log_refuses_what_is_not_a_call_log(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 8)
    cases = [
        (None, "path", None),
        (3, "path", 3),
        (tmp_path, "path", str(tmp_path)),
        (tmp_path / "nope.csv", "nope.csv", str(tmp_path / "nope.csv")),
        (empty, "empty.csv", NOSHOW),
        (binary, "binary.csv", NOSHOW),
    ]
    for path, name, value in cases:
        check(lambda path=path: read_call_log(path), name, value)
    for flag in ("drop_phantom", "drop_negative_vru"):
        for bad in ("yes", 1, None):
            check(
                lambda flag=flag, bad=bad: read_call_log(empty, **{flag: bad}),
                flag,
                bad,
            )


MAKE_CASES = [
    *params(
        "make_call_log.days",
        lambda v: make_call_log(v, seed=1),
        "days",
        [*COUNT_BAD, 367],
    ),
    *params(
        "make_call_log.seed",
        lambda v: make_call_log(1, seed=v),
        "seed",
        ["x", -1, 2.5, True],
    ),
    *params(
        "make_call_log.start",
        lambda v: make_call_log(1, seed=1, start=v),
        "start",
        [None, 20010107, "garbage", "", True, pd.Timestamp("2001-01-07", tz="UTC")],
    ),
    *params(
        "make_call_log.calibration",
        lambda v: make_call_log(1, seed=1, calibration=v),
        "calibration",
        [3, "default", MMc(1.0, 2.0, 1), CallCentreCalibration],
    ),
    *params(
        "Calibration.service_mean_s",
        lambda v: CallCentreCalibration(service_mean_s=v),
        "service_mean_s",
        [*POS_BAD, 1e308],
    ),
    *params(
        "Calibration.patience_mean_s",
        lambda v: CallCentreCalibration(patience_mean_s=v),
        "patience_mean_s",
        [*POS_BAD, 1e308],
    ),
    *params(
        "Calibration.calls_per_workday",
        lambda v: CallCentreCalibration(calls_per_workday=v),
        "calls_per_workday",
        [*NONNEG_BAD, 1e9],
    ),
    *params(
        "Calibration.workday_profile",
        lambda v: CallCentreCalibration(workday_profile=v),
        "workday_profile",
        [
            ((1.0,) * 5, 5),
            ((0.0,) * 24, NOSHOW),
            ((math.nan,) * 24, math.nan),
            ("flat", "flat"),
        ],
        shown="pairs",
    ),
    *params(
        "Calibration.type_shares",
        lambda v: CallCentreCalibration(type_shares=v),
        "type_shares",
        [("PS", "PS"), ((), ()), ((("PS", "x"),), "x"), ((("PS", 0.0),), NOSHOW)],
        shown="pairs",
    ),
]


@pytest.mark.parametrize(("call", "name", "value"), MAKE_CASES)
def test_make_call_log_refuses_bad_arguments(call, name, value):
    check(call, name, value)


# ------------------------------------------------------------------ perceived waits

MANAGED = WaitConditions(occupied=True)
PERCEIVED = PerceivedWaitModel()
QUEUE = MMc(9.0, 1.0, 10)

PERCEIVED_CASES = [
    *params(
        "announcement",
        announcement_patience_factor,
        "announcement",
        ["silence", 3, None, "Music"],
    ),
    *params(
        "hold_s",
        lambda v: announcement_patience_factor("music", hold_s=v),
        "hold_s",
        [*POS_BAD, 1e308],
    ),
    *[
        case
        for flag in (
            "occupied",
            "in_process",
            "anxious",
            "known_duration",
            "explained",
            "fair",
            "group",
        )
        for case in params(
            f"WaitConditions.{flag}",
            lambda v, flag=flag: WaitConditions(**{flag: v}),
            flag,
            ["no", "True", 1, 0, None, 1.0],
        )
    ],
    *params(
        "WaitConditions.service_value",
        lambda v: WaitConditions(service_value=v),
        "service_value",
        [*POS_BAD, 1e308],
    ),
    *params(
        "exponent",
        lambda v: PerceivedWaitModel(exponent=v),
        "exponent",
        [*POS_BAD, 5.0],
    ),
    *[
        case
        for field in ("scale", "reference_min", "acceptable_min", "tolerance_min")
        for case in params(
            f"PerceivedWaitModel.{field}",
            lambda v, field=field: PerceivedWaitModel(**{field: v}),
            field,
            [*POS_BAD, 1e308],
        )
    ],
    *params(
        "multipliers",
        lambda v: PerceivedWaitModel(multipliers=v),
        "multipliers",
        [
            (5, 5),
            ("occupied", "occupied"),
            ({"boredom": 1.1}, "boredom"),
            ({"occupied": -1.0}, -1.0),
            ({"occupied": 5.0}, 5.0),
            ({"occupied": "0.8"}, "0.8"),
        ],
        shown="pairs",
    ),
    *params("perceived", PERCEIVED.perceived, "actual_min", TIME_BAD, shown="pairs"),
    *params("evaluation", PERCEIVED.evaluation, "actual_min", TIME_BAD, shown="pairs"),
    *params(
        "breakdown",
        PERCEIVED.breakdown,
        "actual_min",
        [*NONNEG_BAD, [1.0, 2.0]],
    ),
    *params(
        "perceived.huge",
        PerceivedWaitModel(exponent=2.5).perceived,
        "actual_min",
        [1e308],
    ),
    *params(
        "perceived.conditions",
        lambda v: PERCEIVED.perceived(3.0, v),
        "conditions",
        [QUEUE, "calm", 3, {"occupied": True}],
    ),
    *params("factors", PERCEIVED.factors, "conditions", [QUEUE, "calm"]),
    *params("acceptable", PERCEIVED.acceptable, "conditions", [QUEUE, 1.0]),
    *params(
        "expected_perceived_wait.model",
        PERCEIVED.expected_perceived_wait,
        "model",
        [(MANAGED, NOSHOW), (None, None), (3, 3), (MG1(0.5, 1.0), MG1(0.5, 1.0))],
        shown="pairs",
    ),
    *params(
        "expected_perceived_wait.conditions",
        lambda v: PERCEIVED.expected_perceived_wait(QUEUE, v),
        "conditions",
        [QUEUE, "calm"],
    ),
    *params(
        "expected_perceived_wait.minutes",
        lambda v: PERCEIVED.expected_perceived_wait(QUEUE, minutes_per_time_unit=v),
        "minutes_per_time_unit",
        [*POS_BAD, 1e308],
    ),
]


@pytest.mark.parametrize(("call", "name", "value"), PERCEIVED_CASES)
def test_perceived_waits_refuse_bad_arguments(call, name, value):
    check(call, name, value)


def test_swapped_model_and_conditions_are_named():
    err = assert_clear_error(
        lambda: PERCEIVED.expected_perceived_wait(MANAGED, QUEUE),
        "model",
        show_value=False,
    )
    assert "model first" in str(err)
    err = assert_clear_error(
        lambda: PERCEIVED.perceived(3.0, QUEUE), "conditions", show_value=False
    )
    assert "swap" in str(err)
