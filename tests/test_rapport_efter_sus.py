"""The break after SUS in the report, on the sample (SUS ends 2023-04-30; Uppföljning Finsam 2023-2025 for every
förbund): every time series marks the first year from Uppföljning Finsam, participant charts draw those years'
points hollow (bars hatched) with a legend entry and a note, the deltagare series goes on across the break, and the
section "Efter SUS" says where each year comes from and lists each förbund's insatser."""
import pytest

from finsam.report import avsnitt, diagram
from finsam.report.charts import BROTT, IHALIG_TEXT, stil
from finsam.report.data import lage as las_lage
from finsam.report.efter_sus import _kon, _perioder
from finsam.report.format import NBSP

SYD = "Samordningsförbundet Sydnärke"


def p(text: str) -> str:
    return text.replace(" ", NBSP)


def kr(text: str) -> str:
    return p(text + " kr")


@pytest.fixture(scope="module")
def orebro(prov):
    con = prov.connect()
    try:
        lage = las_lage(con)
        yield dict(avsnitt(con, lage, next(x for x in lage.lan if x.region == "18"))), diagram(con, "18")
    finally:
        con.close()


def _brott(fig) -> set[int]:
    return {int(s.name[len(BROTT):]) for s in fig.layout.shapes if (s.name or "").startswith(BROTT)}


def test_every_time_series_marks_the_first_year_from_uppfoljning(orebro):
    _, charts = orebro
    tidsserier = [d for d in charts.values() if d.figur is not None and "2017" in d.tabell.kolumner]
    assert len(tidsserier) > 15
    assert [d.id for d in tidsserier if _brott(d.figur) != {2023}] == []
    # the line sits between 2022 and 2023, labelled once per figure, and each chart says so in a note
    fig = charts["kostnad_per"].figur
    assert {s.x0 for s in fig.layout.shapes if (s.name or "").startswith(BROTT)} == {2022.5}
    assert [a.text for a in fig.layout.annotations].count("Uppföljning Finsam från 2023") == 1
    assert [d.id for d in tidsserier if not any(n.startswith("Från 2023 (Finsam Lekeberg och Örebro, "
                                                              "Samordningsförbundet Sydnärke") for n in d.noter)] == []


def test_points_on_the_summa_insatser_basis_are_hollow_where_participants_are_counted(orebro):
    _, charts = orebro
    fig = charts["deltagare"].figur
    syd = next(t for t in fig.data if t.name == SYD and t.xaxis == "x")
    symbols = dict(zip(syd.x, syd.marker.symbol))
    markor = stil("sydnarke").markor                  # Sydnärke's own marker, hollow from 2023
    assert [a for a, s in symbols.items() if s == f"{markor}-open"] == [2023, 2024, 2025]
    assert symbols[2022] == markor
    assert [t.name for t in fig.data].count(IHALIG_TEXT) == 1
    # the deltagare series goes on across the break: Sydnärke 2025 is the sum over its insatser, 145 + 22
    assert dict(zip(syd.x, syd.y))[2025] == 167
    # a chart of money has the line but no hollow points
    kostnad = charts["admin_kr"].figur
    assert _brott(kostnad) == {2023} and IHALIG_TEXT not in [t.name for t in kostnad.data]
    # bars of participant counts are hatched in those years
    bars = charts["avslut_kategori"].figur
    arbete = next(t for t in bars.data if t.name == "Arbete" and t.type == "bar" and t.xaxis == "x2")   # Sydnärke
    assert dict(zip(arbete.x, arbete.marker.pattern.shape)) == {a: ("/" if a >= 2023 else "")
                                                              for a in range(2017, 2026)}


def test_reported_avslut_missing_is_saknas_not_0(orebro):
    _, charts = orebro
    antal = charts["deltagare"].tabell
    assert antal.kolumner[:2] == ["Mått", "Förbund"]
    cell = {tuple(r[:2]): r[antal.kolumner.index("2024")] for r in antal.rader}
    # Lekeberg och Örebro's insatser report no avslut; Sydnärke's reported 64 in 2024
    assert cell[("Avslutade", "Finsam Lekeberg och Örebro")] == "saknas"
    assert cell[("Avslutade", SYD)] == "64"
    assert cell[("Nyinskrivna", SYD)] == "saknas"         # Uppföljning Finsam has no flows


def test_the_efter_sus_section_names_each_forbunds_sources_and_insatser(orebro):
    sections, _ = orebro
    kallor, *insatser = sections["Efter SUS"]
    assert "SUS stängdes för Finsam den 2023-04-30" in kallor.text
    rader = {r[0]: r[1:] for r in kallor.tabell.rader}
    assert rader[SYD] == ["registreringar (SUS eller eget register) 2017–2022; Uppföljning Finsam 2023–2025",
                          "rapporterade av insatserna 2023, 2024, 2025"]
    assert rader["Finsam Degerfors/Karlskoga"][1] == "rapporteras inte (saknas)"
    assert [r.rubrik for r in insatser] == [
        "Insatser 2025: Finsam Lekeberg och Örebro", "Insatser 2025: Samordningsförbundet Sydnärke",
        "Insatser 2025: Finsam Degerfors/Karlskoga", "Insatser 2025: Samordningsförbundet i Norra Örebro län (SOFINT)"]
    syd = {r[0]: r[1:] for r in insatser[1].tabell.rader}
    # seed 002's budget for 2025: Samordningsteam 2 355 100 kr, Ciceron 1 919 800 kr, strukturinsatser 300 000 kr.
    # Samordningsteam's 145 are 59 kvinnor, 84 män and 2 without kön: shown, the 2 would be 145 - 59 - 84, so kön
    # is hidden; 145 of a planned 150 = 96,7 %, utfall 2 251 300 of 2 355 100 = 95,6 %
    assert syd["Samordningsteam"] == ["Individinriktad", "145", "dold", "dold", "150", p("96,7 %"), kr("2 355 100"),
                                      kr("2 251 300"), p("95,6 %"), "Uppföljning Finsam"]
    assert syd["Ciceron"][:4] == ["Individinriktad", "22", "12", "10"]                  # 12 + 10 = 22
    assert syd["Strukturinsatser"][0] == "Strukturövergripande" and syd["Strukturinsatser"][6] == kr("300 000")


def test_periods_are_runs_of_one_source():
    assert _perioder([(2017, None), (2018, "aggregat"), (2019, "aggregat"), (2020, "sus"), (2023, "sus"),
                      (2024, "uppfoljning")]) == (
        "saknas 2017; rapporterade antal (SUS-rapport) 2018–2019; registreringar (SUS eller eget register) 2020; "
        "registreringar (SUS eller eget register) 2023; Uppföljning Finsam 2024")


def test_kon_beside_deltagare_hides_what_subtraction_would_give_away():
    assert _kon(22, 12, 10, 5) == ("12", "10")
    assert _kon(145, 59, 84, 5) == ("dold", "dold")      # 2 without kön
    assert _kon(12, 9, 3, 5) == ("dold", "<5")           # 12 - 3 = 9 would not hide the 3
    assert _kon(None, 9, 7, 5) == ("9", "7")
    assert _kon(30, None, None, 5) == ("saknas", "saknas")
