"""Marks on chart points: what marts.datakvalitet warns about for a förbund-year, in Swedish, by subject area.

A chart lists the areas it draws on (deltagare, ekonomi, kapital, tilldelning, befolkning, helar); a point gets the
data warnings (allvarlighet varning or fel; a guideline's findings are RIKTVARDE) of its förbund-year in those
areas, plus "från SUS-rapport" where the counts come from a report (deltagare_ar.kalla = 'aggregat'). Info findings
are listed in the data-quality section only.

The same frame carries the break in every time series: a row in area BAS for each förbund-year whose deltagare are
the sum over its insatser from Uppföljning Finsam (jamforelse_ar.deltagare_bas = 'summa_insatser'). Charts draw a
vertical line before each förbund's first such year and hollow markers on its points (finsam.report.charts).
And a row in area FORSTA for each seam year of a förbund's registrations (finding forsta_registreringsar, info).
"""
from __future__ import annotations

import re

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


def regeltext(regel: str, varde=None) -> str:
    """What a finding says to a reader, in Swedish (koder.yaml's text), with its varde where the code shows one:
    'okänd avslutsorsak, inskrivningar: 3'. Never the code itself."""
    text, _, slag = REGLER.get(regel, (regel.replace("_", " "), "", None))
    if varde is None or slag is None:
        return text
    return f"{text}: {_VISNING[slag](varde)}"


_VISNING = {"tecken": med_tecken, "andel": procent, "antal": tal}


def _text(regel: str, ar, varde) -> str:
    text, _, slag = REGLER.get(regel, (regel.replace("_", " "), "", None))
    if varde is None or slag is None:
        return f"{text} {ar}"
    return f"{text} {ar}: {_VISNING[slag](varde)}"


def underlag_text(underlag: str) -> str:
    """marts.datakvalitet_poang.underlag ('stock_flow×1 (−5), ...') with each finding code as its Swedish text."""
    return re.sub(r"\b([a-z][a-z0-9_]*)×", lambda m: regeltext(m[1]) + " ×" if m[1] in REGLER else m[0], underlag)


BAS = "bas"
BAS_TEXT = "Uppföljning Finsam: deltagare = summan över insatserna, inte unika personer"
# A seam year of a förbund's registrations (finding forsta_registreringsar): nyinskrivna, återkommande and time in
# insats are missing there by design; charts of them get a note (finsam.report.forsta_ar_noter).
FORSTA = "forsta"
FORSTA_REGEL = "forsta_registreringsar"


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
    data += [(f, a, FORSTA, regeltext(FORSTA_REGEL)) for f, a in con.execute(
        "select distinct forbund, ar from marts.datakvalitet where regel = ? and forbund is not null", [FORSTA_REGEL]
    ).fetchall()]
    return pl.DataFrame(data, schema={"forbund": pl.String, "ar": pl.Int64, "omrade": pl.String, "text": pl.String},
                        orient="row").sort("forbund", "ar", "text")
