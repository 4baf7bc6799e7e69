"""deltagare_grupp_ar: the förbund's participants by kön and age group, counted as deltagare_ar.

Fixture (Sydnärke, 2019-2020):
  K1  Kvinna 2000  Steget 2019-03-01..2019-10-31 Arbete        2019: 16-19, avslutad mot arbete
  K2  Kvinna 1999  Steget 2019-05-01..open                     20-24 both years
  M1  Man    1959  Steget 2019-01-15..2020-06-30 Studieredo    50-64; avslutad jobb-/studieredo 2020
  M2  blank, blank Steget 2019-02-01..2019-04-30 Avbrott, then Man 1955 in Trappan 2020-02-01..open: his latest
      spell with a kön and a födelseår decides: man, 64 in 2019 (50-64) and 65 in 2020 (65+, nyinskriven again)
  A1  Annat  2005  Steget 2019-08-01..open                     kön okant; 14 and 15 years old: okand
  anonymous K 1990 in Steget 2019-06-01 (kvinna, 25-29), anonymous blank 2020-03-01 (okant, okand)
"""
import pytest

from tests.conftest import built_once

SUS = """Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Födelseår;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak
Sydnärke;Steget;K1;Nej;K;2000;2019-03-01;2019-10-31;Arbete
Sydnärke;Steget;K2;Nej;K;1999;2019-05-01;;
Sydnärke;Steget;M1;Nej;M;1959;2019-01-15;2020-06-30;Studieredo
Sydnärke;Steget;M2;Nej;;;2019-02-01;2019-04-30;Avbrott
Sydnärke;Trappan;M2;Nej;M;1955;2020-02-01;;
Sydnärke;Steget;A1;Nej;Annat;2005;2019-08-01;;
Sydnärke;Steget;;Ja;K;1990;2019-06-01;;
Sydnärke;Steget;;Ja;;;2020-03-01;;
"""
# (ar, dimension, grupp): deltagare, nyinskrivna, avslutade, avslut_arbete_studier, avslut_jobb_studieredo
# 2019 is Sydnärke's first year of registrations: nyinskrivna NULL in every group
EXPECTED = {
    (2019, "kon", "kvinna"): (3, None, 1, 1, 0), (2019, "kon", "man"): (2, None, 1, 0, 0),
    (2019, "kon", "okant"): (1, None, 0, 0, 0),
    (2019, "alder", "16-19"): (1, None, 1, 1, 0), (2019, "alder", "20-24"): (1, None, 0, 0, 0),
    (2019, "alder", "25-29"): (1, None, 0, 0, 0), (2019, "alder", "50-64"): (2, None, 1, 0, 0),
    (2019, "alder", "okand"): (1, None, 0, 0, 0),
    (2020, "kon", "kvinna"): (1, 0, 0, 0, 0), (2020, "kon", "man"): (2, 1, 1, 0, 1),
    (2020, "kon", "okant"): (2, 1, 0, 0, 0),
    (2020, "alder", "20-24"): (1, 0, 0, 0, 0), (2020, "alder", "50-64"): (1, 0, 1, 0, 1),
    (2020, "alder", "65+"): (1, 1, 0, 0, 0), (2020, "alder", "okand"): (2, 1, 0, 0, 0),
}
COLS = "deltagare, nyinskrivna, avslutade, avslut_arbete_studier, avslut_jobb_studieredo"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "grupp", (2019, 2020), {"sus/syd.csv": SUS})


def test_groups_by_kon_and_age(built):
    rows = built.query(f"select ar, dimension, grupp, {COLS} from marts.deltagare_grupp_ar where forbund = 'sydnarke'")
    assert len(rows) == 2 * 11   # every group, both years
    assert {(a, d, g): tuple(rest) for a, d, g, *rest in rows if any(rest)} == EXPECTED


def test_each_dimension_adds_up_to_the_forbund_total(built):
    totals = dict(built.query("select ar, deltagare from marts.deltagare_ar where forbund = 'sydnarke' and "
                              "insats = '*'"))
    assert totals == {2019: 6, 2020: 5}
    for dimension in ("kon", "alder"):
        assert dict(built.query("select ar, sum(deltagare)::int from marts.deltagare_grupp_ar where forbund = "
                                "'sydnarke' and dimension = ? group by ar", [dimension])) == totals


def test_a_forbund_year_without_registrations_is_null_in_every_group(built):
    assert built.query("select count(*), count(deltagare) from marts.deltagare_grupp_ar where forbund = 'sofint'"
                       ) == [(22, 0)]
