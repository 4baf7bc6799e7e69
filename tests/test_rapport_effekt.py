"""The report's section Mål och resultat on the sample: follow-up shares with their n, svarsfrekvens and
täckningsgrad beside them, indicators against riket, försörjning före/efter as a flow chart, and the socio-economic
scenario in a box of its own that says it is a scenario."""
import pytest

from finsam.report import avsnitt
from finsam.report.charts import Diagram, Ruta
from finsam.report.data import lage as las_lage
from finsam.report.disclosure import DOLD
from finsam.report.format import NBSP

SYD = "Samordningsförbundet Sydnärke"


def p(text: str) -> str:
    return text.replace(" ", NBSP)


@pytest.fixture(scope="module")
def effekt(prov):
    con = prov.connect()
    try:
        lage = las_lage(con)
        yield {(d.id if isinstance(d, Diagram) else d.rubrik): d
               for d in dict(avsnitt(con, lage, next(x for x in lage.lan if x.region == "18")))["Mål och resultat"]}
    finally:
        con.close()


def test_follow_up_shares_stand_beside_their_n_svarsfrekvens_and_tackningsgrad(effekt):
    tab = effekt["Uppföljning efter avslut"].tabell
    rader = {tuple(r[:4]): dict(zip(tab.kolumner, r)) for r in tab.rader}
    syd = rader[(SYD, "hela förbundet", "2025", "6")]
    # 42 of 70 asked answered (60,0 %), 70 of 74 avslutade asked (94,6 %); 14 of 42 in work or studies: 33,3 %,
    # Wilson [0.2101, 0.4845]
    assert (syd["Avslutade"], syd["Tillfrågade"], syd["Svarande"]) == ("74", "70", "42")
    assert (syd["Svarsfrekvens"], syd["Täckningsgrad"]) == (p("60,0 %"), p("94,6 %"))
    assert syd["Arbete eller studier (andel av svarande)"] == p("33,3 %") + " (" + p("21,0 %–48,4 %") + ")"
    # never a share without its n: every shown share has a shown count of svarande beside it
    assert all(r["Svarande"] not in ("", "saknas") for r in rader.values()
               if r["Arbete eller studier (andel av svarande)"] not in ("saknas", DOLD))
    assert effekt["Uppföljning efter avslut"].oppen


def test_indicators_against_riket_with_coverage(effekt):
    tab = effekt["Enkäter och indikatorer"].tabell
    rad = next(dict(zip(tab.kolumner, r)) for r in tab.rader if r[2] == "2025" and r[4].startswith("DA1"))
    assert (rad["Antal svar"], rad["Värde"], rad["Riket"], rad["Skillnad mot riket"]) == (
        "37", p("88,0 %"), p("92,0 %"), "−4,0 procentenheter")


def test_forsorjning_is_a_flow_chart_of_the_latest_year_with_rows(effekt):
    d = effekt["forsorjning"]
    assert d.rubrik.endswith("2022")                  # SUS ended in 2023: the last whole year with SUS exports
    assert [t.type for t in d.figur.data] == ["sankey"]
    assert {r[0] for r in d.tabell.rader} == {SYD}     # only Sydnärke's exports carry the columns
    flows = d.figur.data[0].link.value
    assert min(flows) >= 5                             # small flows are not drawn


def test_the_scenario_is_boxed_and_labelled_a_scenario_with_example_values(effekt):
    box = next(v for k, v in effekt.items() if k.startswith("Scenario, inte effekt"))
    assert isinstance(box, Ruta) and box.ram and box.text.startswith("SCENARIO, INTE EFFEKT")
    assert "EXEMPEL" in box.text


def test_the_scenario_names_the_actors_as_readers_know_them(effekt):
    box = next(v for k, v in effekt.items() if k.startswith("Scenario, inte effekt"))
    aktorer = {rad[1] for rad in box.tabell.rader}
    assert aktorer and aktorer <= {"Kommunen", "Regionen", "Arbetsförmedlingen", "Försäkringskassan", "Staten",
                                   "Individen"}
