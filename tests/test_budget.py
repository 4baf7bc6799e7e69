"""raw/budget/ and the delår of raw/ekonomi/: the version rule, budget against utfall per kategori and insats, the
delår's prognosis (the förbund's own, else linear), the budget_varning finding, and bad rows rejected with their row
and column. Hand-computed on small files through the shipped config/kostnadsmappning.csv.

SOFINT 2025, in kr:
  budget 2024-11-20 (budget)            Kansli 1 000 000, Samverkansteamet 2 000 000, Medlemsbidrag 3 000 000
  budget 2025-01-10 (budget)            Kansli 1 050 000, Samverkansteamet 2 000 000, Medlemsbidrag 3 000 000
  budget 2025-03-15 (reviderad budget)  Kansli 1 100 000, Samverkansteamet 2 000 000, Medlemsbidrag 3 000 000  <- counts
  prognos 2025-05-01                    Kansli 1 300 000
  prognos 2025-09-30                    Kansli 1 150 000                                                    <- counts
  årsredovisning                        Kansli 1 050 000, Samverkansteamet 1 900 000, Medlemsbidrag 3 000 000
  delår to 2025-08-31 (243 of 365 days) Kansli 700 000, Samverkansteamet 800 000, Medlemsbidrag 2 000 000
Sydnärke 2025: budget Förbundschef 100 000, Samordningsteam 1 000 000; a delår to 2025-06-30 (181 days) with
Förbundschef 60 000 (linear 60 000 × 365 / 181 = 120 994, 21.0 % over the budget: prognos_over_budget) and
Samordningsteam 400 000 (linear 806 630, under).
"""
import pytest

from finsam.io.findings import ConfigError
from finsam.publish.guard import DataLoss
from finsam.report import budget
from tests.conftest import Project, built_once

BUDGET_HEAD = "Förbund;År;Post;Belopp;Enhet;Typ;Version;Beslutad;Insats\n"
BUDGET = BUDGET_HEAD + "".join(
    f"SOFINT;2025;{post};{belopp};kr;{typ};{version};{beslutad};{insats}\n"
    for version, beslutad, kansli in (("budget", "2024-11-20", "1 000 000"), ("Budget", "2025-01-10", "1 050 000"),
                                      ("reviderad budget", "2025-03-15", "1 100 000"))
    for post, belopp, typ, insats in (("Köpt tjänst förbundschef", kansli, "kostnad", ""),
                                      ("Samverkansteamet", "2 000 000", "kostnad", "Samverkansteamet"),
                                      ("Medlemsbidrag Försäkringskassan", "3 000 000", "intäkt", ""))) + (
    "SOFINT;2025;Köpt tjänst förbundschef;1 300;tkr;kostnad;prognos;2025-05-01;\n"
    "SOFINT;2025;Köpt tjänst förbundschef;1 150 000;kr;kostnad;Prognos;2025-09-30;\n"
    "Sydnärke;2025;Köp av tjänst förbundschef;100 000;kr;kostnad;budget;2024-11-29;\n"
    "Sydnärke;2025;Utbetalda projektmedel Samordningsteam;1 000 000;kr;kostnad;budget;2024-11-29;samordningsteam\n")
EKONOMI_HEAD = "Förbund;År;Post;Belopp;Enhet;Typ\n"
ARSREDOVISNING = EKONOMI_HEAD + (
    "SOFINT;2025;Medlemsbidrag Försäkringskassan;3 000 000;kr;intäkt\n"
    "SOFINT;2025;Köpt tjänst förbundschef;1 050 000;kr;kostnad\n"
    "SOFINT;2025;Samverkansteamet;1 900 000;kr;kostnad\n")
DELAR = "Förbund;År;Post;Belopp;Enhet;Typ;Period till\n" + (
    "SOFINT;2025;Medlemsbidrag Försäkringskassan;2 000 000;kr;intäkt;2025-08-31\n"
    "SOFINT;2025;Köpt tjänst förbundschef;700 000;kr;kostnad;2025-08-31\n"
    "SOFINT;2025;Samverkansteamet;800 000;kr;kostnad;2025-08-31\n"
    "Sydnärke;2025;Köp av tjänst förbundschef;60 000;kr;kostnad;2025-06-30\n"
    "Sydnärke;2025;Utbetalda projektmedel Samordningsteam;400 000;kr;kostnad;2025-06-30\n")
FILES = {"budget/budget_2025.csv": BUDGET, "ekonomi/sofint_2025.csv": ARSREDOVISNING,
         "ekonomi/delar_2025.csv": DELAR}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    return built_once(tmp_path_factory, "budget", (2025, 2025), FILES)


def test_the_revised_budget_decided_last_and_the_latest_prognosis_count(built):
    assert built.query("select kategori, budget, prognos, utfall, avvikelse, avvikelse_andel, budget_version, "
                       "budget_beslutad::varchar, prognos_beslutad::varchar from marts.budget_utfall_ar "
                       "where forbund = 'sofint' and insats = '*' order by kategori") == [
        ("administration", 1_100_000.0, 1_150_000.0, 1_050_000.0, -50_000.0, -50_000 / 1_100_000,
         "reviderad budget", "2025-03-15", "2025-09-30"),
        ("individinriktade_insatser", 2_000_000.0, None, 1_900_000.0, -100_000.0, -0.05,
         "reviderad budget", "2025-03-15", "2025-09-30"),
        ("medlemsbidrag_stat", 3_000_000.0, None, 3_000_000.0, 0.0, 0.0, "reviderad budget", "2025-03-15",
         "2025-09-30")]


def test_an_insats_row_takes_its_utfall_from_the_arsredovisning_lines_tied_to_it(built):
    assert built.query("select forbund, insats, kategori, budget, utfall, avvikelse, utfall_kalla "
                       "from marts.budget_utfall_ar where insats <> '*' order by forbund") == [
        ("sofint", "Samverkansteamet", "individinriktade_insatser", 2_000_000.0, 1_900_000.0, -100_000.0,
         "arsredovisning"),
        # the register's spelling; no årsredovisning nor Uppföljning Finsam for Sydnärke 2025 here
        ("sydnarke", "Samordningsteam", "individinriktade_insatser", 1_000_000.0, None, None, None)]


def test_the_delar_prognosis_is_the_forbunds_own_else_linear(built):
    rows = built.query("select kategori, utfall_hittills, budget_helar, forbrukad_andel, forvantad_andel, "
                       "prognos_helar, prognos_kalla from marts.delar_ar where forbund = 'sofint' "
                       "and period_till = date '2025-08-31' order by kategori")
    assert rows == [
        ("administration", 700_000.0, 1_100_000.0, 700_000 / 1_100_000, 243 / 365, 1_150_000.0, "forbund"),
        ("individinriktade_insatser", 800_000.0, 2_000_000.0, 0.4, 243 / 365, round(800_000 / (243 / 365), 2),
         "linjar"),
        ("medlemsbidrag_stat", 2_000_000.0, 3_000_000.0, 2 / 3, 243 / 365, round(2_000_000 / (243 / 365), 2),
         "linjar")]
    assert rows[1][5] == 1_201_646.09


def test_a_delar_never_enters_the_whole_year_marts(built):
    assert built.query("select kostnad_admin, kostnad_individ, medlemsbidrag from marts.ekonomi_ar "
                       "where forbund = 'sofint'") == [(1_050_000.0, 1_900_000.0, 3_000_000.0)]
    assert built.query("select forbund, count(*) from staging.ekonomi_rader group by all") == [("sofint", 3)]
    assert built.query("select count(*), min(period_till)::varchar from staging.ekonomi_delar_rader") == [
        (5, "2025-06-30")]
    # Sydnärke has only a delår: no årsredovisning for 2025, so no whole-year figures and a saknar_ekonomi finding
    assert built.query("select kostnader_totalt from marts.ekonomi_ar where forbund = 'sydnarke'") == [(None,)]
    assert built.query("select count(*) from marts.datakvalitet where regel = 'saknar_ekonomi' "
                       "and forbund = 'sydnarke'") == [(1,)]
    assert built.query("select count(*) from marts.kostnadsmappning_ar where forbund = 'sydnarke'") == [(0,)]


def test_a_prognosis_over_budget_by_more_than_budget_varning_is_a_finding(built):
    assert built.query("select forbund, ar, kolumn, hittat, round(varde, 4), allvarlighet from marts.datakvalitet "
                       "where regel = 'prognos_over_budget'") == [
        ("sydnarke", 2025, "administration", "120994", round(60_000 * 365 / 181 / 100_000 - 1, 4), "varning")]
    assert built.query("select prognos_helar, prognos_kalla from marts.delar_ar where forbund = 'sydnarke' "
                       "and kategori = 'administration'") == [(round(60_000 / (181 / 365), 2), "linjar")]


def test_budget_varning_sets_the_threshold(project):
    project.settings(2025, 2025)
    with (project.config / "installningar.yaml").open("a", encoding="utf-8") as fh:
        fh.write("budget_varning: 0.25\n")
    for rel, text in FILES.items():
        project.raw(rel, text)
    project.build()
    assert project.query("select count(*) from marts.datakvalitet where regel = 'prognos_over_budget'") == [(0,)]


def test_budget_varning_must_be_a_share(project):
    project.settings(2025, 2025)
    with (project.config / "installningar.yaml").open("a", encoding="utf-8") as fh:
        fh.write("budget_varning: mycket\n")
    with pytest.raises(ConfigError, match=r"budget_varning found 'mycket', expected a "
                                          r"share from 0 to 1"):
        project.build()


BAD = BUDGET_HEAD + (
    "SOFINT;2025;Köpt tjänst förbundschef;100;tkr;kostnad;utkast;2024-11-20;\n"         # 2: unknown Version
    "SOFINT;2025;Köpt tjänst förbundschef;100;tkr;kostnad;budget;2024-13-01;\n"         # 3: no date
    "SOFINT;2025;Något helt annat;100;tkr;kostnad;budget;2024-11-20;\n"                 # 4: not mapped
    "SOFINT;2025;Medlemsbidrag Försäkringskassan;100;tkr;intäkt;budget;2024-11-20;Samverkansteamet\n"  # 5: insats
    "SOFINT;2025;Kansli;-100;tkr;kostnad;budget;2024-11-20;\n"                          # 6: negative total
    "SOFINT;2025;Samverkansteamet;5;tkr;kostnad;budget;2024-11-20;\n"
    "SOFINT;2025;Samverkansteamet;6;tkr;kostnad;budget;2024-11-20;\n"                   # 8: twice
    "SOFINT;2025;Kansli;1;tkr;kostnad;budget;2027-01-01;\n")                            # 9: after the run


def test_bad_budget_rows_reject_the_file_with_row_and_column(project):
    project.settings(2025, 2025)
    project.raw("budget/bad.csv", BAD)
    project.raw("budget/good.csv", BUDGET)
    project.build()
    assert project.query("select fil, status from marts.inlasta_filer where kalla = 'budget' order by fil") == [
        ("raw/budget/bad.csv", "avvisad"), ("raw/budget/good.csv", "inlast")]
    assert project.query("select rad, kolumn, hittat, beskrivning from marts.datakvalitet "
                         "where fil = 'raw/budget/bad.csv' order by rad, kolumn") == [
        (2, "Version", "utkast", "not a valid Version"),
        (3, "Beslutad", "2024-13-01", "unreadable date"),
        (4, "Post", "Något helt annat", "line not mapped by kostnadsmappning.csv (förbund sofint, year 2025)"),
        (5, "Insats", "Samverkansteamet", "an Insats on a line of kategori medlemsbidrag_stat"),
        (7, "Post", "Samverkansteamet", "duplicate line"),
        (8, "Post", "Samverkansteamet", "duplicate line"),
        (9, "Beslutad", "2027-01-01", "decided after the run's date")]


def test_a_negative_total_rejects_the_budget_file(project):
    project.settings(2025, 2025)
    project.raw("budget/neg.csv", BUDGET_HEAD + "SOFINT;2025;Kansli;100;tkr;kostnad;budget;2024-11-20;\n"
                "SOFINT;2025;Förbundschef;-300;tkr;kostnad;budget;2024-11-20;\n")
    project.build()
    assert project.query("select rad, kolumn, hittat, beskrivning from marts.datakvalitet "
                         "where fil = 'raw/budget/neg.csv'") == [
        (2, "Belopp", "-200000.00", "the lines of kategori administration sum to a negative amount for förbund "
         "sofint, year 2025 (costs and incomes are positive, or every cost line negative)")]


def test_a_period_till_outside_the_year_rejects_the_ekonomi_file(project):
    project.settings(2025, 2025)
    project.raw("ekonomi/d.csv", DELAR.replace("2025-06-30", "2024-06-30"))
    project.build()
    assert project.query("select rad, kolumn, hittat, beskrivning from marts.datakvalitet "
                         "where fil = 'raw/ekonomi/d.csv'") == [
        (5, "Period till", "2024-06-30", "date outside the row's year"),
        (6, "Period till", "2024-06-30", "date outside the row's year")]


def test_period_till_on_31_december_is_the_whole_year(project):
    project.settings(2025, 2025)
    project.raw("ekonomi/d.csv", DELAR.replace("2025-06-30", "2025-12-31"))
    project.build()
    assert project.query("select kostnad_admin, kostnad_individ from marts.ekonomi_ar where forbund = 'sydnarke'") \
        == [(60_000.0, 400_000.0)]
    assert project.query("select distinct forbund from marts.delar_ar") == [("sofint",)]


def test_a_delar_and_the_arsredovisning_of_a_year_stand_side_by_side_and_each_file_is_one_period(project):
    """The same line in a delår and in the årsredovisning is no duplicate, and a delår file whose cost lines are
    negative is negated on its own, however the årsredovisning in the same file is written."""
    project.settings(2025, 2025)
    project.raw("ekonomi/both.csv", DELAR.replace(";kostnad;", ";kostnad;").replace("700 000", "-700 000")
                .replace("800 000", "-800 000") + "".join(
                    line + ";\n" for line in ARSREDOVISNING.splitlines()[1:]))
    project.build()
    assert project.query("select kostnad_admin from marts.ekonomi_ar where forbund = 'sofint'") == [(1_050_000.0,)]
    assert project.query("select utfall_hittills from marts.delar_ar where forbund = 'sofint' "
                         "and kategori = 'administration'") == [(700_000.0,)]


SUS = ("Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
       "Sydnärke;Steget;P1;Nej;K;2019-02-01;2019-05-31;Arbete\n"      # in the period
       "Sydnärke;Steget;P2;Nej;M;2018-03-01;;\n"                       # open since 2018
       "Sydnärke;Navigatorn;P2;Nej;M;2019-03-01;2019-04-30;Arbete\n"   # the same person again: once
       "Sydnärke;Steget;P3;Nej;K;2019-07-01;;\n"                       # after the period
       "Sydnärke;Steget;P4;Nej;K;2018-01-10;2018-12-20;Arbete\n"       # before the year
       "Sydnärke;Steget;;Ja;;2019-06-01;;\n")                          # anonymous, in the period


def test_participants_so_far_come_from_registrations_where_they_cover_the_period(project):
    project.settings(2019, 2019)
    project.raw("sus/s.csv", SUS)
    project.raw("ekonomi/d.csv", DELAR.replace("2025", "2019"))
    project.build()
    assert project.query("select distinct forbund, period_till::varchar, deltagare_hittills from marts.delar_ar "
                         "order by 1") == [("sofint", "2019-08-31", None), ("sydnarke", "2019-06-30", 3)]
    con = project.connect()
    try:
        ruta = budget._delar(con, "sydnarke", 2019, 5)
    finally:
        con.close()
    assert ruta.text.endswith("Deltagare under perioden (registreringar): <5.")   # 3, below undertryck_under


def test_the_loss_guard_covers_the_budget_folder_and_both_marts(project):
    project.settings(2025, 2025)
    for rel, text in FILES.items():
        project.raw(rel, text)
    project.build()
    (project.data / "raw" / "budget" / "budget_2025.csv").unlink()
    (project.data / "raw" / "ekonomi" / "delar_2025.csv").unlink()
    with pytest.raises(DataLoss) as lost:
        project.build()
    assert {line for line in lost.value.lost if "budget" in line or "delar" in line} == {
        "source budget: its folder is missing or empty in this run, but the live warehouse holds data from 1 file(s) "
        "of it",
        "budget_utfall_ar sofint 2025: the förbund-year would disappear",
        "budget_utfall_ar sydnarke 2025: the förbund-year would disappear",
        "delar_ar sofint 2025: the förbund-year would disappear",
        "delar_ar sydnarke 2025: the förbund-year would disappear"}
    project.build(tillat_forlust=True)
    assert project.query("select count(*) from marts.budget_utfall_ar") == [(0,)]
