"""Call logs: the reader on the real Anonymous Bank file, the generator, the
estimators."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmkit.datasets import load_call_centre
from crmkit.errors import DataError, ParameterError
from crmkit.queues.calllog import (
    CALL_LOG_COLUMNS,
    CallCentreCalibration,
    abandonment_vs_wait,
    agents_by_hour,
    arrival_rates_by_hour,
    make_call_log,
    patience_curve,
    read_call_log,
    replay_call_log,
    service_time_fit,
)

WORKWEEK = [6, 0, 1, 2, 3]


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return load_call_centre()


@pytest.fixture(scope="module")
def real(shared_data) -> pd.DataFrame:
    return read_call_log(shared_data / "anonymous_bank_callcenter_1999-02.tsv")


def test_reader_on_the_real_file(real):
    assert real.attrs["dropped"]["PHANTOM"] == 278
    assert real.attrs["dropped"]["negative vru_time"] > 0
    assert len(real) == 33_344 - 278 - real.attrs["dropped"]["negative vru_time"]
    assert set(real["outcome"].cat.categories) == {"AGENT", "HANG"}
    assert (
        real.loc[real["served"], "ser_exit"] >= real.loc[real["served"], "ser_start"]
    ).all()
    assert real["date"].dt.month.unique().tolist() == [2]
    not_queued = ~real["queued"]
    assert real.loc[not_queued, "q_start"].isna().all()


def test_estimators_on_the_real_file(real):
    fit = service_time_fit(real, min_seconds=10, types=["PS"])
    assert fit["log_sd"] == pytest.approx(0.88, abs=0.03)  # Brown et al. (2005)
    assert 170 < fit["mean_s"] < 215
    rates = arrival_rates_by_hour(real, weekdays=WORKWEEK)
    assert rates["calls_per_day"].sum() == pytest.approx(1_514, rel=0.02)
    assert int(rates["calls_per_day"].idxmax()) == 10
    curve, mean_s = patience_curve(real)
    assert curve["survival"].is_monotonic_decreasing
    assert 100 < mean_s < 1500
    points = abandonment_vs_wait(real)
    assert points.attrs["slope_per_s"] > 0
    # measured on February 1999: r = 0.49 over (day, hour) cells with 20+ calls
    assert np.corrcoef(points["mean_wait_s"], points["abandonment"])[0, 1] > 0.4


def test_generator_shape_matches_the_real_file(real, synthetic):
    a = arrival_rates_by_hour(real, weekdays=WORKWEEK)["calls_per_day"]
    b = arrival_rates_by_hour(synthetic, weekdays=WORKWEEK)["calls_per_day"]
    assert np.corrcoef(a, b)[0, 1] > 0.97


def test_synthetic_log_is_calibrated(synthetic):
    per_day = synthetic.groupby(synthetic["date"].dt.day_of_week).size() / 2
    assert per_day.loc[WORKWEEK].mean() == pytest.approx(1500, rel=0.03)
    fit = service_time_fit(synthetic)
    assert fit["mean_s"] == pytest.approx(187, rel=0.03)
    assert fit["log_sd"] == pytest.approx(0.88, abs=0.02)
    assert (~synthetic["served"]).mean() == pytest.approx(0.13, abs=0.015)
    _, mean_s = patience_curve(synthetic)
    assert 200 < mean_s < 400  # true mean 360 s, restricted by censoring
    assert synthetic.loc[~synthetic["queued"], "customer_id"].eq("0").all()


def test_generator_is_reproducible_and_in_layout():
    a = make_call_log(1, seed=4)
    b = make_call_log(1, seed=4)
    c = make_call_log(1, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert list(a.columns) == list(CALL_LOG_COLUMNS)
    assert a["date"].str.fullmatch(r"\d{6}").all()
    assert a["vru_entry"].str.fullmatch(r"\d{1,2}:\d{2}:\d{2}").all()
    quiet = make_call_log(
        1, seed=4, calibration=CallCentreCalibration(calls_per_workday=300)
    )
    assert len(quiet) < len(a) / 3


def test_shipped_file_is_what_the_generator_writes(repo):
    from crmkit.datasets._registry import GENERATORS

    fresh = GENERATORS["call_centre.csv"]()
    shipped = pd.read_csv(
        repo / "datasets" / "call_centre.csv", dtype=str, keep_default_na=False
    )
    pd.testing.assert_frame_equal(fresh.astype(str), shipped)


def test_replay_with_more_agents_helps(synthetic):
    day = synthetic["date"].iloc[0]
    base = agents_by_hour(synthetic, day)
    more = [a + 2 if h == 10 else a for h, a in enumerate(base)]
    fewer = [max(a - 1, 1) if 9 <= h <= 12 else a for h, a in enumerate(base)]
    a = replay_call_log(synthetic, day, base, replications=8, seed=1)
    b = replay_call_log(synthetic, day, more, replications=8, seed=1)
    c = replay_call_log(synthetic, day, fewer, replications=8, seed=1)
    assert b.loc[10, "mean_wait_s"] <= a.loc[10, "mean_wait_s"]
    assert c.loc["day", "abandonment"] > a.loc["day", "abandonment"]
    assert a.loc["day", "calls"] == (synthetic["date"] == day).sum()
    logged = synthetic[synthetic["date"] == day]
    # replaying the logged staffing roughly reproduces the logged abandonment
    assert a.loc["day", "abandonment"] == pytest.approx(
        (~logged["served"]).mean(), abs=0.05
    )


def test_reader_errors(tmp_path):
    good = make_call_log(1, seed=1).head(5)
    p = tmp_path / "missing.csv"
    good.drop(columns=["q_time"]).to_csv(p, index=False)
    with pytest.raises(DataError, match="q_time"):
        read_call_log(p)
    bad_date = good.copy()
    bad_date.loc[2, "date"] = "99-02-01"
    p = tmp_path / "date.csv"
    bad_date.to_csv(p, index=False)
    with pytest.raises(DataError, match=r"row 2.*yymmdd"):
        read_call_log(p)
    bad_time = good.copy()
    bad_time.loc[1, "ser_start"] = "noon"
    p = tmp_path / "time.csv"
    bad_time.to_csv(p, index=False)
    with pytest.raises(DataError, match=r"ser_start.*row 1"):
        read_call_log(p)
    with pytest.raises(DataError, match="does not exist"):
        read_call_log(tmp_path / "nope.csv")


def test_estimator_errors(synthetic):
    with pytest.raises(DataError):
        service_time_fit(pd.DataFrame({"x": [1]}))
    with pytest.raises(ParameterError, match="24"):
        replay_call_log(synthetic, synthetic["date"].iloc[0], [3] * 5)
    with pytest.raises(DataError, match="no calls"):
        replay_call_log(synthetic, "1990-01-01", [3] * 24)
    served_only = synthetic[synthetic["served"]]
    with pytest.raises(DataError, match="abandoned"):
        patience_curve(served_only)


def test_reader_leaves_the_file_alone(tmp_path):
    log = make_call_log(1, seed=2).head(50)
    p = tmp_path / "log.csv"
    log.to_csv(p, index=False)
    before = p.read_bytes()
    read_call_log(p)
    assert p.read_bytes() == before


def test_call_log_names_are_exported_from_the_package():
    import crmkit.queues
    import crmkit.queues.calllog as calllog

    for name in calllog.__all__:
        assert getattr(crmkit.queues, name) is getattr(calllog, name), name
        assert name in crmkit.queues.__all__, name


def test_default_profiles_are_the_packaged_data_file(repo):
    table = pd.read_csv(
        repo / "crmkit" / "datasets" / "data" / "call_centre_profiles.csv", dtype=str
    )
    assert table["hour"].tolist() == [str(h) for h in range(24)]
    cal = CallCentreCalibration()
    for field, column in (
        ("workday_profile", "workday_share"),
        ("friday_profile", "friday_share"),
        ("saturday_profile", "saturday_share"),
    ):
        assert getattr(cal, field) == tuple(float(v) for v in table[column])
    assert cal.workday_profile[10] == 0.0825 and cal.saturday_profile[19] == 0.29
