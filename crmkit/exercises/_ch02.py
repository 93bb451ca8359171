"""Chapter 02 questions: segmentation on CDNOW."""

from __future__ import annotations

from functools import cache

from crmkit.exercises._registry import Question


@cache
def _summary():
    from crmkit.datasets import load_cdnow
    from crmkit.segmentation import customer_summary

    return customer_summary(load_cdnow())


def _top20() -> float:
    from crmkit.segmentation import top_share

    return top_share(_summary()["total_spend"], 0.2)


def _a_count() -> int:
    from crmkit.segmentation import abc_classes

    return int((abc_classes(_summary()["total_spend"]) == "A").sum())


def _gini() -> float:
    from crmkit.segmentation import gini

    return gini(_summary()["total_spend"])


def _important_value() -> int:
    from crmkit.segmentation import rfm_scores, rfm_segments

    seg = rfm_segments(rfm_scores(_summary()))
    return int((seg["name_zh"] == "重要价值客户").sum())


def _largest_k3() -> float:
    from crmkit.segmentation import kmeans_segments

    features = _summary()[["n_purchase_days", "days_since_last", "total_spend"]]
    return float(
        kmeans_segments(features, 3, seed=0, value="total_spend").profile["share"].max()
    )


QUESTIONS = [
    Question(
        "ch02_q1",
        "Share of CDNOW spend held by the top 20 % of customers.",
        "number",
        _top20,
        hint="top_share(summary['total_spend'], 0.2).",
    ),
    Question(
        "ch02_q2",
        "How many CDNOW customers are class A (80 % / 95 % cut-offs)?",
        "integer",
        _a_count,
        hint="abc_classes(...) == 'A', then count.",
    ),
    Question(
        "ch02_q3",
        "Gini coefficient of CDNOW total spend.",
        "number",
        _gini,
        hint="gini(summary['total_spend']).",
    ),
    Question(
        "ch02_q4",
        "How many customers are 重要价值客户 (5-point RFM scores)?",
        "integer",
        _important_value,
        hint="rfm_segments(rfm_scores(summary)) and compare name_zh.",
    ),
    Question(
        "ch02_q5",
        "k = 3 (seed 0, ordered by total_spend): share of the largest segment.",
        "number",
        _largest_k3,
        rtol=1e-6,
        hint="kmeans_segments(features, 3, seed=0, value='total_spend').profile.",
    ),
    Question(
        "ch02_q6",
        "Strategy for high value and highly individual needs (in Chinese).",
        "choice",
        lambda: {"定制营销", "customised marketing", "customized marketing"},
        hint="look at crmkit.segmentation.STRATEGIES.",
    ),
]
