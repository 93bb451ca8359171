"""Customer lifecycle stages (客户生命周期) from documented, adjustable rules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import check_array, check_count, check_frame
from crmkit.errors import ParameterError

__all__ = ["STAGES", "lifecycle_stages"]

#: stage -> (中文, what the firm should aim for)
STAGES = {
    "acquisition": (
        "潜在获取期",
        "turn the first purchase into a relationship: welcome, second offer",
    ),
    "growth": ("客户成长期", "deepen the relationship: cross-sell, raise frequency"),
    "maturity": ("客户成熟期", "keep and reward: loyalty programme, personal service"),
    "decline": ("衰退期", "churn warning (流失预警): find out why, win back in time"),
    "lapsed": ("流失", "win back only if valuable; otherwise stop spending"),
}


def lifecycle_stages(
    summary: pd.DataFrame,
    *,
    mature_purchases: int = 4,
    decline_after_days: int = 180,
    lapsed_after_days: int = 365,
) -> pd.DataFrame:
    """Assign each customer a lifecycle stage.

    Rules, applied in this order (first match wins), on :func:`customer_summary`
    columns:

    1. **lapsed** (流失): ``days_since_last > lapsed_after_days``;
    2. **decline** (衰退期): ``days_since_last > decline_after_days``;
    3. **acquisition** (潜在获取期): one purchase day so far (not a repeat customer);
    4. **maturity** (客户成熟期): at least ``mature_purchases`` purchase days;
    5. **growth** (客户成长期): the other active repeat customers.

    The course names the first three stages (潜在获取期, 客户成长期, 客户成熟期);
    decline and lapsed are the kit's additions.

    The thresholds are judgements, not facts: choose them from the purchase cycle of the
    business (days between purchases) and say which you used. They are whole numbers
    (``decline_after_days`` < ``lapsed_after_days``).

    ``summary`` has one row per customer (the index must not repeat),
    ``days_since_last`` >= 0 and ``n_purchase_days`` whole numbers >= 0; text,
    True/False and NaN are refused.

    Returns
    -------
    pandas.DataFrame
        ``stage`` (ordered categorical), ``阶段`` and ``aim`` per customer; the rules
        used are in ``attrs["rules"]``.

    Examples
    --------
    >>> s = pd.DataFrame({"days_since_last": [10, 30, 20, 200, 400],
    ...                   "n_purchase_days": [1, 2, 6, 5, 3]}, index=list("abcde"))
    >>> lifecycle_stages(s)["stage"].tolist()
    ['acquisition', 'growth', 'maturity', 'decline', 'lapsed']
    """
    check_frame(
        summary,
        ["days_since_last", "n_purchase_days"],
        what="summary (use customer_summary)",
        unique_index=True,
    )
    mature = check_count("mature_purchases", mature_purchases, minimum=2)
    decline = check_count("decline_after_days", decline_after_days, minimum=1)
    lapsed = check_count("lapsed_after_days", lapsed_after_days, minimum=1)
    if lapsed <= decline:
        raise ParameterError(
            f"lapsed_after_days = {lapsed} must exceed decline_after_days = {decline}; "
            "pass a larger lapsed_after_days (a customer declines before lapsing)."
        )
    idle = check_array(
        "summary['days_since_last']", summary["days_since_last"], low=0
    )
    days = check_array(
        "summary['n_purchase_days']", summary["n_purchase_days"], low=0, integer=True
    )
    stage = np.select(
        [idle > lapsed, idle > decline, days <= 1, days >= mature],
        ["lapsed", "decline", "acquisition", "maturity"],
        default="growth",
    )
    order = list(STAGES)
    out = pd.DataFrame(
        {"stage": pd.Categorical(stage, categories=order, ordered=True)},
        index=summary.index,
    )
    out["阶段"] = out["stage"].map({k: v[0] for k, v in STAGES.items()}).astype(str)
    out["aim"] = out["stage"].map({k: v[1] for k, v in STAGES.items()}).astype(str)
    out.attrs["rules"] = {
        "mature_purchases": mature,
        "decline_after_days": decline,
        "lapsed_after_days": lapsed,
    }
    return out
