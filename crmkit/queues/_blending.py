"""Call blending: agents who fill idle time with outbound work, inbound calls first.

The state is ``(x, y)``: ``x`` inbound calls in the system (waiting or in service),
``y`` agents busy on outbound jobs; ``c - x - y`` agents are idle when that is
positive, otherwise ``x + y - c`` inbound calls wait. Decisions are taken whenever an
agent frees: it takes the first waiting inbound call if there is one, otherwise it
starts an outbound job if more than ``threshold`` agents would be idle (the policy of
Bhulai and Koole: keep ``threshold`` agents in reserve for inbound calls). Outbound
jobs are never interrupted, and there is always outbound work to do.

Levels and the matrix-geometric tail
------------------------------------
Outbound jobs start only when no inbound call waits, so ``y ≤ Y = c - threshold``,
and at every level ``x ≥ c + 1`` the transitions no longer depend on ``x``: an
arrival (rate λ) raises ``x``; an inbound completion (rate ``d_y = μ(c - y)``) lowers
it; an outbound completion (rate ``e_y = μ_o y``) hands its agent to the line and
lowers ``y``. The stationary vectors there are ``π_{x+1} = π_x R`` (x ≥ c), with R
the minimal solution of ``λI + R A_1 + R² A_2 = 0`` (``A_2 = diag(d_y)``, ``A_1`` the
phase moves ``y → y - 1`` at rate ``e_y`` minus ``diag(λ + d_y + e_y)``). Phases only
fall above level c, so R is lower triangular and is solved exactly, row by row: its
diagonal holds the smaller roots of ``d_y r² - (λ + d_y + e_y) r + λ = 0`` and each
row below the diagonal is one triangular linear system with positive solution. The
levels ``0 … c`` are solved by one sparse LU factorisation of their balance equations,
where the excursions above level c enter through ``R A_2`` (censoring), and every
tail sum is closed-form: ``Σ_{n≥1} π_c Rⁿ = π_c R (I - R)^{-1}``,
``Σ n π_c Rⁿ = π_c R (I - R)^{-2}``. Nothing is truncated.

The inbound wait
----------------
An arrival that finds ``(x, y)`` with ``k = x + y - c ≥ 0`` calls ahead waits until
the ``(k + 1)``-th agent release; while it waits no outbound job starts, so releases
come at rate ``μ(c - y) + μ_o y`` and an outbound release also lowers ``y``. The
waiting time is this phase-type law over ``(k, y)``, evaluated by uniformisation:
``P(W > t) = Σ_n Poisson(n; Λt) s_n``, with ``s_n`` the probability of still waiting
after ``n`` steps of the uniformised chain (positive terms only). ``s_n`` never
grows, so stopping at the first ``s_N`` below 1e-17 (or where the Poisson weights
beyond N are below 1e-300) leaves out at most that much. Each step serves with
probability at least ``min_y r_y / Λ``, which bounds the steps needed by a binomial
tail before any work starts; a request beyond the work limit is refused (very short or
very long outbound jobs beside the inbound ones make the chain stiff).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import numpy as np
from scipy import linalg, sparse, stats
from scipy.sparse import linalg as sparse_linalg

from crmkit._frozen import set_fields
from crmkit._validate import check_count, check_work
from crmkit.errors import ParameterError
from crmkit.queues._base import (
    LOAD_METRICS,
    MAX_GRID,
    WAIT_METRICS,
    WaitingModel,
    check_grid,
    check_rate,
    unstable_error,
)
from crmkit.queues._special import log_poisson_pmf

__all__ = ["Blending"]

#: most states (x, y) at the levels x ≤ c (one sparse solve, an O(Y³) R)
MAX_BLENDING_STATES = 200_000
#: most (state × uniformisation step) updates one service-level call makes
MAX_WAIT_WORK = 10 * MAX_GRID
#: mass of arrival states or waiting probability left out of the wait distribution
_TOL = 1e-17


@dataclass(frozen=True)
class Blending(WaitingModel):
    """Inbound calls with priority, outbound jobs in the agents' idle time.

    Inbound calls arrive at rate λ and wait in one first-come-first-served line (no
    abandonment). An agent who frees takes the first waiting inbound call; if none
    waits and more than ``threshold`` agents would then be idle, it starts an
    outbound job (so at most ``threshold`` agents are ever idle). Outbound jobs take
    an exponential time of mean ``1/outbound_service_rate`` and are not interrupted.

    Parameters
    ----------
    arrival_rate : float
        λ, inbound calls per time unit (in [1e-100, 1e100]).
    service_rate : float
        μ, inbound calls one agent completes per time unit (in [1e-100, 1e100]).
    servers : int
        c ≥ 1 agents; the states at levels ``x ≤ c``, ``(c + 1)(c - threshold + 1)``
        at most, are limited to 200,000 (about 440 agents with ``threshold = 0``).
    threshold : int
        The idle agents kept in reserve for inbound calls, 0 to ``servers - 1``: an
        outbound job starts whenever more than ``threshold`` agents are idle. 0 means
        no agent is ever idle; ``servers - 1`` means outbound work starts only when
        every agent is idle. (Bhulai and Koole's threshold level counts busy agents
        instead: their level ``s - threshold`` is this ``threshold``.)
    outbound_service_rate : float, optional
        μ_o, outbound jobs one agent completes per time unit (default μ).

    Raises
    ------
    UnstableQueueError
        If ρ = λ/(cμ) ≥ 1 (outbound work can only lengthen the inbound line).
    ParameterError
        If an argument is not a number in its range, ``threshold`` is not below
        ``servers``, or the chain is larger than the limits above.

    Notes
    -----
    Metrics are for inbound calls unless named otherwise: ``prob_wait`` = P(an
    inbound call waits), ``mean_wait`` = Wq, ``service_level(t)`` = P(Wq ≤ t) (every
    inbound call is served). ``occupancy`` is the share of agent time busy on either
    kind, (λ/μ + E[y]) / c; ``outbound_rate`` is μ_o E[y], the outbound jobs completed
    per time unit. The chain and its exact solution (matrix-geometric above level c,
    a sparse solve below, uniformisation for the wait) are described in
    :mod:`crmkit.queues._blending`.

    References
    ----------
    S. Bhulai and G. Koole (2003), "A queueing model for call blending in call
    centers", *IEEE Transactions on Automatic Control* 48(8):1434–1438 (the model and
    the optimality of threshold policies). N. Gans, G. Koole and A. Mandelbaum (2003),
    "Telephone call centers: tutorial, review, and research prospects",
    *Manufacturing & Service Operations Management* 5(2):79–141 (blending
    inbound and outbound work, in context). M. F. Neuts (1981),
    *Matrix-Geometric Solutions in Stochastic Models: An Algorithmic Approach*,
    Johns Hopkins University Press, ch. 1 and 3 (the matrix R and the boundary
    equations). G. Latouche and V. Ramaswami (1999), *Introduction to Matrix
    Analytic Methods in Stochastic Modeling*, SIAM, ch. 6 (R for quasi-birth–death
    processes). W. K. Grassmann (1977),
    "Transient solutions in Markovian queueing systems", *Computers & Operations
    Research* 4(1):47–53 (uniformisation).

    Examples
    --------
    >>> b = Blending(arrival_rate=3.0, service_rate=0.25, servers=15, threshold=2)
    >>> round(b.mean_wait, 6), round(b.service_level(1 / 3), 6)   # minutes
    (0.864865, 0.494832)
    >>> round(b.outbound_rate, 6), round(b.occupancy, 6)   # jobs per minute
    (0.614865, 0.963964)
    """

    arrival_rate: float
    service_rate: float
    servers: int
    threshold: int
    outbound_service_rate: float | None = None

    METRICS: ClassVar[tuple[str, ...]] = (
        *LOAD_METRICS,
        "prob_wait",
        "outbound_rate",
        *WAIT_METRICS,
    )

    def __post_init__(self) -> None:
        lam = check_rate("arrival_rate", self.arrival_rate)
        mu = check_rate("service_rate", self.service_rate)
        c = check_count("servers", self.servers, minimum=1, maximum=10**6)
        thr = check_count("threshold", self.threshold, minimum=0)
        if thr >= c:
            raise ParameterError(
                f"threshold = {thr} is not below servers = {c}: outbound work starts "
                "when more than `threshold` agents are idle, which can never happen "
                f"then; pass a threshold from 0 to {c - 1} (or use MMc for no "
                "outbound work)."
            )
        mu_o = (
            mu
            if self.outbound_service_rate is None
            else check_rate("outbound_service_rate", self.outbound_service_rate)
        )
        set_fields(
            self,
            arrival_rate=lam,
            service_rate=mu,
            servers=c,
            threshold=thr,
            outbound_service_rate=mu_o,
        )
        states = (c + 1) * (c - thr + 1)
        if states > MAX_BLENDING_STATES:
            raise ParameterError(
                f"servers = {c:,} with threshold = {thr} give {states:,} states below "
                f"the line, more than the {MAX_BLENDING_STATES:,} solved exactly; "
                "pass fewer servers or a larger threshold."
            )
        rho = lam / (c * mu)
        if rho >= 1.0:
            raise unstable_error(rho, lam, mu)

    @cached_property
    def _chain(self) -> _Solution:
        return _solve(
            self.arrival_rate,
            self.service_rate,
            float(self.outbound_service_rate),  # type: ignore[arg-type]
            self.servers,
            self.threshold,
        )

    @property
    def prob_wait(self) -> float:
        """P(an inbound call finds every agent busy and waits)."""
        return self._chain.prob_wait

    @property
    def mean_queue_length(self) -> float:
        """Lq, the mean number of inbound calls waiting."""
        return self._chain.queue

    @property
    def mean_wait(self) -> float:
        """Wq, the mean wait of an inbound call, Lq/λ."""
        return self._chain.queue / self.arrival_rate

    @property
    def mean_outbound_busy(self) -> float:
        """E[y], the mean number of agents on outbound jobs."""
        return self._chain.outbound

    @property
    def outbound_rate(self) -> float:
        """Outbound jobs completed per time unit, μ_o E[y]."""
        return float(self.outbound_service_rate) * self._chain.outbound  # type: ignore[arg-type]

    @property
    def occupancy(self) -> float:
        """Share of agent time busy, inbound or outbound: (λ/μ + E[y]) / c."""
        return min((self.offered_load + self._chain.outbound) / self.servers, 1.0)

    def _prob_wait_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(Wq > t) by uniformisation of the waiting chain."""
        return self._chain.wait_exceeds(t)


@dataclass(frozen=True)
class _Solution:
    """The solved chain: metrics and the arrival states of those who wait."""

    prob_wait: float
    queue: float
    outbound: float
    inbound_busy: float
    #: P(an arrival finds k ahead in phase y), rows k = 0, 1, …, columns y = 0 … Y
    ahead: np.ndarray
    release_in: np.ndarray  # d_y = μ(c - y)
    release_out: np.ndarray  # e_y = μ_o y

    def wait_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(W > t) by uniformisation at rate Λ = max_y (d_y + e_y), refused (before
        the work starts) when more steps are needed than the work limit allows."""
        ahead, d, e = self.ahead, self.release_in, self.release_out
        total = d + e
        rate = float(total.max())
        lt = (rate * t).ravel()
        top = float(lt.max())
        steps = min(
            math.ceil(top + 40.0 * math.sqrt(top) + 40.0),
            _steps_to_serve(ahead.sum(axis=1), float(total.min()) / rate),
        )
        check_work(
            "t (the wait's uniformisation)",
            float(steps) * ahead.size,
            limit=MAX_WAIT_WORK,
            fix="pass a smaller t or fewer servers, or outbound and inbound service "
            "rates nearer each other",
        )
        check_grid("t", lt.size, steps + 1)
        stay, move_in, move_out = 1.0 - total / rate, d / rate, e / rate
        waiting = [float(ahead.sum())]
        f = ahead.copy()
        while waiting[-1] >= _TOL and len(waiting) <= steps:
            nxt = f * stay
            nxt[:-1] += f[1:] * move_in
            nxt[:-1, :-1] += f[1:, 1:] * move_out[1:]
            f = nxt
            waiting.append(float(f.sum()))
        s = np.asarray(waiting)
        n = np.arange(s.size, dtype=float)
        out = np.empty(lt.size)
        zero = lt == 0.0
        out[zero] = s[0]
        with np.errstate(under="ignore"):
            weights = np.exp(log_poisson_pmf(n[None, :], lt[~zero, None]))
        out[~zero] = weights @ s
        return np.clip(out, 0.0, 1.0).reshape(t.shape)


def _steps_to_serve(by_ahead: np.ndarray, least: float) -> int:
    """Uniformised steps after which P(still waiting) < 1e-17 for sure.

    Each step serves with probability at least ``least`` = min_y r_y / Λ, so the
    probability of still waiting after n steps is at most
    ``Σ_k P(k ahead) P(Binomial(n, least) ≤ k)``; the smallest such n is found by
    doubling and bisection.
    """
    k = np.arange(by_ahead.size)

    def bound(n: int) -> float:
        return float(by_ahead @ stats.binom.cdf(k, n, least))

    high = max(1, by_ahead.size)
    while bound(high) >= _TOL:
        high *= 2
        if high > 2**62:
            return high
    low = high // 2
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if bound(mid) >= _TOL else (low, mid)
    return high


def _r_matrix(lam: float, d: np.ndarray, e: np.ndarray) -> np.ndarray:
    """The minimal R of the levels above c, lower triangular, solved row by row.

    Entry (i, j), j < i, of ``λI + R A_1 + R² A_2 = 0`` reads
    ``R_ij (s_j - d_j (R_ii + R_jj)) = e_{j+1} R_{i,j+1} + d_j Σ_{j<k<i} R_ik R_kj``
    (``s_j = λ + d_j + e_j``): for row i, a triangular system in ``R_i0 … R_{i,i-1}``.
    """
    size = d.size
    s = lam + d + e
    # smaller root of d r² - s r + λ, as 2λ / (s + √disc); disc without cancellation
    disc = (d - lam) ** 2 + e * (e + 2.0 * lam + 2.0 * d)
    diag = 2.0 * lam / (s + np.sqrt(disc))
    r = np.diag(diag)
    for i in range(1, size):
        j = np.arange(i)
        system = np.diag((s[:i] + np.sqrt(disc[:i])) / 2.0 - d[:i] * diag[i])
        # unknown R_ik (k > j) enters equation j through d_j R_kj and e_{j+1} [k = j+1]
        system -= (r[:i, :i] * d[:i]).T * (j[None, :] > j[:, None])
        system[j[:-1], j[:-1] + 1] -= e[1:i]
        rhs = np.zeros(i)
        rhs[i - 1] = e[i] * diag[i]
        r[i, :i] = linalg.solve_triangular(system, rhs, lower=False)
    return r


def _solve(lam: float, mu: float, mu_o: float, c: int, thr: int) -> _Solution:
    """Solve the blending chain exactly (see :mod:`crmkit.queues._blending`)."""
    top = c - thr  # most agents on outbound work
    phases = np.arange(top + 1, dtype=float)
    d, e = mu * (c - phases), mu_o * phases
    x, y = np.meshgrid(np.arange(c + 1), np.arange(top + 1), indexing="ij")
    valid = x + y >= top  # at most `thr` idle after every decision
    index = np.full(x.shape, -1)
    index[valid] = np.arange(int(valid.sum()))
    xs, ys = x[valid], y[valid]
    size = xs.size
    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    rate: list[np.ndarray] = []

    def add(mask: np.ndarray, tx: np.ndarray, ty: np.ndarray, r: np.ndarray) -> None:
        src.append(np.flatnonzero(mask))
        dst.append(index[tx[mask], ty[mask]])
        rate.append(r[mask])

    line = xs + ys > c  # inbound calls wait
    up = xs < c
    add(up, xs + 1, ys, np.full(size, lam))
    busy_in = mu * np.minimum(xs, c - ys)
    restart = ~line & (c - xs - ys + 1 > thr)  # the freed agent starts outbound work
    done = xs > 0
    add(done, xs - 1, np.where(restart, ys + 1, ys), busy_in)
    out_move = (ys > 0) & ~restart  # else the agent starts a new outbound job
    add(out_move, xs, ys - 1, mu_o * ys)
    r = _r_matrix(lam, d, e)
    censored = r * d  # R A_2: back at level c after an excursion above it
    np.fill_diagonal(censored, 0.0)
    rows, cols = np.nonzero(censored)
    src.append(index[c, rows])
    dst.append(index[c, cols])
    rate.append(censored[rows, cols])
    q = sparse.csr_matrix(
        (np.concatenate(rate), (np.concatenate(src), np.concatenate(dst))),
        shape=(size, size),
    )
    q = q - sparse.diags(np.asarray(q.sum(axis=1)).ravel())
    mode = min(c, int(lam / mu))
    anchor = index[mode, max(top - mode, 0)]
    keep = np.arange(size) != anchor
    pi = np.empty(size)
    pi[anchor] = 1.0
    pi[keep] = sparse_linalg.spsolve(
        q[keep][:, keep].T.tocsc(), -q[[anchor]][:, keep].toarray().ravel()
    )
    pi = np.clip(pi, 0.0, None)
    eye = np.eye(top + 1)
    level_c = pi[index[c]]
    tail = linalg.solve_triangular((eye - r).T, r.T @ level_c, lower=False)
    tail_n = linalg.solve_triangular((eye - r).T, tail, lower=False)
    # tail[y] = Σ_{n≥1} π_{c+n}(y); tail_n[y] = Σ_{n≥1} n π_{c+n}(y)
    norm = pi.sum() + tail.sum()
    pi, tail, tail_n, level_c = pi / norm, tail / norm, tail_n / norm, level_c / norm
    waits = xs + ys >= c
    queue = float(pi @ np.maximum(xs + ys - c, 0) + tail_n.sum() + tail @ phases)
    ahead = _arrival_states(pi[waits], (xs + ys - c)[waits], ys[waits], level_c, r)
    return _Solution(
        prob_wait=float(pi[waits].sum() + tail.sum()),
        queue=queue,
        outbound=float(pi @ ys + tail @ phases),
        inbound_busy=float(pi @ np.minimum(xs, c - ys) + tail @ (c - phases)),
        ahead=ahead,
        release_in=d,
        release_out=e,
    )


def _arrival_states(
    p: np.ndarray, k: np.ndarray, y: np.ndarray, level_c: np.ndarray, r: np.ndarray
) -> np.ndarray:
    """P(an arrival finds k ahead in phase y): levels ≤ c, then π_c Rⁿ (k = n + y)
    until what is left, π_c R^{n+1} (I - R)^{-1} 1, is below 1e-17."""
    top = r.shape[0] - 1
    left = linalg.solve_triangular(np.eye(top + 1) - r, r.sum(axis=1), lower=True)
    levels = []
    v = level_c
    while float(v @ left) >= _TOL:
        v = v @ r
        levels.append(v)
        check_work(
            "the inbound line's levels",
            float(len(levels)) * (top + 1),
            limit=MAX_GRID,
            fix="pass a lower arrival_rate or more servers",
        )
    height = top + len(levels) + 1
    ahead = np.zeros((height, top + 1))
    np.add.at(ahead, (k, y), p)
    for n, v in enumerate(levels, start=1):
        ahead[n + np.arange(top + 1), np.arange(top + 1)] += v
    return ahead
