"""Reported avslut (raw/avslut_rapporterade/): mapped by config/avslutsorsak.csv as SUS text is, added up within a
file, the newest file winning per key across files.

Rejections are tested on single files; the rest is read from one build of FILES, where each test's files hold a
förbund no other test's files hold."""
import datetime as dt

import pytest

from finsam.config import PROJECT_ROOT, load_avslutsorsak_stod, load_registry
from finsam.io.findings import FileRejected
from finsam.sources import avslut_rapporterade
from tests.conftest import Delad

FILES = Delad()
HEADER = "Förbund;År;Insats;Avslutsorsak;Kön;Antal;Källa\n"
MAPPED = FILES.fil("avslut_rapporterade/sydnarke.csv", HEADER
                   + "Sydnärke;2024;Steget;Arbete med stöd;Kvinna;2;enkät\n"
                     "Sydnärke;2024;steget ;arbete  med stöd;K;3;handläggare\n"
                     "Sydnärke;2024;Steget;Studier;M;1;\n"
                     "Sydnärke;2024;Steget;Månlandning;;4;\n"
                     "Sydnärke;2024;Steget;Annat;Annat;1;\n"
                     "Sydnärke;2025;Steget;Månlandning;Man;2;\n")
NO_KON = FILES.fil("avslut_rapporterade/sofint.csv", "Samordningsförbund;Budgetår;Insatsnamn;Avslutsanledning;Antal\n"
                                                     "SOFINT;2024;Navet;Arbete;3\n"
                                                     "SOFINT;2024;Navet;Arbete;2\n")
OLD, NEW = 1_700_000_000, 1_700_100_000
OLD_FIL = FILES.fil("avslut_rapporterade/norrbotten_gammal.csv", HEADER
                    + "Södra Norrbotten;2024;Porten;Studier;K;4;\n"
                      "Södra Norrbotten;2024;Porten;Arbete;K;1;\n", mtime=OLD)
NEW_FIL = FILES.fil("avslut_rapporterade/norrbotten_ny.csv", HEADER
                    + "Södra Norrbotten;2024;porten;studier;Kvinna;6;\n", mtime=NEW)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return FILES.bygg(tmp_path_factory, "avslut_rapporterade", (2023, 2025))


ROWS = ("select fil, rad, ar, insats, insats_nyckel, avslutsorsak, kategori, stod, kon, antal, kalla_text "
        "from staging.avslut_rapporterade_rader where forbund = ? order by ar, avslutsorsak, kon")


def test_the_staging_table_has_the_agreed_columns(built):
    assert built.query("select column_name, data_type from information_schema.columns where table_schema = "
                       "'staging' and table_name = 'avslut_rapporterade_rader' order by ordinal_position") == [
        ("fil", "VARCHAR"), ("rad", "BIGINT"), ("forbund", "VARCHAR"), ("ar", "INTEGER"), ("insats", "VARCHAR"),
        ("insats_nyckel", "VARCHAR"), ("avslutsorsak", "VARCHAR"), ("kategori", "VARCHAR"), ("stod", "VARCHAR"),
        ("kon", "VARCHAR"), ("antal", "BIGINT"), ("kalla_text", "VARCHAR"), ("andrad", "TIMESTAMP")]


def test_mapped_unmapped_and_added_up(built):
    """Rows 2 and 3 are the same insats, avslutsorsak and kön (compared as the mapping compares text): 2 + 3 = 5,
    the first row's texts and both sources kept. Annat and a blank Kön are okant; Månlandning is okand."""
    assert built.query(ROWS, ["sydnarke"]) == [
        (MAPPED, 6, 2024, "Steget", "steget", "Annat", "ovrigt", None, "okant", 1, None),
        (MAPPED, 2, 2024, "Steget", "steget", "Arbete med stöd", "arbete", "med_stod", "kvinna", 5,
         "enkät; handläggare"),
        (MAPPED, 5, 2024, "Steget", "steget", "Månlandning", "okand", None, "okant", 4, None),
        (MAPPED, 4, 2024, "Steget", "steget", "Studier", "studier", None, "man", 1, None),
        (MAPPED, 7, 2025, "Steget", "steget", "Månlandning", "okand", None, "man", 2, None)]
    assert built.query("select regel, allvarlighet, forbund, ar, fil, rad, kolumn, hittat, forvantat, varde, "
                       "beskrivning from marts.datakvalitet where fil = ?", [MAPPED]) == [
        ("okand_avslutsorsak", "varning", "sydnarke", 2024, MAPPED, 5, "Avslutsorsak", "Månlandning",
         "a text listed in config/avslutsorsak.csv", 6.0,
         "avslutsorsak not in avslutsorsak.csv; 6 avslut counted as 'okand' (first at row 5, first year 2024)")]


def test_without_a_kon_column_kon_is_null(built):
    assert built.query(ROWS, ["sofint"]) == [(NO_KON, 2, 2024, "Navet", "navet", "Arbete", "arbete", None, None, 5,
                                              None)]


def test_across_files_the_newest_file_wins_per_key(built):
    """Studier/kvinna is in both files: the newer one's 6, with a finding on the older one's 4; Arbete/kvinna is
    only in the older file and stays."""
    assert built.query(ROWS, ["sodra_norrbotten"]) == [
        (OLD_FIL, 3, 2024, "Porten", "porten", "Arbete", "arbete", None, "kvinna", 1, None),
        (NEW_FIL, 2, 2024, "porten", "porten", "studier", "studier", None, "kvinna", 6, None)]
    assert built.query("select regel, forbund, ar, insats, fil, rad, hittat, forvantat from marts.datakvalitet "
                       "where kalla = 'avslut_rapporterade' and forbund = 'sodra_norrbotten'") == [
        ("dubblett_konflikt", "sodra_norrbotten", 2024, "Porten", OLD_FIL, 2, "antal=4", "antal=6")]


BAD = {
    "negative count": ("Sydnärke;2024;Steget;Arbete;K;-1;\n", [
        (2, "Antal", "-1", "a whole number of 0 or more", "negative count")]),
    "fractional count": ("Sydnärke;2024;Steget;Arbete;K;1.5;\n", [
        (2, "Antal", "1.5", "a whole number", "unreadable integer")]),
    "blank count": ("Sydnärke;2024;Steget;Arbete;K;;\n", [(2, "Antal", None, "a number of avslut", "Antal is blank")]),
    "blank avslutsorsak": ("Sydnärke;2024;Steget;;K;1;\n", [
        (2, "Avslutsorsak", None, "an avslutsorsak text", "avslutsorsak is blank")]),
    "unknown kön": ("Sydnärke;2024;Steget;Arbete;X;1;\n", [
        (2, "Kön", "X", "Kvinna, Man, K, M, Annat or blank", "not a valid Kön value")]),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_row_rejects_the_file_naming_row_and_column(tmp_path, case):
    body, expected = BAD[case]
    path = tmp_path / "a.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(FileRejected) as e:
        avslut_rapporterade.parse_file(path, "raw/avslut_rapporterade/a.csv", load_registry(PROJECT_ROOT / "config"),
                                       load_avslutsorsak_stod(PROJECT_ROOT / "config"), dt.date(2026, 6, 30))
    assert {(f.regel, f.fil) for f in e.value.findings} == {("fil_avvisad", "raw/avslut_rapporterade/a.csv")}
    assert [(f.rad, f.kolumn, f.hittat, f.forvantat, f.beskrivning) for f in e.value.findings] == expected
