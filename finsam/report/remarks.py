"""Marks on chart points: what marts.datakvalitet warns about for a förbund-year, in Swedish, by subject area.

A chart lists the areas it draws on (deltagare, ekonomi, kapital, tilldelning, befolkning, helar); a point gets the
data warnings (allvarlighet varning or fel; a guideline's findings are RIKTVARDE) of its förbund-year in those
areas, plus "från SUS-rapport" where the counts come from a report (deltagare_ar.kalla = 'aggregat'). Info findings
are listed in the data-quality section only.

The same frame carries the break in every time series: a row in area BAS for each förbund-year whose deltagare are
the sum over its insatser from Uppföljning Finsam (jamforelse_ar.deltagare_bas = 'summa_insatser'). Charts draw a
vertical line before each förbund's first such year and hollow markers on its points (finsam.report.charts).
"""
from __future__ import annotations

import duckdb
import polars as pl

from finsam.build import declarations
from finsam.publish import warehouse
from finsam.report.format import med_tecken, procent, tal

# regel -> (Swedish text, area, how its varde is shown: None, 'tecken', 'andel', 'antal'), from the one list of
# finding codes (sql/findings/koder.yaml). A code it does not know cannot reach here: marts.datakvalitet's contract
# allows only declared codes.
# A code with a riktvarde checks a guideline about the förbund's money, not its data: its rows get the area
# RIKTVARDE, which no chart draws on, so it never puts a data-quality ring on a point (the chart draws the
# guideline as a line instead, charts.riktlinje); it stays in the frame for whoever marks missed guidelines.
RIKTVARDE = "riktvarde"
REGLER: dict[str, tuple[str, str, str | None]] = {
    kod: (c.text, RIKTVARDE if c.riktvarde is not None else c.omrade, c.visning)
    for kod, c in declarations.codes(warehouse.SQL_DIR).items()}


def regeltext(regel: str) -> str:
    return REGLER.get(regel, (regel.replace("_", " "), "", None))[0]


def _text(regel: str, ar, varde) -> str:
    text, _, slag = REGLER.get(regel, (regel.replace("_", " "), "", None))
    if varde is None or slag is None:
        return f"{text} {ar}"
    shown = {"tecken": med_tecken, "andel": procent, "antal": tal}[slag](varde)
    return f"{text} {ar}: {shown}"


BAS = "bas"
BAS_TEXT = "Uppföljning Finsam: deltagare = summan över insatserna, inte unika personer"


def anmarkningar(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """forbund, ar, omrade, text: one row per warning on a förbund-year (several findings of one rule and
    förbund-year, e.g. per insats, are one mark with the förbund total's value where there is one), and one row in
    area BAS per förbund-year counted as a sum over insatser."""
    rows = con.execute("""
        select forbund, ar, regel, any_value(varde order by (insats = '*') desc nulls last) as varde
        from marts.datakvalitet
        where forbund is not null and ar is not null and allvarlighet in ('varning', 'fel')
        group by all
        union all
        select forbund, ar, 'aggregat_anvands', null from marts.deltagare_ar where insats = '*' and kalla = 'aggregat'
    """).fetchall()
    data = [(f, a, REGLER.get(r, ("", "ovrigt", None))[1], _text(r, a, v)) for f, a, r, v in rows]
    data += [(f, a, BAS, BAS_TEXT) for f, a in con.execute(
        "select forbund, ar from marts.jamforelse_ar where deltagare_bas = 'summa_insatser'").fetchall()]
    return pl.DataFrame(data, schema={"forbund": pl.String, "ar": pl.Int64, "omrade": pl.String, "text": pl.String},
                        orient="row").sort("forbund", "ar", "text")
