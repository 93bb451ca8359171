"""Chat queues: agents who each hold several chats at once, with impatient customers.

A chat agent holds up to ``m = len(handle_times)`` chats; while an agent holds ``j``
chats each of them ends at rate ``1/h_j`` (``h_j = handle_times[j-1]``, the mean handle
time at concurrency ``j``), so the agent completes ``j/h_j`` chats per time unit. A new
chat goes to an agent holding the fewest; when every agent holds ``m`` it waits in one
first-come-first-served line, and a waiting customer abandons at rate θ.

Why the occupancy chain, not a birth–death chain in the number of chats
------------------------------------------------------------------------
"Join the agent holding the fewest" keeps the loads balanced at *arrivals* only: a chat
that ends at a lightly loaded agent unbalances them. With two agents, two chats each at
most, ``(1, 2)`` goes to ``(0, 2)`` when the lone chat ends. The total completion rate
then depends on how the chats are spread, not only on their number ``n``
(``2/h_2 ≠ 2/h_1`` unless ``h_1 = h_2``), so ``n`` alone is not Markov. The exact state
is the *occupancy vector* ``(a_0, …, a_m)``, ``a_j`` the number of agents holding ``j``
chats (the sorted tuple of chats per agent), of which there are ``C(c + m, m)``. The
balanced birth–death chain in ``n`` with completion rate ``Σ_k j_k/h_{j_k}`` over the
balanced allocation (``r`` agents with ``⌊n/c⌋ + 1`` chats, ``c - r`` with ``⌊n/c⌋``,
``r = n mod c``) is exact for a different rule, ``routing="balanced"``: when a chat
ends and leaves two agents whose loads differ by two, the busier one hands a chat over
(chat transfer), so the allocation is always balanced. Both agree when every
``h_j`` is the same (then the rate is ``n/h`` however the chats are spread) and when
``m = 1`` (Erlang A with ``c`` servers).

The queue is a birth–death chain for both rules
-----------------------------------------------
A chat waits only when every agent holds ``m``; while anyone waits, every completion
hands the head of the line to the agent who just freed a slot, so the occupancy stays
full. The states with a line are therefore ``(full, q)``, ``q ≥ 1``, entered and left
only through ``(full, 0)``; censoring them out leaves the chain without a line (the
loss version, an arrival at ``(full, 0)`` blocked), solved exactly, and
``π(full, q) = π(full, 0) Π_{i=1..q} λ / (C + iθ)`` with ``C = c m / h_m``. This is
the queue of Erlang A with ``x = C/θ`` and ``y = λ/θ`` (or of M/M/1 with rate ``C`` if
θ = 0), and so is the wait: a chat that finds ``q`` ahead leaves the line at the
``(q+1)``-th of the events "a slot frees" (rate ``C``) and "someone ahead, or the chat
itself, abandons" (rate ``jθ``), a sum of exponentials with rates ``C + (q + 1 - i)θ``
(the hypoexponential law summed in closed form as a regularised incomplete beta
function, as in :class:`~crmkit.queues.ErlangA`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse, special
from scipy.sparse import linalg as sparse_linalg

from crmkit._frozen import set_fields
from crmkit._validate import check_choice, check_count
from crmkit.errors import ParameterError, UnstableQueueError
from crmkit.queues._base import (
    MAX_CAPACITY,
    MAX_SERVERS,
    WaitingModel,
    check_rate,
    check_sequence,
    check_time_scale,
)
from crmkit.queues._erlang_a import ErlangA
from crmkit.queues._markovian import MMc

__all__ = ["ChatQueue"]

#: most occupancy vectors C(agents + m, m) the "fewest" rule solves (one sparse solve)
MAX_CHAT_STATES = 400_000
#: most chats one agent may hold
MAX_CONCURRENCY = 1_000
_ROUTINGS = ("fewest", "balanced")


@dataclass(frozen=True)
class ChatQueue(WaitingModel):
    """Chat agents holding up to ``len(handle_times)`` chats, with exponential patience.

    Definitions follow :class:`~crmkit.queues.ErlangA`: ``mean_wait`` is the mean time
    in the line (until service or abandonment) over all arrivals;
    ``service_level(t)`` is P(served and waited ≤ t) over all arrivals (abandoners
    count as failures); ``offered_service_level(t)`` is P(V ≤ t), V the wait an
    infinitely patient customer would have; ``prob_wait_exceeds(t)`` is P(actual
    wait > t) = P(V > t) e^{-θt}.

    Parameters
    ----------
    arrival_rate : float
        λ, chats arriving per time unit (in [1e-100, 1e100]).
    handle_times : sequence of float
        ``h_1, …, h_m``: ``h_j`` is the mean handle time of a chat while its agent holds
        ``j`` chats (each in [1e-100, 1e100]; at most 1,000 of them). An agent holding
        ``j`` completes ``j/h_j`` chats per time unit.
    agents : int
        c, 1 to 10**8.
    abandonment_rate : float
        θ = 1 / mean patience (0, or in [1e-100, 1e100]). θ = 0 (patient customers) is
        accepted only when the line is stable, λ < C = c m / h_m.
    routing : {"fewest", "balanced"}
        "fewest" (default): a new chat, or the head of the line, goes to an agent
        holding the fewest chats; nothing moves afterwards. Exact by the chain of
        occupancy vectors, of which there may be at most 400,000 (C(c + m, m); two
        chats each allow about 890 agents, three about 130). "balanced": the same, and
        when a chat ends the loads are rebalanced by a transfer so that no two agents
        differ by more than one chat; exact by a birth–death chain in the number of
        chats (c m + 1 ≤ 10**7 states).

    Raises
    ------
    UnstableQueueError
        If θ = 0 and λ ≥ C (the line grows without bound).
    ParameterError
        If an argument is not a number in its range, ``handle_times`` is empty or not a
        sequence, or the chain is larger than the limits above.

    Notes
    -----
    ``servers`` is ``agents``; ``service_rate`` is ``m/h_m``, the chats one agent
    completes per time unit while it holds its maximum, so ``offered_load`` λ h_m / m
    is in agents at full concurrency and ``utilization`` ρ = λ/C (ρ ≥ 1 needs
    abandonment). ``occupancy`` is the mean share of chat slots in use, E[chats in
    service] / (c m). ``P(abandon) = θ Lq / λ``. How the chain without a line is
    solved and why the line is an Erlang A queue with ``x = C/θ``, ``y = λ/θ`` is
    described in :mod:`crmkit.queues._chat`.

    References
    ----------
    T. Tezcan and J. Zhang (2014), "Routing and staffing in customer service chat
    systems with impatient customers", *Operations Research* 62(4):943–956 (the model
    of agents holding several chats, service rates depending on the number held).
    J. Luo and J. Zhang (2013), "Staffing and control of instant messaging contact
    centers", *Operations Research* 61(2):328–343. A. Mandelbaum and S. Zeltyn (2007),
    "Service engineering in action: the Palm/Erlang-A queue, with applications to call
    centers", in *Advances in Services Innovations*, Springer, pp. 17–45 (the wait in
    the line). D. Gross, J. F. Shortle, J. M. Thompson and C. M. Harris (2008),
    *Fundamentals of Queueing Theory*, 4th ed., Wiley, ch. 1–2 (balance
    equations of a continuous-time Markov chain, birth–death chains).

    Examples
    --------
    >>> m = ChatQueue(arrival_rate=2.0, handle_times=[3.0, 4.0, 5.0], agents=3,
    ...               abandonment_rate=0.5)          # per minute; minutes
    >>> round(m.prob_wait, 6), round(m.prob_abandon, 6)
    (0.495868, 0.188291)
    >>> round(m.service_level(0.5), 6), round(m.occupancy, 6)
    (0.628236, 0.842463)
    """

    arrival_rate: float
    handle_times: tuple[float, ...]
    agents: int
    abandonment_rate: float
    routing: str = "fewest"

    METRICS: ClassVar[tuple[str, ...]] = ErlangA.METRICS  # the same metrics

    def __post_init__(self) -> None:
        lam = check_rate("arrival_rate", self.arrival_rate)
        raw = check_sequence(
            "handle_times", self.handle_times, "[3.0, 4.0]", maximum=MAX_CONCURRENCY
        )
        if len(raw) == 0:
            raise ParameterError(
                "handle_times is empty; pass the mean handle time at each concurrency, "
                "e.g. [3.0, 4.0] for agents holding up to two chats."
            )
        times = tuple(check_rate(f"handle_times[{i}]", h) for i, h in enumerate(raw))
        c = check_count("agents", self.agents, minimum=1, maximum=MAX_SERVERS)
        theta = check_time_scale("abandonment_rate", self.abandonment_rate)
        routing = check_choice("routing", self.routing, _ROUTINGS)
        set_fields(
            self,
            arrival_rate=lam,
            handle_times=times,
            agents=c,
            abandonment_rate=theta,
            routing=routing,
        )
        self._check_size()
        if theta == 0.0 and lam >= self._full_rate:
            raise self._unstable()
        _ = self._line  # the queue window's size check, at construction

    # -- the facts the template needs ------------------------------------------------

    @property
    def servers(self) -> int:
        """c, the number of agents."""
        return self.agents

    @property
    def concurrency(self) -> int:
        """m, the most chats one agent holds."""
        return len(self.handle_times)

    @property
    def service_rate(self) -> float:
        """m / h_m: chats one agent completes per time unit at full concurrency."""
        return self.concurrency / self.handle_times[-1]

    @property
    def _full_rate(self) -> float:
        """C = c m / h_m, the completion rate while every slot is in use."""
        return self.agents * self.service_rate

    def _check_size(self) -> None:
        c, m = self.agents, self.concurrency
        if self.routing == "balanced":
            if c * m + 1 > MAX_CAPACITY:
                raise ParameterError(
                    f"agents × len(handle_times) = {c * m:,} chat slots is more than "
                    f"the {MAX_CAPACITY:,} states solved; pass fewer agents or fewer "
                    "handle times."
                )
            return
        states = math.comb(c + m, m)
        if states > MAX_CHAT_STATES:
            raise ParameterError(
                f"agents = {c:,} holding up to {m} chats each give {states:,} "
                f"occupancy states, more than the {MAX_CHAT_STATES:,} solved exactly "
                "(about a minute of work); pass routing='balanced' (a birth–death "
                "chain, with chat transfers), fewer agents or fewer handle times."
            )

    def _unstable(self) -> UnstableQueueError:
        m, h_m = self.concurrency, self.handle_times[-1]
        ratio = self.arrival_rate * h_m / m
        needed = (
            f"at least {math.floor(ratio) + 1:,}"
            if ratio < 2.0**53
            else f"more than {ratio:.3g}"
        )
        return UnstableQueueError(
            f"ρ = λ h_m / (agents m) = {ratio / self.agents:.4g} ≥ 1 with "
            "abandonment_rate = 0: the line grows without bound. With arrival_rate = "
            f"{self.arrival_rate:g} and handle_times[-1] = {h_m:g} at {m} chats per "
            f"agent, {needed} agents are needed: raise agents to that, lower "
            "arrival_rate, or pass abandonment_rate > 0 (impatient customers)."
        )

    # -- the chain without a line ------------------------------------------------------

    @cached_property
    def _no_line(self) -> tuple[float, float, float, float]:
        """(log π_B(full), log Σ_{s≠full} π_B(s), Σ_{s≠full} π_B(s) n(s), π_B(empty))
        of the chain without a line (arrivals at "all full" blocked), normalised;
        ``n(s)`` is the number of chats in service in state ``s``."""
        if self.routing == "balanced" or self.concurrency == 1:
            return _balanced_chain(self.arrival_rate, self.handle_times, self.agents)
        return _occupancy_chain(self.arrival_rate, self.handle_times, self.agents)

    @cached_property
    def _line(self) -> ErlangA | MMc:
        """The line while every slot is in use: Erlang A with one server of rate C
        (M/M/1 when θ = 0); its states ``1 + k`` are this model's ``(full, k)``."""
        if self.abandonment_rate == 0.0:
            return MMc(self.arrival_rate, self._full_rate, 1)
        return ErlangA(self.arrival_rate, self._full_rate, 1, self.abandonment_rate)

    @cached_property
    def _line_sums(self) -> tuple[float, float]:
        """(log Σ_k t_k, E[k | all full]), ``t_k = Π_{i≤k} λ/(C + iθ)``."""
        line = self._line
        if isinstance(line, MMc):
            rho = line.utilization
            return -math.log1p(-rho), rho / (1.0 - rho)
        k, w, log_sum = line._queue_weights
        return log_sum, float(k @ w)

    @cached_property
    def _log_prob_wait_and_norm(self) -> tuple[float, float]:
        """(log P(wait), log Z), Z = Σ_{s≠full} π_B(s) + π_B(full) Σ_k t_k."""
        log_full, log_rest, _, _ = self._no_line
        log_full_line = log_full + self._line_sums[0]
        log_z = float(np.logaddexp(log_rest, log_full_line))
        return log_full_line - log_z, log_z

    # -- metrics -------------------------------------------------------------------

    @property
    def prob_wait(self) -> float:
        """P(an arrival finds every slot in use and waits)."""
        return math.exp(self._log_prob_wait_and_norm[0])

    @property
    def prob_empty(self) -> float:
        """P(no chat in the system)."""
        return self._no_line[3] * math.exp(-self._log_prob_wait_and_norm[1])

    @property
    def mean_queue_length(self) -> float:
        """Lq, the mean number waiting."""
        return self.prob_wait * self._line_sums[1]

    @property
    def mean_wait(self) -> float:
        """Mean time in the line (until service or abandonment) over all arrivals."""
        return self.mean_queue_length / self.arrival_rate

    @property
    def prob_abandon(self) -> float:
        """P(an arrival abandons) = θ Lq / λ = θ Wq (each waiting chat leaves at θ)."""
        return min(self.abandonment_rate * self.mean_wait, 1.0)

    @property
    def mean_chats_in_service(self) -> float:
        """E[chats being handled], over all agents."""
        weighted = self._no_line[2] * math.exp(-self._log_prob_wait_and_norm[1])
        return weighted + self.agents * self.concurrency * self.prob_wait

    @property
    def occupancy(self) -> float:
        """Mean share of chat slots in use, E[chats in service] / (c m)."""
        return self.mean_chats_in_service / (self.agents * self.concurrency)

    @property
    def mean_time_in_system(self) -> float:
        """W = L / λ over all arrivals (Little; abandoners stay until they leave)."""
        return (self.mean_chats_in_service + self.mean_queue_length) / self.arrival_rate

    @property
    def mean_number_in_system(self) -> float:
        """L = E[chats in service] + Lq."""
        return self.arrival_rate * self.mean_time_in_system

    # -- the wait --------------------------------------------------------------------

    def _offered_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(V > t | every slot in use)."""
        line = self._line
        if isinstance(line, MMc):
            return line._prob_wait_exceeds(t) / line.prob_wait
        return line._offered_exceeds(t)

    def offered_service_level(self, t: ArrayLike) -> float | np.ndarray:
        """P(V ≤ t): the wait an infinitely patient customer would have."""
        return self._at_times(t, self._offered_service_level)

    def _offered_service_level(self, t: np.ndarray) -> np.ndarray:
        return np.clip(1.0 - self.prob_wait * self._offered_exceeds(t), 0.0, 1.0)

    def _service_level(self, t: np.ndarray) -> np.ndarray:
        """P(served and waited ≤ t) over all arrivals; abandoners count as failures."""
        line = self._line
        if isinstance(line, MMc):
            return self._offered_service_level(t)
        # P(served within t | k ahead) = x/(x+k+1) I_{1-e^{-θt}}(k+1, x+1), x = C/θ
        k, w, _, one_minus_q = line._grid(t)
        x = line._x
        grid = np.broadcast_to(one_minus_q, (one_minus_q.shape[0], k.size))
        within = special.betainc(k + 1.0, x + 1.0, grid) @ (w * x / (x + k + 1.0))
        out = 1.0 - self.prob_wait * (1.0 - within.reshape(t.shape))
        return np.clip(out, 0.0, 1.0)

    def _prob_wait_exceeds(self, t: np.ndarray) -> np.ndarray:
        """P(actual wait > t) = P(V > t) e^{-θt} (still waiting at t)."""
        exceed = self.prob_wait * self._offered_exceeds(t)
        if self.abandonment_rate == 0.0:
            return np.clip(exceed, 0.0, 1.0)
        with np.errstate(over="ignore"):
            return np.clip(exceed * np.exp(-self.abandonment_rate * t), 0.0, 1.0)


def _balanced_rates(handle_times: tuple[float, ...], agents: int) -> np.ndarray:
    """r_n, n = 1..c m: the completion rate of n chats spread as evenly as possible."""
    c, m = agents, len(handle_times)
    n = np.arange(1, c * m + 1)
    low, extra = n // c, n % c  # c - extra agents hold `low`, extra hold `low + 1`
    per_agent = np.concatenate(([0.0], np.arange(1, m + 1) / np.asarray(handle_times)))
    return (c - extra) * per_agent[low] + extra * per_agent[np.minimum(low + 1, m)]


def _balanced_chain(
    lam: float, handle_times: tuple[float, ...], agents: int
) -> tuple[float, float, float, float]:
    """The chain without a line for balanced loads: a birth–death chain in n,
    ``log π_n = Σ_{i≤n} log(λ / r_i)`` normalised in logs (exact, no cancellation)."""
    rates = _balanced_rates(handle_times, agents)
    logw = np.concatenate(([0.0], np.cumsum(math.log(lam) - np.log(rates))))
    logw -= special.logsumexp(logw)
    n = np.arange(logw.size, dtype=float)
    rest = np.exp(logw[:-1])
    return float(logw[-1]), _log_total(rest), float(rest @ n[:-1]), float(rest[0])


def _log_total(p: np.ndarray) -> float:
    total = float(p.sum())
    return math.log(total) if total > 0.0 else -math.inf


def _occupancy_vectors(agents: int, m: int) -> np.ndarray:
    """Every occupancy vector ``(a_0, …, a_m)`` with Σ a_j = c, one per row."""
    rows = np.zeros((1, 0), dtype=np.int64)
    left = np.array([agents], dtype=np.int64)
    for _ in range(m):  # choose a_m, a_{m-1}, …, a_1; a_0 takes what is left
        counts = left + 1
        parent = np.repeat(np.arange(left.size), counts)
        value = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        rows = np.column_stack([rows[parent], value])
        left = left[parent] - value
    return np.column_stack([left, rows[:, ::-1]])  # columns a_0, a_1, …, a_m


def _rank(occ: np.ndarray) -> np.ndarray:
    """The index of each occupancy vector among all C(c + m, m) of them.

    Stars and bars: ``a_0`` stars, a bar, ``a_1`` stars, …; bar j stands at
    ``p_j = a_0 + … + a_j + j`` and the colex rank of the bar positions,
    ``Σ_j C(p_j, j + 1)``, is a bijection onto 0 … C(c + m, m) - 1 (every term is
    below the number of states, so the floats are exact integers).
    """
    m = occ.shape[1] - 1
    bars = np.cumsum(occ[:, :m], axis=1) + np.arange(m)
    terms = special.comb(bars, np.arange(1, m + 1))
    return np.rint(terms.sum(axis=1)).astype(np.int64)


def _occupancy_chain(
    lam: float, handle_times: tuple[float, ...], agents: int
) -> tuple[float, float, float, float]:
    """The chain without a line for the "fewest" rule, over occupancy vectors.

    An arrival moves one agent from the lowest occupied level j < m to j + 1; a chat
    ending at an agent holding j (rate a_j j/h_j) moves it to j - 1. The balance
    equations πQ = 0 are solved by one sparse LU factorisation with π fixed to 1 at
    the most likely state of the balanced chain (so no probability overflows).
    """
    c, m = agents, len(handle_times)
    occ = _occupancy_vectors(c, m)
    occ = occ[np.argsort(_rank(occ))]  # row i is the vector of rank i
    src, dst, rate = [], [], []
    for j in range(1, m + 1):  # a chat ends at an agent holding j
        at = np.flatnonzero(occ[:, j] > 0)
        moved = occ[at]
        moved[:, j] -= 1
        moved[:, j - 1] += 1
        src.append(at)
        dst.append(_rank(moved))
        rate.append(occ[at, j] * (j / handle_times[j - 1]))
    at = np.flatnonzero(occ[:, m] < c)  # some agent below m: an arrival is placed
    lowest = np.argmax(occ[at, :m] > 0, axis=1)
    moved = occ[at]
    rows = np.arange(at.size)
    moved[rows, lowest] -= 1
    moved[rows, lowest + 1] += 1
    src.append(at)
    dst.append(_rank(moved))
    rate.append(np.full(at.size, lam))
    size = occ.shape[0]
    q = sparse.csr_matrix(
        (np.concatenate(rate), (np.concatenate(src), np.concatenate(dst))),
        shape=(size, size),
    )
    q = q - sparse.diags(np.asarray(q.sum(axis=1)).ravel())
    chats = occ @ np.arange(m + 1)
    anchor = _likely_state(lam, handle_times, agents, occ, chats)
    keep = np.arange(size) != anchor
    a = q[keep][:, keep].T.tocsc()
    b = -q[[anchor]][:, keep].toarray().ravel()
    pi = np.empty(size)
    pi[anchor] = 1.0
    pi[keep] = sparse_linalg.spsolve(a, b)
    pi = np.clip(pi, 0.0, None)
    pi /= pi.sum()
    # rank 0: every agent full (all bars first); rank size - 1: every agent idle
    rest = pi[1:]
    return (
        math.log(pi[0]) if pi[0] > 0 else -math.inf,
        _log_total(rest),
        float(rest @ chats[1:]),
        float(pi[-1]),
    )


def _likely_state(
    lam: float,
    handle_times: tuple[float, ...],
    agents: int,
    occ: np.ndarray,
    chats: np.ndarray,
) -> int:
    """The balanced occupancy vector at the mode of the balanced chain."""
    rates = _balanced_rates(handle_times, agents)
    logw = np.concatenate(([0.0], np.cumsum(math.log(lam) - np.log(rates))))
    n = int(np.argmax(logw))
    spread = occ[:, 1:] @ np.arange(1, occ.shape[1]) ** 2  # Σ j² a_j: least if balanced
    candidates = np.flatnonzero(chats == n)
    return int(candidates[np.argmin(spread[candidates])])
