"""sBG: the published estimates of both cohorts, the likelihood against a direct
computation, retention/survival identities, DEL and DERL against truncated series and
mpmath, and parameter recovery from simulated cohorts."""

from __future__ import annotations

import hashlib

import mpmath as mp
import numpy as np
import pytest
from scipy import stats

from crmkit.clv import ShiftedBetaGeometric, make_renewals
from crmkit.clv import _sbg as sbg_module
from crmkit.datasets import data_file, load_retention_cohorts
from crmkit.errors import DataError, FitError, ParameterError

#: Fader & Hardie (2007), Table 1, years 0-7
SURVIVORS = {
    "highend": [1000, 869, 743, 653, 593, 551, 517, 491],
    "regular": [1000, 631, 468, 382, 326, 289, 262, 241],
}
#: Fader & Hardie (2007): the estimates on years 1-7
PUBLISHED = {
    "highend": {"alpha": 0.668, "beta": 3.806},
    "regular": {"alpha": 0.704, "beta": 1.182},
}
REGULAR = PUBLISHED["regular"]


def test_the_file_is_the_pymc_marketing_one_and_holds_the_published_table():
    digest = hashlib.sha256(data_file("retention_cohorts.csv").read_bytes()).hexdigest()
    assert digest == "315518e9afeb6875fdec6d2b1dbf84f9311a785914bb8937ce1bf090a851d0af"
    table = load_retention_cohorts(survivors=True)
    assert table["year"].tolist() == list(range(8))
    for cohort, counts in SURVIVORS.items():
        assert table[cohort].tolist() == counts


@pytest.mark.parametrize("cohort", ["highend", "regular"])
def test_published_estimates_from_survivors_and_from_records(cohort):
    m = ShiftedBetaGeometric().fit_survivors(SURVIVORS[cohort])
    assert {k: round(v, 3) for k, v in m.params_.items()} == PUBLISHED[cohort]
    assert m.optimizer_.newton_step < 1e-10
    frame = load_retention_cohorts()
    rows = frame[frame["cohort"] == cohort]
    per_customer = ShiftedBetaGeometric().fit(rows["recency"], rows["T"])
    for k, v in m.params_.items():
        assert per_customer.params_[k] == pytest.approx(v, rel=1e-9)
    assert per_customer.log_likelihood_ == pytest.approx(m.log_likelihood_, rel=1e-12)


def _direct_loglik(alpha, beta, counts):
    """Σ_t (n_{t-1} - n_t) log P(T = t) + n_k log S(k), with P(T = t) from the
    individual θ(1-θ)^(t-1) integrated over Beta(α, β) by mpmath quadrature."""
    a, b = mp.mpf(alpha), mp.mpf(beta)
    norm = mp.beta(a, b)

    def p_churn(t):
        return mp.quad(lambda th: th ** (a - 1) * (1 - th) ** (b - 1)
                       * th * (1 - th) ** (t - 1), [0, 1]) / norm

    k = len(counts) - 1
    ll = sum((counts[t - 1] - counts[t]) * mp.log(p_churn(t)) for t in range(1, k + 1))
    survive = 1 - sum(p_churn(t) for t in range(1, k + 1))
    return float(ll + counts[k] * mp.log(survive))


@pytest.mark.parametrize("cohort", ["highend", "regular"])
def test_log_likelihood_against_quadrature(cohort):
    m = ShiftedBetaGeometric().fit_survivors(SURVIVORS[cohort])
    direct = _direct_loglik(m.params_["alpha"], m.params_["beta"], SURVIVORS[cohort])
    assert m.log_likelihood_ == pytest.approx(direct, rel=1e-10)
    records = load_retention_cohorts()
    rows = records[records["cohort"] == cohort]
    assert m.log_likelihood(rows["recency"], rows["T"]) == pytest.approx(
        direct, rel=1e-10
    )


def test_analytic_gradient_matches_finite_differences():
    r, t, w = sbg_module.contract_data([1, 2, 2, 5, 5, 3], [5, 5, 5, 5, 5, 3])
    data = sbg_module._Data.of(r, t, w)
    theta = np.log([0.7, 2.5])
    _, grad = sbg_module._nll_grad(theta, data)
    h = 1e-6
    fd = [(sbg_module._nll_grad(theta + e, data)[0]
           - sbg_module._nll_grad(theta - e, data)[0]) / (2 * h)
          for e in np.eye(2) * h]
    np.testing.assert_allclose(grad, fd, rtol=1e-7)


def test_summary_and_standard_errors():
    m = ShiftedBetaGeometric().fit_survivors(SURVIVORS["regular"])
    table = m.summary()
    assert list(table.index) == ["alpha", "beta"]
    assert table["std_error"].to_dict() == m.standard_errors_
    assert table.attrs["n_customers"] == 1000
    assert table.attrs["bic"] == pytest.approx(
        2 * np.log(1000) - 2 * m.log_likelihood_
    )
    # observed information of the two parameters by mpmath differentiation
    counts = SURVIVORS["regular"]

    def ll(la, lb):
        a, b = mp.exp(la), mp.exp(lb)
        k = len(counts) - 1
        out = sum((counts[t - 1] - counts[t])
                  * (mp.log(mp.beta(a + 1, b + t - 1)) - mp.log(mp.beta(a, b)))
                  for t in range(1, k + 1))
        return out + counts[k] * (mp.log(mp.beta(a, b + k)) - mp.log(mp.beta(a, b)))

    th = [mp.log(m.params_["alpha"]), mp.log(m.params_["beta"])]
    info = -mp.matrix([[mp.diff(ll, th, (2, 0)), mp.diff(ll, th, (1, 1))],
                       [mp.diff(ll, th, (1, 1)), mp.diff(ll, th, (0, 2))]])
    cov = info**-1
    se = [m.params_["alpha"] * float(mp.sqrt(cov[0, 0])),
          m.params_["beta"] * float(mp.sqrt(cov[1, 1]))]
    np.testing.assert_allclose(list(m.standard_errors_.values()), se, rtol=1e-6)


# ------------------------------------------------------------------ identities


def test_retention_survival_and_churn_identities():
    m = ShiftedBetaGeometric(params_=dict(REGULAR))
    t = np.arange(1, 40)
    s = m.survival(np.arange(0, 40))
    assert s[0] == 1.0
    np.testing.assert_allclose(m.retention(t), s[1:] / s[:-1], rtol=1e-12)
    np.testing.assert_allclose(m.churn_probability(t), s[:-1] - s[1:], rtol=1e-11)
    # r(t) = (β + t − 1) / (α + β + t − 1) rises with tenure towards 1
    assert np.all(np.diff(m.retention(t)) > 0)
    assert m.retention(1) == pytest.approx(1 - REGULAR["alpha"] / sum(REGULAR.values()))


def test_survival_against_the_data():
    m = ShiftedBetaGeometric().fit_survivors(SURVIVORS["regular"])
    fitted = 1000 * m.survival(np.arange(8))
    # Fader & Hardie (2007, Figure 2) fit the 7 years closely (within 2 %)
    np.testing.assert_allclose(fitted, SURVIVORS["regular"], rtol=0.02)


# ------------------------------------------------------------------ DEL and DERL


@pytest.mark.parametrize("rate", [0.01, 0.1, 0.5])
@pytest.mark.parametrize("params", [REGULAR, PUBLISHED["highend"],
                                    {"alpha": 3.0, "beta": 0.4}])
def test_del_and_derl_against_truncated_series(rate, params):
    m = ShiftedBetaGeometric(params_=dict(params))
    horizon = 20_000 if rate < 0.05 else 2_000
    t = np.arange(0, horizon)
    s = m.survival(t)
    disc = (1 + rate) ** -t.astype(float)
    assert m.expected_lifetime(rate) == pytest.approx(np.sum(s * disc), rel=1e-10)
    for n in (1, 2, 8, 25):
        tail = s[n:] / s[n - 1]
        series = float(np.sum(tail * disc[: tail.size]))
        assert m.residual_lifetime(n, rate) == pytest.approx(series, rel=1e-10)
    many = m.residual_lifetime([1, 8], rate)
    assert many.tolist() == [m.residual_lifetime(1, rate), m.residual_lifetime(8, rate)]
    assert m.clv(50.0, rate) == pytest.approx(50 * m.expected_lifetime(rate))
    assert m.clv(50.0, rate, [3])[0] == pytest.approx(50 * m.residual_lifetime(3, rate))


def test_derl_against_mpmath_hypergeometric():
    m = ShiftedBetaGeometric(params_=dict(REGULAR))
    a, b = (mp.mpf(v) for v in REGULAR.values())
    for n in (1, 4, 100):
        for rate in (0.001, 0.1):
            z = 1 / (1 + mp.mpf(rate))
            want = (b + n - 1) / (a + b + n - 1) * mp.hyp2f1(1, b + n, a + b + n, z)
            assert m.residual_lifetime(n, rate) == pytest.approx(float(want), rel=1e-12)


def test_undiscounted_lifetime_is_the_mean_duration():
    m = ShiftedBetaGeometric(params_={"alpha": 3.0, "beta": 2.0})
    # E[T] = (α + β − 1) / (α − 1) for α > 1
    assert m.expected_lifetime(0.0) == pytest.approx(4 / 2, rel=1e-12)
    with pytest.raises(ParameterError, match="infinite"):
        ShiftedBetaGeometric(params_=dict(REGULAR)).expected_lifetime(0.0)


# ------------------------------------------------------------------ recovery


def test_parameters_are_recovered_within_their_intervals():
    c = make_renewals(20_000, seed=20240519, **REGULAR)
    table = ShiftedBetaGeometric().fit(c["recency"], c["T"]).summary()
    for k, v in REGULAR.items():
        assert table.loc[k, "lower"] < v < table.loc[k, "upper"], table


def test_interval_coverage_is_close_to_nominal():
    hits = []
    for rep in range(60):
        c = make_renewals(2_000, seed=np.random.default_rng([11, rep]), **REGULAR)
        table = ShiftedBetaGeometric().fit(c["recency"], c["T"]).summary()
        hits += [table.loc[k, "lower"] < v < table.loc[k, "upper"]
                 for k, v in REGULAR.items()]
    # 120 intervals at 95 %: fewer than 104 hits has probability < 0.001
    assert sum(hits) >= 104


def test_generator_follows_the_survival_curve():
    c = make_renewals(200_000, seed=3, n_periods=10, **REGULAR)
    m = ShiftedBetaGeometric(params_=dict(REGULAR))
    counts = np.bincount(c["recency"], minlength=11)[1:]
    probs = np.append(m.churn_probability(np.arange(1, 10)), m.survival(9))
    assert stats.chisquare(counts, probs * len(c)).pvalue > 1e-3


# ------------------------------------------------------------------ errors


def test_bad_input_is_refused():
    with pytest.raises(DataError, match="rise"):
        ShiftedBetaGeometric().fit_survivors([1000, 600, 700])
    with pytest.raises(DataError, match="counts"):
        ShiftedBetaGeometric().fit_survivors([1000, -5])
    with pytest.raises(DataError, match="exceeds"):
        ShiftedBetaGeometric().fit([9], [8])
    with pytest.raises(DataError, match="T is 1"):
        ShiftedBetaGeometric().fit([1, 1], [1, 1])
    with pytest.raises(FitError, match="did not converge"):  # nobody cancelled
        ShiftedBetaGeometric().fit_survivors([100, 100, 100])
    with pytest.raises(FitError, match="fit"):
        ShiftedBetaGeometric(params_=dict(REGULAR)).summary()
