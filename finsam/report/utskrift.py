"""The PDF of each län page and a PNG picture of each of its charts, without drawing a chart in a browser.

Every chart is drawn once more in Python, as static SVG (finsam.report.svg), from the very figure the page gives
plotly. Two things are made of those drawings:
- the print copy of the page (html.lan_sida with `ritningar`): the same page, every chart already drawn at its size
  on paper (at most PAPPER_HOJD high, so a chart with its caption fits one A4 page) and no script. One headless
  Chromium prints it to `<region>_<slug>.pdf` beside the page: nothing is drawn or waited for, and the page's
  CSS does the rest (cover, page numbers, no chart split, every table open).
- a picture per chart (bild): the chart at its own size under its heading, definition, source and date, with its
  notes below, rasterised to png/<region>_<chart>.png in the same tab (the page's pictures stacked in one SVG
  image, each picture's box of it drawn on a canvas, SKALA pixels per CSS pixel; the browser encodes the pictures
  in parallel), and written as it is to svg/<region>_<chart>.svg
  (sharp at any size: PowerPoint, Word and LibreOffice take SVG).
Plotly drew each chart in the page (0.1-0.25 s a chart), a screenshot took each picture (0.3 s) and printing waited
for both: 203 s of a national run with 21 pages and 560 charts. SAMTIDIGA tabs share the pages.

    kopia = forbered(sida, region, titel, inledning, avsnitt, fot, skapad)   # html.lan_sida's arguments
    pdf, png, varfor = gor([kopia, ...], png_katalog)   # varfor: why there are none (no Chromium), else None
"""
from __future__ import annotations

import asyncio
import base64
import datetime as dt
import itertools
import json
import os
import queue
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from choreographer import Browser

from finsam.report import images, svg
from finsam.report.charts import Diagram
from finsam.report.html import UTSKRIFT_BREDD, UTSKRIFT_SIDHOJD, figur_delar, hojd, kalla, lan_sida, som_json

SAMTIDIGA = 2                 # tabs at once (one renderer each; the machines have 2 cores)
# Picture pixels per CSS pixel: the chart's own size, 680 px wide. At 1.5 (1 020 px) rasterising took a third longer
# (about 1.25 s instead of 0.85 s for a national län page's 27 pictures); the same picture as SVG, sharp at any size,
# is written beside it (svg/).
SKALA = 1.0
SVG_KATALOG = "svg"           # beside png/: each picture as SVG, <region>_<chart>.svg
PAPPER_HOJD = UTSKRIFT_SIDHOJD - 260        # a chart on paper, so it, its caption and a heading fit one page
BIT = 1 << 19                 # bytes of the PDF read at a time
HAMTAT = "hamtat"             # the browser's download folder, in the temporary folder
_NUMMER = itertools.count(1)  # numbers the pages' picture files (both tabs run in one event loop)
# Chromium tags a PDF's structure for screen readers by default: a tag per table cell made the sample's Örebro PDF
# 6.7 MB instead of 0.9 MB and its printing about 40 % slower. The page itself is the accessible version (labelled
# figures, captioned and scoped tables); the PDF is for paper and mail.
TAGGAD = False
# The picture header's text: (size in px, weight, colour, line height) of the heading and of the smaller lines.
RUBRIK, RAD = (16, "bold", "#222222", 21), (12, "normal", "#444444", 16)
MARGINAL = 8                  # px of white around a picture's text
TYPSNITT = "system-ui, 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif"
# Rasterises a page's pictures from one SVG file holding them all, stacked (samlad): Chromium parses one SVG document
# per page instead of one per picture (a quarter less of the rasteriser's time, the same pixels), and each canvas
# takes its picture's box of it. The browser encodes the PNGs in parallel and saves them, one after the other, as
# one download (NAMN in the download folder): no picture passes through the DevTools pipe as base64 JSON, which
# this process had to parse while it builds the next page. Returns each PNG's size in bytes.
RASTRERA = """(async () => {
  const img = new Image();
  await new Promise((ok, fel) => { img.onload = ok; img.onerror = () => fel(new Error('bilderna gick inte att läsa'));
                                   img.src = KALLA; });
  const png = await Promise.all(RUTOR.map(([y, b, h]) => {
    const c = document.createElement('canvas'), x = c.getContext('2d');
    c.width = Math.round(b * SKALA); c.height = Math.round(h * SKALA);
    x.fillStyle = '#ffffff'; x.fillRect(0, 0, c.width, c.height); x.scale(SKALA, SKALA);
    x.drawImage(img, 0, y, b, h, 0, 0, b, h);
    return new Promise(ok => c.toBlob(ok, 'image/png')); }));
  if (png.some(p => !p)) throw new Error('en bild kunde inte kodas som PNG');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob(png)); a.download = NAMN; a.click();
  return png.map(p => p.size); })()"""
HAMTNING_S = 120              # seconds a page's pictures may take to be saved before it is an error


class Utskriftsfel(RuntimeError):
    """The browser could not print a page or rasterise a picture."""


@dataclass
class Utskrift:
    """What is made of one län page: its PDF (beside `sida`) from the print copy, and its pictures."""
    sida: Path                       # the interactive page
    kopia: str                       # the print copy's HTML
    bilder: list[tuple[str, str]]    # (PNG file name, picture SVG)


def figur(d: Diagram) -> dict:
    """The chart's figure as the page gives it to plotly (plain JSON: data and layout, without the template)."""
    data, layout, _ = figur_delar(d)
    return json.loads(som_json({"data": data, "layout": layout}))


def _ritad_hojd(ritning: str) -> float:
    """The height of a drawing svg.svg made (its root's height: the layout's, or more where a legend needed it)."""
    return float(re.match(r'<svg[^>]*? height="([0-9.]+)"', ritning)[1])


def samlad(bilder: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int, int]]]:
    """The pictures (name, SVG) stacked in one SVG document, and each one's box in it (top, width, height). Each
    picture's element ids get a prefix of their own: ids are per document, and two pictures' equal ids need not mean
    equal definitions. A picture's size must be whole pixels (bild makes it so): its box is cut at whole pixels."""
    delar, rutor, y = [], [], 0
    for i, (namn, s) in enumerate(bilder):
        rot = re.match(r'<svg[^>]*? width="([0-9]+)" height="([0-9]+)"', s)
        if rot is None:
            raise Utskriftsfel(f"{namn}: the picture's <svg> has no width and height in whole pixels")
        bredd, hojd = int(rot[1]), int(rot[2])
        s = re.sub(r'( id="|="url\(#)finsam-', rf"\1finsam-b{i}-", s)
        delar.append(f'<svg x="0" y="{y}" width="{bredd}" height="{hojd}">{s}</svg>')
        rutor.append((y, bredd, hojd))
        y += hojd
    bredd = max((b for _, b, _ in rutor), default=0)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{bredd}" height="{y}" viewBox="0 0 {bredd} {y}">'
            f'{"".join(delar)}</svg>'), rutor


def olasbara(bilder: list[tuple[str, str]]) -> list[str]:
    """The names of the pictures that are not well-formed XML (what the browser cannot read), with the reason."""
    ut = []
    for namn, s in bilder:
        try:
            ElementTree.fromstring(s)
        except ElementTree.ParseError as fel:
            ut.append(f"{namn} ({fel})")
    return ut


def _textrader(rader: list[tuple[str, tuple]], bredd: float, y: float) -> tuple[list[str], float]:
    """SVG <text> elements for each (text, style) wrapped to `bredd`, from y down; returns them and the y after."""
    ut = []
    for text, (storlek, vikt, farg, radhojd) in rader:
        for rad in svg.radbryt(text, bredd, storlek, vikt == "bold", dela_ord=True):
            y += radhojd
            ut.append(f'<text x="{MARGINAL}" y="{y - radhojd * 0.25:.1f}" font-size="{storlek}" '
                      f'font-weight="{vikt}" fill="{farg}">{svg.esc(rad)}</text>')
    return ut, y


def bild(d: Diagram, ritning: str, datum: str) -> str:
    """A chart's picture as SVG: heading, definition, source and date above its drawing (svg.svg at its own height
    and A4's text width), its notes below, on white: a picture pasted into a slide says what it is and where it is
    from."""
    bredd = UTSKRIFT_BREDD
    text = bredd - 2 * MARGINAL
    ovan, y = _textrader([(d.rubrik, RUBRIK), (f"Definition: {d.definition}", RAD),
                          (f"Källa: {kalla(d, datum)}", RAD)], text, MARGINAL)
    hojd = _ritad_hojd(ritning)
    under, slut = _textrader([(n, RAD) for n in d.noter], text, y + 6 + hojd)
    slut += MARGINAL
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{bredd}" height="{slut:.0f}" '
            f'viewBox="0 0 {bredd} {slut:.0f}" font-family="{svg.esc(TYPSNITT)}">'
            f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(ovan)}'
            f'<svg x="0" y="{y + 6:.1f}" width="{bredd}" height="{hojd:g}">{ritning}</svg>{"".join(under)}</svg>')


def forbered(sida: Path, region: str, titel: str, inledning: str, avsnitt: list[tuple[str, list]], fot: str,
             skapad: dt.date | None = None) -> Utskrift:
    """What is made of the län page `sida` (html.lan_sida of the same arguments): its print copy, each chart at A4's
    text width and at most PAPPER_HOJD high, and a picture of each chart at its own height. A chart no higher than
    PAPPER_HOJD is drawn once for both."""
    ritade = [d for _, innehall in avsnitt for d in innehall if isinstance(d, Diagram) and d.figur is not None]
    figurer = {d.id: figur(d) for d in ritade}
    egna = {i: svg.svg(f, UTSKRIFT_BREDD) for i, f in figurer.items()}
    papper = {d.id: egna[d.id] if hojd(d) <= PAPPER_HOJD else
              svg.svg({**figurer[d.id], "layout": {**figurer[d.id]["layout"], "height": PAPPER_HOJD}}, UTSKRIFT_BREDD)
              for d in ritade}
    datum = f"{skapad:%Y-%m-%d}" if skapad else ""
    return Utskrift(sida, lan_sida(titel, inledning, avsnitt, fot, skapad, ritningar=papper),
                    [(f"{region}_{d.id}.png", bild(d, egna[d.id], datum)) for d in ritade])


class Skrivare:
    """One headless Chromium, in a thread of its own, printing each page handed to it (skriv) while the caller
    builds the next: SAMTIDIGA tabs take the pages in turn. Leaving the `with` block waits for the last page; the
    PDFs and pictures are then in `pdf` and `png`, and an error in the browser is raised there.

        with Skrivare(chromium, png_katalog, sekunder) as skrivare:
            for ...: skrivare.skriv(forbered(...))
    """

    def __init__(self, chromium: str, png_katalog: Path | None, sekunder: dict[str, float] | None = None):
        self.pdf: list[Path] = []
        self.png: list[Path] = []
        self._ko: queue.Queue[Utskrift | None] = queue.Queue()
        self._fel: BaseException | None = None
        self._png, self._sekunder = png_katalog, ({} if sekunder is None else sekunder)
        if png_katalog is not None:
            png_katalog.mkdir(parents=True, exist_ok=True)
        self._tmp = tempfile.TemporaryDirectory(prefix="finsam-utskrift-")
        self._trad = threading.Thread(target=self._kor, args=(chromium,), name="finsam-utskrift", daemon=True)

    def __enter__(self) -> Skrivare:
        self._trad.start()
        return self

    def skriv(self, u: Utskrift) -> None:
        self._ko.put(u)

    def __exit__(self, typ, *_) -> None:
        for _ in range(SAMTIDIGA):
            self._ko.put(None)      # each tab stops at one; a tab that failed has stopped already
        self._trad.join()
        self._tmp.cleanup()
        self.pdf.sort()
        self.png.sort()
        if self._fel is not None and typ is None:
            raise self._fel

    def _kor(self, chromium: str) -> None:
        try:
            bakgrund()   # this thread, and so the Chromium it starts, yields the cores to the pages and workbook
            asyncio.run(self._alla(chromium))
        except BaseException as fel:   # raised in the caller's thread when it leaves the with block
            self._fel = fel

    async def _alla(self, chromium: str) -> None:
        async with Browser(chromium, headless=True) as webblasare:
            await _svar(webblasare, "Browser.setDownloadBehavior",
                        {"behavior": "allow", "downloadPath": str(Path(self._tmp.name) / HAMTAT)})
            async def flik() -> None:
                tab = await webblasare.create_tab("about:blank")
                try:
                    await _svar(tab, "Page.enable")
                    # the page is laid out for print from the start: printing then redoes less (Chromium's CPU for
                    # the 21 national PDFs 18.8 s instead of 31.2 s; the PDFs are byte for byte the same)
                    await _svar(tab, "Emulation.setEmulatedMedia", {"media": "print"})
                    while (u := await asyncio.to_thread(self._ko.get)) is not None:
                        pdf, bilder = await _sida(tab, u, Path(self._tmp.name), self._png, self._sekunder)
                        self.pdf.append(pdf)
                        self.png.extend(bilder)
                finally:
                    await tab.close()
            await asyncio.gather(*(flik() for _ in range(SAMTIDIGA)))


# How much the Chromium steps back for the pages and the workbook, which it waits for anyway. At national scale on
# 2 cores the report step is bound by its total CPU: the step took 49.0-50.5 s against 51.3-52.2 s without (paired
# runs). Lowering the workbook's process too made the pages faster (27 s against 40-43 s) but the step no shorter:
# the workbook then finished 15-18 s after them.
BAKGRUND_NICE = 10


def bakgrund() -> None:
    """Lowers the calling thread's priority by BAKGRUND_NICE (Linux: per thread; a process it starts inherits it);
    nothing where the system has no such call."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BAKGRUND_NICE)
    except (AttributeError, OSError):
        pass


def gor(utskrifter: list[Utskrift], png_katalog: Path | None, sekunder: dict[str, float] | None = None
        ) -> tuple[list[Path], list[Path], str | None]:
    """PDFs beside each Utskrift's page and, when png_katalog is given, its pictures there (a Skrivare for a list
    made beforehand); returns (PDFs, pictures, None), or ([], [], why) when there is no Chromium. `sekunder` gets
    the seconds spent printing and rasterising, summed over the pages."""
    if not utskrifter:
        return [], [], None
    chromium = images.finn_chromium()
    if chromium is None:
        return [], [], images.INGEN_CHROMIUM
    with Skrivare(chromium, png_katalog, sekunder) as skrivare:
        for u in utskrifter:
            skrivare.skriv(u)
    return skrivare.pdf, skrivare.png, None


async def _svar(flik, kommando: str, params: dict | None = None) -> dict:
    svar = await flik.send_command(kommando, params or {})
    if "error" in svar:
        raise Utskriftsfel(f"{kommando}: {svar['error'].get('message')}")
    return svar.get("result", {})


async def _hamtad(fil: Path, storlek: int, vad: str) -> bytes:
    """The bytes of a download once it is whole (Chromium gives it its name when it is done)."""
    slut = time.monotonic() + HAMTNING_S
    while not (fil.exists() and fil.stat().st_size == storlek):
        if time.monotonic() > slut:
            raise Utskriftsfel(f"{vad}: bilderna sparades inte inom {HAMTNING_S} s ({fil.name})")
        await asyncio.sleep(0.01)
    data = fil.read_bytes()
    fil.unlink()
    return data


async def _varde(flik, uttryck: str, vad: str):
    """The value of a JavaScript expression in the tab (awaited); an exception in it is an Utskriftsfel."""
    svar = await _svar(flik, "Runtime.evaluate", {"expression": uttryck, "awaitPromise": True,
                                                  "returnByValue": True})
    if "exceptionDetails" in svar:
        raise Utskriftsfel(f"{vad}: {svar['exceptionDetails'].get('exception', {}).get('description')}")
    return svar["result"].get("value")


def _tid(sekunder: dict[str, float], steg: str, start: float) -> float:
    nu = time.perf_counter()
    sekunder[steg] = sekunder.get(steg, 0.0) + nu - start
    return nu


async def _sida(flik, u: Utskrift, tmp: Path, png_katalog: Path | None, sekunder: dict[str, float]
                ) -> tuple[Path, list[Path]]:
    start = time.perf_counter()
    kopia = tmp / u.sida.name
    kopia.write_text(u.kopia, encoding="utf-8")
    laddad = flik.subscribe_once("Page.loadEventFired")
    await _svar(flik, "Page.navigate", {"url": kopia.as_uri()})
    await laddad
    pdf = u.sida.with_suffix(".pdf")
    utskrift = await _svar(flik, "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True,
                                                     "generateTaggedPDF": TAGGAD, "transferMode": "ReturnAsStream"})
    with pdf.open("wb") as ut:
        while True:     # in pieces: choreographer joins a long message's reads one by one, in quadratic time
            bit = await _svar(flik, "IO.read", {"handle": utskrift["stream"], "size": BIT})
            ut.write(base64.b64decode(bit["data"]) if bit.get("base64Encoded") else bit["data"].encode("latin-1"))
            if bit.get("eof"):
                break
    await _svar(flik, "IO.close", {"handle": utskrift["stream"]})
    start = _tid(sekunder, "pdf", start)
    bilder = []
    if png_katalog is not None and u.bilder:
        nummer = next(_NUMMER)   # the files' names: each page's own, and none Chromium would change
        alla, rutor = samlad(u.bilder)
        kalla = tmp / f"bilder-{nummer}.svg"
        kalla.write_text(alla, encoding="utf-8")
        hamtning = f"bilder-{nummer}.bilder"
        varden = {"SKALA": repr(SKALA), "RUTOR": json.dumps(rutor), "NAMN": json.dumps(hamtning),
                  "KALLA": json.dumps(kalla.as_uri())}
        try:
            storlekar = await _varde(flik, re.sub(r"\b(SKALA|RUTOR|NAMN|KALLA)\b", lambda m: varden[m[1]],
                                                  RASTRERA), u.sida.name)
        except Utskriftsfel as fel:
            trasiga = olasbara(u.bilder)
            raise Utskriftsfel(f"{fel}; not well-formed: {', '.join(trasiga)}" if trasiga else str(fel)) from None
        data = await _hamtad(tmp / HAMTAT / hamtning, sum(storlekar), u.sida.name)
        vektor = png_katalog.with_name(SVG_KATALOG)
        vektor.mkdir(exist_ok=True)
        borjan = 0
        for (namn, bild_svg), storlek in zip(u.bilder, storlekar, strict=True):   # the PNGs end to end
            fil = png_katalog / namn
            fil.write_bytes(data[borjan:borjan + storlek])
            borjan += storlek
            bilder.append(fil)
            (vektor / namn).with_suffix(".svg").write_text(bild_svg, encoding="utf-8")
        _tid(sekunder, "png", start)
    return pdf, bilder
