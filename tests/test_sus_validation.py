"""A bad file is rejected as a whole with a message per problem; the other files still load."""
import pytest

HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak"
GOOD = HEADER + "\nSydnärke;Steget;G1;Nej;K;2019-02-01;;\n"


def rejected(project, body: str, title_rows: str = "") -> list[tuple]:
    project.settings(2019, 2019)
    project.raw("sus/good.csv", GOOD)
    project.raw("sus/bad.csv", title_rows + HEADER + "\n" + body)
    project.build()
    assert project.query("select fil, status from marts.inlasta_filer order by fil") == [
        ("raw/sus/bad.csv", "avvisad"), ("raw/sus/good.csv", "inlast")]
    assert project.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and insats = '*'") \
        == [(1,)], "the good file still loads, the bad one contributes nothing"
    return project.query("select rad, kolumn, hittat, forvantat, beskrivning, allvarlighet, regel "
                         "from marts.datakvalitet where fil = 'raw/sus/bad.csv' order by rad, kolumn")


def test_unreadable_date_row_numbers_count_title_rows(project):
    rows = rejected(project, "Sydnärke;Steget;X1;Nej;K;2019-13-01;;\n", title_rows="Rapport\n\n")
    assert rows == [(4, "Inskrivningsdatum", "2019-13-01", "a date (YYYY-MM-DD or an Excel date)",
                     "unreadable date", "fel", "fil_avvisad")]


def test_end_before_start(project):
    rows = rejected(project, "Sydnärke;Steget;X1;Nej;K;2019-05-01;2019-04-30;Arbete\n")
    assert rows == [(2, "Utskrivningsdatum", "2019-04-30", "an end date on or after the start date",
                     "spell ends before it starts", "fel", "fil_avvisad")]


def test_date_out_of_range(project):
    rows = rejected(project, "Sydnärke;Steget;X1;Nej;K;1999-12-31;;\n")
    assert rows == [(2, "Inskrivningsdatum", "1999-12-31", "a date from 2000-01-01 to 2027-12-31",
                     "date out of range", "fel", "fil_avvisad")]


def test_unknown_forbund(project):
    rows = rejected(project, "Samordningsförbundet Atlantis;Steget;X1;Nej;K;2019-05-01;;\n")
    assert rows == [(2, "Samordningsförbund", "Samordningsförbundet Atlantis",
                     "a förbund listed in forbund.yaml (kod, namn or sus_namn)", "unknown förbund", "fel",
                     "fil_avvisad")]


def test_allowed_values_and_all_problems_listed_at_once(project):
    rows = rejected(project, "Sydnärke;Steget;X1;Kanske;Q;2019-05-01;;\nSydnärke;;X2;Nej;K;2019-05-01;;\n")
    assert rows == [
        (2, "Anonym", "Kanske", "Ja, Nej or blank", "not a valid Anonym value", "fel", "fil_avvisad"),
        (2, "Kön", "Q", "Kvinna, Man, K, M, Annat or blank", "not a valid Kön value", "fel", "fil_avvisad"),
        (3, "Insats", None, "an insats name", "insats is blank", "fel", "fil_avvisad")]


def test_blank_person_id_on_a_named_participant(project):
    rows = rejected(project, "Sydnärke;Steget;;Nej;K;2019-05-01;;\n")
    assert rows == [(2, "Deltagar-ID", None, "a person id (blank only for anonymous participants)",
                     "person id is blank", "fel", "fil_avvisad")]


def test_person_ids_are_masked_in_messages(project, monkeypatch):
    monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", "test-key")
    rows = rejected(project, "Sydnärke;Steget;19121212-1212;Nej;K;2019-13-01;;\n"
                             "Sydnärke;Steget;19121212-1212;Nej;K;2019-05-01;2019-04-01;\n")
    assert rows[0][:3] == (2, "Inskrivningsdatum", "2019-13-01")
    assert rows[1][:3] == (3, "Utskrivningsdatum", "2019-04-01")
    assert "1212" not in str(project.query("select * from marts.datakvalitet")).replace("19121212-****", "")


def test_missing_required_column_names_the_columns_expected(project):
    project.settings(2019, 2019)
    project.raw("sus/bad.csv", "Samordningsförbund;Insats;Deltagar-ID\nSydnärke;Steget;X1\n")
    project.build()
    assert project.query("select rad, hittat, forvantat, beskrivning from marts.datakvalitet "
                         "where fil = 'raw/sus/bad.csv'") == [
        (None, "Samordningsförbund; Insats; Deltagar-ID",
         "a header with the columns forbund, insats, person, start, slut, avslutsorsak",
         "no header row in the first 11 rows")]


def test_total_row_that_does_not_add_up_rejects_an_aggregate_file(project):
    project.settings(2019, 2019)
    project.raw("sus_aggregat/r.csv", "Förbund;År;Deltagare;Nyinskrivna;Avslutade\nSOFINT;2019;10;4;3\n"
                                      "SOFINT;2018;9;5;3\nSumma;;20;9;6\n")
    project.build()
    assert project.query("select rad, kolumn, hittat, forvantat, beskrivning from marts.datakvalitet "
                         "where fil = 'raw/sus_aggregat/r.csv'") == [
        (4, "Deltagare", "20", "the column sum 19", "total row does not equal the sum of the rows")]


def test_run_summary_is_readable_and_names_the_rejected_file(project):
    project.settings(2019, 2019)
    project.raw("sus/bad.csv", HEADER + "\nSydnärke;Steget;X1;Nej;K;2019-13-01;;\n")
    project.build()
    (orsak,), = project.query("select orsak from marts.inlasta_filer")
    assert orsak == ("raw/sus/bad.csv, row 2, column 'Inskrivningsdatum': unreadable date: found '2019-13-01', "
                     "expected a date (YYYY-MM-DD or an Excel date)")


def test_birth_year_out_of_range(project):
    project.settings(2019, 2019)
    project.raw("sus/good.csv", GOOD)
    project.raw("sus/bad.csv", "Samordningsförbund;Insats;Deltagar-ID;Födelseår;Inskrivningsdatum;Utskrivningsdatum;"
                               "Avslutsorsak\nSydnärke;Steget;X1;1850;2019-05-01;;\n")
    project.build()
    assert project.query("select rad, kolumn, hittat, forvantat, beskrivning from marts.datakvalitet "
                         "where fil = 'raw/sus/bad.csv'") == [
        (2, "Födelseår", "1850", "a year from 1900 to 2026", "birth year out of range")]


def test_duplicate_header_names_the_header_as_written(project):
    project.settings(2019, 2019)
    project.raw("sus/bad.csv", HEADER + ";Startdatum\nSydnärke;Steget;X1;Nej;K;2019-05-01;;;2019-05-01\n")
    project.build()
    assert project.query("select rad, kolumn, beskrivning from marts.datakvalitet where fil = 'raw/sus/bad.csv'") \
        == [(1, "Startdatum", "a column appears more than once in the header")]


def test_row_with_more_cells_than_the_header_is_rejected(project, monkeypatch):
    monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", "k")
    rows = rejected(project, "Sydnärke;Steget; del 2;19800101-1234;Nej;K;2019-05-01;2019-06-01;Arbete\n")
    assert rows == [(2, None, "9 cells", "at most 8 cells", "row has more cells than the header", "fel",
                     "fil_avvisad")]


def test_personnummer_shifted_into_another_column_is_masked(project, monkeypatch):
    # an unquoted ';' in the insats name shifts the personnummer into the Anonym column
    monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", "k")
    rows = rejected(project, "Sydnärke;Steget; del 2;19800101-1234;Nej;K;2019-05-01;\n")
    assert rows[0][:5] == (2, "Anonym", "19800101-****", "Ja, Nej or blank", "not a valid Anonym value")
    assert "1234" not in str(project.query("select * from marts.datakvalitet"))


def test_personnummer_in_any_message_text_is_masked(project):
    project.settings(2019, 2019)
    project.raw("sus/bad.csv", "Sydnärke;Steget;198001011234;2019-05-01\n")  # no header at all
    project.build()
    (hittat,), = project.query("select hittat from marts.datakvalitet where fil = 'raw/sus/bad.csv'")
    assert hittat == "Sydnärke; Steget; 19800101-****; 2019-05-01"
    (orsak,), = project.query("select orsak from marts.inlasta_filer")
    assert "19800101-****" in orsak and "1234" not in orsak


def test_header_matching_ignores_case_and_whitespace(project):
    project.settings(2019, 2019)
    project.raw("sus/a.csv", "SAMORDNINGS FÖRBUND;Insats;Deltagar - ID;Inskrivnings datum;UTSKRIVNINGSDATUM;"
                             "Avslutsorsak\nSydnärke;Steget;A1;2019-02-01;;\n")
    project.build()
    assert project.query("select status from marts.inlasta_filer") == [("inlast",)]


@pytest.mark.parametrize("name, content, beskrivning", [
    ("utf16.csv", ("\ufeff" + GOOD).encode("utf-16-le"),
     "not a readable csv file: the file is UTF-16 text; save it as UTF-8 or Windows-1252 (ANSI)"),
    ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a readable csv file: the file holds NUL bytes: it "
                                                            "is not a text (csv) file"),
    ("undefined_byte.csv", GOOD.encode("cp1252") + b"\x81\n",
     "byte 0x81 cannot be read: it is not a Windows-1252 character"),
    ("unclosed_quote.csv", (HEADER + '\nSydnärke;"Steget' + "x" * 140_000 + "\n").encode(),
     "not a readable csv file: field larger than field limit (131072)"),
    ("fake.xlsx", GOOD.encode(), "not an xlsx workbook: the file is text (a csv file named .xlsx?); name it .csv"),
    ("gammal.xls", b"\xd0\xcf\x11\xe0", "unsupported file type"),
])
def test_unreadable_files_are_rejected_not_fatal(project, name, content, beskrivning):
    project.settings(2019, 2019)
    project.raw("sus/good.csv", GOOD)
    project.raw(f"sus/{name}", content)
    project.build()
    assert project.query("select fil, status from marts.inlasta_filer order by status, fil") == [
        (f"raw/sus/{name}", "avvisad"), ("raw/sus/good.csv", "inlast")]
    assert project.query("select beskrivning from marts.datakvalitet where fil = ?", [f"raw/sus/{name}"]) == [
        (beskrivning,)]


def test_open_spell_with_an_avslutsorsak_is_kept_open_with_a_finding(project):
    project.settings(2019, 2019)
    project.raw("sus/a.csv", HEADER + "\nSydnärke;Steget;A1;Nej;K;2019-02-01;;Arbete\n")
    project.build()
    assert project.query("select pagaende_vid_arets_slut, avslutade from marts.deltagare_ar "
                         "where forbund = 'sydnarke' and insats = '*'") == [(1, 0)]
    assert project.query("select regel, rad, kolumn, hittat, varde from marts.datakvalitet "
                         "where kalla = 'sus' and allvarlighet = 'varning' and forbund = 'sydnarke'") == [
        ("avslutsorsak_utan_slut", 2, "Avslutsorsak", "Arbete", 1.0)]


AGG = "Förbund;År;Insats;Uttag;Deltagare;Nyinskrivna;Avslutade\n"


@pytest.mark.parametrize("body, expected", [
    ("SOFINT;2019;;alla;10;4;3\n", (2, "Uttag", "alla", "unika, registrerade or blank (= unika)",
                                     "not a valid Uttag")),
    ("SOFINT;2019;;;10;-4;3\n", (2, "Nyinskrivna", "-4", "a count of 0 or more", "negative count")),
    ("SOFINT;1999;;;10;4;3\n", (2, "År", "1999", "a year from 2000 to 2026", "year out of range")),
    ("Atlantis;2019;;;10;4;3\n", (2, "Förbund", "Atlantis",
                                  "a förbund listed in forbund.yaml (kod, namn or sus_namn)", "unknown förbund")),
    ("SOFINT;2019;Navet;;10;4;3\nSOFINT;2019;Navet;unika;11;4;3\n",
     (3, "År", "2019", "one row per förbund, year, insats and uttag", "duplicate row")),
])
def test_bad_reported_counts_file(project, body, expected):
    project.settings(2019, 2019)
    project.raw("sus_aggregat/ok.csv", AGG + "Sydnärke;2019;;;10;4;3\n")
    project.raw("sus_aggregat/bad.csv", AGG + body)
    project.build()
    rows = project.query("select rad, kolumn, hittat, forvantat, beskrivning from marts.datakvalitet "
                         "where fil = 'raw/sus_aggregat/bad.csv' and rad is not null order by rad desc")
    assert rows[0] == expected
    assert project.query("select status from marts.inlasta_filer where fil = 'raw/sus_aggregat/ok.csv'") == [
        ("inlast",)]
