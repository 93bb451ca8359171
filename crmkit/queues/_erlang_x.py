"""The Erlang X queue: finite lines, impatient callers and redials (an orbit).

Fresh calls arrive as a Poisson process; ``c`` agents serve in exponential times; at
most ``lines`` callers are in the system (waiting or talking), so a call that finds
every line busy is blocked; a waiting caller abandons after an exponential patience;
a blocked or abandoned caller redials with probability ``p`` after an exponential
delay, and is lost for good otherwise. The redialling callers form the *orbit*.

The state is ``(n, m)``: callers in the system and callers in the orbit. Without
redials (``p = 0``, or when no caller is ever blocked or abandons) the orbit stays
empty and ``n`` is a birth–death chain (M/M/c/K+M), solved in logs. Otherwise the
chain over ``(n, m)`` is solved with :func:`scipy.sparse.linalg.spsolve`, truncated
where a proven bound puts less than :data:`TOLERANCE` (1e-14) of the probability
beyond the truncation (see :class:`ErlangX`, Notes).

A caller's wait, once admitted, depends only on those ahead of it: the same phases
as in Erlang A (:class:`~crmkit.queues._erlang_a.AbandonmentPhases`), because a
redial joins the line behind everyone like a fresh call.

References
----------
G. Koole (2013), *Call Center Optimization*, MG books, Amsterdam, the chapter on the
Erlang X model (lines, abandonments and redials). M. S. Aguir, F. Karaesmen, O. Z.
Akşin and F. Chauvet (2004), "The impact of retrials on call center performance", *OR
Spectrum* 26(3):353–376 (the retrial CTMC over callers in the system and in orbit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse, special, stats
from scipy.sparse import linalg

from crmkit._frozen import set_fields
from crmkit._validate import check_count, check_probability
from crmkit.errors import ParameterError
from crmkit.queues._base import (
    LOAD_METRICS,
    MAX_CAPACITY,
    WAIT_METRICS,
    check_grid,
    check_rate,
    check_time_scale,
    unstable_error,
)
from crmkit.queues._distributions import Exponential, PoissonArrivals
from crmkit.queues._erlang_a import AbandonmentPhases
from crmkit.queues._special import log_poisson_pmf

__all__ = ["MAX_STATES", "TOLERANCE", "ErlangX"]

#: proven bound on the probability mass left out by a truncation
TOLERANCE = 1e-14
#: most states of the (callers, orbit) chain solved exactly
MAX_STATES = 400_000
#: the solved chain must hold less than this on the edge of its truncation
_EDGE_CHECK = 1e-12


class _Stationary(NamedTuple):
    """The stationary law, summed over the orbit: ``pi[n]`` = P(n in the system),
    ``attempts[n]`` = Σ_m π(n, m)(λ + γm) (the rate of calls finding ``n``), and the
    mean orbit size."""

    pi: np.ndarray
    attempts: np.ndarray
    mean_orbit: float


@dataclass(frozen=True)
class ErlangX(AbandonmentPhases):
    """Erlang X: M/M/c with finite lines, exponential patience and redials.

    Rates are per one time unit (per minute, say); times come back in that unit.
    Metrics come in two kinds:

    - **per call attempt** (fresh calls and redials alike, as a switch counts them):
      ``prob_block`` over all attempts; ``prob_wait``, ``prob_abandon``,
      ``mean_wait``, ``mean_time_in_system``, :meth:`service_level`,
      :meth:`prob_wait_exceeds` and :meth:`offered_service_level` over the attempts
      admitted to a line (the convention of :class:`~crmkit.queues.MMcK` and of
      :func:`~crmkit.queues.simulate`). With ``lines=None`` nobody is blocked and
      these are :class:`~crmkit.queues.ErlangA`'s metrics;
    - **per customer** (a fresh caller, with all its redials; what Koole's Erlang X
      calculator reports): ``customer_prob_served``, ``customer_prob_abandon``
      (abandons and does not redial), ``customer_prob_block`` (blocked and does not
      redial), which sum to 1, and :meth:`customer_service_level` (answered, on the
      attempt that got through, within ``t``).

    Parameters
    ----------
    arrival_rate, service_rate : float
        λ (fresh calls) and μ per the same time unit (each in [1e-100, 1e100]).
    servers : int
        c, 1 to 10**7.
    abandonment_rate : float
        θ = 1 / mean patience (0: nobody abandons, allowed with finite ``lines`` or
        λ < cμ).
    lines : int, optional
        K >= c, the most callers in the system (waiting + in service), at most
        10**7. None: no limit, nobody is blocked.
    redial_prob : float
        p in [0, 1): the chance that a blocked or abandoned attempt is redialled (each
        time). p = 1 (every caller retries until served) is refused when callers can
        be blocked or abandon: no bound on the orbit is known for it.
    redial_delay : float, optional
        1/γ, the mean time before a redial; needed when ``redial_prob > 0``.

    Raises
    ------
    UnstableQueueError
        With ``abandonment_rate = 0``, ``lines=None`` and λ ≥ cμ.
    ParameterError
        An argument out of range, or a chain too large to solve exactly (more than
        400,000 (callers, orbit) states, or 10**7 states without redials); the
        message suggests a simulation.

    Notes
    -----
    Transitions out of ``(n, m)``, with ``K = lines``: a fresh call (rate λ) joins if
    ``n < K``, else it joins the orbit with probability p; a redial (rate γm) joins
    if ``n < K``, else it stays in the orbit with probability p and leaves otherwise;
    a service ends at rate ``min(n, c)μ``; a waiting caller abandons at rate
    ``(n - c)⁺θ`` and joins the orbit with probability p (the retrial chain of
    Aguir, Karaesmen, Akşin and Chauvet 2004).
    A call attempt that finds ``n`` callers sees the state with weight ``λ + γm``
    (fresh calls see time averages, PASTA; redials come at rate γm). An admitted
    attempt that finds ``k = n - c ≥ 0`` waiting faces Erlang A's phases, so
    ``P(V ≤ t | k)`` is the regularised incomplete beta ``I_{1-e^{-θt}}(k+1, x)``
    with ``x = cμ/θ`` (an Erlang(k+1, cμ) time when θ = 0). Conservation: fresh
    calls = served + abandoned for good + blocked for good, i.e. ``λ = μE[min(n,
    c)] + (1-p)θE[(n-c)⁺] + (1-p)·(blocked attempts per time unit)``.

    **Truncation** (proven bounds, each stochastic domination by coupling). With
    finite lines the orbit grows at rate at most ``p(λ + θ(K - c))`` and shrinks at
    rate at least ``γ(1-p)m``, so ``m`` is dominated by the M/M/∞ orbit with those
    rates, whose stationary law is Poisson(``p(λ + θ(K-c)) / (γ(1-p))``). With
    ``lines=None`` every caller leaves its current spell in the system at rate at
    least ``δ = min(θ, μ)`` and an orbit spell at rate γ, so ``n + m`` is dominated
    by the number in an infinite-server network, Poisson(``λ(1/δ + p/γ)/(1-p)``).
    The chain is cut where that Poisson tail is below :data:`TOLERANCE` = 1e-14; the
    solved chain must also put less than 1e-12 on its last level, or ErlangX refuses
    (and says to simulate). Without redials and ``lines=None``, the birth–death
    chain is cut where a geometric bound on its tail is below 1e-14.

    References
    ----------
    G. Koole (2013), *Call Center Optimization*, MG books, Amsterdam, the chapter on
    the Erlang X model. M. S. Aguir, F. Karaesmen, O. Z. Akşin and F. Chauvet (2004),
    "The impact of retrials on call center performance", *OR Spectrum*
    26(3):353–376. O. Garnett,
    A. Mandelbaum and M. Reiman (2002), "Designing a call center with impatient
    customers", *Manufacturing & Service Operations Management* 4(3):208–227 (the
    waiting phases of Erlang A).

    Examples
    --------
    >>> m = ErlangX(arrival_rate=10, service_rate=1, servers=10, abandonment_rate=0.5,
    ...             lines=14, redial_prob=0.5, redial_delay=5)
    >>> round(m.prob_block, 6), round(m.prob_abandon, 6)    # per call attempt
    (0.119323, 0.063615)
    >>> round(m.customer_prob_served, 6), round(m.customer_prob_block, 6)
    (0.903901, 0.065395)
    >>> round(m.service_level(1 / 3), 6)           # admitted attempts, 20 seconds
    0.819035
    """

    arrival_rate: float
    service_rate: float
    servers: int
    abandonment_rate: float
    lines: int | None = None
    redial_prob: float = 0.0
    redial_delay: float | None = None

    METRICS: ClassVar[tuple[str, ...]] = (
        *LOAD_METRICS,
        "prob_empty",
        "prob_block",
        "throughput",
        "prob_wait",
        "prob_abandon",
        *WAIT_METRICS,
        "attempt_rate",
        "mean_orbit",
        "customer_prob_served",
        "customer_prob_abandon",
        "customer_prob_block",
    )

    def __post_init__(self) -> None:
        checked = {
            "arrival_rate": check_rate("arrival_rate", self.arrival_rate),
            "service_rate": check_rate("service_rate", self.service_rate),
            "servers": check_count(
                "servers", self.servers, minimum=1, maximum=MAX_CAPACITY
            ),
            "abandonment_rate": check_time_scale(
                "abandonment_rate", self.abandonment_rate
            ),
        }
        checked["lines"] = self._checked_lines(checked["servers"])
        checked["redial_prob"], checked["redial_delay"] = self._checked_redials()
        set_fields(self, **checked)
        lam, mu, c, theta, p, _ = self._rates
        if theta == 0 and self.lines is None and lam >= c * mu:
            raise unstable_error(lam / (c * mu), lam, mu)
        if self._has_orbit and p == 1.0:
            raise ParameterError(
                "redial_prob = 1.0: every blocked or abandoned caller would retry "
                "until served, and no bound on the orbit is known for that; pass a "
                "redial_prob below 1 (e.g. 0.99), or simulate the system."
            )
        _ = self._stationary  # solve now, so a model that exists is a valid one

    def _checked_lines(self, servers: int) -> int | None:
        if self.lines is None:
            return None
        lines = check_count("lines", self.lines, minimum=1, maximum=MAX_CAPACITY)
        if lines < servers:
            raise ParameterError(
                f"lines = {lines} < servers = {servers}: lines count the callers being "
                "served too, so pass lines of at least servers (or None for no "
                "limit)."
            )
        return lines

    def _checked_redials(self) -> tuple[float, float | None]:
        p = check_probability("redial_prob", self.redial_prob)
        if self.redial_delay is not None:
            return p, check_rate("redial_delay", self.redial_delay)
        if p > 0:
            raise ParameterError(
                f"redial_prob = {p} > 0 needs redial_delay, the mean time before a "
                "redial (e.g. redial_delay=5 for five minutes with rates per minute)."
            )
        return p, None

    @property
    def _has_orbit(self) -> bool:
        """Whether callers can ever be redialling."""
        can_fail = self.lines is not None or self.abandonment_rate > 0
        return self.redial_prob > 0 and can_fail

    @property
    def _rates(self) -> tuple[float, float, int, float, float, float]:
        """(λ, μ, c, θ, p, γ), γ = 1/redial_delay the rate of one caller's redial."""
        gamma = 1.0 / self.redial_delay if self.redial_delay is not None else 0.0
        return (
            self.arrival_rate,
            self.service_rate,
            self.servers,
            self.abandonment_rate,
            self.redial_prob,
            gamma,
        )

    @property
    def _x(self) -> float:
        return self.servers * self.service_rate / self.abandonment_rate

    @cached_property
    def _stationary(self) -> _Stationary:
        lam = self.arrival_rate
        if not self._has_orbit:
            top = self.lines if self.lines is not None else self._birth_death_top()
            pi = self._birth_death(top)
            return _Stationary(pi, lam * pi, 0.0)
        return self._retrial_chain()

    def _birth_death(self, top: int) -> np.ndarray:
        """π_n, n = 0..top: births λ, deaths ``min(n, c)μ + (n - c)⁺θ``, in logs."""
        lam, mu, c, theta, _, _ = self._rates
        n = np.arange(top + 1.0)
        head = log_poisson_pmf(n[: c + 1], lam / mu)  # ∝ a^n / n!, n ≤ c
        beyond = np.log(lam / (c * mu + n[1 : top - c + 1] * theta))
        logw = np.concatenate((head - head[-1], np.cumsum(beyond)))
        return np.exp(logw - special.logsumexp(logw))

    def _birth_death_top(self) -> int:
        """The last state kept with ``lines=None``: beyond it less than 1e-14.

        Past the peak ``n*`` (where the birth rate no longer exceeds the death rate)
        the ratio π_{n+1}/π_n is at most ``r_j = λ/(λ + jθ)`` at ``n* + j`` (ρ when
        θ = 0), so ``π_{n*+J} ≤ Π_{j≤J} r_j`` and the rest is at most
        ``π_{n*+J} r/(1 - r)``.
        """
        lam, mu, c, theta, _, _ = self._rates
        log_tol = math.log(TOLERANCE)
        if theta == 0:
            rho = lam / (c * mu)
            depth = math.log(TOLERANCE * (1.0 - rho) / rho) / math.log(rho)
            peak, extra = c, max(1, math.ceil(depth))
        else:
            peak = c + max(0, math.ceil((lam - c * mu) / theta))
            extra = 16
            while extra <= MAX_CAPACITY:
                j = np.arange(1.0, extra + 1.0)
                log_top = -float(np.log1p(j * theta / lam).sum())
                if log_top + math.log(lam / ((extra + 1) * theta)) <= log_tol:
                    break
                extra *= 2
        if peak + extra > MAX_CAPACITY:
            raise ParameterError(
                f"abandonment_rate = {theta:g} with lines=None: the queue would need "
                f"more than {MAX_CAPACITY:,} states; pass a finite lines, a larger "
                "abandonment_rate, or use ErlangA or MMc, which need no states."
            )
        return peak + extra

    def _truncation(self) -> tuple[int, int, int | None]:
        """(largest n, largest m, largest n + m or None) of the solved chain."""
        lam, mu, c, theta, p, gamma = self._rates
        if self.lines is not None:
            k = self.lines
            level = _poisson_level(p * (lam + theta * (k - c)) / (gamma * (1.0 - p)))
            states = (k + 1) * (level + 1)
            shape: tuple[int, int, int | None] = (k, level, None)
        else:
            delta = min(theta, mu)
            level = _poisson_level(lam * (1.0 / delta + p / gamma) / (1.0 - p))
            states = (level + 1) * (level + 2) // 2
            shape = (level, level, level)
        if states > MAX_STATES:
            raise ParameterError(
                f"ErlangX with lines = {self.lines}, redial_prob = {p:g} and "
                f"redial_delay = {self.redial_delay:g} needs about {states:,} "
                f"(callers, orbit) states, more than the {MAX_STATES:,} solved "
                "exactly; pass fewer lines, a smaller redial_prob or a shorter "
                "redial_delay, or "
                "estimate the system by simulation: crmkit.queues.simulate("
                "ErlangX(...), customers=...) runs it with its redials."
            )
        return shape

    def _retrial_chain(self) -> _Stationary:
        """Solve πQ = 0 over the truncated (callers, orbit) states."""
        n_max, m_max, total_max = self._truncation()
        lam, mu, c, theta, p, gamma = self._rates
        grid_n, grid_m = np.meshgrid(
            np.arange(n_max + 1), np.arange(m_max + 1), indexing="ij"
        )
        valid = np.ones(grid_n.shape, bool)
        if total_max is not None:
            valid = grid_n + grid_m <= total_max
        n, m = grid_n[valid], grid_m[valid]
        index = np.full(grid_n.shape, -1)
        index[valid] = np.arange(n.size)
        full = n == self.lines if self.lines is not None else np.zeros(n.size, bool)
        waiting = np.maximum(n - c, 0)
        moves = [  # (who may move, Δn, Δm, rate)
            (~full, 1, 0, np.full(n.size, lam)),  # fresh call admitted
            (full, 0, 1, np.full(n.size, p * lam)),  # blocked, will redial
            (~full, 1, -1, gamma * m),  # redial admitted
            (full, 0, -1, (1.0 - p) * gamma * m),  # redial blocked, gives up
            (True, -1, 0, mu * np.minimum(n, c) + (1.0 - p) * theta * waiting),
            (True, -1, 1, p * theta * waiting),  # abandons, will redial
        ]
        rows, cols, rates = [], [], []
        for who, dn, dm, rate in moves:
            tn, tm = n + dn, m + dm
            inside = (tn >= 0) & (tn <= n_max) & (tm >= 0) & (tm <= m_max)
            dest = np.where(
                inside, index[np.clip(tn, 0, n_max), np.clip(tm, 0, m_max)], -1
            )
            keep = who & (rate > 0) & (dest >= 0)
            rows.append(np.flatnonzero(keep))
            cols.append(dest[keep])
            rates.append(rate[keep])
        q = sparse.coo_matrix(
            (np.concatenate(rates), (np.concatenate(rows), np.concatenate(cols))),
            shape=(n.size, n.size),
        ).tocsr()
        q = q - sparse.diags(np.asarray(q.sum(axis=1)).ravel())
        qt = q.T.tocsr()
        pi = _stationary_vector(
            qt, int(index[int(np.argmax(self._birth_death(n_max))), 0])
        )
        edge = pi[(n + m == total_max) if total_max is not None else (m == m_max)]
        if not float(edge.sum()) < _EDGE_CHECK:
            raise ParameterError(
                f"the solved chain keeps {float(edge.sum()):.2g} of its probability "
                f"on the edge of its truncation (more than {_EDGE_CHECK:g}), so the "
                "exact "
                "values cannot be guaranteed; estimate the system by an event "
                "simulation with redials instead."
            )
        per_call = pi * (lam + gamma * m)
        return _Stationary(
            np.bincount(n, weights=pi, minlength=n_max + 1),
            np.bincount(n, weights=per_call, minlength=n_max + 1),
            float(pi @ m),
        )

    # ----- rates and shares of call attempts -------------------------------------

    @property
    def attempt_rate(self) -> float:
        """Call attempts per time unit: fresh calls plus redials, λ + γE[m]."""
        return float(self._stationary.attempts.sum())

    @property
    def mean_orbit(self) -> float:
        """E[m], the mean number of callers waiting to redial."""
        return self._stationary.mean_orbit

    @property
    def _blocked_rate(self) -> float:
        """Blocked attempts per time unit."""
        if self.lines is None:
            return 0.0
        return float(self._stationary.attempts[self.lines])

    @cached_property
    def throughput(self) -> float:
        """Admitted call attempts per time unit (served or abandoning), summed over
        the states with a free line (not λ + redials - blocked, which may cancel)."""
        return float(self._stationary.attempts[: self.lines].sum())

    @property
    def prob_block(self) -> float:
        """P(a call attempt finds every line busy), over all attempts."""
        return self._blocked_rate / self.attempt_rate

    @property
    def prob_empty(self) -> float:
        """P(nobody in the system), π(n = 0) (callers may be in the orbit)."""
        return float(self._stationary.pi[0])

    @cached_property
    def _queue_weights(self) -> tuple[np.ndarray, np.ndarray, float]:
        """(k, w_k, 0): the number waiting that an admitted attempt who must wait
        finds, and its probability (the phases need only these)."""
        found = self._stationary.attempts[self.servers : self.lines]
        total = float(found.sum())
        if total == 0.0:
            return np.zeros(0), np.zeros(0), 0.0
        w = found / total
        keep = w > 1e-20 * w.max()
        k = np.flatnonzero(keep).astype(float)
        return k, w[keep] / w[keep].sum(), 0.0

    @property
    def prob_wait(self) -> float:
        """P(an admitted attempt finds every agent busy)."""
        found = self._stationary.attempts[self.servers : self.lines]
        return float(found.sum()) / self.throughput

    @property
    def mean_queue_length(self) -> float:
        """Lq = E[(n - c)⁺]."""
        pi = self._stationary.pi
        return float(np.maximum(np.arange(pi.size) - self.servers, 0) @ pi)

    @property
    def mean_number_in_system(self) -> float:
        """L = E[n] (callers in the orbit are not in the system)."""
        pi = self._stationary.pi
        return float(np.arange(pi.size) @ pi)

    @property
    def _busy(self) -> float:
        """E[min(n, c)], the mean number of busy agents."""
        pi = self._stationary.pi
        return float(np.minimum(np.arange(pi.size), self.servers) @ pi)

    @property
    def occupancy(self) -> float:
        """Mean busy agents / agents."""
        return self._busy / self.servers

    @property
    def prob_abandon(self) -> float:
        """P(an admitted attempt abandons) = θ Lq / (admitted attempts per time)."""
        return min(
            self.abandonment_rate * self.mean_queue_length / self.throughput, 1.0
        )

    @property
    def mean_wait(self) -> float:
        """Mean time in queue (until service or abandonment) per admitted attempt."""
        return self.mean_queue_length / self.throughput

    @property
    def mean_time_in_system(self) -> float:
        """W = Wq + (mean busy agents)/throughput: the time in queue plus the time in
        service per admitted attempt (Little's law at the agents; = L/throughput)."""
        return self.mean_wait + self._busy / self.throughput

    # ----- shares of customers (fresh callers, with all their redials) -----------

    @property
    def customer_prob_served(self) -> float:
        """P(a fresh caller is served, on some attempt) = μE[min(n, c)]/λ."""
        return self.service_rate * self._busy / self.arrival_rate

    @property
    def customer_prob_abandon(self) -> float:
        """P(a fresh caller abandons and does not redial) = (1-p)θLq/λ."""
        lost = (1.0 - self.redial_prob) * self.abandonment_rate
        return lost * self.mean_queue_length / self.arrival_rate

    @property
    def customer_prob_block(self) -> float:
        """P(a fresh caller is blocked and does not redial)."""
        return (1.0 - self.redial_prob) * self._blocked_rate / self.arrival_rate

    def customer_service_level(self, t: ArrayLike) -> float | np.ndarray:
        """P(a fresh caller is answered within ``t`` on the attempt that gets through).

        A caller is served at most once, so this is the rate of attempts answered
        within ``t`` per fresh call: admitted attempts × :meth:`service_level` / λ.
        """
        share = self.throughput / self.arrival_rate
        return self._at_times(t, lambda tt: share * self._service_level(tt))

    # ----- waiting phases (Erlang A's, plus θ = 0) ---------------------------------

    def _offered_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(V > t | every agent busy); an Erlang(k+1, cμ) time when θ = 0."""
        if self.abandonment_rate > 0:
            return super()._offered_exceeds(t)
        k, w, _ = self._queue_weights
        check_grid("t", t.size, k.size)
        with np.errstate(over="ignore"):  # cμt = inf: gammaincc = 0
            x = (self.servers * self.service_rate) * t.reshape(-1, 1)
        return (special.gammaincc(k + 1.0, x) @ w).reshape(t.shape)

    def _service_level(self, t: np.ndarray) -> np.ndarray:
        """P(served and waited ≤ t) over admitted attempts."""
        if self.abandonment_rate > 0:
            return super()._service_level(t)
        return np.clip(1.0 - self.prob_wait * self._offered_exceeds(t), 0.0, 1.0)

    def _simulation_spec(self) -> dict[str, Any]:
        theta, gamma = self.abandonment_rate, self._rates[5]
        return {
            "arrivals": PoissonArrivals(self.arrival_rate),
            "service": Exponential(self.service_rate),
            "servers": self.servers,
            "patience": Exponential(theta) if theta > 0 else None,
            "capacity": self.lines,
            "redial_prob": self.redial_prob if self._has_orbit else 0.0,
            "redial_delay": Exponential(gamma) if self._has_orbit else None,
        }


def _poisson_level(mean: float) -> int:
    """The smallest ``M`` with P(Poisson(mean) ≥ M) ≤ :data:`TOLERANCE` (more than
    :data:`MAX_STATES` for a mean that large: the chain is refused anyway)."""
    if mean > MAX_STATES:
        return MAX_STATES + 1
    level = int(stats.poisson.isf(TOLERANCE, mean)) + 1
    while stats.poisson.sf(level - 1, mean) > TOLERANCE:
        level += 1
    return level


def _solve_pinned(qt: sparse.csr_matrix, pin: int) -> np.ndarray:
    """π with Q^T π = 0, Σπ = 1, solved with π[pin] fixed (its equation dropped).

    Normalised by the sum, not clipped: when π[pin] is tiny the solve's scale is
    huge, but the direction it finds is still the right one.
    """
    keep = np.delete(np.arange(qt.shape[0]), pin)
    rhs = -qt[keep][:, [pin]].toarray().ravel()
    x = np.atleast_1d(linalg.spsolve(qt[keep][:, keep].tocsc(), rhs))
    pi = np.insert(x, pin, 1.0)
    return pi / pi.sum()


def _stationary_vector(qt: sparse.csr_matrix, guess: int) -> np.ndarray:
    """The stationary vector, pinned at its own most likely state (for accuracy),
    checked by its residual ``|Q^T π|`` against the rates."""
    pin, pi = guess, _solve_pinned(qt, guess)
    for _ in range(3):
        best = int(np.argmax(pi))
        if best == pin:
            break
        pin, pi = best, _solve_pinned(qt, best)
    scale = float(np.abs(qt.diagonal()).max())
    residual = float(np.abs(qt @ pi).max())
    if not (residual <= 1e-10 * scale and pi.min() >= -1e-12):
        raise ParameterError(
            f"the (callers, orbit) chain could not be solved accurately (residual "
            f"{residual:.2g} against rates up to {scale:.3g}); estimate the system by "
            "an event simulation with redials instead."
        )
    pi = np.clip(pi, 0.0, None)
    return pi / pi.sum()
