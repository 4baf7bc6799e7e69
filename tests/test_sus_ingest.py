"""SUS files as they come: encodings, separators, title rows, total rows, aliases, Excel dates, duplicates."""
import datetime as dt
import os

import openpyxl

HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak"


def spells(project):
    return project.query("select forbund, insats, person, start, slut, kategori, fil from staging.sus_registreringar "
                         "order by person, start")


def test_cp1252_semicolon_with_title_rows_aliases_and_total_row(project):
    project.settings(2019, 2019)
    text = ("SUS-uttag deltagare\nUttaget 2020-01-10\n\n"
            "SAMORDNINGSFÖRBUND ; insatsnamn;Deltagare;Anonym;Kön;Startdatum;Slutdatum;Avslutsorsak\n"
            "Sydnärke;Steget;A1;Nej;K;2019-02-01;2019-06-30;Arbete\n"
            "Sydnärke;Steget;A2;;;2019-03-01;;\n"
            "Totalt;;;;;;;\n")
    project.raw("sus/export.csv", text, encoding="cp1252")
    project.build()
    assert spells(project) == [
        ("sydnarke", "Steget", "A1", dt.date(2019, 2, 1), dt.date(2019, 6, 30), "arbete", "raw/sus/export.csv"),
        ("sydnarke", "Steget", "A2", dt.date(2019, 3, 1), None, None, "raw/sus/export.csv")]
    assert project.query("select status, rader from marts.inlasta_filer") == [("inlast", 2)]


def test_utf8_bom_comma_separated(project):
    project.settings(2019, 2019)
    text = ("\ufeffSamordningsförbund,Insats,Deltagar-ID,Anonym,Kön,Inskrivningsdatum,Utskrivningsdatum,Avslutsorsak\n"
            "SOFINT,Navet,B1,Nej,M,2019-01-10,2019-05-05,Studier\n")
    project.raw("sus/sofint.csv", text)
    project.build()
    assert spells(project) == [("sofint", "Navet", "B1", dt.date(2019, 1, 10), dt.date(2019, 5, 5), "studier",
                                "raw/sus/sofint.csv")]


def test_xlsx_with_notes_rows_and_excel_dates(project):
    project.settings(2019, 2019)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Deltagare per insats"])
    ws.append(["Källa: SUS"])
    ws.append([])
    ws.append(HEADER.split(";"))
    ws.append(["Finsam Degerfors Karlskoga", "Vägen", "C1", "Nej", "Kvinna", dt.date(2019, 3, 4),
               dt.date(2019, 9, 30), "arbete med stöd"])
    ws.append(["Finsam Degerfors Karlskoga", "Vägen", "C2", "Nej", "Man", 43528, None, None])  # serial 43528
    path = project.data / "raw" / "sus" / "dk.xlsx"
    path.parent.mkdir(parents=True)
    wb.save(path)
    project.build()
    assert spells(project) == [
        ("degerfors_karlskoga", "Vägen", "C1", dt.date(2019, 3, 4), dt.date(2019, 9, 30), "arbete", "raw/sus/dk.xlsx"),
        ("degerfors_karlskoga", "Vägen", "C2", dt.date(2019, 3, 4), None, None, "raw/sus/dk.xlsx")]


def test_same_spell_in_two_files_counts_once_and_newest_file_wins_a_disagreement(project):
    project.settings(2019, 2019)
    old = project.raw("sus/a_old.csv", HEADER + "\nSydnärke;Steget;D1;Nej;K;2019-02-01;2019-05-31;Avbrott\n"
                                                 "Sydnärke;Steget;D2;Nej;K;2019-02-01;;\n")
    new = project.raw("sus/b_new.csv", HEADER + "\nSydnärke;Steget;D1;Nej;K;2019-02-01;2019-06-30;Arbete\n"
                                                 "Sydnärke;Steget;D2;Nej;K;2019-02-01;;\n")
    os.utime(old, (1_600_000_000, 1_600_000_000))
    os.utime(new, (1_700_000_000, 1_700_000_000))
    project.build()
    assert [(p, slut, kat, fil) for _, _, p, _, slut, kat, fil in spells(project)] == [
        ("D1", dt.date(2019, 6, 30), "arbete", "raw/sus/b_new.csv"),
        ("D2", None, None, "raw/sus/b_new.csv")]
    assert project.query("select deltagare, registreringar, avslut_arbete_studier from marts.deltagare_ar "
                         "where forbund = 'sydnarke' and insats = '*'") == [(2, 2, 1)]
    assert project.query("select fil, rad, hittat, forvantat from marts.datakvalitet "
                         "where regel = 'dubblett_konflikt'") == [
        ("raw/sus/a_old.csv", 2, "slut=2019-05-31, avslutsorsak=Avbrott, anonym=False",
         "slut=2019-06-30, avslutsorsak=Arbete, anonym=False")]


def test_anonymous_rows_reexported_in_a_second_file_count_once(project):
    project.settings(2019, 2019)
    rows = "\nSOFINT;Öppen väg;;Ja;K;2019-04-01;;\nSOFINT;Öppen väg;;Ja;K;2019-04-01;;\n"
    project.raw("sus/a.csv", HEADER + rows)
    project.raw("sus/b.csv", HEADER + rows + "SOFINT;Öppen väg;;Ja;K;2019-04-01;;\n")
    project.build()
    # two identical anonymous spells in a.csv and three in b.csv: b's three include a's two
    assert project.query("select deltagare, nyinskrivna, anonyma, avslutade, pagaende_vid_arets_slut "
                         "from marts.deltagare_ar where forbund = 'sofint' and insats = '*'") == [(3, 3, 3, 0, 0)]
