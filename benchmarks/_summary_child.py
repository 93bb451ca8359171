"""One contender of bench_segmentation.py, run in its own process (argv: method,
data)."""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np
import pandas as pd


def plain_pandas(tx: pd.DataFrame) -> pd.DataFrame:
    """The same columns as customer_summary, in the most direct pandas way."""
    day = tx["date"].dt.floor("D")
    daily = tx.groupby(["customer_id", day], sort=True)["amount"].sum().reset_index()
    g = daily.groupby("customer_id")
    first_day = g["date"].transform("min")
    out = g.agg(
        first_purchase=("date", "min"),
        last_purchase=("date", "max"),
        n_purchase_days=("date", "size"),
        total_spend=("amount", "sum"),
    )
    first_spend = (
        daily.loc[daily["date"] == first_day].groupby("customer_id")["amount"].sum()
    )
    as_of = pd.Timestamp("2024-12-31")
    out["days_since_last"] = (as_of - out["last_purchase"]).dt.days
    out["frequency"] = out["n_purchase_days"] - 1
    out["recency"] = (out["last_purchase"] - out["first_purchase"]).dt.days
    out["T"] = (as_of - out["first_purchase"]).dt.days
    repeat = (out["total_spend"] - first_spend) / out["frequency"]
    out["monetary_value"] = repeat.where(out["frequency"] > 0, 0.0)
    return out


def main(which: str, path: str) -> None:
    data = np.load(path)
    tx = pd.DataFrame(
        {
            "customer_id": data["customer"],
            "date": data["date"].astype("datetime64[s]"),
            "amount": data["amount"],
        }
    )
    del data
    start = time.perf_counter()
    if which == "crmkit":
        from crmkit.segmentation import customer_summary

        out = customer_summary(tx, as_of="2024-12-31")
    elif which == "pandas":
        out = plain_pandas(tx)
    else:
        from lifetimes.utils import summary_data_from_transaction_data

        out = summary_data_from_transaction_data(
            tx,
            "customer_id",
            "date",
            "amount",
            observation_period_end="2024-12-31",
            freq="D",
        )
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb, "customers": len(out)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
