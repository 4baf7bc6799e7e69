"""Personnummer become keyed pseudonyms at ingest; none reaches DuckDB, messages or Dagster's event log."""
import datetime as dt
import hashlib
import hmac

import pytest

from finsam.person import normalise, pseudonym
from finsam.pnr import mask, scrub

KEY = "test-secret"
HEADER = "Samordningsförbund;Insats;Personnummer;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak"


@pytest.mark.parametrize("key, start, expected", [
    ("19121212-1212", dt.date(2019, 1, 1), "191212121212"),
    ("191212121212", dt.date(2019, 1, 1), "191212121212"),
    ("121212-1212", dt.date(2019, 1, 1), "201212121212"),   # younger than 100 on the start date: born 2012
    ("121212+1212", dt.date(2019, 1, 1), "191212121212"),   # '+': 100 or older
    ("5012121234", dt.date(2019, 1, 1), "195012121234"),
    ("190101-1234", dt.date(2019, 1, 1), "201901011234"),   # born on the start date itself: 2019
    ("190102-1234", dt.date(2019, 1, 1), "191901021234"),   # one day after the start date: a century earlier
    ("701272-1234", dt.date(2019, 1, 1), "197012721234"),   # samordningsnummer: day + 60 is kept
])
def test_normalise_to_12_digits(key, start, expected):
    assert normalise(key, start) == expected


def test_pseudonym_is_hmac_sha256_of_the_12_digits():
    assert pseudonym("191212121212", KEY) == hmac.new(KEY.encode(), b"191212121212", hashlib.sha256).hexdigest()


def test_scrub_masks_personnummer_anywhere_in_text_but_not_other_numbers():
    text = "Sydnärke; 19800101-1234; 8001011234; 800101+1234; 4 684 000; 2019-02-01; 123456789012345"
    assert scrub(text) == ("Sydnärke; 19800101-****; 800101-****; 800101-****; 4 684 000; 2019-02-01; "
                           "123456789012345")


def test_masks():
    assert mask("19121212-1212") == "19121212-****"
    assert mask("121212-1212") == "121212-****"
    assert mask("D-00123") == "D-****"


@pytest.fixture
def with_personnummer(project, monkeypatch):
    monkeypatch.setenv("FINSAM_PSEUDONYM_KEY", KEY)
    project.settings(2019, 2019)
    # the same person written three ways in two files, and a second person
    project.raw("sus/a.csv", HEADER + "\nSydnärke;Steget;19121212-1212;Nej;K;2019-02-01;2019-03-01;Arbete\n"
                                      "Sydnärke;Steget;121212+1212;Nej;K;2019-06-01;;\n")
    project.raw("sus/b.csv", HEADER + "\nSydnärke;Trappan;191212121212;Nej;K;2019-04-01;2019-05-01;Studier\n"
                                      "Sydnärke;Trappan;198507099805;Nej;M;2019-04-01;;\n")
    result = project.materialize()
    return project, result


def test_same_person_same_pseudonym_across_forms_and_files(with_personnummer):
    project, _ = with_personnummer
    expected = pseudonym("191212121212", KEY)
    assert project.query("select distinct person from staging.sus_registreringar order by 1") == sorted(
        [(expected,), (pseudonym("198507099805", KEY),)])
    assert project.query("select deltagare, registreringar from marts.deltagare_ar "
                         "where forbund = 'sydnarke' and insats = '*'") == [(2, 4)]


def test_no_personnummer_anywhere_in_the_warehouse_or_event_log(with_personnummer):
    project, result = with_personnummer
    con = project.connect()
    try:
        columns = con.execute("select table_schema, table_name, column_name from information_schema.columns "
                              "where data_type = 'VARCHAR'").fetchall()
        texts = [str(v) for s, t, c in columns for (v,) in con.execute(f'select "{c}" from {s}.{t}').fetchall()]
    finally:
        con.close()
    assert len(texts) > 20
    needles = ("1212-1212", "191212121212", "121212+1212", "198507099805", "850709")
    assert not [t for t in texts if any(n in t for n in needles)]
    raw_bytes = project.warehouse.read_bytes()
    assert not [n for n in needles if n.encode() in raw_bytes]
    events = " ".join(str(e) for e in result.all_events)
    assert events and not [n for n in needles if n in events]


def test_personnummer_without_a_key_stops_the_run_and_says_how_to_set_it(project, monkeypatch):
    monkeypatch.delenv("FINSAM_PSEUDONYM_KEY", raising=False)
    project.settings(2019, 2019)
    project.raw("sus/a.csv", HEADER + "\nSydnärke;Steget;19121212-1212;Nej;K;2019-02-01;;\n")
    result = project.materialize(raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    message = failure.event_specific_data.error.cause.message
    assert "raw/sus/a.csv row 2: personnummer found (19121212-****) but no pseudonym key is set" in message
    assert "export FINSAM_PSEUDONYM_KEY=" in message
    assert "1212-1212" not in message.replace("19121212-****", "")
    assert not project.warehouse.exists()
