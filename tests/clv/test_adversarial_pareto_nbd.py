"""Bad input to the Pareto/NBD entry points gets a clear error: each case feeds one
bad value (NaN, ±inf, negatives, strings and bools where numbers belong, None,
recency > T, frequency 0 with recency > 0, fractional counts, hand-set parameters out
of range) to one argument, and :func:`tests.adversarial.assert_clear_error` checks
that a crmkit ``ValueError`` names the argument, shows the value and says how to fix
it. Every prediction applies the same data checks as ``fit``."""

from __future__ import annotations

import math

import pytest

from crmkit.clv import ParetoNBD, make_pareto_nbd_summary
from tests.adversarial import BAD_POSITIVE, NOT_NUMBERS, assert_clear_error

pytestmark = pytest.mark.adversarial

COVERS = ("crmkit.clv.ParetoNBD", "crmkit.clv.make_pareto_nbd_summary")

PARAMS = {"r": 0.5534, "alpha": 10.5802, "s": 0.6061, "beta": 11.6562}
GOOD = {"frequency": [2, 0, 5], "recency": [30.4, 0.0, 20.0], "T": [38.9, 38.9, 25.0]}


def _model():
    return ParetoNBD(params_=dict(PARAMS))


CALLS = {
    "fit": lambda d: ParetoNBD().fit(d["frequency"], d["recency"], d["T"]),
    "log_likelihood": lambda d: _model().log_likelihood(
        d["frequency"], d["recency"], d["T"]
    ),
    "prob_alive": lambda d: _model().prob_alive(d["frequency"], d["recency"], d["T"]),
    "expected_purchases": lambda d: _model().expected_purchases(
        39.0, d["frequency"], d["recency"], d["T"]
    ),
    "dert": lambda d: _model().dert(0.01, d["frequency"], d["recency"], d["T"]),
    "clv": lambda d: _model().clv(10.0, 0.01, d["frequency"], d["recency"], d["T"]),
}

ENTRY_BAD = [math.nan, math.inf, -1.0, "3", True, None, 1e308]


def _with(column, position, value):
    out = {k: list(v) for k, v in GOOD.items()}
    out[column][position] = value
    return out


DATA_CASES = [
    pytest.param(method, column, value, id=f"{method}-{column}-{value!r}")
    for method in CALLS
    for column in ("frequency", "recency", "T")
    for value in ENTRY_BAD
]


@pytest.mark.parametrize(("method", "column", "value"), DATA_CASES)
def test_bad_entries_are_refused_by_fit_and_every_prediction(method, column, value):
    assert_clear_error(lambda: CALLS[method](_with(column, 1, value)), column, value)


@pytest.mark.parametrize("method", list(CALLS))
def test_the_rules_linking_the_columns(method):
    call = CALLS[method]
    assert_clear_error(lambda: call(_with("recency", 2, 25.5)), "recency", 25.5)
    assert_clear_error(lambda: call(_with("recency", 1, 3.0)), "recency", 3.0)
    assert_clear_error(lambda: call(_with("frequency", 2, 2.5)), "frequency", 2.5)
    assert_clear_error(
        lambda: call({**GOOD, "T": [38.9, 38.9]}), "differ in length", show_value=False
    )


@pytest.mark.parametrize("value", BAD_POSITIVE + NOT_NUMBERS[:6])
@pytest.mark.parametrize("key", list(PARAMS))
def test_hand_set_parameters(key, value):
    assert_clear_error(
        lambda: ParetoNBD(params_={**PARAMS, key: value}), f"params_[{key!r}]", value
    )


@pytest.mark.parametrize("value", [-1.0, math.nan, math.inf, "1", None, True])
def test_horizons_rates_and_counts(value):
    m = _model()
    assert_clear_error(lambda: m.expected_purchases_new(value), "t", value)
    assert_clear_error(
        lambda: m.expected_purchases(value, [1], [1.0], [2.0]), "t", value
    )
    assert_clear_error(lambda: m.prob_purchases(2, value), "t", value)
    assert_clear_error(lambda: m.prob_purchases(value, 10.0), "n", value)
    assert_clear_error(lambda: m.dert(value, [1], [1.0], [2.0]), "discount_rate", value)
    if value != -1.0:  # a negative margin is a loss per transaction, allowed
        assert_clear_error(
            lambda: m.clv(value, 0.01, [1], [1.0], [2.0]), "margin", value
        )


@pytest.mark.parametrize("value", [0, -3, 2.5, math.nan, "10", None, True, 10**8])
def test_generator_size(value):
    assert_clear_error(
        lambda: make_pareto_nbd_summary(value, seed=1), "n_customers", value
    )


@pytest.mark.parametrize("key", ["r", "alpha", "s", "beta"])
@pytest.mark.parametrize("value", [0.0, -1.0, math.nan, math.inf, "1", None])
def test_generator_parameters(key, value):
    assert_clear_error(
        lambda: make_pareto_nbd_summary(10, seed=1, **{key: value}), key, value
    )


@pytest.mark.parametrize("value", [0.0, -1.0, math.nan, "1"])
def test_generator_observation_time(value):
    assert_clear_error(lambda: make_pareto_nbd_summary(3, seed=1, T=value), "T", value)


def test_a_prediction_before_a_fit_says_what_to_do():
    assert_clear_error(
        lambda: ParetoNBD().prob_alive([1], [1.0], [2.0]), "params_", show_value=False
    )
    assert_clear_error(lambda: ParetoNBD().summary(), "ParetoNBD", show_value=False)
