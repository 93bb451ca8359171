"""Bad input to the summary generators, the opportunity histories and
opportunity_holdout gets a clear crmkit error naming the argument."""

from __future__ import annotations

import math

import pytest

from crmkit.clv import (
    make_bgnbd_summary,
    make_gamma_gamma_summary,
    make_mbgnbd_summary,
    make_opportunity_histories,
    opportunity_holdout,
)
from tests.adversarial import BAD_POSITIVE, assert_clear_error

COVERS = (
    "crmkit.clv.make_bgnbd_summary",
    "crmkit.clv.make_mbgnbd_summary",
    "crmkit.clv.make_gamma_gamma_summary",
    "crmkit.clv.make_opportunity_histories",
    "crmkit.clv.opportunity_holdout",
)

CASES = []
for make in (make_bgnbd_summary, make_mbgnbd_summary):
    for key in ("r", "alpha", "a", "b"):
        for bad in BAD_POSITIVE:
            CASES.append(
                (lambda make=make, k=key, v=bad: make(5, 1, **{k: v}), key, bad)
            )
    for bad in (0, -1, 1.5, "3"):
        CASES.append((lambda make=make, v=bad: make(v, 1), "n_customers", bad))
    for bad in (-1.0, math.nan, "x"):
        CASES.append((lambda make=make, v=bad: make(5, 1, T=v), "T", bad))
    CASES.append((lambda make=make: make(5, 1, T=[1.0, 2.0]), "T", 2))
    CASES.append((lambda make=make: make(5, 1, T=0.0), "T", 0))
    CASES.append((lambda make=make: make(5, 1, truth="yes"), "truth", "yes"))
for key in ("p", "q", "gamma"):
    for bad in BAD_POSITIVE:
        CASES.append(
            (lambda k=key, v=bad: make_gamma_gamma_summary(5, 1, **{k: v}), key, bad)
        )
for bad in (-1, 1.5, math.nan):
    CASES.append(
        (lambda v=bad: make_gamma_gamma_summary(5, 1, frequency=v), "frequency", bad)
    )
CASES.append((lambda: make_gamma_gamma_summary(5, 1, frequency=[1, 2]), "frequency", 2))
for key in ("alpha", "beta", "gamma", "delta"):
    for bad in BAD_POSITIVE:
        CASES.append(
            (lambda k=key, v=bad: make_opportunity_histories(5, 1, **{k: v}), key, bad)
        )
for bad in (0, 1.5, "6"):
    CASES.append(
        (lambda v=bad: make_opportunity_histories(5, 1, n_periods=v), "n_periods", bad)
    )
CASES += [
    (lambda: opportunity_holdout([1, 0, 1], 1), "activity", "(3,)"),
    (lambda: opportunity_holdout([[1], [0]], 1), "activity", "(2, 1)"),
    (lambda: opportunity_holdout([[1, 2, 0]], 1), "activity", 2),
    (lambda: opportunity_holdout([[1, math.nan, 0]], 1), "activity", "nan"),
    (lambda: opportunity_holdout([[1, 0, 0]], 0), "calibration_periods", 0),
    (lambda: opportunity_holdout([[1, 0, 0]], 3), "calibration_periods", 3),
    (lambda: opportunity_holdout([[1, 0, 0]], 1.5), "calibration_periods", 1.5),
]


@pytest.mark.parametrize(("call", "name", "value"), CASES)
def test_bad_input_is_refused_clearly(call, name, value):
    assert_clear_error(call, name, value)
