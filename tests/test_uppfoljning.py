"""Uppföljning Finsam (raw/uppfoljning/): aggregate counts per förbund, insats and year since SUS closed.

Parsing and rejection are tested on single files (finsam.sources.uppfoljning.parse_file, no build). What depends
on several files or years (the newest file wins, inriktning_andras) is read from one build of FILES, where each
test's files hold a förbund no other test's files hold."""
import datetime as dt
import io
import os

import openpyxl
import pytest

from finsam.config import PROJECT_ROOT, load_registry
from finsam.io.findings import FileRejected
from finsam.sources import uppfoljning
from tests.conftest import Delad

TODAY = dt.date(2026, 6, 30)
REGISTRY = load_registry(PROJECT_ROOT / "config")
COLUMNS = ["rad", "forbund", "ar", "insats", "insats_nyckel", "inriktning", "preciserad_inriktning", "malgrupp",
           "uppfoljningsmetod", "esf", "kvinnor", "man", "totalt", "budgeterat_antal", "budget_kr", "utfall_kr"]


def parse(tmp_path, content: str | bytes, name: str = "u.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    frame, findings = uppfoljning.parse_file(path, f"raw/uppfoljning/{name}", REGISTRY, TODAY)
    assert findings == []
    return [tuple(r) for r in frame.select(COLUMNS).iter_rows()]


ALIASES = (
    "Uppföljning Finsam, uttag 2025-01-15\n"
    "Samordningsförbund;Budgetår;Insatsens namn;Inriktning;Preciserad inriktning;Målgrupp;Uppföljningsmetod;"
    "ESF-finansierad;Antal kvinnor;Antal män;Antal deltagare;Budgeterat antal deltagare;Budget;Utfall;Enhet\n"
    "Sydnärke;2023; Steget ;Individinriktad;Arbetsträning;Unga 16–29 år;Enkät;Ja;10;5;17;20;1 200;1 100,5;tkr\n"
    "Sydnärke;2024;STEGET;individinriktad;;;;Nej;3;;;;;;\n"
    "SOFINT;2024;Nätverket  Norr;Strukturövergripande;;;;;0;0;;;50000;40000;kr\n")


def test_aliases_tkr_blank_esf_and_inriktning(tmp_path):
    """A title row, every alias, tkr -> kr (1 200 tkr = 1 200 000 kr), blank = NULL (never 0), a given total kept
    (17 > 10 + 5: two without kön), Ja/Nej/blank ESF, both Inriktning values in any case."""
    assert parse(tmp_path, ALIASES) == [
        (3, "sydnarke", 2023, "Steget", "steget", "individinriktad", "Arbetsträning", "Unga 16–29 år", "Enkät", True,
         10, 5, 17, 20, 1_200_000.0, 1_100_500.0),
        (4, "sydnarke", 2024, "STEGET", "steget", "individinriktad", None, None, None, False, 3, None, None, None,
         None, None),
        (5, "sofint", 2024, "Nätverket  Norr", "nätverket norr", "strukturovergripande", None, None, None, None, 0, 0,
         0, None, 50_000.0, 40_000.0)]


def test_a_row_that_only_names_an_insats_reports_nothing_and_is_left_out(tmp_path):
    """The fill-in workbook pre-fills Förbund, År and Insats; a row the insats left empty is no report (and no
    blank Inriktning to reject), while a row with anything more is read as usual."""
    rows = parse(tmp_path, "Förbund;År;Insats;Inriktning;Kvinnor;Män\n"
                           "Sydnärke;2024;Steget;;;\n"
                           "Sydnärke;2024;Trappan;Individinriktad;7;4\n")
    assert [(r[0], r[3], r[12]) for r in rows] == [(3, "Trappan", 11)]


def test_without_the_optional_columns_the_total_is_kvinnor_plus_man(tmp_path):
    rows = parse(tmp_path, "Förbund;År;Insats;Inriktning;Kvinnor;Män\n"
                           "Sydnärke;2024;Steget;Individinriktad;7;4\n"
                           "Sydnärke;2024;Trappan;Individinriktad;7;\n")
    assert [(r[3], r[9], r[10], r[11], r[12], r[13], r[14], r[15]) for r in rows] == [
        ("Steget", None, 7, 4, 11, None, None, None), ("Trappan", None, 7, None, None, None, None, None)]


def test_a_workbook_with_numbers_as_numbers(tmp_path):
    wb = openpyxl.Workbook()
    for row in (["Förbund", "År", "Insatsnamn", "Inriktning", "Kvinnor", "Män", "Deltagare", "Budget", "Enhet"],
                ["Sydnärke", 2024, "Steget", "Individinriktad", 8, 6, 15, 1250.5, "tkr"]):
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    assert parse(tmp_path, out.getvalue(), "u.xlsx") == [
        (2, "sydnarke", 2024, "Steget", "steget", "individinriktad", None, None, None, None, 8, 6, 15, None,
         1_250_500.0, None)]


HEADER = "Förbund;År;Insats;Inriktning;ESF;Kvinnor;Män;Totalt;Budget;Enhet\n"
BAD = {  # one row each: (rad, kolumn, hittat, forvantat, beskrivning) of every finding
    "negative count": ("Sydnärke;2024;Steget;Individinriktad;;-2;3;;;\n", [
        (2, "Kvinnor", "-2", "a whole number of 0 or more (blank = not reported)", "negative count")]),
    "fractional count": ("Sydnärke;2024;Steget;Individinriktad;;2;2,5;;;\n", [
        (2, "Män", "2,5", "a whole number", "unreadable integer")]),
    "total below kvinnor + män": ("Sydnärke;2024;Steget;Individinriktad;;6;5;10;;\n", [
        (2, "Totalt", "10", "a total of at least Kvinnor + Män (the rest had no kön)", "total below Kvinnor + Män")]),
    "total below kvinnor alone": ("Sydnärke;2024;Steget;Individinriktad;;6;;5;;\n", [
        (2, "Totalt", "5", "a total of at least Kvinnor + Män (the rest had no kön)", "total below Kvinnor + Män")]),
    "unknown inriktning": ("Sydnärke;2024;Steget;Blandad;;1;1;;;\n", [
        (2, "Inriktning", "Blandad", "Individinriktad or Strukturövergripande", "not a valid Inriktning")]),
    "blank inriktning": ("Sydnärke;2024;Steget;;;1;1;;;\n", [
        (2, "Inriktning", None, "Individinriktad or Strukturövergripande", "Inriktning is blank")]),
    "text in a number": ("Sydnärke;2024;Steget;Individinriktad;;tio;1;;ca 5000;\n", [
        (2, "Budget", "ca 5000", "a number (decimal comma or point)", "unreadable number"),
        (2, "Kvinnor", "tio", "a whole number", "unreadable integer")]),
    "ESF other than Ja or Nej": ("Sydnärke;2024;Steget;Individinriktad;Delvis;1;1;;;\n", [
        (2, "ESF", "Delvis", "Ja, Nej or blank", "not a valid ESF value")]),
    "unknown Enhet": ("Sydnärke;2024;Steget;Individinriktad;;1;1;;5;mkr\n", [
        (2, "Enhet", "mkr", "kr or tkr (blank = kr)", "not a valid Enhet")]),
    "negative money": ("Sydnärke;2024;Steget;Individinriktad;;1;1;;-5;\n", [
        (2, "Budget", "-5", "an amount of 0 or more", "negative amount")]),
    "blank insats": ("Sydnärke;2024;;Individinriktad;;1;1;;;\n", [
        (2, "Insats", None, "the insats name as registered", "insats is blank")]),
    "the same insats twice in a year": ("Sydnärke;2024;Steget;Individinriktad;;1;1;;;\n"
                                        "Sydnärke;2024;steget;Individinriktad;;2;1;;;\n", [
        (2, "Insats", "Steget", "one row per förbund, insats and year", "duplicate row"),
        (3, "Insats", "steget", "one row per förbund, insats and year", "duplicate row")]),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_row_rejects_the_file_naming_row_and_column(tmp_path, case):
    body, expected = BAD[case]
    with pytest.raises(FileRejected) as e:
        parse(tmp_path, HEADER + body)
    assert [(f.regel, f.allvarlighet, f.fil) for f in e.value.findings] == [
        ("fil_avvisad", "fel", "raw/uppfoljning/u.csv")] * len(expected)
    assert [(f.rad, f.kolumn, f.hittat, f.forvantat, f.beskrivning) for f in e.value.findings] == expected


FILES = Delad()
UP = "Förbund;År;Insats;Inriktning;Kvinnor;Män\n"
OLD, NEW = 1_700_000_000, 1_700_100_000  # modification times: NEW is the newer file
OLD_FIL = FILES.fil("uppfoljning/sofint_gammal.csv", UP + "SOFINT;2024;Navet;Individinriktad;4;3\n"
                                                          "SOFINT;2023;Navet;Individinriktad;2;2\n", mtime=OLD)
NEW_FIL = FILES.fil("uppfoljning/sofint_ny.csv", UP + "SOFINT;2024;navet;Individinriktad;5;3\n"
                                                       "SOFINT;2023;Navet;Individinriktad;2;2\n", mtime=NEW)
CHANGES = FILES.fil("uppfoljning/sydnarke.csv", UP + "Sydnärke;2023;Steget;Individinriktad;5;5\n"
                                                     "Sydnärke;2024;Steget;Strukturövergripande;;\n"
                                                     "Sydnärke;2025;Steget;Individinriktad;6;6\n"
                                                     "Sydnärke;2023;Trappan;Individinriktad;1;1\n"
                                                     "Sydnärke;2024;Trappan;individinriktad;1;1\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return FILES.bygg(tmp_path_factory, "uppfoljning", (2023, 2025))


def test_the_staging_table_has_the_agreed_columns(built):
    assert built.query("select column_name, data_type from information_schema.columns where table_schema = "
                       "'staging' and table_name = 'uppfoljning_rader' order by ordinal_position") == [
        ("fil", "VARCHAR"), ("rad", "BIGINT"), ("forbund", "VARCHAR"), ("ar", "INTEGER"), ("insats", "VARCHAR"),
        ("insats_nyckel", "VARCHAR"), ("inriktning", "VARCHAR"), ("preciserad_inriktning", "VARCHAR"),
        ("malgrupp", "VARCHAR"), ("uppfoljningsmetod", "VARCHAR"), ("esf", "BOOLEAN"), ("kvinnor", "BIGINT"),
        ("man", "BIGINT"), ("totalt", "BIGINT"), ("budgeterat_antal", "BIGINT"), ("budget_kr", "DOUBLE"),
        ("utfall_kr", "DOUBLE"), ("andrad", "TIMESTAMP")]


def test_the_newest_file_wins_an_insats_year_with_a_finding_where_they_differ(built):
    assert built.query("select fil, ar, insats, kvinnor, man, totalt from staging.uppfoljning_rader "
                       "where forbund = 'sofint' order by ar") == [
        (NEW_FIL, 2023, "Navet", 2, 2, 4), (NEW_FIL, 2024, "navet", 5, 3, 8)]
    assert built.query("select regel, allvarlighet, kalla, forbund, ar, insats, fil, rad, hittat, forvantat, "
                       "beskrivning from marts.datakvalitet where kalla = 'uppfoljning' and forbund = 'sofint'") == [
        ("dubblett_konflikt", "varning", "uppfoljning", "sofint", 2024, "Navet", OLD_FIL, 2, "kvinnor=4, totalt=7",
         "kvinnor=5, totalt=8", f"an insats-year appears more than once with different values; the copy in the "
         f"newest file ({NEW_FIL}) wins (within one file, the later row)")]
    assert os.path.getmtime(built.data / NEW_FIL) == NEW


def test_an_inriktning_that_changes_between_years_is_a_finding_naming_the_years(built):
    assert built.query("select regel, allvarlighet, kalla, forbund, ar, insats, fil, rad, kolumn, hittat, forvantat, "
                       "beskrivning, varde from marts.datakvalitet where regel = 'inriktning_andras'") == [
        ("inriktning_andras", "varning", "uppfoljning", "sydnarke", 2024, "Steget", CHANGES, 3, "Inriktning",
         "individinriktad 2023, 2025; strukturovergripande 2024", "the same Inriktning every year",
         "the insats's Inriktning changes between years: individinriktad in 2023, strukturovergripande in 2024; an "
         "insats keeps one inriktning (correct the years that are wrong, or register a new insats)", None)]
    assert built.query("select ar, inriktning, kvinnor, totalt from staging.uppfoljning_rader "
                       "where forbund = 'sydnarke' and insats_nyckel = 'steget' order by ar") == [
        (2023, "individinriktad", 5, 10), (2024, "strukturovergripande", None, None), (2025, "individinriktad", 6, 12)]
