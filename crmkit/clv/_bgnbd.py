"""The BG/NBD model of repeat buying: how many purchases to expect, who is still
alive, and the discounted value of the purchases to come.

The formulas are written once for the BG/NBD family: a customer drops out with
probability p after each repeat purchase (BG/NBD, ``shift`` 0) or also right after
the first purchase (the modified BG/NBD of :mod:`crmkit.clv._mbgnbd`, ``shift`` 1).
With ``s`` the shift, a customer with x repeat purchases who is alive at T has
survived ``x + s`` chances to drop out, so every Beta term ``b + x`` of the BG/NBD
becomes ``b + x + s``."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from typing import ClassVar, Self

import numpy as np
from numpy.typing import ArrayLike
from scipy import special, stats

from crmkit.clv._btyd import BTYDModel
from crmkit.clv._discrete_inputs import periods
from crmkit.clv._inputs import btyd_data, horizon, horizons
from crmkit.errors import ParameterError

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
    """Distinct (x, t_x, T) rows with their counts, split into the rows whose
    likelihood has one term (x = 0 in the BG/NBD: nobody drops out before a repeat
    purchase) and those with two (alive at T, or dropped out after the last
    purchase); with ``shift`` 1 (MBG/NBD) every row has two."""

    scale: float
    total: float  # number of customers
    t0: np.ndarray  # T of customers with x = 0
    w0: np.ndarray
    x1: np.ndarray  # rows with x > 0
    tx1: np.ndarray
    t1: np.ndarray
    w1: np.ndarray
    ux: np.ndarray  # distinct x of the two-term rows and the customers with each
    uw: np.ndarray
    shift: int = 0  # 0: BG/NBD, 1: MBG/NBD (a drop-out chance at the first purchase)

    @classmethod
    def of(
        cls,
        x: np.ndarray,
        tx: np.ndarray,
        t_obs: np.ndarray,
        weights=None,
        shift: int = 0,
    ):
        rows = np.column_stack((x, tx, t_obs))
        if weights is None:  # identical rows enter the likelihood once, with a count
            rows, weights = np.unique(rows, axis=0, return_counts=True)
        w = np.asarray(weights, dtype=float)
        total = float(np.sum(w))
        scale = float(np.sum(w * rows[:, 2]) / total)
        rep = rows[:, 0] > 0 if shift == 0 else np.ones(rows.shape[0], bool)
        x1 = rows[rep, 0]
        ux, inverse = np.unique(x1, return_inverse=True)
        uw = np.bincount(inverse, weights=w[rep], minlength=ux.size)
        return cls(
            scale,
            total,
            rows[~rep, 2],
            w[~rep],
            x1,
            rows[rep, 1],
            rows[rep, 2],
            w[rep],
            ux,
            uw,
            shift,
        )


def _params(theta: np.ndarray, scale: float) -> tuple[float, float, float, float]:
    r, alpha, a, b = np.exp(theta)
    return float(r), float(alpha * scale), float(a), float(b)


def _nll_grad(theta: np.ndarray, d: _Data) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood per customer and its gradient in
    (log r, log alpha, log a, log b).

    The likelihood is FHL (2005), eq. 6: ``A1 A2 (A3 + δ(x>0) A4)`` with
    ``A1 = Γ(r+x) α^r / Γ(r)``, ``A2 = Γ(a+b) Γ(b+x) / (Γ(b) Γ(a+b+x))``,
    ``A3 = (α+T)^-(r+x)`` and ``A4 = a / (b+x-1) (α+t_x)^-(r+x)``; for the MBG/NBD
    (``d.shift`` = s = 1; Batislam, Denizel & Filiztekin 2007) ``b + x`` becomes
    ``b + x + s`` in A2 and A4 and every customer has the term A4. ``α^r`` is folded
    into A3 and A4 as ``-r log1p(T/α)`` (no cancellation of large logarithms) and the
    sum A3 + A4 is taken in log space. Its derivatives: ``d log Γ(z) = ψ(z)``
    (Abramowitz & Stegun 6.3.1) for A1 and A2, and for ``log(A3 + A4)`` the mean of
    the two terms' derivatives weighted by their shares ``A3 / (A3 + A4)`` and
    ``A4 / (A3 + A4)``."""
    r, alpha, a, b = _params(theta, d.scale)
    s = d.shift  # (b + x) + s is b + x itself when s = 0: the same floating point
    # customers without repeat purchases (BG/NBD): L = (alpha / (alpha + T))^r
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
            + special.gammaln(b + ux + s)
            - special.gammaln(b)
            - special.gammaln(a + b + ux + s)
        )
    )
    g_r += np.sum(uw * (special.digamma(r + ux) - special.digamma(r)))
    dig_a = special.digamma(a + b) - special.digamma(a + b + ux + s)
    g_a = np.sum(uw * dig_a)
    g_b = np.sum(uw * (dig_a + special.digamma(b + ux + s) - special.digamma(b)))
    # the two terms A3 (alive at T) and A4 (dropped out after the last purchase)
    x, tx, t_obs, w = d.x1, d.tx1, d.t1, d.w1
    lp3, lp4 = np.log1p(t_obs / alpha), np.log1p(tx / alpha)
    a3 = -r * lp3 - x * np.log(alpha + t_obs)
    a4 = np.log(a) - np.log(b + x + (s - 1)) - r * lp4 - x * np.log(alpha + tx)
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
    g_b = b * g_b - b * np.sum(w * w4 / (b + x + (s - 1)))
    grad = np.array([r * g_r, g_alpha, g_a, g_b])
    return float(-ll / d.total), -grad / d.total


def _log_odds_dead(
    params: tuple[float, float, float, float],
    x: np.ndarray,
    tx: np.ndarray,
    t_obs: np.ndarray,
    shift: int = 0,
) -> np.ndarray:
    """log of (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x), -inf at x = 0:
    the odds of having dropped out, so P(alive) = 1 / (1 + e^this) (Fader, Hardie &
    Lee 2008, "Computing P(alive) using the BG/NBD model"; it is A4 / A3 of FHL 2005,
    eq. 6). The power is taken as ``(r + x) log1p((T - t_x) / (alpha + t_x))``. With
    ``shift`` 1 (MBG/NBD) ``b + x - 1`` becomes ``b + x`` and the odds are finite at
    x = 0 too (Batislam, Denizel & Filiztekin 2007)."""
    r, alpha, a, b = params
    rep = x > 0 if shift == 0 else np.ones(x.shape, bool)
    out = np.full(x.shape, -np.inf)
    xr = x[rep]
    out[rep] = (
        math.log(a)
        - np.log(b + xr + (shift - 1))
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


def _log_prob_purchases(params, n: np.ndarray, t: float, shift: int) -> np.ndarray:
    """log P(X(t) = n) for a customer just acquired, whole n >= 0 (FHL 2005, eq. 8):
    ``B(a, b+n)/B(a, b) NB(n) + δ(n>0) B(a+1, b+n−1)/B(a, b) P(NB >= n)``, with NB
    the purchases in t of a customer who never drops out, a negative binomial with
    ``NB(n) = Γ(r+n) / (Γ(r) n!) (α/(α+t))^r (t/(α+t))^n``. Its tail, ``1 − (α/(α+t))^r
    Σ_{j<n} ...`` in eq. 8, is scipy's ``nbinom.logsf`` (a regularised incomplete
    beta function, without the cancellation of ``1 − Σ``). With ``shift`` s = 1
    (MBG/NBD) ``b + n`` becomes ``b + n + s`` and the second term is there at n = 0
    too (the drop-out right after the first purchase)."""
    r, alpha, a, b = params
    q = alpha / (alpha + t)  # the success probability of scipy's nbinom
    base = special.betaln(a, b)
    alive = special.betaln(a, b + n + shift) - base + stats.nbinom.logpmf(n, r, q)
    dropped = np.full(n.shape, -np.inf)
    two = n + shift > 0
    m = n[two]
    dropped[two] = (
        special.betaln(a + 1, b + m + (shift - 1))
        - base
        + stats.nbinom.logsf(m - 1, r, q)
    )
    return np.logaddexp(alive, dropped)


#: Gauss-Legendre nodes of the DERT integral, and the widest panel in log-time.
_DERT_NODES = np.polynomial.legendre.leggauss(20)
_DERT_PANEL = 0.75


def _dert(params, x, tx, t_obs, rate: float, shift: int) -> np.ndarray:
    """Discounted expected residual transactions per customer (DERT, defined in
    :meth:`~crmkit.clv._btyd.BTYDModel.dert`).

    There is no closed form for the BG/NBD, so the discounted derivative is
    integrated numerically. Given alive at T, λ ~ Gamma(r + x, α + T) and
    p ~ Beta(a, b + x) (the posterior behind FHL 2005, eq. 10; b + x + 1 for the
    MBG/NBD), and a customer alive at T + t buys at rate λ, alive with
    probability ``E[(1 − p)^N(t)] = e^(−λpt)``, so
    ``(d/dt) E[Y(t)] = P(alive) (r + x) / (α + T) · 2F1(r+x+1, a; a+b+x; −τ)``
    with τ = t / (α + T) (the Euler integral of 2F1, Abramowitz & Stegun
    15.3.1). That is integrated against the discount factor by Gauss-Legendre
    panels in ln t (20 nodes, panels at most 0.75 wide; agreement with mpmath
    and with a brute-force discounted sum is tested), once per distinct x over a
    grid covering every T with that x. With ``rate = 0`` it is the closed form
    ``P(alive) (a + b + x − 1) / (a − 1)``, finite for a > 1."""
    r, alpha, a, b = params
    alive = special.expit(-_log_odds_dead(params, x, tx, t_obs, shift))
    if rate == 0:  # E[1 / p] of p ~ Beta(a, b + x + s), finite for a > 1
        return alive * (a + b + x + (shift - 1)) / (a - 1)
    keys, inverse = np.unique(np.column_stack((x, t_obs)), axis=0, return_inverse=True)
    delta = math.log1p(rate)
    value = np.empty(keys.shape[0])
    for xv in np.unique(keys[:, 0]):
        sel = keys[:, 0] == xv
        k = delta * (alpha + keys[sel, 1])
        value[sel] = _discounted_rate(
            r + xv, a, b + xv + shift, a + b + shift - r - 1, k
        )
    return alive * value[inverse.ravel()]


def _discounted_rate(A: float, a: float, B: float, m: float, k: np.ndarray):
    """``A ∫_0^∞ e^(−kτ) 2F1(A+1, a; a+B; −τ) dτ`` for each k, with the
    hypergeometric function as ``(1+τ)^−a 2F1(a, m; a+B; τ/(1+τ))``, m = a + B − A
    − 1 (Pfaff's transformation, Abramowitz & Stegun 15.3.4; its argument stays in
    [0, 1)). Integrated in u = ln τ (integrand ``e^(u − kτ)`` times the function) by
    Gauss-Legendre panels from where the integrand is below 1e-17 of its scale,
    ``τ = 1e-17 min(1/k, 1/(A+1))``, to ``τ = 60/k`` (discount factor e^-60)."""
    lo = math.log(1e-17 * min(1 / float(np.max(k)), 1 / (A + 1)))
    hi = math.log(60 / float(np.min(k)))
    edges = np.linspace(lo, hi, math.ceil((hi - lo) / _DERT_PANEL) + 1)
    mid, half = (edges[1:] + edges[:-1]) / 2, (edges[1:] - edges[:-1]) / 2
    nodes, weights = _DERT_NODES
    u = (mid[:, None] + half[:, None] * nodes[None, :]).ravel()
    wts = (half[:, None] * weights[None, :]).ravel()
    tau = np.exp(u)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = np.exp(-a * np.log1p(tau)) * special.hyp2f1(a, m, a + B, tau / (1 + tau))
    if not (np.all(np.isfinite(f)) and np.all(f >= 0) and np.all(f <= 1 + 1e-9)):
        raise ParameterError(
            f"DERT cannot be computed accurately for r + x = {A:g}, a = {a:g}, "
            f"b + x = {B:g}; check the parameters and the time unit (these values "
            "are far outside any fitted model)."
        )
    return A * np.exp(u[None, :] - k[:, None] * tau[None, :]) @ (wts * f)


@dataclass
class _BGNBDFamily(BTYDModel):
    """What the BG/NBD and the MBG/NBD share: their likelihood, predictions and
    DERT, written once with the drop-out ``_SHIFT`` (0 for BG/NBD, 1 for MBG/NBD;
    see the module docstring); the public fit, log-likelihood, DERT and CLV are
    those of :class:`~crmkit.clv._btyd.BTYDModel`."""

    NAMES: ClassVar[tuple[str, ...]] = NAMES
    _SHIFT: ClassVar[int] = 0
    _LABEL: ClassVar[str] = "BG/NBD"
    _ZERO_RATE = ("a", "the mean of 1/p is finite only for a > 1", "0.002 per week")

    def _data(self, x, tx, t_obs, w) -> _Data:
        return _Data.of(x, tx, t_obs, w, shift=self._SHIFT)

    def _fit(self, d: _Data) -> Self:
        return self._maximise(
            _nll_grad,
            d,
            STARTS,
            natural=lambda theta: np.array(_params(theta, d.scale)),
        )

    def _log_likelihood(self, params, d: _Data) -> float:
        """FHL (2005), eq. 6; for the MBG/NBD its modification by Batislam, Denizel
        & Filiztekin (2007)."""
        d = replace(d, scale=1.0)  # alpha unscaled
        nll, _ = _nll_grad(np.log(params), d)
        return -nll * d.total

    def expected_purchases_new(self, t: ArrayLike) -> np.ndarray | float:
        """E[X(t)]: purchases expected in ``t`` by a customer just acquired (FHL eq. 9;
        for the MBG/NBD ``b / (a + b)``, the chance of surviving the first purchase,
        times the same with b + 1: Batislam, Denizel & Filiztekin 2007).

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
        tau = np.asarray(t) / alpha
        if self._SHIFT == 0:
            out = _alive_purchases(r, a, b, tau)
        else:
            out = b / (a + b) * _alive_purchases(r, a, b + self._SHIFT, tau)
        return float(out) if np.ndim(t) == 0 else out

    def expected_purchases(
        self, t: float, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: purchases expected in the next ``t`` (FHL eq. 10; for
        the MBG/NBD with b + x + 1 for b + x, Batislam, Denizel & Filiztekin 2007),
        the expectation if alive times P(alive), computed in log space.

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
        s = self._SHIFT
        alive = special.expit(-_log_odds_dead((r, alpha, a, b), x, tx, t_obs, s))
        return _alive_purchases(r + x, a, b + x + s, t / (alpha + t_obs)) * alive

    def prob_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """P(the customer is still alive | x, t_x, T); for the BG/NBD 1 for
        customers with no repeat.

        ``1 / (1 + (a / (b + x - 1)) ((alpha + T) / (alpha + t_x))^(r + x))`` (FHL's
        note; ``b + x`` for the MBG/NBD, Batislam, Denizel & Filiztekin 2007),
        computed in log space so that very frequent buyers do not overflow.

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
        return special.expit(
            -_log_odds_dead((r, alpha, a, b), x, tx, t_obs, self._SHIFT)
        )

    def prob_purchases(self, n: ArrayLike, t: float) -> np.ndarray | float:
        """P(X(t) = n): probability that a customer just acquired makes exactly n
        repeat purchases in ``t`` (FHL 2005, eq. 8; for the MBG/NBD with b + n + 1
        for b + n and the drop-out term at n = 0 too, Batislam, Denizel & Filiztekin
        2007), in log space.

        Parameters
        ----------
        n : int or array-like
            Numbers of repeat purchases (whole numbers >= 0).
        t : float
            Length of the period (>= 0), in the time unit of the fit.

        Examples
        --------
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> m.prob_purchases(range(3), 39.0).round(4).tolist()
        [0.5738, 0.1994, 0.0854]
        """
        params = self._p()
        k = periods("n", n)
        t = horizon("t", t)
        kk = np.atleast_1d(np.asarray(k, dtype=float))
        out = np.exp(_log_prob_purchases(params, kk, t, self._SHIFT))
        return float(out[0]) if np.ndim(k) == 0 else out

    def _dert(self, params, rate, x, tx, t_obs) -> np.ndarray:
        return _dert(params, x, tx, t_obs, rate, self._SHIFT)


@dataclass
class BGNBD(_BGNBDFamily):
    """The beta-geometric / negative binomial model of Fader, Hardie & Lee (2005).

    While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after
    each repeat purchase it drops out with probability p ~ Beta(a, b).

    Fitted by maximum likelihood (FHL 2005, eq. 6) in log-parameters (α relative to
    the mean T of the data) with analytic gradients: L-BFGS-B from several starting
    points, then Newton steps from the best, until the optimum is reached to about
    1e-10 relative in every parameter, so the digits printed do not depend on the
    machine or the order of the rows (the gradient norm left is about 1e-12 on the
    CDNOW data, where a quasi-Newton stop at gtol 1e-8 left 2e-5). Identical
    (x, t_x, T) rows are counted once with a weight, which makes large data sets
    fast (the 23,570 CDNOW customers fit in about 0.2 s). A fit whose likelihood
    has no finite maximum (a parameter runs off to 0 or infinity, as with few
    customers) raises :class:`FitError`.

    Attributes (after :meth:`fit`)
    ------------------------------
    params_ : dict
        ``r``, ``alpha``, ``a``, ``b`` (``alpha`` in the time unit of recency and T).
        May be set by hand (each a positive finite number).
    {FIT_ATTRIBUTES}

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
    way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284:
    likelihood eq. 6, P(X(t) = x) eq. 8, E[X(t)] eq. 9, E[Y(t) | x, t_x, T] eq. 10.
    P(alive): P. S. Fader, B. G. S. Hardie and K. L. Lee (2008), "Computing P(alive)
    using the BG/NBD model" (note, brucehardie.com/notes/021). DERT: P. S. Fader,
    B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: using iso-value curves for
    customer base analysis", *Journal of Marketing Research* 42(4):415–430 (its
    definition as the discounted integral of the purchase rate). Hypergeometric
    identities: M. Abramowitz and I. A. Stegun (1964), *Handbook of Mathematical
    Functions*, National Bureau of Standards: 15.3.1 (Euler's integral), 15.3.3 and
    15.3.4 (Euler's and Pfaff's transformations). Standard errors: see
    :mod:`crmkit.clv._uncertainty`.

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

    On the CDNOW sample (FHL 2005: r 0.243, α 4.414, a 0.793, b 2.426), with
    standard errors and 95 % intervals from the observed information:

    >>> from crmkit.datasets import load_cdnow
    >>> s = customer_summary(load_cdnow(sample=True), as_of="1997-09-30",
    ...                      time_unit="W")
    >>> m = BGNBD().fit(s["frequency"], s["recency"], s["T"])
    >>> m.summary().round(3)  # doctest: +NORMALIZE_WHITESPACE
               estimate  std_error  lower  upper
    parameter
    r             0.243      0.013  0.219  0.268
    alpha         4.414      0.378  3.731  5.221
    a             0.793      0.186  0.501  1.255
    b             2.426      0.705  1.372  4.289
    >>> round(m.summary().attrs["bic"], 1)
    19195.9
    """
