"""Erlang B and C of servers and offered load, and the inverse of Erlang B."""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize

from crmkit._validate import check_count, check_nonnegative, check_real, show
from crmkit.errors import TargetError, UnstableQueueError
from crmkit.queues._base import MAX_SERVERS
from crmkit.queues._special import log_erlang_b

__all__ = ["erlang_b", "erlang_c", "log_erlang_c", "max_offered_load"]


def erlang_b(servers: int, offered_load: float) -> float:
    """Erlang's loss formula: P(an arrival finds all ``servers`` busy and is lost).

    Parameters
    ----------
    servers : int
        Number of servers (lines, agents), 0 to 10**8.
    offered_load : float
        Offered load ``a = λ/μ`` in Erlangs, >= 0 and finite.

    Returns
    -------
    float
        ``B(c, a) = (a^c / c!) / Σ_{k=0}^{c} a^k / k!``, exact in double precision for
        any size (computed in logs; never as ``a**c / factorial(c)``).

    References
    ----------
    A. K. Erlang (1917), "Solution of some problems in the theory of probabilities of
    significance in automatic telephone exchanges", *Elektroteknikeren* 13.

    Examples
    --------
    >>> round(erlang_b(15, 8.108), 6)    # Westbay calculator manual: 15 lines, 1 %
    0.01
    >>> erlang_b(100_000, 95_000.0)      # tiny but not zero
    8.58713132951...e-60
    """
    c = check_count("servers", servers, minimum=0, maximum=MAX_SERVERS)
    a = check_nonnegative("offered_load", offered_load)
    if a == 0.0:
        return 1.0 if c == 0 else 0.0
    return math.exp(log_erlang_b(c, a))


def log_erlang_c(servers: int, offered_load: float) -> float:
    """``log C(c, a)``; the caller guarantees ``0 < a < c``."""
    lb = log_erlang_b(servers, offered_load)
    rho = offered_load / servers
    return lb - math.log((1.0 - rho) + rho * math.exp(lb))


def erlang_c(servers: int, offered_load: float) -> float:
    """Erlang's delay formula: P(an arrival must wait) in M/M/c.

    ``C(c, a) = B / (1 - ρ(1 - B))`` with ``ρ = a/c`` and ``B`` the Erlang B value;
    ``servers`` is 1 to 10**8.

    Raises
    ------
    UnstableQueueError
        If ``offered_load >= servers`` (the queue would grow without bound).

    References
    ----------
    A. K. Erlang (1917), "Solution of some problems in the theory of probabilities of
    significance in automatic telephone exchanges", *Elektroteknikeren* 13; the
    identity with Erlang B is in e.g. D. Gross,
    J. F. Shortle, J. M. Thompson and C. M. Harris (2008), *Fundamentals of Queueing
    Theory*, 4th ed., Wiley, §2.3.

    Examples
    --------
    >>> round(erlang_c(14, 100 * 180 / 1800), 7)   # 100 calls/30 min, 3-min calls
    0.1741319
    """
    c = check_count("servers", servers, minimum=1, maximum=MAX_SERVERS)
    a = check_nonnegative("offered_load", offered_load)
    if a == 0.0:
        return 0.0
    if a >= c:
        need = (
            f"At least {math.floor(a) + 1:,}" if a < 2.0**53 else f"More than {a:.3g}"
        )
        raise UnstableQueueError(
            f"offered_load = {a:g} ≥ servers = {c}: ρ = {a / c:.4g} ≥ 1, the queue is "
            f"unstable. {need} servers are needed; pass servers above "
            "offered_load, or a smaller offered_load."
        )
    return math.exp(log_erlang_c(c, a))


def max_offered_load(
    servers: int,
    target_blocking: float | None = None,
    *,
    target_prob_wait: float | None = None,
) -> float:
    """The largest offered load (Erlangs) that ``servers`` carry within a target.

    Give exactly one target: ``target_blocking`` (Erlang B, a loss system) or
    ``target_prob_wait`` (Erlang C, P(wait) in M/M/c), each in [1e-100, 1). Both
    probabilities increase strictly with the load, so the answer is the unique root,
    found by Brent's method to full double precision. ``servers`` is 1 to 10**8.

    Examples
    --------
    >>> round(max_offered_load(15, 0.01), 3)                 # Westbay manual: 8.108
    8.108
    >>> round(max_offered_load(30, target_prob_wait=0.15), 2)
    23.64
    """
    c = check_count("servers", servers, minimum=1, maximum=MAX_SERVERS)
    if (target_blocking is None) == (target_prob_wait is None):
        raise TargetError(
            "give exactly one of target_blocking or target_prob_wait (got "
            f"target_blocking = {show(target_blocking)}, target_prob_wait = "
            f"{show(target_prob_wait)}); pass e.g. max_offered_load(15, 0.01) or "
            "max_offered_load(30, target_prob_wait=0.2)."
        )
    if target_blocking is not None:
        p = _check_target("target_blocking", target_blocking)

        def f(a: float) -> float:
            return log_erlang_b(c, a) - math.log(p)

        hi = float(c)
        for _ in range(2000):  # B(c, a) -> 1 as a grows: a doubling ends it
            if f(hi) >= 0:
                break
            hi *= 2.0
    else:
        p = _check_target("target_prob_wait", target_prob_wait)

        def f(a: float) -> float:
            return log_erlang_c(c, a) - math.log(p)

        hi = c * (1.0 - 1e-12)
        if f(hi) < 0:
            raise TargetError(
                f"target_prob_wait = {p!r} is so close to 1 that the load would lie "
                f"within 1e-12 of servers = {c}; pass a smaller target_prob_wait."
            )
    lo = min(1e-9, hi / 2)
    while f(lo) > 0:  # B and C are at most a: ends once lo < p (>= 1e-100)
        lo /= 16.0
    return float(
        optimize.brentq(
            f, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500
        )
    )


def _check_target(name: str, value: object) -> float:
    return check_real(name, value, low=1e-100, high=1.0, high_open=True)
