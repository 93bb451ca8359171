"""crmkit against the published textbook and calculator examples in
../shared/reference."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from crmkit.queues import MM1, MMc, PriorityMMc, erlang_c, max_offered_load, staff

REF = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "reference"
    / "queues_published_examples.json"
)


def _examples() -> dict[str, dict]:
    if not REF.exists():
        pytest.skip("../shared/reference is not beside this clone")
    return {e["id"]: e for e in json.loads(REF.read_text(encoding="utf-8"))["examples"]}


def _ours(example_id: str) -> dict[str, float]:
    """What crmkit computes for each value the example lists, in the example's units."""
    if example_id == "bronson_23_3_mm1":
        m = MM1(arrival_rate=24.0, service_rate=30.0)  # per hour
        return {
            "mean_in_system": m.mean_number_in_system,
            "mean_sojourn_h": m.mean_time_in_system,
            "p0": m.prob_empty,
        }
    if example_id == "bronson_23_14_mm1":
        m = MM1(arrival_rate=30.0, service_rate=60 / 1.5)  # per hour
        return {
            "mean_queue_len": m.mean_queue_length,
            "mean_wait_min": m.mean_wait * 60,
            "p0": m.prob_empty,
        }
    if example_id == "bronson_24_6_mm3":
        m = MMc(arrival_rate=300.0, service_rate=182.5, servers=3)  # per year
        return {
            "mean_queue_len": m.mean_queue_length,
            "mean_in_system": m.mean_number_in_system,
            "mean_wait_yr": m.mean_wait,
            "mean_sojourn_yr": m.mean_time_in_system,
            "p0": m.prob_empty,
            "mean_wait_days": m.mean_wait * 365,
            "mean_sojourn_days": m.mean_time_in_system * 365,
        }
    if example_id == "erlangc_100calls_30min_14agents":
        m = MMc(arrival_rate=100 / 1800, service_rate=1 / 180, servers=14)  # per second
        return {
            "p_wait": m.prob_wait,
            "service_level": m.service_level(20.0),
            "asa_s": m.mean_wait,
        }
    if example_id == "erlangb_15lines_1pct":
        return {"max_offered_load": max_offered_load(15, 0.01)}
    if example_id == "erlangc_20E_15pct_delay":
        lam, mu = 600 / 3600, 1 / 120  # per second
        return {
            "agents_for_15pct": staff(lam, mu, service_level=0.85, within=0.0).servers,
            "asa_s_at_26": MMc(arrival_rate=lam, service_rate=mu, servers=26).mean_wait,
            "p_wait_at_30": erlang_c(30, 20.0),
            "max_load_30_agents_15pct": max_offered_load(30, target_prob_wait=0.15),
        }
    if example_id == "priority_mm1_1_9_per_hour":
        p = PriorityMMc(arrival_rates=[1.0, 9.0], service_rate=12.0, servers=1)
        high, low = p.mean_time_in_system
        return {
            "sojourn_high_min": high * 60,
            "sojourn_low_min": low * 60,
            "W0_h": p.prob_wait / (p.servers * p.service_rate),
        }
    raise KeyError(example_id)


def _ids() -> list[str]:
    if not REF.exists():
        return []
    return [e["id"] for e in json.loads(REF.read_text(encoding="utf-8"))["examples"]]


@pytest.mark.parametrize("example_id", _ids())
def test_exact_values_to_1e_9(example_id):
    ex = _examples()[example_id]
    ours = _ours(example_id)
    assert set(ours) == set(ex["computed"]), "every published value is checked"
    for key, ref in ex["computed"].items():
        if isinstance(ref["value"], int):
            assert ours[key] == ref["value"], key
        else:
            assert ours[key] == pytest.approx(ref["value"], rel=1e-9, abs=1e-15), key


@pytest.mark.parametrize("example_id", _ids())
def test_book_values_within_their_rounding(example_id):
    ex = _examples()[example_id]
    ours = _ours(example_id)
    for key, printed in ex["book_values"].items():
        tol = ex["abs_tolerance"][key]
        assert math.isclose(ours[key], printed, abs_tol=tol + 1e-12), (
            key,
            ours[key],
            printed,
        )
