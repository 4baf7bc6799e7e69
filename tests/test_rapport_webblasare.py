"""Each län report opened in a real headless Chromium: every chart the builder made is drawn, and the page logs
no JavaScript error. CI installs Debian's chromium (.ci/run); elsewhere the test is skipped with how to get one."""
import shutil

import pytest

CHROMIUM = shutil.which("chromium")
pytestmark = [pytest.mark.slow,  # a browser
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH: install it with "
                                 "`apt-get update && apt-get install -y chromium` (CI's .ci/run does)")]
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
    sida.on("pageerror", lambda e: fel.append(str(e)))
    sida.on("console", lambda m: fel.append(m.text) if m.type == "error" else None)
    sida.goto(fil.as_uri())
    sida.wait_for_load_state("load")
    return sida, fel


@pytest.mark.parametrize("fil", ["18_orebro_lan.html", "25_norrbottens_lan.html"])
def test_every_chart_is_drawn_without_javascript_errors(prov, webblasare, fil):
    sida, fel = _oppna(webblasare, prov.marts / "genomlysning" / fil)
    sida.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot').length >= {prov.rapport.diagram[fil]}")
    assert sida.evaluate(RITADE) == prov.rapport.diagram[fil] > 0
    assert fel == []
    sida.close()


def test_index_sorts_by_a_column(prov, webblasare):
    sida, fel = _oppna(webblasare, prov.marts / "genomlysning" / "index.html")
    kolumn = "Deltagare"
    sida.click(f"th:has-text('{kolumn}')")
    varden = sida.evaluate("""() => [...document.querySelectorAll('tbody tr')].map(r => r.cells[2].dataset.v)
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
