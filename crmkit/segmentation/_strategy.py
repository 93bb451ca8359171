"""The course's strategy matrix: customer value × personalisation of needs."""

from __future__ import annotations

import pandas as pd

from crmkit._validate import check_array, check_real, check_unique_index, show
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

# The course's comparison of the four kinds of customisation (不同定制类型间的比较),
# verbatim: (type, 类型, 实施成本, 易被模仿性, 客户关系紧密程度, 创建竞争优势).
_COURSE_CUSTOMISATION = (
    ("adaptive", "适应性定制", "低", "高", "低", "低"),
    ("cosmetic", "化妆式定制", "较低", "较高", "低", "低"),
    ("collaborative", "合作式定制", "高", "低", "高", "高"),
    ("transparent", "透明式定制", "较高", "较低", "高", "高"),
)
# What each kind does, with the course's example (our wording): English, Chinese.
_CUSTOMISATION_HOW = {
    "adaptive": (
        "one standard product that customers adapt themselves (e.g. clothing)",
        "提供标准产品，由客户自己调整（如服装）",
    ),
    "cosmetic": (
        "a standard product dressed up for each customer at the sale (e.g. goods "
        "bearing the buyer's name)",
        "产品并非从一开始就量身定制，而是在销售时按客户要求加以装饰（如印上客户名字的产品）",
    ),
    "collaborative": (
        "made wholly to what the customer asks for (e.g. Haier's made-to-order "
        "appliances)",
        "完全按照客户提出的需求生产或提供服务（如海尔的个性化定制家电）",
    ),
    "transparent": (
        "tailored to each customer without telling them (e.g. Dangdang's and "
        "Amazon's recommendations)",
        "为每位客户定制，但不告诉客户（如当当网和亚马逊的个性化推荐）",
    ),
}
_LEVEL_EN = {"低": "low", "较低": "fairly low", "较高": "fairly high", "高": "high"}
# The criteria of the course's comparison, in its order: column -> 中文.
_CRITERIA = {
    "cost": "实施成本",
    "imitability": "易被模仿性",
    "relationship": "客户关系紧密程度",
    "advantage": "创建竞争优势",
}


def _customisation_types() -> pd.DataFrame:
    rows = []
    for en, zh, *ratings in _COURSE_CUSTOMISATION:
        how_en, how_zh = _CUSTOMISATION_HOW[en]
        row = {"type": en, "类型": zh, "how": how_en, "做法": how_zh}
        for column, rating in zip(_CRITERIA, ratings, strict=True):
            row[column] = _LEVEL_EN[rating]
            row[f"{column}_zh"] = rating
        rows.append(row)
    return pd.DataFrame(rows).set_index("type")


#: The four kinds of mass customisation and the course's comparison of them
#: (不同定制类型间的比较): implementation cost (实施成本), ease of imitation
#: (易被模仿性), closeness of the customer relationship (客户关系紧密程度) and
#: competitive advantage created (创建竞争优势), each as the course rates it (``*_zh``:
#: 低, 较低, 较高, 高) and in English (low, fairly low, fairly high, high). The four
#: kinds are from J. H. Gilmore and B. J. Pine II (1997), "The four faces of mass
#: customization", *Harvard Business Review* 75(1):91–101.
CUSTOMISATION_TYPES = _customisation_types()


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
        check_unique_index(
            name,
            series.index,
            fix="pass one value per customer (aggregate first, e.g. "
            f"{name}.groupby(level=0).mean()).",
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
