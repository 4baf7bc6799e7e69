"""A chart of the report: heading, definition, source marts, its numbers as a table, and the plotly figure.

Charts are drawn from long frames (serie, ar, varde, text, forbund, panel) that the sections build with
matt.langt, so disclosure control and number formatting have happened before anything is drawn. A missing value
is a gap in the line with a "saknas" label (never a 0), a suppressed one a "<5" or "dold" label, and a point
whose förbund-year has a warning in marts.datakvalitet gets a ring whose hover says what.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from finsam.rapport.format import PLOTLY_SEPARATORS
from finsam.rapport.matt import TOTALT

FARGER = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
          "#aec7e8"]
SVART, GRA, ANM = "#222222", "#888888", "#e6550d"


@dataclass
class Tabell:
    kolumner: list[str]
    rader: list[list[str]]


@dataclass
class Diagram:
    id: str
    rubrik: str               # one line: what it shows
    definition: str           # numerator, denominator, scope
    kallor: tuple[str, ...]   # source marts
    tabell: Tabell
    figur: go.Figure | None   # None: nothing to draw (every value missing or hidden)
    noter: list[str] = field(default_factory=list)


@dataclass
class Ruta:
    """A table of the report that is not a chart (data quality, definitions)."""
    rubrik: str
    text: str
    tabell: Tabell | None = None


def farger(serier: list[str]) -> dict[str, str]:
    """One colour per förbund, the same in every chart; the län total black, riket grey."""
    fasta = {TOTALT: SVART, "Riket": GRA}
    ovriga = [s for s in serier if s not in fasta]
    return {**{s: FARGER[i % len(FARGER)] for i, s in enumerate(ovriga)}, **fasta}


def med_anm(long: pl.DataFrame, anm: pl.DataFrame, omraden: tuple[str, ...]) -> pl.DataFrame:
    """Adds `anm`: the warnings of each point's förbund-year in the chart's areas, joined by '; '."""
    per_punkt = (anm.filter(pl.col("omrade").is_in(list(omraden)))
                 .group_by("forbund", "ar").agg(anm=pl.col("text").unique(maintain_order=True).str.join("; ")))
    return long.join(per_punkt, on=["forbund", "ar"], how="left")


def tabell(long: pl.DataFrame, forsta: str = "Förbund") -> Tabell:
    """Rows (panel, serie), one column per year, the shown text in each cell."""
    ar = sorted(long["ar"].unique().to_list())
    flera = long["panel"].n_unique() > 1
    rader = []
    for (panel, serie), grupp in long.group_by("panel", "serie", maintain_order=True):
        celler = dict(zip(grupp["ar"].to_list(), grupp["text"].to_list()))
        rader.append(([panel] if flera else []) + [serie] + [celler.get(a, "") for a in ar])
    return Tabell((["Mått"] if flera else []) + [forsta] + [str(a) for a in ar], rader)


def _layout(fig: go.Figure, hojd: int, etiketter: list[dict] = ()) -> go.Figure:
    """The report's look; `etiketter` (labels of missing values) are added in one go: plotly validates every
    annotation again on each change, so adding them one at a time, or a panel at a time, is quadratic."""
    if etiketter:
        fig.update_layout(annotations=[*fig.layout.annotations, *etiketter])
    fig.update_layout(template="plotly_white", separators=PLOTLY_SEPARATORS, height=hojd,
                      margin=dict(l=60, r=20, t=40, b=40), legend=dict(orientation="h", y=-0.12),
                      font=dict(family="system-ui, sans-serif", size=12), hovermode="closest")
    fig.update_yaxes(tickformat=",~f")  # "40 000", not "40k": plotly's SI suffixes are not Swedish
    return fig


def _axel(i: int) -> tuple[str, str]:
    n = "" if i == 1 else str(i)
    return "x" + n, "y" + n


def _etiketter(punkter: list[tuple], panel_nr: int, farg: dict[str, str]) -> list[dict]:
    """A small label at the bottom of the panel for each missing or hidden value, stacked per series."""
    xref, yref = _axel(panel_nr)
    hojd: dict = {}
    nya = []
    for serie, ar, text, anm in punkter:
        nivå = hojd[ar] = hojd.get(ar, -1) + 1
        hover = f"{serie} {ar}: {'uppgift saknas' if text == 'saknas' else text}" + (f"<br>{anm}" if anm else "")
        nya.append(dict(x=ar, y=0.03 + 0.07 * nivå, xref=xref, yref=f"{yref} domain", text=text,
                        showarrow=False, font=dict(size=10, color=farg.get(serie, GRA)), hovertext=hover))
    return nya


def _felstaplar(g: pl.DataFrame) -> dict:
    """Error bars from the long frame's lag and hog (an interval around each point), when it has them."""
    if "lag" not in g.columns:
        return {}
    upp = g.select(pl.col("hog") - pl.col("varde")).to_series().to_list()
    ned = g.select(pl.col("varde") - pl.col("lag")).to_series().to_list()
    return {"error_y": dict(type="data", symmetric=False, array=upp, arrayminus=ned, thickness=1, width=4)}


def linjer(long: pl.DataFrame, anm: pl.DataFrame, omraden: tuple[str, ...], *, y_titel: str,
           referens: tuple[float, str] | None = None, hojd_per_panel: int = 300) -> go.Figure | None:
    """One panel per measure (panel), one line per förbund (serie), years on x; error bars where the long frame
    has lag and hog (matt.langt(intervall=True))."""
    if long["varde"].is_null().all():
        return None
    long = med_anm(long, anm, omraden)
    paneler = long["panel"].unique(maintain_order=True).to_list()
    farg = farger(long["serie"].unique(maintain_order=True).to_list())
    fig = make_subplots(rows=len(paneler), cols=1, subplot_titles=paneler if len(paneler) > 1 else None,
                        vertical_spacing=0.12 if len(paneler) > 1 else 0.02)
    etiketter: list[dict] = []
    for nr, panel in enumerate(paneler, start=1):
        del_ = long.filter(pl.col("panel") == panel)
        for serie, g in del_.group_by("serie", maintain_order=True):
            serie = serie[0]
            hover = [f"{serie} {a}: {t}" + (f"<br>⚠ {m}" if m else "")
                     for a, t, m in zip(g["ar"], g["text"], g["anm"])]
            fig.add_trace(go.Scatter(
                x=g["ar"].to_list(), y=g["varde"].to_list(), mode="lines+markers", name=serie, legendgroup=serie,
                showlegend=nr == 1, hovertext=hover, hoverinfo="text", connectgaps=False,
                line=dict(color=farg[serie], dash="dash" if serie == TOTALT else "solid"), **_felstaplar(g)),
                row=nr, col=1)
        ringar = del_.filter(pl.col("anm").is_not_null() & pl.col("varde").is_not_null())
        if ringar.height:
            fig.add_trace(go.Scatter(
                x=ringar["ar"].to_list(), y=ringar["varde"].to_list(), mode="markers", name="⚠ anmärkning",
                legendgroup="anm", showlegend=nr == 1, hoverinfo="text",
                hovertext=[f"{s} {a}: {m}" for s, a, m in zip(ringar["serie"], ringar["ar"], ringar["anm"])],
                marker=dict(symbol="circle-open", size=15, line=dict(width=2), color=ANM)), row=nr, col=1)
        saknas = del_.filter(pl.col("varde").is_null())
        etiketter += _etiketter(list(zip(saknas["serie"], saknas["ar"], saknas["text"], saknas["anm"])), nr, farg)
        if referens:
            fig.add_hline(y=referens[0], line=dict(color=GRA, dash="dot"), annotation_text=referens[1],
                          row=nr, col=1)
        fig.update_yaxes(title_text=y_titel, rangemode="tozero", row=nr, col=1)
        fig.update_xaxes(dtick=1, row=nr, col=1)
    return _layout(fig, 120 + hojd_per_panel * len(paneler), etiketter)


def staplar(long: pl.DataFrame, anm: pl.DataFrame, omraden: tuple[str, ...], *, y_titel: str,
            referenser: tuple[tuple[float, str], ...] = (), barmode: str = "stack", linje: str | None = None
            ) -> go.Figure | None:
    """One panel per förbund (serie), years on x, one bar per measure (panel), stacked or grouped; the measure
    named `linje` is drawn as a line over the bars."""
    if long["varde"].is_null().all():
        return None
    long = med_anm(long, anm, omraden)
    serier = long["serie"].unique(maintain_order=True).to_list()
    matt = long["panel"].unique(maintain_order=True).to_list()
    farg = {m: FARGER[i % len(FARGER)] for i, m in enumerate(matt)}
    kol = 2 if len(serier) > 1 else 1
    rader = (len(serier) + kol - 1) // kol
    fig = make_subplots(rows=rader, cols=kol, subplot_titles=serier, vertical_spacing=0.14 / max(1, rader - 1)
                        if rader > 1 else 0.02, horizontal_spacing=0.08)
    etiketter: list[dict] = []
    for i, serie in enumerate(serier):
        rad, kolumn, nr = i // kol + 1, i % kol + 1, i + 1
        del_ = long.filter(pl.col("serie") == serie)
        for m in matt:
            g = del_.filter(pl.col("panel") == m)
            typ, stil = (go.Scatter, dict(mode="lines", line=dict(color=SVART, dash="dot"))) if m == linje else \
                (go.Bar, dict(marker_color=farg[m]))
            fig.add_trace(typ(x=g["ar"].to_list(), y=g["varde"].to_list(), name=m, legendgroup=m,
                              showlegend=i == 0, hoverinfo="text", **stil,
                              hovertext=[f"{serie} {a}<br>{m}: {t}" + (f"<br>⚠ {x}" if x else "")
                                         for a, t, x in zip(g["ar"], g["text"], g["anm"])]), row=rad, col=kolumn)
        per_ar = del_.group_by("ar", maintain_order=True).agg(
            topp=pl.col("varde").sum() if barmode == "stack" else pl.col("varde").max(),
            alla_saknas=pl.col("varde").is_null().all(), text=pl.col("text").first(), anm=pl.col("anm").first())
        ringar = per_ar.filter(pl.col("anm").is_not_null() & ~pl.col("alla_saknas"))
        if ringar.height:
            fig.add_trace(go.Scatter(x=ringar["ar"].to_list(), y=ringar["topp"].to_list(), mode="markers",
                                     name="⚠ anmärkning", legendgroup="anm", showlegend=False, hoverinfo="text",
                                     hovertext=[f"{serie} {a}: {x}" for a, x in zip(ringar["ar"], ringar["anm"])],
                                     marker=dict(symbol="triangle-down-open", size=12, line=dict(width=2),
                                                 color=ANM)), row=rad, col=kolumn)
        tomma = per_ar.filter(pl.col("alla_saknas"))
        etiketter += _etiketter([(serie, a, t, x) for a, t, x in zip(tomma["ar"], tomma["text"], tomma["anm"])], nr, {})
        for y, text in referenser:
            fig.add_hline(y=y, line=dict(color=SVART, dash="dot", width=1), annotation_text=text,
                          row=rad, col=kolumn)
        fig.update_yaxes(title_text=y_titel if kolumn == 1 else None, row=rad, col=kolumn)
        fig.update_xaxes(dtick=1, row=rad, col=kolumn)
    fig.update_layout(barmode=barmode)
    return _layout(fig, 120 + 260 * rader, etiketter)
