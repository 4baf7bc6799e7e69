"""Stegförflyttning (contract "Stegförflyttning"): avslutade whose last spell ended in kategori arbete, studier,
arbetssokande, studieredo or annan_insats, ÷ avslutade; a column of marts.avslut_ar (every row of a level and year)
and of marts.jamforelse_ar with its Wilson interval, in a SUS year and in a year of reported avslut, NULL where the
avslut categories are unknown.

The fixture, years 2022-2024 (sus_stangd the shipped 2023-04-30):
  Sydnärke 2022, registrations (kalla sus):
    Steget  P1 ..2022-03-31 Arbete, P2 ..05-31 Studieredo, P3 ..06-30 Annan insats, P8 ..12-15 Studier: 4 of 4 steps
            P7 open at the end of 2022: not avslutad
    Trappan P4 ..09-30 Jobbredo (arbetssokande), P5 ..10-31 Sjukdom, P6 ..11-30 Avbrott: 1 of 3
    förbund: avslutade 7, stegförflyttning 5 (P1 P2 P3 P4 P8)
  SOFINT 2024, Uppföljning Finsam with reported avslut (kalla uppfoljning):
    Kompassen Arbete 2, Studieredo 1, Annan insats 1, Sjukdom 2: 4 of 6; Bron Avbrott 1, Till Arbetsförmedlingen 1:
    1 of 2; förbund 5 of 8
  SOFINT 2023, Uppföljning Finsam without reported avslut: unknown (NULL)
  Degerfors/Karlskoga 2022, a report (kalla aggregat): 6 avslutade, no split by kategori: unknown (NULL)
Wilson 95 % (z = 1.959964, p = k / n): (p + z²/2n ± z·sqrt(p(1 − p)/n + z²/4n²)) / (1 + z²/n)
  5 of 7 -> [0.358934, 0.917781]; 5 of 8 -> [0.305742, 0.863156]
"""
import pytest

from tests.conftest import built_once

SUS = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
       "Sydnärke;Steget;P1;Nej;2022-01-10;2022-03-31;Arbete\n"
       "Sydnärke;Steget;P2;Nej;2022-02-01;2022-05-31;Studieredo\n"
       "Sydnärke;Steget;P3;Nej;2022-02-01;2022-06-30;Annan insats\n"
       "Sydnärke;Trappan;P4;Nej;2022-03-01;2022-09-30;Jobbredo\n"
       "Sydnärke;Trappan;P5;Nej;2022-03-01;2022-10-31;Sjukdom\n"
       "Sydnärke;Trappan;P6;Nej;2022-04-01;2022-11-30;Avbrott\n"
       "Sydnärke;Steget;P7;Nej;2022-01-01;;\n"
       "Sydnärke;Steget;P8;Nej;2022-05-01;2022-12-15;Studier\n")
AGG = ("Förbund;År;Deltagare;Nyinskrivna;Avslutade;Avslut arbete/studier;Avslut jobb-/studieredo\n"
       "Degerfors Karlskoga;2022;10;10;6;2;1\n")
UPPFOLJNING = ("Förbund;År;Insats;Inriktning;Kvinnor;Män;Totalt;Budgeterat antal deltagare;Budget;Utfall;Enhet\n"
               "SOFINT;2023;Kompassen;Individinriktad;4;3;7;;;;\n"
               "SOFINT;2024;Kompassen;Individinriktad;5;5;10;;;;\n"
               "SOFINT;2024;Bron;Individinriktad;2;2;4;;;;\n")
AVSLUT = ("Förbund;År;Insats;Avslutsorsak;Antal;Källa\n"
          "SOFINT;2024;Kompassen;Arbete;2;Teamet\n"
          "SOFINT;2024;Kompassen;Studieredo;1;Teamet\n"
          "SOFINT;2024;Kompassen;Annan insats;1;Teamet\n"
          "SOFINT;2024;Kompassen;Sjukdom;2;Teamet\n"
          "SOFINT;2024;Bron;Avbrott;1;Teamet\n"
          "SOFINT;2024;Bron;Till Arbetsförmedlingen;1;Teamet\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "stegforflyttning", (2022, 2024),
                      {"sus/s.csv": SUS, "sus_aggregat/a.csv": AGG, "uppfoljning/u.csv": UPPFOLJNING,
                       "avslut_rapporterade/a.csv": AVSLUT})


def test_avslut_ar_carries_the_count_and_share_on_every_row_of_a_level(built):
    rows = built.query("select forbund, insats, ar, kalla, count(*), count(distinct avslut_stegforflyttning), "
                       "any_value(avslutade_totalt), any_value(avslut_stegforflyttning), "
                       "any_value(andel_stegforflyttning) from marts.avslut_ar "
                       "where ((forbund = 'sydnarke' and ar = 2022) or (forbund = 'sofint' and ar = 2024)) "
                       "and insats not like 'typ:%' group by all order by forbund, insats, ar")
    assert rows == [
        ("sofint", "*", 2024, "uppfoljning", 10, 1, 8, 5, 5 / 8),
        ("sofint", "Bron", 2024, "uppfoljning", 10, 1, 2, 1, 1 / 2),
        ("sofint", "Kompassen", 2024, "uppfoljning", 10, 1, 6, 4, 4 / 6),
        ("sydnarke", "*", 2022, "sus", 10, 1, 7, 5, 5 / 7),
        ("sydnarke", "Steget", 2022, "sus", 10, 1, 4, 4, 1.0),
        ("sydnarke", "Trappan", 2022, "sus", 10, 1, 3, 1, 1 / 3)]


def test_unknown_avslut_categories_give_no_stegforflyttning(built):
    # a report (no split by kategori) and Uppföljning Finsam without reported avslut
    assert built.query("select forbund, ar, count(avslut_stegforflyttning), count(andel_stegforflyttning) "
                       "from marts.avslut_ar where (forbund = 'degerfors_karlskoga' and ar = 2022) "
                       "or (forbund = 'sofint' and ar = 2023) group by all order by all") == [
        ("degerfors_karlskoga", 2022, 0, 0), ("sofint", 2023, 0, 0)]


def test_jamforelse_ar_has_the_share_with_its_wilson_interval(built):
    rows = built.query("select forbund, ar, avslutade, avslut_stegforflyttning, andel_stegforflyttning, "
                       "andel_stegforflyttning_lag, andel_stegforflyttning_hog from marts.jamforelse_ar "
                       "where (forbund, ar) in (('sydnarke', 2022), ('sofint', 2024), ('sofint', 2023), "
                       "('degerfors_karlskoga', 2022)) order by forbund, ar")
    assert rows[0] == ("degerfors_karlskoga", 2022, 6, None, None, None, None)
    assert rows[1] == ("sofint", 2023, None, None, None, None, None)
    assert rows[2][:4] == ("sofint", 2024, 8, 5)
    assert rows[2][4:] == pytest.approx((5 / 8, 0.305742, 0.863156), abs=1e-6)
    assert rows[3][:4] == ("sydnarke", 2022, 7, 5)
    assert rows[3][4:] == pytest.approx((5 / 7, 0.358934, 0.917781), abs=1e-6)


def test_the_share_is_the_avslut_ar_forbund_rows_share(built):
    # one definition: jamforelse_ar takes the förbund's count from avslut_ar, never counts again
    assert built.query("""
        select count(*) from marts.jamforelse_ar j
        join (select distinct forbund, ar, avslut_stegforflyttning, andel_stegforflyttning from marts.avslut_ar
              where insats = '*') a using (forbund, ar)
        where j.avslut_stegforflyttning is distinct from a.avslut_stegforflyttning
           or j.andel_stegforflyttning is distinct from a.andel_stegforflyttning""") == [(0,)]
