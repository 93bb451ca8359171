"""Loyalty-programme design: members against ``pandas.cut``, the break-even retention
against a hand computation, against brute force over the explicit discounted sum and
against :func:`crmkit.clv.retention_clv`, and the edge cases (no cost, a cost no
retention repays, empty tiers, non-members)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from crmkit.clv import LoyaltyProgramme, loyalty_programme, retention_clv

TIERS = pd.DataFrame(
    {"threshold": [0, 100, 300], "point_rate": [1, 2, 3], "benefit_cost": [0, 5, 30]},
    index=["普通会员", "高级会员", "VIP会员"],
)
SPEND = [50, 80, 150, 500]
KW = {"margin": 0.3, "retention": [0.2, 0.5, 0.7], "discount_rate": 0.1}


def _series_clv(m: float, r: float, d: float, terms: int = 20_000) -> float:
    """Σ_{t=1}^{terms} m rᵗ/(1+d)ᵗ summed term by term (no closed form)."""
    t = np.arange(1, terms + 1)
    return float(np.sum(m * (r / (1 + d)) ** t))


def test_hand_computation_of_the_vip_tier():
    # VIP: one member spending 500; m = 0.3 * 500 = 150; c = 3 * 0.01 * 500 + 30 = 45
    # V = 150 * 0.7 / 0.4 = 262.5; r* = V (1.1) / (105 + V) = 288.75 / 367.5 = 11/14
    vip = loyalty_programme(SPEND, TIERS, **KW).table.loc["VIP会员"]
    assert vip["members"] == 1
    assert vip["margin"] == pytest.approx(150)
    assert vip["points_cost"] == pytest.approx(15)
    assert vip["cost"] == pytest.approx(45)
    assert vip["programme_cost"] == pytest.approx(45)
    assert vip["clv"] == pytest.approx(262.5)
    exact = Fraction(28875, 100) / Fraction(3675, 10)
    assert exact == Fraction(11, 14)
    assert vip["break_even_retention"] == pytest.approx(float(exact), abs=1e-15)
    assert vip["uplift"] == pytest.approx(11 / 14 - 0.7, abs=1e-15)


def test_hand_computation_of_the_two_lower_tiers():
    table = loyalty_programme(SPEND, TIERS, **KW).table
    # 普通会员: spend 50 and 80, mean 65: m = 19.5, c = 0.65, V = 19.5*0.2/0.9
    v = 19.5 * 0.2 / 0.9
    assert table.loc["普通会员", "clv"] == pytest.approx(v)
    assert table.loc["普通会员", "break_even_retention"] == pytest.approx(
        v * 1.1 / (19.5 - 0.65 + v), abs=1e-15
    )
    # 高级会员: 150: m = 45, c = 2*0.01*150 + 5 = 8, V = 45*0.5/0.6 = 37.5
    assert table.loc["高级会员", "cost"] == pytest.approx(8)
    assert table.loc["高级会员", "break_even_retention"] == pytest.approx(
        37.5 * 1.1 / (37 + 37.5), abs=1e-15
    )
    assert table["programme_cost"].sum() == pytest.approx(2 * 0.65 + 8 + 45)


def test_break_even_retention_restores_the_value_by_retention_clv():
    table = loyalty_programme(SPEND, TIERS, **KW).table
    for _, row in table.iterrows():
        with_programme = retention_clv(
            row["margin"] - row["cost"], row["break_even_retention"], 0.1
        )
        assert with_programme == pytest.approx(row["clv"], rel=1e-12)
        assert row["clv"] == pytest.approx(
            retention_clv(row["margin"], row["retention"], 0.1), rel=1e-12
        )


def test_break_even_retention_matches_brute_force_on_the_explicit_sum():
    rng = np.random.default_rng(16)
    spend = rng.gamma(0.8, 120.0, size=2_000)
    tiers = pd.DataFrame(
        {"threshold": [0, 60, 200, 600], "point_rate": [1, 1.5, 2, 4],
         "benefit_cost": [0, 2, 10, 25]},
        index=list("ABCD"),
    )  # fmt: skip
    d = 0.08
    table = loyalty_programme(
        spend, tiers, margin=0.25, retention=[0.3, 0.5, 0.65, 0.8], discount_rate=d
    ).table
    for name, row in table.iterrows():
        m, c, r = row["margin"], row["cost"], row["retention"]
        target = _series_clv(m, r, d)
        # a grid over r' in steps of 1e-5, then brentq on the term-by-term sum
        grid = np.arange(r, 0.99, 1e-5)
        gap = np.array([(m - c) * q / (1 + d - q) for q in grid]) - target
        k = int(np.argmax(gap >= 0))
        assert gap[k] >= 0 > gap[k - 1], name
        assert grid[k - 1] <= row["break_even_retention"] <= grid[k], name
        root = optimize.brentq(
            lambda q, m=m, c=c, target=target: _series_clv(m - c, q, d) - target,
            r,
            0.99,
            xtol=1e-14,
        )
        assert row["break_even_retention"] == pytest.approx(root, abs=1e-10), name


def test_members_follow_the_thresholds_as_pandas_cut_does():
    rng = np.random.default_rng(3)
    spend = np.round(rng.exponential(150.0, size=5_000), 0)  # ties at the thresholds
    spend[:3] = [100.0, 300.0, 99.99]
    tiers = TIERS.assign(threshold=[20, 100, 300])
    plan = loyalty_programme(spend, tiers, **KW)
    bins = pd.cut(spend, [20, 100, 300, np.inf], right=False, labels=tiers.index)
    expected = pd.Series(bins).value_counts(sort=False)
    assert plan.table["members"].tolist() == expected.tolist()
    assert plan.non_members == int((spend < 20).sum())
    means = pd.Series(spend).groupby(bins, observed=False).mean()
    np.testing.assert_allclose(plan.table["spend"], means.to_numpy(), rtol=1e-12)


def test_no_cost_needs_no_uplift():
    free = TIERS.assign(point_rate=0.0, benefit_cost=0.0)
    table = loyalty_programme(SPEND, free, **KW).table
    np.testing.assert_allclose(table["break_even_retention"], KW["retention"])
    np.testing.assert_allclose(table["uplift"], 0.0, atol=1e-15)
    assert table["programme_cost"].sum() == 0.0


def test_a_cost_no_retention_can_repay_gives_nan():
    # VIP member: m = 150, points 15, V = 262.5, V d = 26.25. Benefit 200: m - c < 0;
    # benefit 130: m - c = 5 < V d; benefit 100: m - c = 35 > V d, so r* < 1.
    for benefit, pays in [(200.0, False), (130.0, False), (100.0, True)]:
        tiers = TIERS.assign(benefit_cost=[0, 5, benefit])
        vip = loyalty_programme(SPEND, tiers, **KW).table.loc["VIP会员"]
        m, c, v = vip["margin"], vip["cost"], vip["clv"]
        # the limit r' -> 1 of (m - c) r'/(1 + d - r') is (m - c)/d
        assert ((m - c) / 0.1 > v) == pays
        assert np.isnan(vip["break_even_retention"]) == (not pays)
        assert np.isnan(vip["uplift"]) == (not pays)


def test_zero_discount_rate():
    table = loyalty_programme(SPEND, TIERS, margin=0.3, retention=0.5,
                              discount_rate=0).table  # fmt: skip
    for _, row in table.iterrows():
        assert retention_clv(
            row["margin"] - row["cost"], row["break_even_retention"], 0.0
        ) == pytest.approx(row["clv"], rel=1e-12)


def test_an_empty_tier_and_non_members():
    tiers = TIERS.assign(threshold=[60, 200, 1000])
    plan = loyalty_programme(SPEND, tiers, **KW)
    assert plan.non_members == 1
    assert plan.table["members"].tolist() == [2, 1, 0]
    empty = plan.table.loc["VIP会员"]
    assert empty["programme_cost"] == 0.0
    assert np.isnan(empty[["spend", "cost", "clv", "break_even_retention"]]).all()
    assert plan.total_cost == pytest.approx(plan.table["programme_cost"].sum())
    assert "1 non-members" in repr(plan)


def test_one_retention_for_all_tiers_equals_the_same_share_per_tier():
    one = loyalty_programme(SPEND, TIERS, margin=0.3, retention=0.6, discount_rate=0.1)
    each = loyalty_programme(
        SPEND, TIERS, margin=0.3, retention=pd.Series([0.6] * 3), discount_rate=0.1
    )
    pd.testing.assert_frame_equal(one.table, each.table)


def test_inputs_are_not_modified_and_the_result_is_frozen():
    spend = pd.Series(SPEND, dtype=float)
    tiers = TIERS.copy()
    plan = loyalty_programme(spend, tiers, **KW)
    pd.testing.assert_series_equal(spend, pd.Series(SPEND, dtype=float))
    pd.testing.assert_frame_equal(tiers, TIERS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.non_members = 0
    frame = plan.to_frame()
    frame.loc["VIP会员", "members"] = 99
    assert plan.table.loc["VIP会员", "members"] == 1
    assert isinstance(plan, LoyaltyProgramme)


@settings(max_examples=60, deadline=None)
@given(
    benefit=st.floats(0, 50),
    extra=st.floats(0.01, 20),
    r=st.floats(0.05, 0.9),
    d=st.floats(0, 0.3),
)
def test_uplift_rises_with_the_cost_of_benefits(benefit, extra, r, d):
    def uplift(b):
        tiers = pd.DataFrame(
            {"threshold": [0.0], "point_rate": [1.0], "benefit_cost": [b]}
        )
        return (
            loyalty_programme([400.0], tiers, margin=0.4, retention=r, discount_rate=d)
            .table["uplift"]
            .iloc[0]
        )

    low, high = uplift(benefit), uplift(benefit + extra)
    if np.isnan(low):
        assert np.isnan(high)
    elif not np.isnan(high):
        assert high > low >= 0
