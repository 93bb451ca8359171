"""The CRM database of the kit's synthetic firm, read through the standard library's
:mod:`sqlite3`.

The file ``crm_database.sqlite`` ships with the package (about 1.6 MB; ``make data``
rebuilds it from its seeded generator, see ``crm_database.md``). It is only ever
opened read-only: :func:`crm_database` gives a read-only connection for
``pandas.read_sql_query`` or ``sqlite3``, :func:`query` runs one statement and returns a
DataFrame, with a clear crmkit error for bad SQL or a missing table or column, and
:func:`database_schema` lists the tables, columns and keys.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from crmkit._validate import show
from crmkit.datasets._paths import data_file
from crmkit.errors import DataError, ParameterError

__all__ = ["FILE_NAME", "crm_database", "database_schema", "query"]

FILE_NAME = "crm_database.sqlite"
#: results larger than this many rows are refused (the largest table has ~5,400)
MAX_ROWS = 1_000_000
#: SQLite virtual-machine steps before a statement is stopped (a few seconds)
MAX_STEPS = 500_000_000
_STEP_CHECK = 10_000

_READ_PRAGMAS = {
    "table_info",
    "table_xinfo",
    "table_list",
    "foreign_key_list",
    "index_list",
    "index_info",
    "index_xinfo",
}
_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION}
_ALLOWED.add(getattr(sqlite3, "SQLITE_RECURSIVE", 33))


def _authorise(action: int, arg1: str | None, *_: object) -> int:
    """Allow reading only: SELECT, functions, recursive CTEs and schema pragmas."""
    if action in _ALLOWED:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _connect() -> sqlite3.Connection:
    path: Path = data_file(FILE_NAME)
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    con.set_authorizer(_authorise)
    return con


def crm_database() -> sqlite3.Connection:
    """An open, read-only :class:`sqlite3.Connection` to the CRM database.

    The database cannot be changed through it (it is opened with ``mode=ro`` and an
    authoriser that allows only reading); close it when done, e.g. with
    ``contextlib.closing``. The file itself is ``data_file("crm_database.sqlite")``.

    Returns
    -------
    sqlite3.Connection
        Tables ``customers``, ``transactions``, ``interactions``, ``complaints`` and
        ``survey_responses`` (dates as ISO text, money in yuan).

    Examples
    --------
    >>> from contextlib import closing
    >>> import pandas as pd
    >>> with closing(crm_database()) as con:
    ...     n = pd.read_sql_query("SELECT COUNT(*) AS n FROM customers", con)
    >>> int(n["n"].iloc[0])
    2000
    """
    return _connect()


def _tables(con: sqlite3.Connection) -> list[str]:
    rows = con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def _columns(con: sqlite3.Connection) -> dict[str, list[str]]:
    return {
        t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in _tables(con)
    }


def _check_sql(sql: object) -> str:
    if not isinstance(sql, str):
        raise ParameterError(
            f"sql = {show(sql)} is not text; pass one SQL statement as a str, e.g. "
            "query('SELECT * FROM customers LIMIT 5')."
        )
    if not sql.strip():
        raise ParameterError(
            f"sql = {sql!r} is empty; pass one SQL statement, e.g. "
            "'SELECT * FROM customers LIMIT 5'."
        )
    return sql


def _check_params(params: object) -> Sequence[object] | Mapping[str, object]:
    if params is None:
        return ()
    if isinstance(params, Mapping) or (
        isinstance(params, Sequence) and not isinstance(params, str | bytes)
    ):
        return params
    raise ParameterError(
        f"params = {show(params)} is neither a list, a tuple nor a dict; pass a tuple "
        "with one value per '?' (e.g. params=(5,)) or a dict for ':name' placeholders."
    )


def _explain(err: Exception, sql: str, params: object, con: sqlite3.Connection) -> str:
    """A message for a failed statement: what went wrong and how to fix it."""
    text = str(err)
    shown_sql = show(sql, limit=120)
    table = re.match(r"no such table: (?:main\.)?(\S+)", text)
    if table:
        have = ", ".join(_tables(con))
        return (
            f"sql = {shown_sql} refers to table {table.group(1)!r}, which the CRM "
            f"database does not have; use one of its tables: {have}."
        )
    column = re.match(r"no such column: (\S+)", text)
    if column:
        listing = "; ".join(f"{t}({', '.join(c)})" for t, c in _columns(con).items())
        return (
            f"sql = {shown_sql} names column {column.group(1)!r}, which no table in "
            f"the query has; check the spelling against the columns: {listing}."
        )
    if "authoriz" in text or "readonly" in text:
        return (
            f"sql = {shown_sql} would change the database, which is read-only (it "
            "ships with crmkit and every student gets the same data); use SELECT to "
            "read, or copy the file (data_file('crm_database.sqlite')) to write to "
            "your own copy."
        )
    if "interrupted" in text:
        return (
            f"sql = {shown_sql} ran for more than {MAX_STEPS:,} steps and was stopped; "
            "add the missing join condition (ON a.customer_id = b.customer_id) or a "
            "WHERE clause, or use LIMIT."
        )
    if "binding" in text.lower():
        return (
            f"params = {show(params)} does not fit the placeholders of sql = "
            f"{shown_sql} ({text}); pass one number, text or None per '?'."
        )
    if "one statement at a time" in text:
        return (
            f"sql = {shown_sql} holds more than one statement; split it and pass one "
            "statement per call."
        )
    return (
        f"sql = {shown_sql} is not a valid SQLite query ({text}); check the statement, "
        "e.g. 'SELECT city, COUNT(*) AS n FROM customers GROUP BY city'."
    )


def query(
    sql: str, params: Sequence[object] | Mapping[str, object] | None = None
) -> pd.DataFrame:
    """Run one read-only SQL statement on the CRM database and return the result.

    Parameters
    ----------
    sql : str
        One SQLite statement (``SELECT`` or ``WITH``; schema pragmas such as
        ``PRAGMA table_info(customers)`` also work). Statements that would write are
        refused.
    params : tuple, list or dict, optional
        Values for the ``?`` (or ``:name``) placeholders. Pass values this way rather
        than pasting them into ``sql``.

    Returns
    -------
    pandas.DataFrame
        One column per result column, as SQLite returns them (dates stay ISO text:
        convert with ``pd.to_datetime``).

    Raises
    ------
    ParameterError
        ``sql`` is not text or is empty; ``params`` is not a sequence or a mapping.
    DataError
        Bad SQL, a missing table (the message lists the tables) or column (it lists
        the columns), a statement that would write, placeholders that do not match
        ``params``, more than one statement, or a result above 1,000,000 rows or
        500,000,000 SQLite steps.

    Examples
    --------
    >>> query("SELECT COUNT(*) AS n FROM customers")["n"].tolist()
    [2000]
    >>> query("SELECT customer_id FROM customers WHERE customer_id <= ?", (2,))
       customer_id
    0            1
    1            2
    """
    text = _check_sql(sql)
    values = _check_params(params)
    con = _connect()
    steps = [0]

    def _progress() -> int:
        steps[0] += _STEP_CHECK
        return int(steps[0] > MAX_STEPS)

    con.set_progress_handler(_progress, _STEP_CHECK)
    try:
        try:
            cursor = con.execute(text, values)
            names = [d[0] for d in cursor.description or ()]
            rows = cursor.fetchmany(MAX_ROWS + 1)
        except (sqlite3.Error, sqlite3.Warning) as err:
            con.set_progress_handler(None, 0)
            raise DataError(_explain(err, text, params, con)) from None
        if len(rows) > MAX_ROWS:
            raise DataError(
                f"sql = {show(text, limit=120)} returns more than {MAX_ROWS:,} rows; "
                "add a WHERE clause, a GROUP BY or a LIMIT."
            )
    finally:
        con.close()
    return pd.DataFrame.from_records(rows, columns=names)


def database_schema() -> pd.DataFrame:
    """The tables and columns of the CRM database, with their keys.

    Returns
    -------
    pandas.DataFrame
        One row per column: ``table``, ``column``, ``type`` (SQLite type),
        ``primary_key`` and ``not_null`` (bool), and ``references`` (``"table.column"``
        of a foreign key, else empty text), in the order of the tables' definitions.

    Examples
    --------
    >>> schema = database_schema()
    >>> sorted(schema["table"].unique())
    ['complaints', 'customers', 'interactions', 'survey_responses', 'transactions']
    >>> schema.loc[schema["references"] != "", "references"].unique().tolist()
    ['customers.customer_id', 'interactions.interaction_id']
    """
    con = _connect()
    try:
        order = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
            )
        ]
        rows = []
        for table in order:
            keys = {
                r[3]: f"{r[2]}.{r[4]}"
                for r in con.execute(f"PRAGMA foreign_key_list({table})")
            }
            for _cid, name, kind, notnull, _default, pk in con.execute(
                f"PRAGMA table_info({table})"
            ):
                key = keys.get(name, "")
                rows.append((table, name, kind, bool(pk), bool(notnull or pk), key))
    finally:
        con.close()
    return pd.DataFrame(
        rows,
        columns=["table", "column", "type", "primary_key", "not_null", "references"],
    )
