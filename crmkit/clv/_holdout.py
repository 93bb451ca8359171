"""Calibration and holdout: split a transaction log at a date, then hold a model's
forecasts against what the customers did next.

A model is fitted on the calibration period (up to ``calibration_end``) and judged on
the holdout period (the days after it, up to ``holdout_end``) in two ways (Fader,
Hardie & Lee 2005, section 4):

- :func:`holdout_by_frequency`: per customer, E[Y(t) | x, t_x, T] against the
  purchases made in the holdout, averaged over the customers with the same number of
  repeat purchases in calibration (their Figure 3);
- :func:`tracking`: the cohort's repeat purchases period by period, against the sum
  of E[X(t − s_i)] over its customers (their Figures 1 and 2).

The models are used only through the methods the BTYD models share
(``expected_purchases``, ``expected_purchases_new``, ``params_``), so any of
:class:`~crmkit.clv.BGNBD`, ``ParetoNBD`` or ``MBGNBD`` can be passed.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_choice,
    check_count,
    check_date,
    check_dates,
    check_frame,
    check_work,
    show,
)
from crmkit.clv._bgbb import BGBB
from crmkit.clv._holdout_discrete import opportunity_columns
from crmkit.clv._inputs import btyd_data, counts, times
from crmkit.errors import DataError, ParameterError
from crmkit.segmentation import customer_summary

__all__ = ["calibration_holdout", "holdout_by_frequency", "tracking"]

#: days per time unit
UNITS = {"D": 1, "W": 7}
#: the columns of a calibration/holdout table, as :func:`calibration_holdout` names them
CALIBRATION = ("frequency_cal", "recency_cal", "T_cal")
HOLDOUT = ("frequency_holdout", "duration_holdout")
#: most (first-purchase day, period) pairs :func:`tracking` sums over
MAX_TRACKING_WORK = 1e8


def _iso(day: int) -> str:
    return str(np.datetime64(day, "D"))


def _day(name: str, value: object) -> int:
    """One date as whole days since 1970-01-01 (a time of day is dropped, a time zone
    too: local dates are kept, as in ``customer_summary``)."""
    stamp = check_date(name, value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return int(np.datetime64(stamp, "D").astype(np.int64))


class _Split(NamedTuple):
    """A checked transaction log and its calibration/holdout table."""

    table: pd.DataFrame
    ids: np.ndarray  # customer id of each row
    days: np.ndarray  # day of each row (days since 1970)
    first: int  # first day in the data
    cal: int  # calibration_end
    hold: int  # holdout_end
    unit: int  # days per time unit


def _check_window(days: np.ndarray, cal: int, hold: int) -> None:
    if cal >= hold:
        raise ParameterError(
            f"calibration_end = {_iso(cal)} is not before holdout_end = {_iso(hold)}; "
            "pass a calibration_end earlier than holdout_end (the holdout is the days "
            "after calibration_end up to holdout_end)."
        )
    first, last = int(days.min()), int(days.max())
    if cal < first:
        raise DataError(
            f"calibration_end = {_iso(cal)} is before the first transaction "
            f"({_iso(first)}), so the calibration period holds no purchases; pass a "
            f"calibration_end on or after {_iso(first)}."
        )
    if hold > last:
        raise DataError(
            f"holdout_end = {_iso(hold)} is after the last transaction "
            f"({_iso(last)}), so the data may not cover the whole holdout period; "
            f"pass a holdout_end on or before {_iso(last)}, or a log that covers the "
            "period."
        )


def _split(
    transactions: object,
    calibration_end: object,
    holdout_end: object,
    customer_col: object,
    date_col: object,
    amount_col: object,
    time_unit: object,
) -> _Split:
    """Check the arguments of :func:`calibration_holdout` and compute its table."""
    time_unit = check_choice("time_unit", time_unit, UNITS)
    columns = {"customer_col": customer_col, "date_col": date_col}
    if amount_col is not None:
        columns["amount_col"] = amount_col
    check_frame(transactions, columns, what="transactions", min_rows=1)
    if len(set(columns.values())) < len(columns):
        listed = ", ".join(f"{k} = {show(v)}" for k, v in columns.items())
        raise ParameterError(
            f"{listed} name the same column twice; pass each column's own name."
        )
    cal = _day("calibration_end", calibration_end)
    hold = _day("holdout_end", holdout_end)
    dates = check_dates(
        f"transactions[{date_col!r}]", transactions[date_col], copy=False
    )
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    days = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
    _check_window(days, cal, hold)
    # a log of the columns customer_summary needs (the user's frame is not touched)
    log = transactions[[customer_col]].copy()
    log[date_col] = days.astype("datetime64[D]")
    if amount_col is None:
        amount = "amount" if "amount" not in columns.values() else "_amount"
        log[amount] = 0.0
    else:
        amount = amount_col
        log[amount] = transactions[amount_col].to_numpy()
    unit = UNITS[time_unit]
    keys = {"customer": customer_col, "date": date_col, "amount": amount}
    summary = customer_summary(log, **keys, as_of=_iso(cal), time_unit=time_unit)
    later = (days > cal) & (days <= hold)
    n_holdout = pd.Series(0, index=summary.index)
    spend = pd.Series(0.0, index=summary.index)
    excluded = 0
    if later.any():
        holdout = customer_summary(
            log[later], **keys, as_of=_iso(hold), time_unit=time_unit
        )
        n_holdout = holdout["n_purchase_days"].reindex(summary.index, fill_value=0)
        spend = holdout["total_spend"].reindex(summary.index, fill_value=0.0)
        excluded = int((~holdout.index.isin(summary.index)).sum())
    out = pd.DataFrame(
        {
            "first_purchase": summary["first_purchase"],
            "frequency_cal": summary["frequency"],
            "recency_cal": summary["recency"],
            "T_cal": summary["T"],
        }
    )
    if amount_col is not None:
        out["monetary_value_cal"] = summary["monetary_value"]
    out["frequency_holdout"] = n_holdout.to_numpy(dtype=np.int64)
    out["duration_holdout"] = (hold - cal) / unit
    if amount_col is not None:
        n = out["frequency_holdout"].to_numpy()
        out["monetary_value_holdout"] = np.where(
            n > 0, spend.to_numpy() / np.maximum(n, 1), 0.0
        )
    out.attrs.update(
        calibration_end=_iso(cal),
        holdout_end=_iso(hold),
        time_unit=time_unit,
        n_excluded=excluded,
    )
    ids = transactions[customer_col].to_numpy()
    return _Split(out, ids, days, int(days.min()), cal, hold, unit)


def calibration_holdout(
    transactions: pd.DataFrame,
    *,
    calibration_end: object,
    holdout_end: object,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str | None = None,
    time_unit: str = "W",
) -> pd.DataFrame:
    """Split a transaction log at ``calibration_end``: one row per customer with the
    calibration summary and the purchases made in the holdout.

    The calibration columns are those of :func:`crmkit.segmentation.customer_summary`
    with ``as_of=calibration_end`` (rows of one customer on one calendar date are one
    purchase, times are days / 7 for weeks). The holdout is the days after
    ``calibration_end`` up to ``holdout_end`` (inclusive); every purchase there is a
    repeat purchase. **Customers whose first purchase is after** ``calibration_end``
    **are left out**: the models forecast the customers they were fitted on
    (``attrs["n_excluded"]`` counts those left out). Transactions after
    ``holdout_end`` are ignored.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per transaction; never modified. The column rules are those of
        ``customer_summary``.
    calibration_end, holdout_end : date-like
        Last day of the calibration period and of the holdout period (a date,
        ``pd.Timestamp`` or ISO text such as ``"1997-09-30"``; a time of day is
        dropped). ``calibration_end`` must be on or after the first transaction,
        ``holdout_end`` later than ``calibration_end`` and not after the last
        transaction.
    customer_col, date_col : str
        Columns of customer ids and purchase dates.
    amount_col : str, optional
        Column of amounts; when given, the table also holds mean spends.
    time_unit : {"W", "D"}
        Unit of the times: weeks of 7 days (as in FHL 2005) or days.

    Returns
    -------
    pandas.DataFrame
        Index = customer id (sorted); columns ``first_purchase``; ``frequency_cal``
        (repeat purchase days), ``recency_cal`` and ``T_cal`` (from the first
        purchase, in ``time_unit``); ``monetary_value_cal`` (mean spend of the repeat
        purchase days, only with ``amount_col``); ``frequency_holdout`` (purchase days
        in the holdout); ``duration_holdout`` (its length in ``time_unit``, the same
        for every customer); ``monetary_value_holdout`` (mean spend per holdout
        purchase day, 0 without one; only with ``amount_col``). ``attrs`` records
        ``calibration_end``, ``holdout_end``, ``time_unit`` and ``n_excluded``.

    Raises
    ------
    ParameterError
        Dates that are not dates, ``calibration_end >= holdout_end``, an unknown
        ``time_unit``, or one column named twice.
    DataError
        Not a DataFrame, a missing column, dates or amounts that cannot be read,
        ``calibration_end`` before the first transaction or ``holdout_end`` after the
        last one.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
    way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284,
    section 4 (CDNOW: calibration weeks 1–39, holdout weeks 40–78).

    Examples
    --------
    >>> from crmkit.datasets import load_cdnow
    >>> ch = calibration_holdout(load_cdnow(sample=True),
    ...                          calibration_end="1997-09-30", holdout_end="1998-06-30")
    >>> len(ch), int(ch["frequency_cal"].sum()), int(ch["frequency_holdout"].sum())
    (2357, 2457, 1882)
    >>> ch.loc[1, ["frequency_cal", "recency_cal", "T_cal", "duration_holdout"]].round(
    ...     2)
    frequency_cal        2.00
    recency_cal         30.43
    T_cal               38.86
    duration_holdout    39.00
    Name: 1, dtype: float64
    """
    return _split(
        transactions,
        calibration_end,
        holdout_end,
        customer_col,
        date_col,
        amount_col,
        time_unit,
    ).table


def check_model(model: object, methods: tuple[str, ...], name: str = "model") -> str:
    """Refuse what is not a BTYD model with parameters; return its class name."""
    if isinstance(model, type):
        raise ParameterError(
            f"{name} = {model.__name__} is a class, not a fitted model; fit it first, "
            f"e.g. {model.__name__}().fit(frequency, recency, T)."
        )
    missing = [m for m in methods if not callable(getattr(model, m, None))]
    if missing:
        raise ParameterError(
            f"{name} = {show(model)} has no method {', '.join(missing)}; pass a fitted "
            "BTYD model such as BGNBD, ParetoNBD or MBGNBD."
        )
    label = type(model).__name__
    if not getattr(model, "params_", None):
        raise ParameterError(
            f"{name} = {label} has no parameters yet; fit it first "
            f"({label}().fit(frequency, recency, T)) or set params_."
        )
    return label


class Holdout(NamedTuple):
    """The checked columns of a calibration/holdout table, as float arrays; for a
    table at discrete opportunities (``discrete``), ``T`` holds n and ``duration``
    the holdout opportunities."""

    x: np.ndarray
    tx: np.ndarray
    T: np.ndarray
    y: np.ndarray  # purchases in the holdout
    duration: np.ndarray
    discrete: bool = False


def check_kind(model: object, data: Holdout, name: str = "model") -> None:
    """Refuse a continuous-time model on a table of opportunities, and a BG/BB on a
    table of times (``model`` may be a class)."""
    cls = model if isinstance(model, type) else type(model)
    if data.discrete and not issubclass(cls, BGBB):
        raise ParameterError(
            f"{name} = {cls.__name__} is a continuous-time model, but cal_holdout "
            "counts discrete opportunities (n_periods_cal); pass BGBB, or a table "
            "from calibration_holdout for this model."
        )
    if not data.discrete and issubclass(cls, BGBB):
        raise ParameterError(
            f"{name} = {cls.__name__} counts discrete opportunities, but cal_holdout "
            "holds times (T_cal); pass a table from opportunity_holdout for it, or "
            "a continuous-time model such as BGNBD."
        )


def holdout_data(cal_holdout: object) -> Holdout:
    """Check a table made by :func:`calibration_holdout` (or one with its columns),
    or by :func:`~crmkit.clv.opportunity_holdout` (it has ``n_periods_cal``)."""
    if isinstance(cal_holdout, pd.DataFrame) and "n_periods_cal" in cal_holdout:
        return Holdout(*opportunity_columns(cal_holdout), discrete=True)
    check_frame(cal_holdout, [*CALIBRATION, *HOLDOUT], what="cal_holdout")
    names = tuple(f"cal_holdout[{c!r}]" for c in (*CALIBRATION, *HOLDOUT))
    x, tx, t_obs = btyd_data(*(cal_holdout[c] for c in CALIBRATION), names=names[:3])
    y = counts(names[3], cal_holdout["frequency_holdout"])
    duration = times(names[4], cal_holdout["duration_holdout"])
    if (duration <= 0).any():
        i = int(np.flatnonzero(duration <= 0)[0])
        raise DataError(
            f"{names[4]} = {duration[i]:g} at position {i}: the holdout has no length; "
            "pass the length of the holdout period (> 0), e.g. from "
            "calibration_holdout."
        )
    return Holdout(x, tx, t_obs, y, duration)


def holdout_predictions(model: object, data: Holdout) -> np.ndarray:
    """E[Y(t) | x, t_x, T] per customer, t = the customer's holdout duration."""
    out = np.empty(data.x.size)
    for t in np.unique(data.duration):
        rows = data.duration == t
        out[rows] = model.expected_purchases(  # type: ignore[attr-defined]
            float(t), data.x[rows], data.tx[rows], data.T[rows]
        )
    return out


def holdout_by_frequency(
    model: object, cal_holdout: pd.DataFrame, max_frequency: int = 7
) -> pd.DataFrame:
    """Mean predicted and actual holdout purchases, by repeat purchases in calibration.

    Customers with ``frequency_cal`` of ``max_frequency`` or more form one group
    (``"7+"`` by default). The prediction for each customer is the conditional
    expectation E[Y(t) | x, t_x, T] of ``model.expected_purchases`` with ``t`` the
    holdout duration (FHL 2005, eq. 10 for BG/NBD). A :class:`~crmkit.clv.BGBB` is
    judged on a table of :func:`~crmkit.clv.opportunity_holdout` in the same way,
    with ``t`` the holdout opportunities (FHS 2010, eq. 13).

    Parameters
    ----------
    model : fitted BTYD model
        ``BGNBD``, ``ParetoNBD``, ``MBGNBD`` or any model with ``params_`` and
        ``expected_purchases(t, frequency, recency, T)``, fitted on the calibration
        columns; a ``BGBB`` for a table of opportunities.
    cal_holdout : pandas.DataFrame
        From :func:`calibration_holdout` (columns ``frequency_cal``, ``recency_cal``,
        ``T_cal``, ``frequency_holdout``, ``duration_holdout``), or from
        :func:`~crmkit.clv.opportunity_holdout` (``n_periods_cal`` and
        ``n_periods_holdout`` in place of ``T_cal`` and ``duration_holdout``).
    max_frequency : int
        First frequency pooled into the last group (>= 1).

    Returns
    -------
    pandas.DataFrame
        Index ``frequency_cal`` (labels ``"0"``, ``"1"``, …, ``"7+"``; groups without
        customers are left out); columns ``n_customers``, ``actual`` and
        ``predicted`` (mean holdout purchases per customer).

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
    way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284,
    section 4 and Figure 3 (conditional expectations in the holdout). P. S. Fader,
    B. G. S. Hardie and J. Shang (2010), "Customer-base analysis in a discrete-time
    noncontractual setting", *Marketing Science* 29(6):1086–1108, eq. 13 and
    section 4 (the BG/BB in the holdout).

    Examples
    --------
    >>> from crmkit.clv import BGNBD
    >>> from crmkit.datasets import load_cdnow
    >>> ch = calibration_holdout(load_cdnow(sample=True),
    ...                          calibration_end="1997-09-30", holdout_end="1998-06-30")
    >>> m = BGNBD().fit(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])
    >>> holdout_by_frequency(m, ch).round(3)  # doctest: +NORMALIZE_WHITESPACE
                   n_customers  actual  predicted
    frequency_cal
    0                     1411   0.237      0.225
    1                      439   0.697      0.523
    2                      214   1.393      1.044
    3                      100   1.560      1.520
    4                       62   2.532      2.164
    5                       38   2.947      2.654
    6                       29   3.862      3.504
    7+                      64   6.359      6.157
    """
    check_model(model, ("expected_purchases",))
    top = check_count("max_frequency", max_frequency, minimum=1, maximum=10**6)
    data = holdout_data(cal_holdout)
    check_kind(model, data)
    predicted = holdout_predictions(model, data)
    group = np.minimum(data.x, top).astype(np.int64)
    frame = pd.DataFrame({"group": group, "actual": data.y, "predicted": predicted})
    table = frame.groupby("group").agg(
        n_customers=("actual", "size"),
        actual=("actual", "mean"),
        predicted=("predicted", "mean"),
    )
    labels = [str(g) if g < top else f"{top}+" for g in table.index]
    table.index = pd.Index(labels, name="frequency_cal")
    table.attrs.update(max_frequency=top)
    return table


def _period_ends(first: int, hold: int, unit: int) -> np.ndarray:
    """Last day of each period of ``unit`` days from ``first``; the last period ends
    at ``hold`` (it is shorter when the span is not a whole number of periods)."""
    n_periods = math.ceil((hold - first + 1) / unit)
    return np.minimum(first + unit * np.arange(1, n_periods + 1) - 1, hold)


def _repeat_days(split: _Split) -> tuple[np.ndarray, np.ndarray]:
    """First purchase day of each customer of the table, and the day of each repeat
    purchase day of those customers up to ``holdout_end``."""
    table = split.table
    first = table["first_purchase"].to_numpy().astype("datetime64[D]").astype(np.int64)
    keep = split.days <= split.hold
    pairs = pd.DataFrame({"id": split.ids[keep], "day": split.days[keep]})
    pairs = pairs.drop_duplicates()
    start = pairs["id"].map(pd.Series(first, index=table.index))
    repeat = start.notna().to_numpy() & (pairs["day"].to_numpy() > start.to_numpy())
    return first, pairs["day"].to_numpy()[repeat]


def tracking(
    model: object,
    transactions: pd.DataFrame,
    *,
    calibration_end: object,
    holdout_end: object,
    customer_col: str = "customer_id",
    date_col: str = "date",
    time_unit: str = "W",
) -> pd.DataFrame:
    """Repeat purchases of the cohort period by period, actual and expected, over the
    calibration and holdout periods.

    The cohort is the customers of :func:`calibration_holdout` (first purchase on or
    before ``calibration_end``). Periods are ``time_unit`` long (7 days for weeks)
    and start on the first day of the data; period k ends on day ``k · 7 − 1`` after
    it (the last one at ``holdout_end``). A customer first buying on day s_i, seen
    through day e, has age ``(e − s_i)`` days, as ``T`` is measured by
    ``customer_summary``. The expected cumulative repeat purchases at the end e_k of
    period k is the unconditional expectation summed over the cohort,
    ``Σ_i E[X((e_k − s_i) / 7)]`` over the customers with ``s_i <= e_k``
    (``model.expected_purchases_new``; FHL 2005, eq. 9 for BG/NBD), so at the end of
    calibration it is ``Σ_i E[X(T_cal_i)]``. The actual count is the number of
    repeat purchase days of the cohort up to e_k (same-day purchases merged).

    Parameters
    ----------
    model : fitted BTYD model
        Any model with ``params_`` and ``expected_purchases_new(t)`` (``BGNBD``,
        ``ParetoNBD``, ``MBGNBD``), fitted in ``time_unit``.
    transactions : pandas.DataFrame
        One row per transaction; never modified.
    calibration_end, holdout_end, customer_col, date_col, time_unit
        As in :func:`calibration_holdout`.

    Returns
    -------
    pandas.DataFrame
        Index ``period`` (1, 2, …); columns ``end`` (date of the period's last day),
        ``holdout`` (the period ends after ``calibration_end``), ``actual`` and
        ``expected`` (repeat purchases in the period), ``actual_cumulative`` and
        ``expected_cumulative``. ``attrs`` records ``calibration_end``,
        ``holdout_end``, ``time_unit``, ``start`` (the first day),
        ``calibration_periods`` (periods from the start to the end of calibration, a
        float: 39.0 for CDNOW) and ``n_customers``.

    Raises
    ------
    ParameterError, DataError
        As :func:`calibration_holdout`; a model without parameters; a span and cohort
        so large that more than 10⁸ (first-purchase day, period) pairs would be summed
        (use weeks rather than days).

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
    way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284,
    section 4, Figures 1 and 2 (weekly and cumulative repeat transactions). P. S.
    Fader and B. G. S. Hardie (2001), "Forecasting repeat sales at CDNOW: a case
    study", *Interfaces* 31(3, part 2):S94–S107 (the tracking plot).

    Examples
    --------
    >>> from crmkit.clv import BGNBD
    >>> from crmkit.datasets import load_cdnow
    >>> tx = load_cdnow(sample=True)
    >>> ch = calibration_holdout(tx, calibration_end="1997-09-30",
    ...                          holdout_end="1998-06-30")
    >>> m = BGNBD().fit(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])
    >>> track = tracking(m, tx, calibration_end="1997-09-30", holdout_end="1998-06-30")
    >>> len(track), track.attrs["calibration_periods"]
    (78, 39.0)
    >>> track.loc[[39, 78], ["actual_cumulative", "expected_cumulative"]].round(1)
            actual_cumulative  expected_cumulative
    period
    39                   2457               2494.0
    78                   4339               4160.6
    """
    check_model(model, ("expected_purchases_new",))
    split = _split(
        transactions,
        calibration_end,
        holdout_end,
        customer_col,
        date_col,
        None,
        time_unit,
    )
    start, unit = split.first, split.unit
    ends = _period_ends(start, split.hold, unit)
    first, repeats = _repeat_days(split)
    first_days, n_first = np.unique(first, return_counts=True)
    check_work(
        "tracking",
        float(first_days.size) * ends.size,
        limit=MAX_TRACKING_WORK,
        fix="use time_unit='W' or a shorter span between the first transaction and "
        "holdout_end",
    )
    ages = np.arange(split.hold - start + 1)  # days since a first purchase
    per_customer = np.asarray(
        model.expected_purchases_new(ages / unit),  # type: ignore[attr-defined]
        dtype=float,
    ).reshape(ages.shape)
    lag = ends[None, :] - first_days[:, None]
    expected = np.where(lag >= 0, per_customer[np.maximum(lag, 0)], 0.0)
    expected_cum = n_first @ expected
    actual = np.bincount((repeats - start) // unit, minlength=ends.size)
    out = pd.DataFrame(
        {
            "end": ends.astype("datetime64[D]").astype("datetime64[s]"),
            "holdout": ends > split.cal,
            "actual": actual,
            "expected": np.diff(expected_cum, prepend=0.0),
            "actual_cumulative": np.cumsum(actual),
            "expected_cumulative": expected_cum,
        },
        index=pd.RangeIndex(1, ends.size + 1, name="period"),
    )
    out.attrs.update(
        calibration_end=_iso(split.cal),
        holdout_end=_iso(split.hold),
        time_unit=split.table.attrs["time_unit"],
        start=_iso(start),
        calibration_periods=(split.cal - start + 1) / unit,
        n_customers=len(split.table),
    )
    return out
