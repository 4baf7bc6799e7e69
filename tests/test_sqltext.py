"""finsam.sqltext: a text quoted as a literal or an identifier reaches DuckDB as it is, quotes and all."""
import duckdb

from finsam.sqltext import identifier, literal


def test_a_literal_and_an_identifier_hold_their_quotes():
    text = "Anna's \"data\" '; drop table t; --"
    con = duckdb.connect()
    con.execute(f"create table {identifier(text)} (a integer)")
    con.execute(f"comment on table {identifier(text)} is {literal(text)}")
    assert con.execute("select table_name, comment from duckdb_tables()").fetchall() == [(text, text)]
