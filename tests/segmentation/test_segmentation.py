"""Summary, concentration, RFM, clusters, strategy and lifecycle: definitions and bad
input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmkit.datasets import load_cdnow
from crmkit.errors import DataError, ParameterError
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

TX = pd.DataFrame(
    {
        "customer_id": ["a", "a", "a", "b", "c", "c"],
        "date": [
            "2024-01-01",
            "2024-01-01",
            "2024-02-01",
            "2024-01-20",
            "2024-01-05",
            "2024-03-01",
        ],
        "amount": [10.0, 5.0, 20.0, 7.0, 3.0, 4.0],
    }
)


def test_summary_definitions():
    s = customer_summary(TX, as_of="2024-03-01")
    a = s.loc["a"]
    assert a["n_purchase_days"] == 2 and a["frequency"] == 1  # same-day rows merged
    assert a["total_spend"] == 35.0 and a["monetary_value"] == 20.0  # repeat days only
    assert a["recency"] == 31 and a["T"] == 60 and a["days_since_last"] == 29
    w = customer_summary(TX, as_of="2024-03-01", time_unit="W")
    assert w.loc["a", "T"] == pytest.approx(60 / 7)
    early = customer_summary(TX, as_of="2024-01-10")
    assert set(early.index) == {"a", "c"} and early.loc["a", "n_purchase_days"] == 1


def test_summary_defaults_as_of_to_the_last_date():
    assert customer_summary(TX).attrs["as_of"] == "2024-03-01"


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 60), st.floats(0, 500)),
        min_size=1,
        max_size=80,
    )
)
def test_summary_against_a_plain_pandas_groupby(rows):
    tx = pd.DataFrame(rows, columns=["customer_id", "day", "amount"])
    tx["date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(tx["day"], unit="D")
    ours = customer_summary(tx)
    per_day = tx.groupby(["customer_id", "date"])["amount"].sum().reset_index()
    g = per_day.groupby("customer_id")
    assert (ours["n_purchase_days"] == g.size()).all()
    assert np.allclose(ours["total_spend"], g["amount"].sum())
    first_spend = per_day.sort_values("date").groupby("customer_id")["amount"].first()
    repeats = g.size() - 1
    expected_m = ((g["amount"].sum() - first_spend) / repeats.clip(lower=1)).where(
        repeats > 0, 0.0
    )
    assert np.allclose(ours["monetary_value"], expected_m)


def test_functions_leave_their_input_unchanged():
    tx = TX.copy()
    s = customer_summary(tx, as_of="2024-03-01")
    s_copy = s.copy()
    scores = rfm_scores(s, bins=3)
    scores_copy = scores.copy()
    rfm_segments(scores)
    abc_classes(s["total_spend"])
    value_tiers(s["total_spend"])
    lifecycle_stages(s)
    kmeans_segments(s[["frequency", "total_spend"]], 2, seed=1)
    strategy_matrix(s["total_spend"], s["frequency"].astype(float))
    pd.testing.assert_frame_equal(tx, TX)
    pd.testing.assert_frame_equal(s, s_copy)
    pd.testing.assert_frame_equal(scores, scores_copy)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda t: t.drop(columns="amount"), "amount"),
        (lambda t: t.rename(columns={"date": "day"}), "date"),
        (
            lambda t: t.assign(date=["2024-01-01", "not a date", *t["date"][2:]]),
            "'not a date' at position 1",
        ),
        (lambda t: t.assign(amount=[np.nan, *t["amount"][1:]]), "finite"),
        (lambda t: t.assign(amount=[-1.0, *t["amount"][1:]]), "negative"),
        (lambda t: t.iloc[:0], "empty"),
    ],
)
def test_summary_bad_input(change, match):
    with pytest.raises(DataError, match=match):
        customer_summary(change(TX))


def test_summary_as_of_before_the_data():
    with pytest.raises(DataError, match="before the first transaction"):
        customer_summary(TX, as_of="2023-12-31")
    with pytest.raises(ParameterError, match="time_unit"):
        customer_summary(TX, time_unit="M")


def test_abc_rule_and_ties():
    v = pd.Series([50, 30, 10, 6, 4], index=list("abcde"))
    assert abc_classes(v).tolist() == ["A", "A", "B", "B", "C"]
    # the customer who crosses 80 % is A: before it 70 %, after it 90 %
    v2 = pd.Series([70, 20, 10], index=["x", "y", "z"])
    assert abc_classes(v2).tolist() == ["A", "A", "B"]
    # ties break by index ascending
    tied = pd.Series([10, 10, 10, 10], index=[3, 1, 2, 0])
    assert abc_classes(tied, cutoffs=(0.5, 0.75)).loc[[0, 1, 2, 3]].tolist() == [
        "A",
        "A",
        "B",
        "C",
    ]
    with pytest.raises(DataError):
        abc_classes(pd.Series([0.0, 0.0]))
    with pytest.raises(ParameterError):
        abc_classes(v, cutoffs=(0.9, 0.8))


def test_value_tiers_pyramid():
    v = pd.Series(np.arange(1000, 0, -1), index=range(1000))
    counts = value_tiers(v).value_counts()
    assert counts.to_dict() == {"ordinary": 650, "small": 200, "major": 100, "VIP": 50}
    three = value_tiers(v, shares=(0.05, 0.20), labels=("key", "mid", "low"))
    assert three.value_counts().to_dict() == {"low": 800, "mid": 150, "key": 50}
    assert value_tiers(v).loc[0] == "VIP" and value_tiers(v).loc[999] == "small"


def test_gini_against_the_mean_difference_formula():
    rng = np.random.default_rng(0)
    for x in (
        rng.gamma(0.5, 100, 300),
        rng.integers(0, 5, 50).astype(float),
        np.ones(7),
    ):
        if x.sum() == 0:
            continue
        mean_abs = np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean())
        assert gini(x) == pytest.approx(mean_abs, abs=1e-12)
        curve = lorenz_curve(x)
        area = np.trapezoid(curve["share_of_value"], curve["share_of_customers"])
        assert gini(x) == pytest.approx(1 - 2 * area, abs=1e-12)


def test_top_share_and_cdnow_pareto():
    assert top_share([4, 3, 2, 1], 0.5) == 0.7
    spend = customer_summary(load_cdnow())["total_spend"]
    share = top_share(spend, 0.2)
    assert 0.6 < share < 0.8  # CDNOW: the top 20 % spend about two thirds
    assert gini(spend) > 0.5


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.integers(1, 20), st.floats(0, 1000)),
        min_size=2,
        max_size=60,
    ),
    st.integers(2, 7),
)
def test_rfm_ties_share_scores_and_order_is_kept(rows, bins):
    s = pd.DataFrame(
        rows, columns=["days_since_last", "n_purchase_days", "total_spend"]
    )
    sc = rfm_scores(s, bins=bins)
    assert (
        sc[["R", "F", "M"]].min().min() >= 1 and sc[["R", "F", "M"]].max().max() <= bins
    )
    for col, src, better in (
        ("R", "days_since_last", -1),
        ("F", "n_purchase_days", 1),
        ("M", "total_spend", 1),
    ):
        key = s[src] * better
        for v in key.unique():
            tied = sc.loc[key == v, col]
            assert (tied == tied.iloc[0]).all()  # ties share a score
        order = np.argsort(key.to_numpy(), kind="stable")
        assert (np.diff(sc[col].to_numpy()[order]) >= 0).all()  # better → not lower


def test_rfm_best_get_top_score_and_segments():
    s = pd.DataFrame(
        {
            "days_since_last": np.arange(10),
            "n_purchase_days": np.arange(10, 0, -1),
            "total_spend": np.arange(10, 0, -1) * 10.0,
        }
    )
    sc = rfm_scores(s)
    assert sc.loc[0, "RFM"] == "555" and sc.loc[9, "RFM"] == "111"
    cn = rfm_segments(sc)
    assert (
        cn.loc[0, "name_zh"] == "重要价值客户"
        and cn.loc[9, "name_zh"] == "一般挽回客户"
    )
    assert set(segment_table("cn8")["name_zh"]) >= set(cn["name_zh"])
    grid = pd.DataFrame(
        [(r, f, m) for r in range(1, 6) for f in range(1, 6) for m in range(1, 6)],
        columns=["R", "F", "M"],
    )
    named = rfm_segments(grid, scheme="en")
    assert named["segment"].notna().all() and named["segment"].nunique() == 10
    with pytest.raises(ParameterError):
        rfm_segments(grid, scheme="xx")


def test_kmeans_labels_are_deterministic_and_ordered_by_value():
    rng = np.random.default_rng(3)
    f = pd.DataFrame(
        {
            "spend": np.r_[
                rng.gamma(2, 10, 80), rng.gamma(2, 100, 80), rng.gamma(2, 1000, 40)
            ],
            "orders": np.r_[rng.poisson(1, 80), rng.poisson(4, 80), rng.poisson(12, 40)]
            + 1,
        }
    )
    a = kmeans_segments(f, 3, seed=1, value="spend")
    b = kmeans_segments(f, 3, seed=99, value="spend")
    assert (a.labels == b.labels).all()
    assert a.profile["spend"].is_monotonic_decreasing
    assert a.profile["size"].sum() == len(f)
    diag = cluster_diagnostics(f, range(2, 6), seed=0)
    assert diag["inertia"].is_monotonic_decreasing
    assert cluster_stability(f, 3, seeds=range(4)) > 0.8
    with pytest.raises(DataError, match="cannot form"):
        kmeans_segments(f.head(3), 3)
    with pytest.raises(DataError, match="negatives"):
        kmeans_segments(f.assign(spend=-f["spend"]), 2)


def test_strategy_matrix_cells_and_thresholds():
    v = pd.Series([1.0, 9.0, 9.0, 1.0, 5.0])
    p = pd.Series([0.1, 0.1, 0.9, 0.9, 0.5])
    m = strategy_matrix(v, p)
    assert m["策略"].tolist() == [
        "大众市场营销",
        "频次营销",
        "定制营销",
        "放弃",
        "大众市场营销",
    ]
    assert m.attrs["value_threshold"] == 5.0
    with pytest.raises(DataError):
        strategy_matrix(v, p.iloc[:3])


def test_lifecycle_rules():
    s = pd.DataFrame(
        {"days_since_last": [5, 5, 5, 200, 500], "n_purchase_days": [1, 3, 4, 9, 9]}
    )
    assert lifecycle_stages(s)["stage"].tolist() == [
        "acquisition",
        "growth",
        "maturity",
        "decline",
        "lapsed",
    ]
    assert lifecycle_stages(s, mature_purchases=3)["stage"].tolist()[1] == "maturity"
    with pytest.raises(ParameterError):
        lifecycle_stages(s, decline_after_days=400, lapsed_after_days=300)


def test_online_retail_policy_is_reported(tmp_path):
    raw = pd.DataFrame(
        {
            "Invoice": ["1", "1", "C2", "3", "4", "5"],
            "StockCode": list("ABCDEF"),
            "Description": [""] * 6,
            "Quantity": [2, 1, -2, 5, 1, 3],
            "InvoiceDate": ["2010-12-01 08:26"] * 6,
            "Price": [2.5, 4.0, 2.5, 1.0, 0.0, 2.0],
            "Customer ID": [17850.0, 17850.0, 17850.0, None, 13047.0, 13047.0],
            "Country": ["United Kingdom"] * 6,
        }
    )
    path = tmp_path / "retail.csv"
    raw.to_csv(path, index=False)
    tx = read_online_retail(path)
    assert tx["amount"].tolist() == [5.0, 4.0, 6.0]
    assert tx["customer_id"].tolist() == ["17850", "17850", "13047"]
    report = tx.attrs["excluded"].set_index("reason")
    assert report.loc["missing customer id", "rows"] == 1
    assert report.loc["non-positive price", "rows"] == 1
    assert report.loc["cancellation", "amount"] == -5.0
    kept = read_online_retail(raw, cancellations="keep")
    assert (kept["amount"] < 0).sum() == 1
    with pytest.raises(DataError, match="Customer ID"):
        read_online_retail(raw.drop(columns="Customer ID"))
    with pytest.raises(ParameterError):
        read_online_retail(raw, cancellations="net")
    summary = customer_summary(tx)
    assert summary.loc["17850", "total_spend"] == 9.0
