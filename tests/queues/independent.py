"""Independent reference methods for the queue tests (no crmkit code is used here).

- ``birth_death``: solve the balance equations πQ = 0 of a (truncated) birth–death chain
  with numpy linear algebra.
- ``erlang_b_mp``: Erlang B by its recursion in 50-digit mpmath arithmetic.
- ``tagged_erlang_a``: the Erlang A waiting-time distribution from the tagged customer's
  own Markov chain, with a matrix exponential.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
from scipy import linalg, stats


def birth_death(birth: np.ndarray, death: np.ndarray) -> np.ndarray:
    """Stationary distribution of a finite birth–death chain on 0..N.

    ``birth[n]`` is the rate n → n+1 (n < N), ``death[n]`` the rate n → n-1 (n ≥ 1).
    Solves πQ = 0 with the last balance equation replaced by Σπ = 1, by LU
    factorisation (``numpy.linalg.solve``) of the full generator.
    """
    n_states = len(death)
    q = np.zeros((n_states, n_states))
    for n in range(n_states - 1):
        q[n, n + 1] = birth[n]
    for n in range(1, n_states):
        q[n, n - 1] = death[n]
    np.fill_diagonal(q, -q.sum(axis=1))
    a = q.T.copy()
    a[-1, :] = 1.0
    b = np.zeros(n_states)
    b[-1] = 1.0
    pi = np.linalg.solve(a, b)
    return np.clip(pi, 0.0, None) / np.clip(pi, 0.0, None).sum()


def mmc_chain(
    lam: float,
    mu: float,
    c: int,
    theta: float = 0.0,
    cap: int | None = None,
    n_max: int = 400,
) -> np.ndarray:
    """π for M/M/c (+M when theta > 0, /K when cap is given), truncated at n_max."""
    size = (cap if cap is not None else n_max) + 1
    n = np.arange(size)
    birth = np.full(size, lam, dtype=float)
    death = np.minimum(n, c) * mu + np.maximum(n - c, 0) * theta
    return birth_death(birth, death)


def wait_tail_mmc(
    pi: np.ndarray, c: int, mu: float, t: float, cap: int | None = None
) -> float:
    """P(Wq > t) for an admitted arrival, by conditioning on the state it sees."""
    top = len(pi) - 1 if cap is not None else len(pi)
    admitted = pi[:top] / pi[:top].sum()
    total = 0.0
    for n in range(c, top):
        total += admitted[n] * stats.gamma.sf(t, a=n - c + 1, scale=1.0 / (c * mu))
    return total


def erlang_b_mp(c: int, a: float, dps: int = 50) -> mp.mpf:
    """Erlang B by the recursion 1/B_n = 1 + (n/a)/B_{n-1} in high precision."""
    with mp.workdps(dps):
        inv = mp.mpf(1)
        a = mp.mpf(a)
        for n in range(1, c + 1):
            inv = 1 + n / a * inv
        return 1 / inv


def erlang_c_mp(c: int, a: float, dps: int = 50) -> mp.mpf:
    with mp.workdps(dps):
        b = erlang_b_mp(c, a, dps)
        rho = mp.mpf(a) / c
        return b / (1 - rho * (1 - b))


def tagged_erlang_a(
    lam: float, mu: float, c: int, theta: float, t: float, n_max: int = 300
) -> tuple[float, float, float]:
    """(P(served and wait ≤ t), P(V ≤ t), P(abandon)) for Erlang A from a tagged
    customer.

    An arrival that finds c + k customers has k ahead in line. Its own chain has states
    j = k, …, 0 (customers ahead), plus absorbing "served" and "abandoned". From j the
    next one ahead leaves at rate cμ + jθ (a service completion or one of the j
    abandons); from j = 0 the tagged customer enters service at rate cμ; it abandons at
    rate θ throughout. For the offered wait V the abandonment of the tagged customer is
    switched off.
    """
    pi = mmc_chain(lam, mu, c, theta, n_max=n_max)
    served_by_t = pi[:c].sum()
    offered_by_t = pi[:c].sum()
    abandon = 0.0
    cmu = c * mu
    kmax = n_max - c
    negligible = 1e-17 * pi[c:].sum()
    for k in range(kmax):
        p = pi[c + k]
        if p < negligible:
            continue
        size = k + 3  # states k..0 -> index 0..k, served = k+1, abandoned = k+2
        g = np.zeros((size, size))
        g_off = np.zeros((size, size))
        for idx in range(k + 1):
            j = k - idx
            leave = cmu + j * theta
            nxt = idx + 1 if j > 0 else k + 1
            g[idx, nxt] += leave if j > 0 else cmu
            g[idx, k + 2] += theta
            g_off[idx, nxt] += leave if j > 0 else cmu
        np.fill_diagonal(g, -g.sum(axis=1))
        np.fill_diagonal(g_off, -g_off.sum(axis=1))
        start = np.zeros(size)
        start[0] = 1.0
        at_t = start @ linalg.expm(g * t)
        at_t_off = start @ linalg.expm(g_off * t)
        served_by_t += p * at_t[k + 1]
        offered_by_t += p * at_t_off[k + 1]
        # P(abandon | k ahead) = 1 - Π_{j=0..k} (rate to move on)/(rate to move on + θ)
        moves = np.array([cmu + j * theta for j in range(k, 0, -1)] + [cmu])
        abandon += p * (1.0 - np.prod(moves / (moves + theta)))
    return float(served_by_t), float(offered_by_t), float(abandon)


# ------------------------------------------------------------------------ M/D/1
# Three computations of the M/D/1 waiting time that share nothing with crmkit's (which
# sums Erlang's formula, its complement and the residue series of the transform).


def md1_wait_benes(rho: float, u: float, dps: int = 60) -> tuple[mp.mpf, mp.mpf]:
    """(P(W ≤ uD), P(W > uD)) for M/D/1 by the Beneš form of Pollaczek–Khinchine.

    The FCFS M/G/1 wait is distributed as the sum of a geometric number N
    (P(N = k) = (1-ρ)ρ^k) of independent residual service times; for constant service
    D those are Uniform(0, D), so P(W > uD) = (1-ρ) Σ_{k>u} ρ^k P(U_1 + … + U_k > u)
    with P(U_1 + … + U_k > u) = H_k(k - u), H_k the Irwin–Hall CDF
    (1/k!) Σ_{j≤x} (-1)^j C(k, j) (x - j)^k, evaluated with ``dps`` + k digits.
    The terms are positive and the series is stopped when the rest, at most
    ρ^{K+1}, is below 1e-30 of the sum. V. E. Beneš (1957), "On queues with Poisson
    arrivals", *Annals of Mathematical Statistics* 28(3):670–677.
    """
    with mp.workdps(dps):
        r, uu = mp.mpf(rho), mp.mpf(u)
        tail = mp.mpf(0)
        k = int(mp.floor(uu)) + 1
        while True:
            x = k - uu
            with mp.workdps(dps + k):  # the alternating sum loses about 0.74 k digits
                h = mp.fsum(
                    (-1) ** j * mp.binomial(k, j) * (x - j) ** k
                    for j in range(int(mp.floor(x)) + 1)
                ) / mp.factorial(k)
            tail += (1 - r) * r**k * h
            if r ** (k + 1) < mp.mpf(10) ** -30 * tail:
                return 1 - tail, tail
            k += 1


def md1_wait_erlang_mp(rho: float, u: float, dps: int) -> mp.mpf:
    """P(W ≤ uD) by Erlang's alternating sum (1-ρ) Σ_{k≤u} (ρ(k-u))^k/k! e^{-ρ(k-u)},
    in ``dps``-digit arithmetic (it loses about 0.56·u digits to cancellation)."""
    with mp.workdps(dps):
        r, uu = mp.mpf(rho), mp.mpf(u)
        terms = [
            (r * (k - uu)) ** k / mp.factorial(k) * mp.exp(-r * (k - uu))
            for k in range(int(mp.floor(uu)) + 1)
        ]
        return (1 - r) * mp.fsum(terms)


def md1_lindley_bounds(
    lam: float, d: float, cells_per_service: int, services: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(t, lower, upper): bounds on P(W ≤ t) at t = k·h, h = D/cells_per_service,
    from the Lindley recursion W' = max(0, W + D - A), A ~ Exp(λ), on a lattice.

    Given a lattice W, the CDF of W' is exact: P(W' ≤ y | W = ih) =
    min(1, e^{-λ(ih + D - y)}). Rounding W' up to the lattice gives a chain that is
    stochastically larger than the true one (the Lindley map is monotone), so its
    stationary CDF is a lower bound; rounding down gives an upper bound. Both chains
    live on 0..services·D (the little mass above is put on the top state) and are
    solved with numpy linear algebra.
    """
    m, n = cells_per_service, cells_per_service * services
    h = d / m
    k = np.arange(n + 1)
    bounds = []
    for shift in (0, 1):  # 0: round up (cdf at y), 1: round down (cdf at y + h)
        y = np.minimum(k + shift, n)
        # cdf[i, j] = P(W' ≤ y_j | W = i h) = min(1, exp(-λ h (i + m - y_j)))
        cdf = np.exp(-np.maximum((k[:, None] + m - y[None, :]) * (lam * h), 0.0))
        cdf[:, -1] = 1.0
        step = np.diff(np.concatenate((np.zeros((n + 1, 1)), cdf), axis=1), axis=1)
        g = step.T - np.eye(n + 1)
        g[-1, :] = 1.0
        rhs = np.zeros(n + 1)
        rhs[-1] = 1.0
        bounds.append(np.cumsum(np.linalg.solve(g, rhs)))
    lower, upper = bounds
    return k * h, lower, upper


def md1_departure_distribution(rho: float, n_max: int = 400) -> np.ndarray:
    """The number a departing customer leaves behind in M/D/1: the stationary law of
    Kendall's embedded Markov chain N' = max(N - 1, 0) + A, A ~ Poisson(ρ) arrivals
    during one service, solved by numpy linear algebra on 0..n_max (D. G. Kendall
    (1953), "Stochastic processes occurring in the theory of queues and their analysis
    by the method of the imbedded Markov chain", *Annals of Mathematical Statistics*
    24(3):338–354)."""
    a = stats.poisson.pmf(np.arange(n_max + 1), rho)
    p = np.zeros((n_max + 1, n_max + 1))
    for n in range(n_max + 1):
        base = max(n - 1, 0)
        p[n, base:] = a[: n_max + 1 - base]
    p[:, -1] += 1.0 - p.sum(axis=1)
    g = p.T - np.eye(n_max + 1)
    g[-1, :] = 1.0
    rhs = np.zeros(n_max + 1)
    rhs[-1] = 1.0
    return np.linalg.solve(g, rhs)
