"""BG/NBD and Gamma-Gamma give the API every model gives (issue 19): standard errors
and summary(), P(X(t) = n), DERT and CLV, weights; and their fitted numbers did not
move when the fit record was merged into ``_uncertainty``."""

from __future__ import annotations

import numpy as np
import pytest

from crmkit.clv import BGNBD, GammaGamma
from crmkit.datasets import load_cdnow
from crmkit.errors import FitError, ParameterError
from crmkit.segmentation import customer_summary
from tests.clv.test_mbgnbd import posterior_dert

#: lifetimes 0.11.3, BetaGeoFitter().fit on the CDNOW sample summary (run in
#: /work/benchvenv): params_, summary["se(coef)"] and
#: probability_of_n_purchases_up_to_time(39, n) for n = 0 … 3 at its parameters.
LIFETIMES_BG = {
    "params": {
        "r": 0.24259454342106715,
        "alpha": 4.413602716077379,
        "a": 0.7929218333480146,
        "b": 2.4259057287223023,
    },
    "se": {
        "r": 0.012557379181029438,
        "alpha": 0.3782241012650531,
        "a": 0.18573374969729126,
        "b": 0.705413849677443,
    },
    "prob_n_39": [
        0.5743071606916327,
        0.19919254313800508,
        0.08532292342736295,
        0.045797557536021286,
    ],
}
#: crmkit's fits before the merge (repr of the floats, this machine)
BEFORE = {
    "bgnbd": {
        "r": 0.24259452243015722,
        "alpha": 4.413602019013505,
        "a": 0.7929220172255685,
        "b": 2.4259067768262152,
    },
    "bgnbd_ll": -9582.42920667393,
    "gg": {
        "p": 6.249572271324018,
        "q": 3.7442246671319803,
        "gamma": 15.443520962588348,
    },
    "gg_ll": -4055.9176948018726,
}
CUSTOMERS = {
    "frequency": [0, 2, 7, 1],
    "recency": [0.0, 30.43, 35.0, 2.0],
    "T": [38.86, 38.86, 38.0, 30.0],
}


@pytest.fixture(scope="module")
def cdnow():
    s = customer_summary(load_cdnow(sample=True), as_of="1997-09-30", time_unit="W")
    cols = ("frequency", "recency", "T", "monetary_value")
    return {c: s[c].to_numpy(dtype=float) for c in cols}


@pytest.fixture(scope="module")
def fitted(cdnow):
    return BGNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


def test_fitted_numbers_did_not_move(fitted, cdnow):
    for k, v in BEFORE["bgnbd"].items():
        assert fitted.params_[k] == pytest.approx(v, rel=1e-12, abs=0), k
    assert fitted.log_likelihood_ == pytest.approx(BEFORE["bgnbd_ll"], rel=1e-14)
    gg = GammaGamma().fit(cdnow["frequency"], cdnow["monetary_value"])
    for k, v in BEFORE["gg"].items():
        assert gg.params_[k] == pytest.approx(v, rel=1e-12, abs=0), k
    assert gg.log_likelihood_ == pytest.approx(BEFORE["gg_ll"], rel=1e-14)


def test_standard_errors_agree_with_lifetimes(fitted):
    for k, v in LIFETIMES_BG["se"].items():
        assert fitted.standard_errors_[k] == pytest.approx(v, rel=1e-4), k
    table = fitted.summary()
    assert list(table.columns) == ["estimate", "std_error", "lower", "upper"]
    assert (table["lower"] < table["estimate"]).all()
    assert (table["estimate"] < table["upper"]).all()
    assert table.attrs["bic"] == pytest.approx(
        4 * np.log(2357) - 2 * fitted.log_likelihood_
    )


def test_summary_needs_a_fit_and_unchanged_parameters(fitted):
    with pytest.raises(FitError, match="no fit to summarise"):
        BGNBD(params_=dict(LIFETIMES_BG["params"])).summary()
    moved = BGNBD(params_=dict(fitted.params_), optimizer_=fitted.optimizer_)
    moved.params_["r"] = 0.3
    with pytest.raises(FitError, match="changed after the fit"):
        moved.summary()
    with pytest.raises(ParameterError, match="level"):
        fitted.summary(1.5)


def test_prob_purchases_agrees_with_lifetimes_sums_to_one_and_has_the_mean():
    m = BGNBD(params_=LIFETIMES_BG["params"])
    np.testing.assert_allclose(
        m.prob_purchases(range(4), 39.0), LIFETIMES_BG["prob_n_39"], rtol=1e-10
    )
    for t in (0.0, 0.5, 39.0, 300.0):
        n = np.arange(6000)
        p = m.prob_purchases(n, t)
        assert p.sum() == pytest.approx(1.0, abs=1e-10), t
        assert (n * p).sum() == pytest.approx(m.expected_purchases_new(t), rel=1e-9)
    assert m.prob_purchases(0, 0.0) == 1.0


def test_dert_against_a_double_integral_and_a_brute_force_sum():
    m = BGNBD(params_=LIFETIMES_BG["params"])
    alive = m.prob_alive(**CUSTOMERS)
    got = m.dert(0.05, **CUSTOMERS)
    for i, (x, t_obs) in enumerate(
        zip(CUSTOMERS["frequency"], CUSTOMERS["T"], strict=True)
    ):
        exact = alive[i] * posterior_dert(LIFETIMES_BG["params"], x, t_obs, 0.05, 0)
        assert got[i] == pytest.approx(exact, rel=1e-8), i
    grid = np.arange(0.0, 950.0, 0.5)
    cum = np.array([m.expected_purchases(t, **CUSTOMERS) for t in grid])
    mid = (grid[1:] + grid[:-1]) / 2
    brute = (np.diff(cum, axis=0) * 1.05 ** -mid[:, None]).sum(axis=0)
    np.testing.assert_allclose(got, brute, rtol=1e-4)
    np.testing.assert_allclose(m.clv(20.0, 0.05, **CUSTOMERS), 20.0 * got)


def test_undiscounted_dert_is_the_limit_of_expected_purchases():
    m = BGNBD(params_={"r": 0.3, "alpha": 5.0, "a": 2.5, "b": 3.0})
    limit = m.dert(0.0, **CUSTOMERS)
    # E[Y(t)] approaches its limit like t^-(r + x): slowly for x = 0 (r = 0.3), where
    # the limit is E[1/p] = (a + b − 1) / (a − 1) = 3 of p ~ Beta(a, b)
    assert limit[0] == pytest.approx(3.0, rel=1e-14)
    np.testing.assert_allclose(
        limit[1:], m.expected_purchases(1e15, **CUSTOMERS)[1:], rtol=1e-9
    )
    np.testing.assert_allclose(m.dert(1e-9, **CUSTOMERS)[1:], limit[1:], rtol=1e-5)
    with pytest.raises(ParameterError, match="discount_rate = 0"):
        BGNBD(params_=LIFETIMES_BG["params"]).dert(0.0, **CUSTOMERS)


def test_weights_give_the_fit_of_the_expanded_data(cdnow, fitted):
    x, tx, t_obs = (cdnow[c] for c in ("frequency", "recency", "T"))
    rows, counts = np.unique(
        np.column_stack((x, tx, t_obs)), axis=0, return_counts=True
    )
    m = BGNBD().fit(rows[:, 0], rows[:, 1], rows[:, 2], weights=counts)
    for k, v in fitted.params_.items():
        assert m.params_[k] == pytest.approx(v, rel=1e-9), k
    assert m.log_likelihood_ == pytest.approx(fitted.log_likelihood_, rel=1e-12)
    assert m.log_likelihood(rows[:, 0], rows[:, 1], rows[:, 2], counts) == (
        pytest.approx(fitted.log_likelihood_, rel=1e-12)
    )
    z = cdnow["monetary_value"]
    g = GammaGamma().fit(x, z)
    gw = GammaGamma().fit(
        np.r_[x, x[:5]], np.r_[z, z[:5]], weights=np.r_[np.ones(x.size), np.zeros(5)]
    )
    for k, v in g.params_.items():
        assert gw.params_[k] == pytest.approx(v, rel=1e-9), k
    assert set(g.summary().index) == {"p", "q", "gamma"}
