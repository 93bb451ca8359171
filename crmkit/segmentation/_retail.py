"""A reader for the UCI "Online Retail II" layout, with an explicit cleaning policy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from crmkit._validate import check_choice, check_columns, check_frame, show
from crmkit.errors import DataError, ParameterError
from crmkit.segmentation._summary import _parse_dates

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


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise DataError(f"{path} does not exist; check the path (and the folder).")
    if path.is_dir():
        raise DataError(f"{path} is a folder; pass the path of the CSV or Excel file.")
    try:
        if path.suffix.lower() in {".xlsx", ".xls"}:
            return pd.read_excel(path, dtype={"Invoice": str, "StockCode": str})
        return pd.read_csv(path, dtype={"Invoice": str, "StockCode": str})
    except ImportError as exc:
        raise DataError(
            f"reading Excel needs openpyxl ({exc}); install it with pip install "
            "openpyxl, or save the sheet as CSV."
        ) from exc
    except Exception as exc:  # any reader failure: say which file and what to do
        raise DataError(
            f"cannot read {path} ({type(exc).__name__}: {exc}); check that it is the "
            "Online Retail II file as CSV (UTF-8) or Excel."
        ) from exc


def _numbers(column: pd.Series, name: str, used: pd.Series) -> pd.Series:
    """``column`` as floats; text that is not a number, infinity, or a missing value
    in a row that is used (one with a customer id) raises a DataError."""
    if column.dtype.kind == "b":
        raise DataError(
            f"column {name!r} holds True/False values; pass numbers (the Online "
            "Retail layout has quantities and prices)."
        )
    parsed = pd.to_numeric(column, errors="coerce").astype(float)
    problems = (
        (parsed.isna() & column.notna(), "cannot be read as a number"),
        (np.isinf(parsed), "is infinite"),
        (parsed.isna() & used, "is missing"),
    )
    for bad, what in problems:
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(
                f"column {name!r} row {pos}: {show(column.iloc[pos])} {what} "
                f"({int(bad.sum())} such row(s)); fix or drop those rows."
            )
    return parsed


def read_online_retail(
    source: str | Path | pd.DataFrame,
    *,
    cancellations: str = "drop",
) -> pd.DataFrame:
    """Transactions from the UCI Online Retail II layout, ready for customer_summary.

    Source: D. Chen (2019), "Online Retail II", UCI Machine Learning Repository (a UK
    online gift retailer, 2009–2011; ``Price`` in pounds sterling). Read from CSV or
    Excel (Excel needs ``openpyxl``), or pass a DataFrame with the same columns.

    Policy (every excluded row is counted in ``attrs["excluded"]``, with its value).
    ``Quantity`` and ``Price`` are read as numbers (text such as "2" is parsed, as in
    the CSV file) and ``InvoiceDate`` as dates (numbers are refused); a value that
    cannot be read, an infinite one, or a missing one in a row with a customer id
    raises a :class:`~crmkit.errors.DataError` naming the row (counted from 0 in file
    order; the index of a DataFrame source is not used):

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
    cancellations = check_choice("cancellations", cancellations, ["drop", "keep"])
    if isinstance(source, pd.DataFrame):
        raw = source.copy()
    elif isinstance(source, str | Path):
        raw = _read(Path(source))
    else:
        raise ParameterError(
            f"source = {show(source)} is neither a file path nor a DataFrame; pass a "
            "file path (str or pathlib.Path) or a DataFrame with the Online Retail "
            "columns."
        )
    check_columns(
        raw,
        ONLINE_RETAIL_COLUMNS,
        what="source",
        fix="Rename the columns to the Online Retail layout "
        "(crmkit.segmentation.ONLINE_RETAIL_COLUMNS) or check the file.",
    )
    check_frame(raw, ONLINE_RETAIL_COLUMNS, what="source", min_rows=0)
    raw = raw.reset_index(drop=True)  # positions are the row numbers in messages
    invoice = raw["Invoice"].astype(str).str.strip()
    no_id = raw["Customer ID"].isna()
    qty = _numbers(raw["Quantity"], "Quantity", ~no_id)
    price = _numbers(raw["Price"], "Price", ~no_id)
    stamps = raw["InvoiceDate"]
    if (~no_id).any():
        # rows without a customer id are excluded anyway: give them a valid date so
        # that positions in messages are rows of the file
        stamps = stamps.where(~no_id, stamps[~no_id].iloc[0])
        when = _parse_dates("column 'InvoiceDate'", stamps)
    else:
        when = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[s]")
    amount = qty * price
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
