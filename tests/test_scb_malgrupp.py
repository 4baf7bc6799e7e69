"""Target group (5 % of the population 16-64 on 31 December) and coverage, against the genomlysning's 2019 table.

tests/fixtures/scb/folkmangd_orebro_lan_2018_2019.csv is an SCB wide export of the twelve Örebro kommuner in age
groups 0-15, 16-19, 20-64 and 65+ by kön. Its 2019 population 16-64 is the genomlysning's target group x 20
(Lekeberg 190+180+2160+2070 = 4 600, Örebro 3100+2950+46010+44900 = 96 960, ...); Nora's 20-64 kvinnor is `..`
in 2018. sus_aggregat_2019.csv holds the förbund's 2019 deltagare (Sydnärke 131, Degerfors/Karlskoga 243,
SOFINT 73, Lekeberg och Örebro 42 + 121).
"""
import pytest

from tests.conftest import Project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("malgrupp"))
    project.settings(2018, 2019)
    project.copy_fixture("scb/folkmangd_orebro_lan_2018_2019.csv", "scb/folkmangd/orebro_lan.csv")
    project.copy_fixture("scb/sus_aggregat_2019.csv", "sus_aggregat/2019.csv")
    project.build()
    return project


def test_2019_target_groups_per_forbund_are_the_genomlysnings(built):
    rows = built.query("select forbund, befolkning_16_64, malgrupp from marts.malgrupp_ar where ar = 2019 "
                       "order by forbund")
    assert rows == [("degerfors_karlskoga", 23_140, 1_157.0), ("lekeberg_orebro", 101_560, 5_078.0),
                    ("sodra_norrbotten", None, None), ("sofint", 25_940, 1_297.0), ("sydnarke", 31_520, 1_576.0)]
    assert sum(r[2] for r in rows if r[2]) == 9_108


def test_lekeberg_and_orebro_have_their_own_target_groups(built):
    assert built.query("select kommun, kommun_namn, befolkning_16_64, malgrupp from marts.malgrupp_kommun "
                       "where forbund = 'lekeberg_orebro' and ar = 2019 order by kommun") == [
        ("1814", "Lekeberg", 4_600, 230.0), ("1880", "Örebro", 96_960, 4_848.0)]


def test_2019_coverage_is_deltagare_over_target_group(built):
    rows = {f: (m, t) for f, m, t in built.query(
        "select forbund, malgrupp, tackningsgrad from marts.jamforelse_ar where ar = 2019 and malgrupp is not null")}
    assert rows["sydnarke"][0] == pytest.approx(1576) and round(rows["sydnarke"][1], 3) == 0.083  # 131 / 1 576
    assert round(rows["degerfors_karlskoga"][1], 2) == 0.21                                     # 243 / 1 157
    assert round(rows["sofint"][1], 3) == 0.056                                                  # 73 / 1 297
    (total,), = built.query("select sum(deltagare) / sum(malgrupp) from marts.jamforelse_ar "
                            "where ar = 2019 and malgrupp is not null")
    assert round(total, 2) == 0.07                                                               # 610 / 9 108


def test_a_missing_member_population_makes_the_forbund_null_not_a_partial_sum(built):
    assert built.query("select kommun, befolkning_16_64 from marts.malgrupp_kommun "
                       "where forbund = 'sofint' and ar = 2018 and befolkning_16_64 is null") == [("1884", None)]
    assert built.query("select befolkning_16_64, malgrupp from marts.malgrupp_ar "
                       "where forbund = 'sofint' and ar = 2018") == [(None, None)]
    assert built.query("select forbund, ar, allvarlighet, beskrivning from marts.datakvalitet "
                       "where regel = 'saknar_befolkning' and forbund = 'sofint'") == [
        ("sofint", 2018, "varning", "population 16-64 on 31 December 2018 is missing for 1884 Nora: malgrupp and "
                                    "tackningsgrad are NULL, not a partial sum")]


def test_forbund_without_population_files_is_null_with_a_finding(built):
    assert built.query("select ar, malgrupp from marts.malgrupp_ar where forbund = 'sodra_norrbotten' "
                       "order by ar") == [(2018, None), (2019, None)]
    assert built.query("select ar, varde from marts.datakvalitet where regel = 'saknar_befolkning' "
                       "and forbund = 'sodra_norrbotten' order by ar") == [(2018, 3.0), (2019, 3.0)]


def test_boden_counts_for_sodra_norrbotten_from_2021_not_2020(project):
    project.settings(2020, 2021)
    project.copy_fixture("scb/folkmangd_norrbotten_2020_2021.csv", "scb/folkmangd/norrbotten.csv")
    project.build()
    assert project.query("select ar, kommun from marts.malgrupp_kommun where forbund = 'sodra_norrbotten' "
                         "and kommun = '2582'") == [(2021, "2582")]
    assert project.query("select ar, kommuner, befolkning_16_64, malgrupp from marts.malgrupp_ar "
                         "where forbund = 'sodra_norrbotten' order by ar") == [
        (2020, 3, 49_000 + 25_500 + 4_600, 3_955.0),            # Luleå, Piteå, Älvsbyn
        (2021, 4, 49_100 + 25_600 + 4_700 + 17_100, 4_825.0)]   # and Boden, member from 2021-06-01


def test_a_kommun_that_leaves_mid_year_stops_counting_that_year(project):
    forbund = project.config / "forbund.yaml"
    forbund.write_text(forbund.read_text(encoding="utf-8").replace(
        '{kommun: "2560", namn: Älvsbyn, fran: 2010-01-01, till: null}',
        '{kommun: "2560", namn: Älvsbyn, fran: 2010-01-01, till: 2021-06-30}'), encoding="utf-8")
    project.settings(2020, 2021)
    project.copy_fixture("scb/folkmangd_norrbotten_2020_2021.csv", "scb/folkmangd/norrbotten.csv")
    project.build()
    assert project.query("select ar, string_agg(kommun, ',' order by kommun) from marts.malgrupp_kommun "
                         "where forbund = 'sodra_norrbotten' group by ar order by ar") == [
        (2020, "2560,2580,2581"), (2021, "2580,2581,2582")]

