"""Chapter 07 questions: simulation."""

from __future__ import annotations

from crmkit.exercises._registry import Question


def _run(replications: int = 10):
    from crmkit.queues import MMc, simulate

    m = MMc(arrival_rate=9.5, service_rate=1.0, servers=10)
    return m, simulate(
        m,
        customers=50_000,
        replications=replications,
        warmup=5_000,
        seed=2024,
        progress=False,
    )


def _covers() -> set[str]:
    m, res = _run()
    lo, hi = res.interval("mean_wait")
    return {"yes", "true"} if lo <= m.mean_wait <= hi else {"no", "false"}


def _width_ratio() -> float:
    _, ten = _run(10)
    _, forty = _run(40)
    return float(
        forty.table.loc["mean_wait", "half_width"]
        / ten.table.loc["mean_wait", "half_width"]
    )


def _replay() -> float:
    from crmkit.datasets import load_call_centre
    from crmkit.queues import agents_by_hour, replay_call_log

    log = load_call_centre()
    day = log["date"].iloc[0]
    plan = [a + 2 if h == 10 else a for h, a in enumerate(agents_by_hour(log, day))]
    return float(
        replay_call_log(log, day, plan, replications=20, seed=9).loc[10, "abandonment"]
    )


def _cold_bias() -> float:
    from crmkit.queues import MMc, simulate

    m = MMc(arrival_rate=49.0, service_rate=1.0, servers=50)
    cold = simulate(m, customers=5_000, replications=40, seed=21, progress=False)
    return cold.estimate("mean_wait") / m.mean_wait


QUESTIONS = [
    Question(
        "ch07_q1",
        "M/M/10, λ = 9.5, μ = 1, 10 × 50,000 customers, warm-up 5,000, "
        "seed 2024: estimated mean wait.",
        "number",
        lambda: _run()[1].estimate("mean_wait"),
        rtol=1e-9,
        hint="simulate(model, customers=..., replications=..., warmup=..., seed=2024).",
    ),
    Question(
        "ch07_q2",
        "Does that 95 % interval cover the exact mean wait? (yes/no)",
        "choice",
        _covers,
        hint="res.interval('mean_wait') against MMc(...).mean_wait.",
    ),
    Question(
        "ch07_q3",
        "Half-width with 40 replications divided by half-width with 10.",
        "number",
        _width_ratio,
        rtol=1e-9,
        hint="the 'half_width' column of res.table, same seed, 40 vs 10 replications.",
    ),
    Question(
        "ch07_q4",
        "Estimate / exact mean wait for M/M/50 at ρ = 0.98 started empty "
        "(40 × 5,000 customers, seed 21, no warm-up).",
        "number",
        _cold_bias,
        rtol=1e-9,
        hint="res.estimate('mean_wait') / model.mean_wait.",
    ),
    Question(
        "ch07_q5",
        "Replay of the first logged day with 2 more agents at 10:00 (20 "
        "replications, seed 9): abandonment share in hour 10.",
        "number",
        _replay,
        rtol=1e-9,
        hint="replay_call_log(log, day, agents, replications=20, seed=9).loc[10].",
    ),
]
