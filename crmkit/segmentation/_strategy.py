"""The course's strategy matrix: customer value × personalisation of needs."""

from __future__ import annotations

import pandas as pd

from crmkit._validate import check_array, check_real, show
from crmkit.errors import DataError

__all__ = ["CUSTOMISATION_TYPES", "STRATEGIES", "strategy_matrix"]

#: (value high?, personalisation high?) -> (strategy, 策略, what to do)
STRATEGIES = {
    (False, False): (
        "mass marketing",
        "大众市场营销",
        "standard offer through low-cost channels",
    ),
    (True, False): (
        "frequency marketing",
        "频次营销",
        "reward repeat buying: points, tiers, loyalty programme",
    ),
    (True, True): (
        "customised marketing",
        "定制营销",
        "tailor products and service to each customer",
    ),
    (False, True): (
        "abandon",
        "放弃",
        "serving these needs costs more than they return; do not chase them",
    ),
}

#: The four kinds of customisation (Gilmore & Pine 1997), as the course compares them.
CUSTOMISATION_TYPES = pd.DataFrame(
    [
        (
            "adaptive",
            "适应性定制",
            "a standard product the customer adjusts (settings, modules)",
            "low",
            "easy",
            "weak",
        ),
        (
            "cosmetic",
            "化妆式定制",
            "the same product presented differently (packaging, name)",
            "low",
            "easy",
            "weak",
        ),
        (
            "collaborative",
            "合作式定制",
            "designed with the customer in a dialogue",
            "high",
            "hard",
            "strong",
        ),
        (
            "transparent",
            "透明式定制",
            "tailored quietly from observed behaviour",
            "medium",
            "medium",
            "medium",
        ),
    ],
    columns=["type", "类型", "how", "cost", "imitation", "relationship"],
).set_index("type")


def strategy_matrix(
    value: pd.Series,
    personalisation: pd.Series,
    *,
    value_threshold: float | None = None,
    personalisation_threshold: float | None = None,
) -> pd.DataFrame:
    """Place each customer in the value × personalisation matrix (客户价值 ×
    个性化程度).

    A customer is **high** on a dimension when strictly above its threshold (default:
    the median of that dimension). The four cells are mass marketing, frequency
    marketing, customised marketing and abandon (see :data:`STRATEGIES`). Customers
    tied at the median are therefore low; a single customer is low on both (mass
    marketing).

    ``value`` and ``personalisation`` are Series of finite numbers with the same
    index, one entry per customer (a repeated index is refused); thresholds are finite
    numbers.

    Returns
    -------
    pandas.DataFrame
        Per customer: ``value``, ``personalisation``, ``high_value``,
        ``high_personalisation``, ``strategy``, ``策略`` and ``action``; the thresholds
        used are in ``attrs``.

    Examples
    --------
    >>> v = pd.Series([100, 900, 800, 50], index=list("abcd"))
    >>> p = pd.Series([0.1, 0.2, 0.9, 0.8], index=list("abcd"))
    >>> strategy_matrix(v, p)["strategy"].tolist()
    ['mass marketing', 'frequency marketing', 'customised marketing', 'abandon']
    """
    for name, series in (("value", value), ("personalisation", personalisation)):
        if not isinstance(series, pd.Series):
            raise DataError(
                f"{name} = {show(series)} is a {type(series).__name__}, not a Series "
                f"indexed by customer; pass a column, e.g. summary['total_spend']."
            )
        if not series.index.is_unique:
            first = series.index[series.index.duplicated()][0]
            raise DataError(
                f"{name} has the customer {show(first)} more than once; pass one "
                f"value per customer (aggregate first, e.g. "
                f"{name}.groupby(level=0).mean())."
            )
    if not value.index.equals(personalisation.index):
        raise DataError(
            "value and personalisation must have the same customers (index) in the "
            "same order; align them first, e.g. personalisation.reindex(value.index)."
        )
    v = pd.Series(check_array("value", value), index=value.index)
    p = pd.Series(check_array("personalisation", personalisation), index=value.index)
    vt = (
        float(v.median())
        if value_threshold is None
        else check_real("value_threshold", value_threshold)
    )
    pt = (
        float(p.median())
        if personalisation_threshold is None
        else check_real("personalisation_threshold", personalisation_threshold)
    )
    hv, hp = v > vt, p > pt
    cells = [STRATEGIES[(bool(a), bool(b))] for a, b in zip(hv, hp, strict=True)]
    out = pd.DataFrame(
        {
            "value": v,
            "personalisation": p,
            "high_value": hv,
            "high_personalisation": hp,
            "strategy": [c[0] for c in cells],
            "策略": [c[1] for c in cells],
            "action": [c[2] for c in cells],
        },
        index=value.index,
    )
    out.attrs["value_threshold"] = vt
    out.attrs["personalisation_threshold"] = pt
    return out
