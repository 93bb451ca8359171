"""Bad input to every public function of crmkit.segmentation: each answers with a
crmkit error that names the argument (or column), shows the value and says how to fix
it, and never changes the caller's data. Where bad-looking input has a correct answer
(a repeated index in a transaction table, ties, a single customer) the test pins that
answer down."""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.errors import CrmkitError, DataError, ParameterError
from crmkit.segmentation import (
    abc_classes,
    cluster_diagnostics,
    cluster_stability,
    customer_summary,
    gini,
    kmeans_segments,
    lifecycle_stages,
    lorenz_curve,
    read_online_retail,
    rfm_scores,
    rfm_segments,
    segment_table,
    strategy_matrix,
    top_share,
    value_tiers,
)
from tests.adversarial import (
    BAD_POSITIVE,
    HUGE,
    NOT_NUMBERS,
    assert_clear_error,
    bad_numbers,
)

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.segmentation.abc_classes",
    "crmkit.segmentation.cluster_diagnostics",
    "crmkit.segmentation.cluster_stability",
    "crmkit.segmentation.customer_summary",
    "crmkit.segmentation.gini",
    "crmkit.segmentation.kmeans_segments",
    "crmkit.segmentation.lifecycle_stages",
    "crmkit.segmentation.lorenz_curve",
    "crmkit.segmentation.read_online_retail",
    "crmkit.segmentation.rfm_scores",
    "crmkit.segmentation.rfm_segments",
    "crmkit.segmentation.segment_table",
    "crmkit.segmentation.strategy_matrix",
    "crmkit.segmentation.top_share",
    "crmkit.segmentation.value_tiers",
)

EXEMPT = {
    "crmkit.segmentation.ClusterResult": "a result only crmkit builds",
    "crmkit.segmentation.RFMSegment": "a segment description only crmkit builds",
}

FAST = settings(max_examples=25, deadline=None)

TX = pd.DataFrame(
    {
        "customer_id": ["a", "a", "b", "c"],
        "date": ["2024-01-01", "2024-01-05", "2024-01-03", "2024-01-04"],
        "amount": [10.0, 5.0, 7.0, 3.0],
    }
)
SUMMARY = pd.DataFrame(
    {
        "days_since_last": [1, 5, 5, 40],
        "n_purchase_days": [9, 2, 2, 1],
        "total_spend": [90.0, 20.0, 25.0, 5.0],
    },
    index=list("abcd"),
)
SCORES = pd.DataFrame(
    {"R": [5, 1, 3], "F": [5, 1, 2], "M": [5, 2, 4]}, index=list("xyz")
)
FEATURES = pd.DataFrame(
    {
        "spend": np.r_[np.linspace(5, 20, 20), np.linspace(200, 400, 20)],
        "orders": np.r_[np.ones(20), np.full(20, 6.0)],
    }
)
RETAIL = pd.DataFrame(
    {
        "Invoice": ["1", "1", "C2", "3"],
        "StockCode": ["A", "B", "A", "C"],
        "Description": ["", "", "", ""],
        "Quantity": [2, 1, -2, 5],
        "InvoiceDate": [
            "2010-12-01 08:26",
            "2010-12-01 08:26",
            "2010-12-02 10:00",
            "2010-12-03 09:00",
        ],
        "Price": [2.5, 4.0, 2.5, 1.0],
        "Customer ID": [17850.0, 17850.0, 17850.0, np.nan],
        "Country": ["United Kingdom"] * 4,
    }
)

#: values that are wrong wherever a finite real number belongs (any sign)
NOT_REAL = [math.nan, math.inf, -math.inf, *[v for v in NOT_NUMBERS if v is not None]]


def with_entry(frame: pd.DataFrame, column: str, value: object, row: int = 1):
    """A copy of ``frame`` whose ``column`` holds ``value`` at position ``row`` (an
    object column, so that the value keeps its type)."""
    out = frame.copy()
    col = out[column].astype(object)
    col.iloc[row] = value
    out[column] = col
    return out


def unchanged(call, *frames):
    """Run ``call`` (which may raise) and assert it left ``frames`` as they were."""
    before = [f.copy(deep=True) for f in frames]
    with contextlib.suppress(CrmkitError):
        call()
    for old, new in zip(before, frames, strict=True):
        pd.testing.assert_frame_equal(old, new)


# --- customer_summary ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "name", "value"),
    [
        (TX.assign(date=[20240101, 20240105, 20240103, 20240104]), "date", 20240101),
        (TX.assign(date=[20240101.0, 2e7, 2e7, 2e7]), "date", 20240101),
        (TX.assign(date=[True, False, True, True]), "date", True),
        (with_entry(TX, "date", 20240105), "date", 20240105),
        (with_entry(TX, "date", "not a date"), "date", "not a date"),
        (with_entry(TX, "date", "2024-13-45"), "date", "2024-13-45"),
        (TX.assign(date=pd.to_datetime(TX["date"]).where(TX.index != 2)), "date", 2),
        (with_entry(TX, "date", None), "date", 1),
        (with_entry(TX, "customer_id", 7), "customer_id", 7),
        (with_entry(TX, "customer_id", True), "customer_id", True),
        (TX.assign(customer_id=[True, False, True, True]), "customer_id", "True"),
        (with_entry(TX, "customer_id", None), "customer_id", 1),
        (with_entry(TX, "customer_id", math.nan), "customer_id", 1),
        (TX.assign(customer_id=[1.0, math.inf, 2.0, 3.0]), "customer_id", "infinite"),
        (with_entry(TX, "amount", math.nan), "amount", math.nan),
        (with_entry(TX, "amount", math.inf), "amount", math.inf),
        (with_entry(TX, "amount", -math.inf), "amount", -math.inf),
        (with_entry(TX, "amount", -1.0), "amount", -1.0),
        (with_entry(TX, "amount", "3"), "amount", "3"),
        (with_entry(TX, "amount", None), "amount", None),
        (with_entry(TX, "amount", True), "amount", True),
        (TX.assign(amount=[True, False, True, True]), "amount", True),
        (TX.assign(amount=[1e308, 1e308, 1.0, 1.0]), "amount", "a"),
    ],
)
def test_summary_bad_columns(frame, name, value):
    assert_clear_error(
        lambda: customer_summary(frame), f"transactions[{name!r}]", value
    )


@pytest.mark.parametrize(
    ("frame", "name", "value"),
    [
        (TX.drop(columns="amount"), "amount", "amount"),
        (pd.concat([TX, TX[["date"]]], axis=1), "transactions", "date"),
        (TX.iloc[:0], "transactions", 0),
        (TX.to_dict("list"), "transactions", "dict"),
        (None, "transactions", None),
        (TX["amount"], "transactions", "Series"),
        ([[1, "2024-01-01", 3.0]], "transactions", "list"),
    ],
)
def test_summary_bad_tables(frame, name, value):
    assert_clear_error(lambda: customer_summary(frame), name, value)


@pytest.mark.parametrize(
    ("kwargs", "name", "value"),
    [
        ({"as_of": 20240131}, "as_of", 20240131),
        ({"as_of": 20240131.0}, "as_of", 20240131),
        ({"as_of": True}, "as_of", True),
        ({"as_of": pd.NaT}, "as_of", "NaT"),
        ({"as_of": "soon"}, "as_of", "soon"),
        ({"as_of": ["2024-01-31"]}, "as_of", ["2024-01-31"]),
        ({"as_of": {"day": 1}}, "as_of", {"day": 1}),
        ({"as_of": "2023-01-01"}, "as_of", "2023-01-01"),
        ({"time_unit": "M"}, "time_unit", "M"),
        ({"time_unit": None}, "time_unit", None),
        ({"time_unit": 7}, "time_unit", 7),
        ({"customer": None}, "customer", None),
        ({"customer": ["customer_id"]}, "customer", ["customer_id"]),
        ({"date": True}, "date", True),
        ({"amount": "spend"}, "amount", "spend"),
        ({"date": "amount"}, "date", "amount"),
    ],
)
def test_summary_bad_parameters(kwargs, name, value):
    assert_clear_error(lambda: customer_summary(TX, **kwargs), name, value)


@FAST
@given(
    st.lists(st.floats(0, 1e6), min_size=2, max_size=12),
    st.data(),
    st.one_of(
        st.sampled_from(
            [math.nan, math.inf, -math.inf, "3", "", None, True, False, b"3"]
        ),
        st.floats(max_value=-1e-300, allow_nan=False, allow_infinity=False),
        st.text(min_size=1, max_size=4),
    ),
)
def test_summary_refuses_any_bad_amount(amounts, data, bad):
    n = len(amounts)
    tx = pd.DataFrame(
        {
            "customer_id": [i % 3 for i in range(n)],
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n), "D"),
            "amount": pd.Series(amounts, dtype=object),
        }
    )
    pos = data.draw(st.integers(0, n - 1))
    tx.iloc[pos, 2] = bad
    before = tx.copy()
    assert_clear_error(
        lambda: customer_summary(tx), "transactions['amount']", show_value=False
    )
    pd.testing.assert_frame_equal(tx, before)


@FAST
@given(st.integers(19000101, 20991231), st.sampled_from(["int64", "float64", "object"]))
def test_summary_refuses_numbers_as_dates(number, dtype):
    tx = TX.assign(date=pd.Series([number] * len(TX), dtype=dtype))
    err = assert_clear_error(
        lambda: customer_summary(tx), "transactions['date']", number
    )
    assert "to_datetime" in str(err)


@FAST
@given(
    st.lists(
        st.one_of(st.integers(0, 5), st.sampled_from(["a", "b", "1"])),
        min_size=1,
        max_size=10,
    )
)
def test_mixed_customer_ids_are_refused_not_guessed(ids):
    tx = pd.DataFrame(
        {
            "customer_id": pd.Series(ids, dtype=object),
            "date": ["2024-01-01"] * len(ids),
            "amount": [1.0] * len(ids),
        }
    )
    kinds = {type(v) for v in ids}
    if len(kinds) > 1:
        err = assert_clear_error(
            lambda: customer_summary(tx), "transactions['customer_id']", "str"
        )
        assert isinstance(err, DataError) and "astype(str)" in str(err)
    else:
        out = customer_summary(tx)
        assert sorted(out.index) == sorted(set(ids))


def test_summary_behaviour_chosen_for_odd_but_valid_tables():
    # a repeated index is not used: the same answer as with a fresh index
    dup = TX.set_axis([0, 0, 0, 0])
    pd.testing.assert_frame_equal(customer_summary(dup), customer_summary(TX))
    # a single transaction: one customer, no repeats
    one = customer_summary(TX.iloc[:1])
    assert one.loc["a", "frequency"] == 0 and one.loc["a", "T"] == 0
    # mixed date formats and time zones are read as local dates
    text = TX.assign(
        date=["2024-01-01", "2024-01-05 10:00", "3 Jan 2024", "2024-01-04"]
    )
    pd.testing.assert_frame_equal(customer_summary(text), customer_summary(TX))
    zoned = TX.assign(date=pd.to_datetime(TX["date"]).dt.tz_localize("Asia/Shanghai"))
    pd.testing.assert_frame_equal(customer_summary(zoned), customer_summary(TX))
    # as_of may be any date-like
    for as_of in (
        "2024-01-31",
        pd.Timestamp("2024-01-31"),
        np.datetime64("2024-01-31"),
    ):
        assert customer_summary(TX, as_of=as_of).attrs["as_of"] == "2024-01-31"


def test_summary_leaves_the_input_alone_on_error_too():
    bad = with_entry(TX, "amount", -5.0)
    unchanged(lambda: customer_summary(bad), bad)
    unchanged(lambda: customer_summary(TX, as_of="2024-01-02"), TX)


# --- concentration ------------------------------------------------------------------

CONCENTRATION = [abc_classes, value_tiers, lorenz_curve, gini, top_share]


@pytest.mark.parametrize("func", CONCENTRATION, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([1.0, math.nan], math.nan),
        ([1.0, math.inf], math.inf),
        ([1.0, -math.inf], -math.inf),
        ([1.0, -1.0], -1.0),
        ([1.0, -1e-12], -1e-12),
        (["1", "2"], "1"),
        ([True, False], "True"),
        ([1.0, None], None),
        (None, None),
        (5.0, 5.0),
        ("123", "123"),
        ([], "empty"),
        ([[1.0, 2.0], [3.0, 4.0]], "2-dimensional"),
        ([[1.0], [1.0, 2.0]], "2-dimensional"),
        (pd.DataFrame({"a": [1.0]}), "DataFrame"),
        (pd.Series(["x", "y"]), "x"),
        (pd.Series([1, None], dtype="Int64"), math.nan),
    ],
)
def test_concentration_bad_values(func, values, shown):
    assert_clear_error(lambda: func(values), "values", shown)


@pytest.mark.parametrize(
    "func", [abc_classes, lorenz_curve, gini, top_share], ids=lambda f: f.__name__
)
def test_shares_of_nothing_are_refused(func):
    assert_clear_error(lambda: func([0.0, 0.0]), "values", 0)


def test_tiers_of_nothing_are_ranks():
    # value_tiers ranks, it takes no shares: all-zero values are ties, split by index
    assert value_tiers([0.0] * 20).tolist()[:2] == ["VIP", "major"]


@FAST
@given(
    st.lists(st.floats(0, 1e6), min_size=1, max_size=20),
    st.data(),
    bad_numbers(allow_zero=True).filter(
        lambda v: not (isinstance(v, float) and v == 0)
    ),
)
def test_concentration_refuses_one_bad_entry(values, data, bad):
    # every entry of a bad_numbers() draw is wrong as a customer value except
    # positive numbers, which bad_numbers() never gives
    entries = pd.Series(values, dtype=object)
    entries.iloc[data.draw(st.integers(0, len(values) - 1))] = bad
    func = data.draw(st.sampled_from(CONCENTRATION))
    assert_clear_error(lambda: func(entries), "values", show_value=False)


@pytest.mark.parametrize("func", [abc_classes, value_tiers], ids=lambda f: f.__name__)
def test_results_aligned_to_customers_need_each_customer_once(func):
    assert_clear_error(
        lambda: func(pd.Series([1.0, 2.0, 3.0], index=["a", "b", "a"])), "values", "a"
    )
    assert_clear_error(
        lambda: func(pd.Series([1.0, 1.0], index=[1, "a"])), "values", "str"
    )


@pytest.mark.parametrize(
    ("cutoffs", "name", "value"),
    [
        ((0.8,), "cutoffs", 1),
        ((0.5, 0.8, 0.9), "cutoffs", 3),
        ((0.9, 0.8), "cutoffs", 0.9),
        ((0.8, 0.8), "cutoffs", 0.8),
        ("0.8", "cutoffs", "0.8"),
        (None, "cutoffs", None),
        (0.8, "cutoffs", 0.8),
        ((0.0, 0.9), "cutoffs[0]", 0.0),
        ((0.8, 1.5), "cutoffs[1]", 1.5),
        ((0.8, "0.9"), "cutoffs[1]", "0.9"),
        ((math.nan, 0.9), "cutoffs[0]", math.nan),
        ((0.8, True), "cutoffs[1]", True),
    ],
)
def test_abc_bad_cutoffs(cutoffs, name, value):
    assert_clear_error(lambda: abc_classes([3.0, 2.0, 1.0], cutoffs), name, value)


@pytest.mark.parametrize(
    ("kwargs", "name", "value"),
    [
        ({"shares": (0.5, 0.2, 0.9)}, "shares", 0.5),
        ({"shares": "0.5"}, "shares", "0.5"),
        ({"shares": (0.05, 0.15, -0.8)}, "shares[2]", -0.8),
        ({"shares": (0.05, 0.15, 8)}, "shares[2]", 8),
        ({"labels": ("a", "b")}, "labels", "a"),
        ({"labels": ("a", "a", "b", "c")}, "labels", "a"),
        ({"labels": ("a", "b", 3, "c")}, "labels[2]", 3),
        ({"labels": "abcd"}, "labels", "abcd"),
        ({"labels": None}, "labels", None),
    ],
)
def test_value_tiers_bad_parameters(kwargs, name, value):
    assert_clear_error(lambda: value_tiers([4.0, 3.0, 2.0, 1.0], **kwargs), name, value)


@FAST
@given(bad_numbers())
def test_top_share_bad_fraction(fraction):
    assert_clear_error(
        lambda: top_share([3.0, 2.0, 1.0], fraction), "fraction", fraction
    )


@pytest.mark.parametrize("fraction", [*HUGE, 1.0000001])
def test_top_share_fraction_above_one(fraction):
    assert_clear_error(lambda: top_share([3.0, 2.0], fraction), "fraction", fraction)


@FAST
@given(
    st.lists(st.floats(0, 100), min_size=1, max_size=30).filter(lambda v: sum(v) > 0)
)
def test_concentration_is_scale_free_up_to_the_largest_float(values):
    x = np.array(values)
    big = x / x.max() * 1e308  # sums of these overflow without care
    assert gini(big) == pytest.approx(gini(x), abs=1e-9)
    assert top_share(big, 0.3) == pytest.approx(top_share(x, 0.3), abs=1e-9)
    np.testing.assert_allclose(
        lorenz_curve(big)["share_of_value"],
        lorenz_curve(x)["share_of_value"],
        atol=1e-9,
    )
    assert np.isfinite(lorenz_curve(big).to_numpy()).all()


def test_concentration_ties_and_single_customers_have_documented_answers():
    tied = pd.Series([5.0, 5.0, 5.0, 5.0], index=["d", "b", "c", "a"])
    # ties split by index, ascending
    assert abc_classes(tied, (0.5, 0.75)).loc[list("abcd")].tolist() == list("AABC")
    assert value_tiers(tied, (0.5,), ("top", "rest")).loc[list("abcd")].tolist() == [
        "top",
        "top",
        "rest",
        "rest",
    ]
    assert gini(tied) == 0.0
    assert abc_classes([7.0]).tolist() == ["A"]
    assert value_tiers([7.0]).tolist() == ["ordinary"]
    assert gini([7.0]) == 0.0 and top_share([7.0], 0.01) == 1.0


# --- RFM ----------------------------------------------------------------------------


@FAST
@given(st.one_of(bad_numbers(), st.sampled_from([1, 10, 11, 2.5, 10**12, 1e308])))
def test_rfm_bad_bins(bins):
    assert_clear_error(lambda: rfm_scores(SUMMARY, bins=bins), "bins", bins)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("days_since_last", math.nan),
        ("days_since_last", -1.0),
        ("days_since_last", math.inf),
        ("days_since_last", "5"),
        ("n_purchase_days", 2.5),
        ("n_purchase_days", -1.0),
        ("n_purchase_days", True),
        ("n_purchase_days", None),
        ("total_spend", math.nan),
        ("total_spend", -math.inf),
        ("total_spend", "20"),
        ("total_spend", b"20"),
    ],
)
def test_rfm_scores_bad_summary_columns(column, value):
    bad = with_entry(SUMMARY, column, value)
    assert_clear_error(lambda: rfm_scores(bad), f"summary[{column!r}]", value)
    unchanged(lambda: rfm_scores(bad), bad)


@pytest.mark.parametrize(
    ("frame", "value"),
    [
        (SUMMARY.drop(columns="total_spend"), "total_spend"),
        (SUMMARY.set_axis(list("aabc")), "a"),
        (SUMMARY.iloc[:0], 0),
        (SUMMARY.to_numpy(), "ndarray"),
        (None, None),
    ],
)
def test_rfm_scores_bad_tables(frame, value):
    assert_clear_error(lambda: rfm_scores(frame), "summary", value)


@FAST
@given(
    st.sampled_from("RFM"),
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True).filter(
            lambda v: not (v.is_integer() and v >= 1) if math.isfinite(v) else True
        ),
        st.integers(max_value=0),
        st.sampled_from(["5", True, None, b"1"]),
    ),
    st.sampled_from(["cn8", "en"]),
)
def test_rfm_segments_need_whole_scores_on_the_scale(letter, value, scheme):
    bad = with_entry(SCORES, letter, value, row=0)
    assert_clear_error(
        lambda: rfm_segments(bad, scheme=scheme), f"scores[{letter!r}]", value
    )


@pytest.mark.parametrize("value", [6, 9, 100])
def test_rfm_segments_en_scheme_is_on_one_to_five(value):
    bad = with_entry(SCORES, "F", value)
    assert_clear_error(lambda: rfm_segments(bad, scheme="en"), "scores['F']", value)
    rfm_segments(bad, scheme="cn8")  # any whole-number scale is fine for cn8


@pytest.mark.parametrize("scheme", ["xx", None, 8, "CN8", ["cn8"]])
def test_bad_schemes(scheme):
    assert_clear_error(lambda: rfm_segments(SCORES, scheme=scheme), "scheme", scheme)
    assert_clear_error(lambda: segment_table(scheme), "scheme", scheme)


@pytest.mark.parametrize(
    ("frame", "value"),
    [
        (SCORES.drop(columns="M"), "M"),
        (SCORES.set_axis(list("xxz")), "x"),
        (SCORES.iloc[:0], 0),
        ([5, 5, 5], "list"),
    ],
)
def test_rfm_segments_bad_tables(frame, value):
    assert_clear_error(lambda: rfm_segments(frame), "scores", value)


def test_rfm_ties_and_a_single_customer_have_documented_answers():
    assert rfm_scores(SUMMARY.iloc[:1])["RFM"].tolist() == ["111"]
    same = pd.DataFrame(
        {
            "days_since_last": [3] * 4,
            "n_purchase_days": [2] * 4,
            "total_spend": [9.0] * 4,
        }
    )
    assert set(rfm_scores(same)["RFM"]) == {"111"}  # nobody strictly better
    assert rfm_segments(SCORES.iloc[:1])["segment"].tolist() == ["general_winback"]
    # huge spend ranks without overflow
    huge = SUMMARY.assign(total_spend=[1e308, 1e308, 1.0, 0.0])
    assert rfm_scores(huge, bins=4)["M"].tolist() == [3, 3, 2, 1]


# --- lifecycle ----------------------------------------------------------------------


@FAST
@given(
    st.sampled_from(["mature_purchases", "decline_after_days", "lapsed_after_days"]),
    st.one_of(bad_numbers(), st.sampled_from([2.5, 0, 1, "180", 10**12 + 0.5])),
)
def test_lifecycle_bad_thresholds(name, value):
    if name != "mature_purchases" and value == 1:
        return  # a one-day threshold is valid
    assert_clear_error(lambda: lifecycle_stages(SUMMARY, **{name: value}), name, value)


def test_lifecycle_huge_whole_thresholds_are_valid():
    out = lifecycle_stages(SUMMARY, mature_purchases=1e308, lapsed_after_days=10**12)
    assert set(out["stage"]) <= {"acquisition", "growth", "decline"}


def test_lifecycle_threshold_order_and_columns():
    assert_clear_error(
        lambda: lifecycle_stages(
            SUMMARY, decline_after_days=400, lapsed_after_days=300
        ),
        "lapsed_after_days",
        300,
    )
    for column, value in (
        ("days_since_last", math.nan),
        ("days_since_last", "3"),
        ("days_since_last", -2.0),
        ("n_purchase_days", 1.5),
        ("n_purchase_days", True),
    ):
        bad = with_entry(SUMMARY, column, value)
        assert_clear_error(
            lambda b=bad: lifecycle_stages(b), f"summary[{column!r}]", value
        )
    assert_clear_error(
        lambda: lifecycle_stages(SUMMARY.set_axis(list("aabc"))), "summary", "a"
    )
    assert_clear_error(lambda: lifecycle_stages(SUMMARY.iloc[:0]), "summary", 0)
    assert_clear_error(
        lambda: lifecycle_stages(SUMMARY.drop(columns="n_purchase_days")),
        "summary",
        "n_purchase_days",
    )


# --- clusters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name", "value"),
    [
        ({"k": 1}, "k", 1),
        ({"k": 2.5}, "k", 2.5),
        ({"k": "2"}, "k", "2"),
        ({"k": True}, "k", True),
        ({"k": math.nan}, "k", math.nan),
        ({"k": 40}, "k", 40),
        ({"k": 10**12}, "k", 10**12),
        ({"k": 2, "n_init": 0}, "n_init", 0),
        ({"k": 2, "n_init": 10**9}, "n_init", 10**9),
        ({"k": 2, "n_init": 1.5}, "n_init", 1.5),
        ({"k": 2, "log": "False"}, "log", "False"),
        ({"k": 2, "log": 0}, "log", 0),
        ({"k": 2, "seed": "0"}, "seed", "0"),
        ({"k": 2, "seed": -1}, "seed", -1),
        ({"k": 2, "seed": 1.5}, "seed", 1.5),
        ({"k": 2, "value": "nope"}, "value", "nope"),
        ({"k": 2, "value": ["spend"]}, "value", ["spend"]),
    ],
)
def test_kmeans_bad_parameters(kwargs, name, value):
    assert_clear_error(lambda: kmeans_segments(FEATURES, **kwargs), name, value)


@pytest.mark.parametrize(
    ("frame", "name", "value"),
    [
        (with_entry(FEATURES, "spend", "12"), "features['spend']", "12"),
        (with_entry(FEATURES, "spend", math.nan), "features['spend']", math.nan),
        (with_entry(FEATURES, "orders", math.inf), "features['orders']", math.inf),
        (with_entry(FEATURES, "orders", None), "features['orders']", None),
        (FEATURES.assign(member=FEATURES["spend"] > 10), "features['member']", "True"),
        (with_entry(FEATURES, "spend", -3.0), "features['spend']", -3.0),
        (FEATURES.set_axis([0] * 40), "features", 0),
        (pd.concat([FEATURES, FEATURES[["spend"]]], axis=1), "features", "spend"),
        (FEATURES[[]], "features", "no columns"),
        (FEATURES.iloc[:0], "features", 0),
        (FEATURES.to_numpy(), "features", "ndarray"),
        (pd.DataFrame({"a": [1.0] * 10, "b": [2.0] * 10}), "features", 1),
    ],
)
def test_kmeans_bad_features(frame, name, value):
    assert_clear_error(lambda: kmeans_segments(frame, 2), name, value)


@pytest.mark.parametrize("huge", [1e308, 1e200])
def test_kmeans_huge_features_without_log(huge):
    frame = with_entry(FEATURES, "spend", huge)
    assert_clear_error(
        lambda: kmeans_segments(frame, 2, log=False), "features['spend']", huge
    )
    kmeans_segments(frame, 2, log=True)  # log1p brings them into range
    kmeans_segments(
        with_entry(FEATURES, "spend", HUGE[1]), 2, log=False
    )  # 1e20 is fine


@pytest.mark.parametrize(
    ("ks", "name", "value"),
    [
        ("234", "ks", "234"),
        (5, "ks", 5),
        (None, "ks", None),
        ([], "ks", "empty"),
        ([2, 2], "ks", 2),
        ([1, 2], "ks[0]", 1),
        ([2, 2.5], "ks[1]", 2.5),
        ([2, "3"], "ks[1]", "3"),
        ([2, 50], "ks", 50),
    ],
)
def test_cluster_diagnostics_bad_ks(ks, name, value):
    assert_clear_error(lambda: cluster_diagnostics(FEATURES, ks), name, value)


@pytest.mark.parametrize(
    ("kwargs", "name", "value"),
    [
        ({"seeds": [1]}, "seeds", [1]),
        ({"seeds": []}, "seeds", "empty"),
        ({"seeds": [1, 1]}, "seeds", 1),
        ({"seeds": ["a", "b"]}, "seeds[0]", "a"),
        ({"seeds": [1, -1]}, "seeds[1]", -1),
        ({"seeds": None}, "seeds", None),
        ({"seeds": 3}, "seeds", 3),
        ({"n_init": 0.5}, "n_init", 0.5),
        ({"log": "yes"}, "log", "yes"),
    ],
)
def test_cluster_stability_bad_parameters(kwargs, name, value):
    assert_clear_error(lambda: cluster_stability(FEATURES, 2, **kwargs), name, value)
    assert_clear_error(
        lambda: cluster_stability(FEATURES.assign(spend="x"), 2),
        "features['spend']",
        "x",
    )


def test_cluster_functions_leave_features_alone():
    f = FEATURES.copy()
    unchanged(lambda: kmeans_segments(f, 2, value="spend"), f)
    unchanged(lambda: cluster_diagnostics(f, [2, 3]), f)


# --- strategy matrix ----------------------------------------------------------------

V = pd.Series([100.0, 900.0, 800.0, 50.0], index=list("abcd"))
P = pd.Series([0.1, 0.2, 0.9, 0.8], index=list("abcd"))


@pytest.mark.parametrize("which", ["value", "personalisation"])
@pytest.mark.parametrize(
    ("series", "shown"),
    [
        (pd.Series(["1", "2", "3", "4"], index=list("abcd")), "1"),
        (pd.Series([True, False, True, True], index=list("abcd")), "True"),
        (pd.Series([1.0, math.nan, 2.0, 3.0], index=list("abcd")), math.nan),
        (pd.Series([1.0, math.inf, 2.0, 3.0], index=list("abcd")), math.inf),
        ([1.0, 2.0, 3.0, 4.0], "list"),
        (None, None),
    ],
)
def test_strategy_matrix_bad_series(which, series, shown):
    args = {"value": V, "personalisation": P, which: series}
    assert_clear_error(lambda: strategy_matrix(**args), which, shown)


@pytest.mark.parametrize("name", ["value_threshold", "personalisation_threshold"])
@pytest.mark.parametrize("value", NOT_REAL)
def test_strategy_matrix_bad_thresholds(name, value):
    assert_clear_error(lambda: strategy_matrix(V, P, **{name: value}), name, value)


def test_strategy_matrix_index_rules():
    dup = V.set_axis(list("aacd"))
    assert_clear_error(
        lambda: strategy_matrix(dup, P.set_axis(list("aacd"))), "value", "a"
    )
    with pytest.raises(DataError, match="reindex"):
        strategy_matrix(V, P.iloc[::-1])
    assert_clear_error(
        lambda: strategy_matrix(V.iloc[:0], P.iloc[:0]), "value", "empty"
    )
    one = strategy_matrix(V.iloc[:1], P.iloc[:1])  # tied with its own median: low
    assert one["strategy"].tolist() == ["mass marketing"]


# --- Online Retail reader -----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "name", "value"),
    [
        (5, "source", 5),
        (None, "source", None),
        (["retail.csv"], "source", ["retail.csv"]),
        (Path("/no/such/retail.csv"), "retail.csv", "/no/such/retail.csv"),
    ],
)
def test_online_retail_bad_sources(source, name, value):
    assert_clear_error(lambda: read_online_retail(source), name, value)


def test_online_retail_bad_files(tmp_path):
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\xff\xfe\x00\x01 not text")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    for path in (garbage, empty, tmp_path):
        assert_clear_error(lambda p=path: read_online_retail(p), str(path), str(path))


@pytest.mark.parametrize(
    ("frame", "name", "value"),
    [
        (RETAIL.assign(InvoiceDate=[20101201] * 4), "InvoiceDate", 20101201),
        (with_entry(RETAIL, "InvoiceDate", "soon"), "InvoiceDate", "soon"),
        (with_entry(RETAIL, "InvoiceDate", None), "InvoiceDate", 1),
        (with_entry(RETAIL, "Quantity", "two"), "Quantity", "two"),
        (with_entry(RETAIL, "Quantity", math.nan), "Quantity", math.nan),
        (with_entry(RETAIL, "Price", math.inf), "Price", math.inf),
        (RETAIL.assign(Quantity=[True] * 4), "Quantity", "True"),
        (RETAIL.drop(columns="Price"), "Price", "Price"),
        (pd.concat([RETAIL, RETAIL[["Price"]]], axis=1), "source", "Price"),
    ],
)
def test_online_retail_bad_columns(frame, name, value):
    assert_clear_error(lambda: read_online_retail(frame), name, value)
    unchanged(lambda: read_online_retail(frame), frame)


@pytest.mark.parametrize("policy", ["net", None, True, "DROP"])
def test_online_retail_bad_policy(policy):
    assert_clear_error(
        lambda: read_online_retail(RETAIL, cancellations=policy),
        "cancellations",
        policy,
    )


def test_online_retail_odd_but_valid_tables():
    # the index is not used; rows without a customer id may hold anything
    dup = read_online_retail(RETAIL.set_axis([0, 0, 0, 0]))
    pd.testing.assert_frame_equal(dup, read_online_retail(RETAIL))
    junk = with_entry(RETAIL, "InvoiceDate", "junk", row=3)  # row 3 has no id
    assert len(read_online_retail(junk)) == 2
    assert read_online_retail(RETAIL.iloc[:0]).empty


@pytest.mark.parametrize("bad", BAD_POSITIVE[1:])
def test_every_bad_positive_is_a_bad_amount(bad):
    assert_clear_error(
        lambda: customer_summary(with_entry(TX, "amount", bad)),
        "transactions['amount']",
        bad,
    )
    with pytest.raises(ParameterError):
        top_share([1.0, 2.0], bad)
