"""The simulation-based iterative staffing algorithm (ISA) for a day of time-varying
demand.

Round n simulates the M_t/G/s_t(+M) day with the current staffing s^(n) and estimates,
for each interval, the distribution of the number of customers in the system L^(n)(t)
averaged over the interval's time. The next staffing is the smallest s meeting the
target against that distribution, and the rounds stop when the staffing settles.
Round 0, with so many servers that nobody waits, is the M_t/M/∞ day, whose number in
system is Poisson with mean m(t) exactly: it is computed, not simulated (with
exponential service; with another service law it only starts the iteration). Every round
uses the same random streams (common random numbers), so the staffing stops changing
instead of jittering with the noise; a round estimates each interval's performance
only for s within ±3 of its current staffing (the next staffing moves at most that far
per round), which keeps the sweep's table of metrics small.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
from scipy import special, stats

from crmkit._validate import check_count, check_work, show
from crmkit.errors import TargetError
from crmkit.queues._day_simulation import (
    Day,
    check_replications,
    check_seed,
    occupancy,
    records,
    run_sweep,
)
from crmkit.queues._offered_load import OfferedLoad, offered_load
from crmkit.queues._time_varying import Rates, StaffingPlan, check_question

__all__ = ["isa_staffing"]

#: a simulated round estimates P(W > within) for the current s ± this many servers
BAND = 3
#: most intervals × levels (× staffing levels, for a service level within > 0) the
#: first (infinite-server) round may evaluate
MAX_CELLS = 200_000_000
#: most rounds of ISA
MAX_ROUNDS = 50
#: Gauss–Legendre nodes per interval for the infinite-server round
_NODES = 16


def _fail_table(
    smin: int, smax: int, levels: int, mu: float, within: float, theta: float | None
) -> np.ndarray:
    """P(an arrival who finds k in the system is not served within ``within``) with
    s = ``smin`` … ``smax`` servers (rows) and k = 0 … ``levels`` − 1 (columns).

    An arrival finding k < s is served at once. One finding k ≥ s waits, with
    q = k − s callers ahead: without abandonment for q + 1 completions of s busy
    servers, an Erlang(q + 1, sμ) time, so P(W > τ | k) = P(Poisson(sμτ) ≤ q); with
    exponential patience (rate θ) the line ahead moves at rate θ(x + j) with j ahead
    (x = sμ/θ) and the arrival may abandon too, so P(served and W ≤ τ | k) =
    x/(x + q + 1) · I_{1−e^{−θτ}}(q + 1, x + 1) (the Notes of
    :class:`~crmkit.queues.ErlangA`). With ``within`` = 0 the failure is waiting at
    all, k ≥ s (by PASTA, for any service law)."""
    s = np.arange(smin, smax + 1)[:, None]
    q = np.arange(levels)[None, :] - s
    waits = q >= 0
    if within == 0.0:
        return waits.astype(float)
    if theta is None:
        return stats.poisson.cdf(q, s * mu * within)  # 0 where q < 0
    x = s * mu / theta
    qq = np.maximum(q, 0)
    served = (
        x
        / (x + qq + 1.0)
        * special.betainc(qq + 1.0, x + 1.0, -math.expm1(-theta * within))
    )
    return np.where(waits, 1.0 - served, 0.0)


def _fail_given_levels(
    shares: np.ndarray,
    servers: np.ndarray,
    mu: float,
    within: float,
    theta: float | None = None,
) -> np.ndarray:
    """P(not served within ``within``) per interval with ``servers[i]`` servers, for
    a number in system distributed as ``shares[i]`` (levels 0, 1, …): the rows of
    :func:`_fail_table` averaged over the levels."""
    lo, hi = int(servers.min()), int(servers.max())
    table = _fail_table(lo, hi, shares.shape[1], mu, within, theta)
    return np.sum(shares * table[servers - lo], axis=1)


def isa_replication(
    params: Mapping[str, Any],
    rng: np.random.Generator,
    day: Day,
    lows: tuple[int, ...],
) -> dict[str, float]:
    """One replication of an ISA round for :func:`crmkit.experiments.sweep`: the
    day's P(not served within ``within``), per interval i, with s = ``lows[i]`` …
    ``lows[i]`` + 2·BAND servers, from the time the replication spends at each
    number in system."""
    arr, _, _, _, leave = records(day, rng)
    shares = occupancy(day, arr, leave)
    low = np.asarray(lows)
    lo = int(low.min())
    table = _fail_table(
        lo,
        int(low.max()) + 2 * BAND,
        shares.shape[1],
        day.service_rate,
        day.within,
        day.abandonment_rate,
    )
    out = {}
    for j in range(2 * BAND + 1):
        fail = np.sum(shares * table[low + j - lo], axis=1)
        out.update({f"fail[{i}][{j}]": float(v) for i, v in enumerate(fail)})
    return out


def _infinite_server_round(
    load: OfferedLoad, top: int, within: float, theta: float | None
) -> np.ndarray:
    """P(not served within ``within``) with s = 0 … top servers per interval, for the
    number in system of the M_t/M/∞ day started empty: Poisson with mean m(t) (Eick,
    Massey and Whitt 1993), averaged over each interval by Gauss–Legendre
    quadrature."""
    n, width = len(load.arrival_rates), load.interval_minutes
    x, w = np.polynomial.legendre.leggauss(_NODES)
    t = (np.arange(n)[:, None] + (x[None, :] + 1.0) / 2.0) * width
    m = np.asarray(load.at(t.ravel())).reshape(n, _NODES)
    k = np.arange(top + 1)
    # time-averaged distribution of the number in system, levels 0 … top (the rest
    # lumped into top, where it is below 1e-15 by the choice of top)
    shares = np.zeros((n, top + 1))
    for q in range(_NODES):
        shares += w[q] / 2.0 * stats.poisson.pmf(k[None, :], m[:, q, None])
    shares[:, -1] += 1.0 - shares.sum(axis=1)
    if within == 0.0:
        return np.cumsum(shares[:, ::-1], axis=1)[:, ::-1]  # P(L >= s)
    return shares @ _fail_table(0, top, top + 1, load.service_rate, within, theta).T


def _smallest(
    fail: np.ndarray, lows: np.ndarray, rates: np.ndarray, targets: dict[str, float]
) -> tuple[int, ...]:
    """Per interval, the smallest s = lows[i] + j whose P(W > within) meets the
    target (the band's top when none does); 0 for an interval without demand."""
    meets = fail <= 1.0 - targets["service_level"] + 1e-12
    top = fail.shape[1] - 1
    first = np.where(meets.any(axis=1), meets.argmax(axis=1), top)
    return tuple(int(c) for c in np.where(rates > 0, lows + first, 0))


def _round(
    day: Day, servers: tuple[int, ...], reps: int, seed: int, client: Any
) -> tuple[np.ndarray, np.ndarray]:
    """One simulated ISA round with ``servers``: the band's lowest s per interval and
    the estimated P(W > within) for s = low … low + 2·BAND."""
    lows = np.maximum(np.asarray(servers) - BAND, 0)
    func = functools.partial(isa_replication, lows=tuple(lows.tolist()))
    per_rep = run_sweep(replace(day, servers=servers), reps, seed, client, func)
    fail = per_rep.mean(axis=0).to_numpy().reshape(2 * BAND + 1, len(servers)).T
    return lows, fail


def isa_staffing(
    arrival_rates: Rates,
    interval_minutes: float,
    service_rate: float | None = None,
    *,
    service_level: float | None = None,
    within: float | None = None,
    delay_probability: float | None = None,
    abandonment_rate: float | None = None,
    replications: int = 20,
    max_rounds: int = 10,
    seed: int | np.random.Generator | None = None,
    client: Any = None,
    service: Any = None,
) -> StaffingPlan:
    """Staff a day by the simulation-based iterative staffing algorithm (ISA), for a
    service level that is stable over the day.

    Round n simulates the day with staffing s^(n) and estimates the distribution of
    the number in system L over each interval's time. The next staffing is, per
    interval, the smallest s whose estimated P(not served within ``within``) is at
    most 1 − ``service_level``: for a delay-probability target P(L ≥ s) ≤ α (an
    arrival waits iff it finds s or more, by PASTA, for any service law); for
    ``within`` > 0 an arrival finding k ≥ s waits an Erlang(k − s + 1, sμ) time, and
    with exponential patience (rate θ, the M_t/M/s_t+M day) it is served within τ
    with probability x/(x + q + 1) · I_{1−e^{−θτ}}(q + 1, x + 1), q = k − s, x =
    sμ/θ (abandoners count as failures, as in :class:`~crmkit.queues.ErlangA`).
    Round 0 has so many servers that nobody waits: its L(t) is Poisson(m(t))
    (:func:`offered_load`), computed exactly for exponential service; with another
    ``service`` law the same M_t/M/∞ round, with the same mean, only starts the
    iteration, and the simulated rounds use the law given. Rounds
    stop when no interval's staffing changes by more than one server, and the plan
    takes the larger of the last two in each interval (a finite sample makes the
    staffing jitter by one); when it cycles by more, the plan takes each interval's
    largest staffing over the cycle, evaluated in one more round. An interval
    without demand gets 0 servers.

    Two additions to the published algorithm, both for a small sample: where an
    interval's staffing turns back (up after down, or down after up) it moves only
    half way, which damps the see-saw between neighbouring intervals that a carried
    queue can start (seen with service-level targets); and a round moves an
    interval's staffing by at most 3 servers (the band it estimates).
    ``predicted_service_level`` is estimated on the same simulated days the staffing
    was fitted to, so it is optimistic: check a plan with :func:`simulate_day` and
    another seed, and use more replications (hundreds) for large loads, where one
    server moves the service level by several points.

    Parameters
    ----------
    arrival_rates, interval_minutes, service_rate : as for :func:`sipp_staffing`
        (``service_rate`` may be omitted when ``service`` is given).
    service_level, within, delay_probability : float, optional
        The target, as for :func:`sipp_staffing`; with abandonment, a service level
        counts abandoners as failures (P(served and waited ≤ ``within``)).
    abandonment_rate : float, optional
        θ = 1 / mean patience per minute (M_t/M/s_t+M).
    replications : int, default 20
        Simulated days per round (2 to 10,000; with ``max_rounds``, at most 2·10**7
        customers in all).
    max_rounds : int, default 10
        Most simulated rounds (1 to 50).
    seed : int, Generator or None
        Every round uses the streams keyed (seed, 0, r), r = 0 … replications − 1.
    client : None, "serial", str or distributed.Client
        Where the replications run (:func:`crmkit.experiments.sweep`): None or
        ``"serial"`` here, a Dask client or address there; the staffing is the same.
    service : distribution, optional
        Service times for the simulated rounds, as for :func:`simulate_day` (e.g.
        ``Lognormal(mean=4.0, cv=1.2)``). A law other than
        :class:`~crmkit.queues.Exponential` takes a delay-probability target (or
        ``within`` = 0) only: the wait of a caller who finds k in the system is
        known in closed form for exponential service alone.

    Returns
    -------
    StaffingPlan
        With ``iterations``, ``converged`` and ``history``; ``offered_loads`` are the
        lagged M_t/M/∞ loads (:func:`offered_load`) and ``predicted_service_level``
        is the last round's (in-sample) estimate.

    Raises
    ------
    TargetError
        A service level with ``within`` > 0 together with a non-exponential
        ``service``.
    ParameterError
        Bad rates, too many replications or rounds, or a first round of more than
        2·10**8 cells (intervals × levels of the number in system, × staffing
        levels for ``within`` > 0).

    References
    ----------
    Z. Feldman, A. Mandelbaum, W. A. Massey and W. Whitt (2008), "Staffing of
    time-varying queues to achieve time-stable performance", *Management Science*
    54(2):324–338 (the iterative staffing algorithm, with and without
    abandonment). A. Mandelbaum and S. Zeltyn (2007), "Service engineering in
    action: the Palm/Erlang-A queue, with applications to call centers", in
    *Advances in Services Innovations*, Springer, pp. 17–45 (the wait of a caller
    who finds k in an M/M/s+M system).

    Examples
    --------
    >>> plan = isa_staffing([1.0, 3.0, 2.0], 30, 1 / 4, delay_probability=0.2,
    ...                     replications=10, seed=1)
    >>> plan.converged, len(plan.servers)
    (True, 3)
    >>> all(9 <= c <= 18 for c in plan.servers[1:])
    True

    A service level with impatient callers (mean patience 2 minutes):

    >>> impatient = isa_staffing([1.0, 3.0, 2.0], 30, 1 / 4, service_level=0.8,
    ...                          within=1 / 3, abandonment_rate=0.5,
    ...                          replications=10, seed=1)
    >>> impatient.converged, impatient.targets["abandonment_rate"]
    (True, 0.5)
    """
    rates, width, mu, targets, law = check_question(
        arrival_rates,
        interval_minutes,
        service_rate,
        (service_level, within, delay_probability, abandonment_rate),
        service,
    )
    theta = targets.get("abandonment_rate")
    if law is not None and targets["within"] > 0:
        raise TargetError(
            f"within = {targets['within']:g} with service = {show(service)}: ISA's "
            "service-level rule (the wait of a caller who finds k in the system) "
            "holds for exponential service only; pass delay_probability (exact for "
            "any service law), or use Exponential service."
        )
    rounds = check_count("max_rounds", max_rounds, minimum=1, maximum=MAX_ROUNDS)
    n = rates.size
    load = offered_load(rates, width, mu)
    peak = max(load.start_loads + load.mean_loads)
    top = math.ceil(peak + 12.0 * math.sqrt(peak) + 20.0)
    cells = rates.size * (top + 1.0) * (1.0 if targets["within"] == 0 else top + 1.0)
    check_work(
        f"ISA's first round ({rates.size:,} intervals × {top + 1:,} levels"
        + (")" if targets["within"] == 0 else f" × {top + 1:,} staffing levels)"),
        cells,
        limit=MAX_CELLS,
        fix="pass fewer intervals (staff the day in parts) or a smaller load",
    )
    day = Day(tuple(rates.tolist()), width, (0,) * n, mu, theta, targets["within"], law)
    reps = check_replications(replications, day, rounds)
    key = check_seed(seed)
    fail = _infinite_server_round(load, top, targets["within"], theta)
    current = _smallest(fail, np.zeros(rates.size, int), rates, targets)
    history: list[tuple[int, ...]] = [current]
    converged = False
    step = np.zeros(n, int)
    for _ in range(rounds):
        lows, fail = _round(day, current, reps, key, client)
        rule = np.asarray(_smallest(fail, lows, rates, targets))
        change = rule - np.asarray(current)
        # where the staffing turns back, go half way (damps the see-saw between
        # neighbouring intervals that a queue carried over can start)
        turn = change * step < 0
        change = np.where(turn, np.sign(change) * ((np.abs(change) + 1) // 2), change)
        following = tuple(int(c) for c in np.asarray(current) + change)
        step = np.where(change != 0, change, step)
        history.append(following)
        if np.max(np.abs(np.subtract(following, current))) <= 1:
            # settled up to the one-server jitter of a finite sample: keep the
            # larger of the last two (the last round estimated both)
            following = tuple(
                max(a, b) for a, b in zip(current, following, strict=True)
            )
            converged = True
            break
        if following in history[:-1]:
            # a cycle (the noise of a finite sample): take the most of each interval
            # over it, and estimate that staffing's performance in one more round
            cycle = history[history.index(following) :]
            following = tuple(int(c) for c in np.max(cycle, axis=0))
            lows, fail = _round(day, following, reps, key, client)
            history.append(following)
            converged = True
            break
        current = following
    rows = np.arange(rates.size)
    predicted = np.where(
        rates > 0, 1.0 - fail[rows, np.asarray(following) - lows], math.nan
    )
    return StaffingPlan(
        method="ISA",
        arrival_rates=tuple(rates.tolist()),
        interval_minutes=width,
        service_rate=mu,
        servers=following,
        offered_loads=load.mean_loads,
        predicted_service_level=tuple(predicted.tolist()),
        targets=targets,
        iterations=len(history) - 1,
        converged=converged,
        history=tuple(history),
        seed=key,
    )
