"""RFM scores with ties handled, and segments in the Chinese textbook and English
schemes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit._validate import check_array, check_choice, check_count, check_frame
from crmkit.errors import DataError

#: scores above 9 would make the three-digit RFM code ambiguous ("1111")
MAX_BINS = 9

__all__ = ["RFMSegment", "rfm_scores", "rfm_segments", "segment_table"]


def _score(worse_share: np.ndarray, bins: int) -> np.ndarray:
    return np.minimum(1 + np.floor(bins * worse_share + 1e-12).astype(int), bins)


def _strictly_worse_share(values: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """For each customer, the share of customers with a strictly worse value."""
    sorted_vals = np.sort(values)
    if higher_is_better:
        worse = np.searchsorted(sorted_vals, values, side="left")
    else:
        worse = values.size - np.searchsorted(sorted_vals, values, side="right")
    return worse / values.size


def rfm_scores(summary: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """Recency, frequency and monetary scores from 1 (worst) to ``bins`` (best).

    ``score = 1 + ⌊bins × (share of customers with a strictly worse value)⌋``, capped at
    ``bins``. Tied customers always get the same score (quantile cuts split ties, which
    is why some tools' scores collapse or jump). A customer better than at least
    ``(bins − 1)/bins`` of all customers gets ``bins``, so the best get ``bins`` unless
    more than a ``1/bins`` share ties at the best value.

    - R from ``days_since_last`` (fewer days is better);
    - F from ``n_purchase_days`` (more is better);
    - M from ``total_spend`` (more is better).

    Parameters
    ----------
    summary : DataFrame
        From :func:`customer_summary` (or any frame with those three columns), one row
        per customer (the index must not repeat). ``days_since_last`` >= 0,
        ``n_purchase_days`` whole numbers >= 0, ``total_spend`` finite; text, True/False
        and NaN are refused.
    bins : int, default 5
        Number of score levels, 2 to 9 (so that "545" is always three scores).

    Returns
    -------
    pandas.DataFrame
        ``R``, ``F``, ``M`` (ints) and ``RFM`` (the three digits as text, e.g. "545").
        Customers tied on a value share its score, so if everybody ties (or there is a
        single customer) every score is 1: no customer is strictly better than another.

    Examples
    --------
    >>> s = pd.DataFrame({"days_since_last": [1, 5, 5, 40],
    ...                   "n_purchase_days": [9, 2, 2, 1],
    ...                   "total_spend": [90.0, 20.0, 25.0, 5.0]}, index=list("abcd"))
    >>> rfm_scores(s, bins=4)
          R  F  M  RFM
    a     4  4  4  444
    b     2  2  2  222
    c     2  2  3  223
    d     1  1  1  111
    """
    bins = check_count("bins", bins, minimum=2, maximum=MAX_BINS)
    check_frame(
        summary,
        ["days_since_last", "n_purchase_days", "total_spend"],
        what="summary (use customer_summary)",
        unique_index=True,
    )
    rules = {
        "days_since_last": {"low": 0},
        "n_purchase_days": {"low": 0, "integer": True},
        "total_spend": {},
    }
    out = pd.DataFrame(index=summary.index)
    for col, source, higher in (
        ("R", "days_since_last", False),
        ("F", "n_purchase_days", True),
        ("M", "total_spend", True),
    ):
        values = check_array(f"summary[{source!r}]", summary[source], **rules[source])
        out[col] = _score(_strictly_worse_share(values, higher), bins)
    out["RFM"] = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    return out


@dataclass(frozen=True)
class RFMSegment:
    """One named RFM segment: its names, its rule, and what to do with it."""

    key: str
    name_en: str
    name_zh: str
    rule: str
    action: str


_CN8 = {
    # (R high, F high, M high) -> segment; "high" = above the mean score of that letter
    (True, True, True): RFMSegment(
        "important_value",
        "important value",
        "重要价值客户",
        "R↑ F↑ M↑",
        "keep them close: VIP service, loyalty rewards, early access",
    ),
    (True, False, True): RFMSegment(
        "important_development",
        "important development",
        "重要发展客户",
        "R↑ F↓ M↑",
        "raise frequency: cross-sell, membership, reminders",
    ),
    (False, True, True): RFMSegment(
        "important_retention",
        "important retention",
        "重要保持客户",
        "R↓ F↑ M↑",
        "win attention back before they drift: personal contact",
    ),
    (False, False, True): RFMSegment(
        "important_winback",
        "important win-back",
        "重要挽回客户",
        "R↓ F↓ M↑",
        "find out why they left; targeted win-back offer",
    ),
    (True, True, False): RFMSegment(
        "general_value",
        "general value",
        "一般价值客户",
        "R↑ F↑ M↓",
        "raise spend per purchase: bundles, upgrades",
    ),
    (True, False, False): RFMSegment(
        "general_development",
        "general development",
        "一般发展客户",
        "R↑ F↓ M↓",
        "nurture new customers: welcome series, second-purchase offer",
    ),
    (False, True, False): RFMSegment(
        "general_retention",
        "general retention",
        "一般保持客户",
        "R↓ F↑ M↓",
        "low-cost reminders through cheap channels",
    ),
    (False, False, False): RFMSegment(
        "general_winback",
        "general win-back",
        "一般挽回客户",
        "R↓ F↓ M↓",
        "little to spend here; automated, low-cost contact",
    ),
}

# The common English grid on R (1–5) and FM = the rounded mean of F and M, first match
# wins.
_EN = (
    (
        lambda r, fm: (r >= 4) & (fm >= 4),
        RFMSegment(
            "champions",
            "Champions",
            "冠军客户",
            "R 4–5, FM 4–5",
            "reward them; ask for reviews and referrals",
        ),
    ),
    (
        lambda r, fm: (r >= 3) & (fm >= 3),
        RFMSegment(
            "loyal",
            "Loyal",
            "忠诚客户",
            "R 3–5, FM 3–5",
            "upsell higher-value products; loyalty programme",
        ),
    ),
    (
        lambda r, fm: (r >= 4) & (fm == 2),
        RFMSegment(
            "potential_loyalists",
            "Potential loyalists",
            "潜在忠诚客户",
            "R 4–5, FM 2",
            "membership offer; recommend related products",
        ),
    ),
    (
        lambda r, fm: (r >= 4) & (fm <= 1),
        RFMSegment(
            "new",
            "New customers",
            "新客户",
            "R 4–5, FM 1",
            "onboarding; make the second purchase easy",
        ),
    ),
    (
        lambda r, fm: (r == 3) & (fm <= 2),
        RFMSegment(
            "need_attention",
            "Need attention",
            "需要关注",
            "R 3, FM 1–2",
            "limited-time offers based on past purchases",
        ),
    ),
    (
        lambda r, fm: (r == 2) & (fm >= 4),
        RFMSegment(
            "cant_lose",
            "Can't lose them",
            "不能失去的客户",
            "R 2, FM 4–5",
            "personal win-back; ask what went wrong",
        ),
    ),
    (
        lambda r, fm: (r == 2) & (fm >= 2),
        RFMSegment(
            "at_risk",
            "At risk",
            "有流失风险",
            "R 2, FM 2–3",
            "reactivation campaign; helpful reminders",
        ),
    ),
    (
        lambda r, fm: (r == 2) & (fm <= 1),
        RFMSegment(
            "about_to_sleep",
            "About to sleep",
            "即将沉睡",
            "R 2, FM 1",
            "share popular products; cheap reminders",
        ),
    ),
    (
        lambda r, fm: (r == 1) & (fm >= 3),
        RFMSegment(
            "hibernating_valuable",
            "Hibernating (was valuable)",
            "沉睡的高价值客户",
            "R 1, FM 3–5",
            "one targeted win-back try; then let go",
        ),
    ),
    (
        lambda r, fm: r == 1,
        RFMSegment(
            "lost",
            "Lost",
            "已流失",
            "R 1, FM 1–2",
            "do not spend much; revive only with broad campaigns",
        ),
    ),
)


def segment_table(scheme: str = "cn8") -> pd.DataFrame:
    """The segments of a scheme with their names, rules and suggested actions.

    Examples
    --------
    >>> segment_table("cn8")["name_zh"].tolist()[:2]
    ['重要价值客户', '重要发展客户']
    """
    scheme = check_choice("scheme", scheme, ["cn8", "en"])
    items = list(_CN8.values()) if scheme == "cn8" else [seg for _, seg in _EN]
    return pd.DataFrame([vars(s) for s in items]).set_index("key")


def rfm_segments(scores: pd.DataFrame, scheme: str = "cn8") -> pd.DataFrame:
    """Name each customer's RFM segment.

    Schemes
    -------
    ``"cn8"``
        The Chinese textbook's eight classes: each of R, F, M is **high** when the
        customer's score is above the mean score of that letter (over all customers),
        else low; the 2 × 2 × 2 combinations are 重要价值客户 … 一般挽回客户.
    ``"en"``
        A common English grid on R and FM (the mean of F and M, rounded half up):
        Champions, Loyal, Potential loyalists, New customers, Need attention, Can't
        lose them, At risk, About to sleep, Hibernating, Lost. Scores must be on 1–5.

    ``scores`` has one row per customer (the index must not repeat) and whole-number
    scores >= 1 in ``R``, ``F`` and ``M`` (NaN, 3.5, text and True/False are refused).
    When every customer has the same score on a letter, nobody is above the mean, so
    all are "low" on it.

    Returns
    -------
    pandas.DataFrame
        ``segment`` (key), ``name_en``, ``name_zh``, ``rule`` and ``action`` per
        customer. :func:`segment_table` lists the scheme.

    Examples
    --------
    >>> sc = pd.DataFrame({"R": [5, 1], "F": [5, 1], "M": [5, 2]}, index=["a", "b"])
    >>> rfm_segments(sc)["name_zh"].tolist()
    ['重要价值客户', '一般挽回客户']
    >>> rfm_segments(sc, scheme="en")["name_en"].tolist()
    ['Champions', 'Lost']
    """
    scheme = check_choice("scheme", scheme, ["cn8", "en"])
    check_frame(
        scores, ["R", "F", "M"], what="scores (use rfm_scores)", unique_index=True
    )
    r, f, m = (
        check_array(f"scores[{c!r}]", scores[c], low=1, integer=True)
        for c in ("R", "F", "M")
    )
    if scheme == "cn8":
        high = [x > x.mean() for x in (r, f, m)]
        segs = [
            _CN8[(bool(a), bool(b), bool(c))] for a, b, c in zip(*high, strict=True)
        ]
    else:
        for c, x in zip("RFM", (r, f, m), strict=True):
            if x.max() > 5:
                pos = int(np.argmax(x > 5))
                raise DataError(
                    f"scores[{c!r}] has {x[pos]:g} at position {pos}, but the 'en' "
                    "scheme needs scores on 1–5; score with rfm_scores(..., bins=5) or "
                    "use scheme='cn8'."
                )
        fm = np.floor((f + m) / 2 + 0.5)
        chosen = np.full(r.size, -1)
        for i, (rule, _) in enumerate(_EN):
            hit = rule(r, fm) & (chosen < 0)
            chosen[hit] = i
        segs = [_EN[i][1] for i in chosen]
    return pd.DataFrame(
        {
            "segment": [s.key for s in segs],
            "name_en": [s.name_en for s in segs],
            "name_zh": [s.name_zh for s in segs],
            "rule": [s.rule for s in segs],
            "action": [s.action for s in segs],
        },
        index=scores.index,
    )
