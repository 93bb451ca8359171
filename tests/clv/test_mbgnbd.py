"""The MBG/NBD (Batislam, Denizel & Filiztekin 2007) against independent computations:
lifetimes' ModifiedBetaGeoFitter, the likelihood integrated over λ and p with mpmath,
a finite-difference Hessian, a brute-force discounted sum, and the recovery of known
parameters from a seeded simulation written here (it shares no code with crmkit)."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate, stats

from crmkit.clv import BGNBD, MBGNBD, make_mbgnbd_summary
from crmkit.datasets import load_cdnow
from crmkit.segmentation import customer_summary

#: lifetimes 0.11.3, ModifiedBetaGeoFitter().fit(frequency, recency, T) on the CDNOW
#: sample summary (customer_summary(load_cdnow(sample=True), as_of="1997-09-30",
#: time_unit="W")), run in /work/benchvenv: params_, summary["se(coef)"], and its
#: predictions at its own parameters for the customers in CUSTOMERS.
LIFETIMES = {
    "params": {
        "r": 0.5248429031495964,
        "alpha": 6.183081764399258,
        "a": 0.8913595172712049,
        "b": 1.6140029311982784,
    },
    "se": {
        "r": 0.08326808867855806,
        "alpha": 0.6956199090361185,
        "a": 0.1547899380174854,
        "b": 0.5374947939555177,
    },
    "prob_alive": [
        0.38971518607268946,
        0.7061256993159635,
        0.8505970674716438,
        0.23311166449299137,
    ],
    "expected_39": [
        0.15395427693317557,
        1.2626692202500687,
        4.39331315142475,
        0.30961739448419484,
    ],
    "expected_new_39": 1.1822798470838023,
    "prob_n_39": [
        0.5826050537745053,
        0.18276393736096072,
        0.08687084130258677,
        0.04855081580223192,
    ],
}
CUSTOMERS = {
    "frequency": [0, 2, 7, 1],
    "recency": [0.0, 30.43, 35.0, 2.0],
    "T": [38.86, 38.86, 38.0, 30.0],
}


@pytest.fixture(scope="module")
def cdnow():
    s = customer_summary(load_cdnow(sample=True), as_of="1997-09-30", time_unit="W")
    return {c: s[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")}


@pytest.fixture(scope="module")
def fitted(cdnow):
    return MBGNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


def test_fit_agrees_with_lifetimes_and_reaches_the_optimum(fitted, cdnow):
    ours = fitted.params_
    for k, v in LIFETIMES["params"].items():
        assert ours[k] == pytest.approx(v, rel=2e-6), k  # lifetimes stops at ~1e-6
    assert fitted.optimizer_.newton_step < 1e-10
    assert fitted.gradient_norm_ < 1e-7
    # lifetimes' point is no better than ours
    theirs = MBGNBD(params_=LIFETIMES["params"]).log_likelihood(**cdnow)
    assert theirs <= fitted.log_likelihood_
    assert fitted.log_likelihood_ - theirs < 1e-6
    for k, v in LIFETIMES["se"].items():
        assert fitted.standard_errors_[k] == pytest.approx(v, rel=2e-3), k


def test_predictions_agree_with_lifetimes_at_its_parameters():
    m = MBGNBD(params_=LIFETIMES["params"])
    np.testing.assert_allclose(
        m.prob_alive(**CUSTOMERS), LIFETIMES["prob_alive"], rtol=1e-12
    )
    np.testing.assert_allclose(
        m.expected_purchases(39.0, **CUSTOMERS), LIFETIMES["expected_39"], rtol=1e-10
    )
    assert m.expected_purchases_new(39.0) == pytest.approx(
        LIFETIMES["expected_new_39"], rel=1e-10
    )
    np.testing.assert_allclose(
        m.prob_purchases(range(4), 39.0), LIFETIMES["prob_n_39"], rtol=1e-10
    )


def _mp_likelihood(params, x, tx, t_obs):
    """The individual MBG/NBD likelihood, ``(1−p)^(x+1) λ^x e^(−λT) + p (1−p)^x λ^x
    e^(−λ t_x)`` (alive at T, or dropped out at the x-th repeat purchase, the 0-th
    being the first purchase), integrated over λ ~ Gamma(r, α) and p ~ Beta(a, b) by
    mpmath quadrature; no closed form used."""
    r, alpha, a, b = (mp.mpf(v) for v in params)
    x, tx, t_obs = mp.mpf(x), mp.mpf(tx), mp.mpf(t_obs)

    def lam(t):
        return (
            mp.quad(
                lambda v: v ** (r - 1 + x) * mp.exp(-v * (alpha + t)), [0, 1, mp.inf]
            )
            * alpha**r
            / mp.gamma(r)
        )

    def beta(k, j):  # E[p^k (1 - p)^j]
        return mp.quad(
            lambda p: p ** (a - 1 + k) * (1 - p) ** (b - 1 + j), [0, 0.5, 1]
        ) / mp.beta(a, b)

    return beta(0, x + 1) * lam(t_obs) + beta(1, x) * lam(tx)


def test_likelihood_against_mpmath_quadrature():
    params = (0.52, 6.2, 0.89, 1.6)
    rows = [(0, 0.0, 38.86), (1, 2.0, 30.0), (2, 30.43, 38.86), (7, 35.0, 38.0)]
    mp.mp.dps = 30
    m = MBGNBD(params_=dict(zip(("r", "alpha", "a", "b"), params, strict=True)))
    for x, tx, t_obs in rows:
        exact = float(mp.log(_mp_likelihood(params, x, tx, t_obs)))
        assert m.log_likelihood([x], [tx], [t_obs]) == pytest.approx(exact, rel=1e-12)


def test_standard_errors_against_a_finite_difference_hessian(fitted, cdnow):
    """Central second differences of the public log-likelihood in log-parameters
    (step 1e-3; error ~1e-6 relative), inverted, then the delta method."""
    names = list(fitted.params_)
    theta = np.log([fitted.params_[n] for n in names])
    h = 1e-3

    def ll(t):
        return MBGNBD(params_=dict(zip(names, np.exp(t), strict=True))).log_likelihood(
            **cdnow
        )

    k = theta.size
    hess = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            ei, ej = np.eye(k)[i] * h, np.eye(k)[j] * h
            hess[i, j] = (
                ll(theta + ei + ej)
                - ll(theta + ei - ej)
                - ll(theta - ei + ej)
                + ll(theta - ei - ej)
            ) / (4 * h * h)
    se = np.exp(theta) * np.sqrt(np.diag(np.linalg.inv(-hess)))
    np.testing.assert_allclose(
        [fitted.standard_errors_[n] for n in names], se, rtol=1e-4
    )
    table = fitted.summary(0.9)
    z = stats.norm.ppf(0.95)
    np.testing.assert_allclose(
        table["upper"], np.exp(theta + z * se / np.exp(theta)), rtol=1e-4
    )
    assert table.attrs["n_customers"] == cdnow["frequency"].size
    assert table.attrs["aic"] == pytest.approx(8 - 2 * fitted.log_likelihood_)


def test_prob_purchases_is_a_distribution_with_the_right_mean():
    m = MBGNBD(params_=LIFETIMES["params"])
    for t in (0.0, 1.0, 39.0, 200.0):
        n = np.arange(4000)
        p = m.prob_purchases(n, t)
        assert p.sum() == pytest.approx(1.0, abs=1e-10), t
        assert (n * p).sum() == pytest.approx(m.expected_purchases_new(t), rel=1e-9)
    # P(X(t) = 0) >= a / (a + b): dropped out at the first purchase
    prm = LIFETIMES["params"]
    assert m.prob_purchases(0, 1e6) > prm["a"] / (prm["a"] + prm["b"])


def posterior_dert(params, x, t_obs, rate, shift=1):
    """E[λ / (δ + λp)] over λ ~ Gamma(r + x, α + T) and p ~ Beta(a, b + x + shift)
    (shift 1: MBG/NBD, 0: BG/NBD), the
    discounted purchases of a customer alive at T (∫ e^(−δt) λ e^(−λpt) dt), by
    nested scipy quadrature with the densities written out."""
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    delta = math.log1p(rate)
    shape, rate_l, bb = r + x, alpha + t_obs, b + x + shift
    log_g = shape * math.log(rate_l) - math.lgamma(shape)
    log_b = math.lgamma(a + bb) - math.lgamma(a) - math.lgamma(bb)

    def inner(v):
        val, _ = integrate.quad(
            lambda p: (
                math.exp(log_b + (a - 1) * math.log(p) + (bb - 1) * math.log1p(-p))
                * v
                / (delta + v * p)
            ),
            0,
            1,
            epsabs=0,
            epsrel=1e-12,
            limit=200,
        )
        return val * math.exp(log_g + (shape - 1) * math.log(v) - rate_l * v)

    top = stats.gamma.ppf(1 - 1e-16, shape, scale=1 / rate_l)
    val, _ = integrate.quad(
        inner, 0, top, epsabs=0, epsrel=1e-11, limit=200, points=[shape / rate_l]
    )
    return val


def test_dert_against_a_double_integral_and_a_brute_force_discounted_sum():
    m = MBGNBD(params_=LIFETIMES["params"])
    alive = m.prob_alive(**CUSTOMERS)
    for d in (0.0018, 0.05):
        got = m.dert(d, **CUSTOMERS)
        for i, (x, t_obs) in enumerate(
            zip(CUSTOMERS["frequency"], CUSTOMERS["T"], strict=True)
        ):
            exact = alive[i] * posterior_dert(LIFETIMES["params"], x, t_obs, d)
            assert got[i] == pytest.approx(exact, rel=1e-8), (d, i)
    # Σ (E[Y(t_k)] − E[Y(t_{k−1})]) (1 + d)^−t_mid on a grid of 0.5 up to 950 time
    # units, where (1 + d)^−t < 1e-20 (the midpoint rule leaves ~(δh)²/24 = 3e-5)
    grid = np.arange(0.0, 950.0, 0.5)
    cum = np.array([m.expected_purchases(t, **CUSTOMERS) for t in grid])
    mid = (grid[1:] + grid[:-1]) / 2
    brute = (np.diff(cum, axis=0) * 1.05 ** -mid[:, None]).sum(axis=0)
    np.testing.assert_allclose(got, brute, rtol=1e-4)


def test_parameter_recovery_from_simulated_customers():
    truth = {"r": 0.5, "alpha": 6.0, "a": 0.9, "b": 1.6}
    rng = np.random.default_rng(20240519)
    c = make_mbgnbd_summary(20_000, rng, T=rng.uniform(26.0, 39.0, 20_000), **truth)
    x, tx, t_obs = c["frequency"], c["recency"], c["T"]
    m = MBGNBD().fit(x, tx, t_obs)
    table = m.summary()
    for k, v in truth.items():
        assert table.loc[k, "lower"] < v < table.loc[k, "upper"], (k, table)
    # a BG/NBD fit to the same data explains them worse (it has no drop-out at 0)
    bg = BGNBD().fit(x, tx, t_obs)
    assert bg.log_likelihood_ < m.log_likelihood_


def test_no_repeat_buyer_is_surely_alive():
    m = MBGNBD(params_=LIFETIMES["params"])
    bg = BGNBD(params_=LIFETIMES["params"])
    assert m.prob_alive([0], [0.0], [0.0])[0] == pytest.approx(
        LIFETIMES["params"]["b"] / sum(LIFETIMES["params"][k] for k in ("a", "b"))
    )
    assert bg.prob_alive([0], [0.0], [10.0])[0] == 1.0
    assert m.prob_alive([0], [0.0], [10.0])[0] < 0.6
