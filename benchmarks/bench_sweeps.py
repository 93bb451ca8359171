"""Sweeps: 200 grid points × 20 replications, serial vs a local Dask cluster with 1 and
2
workers, and Dask's scheduling overhead per task.

Each run simulates an M/M/c queue for 2,000 customers with crmkit (a few milliseconds),
the size of run a staffing study repeats thousands of times. The cluster's start-up is
timed separately from the sweep. The overhead is measured with a run that does almost
nothing, once with one run per Dask task and once with crmkit's automatic batching.
There is no peer library for this: the comparison is with Dask used naively (one task
per run).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import table

from crmkit.experiments import sweep
from crmkit.experiments._sweep import _local_cluster
from crmkit.queues import MMc, simulate

GRID = {
    "servers": [2, 4, 6, 8, 10, 12, 14, 16, 18, 20],
    "load": list(np.round(np.linspace(0.5, 0.95, 20), 4)),
}  # 200 points
REPS = 20


def queue_run(params, rng):
    c = params["servers"]
    model = MMc(arrival_rate=params["load"] * c, service_rate=1.0, servers=c)
    res = simulate(model, customers=2_000, replications=1, seed=rng, progress=False)
    return {"mean_wait": res.estimate("mean_wait")}


SMALL = {"a": list(range(100))}


def tiny_run(params, rng):
    return {"u": rng.random()}


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    from distributed import Client

    rows = []
    t_serial, serial = timed(
        lambda: sweep(
            queue_run, GRID, replications=REPS, seed=1, client="serial", progress=False
        )
    )
    rows.append(
        {
            "run on": "serial (this process)",
            "start-up s": "-",
            "sweep s": f"{t_serial:.2f}",
            "runs/s": f"{4000 / t_serial:,.0f}",
            "batches": serial.batches,
            "same numbers": "reference",
        }
    )
    overhead = []
    for workers in (1, 2):
        t_up, cluster = timed(lambda w=workers: _local_cluster(w))
        with cluster, Client(cluster) as client:
            client.submit(sum, [1]).result()  # warm the connection
            t, res = timed(
                lambda c=client: sweep(
                    queue_run,
                    GRID,
                    replications=REPS,
                    seed=1,
                    client=c,
                    progress=False,
                )
            )
            rows.append(
                {
                    "run on": f"LocalCluster, {workers} worker(s)",
                    "start-up s": f"{t_up:.2f}",
                    "sweep s": f"{t:.2f}",
                    "runs/s": f"{4000 / t:,.0f}",
                    "batches": res.batches,
                    "same numbers": str(res.runs.equals(serial.runs)),
                }
            )
            if workers == 2:
                t_tiny_serial, _ = timed(
                    lambda: sweep(
                        tiny_run, SMALL, replications=20, seed=0, client="serial"
                    )
                )
                for label, size in (("one run per task", 1), ("automatic", None)):
                    t_tiny, tiny = timed(
                        lambda c=client, s=size: sweep(
                            tiny_run,
                            SMALL,
                            replications=20,
                            seed=0,
                            client=c,
                            batch_size=s,
                        )
                    )
                    overhead.append(
                        {
                            "batching": label,
                            "tasks": tiny.batches,
                            "seconds": f"{t_tiny:.2f}",
                            "overhead per task ms": (
                                f"{(t_tiny - t_tiny_serial) / tiny.batches * 1e3:.2f}"
                            ),
                            "overhead per run ms": (
                                f"{(t_tiny - t_tiny_serial) / 2000 * 1e3:.3f}"
                            ),
                        }
                    )
    print(
        f"{len(serial.grid)} grid points × {REPS} replications = 4,000 runs "
        "(M/M/c, 2,000 customers each)"
    )
    print(
        table(
            rows,
            ["run on", "start-up s", "sweep s", "runs/s", "batches", "same numbers"],
        )
    )
    print("\nscheduling overhead: 2,000 runs that take ~2 µs each, 2 workers")
    print(
        table(
            overhead,
            [
                "batching",
                "tasks",
                "seconds",
                "overhead per task ms",
                "overhead per run ms",
            ],
        )
    )


if __name__ == "__main__":
    main()
