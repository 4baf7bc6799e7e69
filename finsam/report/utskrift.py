"""The PDF of each län page and a PNG picture of each of its charts, from one headless Chromium for the whole report.

Each page is opened once, in print media at the A4 width (html.UTSKRIFT_BREDD), so its charts are drawn once at the
size they have on paper: every chart's picture is a screenshot of its <figure> (heading, definition, source and
date above the drawing, at the figure's own size, SKALA pixels per CSS pixel), and the page is then printed to
`<region>_<slug>.pdf` beside it. Kaleido drew each chart again in a page of its own (about 0.4 s a chart, 205 s of a
national run); here a chart costs one screenshot of a page already drawn. SAMTIDIGA tabs share the pages, each tab
going through its pages one after the other: a tab's renderer compiles plotly.js once and reuses it on every page.

    pdf, png, varfor = gor(sidor, png_katalog)   # varfor: why there are none (no Chromium), else None
"""
from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import time
from pathlib import Path

from choreographer import Browser

from finsam.report import images
from finsam.report.html import UTSKRIFT_BREDD, UTSKRIFT_SIDHOJD

SAMTIDIGA = 2                 # tabs at once (one renderer each; the machines have 2 cores)
SKALA = 1.5                   # picture pixels per CSS pixel: 680 CSS px wide charts become 1020 px pictures
FONSTER_HOJD = UTSKRIFT_SIDHOJD + 100       # the tab's height: a figure (at most a page high) fits on screen
BIT = 1 << 19                 # bytes of the PDF read at a time
VANTA_MS = 120_000            # how long a page may take to draw its charts before the step gives up on it
# Resolves, once the page has drawn every chart (html.RITA_JS sets data-ritat) and opened its tables for print, to
# each chart figure's box in the page; rejects when drawing failed.
RITAD = """new Promise((ok, fel) => { const t0 = Date.now(); (function vanta() {
  const s = document.documentElement.dataset.ritat;
  if (s === 'fel') return fel(new Error('ritningen misslyckades'));
  if (s !== '1' && Date.now() - t0 < VANTA_MS) return setTimeout(vanta, 20);
  if (s !== '1') return fel(new Error('ritningen blev inte klar'));
  if (window.utskrift) utskrift();
  ok([...document.querySelectorAll('section.diagram figure')].filter(f => f.querySelector('.js-plotly-plot'))
     .map(f => { const r = f.getBoundingClientRect();
       return [f.parentElement.id, r.left + scrollX, r.top + scrollY, r.width, r.height]; }));
})(); })""".replace("VANTA_MS", str(VANTA_MS))


class Utskriftsfel(RuntimeError):
    """The browser could not draw or print a page."""


def gor(sidor: list[Path], png_katalog: Path | None, sekunder: dict[str, float] | None = None
        ) -> tuple[list[Path], list[Path], str | None]:
    """PDFs beside `sidor` and, when png_katalog is given, png_katalog/<region>_<chart>.png for each of their
    charts; returns (PDFs, pictures, None), or ([], [], why) when there is no Chromium. `sekunder` gets the seconds
    spent drawing, taking pictures and printing, summed over the pages."""
    if not sidor:
        return [], [], None
    chromium = images.finn_chromium()
    if chromium is None:
        return [], [], images.INGEN_CHROMIUM
    if png_katalog is not None:
        png_katalog.mkdir(parents=True, exist_ok=True)
    arbete = _alla(chromium, sidor, png_katalog, {} if sekunder is None else sekunder)
    try:
        asyncio.get_running_loop()
    except RuntimeError:       # no loop in this thread: the usual case (Dagster's step, the tests)
        return *asyncio.run(arbete), None
    with concurrent.futures.ThreadPoolExecutor(1) as ex:    # a notebook's loop runs here: a thread of its own
        return *ex.submit(asyncio.run, arbete).result(), None


async def _alla(chromium: str, sidor: list[Path], png_katalog: Path | None, sekunder: dict[str, float]
                ) -> tuple[list[Path], list[Path]]:
    pdf: list[Path] = []
    png: list[Path] = []
    ko = list(sidor)
    async with Browser(chromium, headless=True) as webblasare:
        async def flik() -> None:
            tab = await webblasare.create_tab("about:blank")
            try:
                await _forbered(tab)
                while ko:
                    p, bilder = await _sida(tab, ko.pop(0), png_katalog, sekunder)
                    pdf.append(p)
                    png.extend(bilder)
            finally:
                await tab.close()
        await asyncio.gather(*(flik() for _ in range(min(SAMTIDIGA, len(sidor)))))
    return sorted(pdf), sorted(png)


async def _svar(flik, kommando: str, params: dict | None = None) -> dict:
    svar = await flik.send_command(kommando, params or {})
    if "error" in svar:
        raise Utskriftsfel(f"{kommando}: {svar['error'].get('message')}")
    return svar.get("result", {})


async def _forbered(flik) -> None:
    """Print media at the A4 width from the start: the charts are drawn once, at their size on paper."""
    await _svar(flik, "Page.enable")
    await _svar(flik, "Emulation.setEmulatedMedia", {"media": "print"})
    await _svar(flik, "Emulation.setDeviceMetricsOverride",
                {"width": UTSKRIFT_BREDD, "height": FONSTER_HOJD, "deviceScaleFactor": 1, "mobile": False})


def _tid(sekunder: dict[str, float], steg: str, start: float) -> float:
    nu = time.perf_counter()
    sekunder[steg] = sekunder.get(steg, 0.0) + nu - start
    return nu


async def _sida(flik, sida: Path, png_katalog: Path | None, sekunder: dict[str, float]) -> tuple[Path, list[Path]]:
    start = time.perf_counter()
    laddad = flik.subscribe_once("Page.loadEventFired")
    await _svar(flik, "Page.navigate", {"url": sida.as_uri()})
    await laddad
    svar = await _svar(flik, "Runtime.evaluate", {"expression": RITAD, "awaitPromise": True, "returnByValue": True})
    if "exceptionDetails" in svar:
        raise Utskriftsfel(f"{sida.name}: {svar['exceptionDetails'].get('exception', {}).get('description')}")
    start = _tid(sekunder, "rita", start)
    bilder = []
    if png_katalog is not None:
        region = sida.name.split("_", 1)[0]
        for diagram_id, x, y, bredd, hojd in svar["result"]["value"]:
            # the figure scrolled into the window: a screenshot beyond it would resize the page, and plotly with it
            await _svar(flik, "Runtime.evaluate", {"expression": f"window.scrollTo(0, {y})"})
            bild = await _svar(flik, "Page.captureScreenshot", {
                "format": "png", "optimizeForSpeed": True,
                "clip": {"x": x, "y": y, "width": bredd, "height": min(hojd, FONSTER_HOJD), "scale": SKALA}})
            fil = png_katalog / f"{region}_{diagram_id}.png"
            fil.write_bytes(base64.b64decode(bild["data"]))
            bilder.append(fil)
    start = _tid(sekunder, "png", start)
    pdf = sida.with_suffix(".pdf")
    utskrift = await _svar(flik, "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True,
                                                     "transferMode": "ReturnAsStream"})
    with pdf.open("wb") as ut:
        while True:     # in pieces: choreographer joins a long message's reads one by one, in quadratic time
            bit = await _svar(flik, "IO.read", {"handle": utskrift["stream"], "size": BIT})
            ut.write(base64.b64decode(bit["data"]) if bit.get("base64Encoded") else bit["data"].encode("latin-1"))
            if bit.get("eof"):
                break
    await _svar(flik, "IO.close", {"handle": utskrift["stream"]})
    _tid(sekunder, "pdf", start)
    return pdf, bilder
