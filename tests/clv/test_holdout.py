"""Calibration/holdout validation of the continuous-time BTYD models.

Checked against independent values:

- the CDNOW 1/10 sample (Fader, Hardie & Lee 2005): 2,357 customers, the published
  calibration summary (``../shared/data/cdnow``), and a brute-force pandas loop over
  the customers for every column of the split;
- lifetimes 0.11.3 (``calibration_and_holdout_data`` and
  ``expected_cumulative_transactions``), run once in /work/benchvenv, stored below as
  literals;
- holdout-by-frequency, tracking and compare_models recomputed in the test from the
  model's own per-customer methods (loops, no crmkit helpers), and P(alive) and
  E[Y(t)] from the published BG/NBD formulas in mpmath;
- a seeded simulation from the BG/NBD (crmkit's generator) whose cumulative repeat
  purchases must fall in the interval of the expected ones.

ParetoNBD and MBGNBD are covered once ``crmkit.clv`` exports them (skipped before).
"""

from __future__ import annotations

import math
import subprocess
import sys

import mpmath
import numpy as np
import pandas as pd
import pytest

import crmkit.clv
from crmkit._replication import mean_interval
from crmkit.clv import (
    BGNBD,
    CDNOW_TRUTH,
    alive_grid,
    calibration_holdout,
    compare_models,
    expected_grid,
    holdout_by_frequency,
    make_transactions,
    tracking,
)
from crmkit.datasets import load_cdnow
from crmkit.errors import DataError

CAL, HOLD = "1997-09-30", "1998-06-30"

#: lifetimes 0.11.3, run in /work/benchvenv (pandas 3.1.1) on CDNOW_sample.txt:
#: calibration_and_holdout_data(tx, "customer_id", "date",
#:     calibration_period_end="1997-09-30", observation_period_end="1998-06-30",
#:     freq="D", freq_multiplier=7, monetary_value_col="amount")
#: (monetary_value_col only because without it lifetimes 0.11.3 fails on pandas 3)
LIFETIMES_SPLIT = {
    "n": 2357,
    "frequency_cal": 2457.0,
    "frequency_holdout": 1882.0,
    "recency_cal": 16135.57142857143,
    "T_cal": 77111.28571428571,
    "duration_holdout": 39.0,
    "holdout_counts": {0: 1673, 1: 302, 2: 153, 3: 77, 4: 54, 5: 23, 6: 21, 7: 15,
                       8: 5, 9: 8, 10: 8, 11: 1, 12: 2, 13: 4, 14: 3, 15: 2, 16: 2,
                       19: 1, 21: 1, 24: 1, 34: 1},
    "group_sizes": {0: 1411, 1: 439, 2: 214, 3: 100, 4: 62, 5: 38, 6: 29, 7: 64},
    "group_actual": {0: 0.236712, 1: 0.697039, 2: 1.392523, 3: 1.56, 4: 2.532258,
                     5: 2.947368, 6: 3.862069, 7: 6.359375},
    # BetaGeoFitter().fit(...) then conditional_expected_number_of_purchases_up_to_time(
    # 39, ...) averaged by min(frequency_cal, 7), rounded to 4 decimals
    "group_predicted": {0: 0.2251, 1: 0.5231, 2: 1.0441, 3: 1.5203, 4: 2.1639,
                        5: 2.6538, 6: 3.504, 7: 6.1572},
    "params": {"r": 0.24259454342106715, "alpha": 4.413602716077379,
               "a": 0.7929218333480146, "b": 2.4259057287223023},
}  # fmt: skip
#: lifetimes 0.11.3 expected_cumulative_transactions(model, tx, "date", "customer_id",
#: t=78 * 7, freq="D", freq_multiplier=7) with the fit above: week -> (actual,
#: predicted). lifetimes counts a customer's age to the end of the week's last day
#: (one day more than T = (end - first purchase) / 7 of the calibration summary).
LIFETIMES_TRACKING = {
    1: (0, 4.405480),
    2: (19, 17.241483),
    38: (2395, 2448.211023),
    39: (2457, 2501.526054),
    40: (2507, 2554.082109),
    77: (4311, 4130.163399),
    78: (4339, 4165.663592),
}


def _optional(name: str):
    """A model class of crmkit.clv, or a skip until it is exported."""
    cls = getattr(crmkit.clv, name, None)
    if cls is None:
        pytest.skip(f"crmkit.clv has no {name} yet")
    return cls


@pytest.fixture(scope="module")
def tx() -> pd.DataFrame:
    return load_cdnow(sample=True)


@pytest.fixture(scope="module")
def ch(tx) -> pd.DataFrame:
    return calibration_holdout(
        tx, calibration_end=CAL, holdout_end=HOLD, amount_col="amount"
    )


@pytest.fixture(scope="module")
def model(ch) -> BGNBD:
    return BGNBD().fit(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])


# ---------------------------------------------------------------- the split


def _brute_force_split(tx: pd.DataFrame) -> pd.DataFrame:
    """The split by a plain loop over customers and their distinct dates."""
    cal, hold = pd.Timestamp(CAL), pd.Timestamp(HOLD)
    rows = {}
    for cid, group in tx.groupby("customer_id"):
        days = sorted(set(group["date"].dt.normalize()))
        before = [d for d in days if d <= cal]
        if not before:
            continue
        after = [d for d in days if cal < d <= hold]
        rows[cid] = {
            "frequency_cal": len(before) - 1,
            "recency_cal": (before[-1] - before[0]).days / 7,
            "T_cal": (cal - before[0]).days / 7,
            "frequency_holdout": len(after),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def test_cdnow_split_counts(ch):
    # 2,357 customers (FHL 2005); repeat transactions 2,457 in weeks 1-39 and 1,882
    # in weeks 40-78, as lifetimes (LIFETIMES_SPLIT) and the loop below also find
    assert len(ch) == 2357
    assert int(ch["frequency_cal"].sum()) == 2457
    assert int(ch["frequency_holdout"].sum()) == 1882
    assert (ch["duration_holdout"] == 39.0).all()
    assert ch.attrs["n_excluded"] == 0
    assert ch.attrs["calibration_end"] == CAL


def test_split_matches_a_brute_force_loop(tx, ch):
    expected = _brute_force_split(tx)
    assert list(expected.index) == list(ch.index)
    for col in ("frequency_cal", "frequency_holdout"):
        assert (ch[col].to_numpy() == expected[col].to_numpy()).all(), col
    for col in ("recency_cal", "T_cal"):
        np.testing.assert_allclose(ch[col], expected[col], rtol=1e-15, atol=0)


def test_split_matches_lifetimes(ch):
    lt = LIFETIMES_SPLIT
    assert len(ch) == lt["n"]
    for col in ("frequency_cal", "frequency_holdout"):
        assert float(ch[col].sum()) == lt[col]
    for col in ("recency_cal", "T_cal"):
        assert float(ch[col].sum()) == pytest.approx(lt[col], rel=1e-13)
    assert float(ch["duration_holdout"].iloc[0]) == lt["duration_holdout"]
    counts = ch["frequency_holdout"].value_counts().sort_index().to_dict()
    assert counts == lt["holdout_counts"]


def test_split_matches_the_published_summary(shared_data, ch):
    published = pd.read_csv(shared_data / "cdnow" / "cdnow_customers_summary.csv")
    published = published.set_index("ID")
    assert list(published.index) == list(ch.index)
    assert (published["frequency"].to_numpy() == ch["frequency_cal"].to_numpy()).all()
    for ours, theirs in (("recency_cal", "recency"), ("T_cal", "T")):
        # the published file is rounded to 2 decimals
        np.testing.assert_allclose(ch[ours], published[theirs], rtol=0, atol=0.005)


def test_split_excludes_late_customers_and_merges_same_day_rows():
    log = pd.DataFrame(
        {
            "id": ["a", "a", "a", "a", "a", "b", "c", "c"],
            "when": pd.to_datetime(
                [
                    "2024-01-01 09:00",
                    "2024-01-08",
                    "2024-01-20 10:00",  # holdout: two rows on one day
                    "2024-01-20 18:00",
                    "2024-02-20",  # after holdout_end: ignored
                    "2024-01-05",
                    "2024-01-16",  # c first buys after calibration_end
                    "2024-01-25",
                ],
                format="ISO8601",
            ),
            "spend": [10.0, 20.0, 5.0, 7.0, 99.0, 3.0, 1.0, 1.0],
        }
    )
    before = log.copy()
    out = calibration_holdout(
        log,
        calibration_end="2024-01-15",
        holdout_end="2024-01-29",
        customer_col="id",
        date_col="when",
        amount_col="spend",
        time_unit="D",
    )
    pd.testing.assert_frame_equal(log, before)  # the input is not modified
    assert list(out.index) == ["a", "b"]
    assert out.attrs["n_excluded"] == 1
    assert out.loc["a", ["frequency_cal", "recency_cal", "T_cal"]].tolist() == [
        1,
        7.0,
        14.0,
    ]
    assert out.loc["a", "frequency_holdout"] == 1  # the two rows of 01-20 are one
    assert out.loc["a", "monetary_value_holdout"] == 12.0
    assert out.loc["a", "monetary_value_cal"] == 20.0
    assert out.loc["b", "frequency_holdout"] == 0
    assert out.loc["b", "monetary_value_holdout"] == 0.0
    assert (out["duration_holdout"] == 14.0).all()


def test_split_without_holdout_purchases():
    log = pd.DataFrame(
        {
            "customer_id": [1, 1, 2],
            "date": ["2024-01-01", "2024-01-03", "2024-02-01"],
        }
    )
    out = calibration_holdout(
        log, calibration_end="2024-01-10", holdout_end="2024-02-01", time_unit="D"
    )
    # customer 2 is first seen in the holdout, so nobody bought in it
    assert out["frequency_holdout"].tolist() == [0]
    assert out.attrs["n_excluded"] == 1


# ---------------------------------------------------------------- by frequency


def test_holdout_by_frequency_matches_a_loop_and_lifetimes(ch, model):
    table = holdout_by_frequency(model, ch)
    assert list(table.index) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    predictions = model.expected_purchases(
        39.0, ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]
    )
    sums: dict[int, list[tuple[float, float]]] = {}
    for x, y, pred in zip(
        ch["frequency_cal"], ch["frequency_holdout"], predictions, strict=True
    ):
        sums.setdefault(min(int(x), 7), []).append((y, pred))
    lt = LIFETIMES_SPLIT
    for group, pairs in sums.items():
        label = "7+" if group == 7 else str(group)
        actual = np.mean([a for a, _ in pairs])
        predicted = np.mean([p for _, p in pairs])
        assert table.loc[label, "n_customers"] == len(pairs) == lt["group_sizes"][group]
        assert table.loc[label, "actual"] == pytest.approx(actual, rel=1e-14)
        assert table.loc[label, "actual"] == pytest.approx(
            lt["group_actual"][group], abs=5e-7
        )
        assert table.loc[label, "predicted"] == pytest.approx(predicted, rel=1e-12)
        assert table.loc[label, "predicted"] == pytest.approx(
            lt["group_predicted"][group], abs=5e-4
        )


def test_holdout_by_frequency_pools_from_max_frequency(ch, model):
    table = holdout_by_frequency(model, ch, max_frequency=2)
    assert list(table.index) == ["0", "1", "2+"]
    assert table["n_customers"].tolist() == [1411, 439, 2357 - 1411 - 439]


# ---------------------------------------------------------------- tracking


@pytest.fixture(scope="module")
def track(tx, model) -> pd.DataFrame:
    return tracking(model, tx, calibration_end=CAL, holdout_end=HOLD)


def test_tracking_actual_is_a_direct_count(tx, track):
    days = tx[["customer_id", "date"]].drop_duplicates()
    first = days.groupby("customer_id")["date"].transform("min")
    repeats = days.loc[days["date"] > first, "date"]
    start = tx["date"].min()
    assert len(track) == 78
    assert track.attrs["calibration_periods"] == 39.0
    for k in (1, 2, 13, 39, 40, 77, 78):
        end = start + pd.Timedelta(days=7 * k - 1)
        assert track.loc[k, "end"] == end
        assert track.loc[k, "actual_cumulative"] == int((repeats <= end).sum())
    assert track["actual"].sum() == 2457 + 1882
    assert track.loc[39, "actual_cumulative"] == 2457
    assert (track["holdout"] == (track.index > 39)).all()
    for k, (actual, _) in LIFETIMES_TRACKING.items():
        assert track.loc[k, "actual_cumulative"] == actual


def test_tracking_expected_sums_over_the_cohort(ch, model, track):
    # at the end of calibration: sum of E[X(T_cal)] over the customers
    at_end = model.expected_purchases_new(ch["T_cal"].to_numpy()).sum()
    assert track.loc[39, "expected_cumulative"] == pytest.approx(at_end, rel=1e-12)
    first = ch["first_purchase"]
    start = first.min()
    for k in (1, 5, 40, 78):
        end = start + pd.Timedelta(days=7 * k - 1)
        ages = np.array([(end - s).days / 7 for s in first if s <= end])
        value = model.expected_purchases_new(ages).sum()
        assert track.loc[k, "expected_cumulative"] == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(
        track["expected"].cumsum(), track["expected_cumulative"], rtol=1e-12
    )


def test_tracking_matches_lifetimes_up_to_its_day_convention(ch):
    # lifetimes' predictions, rebuilt from crmkit's E[X(t)] at lifetimes' parameters
    # with lifetimes' ages (7k - s days): the stored literals come out, so the two
    # tools differ only by that one day of age
    m = BGNBD(params_=LIFETIMES_SPLIT["params"])
    first = ch["first_purchase"]
    start = first.min()
    for k, (_, predicted) in LIFETIMES_TRACKING.items():
        ages = np.array([(7 * k - (s - start).days) / 7 for s in first])
        ages = ages[ages > 0]
        value = m.expected_purchases_new(ages).sum()
        assert value == pytest.approx(predicted, rel=1e-6)


def test_tracking_covers_a_simulated_cohort():
    # a cohort drawn from the BG/NBD itself: the actual cumulative repeat purchases
    # lie in the 99.99 % interval of the expectation at the true parameters
    truth = {k: CDNOW_TRUTH[k] for k in ("r", "alpha", "a", "b")}
    log = make_transactions(20_000, seed=20240519, **truth)
    end = str(log["date"].max().date())
    true_model = BGNBD(params_=truth)
    track = tracking(true_model, log, calibration_end="1997-09-30", holdout_end=end)
    days = log[["customer_id", "date"]].drop_duplicates()
    per_customer = days.groupby("customer_id").size().to_numpy() - 1
    mean, half = mean_interval(per_customer, level=0.9999)
    expected = track["expected_cumulative"].iloc[-1] / per_customer.size
    assert abs(float(mean) - expected) < float(half)
    assert track["actual_cumulative"].iloc[-1] == per_customer.sum()


# ---------------------------------------------------------------- compare_models


def test_compare_models_against_the_definitions(ch, model):
    table = compare_models([BGNBD], ch)
    row = table.loc["BGNBD"]
    n = len(ch)
    k = 4
    assert row["k"] == k
    assert row["log_likelihood"] == pytest.approx(model.log_likelihood_, rel=1e-9)
    assert row["aic"] == pytest.approx(2 * k - 2 * model.log_likelihood_, rel=1e-9)
    assert row["bic"] == pytest.approx(
        k * math.log(n) - 2 * model.log_likelihood_, rel=1e-9
    )
    predictions = model.expected_purchases(
        39.0, ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]
    )
    errors = [p - y for p, y in zip(predictions, ch["frequency_holdout"], strict=True)]
    assert row["holdout_mae"] == pytest.approx(np.mean(np.abs(errors)), rel=1e-10)
    assert row["holdout_rmse"] == pytest.approx(
        math.sqrt(np.mean(np.square(errors))), rel=1e-10
    )
    assert row["holdout_actual"] == 1882
    predicted = 1882 + sum(errors)
    assert row["holdout_predicted"] == pytest.approx(predicted, rel=1e-10)
    assert row["holdout_error_pct"] == pytest.approx(
        100 * (predicted - 1882) / 1882, rel=1e-9
    )
    # the published fit (FHL 2005): LL = -9582.4
    assert row["log_likelihood"] == pytest.approx(-9582.4, abs=0.05)
    assert not any("time" in c for c in table.columns)
    if callable(getattr(model, "summary", None)):
        attrs = model.summary().attrs
        assert row["aic"] == pytest.approx(attrs["aic"], rel=1e-9)
        assert row["bic"] == pytest.approx(attrs["bic"], rel=1e-9)


def test_compare_models_accepts_instances_and_leaves_them_alone(ch, model):
    fresh = BGNBD()
    table = compare_models({"fitted": model, "fresh": fresh, "cls": BGNBD}, ch)
    assert list(table.index) == ["fitted", "fresh", "cls"]
    assert not fresh.params_  # fitted as a copy
    np.testing.assert_allclose(
        table["log_likelihood"], model.log_likelihood_, rtol=1e-9
    )
    named = compare_models([BGNBD, model], ch)
    assert list(named.index) == ["BGNBD", "BGNBD (2)"]


def test_compare_models_refuses_a_model_fitted_on_other_data(ch):
    other = ch.iloc[: len(ch) // 2]
    m = BGNBD().fit(other["frequency_cal"], other["recency_cal"], other["T_cal"])
    with pytest.raises(DataError, match="fitted on other data"):
        compare_models([m], ch)


@pytest.mark.parametrize("name", ["ParetoNBD", "MBGNBD"])
def test_new_models_in_the_comparison(name, ch, tx):
    cls = _optional(name)
    m = cls().fit(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])
    table = compare_models([BGNBD, m], ch)
    row = table.loc[name]
    k = len(m.params_)
    assert row["log_likelihood"] == pytest.approx(m.log_likelihood_, rel=1e-9)
    assert row["aic"] == pytest.approx(2 * k - 2 * m.log_likelihood_, rel=1e-9)
    by_freq = holdout_by_frequency(m, ch)
    assert by_freq["n_customers"].sum() == len(ch)
    assert by_freq.loc["0", "actual"] == pytest.approx(0.236712, abs=5e-7)
    track = tracking(m, tx, calibration_end=CAL, holdout_end=HOLD)
    at_end = m.expected_purchases_new(ch["T_cal"].to_numpy()).sum()
    assert track.loc[39, "expected_cumulative"] == pytest.approx(at_end, rel=1e-10)
    grid = alive_grid(m, 39.0, max_frequency=3, recency_points=3)
    assert ((grid.iloc[1:] > 0) & (grid.iloc[1:] <= 1)).all().all()


# ---------------------------------------------------------------- grids


def _alive_mp(p, x, tx, T):
    """BG/NBD P(alive) (Fader, Hardie & Lee 2008), in mpmath."""
    r, alpha, a, b = (mpmath.mpf(p[k]) for k in ("r", "alpha", "a", "b"))
    if x == 0:
        return mpmath.mpf(1)
    odds = a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return 1 / (1 + odds)


def _expected_mp(p, t, x, tx, T):
    """BG/NBD E[Y(t) | x, t_x, T], FHL (2005) eq. 10, in mpmath."""
    r, alpha, a, b = (mpmath.mpf(p[k]) for k in ("r", "alpha", "a", "b"))
    x, tx, T, t = (mpmath.mpf(v) for v in (x, tx, T, t))
    z = t / (alpha + T + t)
    head = (a + b + x - 1) / (a - 1)
    body = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * mpmath.hyp2f1(
        r + x, b + x, a + b + x - 1, z
    )
    tail = 1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return head * body / tail


PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def test_alive_grid_against_the_formula():
    m = BGNBD(params_=PUBLISHED)
    grid = alive_grid(m, 39.0, max_frequency=6, recency_points=5)
    assert list(grid.index) == list(range(7))
    np.testing.assert_allclose(grid.columns, [0, 9.75, 19.5, 29.25, 39.0])
    assert grid.iloc[0, 0] == 1.0
    assert grid.iloc[0, 1:].isna().all()
    for x in range(1, 7):
        for tx in grid.columns:
            value = float(_alive_mp(PUBLISHED, x, mpmath.mpf(tx), mpmath.mpf(39)))
            assert grid.loc[x, tx] == pytest.approx(value, rel=1e-12)
    assert grid.attrs["quantity"] == "prob_alive" and grid.attrs["T"] == 39.0


def test_expected_grid_against_the_formula():
    m = BGNBD(params_=PUBLISHED)
    grid = expected_grid(m, 52.0, 39.0, max_frequency=4, recency_points=4)
    assert grid.iloc[0, 1:].isna().all()
    for x in range(5):
        for tx in grid.columns[: 1 if x == 0 else None]:
            value = float(_expected_mp(PUBLISHED, 52, x, tx, 39))
            assert grid.loc[x, tx] == pytest.approx(value, rel=1e-9)
    assert grid.attrs["t"] == 52.0


# ---------------------------------------------------------------- layering


def test_the_computing_core_does_not_import_matplotlib():
    code = (
        "import sys, crmkit.clv; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
