"""schedule_shifts finds the cheapest plan (checked by brute-force enumeration of the
pattern counts), its coverage is what its shifts give (recomputed here from the
shifts it reports), shrinkage is rounded up exactly, and rules that cannot be met
are refused with a clear error."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from crmkit.errors import FitError, TargetError
from crmkit.queues import (
    Schedule,
    ShiftBreak,
    ShiftPlan,
    ShiftType,
    _shift_plan,
    rostered_agents,
    schedule_shifts,
)

# --- an oracle sharing no code with crmkit -------------------------------------------


def _patterns(rules, n, wrap):
    """Every (type, start, break offset) pattern of the test's own rules.

    ``rules`` is a list of dicts: length, starts and break offsets in intervals,
    break length, cost and the limits. Returns the 0/1 coverage rows and the type
    of each pattern.
    """
    rows, kinds = [], []
    for t, rule in enumerate(rules):
        for start in rule["starts"]:
            if not wrap and start + rule["length"] > n:
                continue
            for off in rule["break_offsets"] or [None]:
                row = np.zeros(n, dtype=int)
                for j in range(rule["length"]):
                    if off is not None and off <= j < off + rule["break_length"]:
                        continue
                    row[(start + j) % n] += 1
                rows.append(row)
                kinds.append(t)
    return np.array(rows), np.array(kinds)


def _brute_force(rules, need, wrap, share):
    """The least cost over every vector of pattern counts 0..K (exhaustive).

    With positive costs an optimal plan has no pattern above K = max(max need,
    largest min_count): one fewer agent on such a pattern still covers every
    interval and keeps its type's count at or above min_count. With a part-time
    share σ, removing a full-time agent can break that limit, so a full-time
    pattern may need up to (part-time agents) (1 − σ)/σ + 1 ≤ P·K (1 − σ)/σ + 1,
    P the part-time patterns (whose counts stay within K).
    """
    cover, kinds = _patterns(rules, len(need), wrap)
    cost = np.array([rules[k]["cost"] for k in kinds])
    k_max = max(int(need.max()), *(r["min"] for r in rules))
    if share is not None:
        n_part = sum(rules[k]["part_time"] for k in kinds)
        k_max = max(k_max, math.ceil(n_part * k_max * (1 - share) / share) + 1)
    counts = np.array(list(itertools.product(range(k_max + 1), repeat=len(kinds))))
    ok = ((counts @ cover) >= need).all(axis=1)
    for t, rule in enumerate(rules):
        per_type = counts[:, kinds == t].sum(axis=1)
        ok &= per_type >= rule["min"]
        if rule["max"] is not None:
            ok &= per_type <= rule["max"]
    if share is not None:
        part = np.array([rules[k]["part_time"] for k in kinds])
        ok &= counts[:, part].sum(axis=1) <= share * counts.sum(axis=1) + 1e-9
    return float((counts[ok] @ cost).min()), len(kinds)


def _coverage_from_shifts(frame, n, interval):
    """Agents working in each interval, from the shifts a plan reports."""
    out = np.zeros(n, dtype=int)
    for row in frame.itertuples():
        t = row.start_minutes
        while t < row.end_minutes:
            on_break = any(a <= t < b for a, b in row.breaks)
            if not on_break:
                out[round(t / interval) % n] += row.agents
            t += interval
    return out


def _random_instance(seed):
    """Seeded rules of at most 6 patterns on 12 half-hour intervals."""
    rng = np.random.default_rng(seed)
    wrap = bool(seed % 3 == 2)
    top = 11 if wrap else 6
    full_starts = sorted(rng.choice(np.arange(top + 1), 2, replace=False).tolist())
    part_starts = sorted(
        rng.choice(np.arange((11 if wrap else 8) + 1), 2, replace=False).tolist()
    )
    part_rate = float(rng.choice([0.9, 1.2, 1.5]))
    rules = [
        {  # 3 h with a 30-min unpaid break at 60 or 90 minutes: 2.5 paid hours
            "length": 6,
            "starts": full_starts,
            "break_offsets": [2, 3],
            "break_length": 1,
            "cost": 2.5,
            "part_time": False,
            "min": 1 if seed % 4 == 1 else 0,
            "max": None,
        },
        {  # 2 h, no break
            "length": 4,
            "starts": part_starts,
            "break_offsets": [],
            "break_length": 0,
            "cost": 2 * part_rate,
            "part_time": True,
            "min": 0,
            "max": 3 if seed % 4 == 3 else None,
        },
    ]
    cover, _ = _patterns(rules, 12, wrap)
    need = rng.integers(0, 4, size=12) * (cover.sum(axis=0) > 0)
    if rules[1]["max"] is not None:
        need = np.minimum(need, 2)
    share = 0.5 if seed % 5 == 4 else None
    types = [
        ShiftType(
            "full",
            180,
            [30 * s for s in full_starts],
            breaks=ShiftBreak(30, 60, 90),
            min_count=rules[0]["min"],
            repeat_daily=False,
        ),
        ShiftType(
            "part",
            120,
            [30 * s for s in part_starts],
            cost_per_hour=part_rate,
            part_time=True,
            max_count=rules[1]["max"],
            repeat_daily=False,
        ),
    ]
    return rules, need, wrap, share, types


@pytest.mark.parametrize("seed", range(12))
def test_optimal_by_brute_force(seed):
    rules, need, wrap, share, types = _random_instance(seed)
    best, n_patterns = _brute_force(rules, need, wrap, share)
    assert n_patterns <= 6
    plan = schedule_shifts(need, 30, types, wrap=wrap, max_part_time_share=share)
    assert plan.status == "optimal"
    assert plan.mip_gap == pytest.approx(0.0, abs=1e-9)
    assert plan.objective_value == pytest.approx(best, rel=1e-12)
    assert plan.cost == pytest.approx(best, rel=1e-12)
    frame = plan.to_frame()
    covered = _coverage_from_shifts(frame, 12, 30)
    assert (covered >= need).all()
    cov = plan.coverage_frame()
    np.testing.assert_array_equal(cov["scheduled"], covered)
    np.testing.assert_array_equal(cov["over_staffing"], covered - need)
    assert plan.over_staffing_hours == pytest.approx((covered - need).sum() / 2)
    by_type = frame.groupby("shift")["agents"].sum()
    assert by_type.get("full", 0) >= rules[0]["min"]
    if rules[1]["max"] is not None:
        assert by_type.get("part", 0) <= rules[1]["max"]
    if share is not None:
        assert by_type.get("part", 0) <= share * plan.agents
    assert plan.agents == frame["agents"].sum()
    paid = (frame["agents"] * frame["shift"].map({"full": 2.5, "part": 2.0})).sum()
    assert plan.paid_hours == pytest.approx(paid)


def test_paid_hours_objective_by_brute_force():
    # part-time costs more per hour but fewer paid hours can cover the peak
    need = np.array([1, 1, 3, 3, 1, 1, 0, 0])
    rules = [
        {
            "length": 4,
            "starts": [0, 2, 4],
            "break_offsets": [],
            "break_length": 0,
            "cost": 4.0,
            "part_time": False,
            "min": 0,
            "max": None,
        },
        {
            "length": 2,
            "starts": [0, 2, 4, 6],
            "break_offsets": [],
            "break_length": 0,
            "cost": 2.0,
            "part_time": True,
            "min": 0,
            "max": None,
        },
    ]
    best, _ = _brute_force(rules, need, False, None)
    types = [
        ShiftType("long", 240, [0, 120, 240], cost_per_hour=1.0),
        ShiftType("short", 120, [0, 120, 240, 360], cost_per_hour=5.0),
    ]
    plan = schedule_shifts(need, 60, types, objective="paid_hours")
    assert plan.objective == "paid_hours"
    assert plan.objective_value == pytest.approx(best)
    assert plan.paid_hours == pytest.approx(best)
    by_cost = schedule_shifts(need, 60, types)
    assert by_cost.paid_hours >= plan.paid_hours
    assert by_cost.cost <= plan.cost


# --- shrinkage -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("required", "shrinkage", "expected"),
    [
        (7, "0.3", 10),  # 7 / 0.7 = 10 exactly (floating point: 10.000000000000002)
        (8, "0.2", 10),
        (8, "0.25", 11),  # 10.67
        (3.2, "0.3", 5),  # 4.57
        (0, "0.5", 0),
        (10, "0", 10),
        (1, "0.99", 100),
        (12, "0.35", 19),  # 18.46
    ],
)
def test_rostered_agents_hand_values(required, shrinkage, expected):
    got = rostered_agents([required], float(shrinkage))
    assert got.tolist() == [expected]
    ratio = Fraction(str(required)) / (1 - Fraction(shrinkage))
    assert expected >= ratio > expected - 1


def test_rostered_agents_against_exact_fractions():
    rng = np.random.default_rng(7)
    for _ in range(200):
        s = round(float(rng.uniform(0, 0.6)), 2)
        need = rng.integers(0, 200, size=5)
        got = rostered_agents(need, s)
        for r, n in zip(need.tolist(), got.tolist(), strict=True):
            ratio = Fraction(r) / (1 - Fraction(str(s)))
            assert n >= ratio > n - 1


def test_rostered_agents_keeps_a_series_index():
    need = pd.Series([4, 0, 9], index=["08:00", "08:15", "08:30"])
    got = rostered_agents(need, 0.25)
    assert list(got.index) == ["08:00", "08:15", "08:30"]
    assert got.tolist() == [6, 0, 12]
    assert need.tolist() == [4, 0, 9]  # untouched


def test_plan_rosters_for_shrinkage_and_nets_it_out():
    need = [3, 5, 5, 4, 2, 2]
    shift = ShiftType("s", 120, range(0, 241, 60))
    plan = schedule_shifts(need, 60, [shift], shrinkage=0.3)
    cov = plan.coverage_frame()
    assert cov["rostered"].tolist() == [5, 8, 8, 6, 3, 3]
    assert (cov["scheduled"] >= cov["rostered"]).all()
    net = plan.to_schedule(net_of_shrinkage=True)
    mid = np.arange(6) * 60 + 30.0
    available = net.servers_at(mid)
    expected = [math.floor(v * Fraction(7, 10)) for v in cov["scheduled"]]
    assert available.tolist() == expected
    assert (available >= np.array(need)).all()


# --- horizon, days, wrap, schedule ---------------------------------------------------


def test_to_schedule_follows_the_coverage():
    need = [0, 1, 2, 3, 3, 2, 1, 0]
    plan = schedule_shifts(need, 30, [ShiftType("s", 90, range(0, 211, 30))])
    sched = plan.to_schedule()
    assert isinstance(sched, Schedule)
    assert sched.end == 240.0
    got = sched.servers_at(np.arange(8) * 30 + 15.0)
    np.testing.assert_array_equal(got, plan.coverage_frame()["scheduled"])
    assert isinstance(plan, ShiftPlan)
    assert "shifts" in str(plan)


def test_start_times_repeat_on_every_day():
    need = np.zeros(48, dtype=int)
    need[[9, 10, 33, 34]] = 2  # 09:00-11:00 on two days
    shift = ShiftType("day", 120, [540])
    plan = schedule_shifts(need, 60, [shift])
    frame = plan.to_frame()
    assert frame["start_minutes"].tolist() == [540.0, 1980.0]
    assert frame["start"].tolist() == ["day 0 09:00", "day 1 09:00"]
    assert plan.agents == 4
    once = ShiftType("day", 120, [540], repeat_daily=False)
    with pytest.raises(TargetError, match=r"33 \(day 1 09:00\)"):
        schedule_shifts(need, 60, [once])


def test_wrap_lets_a_night_shift_cross_the_end():
    need = np.zeros(24, dtype=int)
    need[[22, 23, 0, 1]] = 1
    night = ShiftType("night", 240, [1320])
    with pytest.raises(TargetError, match="wrap=True"):
        schedule_shifts(need, 60, [night])
    plan = schedule_shifts(need, 60, [night], wrap=True)
    assert plan.agents == 1
    np.testing.assert_array_equal(plan.coverage_frame()["scheduled"], need)
    assert plan.to_frame()["end_minutes"].tolist() == [1560.0]


def test_break_window_is_used_to_cover_the_peak():
    # one agent 4 h with a 1-h break between 1 h and 2 h after the start; the
    # requirement forces the break into its second slot
    need = [1, 1, 0, 1]
    shift = ShiftType("s", 240, [0], breaks=ShiftBreak(60, 60, 120))
    plan = schedule_shifts(need, 60, [shift])
    assert plan.to_frame()["breaks"].tolist() == [((120.0, 180.0),)]
    assert shift.paid_hours == 3.0
    assert plan.paid_hours == 3.0


def test_series_index_labels_the_coverage():
    need = pd.Series([1, 1], index=pd.Index(["a", "b"], name="slot"))
    plan = schedule_shifts(need, 60, ShiftType("s", 120, [0]))
    assert list(plan.coverage_frame().index) == ["a", "b"]


def test_time_limit_and_gap_are_reported(monkeypatch):
    need = [2, 3, 3, 2]
    shift = ShiftType("s", 120, range(0, 121, 60))
    plan = schedule_shifts(need, 60, [shift], time_limit_seconds=30, mip_rel_gap=0.0)
    assert plan.status == "optimal"
    assert plan.dual_bound == pytest.approx(plan.objective_value)

    real = optimize.milp

    def stopped_with_plan(*args, **kwargs):
        res = real(*args, **kwargs)
        res.status, res.mip_gap = 1, 0.25
        return res

    monkeypatch.setattr(_shift_plan.optimize, "milp", stopped_with_plan)
    plan = schedule_shifts(need, 60, [shift], time_limit_seconds=1)
    assert plan.status == "time limit"
    assert plan.mip_gap == 0.25

    def stopped_without_plan(*args, **kwargs):
        return optimize.OptimizeResult(status=1, x=None, message="time limit")

    monkeypatch.setattr(_shift_plan.optimize, "milp", stopped_without_plan)
    with pytest.raises(TargetError, match="raise time_limit_seconds"):
        schedule_shifts(need, 60, [shift], time_limit_seconds=1)

    def failed(*args, **kwargs):
        return optimize.OptimizeResult(status=4, x=None, message="HiGHS error")

    monkeypatch.setattr(_shift_plan.optimize, "milp", failed)
    with pytest.raises(FitError, match="HiGHS error"):
        schedule_shifts(need, 60, [shift])
