"""Bad input to every public entry point of :mod:`crmkit.clv` gets a clear error.

Each case feeds one bad value (NaN, ±inf, 0, negatives, 1e308, strings and bools where
numbers belong, None, empty or ragged arrays, recency > T, frequency 0 with recency
> 0, fractional counts, hand-set parameters out of range, objects in the wrong place)
to one argument and checks, with :func:`tests.adversarial.assert_clear_error`, that a
crmkit ``ValueError`` names the argument, shows the value and says how to fix it.
Every prediction method applies the same data checks as ``fit``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.clv import (
    BGBB,
    BGNBD,
    CDNOW_TRUTH,
    GammaGamma,
    ShiftedBetaGeometric,
    lifetime_value,
    make_opportunity_summary,
    make_renewals,
    make_transactions,
    retention_clv,
)
from crmkit.datasets import load_donations, load_retention_cohorts
from crmkit.errors import CrmkitError, DataError, ParameterError
from tests.adversarial import (
    BAD_POSITIVE,
    NOT_NUMBERS,
    assert_clear_error,
    bad_numbers,
)

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.clv.BGBB",
    "crmkit.clv.BGNBD",
    "crmkit.clv.GammaGamma",
    "crmkit.clv.ShiftedBetaGeometric",
    "crmkit.clv.lifetime_value",
    "crmkit.clv.make_opportunity_summary",
    "crmkit.clv.make_renewals",
    "crmkit.clv.make_transactions",
    "crmkit.clv.retention_clv",
    "crmkit.datasets.load_donations",
    "crmkit.datasets.load_retention_cohorts",
)
#: CDNOW_TRUTH, the other name in crmkit.clv.__all__, is a dict of constants
EXEMPT: dict[str, str] = {}

#: "do not check that the message shows the value" (it shows the offending entry)
NOSHOW = object()

BG = {k: CDNOW_TRUTH[k] for k in ("r", "alpha", "a", "b")}
GG = {k: CDNOW_TRUTH[k] for k in ("p", "q", "gamma")}
SBG = {"alpha": 0.704, "beta": 1.182}
BGBB_PARAMS = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
GOOD = {"frequency": [2, 0, 5], "recency": [30.4, 0.0, 20.0], "T": [38.9, 38.9, 25.0]}
SPEND = {"frequency": [2, 0, 5], "monetary_value": [22.35, 0.0, 40.0]}
SUMMARY = pd.DataFrame({**GOOD, "monetary_value": SPEND["monetary_value"]})
CONTRACTS = {"recency": [1, 8, 3], "T": [8, 8, 8]}
OPPORTUNITIES = {"frequency": [2, 0, 5], "recency": [4, 0, 6], "n_periods": [6, 6, 6]}


def check(call, name, value):
    if value is NOSHOW:
        return assert_clear_error(call, name, show_value=False)
    return assert_clear_error(call, name, value)


def cases(label, make, name, values):
    """One pytest.param per (bad input, value the message shows)."""
    return [
        pytest.param((lambda value=value: make(value)), name, shown, id=f"{label}-{i}")
        for i, (value, shown) in enumerate(values)
    ]


def entries(good, bad):
    """``good`` with its middle entry replaced by ``bad``."""
    out = list(good)
    out[1] = bad
    return out


#: bad entries of any data column (shown as themselves)
ENTRY_BAD = [math.nan, math.inf, -math.inf, -1.0, -1e-12, "3", True, None, 1e308]
#: bad whole columns, with the value the message shows
COLUMN_BAD = [
    (None, None),
    ("abc", "abc"),
    ({"a": 1.0}, NOSHOW),
    ({1.0, 2.0}, NOSHOW),
    ([], NOSHOW),
    (np.array([]), NOSHOW),
    ([True, False, True], NOSHOW),
    (pd.Series(["1", "2", "x"]), "1"),
    (pd.DataFrame({"x": [1, 2, 3]}), NOSHOW),
    ([[1.0], [2.0, 3.0], [1.0]], NOSHOW),
]


def column_cases(model, calls, good, entry_bad, rules, *, whole=COLUMN_BAD, name=str):
    """Cases for every method in ``calls`` (each called with a dict of columns): each
    column of ``good`` with one bad entry (``entry_bad``: (entry, shown) pairs) or
    bad as a whole (``whole``), then each rule linking the columns, ``{label:
    (column, the column made from a bad value, [(bad value, shown)])}``.
    ``name(column)`` is how the message names a column; a "ragged" rule's message
    says the columns differ in length."""
    out = []
    for method, call in calls.items():
        for column in good:
            out += cases(
                f"{model}.{method}.{column}",
                lambda v, call=call, column=column: call({**good, column: v}),
                name(column),
                [(entries(good[column], v), shown) for v, shown in entry_bad] + whole,
            )
        for label, (column, make, values) in rules.items():
            out += cases(
                f"{model}.{method}.{label}",
                lambda v, call=call, column=column, make=make: call(
                    {**good, column: make(v)}
                ),
                "differ in length" if label == "ragged" else name(column),
                values,
            )
    return out


# ------------------------------------------------------------------ BG/NBD data

BGNBD_CALLS = {
    "fit": lambda d: BGNBD().fit(d["frequency"], d["recency"], d["T"]),
    "prob_alive": lambda d: BGNBD(params_=dict(BG)).prob_alive(
        d["frequency"], d["recency"], d["T"]
    ),
    "expected_purchases": lambda d: BGNBD(params_=dict(BG)).expected_purchases(
        39.0, d["frequency"], d["recency"], d["T"]
    ),
    "log_likelihood": lambda d: BGNBD(params_=dict(BG)).log_likelihood(
        d["frequency"], d["recency"], d["T"]
    ),
    "lifetime_value": lambda d: lifetime_value(
        BGNBD(params_=dict(BG)),
        GammaGamma(params_=dict(GG)),
        pd.DataFrame({**d, "monetary_value": [22.35, 0.0, 40.0]}),
    ),
}

#: the rules linking the columns, for fit and every prediction alike
BTYD_RULES = {
    "recency>T": ("recency", lambda v: [30.4, 0.0, v], [(25.5, 25.5), (1e15, 1e15)]),
    "zero-frequency-with-recency": (
        "recency",
        lambda v: [30.4, v, 20.0],
        [(3.0, 3.0), (1e-9, 1e-9)],
    ),
    "fractional-count": ("frequency", lambda v: [2, 0, v], [(2.5, 2.5), (1e-3, 1e-3)]),
}
DATA_CASES = column_cases(
    "BGNBD",
    {k: v for k, v in BGNBD_CALLS.items() if k != "lifetime_value"},
    GOOD,
    [(v, v) for v in ENTRY_BAD],
    {
        **BTYD_RULES,
        "ragged": ("T", lambda v: v, [([38.9, 38.9], NOSHOW), ([38.9] * 4, NOSHOW)]),
    },
)
# a DataFrame column cannot hold the bad whole columns, and pandas reads None in a
# float column as NaN
DATA_CASES += column_cases(
    "BGNBD",
    {"lifetime_value": BGNBD_CALLS["lifetime_value"]},
    GOOD,
    [(v, math.nan if v is None else v) for v in ENTRY_BAD],
    BTYD_RULES,
    whole=[],
    name=lambda column: f"summary['{column}']",
)


@pytest.mark.parametrize(("call", "name", "value"), DATA_CASES)
def test_bgnbd_data_is_checked_by_fit_and_every_prediction(call, name, value):
    check(call, name, value)


def test_a_prediction_refuses_what_the_fit_refuses():
    # the case found first: prob_alive accepted recency > T, which fit refuses
    model = BGNBD(params_=dict(BG))
    for call in (model.fit, model.prob_alive, model.log_likelihood):
        err = assert_clear_error(
            lambda call=call: call([2], [12.0], [10.0]), "recency", 12.0
        )
        assert isinstance(err, DataError)
        assert "T = 10" in str(err)


@settings(max_examples=40, deadline=None)
@given(
    column=st.sampled_from(["frequency", "recency", "T"]),
    position=st.integers(0, 2),
    bad=st.one_of(
        st.sampled_from([math.nan, math.inf, -math.inf, None, True, False, "1"]),
        st.floats(max_value=-1e-300, allow_nan=False, allow_infinity=False),
        st.floats(min_value=1.01e15, allow_nan=False, allow_infinity=False),
        st.text(max_size=4),
    ),
    method=st.sampled_from(["fit", "prob_alive", "expected_purchases"]),
)
def test_any_bad_entry_anywhere_is_refused(column, position, bad, method):
    data = {k: list(v) for k, v in GOOD.items()}
    data[column][position] = bad
    check(lambda: BGNBD_CALLS[method](data), column, bad)


# ------------------------------------------------------------------ horizons

T_BAD = [(v, v) for v in [*BAD_POSITIVE, *NOT_NUMBERS] if v != 0.0]
T_BAD += [(1e308, 1e308), (2e15, 2e15)]


@pytest.mark.parametrize(
    ("call", "name", "value"),
    cases(
        "expected_purchases.t",
        lambda v: BGNBD(params_=dict(BG)).expected_purchases(v, **GOOD),
        "t",
        T_BAD,
    )
    + cases(
        "expected_purchases_new.t",
        lambda v: BGNBD(params_=dict(BG)).expected_purchases_new(v),
        "t",
        [(v, s) for v, s in T_BAD if not isinstance(v, list)]
        + [
            ([1.0, -1.0], -1.0),
            ([1.0, math.nan], math.nan),
            (["1"], "1"),
            ([], NOSHOW),
            ([1.0, True], True),
        ],
    ),
)
def test_horizons(call, name, value):
    check(call, name, value)


def test_expected_purchases_new_refuses_a_negative_horizon():
    model = BGNBD(params_=dict(BG))
    assert model.expected_purchases_new(0.0) == 0.0
    assert_clear_error(lambda: model.expected_purchases_new(-1), "t", -1)


@settings(max_examples=30, deadline=None)
@given(bad=bad_numbers(allow_zero=True))
def test_any_bad_horizon(bad):
    model = BGNBD(params_=dict(BG))
    check(lambda: model.expected_purchases(bad, **GOOD), "t", bad)


# ------------------------------------------------------------------ parameters

PARAM_BAD = [
    0.0,
    -1.0,
    -1e-12,
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    1e-320,
    "0.5",
    True,
    None,
    [1.0],
]


#: each model with good parameters, and one prediction that uses them
MODEL_PARAMS = {
    "BGNBD": (BGNBD, BG, lambda m: m.prob_alive(**GOOD)),
    "GammaGamma": (GammaGamma, GG, lambda m: m.expected_spend(**SPEND)),
    "sBG": (ShiftedBetaGeometric, SBG, lambda m: m.survival(3)),
    "BGBB": (BGBB, BGBB_PARAMS, lambda m: m.prob_alive(**OPPORTUNITIES)),
}


def _set_later(model, params, predict, key, value):
    """A good model whose ``params_[key]`` is changed to ``value`` after it was made,
    then used."""
    m = model(params_=dict(params))
    m.params_[key] = value
    return predict(m)


PARAM_CASES = []
for label, (model, params, predict) in MODEL_PARAMS.items():
    for key in params:
        PARAM_CASES += cases(
            f"{label}.params_.{key}",
            lambda v, model=model, params=params, key=key: model(
                params_={**params, key: v}
            ),
            f"params_['{key}']",
            [(v, v) for v in PARAM_BAD],
        )
        PARAM_CASES += cases(
            f"{label}.params_.{key}.set-later",
            lambda v, model=model, params=params, predict=predict, key=key: _set_later(
                model, params, predict, key, v
            ),
            f"params_['{key}']",
            [(v, v) for v in PARAM_BAD],
        )
PARAM_CASES += cases(
    "BGNBD.params_.not-a-dict",
    lambda v: BGNBD(params_=v),
    "params_",
    [([0.2, 4.0, 0.8, 2.4], [0.2, 4.0, 0.8, 2.4]), ("r=0.2", "r=0.2"), (3.0, 3.0)],
)
PARAM_CASES += cases(
    "BGNBD.params_.keys",
    lambda v: BGNBD(params_=v),
    "params_",
    [
        ({"r": 0.2, "alpha": 4.0, "a": 0.8}, NOSHOW),
        ({**BG, "c": 1.0}, NOSHOW),
        ({"R": 0.2, "alpha": 4.0, "a": 0.8, "b": 2.4}, NOSHOW),
    ],
)
PARAM_CASES += cases(
    "GammaGamma.q<=1",
    lambda v: GammaGamma(params_={**GG, "q": v}).mean_spend,
    "params_['q']",
    [(1.0, 1.0), (0.5, 0.5)],
)
PARAM_CASES += cases(
    "GammaGamma.q<=1.expected_spend",
    lambda v: GammaGamma(params_={**GG, "q": v}).expected_spend(**SPEND),
    "params_['q']",
    [(1.0, 1.0), (0.999, 0.999)],
)
PARAM_CASES += cases(
    "unfitted",
    lambda v: v(),
    "params_",
    [
        (lambda: BGNBD().prob_alive(**GOOD), NOSHOW),
        (lambda: BGNBD().expected_purchases_new(1.0), NOSHOW),
        (lambda: GammaGamma().mean_spend, NOSHOW),
        (lambda: GammaGamma().expected_spend(**SPEND), NOSHOW),
        (lambda: BGBB().prob_alive(**OPPORTUNITIES), NOSHOW),
        (lambda: ShiftedBetaGeometric().survival(3), NOSHOW),
    ],
)


@pytest.mark.parametrize(("call", "name", "value"), PARAM_CASES)
def test_hand_set_parameters(call, name, value):
    check(call, name, value)


def test_hand_set_spend_parameters_never_give_a_negative_mean():
    # this used to return a negative mean spend
    err = assert_clear_error(
        lambda: GammaGamma(params_={"p": 6.25, "q": 3.74, "gamma": -15.44}).mean_spend,
        "params_['gamma']",
        -15.44,
    )
    assert isinstance(err, ParameterError)


# ------------------------------------------------------------------ Gamma-Gamma data

SPEND_CALLS = {
    "fit": lambda d: GammaGamma().fit(d["frequency"], d["monetary_value"]),
    "expected_spend": lambda d: GammaGamma(params_=dict(GG)).expected_spend(
        d["frequency"], d["monetary_value"]
    ),
    "log_likelihood": lambda d: GammaGamma(params_=dict(GG)).log_likelihood(
        d["frequency"], d["monetary_value"]
    ),
}
SPEND_CASES = column_cases(
    "GammaGamma",
    SPEND_CALLS,
    SPEND,
    [(v, v) for v in ENTRY_BAD],
    {
        "free-repeat-purchases": (
            "monetary_value",
            lambda v: [22.35, 0.0, v],
            [(0.0, 0.0)],
        ),
        "fractional-count": ("frequency", lambda v: [2, 0, v], [(2.5, 2.5)]),
    },
)
SPEND_CASES += cases(
    "GammaGamma.fit.too-few",
    lambda v: GammaGamma().fit(v, [10.0, 0.0, 20.0]),
    "repeat buyer",
    [([1, 0, 1], NOSHOW)],
)


@pytest.mark.parametrize(("call", "name", "value"), SPEND_CASES)
def test_spend_data(call, name, value):
    check(call, name, value)


# ------------------------------------------------------------------ retention_clv

PROB_BAD = [-0.1, 1.0, 1.5, 80, math.nan, math.inf, "0.8", True, None, [0.5]]
RATE_BAD = [-0.1, -1e-12, 10, 1e308, math.nan, math.inf, "0.1", True, None, [0.1]]
COUNT_BAD = [0, -1, 2.5, math.nan, math.inf, "3", True, [1], 1 + 0j, 1e308]
MARGIN_BAD = [math.nan, math.inf, -math.inf, *NOT_NUMBERS]

RETENTION_CASES = (
    cases(
        "retention_clv.margin",
        lambda v: retention_clv(v, 0.8, 0.1),
        "margin",
        [(v, v) for v in MARGIN_BAD] + [(1e308, 1e308)],
    )
    + cases(
        "retention_clv.retention",
        lambda v: retention_clv(100, v, 0.1),
        "retention",
        [(v, v) for v in PROB_BAD],
    )
    + cases(
        "retention_clv.discount_rate",
        lambda v: retention_clv(100, 0.8, v),
        "discount_rate",
        [(v, v) for v in RATE_BAD],
    )
    + cases(
        "retention_clv.periods",
        lambda v: retention_clv(100, 0.8, 0.1, v),
        "periods",
        [(v, v) for v in COUNT_BAD],
    )
    + cases(
        "retention_clv.timing",
        lambda v: retention_clv(100, 0.8, 0.1, timing=v),
        "timing",
        [("middle", "middle"), (None, None), (1, 1), ("END", "END")],
    )
)


@pytest.mark.parametrize(("call", "name", "value"), RETENTION_CASES)
def test_retention_clv(call, name, value):
    check(call, name, value)


def test_a_negative_margin_is_a_loss_not_an_error():
    assert retention_clv(-100, 0.8, 0.1) == pytest.approx(-100 * 0.8 / 0.3)


@settings(max_examples=30, deadline=None)
@given(bad=bad_numbers(allow_zero=True))
def test_any_bad_discount_rate(bad):
    check(lambda: retention_clv(100, 0.8, bad), "discount_rate", bad)


# ------------------------------------------------------------------ lifetime_value

MODELS = (BGNBD(params_=dict(BG)), GammaGamma(params_=dict(GG)))

LIFETIME_CASES = (
    cases(
        "lifetime_value.bgnbd",
        lambda v: lifetime_value(v, MODELS[1], SUMMARY),
        "bgnbd",
        [(None, None), ("model", "model"), (MODELS[1], NOSHOW), (BGNBD(), NOSHOW)],
    )
    + cases(
        "lifetime_value.gamma_gamma",
        lambda v: lifetime_value(MODELS[0], v, SUMMARY),
        "gamma_gamma",
        [(None, None), (MODELS[0], NOSHOW), (GammaGamma(), NOSHOW)],
    )
    + cases(
        "lifetime_value.summary",
        lambda v: lifetime_value(*MODELS, v),
        "summary",
        [
            (None, None),
            (GOOD, NOSHOW),
            (SUMMARY.drop(columns="T"), NOSHOW),
            (SUMMARY.iloc[:0], NOSHOW),
        ],
    )
    + cases(
        "lifetime_value.monetary",
        lambda v: lifetime_value(*MODELS, SUMMARY.assign(monetary_value=v)),
        "monetary_value",
        [([22.35, 0.0, 0.0], 0.0), ([22.35, math.nan, 1.0], math.nan)],
    )
    + cases(
        "lifetime_value.periods",
        lambda v: lifetime_value(*MODELS, SUMMARY, periods=v),
        "periods",
        [(v, v) for v in [*COUNT_BAD, None, 10**6]],
    )
    + cases(
        "lifetime_value.period_length",
        lambda v: lifetime_value(*MODELS, SUMMARY, period_length=v),
        "period_length",
        [(v, v) for v in [*BAD_POSITIVE, *NOT_NUMBERS, 1e308]],
    )
    + cases(
        "lifetime_value.discount_rate",
        lambda v: lifetime_value(*MODELS, SUMMARY, discount_rate=v),
        "discount_rate",
        [(v, v) for v in RATE_BAD],
    )
    + cases(
        "lifetime_value.margin",
        lambda v: lifetime_value(*MODELS, SUMMARY, margin=v),
        "margin",
        [(v, v) for v in [-0.1, 30, math.nan, math.inf, "0.3", True, None]],
    )
)


@pytest.mark.parametrize(("call", "name", "value"), LIFETIME_CASES)
def test_lifetime_value(call, name, value):
    check(call, name, value)


def test_lifetime_value_refuses_a_huge_request_at_once():
    big = pd.concat([SUMMARY] * 4000, ignore_index=True)  # 12,000 customers
    check(lambda: lifetime_value(*MODELS, big, periods=10_000), "periods", NOSHOW)


# ------------------------------------------------------------------ generators

#: every generator with the names of its model parameters
GENERATORS = {
    "make_transactions": (
        make_transactions,
        ("r", "alpha", "a", "b", "p", "q", "gamma"),
    ),
    "make_renewals": (make_renewals, ("alpha", "beta")),
    "make_opportunity_summary": (
        make_opportunity_summary,
        ("alpha", "beta", "gamma", "delta"),
    ),
}
GEN_CASES = []
for label, (make, keys) in GENERATORS.items():
    GEN_CASES += cases(
        f"{label}.n_customers",
        lambda v, make=make: make(v, seed=1),
        "n_customers",
        [(v, v) for v in [*COUNT_BAD, None, 10**12]],
    )
    GEN_CASES += cases(
        f"{label}.seed",
        lambda v, make=make: make(5, seed=v),
        "seed",
        [("1", "1"), (1.5, 1.5), (-1, -1), (True, True), ([1], [1])],
    )
    for key in keys:
        GEN_CASES += cases(
            f"{label}.{key}",
            lambda v, make=make, key=key: make(5, seed=1, **{key: v}),
            key,
            [(v, v) for v in [*BAD_POSITIVE, *NOT_NUMBERS, 1e308]],
        )
for make in (make_renewals, make_opportunity_summary):
    GEN_CASES += cases(
        f"{make.__name__}.n_periods",
        lambda v, make=make: make(5, seed=1, n_periods=v),
        "n_periods",
        [(v, v) for v in [0, -1, 2.5, math.nan, "6", True, 10**7]],
    )
GEN_CASES += (
    cases(
        "make_transactions.acquisition_weeks",
        lambda v: make_transactions(5, seed=1, acquisition_weeks=v),
        "acquisition_weeks",
        [(v, v) for v in [-1.0, 100.0, math.nan, math.inf, "12", True, None]],
    )
    + cases(
        "make_transactions.observe_weeks",
        lambda v: make_transactions(5, seed=1, observe_weeks=v),
        "observe_weeks",
        [(v, v) for v in [*BAD_POSITIVE, *NOT_NUMBERS, 1e308]],
    )
    + cases(
        "make_transactions.start",
        lambda v: make_transactions(5, seed=1, start=v),
        "start",
        [(19970101, 19970101), ("not a date", "not a date"), (None, NOSHOW)],
    )
    + cases(
        "make_transactions.truth",
        lambda v: make_transactions(5, seed=1, truth=v),
        "truth",
        [("yes", "yes"), (1, 1), (None, None)],
    )
    + cases(
        "make_transactions.rate",
        lambda v: make_transactions(10**6, seed=1, alpha=v),
        "purchases",
        [(1e-6, NOSHOW)],
    )
    + cases(
        "make_transactions.spend-underflow",
        lambda v: make_transactions(50, seed=1, q=v),
        "q",
        [(1e-300, 1e-300)],
    )
)


@pytest.mark.parametrize(("call", "name", "value"), GEN_CASES)
def test_generators(call, name, value):
    check(call, name, value)


@settings(max_examples=30, deadline=None)
@given(
    key=st.sampled_from(["r", "alpha", "a", "b", "p", "q", "gamma"]), bad=bad_numbers()
)
def test_any_bad_model_parameter(key, bad):
    check(lambda: make_transactions(5, seed=1, **{key: bad}), key, bad)


# ------------------------------------------------------------------ sBG and BG/BB

#: bad entries of a column of whole periods (shown as themselves)
PERIOD_BAD = [math.nan, math.inf, -1.0, 2.5, "3", True, None, 1e308]
#: bad horizons / periods given as one number
SCALAR_PERIOD_BAD = [-1, 2.5, math.nan, math.inf, "3", True, None, 1e308]
RATE_BAD_D = [-0.1, 1.5, math.nan, math.inf, "0.1", True, None]


def _sbg():
    return ShiftedBetaGeometric(params_=dict(SBG))


def _bgbb():
    return BGBB(params_=dict(BGBB_PARAMS))


SBG_DATA_CALLS = {
    "fit": lambda d: ShiftedBetaGeometric().fit(d["recency"], d["T"]),
    "log_likelihood": lambda d: _sbg().log_likelihood(d["recency"], d["T"]),
}
DISCRETE_CASES = column_cases(
    "sBG",
    SBG_DATA_CALLS,
    CONTRACTS,
    [(v, v) for v in [*PERIOD_BAD, 0.0]],
    {"recency>T": ("recency", lambda v: [1, 8, v], [(9, 9), (1e6, 1e6)])},
)
DISCRETE_CASES += cases(
    "sBG.fit_survivors.counts",
    lambda v: ShiftedBetaGeometric().fit_survivors(v),
    "counts",
    [(entries([1000, 631, 468], v), v) for v in [*PERIOD_BAD, -5.0]]
    + [([1000, 600, 700], 700), ([0, 0, 0], 0), ([1000], NOSHOW)]
    + COLUMN_BAD,
)
DISCRETE_CASES += cases(
    "sBG.fit.weights",
    lambda v: ShiftedBetaGeometric().fit(**CONTRACTS, weights=v),
    "weights",
    [(entries([1, 2, 3], v), v) for v in [math.nan, -1.0, "2", None]]
    + [([0, 0, 0], NOSHOW), ([1, 2], NOSHOW)],
)
for method in ("survival", "retention", "churn_probability"):
    DISCRETE_CASES += cases(
        f"sBG.{method}.t",
        lambda v, method=method: getattr(_sbg(), method)(v),
        "t",
        [(v, v) for v in SCALAR_PERIOD_BAD] + [([1, -1], -1), ([1, "2"], "2")],
    )
DISCRETE_CASES += cases(
    "sBG.retention.t=0", lambda v: _sbg().retention(v), "t", [(0, 0), ([1, 0], 0)]
)
DISCRETE_CASES += cases(
    "sBG.residual_lifetime.periods_active",
    lambda v: _sbg().residual_lifetime(v, 0.1),
    "periods_active",
    [(v, v) for v in [*SCALAR_PERIOD_BAD, 0]],
)
DISCRETE_CASES += cases(
    "sBG.summary.level",
    lambda v: ShiftedBetaGeometric().fit_survivors([1000, 631, 468]).summary(v),
    "level",
    [(v, v) for v in [0.0, 1.0, 95, math.nan, "0.95", None]],
)

BGBB_DATA_CALLS = {
    "fit": lambda d: BGBB().fit(d["frequency"], d["recency"], d["n_periods"]),
    "log_likelihood": lambda d: _bgbb().log_likelihood(
        d["frequency"], d["recency"], d["n_periods"]
    ),
    "prob_alive": lambda d: _bgbb().prob_alive(
        d["frequency"], d["recency"], d["n_periods"]
    ),
    "expected_purchases": lambda d: _bgbb().expected_purchases(
        3, d["frequency"], d["recency"], d["n_periods"]
    ),
    "dert": lambda d: _bgbb().dert(0.1, d["frequency"], d["recency"], d["n_periods"]),
    "clv": lambda d: _bgbb().clv(
        10.0, 0.1, d["frequency"], d["recency"], d["n_periods"]
    ),
}
DISCRETE_CASES += column_cases(
    "BGBB",
    BGBB_DATA_CALLS,
    OPPORTUNITIES,
    [(v, v) for v in PERIOD_BAD],
    {
        "recency>n_periods": ("recency", lambda v: [4, 0, v], [(7, 7), (100, 100)]),
        "frequency>recency": ("frequency", lambda v: [2, 0, v], [(7, 7)]),
        "zero-frequency-with-recency": ("recency", lambda v: [4, v, 6], [(3, 3)]),
        "ragged": ("n_periods", lambda v: v, [([6, 6], NOSHOW)]),
    },
)
DISCRETE_CASES += cases(
    "BGBB.fit.weights",
    lambda v: BGBB().fit(**OPPORTUNITIES, weights=v),
    "weights",
    [(entries([1, 2, 3], v), v) for v in [math.nan, -1.0, "2", None, math.inf]]
    + [([0, 0, 0], NOSHOW), ([1, 2], NOSHOW)],
)
DISCRETE_CASES += cases(
    "BGBB.expected_purchases.t",
    lambda v: _bgbb().expected_purchases(v, **OPPORTUNITIES),
    "t",
    [(v, v) for v in SCALAR_PERIOD_BAD],
)
DISCRETE_CASES += cases(
    "BGBB.expected_purchases_new.n_periods",
    lambda v: _bgbb().expected_purchases_new(v),
    "n_periods",
    [(v, v) for v in SCALAR_PERIOD_BAD] + [([1, -1], -1)],
)
DISCRETE_CASES += cases(
    "BGBB.prob_purchases.x",
    lambda v: _bgbb().prob_purchases(v, 6),
    "x",
    [(v, v) for v in SCALAR_PERIOD_BAD] + [([0, 2.5], 2.5)],
)
DISCRETE_CASES += cases(
    "BGBB.prob_purchases.n_periods",
    lambda v: _bgbb().prob_purchases(2, v),
    "n_periods",
    [(v, v) for v in SCALAR_PERIOD_BAD],
)
#: a discount rate for each method that takes one (0 is refused too: in each model
#: here the shape parameter is <= 1, so the undiscounted sum is infinite)
RATE_CALLS = {
    "BGNBD.dert": lambda v: BGNBD(params_=dict(BG)).dert(v, **GOOD),
    "BGNBD.clv": lambda v: BGNBD(params_=dict(BG)).clv(10.0, v, **GOOD),
    "BGBB.dert": lambda v: _bgbb().dert(v, **OPPORTUNITIES),
    "BGBB.clv": lambda v: _bgbb().clv(10.0, v, **OPPORTUNITIES),
    "sBG.expected_lifetime": lambda v: _sbg().expected_lifetime(discount_rate=v),
    "sBG.residual_lifetime": lambda v: _sbg().residual_lifetime(3, discount_rate=v),
    "sBG.clv": lambda v: _sbg().clv(100.0, discount_rate=v),
}
#: a margin for each value method
MARGIN_CALLS = {
    "BGNBD.clv": lambda v: BGNBD(params_=dict(BG)).clv(v, 0.01, **GOOD),
    "BGBB.clv": lambda v: _bgbb().clv(v, 0.1, **OPPORTUNITIES),
    "sBG.clv": lambda v: _sbg().clv(v, 0.1),
}
for label, call in RATE_CALLS.items():
    DISCRETE_CASES += cases(
        f"{label}.discount_rate",
        call,
        "discount_rate",
        [(v, v) for v in [*RATE_BAD_D, 0.0]],
    )
for label, call in MARGIN_CALLS.items():
    DISCRETE_CASES += cases(
        f"{label}.margin",
        call,
        "margin",
        [(v, v) for v in [math.nan, math.inf, "10", None, 1e308]],
    )
DISCRETE_CASES += cases(
    "discrete.summary-unfitted",
    lambda v: v(),
    "fit",
    [
        (lambda: BGBB(params_=dict(BGBB_PARAMS)).summary(), NOSHOW),
        (lambda: _sbg().summary(), NOSHOW),
    ],
)
DISCRETE_CASES += cases(
    "load_donations.expand",
    lambda v: load_donations(expand=v),
    "expand",
    [("yes", "yes"), (1, 1), (None, None)],
)
DISCRETE_CASES += cases(
    "load_retention_cohorts.survivors",
    lambda v: load_retention_cohorts(survivors=v),
    "survivors",
    [("yes", "yes"), (0, 0), (None, None)],
)


@pytest.mark.parametrize(("call", "name", "value"), DISCRETE_CASES)
def test_discrete_models(call, name, value):
    check(call, name, value)


def test_discrete_predictions_refuse_what_the_fit_refuses():
    for call in (
        _bgbb().prob_alive,
        _bgbb().log_likelihood,
        lambda *a: _bgbb().dert(0.1, *a),
    ):
        err = assert_clear_error(lambda call=call: call([2], [7], [6]), "recency", 7)
        assert isinstance(err, DataError)
        assert "n_periods = 6" in str(err)


# ------------------------------------------------------------------ extreme values

TINY = {"alpha": 1e-300, "beta": 1e14, "gamma": 1e14, "delta": 1e-300}
EXTREME_BG = {"r": 1e14, "alpha": 1e-300, "a": 1e14, "b": 1e-300}
#: valid but extreme inputs
EXTREME_CALLS = {
    "BGNBD.prob_alive": lambda: BGNBD(params_=EXTREME_BG).prob_alive(**GOOD),
    "BGNBD.expected_purchases": lambda: BGNBD(params_=EXTREME_BG).expected_purchases(
        39.0, **GOOD
    ),
    "BGNBD.log_likelihood": lambda: BGNBD(params_=EXTREME_BG).log_likelihood(**GOOD),
    "BGNBD.expected_purchases.huge": lambda: BGNBD(params_=dict(BG)).expected_purchases(
        1e15, [1e9, 0], [1e15, 0], [1e15, 1e15]
    ),
    "GammaGamma.expected_spend": lambda: GammaGamma(
        params_={"p": 1e14, "q": 1e14, "gamma": 1e-300}
    ).expected_spend([1e9, 0], [1e15, 0]),
    "make_transactions": lambda: make_transactions(20, seed=1, a=1e-300, b=1e-300),
    "BGBB.prob_alive": lambda: BGBB(params_=TINY).prob_alive(**OPPORTUNITIES),
    "BGBB.expected_purchases": lambda: BGBB(params_=TINY).expected_purchases(
        1000, **OPPORTUNITIES
    ),
    "BGBB.dert": lambda: BGBB(params_=TINY).dert(0.1, **OPPORTUNITIES),
    "BGBB.expected_purchases_new": lambda: BGBB(
        params_=dict(BGBB_PARAMS)
    ).expected_purchases_new(10**6),
    "sBG.residual_lifetime": lambda: ShiftedBetaGeometric(
        params_={"alpha": 1e-300, "beta": 1e14}
    ).residual_lifetime([1, 10**6], 0.001),
    "make_renewals": lambda: make_renewals(20, seed=1, alpha=1e-300, beta=1e-300),
    "make_opportunity_summary": lambda: make_opportunity_summary(
        20, seed=1, alpha=1e-300, gamma=1e-300
    ),
}


@pytest.mark.parametrize("call", EXTREME_CALLS.values(), ids=EXTREME_CALLS.keys())
def test_extreme_valid_values_give_numbers_or_clear_errors(call):
    """Valid but extreme inputs: a finite answer without warnings, or a crmkit
    error; never a NumPy/SciPy exception, a NaN or a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            out = call()
        except CrmkitError:
            return
    values = out.select_dtypes("number") if isinstance(out, pd.DataFrame) else out
    assert np.isfinite(np.asarray(values, dtype=float)).all()
