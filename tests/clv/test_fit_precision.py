"""The CLV fits reach the optimum itself, on any machine, and the predictions are
accurate where the formulas overflow.

A fit that stops where a quasi-Newton tolerance says (as the fits did before) moves in
the 6th-7th digit when only the order of a sum changes; these tests change the order
of the rows, perturb the data by 1e-15 and sum without grouping, and ask for the same
parameters to 1e-9 relative. Predictions are checked against mpmath at 50 digits.
"""

from __future__ import annotations

import warnings

import mpmath as mp
import numpy as np
import pytest
from scipy import optimize

from crmkit.clv import BGNBD, GammaGamma, make_transactions
from crmkit.clv import _bgnbd as bgnbd_module
from crmkit.clv import _gammagamma as gg_module
from crmkit.datasets import load_cdnow
from crmkit.errors import FitError
from crmkit.segmentation import customer_summary

RTOL = 1e-9


@pytest.fixture(scope="module")
def calibration():
    s = customer_summary(load_cdnow(sample=True), as_of="1997-09-30", time_unit="W")
    cols = ("frequency", "recency", "T", "monetary_value")
    return {c: s[c].to_numpy(dtype=float) for c in cols}


def _variants(s):
    """The same customers in other orders, and perturbed by relative 1e-15."""
    n = s["frequency"].size
    shuffled = np.random.default_rng(7).permutation(n)
    cols = ("frequency", "recency", "T", "monetary_value")
    out = {
        "original": {c: s[c] for c in cols},
        "reversed": {c: s[c][::-1] for c in cols},
        "shuffled": {c: s[c][shuffled] for c in cols},
    }
    for sign in (1, -1):  # both times by the same factor keep recency <= T
        f = 1 + sign * 1e-15
        out[f"x(1{sign:+}e-15)"] = {
            "frequency": s["frequency"],
            "recency": s["recency"] * f,
            "T": s["T"] * f,
            "monetary_value": s["monetary_value"] * f,
        }
    return out


def _params(model):
    return np.array(list(model.params_.values()))


def test_bgnbd_fit_does_not_depend_on_row_order_or_the_last_bit(calibration):
    fits = {
        k: BGNBD().fit(v["frequency"], v["recency"], v["T"])
        for k, v in _variants(calibration).items()
    }
    ref = _params(fits["original"])
    for name, m in fits.items():
        np.testing.assert_allclose(_params(m), ref, rtol=RTOL, atol=0, err_msg=name)
        assert m.optimizer_.newton_step < 1e-10, name
        assert m.gradient_norm_ < 1e-7, name
    # the published values (FHL 2005): r 0.243, alpha 4.414, a 0.793, b 2.426
    assert [round(v, 3) for v in ref] == [0.243, 4.414, 0.793, 2.426]
    assert round(fits["original"].log_likelihood_, 1) == -9582.4


def test_bgnbd_fit_does_not_depend_on_how_the_sum_is_taken(calibration):
    """Summing customer by customer (no grouping of identical rows), in two orders,
    changes every partial sum of the likelihood and its gradient."""
    x, tx, t_obs = (calibration[c] for c in ("frequency", "recency", "T"))
    ref = _params(BGNBD().fit(x, tx, t_obs))
    order = np.random.default_rng(3).permutation(x.size)
    for idx in (np.arange(x.size), order):
        d = bgnbd_module._Data.of(x[idx], tx[idx], t_obs[idx], weights=np.ones(x.size))
        np.testing.assert_allclose(_params(BGNBD()._fit(d)), ref, rtol=RTOL, atol=0)


def test_bgnbd_optimum_is_a_maximum_with_zero_gradient(calibration):
    x, tx, t_obs = (calibration[c] for c in ("frequency", "recency", "T"))
    m = BGNBD().fit(x, tx, t_obs)
    assert m.log_likelihood(x, tx, t_obs) == pytest.approx(m.log_likelihood_, rel=1e-13)
    # every parameter moved by ±1e-5 (relative) lowers the likelihood
    for key in m.params_:
        for step in (1 + 1e-5, 1 - 1e-5):
            moved = BGNBD(params_={**m.params_, key: m.params_[key] * step})
            assert moved.log_likelihood(x, tx, t_obs) < m.log_likelihood_, key
    # and the analytic gradient there is zero to rounding (the old stop: 2e-5)
    d = bgnbd_module._Data.of(x, tx, t_obs)
    _, grad = bgnbd_module._nll_grad(m.optimizer_.x, d)
    assert np.linalg.norm(grad) * d.total < 1e-7
    assert np.all(np.linalg.eigvalsh(m.optimizer_.hess) > 0)


def test_gamma_gamma_fit_does_not_depend_on_row_order_or_the_last_bit(calibration):
    fits = {
        k: GammaGamma().fit(v["frequency"], v["monetary_value"])
        for k, v in _variants(calibration).items()
    }
    ref = _params(fits["original"])
    for name, g in fits.items():
        np.testing.assert_allclose(_params(g), ref, rtol=RTOL, atol=0, err_msg=name)
        assert g.optimizer_.newton_step < 1e-10, name
    assert [round(v, 2) for v in ref] == [6.25, 3.74, 15.44]  # FHL 2005 (JMR)
    keep = calibration["frequency"] > 0
    x, z = calibration["frequency"][keep], calibration["monetary_value"][keep]
    d = gg_module._Data.of(x[::-1], z[::-1], weights=np.ones(x.size))
    np.testing.assert_allclose(_params(GammaGamma()._fit(d)), ref, rtol=RTOL, atol=0)


@pytest.mark.parametrize(
    "theta",
    [np.log([0.243, 4.414 / 30, 0.793, 2.426]), np.array([0.3, -1.0, 0.7, -0.4]),
     np.array([-2.0, 1.0, -1.5, 1.5])],
)
def test_bgnbd_gradient_against_finite_differences(calibration, theta):
    d = bgnbd_module._Data.of(*(calibration[c] for c in ("frequency", "recency", "T")))
    d = bgnbd_module._Data(30.0, *list(vars(d).values())[1:])

    def f(t):
        return bgnbd_module._nll_grad(t, d)[0]

    def g(t):
        return bgnbd_module._nll_grad(t, d)[1]

    scale = np.linalg.norm(g(theta))
    assert optimize.check_grad(f, g, theta) < 1e-6 * max(scale, 1.0)
    h = 1e-5  # central differences: error ~h² and 1e-16/h
    central = np.array(
        [(f(theta + h * e) - f(theta - h * e)) / (2 * h) for e in np.eye(4)]
    )
    np.testing.assert_allclose(g(theta), central, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(
    "theta", [np.log([6.25, 3.74, 15.44 / 35]), np.array([0.5, 2.0, -1.0])]
)
def test_gamma_gamma_gradient_against_finite_differences(calibration, theta):
    keep = calibration["frequency"] > 0
    d = gg_module._Data.of(
        calibration["frequency"][keep], calibration["monetary_value"][keep]
    )

    def f(t):
        return gg_module._nll_grad(t, d)[0]

    def g(t):
        return gg_module._nll_grad(t, d)[1]

    assert optimize.check_grad(f, g, theta) < 1e-6 * max(np.linalg.norm(g(theta)), 1)
    h = 1e-5
    central = np.array(
        [(f(theta + h * e) - f(theta - h * e)) / (2 * h) for e in np.eye(3)]
    )
    np.testing.assert_allclose(g(theta), central, rtol=1e-7, atol=1e-9)


def test_full_cdnow_fit_agrees_with_lifetimes():
    s = customer_summary(load_cdnow(), as_of="1997-09-30", time_unit="W")
    x, tx, t_obs = (s[c] for c in ("frequency", "recency", "T"))
    assert len(s) == 23_570
    m = BGNBD().fit(x, tx, t_obs)  # its speed is measured in benchmarks/, not here
    # lifetimes 0.11 (BetaGeoFitter) on the same cohort
    assert round(m.log_likelihood_, 2) == -95368.44
    assert {k: round(v, 4) for k, v in m.params_.items()} == {
        "r": 0.2516, "alpha": 4.7889, "a": 0.7234, "b": 2.1611,
    }
    assert m.optimizer_.newton_step < 1e-10


def test_a_fit_without_a_finite_optimum_says_so():
    # 200 simulated customers whose drop-out heterogeneity vanishes: a, b -> infinity
    s = customer_summary(
        make_transactions(200, seed=1), as_of="1997-09-30", time_unit="W"
    )
    with pytest.raises(FitError, match="did not converge") as info:
        BGNBD().fit(s["frequency"], s["recency"], s["T"])
    assert "tried 4 starts: (r = 1, " in str(info.value)  # says what was tried
    with pytest.raises(FitError, match="did not converge"):
        BGNBD().fit([1, 2, 3, 1], [5.0, 6.0, 7.0, 4.0], [5.0, 6.0, 7.0, 4.0])


def test_a_spend_fit_with_infinite_mean_says_so():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 5, 400)
    z = rng.pareto(0.6, 400) + 1.0  # spend with an infinite mean
    with pytest.raises(FitError, match=r"q = .* ≤ 1|did not converge"):
        GammaGamma().fit(x, z)


# ------------------------------------------------------------------ predictions

mp.mp.dps = 50
R, ALPHA, A, B = (mp.mpf(v) for v in ("0.243", "4.414", "0.793", "2.426"))
MODEL = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})


def _mp_alive(x, tx, t_obs, a=A, b=B):
    x, tx, t_obs = mp.mpf(x), mp.mpf(tx), mp.mpf(t_obs)
    if x == 0:
        return mp.mpf(1)
    return 1 / (1 + a / (b + x - 1) * ((ALPHA + t_obs) / (ALPHA + tx)) ** (R + x))


def _mp_expected(t, x, tx, t_obs, a=A, b=B):
    """FHL (2005) eq. 10, at 50 digits."""
    t, x, t_obs = mp.mpf(t), mp.mpf(x), mp.mpf(t_obs)
    z = t / (ALPHA + t_obs + t)
    bracket = 1 - ((ALPHA + t_obs) / (ALPHA + t_obs + t)) ** (R + x) * mp.hyp2f1(
        R + x, b + x, a + b + x - 1, z
    )
    return (a + b + x - 1) / (a - 1) * bracket * _mp_alive(x, tx, t_obs, a, b)


def test_prob_alive_of_very_frequent_buyers_has_no_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = MODEL.prob_alive([1000], [10.0], [100.0])[0]
        purchases = MODEL.expected_purchases(39.0, [1000], [10.0], [100.0])[0]
    exact = _mp_alive(1000, 10, 100)  # about 1e-861: 0 in double precision
    assert value == float(exact) == 0.0
    assert purchases == 0.0
    # where the power overflows but the probability does not (b large), the old
    # formula gave 0; log space gives the value
    m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 1e5})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = m.prob_alive([360], [10.0], [100.0])[0]
    exact = _mp_alive(360, 10, 100, b=mp.mpf(10) ** 5)
    assert 1e-306 < value == pytest.approx(float(exact), rel=1e-12)


@pytest.mark.parametrize(
    ("t", "x", "tx", "t_obs"),
    [
        (39.0, 2, 30.43, 38.86),
        (39.0, 0, 0.0, 38.86),
        (1.0, 7, 20.0, 38.0),
        (1e-6, 3, 10.0, 30.0),
        (520.0, 15, 35.0, 36.0),
        (5000.0, 1, 1.0, 50.0),
        (39.0, 60, 38.0, 39.0),
    ],
)
def test_expected_purchases_against_mpmath(t, x, tx, t_obs):
    value = MODEL.expected_purchases(t, [x], [tx], [t_obs])[0]
    assert value == pytest.approx(float(_mp_expected(t, x, tx, t_obs)), rel=1e-10)
    alive = MODEL.prob_alive([x], [tx], [t_obs])[0]
    assert alive == pytest.approx(float(_mp_alive(x, tx, t_obs)), rel=1e-13)


@pytest.mark.parametrize("t", [0.5, 39.0, 1000.0])
def test_expected_purchases_new_against_mpmath(t):
    exact = _mp_expected(t, 0, 0, 0)  # eq. 9 is eq. 10 at x = t_x = T = 0
    assert MODEL.expected_purchases_new(t) == pytest.approx(float(exact), rel=1e-10)


@pytest.mark.parametrize("a", [1.0, 1 + 1e-8, 1 - 3e-6, 1 + 2e-5])
def test_expected_purchases_near_a_equal_1(a):
    """The formulas divide by a - 1; the limit exists (the expectation is smooth)."""
    m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": a, "b": 2.426})
    with mp.workdps(80):
        am = mp.mpf(a) if a != 1 else mp.mpf(1) + mp.mpf(10) ** -40
        exact = _mp_expected(39, 2, "30.43", "38.86", a=am)
    value = m.expected_purchases(39.0, [2], [30.43], [38.86])[0]
    assert value == pytest.approx(float(exact), rel=1e-9)


def test_expected_purchases_where_scipy_hyp2f1_fails():
    """Very frequent buyers and very long horizons go to the integral form."""
    for t, x, tx, t_obs in ((39.0, 1000, 99.0, 100.0), (1e7, 3, 20.0, 30.0)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            value = MODEL.expected_purchases(t, [x], [tx], [t_obs])[0]
        with mp.workdps(60):
            z = mp.mpf(t) / (ALPHA + t_obs + t)
            c = A + B + x - 1
            # Euler's transformation of eq. 10 (A&S 15.3.3), stable in mpmath here
            f = ((ALPHA + t_obs + t) / (ALPHA + t_obs)) ** (1 - A) * mp.hyp2f1(
                A - 1, c - R - x, c, z
            )
            exact = c * (1 - f) / (A - 1) * _mp_alive(x, tx, t_obs)
        assert value == pytest.approx(float(exact), rel=1e-9)
