"""Chapter 09 questions: parameter sweeps."""

from __future__ import annotations

from crmkit.exercises._registry import Question


def _erlang_c_wait(params, rng):
    from crmkit.queues import MMc

    model = MMc(arrival_rate=2.5, service_rate=1.0, servers=params["servers"])
    return {"mean_wait": model.mean_wait}


def _fewest_servers() -> int:
    from crmkit.experiments import sweep

    res = sweep(
        _erlang_c_wait,
        {"servers": [3, 4, 5, 6]},
        replications=1,
        seed=0,
        client="serial",
    )
    table = res.table("mean_wait")
    return int(table.loc[table["mean"] < 0.1, "servers"].min())


def _simulated_wait(params, rng):
    from crmkit.queues import MMc, simulate

    c = params["servers"]
    model = MMc(arrival_rate=0.8 * c, service_rate=1.0, servers=c)
    res = simulate(model, customers=5_000, replications=1, seed=rng, progress=False)
    return {"mean_wait": res.estimate("mean_wait")}


def _m_m_2_mean() -> float:
    from crmkit.experiments import sweep

    res = sweep(
        _simulated_wait, {"servers": [2]}, replications=10, seed=3, client="serial"
    )
    return float(res.table("mean_wait")["mean"].iloc[0])


def _first_uniform() -> float:
    from crmkit.experiments import task_rng

    return float(task_rng(7, 2, 3).random())


QUESTIONS = [
    Question(
        "ch09_q1",
        "Runs in a sweep over servers [8, 9, 10] × load [0.8, 0.9] with 5 "
        "replications.",
        "integer",
        lambda: 3 * 2 * 5,
        hint="a dict of lists is the full factorial; each point runs every "
        "replication.",
    ),
    Question(
        "ch09_q2",
        "The first uniform of run (point 2, replication 3) of a sweep with seed 7.",
        "number",
        _first_uniform,
        rtol=1e-12,
        hint="task_rng(seed, point, replication) gives that run's Generator.",
    ),
    Question(
        "ch09_q3",
        "Fewest servers (3-6) with an Erlang C mean wait under 0.1 at λ = 2.5, μ = 1.",
        "integer",
        _fewest_servers,
        hint="sweep a function returning MMc(...).mean_wait; read res.table(...).",
    ),
    Question(
        "ch09_q4",
        "Mean over 10 replications of the simulated M/M/2 mean wait at load 0.8 "
        "(5,000 customers, seed 3).",
        "number",
        _m_m_2_mean,
        rtol=1e-9,
        hint="simulate(model, customers=5_000, replications=1, seed=rng) inside func; "
        "sweep with replications=10, seed=3.",
    ),
    Question(
        "ch09_q5",
        "Would the answer to q4 change on a cluster of 8 workers? (yes/no)",
        "choice",
        lambda: {"no"},
        hint="each run's stream is keyed by (seed, point, replication).",
    ),
]
