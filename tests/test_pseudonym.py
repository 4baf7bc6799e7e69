"""Personnummer become keyed pseudonyms at ingest; none reaches DuckDB, messages or Dagster's event log."""
import datetime as dt
import hashlib
import hmac
import io
import re
import unicodedata
import zipfile

import openpyxl
import polars as pl
import pytest
from dagster import DagsterInstance, DagsterRunStatus

from finsam.build import runner
from finsam.io.convert import scrub_column
from finsam.io.findings import ConfigError
from finsam.privacy.pnr import find, holds_pnr, luhn_ok, mask, mask_name, scrub
from finsam.privacy.pseudonyms import canonical, normalise, normalised, numbers_in, pseudonym, pseudonymise
from tests.conftest import HEX_OR_UUID, Project, personnummer

KEY = "test-secret-of-32-characters-long"
HEADER = "Samordningsförbund;Insats;Personnummer;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak"


def test_check_digits_are_skatteverkets():
    assert personnummer("19121212-121") == "19121212-1212"  # Skatteverket's test number
    assert [luhn_ok(n) for n in ("1212121212", "1212121213", "2601150930", "2601151415")] == [True, False, False,
                                                                                               False]


@pytest.mark.parametrize("stub, start, expected", [
    ("19121212-121", dt.date(2019, 1, 1), "19121212121"),
    ("19121212121", dt.date(2019, 1, 1), "19121212121"),
    ("121212-121", dt.date(2019, 1, 1), "20121212121"),   # younger than 100 on the start date: born 2012
    ("121212+121", dt.date(2019, 1, 1), "19121212121"),   # '+': 100 or older
    ("501212123", dt.date(2019, 1, 1), "19501212123"),
    ("190101-123", dt.date(2019, 1, 1), "20190101123"),   # born on the start date itself: 2019
    ("190102-123", dt.date(2019, 1, 1), "19190102123"),   # one day after the start date: a century earlier
    ("701272-123", dt.date(2019, 1, 1), "19701272123"),   # samordningsnummer: day + 60 is kept
])
def test_normalise_to_12_digits(stub, start, expected):
    key = personnummer(stub)
    assert normalise(key, start) == expected + key[-1]


def test_pseudonym_is_hmac_sha256_of_the_12_digits():
    assert pseudonym("191212121212", KEY) == hmac.new(KEY.encode(), b"191212121212", hashlib.sha256).hexdigest()


SKATTEVERKET = personnummer("19121212-121")
# The same number in every spelling the detector knows (one person, so one pseudonym), and what scrub makes of it.
SPELLINGS = [(personnummer(stub), masked) for stub, masked in [
    ("19121212-121", "19121212-****"), ("19121212121", "19121212-****"), ("121212-121", "121212-****"),
    ("121212121", "121212-****"), ("19121212\u2013121", "19121212-****"),  # en dash
    ("19121212\u2014121", "19121212-****"), ("19121212\u2212121", "19121212-****"),  # em dash, minus sign
    ("19121212\u2011121", "19121212-****"), ("19121212/121", "19121212-****"),  # non-breaking hyphen, slash
    ("19121212.121", "19121212-****"), ("19121212_121", "19121212-****"), ("19121212 121", "19121212-****"),
    ("19121212\u00a0121", "19121212-****"), ("19121212\u202f121", "19121212-****"),  # no-break spaces
    ("19121212 - 121", "19121212-****"), ("121212 121", "121212-****"),
    ("\uff11\uff19\uff11\uff12\uff11\uff12\uff11\uff12\uff0d\uff11\uff12\uff11", "19121212-****"),  # fullwidth
    ("\u0661\u0669\u0661\u0662\u0661\u0662\u0661\u0662-\u0661\u0662\u0661", "19121212-****"),  # Arabic-Indic
]] + [(prefix + SKATTEVERKET, prefix + "19121212-****") for prefix in ("pnr-", "PNR:", "Personnummer ", "id")]


@pytest.mark.parametrize("written, masked", SPELLINGS)
def test_every_spelling_is_one_person_and_is_masked(written, masked):
    assert normalise(written, dt.date(2010, 1, 1)) == "191212121212"  # a 10-digit one: younger than 100 in 2010
    assert scrub(written) == masked
    assert scrub(f"Avbrott enl. {written}, se ovan") == f"Avbrott enl. {masked}, se ovan"
    assert scrub_column(pl.Series([written, "x"])).to_list() == [masked, "x"]
    assert holds_pnr(written)


# The issue's four spellings, made valid (the issue's own last digits are not check digits): one person each.
ISSUE = [personnummer(s) for s in ("19121212\u2013104", "19121212/105", "19121212.106", "pnr-19121212-107")]


def test_the_issues_spellings_are_four_people_each_found_and_masked():
    assert [normalise(k, dt.date(2019, 1, 1)) for k in ISSUE] == [
        "19121212104" + ISSUE[0][-1], "19121212105" + ISSUE[1][-1], "19121212106" + ISSUE[2][-1],
        "19121212107" + ISSUE[3][-1]]
    assert [scrub(k) for k in ISSUE] == ["19121212-****"] * 3 + ["pnr-19121212-****"]


@pytest.mark.parametrize("text", [
    "sydnarke_20260115-0930.csv", "sydnarke_20260115-1415.csv",  # timestamps: no check digit
    "19121212-1213", "121212+1213",                               # a wrong check digit
    "1 234 567; 4 684 000 kr; 2019 1880; kommun 1880 år 2019",     # amounts, years, kommun codes
    "2019-02-01 1234; 123456 7890; 250000 2019; 701292 1234",      # no date before the space
    "123456789012345; 19121212-12120; 119121212-1212",             # inside a longer number
    "export 20260115_093012.csv",                                  # a date and a time of day
])
def test_what_is_not_a_personnummer_is_left_alone(text):
    assert scrub(text) == text
    assert scrub_column(pl.Series([text])).to_list() == [text]


def test_a_numbers_decimals_are_not_a_personnummer():
    number = personnummer("230969929")  # a samordningsnummer, and the decimals of a constant in the report's script
    assert holds_pnr(f"nr {number}") and holds_pnr(f"v.{number}")
    assert [scrub(f"{lead}{number}") for lead in ("0.", "11.")] == ["0." + number, "11." + number]


def test_numbers_in_a_comma_separated_list_are_each_found():
    """After a digit and a comma (ids in a row that a stray quote made one cell, a list written without spaces) a
    number is no fraction; nor is one written with a sign, after a decimal point."""
    a, b = personnummer("19121212-121"), personnummer("19800101-123")
    assert scrub(f"{a},{b}") == "19121212-****,19800101-****"
    assert scrub(f"Arbete 2022,{b}") == "Arbete 2022,19800101-****"
    assert scrub(f"SUS-1041,{b.replace('-', '')},Avbrott") == "SUS-1041,19800101-****,Avbrott"
    assert scrub(f"1.{b}") == "1.19800101-****"
    assert scrub("3," + personnummer("230969929")) == "3,230969-****"


def test_a_date_must_be_a_date():
    assert not holds_pnr(personnummer("19121232-121"))      # no 32 December
    assert not holds_pnr(personnummer("19010229-121"))      # 1901 is no leap year
    assert holds_pnr(personnummer("20000229-121"))          # 2000 is
    assert holds_pnr(personnummer("701291-121"))            # samordningsnummer: 31 + 60
    assert not holds_pnr(personnummer("701292-121"))
    assert not holds_pnr(personnummer("21000101-121"))      # no one is born in 2100 yet


def test_masks():
    assert mask(SKATTEVERKET) == "19121212-****"
    assert mask(personnummer("121212-121")) == "121212-****"
    assert mask("D-00123") == "D-****"


def test_a_number_that_is_no_personnummer_is_still_never_kept_as_written():
    """A wrong check digit (19850709-9801's is 5): a bare number is read as one, so its spellings are one person;
    one among letters is pseudonymised as a whole (LOK-... tells it from another id); a local id stays."""
    keys = pl.Series(["19850709-9801", "198507099801", "850709-9801", "LOK-8507099801", "LOK-1"])
    starts = pl.Series([dt.date(2019, 1, 1)] * len(keys))
    stored = pseudonymise(keys, starts, pl.Series(range(2, 2 + len(keys))), KEY, "raw/sus/a.csv").to_list()
    assert stored == [pseudonym("198507099801", KEY)] * 3 + [
        hmac.new(KEY.encode(), b"LOK-8507099801", hashlib.sha256).hexdigest(), "LOK-1"]


def test_a_key_written_as_exports_write_it_is_read_as_the_detector_reads_it():
    """numbers_in takes a bare key (ASCII digits, '-', '+' or nothing) as it is, in polars: the 12 digits it gives
    are canonical's, valid number or not; any other spelling goes through the detector."""
    bare = [personnummer(s) for s in ("19121212-121", "121212+121", "19121212121", "121212121", "701272-123")] + [
        "19850709-9801", "8507099801"]
    keys = pl.Series(bare + [ISSUE[0], "LOK-1", None])
    found = numbers_in(keys)
    assert found.to_list() == bare + [canonical(ISSUE[0]), None, None]
    start = pl.lit(dt.date(2019, 1, 1))
    twelve = pl.DataFrame({"fast": found, "detector": [canonical(k) if k else None for k in keys]}).select(
        (normalised(pl.col("fast"), start) == normalised(pl.col("detector"), start)).alias("same"))
    assert twelve["same"].head(len(bare) + 1).to_list() == [True] * (len(bare) + 1)


NAME_KEY = "n" * 32


def test_masking_never_makes_two_file_names_one():
    names = [f"raw/sus/{n}.csv" for n in ("sydnarke_20260115-0930", "sydnarke_20260115-1415")]
    assert [mask_name(n, NAME_KEY) for n in names] == names  # timestamps are left alone
    spelled = [f"raw/sus/{s}.csv" for s in (SKATTEVERKET, personnummer("19121212 121"), personnummer("121212-121"),
                                             personnummer("19121212-104"))]
    masked = [mask_name(n, NAME_KEY) for n in spelled]
    assert len(set(masked)) == len(spelled)
    assert all(re.fullmatch(r"raw/sus/(19)?121212-\*\*\*\*~[0-9a-f]{8}\.csv", m) for m in masked), masked
    assert [mask_name(n, NAME_KEY) for n in spelled] == masked         # the same label in every run
    assert mask_name(spelled[0], "m" * 32) != masked[0]                 # keyed: not a hash anyone can recompute
    assert not [m for m in masked if holds_pnr(m)]


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


# Personnummer planted in every written form, each a person of its own (its own serial number): any copy of one, in
# any form, matches LEAK once the text is NFKC-normalised. The masked form (19850709-****) keeps the date part only.
SECRET = "hemlig-nyckel-7f3a9c1e-minst-32-tecken"
LEAK = re.compile("(?:8507[06]9|121212)[^0-9*\n]{0,3}(?:9[78][0-9]|10[4-7])[0-9]")
DASH, PLUS, TWELVE, TEN = (personnummer(s) for s in ("19850709-980", "850709+981", "19850709982", "850709983"))
SPACED, SPACED10, SAMORD, NBSP = (personnummer(s) for s in ("19850709 984", "850709 985", "850769-986",
                                                            "19850709\u00a0987"))
EN, SLASH, DOT, PREFIX = (personnummer(s) for s in ("19850709\u2013988", "19850709/989", "19850709.970",
                                                    "pnr-19850709-971"))
EM, MINUS, UNDER = (personnummer(s) for s in ("19850709\u2014972", "19850709\u2212973", "19850709_975"))
WIDE = personnummer("19850709-974").translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
OTHERS = [EN, SLASH, DOT, PREFIX, EM, MINUS, UNDER, WIDE]  # the spellings the masker did not know
SUS_HEADER = ("Samordningsförbund;Insats;Insats-ID;Deltagar-ID;Anonym;Kön;Födelseår;Inskrivningsdatum;"
              "Utskrivningsdatum;Avslutsorsak\n")
NAMED = f"sus/{EN}.csv"  # a file named by a personnummer
EKONOMI_HEADER = ["Förbund", "År", "Post", "Belopp", "Enhet", "Typ"]
PLANTED = {  # files that load: a personnummer in every free-text cell, and as the person key in every form
    "sus/planted.csv": SUS_HEADER
    + f"Sydnärke;Steget {DASH};ID {PLUS};{DASH};Nej;K;1985;2019-02-01;2019-05-01;Avbrott enl. {SPACED}\n"
      f"Sydnärke;Steget {TEN};{SAMORD};{SPACED10};Nej;M;;2019-03-01;2019-04-01;Arbete ({NBSP})\n"
      f"Sydnärke;Steget;{TWELVE};pnr {NBSP};Nej;K;;2019-03-01;;\n"
      f"Sydnärke;Trappan;{SPACED};{PLUS};Nej;K;;2019-03-01;;\n"
    + "".join(f"Sydnärke;Trappan {k};{k};{k};Nej;K;;2019-03-01;;Arbete ({k})\n" for k in OTHERS),
    "sus/issue.csv": SUS_HEADER + "".join(f"Sydnärke;Steget;;{k};Nej;K;;2019-03-01;;\n" for k in ISSUE),
    NAMED: SUS_HEADER + "Sydnärke;Steget;;LOK-1;Nej;K;;2019-03-01;;\n",
    "sus_aggregat/planted.csv": "Förbund;År;Insats;Deltagare;Nyinskrivna;Avslutade;Källa\n"
                                f"SOFINT;2019;Navet {TEN};10;4;3;enl. {SPACED10} och {DASH}\n",
    "uppfoljning/planted.csv": "Förbund;År;Insats;Inriktning;Preciserad inriktning;Målgrupp;Uppföljningsmetod;"
                               "Kvinnor;Män\n"
                               f"SOFINT;2019;Navet {TWELVE};Individinriktad;enl. {PLUS};för {NBSP};{SAMORD};1;1\n",
    "avslut_rapporterade/planted.csv": "Förbund;År;Insats;Avslutsorsak;Antal;Källa\n"
                                       f"SOFINT;2019;Navet {DASH};Arbete ({SPACED});2;{TEN}\n",
    "ekonomi/planted.csv": "Förbund;År;Post;Belopp;Enhet;Typ\n"
                           f"SOFINT;2019;Utlägg {SPACED};1 000;kr;kostnad\n"
                           f"SOFINT;2019;Utlägg {SAMORD};2 000;kr;kostnad\n"
                           f"SOFINT;2019;Utlägg {EN} {SLASH} {DOT} {PREFIX};3 000;kr;kostnad\n",
    "scb/folkmangd/planted.csv": f'"Folkmängd, utdrag för {PLUS} {EM}"\n"region","ålder","kön","2019"\n'
                                 f'"1880 Örebro {DASH}","totalt ålder","totalt",156381\n',
    "scb/folkmangd_nov/planted.csv": f'"region","ålder","kön","2018"\n"1880 Örebro {TWELVE}","totalt ålder","totalt",'
                                     '155000\n',
    "scb/helarsekvivalenter/planted.csv": f"region;kön;ersättning;år;andel\n1882 Askersund {SPACED};totalt;totalt;"
                                          "2019;8,8\n",
}
REJECTED = {  # files that are rejected: a personnummer in every cell, so in every finding
    "sus/rejected.csv": SUS_HEADER + ";".join([DASH, PLUS, TWELVE, TEN, SPACED, SPACED10, SAMORD, NBSP, DASH, PLUS])
    + "\n" + ";".join(OTHERS + [DASH, PLUS]) + "\n",
    "sus/no_header.csv": f"{DASH};{SPACED};{TEN};{EN};{WIDE}\n",
    "tilldelning/rejected.csv": "Förbund;År;Stat;Region;Kommuner;Enhet\n"
                                + ";".join([SPACED, TEN, DASH, PLUS, SAMORD, NBSP]) + "\n",
    "scb/helarsekvivalenter/rejected.csv": "region;kön;ersättning;år;andel\n"
                                           + ";".join([SPACED10, DASH, TWELVE, TEN, SPACED]) + "\n",
    "sus_aggregat/mixed_encoding.csv": ("Förbund;År;Deltagare;Nyinskrivna;Avslutade\n".encode()
                                        + f"Örebro {SPACED};2019;1;1;0\n".encode("cp1252")
                                        + f"Sydnärke {DASH};2019;1;1;0\n".encode()),
    # the issue's rejected ekonomi file: its four numbers in every cell of a row, and its header
    "ekonomi/issue_rejected.csv": f"Förbund;År;Post;Belopp;Enhet;Typ;{ISSUE[0]}\n"
                                  + "".join(f"{k};{k};{k};{k};{k};{k};{k}\n" for k in ISSUE),
}


def workbook_bytes(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheets_bytes(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        sheet = wb.create_sheet(title)
        for row in rows:
            sheet.append(row)
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
    project.raw("ekonomi/sheets.xlsx", sheets_bytes({  # rejected: two sheets have the header; both are named
        f"Omslag {EN}": [["Ekonomi"]], f"Blad {SLASH.replace('/', ' ')}": [EKONOMI_HEADER],
        f"Blad {DOT}": [EKONOMI_HEADER]}))
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
                found[f"{path} (bytes)"] = path.read_bytes().decode("utf-8", errors="replace")
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
    found = {where: unicodedata.normalize("NFKC", text) for where, text in found.items()}  # fullwidth digits too
    assert {where: LEAK.findall(text) for where, text in found.items() if LEAK.search(text)} == {}
    # Nor any other personnummer, in what holds data as text (not the bytes of a file: the report's script library
    # and SQLite's pages hold runs of digits that pass for one), checksums and run ids aside.
    found = {where: HEX_OR_UUID.sub(" ", text) for where, text in found.items() if not where.endswith("(bytes)")}
    assert len(found) > 50
    assert {where: [text[max(f.start - 40, 0):f.end + 10] for f in find(text) if f.valid]
            for where, text in found.items() if holds_pnr(text)} == {}


def test_the_pseudonym_key_is_never_written_or_logged(planted):
    found = texts_in(*planted)
    assert [where for where, text in found.items() if SECRET in text] == []


def fil(rel: str) -> str:
    """How the build names raw/<rel>: a personnummer in the name masked, with the name's keyed hash."""
    return mask_name(f"raw/{rel}", SECRET)


def test_planted_files_load_with_free_text_masked_and_keys_pseudonymised(planted):
    project, _, _ = planted
    assert fil(NAMED) == f"raw/sus/19850709-****~{fil(NAMED)[-12:-4]}.csv"
    assert project.query("select fil, status from marts.inlasta_filer order by fil") == sorted(
        [(fil(rel), "inlast") for rel in PLANTED] + [(fil(rel), "avvisad") for rel in REJECTED]
        + [("raw/sus/planted.xlsx", "inlast"), ("raw/ekonomi/rejected.xlsx", "avvisad"),
           ("raw/ekonomi/sheets.xlsx", "avvisad")])
    assert project.build_query("select insats, insats_id, avslutsorsak from staging.sus_registreringar "
                               "where fil = 'raw/sus/planted.csv' order by rad") == [
        ("Steget 19850709-****", "ID 850709-****", "Avbrott enl. 19850709-****"),
        ("Steget 850709-****", "850769-****", "Arbete (19850709-****)"),
        ("Steget", "19850709-****", None), ("Trappan", "19850709-****", None),
        *[("Trappan 19850709-****", "19850709-****", "Arbete (19850709-****)")] * 3,
        ("Trappan pnr-19850709-****", "pnr-19850709-****", "Arbete (pnr-19850709-****)"),
        *[("Trappan 19850709-****", "19850709-****", "Arbete (19850709-****)")] * 4]
    persons = dict(project.build_query("select rad, person from staging.sus_registreringar "
                                       "where fil = 'raw/sus/planted.csv'"))
    assert persons[2] == pseudonym("19850709980" + DASH[-1], SECRET)
    assert persons[5] == pseudonym("18850709981" + PLUS[-1], SECRET)  # '+': 100 or older
    assert persons[3] == pseudonym("19850709985" + SPACED10[-1], SECRET)
    assert persons[4] == pseudonym("19850709987" + NBSP[-1], SECRET)  # 'pnr ' before it: the same person
    # every spelling the masker did not know: a person of its own, pseudonymised from its 12 digits
    assert [persons[6 + i] for i in range(len(OTHERS))] == [
        pseudonym(f"19850709{serial}" + unicodedata.normalize("NFKC", k)[-1], SECRET)
        for serial, k in zip(("988", "989", "970", "971", "972", "973", "975", "974"), OTHERS)]
    issue = dict(project.build_query("select rad, person from staging.sus_registreringar "
                                     "where fil = 'raw/sus/issue.csv'"))
    assert [issue[2 + i] for i in range(4)] == [pseudonym(f"19121212{serial}" + k[-1], SECRET)
                                                 for serial, k in zip(("104", "105", "106", "107"), ISSUE)]
    assert project.query("select post from staging.ekonomi_rader where fil = 'raw/ekonomi/planted.csv' "
                         "order by rad") == [("Utlägg 19850709-****",), ("Utlägg 850769-****",),
                                             ("Utlägg 19850709-**** 19850709-**** 19850709-**** pnr-19850709-****",)]
    assert project.query("select insats, insats_nyckel, preciserad_inriktning, malgrupp, uppfoljningsmetod "
                         "from staging.uppfoljning_rader where fil = 'raw/uppfoljning/planted.csv'") == [
        ("Navet 19850709-****", "navet 19850709-****", "enl. 850709-****", "för 19850709-****", "850769-****")]
    assert project.query("select insats, avslutsorsak, kalla_text from staging.avslut_rapporterade_rader "
                         "where fil = 'raw/avslut_rapporterade/planted.csv'") == [
        ("Navet 19850709-****", "Arbete (19850709-****)", "850709-****")]
    assert project.query("select insats, kalla_text from staging.sus_aggregat_rader "
                         "where fil = 'raw/sus_aggregat/planted.csv'") == [
        ("Navet 850709-****", "enl. 850709-**** och 19850709-****")]


def test_the_issues_rejected_ekonomi_file_is_named_with_its_numbers_masked(planted):
    project, _, _ = planted
    rows = project.query("select rad, kolumn, hittat from marts.datakvalitet "
                         "where fil = 'raw/ekonomi/issue_rejected.csv' and rad is not null order by rad, kolumn")
    assert len(rows) >= 4 and {r for r, _, _ in rows} == {2, 3, 4, 5}
    assert {h for _, _, h in rows} <= {"19121212-****", "pnr-19121212-****"}, rows
    sheets = project.query("select beskrivning from marts.datakvalitet where fil = 'raw/ekonomi/sheets.xlsx'")
    assert sheets and "'Blad 19850709-****', 'Blad 19850709-****'" in sheets[0][0]


def test_a_personnummer_in_a_file_name_is_masked_and_never_makes_two_names_one(project, monkeypatch):
    """Names that differ only in a personnummer's spelling stay apart (a keyed hash of each name), and timestamps
    that are not personnummer keep their names: every file is published, and the names are unique."""
    monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", SECRET)
    project.settings(2019, 2019)
    names = [f"sus/{DASH}.csv", f"sus/{DASH.replace('-', ' ')}.csv", f"sus/{DASH.replace('-', '')}.csv",
             f"sus/{SPACED10}.csv", "sus/sydnarke_20260115-0930.csv", "sus/sydnarke_20260115-1415.csv"]
    for i, rel in enumerate(names):
        project.raw(rel, HEADER + f"\nSydnärke;Steget;A{i};Nej;K;2019-02-01;;\n")
    project.build()
    files = [f for (f,) in project.query("select fil from marts.inlasta_filer where status = 'inlast' order by fil")]
    assert sorted(files) == sorted(fil(rel) for rel in names) and len(set(files)) == len(names)
    assert {"raw/sus/sydnarke_20260115-0930.csv", "raw/sus/sydnarke_20260115-1415.csv"} <= set(files)
    assert len([f for f in files if f.startswith("raw/sus/19850709-****~")]) == 3
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
    assert project.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and insats = '*'") == [
        (len(names),)]


def test_a_personnummer_in_a_file_name_without_a_key_stops_the_run(project, monkeypatch):
    monkeypatch.delenv("FINSAM_PSEUDONYM_KEY", raising=False)
    project.settings(2019, 2019)
    project.raw(f"sus/{EN}.csv", HEADER + "\nSydnärke;Steget;A1;Nej;K;2019-02-01;;\n")
    with pytest.raises(ConfigError, match=r"raw/sus/19850709-\*\*\*\*\.csv: a personnummer in the file name, but "
                                          "no pseudonym key is set"):
        project.build()
    assert not project.warehouse.exists()


def test_an_error_that_quotes_a_personnummer_is_masked_in_the_events_and_on_standard_error(project, monkeypatch):
    """A bug, or a library that quotes a cell in its error: what reaches Dagster's event log and standard error
    says which error it was, with the personnummer masked."""
    def broken(b, name):
        raise ValueError(f"could not convert {EN!r} in row 2") from KeyError(PREFIX)
    monkeypatch.setattr(runner, "run", broken)
    monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", SECRET)
    project.settings(2019, 2019)
    code, out, err = project.run_command()
    assert code == 1
    assert err.splitlines()[0].startswith("NOT PUBLISHED: step ")
    assert "MaskedError: ValueError: could not convert '19850709-****' in row 2" in err
    with DagsterInstance.from_config(str(project.root / "dagster_home")) as instance:
        (run,) = instance.get_runs()
        events = "\n".join(str(e) for e in instance.all_logs(run.run_id))
    assert "could not convert '19850709-****' in row 2" in events
    leaks = [LEAK.findall(unicodedata.normalize("NFKC", text)) for text in (out, err, events)]
    assert leaks == [[], [], []]


def test_config_text_is_masked_in_the_register_tables_and_in_config_errors(project):
    """A personnummer typed into config: masked where the warehouse keeps the text (register.avslutsorsak,
    register.insatser) and in the message of a config error, which reaches standard error and Dagster."""
    project.settings(2019, 2019)
    with open(project.config / "avslutsorsak.csv", "a", encoding="utf-8") as fh:
        fh.write(f"Arbete enl. {EN},arbete,\n")
    with open(project.config / "insatser.csv", "a", encoding="utf-8") as fh:
        fh.write(f"sydnarke,Steget {SLASH},coachingteam,1882,medlemsbidrag,2019-01-01,\n")
    project.build()
    assert project.query("select nyckel from register.avslutsorsak where nyckel like 'arbete enl%'") == [
        ("arbete enl. 19850709-****",)]
    assert project.query("select insats from register.insatser where insats like 'Steget %'") == [
        ("Steget 19850709-****",)]
    with open(project.config / "avslutsorsak.csv", "a", encoding="utf-8") as fh:
        fh.write(f"Arbete enl. {EN},studier,\n")  # the same text mapped twice: the error quotes it
    with pytest.raises(ConfigError, match=r"'Arbete enl\. 19850709-\*\*\*\*' is mapped to both") as e:
        project.build()
    assert not LEAK.search(unicodedata.normalize("NFKC", str(e.value)))
