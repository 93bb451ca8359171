"""Bad input to the callback offer and to the redial and callback fields of
``QueueSpec`` gets a clear error that names the argument, shows the value and says
how to fix it (:func:`tests.adversarial.assert_clear_error`)."""

from __future__ import annotations

import math

import pytest

from crmkit.queues import (
    CallbackOffer,
    Exponential,
    PoissonArrivals,
    QueueSpec,
    Schedule,
    simulate,
)
from tests.adversarial import assert_clear_error, stable_id

pytestmark = pytest.mark.adversarial

COVERS = ("crmkit.queues.CallbackOffer",)

GOOD = {"threshold": 1, "accept_prob": 0.5}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        *[("threshold", v) for v in (-1, 1.5, "1", 10**10, math.nan, None, True)],
        *[("accept_prob", v) for v in (-0.1, 1.5, math.nan, "0.5", math.inf, None)],
        *[("reserve", v) for v in (-1, 0.5, "1", 10**9, None)],
        *[("service", v) for v in (1.0, "exp", [1.0])],
    ],
    ids=stable_id,
)
def test_bad_offers_are_refused(name, value):
    assert_clear_error(lambda: CallbackOffer(**{**GOOD, name: value}), name, value)


def _spec(**fields):
    base = {"arrivals": PoissonArrivals(4.0), "service": Exponential(1.0), "servers": 4}
    return QueueSpec(**{**base, **fields})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        *[("redial_prob", v) for v in (-0.5, 1.5, math.nan, "0.3", math.inf)],
        ("redial_delay", 5.0),
        ("redial_delay", "exp"),
        ("callbacks", {"threshold": 1}),
        ("callbacks", 0.5),
    ],
    ids=stable_id,
)
def test_bad_redial_and_callback_fields_are_refused(name, value):
    assert_clear_error(lambda: _spec(**{name: value}), name, value)


def test_redials_need_a_delay_and_the_combinations_are_checked():
    assert_clear_error(lambda: _spec(redial_prob=0.3), "redial_delay", 0.3)
    offer = CallbackOffer(1, 0.5)
    assert_clear_error(lambda: _spec(callbacks=offer, capacity=6), "capacity", 6)
    assert_clear_error(
        lambda: _spec(callbacks=offer, priority_shares=[0.5, 0.5]),
        "priority_shares",
        show_value=False,
    )
    # a schedule is simulated with redials and callbacks, but callbacks owed when the
    # last agent goes off duty would never be made
    _spec(servers=Schedule([0.0, 10.0], [4, 3]), callbacks=offer)
    closing = Schedule([0.0, 10.0], [4, 0])
    _spec(servers=closing, redial_prob=0.2, redial_delay=Exponential(1))
    assert_clear_error(
        lambda: _spec(servers=closing, callbacks=offer), "servers = 0", 10
    )
    spec = _spec(callbacks=offer)
    assert_clear_error(
        lambda: simulate(spec, customers=100, engine="recursion"), "engine", "recursion"
    )
