"""Staffing a day (48 intervals, 10 to 5,000 Erlangs): crmkit vs pyworkforce, same run.

Target 80 % of calls answered within 20 s, 3-minute calls, 30-minute intervals. Prints
the answers side by side, where they differ and why, the total time of each, and the
time of one ``erlang_c`` call at 100,000 servers.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, optional, table

from crmkit.queues import MMc, erlang_c, staff

AHT_MIN, WITHIN_MIN, INTERVAL_MIN, TARGET = 3.0, 20 / 60, 30, 0.80
LOADS = np.geomspace(10, 5_000, 48)  # Erlangs


def crmkit_day(loads: np.ndarray, target: float = TARGET) -> list[int]:
    return [
        staff(a / AHT_MIN, 1 / AHT_MIN, service_level=target, within=WITHIN_MIN).servers
        for a in loads
    ]


def pyworkforce_day(pw, loads: np.ndarray, target: float = TARGET) -> list[int]:
    out = []
    for a in loads:
        calls = a * INTERVAL_MIN / AHT_MIN
        model = pw.ErlangC(
            transactions=calls, aht=AHT_MIN, asa=WITHIN_MIN, interval=INTERVAL_MIN
        )
        out.append(model.required_positions(service_level=target)["raw_positions"])
    return out


def main() -> None:
    t_ours, ours = best_time(lambda: crmkit_day(LOADS))
    pw = optional("pyworkforce.queuing")
    rows = []
    if pw is not None:
        t_pw, theirs = best_time(lambda: pyworkforce_day(pw, LOADS), repeat=1)
        differ = [
            i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b
        ]
        print(
            f"48 intervals, 10–5,000 Erlangs, 80 % in 20 s: {48 - len(differ)} of 48 "
            "answers identical"
        )
        for i in differ:
            print(f"  load {LOADS[i]:.2f}: crmkit {ours[i]}, pyworkforce {theirs[i]}")
        rows.append(
            {
                "library": "pyworkforce 0.5",
                "time (s)": f"{t_pw:.3f}",
                "per interval (ms)": f"{t_pw / 48 * 1e3:.2f}",
                "speed-up": "1.0",
            }
        )
        rows.append(
            {
                "library": "crmkit",
                "time (s)": f"{t_ours:.3f}",
                "per interval (ms)": f"{t_ours / 48 * 1e3:.2f}",
                "speed-up": f"{t_pw / t_ours:.0f}×",
            }
        )
        print(table(rows, ["library", "time (s)", "per interval (ms)", "speed-up"]))

        # Where pyworkforce is wrong: it starts its search at round(load + 1), which
        # skips floor(load) + 1 when the fractional part is 0.5 or more. With a target
        # that floor(load) + 1 already meets, that size is the true minimum.
        print(
            "\nfractional loads, target just below what floor(load) + 1 agents reach:"
        )
        for a in (10.6, 25.7, 103.5, 480.9):
            c = math.floor(a) + 1
            reach = MMc(
                arrival_rate=a / AHT_MIN, service_rate=1 / AHT_MIN, servers=c
            ).service_level(WITHIN_MIN)
            target = math.floor(reach * 100) / 100
            m = crmkit_day(np.array([a]), target)[0]
            y = pyworkforce_day(pw, np.array([a]), target)[0]
            note = "   <- pyworkforce skips the true minimum" if y != m else ""
            print(
                f"  load {a:7.1f}, target {target:.2f} in 20 s ({c} agents reach "
                f"{reach:.3f}): crmkit {m}, pyworkforce {y}{note}"
            )
    else:
        print(f"crmkit: {t_ours:.3f} s for 48 intervals")

    t_c, value = best_time(lambda: erlang_c(100_000, 99_500.0), repeat=20)
    print(
        f"\nerlang_c(100,000 servers, 99,500 Erlangs) = {value:.6g}: {t_c * 1e6:.1f} "
        "µs per call"
    )
    if pw is not None:
        model = pw.ErlangC(
            transactions=99_500 * INTERVAL_MIN / AHT_MIN,
            aht=AHT_MIN,
            asa=WITHIN_MIN,
            interval=INTERVAL_MIN,
        )
        t_p, pw_value = best_time(lambda: model.waiting_probability(100_000), repeat=3)
        print(
            f"pyworkforce waiting_probability(100,000) = {pw_value:.6g}: "
            f"{t_p * 1e3:.1f} ms per call ({t_p / t_c:,.0f}× slower); relative "
            "difference "
            f"{abs(pw_value - value) / value:.1e}"
        )
    assert math.isfinite(value)


if __name__ == "__main__":
    main()
