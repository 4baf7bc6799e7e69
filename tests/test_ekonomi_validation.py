"""A bad årsredovisning or tilldelning file is rejected as a whole with a message per problem; the others load.

Each file is read, validated and quarantined on its own, so the files of the tests that use MAPPING and the year
2019 (FILES: the good ekonomi file, and every test's own files under names of their own) lie in one data directory
that is built once; each test reads the rows of its own files. Årsredovisning lines of one förbund-year in several
files are combined, so each accepted årsredovisning file there has förbund-years no other test's file has (the
good file SOFINT 2019, the resultaträkning-style file Sydnärke 2019, the two versions Södra Norrbotten 2019): what
ekonomi_ar shows for a förbund comes from one test's files. The tests with a kostnadsmappning.csv of their own, or
other years, build on their own (line numbers below are lines of MAPPING)."""

import pytest

from tests.conftest import Delad

MAPPING = """forbund,post_pattern,kategori,giltig_fran,giltig_till
*,Medlemsbidrag staten,medlemsbidrag_stat,,
*,Kansli.*,administration,,
*,Insats .*,individinriktade_insatser,,
*,Summa.*,exkludera,,
*,Eget kapital,eget_kapital,,
"""
HEADER = "Förbund;År;Post;Belopp;Enhet;Typ"
GOOD = HEADER + "\nSOFINT;2019;Medlemsbidrag staten;1 000;tkr;intäkt\nSOFINT;2019;Kansli;200 000;kr;kostnad\n"
GOOD_FIL = "raw/ekonomi/good.csv"
COLUMNS = "rad, kolumn, hittat, forvantat, beskrivning, allvarlighet, regel"
FILES = Delad({"ekonomi/good.csv": GOOD})  # every file of the shared build


def bad_ekonomi(name: str, body: str, title_rows: str = "") -> str:
    return FILES.fil(f"ekonomi/{name}.csv", title_rows + HEADER + "\n" + body)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """FILES with MAPPING, 2019, built once."""
    def prepare(project) -> None:
        (project.config / "kostnadsmappning.csv").write_text(MAPPING, encoding="utf-8")
    return FILES.bygg(tmp_path_factory, "ekonomi_validation", (2019, 2019), prepare)


def build(project, files: dict[str, str], mapping: str = MAPPING, years=(2019, 2019)) -> None:
    project.settings(*years)
    (project.config / "kostnadsmappning.csv").write_text(mapping, encoding="utf-8")
    for name, text in files.items():
        project.raw(name, text)
    project.build()


def rejected(project, fil: str) -> list[tuple]:
    assert dict(project.query("select fil, status from marts.inlasta_filer where fil in (?, ?)", [fil, GOOD_FIL])) \
        == {fil: "avvisad", GOOD_FIL: "inlast"}
    # SOFINT 2019 is the good file's alone: no other accepted file holds that förbund-year
    assert project.query("select medlemsbidrag, kostnad_admin from marts.ekonomi_ar where forbund = 'sofint'") == [
        (1_000_000.0, 200_000.0)], "the good file still loads, the bad one contributes nothing"
    assert project.query("select count(*) from staging.ekonomi_rader where fil = ?", [fil]) == [(0,)]
    return project.query(f"select {COLUMNS} from marts.datakvalitet where fil = ? order by rad, kolumn", [fil])


def rejected_alone(project, body: str, mapping: str) -> list[tuple]:
    """rejected(), for a file read with a mapping of its own: built beside the good file alone."""
    build(project, {"ekonomi/good.csv": GOOD, "ekonomi/bad.csv": HEADER + "\n" + body}, mapping)
    assert project.query("select fil, status from marts.inlasta_filer where kalla = 'ekonomi' order by fil") == [
        ("raw/ekonomi/bad.csv", "avvisad"), ("raw/ekonomi/good.csv", "inlast")]
    return rejected(project, "raw/ekonomi/bad.csv")


def fel(rad, kolumn, hittat, forvantat, beskrivning):
    return (rad, kolumn, hittat, forvantat, beskrivning, "fel", "fil_avvisad")


TITLE_ROWS = bad_ekonomi("title_rows", "Sydnärke;2019;Kansli;12x;kr;kostnad\n", title_rows="Resultaträkning\n\n")


def test_unreadable_amount_row_numbers_count_title_rows(corpus):
    rows = rejected(corpus, TITLE_ROWS)
    assert rows == [fel(4, "Belopp", "12x", "a number (decimal comma or point)", "unreadable number")]


FORBUND_AND_YEAR = bad_ekonomi("forbund_and_year",
                               "Atlantis;2019;Kansli;1;kr;kostnad\nSydnärke;;Kansli;1;kr;kostnad\n"
                               "Sydnärke;2031;Kansli;1;kr;kostnad\n")


def test_unknown_forbund_blank_year_and_year_out_of_range(corpus):
    rows = rejected(corpus, FORBUND_AND_YEAR)
    assert rows == [
        fel(2, "Förbund", "Atlantis", "a förbund listed in forbund.yaml (kod, namn or sus_namn)", "unknown förbund"),
        fel(3, "År", None, "a year", "year is blank"),
        fel(4, "År", "2031", "a year from 2000 to 2026", "year out of range")]


UNIT_TYP_TEXT = bad_ekonomi("unit_typ_text",
                            "Sydnärke;2019;Kansli 1;1;euro;kostnad\nSydnärke;2019;Kansli 2;1;;kostnad\n"
                            "Sydnärke;2019;Kansli 3;1;kr;utgift\nSydnärke;2019;;1;kr;kostnad\n")


def test_unit_typ_and_line_text(corpus):
    rows = rejected(corpus, UNIT_TYP_TEXT)
    assert rows == [fel(2, "Enhet", "euro", "kr or tkr", "not a valid Enhet"),
                    fel(3, "Enhet", None, "kr or tkr", "unit is blank"),
                    fel(4, "Typ", "utgift", "intäkt, kostnad or eget_kapital", "not a valid Typ"),
                    fel(5, "Post", None, "the line text as printed in the årsredovisning", "line text is blank")]


DUPLICATE = bad_ekonomi("duplicate", "Sydnärke;2019;Kansli;1;kr;kostnad\nSydnärke;2019;KANSLI ;2;kr;kostnad\n")


def test_duplicate_line(corpus):
    rows = rejected(corpus, DUPLICATE)
    assert rows == [fel(2, "Post", "Kansli", "each line once per förbund, year, Period till and Typ", "duplicate line"),
                    fel(3, "Post", "KANSLI", "each line once per förbund, year, Period till and Typ", "duplicate line")]


UNMAPPED = bad_ekonomi("unmapped", "Sydnärke;2019;Kansli;1;kr;kostnad\n"
                                   "Sydnärke;2019;Konsultarvoden;5 000;kr;kostnad\n")


def test_unmapped_line_names_forbund_year_and_line_text(corpus):
    rows = rejected(corpus, UNMAPPED)
    assert rows == [fel(3, "Post", "Konsultarvoden", "a line text matched by a post_pattern in kostnadsmappning.csv",
                        "line not mapped by kostnadsmappning.csv (förbund sydnarke, year 2019)")]
    assert corpus.query("select forbund, ar from marts.datakvalitet where fil = ?", [UNMAPPED]) == [("sydnarke", 2019)]
    (orsak,), = corpus.query("select orsak from marts.inlasta_filer where fil = ?", [UNMAPPED])
    assert orsak == ("raw/ekonomi/unmapped.csv, row 3, column 'Post': line not mapped by kostnadsmappning.csv "
                     "(förbund sydnarke, year 2019): found 'Konsultarvoden', expected a line text matched by a "
                     "post_pattern in kostnadsmappning.csv")


def test_two_matching_rows_at_the_same_level_reject_the_file(project):
    """Its own build: MAPPING with a seventh line."""
    rows = rejected_alone(project, "Sydnärke;2019;Kansli och insats;1;kr;kostnad\n",
                          mapping=MAPPING + "*,.*insats,individinriktade_insatser,,\n")
    assert rows == [fel(2, "Post", "Kansli och insats", "exactly one matching kostnadsmappning.csv row per level "
                        "(the förbund's own rows, then '*' rows)",
                        "line matched by 2 kostnadsmappning.csv rows at the same level (förbund sydnarke, year "
                        "2019): line 3 'Kansli.*' -> administration; line 7 '.*insats' -> individinriktade_insatser")]


def test_a_forbund_row_wins_over_star_rows_and_validity_years_apply(project):
    """Its own build: a mapping of its own, and 2020-2021."""
    mapping = MAPPING + ("*,.*insats,individinriktade_insatser,,\n"
                         "sydnarke,Kansli och insats,strukturovergripande_insatser,2020-01-01,\n")
    body = "Sydnärke;2020;Kansli och insats;1 000;kr;kostnad\nSydnärke;2021;Kansli;500;kr;kostnad\n"
    build(project, {"ekonomi/a.csv": HEADER + "\n" + body}, mapping, years=(2020, 2021))
    assert project.query("select ar, kategori, mappning_rad from staging.ekonomi_rader order by ar") == [
        (2020, "strukturovergripande_insatser", 8), (2021, "administration", 3)]


def test_a_forbund_row_outside_its_years_does_not_apply(project):
    """Its own build: a mapping of its own."""
    mapping = MAPPING + ("*,.*insats,individinriktade_insatser,,\n"
                         "sydnarke,Kansli och insats,strukturovergripande_insatser,2020-01-01,\n")
    rows = rejected_alone(project, "Sydnärke;2019;Kansli och insats;1;kr;kostnad\n", mapping=mapping)
    assert rows[0][4].startswith("line matched by 2 kostnadsmappning.csv rows at the same level")


CONTRADICTS_TYP = bad_ekonomi("contradicts_typ", "Sydnärke;2019;Kansli;5 000;kr;Intäkt\n"
                                                 "Sydnärke;2019;Eget kapital;9;kr;kostnad\n"
                                                 "Sydnärke;2019;Summa kostnader;5 000;kr;eget_kapital\n")


def test_kategori_that_contradicts_typ(corpus):
    rows = rejected(corpus, CONTRADICTS_TYP)
    assert rows == [
        fel(2, "Typ", "Intäkt", "kostnad for kategori administration",
            "kostnadsmappning.csv line 3 'Kansli.*' -> administration contradicts the line's Typ (förbund sydnarke, "
            "year 2019)"),
        fel(3, "Typ", "kostnad", "eget_kapital for kategori eget_kapital",
            "kostnadsmappning.csv line 6 'Eget kapital' -> eget_kapital contradicts the line's Typ (förbund sydnarke, "
            "year 2019)")]  # exkludera fits any Typ: row 4 is fine


NEGATIVE_KATEGORI = bad_ekonomi("negative_kategori", "Sydnärke;2019;Insats A;10 000;kr;kostnad\n"
                                                     "Sydnärke;2019;Kansli;-5 000;kr;kostnad\n")


def test_a_kategori_that_sums_to_a_negative_amount(corpus):
    rows = rejected(corpus, NEGATIVE_KATEGORI)
    assert rows == [fel(3, "Belopp", "-5000.00", "a total of 0 or more kr",
                        "the lines of kategori administration sum to a negative amount for förbund sydnarke, year "
                        "2019 (costs and incomes are positive, or every cost line negative)")]


TOTAL_ROW = bad_ekonomi("total_row", "Sydnärke;2019;Kansli;1 000;kr;kostnad\nSydnärke;2019;Insats A;500;kr;kostnad\n"
                                     "Summa;;;1 600;;\n")


def test_total_row_that_does_not_add_up(corpus):
    rows = rejected(corpus, TOTAL_ROW)
    assert rows == [fel(4, "Belopp", "1 600", "the column sum 1500", "total row does not equal the sum of the rows")]


RR = FILES.fil("ekonomi/rr.csv", HEADER + "\nSydnärke;2019;Medlemsbidrag staten;2 000;kr;intäkt\n"
                                         "Sydnärke;2019;Kansli;-1 500,50;kr;kostnad\n"
                                         "Sydnärke;2019;Insats A;0;kr;kostnad\n"
                                         "Sydnärke;2019;Summa kostnader;-1 500,50;kr;kostnad\n")


def test_resultatrakning_style_is_negated_not_rejected(corpus):
    # Sydnärke 2019: every other file of it in the build is rejected
    assert corpus.query("select medlemsbidrag, kostnad_admin, kostnad_individ, kostnader_totalt from marts.ekonomi_ar "
                        "where forbund = 'sydnarke'") == [(2000.0, 1500.5, 0.0, 1500.5)]
    assert corpus.query("select regel, allvarlighet, fil, kolumn, beskrivning from marts.datakvalitet "
                        "where regel = 'teckenvand' and fil = ?", [RR]) == [
        ("teckenvand", "info", "raw/ekonomi/rr.csv", "Belopp", "every cost line is 0 or negative (resultaträkning "
         "style): the 3 cost lines were negated and are stored as positive amounts")]


# Södra Norrbotten 2019, which no other file of the build holds (Sydnärke's is the resultaträkning-style file's)
OLD = FILES.fil("ekonomi/a_2020.csv", HEADER + "\nSödra Norrbotten;2019;Kansli;1 000;kr;kostnad\n", 1_600_000_000)
NEW = FILES.fil("ekonomi/b_2021.csv", HEADER + "\nSödra Norrbotten;2019;Kansli;1 200;kr;kostnad\n"
                                              "Södra Norrbotten;2019;Insats A;300;kr;kostnad\n", 1_700_000_000)


def test_the_same_forbund_year_in_two_files_is_read_from_the_newest(corpus):
    assert corpus.query("select kostnad_admin, kostnader_totalt from marts.ekonomi_ar "
                        "where forbund = 'sodra_norrbotten'") == [(1200.0, 1500.0)]
    assert corpus.query("select regel, allvarlighet, fil, rad, beskrivning from marts.datakvalitet "
                        "where regel = 'dubblett_konflikt' and fil in (?, ?)", [OLD, NEW]) == [
        ("dubblett_konflikt", "varning", "raw/ekonomi/a_2020.csv", 2, "this förbund-year's resultaträkning is "
         "also in raw/ekonomi/b_2021.csv with different lines; that file is used (the newest), these lines are "
         "ignored")]


TILLDELNING = "Förbund;År;Stat;Region;Kommuner;Enhet\n"
TILLDELNING_GOOD = FILES.fil("tilldelning/good.csv", TILLDELNING + "SOFINT;2019;2 000;1 000;1 000;tkr\n")
TILLDELNING_BAD = FILES.fil("tilldelning/bad.csv", TILLDELNING + "Sydnärke;2019;-2 650;1 325;;tkr\n"
                                                                "Sydnärke;2020;2 650;1 325;1 325;mnkr\n"
                                                                "Sydnärke;2020;2 650;1 325;1 325;tkr\n")


def test_bad_tilldelning_file_is_rejected_and_a_good_one_loads(corpus):
    assert corpus.query("select forbund, ar, stat, region, kommuner from staging.tilldelning_rader "
                        "where fil in (?, ?)", [TILLDELNING_GOOD, TILLDELNING_BAD]) == [
        ("sofint", 2019, 2_000_000.0, 1_000_000.0, 1_000_000.0)]
    assert corpus.query(f"select {COLUMNS} from marts.datakvalitet where fil = ? order by rad, kolumn",
                        [TILLDELNING_BAD]) == [
        fel(2, "Kommuner", None, "an amount", "amount is blank"),
        fel(2, "Stat", "-2 650", "an amount of 0 or more", "negative amount"),
        fel(3, "Enhet", "mnkr", "kr or tkr", "not a valid Enhet"),
        fel(3, "År", "2020", "one row per förbund and year", "duplicate row"),
        fel(4, "År", "2020", "one row per förbund and year", "duplicate row")]


def test_tilldelning_optional_columns_aliases_and_total_row(project):
    """Its own build: 2021-2022."""
    build(project, {"tilldelning/n.csv": "Beslut om medelstilldelning\n"
                                         "Förbund;År;Staten;Regionen;Kommunerna;Äskat stat;Möjlig stat;Enhet\n"
                                         "Södra Norrbotten;2021;2 500;1 250;1 250;2 500;4 310;tkr\n"
                                         "Södra Norrbotten;2022;3 250;1 625;1 625;3 250;5 000;tkr\n"
                                         "Totalt;;5 750;2 875;2 875;5 750;9 310;\n"}, years=(2021, 2022))
    assert project.query("select ar, stat, region, kommuner, ansokt_stat, mojlig_stat, rad from "
                         "staging.tilldelning_rader order by ar") == [
        (2021, 2_500_000.0, 1_250_000.0, 1_250_000.0, 2_500_000.0, 4_310_000.0, 3),
        (2022, 3_250_000.0, 1_625_000.0, 1_625_000.0, 3_250_000.0, 5_000_000.0, 4)]
