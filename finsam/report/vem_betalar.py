"""Section: who pays. One stacked bar per förbund and year, by finansiär (marts.finansiering_ar), in tkr: the state,
the region, each member kommun, and each external funder."""
from __future__ import annotations

import polars as pl

from finsam.report.charts import Diagram, staplar, tabell
from finsam.report.data import finns, fraga
from finsam.report.format import NBSP, procent, tal

RUBRIK = "Vem betalar"
MART = "finansiering_ar"
OMRADEN = ("ekonomi", "tilldelning")
# finansiär -> (label, stacking order); a kommun is "kommun:<kod>", labelled by its name
NAMN = {"staten": "Staten", "region": "Regionen", "esf": "ESF", "tillvaxtverket": "Tillväxtverket", "mucf": "MUCF",
        "ovrig_extern": "Övrig extern finansiär", "ovrigt": "Övriga intäkter"}
ORDNING = ["staten", "region", "kommun", "esf", "tillvaxtverket", "mucf", "ovrig_extern", "ovrigt"]


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


def diagram(con, anm: pl.DataFrame, lage, forbund) -> list[Diagram]:
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
        tabell(long, "Förbund"), staplar(long, anm, OMRADEN, y_titel="tkr"), noter)]
