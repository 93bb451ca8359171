"""Values of :func:`crmkit.channels.funnel_conversion`, checked against an independent
count of prospect-level records and against hand-worked numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmkit.channels import funnel_conversion

STAGES = ["lead", "contact", "trial", "offer", "signed"]


def _prospects(seed: int, n: int = 5000) -> np.ndarray:
    """The furthest stage (0..4) each prospect reached, drawn stage by stage."""
    rng = np.random.default_rng(seed)
    rates = [0.6, 0.45, 0.7, 0.5]
    reached = np.zeros(n, dtype=int)
    alive = np.ones(n, dtype=bool)
    for k, p in enumerate(rates, start=1):
        alive &= rng.random(n) < p
        reached[alive] = k
    return reached


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_a_count_of_prospect_records(seed):
    reached = _prospects(seed)
    counts = [(reached >= k).sum() for k in range(len(STAGES))]
    table = funnel_conversion(pd.DataFrame({"stage": STAGES, "count": counts}))
    # independent: rates straight from the records, one stage at a time
    for k, name in enumerate(STAGES):
        at = reached >= k
        assert table.loc[name, "count"] == at.sum()
        assert table.loc[name, "cumulative_rate"] == pytest.approx(at.mean(), abs=1e-15)
        if k:
            before = reached >= k - 1
            assert table.loc[name, "step_rate"] == pytest.approx(
                at[before].mean(), abs=1e-15
            )
            assert table.loc[name, "lost"] == (reached == k - 1).sum()
    # the cumulative rate is the product of the step rates
    prod = np.cumprod(table["step_rate"].fillna(1.0).to_numpy())
    np.testing.assert_allclose(prod, table["cumulative_rate"], rtol=1e-12)
    assert table["lost_share"].sum() == pytest.approx(1 - table.attrs["overall"])


def test_hand_worked_funnel_and_its_leak():
    table = funnel_conversion(
        pd.DataFrame({"stage": ["a", "b", "c", "d"], "count": [200, 150, 30, 24]})
    )
    assert math.isnan(table.loc["a", "step_rate"])
    assert table["step_rate"].iloc[1:].tolist() == [0.75, 0.2, 0.8]
    assert table["lost"].tolist() == [0, 50, 120, 6]
    assert table.attrs == {"overall": 0.12, "leak": "c"}


def test_leak_ties_take_the_first_and_zero_stages_stay_nan():
    tie = funnel_conversion(
        pd.DataFrame({"stage": list("abc"), "count": [100, 50, 25]})
    )
    assert tie.attrs["leak"] == "b"
    empty = funnel_conversion(pd.DataFrame({"stage": list("abc"), "count": [10, 0, 0]}))
    assert empty.loc["b", "step_rate"] == 0.0
    assert math.isnan(empty.loc["c", "step_rate"])
    assert empty.attrs == {"overall": 0.0, "leak": "b"}


def test_other_column_names_and_input_not_modified():
    frame = pd.DataFrame({"step": ["x", "y"], "n": [8, 2]}, index=[5, 7])
    before = frame.copy()
    table = funnel_conversion(frame, stage_col="step", count_col="n")
    pd.testing.assert_frame_equal(frame, before)
    assert table.index.tolist() == ["x", "y"]
    assert table.loc["y", "step_rate"] == 0.25
