"""Chapter 01 questions: interaction, touchpoints and the objective–task budget."""

from __future__ import annotations

from functools import cache

from crmkit.exercises._registry import Question


@cache
def _log():
    from crmkit.datasets import load_interactions

    return load_interactions()


@cache
def _journeys():
    from crmkit.channels import journey_table

    return journey_table(_log())


def _inbound_share() -> float:
    return float((_log()["direction"] == "inbound").mean())


def _repeated() -> int:
    return len(_journeys().repeated)


def _email_median_hours() -> float:
    return float(_journeys().response_times.loc["e-mail", "median_min"] / 60)


def _top_switch() -> set[str]:
    s = _journeys().switching.stack()
    s = s[s.index.get_level_values(0) != s.index.get_level_values(1)]
    pair = s.idxmax()
    return {
        f"{pair[0]} → {pair[1]}",
        f"{pair[0]} -> {pair[1]}",
        f"{pair[0]}->{pair[1]}",
    }


def _budget() -> float:
    import pandas as pd

    from crmkit.channels import objective_task_budget

    tasks = pd.DataFrame(
        [
            ("keep VIPs", "visit", 50, 120.0),
            ("keep VIPs", "gift", 50, 30.0),
            ("win back", "letter", 800, 1.5),
        ],
        columns=["goal", "task", "units", "unit_cost"],
    )
    return objective_task_budget(tasks).attrs["total"]


QUESTIONS = [
    Question(
        "ch01_q1",
        "Share of contacts in the interaction log started by customers.",
        "number",
        _inbound_share,
        hint="direction == 'inbound' means customer-initiated.",
    ),
    Question(
        "ch01_q2",
        "How many contacts repeat a topic raised in the previous 7 days?",
        "integer",
        _repeated,
        hint="journey_table(log).repeated.",
    ),
    Question(
        "ch01_q3",
        "Median response time for e-mail, in hours.",
        "number",
        _email_median_hours,
        hint="journey_table(log).response_times is in minutes.",
    ),
    Question(
        "ch01_q4",
        "The most frequent change to a different channel, as 'from → to'.",
        "choice",
        _top_switch,
        hint="the largest off-diagonal cell of journey_table(log).switching.",
    ),
    Question(
        "ch01_q5",
        "Objective–task budget: 50 visits at 120, 50 gifts at 30, 800 letters at 1.5.",
        "number",
        _budget,
        hint="objective_task_budget(tasks).attrs['total'].",
    ),
    Question(
        "ch01_q6",
        "Which IDIC step tells customers apart by value and needs?",
        "choice",
        lambda: {"differentiate", "区分", "d"},
        hint="I, D, I, C: the second letter.",
    ),
]
