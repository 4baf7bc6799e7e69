"""The bad-input corpus: one case per way an input file goes wrong, in every source folder.

One good file per source (tests/fixtures/bad/good/) and every case's file lie in one data directory, which the
pipeline command builds and publishes once (its exit status and summary are checked too); each case checks its
own file (loaded or rejected, and every finding it gives: row, column, found, expected, what) and that every good
file still loaded. The two cases whose point depends on the other files (ALONE) are built on their own. Text
files are in tests/fixtures/bad/<source>/; files whose point is in their bytes (encodings, workbooks, links) are
made here. A 150 MB file is parsed within a stated memory bound.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from finsam.build.runner import BuildContext, build_all
from finsam.build.steps import PERSON_TABLES, SOURCES
from finsam.config import PROJECT_ROOT
from finsam.io.findings import FEL, FileRejected, Finding
from finsam.publish.warehouse import staging_path, start_build
from tests.conftest import FIXTURES, TODAY, Project

# Slow (make test-quick leaves it out): the 150 MB file, and the pipeline command on the whole corpus.
pytestmark = pytest.mark.slow
BAD = FIXTURES / "bad"
GOOD = {  # every good file, and the rows it gives
    "sus/sydnarke_2019.csv": 2, "sus_aggregat/sofint_2019.csv": 1, "uppfoljning/sydnarke_2019.csv": 2,
    "avslut_rapporterade/sydnarke_2019.csv": 2, "ekonomi/sofint_2019.csv": 3,
    "tilldelning/sydnarke_2019.csv": 1, "scb/folkmangd/orebro_2019.csv": 1, "scb/folkmangd_nov/orebro_2018.csv": 1,
    "scb/helarsekvivalenter/askersund_2019.csv": 2, "uppfoljning_efter_avslut/sydnarke_2019.csv": 2,
    "indikatorer/sydnarke_2019.csv": 2, "budget/sydnarke_2019.csv": 2,
}
BUDGET = "Förbund;År;Post;Belopp;Enhet;Typ;Version;Beslutad;Insats\n"
SUS = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
SUS_ROW = "Sydnärke;Trappan;X1;Nej;K;2019-02-01;;\n"
HEADER_EXPECTED = "a header with the columns forbund, insats, person, start, slut, avslutsorsak"
ERROR_VALUE = ("a value (correct the formula in Excel, or paste the cells as values, and save again)",
               "an Excel error value: the cell's value was lost")
UNCACHED = ("a value: open the file in Excel and save it again (a workbook written by a program other than Excel "
            "may store formulas only), or paste the cells as values", "a formula saved without its value")
OUTSIDE = ("a file inside the data directory (FINSAM_DATA_DIR), or a link to one",
           "a link to a file outside the data directory: not read")


def workbook(*sheets: list[list]) -> bytes:
    """An xlsx written by openpyxl: formulas are stored without a value (as by any program but Excel), a text
    equal to an error code (#REF!) is stored as that error."""
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    for i, rows in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet(f"Data{i}")
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def fixture(name: str) -> Callable[[Project, Path], None]:
    return lambda project, path: shutil.copy(BAD / name, path)


def content(data: str | bytes) -> Callable[[Project, Path], None]:
    return lambda project, path: path.write_bytes(data.encode() if isinstance(data, str) else data)


def link(target: str) -> Callable[[Project, Path], None]:
    """A symbolic link to `target` (relative to the project root), which is made with a good SUS file in it, or
    as a folder holding one when it ends in '/'."""
    def make(project: Project, path: Path) -> None:
        dest = project.root / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        if target.endswith("/"):
            dest.mkdir(parents=True, exist_ok=True)
            (dest / "a.csv").write_text(SUS + SUS_ROW, encoding="utf-8")
        elif target != "saknas.csv":
            dest.write_text(SUS + SUS_ROW, encoding="utf-8")
        path.symlink_to(dest)
    return make


@dataclass
class Case:
    id: str
    rel: str                       # the file's place under raw/
    make: Callable[[Project, Path], None]
    fel: list[tuple]               # (rad, kolumn, hittat, forvantat, beskrivning) of every finding, in order
    rader: int | None = None       # rows read: set for a file that loads, None for one that is rejected
    query: tuple[str, list] | None = None  # and what the warehouse then says, where that is the point

    @property
    def status(self) -> str:
        return "avvisad" if self.rader is None else "inlast"


AMBIGUOUS_KR = ("an amount in kr with at most two decimals: 1025 or 1 025 for a thousand and twenty-five kronor, 1,03 "
                "for one krona and three öre", "a point or comma before three digits in an amount in kr: a thousands "
                "separator or a decimal mark?")

CASES = [
    # raw/sus/
    Case("empty file", "sus/tom.csv", content(b""),
         [(None, None, "0 bytes", "a header row and data rows", "the file is empty")]),
    Case("header only", "sus/header_only.csv", fixture("sus/header_only.csv"), [], rader=0),
    Case("wrong separator", "sus/pipe_separated.csv", fixture("sus/pipe_separated.csv"), [
        (None, None, "Samordningsförbund|Insats|Deltagar-ID|Anonym|Kön|Inskrivningsdatum|Utskrivningsdatum|"
                     "Avslutsorsak", HEADER_EXPECTED, "no header row in the first 11 rows")]),
    Case("mixed encodings: a Windows-1252 byte in a UTF-8 file", "sus/blandad.csv",
         content((SUS + SUS_ROW).encode() + b"Sydn\xe4rke;Trappan;X2;Nej;K;2019-02-01;;\n"), [
             (3, "Samordningsförbund", "Sydn\ufffdrke",
              "one encoding for the whole file, UTF-8 or Windows-1252 (save it again as UTF-8)",
              "byte 0xE4 cannot be read: it is not UTF-8, as the rest of the file is")]),
    Case("mixed encodings in the header", "sus/blandad_rubrik.csv",
         content(b"Samordningsf\xf6rbund;" + (SUS.split(";", 1)[1] + SUS_ROW).encode()), [
             (1, "A", "Samordningsf\ufffdrbund",
              "one encoding for the whole file, UTF-8 or Windows-1252 (save it again as UTF-8)",
              "byte 0xF6 cannot be read: it is not UTF-8, as the rest of the file is")]),
    Case("a quote opened and never closed swallows the rows after it", "sus/citat.csv",
         content(SUS + 'Sydnärke;Trappan;X1;Nej;K;2019-02-01;;"Arbete\nSydnärke;Trappan;X2;Nej;K;2019-02-01;;\n'
                 'Sydnärke;Trappan;X3;Nej;K;2019-02-01;2019-05-01;Avbrott"\n'), [
             (2, "Avslutsorsak", "a cell over 3 lines, 2 of them with a row's 7 separators",
              "a closing quote at the end of the cell, or no quote at its start",
              'a quote (") opens the cell and is never closed: the rows after it were read as part of this cell')]),
    Case("Windows-1252 throughout", "sus/ansi.csv", content((SUS + SUS_ROW).encode("cp1252")), [], rader=1,
         query=("select forbund, insats from staging.sus_registreringar where fil = 'raw/sus/ansi.csv'",
                [("sydnarke", "Trappan")])),
    Case("impossible date", "sus/impossible_date.csv", fixture("sus/impossible_date.csv"), [
        (2, "Inskrivningsdatum", "2019-02-30", "a date (YYYY-MM-DD or an Excel date)", "unreadable date")]),
    Case("date in the future", "sus/date_in_future.csv", fixture("sus/date_in_future.csv"), [
        (3, "Utskrivningsdatum", "2031-01-15", "a date from 2000-01-01 to 2027-12-31", "date out of range")]),
    Case("end before start", "sus/end_before_start.csv", fixture("sus/end_before_start.csv"), [
        (2, "Utskrivningsdatum", "2019-04-30", "an end date on or after the start date",
         "spell ends before it starts")]),
    Case("unknown förbund", "sus/unknown_forbund.csv", fixture("sus/unknown_forbund.csv"), [
        (2, "Samordningsförbund", "Samordningsförbundet Atlantis",
         "a förbund listed in forbund.yaml (kod, namn or sus_namn)", "unknown förbund")]),
    Case("duplicate rows count once", "sus/duplicate_rows.csv", fixture("sus/duplicate_rows.csv"), [], rader=2,
         query=("select registreringar from marts.deltagare_ar where forbund = 'sydnarke' and insats = 'Trappan'",
                [(1,)])),
    Case("duplicated header", "sus/duplicated_header.csv", fixture("sus/duplicated_header.csv"), [
        (1, "Startdatum", SUS.strip().replace(";", "; ") + "; Startdatum", "each column once",
         "a column appears more than once in the header")]),
    Case("text in a number", "sus/text_in_number.csv", fixture("sus/text_in_number.csv"), [
        (2, "Födelseår", "nittio", "a whole number", "unreadable integer")]),
    Case("quoted separator and newline load, with the rows after counted right", "sus/quoted.csv",
         fixture("sus/quoted_separator_and_newline.csv"), [], rader=2,
         query=("select rad, person, avslutsorsak from staging.sus_registreringar where fil = 'raw/sus/quoted.csv' "
                "order by rad", [(2, "Q1", "Arbete; heltid\nfrån maj"), (4, "Q2", None)])),
    Case("quoted newline, then a bad row: its row number", "sus/quoted_bad.csv",
         fixture("sus/quoted_newline_then_bad_date.csv"), [
             (4, "Inskrivningsdatum", "2019-13-01", "a date (YYYY-MM-DD or an Excel date)", "unreadable date")]),
    Case("file name with spaces and å ä ö", "sus/Sydnärke export 2019 (å ä ö).csv",
         fixture("sus/Sydnärke export 2019 (å ä ö).csv"), [], rader=1,
         query=("select fil, person from staging.sus_registreringar where person = 'Å1'",
                [("raw/sus/Sydnärke export 2019 (å ä ö).csv", "Å1")])),
    Case("a file in a folder inside the source folder", "sus/2019/export.csv", content(SUS + SUS_ROW), [], rader=1),
    Case("a link to a file inside the data directory is read", "sus/lankad.csv", link("data/arkiv/sus.csv"), [],
         rader=1),
    Case("a link to a file outside the data directory is not read", "sus/utanfor.csv", link("utanfor/sus.csv"),
         [(None, None, "{root}/utanfor/sus.csv", *OUTSIDE)]),
    Case("a link that leads nowhere", "sus/trasig.csv", link("saknas.csv"),
         [(None, None, "{root}/saknas.csv", "a file, or a link to a file inside the data directory",
           "a link that leads nowhere")]),
    Case("a link to a folder is not followed", "sus/mapp", link("data/arkiv/mapp/"),
         [(None, None, "{root}/data/arkiv/mapp", "a file, or a link to a file inside the data directory",
           "a link to a folder: not followed (folders are read, links to them are not)")]),
    Case("xlsx with a cover sheet first: the one sheet with the header is read", "sus/andra_bladet.xlsx",
         content(workbook([["Export från SUS"]], [SUS.strip().split(";"), SUS_ROW.strip().split(";")])), [],
         rader=1),
    Case("xlsx with a header on two sheets after the first", "sus/tva_blad.xlsx",
         content(workbook([["Export från SUS"]], [SUS.strip().split(";"), SUS_ROW.strip().split(";")],
                          [SUS.strip().split(";")])), [
             (None, None, "Export från SUS", HEADER_EXPECTED, "no header row in the first 11 rows of the first "
                                                             "sheet; sheets 'Data1', 'Data2' each have one: keep "
                                                             "the data on one sheet")]),
    Case("xlsx with formulas without stored values", "sus/formler.xlsx", content(workbook([
        SUS.strip().split(";"),
        ["Sydnärke", "Trappan", "X1", "Nej", "K", "2019-02-01", "=F2+30", ""],
        ["Sydnärke", "Trappan", "X2", "Nej", "K", "=F2", "", ""]])), [
        (2, "Utskrivningsdatum", "=F2+30", *UNCACHED), (3, "Inskrivningsdatum", "=F2", *UNCACHED)]),
    Case("xlsx that is really a csv", "sus/csv.xlsx", content(SUS + SUS_ROW), [
        (None, None, None, None, "not an xlsx workbook: the file is text (a csv file named .xlsx?); name it .csv")]),
    Case("zero-byte xlsx", "sus/tom.xlsx", content(b""),
         [(None, None, "0 bytes", "a header row and data rows", "the file is empty")]),
    # raw/sus_aggregat/
    Case("negative count", "sus_aggregat/negative_count.csv", fixture("sus_aggregat/negative_count.csv"), [
        (2, "Nyinskrivna", "-4", "a count of 0 or more", "negative count")]),
    Case("total row that does not add up", "sus_aggregat/total.csv", fixture("sus_aggregat/total_row_wrong.csv"), [
        (4, "Deltagare", "70", "the column sum 69", "total row does not equal the sum of the rows")]),
    Case("duplicate rows", "sus_aggregat/duplicate_rows.csv", fixture("sus_aggregat/duplicate_rows.csv"), [
        (2, "År", "2019", "one row per förbund, year, insats and uttag", "duplicate row"),
        (3, "År", "2019", "one row per förbund, year, insats and uttag", "duplicate row")]),
    Case("text in a count", "sus_aggregat/text_in_number.csv", fixture("sus_aggregat/text_in_number.csv"), [
        (2, "Deltagare", "ca 40", "a whole number", "unreadable integer")]),
    Case("xlsx with every Excel error value", "sus_aggregat/fel.xlsx", content(workbook([
        ["Förbund", "År", "Deltagare", "Nyinskrivna", "Avslutade", "Källa"],
        ["SOFINT", 2018, "#REF!", "#N/A", "#VALUE!", "#DIV/0!"],
        ["#NAME?", 2017, 10, "#NULL!", "#NUM!", "SUS"]])), [
        (2, "Avslutade", "#VALUE!", *ERROR_VALUE), (2, "Deltagare", "#REF!", *ERROR_VALUE),
        (2, "Källa", "#DIV/0!", *ERROR_VALUE), (2, "Nyinskrivna", "#N/A", *ERROR_VALUE),
        (3, "Avslutade", "#NUM!", *ERROR_VALUE), (3, "Förbund", "#NAME?", *ERROR_VALUE),
        (3, "Nyinskrivna", "#NULL!", *ERROR_VALUE)]),
    # raw/uppfoljning/
    Case("total below kvinnor + män", "uppfoljning/total.csv", fixture("uppfoljning/total_below_kvinnor_man.csv"), [
        (2, "Totalt", "10", "a total of at least Kvinnor + Män (the rest had no kön)", "total below Kvinnor + Män")]),
    Case("unknown inriktning", "uppfoljning/inriktning.csv", fixture("uppfoljning/unknown_inriktning.csv"), [
        (2, "Inriktning", "Blandad", "Individinriktad or Strukturövergripande", "not a valid Inriktning")]),
    # raw/avslut_rapporterade/
    Case("fractional count", "avslut_rapporterade/decimal.csv", fixture("avslut_rapporterade/fractional_count.csv"),
         [(2, "Antal", "2,5", "a whole number", "unreadable integer")]),
    # raw/ekonomi/
    Case("amount with text", "ekonomi/amount_with_text.csv", fixture("ekonomi/amount_with_text.csv"), [
        (2, "Belopp", "2 650 000 kr", "a number (decimal comma or point)", "unreadable number")]),
    Case("negative amounts", "ekonomi/negative_amount.csv", fixture("ekonomi/negative_amount.csv"), [
        (3, "Belopp", "-2000000.00", "a total of 0 or more kr", "the lines of kategori individinriktade_insatser sum "
         "to a negative amount for förbund sydnarke, year 2019 (costs and incomes are positive, or every cost line "
         "negative)")]),
    Case("a point before three digits in kr: 1 025 kr or 1,03 kr?", "ekonomi/tvetydigt.csv",
         content("Förbund;År;Post;Belopp;Enhet;Typ\nSOFINT;2019;Medlemsbidrag Försäkringskassan;1.025;kr;intäkt\n"
                 "SOFINT;2019;Samverkansteamet;1,5;tkr;kostnad\nSOFINT;2019;Administration;472,306;kr;kostnad\n"), [
             (2, "Belopp", "1.025", AMBIGUOUS_KR[0], AMBIGUOUS_KR[1]),
             (4, "Belopp", "472,306", AMBIGUOUS_KR[0], AMBIGUOUS_KR[1])]),
    Case("total row that does not add up", "ekonomi/total.csv", fixture("ekonomi/total_row_wrong.csv"), [
        (4, "Belopp", "4 000 000", "the column sum 4.65e+06", "total row does not equal the sum of the rows")]),
    Case("unknown förbund", "ekonomi/unknown_forbund.csv", fixture("ekonomi/unknown_forbund.csv"), [
        (2, "Förbund", "Samordningsförbundet Atlantis", "a förbund listed in forbund.yaml (kod, namn or sus_namn)",
         "unknown förbund")]),
    Case("Excel error values in a csv", "ekonomi/fel.csv", fixture("ekonomi/excel_errors_in_csv.csv"), [
        (2, "Post", "#REF!", *ERROR_VALUE), (3, "Belopp", "#N/A", *ERROR_VALUE)]),
    Case("a delår whose Period till lies outside its year", "ekonomi/delar.csv", content(
        "Förbund;År;Post;Belopp;Enhet;Typ;Period till\nSOFINT;2019;Samverkansteamet;100;tkr;kostnad;2018-08-31\n"), [
        (2, "Period till", "2018-08-31", "a date within the row's År", "date outside the row's year")]),
    # raw/budget/
    Case("unknown Version", "budget/version.csv", content(
        BUDGET + "Sydnärke;2019;Köp av tjänst förbundschef;100;tkr;kostnad;utkast;2018-11-30;\n"), [
        (2, "Version", "utkast", "budget, reviderad budget or prognos", "not a valid Version")]),
    Case("decided after the run", "budget/beslutad.csv", content(
        BUDGET + "Sydnärke;2019;Köp av tjänst förbundschef;100;tkr;kostnad;budget;2026-07-01;\n"), [
        (2, "Beslutad", "2026-07-01", "a date up to 2026-06-30", "decided after the run's date")]),
    Case("an Insats on an income line", "budget/insats.csv", content(
        BUDGET + "Sydnärke;2019;Driftbidrag Försäkringskassan;100;tkr;intäkt;budget;2018-11-30;Samordningsteam\n"), [
        (2, "Insats", "Samordningsteam", "an Insats only on a line of kategori individinriktade_insatser, "
         "strukturovergripande_insatser, administration (or blank)",
         "an Insats on a line of kategori medlemsbidrag_stat")]),
    # raw/tilldelning/
    Case("negative amount", "tilldelning/negative_amount.csv", fixture("tilldelning/negative_amount.csv"), [
        (2, "Region", "-1 000", "an amount of 0 or more", "negative amount")]),
    Case("negative Ansökt region and Ansökt kommuner", "tilldelning/ansokt_negativ.csv", content(
        "Förbund;År;Stat;Region;Kommuner;Ansökt region;Ansökt kommuner;Enhet\n"
        "SOFINT;2019;2 000;1 000;1 000;-1 250;-5;tkr\n"), [
        (2, "Ansökt kommuner", "-5", "an amount of 0 or more", "negative amount"),
        (2, "Ansökt region", "-1 250", "an amount of 0 or more", "negative amount")]),
    Case("year in the future", "tilldelning/year_in_future.csv", fixture("tilldelning/year_in_future.csv"), [
        (2, "År", "2028", "a year from 2000 to 2027", "year out of range")]),
    Case("duplicate rows", "tilldelning/duplicate_rows.csv", fixture("tilldelning/duplicate_rows.csv"), [
        (2, "År", "2019", "one row per förbund and year", "duplicate row"),
        (3, "År", "2019", "one row per förbund and year", "duplicate row")]),
    Case("total row that does not add up", "tilldelning/total.csv", fixture("tilldelning/total_row_wrong.csv"), [
        (4, "Kommuner", "3 500", "the column sum 3000", "total row does not equal the sum of the rows")]),
    Case("xlsx with a #REF! in a number", "tilldelning/ref.xlsx", content(workbook([
        ["Förbund", "År", "Stat", "Region", "Kommuner", "Enhet"],
        ["SOFINT", 2019, 2000, "#REF!", 1000, "tkr"]])), [(2, "Region", "#REF!", *ERROR_VALUE)]),
    Case("xlsx from column B: cells without a header named by their letter", "tilldelning/kolumn_b.xlsx",
         content(workbook([
             [None, "Förbund", "År", "Stat", "Region", "Kommuner", "Enhet"],
             [None, "SOFINT", 2019, 2000, 1000, 1000, "tkr", "#N/A"],
             ["=B2"]])), [
             (2, "H", "#N/A", *ERROR_VALUE), (3, "A", "=B2", *UNCACHED)]),
    # raw/scb/folkmangd/
    Case("unknown kommun", "scb/folkmangd/unknown_kommun.csv", fixture("scb/folkmangd/unknown_kommun.csv"), [
        (2, "region", "9999 Atlantis", "a region code and name, such as '1880 Örebro' or '00 Riket'",
         "unknown region")]),
    Case("text in a number", "scb/folkmangd/text_in_number.csv", fixture("scb/folkmangd/text_in_number.csv"), [
        (2, "2019", "ca 368", "a whole number", "unreadable integer")]),
    Case("negative number", "scb/folkmangd/negative_number.csv", fixture("scb/folkmangd/negative_number.csv"), [
        (2, "2019", "-368", "a number of 0 or more", "negative number")]),
    Case("overlapping age rows", "scb/folkmangd/overlapping.csv", fixture("scb/folkmangd/overlapping_ages.csv"), [
        (4, "ålder", "60-69 år", "age groups that do not overlap within a region, kön and year (row 3 has "
                                 "'20-64 år')", "overlapping age groups")]),
    # raw/scb/folkmangd_nov/
    Case("wrong separator", "scb/folkmangd_nov/pipe_separated.csv", fixture("scb/folkmangd_nov/pipe_separated.csv"),
         [(None, None, 'region|"ålder"|"kön"|"2018"', "a header with the columns region", "no header row in the "
                                                                                          "first 11 rows")]),
    Case("duplicated year column", "scb/folkmangd_nov/twice.csv",
         fixture("scb/folkmangd_nov/duplicated_year_column.csv"),
         [(1, "2018", "region; ålder; kön; 2018; 2018", "each column once",
           "a column appears more than once in the header")]),
    Case("an undefined Windows-1252 byte", "scb/folkmangd_nov/odefinierad.csv",
         content('"region","ålder","kön","2018"\n"1814 Lekeberg","totalt ålder","totalt",7800\n'.encode("cp1252")
                 .replace(b"Lekeberg", b"Leke\x81berg")), [
             (2, "region", "1814 Leke\ufffdberg",
              "one encoding for the whole file, UTF-8 or Windows-1252 (save it again as UTF-8)",
              "byte 0x81 cannot be read: it is not a Windows-1252 character")]),
    # raw/scb/helarsekvivalenter/
    Case("share out of range", "scb/helarsekvivalenter/share.csv",
         fixture("scb/helarsekvivalenter/share_out_of_range.csv"), [
             (3, "andel", "120", "a share in % from 0 to 100", "share out of range")]),
    Case("unknown kommun", "scb/helarsekvivalenter/unknown_kommun.csv",
         fixture("scb/helarsekvivalenter/unknown_kommun.csv"), [
             (2, "region", "2799 Ingenstans", "a region code and name, such as '1880 Örebro' or '00 Riket'",
              "unknown region")]),
    Case("duplicate rows", "scb/helarsekvivalenter/duplicate_rows.csv",
         fixture("scb/helarsekvivalenter/duplicate_rows.csv"), [
             (2, "region", "1814 Lekeberg", "one row per region, kön, ersättning and year", "duplicate row"),
             (3, "region", "1814 Lekeberg", "one row per region, kön, ersättning and year", "duplicate row")]),
]


def add_good_files(project: Project) -> None:
    for rel in GOOD:
        target = project.data / "raw" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BAD / "good" / rel, target)


def case_id(case: Case) -> str:
    return f"{case.rel.rsplit('/', 1)[0]}: {case.id}"


# Built on their own, because what their query shows depends on the other loaded SUS files: a mart's row count,
# and a spell that other files hold too (of the same spell in several files, the newest file's row is kept).
ALONE = {"sus: duplicate rows count once", "sus: Windows-1252 throughout"}
SHARED = [c for c in CASES if case_id(c) not in ALONE]


def place(project: Project, case: Case) -> None:
    path = project.data / "raw" / case.rel
    path.parent.mkdir(parents=True, exist_ok=True)
    case.make(project, path)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Project:
    """The good files and every case's file but ALONE's in one data directory, run once by the pipeline command
    (published, report included). Each file is read, validated and quarantined on its own, so what one file gives
    does not depend on the others beside it; a case's test reads its own file's rows."""
    project = Project(tmp_path_factory.mktemp("corpus"))
    project.settings(2019, 2019)
    add_good_files(project)
    for case in SHARED:
        place(project, case)
    project.command = project.run_command()
    return project


@contextmanager
def built(project: Project) -> Iterator[duckdb.DuckDBPyConnection]:
    """Every step and check (finsam.build.runner), without the report and publishing that Project.build adds. Yields the
    built file."""
    start_build(project.data)
    con = duckdb.connect(str(staging_path(project.data)))
    try:
        build_all(con, project.data, project.config, dt.date.fromisoformat(TODAY))
        yield con
    finally:
        con.close()


@contextmanager
def warehouse_of(case: Case, corpus: Project, project: Project) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """The built warehouse that holds the case's file, and the root of its project."""
    if case_id(case) not in ALONE:
        con = corpus.connect()
        try:
            yield con, corpus.root
        finally:
            con.close()
        return
    project.settings(2019, 2019)
    add_good_files(project)
    place(project, case)
    with built(project) as con:
        yield con, project.root


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_bad_input(case, corpus, project):
    fil = f"raw/{case.rel}"
    with warehouse_of(case, corpus, project) as (con, root):
        def query(sql: str, params: list = ()) -> list[tuple]:
            return con.execute(sql, list(params)).fetchall()

        files = {f: (s, n) for f, s, n in query("select fil, status, rader from marts.inlasta_filer")}
        assert files[fil] == (case.status, case.rader)
        assert {f"raw/{rel}": files.get(f"raw/{rel}") for rel in GOOD} == {
            f"raw/{rel}": ("inlast", n) for rel, n in GOOD.items()}, "every good file still loads"
        expected = [tuple(v.replace("{root}", str(root.resolve())) if isinstance(v, str) else v for v in f)
                    for f in case.fel]
        assert query("select rad, kolumn, hittat, forvantat, beskrivning from marts.datakvalitet "
                     "where fil = ? and allvarlighet = 'fel' order by rad, kolumn", [fil]) == expected
        if case.rader is None:
            (orsak,), = query("select orsak from marts.inlasta_filer where fil = ?", [fil])
            assert orsak.startswith(fil) and case.fel[0][4] in orsak
        if case.query:
            sql, rows = case.query
            in_build_only = case_id(case) not in ALONE and any(t in sql for t in PERSON_TABLES)
            assert (corpus.build_query(sql) if in_build_only else query(sql)) == rows


def test_the_command_publishes_the_good_files_names_each_bad_one_and_exits_2(corpus):
    code, out, err = corpus.command
    rejected = [c for c in SHARED if c.rader is None]
    assert (code, err) == (2, "")
    assert f"files read: {len(GOOD) + len(SHARED)}, rejected: {len(rejected)}\n" in out
    root = str(corpus.root.resolve())
    for case in rejected:  # one line per rejected file, with one of its problems in full
        fil = f"raw/{case.rel}"
        messages = {Finding("fil_avvisad", FEL, beskrivning, fil=fil, rad=rad, kolumn=kolumn, hittat=hittat,
                            forvantat=forvantat).message()
                    for rad, kolumn, hittat, forvantat, beskrivning in (
                        (v.replace("{root}", root) if isinstance(v, str) else v for v in f) for f in case.fel)}
        lines = [line for line in out.splitlines() if line.startswith(f"  REJECTED {fil}: ")]
        assert len(lines) == 1 and lines[0].removeprefix(f"  REJECTED {fil}: ") in messages, (fil, lines)
    assert corpus.query("select fil from marts.inlasta_filer where status = 'inlast' order by fil") == sorted(
        (f"raw/{rel}",) for rel in [*GOOD, *(c.rel for c in SHARED if c.rader is not None)])


# MEMORY BOUND (README, Inputs): parsing one 150 MB file stays below this peak resident memory. Slow test: it
# writes 150 MB and parses them, about 15-25 s on the 2-core development machine.
MEMORY_BOUND_MB = 1500
PARSE = textwrap.dedent("""
    import datetime as dt, json, resource, sys
    from pathlib import Path
    from finsam import config
    from finsam.sources import sus
    registry = config.load_registry(Path(sys.argv[2]))
    frame, findings = sus.parse_file(Path(sys.argv[1]), "raw/sus/stor.csv", registry, {"arbete": "arbete"},
                                     "test-nyckel-" + "x" * 32, dt.date(2026, 6, 30))
    print(json.dumps({"rows": frame.height, "persons": frame["person"].n_unique(),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def test_a_150_mb_file_is_parsed_within_the_memory_bound(tmp_path):
    """A SUS export of 150 MB (1.65 million spells of 412,500 people with personnummer, names with å/ä/ö) is read,
    typed, validated and pseudonymised in a child process, which reports its own peak resident memory
    (RUSAGE_SELF: RUSAGE_CHILDREN would be the largest of every child this test process has had)."""
    n, people = 1_650_000, 412_500
    i = pl.int_range(n)
    person = i % people
    frame = pl.select(
        forbund=pl.when(i % 2 == 0).then(pl.lit("Sydnärke")).otherwise(pl.lit("Samordningsförbundet i Norra Örebro "
                                                                                 "län")),
        insats=pl.lit("Steget ") + (i % 37).cast(pl.String),
        person=(pl.date(1950, 1, 1) + pl.duration(days=person % 18_000)).dt.strftime("%Y%m%d") + "-"
        + (person // 18_000).cast(pl.String).str.zfill(4),
        anonym=pl.lit("Nej"), kon=pl.when(i % 2 == 0).then(pl.lit("K")).otherwise(pl.lit("M")),
        fodelsear=(1950 + person % 49).cast(pl.String),
        start=(pl.date(2019, 1, 1) + pl.duration(days=i // people * 200)).cast(pl.String),
        slut=(pl.date(2019, 3, 1) + pl.duration(days=i // people * 200)).cast(pl.String),
        avslutsorsak=pl.lit("Arbete"))
    path = tmp_path / "stor.csv"
    with open(path, "wb") as fh:
        fh.write("Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Födelseår;Inskrivningsdatum;Utskrivningsdatum;"
                 "Avslutsorsak\n".encode())
        frame.write_csv(fh, separator=";", include_header=False)
    del frame
    assert 145e6 < path.stat().st_size < 155e6
    child = subprocess.run([sys.executable, "-c", PARSE, str(path), str(PROJECT_ROOT / "config")],
                           capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout)
    assert (result["rows"], result["persons"]) == (n, people)
    print(f"150 MB file: peak {result['peak_mb']:.0f} MB")
    assert result["peak_mb"] < MEMORY_BOUND_MB, result


TOKENS = [b";", b",", b"\t", b'"', b"\n", b"\r", b"#REF!", "ä".encode(), b"\xe4", b"\x81", b"\xc2", b"\x00",
          b"\xef\xbb\xbf", b"\xff\xfe", b"1e309", b"..", b"Summa", b"99999999999999999999", b"2019-02-30", b"NaN",
          b"=SUM(A1)", b"100+ \xc3\xa5r", b"-1", "\u00a0".encode(), b"19121212 1212"]


def mutated(data: bytes, rnd) -> bytes:
    """`data` with one to four random edits: cut, a byte changed, a token put in, a stretch taken out, a line
    repeated or two lines swapped."""
    data = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        op, at = rnd.randrange(6), rnd.randrange(len(data) + 1)
        if op == 0:
            data = data[:at]
        elif op == 1 and at < len(data):
            data[at] = rnd.randrange(256)
        elif op == 2:
            data[at:at] = rnd.choice(TOKENS)
        elif op == 3:
            del data[at:at + rnd.randint(1, 20)]
        elif op in (4, 5):
            lines = bytes(data).split(b"\n")
            a, b = rnd.randrange(len(lines)), rnd.randrange(len(lines))
            if op == 4:
                lines.insert(a, lines[b])
            else:
                lines[a], lines[b] = lines[b], lines[a]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def mutated_workbook(data: bytes, rnd) -> bytes:
    """A workbook with its bytes edited, or one part of it left out, emptied, cut or edited."""
    if rnd.random() < 0.3:
        return mutated(data, rnd)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    victim = rnd.choice(sorted(parts))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in parts.items():
            if name != victim:
                z.writestr(name, part)
            elif (kind := rnd.randrange(3)) > 0:
                z.writestr(name, mutated(part, rnd) if kind == 1 else part[:len(part) // 2])
    return out.getvalue()


def test_a_broken_file_raises_nothing_but_file_rejected(tmp_path, monkeypatch):
    """Every source's parser, on its good file broken at random (seeded, 24 times as csv and 8 as xlsx per source):
    it loads or raises FileRejected. Anything else would be a bug that stops the run (finsam.ingest.folder)."""
    monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", "k" * 32)
    bygge = BuildContext(None, tmp_path, PROJECT_ROOT / "config", dt.date.fromisoformat(TODAY))
    rnd = random.Random(11)
    outcomes = []
    for kalla in SOURCES:
        parse = kalla.reader(bygge)[0]
        rel = next(r for r in GOOD if r.rsplit("/", 1)[0] == kalla.folder)
        good = (BAD / "good" / rel).read_bytes()
        lines = [line.split(";" if b";" in good.split(b"\n")[0] else ",") for line in good.decode().splitlines()]
        book = workbook([[c.strip('"') for c in line] for line in lines])
        for i in range(32):
            path = tmp_path / (f"{i}.xlsx" if i % 4 == 0 else f"{i}.csv")
            path.write_bytes(mutated_workbook(book, rnd) if i % 4 == 0 else mutated(good, rnd))
            try:
                _, findings = parse(path, f"raw/{kalla.folder}/{path.name}")
                outcomes.append("inlast")
            except FileRejected as e:
                assert e.findings and all(f.fil == f"raw/{kalla.folder}/{path.name}" for f in e.findings)
                findings = e.findings
                outcomes.append("avvisad")
            assert {f.regel for f in findings} <= set(kalla.findings), "a finding code the source does not declare"
    assert len(outcomes) == len(SOURCES) * 32 and {"inlast", "avvisad"} <= set(outcomes)


def test_a_file_name_that_is_not_utf8_is_rejected_by_name_and_the_rest_loads(project):
    """A Windows-1252 name (from a share or a zip): Python holds its byte 0xE4 as a lone surrogate, which no text
    can carry. The file is rejected, named with the byte as \\xe4; every good file still loads (it stopped the run)."""
    project.settings(2019, 2019)
    add_good_files(project)
    odd = project.data / "raw" / "sus" / os.fsdecode(b"Sydn\xe4rke_2019.csv")
    odd.write_text(SUS + SUS_ROW, encoding="utf-8")
    with built(project) as con:
        files = dict(con.execute("select fil, status from marts.inlasta_filer").fetchall())
        (beskrivning,), = con.execute("select beskrivning from marts.datakvalitet where fil = ?",
                                      ["raw/sus/Sydn\\xe4rke_2019.csv"]).fetchall()
    assert files.pop("raw/sus/Sydn\\xe4rke_2019.csv") == "avvisad"
    assert files == {f"raw/{rel}": "inlast" for rel in GOOD}
    assert beskrivning.startswith("the file name is not UTF-8 text")


def test_a_file_name_with_control_characters_is_rejected_by_name_and_the_rest_loads(project):
    """An ESC sequence in a file name went raw into the run's summary (colouring the operator's terminal), the
    findings and the report's footer: the file is rejected, named with each control character as \\xNN."""
    project.settings(2019, 2019)
    add_good_files(project)
    (project.data / "raw" / "sus" / "x\x1b[31mRED\x1b[0m\t2019.csv").write_text(SUS + SUS_ROW, encoding="utf-8")
    namn = "raw/sus/x\\x1b[31mRED\\x1b[0m\\x092019.csv"
    with built(project) as con:
        files = dict(con.execute("select fil, status from marts.inlasta_filer").fetchall())
        (beskrivning, hittat), = con.execute("select beskrivning, hittat from marts.datakvalitet where fil = ?",
                                             [namn]).fetchall()
        texts = con.execute("select string_agg(fil, '') from marts.datakvalitet").fetchall()[0][0]
    assert files.pop(namn) == "avvisad" and files == {f"raw/{rel}": "inlast" for rel in GOOD}
    assert "holds a control character" in beskrivning and "\x1b" not in texts
    # the expectation is in the text: as a finding's forvantat it printed "found a blank cell" (a name is no cell)
    assert hittat is None and "typed again (a name in UTF-8 without control characters" in beskrivning


def test_a_folder_path_longer_than_path_max_is_rejected_and_the_rest_loads(project):
    """120 nested folders of 40 characters (4.9 KB, past Linux's PATH_MAX of 4 096): the folder the system will not
    look into is rejected by name; it stopped the run with OSError 'File name too long'."""
    project.settings(2019, 2019)
    add_good_files(project)
    fd = os.open(project.data / "raw" / "budget", os.O_RDONLY)
    for i in range(120):   # made a level at a time: no path this long can be given to mkdir
        os.mkdir(f"d{i:03d}" + "x" * 36, dir_fd=fd)
        fd, old = os.open(f"d{i:03d}" + "x" * 36, os.O_RDONLY, dir_fd=fd), fd
        os.close(old)
    os.close(fd)
    with built(project) as con:
        files = dict(con.execute("select fil, status from marts.inlasta_filer").fetchall())
    odd = [f for f in files if f.startswith("raw/budget/d000")]
    assert len(odd) == 1 and files.pop(odd[0]) == "avvisad" and len(odd[0]) > 3900   # the deepest it could list
    assert files == {f"raw/{rel}": "inlast" for rel in GOOD}


def test_a_hidden_sheet_is_never_read(project):
    """A workbook whose first sheet is hidden (old figures no reader sees) and whose visible sheet holds the data:
    the visible sheet is read (the hidden one was, doubling a förbund's counts in a hostile-input hunt)."""
    project.settings(2019, 2019)
    add_good_files(project)
    wb = openpyxl.Workbook()
    gammal = wb.active
    gammal.title, gammal.sheet_state = "gammal", "hidden"
    for row in (SUS + SUS_ROW + SUS_ROW.replace("X1", "X9")).splitlines():
        gammal.append(row.split(";"))
    data = wb.create_sheet("Data")
    for row in (SUS + SUS_ROW).splitlines():
        data.append(row.split(";"))
    wb.active = 1
    wb.save(project.data / "raw" / "sus" / "dold_flik.xlsx")
    with built(project) as con:
        assert con.execute("select status, rader from marts.inlasta_filer where fil = 'raw/sus/dold_flik.xlsx'"
                           ).fetchall() == [("inlast", 1)]


def test_merged_cells_in_the_data_reject_the_workbook_and_a_merged_title_does_not(project):
    """Merged cells read as blanks below their first (a blank insats is the förbund total in sus_aggregat): a
    merge reaching the data rejects the file, naming the range; a title merged above the header is no fault."""
    project.settings(2019, 2019)
    add_good_files(project)

    def sus_workbook(name: str, merge: str) -> None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Deltagare i SUS"])
        for row in (SUS + SUS_ROW + SUS_ROW.replace("X1", "X2")).splitlines():
            ws.append(row.split(";"))
        ws.merge_cells("A1:C1")   # a title
        if merge:
            ws.merge_cells(merge)
        wb.save(project.data / "raw" / "sus" / name)
    sus_workbook("titel.xlsx", "")
    sus_workbook("sammanfogad.xlsx", "B3:B4")
    with built(project) as con:
        files = {f: (s, n) for f, s, n in con.execute("select fil, status, rader from marts.inlasta_filer").fetchall()}
        fel = con.execute("select rad, kolumn, hittat, beskrivning from marts.datakvalitet "
                          "where fil = 'raw/sus/sammanfogad.xlsx' and allvarlighet = 'fel'").fetchall()
    assert files["raw/sus/titel.xlsx"] == ("inlast", 2)
    assert files["raw/sus/sammanfogad.xlsx"] == ("avvisad", None)
    assert fel == [(4, "Insats", "B3:B4", xlsx_merged_text())]


def xlsx_merged_text() -> str:
    from finsam.io.xlsx import MERGED
    return MERGED[0]
