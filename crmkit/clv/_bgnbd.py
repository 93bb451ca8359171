"""The BG/NBD model of repeat buying: how many purchases to expect, and who is still
alive."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from crmkit.clv._fitted import FittedModel
from crmkit.clv._inputs import btyd_data, horizon, horizons
from crmkit.clv._optimize import minimise
from crmkit.errors import DataError, ParameterError

__all__ = ["BGNBD"]

NAMES = ("r", "alpha", "a", "b")

#: Starting points (r, alpha / scale, a, b), scale = the mean T of the data.
STARTS = (
    (1.0, 0.1, 1.0, 1.0),
    (0.5, 0.05, 0.5, 2.0),
    (0.2, 0.5, 1.0, 3.0),
    (2.0, 0.02, 0.5, 0.5),
)


@dataclass(frozen=True)
class _Data:
    """Distinct (x, t_x, T) rows with their counts, split by x = 0 and x > 0."""

    scale: float
    total: float  # number of customers
    t0: np.ndarray  # T of customers with x = 0
    w0: np.ndarray
    x1: np.ndarray  # rows with x > 0
    tx1: np.ndarray
    t1: np.ndarray
    w1: np.ndarray
    ux: np.ndarray  # distinct x > 0 and the number of customers with each
    uw: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, tx: np.ndarray, t_obs: np.ndarray, weights=None):
        rows = np.column_stack((x, tx, t_obs))
        if weights is None:  # identical rows enter the likelihood once, with a count
            rows, weights = np.unique(rows, axis=0, return_counts=True)
        w = np.asarray(weights, dtype=float)
        total = float(np.sum(w))
        scale = float(np.sum(w * rows[:, 2]) / total)
        rep = rows[:, 0] > 0
        x1 = rows[rep, 0]
        ux, inverse = np.unique(x1, return_inverse=True)
        uw = np.bincount(inverse, weights=w[rep], minlength=ux.size)
        return cls(
            scale, total, rows[~rep, 2], w[~rep], x1, rows[rep, 1], rows[rep, 2],
            w[rep], ux, uw,
        )


def _params(theta: np.ndarray, scale: float) -> tuple[float, float, float, float]:
    r, alpha, a, b = np.exp(theta)
    return float(r), float(alpha * scale), float(a), float(b)


def _nll_grad(theta: np.ndarray, d: _Data) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood per customer and its gradient in
    (log r, log alpha, log a, log b).

    The likelihood is FHL (2005), eq. 6: ``A1 A2 (A3 + δ(x>0) A4)`` with
    ``A1 = Γ(r+x) α^r / Γ(r)``, ``A2 = Γ(a+b) Γ(b+x) / (Γ(b) Γ(a+b+x))``,
    ``A3 = (α+T)^-(r+x)`` and ``A4 = a / (b+x-1) (α+t_x)^-(r+x)``; ``α^r`` is folded
    into A3 and A4 as ``-r log1p(T/α)`` (no cancellation of large logarithms) and the
    sum A3 + A4 is taken in log space. Its derivatives: ``d log Γ(z) = ψ(z)``
    (Abramowitz & Stegun 6.3.1) for A1 and A2, and for ``log(A3 + A4)`` the mean of
    the two terms' derivatives weighted by their shares ``A3 / (A3 + A4)`` and
    ``A4 / (A3 + A4)``."""
    r, alpha, a, b = _params(theta, d.scale)
    # customers without repeat purchases: L = (alpha / (alpha + T))^r
    lp0 = np.log1p(d.t0 / alpha)
    ll = -r * np.sum(d.w0 * lp0)
    g_r = -np.sum(d.w0 * lp0)
    g_alpha = r * np.sum(d.w0 * d.t0 / (alpha + d.t0))
    # terms that depend on x only, once per distinct x
    ux, uw = d.ux, d.uw
    ll += np.sum(
        uw
        * (
            special.gammaln(r + ux)
            - special.gammaln(r)
            + special.gammaln(a + b)
            + special.gammaln(b + ux)
            - special.gammaln(b)
            - special.gammaln(a + b + ux)
        )
    )
    g_r += np.sum(uw * (special.digamma(r + ux) - special.digamma(r)))
    dig_a = special.digamma(a + b) - special.digamma(a + b + ux)
    g_a = np.sum(uw * dig_a)
    g_b = np.sum(uw * (dig_a + special.digamma(b + ux) - special.digamma(b)))
    # the two terms A3 (alive at T) and A4 (dropped out after the last purchase)
    x, tx, t_obs, w = d.x1, d.tx1, d.t1, d.w1
    lp3, lp4 = np.log1p(t_obs / alpha), np.log1p(tx / alpha)
    a3 = -r * lp3 - x * np.log(alpha + t_obs)
    a4 = np.log(a) - np.log(b + x - 1) - r * lp4 - x * np.log(alpha + tx)
    ll += np.sum(w * np.logaddexp(a3, a4))
    w3, w4 = special.expit(a3 - a4), special.expit(a4 - a3)  # shares of the two
    g_r += -np.sum(w * (w3 * lp3 + w4 * lp4))
    g_alpha += np.sum(
        w
        * (
            w3 * (r * t_obs - x * alpha) / (alpha + t_obs)
            + w4 * (r * tx - x * alpha) / (alpha + tx)
        )
    )
    g_a = a * g_a + np.sum(w * w4)
    g_b = b * g_b - b * np.sum(w * w4 / (b + x - 1))
    grad = np.array([r * g_r, g_alpha, g_a, g_b])
    return float(-ll / d.total), -grad / d.total


def _log_odds_dead(
    params: tuple[float, float, float, float],
    x: np.ndarray,
    tx: np.ndarray,
    t_obs: np.ndarray,
) -> np.ndarray:
    """log of (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x), -inf at x = 0:
    the odds of having dropped out, so P(alive) = 1 / (1 + e^this) (Fader, Hardie &
    Lee 2008, "Computing P(alive) using the BG/NBD model"; it is A4 / A3 of FHL 2005,
    eq. 6). The power is taken as ``(r + x) log1p((T - t_x) / (alpha + t_x))``."""
    r, alpha, a, b = params
    rep = x > 0
    out = np.full(x.shape, -np.inf)
    xr = x[rep]
    out[rep] = (
        math.log(a)
        - np.log(b + xr - 1)
        + (r + xr) * np.log1p((t_obs[rep] - tx[rep]) / (alpha + tx[rep]))
    )
    return out


def _alive_purchases(A, a: float, B, tau) -> np.ndarray:
    """E[purchases in (T, T + t] | alive at T] with lambda ~ Gamma(A, alpha + T) and
    p ~ Beta(a, B), tau = t / (alpha + T):
    ``(a + B - 1) / (a - 1) * (1 - (1 + tau)^-A 2F1(A, B; a + B - 1; tau / (1 + tau)))``
    (FHL 2005, eq. 9 with A = r, B = b; eq. 10 with A = r + x, B = b + x).

    The removable singularity at a = 1 is bridged by linear interpolation between
    a = 1 ± 1e-5 (error below 1e-10 relative)."""
    A, B, tau = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (A, B, tau)))
    shape = A.shape
    A, B, tau = A.ravel(), B.ravel(), tau.ravel()
    h = 1e-5
    if abs(a - 1) >= h:
        return _alive_purchases_at(A, a, B, tau).reshape(shape)
    low = _alive_purchases_at(A, 1 - h, B, tau)
    high = _alive_purchases_at(A, 1 + h, B, tau)
    return (low + (a - (1 - h)) / (2 * h) * (high - low)).reshape(shape)


def _alive_purchases_at(A: np.ndarray, a: float, B: np.ndarray, tau: np.ndarray):
    c = a + B - 1
    z = tau / (1 + tau)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Euler's transformation of FHL's 2F1 (Abramowitz & Stegun 15.3.3) ...
        f_euler = np.exp((1 - a) * np.log1p(tau)) * special.hyp2f1(a - 1, c - A, c, z)
        # ... checked against FHL's own form: they share no parameters, so a wrong
        # value of scipy's hyp2f1 in either shows as a disagreement
        f_fhl = np.exp(-A * np.log1p(tau)) * special.hyp2f1(A, B, c, z)
        out = c * (1 - f_euler) / (a - 1)
    ok = (
        np.isfinite(out)
        & (np.abs(f_euler - f_fhl) <= 1e-9 * np.abs(1 - f_euler) + 1e-15)
        & (out >= 0)
        & (out <= A * tau * (1 + 1e-9))
    )
    for i in np.flatnonzero(~ok):
        out[i] = _alive_purchases_quad(float(A[i]), a, float(B[i]), float(tau[i]))
    return out


_NODES = tuple(np.polynomial.legendre.leggauss(n) for n in (16, 24))


def _alive_purchases_quad(A: float, a: float, B: float, tau: float) -> float:
    """The same expectation as an integral over p ~ Beta(a, B) of
    E[(1 - e^(-lambda p t)) / p | p] = (1 - (1 + p tau)^-A) / p, used where scipy's
    hyp2f1 is not accurate (very frequent buyers, very long horizons).

    With p = 1 / (1 + e^u) the integrand is smooth on the whole real line and decays
    exponentially at both ends, so Gauss-Legendre panels (fine near the features at
    u = log(B/a), log(tau), log(A tau), widening geometrically in the tails) integrate
    it in log space without under- or overflow. The Beta normaliser is integrated on
    the same nodes (scipy's betaln loses ~1e-9 for large arguments). 16 and 24 nodes
    per panel must agree to 1e-10, or the value is refused."""
    if tau == 0:
        return 0.0
    ok = all(math.isfinite(v) and v > 0 for v in (A, a, B, tau))
    if ok:
        estimates = []
        for points, weights in _panel_nodes(A, a, B, tau):
            sp, sm = np.logaddexp(0.0, points), np.logaddexp(0.0, -points)
            log_w = -a * sp - B * sm  # log of p^a (1 - p)^B, dp = p (1 - p) du
            shift = float(np.max(log_w))
            mass = np.exp(log_w - shift)
            estimates.append(
                float(np.sum(weights * mass * np.exp(_log_h(sp, A, tau))))
                / float(np.sum(weights * mass))
            )
        value, check = estimates[1], estimates[0]
        ok = math.isfinite(value) and abs(value - check) <= 1e-10 * abs(value)
    if not ok:
        raise ParameterError(
            f"expected purchases cannot be computed accurately for r + x = {A:g}, "
            f"a = {a:g}, b + x = {B:g}, t / (alpha + T) = {tau:g}; check the "
            "parameters and the time unit (these values are far outside any fitted "
            "model)."
        )
    return value


def _log_h(sp: np.ndarray, A: float, tau: float) -> np.ndarray:
    """log((1 - (1 + p tau)^-A) / p) at p = e^-sp, accurate when p tau is tiny."""
    log_x = math.log(tau) - sp  # log(p tau)
    x = np.exp(log_x)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_l1p = np.where(x < 1e-8, log_x - x / 2, np.log(np.log1p(x)))
        log_v = math.log(A) + log_l1p  # v = A log(1 + p tau)
        v = np.exp(log_v)
        return np.where(v < 1e-8, log_v - v / 2, np.log(-np.expm1(-v))) + sp


def _panel_nodes(A: float, a: float, B: float, tau: float):
    """Gauss-Legendre nodes and weights on panels covering the integrand in u."""
    keys = [0.0, math.log(B / a), math.log(tau), math.log(A * tau)]
    width = 1.0 / math.sqrt(a * B / (a + B))  # of the Beta peak, in u
    step = min(0.5, width / 4)
    lo, hi = min(keys) - 10 * width - 5, max(keys) + 10 * width + 5
    panels = (hi - lo) / step
    if not panels <= 100_000:  # (also NaN) parameters far outside any model
        nan = np.array([math.nan])
        return [(nan, nan)] * len(_NODES)
    n_core = math.ceil(panels)
    edges = list(np.linspace(lo, hi, n_core + 1))
    # the log-integrand falls at least like -a u beyond hi and like B u below lo
    for end, sign in ((hi + 50 / a + 50, 1.0), (lo - 50 / B - 50, -1.0)):
        w, u = step, hi if sign > 0 else lo
        side = []
        while (end - u) * sign > 0 and len(side) < 400:
            w *= 1.25
            u = min(u + w, end) if sign > 0 else max(u - w, end)
            side.append(u)
        edges = edges + side if sign > 0 else side[::-1] + edges
    e = np.asarray(edges)
    mid, half = (e[1:] + e[:-1]) / 2, (e[1:] - e[:-1]) / 2
    out = []
    for nodes, weights in _NODES:
        points = (mid[:, None] + half[:, None] * nodes[None, :]).ravel()
        out.append((points, (half[:, None] * weights[None, :]).ravel()))
    return out


@dataclass
class BGNBD(FittedModel):
    """The beta-geometric / negative binomial model of Fader, Hardie & Lee (2005).

    While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after
    each repeat purchase it drops out with probability p ~ Beta(a, b).

    Fitted by maximum likelihood (FHL 2005, eq. 6) in log-parameters (α relative to
    the mean T of the data) with analytic gradients: L-BFGS-B from several starting
    points, then Newton steps from the best, until the optimum is reached to about
    1e-10 relative in every parameter, so the digits printed do not depend on the
    machine or the order of the rows. Identical (x, t_x, T) rows are counted once
    with a weight, which makes large data sets fast (the 23,570 CDNOW customers fit
    in about 0.2 s). A fit whose likelihood has no finite maximum (a parameter runs
    off to 0 or infinity, as with few customers) raises :class:`FitError`.

    Attributes (after :meth:`fit`)
    ------------------------------
    params_ : dict
        ``r``, ``alpha``, ``a``, ``b`` (``alpha`` in the time unit of recency and T).
        May be set by hand (each a positive finite number).
    log_likelihood_ : float
        Maximised log-likelihood.
    gradient_norm_ : float
        Norm of the gradient of the log-likelihood in the log-parameters at
        ``params_``: zero to rounding (about 1e-12 on the CDNOW data, where a
        quasi-Newton stop at gtol 1e-8 left 2e-5).
    optimizer_ : scipy.optimize.OptimizeResult
        How the fit went: ``x`` (log-parameters, α scaled), ``hess``,
        ``newton_step`` (the estimated remaining distance), ``start``, ``searches``.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
    way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284:
    likelihood eq. 6, E[X(t)] eq. 9, E[Y(t) | x, t_x, T] eq. 10. P(alive): Fader,
    Hardie & Lee (2008), "Computing P(alive) using the BG/NBD model" (note).
    Hypergeometric identities: M. Abramowitz and I. A. Stegun (1964), *Handbook of
    Mathematical Functions*, 15.3.3.

    Examples
    --------
    >>> from crmkit.clv import make_transactions
    >>> from crmkit.segmentation import customer_summary
    >>> s = customer_summary(make_transactions(2000, seed=1), as_of="1997-09-30",
    ...                      time_unit="W")
    >>> m = BGNBD().fit(s["frequency"], s["recency"], s["T"])
    >>> sorted(m.params_)
    ['a', 'alpha', 'b', 'r']
    >>> m.optimizer_.newton_step < 1e-10
    True
    """

    NAMES: ClassVar[tuple[str, ...]] = NAMES

    def fit(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> BGNBD:
        """Fit by maximum likelihood; returns ``self``.

        Parameters
        ----------
        frequency : array-like
            Repeat purchases per customer (whole numbers >= 0).
        recency, T : array-like
            Time of the last purchase and end of observation, both measured from the
            customer's first purchase in one unit (0 <= recency <= T).

        Raises
        ------
        DataError
            Bad data (see :func:`crmkit.segmentation.customer_summary` for the rules),
            or no repeat purchases at all.
        FitError
            When the optimum cannot be reached (a parameter runs to 0 or infinity, or
            the Newton steps do not settle); the message lists the starts tried.

        Examples
        --------
        >>> m = BGNBD().fit([2, 1, 0, 0, 3, 1], [30.4, 1.7, 0, 0, 35.0, 20.1],
        ...                 [38.9, 38.9, 38.9, 30.0, 38.0, 25.0])
        Traceback (most recent call last):
        ...
        crmkit.errors.FitError: the BG/NBD fit did not converge: ...
        """
        x, tx, t_obs = btyd_data(frequency, recency, T)
        if not (t_obs > 0).any():
            raise DataError(
                f"T is 0 for all {x.size} customers: nobody was observed for any time; "
                "pass T > 0 (the time from the first purchase to the end of the data)."
            )
        if not (x > 0).any():
            raise DataError(
                f"frequency is 0 for all {x.size} customers: without repeat purchases "
                "the BG/NBD model cannot be fitted; pass data that include repeat "
                "buyers (a longer observation period)."
            )
        return self._fit(_Data.of(x, tx, t_obs))

    def _fit(self, d: _Data) -> BGNBD:
        starts = [np.log(s) for s in STARTS]
        res = minimise(
            lambda theta: _nll_grad(theta, d),
            starts,
            names=NAMES,
            natural=lambda theta: np.array(_params(theta, d.scale)),
            model="BG/NBD",
            advice="check that recency and T use the same time unit, and that the data "
            "hold enough repeat buyers",
        )
        params = dict(zip(NAMES, _params(res.x, d.scale), strict=True))
        self._keep_fit(params, res, d.total)
        return self

    def _p(self) -> tuple[float, float, float, float]:
        p = self.checked_params()
        return p["r"], p["alpha"], p["a"], p["b"]

    def log_likelihood(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> float:
        """Log-likelihood of data at the current parameters (FHL 2005, eq. 6); the
        data are checked as in :meth:`fit`.

        Examples
        --------
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> round(m.log_likelihood([2, 0], [30.43, 0.0], [38.86, 38.86]), 6)
        -10.01332
        """
        r, alpha, a, b = self._p()
        d = _Data.of(*btyd_data(frequency, recency, T))
        d = replace(d, scale=1.0)  # alpha unscaled
        nll, _ = _nll_grad(np.log([r, alpha, a, b]), d)
        return -nll * d.total

    def expected_purchases_new(self, t: ArrayLike) -> np.ndarray | float:
        """E[X(t)]: purchases expected in ``t`` by a customer just acquired (FHL eq. 9).

        Parameters
        ----------
        t : float or array-like
            Length of the period (>= 0), in the time unit of the fit.

        Examples
        --------
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> round(m.expected_purchases_new(39.0), 6)
        1.196723
        """
        r, alpha, a, b = self._p()
        t = horizons("t", t)
        out = _alive_purchases(r, a, b, np.asarray(t) / alpha)
        return float(out) if np.ndim(t) == 0 else out

    def expected_purchases(
        self, t: float, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: purchases expected in the next ``t`` (FHL eq. 10), the
        expectation if alive times P(alive), computed in log space.

        Where scipy's ``hyp2f1`` is inaccurate (it is evaluated in two independent
        forms, FHL's and Euler's transformation, which must agree), the expectation
        is integrated numerically over the drop-out probability instead.

        Parameters
        ----------
        t : float
            Length of the future period (>= 0), in the time unit of the fit.
        frequency, recency, T : array-like
            As in :meth:`fit`, with the same checks.

        Returns
        -------
        numpy.ndarray
            Expected repeat purchases per customer.

        Examples
        --------
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> m.expected_purchases(39, [2], [30.43], [38.86]).round(6).tolist()
        [1.226028]
        """
        t = horizon("t", t)
        r, alpha, a, b = self._p()
        x, tx, t_obs = btyd_data(frequency, recency, T)
        alive = special.expit(-_log_odds_dead((r, alpha, a, b), x, tx, t_obs))
        return _alive_purchases(r + x, a, b + x, t / (alpha + t_obs)) * alive

    def prob_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """P(the customer is still alive | x, t_x, T); 1 for customers with no repeat.

        ``1 / (1 + (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x))`` (FHL's
        note), computed in log space so that very frequent buyers do not
        overflow.

        Parameters
        ----------
        frequency, recency, T : array-like
            As in :meth:`fit`, with the same checks.

        Examples
        --------
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> m.prob_alive([2, 2], [30.43, 5.0], [38.86, 38.86]).round(6).tolist()
        [0.726579, 0.123679]
        """
        r, alpha, a, b = self._p()
        x, tx, t_obs = btyd_data(frequency, recency, T)
        return special.expit(-_log_odds_dead((r, alpha, a, b), x, tx, t_obs))
