"""SUS files as they come: encodings, separators, title rows, total rows, aliases, Excel dates, duplicates.

Each file is read, validated and quarantined on its own, so every test's files (EXPORTS, 2019, each under a name
of its own) lie in one data directory that is built once; each test reads the spells and findings of its own files.
The same spell in several files is combined (the newest file's row wins) and the marts count per förbund, so the
tests' files hold persons no other file holds, and the two tests that read a förbund's counts each have a förbund
no other file has (the two versions of one export Lekeberg och Örebro, the re-exported anonymous rows Södra
Norrbotten).
"""
import datetime as dt
import io
import unicodedata

import openpyxl
import pytest

from tests.conftest import Delad

HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak"
EXPORTS = Delad()  # every file of the shared build


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """EXPORTS, 2019, built once."""
    return EXPORTS.bygg(tmp_path_factory, "sus_ingest", (2019, 2019))


def spells(project, *filer: str):
    """The spells that come from `filer` (a test's own, in the shared build)."""
    return project.build_query("select forbund, insats, person, start, slut, kategori, fil "
                               "from staging.sus_registreringar "
                               f"where fil in ({', '.join('?' * len(filer))}) order by person, start", list(filer))


CP1252 = EXPORTS.fil("sus/export.csv", (
    "SUS-uttag deltagare\nUttaget 2020-01-10\n\n"
    "SAMORDNINGSFÖRBUND ; insatsnamn;Deltagare;Anonym;Kön;Startdatum;Slutdatum;Avslutsorsak\n"
    "Sydnärke;Steget;A1;Nej;K;2019-02-01;2019-06-30;Arbete\n"
    "Sydnärke;Steget;A2;;;2019-03-01;;\n"
    "Totalt;;;;;;;\n").encode("cp1252"))


def test_cp1252_semicolon_with_title_rows_aliases_and_total_row(exports):
    assert spells(exports, CP1252) == [
        ("sydnarke", "Steget", "A1", dt.date(2019, 2, 1), dt.date(2019, 6, 30), "arbete", "raw/sus/export.csv"),
        ("sydnarke", "Steget", "A2", dt.date(2019, 3, 1), None, None, "raw/sus/export.csv")]
    assert exports.query("select status, rader from marts.inlasta_filer where fil = ?", [CP1252]) == [("inlast", 2)]


BOM = EXPORTS.fil("sus/sofint.csv", "\ufeffSamordningsförbund,Insats,Deltagar-ID,Anonym,Kön,Inskrivningsdatum,"
                                    "Utskrivningsdatum,Avslutsorsak\nSOFINT,Navet,B1,Nej,M,2019-01-10,2019-05-05,"
                                    "Studier\n")


def test_utf8_bom_comma_separated(exports):
    assert spells(exports, BOM) == [("sofint", "Navet", "B1", dt.date(2019, 1, 10), dt.date(2019, 5, 5), "studier",
                                     "raw/sus/sofint.csv")]


def workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Deltagare per insats"])
    ws.append(["Källa: SUS"])
    ws.append([])
    ws.append(HEADER.split(";"))
    ws.append(["Finsam Degerfors Karlskoga", "Vägen", "C1", "Nej", "Kvinna", dt.date(2019, 3, 4),
               dt.date(2019, 9, 30), "arbete med stöd"])
    ws.append(["Finsam Degerfors Karlskoga", "Vägen", "C2", "Nej", "Man", 43528, None, None])  # serial 43528
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


XLSX = EXPORTS.fil("sus/dk.xlsx", workbook())


def test_xlsx_with_notes_rows_and_excel_dates(exports):
    assert spells(exports, XLSX) == [
        ("degerfors_karlskoga", "Vägen", "C1", dt.date(2019, 3, 4), dt.date(2019, 9, 30), "arbete", "raw/sus/dk.xlsx"),
        ("degerfors_karlskoga", "Vägen", "C2", dt.date(2019, 3, 4), None, None, "raw/sus/dk.xlsx")]


# Lekeberg och Örebro, which no other file of the build holds (Sydnärke's is the cp1252 export's)
OLD = EXPORTS.fil("sus/a_old.csv", HEADER + "\nLekeberg och Örebro;Steget;D1;Nej;K;2019-02-01;2019-05-31;Avbrott\n"
                                            "Lekeberg och Örebro;Steget;D2;Nej;K;2019-02-01;;\n", 1_600_000_000)
NEW = EXPORTS.fil("sus/b_new.csv", HEADER + "\nLekeberg och Örebro;Steget;D1;Nej;K;2019-02-01;2019-06-30;Arbete\n"
                                            "Lekeberg och Örebro;Steget;D2;Nej;K;2019-02-01;;\n", 1_700_000_000)


def test_same_spell_in_two_files_counts_once_and_newest_file_wins_a_disagreement(exports):
    assert [(p, slut, kat, fil) for _, _, p, _, slut, kat, fil in spells(exports, OLD, NEW)] == [
        ("D1", dt.date(2019, 6, 30), "arbete", "raw/sus/b_new.csv"),
        ("D2", None, None, "raw/sus/b_new.csv")]
    assert exports.query("select deltagare, registreringar, avslut_arbete_studier from marts.deltagare_ar "
                         "where forbund = 'lekeberg_orebro' and insats = '*'") == [(2, 2, 1)]
    assert exports.query("select fil, rad, hittat, forvantat from marts.datakvalitet "
                         "where regel = 'dubblett_konflikt' and fil in (?, ?)", [OLD, NEW]) == [
        ("raw/sus/a_old.csv", 2, "slut=2019-05-31, avslutsorsak=Avbrott, anonym=False",
         "slut=2019-06-30, avslutsorsak=Arbete, anonym=False")]


# Södra Norrbotten, which no other file of the build holds (SOFINT's is the comma-separated export's)
ANONYMOUS = "\nSödra Norrbotten;Öppen väg;;Ja;K;2019-04-01;;\nSödra Norrbotten;Öppen väg;;Ja;K;2019-04-01;;\n"
EXPORTS.fil("sus/a.csv", HEADER + ANONYMOUS)
EXPORTS.fil("sus/b.csv", HEADER + ANONYMOUS + "Södra Norrbotten;Öppen väg;;Ja;K;2019-04-01;;\n")


def test_anonymous_rows_reexported_in_a_second_file_count_once(exports):
    # two identical anonymous spells in a.csv and three in b.csv: b's three include a's two
    assert exports.query("select deltagare, nyinskrivna, anonyma, avslutade, pagaende_vid_arets_slut "
                         "from marts.deltagare_ar where forbund = 'sodra_norrbotten' and insats = '*'") == [
        (3, None, 3, 0, 0)]   # nyinskrivna: 2019 is the first year of registrations


# A re-export that writes the insats in capitals holds the same spells: counted once, in the newest file's spelling.
VERSAL_GAMMAL = EXPORTS.fil("sus/versal_gammal.csv", f"{HEADER}\nSydnärke;Navigatorn;V1;Nej;K;2019-02-01;;\n"
                                                     "Sydnärke;Hälsolotsen;V2;Nej;M;2019-03-01;2019-09-30;Arbete\n",
                            mtime=1_600_000_000)
VERSAL_NY = EXPORTS.fil("sus/versal_ny.csv", f"{HEADER}\nSydnärke;NAVIGATORN;V1;Nej;K;2019-02-01;;\n"
                                             "Sydnärke;HÄLSOLOTSEN ;V2;Nej;M;2019-03-01;2019-09-30;Arbete\n",
                        mtime=1_700_000_000)


def test_a_re_export_with_the_insats_in_capitals_counts_each_spell_once(exports):
    assert spells(exports, VERSAL_GAMMAL, VERSAL_NY) == [
        ("sydnarke", "NAVIGATORN", "V1", dt.date(2019, 2, 1), None, None, VERSAL_NY),
        ("sydnarke", "HÄLSOLOTSEN", "V2", dt.date(2019, 3, 1), dt.date(2019, 9, 30), "arbete", VERSAL_NY)]


# macOS writes 'ä' as 'a' and a combining diaeresis (NFD): the header, the förbund and the insats are still known.
NFD = EXPORTS.fil("sus/nfd.csv", unicodedata.normalize(
    "NFD", f"{HEADER}\nSydnärke;Hälsolotsen;N1;Nej;K;2019-04-01;;\n"))


def test_text_in_decomposed_unicode_is_read_as_the_config_writes_it(exports):
    assert exports.query("select status, rader from marts.inlasta_filer where fil = ?", [NFD]) == [("inlast", 1)]
    (forbund, insats), = [(f, i) for f, i, *_ in spells(exports, NFD)]
    assert forbund == "sydnarke" and unicodedata.normalize("NFC", insats) == "Hälsolotsen"
