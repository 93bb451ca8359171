"""BG/NBD, Gamma-Gamma and CLV against independent integrals, simulation and hand
sums."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from crmkit.clv import (
    BGNBD,
    CDNOW_TRUTH,
    GammaGamma,
    lifetime_value,
    make_transactions,
    retention_clv,
)
from crmkit.errors import DataError, FitError, ParameterError
from crmkit.segmentation import customer_summary

PARAMS = {k: CDNOW_TRUTH[k] for k in ("r", "alpha", "a", "b")}
MODEL = BGNBD(params_=dict(PARAMS))


@pytest.mark.parametrize("t", [1.0, 13.0, 39.0, 78.0])
def test_unconditional_expectation_by_integration(t):
    # E[X(t) | λ, p] = (1 − e^{−λpt}) / p; average over λ ~ Gamma(r, α), p ~ Beta(a, b)
    r, alpha, a, b = PARAMS.values()

    def given_p(p: float) -> float:
        return (1 - (alpha / (alpha + p * t)) ** r) / p * stats.beta.pdf(p, a, b)

    value, _ = integrate.quad(given_p, 0, 1, limit=200)
    assert MODEL.expected_purchases_new(t) == pytest.approx(value, rel=1e-7)


@pytest.fixture(scope="module")
def cohort():
    tx, truth = make_transactions(60_000, seed=11, truth=True)
    summary = customer_summary(
        tx[tx["date"] <= "1997-09-30"], as_of="1997-09-30", time_unit="W"
    )
    return tx, truth, summary


def test_prob_alive_matches_the_truth_in_aggregate(cohort):
    _, truth, s = cohort
    end = (pd.Timestamp("1997-09-30") - pd.Timestamp("1997-01-01")).days / 7
    alive = (truth.loc[s.index, "dropout_week"] > end).sum()
    predicted = MODEL.prob_alive(s["frequency"], s["recency"], s["T"]).sum()
    assert predicted == pytest.approx(alive, rel=0.01)


def test_conditional_expectation_predicts_the_holdout(cohort):
    tx, _, s = cohort
    hold = tx[(tx["date"] > "1997-09-30") & (tx["date"] <= "1998-06-30")]
    observed = (
        hold.groupby("customer_id")["date"].nunique().reindex(s.index, fill_value=0)
    )
    predicted = MODEL.expected_purchases(39.0, s["frequency"], s["recency"], s["T"])
    # purchases on the same day merge into one, so observed counts run a little lower
    assert predicted.sum() == pytest.approx(observed.sum(), rel=0.03)
    # and per frequency group (the FHL conditional-expectation check)
    by_x = (
        pd.DataFrame(
            {"x": s["frequency"].clip(upper=5), "pred": predicted, "obs": observed}
        )
        .groupby("x")
        .mean()
    )
    assert np.allclose(by_x["pred"], by_x["obs"], rtol=0.08, atol=0.02)


def test_fit_recovers_the_truth(cohort):
    _, _, s = cohort
    m = BGNBD().fit(s["frequency"], s["recency"], s["T"])
    for key, true in PARAMS.items():
        assert m.params_[key] == pytest.approx(true, rel=0.15), key
    assert m.log_likelihood(s["frequency"], s["recency"], s["T"]) == pytest.approx(
        m.log_likelihood_
    )


def test_gamma_gamma_recovers_mean_spend(cohort):
    _, _, s = cohort
    g = GammaGamma().fit(s["frequency"], s["monetary_value"])
    true_mean = CDNOW_TRUTH["p"] * CDNOW_TRUTH["gamma"] / (CDNOW_TRUTH["q"] - 1)
    assert g.mean_spend == pytest.approx(true_mean, rel=0.05)
    spend = g.expected_spend([0, 1, 50], [0.0, 100.0, 100.0])
    assert spend[0] == pytest.approx(g.mean_spend)
    assert spend[0] < spend[1] < spend[2] < 100.0


def test_retention_clv_against_brute_force():
    m, r, d = 120.0, 0.75, 0.08
    brute_end = sum(m * r**t / (1 + d) ** t for t in range(1, 2000))
    brute_start = sum(m * r**t / (1 + d) ** t for t in range(0, 2000))
    assert retention_clv(m, r, d) == pytest.approx(brute_end, rel=1e-12)
    assert retention_clv(m, r, d, timing="start") == pytest.approx(
        brute_start, rel=1e-12
    )
    assert retention_clv(m, r, d, periods=5) == pytest.approx(
        sum(m * r**t / (1 + d) ** t for t in range(1, 6)), rel=1e-12
    )
    assert retention_clv(m, 0.0, d) == 0.0
    with pytest.raises(ParameterError):
        retention_clv(m, 1.0, d)
    with pytest.raises(ParameterError):
        retention_clv(m, 0.8, -0.1)


def test_lifetime_value_against_a_hand_sum():
    g = GammaGamma(params_={"p": 6.25, "q": 3.74, "gamma": 15.44})
    s = pd.DataFrame(
        {
            "frequency": [2.0, 0.0],
            "recency": [30.43, 0.0],
            "T": [38.86, 38.86],
            "monetary_value": [22.35, 0.0],
        },
        index=["a", "b"],
    )
    clv = lifetime_value(
        MODEL, g, s, periods=3, period_length=4.0, discount_rate=0.01, margin=0.3
    )
    spend = g.expected_spend(s["frequency"], s["monetary_value"])
    hand = np.zeros(2)
    prev = np.zeros(2)
    for i in range(1, 4):
        cum = MODEL.expected_purchases(4.0 * i, s["frequency"], s["recency"], s["T"])
        hand += (cum - prev) * spend * 0.3 / 1.01**i
        prev = cum
    assert np.allclose(clv.to_numpy(), hand, rtol=1e-12)


def test_generator_is_reproducible():
    a = make_transactions(500, seed=4)
    pd.testing.assert_frame_equal(a, make_transactions(500, seed=4))
    assert not a.equals(make_transactions(500, seed=5))


def test_bad_input():
    with pytest.raises(DataError, match="recency"):
        BGNBD().fit([1, 0], [5.0, 2.0], [10.0, 10.0])
    with pytest.raises(DataError, match="exceeds"):
        BGNBD().fit([1], [12.0], [10.0])
    with pytest.raises(DataError, match="frequency"):
        BGNBD().fit([-1], [0.0], [10.0])
    with pytest.raises(DataError, match="differ in length"):
        BGNBD().fit([1, 2], [1.0], [3.0, 4.0])
    with pytest.raises(DataError, match="T is 0 for all"):
        BGNBD().fit([0, 0], [0.0, 0.0], [0.0, 0.0])
    with pytest.raises(DataError, match="frequency is 0 for all"):
        BGNBD().fit([0, 0], [0.0, 0.0], [3.0, 4.0])
    with pytest.raises(FitError, match="did not converge"):
        BGNBD().fit([1, 2, 3, 1], [5.0, 6.0, 7.0, 4.0], [5.0, 6.0, 7.0, 4.0])
    with pytest.raises(ParameterError, match="fit the model first"):
        BGNBD().prob_alive([1], [1.0], [2.0])
    with pytest.raises(DataError, match="repeat buyer"):
        GammaGamma().fit([0, 0, 1], [0.0, 0.0, 5.0])
