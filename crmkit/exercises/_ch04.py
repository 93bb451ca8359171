"""Chapter 04 questions: ranking channels, costs, waiting and e-mail timing."""

from __future__ import annotations

from crmkit.exercises._registry import Question


def _scores():
    from crmkit.channels import course_channels, to_scores

    return to_scores(course_channels())


def _phone_equal() -> float:
    from crmkit.channels import BENEFIT, weighted_sum

    return float(weighted_sum(_scores(), [1, 1, 1, 1], BENEFIT).loc["phone"])


def _f2f_topsis() -> float:
    from crmkit.channels import BENEFIT, topsis

    return float(topsis(_scores(), [1, 2, 1, 1], BENEFIT).loc["face-to-face"])


def _ahp_interactivity() -> float:
    from crmkit.channels import ahp_weights

    p = [[1, 1 / 2, 1 / 3, 1 / 5], [2, 1, 1, 1 / 3], [3, 1, 1, 1 / 2], [5, 3, 2, 1]]
    return float(ahp_weights(p).weights.iloc[3])


def _win_share() -> float:
    from crmkit.channels import BENEFIT, weight_sensitivity

    res = weight_sensitivity(_scores(), BENEFIT, samples=20_000, seed=0)
    return float(res.win_share.loc["face-to-face"])


def _chat_agents() -> int:
    from crmkit.queues import staff

    return staff(90 / 60, 1 / 6, service_level=0.8, within=20 / 60).servers


def _best_b2b_day() -> set[str]:
    from crmkit.channels import email_open_rates
    from crmkit.datasets import load_email_campaign

    rates = email_open_rates(load_email_campaign(), by=("segment", "weekday"))
    return {rates.loc["B2B", "open_rate"].idxmax()}


QUESTIONS = [
    Question(
        "ch04_q1",
        "Weighted-sum score of the phone with equal weights (default mapping).",
        "number",
        _phone_equal,
        rtol=1e-9,
        hint="weighted_sum(to_scores(...), weights, BENEFIT).",
    ),
    Question(
        "ch04_q2",
        "TOPSIS closeness of face-to-face with weights 1, 2, 1, 1.",
        "number",
        _f2f_topsis,
        rtol=1e-9,
        hint="topsis(scores, [1, 2, 1, 1], BENEFIT).",
    ),
    Question(
        "ch04_q3",
        "AHP weight of interactivity from the given pairwise matrix.",
        "number",
        _ahp_interactivity,
        rtol=1e-6,
        hint="ahp_weights(matrix).weights, last entry.",
    ),
    Question(
        "ch04_q4",
        "Share of random weightings face-to-face wins (weighted sum, 20,000 "
        "draws, seed 0).",
        "number",
        _win_share,
        rtol=1e-9,
        hint="weight_sensitivity(scores, BENEFIT, samples=20_000, seed=0).win_share.",
    ),
    Question(
        "ch04_q5",
        "Chat agents for 90 chats an hour of 6 minutes, 80 % within 20 s.",
        "integer",
        _chat_agents,
        hint="staff(λ per minute, μ per minute, ...).",
    ),
    Question(
        "ch04_q6",
        "The weekday with the highest B2B open rate.",
        "choice",
        _best_b2b_day,
        hint="email_open_rates(campaign, by=('segment', 'weekday')).",
    ),
]
