"""Bad input to the calibration/holdout functions and the heat-map grids of
:mod:`crmkit.clv` gets a clear error that names the argument, shows the value and
says how to fix it (:func:`tests.adversarial.assert_clear_error`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmkit.clv import (
    BGNBD,
    CDNOW_TRUTH,
    alive_grid,
    calibration_holdout,
    compare_models,
    expected_grid,
    holdout_by_frequency,
    tracking,
)
from tests.adversarial import NOT_NUMBERS, assert_clear_error

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.clv.alive_grid",
    "crmkit.clv.calibration_holdout",
    "crmkit.clv.compare_models",
    "crmkit.clv.expected_grid",
    "crmkit.clv.holdout_by_frequency",
    "crmkit.clv.tracking",
)

MODEL = BGNBD(params_={k: CDNOW_TRUTH[k] for k in ("r", "alpha", "a", "b")})
LOG = pd.DataFrame(
    {
        "customer_id": [1, 1, 1, 2, 2, 3],
        "date": pd.to_datetime(
            [
                "2024-01-01",
                "2024-01-05",
                "2024-02-10",
                "2024-01-03",
                "2024-01-20",
                "2024-02-28",
            ]
        ),
        "amount": [10.0, 12.0, 8.0, 5.0, 5.0, 1.0],
    }
)
WINDOW = {"calibration_end": "2024-01-31", "holdout_end": "2024-02-28"}
CH = calibration_holdout(LOG, **WINDOW, time_unit="D")


def _split(**kwargs):
    args = {"transactions": LOG, **WINDOW, **kwargs}
    return calibration_holdout(**args)


def _with(column, values):
    return LOG.assign(**{column: values})


SPLIT_CASES = [
    (lambda: calibration_holdout([1, 2], **WINDOW), "transactions", None),
    (lambda: _split(customer_col="cust"), "customer_col", "cust"),
    (lambda: _split(date_col="day"), "date_col", "day"),
    (lambda: _split(amount_col="spend"), "amount_col", "spend"),
    (lambda: _split(date_col="customer_id", customer_col="customer_id"),
     "customer_col", "customer_id"),
    (lambda: _split(calibration_end="2024-02-28"), "calibration_end", "2024-02-28"),
    (lambda: _split(calibration_end="2024-03-01"), "calibration_end", "2024-03-01"),
    (lambda: _split(calibration_end="2023-12-31"), "calibration_end", "2023-12-31"),
    (lambda: _split(holdout_end="2024-03-01"), "holdout_end", "2024-03-01"),
    (lambda: _split(calibration_end=20240131), "calibration_end", 20240131),
    (lambda: _split(calibration_end="someday"), "calibration_end", "someday"),
    (lambda: _split(holdout_end=None), "holdout_end", None),
    (lambda: _split(holdout_end=math.nan), "holdout_end", math.nan),
    (lambda: _split(time_unit="M"), "time_unit", "M"),
    (lambda: _split(time_unit=7), "time_unit", 7),
    (lambda: calibration_holdout(
        _with("date", ["2024-01-01", "2024-13-45", *["2024-02-28"] * 4]), **WINDOW),
     "transactions['date']", "2024-13-45"),
    (lambda: calibration_holdout(_with("date", [20240101] * 6), **WINDOW),
     "transactions['date']", 20240101),
    (lambda: _split(transactions=_with("amount", [1.0, -2.0, 1, 1, 1, 1]),
                    amount_col="amount"), "transactions['amount']", -2.0),
    (lambda: calibration_holdout(LOG.iloc[:0], **WINDOW), "transactions", None),
]  # fmt: skip


@pytest.mark.parametrize(("call", "name", "value"), SPLIT_CASES)
def test_calibration_holdout_refuses(call, name, value):
    assert_clear_error(call, name, value, show_value=value is not None)


def test_tracking_refuses_bad_arguments():
    assert_clear_error(
        lambda: tracking(
            MODEL, LOG, calibration_end="2024-03-01", holdout_end="2024-02-28"
        ),
        "calibration_end",
        "2024-03-01",
    )
    assert_clear_error(lambda: tracking(BGNBD(), LOG, **WINDOW), "model", "BGNBD")
    assert_clear_error(lambda: tracking(BGNBD, LOG, **WINDOW), "model", "BGNBD")
    assert_clear_error(
        lambda: tracking(MODEL, LOG, **WINDOW, time_unit="Y"), "time_unit", "Y"
    )


def test_tracking_refuses_a_grid_too_large_to_sum():
    # 20,000 distinct first-purchase days and 20,000 daily periods: 4e8 sums
    days = pd.Timestamp("1950-01-01") + pd.to_timedelta(np.arange(20_000), unit="D")
    log = pd.DataFrame({"customer_id": np.arange(20_000), "date": days})
    end = str(days[-1].date())
    assert_clear_error(
        lambda: tracking(
            MODEL, log, calibration_end="2000-01-01", holdout_end=end, time_unit="D"
        ),
        "tracking",
        show_value=False,
    )


def _table(**columns):
    return CH.assign(**columns)


HOLDOUT_CASES = [
    (lambda: holdout_by_frequency(BGNBD, CH), "model", "BGNBD"),
    (lambda: holdout_by_frequency(BGNBD(), CH), "model", "BGNBD"),
    (lambda: holdout_by_frequency("BGNBD", CH), "model", "BGNBD"),
    (lambda: holdout_by_frequency(MODEL, CH.drop(columns="frequency_holdout")),
     "frequency_holdout", "frequency_holdout"),
    (lambda: holdout_by_frequency(MODEL, CH.to_numpy()), "cal_holdout", None),
    (lambda: holdout_by_frequency(MODEL, _table(recency_cal=CH["T_cal"] + 1)),
     "recency_cal", None),
    (lambda: holdout_by_frequency(MODEL, _table(frequency_holdout=[-1, 0])),
     "frequency_holdout", -1),
    (lambda: holdout_by_frequency(MODEL, _table(frequency_holdout=[0.5, 0])),
     "frequency_holdout", 0.5),
    (lambda: holdout_by_frequency(MODEL, _table(duration_holdout=0.0)),
     "duration_holdout", 0),
    (lambda: holdout_by_frequency(MODEL, _table(duration_holdout=math.inf)),
     "duration_holdout", math.inf),
    (lambda: holdout_by_frequency(MODEL, CH.iloc[:0]), "cal_holdout", None),
    *[(lambda v=v: holdout_by_frequency(MODEL, CH, max_frequency=v),
       "max_frequency", v) for v in (0, -3, 2.5, math.nan, "7", True, None)],
]  # fmt: skip


@pytest.mark.parametrize(("call", "name", "value"), HOLDOUT_CASES)
def test_holdout_by_frequency_refuses(call, name, value):
    assert_clear_error(call, name, value, show_value=value is not None)


class _NoLikelihood:
    """A duck-typed model with hand-set parameters and no way to evaluate its
    likelihood."""

    params_ = {"r": 1.0}  # noqa: RUF012
    log_likelihood_ = math.nan

    def fit(self, *args):
        return self

    def expected_purchases(self, t, x, tx, T):
        return np.zeros(len(x))


COMPARE_CASES = [
    (lambda: compare_models("BGNBD", CH), "models", "BGNBD"),
    (lambda: compare_models(BGNBD, CH), "models", "BGNBD"),
    (lambda: compare_models([], CH), "models", None),
    (lambda: compare_models({}, CH), "models", None),
    (lambda: compare_models([42], CH), "models['int']", 42),
    (lambda: compare_models([str], CH), "models['str']", None),
    (lambda: compare_models([_NoLikelihood()], CH), "models['_NoLikelihood']", None),
    (lambda: compare_models([MODEL], CH.drop(columns="T_cal")), "T_cal", "T_cal"),
]


@pytest.mark.parametrize(("call", "name", "value"), COMPARE_CASES)
def test_compare_models_refuses(call, name, value):
    assert_clear_error(call, name, value, show_value=value is not None)


BAD_AGES = [0.0, -1.0, math.nan, math.inf, 1e20, *NOT_NUMBERS]

GRID_CASES = [
    *[(lambda v=v: alive_grid(MODEL, v), "T", v) for v in BAD_AGES],
    *[(lambda v=v: expected_grid(MODEL, v, 39.0), "t", v) for v in BAD_AGES],
    *[(lambda v=v: expected_grid(MODEL, 52.0, v), "T", v) for v in BAD_AGES],
    *[(lambda v=v: alive_grid(MODEL, 39.0, max_frequency=v), "max_frequency", v)
      for v in (0, 2.5, "3", None, 10**6)],
    *[(lambda v=v: alive_grid(MODEL, 39.0, recency_points=v), "recency_points", v)
      for v in (1, 0, 2.5, "3", None)],
    (lambda: alive_grid(MODEL, 39.0, max_frequency=10**4, recency_points=10**4),
     "max_frequency", None),
    (lambda: alive_grid(BGNBD(), 39.0), "model", "BGNBD"),
    (lambda: expected_grid(object(), 52.0, 39.0), "model", None),
]  # fmt: skip


@pytest.mark.parametrize(("call", "name", "value"), GRID_CASES)
def test_grids_refuse(call, name, value):
    shown = value is not None and not isinstance(value, dict | list | bytes | complex)
    assert_clear_error(call, name, value, show_value=shown)
