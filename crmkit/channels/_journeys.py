"""Touchpoints (接触点): a multi-channel interaction log and the customer journeys in
it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit._replication import check_rng
from crmkit._validate import (
    check_count,
    check_date,
    check_dates,
    check_frame,
    check_optional_column,
    check_probability,
    check_real,
    show,
)
from crmkit.channels._email import _key_column
from crmkit.errors import ParameterError

__all__ = ["JourneyTable", "journey_table", "make_interactions"]

_CHANNELS = ("phone", "e-mail", "chat", "website", "face-to-face", "letter")
_STAGES = {"acquisition": 0.20, "growth": 0.30, "maturity": 0.35, "decline": 0.15}
_JOURNEYS = {"acquisition": 2.5, "growth": 2.0, "maturity": 1.5, "decline": 1.0}
_TOPICS = {
    "product question": 0.30,
    "billing": 0.25,
    "delivery": 0.20,
    "account change": 0.15,
    "complaint": 0.10,
}
# first channel of a customer-initiated journey, by stage (shares over _CHANNELS)
_FIRST = {
    "acquisition": (0.25, 0.10, 0.20, 0.40, 0.05, 0.00),
    "growth": (0.30, 0.15, 0.20, 0.30, 0.05, 0.00),
    "maturity": (0.35, 0.15, 0.15, 0.25, 0.08, 0.02),
    "decline": (0.40, 0.20, 0.10, 0.20, 0.05, 0.05),
}
_OUTBOUND = (
    0.25,
    0.60,
    0.00,
    0.00,
    0.00,
    0.15,
)  # firm-initiated: phone, e-mail, letter
_RESOLVE = dict(zip(_CHANNELS, (0.75, 0.60, 0.70, 0.45, 0.85, 0.50), strict=True))
#: the simulation loops over customers in Python (about 0.1 ms each)
_MAX_CUSTOMERS = 1_000_000
#: 100 years: longer spans or windows leave the range of pandas timestamps
_MAX_DAYS = 36_525.0

# median response time in minutes and log-sd (inbound contacts)
_RESPONSE = dict(
    zip(
        _CHANNELS,
        ((2.0, 0.8), (360.0, 0.9), (1.0, 0.7), (0.0, 0.0), (5.0, 0.6), (4320.0, 0.5)),
        strict=True,
    )
)


def _start(value: object) -> pd.Timestamp:
    """``start`` as a Timestamp: a date or date text, never a bare number."""
    return check_date("start", value)


def make_interactions(
    n_customers: int,
    seed: int | np.random.Generator | None,
    *,
    days: int = 90,
    start: str = "2024-01-01",
    outbound_share: float = 0.2,
) -> pd.DataFrame:
    """A synthetic interaction log across channels: who contacted whom, how, about what.

    Customers in four lifecycle stages start journeys (a Poisson number each, more for
    new customers), most customer-initiated, some firm-initiated (e-mail, phone,
    letter). The first channel depends on the stage (new customers start on the website,
    declining ones call). A contact resolves the topic with a channel-specific
    first-contact resolution rate (face-to-face 85 %, phone 75 %, chat 70 %, e-mail 60
    %, letter 50 %, website 45 %); if not, the customer comes back within days, often
    through another channel, and raises the same topic again. **Illustrative
    parameters**, chosen to show the course's touchpoint ideas, not estimated from a
    particular firm.

    Parameters
    ----------
    n_customers : int
        A whole number, 1 to 1,000,000 (the simulation takes about 0.1 ms per
        customer).
    seed : int, Generator or None
    days : float, default 90
        Length of the log, > 0 and at most 36,525 (100 years).
    start : date-like, default "2024-01-01"
        A date or date text, never a bare number.
    outbound_share : float, default 0.2
        Share of journeys the firm starts, in [0, 1].

    Returns
    -------
    pandas.DataFrame
        ``interaction_id``, ``customer_id``, ``stage``, ``journey_id``, ``timestamp``,
        ``channel``, ``direction`` (inbound = customer-initiated, outbound =
        firm-initiated), ``topic``, ``response_time_min`` (inbound only), ``resolved``.

    Examples
    --------
    >>> log = make_interactions(200, seed=1)
    >>> sorted(log["direction"].unique())
    ['inbound', 'outbound']
    """
    n = check_count("n_customers", n_customers, minimum=1, maximum=_MAX_CUSTOMERS)
    span = check_real("days", days, low=0, low_open=True, high=_MAX_DAYS)
    share = check_probability("outbound_share", outbound_share)
    first = _start(start)
    low, high = pd.Timestamp.min, pd.Timestamp.max  # the nanosecond range
    if not low <= first <= high - pd.Timedelta(days=span + 1):
        raise ParameterError(
            f"start = {show(start)} with days = {span:g} leaves the dates pandas can "
            f"hold ({low.date()} to {high.date()}); pass a start in that range and "
            "fewer days."
        )
    rng = check_rng(seed)
    stages = rng.choice(list(_STAGES), size=n, p=list(_STAGES.values()))
    rows = []
    journey = 0
    for cust in range(n):
        stage = str(stages[cust])
        for _ in range(rng.poisson(_JOURNEYS[stage])):
            journey += 1
            t = rng.uniform(0, span)
            topic = str(rng.choice(list(_TOPICS), p=list(_TOPICS.values())))
            outbound = rng.random() < share
            channel = str(
                rng.choice(_CHANNELS, p=_OUTBOUND if outbound else _FIRST[stage])
            )
            for attempt in range(4):
                inbound = not (outbound and attempt == 0)
                median, sd = _RESPONSE[channel]
                response = (
                    median * rng.lognormal(0, sd)
                    if inbound and median > 0
                    else (0.0 if inbound else np.nan)
                )
                resolved = bool(rng.random() < _RESOLVE[channel])
                rows.append(
                    (
                        cust + 1,
                        stage,
                        journey,
                        t,
                        channel,
                        "inbound" if inbound else "outbound",
                        topic,
                        response,
                        resolved,
                    )
                )
                if resolved:
                    break
                t += rng.exponential(1.5)
                if rng.random() < 0.5:  # switch channel, favouring the phone
                    channel = str(
                        rng.choice(_CHANNELS, p=(0.45, 0.15, 0.15, 0.10, 0.15, 0.0))
                    )
    log = pd.DataFrame(
        rows,
        columns=[
            "customer_id",
            "stage",
            "journey_id",
            "day",
            "channel",
            "direction",
            "topic",
            "response_time_min",
            "resolved",
        ],
    )
    log = log[log["day"] < span].sort_values(["customer_id", "day"], kind="stable")
    log.insert(0, "interaction_id", np.arange(1, len(log) + 1))
    stamp = first + pd.to_timedelta(
        log["day"] * 86_400, unit="s"
    ).dt.round("s")
    log.insert(4, "timestamp", stamp)
    log["response_time_min"] = log["response_time_min"].round(2)
    return log.drop(columns="day").reset_index(drop=True)


@dataclass(frozen=True)
class JourneyTable:
    """What :func:`journey_table` returns."""

    customers: pd.DataFrame  # one row per customer
    switching: pd.DataFrame  # from channel (rows) → next channel (columns), counts
    response_times: pd.DataFrame  # per channel, inbound contacts
    repeated: pd.DataFrame  # contacts that raised a topic raised shortly before


def journey_table(
    log: pd.DataFrame, *, repeat_window_days: float = 7.0
) -> JourneyTable:
    """Customer journeys across touchpoints, from an interaction log.

    A contact is a **repeated question** when the same customer raised the same topic in
    another contact within ``repeat_window_days`` before it: the situation "never ask
    the customer the same question twice" is about, and a sign that touchpoints do not
    share what they know.

    Parameters
    ----------
    log : DataFrame
        One row per contact with ``customer_id``, ``timestamp``, ``channel`` and
        ``topic`` (none missing, each of one type; timestamps are datetimes or date
        text, never numbers); ``direction`` and ``response_time_min`` (numbers >= 0,
        empty where not applicable) are used when present. The index is not used
        (a repeated index is fine). Contacts of one customer at the same time keep
        their order in the log.
    repeat_window_days : float, default 7
        > 0 and at most 36,525 (100 years).

    Returns
    -------
    JourneyTable
        ``customers``: contacts, channels used, the channel sequence ("website →
        phone"), first and last touch (time and channel), repeated questions;
        ``switching``: how often one channel is followed by another for the same
        customer; ``response_times``: contacts, median, mean and 90th percentile minutes
        per channel (inbound); ``repeated``: the repeated contacts themselves.

    Examples
    --------
    >>> log = make_interactions(300, seed=2)
    >>> jt = journey_table(log)
    >>> int(jt.switching.to_numpy().sum()) == len(log) - log["customer_id"].nunique()
    True
    """
    window = pd.Timedelta(
        days=check_real(
            "repeat_window_days",
            repeat_window_days,
            low=0,
            low_open=True,
            high=_MAX_DAYS,
        )
    )
    check_frame(log, ["customer_id", "timestamp", "channel", "topic"], what="log")
    when = check_dates("log['timestamp']", log["timestamp"], copy=False)
    for key in ("customer_id", "channel", "topic"):
        _key_column(log[key], f"log[{key!r}]")
    extra = {}
    if "response_time_min" in log.columns:
        extra["response_time_min"] = check_optional_column(
            log, "response_time_min", what="log", empty=np.nan, low=0
        )
    # positions, not the caller's index, order the rows (a repeated index is fine)
    df = (
        log.reset_index(drop=True)
        .assign(
            timestamp=when.reset_index(drop=True), _row=np.arange(len(log)), **extra
        )
        .sort_values(["customer_id", "timestamp"], kind="stable")
    )
    prev_same_topic = df.groupby(["customer_id", "topic"])["timestamp"].shift(1)
    repeated_mask = (df["timestamp"] - prev_same_topic) <= window
    df = df.assign(
        repeated=repeated_mask.fillna(False), _channel=df["channel"].map(str)
    )
    g = df.groupby("customer_id", sort=True)
    customers = pd.DataFrame(
        {
            "contacts": g.size(),
            "channels_used": g["channel"].nunique(),
            "channel_sequence": g["_channel"].agg(" → ".join),
            "first_touch": g["timestamp"].min(),
            "first_channel": g["channel"].first(),
            "last_touch": g["timestamp"].max(),
            "last_channel": g["channel"].last(),
            "repeated_questions": g["repeated"].sum().astype(int),
        }
    )
    nxt = g["channel"].shift(-1)
    pairs = pd.DataFrame({"from": df["channel"], "to": nxt}).dropna()
    switching = pd.crosstab(pairs["from"], pairs["to"])
    if "response_time_min" in df:
        inbound = df if "direction" not in df else df[df["direction"] == "inbound"]
        rt = inbound.groupby("channel")["response_time_min"]
        response = pd.DataFrame(
            {
                "contacts": rt.count(),
                "median_min": rt.median(),
                "mean_min": rt.mean(),
                "p90_min": rt.quantile(0.9),
            }
        )
    else:
        response = pd.DataFrame(
            columns=["contacts", "median_min", "mean_min", "p90_min"]
        )
    hits = df.loc[df["repeated"], "_row"].to_numpy()
    repeated = log.iloc[hits].copy()  # the caller's rows and index, times parsed
    repeated["timestamp"] = when.iloc[hits].set_axis(repeated.index)
    return JourneyTable(customers, switching, response, repeated)
