"""The course's strategy matrix: customer value × personalisation of needs."""

from __future__ import annotations

import pandas as pd

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
    marketing, customised marketing and abandon (see :data:`STRATEGIES`).

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
    if not isinstance(value, pd.Series) or not isinstance(personalisation, pd.Series):
        raise DataError("value and personalisation must be Series indexed by customer.")
    if not value.index.equals(personalisation.index):
        raise DataError(
            "value and personalisation must have the same customers (index)."
        )
    v = value.astype(float)
    p = personalisation.astype(float)
    if v.isna().any() or p.isna().any():
        raise DataError("value and personalisation must not have missing entries.")
    vt = float(v.median()) if value_threshold is None else float(value_threshold)
    pt = (
        float(p.median())
        if personalisation_threshold is None
        else float(personalisation_threshold)
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
