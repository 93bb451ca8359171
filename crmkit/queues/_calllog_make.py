"""Synthesising a call log: a look-alike of the Anonymous Bank log, made by simulation.

:class:`CallCentreCalibration` holds the published figures the log is calibrated to;
its default hourly profiles are the packaged data file ``call_centre_profiles.csv``
(see its data card). :func:`make_call_log` simulates day after day and writes the calls
in the file layout of :data:`~crmkit.queues.CALL_LOG_COLUMNS`.

Each function's docstring gives the full references of its sources.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from crmkit._frozen import set_fields
from crmkit._replication import check_rng
from crmkit._validate import (
    check_count,
    check_probability,
    check_real,
    check_work,
    show,
)
from crmkit.errors import DataError, ParameterError
from crmkit.queues._base import check_sequence, check_values
from crmkit.queues._calllog_read import one_date
from crmkit.queues._calllog_replay import serve_by_hour
from crmkit.queues._distributions import Lognormal
from crmkit.queues._engines import Records
from crmkit.queues._staffing import staff

__all__ = ["CallCentreCalibration", "make_call_log"]

#: most expected calls per day, and in one make_call_log call (about a minute)
_MAX_CALLS_PER_DAY = 1e6
_MAX_CALLS = 5e6
_MAX_DAYS = 366

#: the packaged file of default hourly profiles (package data of crmkit.datasets)
_PROFILES = "call_centre_profiles.csv"


@functools.cache
def _default_profile(column: str) -> tuple[float, ...]:
    """One column of ``call_centre_profiles.csv``: 24 shares, exactly as written."""
    try:
        text = (
            resources.files("crmkit.datasets")
            .joinpath("data", _PROFILES)
            .read_text(encoding="utf-8")
        )
    except (FileNotFoundError, NotADirectoryError):
        raise DataError(
            f"crmkit's data file {_PROFILES} is missing from this installation; "
            "reinstall crmkit (pip install --force-reinstall crmkit)."
        ) from None
    # read as text and convert with float(), which rounds each decimal exactly as
    # the literal it replaces would
    table = pd.read_csv(io.StringIO(text), index_col="hour", dtype=str)
    return tuple(float(v) for v in table[column])


def _profile_field(column: str) -> Any:
    """A dataclass field whose default is one column of the packaged profiles."""
    return field(default_factory=functools.partial(_default_profile, column))


@dataclass(frozen=True)
class CallCentreCalibration:
    """The published figures the synthetic call log is calibrated to.

    Defaults follow Brown et al. (2005) and the February 1999 month of the same data:
    about 1,500 calls on a working day (Sunday–Thursday; Friday mornings and Saturday
    evenings are short), peaks near 10:00 and 13:00–16:00, lognormal service with mean
    about 187 s and log-standard deviation 0.88, a mean patience of several minutes,
    and abandonment around 13 %. The hourly profiles are shares of a day's calls; the
    defaults are read from the data file ``call_centre_profiles.csv`` shipped with
    crmkit (``crmkit.datasets.data_file("call_centre_profiles.csv")``, with its card).

    Every field is checked: calls per day in [0, 10**6], 24 non-negative shares per
    profile (not all zero), times in seconds in [0.1, 86400], log standard deviations
    at most 3.7, shares and probabilities in [0, 1].

    Attributes
    ----------
    calls_per_workday, calls_friday, calls_saturday : float
        Expected calls on each kind of day.
    workday_profile, friday_profile, saturday_profile : tuple of 24 float
        Share of the day's calls arriving in each hour (0:00 … 23:00).
    service_mean_s, service_log_sd : float
        Lognormal service times (seconds).
    patience_mean_s : float
        Mean of exponential patience (seconds).
    target_abandonment : float
        Agents per hour are set by Erlang A staffing to this abandonment probability.
    vru_median_s, vru_log_sd : float
        Lognormal time in the voice-response unit before joining the queue.
    type_shares : dict
        Shares of service types (PS regular, NW prospect, NE stock exchange,
        TT call-back, IN internet, PE English).
    priority2_share : float
        Among identified (queued) callers, the share of priority-2 customers.

    References
    ----------
    L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao (2005),
    "Statistical analysis of a telephone call center: a queueing-science perspective",
    *Journal of the American Statistical Association* 100(469):36–50 (the calibration).

    Examples
    --------
    >>> cal = CallCentreCalibration()
    >>> cal.workday_profile[10], sum(cal.friday_profile)
    (0.0825, 1.0)
    """

    calls_per_workday: float = 1500.0
    calls_friday: float = 470.0
    calls_saturday: float = 215.0
    workday_profile: tuple[float, ...] = _profile_field("workday_share")
    friday_profile: tuple[float, ...] = _profile_field("friday_share")
    saturday_profile: tuple[float, ...] = _profile_field("saturday_share")
    service_mean_s: float = 187.0
    service_log_sd: float = 0.88
    patience_mean_s: float = 360.0
    target_abandonment: float = 0.20
    vru_median_s: float = 9.0
    vru_log_sd: float = 0.45
    type_shares: tuple[tuple[str, float], ...] = (
        ("PS", 0.6432),
        ("NW", 0.2288),
        ("NE", 0.0830),
        ("TT", 0.0317),
        ("IN", 0.0089),
        ("PE", 0.0044),
    )
    priority2_share: float = 0.66

    def __post_init__(self) -> None:
        days = ("calls_per_workday", "calls_friday", "calls_saturday")
        profiles = ("workday_profile", "friday_profile", "saturday_profile")
        times = ("service_mean_s", "patience_mean_s", "vru_median_s")
        set_fields(
            self,
            **{
                name: check_real(
                    name, getattr(self, name), low=0.0, high=_MAX_CALLS_PER_DAY
                )
                for name in days
            },
            **{name: _check_profile(name, getattr(self, name)) for name in profiles},
            **{
                name: check_real(name, getattr(self, name), low=0.1, high=86_400.0)
                for name in times
            },
            service_log_sd=check_real(
                "service_log_sd", self.service_log_sd, low=0.0, low_open=True, high=3.7
            ),
            vru_log_sd=check_real("vru_log_sd", self.vru_log_sd, low=0.0, high=3.7),
            target_abandonment=check_probability(
                "target_abandonment",
                self.target_abandonment,
                open_low=True,
                open_high=True,
            ),
            priority2_share=check_probability("priority2_share", self.priority2_share),
        )
        set_fields(self, type_shares=_check_type_shares(self.type_shares))

    def day_plan(self, weekday: int) -> tuple[float, tuple[float, ...]]:
        """(expected calls, hourly profile) for a day (Monday = 0 … Sunday = 6)."""
        if weekday == 4:
            return self.calls_friday, self.friday_profile
        if weekday == 5:
            return self.calls_saturday, self.saturday_profile
        return self.calls_per_workday, self.workday_profile


def _check_profile(name: str, value: object) -> tuple[float, ...]:
    """24 non-negative hourly shares, not all zero."""
    given = check_sequence(name, value, "24 hourly shares")
    if len(given) != 24:
        raise ParameterError(
            f"{name} has {len(given)} values; pass 24 hourly shares (0:00 … 23:00)."
        )
    shares = check_values(name, given, low=0.0, high=1e6)
    if shares.sum() == 0:
        raise ParameterError(
            f"{name} is all zeros; pass shares with at least one positive hour."
        )
    return tuple(shares.tolist())


def _check_type_shares(value: object) -> tuple[tuple[str, float], ...]:
    """A non-empty sequence of (type label, share >= 0) pairs, not all zero."""
    pairs = check_sequence("type_shares", value, '(("PS", 0.7), ("NW", 0.3))')
    if len(pairs) == 0 or not all(
        isinstance(p, tuple | list) and len(p) == 2 and isinstance(p[0], str)
        for p in pairs
    ):
        raise ParameterError(
            f"type_shares = {show(value)} is not a non-empty sequence "
            'of (type, share) pairs; pass e.g. (("PS", 0.7), ("NW", 0.3)).'
        )
    shares = check_values("type_shares shares", [p[1] for p in pairs], low=0.0)
    if shares.sum() == 0:
        raise ParameterError(
            "type_shares has only zero shares; pass at least one positive share."
        )
    return tuple((p[0], float(v)) for p, v in zip(pairs, shares, strict=True))


def make_call_log(
    days: int,
    seed: int | np.random.Generator | None,
    *,
    start: str = "2001-01-07",
    calibration: CallCentreCalibration | None = None,
) -> pd.DataFrame:
    """A synthetic call log in the Anonymous Bank layout, made by simulation.

    Each day's calls arrive as a non-homogeneous Poisson process with the calibrated
    hourly profile, spend a short time in the voice-response unit, and join one FCFS
    queue served by the agents on duty that hour (set by Erlang A staffing for each
    hour); callers abandon when their exponential patience runs out. Days start empty.

    Parameters
    ----------
    days : int
        Number of consecutive days, 1 to 366 (about a minute for a year; at most
        5·10**6 expected calls in all).
    seed : int, Generator or None
        Random seed; the same seed gives the same log.
    start : str, default "2001-01-07" (a Sunday)
        The first date (ISO format).
    calibration : CallCentreCalibration, optional
        Figures to calibrate to (default: ``CallCentreCalibration()``, whose
        docstring gives the sources).

    Returns
    -------
    pandas.DataFrame
        The 17 columns of the real file, formatted as it formats them (strings for
        clock times and dates). ``priority`` and ``customer_id`` are labels only (the
        queue is FCFS); as in the real file, callers who never queued have
        ``customer_id`` 0 and ``priority`` 0.

    Examples
    --------
    >>> from crmkit.queues import CALL_LOG_COLUMNS
    >>> log = make_call_log(1, seed=3)
    >>> list(log.columns) == list(CALL_LOG_COLUMNS)
    True
    >>> 1200 < len(log) < 1800
    True
    """
    days = check_count("days", days, minimum=1, maximum=_MAX_DAYS)
    rng = check_rng(seed)
    cal = _calibration(calibration)
    busiest = max(cal.calls_per_workday, cal.calls_friday, cal.calls_saturday)
    check_work(
        f"days = {days} at up to {busiest:g} calls a day",
        days * busiest,
        limit=_MAX_CALLS,
        fix="make fewer days, or lower the calibration's calls per day",
    )
    first = one_date("start", start)
    service = Lognormal.from_log(
        math.log(cal.service_mean_s) - cal.service_log_sd**2 / 2, cal.service_log_sd
    )
    frames = []
    call_id = 100_000
    for d in range(days):
        frame = _make_day(rng, first + pd.Timedelta(days=d), cal, service, call_id)
        if frame is not None:
            frames.append(frame)
            call_id += len(frame)
    return pd.concat(frames, ignore_index=True)


def _calibration(calibration: object) -> CallCentreCalibration:
    if calibration is None:
        return CallCentreCalibration()
    if isinstance(calibration, CallCentreCalibration):
        return calibration
    raise ParameterError(
        f"calibration = {show(calibration)} is a {type(calibration).__name__}, not "
        "a CallCentreCalibration; pass CallCentreCalibration(...) with the figures "
        "to change (or None for the defaults)."
    )


def _make_day(
    rng: np.random.Generator,
    date: pd.Timestamp,
    cal: CallCentreCalibration,
    service: Lognormal,
    call_id: int,
) -> pd.DataFrame | None:
    """One day of calls (None if nobody calls): arrive, staff, queue, label."""
    calls, profile = cal.day_plan(date.day_of_week)
    prof = np.asarray(profile) / np.sum(profile)
    counts = rng.poisson(calls * prof)
    hours = np.repeat(np.arange(24), counts)
    arrive = np.sort(hours * 3600.0 + rng.random(hours.size) * 3600.0)
    n = arrive.size
    if n == 0:
        return None
    agents = _agents_per_hour(calls * prof / 3600.0, cal)
    vru = rng.lognormal(math.log(cal.vru_median_s), cal.vru_log_sd, n).round()
    vru = np.maximum(vru, 1.0)
    queue_in = arrive + vru
    order = np.argsort(queue_in, kind="stable")
    arrive, vru, queue_in = arrive[order], vru[order], queue_in[order]
    svc = np.maximum(np.round(service.sample(rng, n)), 1.0)
    patience = rng.exponential(cal.patience_mean_s, n)
    rec = serve_by_hour(queue_in, svc, patience, agents)
    wait = np.where(rec.served, rec.start - queue_in, patience)
    queued = wait >= 0.5  # under half a second: 0 s
    kinds, prio, customer = _labels(rng, queued, cal)
    return pd.DataFrame(
        {
            "vru+line": [f"AA01{(i % 6) + 1:02d}" for i in range(n)],
            "call_id": np.arange(call_id, call_id + n),
            "customer_id": customer,
            "priority": prio,
            "type": kinds,
            "date": date.strftime("%y%m%d"),
            **_clock_columns(arrive, queue_in, vru, svc, wait, queued, rec),
        }
    )


def _agents_per_hour(rates: np.ndarray, cal: CallCentreCalibration) -> list[int]:
    """Fewest agents (at least 1) keeping Erlang A abandonment at the target, hour by
    hour at its mean rate per second; 0 where nobody calls."""
    agents = []
    for lam in rates:
        if lam <= 0:
            agents.append(0)
            continue
        plan = staff(
            lam,
            1 / cal.service_mean_s,
            prob_abandon=cal.target_abandonment,
            abandonment_rate=1 / cal.patience_mean_s,
        )
        agents.append(max(1, plan.servers))
    return agents


def _labels(
    rng: np.random.Generator, queued: np.ndarray, cal: CallCentreCalibration
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Service type, priority and customer id of each call (0 when it never queued)."""
    n = queued.size
    types, shares = zip(*cal.type_shares, strict=True)
    share_arr = np.asarray(shares) / np.sum(shares)
    kinds = rng.choice(np.asarray(types, dtype=object), size=n, p=share_arr)
    prio = np.where(queued, np.where(rng.random(n) < cal.priority2_share, 2, 1), 0)
    customer = np.where(queued, rng.integers(10_000_000, 99_999_999, n), 0)
    return kinds, prio, customer


def _clock_columns(
    arrive: np.ndarray,
    queue_in: np.ndarray,
    vru: np.ndarray,
    svc: np.ndarray,
    wait: np.ndarray,
    queued: np.ndarray,
    rec: Records,
) -> dict[str, np.ndarray]:
    """The time and outcome columns as the real file writes them (``H:MM:SS``, whole
    seconds, ``0:00:00`` placeholders)."""
    served = rec.served
    q_time = np.where(queued, np.round(wait), 0).astype(np.int64)
    ser_start = queue_in + np.where(
        served, np.round(np.nan_to_num(rec.start - queue_in)), 0
    )
    return {
        "vru_entry": _clock(arrive),
        "vru_exit": _clock(queue_in),
        "vru_time": vru.astype(np.int64),
        "q_start": np.where(queued, _clock(queue_in), "0:00:00"),
        "q_exit": np.where(queued, _clock(queue_in + q_time), "0:00:00"),
        "q_time": q_time,
        "outcome": np.where(served, "AGENT", "HANG"),
        "ser_start": np.where(served, _clock(ser_start), "0:00:00"),
        "ser_exit": np.where(served, _clock(ser_start + svc), "0:00:00"),
        "ser_time": np.where(served, svc, 0).astype(np.int64),
        "server": np.where(
            served, [f"AGENT{s + 1:02d}" for s in rec.server], "NO_SERVER"
        ),
    }


def _clock(seconds: np.ndarray) -> np.ndarray:
    s = np.round(seconds).astype(np.int64) % 86_400
    h, rem = np.divmod(s, 3600)
    m, sec = np.divmod(rem, 60)
    return np.array(
        [f"{a}:{b:02d}:{c:02d}" for a, b, c in zip(h, m, sec, strict=True)],
        dtype=object,
    )
