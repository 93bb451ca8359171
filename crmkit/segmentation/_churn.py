"""A churn warning (流失预警): label customers by what they did after a cut-off date,
fit a logistic regression on an earlier period, and judge it on a later one against
two baselines (the base rate and a recency rule).

A customer "churns" when they buy nothing in the ``horizon_days`` after ``as_of``; the
features are computed only from what happened up to ``as_of``, so a model trained at
one cut-off and tested at a later one never sees the future it predicts (a split by
time, not by random rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from crmkit._frozen import set_fields
from crmkit._validate import (
    check_count,
    check_date,
    check_frame,
    check_positive,
    check_probability,
    show,
)
from crmkit.errors import DataError, ParameterError
from crmkit.segmentation._summary import customer_summary

__all__ = ["ChurnWarning", "churn_table", "churn_warning"]

_FEATURES = ("days_since_last", "n_purchase_days", "total_spend", "T")


def churn_table(
    transactions: pd.DataFrame,
    *,
    as_of: object,
    horizon_days: int = 90,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
) -> pd.DataFrame:
    """One row per customer known at ``as_of``: features up to ``as_of`` and the label.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase (never modified); see
        :func:`~crmkit.segmentation.customer_summary` for the column rules.
    as_of : date-like
        The cut-off: features use purchases on or before it.
    horizon_days : int, default 90
        The label window: ``churned`` is True when the customer buys nothing in the
        ``horizon_days`` days after ``as_of``. The window must end on or before the
        last date in ``transactions`` (otherwise the label is not known).
    customer, date, amount : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index = customer id; ``days_since_last`` (days from the last purchase to
        ``as_of``), ``n_purchase_days``, ``total_spend``, ``T`` (days since the first
        purchase) and ``churned`` (bool).

    Raises
    ------
    DataError
        Bad transactions, or a label window that runs past the data.
    ParameterError
        ``as_of`` not a date, ``horizon_days`` not a whole number ≥ 1.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2, 3], "date": ["2024-01-05",
    ...     "2024-02-20", "2024-01-10", "2024-03-30"], "amount": [10.0, 5, 8, 2]})
    >>> churn_table(tx, as_of="2024-01-31", horizon_days=30)[["days_since_last",
    ...     "churned"]]
                 days_since_last  churned
    customer_id
    1                         26    False
    2                         21     True
    """
    cut = check_date("as_of", as_of)
    horizon = check_count("horizon_days", horizon_days, minimum=1, maximum=36_525)
    summary = customer_summary(
        transactions, customer=customer, date=date, amount=amount, as_of=cut
    )
    when = pd.to_datetime(transactions[date]).dt.tz_localize(None).dt.normalize()
    end = when.max()
    stop = cut.normalize() + pd.Timedelta(days=horizon)
    if stop > end:
        raise DataError(
            f"as_of = {show(as_of)} with horizon_days = {horizon} needs purchases "
            f"up to {stop.date()}, but the transactions end on {end.date()}; pass an "
            "earlier as_of or a shorter horizon_days (the label must be known)."
        )
    window = (when > cut.normalize()) & (when <= stop)
    buyers = set(transactions.loc[window.to_numpy(), customer])
    out = summary[list(_FEATURES)].copy()
    out["churned"] = ~out.index.isin(list(buyers))
    return out


@dataclass(frozen=True)
class ChurnWarning:
    """What :func:`churn_warning` returns.

    ``table`` has one row per method ("base rate", "recency rule", "logistic
    regression") and the columns ``auc``, ``precision``, ``recall`` and ``flagged``
    (the customers flagged in the top ``flag_share`` of scores; ties at the cut are
    all flagged), all measured on the test period. ``coefficients`` are the
    logistic regression's weights on the standardised features; ``scores`` the test
    customers' predicted churn probabilities.
    """

    table: pd.DataFrame
    coefficients: pd.Series
    scores: pd.Series
    base_rate_train: float
    base_rate_test: float
    flag_share: float
    features: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        set_fields(self, features=tuple(self.features))

    def summary(self) -> str:
        """The comparison table as text (three decimals)."""
        head = (
            f"churn base rate: train {self.base_rate_train:.3f}, test "
            f"{self.base_rate_test:.3f}; flagged: top {self.flag_share:.0%}"
        )
        return head + "\n" + self.table.round(3).to_string()


def _check_split(name: str, frame: object, columns: list[str]) -> pd.DataFrame:
    frame = check_frame(frame, columns, what=name)
    if len(frame) < 2:
        raise DataError(
            f"{name} has {len(frame)} row(s); pass a table with at least two customers."
        )
    values = frame[columns[:-1]]
    bad = [c for c in values.columns if not pd.api.types.is_numeric_dtype(values[c])]
    if bad or not np.isfinite(values.to_numpy(dtype=float)).all():
        raise DataError(
            f"{name} has non-numeric, NaN or infinite values in {bad or columns[:-1]}; "
            "fill or drop those rows, or use numeric features only."
        )
    y = frame[columns[-1]]
    if not (pd.api.types.is_bool_dtype(y) or set(pd.unique(y)) <= {0, 1}):
        raise DataError(
            f"{name}[{columns[-1]!r}] must be True/False (or 1/0); convert it first."
        )
    if y.astype(bool).nunique() < 2:
        raise DataError(
            f"{name}[{columns[-1]!r}] holds one class only; pass a period with both "
            "churned and retained customers."
        )
    return frame


def _flag_metrics(y: np.ndarray, score: np.ndarray, share: float) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    k = max(1, int(np.ceil(share * y.size)))
    threshold = np.sort(score)[::-1][k - 1]
    flagged = score >= threshold
    hits = float((y & flagged).sum())
    return {
        "auc": float(roc_auc_score(y, score)),
        "precision": hits / float(flagged.sum()),
        "recall": hits / float(y.sum()),
        "flagged": int(flagged.sum()),
    }


def churn_warning(
    train: pd.DataFrame,
    test: pd.DataFrame,
    features: Sequence[str],
    *,
    label: str = "churned",
    rule: str = "days_since_last",
    flag_share: float = 0.2,
    C: float = 1.0,
) -> ChurnWarning:
    """Fit a logistic regression on ``train`` and compare it on ``test`` with the base
    rate and a one-feature rule.

    Parameters
    ----------
    train, test : pandas.DataFrame
        One row per customer (e.g. from :func:`churn_table` at two cut-offs, the test
        one later), with the ``features`` (numeric, finite) and ``label`` (bool).
        Never modified.
    features : sequence of str
        The columns the model uses.
    label : str, default "churned"
    rule : str, default "days_since_last"
        The column used alone as a score by the rule baseline (higher = more at risk):
        the recency rule "the longer since the last purchase, the likelier to leave".
    flag_share : float, default 0.2
        Share of test customers flagged by each method (its highest scores), in (0, 1].
    C : float, default 1.0
        Inverse strength of the L2 penalty of the logistic regression (> 0).

    Returns
    -------
    ChurnWarning
        AUC, precision, recall and the number flagged for each method, on ``test``.

    Raises
    ------
    DataError
        Missing columns, non-numeric or non-finite features, a label that is not
        True/False, or a period with one class only.
    ParameterError
        Empty or repeated ``features``, an unknown ``rule``, a bad ``flag_share`` or
        ``C``.

    References
    ----------
    D. R. Cox (1958), "The regression analysis of binary sequences", *Journal of the
    Royal Statistical Society B* 20(2):215–242 (logistic regression); J. A. Hanley and
    B. J. McNeil (1982), "The meaning and use of the area under a receiver operating
    characteristic (ROC) curve", *Radiology* 143(1):29–36 (the AUC as the probability
    that a churner is scored above a stayer).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> def period(n):
    ...     r = rng.exponential(60, n)
    ...     return pd.DataFrame({"days_since_last": r,
    ...                          "churned": rng.random(n) < r / (r + 60)})
    >>> w = churn_warning(period(400), period(400), ["days_since_last"])
    >>> list(w.table.index)
    ['base rate', 'recency rule', 'logistic regression']
    >>> float(w.table.loc["base rate", "auc"])
    0.5
    """
    if isinstance(features, str) or not isinstance(features, Sequence):
        raise ParameterError(
            f"features = {show(features)} is not a list of column names; pass e.g. "
            "['days_since_last', 'n_purchase_days']."
        )
    cols = list(features)
    if (
        not cols
        or len(set(cols)) != len(cols)
        or not all(isinstance(c, str) for c in cols)
    ):
        raise ParameterError(
            f"features = {show(features)} must be distinct column names, at least "
            "one; pass e.g. ['days_since_last']."
        )
    for name, value, example in (
        ("rule", rule, "'days_since_last'"),
        ("label", label, "'churned'"),
    ):
        if not isinstance(value, str):
            raise ParameterError(
                f"{name} = {show(value)} is not a column name; pass e.g. {example}."
            )
    share = check_probability("flag_share", flag_share, open_low=True)
    penalty = check_positive("C", C)
    needed = list(dict.fromkeys([*cols, rule]))
    for name, frame in (("train", train), ("test", test)):
        _check_split(name, frame, [*needed, label])
    return _fit(train, test, cols, label, rule, share, penalty)


def _fit(
    train: pd.DataFrame,
    test: pd.DataFrame,
    cols: list[str],
    label: str,
    rule: str,
    share: float,
    penalty: float,
) -> ChurnWarning:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x_train = train[cols].to_numpy(dtype=float)
    y_train = train[label].astype(bool).to_numpy()
    y_test = test[label].astype(bool).to_numpy()
    model = make_pipeline(
        StandardScaler(), LogisticRegression(C=penalty, tol=1e-10, max_iter=10_000)
    )
    model.fit(x_train, y_train)
    prob = model.predict_proba(test[cols].to_numpy(dtype=float))[:, 1]
    base = float(y_train.mean())
    rows = {
        "base rate": _flag_metrics(y_test, np.full(y_test.size, base), share),
        "recency rule": _flag_metrics(y_test, test[rule].to_numpy(dtype=float), share),
        "logistic regression": _flag_metrics(y_test, prob, share),
    }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "method"
    weights = model[-1].coef_[0]
    return ChurnWarning(
        table=table,
        coefficients=pd.Series(weights, index=cols, name="coefficient"),
        scores=pd.Series(prob, index=test.index, name="churn_probability"),
        base_rate_train=base,
        base_rate_test=float(y_test.mean()),
        flag_share=share,
        features=tuple(cols),
    )
