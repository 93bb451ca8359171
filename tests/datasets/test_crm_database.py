"""The CRM database ``crm_database.sqlite``: its schema, row counts and keys, that the
shipped file is what its seeded generator builds, that reading never changes it, and
that :func:`crmkit.datasets.query` agrees with plain :mod:`sqlite3`.

The checks read the file with the standard library (``sqlite3`` pragmas and queries),
sharing no code with crmkit's loaders.
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from crmkit.datasets import crm_database, data_file, database_schema, query
from crmkit.datasets._crmdb_build import build_tables, table_content, write_crm_database

REPO = Path(__file__).resolve().parents[2]
PATH = data_file("crm_database.sqlite")
COLUMNS = {
    "customers": [
        "customer_id",
        "name",
        "phone",
        "email",
        "gender",
        "birth_date",
        "city",
        "signup_date",
        "signup_channel",
        "marketing_consent",
    ],
    "transactions": ["transaction_id", "customer_id", "date", "amount_cny", "channel"],
    "interactions": [
        "interaction_id",
        "customer_id",
        "journey_id",
        "timestamp",
        "channel",
        "direction",
        "topic",
        "response_time_min",
        "resolved",
    ],
    "complaints": [
        "complaint_id",
        "customer_id",
        "interaction_id",
        "opened_at",
        "channel",
        "category",
        "contacts",
        "resolved",
        "resolved_at",
        "compensation_cny",
    ],
    "survey_responses": [
        "response_id",
        "customer_id",
        "interaction_id",
        "answered_on",
        "csat",
        "nps",
    ],
}
#: the row counts the data card states
ROWS = {
    "customers": 2000,
    "transactions": 8365,
    "interactions": 4802,
    "complaints": 325,
    "survey_responses": 1075,
}


def _raw() -> sqlite3.Connection:
    return sqlite3.connect(PATH.resolve().as_uri() + "?mode=ro", uri=True)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _frame(sql: str) -> pd.DataFrame:
    with closing(_raw()) as con:
        return pd.read_sql_query(sql, con)


def test_the_file_is_small_and_ships_in_both_folders():
    assert PATH.stat().st_size < 3_000_000
    assert (REPO / "datasets" / PATH.name).read_bytes() == PATH.read_bytes()
    card = (REPO / "datasets" / "crm_database.md").read_text(encoding="utf-8")
    assert "## 中文摘要" in card and "Synthetic" in card and "合成数据" in card
    for table, columns in COLUMNS.items():
        assert f"`{table}`" in card
        assert f"{ROWS[table]:,}" in card
        for column in columns:
            assert f"`{column}`" in card, column


def test_schema_tables_columns_and_primary_keys():
    with closing(_raw()) as con:
        tables = {
            r[0]
            for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert tables == set(COLUMNS)
        for table, columns in COLUMNS.items():
            info = con.execute(f"PRAGMA table_info({table})").fetchall()
            assert [r[1] for r in info] == columns
            assert [r[1] for r in info if r[5]] == [columns[0]]  # one integer key
        indexed = {
            r[0]
            for r in con.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type='index'"
            )
        }
        assert set(COLUMNS) <= indexed


def test_row_counts():
    with closing(_raw()) as con:
        for table, n in ROWS.items():
            assert con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == n


def test_foreign_keys_hold_and_link_consistent_rows():
    with closing(_raw()) as con:
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        declared = {
            (t, r[3], r[2])
            for t in COLUMNS
            for r in con.execute(f"PRAGMA foreign_key_list({t})")
        }
    assert ("transactions", "customer_id", "customers") in declared
    assert ("complaints", "interaction_id", "interactions") in declared
    assert ("survey_responses", "interaction_id", "interactions") in declared
    # a complaint's and a survey's contact belong to the same customer
    for table in ("complaints", "survey_responses"):
        mismatched = _frame(
            f"SELECT COUNT(*) AS n FROM {table} x JOIN interactions i "
            "ON x.interaction_id = i.interaction_id WHERE x.customer_id != i.customer_id"
        )
        assert mismatched["n"].iloc[0] == 0
    topics = _frame(
        "SELECT DISTINCT i.topic FROM complaints c JOIN interactions i "
        "ON c.interaction_id = i.interaction_id"
    )
    assert topics["topic"].tolist() == ["complaint"]


def test_dates_values_and_identifiers_are_consistent():
    cust = _frame("SELECT * FROM customers")
    tx = _frame("SELECT * FROM transactions")
    log = _frame("SELECT * FROM interactions")
    surveys = _frame("SELECT * FROM survey_responses")
    first = tx.groupby("customer_id")["date"].min()
    assert (cust.set_index("customer_id")["signup_date"] == first).all()
    assert tx["date"].min() >= "2023-01-01" and tx["date"].max() <= "2024-06-29"
    assert surveys["answered_on"].max() <= "2024-06-29"
    signup = cust.set_index("customer_id")["signup_date"]
    assert (
        log["timestamp"].str[:10] >= signup.loc[log["customer_id"]].to_numpy()
    ).all()
    assert surveys["csat"].between(1, 5).all() and surveys["nps"].between(0, 10).all()
    assert cust["phone"].str.fullmatch(r"100\d{8}").all()
    assert cust["email"].str.endswith("@example.com").all()
    assert (tx["amount_cny"] >= 0).all()
    out = log["direction"] == "outbound"
    assert log.loc[out, "response_time_min"].isna().all()


def test_the_planted_loss_after_hard_complaints_is_there():
    # the card: a hard first complaint ends purchases with probability 0.5, an easy
    # one with 0.1; buying again must be rarer after hard ones (expected ratio 0.56)
    later = _frame(
        """
        WITH first AS (
            SELECT customer_id, MIN(opened_at) AS opened,
                   (contacts > 1 OR resolved = 0) AS hard
            FROM complaints GROUP BY customer_id
        )
        SELECT f.hard, AVG(EXISTS (
            SELECT 1 FROM transactions t
            WHERE t.customer_id = f.customer_id AND t.date > substr(f.opened, 1, 10)
        )) AS buys_again, COUNT(*) AS n
        FROM first f GROUP BY f.hard
        """
    ).set_index("hard")
    assert later.loc[1, "buys_again"] < 0.75 * later.loc[0, "buys_again"]


def test_the_shipped_file_is_what_the_generator_builds(tmp_path):
    fresh = tmp_path / "fresh.sqlite"
    assert write_crm_database(fresh) is True
    assert table_content(fresh) == table_content(PATH)
    # an identical rebuild leaves the file alone
    stamp = fresh.stat().st_mtime_ns
    assert write_crm_database(fresh) is False
    assert fresh.stat().st_mtime_ns == stamp


def test_building_twice_gives_identical_tables():
    a, b = build_tables(), build_tables()
    assert list(a) == list(COLUMNS)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    other = build_tables(seed=1)
    assert not other["transactions"].equals(a["transactions"])


def test_reading_never_changes_the_shipped_file():
    before, stamp = _sha(PATH), PATH.stat().st_mtime_ns
    query("SELECT * FROM customers")
    for sql in (
        "DELETE FROM customers",
        "DROP TABLE customers",
        "UPDATE customers SET name = 'x'",
        "CREATE TABLE t (x)",
        "INSERT INTO customers (customer_id) VALUES (9999)",
    ):
        with pytest.raises(ValueError, match="read-only"):
            query(sql)
    with closing(crm_database()) as con:
        with pytest.raises(sqlite3.DatabaseError):
            con.execute("DELETE FROM transactions")
        with pytest.raises(sqlite3.DatabaseError):
            con.execute("ATTACH DATABASE ':memory:' AS other")
        assert con.execute("SELECT COUNT(*) FROM transactions").fetchone()[0] == 8365
    assert _sha(PATH) == before and PATH.stat().st_mtime_ns == stamp


def test_query_agrees_with_plain_sqlite():
    sql = (
        "SELECT c.city, COUNT(t.transaction_id) AS n, SUM(t.amount_cny) AS spend "
        "FROM customers c LEFT JOIN transactions t USING (customer_id) "
        "WHERE c.gender = ? GROUP BY c.city ORDER BY c.city"
    )
    got = query(sql, ("F",))
    with closing(_raw()) as con:
        want = pd.read_sql_query(sql, con, params=("F",))
    pd.testing.assert_frame_equal(got, want)
    named = query(
        "SELECT COUNT(*) AS n FROM survey_responses WHERE csat >= :low", {"low": 4}
    )
    assert (
        named["n"].iloc[0]
        == _frame("SELECT COUNT(*) AS n FROM survey_responses WHERE csat >= 4")[
            "n"
        ].iloc[0]
    )
    assert list(query("PRAGMA table_info(customers)")["name"]) == COLUMNS["customers"]
    empty = query("SELECT * FROM customers WHERE customer_id < 0")
    assert empty.empty and list(empty.columns) == COLUMNS["customers"]


def test_database_schema_lists_every_column_and_key():
    schema = database_schema()
    for table, columns in COLUMNS.items():
        assert schema.loc[schema["table"] == table, "column"].tolist() == columns
    keys = schema[schema["primary_key"]]
    assert sorted(keys["column"]) == sorted(c[0] for c in COLUMNS.values())
    refs = schema.set_index(["table", "column"])["references"]
    assert refs[("transactions", "customer_id")] == "customers.customer_id"
    assert refs[("survey_responses", "interaction_id")] == "interactions.interaction_id"
    assert refs[("customers", "name")] == ""
