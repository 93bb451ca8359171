"""The Erlang A (M/M/c+M, Palm) queue: impatient customers who abandon."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from crmkit._frozen import set_fields
from crmkit._validate import check_count
from crmkit.errors import ParameterError
from crmkit.queues._base import (
    LOAD_METRICS,
    MAX_SERVERS,
    WAIT_METRICS,
    WaitingModel,
    check_grid,
    check_rate,
)
from crmkit.queues._distributions import Exponential, PoissonArrivals
from crmkit.queues._markovian import MMc
from crmkit.queues._special import (
    log_erlang_b,
    log_poisson_pmf,
    log_poisson_pmf_scalar,
    log_power_over_factorial,
)

__all__ = ["ErlangA", "erlang_queue"]

_MAX_TERMS = 5_000_000


class AbandonmentPhases(WaitingModel):
    """The wait of a customer who finds ``k`` others waiting, with exponential patience.

    Shared by :class:`ErlangA` and :class:`~crmkit.queues.ErlangX`: while all ``c``
    servers are busy, the line ahead of a waiting customer moves at rate
    ``θ(x + j)`` when ``j`` are ahead (``x = cμ/θ``), whatever happens behind it or
    before it arrived. A subclass supplies ``_queue_weights`` ``(k, w_k, ·)`` (the
    number already waiting that an arrival who must wait finds, and its probability),
    ``prob_wait``, ``_x`` and ``abandonment_rate``; the formulas are in the Notes of
    :class:`ErlangA`.
    """

    def _grid(
        self, tt: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        k, w, _ = self._queue_weights
        check_grid("t", tt.size, k.size)
        with np.errstate(over="ignore"):  # θt = inf for a huge t: q = 0, as it should
            theta_t = self.abandonment_rate * tt.reshape(-1, 1)
        q = np.exp(-theta_t)
        one_minus_q = -np.expm1(-theta_t)
        return k, w, np.broadcast_to(q, (q.shape[0], k.size)), one_minus_q

    def _offered_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(V > t | all servers busy), V the offered wait."""
        k, w, q, _ = self._grid(t)
        return (special.betainc(self._x, k + 1.0, q) @ w).reshape(t.shape)

    def offered_service_level(self, t: ArrayLike) -> float | np.ndarray:
        """P(V ≤ t): the wait an infinitely patient customer would have."""
        return self._at_times(t, self._offered_service_level)

    def _offered_service_level(self, t: np.ndarray) -> np.ndarray:
        return np.clip(1.0 - self.prob_wait * self._offered_exceeds(t), 0.0, 1.0)

    def _service_level(self, t: np.ndarray) -> np.ndarray:
        """P(served and waited ≤ t) over all arrivals; abandoners count as failures."""
        k, w, _, one_minus_q = self._grid(t)
        x = self._x
        p = np.broadcast_to(one_minus_q, (one_minus_q.shape[0], k.size))
        served_within = special.betainc(k + 1.0, x + 1.0, p) @ (w * x / (x + k + 1.0))
        out = 1.0 - self.prob_wait + self.prob_wait * served_within.reshape(t.shape)
        return np.clip(out, 0.0, 1.0)  # rounding must not leave [0, 1]

    def _prob_wait_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(actual wait > t) = P(V > t) e^{-θt} (still waiting at t)."""
        exceed = self._offered_exceeds(t)
        with np.errstate(over="ignore"):
            out = self.prob_wait * exceed * np.exp(-self.abandonment_rate * t)
        return np.clip(out, 0.0, 1.0)


@dataclass(frozen=True)
class ErlangA(AbandonmentPhases):
    """Erlang A: M/M/c with exponential patience (mean ``1/abandonment_rate``).

    A waiting customer abandons when its patience runs out before service starts; the
    queue is stable at any load. Served customers' waits and abandoners' times in queue
    both count in ``mean_wait`` (the time until service or abandonment, over all
    arrivals). ``service_level(t)`` is P(served and waited ≤ t) over all arrivals
    (abandoners count as failures); ``prob_wait_exceeds(t)`` is P(actual wait > t) =
    P(V > t) e^{-θt}, V the offered wait of :meth:`offered_service_level`.

    Parameters
    ----------
    arrival_rate, service_rate : float
        λ and μ per the same time unit (each in [1e-100, 1e100]).
    servers : int
        c, 1 to 10**8.
    abandonment_rate : float
        θ = 1 / mean patience, in the same time unit (in [1e-100, 1e100]). The queue
        length must fit a window of 5·10**6 states (a very small θ in an overloaded
        system is refused), and a service-level call evaluates at most 2·10**7 times ×
        states.

    Notes
    -----
    With ``x = cμ/θ`` and ``y = λ/θ``, the stationary probabilities are ``π_n ∝ a^n/n!``
    for ``n ≤ c`` and ``π_{c+k} = π_c y^k / Π_{j=1..k}(x + j)``. The conditional queue
    length given ``N ≥ c`` is therefore ``w_k ∝ e^{-y} y^{x+k} / Γ(x+k+1)``, a Poisson
    pmf at real argument, summed here in logs over the window that holds all its mass.
    The offered wait V of an arrival that finds ``k`` waiting is a sum of exponentials
    with rates ``θ(x + j)``, j = 0..k, i.e. the (k+1)-th order statistic of ``x + k``
    exponential(θ) clocks, so ``P(V ≤ t) = I_{1-e^{-θt}}(k+1, x)`` (regularised
    incomplete beta). Tilting by the patience gives
    ``P(V ≤ t, V ≤ τ) = x/(x+k+1) · I_{1-e^{-θt}}(k+1, x+1)``. ``P(abandon) = θ Lq/λ``.

    References
    ----------
    C. Palm (1943), "Intensitätsschwankungen im Fernsprechverkehr", *Ericsson Technics*
    44. O. Garnett, A. Mandelbaum and M. Reiman (2002), "Designing a call center with
    impatient customers", *Manufacturing & Service Operations Management* 4(3):208–227.
    A. Mandelbaum and S. Zeltyn (2007), "Service engineering in action: the
    Palm/Erlang-A queue, with applications to call centers", in *Advances in Services
    Innovations*, Springer, pp. 17–45.

    Examples
    --------
    >>> m = ErlangA(arrival_rate=10, service_rate=1, servers=10, abandonment_rate=0.5)
    >>> round(m.prob_abandon, 6), round(m.service_level(0.1), 6)
    (0.103913, 0.480885)
    """

    arrival_rate: float
    service_rate: float
    servers: int
    abandonment_rate: float

    METRICS: ClassVar[tuple[str, ...]] = (
        *LOAD_METRICS,
        "prob_empty",
        "prob_wait",
        "prob_abandon",
        *WAIT_METRICS,
    )

    def __post_init__(self) -> None:
        lam = check_rate("arrival_rate", self.arrival_rate)
        mu = check_rate("service_rate", self.service_rate)
        theta = check_rate("abandonment_rate", self.abandonment_rate)
        c = check_count("servers", self.servers, minimum=1, maximum=MAX_SERVERS)
        set_fields(
            self, arrival_rate=lam, service_rate=mu, abandonment_rate=theta, servers=c
        )
        _ = self._queue_weights  # size check now, so a bad model fails at construction

    @property
    def mean_patience(self) -> float:
        """1/θ."""
        return 1.0 / self.abandonment_rate

    @property
    def _x(self) -> float:
        return self.servers * self.service_rate / self.abandonment_rate

    @property
    def _y(self) -> float:
        return self.arrival_rate / self.abandonment_rate

    @cached_property
    def _queue_weights(self) -> tuple[np.ndarray, np.ndarray, float]:
        """(k, w_k, log Σ_k t_k) over the window holding the queue-length mass.

        ``t_k = y^k / Π_{j≤k}(x + j)`` (so ``t_0 = 1``) and ``w_k = t_k / Σ t``. When
        the window starts at k = 0 the ``log t_k`` are cumulative sums of
        ``log(y/(x+j))``, accurate at any size; when the system is so overloaded that
        the window starts later, ``Σ t`` is huge and enters the metrics only through
        terms it dwarfs.
        """
        x, y = self._x, self._y
        spread = 40.0 * math.sqrt(max(y, 1.0)) + 40.0
        if y > x:
            lo = max(0, math.floor(y - x - spread))
            hi = math.ceil(y - x + spread)
        else:
            lo = 0
            # log(x/y) as log1p((x - y)/y): never 0 when x > y, even if x/y rounds to 1
            hi = spread if y == x else min(spread, 45.0 / math.log1p((x - y) / y))
            hi = math.ceil(hi) + 1
        if hi - lo > _MAX_TERMS:
            raise ParameterError(
                f"abandonment_rate = {self.abandonment_rate:g} is so small against the "
                f"arrival rate in this overloaded system that the queue holds about "
                f"{y - x:.3g} customers (more than the {_MAX_TERMS:,} states "
                "computed); use MMc if customers are patient, or pass a larger "
                "abandonment_rate."
            )
        k = np.arange(lo, hi + 1, dtype=float)
        if lo == 0:
            steps = -np.log1p((x + k[1:] - y) / y)  # log(y / (x + j)), j = 1..hi
            logt = np.concatenate(([0.0], np.cumsum(steps)))
        else:
            logt = log_poisson_pmf(x + k, y) - log_poisson_pmf_scalar(x, y)
        log_sum = float(special.logsumexp(logt))
        w = np.exp(logt - log_sum)
        keep = w > 1e-20 * w.max()
        return k[keep], w[keep] / w[keep].sum(), log_sum

    @cached_property
    def _log_prob_wait_and_pi_c(self) -> tuple[float, float]:
        c, a = self.servers, self.offered_load
        _, _, log_a_series = self._queue_weights  # log Σ t_k
        lb = log_erlang_b(c, a)
        log_inv_b_minus_1 = math.log(-math.expm1(lb)) - lb if lb < 0 else -math.inf
        log_denom = float(np.logaddexp(log_inv_b_minus_1, log_a_series))
        return log_a_series - log_denom, -log_denom

    @property
    def prob_wait(self) -> float:
        """P(an arrival finds all servers busy) = P(N ≥ c)."""
        return math.exp(self._log_prob_wait_and_pi_c[0])

    @property
    def prob_empty(self) -> float:
        """π₀."""
        c, a = self.servers, self.offered_load
        log_pi_c = self._log_prob_wait_and_pi_c[1]
        return math.exp(log_pi_c - log_power_over_factorial(float(c), a))

    @property
    def mean_queue_length(self) -> float:
        """Lq = E[(N - c)⁺]."""
        k, w, _ = self._queue_weights
        return self.prob_wait * float(k @ w)

    @property
    def prob_abandon(self) -> float:
        """P(an arrival abandons) = θ Lq / λ."""
        return min(self.mean_queue_length / self._y, 1.0)

    @property
    def mean_wait(self) -> float:
        """Mean time in queue (until service or abandonment) over all arrivals, Lq/λ."""
        return self.mean_queue_length / self.arrival_rate

    @cached_property
    def _busy(self) -> float:
        """Mean busy servers, a (1 - P(abandon))."""
        c, a = self.servers, self.offered_load
        if a <= 4.0 * c:
            return a * (1.0 - self.prob_abandon)
        # Heavily overloaded: 1 - P(abandon) would cancel (it can be far below the
        # ulp of 1), so count idle servers instead: Σ_{n<c} (c - n) π_n =
        # π_c Σ_{j=1..c} j c!/((c - j)! a^j), whose terms shrink by at least 1/2.
        j = np.arange(1.0, min(c, 200) + 1.0)
        log_terms = np.log(j) + np.cumsum(np.log((c - j + 1.0) / a))
        log_idle = self._log_prob_wait_and_pi_c[1] + float(special.logsumexp(log_terms))
        return c - math.exp(log_idle)

    @property
    def occupancy(self) -> float:
        """Mean busy servers / servers = a (1 - P(abandon)) / c."""
        return self._busy / self.servers

    @property
    def mean_number_in_system(self) -> float:
        """L = busy servers + Lq."""
        return self._busy + self.mean_queue_length

    @property
    def mean_time_in_system(self) -> float:
        """W = L / λ over all arrivals (abandoners stay only until they leave)."""
        return self.mean_number_in_system / self.arrival_rate

    def _simulation_spec(self) -> dict[str, Any]:
        return {
            "arrivals": PoissonArrivals(self.arrival_rate),
            "service": Exponential(self.service_rate),
            "servers": self.servers,
            "patience": Exponential(self.abandonment_rate),
        }


def erlang_queue(
    arrival_rate: float,
    service_rate: float,
    servers: int,
    abandonment_rate: float | None = None,
) -> MMc | ErlangA:
    """The M/M/c queue (Erlang C) of patient callers, or Erlang A when they abandon.

    The one place where staffing, the cost–benefit studies and the queue explorer
    choose between the two models.

    Parameters
    ----------
    arrival_rate, service_rate, servers
        λ, μ and c, as for :class:`~crmkit.queues.MMc` and :class:`ErlangA`.
    abandonment_rate : float, optional
        θ = 1 / mean patience, in the time unit of the rates. None (the default):
        callers never abandon, and the queue is :class:`~crmkit.queues.MMc`, which needs
        more than λ/μ servers; otherwise :class:`ErlangA`.

    Returns
    -------
    MMc or ErlangA
        The checked model.

    Examples
    --------
    >>> erlang_queue(10, 1, 11)
    MMc(arrival_rate=10.0, service_rate=1.0, servers=11)
    >>> round(erlang_queue(10, 1, 10, abandonment_rate=0.5).prob_abandon, 6)
    0.103913
    """
    if abandonment_rate is None:
        return MMc(arrival_rate, service_rate, servers)
    return ErlangA(arrival_rate, service_rate, servers, abandonment_rate)
