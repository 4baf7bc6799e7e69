"""Section: who pays. One stacked bar per förbund and year, by finansiär (marts.finansiering_ar), in tkr: the state,
the region, each member kommun, and each external funder."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from finsam.report.charts import (
    KATEGORIER,
    RAD,
    Diagram,
    brottslinjer,
    figur,
    forsta_uppfoljningsar,
    rutnat,
    stil,
    tabell,
)
from finsam.report.data import finns, fraga
from finsam.report.format import NBSP, procent, tal

RUBRIK = "Vem betalar"
MART = "finansiering_ar"
# finansiär -> (label, stacking order); a kommun is "kommun:<kod>", labelled by its name
NAMN = {"staten": "Staten", "region": "Regionen", "esf": "ESF", "tillvaxtverket": "Tillväxtverket", "mucf": "MUCF",
        "ovrig_extern": "Övrig extern finansiär", "ovrigt": "Övriga intäkter"}
ORDNING = ["staten", "region", "kommun", "esf", "tillvaxtverket", "mucf", "ovrig_extern", "ovrigt"]
# One colour per funder from the category palette (charts.KATEGORIER, Tol's light: colour-blind safe, never read as
# a förbund), the same in every förbund's panel; a member kommun in a shade of its förbund's own colour
# (charts.stil(forbund, kommun)), so the kommuner of a län never borrow a funder's colour.
FARG = {NAMN[k]: KATEGORIER[i] for i, k in enumerate(k for k in ORDNING if k != "kommun")}


def _figur(long: pl.DataFrame, forsta: dict[str, int]) -> go.Figure | None:
    """One panel per förbund (two columns), a bar per year stacked by finansiär, in tkr; the break after SUS
    (charts.brottslinjer) in the panel of each förbund that has one, as in every time series."""
    if long.is_empty():
        return None
    serier = long["serie"].unique(maintain_order=True).to_list()
    kol = 2 if len(serier) > 1 else 1
    rader = (len(serier) + kol - 1) // kol
    layout = rutnat(rader, kol, 0.14 / max(1, rader - 1) if rader > 1 else 0.02, 0.08, titlar=serier)
    layout["barmode"] = "stack"
    data, visade, skrivna = [], set(), set()
    for nr, serie in enumerate(serier, start=1):
        suffix = "" if nr == 1 else str(nr)
        del_ = long.filter(pl.col("serie") == serie)
        kod = del_["forbund"][0]
        brottslinjer(layout, forsta, [kod], nr, skrivna)
        for (namn,), g in del_.group_by("panel", maintain_order=True):
            farg = FARG.get(namn) or stil(kod, namn).farg
            data.append(dict(type="bar", x=g["ar"].to_list(), y=g["varde"].to_list(), name=namn, legendgroup=namn,
                             showlegend=namn not in visade, marker=dict(color=farg), hoverinfo="text",
                             xaxis="x" + suffix, yaxis="y" + suffix,
                             hovertext=[f"{serie} {a}{RAD}{namn}: {t}" for a, t in zip(g["ar"], g["text"])]))
            visade.add(namn)
        layout["xaxis" + suffix].update(dtick=1)
        if (nr - 1) % kol == 0:
            layout["yaxis" + suffix].update(title=dict(text="tkr"))
    return figur(data, 160 + 260 * rader, layout)


def _langt(df: pl.DataFrame, forbund) -> pl.DataFrame:
    """serie (förbund), ar, varde (tkr), text, forbund, panel (the finansiär's label): förbund in registry order,
    finansiärer stacked in ORDNING (kommuner by name)."""
    rader = []
    for r in df.to_dicts():
        slag = r["finansiar"].split(":")[0]
        namn = (r["kommun_namn"] or r["finansiar"]) if slag == "kommun" else NAMN.get(slag, r["finansiar"])
        text = f"{tal(r['belopp'] / 1000)}{NBSP}tkr ({procent(r['andel'])})"
        ordning = (list(forbund).index(r["forbund"]), ORDNING.index(slag) if slag in ORDNING else len(ORDNING),
                   namn, r["ar"])
        rader.append((ordning, (r["namn"], r["ar"], r["belopp"] / 1000, text, r["forbund"], namn)))
    return pl.DataFrame([rad for _, rad in sorted(rader)], orient="row", schema={
        "serie": pl.String, "ar": pl.Int64, "varde": pl.Float64, "text": pl.String, "forbund": pl.String,
        "panel": pl.String})


def diagram(con, lage, forbund, anm: pl.DataFrame) -> list[Diagram]:
    if not finns(con, MART):
        return []
    df = fraga(con, """select f.*, r.namn, m.kommun_namn
                       from marts.finansiering_ar f
                       join register.forbund r on r.kod = f.forbund
                       left join (select distinct forbund, kommun, kommun_namn from register.medlemmar) m
                            on m.forbund = f.forbund and 'kommun:' || m.kommun = f.finansiar
                       where list_contains(?, f.forbund) and f.ar <= ?
                       order by f.forbund, f.ar, f.finansiar""", [list(forbund), lage.senaste])
    if df.is_empty():
        return []
    long = _langt(df, forbund)
    beslut = df.filter(pl.col("kalla") == "tilldelning").group_by("namn", maintain_order=True).agg(
        pl.col("ar").unique().sort())
    fran_beslut = [f"{namn} ({', '.join(map(str, ar))})" for namn, ar in beslut.iter_rows()]
    delade = df.filter(pl.col("fordelning").str.contains("befolkning|lika"))
    noter = []
    if fran_beslut:
        noter.append("Utan intäktsrader i årsredovisningen visas den beslutade medelstilldelningen: "
                     + "; ".join(fran_beslut) + ".")
    if delade.height:
        noter.append("Där ingen rad anger kommunen är kommunernas del fördelad efter befolkningen 1 november året "
                     "före (lika delar där befolkningen saknas).")
    return [Diagram(
        "vem_betalar", "Vem betalar: förbundets intäkter per finansiär och år, tkr",
        "Staten, regionen, varje medlemskommun och externa finansiärer (ESF, Tillväxtverket, MUCF, övriga), i tusen "
        "kronor. Årsredovisningens intäktsrader (årets faktiska intäkter) där de finns, annars den beslutade "
        "medelstilldelningen. Finansiären för en intäktsrad anges i config/kostnadsmappning.csv (kolumnen "
        "finansiar). Andelen inom parentes är andelen av förbundets intäkter det året.", (f"marts.{MART}",),
        tabell(long, "Förbund"), _figur(long, forsta_uppfoljningsar(anm, forbund)), noter)]
