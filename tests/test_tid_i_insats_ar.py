"""tid_i_insats_ar: days in an insats and in the förbund, quartiles, and stays open for more than a year.

Fixture (Sydnärke, 2019-2020), days = slut - start:
  P1 Steget 2019-01-01..01-31 (30), then Trappan 2019-02-01..03-02 (29): back to back, one stay of 60 days
  P2 Steget 2019-01-01..04-10 (99)
  P3 Steget 2019-03-01..05-30 (90), again 2019-08-01..08-31 (30): two months apart, two stays
  P4 Trappan 2018-06-01..open: 578 days at the end of 2019
  P5 Steget 2019-06-01..open: 213 days at the end of 2019, 579 at the end of 2020
  P6 Steget 2019-10-01..2020-02-29 (151)
  P7 Trappan 2019-03-01..12-31 (305) overlapping Steget 2019-06-01..2020-01-31 (244): one stay of 336 days
  an anonymous spell (never closed, left out)
"""
import pytest

from tests.conftest import built_once

SUS = """Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak
Sydnärke;Steget;P1;Nej;K;2019-01-01;2019-01-31;Annan insats
Sydnärke;Trappan;P1;Nej;K;2019-02-01;2019-03-02;Arbete
Sydnärke;Steget;P2;Nej;M;2019-01-01;2019-04-10;Arbete
Sydnärke;Steget;P3;Nej;K;2019-03-01;2019-05-30;Avbrott
Sydnärke;Steget;P3;Nej;K;2019-08-01;2019-08-31;Avbrott
Sydnärke;Trappan;P4;Nej;M;2018-06-01;;
Sydnärke;Steget;P5;Nej;K;2019-06-01;;
Sydnärke;Steget;P6;Nej;M;2019-10-01;2020-02-29;Studier
Sydnärke;Trappan;P7;Nej;K;2019-03-01;2019-12-31;Annan insats
Sydnärke;Steget;P7;Nej;K;2019-06-01;2020-01-31;Arbete
Sydnärke;Steget;;Ja;;2019-05-01;;
"""
EXPECTED = [  # insats, ar, avslutade, median, p25, p75, pagaende_over_365
    ("*", 2019, 4, 75.0, 52.5, 92.25, 1),              # stays 30, 60, 90, 99; P4
    ("*", 2020, 2, 243.5, 197.25, 289.75, 2),          # stays 151, 336; P4, P5
    ("Steget", 2019, 4, 60.0, 30.0, 92.25, 0),         # spells 30, 30, 90, 99
    ("Steget", 2020, 2, 197.5, 174.25, 220.75, 1),     # spells 151, 244; P5
    ("Trappan", 2019, 2, 167.0, 98.0, 236.0, 1),       # spells 29, 305; P4
    ("Trappan", 2020, 0, None, None, None, 1),         # nothing ended; P4 still there
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "tid", (2019, 2020), {"sus/syd.csv": SUS})


def test_days_in_insats_and_in_the_forbund(built):
    assert built.query("select insats, ar, avslutade, median_dagar, p25_dagar, p75_dagar, pagaende_over_365 "
                       "from marts.tid_i_insats_ar where forbund = 'sydnarke' order by insats, ar") == EXPECTED


def test_only_forbund_years_with_registrations_have_rows(built):
    assert built.query("select distinct forbund from marts.tid_i_insats_ar") == [("sydnarke",)]
