"""A bad file is rejected as a whole with a message per problem; the other files still load."""
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
