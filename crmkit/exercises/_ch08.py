"""Chapter 08 questions: complaint handling."""

from __future__ import annotations

from crmkit.exercises._registry import Question


def _scenario(**changes):
    from crmkit.complaints import ComplaintScenario

    return ComplaintScenario(**changes)


def _hotline_profit_gain() -> float:
    base = _scenario(customers=10_000, periods=24)
    louder = base.replace(complaint_rate=0.25)
    return float(louder.expected()["profit"].sum() - base.expected()["profit"].sum())


def _monetary_dispute_rate() -> float:
    from crmkit.complaints import dispute_rates
    from crmkit.datasets import load_complaints

    rates = dispute_rates(load_complaints())
    return float(rates.loc["Closed with monetary relief", "dispute_rate"])


def _handlers_for_quick_share() -> int:
    from crmkit.complaints import HandlingProcess, handling_rates
    from crmkit.errors import UnstableQueueError

    for n in range(1, 50):
        try:
            rates = handling_rates(HandlingProcess(complaints_per_day=80, handlers=n))
        except UnstableQueueError:
            continue
        if rates["quick_resolution_rate"] >= 0.95:
            return n
    raise RuntimeError("no desk size reaches 95 %")


def _simulated_silent_share() -> float:
    from crmkit.complaints import simulate

    res = simulate(_scenario(customers=20_000, periods=6), replications=50, seed=8)
    totals = res.totals()["mean"]
    return float(totals["silent"] / totals["problems"])


QUESTIONS = [
    Question(
        "ch08_q1",
        "Silent dissatisfied customers per complaint when 1 in 27 complains.",
        "integer",
        lambda: 26,
        hint="of 27 unhappy customers one complains; how many say nothing?",
    ),
    Question(
        "ch08_q2",
        "Mean P(stays) of a customer in one period of ComplaintScenario().",
        "number",
        lambda: _scenario().mean_retention(),
        hint="weigh each outcome's retention by its probability (mean_retention()).",
    ),
    Question(
        "ch08_q3",
        "Expected customers at the start of period 12 of ComplaintScenario().",
        "number",
        lambda: float(_scenario().expected()["customers"].iloc[-1]),
        hint="expected() gives customers per period; N₀ r̄^(t−1).",
    ),
    Question(
        "ch08_q4",
        "Share of silent customers among those with a problem: 20,000 customers, 6 "
        "periods, 50 replications, seed 8.",
        "number",
        _simulated_silent_share,
        rtol=1e-6,
        hint="simulate(...).totals(): silent divided by problems (both means).",
    ),
    Question(
        "ch08_q5",
        "Expected profit gained over 24 periods (10,000 customers) by raising the "
        "complaint rate to 0.25.",
        "number",
        _hotline_profit_gain,
        hint="sum expected()['profit'] for both scenarios and subtract.",
    ),
    Question(
        "ch08_q6",
        "Dispute rate after 'Closed with monetary relief' in the synthetic CFPB log.",
        "number",
        _monetary_dispute_rate,
        hint="dispute_rates(load_complaints()), row 'Closed with monetary relief'.",
    ),
    Question(
        "ch08_q7",
        "Fewest handlers for 80 complaints a day with at least 95 % taken within half "
        "an hour.",
        "integer",
        _handlers_for_quick_share,
        hint="try HandlingProcess(complaints_per_day=80, handlers=n) for growing n; "
        "too few handlers raise UnstableQueueError.",
    ),
    Question(
        "ch08_q8",
        "Which of the four steps judges whether a complaint is valid? (its key in "
        "STEPS)",
        "choice",
        lambda: {"record"},
        hint="print crmkit.complaints.STEPS: (key, Chinese, English) per step.",
    ),
]
