"""Bad input to the waiting-cost study gets a clear error naming the argument, the
value and the fix (:func:`tests.adversarial.assert_clear_error`)."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pandas as pd
import pytest

from crmkit._replication import mean_interval
from crmkit.clv import retention_clv
from crmkit.complaints import (
    TARP_LARGE_LOSS,
    TARP_SMALL_LOSS,
    ComplaintScenario,
    tarp_severity,
)
from crmkit.errors import CrmkitError, UnstableQueueError
from crmkit.experiments import (
    AgentValueResult,
    ExponentialDissatisfaction,
    LogisticDissatisfaction,
    StepDissatisfaction,
    WaitingCost,
    WaitingCostModel,
    agent_value_curve,
    waiting_cost,
)
from crmkit.queues import MD1, ErlangA, MMc, MMcK, simulate
from tests.adversarial import NOT_NUMBERS, assert_clear_error
from tests.queues.independent import erlang_c_mp, mmc_chain, tagged_erlang_a

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.experiments.ExponentialDissatisfaction",
    "crmkit.experiments.LogisticDissatisfaction",
    "crmkit.experiments.StepDissatisfaction",
    "crmkit.experiments.WaitingCostModel",
    "crmkit.experiments.agent_value_curve",
    "crmkit.experiments.waiting_cost",
)
EXEMPT = {
    "crmkit.experiments.WaitingCost": "a result only waiting_cost() builds",
    "crmkit.experiments.AgentValueResult": "a result only agent_value_curve() builds",
}

STEP = StepDissatisfaction(tolerance_minutes=1.0, probability=0.3)


def cost_model(curve=STEP, abandoned=0.0, **changes) -> WaitingCostModel:
    args = {
        "margin_per_period": 20.0,
        "discount_rate": 0.01,
        "abandoned_dissatisfaction": abandoned,
        "dissatisfaction": curve,
    }
    args.update(changes)
    return WaitingCostModel(**args)


def by_wait(model, curve) -> float:
    """E[f(W); served] per call as crmkit computes it (abandoners not counted)."""
    return waiting_cost(model, cost_model(curve), 1.0).prob_dissatisfied


ERLANG_A = [
    (1.0, 0.25, 5, 0.5),
    (9.0, 1.0, 9, 0.2),
    (2.0, 0.5, 3, 2.0),
    (30.0, 1.0, 28, 0.1),
]
MMC = [(1.0, 0.25, 5), (9.0, 1.0, 10), (0.5, 1.0, 1), (95.0, 1.0, 100)]


# ----------------------------------------------------------------- the step curve
@pytest.mark.parametrize(
    "lam, mu, c, theta, tolerance",
    [
        (1.0, 0.25, 5, 0.5, 0.0),
        (1.0, 0.25, 5, 0.5, 2.0),
        (2.0, 0.5, 3, 2.0, 0.3),
        (9.0, 1.0, 9, 0.2, 0.3),
    ],
)
def test_step_curve_erlang_a_against_tagged_chain(lam, mu, c, theta, tolerance):
    n_max = c + 60  # holds all but 1e-17 of the queue-length mass in these cases
    served_by_t, _, abandon = tagged_erlang_a(lam, mu, c, theta, tolerance, n_max)
    expected = 0.3 * ((1.0 - abandon) - served_by_t)  # 0.3 P(served, W > T)
    curve = StepDissatisfaction(tolerance_minutes=tolerance, probability=0.3)
    model = ErlangA(lam, mu, c, theta)
    assert model.prob_abandon == pytest.approx(abandon, rel=1e-9)
    assert by_wait(model, curve) == pytest.approx(expected, rel=1e-8, abs=1e-14)


@pytest.mark.parametrize("lam, mu, c", MMC)
@pytest.mark.parametrize("tolerance", [0.0, 0.5, 4.0])
def test_step_curve_mmc_against_erlang_c(lam, mu, c, tolerance):
    erlang_c = float(erlang_c_mp(c, lam / mu))
    expected = 0.7 * erlang_c * math.exp(-(c * mu - lam) * tolerance)
    curve = StepDissatisfaction(tolerance_minutes=tolerance, probability=0.7)
    assert by_wait(MMc(lam, mu, c), curve) == pytest.approx(expected, rel=1e-10)


def test_step_curve_md1_uses_its_own_tail():
    """Any model with the methods works; MD1 has no abandonment."""
    model = MD1(arrival_rate=0.8, service_rate=1.0)
    curve = StepDissatisfaction(tolerance_minutes=2.0, probability=0.4)
    assert by_wait(model, curve) == pytest.approx(0.4 * model.prob_wait_exceeds(2.0))


# ---------------------------------------------------------- the exponential curve
def exponential_closed_form(lam, mu, c, theta, scale, maximum) -> float:
    """E[f(W); served] for f(w) = maximum (1 - e^{-w/scale}), derived here.

    f(w) = maximum · P(A ≤ w) for an independent exponential "annoyance" clock A with
    rate r = 1/scale. An arrival that finds c + k in the system (PASTA: probability
    π_{c+k}) has k ahead; while j are ahead it moves on at rate ρ_j = cμ + jθ (j = 0:
    it enters service at rate cμ), abandons at rate θ, and the clock rings at rate r.
    By memorylessness, with ρ_j the rates for j = 0..k,

        P(served)             = Π_j ρ_j / (ρ_j + θ)
        P(served, A > W)      = Π_j ρ_j / (ρ_j + θ + r)

    so E[f(W); served | k] = maximum (P(served) − P(served, A > W)); arrivals that find
    a free server wait 0 and f(0) = 0. For θ = 0 (M/M/c), π_{c+k} = C(1−ρ)ρ^k sums this
    to maximum · C / (1 + (cμ − λ) scale).
    """
    pi = mmc_chain(lam, mu, c, theta, n_max=c + 400)
    r = 1.0 / scale
    total = 0.0
    for k in range(len(pi) - c):
        rates = c * mu + theta * np.arange(k + 1)
        served = np.prod(rates / (rates + theta))
        not_rung = np.prod(rates / (rates + theta + r))
        total += pi[c + k] * (served - not_rung)
    return maximum * total


@pytest.mark.parametrize("lam, mu, c, theta", ERLANG_A)
@pytest.mark.parametrize("scale", [0.2, 10.0])
def test_exponential_curve_erlang_a_closed_form(lam, mu, c, theta, scale):
    curve = ExponentialDissatisfaction(scale_minutes=scale, maximum=0.6)
    expected = exponential_closed_form(lam, mu, c, theta, scale, 0.6)
    got = by_wait(ErlangA(lam, mu, c, theta), curve)
    assert got == pytest.approx(expected, rel=1e-8, abs=1e-14)


@pytest.mark.parametrize("lam, mu, c", MMC)
@pytest.mark.parametrize("scale", [0.05, 1.0, 30.0])
def test_exponential_curve_mmc_closed_form(lam, mu, c, scale):
    erlang_c = float(erlang_c_mp(c, lam / mu))
    closed = 0.5 * erlang_c / (1.0 + (c * mu - lam) * scale)
    curve = ExponentialDissatisfaction(scale_minutes=scale, maximum=0.5)
    assert by_wait(MMc(lam, mu, c), curve) == pytest.approx(closed, rel=1e-9)
    # the chain-based form above agrees with the geometric sum (checks the derivation)
    chain = exponential_closed_form(lam, mu, c, 0.0, scale, 0.5)
    assert chain == pytest.approx(closed, rel=1e-7)


# ------------------------------------------------------------- the logistic curve
@pytest.mark.parametrize("lam, mu, c", MMC[1:])
@pytest.mark.parametrize("mid, scale", [(0.5, 0.1), (3.0, 0.5), (0.0, 2.0)])
def test_logistic_curve_mmc_against_mpmath_density(lam, mu, c, mid, scale):
    """E[f(W)] = f(0)(1 − C) + ∫ f(u) C δ e^{−δu} du (atom at 0, exponential density
    above), by mpmath quadrature: the density, not the tail crmkit integrates."""
    curve = LogisticDissatisfaction(mid, scale, 0.8)
    with mp.workdps(30):
        erlang_c = erlang_c_mp(c, lam / mu, dps=30)
        delta = mp.mpf(c * mu - lam)

        def f(u):
            return mp.mpf(0.8) / (1 + mp.exp(-(u - mid) / mp.mpf(scale)))

        cut = [0, max(mid, 1e-3), mid + 20 * scale, mp.inf]
        dens = mp.quad(lambda u: f(u) * erlang_c * delta * mp.exp(-delta * u), cut)
        expected = float(f(0) * (1 - erlang_c) + dens)
    assert by_wait(MMc(lam, mu, c), curve) == pytest.approx(expected, rel=1e-9)


def test_curves_evaluate_as_documented():
    w = np.array([0.0, 1.0, 1.0000001, 5.0])
    assert STEP.prob_dissatisfied(w).tolist() == [0.0, 0.0, 0.3, 0.3]
    exp_curve = ExponentialDissatisfaction(2.0, 0.4)
    assert exp_curve.prob_dissatisfied(w) == pytest.approx(0.4 * (1 - np.exp(-w / 2)))
    logistic = LogisticDissatisfaction(3.0, 0.5, 0.6)
    assert logistic.prob_dissatisfied(w) == pytest.approx(
        0.6 / (1 + np.exp(-(w - 3.0) / 0.5))
    )
    assert isinstance(logistic.prob_dissatisfied(1.0), float)


# --------------------------------------------------------- seeded Monte-Carlo
def test_monte_carlo_of_callers_agrees_with_the_exact_chain():
    """Callers through crmkit's simulator (real queue dynamics); each caller's
    dissatisfaction, complaint, resolution, retention and whole future lifetime drawn
    here; per-replication means per call; 99.9 % Student-t intervals cover the exact
    expectations."""
    queue = ErlangA(arrival_rate=4.0, service_rate=1.0, servers=4, abandonment_rate=0.4)
    curve = LogisticDissatisfaction(
        midpoint_minutes=1.0, scale_minutes=0.3, maximum=0.6
    )
    scenario = ComplaintScenario(
        complaint_rate=0.25,
        resolution_rate=0.6,
        quick_resolution_rate=0.5,
        retention=dict(TARP_LARGE_LOSS, no_problem=0.9),
        handling_cost=8.0,
        compensation=3.0,
    )
    m, d, d_ab = 10.0, 0.02, 0.7
    model = cost_model(
        curve, abandoned=d_ab, complaints=scenario, margin_per_period=m, discount_rate=d
    )
    exact = waiting_cost(queue, model, calls_per_period=1.0)

    sim = simulate(
        queue,
        customers=24_000,
        replications=10,
        seed=11,
        keep_records=True,
        progress=False,
    )
    rec = sim.records[sim.records["customer"] >= 4_000]  # warm-up: runs start empty
    rng = np.random.default_rng(2024)
    n = len(rec)
    wait = rec["wait"].to_numpy()
    abandoned = rec["abandoned"].to_numpy()
    f = 0.6 / (1.0 + np.exp(-(wait - 1.0) / 0.3))
    dissatisfied = rng.random(n) < np.where(abandoned, d_ab, f)
    complains = dissatisfied & (rng.random(n) < 0.25)
    resolved = complains & (rng.random(n) < 0.6)
    quick = resolved & (rng.random(n) < 0.5)
    outcome = np.select(
        [quick, resolved, complains],
        ["resolved_quickly", "resolved", "unresolved"],
        "silent",
    )
    r_o = pd.Series(dict(TARP_LARGE_LOSS)).loc[outcome].to_numpy()
    stays = rng.random(n) < r_o
    r0 = 0.9
    lifetime = np.where(stays, rng.geometric(1.0 - r0, n), 0)  # periods still there
    value = m * (1.0 - (1.0 + d) ** -lifetime.astype(float)) / d
    clv0 = m * r0 / (1.0 + d - r0)  # by hand
    extra_defection = r0 - stays
    cost = np.where(complains, 8.0, 0.0) + np.where(resolved, 3.0, 0.0)
    per_call = pd.DataFrame(
        {
            "replication": rec["replication"].to_numpy(),
            "prob_abandon": abandoned,
            "prob_dissatisfied": dissatisfied,
            "complaints": complains,
            "silent": dissatisfied & ~complains,
            "silent_defections": np.where(
                dissatisfied & ~complains, extra_defection, 0
            ),
            "defections": np.where(dissatisfied, extra_defection, 0.0),
            "clv_lost": np.where(dissatisfied, clv0 - value, 0.0),
            "complaint_cost": cost,
        }
    )
    reps = per_call.groupby("replication").mean()
    mean, half = mean_interval(reps.to_numpy(), level=0.999)
    for name, mu_hat, h in zip(reps.columns, mean, half, strict=True):
        truth = getattr(exact, name)
        assert abs(mu_hat - truth) <= h, (name, mu_hat, truth, h)
        assert h < 0.25 * abs(truth), (name, h, truth)  # the check has teeth


# ------------------------------------------------------------- CLV arithmetic
def test_clv_arithmetic_by_hand():
    model = cost_model(discount_rate=0.01)
    r0, m, d = 0.98, 20.0, 0.01
    assert model.retention == r0
    assert model.customer_value == pytest.approx(m * r0 / (1 + d - r0), rel=1e-14)
    assert model.customer_value == retention_clv(m, r0, d)
    table = model.outcome_table()
    c = 1 / 27
    probs = {
        "silent": 1 - c,
        "unresolved": c * 0.5,
        "resolved": c * 0.25,
        "resolved_quickly": c * 0.25,
    }
    for outcome, p in probs.items():
        row = table.loc[("all", outcome)]
        r = TARP_SMALL_LOSS[outcome]
        assert row["probability"] == pytest.approx(p, rel=1e-14)
        assert row["retention"] == r
        assert row["extra_defection"] == pytest.approx(r0 - r)
        # value after the incident by brute force: stay once with r, then with r0
        t = np.arange(1, 20_001)
        after = np.sum(m * r * r0 ** (t - 1.0) / (1 + d) ** t)
        assert row["clv_lost"] == pytest.approx(model.customer_value - after, rel=1e-10)
        assert row["complaint_cost"] == (0.0 if outcome == "silent" else 5.0)
    lost = sum(p * (1 - TARP_SMALL_LOSS[o] / r0) for o, p in probs.items())
    assert model.clv_lost_per_dissatisfied == pytest.approx(
        lost * m * r0 / (1 + d - r0), rel=1e-12
    )


def test_finite_horizon_and_severity_classes():
    horizon = cost_model(horizon_periods=12)
    assert horizon.customer_value == pytest.approx(
        sum(20.0 * 0.98**t / 1.01**t for t in range(1, 13)), rel=1e-13
    )
    severe = cost_model(complaints=ComplaintScenario(severity=tarp_severity(0.2)))
    table = severe.outcome_table()
    assert table["probability"].sum() == pytest.approx(1.0, rel=1e-14)
    assert table.loc[("serious", "silent"), "probability"] == pytest.approx(0.2 * 0.5)
    assert table.loc[("mild", "silent"), "probability"] == pytest.approx(0.8 * 26 / 27)
    assert table.loc[("serious", "silent"), "retention"] == TARP_LARGE_LOSS["silent"]


def test_counts_scale_with_calls_and_split_consistently():
    queue = ErlangA(1.0, 0.25, 5, 0.5)
    model = cost_model(ExponentialDissatisfaction(1.0, 0.3), abandoned=0.5)
    one = waiting_cost(queue, model, 1.0)
    many = waiting_cost(queue, model, 5_000.0)
    assert isinstance(many, WaitingCost)
    assert many.dissatisfied == pytest.approx(5_000 * one.prob_dissatisfied)
    assert many.complaints + many.silent == pytest.approx(many.dissatisfied)
    assert many.complaints == pytest.approx(many.dissatisfied / 27)
    assert many.dissatisfied_abandoned == pytest.approx(5_000 * 0.5 * one.prob_abandon)
    assert many.cost == pytest.approx(many.clv_lost + many.complaint_cost)
    assert many.clv_lost == pytest.approx(
        many.defections * model.customer_value / model.retention
    )
    zero = waiting_cost(queue, model, 0)
    assert zero.dissatisfied == 0.0 and zero.clv_lost == 0.0
    assert many.to_frame().columns[0] == "calls_per_period"
    assert "clv_lost" in str(many)


def test_better_complaint_handling_recovers_value():
    """Resolving more complaints (and quickly) keeps more customers (TARP)."""
    queue = MMc(1.0, 0.25, 5)
    poor = cost_model(
        complaints=ComplaintScenario(complaint_rate=0.3, resolution_rate=0.2)
    )
    good = cost_model(
        complaints=ComplaintScenario(
            complaint_rate=0.3, resolution_rate=0.9, quick_resolution_rate=0.9
        )
    )
    assert (
        waiting_cost(queue, good, 1e4).clv_lost
        < waiting_cost(queue, poor, 1e4).clv_lost
    )
    # an outcome retained better than untroubled customers counts as a gain
    table = cost_model(
        complaints=ComplaintScenario(retention=dict(TARP_SMALL_LOSS, no_problem=0.9))
    ).outcome_table()
    assert table.loc[("all", "resolved_quickly"), "clv_lost"] < 0


# --------------------------------------------------- staffing: monotone, optimal
CURVES = [
    STEP,
    ExponentialDissatisfaction(1.0, 0.5),
    LogisticDissatisfaction(1.0, 0.3, 0.6),
]


@pytest.mark.parametrize("curve", CURVES, ids=["step", "exponential", "logistic"])
@pytest.mark.parametrize("theta", [0.5, None])
def test_more_agents_lose_less_clv(curve, theta):
    res = agent_value_curve(
        4.0, 0.5, theta, range(9, 20), cost_model(curve, abandoned=0.7), 3_000, 20_000
    )
    lost = res.table["clv_lost"].to_numpy()
    assert np.all(np.diff(lost) < 0)
    assert np.all(res.table["marginal_value"].iloc[:-1] > 0)


@pytest.mark.parametrize("theta", [0.5, None])
@pytest.mark.parametrize("agent_cost", [0.0, 500.0, 4_000.0, 1e6])
def test_best_staffing_against_brute_force(theta, agent_cost):
    model = cost_model(LogisticDissatisfaction(0.5, 0.2, 0.5), abandoned=0.6)
    levels = [9, 10, 11, 13, 16, 20]  # gaps: marginal value is per agent added
    res = agent_value_curve(4.0, 0.5, theta, levels, model, agent_cost, 20_000)
    assert isinstance(res, AgentValueResult)
    totals = {}
    for c in levels:
        queue = MMc(4.0, 0.5, c) if theta is None else ErlangA(4.0, 0.5, c, theta)
        w = waiting_cost(queue, model, 20_000)
        totals[c] = c * agent_cost + w.cost
        assert res.table.loc[c, "waiting_cost"] == w.cost
    assert res.best_servers == min(totals, key=totals.get)
    assert res.table["total_cost"].to_dict() == pytest.approx(totals)
    step = (totals[13] - 13 * agent_cost - (totals[16] - 16 * agent_cost)) / 3
    assert res.table.loc[13, "marginal_value"] == pytest.approx(step)
    assert math.isnan(res.table.loc[20, "marginal_value"])
    pays = res.table["marginal_value"] > agent_cost
    assert res.table["pays_for_itself"].tolist() == pays.tolist()
    assert f"{res.best_servers} agents" in str(res)
    copy = res.to_frame()
    copy.loc[9, "total_cost"] = -1.0
    assert res.table.loc[9, "total_cost"] != -1.0


def test_edge_of_range_is_flagged():
    res = agent_value_curve(4.0, 0.5, 0.5, range(9, 12), cost_model(), 0.0, 20_000)
    assert res.best_servers == 11 and res.at_edge
    assert "extend" in str(res)


# ------------------------------------------------------------------ bad input
def build(**changes):
    return cost_model(**changes)


@pytest.mark.parametrize(
    "name, value",
    [
        ("abandoned_dissatisfaction", 1.5),
        ("abandoned_dissatisfaction", -0.1),
        ("abandoned_dissatisfaction", math.nan),
        ("abandoned_dissatisfaction", "0.5"),
        ("margin_per_period", -20.0),
        ("margin_per_period", math.nan),
        ("margin_per_period", "20"),
        ("margin_per_period", math.inf),
        ("discount_rate", 5.0),
        ("discount_rate", -0.1),
        ("discount_rate", "0.1"),
        ("discount_rate", math.nan),
        ("horizon_periods", 0),
        ("horizon_periods", 2.5),
        ("horizon_periods", "12"),
    ],
)
def test_bad_cost_model_numbers(name, value):
    assert_clear_error(lambda: build(**{name: value}), name, value)


@pytest.mark.parametrize("value", ["step", StepDissatisfaction, 0.3, None])
def test_bad_dissatisfaction_curve(value):
    assert_clear_error(lambda: build(curve=value), "dissatisfaction", show_value=False)


@pytest.mark.parametrize("value", ["default", {"complaint_rate": 0.1}, 3])
def test_bad_complaints(value):
    assert_clear_error(lambda: build(complaints=value), "complaints", value)


def test_base_retention_of_one_is_refused():
    scenario = ComplaintScenario(retention=dict(TARP_SMALL_LOSS, no_problem=1.0))
    assert_clear_error(lambda: build(complaints=scenario), "no_problem", 1)


@pytest.mark.parametrize(
    "make, name, value",
    [
        (lambda v: StepDissatisfaction(v, 0.3), "tolerance_minutes", -1.0),
        (lambda v: StepDissatisfaction(1.0, v), "probability", 1.2),
        (lambda v: StepDissatisfaction(1.0, v), "probability", math.nan),
        (lambda v: StepDissatisfaction(v, 0.3), "tolerance_minutes", "1"),
        (lambda v: ExponentialDissatisfaction(v, 0.3), "scale_minutes", 0.0),
        (lambda v: ExponentialDissatisfaction(v, 0.3), "scale_minutes", 1e200),
        (lambda v: ExponentialDissatisfaction(1.0, v), "maximum", 2.0),
        (lambda v: LogisticDissatisfaction(v, 1.0, 0.3), "midpoint_minutes", -3.0),
        (lambda v: LogisticDissatisfaction(1.0, v, 0.3), "scale_minutes", -1.0),
        (lambda v: LogisticDissatisfaction(1.0, 1.0, v), "maximum", True),
    ],
)
def test_bad_curve_parameters(make, name, value):
    assert_clear_error(lambda: make(value), name, value)


@pytest.mark.parametrize("value", [-1.0, math.nan, "2", [1.0, -2.0]])
def test_bad_wait_minutes(value):
    assert_clear_error(
        lambda: STEP.prob_dissatisfied(value), "wait_minutes", show_value=False
    )


@pytest.mark.parametrize("value", [-1.0, math.nan, math.inf, *NOT_NUMBERS[:4]])
def test_bad_calls_per_period(value):
    queue = MMc(1.0, 0.25, 5)
    assert_clear_error(
        lambda: waiting_cost(queue, cost_model(), value), "calls_per_period", value
    )


@pytest.mark.parametrize("value", ["MMc", 3.0, MMc, None])
def test_bad_queue_model(value):
    assert_clear_error(
        lambda: waiting_cost(value, cost_model(), 100), "queue_model", show_value=False
    )


def test_blocking_models_are_refused():
    queue = MMcK(1.0, 0.25, 5, 8)
    assert_clear_error(
        lambda: waiting_cost(queue, cost_model(), 100), "queue_model", show_value=False
    )


@pytest.mark.parametrize("value", [None, "cost", STEP])
def test_bad_cost_model(value):
    queue = MMc(1.0, 0.25, 5)
    assert_clear_error(
        lambda: waiting_cost(queue, value, 100), "cost_model", show_value=False
    )


def curve_call(**changes):
    args = {
        "arrival_rate": 4.0,
        "service_rate": 0.5,
        "abandonment_rate": 0.5,
        "servers_range": range(9, 12),
        "cost_model": cost_model(),
        "agent_cost_per_period": 3_000.0,
        "calls_per_period": 20_000.0,
    }
    args.update(changes)
    return agent_value_curve(**args)


@pytest.mark.parametrize(
    "name, value, shown",
    [
        ("servers_range", [], []),
        ("servers_range", range(5, 5), range(5, 5)),
        ("servers_range", "5-10", "5-10"),
        ("servers_range", 10, 10),
        ("servers_range", [10, 10], [10, 10]),
        ("servers_range", [12, 11], [12, 11]),
        ("servers_range", [0, 1], 0),
        ("servers_range", [9, 9.5], 9.5),
        ("servers_range", [9, "10"], "10"),
        ("servers_range", [9, math.nan], math.nan),
        ("servers_range", range(1, 10**12), 10**12 - 1),
        ("servers_range", np.ones((2, 2)), None),
        ("agent_cost_per_period", -1.0, -1.0),
        ("agent_cost_per_period", math.nan, math.nan),
        ("agent_cost_per_period", "3000", "3000"),
        ("calls_per_period", -5.0, -5.0),
        ("arrival_rate", -4.0, -4.0),
        ("arrival_rate", math.nan, math.nan),
        ("service_rate", "0.5", "0.5"),
        ("abandonment_rate", 0.0, 0.0),
        ("cost_model", "model", "model"),
    ],
)
def test_bad_agent_value_curve_input(name, value, shown):
    assert_clear_error(
        lambda: curve_call(**{name: value}), name, shown, show_value=shown is not None
    )


def test_unstable_mmc_start_names_the_smallest_stable_level():
    err = assert_clear_error(
        lambda: curve_call(abandonment_rate=None, servers_range=range(6, 12)),
        "servers_range",
        show_value=False,
    )
    assert isinstance(err, UnstableQueueError)
    assert "start it at 9" in str(err)
    assert issubclass(UnstableQueueError, CrmkitError)
