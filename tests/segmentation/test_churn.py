"""The churn warning: labels against a brute-force loop over customers, the AUC
against the Mann–Whitney U statistic (Hanley & McNeil 1982), precision and recall by
counting, and the logistic regression against a direct minimisation of its penalised
log-likelihood with scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from crmkit.errors import DataError
from crmkit.segmentation import ChurnWarning, churn_table, churn_warning


@pytest.fixture(scope="module")
def tx():
    rng = np.random.default_rng(11)
    rows = []
    for cust in range(1, 301):
        start = rng.integers(0, 100)
        gap = rng.exponential(rng.choice([15, 60, 200]))
        day = float(start)
        while day < 400:
            rows.append(
                (cust, pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(day)))
            )
            day += max(1.0, rng.exponential(gap))
    frame = pd.DataFrame(rows, columns=["customer_id", "date"])
    frame["amount"] = rng.gamma(2.0, 50.0, len(frame)).round(2)
    return frame


def test_labels_and_features_by_brute_force(tx):
    as_of, horizon = pd.Timestamp("2023-06-30"), 60
    table = churn_table(tx, as_of=as_of, horizon_days=horizon)
    for cust, rows in tx.groupby("customer_id"):
        before = rows[rows["date"] <= as_of]
        if before.empty:
            assert cust not in table.index
            continue
        after = rows[
            (rows["date"] > as_of)
            & (rows["date"] <= as_of + pd.Timedelta(days=horizon))
        ]
        row = table.loc[cust]
        assert bool(row["churned"]) == after.empty
        assert row["days_since_last"] == (as_of - before["date"].max()).days
        assert row["n_purchase_days"] == before["date"].nunique()
        assert row["total_spend"] == pytest.approx(before["amount"].sum())


def test_the_label_window_must_lie_inside_the_data(tx):
    last = tx["date"].max()
    churn_table(tx, as_of=last - pd.Timedelta(days=30), horizon_days=30)
    with pytest.raises(DataError, match="horizon_days"):
        churn_table(tx, as_of=last - pd.Timedelta(days=29), horizon_days=30)


def _periods(tx):
    train = churn_table(tx, as_of="2023-05-31", horizon_days=60)
    test = churn_table(tx, as_of="2023-09-30", horizon_days=60)
    return train, test


def test_auc_precision_and_recall_against_independent_counts(tx):
    train, test = _periods(tx)
    w = churn_warning(train, test, ["days_since_last", "n_purchase_days"])
    y = test["churned"].to_numpy()
    for method, score in (
        ("recency rule", test["days_since_last"].to_numpy(float)),
        ("logistic regression", w.scores.to_numpy()),
    ):
        u = stats.mannwhitneyu(score[y], score[~y]).statistic
        assert w.table.loc[method, "auc"] == pytest.approx(u / (y.sum() * (~y).sum()))
        k = int(np.ceil(0.2 * y.size))
        cut = sorted(score, reverse=True)[k - 1]
        flagged = score >= cut
        assert w.table.loc[method, "flagged"] == flagged.sum()
        assert w.table.loc[method, "precision"] == pytest.approx(y[flagged].mean())
        assert w.table.loc[method, "recall"] == pytest.approx(
            (y & flagged).sum() / y.sum()
        )
    base = w.table.loc["base rate"]
    assert base["auc"] == 0.5 and base["flagged"] == len(test)
    assert base["precision"] == pytest.approx(y.mean())
    assert w.base_rate_train == pytest.approx(train["churned"].mean())
    assert isinstance(w, ChurnWarning) and "recency rule" in w.summary()


def test_logistic_weights_minimise_the_penalised_log_likelihood(tx):
    train, test = _periods(tx)
    cols = ["days_since_last", "n_purchase_days", "total_spend"]
    w = churn_warning(train, test, cols, C=0.5)
    x = train[cols].to_numpy(float)
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    y = train["churned"].to_numpy(float)

    def loss(theta):
        eta = theta[0] + z @ theta[1:]
        return 0.5 * theta[1:] @ theta[1:] + 0.5 * np.sum(
            np.logaddexp(0, eta) - y * eta
        )

    best = optimize.minimize(loss, np.zeros(len(cols) + 1), method="BFGS", tol=1e-12)
    np.testing.assert_allclose(w.coefficients.to_numpy(), best.x[1:], atol=2e-5)


def test_the_recency_rule_is_a_strong_baseline_on_recency_driven_data(tx):
    train, test = _periods(tx)
    w = churn_warning(train, test, ["days_since_last"])
    # one feature: the model's ranking is the rule's ranking, so the AUCs agree
    assert w.table.loc["logistic regression", "auc"] == pytest.approx(
        w.table.loc["recency rule", "auc"]
    )
    assert w.table.loc["recency rule", "auc"] > 0.6


def test_inputs_are_not_modified(tx):
    train, test = _periods(tx)
    before = train.copy()
    churn_warning(train, test, ["days_since_last"])
    pd.testing.assert_frame_equal(train, before)
