"""Channel comparison, ranking methods, sensitivity, economics, mix, journeys,
e-mail."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmkit.channels import (
    BENEFIT,
    MAPPINGS,
    ahp_weights,
    best_send_slots,
    channel_economics,
    channel_mix,
    course_channels,
    email_open_rates,
    journey_table,
    make_email_campaign,
    make_interactions,
    mapping_sensitivity,
    objective_task_budget,
    rank_channels,
    to_scores,
    topsis,
    weight_sensitivity,
    weighted_sum,
)
from crmkit.datasets import load_channel_costs, load_email_campaign, load_interactions
from crmkit.errors import DataError, ParameterError
from crmkit.queues import MMc

M = pd.DataFrame(
    {
        "price": [250.0, 200.0, 300.0, 275.0],
        "storage": [16, 16, 32, 32],
        "camera": [12, 8, 16, 8],
        "looks": [5, 3, 4, 4],
    },
    index=["m1", "m2", "m3", "m4"],
)
B = {"price": False, "storage": True, "camera": True, "looks": True}
W = [0.25, 0.25, 0.25, 0.25]


def topsis_by_hand(x: np.ndarray, w: np.ndarray, benefit: list[bool]) -> list[float]:
    """Hwang & Yoon's steps with explicit loops (independent of crmkit)."""
    m, n = x.shape
    norms = [math.sqrt(sum(x[i][j] ** 2 for i in range(m))) for j in range(n)]
    v = [[w[j] * x[i][j] / norms[j] for j in range(n)] for i in range(m)]
    ideal = [
        max(v[i][j] for i in range(m)) if benefit[j] else min(v[i][j] for i in range(m))
        for j in range(n)
    ]
    anti = [
        min(v[i][j] for i in range(m)) if benefit[j] else max(v[i][j] for i in range(m))
        for j in range(n)
    ]
    out = []
    for i in range(m):
        dp = math.sqrt(sum((v[i][j] - ideal[j]) ** 2 for j in range(n)))
        dm = math.sqrt(sum((v[i][j] - anti[j]) ** 2 for j in range(n)))
        out.append(dm / (dp + dm))
    return out


def test_topsis_against_hand_steps():
    got = topsis(M, W, B).to_numpy()
    expected = topsis_by_hand(M.to_numpy(float), np.array(W), [B[c] for c in M.columns])
    assert np.allclose(got, expected, rtol=1e-12)
    # m3 is best on storage and camera and good on looks; it wins despite its price
    assert topsis(M, W, B).idxmax() == "m3"


def test_weighted_sum_against_hand_steps():
    x = M.to_numpy(float)
    scaled = np.column_stack(
        [
            x[:, j] / x[:, j].max() if B[c] else x[:, j].min() / x[:, j]
            for j, c in enumerate(M.columns)
        ]
    )
    assert np.allclose(
        weighted_sum(M, W, B).to_numpy(), scaled @ np.array(W), rtol=1e-12
    )
    # weights are normalised, so scaling them changes nothing
    assert np.allclose(weighted_sum(M, [2, 2, 2, 2], B), weighted_sum(M, W, B))


@pytest.mark.parametrize("norm", ["max", "minmax", "sum", "vector"])
def test_normalisations_point_larger_is_better(norm):
    s = weighted_sum(M[["price"]], [1], {"price": False}, normalization=norm)
    assert s.idxmax() == "m2" and s.idxmin() == "m3"


def test_against_pymcdm_where_installed():
    pymcdm = pytest.importorskip("pymcdm")
    from pymcdm import normalizations as pn

    types = np.array([1 if B[c] else -1 for c in M.columns])
    x, w = M.to_numpy(float), np.array(W)
    # pymcdm's TOPSIS defaults to min-max normalisation; Hwang & Yoon use vector
    theirs = pymcdm.methods.TOPSIS(normalization_function=pn.vector_normalization)(
        x, w, types
    )
    assert np.allclose(topsis(M, W, B).to_numpy(), theirs, rtol=1e-9)
    wsm = pymcdm.methods.WSM(normalization_function=pn.linear_normalization)(
        x, w, types
    )
    assert np.allclose(weighted_sum(M, W, B).to_numpy(), wsm, rtol=1e-9)


def test_ties_stay_ties():
    tied = pd.DataFrame(
        {"a": [1.0, 1.0, 2.0], "b": [3.0, 3.0, 1.0]}, index=["x", "y", "z"]
    )
    ranks = rank_channels(tied, [1, 1], {"a": True, "b": True}).set_index("channel")[
        "rank"
    ]
    assert ranks["x"] == ranks["y"] == 1.5
    assert (
        rank_channels(tied, [1, 1], {"a": True, "b": True}, method="topsis").set_index(
            "channel"
        )["rank"]["x"]
        == 1.5
    )


def power_iteration(a: np.ndarray, steps: int = 200) -> tuple[np.ndarray, float]:
    w = np.ones(len(a)) / len(a)
    for _ in range(steps):
        w = a @ w
        w /= w.sum()
    return w, float((a @ w / w).mean())


def test_ahp_against_power_iteration_and_a_consistent_matrix():
    p = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    r = ahp_weights(p)
    w, lam = power_iteration(p)
    assert np.allclose(r.weights, w, rtol=1e-10)
    assert r.lambda_max == pytest.approx(lam, rel=1e-10)
    assert r.consistency_ratio == pytest.approx((lam - 3) / 2 / 0.58, rel=1e-9)
    truth = np.array([0.5, 0.3, 0.15, 0.05])
    consistent = truth[:, None] / truth[None, :]
    c = ahp_weights(consistent)
    assert np.allclose(c.weights, truth, rtol=1e-12)
    assert abs(c.consistency_ratio) < 1e-12 and c.consistent


def test_ahp_inconsistency_policy():
    bad = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    with pytest.warns(UserWarning, match="consistency ratio"):
        assert not ahp_weights(bad).consistent
    with pytest.raises(DataError, match="consistency ratio"):
        ahp_weights(bad, on_inconsistency="raise")
    ahp_weights(bad, on_inconsistency="ignore")


@pytest.mark.parametrize(
    ("matrix", "match"),
    [
        ([[1, 2], [0.5]], "square|shape|inhomogeneous"),
        ([[1, -2], [-0.5, 1]], "positive"),
        ([[1, 3], [0.33, 1]], "reciprocal"),
        ([[2, 3], [1 / 3, 1]], "diagonal"),
    ],
)
def test_ahp_bad_matrices(matrix, match):
    with pytest.raises((DataError, ValueError), match=match):
        ahp_weights(matrix)


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([-1, 1, 1, 1], "must not be negative"),
        ([0, 0, 0, 0], "sum to 0"),
        ([1, 1, 1], "3 weights"),
        ({"cost": 1}, "missing"),
    ],
)
def test_bad_weights(weights, match):
    with pytest.raises(ParameterError, match=match):
        weighted_sum(to_scores(course_channels()), weights, BENEFIT)


def test_course_table_and_mappings():
    t = course_channels()
    assert list(t.index) == ["face-to-face", "letter", "e-mail", "website", "phone"]
    assert (
        t.loc["face-to-face", "richness_zh"] == "很丰富"
        and t.loc["letter", "cost_zh"] == "中"
    )
    wide = course_channels(include_unrated=True)
    assert (~wide["rated_by_course"]).sum() == 6
    assert len(to_scores(wide)) == 5  # unrated channels dropped
    scores = to_scores(t)
    assert scores.loc["e-mail"].tolist() == [1, 4, 4, 2]
    assert set(MAPPINGS) == {"default", "equal_steps", "doubling"}
    with pytest.raises(DataError, match="not in the mapping"):
        to_scores(t, {**MAPPINGS["default"], "cost": {"low": 1, "high": 5}})
    with pytest.raises(ParameterError, match="unknown mapping"):
        to_scores(t, "logarithmic")


def test_sensitivity_lp_against_a_weight_scan():
    m = to_scores(course_channels())
    res = weight_sensitivity(m, BENEFIT, samples=5000, seed=1)
    assert res.exact and res.win_share.sum() == pytest.approx(1.0)
    # brute force: scan a grid of weights, find the closest weighting with another
    # winner
    from itertools import product

    from crmkit.channels import normalise

    scaled = normalise(m, np.array([BENEFIT[c] for c in m.columns])).to_numpy()
    # e-mail and website have identical ratings: they tie, and only a third channel can
    # beat them both
    assert res.base_winner == "e-mail = website"
    winners = [list(m.index).index(name) for name in res.base_winner.split(" = ")]
    steps = np.linspace(0, 1, 41)
    w0 = np.full(4, 0.25)
    best = np.inf
    for a, b, c in product(steps, steps, steps):
        if a + b + c > 1 + 1e-12:
            continue
        w = np.array([a, b, c, 1 - a - b - c])
        s = scaled @ w
        if s.max() - s[winners].max() > 1e-12:
            best = min(best, np.abs(w - w0).sum() / 2)
    assert res.smallest_change <= best + 1e-9  # the LP finds at least as close
    assert res.smallest_change >= best - 0.025 - 1e-9  # and the grid is 0.025 apart
    again = weight_sensitivity(m, BENEFIT, samples=5000, seed=1)
    pd.testing.assert_series_equal(res.win_share, again.win_share)


def test_topsis_sensitivity_is_sampled_and_mappings_compared():
    m = to_scores(course_channels())
    res = weight_sensitivity(m, BENEFIT, method="topsis", samples=2000, seed=3)
    assert not res.exact and res.smallest_change > 0
    ranks = mapping_sensitivity(course_channels(), [1, 1, 1, 1])
    assert ranks.shape == (5, 3) and (ranks.min() >= 1).all()


def test_channel_economics_uses_erlang_c():
    plan = pd.DataFrame(
        {
            "contacts_per_hour": [240.0, 600.0],
            "cost_per_contact": [5.25, 0.10],
            "handle_time_min": [3.0, np.nan],
            "agents": [14, np.nan],
        },
        index=["phone", "website"],
    )
    out = channel_economics(plan)
    q = MMc(arrival_rate=4.0, service_rate=1 / 3, servers=14)
    assert out.loc["phone", "mean_wait_s"] == pytest.approx(q.mean_wait * 60)
    assert out.loc["phone", "service_level"] == pytest.approx(q.service_level(1 / 3))
    assert out.loc["website", "cost_per_hour"] == pytest.approx(60.0)
    assert np.isnan(out.loc["website", "mean_wait_s"])
    unstable = channel_economics(plan.assign(agents=[10, np.nan]))
    assert "unstable" in unstable.loc["phone", "note"]


def test_channel_mix_optimum_and_shadow_price():
    ch = pd.DataFrame(
        {
            "cost_per_contact": [0.1, 5.25, 1.2],
            "value_per_contact": [0.3, 9.0, 2.5],
            "max_per_customer": [3, 1, 2],
            "capacity": [np.nan, 300, np.nan],
        },
        index=["e-mail", "phone", "letter"],
    )
    mix = channel_mix(ch, budget=2000, audience=1000)
    assert mix.total_cost <= 2000 + 1e-6
    assert mix.allocation.loc["phone", "contacts"] <= 300 + 1e-9
    richer = channel_mix(ch, budget=2001, audience=1000)
    assert richer.total_value - mix.total_value == pytest.approx(
        mix.value_of_budget, rel=1e-6
    )
    whole = channel_mix(ch, budget=2000, audience=1000, integer=True)
    assert np.allclose(
        whole.allocation["contacts"], np.round(whole.allocation["contacts"])
    )
    assert whole.total_value <= mix.total_value + 1e-9
    with pytest.raises(DataError):
        channel_mix(ch.assign(cost_per_contact=0), budget=10, audience=10)


def test_objective_task_budget():
    t = pd.DataFrame(
        {
            "goal": ["a", "a", "b"],
            "task": ["x", "y", "z"],
            "units": [2, 3, 10],
            "unit_cost": [10.0, 5.0, 1.0],
        }
    )
    out = objective_task_budget(t)
    assert out.attrs["total"] == 45.0
    sub = out[out["task"] == "subtotal"].set_index("goal")["cost"]
    assert sub.to_dict() == {"a": 35.0, "b": 10.0}
    with pytest.raises(DataError, match="units"):
        objective_task_budget(t.assign(units=[1, -1, 1]))


def test_journey_table_against_a_loop():
    log = make_interactions(150, seed=5)
    jt = journey_table(log)
    expected = 0
    for _, g in log.sort_values("timestamp").groupby("customer_id"):
        seen: dict[str, pd.Timestamp] = {}
        for _, row in g.iterrows():
            last = seen.get(row["topic"])
            if last is not None and row["timestamp"] - last <= pd.Timedelta(days=7):
                expected += 1
            seen[row["topic"]] = row["timestamp"]
    assert jt.customers["repeated_questions"].sum() == expected == len(jt.repeated)
    assert jt.switching.to_numpy().sum() == len(log) - log["customer_id"].nunique()
    assert (
        jt.response_times.loc["letter", "median_min"]
        > jt.response_times.loc["phone", "median_min"]
    )
    assert (jt.customers["contacts"] == log.groupby("customer_id").size()).all()


def test_generators_are_reproducible_and_shipped_files_match():
    pd.testing.assert_frame_equal(
        make_interactions(50, seed=9), make_interactions(50, seed=9)
    )
    shipped = load_interactions()
    from crmkit.datasets._registry import GENERATORS

    fresh = GENERATORS["interactions.csv"]()
    assert len(shipped) == len(fresh)
    assert (shipped["channel"].to_numpy() == fresh["channel"].to_numpy()).all()
    pd.testing.assert_frame_equal(
        load_email_campaign(), GENERATORS["email_campaign.csv"]()
    )


def test_email_open_rates_and_best_slots():
    c = load_email_campaign()
    rates = email_open_rates(c, by=("segment", "weekday"))
    k, n = rates.loc[("B2B", "Tue"), ["opens", "sends"]]
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert rates.loc[("B2B", "Tue"), "ci_low"] == pytest.approx(centre - half, rel=1e-9)
    b2b = best_send_slots(c, "B2B", top=5).reset_index()
    assert set(b2b["weekday"]) <= {"Tue", "Wed", "Mon", "Thu"}
    b2c = best_send_slots(c, "B2C", top=5).reset_index()
    assert set(b2c["weekday"]) & {"Fri", "Sat", "Sun"}
    with pytest.raises(DataError):
        email_open_rates(c.assign(opens=c["sends"] + 1))
    assert len(make_email_campaign(seed=1)) == 336


def test_channel_costs_data():
    costs = load_channel_costs()
    assert costs["cost_per_contact_usd"].gt(0).all()
    assert set(costs["contact_type"]) == {"assisted", "self-service"}
    assert costs["source"].str.len().gt(20).all()


def test_vectorised_topsis_equals_the_loop():
    from crmkit.channels import topsis
    from crmkit.channels._sensitivity import _topsis_many

    x = to_scores(course_channels())
    draws = np.random.default_rng(4).dirichlet(np.ones(4), size=200)
    many = _topsis_many(
        x.to_numpy(dtype=float), draws, np.array(list(BENEFIT.values()))
    )
    loop = np.column_stack([topsis(x, w, BENEFIT).to_numpy() for w in draws])
    np.testing.assert_allclose(many, loop, rtol=1e-12, atol=1e-15)
    assert (many.argmax(axis=0) == loop.argmax(axis=0)).all()
