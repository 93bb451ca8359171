"""The seeded generator of the CRM database ``crm.sqlite`` (the kit's synthetic firm).

One firm, one currency (yuan, CNY), 2,000 customers who join in the first half of 2023
and are observed until 2024-06-29 (78 weeks). Five tables, each drawn from a crmkit
generator or from the tables before it:

- ``transactions``: :func:`crmkit.clv.make_transactions` (BG/NBD purchases with the
  published CDNOW parameters, Gamma-Gamma spend rescaled to yuan);
- ``customers``: one row per customer of the transactions, with synthetic identifiers
  (name, a phone number on a prefix no Chinese mobile number uses, an e-mail address on
  the reserved domain ``example.com``), birth date, city, sign-up channel and consent;
- ``interactions``: :func:`crmkit.channels.make_interactions` over the same 78 weeks,
  contacts before a customer's first purchase left out;
- ``complaints``: one row per interaction journey on the topic "complaint";
- ``survey_responses``: a CSAT (1–5) and NPS (0–10) answer after some journeys.

What the generator plants (so that students can find it, and the data card says it):
a first complaint that needed several contacts (or stayed unresolved) ends the
customer's purchases with probability 0.5, one settled at the first contact with 0.1;
CSAT falls when a journey ends unresolved, needs more contacts or waits longer than a
day; NPS rises with CSAT and with a customer's loyalty, which is lower for customers
whose BG/NBD drop-out probability is higher. The parameters are chosen for teaching,
not estimated from a firm.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from crmkit._replication import spawn_streams

__all__ = ["SCHEMA", "SEED", "build_tables", "table_content", "write_crm_database"]

#: the one seed of the database; the card quotes it
SEED = 20230101
N_CUSTOMERS = 2_000
START = "2023-01-01"
OBSERVE_WEEKS = 78.0
ACQUISITION_WEEKS = 26.0
#: BG/NBD purchase-rate scale: the CDNOW 4.414 weeks divided by 3, so that customers
#: buy three times as often as CDNOW's (a retailer visited about monthly)
ALPHA_WEEKS = 4.414 / 3
#: Gamma-Gamma scale of the CDNOW fit (dollars) times 7: spends in yuan for teaching
GAMMA_CNY = 15.44 * 7
#: chance that a customer buys nothing after a first complaint that needed several
#: contacts or stayed unresolved, and after one settled at the first contact
LOST_AFTER_HARD = 0.5
LOST_AFTER_EASY = 0.1
#: share of journeys whose customer answers the survey after the last contact
SURVEY_RESPONSE = 0.35

SCHEMA = """
CREATE TABLE customers (
    customer_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    gender TEXT NOT NULL CHECK (gender IN ('F', 'M')),
    birth_date TEXT NOT NULL,
    city TEXT NOT NULL,
    signup_date TEXT NOT NULL,
    signup_channel TEXT NOT NULL,
    marketing_consent INTEGER NOT NULL CHECK (marketing_consent IN (0, 1))
);
CREATE TABLE transactions (
    transaction_id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    date TEXT NOT NULL,
    amount_cny REAL NOT NULL CHECK (amount_cny >= 0),
    channel TEXT NOT NULL CHECK (channel IN ('store', 'online'))
);
CREATE TABLE interactions (
    interaction_id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    journey_id INTEGER NOT NULL,
    timestamp TEXT NOT NULL,
    channel TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    topic TEXT NOT NULL,
    response_time_min REAL,
    resolved INTEGER NOT NULL CHECK (resolved IN (0, 1))
);
CREATE TABLE complaints (
    complaint_id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    interaction_id INTEGER NOT NULL UNIQUE REFERENCES interactions (interaction_id),
    opened_at TEXT NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    contacts INTEGER NOT NULL CHECK (contacts >= 1),
    resolved INTEGER NOT NULL CHECK (resolved IN (0, 1)),
    resolved_at TEXT,
    compensation_cny REAL NOT NULL CHECK (compensation_cny >= 0)
);
CREATE TABLE survey_responses (
    response_id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    interaction_id INTEGER NOT NULL UNIQUE REFERENCES interactions (interaction_id),
    answered_on TEXT NOT NULL,
    csat INTEGER NOT NULL CHECK (csat BETWEEN 1 AND 5),
    nps INTEGER NOT NULL CHECK (nps BETWEEN 0 AND 10)
);
CREATE INDEX transactions_customer ON transactions (customer_id, date);
CREATE INDEX transactions_date ON transactions (date);
CREATE INDEX interactions_customer ON interactions (customer_id, timestamp);
CREATE INDEX interactions_journey ON interactions (journey_id);
CREATE INDEX complaints_customer ON complaints (customer_id);
CREATE INDEX survey_responses_customer ON survey_responses (customer_id);
"""

#: the BG/NBD and Gamma-Gamma arguments of the purchases (the rest are CDNOW's)
_PURCHASES = {
    "alpha": ALPHA_WEEKS,
    "gamma": GAMMA_CNY,
    "acquisition_weeks": ACQUISITION_WEEKS,
    "observe_weeks": OBSERVE_WEEKS,
    "start": START,
}
_SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹")
_GIVEN = tuple("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建红")
_CITIES = {
    "Beijing": 0.16,
    "Shanghai": 0.16,
    "Guangzhou": 0.12,
    "Shenzhen": 0.12,
    "Hangzhou": 0.10,
    "Chengdu": 0.09,
    "Wuhan": 0.08,
    "Nanjing": 0.07,
    "Xi'an": 0.05,
    "Chongqing": 0.05,
}
_SIGNUP = {"store": 0.35, "website": 0.20, "app": 0.25, "wechat": 0.20}
#: complaint categories and their shares
_CATEGORIES = dict(
    zip(
        (
            "product quality",
            "delivery",
            "after-sales service",
            "billing",
            "staff attitude",
        ),
        (0.35, 0.25, 0.20, 0.10, 0.10),
        strict=True,
    )
)
_TIME = "%Y-%m-%d %H:%M:%S"


def _customers(first: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    """Synthetic identifiers and profile of each customer (index = customer id)."""
    n = len(first)
    ids = first.index.to_numpy()
    surname = rng.choice(_SURNAMES, n)
    given = rng.choice(_GIVEN, (n, 2))
    two = rng.random(n) < 0.6  # two-character given names
    names = [
        s + g[0] + (g[1] if t else "")
        for s, g, t in zip(surname, given, two, strict=True)
    ]
    phones = rng.choice(100_000_000, n, replace=False)  # distinct 8-digit tails
    age_days = np.clip(rng.normal(36, 11, n), 18, 75) * 365.25
    birth = pd.Timestamp(START) - pd.to_timedelta(np.round(age_days), unit="D")
    return pd.DataFrame(
        {
            "customer_id": ids,
            "name": names,
            "phone": [f"100{p:08d}" for p in phones],
            "email": [f"c{i:05d}@example.com" for i in ids],
            "gender": rng.choice(["F", "M"], n),
            "birth_date": birth.strftime("%Y-%m-%d"),
            "city": rng.choice(list(_CITIES), n, p=list(_CITIES.values())),
            "signup_date": first.dt.strftime("%Y-%m-%d").to_numpy(),
            "signup_channel": rng.choice(list(_SIGNUP), n, p=list(_SIGNUP.values())),
            "marketing_consent": (rng.random(n) < 0.62).astype(int),
        }
    )


def _interactions(first: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    """The contact log over the 78 weeks, without contacts before the first purchase."""
    from crmkit.channels import make_interactions

    log = make_interactions(
        len(first), seed=rng, days=int(OBSERVE_WEEKS * 7), start=START
    )
    log = log[log["timestamp"] >= first.loc[log["customer_id"]].to_numpy()]
    log = log.drop(columns="stage").reset_index(drop=True)
    log["interaction_id"] = np.arange(1, len(log) + 1)
    log["journey_id"] = pd.factorize(log["journey_id"], sort=True)[0] + 1
    log["resolved"] = log["resolved"].astype(int)
    return log


def _journeys(log: pd.DataFrame) -> pd.DataFrame:
    """One row per journey: first and last contact, contacts, resolution, wait."""
    grouped = log.sort_values("interaction_id").groupby("journey_id", sort=True)
    out = grouped.agg(
        customer_id=("customer_id", "first"),
        first_id=("interaction_id", "first"),
        last_id=("interaction_id", "last"),
        opened_at=("timestamp", "first"),
        closed_at=("timestamp", "last"),
        channel=("channel", "first"),
        topic=("topic", "first"),
        contacts=("interaction_id", "size"),
        resolved=("resolved", "last"),
        longest_wait_min=("response_time_min", "max"),
    )
    return out.reset_index()


def _complaints(journeys: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One complaint per journey on the topic "complaint"."""
    rows = journeys[journeys["topic"] == "complaint"].reset_index(drop=True)
    n = len(rows)
    voucher = rng.choice([20.0, 50.0, 100.0], n)
    granted = (rows["resolved"].to_numpy() == 1) & (rng.random(n) < 0.3)
    resolved_at = rows["closed_at"].dt.strftime(_TIME).where(rows["resolved"] == 1)
    return pd.DataFrame(
        {
            "complaint_id": np.arange(1, n + 1),
            "customer_id": rows["customer_id"],
            "interaction_id": rows["first_id"],
            "opened_at": rows["opened_at"].dt.strftime(_TIME),
            "channel": rows["channel"],
            "category": rng.choice(list(_CATEGORIES), n, p=list(_CATEGORIES.values())),
            "contacts": rows["contacts"],
            "resolved": rows["resolved"],
            "resolved_at": resolved_at,
            "compensation_cny": np.where(granted, voucher, 0.0),
        }
    )


def _surveys(
    journeys: pd.DataFrame,
    loyalty: pd.Series,
    end: pd.Timestamp,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """A CSAT and NPS answer after some journeys (the planted relations in the doc)."""
    n = len(journeys)
    answers = rng.random(n) < SURVEY_RESPONSE
    delay = pd.to_timedelta(rng.integers(0, 3, n), unit="D")
    answered = (journeys["closed_at"] + delay).dt.normalize()
    latent = (
        4.3
        - 1.8 * (journeys["resolved"].to_numpy() == 0)
        - 0.35 * (journeys["contacts"].to_numpy() - 1)
        - 0.5 * (journeys["longest_wait_min"].fillna(0).to_numpy() > 1_440)
        + rng.normal(0, 0.8, n)
    )
    csat = np.clip(np.rint(latent), 1, 5).astype(int)
    u = loyalty.loc[journeys["customer_id"]].to_numpy()
    nps_latent = 7.0 + 1.3 * (csat - 3.5) + 1.2 * u + rng.normal(0, 1.3, n)
    nps = np.clip(np.rint(nps_latent), 0, 10).astype(int)
    keep = answers & (answered <= end).to_numpy()
    rows = journeys[keep].reset_index(drop=True)
    return pd.DataFrame(
        {
            "response_id": np.arange(1, len(rows) + 1),
            "customer_id": rows["customer_id"],
            "interaction_id": rows["last_id"],
            "answered_on": answered[keep].dt.strftime("%Y-%m-%d").to_numpy(),
            "csat": csat[keep],
            "nps": nps[keep],
        }
    )


def _lose_after_complaints(
    tx: pd.DataFrame, complaints: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Drop every purchase after a customer's first complaint, with probability
    ``LOST_AFTER_HARD`` when that complaint needed several contacts or stayed
    unresolved, else ``LOST_AFTER_EASY``."""
    first = complaints.sort_values("opened_at").drop_duplicates("customer_id")
    hard = (first["contacts"] > 1) | (first["resolved"] == 0)
    chance = np.where(hard, LOST_AFTER_HARD, LOST_AFTER_EASY)
    lost = first[rng.random(len(first)) < chance]
    when = pd.to_datetime(lost["opened_at"]).to_numpy()
    cut = tx["customer_id"].map(pd.Series(when, index=lost["customer_id"]))
    kept = cut.isna() | (tx["date"] <= cut.dt.normalize())
    return tx[kept.to_numpy()].reset_index(drop=True)


def build_tables(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """The five tables of the CRM database, drawn from ``seed`` (columns as stored).

    Examples
    --------
    >>> tables = build_tables()
    >>> sorted(tables), len(tables["customers"])
    (['complaints', 'customers', 'interactions', 'survey_responses', 'transactions'], 2000)
    """  # noqa: E501
    from crmkit.clv import make_transactions

    s_tx, s_cust, s_log, s_comp, s_survey, s_lost, s_channel = spawn_streams(seed, 7)
    tx, truth = make_transactions(N_CUSTOMERS, s_tx, truth=True, **_PURCHASES)
    end = pd.Timestamp(START) + pd.Timedelta(days=int(OBSERVE_WEEKS * 7) - 1)
    first = tx.groupby("customer_id")["date"].min()
    customers = _customers(first, s_cust)
    log = _interactions(first, s_log)
    journeys = _journeys(log)
    complaints = _complaints(journeys, s_comp)
    # loyalty: a standard-normal score, lower for a higher BG/NBD drop-out probability
    p = truth["dropout_prob"].clip(1e-6, 1 - 1e-6)
    logit = np.log(p / (1 - p))
    loyalty = -(logit - logit.mean()) / logit.std() * 0.8 + s_survey.normal(
        0, 0.6, len(p)
    )
    surveys = _surveys(journeys, loyalty, end, s_survey)
    tx = _lose_after_complaints(tx, complaints, s_lost)
    online = s_channel.beta(2, 2, N_CUSTOMERS)  # each customer's share of online buys
    share = online[tx["customer_id"].to_numpy() - 1]
    tx = pd.DataFrame(
        {
            "transaction_id": np.arange(1, len(tx) + 1),
            "customer_id": tx["customer_id"],
            "date": tx["date"].dt.strftime("%Y-%m-%d"),
            "amount_cny": tx["amount"],
            "channel": np.where(s_channel.random(len(tx)) < share, "online", "store"),
        }
    )
    log = log.assign(timestamp=log["timestamp"].dt.strftime(_TIME))
    return {
        "customers": customers,
        "transactions": tx,
        "interactions": log,
        "complaints": complaints,
        "survey_responses": surveys,
    }


def _write(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA foreign_keys = ON")
        con.executescript(SCHEMA)
        for name, frame in tables.items():
            cols = ", ".join(frame.columns)
            marks = ", ".join("?" * frame.shape[1])
            rows = frame.astype(object).where(frame.notna(), None)
            con.executemany(
                f"INSERT INTO {name} ({cols}) VALUES ({marks})",
                rows.itertuples(index=False, name=None),
            )
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()


def table_content(path: str | os.PathLike[str]) -> list[str]:
    """The database's schema and rows as SQL text (``iterdump``): equal lists mean
    equal content, whatever the SQLite version that wrote the bytes."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    con = sqlite3.connect(uri, uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def write_crm_database(path: str | os.PathLike[str], seed: int = SEED) -> bool:
    """Build the database into ``path``; leave an existing file with the same content
    untouched. Returns True when the file was (re)written."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(suffix=".sqlite", dir=target.parent)
    os.close(handle)
    tmp_path = Path(tmp)
    try:
        tmp_path.unlink()
        _write(tmp_path, build_tables(seed))
        if target.exists() and table_content(target) == table_content(tmp_path):
            return False
        os.replace(tmp_path, target)
        return True
    finally:
        tmp_path.unlink(missing_ok=True)
