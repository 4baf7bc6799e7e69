"""Personnummer become keyed pseudonyms at ingest; none reaches DuckDB, messages or Dagster's event log."""
import datetime as dt
import hashlib
import hmac
import io
import re
import zipfile

import openpyxl
import polars as pl
import pytest
from dagster import DagsterInstance, DagsterRunStatus

from finsam.privacy.pnr import mask, scrub, scrubbed
from finsam.privacy.pseudonyms import normalise, pseudonym
from tests.conftest import Project

KEY = "test-secret"
HEADER = "Samordningsförbund;Insats;Personnummer;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak"


@pytest.mark.parametrize("key, start, expected", [
    ("19121212-1212", dt.date(2019, 1, 1), "191212121212"),
    ("191212121212", dt.date(2019, 1, 1), "191212121212"),
    ("121212-1212", dt.date(2019, 1, 1), "201212121212"),   # younger than 100 on the start date: born 2012
    ("121212+1212", dt.date(2019, 1, 1), "191212121212"),   # '+': 100 or older
    ("5012121234", dt.date(2019, 1, 1), "195012121234"),
    ("190101-1234", dt.date(2019, 1, 1), "201901011234"),   # born on the start date itself: 2019
    ("190102-1234", dt.date(2019, 1, 1), "191901021234"),   # one day after the start date: a century earlier
    ("701272-1234", dt.date(2019, 1, 1), "197012721234"),   # samordningsnummer: day + 60 is kept
])
def test_normalise_to_12_digits(key, start, expected):
    assert normalise(key, start) == expected


def test_pseudonym_is_hmac_sha256_of_the_12_digits():
    assert pseudonym("191212121212", KEY) == hmac.new(KEY.encode(), b"191212121212", hashlib.sha256).hexdigest()


def test_scrub_masks_personnummer_anywhere_in_text_but_not_other_numbers():
    text = "Sydnärke; 19800101-1234; 8001011234; 800101+1234; 4 684 000; 2019-02-01; 123456789012345"
    assert scrub(text) == ("Sydnärke; 19800101-****; 800101-****; 800101-****; 4 684 000; 2019-02-01; "
                           "123456789012345")


@pytest.mark.parametrize("text, expected", [
    ("Avbrott enl. 19121212 1212", "Avbrott enl. 19121212-****"),          # the spaced forms
    ("121212 1212; 701272\u00a01234", "121212-****; 701272-****"),         # 10 digits; no-break space, samordning
    ("191212121212,191212121212", "19121212-****,19121212-****"),           # one right after another
    *((kept, kept) for kept in ("1 234 567; 4 684 000 kr; 2019 1880; kommun 1880 år 2019",  # amounts, years, codes
                                "2019-02-01 1234; 123456 7890; 250000 2019; 701292 1234")),  # no date before the space
])
def test_scrub_masks_the_spaced_forms_but_not_amounts_years_or_dates(text, expected):
    assert scrub(text) == expected
    assert pl.select(scrubbed(pl.lit(text))).item() == expected  # the same, vectorised (free-text columns)


def test_masks():
    assert mask("19121212-1212") == "19121212-****"
    assert mask("121212-1212") == "121212-****"
    assert mask("D-00123") == "D-****"


@pytest.fixture(scope="module")
def with_personnummer(tmp_path_factory):
    """Built once by materialize(); the tests read it."""
    project = Project(tmp_path_factory.mktemp("with_personnummer"))
    project.settings(2019, 2019)
    # the same person written three ways in two files, and a second person
    project.raw("sus/a.csv", HEADER + "\nSydnärke;Steget;19121212-1212;Nej;K;2019-02-01;2019-03-01;Arbete\n"
                                      "Sydnärke;Steget;121212+1212;Nej;K;2019-06-01;;\n")
    project.raw("sus/b.csv", HEADER + "\nSydnärke;Trappan;191212121212;Nej;K;2019-04-01;2019-05-01;Studier\n"
                                      "Sydnärke;Trappan;198507099805;Nej;M;2019-04-01;;\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FINSAM_PSEUDONYM_KEY", KEY)
        result = project.materialize()
    return project, result


def test_same_person_same_pseudonym_across_forms_and_files(with_personnummer):
    project, _ = with_personnummer
    expected = pseudonym("191212121212", KEY)
    assert project.build_query("select distinct person from staging.sus_registreringar order by 1") == sorted(
        [(expected,), (pseudonym("198507099805", KEY),)])
    assert project.query("select deltagare, registreringar from marts.deltagare_ar "
                         "where forbund = 'sydnarke' and insats = '*'") == [(2, 4)]


def test_no_personnummer_anywhere_in_the_warehouse_or_event_log(with_personnummer):
    project, result = with_personnummer
    con = project.connect()
    try:
        columns = con.execute("select table_schema, table_name, column_name from information_schema.columns "
                              "where data_type = 'VARCHAR'").fetchall()
        texts = [str(v) for s, t, c in columns for (v,) in con.execute(f'select "{c}" from {s}.{t}').fetchall()]
    finally:
        con.close()
    assert len(texts) > 20
    needles = ("1212-1212", "191212121212", "121212+1212", "198507099805", "850709")
    assert not [t for t in texts if any(n in t for n in needles)]
    raw_bytes = project.warehouse.read_bytes()
    assert not [n for n in needles if n.encode() in raw_bytes]
    events = " ".join(str(e) for e in result.all_events)
    assert events and not [n for n in needles if n in events]


def test_personnummer_without_a_key_stops_the_run_and_says_how_to_set_it(project, monkeypatch):
    monkeypatch.delenv("FINSAM_PSEUDONYM_KEY", raising=False)
    project.settings(2019, 2019)
    project.raw("sus/a.csv", HEADER + "\nSydnärke;Steget;19121212-1212;Nej;K;2019-02-01;;\n")
    result = project.materialize(raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    message = failure.event_specific_data.error.cause.message
    assert "raw/sus/a.csv row 2: personnummer found (19121212-****) but no pseudonym key is set" in message
    assert "export FINSAM_PSEUDONYM_KEY=" in message
    assert "1212-1212" not in message.replace("19121212-****", "")
    assert not project.warehouse.exists()


# Personnummer planted in every written form, each with its own last four digits: any copy of one, in any form,
# matches LEAK. The masked form (19850709-****) keeps the date part only.
SECRET = "hemlig-nyckel-7f3a9c1e"
LEAK = re.compile("(?:19)?8507(?:09|69)[-+ \u00a0]?980[1-9]")
DASH, PLUS, TWELVE, TEN = "19850709-9801", "850709+9802", "198507099803", "8507099804"
SPACED, SPACED10, SAMORD, NBSP = "19850709 9805", "850709 9806", "850769-9807", "19850709\u00a09808"
SUS_HEADER = ("Samordningsförbund;Insats;Insats-ID;Deltagar-ID;Anonym;Kön;Födelseår;Inskrivningsdatum;"
              "Utskrivningsdatum;Avslutsorsak\n")
PLANTED = {  # files that load: a personnummer in every free-text cell, and as the person key in every form
    "sus/planted.csv": SUS_HEADER
    + f"Sydnärke;Steget {DASH};ID {PLUS};{DASH};Nej;K;1985;2019-02-01;2019-05-01;Avbrott enl. {SPACED}\n"
      f"Sydnärke;Steget {TEN};{SAMORD};{SPACED10};Nej;M;;2019-03-01;2019-04-01;Arbete ({NBSP})\n"
      f"Sydnärke;Steget;{TWELVE};pnr {NBSP};Nej;K;;2019-03-01;;\n"
      f"Sydnärke;Trappan;{SPACED};{PLUS};Nej;K;;2019-03-01;;\n",
    "sus_aggregat/planted.csv": "Förbund;År;Insats;Deltagare;Nyinskrivna;Avslutade;Källa\n"
                                f"SOFINT;2019;Navet {TEN};10;4;3;enl. {SPACED10} och {DASH}\n",
    "uppfoljning/planted.csv": "Förbund;År;Insats;Inriktning;Preciserad inriktning;Målgrupp;Uppföljningsmetod;"
                               "Kvinnor;Män\n"
                               f"SOFINT;2019;Navet {TWELVE};Individinriktad;enl. {PLUS};för {NBSP};{SAMORD};1;1\n",
    "avslut_rapporterade/planted.csv": "Förbund;År;Insats;Avslutsorsak;Antal;Källa\n"
                                       f"SOFINT;2019;Navet {DASH};Arbete ({SPACED});2;{TEN}\n",
    "ekonomi/planted.csv": "Förbund;År;Post;Belopp;Enhet;Typ\n"
                           f"SOFINT;2019;Utlägg {SPACED};1 000;kr;kostnad\n"
                           f"SOFINT;2019;Utlägg {SAMORD};2 000;kr;kostnad\n",
    "scb/folkmangd/planted.csv": f'"Folkmängd, utdrag för {PLUS}"\n"region","ålder","kön","2019"\n'
                                 f'"1880 Örebro {DASH}","totalt ålder","totalt",156381\n',
    "scb/folkmangd_nov/planted.csv": f'"region","ålder","kön","2018"\n"1880 Örebro {TWELVE}","totalt ålder","totalt",'
                                     '155000\n',
    "scb/helarsekvivalenter/planted.csv": f"region;kön;ersättning;år;andel\n1882 Askersund {SPACED};totalt;totalt;"
                                          "2019;8,8\n",
}
REJECTED = {  # files that are rejected: a personnummer in every cell, so in every finding
    "sus/rejected.csv": SUS_HEADER + ";".join([DASH, PLUS, TWELVE, TEN, SPACED, SPACED10, SAMORD, NBSP, DASH, PLUS])
    + "\n",
    "sus/no_header.csv": f"{DASH};{SPACED};{TEN}\n",
    "tilldelning/rejected.csv": "Förbund;År;Stat;Region;Kommuner;Enhet\n"
                                + ";".join([SPACED, TEN, DASH, PLUS, SAMORD, NBSP]) + "\n",
    "scb/helarsekvivalenter/rejected.csv": "region;kön;ersättning;år;andel\n"
                                           + ";".join([SPACED10, DASH, TWELVE, TEN, SPACED]) + "\n",
    "sus_aggregat/mixed_encoding.csv": ("Förbund;År;Deltagare;Nyinskrivna;Avslutade\n".encode()
                                        + f"Örebro {SPACED};2019;1;1;0\n".encode("cp1252")
                                        + f"Sydnärke {DASH};2019;1;1;0\n".encode()),
}


def workbook_bytes(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A project with PLANTED and REJECTED files (and the same as workbooks) built by the pipeline command: its
    printed summary, Dagster's storage on disk, and the run's events as Dagster hands them back."""
    project = Project(tmp_path_factory.mktemp("planted"))
    project.settings(2019, 2019)
    with open(project.config / "kostnadsmappning.csv", "a", encoding="utf-8") as fh:
        fh.write('*,"utlägg.*",administration,,\n')
    for rel, content in {**PLANTED, **REJECTED}.items():
        project.raw(rel, content)
    project.raw("sus/planted.xlsx", workbook_bytes([
        SUS_HEADER.strip().split(";"),
        ["Sydnärke", f"Insats {SPACED}", TWELVE, int(TWELVE), "Nej", "K", 1985, "2019-02-01", "", ""],
        ["Sydnärke", "Insats", DASH, int(TEN), "Nej", "K", 1985, "2019-02-01", "", ""]]))
    project.raw("ekonomi/rejected.xlsx", workbook_bytes([
        ["Förbund", "År", "Post", "Belopp", "Enhet", "Typ"], [DASH, int(TWELVE), SPACED, int(TEN), PLUS, SAMORD]]))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FINSAM_PSEUDONYM_KEY", SECRET)
        command = project.run_command()
        mp.setenv("DAGSTER_HOME", str(project.root / "dagster_home"))
        with DagsterInstance.get() as instance:
            (run,) = instance.get_runs()
            events = instance.all_logs(run.run_id)
    yield project, command, (run.status, events)


def texts_in(project: Project, command: tuple, run: tuple) -> dict[str, str]:
    """Everything the build wrote or said, as text: every VARCHAR of every schema, the raw bytes of every file
    under marts/ (the warehouse, the report) and of Dagster's storage, the Parquet files and the workbook read
    back (they are compressed), the printed summary, and the run's events read back from Dagster."""
    found = {}
    con = project.connect()
    try:
        for schema, table, column in con.execute("select table_schema, table_name, column_name from "
                                                 "information_schema.columns where data_type = 'VARCHAR'").fetchall():
            values = con.execute(f'select "{column}" from "{schema}"."{table}" where "{column}" is not null').fetchall()
            found[f"{schema}.{table}.{column}"] = "\n".join(v for (v,) in values)
    finally:
        con.close()
    for folder in (project.data / "marts", project.root / "dagster_home"):
        for path in folder.rglob("*"):
            if path.is_file():
                found[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    for path in (project.data / "marts").rglob("*.parquet"):
        frame = pl.read_parquet(path)
        found[f"{path} (read)"] = "\n".join(str(v) for c in frame.columns if frame[c].dtype == pl.String
                                           for v in frame[c].drop_nulls())
    for path in (project.data / "marts").rglob("*.xlsx"):
        with zipfile.ZipFile(path) as z:
            found[f"{path} (read)"] = "\n".join(z.read(n).decode("utf-8", errors="replace") for n in z.namelist())
    code, out, err = command
    found["command stdout"], found["command stderr"] = out, err
    found["Dagster's events"] = "\n".join(str(e) for e in run[1])
    return found


def test_no_personnummer_in_any_form_reaches_any_output(planted):
    project, command, run = planted
    assert command[0] == 2 and run[0] == DagsterRunStatus.SUCCESS and len(run[1]) > 100
    found = texts_in(project, command, run)
    assert len(found) > 100 and found["command stdout"] and "19850709-****" in found["Dagster's events"]
    assert {where: LEAK.findall(text) for where, text in found.items() if LEAK.search(text)} == {}


def test_the_pseudonym_key_is_never_written_or_logged(planted):
    found = texts_in(*planted)
    assert [where for where, text in found.items() if SECRET in text] == []


def test_planted_files_load_with_free_text_masked_and_keys_pseudonymised(planted):
    project, _, _ = planted
    assert project.query("select fil, status from marts.inlasta_filer order by fil") == sorted(
        [(f"raw/{rel}", "inlast") for rel in PLANTED] + [(f"raw/{rel}", "avvisad") for rel in REJECTED]
        + [("raw/sus/planted.xlsx", "inlast"), ("raw/ekonomi/rejected.xlsx", "avvisad")])
    assert project.build_query("select insats, insats_id, avslutsorsak from staging.sus_registreringar "
                               "where fil = 'raw/sus/planted.csv' order by rad") == [
        ("Steget 19850709-****", "ID 850709-****", "Avbrott enl. 19850709-****"),
        ("Steget 850709-****", "850769-****", "Arbete (19850709-****)"),
        ("Steget", "19850709-****", None), ("Trappan", "19850709-****", None)]
    persons = dict(project.build_query("select rad, person from staging.sus_registreringar "
                                       "where fil = 'raw/sus/planted.csv'"))
    assert persons[2] == pseudonym("198507099801", SECRET)
    assert persons[5] == pseudonym("188507099802", SECRET)  # '+': 100 or older
    assert persons[3] == pseudonym("198507099806", SECRET)
    assert persons[4] == hmac.new(SECRET.encode(), f"pnr {NBSP}".encode(), hashlib.sha256).hexdigest()
    assert project.query("select post from staging.ekonomi_rader where fil = 'raw/ekonomi/planted.csv' "
                         "order by rad") == [("Utlägg 19850709-****",), ("Utlägg 850769-****",)]
    assert project.query("select insats, insats_nyckel, preciserad_inriktning, malgrupp, uppfoljningsmetod "
                         "from staging.uppfoljning_rader where fil = 'raw/uppfoljning/planted.csv'") == [
        ("Navet 19850709-****", "navet 19850709-****", "enl. 850709-****", "för 19850709-****", "850769-****")]
    assert project.query("select insats, avslutsorsak, kalla_text from staging.avslut_rapporterade_rader "
                         "where fil = 'raw/avslut_rapporterade/planted.csv'") == [
        ("Navet 19850709-****", "Arbete (19850709-****)", "850709-****")]
    assert project.query("select insats, kalla_text from staging.sus_aggregat_rader "
                         "where fil = 'raw/sus_aggregat/planted.csv'") == [
        ("Navet 850709-****", "enl. 850709-**** och 19850709-****")]


def test_a_personnummer_in_a_file_name_is_masked(project, monkeypatch):
    monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", SECRET)
    project.settings(2019, 2019)
    project.raw(f"sus/{DASH}.csv", HEADER + "\nSydnärke;Steget;A1;Nej;K;2019-02-01;;\n")
    project.raw(f"sus/{SPACED10}.csv", HEADER + "\nSydnärke;Steget;A2;Nej;K;2019-13-01;;\n")
    project.build()
    con = project.connect()
    try:
        columns = con.execute("select table_schema, table_name, column_name from information_schema.columns "
                              "where data_type = 'VARCHAR'").fetchall()
        leaks = {f"{s}.{t}.{c}" for s, t, c in columns
                 for (v,) in con.execute(f'select "{c}" from "{s}"."{t}" where "{c}" is not null').fetchall()
                 if LEAK.search(v)}
    finally:
        con.close()
    assert leaks == set()
