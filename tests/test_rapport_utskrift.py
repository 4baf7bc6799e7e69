"""The page shell without a browser (fast): charts as labelled figures, tables with captions and scopes, sortable
headers as buttons, plotly.js and the charts packed, the layout template once, and text contrast of 4.5:1 or more
for every text colour of the stylesheet on every background it sets (WCAG 2.1 AA)."""
import base64
import gzip
import itertools
import json
import re

import plotly.graph_objects as go
import pytest

from finsam.report import html
from finsam.report.charts import UTSEENDE, Diagram, Tabell

HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _rgb(farg: str) -> tuple[float, ...]:
    h = farg.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))


def kontrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two colours."""
    def luminans(farg):
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(farg))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    ljus, mork = sorted((luminans(a), luminans(b)), reverse=True)
    return (ljus + 0.05) / (mork + 0.05)


def test_contrast_ratio_is_wcags():
    assert kontrast("#000", "#fff") == pytest.approx(21) and kontrast("#777777", "#ffffff") == pytest.approx(4.48, 0.01)


def test_every_text_colour_on_every_background_has_contrast_of_at_least_4_5():
    css = html.CSS
    texter = {m.group(1) for m in re.finditer(r"(?<![-\w])color:(#[0-9a-fA-F]{3,6})", css)}
    bakgrunder = {m.group(1) for m in re.finditer(r"background(?:-color)?:(#[0-9a-fA-F]{3,6})", css)} | {"#ffffff"}
    assert html.TEXT in texter and "#dff0d8" in bakgrunder and len(texter) >= 3
    svaga = [(t, b, round(kontrast(t, b), 2)) for t, b in itertools.product(texter, bakgrunder) if kontrast(t, b) < 4.5]
    assert svaga == []


def _diagram(id_: str = "d1") -> Diagram:
    figur = go.Figure(go.Scatter(x=[2019, 2020], y=[1, 2], name="a<b"), layout={**UTSEENDE, "height": 420})
    return Diagram(id_, "Deltagare per år", "Antal unika individer.", ("marts.deltagare_ar",),
                   Tabell(["Förbund", "2019", "2020"], [["Sydnärke", "1", "2"]]), figur)


def test_a_chart_is_a_labelled_figure_with_its_caption_and_a_captioned_scoped_table():
    text = html.diagram_html(_diagram(), "2026-12-06")
    assert re.search(r'<figure aria-labelledby="t-d1"><figcaption><h3 id="t-d1">Deltagare per år</h3>', text)
    assert 'role="img" aria-label="Diagram: Deltagare per år.' in text and "genomlysningen 2026-12-06" in text
    assert "<caption>Siffrorna i diagrammet: Deltagare per år</caption>" in text
    assert '<th scope="col">2019</th>' in text and '<th scope="row">Sydnärke</th><td>1</td>' in text


def test_sortable_headers_are_buttons_with_aria_sort():
    text = html.sorterbar(["Förbund", "Deltagare"], [[("A", "A", None), ("5", 5, None)]], "Nyckeltal 2025")
    assert text.count('<th scope="col" aria-sort="none"><button type="button">') == 2
    assert "<caption>Nyckeltal 2025</caption>" in text


def test_a_page_packs_plotly_and_the_charts_and_writes_the_template_once():
    sida = html.lan_sida("Titel", "Inledning", [("Nyckeltal", []), ("Deltagare", [_diagram("d1"), _diagram("d2")])],
                         "<footer></footer>")
    packade = dict(re.findall(r'<script id="([\w-]+)" type="application/gzip;base64">([^<]*)</script>', sida))
    assert set(packade) == {"plotly-gz", "figurer-gz"} and packade["plotly-gz"] == html.plotly_packad()
    data = json.loads(gzip.decompress(base64.b64decode(packade["figurer-gz"])))
    assert len(data["mallar"]) == 1 and set(data["figurer"]) == {"fig-d1", "fig-d2"}
    assert all("template" not in f["layout"] and f["mall"] == 0 for f in data["figurer"].values())
    assert data["figurer"]["fig-d1"]["data"][0]["name"] == "a<b" and "a<b" not in sida   # only packed
    omslag = sida[sida.index('<header class="omslag">'):sida.index("</header>")]     # the printed cover
    assert '<h2 id="a0">Nyckeltal</h2>' in omslag and '<h2 id="a1">' not in omslag
    assert len(sida.encode()) < 2_100_000


def test_the_footer_names_the_run_in_words_not_its_raw_record():
    import datetime as dt

    import polars as pl
    filer = pl.DataFrame({"fil": ["raw/sus/a.csv"], "status": ["inlast"], "sha256": ["ab" * 32]})
    text = html.fot(dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 1), filer,
                    {"run_id": "r1", "startad": dt.datetime(2026, 1, 1, 2, 0, 1), "status": "publicerad",
                     "filer_lasta": 30, "filer": '[{"fil": "raw/sus/a.csv"}]'})
    assert "Senaste körning r1: startad 2026-01-01 02:00:01, status publicerad, filer lästa 30</p>" in text
    assert "[{" not in text and "&quot;" not in text


def test_the_print_copy_draws_the_charts_and_names_the_folded_tables_instead_of_printing_them():
    """The PDF's copy of a page (lan_sida with ritningar): each chart its static SVG, no plotly, and each folded
    table (a chart's numbers, a long list) a line saying where it is; open tables stay."""
    from finsam.report.charts import Ruta
    lang = Ruta("Anmärkningar", "Alla anmärkningar.", Tabell(["Förbund"], [["A"]] * 40))
    kort = Ruta("Nyckeltal", "Det senaste året.", Tabell(["Förbund"], [["A"]]), oppen=True)
    avsnitt = [("Nyckeltal", [kort]), ("Deltagare", [_diagram("d1"), lang])]
    kopia = html.lan_sida("Titel", "Inledning", avsnitt, "<footer></footer>", ritningar={"d1": "<svg>rita</svg>"})
    assert '<div class="ritning" role="img"' in kopia and "<svg>rita</svg>" in kopia
    assert "plotly-gz" not in kopia and "figurer-gz" not in kopia and "<details>" not in kopia
    assert html.UTSKRIFT_TABELL in kopia and f"Tabellen (40\u00a0rader) {html.UTSKRIFT_TABELLER}" in kopia
    assert "<caption>Nyckeltal</caption>" in kopia and "<caption>Anmärkningar</caption>" not in kopia
    sida = html.lan_sida("Titel", "Inledning", avsnitt, "<footer></footer>")
    assert "<caption>Anmärkningar</caption>" in sida and html.UTSKRIFT_TABELL not in sida


def _tabell(ord_: str, kolumner: int) -> Tabell:
    return Tabell([f"K{i}" for i in range(kolumner)], [[f"{ord_} {ord_[:2]}"] * kolumner])


@pytest.mark.parametrize("ram", [False, True])
def test_a_printed_table_keeps_its_words_whole_where_they_fit_at_the_print_font_or_smaller_or_across(ram):
    """Widths by hand: a column is its widest word (between spaces, never at a no-break space) plus 7 px of padding
    and border; the page 680 px less 8 (40 in a framed box); 7.5 pt = 10 px, 6.5 pt = 8.67 px; landscape 1009 px."""
    from finsam.report.svg import textbredd
    ord_ = "Samordningsförbundet"                  # 20 letters: 115.02 px at 10 px in DejaVu Sans
    assert textbredd(ord_, 10) == pytest.approx(115.02)
    assert textbredd(ord_, 6.5 * 4 / 3) == pytest.approx(99.684, abs=0.001)
    # columns that fit: (680 - fri) // 122.02 at 7.5 pt; (680 - fri) // 106.68 at 6.5 pt; (1009 - fri) // 106.68
    ryms, tat, tvar = (5, 5, 9) if ram else (5, 6, 9)
    for n in range(1, tvar + 2):
        expected = "hela" if n <= ryms else "hela tat" if n <= tat else "hela tat tvar" if n <= tvar else ""
        assert html.utskriftsklass(_tabell(ord_, n), ram=ram) == expected, n
    # a number's no-break spaces hold it together: one word as wide as the whole number
    tal = "1\u00a0234\u00a0567\u00a0kr"
    assert html.utskriftsklass(Tabell(["K"], [[tal]]), ram=ram) == "hela"
    assert html.utskriftsklass(Tabell(["K"] * 40, [[tal] * 40]), ram=ram) == ""


def test_a_landscape_table_takes_its_heading_and_text_to_the_landscape_page():
    from finsam.report.charts import Ruta
    bred = Ruta("Nyckeltal 2025", "Det senaste hela året.", _tabell("Samordningsförbundet", 8), oppen=True)
    smal = Ruta("Smal", "Text.", _tabell("Kort", 3), oppen=True)
    assert html.ruta_html(bred).startswith('<div class="tvar"><h3>Nyckeltal 2025</h3>')
    assert 'class="hela tat tvar"' in html.ruta_html(bred)
    assert not html.ruta_html(smal).startswith('<div class="tvar">') and 'class="hela"' in html.ruta_html(smal)
    assert "table.sort,.tvar,h2:has(+ .tvar){page:bred}" in html.CSS


@pytest.mark.skipif(not hasattr(__import__("os"), "setpriority"), reason="no per-thread priority on this system")
def test_the_printing_thread_and_what_it_starts_step_back_for_the_pages():
    """utskrift.bakgrund: the Chromium a Skrivare's thread starts runs at a lower priority than the thread building
    the pages, which keeps its own."""
    import os
    import subprocess
    import threading

    from finsam.report import utskrift
    egen = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    sedd = {}

    def trad():
        utskrift.bakgrund()
        sedd["barn"] = int(subprocess.run(["sh", "-c", "ps -o ni= -p $$"], capture_output=True, text=True,
                                          check=True).stdout)
    t = threading.Thread(target=trad)
    t.start()
    t.join()
    assert sedd["barn"] == min(egen + utskrift.BAKGRUND_NICE, 19)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == egen


def test_a_picture_is_well_formed_whatever_its_texts_hold():
    """A förbund or insats name reaches a picture's heading and notes: a control character XML forbids (a vertical
    tab in config made the picture unreadable and stopped the publish) is dropped, markup is text."""
    from xml.etree import ElementTree

    from finsam.report import svg, utskrift
    namn = 'Samordnings\x0bförbundet <b>"Syd" & \x1b[31m'
    d = Diagram("x", f"Deltagare i {namn}", f"Antal i {namn}.", ("deltagare_ar",), Tabell(["A"], [["1"]]),
                go.Figure(go.Bar(x=[namn], y=[1])), noter=[f"Från 2023 ({namn}) kommer antalen från Uppföljning."])
    ritning = svg.svg(utskrift.figur(d), 680)
    bild = utskrift.bild(d, ritning, "2026-12-07")
    rot = ElementTree.fromstring(bild)
    texter = " ".join("".join(t.itertext()) for t in rot.iter("{http://www.w3.org/2000/svg}text"))
    assert "\x0b" not in bild and "\x1b" not in bild and "<b>" not in bild
    assert 'Samordningsförbundet <b>"Syd" & [31m' in texter and "kommer antalen från Uppföljning" in texter


def test_a_name_without_spaces_is_cut_to_the_picture_s_width_in_its_heading_and_notes():
    """A long name with no space ran off the picture's edge in its heading and notes (the pictures wrap at spaces):
    such a word is cut into lines that fit; the text is all there, in order."""
    from xml.etree import ElementTree

    from finsam.report import svg, utskrift
    namn = "SOFINT" + "Långtnamn" * 40
    d = Diagram("x", f"Deltagare i {namn}", "Antal.", ("deltagare_ar",), Tabell(["A"], [["1"]]),
                go.Figure(go.Bar(x=["a"], y=[1])), noter=[f"Från 2023 ({namn}) kommer antalen från Uppföljning."])
    bild = utskrift.bild(d, svg.svg(utskrift.figur(d), 680), "2026-12-07")
    rader = [(t.get("font-size"), t.get("font-weight"), t.text)
             for t in ElementTree.fromstring(bild).iter("{http://www.w3.org/2000/svg}text")]
    plats = utskrift.UTSKRIFT_BREDD - 2 * utskrift.MARGINAL
    assert all(svg.textbredd(text, float(storlek), vikt == "bold") <= plats for storlek, vikt, text in rader)
    texter = [text for _, _, text in rader]
    assert "".join(texter).count("Långtnamn") == 80 and len(texter) > 6
    # a text of words that fit is broken at spaces only, as before
    assert svg.radbryt("en två tre", 40, 12, dela_ord=True) == svg.radbryt("en två tre", 40, 12)
    bitar = svg.radbryt("abcdefghij", 30, 12, dela_ord=True)
    assert "".join(bitar) == "abcdefghij" and len(bitar) == 3 and all(svg.textbredd(b, 12) <= 30 for b in bitar)
    assert svg.radbryt("abcdefghij", 30, 12) == ["abcdefghij"]   # axis labels keep a word whole, as plotly does
