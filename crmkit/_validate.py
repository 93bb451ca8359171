"""Argument checks shared by every public function.

Every check raises a :class:`~crmkit.errors.ParameterError` or
:class:`~crmkit.errors.DataError` (both ``ValueError`` subclasses) whose message has
three parts: the argument's name, the value given, and what to do instead, e.g.
``"arrival_rate = -1.0 must be positive (> 0); pass a rate above zero."``. The rules:

- ``bool`` and ``str`` are never numbers (``True`` is not 1, ``"3"`` is not 3);
- NaN is refused everywhere, infinity unless a check allows it;
- counts are whole numbers (``3.0`` is accepted as 3, ``2.5`` is not);
- dates must be dates: datetimes or ISO-8601 strings, never bare integers such as
  ``20240101`` (which pandas would read as nanoseconds since 1970);
- work is bounded: :func:`check_work` refuses a request larger than a stated limit
  before any memory is allocated.

Examples
--------
>>> check_positive("arrival_rate", 2)
2.0
>>> check_positive("arrival_rate", "2")
Traceback (most recent call last):
...
crmkit.errors.ParameterError: arrival_rate = '2' is a str, not a number; pass a number such as 2.0 (without quotes).
"""  # noqa: E501

from __future__ import annotations

import datetime as _dt
import math
import numbers
import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from crmkit.errors import CrmkitError, DataError, ParameterError

__all__ = [
    "check_array",
    "check_bool",
    "check_choice",
    "check_columns",
    "check_count",
    "check_date",
    "check_dates",
    "check_nonnegative",
    "check_numeric_frame",
    "check_optional_column",
    "check_path",
    "check_positive",
    "check_present",
    "check_probability",
    "check_real",
    "check_times",
    "check_unique_index",
    "check_values",
    "check_work",
    "show",
]

#: The largest amount of work (array elements, rows, events) one call may request
#: before it is refused; about 8 GB of float64, more than the 2-core teaching
#: machines the kit targets can hold.
MAX_ELEMENTS = 10**9


def show(value: object, limit: int = 60) -> str:
    """A short ``repr`` of ``value`` for error messages (long ones are cut)."""
    if isinstance(value, np.generic):
        value = value.item()  # 3.0, not np.float64(3.0)
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_error(name: str, value: object, wanted: str, example: str) -> ParameterError:
    if isinstance(value, str):
        return ParameterError(
            f"{name} = {show(value)} is a str, not {wanted}; pass {example} "
            "(without quotes)."
        )
    return ParameterError(
        f"{name} = {show(value)} is a {type(value).__name__}, not {wanted}; pass "
        f"{example}."
    )


def _as_float(name: str, value: object) -> float:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise _type_error(name, value, "a number", "a number such as 2.0")
    x = float(value)
    if math.isnan(x):
        raise ParameterError(f"{name} = nan is not a number; pass a finite number.")
    return x


def check_real(
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    allow_inf: bool = False,
) -> float:
    """Return ``value`` as a float after checking its type and range.

    Parameters
    ----------
    name : str
        The argument's name, used in the message.
    value : object
        A real number (``bool`` and ``str`` are refused).
    low, high : float, optional
        Bounds, closed unless ``low_open``/``high_open``.
    allow_inf : bool, default False
        Accept ±infinity (still subject to the bounds).

    Examples
    --------
    >>> check_real("discount_rate", 0.1, low=0, high=1, high_open=True)
    0.1
    >>> check_real("discount_rate", 1.5, low=0, high=1, high_open=True)
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: discount_rate = 1.5 must lie in [0, 1); pass a value in that range.
    """  # noqa: E501
    x = _as_float(name, value)
    if math.isinf(x) and not allow_inf:
        raise ParameterError(f"{name} = {x} is infinite; pass a finite number.")
    too_low = low is not None and (x < low or (low_open and x == low))
    too_high = high is not None and (x > high or (high_open and x == high))
    if too_low or too_high:
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        bracket = ("(" if low_open or low is None else "[") + lo + ", " + hi
        bracket += ")" if high_open or high is None else "]"
        raise ParameterError(
            f"{name} = {x:g} must lie in {bracket}; pass a value in that range."
        )
    return x


def check_positive(name: str, value: object, *, allow_inf: bool = False) -> float:
    """Return ``value`` as a float after checking it is > 0 (finite unless allowed).

    Examples
    --------
    >>> check_positive("service_rate", 0)
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: service_rate = 0.0 must be positive (> 0); pass a number above zero.
    """  # noqa: E501
    x = _as_float(name, value)
    if math.isinf(x) and not (allow_inf and x > 0):
        raise ParameterError(
            f"{name} = {x} is infinite; pass a finite positive number."
        )
    if x <= 0:
        raise ParameterError(
            f"{name} = {x} must be positive (> 0); pass a number above zero."
        )
    return x


def check_nonnegative(name: str, value: object) -> float:
    """Return ``value`` as a float after checking it is finite and >= 0."""
    x = _as_float(name, value)
    if math.isinf(x):
        raise ParameterError(f"{name} = {x} is infinite; pass a finite number >= 0.")
    if x < 0:
        raise ParameterError(
            f"{name} = {x} must not be negative; pass zero or a positive number."
        )
    return x


def check_probability(
    name: str, value: object, *, open_low: bool = False, open_high: bool = False
) -> float:
    """Return ``value`` as a float after checking it lies in [0, 1] (ends open as
    asked).
    """
    x = _as_float(name, value)
    lo = "(" if open_low else "["
    hi = ")" if open_high else "]"
    bad = (
        x < 0
        or x > 1
        or (open_low and x == 0)
        or (open_high and x == 1)
        or math.isinf(x)
    )
    if bad:
        raise ParameterError(
            f"{name} = {x} must lie in {lo}0, 1{hi}; pass a probability (a share "
            "such as 0.8, not a percentage such as 80)."
        )
    return x


def check_count(
    name: str, value: object, *, minimum: int = 0, maximum: int | None = None
) -> int:
    """Return ``value`` as an int after checking it is a whole number in range.

    ``3.0`` is accepted as 3; ``2.5``, ``True``, ``"3"`` and NaN are refused.

    Examples
    --------
    >>> check_count("servers", 12.0, minimum=1)
    12
    >>> check_count("servers", 12.5, minimum=1)
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: servers = 12.5 must be a whole number; round it first (e.g. 12 or 13).
    """  # noqa: E501
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise _type_error(name, value, "a whole number", "a whole number such as 3")
    if isinstance(value, numbers.Integral):
        n = int(value)
    else:
        x = float(value)
        if not math.isfinite(x):
            raise ParameterError(
                f"{name} = {x} is not a whole number; pass a finite whole number."
            )
        if not x.is_integer():
            raise ParameterError(
                f"{name} = {x:g} must be a whole number; round it first (e.g. "
                f"{math.floor(x)} or {math.ceil(x)})."
            )
        n = int(x)
    if n < minimum:
        raise ParameterError(
            f"{name} = {n} must be at least {minimum}; pass a larger whole number."
        )
    if maximum is not None and n > maximum:
        raise ParameterError(
            f"{name} = {n} must be at most {maximum:,}; pass a smaller whole number."
        )
    return n


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` as a bool; only ``True``/``False`` (and NumPy's) are accepted.

    The strings ``"False"`` or ``"no"`` are refused rather than read as true.

    Examples
    --------
    >>> check_bool("benefit", "False")
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: benefit = 'False' is not True or False; pass the bool False or True (without quotes).
    """  # noqa: E501
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise ParameterError(
        f"{name} = {show(value)} is not True or False; pass the bool False or True "
        "(without quotes)."
    )


def check_choice(name: str, value: object, options: Iterable[str]) -> str:
    """Return ``value`` after checking it is one of ``options`` (case-sensitive).

    Examples
    --------
    >>> check_choice("metric", "mean_wait", ["mean_wait", "service_level"])
    'mean_wait'
    >>> check_choice("metric", "wait", ["mean_wait", "service_level"])
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: metric = 'wait' is not one of 'mean_wait', 'service_level'; choose one of those.
    """  # noqa: E501
    allowed = list(options)
    if isinstance(value, str) and value in allowed:
        return value
    listed = ", ".join(repr(o) for o in allowed)
    raise ParameterError(
        f"{name} = {show(value)} is not one of {listed}; choose one of those."
    )


def check_work(
    name: str, amount: float, *, limit: float = MAX_ELEMENTS, fix: str
) -> None:
    """Refuse a request whose ``amount`` of work (elements, rows, events) exceeds
    ``limit``, before anything is allocated.

    Examples
    --------
    >>> check_work("horizon", 1e13, limit=1e9, fix="shorten the horizon")
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: horizon asks for about 1e+13 units of work, more than the limit of 1e+09; shorten the horizon.
    """  # noqa: E501
    if not math.isfinite(amount) or amount > limit:
        raise ParameterError(
            f"{name} asks for about {amount:.3g} units of work, more than the limit of "
            f"{limit:.3g}; {fix}."
        )


def check_array(
    name: str,
    values: object,
    *,
    low: float | None = None,
    low_open: bool = False,
    high: float | None = None,
    integer: bool = False,
    allow_empty: bool = False,
    allow_inf: bool = False,
) -> np.ndarray:
    """Return ``values`` as a new 1-d float array after checking every entry.

    Refuses strings, bools, None, NaN, infinity (unless allowed), entries outside
    ``[low, high]`` and, with ``integer=True``, fractions. The input is never modified.

    Examples
    --------
    >>> check_array("frequency", [0, 2, 5], low=0, integer=True)
    array([0., 2., 5.])
    >>> check_array("frequency", [0, 2.5], low=0, integer=True)
    Traceback (most recent call last):
    ...
    crmkit.errors.DataError: frequency has 1 entry that is not a whole number (first: 2.5 at position 1); pass whole numbers (counts).
    """  # noqa: E501
    if isinstance(values, str | bytes) or values is None:
        raise DataError(
            f"{name} = {show(values)} is not a sequence of numbers; pass a list, "
            "array or Series of numbers."
        )
    if isinstance(values, pd.DataFrame):
        raise DataError(
            f"{name} is a DataFrame; pass one column of it, e.g. frame['column']."
        )
    raw = values.to_numpy() if isinstance(values, pd.Series | pd.Index) else values
    if (odd := first_non_number(raw)) is not None:
        raise DataError(
            f"{name} holds a non-numeric entry ({show(odd[1])}); pass numbers only "
            "(True/False, text and None are not numbers)."
        )
    try:
        arr = _numeric(name, raw)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, CrmkitError):
            raise
        raise DataError(
            f"{name} cannot be read as one column of numbers ({exc}); pass a flat "
            "list, array or Series of numbers (convert text with pd.to_numeric)."
        ) from None
    arr = np.array(arr, dtype=float).ravel()
    if arr.size == 0 and not allow_empty:
        raise DataError(f"{name} is empty; pass at least one value.")
    _entries_ok(name, arr, np.isnan(arr), "is NaN", "drop or fill the missing values")
    if not allow_inf:
        _entries_ok(name, arr, np.isinf(arr), "is infinite", "pass finite numbers")
    if low is not None:
        below = arr <= low if low_open else arr < low
        side = f"> {low:g}" if low_open else f">= {low:g}"
        _entries_ok(name, arr, below, f"is not {side}", f"pass values {side}")
    if high is not None:
        limit = f"<= {high:g}"
        _entries_ok(name, arr, arr > high, f"is above {high:g}", f"pass values {limit}")
    if integer:
        fraction = np.isfinite(arr) & (arr != np.round(arr))
        _entries_ok(
            name, arr, fraction, "is not a whole number", "pass whole numbers (counts)"
        )
    return arr


def _numeric(name: str, raw: object) -> np.ndarray:
    """``raw`` as a numeric array; NumPy's TypeError or ValueError if it is not one."""
    arr = np.asarray(raw)
    if arr.dtype.kind == "b":
        raise DataError(
            f"{name} holds True/False values, not numbers; pass numbers (convert with "
            ".astype(int) if you meant 0/1)."
        )
    if arr.dtype.kind in "iuf":
        return arr
    flat = np.ravel(arr)
    bad = [v for v in flat if isinstance(v, str | bytes | bool | np.bool_)]
    bad += [v for v in flat if v is None]
    if bad or arr.dtype.kind in "USMm":
        example = bad[0] if bad else flat[0] if flat.size else None
        raise DataError(
            f"{name} holds non-numeric entries (first: {show(example)}, dtype "
            f"{arr.dtype}); convert the column to numbers first, e.g. "
            "pd.to_numeric(column)."
        )
    return arr.astype(float)


def _entries_ok(
    name: str, arr: np.ndarray, bad: np.ndarray, problem: str, fix: str
) -> None:
    if not bad.any():
        return
    n = int(bad.sum())
    first = int(np.flatnonzero(bad)[0])
    what = (
        f"1 entry that {problem}"
        if n == 1
        else (f"{n} entries that " + problem.replace("is ", "are ", 1))
    )
    raise DataError(
        f"{name} has {what} (first: {arr[first]:g} at position {first}); {fix}."
    )


def _row(series: pd.Series, pos: int) -> str:
    """Where row ``pos`` of ``series`` is: its position, and its index label when the
    label is not the position (a filtered or relabelled frame)."""
    label = series.index[pos]
    if isinstance(series.index, pd.RangeIndex) and label == pos:
        return f"position {pos}"
    return f"row {show(label)}, position {pos}"


def check_present(
    name: str,
    series: pd.Series,
    *,
    what: str = "value(s)",
    fix: str = "drop those rows or fill them",
) -> None:
    """Raise :class:`DataError` if ``series`` has missing values (None, NaN, NaT),
    naming how many and where the first is.

    Examples
    --------
    >>> check_present("ids", pd.Series([1.0, None], index=["a", "b"]), what="id(s)")
    Traceback (most recent call last):
    ...
    crmkit.errors.DataError: ids has 1 missing id(s) (first at row 'b', position 1); drop those rows or fill them.
    """  # noqa: E501
    missing = series.isna().to_numpy()
    if missing.any():
        pos = int(np.flatnonzero(missing)[0])
        raise DataError(
            f"{name} has {int(missing.sum())} missing {what} (first at "
            f"{_row(series, pos)}); {fix}."
        )


def _numbers_as_dates(name: str, series: pd.Series) -> DataError | None:
    """The error for a column of numbers passed as dates, or None if it is not one."""
    kind = series.dtype.kind
    inferred = pd.api.types.infer_dtype(series, skipna=True) if kind == "O" else ""
    numeric = {"integer", "floating", "mixed-integer-float", "decimal", "boolean"}
    if not (
        kind in "iufcb"
        or inferred in numeric
        or (
            inferred.startswith("mixed")
            and series.map(lambda v: isinstance(v, numbers.Number | np.number)).any()
        )
    ):
        return None
    example = series[series.map(lambda v: isinstance(v, numbers.Number))]
    first = example.iloc[0] if len(example) else series.iloc[0]
    return DataError(
        f"{name} holds numbers (first: {show(first)}), not dates; convert them "
        "first, e.g. pd.to_datetime(column.astype(str), format='%Y%m%d')."
    )


def _parse_dates(name: str, series: pd.Series) -> pd.Series:
    """Text and objects as datetimes (NaT where a value is not a date)."""
    # the format inferred from the first value parses most columns fast; values in
    # another format get a second, per-value pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        out = pd.to_datetime(series, errors="coerce")
    retry = out.isna() & series.notna()
    if not retry.any():
        return out
    again = pd.to_datetime(series[retry], errors="coerce", format="mixed")
    if isinstance(out.dtype, pd.DatetimeTZDtype) != isinstance(
        again.dtype, pd.DatetimeTZDtype
    ):
        raise DataError(
            f"{name} mixes dates with and without a time zone; write them all "
            "with a time zone, or all without one."
        )
    out = out.astype(object)
    out[retry] = again
    return pd.to_datetime(out)


def check_dates(name: str, values: object, *, copy: bool = True) -> pd.Series:
    """Return ``values`` as a datetime Series after checking they are dates.

    Accepted: datetime64 values (with or without a time zone), ``datetime``/``date``
    objects and ISO-8601 strings (``"2024-01-31"``). Refused with a message: bare
    numbers (``20240101`` would otherwise be read as nanoseconds since 1970), NaT and
    missing values, and strings that are not dates. A message names the first bad
    value by its position and, for a Series whose index is not ``0, 1, …``, by its
    row label. A datetime Series is returned as a new Series, or with ``copy=False``
    as it is (for large columns).

    Examples
    --------
    >>> check_dates("date", ["2024-01-31", "2024-02-01"]).dt.day.tolist()
    [31, 1]
    >>> check_dates("date", [20240131])
    Traceback (most recent call last):
    ...
    crmkit.errors.DataError: date holds numbers (first: 20240131), not dates; convert them first, e.g. pd.to_datetime(column.astype(str), format='%Y%m%d').
    >>> check_dates("date", pd.Series(["2024-01-31", None], index=[7, 9]))
    Traceback (most recent call last):
    ...
    crmkit.errors.DataError: date has 1 missing date(s) (first at row 9, position 1); drop those rows or fill them.
    """  # noqa: E501
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if series.empty:
        raise DataError(f"{name} is empty; pass at least one date.")
    if pd.api.types.is_datetime64_any_dtype(series):
        out = series.copy() if copy else series
    else:
        numbers_error = _numbers_as_dates(name, series)
        if numbers_error is not None:
            raise numbers_error
        try:
            out = _parse_dates(name, series)
        except CrmkitError:
            raise
        except (TypeError, ValueError, OverflowError) as exc:
            raise DataError(
                f"{name} cannot be read as dates ({exc}); convert the column first, "
                "e.g. pd.to_datetime(column, utc=True) for mixed time zones."
            ) from None
        failed = (out.isna() & series.notna()).to_numpy()
        if failed.any():
            pos = int(np.flatnonzero(failed)[0])
            raise DataError(
                f"{name} has {int(failed.sum())} value(s) that are not dates (first: "
                f"{show(series.iloc[pos])} at {_row(series, pos)}); write dates as "
                "YYYY-MM-DD or convert with pd.to_datetime(..., format=...)."
            )
    check_present(name, out, what="date(s)")
    return out


def check_date(name: str, value: object) -> pd.Timestamp:
    """Return one date (a datetime, ``date``, ``numpy.datetime64`` or ISO text) as a
    :class:`pandas.Timestamp`, keeping its time zone if it has one.

    Bare numbers are refused (``20240131`` is not a date), and so are containers,
    NaT and text that is not a date.

    Examples
    --------
    >>> check_date("start", "2024-01-31")
    Timestamp('2024-01-31 00:00:00')
    >>> check_date("start", 20240131)
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: start = 20240131 is a number, not a date (pandas would read it as nanoseconds since 1970); pass a date such as '2024-01-31'.
    """  # noqa: E501
    if isinstance(value, bool | np.bool_ | numbers.Number):
        raise ParameterError(
            f"{name} = {show(value)} is a number, not a date (pandas would read it as "
            "nanoseconds since 1970); pass a date such as '2024-01-31'."
        )
    if not isinstance(value, str | _dt.date | np.datetime64):
        raise ParameterError(
            f"{name} = {show(value)} is a {type(value).__name__}, not one date; pass a "
            "single date such as '2024-01-31'."
        )
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(
            f"{name} = {show(value)} is not a date; write it as YYYY-MM-DD, e.g. "
            "'2024-01-31'."
        ) from None
    if pd.isna(stamp):
        raise ParameterError(
            f"{name} = {show(value)} is a missing date (NaT); pass a real date such as "
            "'2024-01-31'."
        )
    return stamp


def check_path(
    name: str, value: object, *, example: str, error: type[ValueError] = DataError
) -> Path:
    """Return ``value`` (text or a path-like object, not empty) as a :class:`Path`.

    Examples
    --------
    >>> check_path("path", "complaints.csv", example="'complaints.csv'").name
    'complaints.csv'
    """
    if isinstance(value, bytes) or not isinstance(value, str | os.PathLike):
        raise error(
            f"{name} = {show(value)} is a {type(value).__name__}, not a path; pass "
            f"the path as text, e.g. {example}."
        )
    if isinstance(value, str) and not value.strip():
        raise error(f"{name} = {value!r} is empty; pass a path, e.g. {example}.")
    return Path(value)


def check_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, what: str, fix: str
) -> None:
    """Raise :class:`DataError` naming every column of ``columns`` missing from
    ``frame``, the columns it has, and ``fix`` (a sentence saying how to mend it).

    :func:`check_frame` stops at the first missing column; this one is for file
    layouts, where a reader wants the whole list at once.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"a": [1]}), ["a", "b", "c"], what="log",
    ...               fix="Pass a log read with read_call_log().")
    Traceback (most recent call last):
    ...
    crmkit.errors.DataError: log is missing column(s) ['b', 'c']; it has: 'a'. Pass a log read with read_call_log().
    """  # noqa: E501
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        have = ", ".join(map(repr, frame.columns[:12]))
        more = ", …" if frame.shape[1] > 12 else ""
        raise DataError(
            f"{what} is missing column(s) {missing}; it has: "
            f"{have + more or 'no columns'}. {fix}"
        )


def check_numeric_frame(
    frame: object, *, what: str, item: str, items: str, example: str
) -> pd.DataFrame:
    """A new float DataFrame of ``frame``: a table of numbers with one row per label
    (a unique index) and at least one column, each named once and checked by
    :func:`check_array`. ``item``/``items`` name what a column is in messages.

    Examples
    --------
    >>> check_numeric_frame(pd.DataFrame({"a": [1, 2]}), what="features",
    ...                     item="feature", items="features", example="df[['a']]")
         a
    0  1.0
    1  2.0
    >>> check_numeric_frame(pd.DataFrame(index=[0]), what="features",
    ...                     item="feature", items="features", example="df[['a']]")
    Traceback (most recent call last):
    ...
    crmkit.errors.DataError: features has no features (no columns); pass one numeric column per feature, e.g. df[['a']].
    """  # noqa: E501
    check_frame(frame, what=what, unique_index=True)
    if frame.shape[1] == 0:
        raise DataError(
            f"{what} has no {items} (no columns); pass one numeric column per {item}, "
            f"e.g. {example}."
        )
    if not frame.columns.is_unique:
        first = frame.columns[frame.columns.duplicated()][0]
        raise DataError(
            f"{what} has two {items} named {show(first)}; rename or drop one so that "
            f"each {item} appears once."
        )
    return pd.DataFrame(
        {c: check_array(f"{what}[{c!r}]", frame[c]) for c in frame.columns},
        index=frame.index,
    )


def check_optional_column(
    frame: pd.DataFrame,
    column: str,
    *,
    what: str,
    empty: float,
    stand_in: float = 1.0,
    **checks: object,
) -> np.ndarray:
    """An optional numeric column of ``frame`` as a float array: ``empty`` where it is
    absent or an entry is missing (None, NaN), the other entries checked by
    :func:`check_array` with ``checks``.

    Missing entries are checked as ``stand_in`` (a value the checks accept), so that
    positions in messages are those of the rows.

    Examples
    --------
    >>> plan = pd.DataFrame({"agents": [3, None]})
    >>> check_optional_column(plan, "agents", what="plan", empty=math.nan, low=0)
    array([ 3., nan])
    >>> check_optional_column(plan, "limit", what="plan", empty=math.inf)
    array([inf, inf])
    """
    if column not in frame.columns:
        return np.full(len(frame), empty)
    check_frame(frame, [column], what=what)
    series = frame[column].astype(object)
    missing = series.isna().to_numpy()
    values = check_array(
        f"{what}[{column!r}]", series.where(~missing, stand_in), **checks
    )
    values[missing] = empty
    return values


def check_unique_index(name: str, index: pd.Index, *, fix: str) -> None:
    """Raise :class:`DataError` when a label of ``index`` repeats, naming the first
    repeated label and how often it stands; ``fix`` says how to mend it.

    Examples
    --------
    >>> check_unique_index("value", pd.Index(["a", "b", "a"]),
    ...                    fix="pass one value per customer.")
    Traceback (most recent call last):
    ...
    crmkit.errors.DataError: value has the index label 'a' on 2 rows; pass one value per customer.
    """  # noqa: E501
    if not index.is_unique:
        first = index[index.duplicated()][0]
        count = len(index.get_indexer_for([first]))
        raise DataError(
            f"{name} has the index label {show(first)} on {count} rows; {fix}"
        )


def check_frame(
    frame: object,
    columns: Iterable[object] | dict[str, object] = (),
    *,
    what: str = "data",
    min_rows: int = 1,
    unique_index: bool = False,
) -> pd.DataFrame:
    """Return ``frame`` (unchanged) after checking it is a DataFrame fit to use.

    Checks that ``frame`` is a :class:`pandas.DataFrame`; that every column in
    ``columns`` is a valid label, present, and appears **once** (a repeated name would
    select a frame instead of a column); that it has at least ``min_rows`` rows; and,
    with ``unique_index=True``, that no index label repeats (for tables with one row
    per customer or channel). ``columns`` may be a dict ``{argument: column}`` so that
    messages name the argument the column came from.

    Examples
    --------
    >>> check_frame(pd.DataFrame({"a": [1]}), ["a"]).shape
    (1, 1)
    >>> check_frame(pd.DataFrame({"a": [1, 2]}, index=["x", "x"]), ["a"],
    ...             what="scores", unique_index=True)
    Traceback (most recent call last):
    ...
    crmkit.errors.DataError: scores has the index label 'x' on 2 rows; each row needs its own label: aggregate first (e.g. frame.groupby(level=0).sum()) or call frame.reset_index().
    """  # noqa: E501
    if isinstance(columns, dict):
        labels = list(columns.values())
        argnames: list[str | None] = list(columns)
    else:
        labels = [columns] if isinstance(columns, str) else list(columns)
        argnames = [None] * len(labels)
    if not isinstance(frame, pd.DataFrame):
        raise DataError(
            f"{what} = {show(frame)} is a {type(frame).__name__}, not a pandas "
            "DataFrame; pass a DataFrame, e.g. pd.DataFrame(...)."
        )
    for arg, col in zip(argnames, labels, strict=True):
        label = arg if arg is not None else "column name"
        if isinstance(col, bool | np.bool_) or col is None:
            raise ParameterError(
                f"{label} = {show(col)} is not a column name; pass the column's name, "
                "e.g. 'amount'."
            )
        try:
            hash(col)
        except TypeError:
            raise ParameterError(
                f"{label} = {show(col)} is a {type(col).__name__}, not a column name; "
                "pass one column's name, e.g. 'amount'."
            ) from None
        if col not in frame.columns:
            have = ", ".join(map(repr, frame.columns[:12]))
            start = f"{arg} = {show(col)} is" if arg is not None else f"{show(col)} is"
            raise DataError(
                f"{start} not a column of {what} (missing column {show(col)}); it has: "
                f"{have or 'no columns'}. Rename your columns or pass the right name."
            )
        if not frame.columns.is_unique:
            count = len(frame.columns.get_indexer_for([col]))
            if count > 1:
                raise DataError(
                    f"{what} has {count} columns named {show(col)}; rename or drop the "
                    "extra ones so that each name appears once."
                )
    if len(frame) < min_rows:
        size = "is empty (0 rows)" if len(frame) == 0 else f"has {len(frame)} row(s)"
        raise DataError(f"{what} {size}; pass at least {min_rows} row(s).")
    if unique_index:
        check_unique_index(
            what,
            frame.index,
            fix="each row needs its own label: aggregate first (e.g. "
            "frame.groupby(level=0).sum()) or call frame.reset_index().",
        )
    return frame


def not_a_number(value: object) -> bool:
    """Whether an entry of a list is a bool, None or text: what NumPy would read as
    a number (``True`` as 1.0) or turn the whole list into text for.

    Examples
    --------
    >>> [not_a_number(v) for v in (1.5, True, "2", None, np.int64(3))]
    [False, True, True, True, False]
    """
    return isinstance(value, bool | np.bool_ | str | bytes) or value is None


def first_non_number(values: object) -> tuple[int, object] | None:
    """The position and value of the first :func:`not_a_number` entry of a list or
    tuple (None when there is none, or when ``values`` is not a list or tuple).

    Examples
    --------
    >>> first_non_number([1.5, 2, True]), first_non_number(np.array([1, 0]))
    ((2, True), None)
    """
    if isinstance(values, list | tuple):
        return next(((i, v) for i, v in enumerate(values) if not_a_number(v)), None)
    return None


def check_values(name: str, values: object, **kwargs: Any) -> np.ndarray:
    """:func:`crmkit._validate.check_array` for parameters: the same checks, raising
    :class:`~crmkit.errors.ParameterError`; ragged or odd inputs get a clear message,
    and a bool, None or text inside a list is refused (NumPy would read ``True`` in
    ``[1.5, True]`` as 1.0).
    """
    if (bad := first_non_number(values)) is not None:
        i, v = bad
        raise ParameterError(
            f"{name}[{i}] = {show(v)} is a {type(v).__name__}, not a number; "
            "pass numbers only (True/False and text are not numbers)."
        )
    try:
        return check_array(name, values, **kwargs)
    except CrmkitError as exc:
        raise ParameterError(str(exc)) from None
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(
            f"{name} = {show(values)} cannot be read as numbers; pass a flat list or "
            "array of numbers."
        ) from None


def check_times(name: str, t: ArrayLike) -> tuple[np.ndarray, bool]:
    """Return ``t`` as a float array and whether it was a scalar; reject bad times.

    A scalar (a number or a 0-d array) is checked by
    :func:`~crmkit._validate.check_nonnegative`; a list, array or Series entry by
    entry. Strings, bools, None, NaN, infinity, negative times and empty arrays are
    refused.

    Examples
    --------
    >>> check_times("t", 0.5)
    (array(0.5), True)
    >>> check_times("t", [0.5, -1])
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: t has 1 entry that is not >= 0 (first: -1 at position 1); pass values >= 0.
    """  # noqa: E501
    if isinstance(t, list | tuple | np.ndarray | pd.Series | pd.Index) and not (
        isinstance(t, np.ndarray) and t.ndim == 0
    ):
        arr = check_values(name, t, low=0.0)
        try:
            return arr.reshape(np.shape(t)), False
        except ValueError:  # pragma: no cover - check_values accepted a flat input
            return arr, False
    return np.asarray(check_nonnegative(name, t)), True
