"""Budget och prognos on the sample: Sydnärke 2025 from seed 002's tables 3 and 4 against its årsredovisning, per
kategori and per insats, its delår January–August with the prognosis, and the section in the report after the
cost section (data/raw/README.md describes the sample's budgets)."""
import pytest

from finsam.report import avsnitt, budget as avsnittet, kostnader
from finsam.report.charts import Diagram, Ruta
from finsam.report.data import lage as las_lage
from finsam.report.format import NBSP

SYD = "Samordningsförbundet Sydnärke"


def tkr(text: str) -> str:
    return text.replace(" ", NBSP) + NBSP + "tkr"


def test_sydnarke_2025_budget_against_utfall_per_kategori(sample):
    assert sample.query("select kategori, budget, prognos, utfall, avvikelse from marts.budget_utfall_ar "
                        "where forbund = 'sydnarke' and ar = 2025 and insats = '*' order by kategori") == [
        ("administration", 801_500.0, 778_400.0, 801_500.0, 0.0),   # the kansli lines of Tabell 4
        ("externa_bidrag", 1_507_100.0, None, 1_507_100.0, 0.0),   # Projektmedel (ESF)
        ("finansiella_poster", -1_700.0, None, 3_200.0, 4_900.0),   # net: 4 900 income − 1 700 cost
        ("individinriktade_insatser", 4_274_900.0, 4_050_000.0, 4_274_900.0, 0.0),   # Samordningsteam + Ciceron
        ("medlemsbidrag_kommun", 1_157_000.0, None, 1_171_000.0, 14_000.0),   # Driftbidrag 4 628 000 split 50/25/25
        ("medlemsbidrag_region", 1_157_000.0, None, 1_171_000.0, 14_000.0),
        ("medlemsbidrag_stat", 2_314_000.0, None, 2_342_000.0, 28_000.0),
        ("strukturovergripande_insatser", 360_000.0, 340_000.0, 360_000.0, 0.0)]
    # Tabell 3's insatsmedel and Tabell 4's Rörelsens kostnader, as budgeted
    assert sample.query("select sum(budget) from marts.budget_utfall_ar where forbund = 'sydnarke' and ar = 2025 "
                        "and insats <> '*'") == [(4_634_900.0,)]
    assert sample.query("select sum(budget) from marts.budget_utfall_ar where forbund = 'sydnarke' and ar = 2025 "
                        "and insats = '*' and kategori in ('individinriktade_insatser', "
                        "'strukturovergripande_insatser', 'administration')") == [(5_436_400.0,)]


def test_sydnarke_2025_per_insats_from_the_arsredovisning_else_uppfoljning(sample):
    assert sample.query("select insats, budget, prognos, utfall, utfall_kalla from marts.budget_utfall_ar "
                        "where forbund = 'sydnarke' and ar = 2025 and insats <> '*' order by insats") == [
        ("Ciceron", 1_919_800.0, 1_750_000.0, 1_919_800.0, "arsredovisning"),
        ("Psykiatriveckan", 10_000.0, 10_000.0, 9_800.0, "uppfoljning"),
        ("Rehabiliteringsmässan", 35_000.0, 35_000.0, 31_700.0, "uppfoljning"),
        ("Samordningsteam", 2_355_100.0, 2_300_000.0, 2_355_100.0, "arsredovisning"),
        ("Samverkansdag", 15_000.0, 15_000.0, 14_200.0, "uppfoljning"),
        ("Strukturinsatser", 300_000.0, 280_000.0, 272_700.0, "uppfoljning")]


def test_the_version_rule_on_the_sample(sample):
    # Lekeberg och Örebro's reviderad budget (2025-06-12) replaces its budget of 2024-11-28
    assert sample.query("select budget_version, budget_beslutad::varchar, budget from marts.budget_utfall_ar "
                        "where forbund = 'lekeberg_orebro' and ar = 2025 and insats = 'IRMA'") == [
        ("reviderad budget", "2025-06-12", 3_150_000.0)]
    assert sample.query("select forbund, ar, kolumn, round(varde, 3) from marts.datakvalitet "
                        "where regel = 'prognos_over_budget'") == [
        ("degerfors_karlskoga", 2025, "administration", round(1_021_000 / 863_000 - 1, 3))]


def test_sydnarkes_delar_january_to_august(sample):
    rows = {k: rest for k, *rest in sample.query(
        "select kategori, utfall_hittills, forbrukad_andel, forvantad_andel, prognos_helar, prognos_kalla, "
        "deltagare_hittills from marts.delar_ar where forbund = 'sydnarke' and ar = 2025 "
        "and period_till = date '2025-08-31'")}
    assert rows["administration"] == [510_200.0, 510_200 / 801_500, 243 / 365, 778_400.0, "forbund", None]
    assert rows["medlemsbidrag_stat"] == [1_561_300.0, 1_561_300 / 2_314_000, 243 / 365,
                                          round(1_561_300 / (243 / 365), 2), "linjar", None]
    assert len(rows) == 8
    # whole-year figures as before: the delår is not in them
    assert sample.query("select kostnad_admin, kostnader_totalt from marts.ekonomi_ar where forbund = 'sydnarke' "
                        "and ar = 2025") == [(801_500.0, 5_436_400.0)]


@pytest.fixture(scope="module")
def orebro(prov):
    con = prov.connect()
    try:
        lage = las_lage(con)
        yield avsnitt(con, lage, next(x for x in lage.lan if x.region == "18"))
    finally:
        con.close()


def test_the_section_follows_the_costs_and_shows_sydnarke(orebro):
    rubriker = [r for r, _ in orebro]
    assert rubriker.index(avsnittet.RUBRIK) == rubriker.index(kostnader.RUBRIK) + 1
    delar = dict(orebro)[avsnittet.RUBRIK]
    chart = next(d for d in delar if isinstance(d, Diagram) and d.id == "budget_sydnarke")
    assert chart.rubrik == f"{SYD} 2025: budget, prognos och utfall per kategori"
    assert chart.tabell.rader[0] == ["Medlemsbidrag staten", tkr("2 314"), "saknas", tkr("2 342"), tkr("+28"),
                                     "1,2" + NBSP + "%", "årsredovisningen"]
    assert [t.name for t in chart.figur.data] == ["Budget", "Prognos", "Utfall"]
    rutor = {r.rubrik: r for r in delar if isinstance(r, Ruta)}
    kansli = rutor[f"{SYD} 2025: kansliet mot budget"].tabell.rader
    assert kansli[0] == ["Budget", tkr("802"), tkr("5 436"), "14,7" + NBSP + "%"]
    delar_ruta = rutor["Delår 2025 till 2025-08-31"]
    assert "66,6" + NBSP + "% av året har gått" in delar_ruta.text
    assert delar_ruta.tabell.rader[0] == ["Medlemsbidrag staten", tkr("1 561"), tkr("2 314"), "67,5" + NBSP + "%",
                                          tkr("2 345"), "linjär (utfall hittills ÷ förfluten andel)"]
