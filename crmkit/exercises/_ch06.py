"""Chapter 06 questions: queue models and staffing."""

from __future__ import annotations

from crmkit.exercises._registry import Question


def _q():
    import crmkit.queues as q

    return q


def _pooling_saving() -> int:
    q = _q()
    one = q.staff(5.0, 1 / 3, service_level=0.8, within=1 / 3).servers
    pooled = q.staff(10.0, 1 / 3, service_level=0.8, within=1 / 3).servers
    return 2 * one - pooled


def _lines() -> int:
    q = _q()
    return next(c for c in range(1, 100) if q.erlang_b(c, 8.0) <= 0.01)


QUESTIONS = [
    Question(
        "ch06_q1",
        "M/M/1 with λ = 24/h and μ = 30/h: mean number in the system L.",
        "number",
        lambda: _q().MM1(arrival_rate=24, service_rate=30).mean_number_in_system,
        rtol=1e-6,
        hint="MM1(...).mean_number_in_system; check ρ first.",
    ),
    Question(
        "ch06_q2",
        "100 calls per 30 min, 3-minute calls, 14 agents: P(wait).",
        "number",
        lambda: (
            _q().MMc(arrival_rate=100 / 30, service_rate=1 / 3, servers=14).prob_wait
        ),
        rtol=1e-5,
        hint="use rates per minute: λ = 100/30, μ = 1/3.",
    ),
    Question(
        "ch06_q3",
        "Agents needed for 80 % of those calls answered within 20 seconds.",
        "integer",
        lambda: _q().staff(100 / 30, 1 / 3, service_level=0.8, within=20 / 60).servers,
        hint="staff(λ, μ, service_level=..., within=...) with within in minutes.",
    ),
    Question(
        "ch06_q4",
        "Lines needed to carry 8 Erlangs with at most 1 % of calls lost.",
        "integer",
        _lines,
        hint="the smallest c with erlang_b(c, 8.0) <= 0.01.",
    ),
    Question(
        "ch06_q5",
        "Two teams each get 5 calls/min (3-min calls, 80/20). Agents saved by pooling?",
        "integer",
        _pooling_saving,
        hint="staff each team alone, then one team for 10 calls/min; compare.",
    ),
    Question(
        "ch06_q6",
        "Same 14-agent centre, callers patient 3 min on average: P(abandon).",
        "number",
        lambda: (
            _q()
            .ErlangA(
                arrival_rate=100 / 30,
                service_rate=1 / 3,
                servers=14,
                abandonment_rate=1 / 3,
            )
            .prob_abandon
        ),
        rtol=1e-5,
        hint="ErlangA with abandonment_rate = 1 / mean patience.",
    ),
    Question(
        "ch06_q7",
        "VIP line: λ = 0.5 (VIP) and 3 (others) per min, μ = 1/3, 12 agents. VIP mean "
        "wait in seconds.",
        "number",
        lambda: (
            _q()
            .PriorityMMc(arrival_rates=[0.5, 3.0], service_rate=1 / 3, servers=12)
            .mean_wait[0]
            * 60
        ),
        rtol=1e-5,
        hint="PriorityMMc(...).mean_wait is a tuple, VIP first; minutes → s.",
    ),
]
