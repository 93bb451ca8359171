"""Complaint scenarios: simulation agrees with arithmetic, books balance, levers
work."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from crmkit.complaints import (
    METRICS,
    OUTCOMES,
    ComplaintScenario,
    HandlingProcess,
    SeverityClass,
    WordOfMouth,
    compare_strategies,
    dispute_rates,
    handling_rates,
    make_complaints,
    read_cfpb,
    simulate,
    tarp_severity,
    with_handling,
)
from crmkit.errors import DataError, ParameterError, UnstableQueueError
from crmkit.queues import MMc

COUNTS = [
    "customers",
    "complaints",
    "silent",
    "unresolved",
    "resolved",
    "resolved_quickly",
    "lost",
    "revenue",
    "profit",
]


def _agree(result, scenario, z=3.5):
    expected = scenario.expected()
    reps = result.draws.shape[0]
    for m in COUNTS:
        sim = result.draws[:, :, METRICS.index(m)]
        se = sim.std(axis=0, ddof=1) / np.sqrt(reps)
        gap = np.abs(sim.mean(axis=0) - expected[m].to_numpy())
        ok = (gap <= z * se + 1e-9) | (se == 0) & (gap < 1e-9)
        assert ok.all(), (m, gap, se)


@pytest.mark.parametrize(
    "scenario",
    [
        ComplaintScenario(),
        ComplaintScenario(
            customers=50_000, problem_rate=0.2, complaint_rate=0.3, periods=8
        ),
        ComplaintScenario(customers=20_000, severity=tarp_severity(0.3), periods=6),
    ],
    ids=["default", "busy", "severity"],
)
def test_simulation_means_agree_with_expected(scenario):
    _agree(simulate(scenario, replications=200, seed=1), scenario)


def test_agent_mode_agrees_too():
    s = ComplaintScenario(
        customers=3000, periods=5, problem_rate=0.2, complaint_rate=0.3
    )
    res = simulate(s, replications=150, seed=2, mode="agent")
    _agree(res, s)
    h = res.history
    assert set(h["outcome"]) <= set(OUTCOMES)
    assert h.groupby("period").size().iloc[0] == 3000


def test_books_balance_every_period():
    s = ComplaintScenario(
        customers=10_000,
        periods=10,
        acquisition=300.0,
        word_of_mouth=WordOfMouth(),
        severity=tarp_severity(),
    )
    d = simulate(s, replications=30, seed=3).draws
    col = {m: d[:, :, METRICS.index(m)] for m in METRICS}
    outcomes = (
        col["no_problem"]
        + col["silent"]
        + col["unresolved"]
        + col["resolved"]
        + col["resolved_quickly"]
    )
    assert np.array_equal(outcomes, col["customers"])  # each customer, one outcome
    assert np.array_equal(
        col["complaints"], col["unresolved"] + col["resolved"] + col["resolved_quickly"]
    )
    nxt = col["customers"][:, :-1] - col["lost"][:, :-1] + col["new"][:, :-1]
    assert np.array_equal(nxt, col["customers"][:, 1:])  # nobody created or lost


def test_iceberg_is_one_in_twenty_seven():
    res = simulate(ComplaintScenario(customers=200_000), replications=50, seed=4)
    ice = res.iceberg().iloc[0]
    assert ice["share_complaining"] == pytest.approx(1 / 27, rel=0.03)
    assert ice["silent_per_complaint"] == pytest.approx(26, rel=0.03)


def test_reproducible():
    a = simulate(ComplaintScenario(), replications=10, seed=9).draws
    b = simulate(ComplaintScenario(), replications=10, seed=9).draws
    c = simulate(ComplaintScenario(), replications=10, seed=10).draws
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_encouraging_complaints_pays_and_crn_narrows_intervals():
    base = ComplaintScenario(customers=20_000, periods=12, resolution_rate=0.7)
    out = compare_strategies(
        base, {"hotline": {"complaint_rate": 0.3}}, replications=100, seed=5
    ).set_index(["strategy", "measure"])
    silent = out.loc[("hotline", "silent")]
    assert silent["diff_high"] < 0
    profit = out.loc[("hotline", "customer_equity")]
    assert profit["diff_low"] > 0  # more complaints, resolved, keep customers
    # common random numbers: the paired interval is narrower than unpaired runs'
    a = (
        simulate(base, replications=100, seed=5)
        .draws[:, :, METRICS.index("profit")]
        .sum(1)
    )
    b = (
        simulate(base.replace(complaint_rate=0.3), replications=100, seed=6)
        .draws[:, :, METRICS.index("profit")]
        .sum(1)
    )
    unpaired = 1.98 * np.sqrt(a.var(ddof=1) / 100 + b.var(ddof=1) / 100)
    paired_half = (
        out.loc[("hotline", "profit"), "diff_high"]
        - out.loc[("hotline", "profit"), "diff_low"]
    ) / 2
    # measured: 225 vs 1,502 (6.7x narrower); inversion couples the two variants
    assert paired_half < unpaired / 3
    base_row = out.loc[("base", "profit")]
    assert base_row["difference"] == 0


def test_recovery_paradox_changes_satisfaction_only():
    s = ComplaintScenario(
        customers=20_000,
        problem_rate=0.2,
        complaint_rate=0.5,
        quick_resolution_rate=0.8,
    )
    plain = simulate(s, replications=20, seed=7).draws
    bumped = simulate(s.replace(recovery_paradox=0.3), replications=20, seed=7).draws
    sat = METRICS.index("satisfaction")
    for m in METRICS:
        if m != "satisfaction":
            assert np.array_equal(
                plain[:, :, METRICS.index(m)], bumped[:, :, METRICS.index(m)]
            ), m
    assert (bumped[:, :, sat] >= plain[:, :, sat]).all()
    assert (bumped[:, :, sat] > plain[:, :, sat]).any()
    # only first failures count: after period 1 fewer customers are still "fresh"
    delighted = plain[:, :, METRICS.index("delighted")]
    assert (delighted > 0).all()


def test_word_of_mouth_mentions_scale_with_customers_told():
    s = ComplaintScenario(customers=50_000, word_of_mouth=WordOfMouth(), periods=4)
    d = simulate(s, replications=40, seed=8).draws
    neg = d[:, :, METRICS.index("wom_negative_mentions")].sum()
    dissatisfied = (
        d[:, :, METRICS.index("silent")] + d[:, :, METRICS.index("unresolved")]
    ).sum()
    assert neg / dissatisfied == pytest.approx(9.5, rel=0.02)


def test_handling_desk_rates_follow_the_queue():
    desk = HandlingProcess(complaints_per_day=60, handlers=5)
    rates = handling_rates(desk)
    q = MMc(arrival_rate=60 / 8, service_rate=60 / desk.mean_handling_min, servers=5)
    assert rates["quick_resolution_rate"] == pytest.approx(q.service_level(0.5))
    assert rates["resolution_rate"] == pytest.approx(0.8 * 0.85)
    more = handling_rates(HandlingProcess(complaints_per_day=60, handlers=6))
    assert more["quick_resolution_rate"] > rates["quick_resolution_rate"]
    with pytest.raises(UnstableQueueError, match="At least 4 handlers"):
        handling_rates(HandlingProcess(complaints_per_day=60, handlers=3))
    scenario = with_handling(ComplaintScenario(), desk)
    assert scenario.quick_resolution_rate == pytest.approx(
        rates["quick_resolution_rate"]
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"complaint_rate": 1.2}, r"\[0, 1\]"),
        ({"problem_rate": -0.1}, r"\[0, 1\]"),
        ({"customers": -5}, "at least 0"),
        ({"periods": 0}, "at least 1"),
        ({"retention": {"silent": 0.3}}, "missing outcome"),
        ({"retention": {**dict.fromkeys(OUTCOMES, 0.5), "angry": 0.1}}, "unknown"),
        (
            {"severity": {"a": SeverityClass(0.5, 0.1, dict.fromkeys(OUTCOMES, 0.5))}},
            "sum to 0.5",
        ),
        ({"margin": -1.0}, "negative"),
    ],
)
def test_bad_scenarios(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        ComplaintScenario(**kwargs)


def test_bad_simulation_arguments():
    with pytest.raises(ParameterError):
        simulate(ComplaintScenario(), replications=0)
    with pytest.raises(ParameterError, match="mode"):
        simulate(ComplaintScenario(), mode="fast")
    with pytest.raises(ParameterError, match="unknown scenario parameter"):
        ComplaintScenario().replace(hotline=True)
    with pytest.raises(ParameterError):
        simulate(ComplaintScenario(), replications=5).metric("happiness")


@pytest.fixture(scope="module")
def real_cfpb(shared_data):
    return read_cfpb(shared_data / "cfpb_complaints_sample_2013_2016.csv")


def test_reader_and_disputes_on_the_real_sample(real_cfpb):
    assert len(real_cfpb) == 3186
    assert real_cfpb["Consumer disputed?"].isna().sum() == 57
    rates = dispute_rates(real_cfpb)
    assert rates.loc["Closed with monetary relief", "dispute_rate"] == pytest.approx(
        0.07, abs=0.01
    )
    assert rates.loc["Closed with explanation", "dispute_rate"] == pytest.approx(
        0.21, abs=0.01
    )
    via = real_cfpb["Submitted via"].value_counts()
    assert via["Web"] == 2233 and via["Fax"] == 52


def test_synthetic_log_is_calibrated_to_the_sample():
    from crmkit.datasets import load_complaints

    log = load_complaints()
    via = log["Submitted via"].value_counts(normalize=True)
    assert via["Web"] == pytest.approx(0.701, abs=0.02)
    rates = dispute_rates(log)
    assert rates.loc["Closed with monetary relief", "dispute_rate"] < 0.12
    assert rates.loc["Closed with explanation", "dispute_rate"] == pytest.approx(
        0.213, abs=0.02
    )
    pd.testing.assert_frame_equal(
        make_complaints(50, seed=1), make_complaints(50, seed=1)
    )


def test_reader_errors(tmp_path):
    log = make_complaints(5, seed=2)
    p = tmp_path / "x.csv"
    log.drop(columns="Issue").to_csv(p, index=False)
    with pytest.raises(DataError, match="Issue"):
        read_cfpb(p)
    bad = log.copy()
    bad.loc[3, "Date received"] = "2016-13-45"
    bad.to_csv(p, index=False)
    with pytest.raises(DataError, match="row 3"):
        read_cfpb(p)


def test_severity_refuses_rates_it_would_ignore():
    with pytest.raises(ParameterError, match="mild_complaint_rate"):
        ComplaintScenario(severity=tarp_severity(0.2), complaint_rate=0.25)
    s = ComplaintScenario(severity=tarp_severity(0.2))
    with pytest.raises(ParameterError, match="retention"):
        s.replace(retention={**dict(s.retention), "silent": 0.2})
    louder = s.replace(severity=tarp_severity(0.2, mild_complaint_rate=0.25))
    assert (
        louder.outcome_probabilities()["silent"] < s.outcome_probabilities()["silent"]
    )


def test_paired_difference_is_the_row_compare_strategies_reports():
    from crmkit.complaints import paired_difference

    base = ComplaintScenario(customers=3000, periods=6)
    hotline = base.replace(complaint_rate=0.3)
    table = compare_strategies(base, {"hotline": hotline}, replications=20, seed=4)
    a = simulate(base, replications=20, seed=4)
    b = simulate(hotline, replications=20, seed=4)
    pair = paired_difference(b, a)
    got = table[table["strategy"] == "hotline"].set_index("measure")[pair.columns]
    pd.testing.assert_frame_equal(got, pair, check_names=False)
    # the paired interval is the t-interval of the per-replication differences
    diff = b.per_replication()["profit"] - a.per_replication()["profit"]
    half = stats.t.ppf(0.975, 19) * diff.std(ddof=1) / np.sqrt(20)
    assert pair.loc["profit", "diff_high"] == pytest.approx(diff.mean() + half)
    # a result against itself differs by exactly nothing
    assert (paired_difference(a, a)["difference"] == 0).all()
