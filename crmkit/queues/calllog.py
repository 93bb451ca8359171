"""Call-centre logs in the layout of the Technion "Anonymous Bank" data: read, make,
analyse.

The layout (one row per call, 17 columns) is that of the call log of an Israeli bank for
1999, published by the Technion SEE Center and analysed by Brown et al. (2005)::

    vru+line call_id customer_id priority type date vru_entry vru_exit vru_time q_start
    q_exit q_time outcome ser_start ser_exit ser_time server

``date`` is ``yymmdd``; times are ``H:MM:SS``; durations are whole seconds; ``q_start ==
0:00:00`` means the call never queued; ``outcome`` is AGENT (served), HANG (abandoned)
or PHANTOM (to ignore). :func:`read_call_log` parses that format into typed columns;
:func:`make_call_log` writes a synthetic log in it; the estimators turn a log into the
inputs of the queue models, and :func:`replay_call_log` reruns a logged day under
another staffing plan.

References
----------
L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao (2005),
"Statistical analysis of a telephone call center: a queueing-science perspective",
*Journal of the American Statistical Association* 100(469):36–50.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from crmkit._validate import (
    check_bool,
    check_count,
    check_dates,
    check_nonnegative,
    check_positive,
    check_probability,
    check_real,
    check_rng,
    check_work,
    show,
)
from crmkit.errors import DataError, ParameterError
from crmkit.queues._base import MAX_SIM_SERVERS, check_sequence, check_values
from crmkit.queues._distributions import Lognormal, Schedule
from crmkit.queues._engines import event_engine
from crmkit.queues._staffing import staff

__all__ = [
    "CALL_LOG_COLUMNS",
    "CallCentreCalibration",
    "abandonment_vs_wait",
    "agents_by_hour",
    "arrival_rates_by_hour",
    "make_call_log",
    "patience_curve",
    "read_call_log",
    "replay_call_log",
    "service_time_fit",
]

CALL_LOG_COLUMNS = (
    "vru+line",
    "call_id",
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "vru_time",
    "q_start",
    "q_exit",
    "q_time",
    "outcome",
    "ser_start",
    "ser_exit",
    "ser_time",
    "server",
)
_TIMES = ("vru_entry", "vru_exit", "q_start", "q_exit", "ser_start", "ser_exit")
_DURATIONS = ("vru_time", "q_time", "ser_time")


# -------------------------------------------------------------------------------
# reading


def _where(
    frame: pd.Series | pd.DataFrame, bad: pd.Series, *, in_file: bool = False
) -> tuple[object, str]:
    """(index label, "row …") of the first True in ``bad``; ``in_file`` adds the line
    of the file (the header is line 1)."""
    label = frame.index[int(np.flatnonzero(bad.to_numpy())[0])]
    line = (
        f" (line {label + 2} of the file)"
        if in_file and isinstance(label, int | np.integer)
        else ""
    )
    return label, f"row {label}{line}"


def _clock_seconds(col: pd.Series, name: str) -> pd.Series:
    parts = col.astype(str).str.strip().str.extract(r"^(\d{1,2}):(\d{2}):(\d{2})$")
    bad = parts[0].isna()
    if not bad.any():
        p = parts.astype(int)
        bad = (p[0] > 23) | (p[1] > 59) | (p[2] > 59)
    if bad.any():
        label, where = _where(col, bad, in_file=True)
        raise DataError(
            f"column {name!r} {where}: cannot read {col.loc[label]!r} as a clock time "
            "H:MM:SS (hours 0–23, minutes and seconds 0–59); write it as e.g. 9:05:30."
        )
    return p[0] * 3600 + p[1] * 60 + p[2]


def read_call_log(
    path: str | Path,
    *,
    drop_phantom: bool = True,
    drop_negative_vru: bool = True,
) -> pd.DataFrame:
    """Read a call log in the Anonymous Bank layout into typed columns.

    Parameters
    ----------
    path : str or Path
        A tab- or comma-separated file with the 17 columns of :data:`CALL_LOG_COLUMNS`.
    drop_phantom : bool, default True
        Drop PHANTOM calls (the documentation says to ignore them).
    drop_negative_vru : bool, default True
        Drop rows whose ``vru_time`` is negative (a recording error).

    Returns
    -------
    pandas.DataFrame
        The original columns, with ``date`` as a date, the six clock columns as
        timestamps (``q_*`` NaT when the call never queued, ``ser_*`` NaT when it was
        not served; a time earlier than the call's start is moved to the next day),
        durations as integers (seconds), and ``queued`` and ``served`` flags. What was
        dropped is reported in ``frame.attrs["dropped"]``; nothing is dropped silently.

    Raises
    ------
    DataError
        If the file cannot be read, a column is missing, or a date, time or duration
        cannot be parsed (the message names the column and the row, counted from 0
        after the header, and the line of the file).

    Examples
    --------
    >>> from crmkit.datasets import data_file
    >>> log = read_call_log(data_file("call_centre.csv"))
    >>> log[["date", "q_start", "outcome"]].dtypes.astype(str).tolist()
    ['datetime64[s]', 'datetime64[s]', 'category']
    """
    if not isinstance(path, str | os.PathLike):
        raise DataError(
            f"path = {show(path)} is a {type(path).__name__}, not a file name; pass "
            "the path of the call log as a str or pathlib.Path."
        )
    drop_phantom = check_bool("drop_phantom", drop_phantom)
    drop_negative_vru = check_bool("drop_negative_vru", drop_negative_vru)
    path = Path(path)
    if not path.exists():
        raise DataError(
            f"{path} does not exist; check the path (relative paths start at "
            f"{Path.cwd()})."
        )
    if not path.is_file():
        raise DataError(
            f"path = {str(path)!r} is a directory, not a file; pass the path of the "
            "call-log file itself."
        )
    try:
        raw = pd.read_csv(
            path, sep=None, engine="python", dtype=str, keep_default_na=False
        )
    except Exception as exc:  # any parser, decoding or sniffing failure
        raise DataError(
            f"{path.name} could not be read as a tab- or comma-separated table "
            f"({type(exc).__name__}: {exc}); check that it is a text file whose first "
            "line names the 17 columns of a call log."
        ) from None
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in CALL_LOG_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(
            f"{path.name} lacks column(s) {missing}; a call log needs "
            f"{', '.join(CALL_LOG_COLUMNS)} (rename the columns of your file to "
            "these names)."
        )
    dropped = {"PHANTOM": 0, "negative vru_time": 0}
    frame = raw.loc[:, list(CALL_LOG_COLUMNS)].copy()
    for name in (*_DURATIONS, "call_id", "priority"):
        values = pd.to_numeric(frame[name].str.strip(), errors="coerce")
        bad = values.isna() | (values != values.round()) | (values.abs() > 2.0**53)
        if bad.any():
            label, where = _where(frame, bad, in_file=True)
            raise DataError(
                f"column {name!r} {where}: {frame[name].loc[label]!r} is not a whole "
                "number below 2**53; write whole numbers (durations in seconds, ids as "
                "integers)."
            )
        frame[name] = values.astype(np.int64)
    if drop_phantom:
        phantom = frame["outcome"].str.strip() == "PHANTOM"
        dropped["PHANTOM"] = int(phantom.sum())
        frame = frame[~phantom]
    if drop_negative_vru:
        negative = frame["vru_time"] < 0
        dropped["negative vru_time"] = int(negative.sum())
        frame = frame[~negative]
    dates = pd.to_datetime(frame["date"].str.strip(), format="%y%m%d", errors="coerce")
    if dates.isna().any():
        label, where = _where(frame, dates.isna(), in_file=True)
        raise DataError(
            f"column 'date' {where}: cannot read {frame['date'].loc[label]!r} as "
            "yymmdd; write dates as e.g. 990201 for 1 February 1999."
        )
    out = frame.copy()
    out["date"] = dates.astype("datetime64[s]")
    entry = _clock_seconds(frame["vru_entry"], "vru_entry")
    for name in _TIMES:
        secs = _clock_seconds(frame[name], name)
        secs = secs.where(secs >= entry, secs + 86_400)  # past midnight
        stamp = out["date"] + pd.to_timedelta(secs, unit="s")
        out[name] = stamp.astype("datetime64[s]")
    out["queued"] = frame["q_start"].str.strip() != "0:00:00"
    out["served"] = frame["outcome"].str.strip() == "AGENT"
    out.loc[~out["queued"], ["q_start", "q_exit"]] = pd.NaT
    out.loc[~out["served"], ["ser_start", "ser_exit"]] = pd.NaT
    for name in ("type", "outcome", "vru+line", "server"):
        out[name] = out[name].str.strip().astype("category")
    out["customer_id"] = out["customer_id"].str.strip()
    out = out.reset_index(drop=True)
    out.attrs["dropped"] = dropped
    out.attrs["source"] = str(path)
    return out


# -------------------------------------------------------------------------- generating


#: most expected calls per day, and in one make_call_log call (about a minute)
_MAX_CALLS_PER_DAY = 1e6
_MAX_CALLS = 5e6
_MAX_DAYS = 366


@dataclass(frozen=True)
class CallCentreCalibration:
    """The published figures the synthetic call log is calibrated to.

    Defaults follow Brown et al. (2005) and the February 1999 month of the same data:
    about 1,500 calls on a working day (Sunday–Thursday; Friday mornings and Saturday
    evenings are short), peaks near 10:00 and 13:00–16:00, lognormal service with mean
    about 187 s and log-standard deviation 0.88, a mean patience of several minutes,
    and abandonment around 13 %. The hourly profiles are shares of a day's calls.

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
    """

    calls_per_workday: float = 1500.0
    calls_friday: float = 470.0
    calls_saturday: float = 215.0
    workday_profile: tuple[float, ...] = (
        0.0032,
        0.0010,
        0.0005,
        0.0001,
        0.0001,
        0.0006,
        0.0033,
        0.0267,
        0.0628,
        0.0718,
        0.0825,
        0.0746,
        0.0621,
        0.0795,
        0.0760,
        0.0748,
        0.0767,
        0.0624,
        0.0553,
        0.0440,
        0.0388,
        0.0410,
        0.0352,
        0.0269,
    )
    friday_profile: tuple[float, ...] = (
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.05,
        0.16,
        0.16,
        0.15,
        0.16,
        0.15,
        0.10,
        0.05,
        0.02,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
    )
    saturday_profile: tuple[float, ...] = (
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.03,
        0.29,
        0.21,
        0.17,
        0.15,
        0.15,
    )
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
        for name in ("calls_per_workday", "calls_friday", "calls_saturday"):
            value = check_real(
                name, getattr(self, name), low=0.0, high=_MAX_CALLS_PER_DAY
            )
            object.__setattr__(self, name, value)
        for name in ("workday_profile", "friday_profile", "saturday_profile"):
            given = check_sequence(name, getattr(self, name), "24 hourly shares")
            if len(given) != 24:
                raise ParameterError(
                    f"{name} has {len(given)} values; pass 24 hourly shares (0:00 … "
                    "23:00)."
                )
            shares = check_values(name, given, low=0.0, high=1e6)
            if shares.sum() == 0:
                raise ParameterError(
                    f"{name} is all zeros; pass shares with at least one positive hour."
                )
            object.__setattr__(self, name, tuple(shares.tolist()))
        for name in ("service_mean_s", "patience_mean_s", "vru_median_s"):
            value = check_real(name, getattr(self, name), low=0.1, high=86_400.0)
            object.__setattr__(self, name, value)
        object.__setattr__(
            self,
            "service_log_sd",
            check_real(
                "service_log_sd", self.service_log_sd, low=0.0, low_open=True, high=3.7
            ),
        )
        object.__setattr__(
            self,
            "vru_log_sd",
            check_real("vru_log_sd", self.vru_log_sd, low=0.0, high=3.7),
        )
        object.__setattr__(
            self,
            "target_abandonment",
            check_probability(
                "target_abandonment",
                self.target_abandonment,
                open_low=True,
                open_high=True,
            ),
        )
        object.__setattr__(
            self,
            "priority2_share",
            check_probability("priority2_share", self.priority2_share),
        )
        pairs = check_sequence(
            "type_shares", self.type_shares, '(("PS", 0.7), ("NW", 0.3))'
        )
        if len(pairs) == 0 or not all(
            isinstance(p, tuple | list) and len(p) == 2 and isinstance(p[0], str)
            for p in pairs
        ):
            raise ParameterError(
                f"type_shares = {show(self.type_shares)} is not a non-empty sequence "
                'of (type, share) pairs; pass e.g. (("PS", 0.7), ("NW", 0.3)).'
            )
        shares = check_values("type_shares shares", [p[1] for p in pairs], low=0.0)
        if shares.sum() == 0:
            raise ParameterError(
                "type_shares has only zero shares; pass at least one positive share."
            )
        object.__setattr__(
            self,
            "type_shares",
            tuple((p[0], float(v)) for p, v in zip(pairs, shares, strict=True)),
        )

    def day_plan(self, weekday: int) -> tuple[float, tuple[float, ...]]:
        """(expected calls, hourly profile) for a day (Monday = 0 … Sunday = 6)."""
        if weekday == 4:
            return self.calls_friday, self.friday_profile
        if weekday == 5:
            return self.calls_saturday, self.saturday_profile
        return self.calls_per_workday, self.workday_profile


def _clock(seconds: np.ndarray) -> np.ndarray:
    s = np.round(seconds).astype(np.int64) % 86_400
    h, rem = np.divmod(s, 3600)
    m, sec = np.divmod(rem, 60)
    return np.array(
        [f"{a}:{b:02d}:{c:02d}" for a, b, c in zip(h, m, sec, strict=True)],
        dtype=object,
    )


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
        Figures to calibrate to (defaults: Brown et al. 2005).

    Returns
    -------
    pandas.DataFrame
        The 17 columns of the real file, formatted as it formats them (strings for
        clock times and dates). ``priority`` and ``customer_id`` are labels only (the
        queue is FCFS); as in the real file, callers who never queued have
        ``customer_id`` 0 and ``priority`` 0.

    Examples
    --------
    >>> log = make_call_log(1, seed=3)
    >>> list(log.columns) == list(CALL_LOG_COLUMNS)
    True
    >>> 1200 < len(log) < 1800
    True
    """
    days = check_count("days", days, minimum=1, maximum=_MAX_DAYS)
    rng = check_rng(seed)
    if calibration is None:
        cal = CallCentreCalibration()
    elif isinstance(calibration, CallCentreCalibration):
        cal = calibration
    else:
        raise ParameterError(
            f"calibration = {show(calibration)} is a {type(calibration).__name__}, not "
            "a CallCentreCalibration; pass CallCentreCalibration(...) with the figures "
            "to change (or None for the defaults)."
        )
    busiest = max(cal.calls_per_workday, cal.calls_friday, cal.calls_saturday)
    check_work(
        f"days = {days} at up to {busiest:g} calls a day",
        days * busiest,
        limit=_MAX_CALLS,
        fix="make fewer days, or lower the calibration's calls per day",
    )
    first = _one_date("start", start)
    service = Lognormal.from_log(
        math.log(cal.service_mean_s) - cal.service_log_sd**2 / 2, cal.service_log_sd
    )
    frames = []
    call_id = 100_000
    types, shares = zip(*cal.type_shares, strict=True)
    share_arr = np.asarray(shares) / np.sum(shares)
    for d in range(days):
        date = first + pd.Timedelta(days=d)
        calls, profile = cal.day_plan(date.day_of_week)
        prof = np.asarray(profile) / np.sum(profile)
        rates = calls * prof / 3600.0  # per second, by hour
        counts = rng.poisson(calls * prof)
        hours = np.repeat(np.arange(24), counts)
        arrive = np.sort(hours * 3600.0 + rng.random(hours.size) * 3600.0)
        n = arrive.size
        if n == 0:
            continue
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
        vru = rng.lognormal(math.log(cal.vru_median_s), cal.vru_log_sd, n).round()
        vru = np.maximum(vru, 1.0)
        queue_in = arrive + vru
        order = np.argsort(queue_in, kind="stable")
        arrive, vru, queue_in = arrive[order], vru[order], queue_in[order]
        svc = np.maximum(np.round(service.sample(rng, n)), 1.0)
        patience = rng.exponential(cal.patience_mean_s, n)
        schedule = Schedule.from_intervals(agents, 3600.0)
        rec = event_engine(
            queue_in,
            svc,
            np.asarray(schedule.starts),
            np.asarray(schedule.servers),
            patience,
            None,
            None,
            1,
        )
        served = rec.served
        wait = np.where(served, rec.start - queue_in, patience)
        queued = wait >= 0.5  # under half a second: 0 s
        kinds = rng.choice(np.asarray(types, dtype=object), size=n, p=share_arr)
        prio = np.where(queued, np.where(rng.random(n) < cal.priority2_share, 2, 1), 0)
        customer = np.where(queued, rng.integers(10_000_000, 99_999_999, n), 0)
        q_time = np.where(queued, np.round(wait), 0).astype(np.int64)
        ser_start = queue_in + np.where(
            served, np.round(np.nan_to_num(rec.start - queue_in)), 0
        )
        frames.append(
            pd.DataFrame(
                {
                    "vru+line": [f"AA01{(i % 6) + 1:02d}" for i in range(n)],
                    "call_id": np.arange(call_id, call_id + n),
                    "customer_id": customer,
                    "priority": prio,
                    "type": kinds,
                    "date": date.strftime("%y%m%d"),
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
            )
        )
        call_id += n
    return pd.concat(frames, ignore_index=True)


# -------------------------------------------------------------------------- estimating


def _queue_seconds(log: pd.DataFrame) -> pd.Series:
    return (log["vru_exit"] - log["date"]).dt.total_seconds()


def _one_date(name: str, value: object) -> pd.Timestamp:
    """One date (a datetime, date or ISO string), without a time zone or time of
    day."""
    if isinstance(value, pd.DataFrame | pd.Series | np.ndarray | list | tuple):
        raise DataError(
            f"{name} = {show(value)} is a {type(value).__name__}, not one date; pass a "
            "single date such as '1999-02-01' (did you swap log and date?)."
        )
    if value is None:
        raise DataError(
            f"{name} = None is not a date; pass a date such as '1999-02-01'."
        )
    stamp = check_dates(name, [value]).iloc[0]
    if stamp.tzinfo is not None:
        raise DataError(
            f"{name} = {show(value)} has a time zone; call-log dates have none, so "
            "pass a plain date such as '1999-02-01'."
        )
    if stamp != stamp.normalize():
        raise DataError(
            f"{name} = {show(value)} has a time of day; pass the date only, e.g. "
            f"'{stamp.date()}'."
        )
    return pd.Timestamp(stamp)


#: what each typed column of a call log must hold
_COLUMN_KINDS = {
    "date": "dates",
    "vru_exit": "dates",
    "ser_start": "dates or NaT",
    "served": "bool",
    "queued": "bool",
    "q_time": "seconds",
    "ser_time": "seconds",
    "type": "labels",
    "server": "labels",
}


def _check_log(log: object, columns: Sequence[str]) -> pd.DataFrame:
    """Check ``log`` is a typed call log holding ``columns`` of the right kinds."""
    if not isinstance(log, pd.DataFrame):
        raise DataError(
            f"log = {show(log)} is a {type(log).__name__}, not a call log; pass the "
            "DataFrame returned by read_call_log() (or load_call_centre())."
        )
    if "served" not in log.columns or "queued" not in log.columns:
        raise DataError(
            "log lacks the typed columns 'queued' and 'served' that read_call_log() "
            "adds; pass a log read with read_call_log() (make_call_log() returns the "
            "file layout: write it with .to_csv() and read it back)."
        )
    missing = [c for c in columns if c not in log.columns]
    if missing:
        raise DataError(
            f"log is missing column(s) {missing}; pass a log read with "
            "read_call_log(), which has them all."
        )
    if log.empty:
        raise DataError("log has no rows; pass a call log with at least one call.")
    for name in columns:
        kind, col = _COLUMN_KINDS[name], log[name]
        if kind.startswith("dates"):
            if not pd.api.types.is_datetime64_any_dtype(col):
                raise DataError(
                    f"column {name!r} of log has dtype {col.dtype}, not dates and "
                    f"times; convert it with pd.to_datetime(log[{name!r}]) (as "
                    "read_call_log() does)."
                )
            if kind == "dates" and col.isna().any():
                _, where = _where(col, col.isna())
                raise DataError(
                    f"column {name!r} of log {where} is missing (NaT); drop that row "
                    "or fill it in."
                )
        elif kind == "bool":
            if col.dtype != bool:
                raise DataError(
                    f"column {name!r} of log has dtype {col.dtype}, not True/False; "
                    f"convert it, e.g. log[{name!r}] = log[{name!r}].astype(bool) "
                    "after filling any missing values."
                )
        elif kind == "seconds":
            if col.dtype == bool or not pd.api.types.is_numeric_dtype(col):
                raise DataError(
                    f"column {name!r} of log has dtype {col.dtype}, not numbers of "
                    f"seconds; convert it with pd.to_numeric(log[{name!r}])."
                )
            values = col.to_numpy(dtype=float, na_value=np.nan)
            bad = ~np.isfinite(values) | (values < 0)
            if bad.any():
                label, where = _where(col, pd.Series(bad))
                raise DataError(
                    f"column {name!r} of log {where} holds {col.loc[label]!r}, not a "
                    "duration >= 0; drop that row or fill it in (seconds)."
                )
    return log


def arrival_rates_by_hour(
    log: pd.DataFrame, *, weekdays: Sequence[int] | None = None
) -> pd.DataFrame:
    """Mean calls per hour of the day, over the days in the log.

    Parameters
    ----------
    log : DataFrame
        From :func:`read_call_log`.
    weekdays : sequence of int, optional
        Days to include (Monday = 0 … Sunday = 6); e.g. ``[6, 0, 1, 2, 3]`` for the
        Israeli working week. Default: all days.

    Returns
    -------
    pandas.DataFrame
        Index ``hour`` (0–23); ``calls_per_day`` (mean over the included days, zero
        hours counted), ``sd`` across days, and ``per_minute`` (arrival rate).

    Examples
    --------
    >>> from crmkit.datasets import load_call_centre
    >>> rates = arrival_rates_by_hour(load_call_centre(), weekdays=[6, 0, 1, 2, 3])
    >>> int(rates["calls_per_day"].idxmax()) in (10, 13, 14, 15, 16)
    True
    """
    log = _check_log(log, ["date", "vru_exit"])
    if weekdays is not None:
        days = check_values(
            "weekdays",
            check_sequence("weekdays", weekdays, "[6, 0, 1, 2, 3]"),
            low=0.0,
            high=6.0,
            integer=True,
        )
        log = log[log["date"].dt.day_of_week.isin(days.astype(int).tolist())]
    if log.empty:
        raise DataError(
            f"no calls on the selected days (weekdays = {show(weekdays)}, Monday = 0); "
            "pass weekdays that occur in the log."
        )
    hour = (_queue_seconds(log) // 3600).clip(upper=23).astype(int)
    table = pd.crosstab(log["date"], hour).reindex(columns=range(24), fill_value=0)
    out = pd.DataFrame(
        {
            "calls_per_day": table.mean(axis=0),
            "sd": table.std(axis=0, ddof=1) if len(table) > 1 else np.nan,
        }
    )
    out["per_minute"] = out["calls_per_day"] / 60.0
    out.index.name = "hour"
    return out


def service_time_fit(
    log: pd.DataFrame, *, min_seconds: float = 0.0, types: Sequence[str] | None = None
) -> dict[str, float | Lognormal]:
    """Fit a lognormal to served calls' service times (seconds).

    Brown et al. (2005) found service times close to lognormal; very short calls
    (hang-ups on answer, transfers) distort the fit, so ``min_seconds`` can drop them.

    Returns
    -------
    dict
        ``n``, ``mean_s``, ``median_s``, ``log_mean``, ``log_sd`` (the
        maximum-likelihood lognormal parameters), ``scv`` of the data, and
        ``distribution`` (a :class:`~crmkit.queues.Lognormal` with the fitted log mean
        and sd).

    Examples
    --------
    >>> from crmkit.datasets import load_call_centre
    >>> fit = service_time_fit(load_call_centre())
    >>> 150 < fit["mean_s"] < 230 and 0.7 < fit["log_sd"] < 1.0
    True
    """
    needed = ["served", "ser_time"] + (["type"] if types is not None else [])
    log = _check_log(log, needed)
    min_seconds = check_nonnegative("min_seconds", min_seconds)
    sel = log["served"] & (log["ser_time"] > min_seconds)
    if types is not None:
        kinds = check_sequence("types", types, '["PS", "NW"]')
        if len(kinds) == 0 or not all(isinstance(k, str) for k in kinds):
            raise ParameterError(
                f"types = {show(types)} is not a non-empty list of type labels; pass "
                'e.g. ["PS", "NW"].'
            )
        sel &= log["type"].isin(kinds)
    t = log.loc[sel, "ser_time"].to_numpy(dtype=float)
    t = t[t > 0]
    if t.size < 2:
        raise DataError(
            f"fewer than two served calls with a service time above min_seconds = "
            f"{min_seconds:g} (types = {show(types)}); pass a lower min_seconds or "
            "more types."
        )
    logs = np.log(t)
    mu, sd = float(logs.mean()), float(logs.std(ddof=0))
    if not 1e-12 < sd <= 3.7:
        raise DataError(
            f"the {t.size} selected service times have a log-standard deviation of "
            f"{sd:.3g} (all equal, or spread over many orders of magnitude), which no "
            "lognormal fits; check the ser_time column, or pass min_seconds to drop "
            "very short calls."
        )
    return {
        "n": int(t.size),
        "mean_s": float(t.mean()),
        "median_s": float(np.median(t)),
        "log_mean": mu,
        "log_sd": sd,
        "scv": float(t.var() / t.mean() ** 2),
        "distribution": Lognormal.from_log(mu, sd),
    }


def patience_curve(log: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Kaplan–Meier estimate of callers' patience from censored waits.

    A caller who hung up reveals its patience (its time in queue); a caller who was
    served reveals only that its patience exceeded its wait (right-censored). Callers
    who never queued say nothing and are left out. The estimate is scipy's
    ``stats.ecdf`` on ``stats.CensoredData``.

    Returns
    -------
    curve : pandas.DataFrame
        ``seconds``, ``survival`` (P(patience > t)) and its 95 % interval
        ``ci_low``/``ci_high`` (Greenwood, log-log).
    mean_s : float
        The restricted mean patience (area under the curve up to the longest observed
        wait), in seconds; a lower bound of the mean when the curve has not reached 0.

    References
    ----------
    E. L. Kaplan and P. Meier (1958), "Nonparametric estimation from incomplete
    observations", *JASA* 53(282):457–481. Brown et al. (2005), §5.

    Examples
    --------
    >>> from crmkit.datasets import load_call_centre
    >>> curve, mean_s = patience_curve(load_call_centre())
    >>> 120 < mean_s < 900
    True
    """
    log = _check_log(log, ["queued", "served", "q_time"])
    q = log[log["queued"] & (log["q_time"] > 0)]
    gave_up = q.loc[~q["served"], "q_time"].to_numpy(dtype=float)
    censored = q.loc[q["served"], "q_time"].to_numpy(dtype=float)
    if gave_up.size == 0:
        raise DataError(
            "no caller abandoned, so patience cannot be estimated; pass a log that "
            "includes abandoned (HANG) calls."
        )
    res = stats.ecdf(stats.CensoredData(uncensored=gave_up, right=censored))
    sf = res.sf
    with warnings.catch_warnings():
        # undefined (NaN) where the curve reaches 0 or 1: expected, not an error
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = sf.confidence_interval(confidence_level=0.95, method="log-log")
    curve = pd.DataFrame(
        {
            "seconds": sf.quantiles,
            "survival": sf.probabilities,
            "ci_low": ci.low.probabilities,
            "ci_high": ci.high.probabilities,
        }
    )
    edges = np.concatenate(([0.0], sf.quantiles))
    heights = np.concatenate(([1.0], sf.probabilities))[:-1]
    mean_s = float(np.sum(np.diff(edges) * heights))
    return curve, mean_s


def abandonment_vs_wait(log: pd.DataFrame, *, min_calls: int = 20) -> pd.DataFrame:
    """Abandonment share against mean wait, one point per (date, hour) with enough
    calls.

    With exponential patience, P(abandon) ≈ E[wait] / mean patience, so the points lie
    near a line through the origin whose slope estimates 1 / mean patience (Brown et al.
    2005, Fig. 11; Mandelbaum and Zeltyn 2007).

    Returns
    -------
    pandas.DataFrame
        ``date``, ``hour``, ``calls``, ``mean_wait_s`` (over all calls, abandoners' time
        in queue included) and ``abandonment``. ``frame.attrs["slope_per_s"]`` holds the
        least-squares slope through the origin.

    Examples
    --------
    >>> from crmkit.datasets import load_call_centre
    >>> points = abandonment_vs_wait(load_call_centre())
    >>> points.attrs["slope_per_s"] > 0
    True
    """
    log = _check_log(log, ["date", "vru_exit", "q_time", "served"])
    min_calls = check_count("min_calls", min_calls, minimum=1)
    hour = (_queue_seconds(log) // 3600).clip(upper=23).astype(int)
    frame = pd.DataFrame(
        {
            "date": log["date"],
            "hour": hour,
            "wait": log["q_time"],
            "abandoned": ~log["served"],
        }
    )
    points = (
        frame.groupby(["date", "hour"], observed=True)
        .agg(
            calls=("wait", "size"),
            mean_wait_s=("wait", "mean"),
            abandonment=("abandoned", "mean"),
        )
        .reset_index()
    )
    points = points[points["calls"] >= min_calls].reset_index(drop=True)
    if points.empty:
        raise DataError(
            f"no hour has at least min_calls = {min_calls} calls; pass a smaller "
            "min_calls."
        )
    x, y = points["mean_wait_s"].to_numpy(), points["abandonment"].to_numpy()
    points.attrs["slope_per_s"] = float(x @ y / (x @ x)) if (x @ x) > 0 else math.nan
    return points


def agents_by_hour(log: pd.DataFrame, date: object) -> list[int]:
    """Agents who served at least one call in each hour of ``date`` (a staffing
    proxy)."""
    log = _check_log(log, ["date", "served", "ser_start", "server"])
    day = log[log["date"] == _one_date("date", date)]
    if day.empty:
        raise _no_calls(log, date)
    served = day[day["served"]]
    hour = ((served["ser_start"] - served["date"]).dt.total_seconds() // 3600).clip(
        upper=23
    )
    counts = served.groupby(hour.astype(int))["server"].nunique()
    return [int(counts.get(h, 0)) for h in range(24)]


def _no_calls(log: pd.DataFrame, date: object) -> DataError:
    lo, hi = log["date"].min(), log["date"].max()
    return DataError(
        f"no calls on date = {show(date)}; pass a date the log covers ({lo.date()} to "
        f"{hi.date()})."
    )


# --------------------------------------------------------------------------- replaying

#: most simulated calls in one replay_call_log call (replications × calls that day)
_MAX_REPLAY_CALLS = 10**7


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
    >>> log = load_call_centre()
    >>> day = log["date"].iloc[0]
    >>> base = agents_by_hour(log, day)
    >>> more = [a + 2 if h == 10 else a for h, a in enumerate(base)]
    >>> a = replay_call_log(log, day, base, replications=5, seed=1)
    >>> b = replay_call_log(log, day, more, replications=5, seed=1)
    >>> bool(b.loc[10, "mean_wait_s"] <= a.loc[10, "mean_wait_s"])
    True
    """
    log = _check_log(
        log, ["date", "vru_exit", "served", "queued", "ser_time", "q_time", "type"]
    )
    hourly = check_sequence("agents", agents, "agents_by_hour(log, date)")
    if len(hourly) != 24:
        raise ParameterError(
            f"agents must give 24 hourly numbers, got {len(hourly)}; pass one number "
            "of agents per hour (e.g. agents_by_hour(log, date))."
        )
    levels = [
        check_count(f"agents[{h}]", a, minimum=0, maximum=MAX_SIM_SERVERS)
        for h, a in enumerate(hourly)
    ]
    reps = check_count("replications", replications, minimum=1)
    within = check_positive("within_s", within_s)
    rng = check_rng(seed)
    day = log[log["date"] == _one_date("date", date)].sort_values("vru_exit")
    if day.empty:
        raise _no_calls(log, date)
    check_work(
        f"replications = {reps:,} × {len(day):,} calls that day",
        float(reps) * len(day),
        limit=_MAX_REPLAY_CALLS,
        fix="reduce replications",
    )
    arrive = _queue_seconds(day).to_numpy(dtype=float)
    served = day["served"].to_numpy()
    ser = day["ser_time"].to_numpy(dtype=float)
    waited = day["q_time"].to_numpy(dtype=float)
    kinds = day["type"].astype(str).to_numpy()
    curve, tail_mean = patience_curve(log)
    grid = np.concatenate(([0.0], curve["seconds"].to_numpy()))
    surv = np.concatenate(([1.0], curve["survival"].to_numpy()))
    pool = {k: ser[served & (kinds == k) & (ser > 0)] for k in np.unique(kinds)}
    every = ser[served & (ser > 0)]
    schedule = Schedule.from_intervals(levels, 3600.0)
    hours = (arrive // 3600).clip(max=23).astype(int)
    per_rep = []
    for child in rng.spawn(reps):
        svc = ser.copy()
        need = ~served | (svc <= 0)
        for k in np.unique(kinds[need]):
            mask = need & (kinds == k)
            source = pool.get(k) if pool.get(k) is not None and pool[k].size else every
            svc[mask] = child.choice(source, size=int(mask.sum()))
        pat = np.where(served, np.inf, waited)
        pat[served] = _impute_patience(waited[served], grid, surv, tail_mean, child)
        rec = event_engine(
            arrive,
            svc,
            np.asarray(schedule.starts),
            np.asarray(schedule.servers),
            pat,
            None,
            None,
            1,
        )
        wait = np.where(rec.served, rec.start - arrive, pat)
        frame = pd.DataFrame(
            {
                "hour": hours,
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
        per_rep.append(pd.concat([by_hour, total]))
    stacked = pd.concat(per_rep, keys=range(reps), names=["rep", "hour"])
    mean = stacked.groupby(level="hour", sort=False).mean()
    sd = stacked.groupby(level="hour", sort=False).std(ddof=1)
    tq = stats.t.ppf(0.975, reps - 1) if reps > 1 else math.nan
    out = mean.copy()
    for col in ("abandonment", "mean_wait_s", "service_level"):
        out[f"{col}_ci"] = tq * sd[col] / math.sqrt(reps) if reps > 1 else math.nan
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
