"""One row per customer from a transaction table: the definitions every other tool
needs.

Tools disagree on what recency, frequency and monetary value mean; crmkit names each
one:

- ``n_purchase_days``: days with at least one purchase (rows of one customer on one
  calendar date are one purchase, their amounts summed);
- ``days_since_last``: days from the last purchase to ``as_of`` (the RFM recency);
- ``frequency``: repeat purchase days, ``n_purchase_days - 1`` (the BTYD frequency);
- ``recency``: time from the first to the last purchase (the BTYD recency);
- ``T``: time from the first purchase to ``as_of`` (the customer's age);
- ``monetary_value``: mean spend of the repeat purchase days (0 without repeats), the
  input of the Gamma-Gamma spend model;
- ``total_spend``: all spend up to ``as_of``.

``recency`` and ``T`` are in ``time_unit``: "D" days or "W" weeks (days / 7, never
calendar weeks), as in Fader, Hardie and Lee (2005).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_array,
    check_choice,
    check_date,
    check_dates,
    check_frame,
    check_present,
    show,
)
from crmkit.errors import DataError, ParameterError

__all__ = ["customer_summary"]

_UNITS = {"D": 1.0, "W": 7.0}
_PER_DAY = {
    "D": 1,
    "h": 24,
    "m": 1_440,
    "s": 86_400,
    "ms": 86_400_000,
    "us": 86_400_000_000,
    "ns": 86_400_000_000_000,
}
def _naive(dt: pd.Series) -> pd.Series:
    """Local wall-clock datetimes (a time zone, if any, is dropped, not converted)."""
    if getattr(dt.dt, "tz", None) is not None:
        return dt.dt.tz_localize(None)
    return dt


def _parse_dates(name: str, values: pd.Series) -> pd.Series:
    """``values`` as local datetimes (:func:`~crmkit._validate.check_dates`, not
    copied; a time zone is dropped); numbers, NaT and non-dates raise a DataError."""
    return _naive(check_dates(name, values, copy=False))


def _date_scalar(name: str, value: object) -> pd.Timestamp:
    """One date (a datetime, date, numpy datetime64 or ISO text), time zone dropped."""
    stamp = check_date(name, value)
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp


def _days(values: pd.Series, name: str) -> np.ndarray:
    """Calendar days since 1970-01-01 as int64; errors name the row and the fix."""
    dt = _parse_dates(name, values)
    raw = dt.to_numpy()
    unit, count = np.datetime_data(raw.dtype)
    per_day = _PER_DAY.get(unit)
    if per_day is None or count != 1:
        return raw.astype("datetime64[D]").astype(np.int64)
    # floor division of the integer ticks is the same as numpy's datetime64[D] cast
    # (both round towards minus infinity) and several times faster
    return raw.view(np.int64) // per_day


def _amounts(values: pd.Series, name: str) -> np.ndarray:
    """Amounts as float64 (no copy for a float64 column), finite and >= 0."""
    kind = values.dtype.kind
    if kind in "fiu" and isinstance(values.dtype, np.dtype):
        out = values.to_numpy(dtype=np.float64)
    else:  # text, objects, bools, nullable and other extension types: the slow path
        out = check_array(name, values, allow_empty=True, low=0)
    bad = ~np.isfinite(out)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"{name} has {int(bad.sum())} value(s) that are not finite numbers (first: "
            f"{show(values.iloc[pos])} at row {show(values.index[pos])}, position "
            f"{pos}); drop or fill the missing amounts."
        )
    negative = out < 0
    if negative.any():
        pos = int(np.flatnonzero(negative)[0])
        raise DataError(
            f"{name} has {int(negative.sum())} negative value(s) (first: "
            f"{out[pos]:g} at row {show(values.index[pos])}, position {pos}); remove "
            "returns and cancellations first (see read_online_retail)."
        )
    return out


def _id_problem(ids: pd.Series, name: str) -> DataError:
    # only on the error path: a loop over the rows is acceptable here
    kinds = ids.dropna().map(lambda v: type(v).__name__)
    firsts = ids.dropna()[~kinds.duplicated().to_numpy()]
    types = [type(v).__name__ for v in firsts]
    examples = ", ".join(show(v, 20) for v in firsts)
    return DataError(
        f"{name} mixes id types ({' and '.join(types)}, e.g. {examples}), so 1 and "
        "'1' (or True and 1) would be confused; convert them to one type first, e.g. "
        f"transactions[{show(ids.name)}].astype(str)."
    )


def _customer_codes(ids: pd.Series, name: str) -> tuple[np.ndarray, np.ndarray, bool]:
    """int64 codes per row, the id of each code, and whether code order is id order.

    Non-negative integer ids of moderate range are their own codes (no hashing needed);
    other ids are factorised without sorting, and the summary is sorted at the end.
    """
    check_present(
        name, ids, what="customer id(s)", fix="drop those rows or fill the ids"
    )
    kind = ids.dtype.kind
    if kind == "b" or (kind == "O" and pd.api.types.infer_dtype(ids) == "boolean"):
        raise DataError(
            f"{name} holds True/False values, not customer ids; pass the column of "
            "customer ids (numbers or text)."
        )
    if kind == "f" and not np.isfinite(ids.to_numpy(dtype=float)).all():
        raise DataError(
            f"{name} has infinite customer ids; drop those rows or fix the ids."
        )
    if kind == "O" and pd.api.types.infer_dtype(ids) in {"mixed-integer", "mixed"}:
        raise _id_problem(ids, name)
    values = ids.to_numpy()
    if values.dtype.kind in "iu" and values.size:
        lo, hi = int(values.min()), int(values.max())
        if lo >= 0 and hi < 4 * values.size + 1_000_000:
            return values.astype(np.int64, copy=False), np.arange(hi + 1), True
    codes, uniques = pd.factorize(ids, sort=False)
    return codes.astype(np.int64), np.asarray(uniques), False


class _PurchaseDays(NamedTuple):
    """The purchase days of each customer who bought, ordered by customer code."""

    customer: np.ndarray  # code of each customer (ascending)
    count: np.ndarray  # purchase days per customer
    first: np.ndarray  # first purchase day (days since 1970)
    last: np.ndarray  # last purchase day (days since 1970)


def _check_layout(
    transactions: object, customer: object, date: object, amount: object
) -> None:
    """The table is a DataFrame with three different columns named as given."""
    check_frame(
        transactions,
        {"customer": customer, "date": date, "amount": amount},
        what="transactions",
        min_rows=1,
    )
    if len({customer, date, amount}) < 3:
        raise ParameterError(
            f"customer = {show(customer)}, date = {show(date)} and amount = "
            f"{show(amount)} must be three different columns; pass each column's own "
            "name."
        )


def _end_day(days: np.ndarray, as_of: object) -> int:
    """The last day observed: ``as_of``, or the last day in the data."""
    if as_of is None:
        return int(days.max())
    stamp = _date_scalar("as_of", as_of)
    end = int(np.datetime64(stamp, "D").astype(np.int64))
    if end < days.min():
        raise DataError(
            f"as_of = {stamp.date()} is before the first transaction "
            f"({np.datetime64(int(days.min()), 'D')}); nothing would be "
            "summarised. Pass a later as_of (or None for the last date in the "
            "data)."
        )
    return end


def _day_offsets(days: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Days as offsets from the first one in the narrowest integer type (less memory
    traffic in the sort), with that first day and the span. Changes ``days``."""
    lo = int(days.min())
    span = int(days.max()) - lo + 1
    days -= lo
    return days.astype(np.int16 if span < 2**15 else np.int32), lo, span


def _purchase_days(
    codes: np.ndarray, offset: np.ndarray, lo: int, span: int
) -> _PurchaseDays:
    """Distinct (customer, day) pairs, from one sort of int64 keys.

    A plain sort of int64 keys (SIMD-accelerated in numpy >= 2) is several times faster
    than an argsort or a hash table here.
    """
    key = codes * span
    key += offset
    key.sort()
    distinct = np.empty(key.size, dtype=bool)
    distinct[0] = True
    np.not_equal(key[1:], key[:-1], out=distinct[1:])
    day_key = key[distinct]  # one per purchase day, ordered by customer then day
    # the customer of each purchase day, written over the sorted keys (no longer
    # needed): big fresh allocations cost more than the arithmetic here
    day_cust = np.floor_divide(day_key, span, out=key[: day_key.size])
    first_idx = np.flatnonzero(np.concatenate(([True], day_cust[1:] != day_cust[:-1])))
    last_idx = np.concatenate((first_idx[1:], [day_cust.size])) - 1
    return _PurchaseDays(
        customer=day_cust[first_idx],
        count=np.diff(np.concatenate((first_idx, [day_cust.size]))),
        first=day_key[first_idx] % span + lo,
        last=day_key[last_idx] % span + lo,
    )


def _first_day_spend(
    codes: np.ndarray,
    values: np.ndarray,
    offset: np.ndarray,
    lo: int,
    days: _PurchaseDays,
    n_codes: int,
) -> np.ndarray:
    """Spend on each customer's first purchase day (customers of ``days``), summed
    straight from the rows (no reordering of the amounts)."""
    first_of = np.zeros(n_codes, dtype=offset.dtype)
    first_of[days.customer] = days.first - lo
    on_first = np.where(offset == np.take(first_of, codes), values, 0.0)
    return np.bincount(codes, weights=on_first, minlength=n_codes)[days.customer]


def _check_totals(total: np.ndarray, ids: np.ndarray, amount: str) -> None:
    """Refuse a total spend beyond the float range."""
    if not np.isfinite(total).all():
        where = int(np.flatnonzero(~np.isfinite(total))[0])
        raise DataError(
            f"transactions[{amount!r}]: the total spend of customer "
            f"{show(ids[where])} is more than the largest float (about "
            "1.8e308); pass the amounts in a larger unit (e.g. thousands)."
        )


def _table(
    days: _PurchaseDays,
    total: np.ndarray,
    repeat_spend: np.ndarray,
    end: int,
    unit: float,
    index: pd.Index,
) -> pd.DataFrame:
    """The summary's columns (see the module docstring)."""
    freq = days.count - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(freq > 0, repeat_spend / np.maximum(freq, 1), 0.0)
    return pd.DataFrame(
        {
            "first_purchase": days.first.astype("datetime64[D]").astype(
                "datetime64[s]"
            ),
            "last_purchase": days.last.astype("datetime64[D]").astype("datetime64[s]"),
            "n_purchase_days": days.count,
            "total_spend": total,
            "days_since_last": end - days.last,
            "frequency": freq,
            "recency": (days.last - days.first) / unit,
            "T": (end - days.first) / unit,
            "monetary_value": monetary,
        },
        index=index,
    )


def customer_summary(
    transactions: pd.DataFrame,
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    as_of: object = None,
    time_unit: str = "D",
) -> pd.DataFrame:
    """Summarise transactions into one row per customer (see the module docstring).

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction; never modified. Its index is not used (a repeated
        index is fine); error messages give the row label and position.
    customer, date, amount : str
        Column names (three different columns). Customer ids are numbers or text, of
        one type: a column mixing them (``1`` and ``"1"``) is refused rather than
        guessed. Dates are datetimes or date text (``"2024-01-31"``); a time zone is
        dropped (local dates are kept). Numbers are refused as dates: ``20240101``
        would be read as nanoseconds since 1970, so convert such columns with
        ``pd.to_datetime(column.astype(str), format="%Y%m%d")``. Amounts are finite
        numbers >= 0 (not text, not True/False).
    as_of : date-like, optional
        End of the observation period (inclusive). Later transactions are ignored.
        Default: the last date in the data. A date, ``pd.Timestamp`` or date text,
        never a bare number.
    time_unit : {"D", "W"}
        Unit of ``recency`` and ``T``: days, or weeks of 7 days.

    Returns
    -------
    pandas.DataFrame
        Index = customer id (sorted); columns ``first_purchase``, ``last_purchase``,
        ``n_purchase_days``, ``total_spend``, ``days_since_last``, ``frequency``,
        ``recency``, ``T``, ``monetary_value``. ``attrs`` records ``as_of`` and
        ``time_unit``. One transaction gives one customer with ``frequency`` 0.

    Raises
    ------
    DataError
        Not a DataFrame, missing or repeated columns, numbers, NaT or text that is not
        a date in the date column, NaN, infinite, negative or non-numeric amounts,
        missing or mixed-type customer ids, an empty table, totals beyond the float
        range, or an ``as_of`` before all transactions.
    ParameterError
        An ``as_of`` that is not a date, or an unknown ``time_unit``.

    Notes
    -----
    Computed with one sort of (customer, day) integer keys and ``numpy`` bin counts,
    without a hash table or a group-by, so 10 million rows take about a second and
    little memory beyond the input (see ``benchmarks/bench_segmentation.py``).

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
    way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284.

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": [1, 1, 1, 2],
    ...     "date": ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-10"],
    ...     "amount": [10.0, 5.0, 20.0, 7.0]})
    >>> s = customer_summary(tx, as_of="2024-01-31")
    >>> s[["n_purchase_days", "frequency", "recency", "T", "monetary_value"]]
                 n_purchase_days  frequency  recency     T  monetary_value
    customer_id
    1                          2          1     14.0  30.0            20.0
    2                          1          0      0.0  21.0             0.0
    """
    time_unit = check_choice("time_unit", time_unit, _UNITS)
    _check_layout(transactions, customer, date, amount)
    days = _days(transactions[date], f"transactions[{date!r}]")
    values = _amounts(transactions[amount], f"transactions[{amount!r}]")
    end = _end_day(days, as_of)
    ids = transactions[customer]
    codes, uniques, sorted_ids = _customer_codes(ids, f"transactions[{customer!r}]")
    keep = days <= end
    if not keep.all():
        codes, days, values = codes[keep], days[keep], values[keep]
    # days is this function's own array (from _days or the mask above)
    offset, lo, span = _day_offsets(days)
    del days
    purchases = _purchase_days(codes, offset, lo, span)
    n_codes = len(uniques)
    total = np.bincount(codes, weights=values, minlength=n_codes)[purchases.customer]
    customers = uniques[purchases.customer]
    _check_totals(total, customers, amount)
    repeat_spend = total - _first_day_spend(
        codes, values, offset, lo, purchases, n_codes
    )
    index = pd.Index(customers, name=customer)
    out = _table(purchases, total, repeat_spend, end, _UNITS[time_unit], index)
    if not sorted_ids:
        try:
            out = out.sort_index(kind="stable")
        except TypeError:  # ids that cannot be ordered (e.g. numbers and text)
            raise _id_problem(ids, f"transactions[{customer!r}]") from None
    out.attrs["as_of"] = str(np.datetime64(end, "D"))
    out.attrs["time_unit"] = time_unit
    return out
