"""Each län report opened in a real headless Chromium: every chart the builder made is drawn (after plotly.js is
unpacked in the page), and the page logs no JavaScript error; printed on A4, no chart is split; the PDF and the
pictures the pipeline makes. CI installs Debian's chromium (.ci/run); elsewhere the test is skipped with how to get
one."""
import math
import re
import shutil
import struct

import pytest

from finsam.report import utskrift
from finsam.report.html import UTSKRIFT_BREDD, UTSKRIFT_TVAR_BREDD

CHROMIUM = shutil.which("chromium")
pytestmark = [pytest.mark.slow,  # a browser
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH: install it with "
                                 "`apt-get update && apt-get install -y chromium` (CI's .ci/run does)")]
VANTA_MS = 120_000   # drawing the sample's largest page takes 2 s; a machine busy with other work, far longer
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
RITADE = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(el =>
    el.querySelectorAll('.scatterlayer .trace .point, .scatterlayer .trace path.js-line, .barlayer .trace .point, '
                        + '.sankey .sankey-link').length > 0).length"""


@pytest.fixture(scope="module")
def webblasare():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _oppna(webblasare, fil):
    sida, fel = webblasare.new_page(), []
    sida.set_default_timeout(VANTA_MS)
    sida.on("pageerror", lambda e: fel.append(str(e)))
    sida.on("console", lambda m: fel.append(m.text) if m.type == "error" else None)
    sida.goto(fil.as_uri())
    sida.wait_for_load_state("load")
    return sida, fel


@pytest.mark.parametrize("fil", ["18_orebro_lan.html", "25_norrbottens_lan.html"])
def test_every_chart_is_drawn_without_javascript_errors(prov, webblasare, fil):
    sida, fel = _oppna(webblasare, prov.marts / "genomlysning" / fil)
    sida.wait_for_function("() => document.documentElement.dataset.ritat")   # plotly.js unpacked, charts drawn
    assert sida.evaluate("document.documentElement.dataset.ritat") == "1"
    assert sida.evaluate(RITADE) == prov.rapport.diagram[fil] > 0
    assert fel == []
    sida.close()


def test_index_sorts_by_a_column(prov, webblasare):
    sida, fel = _oppna(webblasare, prov.marts / "genomlysning" / "index.html")
    kolumn = "Deltagare"
    sida.click(f"th:has-text('{kolumn}')")
    varden = sida.evaluate("""() => [...document.querySelectorAll('table.sort tbody tr')].map(r => r.cells[2].dataset.v)
                              .filter(v => v !== '').map(Number)""")
    assert len(varden) >= 4 and varden == sorted(varden)
    assert fel == []
    sida.close()


def test_the_goals_section_renders_with_no_share_without_its_n(prov, webblasare):
    """Mål och resultat, as a board member sees it: Sydnärke's goals with status colours, and the follow-up table
    where every share shown has its n (svarande) beside it."""
    sida, fel = _oppna(webblasare, prov.marts / "genomlysning" / "18_orebro_lan.html")
    assert sida.is_visible("h2:has-text('Mål och resultat')")
    mal = sida.locator("h3:has-text('Mål: Samordningsförbundet Sydnärke') + p + table")
    assert mal.is_visible()
    rader = mal.evaluate("t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => [c.textContent, c.className]))")
    # a share of persons (shown with its interval) always has its n beside it; a money ratio has none
    assert len(rader) >= 4 and all(r[4][0] for r in rader if "(" in r[3][0])
    assert any("(" in r[3][0] for r in rader)
    assert {r[5][1].split()[0] for r in rader if r[5][1]} <= {"ok", "ej"}
    uppfoljning = sida.locator("h3:has-text('Uppföljning efter avslut') + p + table")
    celler = uppfoljning.evaluate("t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent))")
    assert celler and all(r[6] not in ("", "saknas") for r in celler if "%" in r[9])
    assert fel == []
    sida.close()


def test_a_forbund_opened_from_the_index_is_drawn_in_colour_and_the_others_grey(prov, webblasare):
    """The index links to 18_orebro_lan.html#f-sydnarke: there Sydnärke keeps its colour in each line chart and the
    other förbund turn grey (finsam.report.sammanfattning.RESTYLE_JS); the link back restores every colour."""
    fil = prov.marts / "genomlysning" / "18_orebro_lan.html"
    farger = "() => document.getElementById('fig-kostnad_per').data.filter(t => t.line && (t.name.startsWith(" \
             "'Finsam') || t.name.startsWith('Samordnings'))).map(t => [t.name, t.line.color])"
    sida, fel = webblasare.new_page(), []
    sida.set_default_timeout(120_000)     # a 6 MB page on a busy machine
    sida.on("pageerror", lambda e: fel.append(str(e)))
    sida.goto(fil.as_uri() + "#f-sydnarke")
    sida.wait_for_load_state("load")
    sida.wait_for_function("() => document.getElementById('fig-kostnad_per').data.some(t => t.line && "
                           "t.line.color === '#c8c8c8')")
    efter = dict(sida.evaluate(farger))
    sida.click("#f-sydnarke details summary")
    sida.click("#f-sydnarke a[data-framhav='']")
    fore = dict(sida.evaluate(farger))
    assert efter.pop("Samordningsförbundet Sydnärke") == fore["Samordningsförbundet Sydnärke"]
    assert len(efter) == 3 and set(efter.values()) == {"#c8c8c8"}
    assert len(set(fore.values())) == 4 and "#c8c8c8" not in fore.values()
    assert fel == []
    sida.close()


def test_the_index_sorts_from_the_keyboard(prov, webblasare):
    """Each column header is a button: Tab to it and press Enter, and aria-sort says the order."""
    sida, fel = _oppna(webblasare, prov.marts / "genomlysning" / "index.html")
    knapp = sida.get_by_role("button", name="Deltagare", exact=True)
    knapp.focus()
    sida.keyboard.press("Enter")
    assert knapp.evaluate("b => b.parentElement.getAttribute('aria-sort')") == "ascending"
    sida.keyboard.press("Enter")
    varden = sida.evaluate("""() => [...document.querySelectorAll('table.sort tbody tr')].map(r => r.cells[2].dataset.v)
                              .filter(v => v !== '').map(Number)""")
    assert len(varden) >= 4 and varden == sorted(varden, reverse=True)
    assert knapp.evaluate("b => b.parentElement.getAttribute('aria-sort')") == "descending" and fel == []
    sida.close()


# Printed, a chart with its caption is at most a page high (html.UTSKRIFT_SIDHOJD, 266 mm), so a chart
# takes at most a page; a table row of one line is 15 px (7.5 pt), some 60 a page, and names wrap to two or three
# lines, so at least 20 a page. Add a page per section (each may end in a half-empty page) and the cover: more pages
# than that is a runaway layout (blank pages, a chart per page with its table on the next, the 3 000 px footer).
# The sample's Örebro page prints on 90 pages (30 charts, 1 108 table rows), its bound is 99. At the other end, a
# page holds at most three charts.
def _sidor_hogst(diagram: int, rader: int, avsnitt: int) -> int:
    return 1 + avsnitt + diagram + math.ceil(rader / 20)


@pytest.mark.parametrize("fil", ["18_orebro_lan.html", "25_norrbottens_lan.html"])
def test_printed_on_a4_no_chart_is_split_and_every_table_is_there(prov, webblasare, fil, tmp_path):
    """The page printed as a board member prints it (print media, A4): every chart whole on one page (a marker at
    the top and at the bottom of each figure land on the same page of the PDF), every folded table opened, no
    toolbar, and a sane number of pages."""
    from pypdf import PdfReader
    sida = webblasare.new_page(viewport={"width": UTSKRIFT_BREDD, "height": 1000})
    sida.set_default_timeout(VANTA_MS)
    fel = []
    sida.on("pageerror", lambda e: fel.append(str(e)))
    sida.emulate_media(media="print")
    sida.goto((prov.marts / "genomlysning" / fil).as_uri())
    sida.wait_for_function("() => document.documentElement.dataset.ritat === '1'")
    raknat = sida.evaluate("""() => {
        const figurer = [...document.querySelectorAll('section.diagram figure')]
            .filter(f => f.querySelector('.js-plotly-plot'));
        const mark = t => `<span style="display:block;font-size:2px;line-height:2px">MARK-${t}</span>`;
        figurer.forEach(f => { const id = f.parentElement.id;
            f.insertAdjacentHTML('afterbegin', mark(id + '-START'));
            f.insertAdjacentHTML('beforeend', mark(id + '-SLUT')); });
        return {figurer: figurer.length, rader: document.querySelectorAll('tr').length,
                avsnitt: document.querySelectorAll('h2').length,
                stangda: document.querySelectorAll('details:not([open])').length,
                verktyg: document.querySelectorAll('.modebar').length,
                // a table printed on a landscape page (.tvar) is measured against that page's width
                tvar: Math.max(0, ...[...document.querySelectorAll('table.tvar')]
                               .map(e => e.getBoundingClientRect().width)),
                // a table that keeps its words whole (.hela): no word wider than its cell, so none broken
                brutna: (() => { const c = document.createElement('canvas').getContext('2d');
                    return [...document.querySelectorAll('table.hela th, table.hela td')].filter(td => {
                        const cs = getComputedStyle(td);
                        c.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
                        const inre = td.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
                        // a line may break at a space and after a dash or hyphen: what lies between is a word
                        return td.innerText.split(/[ \\n\\t]+|(?<=[–-])/)
                            .some(o => c.measureText(o).width > inre + 1); })
                        .map(td => td.innerText).slice(0, 5); })(),
                bredast: (() => { const s = document.createElement('style');
                    s.textContent = '.tvar{display:none}'; document.head.append(s);
                    const w = document.documentElement.scrollWidth; s.remove(); return w; })()}; }""")
    assert raknat["stangda"] == raknat["verktyg"] == 0 and raknat["bredast"] <= UTSKRIFT_BREDD
    assert raknat["tvar"] <= UTSKRIFT_TVAR_BREDD and raknat["brutna"] == []
    pdf = tmp_path / "sida.pdf"
    sida.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    sidor = [p.extract_text() for p in PdfReader(pdf).pages]
    assert raknat["figurer"] / 3 <= len(sidor) <= _sidor_hogst(raknat["figurer"], raknat["rader"], raknat["avsnitt"])
    pa = {}
    for nr, text in enumerate(sidor):
        for mark in re.findall(r"MARK-([\w-]+)-(START|SLUT)", text):
            pa.setdefault(mark[0], {})[mark[1]] = nr
    assert len(pa) == raknat["figurer"] == prov.rapport.diagram[fil]
    delade = {k: v for k, v in pa.items() if v.get("START") != v.get("SLUT")}
    assert delade == {}
    assert "Sida 1 av" in sidor[0] and fel == []
    sida.close()


def _utskrift(prov, region: str, mapp):
    """What the pipeline makes of one of the sample's län pages (finsam.report.utskrift.forbered), in `mapp`."""
    import datetime as dt

    from finsam.report import avsnitt, html
    from finsam.report.data import lage as las_lage
    con = prov.connect()
    try:
        lage = las_lage(con)
        lan = next(x for x in lage.lan if x.region == region)
        delar = avsnitt(con, lage, lan)
    finally:
        con.close()
    sida = mapp / lan.fil
    args = ("Genomlysning", "Inledning.", delar, "<footer></footer>", dt.date(2026, 12, 6))
    sida.write_text(html.lan_sida(*args), encoding="utf-8")
    return utskrift.forbered(sida, region, *args)


def test_one_chromium_prints_each_page_and_takes_each_charts_picture(prov, tmp_path):
    """What the pipeline does where a Chromium is installed (finsam.report.utskrift): the PDF beside the page, from
    its print copy (every chart static SVG, no script), and a PNG of each chart at its own size with its heading,
    source and date."""
    u = _utskrift(prov, "25", tmp_path)
    assert "plotly-gz" not in u.kopia and "figurer-gz" not in u.kopia
    assert u.kopia.count('<div class="ritning"') == prov.rapport.diagram[u.sida.name]
    sekunder = {}
    pdf, png, varfor = utskrift.gor([u], tmp_path / "png", sekunder)
    assert varfor is None and pdf == [u.sida.with_suffix(".pdf")] and pdf[0].read_bytes()[:5] == b"%PDF-"
    # links within the page only: a link to another file pointed at the print copy's temporary folder
    assert re.findall(rb"/URI \(([^)]*)\)", pdf[0].read_bytes()) == []
    assert len(png) == prov.rapport.diagram[u.sida.name] and set(sekunder) == {"pdf", "png"}
    assert sorted(p.name for p in png) == sorted(namn for namn, _ in u.bilder)
    for bild, (_, svg) in zip(png, sorted(u.bilder)):
        data = bild.read_bytes()
        bredd, hojd = struct.unpack(">II", data[16:24])
        svg_hojd = float(re.search(r'height="([0-9.]+)"', svg)[1])
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and bredd == round(UTSKRIFT_BREDD * utskrift.SKALA)
        assert abs(hojd - svg_hojd * utskrift.SKALA) <= 1 and svg_hojd > 200
        assert "Källa: " in svg and "2026-12-06</text>" in svg   # the date, perhaps on a line of its own
        assert (tmp_path / "svg" / bild.name).with_suffix(".svg").read_text(encoding="utf-8") == svg


def _bild(farg: str, ruta: int) -> str:
    """A hand-made picture: a square of `farg` clipped to a box `ruta` px wide, by an id every such picture shares."""
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30" viewBox="0 0 40 30">'
            f'<defs><clipPath id="finsam-k-1"><rect x="0" y="0" width="{ruta}" height="30"/></clipPath></defs>'
            f'<rect width="40" height="30" fill="{farg}" clip-path="url(#finsam-k-1)"/></svg>')


def test_a_pictures_png_does_not_depend_on_the_other_pictures_of_its_page(prov, tmp_path):
    """The pictures of a page are rasterised from one SVG holding them all (utskrift.samlad): each one's PNG is the
    same as when it is rasterised alone, also where two pictures define different things by the same element id
    (ids are per document)."""
    def png(bilder, mapp):
        sida = tmp_path / mapp / "sida.html"
        sida.parent.mkdir()
        sida.write_text("<p>x</p>", encoding="utf-8")
        utskrift.gor([utskrift.Utskrift(sida, "<p>x</p>", bilder)], sida.parent / "png")
        return {namn: (sida.parent / "png" / namn).read_bytes() for namn, _ in bilder}

    egna = [("a.png", _bild("#ff0000", 10)), ("b.png", _bild("#0000ff", 30))]
    tillsammans = png(egna, "bada")
    smal = png([("b.png", _bild("#0000ff", 10))], "smal")["b.png"]   # what b would be with a's clip
    assert tillsammans["b.png"] == png(egna[1:], "b")["b.png"] != smal
    assert tillsammans["a.png"] == png(egna[:1], "a")["a.png"]
    u = _utskrift(prov, "25", tmp_path)
    alla, sista = png(u.bilder, "sidan"), png(u.bilder[-1:], "sista")
    assert len(alla) == len(u.bilder) > 2 and alla[u.bilder[-1][0]] == sista[u.bilder[-1][0]]


def test_pictures_are_stacked_with_ids_of_their_own_and_whole_pixel_boxes():
    """utskrift.samlad: each picture's boxes, one under the other; its ids and the references to them prefixed (a
    text that merely reads like a reference is left alone); a picture whose size is not whole pixels is named."""
    a = _bild("#ff0000", 10).replace("</svg>", "<text>url(#finsam-k-1)</text></svg>")
    alla, rutor = utskrift.samlad([("a.png", a), ("b.png", _bild("#0000ff", 30))])
    assert rutor == [(0, 40, 30), (30, 40, 30)] and alla.startswith('<svg xmlns="http://www.w3.org/2000/svg" '
                                                                    'width="40" height="60"')
    assert alla.count('id="finsam-b0-k-1"') == alla.count('id="finsam-b1-k-1"') == 1
    assert alla.count('"url(#finsam-b0-k-1)"') == alla.count('"url(#finsam-b1-k-1)"') == 1
    assert "<text>url(#finsam-k-1)</text>" in alla
    with pytest.raises(utskrift.Utskriftsfel, match="c.png: .*whole pixels"):
        utskrift.samlad([("c.png", _bild("#ff0000", 10).replace('width="40"', 'width="40.5"', 1))])


def test_a_picture_the_browser_cannot_read_stops_the_printing_with_the_page_named(tmp_path):
    """A picture SVG that is not well-formed (a fault in finsam.report.svg) is an Utskriftsfel naming the page, at
    once: not a wait for pictures that never come, and no PNG of it."""
    sida = tmp_path / "25_norrbottens_lan.html"
    sida.write_text("<p>x</p>", encoding="utf-8")
    trasig = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40"'
    with pytest.raises(utskrift.Utskriftsfel, match="(?s)^25_norrbottens_lan.html: .*bilderna gick inte att läsa"
                                                  ".*; not well-formed: b.png \\(unclosed token"):
        utskrift.gor([utskrift.Utskrift(sida, "<p>x</p>", [("a.png", _bild("#ff0000", 10)), ("b.png", trasig)])],
                     tmp_path / "png")
    assert list((tmp_path / "png").glob("*")) == []


@pytest.mark.parametrize("region", ["18", "25"])
def test_the_pdf_has_no_chart_split_and_a_sane_number_of_pages(prov, tmp_path, region):
    """The PDF the pipeline prints (from the print copy): a marker at the top and at the bottom of each figure land
    on the same page, the tables are printed, the pages are numbered, and their number is sane."""
    from pypdf import PdfReader
    u = _utskrift(prov, region, tmp_path)
    figurer = u.kopia.count('<section class="diagram" id="')
    mark = '<span style="display:block;font-size:2px;line-height:2px">MARK-{}-{}</span>'
    kopia = re.sub(r'(<section class="diagram" id="([\w-]+)"><figure[^>]*>)(.*?)(</figure>)',
                   lambda m: m[1] + mark.format(m[2], "START") + m[3] + mark.format(m[2], "SLUT") + m[4], u.kopia,
                   flags=re.S)
    pdf, _, _ = utskrift.gor([utskrift.Utskrift(u.sida, kopia, [])], None)
    sidor = [p.extract_text() for p in PdfReader(pdf[0]).pages]
    rader, avsnitt = u.kopia.count("<tr>"), u.kopia.count("<h2 ")
    assert figurer / 3 <= len(sidor) <= _sidor_hogst(figurer, rader, avsnitt)
    pa = {}
    for nr, text in enumerate(sidor):
        for namn, del_ in re.findall(r"MARK-([\w-]+)-(START|SLUT)", text):
            pa.setdefault(namn, {})[del_] = nr
    assert len(pa) == figurer
    assert {k: v for k, v in pa.items() if v.get("START") != v.get("SLUT")} == {}
    # the board's copy: the folded tables (a chart's numbers, long lists) are named, not printed
    text = " ".join("".join(sidor).split())
    assert "Sida 1 av" in sidor[0] and text.count("står i tabellen under diagrammet i webbsidan") == figurer
    # links that only work on screen (the overview, a förbund in colour and the others grey) are not printed
    assert "Sammanfattning" in text and "i färg igen" not in text and "(översikten)" not in text


def test_a_page_with_no_chart_to_draw_is_printed(tmp_path):
    """An empty data directory, or a län without data, gives a page with no chart: it is drawn at once (data-ritat)
    and printed, and the run publishes (it stopped with 'ritningen blev inte klar')."""
    from finsam.report.charts import Ruta
    from finsam.report.html import lan_sida

    sida = tmp_path / "01_stockholms_lan.html"
    sida.write_text(lan_sida("Genomlysning", "Inga data.", [("Sammanfattning", [Ruta("Inget", "Inga uppgifter.")])],
                             "<footer></footer>"), encoding="utf-8")
    u = utskrift.forbered(sida, "01", "Genomlysning", "Inga data.",
                          [("Sammanfattning", [Ruta("Inget", "Inga uppgifter.")])], "<footer></footer>")
    pdf, png, varfor = utskrift.gor([u], tmp_path / "png")
    assert varfor is None and png == [] and pdf == [sida.with_suffix(".pdf")]
    assert pdf[0].read_bytes()[:5] == b"%PDF-"
