"""Bad input to the survey scores and the churn warning gets a clear crmkit error that
names the argument, shows the value and says how to fix it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crmkit.segmentation import churn_table, churn_warning, csat_score, nps_score
from tests.adversarial import NOT_NUMBERS, assert_clear_error, stable_id

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.segmentation.csat_score",
    "crmkit.segmentation.nps_score",
    "crmkit.segmentation.churn_table",
    "crmkit.segmentation.churn_warning",
)
EXEMPT = {
    "crmkit.segmentation.SurveyScore": "a result, built by csat_score / nps_score; "
    "never by the user",
    "crmkit.segmentation.ChurnWarning": "a result, built by churn_warning; never by "
    "the user",
}

TX = pd.DataFrame(
    {
        "customer_id": [1, 1, 2, 3, 3, 4],
        "date": pd.to_datetime(
            [
                "2024-01-02",
                "2024-02-10",
                "2024-01-05",
                "2024-01-20",
                "2024-03-30",
                "2024-03-31",
            ]
        ),
        "amount": [10.0, 20.0, 5.0, 8.0, 9.0, 1.0],
    }
)
GOOD = pd.DataFrame(
    {"days_since_last": [1.0, 50.0, 3.0, 80.0], "churned": [False, True, False, True]}
)


@pytest.mark.parametrize(
    "scores",
    [[0, 3], [6], [4.5], [math.nan], ["5"], [True, 4], [], None, "45"],
    ids=stable_id,
)
def test_csat_needs_whole_scores_from_1_to_5(scores):
    assert_clear_error(lambda: csat_score(scores), "scores", show_value=False)


@pytest.mark.parametrize(
    "scores", [[11], [-1], [9.5], [math.inf], ["10"], [None], [], 7], ids=stable_id
)
def test_nps_needs_whole_scores_from_0_to_10(scores):
    assert_clear_error(lambda: nps_score(scores), "scores", show_value=False)


@pytest.mark.parametrize(
    "level", [0, 1, 95, -0.5, math.nan, "0.95", None], ids=stable_id
)
def test_level_must_lie_strictly_between_0_and_1(level):
    assert_clear_error(lambda: csat_score([5, 4], level=level), "level", level)
    assert_clear_error(lambda: nps_score([9, 4], level=level), "level", level)


@pytest.mark.parametrize("satisfied", [0, 6, 4.5, "4", True], ids=stable_id)
def test_csat_threshold_is_a_score(satisfied):
    assert_clear_error(
        lambda: csat_score([5, 4], satisfied=satisfied), "satisfied", satisfied
    )


@pytest.mark.parametrize("method", ["wald", "Bootstrap", 1, None], ids=stable_id)
def test_nps_method_is_one_of_two(method):
    assert_clear_error(lambda: nps_score([9, 4], method=method), "method", method)


@pytest.mark.parametrize("n_boot", [0, -5, 2.5, 10**7, "100", True], ids=stable_id)
def test_nps_bootstrap_size_is_bounded(n_boot):
    assert_clear_error(
        lambda: nps_score([9, 4], method="bootstrap", n_boot=n_boot, seed=1),
        "n_boot",
        n_boot,
    )


@pytest.mark.parametrize("seed", [-1, 1.5, "1", [1]], ids=stable_id)
def test_nps_bootstrap_seed_is_checked(seed):
    assert_clear_error(
        lambda: nps_score([9, 4], method="bootstrap", seed=seed), "seed", seed
    )


@pytest.mark.parametrize("as_of", [20240131, None, "not a date", [1]], ids=stable_id)
def test_churn_table_needs_a_date(as_of):
    assert_clear_error(
        lambda: churn_table(TX, as_of=as_of, horizon_days=30), "as_of", as_of
    )


@pytest.mark.parametrize("horizon", [0, -3, 2.5, math.nan, "30", True], ids=stable_id)
def test_churn_table_needs_a_whole_horizon(horizon):
    assert_clear_error(
        lambda: churn_table(TX, as_of="2024-01-31", horizon_days=horizon),
        "horizon_days",
        horizon,
    )


def test_churn_table_refuses_an_unknown_label_window():
    assert_clear_error(
        lambda: churn_table(TX, as_of="2024-03-15", horizon_days=30),
        "horizon_days",
        30,
    )


@pytest.mark.parametrize("bad", [None, "table", [1, 2], GOOD.iloc[:1]], ids=stable_id)
def test_churn_warning_needs_two_tables(bad):
    assert_clear_error(
        lambda: churn_warning(bad, GOOD, ["days_since_last"]),
        "train",
        show_value=False,
    )
    assert_clear_error(
        lambda: churn_warning(GOOD, bad, ["days_since_last"]),
        "test",
        show_value=False,
    )


@pytest.mark.parametrize(
    "features", [[], "days_since_last", ["a", "a"], [1], None, ["nope"]], ids=stable_id
)
def test_churn_warning_features_are_column_names(features):
    name = "train" if features == ["nope"] else "features"
    assert_clear_error(
        lambda: churn_warning(GOOD, GOOD, features), name, show_value=False
    )


def test_churn_warning_refuses_bad_values_and_one_class():
    text = GOOD.assign(days_since_last=["1", "2", "3", "4"])
    assert_clear_error(
        lambda: churn_warning(text, GOOD, ["days_since_last"]),
        "train",
        show_value=False,
    )
    nan = GOOD.assign(days_since_last=[1.0, np.nan, 2.0, 3.0])
    assert_clear_error(
        lambda: churn_warning(GOOD, nan, ["days_since_last"]),
        "test",
        show_value=False,
    )
    label = GOOD.assign(churned=["yes", "no", "yes", "no"])
    assert_clear_error(
        lambda: churn_warning(label, GOOD, ["days_since_last"]),
        "train",
        show_value=False,
    )
    one = GOOD.assign(churned=True)
    assert_clear_error(
        lambda: churn_warning(one, GOOD, ["days_since_last"]),
        "train",
        show_value=False,
    )


@pytest.mark.parametrize("share", [0, 1.5, -0.2, math.nan, "0.2"], ids=stable_id)
def test_flag_share_is_a_share(share):
    assert_clear_error(
        lambda: churn_warning(GOOD, GOOD, ["days_since_last"], flag_share=share),
        "flag_share",
        share,
    )


@pytest.mark.parametrize(
    "c", [0, -1, math.nan, math.inf, *NOT_NUMBERS[:3]], ids=stable_id
)
def test_penalty_c_is_positive(c):
    assert_clear_error(
        lambda: churn_warning(GOOD, GOOD, ["days_since_last"], C=c), "C", c
    )


@pytest.mark.parametrize("name", ["rule", "label"])
def test_rule_and_label_are_column_names(name):
    assert_clear_error(
        lambda: churn_warning(GOOD, GOOD, ["days_since_last"], **{name: 3}), name, 3
    )
    assert_clear_error(
        lambda: churn_warning(GOOD, GOOD, ["days_since_last"], **{name: "nope"}),
        "train",
        show_value=False,
    )


def test_the_good_cases_still_work():
    assert csat_score([5, 4, 1]).n == 3
    assert nps_score([10, 0]).estimate == 0
    assert churn_table(TX, as_of="2024-01-31", horizon_days=30)["churned"].sum() == 2
    assert churn_warning(GOOD, GOOD, ["days_since_last"]).table.shape == (3, 4)
