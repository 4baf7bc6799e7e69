"""Reported counts: they fill years without registrations, and reconciliation finds where they break."""
AGG = "Förbund;År;Insats;Uttag;Deltagare;Nyinskrivna;Avslutade;Avslut arbete/studier;Avslut jobb-/studieredo;Källa\n"
SUS = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
       "Sydnärke;Steget;S1;Nej;K;2019-02-01;2019-06-30;Arbete\n"
       "Sydnärke;Steget;S2;Nej;M;2019-03-01;;\n")


def build(project, agg: str):
    project.settings(2019, 2020)
    project.raw("sus/sydnarke.csv", SUS)
    project.raw("sus_aggregat/rapporter.csv", AGG + agg)
    project.build()
    return project


def test_reported_counts_fill_years_without_registrations(project):
    build(project, "Finsam Lekeberg och Örebro;2019;;unika;10;6;4;2;1;manuell\n"
                   "Finsam Lekeberg och Örebro;2019;Vägen;;7;5;3;2;0;manuell\n")
    rows = project.query("select insats, ar, deltagare, nyinskrivna, avslutade, avslut_arbete_studier, "
                         "avslut_jobb_studieredo, pagaende_vid_arets_slut, registreringar, anonyma, kalla "
                         "from marts.deltagare_ar where forbund = 'lekeberg_orebro' order by insats, ar")
    assert rows == [("*", 2019, 10, 6, 4, 2, 1, None, None, None, "aggregat"),
                    ("*", 2020, None, None, None, None, None, None, None, None, None),
                    ("Vägen", 2019, 7, 5, 3, 2, 0, None, None, None, "aggregat")]
    assert project.query("select regel, ar from marts.datakvalitet where forbund = 'lekeberg_orebro' "
                         "and kalla in ('sus', 'sus_aggregat') order by regel, ar") == [
        ("aggregat_anvands", 2019), ("saknar_sus", 2020)]


def test_stock_flow_break_in_reported_counts_is_found_with_its_size(project):
    # 2020: Deltagare - Nyinskrivna = 140 - 103 = 37 individuals at the start; 2019 ended with 122 - 100 = 22.
    build(project, "Finsam Degerfors Karlskoga;2019;;;122;80;100;30;18;SUS-rapport\n"
                   "Finsam Degerfors Karlskoga;2020;;;140;103;90;30;18;SUS-rapport\n")
    rows = project.query("select forbund, ar, insats, fil, rad, hittat, forvantat, varde, beskrivning "
                         "from marts.datakvalitet where regel = 'stock_flow'")
    assert rows == [("degerfors_karlskoga", 2020, "*", "raw/sus_aggregat/rapporter.csv", 3, "37", "22", 15.0,
                     "reported counts break the stock-flow identity: Deltagare 140 - Nyinskrivna 103 = 37 at the "
                     "start of 2020, but Deltagare 122 - Avslutade 100 = 22 at the end of 2019 (+15 individuals, "
                     "uttag unika)")]


def test_consistent_reported_counts_give_no_stock_flow_finding(project):
    build(project, "SOFINT;2019;;;50;30;20;5;5;x\nSOFINT;2020;;;55;25;30;5;5;x\n")  # 55-25 = 30 = 50-20
    assert project.query("select count(*) from marts.datakvalitet where regel = 'stock_flow'") == [(0,)]


def test_report_that_disagrees_with_registrations_gives_one_finding_per_difference(project):
    # registrations give Sydnärke 2019: deltagare 2, nyinskrivna 2, avslutade 1, arbete/studier 1, jobb 0
    build(project, "Sydnärke;2019;;unika;3;2;0;1;0;SUS-rapport\nSydnärke;2019;;registrerade;4;;;;;SUS-rapport\n")
    rows = project.query("select kolumn, hittat, forvantat, varde from marts.datakvalitet "
                         "where regel = 'aggregat_avviker' order by kolumn")
    assert rows == [("avslutade", "0", "1", -1.0), ("deltagare", "3", "2", 1.0), ("registreringar", "4", "2", 2.0)]
    assert project.query("select deltagare, kalla from marts.deltagare_ar where forbund = 'sydnarke' "
                         "and ar = 2019 and insats = '*'") == [(2, "sus")], "registrations win over the report"


def test_registered_only_report_leaves_deltagare_null_with_a_finding(project):
    build(project, "SOFINT;2019;;registrerade;80;;;;;SUS-rapport\n")
    assert project.query("select deltagare, registreringar, kalla from marts.deltagare_ar "
                         "where forbund = 'sofint' and ar = 2019 and insats = '*'") == [(None, 80, "aggregat")]
    assert project.query("select regel from marts.datakvalitet where forbund = 'sofint' and ar = 2019 "
                         "and kalla = 'sus'") == [("endast_registreringar",)]
