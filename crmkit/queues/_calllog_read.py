"""Reading and checking call logs in the layout of the Technion "Anonymous Bank" data.

The layout (one row per call, 17 columns) is that of the call log of an Israeli bank for
1999, published by the Technion SEE Center and analysed by Brown et al. (2005)::

    vru+line call_id customer_id priority type date vru_entry vru_exit vru_time q_start
    q_exit q_time outcome ser_start ser_exit ser_time server

``date`` is ``yymmdd``; times are ``H:MM:SS``; durations are whole seconds; ``q_start ==
0:00:00`` means the call never queued; ``outcome`` is AGENT (served), HANG (abandoned)
or PHANTOM (to ignore). :func:`read_call_log` parses that format into typed columns;
:func:`check_log` is the one check every estimator and the replay run on a typed log.

References
----------
L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao (2005),
"Statistical analysis of a telephone call center: a queueing-science perspective",
*Journal of the American Statistical Association* 100(469):36–50.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from crmkit._validate import check_bool, check_columns, check_dates, show
from crmkit.errors import DataError

__all__ = ["CALL_LOG_COLUMNS", "read_call_log"]

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


def where(
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
        label, at = where(col, bad, in_file=True)
        raise DataError(
            f"column {name!r} {at}: cannot read {col.loc[label]!r} as a clock time "
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
    raw = _read_table(path)
    frame = _whole_numbers(raw.loc[:, list(CALL_LOG_COLUMNS)].copy())
    frame, dropped = _drop_rows(frame, drop_phantom, drop_negative_vru)
    out = _typed(frame)
    out.attrs["dropped"] = dropped
    out.attrs["source"] = str(path)
    return out


def _read_table(path: Path) -> pd.DataFrame:
    """Step 1: the file's cells as text, with the 17 columns present."""
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
    check_columns(
        raw,
        CALL_LOG_COLUMNS,
        what=path.name,
        fix="Rename the columns of your file to the call-log layout "
        "(crmkit.queues.CALL_LOG_COLUMNS).",
    )
    return raw


def _whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Step 2: durations, call ids and priorities as int64 (whole numbers < 2**53)."""
    for name in (*_DURATIONS, "call_id", "priority"):
        values = pd.to_numeric(frame[name].str.strip(), errors="coerce")
        bad = values.isna() | (values != values.round()) | (values.abs() > 2.0**53)
        if bad.any():
            label, at = where(frame, bad, in_file=True)
            raise DataError(
                f"column {name!r} {at}: {frame[name].loc[label]!r} is not a whole "
                "number below 2**53; write whole numbers (durations in seconds, ids as "
                "integers)."
            )
        frame[name] = values.astype(np.int64)
    return frame


def _drop_rows(
    frame: pd.DataFrame, drop_phantom: bool, drop_negative_vru: bool
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Step 3: drop PHANTOM calls and negative VRU times, counting what went."""
    dropped = {"PHANTOM": 0, "negative vru_time": 0}
    if drop_phantom:
        phantom = frame["outcome"].str.strip() == "PHANTOM"
        dropped["PHANTOM"] = int(phantom.sum())
        frame = frame[~phantom]
    if drop_negative_vru:
        negative = frame["vru_time"] < 0
        dropped["negative vru_time"] = int(negative.sum())
        frame = frame[~negative]
    return frame, dropped


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Step 4: dates, timestamps (past midnight moved to the next day), flags and
    categories."""
    dates = pd.to_datetime(frame["date"].str.strip(), format="%y%m%d", errors="coerce")
    if dates.isna().any():
        label, at = where(frame, dates.isna(), in_file=True)
        raise DataError(
            f"column 'date' {at}: cannot read {frame['date'].loc[label]!r} as "
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
    return out.reset_index(drop=True)


# ------------------------------------------------------------ checking a typed log

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


def check_log(log: object, columns: Sequence[str]) -> pd.DataFrame:
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
    check_columns(
        log,
        columns,
        what="log",
        fix="Pass a log read with read_call_log(), which has them all.",
    )
    if log.empty:
        raise DataError("log has no rows; pass a call log with at least one call.")
    for name in columns:
        _check_column(name, _COLUMN_KINDS[name], log[name])
    return log


def _check_column(name: str, kind: str, col: pd.Series) -> None:
    """Check one typed column of a log against its kind in :data:`_COLUMN_KINDS`."""
    if kind.startswith("dates"):
        if not pd.api.types.is_datetime64_any_dtype(col):
            raise DataError(
                f"column {name!r} of log has dtype {col.dtype}, not dates and "
                f"times; convert it with pd.to_datetime(log[{name!r}]) (as "
                "read_call_log() does)."
            )
        if kind == "dates" and col.isna().any():
            _, at = where(col, col.isna())
            raise DataError(
                f"column {name!r} of log {at} is missing (NaT); drop that row "
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
            label, at = where(col, pd.Series(bad))
            raise DataError(
                f"column {name!r} of log {at} holds {col.loc[label]!r}, not a "
                "duration >= 0; drop that row or fill it in (seconds)."
            )


def one_date(name: str, value: object) -> pd.Timestamp:
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


def one_day(log: pd.DataFrame, date: object) -> pd.DataFrame:
    """The calls of ``date``, or a DataError naming the dates the log covers."""
    day = log[log["date"] == one_date("date", date)]
    if day.empty:
        lo, hi = log["date"].min(), log["date"].max()
        raise DataError(
            f"no calls on date = {show(date)}; pass a date the log covers "
            f"({lo.date()} to {hi.date()})."
        )
    return day


def queue_seconds(log: pd.DataFrame) -> pd.Series:
    """Seconds from midnight of ``date`` to joining the queue (leaving the VRU)."""
    return (log["vru_exit"] - log["date"]).dt.total_seconds()


def hour_of_day(seconds: pd.Series | np.ndarray) -> pd.Series | np.ndarray:
    """Hour 0–23 of times in seconds after midnight (later times count as hour 23)."""
    return np.minimum(seconds // 3600, 23).astype(int)
