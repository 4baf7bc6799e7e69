"""The latest-wins rule in SQL (finsam.io.combine.Rader): files appended one by one, combined in the build."""
import datetime as dt

import duckdb
import polars as pl
import pytest

from finsam.io import combine
from finsam.io.combine import Rader
from finsam.sources import sus

OLD, MID, NEW = dt.datetime(2020, 1, 1), dt.datetime(2021, 1, 1), dt.datetime(2022, 1, 1)


def spells(fil: str, andrad: dt.datetime, rows: list[tuple]) -> pl.DataFrame:
    """One file's parsed SUS rows: (rad, person, start, slut, avslutsorsak, anonym)."""
    return pl.DataFrame([{"forbund": "sydnarke", "insats": "Steget", "insats_id": None, "person": person,
                          "anonym": anonym, "kon": "kvinna", "fodelsear": 1980, "start": start, "slut": slut,
                          "avslutsorsak": orsak, "kategori": None, "fil": fil, "rad": rad, "andrad": andrad}
                         for rad, person, start, slut, orsak, anonym in rows], schema=sus.OUTPUT)


def combined(frames: list[pl.DataFrame]) -> tuple[list[tuple], list, duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    con.execute("create schema staging")
    rows = Rader(con, "staging.sus_registreringar", sus.COMBINE)
    for frame in frames:
        rows.add(frame)
    findings = rows.combine(sus.KALLA)
    kept = con.execute("select person, start, slut, avslutsorsak, fil, rad from staging.sus_registreringar").fetchall()
    return kept, findings, con


D1, D2 = dt.date(2019, 2, 1), dt.date(2019, 6, 30)


def test_newest_file_wins_and_each_differing_copy_is_one_finding():
    old = spells("raw/sus/a.csv", OLD, [(2, "P1", D1, None, None, False), (3, "P2", D1, D2, "Arbete", False)])
    mid = spells("raw/sus/b.csv", MID, [(2, "P1", D1, D2, "Arbete", False), (3, "P2", D1, D2, "Arbete", False)])
    new = spells("raw/sus/c.csv", NEW, [(5, "P1", D1, D2, "Arbete", False)])
    kept, findings, con = combined([new, old, mid])  # the order files are read in does not matter
    assert kept == [("P1", D1, D2, "Arbete", "raw/sus/c.csv", 5), ("P2", D1, D2, "Arbete", "raw/sus/b.csv", 3)]
    # b.csv's P1 agrees with the winner; a.csv's P1 (open, NULL slut) does not; P2's copies agree
    assert [(f.regel, f.fil, f.rad, f.hittat, f.forvantat, f.forbund, f.insats, f.ar) for f in findings] == [
        ("dubblett_konflikt", "raw/sus/a.csv", 2, "slut=None, avslutsorsak=None, anonym=False",
         "slut=2019-06-30, avslutsorsak=Arbete, anonym=False", "sydnarke", "Steget", 2019)]
    assert "(raw/sus/c.csv) wins" in findings[0].beskrivning
    # the appended rows were in a temporary table of the connection, gone once combined
    assert con.execute("select count(*) from duckdb_tables() where starts_with(table_name, '_filer_')"
                       ).fetchone() == (0,)
    assert con.execute("select table_name from duckdb_tables() where not temporary").fetchall() == [
        ("sus_registreringar",)]


def test_the_appended_rows_are_in_a_temporary_table_never_in_the_build_file(tmp_path, monkeypatch):
    monkeypatch.setattr(combine, "BATCH_ROWS", 1)   # every file's rows inserted at once
    con = duckdb.connect(str(tmp_path / "b.duckdb"))
    con.execute("create schema staging")
    rows = Rader(con, "staging.sus_registreringar", sus.COMBINE)
    rows.add(spells("raw/sus/a.csv", OLD, [(2, "P1", D1, None, None, False)]))
    assert con.execute("select table_name, temporary, estimated_size from duckdb_tables() where table_name = ?",
                       [rows.raw]).fetchall() == [("_filer_staging_sus_registreringar", True, 1)]
    rows.combine(sus.KALLA)
    assert con.execute("select count(*) from staging.sus_registreringar").fetchone() == (1,)


def test_within_one_file_the_later_row_wins():
    kept, findings, _ = combined([spells("raw/sus/a.csv", OLD, [(2, "P1", D1, None, None, False),
                                                                (9, "P1", D1, D2, "Arbete", False)])])
    assert kept == [("P1", D1, D2, "Arbete", "raw/sus/a.csv", 9)]
    assert [(f.rad, f.hittat) for f in findings] == [(2, "slut=None, avslutsorsak=None, anonym=False")]


def test_anonymous_reexport_is_counted_once_and_identical_anonymous_spells_stay_apart():
    same = [(None, D1, None, None, True), (None, D1, None, None, True)]
    old = spells("raw/sus/a.csv", OLD, [(2 + i, *r) for i, r in enumerate(same)])
    new = spells("raw/sus/b.csv", NEW, [(4 + i, *r) for i, r in enumerate([*same, (None, D1, None, None, True)])])
    kept, findings, _ = combined([old, new])
    # the key holds the insats as names are compared (steget), so a re-export in capitals matches too
    assert [(p, fil, rad) for p, _, _, _, fil, rad in kept] == [
        ("anon|sydnarke|steget|2019-02-01||kvinna|1980|0", "raw/sus/b.csv", 4),
        ("anon|sydnarke|steget|2019-02-01||kvinna|1980|1", "raw/sus/b.csv", 5),
        ("anon|sydnarke|steget|2019-02-01||kvinna|1980|2", "raw/sus/b.csv", 6)]
    assert findings == []


def test_rows_are_written_a_batch_at_a_time(monkeypatch):
    monkeypatch.setattr(combine, "BATCH_ROWS", 2)
    files = [spells(f"raw/sus/{i}.csv", OLD + dt.timedelta(days=i), [(2, f"P{i}", D1, None, None, False),
                                                                       (3, "P", D1, None, None, False)])
             for i in range(5)]
    kept, findings, _ = combined(files)
    assert [(p, fil) for p, _, _, _, fil, _ in kept] == [("P", "raw/sus/4.csv"), *((f"P{i}", f"raw/sus/{i}.csv")
                                                                                   for i in range(5))]
    assert findings == []


def test_no_files_give_an_empty_table_with_the_columns():
    con = duckdb.connect()
    con.execute("create schema staging")
    assert Rader(con, "staging.sus_registreringar", sus.COMBINE).combine(sus.KALLA) == []
    columns = con.execute("select column_name, data_type from duckdb_columns() "
                          "where table_name = 'sus_registreringar'").fetchall()
    assert [c for c, _ in columns] == list(sus.OUTPUT)
    assert dict(columns)["andrad"] == "TIMESTAMP" and dict(columns)["start"] == "DATE"


@pytest.mark.parametrize("value", [None, 3])
def test_a_null_value_equals_only_null(value):
    con = duckdb.connect()
    con.execute("create schema staging")
    rule = combine.LatestWins({"k": pl.String, "v": pl.Int64, "fil": pl.String, "rad": pl.Int64,
                               "andrad": pl.Datetime("us")}, ["k"], ["v"],
                              lambda row, kalla: combine.conflict_finding(row, kalla, ["v"], "a thing"))
    rows = Rader(con, "staging.t", rule)
    rows.add(pl.DataFrame({"k": ["a"], "v": [None], "fil": ["x"], "rad": [1], "andrad": [OLD]},
                          schema=rule.columns))
    rows.add(pl.DataFrame({"k": ["a"], "v": [value], "fil": ["y"], "rad": [1], "andrad": [NEW]},
                          schema=rule.columns))
    findings = rows.combine("test")
    assert [(f.fil, f.hittat, f.forvantat) for f in findings] == ([] if value is None else
                                                                  [("x", "v=None", "v=3")])
