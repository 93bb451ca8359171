"""Replaying a logged day of calls under another staffing plan.

:func:`serve_by_hour` runs one day of calls through one FCFS queue with agents per hour
and abandonment (the event engine); the synthesiser makes its days with it, and
:func:`replay_call_log` reruns a logged day, imputing what the log does not show.

Each function's docstring gives the full references of its sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit._replication import half_width, spawn_streams
from crmkit._validate import check_count, check_positive, check_work
from crmkit.errors import ParameterError
from crmkit.queues._base import MAX_SIM_SERVERS, check_sequence
from crmkit.queues._calllog_estimate import patience_curve
from crmkit.queues._calllog_read import (
    check_log,
    hour_of_day,
    one_day,
    queue_seconds,
)
from crmkit.queues._engines import Records, event_engine
from crmkit.queues._schedule import Schedule

__all__ = ["replay_call_log"]

#: most simulated calls in one replay_call_log call (replications × calls that day)
_MAX_REPLAY_CALLS = 10**7

#: the outcome columns of the replay table (each gets a ``*_ci`` half-width)
_OUTCOMES = ("abandonment", "mean_wait_s", "service_level")


def serve_by_hour(
    arrivals: np.ndarray,
    services: np.ndarray,
    patience: np.ndarray,
    agents: Sequence[int],
) -> Records:
    """One FCFS queue served by ``agents[h]`` agents in hour ``h`` (times in seconds
    after midnight); callers leave when their patience runs out."""
    schedule = Schedule.from_intervals(agents, 3600.0)
    return event_engine(
        arrivals,
        services,
        schedule_starts=np.asarray(schedule.starts),
        schedule_servers=np.asarray(schedule.servers),
        patience=patience,
    )


def _impute_patience(
    waited: np.ndarray,
    grid: np.ndarray,
    surv: np.ndarray,
    tail_mean: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """Patience of callers known only to exceed ``waited``, drawn from the KM curve.

    Inverse transform of P(τ > t | τ > w) = S(t)/S(w): draw U, target S(w)·U, take the
    first curve time at or below it; past the curve's end, add an exponential tail with
    mean ``tail_mean``.
    """
    target = np.interp(waited, grid, surv) * rng.random(waited.size)
    idx = np.searchsorted(-surv, -target, side="left")
    inside = idx < grid.size
    out = np.empty(waited.size)
    out[inside] = grid[idx[inside]]
    out[~inside] = grid[-1] + rng.exponential(tail_mean, int((~inside).sum()))
    return np.maximum(out, waited)


@dataclass(frozen=True)
class _Day:
    """What the log shows of one day (arrays in queue-joining order), and the pools
    the unseen part is drawn from."""

    arrive: np.ndarray  # seconds after midnight the caller joined the queue
    served: np.ndarray
    ser: np.ndarray  # logged service time (0 when not served)
    waited: np.ndarray  # logged time in queue
    kinds: np.ndarray  # service type labels
    grid: np.ndarray  # Kaplan–Meier patience curve: times …
    surv: np.ndarray  # … and survival, from 0 s
    tail_mean: float  # restricted mean patience, for draws past the curve's end
    pool: dict[str, np.ndarray]  # served calls' service times by type
    every: np.ndarray  # all served calls' service times

    @classmethod
    def from_log(cls, day: pd.DataFrame, log: pd.DataFrame) -> _Day:
        served = day["served"].to_numpy()
        ser = day["ser_time"].to_numpy(dtype=float)
        kinds = day["type"].astype(str).to_numpy()
        curve, tail_mean = patience_curve(log)
        return cls(
            arrive=queue_seconds(day).to_numpy(dtype=float),
            served=served,
            ser=ser,
            waited=day["q_time"].to_numpy(dtype=float),
            kinds=kinds,
            grid=np.concatenate(([0.0], curve["seconds"].to_numpy())),
            surv=np.concatenate(([1.0], curve["survival"].to_numpy())),
            tail_mean=tail_mean,
            pool={k: ser[served & (kinds == k) & (ser > 0)] for k in np.unique(kinds)},
            every=ser[served & (ser > 0)],
        )

    def impute(self, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(service, patience) of every call: logged where the log shows it, drawn
        where it does not."""
        svc = self.ser.copy()
        need = ~self.served | (svc <= 0)
        for k in np.unique(self.kinds[need]):
            mask = need & (self.kinds == k)
            source = self.pool.get(k)
            if source is None or not source.size:
                source = self.every
            svc[mask] = rng.choice(source, size=int(mask.sum()))
        pat = np.where(self.served, np.inf, self.waited)
        pat[self.served] = _impute_patience(
            self.waited[self.served], self.grid, self.surv, self.tail_mean, rng
        )
        return svc, pat


def replay_call_log(
    log: pd.DataFrame,
    date: object,
    agents: Sequence[int],
    *,
    replications: int = 20,
    seed: int | np.random.Generator | None = None,
    within_s: float = 20.0,
) -> pd.DataFrame:
    """Replay one logged day under another number of agents per hour.

    The calls arrive when they did. Served calls keep their logged service time and
    abandoned calls their logged patience (their time in queue). What the log does not
    show is imputed, differently in each replication: service times of abandoned calls
    are drawn from the day's served calls of the same type, and the patience of served
    callers is drawn from the Kaplan–Meier patience curve beyond the wait they had
    (censored data). Agents going off shift finish the call in hand.

    Parameters
    ----------
    log : DataFrame
        From :func:`read_call_log`.
    date : date-like
        The day to replay.
    agents : sequence of 24 int
        Agents on duty in each hour (e.g. ``agents_by_hour(log, date)`` with changes),
        each 0 to 10**6.
    replications : int, default 20
        Imputation draws; the table reports their mean and a 95 % interval. At most
        10**7 calls are simulated in all (replications × the day's calls).
    seed : int, Generator or None
        Seed of the imputation.
    within_s : float, default 20.0
        Service-level threshold in seconds.

    Returns
    -------
    pandas.DataFrame
        Index ``hour`` plus a final ``"day"`` row: ``calls``, ``agents``,
        ``abandonment``, ``mean_wait_s``, ``service_level`` (served within ``within_s``
        among all calls), each with ``*_ci`` half-widths across replications.

    Examples
    --------
    >>> from crmkit.datasets import load_call_centre
    >>> from crmkit.queues import agents_by_hour
    >>> log = load_call_centre()
    >>> day = log["date"].iloc[0]
    >>> base = agents_by_hour(log, day)
    >>> more = [a + 2 if h == 10 else a for h, a in enumerate(base)]
    >>> a = replay_call_log(log, day, base, replications=5, seed=1)
    >>> b = replay_call_log(log, day, more, replications=5, seed=1)
    >>> bool(b.loc[10, "mean_wait_s"] <= a.loc[10, "mean_wait_s"])
    True
    """
    log = check_log(
        log, ["date", "vru_exit", "served", "queued", "ser_time", "q_time", "type"]
    )
    levels = _hourly_levels(agents)
    reps = check_count("replications", replications, minimum=1)
    within = check_positive("within_s", within_s)
    streams = spawn_streams(seed, reps)
    day = one_day(log, date).sort_values("vru_exit")
    check_work(
        f"replications = {reps:,} × {len(day):,} calls that day",
        float(reps) * len(day),
        limit=_MAX_REPLAY_CALLS,
        fix="reduce replications",
    )
    logged = _Day.from_log(day, log)
    per_rep = [_replicate(logged, levels, within, child) for child in streams]
    return _summarise(per_rep, levels)


def _hourly_levels(agents: object) -> list[int]:
    """24 numbers of agents, each 0 to 10**6."""
    hourly = check_sequence("agents", agents, "agents_by_hour(log, date)")
    if len(hourly) != 24:
        raise ParameterError(
            f"agents must give 24 hourly numbers, got {len(hourly)}; pass one number "
            "of agents per hour (e.g. agents_by_hour(log, date))."
        )
    return [
        check_count(f"agents[{h}]", a, minimum=0, maximum=MAX_SIM_SERVERS)
        for h, a in enumerate(hourly)
    ]


def _replicate(
    logged: _Day, levels: list[int], within: float, rng: np.random.Generator
) -> pd.DataFrame:
    """One replication: impute, serve, and tabulate by hour plus a ``"day"`` row."""
    svc, pat = logged.impute(rng)
    rec = serve_by_hour(logged.arrive, svc, pat, levels)
    wait = np.where(rec.served, rec.start - logged.arrive, pat)
    frame = pd.DataFrame(
        {
            "hour": hour_of_day(logged.arrive),
            "abandoned": ~rec.served,
            "wait": wait,
            "ok": rec.served & (wait <= within),
        }
    )
    by_hour = frame.groupby("hour").agg(
        calls=("wait", "size"),
        abandonment=("abandoned", "mean"),
        mean_wait_s=("wait", "mean"),
        service_level=("ok", "mean"),
    )
    total = pd.DataFrame(
        {
            "calls": [len(frame)],
            "abandonment": [frame["abandoned"].mean()],
            "mean_wait_s": [frame["wait"].mean()],
            "service_level": [frame["ok"].mean()],
        },
        index=["day"],
    )
    return pd.concat([by_hour, total])


def _summarise(per_rep: list[pd.DataFrame], levels: list[int]) -> pd.DataFrame:
    """Mean over replications, with 95 % half-widths and the agents on duty."""
    reps = len(per_rep)
    stacked = pd.concat(per_rep, keys=range(reps), names=["rep", "hour"])
    mean = stacked.groupby(level="hour", sort=False).mean()
    sd = stacked.groupby(level="hour", sort=False).std(ddof=1)
    out = mean.copy()
    for col in _OUTCOMES:
        out[f"{col}_ci"] = half_width(sd[col], reps)
    out["calls"] = out["calls"].round().astype(int)
    out.insert(
        1,
        "agents",
        [
            levels[h] if isinstance(h, int | np.integer) else sum(levels)
            for h in out.index
        ],
    )
    out.index.name = "hour"
    return out
