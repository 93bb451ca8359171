"""Complaint logs in the layout of the US CFPB Consumer Complaint Database."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from crmkit._validate import check_count, check_rng
from crmkit.errors import DataError

__all__ = ["CFPB_COLUMNS", "dispute_rates", "make_complaints", "read_cfpb"]

CFPB_COLUMNS = (
    "Date received",
    "Product",
    "Sub-product",
    "Issue",
    "Sub-issue",
    "Company",
    "State",
    "ZIP code",
    "Consumer consent provided?",
    "Submitted via",
    "Date sent to company",
    "Company response to consumer",
    "Timely response?",
    "Consumer disputed?",
)

# Shares below are aggregate figures of a 3,186-complaint CFPB sample from 2013 and 2016
# (see datasets/complaints.md); issue names follow the CFPB's public category list.
_PRODUCTS = {
    "Mortgage": (
        0.289,
        [
            "Loan modification,collection,foreclosure",
            "Loan servicing, payments, escrow account",
            "Application, originator, mortgage broker",
            "Settlement process and costs",
        ],
    ),
    "Credit reporting": (
        0.200,
        [
            "Incorrect information on credit report",
            "Credit reporting company's investigation",
            "Unable to get credit report/credit score",
            "Improper use of my credit report",
        ],
    ),
    "Debt collection": (
        0.196,
        [
            "Cont'd attempts collect debt not owed",
            "Disclosure verification of debt",
            "Communication tactics",
            "False statements or representation",
        ],
    ),
    "Bank account or service": (
        0.120,
        [
            "Account opening, closing, or management",
            "Deposits and withdrawals",
            "Problems caused by my funds being low",
            "Using a debit or ATM card",
        ],
    ),
    "Credit card": (
        0.106,
        [
            "Billing disputes",
            "Identity theft / Fraud / Embezzlement",
            "Closing/Cancelling account",
            "APR or interest rate",
        ],
    ),
    "Consumer Loan": (
        0.050,
        [
            "Managing the loan or lease",
            "Problems when you are unable to pay",
            "Taking out the loan or lease",
        ],
    ),
    "Student loan": (
        0.014,
        ["Dealing with my lender or servicer", "Can't repay my loan"],
    ),
    "Payday loan": (
        0.009,
        ["Charged fees or interest I didn't expect", "Can't contact lender"],
    ),
    "Money transfers": (0.008, ["Other transaction issues", "Fraud or scam"]),
    "Prepaid card": (0.008, ["Managing, opening, or closing account", "Fraud or scam"]),
}
_CHANNELS = {
    "Web": 0.701,
    "Referral": 0.167,
    "Phone": 0.063,
    "Postal mail": 0.053,
    "Fax": 0.016,
}
_RESPONSES = {
    "Closed with explanation": 0.781,
    "Closed with non-monetary relief": 0.121,
    "Closed with monetary relief": 0.068,
    "Closed": 0.021,
    "Untimely response": 0.008,
    "In progress": 0.001,
}
#: P(consumer disputed | response), from the same sample
_DISPUTE = {
    "Closed with explanation": 0.213,
    "Closed with non-monetary relief": 0.108,
    "Closed with monetary relief": 0.074,
    "Closed": 0.197,
}
_STATES = {
    "CA": 0.138,
    "FL": 0.091,
    "TX": 0.081,
    "NY": 0.071,
    "GA": 0.055,
    "NJ": 0.040,
    "IL": 0.038,
    "PA": 0.036,
    "VA": 0.033,
    "MD": 0.032,
    "OH": 0.030,
    "NC": 0.029,
    "MI": 0.027,
    "AZ": 0.025,
    "WA": 0.024,
    "MA": 0.023,
}


def make_complaints(
    n: int,
    seed: int | np.random.Generator | None,
    *,
    start: str = "2015-01-01",
    end: str = "2016-12-31",
) -> pd.DataFrame:
    """A synthetic complaint log in the CFPB layout, calibrated to a real sample.

    Product, channel (``Submitted via``), company response and timeliness shares, and
    the dispute probability given the response (about 7 % after monetary relief against
    21 % after an explanation only), follow the aggregate figures of a 3,186-complaint
    CFPB sample. Companies are fictitious ("Company 01" …, with a few large ones), ZIP
    codes are random, and dates are uniform between ``start`` and ``end``.

    Returns
    -------
    pandas.DataFrame
        The 14 columns of :data:`CFPB_COLUMNS`, formatted as the CFPB exports them
        (dates M/D/YYYY; Yes/No; empty when not applicable).

    Examples
    --------
    >>> log = make_complaints(500, seed=1)
    >>> list(log.columns) == list(CFPB_COLUMNS)
    True
    """
    n = check_count("n", n, minimum=1)
    rng = check_rng(seed)
    names = list(_PRODUCTS)
    shares = np.array([_PRODUCTS[p][0] for p in names])
    product = rng.choice(names, size=n, p=shares / shares.sum())
    issue = np.array([rng.choice(_PRODUCTS[p][1]) for p in product], dtype=object)
    companies = [f"Company {i:02d}" for i in range(1, 41)]
    weight = 1.0 / np.arange(1, 41) ** 1.1
    company = rng.choice(companies, size=n, p=weight / weight.sum())
    states = [*list(_STATES), "other"]
    state_p = np.array([*list(_STATES.values()), 1 - sum(_STATES.values())])
    state = rng.choice(states, size=n, p=state_p)
    others = [
        "AL",
        "CO",
        "CT",
        "IN",
        "KY",
        "LA",
        "MN",
        "MO",
        "NV",
        "OR",
        "SC",
        "TN",
        "UT",
        "WI",
    ]
    state = np.where(state == "other", rng.choice(others, size=n), state)
    via = rng.choice(
        list(_CHANNELS),
        size=n,
        p=np.array(list(_CHANNELS.values())) / sum(_CHANNELS.values()),
    )
    response = rng.choice(
        list(_RESPONSES),
        size=n,
        p=np.array(list(_RESPONSES.values())) / sum(_RESPONSES.values()),
    )
    first = pd.Timestamp(start)
    span = (pd.Timestamp(end) - first).days + 1
    received = first + pd.to_timedelta(rng.integers(0, span, n), unit="D")
    delay = np.where(rng.random(n) < 0.55, 0, rng.geometric(1 / 6, n))
    sent = received + pd.to_timedelta(delay, unit="D")
    timely = np.where(
        response == "Untimely response",
        "No",
        np.where(rng.random(n) < 0.005, "No", "Yes"),
    )
    p_dispute = np.array([_DISPUTE.get(r, np.nan) for r in response])
    answered = ~np.isnan(p_dispute) & (rng.random(n) > 0.01)
    disputed = np.where(
        answered, np.where(rng.random(n) < np.nan_to_num(p_dispute), "Yes", "No"), ""
    )
    consent = rng.choice(
        ["Consent provided", "Consent not provided", "Other", "N/A"],
        size=n,
        p=[0.40, 0.30, 0.03, 0.27],
    )
    fmt = "%-m/%-d/%Y"
    return pd.DataFrame(
        {
            "Date received": received.strftime(fmt),
            "Product": product,
            "Sub-product": "",
            "Issue": issue,
            "Sub-issue": "",
            "Company": company,
            "State": state,
            "ZIP code": [f"{z:05d}" for z in rng.integers(1000, 99950, n)],
            "Consumer consent provided?": consent,
            "Submitted via": via,
            "Date sent to company": sent.strftime(fmt),
            "Company response to consumer": response,
            "Timely response?": timely,
            "Consumer disputed?": disputed,
        }
    )


def read_cfpb(path: str | Path) -> pd.DataFrame:
    """Read a CFPB complaint export (or the synthetic log) into typed columns.

    Returns
    -------
    pandas.DataFrame
        The original columns with ``Date received`` and ``Date sent to company`` as
        dates, ``Timely response?`` and ``Consumer disputed?`` as nullable booleans
        (missing when not recorded — the CFPB stopped asking about disputes in 2017),
        categories for the text fields, and ``days_to_company``.

    Raises
    ------
    DataError
        A missing column, or a date that cannot be read (the message names the row).

    Examples
    --------
    >>> from crmkit.datasets import data_file
    >>> log = read_cfpb(data_file("complaints.csv"))
    >>> str(log["Consumer disputed?"].dtype)
    'boolean'
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path} does not exist.")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in CFPB_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(f"{path.name} lacks column(s) {missing}.")
    out = raw.loc[:, list(CFPB_COLUMNS)].copy()
    for col in ("Date received", "Date sent to company"):
        parsed = pd.to_datetime(
            raw[col].str.strip(), format="%m/%d/%Y", errors="coerce"
        )
        if parsed.isna().any():
            row = int(np.flatnonzero(parsed.isna().to_numpy())[0])
            raise DataError(
                f"column {col!r} row {row}: cannot read {raw[col].iloc[row]!r} "
                "as M/D/YYYY."
            )
        out[col] = parsed
    for col in ("Timely response?", "Consumer disputed?"):
        text = raw[col].str.strip()
        unknown = sorted(set(text) - {"Yes", "No", ""})
        if unknown:
            raise DataError(
                f"column {col!r} has values {unknown}; expected Yes, No or empty."
            )
        out[col] = text.map({"Yes": True, "No": False}).astype("boolean")
    for col in ("Product", "Submitted via", "Company response to consumer", "State"):
        out[col] = out[col].astype("category")
    out["days_to_company"] = (
        out["Date sent to company"] - out["Date received"]
    ).dt.days
    return out


def dispute_rates(
    log: pd.DataFrame, by: str = "Company response to consumer"
) -> pd.DataFrame:
    """Share of consumers who disputed the company's response, by group, with intervals.

    Complaints without a recorded answer are left out of the share and counted in
    ``not_recorded``. Intervals are Wilson 95 % intervals (scipy ``binomtest``).

    Examples
    --------
    >>> from crmkit.datasets import load_complaints
    >>> rates = dispute_rates(load_complaints())
    >>> bool(rates.loc["Closed with monetary relief", "dispute_rate"]
    ...      < rates.loc["Closed with explanation", "dispute_rate"])
    True
    """
    if by not in log.columns or "Consumer disputed?" not in log.columns:
        raise DataError(f"log needs {by!r} and 'Consumer disputed?' (use read_cfpb).")
    rows = []
    for group, part in log.groupby(by, observed=True, sort=False):
        answered = part["Consumer disputed?"].dropna()
        k, n = int(answered.sum()), int(answered.size)
        ci = stats.binomtest(k, n).proportion_ci(method="wilson") if n else None
        rows.append(
            {
                by: group,
                "complaints": len(part),
                "not_recorded": len(part) - n,
                "disputed": k,
                "dispute_rate": k / n if n else np.nan,
                "ci_low": ci.low if ci else np.nan,
                "ci_high": ci.high if ci else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index(by).sort_values("complaints", ascending=False)
