"""The perceived-waiting teaching model follows each principle in the stated
direction."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from crmkit.errors import ParameterError, UnsupportedMetricError
from crmkit.queues import MMc, MMcK
from crmkit.waiting import (
    PRINCIPLES,
    PerceivedWaitModel,
    WaitConditions,
    announcement_patience_factor,
)

MODEL = PerceivedWaitModel()


def test_plain_wait_is_overestimated_by_36_percent_at_the_reference():
    assert MODEL.perceived(3.0) == pytest.approx(1.36 * 3.0, rel=1e-12)


def test_power_law_overestimates_short_waits_more():
    ratio = MODEL.perceived([0.5, 3.0, 20.0]) / np.array([0.5, 3.0, 20.0])
    assert ratio[0] > ratio[1] > ratio[2]
    assert MODEL.perceived(0.0) == 0.0


@pytest.mark.parametrize(("name", "_en", "_zh", "lengthens"), PRINCIPLES)
def test_each_principle_moves_the_perceived_wait_its_way(name, _en, _zh, lengthens):
    plain = WaitConditions()
    flipped = dataclasses.replace(plain, **{name: not getattr(plain, name)})
    longer = MODEL.perceived(4.0, flipped) > MODEL.perceived(4.0, plain)
    # flipping a default either switches a lengthening condition on or a shortening one
    # on; "fair" is on by default, so flipping it makes the wait unfair (longer)
    expected_longer = lengthens or name == "fair"
    assert longer == expected_longer


def test_more_valuable_service_is_waited_for_longer():
    cheap, dear = WaitConditions(service_value=0.5), WaitConditions(service_value=2.0)
    assert MODEL.acceptable(dear) == 4 * MODEL.acceptable(cheap)
    assert MODEL.evaluation(6.0, dear) > MODEL.evaluation(6.0, cheap)
    assert MODEL.evaluation([1.0, 5.0, 15.0]).tolist() == sorted(
        MODEL.evaluation([1.0, 5.0, 15.0]), reverse=True
    )


def test_breakdown_ends_at_the_perceived_wait():
    cond = WaitConditions(occupied=True, anxious=True, fair=False)
    table = MODEL.breakdown(6.0, cond)
    assert table["perceived_min"].iloc[-1] == pytest.approx(
        MODEL.perceived(6.0, cond), rel=1e-12
    )
    assert len(table) == 2 + 3


def test_expected_perceived_wait_matches_monte_carlo():
    q = MMc(arrival_rate=9.0, service_rate=1.0, servers=10)
    rng = np.random.default_rng(0)
    n = 2_000_000
    waits = np.where(
        rng.random(n) < q.prob_wait, rng.exponential(1 / (10 - 9.0), n), 0.0
    )
    mc = MODEL.perceived(waits).mean()
    assert MODEL.expected_perceived_wait(q) == pytest.approx(mc, rel=5e-3)
    # waits in hours, perceived in minutes
    q_h = MMc(arrival_rate=9.0 * 60, service_rate=60.0, servers=10)
    assert MODEL.expected_perceived_wait(
        q_h, minutes_per_time_unit=60
    ) == pytest.approx(MODEL.expected_perceived_wait(q), rel=1e-12)
    with pytest.raises(UnsupportedMetricError):
        MODEL.expected_perceived_wait(
            MMcK(arrival_rate=1, service_rate=1, servers=1, capacity=3)
        )


def test_announcement_factors_from_munichor_and_rafaeli():
    assert announcement_patience_factor("music") == 1.0
    assert announcement_patience_factor("apology") == pytest.approx(1.086, abs=1e-3)
    assert announcement_patience_factor("queue_position") == pytest.approx(
        2.698, abs=1e-3
    )
    with pytest.raises(ParameterError, match="queue_position"):
        announcement_patience_factor("silence")


def test_bad_parameters():
    with pytest.raises(ParameterError):
        PerceivedWaitModel(exponent=5.0)
    with pytest.raises(ParameterError):
        PerceivedWaitModel(multipliers={"boredom": 1.1})
    with pytest.raises(ParameterError):
        PerceivedWaitModel(multipliers={"occupied": -1.0})
    with pytest.raises(ParameterError):
        WaitConditions(occupied="yes")
    with pytest.raises(ParameterError):
        MODEL.perceived(-1.0)
    with pytest.raises(ParameterError):
        WaitConditions(service_value=0)


def test_a_plain_wait_has_no_factor_and_each_principle_one():
    assert set(MODEL.factors(WaitConditions()).values()) == {1.0}
    names = [name for name, *_ in PRINCIPLES]
    assert names == [f.name for f in dataclasses.fields(WaitConditions)][:7]
    for name in names:
        plain = WaitConditions()
        departed = dataclasses.replace(plain, **{name: not getattr(plain, name)})
        changed = {k for k, v in MODEL.factors(departed).items() if v != 1.0}
        assert changed == {name}
        assert departed.departures() == (name,)


def test_the_old_queue_names_warn_and_are_the_same_objects():
    import crmkit.queues
    import crmkit.waiting

    for name in ("PerceivedWaitModel", "WaitConditions", "announcement_patience_factor"):
        with pytest.warns(DeprecationWarning, match=f"crmkit.waiting.{name}"):
            assert getattr(crmkit.queues, name) is getattr(crmkit.waiting, name)
        assert name not in crmkit.queues.__all__
