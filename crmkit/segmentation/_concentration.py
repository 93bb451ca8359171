"""How concentrated customer value is: ABC classes, value tiers, Lorenz curve, Gini,
top share."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmkit._validate import check_probability
from crmkit.errors import DataError, ParameterError

__all__ = ["abc_classes", "gini", "lorenz_curve", "top_share", "value_tiers"]


def _values(values: object, name: str = "values") -> pd.Series:
    if isinstance(values, pd.DataFrame):
        raise DataError(f"{name} must be one column (a Series), not a DataFrame.")
    s = (
        pd.Series(values, copy=True)
        if not isinstance(values, pd.Series)
        else values.copy()
    )
    try:
        s = s.astype(float)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"{name} must be numbers (customer value, e.g. total spend)."
        ) from exc
    if s.empty:
        raise DataError(f"{name} is empty.")
    if s.isna().any() or np.isinf(s).any():
        raise DataError(
            f"{name} has NaN or infinite entries "
            f"(at {list(s.index[~np.isfinite(s)][:3])})."
        )
    if (s < 0).any():
        raise DataError(
            f"{name} has negative entries (at {list(s.index[s < 0][:3])}); "
            "value must be >= 0."
        )
    return s


def _ranked(s: pd.Series) -> pd.Series:
    """Values sorted descending, ties by index ascending (a stable, documented
    order)."""
    order = np.lexsort((np.arange(len(s)), -s.to_numpy()))
    # lexsort sorts by the last key first: value descending, then original position; the
    # original index is sorted first so that ties break by index ascending
    return s.iloc[order]


def abc_classes(values: object, cutoffs: Sequence[float] = (0.8, 0.95)) -> pd.Series:
    """ABC analysis (ABC分析法): classes by cumulative share of value.

    Customers are sorted by value, largest first (ties by index, ascending). A customer
    is **A** if the cumulative share of value of the customers *before* it is below the
    first cut-off (so the customer who crosses 80 % is still A), **B** if below the
    second, else **C**.

    Parameters
    ----------
    values : Series or array
        Value per customer (e.g. ``total_spend``), >= 0, not all zero.
    cutoffs : (float, float), default (0.8, 0.95)
        Increasing shares in (0, 1].

    Returns
    -------
    pandas.Series
        Categorical "A"/"B"/"C", aligned to the input's index.

    Examples
    --------
    >>> abc_classes(pd.Series([50, 30, 10, 6, 4], index=list("abcde"))).tolist()
    ['A', 'A', 'B', 'B', 'C']
    """
    s = _values(values)
    a_cut, b_cut = (
        check_probability(f"cutoffs[{i}]", c, open_low=True)
        for i, c in enumerate(cutoffs)
    )
    if len(cutoffs) != 2 or not a_cut < b_cut:
        raise ParameterError(
            f"cutoffs must be two increasing shares, got {tuple(cutoffs)}."
        )
    total = s.sum()
    if total == 0:
        raise DataError("every value is 0: shares of value are undefined.")
    s = s.sort_index(kind="stable")
    ranked = _ranked(s)
    before = (ranked.cumsum() - ranked) / total
    labels = np.where(before < a_cut, "A", np.where(before < b_cut, "B", "C"))
    out = pd.Series(
        pd.Categorical(labels, categories=["A", "B", "C"], ordered=True),
        index=ranked.index,
        name="abc_class",
    )
    return out.reindex(
        pd.Series(values).index if not isinstance(values, pd.Series) else values.index
    )


def value_tiers(
    values: object,
    shares: Sequence[float] = (0.05, 0.15, 0.80),
    labels: Sequence[str] = ("VIP", "major", "ordinary", "small"),
) -> pd.Series:
    """The customer pyramid: VIP, major, ordinary and small customers by rank.

    ``shares`` are cumulative cut points on the ranking by value, best first: with the
    default, the top 5 % of customers are **VIP** (VIP客户), those up to the top 15 %
    **major** (主要客户), those up to the top 80 % **ordinary** (普通客户) and the
    bottom 20 % **small** (小客户). The course's courier example (about 5 % key
    accounts and VIPs, 15 % mid-range, 80 % low-end) is ``shares=(0.05,
    0.20)`` with three labels. Ties are broken by index; a tier boundary at a
    fractional position rounds to the nearest customer.

    Returns
    -------
    pandas.Series
        Ordered categorical tier per customer, aligned to the input.

    Examples
    --------
    >>> v = pd.Series(range(100, 0, -1), index=range(100))
    >>> tiers = value_tiers(v).value_counts()
    >>> tiers.loc[["VIP", "major", "ordinary", "small"]].tolist()
    [5, 10, 65, 20]
    """
    s = _values(values)
    cuts = [
        check_probability(f"shares[{i}]", c, open_low=True)
        for i, c in enumerate(shares)
    ]
    if any(b <= a for a, b in itertools.pairwise(cuts)):
        raise ParameterError(
            f"shares must increase (cumulative cut points), got {tuple(shares)}."
        )
    if len(labels) != len(cuts) + 1:
        raise ParameterError(f"give {len(cuts) + 1} labels for {len(cuts)} cut points.")
    ranked = _ranked(s.sort_index(kind="stable"))
    n = len(ranked)
    bounds = [math.floor(c * n + 0.5) for c in cuts]
    position = np.arange(n)
    tier = np.searchsorted(np.asarray(bounds), position, side="right")
    out = pd.Series(
        pd.Categorical(
            np.asarray(labels, dtype=object)[tier],
            categories=list(labels),
            ordered=True,
        ),
        index=ranked.index,
        name="tier",
    )
    return out.reindex(s.index)


def lorenz_curve(values: object) -> pd.DataFrame:
    """Points of the Lorenz curve (洛伦兹曲线), smallest customers first, from (0, 0).

    Examples
    --------
    >>> lorenz_curve([1, 1, 2]).round(3).values.tolist()
    [[0.0, 0.0], [0.333, 0.25], [0.667, 0.5], [1.0, 1.0]]
    """
    s = _values(values)
    x = np.sort(s.to_numpy())
    total = x.sum()
    if total == 0:
        raise DataError("every value is 0: the Lorenz curve is undefined.")
    n = x.size
    return pd.DataFrame(
        {
            "share_of_customers": np.arange(n + 1) / n,
            "share_of_value": np.concatenate(([0.0], np.cumsum(x) / total)),
        }
    )


def gini(values: object) -> float:
    """Gini coefficient of customer value, zeros included.

    ``G = Σ_i (2i − n − 1) x_(i) / (n Σ x)`` with ``x`` ascending, i = 1 … n: 0 when all
    customers are worth the same, (n − 1)/n when one customer holds everything.

    Examples
    --------
    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4])
    (0.0, 0.75)
    """
    s = _values(values)
    x = np.sort(s.to_numpy())
    n, total = x.size, x.sum()
    if total == 0:
        raise DataError("every value is 0: the Gini coefficient is undefined.")
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * x) / (n * total))


def top_share(values: object, fraction: float = 0.2) -> float:
    """Share of total value held by the ⌈fraction · n⌉ most valuable customers.

    Examples
    --------
    >>> top_share([10, 5, 3, 1, 1], fraction=0.2)   # the top customer of five
    0.5
    """
    s = _values(values)
    f = check_probability("fraction", fraction, open_low=True)
    total = s.sum()
    if total == 0:
        raise DataError("every value is 0: shares of value are undefined.")
    k = math.ceil(f * len(s) - 1e-12)
    return float(np.sort(s.to_numpy())[::-1][:k].sum() / total)
