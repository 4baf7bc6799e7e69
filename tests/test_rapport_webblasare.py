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
    el.querySelectorAll('.scatterlayer .trace .point, .scatterlayer .trace path.js-line, .barlayer .trace .point')
      .length > 0).length"""


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
