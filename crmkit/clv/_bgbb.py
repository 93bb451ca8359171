"""The BG/BB model of repeat transactions at discrete opportunities: who is still
alive, how many transactions to expect, and their discounted value."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from crmkit._validate import check_work
from crmkit.clv._discrete_inputs import opportunity_data, periods
from crmkit.clv._inputs import check_discount_rate, check_margin
from crmkit.clv._uncertainty import FittedModel
from crmkit.errors import DataError, ParameterError

__all__ = ["BGBB"]

NAMES = ("alpha", "beta", "gamma", "delta")

#: Starting points (alpha, beta, gamma, delta).
STARTS = (
    (1.0, 1.0, 1.0, 1.0),
    (0.5, 2.0, 0.5, 3.0),
    (2.0, 0.5, 0.3, 1.0),
    (5.0, 5.0, 2.0, 10.0),
)

#: Most cells (rows × terms) of the likelihood or of a prediction at once.
MAX_CELLS = 5e7
#: Horizons up to this many periods are summed term by term (exact); longer ones use
#: the closed form.
DIRECT_SUM = 100_000


@dataclass(frozen=True)
class _Terms:
    """The terms of the BG/BB likelihood (Fader, Hardie & Shang 2010, eq. 5), one row
    per record, padded to the longest: column 0 is "alive after opportunity n",
    column 1 + i is "became inactive at opportunity t_x + i + 1" (i < n − t_x).

    Term j is ``B(α + x, β + b_j) B(γ + g_j, δ + e_j) / (B(α, β) B(γ, δ))``."""

    x: np.ndarray  # (rows, 1)
    b: np.ndarray  # (rows, terms): offset of beta
    g: np.ndarray  # 0 (alive) or 1 (dropped out)
    e: np.ndarray  # offset of delta
    used: np.ndarray  # bool: padding is False

    @classmethod
    def of(cls, x: np.ndarray, tx: np.ndarray, n: np.ndarray) -> _Terms:
        width = int(np.max(n - tx, initial=0)) + 1
        check_work(
            "records × opportunities in the BG/BB likelihood",
            float(x.size) * width,
            limit=MAX_CELLS,
            fix="group identical records with weights, or use fewer periods",
        )
        i = np.arange(width - 1)[None, :]
        x2, tx2, n2 = x[:, None], tx[:, None], n[:, None]
        used = np.concatenate((np.ones_like(x2, bool), i < n2 - tx2), axis=1)
        b = np.concatenate((n2 - x2, tx2 - x2 + i), axis=1)
        g = np.concatenate((np.zeros_like(x2), np.ones_like(b[:, 1:])), axis=1)
        e = np.concatenate((n2, tx2 + i), axis=1)
        b, e = np.where(used, b, 0.0), np.where(used, e, 0.0)
        return cls(x2, b, g, e, used)

    def log_terms(self, params) -> np.ndarray:
        """log of each term, −inf in the padding, without the normalisers."""
        alpha, beta, gamma, delta = params
        out = special.betaln(alpha + self.x, beta + self.b) + special.betaln(
            gamma + self.g, delta + self.e
        )
        return np.where(self.used, out, -np.inf)


def _log_norm(params) -> float:
    alpha, beta, gamma, delta = params
    return float(special.betaln(alpha, beta) + special.betaln(gamma, delta))


def _row_loglik(params, terms: _Terms) -> tuple[np.ndarray, np.ndarray]:
    """log L per row (eq. 5, log-sum-exp over its terms) and each term's share."""
    lt = terms.log_terms(params)
    top = special.logsumexp(lt, axis=1)
    share = np.exp(lt - top[:, None])
    return top - _log_norm(params), share


@dataclass(frozen=True)
class _Data:
    total: float
    w: np.ndarray
    terms: _Terms

    @classmethod
    def of(cls, x, tx, n, w) -> _Data:
        return cls(float(np.sum(w)), w, _Terms.of(x, tx, n))


def _nll_grad(theta: np.ndarray, d: _Data) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood per customer and its gradient in (log α, log β,
    log γ, log δ).

    The gradient of log L is the share-weighted mean of the terms' gradients, with
    ``∂ log B(a, b) / ∂a = ψ(a) − ψ(a + b)`` (Abramowitz & Stegun 1964, 6.2.2 and
    6.3.1)."""
    params = tuple(float(v) for v in np.exp(theta))
    alpha, beta, gamma, delta = params
    t = d.terms
    ll, s = _row_loglik(params, t)
    dig = special.digamma
    s = np.where(t.used, s, 0.0)
    ab = dig(alpha + beta + t.x + t.b)
    gd = dig(gamma + delta + t.g + t.e)
    rows = np.column_stack(
        (
            dig(alpha + t.x[:, 0]) - np.sum(s * ab, axis=1),
            np.sum(s * (dig(beta + t.b) - ab), axis=1),
            np.sum(s * (dig(gamma + t.g) - gd), axis=1),
            np.sum(s * (dig(delta + t.e) - gd), axis=1),
        )
    )
    base = np.array(
        [
            dig(alpha) - dig(alpha + beta),
            dig(beta) - dig(alpha + beta),
            dig(gamma) - dig(gamma + delta),
            dig(delta) - dig(gamma + delta),
        ]
    )
    grad = (d.w @ rows - d.total * base) * np.asarray(params)
    return float(-np.sum(d.w * ll) / d.total), -grad / d.total


def _survival_sum(m: np.ndarray, gamma: float, delta: np.ndarray) -> np.ndarray:
    """``Σ_{t=1}^{m} (δ)_t / (γ + δ)_t``: expected opportunities alive among the next
    m, for a dropout probability θ ~ Beta(γ, δ) (Fader, Hardie & Shang 2010, the sum
    behind eqs. 8 and 13).

    Summed term by term (cumulative log-ratios, exact to rounding) for m up to
    100,000; beyond, the closed form
    ``δ / (γ − 1) · (1 − Γ(γ+δ) Γ(1+δ+m) / (Γ(1+δ) Γ(γ+δ+m)))`` (eq. 8), with its
    limit ``δ (ψ(δ+m+1) − ψ(δ+1))`` at γ = 1 (there the log-gamma differences of
    arguments near 10⁵–10⁶ leave a relative error of about 1e-8)."""
    m, delta = np.broadcast_arrays(np.asarray(m, float), np.asarray(delta, float))
    out = np.empty(m.shape)
    short = m <= DIRECT_SUM
    if short.any():
        out[short] = _direct_sum(m[short], gamma, delta[short])
    if (~short).any():
        out[~short] = _closed_sum(m[~short], gamma, delta[~short])
    return out


def _direct_sum(m: np.ndarray, gamma: float, delta: np.ndarray) -> np.ndarray:
    pairs, inverse = np.unique(np.column_stack((m, delta)), axis=0, return_inverse=True)
    top = int(pairs[:, 0].max(initial=0))
    if top == 0:
        return np.zeros(m.shape)
    check_work(
        "distinct customers × future periods",
        float(pairs.shape[0]) * top,
        limit=MAX_CELLS,
        fix="use a shorter horizon or fewer distinct n_periods",
    )
    k = np.arange(top)[None, :]
    d = pairs[:, 1:2]
    log_s = np.cumsum(np.log((d + k) / (gamma + d + k)), axis=1)
    cum = np.cumsum(np.exp(log_s), axis=1)
    idx = pairs[:, 0].astype(int) - 1
    vals = np.where(idx >= 0, cum[np.arange(pairs.shape[0]), np.maximum(idx, 0)], 0.0)
    return vals[inverse.ravel()]


def _closed_sum(m: np.ndarray, gamma: float, delta: np.ndarray) -> np.ndarray:
    eps = gamma - 1.0
    if eps == 0.0:
        return delta * (special.digamma(delta + m + 1) - special.digamma(delta + 1))
    # log of Γ(γ+δ) Γ(1+δ+m) / (Γ(1+δ) Γ(γ+δ+m)), as two log-gamma steps of size ε
    log_ratio = _lgamma_step(1 + delta, eps) - _lgamma_step(1 + delta + m, eps)
    return -delta * np.expm1(log_ratio) / eps


def _lgamma_step(z: np.ndarray, eps: float) -> np.ndarray:
    """log Γ(z + ε) − log Γ(z): by its Taylor series in ε (polygamma terms to ε⁴,
    error below 1e-16 relative) when |ε| < 1e-3, where the difference of two large
    log-gammas would cancel; by that difference otherwise."""
    if abs(eps) < 1e-3:
        return sum(
            eps ** (k + 1) / math.factorial(k + 1) * special.polygamma(k, z)
            for k in range(4)
        )
    return special.gammaln(z + eps) - special.gammaln(z)


@dataclass
class BGBB(FittedModel):
    """The beta-geometric / beta-Bernoulli model of Fader, Hardie & Shang (2010).

    For repeat transactions that can only happen at discrete opportunities (a yearly
    donation, an annual event, a weekly visit). While alive, a customer transacts at
    each opportunity with probability p ~ Beta(α, β); before each opportunity it
    becomes inactive for good with probability θ ~ Beta(γ, δ).

    A customer is summarised by ``frequency`` x (transactions at the n opportunities
    after the first one), ``recency`` t_x (the opportunity of the last; 0 when x = 0)
    and ``n_periods`` n.

    Fitted by maximum likelihood (FHS 2010, eq. 5, summed in log space with betaln and
    log-sum-exp) in log-parameters with analytic gradients: L-BFGS-B from several
    starts, then Newton steps until the optimum is reached to about 1e-10 relative in
    every parameter. Identical records are counted once with a weight. Standard
    errors and intervals come from the observed information (the Hessian, by central
    differences of the analytic gradient).

    Attributes (after :meth:`fit`)
    ------------------------------
    params_ : dict
        ``alpha``, ``beta``, ``gamma``, ``delta``. May be set by hand (positive finite
        numbers).
    {FIT_ATTRIBUTES}

    References
    ----------
    P. S. Fader, B. G. S. Hardie and J. Shang (2010), "Customer-base analysis in a
    discrete-time noncontractual setting", *Marketing Science* 29(6):1086–1108:
    likelihood eq. 5, P(X(n) = x) eq. 7, E[X(n)] eq. 8, P(alive) eq. 11, conditional
    expectation eq. 13, DERT eq. 14. M. Abramowitz and I. A. Stegun (1964), *Handbook
    of Mathematical Functions*, National Bureau of Standards: 6.2.2, 6.3.1 (beta and
    digamma functions), 15.1.1 (the hypergeometric series).

    Examples
    --------
    The donations of Fader, Hardie & Shang (2010): 11,104 first-time donors of 1995,
    six later years:

    >>> from crmkit.datasets import load_donations
    >>> d = load_donations()
    >>> m = BGBB().fit(d["frequency"], d["recency"], d["periods"], d["weights"])
    >>> {k: round(v, 3) for k, v in m.params_.items()}
    {'alpha': 1.204, 'beta': 0.75, 'gamma': 0.657, 'delta': 2.783}
    >>> round(m.log_likelihood_, 1)
    -33225.6

    Standard errors and 95 % intervals (log scale) from the observed information:

    >>> m.summary().round(3)  # doctest: +NORMALIZE_WHITESPACE
               estimate  std_error  lower  upper
    parameter
    alpha         1.204      0.069  1.075  1.348
    beta          0.750      0.029  0.694  0.810
    gamma         0.657      0.051  0.564  0.765
    delta         2.783      0.321  2.221  3.489
    """

    NAMES: ClassVar[tuple[str, ...]] = NAMES
    _LABEL: ClassVar[str] = "BG/BB"
    _ADVICE: ClassVar[str] = (
        "check that recency and n_periods count opportunities after the first "
        "transaction, and that the data hold enough repeat customers"
    )

    # ------------------------------------------------------------------ fitting

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        n_periods: ArrayLike,
        weights: ArrayLike | None = None,
    ) -> BGBB:
        """Fit by maximum likelihood to records of transactions at discrete
        opportunities; returns ``self``.

        Parameters
        ----------
        frequency : array-like
            Transactions at the opportunities after the first transaction (whole
            numbers >= 0).
        recency : array-like
            Opportunity of the last transaction (whole numbers, frequency <= recency
            <= n_periods; 0 when frequency is 0).
        n_periods : array-like
            Opportunities observed after the first transaction (whole numbers).
        weights : array-like, optional
            Number of customers with each record (for aggregated data such as
            ``load_donations()``).

        Raises
        ------
        DataError
            Bad records, or no customer with an opportunity, or none with a repeat
            transaction.
        FitError
            When the optimum cannot be reached.

        Examples
        --------
        >>> from crmkit.clv import make_opportunity_summary
        >>> s = make_opportunity_summary(2000, seed=3)
        >>> m = BGBB().fit(s["frequency"], s["recency"], s["n_periods"])
        >>> m.optimizer_.newton_step < 1e-10
        True
        """
        x, tx, n, w = opportunity_data(frequency, recency, n_periods, weights)
        if not (n > 0).any():
            raise DataError(
                f"n_periods is 0 for all {x.size} records: nobody had an opportunity "
                "to transact again; pass n_periods > 0."
            )
        if not (x > 0).any():
            raise DataError(
                f"frequency is 0 for all {x.size} records: without repeat "
                "transactions the BG/BB model cannot be fitted; pass data that "
                "include repeat customers."
            )
        return self._maximise(_nll_grad, _Data.of(x, tx, n, w), STARTS)

    def log_likelihood(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        n_periods: ArrayLike,
        weights: ArrayLike | None = None,
    ) -> float:
        """Log-likelihood of records at the current parameters (FHS 2010, eq. 5),
        checked as in :meth:`fit`.

        Examples
        --------
        >>> m = BGBB(params_=dict(alpha=1.204, beta=0.75, gamma=0.657, delta=2.783))
        >>> round(m.log_likelihood([0, 6], [0, 6], [6, 6]), 4)
        -3.3495
        """
        params = self._p()
        d = _Data.of(*opportunity_data(frequency, recency, n_periods, weights))
        nll, _ = _nll_grad(np.log(params), d)
        return -nll * d.total

    # ------------------------------------------------------------------ predictions

    def _posterior(self, frequency, recency, n_periods, *, bought: int, shift: int):
        """log of ``B(α+x+bought, β+n−x)/B(α,β) · B(γ, δ+n+shift)/B(γ,δ) / L`` per
        customer, with the checked n (the common factor of eqs. 11, 13 and 14)."""
        params = self._p()
        alpha, beta, gamma, delta = params
        x, tx, n, _ = opportunity_data(frequency, recency, n_periods, group=False)
        ll, _ = _row_loglik(params, _Terms.of(x, tx, n))
        log_p = (
            special.betaln(alpha + x + bought, beta + n - x)
            - special.betaln(alpha, beta)
            + special.betaln(gamma, delta + n + shift)
            - special.betaln(gamma, delta)
            - ll
        )
        return log_p, n

    def prob_alive(
        self, frequency: ArrayLike, recency: ArrayLike, n_periods: ArrayLike
    ) -> np.ndarray:
        """P(alive at opportunity n + 1 | x, t_x, n) (FHS 2010, eq. 11):
        ``B(α+x, β+n−x)/B(α,β) · B(γ, δ+n+1)/B(γ,δ) / L``, in log space.

        Examples
        --------
        >>> m = BGBB(params_=dict(alpha=1.204, beta=0.75, gamma=0.657, delta=2.783))
        >>> m.prob_alive([6, 3, 3], [6, 6, 3], [6, 6, 6]).round(3).tolist()
        [0.93, 0.93, 0.095]
        """
        log_p, _ = self._posterior(frequency, recency, n_periods, bought=0, shift=1)
        return np.exp(log_p)

    def expected_purchases(
        self,
        t: int,
        frequency: ArrayLike,
        recency: ArrayLike,
        n_periods: ArrayLike,
    ) -> np.ndarray:
        """E[X(n, n + t) | x, t_x, n]: transactions expected at the next ``t``
        opportunities (FHS 2010, eq. 13), as
        ``B(α+x+1, β+n−x)/B(α,β) · B(γ, δ+n)/B(γ,δ) / L · Σ_{k=1}^{t} (δ+n)_k /
        (γ+δ+n)_k``.

        Parameters
        ----------
        t : int
            Future opportunities (a whole number >= 0).
        frequency, recency, n_periods : array-like
            As in :meth:`fit`, with the same checks.

        Examples
        --------
        >>> m = BGBB(params_=dict(alpha=1.204, beta=0.75, gamma=0.657, delta=2.783))
        >>> m.expected_purchases(5, [6, 3, 0], [6, 6, 0], [6, 6, 6]).round(3).tolist()
        [3.752, 2.19, 0.073]
        """
        t = periods("t", t)
        log_p, n = self._posterior(frequency, recency, n_periods, bought=1, shift=0)
        _, _, gamma, delta = self._p()
        return np.exp(log_p) * _survival_sum(np.full(n.shape, t), gamma, delta + n)

    def expected_purchases_new(self, n_periods: ArrayLike) -> np.ndarray | float:
        """E[X(n)]: transactions expected at the first n opportunities of a customer
        just acquired (FHS 2010, eq. 8):
        ``α / (α + β) · δ / (γ − 1) · (1 − Γ(γ+δ) Γ(1+δ+n) / (Γ(γ+δ+n) Γ(1+δ)))``.

        Examples
        --------
        >>> m = BGBB(params_=dict(alpha=1.204, beta=0.75, gamma=0.657, delta=2.783))
        >>> round(m.expected_purchases_new(6), 3)
        2.22
        """
        alpha, beta, gamma, delta = self._p()
        n = periods("n_periods", n_periods)
        out = alpha / (alpha + beta) * _survival_sum(np.asarray(n), gamma, delta)
        return float(out) if np.ndim(n) == 0 else out

    def prob_purchases(self, x: ArrayLike, n_periods: int) -> np.ndarray | float:
        """P(X(n) = x): probability that a customer just acquired transacts at
        exactly x of its first n opportunities (FHS 2010, eq. 7), a log-sum-exp of
        ``C(n, x) B(α+x, β+n−x) B(γ, δ+n)`` and, for i = x … n − 1,
        ``C(i, x) B(α+x, β+i−x) B(γ+1, δ+i)``, over ``B(α, β) B(γ, δ)``.

        Parameters
        ----------
        x : int or array-like
            Numbers of transactions (whole numbers >= 0; P = 0 above n).
        n_periods : int
            Opportunities n (a whole number >= 0).

        Examples
        --------
        >>> m = BGBB(params_=dict(alpha=1.204, beta=0.75, gamma=0.657, delta=2.783))
        >>> p = m.prob_purchases(range(7), 6)
        >>> p.round(3).tolist(), round(float(p.sum()), 12)
        ([0.311, 0.17, 0.121, 0.1, 0.092, 0.092, 0.113], 1.0)
        """
        alpha, beta, gamma, delta = self._p()
        k = periods("x", x)
        n = periods("n_periods", n_periods)
        kk = np.atleast_1d(np.asarray(k, dtype=float))
        out = np.zeros(kk.shape)
        ok = kk <= n
        out[ok] = np.exp(_log_prob_purchases((alpha, beta, gamma, delta), kk[ok], n))
        return float(out[0]) if np.ndim(k) == 0 else out

    def dert(
        self,
        discount_rate: float,
        frequency: ArrayLike,
        recency: ArrayLike,
        n_periods: ArrayLike,
    ) -> np.ndarray:
        """DERT: discounted expected residual transactions after opportunity n (FHS
        2010, eq. 14), the transaction at opportunity n + k discounted by
        ``(1 + d)^-k``:
        ``B(α+x+1, β+n−x)/B(α,β) · B(γ, δ+n+1)/B(γ,δ) / ((1+d) L) ·
        2F1(1, δ+n+1; γ+δ+n+1; 1/(1+d))``.

        Parameters
        ----------
        discount_rate : float
            d per opportunity, in [0, 1] (0 only when γ > 1: otherwise the
            undiscounted sum is infinite).
        frequency, recency, n_periods : array-like
            As in :meth:`fit`, with the same checks.

        Examples
        --------
        >>> m = BGBB(params_=dict(alpha=1.204, beta=0.75, gamma=0.657, delta=2.783))
        >>> m.dert(0.1, [6, 3, 0], [6, 6, 0], [6, 6, 6]).round(3).tolist()
        [5.909, 3.448, 0.115]
        """
        _, _, gamma, delta = self._p()
        rate = check_discount_rate(
            discount_rate,
            finite=("gamma", gamma),
            infinite="the undiscounted residual transactions are infinite",
        )
        log_p, n = self._posterior(frequency, recency, n_periods, bought=1, shift=1)
        z = 1.0 / (1.0 + rate)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            f = special.hyp2f1(1.0, delta + n + 1, gamma + delta + n + 1, z)
        out = np.exp(log_p) * z * f
        if not np.all(np.isfinite(out)):
            raise ParameterError(
                f"DERT cannot be computed for discount_rate = {rate:g} with these "
                "parameters; pass a larger discount_rate (e.g. 0.1)."
            )
        return out

    def clv(
        self,
        margin: float,
        discount_rate: float,
        frequency: ArrayLike,
        recency: ArrayLike,
        n_periods: ArrayLike,
    ) -> np.ndarray:
        """Residual lifetime value: ``margin × DERT`` (FHS 2010, eq. 14 and the
        discussion after it), with ``margin`` the value of one transaction.

        Examples
        --------
        >>> m = BGBB(params_=dict(alpha=1.204, beta=0.75, gamma=0.657, delta=2.783))
        >>> m.clv(50.0, 0.1, [6], [6], [6]).round(2).tolist()
        [295.43]
        """
        margin = check_margin(margin)
        return margin * self.dert(discount_rate, frequency, recency, n_periods)


def _log_prob_purchases(params, k: np.ndarray, n: float) -> np.ndarray:
    """log P(X(n) = k) for whole k <= n (FHS 2010, eq. 7), summed in log space."""
    alpha, beta, gamma, delta = params
    width = int(n - k.min(initial=n)) + 1 if k.size else 1
    check_work(
        "values × opportunities",
        float(k.size) * width,
        limit=MAX_CELLS,
        fix="ask for fewer values of x or fewer periods",
    )
    k2 = k[:, None]
    i = k2 + np.arange(width - 1)[None, :]  # i = x … n − 1
    used = i < n
    i = np.where(used, i, k2)
    log_c = (
        special.gammaln(i + 1) - special.gammaln(k2 + 1) - special.gammaln(i - k2 + 1)
    )
    drop = (
        log_c
        + special.betaln(alpha + k2, beta + i - k2)
        + special.betaln(gamma + 1, delta + i)
    )
    drop = np.where(used, drop, -np.inf)
    alive = (
        special.gammaln(n + 1)
        - special.gammaln(k2 + 1)
        - special.gammaln(n - k2 + 1)
        + special.betaln(alpha + k2, beta + n - k2)
        + special.betaln(gamma, delta + n)
    )
    both = np.concatenate((alive, drop), axis=1)
    return special.logsumexp(both, axis=1) - _log_norm(params)
