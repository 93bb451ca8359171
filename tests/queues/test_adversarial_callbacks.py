"""Bad input to the callback model is refused with a crmkit error that names the
argument, shows the value and says what to pass instead
(:func:`tests.adversarial.assert_clear_error`)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from crmkit.errors import ParameterError, UnstableQueueError
from crmkit.queues import Callbacks
from tests.adversarial import assert_clear_error, stable_id

pytestmark = pytest.mark.adversarial


@pytest.fixture(autouse=True)
def _one_blas_thread():
    """Dense R and LU steps on one BLAS thread: on a shared 2-core machine several
    threads per test only compete (the results are the same)."""
    with threadpool_limits(1):
        yield


COVERS = ("crmkit.queues.Callbacks",)

GOOD = {
    "arrival_rate": 2.0,
    "service_rate": 1.0,
    "servers": 3,
    "threshold": 1,
    "accept_prob": 0.5,
    "abandonment_rate": 1.0,
}
MODEL = Callbacks(**GOOD)

BAD_ARGUMENTS = [
    *[("arrival_rate", v) for v in (-1.0, 0.0, math.nan, math.inf, "2", True, None)],
    *[("service_rate", v) for v in (0.0, -1.0, math.nan, "fast", 1e308)],
    *[("servers", v) for v in (0, 2.5, "3", -1, 10**9, math.nan)],
    *[("threshold", v) for v in (-1, 1.5, "1", 10**10, math.nan, None)],
    *[("accept_prob", v) for v in (-0.1, 1.5, 80, math.nan, "0.5", math.inf)],
    *[("abandonment_rate", v) for v in (-0.1, math.nan, "1", math.inf)],
    *[("callback_service_rate", v) for v in (0.0, -1.0, "x", math.nan)],
    *[("mode", v) for v in ("preemptive", 3, None)],
]


@pytest.mark.parametrize(("name", "value"), BAD_ARGUMENTS, ids=stable_id)
def test_bad_arguments_are_refused(name, value):
    args = {**GOOD, name: value}
    assert_clear_error(lambda: Callbacks(**args), name, value)


@pytest.mark.parametrize(
    ("extra", "name", "value"),
    [
        ({"reserve": 1}, "reserve", 1),  # a reserve only in mode "idle_only"
        ({"mode": "idle_only", "reserve": 3}, "reserve", 3),  # not below servers
        ({"mode": "idle_only", "reserve": -1}, "reserve", -1),
        ({"mode": "idle_only", "reserve": 1.5}, "reserve", 1.5),
        ({"mode": "idle_only", "reserve": "1"}, "reserve", "1"),
    ],
    ids=stable_id,
)
def test_a_bad_reserve_is_refused(extra, name, value):
    assert_clear_error(lambda: Callbacks(**{**GOOD, **extra}), name, value)


@pytest.mark.parametrize(
    ("args", "name", "value"),
    [
        # patient callers, more work than the agents can do at their faster rate
        ((3.5, 1.0, 3, 1, 0.5, 0.0), "arrival_rate", 3.5),
        # the callers who stay on the line alone overload the agents
        ((5.0, 1.0, 3, 1, 0.3, 0.0, 2.0), "arrival_rate", 5.0),
        # callers abandon, but the callbacks (who never do) pile up
        ((4.0, 1.0, 3, 1, 0.5, 1.0), "accept_prob", 0.5),
        ((2.9, 1.0, 3, 0, 1.0, 1.0, 1.0, "idle_only", 2), "accept_prob", 1.0),
    ],
    ids=stable_id,
)
def test_unstable_systems_are_refused(args, name, value):
    err = assert_clear_error(lambda: Callbacks(*args), name, value)
    assert isinstance(err, UnstableQueueError)


@pytest.mark.parametrize(
    ("args", "name", "value"),
    [
        ((2.5, 1.0, 3, 1, 0.1, 0.0, 0.5), "abandonment_rate", 0),  # no bound known
        ((2.0, 1.0, 5000, 1, 0.5, 1.0), "servers", 5000),
        ((30.0, 1.0, 40, 0, 0.5, 0.05), "servers", 40),  # too many phases for R
        ((150.0, 1.0, 100, 0, 0.5, 0.001), "servers", 100),
    ],
    ids=stable_id,
)
def test_chains_beyond_the_work_limits_are_refused(args, name, value):
    err = assert_clear_error(lambda: Callbacks(*args), name, value)
    assert isinstance(err, ParameterError)


BAD_TIMES = [-1.0, math.nan, math.inf, "1", True, None, [0.5, -1.0], [], {"t": 1}]


@pytest.mark.parametrize("t", BAD_TIMES, ids=stable_id)
@pytest.mark.parametrize(
    "method", ["service_level", "prob_wait_exceeds", "offered_service_level"]
)
def test_bad_times_are_refused(method, t):
    assert_clear_error(lambda: getattr(MODEL, method)(t), "t", show_value=False)


def test_huge_times_settle():
    assert MODEL.service_level(1e100) == pytest.approx(1.0 - MODEL.prob_abandon)
    assert MODEL.prob_wait_exceeds(1e100) < 1e-17  # stops once below 1e-17
    assert MODEL.offered_service_level(1e100) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("wait_threshold", -0.5),
        ("wait_threshold", math.nan),
        ("wait_threshold", "1"),
        ("wait_threshold", 1e300),
        ("servers", 0),
        ("service_rate", -1.0),
    ],
    ids=stable_id,
)
def test_bad_wait_thresholds_are_refused(name, value):
    args = {
        "arrival_rate": 2.0,
        "service_rate": 1.0,
        "servers": 3,
        "wait_threshold": 0.5,
        "accept_prob": 0.5,
        name: value,
    }
    assert_clear_error(
        lambda: Callbacks.from_wait_threshold(**args, abandonment_rate=1.0), name, value
    )


@settings(max_examples=25, deadline=None)
@given(
    lam=st.floats(0.05, 6.0),
    c=st.integers(1, 4),
    thr=st.integers(0, 3),
    p=st.floats(0.0, 1.0),
    theta=st.floats(0.2, 3.0),
    ratio=st.floats(0.3, 3.0),
)
def test_any_valid_model_gives_probabilities_or_refuses_clearly(
    lam, c, thr, p, theta, ratio
):
    def build():
        return Callbacks(lam, 1.0, c, thr, p, theta, ratio)

    try:
        m = build()
    except ParameterError:  # unstable, or beyond the work limits: a clear message
        assert_clear_error(build, " = ", show_value=False)
        return
    for value in (m.prob_wait, m.prob_abandon, m.prob_offered, m.occupancy):
        assert 0.0 <= value <= 1.0
    levels = m.service_level(np.array([0.0, 0.5, 5.0]))
    assert np.all((levels >= 0) & (levels <= 1)) and np.all(np.diff(levels) >= -1e-12)
    assert m.mean_wait >= 0 and m.mean_callback_queue >= 0
