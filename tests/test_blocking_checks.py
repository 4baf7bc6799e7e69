"""A broken invariant in the combined data fails its blocking check, and nothing is published."""
import hashlib
import shutil

import duckdb

import finsam.publish.warehouse
from finsam.build import runner, steps


def test_duplicate_keys_stop_publication_and_keep_the_previous_warehouse(project, monkeypatch, tmp_path):
    project.settings(2019, 2019)
    project.raw("sus/a.csv", "Samordningsförbund;Insats;Deltagar-ID;Inskrivningsdatum;Utskrivningsdatum;"
                             "Avslutsorsak\nSydnärke;Steget;A1;2019-02-01;;\n")
    project.build()
    before = hashlib.sha256(project.warehouse.read_bytes()).hexdigest()

    # a deltagare_ar.sql that emits one key twice
    sql_dir = tmp_path / "sql"
    shutil.copytree(finsam.publish.warehouse.SQL_DIR, sql_dir)
    path = sql_dir / "marts" / "deltagare_ar.sql"
    text = path.read_text(encoding="utf-8").rstrip().rstrip(";")
    path.write_text(f"{text.split('order by forbund')[0]} union all select * from (select * from counted "
                    "where insats <> '*' limit 0) x;\ninsert into marts.deltagare_ar select * from marts.deltagare_ar "
                    "where forbund = 'sydnarke' and insats = '*';", encoding="utf-8")
    monkeypatch.setattr(finsam.publish.warehouse, "SQL_DIR", sql_dir)

    result = project.materialize(raise_on_error=False)
    assert not result.success
    failed = {e.check_name: e.metadata["examples"].value for e in result.get_asset_check_evaluations()
              if not e.passed}
    assert "multiple_fields_uniqueness" in failed.pop("deltagare_ar_kontrakt")
    # the union's columns came out as text, so the stock-flow query cannot run on them: failed, and said why
    assert list(failed) == ["deltagare_ar_stock_flow"]
    assert failed["deltagare_ar_stock_flow"].startswith("the check's query could not run on the mart: Binder Error")
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "deltagare_ar" in materialized and "finsam_lager" not in materialized
    assert hashlib.sha256(project.warehouse.read_bytes()).hexdigest() == before


def crafted(tmp_path, rows: list[tuple]) -> duckdb.DuckDBPyConnection:
    """A build file whose marts.deltagare_ar holds exactly `rows` (2019-2020, one förbund)."""
    path = tmp_path / "crafted.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema register; create schema marts")
    # the stock-flow checks read the registrations' own pågående where y-1 is counted from another source: none here
    con.execute("create schema staging; create table staging.deltagare_raknat (forbund varchar, niva varchar, "
                "nyckel varchar, ar integer, pagaende_vid_arets_slut bigint)")
    con.execute("create table register.ar as select * from (values (2019), (2020)) t(ar)")
    con.execute("create table register.forbund as select 'sofint' as kod")
    con.execute("create table marts.deltagare_ar (forbund varchar, ar integer, insats varchar, deltagare bigint, "
                "nyinskrivna bigint, avslutade bigint, avslut_arbete_studier bigint, avslut_jobb_studieredo bigint, "
                "pagaende_vid_arets_slut bigint, registreringar bigint, anonyma bigint, kalla varchar)")
    con.executemany("insert into marts.deltagare_ar values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute("alter table marts.deltagare_ar add column aterkommande bigint")   # NULL: not what these test
    con.execute("alter table marts.deltagare_ar add column helt_ar boolean default true")   # the runner adds it
    return con


CHECKS = {name: fn for step in steps.MARTS for name, _, fn in runner.checks(step)}


GOOD_2019 = ("sofint", 2019, "*", 10, 10, 4, 1, 1, 6, 10, 0, "sus")
GOOD_2020 = ("sofint", 2020, "*", 9, 3, 5, 1, 1, 4, 9, 0, "sus")  # 6 + 3 - 0 - 5 = 4


def test_checks_pass_on_consistent_rows(tmp_path):
    con = crafted(tmp_path, [GOOD_2019, GOOD_2020])
    for name in ("deltagare_ar_kontrakt", "deltagare_ar_stock_flow", "deltagare_ar_alla_forbund_ar"):
        assert CHECKS[name](con) == [], name


def test_negative_count_fails_the_contract(tmp_path):
    bad = GOOD_2020[:5] + (-1,) + GOOD_2020[6:]
    assert CHECKS["deltagare_ar_kontrakt"](crafted(tmp_path, [GOOD_2019, bad])) == [
        "avslutade: greater_than_or_equal_to(0) (found '-1', row 1)"]


def test_duplicate_key_and_unknown_kalla_fail_the_contract(tmp_path):
    problems = CHECKS["deltagare_ar_kontrakt"](crafted(tmp_path, [GOOD_2019, GOOD_2019[:11] + ("gissning",)]))
    assert "kalla: isin(['sus', 'uppfoljning', 'aggregat']) (found 'gissning', row 1)" in problems
    assert sum("multiple_fields_uniqueness" in p for p in problems) == 2


def test_stock_flow_break_on_registrations_fails_its_check(tmp_path):
    bad = GOOD_2020[:8] + (5,) + GOOD_2020[9:]  # pågående 5, but 6 + 3 - 0 - 5 = 4
    assert CHECKS["deltagare_ar_stock_flow"](crafted(tmp_path, [GOOD_2019, bad])) == ["('sofint', '*', 2020)"]


def test_missing_forbund_year_fails_its_check(tmp_path):
    assert CHECKS["deltagare_ar_alla_forbund_ar"](crafted(tmp_path, [GOOD_2019])) == ["('sofint', 2020)"]


def test_publishing_alone_refuses_a_build_this_run_did_not_make(project):
    project.settings(2019, 2019)
    project.build()
    before = hashlib.sha256(project.warehouse.read_bytes()).hexdigest()
    project.data.joinpath("marts", "finsam.duckdb.building").write_bytes(b"half a build")
    result = project.materialize("finsam_lager", raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "not publishing: this run did not build the whole warehouse" in failure.event_specific_data.error.message
    assert hashlib.sha256(project.warehouse.read_bytes()).hexdigest() == before
