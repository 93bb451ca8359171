"""Bad input to :func:`crmkit.clv.loyalty_programme` gets a clear error that names the
argument, shows the value and says how to fix it
(:func:`tests.adversarial.assert_clear_error`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmkit.clv import loyalty_programme
from tests.adversarial import NOT_NUMBERS, assert_clear_error

pytestmark = pytest.mark.adversarial

COVERS = ("crmkit.clv.loyalty_programme",)
EXEMPT = {
    "crmkit.clv.LoyaltyProgramme": "a result that loyalty_programme builds from "
    "checked input; users never construct it",
}

TIERS = pd.DataFrame(
    {"threshold": [0, 100, 300], "point_rate": [1, 2, 3], "benefit_cost": [0, 5, 30]},
    index=["普通会员", "高级会员", "VIP会员"],
)
SPEND = [50.0, 80.0, 150.0, 500.0]
KW = {"margin": 0.3, "retention": 0.6, "discount_rate": 0.1}


def _call(spend=SPEND, tiers=TIERS, **kwargs):
    return loyalty_programme(spend, tiers, **{**KW, **kwargs})


def _tiers(**columns):
    return TIERS.assign(**columns)


CASES = [
    # spend
    (lambda: _call(spend="500"), "spend", "500"),
    (lambda: _call(spend=None), "spend", None),
    (lambda: _call(spend=[]), "spend", None),
    (lambda: _call(spend=[50.0, -1.0]), "spend", -1.0),
    (lambda: _call(spend=[50.0, math.nan]), "spend", math.nan),
    (lambda: _call(spend=[50.0, math.inf]), "spend", math.inf),
    (lambda: _call(spend=[50.0, True]), "spend", True),
    (lambda: _call(spend=pd.DataFrame({"s": SPEND})), "spend", None),
    # tiers
    (lambda: _call(tiers=TIERS.to_numpy()), "tiers", None),
    (lambda: _call(tiers=TIERS.drop(columns="point_rate")), "point_rate", None),
    (lambda: _call(tiers=TIERS.iloc[:0]), "tiers", None),
    (lambda: _call(tiers=TIERS.set_axis(["a", "a", "b"])), "tiers", "a"),
    (lambda: _call(tiers=_tiers(threshold=[0, 300, 100])), "tiers['threshold']", 100),
    (lambda: _call(tiers=_tiers(threshold=[0, 100, 100])), "tiers['threshold']", 100),
    (lambda: _call(tiers=_tiers(threshold=[-10, 100, 300])), "tiers['threshold']",
     -10),
    (lambda: _call(tiers=_tiers(threshold=[0, 100, math.inf])),
     "tiers['threshold']", math.inf),
    (lambda: _call(tiers=_tiers(point_rate=[1, -2, 3])), "tiers['point_rate']", -2),
    (lambda: _call(tiers=_tiers(benefit_cost=[0, 5, -30])), "tiers['benefit_cost']",
     -30),
    (lambda: _call(tiers=_tiers(benefit_cost=[0, math.nan, 30])),
     "tiers['benefit_cost']", math.nan),
    (lambda: _call(tiers=_tiers(benefit_cost=["0", "5", "30"])),
     "tiers['benefit_cost']", "0"),
    # retention
    *[(lambda v=v: _call(retention=v), "retention", v)
      for v in (0.0, 1.0, 1.2, -0.1, 80, math.nan, math.inf)],
    *[(lambda v=v: _call(retention=v), "retention", v)
      for v in ("0.6", None, True, b"0.6")],
    (lambda: _call(retention=[0.5, 0.6]), "retention", 2),
    (lambda: _call(retention=[0.5, 0.6, 1.0]), "retention['VIP会员']", 1.0),
    (lambda: _call(retention=[0.5, "x", 0.7]), "retention['高级会员']", "x"),
    # margin, discount rate, point value
    *[(lambda v=v: _call(margin=v), "margin", v)
      for v in (0.0, -0.3, 1.5, 30, math.nan, math.inf, *NOT_NUMBERS[:6])],
    *[(lambda v=v: _call(discount_rate=v), "discount_rate", v)
      for v in (-0.1, 10, math.nan, math.inf, "0.1", None, True)],
    *[(lambda v=v: _call(point_value=v), "point_value", v)
      for v in (-0.01, math.nan, math.inf, "0.01", None, True)],
    # values too large for floats
    (lambda: _call(spend=[1e308], tiers=_tiers(point_rate=[1e308, 1e308, 1e308])),
     "spend", None),
    (lambda: _call(spend=[1e308], retention=1 - 1e-16, discount_rate=0), "spend",
     None),
    (lambda: _call(spend=[1e300] * 3, tiers=_tiers(benefit_cost=[1e308] * 3)),
     "spend", None),
]  # fmt: skip


@pytest.mark.parametrize(("call", "name", "value"), CASES)
def test_loyalty_programme_refuses(call, name, value):
    assert_clear_error(call, name, value, show_value=value is not None)


def test_the_refused_inputs_are_left_as_they_were():
    spend = np.array([50.0, -1.0])
    tiers = _tiers(threshold=[0, 300, 100])
    for kwargs in ({"spend": spend}, {"tiers": tiers}):
        with pytest.raises(ValueError):
            _call(**kwargs)
    np.testing.assert_array_equal(spend, [50.0, -1.0])
    assert tiers["threshold"].tolist() == [0, 300, 100]
