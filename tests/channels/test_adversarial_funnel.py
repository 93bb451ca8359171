"""Bad input to :func:`crmkit.channels.funnel_conversion` gets a clear error that names
the argument, shows the value and says how to fix it
(:func:`tests.adversarial.assert_clear_error`)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from crmkit.channels import funnel_conversion
from tests.adversarial import NOT_NUMBERS, assert_clear_error

pytestmark = pytest.mark.adversarial

COVERS = ("crmkit.channels.funnel_conversion",)

GOOD = pd.DataFrame({"stage": ["lead", "visit", "signed"], "count": [100, 40, 10]})


def _with(**columns):
    return GOOD.assign(**columns)


CASES = [
    (lambda: funnel_conversion([100, 40, 10]), "stages", None),
    (lambda: funnel_conversion(GOOD, stage_col="step"), "stage_col", "step"),
    (lambda: funnel_conversion(GOOD, count_col="n"), "count_col", "n"),
    (lambda: funnel_conversion(GOOD.iloc[:1]), "stages", None),
    (lambda: funnel_conversion(GOOD.iloc[:0]), "stages", None),
    (
        lambda: funnel_conversion(_with(stage=["lead", None, "signed"])),
        "stages['stage']",
        None,
    ),
    (
        lambda: funnel_conversion(_with(stage=["lead", "lead", "signed"])),
        "stages['stage']",
        "lead",
    ),
    (lambda: funnel_conversion(_with(count=[100, -40, -50])), "stages['count']", -40.0),
    (lambda: funnel_conversion(_with(count=[100, 40.5, 10])), "stages['count']", 40.5),
    (
        lambda: funnel_conversion(_with(count=[100, math.nan, 10])),
        "stages['count']",
        None,
    ),
    (
        lambda: funnel_conversion(_with(count=[math.inf, 40, 10])),
        "stages['count']",
        None,
    ),
    (lambda: funnel_conversion(_with(count=[0, 0, 0])), "stages['count']", "lead"),
    (lambda: funnel_conversion(_with(count=[100, 40, 50])), "stages['count']", 50),
    (lambda: funnel_conversion(_with(count=[10, 40, 100])), "stages['count']", "visit"),
]


@pytest.mark.parametrize(("call", "name", "value"), CASES)
def test_bad_input_is_refused_clearly(call, name, value):
    assert_clear_error(call, name, value, show_value=value is not None)


@pytest.mark.parametrize("bad", [v for v in NOT_NUMBERS if not isinstance(v, dict)])
def test_counts_that_are_not_numbers(bad):
    frame = GOOD.astype({"count": object})
    frame.loc[1, "count"] = bad
    assert_clear_error(
        lambda: funnel_conversion(frame), "stages['count']", show_value=False
    )


@pytest.mark.parametrize("bad", [True, None, 3, ["stage"]])
def test_bad_column_arguments(bad):
    assert_clear_error(
        lambda: funnel_conversion(GOOD, stage_col=bad), "stage_col", show_value=False
    )
