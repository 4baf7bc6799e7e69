"""The committed sample data, built once by the pipeline command: every check passes, every mart meets its
contract, and the marts hold the values data/raw lists."""
import csv

from finsam.build import runner, steps
from tests.conftest import SAMPLE

COUNTS = ("deltagare", "nyinskrivna", "avslutade", "avslut_arbete_studier", "avslut_jobb_studieredo",
          "pagaende_vid_arets_slut", "registreringar", "anonyma", "kalla", "aterkommande")


def expected_rows(name: str) -> list[dict]:
    with (SAMPLE / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_command_published_with_every_file_accepted(sample):
    code, out, err = sample.command
    assert code == 0, err
    assert "files read: 26, rejected: 0" in out
    for table, in sample.query("select table_name from duckdb_tables() where schema_name = 'marts'"):
        assert f"  marts.{table}: {sample.query(f'select count(*) from marts.{table}')[0][0]}\n" in out


def test_every_blocking_check_passes_on_the_published_warehouse(sample):
    con = sample.connect()
    try:
        results = {name: fn(con) for step in steps.MARTS for name, _, fn in runner.checks(step)}
    finally:
        con.close()
    # a contract for each mart, the completeness checks and the queries, as declared
    declared = [s.declaration for s in steps.MARTS]
    assert len(results) == len(declared) + sum(d.komplett is not None for d in declared) + sum(
        len(d.kontroller) for d in declared)
    assert {name: problems for name, problems in results.items() if problems} == {}


def test_every_public_mart_is_in_the_warehouse_with_its_declared_columns_and_comments(sample):
    con = sample.connect()
    try:
        tables = {t for (t,) in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'"
                                             ).fetchall()}
        assert tables == {s.name for s in steps.MARTS}
        for step in steps.MARTS:
            got = con.execute("select column_name, comment from duckdb_columns() where schema_name = 'marts' "
                              "and table_name = ? order by column_index", [step.name]).fetchall()
            declared = step.declaration.kolumner
            assert got == [(c.namn, c.definition) for c in declared], step.name
    finally:
        con.close()


def test_deltagare_ar_matches_the_values_listed_with_the_sample(sample):
    expected = expected_rows("expected_deltagare_ar.csv")
    assert len(expected) > 60
    got = {(f, str(a), i): tuple("" if v is None else str(v) for v in rest) for f, a, i, *rest in sample.query(
        f"select forbund, ar, insats, {', '.join(COUNTS)} from marts.deltagare_ar")}
    mismatches = [(r["forbund"], r["ar"], r["insats"], tuple(r[c] for c in COUNTS),
                   got.get((r["forbund"], r["ar"], r["insats"]))) for r in expected
                  if got.get((r["forbund"], r["ar"], r["insats"])) != tuple(r[c] for c in COUNTS)]
    assert not mismatches


def test_sample_shows_each_reconciliation_finding(sample):
    rows = sample.query("select regel, forbund, ar, varde from marts.datakvalitet "
                        "where regel in ('stock_flow', 'aggregat_avviker') order by regel, kolumn")
    assert rows == [("aggregat_avviker", "sydnarke", 2021, -2.0), ("aggregat_avviker", "sydnarke", 2021, 3.0),
                    ("stock_flow", "degerfors_karlskoga", 2019, 15.0)]
    assert sample.query("select forbund, ar from marts.datakvalitet where regel = 'saknar_sus' "
                        "and forbund <> 'sodra_norrbotten'") == [("lekeberg_orebro", 2017)]
    assert sample.query("select count(*) from marts.inlasta_filer where status = 'avvisad'") == [(0,)]
