"""CDNOW: the shipped files, the published summary, and the published model
estimates."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmkit.clv import BGNBD, GammaGamma
from crmkit.datasets import data_file, load_cdnow
from crmkit.segmentation import customer_summary

REFERENCE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "reference"
    / "cdnow_published.json"
)


@pytest.fixture(scope="module")
def calibration() -> pd.DataFrame:
    return customer_summary(load_cdnow(sample=True), as_of="1997-09-30", time_unit="W")


@pytest.fixture(scope="module")
def published(shared_data) -> pd.DataFrame:
    return pd.read_csv(
        shared_data / "cdnow" / "cdnow_customers_summary_with_transactions.csv",
        index_col="ID",
    )


def test_shipped_files_are_byte_copies():
    expected = {
        "cdnow_master.txt": "eff6889ed364c5199d6eacbbeb7a6d559971df4406ac876f322c373f00a072ef",
        "cdnow_sample.txt": "6fae10155c0b0ba363c2c386e30f77990d22328220efd862a5edd1443420d94a",
    }
    for name, digest in expected.items():
        assert hashlib.sha256(data_file(name).read_bytes()).hexdigest() == digest


def test_loader_counts():
    full = load_cdnow()
    assert len(full) == 69_659 and full["customer_id"].nunique() == 23_570
    assert full["amount"].sum() == pytest.approx(2_500_315.63, abs=0.005)
    sample = load_cdnow(sample=True)
    assert len(sample) == 6_919 and sample["customer_id"].max() == 2_357
    assert set(sample["master_id"]) <= set(full["customer_id"])


def test_summary_equals_the_published_summary(calibration, published):
    assert list(calibration.index) == list(published.index)
    assert (calibration["frequency"].to_numpy() == published["x"].to_numpy()).all()
    # published recency and T are rounded to 2 decimals (weeks)
    assert np.array_equal(calibration["recency"].round(2), published["t_x"])
    assert np.array_equal(calibration["T"].round(2), published["T"])
    # zbar is the exact decimal mean rounded half up to cents
    gap = np.abs(
        calibration["monetary_value"].to_numpy() - published["zbar"].to_numpy()
    )
    assert gap.max() <= 0.005 + 1e-9


def test_summary_of_the_published_plain_file(calibration, shared_data):
    plain = pd.read_csv(
        shared_data / "cdnow" / "cdnow_customers_summary.csv", index_col="ID"
    )
    assert (calibration["frequency"].to_numpy() == plain["frequency"].to_numpy()).all()


def test_bg_nbd_gives_the_published_parameters(calibration):
    ref = (
        json.loads(REFERENCE.read_text())["bg_nbd"]
        if REFERENCE.exists()
        else {
            "r": 0.243,
            "alpha": 4.414,
            "a": 0.793,
            "b": 2.426,
            "log_likelihood": -9582.4,
        }
    )
    m = BGNBD().fit(calibration["frequency"], calibration["recency"], calibration["T"])
    for key in ("r", "alpha", "a", "b"):
        assert round(m.params_[key], 3) == ref[key], key
    assert round(m.log_likelihood_, 1) == ref["log_likelihood"]


def test_gamma_gamma_gives_the_published_parameters(calibration):
    ref = (
        json.loads(REFERENCE.read_text())["gamma_gamma"]
        if REFERENCE.exists()
        else {"p": 6.25, "q": 3.74, "gamma": 15.44}
    )
    repeat = calibration[calibration["frequency"] > 0]
    assert len(repeat) == 946
    g = GammaGamma().fit(calibration["frequency"], calibration["monetary_value"])
    assert round(g.params_["p"], 2) == ref["p"]
    assert round(g.params_["q"], 2) == ref["q"]
    assert round(g.params_["gamma"], 2) == ref["gamma"]
