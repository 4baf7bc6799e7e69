"""The charts' look (issue 21, item 7): one colour-blind-safe colour, marker and dash per förbund in every chart,
kommuner in shades of their förbund's colour, money axes in tkr/mnkr, guidelines drawn as reference lines and never
as the data-quality ring, notes for a series that is all zero or all missing, and labels that do not pile up."""
import colorsys
import dataclasses
import re
import shutil

import duckdb
import polars as pl
import pytest

from finsam.build import declarations
from finsam.build.runner import riktvarden
from finsam.report import charts, diagram
from finsam.report.charts import (
    KATEGORIER,
    PALETT,
    REFERENS,
    Diagram,
    Tabell,
    _etiketter,
    belopp,
    figur,
    noter_om_serier,
    nyans,
    referenslinje,
    riktlinje,
    stil,
    tilldela,
)
from finsam.report.data import lage as las_lage
from finsam.report.format import NBSP
from finsam.report.measures import TOTALT
from finsam.report.remarks import RIKTVARDE, anmarkningar

SYD, SOFINT = "Samordningsförbundet Sydnärke", "Samordningsförbundet i Norra Örebro län (SOFINT)"


@pytest.fixture(scope="module")
def sida(prov):
    """The sample's build: its situation, and every chart of both län by region and id."""
    con = prov.connect()
    try:
        lage = las_lage(con)
        yield lage, {lan.region: diagram(con, lan.region) for lan in lage.lan}, anmarkningar(con)
    finally:
        con.close()


def _linjer(fig):
    """(name, colour, dash, first marker) of each line trace of a figure."""
    return [(t.name, t.line.color, t.line.dash, t.marker.symbol[0] if isinstance(t.marker.symbol, tuple)
             else t.marker.symbol) for t in fig.data if t.type == "scatter" and t.mode and "lines" in t.mode]


def test_each_forbund_has_one_style_from_the_register_order_in_every_chart(sida):
    lage, per_lan, _ = sida
    # the register's order within each län: Örebro's four förbund, then Norrbotten's one, from the top of the palette
    assert {f: (s.farg, s.markor, s.streck) for f, s in charts._FORBUND.items()} == {
        "lekeberg_orebro": ("#0072B2", "circle", "solid"), "sydnarke": ("#E69F00", "square", "solid"),
        "degerfors_karlskoga": ("#009E73", "diamond", "solid"), "sofint": ("#CC79A7", "triangle-up", "solid"),
        "sodra_norrbotten": ("#0072B2", "circle", "solid")}
    kod = {n: k for k, n in lage.namn.items()}
    sett: dict[str, set] = {}
    for lan in per_lan.values():
        for d in lan.values():
            for namn, farg, streck, markor in _linjer(d.figur) if d.figur is not None else []:
                if namn in kod:
                    sett.setdefault(namn, set()).add((farg, streck, markor.removesuffix("-open")))
    assert {n: s for n, s in sett.items() if len(s) != 1} == {}          # one look per förbund, every chart
    assert {kod[n]: s.pop() for n, s in sett.items()} == {
        f: (s.farg, s.streck, s.markor) for f, s in charts._FORBUND.items()}
    # Tid i insats meets SOFINT first (its data starts earliest), and still draws it in SOFINT's colour
    tid = _linjer(per_lan["18"]["tid_i_insats"].figur)
    assert tid[0][:2] == (SOFINT, "#CC79A7") and (SYD, "#E69F00") in [t[:2] for t in tid]
    assert ({(t[1], t[2]) for t in _linjer(per_lan["18"]["andel_avslutade"].figur) if t[0] == TOTALT}
            == {(REFERENS[TOTALT].farg, "dash")})                       # Totalt länet grey and dashed


def test_the_assignment_is_stable_and_the_palette_has_no_red_against_green(sida, monkeypatch):
    lage, _, _ = sida
    forut = dict(charts._FORBUND)
    monkeypatch.setattr(charts, "_FORBUND", dict(forut))      # this test's assignments end with it
    monkeypatch.setattr(charts, "_KOMMUNER", dict(charts._KOMMUNER))
    assert tilldela([lan.forbund for lan in lage.lan]) == forut          # the same register, the same looks

    def ton(farg):
        h, _, s = colorsys.rgb_to_hls(*(int(farg[i:i + 2], 16) / 255 for i in (1, 3, 5)))
        return h * 360, s
    roda = [f for f in (*PALETT, *KATEGORIER) if (ton(f)[0] < 15 or ton(f)[0] > 345) and ton(f)[1] > 0.5]
    grona = [f for f in (*PALETT, *KATEGORIER) if 90 <= ton(f)[0] <= 150 and ton(f)[1] > 0.5]
    assert not (roda and grona), (roda, grona)
    assert len(set(PALETT)) == len(PALETT) == 6
    # beyond six förbund in a län the colours come round again with another dash, and each keeps its own marker
    looks = tilldela([tuple(f"f{i}" for i in range(9))])
    assert len({(s.farg, s.streck) for s in looks.values()}) == 9 and looks["f6"].streck == "longdash"


def test_kommuner_are_shades_of_their_forbund_and_share_no_other_forbunds_colour(sida):
    lage, per_lan, _ = sida
    fig = per_lan["18"]["kommun_deltagare"].figur
    farg = {namn: f for namn, f, _, _ in _linjer(fig)}
    assert farg["Nora"] != farg["Lekeberg"]                          # the reader's finding: Nora = Lekeberg
    assert farg["Lekeberg"] == "#0072B2" and farg["Örebro"] == nyans("#0072B2", -0.35)   # Lekeberg och Örebro
    assert farg["Nora"] == nyans("#CC79A7", -0.6)                       # SOFINT's fourth kommun, darker
    per_forbund: dict[str, set] = {}
    for (f, _), s in charts._KOMMUNER.items():
        per_forbund.setdefault(f, set()).add(s.farg)
    for lan in lage.lan:                     # förbund of one län share a chart; of two län, never
        for f in lan.forbund:
            andra = {g for o in lan.forbund if o != f for g in per_forbund[o] | {charts._FORBUND[o].farg}}
            assert not per_forbund[f] & andra, f
    assert sum(len(v) for v in per_forbund.values()) == len(charts._KOMMUNER) == 16   # every kommun its own shade
    # the stacked målgrupp bars colour each kommun the same way
    malgrupp = {t.name: t.marker.color for t in per_lan["18"]["malgrupp"].figur.data}
    assert malgrupp["Nora"] == farg["Nora"] and malgrupp["Kumla"] == stil("sydnarke", "Kumla").farg


def test_a_guideline_is_a_reference_line_and_never_a_data_ring(sida):
    _, per_lan, anm = sida
    fig = per_lan["18"]["eget_kapital_andel"].figur
    ringar = [h for t in fig.data if t.name == "⚠ anmärkning" for h in t.hovertext]
    assert not any("eget kapital över 20" in h for h in ringar)
    assert any(a.text == f"Riktvärde 20{NBSP}%" for a in fig.layout.annotations)
    linje = [s for s in fig.layout.shapes if s.type == "line" and s.y0 == s.y1 == 20.0]
    assert len(linje) == 1 and linje[0].line.dash == "dash"
    # the findings are there (Sydnärke 2019: 22,6 %), in the guideline area that no chart draws rings for
    assert anm.filter(pl.col("text").str.starts_with("eget kapital över 20"))["omrade"].unique().to_list() \
        == [RIKTVARDE]
    # the 20 % of medel_kapital's dotted line and the 90 % of ansökt stat come from koder.yaml as well
    assert any(a.text == f"Riktvärde 90{NBSP}%" for a in per_lan["25"]["ansokt_stat"].figur.layout.annotations)


def test_the_guideline_is_read_from_koder_yaml(monkeypatch, tmp_path):
    kod = declarations.codes(charts.warehouse.SQL_DIR)["eget_kapital_over_20"]
    assert kod.riktvarde == 0.20 and riktlinje("eget_kapital_over_20") == (20.0, f"Riktvärde 20{NBSP}%")
    andrad = {**declarations.codes(charts.warehouse.SQL_DIR),
              "eget_kapital_over_20": dataclasses.replace(kod, riktvarde=0.25)}
    monkeypatch.setattr(declarations, "codes", lambda _: andrad)
    assert riktlinje("eget_kapital_over_20") == (25.0, f"Riktvärde 25{NBSP}%")
    (tmp_path / "findings").mkdir()
    (tmp_path / "findings" / "koder.yaml").write_text(
        "koder:\n  x:\n    allvarlighet: [varning]\n    text: x\n    omrade: kapital\n    beskrivning: x\n"
        "    riktvarde: 20\n", encoding="utf-8")
    monkeypatch.undo()
    with pytest.raises(declarations.DeclarationError, match="riktvarde found 20, expected a share above 0"):
        declarations.codes(tmp_path)


def test_money_axes_are_in_tkr_or_mnkr_with_swedish_ticks(sida):
    _, per_lan, _ = sida
    assert belopp([9_999, None]) == (1, "kr")
    assert belopp([12_345.0, 3]) == (1_000, "tkr (tusen kronor)")
    assert belopp([float("nan"), -2_500_000]) == (1_000_000, "mnkr (miljoner kronor)")
    medel = per_lan["18"]["medel_kapital"].figur
    assert medel.layout.yaxis.title.text == "mnkr (miljoner kronor)" and medel.layout.yaxis.tickformat == ",~f"
    assert medel.layout.separators == "," + NBSP                        # decimal comma, space between thousands
    lekeberg = next(t for t in medel.data if t.name == "Medelstilldelning (medlemsbidrag)" and t.xaxis == "x")
    assert dict(zip(lekeberg.x, lekeberg.y))[2019] == pytest.approx(8.0)   # 8 000 000 kr drawn as 8 mnkr
    assert any("8" + NBSP + "000" + NBSP + "000" + NBSP + "kr" in h for h in lekeberg.hovertext)
    assert per_lan["18"]["kostnad_per"].figur.layout.yaxis.title.text == "tkr (tusen kronor)"
    assert per_lan["18"]["medel_utfall"].figur.layout.xaxis.title.text.endswith(", mnkr (miljoner kronor)")
    assert per_lan["18"]["medel_utfall"].figur.layout.xaxis.tickformat == ",~f"
    assert per_lan["18"]["kostnad_insats"].figur.layout.yaxis.title.text in ("tkr (tusen kronor)",
                                                                             "mnkr (miljoner kronor)")


def test_a_series_all_zero_or_all_missing_is_said_in_a_note(sida):
    _, per_lan, _ = sida
    ater = per_lan["18"]["aterkommande"]
    assert ater.noter[0] == "Återkommande, andel av nyinskrivna är 0 för alla förbund alla år med uppgift."
    assert list(ater.figur.layout.yaxis.range) == [0, 100]             # not plotly's 0–1 on a % axis
    kommun = per_lan["18"]["kommun_deltagare"]
    assert "Uppgift saknas för Laxå, Askersund, Hällefors, Ljusnarsberg och Nora alla år." in kommun.noter
    # a kommun missing every year gets the note, not a "saknas" label in every year
    assert not any("Nora" in (a.hovertext or "") for a in kommun.figur.layout.annotations)


def test_notes_on_series_by_hand():
    def long(rader):
        return pl.DataFrame(rader, schema={"serie": pl.String, "ar": pl.Int64, "varde": pl.Float64,
                                           "text": pl.String, "panel": pl.String}, orient="row")
    assert noter_om_serier(long([("A", 2020, 0.0, "0", "Återkommande"), ("A", 2021, 0.0, "0", "Återkommande"),
                                 ("B", 2020, 0.0, "0", "Återkommande"), ("B", 2021, 0.0, "0", "Återkommande"),
                                 (TOTALT, 2020, 0.0, "0", "Återkommande")])) == [
        "Återkommande är 0 för alla förbund alla år."]
    assert noter_om_serier(long([("A", 2020, None, "saknas", "Deltagare"), ("A", 2020, None, "saknas", "Avslutade"),
                                 ("B", 2020, 3.0, "3", "Deltagare"), ("B", 2020, None, "<5", "Avslutade"),
                                 ("C och D", 2020, 0.0, "0", "Avslutade"),
                                 ("C och D", 2020, None, "saknas", "Deltagare")]), "kommuner") == [
        "Avslutade är 0 för C och D alla år.", "Uppgift saknas för A alla år.",
        "Deltagare: uppgift saknas för C och D alla år."]


def test_labels_do_not_pile_up():
    # more than three missing values in one year: one grey label saying how many, the hover says which
    punkter = [(f"K{i}", 2023, "saknas", None) for i in range(5)] + [("K0", 2022, "<5", None)]
    etiketter = _etiketter(punkter, 1, {"K0": "#0072B2"})
    assert [(e["x"], e["text"], e["font"]["color"]) for e in etiketter] == [
        (2023, "saknas (5)", charts.GRA), (2022, "<5", "#0072B2")]
    assert etiketter[0]["hovertext"].count("uppgift saknas") == 5
    # two reference lines close together: the lower label goes below its line
    layout: dict = {}
    referenslinje(layout, 20, "Riktvärde 20 %", charts.RIKTLINJE)
    referenslinje(layout, 19, "Riket 19 %", charts.RIKTLINJE)
    referenslinje(layout, 80, "Mål 80 %", charts.RIKTLINJE)
    fig = figur([dict(type="scatter", x=[2020], y=[90])], 300, layout)
    lagen = {a.text: (a.yanchor, a.yshift) for a in fig.layout.annotations}
    assert lagen == {"Riktvärde 20 %": ("bottom", None), "Riket 19 %": ("top", 0), "Mål 80 %": ("bottom", None)}


def test_a_figures_notes_go_under_the_chart():
    fig = figur([dict(type="scatter", x=[2020], y=[0])], 300)
    setattr(fig, charts.NOTER, ["A är 0 för alla förbund alla år."])
    d = Diagram("x", "X", "def", (), Tabell([], []), fig, ["Från 2023 ..."])
    assert d.noter == ["A är 0 för alla förbund alla år.", "Från 2023 ..."]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium on PATH")
def test_money_ticks_as_the_browser_draws_them(prov):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        sida = b.new_page()
        sida.goto((prov.marts / "genomlysning" / "18_orebro_lan.html").as_uri())
        sida.wait_for_load_state("load")
        sida.wait_for_function("() => document.querySelector('#fig-medel_kapital .ytick text') !== null",
                               timeout=120_000)   # a 6 MB page on a busy machine
        ticks = sida.evaluate("() => [...document.querySelectorAll('#fig-medel_kapital .yaxislayer-above')][0]"
                              ".textContent")
        titel = sida.evaluate("() => document.querySelector('#fig-medel_kapital .g-ytitle').textContent")
        b.close()
    assert ticks == "02468" and titel == "mnkr (miljoner kronor)"       # not 0, 2M, 4M ... nor 8 000 000


def test_the_finding_and_the_chart_read_one_threshold():
    """The SQL that emits eget_kapital_over_20 and ansokt_andel_stat compares with riktvarde(kod), the macro the
    build defines from koder.yaml, not a number of its own."""
    con = duckdb.connect()
    con.execute(riktvarden())
    assert con.execute("select riktvarde('eget_kapital_over_20'), riktvarde('ansokt_andel_stat'), "
                       "riktvarde('stock_flow')").fetchall() == [(0.2, 0.9, None)]
    sql = (charts.warehouse.SQL_DIR / "findings" / "fynd_ekonomi.sql").read_text(encoding="utf-8")
    assert "riktvarde('eget_kapital_over_20')" in sql and not re.search(r"[<>] 0\.(20|90)\b", sql)


def test_a_forbunds_goal_is_a_line_in_its_colour_read_from_mal_csv(sida):
    _, per_lan, _ = sida
    fig = per_lan["18"]["eget_kapital_andel_intakter"].figur
    assert [a.text for a in fig.layout.annotations if a.text.startswith("Mål")] == [
        f"Mål {SYD}: högst 7{NBSP}%"]                                   # config/mal.csv: sydnarke, 0.07, hogst
    linje = [s for s in fig.layout.shapes if s.type == "line" and s.y0 == s.y1]
    assert [(s.y0, s.line.color, s.line.dash) for s in linje] == [(pytest.approx(7.0), "#E69F00", "dash")]
    norr = per_lan["25"]["eget_kapital_andel_intakter"].figur               # Södra Norrbotten has no such goal
    assert norr is None or not any(a.text.startswith("Mål") for a in norr.layout.annotations)
