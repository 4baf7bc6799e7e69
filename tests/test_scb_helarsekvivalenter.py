"""Helårsekvivalenter per förbund: kommun figures weighted by population (sum of counts over sum of population),
counts rebuilt from shares when only shares are given, beside riket.

Seed 002 prints Sydnärke's 2023 figures only as percentages by kön (Askersund män 8,83 %, kvinnor 13,12 %, ...)
and riket 11,9; tests/fixtures/scb/helarsekvivalenter_sydnarke_2023.csv holds them as Statisticon exports them.
The population 20-64 on 31 December 2023 (folkmangd_sydnarke_2023.csv, long layout) is invented:
Askersund män 3 000, kvinnor 2 800; Hallsberg 4 400 / 4 100; Kumla 6 100 / 5 800; Laxå 1 450 / 1 350.

Each file is read, validated and quarantined on its own, so the files of the tests set in 2019 that read only their
own file's rows (FILES: the rejected files, and the wide-layout file as first written and as corrected, each under
a name of its own) lie in one data directory that is built once. Helårsekvivalenter rows of one region, kön,
ersättning and year in several files are combined (the newest file's row wins), riket's figures give andel_riket
to every förbund, and the corrected wide-layout file is the only one of them that loads: it holds rows no other
file there holds (Degerfors män, sjukpenning, 2018 and 2019). The tests that read figures of every förbund, riket
or every finding (the count of a rule) build on their own, as do those of other years (Sydnärke 2023 is built once
for the tests that read it).
"""
import pytest

from tests.conftest import Delad, Project

HEK = "region;kön;ersättning;år;helårsekvivalenter\n"
FILES = Delad()  # every file of the shared build of 2019


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """FILES, 2019, built once."""
    return FILES.bygg(tmp_path_factory, "hek_2019", (2019, 2019))


@pytest.fixture(scope="module")
def sydnarke(tmp_path_factory):
    project = Project(tmp_path_factory.mktemp("hek"))
    project.settings(2023, 2023)
    project.copy_fixture("scb/folkmangd_sydnarke_2023.csv", "scb/folkmangd/sydnarke.csv")
    project.copy_fixture("scb/helarsekvivalenter_sydnarke_2023.csv", "scb/helarsekvivalenter/sydnarke.csv")
    project.build()
    return project


def test_seed_002_kommun_shares_are_weighted_by_population(sydnarke):
    men = 0.0883 * 3000 + 0.0978 * 4400 + 0.1032 * 6100 + 0.1403 * 1450      # 1 528.175 helårsekvivalenter
    women = 0.1312 * 2800 + 0.1518 * 4100 + 0.1449 * 5800 + 0.1737 * 1350    # 2 064.655
    men_pop, women_pop = 3000 + 4400 + 6100 + 1450, 2800 + 4100 + 5800 + 1350  # 14 950, 14 050
    rows = {r[0]: r[1:] for r in sydnarke.query(
        "select kon, helarsekvivalenter, befolkning_20_64, andel, andel_riket, rekonstruerad "
        "from marts.helarsekvivalenter_ar where forbund = 'sydnarke' and ar = 2023 and ersattning = 'totalt'")}
    assert rows["man"][:2] == (pytest.approx(men), men_pop)
    assert rows["kvinna"][:2] == (pytest.approx(women), women_pop)
    assert rows["man"][2] == pytest.approx(men / men_pop)                      # 10.22 %
    assert rows["kvinna"][2] == pytest.approx(women / women_pop)              # 14.69 %
    total = (men + women) / (men_pop + women_pop)
    assert rows["totalt"][2] == pytest.approx(total) and round(total, 4) == 0.1239
    assert round(total, 4) != round((8.83 + 13.12 + 9.78 + 15.18 + 10.32 + 14.49 + 14.03 + 17.37) / 8 / 100, 4)
    assert rows["totalt"][3] == pytest.approx(0.119)                           # riket 11,9
    assert all(r[4] is True for r in rows.values())


def test_reconstruction_from_shares_is_said_in_a_finding(sydnarke):
    assert sydnarke.query("select kommun, kon, helarsekvivalenter, andel_angiven from "
                          "marts.helarsekvivalenter_kommun where kommun = '1882' and ersattning = 'totalt' "
                          "order by kon") == [("1882", "kvinna", pytest.approx(0.1312 * 2800), 0.1312),
                                              ("1882", "man", pytest.approx(0.0883 * 3000), 0.0883),
                                              ("1882", "totalt", pytest.approx(0.1312 * 2800 + 0.0883 * 3000), None)]
    assert sydnarke.query("select regel, allvarlighet, forbund, ar, beskrivning from marts.datakvalitet "
                          "where regel = 'rekonstruerad_fran_andel'") == [
        ("rekonstruerad_fran_andel", "info", "sydnarke", 2023,
         "only shares were given for 1860 Laxå, 1861 Hallsberg, 1881 Kumla, 1882 Askersund: helårsekvivalenter = "
         "andel x population 20-64 of the kommun and kön")]


def test_shares_are_stored_as_fractions(sydnarke):
    assert sydnarke.query("select andel from staging.helarsekvivalenter_rader where kommun = '00'") == [(0.119,)]


def test_counts_are_summed_and_a_missing_member_makes_the_forbund_null(project):
    """Its own build: it reads riket's share for every förbund and counts every saknar_riket finding."""
    project.settings(2019, 2019)
    project.copy_fixture("scb/folkmangd_orebro_lan_2018_2019.csv", "scb/folkmangd/orebro_lan.csv")
    # population 20-64 in 2019: Degerfors 2 590 + 2 460, Karlskoga 8 460 + 8 200
    project.raw("scb/helarsekvivalenter/counts.csv", HEK + "1862 Degerfors;totalt;totalt;2019;780\n"
                "1883 Karlskoga;totalt;totalt;2019;2 300\n1885 Lindesberg;totalt;totalt;2019;1 500\n"
                "00 Riket;totalt;totalt;2019;700 000\n")
    project.build()
    assert project.query("select forbund, helarsekvivalenter, befolkning_20_64, andel, rekonstruerad "
                         "from marts.helarsekvivalenter_ar where ar = 2019 and kon = 'totalt' "
                         "and ersattning = 'totalt' and forbund in ('degerfors_karlskoga', 'sofint') "
                         "order by forbund") == [
        ("degerfors_karlskoga", 3_080.0, 21_710, pytest.approx((780 + 2_300) / (2_590 + 2_460 + 8_460 + 8_200)),
         False),
        ("sofint", None, 12_780 + 5_610 + 3_670 + 2_290, None, None)]
    assert project.query("select beskrivning from marts.datakvalitet where regel = 'saknar_helarsekvivalenter' "
                         "and forbund = 'sofint'") == [
        ("helarsekvivalenter_andel is NULL: no helårsekvivalenter for 1863 Hällefors, 1864 Ljusnarsberg, "
         "1884 Nora",)]
    # riket gives a count but no share and there is no population for region 00: andel_riket stays NULL
    assert project.query("select distinct andel_riket from marts.helarsekvivalenter_ar where ar = 2019 "
                         "and kon = 'totalt' and ersattning = 'totalt'") == [(None,)]
    assert project.query("select count(*) from marts.datakvalitet where regel = 'saknar_riket'") == [(1,)]


# the file as first written, and as corrected (the row with 'pension' removed)
WIDE = FILES.fil("scb/helarsekvivalenter/wide.csv", '"region","kön","ersättning","andel 2018","andel 2019"\n'
                 '"1862 Degerfors","män","Sjukpenning","2,1","2,0"\n"1862 Degerfors","män","pension","5,0","5,1"\n')
WIDE_CORRECTED = FILES.fil("scb/helarsekvivalenter/wide_corrected.csv",
                           '"region","kön","ersättning","andel 2018","andel 2019"\n'
                           '"1862 Degerfors","män","Sjukpenning","2,1","2,0"\n')


def test_wide_layout_and_unknown_ersattning_message(corpus):
    assert corpus.query("select rad, kolumn, hittat, forvantat, beskrivning from marts.datakvalitet "
                        "where fil = ?", [WIDE]) == [
        (3, "ersättning", "pension", "sjukpenning, sjuk- och aktivitetsersättning, arbetslöshetsersättning, "
                                     "ekonomiskt bistånd, etableringsersättning or totalt",
         "not a valid ersättning")]
    assert corpus.query("select kommun, ar, kon, ersattning, andel from staging.helarsekvivalenter_rader "
                        "where fil = ? order by ar", [WIDE_CORRECTED]) == [("1862", 2018, "man", "sjukpenning", 0.021),
                                                                           ("1862", 2019, "man", "sjukpenning", 0.02)]


def test_jamforelse_ar_carries_the_forbund_share_beside_riket(sydnarke):
    men = 0.0883 * 3000 + 0.0978 * 4400 + 0.1032 * 6100 + 0.1403 * 1450
    women = 0.1312 * 2800 + 0.1518 * 4100 + 0.1449 * 5800 + 0.1737 * 1350
    (andel, riket), = sydnarke.query("select helarsekvivalenter_andel, helarsekvivalenter_andel_riket "
                                     "from marts.jamforelse_ar where forbund = 'sydnarke' and ar = 2023")
    assert andel == pytest.approx((men + women) / (14_950 + 14_050)) and riket == pytest.approx(0.119)


POP = "region;ålder;kön;år;antal\n"


def test_counts_above_the_population_make_the_share_null_with_a_warning_not_a_failed_run(project):
    """Its own build: 2020, and it reads every file's status and riket's share."""
    project.settings(2020, 2020)
    # Luleå: 45 000 aged 20-64, the file says 50 000 helårsekvivalenter; Piteå by kön, män above their population
    project.raw("scb/folkmangd/norrbotten.csv", POP + "2580 Luleå;20-64 år;totalt;2020;45 000\n"
                "2581 Piteå;20-64 år;män;2020;12 000\n2581 Piteå;20-64 år;kvinnor;2020;11 500\n"
                "2560 Älvsbyn;20-64 år;totalt;2020;4 400\n00 Riket;20-64 år;totalt;2020;5 500 000\n")
    project.raw("scb/helarsekvivalenter/norrbotten.csv", "region;kön;ersättning;år;helårsekvivalenter;andel\n"
                "2580 Luleå;totalt;totalt;2020;50 000;\n2581 Piteå;män;totalt;2020;13 000;\n"
                "2581 Piteå;kvinnor;totalt;2020;1 000;\n2560 Älvsbyn;totalt;totalt;2020;300;\n"
                "00 Riket;totalt;totalt;2020;6 000 000;11,9\n")
    project.build()  # no blocking check fails: the run publishes
    assert project.query("select status from marts.inlasta_filer order by fil") == [("inlast",), ("inlast",)]
    assert project.query("select kommun, kon, helarsekvivalenter, befolkning_20_64, andel, over_befolkning "
                         "from marts.helarsekvivalenter_kommun where ar = 2020 and ersattning = 'totalt' "
                         "and helarsekvivalenter is not null order by kommun, kon") == [
        ("2560", "totalt", 300.0, 4_400, pytest.approx(300 / 4_400), False),
        ("2580", "totalt", 50_000.0, 45_000, None, True),
        ("2581", "kvinna", 1_000.0, 11_500, pytest.approx(1_000 / 11_500), False),
        ("2581", "man", 13_000.0, 12_000, None, True),
        # kvinna + man holds a count above its population: the kön total's share is NULL too
        ("2581", "totalt", 14_000.0, 23_500, None, True)]
    assert project.query("select kon, helarsekvivalenter, befolkning_20_64, andel, andel_riket "
                         "from marts.helarsekvivalenter_ar where forbund = 'sodra_norrbotten' and ar = 2020 "
                         "and ersattning = 'totalt' order by kon") == [
        ("kvinna", None, None, None, None), ("man", None, None, None, None),
        ("totalt", None, 45_000 + 23_500 + 4_400, None, pytest.approx(0.119))]  # riket: count above population
    assert project.query("select helarsekvivalenter_andel from marts.jamforelse_ar "
                         "where forbund = 'sodra_norrbotten' and ar = 2020") == [(None,)]
    assert project.query("select regel, allvarlighet, forbund, ar, fil, rad, kolumn, hittat, forvantat, "
                         "beskrivning, varde from marts.datakvalitet where regel = "
                         "'helarsekvivalenter_over_befolkning' order by forbund nulls last, beskrivning") == [
        ("helarsekvivalenter_over_befolkning", "varning", "sodra_norrbotten", 2020,
         "raw/scb/helarsekvivalenter/norrbotten.csv", 2, "helarsekvivalenter", "50000",
         "at most the population 20-64 (45000)",
         "helårsekvivalenter of 2580 Luleå (totalt, totalt) in 2020 exceed its population 20-64 on 31 December: "
         "andel is NULL, and so is the förbund's sum for this kön and ersättning", 50_000.0),
        ("helarsekvivalenter_over_befolkning", "varning", "sodra_norrbotten", 2020,
         "raw/scb/helarsekvivalenter/norrbotten.csv", 3, "helarsekvivalenter", "13000",
         "at most the population 20-64 (12000)",
         "helårsekvivalenter of 2581 Piteå (man, totalt) in 2020 exceed its population 20-64 on 31 December: "
         "andel is NULL, and so is the förbund's sum for this kön and ersättning", 13_000.0),
        ("helarsekvivalenter_over_befolkning", "varning", None, 2020, "raw/scb/helarsekvivalenter/norrbotten.csv",
         6, "helarsekvivalenter", "6000000", "at most the population 20-64 (5500000)",
         "helårsekvivalenter of 00 Riket (totalt, totalt) in 2020 exceed its population 20-64 on 31 December: "
         "andel_riket is the share printed in the file", 6_000_000.0)]
    assert project.query("select beskrivning from marts.datakvalitet where regel = 'saknar_helarsekvivalenter' "
                         "and forbund = 'sodra_norrbotten'") == [
        ("helarsekvivalenter_andel is NULL: helårsekvivalenter above the population 20-64 for 2580 Luleå, "
         "2581 Piteå",)]


def test_riket_share_is_its_count_over_its_population_else_the_printed_share(project):
    """Its own build: its riket figures are every förbund's andel_riket, and it counts every inga_medlemskommuner
    finding."""
    project.settings(2019, 2019)
    project.raw("scb/folkmangd/riket.csv", POP + "00 Riket;20-64 år;totalt;2019;5 000 000\n")
    project.raw("scb/helarsekvivalenter/riket.csv", "region;kön;ersättning;år;helårsekvivalenter;andel\n"
                "00 Riket;totalt;totalt;2019;700 000;11,9\n00 Riket;män;totalt;2019;380 000;12,5\n"
                "00 Riket;kvinnor;totalt;2019;;11,3\n")
    project.build()
    assert project.query("select kon, andel_riket from marts.helarsekvivalenter_ar where forbund = 'sydnarke' "
                         "and ar = 2019 and ersattning = 'totalt' order by kon") == [
        ("kvinna", 0.113),                             # only a share
        ("man", 0.125),                                # a count, but no population for riket män
        ("totalt", pytest.approx(700_000 / 5_000_000))]  # 0.14, the definition of the förbund shares, not 11,9 %
    assert project.query("select count(*) from marts.datakvalitet where regel = 'inga_medlemskommuner'") == [(0,)]


BARE_YEAR = FILES.fil("scb/helarsekvivalenter/bare_year.csv", '"region","kön","ersättning","andel 2018","2019"\n'
                      '"1862 Degerfors","män","totalt","2,1","2,0"\n')


def test_a_bare_year_header_in_a_helarsekvivalenter_file_rejects_it(corpus):
    assert corpus.query("select status from marts.inlasta_filer where fil = ?", [BARE_YEAR]) == [("avvisad",)]
    assert corpus.query("select regel, allvarlighet, rad, kolumn, hittat, forvantat, beskrivning "
                        "from marts.datakvalitet where fil = ?", [BARE_YEAR]) == [
        ("fil_avvisad", "fel", 1, "2019", "2019", "a measure and a year such as 'helårsekvivalenter 2019' or "
                                                  "'andel 2019'",
         "the header holds a year that is not read as a year column, so its figures would be lost")]


PROCENT = FILES.fil("scb/helarsekvivalenter/procent.csv", "region;kön;ersättning;år;andel\n"
                                                          "1862 Degerfors;totalt;totalt;2019;112,0\n")


def test_a_share_above_100_percent_still_rejects_the_file(corpus):
    assert corpus.query("select status from marts.inlasta_filer where fil = ?", [PROCENT]) == [("avvisad",)]
    assert corpus.query("select regel, rad, kolumn, hittat, forvantat, beskrivning from marts.datakvalitet "
                        "where fil = ?", [PROCENT]) == [
        ("fil_avvisad", 2, "andel", "112,0", "a share in % from 0 to 100", "share out of range")]
