"""Skills-based routing: the engine's speed beside Ciw, and the chaining study.

1. Two classes (VIP λ = 2, regular λ = 7 per minute) share 10 cross-trained agents
   (μ = 1 for both), VIPs first (non-preemptive), exponential patience θ = 0.5 for
   both: :func:`crmkit.queues.simulate_skills`, crmkit's single-station event engine
   (:func:`crmkit.queues.simulate` of a ``QueueSpec`` with priority shares) and Ciw
   (``priority_classes`` and ``reneging_time_distributions``) run the same study, 10
   replications after a warm-up of 2,000 customers each, and each gives a 95 %
   interval for every class's mean wait (time to service or abandonment) and
   abandonment share. Speed is customers per second, whole study included
   (crmkit: the best of three runs; Ciw: one run), of wall time and of this
   process's CPU time; the ratio to Ciw is taken on CPU time, which other jobs on a
   shared machine do not inflate (wall-clock ratios swing with the load between the
   runs).
2. The chaining study (4 classes × 4 groups of 5 agents, λ = 4.25 per class, μ = 1):
   customers per second per design, and the designs side by side.

Usage: ``python benchmarks/bench_skills.py [--quick]`` (``--quick`` runs fewer
customers).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import optional, table

from crmkit._replication import mean_interval
from crmkit.queues import (
    AgentGroup,
    CustomerClass,
    Exponential,
    PoissonArrivals,
    QueueSpec,
    SkillsModel,
    chaining_study,
    simulate,
    simulate_skills,
)

RATES = {"vip": 2.0, "regular": 7.0}
MU, C, THETA = 1.0, 10, 0.5
REPS, WARMUP = 10, 2_000


def timed(fn, repeat: int = 3):
    """Best wall time and best CPU time (this process) of ``repeat`` calls, and the
    last result."""
    wall = cpu = float("inf")
    result = None
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu, result


def run_skills(per_rep: int) -> tuple[float, float, dict]:
    classes = [
        CustomerClass(k, lam, patience=Exponential(THETA)) for k, lam in RATES.items()
    ]
    group = AgentGroup("agents", C, dict.fromkeys(RATES, 1 / MU))
    model = SkillsModel(classes, [group])
    wall, cpu, res = timed(
        lambda: simulate_skills(
            model,
            customers=per_rep + WARMUP,
            replications=REPS,
            warmup=WARMUP,
            seed=2026,
        )
    )
    out = {}
    for metric in ("mean_wait", "prob_abandon"):
        for k in RATES:
            out[f"{metric}[{k}]"] = (res.estimate(metric, k), *res.interval(metric, k))
    n = REPS * (per_rep + WARMUP)
    return n / wall, n / cpu, out


def run_station(per_rep: int) -> tuple[float, float, dict]:
    lam = sum(RATES.values())
    spec = QueueSpec(
        PoissonArrivals(lam),
        Exponential(MU),
        servers=C,
        patience=Exponential(THETA),
        priority_shares=[r / lam for r in RATES.values()],
    )
    wall, cpu, res = timed(
        lambda: simulate(
            spec,
            customers=per_rep + WARMUP,
            replications=REPS,
            warmup=WARMUP,
            seed=2026,
        )
    )
    out = {}
    for metric in ("mean_wait", "prob_abandon"):
        for i, k in enumerate(RATES):
            name = f"{metric}[{i + 1}]"
            out[f"{metric}[{k}]"] = (res.estimate(name), *res.interval(name))
    n = REPS * (per_rep + WARMUP)
    return n / wall, n / cpu, out


def run_ciw(ciw, per_rep: int) -> tuple[float, float, dict]:
    exp = ciw.dists.Exponential
    network = ciw.create_network(
        arrival_distributions={k: [exp(lam)] for k, lam in RATES.items()},
        service_distributions={k: [exp(MU)] for k in RATES},
        number_of_servers=[C],
        priority_classes={k: i for i, k in enumerate(RATES)},
        reneging_time_distributions={k: [exp(THETA)] for k in RATES},
    )
    per = {f"{m}[{k}]": [] for m in ("mean_wait", "prob_abandon") for k in RATES}
    start, cpu_start = time.perf_counter(), time.process_time()
    for r in range(REPS):
        ciw.seed(r)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_customers(per_rep + WARMUP, method="Arrive")
        recs = sorted(sim.get_all_records(), key=lambda rec: rec.arrival_date)[WARMUP:]
        for k in RATES:
            mine = [rec for rec in recs if rec.customer_class == k]
            per[f"mean_wait[{k}]"].append(np.mean([rec.waiting_time for rec in mine]))
            per[f"prob_abandon[{k}]"].append(
                np.mean([rec.record_type == "renege" for rec in mine])
            )
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    out = {}
    for name, values in per.items():
        mean, half = mean_interval(np.asarray(values))
        out[name] = (float(mean), float(mean - half), float(mean + half))
    n = REPS * (per_rep + WARMUP)
    return n / wall, n / cpu, out


def priority_table(quick: bool) -> None:
    per_rep = 5_000 if quick else 100_000
    ciw_per_rep = 5_000 if quick else 20_000
    results = {
        "crmkit simulate_skills": run_skills(per_rep),
        "crmkit event engine (QueueSpec)": run_station(per_rep),
    }
    ciw = optional("ciw")
    if ciw is not None:
        results[f"Ciw {ciw.__version__}"] = run_ciw(ciw, ciw_per_rep)
    ciw_rates = next(
        (rates[:2] for name, rates in results.items() if name.startswith("Ciw")),
        None,
    )
    rows = []
    for name, (rate, cpu_rate, out) in results.items():
        row = {
            "simulator": name,
            "customers/s": f"{rate:,.0f}",
            "customers/CPU-s": f"{cpu_rate:,.0f}",
            "× Ciw (CPU)": f"{cpu_rate / ciw_rates[1]:,.1f}" if ciw_rates else "",
            "× Ciw (wall)": f"{rate / ciw_rates[0]:,.1f}" if ciw_rates else "",
        }
        for metric, (est, lo, hi) in out.items():
            row[metric] = f"{est:.4f} [{lo:.4f}, {hi:.4f}]"
        rows.append(row)
    print(
        f"two-class priority M/M/{C}+M (λ = {RATES}, μ = {MU}, θ = {THETA}): "
        f"{REPS} replications × (warm-up {WARMUP:,} + {per_rep:,}) customers for "
        f"crmkit, × (warm-up {WARMUP:,} + {ciw_per_rep:,}) for Ciw"
    )
    print(table(rows, list(rows[0])))
    if ciw is not None:
        ours, theirs = results["crmkit simulate_skills"][2], results[next(iter(
            n for n in results if n.startswith("Ciw")))][2]  # fmt: skip
        agree = all(
            ours[m][1] <= theirs[m][2] and theirs[m][1] <= ours[m][2] for m in ours
        )
        print(f"simulate_skills' and Ciw's intervals overlap for every metric: {agree}")


def chaining_table(quick: bool) -> None:
    customers = 20_000 if quick else 100_000
    start = time.perf_counter()
    study = chaining_study(
        customers=customers, replications=REPS, warmup=WARMUP, seed=1
    )
    elapsed = time.perf_counter() - start
    print(
        f"\nchaining study, 4 classes × 4 groups of 5 agents, λ = 4.25 per class, "
        f"μ = 1: 3 designs × {REPS} × {customers:,} customers in {elapsed:.1f} s = "
        f"{3 * REPS * customers / elapsed:,.0f} customers/s"
    )
    rows = []
    for design, row in study.table.iterrows():
        rows.append(
            {
                "design": design,
                "mean wait": f"{row['mean_wait']:.4f} [{row['mean_wait_ci_low']:.4f}, "
                f"{row['mean_wait_ci_high']:.4f}]",
                "service level (20 s)": f"{row['service_level']:.4f} "
                f"[{row['service_level_ci_low']:.4f}, "
                f"{row['service_level_ci_high']:.4f}]",
                "occupancy": f"{row['occupancy']:.4f}",
            }
        )
    print(table(rows, list(rows[0])))
    b = study.benefit.loc["mean_wait"]
    print(
        "chain's share of the pooling benefit in mean wait: "
        f"{b['chain_share']:.3f} [{b['chain_share_ci_low']:.3f}, "
        f"{b['chain_share_ci_high']:.3f}]"
    )


def main(quick: bool) -> None:
    priority_table(quick)
    chaining_table(quick)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
