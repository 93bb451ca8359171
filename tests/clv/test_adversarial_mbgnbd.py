"""Bad input to MBGNBD and to the methods the BG/NBD family gained (prob_purchases,
dert, clv, weights, summary) gets a clear crmkit error naming the argument."""

from __future__ import annotations

import math

import pytest

from crmkit.clv import BGNBD, MBGNBD
from tests.adversarial import BAD_POSITIVE, NOT_NUMBERS, assert_clear_error

COVERS = ("crmkit.clv.MBGNBD",)

PARAMS = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}
DATA = {"frequency": [0, 2, 1], "recency": [0.0, 30.4, 2.0], "T": [38.9, 38.9, 30.0]}


def _model(cls):
    return cls(params_=dict(PARAMS))


CASES = []
for cls in (MBGNBD, BGNBD):
    for key in PARAMS:
        for bad in BAD_POSITIVE + NOT_NUMBERS[:3]:
            CASES.append(
                (
                    lambda cls=cls, key=key, bad=bad: cls(params_={**PARAMS, key: bad}),
                    f"params_['{key}']",
                    bad,
                )
            )
    for bad in (-1, 1.5, math.nan, "3"):
        CASES.append(
            (lambda cls=cls, bad=bad: _model(cls).prob_purchases(bad, 39.0), "n", bad)
        )
        CASES.append(
            (
                lambda cls=cls, bad=bad: _model(cls).prob_purchases([0, bad], 1),
                "n",
                None,
            )
        )
    for bad in (-1.0, math.nan, math.inf, "1"):
        CASES.append(
            (lambda cls=cls, bad=bad: _model(cls).prob_purchases(1, bad), "t", bad)
        )
    for bad in (-0.1, 1.5, math.nan, "0.1", None):
        CASES.append(
            (
                lambda cls=cls, bad=bad: _model(cls).dert(bad, **DATA),
                "discount_rate",
                bad,
            )
        )
    for bad in (math.nan, math.inf, "10"):
        CASES.append(
            (lambda cls=cls, bad=bad: _model(cls).clv(bad, 0.01, **DATA), "margin", bad)
        )
    for bad in ([1, -1, 1], [1, math.nan, 1], [1, 1]):
        CASES.append(
            (lambda cls=cls, bad=bad: cls().fit(**DATA, weights=bad), "weights", None)
        )
    CASES.append(
        (lambda cls=cls: cls().fit([0, 2], [3.0, 1.0], [5.0, 5.0]), "frequency", None)
    )
    CASES.append(
        (lambda cls=cls: _model(cls).dert(0.01, [1], [6.0], [5.0]), "recency", None)
    )
    CASES.append(
        (lambda cls=cls: cls().fit([0, 0], [0.0, 0.0], [5.0, 5.0]), "frequency", None)
    )
    CASES.append((lambda cls=cls: _model(cls).summary(), "fit", None))


@pytest.mark.parametrize(("call", "name", "value"), CASES)
def test_bad_input_is_refused_clearly(call, name, value):
    if name == "fit":  # hand-set parameters have no standard errors
        with pytest.raises(ValueError, match="has no fit to summarise"):
            call()
        return
    assert_clear_error(call, name, value, show_value=value is not None)
