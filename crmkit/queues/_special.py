"""Numerically exact building blocks: the Poisson pmf at real arguments and Erlang B.

Why hand-written: scipy evaluates ``log(e^{-y} y^z / Γ(z+1))`` as
``xlogy(z, y) - y - gammaln(z + 1)``, which loses relative accuracy through cancellation
when ``z`` and ``y`` are large (about 1e-8 at a few hundred thousand), and it offers no
real-argument version. Loader's saddle-point form below keeps full double precision at
any size. Erlang B then needs only that pmf and scipy's regularised incomplete gamma
function.

References
----------
.. [1] C. Loader (2000), "Fast and accurate computation of binomial probabilities",
   technical note (the algorithm behind R's ``dpois`` and ``dbinom``).
.. [2] D. L. Jagerman (1974), "Some properties of the Erlang loss function", Bell System
   Technical Journal 53(3):525–551 (Erlang B as a ratio of Poisson terms and its
   continuation in the number of servers).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

__all__ = [
    "log_erlang_b",
    "log_poisson_pmf",
    "log_poisson_pmf_scalar",
    "log_power_over_factorial",
    "stirlerr",
]

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


def stirlerr(z: ArrayLike) -> NDArray[np.float64]:
    """Return ``log Γ(z+1) - (z + 1/2) log z + z - log √(2π)`` for real ``z >= 1``.

    For ``z > 15`` the asymptotic series (Loader 2000) is used; below, the direct
    formula is accurate because every term is small.

    Examples
    --------
    >>> float(stirlerr(100.0))   # about 1 / (12 z)
    0.0008333305556...
    """
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    small = z <= 15.0
    zs = z[small]
    out[small] = (
        special.gammaln(zs + 1.0) - (zs + 0.5) * np.log(zs) + zs - _LOG_SQRT_2PI
    )
    zl = z[~small]
    with np.errstate(over="ignore"):  # z² = inf above 1e154: the series is 1/(12z)
        zz = zl * zl
    s0, s1, s2, s3, s4 = 1 / 12, 1 / 360, 1 / 1260, 1 / 1680, 1 / 1188
    out[~small] = (s0 - (s1 - (s2 - (s3 - s4 / zz) / zz) / zz) / zz) / zl
    return out


def _bd0(x: NDArray[np.float64], m: NDArray[np.float64]) -> NDArray[np.float64]:
    """``x log(x/m) + m - x`` without cancellation (Loader 2000)."""
    out = np.empty_like(x)
    near = np.abs(x - m) < 0.1 * (x + m)
    xn, mn = x[near], m[near]
    v = (xn - mn) / (xn + mn)
    s = (xn - mn) * v
    ej = 2.0 * xn * v
    v2 = v * v
    for j in range(1, 40):
        ej = ej * v2
        term = ej / (2 * j + 1)
        s = s + term
        if np.all(np.abs(term) <= 1e-18 * np.abs(s)):
            break
    out[near] = s
    xf, mf = x[~near], m[~near]
    out[~near] = special.xlogy(xf, xf / mf) + mf - xf
    return out


def log_poisson_pmf(z: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
    """Return ``log(e^{-y} y^z / Γ(z + 1))`` for real ``z >= 0`` and ``y > 0``.

    This is the Poisson pmf continued to real ``z`` (equal to the Gamma(z+1, 1) density
    at ``y``), computed with a relative error of a few ulps at any size.

    Examples
    --------
    >>> import math
    >>> round(math.exp(float(log_poisson_pmf(3, 2.0))), 12)   # 2^3 e^-2 / 3!
    0.180447044315
    """
    z, y = np.broadcast_arrays(np.asarray(z, dtype=float), np.asarray(y, dtype=float))
    z = z.astype(float, copy=True)
    y = y.astype(float, copy=True)
    out = np.empty(z.shape)
    small = z < 1.0
    zs, ys = z[small], y[small]
    out[small] = special.xlogy(zs, ys) - ys - special.gammaln(zs + 1.0)
    zl, yl = z[~small], y[~small]
    out[~small] = -stirlerr(zl) - _bd0(zl, yl) - _LOG_SQRT_2PI - 0.5 * np.log(zl)
    return out


def log_poisson_pmf_scalar(z: float, y: float) -> float:
    """Scalar fast path of :func:`log_poisson_pmf` (the same formulas with ``math``).

    Examples
    --------
    >>> a = log_poisson_pmf_scalar(3.0, 2.0)
    >>> bool(abs(a - float(log_poisson_pmf(3, 2.0))) < 1e-15)
    True
    """
    if z < 1.0:
        return (z * math.log(y) if z > 0 else 0.0) - y - math.lgamma(z + 1.0)
    if z <= 15.0:
        st = math.lgamma(z + 1.0) - (z + 0.5) * math.log(z) + z - _LOG_SQRT_2PI
    else:
        zz = z * z
        st = (
            1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / zz) / zz) / zz) / zz
        ) / z
    if abs(z - y) < 0.1 * (z + y):
        v = (z - y) / (z + y)
        s = (z - y) * v
        ej = 2.0 * z * v
        v2 = v * v
        for j in range(1, 40):
            ej *= v2
            term = ej / (2 * j + 1)
            s += term
            if abs(term) <= 1e-18 * abs(s):
                break
        bd0 = s
    else:
        bd0 = z * math.log(z / y) + y - z
    return -st - bd0 - _LOG_SQRT_2PI - 0.5 * math.log(z)


def log_power_over_factorial(n: float, y: float) -> float:
    """Return ``log(y^n / n!)`` for real ``n >= 0`` and ``y > 0``, accurate at any size.

    Near ``y ≈ n`` it is ``log_poisson_pmf(n, y) + y`` (Loader's form); when ``y`` is
    far above ``n`` that sum would cancel (``-y + y`` loses everything below the ulp of
    ``y``), so ``n log y - log Γ(n + 1)`` is used, which has no cancellation there.

    Examples
    --------
    >>> round(log_power_over_factorial(3, 2.0), 12) == round(math.log(8 / 6), 12)
    True
    >>> log_power_over_factorial(1.0, 1e20) == math.log(1e20)
    True
    """
    if y <= 2.0 * max(n, 1.0):
        return float(log_poisson_pmf_scalar(n, y) + y)
    return n * math.log(y) - math.lgamma(n + 1.0)


def _log_erlang_b_series(c: float, a: float) -> float:
    """log B when ``a`` is well above ``c``: 1/B = Σ_j Π_{i<j} (c-i)/a, terms
    shrinking.

    Only the terms that matter are summed: after term ``m`` every factor is below
    ``c/a < 1``, so the rest is at most ``t_m / (1 - c/a)``; the window grows fourfold
    until that bound is below 1e-17 of the sum (at most a few times ``√c`` terms
    instead of ``c + 1``).
    """
    n = int(c) + 1  # terms j = 0..c
    log_rest_factor = -math.log1p(-c / a)  # log 1/(1 - c/a)
    m = min(n, 256)
    while True:
        i = np.arange(0, m - 1, dtype=float)
        # log of each factor (c - i)/a, i = 0..m-2: log1p for accuracy near 1, log
        # where the factor is small (there log1p(-1 + tiny) would round to -inf)
        ratio = (c - i) / a
        logf = np.where(
            ratio < 0.5, np.log(ratio), np.log1p(np.maximum((c - i - a) / a, -0.5))
        )
        logt = np.concatenate(([0.0], np.cumsum(logf)))
        if m == n or logt[-1] + log_rest_factor < -40.0:
            return -float(special.logsumexp(logt))
        m = min(n, 4 * m)


def log_erlang_b(servers: int, offered_load: float) -> float:
    """Return ``log B(servers, offered_load)``, the log of the Erlang loss probability.

    ``B = pmf(c; a) / P(X <= c)`` for ``X ~ Poisson(a)``; the pmf comes from
    :func:`log_poisson_pmf` and ``P(X <= c)`` from scipy's ``gammaincc(c + 1, a)``. When
    the load is far above the number of servers (where ``P(X <= c)`` underflows) the
    terms of ``1/B = Σ_j c!/((c-j)! a^j)`` shrink geometrically and are summed directly
    (only as many as matter, so even ``servers = 10**8`` costs little).

    Examples
    --------
    >>> import math
    >>> round(math.exp(log_erlang_b(2, 1.0)), 15)   # (1/2) / (1 + 1 + 1/2)
    0.2
    """
    c = float(servers)
    a = float(offered_load)
    if c == 0:
        return 0.0
    if a > c + 40.0 * np.sqrt(c) + 40.0:
        return _log_erlang_b_series(c, a)
    tail = float(special.gammaincc(c + 1.0, a))
    if tail < 1e-280 and a > c:  # P(X <= c) near underflow: the series converges
        return _log_erlang_b_series(c, a)
    return log_poisson_pmf_scalar(c, a) - math.log(tail)
