"""The summary first: key-figure cards, generated sentences and the index's status lines, on hand-computed fixtures
(a grund() frame and the marts the summary reads, made here), and on the sample's report."""
import datetime as dt
import re

import duckdb
import polars as pl
import pytest

from finsam.report import sammanfattning as s
from finsam.report.data import Lage, Lan
from finsam.report.format import MINUS, NBSP, uppraknad

NYCKEL = ("deltagare", "andel_avslutade", "kostnad_per_deltagare", "eget_kapital_andel", "datakvalitet_poang")
LAN = Lan("18", "Örebro län", ("a", "b"))
LAGE = Lage(grans=5, byggd=dt.datetime(2026, 2, 1), ar_fran=2024, ar_till=2025, delar=None,
            namn={"a": "Förbund A", "b": "Förbund B", "c": "Förbund C"}, lan=(LAN,))
KOLUMNER = ("forbund", "namn", "ar", "deltagare", "avslutade", "kostnad_individ", "medlemsbidrag", "eget_kapital",
            "datakvalitet_poang")


def _g(*rader) -> pl.DataFrame:
    return pl.DataFrame([dict(zip(KOLUMNER, r)) for r in rader],
                        schema={k: (pl.String if k in ("forbund", "namn") else pl.Int64 if k in
                                    ("ar", "deltagare", "avslutade", "datakvalitet_poang") else pl.Float64)
                                for k in KOLUMNER})


# Förbund A: 100 -> 130 deltagare, 40 -> 39 avslutade (40,0 % -> 30,0 %), kostnad_individ 2,0 -> 2,6 mnkr
# (20 000 kr per deltagare both years), eget kapital 0,9 -> 1,5 mnkr of 5 mnkr medlemsbidrag (18,0 % -> 30,0 %).
# Förbund B: 3 deltagare in 2024 (suppressed, so no change is written), 50 in 2025.
G = _g(("a", "Förbund A", 2024, 100, 40, 2_000_000, 5_000_000, 900_000, 100),
       ("a", "Förbund A", 2025, 130, 39, 2_600_000, 5_000_000, 1_500_000, 95),
       ("b", "Förbund B", 2024, 3, 0, None, 2_000_000, None, None),
       ("b", "Förbund B", 2025, 50, 10, 1_000_000, 2_000_000, 200_000, None))


def n(text: str) -> str:
    """Expected text with '_' for the no-break space the report writes inside numbers and before units."""
    return text.replace("_", NBSP).replace("−", MINUS)


def _underlag(**kw) -> s.Underlag:
    fynd = pl.DataFrame({"forbund": ["a", "a"], "ar": [2025, 2024], "regel": ["eget_kapital_over_20"] * 2,
                         "allvarlighet": ["varning"] * 2, "varde": [0.30, 0.21]})
    u = dict(fynd=fynd,
             riket=pl.DataFrame({"ar": [2025], "matt": ["andel_avslutade"], "samlad": [0.35], "forbund_antal": [80]}),
             mal=pl.DataFrame({"forbund": ["a", "a"], "ar": [2025, 2025], "matt": ["deltagare", "eget_kapital"],
                               "status": ["ej_uppnatt", "uppnatt"]}),
             mal_summa=pl.DataFrame({"forbund": ["a"], "ar": [2025], "mal": [2], "uppnadda": [1]}),
             prognos=pl.DataFrame({"forbund": ["a"], "ar": [2025], "period_till": [dt.date(2025, 8, 31)],
                                   "prognos": [5_200_000.0], "budget": [5_000_000.0], "kalla": ["delar"]}))
    return s.Underlag(**{**u, **kw})


def test_cards_show_value_change_lan_riket_and_marks():
    kort = {k.matt: k for k in s.kort(G, LAGE, "a", NYCKEL, _underlag())}
    d = kort["deltagare"]
    assert (d.varde, d.forandring, d.lan, d.riket) == ("130", "+30", "180", None)    # län: 130 + 50
    assert d.markeringar == ["Målet för deltagare nåddes inte"]                      # ej_uppnatt in maluppfyllelse_ar
    a = kort["andel_avslutade"]                                                       # 39/130, 40/100, (39+10)/180
    assert (a.varde, a.forandring, a.lan, a.riket) == (n("30,0_%"), n("−10,0 procentenheter"), n("27,2_%"),
                                                       n("35,0_%"))
    k = kort["kostnad_per_deltagare"]                                                 # 2,6 mnkr/130, 3,6 mnkr/180
    assert (k.varde, k.forandring, k.lan) == (n("20_000_kr"), n("0_kr"), n("20_000_kr"))
    e = kort["eget_kapital_andel"]                                                    # 1,7 mnkr / 7 mnkr
    assert (e.varde, e.forandring, e.lan) == (n("30,0_%"), n("+12,0 procentenheter"), n("24,3_%"))
    assert e.markeringar == ["Eget kapital över 20 % av medlemsbidraget (riktlinje)"]
    q = kort["datakvalitet_poang"]
    assert (q.varde, q.forandring, q.lan, q.markeringar) == ("95", n("−5"), None, [])   # a score has no län value
    ensam = {k.matt: k.lan for k in s.kort(G.filter(pl.col("forbund") == "a"), LAGE, "a", NYCKEL, _underlag())}
    assert set(ensam.values()) == {None}                        # a one-förbund län's value is the förbund's own
    # B's 2024 count is suppressed: no change is written for it, nor for the share built on it
    b = {k.matt: k for k in s.kort(G, LAGE, "b", NYCKEL, s.tomt_underlag())}
    assert (b["deltagare"].varde, b["deltagare"].forandring, b["deltagare"].riket) == ("50", "dold", None)
    assert b["andel_avslutade"].forandring == "dold"
    assert b["kostnad_per_deltagare"].forandring == "dold"       # hidden (on 3 deltagare) before it is missing
    assert b["eget_kapital_andel"].forandring == "saknas"                             # 2024 has no eget kapital
    assert not any(k.markeringar for k in b.values())


def test_sentences_for_a_forbund_with_a_guideline_goals_and_a_delar():
    assert s.meningar(G, LAGE, "a", NYCKEL, _underlag()) == [
        "Förbund A hade 130 deltagare 2025, 30 fler än 2024.",
        n("Störst förändring bland nyckeltalen: eget kapital ÷ medlemsbidrag steg från 18,0_% till 30,0_% "
          "(+12,0 procentenheter)."),
        n("Eget kapital över 20 % av medlemsbidraget 2025 (30,0_%): riktlinjen hölls inte."),
        "Förbundet nådde 1 av sina 2 mål 2025.",
        "Inga nyckeltal saknas för 2025. Datakvaliteten 2025: 95 poäng av 100."]
    # without the guideline and goals, the delår's prognosis has room
    utan = _underlag(fynd=s.tomt_underlag().fynd, mal=None, mal_summa=None)
    assert s.meningar(G, LAGE, "a", NYCKEL, utan)[2] == n(
        "Enligt delårsrapporten till 2025-08-31 blir kostnaderna 2025 5_200_000_kr mot en budget på 5_000_000_kr "
        "(104_% av budgeten).")


def test_sentences_never_write_a_suppressed_count_and_say_what_is_missing():
    assert s.meningar(G, LAGE, "b", NYCKEL, s.tomt_underlag()) == [
        "Förbund B hade 50 deltagare 2025.",                        # 2024's 3 is suppressed: no difference
        "Inget annat nyckeltal kan jämföras med 2024.",
        "Inga nyckeltal saknas för 2025."]
    g = _g(("c", "Förbund C", 2024, 40, 10, None, None, None, 90),
           ("c", "Förbund C", 2025, 3, 1, None, None, None, 90))
    meningar = s.meningar(g, LAGE, "c", NYCKEL, s.tomt_underlag())
    assert meningar == [
        "Förbund C hade för få deltagare 2025 för att antalet ska visas (färre än 5).",
        "Inget annat nyckeltal kan jämföras med 2024.",
        "Uppgift saknas 2025 för eget kapital ÷ medlemsbidrag. Datakvaliteten 2025: 90 poäng av 100."]
    assert not any(re.search(r"\b3\b|\b37\b", m) for m in meningar)   # neither the count nor 40 − 3
    kort = {k.matt: k for k in s.kort(g, LAGE, "c", NYCKEL, s.tomt_underlag())}
    assert (kort["deltagare"].varde, kort["deltagare"].forandring) == ("<5", "dold")
    assert (kort["andel_avslutade"].varde, kort["andel_avslutade"].forandring) == ("dold", "dold")
    assert (kort["kostnad_per_deltagare"].varde, kort["eget_kapital_andel"].varde) == ("dold", "saknas")
    g2 = _g(*G.rows()[:2], ("c", "Förbund C", 2024, 40, 10, None, None, None, 90),
            ("c", "Förbund C", 2025, 3, 1, None, None, None, 90))
    lan = {k.matt: k.lan for k in s.kort(g2, LAGE, "a", NYCKEL, s.tomt_underlag())}
    assert lan["deltagare"] == lan["andel_avslutade"] == "dold"     # a län total would give C's 3 away


def test_goal_sentences_and_plural_forms():
    def mal(m, u):
        return s._riktlinjer_och_mal(_underlag(fynd=s.tomt_underlag().fynd, mal_summa=pl.DataFrame(
            {"forbund": ["a"], "ar": [2025], "mal": [m], "uppnadda": [u]})), "a", 2025)
    assert mal(1, 1) == ["Förbundet nådde sitt enda mål 2025."]
    assert mal(1, 0) == ["Förbundet nådde inte sitt enda mål 2025."]
    assert mal(3, 0) == ["Förbundet nådde inget av sina 3 mål 2025."]
    assert mal(4, 4) == ["Förbundet nådde alla sina 4 mål 2025."]
    assert [uppraknad(x) for x in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == ["", "a", "a och b", "a, b och c"]


def test_status_line_per_forbund():
    assert s.statusrad(G, LAGE, "a", _underlag()) == [
        "deltagare 2025: 130 (+30 mot 2024)", n("prognos 2025: kostnaderna 104_% av budget"),
        "mål 2025: 1 av 2 uppnådda", "datakvalitet 2025: 95 av 100"]
    assert s.statusrad(G, LAGE, "b", s.tomt_underlag()) == ["deltagare 2025: 50"]
    assert s.statusrad(G, LAGE, "b", s.tomt_underlag(), NYCKEL) == ["deltagare 2025: 50", "1 av 5 nyckeltal saknas"]
    html = s.status_html([("a", "Förbund A", "18_orebro_lan.html#f-a", ["deltagare 2025: 130"])])
    assert '<li id="s-a"><a href="18_orebro_lan.html#f-a">Förbund A</a>: deltagare 2025: 130</li>' in html


def test_a_forbund_section_renders_cards_marks_and_links():
    del_ = s.Forbundsdel("a", "Förbund A", 2025, s.kort(G, LAGE, "a", NYCKEL, _underlag()), ["En mening."],
                         [("kostnad_per", "Kostnad per deltagare")], [("a", "Förbund A"), ("b", "Förbund B")])
    html = del_.html()
    assert html.count('<div role="listitem"') == len(NYCKEL) and html.count('class="miss"') == 2
    assert n('<div class="v">30,0_%</div>') in html and n("Länet 24,3_%") in html
    assert '<a href="#kostnad_per" data-framhav="Förbund A">Kostnad per deltagare</a>' in html
    assert '<section class="forbund" id="f-a" data-framhav="Förbund A">' in html
    assert '<a href="index.html#s-a">' in html and '<a href="#f-b">Förbund B</a>' in html
    ensam = s.Forbundsdel("a", "Förbund A", 2025, [], [], [], [("a", "Förbund A")]).html()
    assert "<script>" in ensam and "Förbunden i länet" not in ensam                # no list of one
    assert "<style>" in html and "<script>" in html          # the page's first section carries them, once
    assert "<script>" not in s.Forbundsdel("b", "Förbund B", 2025, [], [], []).html()


def test_a_forbund_named_with_markup_finds_its_charts_and_its_highlight_matches_their_traces():
    """A name holding '<', '>' or '&' is written escaped in the figures (charts.plotlytext: plotly shows it as
    written, never as markup), so the section finds its charts by that form, and its highlight links carry it: the
    browser reads the attribute back to the trace's name (RESTYLE_JS compares them)."""
    from html import unescape

    from finsam.report.charts import Diagram, Tabell, figur, plotlytext
    namn = '<b>A</b> & "B"'
    lage = Lage(grans=5, byggd=dt.datetime(2026, 2, 1), ar_fran=2024, ar_till=2025, delar=None,
                namn={"a": namn, "b": "Förbund B"}, lan=(LAN,))
    fig = figur([dict(type="scatter", name=namn, x=[2025], y=[1]), dict(type="scatter", name="Förbund B", x=[2025],
                                                                        y=[2])], 300)
    d = Diagram("deltagare", "Deltagare", "def", ("deltagare_ar",), Tabell(["År"], [["2025"]]), fig)
    [a, b] = s.delar(G, lage, LAN, NYCKEL, s.tomt_underlag(), [d])
    assert fig.data[0].name == "&lt;b&gt;A&lt;/b&gt; &amp; \"B\"" == plotlytext(namn)
    assert a.diagram == [("deltagare", "Deltagare")] and b.diagram == [("deltagare", "Deltagare")]
    html = a.html()
    attribut = re.findall(r'data-framhav="([^"]*)"', html)
    assert attribut and {unescape(v) for v in attribut if v} == {fig.data[0].name}
    assert "<b>A</b>" not in html and "&lt;b&gt;A&lt;/b&gt; &amp; &quot;B&quot; i diagrammen" in html
    assert 'aria-label="Nyckeltal 2025 för &lt;b&gt;A&lt;/b&gt; &amp; &quot;B&quot;"' in html   # read as written


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute("create schema marts")
    c.execute("""create table marts.datakvalitet as select * from (values
        ('a', 2025, '*', 'eget_kapital_over_20', 'varning', 0.3), ('a', 2025, 'X', 'stock_flow', 'varning', 2.0),
        (null, null, null, 'fil_avvisad', 'fel', null)) t(forbund, ar, insats, regel, allvarlighet, varde)""")
    yield c
    c.close()


def test_underlag_reads_only_the_marts_the_build_has(con):
    u = s.underlag(con)
    assert u.riket is None and u.mal is None and u.mal_summa is None and u.prognos is None
    assert sorted(u.fynd.select("forbund", "regel").iter_rows()) == [("a", "eget_kapital_over_20"),
                                                                     ("a", "stock_flow")]


def test_riket_and_goals_are_read_when_the_build_has_them(con):
    con.execute("""create table marts.jamforelse_referens_ar as select * from (values
        ('lan', '18', 2025, 'andel_avslutade', 4, 0.30, 0.31, 0.25, 0.40),
        ('riket', 'riket', 2025, 'andel_avslutade', 80, 0.35, 0.36, 0.28, 0.44))
        t(niva, kod, ar, matt, forbund_antal, samlad, median, p25, p75)""")
    con.execute("""create table marts.maluppfyllelse_ar as select * from (values
        ('a', '*', 2025, 'deltagare', 'ej_uppnatt'), ('a', 'Team', 2025, 'deltagare', 'uppnatt'))
        t(forbund, insats, ar, matt, status)""")
    con.execute("create table marts.maluppfyllelse_forbund_ar as select 'a' as forbund, 2025 as ar, 2::bigint as mal, "
                "1::bigint as uppnadda, 0.5 as andel_uppnadda")
    u = s.underlag(con)
    assert u.riket.rows() == [(2025, "andel_avslutade", 0.35, 80)]
    assert u.mal.rows() == [("a", 2025, "deltagare", "ej_uppnatt")]               # the förbund's own goals only
    kort = {k.matt: k for k in s.kort(G, LAGE, "a", NYCKEL, u)}
    assert kort["andel_avslutade"].riket == n("35,0_%") and kort["deltagare"].riket is None
    assert s.statusrad(G, LAGE, "a", u)[1] == "mål 2025: 1 av 2 uppnådda"


def test_prognosis_from_the_latest_delar_else_the_forbunds_prognosis(con):
    con.execute("""create table marts.delar_ar as select * from (values
        ('a', 2026, date '2026-04-30', 'administration', 1.0, 10.0, 0.1, 0.33, 900.0, 'linjar'),
        ('a', 2026, date '2026-08-31', 'administration', 1.0, 1000.0, 0.1, 0.67, 1100.0, 'forbund'),
        ('a', 2026, date '2026-08-31', 'individinriktade_insatser', 1.0, 3000.0, 0.1, 0.67, 2900.0, 'forbund'),
        ('a', 2026, date '2026-08-31', 'medlemsbidrag_stat', 1.0, 9999.0, 0.1, 0.67, 9999.0, 'forbund'))
        t(forbund, ar, period_till, kategori, utfall_hittills, budget_helar, forbrukad_andel, forvantad_andel,
          prognos_helar, prognos_kalla)""")
    con.execute("""create table marts.budget_utfall_ar as select * from (values
        ('a', 2026, '*', 'administration', 1000.0, 5000.0, null, null, null),
        ('b', 2026, '*', 'administration', 1000.0, 1200.0, null, null, null),
        ('b', 2026, '*', 'strukturovergripande_insatser', 500.0, 500.0, null, null, null),
        ('b', 2026, 'Team', 'administration', 99.0, 99.0, null, null, null),
        ('c', 2026, '*', 'administration', 1000.0, null, null, null, null))
        t(forbund, ar, insats, kategori, budget, prognos, utfall, avvikelse, avvikelse_andel)""")
    p = {r["forbund"]: r for r in s.underlag(con).prognos.to_dicts()}
    # a: the delår to 31 August (not April), cost categories only (not medlemsbidrag), and it wins over the budget
    assert (p["a"]["prognos"], p["a"]["budget"], p["a"]["kalla"]) == (4000.0, 4000.0, "delar")
    assert (p["b"]["prognos"], p["b"]["budget"], p["b"]["kalla"]) == (1700.0, 1500.0, "budget")   # förbund only
    assert "c" not in p                                                                            # no prognosis
    lage = Lage(5, dt.datetime(2026, 9, 1), 2024, 2026, 2026, {"a": "A", "b": "B"}, (Lan("18", "Ö", ("a", "b")),))
    assert s.statusrad(G, lage, "b", s.underlag(con))[1] == n("prognos 2026: kostnaderna 113_% av budget")


@pytest.mark.slow
def test_the_sample_pages_open_with_the_summary_and_link_both_ways(prov):
    g = prov.marts / "genomlysning"
    sida = (g / "18_orebro_lan.html").read_text(encoding="utf-8")
    index = (g / "index.html").read_text(encoding="utf-8")
    topp = sida.index('<section class="forbund" id="f-sydnarke"')
    assert topp < sida.index('<h2 id="a1">Nyckeltal</h2>') < sida.index('class="plotly-graph-div"')
    assert "<li>Samordningsförbundet Sydnärke hade 167 deltagare 2025, 30 fler än 2024.</li>" in sida
    assert "<li>Förbundet nådde inget av sina 3 mål 2025.</li>" in sida
    assert 'href="index.html#s-sydnarke"' in sida                                     # section -> index
    assert '<li id="s-sydnarke"><a href="18_orebro_lan.html#f-sydnarke">Samordningsförbundet Sydnärke</a>: ' \
           "deltagare 2025: 167 (+30 mot 2024); prognos 2025: kostnaderna 95\xa0% av budget; mål 2025: 0 av 3 " \
               "uppnådda; datakvalitet 2025: 100 av 100</li>" \
           in index                                                                   # index -> section
    utanfor = (prov.marts / "genomlysning.html").read_text(encoding="utf-8")
    assert 'href="genomlysning/18_orebro_lan.html#f-sydnarke"' in utanfor
    # the key figures' table is open, not folded in <details>
    nyckel = sida[sida.index('<h2 id="a1">Nyckeltal</h2>'):sida.index('<h2 id="a2"')]
    assert "<table" in nyckel and "<details" not in nyckel
