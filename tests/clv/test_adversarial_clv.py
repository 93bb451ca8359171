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
GOOD = {"frequency": [2, 0, 5], "recency": [30.4, 0.0, 20.0], "T": [38.9, 38.9, 25.0]}
SPEND = {"frequency": [2, 0, 5], "monetary_value": [22.35, 0.0, 40.0]}
SUMMARY = pd.DataFrame({**GOOD, "monetary_value": SPEND["monetary_value"]})


def check(call, name, value):
    if value is NOSHOW:
        return assert_clear_error(call, name, show_value=False)
    return assert_clear_error(call, name, value)


def cases(label, make, name, values):
    """One pytest.param per (bad input, value the message shows)."""
    return [
        pytest.param(
            (lambda value=value: make(value)), name, shown, id=f"{label}-{i}"
        )
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

DATA_CASES = []
for method, call in BGNBD_CALLS.items():
    for column in ("frequency", "recency", "T"):
        bad = [(entries(GOOD[column], v), v) for v in ENTRY_BAD]
        if method == "lifetime_value":  # pandas reads None in a float column as NaN
            bad = [(v, math.nan if s is None else s)
                   for v, s in bad]
        else:  # a DataFrame column cannot hold these
            bad += COLUMN_BAD
        name = column if method != "lifetime_value" else f"summary['{column}']"
        DATA_CASES += cases(
            f"BGNBD.{method}.{column}",
            lambda v, call=call, column=column: call({**GOOD, column: v}),
            name,
            bad,
        )
    # the rules linking the columns, for fit and every prediction alike
    name = "recency" if method != "lifetime_value" else "summary['recency']"
    DATA_CASES += cases(
        f"BGNBD.{method}.recency>T",
        lambda v, call=call: call({**GOOD, "recency": [30.4, 0.0, v]}),
        name,
        [(25.5, 25.5), (1e15, 1e15)],
    )
    DATA_CASES += cases(
        f"BGNBD.{method}.zero-frequency-with-recency",
        lambda v, call=call: call({**GOOD, "recency": [30.4, v, 20.0]}),
        name,
        [(3.0, 3.0), (1e-9, 1e-9)],
    )
    name = "frequency" if method != "lifetime_value" else "summary['frequency']"
    DATA_CASES += cases(
        f"BGNBD.{method}.fractional-count",
        lambda v, call=call: call({**GOOD, "frequency": [2, 0, v]}),
        name,
        [(2.5, 2.5), (1e-3, 1e-3)],
    )
    if method != "lifetime_value":
        DATA_CASES += cases(
            f"BGNBD.{method}.ragged",
            lambda v, call=call: call({**GOOD, "T": v}),
            "differ in length",
            [([38.9, 38.9], NOSHOW), ([38.9] * 4, NOSHOW)],
        )


@pytest.mark.parametrize(("call", "name", "value"), DATA_CASES)
def test_bgnbd_data_is_checked_by_fit_and_every_prediction(call, name, value):
    check(call, name, value)


def test_a_prediction_refuses_what_the_fit_refuses():
    # the case found first: prob_alive accepted recency > T, which fit refuses
    model = BGNBD(params_=dict(BG))
    for call in (model.fit, model.prob_alive, model.log_likelihood):
        err = assert_clear_error(lambda call=call: call([2], [12.0], [10.0]),
                                 "recency", 12.0)
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
        + [([1.0, -1.0], -1.0), ([1.0, math.nan], math.nan), (["1"], "1"),
           ([], NOSHOW), ([1.0, True], True)],
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

PARAM_BAD = [0.0, -1.0, -1e-12, math.nan, math.inf, -math.inf, 1e308, 1e-320,
             "0.5", True, None, [1.0]]


def _bg_with(key, value):
    return {**BG, key: value}


def _gg_with(key, value):
    return {**GG, key: value}


PARAM_CASES = []
for key in ("r", "alpha", "a", "b"):
    PARAM_CASES += cases(
        f"BGNBD.params_.{key}",
        lambda v, key=key: BGNBD(params_=_bg_with(key, v)),
        f"params_['{key}']",
        [(v, v) for v in PARAM_BAD],
    )

    def set_later(v, key=key):
        model = BGNBD(params_=dict(BG))
        model.params_[key] = v
        return model.prob_alive(**GOOD)

    PARAM_CASES += cases(
        f"BGNBD.params_.{key}.set-later",
        set_later,
        f"params_['{key}']",
        [(v, v) for v in PARAM_BAD],
    )
for key in ("p", "q", "gamma"):
    PARAM_CASES += cases(
        f"GammaGamma.params_.{key}",
        lambda v, key=key: GammaGamma(params_=_gg_with(key, v)),
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
    [({"r": 0.2, "alpha": 4.0, "a": 0.8}, NOSHOW),
     ({**BG, "c": 1.0}, NOSHOW),
     ({"R": 0.2, "alpha": 4.0, "a": 0.8, "b": 2.4}, NOSHOW)],
)
PARAM_CASES += cases(
    "GammaGamma.q<=1",
    lambda v: GammaGamma(params_=_gg_with("q", v)).mean_spend,
    "params_['q']",
    [(1.0, 1.0), (0.5, 0.5)],
)
PARAM_CASES += cases(
    "GammaGamma.q<=1.expected_spend",
    lambda v: GammaGamma(params_=_gg_with("q", v)).expected_spend(**SPEND),
    "params_['q']",
    [(1.0, 1.0), (0.999, 0.999)],
)
PARAM_CASES += cases(
    "unfitted",
    lambda v: v(),
    "params_",
    [(lambda: BGNBD().prob_alive(**GOOD), NOSHOW),
     (lambda: BGNBD().expected_purchases_new(1.0), NOSHOW),
     (lambda: GammaGamma().mean_spend, NOSHOW),
     (lambda: GammaGamma().expected_spend(**SPEND), NOSHOW)],
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
SPEND_CASES = []
for method, call in SPEND_CALLS.items():
    for column in ("frequency", "monetary_value"):
        SPEND_CASES += cases(
            f"GammaGamma.{method}.{column}",
            lambda v, call=call, column=column: call({**SPEND, column: v}),
            column,
            [(entries(SPEND[column], v), v) for v in ENTRY_BAD] + COLUMN_BAD,
        )
    SPEND_CASES += cases(
        f"GammaGamma.{method}.free-repeat-purchases",
        lambda v, call=call: call({**SPEND, "monetary_value": [22.35, 0.0, v]}),
        "monetary_value",
        [(0.0, 0.0)],
    )
    SPEND_CASES += cases(
        f"GammaGamma.{method}.fractional-count",
        lambda v, call=call: call({**SPEND, "frequency": [2, 0, v]}),
        "frequency",
        [(2.5, 2.5)],
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
    cases("retention_clv.margin", lambda v: retention_clv(v, 0.8, 0.1), "margin",
          [(v, v) for v in MARGIN_BAD] + [(1e308, 1e308)])
    + cases("retention_clv.retention", lambda v: retention_clv(100, v, 0.1),
            "retention", [(v, v) for v in PROB_BAD])
    + cases("retention_clv.discount_rate", lambda v: retention_clv(100, 0.8, v),
            "discount_rate", [(v, v) for v in RATE_BAD])
    + cases("retention_clv.periods", lambda v: retention_clv(100, 0.8, 0.1, v),
            "periods", [(v, v) for v in COUNT_BAD])
    + cases("retention_clv.timing",
            lambda v: retention_clv(100, 0.8, 0.1, timing=v), "timing",
            [("middle", "middle"), (None, None), (1, 1), ("END", "END")])
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
    cases("lifetime_value.bgnbd", lambda v: lifetime_value(v, MODELS[1], SUMMARY),
          "bgnbd", [(None, None), ("model", "model"), (MODELS[1], NOSHOW),
                    (BGNBD(), NOSHOW)])
    + cases("lifetime_value.gamma_gamma",
            lambda v: lifetime_value(MODELS[0], v, SUMMARY), "gamma_gamma",
            [(None, None), (MODELS[0], NOSHOW), (GammaGamma(), NOSHOW)])
    + cases("lifetime_value.summary", lambda v: lifetime_value(*MODELS, v),
            "summary", [(None, None), (GOOD, NOSHOW),
                        (SUMMARY.drop(columns="T"), NOSHOW),
                        (SUMMARY.iloc[:0], NOSHOW)])
    + cases("lifetime_value.monetary",
            lambda v: lifetime_value(*MODELS, SUMMARY.assign(monetary_value=v)),
            "monetary_value", [([22.35, 0.0, 0.0], 0.0),
                               ([22.35, math.nan, 1.0], math.nan)])
    + cases("lifetime_value.periods",
            lambda v: lifetime_value(*MODELS, SUMMARY, periods=v), "periods",
            [(v, v) for v in [*COUNT_BAD, None, 10**6]])
    + cases("lifetime_value.period_length",
            lambda v: lifetime_value(*MODELS, SUMMARY, period_length=v),
            "period_length", [(v, v) for v in [*BAD_POSITIVE, *NOT_NUMBERS, 1e308]])
    + cases("lifetime_value.discount_rate",
            lambda v: lifetime_value(*MODELS, SUMMARY, discount_rate=v),
            "discount_rate", [(v, v) for v in RATE_BAD])
    + cases("lifetime_value.margin",
            lambda v: lifetime_value(*MODELS, SUMMARY, margin=v), "margin",
            [(v, v) for v in [-0.1, 30, math.nan, math.inf, "0.3", True, None]])
)


@pytest.mark.parametrize(("call", "name", "value"), LIFETIME_CASES)
def test_lifetime_value(call, name, value):
    check(call, name, value)


def test_lifetime_value_refuses_a_huge_request_at_once():
    big = pd.concat([SUMMARY] * 4000, ignore_index=True)  # 12,000 customers
    check(lambda: lifetime_value(*MODELS, big, periods=10_000), "periods", NOSHOW)


# ------------------------------------------------------------------ make_transactions

GEN_CASES = (
    cases("make_transactions.n_customers", lambda v: make_transactions(v, seed=1),
          "n_customers", [(v, v) for v in [*COUNT_BAD, None, 10**12]])
    + cases("make_transactions.seed", lambda v: make_transactions(5, seed=v), "seed",
            [("1", "1"), (1.5, 1.5), (-1, -1), (True, True), ([1], [1])])
    + [
        case
        for key in ("r", "alpha", "a", "b", "p", "q", "gamma")
        for case in cases(
            f"make_transactions.{key}",
            lambda v, key=key: make_transactions(5, seed=1, **{key: v}),
            key,
            [(v, v) for v in [*BAD_POSITIVE, *NOT_NUMBERS, 1e308]],
        )
    ]
    + cases("make_transactions.acquisition_weeks",
            lambda v: make_transactions(5, seed=1, acquisition_weeks=v),
            "acquisition_weeks",
            [(v, v) for v in [-1.0, 100.0, math.nan, math.inf, "12", True, None]])
    + cases("make_transactions.observe_weeks",
            lambda v: make_transactions(5, seed=1, observe_weeks=v), "observe_weeks",
            [(v, v) for v in [*BAD_POSITIVE, *NOT_NUMBERS, 1e308]])
    + cases("make_transactions.start",
            lambda v: make_transactions(5, seed=1, start=v), "start",
            [(19970101, 19970101), ("not a date", "not a date"), (None, NOSHOW)])
    + cases("make_transactions.truth",
            lambda v: make_transactions(5, seed=1, truth=v), "truth",
            [("yes", "yes"), (1, 1), (None, None)])
    + cases("make_transactions.rate",
            lambda v: make_transactions(10**6, seed=1, alpha=v), "purchases",
            [(1e-6, NOSHOW)])
    + cases("make_transactions.spend-underflow",
            lambda v: make_transactions(50, seed=1, q=v), "q", [(1e-300, 1e-300)])
)


@pytest.mark.parametrize(("call", "name", "value"), GEN_CASES)
def test_make_transactions(call, name, value):
    check(call, name, value)


@settings(max_examples=30, deadline=None)
@given(key=st.sampled_from(["r", "alpha", "a", "b", "p", "q", "gamma"]),
       bad=bad_numbers())
def test_any_bad_model_parameter(key, bad):
    check(lambda: make_transactions(5, seed=1, **{key: bad}), key, bad)


def test_extreme_valid_values_give_numbers_or_clear_errors():
    """Valid but extreme inputs: a finite answer without warnings, or a crmkit
    error; never a NumPy/SciPy exception, a NaN or a warning."""
    extreme = BGNBD(params_={"r": 1e14, "alpha": 1e-300, "a": 1e14, "b": 1e-300})
    calls = [
        lambda: extreme.prob_alive(**GOOD),
        lambda: extreme.expected_purchases(39.0, **GOOD),
        lambda: extreme.log_likelihood(**GOOD),
        lambda: BGNBD(params_=dict(BG)).expected_purchases(
            1e15, [1e9, 0], [1e15, 0], [1e15, 1e15]
        ),
        lambda: GammaGamma(params_={"p": 1e14, "q": 1e14, "gamma": 1e-300})
        .expected_spend([1e9, 0], [1e15, 0]),
        lambda: make_transactions(20, seed=1, a=1e-300, b=1e-300),
    ]
    for call in calls:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                out = call()
            except CrmkitError:
                continue
        values = out.select_dtypes("number") if isinstance(out, pd.DataFrame) else out
        assert np.isfinite(np.asarray(values, dtype=float)).all()


# ------------------------------------------------------------------ sBG and BG/BB

SBG = {"alpha": 0.704, "beta": 1.182}
BGBB_PARAMS = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
CONTRACTS = {"recency": [1, 8, 3], "T": [8, 8, 8]}
OPPORTUNITIES = {"frequency": [2, 0, 5], "recency": [4, 0, 6], "n_periods": [6, 6, 6]}
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
DISCRETE_CASES = []
for method, call in SBG_DATA_CALLS.items():
    for column in ("recency", "T"):
        DISCRETE_CASES += cases(
            f"sBG.{method}.{column}",
            lambda v, call=call, column=column: call({**CONTRACTS, column: v}),
            column,
            [(entries(CONTRACTS[column], v), v) for v in [*PERIOD_BAD, 0.0]]
            + COLUMN_BAD,
        )
    DISCRETE_CASES += cases(
        f"sBG.{method}.recency>T",
        lambda v, call=call: call({**CONTRACTS, "recency": [1, 8, v]}),
        "recency",
        [(9, 9), (1e6, 1e6)],
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
for method in ("expected_lifetime", "residual_lifetime", "clv"):
    args = {"expected_lifetime": (), "residual_lifetime": (3,), "clv": (100.0,)}[
        method]
    DISCRETE_CASES += cases(
        f"sBG.{method}.discount_rate",
        lambda v, method=method, args=args: (
            getattr(_sbg(), method)(*args, discount_rate=v)
        ),
        "discount_rate",
        [(v, v) for v in [*RATE_BAD_D, 0.0]],
    )
DISCRETE_CASES += cases(
    "sBG.clv.margin", lambda v: _sbg().clv(v, 0.1), "margin",
    [(v, v) for v in [math.nan, math.inf, "100", None, 1e308]],
)
for key in SBG:
    DISCRETE_CASES += cases(
        f"sBG.params_.{key}",
        lambda v, key=key: ShiftedBetaGeometric(params_={**SBG, key: v}),
        f"params_['{key}']",
        [(v, v) for v in PARAM_BAD],
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
for method, call in BGBB_DATA_CALLS.items():
    for column in ("frequency", "recency", "n_periods"):
        DISCRETE_CASES += cases(
            f"BGBB.{method}.{column}",
            lambda v, call=call, column=column: call({**OPPORTUNITIES, column: v}),
            column,
            [(entries(OPPORTUNITIES[column], v), v) for v in PERIOD_BAD] + COLUMN_BAD,
        )
    DISCRETE_CASES += cases(
        f"BGBB.{method}.recency>n_periods",
        lambda v, call=call: call({**OPPORTUNITIES, "recency": [4, 0, v]}),
        "recency",
        [(7, 7), (100, 100)],
    )
    DISCRETE_CASES += cases(
        f"BGBB.{method}.frequency>recency",
        lambda v, call=call: call({**OPPORTUNITIES, "frequency": [2, 0, v]}),
        "frequency",
        [(7, 7)],
    )
    DISCRETE_CASES += cases(
        f"BGBB.{method}.zero-frequency-with-recency",
        lambda v, call=call: call({**OPPORTUNITIES, "recency": [4, v, 6]}),
        "recency",
        [(3, 3)],
    )
    DISCRETE_CASES += cases(
        f"BGBB.{method}.ragged",
        lambda v, call=call: call({**OPPORTUNITIES, "n_periods": v}),
        "differ in length",
        [([6, 6], NOSHOW)],
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
    "BGBB.prob_purchases.x", lambda v: _bgbb().prob_purchases(v, 6), "x",
    [(v, v) for v in SCALAR_PERIOD_BAD] + [([0, 2.5], 2.5)],
)
DISCRETE_CASES += cases(
    "BGBB.prob_purchases.n_periods", lambda v: _bgbb().prob_purchases(2, v),
    "n_periods", [(v, v) for v in SCALAR_PERIOD_BAD],
)
DISCRETE_CASES += cases(
    "BGBB.dert.discount_rate",
    lambda v: _bgbb().dert(v, **OPPORTUNITIES),
    "discount_rate",
    [(v, v) for v in [*RATE_BAD_D, 0.0]],
)
DISCRETE_CASES += cases(
    "BGBB.clv.margin", lambda v: _bgbb().clv(v, 0.1, **OPPORTUNITIES), "margin",
    [(v, v) for v in [math.nan, math.inf, "10", None]],
)
for key in BGBB_PARAMS:
    DISCRETE_CASES += cases(
        f"BGBB.params_.{key}",
        lambda v, key=key: BGBB(params_={**BGBB_PARAMS, key: v}),
        f"params_['{key}']",
        [(v, v) for v in PARAM_BAD],
    )
DISCRETE_CASES += cases(
    "discrete.unfitted",
    lambda v: v(),
    "params_",
    [(lambda: BGBB().prob_alive(**OPPORTUNITIES), NOSHOW),
     (lambda: ShiftedBetaGeometric().survival(3), NOSHOW)],
)
DISCRETE_CASES += cases(
    "discrete.summary-unfitted", lambda v: v(), "fit",
    [(lambda: BGBB(params_=dict(BGBB_PARAMS)).summary(), NOSHOW),
     (lambda: _sbg().summary(), NOSHOW)],
)
for name, make, keys in (
    ("make_renewals", make_renewals, ("alpha", "beta")),
    ("make_opportunity_summary", make_opportunity_summary,
     ("alpha", "beta", "gamma", "delta")),
):
    DISCRETE_CASES += cases(
        f"{name}.n_customers", lambda v, make=make: make(v, seed=1), "n_customers",
        [(v, v) for v in [*COUNT_BAD, None, 10**12]],
    )
    DISCRETE_CASES += cases(
        f"{name}.seed", lambda v, make=make: make(5, seed=v), "seed",
        [("1", "1"), (1.5, 1.5), (-1, -1), (True, True)],
    )
    DISCRETE_CASES += cases(
        f"{name}.n_periods", lambda v, make=make: make(5, seed=1, n_periods=v),
        "n_periods", [(v, v) for v in [0, -1, 2.5, math.nan, "6", True, 10**7]],
    )
    for key in keys:
        DISCRETE_CASES += cases(
            f"{name}.{key}",
            lambda v, make=make, key=key: make(5, seed=1, **{key: v}),
            key,
            [(v, v) for v in [*BAD_POSITIVE, *NOT_NUMBERS, 1e308]],
        )
DISCRETE_CASES += cases(
    "load_donations.expand", lambda v: load_donations(expand=v), "expand",
    [("yes", "yes"), (1, 1), (None, None)],
)
DISCRETE_CASES += cases(
    "load_retention_cohorts.survivors",
    lambda v: load_retention_cohorts(survivors=v), "survivors",
    [("yes", "yes"), (0, 0), (None, None)],
)


@pytest.mark.parametrize(("call", "name", "value"), DISCRETE_CASES)
def test_discrete_models(call, name, value):
    check(call, name, value)


def test_discrete_predictions_refuse_what_the_fit_refuses():
    for call in (_bgbb().prob_alive, _bgbb().log_likelihood,
                 lambda *a: _bgbb().dert(0.1, *a)):
        err = assert_clear_error(lambda call=call: call([2], [7], [6]), "recency", 7)
        assert isinstance(err, DataError)
        assert "n_periods = 6" in str(err)


def test_discrete_extreme_valid_values_give_numbers_or_clear_errors():
    """Valid but extreme parameters: finite answers without warnings, or a crmkit
    error."""
    tiny = {"alpha": 1e-300, "beta": 1e14, "gamma": 1e14, "delta": 1e-300}
    calls = [
        lambda: BGBB(params_=tiny).prob_alive(**OPPORTUNITIES),
        lambda: BGBB(params_=tiny).expected_purchases(1000, **OPPORTUNITIES),
        lambda: BGBB(params_=tiny).dert(0.1, **OPPORTUNITIES),
        lambda: BGBB(params_=dict(BGBB_PARAMS)).expected_purchases_new(10**6),
        lambda: ShiftedBetaGeometric(params_={"alpha": 1e-300, "beta": 1e14})
        .residual_lifetime([1, 10**6], 0.001),
        lambda: make_renewals(20, seed=1, alpha=1e-300, beta=1e-300),
        lambda: make_opportunity_summary(20, seed=1, alpha=1e-300, gamma=1e-300),
    ]
    for call in calls:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                out = call()
            except CrmkitError:
                continue
        values = out.select_dtypes("number") if isinstance(out, pd.DataFrame) else out
        assert np.isfinite(np.asarray(values, dtype=float)).all()
