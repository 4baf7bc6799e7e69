"""Survey and progression indicators (raw/indikatorer/ -> marts.indikatorer_ar).

Parsing and rejection on single files (parse_file); the mart (skillnad_riket, täckningsgrad per kind of survey,
against the förbund's or insats' deltagare) and its findings on one small hand-made build, every value by hand."""
import pytest

from finsam.sources import indikatorer as source
from tests.conftest import built_once
from tests.test_uppfoljning_efter_avslut import AVSLUT, SUS, UPPFOLJNING, assert_rejected, parsed

COLUMNS = ["rad", "forbund", "insats", "insats_nyckel", "ar", "enkat", "indikator", "fraga", "antal_svar", "varde",
           "skala", "riket", "deltagarenkat"]
HEADER = "Förbund;Insats;År;Enkät;Indikator;Fråga;Antal svar;Värde;Skala;Riket\n"


def parse(tmp_path, content: str):
    return parsed(source, tmp_path, content, "i.csv", COLUMNS)


def test_survey_words_scales_and_blank_optional_cells(tmp_path):
    """The contract's survey words in any case and spacing, another word kept as its code; andel and medel (also
    Medelvärde); a blank Fråga or Riket is NULL; Insats blank is the förbund ('*')."""
    assert parse(tmp_path, HEADER + "Sydnärke;;2024;Deltagare avslut;D1;Bra bemötande;40;0,85;Andel;0,8\n"
                                    "Sydnärke;Steget;2024;BIP;B1;;12;1,5;Medelvärde;\n"
                                    "SOFINT;;2024;deltagare-pågående;D2;;20;0,5;andel;\n"
                                    "SOFINT;;2024;Styrelse;S1;;7;3,2;medel;3,5\n"
                                    "SOFINT;;2024;Egen enkät Öst;E1;;7;0;andel;\n") == [
        (2, "sydnarke", "*", "*", 2024, "deltagare_avslut", "D1", "Bra bemötande", 40, 0.85, "andel", 0.8, True),
        (3, "sydnarke", "Steget", "steget", 2024, "bip", "B1", None, 12, 1.5, "medel", None, True),
        (4, "sofint", "*", "*", 2024, "deltagare_pagaende", "D2", None, 20, 0.5, "andel", None, True),
        (5, "sofint", "*", "*", 2024, "styrelse", "S1", None, 7, 3.2, "medel", 3.5, False),
        (6, "sofint", "*", "*", 2024, "egen_enkat_ost", "E1", None, 7, 0.0, "andel", None, False)]


SHARE = "on Skala andel a share from 0 to 1 (85 % is 0,85)"
BAD = {  # one file each: (rad, kolumn, hittat, forvantat, beskrivning) of every finding
    "a share above 1": ("Sydnärke;;2024;deltagare_avslut;D1;;40;85;andel;\n", [
        (2, "Värde", "85", SHARE, "a share outside 0–1")]),
    "a negative share": ("Sydnärke;;2024;deltagare_avslut;D1;;40;-0,1;andel;\n", [
        (2, "Värde", "-0,1", SHARE, "a share outside 0–1")]),
    "the national share above 1": ("Sydnärke;;2024;deltagare_avslut;D1;;40;0,8;andel;80\n", [
        (2, "Riket", "80", SHARE, "a share outside 0–1")]),
    "an unknown scale": ("Sydnärke;;2024;bip;B1;;40;2;procent;\n", [
        (2, "Skala", "procent", source.SKALA_TEXT, "not a valid Skala")]),
    "a blank scale": ("Sydnärke;;2024;bip;B1;;40;2;;\n", [
        (2, "Skala", None, source.SKALA_TEXT, "Skala is blank")]),
    "a blank survey": ("Sydnärke;;2024;;B1;;40;2;medel;\n", [
        (2, "Enkät", None, f"{', '.join(source.ENKATER)} or another word", "Enkät is blank (no word)")]),
    "a blank indicator": ("Sydnärke;;2024;bip;;;40;2;medel;\n", [
        (2, "Indikator", None, "the indicator's code", "Indikator is blank")]),
    "a blank number of answers": ("Sydnärke;;2024;bip;B1;;;2;medel;\n", [
        (2, "Antal svar", None, "the number of answers the value rests on", "Antal svar is blank")]),
    "a negative number of answers": ("Sydnärke;;2024;bip;B1;;-3;2;medel;\n", [
        (2, "Antal svar", "-3", "a whole number of 0 or more", "negative count")]),
    "a blank value": ("Sydnärke;;2024;bip;B1;;3;;medel;\n", [
        (2, "Värde", None, "a number", "Värde is blank")]),
    "text in the value": ("Sydnärke;;2024;bip;B1;;3;85 %;andel;\n", [
        (2, "Värde", "85 %", "a number (decimal comma or point)", "unreadable number")]),
    "the same indicator twice": ("Sydnärke;;2024;bip;B1;;3;1;medel;\nSydnärke;;2024;BIP;b1;;4;1;medel;\n", [
        (2, "Indikator", "B1", "one row per förbund, insats, year, Enkät and Indikator", "duplicate row"),
        (3, "Indikator", "b1", "one row per förbund, insats, year, Enkät and Indikator", "duplicate row")]),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_row_rejects_the_file_naming_row_and_column(tmp_path, case):
    body, expected = BAD[case]
    assert_rejected(source, tmp_path, HEADER + body, expected)


# The deltagare behind täckningsgrad (the same hand-made years as test_uppfoljning_efter_avslut): SOFINT 2024 from
# Uppföljning Finsam, jamforelse_ar.deltagare 30 (Kompassen 20 + Bron 10); Sydnärke 2022 from registrations, Steget
# (and the förbund) 4 deltagare.
INDIKATORER = HEADER + (
    "SOFINT;;2024;Deltagare avslut;D1;Bra bemötande;9;0,85;andel;0,7\n"   # 9 of 30: exactly 30 %
    "SOFINT;;2024;Deltagare avslut;D2;;8;0,5;andel;0,6\n"                 # 8 of 30: below 30 %
    "SOFINT;;2024;Personal;P1;;3;4,1;medel;3,9\n"                         # staff: no täckningsgrad
    "SOFINT;kompassen;2024;BIP;B1;;15;1,5;medel;\n"                       # 15 of Kompassen's 20
    "SOFINT;Bron;2024;Deltagare pågående;D3;;12;0,9;andel;\n"             # 12 answers, 10 deltagare
    "Sydnärke;STEGET;2022;BIP;B1;;2;0,4;medel;0,5\n"                      # 2 of Steget's 4 (registrations)
    "Sydnärke;;2022;Egen enkät;E1;;1;1;andel;\n"                          # another word: no täckningsgrad
    "Degerfors/Karlskoga;;2024;Deltagare avslut;D1;;5;0,6;andel;0,7\n")   # deltagare unknown: NULL
MART = ["forbund", "insats", "ar", "enkat", "indikator", "fraga", "antal_svar", "varde", "skala", "riket",
        "skillnad_riket", "tackningsgrad"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "indikatorer", (2022, 2024),
                      {"sus/a.csv": SUS, "uppfoljning/u.csv": UPPFOLJNING, "avslut_rapporterade/a.csv": AVSLUT,
                       "indikatorer/i.csv": INDIKATORER})


def test_the_mart_by_hand(built):
    assert built.query(f"select {', '.join(MART)} from marts.indikatorer_ar") == [
        ("degerfors_karlskoga", "*", 2024, "deltagare_avslut", "D1", None, 5, 0.6, "andel", 0.7,
         pytest.approx(-0.1), None),
        ("sofint", "*", 2024, "deltagare_avslut", "D1", "Bra bemötande", 9, 0.85, "andel", 0.7,
         pytest.approx(0.15), 0.3),
        ("sofint", "*", 2024, "deltagare_avslut", "D2", None, 8, 0.5, "andel", 0.6, pytest.approx(-0.1), 8 / 30),
        ("sofint", "*", 2024, "personal", "P1", None, 3, 4.1, "medel", 3.9, pytest.approx(0.2), None),
        ("sofint", "Bron", 2024, "deltagare_pagaende", "D3", None, 12, 0.9, "andel", None, None, None),
        ("sofint", "kompassen", 2024, "bip", "B1", None, 15, 1.5, "medel", None, None, 0.75),
        ("sydnarke", "*", 2022, "egen_enkat", "E1", None, 1, 1.0, "andel", None, None, None),
        ("sydnarke", "STEGET", 2022, "bip", "B1", None, 2, 0.4, "medel", 0.5, pytest.approx(-0.1), 0.5)]


def test_low_coverage_and_more_answers_than_deltagare_are_findings(built):
    """lag_tackningsgrad below 30 % (8 of 30), not at it (9 of 30), not for staff (3 answers, no täckningsgrad);
    tackningsgrad_over_1 for 12 answers from Bron's 10 deltagare."""
    fil = "raw/indikatorer/i.csv"
    assert built.query("select regel, allvarlighet, kalla, forbund, ar, insats, fil, rad, kolumn, hittat, forvantat, "
                       "varde from marts.datakvalitet where kalla = 'indikatorer' order by all") == [
        ("lag_tackningsgrad", "varning", "indikatorer", "sofint", 2024, "*", fil, 3, "Antal svar", "26.7 %",
         "at least 30 % of the deltagare", 8 / 30),
        ("tackningsgrad_over_1", "varning", "indikatorer", "sofint", 2024, "Bron", fil, 6, "Antal svar", "12",
         "at most 10 (the deltagare of the year)", 1.2)]


def test_the_threshold_is_a_setting(project):
    """tackningsgrad_varning 0.5: 2 of Steget's 4 (exactly 50 %) is no finding, 1 of 4 is."""
    project.settings(2022, 2022)
    with (project.config / "installningar.yaml").open("a", encoding="utf-8") as fh:
        fh.write("tackningsgrad_varning: 0.5\n")
    project.raw("sus/a.csv", SUS)
    project.raw("indikatorer/i.csv", HEADER + "Sydnärke;Steget;2022;bip;B1;;2;1;medel;\n"
                                              "Sydnärke;;2022;deltagare_avslut;D1;;1;1;andel;\n")
    project.build()
    assert project.query("select regel, insats, varde from marts.datakvalitet where regel = 'lag_tackningsgrad'") == [
        ("lag_tackningsgrad", "*", 0.25)]
