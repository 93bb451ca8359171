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
