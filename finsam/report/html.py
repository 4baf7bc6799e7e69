"""HTML pages: one self-contained file per län (plotly.js inlined once, no network needed) and the index."""
from __future__ import annotations

import datetime as dt
from html import escape

import plotly.io as pio
import polars as pl
from plotly.offline import get_plotlyjs

from finsam.report.charts import Diagram, Ruta, Tabell

CSS = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #ddd}h3{font-size:1.1rem;margin-bottom:.2rem}
section.diagram{margin:1.5rem 0 2.5rem}.def,.kalla,.not{font-size:.9rem;margin:.2rem 0;color:#444}
.tom{padding:1rem;background:#f6f6f6;color:#555}table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.2rem .45rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}td.t{text-align:left}th{background:#f2f2f2;cursor:default}
table.sort th{cursor:pointer}details{margin:.4rem 0}summary{cursor:pointer;color:#1f4e79}
nav a{margin-right:.8rem}footer{margin-top:3rem;font-size:.8rem;color:#555}
td.ok{background:#dff0d8}td.ej{background:#f8d7da}td.osaker{font-style:italic}
div.ram{border:3px double #8a6d3b;background:#fcf8e3;padding:.2rem 1rem;margin:1rem 0}
"""
SORT_JS = """
document.querySelectorAll('table.sort').forEach(t=>t.querySelectorAll('th').forEach((th,i)=>th.onclick=()=>{
 const b=t.tBodies[0],r=[...b.rows],up=th.dataset.up!=='1';th.dataset.up=up?'1':'0';
 const v=x=>{const c=x.cells[i],d=c.dataset.v;return d===undefined?c.textContent:(d===''?null:+d)};
 r.sort((a,c)=>{const x=v(a),y=v(c);if(x===null)return 1;if(y===null)return -1;
  return (typeof x==='number'&&typeof y==='number'?x-y:String(x).localeCompare(String(y),'sv'))*(up?1:-1)});
 r.forEach(x=>b.appendChild(x))}));
"""


def tabell_html(tabell: Tabell, klass: str = "") -> str:
    huvud = "".join(f"<th>{escape(k)}</th>" for k in tabell.kolumner)
    klasser = tabell.klasser or [[""] * len(rad) for rad in tabell.rader]
    rader = "".join("<tr>" + "".join(f'<td class="{escape(k)}">{escape(c)}</td>' if k else f"<td>{escape(c)}</td>"
                                     for c, k in zip(rad, kl)) + "</tr>" for rad, kl in zip(tabell.rader, klasser))
    return f'<table class="{klass}"><thead><tr>{huvud}</tr></thead><tbody>{rader}</tbody></table>'


def diagram_html(d: Diagram) -> str:
    figur = (pio.to_html(d.figur, full_html=False, include_plotlyjs=False, div_id=f"fig-{d.id}",
                         config={"displaylogo": False, "responsive": True})
             if d.figur is not None else
             '<p class="tom">Inget att rita: alla värden saknas eller är dolda (se tabellen).</p>')
    noter = "".join(f'<p class="not">{escape(n)}</p>' for n in d.noter)
    return (f'<section class="diagram" id="{d.id}"><h3>{escape(d.rubrik)}</h3>'
            f'<p class="def"><b>Definition:</b> {escape(d.definition)}</p>'
            f'<p class="kalla"><b>Källa:</b> {escape(", ".join(d.kallor))}</p>{figur}{noter}'
            f"<details><summary>Tabell med diagrammets siffror</summary>{tabell_html(d.tabell)}</details></section>")


def ruta_html(r: Ruta) -> str:
    tabell = "" if r.tabell is None else tabell_html(r.tabell) if r.oppen else (
        f"<details><summary>Tabell ({len(r.tabell.rader)} rader)</summary>{tabell_html(r.tabell)}</details>")
    inne = f"<h3>{escape(r.rubrik)}</h3><p>{escape(r.text)}</p>{tabell}"
    return f'<div class="ram">{inne}</div>' if r.ram else inne


def _sida(titel: str, innehall: str, plotly: bool) -> str:
    js = f"<script>{get_plotlyjs()}</script>" if plotly else ""
    return (f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{escape(titel)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style>{js}</head>'
            f"<body>{innehall}</body></html>")


def lan_sida(titel: str, inledning: str, avsnitt: list[tuple[str, list]], fot: str) -> str:
    nav = "".join(f'<a href="#a{i}">{escape(rubrik)}</a>' for i, (rubrik, _) in enumerate(avsnitt))
    delar = "".join(f'<h2 id="a{i}">{escape(rubrik)}</h2>'
                    + "".join(del_html(x) for x in innehall)
                    for i, (rubrik, innehall) in enumerate(avsnitt))
    return _sida(titel, f'<h1>{escape(titel)}</h1><p>{escape(inledning)}</p><nav>{nav}</nav>{delar}{fot}', True)


def sorterbar(kolumner: list[str], rader: list[list[tuple[str, float | None, str | None]]]) -> str:
    """A table sorted by clicking a column: each cell is (text, value to sort on, link)."""
    huvud = "".join(f"<th>{escape(k)} ↕</th>" for k in kolumner)

    def cell(text, varde, lank):
        v = "" if varde is None else repr(float(varde)) if not isinstance(varde, str) else None
        attr = "" if v is None else f' data-v="{v}"'
        inne = f'<a href="{escape(lank)}">{escape(text)}</a>' if lank else escape(text)
        return f"<td{attr}>{inne}</td>"
    kropp = "".join("<tr>" + "".join(cell(*c) for c in rad) + "</tr>" for rad in rader)
    return f'<table class="sort"><thead><tr>{huvud}</tr></thead><tbody>{kropp}</tbody></table>'


def index_sida(titel: str, inledning: str, tabell: str, fot: str) -> str:
    return _sida(titel, f"<h1>{escape(titel)}</h1><p>{escape(inledning)}</p>{tabell}{fot}<script>{SORT_JS}</script>",
                 False)


def fot(byggd: dt.datetime, skapad: dt.datetime, filer: pl.DataFrame, korning: dict | None) -> str:
    rader = "".join(f"<tr><td>{escape(f)}</td><td class='t'>{escape(s)}</td><td class='t'>{escape(h or '')}</td></tr>"
                    for f, s, h in filer.select("fil", "status", "sha256").iter_rows())
    senaste = "" if korning is None else (
        "<p>Senaste körning: " + escape(", ".join(f"{k} {v}" for k, v in korning.items())) + "</p>")
    return (f"<footer><p>Lagret byggt {byggd:%Y-%m-%d %H:%M}; rapporten skapad {skapad:%Y-%m-%d %H:%M}. "
            f"Byggd enbart från marts i finsam.duckdb.</p>{senaste}<details><summary>Indatafiler och "
            f"kontrollsummor (SHA-256)</summary><table><thead><tr><th>Fil</th><th>Status</th><th>SHA-256</th></tr>"
            f"</thead><tbody>{rader}</tbody></table></details></footer>")


def del_html(x) -> str:
    """One part of a section: a chart, a table box, or a part that renders itself (the summary's förbund
    sections, finsam.report.sammanfattning.Forbundsdel)."""
    return diagram_html(x) if isinstance(x, Diagram) else ruta_html(x) if isinstance(x, Ruta) else x.html()
