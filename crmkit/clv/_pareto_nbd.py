"""The Pareto/NBD model of repeat buying: how many purchases to expect, who is still
alive, and the discounted value of the purchases to come."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import special

from crmkit._replication import check_rng
from crmkit._validate import check_work
from crmkit.clv._btyd import BTYDModel
from crmkit.clv._discrete_inputs import _unique, weights_array
from crmkit.clv._generator_checks import check_purchases, observation_lengths
from crmkit.clv._inputs import (
    btyd_data,
    counts,
    generator_args,
    generator_doc,
    horizon,
    horizons,
)
from crmkit.errors import ParameterError

__all__ = ["ParetoNBD", "make_pareto_nbd_summary"]

NAMES = ("r", "alpha", "s", "beta")

#: Starting points (r, alpha / scale, s, beta / scale), scale = the mean T of the data;
#: alpha / beta stays within a factor 2.5, where the series is fast (z <= 0.6).
STARTS = (
    (1.0, 1.0, 1.0, 1.0),
    (0.5, 0.3, 0.5, 0.3),
    (0.3, 0.4, 1.0, 1.0),
    (2.0, 1.0, 0.3, 0.4),
)

#: The series of the hypergeometric term is summed where its ratio z is at most this
#: (at most ~120 terms for small shapes); above, the integral is taken by quadrature.
SERIES_Z = 0.7
#: Most terms of the series (or panels of the quadrature) for one customer.
MAX_TERMS = 200_000
#: Terms of the series summed per step (vectorised over the customers still open).
BLOCK = 16
#: The series stops when what is left is below this share of its sum (and 1000 times
#: this share of the sums of its derivatives).
TAIL = 1e-16
#: Most terms (hypergeometric values) in one call of P(X(t) = n).
MAX_CELLS = 1e7

# ---------------------------------------------------------------- the integral term


def _log_q(n, p, z, w, eps=None):
    """log Q and the ratios Q_N / Q, Q_p / Q, Q_z / Q of

    ``Q(N, p, z, W) = ∫_0^W e^(-N u) (1 - z e^(-u))^(-p) du
                  = Σ_k (p)_k / k! z^k (1 - e^(-(N+k) W)) / (N + k)``

    (the series is A&S 15.1.1 integrated term by term), the integral behind the
    Gaussian hypergeometric terms of the Pareto/NBD likelihood: with v = e^(-u) it is
    ``2F1(p, N; N+1; z) / N`` minus the same at the end of the window (A&S 15.3.1),
    the difference FHL (2005, note 009, section 3) write with two 2F1 values. Every
    term of the series is positive, and so are those of its derivatives in p and z
    (those in N all negative), so the sums lose no digits to cancellation, and the
    window enters through ``expm1`` (no difference of two nearly equal 2F1 values
    when t_x is close to T). Where z > 0.7 (very different α and β) the series
    converges slowly and the integral is taken by Gauss–Legendre panels instead.
    ``eps`` is 1 - z, passed separately where it is known more accurately than
    the rounded z gives it (the integrand near u = 0 depends on it alone). Returns
    NaN where neither method can reach full accuracy."""
    if eps is None:
        eps = 1 - np.asarray(z, dtype=float)
    n, p, z, w, eps = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (n, p, z, w, eps))
    )
    out = [np.full(n.shape, np.nan) for _ in range(4)]
    out[0][w == 0] = -np.inf  # an empty window: Q = 0
    peak = (p - 1) * z / np.maximum(1 - z, 1e-300)  # the largest term of the series
    use_series = (z <= SERIES_Z) & (peak < MAX_TERMS / 4)
    # the terms needed: up to the peak, then until z^k has fallen by e^-45
    with np.errstate(divide="ignore"):
        need = np.ceil((peak + (1 - math.log(TAIL)) / -np.log(z)) / 8) * 8
    width = np.clip(np.nan_to_num(need, posinf=8.0), 8, 8 * BLOCK)
    parts = [(use_series & (width == v), _series, v) for v in np.unique(width)]
    for mask, method, first in (*parts, (~use_series, _quadrature, None)):
        mask = mask & (w > 0)
        if mask.any():
            values = method(n[mask], p[mask], z[mask], w[mask], eps[mask], first)
            for o, v in zip(out, values, strict=True):
                o[mask] = v
    return tuple(out)


def _series(n, p, z, w, eps=None, first=BLOCK):
    """The series of :func:`_log_q`, summed in blocks of terms (``first`` terms, then
    ``BLOCK`` at a time) for the rows still open, each term from the one before by
    the ratio ``z (p+k-1) / k``; the sums are kept divided by ``e^shift`` (rescaled
    when the terms grow large). ``eps`` is not needed here."""
    rows = n.size
    s, s_n, s_p, s_z = (np.zeros(rows) for _ in range(4))
    shift = np.zeros(rows)
    cur = np.ones(rows)  # (p)_k z^k / k! / e^shift at the last k done
    harm = np.zeros(rows)  # ψ(p + k) - ψ(p) = Σ_{j<k} 1 / (p + j)
    open_ = np.arange(rows)
    first = int(first)
    k0 = 0
    while open_.size and k0 < MAX_TERMS:
        width = first if k0 == 0 else BLOCK
        k = np.arange(k0, k0 + width, dtype=float)[None, :]
        pp, zz = p[open_, None], z[open_, None]
        ratio = (pp + k - 1) / np.maximum(k, 1) * zz
        if k0 == 0:
            ratio[:, 0] = 1.0
        rel = cur[open_, None] * np.cumprod(ratio, axis=1)
        big = rel[:, -1] > 1e100  # keep the sums far from overflow
        if big.any():
            factor = np.where(big, rel[:, -1], 1.0)
            rel /= factor[:, None]
            for acc in (s, s_n, s_p, s_z):
                acc[open_] /= factor
            shift[open_] += np.log(factor)
        step = 1.0 / (pp + k - 1)
        if k0 == 0:
            step[:, 0] = 0.0
        hk = harm[open_, None] + np.cumsum(step, axis=1)
        a = n[open_, None] + k
        ww = w[open_, None]
        e = -np.expm1(-a * ww)
        base = rel / a
        term = base * e
        s[open_] += term.sum(axis=1)
        s_n[open_] += np.sum(base * (ww * (1 - e) - e / a), axis=1)
        s_p[open_] += np.sum(term * hk, axis=1)
        s_z[open_] += np.sum(term * k, axis=1)  # divided by z below
        cur[open_], harm[open_] = rel[:, -1], hk[:, -1]
        # what is left: each later term is at most q times the one before
        kk = k0 + width - 1
        q = np.maximum(z[open_] * (p[open_] + kk) / (kk + 1), z[open_])
        with np.errstate(divide="ignore", invalid="ignore"):
            left = cur[open_] / (n[open_] + kk) * q / (1 - q)
            scale = np.maximum(1.0, (kk + 2) * (2 + harm[open_] + w[open_]) / 1000)
            done = (q < 1) & (left * scale <= TAIL * s[open_])
        open_ = open_[~done]
        k0 += width
    s[open_] = np.nan  # did not converge within MAX_TERMS
    with np.errstate(divide="ignore", invalid="ignore"):
        # d/dz of Σ c_k z^k (...) is Σ k c_k z^(k-1) (...); at z = 0 only k = 1
        q_z = np.where(
            z > 0, s_z / z, p * -np.expm1(-(n + 1) * w) / (n + 1) / np.exp(shift)
        )
        return np.log(s) + shift, s_n / s, s_p / s, q_z / s


_GAUSS = tuple(np.polynomial.legendre.leggauss(m) for m in (16, 24))


def _quadrature(n, p, z, w, eps=None, first=None):
    """The integral of :func:`_log_q` by Gauss–Legendre panels in u, for z > 0.7.

    The integrand is largest at u = 0 and has its nearest singularity at
    u = log z < 0, a distance ~1 - z away; the panel ends are the union of a grid
    uniform in log(1 - z e^(-u)) (steps at most log 2 and 1.5 / p, so every panel
    is at most as wide as its distance from the singularity and p log(1 - z e^(-u))
    moves by at most 1.5 over it) and one uniform in u (steps at most 2 and 3 / N).
    ``1 - z e^(-u)`` is computed as ``eps + z (1 - e^(-u))``, without cancellation
    (``first`` is not used).
    16 and 24 nodes per panel must agree to 1e-12, or the row is NaN."""
    if eps is None:
        eps = 1 - z
    with np.errstate(divide="ignore"):
        g0 = np.log(eps)  # log(1 - z) at u = 0
        g1 = np.log(eps - z * np.expm1(-w))  # at u = W
    dy = np.minimum(math.log(2), 1.5 / p)
    du = np.minimum(2.0, 3.0 / n)
    m1 = np.ceil((g1 - g0) / dy).astype(int) + 1
    m2 = np.ceil(w / du).astype(int) + 1
    total = m1 + m2
    result = [np.full(n.shape, np.nan) for _ in range(4)]
    fine = (total <= MAX_TERMS) & np.isfinite(g0) & (w > 0)
    result[0][w == 0] = -np.inf
    if not fine.any():
        return tuple(result)
    idx = np.flatnonzero(fine)
    row = np.concatenate((np.repeat(idx, m1[idx]), np.repeat(idx, m2[idx])))
    j1 = np.arange(m1[idx].sum()) - np.repeat(np.cumsum(m1[idx]) - m1[idx], m1[idx])
    j2 = np.arange(m2[idx].sum()) - np.repeat(np.cumsum(m2[idx]) - m2[idx], m2[idx])
    y = np.minimum(g0[row[: j1.size]] + j1 * dy[row[: j1.size]], g1[row[: j1.size]])
    r1 = row[: j1.size]  # where log(1 - z e^-u) = y:
    u1 = -np.log1p(-(np.exp(y) - eps[r1]) / z[r1])
    u2 = np.minimum(j2 * du[row[j1.size :]], w[row[j1.size :]])
    edge = np.clip(np.concatenate((u1, u2)), 0.0, w[row])
    order = np.lexsort((edge, row))
    row, edge = row[order], edge[order]
    same = row[1:] == row[:-1]
    lo, hi, owner = edge[:-1][same], edge[1:][same], row[:-1][same]
    keep = hi > lo
    lo, hi, owner = lo[keep], hi[keep], owner[keep]
    mid, half = (hi + lo) / 2, (hi - lo) / 2
    estimates = []
    for nodes, weights in _GAUSS:
        u = (mid[:, None] + half[:, None] * nodes[None, :]).ravel()
        wt = (half[:, None] * weights[None, :]).ravel()
        who = np.repeat(owner, nodes.size)
        nn, pp, zz = n[who], p[who], z[who]
        g = eps[who] - zz * np.expm1(-u)
        log1 = np.log(g)
        f = wt * np.exp(-nn * u - pp * (log1 - g0[who]))  # scaled by f(0)
        sums = [
            np.bincount(who, weights=v, minlength=n.size)
            for v in (f, -u * f, -log1 * f, pp * np.exp(-u) / g * f)
        ]
        estimates.append(sums)
    (s, s_n, s_p, s_z), (c, c_n, c_p, c_z) = estimates[1], estimates[0]
    agree = np.ones(n.size, bool)
    for a, b in ((s, c), (s_n, c_n), (s_p, c_p), (s_z, c_z)):
        agree &= np.abs(a - b) <= 1e-12 * np.abs(a) + 1e-300
    ok = fine & agree & (s > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = (np.log(s) - p * g0, s_n / s, s_p / s, s_z / s)
    for o, v in zip(result, values, strict=True):
        o[ok] = v[ok]
    return tuple(result)


# ---------------------------------------------------------------- the likelihood


@dataclass(frozen=True)
class _Data:
    """Distinct (x, t_x, T) rows with their numbers of customers."""

    scale: float  # mean T, for the starting points
    total: float
    x: np.ndarray
    tx: np.ndarray
    t: np.ndarray
    w: np.ndarray

    @classmethod
    def of(cls, x, tx, t_obs, weights=None) -> _Data:
        w = weights_array(weights, x.size)
        rows, w = _unique(np.column_stack((x, tx, t_obs)), w)
        total = float(np.sum(w))
        return cls(
            float(np.sum(w * rows[:, 2]) / total),
            total,
            rows[:, 0],
            rows[:, 1],
            rows[:, 2],
            w,
        )


def _terms(params, x, tx, t_obs, grad: bool = True):
    """log of the two terms of the likelihood without Γ(r+x) / Γ(r), and their
    gradients in (r, α, s, β).

    ``L = Γ(r+x) / Γ(r) · (A + J)`` with the customer alive at T,
    ``A = α^r β^s (α+T)^-(r+x) (β+T)^-s``, and dead at some τ in (t_x, T],
    ``J = s α^r β^s ∫_{t_x}^T (α+τ)^-(r+x) (β+τ)^-(s+1) dτ`` (FHL 2005, note 009,
    section 3; their A0 term). With m = max(α, β), the substitution
    ``(m+τ) = (m+t_x) e^u`` gives ``J = s α^r β^s (m+t_x)^-(r+s+x) Q(r+s+x, p, z, W)``
    with z = |α-β| / (m+t_x), W = log((m+T) / (m+t_x)) and p = s+1 if α >= β, else
    r+x (see :func:`_log_q`)."""
    r, alpha, s, beta = params
    big = alpha >= beta
    m = alpha if big else beta
    n = r + s + x
    p = np.full(x.shape, s + 1.0) if big else r + x
    z = abs(alpha - beta) / (m + tx)
    eps = (min(alpha, beta) + tx) / (m + tx)  # 1 - z
    w = np.log1p((t_obs - tx) / (m + tx))
    log_a = (
        -r * np.log1p(t_obs / alpha)
        - s * np.log1p(t_obs / beta)
        - x * np.log(alpha + t_obs)
    )
    log_q, q_n, q_p, q_z = _log_q(n, p, z, w, eps)
    lmt = np.log(m + tx)
    log_j = (
        math.log(s)
        - r * (lmt - math.log(alpha))
        - s * (lmt - math.log(beta))
        - x * lmt
        + log_q
    )
    if not grad:
        return log_a, log_j, None, None
    ga = np.stack(
        (
            -np.log1p(t_obs / alpha),
            r / alpha - (r + x) / (alpha + t_obs),
            -np.log1p(t_obs / beta),
            s / beta - s / (beta + t_obs),
        )
    )
    with np.errstate(all="ignore"):
        q_w = np.exp(-n * w - p * np.log(eps - z * np.expm1(-w)) - log_q)  # Q_W / Q
        dw_dm = 1 / (m + t_obs) - 1 / (m + tx)
        g_r = math.log(alpha) - lmt + q_n + (0.0 if big else q_p)
        g_s = 1 / s + math.log(beta) - lmt + q_n + (q_p if big else 0.0)
        if big:  # m = alpha, z = (alpha - beta) / (alpha + t_x)
            g_alpha = (
                r / alpha
                - n / (alpha + tx)
                + q_z * (beta + tx) / (alpha + tx) ** 2
                + q_w * dw_dm
            )
            g_beta = s / beta - q_z / (alpha + tx)
        else:  # m = beta, z = (beta - alpha) / (beta + t_x)
            g_alpha = r / alpha - q_z / (beta + tx)
            g_beta = (
                s / beta
                - n / (beta + tx)
                + q_z * (alpha + tx) / (beta + tx) ** 2
                + q_w * dw_dm
            )
        gj = np.stack((g_r, g_alpha, g_s, g_beta))
    gj = np.where(np.isfinite(log_j), gj, 0.0)  # J = 0 when t_x = T
    return log_a, log_j, ga, gj


def _nll_grad(theta: np.ndarray, d: _Data) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood per customer and its gradient in
    (log r, log α, log s, log β): ``log L = log Γ(r+x) - log Γ(r) + log(A + J)``
    (:func:`_terms`), the sum taken in log space; the gradient of ``log(A + J)`` is
    the mean of the two terms' gradients weighted by their shares, and
    ``d log Γ(z) = ψ(z)`` (A&S 6.3.1)."""
    params = tuple(float(v) for v in np.exp(theta))
    r = params[0]
    log_a, log_j, ga, gj = _terms(params, d.x, d.tx, d.t)
    ll = special.gammaln(r + d.x) - special.gammaln(r) + np.logaddexp(log_a, log_j)
    share = special.expit(log_a - log_j)
    g = share * ga + (1 - share) * gj
    g[0] += special.digamma(r + d.x) - special.digamma(r)
    grad = (g @ d.w) * np.asarray(params)
    return float(-np.sum(d.w * ll) / d.total), -grad / d.total


# ---------------------------------------------------------------- the model


def _log1p_ratio(a: float, u) -> np.ndarray:
    """``(1 - (1 + u)^-a) / a``, with its limit ``log(1 + u)`` at a = 0, computed as
    ``L · exprel(-a L)``, L = log1p(u) (no cancellation near a = 0)."""
    big_l = np.log1p(u)
    return big_l * special.exprel(-a * big_l)


@dataclass
class ParetoNBD(BTYDModel):
    """The Pareto/NBD model of Schmittlein, Morrison & Colombo (1987).

    While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); it
    stays alive for an exponential time with rate μ ~ Gamma(s, β), λ and μ
    independent. Unlike the BG/NBD, a customer can drop out at any time, not only
    just after a purchase.

    Fitted by maximum likelihood (FHL 2005, note 009, section 3) in log-parameters
    with analytic gradients: L-BFGS-B from several starts, then Newton steps until
    the optimum is reached to about 1e-10 relative in every parameter. The Gaussian
    hypergeometric terms of the likelihood are evaluated as one integral whose
    series has only positive terms, with its derivatives (see ``_log_q``), or by
    quadrature where the series converges slowly; identical records are counted once
    with a weight. Standard errors and intervals come from the observed information.

    Attributes (after :meth:`fit`)
    ------------------------------
    params_ : dict
        ``r``, ``alpha``, ``s``, ``beta`` (``alpha`` and ``beta`` in the time unit of
        recency and T). May be set by hand (positive finite numbers).
    {FIT_ATTRIBUTES}

    References
    ----------
    D. C. Schmittlein, D. G. Morrison and R. Colombo (1987), "Counting your
    customers: who are they and what will they do next?", *Management Science*
    33(1):1–24 (the model). P. S. Fader and B. G. S. Hardie (2005), "A note on
    deriving the Pareto/NBD model and related expressions", brucehardie.com note 009:
    the likelihood (section 3, eq. 18 with its A0 term eqs. 19–20), E[X(t)]
    (section 4, eq. 27), P(alive) (section 5.1, eqs. 36–37) and the conditional
    expectation (section 6, eq. 41). P. S. Fader and B. G. S. Hardie (2006),
    "Deriving an expression for P(X(t) = x) under the Pareto/NBD model",
    brucehardie.com note 012 (section 4). P. S. Fader, B. G. S. Hardie and K. L. Lee
    (2005), "RFM and CLV: using iso-value curves for customer base analysis",
    *Journal of Marketing Research* 42(4):415–430: DERT with continuous discounting
    and the confluent hypergeometric function of the second kind. M. Abramowitz and
    I. A. Stegun (1964), *Handbook of Mathematical Functions*, National Bureau of
    Standards: 6.3.1 (digamma), 13.2.5 (Tricomi's U as an integral), 15.1.1 (the
    hypergeometric series), 15.3.1 (Euler's integral) and 15.3.3 (Euler's
    transformation).

    Examples
    --------
    The CDNOW calibration sample (2,357 customers, weeks; the published summary,
    whose times are rounded to 0.01 week, gives r = 0.5533, alpha = 10.5776,
    s = 0.6062, beta = 11.6679 and -9594.9739):

    >>> from crmkit.datasets import load_cdnow
    >>> from crmkit.segmentation import customer_summary
    >>> c = customer_summary(load_cdnow(sample=True), as_of="1997-09-30",
    ...                      time_unit="W")
    >>> m = ParetoNBD().fit(c["frequency"], c["recency"], c["T"])
    >>> {k: round(v, 4) for k, v in m.params_.items()}
    {'r': 0.5533, 'alpha': 10.5777, 's': 0.6062, 'beta': 11.6687}
    >>> round(m.log_likelihood_, 3)
    -9594.976
    >>> m.summary().round(3)  # doctest: +NORMALIZE_WHITESPACE
               estimate  std_error  lower   upper
    parameter
    r             0.553      0.048  0.467   0.655
    alpha        10.578      0.843  9.048  12.365
    s             0.606      0.187  0.331   1.111
    beta         11.669      6.211  4.111  33.121
    """

    NAMES: ClassVar[tuple[str, ...]] = NAMES
    _LABEL: ClassVar[str] = "Pareto/NBD"
    _ZERO_RATE = (
        "s",
        "the mean lifetime 1/μ is finite only for s > 1",
        "0.0027 per week (15 % a year)",
    )

    # ------------------------------------------------------------------ fitting

    def _data(self, x, tx, t_obs, w) -> _Data:
        return _Data.of(x, tx, t_obs, w)

    def _fit(self, d: _Data) -> ParetoNBD:
        starts = [(r, a * d.scale, s, b * d.scale) for r, a, s, b in STARTS]
        return self._maximise(_nll_grad, d, starts)

    def _log_likelihood(self, params, d: _Data) -> float:
        """FHL (2005), note 009, section 3."""
        nll, _ = _nll_grad(np.log(params), d)
        if not math.isfinite(nll):
            raise _inaccurate(params)
        return -nll * d.total

    # ------------------------------------------------------------------ predictions

    def _alive(self, frequency, recency, T):
        """The parameters, the checked data and P(alive) (:func:`_alive_at`)."""
        params = self._p()
        x, tx, t_obs = btyd_data(frequency, recency, T)
        return params, x, t_obs, _alive_at(params, x, tx, t_obs)

    def prob_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """P(the customer is still alive at T | x, t_x, T) (FHL 2005, note 009,
        section 5): the alive term of the likelihood over the whole.

        Examples
        --------
        >>> m = ParetoNBD(params_={"r": 0.5534, "alpha": 10.5802, "s": 0.6061,
        ...                        "beta": 11.6562})
        >>> m.prob_alive([2, 2, 0], [30.43, 5.0, 0.0], [38.86] * 3).round(6).tolist()
        [0.869111, 0.130029, 0.294961]
        """
        return self._alive(frequency, recency, T)[3]

    def expected_purchases(
        self, t: float, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: purchases expected in (T, T + t] (FHL 2005, note
        009, section 6):
        ``P(alive) (r+x)(β+T) / ((α+T)(s-1)) (1 - ((β+T) / (β+T+t))^(s-1))``, with
        its limit at s = 1 taken smoothly.

        Examples
        --------
        >>> m = ParetoNBD(params_={"r": 0.5534, "alpha": 10.5802, "s": 0.6061,
        ...                        "beta": 11.6562})
        >>> m.expected_purchases(39, [2, 0], [30.43, 0.0], [38.86, 38.86]).round(6)
        array([1.455093, 0.107029])
        """
        t = horizon("t", t)
        (r, alpha, s, beta), x, t_obs, alive = self._alive(frequency, recency, T)
        rate = (r + x) / (alpha + t_obs) * (beta + t_obs)
        return alive * rate * _log1p_ratio(s - 1, t / (beta + t_obs))

    def expected_purchases_new(self, t: ArrayLike) -> np.ndarray | float:
        """E[X(t)]: purchases expected in ``t`` by a customer just acquired (FHL
        2005, note 009, section 4): ``r β / (α (s-1)) (1 - (β / (β+t))^(s-1))``.

        Examples
        --------
        >>> m = ParetoNBD(params_={"r": 0.5534, "alpha": 10.5802, "s": 0.6061,
        ...                        "beta": 11.6562})
        >>> round(m.expected_purchases_new(39.0), 6)
        1.213118
        """
        r, alpha, s, beta = self._p()
        t = horizons("t", t)
        out = r / alpha * beta * _log1p_ratio(s - 1, np.asarray(t) / beta)
        return float(out) if np.ndim(t) == 0 else out

    def prob_purchases(self, n: ArrayLike, t: float) -> np.ndarray | float:
        """P(X(t) = n): probability that a customer just acquired makes exactly n
        repeat purchases in ``t`` (Fader & Hardie 2006, note 012, section 4).

        Alive through t, the count is negative binomial:
        ``Γ(r+n) / (Γ(r) n!) (α/(α+t))^r (t/(α+t))^n (β/(β+t))^s``. Dead at some
        τ < t, it contributes ``E[μ λ^n / (λ+μ)^(n+1) P(Gamma(n+1, λ+μ) <= t)]``,
        which is ``H(0, 0) - Σ_{j=0}^{n} t^j / j! H(j, t)`` with
        ``H(j, t) = s α^r β^s Γ(r+n) Γ(r+s+j) / (Γ(r) Γ(r+s+n+1)) (m+t)^-(r+s+j)
        2F1(p, r+s+j; r+s+n+1; |α-β| / (m+t))``, m = max(α, β), p = s+1 if α >= β
        else r+n. Each 2F1 is scipy's, checked against Euler's transformation
        (A&S 15.3.3); where they disagree the value is refused.

        Parameters
        ----------
        n : int or array-like
            Numbers of purchases (whole numbers >= 0).
        t : float
            Length of the period (>= 0), in the time unit of the fit.

        Examples
        --------
        >>> m = ParetoNBD(params_={"r": 0.5534, "alpha": 10.5802, "s": 0.6061,
        ...                        "beta": 11.6562})
        >>> p = m.prob_purchases(range(4), 39.0)
        >>> p.round(6).tolist()
        [0.593576, 0.165584, 0.082498, 0.049046]
        """
        params = self._p()
        k = counts("n", n)
        t = horizon("t", t)
        kk = np.atleast_1d(np.asarray(k, dtype=float))
        check_work(
            "purchase counts × terms",
            float(np.sum(kk + 2)),
            limit=MAX_CELLS,
            fix="ask for fewer or smaller purchase counts",
        )
        out = np.array([_prob_purchases(params, float(v), t) for v in kk])
        return float(out[0]) if np.ndim(k) == 0 else out

    def _dert(self, params, d, x, tx, t_obs) -> np.ndarray:
        """DERT (:meth:`~crmkit.clv._btyd.BTYDModel.dert`) at the rate ``d`` in
        closed form (Fader, Hardie & Lee 2005, JMR):
        ``P(alive) (r+x) / (α+T) · (β+T)^s δ^(s-1) U(s, s; δ(β+T))``, δ = ln(1 + d),
        U the confluent hypergeometric function of the second kind (scipy's
        ``hyperu``; it is ``E[1 / (δ + μ)]`` for μ ~ Gamma(s, β+T), A&S 13.2.5). At
        d = 0 (only when s > 1) it is ``P(alive) (r+x)(β+T) / ((α+T)(s-1))``."""
        r, alpha, s, beta = params
        rate = _alive_at(params, x, tx, t_obs) * (r + x) / (alpha + t_obs)
        if d == 0:
            return rate * (beta + t_obs) / (s - 1)
        delta = math.log1p(d)
        zz = delta * (beta + t_obs)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            log_u = np.log(special.hyperu(s, s, zz))
            mean_inv = np.exp(s * np.log(zz) + log_u) / delta
        if not np.all(np.isfinite(mean_inv) & (mean_inv > 0)):
            raise ParameterError(
                f"DERT cannot be computed for discount_rate = {d:g} with these "
                "parameters (the time unit may be wrong); pass a rate per time unit "
                "of the fit, such as 0.0027 per week for 15 % a year."
            )
        return rate * mean_inv


def _alive_at(params, x, tx, t_obs) -> np.ndarray:
    """P(alive) = A / (A + J) (FHL 2005, note 009, section 5) of checked data."""
    log_a, log_j, _, _ = _terms(params, x, tx, t_obs, grad=False)
    alive = special.expit(log_a - log_j)
    if not np.all(np.isfinite(alive)):
        raise _inaccurate(params)
    return alive


def _inaccurate(params) -> ParameterError:
    shown = ", ".join(f"{n} = {v:g}" for n, v in zip(NAMES, params, strict=True))
    return ParameterError(
        f"the Pareto/NBD likelihood cannot be computed accurately at {shown}; "
        "check the parameters and the time unit (these values are far outside any "
        "fitted model)."
    )


def _hyp2f1_checked(a: float, b: np.ndarray, c: float, z: float) -> np.ndarray:
    """scipy's 2F1 for 0 <= z < 1, accepted only when Euler's transformation
    ``(1-z)^(c-a-b) 2F1(c-a, c-b; c; z)`` (A&S 15.3.3) gives the same to 1e-10."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        direct = special.hyp2f1(a, b, c, z)
        euler = np.exp((c - a - b) * np.log1p(-z)) * special.hyp2f1(c - a, c - b, c, z)
    if not np.all(np.isfinite(direct) & (np.abs(direct - euler) <= 1e-10 * direct)):
        raise ParameterError(
            f"P(X(t) = n) cannot be computed accurately here (2F1({a:g}, b; {c:g}; "
            f"{z:g}) is out of reach of scipy's hyp2f1); ask for a smaller n or t."
        )
    return direct


def _prob_purchases(params, n: float, t: float) -> float:
    """P(X(t) = n) for one n (see :meth:`ParetoNBD.prob_purchases`)."""
    r, alpha, s, beta = params
    if t == 0:
        return 1.0 if n == 0 else 0.0
    lg = special.gammaln
    alive = (
        lg(r + n)
        - lg(r)
        - lg(n + 1)
        - r * math.log1p(t / alpha)
        + n * math.log(t / (alpha + t))
        - s * math.log1p(t / beta)
    )
    big = alpha >= beta
    m = alpha if big else beta
    p = s + 1 if big else r + n
    const = (
        math.log(s)
        + r * math.log(alpha)
        + s * math.log(beta)
        + lg(r + n)
        - lg(r)
        - lg(r + s + n + 1)
    )

    def log_h(j: np.ndarray, tt: float) -> np.ndarray:
        f = _hyp2f1_checked(p, r + s + j, r + s + n + 1, abs(alpha - beta) / (m + tt))
        return const + lg(r + s + j) - (r + s + j) * math.log(m + tt) + np.log(f)

    first = float(log_h(np.zeros(1), 0.0)[0])
    j = np.arange(int(n) + 1, dtype=float)
    rest = j * math.log(t) - lg(j + 1) + log_h(j, t)
    # H(0, 0) - Σ: a difference of positive numbers, >= 0 in exact arithmetic
    dead = math.exp(first) * -math.expm1(special.logsumexp(rest) - first)
    return math.exp(alive) + max(dead, 0.0)


# ---------------------------------------------------------------- the generator


@generator_doc
def make_pareto_nbd_summary(
    n_customers: int,
    seed: int | np.random.Generator | None,
    *,
    r: float = 0.5534,
    alpha: float = 10.5802,
    s: float = 0.6061,
    beta: float = 11.6562,
    T: ArrayLike = 39.0,
    truth: bool = False,
) -> pd.DataFrame:
    """Customers whose purchases follow the Pareto/NBD model exactly, summarised.

    Each customer draws λ ~ Gamma(r, α) and μ ~ Gamma(s, β) and a lifetime
    ω ~ Exponential(μ); while alive (for min(ω, T)) it buys as a Poisson process
    with rate λ. The summary is the number of repeat purchases x, the time of the
    last (the largest of x uniform times, 0 if none) and T. The defaults are the
    published CDNOW estimates (weeks), so a fit on the output should recover them up
    to sampling error.

    Parameters
    ----------
    {GENERATOR_ARGS}
    r, alpha, s, beta : float
        Pareto/NBD parameters (positive; ``alpha`` and ``beta`` in the unit of T).
    T : float or array-like
        Length of observation after the first purchase, one value for everyone or
        one per customer (> 0).
    truth : bool
        Also return each customer's λ, μ and ω (columns ``purchase_rate``,
        ``dropout_rate``, ``lifetime``).

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``frequency``, ``recency``, ``T`` (the layout of
        :meth:`ParetoNBD.fit`).

    References
    ----------
    D. C. Schmittlein, D. G. Morrison and R. Colombo (1987), "Counting your
    customers: who are they and what will they do next?", *Management Science*
    33(1):1–24 (the model's assumptions, section 2).

    Examples
    --------
    >>> c = make_pareto_nbd_summary(1000, seed=1)
    >>> list(c.columns), bool((c["recency"] <= c["T"]).all())
    (['customer_id', 'frequency', 'recency', 'T'], True)
    """
    n, (r, alpha, s, beta) = generator_args(
        n_customers, r=r, alpha=alpha, s=s, beta=beta
    )
    t_obs = observation_lengths(T, n)
    rng = check_rng(seed)
    check_purchases(n, r, alpha, float(t_obs.max()))
    lam = rng.gamma(r, 1.0 / alpha, n)
    mu = rng.gamma(s, 1.0 / beta, n)
    with np.errstate(divide="ignore"):
        life = rng.exponential(1.0, n) / mu  # mu may underflow to 0: never dies
    active = np.minimum(life, t_obs)
    x = rng.poisson(lam * active)
    u = rng.uniform(size=n)
    with np.errstate(divide="ignore"):
        recency = np.where(x > 0, active * u ** (1.0 / np.maximum(x, 1)), 0.0)
    out = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1),
            "frequency": x.astype("int64"),
            "recency": recency,
            "T": t_obs,
        }
    )
    if truth:
        out = out.assign(purchase_rate=lam, dropout_rate=mu, lifetime=life)
    return out
