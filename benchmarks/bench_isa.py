"""ISA on a 96-interval day (15-minute intervals, demand peaking at 11:00): time per
day, serially and on a 2-worker LocalCluster, beside SIPP and lagged SIPP.

The day: λ(t) = 0.3 + 2.7·exp(−((h − 11)/3)²) calls per minute at hour h, 20-minute
exponential calls (technical support: a peak load of 60 Erlangs), target: at most
20 % of callers wait (the delay probability of Feldman et al.). ISA runs 40
replications per round. The peer, pyworkforce, has no time-varying staffing: the
table puts its Erlang C per interval (SIPP) beside crmkit's. Each staffing is then
simulated (40 other days) to show each interval's delay probability: where SIPP
misses the target, and ISA does not.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import optional, table

from crmkit.experiments._sweep import _local_cluster
from crmkit.queues import (
    isa_staffing,
    lagged_sipp_staffing,
    simulate_day,
    sipp_staffing,
)

WIDTH = 15.0
HOURS = (np.arange(96) + 0.5) * WIDTH / 60
RATES = 0.3 + 2.7 * np.exp(-(((HOURS - 11.0) / 3.0) ** 2))
MU = 1 / 20
TARGET = {"delay_probability": 0.2}
REPS = 40


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def pyworkforce_sipp() -> list[int] | None:
    queuing = optional("pyworkforce.queuing")
    if queuing is None:
        return None
    servers = []
    for lam in RATES:
        # its service level within asa → 0 is one minus the delay probability
        erlang = queuing.ErlangC(
            transactions=lam * WIDTH, aht=1 / MU, asa=1e-9, interval=WIDTH
        )
        level = 1 - TARGET["delay_probability"]
        servers.append(int(erlang.required_positions(level)["raw_positions"]))
    return servers


def main() -> None:
    from distributed import Client

    rows = []
    t_sipp, sipp = timed(lambda: sipp_staffing(RATES, WIDTH, MU, **TARGET))
    t_peer, peer = timed(pyworkforce_sipp)
    t_lag, lagged = timed(lambda: lagged_sipp_staffing(RATES, WIDTH, MU, **TARGET))
    t_serial, isa = timed(
        lambda: isa_staffing(
            RATES, WIDTH, MU, replications=REPS, seed=1, client="serial", **TARGET
        )
    )
    t_up, cluster = timed(lambda: _local_cluster(2))
    with cluster, Client(cluster) as client:
        client.submit(sum, [1]).result()  # warm the connection
        t_dask, isa_dask = timed(
            lambda: isa_staffing(
                RATES, WIDTH, MU, replications=REPS, seed=1, client=client, **TARGET
            )
        )
    rows.append(
        {
            "method": "SIPP (pyworkforce ErlangC per interval)",
            "seconds": "-" if peer is None else f"{t_peer:.3f}",
            "server-hours": "-" if peer is None else f"{sum(peer) * WIDTH / 60:.1f}",
            "same staffing": "-" if peer is None else str(peer == list(sipp.servers)),
        }
    )
    rows.append(
        {
            "method": "SIPP (crmkit)",
            "seconds": f"{t_sipp:.3f}",
            "server-hours": f"{sipp.server_minutes / 60:.1f}",
            "same staffing": "reference",
        }
    )
    rows.append(
        {
            "method": "lagged SIPP (crmkit)",
            "seconds": f"{t_lag:.3f}",
            "server-hours": f"{lagged.server_minutes / 60:.1f}",
            "same staffing": "-",
        }
    )
    rows.append(
        {
            "method": f"ISA serial ({isa.iterations} rounds × {REPS} days)",
            "seconds": f"{t_serial:.2f}",
            "server-hours": f"{isa.server_minutes / 60:.1f}",
            "same staffing": "reference",
        }
    )
    rows.append(
        {
            "method": f"ISA, LocalCluster 2 workers (start-up {t_up:.1f} s apart)",
            "seconds": f"{t_dask:.2f}",
            "server-hours": f"{isa_dask.server_minutes / 60:.1f}",
            "same staffing": str(isa_dask.history == isa.history),
        }
    )
    customers = float(np.sum(RATES) * WIDTH)
    print(
        f"96 intervals of 15 min, peak {RATES.max():.2f} calls/min at 11:00, "
        f"{customers:,.0f} calls a day, 20-min calls, at most 20 % wait"
    )
    print(table(rows, ["method", "seconds", "server-hours", "same staffing"]))

    check = []
    alpha = TARGET["delay_probability"]
    for plan in (sipp, lagged, isa):
        day = simulate_day(
            RATES, WIDTH, plan, MU, within=0.0, replications=40, seed=7
        ).to_frame()
        busy = day[day["arrival_rate"] > 1.0]  # the intervals that matter
        worst = busy.loc[busy["prob_wait"].idxmax()]
        check.append(
            {
                "method": plan.method,
                "worst P(wait) (interval)": (
                    f"{worst['prob_wait']:.3f} ({int(worst.name)})"
                ),
                "its 95 % CI": (
                    f"[{worst['prob_wait_ci_low']:.3f}, "
                    f"{worst['prob_wait_ci_high']:.3f}]"
                ),
                "range over the day": (
                    f"{busy['prob_wait'].min():.3f}–{busy['prob_wait'].max():.3f}"
                ),
                "intervals with CI above 0.2": int(
                    (busy["prob_wait_ci_low"] > alpha).sum()
                ),
                "busy intervals": len(busy),
            }
        )
    print("\nsimulated delay probability of the busy intervals (λ > 1/min), 40 days:")
    columns = list(check[0])
    print(table(check, columns))


if __name__ == "__main__":
    main()
