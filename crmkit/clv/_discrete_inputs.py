"""Checks for the discrete-time models (sBG, BG/BB): whole periods, survivor counts,
per-customer records and weights.

Built on :func:`crmkit.clv._inputs.numbers_array`, so the same entries are refused as
by the BG/NBD checks (strings, bools, None, NaN, infinity, nested lists), and every
failure is a :class:`~crmkit.errors.DataError` or :class:`~crmkit.errors.ParameterError`
that names the argument, shows the value and says how to fix it.

Examples
--------
>>> recency, T, w = contract_data([1, 3, 3], [3, 3, 3])
>>> recency.tolist(), T.tolist(), w.tolist()
([1.0, 3.0], [3.0, 3.0], [1.0, 2.0])
>>> survivor_counts([1000, 631, 700])
Traceback (most recent call last):
...
crmkit.errors.DataError: counts rise from 631 to 700 at position 2; the active customers of one cohort can only fall: pass the survivors of a single cohort, starting with its size.
"""  # noqa: E501

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from crmkit._validate import check_count
from crmkit.clv._inputs import MAX_COUNT, _same_length, numbers_array, refuse_rows
from crmkit.errors import DataError

__all__ = [
    "contract_data",
    "opportunity_data",
    "periods",
    "survivor_counts",
]

#: Most periods (renewals, purchase opportunities) a record may span.
MAX_PERIODS = 10**6


def periods(name: str, value: object, minimum: int = 0) -> np.ndarray | float:
    """A whole number of periods (>= ``minimum``), or an array of them; returned as a
    float or a float array."""
    if np.ndim(value) == 0:
        return float(check_count(name, value, minimum=minimum, maximum=MAX_PERIODS))
    return numbers_array(name, value, low=minimum, high=MAX_PERIODS, integer=True)


def weights_array(weights: ArrayLike | None, size: int) -> np.ndarray:
    """Counts of customers per row (finite, >= 0, at least one positive); ones when
    ``weights`` is None."""
    if weights is None:
        return np.ones(size)
    w = numbers_array("weights", weights, low=0, high=MAX_COUNT * 1e3)
    _same_length({"the other columns": np.empty(size), "weights": w})
    if not (w > 0).any():
        raise DataError(
            f"weights are all 0 ({w.size} rows); pass the number of customers in each "
            "row (at least one positive)."
        )
    return w


def _unique(rows: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows with their summed weights (rows of weight 0 dropped)."""
    keep = w > 0
    rows, inverse = np.unique(rows[keep], axis=0, return_inverse=True)
    total = np.bincount(inverse.ravel(), weights=w[keep], minlength=rows.shape[0])
    return rows, total


def contract_data(
    recency: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check one record per contract customer; return distinct (recency, T) rows and
    their counts.

    ``T`` is the number of periods the customer was observed (a whole number >= 1),
    ``recency`` the last period in which it was active (1 ... T): a customer with
    ``recency < T`` cancelled at the end of period ``recency``, one with
    ``recency == T`` is still active.
    """
    r = numbers_array("recency", recency, low=1, high=MAX_PERIODS, integer=True)
    t = numbers_array("T", T, low=1, high=MAX_PERIODS, integer=True)
    _same_length({"recency": r, "T": t})
    w = weights_array(weights, r.size)
    late = (
        r > t,
        lambda i: f"recency = {r[i]:g} exceeds T = {t[i]:g}",
        "recency is the last period in which the customer was active and T the "
        "number of periods observed: check that both count periods from the "
        "customer's first",
    )
    refuse_rows([late])
    rows, counts = _unique(np.column_stack((r, t)), w)
    return rows[:, 0], rows[:, 1], counts


def survivor_counts(counts: ArrayLike) -> np.ndarray:
    """Active customers of one cohort by period, starting with the cohort size: whole
    numbers >= 0, at least two, the first positive, never rising."""
    n = numbers_array("counts", counts, low=0, high=MAX_COUNT, integer=True)
    if n.size < 2:
        raise DataError(
            f"counts = {n.tolist()} holds {n.size} value; pass the cohort size and "
            "the active customers after at least one period (two values or more)."
        )
    if n[0] == 0:
        raise DataError(
            "counts starts with 0, an empty cohort; pass the cohort size (a positive "
            "whole number) first."
        )
    rise = np.diff(n) > 0
    if rise.any():
        i = int(np.flatnonzero(rise)[0]) + 1
        raise DataError(
            f"counts rise from {n[i - 1]:g} to {n[i]:g} at position {i}; the active "
            "customers of one cohort can only fall: pass the survivors of a single "
            "cohort, starting with its size."
        )
    return n


def opportunity_data(
    frequency: ArrayLike,
    recency: ArrayLike,
    n_periods: ArrayLike,
    weights: ArrayLike | None = None,
    *,
    group: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Check a discrete-time customer summary (BG/BB); return x, t_x, n and counts.

    ``frequency`` (x) counts the transactions in ``n_periods`` (n) opportunities after
    the first, ``recency`` (t_x) is the opportunity of the last one (0 when x = 0), so
    ``x <= t_x <= n``, and x = 0 exactly when t_x = 0. With ``group`` the rows are
    made distinct and counted; otherwise they are returned in order with their
    weights.
    """
    x = numbers_array("frequency", frequency, low=0, high=MAX_PERIODS, integer=True)
    tx = numbers_array("recency", recency, low=0, high=MAX_PERIODS, integer=True)
    n = numbers_array("n_periods", n_periods, low=0, high=MAX_PERIODS, integer=True)
    _same_length({"frequency": x, "recency": tx, "n_periods": n})
    w = weights_array(weights, x.size)
    rules = (
        (
            tx > n,
            lambda i: f"recency = {tx[i]:g} exceeds n_periods = {n[i]:g}",
            "the last transaction cannot fall after the last opportunity: check that "
            "n_periods counts the opportunities after the first transaction",
        ),
        (
            x > tx,
            lambda i: f"frequency = {x[i]:g} exceeds recency = {tx[i]:g}",
            "x transactions need at least x opportunities, so recency >= frequency: "
            "check that recency is the opportunity of the last transaction",
        ),
        (
            (x == 0) & (tx > 0),
            lambda i: f"frequency = 0 but recency = {tx[i]:g}",
            "a customer without repeat transactions has recency 0: check that "
            "frequency counts the transactions after the first",
        ),
    )
    refuse_rows(rules)
    if not group:
        return x, tx, n, w
    rows, counts = _unique(np.column_stack((x, tx, n)), w)
    return rows[:, 0], rows[:, 1], rows[:, 2], counts
