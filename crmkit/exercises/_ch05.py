"""Chapter 05 questions: waiting psychology and call-centre data."""

from __future__ import annotations

from crmkit.exercises._registry import Question


def _model():
    from crmkit.queues import PerceivedWaitModel

    return PerceivedWaitModel()


def _conditions(**kw):
    from crmkit.queues import WaitConditions

    return WaitConditions(**kw)


def _log():
    from crmkit.datasets import load_call_centre

    return load_call_centre()


def _announcement_factor(name: str) -> float:
    from crmkit.queues import announcement_patience_factor

    return announcement_patience_factor(name)


def _patience_min() -> float:
    from crmkit.queues import patience_curve

    return patience_curve(_log())[1] / 60


QUESTIONS = [
    Question(
        "ch05_q1",
        "Perceived minutes of a plain 6-minute wait (default model).",
        "number",
        lambda: _model().perceived(6.0),
        hint="PerceivedWaitModel().perceived(actual_min) with the default conditions.",
    ),
    Question(
        "ch05_q2",
        "Perceived minutes of the same wait when callers are told how long and why.",
        "number",
        lambda: _model().perceived(
            6.0, _conditions(known_duration=True, explained=True)
        ),
        hint="pass WaitConditions(known_duration=True, explained=True).",
    ),
    Question(
        "ch05_q3",
        "How many times longer do callers wait when told their queue position?",
        "number",
        lambda: __import__(
            "crmkit.queues", fromlist=["x"]
        ).announcement_patience_factor("queue_position"),
        rtol=2e-3,
        hint="announcement_patience_factor(...) compares with music only.",
    ),
    Question(
        "ch05_q4",
        "Share of calls abandoned in the synthetic call-centre log.",
        "number",
        lambda: float((~_log()["served"]).mean()),
        hint="a call is abandoned when it was not served; take the mean of that flag.",
    ),
    Question(
        "ch05_q5",
        "Restricted mean patience (minutes) by Kaplan–Meier.",
        "number",
        _patience_min,
        hint="patience_curve(log) returns (curve, mean in seconds).",
    ),
    Question(
        "ch05_q6",
        "Which principle: the wait before the doctor sees you feels longer than the "
        "wait "
        "between tests? (give the field name of WaitConditions)",
        "choice",
        lambda: {"in_process", "in process", "pre-process", "preprocess"},
        hint="one principle contrasts waiting before and during service.",
    ),
]
