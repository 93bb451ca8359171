"""BG/BB: the published donation estimates, the likelihood and every prediction against
independent computations (enumeration of latent paths in mpmath, numerical integration
over the individual-level parameters), and parameter recovery from simulated data."""

from __future__ import annotations

import hashlib
import itertools

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate, stats

from crmkit.clv import BGBB, make_opportunity_summary
from crmkit.clv import _bgbb as bgbb_module
from crmkit.datasets import data_file, load_donations
from crmkit.errors import DataError, FitError

PUBLISHED = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}


@pytest.fixture(scope="module")
def donations():
    return load_donations()


@pytest.fixture(scope="module")
def fitted(donations):
    d = donations
    return BGBB().fit(d["frequency"], d["recency"], d["periods"], d["weights"])


# ------------------------------------------------------------------ independent maths


def _latent_paths(params, n):
    """Every (dropout opportunity, transaction sequence) of a customer with n
    opportunities, with its probability: P(alive at exactly L opportunities) and
    E[p^x (1-p)^(L-x)] as mpmath Beta moments. Returns (x, t_x, probability) per
    path. The model's own formulas are not used."""
    a, b, g, d = (mp.mpf(v) for v in params)
    out = []
    for alive in range(n + 1):  # opportunities alive: 0 … n
        if alive < n:
            p_alive = mp.beta(g + 1, d + alive) / mp.beta(g, d)
        else:
            p_alive = mp.beta(g, d + n) / mp.beta(g, d)
        for seq in itertools.product((0, 1), repeat=alive):
            x = sum(seq)
            tx = max((i + 1 for i, s in enumerate(seq) if s), default=0)
            p_seq = mp.beta(a + x, b + alive - x) / mp.beta(a, b)
            out.append((x, tx, p_alive * p_seq, alive))
    return out


def _brute_likelihood(params, x, tx, n):
    """P(one given sequence with summary (x, t_x) in n opportunities), summed over
    the latent number of opportunities alive L = t_x … n: P(L) E[p^x (1-p)^(L-x)],
    with mpmath Beta functions."""
    a, b, g, d = (mp.mpf(v) for v in params)
    total = mp.mpf(0)
    for alive in range(tx, n + 1):
        if alive < n:
            p_alive = mp.beta(g + 1, d + alive) / mp.beta(g, d)
        else:
            p_alive = mp.beta(g, d + n) / mp.beta(g, d)
        total += p_alive * mp.beta(a + x, b + alive - x) / mp.beta(a, b)
    return total


def _individual(p, theta, x, tx, n):
    """FHS (2010) individual-level likelihood of (x, t_x, n) given p and θ."""
    out = p**x * (1 - p) ** (n - x) * (1 - theta) ** n
    for i in range(n - tx):
        out += p**x * (1 - p) ** (tx - x + i) * theta * (1 - theta) ** (tx + i)
    return out


def _posterior_mean(params, x, tx, n, h):
    """E[future | data]: ∫∫ h(p, θ) A(p, θ) dF / ∫∫ L(p, θ) dF over the Beta mixing
    laws, by quadrature, with A = p^x (1-p)^(n-x) (1-θ)^n the part of the individual
    likelihood L in which the customer is still alive after opportunity n (a future
    transaction needs that), and h the expected future given p, θ and alive.

    The substitutions θ = u^(1/γ) and p = 1 − v^(1/β) absorb the endpoint
    singularities of the Beta densities (γ < 1, β < 1), so the integrands are smooth
    on the unit square (α, δ > 1 here)."""
    a, b, g, d = params

    def dens(v, u):
        theta, p = u ** (1 / g), 1 - v ** (1 / b)
        return p ** (a - 1) * (1 - theta) ** (d - 1) * _individual(p, theta, x, tx, n)

    def top(v, u):
        theta, p = u ** (1 / g), 1 - v ** (1 / b)
        alive = p**x * (1 - p) ** (n - x) * (1 - theta) ** n
        return p ** (a - 1) * (1 - theta) ** (d - 1) * alive * h(p, theta)

    opts = {"epsabs": 0, "epsrel": 1e-10}
    num = integrate.dblquad(top, 0, 1, 0, 1, **opts)[0]
    den = integrate.dblquad(dens, 0, 1, 0, 1, **opts)[0]
    return num / den


# ------------------------------------------------------------------ data and fit


def test_donations_are_the_lifetimes_file(donations):
    digest = hashlib.sha256(data_file("donations.csv").read_bytes()).hexdigest()
    assert digest == "82c25f26a201ff047e1cd5fe3d7967a45db92a025ecedee72ff8940e50104544"
    assert int(donations["weights"].sum()) == 11_104
    assert len(load_donations(expand=True)) == 11_104


def test_published_estimates_are_reproduced(fitted):
    # Fader, Hardie & Shang (2010): α 1.204, β 0.750, γ 0.657, δ 2.783; LL −33,225.6
    assert {k: round(v, 3) for k, v in fitted.params_.items()} == PUBLISHED
    assert round(fitted.log_likelihood_, 1) == -33225.6
    assert fitted.optimizer_.newton_step < 1e-10
    assert fitted.gradient_norm_ < 1e-6


def test_the_expanded_data_give_the_same_fit(fitted):
    d = load_donations(expand=True)
    m = BGBB().fit(d["frequency"], d["recency"], d["periods"])
    for k, v in fitted.params_.items():
        assert m.params_[k] == pytest.approx(v, rel=1e-9)
    assert m.log_likelihood_ == pytest.approx(fitted.log_likelihood_, rel=1e-12)


def test_summary_gives_standard_errors_and_intervals(fitted):
    table = fitted.summary()
    assert list(table.index) == list(PUBLISHED)
    assert (table["lower"] < table["estimate"]).all()
    assert (table["estimate"] < table["upper"]).all()
    assert table.attrs["n_customers"] == 11_104
    assert table.attrs["aic"] == pytest.approx(8 - 2 * fitted.log_likelihood_)
    # the interval is exp(log φ̂ ± 1.96 se(φ̂)/φ̂)
    se_log = table["std_error"] / table["estimate"]
    z = stats.norm.ppf(0.975)
    np.testing.assert_allclose(
        table["upper"], table["estimate"] * np.exp(z * se_log), rtol=1e-12
    )
    wide = fitted.summary(level=0.99)
    assert (wide["upper"] > table["upper"]).all()


def test_standard_errors_match_a_fresh_numerical_hessian(fitted, donations):
    d = donations
    data = bgbb_module._Data.of(
        *bgbb_module.opportunity_data(
            d["frequency"], d["recency"], d["periods"], d["weights"]
        )
    )
    theta = np.log(list(fitted.params_.values()))

    def nll(t):
        return bgbb_module._nll_grad(t, data)[0] * data.total

    h = 1e-4
    hess = np.empty((4, 4))
    for i in range(4):
        for j in range(4):
            ei, ej = np.eye(4)[i] * h, np.eye(4)[j] * h
            hess[i, j] = (
                nll(theta + ei + ej) - nll(theta + ei - ej) - nll(theta - ei + ej)
                + nll(theta - ei - ej)
            ) / (4 * h * h)
    se = np.exp(theta) * np.sqrt(np.diag(np.linalg.inv(hess)))
    np.testing.assert_allclose(list(fitted.standard_errors_.values()), se, rtol=1e-4)


def test_analytic_gradient_matches_finite_differences(donations):
    d = donations
    data = bgbb_module._Data.of(
        *bgbb_module.opportunity_data(
            d["frequency"], d["recency"], d["periods"], d["weights"]
        )
    )
    theta = np.log([0.8, 1.3, 0.4, 4.0])
    _, grad = bgbb_module._nll_grad(theta, data)
    h = 1e-6
    fd = [
        (bgbb_module._nll_grad(theta + e, data)[0]
         - bgbb_module._nll_grad(theta - e, data)[0]) / (2 * h)
        for e in np.eye(4) * h
    ]
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-9)


# ------------------------------------------------------------------ likelihood


@pytest.mark.parametrize(("x", "tx", "n"), [(0, 0, 6), (1, 1, 6), (2, 4, 6),
                                            (3, 3, 4), (6, 6, 6), (1, 5, 6)])
def test_likelihood_equals_the_sum_over_latent_paths(x, tx, n):
    model = BGBB(params_=dict(PUBLISHED))
    brute = float(_brute_likelihood(tuple(PUBLISHED.values()), x, tx, n))
    assert np.exp(model.log_likelihood([x], [tx], [n])) == pytest.approx(
        brute, rel=1e-12
    )


def test_likelihood_of_the_donations_at_the_published_values(donations):
    d = donations
    model = BGBB(params_=dict(PUBLISHED))
    ll = model.log_likelihood(d["frequency"], d["recency"], d["periods"], d["weights"])
    params = tuple(PUBLISHED.values())
    brute = sum(
        w * float(mp.log(_brute_likelihood(params, x, tx, n)))
        for x, tx, n, w in d.itertuples(index=False)
    )
    assert ll == pytest.approx(brute, rel=1e-12)


# ------------------------------------------------------------------ new customers


def test_distribution_of_transactions_equals_the_enumeration():
    params = tuple(PUBLISHED.values())
    model = BGBB(params_=dict(PUBLISHED))
    n = 6
    paths = _latent_paths(params, n)
    brute = [float(sum(p for x, _, p, _ in paths if x == k)) for k in range(n + 1)]
    got = model.prob_purchases(list(range(n + 1)), n)
    np.testing.assert_allclose(got, brute, rtol=1e-12)
    assert got.sum() == pytest.approx(1.0, abs=1e-13)
    assert model.prob_purchases(7, n) == 0.0
    mean = float(sum(x * p for x, _, p, _ in paths))
    assert model.expected_purchases_new(n) == pytest.approx(mean, rel=1e-12)


def _mp_survival_sum(g, d, n):
    """Σ_{t=1}^{n} B(γ, δ+t) / B(γ, δ) in mpmath at 40 digits: term by term for
    short horizons, else the closed form (its limit at γ = 1)."""
    with mp.workdps(40):
        g, d = mp.mpf(g), mp.mpf(d)
        if n <= 30:
            return mp.nsum(lambda t: mp.beta(g, d + t) / mp.beta(g, d), [1, n])
        if g == 1:
            return d * (mp.digamma(d + n + 1) - mp.digamma(d + 1))
        log_ratio = (mp.loggamma(g + d) + mp.loggamma(1 + d + n)
                     - mp.loggamma(1 + d) - mp.loggamma(g + d + n))
        return d / (g - 1) * (1 - mp.exp(log_ratio))


@pytest.mark.parametrize("gamma", [0.657, 1.0, 1.0 + 1e-9, 1.0005, 2.5])
def test_expected_purchases_new_short_and_long_horizons(gamma):
    params = {**PUBLISHED, "gamma": gamma}
    model = BGBB(params_=params)
    a, b = params["alpha"], params["beta"]
    for n, rel in ((1, 1e-12), (7, 1e-12), (30, 1e-12), (20_000, 1e-11),
                   (300_000, 1e-8)):
        # Σ_t P(alive at t) E[p]
        expected = float(a / (a + b) * _mp_survival_sum(gamma, params["delta"], n))
        assert model.expected_purchases_new(n) == pytest.approx(expected, rel=rel)
    assert model.expected_purchases_new(0) == 0.0


def test_closed_form_and_direct_sum_agree():
    m = np.array([1.0, 10.0, 500.0])
    for gamma in (0.3, 0.99, 1.2, 4.0):
        delta = np.array([0.5, 2.0, 30.0])
        np.testing.assert_allclose(
            bgbb_module._direct_sum(m, gamma, delta),
            bgbb_module._closed_sum(m, gamma, delta),
            rtol=1e-9,
        )


# ------------------------------------------------------------------ conditional


CASES = [(6, 6, 6), (3, 6, 6), (3, 3, 6), (0, 0, 6), (1, 2, 4)]


@pytest.mark.parametrize(("x", "tx", "n"), CASES)
def test_prob_alive_integrates_over_the_posterior(x, tx, n):
    model = BGBB(params_=dict(PUBLISHED))
    want = _posterior_mean(
        tuple(PUBLISHED.values()), x, tx, n, lambda p, th: 1 - th
    )
    assert model.prob_alive([x], [tx], [n])[0] == pytest.approx(want, rel=1e-8)


@pytest.mark.parametrize(("x", "tx", "n"), CASES)
def test_expected_purchases_integrate_over_the_posterior(x, tx, n):
    model = BGBB(params_=dict(PUBLISHED))
    t = 5

    def h(p, th):  # Σ_{s=1}^{t} p (1-θ)^s given alive after n
        return p * sum((1 - th) ** s for s in range(1, t + 1))

    want = _posterior_mean(tuple(PUBLISHED.values()), x, tx, n, h)
    got = model.expected_purchases(t, [x], [tx], [n])[0]
    assert got == pytest.approx(want, rel=1e-8)
    assert model.expected_purchases(0, [x], [tx], [n])[0] == 0.0


@pytest.mark.parametrize(("x", "tx", "n"), CASES)
@pytest.mark.parametrize("rate", [0.05, 0.1, 0.3])
def test_dert_equals_the_discounted_series(x, tx, n, rate):
    model = BGBB(params_=dict(PUBLISHED))
    z = 1 / (1 + rate)

    def h(p, th):  # Σ_{k>=1} p (1-θ)^k z^k, summed in closed form in θ
        q = (1 - th) * z
        return p * q / (1 - q)

    want = _posterior_mean(tuple(PUBLISHED.values()), x, tx, n, h)
    got = model.dert(rate, [x], [tx], [n])[0]
    assert got == pytest.approx(want, rel=1e-7)
    # and the truncated series of the model's own conditional expectations
    cum = np.array(
        [model.expected_purchases(k, [x], [tx], [n])[0] for k in range(0, 1200)]
    )
    series = float(np.sum(np.diff(cum) * z ** np.arange(1, 1200)))
    assert got == pytest.approx(series, rel=1e-10)
    assert model.clv(20.0, rate, [x], [tx], [n])[0] == pytest.approx(20 * got)


def test_dert_without_discount_needs_gamma_above_one():
    model = BGBB(params_={**PUBLISHED, "gamma": 2.0})
    undiscounted = model.dert(0.0, [3], [5], [6])[0]
    assert undiscounted > model.dert(0.01, [3], [5], [6])[0]
    with pytest.raises(ValueError, match="discount_rate"):
        BGBB(params_=dict(PUBLISHED)).dert(0.0, [3], [5], [6])


# ------------------------------------------------------------------ recovery


def test_parameters_are_recovered_within_their_intervals():
    truth = dict(PUBLISHED)
    s = make_opportunity_summary(40_000, seed=20240519, **truth)
    m = BGBB().fit(s["frequency"], s["recency"], s["n_periods"])
    table = m.summary()
    for k, v in truth.items():
        assert table.loc[k, "lower"] < v < table.loc[k, "upper"], (k, table)


def test_interval_coverage_is_close_to_nominal():
    truth = dict(PUBLISHED)
    hits = []
    for rep in range(30):
        s = make_opportunity_summary(3_000, seed=np.random.default_rng([7, rep]),
                                     **truth)
        table = BGBB().fit(s["frequency"], s["recency"], s["n_periods"]).summary()
        hits += [table.loc[k, "lower"] < v < table.loc[k, "upper"]
                 for k, v in truth.items()]
    # 120 intervals at 95 %: fewer than 104 hits has probability < 0.001
    assert sum(hits) >= 104


def test_generator_matches_the_model_distribution():
    truth = dict(PUBLISHED)
    s = make_opportunity_summary(200_000, seed=5, n_periods=6, **truth)
    model = BGBB(params_=truth)
    probs = model.prob_purchases(list(range(7)), 6)
    observed = np.bincount(s["frequency"], minlength=7)
    chi2 = stats.chisquare(observed, probs * len(s))
    assert chi2.pvalue > 1e-3


# ------------------------------------------------------------------ errors


def test_bad_records_are_refused():
    with pytest.raises(DataError, match="n_periods"):
        BGBB().fit([1], [7], [6])
    with pytest.raises(DataError, match="recency"):
        BGBB().fit([3], [2], [6])
    with pytest.raises(DataError, match="frequency = 0"):
        BGBB().fit([0], [2], [6])
    with pytest.raises(DataError, match="without repeat"):
        BGBB().fit([0, 0], [0, 0], [6, 6])


def test_a_fit_that_does_not_converge_says_so():
    with pytest.raises(FitError, match="did not converge"):
        BGBB().fit([0, 1, 2, 3], [0, 1, 3, 3], [3, 3, 3, 3], [5, 3, 2, 4])


def test_summary_needs_a_fit():
    with pytest.raises(FitError, match="fit"):
        BGBB(params_=dict(PUBLISHED)).summary()
    m = BGBB().fit(*make_opportunity_summary(3000, seed=1).iloc[:, 1:].T.to_numpy())
    m.params_["alpha"] = 2.0
    with pytest.raises(FitError, match="changed after the fit"):
        m.summary()
