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
    # 4 of them follow-up and indicators, 5 budgets and Sydnärke's delår
    assert "files read: 36, rejected: 0" in out
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
        c.blockerande for d in declared for c in d.kontroller)
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


def test_registrations_count_as_listed_with_the_sample(sample):
    """The counting of registrations against the generator's plain-Python count, every year the SUS exports cover
    (2023 only up to the closure on 30 April, 2024-2025 the spells left open then), in staging.deltagare_raknat; and
    deltagare_ar takes exactly those rows for the years before the closure, Uppföljning Finsam's from 2023 on."""
    expected = expected_rows("expected_deltagare_ar.csv")
    assert len(expected) > 60 and {int(r["ar"]) for r in expected} == set(range(2017, 2026))
    numbers = [c for c in COUNTS if c != "kalla"]
    counted = {(f, str(a), i): tuple("" if v is None else str(v) for v in rest) for f, a, i, *rest in
               sample.query(f"select forbund, ar, nyckel, {', '.join(numbers)} from staging.deltagare_raknat "
                                  "where niva in ('forbund', 'insats', 'typ')")}
    key = [(r["forbund"], r["ar"], r["insats"]) for r in expected]
    assert [(k, counted.get(k)) for k, r in zip(key, expected, strict=True)
            if r["kalla"] == "sus" and counted.get(k) != tuple(r[c] for c in numbers)] == []
    published = {(f, str(a), i): (kalla, tuple("" if v is None else str(v) for v in rest)) for f, a, i, kalla, *rest
                 in sample.query(f"select forbund, ar, insats, kalla, {', '.join(numbers)} from marts.deltagare_ar")}
    before = [(k, r) for k, r in zip(key, expected, strict=True) if int(r["ar"]) < 2023]
    assert len(before) > 60
    assert [k for k, r in before if published.get(k) != (r["kalla"] or None, tuple(r[c] for c in numbers))] == []
    assert {published[k][0] for k, r in zip(key, expected, strict=True) if int(r["ar"]) >= 2023
            and r["insats"] == "*"} == {"uppfoljning"}


def test_sample_shows_each_reconciliation_finding(sample):
    rows = sample.query("select regel, forbund, ar, varde from marts.datakvalitet "
                        "where regel in ('stock_flow', 'aggregat_avviker') order by regel, kolumn")
    assert rows == [("aggregat_avviker", "sydnarke", 2021, -2.0), ("aggregat_avviker", "sydnarke", 2021, 3.0),
                    ("stock_flow", "degerfors_karlskoga", 2019, 15.0)]
    assert sample.query("select forbund, ar from marts.datakvalitet where regel = 'saknar_sus' "
                        "and forbund <> 'sodra_norrbotten'") == [("lekeberg_orebro", 2017)]
    assert sample.query("select count(*) from marts.inlasta_filer where status = 'avvisad'") == [(0,)]
