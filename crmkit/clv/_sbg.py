"""The shifted-beta-geometric (sBG) model of contract renewals: retention curves,
survival and discounted expected (residual) lifetime."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from crmkit.clv._discrete_inputs import contract_data, periods, survivor_counts
from crmkit.clv._inputs import check_discount_rate, check_margin
from crmkit.clv._uncertainty import FittedModel
from crmkit.errors import DataError, ParameterError

__all__ = ["ShiftedBetaGeometric"]

NAMES = ("alpha", "beta")

#: Starting points (alpha, beta).
STARTS = ((1.0, 1.0), (0.5, 3.0), (2.0, 0.5), (5.0, 20.0))


@dataclass(frozen=True)
class _Data:
    """Distinct (recency, T) rows with their counts, split into cancellations
    (recency < T) and customers still active (recency == T)."""

    total: float
    churn_t: np.ndarray  # period of the cancellation
    churn_w: np.ndarray
    alive_k: np.ndarray  # renewals survived (T - 1)
    alive_w: np.ndarray

    @classmethod
    def of(cls, recency: np.ndarray, T: np.ndarray, w: np.ndarray) -> _Data:
        churned = recency < T
        return cls(
            float(np.sum(w)),
            recency[churned],
            w[churned],
            T[~churned] - 1,
            w[~churned],
        )


def _nll_grad(theta: np.ndarray, d: _Data) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood per customer and its gradient in (log α, log β).

    A cancellation in period t contributes ``log P(T = t) = log B(α+1, β+t−1) −
    log B(α, β)``, a customer active after k renewals ``log S(k) = log B(α, β+k) −
    log B(α, β)`` (Fader & Hardie 2007, eq. 6 and the likelihood of their
    section on estimation). Gradient: ``∂ log B(a, b) / ∂a =
    ψ(a) − ψ(a+b)`` (Abramowitz & Stegun 1964, 6.2.2 and 6.3.1), times α or β for the
    log-parameters."""
    alpha, beta = np.exp(theta)
    base_a = special.digamma(alpha) - special.digamma(alpha + beta)
    base_b = special.digamma(beta) - special.digamma(alpha + beta)
    base = special.betaln(alpha, beta)
    t, wc = d.churn_t, d.churn_w
    k, wa = d.alive_k, d.alive_w
    ll = np.sum(wc * special.betaln(alpha + 1, beta + t - 1)) + np.sum(
        wa * special.betaln(alpha, beta + k)
    )
    ll -= d.total * base
    dig_c = special.digamma(alpha + beta + t)
    dig_k = special.digamma(alpha + beta + k)
    g_a = np.sum(wc * (special.digamma(alpha + 1) - dig_c)) + np.sum(
        wa * (special.digamma(alpha) - dig_k)
    )
    g_b = np.sum(wc * (special.digamma(beta + t - 1) - dig_c)) + np.sum(
        wa * (special.digamma(beta + k) - dig_k)
    )
    g_a -= d.total * base_a
    g_b -= d.total * base_b
    grad = np.array([alpha * g_a, beta * g_b])
    return float(-ll / d.total), -grad / d.total


def _lifetime(a: float, b: float, rate: float, lead) -> np.ndarray:
    """``lead · 2F1(1, b; a + b; 1 / (1 + rate))``: the discounted sum
    ``Σ_{j>=0} S_j / (1+rate)^j`` of a survival curve ``S_j = (b)_j / (a+b)_j``
    (Abramowitz & Stegun 1964, 15.1.1), finite when rate > 0 or a > 1."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = lead * special.hyp2f1(1.0, b, a + b, 1.0 / (1.0 + rate))
    if not np.all(np.isfinite(out)):
        raise ParameterError(
            f"the discounted lifetime cannot be computed for discount_rate = {rate:g} "
            f"with these parameters; pass a discount_rate above 0 (e.g. 0.1)."
        )
    return out


@dataclass
class ShiftedBetaGeometric(FittedModel):
    """The shifted-beta-geometric model of contract renewals (Fader & Hardie 2007).

    Each customer cancels at the end of every period with its own probability
    θ ~ Beta(α, β), so the duration T (the period in which it cancels) is geometric
    given θ. Across customers the retention rate rises with tenure,
    ``r(t) = (β + t − 1) / (α + β + t − 1)``, because the customers who cancel
    easily leave first (the course's 客户保持, made quantitative).

    Fitted by maximum likelihood in log-parameters with analytic gradients (of the
    likelihood of Fader & Hardie 2007): L-BFGS-B from several starts, then
    Newton steps until the optimum is reached to about 1e-10 relative in every
    parameter. Standard errors and intervals come from the observed information
    (the Hessian, by central differences of the analytic gradient).

    Attributes (after :meth:`fit` or :meth:`fit_survivors`)
    -------------------------------------------------------
    params_ : dict
        ``alpha``, ``beta``. May be set by hand (positive finite numbers).
    {FIT_ATTRIBUTES}

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2007), "How to project customer retention",
    *Journal of Interactive Marketing* 21(1):76–90: the churn probabilities
    P(T = t), the survivor function S(t) (eq. 6), the retention rate r(t) (eq. 8)
    and the likelihood of a cohort's survivor counts. P. S. Fader and B. G. S.
    Hardie (2010), "Customer-base valuation in a contractual setting: the perils of
    ignoring heterogeneity", *Marketing Science* 29(1):85–93: the discounted
    expected lifetime (DEL) and residual lifetime (DERL, eq. 6) via the Gaussian
    hypergeometric function.
    M. Abramowitz and I. A. Stegun (1964), *Handbook of Mathematical Functions*,
    National Bureau of Standards: 6.2.2, 6.3.1 (beta and digamma functions), 15.1.1
    (the hypergeometric series).

    Examples
    --------
    The "regular" cohort of Fader & Hardie (2007, Table 1), years 0–7:

    >>> m = ShiftedBetaGeometric().fit_survivors(
    ...     [1000, 631, 468, 382, 326, 289, 262, 241])
    >>> {k: round(v, 3) for k, v in m.params_.items()}
    {'alpha': 0.704, 'beta': 1.182}
    >>> m.retention([1, 2, 7]).round(3).tolist()
    [0.627, 0.756, 0.911]

    Its parameters are known to about ±10 % (95 % intervals on the log scale, from
    the observed information):

    >>> m.summary().round(3)  # doctest: +NORMALIZE_WHITESPACE
               estimate  std_error  lower  upper
    parameter
    alpha         0.704      0.066  0.587  0.845
    beta          1.182      0.152  0.918  1.522
    """

    NAMES: ClassVar[tuple[str, ...]] = NAMES
    _LABEL: ClassVar[str] = "sBG"
    _ADVICE: ClassVar[str] = (
        "check that the data hold both cancellations and customers who renewed"
    )

    # ------------------------------------------------------------------ fitting

    def fit(
        self, recency: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None
    ) -> ShiftedBetaGeometric:
        """Fit on one record per customer; returns ``self``.

        Parameters
        ----------
        recency : array-like
            The last period in which the customer was active (whole numbers 1 … T):
            ``recency < T`` means it cancelled at the end of period ``recency``;
            ``recency == T`` means it is still active (the layout of pymc-marketing's
            ``sbg_cohorts.csv``).
        T : array-like
            Periods observed for that customer (whole numbers >= 1; they may differ,
            e.g. for cohorts acquired in different years).
        weights : array-like, optional
            Number of customers in each row (for aggregated data).

        Raises
        ------
        DataError
            Bad records (non-whole, recency > T, ...), or no customer observed past
            its first period.
        FitError
            When the optimum cannot be reached (e.g. nobody cancelled).

        Examples
        --------
        >>> m = ShiftedBetaGeometric().fit([1, 1, 2, 3, 3], [3, 3, 3, 3, 3])
        >>> round(m.log_likelihood_, 4) <= 0
        True
        """
        r, t_obs, w = contract_data(recency, T, weights)
        if not (t_obs > 1).any():
            raise DataError(
                "T is 1 for every customer: nobody was observed past the first period, "
                "so no renewal was seen; pass T >= 2 for at least some customers."
            )
        return self._fit(_Data.of(r, t_obs, w))

    def fit_survivors(self, counts: ArrayLike) -> ShiftedBetaGeometric:
        """Fit on one cohort's active customers by period; returns ``self``.

        Parameters
        ----------
        counts : array-like
            ``n_0, n_1, …, n_k``: the cohort size, then the customers still active
            after each renewal (whole numbers, never rising). ``n_{t-1} − n_t``
            cancelled in period t; ``n_k`` are still active after k renewals.

        Examples
        --------
        The "highend" cohort of Fader & Hardie (2007, Table 1), years 0–7:

        >>> m = ShiftedBetaGeometric().fit_survivors(
        ...     [1000, 869, 743, 653, 593, 551, 517, 491])
        >>> {k: round(v, 3) for k, v in m.params_.items()}
        {'alpha': 0.668, 'beta': 3.806}
        """
        n = survivor_counts(counts)
        k = n.size - 1
        lost = -np.diff(n)
        recency = np.append(np.arange(1.0, k + 1), k + 1.0)
        weights = np.append(lost, n[-1])
        keep = weights > 0
        r, t_obs = recency[keep], np.full(int(keep.sum()), k + 1.0)
        return self._fit(_Data.of(r, t_obs, weights[keep]))

    def _fit(self, d: _Data) -> ShiftedBetaGeometric:
        return self._maximise(_nll_grad, d, STARTS)

    def log_likelihood(
        self, recency: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None
    ) -> float:
        """Log-likelihood of records at the current parameters (checked as in
        :meth:`fit`).

        Examples
        --------
        >>> m = ShiftedBetaGeometric(params_={"alpha": 1.0, "beta": 1.0})
        >>> round(m.log_likelihood([1, 2], [2, 2]), 6)  # log(1/2) + log(1/2)
        -1.386294
        """
        alpha, beta = self._p()
        d = _Data.of(*contract_data(recency, T, weights))
        nll, _ = _nll_grad(np.log([alpha, beta]), d)
        return -nll * d.total

    # ------------------------------------------------------------------ predictions

    def survival(self, t: ArrayLike) -> np.ndarray | float:
        """S(t): share of a new cohort still active after t renewals,
        ``B(α, β + t) / B(α, β)`` (Fader & Hardie 2007, eq. 6).

        Parameters
        ----------
        t : int or array-like
            Renewals (whole numbers >= 0; 0 gives 1).

        Examples
        --------
        >>> m = ShiftedBetaGeometric(params_={"alpha": 0.704, "beta": 1.182})
        >>> round(m.survival(7) * 1000)  # 241 were still active in year 7
        239
        """
        return self._per_period(
            t,
            0,
            lambda a, b, t: np.exp(special.betaln(a, b + t) - special.betaln(a, b)),
        )

    def retention(self, t: ArrayLike) -> np.ndarray | float:
        """r(t) = S(t) / S(t − 1) = (β + t − 1) / (α + β + t − 1): the share of the
        customers active in period t − 1 who renew for period t (Fader & Hardie 2007,
        eq. 8).

        Parameters
        ----------
        t : int or array-like
            The period renewed for (whole numbers >= 1; 1 is the first renewal).

        Examples
        --------
        >>> m = ShiftedBetaGeometric(params_={"alpha": 0.704, "beta": 1.182})
        >>> round(m.retention(1), 4)
        0.6267
        """
        return self._per_period(t, 1, lambda a, b, t: (b + t - 1) / (a + b + t - 1))

    def churn_probability(self, t: ArrayLike) -> np.ndarray | float:
        """P(T = t): probability that a new customer cancels in period t,
        ``B(α + 1, β + t − 1) / B(α, β)`` (Fader & Hardie 2007, = S(t − 1) − S(t)).

        Parameters
        ----------
        t : int or array-like
            The period of the cancellation (whole numbers >= 1).

        Examples
        --------
        >>> m = ShiftedBetaGeometric(params_={"alpha": 0.704, "beta": 1.182})
        >>> round(m.churn_probability(1), 4)  # = 1 - r(1)
        0.3733
        """
        return self._per_period(
            t,
            1,
            lambda a, b, t: np.exp(
                special.betaln(a + 1, b + t - 1) - special.betaln(a, b)
            ),
        )

    def _per_period(self, t, minimum: int, curve) -> np.ndarray | float:
        """``curve(α, β, t)`` at the checked whole periods ``t`` (>= ``minimum``): a
        float for one period, an array for several."""
        alpha, beta = self._p()
        t = periods("t", t, minimum=minimum)
        out = curve(alpha, beta, np.asarray(t))
        return float(out) if np.ndim(t) == 0 else out

    def expected_lifetime(self, discount_rate: float = 0.1) -> float:
        """DEL: discounted expected lifetime of a customer just acquired, in periods,
        ``Σ_{t>=0} S(t) / (1 + d)^t = 2F1(1, β; α + β; 1 / (1 + d))`` (Fader & Hardie
        2010, the DEL expression); the first period counts undiscounted.

        Parameters
        ----------
        discount_rate : float
            d per period, in [0, 1]. With d = 0 the mean lifetime
            ``(α + β − 1) / (α − 1)``, finite only when α > 1.

        Examples
        --------
        >>> m = ShiftedBetaGeometric(params_={"alpha": 0.704, "beta": 1.182})
        >>> round(m.expected_lifetime(0.1), 3)
        3.695
        """
        alpha, beta = self._p()
        rate = self._rate(discount_rate, alpha)
        return float(_lifetime(alpha, beta, rate, 1.0))

    def residual_lifetime(
        self, periods_active: ArrayLike, discount_rate: float = 0.1
    ) -> np.ndarray | float:
        """DERL: discounted expected residual lifetime of a customer active in
        ``periods_active`` = n periods (n − 1 renewals), just before it decides on
        the next renewal (Fader & Hardie 2010, eq. 6):
        ``Σ_{t>=n} S(t) / S(n−1) / (1 + d)^(t−n) = (β + n − 1) / (α + β + n − 1) ·
        2F1(1, β + n; α + β + n; 1 / (1 + d))``.

        Parameters
        ----------
        periods_active : int or array-like
            n, whole numbers >= 1 (``T`` of a customer with ``recency == T``).
        discount_rate : float
            d per period, in [0, 1] (0 only when α > 1).

        Examples
        --------
        >>> m = ShiftedBetaGeometric(params_={"alpha": 0.704, "beta": 1.182})
        >>> m.residual_lifetime([1, 5], 0.1).round(3).tolist()
        [2.965, 5.894]
        """
        alpha, beta = self._p()
        n = periods("periods_active", periods_active, minimum=1)
        rate = self._rate(discount_rate, alpha)
        nn = np.asarray(n, dtype=float)
        lead = (beta + nn - 1) / (alpha + beta + nn - 1)
        out = _lifetime(alpha, beta + nn, rate, lead)
        return float(out) if np.ndim(n) == 0 else out

    def clv(
        self,
        margin: float,
        discount_rate: float = 0.1,
        periods_active: ArrayLike | None = None,
    ) -> np.ndarray | float:
        """Expected lifetime value: ``margin × DEL`` for a customer just acquired
        (``periods_active=None``), ``margin × DERL`` for customers active in
        ``periods_active`` periods (Fader & Hardie 2010: DEL, and DERL eq. 6), with the
        margin received at the start of each period.

        Examples
        --------
        >>> m = ShiftedBetaGeometric(params_={"alpha": 0.704, "beta": 1.182})
        >>> round(m.clv(100.0, 0.1), 2)
        369.51
        """
        margin = check_margin(margin)
        if periods_active is None:
            return margin * self.expected_lifetime(discount_rate)
        return margin * self.residual_lifetime(periods_active, discount_rate)

    @staticmethod
    def _rate(value: object, alpha: float) -> float:
        return check_discount_rate(
            value,
            finite=("alpha", alpha),
            infinite="the expected lifetime is infinite (the mean of T is finite only "
            "for alpha > 1)",
        )
