"""Text from the data or the config is never a link: not in the pages (plotly draws <a href> in any text of a
figure as a link; the page's own HTML escapes), not in the report's workbook, not in the fill-in workbooks (Excel
makes a hyperlink of a cell xlsxwriter wrote as a URL)."""
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from finsam.report.charts import RAD, figur, plotlytext, utan_lankar
from finsam.templates import write_templates
from tests.conftest import Project

URL = "https://evil.example/phish"
ANCHOR = f'<a href="{URL}">Fiske</a>'
MARKUP = " <b>fet</b> &amp; <br>"   # after the förbund's name: plotly's own tags and an entity, shown as written
SUS = "Samordningsförbund;Insats;Deltagar-ID;Anonym;Kön;Inskrivningsdatum;Utskrivningsdatum;Avslutsorsak\n"
# an <a> tag in a figure's JSON (where '<' is written \u003c)
TAG = re.compile(r"(?:<|\\u003c)\s*a\s[^>]*evil\.example", re.IGNORECASE)


def links(html: str) -> list[str]:
    """The href of every <a> element of a page, as a browser parses it (an attribute may hold the name escaped)."""
    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(v or "" for k, v in attrs if tag == "a" and k == "href")
    Links().feed(html)
    return found
CHROMIUM = shutil.which("chromium")


def with_links(config: Path) -> None:
    """A förbund name and an insats of the register that are an <a> tag and a URL."""
    registry = config / "forbund.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "namn: Samordningsförbundet Sydnärke", f"namn: '{ANCHOR.replace('Fiske', 'Sydnärke')}{MARKUP}'"),
        encoding="utf-8")
    with (config / "insatser.csv").open("a", encoding="utf-8") as fh:
        fh.write(f'sydnarke,{URL},projekt,,medlemsbidrag,2019-01-01,\nsydnarke,"{ANCHOR.replace(chr(34), "")}",'
                 "projekt,,medlemsbidrag,2019-01-01,\n")


@pytest.fixture(scope="module")
def linked(tmp_path_factory) -> Project:
    project = Project(tmp_path_factory.mktemp("lankar"))
    project.settings(2019, 2020)
    with_links(project.config)
    rows = "".join(f"Sydnärke;{name};{pid}{i};Nej;K;2019-02-01;2019-06-01;{URL}\n"
                   for name, pid in ((URL, "A"), (ANCHOR, "B"), ("Steget", "C")) for i in range(6))
    project.raw("sus/sydnarke.csv", SUS + rows)
    project.raw("ekonomi/sydnarke.csv", f"Förbund;År;Post;Belopp;Enhet;Typ\nSydnärke;2019;{ANCHOR};100;kr;kostnad\n"
                                         f"Sydnärke;2019;{URL};100;kr;kostnad\n")
    project.build(rapport=True)
    return project


def test_a_figure_shows_a_tag_in_its_text_as_text():
    fig = figur([dict(type="bar", x=[ANCHOR, "<5"], y=[1, 2], name=ANCHOR, hovertext=[f"{ANCHOR}{RAD}2", "x"])], 300,
                dict(title=dict(text=ANCHOR)), [dict(text=f"<A HREF='{URL}'>x</A>", x=0, y=0)])
    texts = repr(fig.to_plotly_json())
    assert not TAG.search(texts) and "&lt;/a&gt;<br>2" in texts
    # no markup from a text, plotly's few tags included: & < > are entities (plotly shows the characters); only the
    # report's own line break (RAD) is a tag
    assert utan_lankar(["<a href=x>y</a>", "a<br>b", "<5", "<b>fet</b>", "<span style='x'>", f"a{RAD}b",
                        "AT&T", "&lt;", "vanlig"]) == [
        "&lt;a href=x&gt;y&lt;/a&gt;", "a&lt;br&gt;b", "&lt;5", "&lt;b&gt;fet&lt;/b&gt;", "&lt;span style='x'&gt;",
        "a<br>b", "AT&amp;T", "&amp;lt;", "vanlig"]
    assert utan_lankar({"name": "<i>x</i>", "marker": {"color": "#4c78a8"}, "y": [1, None]}) == {
        "name": "&lt;i&gt;x&lt;/i&gt;", "marker": {"color": "#4c78a8"}, "y": [1, None]}
    assert plotlytext("Förbund A") == "Förbund A"


def test_the_pages_hold_no_link_made_of_data(linked):
    pages = sorted((linked.data / "marts" / "genomlysning").glob("*.html"))
    assert len(pages) == 3
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "evil.example" in html  # the text is there, as text
        assert [h for h in links(html) if "evil" in h] == [] and links(html), page.name
    # the förbund's section finds its charts (their traces hold its name escaped, charts.plotlytext)
    orebro = (linked.data / "marts" / "genomlysning" / "18_orebro_lan.html").read_text(encoding="utf-8")
    sektion = orebro[orebro.index('<section class="forbund" id="f-sydnarke"'):]
    assert 'class="framhav"' in sektion[:sektion.index("</section>")]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (apt-get install chromium)")
def test_a_browser_finds_no_link_made_of_data(linked):
    """plotly draws the figures in the browser: what it draws is what counts."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            for page in sorted((linked.data / "marts" / "genomlysning").glob("*.html")):
                tab = browser.new_page()
                tab.goto(page.as_uri())
                tab.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0"
                                      " || !document.querySelector('.js-plotly-plot')")
                links = tab.evaluate("""() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href')
                                         || a.getAttribute('xlink:href') || '').filter(h => h.includes('evil'))""")
                drawn = tab.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot text')]
                                         .some(t => t.textContent.includes('evil.example'))""")
                assert links == [] and (drawn or page.name != "18_orebro_lan.html"), page.name  # Sydnärke's län
                # the name's tags and entity are drawn as the characters they are, not as bold or a line break
                markup = tab.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot text')]
                                          .some(t => t.textContent.includes('<b>fet</b> &amp; <br>'))""")
                bold = tab.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot tspan')]
                                        .some(t => (t.getAttribute('style') || '').includes('bold')
                                                   && t.textContent.includes('fet'))""")
                assert (markup or page.name != "18_orebro_lan.html") and not bold, page.name
                tab.close()
        finally:
            browser.close()


def hyperlinks(workbook: Path) -> list[str]:
    """Every hyperlink part, relation or element of an xlsx, and every cell openpyxl reads as a link."""
    with zipfile.ZipFile(workbook) as z:
        found = [name for name in z.namelist() if name.endswith(".rels")
                 and b"relationships/hyperlink" in z.read(name)]
        found += [name for name in z.namelist() if name.startswith("xl/worksheets/") and b"<hyperlink" in z.read(name)]
    wb = openpyxl.load_workbook(workbook)
    found += [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row if c.hyperlink]
    return found


def test_the_report_workbook_holds_no_hyperlink(linked):
    workbook = linked.data / "marts" / "genomlysning" / "genomlysning.xlsx"
    cells = [c.value for ws in openpyxl.load_workbook(workbook, read_only=True) for row in ws.iter_rows()
             for c in row]
    assert URL in cells  # written, as text
    assert hyperlinks(workbook) == []


def test_the_fill_in_workbooks_hold_no_hyperlink(project):
    with_links(project.config)
    [workbook] = write_templates(project.root / "mallar", 2019, project.config, ["sydnarke"])
    sheets = openpyxl.load_workbook(workbook)
    assert URL in [c.value for row in sheets["Uppföljning"].iter_rows() for c in row]
    assert hyperlinks(workbook) == []
