"""The M/D/1 queue: Poisson arrivals, constant service times, one server.

The worked example of adding a model to :mod:`crmkit.queues` (see ARCHITECTURE.md,
"How to add a queue model"): :class:`MD1` supplies its fields, ``mean_wait`` and the
waiting-time formula ``_prob_wait_exceeds`` / ``_service_level``; the template
:class:`~crmkit.queues._base.WaitingModel` gives the load metrics, Little's law, the
checked public methods and the summary.

The waiting-time distribution is exact. With u = t/D the time in service times,
Erlang's formula ``P(W ≤ t) = (1-ρ) Σ_{k=0}^{⌊u⌋} (ρ(k-u))^k / k! · e^{-ρ(k-u)}``
alternates in sign and loses about 0.56·u decimal digits, so it is used only for
u < 3 (at most three terms, at most two digits lost). Elsewhere one of two positive
or rapidly convergent forms of the same distribution is summed, each with a proven
bound on the part left out:

- the complementary series ``P(W > t) = (1-ρ) Σ_{k>u} p_k``, with ``p_k`` the
  Poisson(ρ(k-u)) probability of k: Erlang's sum completed by the identity
  ``(1-ρ) Σ_{k≥0} p_k = 1``; all its terms are positive, the ratio of consecutive
  terms is below ``r_k = ρ exp(k/(k-u) - ρ)``, so the rest after term K is at most
  ``p_K r_K/(1 - r_K)``;
- the residue (spectral) series of the Pollaczek–Khinchine transform
  ``W*(s) = (1-ρ)s / (s - λ + λe^{-sD})``: its poles are ``z/D`` with
  ``z = ρ + W_k(-ρe^{-ρ})`` (Lambert W, every branch k), so
  ``P(W > t) = Σ_z -(1-ρ)/(1-ρ+z) · e^{zu}``; the real root gives the dominant
  exponential tail, and a pair of complex roots with imaginary part in
  ``(2jπ, (2j+1)π)`` adds at most ``2(1-ρ)/(2πj) · (ρ/|w_j|)^u`` (as
  ``|e^{zu}| = (ρ/|w|)^u``), which bounds the pairs left out.

References
----------
A. K. Erlang (1909), "The theory of probabilities and telephone conversations", *Nyt
Tidsskrift for Matematik B* 20:33–39 (the M/D/1 waiting-time formula). C. D.
Crommelin (1932), "Delay probability formulae when the holding times are constant",
*Post Office Electrical Engineers' Journal* 25:41–50. G. J. Franx (2001), "A simple
solution for the M/D/c waiting time distribution", *Operations Research Letters*
29(5):221–229. A. J. E. M. Janssen and J. S. H. van Leeuwaarden (2008), "Back to the
roots of the M/D/s queue and the works of Erlang, Crommelin and Pollaczek", *Statistica
Neerlandica* 62(3):299–313 (the roots of M/D/s by Lambert W). R. M. Corless, G. H.
Gonnet, D. E. G. Hare, D. J. Jeffrey and D. E. Knuth (1996), "On the Lambert W
function", *Advances in Computational Mathematics* 5:329–359.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
from scipy import optimize, special

from crmkit._frozen import set_fields
from crmkit.errors import ParameterError
from crmkit.queues._base import (
    MAX_GRID,
    QUEUE_METRICS,
    check_grid,
    check_rate,
    unstable_error,
)
from crmkit.queues._distributions import Deterministic, PoissonArrivals
from crmkit.queues._general import OneServerPoisson, pollaczek_khinchine_wait
from crmkit.queues._special import log_poisson_pmf

__all__ = ["MD1"]

#: below this many service times Erlang's alternating sum (at most 4 terms) is used
_ERLANG_BELOW = 4.0
#: the spectral series is used when this many root pairs reach the accuracy
_MAX_PAIRS = 4096
#: parts left out are below this share of the result (2^-54)
_TOL = 2.0**-54
_LOG_TOL = math.log(_TOL)


@dataclass(frozen=True)
class MD1(OneServerPoisson):
    """The M/D/1 queue: Poisson arrivals, every service exactly ``D = 1/μ`` long.

    A worked example of a queue with an exact, non-exponential waiting-time
    distribution (Erlang 1909). All rates are per the same time unit (per minute,
    say); every time is returned in that unit.

    Parameters
    ----------
    arrival_rate : float
        λ, arrivals per time unit (in [1e-100, 1e100]).
    service_rate : float
        μ = 1/D, the services per time unit of the server (in [1e-100, 1e100]); every
        service lasts exactly D.

    Raises
    ------
    UnstableQueueError
        If ρ = λ/μ ≥ 1.
    ParameterError
        If an argument is not a number in its range, or (never seen in practice) a
        waiting-time probability would need more than the work limit to be summed to
        full accuracy.

    Notes
    -----
    Mean values by the Pollaczek–Khinchine formula with SCV 0:
    ``Wq = ρD / (2(1-ρ))``, ``P(wait > 0) = ρ``, ``P(empty) = 1 - ρ``; ``W``, ``Lq``
    and ``L`` by Little's law. The means equal those of ``MG1(λ, D,
    service_scv=0)``; unlike MG1, MD1 also gives the exact waiting-time
    distribution, ``service_level(t)`` = P(W ≤ t) and ``prob_wait_exceeds(t)`` =
    P(W > t), each with a relative error of about 1e-13 or less (the methods and
    their error bounds are described in :mod:`crmkit.queues._md1`).

    References
    ----------
    A. K. Erlang (1909), "The theory of probabilities and telephone conversations",
    *Nyt Tidsskrift for Matematik B* 20:33–39. C. D. Crommelin (1932), "Delay
    probability formulae when the holding times are constant", *Post Office
    Electrical Engineers' Journal* 25:41–50. G. J. Franx (2001), "A simple solution
    for the M/D/c waiting time distribution", *Operations Research Letters*
    29(5):221–229. A. J. E. M. Janssen and J. S. H. van Leeuwaarden (2008), "Back to
    the roots of the M/D/s queue and the works of Erlang, Crommelin and Pollaczek",
    *Statistica Neerlandica* 62(3):299–313. D. Gross, J. F. Shortle, J. M. Thompson
    and C. M. Harris (2008), *Fundamentals of Queueing Theory*, 4th ed., Wiley,
    §5.1.1 (the Pollaczek–Khinchine formula, eq. 5.11).

    Examples
    --------
    >>> m = MD1(arrival_rate=0.9, service_rate=1.0)   # per minute: D = 1 minute
    >>> m.mean_wait                                   # half the M/M/1 wait (9.0)
    4.5
    >>> round(m.service_level(0.5), 6)                # (1 - ρ) e^{ρ t} for t < D
    0.156831
    >>> round(m.prob_wait_exceeds(10.0), 6)         # P(wait > 10 service times)
    0.117597
    """

    arrival_rate: float
    service_rate: float

    METRICS: ClassVar[tuple[str, ...]] = QUEUE_METRICS

    def __post_init__(self) -> None:
        lam = check_rate("arrival_rate", self.arrival_rate)
        mu = check_rate("service_rate", self.service_rate)
        set_fields(self, arrival_rate=lam, service_rate=mu)
        if lam / mu >= 1.0:
            raise unstable_error(lam / mu, lam, mu)

    @property
    def service_time(self) -> float:
        """D = 1/μ, the length of every service."""
        return 1.0 / self.service_rate

    @property
    def mean_wait(self) -> float:
        """Wq = ρD / (2(1 - ρ)), the Pollaczek–Khinchine mean with SCV 0."""
        return pollaczek_khinchine_wait(self.utilization, self.service_time, 0.0)

    def _service_level(self, t: np.ndarray) -> np.ndarray:
        """P(W ≤ t): Erlang's sum below 4 service times, 1 - P(W > t) above."""
        u = self._in_service_times(t)
        out = np.empty(t.shape)
        near = u < _ERLANG_BELOW
        out[near] = _erlang_sum(self.utilization, u[near])
        out[~near] = 1.0 - self._tail(u[~near])
        return np.clip(out, 0.0, 1.0)  # rounding must not leave [0, 1]

    def _prob_wait_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(W > t), summed in a form without cancellation."""
        u = self._in_service_times(t)
        out = np.empty(t.shape)
        rho = self.utilization
        erlang = (u < _ERLANG_BELOW) & (rho > _SERIES_UP_TO)
        out[erlang] = 1.0 - _erlang_sum(rho, u[erlang])
        out[~erlang] = self._tail(u[~erlang])
        return np.clip(out, 0.0, 1.0)

    def _in_service_times(self, t: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):  # u = inf: the tail is 0, as it should
            return self.service_rate * t

    def _tail(self, u: np.ndarray) -> np.ndarray:
        """P(W > uD) by the spectral series where it converges fast, by the
        complementary Poisson series elsewhere (0 where it underflows)."""
        roots = self._roots
        flat = u.ravel()
        pairs = np.array([roots.pairs_needed(float(x)) for x in flat], dtype=int)
        out = np.zeros(flat.size)
        spectral = (pairs > 0) & (pairs <= _MAX_PAIRS)
        if spectral.any():
            out[spectral] = roots.tail(flat[spectral], int(pairs[spectral].max()))
        for i in np.flatnonzero(pairs > _MAX_PAIRS):
            out[i] = _poisson_tail(self.utilization, float(flat[i]))
        return out.reshape(u.shape)

    @cached_property
    def _roots(self) -> _Roots:
        return _Roots(self.utilization)

    def _simulation_spec(self) -> dict[str, Any]:
        return {
            "arrivals": PoissonArrivals(self.arrival_rate),
            "service": Deterministic(self.service_time),
            "servers": 1,
        }


#: the complementary Poisson series is used up to this load (it needs about
#: 40/(−ln ρ − 1 + ρ) terms: 7,500 at ρ = 0.9)
_SERIES_UP_TO = 0.9


def _erlang_sum(rho: float, u: np.ndarray) -> np.ndarray:
    """Erlang's formula for u = t/D < 4: (1-ρ) Σ_{k≤u} (ρ(k-u))^k/k! e^{ρ(u-k)}.

    At most four terms, their sum below 150, so at most about two digits cancel.
    """
    total = np.exp(rho * u)
    for k in range(1, math.ceil(_ERLANG_BELOW)):
        x = rho * (u - k)
        term = np.where(u >= k, (-x) ** k / math.factorial(k) * np.exp(x), 0.0)
        total = total + term
    return (1.0 - rho) * total


def _poisson_tail(rho: float, u: float) -> float:
    """P(W > uD) = (1-ρ) Σ_{k>u} Poisson(k; ρ(k-u)), summed until the rest is below
    2^-54 of the sum.

    The ratio of term k+1 to term k is at most r_k = ρ exp(k/(k-u) - ρ), which falls
    with k, so once r_K < 1 the terms after K add at most p_K r_K/(1 - r_K).
    """
    first = math.floor(u) + 1
    log_total = -math.inf
    block = 256
    done = 0
    while True:
        k = np.arange(first + done, first + done + block, dtype=float)
        log_p = log_poisson_pmf(k, rho * (k - u))
        log_total = float(np.logaddexp(log_total, special.logsumexp(log_p)))
        done += block
        last = float(k[-1])
        log_r = math.log(rho) + last / (last - u) - rho
        if log_r < 0.0:
            log_rest = float(log_p[-1]) + log_r - math.log(-math.expm1(log_r))
            if log_rest - log_total <= _LOG_TOL:
                return (1.0 - rho) * math.exp(log_total)
        if done > MAX_GRID:
            raise ParameterError(
                f"t = {u:g} service times at ρ = {rho:g}: the M/D/1 waiting-time "
                f"series would need more than {MAX_GRID:,} terms to be accurate; "
                "pass a smaller t, or use crmkit.queues.simulate."
            )
        block *= 2


def _real_root(rho: float) -> float:
    """v > 0 with ρ(e^v - 1)/v = 1, i.e. the real root z = -v of z = ρ(1 - e^{-z}).

    Solved as ρ h(v) = 1 - ρ with h(v) = (e^v - 1)/v - 1 = Σ_{k≥1} v^k/(k+1)!, so
    that v keeps full relative accuracy as ρ → 1 (where v ≈ 2(1 - ρ)).
    """

    def h(v: float) -> float:
        if v < 0.5:
            return sum(v**k / math.factorial(k + 1) for k in range(1, 22))
        return float(special.exprel(v)) - 1.0

    delta = 1.0 - rho
    return float(
        optimize.brentq(
            lambda v: rho * h(v) - delta, 1e-300, 720.0, xtol=1e-300, rtol=1e-15
        )
    )


class _Roots:
    """The roots of z = ρ(1 - e^{-z}) other than 0, and the residue series of the
    M/D/1 waiting-time tail over them."""

    def __init__(self, rho: float) -> None:
        self.rho = rho
        self.v = _real_root(rho)  # z = -v
        # the coefficient -(1-ρ)/(1-ρ+z) of the real root, positive
        self.log_c = math.log(1.0 - rho) - math.log(self.v - (1.0 - rho))
        self.log_x = math.log(rho) - rho  # log |x|, x = -ρ e^{-ρ}
        self._complex = np.empty(0, dtype=complex)

    def pairs_needed(self, u: float) -> int:
        """The fewest pairs of complex roots after which the rest is below 2^-54 of
        the real root's term (``_MAX_PAIRS + 1`` if more are needed, 0 if the tail
        underflows)."""
        log_main = self.log_c - self.v * u
        if log_main < -760.0:  # e^{zu} underflows for every root: the tail is 0
            return 0
        if u < 1.0:
            return _MAX_PAIRS + 1
        pairs = 16
        while pairs <= _MAX_PAIRS:
            if self._log_rest(u, pairs) - log_main <= _LOG_TOL:
                return pairs
            pairs *= 2
        return _MAX_PAIRS + 1

    def _log_rest(self, u: float, pairs: int) -> float:
        """log of a bound on the terms of the pairs after ``pairs``.

        Pair j adds at most 2(1-ρ)/(2πj) · (ρ/|w_j|)^u, and |w_j| ≥ 2πj as well as
        |w_j| ≥ R_J = √((2πJ)² + log(2πJ/|x|)²) for j > J (since -Re w = log(|w|/|x|)).
        Summing with Σ_{j>J} j^{-u-1} ≤ J^{-u}/u, or with (ρ/|w_j|)^u ≤ (ρ/R_J)^{u-1}
        ρ/(2πj) and Σ_{j>J} j^{-2} ≤ 1/J, gives two bounds; the smaller is used.
        """
        rho = self.rho
        two_pi_j = 2.0 * math.pi * pairs
        log_a = math.log(2.0 * (1.0 - rho) / (2.0 * math.pi * u)) + u * (
            math.log(rho) - math.log(two_pi_j)
        )
        radius = math.hypot(two_pi_j, math.log(two_pi_j) - self.log_x)
        log_b = math.log(2.0 * (1.0 - rho) * rho / (4.0 * math.pi**2 * pairs)) + (
            u - 1.0
        ) * (math.log(rho) - math.log(radius))
        return min(log_a, log_b)

    def complex_roots(self, pairs: int) -> np.ndarray:
        """z_j = ρ + W_j(-ρe^{-ρ}), j = 1..pairs (one of each conjugate pair),
        polished by a Newton step on z - ρ + ρe^{-z} = 0."""
        if self._complex.size < pairs:
            rho = self.rho
            w = special.lambertw(-rho * math.exp(-rho), np.arange(1, pairs + 1))
            z = rho + w
            e = rho * np.exp(-z)
            self._complex = z - (z - rho + e) / (1.0 - e)
        return self._complex[:pairs]

    def tail(self, u: np.ndarray, pairs: int) -> np.ndarray:
        """Σ over the roots of -(1-ρ)/(1-ρ+z) e^{zu}: the real root and ``pairs``
        conjugate pairs."""
        check_grid("t", u.size, pairs)
        with np.errstate(under="ignore"):
            out = np.exp(self.log_c - self.v * u)
            if pairs:
                z = self.complex_roots(pairs)
                coef = -(1.0 - self.rho) / (1.0 - self.rho + z)
                terms = coef * np.exp(np.outer(u, z))
                out = out + 2.0 * terms.real.sum(axis=1)
        return np.clip(out, 0.0, 1.0)
