"""The report's rules on a hand-made warehouse: Swedish numbers, disclosure control, Σ/Σ län totals, missing
values, the partial year, and the exports (Excel suppressed, parquet exact)."""
import re
from pathlib import Path

import duckdb
import openpyxl
import plotly.graph_objects as go
import polars as pl
import pytest
from plotly.subplots import make_subplots

from finsam.build.declarations import codes
from finsam.publish.warehouse import SQL_DIR
from finsam.report import build_report, deltagare, export, kostnader
from finsam.report.charts import RITADE_TYPER, figur, referenslinje, rutnat
from finsam.report.data import grund, lage, slug
from finsam.report.format import NBSP, kr, med_tecken, procent, tal
from finsam.report.measures import MATT, langt
from finsam.report.remarks import anmarkningar

TABELLER = {
    "register.installningar": "ar_fran BIGINT, ar_till BIGINT, malgrupp_andel DOUBLE, undertryck_under BIGINT, "
                              "byggd TIMESTAMP, sus_stangd DATE",
    "register.forbund": "kod VARCHAR, namn VARCHAR, region VARCHAR",
    "marts.datakvalitet": "forbund VARCHAR, ar INTEGER, insats VARCHAR, regel VARCHAR, allvarlighet VARCHAR, "
                          "fil VARCHAR, rad BIGINT, kolumn VARCHAR, hittat VARCHAR, forvantat VARCHAR, "
                          "beskrivning VARCHAR, varde DOUBLE, kalla VARCHAR",
    "marts.deltagare_ar": "forbund VARCHAR, ar INTEGER, insats VARCHAR, deltagare BIGINT, nyinskrivna BIGINT, "
                          "avslutade BIGINT, avslut_arbete_studier BIGINT, avslut_jobb_studieredo BIGINT, "
                          "pagaende_vid_arets_slut BIGINT, registreringar BIGINT, anonyma BIGINT, kalla VARCHAR",
    "marts.ekonomi_ar": "forbund VARCHAR, ar INTEGER, medlemsbidrag DOUBLE, externa_bidrag DOUBLE, "
                        "ovriga_intakter DOUBLE, intakter_totalt DOUBLE, kostnad_individ DOUBLE, "
                        "kostnad_struktur DOUBLE, kostnad_admin DOUBLE, kostnader_totalt DOUBLE, eget_kapital DOUBLE, "
                        "medlemsbidrag_stat DOUBLE, medlemsbidrag_region DOUBLE, medlemsbidrag_kommun DOUBLE, "
                        "finansiella_poster DOUBLE",
    "marts.helarsekvivalenter_ar": "forbund VARCHAR, ar INTEGER, kon VARCHAR, ersattning VARCHAR, "
                                   "helarsekvivalenter DOUBLE, befolkning_20_64 BIGINT, andel DOUBLE, "
                                   "andel_riket DOUBLE, rekonstruerad BOOLEAN",
    "marts.helarsekvivalenter_kommun": "forbund VARCHAR, kommun VARCHAR, kommun_namn VARCHAR, ar INTEGER, "
                                       "kon VARCHAR, ersattning VARCHAR, helarsekvivalenter DOUBLE, "
                                       "befolkning_20_64 BIGINT, andel DOUBLE, andel_angiven DOUBLE, "
                                       "rekonstruerad BOOLEAN, over_befolkning BOOLEAN",
    "marts.inlasta_filer": "fil VARCHAR, kalla VARCHAR, status VARCHAR, rader BIGINT, andrad TIMESTAMP, "
                           "sha256 VARCHAR, orsak VARCHAR",
    "marts.jamforelse_ar": "forbund VARCHAR, ar INTEGER, deltagare BIGINT, avslutade BIGINT, "
                           "avslut_arbete_studier BIGINT, avslut_jobb_studieredo BIGINT, andel_avslutade DOUBLE, "
                           "kostnad_per_deltagare DOUBLE, kostnad_per_avslut DOUBLE, "
                           "kostnad_per_avslut_arbete_studier DOUBLE, kostnad_per_utfall DOUBLE, "
                           "admin_andel_kostnader DOUBLE, admin_andel_medelstilldelning DOUBLE, "
                           "admin_andel_intakter DOUBLE, andel_individ DOUBLE, andel_struktur DOUBLE, "
                           "eget_kapital_andel DOUBLE, malgrupp DOUBLE, tackningsgrad DOUBLE, "
                           "helarsekvivalenter_andel DOUBLE, helarsekvivalenter_andel_riket DOUBLE, "
                           "deltagare_bas VARCHAR",
    "marts.kommunfordelning": "forbund VARCHAR, ar INTEGER, kommun VARCHAR, kommun_namn VARCHAR, "
                              "befolkning_1_nov BIGINT, befolkning_medlemmar BIGINT, andel DOUBLE, kommunandel DOUBLE, "
                              "kalla_kommunandel VARCHAR, forvantat DOUBLE, rapporterat DOUBLE, differens DOUBLE, "
                              "medlem BOOLEAN, fil VARCHAR, rad BIGINT",
    "marts.malgrupp_ar": "forbund VARCHAR, ar INTEGER, kommuner BIGINT, befolkning_16_64 BIGINT, malgrupp DOUBLE",
    "marts.malgrupp_kommun": "forbund VARCHAR, kommun VARCHAR, kommun_namn VARCHAR, ar INTEGER, "
                             "befolkning_16_64 BIGINT, malgrupp DOUBLE",
}
# (forbund, ar, deltagare, avslutade, avslut_arbete_studier, avslut_jobb_studieredo, kalla, kostnad_individ, malgrupp)
RADER = [
    ("a", 2022, None, None, None, None, None, None, None),
    ("a", 2023, 40, 10, 3, 0, "sus", 400_000.0, 200.0),
    ("a", 2024, 35, 0, 0, 0, "sus", None, None),
    ("b", 2022, 50, 20, 8, 5, "aggregat", 500_000.0, 300.0),
    ("b", 2023, 60, 30, 12, 6, "sus", 600_000.0, 300.0),
    ("b", 2024, 20, 0, 0, 0, "sus", None, None),
]


def _kvot(t, n):
    return None if t is None or not n else t / n


def lager(path: Path, byggd: str = "2024-06-01 03:00", ar_till: int = 2024) -> duckdb.DuckDBPyConnection:
    """Two förbund in one län, 2022-2024 built in 2024 (so 2024 is partial); förbund a has a 3-person insats and
    3 avslut mot arbete/studier in 2023; a's 2022 is missing; b's 2022 counts come from a report with a
    stock-flow warning of +15."""
    con = duckdb.connect(str(path))
    con.execute("create schema register; create schema marts")
    for tabell, kolumner in TABELLER.items():
        con.execute(f"create table {tabell} ({kolumner})")
    con.execute(f"insert into register.installningar values (2022, {ar_till}, 0.05, 5, '{byggd}', null)")
    con.execute("insert into register.forbund values ('a', 'Förbund A', '18'), ('b', 'Förbund B', '18')")
    for f, ar, delt, avsl, arb, jobb, kalla, kost, malg in RADER:
        con.execute("insert into marts.deltagare_ar by name select ? forbund, ? ar, '*' insats, ? deltagare, "
                    "? nyinskrivna, ? avslutade, ? avslut_arbete_studier, ? avslut_jobb_studieredo, ? kalla",
                    [f, ar, delt, delt, avsl, arb, jobb, kalla])
        utfall = None if arb is None else arb + jobb
        con.execute("insert into marts.jamforelse_ar by name select ? forbund, ? ar, ? deltagare, ? avslutade, "
                    "? avslut_arbete_studier, ? avslut_jobb_studieredo, ? andel_avslutade, "
                    "? kostnad_per_deltagare, ? kostnad_per_avslut, ? kostnad_per_avslut_arbete_studier, "
                    "? kostnad_per_utfall, ? malgrupp, ? tackningsgrad",
                    [f, ar, delt, avsl, arb, jobb, _kvot(avsl, delt), _kvot(kost, delt), _kvot(kost, avsl),
                     _kvot(kost, arb), _kvot(kost, utfall), malg, _kvot(delt, malg)])
        con.execute("insert into marts.ekonomi_ar by name select ? forbund, ? ar, ? kostnad_individ",
                    [f, ar, kost])
        con.execute("insert into marts.malgrupp_ar by name select ? forbund, ? ar, ? malgrupp", [f, ar, malg])
    con.execute("insert into marts.deltagare_ar values ('a', 2023, 'Liten insats', 3, 3, 1, 0, 1, 2, 3, 0, 'sus')")
    con.execute("insert into marts.datakvalitet by name select 'b' forbund, 2022 ar, '*' insats, "
                "'stock_flow' regel, 'varning' allvarlighet, 15.0 varde")
    con.execute("insert into marts.inlasta_filer values ('raw/sus/a.csv', 'sus', 'inlast', 10, "
                "'2024-05-01', 'abc123', null)")
    return con


@pytest.fixture
def con(tmp_path):
    c = lager(tmp_path / "litet.duckdb")
    yield c
    c.close()


def _tabell(diagram, id_):
    d = next(d for d in diagram if d.id == id_)
    return {tuple(r[:-len(d.tabell.kolumner) + 2] if d.tabell.kolumner[0] == "Mått" else r[:1]): r
            for r in d.tabell.rader}, d


def test_swedish_numbers():
    assert kr(1234567) == f"1{NBSP}234{NBSP}567{NBSP}kr"
    assert procent(0.1234) == f"12,3{NBSP}%"
    assert procent(0.05) == f"5,0{NBSP}%"
    assert tal(1234.56, 1) == f"1{NBSP}234,6"
    assert tal(-2500) == f"\u22122{NBSP}500"
    assert med_tecken(15) == "+15"
    assert tal(0) == "0"
    assert kr(None) == "saknas" and procent(float("nan")) == "saknas"
    assert slug("Örebro län") == "orebro_lan" and slug("Norrbottens län") == "norrbottens_lan"


def test_partial_year_is_left_out_and_latest_complete_year(con):
    bygge = lage(con)
    assert (bygge.delar, bygge.senaste, bygge.ar) == (2024, 2023, [2022, 2023])
    g = grund(con, bygge, ("a", "b"))
    assert sorted(g["ar"].unique()) == [2022, 2023]
    diagram = deltagare.diagram(g, anmarkningar(con), bygge)
    assert all(d.tabell.kolumner[-1] == "2023" for d in diagram)


def test_no_partial_year_when_ar_till_is_in_the_past(tmp_path):
    c = lager(tmp_path / "gammalt.duckdb", byggd="2025-02-01 03:00", ar_till=2024)
    assert (lage(c).delar, lage(c).senaste) == (None, 2024)


def test_lan_totals_are_sum_over_sum_and_missing_when_a_forbund_lacks_data(con):
    bygge = lage(con)
    g = grund(con, bygge, ("a", "b"))
    rader = {(r["serie"], r["ar"]): r["text"] for r in langt(g, MATT["andel_avslutade"], 5, total=True).to_dicts()}
    assert rader[("Totalt länet", 2023)] == f"40,0{NBSP}%"      # (10 + 30) / (40 + 60), not (25 % + 50 %) / 2
    assert rader[("Totalt länet", 2022)] == "saknas"            # förbund a has no counts for 2022
    assert rader[("Förbund A", 2022)] == "saknas"
    kost = {(r["serie"], r["ar"]): r["text"] for r in langt(g, MATT["kostnad_per_avslut"], 5, total=True).to_dicts()}
    assert kost[("Totalt länet", 2023)] == f"25{NBSP}000{NBSP}kr"  # 1 000 000 / 40, not the mean 30 000
    assert kost[("Förbund B", 2023)] == f"20{NBSP}000{NBSP}kr"


def test_small_counts_are_suppressed_and_ratios_on_them_hidden(con):
    bygge = lage(con)
    g = grund(con, bygge, ("a", "b"))
    antal = {(r["serie"], r["panel"], r["ar"]): (r["text"], r["varde"]) for r in pl.concat(
        [langt(g, MATT[k], 5, total=True) for k in ("avslut_arbete_studier", "avslut_jobb_studieredo")]).to_dicts()}
    assert antal[("Förbund A", "Avslut mot arbete/studier", 2023)] == ("<5", None)
    assert antal[("Förbund A", "Avslut jobb-/studieredo", 2023)] == ("0", 0.0)     # zero stays 0
    assert antal[("Förbund B", "Avslut mot arbete/studier", 2023)] == ("12", 12.0)
    assert antal[("Totalt länet", "Avslut mot arbete/studier", 2023)] == ("dold", None)  # 15 - 12 would give it away
    kvot = {(r["serie"], r["ar"]): r["text"] for r in
            langt(g, MATT["kostnad_per_avslut_arbete_studier"], 5, total=True).to_dicts()}
    assert kvot[("Förbund A", 2023)] == "dold"
    assert kvot[("Förbund B", 2023)] == f"50{NBSP}000{NBSP}kr"
    assert kvot[("Totalt länet", 2023)] == "dold"
    utfall = {(r["serie"], r["ar"]): r["text"] for r in langt(g, MATT["kostnad_per_utfall"], 5).to_dicts()}
    assert utfall[("Förbund A", 2023)] == "dold"                # utfall 3 + 0 is a count under 5


def test_marks_say_what_datakvalitet_and_kalla_say(con):
    bygge = lage(con)
    diagram = deltagare.diagram(grund(con, bygge, ("a", "b")), anmarkningar(con), bygge)
    ringar = [t for tr in diagram[0].figur.data if tr.name == "⚠ anmärkning" for t in tr.hovertext]
    assert any("stock-flow-avvikelse 2022: +15" in t and "från SUS-rapport 2022" in t for t in ringar)
    saknas = [a.hovertext for a in diagram[0].figur.layout.annotations if a.text == "saknas"]
    assert "Förbund A 2022: uppgift saknas" in saknas


def test_chart_with_nothing_to_draw_has_no_figure_but_a_table(con):
    con.execute("update marts.ekonomi_ar set kostnad_individ = null")
    con.execute("update marts.jamforelse_ar set kostnad_per_deltagare = null, kostnad_per_avslut = null, "
                "kostnad_per_avslut_arbete_studier = null, kostnad_per_utfall = null")
    bygge = lage(con)
    d = next(d for d in kostnader.diagram(grund(con, bygge, ("a", "b")), anmarkningar(con), bygge)
             if d.id == "kostnad_per")
    assert d.figur is None
    assert {c for r in d.tabell.rader for c in r[2:]} == {"saknas", "dold"}  # dold: a 2023 has 3 avslut


def test_exports_suppress_in_excel_and_keep_exact_values_in_parquet(con, tmp_path):
    ut = tmp_path / "marts"
    rapport = build_report(con, ut, png=False)
    assert (ut / "genomlysning" / "18_orebro_lan.html").exists() and (ut / "genomlysning.html").exists()
    sida = (ut / "genomlysning" / "18_orebro_lan.html").read_text(encoding="utf-8")
    assert "&lt;5" in sida and f"40,0{NBSP}%" in sida
    wb = openpyxl.load_workbook(ut / "genomlysning" / "genomlysning.xlsx")
    assert set(wb.sheetnames) == ({t.split(".")[1] for t in TABELLER if t.startswith("marts.")}
                                  | {"definitioner", "Läs mig", "Nyckeltal"})
    ws = wb["deltagare_ar"]
    huvud = [c.value for c in ws[1]]
    rader = [dict(zip(huvud, (c.value for c in rad))) for rad in ws.iter_rows(min_row=2)]
    liten = next(r for r in rader if r["insats"] == "Liten insats")
    assert (liten["deltagare"], liten["avslutade"], liten["avslut_arbete_studier"]) == ("<5", "<5", 0)
    assert next(r for r in rader if r["forbund"] == "b" and r["ar"] == 2023)["deltagare"] == 60
    ws = wb["jamforelse_ar"]
    huvud = [c.value for c in ws[1]]
    jam = {(r[0].value, r[1].value): r for r in ws.iter_rows(min_row=2)}
    a = jam[("a", 2023)]
    cell = a[huvud.index("kostnad_per_avslut_arbete_studier")]
    assert cell.value is None and "dold" in cell.comment.text
    assert a[huvud.index("kostnad_per_deltagare")].value == 10_000
    assert jam[("b", 2023)][huvud.index("kostnad_per_avslut_arbete_studier")].value == 50_000
    exakt = pl.read_parquet(ut / "parquet" / "deltagare_ar.parquet").filter(pl.col("insats") == "Liten insats")
    assert exakt.select("deltagare", "avslutade", "avslut_jobb_studieredo").row(0) == (3, 1, 1)
    assert rapport.diagram["18_orebro_lan.html"] > 0
    assert rapport.filer[ut / "genomlysning" / "genomlysning.xlsx"] > 0


def test_footer_names_checksums_and_the_latest_run_when_korningar_exists(con, tmp_path):
    build_report(con, tmp_path / "utan", png=False)
    assert "abc123" in (tmp_path / "utan" / "genomlysning" / "18_orebro_lan.html").read_text(encoding="utf-8")
    assert "Senaste körning" not in (tmp_path / "utan" / "genomlysning.html").read_text(encoding="utf-8")
    con.execute("create table marts.korningar (run_id VARCHAR, startad TIMESTAMPTZ, klar TIMESTAMPTZ, status VARCHAR, "
                "lopnummer INTEGER)")
    # the latest run is the one numbered last, though the clock stepped back an hour before it started
    con.execute("insert into marts.korningar values "
                "('gammal', '2024-06-01 02:30+00', '2024-06-01 02:31+00', 'publicerad', 1),"
                " ('ny-korning', '2024-06-01 01:45+00', '2024-06-01 01:46+00', 'publicerad', 2)")
    build_report(con, tmp_path / "med", png=False)
    sida = (tmp_path / "med" / "genomlysning.html").read_text(encoding="utf-8")
    assert "Senaste körning ny-korning:" in sida and "gammal" not in sida


@pytest.mark.parametrize("rader, kolumner, vertikal, horisontell, titlar", [
    (1, 1, 0.02, 0.2, None), (3, 1, 0.12, 0.2, ["a", "b", "c"]), (2, 2, 0.14, 0.08, ["a", "b", "c"]),
    (4, 2, 0.14 / 3, 0.08, list("abcdefg"))])
def test_panels_are_laid_out_as_make_subplots_lays_them_out(rader, kolumner, vertikal, horisontell, titlar):
    vantat = make_subplots(rows=rader, cols=kolumner, vertical_spacing=vertikal, horizontal_spacing=horisontell,
                           subplot_titles=titlar).layout.to_plotly_json()
    egen = rutnat(rader, kolumner, vertikal, horisontell, titlar)
    axlar = sorted(k for k in vantat if k.startswith(("xaxis", "yaxis")))
    assert sorted(k for k in egen if k != "annotations") == axlar
    for k in axlar:
        assert egen[k]["anchor"] == vantat[k]["anchor"] and egen[k]["domain"] == pytest.approx(vantat[k]["domain"])
    for a, b in zip(egen["annotations"], vantat.get("annotations", []), strict=True):
        assert {**a, "x": pytest.approx(b["x"]), "y": pytest.approx(b["y"])} == b


def test_a_reference_line_is_what_add_hline_draws():
    fig = make_subplots(rows=2, cols=1)
    fig.add_trace(go.Bar(x=[2019], y=[1]), row=2, col=1)
    fig.add_hline(y=3.5, line=dict(color="#888", dash="dot"), annotation_text="riket 3,5 %", row=2, col=1)
    layout: dict = {}
    referenslinje(layout, 3.5, "riket 3,5 %", dict(color="#888", dash="dot"), 2)
    vantat = fig.layout.to_plotly_json()
    assert layout["shapes"] == vantat["shapes"] and layout["annotations"] == vantat["annotations"]


def test_a_chart_has_plotly_whites_look_for_the_trace_types_the_report_draws():
    vit = go.Figure(layout=dict(template="plotly_white")).layout.template
    egen = figur([dict(type="bar", x=[2019], y=[1]), dict(type="scatter", x=[2019], y=[1]),
                  dict(type="sankey", node=dict(label=["a", "b"]), link=dict(source=[0], target=[1], value=[1]))],
                 300).layout.template
    assert egen.layout == vit.layout
    assert all(egen.data[t] == vit.data[t] for t in RITADE_TYPER) and set(RITADE_TYPER) == {"bar", "sankey", "scatter"}


def test_excel_text_stays_text_never_a_formula_or_a_link(tmp_path):
    fil = tmp_path / "datakvalitet.parquet"
    pl.DataFrame({"beskrivning": ["=SUM(A1:A9)", "https://example.org/x", "+46 19 123"]}).write_parquet(fil)
    wb = openpyxl.load_workbook(export.excel([fil], [], tmp_path / "g.xlsx", 5))
    celler = [c for (c,) in wb["datakvalitet"].iter_rows(min_row=2)]
    assert [(c.value, c.data_type, c.hyperlink) for c in celler] == [
        ("=SUM(A1:A9)", "s", None), ("https://example.org/x", "s", None), ("+46 19 123", "s", None)]


def test_the_workbook_opens_with_laes_mig_and_nyckeltal_then_the_marts_in_reading_order(con, tmp_path):
    """Owners' workbook: Läs mig and Nyckeltal first, the comparison and the report's marts in reading order, the
    definitions after; row 1 is still the mart's columns (then the förbund's name and län, added), with the Swedish
    label as a note; % and kr formats; a frozen header row and an autofilter; the partial year 2024 is not in
    Nyckeltal."""
    ut = tmp_path / "marts"
    build_report(con, ut, png=False)
    wb = openpyxl.load_workbook(ut / "genomlysning" / "genomlysning.xlsx")
    assert wb.sheetnames == ["Läs mig", "Nyckeltal", "jamforelse_ar", "deltagare_ar", "ekonomi_ar", "kommunfordelning",
                             "malgrupp_ar", "helarsekvivalenter_ar", "malgrupp_kommun", "helarsekvivalenter_kommun",
                             "datakvalitet", "definitioner", "inlasta_filer"]
    ws = wb["jamforelse_ar"]
    kolumner = [r[0] for r in con.execute("select column_name from duckdb_columns() where table_name = "
                                          "'jamforelse_ar' order by column_index").fetchall()]
    huvud = [c.value for c in ws[1]]
    assert huvud == kolumner + ["förbundsnamn", "län"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{ws.cell(1, len(huvud)).column_letter}7"
    assert ws.cell(1, huvud.index("kostnad_per_deltagare") + 1).comment.text.startswith("Kostnad per deltagare\n")
    a2023 = next(r for r in ws.iter_rows(min_row=2) if (r[0].value, r[1].value) == ("a", 2023))
    assert (a2023[huvud.index("kostnad_per_deltagare")].value,
            a2023[huvud.index("kostnad_per_deltagare")].number_format) == (10_000, '#,##0 "kr"')
    assert (a2023[huvud.index("andel_avslutade")].value, a2023[huvud.index("andel_avslutade")].number_format) == (
        0.25, "0.0 %")
    assert a2023[huvud.index("deltagare")].number_format == "#,##0"
    assert (a2023[huvud.index("förbundsnamn")].value, a2023[huvud.index("län")].value) == ("Förbund A", "Örebro län")
    nyckel = list(wb["Nyckeltal"].iter_rows(values_only=True))
    assert nyckel[0][:6] == ("Förbund", "Kod", "Län", "År", MATT["deltagare"].namn, MATT["andel_avslutade"].namn)
    assert [r[:6] for r in nyckel[1:]] == [("Förbund A", "a", "Örebro län", 2023, 40, 0.25),
                                          ("Förbund B", "b", "Örebro län", 2023, 60, 0.5)]
    assert wb["Nyckeltal"].cell(2, 6).number_format == "0.0 %"
    las_mig = [c for r in wb["Läs mig"].iter_rows(values_only=True) for c in r if c]
    assert las_mig[0] == "Genomlysning av samordningsförbunden 2022–2024"
    assert any("2024 är ett påbörjat år" in c for c in las_mig)
    assert [c for c in las_mig if c in wb.sheetnames] == wb.sheetnames[1:]
    kvalitet = list(wb["datakvalitet"].iter_rows(values_only=True))
    regeltext = kvalitet[0].index("regeltext")
    assert kvalitet[1][regeltext] == codes(SQL_DIR)["stock_flow"].text


def test_charts_built_without_validation_are_what_plotly_validates(con, monkeypatch):
    """charts.figur skips plotly's validation (VALIDERA, a fifth of the report's time at national scale): every chart
    of a page comes out as the same JSON as when validated, validation passes (a misspelt property raises here),
    and the page's figure data (html.figurdata) is the figure's JSON without its template."""
    import json

    from plotly.utils import PlotlyJSONEncoder

    from finsam.report import avsnitt, charts, html
    from finsam.report.charts import Diagram

    bygge = lage(con)

    def diagram():
        return [d for _, delar in avsnitt(con, bygge, bygge.lan[0]) for d in delar
                if isinstance(d, Diagram) and d.figur is not None]

    def som_json(d):
        return json.loads(json.dumps(d.figur.to_plotly_json(), cls=PlotlyJSONEncoder))
    snabba = diagram()
    monkeypatch.setattr(charts, "VALIDERA", True)
    validerade = diagram()
    assert len(snabba) >= 5 and [som_json(d) for d in snabba] == [som_json(d) for d in validerade]
    sida = json.loads(html.figurdata(snabba))
    for d in snabba:
        fig = som_json(d)
        assert sida["mallar"][sida["figurer"][f"fig-{d.id}"]["mall"]] == fig["layout"].pop("template")
        assert {k: v for k, v in sida["figurer"][f"fig-{d.id}"].items() if k != "mall"} == fig


def test_years_are_listed_as_runs():
    from finsam.report.format import arsspann
    assert arsspann([2020, 2016, 2017, 2018, 2023, 2024, 2016, None]) == "2016–2018, 2020, 2023–2024"
    assert arsspann([2019]) == "2019" and arsspann([None]) == "" and arsspann([2019, 2021]) == "2019, 2021"


def _dubbletter(con, n: int) -> None:
    """n duplicate findings of förbund a: one per spell, in 2021 and 2022, in two insatser and two files."""
    con.executemany("insert into marts.datakvalitet by name select 'a' forbund, ? ar, ? insats, "
                    "'dubblett_konflikt' regel, 'varning' allvarlighet, ? fil, ? hittat, 'x' forvantat, "
                    "'a spell appears twice' beskrivning",
                    [[2021 + i % 2, f"Insats {i % 2 + 1}", f"raw/sus/a_{i % 2}.csv", f"slut={i}"] for i in range(n)])


def test_remark_tables_have_a_row_per_forbund_remark_and_file_with_its_years(con):
    from finsam.report import bilaga, datakvalitet
    _dubbletter(con, 6)
    con.execute("insert into marts.datakvalitet by name select 'b' forbund, ar, '*' insats, 'stock_flow' regel, "
                "'varning' allvarlighet, 15.0 varde, 'f' fil, 'h' hittat from range(2016, 2021) t(ar)")
    fynd = datakvalitet._fynd(con, ("a", "b"))
    assert fynd.tabell.kolumner == ["Förbund", "År", "Insats", "Anmärkning", "Allvarlighet", "Antal", "Fil"]
    assert fynd.tabell.rader == [
        ["Förbund A", "2021", "Insats 1", "dubbletter med olika värden", "varning", "3", "raw/sus/a_0.csv"],
        ["Förbund A", "2022", "Insats 2", "dubbletter med olika värden", "varning", "3", "raw/sus/a_1.csv"],
        # the hand-made warehouse's own finding (2022, no file) and the five years of the same value
        ["Förbund B", "2016–2020", "", "stock-flow-avvikelse: +15", "varning", "5", "f"],
        ["Förbund B", "2022", "", "stock-flow-avvikelse: +15", "varning", "1", ""]]
    tekniska = bilaga._anmarkningar(con, ("a", "b"))[0].tabell
    assert tekniska.kolumner[:6] == ["Förbund", "År", "Insats", "Regel", "Allvarlighet", "Antal"]
    assert tekniska.rader[0] == ["Förbund A", "2021", "Insats 1", "dubblett_konflikt", "varning", "3",
                                 "a spell appears twice", "slut=0 (1 av 3 olika)", "x", "raw/sus/a_0.csv"]
    assert tekniska.rader[2] == ["Förbund B", "2016–2020", "*", "stock_flow", "varning", "5", "", "h", "", "f"]


def test_a_lan_page_lists_the_files_that_feed_it():
    import datetime as dt

    from finsam.report import lanets_filer
    from finsam.report.data import Lage, Lan
    bygge = Lage(5, dt.datetime(2026, 1, 1), 2016, 2025, None, {}, (
        Lan("18", "Örebro län", ("lekeberg_orebro", "sf002")), Lan("01", "Stockholms län", ("sf001",))))
    filer = pl.DataFrame({"fil": ["raw/sus/lekeberg_orebro_2020.csv", "raw/sus/sf001_2020.csv",
                                  "raw/sus/sf0021.csv", "raw/ekonomi/lan_01_arsredovisningar.csv",
                                  "raw/scb/folkmangd/Örebro_län_folkmängd.csv", "raw/scb/riket.csv",
                                  "raw/tilldelning/sf001_sf002.csv"]})
    assert lanets_filer(filer, bygge, bygge.lan[0])["fil"].to_list() == [
        "raw/sus/lekeberg_orebro_2020.csv", "raw/sus/sf0021.csv", "raw/scb/folkmangd/Örebro_län_folkmängd.csv",
        "raw/scb/riket.csv", "raw/tilldelning/sf001_sf002.csv"]
    assert lanets_filer(filer, bygge, bygge.lan[1])["fil"].to_list() == [
        "raw/sus/sf001_2020.csv", "raw/sus/sf0021.csv", "raw/ekonomi/lan_01_arsredovisningar.csv",
        "raw/scb/riket.csv", "raw/tilldelning/sf001_sf002.csv"]


def test_a_page_of_national_size_stays_under_the_limit(con, tmp_path):
    """A län at national scale (SCALE=80: 500 duplicate findings a län, 219 input files of 21 län): its remark
    tables a row per förbund, remark and file, its footer its own files, the page under SIDA_MAX with room."""
    from finsam.report.html import SIDA_MAX
    _dubbletter(con, 500)
    con.executemany("insert into register.forbund values (?, ?, '01')", [[f"sf{i:03d}", f"F{i}"] for i in range(20)])
    con.executemany("insert into marts.inlasta_filer values (?, 'sus', 'inlast', 10, '2024-05-01', ?, null)",
                    [[f"raw/sus/sf{i % 20:03d}_{i}.csv", f"{i:064d}"] for i in range(218)])
    build_report(con, tmp_path / "ut", png=False)
    sida = (tmp_path / "ut" / "genomlysning" / "18_orebro_lan.html").read_text(encoding="utf-8")
    # a row in each remark table per insats and file, and the code explained once (Regelkoderna)
    assert sida.count("<td>dubbletter med olika värden</td>") == 3 and sida.count(">dubblett_konflikt</t") == 3
    assert "raw/sus/a.csv" in sida and "raw/sus/sf001_" not in sida
    assert "Körningens övriga 218\u00a0filer hör till andra län" in sida
    assert len(sida.encode()) < SIDA_MAX - 400_000
    # on paper the key figures keep their words whole, the index's on a landscape page (html.CSS, table.bred)
    assert re.search(r'<table class="bred[^"]*"><caption>Nyckeltal 2023</caption>', sida)
    assert '<table class="sort bred">' in (tmp_path / "ut" / "genomlysning" / "index.html").read_text(encoding="utf-8")


def test_the_pages_plotly_is_the_partial_bundle_of_the_installed_plotly_and_the_drawn_trace_types():
    """scripts/plotly_bundle.sh built finsam/report/plotly-finsam.min.js.gz from the plotly.js the installed plotly
    carries, with the trace types the report draws: after an upgrade of plotly (or a new trace type) this fails
    until the script is run again (the pages meanwhile carry the full bundle)."""
    import base64
    import gzip

    from plotly.offline import get_plotlyjs_version

    from finsam.report import html
    with gzip.open(html.DELBUNT, "rt", encoding="utf-8") as f:
        forsta = f.readline()
    assert forsta.startswith(f"/*! plotly.js v{get_plotlyjs_version()} (finsam: {','.join(RITADE_TYPER)})")
    assert html.delbunt_version() == get_plotlyjs_version()
    packad = html.plotly_packad()
    assert len(packad) < 700_000 and gzip.decompress(base64.b64decode(packad)).decode().startswith(forsta)
