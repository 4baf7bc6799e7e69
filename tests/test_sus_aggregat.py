"""Reported counts: they fill years without registrations, and reconciliation finds where they break.

Each file is read, validated and quarantined on its own, and reported counts are combined and reconciled per
förbund, insats, uttag and year, so every test's report (REPORTS: the registrations of Sydnärke, 2019-2020, and
each test's report under a name of its own) lies in one data directory that is built once. Each report holds a
förbund no other report holds (Lekeberg och Örebro, Degerfors/Karlskoga, Södra Norrbotten, Sydnärke, SOFINT), so
what the marts show for a förbund comes from one test's report; each test reads its own förbund or its own file's
findings. Only Sydnärke has registrations, and only its test compares a report with them.
"""
import pytest

from tests.conftest import Delad

AGG = "Förbund;År;Insats;Uttag;Deltagare;Nyinskrivna;Avslutade;Avslut arbete/studier;Avslut jobb-/studieredo;Källa\n"
SUS = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
       "Sydnärke;Steget;S1;Nej;K;2019-02-01;2019-06-30;Arbete\n"
       "Sydnärke;Steget;S2;Nej;M;2019-03-01;;\n")
REPORTS = Delad({"sus/sydnarke.csv": SUS})  # every file of the shared build


def report(name: str, agg: str) -> str:
    return REPORTS.fil(f"sus_aggregat/{name}.csv", AGG + agg)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """REPORTS, 2019-2020, built once."""
    return REPORTS.bygg(tmp_path_factory, "sus_aggregat", (2019, 2020))


report("lekeberg_orebro", "Finsam Lekeberg och Örebro;2019;;unika;10;6;4;2;1;manuell\n"
                          "Finsam Lekeberg och Örebro;2019;Vägen;;7;5;3;2;0;manuell\n")


def test_reported_counts_fill_years_without_registrations(reports):
    rows = reports.query("select insats, ar, deltagare, nyinskrivna, avslutade, avslut_arbete_studier, "
                         "avslut_jobb_studieredo, pagaende_vid_arets_slut, registreringar, anonyma, kalla "
                         "from marts.deltagare_ar where forbund = 'lekeberg_orebro' order by insats, ar")
    assert rows == [("*", 2019, 10, 6, 4, 2, 1, None, None, None, "aggregat"),
                    ("*", 2020, None, None, None, None, None, None, None, None, None),
                    ("Vägen", 2019, 7, 5, 3, 2, 0, None, None, None, "aggregat")]
    assert reports.query("select regel, ar from marts.datakvalitet where forbund = 'lekeberg_orebro' "
                         "and kalla in ('sus', 'sus_aggregat') order by regel, ar") == [
        ("aggregat_anvands", 2019), ("saknar_sus", 2020)]


STOCK_FLOW = report("rapporter", "Finsam Degerfors Karlskoga;2019;;;122;80;100;30;18;SUS-rapport\n"
                                 "Finsam Degerfors Karlskoga;2020;;;140;103;90;30;18;SUS-rapport\n")


def test_stock_flow_break_in_reported_counts_is_found_with_its_size(reports):
    # 2020: Deltagare - Nyinskrivna = 140 - 103 = 37 individuals at the start; 2019 ended with 122 - 100 = 22.
    rows = reports.query("select forbund, ar, insats, fil, rad, hittat, forvantat, varde, beskrivning "
                         "from marts.datakvalitet where regel = 'stock_flow' and fil = ?", [STOCK_FLOW])
    assert rows == [("degerfors_karlskoga", 2020, "*", "raw/sus_aggregat/rapporter.csv", 3, "37", "22", 15.0,
                     "reported counts break the stock-flow identity: Deltagare 140 - Nyinskrivna 103 = 37 at the "
                     "start of 2020, but Deltagare 122 - Avslutade 100 = 22 at the end of 2019 (+15 individuals, "
                     "uttag unika)")]


# Södra Norrbotten (SOFINT is the registered-only report's)
CONSISTENT = report("consistent", "Södra Norrbotten;2019;;;50;30;20;5;5;x\n"
                                  "Södra Norrbotten;2020;;;55;25;30;5;5;x\n")  # 55-25 = 30 = 50-20


def test_consistent_reported_counts_give_no_stock_flow_finding(reports):
    assert reports.query("select count(*) from marts.datakvalitet where regel = 'stock_flow' and fil = ?",
                         [CONSISTENT]) == [(0,)]


DISAGREES = report("disagrees", "Sydnärke;2019;;unika;3;2;0;1;0;SUS-rapport\n"
                                "Sydnärke;2019;;registrerade;4;;;;;SUS-rapport\n")


def test_report_that_disagrees_with_registrations_gives_one_finding_per_difference(reports):
    # registrations give Sydnärke 2019: deltagare 2, nyinskrivna 2, avslutade 1, arbete/studier 1, jobb 0
    rows = reports.query("select kolumn, hittat, forvantat, varde from marts.datakvalitet "
                         "where regel = 'aggregat_avviker' and fil = ? order by kolumn", [DISAGREES])
    assert rows == [("avslutade", "0", "1", -1.0), ("deltagare", "3", "2", 1.0), ("registreringar", "4", "2", 2.0)]
    assert reports.query("select deltagare, kalla from marts.deltagare_ar where forbund = 'sydnarke' "
                         "and ar = 2019 and insats = '*'") == [(2, "sus")], "registrations win over the report"


report("registered_only", "SOFINT;2019;;registrerade;80;;;;;SUS-rapport\n")


def test_registered_only_report_leaves_deltagare_null_with_a_finding(reports):
    assert reports.query("select deltagare, registreringar, kalla from marts.deltagare_ar "
                         "where forbund = 'sofint' and ar = 2019 and insats = '*'") == [(None, 80, "aggregat")]
    assert reports.query("select regel from marts.datakvalitet where forbund = 'sofint' and ar = 2019 "
                         "and kalla = 'sus'") == [("endast_registreringar",)]


PER_INSATS = report("per_insats", "SOFINT;2020;Bron;unika;5;3;2;1;0;manuell\n"
                                  "SOFINT;2020;Kompassen;unika;4;2;1;0;0;manuell\n")


def test_reported_counts_only_per_insats_say_so_rather_than_that_none_were_reported(reports):
    """Counts per insats but no förbund total: the förbund's counts are NULL (a person in two insatser would count
    twice), and the finding says why, not that nothing was reported."""
    assert reports.query("select deltagare from marts.deltagare_ar where forbund = 'sofint' and ar = 2020 "
                         "and insats = '*'") == [(None,)]
    texts = dict(reports.query("select forbund, beskrivning from marts.datakvalitet where regel = 'saknar_sus' "
                               "and ar = 2020 and forbund in ('sofint', 'lekeberg_orebro')"))
    assert texts["sofint"].startswith("no SUS registrations and no förbund total among the reported counts, only "
                                      "counts per insats")
    assert texts["lekeberg_orebro"].startswith("no SUS registrations and no reported counts for this förbund")
