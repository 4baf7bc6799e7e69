"""Marks on chart points: what marts.datakvalitet warns about for a förbund-year, in Swedish, by subject area.

A chart lists the areas it draws on (deltagare, ekonomi, kapital, tilldelning, befolkning, helar); a point gets the warnings (allvarlighet
varning or fel) of its förbund-year in those areas, plus "från SUS-rapport" where the counts come from a report
(deltagare_ar.kalla = 'aggregat'). Info findings are listed in the data-quality section only.
"""
from __future__ import annotations

import duckdb
import polars as pl

from finsam.report.format import med_tecken, procent, tal

# regel -> (Swedish text, area, how its varde is shown: None, 'tecken', 'andel', 'antal')
REGLER: dict[str, tuple[str, str, str | None]] = {
    "stock_flow": ("stock-flow-avvikelse", "deltagare", "tecken"),
    "aggregat_avviker": ("rapport och registreringar skiljer sig", "deltagare", "tecken"),
    "aggregat_anvands": ("från SUS-rapport", "deltagare", None),
    "saknar_sus": ("uppgift saknas (ingen SUS-data)", "deltagare", None),
    "endast_registreringar": ("endast registreringar rapporterade", "deltagare", None),
    "okand_avslutsorsak": ("okänd avslutsorsak, inskrivningar", "deltagare", "antal"),
    "okand_insats": ("insats saknas i insatsregistret, inskrivningar", "deltagare", "antal"),
    "avslutsorsak_utan_slut": ("avslutsorsak utan slutdatum, inskrivningar", "deltagare", "antal"),
    "dubblett_konflikt": ("dubbletter med olika värden", "deltagare", None),
    "saknar_ekonomi": ("uppgift saknas (ingen årsredovisning)", "ekonomi", None),
    "saknar_intakter": ("uppgift saknas (inga intäktsrader)", "ekonomi", None),
    "saknar_kostnader": ("uppgift saknas (inga kostnadsrader)", "ekonomi", None),
    "saknar_eget_kapital": ("eget kapital saknas", "kapital", None),
    "saknar_underlag": ("kvot saknas: underlag saknas eller är 0", "ekonomi", None),
    "saknar_tilldelning": ("beslutad medelstilldelning saknas", "tilldelning", None),
    "finansieringsmodell": ("avviker från 50/25/25, andel", "tilldelning", "andel"),
    "medlemsbidrag_avviker": ("medlemsbidrag avviker från beslut, kr", "tilldelning", "tecken"),
    "kommunfordelning": ("kommunfördelning avviker, kr", "tilldelning", "tecken"),
    "kommunfordelning_ej_kontrollerad": ("kommunfördelningen kunde inte kontrolleras", "tilldelning", None),
    "eget_kapital_over_20": ("eget kapital över 20 % av medlemsbidraget", "kapital", "andel"),
    "ansokt_andel_stat": ("ansökt andel av möjlig statlig medelstilldelning", "tilldelning", "andel"),
    "teckenvand": ("kostnadsrader teckenvända", "ekonomi", "antal"),
    "saknar_befolkning": ("befolkning saknas", "befolkning", None),
    "befolkning_ofullstandig": ("befolkning ofullständig", "befolkning", None),
    "aldersband_straddlar": ("åldersgrupp passar inte 16–64/20–64", "befolkning", None),
    "saknar_helarsekvivalenter": ("helårsekvivalenter saknas", "helar", None),
    "saknar_riket": ("riket saknas", "helar", None),
    "helarsekvivalenter_over_befolkning": ("helårsekvivalenter över befolkningen", "helar", None),
    "rekonstruerad_fran_andel": ("helårsekvivalenter räknade från andel", "helar", None),
    "saknat_varde": ("SCB-värden saknas", "befolkning", "antal"),
    "inga_medlemskommuner": ("fil utan medlemskommuner", "befolkning", None),
    "fil_avvisad": ("fil avvisad", "fil", None),
}


def regeltext(regel: str) -> str:
    return REGLER.get(regel, (regel.replace("_", " "), "", None))[0]


def _text(regel: str, ar, varde) -> str:
    text, _, slag = REGLER.get(regel, (regel.replace("_", " "), "", None))
    if varde is None or slag is None:
        return f"{text} {ar}"
    shown = {"tecken": med_tecken, "andel": procent, "antal": tal}[slag](varde)
    return f"{text} {ar}: {shown}"


def anmarkningar(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """forbund, ar, omrade, text: one row per warning on a förbund-year (several findings of one rule and
    förbund-year, e.g. per insats, are one mark with the förbund total's value where there is one)."""
    rows = con.execute("""
        select forbund, ar, regel, any_value(varde order by (insats = '*') desc nulls last) as varde
        from marts.datakvalitet
        where forbund is not null and ar is not null and allvarlighet in ('varning', 'fel')
        group by all
        union all
        select forbund, ar, 'aggregat_anvands', null from marts.deltagare_ar where insats = '*' and kalla = 'aggregat'
    """).fetchall()
    data = [(f, a, REGLER.get(r, ("", "ovrigt", None))[1], _text(r, a, v)) for f, a, r, v in rows]
    return pl.DataFrame(data, schema={"forbund": pl.String, "ar": pl.Int64, "omrade": pl.String, "text": pl.String},
                        orient="row").sort("forbund", "ar", "text")
