"""CSAT and NPS with confidence intervals, against independent computations: the
Wilson interval written out from its closed form, the NPS variance by exact enumeration
of the trinomial distribution, and seeded coverage simulations whose Monte Carlo
error is stated."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from crmkit.segmentation import SurveyScore, csat_score, nps_score


def _wilson(k: int, n: int, level: float) -> tuple[float, float]:
    # E. B. Wilson (1927): the roots of (p̂ − p)² = z² p (1 − p) / n
    z = stats.norm.ppf(0.5 + level / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(("k", "n"), [(0, 5), (3, 10), (7, 10), (40, 41), (812, 1075)])
@pytest.mark.parametrize("level", [0.8, 0.95, 0.99])
def test_csat_is_the_top_two_box_share_with_the_wilson_interval(k, n, level):
    scores = [5] * (k // 2) + [4] * (k - k // 2) + [3] * ((n - k) // 2)
    scores += [1] * (n - len(scores))
    s = csat_score(scores, level=level)
    low, high = _wilson(k, n, level)
    assert s.estimate == pytest.approx(100 * k / n, abs=1e-12)
    assert s.lower == pytest.approx(100 * low, rel=1e-10, abs=1e-10)
    assert s.upper == pytest.approx(100 * high, rel=1e-10, abs=1e-10)
    assert s.n == n and s.metric == "CSAT"


def test_csat_satisfied_threshold_moves_the_cut():
    scores = [1, 2, 3, 3, 4, 5]
    assert csat_score(scores, satisfied=3).estimate == pytest.approx(400 / 6)
    assert csat_score(scores, satisfied=5).estimate == pytest.approx(100 / 6)


def _exact_nps_variance(p: tuple[float, float, float], n: int) -> float:
    # enumerate every trinomial outcome (promoters, passives, detractors)
    mean = second = 0.0
    for a, b in itertools.product(range(n + 1), repeat=2):
        c = n - a - b
        if c < 0:
            continue
        w = stats.multinomial.pmf([a, b, c], n, p)
        x = (a - c) / n
        mean += w * x
        second += w * x * x
    return second - mean * mean


@pytest.mark.parametrize(
    "scores",
    [
        [10, 9, 9, 8, 7, 6, 3, 10, 9, 5],
        [10, 10, 10, 0],
        [7, 8, 8, 9, 2, 3],
        [9, 9, 9, 9, 9, 9, 0, 0, 0, 7, 8, 8],
    ],
)
def test_nps_standard_error_is_the_exact_trinomial_variance(scores):
    s = nps_score(scores)
    n = len(scores)
    p = (s.shares["promoters"], s.shares["passives"], s.shares["detractors"])
    assert s.standard_error == pytest.approx(
        100 * math.sqrt(_exact_nps_variance(p, n)), rel=1e-9
    )
    promoters = sum(x >= 9 for x in scores) / n
    detractors = sum(x <= 6 for x in scores) / n
    assert s.estimate == pytest.approx(100 * (promoters - detractors))
    z = stats.norm.ppf(0.975)
    assert s.lower == pytest.approx(max(-100, s.estimate - z * s.standard_error))
    assert s.upper == pytest.approx(min(100, s.estimate + z * s.standard_error))


def test_the_docstring_example_by_hand():
    s = nps_score([10, 9, 9, 8, 7, 6, 3, 10, 9, 5])
    se = math.sqrt((0.5 + 0.3 - 0.2**2) / 10)
    assert s.estimate == pytest.approx(20.0)
    assert s.lower == pytest.approx(100 * (0.2 - 1.959963984540054 * se))


def test_nps_interval_is_clipped_to_the_scale():
    s = nps_score([10, 10, 9])
    assert s.estimate == 100 and s.upper == 100 and s.standard_error == 0
    assert nps_score([0, 1], method="bootstrap", seed=1).lower == -100


def test_wald_interval_covers_the_true_nps_about_95_percent_of_the_time():
    rng = np.random.default_rng(20240601)
    p = np.array([0.30, 0.35, 0.35])  # promoters, passives, detractors: NPS = -5
    truth, n, reps = -5.0, 400, 2000
    hits = 0
    for _ in range(reps):
        counts = rng.multinomial(n, p)
        scores = [10] * counts[0] + [8] * counts[1] + [3] * counts[2]
        s = nps_score(scores)
        hits += s.lower <= truth <= s.upper
    cover = hits / reps
    se = math.sqrt(0.95 * 0.05 / reps)  # Monte Carlo error of the coverage
    assert abs(cover - 0.95) < 4 * se


def test_bootstrap_agrees_with_the_wald_interval_on_a_large_sample():
    rng = np.random.default_rng(7)
    scores = rng.integers(0, 11, 1_000)
    wald = nps_score(scores)
    boot = nps_score(scores, method="bootstrap", n_boot=20_000, seed=3)
    assert boot.estimate == wald.estimate
    # percentile limits of 20,000 draws: within half a point of the normal limits
    assert boot.lower == pytest.approx(wald.lower, abs=0.5)
    assert boot.upper == pytest.approx(wald.upper, abs=0.5)
    again = nps_score(scores, method="bootstrap", n_boot=20_000, seed=3)
    assert again == boot


def test_results_summarise_and_leave_the_input_alone():
    scores = np.array([9, 3, 7, 10])
    copy = scores.copy()
    s = nps_score(scores)
    assert isinstance(s, SurveyScore)
    np.testing.assert_array_equal(scores, copy)
    assert s.summary().startswith("NPS = 25.0 (95% CI")
    frame = csat_score([5, 4, 2]).to_frame()
    assert frame.loc[0, "metric"] == "CSAT" and frame.loc[0, "n"] == 3
