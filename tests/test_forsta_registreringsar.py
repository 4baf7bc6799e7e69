"""The seams of the registrations (staging.forsta_registreringsar): in a förbund's first year of registrations, and
the first year after a year without any, nyinskrivna, aterkommande and time in insats are NULL (never every
deltagare counted as new), with one info finding forsta_registreringsar per förbund-year. The first year is the
data's: registrations that start before the first analysed year make that year an ordinary one.

Fixture (2019-2022; Sydnärke's Arbetsträning Kumla serves kommun 1881, SOFINT's Kompassen the whole förbund):
  Sydnärke  SN-1 2019-03-01..2019-06-30, SN-2 2019-05-01..2020-03-31        first year 2019 (forsta)
            SN-3 2020-02-01..2020-06-30                                   2020: nyinskrivna 1 (SN-3)
            nothing overlaps 2021                                          2021: no registrations
            SN-1 again 2022-01-10..open (after 2019: would be återkommande), SN-4 2022-03-01..2022-05-31
                                                                           2022: after the gap (efter_uppehall)
  SOFINT    SO-1 2018-06-01..2019-02-28 (before ar_fran), SO-2 2019-04-01..2019-08-31
                                                                           2019: no seam; nyinskrivna 1 (SO-2)
"""
import pytest

from tests.conftest import built_once

SUS = """Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak
Sydnärke;Arbetsträning Kumla;SN-1;Nej;K;2019-03-01;2019-06-30;Avbrott
Sydnärke;Arbetsträning Kumla;SN-2;Nej;M;2019-05-01;2020-03-31;Arbete
Sydnärke;Arbetsträning Kumla;SN-3;Nej;K;2020-02-01;2020-06-30;Studier
Sydnärke;Arbetsträning Kumla;SN-1;Nej;K;2022-01-10;;
Sydnärke;Arbetsträning Kumla;SN-4;Nej;M;2022-03-01;2022-05-31;Avbrott
SOFINT;Kompassen;SO-1;Nej;K;2018-06-01;2019-02-28;Arbete
SOFINT;Kompassen;SO-2;Nej;M;2019-04-01;2019-08-31;Avbrott
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "forsta_registreringsar", (2019, 2022), {"sus/a.csv": SUS})


def test_seam_years_come_from_the_data_not_from_ar_fran(built):
    assert built.query("select forbund, ar, orsak from staging.forsta_registreringsar order by all") == [
        ("sydnarke", 2019, "forsta"), ("sydnarke", 2022, "efter_uppehall")]


def test_backward_looking_counts_are_null_in_seam_years(built):
    rows = built.query("select forbund, ar, deltagare, nyinskrivna, aterkommande, avslutade, pagaende_vid_arets_slut "
                       "from marts.deltagare_ar where insats = '*' and forbund in ('sydnarke', 'sofint') "
                       "order by forbund, ar")
    assert rows == [
        ("sofint", 2019, 2, 1, 0, 2, 0), ("sofint", 2020, None, None, None, None, None),
        ("sofint", 2021, None, None, None, None, None), ("sofint", 2022, None, None, None, None, None),
        ("sydnarke", 2019, 2, None, None, 1, 1),          # not 2 of 2 new
        ("sydnarke", 2020, 2, 1, 0, 2, 0),
        ("sydnarke", 2021, None, None, None, None, None),
        ("sydnarke", 2022, 2, None, None, 1, 1)]          # not 2 new and SN-1 returning
    # every level of the förbund: the insats, its typ, its kommun, kön and age groups
    assert built.query("select insats, ar, nyinskrivna, aterkommande from marts.deltagare_ar where forbund = "
                       "'sydnarke' and insats <> '*' order by all") == [
        ("Arbetsträning Kumla", 2019, None, None), ("Arbetsträning Kumla", 2020, 1, 0),
        ("Arbetsträning Kumla", 2022, None, None),
        ("typ:projekt", 2019, None, None), ("typ:projekt", 2020, 1, 0), ("typ:projekt", 2022, None, None)]
    assert built.query("select ar, deltagare, nyinskrivna, aterkommande from marts.deltagare_kommun_ar "
                       "where forbund = 'sydnarke' and kommun = '1881' order by ar") == [
        (2019, 2, None, None), (2020, 2, 1, 0), (2021, None, None, None), (2022, 2, None, None)]
    assert built.query("select ar, sum(deltagare), count(nyinskrivna) from marts.deltagare_grupp_ar "
                       "where forbund = 'sydnarke' and dimension = 'kon' group by ar order by ar") == [
        (2019, 2, 0), (2020, 2, 3), (2021, None, 0), (2022, 2, 0)]


def test_time_in_insats_is_null_in_seam_years(built):
    assert built.query("select forbund, ar, avslutade, median_dagar, p25_dagar, pagaende_over_365 "
                       "from marts.tid_i_insats_ar where insats = '*' order by forbund, ar") == [
        ("sofint", 2019, 2, 212.0, 182.0, 0),            # 272 and 152 days: SO-1 began before ar_fran
        ("sydnarke", 2019, 1, None, None, None),
        ("sydnarke", 2020, 2, 242.5, 196.25, 0),         # SN-2 335 days, SN-3 150
        ("sydnarke", 2022, 1, None, None, None)]


def test_one_info_finding_per_seam_year_that_costs_no_points(built):
    assert built.query("select forbund, ar, insats, allvarlighet, hittat from marts.datakvalitet "
                       "where regel = 'forsta_registreringsar' order by all") == [
        ("sydnarke", 2019, "*", "info", "forsta"), ("sydnarke", 2022, "*", "info", "efter_uppehall")]
    assert built.query("select count(*) from marts.datakvalitet_poang where underlag like '%forsta_reg%'") == [(0,)]
