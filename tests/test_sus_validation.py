"""A bad file is rejected as a whole with a message per problem; the other files still load.

Each file is read, validated and quarantined on its own, so the tests' files (FILES: one good SUS file, every test's
bad file under a name of its own, reported counts) lie in one data directory that is built once; each test reads
the rows of its own file. Every SUS file there but the good one is rejected, so the good file's one participant is
still all that marts.deltagare_ar counts. The two tests whose file loads build on their own: its spell would be
counted in the marts every other test reads, and the open spell's test asks the marts what its file alone gives.
"""
import pytest

from tests.conftest import Delad, personnummer

HEADER = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak"
GOOD = HEADER + "\nSydnärke;Steget;G1;Nej;K;2019-02-01;;\n"
GOOD_FIL = "raw/sus/good.csv"
FILES = Delad({"sus/good.csv": GOOD})  # every file of the shared build


def bad_sus(name: str, body: str, title_rows: str = "") -> str:
    return FILES.fil(f"sus/{name}.csv", title_rows + HEADER + "\n" + body)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """FILES, built once; a key is set, as some of them hold personnummer."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FINSAM_PSEUDONYM_KEY", "test-key-of-32-characters-or-more")
        return FILES.bygg(tmp_path_factory, "sus_validation", (2019, 2019))


def status(corpus, fil: str) -> list[tuple]:
    return corpus.query("select status from marts.inlasta_filer where fil = ?", [fil])


def rejected(corpus, fil: str) -> list[tuple]:
    assert status(corpus, fil) == [("avvisad",)]
    assert status(corpus, GOOD_FIL) == [("inlast",)]
    # the same count as with the good file alone: no bad file (this one included) contributes a participant
    assert corpus.query("select deltagare from marts.deltagare_ar where forbund = 'sydnarke' and insats = '*'") \
        == [(1,)], "the good file still loads, the bad one contributes nothing"
    return corpus.query("select rad, kolumn, hittat, forvantat, beskrivning, allvarlighet, regel "
                        "from marts.datakvalitet where fil = ? order by rad, kolumn", [fil])


TITLE_ROWS = bad_sus("title_rows", "Sydnärke;Steget;X1;Nej;K;2019-13-01;;\n", title_rows="Rapport\n\n")


def test_unreadable_date_row_numbers_count_title_rows(corpus):
    rows = rejected(corpus, TITLE_ROWS)
    assert rows == [(4, "Inskrivningsdatum", "2019-13-01", "a date (YYYY-MM-DD or an Excel date)",
                     "unreadable date", "fel", "fil_avvisad")]


END_BEFORE_START = bad_sus("end_before_start", "Sydnärke;Steget;X1;Nej;K;2019-05-01;2019-04-30;Arbete\n")


def test_end_before_start(corpus):
    rows = rejected(corpus, END_BEFORE_START)
    assert rows == [(2, "Utskrivningsdatum", "2019-04-30", "an end date on or after the start date",
                     "spell ends before it starts", "fel", "fil_avvisad")]


OUT_OF_RANGE = bad_sus("out_of_range", "Sydnärke;Steget;X1;Nej;K;1999-12-31;;\n")


def test_date_out_of_range(corpus):
    rows = rejected(corpus, OUT_OF_RANGE)
    assert rows == [(2, "Inskrivningsdatum", "1999-12-31", "a date from 2000-01-01 to 2027-12-31",
                     "date out of range", "fel", "fil_avvisad")]


UNKNOWN_FORBUND = bad_sus("unknown_forbund", "Samordningsförbundet Atlantis;Steget;X1;Nej;K;2019-05-01;;\n")


def test_unknown_forbund(corpus):
    rows = rejected(corpus, UNKNOWN_FORBUND)
    assert rows == [(2, "Samordningsförbund", "Samordningsförbundet Atlantis",
                     "a förbund listed in forbund.yaml (kod, namn or sus_namn)", "unknown förbund", "fel",
                     "fil_avvisad")]


ALLOWED_VALUES = bad_sus("allowed_values",
                         "Sydnärke;Steget;X1;Kanske;Q;2019-05-01;;\nSydnärke;;X2;Nej;K;2019-05-01;;\n")


def test_allowed_values_and_all_problems_listed_at_once(corpus):
    rows = rejected(corpus, ALLOWED_VALUES)
    assert rows == [
        (2, "Anonym", "Kanske", "Ja, Nej or blank", "not a valid Anonym value", "fel", "fil_avvisad"),
        (2, "Kön", "Q", "Kvinna, Man, K, M, Annat or blank", "not a valid Kön value", "fel", "fil_avvisad"),
        (3, "Insats", None, "an insats name", "insats is blank", "fel", "fil_avvisad")]


BLANK_PERSON = bad_sus("blank_person", "Sydnärke;Steget;;Nej;K;2019-05-01;;\n")


def test_blank_person_id_on_a_named_participant(corpus):
    rows = rejected(corpus, BLANK_PERSON)
    assert rows == [(2, "Deltagar-ID", None, "a person id (blank only for anonymous participants)",
                     "person id is blank", "fel", "fil_avvisad")]


PERSON_IDS = bad_sus("person_ids", "Sydnärke;Steget;19121212-1212;Nej;K;2019-13-01;;\n"
                                   "Sydnärke;Steget;19121212-1212;Nej;K;2019-05-01;2019-04-01;\n")


def test_person_ids_are_masked_in_messages(corpus):
    rows = rejected(corpus, PERSON_IDS)
    assert rows[0][:3] == (2, "Inskrivningsdatum", "2019-13-01")
    assert rows[1][:3] == (3, "Utskrivningsdatum", "2019-04-01")
    assert "1212" not in str(corpus.query("select * from marts.datakvalitet")).replace("19121212-****", "")


MISSING_COLUMN = FILES.fil("sus/missing_column.csv", "Samordningsförbund;Insats;Deltagar-ID\nSydnärke;Steget;X1\n")


def test_missing_required_column_names_the_columns_expected(corpus):
    assert corpus.query("select rad, hittat, forvantat, beskrivning from marts.datakvalitet where fil = ?",
                        [MISSING_COLUMN]) == [
        (None, "Samordningsförbund; Insats; Deltagar-ID",
         "a header with the columns forbund, insats, person, start, slut, avslutsorsak",
         "no header row in the first 11 rows")]


TOTAL_ROW = FILES.fil("sus_aggregat/total_row.csv", "Förbund;År;Deltagare;Nyinskrivna;Avslutade\nSOFINT;2019;10;4;3\n"
                                                   "SOFINT;2018;9;5;3\nSumma;;20;9;6\n")


def test_total_row_that_does_not_add_up_rejects_an_aggregate_file(corpus):
    assert corpus.query("select rad, kolumn, hittat, forvantat, beskrivning from marts.datakvalitet where fil = ?",
                        [TOTAL_ROW]) == [
        (4, "Deltagare", "20", "the column sum 19", "total row does not equal the sum of the rows")]


SUMMARY = bad_sus("summary", "Sydnärke;Steget;X1;Nej;K;2019-13-01;;\n")


def test_run_summary_is_readable_and_names_the_rejected_file(corpus):
    (orsak,), = corpus.query("select orsak from marts.inlasta_filer where fil = ?", [SUMMARY])
    assert orsak == (f"{SUMMARY}, row 2, column 'Inskrivningsdatum': unreadable date: found '2019-13-01', "
                     "expected a date (YYYY-MM-DD or an Excel date)")


BIRTH_YEAR = FILES.fil("sus/birth_year.csv", "Samordningsförbund;Insats;Deltagar-ID;Födelseår;Inskrivningsdatum;"
                                            "Utskrivningsdatum;Avslutsorsak\nSydnärke;Steget;X1;1850;2019-05-01;;\n")


def test_birth_year_out_of_range(corpus):
    assert corpus.query("select rad, kolumn, hittat, forvantat, beskrivning from marts.datakvalitet where fil = ?",
                        [BIRTH_YEAR]) == [
        (2, "Födelseår", "1850", "a year from 1900 to 2026", "birth year out of range")]


DUPLICATE_HEADER = FILES.fil("sus/duplicate_header.csv",
                            HEADER + ";Startdatum\nSydnärke;Steget;X1;Nej;K;2019-05-01;;;2019-05-01\n")


def test_duplicate_header_names_the_header_as_written(corpus):
    assert corpus.query("select rad, kolumn, beskrivning from marts.datakvalitet where fil = ?",
                        [DUPLICATE_HEADER]) == [(1, "Startdatum", "a column appears more than once in the header")]


MORE_CELLS = bad_sus("more_cells", "Sydnärke;Steget; del 2;19800101-1234;Nej;K;2019-05-01;2019-06-01;Arbete\n")


def test_row_with_more_cells_than_the_header_is_rejected(corpus):
    rows = rejected(corpus, MORE_CELLS)
    assert rows == [(2, None, "9 cells", "at most 8 cells", "row has more cells than the header", "fel",
                     "fil_avvisad")]


# an unquoted ';' in the insats name shifts the personnummer into the Anonym column
PNR = personnummer("19800101-123")  # Luhn-valid: a personnummer, not just its shape
SHIFTED = bad_sus("shifted", f"Sydnärke;Steget; del 2;{PNR};Nej;K;2019-05-01;\n")


def test_personnummer_shifted_into_another_column_is_masked(corpus):
    rows = rejected(corpus, SHIFTED)
    assert rows[0][:5] == (2, "Anonym", "19800101-****", "Ja, Nej or blank", "not a valid Anonym value")
    assert PNR[-4:] not in str(corpus.query("select * from marts.datakvalitet"))


NO_HEADER = FILES.fil("sus/no_header.csv", f"Sydnärke;Steget;{PNR.replace('-', '')};2019-05-01\n")  # no header


def test_personnummer_in_any_message_text_is_masked(corpus):
    (hittat,), = corpus.query("select hittat from marts.datakvalitet where fil = ?", [NO_HEADER])
    assert hittat == "Sy****; St****; 19800101-****; 20****"  # a data row where the header should be: all masked
    (orsak,), = corpus.query("select orsak from marts.inlasta_filer where fil = ?", [NO_HEADER])
    assert "19800101-****" in orsak and PNR[-4:] not in orsak


def test_header_matching_ignores_case_and_whitespace(project):
    """Its own build: its file loads, so its spell would be counted in every other test's marts."""
    project.settings(2019, 2019)
    project.raw("sus/a.csv", "SAMORDNINGS FÖRBUND;Insats;Deltagar - ID;Inskrivnings datum;UTSKRIVNINGSDATUM;"
                             "Avslutsorsak\nSydnärke;Steget;A1;2019-02-01;;\n")
    project.build()
    assert project.query("select status from marts.inlasta_filer") == [("inlast",)]


UNREADABLE = [
    ("utf16.csv", ("\ufeff" + GOOD).encode("utf-16-le"),
     "not a readable csv file: the file is UTF-16 text; save it as UTF-8 or Windows-1252 (ANSI)"),
    ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a readable csv file: the file holds NUL bytes: it "
                                                            "is not a text (csv) file"),
    ("undefined_byte.csv", GOOD.encode("cp1252") + b"\x81\n",
     "byte 0x81 cannot be read: it is not a Windows-1252 character"),
    # the open quote runs over 140 short lines (one line that long is over max_radlangd_kb: test_grans_indata)
    ("unclosed_quote.csv", (HEADER + '\nSydnärke;"Steget' + ("x" * 999 + "\n") * 140).encode(),
     "not a readable csv file: the record from row 2 on: field larger than field limit (131072)"),
    ("fake.xlsx", GOOD.encode(), "not an xlsx workbook: the file is text (a csv file named .xlsx?); name it .csv"),
    ("gammal.xls", b"\xd0\xcf\x11\xe0", "unsupported file type"),
]
UNREADABLE_FIL = {name: FILES.fil(f"sus/{name}", content) for name, content, _ in UNREADABLE}


@pytest.mark.parametrize("name, content, beskrivning", UNREADABLE)
def test_unreadable_files_are_rejected_not_fatal(corpus, name, content, beskrivning):
    assert status(corpus, UNREADABLE_FIL[name]) == [("avvisad",)]
    assert status(corpus, GOOD_FIL) == [("inlast",)]
    assert corpus.query("select beskrivning from marts.datakvalitet where fil = ?", [UNREADABLE_FIL[name]]) == [
        (beskrivning,)]


def test_open_spell_with_an_avslutsorsak_is_kept_open_with_a_finding(project):
    """Its own build: it asks the marts what its file alone gives."""
    project.settings(2019, 2019)
    project.raw("sus/a.csv", HEADER + "\nSydnärke;Steget;A1;Nej;K;2019-02-01;;Arbete\n")
    project.build()
    assert project.query("select pagaende_vid_arets_slut, avslutade from marts.deltagare_ar "
                         "where forbund = 'sydnarke' and insats = '*'") == [(1, 0)]
    assert project.query("select regel, rad, kolumn, hittat, varde from marts.datakvalitet "
                         "where kalla = 'sus' and allvarlighet = 'varning' and forbund = 'sydnarke'") == [
        ("avslutsorsak_utan_slut", 2, "Avslutsorsak", "Arbete", 1.0)]


AGG = "Förbund;År;Insats;Uttag;Deltagare;Nyinskrivna;Avslutade\n"
OK_COUNTS = FILES.fil("sus_aggregat/ok.csv", AGG + "Sydnärke;2019;;;10;4;3\n")
BAD_COUNTS = [
    ("SOFINT;2019;;alla;10;4;3\n", (2, "Uttag", "alla", "unika, registrerade or blank (= unika)",
                                     "not a valid Uttag")),
    ("SOFINT;2019;;;10;-4;3\n", (2, "Nyinskrivna", "-4", "a count of 0 or more", "negative count")),
    ("SOFINT;1999;;;10;4;3\n", (2, "År", "1999", "a year from 2000 to 2026", "year out of range")),
    ("Atlantis;2019;;;10;4;3\n", (2, "Förbund", "Atlantis",
                                  "a förbund listed in forbund.yaml (kod, namn or sus_namn)", "unknown förbund")),
    ("SOFINT;2019;Navet;;10;4;3\nSOFINT;2019;Navet;unika;11;4;3\n",
     (3, "År", "2019", "one row per förbund, year, insats and uttag", "duplicate row")),
]
BAD_COUNTS_FIL = {body: FILES.fil(f"sus_aggregat/bad_{i}.csv", AGG + body) for i, (body, _) in enumerate(BAD_COUNTS)}


@pytest.mark.parametrize("body, expected", BAD_COUNTS)
def test_bad_reported_counts_file(corpus, body, expected):
    rows = corpus.query("select rad, kolumn, hittat, forvantat, beskrivning from marts.datakvalitet "
                        "where fil = ? and rad is not null order by rad desc", [BAD_COUNTS_FIL[body]])
    assert rows[0] == expected
    assert status(corpus, OK_COUNTS) == [("inlast",)]
