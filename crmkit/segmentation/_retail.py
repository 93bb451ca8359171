"""A reader for the UCI "Online Retail II" layout, with an explicit cleaning policy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from crmkit.errors import DataError, ParameterError

__all__ = ["ONLINE_RETAIL_COLUMNS", "read_online_retail"]

ONLINE_RETAIL_COLUMNS = (
    "Invoice",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "Price",
    "Customer ID",
    "Country",
)


def read_online_retail(
    source: str | Path | pd.DataFrame,
    *,
    cancellations: str = "drop",
) -> pd.DataFrame:
    """Transactions from the UCI Online Retail II layout, ready for customer_summary.

    Source: D. Chen (2019), "Online Retail II", UCI Machine Learning Repository (a UK
    online gift retailer, 2009–2011; ``Price`` in pounds sterling). Read from CSV or
    Excel (Excel needs ``openpyxl``), or pass a DataFrame with the same columns.

    Policy (every excluded row is counted in ``attrs["excluded"]``, with its value):

    - **missing customer id**: excluded (a purchase nobody can be linked to);
    - **non-positive price**: excluded (adjustments, bad debt, free samples);
    - **cancellations** (invoices starting with "C", or negative quantities):
      ``cancellations="drop"`` (default) excludes them; ``"keep"`` returns them as
      negative amounts for study (``customer_summary`` refuses negative amounts, so
      decide how to treat returns before summarising).

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (text), ``date`` (datetime), ``amount`` (Quantity × Price, £),
        ``invoice``, ``country``. ``attrs["excluded"]`` is a small table of what was
        left out and why.

    Examples
    --------
    >>> raw = pd.DataFrame({
    ...     "Invoice": ["1", "1", "C2", "3"], "StockCode": ["A", "B", "A", "C"],
    ...     "Description": ["", "", "", ""], "Quantity": [2, 1, -2, 5],
    ...     "InvoiceDate": ["2010-12-01 08:26", "2010-12-01 08:26", "2010-12-02 10:00",
    ...                     "2010-12-03 09:00"],
    ...     "Price": [2.5, 4.0, 2.5, 1.0], "Customer ID": [17850, 17850, 17850, None],
    ...     "Country": ["United Kingdom"] * 4})
    >>> tx = read_online_retail(raw)
    >>> tx["amount"].tolist(), tx.attrs["excluded"]["rows"].tolist()
    ([5.0, 4.0], [1, 0, 1])
    """
    if cancellations not in {"drop", "keep"}:
        raise ParameterError(
            f"cancellations must be 'drop' or 'keep', not {cancellations!r}."
        )
    if isinstance(source, pd.DataFrame):
        raw = source.copy()
    else:
        path = Path(source)
        if not path.exists():
            raise DataError(f"{path} does not exist.")
        if path.suffix.lower() in {".xlsx", ".xls"}:
            try:
                raw = pd.read_excel(path, dtype={"Invoice": str, "StockCode": str})
            except ImportError as exc:
                raise DataError(
                    "reading Excel needs openpyxl: pip install openpyxl"
                ) from exc
        else:
            raw = pd.read_csv(path, dtype={"Invoice": str, "StockCode": str})
    missing = [c for c in ONLINE_RETAIL_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(
            f"the Online Retail layout needs columns {missing}; "
            f"found {list(raw.columns)}."
        )
    invoice = raw["Invoice"].astype(str).str.strip()
    qty = pd.to_numeric(raw["Quantity"], errors="coerce")
    price = pd.to_numeric(raw["Price"], errors="coerce")
    when = pd.to_datetime(raw["InvoiceDate"], errors="coerce")
    for name, parsed in (("Quantity", qty), ("Price", price), ("InvoiceDate", when)):
        bad = parsed.isna() & raw[name].notna()
        if bad.any():
            row = raw.index[int(np.flatnonzero(bad.to_numpy())[0])]
            raise DataError(
                f"column {name!r} row {row!r}: cannot read {raw[name].loc[row]!r}."
            )
    amount = qty * price
    no_id = raw["Customer ID"].isna()
    bad_price = ~no_id & (price <= 0)
    cancelled = ~no_id & ~bad_price & (invoice.str.startswith("C") | (qty < 0))
    dropped_cancellations = (
        cancelled if cancellations == "drop" else pd.Series(False, index=raw.index)
    )
    report = [
        ("missing customer id", no_id),
        ("non-positive price", bad_price),
        ("cancellation", dropped_cancellations),
    ]
    excluded = pd.DataFrame(
        {
            "reason": [r for r, _ in report],
            "rows": [int(m.sum()) for _, m in report],
            "amount": [float(amount[m].sum()) for _, m in report],
        }
    )
    keep = ~no_id & ~bad_price & ~dropped_cancellations
    ids = raw.loc[keep, "Customer ID"]
    ids = ids.map(
        lambda v: (
            str(int(v)) if isinstance(v, float) and float(v).is_integer() else str(v)
        )
    )
    out = pd.DataFrame(
        {
            "customer_id": ids,
            "date": when[keep],
            "amount": amount[keep],
            "invoice": invoice[keep],
            "country": raw.loc[keep, "Country"],
        }
    )
    out = out.reset_index(drop=True)
    out.attrs["excluded"] = excluded
    return out
