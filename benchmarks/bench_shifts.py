"""Shift scheduling for a week of 15-minute intervals: crmkit (HiGHS via scipy) vs
pyworkforce (OR-Tools CP-SAT), same instance, same run.

The week is the bank call centre of ``call_centre_profiles.csv`` (Sunday–Thursday
workdays, a short Friday and Saturday), 10,000 calls a workday, 4-minute calls, 80 %
answered within 20 s, staffed per interval by ``staff_by_interval`` and rostered
with 30 % shrinkage: 672 intervals. Shifts: full time 8 h with a 30-minute unpaid
break starting 3–5 h after the start (9 placements), part time 4 h without a
break; starts every 15 minutes; every shift ends by midnight (pyworkforce
schedules each day on its own, so its shifts cannot cross midnight). Both minimise
paid hours subject to covering every interval; pyworkforce's ``MinRequiredResources``
gets each (start, break placement) as one of its shifts and its paid quarter hours
as the cost. ``MinAbsDifference`` is shown too: it minimises the total absolute
difference from the requirement, so it may under-staff (a different objective).
Last, crmkit alone with overnight shifts (starts at any time, ``wrap=True``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import optional, table

from crmkit.datasets import data_file
from crmkit.queues import (
    ShiftBreak,
    ShiftType,
    rostered_agents,
    schedule_shifts,
    staff_by_interval,
)

INTERVAL, AHT_MIN, SHRINKAGE = 15, 4.0, 0.30
CALLS = {"workday_share": 10_000, "friday_share": 4_000, "saturday_share": 2_500}
WEEK = ["workday_share"] * 5 + ["friday_share", "saturday_share"]  # Sun..Sat
TIME_LIMIT = 300.0


def week_requirement() -> np.ndarray:
    """Agents required per 15-minute interval, Sunday 00:00 to Saturday 24:00."""
    profiles = pd.read_csv(data_file("call_centre_profiles.csv"))
    rates = []
    for column in WEEK:
        per_minute = profiles[column].to_numpy() * CALLS[column] / 60.0
        rates.extend(np.repeat(per_minute, 60 // INTERVAL))
    table_ = staff_by_interval(rates, 1 / AHT_MIN, service_level=0.8, within=20 / 60)
    return table_["servers"].to_numpy()


def day_bounded_types() -> list[ShiftType]:
    full = ShiftType(
        "full", 480, range(0, 961, INTERVAL), breaks=ShiftBreak(30, 180, 300)
    )
    part = ShiftType("part", 240, range(0, 1201, INTERVAL), part_time=True)
    return [full, part]


def overnight_types() -> list[ShiftType]:
    full = ShiftType(
        "full", 480, range(0, 1440, INTERVAL), breaks=ShiftBreak(30, 180, 300)
    )
    part = ShiftType("part", 240, range(0, 1440, INTERVAL), part_time=True)
    return [full, part]


def pyworkforce_shifts() -> tuple[dict[str, list[int]], dict[str, int]]:
    """The same day patterns as ``day_bounded_types``: 96 0/1 periods each, and
    their paid quarter hours (CP-SAT needs integer costs)."""
    periods = 1440 // INTERVAL
    cover, cost = {}, {}
    for start in range(0, 961, INTERVAL):
        for brk in range(180, 301, INTERVAL):
            row = [0] * periods
            for m in range(start, start + 480, INTERVAL):
                if not start + brk <= m < start + brk + 30:
                    row[m // INTERVAL] = 1
            cover[f"full_{start}_{brk}"] = row
            cost[f"full_{start}_{brk}"] = 30  # 7.5 paid hours
    for start in range(0, 1201, INTERVAL):
        row = [0] * periods
        for m in range(start, start + 240, INTERVAL):
            row[m // INTERVAL] = 1
        cover[f"part_{start}"] = row
        cost[f"part_{start}"] = 16
    return cover, cost


def pw_paid_hours(solution: dict, cost: dict[str, int]) -> tuple[float, np.ndarray]:
    counts = {}
    for row in solution["resources_shifts"]:
        counts[(row["day"], row["shift"])] = row["resources"]
    hours = sum(n * cost[s] for (_, s), n in counts.items()) / 4
    return hours, counts


def pw_coverage(counts: dict, cover: dict[str, list[int]]) -> np.ndarray:
    out = np.zeros((7, 1440 // INTERVAL), dtype=int)
    for (day, shift), n in counts.items():
        out[day] += n * np.asarray(cover[shift])
    return out.ravel()


def main() -> None:
    required = week_requirement()
    rostered = np.asarray(rostered_agents(required, SHRINKAGE))
    print(
        f"week of {required.size} intervals of {INTERVAL} min: required agents "
        f"peak {required.max()}, rostered (shrinkage {SHRINKAGE}) peak "
        f"{rostered.max()}, {rostered.sum() * INTERVAL / 60:,.1f} rostered "
        "agent-hours (a lower bound on paid hours)"
    )
    rows = []
    start = time.perf_counter()
    plan = schedule_shifts(
        required,
        INTERVAL,
        day_bounded_types(),
        shrinkage=SHRINKAGE,
        objective="paid_hours",
        time_limit_seconds=TIME_LIMIT,
    )
    t_ours = time.perf_counter() - start
    rows.append(
        {
            "solver": "crmkit (HiGHS)",
            "instance": "day-bounded",
            "objective": "min paid hours",
            "paid hours": f"{plan.paid_hours:,.2f}",
            "shifts": plan.agents,
            "under-covered": 0,
            "status": plan.status,
            "gap": f"{plan.mip_gap:.2g}",
            "time (s)": f"{t_ours:.1f}",
        }
    )
    pw = optional("pyworkforce.scheduling")
    if pw is not None:
        cover, cost = pyworkforce_shifts()
        need = rostered.reshape(7, -1).tolist()
        common = {
            "num_days": 7,
            "periods": 1440 // INTERVAL,
            "shifts_coverage": cover,
            "required_resources": need,
            "max_period_concurrency": int(rostered.max()) * 4,
            "max_shift_concurrency": int(rostered.max()),
            "max_search_time": TIME_LIMIT,
            "num_search_workers": 2,
        }
        for name, extra in [
            ("MinRequiredResources", {"cost_dict": cost}),
            ("MinAbsDifference", {}),
        ]:
            start = time.perf_counter()
            solution = getattr(pw, name)(**common, **extra).solve()
            t_pw = time.perf_counter() - start
            hours, counts = pw_paid_hours(solution, cost)
            got = pw_coverage(counts, cover)
            rows.append(
                {
                    "solver": f"pyworkforce {name}",
                    "instance": "day-bounded",
                    "objective": "min paid hours"
                    if name == "MinRequiredResources"
                    else "min Σ|cover − need|",
                    "paid hours": f"{hours:,.2f}",
                    "shifts": sum(counts.values()),
                    "under-covered": int((got < rostered).sum()),
                    "status": solution["status"],
                    "gap": "",
                    "time (s)": f"{t_pw:.1f}",
                }
            )
    start = time.perf_counter()
    night = schedule_shifts(
        required,
        INTERVAL,
        overnight_types(),
        shrinkage=SHRINKAGE,
        objective="paid_hours",
        wrap=True,
        time_limit_seconds=TIME_LIMIT,
    )
    t_night = time.perf_counter() - start
    rows.append(
        {
            "solver": "crmkit (HiGHS)",
            "instance": "overnight, wrap",
            "objective": "min paid hours",
            "paid hours": f"{night.paid_hours:,.2f}",
            "shifts": night.agents,
            "under-covered": 0,
            "status": night.status,
            "gap": f"{night.mip_gap:.2g}",
            "time (s)": f"{t_night:.1f}",
        }
    )
    columns = [
        "solver",
        "instance",
        "objective",
        "paid hours",
        "shifts",
        "under-covered",
        "status",
        "gap",
        "time (s)",
    ]
    print(table(rows, columns))
    print(
        f"crmkit day-bounded: {plan.over_staffing_hours:,.1f} agent-hours over the "
        f"rostered need; dual bound {plan.dual_bound:,.2f}"
    )


if __name__ == "__main__":
    main()
