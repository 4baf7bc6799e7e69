"""A chart of the report: heading, definition, source marts, its numbers as a table, and the plotly figure.

Charts are drawn from long frames (serie, ar, varde, text, forbund, panel) that the sections build with
matt.langt, so disclosure control and number formatting have happened before anything is drawn. A missing value
is a gap in the line with a "saknas" label (never a 0), a suppressed one a "<5" or "dold" label, and a point
whose förbund-year has a warning in marts.datakvalitet gets a ring whose hover says what.

The break after SUS is drawn in every time series: a dotted vertical line before the first year a förbund's counts
come from Uppföljning Finsam (labelled in Swedish), and in charts of participant counts (area "deltagare") hollow
markers, or hatched bars, on the points counted as a sum over insatser, with a legend entry saying so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from finsam.report.disclosure import DOLT
from finsam.report.format import PLOTLY_SEPARATORS
from finsam.report.measures import TOTALT
from finsam.report.remarks import BAS, BAS_TEXT

FARGER = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
          "#aec7e8"]
SVART, GRA, ANM = "#222222", "#888888", "#e6550d"
BROTT = "uppfoljning_fran_"          # the name of the vertical line shape before year N: BROTT + str(N)
IHALIG_TEXT = "summa över insatser (Uppföljning Finsam)"


@dataclass
class Tabell:
    kolumner: list[str]
    rader: list[list[str]]
    klasser: list[list[str]] | None = None   # a CSS class per cell (ok, ej, osaker: a goal's status), or none


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
    oppen: bool = False       # the table shown, not folded into "Tabell (n rader)"
    ram: bool = False         # drawn in a box of its own (the scenario)


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


# plotly_white's layout and its defaults for the trace types the report draws (a test holds the list to the
# figures): the same look as template="plotly_white", at about a third of the time, since plotly validates the whole
# template, with defaults for some 40 trace types, into every figure.
RITADE_TYPER = ("bar", "sankey", "scatter")
MALL = {"layout": pio.templates["plotly_white"].layout.to_plotly_json(),
        "data": {t: [d.to_plotly_json() for d in pio.templates["plotly_white"].data[t]] for t in RITADE_TYPER}}
UTSEENDE = dict(template=MALL, separators=PLOTLY_SEPARATORS, margin=dict(l=60, r=20, t=40, b=40),
                legend=dict(orientation="h", y=-0.12), font=dict(family="system-ui, sans-serif", size=12),
                hovermode="closest")


# plotly draws a few HTML tags in any text of a figure (names, hover texts, labels, axis categories), <a href> as a
# link. The report writes <br> itself; every other '<' is shown as the character it is (plotly reads &lt; as '<'
# after it has found the tags), so a förbund or insats name, a file name or a cell can never become a link.
EGNA_TAGGAR = re.compile(r"<(?!(?:br|/?b|/?i|/?sup|/?sub)\s*/?>)", re.IGNORECASE)


def utan_lankar(varde):
    """`varde` (a trace or layout as plain data) with each text's '<' escaped, except in EGNA_TAGGAR."""
    if isinstance(varde, str):
        return EGNA_TAGGAR.sub("&lt;", varde) if "<" in varde else varde
    if isinstance(varde, dict):
        return {k: utan_lankar(v) for k, v in varde.items()}
    if isinstance(varde, list | tuple):
        return [utan_lankar(v) for v in varde]
    if hasattr(varde, "to_plotly_json"):  # a plotly object
        return utan_lankar(varde.to_plotly_json())
    return varde


def figur(data: list, hojd: int, layout: dict | None = None, etiketter: list[dict] = ()) -> go.Figure:
    """The figure of a chart in the report's look, built and validated by plotly once: traces (dicts or plotly
    objects) and a layout as plain data, `etiketter` (labels of missing values) after the layout's annotations.
    Every y axis counts "40 000", not "40k" (plotly's SI suffixes are not Swedish). No text in it is a link
    (utan_lankar)."""
    data, layout, etiketter = utan_lankar(data), utan_lankar(layout or {}), utan_lankar(etiketter)
    layout = {**layout, **UTSEENDE, "height": hojd}
    layout["annotations"] = [*layout.get("annotations", []), *etiketter]
    for axel in [k for k in layout if k.startswith("yaxis")] or ["yaxis"]:
        layout[axel] = {**layout.get(axel, {}), "tickformat": ",~f"}
    return go.Figure(data=data, layout=layout)


def rutnat(rader: int, kolumner: int, vertikal: float, horisontell: float = 0.2,
           titlar: list[str] | None = None) -> dict:
    """The axes of a grid of panels as make_subplots lays them out (a test holds the two together), numbered row
    by row from the top left, and each panel's title above it. Built as data: make_subplots and the per-panel
    update calls revalidate the whole figure each time, which was most of the report's time at national scale."""
    bredd = (1 - horisontell * (kolumner - 1)) / kolumner
    hojd = (1 - vertikal * (rader - 1)) / rader
    layout: dict = {"annotations": []}
    for i in range(rader * kolumner):
        rad, kol = divmod(i, kolumner)
        x0, y0 = kol * (bredd + horisontell), (rader - 1 - rad) * (hojd + vertikal)
        (x, y), (xnyckel, ynyckel) = _axel(i + 1), _axelnycklar(i + 1)
        layout[xnyckel] = dict(anchor=y, domain=[x0, x0 + bredd])
        layout[ynyckel] = dict(anchor=x, domain=[y0, y0 + hojd])
        if titlar and i < len(titlar):
            layout["annotations"].append(dict(text=titlar[i], x=x0 + bredd / 2, y=y0 + hojd, xref="paper",
                                              yref="paper", xanchor="center", yanchor="bottom", showarrow=False,
                                              font=dict(size=16)))
    return layout


def referenslinje(layout: dict, y: float, text: str, linje: dict, panel_nr: int = 1) -> None:
    """A horizontal line across panel `panel_nr` at y, its text at the right end above it (as add_hline)."""
    xref, yref = _axel(panel_nr)
    layout.setdefault("shapes", []).append(dict(type="line", x0=0, x1=1, xref=f"{xref} domain", y0=y, y1=y,
                                                yref=yref, line=linje))
    layout.setdefault("annotations", []).append(dict(text=text, x=1, xref=f"{xref} domain", xanchor="right", y=y,
                                                     yref=yref, yanchor="bottom", showarrow=False))


def _panel(layout: dict, panel_nr: int, x: dict, y: dict) -> None:
    """Properties of one panel's x and y axes."""
    xnyckel, ynyckel = _axelnycklar(panel_nr)
    layout[xnyckel].update(x)
    layout[ynyckel].update(y)


def _axel(i: int) -> tuple[str, str]:
    n = "" if i == 1 else str(i)
    return "x" + n, "y" + n


def _axelnycklar(i: int) -> tuple[str, str]:
    """The layout keys of panel i's axes: xaxis, yaxis for the first, xaxis2, yaxis2 for the second, ..."""
    x, y = _axel(i)
    return "xaxis" + x[1:], "yaxis" + y[1:]


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


def _summa_insatser(anm: pl.DataFrame, forbund) -> pl.DataFrame:
    """forbund, ar: the förbund-years of `forbund` whose deltagare are a sum over insatser (remarks' BAS rows)."""
    return anm.filter((pl.col("omrade") == BAS) & pl.col("forbund").is_in(list(forbund))).select("forbund", "ar")


def forsta_uppfoljningsar(anm: pl.DataFrame, forbund) -> dict[str, int]:
    """The first year from Uppföljning Finsam of each of `forbund` that has one: where the break is drawn."""
    return dict(_summa_insatser(anm, forbund).group_by("forbund").agg(pl.col("ar").min()).iter_rows())


def _bas(long: pl.DataFrame, anm: pl.DataFrame, omraden: tuple[str, ...]) -> tuple[dict[str, int], pl.DataFrame]:
    """The break in one chart: the first year from Uppföljning Finsam of each of its förbund, and `long` with
    `ihalig`: the point is on the summa_insatser basis and the chart counts participants (a län total when any of
    its förbund is)."""
    forbund = long["forbund"].drop_nulls().unique().to_list()
    bas = _summa_insatser(anm, forbund)
    forsta = forsta_uppfoljningsar(anm, forbund)
    if "deltagare" not in omraden or bas.is_empty():
        return forsta, long.with_columns(ihalig=pl.lit(False))
    par = set(bas.iter_rows())
    ar_med = set(bas["ar"].to_list())
    ihalig = [(f, a) in par if f is not None else a in ar_med for f, a in zip(long["forbund"], long["ar"])]
    return forsta, long.with_columns(ihalig=pl.Series(ihalig, dtype=pl.Boolean))


def brottslinjer(layout: dict, forsta: dict[str, int], forbund, panel_nr: int, skrivna: set[int]) -> None:
    """A dotted vertical line across panel `panel_nr` half a year before the first year from Uppföljning Finsam of
    each of `forbund` (one line per distinct year), labelled inside the top of the first panel that has it (`skrivna`
    holds the years already labelled in the figure)."""
    xref, yref = _axel(panel_nr)
    for ar in sorted({forsta[f] for f in forbund if f in forsta}):
        layout.setdefault("shapes", []).append(dict(type="line", name=f"{BROTT}{ar}", x0=ar - 0.5, x1=ar - 0.5,
                                                    xref=xref, y0=0, y1=1, yref=f"{yref} domain",
                                                    line=dict(color=GRA, dash="dot", width=1.5)))
        if ar not in skrivna:
            skrivna.add(ar)
            layout.setdefault("annotations", []).append(dict(
                text=f"Uppföljning Finsam från {ar}", x=ar - 0.5, xref=xref, xanchor="left", y=1, yanchor="top",
                yref=f"{yref} domain", showarrow=False, font=dict(size=10, color=GRA), bgcolor="white"))


def _forklaring(typ: str) -> dict:
    """A legend entry with no data: what a hollow marker (scatter) or a hatched bar (bar) means."""
    utseende = dict(mode="markers", marker=dict(symbol="circle-open", size=10, color=GRA)) if typ == "scatter" else \
        dict(marker=dict(color="white", line=dict(color=GRA, width=1), pattern=dict(shape="/", fgcolor=GRA)))
    return dict(type=typ, x=[None], y=[None], name=IHALIG_TEXT,
                legendgroup="bas", showlegend=True, hoverinfo="skip", **utseende)


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
    forsta, long = _bas(long, anm, omraden)
    skrivna: set[int] = set()
    paneler = long["panel"].unique(maintain_order=True).to_list()
    farg = farger(long["serie"].unique(maintain_order=True).to_list())
    layout = rutnat(len(paneler), 1, 0.12 if len(paneler) > 1 else 0.02,
                    titlar=paneler if len(paneler) > 1 else None)
    data: list[dict] = []
    etiketter: list[dict] = []
    for nr, panel in enumerate(paneler, start=1):
        xa, ya = _axel(nr)
        del_ = long.filter(pl.col("panel") == panel)
        for serie, g in del_.group_by("serie", maintain_order=True):
            serie = serie[0]
            hover = [f"{serie} {a}: {t}" + (f"<br>○ {BAS_TEXT}" if i else "") + (f"<br>⚠ {m}" if m else "")
                     for a, t, m, i in zip(g["ar"], g["text"], g["anm"], g["ihalig"])]
            data.append(dict(
                type="scatter", x=g["ar"].to_list(), y=g["varde"].to_list(), mode="lines+markers", name=serie,
                legendgroup=serie, showlegend=nr == 1, hovertext=hover, hoverinfo="text", connectgaps=False,
                line=dict(color=farg[serie], dash="dash" if serie == TOTALT else "solid"), xaxis=xa, yaxis=ya,
                **_felstaplar(g), **({"marker": dict(symbol=["circle-open" if i else "circle" for i in g["ihalig"]],
                                                     size=[9 if i else 6 for i in g["ihalig"]])}
                                     if g["ihalig"].any() else {})))
        ringar = del_.filter(pl.col("anm").is_not_null() & pl.col("varde").is_not_null())
        if ringar.height:
            data.append(dict(
                type="scatter", x=ringar["ar"].to_list(), y=ringar["varde"].to_list(), mode="markers",
                name="⚠ anmärkning", legendgroup="anm", showlegend=nr == 1, hoverinfo="text", xaxis=xa, yaxis=ya,
                hovertext=[f"{s} {a}: {m}" for s, a, m in zip(ringar["serie"], ringar["ar"], ringar["anm"])],
                marker=dict(symbol="circle-open", size=15, line=dict(width=2), color=ANM)))
        saknas = del_.filter(pl.col("varde").is_null())
        etiketter += _etiketter(list(zip(saknas["serie"], saknas["ar"], saknas["text"], saknas["anm"])), nr, farg)
        if referens:
            referenslinje(layout, referens[0], referens[1], dict(color=GRA, dash="dot"), nr)
        brottslinjer(layout, forsta, forsta, nr, skrivna)
        _panel(layout, nr, dict(dtick=1), dict(title=dict(text=y_titel), rangemode="tozero"))
    if long["ihalig"].any():
        data.append(_forklaring("scatter"))
    return figur(data, 120 + hojd_per_panel * len(paneler), layout, etiketter)


def staplar(long: pl.DataFrame, anm: pl.DataFrame, omraden: tuple[str, ...], *, y_titel: str,
            referenser: tuple[tuple[float, str], ...] = (), barmode: str = "stack", linje: str | None = None
            ) -> go.Figure | None:
    """One panel per förbund (serie), years on x, one bar per measure (panel), stacked or grouped; the measure
    named `linje` is drawn as a line over the bars."""
    if long["varde"].is_null().all():
        return None
    long = med_anm(long, anm, omraden)
    forsta, long = _bas(long, anm, omraden)
    skrivna: set[int] = set()
    serier = long["serie"].unique(maintain_order=True).to_list()
    matt = long["panel"].unique(maintain_order=True).to_list()
    farg = {m: GRA if m == DOLT else FARGER[i % len(FARGER)] for i, m in enumerate(matt)}
    kol = 2 if len(serier) > 1 else 1
    rader = (len(serier) + kol - 1) // kol
    layout = rutnat(rader, kol, 0.14 / max(1, rader - 1) if rader > 1 else 0.02, 0.08, titlar=serier)
    layout["barmode"] = barmode
    data: list[dict] = []
    etiketter: list[dict] = []
    for i, serie in enumerate(serier):
        kolumn, nr = i % kol + 1, i + 1
        xa, ya = _axel(nr)
        del_ = long.filter(pl.col("serie") == serie)
        for m in matt:
            g = del_.filter(pl.col("panel") == m)
            monster = {"pattern": dict(shape=["/" if i else "" for i in g["ihalig"]])} if g["ihalig"].any() else {}
            stil = dict(type="scatter", mode="lines", line=dict(color=SVART, dash="dot")) if m == linje else \
                dict(type="bar", marker=dict(color=farg[m], **monster))
            data.append(dict(x=g["ar"].to_list(), y=g["varde"].to_list(), name=m, legendgroup=m, showlegend=i == 0,
                             hoverinfo="text", xaxis=xa, yaxis=ya, **stil,
                             hovertext=[f"{serie} {a}<br>{m}: {t}" + (f"<br>{BAS_TEXT}" if i else "")
                                        + (f"<br>⚠ {x}" if x else "")
                                        for a, t, x, i in zip(g["ar"], g["text"], g["anm"], g["ihalig"])]))
        per_ar = del_.group_by("ar", maintain_order=True).agg(
            topp=pl.col("varde").sum() if barmode == "stack" else pl.col("varde").max(),
            alla_saknas=pl.col("varde").is_null().all(), text=pl.col("text").first(), anm=pl.col("anm").first())
        ringar = per_ar.filter(pl.col("anm").is_not_null() & ~pl.col("alla_saknas"))
        if ringar.height:
            data.append(dict(type="scatter", x=ringar["ar"].to_list(), y=ringar["topp"].to_list(), mode="markers",
                             name="⚠ anmärkning", legendgroup="anm", showlegend=False, hoverinfo="text",
                             xaxis=xa, yaxis=ya,
                             hovertext=[f"{serie} {a}: {x}" for a, x in zip(ringar["ar"], ringar["anm"])],
                             marker=dict(symbol="triangle-down-open", size=12, line=dict(width=2), color=ANM)))
        tomma = per_ar.filter(pl.col("alla_saknas"))
        etiketter += _etiketter([(serie, a, t, x) for a, t, x in zip(tomma["ar"], tomma["text"], tomma["anm"])], nr, {})
        for y, text in referenser:
            referenslinje(layout, y, text, dict(color=SVART, dash="dot", width=1), nr)
        brottslinjer(layout, forsta, set(del_["forbund"].drop_nulls()) or forsta, nr, skrivna)
        _panel(layout, nr, dict(dtick=1), dict(title=dict(text=y_titel)) if kolumn == 1 else {})
    if long["ihalig"].any():
        data.append(_forklaring("bar"))
    return figur(data, 120 + 260 * rader, layout, etiketter)
