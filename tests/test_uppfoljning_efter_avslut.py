"""Follow-up after avslut (raw/uppfoljning_efter_avslut/ -> marts.uppfoljning_efter_avslut_ar).

Parsing and rejection are tested on single files (parse_file, no build); the mart, its avslutade taken from
deltagare_ar where the file gives none, and the findings on one small hand-made build (BUILT), every value computed
by hand below."""
import datetime as dt
import io
import math

import openpyxl
import pytest

from finsam.config import PROJECT_ROOT, load_registry
from finsam.io.findings import FileRejected
from finsam.sources import uppfoljning_efter_avslut as source
from tests.conftest import built_once

TODAY = dt.date(2026, 6, 30)
REGISTRY = load_registry(PROJECT_ROOT / "config")
COLUMNS = ["rad", "forbund", "insats", "insats_nyckel", "avslutsar", "manader", "avslutade", "tillfragade", "svarande",
           *source.OUTCOMES]
HEADER = ("Förbund;Insats;Avslutsår;Månader efter avslut;Avslutade;Tillfrågade;Svarande;Arbete;Studier;"
          "Arbetssökande;Fortsatt rehabilitering;Sjukskrivning eller aktivitetsersättning;Försörjningsstöd;Annat\n")


def parsed(module, tmp_path, content: str | bytes, name: str, columns: list[str]) -> list[tuple]:
    """A source module's rows (`columns`) of one file raw/<its folder>/<name>, read with no finding."""
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    frame, findings = module.parse_file(path, f"raw/{module.SOURCE.folder}/{name}", REGISTRY, TODAY)
    assert findings == []
    return [tuple(r) for r in frame.select(columns).iter_rows()]


def assert_rejected(module, tmp_path, content: str, expected: list[tuple]) -> None:
    """The file is rejected with exactly these findings: (rad, kolumn, hittat, forvantat, beskrivning) each."""
    with pytest.raises(FileRejected) as e:
        parsed(module, tmp_path, content, "bad.csv", [])
    assert [(f.regel, f.allvarlighet, f.fil) for f in e.value.findings] == [
        ("fil_avvisad", "fel", f"raw/{module.SOURCE.folder}/bad.csv")] * len(expected)
    assert [(f.rad, f.kolumn, f.hittat, f.forvantat, f.beskrivning) for f in e.value.findings] == expected


def parse(tmp_path, content: str | bytes, name: str = "u.csv"):
    return parsed(source, tmp_path, content, name, COLUMNS)


def test_the_contract_columns_blank_optional_cells_and_the_forbund_row(tmp_path):
    """Insats blank or '*' is the förbund ('*'); a blank Avslutade or outcome is NULL, never 0."""
    assert parse(tmp_path, HEADER + "Sydnärke;;2024;6;40;30;20;5;3;4;2;2;2;2\n"
                                    "Sydnärke; Steget ;2024;12;;10;4;1;;;3;;;\n"
                                    "SOFINT;*;2023;6;;0;0;;;;;;;\n") == [
        (2, "sydnarke", "*", "*", 2024, 6, 40, 30, 20, 5, 3, 4, 2, 2, 2, 2),
        (3, "sydnarke", "Steget", "steget", 2024, 12, None, 10, 4, 1, None, None, 3, None, None, None),
        (4, "sofint", "*", "*", 2023, 6, None, 0, 0, None, None, None, None, None, None, None)]


def test_aliases_a_title_row_and_a_workbook_without_the_optional_columns(tmp_path):
    """Header aliases, title rows above the header, numbers as number cells; without an Insats column every row is
    the förbund's, and an outcome column left out is NULL."""
    wb = openpyxl.Workbook()
    for row in (["Uppföljning sex månader efter avslut"], [],
                ["Samordningsförbund", "År för avslut", "Månader", "Antal tillfrågade", "Antal svarande", "I arbete",
                 "I studier", "Övrigt"],
                ["SOFINT", 2025, 6, 12, 9, 4, 2, 3]):
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    assert parse(tmp_path, out.getvalue(), "u.xlsx") == [
        (4, "sofint", "*", "*", 2025, 6, None, 12, 9, 4, 2, None, None, None, None, 3)]


BAD = {  # one file each: (rad, kolumn, hittat, forvantat, beskrivning) of every finding
    "svarande above tillfrågade": ("Sydnärke;;2024;6;;10;11;11;;;;;;\n", [
        (2, "Svarande", "11", "Svarande at most Tillfrågade", "more svarande than tillfrågade")]),
    "tillfrågade above avslutade": ("Sydnärke;;2024;6;9;10;5;5;;;;;;\n", [
        (2, "Tillfrågade", "10", "Tillfrågade at most Avslutade", "more tillfrågade than avslutade")]),
    "outcomes below svarande": ("Sydnärke;;2024;6;;10;5;1;1;;;;;2\n", [
        (2, "Svarande", "5", f"Svarande equal to the sum of {source.OUTCOME_TEXT} (blank = 0)",
         "the outcome counts do not add up to Svarande")]),
    "outcomes above svarande": ("Sydnärke;;2024;6;;10;5;1;1;1;1;1;1;1\n", [
        (2, "Svarande", "5", f"Svarande equal to the sum of {source.OUTCOME_TEXT} (blank = 0)",
         "the outcome counts do not add up to Svarande")]),
    "a negative count": ("Sydnärke;;2024;6;;10;5;-1;6;;;;;\n", [
        (2, "Arbete", "-1", "a whole number of 0 or more", "negative count")]),
    "a fractional count": ("Sydnärke;;2024;6;12,5;10;5;5;;;;;;\n", [
        (2, "Avslutade", "12,5", "a whole number", "unreadable integer")]),
    "text in a count": ("Sydnärke;;2024;6;;tio;5;5;;;;;;\n", [
        (2, "Tillfrågade", "tio", "a whole number", "unreadable integer")]),
    "blank tillfrågade and svarande": ("Sydnärke;;2024;6;;;;;;;;;;\n", [
        (2, "Svarande", None, "a whole number of 0 or more", "Svarande is blank"),
        (2, "Tillfrågade", None, "a whole number of 0 or more", "Tillfrågade is blank")]),
    "zero months": ("Sydnärke;;2024;0;;1;1;1;;;;;;\n", [
        (2, "Månader efter avslut", "0", "a whole number of months, 1 or more", "months below 1")]),
    "fractional months": ("Sydnärke;;2024;6,5;;1;1;1;;;;;;\n", [
        (2, "Månader efter avslut", "6,5", "a whole number", "unreadable integer")]),
    "blank months": ("Sydnärke;;2024;;;1;1;1;;;;;;\n", [
        (2, "Månader efter avslut", None, "a whole number of months, 1 or more", "Månader efter avslut is blank")]),
    "a year in the future": ("Sydnärke;;2027;6;;1;1;1;;;;;;\n", [
        (2, "Avslutsår", "2027", "a year from 2000 to 2026", "year out of range")]),
    "an unknown förbund": ("Nowhere;;2024;6;;1;1;1;;;;;;\n", [
        (2, "Förbund", "Nowhere", "a förbund listed in forbund.yaml (kod, namn or sus_namn)", "unknown förbund")]),
    "the same follow-up twice": ("Sydnärke;Steget;2024;6;;1;1;1;;;;;;\nSydnärke;steget;2024;6;;2;1;1;;;;;;\n", [
        (2, "Avslutsår", "2024", "one row per förbund, insats, avslutsår and månader efter avslut", "duplicate row"),
        (3, "Avslutsår", "2024", "one row per förbund, insats, avslutsår and månader efter avslut", "duplicate row")]),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_row_rejects_the_file_naming_row_and_column(tmp_path, case):
    body, expected = BAD[case]
    assert_rejected(source, tmp_path, HEADER + body, expected)


# -- the mart, on a hand-made build -----------------------------------------------------------------------------
# Sydnärke 2022 from registrations: Steget has 4 deltagare, 3 of them avslutade (P1, P2, P3; P4 still open).
SUS = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
       "Sydnärke;Steget;P1;Nej;K;2022-01-10;2022-05-31;Arbete\n"
       "Sydnärke;Steget;P2;Nej;M;2022-02-01;2022-09-30;Studier\n"
       "Sydnärke;Steget;P3;Nej;K;2022-03-01;2022-11-30;Avbrott\n"
       "Sydnärke;Steget;P4;Nej;M;2022-04-01;;\n")
# SOFINT 2024 from Uppföljning Finsam: Kompassen 20 deltagare with 12 reported avslut, Bron 10 with 3: the förbund
# row's avslutade 15 (deltagare_ar, insats '*').
UPPFOLJNING = ("Förbund;År;Insats;Inriktning;Kvinnor;Män;Totalt\n"
               "SOFINT;2024;Kompassen;Individinriktad;10;10;20\n"
               "SOFINT;2024;Bron;Individinriktad;5;5;10\n")
AVSLUT = ("Förbund;År;Insats;Avslutsorsak;Antal\n"
          "SOFINT;2024;Kompassen;Arbete;6\nSOFINT;2024;Kompassen;Studier;2\nSOFINT;2024;Kompassen;Sjukdom;4\n"
          "SOFINT;2024;Bron;Avbrott;3\n")
FOLLOWUP = HEADER + (
    "SOFINT;kompassen;2024;6;;10;8;3;1;2;;;;2\n"   # avslutade from deltagare_ar's Kompassen (12), matched by its key
    "SOFINT;;2024;6;40;30;15;6;3;2;2;1;1;\n"        # the file's avslutade (40, not deltagare_ar's 15); exactly 50 %
    "SOFINT;;2024;12;;16;7;1;1;1;1;1;1;1\n"         # 16 asked of 15 avslutade in deltagare_ar: avslutade NULL
    "Sydnärke;STEGET;2022;6;;3;0;;;;;;;\n"          # avslutade from the registrations' Steget (3); nobody answered
    "Degerfors/Karlskoga;;2024;6;;5;4;4;;;;;;\n")    # no avslutade anywhere: NULL; every answer in work
MART = ["forbund", "insats", "avslutsar", "manader", "avslutade", "tillfragade", "svarande", "svarsfrekvens",
        "tackningsgrad", "arbete", "studier", "arbetssokande", "fortsatt_rehabilitering", "sjukskrivning_ae",
        "forsorjningsstod", "annat", "andel_arbete_studier", "andel_arbete_studier_lag", "andel_arbete_studier_hog"]


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson 95 % interval computed by hand, to check the mart's against."""
    z, p = 1.959964, k / n
    mid, half = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (mid - half) / (1 + z * z / n), (mid + half) / (1 + z * z / n)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "efter_avslut", (2022, 2024),
                      {"sus/a.csv": SUS, "uppfoljning/u.csv": UPPFOLJNING, "avslut_rapporterade/a.csv": AVSLUT,
                       "uppfoljning_efter_avslut/f.csv": FOLLOWUP})


def test_the_mart_by_hand(built):
    rows = built.query(f"select {', '.join(MART)} from marts.uppfoljning_efter_avslut_ar")
    assert rows == [
        ("degerfors_karlskoga", "*", 2024, 6, None, 5, 4, 0.8, None, 4, None, None, None, None, None, None, 1.0,
         pytest.approx(wilson(4, 4)[0]), 1.0),
        ("sofint", "*", 2024, 6, 40, 30, 15, 0.5, 0.75, 6, 3, 2, 2, 1, 1, None, 9 / 15,
         pytest.approx(wilson(9, 15)[0]), pytest.approx(wilson(9, 15)[1])),
        ("sofint", "*", 2024, 12, None, 16, 7, 7 / 16, None, 1, 1, 1, 1, 1, 1, 1, 2 / 7,
         pytest.approx(wilson(2, 7)[0]), pytest.approx(wilson(2, 7)[1])),
        ("sofint", "kompassen", 2024, 6, 12, 10, 8, 0.8, 10 / 12, 3, 1, 2, None, None, None, 2, 0.5,
         pytest.approx(wilson(4, 8)[0]), pytest.approx(wilson(4, 8)[1])),
        ("sydnarke", "STEGET", 2022, 6, 3, 3, 0, 0.0, 1.0, None, None, None, None, None, None, None, None, None,
         None)]
    # the one definition of the interval, checked against a value computed independently: 4 of 8 is 21.5-78.5 %
    assert wilson(4, 8) == (pytest.approx(0.21521, abs=1e-5), pytest.approx(0.78479, abs=1e-5))


def test_the_deltagare_ar_the_fallback_reads(built):
    """What the fallback reads: deltagare_ar's avslutade of Kompassen and of SOFINT and Steget 2022."""
    assert built.query("select forbund, insats, ar, avslutade from marts.deltagare_ar where (forbund, ar) in "
                       "(('sofint', 2024), ('sydnarke', 2022)) and insats in ('*', 'Kompassen', 'Steget') "
                       "order by all") == [
        ("sofint", "*", 2024, 15), ("sofint", "Kompassen", 2024, 12),
        ("sydnarke", "*", 2022, 3), ("sydnarke", "Steget", 2022, 3)]


def test_low_response_and_more_asked_than_avslutade_are_findings(built):
    """lag_svarsfrekvens below 50 % (7 of 16, 0 of 3), not at it (15 of 30) nor above; tackningsgrad_over_1 where
    the file gives no Avslutade and the warehouse has fewer than were asked."""
    rows = built.query("select regel, allvarlighet, kalla, forbund, ar, insats, fil, rad, kolumn, hittat, forvantat, "
                       "varde from marts.datakvalitet where kalla = 'uppfoljning_efter_avslut' order by all")
    fil = "raw/uppfoljning_efter_avslut/f.csv"
    assert rows == [
        ("lag_svarsfrekvens", "varning", "uppfoljning_efter_avslut", "sofint", 2024, "*", fil, 4, "Svarande",
         "43.8 %", "at least 50 % of Tillfrågade", 7 / 16),
        ("lag_svarsfrekvens", "varning", "uppfoljning_efter_avslut", "sydnarke", 2022, "STEGET", fil, 5, "Svarande",
         "0.0 %", "at least 50 % of Tillfrågade", 0.0),
        ("tackningsgrad_over_1", "varning", "uppfoljning_efter_avslut", "sofint", 2024, "*", fil, 4, "Tillfrågade",
         "16", "at most 15 (avslutade in deltagare_ar)", 16 / 15)]
    texts = dict(built.query("select regel, beskrivning from marts.datakvalitet where forbund = 'sofint' and "
                             "kalla = 'uppfoljning_efter_avslut'"))
    assert texts["lag_svarsfrekvens"].startswith("7 of 16 asked answered the follow-up 12 months after avslut (43.8 %)")
    assert texts["tackningsgrad_over_1"].startswith("the file gives no Avslutade, and the warehouse has 15 avslutade "
                                                    "for * in 2024 (deltagare_ar), fewer than the 16 tillfrågade")


def test_the_threshold_is_a_setting(project):
    """svarsfrekvens_varning 0.8: 4 of 5 (exactly 80 %) is no finding, 3 of 4 (75 %) is."""
    project.settings(2024, 2024)
    with (project.config / "installningar.yaml").open("a", encoding="utf-8") as fh:
        fh.write("svarsfrekvens_varning: 0.8\n")
    project.raw("uppfoljning_efter_avslut/f.csv", HEADER + "SOFINT;;2024;6;;5;4;4;;;;;;\n"
                                                           "Sydnärke;;2024;6;;4;3;;;;;;;3\n")
    project.build()
    assert project.query("select regel, forbund, varde from marts.datakvalitet where regel = 'lag_svarsfrekvens'") == [
        ("lag_svarsfrekvens", "sydnarke", 0.75)]


def test_the_sample_has_follow_up_and_surveys_for_two_forbund_and_nothing_for_the_others(sample):
    """data/raw/README.md: Sydnärke and SOFINT send both files, the other three neither (missing, not 0); no
    finding; the figures the README quotes."""
    assert sample.query("select distinct forbund from marts.uppfoljning_efter_avslut_ar union "
                        "select distinct forbund from marts.indikatorer_ar order by 1") == [("sofint",), ("sydnarke",)]
    assert sample.query("select count(*) from marts.datakvalitet where kalla in ('uppfoljning_efter_avslut', "
                        "'indikatorer')") == [(0,)]
    assert sample.query("select avslutade, tillfragade, svarande, arbete, studier, round(andel_arbete_studier, 3), "
                        "round(andel_arbete_studier_lag, 3), round(andel_arbete_studier_hog, 3) "
                        "from marts.uppfoljning_efter_avslut_ar where forbund = 'sydnarke' and insats = '*' "
                        "and avslutsar = 2023 and manader = 6") == [(70, 63, 46, 11, 4, 0.326, 0.209, 0.47)]
    assert sample.query("select insats, avslutsar, avslutade from marts.uppfoljning_efter_avslut_ar "
                        "where insats <> '*' order by all") == [
        ("Kompassen", 2023, 13), ("Kompassen", 2024, 10), ("Kompassen", 2025, 10), ("Samordningsteam", 2025, 69)]
    assert sample.query("select forbund, insats, ar, enkat, min(antal_svar), round(min(tackningsgrad), 3), "
                        "count(riket) from marts.indikatorer_ar group by all order by all") == [
        ("sofint", "*", 2023, "deltagare_avslut", 38, 0.413, 4),
        ("sofint", "*", 2024, "deltagare_avslut", 35, 0.389, 4),
        ("sofint", "*", 2024, "personal", 14, None, 1),
        ("sofint", "*", 2025, "deltagare_avslut", 37, 0.398, 4),
        ("sydnarke", "*", 2023, "bip", 88, 0.638, 0), ("sydnarke", "*", 2024, "bip", 84, 0.613, 0),
        ("sydnarke", "Samordningsteam", 2025, "bip", 87, 0.6, 0)]
