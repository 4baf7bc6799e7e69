"""What is published holds no person: no table or view of finsam.duckdb (any schema), no Parquet file, no sheet of
the workbook and no other file under marts/ holds a person key (a pseudonym, a local participant id, an anonymous
spell's key), a personnummer in any spelling, or a column named as a person key or födelseår. The person-level
tables live in the build only (finsam.build.steps.PERSON_TABLES) and publishing leaves them out."""
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from finsam.build import steps
from finsam.build.runner import build_all, publish_build
from finsam.io.findings import FileRejected
from finsam.io.tables import read_table
from finsam.privacy.personniva import is_person_column
from finsam.privacy.pnr import find
from finsam.privacy.pseudonyms import canonical, normalise, pseudonym
from finsam.publish import warehouse
from finsam.publish.warehouse import DUCKDB_CONFIG, report_staging_path, staging_path, start_build
from finsam.report import build_report
from finsam.sources import sus
from tests.conftest import HEX_OR_UUID, TODAY, Project, personnummer

KEY = "publicerat-nyckel-3b9d-av-minst-32-tecken"
# Personnummer as SUS exports write them (each its own person, last four digits its own), local ids, and an
# anonymous spell, in a file beside the committed sample.
PNR = {personnummer(stub): start for stub, start in [
    ("19850709-980", "2019-02-01"), ("850709+981", "2019-02-01"), ("19850709982", "2019-03-01"),
    ("850709983", "2019-03-01"), ("19850709 984", "2019-04-01"), ("850769-986", "2019-04-01"),
    ("19850709\u2013988", "2019-04-01"), ("19850709/989", "2019-04-01"), ("19850709.970", "2019-04-01"),
    ("pnr-19850709-971", "2019-04-01")]}
LOCAL = ("LOK-4711", "lok_0815_x", "Deltagare 77")
PLANTED = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Födelseår;Inskrivningsdatum;Utskrivningsdatum;"
           "Avslutsorsak\n"
           + "".join(f"Sydnärke;Steget;{p};Nej;K;;{start};;\n" for p, start in PNR.items())
           + "".join(f"Sydnärke;Trappan;{lok};Nej;M;1990;2019-0{i + 1}-10;2019-11-30;Arbete\n"
                     for i, lok in enumerate(LOCAL))
           + "Sydnärke;Trappan;;Ja;K;1971;2019-05-05;2019-06-06;Studier\n")
# Rejected files whose findings could show a local id: one without a header (its first row is data), one with an
# undecodable byte in a person id (which stays "LOK-KODAD-2" up to the byte).
REJECTED = {"sus/utan_rubrik.csv": "Sydnärke;Steget;LOK-UTAN-RUBRIK-1;Nej;K;1980;2019-02-01;;\n".encode(),
            "sus/blandad.csv": (PLANTED.split("\n")[0] + "\nSydnärke;Steget;LOK-9;Nej;K;;2019-02-01;;\n").encode()
            + "Sydnärke;Steget;LOK-KODAD-2Ö;Nej;K;;2019-02-01;;\n".encode("cp1252")}
REJECTED_IDS = {"LOK-UTAN-RUBRIK-1", "LOK-KODAD-2"}
# Any spelling of a planted personnummer: with or without the century, any sign or nothing between.
LEAK = re.compile(r"8507[06]9[^0-9*\n]{0,3}9[78][0-9]{2}")
TOKEN = re.compile(rb"[A-Za-z0-9_-]+")


@dataclass
class Built:
    project: Project
    persons: set[str]             # every person key the build stored: pseudonyms, local ids, anonymous keys
    local_ids: set[str]           # the person ids of the input files that are not personnummer
    holding: dict[str, str]       # staging/register table of the build -> why it holds persons


def build(project: Project, report: bool = True) -> Built:
    """What Project.build does, and before publishing: every person key the build stored (read from its
    person-level tables) and every staging or register table that holds a person (a column named as one, or a
    value that is a person key)."""
    start_build(project.data)
    con = duckdb.connect(str(staging_path(project.data)), config=DUCKDB_CONFIG)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("FINSAM_PSEUDONYM_KEY", KEY)
            build_all(con, project.data, project.config, dt.date.fromisoformat(TODAY))
        persons = {p for (p,) in con.execute("select distinct person from staging.sus_registreringar "
                                             "where person is not null").fetchall()}
        con.execute("create temp table personer as select distinct person from staging.sus_registreringar")
        holding = {}
        for schema, table, column, typ in con.execute(
                "select schema_name, table_name, c.column_name, c.data_type from duckdb_columns() c "
                "join duckdb_tables() t using (database_name, schema_name, table_name) "
                "where schema_name in ('staging', 'register') order by all").fetchall():
            name = f"{schema}.{table}"
            if is_person_column(column):
                holding.setdefault(name, f"column {column}")
            elif typ == "VARCHAR" and con.execute(f'select count(*) from {name} where "{column}" in '
                                                  "(select person from personer)").fetchall()[0][0]:
                holding.setdefault(name, f"person keys in {column}")
        if report:
            build_report(con, report_staging_path(project.data), png=False)
        publish_build(con, project.data)
    finally:
        con.close()
    return Built(project, persons, local_ids(project) | REJECTED_IDS, holding)


def local_ids(project: Project) -> set[str]:
    """The person ids of the project's SUS files that are not personnummer (stored as they are); a rejected
    file's are not read."""
    found = set()
    for path in sorted((project.data / "raw" / "sus").iterdir()):
        try:
            table = read_table(path, sus.COLUMNS, path.name, sus.KALLA)
        except FileRejected:
            continue
        found |= {k.strip() for k in table.frame["person"] if k.strip() and canonical(k.strip()) is None}
    return found


def planted_project(root: Path, sample: bool) -> Project:
    project = Project(root)
    if sample:
        project.copy_sample()
    project.settings(2017 if sample else 2019, 2025 if sample else 2019)
    project.raw("sus/planted.csv", PLANTED)
    for rel, content in REJECTED.items():
        project.raw(rel, content)
    return project


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Built:
    """The committed sample and the planted file, built, reported and published."""
    return build(planted_project(tmp_path_factory.mktemp("publicerat"), sample=True))


def found_in_text(text: str, tokens: set[str], others: set[str], pnr: bool) -> list[str]:
    """The person keys in a text (a whole token, or anywhere for a key that is not one token), the planted
    personnummer in any spelling, and (pnr) any personnummer-shaped run outside checksums and run ids."""
    found = [t for t in re.findall(r"[A-Za-z0-9_-]+", text) if t in tokens]
    found += [o for o in others if o in text] + LEAK.findall(text)
    if pnr:
        text = HEX_OR_UUID.sub(" ", text)
        found += [text[f.start:f.end] for f in find(text) if f.valid]
    return found


def found_in_column(values: pl.Series, tokens: set[str], others: set[str]) -> list[str]:
    """found_in_text on a column's values (a list column's items, joined); personnummer-shaped runs only in text
    (a number is not one)."""
    if isinstance(values.dtype, pl.List):
        values = values.list.eval(pl.element().cast(pl.String)).list.join("\n")
    return found_in_text("\n".join(values.cast(pl.String).drop_nulls()), tokens, others, values.dtype == pl.String)


def leaks(built: Built) -> dict[str, list[str]]:
    """Where the published files hold a person, and what: a column named as a person key or födelseår, a value
    that is or holds a person key, a personnummer. Every table and view of every schema of finsam.duckdb, every
    Parquet file, every cell of every workbook sheet (its first row the column names), and the bytes of every file
    under marts/ (a dropped table's rows left in the warehouse file's free blocks, the HTML report)."""
    keys = built.persons | built.local_ids
    tokens = {k for k in keys if re.fullmatch(r"[A-Za-z0-9_-]+", k)}
    others = keys - tokens
    out: dict[str, list[str]] = {}

    def note(where: str, what: list[str]) -> None:
        if what:
            out.setdefault(where, []).extend(what)

    marts = built.project.data / "marts"
    con = duckdb.connect(str(marts / "finsam.duckdb"), read_only=True)
    try:
        relations = con.execute("select schema_name, table_name from duckdb_tables() union all "
                                "select schema_name, view_name from duckdb_views() where not internal "
                                "order by all").fetchall()
        assert len(relations) > 40
        for schema, table in relations:
            frame = con.sql(f"select * from {schema}.{table}").pl()
            note(f"{schema}.{table}", [f"column {c}" for c in frame.columns if is_person_column(c)])
            for column in frame.columns:
                note(f"{schema}.{table}.{column}", found_in_column(frame[column], tokens, others))
    finally:
        con.close()
    parquet = sorted(marts.rglob("*.parquet"))
    for path in parquet:
        frame = pl.read_parquet(path)
        note(path.name, [f"column {c}" for c in frame.columns if is_person_column(c)])
        for column in frame.columns:
            note(f"{path.name}.{column}", found_in_column(frame[column], tokens, others))
    workbooks = sorted(marts.rglob("*.xlsx"))
    for path in workbooks:
        workbook = openpyxl.load_workbook(path, read_only=True)
        for sheet in workbook.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            cells = [v for row in rows for v in row if v is not None]
            note(f"{path.name}[{sheet.title}]", [f"column {c}" for c in (rows or [()])[0]
                                                 if isinstance(c, str) and is_person_column(c)])
            note(f"{path.name}[{sheet.title}]", found_in_text("\n".join(map(str, cells)), tokens, others, False)
                 + found_in_text("\n".join(c for c in cells if isinstance(c, str)), set(), set(), True))
        workbook.close()
    for path in sorted(p for p in marts.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found = [t.decode() for t in set(TOKEN.findall(data)) if t.decode() in tokens]
        found += [o for o in others if o.encode() in data] + LEAK.findall(data.decode("latin-1"))
        note(f"the bytes of {path.relative_to(marts)}", found)
    return out


def test_the_build_stored_the_persons_the_scan_looks_for(published):
    expected = {pseudonym(normalise(p, dt.date.fromisoformat(start)), KEY) for p, start in PNR.items()}
    assert expected <= published.persons and len(expected) == len(PNR)
    assert set(LOCAL) <= published.local_ids - REJECTED_IDS <= published.persons
    assert {"DK-000166", "SO-000326", "LO-000017"} <= published.local_ids  # the sample's own
    assert [p for p in published.persons if p.startswith("anon|")]  # an anonymous spell's key
    assert not [p for p in published.persons if LEAK.search(p)]


def test_nothing_published_holds_a_person(published):
    marts = published.project.data / "marts"
    assert len(list(marts.rglob("*.parquet"))) > 15 and list(marts.rglob("*.xlsx")), "the report was published"
    assert leaks(published) == {}


def test_a_rejected_file_is_published_with_its_findings_and_no_person_id_in_them(published):
    found = dict(published.project.query("select fil, hittat from marts.datakvalitet where kolumn is distinct from "
                                         "'Samordningsförbund' and fil in ('raw/sus/utan_rubrik.csv', "
                                         "'raw/sus/blandad.csv')"))
    assert found == {"raw/sus/utan_rubrik.csv": "Sy****; St****; LO****; Ne****; ****; 19****; 20****; ; ",
                     "raw/sus/blandad.csv": "LO****"}


def test_nothing_the_pipeline_command_published_from_the_sample_holds_a_person(sample):
    """The same scan on the sample as the pipeline command (Dagster's assets) published it: its local ids."""
    ids = local_ids(sample)
    assert len(ids) > 1000
    assert leaks(Built(sample, ids, ids, {})) == {}


def test_every_table_of_the_build_that_holds_persons_is_declared_person_level(published):
    """A new step's table with a person key or födelseår that is not declared (personniva) would be published."""
    assert sorted(published.holding) == sorted(steps.PERSON_TABLES), published.holding


def test_the_scan_finds_the_persons_when_publishing_keeps_the_person_level_tables(tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "PERSON_TABLES", ())
    found = leaks(build(planted_project(tmp_path, sample=False), report=False))
    assert {"staging.sus_registreringar", "staging.sus_insats", "staging.deltagare_person_ar"} <= set(found)
    assert "column person" in found["staging.sus_registreringar"]
    assert "column fodelsear" in found["staging.sus_registreringar"]
    assert set(LOCAL) <= set(found["staging.sus_registreringar.person"])


def test_the_scan_finds_the_persons_left_in_a_file_they_were_dropped_from_in_place(tmp_path, monkeypatch):
    """Why publishing copies what is left into a new file: DROP TABLE leaves the rows in the file's free blocks.
    (Once they were written to the file, that is: a build larger than the sample has checkpointed them long before
    publishing, DuckDB checkpoints at every 16 MB of write-ahead log.)"""
    def drop_in_place(con: duckdb.DuckDBPyConnection, data_dir: Path, tables: tuple[str, ...]) -> None:
        con.execute("checkpoint")
        for table in tables:
            con.execute(f"drop table {table}")
        con.execute("checkpoint")
        con.close()
    monkeypatch.setattr(warehouse, "without_person_tables", drop_in_place)
    found = leaks(build(planted_project(tmp_path, sample=False), report=False))
    assert set(found) == {"the bytes of finsam.duckdb"}
