"""HTML pages: one self-contained file per län and the index; they open offline, with no network at all.

A län page carries plotly.js once, only the trace types the report draws (DELBUNT, 1.3 MB instead of 4.8 MB),
gzip-compressed and base64-encoded (0.6 MB), and every chart's JSON packed the same way (a tenth of its size): one
small script unpacks both with the browser's own DecompressionStream and draws the charts.
The layout template (plotly_white's look, charts.MALL) is written once, not into every chart, so a page stays
under 2.5 MB (SIDA_MAX) with a län of many förbund. The page sets `data-ritat` on <html> when every chart is drawn
(`fel` if drawing failed) and fires the event `ritat`: the PDF and the pictures are made from the drawn page
(finsam.report.utskrift), and a förbund opened from the index is highlighted in the drawn charts.

Printing (and the PDF) uses the A4 stylesheet in CSS: the top of the page up to the end of the first section is the
cover, page numbers in the bottom margin, no chart split across pages (a chart taller than a page is drawn at
UTSKRIFT_SIDHOJD with its caption), no toolbar, every folded table opened, the checksums wrapped; a table keeps its
words whole at 7.5 pt or 6.5 pt or on a landscape page, whichever its words fit (utskriftsklass), the index's on a
landscape page, and only a table too wide for all of them breaks words anywhere.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import gzip
import json
import re
from html import escape
from pathlib import Path

import polars as pl
from plotly.offline import get_plotlyjs, get_plotlyjs_version
from plotly.utils import PlotlyJSONEncoder

from finsam.report.charts import Diagram, Ruta, Tabell
from finsam.report.definitions import kallor_text
from finsam.report.format import antal_ord
from finsam.report.svg import textbredd

SIDA_MAX = 2_500_000              # bytes a län page may weigh (issue 21: two pages fit a 10 MB mail)
# The PDF (the print copy, finsam.report.utskrift) is the board's copy: the summary, every chart with its notes and
# the tables that are open on screen. The folded tables (a chart's numbers, long lists) are named, not printed: a
# hundred A4 pages of numbers for one län is no board document, and they cost two thirds of the printing. The page
# printed from the browser (Ctrl+P) opens and prints them all.
UTSKRIFT_TABELL = ("Diagrammets siffror står i tabellen under diagrammet i webbsidan och i arbetsboken "
                   "genomlysning.xlsx.")
UTSKRIFT_TABELLER = "står i webbsidan och i arbetsboken genomlysning.xlsx."
UTSKRIFT_BREDD = 680              # CSS px between the A4 margins (210 mm - 2 x 15 mm)
UTSKRIFT_SIDHOJD = 1000           # CSS px between the A4 margins (297 mm - 15 mm - 16 mm = 266 mm = 1005 px)
# Text colours, each on the lightest background it is drawn on; a test holds every pair to 4.5:1 (WCAG AA).
TEXT, DAMPAD, LANK = "#222222", "#444444", "#1f4e79"
CSS = f"""
body{{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem;color:{TEXT};
line-height:1.45}}
h1{{font-size:1.6rem}}h2{{margin-top:2.5rem;border-bottom:2px solid #ddd}}h3{{font-size:1.1rem;margin:0 0 .2rem}}
section.diagram{{margin:1.5rem 0 2.5rem}}figure{{margin:0}}figcaption{{margin-bottom:.3rem}}
.ritning svg{{display:block;width:100%;height:auto}}
.def,.kalla,.not{{font-size:.9rem;margin:.2rem 0;color:{DAMPAD}}}
.tom{{padding:1rem;background:#f6f6f6;color:{DAMPAD}}}table{{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}}
caption{{text-align:left;font-size:.85rem;color:{DAMPAD};padding:.2rem 0}}
th,td{{border:1px solid #ddd;padding:.2rem .45rem;text-align:right;vertical-align:top}}
th:first-child,td:first-child{{text-align:left}}td.t{{text-align:left}}th{{background:#f2f2f2}}
tbody th{{background:none;font-weight:normal}}
th button{{display:block;width:100%;font:inherit;font-weight:bold;color:inherit;background:none;border:0;padding:0;
cursor:pointer;
text-align:inherit}}
th button:focus-visible{{outline:2px solid {LANK};outline-offset:2px}}
details{{margin:.4rem 0}}summary{{cursor:pointer;color:{LANK}}}a{{color:{LANK}}}
nav a{{margin-right:.8rem}}footer{{margin-top:3rem;font-size:.8rem;color:{DAMPAD}}}
footer p,footer td{{overflow-wrap:anywhere}}.rulla{{overflow-x:auto;max-width:100%}}
td.ok{{background:#dff0d8}}td.ej{{background:#f8d7da}}td.osaker{{font-style:italic}}
div.ram{{border:3px double #8a6d3b;background:#fcf8e3;padding:.2rem 1rem;margin:1rem 0}}
@page{{size:A4;margin:15mm 15mm 16mm;@bottom-right{{content:"Sida " counter(page) " av " counter(pages);
font:9pt system-ui,sans-serif;color:{DAMPAD}}}}}
@media print{{
body{{max-width:none;padding:0;font-size:10pt}}nav,summary,.modebar-container{{display:none}}
.omslag{{break-after:page}}h2,h3,figcaption{{break-after:avoid}}figure,tr,div.ram{{break-inside:avoid}}
html:not(.ritar) details::details-content{{content-visibility:visible;display:contents}}
thead{{display:table-header-group}}
h2{{margin-top:1.2rem}}section.diagram{{margin:.8rem 0 1.2rem}}a{{color:inherit;text-decoration:none}}
table{{font-size:7.5pt;max-width:100%}}th,td{{padding:1px 3px;overflow-wrap:anywhere}}
table.bred td,table.bred tbody th,table.sort th{{overflow-wrap:normal}}table.bred thead th{{font-size:6.5pt}}
table.hela th,table.hela td{{overflow-wrap:break-word}}table.tat,table.tat thead th{{font-size:6.5pt}}
table.sort,.tvar,h2:has(+ .tvar){{page:bred}}.rulla{{overflow:visible}}
th button{{appearance:none;display:inline;text-align:inherit}}
}}
@page bred{{size:A4 landscape}}
"""
SORT_JS = """
document.querySelectorAll('table.sort').forEach(t=>t.querySelectorAll('thead th').forEach((th,i)=>{
 th.onclick=()=>{
 const b=t.tBodies[0],r=[...b.rows],up=th.getAttribute('aria-sort')!=='ascending';
 t.querySelectorAll('thead th').forEach(x=>x.setAttribute('aria-sort','none'));
 th.setAttribute('aria-sort',up?'ascending':'descending');
 const v=x=>{const c=x.cells[i],d=c.dataset.v;return d===undefined?c.textContent:(d===''?null:+d)};
 r.sort((a,c)=>{const x=v(a),y=v(c);if(x===null)return 1;if(y===null)return -1;
  return (typeof x==='number'&&typeof y==='number'?x-y:String(x).localeCompare(String(y),'sv'))*(up?1:-1)});
 r.forEach(x=>b.appendChild(x))}}));
"""
# Unpacks plotly.js, draws every chart from its JSON (for print, it and its caption at most a page), then marks the page
# drawn. utskrift() opens every folded table and fits the charts to A4 before printing; efter() undoes it.
RITA_JS = """
const KONFIG={displayModeBar:false,displaylogo:false,responsive:true};
const UTSKRIFT=matchMedia('print');
// on paper a chart, its caption and a section heading kept with it fit one page: a taller chart is drawn lower
function hojd(gd){const text=gd.closest('figure').querySelector('figcaption').offsetHeight;
 return UTSKRIFT.matches?Math.min(+gd.dataset.hojd,%(sida)d-text-90):+gd.dataset.hojd}
async function packa_upp(id){
 const packad=await fetch('data:application/octet-stream;base64,'+document.getElementById(id).textContent);
 return new Response(packad.body.pipeThrough(new DecompressionStream('gzip'))).text();
}
async function rita(){
 // the folded tables stay folded while the charts are drawn: plotly measures the page as it draws, and a page
 // with a thousand table rows open takes as long to measure each time as all of its charts take to draw
 document.documentElement.classList.add('ritar');
 const [js,data]=await Promise.all([packa_upp('plotly-gz'),packa_upp('figurer-gz')]);
 const s=document.createElement('script');s.textContent=js;document.head.appendChild(s);
 const {mallar,figurer}=JSON.parse(data);
 const konfig=UTSKRIFT.matches?{...KONFIG,staticPlot:true}:KONFIG;   // drawn for paper (the PDF): no hover
 const delar=Object.entries(figurer).map(([id,f])=>{const gd=document.getElementById(id);
  gd.dataset.hojd=f.layout.height;return [gd,f]});
 delar.forEach(([gd,f])=>{f.layout.height=hojd(gd)});        // measured all at once: one layout, not one a chart
 for(const [gd,f] of delar){f.layout.template=mallar[f.mall];gd.style.height=f.layout.height+'px';
  await Plotly.newPlot(gd,f.data,f.layout,konfig)}
 document.documentElement.classList.remove('ritar');
 if(UTSKRIFT.matches)utskrift();
}
function utskrift(){
 document.querySelectorAll('details:not([open])').forEach(d=>{d.open=true;d.dataset.stangd='1'});
 if(window.Plotly)document.querySelectorAll('.js-plotly-plot').forEach(gd=>{
  if(gd.layout.height!==hojd(gd)||gd.offsetWidth!==gd._fullLayout.width){gd.style.height=hojd(gd)+'px';
   Plotly.relayout(gd,{height:hojd(gd),width:gd.offsetWidth})}});
}
function efter(){
 document.querySelectorAll('details[data-stangd]').forEach(d=>{d.open=false;delete d.dataset.stangd});
 if(window.Plotly)document.querySelectorAll('.js-plotly-plot').forEach(gd=>
  {gd.style.height=gd.dataset.hojd+'px';Plotly.relayout(gd,{height:+gd.dataset.hojd,width:null,autosize:true})});
}
addEventListener('beforeprint',utskrift);addEventListener('afterprint',efter);
rita().then(()=>{document.documentElement.dataset.ritat='1';dispatchEvent(new Event('ritat'))},
            e=>{document.documentElement.dataset.ritat='fel';throw e});
""".replace("%(sida)d", str(UTSKRIFT_SIDHOJD))


INGET_ATT_RITA_JS = "document.documentElement.dataset.ritat='1';dispatchEvent(new Event('ritat'));"


def packa(text: str) -> str:
    """`text` gzip-compressed and base64-encoded: what the page's packa_upp() unpacks."""
    return base64.b64encode(gzip.compress(text.encode("utf-8"), 9, mtime=0)).decode("ascii")


# plotly.js with only the trace types the report draws (charts.RITADE_TYPER), gzipped: built by
# scripts/plotly_bundle.sh from the plotly.js of the installed plotly package (the package ships only full bundles)
DELBUNT = Path(__file__).with_name("plotly-finsam.min.js.gz")


def delbunt_version() -> str | None:
    """The plotly.js version DELBUNT was built from (its first line says), None without one."""
    if not DELBUNT.exists():
        return None
    with gzip.open(DELBUNT, "rt", encoding="utf-8") as f:
        forsta = f.readline()
    return forsta.split("plotly.js v", 1)[1].split(" ", 1)[0] if "plotly.js v" in forsta else None


@functools.cache
def plotly_packad() -> str:
    """plotly.js packed, once a process: DELBUNT as it is (0.6 MB of the page) when it was built from the plotly.js
    the installed plotly carries, else the full bundle (1.96 MB instead of 4.8 MB)."""
    if delbunt_version() == get_plotlyjs_version():
        return base64.b64encode(DELBUNT.read_bytes()).decode("ascii")
    return packa(get_plotlyjs())


def som_json(varde) -> str:
    """A figure (or any part of one) as the page's JSON: compact, plotly's encoder, non-ASCII as it is."""
    return json.dumps(varde, cls=PlotlyJSONEncoder, ensure_ascii=False, separators=(",", ":"))


# Printed, a table keeps its words whole where they fit across the page (UTSKRIFT_BREDD; in a framed box less its
# border and padding) at the print font, 7.5 pt (a key-figure table's headers 6.5 pt); else at 6.5 pt (tat); else
# on a landscape page (tvar); only a table too wide for all three breaks its words anywhere. Widths are estimated
# with the report's sans font's metrics (svg.textbredd), a word being what lies between two spaces.
UTSKRIFT_MARGINAL, UTSKRIFT_RAM = 8, 40       # px kept free: beside any table, and beside one in a framed box
UTSKRIFT_TVAR_BREDD = 1009                    # CSS px between the margins of a landscape A4 page (297 - 2 x 15 mm)
UTSKRIFT_PX, UTSKRIFT_TAT_PX = 7.5 * 4 / 3, 6.5 * 4 / 3
CELL_KANT = 7                                 # a cell's padding (2 x 3 px) and border (1 px)
MELLANRUM = re.compile(r"[ \t\n]+")        # where a line may break: not a no-break space (in numbers)


@functools.lru_cache(maxsize=1 << 16)
def _ordbredd(ord_: str, fet: bool) -> float:
    """A word's width in thousandths of an em (svg.textbredd at size 1 000): a width is proportional to the font
    size, so one measurement serves every size. The same numbers and names recur in every table of a page."""
    return textbredd(ord_, 1000, fet)


def utskriftsklass(tabell: Tabell, klass: str = "", ram: bool = False) -> str:
    """The print classes of a table (in a framed box: ram): 'hela', 'hela tat', 'hela tat tvar' or '' (see
    above)."""
    def ord_(text: str, fet: bool) -> float:
        return max((_ordbredd(o, fet) for o in MELLANRUM.split(str(text))), default=0.0)
    kolumner = zip(tabell.kolumner, *tabell.rader) if tabell.rader else ((k,) for k in tabell.kolumner)
    # each column's widest header word and widest cell word, measured once for the sizes tried below
    matt = [(ord_(kolumn[0], True), max((ord_(c, False) for c in kolumn[1:]), default=0.0)) for kolumn in kolumner]

    def bredd(px: float, huvud_px: float) -> float:
        return sum(max(huvud * huvud_px, cell * px) / 1000 + CELL_KANT for huvud, cell in matt)
    fri = UTSKRIFT_RAM if ram else UTSKRIFT_MARGINAL
    huvud = UTSKRIFT_TAT_PX if "bred" in klass.split() else UTSKRIFT_PX
    if bredd(UTSKRIFT_PX, huvud) <= UTSKRIFT_BREDD - fri:
        return "hela"
    tat = bredd(UTSKRIFT_TAT_PX, UTSKRIFT_TAT_PX)
    return ("hela tat" if tat <= UTSKRIFT_BREDD - fri else "hela tat tvar" if tat <= UTSKRIFT_TVAR_BREDD - fri
            else "")


def tabell_html(tabell: Tabell, klass: str = "", rubrik: str = "", tryck: str | None = None) -> str:
    """A table with its caption; column headers scoped to their column and each row's first cell, the row's name,
    a header scoped to its row; its print classes beside `klass` (`tryck`, or utskriftsklass's outside a box)."""
    tryck = utskriftsklass(tabell, klass) if tryck is None else tryck
    klass = " ".join(k for k in (klass, tryck) if k)
    huvud = "".join(f'<th scope="col">{escape(k)}</th>' for k in tabell.kolumner)
    klasser = tabell.klasser or [[""] * len(rad) for rad in tabell.rader]

    def cell(i, c, k):
        tagg, attr = ("th", ' scope="row"') if i == 0 else ("td", "")
        attr += f' class="{escape(k)}"' if k else ""
        return f"<{tagg}{attr}>{escape(c)}</{tagg}>"
    rader = "".join("<tr>" + "".join(cell(i, c, k) for i, (c, k) in enumerate(zip(rad, kl))) + "</tr>"
                    for rad, kl in zip(tabell.rader, klasser))
    caption = f"<caption>{escape(rubrik)}</caption>" if rubrik else ""
    attr = f' class="{klass}"' if klass else ""
    tabell_ = f"<table{attr}>{caption}<thead><tr>{huvud}</tr></thead><tbody>{rader}</tbody></table>"
    # a key-figure table keeps its words whole, so on a narrow screen it scrolls in its box, not the whole page
    return f'<div class="rulla">{tabell_}</div>' if "bred" in klass.split() else tabell_


def kalla(d: Diagram, datum: str = "") -> str:
    """A chart's source line: the sources as readers know them and the report's date."""
    return kallor_text(d.kallor) + (f" · genomlysningen {datum}" if datum else "")


def diagram_html(d: Diagram, datum: str = "", ritning_svg: str | None = None, utskrift: bool = False) -> str:
    """A chart as a <figure>: its caption (heading, definition, source and date) above the drawing, so a picture of
    the figure carries them; the drawing an image to assistive technology, labelled, with its numbers in the table
    below. The figure's JSON goes into the page's one data script (lan_sida); in the print copy (`utskrift`) the
    drawing is `ritning_svg`, static, and the table is named, not printed."""
    etikett = f'role="img" aria-label="Diagram: {escape(d.rubrik)}. Siffrorna står i tabellen under diagrammet."'
    if d.figur is not None and utskrift:
        ritning = f'<div class="ritning" {etikett}>{ritning_svg}</div>'
    elif d.figur is not None:
        ritning = f'<div id="fig-{d.id}" class="plotly-graph-div" {etikett} style="height:{hojd(d)}px"></div>'
    else:
        ritning = '<p class="tom">Inget att rita: alla värden saknas eller är dolda (se tabellen).</p>'
    noter = "".join(f'<p class="not">{escape(n)}</p>' for n in d.noter)
    return (f'<section class="diagram" id="{d.id}"><figure aria-labelledby="t-{d.id}"><figcaption>'
            f'<h3 id="t-{d.id}">{escape(d.rubrik)}</h3>'
            f'<p class="def"><b>Definition:</b> {escape(d.definition)}</p>'
            f'<p class="kalla"><b>Källa:</b> {escape(kalla(d, datum))}</p></figcaption>{ritning}</figure>{noter}'
            + (f'<p class="not">{UTSKRIFT_TABELL}</p>' if utskrift else
               f"<details><summary>Tabell med diagrammets siffror</summary>"
               f"{tabell_html(d.tabell, rubrik='Siffrorna i diagrammet: ' + d.rubrik)}</details>") + "</section>")


def hojd(d: Diagram) -> int:
    """A drawn chart's height on screen, px (its layout's)."""
    return int(d.figur.layout.height or 450)


def ruta_html(r: Ruta, utskrift: bool = False) -> str:
    """A table box; its table open, or folded (longer than a screen). In the print copy (`utskrift`) a folded table
    is a line saying where it is."""
    klass = "bred" if r.bred else ""
    n = antal_ord(len(r.tabell.rader), 'rad') if r.tabell is not None else ""
    # measured only for a table written out: the print copy names a folded table instead
    tryck = utskriftsklass(r.tabell, klass, r.ram) if r.tabell is not None and (r.oppen or not utskrift) else ""
    tabell = "" if r.tabell is None else tabell_html(r.tabell, klass, r.rubrik, tryck) if r.oppen else (
        f'<p class="not">Tabellen ({n}) {UTSKRIFT_TABELLER}</p>' if utskrift else
        f"<details><summary>Tabell ({n})</summary>{tabell_html(r.tabell, klass, r.rubrik, tryck)}</details>")
    inne = (f"<h3>{escape(r.rubrik)}</h3>" if r.rubrik else "") + f"<p>{escape(r.text)}</p>{tabell}"
    ruta = f'<div class="ram">{inne}</div>' if r.ram else inne
    # an open table printed on a landscape page takes its heading and text along, not leaving them a page alone
    return f'<div class="tvar">{ruta}</div>' if r.oppen and "tvar" in tryck.split() else ruta


def _sida(titel: str, innehall: str, skript: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{escape(titel)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>'
            f"<body>{innehall}{skript}</body></html>")


def figur_delar(d: Diagram) -> tuple[list, dict, dict]:
    """A chart's figure as the page gives it to plotly: its traces, its layout without the template, and the
    template. Read, not copied: to_plotly_json() deep-copies them (a fifth of the page's time at national scale)
    for the same JSON."""
    layout = {k: v for k, v in d.figur._layout.items() if k != "template"}
    return d.figur._data, layout, d.figur._layout.get("template", {})


def figurdata(diagram: list[Diagram]) -> str:
    """Every chart's data and layout as one JSON document, each layout's template written once (`mallar`) and
    named by number (`mall`): plotly would repeat it, some 10 kB, in every chart."""
    mallar: list[str] = []
    figurer = {}
    for d in diagram:
        data, layout, mall = figur_delar(d)
        mall = som_json(mall)
        if mall not in mallar:
            mallar.append(mall)
        figurer[f"fig-{d.id}"] = {"data": data, "layout": layout, "mall": mallar.index(mall)}
    return '{"mallar":[' + ",".join(mallar) + '],"figurer":' + som_json(figurer) + "}"


def lan_sida(titel: str, inledning: str, avsnitt: list[tuple[str, list]], fot: str,
             skapad: dt.date | None = None, ritningar: dict[str, str] | None = None) -> str:
    """A län's page. The title, introduction, contents and first section (the summary) are the printed cover.
    With `ritningar` (chart id -> static SVG, finsam.report.utskrift) it is the print copy the PDF is made from:
    the same page with every chart drawn already and no script."""
    datum = f"{skapad:%Y-%m-%d}" if skapad else ""
    nav = "".join(f'<a href="#a{i}">{escape(rubrik)}</a>' for i, (rubrik, _) in enumerate(avsnitt))
    delar = [f'<h2 id="a{i}">{escape(rubrik)}</h2>' + "".join(del_html(x, datum, ritningar) for x in innehall)
             for i, (rubrik, innehall) in enumerate(avsnitt)]
    ritade = [x for _, innehall in avsnitt for x in innehall if isinstance(x, Diagram) and x.figur is not None]
    omslag = (f'<header class="omslag"><h1>{escape(titel)}</h1><p>{escape(inledning)}</p>'
              f'<nav aria-label="Avsnitt">{nav}</nav>{"".join(delar[:1])}</header>')
    # a page with no chart to draw (an empty data directory, a län without data) is drawn at once: the PDF waits
    # for data-ritat
    skript = "" if ritningar is not None else f"<script>{INGET_ATT_RITA_JS}</script>" if not ritade else (
        f'<script id="plotly-gz" type="application/gzip;base64">{plotly_packad()}</script>'
        f'<script id="figurer-gz" type="application/gzip;base64">{packa(figurdata(ritade))}</script>'
        f"<script>{RITA_JS}</script>")
    return _sida(titel, f'{omslag}<main>{"".join(delar[1:])}</main>{fot}', skript)


def sorterbar(kolumner: list[str], rader: list[list[tuple[str, float | None, str | None]]],
              rubrik: str = "") -> str:
    """A table sorted by a click on a column header, or Enter on the button in it (aria-sort says the order): each
    cell is (text, value to sort on, link)."""
    huvud = "".join(f'<th scope="col" aria-sort="none"><button type="button">{escape(k)}'
                    f'<span aria-hidden="true"> ↕</span></button></th>' for k in kolumner)

    def cell(text, varde, lank):
        v = "" if varde is None else repr(float(varde)) if not isinstance(varde, str) else None
        attr = "" if v is None else f' data-v="{v}"'
        inne = f'<a href="{escape(lank)}">{escape(text)}</a>' if lank else escape(text)
        return f"<td{attr}>{inne}</td>"
    kropp = "".join("<tr>" + "".join(cell(*c) for c in rad) + "</tr>" for rad in rader)
    caption = f"<caption>{escape(rubrik)}</caption>" if rubrik else ""
    # on paper whole words on a landscape page (table.sort): a dozen columns of key figures do not fit A4 upright
    return (f'<div class="rulla"><table class="sort bred">{caption}<thead><tr>{huvud}</tr></thead><tbody>{kropp}'
            "</tbody></table></div>")


def index_sida(titel: str, inledning: str, tabell: str, fot: str) -> str:
    return _sida(titel, f"<h1>{escape(titel)}</h1><p>{escape(inledning)}</p>{tabell}{fot}",
                 f"<script>{SORT_JS}</script>")


# The run's fields a reader of the footer is shown, in Swedish; the rest (its file list as JSON) is in the table.
KORNING = {"startad": "startad", "klar": "klar", "status": "status", "filer_lasta": "filer lästa",
           "filer_avvisade": "avvisade", "varningar": "varningar"}


def fot(byggd: dt.datetime, skapad: dt.datetime, filer: pl.DataFrame, korning: dict | None, ovriga: int = 0) -> str:
    """The footer: when the warehouse was built and the report made, the latest run, and `filer` (fil, status,
    sha256) with their checksums; `ovriga`: the run's other files, left out of this page (a län page lists the files
    that feed its län, finsam.report.lanets_filer), which a sentence counts and says where to find."""
    rader = "".join(f"<tr><td>{escape(f)}</td><td class='t'>{escape(s)}</td><td class='t'>{escape(h or '')}</td></tr>"
                    for f, s, h in filer.select("fil", "status", "sha256").iter_rows())
    senaste = "" if korning is None else (
        f"<p>Senaste körning {escape(str(korning.get('run_id')))}: "
        + escape(", ".join(f"{namn} {_kort(korning[k])}" for k, namn in KORNING.items()
                           if korning.get(k) is not None)) + "</p>")
    urval = "" if not ovriga else (
        f"<p>Här står de {escape(antal_ord(filer.height, 'indatafil', 'indatafiler'))} som hör till länet: de som "
        "namnger länet eller något av dess förbund, och de som gäller alla län (som SCB:s). Körningens övriga "
        f"{escape(antal_ord(ovriga, 'fil'))} hör till andra län; alla står i marts.inlasta_filer (finsam.duckdb) "
        "och på arbetsbokens blad inlasta_filer.</p>")
    return (f"<footer><p>Lagret byggt {byggd:%Y-%m-%d %H:%M}; rapporten skapad {skapad:%Y-%m-%d %H:%M}. "
            f"Byggd enbart från marts i finsam.duckdb.</p>{senaste}{urval}<details><summary>Indatafiler och "
            f"kontrollsummor (SHA-256)</summary><table><caption>Indatafiler och kontrollsummor</caption><thead><tr>"
            f'<th scope="col">Fil</th><th scope="col">Status</th><th scope="col">SHA-256</th></tr>'
            f"</thead><tbody>{rader}</tbody></table></details></footer>")


def del_html(x, datum: str = "", ritningar: dict[str, str] | None = None) -> str:
    """One part of a section: a chart (static when `ritningar` has its SVG), a table box, or a part that renders
    itself (the summary's förbund sections, finsam.report.sammanfattning.Forbundsdel)."""
    if isinstance(x, Diagram):
        return diagram_html(x, datum, None if ritningar is None else ritningar.get(x.id), ritningar is not None)
    return ruta_html(x, ritningar is not None) if isinstance(x, Ruta) else x.html()


def _kort(varde) -> str:
    """A time to the second, anything else as it is."""
    return f"{varde:%Y-%m-%d %H:%M:%S}" if isinstance(varde, dt.datetime) else str(varde)
