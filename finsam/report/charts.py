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

from dataclasses import dataclass, field

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from finsam.build import declarations
from finsam.publish import warehouse
from finsam.report.disclosure import DOLT
from finsam.report.format import PLOTLY_SEPARATORS, SAKNAS, procent, uppraknad
from finsam.report.measures import TOTALT
from finsam.report.remarks import BAS, BAS_TEXT

NOTER = "_finsam_noter"               # the attribute of a figure holding its notes (Diagram moves them to noter)
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

    def __post_init__(self):
        """The figure's own notes (a series all zero or all missing, see noter_om_serier) go under the chart."""
        self.noter = [*getattr(self.figur, NOTER, ()), *self.noter]


@dataclass
class Ruta:
    """A table of the report that is not a chart (data quality, definitions)."""
    rubrik: str
    text: str
    tabell: Tabell | None = None
    oppen: bool = False       # the table shown, not folded into "Tabell (n rader)"
    ram: bool = False         # drawn in a box of its own (the scenario)
    bred: bool = False        # a wide table of short values (the key figures): on paper never split mid-word


# Colours and markers. Every förbund has one Stil (colour, marker, dash) in every chart of a build: assigned once
# from the förbund register's order within its län (tilldela, called where data.lage reads the register), never
# from the order a chart happens to meet its series in. Colours are Okabe and Ito's colour-blind-safe set without
# its vermillion and yellow (no red against green, nothing pale on white) and Paul Tol's indigo; a län with more
# förbund than colours gives the next ones the same colours with another dash, and every förbund its own marker.
# A kommun is drawn in a shade of its förbund's colour (darker, lighter, ...), with a marker of its own, so no
# kommun looks like another förbund's. Totalt länet and riket are grey. Categories (the measures of a bar chart,
# age groups, cost types) take Paul Tol's "light" set, so they are not read as förbund.
PALETT = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#332288")
MARKORER = ("circle", "square", "diamond", "triangle-up", "triangle-down", "pentagon", "hexagon", "star")
STRECK = ("solid", "longdash", "dashdot")
KATEGORIER = ("#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00", "#DDDDDD",
              "#AA4499", "#882255")   # Tol's light, then two of his muted: the ten avslut orsaker all differ
NYANSER = (0.0, -0.35, 0.4, -0.6, 0.65, -0.2, 0.2, -0.5)   # a kommun's shade: towards black (<0) or white (>0)
RIKET = "Riket"
SVART, GRA, ANM = "#222222", "#888888", "#D55E00"


@dataclass(frozen=True)
class Stil:
    """How one förbund (or kommun, or reference) is drawn: line and marker colour, marker symbol, line dash."""
    farg: str
    markor: str
    streck: str

    def linje(self, **extra) -> dict:
        return dict(color=self.farg, dash=self.streck, **extra)


REFERENS = {TOTALT: Stil("#555555", "diamond", "dash"), RIKET: Stil("#999999", "square", "dot")}
_FORBUND: dict[str, Stil] = {}
_KOMMUNER: dict[tuple[str, str], Stil] = {}


def nyans(farg: str, grad: float) -> str:
    """`farg` (#rrggbb) mixed towards black (grad < 0) or white (grad > 0) by |grad|."""
    rgb = [int(farg[i:i + 2], 16) for i in (1, 3, 5)]
    mal = 255 if grad > 0 else 0
    return "#" + "".join(f"{round(c + (mal - c) * abs(grad)):02X}" for c in rgb)


def _forbundsstil(i: int) -> Stil:
    return Stil(PALETT[i % len(PALETT)], MARKORER[i % len(MARKORER)], STRECK[(i // len(PALETT)) % len(STRECK)])


def _kommunstil(forbund: Stil, j: int) -> Stil:
    return Stil(nyans(forbund.farg, NYANSER[j % len(NYANSER)]), MARKORER[j % len(MARKORER)], forbund.streck)


def tilldela(lan: list[tuple[str, ...]], kommuner: dict[str, list[str]] | None = None) -> dict[str, Stil]:
    """Assigns every förbund its Stil from its place in its län (the register's order), and each member kommun
    (by name, in the register's order) a shade of it; replaces any earlier assignment. Returns the förbund's."""
    _FORBUND.clear()
    _KOMMUNER.clear()
    for forbund in lan:
        for i, f in enumerate(forbund):
            _FORBUND[f] = _forbundsstil(i)
    for f, namn in (kommuner or {}).items():
        for j, k in enumerate(namn):
            _KOMMUNER[(f, k)] = _kommunstil(stil(f), j)
    return dict(_FORBUND)


def stil(forbund: str | None, kommun: str | None = None) -> Stil:
    """The Stil of a förbund (its code), of one of its kommuner (`kommun`: the kommun's name), or of Totalt länet
    and riket (forbund = TOTALT or RIKET). A förbund the register did not list (a test's own build) gets the next
    free Stil, kept for the rest of the build."""
    if forbund in REFERENS:
        return REFERENS[forbund]
    if forbund not in _FORBUND:
        _FORBUND[forbund] = _forbundsstil(len(_FORBUND))
    if kommun is None:
        return _FORBUND[forbund]
    if (forbund, kommun) not in _KOMMUNER:
        _KOMMUNER[(forbund, kommun)] = _kommunstil(_FORBUND[forbund], sum(f == forbund for f, _ in _KOMMUNER))
    return _KOMMUNER[(forbund, kommun)]


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
        "data": {t: [d.to_plotly_json() for d in pio.templates["plotly_white"].data[t]] for t in RITADE_TYPER
                 if pio.templates["plotly_white"].data[t]}}
# uniformtext hides a bar's text where it does not fit at 9 px (rather than shrinking or spilling it); colorway:
# traces the report does not colour itself (categories) take the category colours.
UTSEENDE = dict(template=MALL, separators=PLOTLY_SEPARATORS, margin=dict(l=60, r=20, t=40, b=40),
                legend=dict(orientation="h", y=-0.12), font=dict(family="system-ui, sans-serif", size=12),
                hovermode="closest", uniformtext=dict(minsize=9, mode="hide"), colorway=list(KATEGORIER))

# Money axes: kronor, thousands (tkr) or millions (mnkr), chosen per chart by its largest amount, so a tick reads
# "8" with the unit in the axis title, never "8M" or "8 000 000". Tick labels use the Swedish separators
# (PLOTLY_SEPARATORS: decimal comma, space between thousands) and drop trailing zeros (",~f": 2,5, not 2,500000).
KRONOR = "kr"
ENHETER = ((1_000_000, 1_000_000, "mnkr (miljoner kronor)"), (10_000, 1_000, "tkr (tusen kronor)"))  # from, ÷
TICKFORMAT = ",~f"


def delare(y_titel: str) -> int:
    """What the values of an axis titled `y_titel` were divided by: belopp's divisor for its money titles, else 1."""
    return next((delat for _, delat, titel in ENHETER if titel == y_titel), 1)


def belopp(varden) -> tuple[int, str]:
    """(divisor, axis title) for amounts in kronor by the largest of them: millions from 1 000 000, thousands
    from 10 000, else kronor."""
    storst = max((abs(v) for v in varden if v is not None and v == v), default=0)
    return next(((delat, titel) for fran, delat, titel in ENHETER if storst >= fran), (1, KRONOR))


# plotly draws a few HTML tags in any text of a figure (names, hover texts, labels, axis categories: <b>, <i>, <br>,
# <a href> as a link, ...) and reads entities (&lt; as '<'). The report's own text in a chart breaks a line with RAD,
# never with a tag, and uses no other markup: so every '&', '<' and '>' of every text is escaped, and RAD becomes
# <br>. A förbund or insats name, a file name or a cell is shown as written: never a link, bold, or a line break of
# its own. (A private-use character, RAD, in an input's text would break a line there: nothing more.)
RAD = "\ue000"
_TILL_PLOTLY = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", RAD: "<br>"})


def plotlytext(text: str) -> str:
    """A text as a chart holds it (plotly shows it as `text`, RAD a line break): what a trace's name is compared
    with, e.g. by the page's highlight links (finsam.report.sammanfattning)."""
    return text.translate(_TILL_PLOTLY) if "&" in text or "<" in text or ">" in text or RAD in text else text


def utan_lankar(varde):
    """`varde` (a trace or layout as plain data) with each text as plotlytext writes it: no markup but RAD's."""
    if isinstance(varde, str):
        return plotlytext(varde)
    if isinstance(varde, dict):
        return {k: utan_lankar(v) for k, v in varde.items()}
    if isinstance(varde, list | tuple):
        return [utan_lankar(v) for v in varde]
    if hasattr(varde, "to_plotly_json"):  # a plotly object
        return utan_lankar(varde.to_plotly_json())
    return varde


# plotly validates every property of a figure as it is built: a fifth of the report's time at national scale (560
# figures), for figures whose JSON comes out the same. The report builds them unvalidated; the tests build the
# sample's with VALIDERA on and hold the two to the same JSON (test_rapport_enhet), so a misspelt property still
# fails there.
VALIDERA = False


def figur(data: list, hojd: int, layout: dict | None = None, etiketter: list[dict] = ()) -> go.Figure:
    """The figure of a chart in the report's look, built by plotly once (validated when VALIDERA): traces (dicts or
    plotly objects) and a layout as plain data, `etiketter` (labels of missing values) after the layout's
    annotations. Every y axis counts "40 000", not "40k" (plotly's SI suffixes are not Swedish). No text in it is a
    link (utan_lankar)."""
    data, layout, etiketter = utan_lankar(data), utan_lankar(layout or {}), utan_lankar(etiketter)
    layout = {**layout, **UTSEENDE, "height": hojd}
    annotations = [*layout.pop("annotations", []), *etiketter]
    if annotations:   # none: no empty list (validation drops it)
        layout["annotations"] = annotations
    for axel in [k for k in layout if k.startswith("yaxis")] or ["yaxis"]:
        layout[axel] = {**layout.get(axel, {}), "tickformat": TICKFORMAT}
    _isar_referenstexter(data, layout)
    return go.Figure(data=data, layout=layout, _validate=VALIDERA)


def _isar_referenstexter(data: list[dict], layout: dict) -> None:
    """Reference-line labels (referenslinje: at the right end, above the line) of one panel that would overlap:
    each label closer than a twelfth of the panel's range to the one above it goes below its line instead, and a
    third one further down, so two lines near each other (a guideline and riket) keep readable labels."""
    per_axel: dict[str, list[dict]] = {}
    for a in layout.get("annotations", ()):
        if a.get("x") == 1 and str(a.get("xref", "")).endswith(" domain") and "domain" not in a.get("yref", ""):
            per_axel.setdefault(a["yref"], []).append(a)
    for yref, texter in per_axel.items():
        if len(texter) < 2:
            continue
        varden = [v for t in data if t.get("yaxis", "y") == yref for v in (t.get("y") or ()) if v is not None
                  and isinstance(v, int | float)] + [a["y"] for a in texter] + [0]
        nara = (max(varden) - min(varden)) / 12
        texter.sort(key=lambda a: -a["y"])
        steg = 0
        for ovan, a in zip(texter, texter[1:]):
            steg = steg + 1 if ovan["y"] - a["y"] < nara else 0
            if steg:
                a.update(yanchor="top", yshift=-14 * (steg - 1))


def _lista(namn: list[str]) -> str:
    """'A', 'A och B', 'A, B och C'; 'A; B samt C' when a name has an "och" of its own."""
    return uppraknad(namn, "; ", " samt ") if any(" och " in n for n in namn) else uppraknad(namn)


def noter_om_serier(long: pl.DataFrame, slag: str = "förbund") -> list[str]:
    """Swedish notes for the series of a chart that are all zero or all missing: "Återkommande är 0 för alla
    förbund alla år med uppgift." (its values are 0 where there is one), "Uppgift saknas för X alla år." (every
    value 'saknas', not hidden: such a series is drawn nowhere and gets no label per year). Series are the long
    frame's serie within each panel; Totalt länet is named in neither, since it follows from the others; `slag`
    names the series in plural (förbund, kommuner)."""
    long = long.filter(pl.col("serie") != TOTALT)
    if long.is_empty():
        return []
    per = long.group_by("panel", "serie", maintain_order=True).agg(
        saknas=(pl.col("varde").is_null() & (pl.col("text") == SAKNAS)).all(),
        noll=(pl.col("varde").is_not_null().any() & (pl.col("varde").fill_null(0) == 0).all()),
        lucka=pl.col("varde").is_null().any())
    rader = per.to_dicts()   # a row per panel and serie: walked in Python, not filtered a frame at a time
    paneler = list(dict.fromkeys(r["panel"] for r in rader))
    noll: dict[tuple, list[str]] = {}
    for panel in paneler:
        del_ = [r for r in rader if r["panel"] == panel]
        nollor = [r for r in del_ if r["noll"]]
        if nollor:
            vem = f"alla {slag}" if len(nollor) == len(del_) else _lista([r["serie"] for r in nollor])
            noll.setdefault((vem, any(r["lucka"] for r in nollor)), []).append(panel)
    noter = [f"{_lista(p)} är 0 för {vem} alla år{' med uppgift' if lucka else ''}."
             for (vem, lucka), p in noll.items()]
    saknas: dict[tuple, list[str]] = {}
    for serie in dict.fromkeys(r["serie"] for r in rader):
        i = tuple(r["panel"] for r in rader if r["serie"] == serie and r["saknas"])
        if i:
            saknas.setdefault(i, []).append(serie)
    for i, serier in saknas.items():
        var = "" if len(i) == len(paneler) else f"{_lista(list(i))}: "
        noter.append(f"{var}{'u' if var else 'U'}ppgift saknas för {_lista(serier)} alla år.")
    return noter


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


RIKTLINJE = dict(color="#444444", dash="dash", width=1.5)   # a guideline or goal across a panel


def riktlinje(kod: str) -> tuple[float, str]:
    """(y in per cent, label) of the guideline behind finding code `kod`: its riktvarde in sql/findings/koder.yaml
    (a share), e.g. (20.0, "Riktvärde 20 %") for eget_kapital_over_20. Such a finding is about the förbund's
    money, not its data: it is drawn as this line, never as a ring (remarks.anmarkningar)."""
    varde = declarations.codes(warehouse.SQL_DIR)[kod].riktvarde
    return varde * 100, f"Riktvärde {procent(varde, 0)}"


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


HOGST_ETIKETTER = 3   # labels of missing or hidden values stacked in one year; more become one grey label


def _etiketter(punkter: list[tuple], panel_nr: int, farg: dict[str, str]) -> list[dict]:
    """A small label at the bottom of the panel for each missing or hidden value, stacked per year in the series'
    colour; a year with more than HOGST_ETIKETTER such values gets one grey label ("saknas (8)", hover: which)
    instead, so labels never pile up over the lines."""
    xref, yref = _axel(panel_nr)
    per_ar: dict = {}
    for serie, ar, text, anm in punkter:
        hover = f"{serie} {ar}: {'uppgift saknas' if text == SAKNAS else text}" + (f"{RAD}{anm}" if anm else "")
        per_ar.setdefault(ar, []).append((serie, text, hover))
    nya = []
    for ar, rader in per_ar.items():
        if len(rader) > HOGST_ETIKETTER:
            texter = {t for _, t, _ in rader}
            rader = [(None, f"{texter.pop() if len(texter) == 1 else 'utan värde'} ({len(rader)})",
                      RAD.join(h for _, _, h in rader))]
        for niva, (serie, text, hover) in enumerate(rader):
            nya.append(dict(x=ar, y=0.03 + 0.07 * niva, xref=xref, yref=f"{yref} domain", text=text,
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


def _i_kronor(long: pl.DataFrame, y_titel: str) -> tuple[pl.DataFrame, str]:
    """A chart in kronor (y_titel KRONOR) drawn in the unit belopp chooses for it: values (and interval bounds)
    divided, the axis titled with the unit. Texts and tables keep whole kronor."""
    if y_titel != KRONOR:
        return long, y_titel
    delat, titel = belopp(long["varde"].to_list())
    return long.with_columns(pl.col(c) / delat for c in ("varde", "lag", "hog") if c in long.columns), titel


def _bara_noll(long: pl.DataFrame, y_titel: str) -> dict:
    """A y range for a chart whose every drawn value is 0: a share on 0–100 %, anything else on 0–10, never
    plotly's 0–1, which reads as a fraction on a per cent axis."""
    if not (long["varde"].drop_nulls() == 0).all():
        return {}
    return {"range": [0, 100 if y_titel == "%" else 10]}


def serie_stilar(long: pl.DataFrame) -> dict[str, Stil]:
    """The Stil of each serie of a long frame: Totalt länet and riket grey, a förbund its own (stil), and where a
    förbund has several series (its kommuner, serie = the kommun's name) each a shade of the förbund's."""
    par = long.select("serie", "forbund").unique(maintain_order=True)
    flera = {f for f, n in par.group_by("forbund").len().iter_rows() if f is not None and n > 1}
    return {serie: stil(serie) if serie in REFERENS or f is None else stil(f, serie if f in flera else None)
            for serie, f in par.iter_rows()}


def linjer(long: pl.DataFrame, anm: pl.DataFrame, omraden: tuple[str, ...], *, y_titel: str,
           referens: tuple[float, str] | None = None, hojd_per_panel: int = 300,
           referenser: tuple[tuple[float, str, dict], ...] = ()) -> go.Figure | None:
    """One panel per measure (panel), one line per förbund (serie), years on x; error bars where the long frame
    has lag and hog (matt.langt(intervall=True)). `referens`: a guideline (y, label), e.g. riktlinje(), drawn as a
    dashed grey line in every panel; `referenser`: more lines (y, label, line style), e.g. a förbund's goal in its
    colour. A series all zero or all missing is said in a note (noter_om_serier)."""
    if long["varde"].is_null().all():
        return None
    long, y_titel = _i_kronor(long, y_titel)
    long = med_anm(long, anm, omraden)
    forsta, long = _bas(long, anm, omraden)
    skrivna: set[int] = set()
    paneler = long["panel"].unique(maintain_order=True).to_list()
    stilar = serie_stilar(long)
    farg = {serie: st.farg for serie, st in stilar.items()}
    kommuner = any(long.select("serie", "forbund").unique().group_by("forbund").len()["len"] > 1)
    noter = noter_om_serier(long, "kommuner" if kommuner else "förbund")
    tomma = set(long.group_by("serie").agg(t=(pl.col("text") == SAKNAS).all()).filter(pl.col("t"))["serie"])
    layout = rutnat(len(paneler), 1, 0.12 if len(paneler) > 1 else 0.02,
                    titlar=paneler if len(paneler) > 1 else None)
    data: list[dict] = []
    etiketter: list[dict] = []
    for nr, panel in enumerate(paneler, start=1):
        xa, ya = _axel(nr)
        del_ = long.filter(pl.col("panel") == panel)
        for serie, g in del_.group_by("serie", maintain_order=True):
            serie, st = serie[0], stilar[serie[0]]
            hover = [f"{serie} {a}: {t}" + (f"{RAD}○ {BAS_TEXT}" if i else "") + (f"{RAD}⚠ {m}" if m else "")
                     for a, t, m, i in zip(g["ar"], g["text"], g["anm"], g["ihalig"])]
            data.append(dict(
                type="scatter", x=g["ar"].to_list(), y=g["varde"].to_list(), mode="lines+markers", name=serie,
                legendgroup=serie, showlegend=nr == 1, hovertext=hover, hoverinfo="text", connectgaps=False,
                line=st.linje(), xaxis=xa, yaxis=ya, **_felstaplar(g),
                marker=dict(symbol=[f"{st.markor}-open" if i else st.markor for i in g["ihalig"]], color=st.farg,
                            size=[10 if i else 7 for i in g["ihalig"]])))
        ringar = del_.filter(pl.col("anm").is_not_null() & pl.col("varde").is_not_null())
        if ringar.height:
            data.append(dict(
                type="scatter", x=ringar["ar"].to_list(), y=ringar["varde"].to_list(), mode="markers",
                name="⚠ anmärkning", legendgroup="anm", showlegend=nr == 1, hoverinfo="text", xaxis=xa, yaxis=ya,
                hovertext=[f"{s} {a}: {m}" for s, a, m in zip(ringar["serie"], ringar["ar"], ringar["anm"])],
                marker=dict(symbol="circle-open", size=17, line=dict(width=2), color=ANM)))
        saknas = del_.filter(pl.col("varde").is_null() & ~pl.col("serie").is_in(list(tomma)))
        etiketter += _etiketter(list(zip(saknas["serie"], saknas["ar"], saknas["text"], saknas["anm"])), nr, farg)
        for y, text, linje in ([(*referens, RIKTLINJE)] if referens else []) + list(referenser):
            referenslinje(layout, y, text, linje, nr)
        brottslinjer(layout, forsta, forsta, nr, skrivna)
        _panel(layout, nr, dict(dtick=1), dict(title=dict(text=y_titel), rangemode="tozero",
                                               **_bara_noll(del_, y_titel)))
    if long["ihalig"].any():
        data.append(_forklaring("scatter"))
    fig = figur(data, 120 + hojd_per_panel * len(paneler), layout, etiketter)
    setattr(fig, NOTER, noter)
    return fig


def staplar(long: pl.DataFrame, anm: pl.DataFrame, omraden: tuple[str, ...], *, y_titel: str,
            referenser: tuple[tuple[float, str], ...] = (), barmode: str = "stack", linje: str | None = None
            ) -> go.Figure | None:
    """One panel per förbund (serie), years on x, one bar per measure (panel), stacked or grouped, in the category
    colours; the measure named `linje` is drawn as a line over the bars. A measure all zero or all missing is said
    in a note (noter_om_serier)."""
    if long["varde"].is_null().all():
        return None
    long, y_titel = _i_kronor(long, y_titel)
    long = med_anm(long, anm, omraden)
    forsta, long = _bas(long, anm, omraden)
    skrivna: set[int] = set()
    serier = long["serie"].unique(maintain_order=True).to_list()
    matt = long["panel"].unique(maintain_order=True).to_list()
    farg = {m: KATEGORIER[i % len(KATEGORIER)] for i, m in enumerate(m for m in matt if m != linje)}
    farg[DOLT] = GRA   # the hidden parts together (disclosure): grey, not a category's colour
    kol = 2 if len(serier) > 1 else 1
    rader = (len(serier) + kol - 1) // kol
    layout = rutnat(rader, kol, 0.14 / max(1, rader - 1) if rader > 1 else 0.02, 0.08, titlar=serier)
    layout["barmode"] = barmode
    data: list[dict] = []
    etiketter: list[dict] = []
    # each förbund's and measure's rows, split once (a filter a bar was a third of the report's frame work)
    delar = long.partition_by("serie", maintain_order=True, as_dict=True)
    for i, serie in enumerate(serier):
        kolumn, nr = i % kol + 1, i + 1
        xa, ya = _axel(nr)
        del_ = delar[(serie,)]
        per_matt = del_.partition_by("panel", maintain_order=True, as_dict=True)
        for m in matt:
            g = per_matt.get((m,), del_.clear())
            monster = {"pattern": dict(shape=["/" if i else "" for i in g["ihalig"]])} if g["ihalig"].any() else {}
            utseende = dict(type="scatter", mode="lines", line=dict(color=SVART, dash="dot")) if m == linje else \
                dict(type="bar", marker=dict(color=farg[m], line=dict(color="white", width=0.5), **monster))
            data.append(dict(x=g["ar"].to_list(), y=g["varde"].to_list(), name=m, legendgroup=m, showlegend=i == 0,
                             hoverinfo="text", xaxis=xa, yaxis=ya, **utseende,
                             hovertext=[f"{serie} {a}{RAD}{m}: {t}" + (f"{RAD}{BAS_TEXT}" if i else "")
                                        + (f"{RAD}⚠ {x}" if x else "")
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
            referenslinje(layout, y, text, RIKTLINJE, nr)
        brottslinjer(layout, forsta, set(del_["forbund"].drop_nulls()) or forsta, nr, skrivna)
        _panel(layout, nr, dict(dtick=1), dict(title=dict(text=y_titel)) if kolumn == 1 else {})
    if long["ihalig"].any():
        data.append(_forklaring("bar"))
    fig = figur(data, 120 + 260 * rader, layout, etiketter)
    setattr(fig, NOTER, noter_om_serier(long))   # per measure (panel) over the förbund (serie)
    return fig
