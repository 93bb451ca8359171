"""Callbacks (virtual hold): delayed callers may take a callback instead of waiting.

Inbound calls arrive as a Poisson process (rate λ) at ``c`` agents. An arrival who
finds every agent busy and at least ``threshold`` callers already waiting in the
inbound line is *offered* a callback and takes it with probability ``p``
(``accept_prob``); otherwise it waits in the first-come-first-served inbound line,
where it abandons after an exponential patience (rate θ, 0 for none). Accepted
callbacks wait in their own line, never abandon, and are served (an outbound call of
exponential length, rate μ_cb) with non-preemptive low priority: an agent who frees
takes the first waiting inbound call if there is one; otherwise it starts the first
callback, in mode ``"idle_only"`` only if more than ``reserve`` agents would then be
idle (agents kept free for inbound calls).

The offer rule and the predicted wait
-------------------------------------
A caller who finds all agents busy and ``k`` others waiting would, in the M/M/c queue
that ignores abandonment and callbacks, wait on average ``(k + 1)/(cμ)`` (the
queue-length-based delay estimate of Whitt 1999). "Offer when the predicted wait
exceeds ``w`` minutes" is therefore "offer when ``(k + 1)/(cμ) > w``", i.e. when
``k ≥ ⌊w c μ⌋``: the rule above with ``threshold = ⌊w c μ⌋``
(:meth:`Callbacks.from_wait_threshold`).

The chain
---------
The state is ``(x, y, q)``: ``x`` inbound calls in the system (talking or waiting),
``y`` agents on callbacks, ``q`` callbacks waiting. ``min(x, c - y)`` agents talk to
inbound callers, ``w = (x + y - c)⁺`` inbound callers wait, and ``q > 0`` only when at
most ``reserve`` agents are idle (``c - x - y ≤ r``; ``r = 0`` in mode
``"low_priority"``, so waiting callbacks mean that every agent is busy). Out of a
state: an arrival (λ) joins the line, or with probability p, if offered, the callback
line; an inbound completion (``μ min(x, c - y)``) lowers x and, if no inbound call
waits, its agent starts the next callback when the rule allows (``y + 1``,
``q - 1``); a callback completion (``μ_cb y``) hands its agent to the inbound line
(``y - 1``) or to the next callback (``q - 1``); a waiting caller abandons (``θw``).

The callback line: a quasi-birth–death process, solved exactly
----------------------------------------------------------------
Above level ``q = 0`` the transitions no longer depend on q: the levels q ≥ 1 share
the phases ``(x, y)`` and the blocks ``A0`` (a caller takes a callback, q + 1),
``A1`` (moves within the level) and ``A2`` (a callback starts, q - 1). So
``π_{q+1} = π_q R`` for q ≥ 1, with R the minimal nonnegative solution of
``A0 + R A1 + R² A2 = 0``, computed by logarithmic reduction (Latouche and Ramaswami
1993); the levels 0 and 1 are solved by one sparse LU factorisation
(:func:`scipy.sparse.linalg.spsolve`) with the excursions above level 1 censored
(``A1 + R A2``), and the sums over the infinitely many levels are closed-form
(``Σ_{q≥1} π_q = π_1 (I - R)^{-1}``, ``Σ q π_q = π_1 (I - R)^{-2}``). The callback
line is stable iff ``φ A0 1 < φ A2 1``, φ the stationary law of ``A0 + A1 + A2``
(Neuts 1981, ch. 3): callers take callbacks more slowly than the agents,
with the line never empty, start them. Otherwise :class:`Callbacks` raises
:class:`~crmkit.errors.UnstableQueueError`. Nothing is truncated in q.

The inbound line: truncated with a proven bound
-----------------------------------------------
``V = x + y`` rises only when an inbound caller joins the line (a callback start moves
an agent from idle to busy and leaves V as it is), at rate λ while fewer than
``c + threshold`` are in, ``λ(1 - p)`` beyond; above ``c`` every agent is busy and V
falls at rate at least ``c m + θ(V - c)``, ``m = min(μ, μ_cb)``. By coupling, V is
stochastically below the birth–death chain on ``{c, c + 1, …}`` with those rates,
whose tail is summed exactly (its ratios never increase, which bounds the part
beyond the levels summed). Also, everyone in the system, ``N = x + y + q``, rises at
rate λ and, when ``N > c``, falls at rate at least ``(c - r) m`` (an inbound caller
or a callback waits, so at most ``r`` agents are idle); when ``λ < (c - r) m``, N is
below an M/M/1 queue above c and ``P(N > c + j) ≤ (λ/((c - r)m))^{j+1}``. V is cut at
the lower of the two levels X where these tails fall below :data:`TOLERANCE` =
1e-14 (:attr:`Callbacks.inbound_level`); an arrival that would take V beyond X is
left out. A bound exists when θ > 0, or p = 1, or ``λ(1 - p) < c m``, or
``λ < (c - r) m``; otherwise (θ = 0 and callbacks slower than inbound calls)
:class:`Callbacks` refuses. Chains of more than :data:`MAX_CALLBACK_STATES` states, or
:data:`MAX_PHASES` phases per level (R is dense), are refused before they are built.

The inbound wait
----------------
A waiting inbound caller's future depends only on ``(k, y)``, the callers ahead of it
and the agents on callbacks: while it waits no callback starts, each inbound
completion (``μ(c - y)``) or abandonment ahead (``θk``) moves it up one place, and a
callback completion (``μ_cb y``) does too, freeing an agent for the line (``y - 1``);
from ``k = 0`` either serves it. Its own patience ends the wait at rate θ. The
distribution of the wait is this absorbing chain started from the states that the
callers who stay on the line find (PASTA, weighted by ``1 - p`` where they are
offered a callback), and is evaluated by
:func:`scipy.sparse.linalg.expm_multiply` (the tagged-customer method; Al-Mohy and
Higham 2011).

References
----------
B. Legros, O. Jouini and G. Koole (2016), "Optimal scheduling in call centers with a
callback option", *Performance Evaluation* 95:1–40: the Markov chain of a call
centre whose delayed callers are offered a callback and accept it with a
probability, and the reservation of agents for inbound calls (mode
``"idle_only"``). M. Armony and C. Maglaras (2004), "On customer contact centers
with a call-back option: customer decisions, routing rules, and system design",
*Operations Research* 52(2):271–292: the two channels, real-time and call-back,
and the customers' choice between them. N. Gans, G. Koole and A. Mandelbaum (2003),
"Telephone call centers: tutorial, review, and research prospects", *Manufacturing
& Service Operations Management* 5(2):79–141: the setting. W. Whitt (1999),
"Improving service by informing customers about anticipated delays", *Management
Science* 45(2):192–207: the delay estimate ``(k + 1)/(cμ)``. A. H. Al-Mohy and
N. J. Higham (2011), "Computing the action of the matrix exponential, with an
application to exponential integrators", *SIAM Journal on Scientific Computing*
33(2):488–511. G. Latouche and V. Ramaswami
(1993), "A logarithmic reduction algorithm for quasi-birth-death processes",
*Journal of Applied Probability* 30(3):650–674. M. F. Neuts (1981),
*Matrix-Geometric Solutions in Stochastic Models: An Algorithmic Approach*, Johns
Hopkins University Press, ch. 1 and 3 (the matrix R, the boundary equations and the
drift condition).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import linalg, sparse
from scipy.sparse import linalg as sparse_linalg

from crmkit._frozen import set_fields
from crmkit._validate import (
    check_choice,
    check_count,
    check_probability,
    check_work,
)
from crmkit.errors import ParameterError, UnstableQueueError
from crmkit.queues._base import (
    LOAD_METRICS,
    MAX_GRID,
    WAIT_METRICS,
    WaitingModel,
    check_rate,
    check_time_scale,
)
from crmkit.queues._contact import CallbackOffer
from crmkit.queues._distributions import Exponential, PoissonArrivals
from crmkit.queues._erlang_x import _solve_pinned

__all__ = ["MAX_CALLBACK_STATES", "MAX_PHASES", "TOLERANCE", "Callbacks"]

#: proven bound on the probability the truncation of the inbound line leaves out
#: (the callback line is not truncated)
TOLERANCE = 1e-14
#: most phases (x, y) of one callback level (a dense R of this size)
MAX_PHASES = 800
#: most logarithmic-reduction steps for R (each doubles the levels spanned)
_MAX_REDUCTIONS = 60
#: most states (x, y, q) of one solved chain
MAX_CALLBACK_STATES = 200_000
#: largest threshold (callers waiting) accepted; beyond it no offer is ever made
MAX_THRESHOLD = 10**9
#: most (tagged states × expm_multiply steps) one service-level call makes
_MAX_WAIT_WORK = 10 * MAX_GRID
#: waiting probability below which the tagged chain is taken as settled
_SETTLED = 1e-17
_MODES = ("low_priority", "idle_only")


def _solved(name: str, doc: str) -> property:
    """A read-only property giving the solved chain's value ``name``."""
    return property(lambda self: getattr(self._chain, name), doc=doc)


@dataclass(frozen=True)
class Callbacks(WaitingModel):
    """M/M/c with a callback offer to delayed callers, callbacks at low priority.

    An arrival who finds every agent busy and at least ``threshold`` callers waiting
    is offered a callback and takes it with probability ``accept_prob``; the others
    wait (and abandon at rate ``abandonment_rate``). Callbacks wait in their own line
    (they do not abandon) and are served only when no inbound call waits; in mode
    ``"idle_only"`` a callback starts only when more than ``reserve`` agents would
    then be idle. The chain, its truncation bounds and the wait's evaluation are
    described in :mod:`crmkit.queues._callbacks`.

    Parameters
    ----------
    arrival_rate, service_rate : float
        λ (inbound calls) and μ (inbound calls one agent completes) per minute, each
        in [1e-100, 1e100].
    servers : int
        c ≥ 1 agents.
    threshold : int
        Offer a callback to an arrival who finds all agents busy and at least this
        many waiting (0: every delayed caller), 0 to 10**9. This is the predicted
        wait ``(k + 1)/(cμ)`` above ``threshold/(cμ)`` minutes; see
        :meth:`from_wait_threshold`.
    accept_prob : float
        p in [0, 1], the share of offered callers who take the callback.
    abandonment_rate : float
        θ = 1 / mean patience of the inbound callers who wait (0: nobody abandons).
    callback_service_rate : float, optional
        μ_cb, callbacks one agent completes per minute (default μ).
    mode : {"low_priority", "idle_only"}
        ``"low_priority"``: an agent who frees with no inbound call waiting starts
        the next callback. ``"idle_only"``: only if more than ``reserve`` agents
        would then be idle (Legros, Jouini and Koole's reservation of agents for
        inbound calls).
    reserve : int, optional
        Agents kept idle for inbound calls in mode ``"idle_only"`` (default 1; 0 to
        ``servers - 1``; 0 is the same as ``"low_priority"``). Mode
        ``"low_priority"`` takes only None or 0.

    Raises
    ------
    UnstableQueueError
        When no abandonment relieves the load: θ = 0 and λ ≥ c·max(μ, μ_cb) (every
        call must be served), or θ = 0 and λ(1 - p) ≥ cμ (the inbound line alone).
        Also when the callback line is unstable (callers take callbacks faster than
        agents start them while callbacks wait; Neuts' drift condition).
    ParameterError
        An argument out of range; a chain of more than 200,000 states or 800
        phases per callback level; or no bound on the inbound line is known (θ = 0,
        μ_cb < μ, λ(1 - p) ≥ cμ_cb and λ ≥ (c - reserve)μ_cb).

    Notes
    -----
    Metrics of the inbound line are over the callers who stay on it (who were not
    offered a callback, or declined it): ``prob_wait`` (they find every agent busy),
    ``prob_abandon`` = θE[w]/λ_in, ``mean_wait`` = E[w]/λ_in (time in queue until
    service or abandonment), :meth:`service_level` (served and waited ≤ t;
    abandoners count as failures), :meth:`prob_wait_exceeds` (still waiting at t),
    :meth:`offered_service_level` (the wait of an infinitely patient caller), with
    ``λ_in = λ(1 - callback_share)``. ``prob_offered`` is the share of all arrivals
    offered a callback, ``callback_share`` = p·prob_offered the share who take one,
    ``callback_rate`` = λ·callback_share. ``mean_callback_delay`` is the mean time
    from the call to the start of the callback (the agent reaching the customer),
    E[q]/callback_rate by Little's law on the callback line; the callback ends
    ``1/μ_cb`` later on average. ``occupancy`` is the share of agent time busy on
    either kind. Conservation: ``λ = μE[min(x, c - y)] + θE[w] + callback_rate`` and
    ``callback_rate = μ_cb E[y]``. A larger ``accept_prob`` shortens the inbound
    line and lengthens the callback line, but need not lengthen the callback delay:
    with a shorter inbound line agents reach the callbacks sooner (with θ = 0 and
    μ_cb = μ the delay falls as ``accept_prob`` rises).

    References
    ----------
    M. Armony and C. Maglaras (2004), "On customer contact centers with a call-back
    option: customer decisions, routing rules, and system design", *Operations
    Research* 52(2):271–292. B. Legros, O. Jouini and G. Koole (2016), "Optimal
    scheduling in call centers with a callback option", *Performance Evaluation*
    95:1–40. N. Gans, G. Koole and A. Mandelbaum (2003), "Telephone call centers:
    tutorial, review, and research prospects", *Manufacturing & Service Operations
    Management* 5(2):79–141. W. Whitt (1999), "Improving service by informing
    customers about anticipated delays", *Management Science* 45(2):192–207.

    Examples
    --------
    >>> m = Callbacks(arrival_rate=3.4, service_rate=1, servers=4, threshold=1,
    ...               accept_prob=0.5, abandonment_rate=0.3)
    >>> round(m.callback_share, 6), round(m.mean_callback_delay, 4)   # minutes
    (0.168119, 2.7583)
    >>> round(m.mean_wait, 6), round(m.service_level(1 / 3), 6)
    (0.182342, 0.760269)
    """

    METRICS: ClassVar[tuple[str, ...]] = (
        *LOAD_METRICS,
        "prob_wait",
        "prob_abandon",
        "prob_offered",
        "callback_share",
        "callback_rate",
        *WAIT_METRICS,
        "mean_callback_queue",
        "mean_callback_delay",
    )

    arrival_rate: float
    service_rate: float
    servers: int
    threshold: int
    accept_prob: float
    abandonment_rate: float = 0.0
    callback_service_rate: float | None = None
    mode: str = "low_priority"
    reserve: int | None = None

    def __post_init__(self) -> None:
        c = check_count("servers", self.servers, minimum=1, maximum=MAX_CALLBACK_STATES)
        mu = check_rate("service_rate", self.service_rate)
        mode = check_choice("mode", self.mode, _MODES)
        set_fields(
            self,
            arrival_rate=check_rate("arrival_rate", self.arrival_rate),
            service_rate=mu,
            servers=c,
            threshold=check_count(
                "threshold", self.threshold, minimum=0, maximum=MAX_THRESHOLD
            ),
            accept_prob=check_probability("accept_prob", self.accept_prob),
            abandonment_rate=check_time_scale(
                "abandonment_rate", self.abandonment_rate
            ),
            callback_service_rate=(
                mu
                if self.callback_service_rate is None
                else check_rate("callback_service_rate", self.callback_service_rate)
            ),
            mode=mode,
            reserve=_checked_reserve(self.reserve, mode, c),
        )
        self._check_stable()
        _ = self._chain  # solve now, so a model that exists is a valid one

    @classmethod
    def from_wait_threshold(
        cls,
        arrival_rate: float,
        service_rate: float,
        servers: int,
        wait_threshold: float,
        accept_prob: float,
        **options: object,
    ) -> Callbacks:
        """Offer a callback when the predicted wait exceeds ``wait_threshold`` minutes.

        The predicted wait of a caller who finds all agents busy and ``k`` waiting is
        ``(k + 1)/(cμ)`` (Whitt 1999), above ``w`` exactly when ``k ≥ ⌊w c μ⌋``, so
        this is ``Callbacks(..., threshold=⌊wcμ⌋, ...)`` (a product within 1e-9 of a
        whole number is taken as that number; above 10**9 no offer is made).
        ``options`` are the other arguments of :class:`Callbacks`.

        Examples
        --------
        >>> m = Callbacks.from_wait_threshold(3.4, 1, 4, wait_threshold=0.5,
        ...                                   accept_prob=0.5, abandonment_rate=0.3)
        >>> m.threshold   # offered when at least 2 wait: (2 + 1)/4 > 0.5 minutes
        2
        """
        w = check_time_scale("wait_threshold", wait_threshold)
        c = check_count("servers", servers, minimum=1, maximum=MAX_CALLBACK_STATES)
        places = w * c * check_rate("service_rate", service_rate)
        if places >= MAX_THRESHOLD:
            threshold = MAX_THRESHOLD
        else:
            nearest = round(places)
            close = abs(places - nearest) <= 1e-9 * max(1.0, places)
            threshold = nearest if close else math.floor(places)
        return cls(
            arrival_rate,
            service_rate,
            c,
            threshold,
            accept_prob,
            **options,  # type: ignore[arg-type]
        )

    # ----- stability and truncation ------------------------------------------------

    @property
    def _rates(self) -> tuple[float, float, float, int, float, float, int]:
        """(λ, μ, μ_cb, c, p, θ, r)."""
        return (
            self.arrival_rate,
            self.service_rate,
            float(self.callback_service_rate),  # type: ignore[arg-type]
            self.servers,
            self.accept_prob,
            self.abandonment_rate,
            int(self.reserve),  # type: ignore[arg-type]
        )

    def _check_stable(self) -> None:
        lam, mu, mu_cb, c, p, theta, _ = self._rates
        if theta > 0:
            return
        if lam >= c * max(mu, mu_cb):
            raise UnstableQueueError(
                f"arrival_rate = {lam:g} ≥ servers × the faster service rate "
                f"({c} × {max(mu, mu_cb):g}): with abandonment_rate = 0 every call is "
                "served, inbound or by callback, and the queue grows without bound; "
                "raise servers, lower arrival_rate, or pass an abandonment_rate > 0."
            )
        if p < 1 and lam * (1.0 - p) >= c * mu:
            raise UnstableQueueError(
                f"arrival_rate = {lam:g} with accept_prob = {p:g}: the callers who "
                f"stay on the line, arrival_rate × (1 - accept_prob) = "
                f"{lam * (1.0 - p):g} per minute, alone overload servers × "
                f"service_rate = {c * mu:g}; raise accept_prob or servers, or pass an "
                "abandonment_rate > 0."
            )

    @cached_property
    def _chain(self) -> _Chain:
        lam, mu, mu_cb, c, p, theta, r = self._rates
        m = min(mu, mu_cb)
        y_top = c - r
        most = MAX_CALLBACK_STATES // (y_top + 1) - c
        if most < 1:
            raise _too_large(c, r)
        top = _inbound_level(lam, c, m, theta, p, self.threshold, most)
        if lam < y_top * m:  # everyone in the system: below an M/M/1 queue above c
            rho = lam / (y_top * m)
            level = c - 1 + max(1, math.ceil(math.log(TOLERANCE) / math.log(rho)))
            top = level if top is None else min(top, level)
        if top is None:
            if theta > 0 or p == 1:
                raise _too_large(c, r)
            raise ParameterError(
                f"abandonment_rate = 0 with callback_service_rate = {mu_cb:g} below "
                f"service_rate = {mu:g} and arrival_rate × (1 - accept_prob) = "
                f"{lam * (1 - p):g} ≥ servers × callback_service_rate: no bound on "
                "the inbound line is known; pass an abandonment_rate > 0, a larger "
                "accept_prob, or more servers."
            )
        offers = p > 0 and self.threshold <= top - c  # else no offer below level X
        _check_states(top, c, r, offers)
        return _solve(lam, mu, mu_cb, c, self.threshold, p, theta, r, top, offers)

    # ----- metrics ------------------------------------------------------------------

    inbound_level = _solved(
        "inbound_level",
        "X, the most inbound callers plus agents on callbacks the solved chain "
        "holds; less than 1e-14 of the probability lies beyond it.",
    )
    prob_offered = _solved("offered", "P(an arrival is offered a callback).")
    mean_queue_length = _solved("queue", "Lq = E[w], inbound callers waiting.")
    mean_number_in_system = _solved(
        "inbound", "L = E[x], inbound callers waiting or talking."
    )
    mean_callback_queue = _solved("callbacks", "E[q], callbacks waiting to start.")

    @property
    def callback_share(self) -> float:
        """P(an arrival takes a callback) = accept_prob × prob_offered."""
        return self.accept_prob * self._chain.offered

    @property
    def callback_rate(self) -> float:
        """Callbacks accepted (and served) per minute, λ × callback_share."""
        return self.arrival_rate * self.callback_share

    @property
    def _inbound_rate(self) -> float:
        """λ_in, callers per minute who stay on the inbound line."""
        return self.arrival_rate * self._chain.stay

    @property
    def prob_wait(self) -> float:
        """P(a caller who stays on the line finds every agent busy)."""
        return self._chain.waits / self._chain.stay

    @property
    def mean_wait(self) -> float:
        """Mean time in the inbound queue (until service or abandonment) of the
        callers who stay on the line, Lq/λ_in."""
        return self._chain.queue / self._inbound_rate

    @property
    def prob_abandon(self) -> float:
        """P(a caller who stays on the line abandons) = θ Lq / λ_in = θ Wq."""
        return min(self.abandonment_rate * self.mean_wait, 1.0)

    @property
    def mean_time_in_system(self) -> float:
        """W = L/λ_in, the time on the line of a caller who stays (Little's law)."""
        return self.mean_number_in_system / self._inbound_rate

    @property
    def mean_callback_delay(self) -> float:
        """Mean minutes from the call to the start of its callback, E[q]/callback_rate
        (Little's law; NaN when no callback is ever taken)."""
        rate = self.callback_rate
        return self._chain.callbacks / rate if rate > 0 else math.nan

    @property
    def occupancy(self) -> float:
        """Share of agent time busy, on inbound calls or callbacks."""
        busy = self._chain.inbound_busy + self._chain.callback_busy
        return min(busy / self.servers, 1.0)

    # ----- the inbound wait -----------------------------------------------------------

    def offered_service_level(self, t: ArrayLike) -> float | np.ndarray:
        """P(V ≤ t): the wait of an infinitely patient caller who stays on the line."""
        return self._at_times(t, lambda tt: 1.0 - self._tagged(tt, patient=True)[0])

    def _service_level(self, t: np.ndarray) -> np.ndarray:
        """P(served and waited ≤ t), over the callers who stay on the line."""
        served = self._tagged(t, patient=False)[1]
        return np.clip(1.0 - self.prob_wait + served, 0.0, 1.0)

    def _prob_wait_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(still waiting at t), over the callers who stay on the line."""
        return self._tagged(t, patient=False)[0]

    def _tagged(self, t: np.ndarray, *, patient: bool) -> tuple[np.ndarray, np.ndarray]:
        """(P(still waiting at t), P(served by t after waiting)) for a stayer."""
        _, mu, mu_cb, c, _, theta, _ = self._rates
        ahead = self._chain.ahead / self._chain.stay
        forward = _tagged_forward(
            ahead.shape, c, mu, mu_cb, theta, 0.0 if patient else theta
        )
        return _evolve(forward, ahead.ravel(), t)

    def _simulation_spec(self) -> dict[str, Any]:
        _, mu, mu_cb, c, p, theta, r = self._rates
        offer = CallbackOffer(self.threshold, p, Exponential(mu_cb), reserve=r)
        return {
            "arrivals": PoissonArrivals(self.arrival_rate),
            "service": Exponential(mu),
            "servers": c,
            "patience": Exponential(theta) if theta > 0 else None,
            "callbacks": offer,
        }


def _checked_reserve(reserve: object, mode: str, servers: int) -> int:
    if mode == "low_priority":
        if reserve is None:
            return 0
        r = check_count("reserve", reserve, minimum=0)
        if r != 0:
            raise ParameterError(
                f"reserve = {r} applies only to mode='idle_only' (in mode "
                "'low_priority' an agent who frees starts a callback whenever no "
                "inbound call waits); pass mode='idle_only' or reserve=None."
            )
        return 0
    r = 1 if reserve is None else check_count("reserve", reserve, minimum=0)
    if r >= servers:
        raise ParameterError(
            f"reserve = {r} is not below servers = {servers}: no callback could ever "
            f"start; pass a reserve from 0 to {servers - 1}."
        )
    return r


def _too_large(c: int, r: int) -> ParameterError:
    return ParameterError(
        f"servers = {c:,} with reserve = {r}: the chain needs more than "
        f"{MAX_CALLBACK_STATES:,} states (x, y, q); pass fewer servers, a larger "
        "abandonment_rate or a lower arrival_rate."
    )


def _phase_counts(top: int, c: int, r: int) -> tuple[int, int]:
    """(states with q = 0, states at each level q ≥ 1): ``x + y ≤ top``,
    ``y ≤ c - r`` and, when ``q > 0``, ``x + y ≥ c - r``."""
    y_top = c - r
    free = (y_top + 1) * (top + 1) - y_top * (y_top + 1) // 2
    return free, (y_top + 1) * (top - y_top + 1)


def _check_states(top: int, c: int, r: int, offers: bool) -> None:
    free, phases = _phase_counts(top, c, r)
    states = free + 2 * phases if offers else free
    if states > MAX_CALLBACK_STATES or (offers and phases > MAX_PHASES):
        raise ParameterError(
            f"servers = {c:,}: the chain needs {states:,} states and {phases:,} "
            f"phases per callback level (inbound line to {top - c:,} waiting), more "
            f"than the {MAX_CALLBACK_STATES:,} and {MAX_PHASES:,} solved exactly; "
            "pass fewer servers, a larger abandonment_rate or a lower arrival_rate."
        )


def _inbound_level(
    lam: float, c: int, m: float, theta: float, p: float, thr: int, most: int
) -> int | None:
    """The smallest X ≥ c with P(x + y > X) ≤ :data:`TOLERANCE`, or None.

    The bounding birth–death chain lives on ``c + j``, j = 0..: births ``λ`` for
    ``j < thr``, ``λ(1 - p)`` beyond; deaths ``cm + θj``. Its ratios
    ``b_j / d_{j+1}`` never increase, so the mass beyond ``most`` levels is at most
    ``w_most r/(1 - r)`` with ``r`` the last ratio (None when ``r ≥ 1``).
    """
    j = np.arange(most + 1, dtype=float)
    births = np.where(j < thr, lam, lam * (1.0 - p))
    deaths = c * m + theta * j[1:]
    with np.errstate(divide="ignore"):
        logw = np.concatenate(([0.0], np.cumsum(np.log(births[:-1]) - np.log(deaths))))
    last = births[-1] / (c * m + theta * (most + 1))
    if births[-1] == 0.0:
        log_rest = -math.inf
    elif last < 1.0:
        log_rest = logw[-1] + math.log(last) - math.log1p(-last)
    else:
        return None
    suffix = np.logaddexp.accumulate(logw[::-1])[::-1]  # log Σ_{i ≥ j} w_i
    beyond = np.logaddexp(np.append(suffix[1:], -math.inf), log_rest)
    total = float(np.logaddexp(suffix[0], log_rest))
    ok = np.flatnonzero(beyond - total <= math.log(TOLERANCE))
    return c + int(ok[0]) if ok.size else None


@dataclass(frozen=True)
class _Chain:
    """The solved chain's expectations and the arrival states of those who wait."""

    inbound_level: int
    offered: float  # P(an arrival is offered a callback)
    stay: float  # P(an arrival stays on the inbound line)
    waits: float  # P(an arrival stays and finds every agent busy)
    queue: float  # E[w]
    inbound: float  # E[x]
    inbound_busy: float  # E[min(x, c - y)]
    callback_busy: float  # E[y]
    callbacks: float  # E[q]
    #: P(an arrival stays and finds k waiting, y on callbacks), rows k, columns y
    ahead: np.ndarray


def _solve(
    lam: float,
    mu: float,
    mu_cb: float,
    c: int,
    thr: int,
    p: float,
    theta: float,
    r: int,
    top: int,
    offers: bool,
) -> _Chain:
    """Solve the chain over ``x + y ≤ top``: levels q = 0, 1 by one sparse solve,
    the levels above by the matrix R (see the module)."""
    y_top = c - r
    levels = 2 if offers else 0  # the generator of levels 0, 1, 2 holds every block
    gx, gy = np.meshgrid(np.arange(top + 1), np.arange(y_top + 1), indexing="ij")
    inside = gx + gy <= top
    busy = inside & (gx + gy >= y_top)  # the (x, y) allowed with q > 0
    first, later = np.full(gx.shape, -1), np.full(gx.shape, -1)
    n0, n1 = int(inside.sum()), int(busy.sum())
    first[inside], later[busy] = np.arange(n0), np.arange(n1)
    x = np.concatenate((gx[inside], np.tile(gx[busy], levels)))
    y = np.concatenate((gy[inside], np.tile(gy[busy], levels)))
    q = np.concatenate((np.zeros(n0, int), np.repeat(np.arange(1, levels + 1), n1)))

    def index(tx: np.ndarray, ty: np.ndarray, tq: np.ndarray) -> np.ndarray:
        ok = (tx >= 0) & (ty >= 0) & (ty <= y_top) & (tx + ty <= top)
        ok &= (tq >= 0) & (tq <= levels)
        cx, cy = np.clip(tx, 0, top), np.clip(ty, 0, y_top)
        at = np.where(tq == 0, first[cx, cy], later[cx, cy])
        shift = np.where(tq == 0, 0, n0 + (tq - 1) * n1)
        return np.where(ok & (at >= 0), at + shift, -1)

    waiting = np.maximum(x + y - c, 0)
    talking = np.minimum(x, c - y)
    all_busy = x + y >= c
    offered = all_busy & (waiting >= thr)
    free = waiting == 0  # an agent who frees finds no inbound call waiting
    after_inbound = free & (q > 0) & (c - x + 1 - y > r)
    after_callback = (free & (q > 0) & (c - x - y + 1 > r)).astype(int)
    moves = [
        (np.where(offered, (1.0 - p) * lam, lam), x + 1, y, q),
        (np.where(offered, p * lam, 0.0), x, y, q + 1),
        (mu * talking, x - 1, y + after_inbound, q - after_inbound),
        (mu_cb * y, x, y - 1 + after_callback, q - after_callback),
        (theta * waiting, x - 1, y, q),
    ]
    rows, cols, rates = [], [], []
    for rate, tx, ty, tq in moves:
        dest = index(tx, ty, tq)
        keep = (rate > 0) & (dest >= 0)
        rows.append(np.flatnonzero(keep))
        cols.append(dest[keep])
        rates.append(rate[keep])
    size = x.size
    gen = sparse.coo_matrix(
        (np.concatenate(rates), (np.concatenate(rows), np.concatenate(cols))),
        shape=(size, size),
    ).tocsr()
    gen = gen - sparse.diags(np.asarray(gen.sum(axis=1)).ravel())
    pin = int(first[min(c, int(lam / mu)), 0])  # reached from the empty system
    if not offers:
        pi, mean_q = _pinned(gen, pin), 0.0
    else:
        pins = (pin, int(later[0, y_top]))
        pi, mean_q = _levels_above(gen, n0, n1, pins, lam, p)
        x, y, waiting, talking = (
            x[: n0 + n1],
            y[: n0 + n1],
            waiting[: n0 + n1],
            talking[: n0 + n1],
        )
        all_busy, offered = all_busy[: n0 + n1], offered[: n0 + n1]
    stays = pi * np.where(offered, 1.0 - p, 1.0)
    ahead = np.zeros((top - c + 1, y_top + 1))
    np.add.at(ahead, (waiting[all_busy], y[all_busy]), stays[all_busy])
    return _Chain(
        inbound_level=top,
        offered=float(pi[offered].sum()),
        stay=float(stays.sum()),
        waits=float(stays[all_busy].sum()),
        queue=float(pi @ waiting),
        inbound=float(pi @ x),
        inbound_busy=float(pi @ talking),
        callback_busy=float(pi @ y),
        callbacks=mean_q,
        ahead=ahead,
    )


def _pinned(gen: sparse.csr_matrix, pin: int) -> np.ndarray:
    """The stationary vector of ``gen``, pinned at ``pin`` (re-pinned at the most
    likely state when that one is unlikely, for accuracy)."""
    qt = gen.T.tocsr()
    pi = _solve_pinned(qt, pin)
    if pi[pin] < 1e-6 * pi.max():
        pi = _solve_pinned(qt, int(np.argmax(pi)))
    return pi


def _levels_above(
    gen: sparse.csr_matrix,
    n0: int,
    n1: int,
    pins: tuple[int, int],
    lam: float,
    p: float,
) -> tuple[np.ndarray, float]:
    """(π at level 0 and Σ_{q≥1} π_q per phase, E[q]) of the quasi-birth–death
    process in q, from the generator ``gen`` of its levels 0, 1, 2.

    Levels q ≥ 1 repeat: ``A0`` (up), ``A1`` (within), ``A2`` (down) are read off
    levels 1 and 2, R is the minimal solution of ``A0 + R A1 + R² A2 = 0``, the
    levels 0 and 1 are solved with the excursions above level 1 censored
    (``A1 + R A2``), and ``π_q = π_1 R^{q-1}`` sums in closed form:
    ``Σ_{q≥1} π_q = π_1 (I - R)^{-1}``, ``Σ q π_q = π_1 (I - R)^{-2}``.
    """
    one, two = slice(n0, n0 + n1), slice(n0 + n1, n0 + 2 * n1)
    pin, phase = pins
    a0 = gen[one, two].toarray()
    a1 = gen[one, one].toarray()
    a2 = gen[two, one].toarray()
    _check_drift(a0, a1, a2, phase, lam, p)
    r = _r_matrix(a0, a1, a2, lam, p)
    boundary = sparse.bmat(
        [
            [gen[:n0, :n0], gen[:n0, one]],
            [gen[one, :n0], sparse.csr_matrix(a1 + r @ a2)],
        ]
    ).tocsr()
    pi = _pinned(boundary, pin)
    eye = np.eye(n1)
    above = linalg.solve((eye - r).T, pi[n0:])  # π_1 (I - R)^{-1}
    weighted = linalg.solve((eye - r).T, above)  # π_1 (I - R)^{-2}
    norm = pi[:n0].sum() + above.sum()
    return np.concatenate((pi[:n0], above)) / norm, float(weighted.sum() / norm)


def _check_drift(
    a0: np.ndarray, a1: np.ndarray, a2: np.ndarray, pin: int, lam: float, p: float
) -> None:
    """Refuse an unstable callback line: with the phases' stationary law φ of
    ``A0 + A1 + A2`` (pinned at phase ``pin``: no inbound call, every agent the
    rule allows on a callback, which every phase reaches), the line is stable iff
    ``φ A0 1 < φ A2 1`` (Neuts' drift condition)."""
    phi = _solve_pinned(sparse.csr_matrix((a0 + a1 + a2).T), pin)
    up, down = float(phi @ a0.sum(axis=1)), float(phi @ a2.sum(axis=1))
    if not up < down * (1.0 - 1e-9):
        raise UnstableQueueError(
            f"accept_prob = {p:g}: while callbacks wait, callers take callbacks at "
            f"{up:.4g} per minute but agents start them at only {down:.4g} per "
            f"minute (arrival_rate = {lam:g}), so the callback line grows without "
            "bound; lower accept_prob, raise threshold or servers, or use a smaller "
            "reserve."
        )


def _r_matrix(
    a0: np.ndarray, a1: np.ndarray, a2: np.ndarray, lam: float, p: float
) -> np.ndarray:
    """R = A0 (-A1 - A0 G)^{-1}, with G (the first passage one level down) by
    logarithmic reduction (Latouche and Ramaswami 1993), which doubles the levels
    spanned at each step and converges quadratically.

    A callback rate ``lam · p`` hundreds of orders of magnitude below the other
    rates makes ``-A1`` singular in floating point and the reduction overflow; that
    is refused (``ParameterError``) rather than returned as NaN."""
    n = a1.shape[0]
    eye = np.eye(n)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        lu = linalg.lu_factor(-a1, check_finite=False)
        down, up = linalg.lu_solve(lu, a2), linalg.lu_solve(lu, a0)
    g, t = down.copy(), up.copy()
    for _ in range(_MAX_REDUCTIONS):
        with np.errstate(over="ignore", invalid="ignore"):
            squares = down @ down, up @ up, eye - down @ up - up @ down
        if not all(np.isfinite(m).all() for m in squares):
            raise ParameterError(
                f"accept_prob = {p:g}: callbacks arrive at {lam * p:.3g} per minute, "
                "too few beside the other rates for the callback line to be solved "
                "in floating point; use accept_prob = 0 (no callbacks) or a value "
                "above 1e-12."
            )
        mixed = linalg.lu_factor(squares[2])
        down, up = (
            linalg.lu_solve(mixed, squares[0]),
            linalg.lu_solve(mixed, squares[1]),
        )
        g += t @ down
        t = t @ up
        if float(np.abs(1.0 - g.sum(axis=1)).max()) < 1e-14 * n:
            break
    else:
        raise ParameterError(
            f"accept_prob = {p:g}: the callback line's matrix R does not converge in "
            f"{_MAX_REDUCTIONS} reductions (the line is too close to unstable, or "
            f"callbacks at {lam * p:.3g} per minute are too rare beside the other "
            "rates); lower accept_prob, raise threshold or servers, or use "
            "accept_prob = 0 (no callbacks)."
        )
    return linalg.solve((-a1 - a0 @ g).T, a0.T).T


def _tagged_forward(
    shape: tuple[int, int],
    c: int,
    mu: float,
    mu_cb: float,
    theta: float,
    own: float,
) -> sparse.csr_matrix:
    """The transposed generator of a waiting caller's chain over ``(k, y)`` plus
    "served" and "abandoned" (the last two states), for ``d/dt p = G^T p``."""
    k, y = np.meshgrid(np.arange(shape[0]), np.arange(shape[1]), indexing="ij")
    k, y = k.ravel(), y.ravel()
    n = k.size
    here = k * shape[1] + y
    served, gone = n, n + 1
    up = mu * (c - y) + theta * k  # an inbound completion or an abandonment ahead
    handed = mu_cb * y  # a callback completion: its agent takes the line
    src = np.concatenate((here, here, here))
    dst = np.concatenate(
        (
            np.where(k > 0, here - shape[1], served),
            np.where(k > 0, here - shape[1] - 1, served),
            np.full(n, gone),
        )
    )
    rate = np.concatenate((up, handed, np.full(n, own)))
    keep = rate > 0
    gen = sparse.coo_matrix(
        (rate[keep], (src[keep], dst[keep])), shape=(n + 2, n + 2)
    ).tocsr()
    gen = gen - sparse.diags(np.asarray(gen.sum(axis=1)).ravel())
    return gen.T.tocsr()


def _evolve(
    forward: sparse.csr_matrix, start: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(mass still waiting, mass served) at each time of ``t``, by
    :func:`scipy.sparse.linalg.expm_multiply` between sorted times, in steps of at
    most 32/‖G‖ and stopping once less than 1e-17 still waits."""
    n = start.size
    rate = float(np.abs(forward.diagonal()).max()) or 1.0
    step = 32.0 / rate
    times = np.unique(t.ravel())
    v = np.concatenate((start, [0.0, 0.0]))
    now, work = 0.0, 0.0
    waiting, served = np.empty(times.size), np.empty(times.size)
    for i, target in enumerate(times):
        while now < target and v[:n].sum() >= _SETTLED:
            h = min(step, target - now)
            work += n * max(1.0, rate * h)
            check_work(
                "t (the tagged caller's chain)",
                work,
                limit=_MAX_WAIT_WORK,
                fix="pass a smaller t, or a larger abandonment_rate",
            )
            v = np.clip(sparse_linalg.expm_multiply(forward * h, v), 0.0, None)
            now += h
        waiting[i], served[i] = v[:n].sum(), v[n]
    pos = np.searchsorted(times, t)
    return waiting[pos].reshape(t.shape), served[pos].reshape(t.shape)
