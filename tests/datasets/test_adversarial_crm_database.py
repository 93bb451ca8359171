"""Bad input to the CRM database helpers gets a clear crmkit error: bad SQL, a missing
table (the message lists the tables) or column (it lists the columns), writes, several
statements, placeholders that do not fit, and results too large to finish."""

from __future__ import annotations

import pytest

from crmkit.datasets import _crmdb, query
from crmkit.errors import DataError
from tests.adversarial import assert_clear_error, stable_id

pytestmark = pytest.mark.adversarial

COVERS = ("crmkit.datasets.query",)
EXEMPT = {
    "crmkit.datasets.crm_database": "takes no argument",
    "crmkit.datasets.database_schema": "takes no argument",
}
TABLES = ["complaints", "customers", "interactions", "survey_responses", "transactions"]


@pytest.mark.parametrize(
    "sql", [None, 3, b"SELECT 1", ["SELECT 1"], True, "", "   \n"], ids=stable_id
)
def test_sql_must_be_one_statement_of_text(sql):
    assert_clear_error(lambda: query(sql), "sql", sql)


@pytest.mark.parametrize("params", ["F", b"F", 5, 2.0, {1, 2}], ids=stable_id)
def test_params_must_be_a_sequence_or_a_mapping(params):
    sql = "SELECT * FROM customers WHERE gender = ?"
    assert_clear_error(lambda: query(sql, params), "params", params)


@pytest.mark.parametrize(
    "sql", ["SELEC * FROM customers", "SELECT * FROM", "SELECT (1", "hello"]
)
def test_bad_sql_is_named_with_the_fix(sql):
    err = assert_clear_error(lambda: query(sql), "sql", sql)
    assert "not a valid SQLite query" in str(err)


@pytest.mark.parametrize(
    "table", ["customer", "orders", "Transactions_2023", "survey"], ids=stable_id
)
def test_a_missing_table_is_named_and_the_tables_are_listed(table):
    sql = f"SELECT * FROM {table}"
    err = assert_clear_error(lambda: query(sql), "sql", sql)
    message = str(err)
    assert repr(table) in message
    for name in TABLES:
        assert name in message


def test_a_missing_column_lists_the_columns():
    sql = "SELECT customer_name FROM customers"
    err = assert_clear_error(lambda: query(sql), "sql", sql)
    assert "'customer_name'" in str(err) and "customers(customer_id, name" in str(err)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM customers",
        "DROP TABLE complaints",
        "UPDATE transactions SET amount_cny = 0",
        "CREATE TABLE x (a)",
        "ATTACH DATABASE 'other.sqlite' AS other",
        "PRAGMA journal_mode = WAL",
        "VACUUM",
    ],
)
def test_writes_are_refused_as_read_only(sql):
    err = assert_clear_error(lambda: query(sql), "sql", sql)
    assert "read-only" in str(err)


def test_several_statements_are_refused():
    sql = "SELECT 1; SELECT 2"
    err = assert_clear_error(lambda: query(sql), "sql", sql)
    assert "more than one statement" in str(err)


@pytest.mark.parametrize("params", [(), (1, 2), ([1],), ({"a": 1},)], ids=stable_id)
def test_params_that_do_not_fit_the_placeholders(params):
    sql = "SELECT * FROM customers WHERE customer_id = ?"
    assert_clear_error(lambda: query(sql, params), "params", params)


def test_too_many_steps_stop_a_runaway_join(monkeypatch):
    monkeypatch.setattr(_crmdb, "MAX_STEPS", 200_000)
    sql = "SELECT COUNT(*) FROM transactions, interactions"
    err = assert_clear_error(lambda: query(sql), "sql", sql)
    assert "join condition" in str(err)


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(_crmdb, "MAX_ROWS", 100)
    sql = "SELECT * FROM transactions"
    err = assert_clear_error(lambda: query(sql), "sql", sql)
    assert "100 rows" in str(err)


def test_errors_are_crmkit_errors_and_the_good_case_works():
    with pytest.raises(DataError):
        query("SELECT * FROM nowhere")
    assert query("SELECT COUNT(*) AS n FROM complaints")["n"].iloc[0] == 325
