"""Loaders of the two discrete-time CLV data sets: the FHS (2010) donations (BG/BB)
and the FH (2007) retention cohorts (sBG). They read, check and return; they never
write."""

from __future__ import annotations

import pandas as pd

from crmkit._validate import check_bool
from crmkit.datasets._loaders import _require
from crmkit.datasets._paths import data_file

__all__ = ["load_donations", "load_retention_cohorts"]

_DONATION_COLUMNS = ["frequency", "recency", "periods", "weights"]


def load_donations(expand: bool = False) -> pd.DataFrame:
    """The charity donations of Fader, Hardie & Shang (2010): 11,104 donors of 1995
    and their repeat donations in the 6 years 1996–2001.

    Parameters
    ----------
    expand : bool, default False
        False: the 22 (frequency, recency) patterns with their ``weights`` (number of
        donors), as shipped. True: one row per donor (11,104 rows, ``donor_id``
        1 … 11,104), without ``weights``.

    Returns
    -------
    pandas.DataFrame
        ``frequency`` (repeat donations), ``recency`` (year of the last, 1 … 6; 0 when
        none), ``periods`` (6) and ``weights``, all integers; see
        ``datasets/donations.md``.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and J. Shang (2010), "Customer-base analysis in a
    discrete-time noncontractual setting", *Marketing Science* 29(6):1086–1108
    (the donation data).

    Examples
    --------
    >>> d = load_donations()
    >>> len(d), int(d["weights"].sum())
    (22, 11104)
    >>> load_donations(expand=True).shape
    (11104, 4)
    """
    expand = check_bool("expand", expand)
    frame = pd.read_csv(data_file("donations.csv"))
    _require(frame, _DONATION_COLUMNS, "donations.csv")
    frame = frame[_DONATION_COLUMNS].astype("int64")
    if not expand:
        return frame
    rows = frame.loc[frame.index.repeat(frame["weights"])].drop(columns="weights")
    rows = rows.reset_index(drop=True)
    rows.insert(0, "donor_id", range(1, len(rows) + 1))
    return rows


def load_retention_cohorts(survivors: bool = False) -> pd.DataFrame:
    """The two contract cohorts of Fader & Hardie (2007, Table 1), "regular" and
    "highend", 1,000 customers each, observed for 7 renewal years.

    Parameters
    ----------
    survivors : bool, default False
        False: one row per customer (``customer_id``, ``recency``, ``T``,
        ``cohort``), as shipped: ``recency`` is the last period the customer was
        active (period 1 = year 0), ``recency == T`` (8) means still active. True:
        the active customers by ``year`` (0 … 7), one column per cohort, the input
        of :meth:`crmkit.clv.ShiftedBetaGeometric.fit_survivors`.

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2007), "How to project customer retention",
    *Journal of Interactive Marketing* 21(1):76–90 (Table 1).

    Examples
    --------
    >>> load_retention_cohorts(survivors=True)["regular"].tolist()
    [1000, 631, 468, 382, 326, 289, 262, 241]
    >>> load_retention_cohorts()["cohort"].value_counts().sort_index().tolist()
    [1000, 1000]
    """
    survivors = check_bool("survivors", survivors)
    frame = pd.read_csv(data_file("retention_cohorts.csv"))
    columns = ["customer_id", "recency", "T", "cohort"]
    _require(frame, columns, "retention_cohorts.csv")
    frame = frame[columns].astype(
        {"customer_id": "int64", "recency": "int64", "T": "int64", "cohort": "category"}
    )
    if not survivors:
        return frame
    years = range(int(frame["T"].max()))
    table = {
        name: [int((group["recency"] > year).sum()) for year in years]
        for name, group in frame.groupby("cohort", observed=True)
    }
    return pd.DataFrame(table, index=pd.Index(years, name="year")).reset_index()
