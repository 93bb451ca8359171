"""Chapter 03 questions: lifecycle and lifetime value."""

from __future__ import annotations

from functools import cache

from crmkit.exercises._registry import Question


@cache
def _calibration():
    from crmkit.datasets import load_cdnow
    from crmkit.segmentation import customer_summary

    return customer_summary(load_cdnow(sample=True), as_of="1997-09-30", time_unit="W")


@cache
def _bgnbd():
    from crmkit.clv import BGNBD

    c = _calibration()
    return BGNBD().fit(c["frequency"], c["recency"], c["T"])


def _decline_count() -> int:
    from crmkit.datasets import load_cdnow
    from crmkit.segmentation import customer_summary, lifecycle_stages

    stages = lifecycle_stages(customer_summary(load_cdnow(), as_of="1998-06-30"))
    return int((stages["stage"] == "decline").sum())


def _expected_customer_one() -> float:
    c = _calibration().loc[[1]]
    return float(
        _bgnbd().expected_purchases(39, c["frequency"], c["recency"], c["T"])[0]
    )


def _alive_customer_one() -> float:
    c = _calibration().loc[[1]]
    return float(_bgnbd().prob_alive(c["frequency"], c["recency"], c["T"])[0])


def _spend_customer_one() -> float:
    from crmkit.clv import GammaGamma

    c = _calibration()
    gg = GammaGamma().fit(c["frequency"], c["monetary_value"])
    one = c.loc[[1]]
    return float(gg.expected_spend(one["frequency"], one["monetary_value"])[0])


def _clv() -> float:
    from crmkit.clv import retention_clv

    return retention_clv(50, 0.85, 0.12)


QUESTIONS = [
    Question(
        "ch03_q1",
        "Retention CLV: margin 50, retention 0.85, discount 12 % (margin at "
        "period end, no horizon).",
        "number",
        _clv,
        rtol=1e-9,
        hint="retention_clv(margin, retention, discount_rate).",
    ),
    Question(
        "ch03_q2",
        "CDNOW customers in the decline stage on 1998-06-30 (default rules).",
        "integer",
        _decline_count,
        hint="lifecycle_stages(customer_summary(...)).",
    ),
    Question(
        "ch03_q3",
        "Fitted BG/NBD r on the CDNOW sample (weeks 1–39).",
        "number",
        lambda: _bgnbd().params_["r"],
        rtol=1e-3,
        hint="BGNBD().fit(...).params_['r'].",
    ),
    Question(
        "ch03_q4",
        "Expected purchases of sample customer 1 in the next 39 weeks.",
        "number",
        _expected_customer_one,
        rtol=1e-4,
        hint="model.expected_purchases(39, x, t_x, T) for customer 1's row.",
    ),
    Question(
        "ch03_q5",
        "P(alive) of sample customer 1 at the end of week 39.",
        "number",
        _alive_customer_one,
        rtol=1e-4,
        hint="model.prob_alive(x, t_x, T).",
    ),
    Question(
        "ch03_q6",
        "Gamma-Gamma expected spend per purchase of sample customer 1 ($).",
        "number",
        _spend_customer_one,
        rtol=1e-4,
        hint="GammaGamma().fit(...).expected_spend(x, monetary_value).",
    ),
]
