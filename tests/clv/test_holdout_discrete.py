"""Calibration and holdout for the BG/BB: opportunity_holdout against a hand count,
and compare_models / holdout_by_frequency on opportunity data against lifetimes'
BetaGeoBetaBinomFitter (numbers stored below) and against direct computations with
the model's own methods."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crmkit.clv import (
    BGBB,
    BGNBD,
    calibration_holdout,
    compare_models,
    holdout_by_frequency,
    make_opportunity_histories,
    opportunity_holdout,
)
from crmkit.datasets import load_cdnow

#: lifetimes 0.11.3 (BetaGeoBetaBinomFitter, fitted on the grouped calibration
#: columns with weights; conditional_expected_number_of_purchases_up_to_time(5, ...))
#: on opportunity_holdout(make_opportunity_histories(5000, seed=1), 6)
LIFETIMES = {
    "params": {
        "alpha": 1.1838615465352973,
        "beta": 0.7007483954897549,
        "gamma": 0.637059400829135,
        "delta": 2.5685887202089277,
    },
    "mean_nll": 2.9446360622232244,
    "predicted_total": 5860.358129594377,
    "mae": 0.7047023394609432,
}


@pytest.fixture(scope="module")
def ch():
    return opportunity_holdout(make_opportunity_histories(5000, seed=1), 6)


def test_opportunity_holdout_counts_by_hand():
    activity = [[0, 1, 1, 0, 1], [0, 0, 0, 0, 0], [1, 0, 0, 1, 1]]
    ch = opportunity_holdout(activity, calibration_periods=3)
    assert ch["frequency_cal"].tolist() == [2, 0, 1]
    assert ch["recency_cal"].tolist() == [3, 0, 1]
    assert ch["frequency_holdout"].tolist() == [1, 0, 2]
    assert set(ch["n_periods_cal"]) == {3} and set(ch["n_periods_holdout"]) == {2}


def test_compare_models_matches_lifetimes(ch):
    table = compare_models([BGBB], ch).loc["BGBB"]
    n = len(ch)
    assert table["log_likelihood"] == pytest.approx(
        -LIFETIMES["mean_nll"] * n, rel=1e-9
    )
    assert table["holdout_predicted"] == pytest.approx(
        LIFETIMES["predicted_total"], rel=1e-7
    )
    assert table["holdout_mae"] == pytest.approx(LIFETIMES["mae"], rel=1e-7)
    assert table["aic"] == pytest.approx(8 - 2 * table["log_likelihood"])
    assert table["bic"] == pytest.approx(4 * math.log(n) - 2 * table["log_likelihood"])


def test_compare_models_agrees_with_the_model_methods(ch):
    m = BGBB().fit(ch["frequency_cal"], ch["recency_cal"], ch["n_periods_cal"])
    for k, v in LIFETIMES["params"].items():
        assert m.params_[k] == pytest.approx(v, rel=1e-5)
    pred = m.expected_purchases(
        5, ch["frequency_cal"], ch["recency_cal"], 6 + 0 * ch["n_periods_cal"]
    )
    err = pred - ch["frequency_holdout"].to_numpy()
    table = compare_models({"fitted": m}, ch).loc["fitted"]
    assert table["holdout_rmse"] == pytest.approx(np.sqrt(np.mean(err**2)), rel=1e-12)
    assert table["holdout_actual"] == ch["frequency_holdout"].sum()
    by = holdout_by_frequency(m, ch)
    group = ch["frequency_cal"].clip(upper=7)
    assert by["predicted"].tolist() == pytest.approx(
        [pred[group == g].mean() for g in sorted(group.unique())], rel=1e-12
    )
    # the forecast lies within a 99.9 % interval of what the simulated donors did
    half = 3.3 * np.sqrt(np.sum(ch["frequency_holdout"].var()) * len(ch))
    assert abs(pred.sum() - ch["frequency_holdout"].sum()) < half


def test_models_of_the_other_kind_are_refused(ch):
    with pytest.raises(ValueError, match="continuous-time"):
        compare_models([BGNBD], ch)
    cont = calibration_holdout(
        load_cdnow(sample=True), calibration_end="1997-09-30", holdout_end="1998-06-30"
    )
    with pytest.raises(ValueError, match="discrete opportunities"):
        compare_models([BGBB], cont)
    fitted = BGNBD().fit(cont["frequency_cal"], cont["recency_cal"], cont["T_cal"])
    with pytest.raises(ValueError, match="continuous-time"):
        holdout_by_frequency(fitted, ch)
