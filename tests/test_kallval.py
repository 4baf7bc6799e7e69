"""Which source a förbund-year takes around the SUS closure (sql/staging/kallval.sql), on a small hand-made build:
registrations, Uppföljning Finsam, reported counts, none, and a year two sources know (they disagree: the finding
names the difference, never a sum). sus_stangd is the shipped default, 2023-04-30: 2023 is the closure year."""
import pytest

from finsam.config import AVSLUT_KATEGORIER
from finsam.publish.guard import DataLoss
from tests.conftest import built_once

SUS = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
       "Sydnärke;Steget;P1;Nej;K;2022-02-01;2022-06-30;Arbete\n"
       "Sydnärke;Steget;P2;Nej;M;2022-03-01;;\n"
       "Sydnärke;Steget;P3;Nej;K;2023-01-10;2023-03-31;Studier\n")
AGGREGAT = ("Förbund;År;Insats;Uttag;Deltagare;Nyinskrivna;Avslutade;Avslut arbete/studier;Avslut jobb-/studieredo;"
            "Källa\nSOFINT;2022;;unika;20;8;6;3;1;SUS-rapport\n")
KATEGORIER = [*AVSLUT_KATEGORIER, "okand"]
UPPFOLJNING = ("Förbund;År;Insats;Inriktning;Kvinnor;Män;Totalt;Budgeterat antal deltagare;Budget;Utfall;Enhet\n"
               "Sydnärke;2023;Steget;Individinriktad;3;2;;;;;\n"
               "SOFINT;2023;Kompassen;Individinriktad;4;3;;10;500;450;tkr\n"
               "SOFINT;2023;Bron;Individinriktad;2;1;5;;;;\n"
               "SOFINT;2023;Nätverket;Strukturövergripande;;;40;;80;0;tkr\n")
AVSLUT = ("Förbund;År;Insats;Avslutsorsak;Antal;Källa\n"
          "SOFINT;2023;Kompassen;Arbete;2;Teamet\n"
          "SOFINT;2023;Kompassen;Studier;1;Teamet\n"
          "SOFINT;2023;Kompassen;Sjukdom;1;Teamet\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "kallval", (2022, 2024),
                      {"sus/a.csv": SUS, "sus_aggregat/r.csv": AGGREGAT, "uppfoljning/u.csv": UPPFOLJNING,
                       "avslut_rapporterade/a.csv": AVSLUT})


def test_each_forbund_year_takes_one_source(built):
    rows = built.query("select forbund, ar, kalla, deltagare, registreringar, avslutade, avslut_arbete_studier, "
                       "avslut_jobb_studieredo, nyinskrivna from marts.deltagare_ar where insats = '*' "
                       "and forbund in ('sydnarke', 'sofint') order by forbund, ar")
    assert rows == [
        # no registrations before the closure year: the report; the closure year: Uppföljning Finsam (Σ 7 + 5 over
        # the individinriktade insatser, not the strukturövergripande 40; avslut as reported: 2 arbete + 1 studier
        # + 1 sjukdom); after it, nothing
        ("sofint", 2022, "aggregat", 20, None, 6, 3, 1, 8),
        ("sofint", 2023, "uppfoljning", None, 12, 4, 3, 0, None),
        ("sofint", 2024, None, None, None, None, None, None, None),
        # before the closure year: registrations (P1, P2); the closure year: Uppföljning Finsam although
        # registrations cover it too (no avslut reported: NULL, not 0); after it: the open spell P2 from the register
        # 2022 is Sydnärke's first year of registrations: nyinskrivna NULL, not 2 of 2
        ("sydnarke", 2022, "sus", 2, 2, 1, 1, 0, None),
        ("sydnarke", 2023, "uppfoljning", None, 5, None, None, None, None),
        ("sydnarke", 2024, "sus", 1, 1, 0, 0, 0, 0)]
    assert built.query("select insats, deltagare, avslutade from marts.deltagare_ar where forbund = 'sofint' "
                       "and ar = 2023 and insats <> '*' order by insats") == [("Bron", 5, None), ("Kompassen", 7, 4)]


def test_one_series_across_the_break_in_jamforelse_ar(built):
    assert built.query("select forbund, ar, deltagare, deltagare_bas, andel_avslutade from marts.jamforelse_ar "
                       "where forbund in ('sydnarke', 'sofint') order by forbund, ar") == [
        ("sofint", 2022, 20, "unika", 6 / 20),
        ("sofint", 2023, 12, "summa_insatser", 4 / 12),
        ("sofint", 2024, None, None, None),
        ("sydnarke", 2022, 2, "unika", 1 / 2),
        ("sydnarke", 2023, 5, "summa_insatser", None),
        ("sydnarke", 2024, 1, "unika", 0.0)]


def test_the_break_and_the_second_source_are_findings(built):
    rows = built.query("select regel, allvarlighet, forbund, ar, insats, hittat, forvantat, varde "
                       "from marts.datakvalitet "
                       "where regel in ('uppfoljning_avviker', 'efter_sus_stangd', 'regimskifte', 'saknar_sus') "
                       "and forbund in ('sydnarke', 'sofint') order by regel, forbund, ar")
    assert rows == [
        ("efter_sus_stangd", "info", "sydnarke", 2024, "*", None, None, None),
        ("regimskifte", "info", "sofint", 2023, "*", "uppfoljning", "aggregat", None),
        ("regimskifte", "info", "sydnarke", 2023, "*", "uppfoljning", "sus", None),
        ("saknar_sus", "varning", "sofint", 2024, "*", None, None, None),
        # Uppföljning Finsam says 5 for Steget, the registrations 2 (P2 open, P3): +3. Info, not a warning: SUS
        # stopped on 30 April, so its registrations cover only part of the year and the full year may well be more
        ("uppfoljning_avviker", "info", "sydnarke", 2023, "Steget", "5", "2", 3.0)]
    texts = dict(built.query("select regel, beskrivning from marts.datakvalitet where forbund = 'sydnarke' "
                             "and regel in ('uppfoljning_avviker', 'efter_sus_stangd')"))
    assert texts["uppfoljning_avviker"].endswith("SUS closed on 2023-04-30, so its registrations cover only the year "
                                                  "up to then")
    assert "only the spells still open then, whose end nobody recorded" in texts["efter_sus_stangd"]


def test_a_register_of_the_forbunds_own_after_the_closure_is_reconciled_as_a_warning(project):
    """Registrations that start after sus_stangd are a register the förbund keeps itself: where Uppföljning Finsam
    disagrees with a whole year of it, that is a warning; so is a closure-year total below what SUS had already
    registered (5 people by 30 April cannot be 4 over the year)."""
    project.settings(2023, 2024)
    project.raw("sus/a.csv", SUS + "Sydnärke;Steget;P4;Nej;M;2024-02-01;;\n" + "".join(
        f"SOFINT;Bron;S{i};Nej;K;2023-01-0{i};;\n" for i in range(1, 6)))
    project.raw("uppfoljning/u.csv", UPPFOLJNING.replace("SOFINT;2023;Bron;Individinriktad;2;1;5;", "SOFINT;2023;Bron;"
                                                           "Individinriktad;2;1;4;")
                + "Sydnärke;2024;Steget;Individinriktad;1;1;2;;;;\n")
    project.build()
    assert project.query("select forbund, ar, insats, allvarlighet, varde from marts.datakvalitet "
                         "where regel = 'uppfoljning_avviker' order by forbund, ar, insats") == [
        ("sofint", 2023, "Bron", "varning", -1.0),         # 4 reported, 5 registered before the closure
        ("sofint", 2023, "Kompassen", "info", 7.0),        # 7 reported, none registered by 30 April: may be so
        ("sydnarke", 2023, "Steget", "varning", 3.0)]      # the register goes on past the closure (P4)
    # 2024: Steget's 2 agree with the register (P2 still open, P4 new): no finding


def test_uppfoljning_rows_for_a_year_counted_from_registrations_are_said_to_be_unused(project):
    """Before SUS closed a förbund-year with registrations is counted from them: Uppföljning Finsam rows for it are
    not used, and an info finding says so (they were dropped without a word)."""
    project.settings(2022, 2023)
    project.raw("sus/a.csv", SUS)
    project.raw("uppfoljning/u.csv", UPPFOLJNING + "Sydnärke;2022;Steget;Individinriktad;1;1;2;;;;\n"
                                                   "Sydnärke;2022;Bron;Individinriktad;0;1;1;;;;\n")
    project.build()
    assert project.query("select forbund, ar, allvarlighet, fil, varde from marts.datakvalitet "
                         "where regel = 'uppfoljning_anvands_inte'") == [
        ("sydnarke", 2022, "info", "raw/uppfoljning/u.csv", 2.0)]
    assert project.query("select kalla, deltagare from marts.deltagare_ar where forbund = 'sydnarke' and ar = 2022 "
                         "and insats = '*'") == [("sus", 2)]


def test_a_year_that_moves_to_another_source_is_a_change_and_one_that_loses_its_only_source_a_loss(project):
    project.settings(2023, 2023)
    project.raw("sus/a.csv", SUS)
    project.build()
    assert project.query("select kalla, deltagare from marts.deltagare_ar where forbund = 'sydnarke' "
                         "and insats = '*'") == [("sus", 2)]
    # Uppföljning Finsam arrives for 2023: the förbund row's deltagare goes to NULL (unique persons unknown), and
    # that is the new source, not a loss
    project.raw("uppfoljning/u.csv", UPPFOLJNING)
    notes = project.build(tillat_revision=True)  # 2023 is closed on TODAY: its changed counts are revisions
    assert "source changed: deltagare_ar sydnarke 2023: the counts now come from uppfoljning (were sus)" in notes
    assert project.query("select kalla, deltagare, registreringar from marts.deltagare_ar where forbund = 'sydnarke' "
                         "and insats = '*'") == [("uppfoljning", None, 5)]
    # both files withdrawn: the year loses its only source
    (project.data / "raw" / "sus" / "a.csv").unlink()
    (project.data / "raw" / "uppfoljning" / "u.csv").unlink()
    with pytest.raises(DataLoss) as lost:
        project.build()
    assert "deltagare_ar sydnarke 2023: registreringar would go from a value to NULL" in lost.value.lost


def test_insats_ar_holds_every_insats_year_from_its_source_with_plan_and_money(built):
    assert built.query("select forbund, insats, ar, inriktning, deltagare, kvinnor, man, budgeterat_antal, budget_kr, "
                       "utfall_kr, andel_av_plan, utfall_andel_av_budget, kalla from marts.insats_ar "
                       "where forbund in ('sydnarke', 'sofint') order by forbund, ar, insats") == [
        # Uppföljning Finsam: every insats, the strukturövergripande one too (its 40 are no deltagare of the
        # förbund); 500 and 450 tkr; 7 of a planned 10; utfall 450 / 500 of the budget, 0 / 80 for Nätverket
        ("sofint", "Bron", 2023, "individinriktad", 5, 2, 1, None, None, None, None, None, "uppfoljning"),
        ("sofint", "Kompassen", 2023, "individinriktad", 7, 4, 3, 10, 500_000.0, 450_000.0, 0.7, 0.9, "uppfoljning"),
        ("sofint", "Nätverket", 2023, "strukturovergripande", 40, None, None, None, 80_000.0, 0.0, None, 0.0,
         "uppfoljning"),
        # registrations: the insats rows of deltagare_ar, nothing per kön, plan or money
        ("sydnarke", "Steget", 2022, "individinriktad", 2, None, None, None, None, None, None, None, "sus"),
        ("sydnarke", "Steget", 2023, "individinriktad", 5, 3, 2, None, None, None, None, None, "uppfoljning"),
        ("sydnarke", "Steget", 2024, "individinriktad", 1, None, None, None, None, None, None, None, "sus")]


def test_reported_avslut_split_by_kategori_where_they_were_reported(built):
    rows = built.query("select forbund, insats, ar, kategori, avslutade, andel from marts.avslut_ar "
                       "where ar = 2023 and forbund in ('sydnarke', 'sofint') and avslutade is distinct from 0 "
                       "order by forbund, insats, kategori")
    # SOFINT 2023: Kompassen reported 2 arbete, 1 studier, 1 sjukdom (the förbund row the same, nothing else was
    # reported); Bron and Sydnärke reported nothing: NULL, not 0
    assert rows == [
        ("sofint", "*", 2023, "arbete", 2, 0.5), ("sofint", "*", 2023, "sjukdom", 1, 0.25),
        ("sofint", "*", 2023, "studier", 1, 0.25),
        *[("sofint", "Bron", 2023, k, None, None) for k in sorted(KATEGORIER)],
        ("sofint", "Kompassen", 2023, "arbete", 2, 0.5), ("sofint", "Kompassen", 2023, "sjukdom", 1, 0.25),
        ("sofint", "Kompassen", 2023, "studier", 1, 0.25),
        *[("sydnarke", "*", 2023, k, None, None) for k in sorted(KATEGORIER)],
        *[("sydnarke", "Steget", 2023, k, None, None) for k in sorted(KATEGORIER)]]


def test_kon_and_reported_avslut_in_deltagare_grupp_ar_from_uppfoljning(built):
    rows = built.query("select forbund, grupp, deltagare, nyinskrivna, avslutade, avslut_arbete_studier, "
                       "avslut_jobb_studieredo, kalla from marts.deltagare_grupp_ar where ar = 2023 "
                       "and dimension = 'kon' and forbund in ('sydnarke', 'sofint') order by forbund, grupp")
    assert rows == [
        # SOFINT: Kompassen 4 + 3 (no Totalt: 7), Bron 2 + 1 of 5 (2 without kön); Σ 12 = deltagare_ar's
        # registreringar. Its 4 reported avslut have no Kön column: okant (2 arbete + 1 studier)
        ("sofint", "kvinna", 6, None, 0, 0, 0, "uppfoljning"),
        ("sofint", "man", 4, None, 0, 0, 0, "uppfoljning"),
        ("sofint", "okant", 2, None, 4, 3, 0, "uppfoljning"),
        # Sydnärke: Steget 3 + 2, no avslut reported: NULL, not 0
        ("sydnarke", "kvinna", 3, None, None, None, None, "uppfoljning"),
        ("sydnarke", "man", 2, None, None, None, None, "uppfoljning"),
        ("sydnarke", "okant", 0, None, None, None, None, "uppfoljning")]
    # no persons, so no ages: every age group is NULL in a year from Uppföljning Finsam
    assert built.query("select count(*), count(deltagare) from marts.deltagare_grupp_ar where ar = 2023 "
                       "and dimension = 'alder' and forbund = 'sofint'") == [(8, 0)]
