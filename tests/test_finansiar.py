"""Who pays and against whom: marts.finansiering_ar, tilldelning_ar's ansökt columns, marts.jamforelse_referens_ar and
the finansiar column of config/kostnadsmappning.csv.

Fixture (2019, hand-computed):
- Sydnärke: årsredovisning incomes staten 2 000, region 1 000, Kumla kommun 400 (a line naming the kommun),
  kommunerna 600 (no kommun named: split by population 1 November 2018, Askersund 1 000, Hallsberg 2 000,
  Kumla 4 000, Laxå 3 000 = 60 / 120 / 240 / 180), ESF 500, MUCF 200, övriga intäkter 100: Σ 4 800 kr.
  Costs admin 100, individ 300 (admin ÷ kostnader 0.25); SUS report 200 deltagare, 100 avslutade (0.5).
- SOFINT: staten 1 000, kommunerna 400 with no population for its members: equal parts, 100 each. Costs admin 200,
  individ 600, struktur 200 (0.2); 10 deltagare, 3 avslutade (0.3).
- Degerfors/Karlskoga: årsredovisning staten 3 000 only, which wins over its tilldelning (its decision says region
  1 000 of 1 200 asked, kommuner 1 000 of 1 000 asked). Costs admin 600, individ 1 400 (0.3); 50 deltagare, 40
  avslutade (0.8).
- Södra Norrbotten (län 25): cost lines only (admin 50, individ 450: 0.1), so who pays comes from its tilldelning
  (2 400 / 1 200 / 1 200 tkr, the kommuner split by population: Luleå 5 000, Piteå 3 000, Älvsbyn 2 000).
- Sydnärke's decision is in an older file without the ansökt columns.
"""
import datetime as dt

import polars as pl
import pytest

from finsam.config import PROJECT_ROOT, load_registry
from finsam.config.insatser import load_insatser
from finsam.config.kostnadsmappning import load_kostnadsmappning
from finsam.io.findings import ConfigError
from finsam.report import vem_betalar
from finsam.report.charts import KATEGORIER, Diagram, linjer, stil, tabell
from finsam.report.data import Lage, Lan, lage as las_lage
from finsam.report.format import NBSP
from finsam.report.measures import MATT, langt
from finsam.report.referens import REFERENS as META, referens
from finsam.report.remarks import anmarkningar
from tests.conftest import built_once

EKONOMI = "Förbund;År;Post;Belopp;Enhet;Typ\n" + "".join(f"{f};2019;{p};{b};kr;{t}\n" for f, p, b, t in [
    ("Sydnärke", "Driftbidrag Försäkringskassan", 2000, "intäkt"),
    ("Sydnärke", "Driftbidrag Region Örebro län", 1000, "intäkt"),
    ("Sydnärke", "Driftbidrag Kumla kommun", 400, "intäkt"),
    ("Sydnärke", "Driftbidrag kommunerna", 600, "intäkt"),
    ("Sydnärke", "Projektmedel ESF", 500, "intäkt"),
    ("Sydnärke", "Bidrag MUCF", 200, "intäkt"),
    ("Sydnärke", "Övriga intäkter", 100, "intäkt"),
    ("Sydnärke", "Kansli", 100, "kostnad"),
    ("Sydnärke", "Samordningsteam", 300, "kostnad"),
    ("SOFINT", "Medlemsbidrag Försäkringskassan", 1000, "intäkt"),
    ("SOFINT", "Medlemsbidrag kommunerna", 400, "intäkt"),
    ("SOFINT", "Kansli", 200, "kostnad"),
    ("SOFINT", "Samverkansteamet", 600, "kostnad"),
    ("SOFINT", "Strukturinsatser", 200, "kostnad"),
    ("Degerfors/Karlskoga", "Medlemsavgift Försäkringskassan", 3000, "intäkt"),
    ("Degerfors/Karlskoga", "Förbundschef", 600, "kostnad"),
    ("Degerfors/Karlskoga", "Coachingteamet", 1400, "kostnad"),
    ("Södra Norrbotten", "Kansli", 50, "kostnad"),
    ("Södra Norrbotten", "Samordningsteam", 450, "kostnad"),
])
TILLDELNING = ("Förbund;År;Stat;Region;Kommuner;Ansökt region;Ansökt kommuner;Enhet\n"
               "Södra Norrbotten;2019;2 400;1 200;1 200;;;tkr\n"
               "Degerfors/Karlskoga;2019;2 000;1 000;1 000;1 200;1 000;kr\n")
TILLDELNING_UTAN_ANSOKT = "Förbund;År;Stat;Region;Kommuner;Enhet\nSydnärke;2019;2 650;1 325;1 325;tkr\n"
BEFOLKNING = "region;ålder;kön;år;antal\n" + "".join(f"{k};totalt ålder;totalt;2018;{n}\n" for k, n in [
    ("1882 Askersund", 1000), ("1861 Hallsberg", 2000), ("1881 Kumla", 4000), ("1860 Laxå", 3000),
    ("2580 Luleå", 5000), ("2581 Piteå", 3000), ("2560 Älvsbyn", 2000)])
AGGREGAT = ("Förbund;År;Deltagare;Nyinskrivna;Avslutade;Källa\n"
            "Sydnärke;2019;200;100;100;rapport\nSOFINT;2019;10;4;3;rapport\nDegerfors/Karlskoga;2019;50;20;40;rapport\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_once(tmp_path_factory, "finansiar", (2019, 2019), {
        "ekonomi/e.csv": EKONOMI, "tilldelning/t.csv": TILLDELNING, "tilldelning/sydnarke.csv": TILLDELNING_UTAN_ANSOKT,
        "scb/folkmangd_nov/nov.csv": BEFOLKNING, "sus_aggregat/a.csv": AGGREGAT})


def _finansiering(built, forbund):
    return {f: (b, a, k, d) for f, b, a, k, d in built.query(
        "select finansiar, belopp, andel, kalla, fordelning from marts.finansiering_ar where forbund = ? and ar = 2019",
        [forbund])}


def test_who_pays_from_the_arsredovisning_lines_with_the_kommun_money_split(built):
    rows = _finansiering(built, "sydnarke")
    belopp = {f: b for f, (b, *_) in rows.items()}
    assert belopp == {"staten": 2000, "region": 1000, "kommun:1882": 60, "kommun:1861": 120, "kommun:1881": 640,
                      "kommun:1860": 180, "esf": 500, "mucf": 200, "ovrigt": 100}
    assert rows["kommun:1881"][1:] == (pytest.approx(640 / 4800), "arsredovisning", "befolkning+kommunrad")
    assert rows["kommun:1882"][3] == "befolkning" and rows["staten"][3] is None
    assert sum(b for b, *_ in rows.values()) == built.query(
        "select intakter_totalt from marts.ekonomi_ar where forbund = 'sydnarke' and ar = 2019")[0][0] == 4800


def test_without_population_the_kommun_money_is_split_equally(built):
    rows = _finansiering(built, "sofint")
    assert {f: (b, d) for f, (b, _, _, d) in rows.items()} == {
        "staten": (1000, None), **{f"kommun:{k}": (100, "lika") for k in ("1885", "1863", "1864", "1884")}}


def test_the_arsredovisning_wins_over_the_decided_tilldelning(built):
    assert _finansiering(built, "degerfors_karlskoga") == {"staten": (3000, 1.0, "arsredovisning", None)}


def test_a_year_without_income_lines_takes_the_tilldelning(built):
    rows = _finansiering(built, "sodra_norrbotten")
    assert {f: (b, a) for f, (b, a, _, _) in rows.items()} == {
        "staten": (2_400_000, 0.5), "region": (1_200_000, 0.25), "kommun:2580": (600_000, 0.125),
        "kommun:2581": (360_000, pytest.approx(0.075)), "kommun:2560": (240_000, pytest.approx(0.05))}
    assert {k for _, _, k, _ in rows.values()} == {"tilldelning"}


def test_every_forbund_year_shares_add_up_to_one(built):
    for forbund, summa in built.query("select forbund, sum(andel) from marts.finansiering_ar group by all"):
        assert summa == pytest.approx(1), forbund
    # Lekeberg och Örebro has neither lines nor a decision: no rows, never zeros
    assert built.query("select count(*) from marts.finansiering_ar where forbund = 'lekeberg_orebro'") == [(0,)]


def test_what_was_asked_of_the_region_and_kommuner_and_the_difference(built):
    rows = {f: r for f, *r in built.query(
        "select forbund, region, ansokt_region, skillnad_region, kommuner, ansokt_kommuner, skillnad_kommuner "
        "from marts.tilldelning_ar where ar = 2019")}
    assert rows["degerfors_karlskoga"] == [1000, 1200, -200, 1000, 1000, 0]
    assert rows["sodra_norrbotten"] == [1_200_000, None, None, 1_200_000, None, None]   # blank cells
    assert rows["sydnarke"] == [1_325_000, None, None, 1_325_000, None, None]           # a file without the columns


def _referens(built, matt):
    return {(n, k): r for n, k, *r in built.query(
        "select niva, kod, forbund_antal, samlad, median, p25, p75, minsta_antal from marts.jamforelse_referens_ar "
        "where ar = 2019 and matt = ?", [matt])}


def test_pooled_median_and_quartiles_of_a_money_ratio(built):
    rows = _referens(built, "admin_andel_kostnader")
    # län 18: 100/400, 200/1000, 600/2000 = 0.25, 0.2, 0.3
    assert rows[("lan", "18")] == [3, pytest.approx(900 / 3400), pytest.approx(0.25), pytest.approx(0.225),
                                   pytest.approx(0.275), None]
    assert rows[("lan", "25")] == [1, pytest.approx(0.1), pytest.approx(0.1), pytest.approx(0.1),
                                   pytest.approx(0.1), None]
    # riket: 0.1, 0.2, 0.25, 0.3; quantile_cont's p25 at position 0.75 = 0.1 + 0.75 x 0.1, p75 at 2.25
    assert rows[("riket", "riket")] == [4, pytest.approx(950 / 3900), pytest.approx(0.225), pytest.approx(0.175),
                                        pytest.approx(0.2625), None]


def test_pooled_ratio_of_counts_with_its_smallest_count(built):
    rows = _referens(built, "andel_avslutade")
    # 100/200, 3/10, 40/50 = 0.5, 0.3, 0.8; Södra Norrbotten has no counts
    assert rows[("lan", "18")] == [3, pytest.approx(143 / 260), pytest.approx(0.5), pytest.approx(0.4),
                                   pytest.approx(0.65), 3]
    assert rows[("riket", "riket")] == rows[("lan", "18")]
    assert ("lan", "25") not in rows
    per_1000 = built.query("select count(*) from marts.jamforelse_referens_ar where matt = "
                           "'deltagare_per_1000_helarsekvivalenter'")
    assert per_1000 == [(0,)]   # no helårsekvivalenter in the fixture: no förbund value, no row


def test_every_declared_ratio_is_a_matt_and_its_terms_exist(built):
    matt = {m for m, in built.query("select kolumn from register.kvoter where mart = 'jamforelse_ar'")}
    assert {"andel_avslutade", "kostnad_per_deltagare", "kostnad_per_utfall", "admin_andel_kostnader",
            "tackningsgrad", "helarsekvivalenter_andel", "deltagare_per_1000_helarsekvivalenter",
            "andel_stegforflyttning"} <= matt and len(matt) == 18
    assert {m for m, in built.query("select distinct matt from marts.jamforelse_referens_ar")} <= matt


def _mapping(tmp_path, rows: str, header="forbund,post_pattern,kategori,giltig_fran,giltig_till,insats,finansiar\n"):
    (tmp_path / "kostnadsmappning.csv").write_text(header + rows, encoding="utf-8")
    return load_kostnadsmappning(tmp_path, {"sydnarke"})


def test_the_finansiar_column_is_optional_and_defaults_to_the_kategori(tmp_path):
    m = _mapping(tmp_path, "*,Bidrag staten,medlemsbidrag_stat,,\n*,Projektmedel,externa_bidrag,,\n"
                           "*,Övrigt,ovriga_intakter,,\n*,Kansli,administration,,\n",
                 header="forbund,post_pattern,kategori,giltig_fran,giltig_till\n")
    assert m.finansiarer() == {2: "staten", 3: "ovrig_extern", 4: "ovrigt"}
    m = _mapping(tmp_path, "*,Projektmedel ESF,externa_bidrag,,,,esf\n*,Försäljning,ovriga_intakter,,,,mucf\n")
    assert m.finansiarer() == {2: "esf", 3: "mucf"}


@pytest.mark.parametrize("row, message", [
    ("*,Projektmedel,externa_bidrag,,,,eu", "line 2, finansiar found 'eu', expected one of ovrig_extern, esf, "
                                            "tillvaxtverket, mucf for kategori externa_bidrag, or blank"),
    ("*,Bidrag FK,medlemsbidrag_stat,,,,region", "line 2, finansiar found 'region', expected one of staten for "
                                                 "kategori medlemsbidrag_stat, or blank"),
    ("*,Kansli,administration,,,,esf", "line 2, finansiar found 'esf', expected blank: only an income row "
                                       "(medlemsbidrag_stat, medlemsbidrag_region, medlemsbidrag_kommun, "
                                       "externa_bidrag, ovriga_intakter) has a finansiär"),
])
def test_a_wrong_finansiar_names_file_line_and_what_fits(tmp_path, row, message):
    with pytest.raises(ConfigError) as e:
        _mapping(tmp_path, row + "\n")
    assert str(e.value) == f"{tmp_path / 'kostnadsmappning.csv'}: {message}"


def test_the_shipped_mapping_names_each_external_funder():
    cfg = PROJECT_ROOT / "config"
    m = load_kostnadsmappning(cfg, {f.kod for f in load_registry(cfg).forbund}, load_insatser(cfg, load_registry(cfg)))
    hits = {post: m.finansiarer()[m.matches("sydnarke", 2019, post)[0].rad]
            for post in ("Projektmedel ESF", "Projektmedel Tillväxtverket", "Bidrag MUCF", "Bidrag från Arvsfonden",
                         "Projektmedel", "Övriga intäkter", "Driftbidrag Kumla kommun")}
    assert hits == {"Projektmedel ESF": "esf", "Projektmedel Tillväxtverket": "tillvaxtverket", "Bidrag MUCF": "mucf",
                    "Bidrag från Arvsfonden": "ovrig_extern", "Projektmedel": "ovrig_extern",
                    "Övriga intäkter": "ovrigt", "Driftbidrag Kumla kommun": "kommun"}


# ---------------------------------------------------------------- the report: Vem betalar and the reference


def test_vem_betalar_stacks_each_funder_in_tkr(built):
    con = built.connect()
    try:
        lage = las_lage(con)
        d, = vem_betalar.diagram(con, lage, ("sydnarke", "sofint"), anmarkningar(con))
    finally:
        con.close()
    rader = {(r[0], r[1]): r[2] for r in d.tabell.rader}
    # 640 kr is 1 tkr to the whole tkr; 640 / 4 800 = 13,3 %
    assert rader[("Kumla", "Samordningsförbundet Sydnärke")] == f"1{NBSP}tkr (13,3{NBSP}%)"
    assert [r[0] for r in d.tabell.rader if r[1] == "Samordningsförbundet Sydnärke"] == [
        "Staten", "Regionen", "Askersund", "Hallsberg", "Kumla", "Laxå", "ESF", "MUCF", "Övriga intäkter"]
    staten = next(t for t in d.figur.data if t.name == "Staten" and t.xaxis == "x")
    assert (staten.type, list(staten.x), list(staten.y)) == ("bar", [2019], [2.0])    # 2 000 kr = 2 tkr
    # a funder keeps its colour (a category colour) in every panel, a kommun is a shade of its förbund's colour,
    # each name once in the legend
    farg = {(t.name, t.xaxis): t.marker.color for t in d.figur.data}
    assert farg[("Staten", "x")] == farg[("Staten", "x2")] == vem_betalar.FARG["Staten"] == KATEGORIER[0]
    assert farg[("Kumla", "x")] == stil("sydnarke", "Kumla").farg
    assert farg[("Kumla", "x")] not in vem_betalar.FARG.values()
    assert [t.name for t in d.figur.data if t.showlegend].count("Staten") == 1
    assert d.kallor == ("marts.finansiering_ar",)


def _lage(referens, forbund=("a", "b", "c"), lan=(("18", ("a", "b")), ("25", ("c",)))):
    return Lage(grans=5, byggd=dt.datetime(2026, 1, 1), ar_fran=2018, ar_till=2020, delar=None,
                namn={f: f.upper() for f in forbund}, lan=tuple(Lan(r, f"Län {r}", fs) for r, fs in lan),
                referens=referens)


RADER = [  # niva, kod, ar, matt, forbund_antal, samlad, median, p25, p75, minsta_antal
    ("riket", "riket", 2018, "andel_avslutade", 3, 0.5, 0.45, 0.4, 0.6, 10),
    ("riket", "riket", 2019, "andel_avslutade", 3, 0.55, 0.5, 0.42, 0.62, 3),    # built on a 3: hidden
    ("riket", "riket", 2020, "andel_avslutade", 3, 0.6, 0.6, 0.5, 0.7, 12),
    ("lan", "18", 2018, "andel_avslutade", 2, 0.52, 0.52, 0.46, 0.58, 10),
    ("lan", "18", 2020, "andel_avslutade", 2, 0.61, 0.61, 0.55, 0.67, 12),
]


def _jamforelse():
    wide = pl.DataFrame({"forbund": ["a", "b"] * 3, "namn": ["A", "B"] * 3, "ar": [2018, 2018, 2019, 2019, 2020, 2020],
                         "deltagare": [100, 50, 100, 50, 100, 50], "avslutade": [50, 20, 60, 25, 70, 30]})
    long = langt(wide, MATT["andel_avslutade"], 5, total=True)
    anm = pl.DataFrame(schema={"forbund": pl.String, "ar": pl.Int64, "omrade": pl.String, "text": pl.String})
    return Diagram("andel_avslutade", "Andel", "avslutade ÷ deltagare", ("marts.jamforelse_ar",), tabell(long),
                   linjer(long, anm, ("deltagare",), y_titel="%"))


def test_the_reference_draws_the_riket_band_and_line_and_the_lan_band():
    ref = pl.DataFrame(RADER, orient="row", schema=["niva", "kod", "ar", "matt", "forbund_antal", "samlad",
                                                       "median", "p25", "p75", "minsta_antal"])
    d = referens(_jamforelse(), ("andel_avslutade",), _lage(ref), ("a", "b"))
    spar = [t for t in d.figur.data if (t.meta or "").startswith(META)]
    assert [t.name for t in d.figur.data[:len(spar)]] == [t.name for t in spar]      # drawn under the förbund
    band = [t for t in spar if t.meta == META + "band"]
    # riket: 2018 and 2020 (2019 is hidden), each a lone year: a box 0.6 wide from p25 to p75, in per cent
    assert [(list(t.x), [round(y, 6) for y in t.y]) for t in band if t.name.startswith("Riket")] == [
        ([2017.7, 2018.3, 2018.3, 2017.7], [60, 60, 40, 40]), ([2019.7, 2020.3, 2020.3, 2019.7], [70, 70, 50, 50])]
    assert all(t.fill == "toself" for t in band)
    assert {t.name for t in band} == {"Riket, mittersta hälften (25–75 %)", "Län 18, mittersta hälften (25–75 %)"}
    linje, = [t for t in spar if t.meta == META + "linje"]   # the län's pooled line is the chart's Totalt länet
    assert linje.name == "Riket samlat · Riket = alla förbund i lagret (3 st)"
    assert (list(linje.x), [round(y, 6) for y in linje.y]) == ([2018, 2020], [50, 60])
    rader = {r[0]: r[1:] for r in d.tabell.rader}
    assert rader["Riket (alla 3 förbund i lagret), samlat"] == ["50,0\u00a0%", "", "60,0\u00a0%"]
    assert rader["Län 18, 25–75 %"] == ["46,0\u00a0%–58,0\u00a0%", "", "55,0\u00a0%–67,0\u00a0%"]
    assert any("alla 3 förbund i lagret" in n for n in d.noter)


def test_a_money_reference_is_drawn_in_the_axis_unit():
    """Kostnad per deltagare around 30 000 kr is drawn in tkr (charts.belopp): the reference too, or its band sits a
    thousand times above the förbund's lines."""
    wide = pl.DataFrame({"forbund": ["a", "b"], "namn": ["A", "B"], "ar": [2018, 2018],
                         "kostnad_individ": [3_000_000, 1_200_000], "deltagare": [100, 50]})
    long = langt(wide, MATT["kostnad_per_deltagare"], 5, total=True)
    anm = pl.DataFrame(schema={"forbund": pl.String, "ar": pl.Int64, "omrade": pl.String, "text": pl.String})
    d = Diagram("kostnad_per", "Kostnad", "kostnad ÷ deltagare", ("marts.jamforelse_ar",), tabell(long),
                linjer(long, anm, ("ekonomi",), y_titel="kr"))
    assert d.figur.layout.yaxis.title.text == "tkr (tusen kronor)"
    ref = pl.DataFrame([("riket", "riket", 2018, "kostnad_per_deltagare", 3, 29_379.0, 28_000.0, 25_000.0, 31_000.0,
                         50)], orient="row", schema=["niva", "kod", "ar", "matt", "forbund_antal", "samlad",
                                                     "median", "p25", "p75", "minsta_antal"])
    d = referens(d, ("kostnad_per_deltagare",), _lage(ref), ("a", "b"))
    band, = [t for t in d.figur.data if t.meta == META + "band"]
    linje, = [t for t in d.figur.data if t.meta == META + "linje"]
    assert [round(y, 3) for y in band.y] == [31.0, 31.0, 25.0, 25.0] and [round(linje.y[0], 3)] == [29.379]
    assert {r[0]: r[1:] for r in d.tabell.rader}["Riket (alla 3 förbund i lagret), samlat"] == ["29\u00a0379\u00a0kr"]


def test_no_reference_without_the_mart_or_for_a_one_forbund_lan():
    d = referens(_jamforelse(), ("andel_avslutade",), _lage(None), ("a", "b"))
    assert not [t for t in d.figur.data if (t.meta or "").startswith(META)] and not d.noter
    ref = pl.DataFrame(RADER, orient="row", schema=["niva", "kod", "ar", "matt", "forbund_antal", "samlad",
                                                       "median", "p25", "p75", "minsta_antal"])
    d = referens(_jamforelse(), ("andel_avslutade",), _lage(ref, lan=(("18", ("a",)), ("25", ("b", "c")))), ("a",))
    assert {t.name for t in d.figur.data if (t.meta or "").startswith(META)} == {
        "Riket, mittersta hälften (25–75 %)", "Riket samlat · Riket = alla förbund i lagret (3 st)"}


# ---------------------------------------------------------------- the sample


def test_the_sample_who_paid_what_was_asked_and_the_2019_reference(sample):
    # Sydnärke 2025 (seed 002's budget year): the state, the region, its four kommuner by their lines, and ESF
    rows = {f: (b, k) for f, b, k in sample.query(
        "select finansiar, belopp, kalla from marts.finansiering_ar where forbund = 'sydnarke' and ar = 2025")}
    assert rows == {"staten": (2_342_000, "arsredovisning"), "region": (1_171_000, "arsredovisning"),
                    "esf": (1_507_100, "arsredovisning"), "kommun:1860": (115_305, "arsredovisning"),
                    "kommun:1861": (341_846, "arsredovisning"), "kommun:1881": (472_607, "arsredovisning"),
                    "kommun:1882": (241_242, "arsredovisning")}
    assert sum(b for b, _ in rows.values()) == 6_191_100   # = ekonomi_ar.intakter_totalt
    # seed 001: what each förbund asked of Region Örebro län for 2023, against what it decided
    asked = {f: r for f, *r in sample.query(
        "select forbund, region, ansokt_region, skillnad_region from marts.tilldelning_ar where ar = 2023")}
    assert asked == {"sydnarke": [1_305_500, 1_625_000, -319_500], "lekeberg_orebro": [2_000_000, 2_000_000, 0],
                     "degerfors_karlskoga": [1_390_000, 1_390_000, 0], "sofint": [994_000, None, None],
                     "sodra_norrbotten": [1_775_000, None, None]}
    assert sample.query("select region from marts.tilldelning_ar where ar = 2022 and forbund <> 'sodra_norrbotten' "
                        "order by forbund") == [(1_393_500,), (2_000_000,), (996_500,), (1_308_500,)]
    # 2019, kostnad per deltagare: Σ kostnad_individ 17 921 000 ÷ the review's 610 deltagare; the median between
    # 23 831 (Degerfors/Karlskoga) and 32 672 (Sydnärke); Södra Norrbotten has no deltagare that year
    ref = sample.query("select niva, kod, forbund_antal, samlad, median from marts.jamforelse_referens_ar "
                       "where ar = 2019 and matt = 'kostnad_per_deltagare' order by niva")
    assert ref == [("lan", "18", 4, pytest.approx(17_921_000 / 610), pytest.approx((5_791_000 / 243
                                                                                    + 4_280_000 / 131) / 2)),
                   ("riket", "riket", 4, pytest.approx(17_921_000 / 610), pytest.approx((5_791_000 / 243
                                                                                        + 4_280_000 / 131) / 2))]


def test_the_workbook_hides_a_reference_built_on_a_small_count(prov):
    import openpyxl
    ws = openpyxl.load_workbook(prov.marts / "genomlysning" / "genomlysning.xlsx")["jamforelse_referens_ar"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("niva", "kod", "ar", "matt", "forbund_antal", "samlad", "median", "p25", "p75", "minsta_antal",
                       "helt_ar")
    # 2024: SOFINT reported 3 avslut jobb-/studieredo of 42 (tests/test_rapport_utfall.py)
    dold = next(r for r in rows if r[:4] == ("lan", "18", 2024, "andel_jobb_studieredo"))
    assert dold[4:10] == (2, None, None, None, None, "<5")
    shown = next(r for r in rows if r[:4] == ("riket", "riket", 2019, "kostnad_per_deltagare"))
    assert shown[5] == pytest.approx(17_921_000 / 610) and shown[9] == 73


@pytest.mark.parametrize("entry, message", [
    ({"taljare": ["a"]}, "taljare and namnare (the columns a ratio sums) are both non-empty lists of column names, "
                         "on a kvot column; found taljare ['a'], namnare None, skydd kvot"),
    ({"taljare": ["a"], "namnare": ["b"], "faktor": "tusen"}, "faktor found 'tusen', expected a number, on a "
                                                             "column with taljare and namnare"),
    ({"faktor": 1000}, "faktor found 1000, expected a number, on a column with taljare and namnare"),
])
def test_a_ratio_declares_both_terms_and_a_numeric_faktor(tmp_path, entry, message):
    from finsam.build.declarations import DeclarationError, _column
    base = {"namn": "k", "typ": "DOUBLE", "etikett": "K", "definition": "k", "skydd": "kvot", "av": []}
    with pytest.raises(DeclarationError) as e:
        _column({**base, **entry}, tmp_path / "x.yaml", {})
    assert str(e.value) == f"{tmp_path / 'x.yaml'}: column k: {message}"
