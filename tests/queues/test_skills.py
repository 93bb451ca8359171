"""Skills-based routing against independent solutions: the exact M/M/c, Erlang A and
priority M/M/c formulas (one group), a generic CTMC over the explicit state space of a
two-class two-group system (``tests/queues/ctmc.py``, its own moves function written
here for the routing rule), hand-worked routing cases on the engine, and the chaining
ordering of specialised, chained and pooled agents with paired intervals."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from scipy import stats

from crmkit.queues import (
    AgentGroup,
    CustomerClass,
    ErlangA,
    Exponential,
    MMc,
    PriorityMMc,
    SkillsModel,
    chaining_study,
    simulate_skills,
)
from crmkit.queues._skills import _draw, _Job
from crmkit.queues._skills_engine import skills_engine
from tests.queues.ctmc import expect, stationary


def _covers(res, metric, name, exact):
    """The exact value lies in the 99.9 % interval (the 95 % one widened by the ratio
    of Student-t quantiles): with some 25 comparisons in this file, 95 % intervals
    would miss about once by chance whenever the random streams change."""
    lo, hi = res.interval(metric, name)
    df = res.settings["replications"] - 1
    widen = stats.t.ppf(0.9995, df) / stats.t.ppf(0.975, df)
    mid, half = (lo + hi) / 2, (hi - lo) / 2 * widen
    assert mid - half <= exact <= mid + half, (metric, name, lo, exact, hi)
    # an interval that covers only because it is wide would not be a check
    assert hi - lo < 0.25 * max(abs(exact), 0.05), (metric, name, lo, hi)


# ---------------------------------------------------------------- one group = M/M/c
def test_one_class_one_group_is_mmc():
    m = SkillsModel(
        [CustomerClass("calls", 8.0)], [AgentGroup("all", 10, {"calls": 1.0})]
    )
    res = simulate_skills(
        m, customers=60_000, replications=10, warmup=3_000, within=0.2, seed=11
    )
    exact = MMc(arrival_rate=8.0, service_rate=1.0, servers=10)
    _covers(res, "mean_wait", "calls", exact.mean_wait)
    _covers(res, "service_level", "calls", exact.service_level(0.2))
    _covers(res, "prob_wait", "calls", exact.prob_wait)
    _covers(res, "occupancy", "all", exact.occupancy)
    assert res.estimate("mean_wait") == res.estimate("mean_wait", "calls")
    assert "prob_abandon" not in res.table.index


def test_one_class_with_exponential_patience_is_erlang_a():
    cls = CustomerClass("calls", 10.0, patience=Exponential(0.5))
    m = SkillsModel([cls], [AgentGroup("all", 10, {"calls": Exponential(1.0)})])
    res = simulate_skills(
        m, customers=60_000, replications=10, warmup=3_000, within=0.25, seed=12
    )
    exact = ErlangA(arrival_rate=10, service_rate=1, servers=10, abandonment_rate=0.5)
    _covers(res, "mean_wait", "calls", exact.mean_wait)
    _covers(res, "service_level", "calls", exact.service_level(0.25))
    _covers(res, "prob_abandon", "calls", exact.prob_abandon)
    _covers(res, "prob_wait", "calls", exact.prob_wait)
    _covers(res, "occupancy", "all", exact.occupancy)


def test_two_classes_one_cross_trained_group_is_priority_mmc():
    # PriorityMMc assumes one service rate for both classes: both skills take 1/μ
    mu = 1.25
    classes = [CustomerClass("vip", 1.5), CustomerClass("regular", 6.0)]
    group = AgentGroup(
        "all", 7, {"regular": 1 / mu, "vip": 1 / mu}, priorities=["vip", "regular"]
    )
    res = simulate_skills(
        SkillsModel(classes, [group]),
        customers=60_000,
        replications=10,
        warmup=3_000,
        seed=13,
    )
    exact = PriorityMMc(arrival_rates=[1.5, 6.0], service_rate=mu, servers=7)
    _covers(res, "mean_wait", "vip", exact.mean_wait[0])
    _covers(res, "mean_wait", "regular", exact.mean_wait[1])
    _covers(res, "mean_wait", None, exact.overall_mean_wait)
    _covers(res, "prob_wait", "vip", exact.prob_wait)  # PASTA: the same for both


# ------------------------------------------------- two classes, two groups: a CTMC
LAM_A, LAM_B, THETA_B = 1.0, 1.2, 0.5
MU_A1, MU_B1, MU_B2 = 1.0, 0.8, 1.25
N1, N2, QMAX = 2, 1, 30


def _moves(state):
    """(a1, b1, b2, qA, qB): group 1 (N1 agents, skills A then B) busy with A and
    with B, group 2 (N2 agents, skill B) busy, and the two queues. Routing
    "priority": B goes to group 2 (it ranks B first), else group 1; a freed group-1
    agent takes A first."""
    a1, b1, b2, qa, qb = state
    out = []
    if a1 + b1 < N1:
        out.append(((a1 + 1, b1, b2, qa, qb), LAM_A))
    elif qa < QMAX:
        out.append(((a1, b1, b2, qa + 1, qb), LAM_A))
    if b2 < N2:
        out.append(((a1, b1, b2 + 1, qa, qb), LAM_B))
    elif a1 + b1 < N1:
        out.append(((a1, b1 + 1, b2, qa, qb), LAM_B))
    elif qb < QMAX:
        out.append(((a1, b1, b2, qa, qb + 1), LAM_B))

    def group1_frees(a1, b1):  # one group-1 agent has just finished
        if qa:
            return (a1 + 1, b1, b2, qa - 1, qb)
        if qb:
            return (a1, b1 + 1, b2, qa, qb - 1)
        return (a1, b1, b2, qa, qb)

    if a1:
        out.append((group1_frees(a1 - 1, b1), a1 * MU_A1))
    if b1:
        out.append((group1_frees(a1, b1 - 1), b1 * MU_B1))
    if b2:
        nxt = (a1, b1, b2, qa, qb - 1) if qb else (a1, b1, b2 - 1, qa, qb)
        out.append((nxt, b2 * MU_B2))
    if qb:
        out.append(((a1, b1, b2, qa, qb - 1), qb * THETA_B))
    return out


def test_two_classes_two_groups_match_the_ctmc():
    states, pi = stationary((0, 0, 0, 0, 0), _moves)
    edge = sum(p for s, p in zip(states, pi, strict=True) if QMAX in s[3:])
    assert edge < 1e-9  # truncating the queues at QMAX changes nothing visible
    lq_a = expect(states, pi, lambda s: s[3])
    lq_b = expect(states, pi, lambda s: s[4])
    exact = {
        ("mean_wait", "A"): lq_a / LAM_A,  # Little's law
        ("mean_wait", "B"): lq_b / LAM_B,
        ("prob_abandon", "B"): THETA_B * lq_b / LAM_B,
        # PASTA: the share of time an arrival would find no idle agent with its skill
        ("prob_wait", "A"): expect(states, pi, lambda s: s[0] + s[1] == N1),
        ("prob_wait", "B"): expect(
            states, pi, lambda s: s[0] + s[1] == N1 and s[2] == N2
        ),
        ("occupancy", "g1"): expect(states, pi, lambda s: s[0] + s[1]) / N1,
        ("occupancy", "g2"): expect(states, pi, lambda s: s[2]) / N2,
    }
    model = SkillsModel(
        [CustomerClass("A", LAM_A), CustomerClass("B", LAM_B, Exponential(THETA_B))],
        [
            AgentGroup("g1", N1, {"A": 1 / MU_A1, "B": 1 / MU_B1}),
            AgentGroup("g2", N2, {"B": Exponential(MU_B2)}),
        ],
    )
    res = simulate_skills(
        model, customers=50_000, replications=12, warmup=2_000, seed=14
    )
    for (metric, name), value in exact.items():
        _covers(res, metric, name, value)
    assert res.estimate("prob_abandon", "A") == 0.0


# ------------------------------------------------------ the routing rules, by hand
def _engine(arr, cls, svc, pat=None, *, agents, candidates, order, longest=False):
    return skills_engine(
        np.asarray(arr, float),
        np.asarray(cls),
        np.asarray(svc, float),
        None if pat is None else np.asarray(pat, float),
        agents=agents,
        candidates=candidates,
        queue_order=order,
        longest_idle=longest,
    )


def test_a_freed_agent_takes_its_highest_priority_class_first():
    # one agent, priorities [B, A]: A at 0 (served till 10), A at 1, B at 2
    rec = _engine(
        [0, 1, 2], [0, 0, 1], [[10, 1, 1]], agents=[1],
        candidates=[[(1, 0)], [(0, 0)]], order=[[1, 0]],
    )  # fmt: skip
    assert rec.start.tolist() == [0.0, 11.0, 10.0]
    assert rec.found_busy.tolist() == [False, True, True]


def test_priority_routing_prefers_the_group_ranking_the_class_highest():
    # both groups idle since 0; group 1 ranks class 0 first, group 0 second (after
    # class 1): a class-0 customer goes to group 1, and the next one to group 0
    rec = _engine(
        [1, 2], [0, 0], [[5, 5], [5, 5]], agents=[1, 1],
        candidates=[[(0, 1), (1, 0)], [(0, 0)]], order=[[1, 0], [0]],
    )  # fmt: skip
    assert rec.group.tolist() == [1, 0]


def test_longest_idle_routing_picks_the_agent_idle_longest():
    # customer 0 (class 1) keeps group 1's agent busy until 2; at 3 a class-0 customer
    # finds group 0 idle since 0 and group 1 idle since 2
    common = {
        "agents": [1, 1],
        "candidates": [[(0, 1), (1, 0)], [(0, 1)]],
        "order": [[0], [0, 1]],
    }
    arr, cls, svc = [0, 3], [1, 0], [[9, 9], [2, 9]]
    assert _engine(arr, cls, svc, **common, longest=True).group.tolist() == [1, 0]
    assert _engine(arr, cls, svc, **common, longest=False).group.tolist() == [1, 1]


def test_ties_serve_the_customer_whose_patience_ends_as_an_agent_frees():
    # customer 1 waits from 1 with patience 4, the agent frees at 5: served at 5;
    # customer 2 waits from 2 with patience 1: abandons at 3
    rec = _engine(
        [0, 1, 2], [0, 0, 0], [[5, 1, 1]], [math.inf, 4, 1], agents=[1],
        candidates=[[(0, 0)]], order=[[0]],
    )  # fmt: skip
    assert rec.start[:2].tolist() == [0.0, 5.0]
    assert rec.group.tolist() == [0, 0, -1]


# ------------------------------------------------------------ common random numbers
def test_the_same_seed_gives_every_design_the_same_customers():
    classes = [CustomerClass("x", 2.0, Exponential(1.0)), CustomerClass("y", 1.0)]
    one = SkillsModel(
        classes, [AgentGroup("a", 2, {"x": 1.0}), AgentGroup("b", 2, {"y": 1.0})]
    )
    two = SkillsModel(classes, [AgentGroup("c", 4, {"y": 1.0, "x": 1.0})])
    draws = [_draw(_Job(m, 500, 0, 0.0), np.random.default_rng(5)) for m in (one, two)]
    (arr1, cls1, pat1, svc1), (arr2, cls2, pat2, svc2) = draws
    assert np.array_equal(arr1, arr2) and np.array_equal(cls1, cls2)
    assert np.array_equal(pat1, pat2)
    # a customer's service time is the same whichever group serves it
    x, y = cls1 == 0, cls1 == 1
    assert np.array_equal(svc1[0, x], svc2[0, x]) and np.array_equal(
        svc1[1, y], svc2[0, y]
    )
    assert np.isinf(pat1[y]).all() and np.isfinite(pat1[x]).all()


def test_results_repeat_and_serial_equals_default():
    m = SkillsModel([CustomerClass("a", 1.0)], [AgentGroup("g", 2, {"a": 1.0})])
    kw = {"customers": 2_000, "replications": 3, "seed": 9}
    a = simulate_skills(m, **kw)
    b = simulate_skills(m, **kw, client="serial")
    assert a.table.equals(b.table)
    frame = a.to_frame()
    assert set(frame["name"]) == {"all", "a", "g"}
    row = frame[(frame.metric == "occupancy") & (frame.name == "g")].iloc[0]
    assert row["estimate"] == a.estimate("occupancy", "g")
    assert "3 replications" in str(a)


def test_models_pickle_for_dask_workers():
    m = SkillsModel(
        [CustomerClass("a", 1.0, Exponential(2.0))],
        [AgentGroup("g", 2, {"a": 1.0}, priorities=["a"])],
        routing="longest_idle",
    )
    back = pickle.loads(pickle.dumps(m))
    assert back == m and back.groups[0].skills["a"] == Exponential(1.0)
    kw = {"customers": 1_000, "replications": 2, "seed": 4}
    assert simulate_skills(back, **kw).table.equals(simulate_skills(m, **kw).table)


# ------------------------------------------------------------------ chaining
@pytest.fixture(scope="module")
def study():
    return chaining_study(customers=30_000, replications=8, warmup=2_000, seed=21)


def test_chaining_ordering_with_intervals(study):
    t = study.table
    # specialised worst, pooled best, each interval clear of the next
    assert (
        t.loc["specialised", "mean_wait_ci_low"] > t.loc["chain", "mean_wait_ci_high"]
    )
    assert (
        t.loc["specialised", "service_level_ci_high"]
        < t.loc["chain", "service_level_ci_low"]
    )
    b = study.benefit
    # paired over the same customers: the chain is worse than pooling, but close
    assert b.loc["mean_wait", "chain_gap_ci_low"] > 0
    assert b.loc["service_level", "chain_gap_ci_high"] < 0
    assert b.loc["mean_wait", "chain_share_ci_low"] > 0.8
    assert b.loc["service_level", "chain_share_ci_low"] > 0.7
    # same agents, same work: the occupancies agree
    assert np.allclose(t["occupancy"], 4.25 / 5, atol=0.01)


def test_pooled_design_is_one_mmc(study):
    # every agent has every skill and all service times are equal: the system is
    # work-conserving, so the overall mean wait is that of M/M/20 (any priorities)
    exact = MMc(arrival_rate=17.0, service_rate=1.0, servers=20)
    lo, hi = study.results["pooled"].interval("mean_wait")
    assert lo <= exact.mean_wait <= hi
    lo, hi = study.results["specialised"].interval("mean_wait", "class 2")
    assert lo <= MMc(arrival_rate=4.25, service_rate=1.0, servers=5).mean_wait <= hi


def test_chain_designs_are_built_as_documented(study):
    groups = study.results["chain"].model.groups
    assert [tuple(g.skills) for g in groups] == [
        ("class 1", "class 2"),
        ("class 2", "class 3"),
        ("class 3", "class 4"),
        ("class 4", "class 1"),
    ]
    assert all(len(g.skills) == 4 for g in study.results["pooled"].model.groups)
