"""Complaint logs in the layout of the US CFPB Consumer Complaint Database."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from crmkit._replication import check_rng
from crmkit._validate import (
    check_count,
    check_dates,
    check_frame,
    check_path,
    show,
)
from crmkit.errors import DataError, ParameterError

__all__ = ["CFPB_COLUMNS", "dispute_rates", "make_complaints", "read_cfpb"]

#: the most rows :func:`make_complaints` makes in one call (about 40 s)
MAX_SYNTHETIC_ROWS = 500_000
#: the largest file :func:`read_cfpb` loads at once, in bytes (1 GB)
MAX_CFPB_BYTES = 10**9
_RATE_COLUMNS = (
    "complaints",
    "not_recorded",
    "disputed",
    "dispute_rate",
    "ci_low",
    "ci_high",
)
_DATE_COLUMNS = ("Date received", "Date sent to company")
_YES_NO_COLUMNS = ("Timely response?", "Consumer disputed?")

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

    Parameters
    ----------
    n : int
        Complaints, 1 to 500,000 (the log is built row by row; 500,000 take about
        40 seconds).
    seed : int, Generator or None
    start, end : date
        The first and last day (ISO text such as ``"2015-01-01"``, a ``datetime`` or a
        ``Timestamp``; the time of day and time zone are dropped). ``end`` must not be
        before ``start``.

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
    n = check_count("n", n, minimum=1, maximum=MAX_SYNTHETIC_ROWS)
    rng = check_rng(seed)
    first, last = _day("start", start), _day("end", end)
    if last < first:
        raise ParameterError(
            f"end = {show(end)} is before start = {show(start)}; pass an end on or "
            "after the start."
        )
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
    span = (last - first).days + 1
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


def _day(name: str, value: object) -> pd.Timestamp:
    """One date argument as a time-zone-free midnight ``Timestamp``."""
    if isinstance(value, list | tuple | set | dict | np.ndarray | pd.Series):
        ok = False
    else:
        try:
            day = check_dates(name, [value]).iloc[0]
            ok = True
        except DataError:
            ok = False
    if not ok:
        raise ParameterError(
            f"{name} = {show(value)} is not a date; pass one date such as "
            "'2015-01-01' (YYYY-MM-DD) or a pandas.Timestamp."
        )
    day = pd.Timestamp(day)
    if day.tz is not None:
        day = day.tz_localize(None)
    return day.normalize()


def _read_csv(path: Path, **kwargs: object) -> pd.DataFrame:
    """``pd.read_csv`` with the reasons a file cannot be read turned into DataError."""
    where = f"path = {str(path)!r}"
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs
        )
    except pd.errors.EmptyDataError:
        raise DataError(
            f"{where} is empty; pass a CSV export with a header row and complaints."
        ) from None
    except UnicodeDecodeError:
        raise DataError(
            f"{where} is not UTF-8 text (an Excel or other binary file?); save it "
            "as 'CSV UTF-8' and pass that file."
        ) from None
    except pd.errors.ParserError as exc:
        raise DataError(
            f"{where} is not a well-formed CSV file ({exc}); check the file, e.g. "
            "re-export it from the CFPB site."
        ) from None
    except OSError as exc:
        raise DataError(
            f"{where} cannot be opened ({exc.strerror or exc}); check the path and "
            "that you may read the file."
        ) from None


def _row_list(rows: np.ndarray) -> str:
    """``"row 3"`` or ``"rows 3, 8 and 12 more"``."""
    shown = ", ".join(str(int(r)) for r in rows[:5])
    more = f" and {len(rows) - 5:,} more" if len(rows) > 5 else ""
    return ("row " if len(rows) == 1 else "rows ") + shown + more


def read_cfpb(path: str | Path) -> pd.DataFrame:
    """Read a CFPB complaint export (or the synthetic log) into typed columns.

    Only the 14 columns of :data:`CFPB_COLUMNS` are kept (others, such as the
    complaint narrative, are not loaded); column names may carry stray spaces and the
    file a byte-order mark. Dates are read as M/D/YYYY (the CFPB's export format) or
    YYYY-MM-DD; ``Yes``/``No`` in any letter case. The file may be at most 1 GB:
    filter a larger export (by date range or product) first.

    Parameters
    ----------
    path : str or path-like
        A CSV file.

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
        The file is missing, a folder, empty, not CSV text or larger than 1 GB; a
        missing column (all are named); no complaints; dates that cannot be read or
        Yes/No columns with other values (the message names the rows: row 0 is the
        first complaint, on line 2 of the file).

    Examples
    --------
    >>> from crmkit.datasets import data_file
    >>> log = read_cfpb(data_file("complaints.csv"))
    >>> str(log["Consumer disputed?"].dtype)
    'boolean'
    """
    path = check_path("path", path, example="read_cfpb('complaints.csv')")
    where = f"path = {str(path)!r}"
    if not path.exists():
        raise DataError(
            f"{where} does not exist; check the spelling and the folder (relative "
            f"paths start in {str(Path.cwd())!r})."
        )
    if path.is_dir():
        raise DataError(f"{where} is a folder; pass the CSV file inside it.")
    size = path.stat().st_size
    if size > MAX_CFPB_BYTES:
        raise DataError(
            f"{where} holds {size / 1e9:.1f} GB, more than the "
            f"{MAX_CFPB_BYTES / 1e9:g} GB read_cfpb loads at once; filter the export "
            "first (by date range or product) or split it into smaller files."
        )
    header = [str(c).strip() for c in _read_csv(path, nrows=0).columns]
    missing = [c for c in CFPB_COLUMNS if c not in header]
    if missing:
        have = ", ".join(repr(c) for c in header[:16]) or "no columns"
        raise DataError(
            f"{where} lacks column(s) {missing}; it has {have}. Rename your columns "
            "to the CFPB names (crmkit.complaints.CFPB_COLUMNS) or export all "
            "columns from the CFPB site."
        )
    twice = sorted({c for c in header if c in CFPB_COLUMNS and header.count(c) > 1})
    if twice:
        raise DataError(
            f"{where} has the column(s) {twice} more than once; delete the copies."
        )
    raw = _read_csv(path, usecols=lambda c: str(c).strip() in CFPB_COLUMNS)
    raw.columns = [str(c).strip() for c in raw.columns]
    if raw.empty:
        raise DataError(
            f"{where} has the CFPB columns but no complaints; pass a file with at "
            "least one row."
        )
    out = raw.loc[:, list(CFPB_COLUMNS)].copy()
    for col in _DATE_COLUMNS:
        text = raw[col].str.strip()
        parsed = pd.to_datetime(text, format="%m/%d/%Y", errors="coerce")
        iso = parsed.isna()
        if iso.any():
            parsed[iso] = pd.to_datetime(text[iso], format="%Y-%m-%d", errors="coerce")
        bad = np.flatnonzero(parsed.isna().to_numpy())
        if bad.size:
            row = int(bad[0])
            raise DataError(
                f"{where}: column {col!r} has {bad.size:,} value(s) that are not "
                f"dates, in {_row_list(bad)} (first: {raw[col].iloc[row]!r} in "
                f"row {row}, line {row + 2} of the file); write the dates as "
                "M/D/YYYY (as the CFPB exports them) or YYYY-MM-DD, or drop those "
                "rows."
            )
        out[col] = parsed
    for col in _YES_NO_COLUMNS:
        text = raw[col].str.strip().str.casefold()
        odd = ~text.isin(["yes", "no", ""])
        if odd.any():
            bad = np.flatnonzero(odd.to_numpy())
            values = sorted(set(raw[col][odd]))[:5]
            raise DataError(
                f"{where}: column {col!r} has values {values} in "
                f"{_row_list(bad)}; write Yes or No there, or leave the cell empty "
                "when not recorded."
            )
        out[col] = text.map({"yes": True, "no": False}).astype("boolean")
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
    Complaints with no value in ``by`` form a group of their own (shown as missing),
    so the counts add up to the log's rows.

    Parameters
    ----------
    log : pandas.DataFrame
        A complaint log as :func:`read_cfpb` returns it: ``Consumer disputed?`` must
        hold True/False (or missing), not the text Yes/No.
    by : str, default "Company response to consumer"
        The column to group by.

    Raises
    ------
    DataError
        ``log`` is not a DataFrame, has no rows, lacks a column, or its
        ``Consumer disputed?`` column does not hold True/False.
    ParameterError
        ``by`` is not a column name (text).

    Examples
    --------
    >>> from crmkit.datasets import load_complaints
    >>> rates = dispute_rates(load_complaints())
    >>> bool(rates.loc["Closed with monetary relief", "dispute_rate"]
    ...      < rates.loc["Closed with explanation", "dispute_rate"])
    True
    """
    if not isinstance(log, pd.DataFrame):
        raise DataError(
            f"log = {show(log)} is a {type(log).__name__}, not a DataFrame; pass the "
            "table read_cfpb(path) returns."
        )
    if not isinstance(by, str):
        raise ParameterError(
            f"by = {show(by)} is a {type(by).__name__}, not a column name; pass one "
            "column name as text, e.g. by='Product'."
        )
    check_frame(log, {"by": by}, what="log")
    check_frame(log, ["Consumer disputed?"], what="log")
    if by in _RATE_COLUMNS:
        raise ParameterError(
            f"by = {by!r} is also the name of a column of the result; rename that "
            "column of log first."
        )
    disputed = _disputed(log["Consumer disputed?"])
    try:
        key = log[by].reset_index(drop=True)
        groups = list(
            disputed.reset_index(drop=True).groupby(
                key, observed=True, sort=False, dropna=False
            )
        )
    except TypeError:
        raise DataError(
            f"log[{by!r}] holds values that cannot be grouped (lists or dicts?); "
            "pass a column of text or numbers as by."
        ) from None
    rows = []
    for group, part in groups:
        answered = part.dropna()
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


def _disputed(column: pd.Series) -> pd.Series:
    """``Consumer disputed?`` as a new nullable-boolean Series, or a DataError."""
    name = "log['Consumer disputed?']"
    if isinstance(column, pd.DataFrame):
        raise DataError(
            f"{name} is more than one column (repeated names?); rename the copies."
        )
    if column.dtype == bool or isinstance(column.dtype, pd.BooleanDtype):
        return column.astype("boolean")
    values = column.dropna()
    text = values[values.map(lambda v: isinstance(v, str))]
    if len(text):
        raise DataError(
            f"{name} holds text such as {show(text.iloc[0])}, not True/False; call "
            "read_cfpb(path) on the file, which turns Yes/No into True/False, or "
            "convert the column, e.g. log['Consumer disputed?'] == 'Yes'."
        )
    odd = values[~values.map(lambda v: isinstance(v, bool | np.bool_))]
    if len(odd):
        raise DataError(
            f"{name} holds {show(odd.iloc[0])} (dtype {column.dtype}), not "
            "True/False; convert it first, e.g. log['Consumer disputed?'] == 'Yes', "
            "or read the file with read_cfpb."
        )
    return column.astype("boolean")
