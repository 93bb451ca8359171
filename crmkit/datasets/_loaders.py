"""Loaders of the shipped data sets (they read, check and return; they never write)."""

from __future__ import annotations

import pandas as pd

from crmkit._validate import check_bool, check_columns
from crmkit.datasets._paths import data_file

__all__ = [
    "load_call_centre",
    "load_cdnow",
    "load_channel_costs",
    "load_complaints",
    "load_email_campaign",
    "load_interactions",
]


def load_call_centre() -> pd.DataFrame:
    """The synthetic call log (14 days, Anonymous Bank layout), parsed.

    See ``datasets/call_centre.md`` for how it was made and what it is calibrated to.

    Examples
    --------
    >>> log = load_call_centre()
    >>> sorted(log["outcome"].cat.categories)
    ['AGENT', 'HANG']
    """
    from crmkit.queues.calllog import read_call_log

    return read_call_log(data_file("call_centre.csv"))


def load_cdnow(sample: bool = False) -> pd.DataFrame:
    """The CDNOW purchase records (Fader & Hardie 2001): full cohort or the 1/10 sample.

    Parameters
    ----------
    sample : bool, default False
        False: all 23,570 customers (69,659 rows). True: the 2,357-customer sample of
        Fader, Hardie & Lee (2005), whose ``customer_id`` is the sample id (1 … 2,357)
        used by the published summaries; ``master_id`` links to the full file.

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (int), ``date`` (datetime), ``quantity`` (CDs, int) and
        ``amount`` (US dollars); plus ``master_id`` for the sample.

    Examples
    --------
    >>> tx = load_cdnow()
    >>> tx["customer_id"].nunique(), round(float(tx["amount"].sum()), 2)
    (23570, 2500315.63)
    >>> load_cdnow(sample=True)["customer_id"].nunique()
    2357
    """
    if check_bool("sample", sample):
        raw = pd.read_csv(
            data_file("cdnow_sample.txt"),
            sep=r"\s+",
            header=None,
            names=["master_id", "customer_id", "date", "quantity", "amount"],
            dtype={"date": str},
        )
        columns = ["customer_id", "date", "quantity", "amount", "master_id"]
    else:
        raw = pd.read_csv(
            data_file("cdnow_master.txt"),
            sep=r"\s+",
            header=0,
            names=["customer_id", "date", "quantity", "amount"],
            dtype={"date": str},
        )
        columns = ["customer_id", "date", "quantity", "amount"]
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d").astype("datetime64[s]")
    raw["customer_id"] = raw["customer_id"].astype("int64")
    raw["quantity"] = raw["quantity"].astype("int64")
    raw["amount"] = raw["amount"].astype("float64")
    return raw[columns]


def load_channel_costs() -> pd.DataFrame:
    """Published cost per contact by channel (US dollars), one source per row.

    Examples
    --------
    >>> costs = load_channel_costs()
    >>> float(costs.loc[costs["channel"] == "chat", "cost_per_contact_usd"].iloc[0])
    3.82
    """
    frame = pd.read_csv(data_file("channel_costs.csv"), dtype={"year": "Int64"})
    _require(
        frame,
        ["channel", "contact_type", "cost_per_contact_usd", "year", "source"],
        "channel_costs.csv",
    )
    return frame


def load_interactions() -> pd.DataFrame:
    """The synthetic multi-channel interaction log (2,000 customers, 90 days).

    Examples
    --------
    >>> log = load_interactions()
    >>> log["timestamp"].dtype.kind
    'M'
    """
    frame = pd.read_csv(data_file("interactions.csv"), parse_dates=["timestamp"])
    _require(
        frame,
        [
            "interaction_id",
            "customer_id",
            "stage",
            "journey_id",
            "timestamp",
            "channel",
            "direction",
            "topic",
            "response_time_min",
            "resolved",
        ],
        "interactions.csv",
    )
    return frame


def load_email_campaign() -> pd.DataFrame:
    """The synthetic e-mail campaign: sends and opens by segment, weekday and hour.

    Examples
    --------
    >>> int(load_email_campaign()["sends"].sum()) > 100_000
    True
    """
    frame = pd.read_csv(data_file("email_campaign.csv"))
    _require(
        frame, ["segment", "weekday", "hour", "sends", "opens"], "email_campaign.csv"
    )
    return frame


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    check_columns(
        frame,
        columns,
        what=name,
        fix="Reinstall crmkit, or in a clone rebuild the data with `make data`.",
    )


def load_complaints() -> pd.DataFrame:
    """The synthetic complaint log (5,000 complaints, CFPB layout), parsed.

    Examples
    --------
    >>> len(load_complaints())
    5000
    """
    from crmkit.complaints import read_cfpb

    return read_cfpb(data_file("complaints.csv"))
