"""How concentrated customer value is: ABC classes, value tiers, Lorenz curve, Gini,
top share."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_array,
    check_probability,
    check_unique_index,
    show,
)
from crmkit.errors import DataError, ParameterError

__all__ = ["abc_classes", "gini", "lorenz_curve", "top_share", "value_tiers"]


def _values(values: object, name: str = "values", *, unique: bool = False) -> pd.Series:
    """A new float Series of customer values (>= 0, finite), keeping a Series' index.

    ``unique=True`` refuses a repeated index label (for results aligned to customers).
    """
    if isinstance(values, pd.DataFrame):
        raise DataError(
            f"{name} is a DataFrame; pass one column of it, e.g. frame['total_spend']."
        )
    if isinstance(values, Mapping):
        values = pd.Series(dict(values), dtype=object)
    try:
        ndim = np.ndim(values)
    except ValueError:  # ragged nested lists
        ndim = 2
    if ndim != 1 and not isinstance(values, str | bytes) and values is not None:
        what = "a single value" if ndim == 0 else f"{ndim}-dimensional"
        raise DataError(
            f"{name} = {show(values)} is {what}, not one value per customer; pass a "
            "list, 1-d array or Series, e.g. summary['total_spend']."
        )
    arr = check_array(name, values, low=0)
    index = values.index if isinstance(values, pd.Series) else pd.RangeIndex(arr.size)
    if unique:
        check_unique_index(
            name,
            index,
            fix="pass one value per customer (aggregate first, e.g. "
            f"{name}.groupby(level=0).sum()).",
        )
    return pd.Series(arr, index=index, name=getattr(values, "name", None))


def _safe(x: np.ndarray) -> np.ndarray:
    """``x`` rescaled by its maximum when sums of it would overflow (every measure here
    is a ratio, so the scale does not matter)."""
    with np.errstate(over="ignore"):
        probe = float(np.sum(x)) * 2 * max(x.size, 1)
    if not math.isfinite(probe):
        return x / x.max()
    return x


def _all_zero(name: str, what: str) -> DataError:
    return DataError(
        f"every entry of {name} is 0: {what} is undefined; pass values with at least "
        "one positive entry."
    )


def _cut_points(
    name: str, values: object, example: str, count: int | None = None
) -> list[float]:
    """Strictly increasing shares in (0, 1]."""
    if isinstance(values, str | bytes | Mapping) or not isinstance(
        values, Sequence | np.ndarray | pd.Series
    ):
        raise ParameterError(
            f"{name} = {show(values)} is not a sequence of shares; pass e.g. {example}."
        )
    items = list(values)
    if count is not None and len(items) != count:
        raise ParameterError(
            f"{name} = {show(values)} has {len(items)} entries; pass exactly {count}, "
            f"e.g. {example}."
        )
    cuts = [
        check_probability(f"{name}[{i}]", c, open_low=True) for i, c in enumerate(items)
    ]
    if any(b <= a for a, b in itertools.pairwise(cuts)):
        raise ParameterError(
            f"{name} = {show(tuple(items))} must increase (cumulative shares); pass "
            f"them in increasing order, e.g. {example}."
        )
    return cuts


def _by_index(s: pd.Series, name: str) -> pd.Series:
    try:
        return s.sort_index(kind="stable")
    except TypeError:
        kinds = sorted({type(v).__name__ for v in s.index})
        raise DataError(
            f"the index of {name} mixes types ({' and '.join(kinds)}), which cannot be "
            f"ordered to break ties; convert it to one type, e.g. {name}.index = "
            f"{name}.index.astype(str)."
        ) from None


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
        Value per customer (e.g. ``total_spend``): finite numbers >= 0, not all zero
        (text and True/False are refused). A Series' index names the customers and
        must not repeat (aggregate per customer first).
    cutoffs : (float, float), default (0.8, 0.95)
        Two increasing shares in (0, 1].

    Returns
    -------
    pandas.Series
        Categorical "A"/"B"/"C", aligned to the input's index. Tied values at a class
        boundary are split by index (so the classes are reproducible); a single
        customer is A.

    Examples
    --------
    >>> abc_classes(pd.Series([50, 30, 10, 6, 4], index=list("abcde"))).tolist()
    ['A', 'A', 'B', 'B', 'C']
    """
    s = _values(values, unique=True)
    a_cut, b_cut = _cut_points("cutoffs", cutoffs, "(0.8, 0.95)", count=2)
    x = _safe(s.to_numpy())
    total = x.sum()
    if total == 0:
        raise _all_zero("values", "a share of value")
    ranked = _ranked(_by_index(pd.Series(x, index=s.index), "values"))
    before = (ranked.cumsum() - ranked) / total
    labels = np.where(before < a_cut, "A", np.where(before < b_cut, "B", "C"))
    out = pd.Series(
        pd.Categorical(labels, categories=["A", "B", "C"], ordered=True),
        index=ranked.index,
        name="abc_class",
    )
    return out.reindex(s.index)


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
    0.20)`` with three labels. Ties are broken by index (ascending; an index that
    mixes types, such as 1 and "a", is refused); a tier boundary at a fractional
    position rounds to the nearest customer, so with few customers the top tiers may
    be empty (one customer of the default pyramid is "ordinary"). ``values`` as for
    :func:`abc_classes`; ``labels`` are distinct names, one more than ``shares``.

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
    s = _values(values, unique=True)
    cuts = _cut_points("shares", shares, "(0.05, 0.15, 0.80)")
    if isinstance(labels, str | bytes) or not isinstance(labels, Sequence):
        raise ParameterError(
            f"labels = {show(labels)} is not a sequence of names; pass e.g. ('VIP', "
            "'major', 'ordinary', 'small')."
        )
    if len(labels) != len(cuts) + 1:
        raise ParameterError(
            f"labels = {show(tuple(labels))} has {len(labels)} names for {len(cuts)} "
            f"cut points; pass {len(cuts) + 1} labels (one more than shares)."
        )
    for i, label in enumerate(labels):
        if not isinstance(label, str):
            raise ParameterError(
                f"labels[{i}] = {show(label)} is not text; pass tier names as strings."
            )
    if len(set(labels)) != len(labels):
        raise ParameterError(
            f"labels = {show(tuple(labels))} repeats a name; give each tier its own "
            "label."
        )
    ranked = _ranked(_by_index(s, "values"))
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

    ``values`` are finite numbers >= 0, not all zero; the index is not used.

    Examples
    --------
    >>> lorenz_curve([1, 1, 2]).round(3).values.tolist()
    [[0.0, 0.0], [0.333, 0.25], [0.667, 0.5], [1.0, 1.0]]
    """
    x = np.sort(_safe(_values(values).to_numpy()))
    total = x.sum()
    if total == 0:
        raise _all_zero("values", "the Lorenz curve")
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
    customers are worth the same, (n − 1)/n when one customer holds everything, 0 for
    a single customer. ``values`` are finite numbers >= 0, not all zero (the index is
    not used); very large values are rescaled first, so no sum overflows.

    Examples
    --------
    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4])
    (0.0, 0.75)
    """
    x = np.sort(_safe(_values(values).to_numpy()))
    n, total = x.size, x.sum()
    if total == 0:
        raise _all_zero("values", "the Gini coefficient")
    i = np.arange(1, n + 1)
    return float(np.sum((2 * i - n - 1) * x) / (n * total))


def top_share(values: object, fraction: float = 0.2) -> float:
    """Share of total value held by the ⌈fraction · n⌉ most valuable customers.

    Examples
    --------
    >>> top_share([10, 5, 3, 1, 1], fraction=0.2)   # the top customer of five
    0.5
    """
    x = _safe(_values(values).to_numpy())
    f = check_probability("fraction", fraction, open_low=True)
    total = x.sum()
    if total == 0:
        raise _all_zero("values", "a share of value")
    k = math.ceil(f * x.size - 1e-12)
    return float(np.sort(x)[::-1][:k].sum() / total)
