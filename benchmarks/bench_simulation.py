"""Simulating M/M/10 (λ = 9.5, μ = 1) for 1,000,000 customers: crmkit vs Ciw vs SimPy.

Every library runs the same study, 10 replications of 100,000 customers after a warm-up
of 10,000, so each gets a 95 % interval for the mean wait (exact value 1.6512). Speed is
customers simulated per second of wall time, the whole study included. Then the coverage
of crmkit's 95 % interval is measured over 200 independent, seeded studies of a small
case.

Usage: ``python benchmarks/bench_simulation.py [--quick]`` (``--quick`` skips the peers'
full run and uses 100,000 customers each).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import optional, table

from crmkit.queues import ErlangA, MMc, MMcK, simulate

LAM, MU, C = 9.5, 1.0, 10
REPS, WARMUP = 10, 10_000


def interval(means: list[float]) -> tuple[float, float, float]:
    m = float(np.mean(means))
    half = (
        stats.t.ppf(0.975, len(means) - 1) * np.std(means, ddof=1) / np.sqrt(len(means))
    )
    return m, m - half, m + half


def run_crmkit(per_rep: int, engine: str) -> tuple[float, tuple[float, float, float]]:
    model = MMc(arrival_rate=LAM, service_rate=MU, servers=C)
    start = time.perf_counter()
    res = simulate(
        model,
        customers=per_rep + WARMUP,
        replications=REPS,
        warmup=WARMUP,
        seed=2026,
        engine=engine,
        progress=False,
    )
    elapsed = time.perf_counter() - start
    lo, hi = res.interval("mean_wait")
    return REPS * (per_rep + WARMUP) / elapsed, (res.estimate("mean_wait"), lo, hi)


def run_ciw(ciw, per_rep: int) -> tuple[float, tuple[float, float, float]]:
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=LAM)],
        service_distributions=[ciw.dists.Exponential(rate=MU)],
        number_of_servers=[C],
    )
    means, start = [], time.perf_counter()
    for r in range(REPS):
        ciw.seed(r)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_customers(per_rep + WARMUP, method="Arrive")
        recs = sorted(sim.get_all_records(), key=lambda rec: rec.arrival_date)
        means.append(float(np.mean([rec.waiting_time for rec in recs[WARMUP:]])))
    elapsed = time.perf_counter() - start
    return REPS * (per_rep + WARMUP) / elapsed, interval(means)


def run_simpy(simpy, per_rep: int) -> tuple[float, tuple[float, float, float]]:
    means, start = [], time.perf_counter()
    for r in range(REPS):
        rng = random.Random(r)
        env = simpy.Environment()
        desk = simpy.Resource(env, capacity=C)
        waits: list[float] = []

        def customer(env, desk=desk, waits=waits, rng=rng):
            arrived = env.now
            with desk.request() as req:
                yield req
                waits.append(env.now - arrived)
                yield env.timeout(rng.expovariate(MU))

        def source(env, n=per_rep + WARMUP, rng=rng):
            for _ in range(n):
                yield env.timeout(rng.expovariate(LAM))
                env.process(customer(env))

        env.process(source(env))
        env.run()
        means.append(float(np.mean(waits[WARMUP:])))
    elapsed = time.perf_counter() - start
    return REPS * (per_rep + WARMUP) / elapsed, interval(means)


def coverage(
    model, studies: int = 200, customers: int = 5_000, reps: int = 10
) -> float:
    seeds = np.random.SeedSequence(7).spawn(studies)
    covered = 0
    for ss in seeds:
        res = simulate(
            model,
            customers=customers,
            replications=reps,
            warmup=customers // 10,
            seed=np.random.default_rng(ss),
            progress=False,
        )
        lo, hi = res.interval("mean_wait")
        covered += lo <= model.mean_wait <= hi
    return covered / studies


def main(quick: bool) -> None:
    per_rep = 10_000 if quick else 100_000
    exact = MMc(arrival_rate=LAM, service_rate=MU, servers=C).mean_wait
    rows = []
    results = {
        "crmkit (recursion engine)": run_crmkit(per_rep, "recursion"),
        "crmkit (event engine)": run_crmkit(per_rep, "event"),
    }
    ciw, simpy = optional("ciw"), optional("simpy")
    if ciw is not None:
        results[f"Ciw {ciw.__version__}"] = run_ciw(ciw, per_rep)
    if simpy is not None:
        results[f"SimPy {simpy.__version__}"] = run_simpy(simpy, per_rep)
    ciw_rate = next(
        (rate for name, (rate, _) in results.items() if name.startswith("Ciw")), None
    )
    for name, (rate, (mean, lo, hi)) in results.items():
        rows.append(
            {
                "simulator": name,
                "customers/s": f"{rate:,.0f}",
                "× Ciw": f"{rate / ciw_rate:,.1f}" if ciw_rate else "",
                "mean wait": f"{mean:.4f}",
                "95 % interval": f"[{lo:.4f}, {hi:.4f}]",
                "covers 1.6512": "yes" if lo <= exact <= hi else "no",
            }
        )
    total = REPS * (per_rep + WARMUP)
    print(
        f"M/M/10, λ = 9.5, μ = 1: {REPS} replications × {per_rep + WARMUP:,} customers "
        f"= {total:,} (warm-up {WARMUP:,} each); exact mean wait {exact:.4f}"
    )
    print(
        table(
            rows,
            [
                "simulator",
                "customers/s",
                "× Ciw",
                "mean wait",
                "95 % interval",
                "covers 1.6512",
            ],
        )
    )
    print(
        "\ncoverage of crmkit's 95 % interval over 200 seeded studies "
        "(10 replications × 5,000 customers each):"
    )
    for label, model in [
        ("M/M/2, ρ = 0.75", MMc(arrival_rate=1.5, service_rate=1.0, servers=2)),
        (
            "Erlang A, c = 5, θ = 0.5",
            ErlangA(
                arrival_rate=5.0, service_rate=1.0, servers=5, abandonment_rate=0.5
            ),
        ),
        ("M/M/3/6", MMcK(arrival_rate=3.0, service_rate=1.0, servers=3, capacity=6)),
    ]:
        print(f"  {label:<26} {coverage(model):.1%}")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
