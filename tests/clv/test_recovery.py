"""Parameter recovery with crmkit's public generators, for every model: each
generator is first checked against its model's closed forms (a seeded simulation
with a confidence interval or a chi-square test), then a fit on its output must put
the true parameters inside the 95 % intervals of ``summary()``.

Coverage is checked over independent replications: with k intervals at 95 %, fewer
than the stated number of hits has probability below 0.001 (binomial tail). The
MBG/NBD covers a little below nominal at 3,000 customers (its maximum-likelihood
estimates are biased upwards by about 4 % there, and unbiased at 200,000), so it is
checked at 20,000 customers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from crmkit._replication import mean_interval
from crmkit.clv import (
    BGBB,
    BGNBD,
    MBGNBD,
    ParetoNBD,
    ShiftedBetaGeometric,
    make_bgnbd_summary,
    make_gamma_gamma_summary,
    make_mbgnbd_summary,
    make_opportunity_histories,
    make_opportunity_summary,
    make_pareto_nbd_summary,
    make_renewals,
)

BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
MBG = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}
GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}
BGBB_TRUTH = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}


def _covered(table, truth) -> list[bool]:
    return [
        bool(table.loc[k, "lower"] < v < table.loc[k, "upper"])
        for k, v in truth.items()
    ]


# ------------------------------------------------------------ generators vs formulas


@pytest.mark.parametrize(
    ("cls", "make", "truth"),
    [(BGNBD, make_bgnbd_summary, BG), (MBGNBD, make_mbgnbd_summary, MBG)],
)
def test_bg_family_generator_has_the_model_distribution(cls, make, truth):
    s = make(200_000, seed=3, T=39.0, truth=True, **truth)
    m = cls(params_=dict(truth))
    x = s["frequency"].to_numpy()
    # the mean count against E[X(t)] (FHL 2005, eq. 9), in a 99.9 % interval
    mean, half = mean_interval(x.astype(float), level=0.999)
    assert abs(mean - m.expected_purchases_new(39.0)) < half
    # the whole distribution against P(X(t) = n) (FHL 2005, eq. 8)
    probs = m.prob_purchases(np.arange(8), 39.0)
    observed = np.bincount(np.minimum(x, 8), minlength=9)
    expected = np.append(probs, 1 - probs.sum()) * x.size
    assert stats.chisquare(observed, expected).pvalue > 1e-3
    # the drawn truth against P(alive | x, t_x, T) summed over the customers
    alive = m.prob_alive(x, s["recency"], s["T"])
    assert abs(s["alive"].sum() - alive.sum()) < 4 * np.sqrt(
        np.sum(alive * (1 - alive))
    )
    assert ((s["frequency"] == 0) == (s["recency"] == 0)).all()
    assert (s["recency"] <= s["T"]).all()


def test_gamma_gamma_generator_has_the_model_mean():
    s = make_gamma_gamma_summary(100_000, seed=4, frequency=3, **GG)
    # E[z̄] = p γ / (q − 1) for every x (Fader & Hardie 2013, note 025)
    mean, half = mean_interval(s["monetary_value"].to_numpy(), level=0.999)
    assert abs(mean - GG["p"] * GG["gamma"] / (GG["q"] - 1)) < half
    none = make_gamma_gamma_summary(5, seed=1, frequency=0)
    assert (none["monetary_value"] == 0).all()


def test_opportunity_histories_have_the_bgbb_distribution():
    h = make_opportunity_histories(100_000, seed=6, n_periods=6, **BGBB_TRUTH)
    counts = np.bincount(h.sum(axis=1), minlength=7)
    probs = BGBB(params_=dict(BGBB_TRUTH)).prob_purchases(list(range(7)), 6)
    assert stats.chisquare(counts, probs * len(h)).pvalue > 1e-3


def test_generators_are_reproducible():
    for make in (make_bgnbd_summary, make_mbgnbd_summary, make_gamma_gamma_summary):
        a, b = make(50, seed=9), make(50, seed=9)
        assert a.equals(b)
        assert not a.equals(make(50, seed=10))


# ------------------------------------------------------------ recovery


def test_mbgnbd_is_recovered_and_beats_the_bgnbd_on_its_own_data():
    s = make_mbgnbd_summary(20_000, seed=20240519, T=39.0, **MBG)
    m = MBGNBD().fit(s["frequency"], s["recency"], s["T"])
    assert all(_covered(m.summary(), MBG))
    assert BGNBD().fit(s["frequency"], s["recency"], s["T"]).log_likelihood_ < (
        m.log_likelihood_
    )


def test_pareto_nbd_bgbb_and_sbg_are_recovered_with_their_generators():
    truth = {"r": 0.8, "alpha": 8.0, "s": 0.7, "beta": 15.0}
    rng = np.random.default_rng(2024)
    weeks = rng.integers(30, 79, 5000).astype(float)  # whole weeks of observation
    c = make_pareto_nbd_summary(5_000, rng, T=weeks, **truth)
    assert all(
        _covered(ParetoNBD().fit(c["frequency"], c["recency"], c["T"]).summary(), truth)
    )
    s = make_opportunity_summary(20_000, seed=7, **BGBB_TRUTH)
    fit = BGBB().fit(s["frequency"], s["recency"], s["n_periods"])
    assert all(_covered(fit.summary(), BGBB_TRUTH))
    regular = {"alpha": 0.704, "beta": 1.182}
    r = make_renewals(20_000, seed=8, **regular)
    assert all(
        _covered(ShiftedBetaGeometric().fit(r["recency"], r["T"]).summary(), regular)
    )
